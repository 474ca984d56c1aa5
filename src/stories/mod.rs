//! Stories: the reprints of one piece. A 新华社 article runs on 人民网, 央视网 and a hundred
//! local sites under other headlines, with an editor's note, a paragraph cut, other page
//! chrome; each copy is an article, and together they are one story.
//!
//! At index time every article's normalised body gets a MinHash signature
//! ([`minhash`]); LSH bands propose candidate pairs, and a pair whose estimated Jaccard
//! similarity of 4-character shingles is at least [`minhash::THRESHOLD`] (0.5) is a reprint.
//! Stories are the connected components of those pairs, so they depend only on the set of
//! articles, never on the order they were read in: an index built in one go and one built
//! in many updates have the same stories. A story's original is its earliest article by
//! date, then a news agency's before others ([`crate::facets::source::Sources::is_wire`]),
//! then by id; its id is the original's article id.
//!
//! A generation keeps every article's signature in `stories.bin` (an update adds and drops
//! signatures and finds the stories again over all of them) and the stories of more than
//! one article in `stories.tsv`. Articles in neither are a story of their own.

pub mod minhash;
pub mod store;

use std::collections::{HashMap, HashSet};

pub use minhash::{signature, Signature};

use crate::facets::source::sources;

/// False when the environment sets `CORPUS_SEARCH_NO_STORIES`: the benchmark's switch for
/// measuring what story finding costs (BENCHMARKS.md). Articles then each stay alone.
pub fn enabled() -> bool {
    static ON: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var_os("CORPUS_SEARCH_NO_STORIES").is_none());
    *ON
}

/// What story finding knows of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The article id (`path#n`).
    pub id: String,
    /// Its publication day (days since 1970-01-01), when known.
    pub day: Option<i64>,
    /// Its source, when known.
    pub source: Option<String>,
    /// None for texts too short to compare.
    pub signature: Option<Signature>,
}

impl Entry {
    /// The corpus path of the article's file.
    pub fn path(&self) -> &str {
        article_path(&self.id)
    }
}

/// The file part of an article id (`a/b.html#2` -> `a/b.html`).
pub fn article_path(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(path, _)| path)
}

/// A story of two or more articles: their ids, the original first, then in the same order
/// (date, agency first, id), with each one's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    pub articles: Vec<String>,
    pub sources: Vec<Option<String>>,
}

impl Story {
    /// The story's id: its original's article id.
    pub fn id(&self) -> &str {
        &self.articles[0]
    }
}

/// Buckets of more than this many articles sharing a band (a boilerplate block repeated
/// across a series) compare each article with this many neighbours in the bucket only, so
/// that the work stays linear; true reprints also share other bands.
const BUCKET_NEIGHBOURS: usize = 64;

/// Finds the stories of more than one article among the entries, in order of their ids.
pub fn find_stories(entries: &[Entry]) -> Vec<Story> {
    if !enabled() {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].id.cmp(&entries[b].id));
    let signed: Vec<usize> = order
        .into_iter()
        .filter(|&i| entries[i].signature.is_some())
        .collect();
    let sig = |k: usize| entries[signed[k]].signature.as_ref().expect("signed");

    let mut parent: Vec<u32> = (0..signed.len() as u32).collect();
    // Copies with the same signature (a wire piece run verbatim) join the first of them at
    // once; only one of each signature goes through the bands.
    let mut first_with: HashMap<&Signature, u32> = HashMap::new();
    let mut distinct: Vec<u32> = Vec::new();
    for k in 0..signed.len() as u32 {
        match first_with.entry(sig(k as usize)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                union(&mut parent, *first.get(), k)
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(k);
                distinct.push(k);
            }
        }
    }
    let mut checked: HashSet<(u32, u32)> = HashSet::new();
    // One band at a time: sort the articles by the band's key; a run of equal keys is a
    // bucket of candidates.
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(distinct.len());
    for band in 0..minhash::BANDS {
        keys.clear();
        keys.extend(distinct.iter().map(|&k| (sig(k as usize).band(band), k)));
        keys.sort_unstable();
        for bucket in keys.chunk_by(|a, b| a.0 == b.0).filter(|b| b.len() > 1) {
            for (n, &(_, a)) in bucket.iter().enumerate() {
                for &(_, b) in bucket[n + 1..].iter().take(BUCKET_NEIGHBOURS) {
                    if find(&mut parent, a) == find(&mut parent, b) || !checked.insert((a, b)) {
                        continue;
                    }
                    if sig(a as usize).similarity(sig(b as usize)) >= minhash::THRESHOLD {
                        union(&mut parent, a, b);
                    }
                }
            }
        }
    }

    let mut groups: HashMap<u32, Vec<usize>> = HashMap::new();
    for k in 0..signed.len() as u32 {
        let root = find(&mut parent, k);
        groups.entry(root).or_default().push(signed[k as usize]);
    }
    let wire = |e: &Entry| e.source.as_deref().is_some_and(|s| sources().is_wire(s));
    let mut stories: Vec<Story> = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_by(|&a, &b| {
                let (a, b) = (&entries[a], &entries[b]);
                (a.day.unwrap_or(i64::MAX), !wire(a), &a.id).cmp(&(
                    b.day.unwrap_or(i64::MAX),
                    !wire(b),
                    &b.id,
                ))
            });
            Story {
                articles: g.iter().map(|&i| entries[i].id.clone()).collect(),
                sources: g.iter().map(|&i| entries[i].source.clone()).collect(),
            }
        })
        .collect();
    stories.sort_by(|a, b| a.id().cmp(b.id()));
    stories
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let up = parent[parent[x as usize] as usize];
        parent[x as usize] = up;
        x = up;
    }
    x
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller root wins, so components do not depend on the order of unions.
    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[hi as usize] = lo;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(seed: u32, len: usize) -> String {
        let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(7);
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from_u32(0x4E00 + x % 3000).unwrap()
            })
            .collect()
    }

    fn entry(id: &str, day: i64, source: &str, text: &str) -> Entry {
        Entry {
            id: id.into(),
            day: Some(day),
            source: Some(source.into()).filter(|s: &String| !s.is_empty()),
            signature: signature(text),
        }
    }

    #[test]
    fn reprints_form_a_story_whose_original_is_the_earliest() {
        let a = body(1, 900);
        let cut: String = a.chars().skip(100).collect();
        let noted = format!("编者按：这是一段新加的按语。{a}");
        let other = body(2, 900);
        let entries = vec![
            entry("b.txt", 11, "人民网", &cut),
            entry("a.txt", 10, "新华社", &a),
            entry("c.txt", 12, "", &noted),
            entry("d.txt", 10, "", &other),
            entry("e.txt", 10, "", "短"),
        ];
        let stories = find_stories(&entries);
        assert_eq!(stories.len(), 1);
        assert_eq!(stories[0].articles, ["a.txt", "b.txt", "c.txt"]);
    }

    #[test]
    fn on_the_same_day_an_agency_is_the_original() {
        let a = body(3, 600);
        let entries = vec![
            entry("x.txt", 10, "人民网", &a),
            entry("y.txt", 10, "新华社", &a),
        ];
        assert_eq!(find_stories(&entries)[0].id(), "y.txt");
    }

    #[test]
    fn stories_do_not_depend_on_the_order_of_entries() {
        let texts: Vec<String> = (0..6u32)
            .map(|i| body(i / 2, 700 + i as usize * 10))
            .collect();
        let mut entries: Vec<Entry> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| entry(&format!("{i}.txt"), 1, "", t))
            .collect();
        let forward = find_stories(&entries);
        entries.reverse();
        assert_eq!(find_stories(&entries), forward);
        assert_eq!(forward.len(), 3);
    }
}
