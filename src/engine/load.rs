//! `corpus-search index --engine URL`: the corpus read by our reader, written into the
//! cluster. The same walk, the same per-file reading (`corpus::read_steady`,
//! `corpus::read_bytes`, the same content hash) and the same update rules as the embedded
//! index (`index::writer`), with the cluster in place of the index directory:
//!
//! - the files seen (path, size, modification time, hash, articles, why skipped) live in a
//!   second index, `<name>-files`, so the next update can run from any machine;
//! - a file whose size and time are unchanged is not read; one read again with the same
//!   hash keeps its articles; a changed file's articles are deleted by path before its new
//!   ones are sent; a removed file's articles are deleted;
//! - a file's state is written only after its articles are acknowledged, so an interrupted
//!   load is finished by running it again (ids are `path#n`: a resent article replaces itself);
//! - bulk requests of about [`BULK_BYTES`] are retried with a growing pause on connection
//!   loss and on 429/503, the failed items alone when the engine refused some.
//!
//! Stories are found as the embedded index finds them (`stories::find_stories`, a function
//! of every article's signature, date and source): the signatures are stored with the
//! articles, and after each load every article's entry is read back from the cluster, the
//! stories are found over all of them, and the articles whose story changed are updated.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use super::document::{decode_signature, extra_properties, prepare, Prepared};
use super::Engine;
use crate::corpus::{self, walk_corpus, CorpusFile, FileProblem, ReadOptions};
use crate::index::manifest::{read_with_state, FileState};
use crate::index::writer::UpdateTally;
use crate::index::{BuildConfig, BuildSummary, FileNote, FORMAT_VERSION};
use crate::stories::{find_stories, Entry};
use crate::{Error, Result};

/// A bulk request's body is sent when it reaches this size.
pub const BULK_BYTES: usize = 5 * 1024 * 1024;
/// Files read in parallel before their documents are sent.
const FILES_AT_ONCE: usize = 256;
/// Documents a page of a read-back holds.
const PAGE: usize = 5_000;
/// The shape of the cluster's documents beyond the index format (2: the article view's
/// mentions, title_from and source_printed; 3: the searched lines that are not shown,
/// `extra`, stored for the symbols' confirmation); another one loads the corpus again.
pub(crate) const DOCUMENT_VERSION: u64 = 3;
/// The id of the document in `<name>-files` that says how the index was built.
const META_ID: &str = "_corpus_search";

/// How the cluster index is laid out when it is created.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    pub shards: Option<u32>,
    pub replicas: Option<u32>,
}

/// Loads the corpus into the cluster: a first load, or an update of the files that changed.
pub fn load_corpus(engine: &Engine, config: &BuildConfig, layout: Layout) -> Result<BuildSummary> {
    let started = Instant::now();
    let walk = walk_corpus(&config.corpus, config.walk)?;
    let meta = json!({
        "format": FORMAT_VERSION,
        "document": DOCUMENT_VERSION,
        "reading": config.reading,
        "corpus": config.corpus.display().to_string(),
        "extra_dicts": config.extra_dicts.len(),
        "built_by": format!("corpus-search {}", env!("CARGO_PKG_VERSION")),
    });
    let mut rebuilt_because = None;
    if config.rebuild {
        rebuilt_because = Some("--rebuild was given".to_string());
    } else if let Some(old) = read_meta(engine)? {
        if old.get("format") != meta.get("format") {
            rebuilt_because = Some(format!(
                "the cluster's index was loaded with index format {} and this version writes {FORMAT_VERSION}",
                old.get("format").unwrap_or(&Value::Null)
            ));
        } else if old.get("document").and_then(Value::as_u64).unwrap_or(1) != DOCUMENT_VERSION {
            rebuilt_because = Some(format!(
                "the cluster's documents were written by an older corpus-search (document version {}, this one writes {DOCUMENT_VERSION})",
                old.get("document").and_then(Value::as_u64).unwrap_or(1)
            ));
        } else if old.get("reading") != meta.get("reading") {
            rebuilt_because = Some(format!(
                "the reading options differ from the last load's ({} before, {} now)",
                old.get("reading").unwrap_or(&Value::Null),
                config.reading
            ));
        }
    }
    if rebuilt_because.is_some() {
        for index in [engine.index.clone(), engine.files_index()] {
            let (status, text) = engine.request_status("DELETE", &index, None)?;
            if status != 200 && status != 404 {
                return Err(engine.error(format!("cannot delete {index}: HTTP {status}: {text}")));
            }
        }
    }
    create_indexes(engine, layout)?;
    let seen = read_states(engine)?;
    let first_load = seen.is_empty();

    let on_disk: HashSet<&str> = walk.files.iter().map(|f| f.rel.as_str()).collect();
    let mut removed: Vec<String> = seen
        .keys()
        .filter(|rel| !on_disk.contains(rel.as_str()))
        .cloned()
        .collect();
    removed.sort();
    let to_read: Vec<CorpusFile> = walk
        .files
        .iter()
        .filter(|f| {
            seen.get(&f.rel).is_none_or(|old| {
                !old.looks_same(f.size, f.modified) || old.settings != f.settings.fingerprint()
            })
        })
        .cloned()
        .collect();

    let mut summary = BuildSummary::of_walk(&walk);
    summary.rebuilt_because = rebuilt_because;
    let mut tally = UpdateTally {
        unchanged: walk.files.len() - to_read.len(),
        removed: removed.len(),
        ..UpdateTally::default()
    };
    // Removed files: their articles, then their states.
    delete_articles_of(engine, &removed)?;
    let mut bulk = Bulk::new(engine);
    for rel in &removed {
        bulk.delete_state(rel);
    }
    bulk.flush()?;

    // No refreshes while loading (each makes a small segment to merge later); one at the end.
    set_refresh(engine, json!("-1"))?;
    let loaded = load_files(engine, config, &seen, &to_read, &mut summary, &mut tally);
    set_refresh(engine, Value::Null)?;
    let entries_changed = loaded? || !removed.is_empty();
    engine.request("POST", &format!("{}/_refresh", engine.index), None)?;

    let (stories, reprinted) = if entries_changed || first_load {
        update_stories(engine)?
    } else {
        count_stories(engine)?
    };
    summary.stories = stories;
    summary.reprinted_articles = reprinted;
    put_meta(engine, &meta)?;
    let unchanged_states = seen
        .values()
        .filter(|s| on_disk.contains(s.rel.as_str()))
        .filter(|s| !to_read.iter().any(|f| f.rel == s.rel));
    summary.still_skipped = crate::index::writer::still_skipped(unchanged_states);
    if !first_load && summary.rebuilt_because.is_none() {
        summary.update = Some(tally);
    }
    summary.index_articles = count(engine)?;
    summary.index_bytes = store_bytes(engine).unwrap_or(0);
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Sets the article index's refresh interval (`null`: the cluster's default).
fn set_refresh(engine: &Engine, interval: Value) -> Result<()> {
    engine.request(
        "PUT",
        &format!("{}/_settings", engine.index),
        Some(
            json!({"index": {"refresh_interval": interval}})
                .to_string()
                .as_bytes(),
        ),
    )?;
    Ok(())
}

/// Reads the files in parallel, a chunk at a time, and sends their articles and states.
/// Returns whether any article was added or replaced.
fn load_files(
    engine: &Engine,
    config: &BuildConfig,
    seen: &HashMap<String, FileState>,
    to_read: &[CorpusFile],
    summary: &mut BuildSummary,
    tally: &mut UpdateTally,
) -> Result<bool> {
    let say = |line: String| {
        if config.verbose {
            eprintln!("{line}");
        }
    };
    let mut bulk = Bulk::new(engine);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut entries_changed = false;
    let mut progress = 0usize;
    for chunk in to_read.chunks(FILES_AT_ONCE) {
        let read: Vec<Outcome> = pool.install(|| {
            chunk
                .par_iter()
                .map(|f| read_one(f, &config.read))
                .collect()
        });
        // A file read before whose content changed: its old articles go first.
        let changed: Vec<String> = read
            .iter()
            .filter_map(|o| {
                let old = seen.get(o.rel())?;
                (o.key() != Some((old.hash, old.settings))).then(|| o.rel().to_string())
            })
            .collect();
        delete_articles_of(engine, &changed)?;
        for outcome in read {
            let old = seen.get(outcome.rel());
            let same_content = old.is_some_and(|s| outcome.key() == Some((s.hash, s.settings)));
            match (old, same_content) {
                (None, _) => tally.new += 1,
                (Some(_), false) => tally.changed += 1,
                (Some(_), true) => tally.unchanged += 1,
            }
            match outcome {
                Outcome::Read {
                    state,
                    docs,
                    bytes,
                    found,
                } => {
                    summary.files_read += 1;
                    summary.bytes_read += bytes;
                    summary.articles += docs.len();
                    let t = summary.formats.entry(found.format.to_string()).or_default();
                    t.files += 1;
                    t.records += found.records;
                    t.articles += docs.len();
                    for note in found.notes {
                        say(format!("{}: warning: {note}", state.rel));
                        summary.flagged.push(FileNote {
                            path: state.rel.clone(),
                            reason: note,
                        });
                    }
                    if found.replaced > 0 {
                        let reason = format!(
                            "decoded as {} with {} invalid byte sequence(s) replaced by U+FFFD",
                            found.encoding, found.replaced
                        );
                        say(format!("{}: warning: {reason}", state.rel));
                        summary.flagged.push(FileNote {
                            path: state.rel.clone(),
                            reason,
                        });
                    }
                    if !same_content {
                        entries_changed = true;
                        for doc in docs {
                            bulk.index_article(doc)?;
                        }
                    }
                    bulk.put_state(state)?;
                }
                Outcome::Problem {
                    rel,
                    state,
                    problem,
                } => {
                    summary.files_skipped += 1;
                    let reason = problem.to_string();
                    say(format!("{rel}: skipped: {reason}"));
                    summary.skipped.push(FileNote { path: rel, reason });
                    if let Some(state) = state {
                        bulk.put_state(state)?;
                    }
                }
            }
        }
        progress += chunk.len();
        if config.verbose && to_read.len() > FILES_AT_ONCE {
            eprintln!(
                "loading: {progress}/{} files, {} articles",
                to_read.len(),
                summary.articles
            );
        }
    }
    bulk.flush()?;
    Ok(entries_changed)
}

/// What reading one file gave.
enum Outcome {
    Read {
        state: FileState,
        docs: Vec<Prepared>,
        bytes: u64,
        found: corpus::FileArticles,
    },
    Problem {
        rel: String,
        state: Option<FileState>,
        problem: FileProblem,
    },
}

impl Outcome {
    fn rel(&self) -> &str {
        match self {
            Outcome::Read { state, .. } => &state.rel,
            Outcome::Problem { rel, .. } => rel,
        }
    }

    /// What tells a file's reading apart: its content's hash and its settings' fingerprint.
    fn key(&self) -> Option<(u64, u64)> {
        match self {
            Outcome::Read { state, .. } => Some((state.hash, state.settings)),
            Outcome::Problem { state, .. } => state.as_ref().map(|s| (s.hash, s.settings)),
        }
    }
}

/// Reads one file as the embedded index writer does ([`read_with_state`]).
fn read_one(file: &CorpusFile, read: &ReadOptions) -> Outcome {
    match read_with_state(file, read) {
        Ok((state, mut found)) => {
            let docs: Vec<Prepared> = found.articles.iter().map(prepare).collect();
            found.articles = Vec::new();
            Outcome::Read {
                state,
                bytes: found.bytes,
                docs,
                found,
            }
        }
        Err((state, problem)) => Outcome::Problem {
            rel: file.rel.clone(),
            state,
            problem,
        },
    }
}

/// Bulk bodies for the article index and the files index, each sent when full. A file's
/// state waits until the articles queued before it are acknowledged.
struct Bulk<'a> {
    engine: &'a Engine,
    articles: String,
    states: String,
}

impl<'a> Bulk<'a> {
    fn new(engine: &'a Engine) -> Bulk<'a> {
        Bulk {
            engine,
            articles: String::new(),
            states: String::new(),
        }
    }

    fn index_article(&mut self, p: Prepared) -> Result<()> {
        push_line(&mut self.articles, &json!({"index": {"_id": p.id}}));
        push_line(&mut self.articles, &Value::Object(p.doc));
        if self.articles.len() >= BULK_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn put_state(&mut self, s: FileState) -> Result<()> {
        push_line(
            &mut self.states,
            &json!({"index": {"_id": state_id(&s.rel)}}),
        );
        push_line(
            &mut self.states,
            &json!({
                "path": s.rel,
                "size": s.size,
                "modified": s.modified,
                "hash": format!("{:016x}", s.hash),
                "settings": format!("{:016x}", s.settings),
                "articles": s.articles,
                "skipped": s.skipped,
            }),
        );
        if self.states.len() >= BULK_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn delete_state(&mut self, rel: &str) {
        push_line(&mut self.states, &json!({"delete": {"_id": state_id(rel)}}));
    }

    /// Sends the articles, then the states of the files they came from.
    fn flush(&mut self) -> Result<()> {
        if !self.articles.is_empty() {
            send_bulk(
                self.engine,
                &self.engine.index,
                std::mem::take(&mut self.articles),
            )?;
        }
        if !self.states.is_empty() {
            send_bulk(
                self.engine,
                &self.engine.files_index(),
                std::mem::take(&mut self.states),
            )?;
        }
        Ok(())
    }
}

fn push_line(body: &mut String, value: &Value) {
    body.push_str(&value.to_string());
    body.push('\n');
}

/// A file's document id in `<name>-files`: its path's hash (a path may be longer than an id
/// may be).
fn state_id(rel: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(rel.as_bytes()))
}

/// Sends one bulk body; items the engine refused as too busy (429) are sent again, with the
/// engine's retries' pause; any other refused item is an error naming the first one.
fn send_bulk(engine: &Engine, index: &str, body: String) -> Result<()> {
    let mut body = body;
    for attempt in 0..super::TRIES {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_millis(500 << (attempt - 1)));
        }
        let answer = engine.request("POST", &format!("{index}/_bulk"), Some(body.as_bytes()))?;
        if answer.get("errors") != Some(&Value::Bool(true)) {
            return Ok(());
        }
        let items = answer
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let lines: Vec<&str> = body.lines().collect();
        // Each item answers one action line; an action with a document takes two lines.
        let mut retry = String::new();
        let mut line = 0;
        for item in &items {
            let Some((action, result)) = item.as_object().and_then(|o| o.iter().next()) else {
                continue;
            };
            let width = if action == "delete" { 1 } else { 2 };
            let status = result.get("status").and_then(Value::as_u64).unwrap_or(0);
            let missing_delete = action == "delete" && status == 404;
            if status >= 300 && !missing_delete {
                if status == 429 || status == 503 {
                    for l in lines.iter().skip(line).take(width) {
                        retry.push_str(l);
                        retry.push('\n');
                    }
                } else {
                    let reason = result
                        .pointer("/error/reason")
                        .and_then(Value::as_str)
                        .unwrap_or("refused");
                    let id = result.get("_id").and_then(Value::as_str).unwrap_or("?");
                    return Err(engine.error(format!(
                        "the engine refused {action} of {id} into {index}: HTTP {status}: {reason}"
                    )));
                }
            }
            line += width;
        }
        if retry.is_empty() {
            return Ok(());
        }
        body = retry;
    }
    Err(engine.error(format!(
        "{index}: the engine was still too busy to take some documents after {} tries; run the same command again to finish the load",
        super::TRIES
    )))
}

/// Deletes the articles of these files (by path) and waits until the deletion is visible.
/// The ids are looked up and deleted in bulk (`_delete_by_query` belongs to a module that a
/// cluster may not have).
fn delete_articles_of(engine: &Engine, paths: &[String]) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::new();
    for batch in paths.chunks(1000) {
        read_all(
            engine,
            &engine.index,
            "id",
            &["id"],
            json!({"terms": {"path": batch}}),
            |hit| {
                if let Some(id) = hit.get("_id").and_then(Value::as_str) {
                    ids.push(id.to_string());
                }
            },
        )?;
    }
    let mut body = String::new();
    for id in ids {
        push_line(&mut body, &json!({"delete": {"_id": id}}));
        if body.len() >= BULK_BYTES {
            send_bulk(engine, &engine.index, std::mem::take(&mut body))?;
        }
    }
    if !body.is_empty() {
        send_bulk(engine, &engine.index, body)?;
    }
    engine.request("POST", &format!("{}/_refresh", engine.index), None)?;
    Ok(())
}

/// Creates the article index with our mapping (the export's, `data/scaleout/`, and the
/// fields [`extra_properties`] adds) and the files index, where they are absent.
fn create_indexes(engine: &Engine, layout: Layout) -> Result<()> {
    let (status, _) = engine.request_status("HEAD", &engine.index, None)?;
    if status == 404 {
        let template = crate::scaleout::opensearch_template();
        let mut settings = template
            .pointer("/template/settings")
            .cloned()
            .unwrap_or_else(|| json!({}));
        if let Some(s) = settings.as_object_mut() {
            if let Some(n) = layout.shards {
                s.insert("number_of_shards".into(), json!(n));
            }
            if let Some(n) = layout.replicas {
                s.insert("number_of_replicas".into(), json!(n));
            }
        }
        let mut mappings = template
            .pointer("/template/mappings")
            .cloned()
            .unwrap_or_else(|| json!({}));
        if let Some(props) = mappings
            .get_mut("properties")
            .and_then(Value::as_object_mut)
        {
            props.extend(extra_properties());
            // The text as printed is for showing: searches read the *_norm fields, so the
            // cluster does not analyse the text a second time.
            for shown in ["title", "text"] {
                props.insert(shown.into(), json!({"type": "text", "index": false}));
            }
        }
        let body = json!({"settings": settings, "mappings": mappings});
        create(engine, &engine.index, &body)?;
    }
    let files = engine.files_index();
    let (status, _) = engine.request_status("HEAD", &files, None)?;
    if status == 404 {
        let mut settings = Map::new();
        settings.insert("number_of_shards".into(), json!(1));
        if let Some(n) = layout.replicas {
            settings.insert("number_of_replicas".into(), json!(n));
        }
        let body = json!({
            "settings": settings,
            "mappings": {"dynamic": "strict", "properties": {
                "path": {"type": "keyword"},
                "size": {"type": "long"},
                "modified": {"type": "long"},
                "hash": {"type": "keyword", "index": false},
                "settings": {"type": "keyword", "index": false},
                "articles": {"type": "long"},
                "skipped": {"type": "keyword", "index": false},
                "meta": {"type": "object", "enabled": false},
            }}
        });
        create(engine, &files, &body)?;
    }
    Ok(())
}

fn create(engine: &Engine, index: &str, body: &Value) -> Result<()> {
    let (status, text) = engine.request_status("PUT", index, Some(body.to_string().as_bytes()))?;
    // Another load may have created it in the meantime.
    if (200..300).contains(&status) || text.contains("resource_already_exists_exception") {
        Ok(())
    } else {
        Err(engine.error(format!(
            "cannot create the index {index}: HTTP {status}: {}",
            super::reason_of(&text)
        )))
    }
}

/// The document version of the cluster's last load (1 before it was written down, 0 when
/// nothing was loaded).
pub(crate) fn document_version(engine: &Engine) -> Result<u64> {
    Ok(match read_meta(engine)? {
        Some(meta) => meta.get("document").and_then(Value::as_u64).unwrap_or(1),
        None => 0,
    })
}

fn read_meta(engine: &Engine) -> Result<Option<Value>> {
    let (status, text) = engine.request_status(
        "GET",
        &format!("{}/_doc/{META_ID}", engine.files_index()),
        None,
    )?;
    if status == 404 {
        return Ok(None);
    }
    let doc: Value = super::parse_json(&text).map_err(|e| engine.error(e))?;
    Ok(doc.pointer("/_source/meta").cloned())
}

fn put_meta(engine: &Engine, meta: &Value) -> Result<()> {
    engine.request(
        "PUT",
        &format!("{}/_doc/{META_ID}?refresh=true", engine.files_index()),
        Some(json!({"meta": meta}).to_string().as_bytes()),
    )?;
    Ok(())
}

/// Every document of an index, a page at a time in `_id`-independent order (sorted by
/// `sort`), with only the fields asked for.
fn read_all(
    engine: &Engine,
    index: &str,
    sort: &str,
    fields: &[&str],
    query: Value,
    mut each: impl FnMut(&Value),
) -> Result<()> {
    let mut after: Option<Value> = None;
    loop {
        let mut body = json!({
            "size": PAGE,
            "query": query,
            "_source": fields,
            "sort": [{sort: "asc"}],
            "track_total_hits": false,
        });
        if let Some(a) = &after {
            body["search_after"] = a.clone();
        }
        let answer = engine.request(
            "POST",
            &format!("{index}/_search"),
            Some(body.to_string().as_bytes()),
        )?;
        let hits = answer
            .pointer("/hits/hits")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for hit in &hits {
            each(hit);
        }
        if hits.len() < PAGE {
            return Ok(());
        }
        after = hits.last().and_then(|h| h.get("sort")).cloned();
    }
}

/// The files the cluster holds articles of, by path.
fn read_states(engine: &Engine) -> Result<HashMap<String, FileState>> {
    let mut states = HashMap::new();
    read_all(
        engine,
        &engine.files_index(),
        "path",
        &[
            "path", "size", "modified", "hash", "settings", "articles", "skipped",
        ],
        json!({"exists": {"field": "path"}}),
        |hit| {
            let s = &hit["_source"];
            let Some(rel) = s.get("path").and_then(Value::as_str) else {
                return;
            };
            states.insert(
                rel.to_string(),
                FileState {
                    rel: rel.to_string(),
                    size: s.get("size").and_then(Value::as_u64).unwrap_or(0),
                    modified: s.get("modified").and_then(Value::as_u64).unwrap_or(0),
                    hash: s
                        .get("hash")
                        .and_then(Value::as_str)
                        .and_then(|h| u64::from_str_radix(h, 16).ok())
                        .unwrap_or(0),
                    settings: s
                        .get("settings")
                        .and_then(Value::as_str)
                        .and_then(|h| u64::from_str_radix(h, 16).ok())
                        .unwrap_or(0),
                    articles: s.get("articles").and_then(Value::as_u64).unwrap_or(0) as usize,
                    skipped: s.get("skipped").and_then(Value::as_str).map(str::to_string),
                },
            );
        },
    )?;
    Ok(states)
}

/// Finds the stories over every article in the cluster and updates the articles whose
/// story changed. Returns the stories of several articles and the articles in them.
fn update_stories(engine: &Engine) -> Result<(usize, usize)> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut stored: HashMap<String, String> = HashMap::new();
    read_all(
        engine,
        &engine.index,
        "id",
        &["id", "story_day", "source", "signature", "story"],
        json!({"match_all": {}}),
        |hit| {
            let s = &hit["_source"];
            let Some(id) = s.get("id").and_then(Value::as_str) else {
                return;
            };
            if let Some(story) = s.get("story").and_then(Value::as_str) {
                stored.insert(id.to_string(), story.to_string());
            }
            entries.push(Entry {
                id: id.to_string(),
                day: s.get("story_day").and_then(Value::as_i64),
                source: s.get("source").and_then(Value::as_str).map(str::to_string),
                signature: s
                    .get("signature")
                    .and_then(Value::as_str)
                    .and_then(decode_signature),
            });
        },
    )?;
    // find_stories expects the entries in id order, as the embedded index keeps them.
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let stories = find_stories(&entries);
    let mut story_of: HashMap<&str, &str> = HashMap::new();
    for story in &stories {
        for article in &story.articles {
            story_of.insert(article, story.id());
        }
    }
    let mut body = String::new();
    for e in &entries {
        let want = story_of.get(e.id.as_str()).copied().unwrap_or(&e.id);
        if stored.get(&e.id).map(String::as_str) != Some(want) {
            push_line(&mut body, &json!({"update": {"_id": e.id}}));
            push_line(&mut body, &json!({"doc": {"story": want}}));
            if body.len() >= BULK_BYTES {
                send_bulk(engine, &engine.index, std::mem::take(&mut body))?;
            }
        }
    }
    if !body.is_empty() {
        send_bulk(engine, &engine.index, body)?;
    }
    engine.request("POST", &format!("{}/_refresh", engine.index), None)?;
    Ok((
        stories.len(),
        stories.iter().map(|s| s.articles.len()).sum(),
    ))
}

/// The stories of several articles and the articles in them, as the cluster holds them
/// (when nothing changed, nothing is found again).
fn count_stories(engine: &Engine) -> Result<(usize, usize)> {
    let mut per_story: HashMap<String, usize> = HashMap::new();
    read_all(
        engine,
        &engine.index,
        "id",
        &["story"],
        json!({"match_all": {}}),
        |hit| {
            if let Some(s) = hit.pointer("/_source/story").and_then(Value::as_str) {
                *per_story.entry(s.to_string()).or_default() += 1;
            }
        },
    )?;
    let several: Vec<usize> = per_story.into_values().filter(|&n| n > 1).collect();
    Ok((several.len(), several.iter().sum()))
}

/// What a loaded cluster index holds, for `serve`'s `/api/health`.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub articles: usize,
    /// Files whose articles are in it.
    pub files: usize,
    /// The corpus folder the last load read, as it was given.
    pub corpus: String,
}

/// What the cluster index holds now; an error advises a load when it is not there.
pub fn loaded(engine: &Engine) -> Result<Loaded> {
    let (status, _) = engine.request_status("HEAD", &engine.index, None)?;
    if status == 404 {
        return Err(Error::user(format!(
            "the cluster has no index `{}`; load a corpus into it first: corpus-search index --corpus DIR --engine {engine}",
            engine.index
        )));
    }
    let files = engine
        .request(
            "POST",
            &format!("{}/_count", engine.files_index()),
            Some(
                json!({"query": {"exists": {"field": "path"}}})
                    .to_string()
                    .as_bytes(),
            ),
        )?
        .get("count")
        .and_then(Value::as_u64)
        .unwrap_or(0) as usize;
    let corpus = read_meta(engine)?
        .and_then(|m| m.get("corpus").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default();
    Ok(Loaded {
        articles: count(engine)?,
        files,
        corpus,
    })
}

/// Articles in the index.
pub fn count(engine: &Engine) -> Result<usize> {
    let answer = engine.request("GET", &format!("{}/_count", engine.index), None)?;
    Ok(answer.get("count").and_then(Value::as_u64).unwrap_or(0) as usize)
}

fn store_bytes(engine: &Engine) -> Result<u64> {
    let answer = engine.request("GET", &format!("{}/_stats/store", engine.index), None)?;
    Ok(answer
        .pointer("/_all/total/store/size_in_bytes")
        .and_then(Value::as_u64)
        .unwrap_or(0))
}
