//! `files.tsv`: what each corpus file was when its generation read it, so that an update
//! reads only the files that are new or changed and deletes the articles of the ones that
//! changed or went away.
//!
//! One line per file: path, size, modification time (nanoseconds since 1970), content hash
//! (xxh3-64, hex; followed by `/` and the fingerprint of its folders' settings when a
//! `corpus-search.toml` applied), then the number of articles read from it, or `skipped` and
//! why. Paths have `\`, tab and newline escaped as `\\`, `\t` and `\n`.

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use crate::corpus::{self, CorpusFile, FileArticles, FileProblem, ReadOptions};
use crate::{Error, Result};

pub const MANIFEST_FILE: &str = "files.tsv";

/// A corpus file as a generation read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    pub rel: String,
    pub size: u64,
    /// Modification time, nanoseconds since 1970 (0 when the file system gives none).
    pub modified: u64,
    /// xxh3-64 of its bytes (0 for a file skipped without reading it).
    pub hash: u64,
    /// The fingerprint of the settings it was read with (0 for none): a file whose
    /// settings changed is read again.
    pub settings: u64,
    /// Articles read from it.
    pub articles: usize,
    /// Why it was skipped, for a file that gave no articles.
    pub skipped: Option<String>,
}

impl FileState {
    /// True when the file on disk still has this size and modification time: it is taken
    /// as unchanged without reading it.
    pub fn looks_same(&self, size: u64, modified: u64) -> bool {
        self.size == size && self.modified == modified && modified != 0
    }
}

/// Reads a corpus file as an index keeps it: its articles and its [`FileState`] (content
/// hash, settings fingerprint, articles), or why it gave none with the state an update
/// compares against (None when the file changed under the reader: read it next time).
/// The embedded writer and `--engine` loads both read through here.
#[allow(clippy::result_large_err)]
pub fn read_with_state(
    file: &CorpusFile,
    read: &ReadOptions,
) -> std::result::Result<(FileState, FileArticles), (Option<FileState>, FileProblem)> {
    let seen = FileState {
        rel: file.rel.clone(),
        size: file.size,
        modified: file.modified,
        hash: 0,
        settings: file.settings.fingerprint(),
        articles: 0,
        skipped: None,
    };
    let problem = |problem: FileProblem, state: FileState| {
        let state = (!matches!(problem, FileProblem::Unsteady(_))).then(|| FileState {
            skipped: Some(problem.to_string()),
            ..state
        });
        (state, problem)
    };
    let steady = match corpus::read_steady(file, read.max_file_size) {
        Ok(s) => s,
        Err(p) => return Err(problem(p, seen)),
    };
    let state = FileState {
        size: steady.size,
        modified: steady.modified,
        hash: xxhash_rust::xxh3::xxh3_64(&steady.bytes),
        ..seen
    };
    match corpus::read_file_bytes(file, &steady.bytes, read) {
        Ok(found) => Ok((
            FileState {
                articles: found.articles.len(),
                ..state
            },
            found,
        )),
        Err(p) => Err(problem(p, state)),
    }
}

/// Writes and syncs a generation's manifest.
pub fn write_manifest(dir: &Path, files: &[FileState]) -> Result<()> {
    let path = dir.join(MANIFEST_FILE);
    let write = || -> std::io::Result<()> {
        let mut out = BufWriter::new(fs::File::create(&path)?);
        writeln!(
            out,
            "# path\tsize\tmodified_ns\txxh3\tarticles (or `skipped` and why)"
        )?;
        for f in files {
            let read = match &f.skipped {
                Some(why) => format!("skipped\t{}", escape(why)),
                None => f.articles.to_string(),
            };
            let settings = match f.settings {
                0 => String::new(),
                s => format!("/{s:016x}"),
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{:016x}{settings}\t{read}",
                escape(&f.rel),
                f.size,
                f.modified,
                f.hash
            )?;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write().map_err(|e| Error::io(&path, e))
}

/// Reads a generation's manifest; None when it has none (built before updates existed).
pub fn read_manifest(dir: &Path) -> Result<Option<Vec<FileState>>> {
    let path = dir.join(MANIFEST_FILE);
    let file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let bad = |n: usize| Error::BadIndex {
        path: dir.to_path_buf(),
        why: format!("line {n} of its {MANIFEST_FILE} is damaged; rebuild with `index --rebuild`"),
    };
    let mut files = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::io(&path, e))?;
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let parse = || -> Option<FileState> {
            let (articles, skipped) = match cols.get(4)? {
                &"skipped" => (0, Some(unescape(cols.get(5)?))),
                n => (n.parse().ok()?, None),
            };
            let (hash, settings) = match cols.get(3)?.split_once('/') {
                Some((h, s)) => (h, u64::from_str_radix(s, 16).ok()?),
                None => (*cols.get(3)?, 0),
            };
            Some(FileState {
                rel: unescape(cols.first()?),
                size: cols.get(1)?.parse().ok()?,
                modified: cols.get(2)?.parse().ok()?,
                hash: u64::from_str_radix(hash, 16).ok()?,
                settings,
                articles,
                skipped,
            })
        };
        files.push(parse().ok_or_else(|| bad(n + 1))?);
    }
    Ok(Some(files))
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_survives_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            FileState {
                rel: "2024/a\tb\\c.html".into(),
                size: 10,
                modified: 1_700_000_000_000_000_000,
                hash: 0xdead_beef,
                settings: 0x1234,
                articles: 2,
                skipped: None,
            },
            FileState {
                rel: "新闻/空.txt".into(),
                size: 0,
                modified: 5,
                hash: 0,
                settings: 0,
                articles: 0,
                skipped: Some("no article text left after cleaning".into()),
            },
        ];
        write_manifest(dir.path(), &files).unwrap();
        assert_eq!(read_manifest(dir.path()).unwrap().unwrap(), files);
        assert!(read_manifest(&dir.path().join("none")).unwrap().is_none());
    }
}
