//! Per-folder settings: a `corpus-search.toml` in the corpus folder or in any folder below it
//! says what the files under it do not: who published them, how they are encoded, what
//! format they are, what their record fields are called.
//!
//! ```toml
//! # news/rmrb/corpus-search.toml
//! source = "人民日报"      # the outlet the articles credit, when an article names none
//! site = "人民网"          # the outlet that published them, when a page does not say
//! encoding = "gbk"         # read the files in this encoding (as --encoding)
//! format = "csv"           # read the files as this format (as --format)
//!
//! [fields]                 # record field names (as --fields), target = field
//! text = "content_text"
//! title = "headline"
//! ```
//!
//! The nearest file wins, key by key: `news/corpus-search.toml` may set the encoding of
//! everything and `news/rmrb/corpus-search.toml` the source of one folder. A flag given on
//! the command line (`--encoding`, `--format`, `--fields`) wins over every file. The
//! settings files are never indexed; `inspect` shows which applied to a file, and an
//! update reads again every file whose settings changed.
//!
//! `index` reads the settings files of the corpus folder and the folders below it. `inspect`,
//! which has no corpus folder, reads those of the file's folder and every folder above it,
//! up to one whose file says `root = true`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{decode, Article, FieldMap, Format, ReadOptions};
use crate::facets::source::sources;

/// The name of a folder's settings file.
pub const SETTINGS_FILE: &str = "corpus-search.toml";

/// One settings file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    source: Option<String>,
    site: Option<String>,
    encoding: Option<String>,
    format: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    /// Stop looking in the folders above (for `inspect`).
    #[serde(default)]
    root: bool,
}

/// The settings that apply to a file: its folders' settings files merged, the nearest
/// winning key by key. Empty (the default) where no folder has one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// The settings files that applied, farthest first.
    pub from: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl Settings {
    pub fn is_empty(&self) -> bool {
        self.from.is_empty()
    }

    /// The settings with `file`'s laid over them (`file` is nearer). `name` is how the
    /// file is named in messages and in [`Settings::from`].
    fn and(mut self, name: &str, text: &str) -> Result<(Settings, bool), String> {
        let written: Written =
            toml::from_str(text).map_err(|e| format!("{name} cannot be read: {}", e.message()))?;
        let fail = |what: String| format!("{name}: {what}");
        if let Some(e) = &written.encoding {
            decode::encoding_for_label(e).ok_or_else(|| {
                fail(format!(
                    "unknown encoding `{e}`; use a name such as utf-8, gbk, gb18030, big5"
                ))
            })?;
            self.encoding = Some(e.trim().to_string());
        }
        if let Some(f) = &written.format {
            Format::from_name(f).ok_or_else(|| fail(super::formats::unknown_format(f)))?;
            self.format = Some(f.trim().to_string());
        }
        let named = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| sources().known(v).unwrap_or(v).to_string())
        };
        if let Some(s) = named(&written.source) {
            self.source = Some(s);
        }
        if let Some(s) = named(&written.site) {
            self.site = Some(s);
        }
        self.fields.extend(written.fields);
        self.field_map()
            .map_err(|e| fail(e.replace("--fields", "[fields]")))?;
        self.from.push(name.to_string());
        Ok((self, written.root))
    }

    fn field_map(&self) -> Result<FieldMap, String> {
        let spec: Vec<String> = self
            .fields
            .iter()
            .map(|(target, field)| format!("{target}={field}"))
            .collect();
        FieldMap::parse(&spec.join(","))
    }

    /// The reading options for a file under these settings: the command line's, with these
    /// settings where the command line says nothing.
    pub fn read_options(&self, given: &ReadOptions) -> ReadOptions {
        let mut out = given.clone();
        if out.encoding.is_none() {
            out.encoding = self
                .encoding
                .as_deref()
                .and_then(decode::encoding_for_label);
        }
        if out.format.is_none() {
            out.format = self.format.as_deref().and_then(Format::from_name);
        }
        if let Ok(fields) = self.field_map() {
            out.fields = given.fields.or(&fields);
        }
        out
    }

    /// Gives the articles that name no source or site these settings' ones.
    pub fn apply(&self, articles: &mut [Article]) {
        for a in articles {
            if a.source.is_none() {
                a.source.clone_from(&self.source);
            }
            if a.site.is_none() {
                a.site.clone_from(&self.site);
            }
        }
    }

    /// A number that changes when the settings do (0 for none): an update reads a file
    /// again when its settings' fingerprint is not the one it was read with.
    pub fn fingerprint(&self) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let values = Settings {
            from: Vec::new(),
            ..self.clone()
        };
        let text = serde_json::to_string(&values).unwrap_or_default();
        xxhash_rust::xxh3::xxh3_64(text.as_bytes()).max(1)
    }
}

/// The settings of the files of a corpus, folder by folder, each folder's read once.
pub struct CorpusSettings<'a> {
    root: &'a Path,
    /// Corpus-relative folders that hold a settings file.
    with_file: std::collections::HashSet<String>,
    /// Each folder's merged settings, or why they cannot be used.
    merged: std::collections::HashMap<String, Result<Arc<Settings>, String>>,
}

impl<'a> CorpusSettings<'a> {
    pub fn new(root: &'a Path, with_file: std::collections::HashSet<String>) -> Self {
        CorpusSettings {
            root,
            with_file,
            merged: std::collections::HashMap::new(),
        }
    }

    /// The settings of the file at `rel` (corpus-relative, `/`-separated).
    pub fn of_file(&mut self, rel: &str) -> Result<Arc<Settings>, String> {
        let folder = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        self.of_folder(folder)
    }

    fn of_folder(&mut self, folder: &str) -> Result<Arc<Settings>, String> {
        if let Some(found) = self.merged.get(folder) {
            return found.clone();
        }
        let above = if folder.is_empty() {
            Ok(Arc::new(Settings::default()))
        } else {
            self.of_folder(folder.rsplit_once('/').map_or("", |(up, _)| up))
        };
        let found = above.and_then(|above| {
            if !self.with_file.contains(folder) {
                return Ok(above);
            }
            let rel = if folder.is_empty() {
                SETTINGS_FILE.to_string()
            } else {
                format!("{folder}/{SETTINGS_FILE}")
            };
            let text = std::fs::read_to_string(self.root.join(&rel))
                .map_err(|e| format!("{rel} cannot be read: {e}"))?;
            Ok(Arc::new((*above).clone().and(&rel, &text)?.0))
        });
        self.merged.insert(folder.to_string(), found.clone());
        found
    }
}

/// The settings of a file outside any corpus (`inspect`): those of its folder and the
/// folders above it, up to one whose settings file says `root = true`.
pub fn settings_above(file: &Path) -> Result<Settings, String> {
    let mut found: Vec<(String, String)> = Vec::new();
    let start = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    for dir in start.ancestors().skip(1) {
        let path = dir.join(SETTINGS_FILE);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let root = toml::from_str::<Written>(&text).is_ok_and(|w| w.root);
        found.push((path.display().to_string(), text));
        if root {
            break;
        }
    }
    let mut settings = Settings::default();
    for (name, text) in found.iter().rev() {
        settings = settings.and(name, text)?.0;
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_file_wins_key_by_key() {
        let outer = Settings::default()
            .and(
                "corpus-search.toml",
                "encoding = \"gbk\"\nsource = \"新华社\"\n[fields]\ntext = \"body\"\n",
            )
            .unwrap()
            .0;
        let inner = outer
            .and(
                "rmrb/corpus-search.toml",
                "source = \"人民日报\"\n[fields]\ntitle = \"headline\"\n",
            )
            .unwrap()
            .0;
        assert_eq!(inner.encoding.as_deref(), Some("gbk"));
        assert_eq!(inner.source.as_deref(), Some("人民日报"));
        assert_eq!(inner.fields.len(), 2);
        assert_eq!(inner.from.len(), 2);
        assert_ne!(inner.fingerprint(), Settings::default().fingerprint());
    }

    #[test]
    fn mistakes_name_the_file_and_what_to_write() {
        let e = Settings::default()
            .and("a/corpus-search.toml", "encodng = \"gbk\"")
            .unwrap_err();
        assert!(
            e.contains("a/corpus-search.toml") && e.contains("encodng"),
            "{e}"
        );
        let e = Settings::default()
            .and("a/corpus-search.toml", "encoding = \"klingon\"")
            .unwrap_err();
        assert!(e.contains("unknown encoding `klingon`"), "{e}");
        let e = Settings::default()
            .and("a/corpus-search.toml", "[fields]\nheadline = \"t\"")
            .unwrap_err();
        assert!(
            e.contains("a/corpus-search.toml") && e.contains("[fields]"),
            "{e}"
        );
    }
}
