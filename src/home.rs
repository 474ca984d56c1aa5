//! Where the index lives: a directory on this machine (the embedded tantivy index), or an
//! OpenSearch cluster (`--engine URL`). Every command that reads an index, and every handler
//! of `serve`, asks a [`Home`] and never which kind it is: the same request types go in
//! ([`SearchRequest`], [`KwicRequest`], [`ExportRequest`]) and the same answers come out,
//! printed by the same renderers.
//!
//! ```text
//! Home::Embedded(OpenIndex) -> search::*            (tantivy, this machine)
//! Home::Cluster(Engine)     -> engine::search, engine::read   (the cluster's REST API)
//! ```
//!
//! What a cluster cannot answer exactly is refused there with advice (`--words`, symbols,
//! a page past 10,000 hits, a proximity search with too many candidates to read), never
//! answered differently.

use std::sync::Arc;

use tantivy_jieba::jieba_rs::Jieba;

use crate::engine::{self, Engine};
use crate::facets::Facet;
use crate::index::OpenIndex;
use crate::search::export::{Export, ExportRequest};
use crate::search::facets::{compare_with, Comparison, Distribution};
use crate::search::kwic::{Concordance, KwicRequest};
use crate::search::stories::Reprints;
use crate::search::{Filters, SearchRequest, SearchResponse, StoredArticle};
use crate::text::tokenize::default_jieba;
use crate::Result;

/// An index to read, wherever it lives.
#[derive(Clone)]
pub enum Home {
    /// The embedded index in a directory, opened.
    Embedded(Arc<OpenIndex>),
    /// An index in an OpenSearch cluster.
    Cluster(Engine),
}

/// What an index holds, for `/api/health`.
#[derive(Debug, Clone)]
pub struct Holding {
    pub articles: usize,
    pub files: usize,
    /// The corpus folder it was built from, as it was given.
    pub corpus: String,
    /// The embedded index's live generation, or the cluster index's URL.
    pub generation: String,
}

impl Home {
    /// A search: exact total, one page of hits, facet counts of the whole result set.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        match self {
            Home::Embedded(index) => crate::search::search(index, request),
            Home::Cluster(engine) => engine::search::search(engine, request),
        }
    }

    /// `facets --by`: one facet, or a table of two.
    pub fn distribution(
        &self,
        query: &str,
        filters: &Filters,
        by: &[&'static Facet],
        stories: bool,
    ) -> Result<Distribution> {
        match self {
            Home::Embedded(index) => {
                crate::search::facets::distribution(index, query, filters, by, stories)
            }
            Home::Cluster(engine) => {
                engine::search::distribution(engine, query, filters, by, stories)
            }
        }
    }

    /// `facets --compare` / `--normalize`: several queries over one facet, and each value's
    /// share of all articles under the same filters.
    pub fn compare(
        &self,
        queries: &[String],
        filters: &Filters,
        by: &'static Facet,
        normalize: bool,
        stories: bool,
    ) -> Result<Comparison> {
        compare_with(queries, filters, by, normalize, stories, &mut |q| {
            self.distribution(q, filters, &[by], stories)
        })
    }

    /// `kwic`: every occurrence of the query's words in the matching articles.
    pub fn concordance(&self, request: &KwicRequest) -> Result<Concordance> {
        match self {
            Home::Embedded(index) => crate::search::kwic::concordance(index, request),
            Home::Cluster(engine) => engine::read::concordance(engine, request),
        }
    }

    /// `export`: every match, its rows read as they are iterated.
    pub fn export(&self, request: &ExportRequest) -> Result<Export> {
        match self {
            Home::Embedded(index) => Export::start(index, request),
            Home::Cluster(engine) => engine::read::export(engine, request),
        }
    }

    /// The article with this id (`path#n`), if the index has it.
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        match self {
            Home::Embedded(index) => crate::search::find_article(index, id),
            Home::Cluster(engine) => engine::read::find_article(engine, id),
        }
    }

    /// The story of an article (`reprints ID`).
    pub fn reprints(&self, id: &str) -> Result<Option<Reprints>> {
        match self {
            Home::Embedded(index) => crate::search::stories::reprints(index, id),
            Home::Cluster(engine) => engine::read::reprints(engine, id),
        }
    }

    /// The jieba that cuts this index's words (with its `--dict` words when embedded).
    pub fn jieba(&self) -> Arc<Jieba> {
        match self {
            Home::Embedded(index) => Arc::clone(&index.jieba),
            Home::Cluster(_) => Arc::clone(default_jieba()),
        }
    }

    /// What the index holds.
    pub fn holding(&self) -> Result<Holding> {
        match self {
            Home::Embedded(index) => Ok(Holding {
                articles: index.meta.articles,
                files: index.meta.files_read,
                corpus: index.meta.corpus.clone(),
                generation: index
                    .generation
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            }),
            Home::Cluster(engine) => {
                let loaded = engine::load::loaded(engine)?;
                Ok(Holding {
                    articles: loaded.articles,
                    files: loaded.files,
                    corpus: loaded.corpus,
                    generation: engine.to_string(),
                })
            }
        }
    }

    /// The values the index holds for a facet (the open lists, sources and sites, for the
    /// API description).
    pub fn values(&self, facet: &'static Facet) -> Result<Vec<String>> {
        match self {
            Home::Embedded(index) => Ok(index
                .tables(facet.field, facet.level)?
                .names()
                .into_iter()
                .map(str::to_string)
                .collect()),
            Home::Cluster(engine) => engine::search::held_values(engine, facet),
        }
    }
}
