//! Finds the files of a corpus: every regular file under the corpus directory, recursively,
//! in a stable (sorted) order. Hidden files and directories (`.git`, `.DS_Store`) are passed
//! over. Symbolic links are reported and not followed unless asked, and even then never
//! outside the corpus directory, and never in a loop. A folder's `corpus-search.toml` is
//! not a file to read but the settings of the files under it ([`super::settings`]); each
//! file comes with them.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::settings::{CorpusSettings, Settings, SETTINGS_FILE};

/// A file to read.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub abs: PathBuf,
    /// Path relative to the corpus directory, with `/` separators: the path users see.
    pub rel: String,
    pub size: u64,
    /// Modification time, nanoseconds since 1970 (0 when the file system gives none).
    pub modified: u64,
    /// What its folders' `corpus-search.toml` files say (empty where none does).
    pub settings: Arc<Settings>,
}

/// A file's modification time in nanoseconds since 1970, 0 when unknown.
pub fn modified_ns(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Something under the corpus directory that will not be read, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub rel: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<CorpusFile>,
    pub skipped: Vec<Skipped>,
    /// Corpus-relative folders that hold a settings file (`""` for the corpus folder).
    settings_folders: HashSet<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Follow symbolic links whose target stays inside the corpus directory.
    pub follow_links: bool,
}

/// Lists the corpus. Fails only when the corpus directory itself cannot be read.
pub fn walk_corpus(root: &Path, options: WalkOptions) -> crate::Result<Walk> {
    let meta = fs::metadata(root).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            crate::Error::user(format!(
                "corpus directory {} does not exist; pass the folder that holds the news files with --corpus DIR",
                root.display()
            ))
        } else {
            crate::Error::io(root, e)
        }
    })?;
    let mut walk = Walk::default();
    if meta.is_file() {
        // A single file is a corpus of one.
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        walk.files.push(CorpusFile {
            abs: root.to_path_buf(),
            rel: name,
            size: meta.len(),
            modified: modified_ns(&meta),
            settings: Arc::default(),
        });
        return Ok(walk);
    }
    let canonical_root = fs::canonicalize(root).map_err(|e| crate::Error::io(root, e))?;
    let mut visited = HashSet::new();
    visited.insert(canonical_root.clone());
    visit(&canonical_root, root, "", options, &mut visited, &mut walk);
    walk.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    if !walk.settings_folders.is_empty() {
        // A settings file that cannot be used skips the files under it, with the reason:
        // read without it, they would be indexed wrong.
        let mut settings = CorpusSettings::new(root, std::mem::take(&mut walk.settings_folders));
        let mut kept = Vec::with_capacity(walk.files.len());
        for mut file in std::mem::take(&mut walk.files) {
            match settings.of_file(&file.rel) {
                Ok(s) => {
                    file.settings = s;
                    kept.push(file);
                }
                Err(why) => walk.skipped.push(Skipped {
                    rel: file.rel,
                    reason: format!("its folder's settings cannot be used: {why}"),
                }),
            }
        }
        walk.files = kept;
    }
    Ok(walk)
}

fn join_rel(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

fn visit(
    root: &Path,
    dir: &Path,
    rel: &str,
    options: WalkOptions,
    visited: &mut HashSet<PathBuf>,
    walk: &mut Walk,
) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            walk.skipped.push(Skipped {
                rel: if rel.is_empty() {
                    ".".into()
                } else {
                    rel.into()
                },
                reason: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let child_rel = join_rel(rel, &name);
        let target_meta = match entry_metadata(root, &entry, &path, options) {
            Ok(meta) => meta,
            Err(reason) => {
                walk.skipped.push(Skipped {
                    rel: child_rel,
                    reason,
                });
                continue;
            }
        };
        if target_meta.is_dir() {
            let canonical = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if !visited.insert(canonical) {
                walk.skipped.push(Skipped {
                    rel: child_rel,
                    reason: "directory already visited (a symbolic link loop), not entered again"
                        .into(),
                });
                continue;
            }
            visit(root, &path, &child_rel, options, visited, walk);
        } else if target_meta.is_file() && name == SETTINGS_FILE {
            walk.settings_folders.insert(rel.to_string());
        } else if target_meta.is_file() {
            walk.files.push(CorpusFile {
                abs: path,
                rel: child_rel,
                size: target_meta.len(),
                modified: modified_ns(&target_meta),
                settings: Arc::default(),
            });
        } else {
            walk.skipped.push(Skipped {
                rel: child_rel,
                reason: "not a regular file (device, socket or pipe)".into(),
            });
        }
    }
}

/// The metadata of a directory entry, or of what it links to when links are followed; Err
/// says why the entry is skipped.
fn entry_metadata(
    root: &Path,
    entry: &fs::DirEntry,
    path: &Path,
    options: WalkOptions,
) -> Result<fs::Metadata, String> {
    let Ok(file_type) = entry.file_type() else {
        return Err("cannot read its file type".into());
    };
    if !file_type.is_symlink() {
        return entry.metadata().map_err(|e| format!("cannot read: {e}"));
    }
    if !options.follow_links {
        return Err("symbolic link, not followed (pass --follow to index what it points to inside the corpus)".into());
    }
    let target = fs::canonicalize(path).map_err(|e| format!("broken symbolic link: {e}"))?;
    if !target.starts_with(root) {
        return Err(format!(
            "symbolic link to {} outside the corpus directory, not followed",
            target.display()
        ));
    }
    fs::metadata(&target).map_err(|e| format!("cannot read link target: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_sorted_with_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("b/c")).unwrap();
        fs::write(dir.path().join("b/c/新闻.txt"), "深圳").unwrap();
        fs::write(dir.path().join("a.txt"), "北京").unwrap();
        fs::write(dir.path().join(".hidden"), "x").unwrap();
        let walk = walk_corpus(dir.path(), WalkOptions::default()).unwrap();
        let rels: Vec<_> = walk.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, vec!["a.txt", "b/c/新闻.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_outside_links_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "x").unwrap();
        fs::create_dir_all(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/a.txt"), "上海").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        let walk = walk_corpus(dir.path(), WalkOptions { follow_links: true }).unwrap();
        assert_eq!(walk.files.len(), 1);
        assert!(walk.skipped.iter().any(|s| s.rel == "sub/loop"));
        assert!(walk
            .skipped
            .iter()
            .any(|s| s.rel == "out" && s.reason.contains("outside")));
    }
}
