//! corpus-search: full-text search over corpora of Chinese news pages.
//!
//! A news file travels one way through the library, and the modules are named after that path:
//!
//! ```text
//! text::*        -> normalisation (traditional -> simplified, full width, case) and tokenizers
//! facets::*      -> the facet descriptions (facets::FACETS) and the recognisers of places,
//!                   dates, publishers and industries in text
//! corpus::walk   -> find the files under the corpus directory
//! corpus::decode -> bytes to text (UTF-8, UTF-16, GB18030/GBK, Big5 ...)
//! corpus::formats -> what a file is (warc, xml, json, jsonl, csv, tsv, html, text) and
//!                   what it holds: records or a document (corpus::html reads a page)
//! corpus::clean  -> strip page leftovers, HTML, inserted pinyin
//! corpus::split  -> one file may hold several articles: title, date, source, body each
//! index::*       -> the tantivy schema, the index builder, facet tables for counting
//! search::*      -> query parsing, facet filters, ranking, facet counts, snippets, every
//!                   match (export), matches in context (kwic)
//! inspect        -> one file as the reader and the facets take it (`inspect`)
//! render         -> terminal, JSON and CSV output
//! engine         -> the same index in an OpenSearch cluster: load, query, facets, stored
//!                   articles and every match (--engine URL)
//! home           -> where the index lives (a directory or a cluster): one search, count,
//!                   concordance, export, article and story call for every command
//! serve          -> the HTTP API and the search page, on a home's search
//! ```
//!
//! Each module uses only the ones listed above it. docs/ARCHITECTURE.md says where a facet
//! is described and how one is added.
//!
//! The binary (`src/main.rs`) only turns command-line flags into the plain config structs
//! used here and prints what comes back.

pub mod bench;
pub mod corpus;
pub mod data;
pub mod engine;
pub mod error;
pub mod facets;
pub mod home;
pub mod index;
pub mod inspect;
pub mod render;
pub mod scaleout;
pub mod search;
pub mod serve;
pub mod stories;
pub mod text;

pub use error::{Code, Error, Result};
