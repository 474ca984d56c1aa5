//! A generation's story files.
//!
//! - `stories.bin`: every article's [`Entry`] (id, day, source, signature), so that an update
//!   finds stories again without reading unchanged files. Binary, little-endian: the magic
//!   `CSSTORY1`, then per article: id (u16 length + UTF-8), day (i64, `i64::MIN` for none),
//!   source (u16 length + UTF-8, empty for none), a signature flag (u8) and, when set,
//!   [`HASHES`] u16 values.
//! - `stories.tsv`: the stories of more than one article, one line per article: the story's
//!   id (its original's article id), the article's id and its source, tab separated; a
//!   story's lines together, the original first. Readable with any text tool.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use super::minhash::HASHES;
use super::{Entry, Signature, Story};
use crate::{Error, Result};

pub const ENTRIES_FILE: &str = "stories.bin";
pub const STORIES_FILE: &str = "stories.tsv";
const MAGIC: &[u8; 8] = b"CSSTORY1";

/// Writes and syncs the entries file.
pub fn write_entries(dir: &Path, entries: &[Entry]) -> Result<()> {
    let path = dir.join(ENTRIES_FILE);
    let write = || -> std::io::Result<()> {
        let mut out = BufWriter::new(fs::File::create(&path)?);
        out.write_all(MAGIC)?;
        for e in entries {
            write_str(&mut out, &e.id)?;
            out.write_all(&e.day.unwrap_or(i64::MIN).to_le_bytes())?;
            write_str(&mut out, e.source.as_deref().unwrap_or(""))?;
            match &e.signature {
                Some(s) => {
                    out.write_all(&[1])?;
                    for v in s.0 {
                        out.write_all(&v.to_le_bytes())?;
                    }
                }
                None => out.write_all(&[0])?,
            }
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write().map_err(|e| Error::io(&path, e))
}

fn write_str(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    // Ids and sources are short; a longer one is cut at a character boundary.
    let mut end = s.len().min(u16::MAX as usize);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    out.write_all(&(end as u16).to_le_bytes())?;
    out.write_all(&s.as_bytes()[..end])
}

/// Reads the entries file of a generation.
pub fn read_entries(dir: &Path) -> Result<Vec<Entry>> {
    let path = dir.join(ENTRIES_FILE);
    let bad = |why: &str| Error::BadIndex {
        path: dir.to_path_buf(),
        why: format!("its {ENTRIES_FILE} is damaged ({why}); rebuild with `index --rebuild`"),
    };
    let file = fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut input = BufReader::new(file);
    let mut magic = [0u8; 8];
    input.read_exact(&mut magic).map_err(|_| bad("too short"))?;
    if &magic != MAGIC {
        return Err(bad("not a story file"));
    }
    let mut entries = Vec::new();
    loop {
        let id = match read_str(&mut input) {
            Ok(Some(id)) => id,
            Ok(None) => break,
            Err(_) => return Err(bad("cut short")),
        };
        let read = |input: &mut BufReader<fs::File>| -> std::io::Result<Entry> {
            let mut day = [0u8; 8];
            input.read_exact(&mut day)?;
            let day = i64::from_le_bytes(day);
            let source = read_str(input)?.unwrap_or_default();
            let mut flag = [0u8; 1];
            input.read_exact(&mut flag)?;
            let signature = if flag[0] == 1 {
                let mut raw = [0u8; HASHES * 2];
                input.read_exact(&mut raw)?;
                Some(Signature(std::array::from_fn(|i| {
                    u16::from_le_bytes([raw[2 * i], raw[2 * i + 1]])
                })))
            } else {
                None
            };
            Ok(Entry {
                id: String::new(),
                day: (day != i64::MIN).then_some(day),
                source: Some(source).filter(|s| !s.is_empty()),
                signature,
            })
        };
        let mut entry = read(&mut input).map_err(|_| bad("cut short"))?;
        entry.id = id;
        entries.push(entry);
    }
    Ok(entries)
}

/// A length-prefixed string, or None at a clean end of file.
fn read_str(input: &mut impl Read) -> std::io::Result<Option<String>> {
    let mut len = [0u8; 2];
    match input.read_exact(&mut len[..1]) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    input.read_exact(&mut len[1..])?;
    let mut bytes = vec![0u8; u16::from_le_bytes(len) as usize];
    input.read_exact(&mut bytes)?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Writes and syncs the stories file.
pub fn write_stories(dir: &Path, stories: &[Story]) -> Result<()> {
    let path = dir.join(STORIES_FILE);
    let write = || -> std::io::Result<()> {
        let mut out = BufWriter::new(fs::File::create(&path)?);
        writeln!(out, "# story\tarticle\tsource")?;
        for story in stories {
            for (id, source) in story.articles.iter().zip(&story.sources) {
                let source = source.as_deref().unwrap_or("");
                writeln!(out, "{}\t{id}\t{source}", story.id())?;
            }
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write().map_err(|e| Error::io(&path, e))
}

/// The stories of a generation, and the story of each article in one.
#[derive(Debug, Default)]
pub struct Stories {
    pub list: Vec<Story>,
    /// Article id -> its story's place in `list`.
    pub of_article: HashMap<String, u32>,
}

impl Stories {
    /// The story an article belongs to, if it is in one of more than one article.
    pub fn of(&self, article_id: &str) -> Option<&Story> {
        self.of_article
            .get(article_id)
            .map(|&n| &self.list[n as usize])
    }
}

/// Reads a generation's stories; a generation without the file has none.
pub fn read_stories(dir: &Path) -> Result<Stories> {
    let path = dir.join(STORIES_FILE);
    let file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Stories::default()),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let mut stories = Stories::default();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| Error::io(&path, e))?;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let (Some(story), Some(id)) = (cols.next(), cols.next()) else {
            return Err(Error::BadIndex {
                path: dir.to_path_buf(),
                why: format!("its {STORIES_FILE} is damaged; rebuild with `index --rebuild`"),
            });
        };
        let source = cols.next().filter(|s| !s.is_empty()).map(str::to_string);
        if stories.list.last().is_none_or(|s| s.id() != story) {
            stories.list.push(Story {
                articles: Vec::new(),
                sources: Vec::new(),
            });
        }
        let n = stories.list.len() as u32 - 1;
        let last = stories.list.last_mut().expect("pushed");
        last.articles.push(id.to_string());
        last.sources.push(source);
        stories.of_article.insert(id.to_string(), n);
    }
    Ok(stories)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_stories_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let entries = vec![
            Entry {
                id: "a/甲.txt#1".into(),
                day: Some(10_000),
                source: Some("新华社".into()),
                signature: Some(Signature(std::array::from_fn(|i| i as u16 * 7))),
            },
            Entry {
                id: "b.txt".into(),
                day: None,
                source: None,
                signature: None,
            },
        ];
        write_entries(dir.path(), &entries).unwrap();
        assert_eq!(read_entries(dir.path()).unwrap(), entries);
        let stories = vec![Story {
            articles: vec!["b.txt".into(), "a/甲.txt#1".into()],
            sources: vec![None, Some("新华社".into())],
        }];
        write_stories(dir.path(), &stories).unwrap();
        let read = read_stories(dir.path()).unwrap();
        assert_eq!(read.list, stories);
        assert_eq!(read.of("a/甲.txt#1").unwrap().id(), "b.txt");
        assert!(read.of("c.txt").is_none());
    }
}
