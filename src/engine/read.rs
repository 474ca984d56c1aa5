//! Reading articles back from the cluster: one article by id (the article view), a story's
//! articles (`reprints`), and every match of a search in a stable order (`export`, `kwic`).
//!
//! The cluster keeps each article's stored fields as the embedded index does (`_source`:
//! the title and text as printed, the facet paths, the date and its precision), so each
//! document becomes the same [`StoredArticle`] here, and the export's rows, the snippets and
//! the concordance's lines are made from it by the same code as at home
//! ([`crate::search::export::Export`], [`crate::search::kwic::concordance_of`]).
//!
//! Every match is read page after page with `search_after`, sorted by the search's key and
//! then by `id`, so no match is read twice or skipped, however many there are, and memory
//! holds one page. Ties (the same score, the same date) come in id order, where the embedded
//! index gives them in its own order: the same rows, possibly in another order among equals.

use std::collections::{HashMap, VecDeque};

use serde_json::{json, Value};

use super::confirm::exact_query;
use super::search::{buckets, check_open_values};
use super::Engine;
use crate::facets::source::sources;
use crate::facets::{ArticleFacets, FacetField};
use crate::search::export::{Export, ExportField, ExportRequest, Listed};
use crate::search::kwic::{check_literals, check_width, concordance_of, Concordance, KwicRequest};
use crate::search::query::positive_literals;
use crate::search::snippet::Needles;
use crate::search::stories::{Reprints, StoryArticle};
use crate::search::{parse_query, Filters, Sort, StoredArticle};
use crate::text::tokenize::default_jieba;
use crate::Result;

/// Matches read at once.
const PAGE: usize = 1_000;
/// The fields a search never shows: what the cluster matches and counts on.
pub(crate) const NOT_SHOWN: [&str; 5] = ["text_norm", "title_norm", "signature", "count", "extra"];

/// A document's `_source` as the stored article the embedded index gives.
pub fn article_of(s: &Value) -> StoredArticle {
    let text = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
    let list = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let date = text("date").map(|d| match text("date_precision").as_deref() {
        Some("year") => d.chars().take(4).collect(),
        Some("month") => d.chars().take(7).collect(),
        _ => d,
    });
    StoredArticle {
        id: text("id").unwrap_or_default(),
        path: text("path").unwrap_or_default(),
        title: text("title").unwrap_or_default(),
        date,
        date_from: text("date_from"),
        url: text("url"),
        facets: ArticleFacets::of(|field: FacetField| {
            list(s.pointer(&format!("/filter/{}", field.name())))
        }),
        source_printed: text("source_printed"),
        regions: list(s.get("regions")),
        mentions: list(s.get("mentions")),
        title_from: text("title_from").unwrap_or_default(),
        body: text("text").unwrap_or_default(),
    }
}

/// The article with this id (`path#n`), if the cluster has it.
pub fn find_article(engine: &Engine, id: &str) -> Result<Option<StoredArticle>> {
    let body = json!({
        "query": {"term": {"id": id}},
        "size": 1,
        "_source": {"excludes": NOT_SHOWN},
    });
    let answer = engine.search(&body)?;
    Ok(answer
        .pointer("/hits/hits/0/_source")
        .map(article_of)
        .filter(|a| !a.id.is_empty()))
}

/// An article of a story, with what orders a story.
pub(crate) struct Member {
    pub story: String,
    pub id: String,
    pub source: Option<String>,
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// The articles of these stories, each story in story order (the original first, then by
/// date, a news agency first on a day, then by id: as `stories::find_stories` orders one).
pub(crate) fn story_members(engine: &Engine, stories: &[&str]) -> Result<Vec<Member>> {
    let mut keyed: Vec<((String, i64, bool, String), Member)> = Vec::new();
    let body = json!({
        "query": {"terms": {"story": stories}},
        "_source": ["id", "story", "story_day", "source", "title", "date", "date_precision", "url"],
    });
    each_hit(engine, body, &mut |h| {
        let s = &h["_source"];
        let a = article_of(s);
        let story = s
            .get("story")
            .and_then(Value::as_str)
            .unwrap_or(&a.id)
            .to_string();
        let source = s.get("source").and_then(Value::as_str).map(str::to_string);
        let wire = source.as_deref().is_some_and(|x| sources().is_wire(x));
        let day = s
            .get("story_day")
            .and_then(Value::as_i64)
            .unwrap_or(i64::MAX);
        keyed.push((
            (story.clone(), day, !wire, a.id.clone()),
            Member {
                story,
                id: a.id,
                source,
                title: a.title,
                date: a.date,
                url: a.url,
            },
        ));
        Ok(())
    })?;
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(keyed.into_iter().map(|(_, m)| m).collect())
}

/// The story of an article, by the article's id (a file's path stands for its first
/// article), as [`crate::search::stories::reprints`] gives it.
pub fn reprints(engine: &Engine, id: &str) -> Result<Option<Reprints>> {
    let found = match find_article(engine, id)? {
        Some(a) => Some(a),
        None if !id.contains('#') => find_article(engine, &format!("{id}#1"))?,
        None => None,
    };
    let Some(found) = found else {
        return Ok(None);
    };
    let body = json!({"query": {"term": {"id": found.id}}, "size": 1, "_source": ["story"]});
    let story = page(engine, &body)?
        .first()
        .and_then(|h| h.pointer("/_source/story"))
        .and_then(Value::as_str)
        .unwrap_or(&found.id)
        .to_string();
    let members = story_members(engine, &[story.as_str()])?;
    let articles: Vec<StoryArticle> = members
        .into_iter()
        .enumerate()
        .map(|(i, m)| StoryArticle {
            original: i == 0,
            id: m.id,
            title: m.title,
            date: m.date,
            source: m.source,
            url: m.url,
        })
        .collect();
    Ok(Some(Reprints {
        story: articles
            .first()
            .map_or_else(|| found.id.clone(), |a| a.id.clone()),
        articles,
    }))
}

/// Every hit of a search (`body`: its query and `_source`), in id order, a page at a time
/// with `search_after`, so none is read twice or skipped and memory holds one page.
pub(crate) fn each_hit(
    engine: &Engine,
    mut body: Value,
    each: &mut dyn FnMut(&Value) -> Result<()>,
) -> Result<()> {
    body["size"] = json!(PAGE);
    body["sort"] = json!([{"id": "asc"}]);
    body["track_total_hits"] = json!(false);
    loop {
        let hits = page(engine, &body)?;
        for h in &hits {
            each(h)?;
        }
        match hits.last().and_then(|h| h.get("sort")) {
            Some(after) if hits.len() == PAGE => body["search_after"] = after.clone(),
            _ => return Ok(()),
        }
    }
}

/// One page of a search's hits.
fn page(engine: &Engine, body: &Value) -> Result<Vec<Value>> {
    let answer = engine.search(body)?;
    Ok(answer
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// The query and filters of a search as the engine's JSON, checked as the embedded index
/// checks them, with the total and the words to show.
fn matching(engine: &Engine, query: &str, filters: &Filters) -> Result<(Value, usize, Needles)> {
    let node = parse_query(query)?;
    check_open_values(engine, filters, &node)?;
    let q = exact_query(engine, &node, filters)?;
    let total = engine.count(&q)? as usize;
    let literals = Needles::new(positive_literals(&node), filters.words, default_jieba());
    Ok((q, total, literals))
}

/// The sort of every match: the search's key, then the id (unique), for `search_after`.
pub(crate) fn sort_of(sort: Sort) -> Value {
    match sort {
        Sort::Relevance => json!([{"_score": "desc"}, {"id": "asc"}]),
        Sort::Date => json!([{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]),
    }
}

/// Every match of a query, a page at a time, in the order of `sort`.
struct EveryMatch {
    engine: Engine,
    query: Value,
    sort: Sort,
    /// Whether each article's story and its size are looked up (for the export's columns).
    stories: bool,
    after: Option<Value>,
    done: bool,
    ready: VecDeque<Listed>,
}

impl EveryMatch {
    fn next_page(&mut self) -> Result<()> {
        let mut body = json!({
            "query": self.query,
            "size": PAGE,
            "sort": sort_of(self.sort),
            "track_total_hits": false,
            "_source": {"excludes": NOT_SHOWN},
        });
        if let Some(a) = &self.after {
            body["search_after"] = a.clone();
        }
        let hits = page(&self.engine, &body)?;
        self.done = hits.len() < PAGE;
        self.after = hits.last().and_then(|h| h.get("sort")).cloned();
        let mut listed: Vec<Listed> = hits
            .iter()
            .map(|h| {
                let s = &h["_source"];
                let article = article_of(s);
                Listed {
                    story: s
                        .get("story")
                        .and_then(Value::as_str)
                        .unwrap_or(&article.id)
                        .to_string(),
                    reprints: 0,
                    article,
                }
            })
            .collect();
        if self.stories && !listed.is_empty() {
            let stories: Vec<&str> = listed.iter().map(|l| l.story.as_str()).collect();
            let sizes: HashMap<String, u64> =
                buckets(&self.engine, &json!({"terms": {"story": stories}}), "story")?;
            for l in &mut listed {
                l.reprints = sizes.get(&l.story).copied().unwrap_or(1).saturating_sub(1) as usize;
            }
        }
        self.ready.extend(listed);
        Ok(())
    }
}

impl Iterator for EveryMatch {
    type Item = Result<Listed>;

    fn next(&mut self) -> Option<Result<Listed>> {
        if self.ready.is_empty() && !self.done {
            if let Err(e) = self.next_page() {
                // One failure ends the reading: a row missing from the middle would go unseen.
                self.done = true;
                return Some(Err(e));
            }
        }
        self.ready.pop_front().map(Ok)
    }
}

/// `export`, as [`Export::start`] runs it on the embedded index.
pub fn export(engine: &Engine, request: &ExportRequest) -> Result<Export> {
    let (query, total, literals) = matching(engine, &request.query, &request.filters)?;
    let stories = request
        .fields
        .iter()
        .any(|f| matches!(f, ExportField::Story | ExportField::Reprints));
    let every = EveryMatch {
        engine: engine.clone(),
        query,
        sort: request.sort,
        stories,
        after: None,
        done: total == 0,
        ready: VecDeque::new(),
    };
    Ok(Export::of(
        total,
        literals,
        request.fields.clone(),
        Box::new(every),
    ))
}

/// `kwic`, as [`crate::search::kwic::concordance`] runs it on the embedded index.
pub fn concordance(engine: &Engine, request: &KwicRequest) -> Result<Concordance> {
    check_width(request)?;
    let (query, total, literals) = matching(engine, &request.query, &request.filters)?;
    check_literals(&literals)?;
    let every = EveryMatch {
        engine: engine.clone(),
        query,
        sort: Sort::Date,
        stories: false,
        after: None,
        done: total == 0,
        ready: VecDeque::new(),
    };
    concordance_of(
        request,
        total,
        &literals,
        every.map(|l| l.map(|l| l.article)),
    )
}
