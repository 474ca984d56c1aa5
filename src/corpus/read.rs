//! One file's way through the reader: read its bytes (whole, and steady: a file being
//! written is read again), decode them, tell its format, let the format read it, and turn
//! what the format yields into articles.
//!
//! ```text
//! read_steady -> formats::detect_archive -> (an archive: its records, read from the bytes)
//!             -> decode::decode_file -> front matter -> formats::detect -> FileFormat::read
//!             -> records: formats::record_articles / a page or a text: its articles
//! ```

use crate::corpus::decode::{self, DecodeError};
use crate::corpus::fields::FieldMap;
use crate::corpus::formats::{self, record_articles, Format, Found, Input, Kind, Probe};
use crate::corpus::markdown;
use crate::corpus::walk::{self, CorpusFile};
use crate::corpus::Article;

/// Why a file gave no articles.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FileProblem {
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("{size} bytes is larger than the {limit}-byte limit for one file (raise it with --max-file-size if this is really one page)")]
    TooLarge { size: u64, limit: u64 },
    #[error("{0}")]
    Decode(#[from] DecodeError),
    #[error("no article text left after cleaning")]
    NoText,
    #[error("a list of links, not an article ({0} links; {1})")]
    ListOfLinks(usize, &'static str),
    #[error("{0}")]
    Records(String),
    #[error("it kept changing while it was being read ({0} tries); it is left as it was and read at the next `index`")]
    Unsteady(usize),
}

/// Options for reading files.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub max_file_size: u64,
    /// `--format`: read every file as this, instead of telling each by its content.
    pub format: Option<Format>,
    /// `--fields title=headline,...`: record field names beyond the usual ones.
    pub fields: FieldMap,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_file_size: 50 * 1024 * 1024,
            format: None,
            fields: FieldMap::default(),
        }
    }
}

/// The articles of one file, and what is worth telling about how it was read.
#[derive(Debug, Clone)]
pub struct FileArticles {
    pub articles: Vec<Article>,
    pub encoding: &'static str,
    /// Invalid byte sequences replaced with U+FFFD (the file is flagged, not refused).
    pub replaced: usize,
    pub bytes: u64,
    /// What the file was read as (`text`, `html`, `jsonl` ...).
    pub format: &'static str,
    /// Records in the file (0 for a page or a text).
    pub records: usize,
    /// What went wrong without stopping the file: a broken record, a JSON-LD block that
    /// is not JSON.
    pub notes: Vec<String>,
}

/// Reads, decodes, cleans and splits one file.
pub fn read_file(file: &CorpusFile, options: &ReadOptions) -> Result<FileArticles, FileProblem> {
    let read = read_steady(file, options.max_file_size)?;
    read_file_bytes(file, &read.bytes, options)
}

/// [`read_bytes`] for a corpus file, under its folders' settings: they fill in the reading
/// options the command line leaves open, and the source and site its articles do not name.
pub fn read_file_bytes(
    file: &CorpusFile,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<FileArticles, FileProblem> {
    if file.settings.is_empty() {
        return read_bytes(&file.rel, bytes, options);
    }
    let mut found = read_bytes(&file.rel, bytes, &file.settings.read_options(options))?;
    file.settings.apply(&mut found.articles);
    Ok(found)
}

/// A file's bytes, and its size and modification time while they were read.
pub struct SteadyBytes {
    pub bytes: Vec<u8>,
    pub size: u64,
    pub modified: u64,
}

/// Nanoseconds since 1970.
fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// A file modified less than this long before it is read may be in the middle of being
/// written (modification times come from a coarse clock, and a writer pauses between
/// writes): it is read again after a pause.
const SETTLE_NS: u64 = 100_000_000;

/// True for a modification time (nanoseconds since 1970) within the last two seconds, or in
/// the future.
fn recently_modified(modified: u64) -> bool {
    modified.saturating_add(2_000_000_000) > now_ns()
}

/// Tries to read a file this many times while it keeps changing under the reader.
const STEADY_TRIES: usize = 4;

/// Reads a file whole, checking its size and modification time before and after: a file
/// that changes while it is read (a download in progress, an editor saving) is read again,
/// and after [`STEADY_TRIES`] changes it is reported, never half-read.
pub fn read_steady(file: &CorpusFile, limit: u64) -> Result<SteadyBytes, FileProblem> {
    if file.size > limit {
        return Err(FileProblem::TooLarge {
            size: file.size,
            limit,
        });
    }
    let stat = |path: &std::path::Path| -> Result<(u64, u64), FileProblem> {
        let meta = std::fs::metadata(path).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
        Ok((meta.len(), walk::modified_ns(&meta)))
    };
    for attempt in 0..STEADY_TRIES {
        if attempt > 0 {
            // Give a writer in the middle of its work a moment to finish.
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let started = now_ns();
        let before = stat(&file.abs)?;
        if before.0 > limit {
            return Err(FileProblem::TooLarge {
                size: before.0,
                limit,
            });
        }
        let bytes = std::fs::read(&file.abs).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(FileProblem::TooLarge {
                size: bytes.len() as u64,
                limit,
            });
        }
        let after = stat(&file.abs)?;
        if before != after || bytes.len() as u64 != after.0 {
            continue;
        }
        // File systems stamp modification times with a coarse clock (a few milliseconds), so
        // a file written in place during the read can show the same size and time. One
        // written within [`SETTLE_NS`] of the read is read again after a pause (a writer
        // may be between two writes), and reported if it never settles; one modified in the
        // last moments is read twice and must not differ.
        if after.1.saturating_add(SETTLE_NS) >= started {
            continue;
        }
        if recently_modified(after.1) {
            let again =
                std::fs::read(&file.abs).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
            if again != bytes || stat(&file.abs)? != after {
                continue;
            }
        }
        return Ok(SteadyBytes {
            bytes,
            size: after.0,
            modified: after.1,
        });
    }
    Err(FileProblem::Unsteady(STEADY_TRIES))
}
/// Reads one file's bytes into articles: records, a web page or text.
pub fn read_bytes(
    rel: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<FileArticles, FileProblem> {
    let fields = &options.fields;
    let archive = match options.format {
        Some(forced) => Some(forced).filter(|f| f.kind() == Kind::Archive),
        None => formats::detect_archive(rel, bytes),
    };
    if let Some(format) = archive {
        let input = Input {
            rel,
            bytes,
            text: None,
            fields,
            known: None,
        };
        let found = format.read(&input)?;
        return articles_of(rel, format, found, ARCHIVE_ENCODING, bytes.len() as u64, 0);
    }
    let decoded = decode::decode_file(bytes, options.encoding)?;
    let text = decoded.text.as_str();
    // A post with YAML front matter: its metadata, then Markdown or an HTML fragment.
    let post = match options.format {
        Some(forced) if forced.kind() == Kind::Records => None,
        _ => markdown::front_matter(text, fields),
    };
    let (known, text) = match &post {
        Some((known, rest)) => (Some(known), *rest),
        None => (None, text),
    };
    let format = options.format.unwrap_or_else(|| {
        let probe = Probe::new(rel, bytes, Some(text), fields);
        formats::detect(&probe, known.is_some())
    });
    let input = Input {
        rel,
        bytes,
        text: Some(text),
        fields,
        known,
    };
    let found = format.read(&input)?;
    let size = bytes.len() as u64;
    articles_of(rel, format, found, decoded.encoding, size, decoded.replaced)
}

/// What an archive's articles say they were decoded from: each page is decoded on its own.
const ARCHIVE_ENCODING: &str = "WARC";

/// The articles of what a format found: records become articles one by one
/// ([`record_articles::from_records`]); a document's articles are its own.
fn articles_of(
    rel: &str,
    format: Format,
    found: Found,
    encoding: &'static str,
    bytes: u64,
    replaced: usize,
) -> Result<FileArticles, FileProblem> {
    match found {
        Found::Records(records) => {
            record_articles::from_records(rel, records, encoding, bytes, replaced)
        }
        Found::Articles { articles, notes } => {
            if articles.is_empty() {
                return Err(FileProblem::NoText);
            }
            Ok(FileArticles {
                articles,
                encoding,
                replaced,
                bytes,
                format: format.name(),
                records: 0,
                notes,
            })
        }
    }
}
