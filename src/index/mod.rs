//! The index on disk and how it is built and opened.
//!
//! An index directory holds generations: `gen-000007/` is one complete tantivy index with
//! its `corpus-search.json`, and the small file `CURRENT` names the generation in use. A
//! build writes a new generation beside the old one and, once it is committed and synced,
//! replaces `CURRENT` by an atomic rename. A build that is interrupted (Ctrl-C, kill -9, a
//! full disk) leaves the previous generation in use; its leftovers are removed by the next
//! build. Readers see the old index or the new one, never half of one. `.lock` keeps two
//! builders apart.

pub mod manifest;
pub mod schema;
pub mod story_table;
pub mod tables;
pub mod writer;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy};
use tantivy_jieba::jieba_rs::Jieba;

pub use schema::{build_schema, ExactView, Fields, FORMAT_VERSION};
pub use writer::{build_index, BuildConfig, BuildSummary, FileNote};

use crate::facets::{FacetField, Level};
use crate::stories::store::{read_stories, Stories};
use crate::text::tokenize::{
    build_jieba, CharTokenizer, OnceTokenizer, PreCutTokenizer, CHARS_ONCE_TOKENIZER,
    CHARS_TOKENIZER, WORDS_TOKENIZER,
};
use crate::{Error, Result};
use story_table::StoryTable;
use tables::Tables;

pub const CURRENT_FILE: &str = "CURRENT";
pub const META_FILE: &str = "corpus-search.json";
pub const LOCK_FILE: &str = ".lock";

/// What `corpus-search.json` records about a generation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    pub format: u32,
    pub built_by: String,
    pub corpus: String,
    pub files_read: usize,
    pub articles: usize,
    pub files_skipped: usize,
    /// Extra jieba dictionaries given with `--dict`, kept so queries cut words the same way.
    #[serde(default)]
    pub extra_dicts: Vec<String>,
    /// The corpus folder's canonical path: an update reads the same folder.
    #[serde(default)]
    pub corpus_path: String,
    /// The reading options of the build (see `BuildConfig::reading`).
    #[serde(default)]
    pub reading: String,
    /// Stories of more than one article, and the articles in them.
    #[serde(default)]
    pub stories: usize,
    #[serde(default)]
    pub reprinted_articles: usize,
    /// How the character view is kept (`index --exact-view`).
    #[serde(default)]
    pub exact_view: ExactView,
}

/// An opened index, ready for searching.
pub struct OpenIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub jieba: Arc<Jieba>,
    pub meta: IndexMeta,
    /// The generation directory this was opened from.
    pub generation: PathBuf,
    /// Facet tables for counting, each read on the first search that counts it.
    tables: Mutex<HashMap<(FacetField, Level), Arc<Tables>>>,
    /// The stories of more than one article (reprints).
    pub stories: Arc<Stories>,
    /// The story of every article, read on the first search that needs it.
    story_table: OnceLock<Arc<StoryTable>>,
}

impl OpenIndex {
    /// The table of a facet field at a level, over this index's segments, read once.
    pub fn tables(&self, field: FacetField, level: Level) -> Result<Arc<Tables>> {
        let key = (field, level);
        if let Some(t) = self.cached_tables().get(&key) {
            return Ok(t.clone());
        }
        let read = Arc::new(Tables::read(&self.reader.searcher(), field, level)?);
        Ok(self.cached_tables().entry(key).or_insert(read).clone())
    }

    /// The story of every article of this index's segments.
    pub fn story_table(&self) -> Result<Arc<StoryTable>> {
        if let Some(t) = self.story_table.get() {
            return Ok(t.clone());
        }
        let read = Arc::new(StoryTable::read(
            &self.reader.searcher(),
            &self.fields,
            &self.stories,
        )?);
        Ok(self.story_table.get_or_init(|| read).clone())
    }

    fn cached_tables(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(FacetField, Level), Arc<Tables>>> {
        // The map is only ever filled; a panic elsewhere cannot leave it half-written.
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Registers the project's index-time tokenizers with a tantivy index. All take the text
/// the writer prepares (normalised; words pre-cut), see `text::tokenize`.
pub fn register_tokenizers(index: &Index) {
    register_tokenizers_with(index, CharTokenizer::default());
}

/// [`register_tokenizers`] with a character-view tokenizer of the caller's (the writer's
/// counts what it cuts).
pub fn register_tokenizers_with(index: &Index, chars: CharTokenizer) {
    index.tokenizers().register(
        CHARS_ONCE_TOKENIZER,
        TextAnalyzer::from(OnceTokenizer::new(chars.clone())),
    );
    index
        .tokenizers()
        .register(CHARS_TOKENIZER, TextAnalyzer::from(chars));
    index.tokenizers().register(
        WORDS_TOKENIZER,
        TextAnalyzer::from(PreCutTokenizer::default()),
    );
}

/// The generation `CURRENT` names, if any.
pub fn current_generation(dir: &Path) -> Result<Option<PathBuf>> {
    match fs::read_to_string(dir.join(CURRENT_FILE)) {
        Ok(name) => {
            let name = name.trim();
            if name.is_empty() || name.contains('/') || name.contains("..") {
                return Err(Error::BadIndex {
                    path: dir.to_path_buf(),
                    why: format!("its {CURRENT_FILE} file names `{name}`"),
                });
            }
            Ok(Some(dir.join(name)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(dir.join(CURRENT_FILE), e)),
    }
}

/// Opens the index in `dir` for searching.
pub fn open_index(dir: &Path) -> Result<OpenIndex> {
    if !dir.exists() {
        return Err(Error::MissingIndex(dir.to_path_buf()));
    }
    let Some(generation) = current_generation(dir)? else {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if empty || only_leftovers(dir) {
            return Err(Error::MissingIndex(dir.to_path_buf()));
        }
        let why = if dir.join("meta.json").exists() {
            "it is a tantivy index made by another program".to_string()
        } else {
            "it has no CURRENT file".to_string()
        };
        return Err(Error::BadIndex {
            path: dir.to_path_buf(),
            why,
        });
    };
    let bad = |why: String| Error::BadIndex {
        path: dir.to_path_buf(),
        why,
    };
    let meta_text = fs::read_to_string(generation.join(META_FILE)).map_err(|e| {
        bad(format!(
            "cannot read {}: {e}",
            generation.join(META_FILE).display()
        ))
    })?;
    let meta: IndexMeta = serde_json::from_str(&meta_text)
        .map_err(|e| bad(format!("{META_FILE} is damaged: {e}")))?;
    if meta.format != FORMAT_VERSION {
        return Err(bad(format!(
            "it was built by {} with index format {}, this is {} with format {FORMAT_VERSION}",
            meta.built_by,
            meta.format,
            env!("CARGO_PKG_VERSION")
        )));
    }
    let index =
        Index::open_in_dir(&generation).map_err(|e| bad(format!("tantivy cannot open it: {e}")))?;
    let fields = Fields::of(&index.schema()).map_err(bad)?;
    let jieba = build_jieba(&meta.extra_dicts)?;
    register_tokenizers(&index);
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| bad(format!("tantivy cannot read it: {e}")))?;
    Ok(OpenIndex {
        index,
        reader,
        fields,
        jieba,
        meta,
        stories: Arc::new(read_stories(&generation)?),
        generation,
        tables: Mutex::new(HashMap::new()),
        story_table: OnceLock::new(),
    })
}

/// True when the directory holds nothing but a lock file or generations of failed builds.
fn only_leftovers(dir: &Path) -> bool {
    fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(|e| e.ok()).all(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name == LOCK_FILE || name.starts_with("gen-") || name.starts_with(".tmp")
            })
        })
        .unwrap_or(false)
}
