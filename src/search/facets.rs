//! Distributions of a query's matches over facets, the numbers a researcher puts in a report:
//! `facets 低空经济 --by province` counts the matching articles per province;
//! `--by province --by month` cross-tabulates two facets. Counts are exact (every matching
//! article is visited), an article with two provinces counts once in each, and the totals
//! count articles, not cells.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::{build_query, Filters};
use crate::index::OpenIndex;
use crate::{Error, Result};

/// A facet to count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetKind {
    /// The article's provinces (and 全国 for national news).
    Province,
    /// The article's prefecture-level cities, as `广东/深圳`.
    City,
    Source,
    Industry,
    /// Publication month, `2024-03`.
    Month,
    /// Publication year.
    Year,
}

impl FacetKind {
    pub const ALL: &'static str = "province, city, source, industry, month or year";

    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Province => "province",
            FacetKind::City => "city",
            FacetKind::Source => "source",
            FacetKind::Industry => "industry",
            FacetKind::Month => "month",
            FacetKind::Year => "year",
        }
    }

    /// Whether its values sort as time (by value) rather than by count.
    fn is_time(self) -> bool {
        matches!(self, FacetKind::Month | FacetKind::Year)
    }

    fn field(self, mentioned: bool) -> &'static str {
        match self {
            FacetKind::Province | FacetKind::City if mentioned => "mention",
            FacetKind::Province | FacetKind::City => "region",
            FacetKind::Source => "source",
            FacetKind::Industry => "industry",
            FacetKind::Month | FacetKind::Year => "month",
        }
    }

    /// The value this facet reads from one stored facet path, if any.
    fn value_of(self, path: &[&str]) -> Option<String> {
        match self {
            FacetKind::Province => path.first().map(|s| s.to_string()),
            FacetKind::City => (path.len() >= 2).then(|| format!("{}/{}", path[0], path[1])),
            FacetKind::Source | FacetKind::Industry | FacetKind::Month => {
                path.first().map(|s| s.to_string())
            }
            FacetKind::Year => path.first().map(|s| s.chars().take(4).collect()),
        }
    }
}

impl std::str::FromStr for FacetKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<FacetKind> {
        Ok(match s.trim() {
            "province" | "region" => FacetKind::Province,
            "city" => FacetKind::City,
            "source" => FacetKind::Source,
            "industry" => FacetKind::Industry,
            "month" => FacetKind::Month,
            "year" => FacetKind::Year,
            other => {
                return Err(Error::user(format!(
                    "cannot count by `{other}`; use --by with {}",
                    FacetKind::ALL
                )))
            }
        })
    }
}

/// One row of a distribution: a value of the first facet, its article count and, for a
/// table of two facets, the count per column.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    pub value: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    pub query: String,
    /// Articles that match the query and filters.
    pub total: u64,
    pub by: Vec<FacetKind>,
    /// Column values (the second facet's), empty for one facet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// Articles per column, for a table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub column_totals: Vec<u64>,
    /// Articles with no value of a facet (no region, no known date ...) are counted under
    /// the value [`NONE`], so every matching article is in some row and some column.
    pub rows: Vec<Row>,
}

/// The value of articles that have none of a facet.
pub const NONE: &str = "(none)";

/// Counts a query's matches over one facet, or two as a table.
pub fn distribution(
    index: &OpenIndex,
    query: &str,
    filters: &Filters,
    by: &[FacetKind],
) -> Result<Distribution> {
    let (rows_by, cols_by) = match by {
        [] => (FacetKind::Province, None),
        [a] => (*a, None),
        [a, b] => (*a, Some(*b)),
        _ => {
            return Err(Error::user(
                "give at most two --by facets (a distribution, or a table of two)",
            ))
        }
    };
    let (q, _) = build_query(index, query, filters)?;
    let searcher = index.reader.searcher();
    let collector = PairCollector {
        rows: rows_by,
        cols: cols_by,
        mentioned: filters.mentioned,
    };
    let counts = searcher.search(&q, &collector)?;
    Ok(counts.into_distribution(query, rows_by, cols_by))
}

struct PairCollector {
    rows: FacetKind,
    cols: Option<FacetKind>,
    mentioned: bool,
}

#[derive(Default)]
struct Counts {
    total: u64,
    rows: HashMap<String, u64>,
    cols: HashMap<String, u64>,
    cells: HashMap<(String, String), u64>,
}

impl Counts {
    fn merge(&mut self, other: Counts) {
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
    }

    fn into_distribution(
        self,
        query: &str,
        rows_by: FacetKind,
        cols_by: Option<FacetKind>,
    ) -> Distribution {
        let order = |kind: FacetKind, counts: &HashMap<String, u64>| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> = counts.iter().map(|(k, &c)| (k.clone(), c)).collect();
            if kind.is_time() {
                v.sort_by(|a, b| a.0.cmp(&b.0));
            } else {
                v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            }
            // (none) last, whatever its count.
            v.sort_by_key(|(value, _)| value == NONE);
            v
        };
        let columns = cols_by.map(|k| order(k, &self.cols)).unwrap_or_default();
        let rows = order(rows_by, &self.rows)
            .into_iter()
            .map(|(value, count)| Row {
                cells: columns
                    .iter()
                    .map(|(c, _)| {
                        self.cells
                            .get(&(value.clone(), c.clone()))
                            .copied()
                            .unwrap_or(0)
                    })
                    .collect(),
                value,
                count,
            })
            .collect();
        let mut by = vec![rows_by];
        by.extend(cols_by);
        Distribution {
            query: query.to_string(),
            total: self.total,
            by,
            column_totals: columns.iter().map(|c| c.1).collect(),
            columns: columns.into_iter().map(|c| c.0).collect(),
            rows,
        }
    }
}

struct FacetValues {
    kind: FacetKind,
    reader: FacetReader,
    /// The value each facet ordinal reads as, computed once per segment.
    cache: HashMap<u64, Option<String>>,
}

impl FacetValues {
    fn new(kind: FacetKind, segment: &SegmentReader, mentioned: bool) -> tantivy::Result<Self> {
        Ok(FacetValues {
            kind,
            reader: segment.facet_reader(kind.field(mentioned))?,
            cache: HashMap::new(),
        })
    }

    /// The doc's values, or [`NONE`].
    fn values(&mut self, doc: DocId) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let ords: Vec<u64> = self.reader.facet_ords(doc).collect();
        for ord in ords {
            let kind = self.kind;
            let reader = &self.reader;
            let value = self.cache.entry(ord).or_insert_with(|| {
                let mut facet = Facet::root();
                reader.facet_from_ord(ord, &mut facet).ok()?;
                kind.value_of(&facet.to_path())
            });
            if let Some(v) = value {
                out.insert(v.clone());
            }
        }
        if out.is_empty() {
            out.insert(NONE.to_string());
        }
        out
    }
}

struct PairSegmentCollector {
    rows: FacetValues,
    cols: Option<FacetValues>,
    counts: Counts,
}

impl Collector for PairCollector {
    type Fruit = Counts;
    type Child = PairSegmentCollector;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<PairSegmentCollector> {
        Ok(PairSegmentCollector {
            rows: FacetValues::new(self.rows, segment, self.mentioned)?,
            cols: self
                .cols
                .map(|k| FacetValues::new(k, segment, self.mentioned))
                .transpose()?,
            counts: Counts::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::default();
        for f in fruits {
            all.merge(f);
        }
        Ok(all)
    }
}

impl SegmentCollector for PairSegmentCollector {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let c = &mut self.counts;
        c.total += 1;
        let rows = self.rows.values(doc);
        for r in &rows {
            *c.rows.entry(r.clone()).or_default() += 1;
        }
        if let Some(cols) = self.cols.as_mut() {
            let cols = cols.values(doc);
            for col in &cols {
                *c.cols.entry(col.clone()).or_default() += 1;
                for r in &rows {
                    *c.cells.entry((r.clone(), col.clone())).or_default() += 1;
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_from_the_right_level() {
        assert_eq!(
            FacetKind::Province.value_of(&["广东", "深圳"]).as_deref(),
            Some("广东")
        );
        assert_eq!(
            FacetKind::City
                .value_of(&["广东", "深圳", "南山"])
                .as_deref(),
            Some("广东/深圳")
        );
        assert_eq!(FacetKind::City.value_of(&["全国"]), None);
        assert_eq!(
            FacetKind::Year.value_of(&["2024-03"]).as_deref(),
            Some("2024")
        );
    }

    #[test]
    fn unknown_facet_names_get_advice() {
        let err = "省份".parse::<FacetKind>().unwrap_err().to_string();
        assert!(err.contains("province, city"), "{err}");
    }

    #[test]
    fn tables_sort_time_by_value_and_the_rest_by_count() {
        let mut c = Counts {
            total: 3,
            ..Counts::default()
        };
        c.rows.insert("浙江".into(), 1);
        c.rows.insert("广东".into(), 2);
        c.cols.insert("2024-03".into(), 2);
        c.cols.insert("2024-01".into(), 1);
        c.cells.insert(("广东".into(), "2024-03".into()), 2);
        c.cells.insert(("浙江".into(), "2024-01".into()), 1);
        let d = c.into_distribution("q", FacetKind::Province, Some(FacetKind::Month));
        assert_eq!(d.columns, vec!["2024-01", "2024-03"]);
        assert_eq!(d.rows[0].value, "广东");
        assert_eq!(d.rows[0].cells, vec![0, 2]);
        assert_eq!(d.column_totals, vec![1, 2]);
    }
}
