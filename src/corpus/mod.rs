//! Reading a corpus: files to articles.
//!
//! ```text
//! walk (files) -> decode (text) -> clean (lines) -> split (articles with title, date, source)
//! ```
//!
//! [`read_file`] runs the whole path for one file; a file that cannot be read is a
//! [`FileProblem`], reported and skipped by the caller, never a reason to stop.

pub mod clean;
pub mod decode;
pub mod split;
pub mod walk;

use serde::Serialize;

pub use decode::{decode_bytes, DecodeError, Decoded};
pub use walk::{walk_corpus, CorpusFile, Skipped, Walk, WalkOptions};

use crate::facets::date::Date;

/// One news article, as read from a file.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// `path#n`: the corpus-relative path and the article's number in its file (from 1).
    pub id: String,
    pub path: String,
    pub title: String,
    /// Where the title came from: `headline`, `original-title` (原标题) or `first-sentence`.
    pub title_from: &'static str,
    #[serde(serialize_with = "serialize_date")]
    pub date: Option<Date>,
    pub source: Option<String>,
    /// The cleaned text, one paragraph per line.
    pub body: String,
}

pub(crate) fn serialize_date<S: serde::Serializer>(
    date: &Option<Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

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
}

/// Options for reading files.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub max_file_size: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_file_size: 50 * 1024 * 1024,
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
}

/// Reads, decodes, cleans and splits one file.
pub fn read_file(file: &CorpusFile, options: &ReadOptions) -> Result<FileArticles, FileProblem> {
    if file.size > options.max_file_size {
        return Err(FileProblem::TooLarge {
            size: file.size,
            limit: options.max_file_size,
        });
    }
    let bytes = std::fs::read(&file.abs).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > options.max_file_size {
        return Err(FileProblem::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_file_size,
        });
    }
    let decoded = decode_bytes(&bytes, options.encoding)?;
    let articles = articles_from_text(&file.rel, &decoded.text);
    if articles.is_empty() {
        return Err(FileProblem::NoText);
    }
    Ok(FileArticles {
        articles,
        encoding: decoded.encoding,
        replaced: decoded.replaced,
        bytes: bytes.len() as u64,
    })
}

/// Cleans and splits decoded text into articles with ids `rel#1`, `rel#2` ...
pub fn articles_from_text(rel: &str, text: &str) -> Vec<Article> {
    let lines = clean::clean_text(text);
    split::split_articles(&lines)
        .into_iter()
        .enumerate()
        .map(|(i, draft)| Article {
            id: format!("{rel}#{}", i + 1),
            path: rel.to_string(),
            title: draft.title,
            title_from: draft.title_from,
            date: draft.date,
            source: draft.source,
            body: draft.body.join("\n"),
        })
        .collect()
}
