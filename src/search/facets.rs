//! Distributions of a query's matches over facets, the numbers a researcher puts in a report:
//! `facets 低空经济 --by province` counts the matching articles per province;
//! `--by province --by month` cross-tabulates two facets. Counts are exact (every matching
//! article is visited), an article with two provinces counts once in each, and the totals
//! count articles, not cells.

use std::collections::HashMap;

use serde::Serialize;

use super::counts::{PairCounter, PairCounts};
use super::{build_query, Filters, Matching};
use crate::facets::{default_by, Facet};
use crate::index::OpenIndex;
use crate::{Error, Result};

pub use super::counts::NONE;

/// One row of a distribution: a value of the first facet, its article count and, for a
/// table of two facets, the count per column.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    pub value: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<u64>,
}

/// What a distribution counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    #[default]
    Articles,
    /// Stories: a story counts once under each value any of its matching articles has.
    Stories,
}

#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    pub query: String,
    /// What the counts count: articles, or stories.
    pub counts: Unit,
    /// Articles (or stories) that match the query and filters.
    pub total: u64,
    /// How the words were matched: `substring` or `words`.
    pub matching: Matching,
    pub by: Vec<&'static Facet>,
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

/// The facets a distribution counts by: its rows (the default facet when none is named),
/// and its columns for a table of two.
pub fn rows_and_columns(by: &[&'static Facet]) -> Result<(&'static Facet, Option<&'static Facet>)> {
    match by {
        [] => Ok((default_by(), None)),
        [a] => Ok((*a, None)),
        [a, b] => Ok((*a, Some(*b))),
        _ => Err(Error::user(
            "give at most two --by facets (a distribution, or a table of two)",
        )),
    }
}

/// Counts a query's matches over one facet, or two as a table.
pub fn distribution(
    index: &OpenIndex,
    query: &str,
    filters: &Filters,
    by: &[&'static Facet],
    stories: bool,
) -> Result<Distribution> {
    let (rows_by, cols_by) = rows_and_columns(by)?;
    let (q, _) = build_query(index, query, filters)?;
    let searcher = index.reader.searcher();
    let tables = |f: &Facet| index.tables(f.field_for(filters.mentioned), f.level);
    let collector = PairCounter {
        rows: tables(rows_by)?,
        cols: cols_by.map(tables).transpose()?,
        stories: stories.then(|| index.story_table()).transpose()?,
    };
    let counts = searcher.search(&q, &collector)?;
    let mut d = into_distribution(counts, query, rows_by, cols_by);
    d.matching = filters.matching();
    d.counts = if stories {
        Unit::Stories
    } else {
        Unit::Articles
    };
    Ok(d)
}

pub(crate) fn into_distribution(
    counts: PairCounts,
    query: &str,
    rows_by: &'static Facet,
    cols_by: Option<&'static Facet>,
) -> Distribution {
    let order = |kind: &Facet, found: &HashMap<String, u64>| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = found.iter().map(|(k, &c)| (k.clone(), c)).collect();
        if kind.time {
            v.sort_by(|a, b| a.0.cmp(&b.0));
        } else {
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        // (none) last, whatever its count.
        v.sort_by_key(|(value, _)| value == NONE);
        v
    };
    let columns = cols_by.map(|k| order(k, &counts.cols)).unwrap_or_default();
    let rows = order(rows_by, &counts.rows)
        .into_iter()
        .map(|(value, count)| Row {
            cells: columns
                .iter()
                .map(|(c, _)| {
                    counts
                        .cells
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
        counts: Unit::Articles,
        total: counts.total,
        matching: Matching::Substring,
        by,
        column_totals: columns.iter().map(|c| c.1).collect(),
        columns: columns.into_iter().map(|c| c.0).collect(),
        rows,
    }
}

/// Several queries counted over one facet with the same values (`--compare`), and, when
/// normalised, each count as a share of all articles with that value under the same
/// filters (attention over time: `--by month --normalize`).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub by: &'static Facet,
    /// What the counts count: articles, or stories.
    pub counts: Unit,
    pub queries: Vec<String>,
    /// Articles each query matches.
    pub totals: Vec<u64>,
    /// How the words were matched: `substring` or `words`.
    pub matching: Matching,
    /// With `normalize`: each count divided by [`CompareRow::all`].
    pub normalized: bool,
    /// Articles under the filters whatever their text, when normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all: Option<u64>,
    pub rows: Vec<CompareRow>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompareRow {
    pub value: String,
    /// Articles per query with this value.
    pub counts: Vec<u64>,
    /// Articles with this value under the filters, whatever their text (when normalised).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all: Option<u64>,
    /// Each count as a share of `all` (0 to 1), when normalised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<f64>,
}

/// Counts each query over one facet, in one table; with `normalize`, also as shares of all
/// articles with each value under the same filters.
pub fn compare(
    index: &OpenIndex,
    queries: &[String],
    filters: &Filters,
    by: &'static Facet,
    normalize: bool,
    stories: bool,
) -> Result<Comparison> {
    compare_with(queries, filters, by, normalize, stories, &mut |q| {
        distribution(index, q, filters, &[by], stories)
    })
}

/// [`compare`] with each query's distribution over `by` counted by `count` (the embedded
/// index's [`distribution`], or a cluster's), the baseline as the query `""`.
pub fn compare_with(
    queries: &[String],
    filters: &Filters,
    by: &'static Facet,
    normalize: bool,
    stories: bool,
    count: &mut dyn FnMut(&str) -> Result<Distribution>,
) -> Result<Comparison> {
    if queries.is_empty() {
        return Err(Error::user("give a query to count"));
    }
    let counts_of = |d: &Distribution| -> HashMap<String, u64> {
        d.rows.iter().map(|r| (r.value.clone(), r.count)).collect()
    };
    let mut per_query = Vec::new();
    let mut totals = Vec::new();
    for q in queries {
        let d = count(q)?;
        totals.push(d.total);
        per_query.push(counts_of(&d));
    }
    let baseline = normalize.then(|| count("")).transpose()?;
    let all_counts = baseline.as_ref().map(counts_of);
    // Every value any query has, ordered as a distribution orders them: time by value, the
    // rest by the first query's count; (none) last.
    let mut values: Vec<String> = per_query
        .iter()
        .flat_map(|c| c.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !by.time {
        let first = &per_query[0];
        values.sort_by(|a, b| {
            let (ca, cb) = (first.get(a).unwrap_or(&0), first.get(b).unwrap_or(&0));
            cb.cmp(ca).then(a.cmp(b))
        });
    }
    values.sort_by_key(|v| v == NONE);
    let rows = values
        .into_iter()
        .map(|value| {
            let counts: Vec<u64> = per_query
                .iter()
                .map(|c| c.get(&value).copied().unwrap_or(0))
                .collect();
            let all = all_counts
                .as_ref()
                .map(|a| a.get(&value).copied().unwrap_or(0));
            let shares = match all {
                Some(n) if n > 0 => counts.iter().map(|&c| c as f64 / n as f64).collect(),
                Some(_) => vec![0.0; counts.len()],
                None => Vec::new(),
            };
            CompareRow {
                value,
                counts,
                all,
                shares,
            }
        })
        .collect();
    Ok(Comparison {
        by,
        counts: if stories {
            Unit::Stories
        } else {
            Unit::Articles
        },
        queries: queries.to_vec(),
        totals,
        matching: filters.matching(),
        normalized: normalize,
        all: baseline.map(|b| b.total),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sort_time_by_value_and_the_rest_by_count() {
        let mut c = PairCounts {
            total: 3,
            ..PairCounts::default()
        };
        c.rows.insert("浙江".into(), 1);
        c.rows.insert("广东".into(), 2);
        c.cols.insert("2024-03".into(), 2);
        c.cols.insert("2024-01".into(), 1);
        c.cells.insert(("广东".into(), "2024-03".into()), 2);
        c.cells.insert(("浙江".into(), "2024-01".into()), 1);
        let d = into_distribution(c, "q", default_by(), crate::facets::facet("month"));
        assert_eq!(d.columns, vec!["2024-01", "2024-03"]);
        assert_eq!(d.rows[0].value, "广东");
        assert_eq!(d.rows[0].cells, vec![0, 2]);
        assert_eq!(d.column_totals, vec![1, 2]);
    }
}
