//! Reading a corpus: files to articles, in stages named after the way a file travels.
//!
//! ```text
//! walk       the corpus's files, each with its folder's settings    walk, settings
//! read       a file's bytes, whole and steady; its way through       read
//! decode     bytes to text (a declared charset when unsure)          decode
//! format     what the file is, told once, and what it holds          formats::* (fields)
//!              warc | xml (SogouCS, TREC, RSS/Atom) | json | jsonl | csv | tsv  -> records
//!              html (html: DOM, metadata, content, headline; links)             -> a page
//!              text (markdown: front matter, day items)                         -> a text
//! assemble   cleaned lines to articles: title, date, source          clean, split, article
//! ```
//!
//! [`read_file`] runs the whole path for one file; a file that cannot be read is a
//! [`FileProblem`], reported and skipped by the caller, never a reason to stop. A record
//! that cannot be read is a note of its file; the file's other records are read.

pub mod article;
pub mod clean;
pub mod decode;
pub mod fields;
pub mod formats;
pub mod html;
pub mod links;
pub mod markdown;
pub mod read;
pub mod settings;
pub mod split;
pub mod walk;

pub use article::{Article, Known};
pub use decode::{decode_bytes, DecodeError, Decoded};
pub use fields::FieldMap;
pub use formats::text::articles_from_text;
pub use formats::Format;
pub use read::{
    read_bytes, read_file, read_file_bytes, read_steady, FileArticles, FileProblem, ReadOptions,
    SteadyBytes,
};
pub use settings::{Settings, SETTINGS_FILE};
pub use walk::{walk_corpus, CorpusFile, Skipped, Walk, WalkOptions};
