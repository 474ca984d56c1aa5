//! Stories in search results: counting the distinct stories among the matches, one hit per
//! story (`--collapse`), and a story's articles (`reprints ID`).

use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::{find_article, Sort, SortKeys};
use crate::index::story_table::{StoryKey, StoryTable};
use crate::index::OpenIndex;
use crate::Result;

/// Counts the distinct stories among the matching articles.
pub struct StoryCounter {
    pub table: Arc<StoryTable>,
}

pub struct SegmentStoryCounter {
    table: Arc<StoryTable>,
    segment: SegmentOrdinal,
    alone: usize,
    /// One bit per shared story, set when one of its articles matches.
    shared: Vec<u64>,
}

impl Collector for StoryCounter {
    type Fruit = usize;
    type Child = SegmentStoryCounter;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentStoryCounter> {
        Ok(SegmentStoryCounter {
            table: self.table.clone(),
            segment,
            alone: 0,
            shared: vec![0; self.table.shared_stories().div_ceil(64)],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<u64>)>) -> tantivy::Result<usize> {
        let mut alone = 0;
        let mut shared = vec![0u64; self.table.shared_stories().div_ceil(64)];
        for (a, bits) in fruits {
            alone += a;
            for (all, b) in shared.iter_mut().zip(bits) {
                *all |= b;
            }
        }
        Ok(alone
            + shared
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum::<usize>())
    }
}

impl SegmentCollector for SegmentStoryCounter {
    type Fruit = (usize, Vec<u64>);

    fn collect(&mut self, doc: DocId, _score: Score) {
        match self.table.key(self.segment, doc) {
            StoryKey::Alone(..) => self.alone += 1,
            StoryKey::Shared(n) => self.shared[n as usize / 64] |= 1 << (n % 64),
        }
    }

    fn harvest(self) -> (usize, Vec<u64>) {
        (self.alone, self.shared)
    }
}

/// One hit per story: each story's best match (by score, or newest), the best `limit`
/// stories after `offset`.
pub struct TopStories {
    pub table: Arc<StoryTable>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

/// A ranked match: its key (score, or date in seconds), then its address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked(f64, DocAddress);

impl Eq for Ranked {}

impl Ord for Ranked {
    /// Better first: higher key, then the earlier address (as tantivy's TopDocs breaks ties).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| self.1.cmp(&other.1))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

pub struct SegmentTopStories {
    table: Arc<StoryTable>,
    segment: SegmentOrdinal,
    keys: SortKeys,
    keep: usize,
    /// The best articles alone, the worst on top (a bounded heap).
    alone: BinaryHeap<Ranked>,
    shared: HashMap<u32, Ranked>,
}

impl Collector for TopStories {
    type Fruit = Vec<(f64, DocAddress)>;
    type Child = SegmentTopStories;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTopStories> {
        let keys = SortKeys::of(self.sort, reader)?;
        Ok(SegmentTopStories {
            table: self.table.clone(),
            segment,
            keys,
            keep: self.offset + self.limit,
            alone: BinaryHeap::new(),
            shared: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Vec<Ranked>, HashMap<u32, Ranked>)>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut best: Vec<Ranked> = Vec::new();
        let mut shared: HashMap<u32, Ranked> = HashMap::new();
        for (alone, s) in fruits {
            best.extend(alone);
            for (n, r) in s {
                let slot = shared.entry(n).or_insert(r);
                if r < *slot {
                    *slot = r;
                }
            }
        }
        best.extend(shared.into_values());
        best.sort();
        Ok(best
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|r| (r.0, r.1))
            .collect())
    }
}

impl SegmentCollector for SegmentTopStories {
    type Fruit = (Vec<Ranked>, HashMap<u32, Ranked>);

    fn collect(&mut self, doc: DocId, score: Score) {
        let key = self.keys.key(doc, score);
        let ranked = Ranked(key, DocAddress::new(self.segment, doc));
        match self.table.key(self.segment, doc) {
            StoryKey::Shared(n) => {
                let slot = self.shared.entry(n).or_insert(ranked);
                if ranked < *slot {
                    *slot = ranked;
                }
            }
            StoryKey::Alone(..) => {
                // The heap's top is its worst (greatest by `Ranked`'s order).
                if self.alone.len() < self.keep {
                    self.alone.push(ranked);
                } else if self.alone.peek().is_some_and(|worst| ranked < *worst) {
                    self.alone.pop();
                    self.alone.push(ranked);
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.alone.into_vec(), self.shared)
    }
}

/// An article of a story, as `reprints` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct StoryArticle {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// True for the story's original: its earliest article (a news agency's first on the
    /// same day).
    pub original: bool,
}

/// A story: its id (its original's article id) and its articles, the original first.
#[derive(Debug, Clone, Serialize)]
pub struct Reprints {
    pub story: String,
    pub articles: Vec<StoryArticle>,
}

/// The story of an article, by the article's id (a file's path stands for its first
/// article); None when the index has no such article.
pub fn reprints(index: &OpenIndex, id: &str) -> Result<Option<Reprints>> {
    let Some(found) = find_article(index, id)?.or(match id.contains('#') {
        true => None,
        false => find_article(index, &format!("{id}#1"))?,
    }) else {
        return Ok(None);
    };
    let id = found.id.as_str();
    let ids: Vec<String> = match index.stories.of(id) {
        Some(story) => story.articles.clone(),
        None => vec![id.to_string()],
    };
    let mut articles = Vec::new();
    for member in &ids {
        if let Some(a) = find_article(index, member)? {
            articles.push(StoryArticle {
                original: articles.is_empty(),
                id: a.id,
                title: a.title,
                date: a.date,
                source: a.facets.one("source").map(str::to_string),
                url: a.url,
            });
        }
    }
    Ok(Some(Reprints {
        story: ids[0].clone(),
        articles,
    }))
}

/// The story id of an article in a shared story, or its own id.
pub fn story_id(index: &OpenIndex, id: &str) -> String {
    index
        .stories
        .of(id)
        .map_or_else(|| id.to_string(), |s| s.id().to_string())
}

/// The sources of an article's reprints (the other articles of its story), each once, in
/// story order, at most `max`.
pub fn reprint_sources(index: &OpenIndex, id: &str, max: usize) -> Vec<String> {
    let Some(story) = index.stories.of(id) else {
        return Vec::new();
    };
    let mut sources: Vec<String> = Vec::new();
    for (member, source) in story.articles.iter().zip(&story.sources) {
        if sources.len() >= max {
            break;
        }
        if let Some(source) = source.as_ref().filter(|_| member != id) {
            if !sources.contains(source) {
                sources.push(source.clone());
            }
        }
    }
    sources
}
