//! Counting facet values over a result set: the one counting path. [`FacetCounter`] counts
//! the facets every search returns (the page's sidebar, `query`'s facet lines and `--json`);
//! [`PairCounter`] counts one facet, or a table of two, for `facets --by`. Both walk the
//! index's facet tables (`index::tables`) and count an article once per value.
//!
//! Counting stories (`facets --stories`), [`PairCounter`] counts a story once under each
//! value any of its matching articles has, and once in the total.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::FacetCount;
use crate::index::story_table::{StoryKey, StoryTable};
use crate::index::tables::{Table, Tables};

/// Counts the values of several facets over the matching articles: per facet, its values
/// with their counts, most articles first (ties by value).
pub struct FacetCounter {
    pub tables: Vec<Arc<Tables>>,
}

pub struct SegmentFacetCounter {
    tables: Vec<Arc<Table>>,
    counts: Vec<Vec<u64>>,
}

impl Collector for FacetCounter {
    type Fruit = Vec<Vec<FacetCount>>;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        _segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let tables = self
            .tables
            .iter()
            .map(|t| t.segment(segment_ord))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let counts = tables.iter().map(|t| vec![0u64; t.names.len()]).collect();
        Ok(SegmentFacetCounter { tables, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Vec<FacetCount>>>) -> tantivy::Result<Self::Fruit> {
        let mut merged: Vec<HashMap<String, u64>> = vec![HashMap::new(); self.tables.len()];
        for fruit in fruits {
            for (i, counts) in fruit.into_iter().enumerate() {
                for c in counts {
                    *merged[i].entry(c.value).or_default() += c.count;
                }
            }
        }
        Ok(merged
            .into_iter()
            .map(|m| {
                let mut v: Vec<FacetCount> = m
                    .into_iter()
                    .map(|(value, count)| FacetCount { value, count })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
                v
            })
            .collect())
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Vec<Vec<FacetCount>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (table, counts) in self.tables.iter().zip(self.counts.iter_mut()) {
            for &id in table.ids(doc) {
                counts[id as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Vec<Vec<FacetCount>> {
        self.tables
            .iter()
            .zip(self.counts)
            .map(|(table, counts)| {
                counts
                    .into_iter()
                    .enumerate()
                    .filter(|&(_, c)| c > 0)
                    .map(|(id, count)| FacetCount {
                        value: table.names[id].clone(),
                        count,
                    })
                    .collect()
            })
            .collect()
    }
}

/// The value of articles that have none of a facet.
pub const NONE: &str = "(none)";

/// Counts of one facet (rows), or of two as a table (rows × columns), over the matching
/// articles, or their stories. An article without a value counts under [`NONE`].
pub struct PairCounter {
    pub rows: Arc<Tables>,
    pub cols: Option<Arc<Tables>>,
    /// Count stories instead of articles.
    pub stories: Option<Arc<StoryTable>>,
}

/// What [`PairCounter`] found.
#[derive(Default)]
pub struct PairCounts {
    pub total: u64,
    pub rows: HashMap<String, u64>,
    pub cols: HashMap<String, u64>,
    pub cells: HashMap<(String, String), u64>,
    /// Counting stories: the stories of several articles seen, with their values, counted
    /// once each when all segments are merged ([`PairCounts::count_shared`]).
    pub(crate) shared: SharedSeen,
}

#[derive(Default)]
pub(crate) struct SharedSeen {
    total: HashSet<u32>,
    rows: HashSet<(u32, String)>,
    cols: HashSet<(u32, String)>,
    cells: HashSet<(u32, String, String)>,
}

impl PairCounts {
    fn merge(&mut self, other: PairCounts) {
        self.total += other.total;
        for (k, v) in other.rows {
            *self.rows.entry(k).or_default() += v;
        }
        for (k, v) in other.cols {
            *self.cols.entry(k).or_default() += v;
        }
        for (k, v) in other.cells {
            *self.cells.entry(k).or_default() += v;
        }
        self.shared.total.extend(other.shared.total);
        self.shared.rows.extend(other.shared.rows);
        self.shared.cols.extend(other.shared.cols);
        self.shared.cells.extend(other.shared.cells);
    }

    /// Adds each story of several articles once to the total and to each of its values; a
    /// story counts under (none) only when none of its articles has a value.
    fn count_shared(&mut self) {
        let shared = std::mem::take(&mut self.shared);
        self.total += shared.total.len() as u64;
        let valued = |pairs: &HashSet<(u32, String)>| -> HashSet<u32> {
            pairs
                .iter()
                .filter(|(_, v)| v != NONE)
                .map(|(s, _)| *s)
                .collect()
        };
        let (row_valued, col_valued) = (valued(&shared.rows), valued(&shared.cols));
        for (s, v) in shared.rows {
            if v != NONE || !row_valued.contains(&s) {
                *self.rows.entry(v).or_default() += 1;
            }
        }
        for (s, v) in shared.cols {
            if v != NONE || !col_valued.contains(&s) {
                *self.cols.entry(v).or_default() += 1;
            }
        }
        for (s, r, c) in shared.cells {
            if (r != NONE || !row_valued.contains(&s)) && (c != NONE || !col_valued.contains(&s)) {
                *self.cells.entry((r, c)).or_default() += 1;
            }
        }
    }
}

pub struct SegmentPairCounter {
    rows: Arc<Table>,
    cols: Option<Arc<Table>>,
    stories: Option<Arc<StoryTable>>,
    segment: SegmentOrdinal,
    /// Stories of several articles: (story, row id), (story, column id), (story, row, column).
    shared_total: HashSet<u32>,
    shared_rows: HashSet<(u32, u32)>,
    shared_cols: HashSet<(u32, u32)>,
    shared_cells: HashSet<(u32, u32, u32)>,
    total: u64,
    /// Per value id; the last slot counts articles with no value.
    row_counts: Vec<u64>,
    col_counts: Vec<u64>,
    cells: HashMap<(u32, u32), u64>,
}

impl Collector for PairCounter {
    type Fruit = PairCounts;
    type Child = SegmentPairCounter;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        _segment: &SegmentReader,
    ) -> tantivy::Result<SegmentPairCounter> {
        let rows = self.rows.segment(ord)?;
        let cols = self.cols.as_ref().map(|c| c.segment(ord)).transpose()?;
        Ok(SegmentPairCounter {
            row_counts: vec![0; rows.names.len() + 1],
            col_counts: vec![0; cols.as_ref().map_or(0, |c| c.names.len() + 1)],
            rows,
            cols,
            stories: self.stories.clone(),
            segment: ord,
            shared_total: HashSet::new(),
            shared_rows: HashSet::new(),
            shared_cols: HashSet::new(),
            shared_cells: HashSet::new(),
            total: 0,
            cells: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<PairCounts>) -> tantivy::Result<PairCounts> {
        let mut all = PairCounts::default();
        for f in fruits {
            all.merge(f);
        }
        all.count_shared();
        Ok(all)
    }
}

impl SegmentPairCounter {
    /// Notes an article of a story of several: its values count once per story.
    fn collect_shared(&mut self, story: u32, doc: DocId) {
        self.shared_total.insert(story);
        let rows = ids_or_none(&self.rows, doc);
        for &r in rows.iter() {
            self.shared_rows.insert((story, r));
        }
        if let Some(cols_table) = &self.cols {
            for &c in ids_or_none(cols_table, doc).iter() {
                self.shared_cols.insert((story, c));
                for &r in rows.iter() {
                    self.shared_cells.insert((story, r, c));
                }
            }
        }
    }
}

/// An article's value ids, or the one id that stands for no value.
fn ids_or_none(table: &Table, doc: DocId) -> std::borrow::Cow<'_, [u32]> {
    let ids = table.ids(doc);
    if ids.is_empty() {
        std::borrow::Cow::Owned(vec![table.names.len() as u32])
    } else {
        std::borrow::Cow::Borrowed(ids)
    }
}

impl SegmentCollector for SegmentPairCounter {
    type Fruit = PairCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(StoryKey::Shared(story)) =
            self.stories.as_ref().map(|t| t.key(self.segment, doc))
        {
            self.collect_shared(story, doc);
            return;
        }
        self.total += 1;
        let rows = ids_or_none(&self.rows, doc);
        for &r in rows.iter() {
            self.row_counts[r as usize] += 1;
        }
        if let Some(cols_table) = &self.cols {
            for &c in ids_or_none(cols_table, doc).iter() {
                self.col_counts[c as usize] += 1;
                for &r in rows.iter() {
                    *self.cells.entry((r, c)).or_default() += 1;
                }
            }
        }
    }

    fn harvest(self) -> PairCounts {
        let name = |table: &Table, id: u32| -> String {
            table
                .names
                .get(id as usize)
                .cloned()
                .unwrap_or_else(|| NONE.to_string())
        };
        let mut shared = SharedSeen {
            total: self.shared_total,
            rows: self
                .shared_rows
                .into_iter()
                .map(|(s, r)| (s, name(&self.rows, r)))
                .collect(),
            ..SharedSeen::default()
        };
        if let Some(cols) = &self.cols {
            shared.cols = self
                .shared_cols
                .into_iter()
                .map(|(s, c)| (s, name(cols, c)))
                .collect();
            shared.cells = self
                .shared_cells
                .into_iter()
                .map(|(s, r, c)| (s, name(&self.rows, r), name(cols, c)))
                .collect();
        }
        let counted = |table: &Table, counts: Vec<u64>| -> HashMap<String, u64> {
            counts
                .into_iter()
                .enumerate()
                .filter(|&(_, c)| c > 0)
                .map(|(id, c)| (name(table, id as u32), c))
                .collect()
        };
        let mut out = PairCounts {
            total: self.total,
            rows: counted(&self.rows, self.row_counts),
            shared,
            ..PairCounts::default()
        };
        if let Some(cols) = &self.cols {
            out.cols = counted(cols, self.col_counts);
            out.cells = self
                .cells
                .into_iter()
                .map(|((r, c), n)| ((name(&self.rows, r), name(cols, c)), n))
                .collect();
        }
        out
    }
}
