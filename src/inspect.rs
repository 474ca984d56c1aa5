//! What `inspect` shows of a file: how the reader took it (encoding, format, notes, the
//! folders' settings) and every article it yields, with the places and industries the facets
//! find in it. `render::inspect` writes it for reading; `--json` writes it as it is.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::corpus::{self, Article, ReadOptions, Settings};
use crate::facets::extract_facets;

/// One file as the reader takes it.
#[derive(Debug, Serialize)]
pub struct InspectedFile {
    pub path: String,
    pub encoding: &'static str,
    pub replaced: usize,
    pub format: &'static str,
    pub notes: Vec<String>,
    /// What the folders' `corpus-search.toml` files set, when any applied.
    #[serde(skip_serializing_if = "Settings::is_empty")]
    pub settings: Settings,
    pub articles: Vec<InspectedArticle>,
}

/// One article of it, with what the facets find.
#[derive(Debug, Serialize)]
pub struct InspectedArticle {
    #[serde(flatten)]
    pub article: Article,
    pub regions: Vec<String>,
    pub mentions: Vec<String>,
    pub industries: Vec<String>,
}

/// Reads one file (any path, in a corpus or not) as `index` would, under the settings of
/// the folders above it. The error is the sentence to print after the file's name.
pub fn inspect_file(path: &Path, options: &ReadOptions) -> Result<InspectedFile, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
    let settings = corpus::settings::settings_above(path)
        .map_err(|why| format!("its folder's settings cannot be used: {why}"))?;
    let file = corpus::CorpusFile {
        abs: path.to_path_buf(),
        rel: path.display().to_string(),
        size: meta.len(),
        modified: corpus::walk::modified_ns(&meta),
        settings: Arc::new(settings),
    };
    let found = corpus::read_file(&file, options).map_err(|problem| problem.to_string())?;
    let articles = found
        .articles
        .into_iter()
        .map(|article| {
            let f = extract_facets(&article);
            InspectedArticle {
                article,
                regions: f.regions,
                mentions: f.mentions,
                industries: f.industries,
            }
        })
        .collect();
    Ok(InspectedFile {
        path: file.rel,
        encoding: found.encoding,
        replaced: found.replaced,
        format: found.format,
        notes: found.notes,
        settings: Arc::unwrap_or_clone(file.settings),
        articles,
    })
}
