//! Builds an index from a corpus: walk, then for every file in parallel read -> decode ->
//! clean -> split -> facets (rayon, all cores), while tantivy's writer threads segment and
//! index what arrives. One bad file is reported on stderr, counted and skipped; the rest is
//! indexed. The new generation goes live only when complete (see `index`).
//!
//! On an existing index, `index` updates: the files' manifest (`files.tsv`) tells which
//! files are new, changed (size or modification time, then the content hash) or gone; only
//! those are read. The new generation starts as hard links to the current one's segment
//! files (tantivy never rewrites a segment file, so both stay intact), the changed and gone
//! files' articles are deleted by path, the new ones added, all in one commit. Stories are
//! found again over every article's stored signature (`stories`). A different `--dict`,
//! reading option, corpus folder or index format makes a full build instead, and says why.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};
use tantivy_jieba::jieba_rs::Jieba;

use std::collections::{HashMap, HashSet};

use tantivy::Term;

use crate::corpus::{
    self, walk_corpus, Article, CorpusFile, FileProblem, ReadOptions, WalkOptions,
};
use crate::facets::{facets_of_normalized, FacetField, Facets, Seen};
use crate::index::manifest::{read_manifest, read_with_state, write_manifest, FileState};
use crate::index::schema::{build_schema, date_value, ExactView, Fields, FORMAT_VERSION};
use crate::index::{
    current_generation, register_tokenizers_with, IndexMeta, CURRENT_FILE, LOCK_FILE, META_FILE,
};
use crate::stories::{self, store as story_store, Entry, Signature};
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
    /// Build from scratch even when the index could be updated.
    pub rebuild: bool,
    /// How the character view is kept (`--exact-view`); an update keeps the build's.
    pub exact_view: ExactView,
    /// The reading options that change what is read (encoding, format, fields, size limit,
    /// links), as text: an update needs the same ones as the build it updates.
    pub reading: String,
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
    /// Files an earlier run skipped and this one did not read again, with the reason the
    /// manifest keeps: still skipped, though not named among `skipped`.
    pub still_skipped: Vec<FileNote>,
    pub flagged: Vec<FileNote>,
    /// Files, records and articles read per format (`text`, `html`, `jsonl` ...).
    pub formats: std::collections::BTreeMap<String, FormatTally>,
    /// What an update of an existing index found; None for a full build.
    pub update: Option<UpdateTally>,
    /// Why an existing index was built again from scratch instead of updated.
    pub rebuilt_because: Option<String>,
    /// Articles in the index after this run.
    pub index_articles: usize,
    /// Stories of more than one article (reprints), and the articles in them.
    pub stories: usize,
    pub reprinted_articles: usize,
}

/// Files an update found new, changed, removed and unchanged.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateTally {
    pub new: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
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
        state: FileState,
        /// Each document with the bytes of text its character view will cut.
        docs: Vec<(TantivyDocument, u64)>,
        entries: Vec<Entry>,
        bytes: u64,
        replaced: usize,
        encoding: &'static str,
        format: &'static str,
        records: usize,
        notes: Vec<String>,
    },
    Problem {
        rel: String,
        /// The file as seen, so that an unchanged broken file is not read again; None when
        /// it changed under the reader.
        state: Option<FileState>,
        problem: FileProblem,
    },
}

impl Outcome {
    fn rel(&self) -> &str {
        match self {
            Outcome::Read { rel, .. } | Outcome::Problem { rel, .. } => rel,
        }
    }
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

/// Builds the index, or updates it when it exists and can be updated, into a new generation,
/// and makes that current.
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
    let plan = match &live {
        None => Plan::Fresh(None),
        Some(gen) => plan_update(config, gen, &walk)?,
    };
    if let Plan::Update(update) = &plan {
        if update.is_empty() {
            return Ok(update.summary_of_nothing(&walk, started));
        }
    }
    let next = fs::read_dir(&config.index)
        .map_err(|e| Error::io(&config.index, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| generation_number(&e.file_name().to_string_lossy()))
        .max()
        .unwrap_or(0)
        + 1;
    let gen_name = format!("gen-{next:06}");
    let gen_dir = config.index.join(&gen_name);
    let result = match plan {
        Plan::Fresh(why) => build_generation(config, &walk, &gen_dir, started).map(|mut s| {
            s.rebuilt_because = why;
            s
        }),
        Plan::Update(update) => update_generation(config, &walk, *update, &gen_dir, started),
    };
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

/// A full build (with the reason an existing index is not updated), or an update.
enum Plan {
    Fresh(Option<String>),
    Update(Box<Update>),
}

/// What an update starts from and what it has to do.
struct Update {
    previous: PathBuf,
    meta: IndexMeta,
    /// The previous generation's files by path.
    files: HashMap<String, FileState>,
    /// Files to read: new, or with another size or modification time.
    to_read: Vec<CorpusFile>,
    /// Files of the previous generation that are gone.
    removed: Vec<String>,
}

impl Update {
    fn is_empty(&self) -> bool {
        self.to_read.is_empty() && self.removed.is_empty()
    }

    /// The summary of an update that found nothing to do (no new generation is made).
    fn summary_of_nothing(&self, walk: &corpus::Walk, started: Instant) -> BuildSummary {
        let mut summary = BuildSummary::of_walk(walk);
        summary.update = Some(UpdateTally {
            unchanged: self.files.len(),
            ..UpdateTally::default()
        });
        summary.index_articles = self.meta.articles;
        summary.stories = self.meta.stories;
        summary.reprinted_articles = self.meta.reprinted_articles;
        summary.index_bytes = dir_size(&self.previous);
        summary.seconds = started.elapsed().as_secs_f64();
        summary.still_skipped = still_skipped(self.files.values());
        summary
    }
}

/// Decides between updating the current generation and building afresh.
fn plan_update(config: &BuildConfig, previous: &Path, walk: &corpus::Walk) -> Result<Plan> {
    if config.rebuild {
        return Ok(Plan::Fresh(Some("--rebuild was given".into())));
    }
    let meta: Option<IndexMeta> = fs::read_to_string(previous.join(META_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let Some(meta) = meta else {
        return Ok(Plan::Fresh(Some(format!(
            "the current index's {META_FILE} cannot be read"
        ))));
    };
    let why = if meta.format != FORMAT_VERSION {
        Some(format!(
            "the index was built with index format {} and this version writes {FORMAT_VERSION}",
            meta.format
        ))
    } else if meta.extra_dicts != config.extra_dicts {
        Some("the --dict dictionaries differ from the last build's".into())
    } else if meta.exact_view != config.exact_view {
        Some(format!(
            "--exact-view {} was asked and the index keeps {}",
            config.exact_view.name(),
            meta.exact_view.name()
        ))
    } else if meta.reading != config.reading {
        Some(format!(
            "the reading options differ from the last build's ({} before, {} now)",
            meta.reading, config.reading
        ))
    } else if meta.corpus_path != corpus_path(&config.corpus) {
        Some(format!(
            "the corpus folder differs from the last build's ({})",
            meta.corpus
        ))
    } else {
        None
    };
    if why.is_some() {
        return Ok(Plan::Fresh(why));
    }
    let Some(manifest) = read_manifest(previous)? else {
        return Ok(Plan::Fresh(Some(
            "the index keeps no list of its files (built by an older version)".into(),
        )));
    };
    let files: HashMap<String, FileState> =
        manifest.into_iter().map(|f| (f.rel.clone(), f)).collect();
    let on_disk: HashSet<&str> = walk.files.iter().map(|f| f.rel.as_str()).collect();
    let mut removed: Vec<String> = files
        .keys()
        .filter(|rel| !on_disk.contains(rel.as_str()))
        .cloned()
        .collect();
    removed.sort();
    let to_read = walk
        .files
        .iter()
        .filter(|f| {
            files.get(&f.rel).is_none_or(|old| {
                !old.looks_same(f.size, f.modified) || old.settings != f.settings.fingerprint()
            })
        })
        .cloned()
        .collect();
    Ok(Plan::Update(Box::new(Update {
        previous: previous.to_path_buf(),
        meta,
        files,
        to_read,
        removed,
    })))
}

/// The corpus folder as an update compares it: its canonical path.
fn corpus_path(corpus: &Path) -> String {
    fs::canonicalize(corpus)
        .unwrap_or_else(|_| corpus.to_path_buf())
        .display()
        .to_string()
}

fn build_generation(
    config: &BuildConfig,
    walk: &corpus::Walk,
    gen_dir: &Path,
    started: Instant,
) -> Result<BuildSummary> {
    fs::create_dir_all(gen_dir).map_err(|e| Error::io(gen_dir, e))?;
    let (index, fields) = create_index(gen_dir, config.exact_view)?;
    let mut summary = BuildSummary::of_walk(walk);
    let read = read_files(config, &index, &fields, &walk.files, None, &mut summary)?;
    commit_and_merge(read.writer, &index, gen_dir)?;
    summary.index_articles = summary.articles;
    finish_generation(config, &mut summary, gen_dir, read.states, read.entries)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn update_generation(
    config: &BuildConfig,
    walk: &corpus::Walk,
    update: Update,
    gen_dir: &Path,
    started: Instant,
) -> Result<BuildSummary> {
    link_generation(&update.previous, gen_dir)?;
    let index = Index::open_in_dir(gen_dir)?;
    let fields = Fields::of(&index.schema()).map_err(|why| Error::BadIndex {
        path: update.previous.clone(),
        why,
    })?;
    let mut summary = BuildSummary::of_walk(walk);
    let read = read_files(
        config,
        &index,
        &fields,
        &update.to_read,
        Some(&update.files),
        &mut summary,
    )?;
    for rel in &update.removed {
        read.writer
            .delete_term(Term::from_field_text(fields.path, rel));
    }
    let mut tally = read.tally;
    tally.removed = update.removed.len();
    let replaced: HashSet<&str> = read
        .replaced
        .iter()
        .map(String::as_str)
        .chain(update.removed.iter().map(String::as_str))
        .collect();
    let read_now: HashSet<&str> = read.states.iter().map(|s| s.rel.as_str()).collect();
    // Files not read keep their state; their articles and signatures stay.
    let mut carried = Vec::new();
    for (rel, state) in &update.files {
        if !read_now.contains(rel.as_str()) && !replaced.contains(rel.as_str()) {
            carried.push(state.clone());
            if !read.kept.contains(rel) {
                tally.unchanged += 1;
            }
        }
    }
    summary.still_skipped = still_skipped(carried.iter());
    let mut states = read.states;
    states.extend(carried);
    tally.unchanged += read.kept.len();
    let mut entries: Vec<Entry> = story_store::read_entries(&update.previous)?
        .into_iter()
        .filter(|e| !replaced.contains(e.path()))
        .collect();
    entries.extend(read.entries);
    commit_and_merge_small(read.writer, &index)?;
    summary.index_articles = index.reader()?.searcher().num_docs() as usize;
    summary.update = Some(tally);
    finish_generation(config, &mut summary, gen_dir, states, entries)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Starts a generation as the previous one: hard links to its tantivy files (never
/// rewritten in place: tantivy replaces `meta.json` by renaming a new file over it), copies
/// where the file system cannot link. Our own files are written afresh at the end.
fn link_generation(previous: &Path, gen_dir: &Path) -> Result<()> {
    fs::create_dir_all(gen_dir).map_err(|e| Error::io(gen_dir, e))?;
    let ours = [
        META_FILE,
        crate::index::manifest::MANIFEST_FILE,
        story_store::ENTRIES_FILE,
        story_store::STORIES_FILE,
    ];
    for entry in fs::read_dir(previous).map_err(|e| Error::io(previous, e))? {
        let entry = entry.map_err(|e| Error::io(previous, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if ours.contains(&name.as_str()) || name.ends_with(".lock") || !entry.path().is_file() {
            continue;
        }
        let to = gen_dir.join(&name);
        let small = name == "meta.json" || name.starts_with('.');
        if small || fs::hard_link(entry.path(), &to).is_err() {
            fs::copy(entry.path(), &to).map_err(|e| Error::io(&to, e))?;
        }
    }
    Ok(())
}

/// What reading a set of files gave.
struct ReadFiles {
    writer: IndexWriter<TantivyDocument>,
    /// The files read (or found broken), as seen.
    states: Vec<FileState>,
    /// Story entries of the articles added.
    entries: Vec<Entry>,
    /// Files of the previous generation whose articles were deleted (changed).
    replaced: Vec<String>,
    /// Files of the previous generation read again and left as they were (same content, or
    /// changing under the reader).
    kept: HashSet<String>,
    tally: UpdateTally,
}

/// Reads files on all cores and adds their articles to the index; with the previous
/// generation's files (an update), deletes the old articles of the files that changed and
/// leaves those whose content is the same.
fn read_files(
    config: &BuildConfig,
    index: &Index,
    fields: &Fields,
    files: &[CorpusFile],
    previous: Option<&HashMap<String, FileState>>,
    summary: &mut BuildSummary,
) -> Result<ReadFiles> {
    let jieba = build_jieba(&config.extra_dicts)?;
    // Bytes of normalised text handed to tantivy, and bytes its indexing thread has cut:
    // the difference is what waits in tantivy's queue (up to 10,000 documents of any size),
    // kept under MAX_QUEUED_BYTES so that memory stays bounded however long the articles.
    let consumed = Arc::new(AtomicU64::new(0));
    let mut handed_over: u64 = 0;
    register_tokenizers_with(index, CharTokenizer::counting(consumed.clone()));
    let threads = reading_threads(config.threads);
    let writer = start_writer(index, threads, config.writer_heap)?;

    let progress = progress_bar(config.verbose, files.len());
    let mut log_lines = ProgressLines::new(config.verbose, files.len());
    let say = |line: String| {
        if config.verbose {
            progress.suspend(|| eprintln!("{line}"));
        }
    };
    for s in &summary.skipped {
        say(format!("{}: skipped: {}", s.path, s.reason));
    }
    let mut out = ReadFiles {
        writer,
        states: Vec::new(),
        entries: Vec::new(),
        replaced: Vec::new(),
        kept: HashSet::new(),
        tally: UpdateTally::default(),
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Internal(format!("cannot start reader threads: {e}")))?;
    let (tx, rx) = crossbeam_channel::bounded::<Outcome>(512);
    let mut add_error: Option<Error> = None;
    std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.install(|| {
                files.par_iter().for_each_with(tx, |tx, file| {
                    let _ = tx.send(process_file(file, &config.read, fields, &jieba));
                });
            });
        });
        for outcome in rx.iter() {
            log_lines.tick(progress.position(), summary);
            progress.inc(1);
            let old = previous.and_then(|p| p.get(outcome.rel()));
            if let Some(old) = old {
                if out.keeps(old, &outcome) {
                    // A file changing under the reader is reported; a touched one is not.
                    if matches!(outcome, Outcome::Problem { .. }) {
                        summary.record(outcome, &say);
                    }
                    continue;
                }
                out.tally.changed += 1;
                out.replaced.push(old.rel.clone());
                out.writer
                    .delete_term(Term::from_field_text(fields.path, &old.rel));
            } else {
                out.tally.new += 1;
            }
            let mut outcome = outcome;
            match &mut outcome {
                Outcome::Read { state, entries, .. } => {
                    out.states.push(state.clone());
                    out.entries.append(entries);
                }
                Outcome::Problem { state, .. } => out.states.extend(state.take()),
            }
            for doc in summary.record(outcome, &say) {
                if add_error.is_none() {
                    handed_over += doc.1;
                    wait_for_indexer(&consumed, handed_over);
                    if let Err(e) = out.writer.add_document(doc.0) {
                        add_error = Some(e.into());
                    }
                }
            }
        }
    });
    progress.finish_and_clear();
    match add_error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

impl ReadFiles {
    /// True when a file of the previous generation, read again, keeps its old articles:
    /// its content is the same (only touched), or it changed under the reader.
    fn keeps(&mut self, old: &FileState, outcome: &Outcome) -> bool {
        let keep = match outcome {
            Outcome::Read { state, .. } => {
                old.skipped.is_none() && state.hash == old.hash && state.settings == old.settings
            }
            Outcome::Problem { state: None, .. } => true,
            Outcome::Problem { .. } => false,
        };
        if keep {
            if let Outcome::Read { state, .. } = outcome {
                // Same content, new time: remember the new time, so it is not read again.
                self.states.push(FileState {
                    articles: old.articles,
                    ..state.clone()
                });
            }
            self.kept.insert(old.rel.clone());
        }
        keep
    }
}

/// The skipped files among `states`, with their reasons, by path.
pub(crate) fn still_skipped<'a>(states: impl Iterator<Item = &'a FileState>) -> Vec<FileNote> {
    let mut notes: Vec<FileNote> = states
        .filter_map(|s| {
            s.skipped.as_ref().map(|why| FileNote {
                path: s.rel.clone(),
                reason: why.clone(),
            })
        })
        .collect();
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    notes
}

/// Writes a generation's manifest, story files and meta, and sums up its stories.
fn finish_generation(
    config: &BuildConfig,
    summary: &mut BuildSummary,
    gen_dir: &Path,
    mut states: Vec<FileState>,
    entries: Vec<Entry>,
) -> Result<()> {
    states.sort_by(|a, b| a.rel.cmp(&b.rel));
    write_manifest(gen_dir, &states)?;
    let found = stories::find_stories(&entries);
    summary.stories = found.len();
    summary.reprinted_articles = found.iter().map(|s| s.articles.len()).sum();
    story_store::write_entries(gen_dir, &entries)?;
    story_store::write_stories(gen_dir, &found)?;
    let skipped = states.iter().filter(|s| s.skipped.is_some()).count();
    write_meta(config, summary, states.len(), skipped, gen_dir)?;
    summary.index_bytes = dir_size(gen_dir);
    Ok(())
}

/// A new tantivy index of this version's schema in `dir`.
fn create_index(dir: &Path, view: ExactView) -> Result<(Index, Fields)> {
    let (schema, fields) = build_schema(view);
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

/// Where stderr is not a terminal (a log of a nightly run), the bar is hidden; a line every
/// few seconds says instead how far a long run is: files read of total, articles, MB/s.
struct ProgressLines {
    every: Option<Duration>,
    started: Instant,
    last: Instant,
    total: usize,
}

/// The environment variable that sets the seconds between progress lines (10 by default).
pub const PROGRESS_SECS_VAR: &str = "CORPUS_SEARCH_PROGRESS_SECS";

impl ProgressLines {
    fn new(verbose: bool, total: usize) -> ProgressLines {
        let every = (verbose && !std::io::stderr().is_terminal()).then(|| {
            let secs = std::env::var(PROGRESS_SECS_VAR)
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .unwrap_or(10.0);
            Duration::from_secs_f64(secs)
        });
        let now = Instant::now();
        ProgressLines {
            every,
            started: now,
            last: now,
            total,
        }
    }

    /// Prints a line when the interval has passed since the last one.
    fn tick(&mut self, files_done: u64, summary: &BuildSummary) {
        let Some(every) = self.every else { return };
        let now = Instant::now();
        if now.duration_since(self.last) < every {
            return;
        }
        self.last = now;
        let secs = now.duration_since(self.started).as_secs_f64().max(0.001);
        eprintln!(
            "indexing: {files_done}/{} files, {} articles, {:.1} MB/s",
            self.total,
            summary.articles,
            summary.bytes_read as f64 / 1_048_576.0 / secs
        );
    }
}

impl BuildSummary {
    /// The summary before any file is read: what the walk passed over.
    pub fn of_walk(walk: &corpus::Walk) -> BuildSummary {
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
            still_skipped: Vec::new(),
            flagged: Vec::new(),
            formats: Default::default(),
            update: None,
            rebuilt_because: None,
            index_articles: 0,
            stories: 0,
            reprinted_articles: 0,
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
                state: _,
                entries: _,
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
            Outcome::Problem { rel, problem, .. } => {
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

/// A segment with fewer articles than the largest one's share of this is small.
const SMALL_SEGMENT_SHARE: u32 = 8;

/// Commits an update, then merges its small segments (those of earlier updates, and any
/// with a third or more of its articles deleted) into one: after many small updates a query
/// still visits few segments. The pile of updates grows until it is no longer small, and
/// the large segments of the full build are left alone, so an update costs in proportion to
/// what changed. (Merging small segments by size class instead, four of a class into one of
/// the next, merged less but left up to twice as many segments, and phrase queries slowed by
/// a third: BENCHMARKS.md, "Updates and stories".)
fn commit_and_merge_small(mut writer: IndexWriter<TantivyDocument>, index: &Index) -> Result<()> {
    writer.commit()?;
    let metas = index.searchable_segment_metas()?;
    let largest = metas.iter().map(|m| m.max_doc()).max().unwrap_or(0);
    let small: Vec<_> = metas
        .iter()
        .filter(|m| {
            m.num_docs() < largest / SMALL_SEGMENT_SHARE || m.num_deleted_docs() * 3 > m.max_doc()
        })
        .collect();
    if small.len() > 1 || small.iter().any(|m| m.has_deletes()) {
        let ids: Vec<_> = small.iter().map(|m| m.id()).collect();
        writer.merge(&ids).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(())
}

/// Writes and syncs the generation's `corpus-search.json`.
fn write_meta(
    config: &BuildConfig,
    summary: &BuildSummary,
    files: usize,
    skipped: usize,
    gen_dir: &Path,
) -> Result<()> {
    let meta = IndexMeta {
        format: FORMAT_VERSION,
        built_by: format!("corpus-search {}", env!("CARGO_PKG_VERSION")),
        corpus: config.corpus.display().to_string(),
        corpus_path: corpus_path(&config.corpus),
        reading: config.reading.clone(),
        files_read: files - skipped,
        articles: summary.index_articles,
        files_skipped: skipped,
        extra_dicts: config.extra_dicts.clone(),
        stories: summary.stories,
        reprinted_articles: summary.reprinted_articles,
        exact_view: config.exact_view,
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
    match read_with_state(file, read) {
        Ok((state, found)) => {
            let (docs, entries) = found
                .articles
                .iter()
                .map(|a| {
                    let p = to_document(a, fields, jieba);
                    ((p.doc, p.text_bytes), p.entry)
                })
                .unzip();
            Outcome::Read {
                rel: file.rel.clone(),
                state,
                docs,
                entries,
                bytes: found.bytes,
                replaced: found.replaced,
                encoding: found.encoding,
                format: found.format,
                records: found.records,
                notes: found.notes,
            }
        }
        Err((state, problem)) => Outcome::Problem {
            rel: file.rel.clone(),
            state,
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

/// An article made ready for the index.
pub struct Prepared {
    pub doc: TantivyDocument,
    /// The bytes of text in its character view.
    pub text_bytes: u64,
    /// What story finding needs of it.
    pub entry: Entry,
}

/// What either home of the index stores of an article beyond what was read: its title and
/// body normalised once for every use, its story signature and its facet values.
pub struct Analysed {
    pub title: String,
    pub body: String,
    pub signature: Option<Signature>,
    pub facets: Facets,
}

impl Analysed {
    pub fn of(article: &Article) -> Analysed {
        let title = normalize_str(&article.title);
        let body = normalize_str(&article.body);
        let signature = stories::enabled()
            .then(|| stories::signature(&body))
            .flatten();
        let facets = facets_of_normalized(Seen {
            title: &title,
            body: &body,
            ..Seen::from(article)
        });
        Analysed {
            title,
            body,
            signature,
            facets,
        }
    }
}

/// The text views are prepared here, on the reading threads: the title and body are
/// normalised once and cut by jieba, so tantivy's indexing thread only splits them; the
/// body's MinHash signature is made here too.
pub fn to_document(article: &Article, f: &Fields, jieba: &Jieba) -> Prepared {
    let Analysed {
        title,
        body,
        signature,
        facets,
    } = Analysed::of(article);
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
        if f.exact_view == ExactView::DocIds {
            // Where a phrase found in it is confirmed.
            doc.add_text(f.extra, &article.extra);
        }
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
    if let Some(printed) = &article.source_printed {
        doc.add_text(f.source_printed, printed);
    }
    for field in FacetField::ALL {
        for value in field.values(&facets) {
            doc.add_facet(f.facet(field), field.path_of(&value));
        }
    }
    let entry = Entry {
        id: article.id.clone(),
        day: article.date.map(|d| d.date.days_since_epoch()),
        source: facets.source.clone(),
        signature,
    };
    Prepared {
        doc,
        text_bytes,
        entry,
    }
}
