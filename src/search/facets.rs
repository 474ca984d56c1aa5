//! Distributions of a query's matches over facets, the numbers a researcher puts in a report:
//! `facets 低空经济 --by province` counts the matching articles per province;
//! `--by province --by month` cross-tabulates two facets. Counts are exact (every matching
//! article is visited), an article with two provinces counts once in each, and the totals
//! count articles, not cells.

use std::collections::HashMap;

use serde::Serialize;

use super::counts::{PairCounter, PairCounts};
use super::{build_query, Filters};
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

#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    pub query: String,
    /// Articles that match the query and filters.
    pub total: u64,
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

/// Counts a query's matches over one facet, or two as a table.
pub fn distribution(
    index: &OpenIndex,
    query: &str,
    filters: &Filters,
    by: &[&'static Facet],
) -> Result<Distribution> {
    let (rows_by, cols_by) = match by {
        [] => (default_by(), None),
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
    let tables = |f: &Facet| index.tables(f.field_for(filters.mentioned), f.level);
    let collector = PairCounter {
        rows: tables(rows_by)?,
        cols: cols_by.map(tables).transpose()?,
    };
    let counts = searcher.search(&q, &collector)?;
    Ok(into_distribution(counts, query, rows_by, cols_by))
}

fn into_distribution(
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
        total: counts.total,
        by,
        column_totals: columns.iter().map(|c| c.1).collect(),
        columns: columns.into_iter().map(|c| c.0).collect(),
        rows,
    }
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
