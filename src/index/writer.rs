//! Builds an index from a corpus: walk, then for every file in parallel read -> decode ->
//! clean -> split -> facets (rayon, all cores), while tantivy's writer threads segment and
//! index what arrives. One bad file is reported on stderr, counted and skipped; the rest is
//! indexed. The new generation goes live only when complete (see `index`).

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};
use tantivy_jieba::jieba_rs::Jieba;

use crate::corpus::{
    self, walk_corpus, Article, CorpusFile, FileProblem, ReadOptions, WalkOptions,
};
use crate::facets::{facets_of_normalized, FacetField, Seen};
use crate::index::schema::{build_schema, date_value, Fields, FORMAT_VERSION};
use crate::index::{
    current_generation, register_tokenizers_with, IndexMeta, CURRENT_FILE, LOCK_FILE, META_FILE,
};
use crate::text::normalize::normalize_str;
use crate::text::tokenize::{build_jieba, pre_cut, CharTokenizer};
use crate::{Error, Result};

#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub corpus: PathBuf,
    pub index: PathBuf,
    pub read: ReadOptions,
    pub walk: WalkOptions,
    /// Reading threads (0 = one per core); tantivy's writer gets half as many, at least one.
    pub threads: usize,
    /// tantivy writer memory budget, in bytes, shared by its threads.
    pub writer_heap: usize,
    /// Extra jieba dictionaries (their text).
    pub extra_dicts: Vec<String>,
    /// Print a progress bar and per-file problems on stderr.
    pub verbose: bool,
}

/// A file that was not indexed, or was indexed with a warning.
#[derive(Debug, Clone, Serialize)]
pub struct FileNote {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildSummary {
    pub files_read: usize,
    pub articles: usize,
    pub files_skipped: usize,
    pub bytes_read: u64,
    pub seconds: f64,
    pub index_bytes: u64,
    pub skipped: Vec<FileNote>,
    pub flagged: Vec<FileNote>,
    /// Files, records and articles read per format (`text`, `html`, `jsonl` ...).
    pub formats: std::collections::BTreeMap<String, FormatTally>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FormatTally {
    pub files: usize,
    pub records: usize,
    pub articles: usize,
}

enum Outcome {
    Read {
        rel: String,
        /// Each document with the bytes of text its character view will cut.
        docs: Vec<(TantivyDocument, u64)>,
        bytes: u64,
        replaced: usize,
        encoding: &'static str,
        format: &'static str,
        records: usize,
        notes: Vec<String>,
    },
    Problem {
        rel: String,
        problem: FileProblem,
    },
}

/// Holds `.lock` for the life of a build.
struct BuildLock {
    _file: fs::File,
}

fn lock_index_dir(dir: &Path) -> Result<BuildLock> {
    let path = dir.join(LOCK_FILE);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(BuildLock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => Err(Error::Locked(dir.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix("gen-")?.parse().ok()
}

/// Removes generations other than `keep` (left by interrupted or superseded builds).
fn remove_other_generations(dir: &Path, keep: &[&Path]) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if generation_number(&name).is_some() && !keep.iter().any(|k| *k == path) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Builds the index from scratch into a new generation and makes it current.
pub fn build_index(config: &BuildConfig) -> Result<BuildSummary> {
    let started = Instant::now();
    if config.index.exists() && !config.index.is_dir() {
        return Err(Error::user(format!(
            "{} is a file, not an index directory; choose another path with --index DIR",
            config.index.display()
        )));
    }
    // A directory with other things in it is not ours to fill.
    if config.index.is_dir() && current_generation(&config.index)?.is_none() {
        let foreign = fs::read_dir(&config.index)
            .map_err(|e| Error::io(&config.index, e))?
            .filter_map(|e| e.ok())
            .any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n != LOCK_FILE && generation_number(&n).is_none() && !n.starts_with(".tmp")
            });
        if foreign {
            return Err(Error::user(format!(
                "{} already holds files that are not a corpus-search index; choose an empty or new directory with --index DIR",
                config.index.display()
            )));
        }
    }
    fs::create_dir_all(&config.index).map_err(|e| Error::io(&config.index, e))?;
    let _lock = lock_index_dir(&config.index)?;
    let live = current_generation(&config.index)?;
    remove_other_generations(
        &config.index,
        &live.iter().map(|p| p.as_path()).collect::<Vec<_>>(),
    );

    let walk = walk_corpus(&config.corpus, config.walk)?;
    let next = fs::read_dir(&config.index)
        .map_err(|e| Error::io(&config.index, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| generation_number(&e.file_name().to_string_lossy()))
        .max()
        .unwrap_or(0)
        + 1;
    let gen_name = format!("gen-{next:06}");
    let gen_dir = config.index.join(&gen_name);
    let result = build_generation(config, &walk, &gen_dir, started);
    match result {
        Ok(summary) => {
            // Make it current: write, sync, rename (atomic), sync the directory.
            let tmp = config.index.join(".tmp-CURRENT");
            let write = || -> std::io::Result<()> {
                let mut f = fs::File::create(&tmp)?;
                f.write_all(format!("{gen_name}\n").as_bytes())?;
                f.sync_all()?;
                fs::rename(&tmp, config.index.join(CURRENT_FILE))?;
                Ok(())
            };
            write().map_err(|e| Error::io(config.index.join(CURRENT_FILE), e))?;
            sync_dir(&config.index);
            remove_other_generations(&config.index, &[gen_dir.as_path()]);
            Ok(summary)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&gen_dir);
            Err(e)
        }
    }
}

fn build_generation(
    config: &BuildConfig,
    walk: &corpus::Walk,
    gen_dir: &Path,
    started: Instant,
) -> Result<BuildSummary> {
    fs::create_dir_all(gen_dir).map_err(|e| Error::io(gen_dir, e))?;
    let (index, fields) = create_index(gen_dir)?;
    let jieba = build_jieba(&config.extra_dicts)?;
    // Bytes of normalised text handed to tantivy, and bytes its indexing thread has cut:
    // the difference is what waits in tantivy's queue (up to 10,000 documents of any size),
    // kept under MAX_QUEUED_BYTES so that memory stays bounded however long the articles.
    let consumed = Arc::new(AtomicU64::new(0));
    let mut handed_over: u64 = 0;
    register_tokenizers_with(&index, CharTokenizer::counting(consumed.clone()));
    let threads = reading_threads(config.threads);
    let writer = start_writer(&index, threads, config.writer_heap)?;

    let progress = progress_bar(config.verbose, walk.files.len());
    let say = |line: String| {
        if config.verbose {
            progress.suspend(|| eprintln!("{line}"));
        }
    };
    let mut summary = BuildSummary::of_walk(walk);
    for s in &summary.skipped {
        say(format!("{}: skipped: {}", s.path, s.reason));
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Internal(format!("cannot start reader threads: {e}")))?;
    let (tx, rx) = crossbeam_channel::bounded::<Outcome>(512);
    let mut add_error: Option<Error> = None;
    std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.install(|| {
                walk.files.par_iter().for_each_with(tx, |tx, file| {
                    let _ = tx.send(process_file(file, &config.read, &fields, &jieba));
                });
            });
        });
        for outcome in rx.iter() {
            progress.inc(1);
            for doc in summary.record(outcome, &say) {
                if add_error.is_none() {
                    handed_over += doc.1;
                    wait_for_indexer(&consumed, handed_over);
                    if let Err(e) = writer.add_document(doc.0) {
                        add_error = Some(e.into());
                    }
                }
            }
        }
    });
    progress.finish_and_clear();
    if let Some(e) = add_error {
        return Err(e);
    }
    commit_and_merge(writer, &index, gen_dir)?;
    write_meta(config, &summary, gen_dir)?;
    summary.index_bytes = dir_size(gen_dir);
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// A new tantivy index of this version's schema in `dir`.
fn create_index(dir: &Path) -> Result<(Index, Fields)> {
    let (schema, fields) = build_schema();
    let index = Index::builder()
        .schema(schema)
        .settings(IndexSettings {
            // Chinese text barely shrinks under lz4; zstd on larger blocks stores it in about
            // half the space, and a stored article is read only for the hits shown.
            docstore_compression: Compressor::Zstd(ZstdCompressor {
                compression_level: None,
            }),
            docstore_blocksize: 64 * 1024,
            ..IndexSettings::default()
        })
        .create_in_dir(dir)?;
    Ok((index, fields))
}

/// Reading threads: as asked, or one per core.
fn reading_threads(asked: usize) -> usize {
    if asked > 0 {
        return asked;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// tantivy's writer for a build with this many reading threads.
fn start_writer(
    index: &Index,
    threads: usize,
    heap: usize,
) -> Result<IndexWriter<TantivyDocument>> {
    // The reading threads do everything but tantivy's own work (see `to_document`), so
    // one tantivy thread per two reading threads keeps the cores busy. Fewer tantivy threads
    // also mean fewer segments to merge at the end: at one thread, a corpus that fits in
    // the writer's memory becomes one segment directly.
    let index_threads = (threads / 2).max(1);
    let writer = index.writer_with_num_threads::<TantivyDocument>(
        index_threads,
        heap.max(index_threads * 20_000_000),
    )?;
    // No merges while indexing: they would compete with indexing for the cores, and a merge
    // of large segments maps them all into memory. See the end of the build.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    Ok(writer)
}

/// A progress bar on stderr when it is a terminal and the build is verbose; hidden otherwise.
fn progress_bar(verbose: bool, files: usize) -> ProgressBar {
    let show = verbose && std::io::stderr().is_terminal();
    let progress = ProgressBar::with_draw_target(
        Some(files as u64),
        if show {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} indexing [{bar:30}] {pos}/{len} files  {per_sec}  eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    progress
}

impl BuildSummary {
    /// The summary before any file is read: what the walk passed over.
    fn of_walk(walk: &corpus::Walk) -> BuildSummary {
        BuildSummary {
            files_read: 0,
            articles: 0,
            files_skipped: walk.skipped.len(),
            bytes_read: 0,
            seconds: 0.0,
            index_bytes: 0,
            skipped: walk
                .skipped
                .iter()
                .map(|s| FileNote {
                    path: s.rel.clone(),
                    reason: s.reason.clone(),
                })
                .collect(),
            flagged: Vec::new(),
            formats: Default::default(),
        }
    }

    /// Counts one file's outcome, says its warnings, and returns its documents to index
    /// (each with the bytes of text its character view will cut).
    fn record(&mut self, outcome: Outcome, say: &dyn Fn(String)) -> Vec<(TantivyDocument, u64)> {
        match outcome {
            Outcome::Read {
                rel,
                docs,
                bytes,
                replaced,
                encoding,
                format,
                records,
                notes,
            } => {
                self.files_read += 1;
                self.bytes_read += bytes;
                self.articles += docs.len();
                let tally = self.formats.entry(format.to_string()).or_default();
                tally.files += 1;
                tally.records += records;
                tally.articles += docs.len();
                for note in notes {
                    say(format!("{rel}: warning: {note}"));
                    self.flagged.push(FileNote {
                        path: rel.clone(),
                        reason: note,
                    });
                }
                if replaced > 0 {
                    let reason = format!(
                        "decoded as {encoding} with {replaced} invalid byte sequence(s) replaced by U+FFFD"
                    );
                    say(format!("{rel}: warning: {reason}"));
                    self.flagged.push(FileNote { path: rel, reason });
                }
                docs
            }
            Outcome::Problem { rel, problem } => {
                self.files_skipped += 1;
                let reason = problem.to_string();
                say(format!("{rel}: skipped: {reason}"));
                self.skipped.push(FileNote { path: rel, reason });
                Vec::new()
            }
        }
    }
}

/// Commits what was added, then merges the segments into one when that is cheap.
fn commit_and_merge(
    mut writer: IndexWriter<TantivyDocument>,
    index: &Index,
    gen_dir: &Path,
) -> Result<()> {
    writer.commit()?;
    // One segment when that is cheap: the term dictionaries of several segments repeat most
    // bigrams, and a query visits one segment instead of several. A merge reads every segment
    // it merges (mapped into memory), so a large index keeps its segments (one per writer
    // heap of text) and memory stays bounded whatever the corpus size. The merge happens
    // before the swap, so nobody waits for it.
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 && dir_size(gen_dir) <= MERGE_AT_MOST_BYTES {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(())
}

/// Writes and syncs the generation's `corpus-search.json`.
fn write_meta(config: &BuildConfig, summary: &BuildSummary, gen_dir: &Path) -> Result<()> {
    let meta = IndexMeta {
        format: FORMAT_VERSION,
        built_by: format!("corpus-search {}", env!("CARGO_PKG_VERSION")),
        corpus: config.corpus.display().to_string(),
        files_read: summary.files_read,
        articles: summary.articles,
        files_skipped: summary.files_skipped,
        extra_dicts: config.extra_dicts.clone(),
    };
    let meta_path = gen_dir.join(META_FILE);
    let json = serde_json::to_string_pretty(&meta).map_err(|e| Error::Internal(e.to_string()))?;
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&meta_path)?;
        f.write_all(json.as_bytes())?;
        f.sync_all()
    };
    write().map_err(|e| Error::io(&meta_path, e))?;
    sync_dir(gen_dir);
    Ok(())
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn process_file(file: &CorpusFile, read: &ReadOptions, fields: &Fields, jieba: &Jieba) -> Outcome {
    match corpus::read_file(file, read) {
        Ok(found) => Outcome::Read {
            rel: file.rel.clone(),
            docs: found
                .articles
                .iter()
                .map(|a| to_document(a, fields, jieba))
                .collect(),
            bytes: found.bytes,
            replaced: found.replaced,
            encoding: found.encoding,
            format: found.format,
            records: found.records,
            notes: found.notes,
        },
        Err(problem) => Outcome::Problem {
            rel: file.rel.clone(),
            problem,
        },
    }
}

/// The largest index whose segments are merged into one at the end of a build.
const MERGE_AT_MOST_BYTES: u64 = 256 * 1024 * 1024;

/// The most text (bytes) handed to tantivy and not yet indexed.
const MAX_QUEUED_BYTES: u64 = 64 * 1024 * 1024;

/// Waits while more than [`MAX_QUEUED_BYTES`] of handed-over text is still queued in
/// tantivy. Gives up waiting if the indexing thread makes no progress for a minute (it
/// has failed; the next `add_document` reports why).
fn wait_for_indexer(consumed: &AtomicU64, handed_over: u64) {
    let mut last = consumed.load(Ordering::Relaxed);
    let mut since = Instant::now();
    while handed_over.saturating_sub(last) > MAX_QUEUED_BYTES {
        std::thread::sleep(std::time::Duration::from_millis(1));
        let now = consumed.load(Ordering::Relaxed);
        if now != last {
            last = now;
            since = Instant::now();
        } else if since.elapsed().as_secs() >= 60 {
            return;
        }
    }
}

/// The text views are prepared here, on the reading threads: the title and body are
/// normalised once and cut by jieba, so tantivy's indexing thread only splits them.
/// Returns the document and the bytes of text in its character view.
pub fn to_document(article: &Article, f: &Fields, jieba: &Jieba) -> (TantivyDocument, u64) {
    let title = normalize_str(&article.title);
    let body = normalize_str(&article.body);
    let facets = facets_of_normalized(Seen {
        title: &title,
        body: &body,
        ..Seen::from(article)
    });
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &article.id);
    doc.add_text(f.path, &article.path);
    doc.add_text(f.title, &article.title);
    doc.add_text(f.body, &article.body);
    doc.add_text(f.title_words, pre_cut(jieba, &title));
    doc.add_text(f.body_words, pre_cut(jieba, &body));
    let extra = normalize_str(&article.extra);
    if !extra.is_empty() {
        doc.add_text(f.body_words, pre_cut(jieba, &extra));
    }
    // The title is cut twice: in the character view and in its own (`title:` queries).
    let text_bytes = (2 * title.len() + body.len() + extra.len()) as u64;
    doc.add_text(f.title_chars, &title);
    doc.add_text(f.chars, title);
    doc.add_text(f.chars, body);
    if !extra.is_empty() {
        doc.add_text(f.chars, extra);
    }
    doc.add_text(f.title_from, article.title_from);
    if let Some(found) = article.date {
        doc.add_date(f.date, date_value(found.date));
        doc.add_text(f.date_precision, found.precision.name());
        doc.add_text(f.date_from, found.from.name());
    }
    if let Some(url) = &article.url {
        doc.add_text(f.url, url);
    }
    for field in FacetField::ALL {
        for value in field.values(&facets) {
            doc.add_facet(f.facet(field), field.path_of(&value));
        }
    }
    (doc, text_bytes)
}
