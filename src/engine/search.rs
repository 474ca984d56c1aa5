//! Searching the cluster: the same [`SearchRequest`] and [`Distribution`] as the embedded
//! index answers, so `query` and `facets` print them with the same renderers.
//!
//! Totals are exact (`track_total_hits: true`). Facet counts page through a composite
//! aggregation, which visits every bucket on every shard: exact whatever the number of
//! values (a terms aggregation is exact only when each shard returns all of its terms). An
//! article with no value counts under `(none)` (the composite aggregation's missing bucket),
//! as the embedded `facets` counts it. Stories are counted the same way, over `story`.
//!
//! Ranking is the engine's (BM25 over the character pairs), so the top hits may come in
//! another order than the embedded index's; the set of matches is the same.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::confirm::exact_query;
use super::document::count_field;
use super::read::{article_of, sort_of, story_members, NOT_SHOWN};
use super::Engine;
use crate::facets::{counted, Facet};
use crate::search::counts::{PairCounts, NONE};
use crate::search::facets::{into_distribution, Distribution, Unit};
use crate::search::query::positive_literals;
use crate::search::snippet::{highlight_all, make_snippet, Needles};
use crate::search::{
    check_open_values_in, parse_query, FacetCount, FacetCounts, Filters, Hit, SearchRequest,
    SearchResponse, REPRINT_SOURCES, SNIPPET_CHARS,
};
use crate::text::tokenize::default_jieba;
use crate::{Code, Error, Result};

/// How deep a page of hits may reach (OpenSearch's default `index.max_result_window`).
const DEEPEST: usize = 10_000;
/// Buckets a page of a composite aggregation holds.
const BUCKETS: usize = 10_000;

/// A search, as [`crate::search::search`] answers it.
pub fn search(engine: &Engine, request: &SearchRequest) -> Result<SearchResponse> {
    request.check_page()?;
    if request.offset + request.limit > DEEPEST {
        return Err(Error::query(
            Code::NotOnCluster,
            format!(
                "--offset {} is past the cluster's deepest page ({DEEPEST} hits, its index.max_result_window); narrow the search with filters, or use `export` for every match",
                request.offset
            ),
        ));
    }
    let node = parse_query(&request.query)?;
    check_open_values(engine, &request.filters, &node)?;
    let query = exact_query(engine, &node, &request.filters)?;
    let mut body = json!({
        "query": query,
        "track_total_hits": true,
        "from": request.offset,
        "size": request.limit,
        "sort": sort_of(request.sort),
        "track_scores": true,
        "_source": {"excludes": NOT_SHOWN},
    });
    if request.collapse {
        // One hit per story, each story's best match by the sort: the engine's field
        // collapsing keeps each story's best document on every shard and the best of those,
        // so the page is the best stories' best matches, as `stories::TopStories` finds them.
        body["collapse"] = json!({"field": "story"});
    }
    let answer = engine.search(&body)?;
    let total = answer
        .pointer("/hits/total/value")
        .and_then(Value::as_u64)
        .unwrap_or(0) as usize;
    let literals = Needles::new(
        positive_literals(&node),
        request.filters.words,
        default_jieba(),
    );
    let hits: Vec<Hit> = answer
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .map(|hits| hits.iter().map(|h| hit_of(h, &literals)).collect())
        .unwrap_or_default();
    let mut facets = Vec::new();
    for facet in counted() {
        let counts = buckets(
            engine,
            &query,
            &count_field(facet, request.filters.mentioned),
        )?;
        let mut v: Vec<FacetCount> = counts
            .into_iter()
            .filter(|(value, _)| value != NONE)
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        if facet.time {
            v.sort_by(|a, b| a.value.cmp(&b.value));
        } else {
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        }
        facets.push((facet, v));
    }
    let stories = buckets(engine, &query, "story")?.len();
    let mut response = SearchResponse {
        query: request.query.clone(),
        total,
        matching: request.filters.matching(),
        stories: stories.min(total),
        hits,
        facets: FacetCounts { facets },
    };
    add_reprints(engine, &mut response.hits)?;
    Ok(response)
}

/// A source or site that no outlet of data/sources.toml knows and no article of the
/// cluster has is refused with the closest names, as the embedded index refuses it.
pub(crate) fn check_open_values(
    engine: &Engine,
    filters: &Filters,
    node: &crate::search::Node,
) -> Result<()> {
    check_open_values_in(filters, node, &mut |facet| held_values(engine, facet))
}

/// Every value of a facet the cluster's articles have.
pub fn held_values(engine: &Engine, facet: &'static Facet) -> Result<Vec<String>> {
    let all = json!({"match_all": {}});
    let values = buckets(engine, &all, &count_field(facet, false))?;
    let mut values: Vec<String> = values.into_keys().filter(|v| v != NONE).collect();
    values.sort();
    Ok(values)
}

/// A hit from a document's `_source`, with the snippet made here from the stored text as
/// the embedded index makes it.
fn hit_of(h: &Value, literals: &Needles) -> Hit {
    let s = &h["_source"];
    let a = article_of(s);
    let snippet = make_snippet(&a.body, literals, SNIPPET_CHARS);
    Hit {
        story: s
            .get("story")
            .and_then(Value::as_str)
            .unwrap_or(&a.id)
            .to_string(),
        id: a.id,
        path: a.path,
        title_pieces: highlight_all(&a.title, literals),
        title: a.title,
        date: a.date,
        date_from: a.date_from,
        url: a.url,
        facets: a.facets,
        regions: a.regions,
        score: h.get("_score").and_then(Value::as_f64).unwrap_or(0.0) as f32,
        reprints: 0,
        reprinted_by: Vec::new(),
        snippet: snippet.to_html(),
        snippet_pieces: snippet,
    }
}

/// Each hit's reprints: the other articles of its story, and their sources in story order,
/// as the embedded index lists them.
fn add_reprints(engine: &Engine, hits: &mut [Hit]) -> Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    let stories: Vec<&str> = hits.iter().map(|h| h.story.as_str()).collect();
    let in_stories = json!({"terms": {"story": stories}});
    let counts = buckets(engine, &in_stories, "story")?;
    for h in hits.iter_mut() {
        h.reprints = counts.get(&h.story).copied().unwrap_or(1).saturating_sub(1) as usize;
    }
    let reprinted: Vec<&str> = hits
        .iter()
        .filter(|h| h.reprints > 0)
        .map(|h| h.story.as_str())
        .collect();
    if reprinted.is_empty() {
        return Ok(());
    }
    let members = story_members(engine, &reprinted)?;
    for h in hits.iter_mut().filter(|h| h.reprints > 0) {
        for m in &members {
            if h.reprinted_by.len() >= REPRINT_SOURCES {
                break;
            }
            if m.story != h.story || m.id == h.id {
                continue;
            }
            if let Some(source) = &m.source {
                if !h.reprinted_by.contains(source) {
                    h.reprinted_by.push(source.clone());
                }
            }
        }
    }
    Ok(())
}

/// Every value of `field` among the matches of `query` with its count of articles, and
/// [`NONE`] for the articles with none: a composite aggregation, page after page.
pub fn buckets(engine: &Engine, query: &Value, field: &str) -> Result<HashMap<String, u64>> {
    let mut out = HashMap::new();
    for ((value, _), n) in pair_buckets(engine, query, field, None)? {
        out.insert(value, n);
    }
    Ok(out)
}

/// Counts of values of `a` (and `b`, as pairs) among the matches of `query`.
fn pair_buckets(
    engine: &Engine,
    query: &Value,
    a: &str,
    b: Option<&str>,
) -> Result<HashMap<(String, String), u64>> {
    let mut fields = vec![a];
    fields.extend(b);
    let mut out = HashMap::new();
    for (mut key, n) in composite(engine, query, &fields)? {
        let second = if b.is_some() {
            key.pop().unwrap_or_default()
        } else {
            String::new()
        };
        let first = key.pop().unwrap_or_default();
        out.insert((first, second), n);
    }
    Ok(out)
}

/// Every combination of values of `fields` among the matches of `query`, with its count
/// of articles ([`NONE`] for an article with no value of a field): a composite
/// aggregation, page after page, so every bucket of every shard is counted.
fn composite(engine: &Engine, query: &Value, fields: &[&str]) -> Result<Vec<(Vec<String>, u64)>> {
    let names: Vec<String> = (0..fields.len()).map(|i| format!("f{i}")).collect();
    let sources: Vec<Value> = fields
        .iter()
        .zip(&names)
        .map(|(field, name)| json!({name: {"terms": {"field": field, "missing_bucket": true}}}))
        .collect();
    let mut out = Vec::new();
    let mut after: Option<Value> = None;
    loop {
        let mut composite = json!({"size": BUCKETS, "sources": sources});
        if let Some(a) = &after {
            composite["after"] = a.clone();
        }
        let body = json!({
            "size": 0,
            "track_total_hits": false,
            "query": query,
            "aggs": {"values": {"composite": composite}},
        });
        let answer = engine.search(&body)?;
        let agg = answer
            .pointer("/aggregations/values")
            .cloned()
            .unwrap_or(Value::Null);
        let page = agg
            .get("buckets")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for bucket in &page {
            let n = bucket.get("doc_count").and_then(Value::as_u64).unwrap_or(0);
            let key = names
                .iter()
                .map(|k| {
                    bucket
                        .pointer(&format!("/key/{k}"))
                        .and_then(Value::as_str)
                        .unwrap_or(NONE)
                        .to_string()
                })
                .collect();
            out.push((key, n));
        }
        match agg.get("after_key") {
            Some(next) if page.len() == BUCKETS => after = Some(next.clone()),
            _ => return Ok(out),
        }
    }
}

/// `facets --stories`: each story once in the total and once under each value any of its
/// matching articles has, under (none) only when none of them has one, as
/// [`crate::search::counts::PairCounter`] counts stories.
fn story_counts(
    engine: &Engine,
    query: &Value,
    rows: &str,
    cols: Option<&str>,
) -> Result<PairCounts> {
    let mut fields = vec!["story", rows];
    fields.extend(cols);
    // Per story: its (row, column) value pairs.
    let mut per_story: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (mut key, _) in composite(engine, query, &fields)? {
        let col = if cols.is_some() {
            key.pop().unwrap_or_default()
        } else {
            String::new()
        };
        let row = key.pop().unwrap_or_default();
        let story = key.pop().unwrap_or_default();
        per_story.entry(story).or_default().push((row, col));
    }
    let mut counts = PairCounts {
        total: per_story.len() as u64,
        ..PairCounts::default()
    };
    for pairs in per_story.values() {
        let row_valued = pairs.iter().any(|(r, _)| r != NONE);
        let col_valued = pairs.iter().any(|(_, c)| c != NONE);
        let keep_row = |r: &String| r != NONE || !row_valued;
        let keep_col = |c: &String| c != NONE || !col_valued;
        let mut rows: Vec<&String> = pairs
            .iter()
            .map(|(r, _)| r)
            .filter(|r| keep_row(r))
            .collect();
        rows.sort();
        rows.dedup();
        for r in rows {
            *counts.rows.entry(r.clone()).or_default() += 1;
        }
        if cols.is_some() {
            let mut cs: Vec<&String> = pairs
                .iter()
                .map(|(_, c)| c)
                .filter(|c| keep_col(c))
                .collect();
            cs.sort();
            cs.dedup();
            for c in cs {
                *counts.cols.entry(c.clone()).or_default() += 1;
            }
            for (r, c) in pairs.iter().filter(|(r, c)| keep_row(r) && keep_col(c)) {
                *counts.cells.entry((r.clone(), c.clone())).or_default() += 1;
            }
        }
    }
    Ok(counts)
}

/// `facets --by`, as [`crate::search::facets::distribution`] counts it.
pub fn distribution(
    engine: &Engine,
    query: &str,
    filters: &Filters,
    by: &[&'static Facet],
    stories: bool,
) -> Result<Distribution> {
    let (rows_by, cols_by) = crate::search::facets::rows_and_columns(by)?;
    let node = parse_query(query)?;
    check_open_values(engine, filters, &node)?;
    let q = exact_query(engine, &node, filters)?;
    let field = |f: &Facet| count_field(f, filters.mentioned);
    if stories {
        let counts = story_counts(engine, &q, &field(rows_by), cols_by.map(field).as_deref())?;
        let mut d = into_distribution(counts, query, rows_by, cols_by);
        d.matching = filters.matching();
        d.counts = Unit::Stories;
        return Ok(d);
    }
    let total = engine.count(&q)?;
    let mut counts = PairCounts {
        total,
        rows: buckets(engine, &q, &field(rows_by))?,
        ..PairCounts::default()
    };
    counts.rows.retain(|_, n| *n > 0);
    if let Some(cols_by) = cols_by {
        counts.cols = buckets(engine, &q, &field(cols_by))?;
        counts.cells = pair_buckets(engine, &q, &field(rows_by), Some(&field(cols_by)))?;
    }
    let mut d = into_distribution(counts, query, rows_by, cols_by);
    d.matching = filters.matching();
    d.counts = Unit::Articles;
    Ok(d)
}
