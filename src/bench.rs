//! Warm query latency, measured in one process the way the server answers: each query of a
//! list is run many times on an open index (exact total + top 10 hits with snippets + facet
//! counts of the whole result set), and the median and 99th percentile are reported per
//! query and per class. `bench/run.py` calls this through `corpus-search bench`.
//!
//! A query list is a text file, one query per line: `class<TAB>query[<TAB>filters]`, where
//! filters are written as in a URL (`province=广东&from=1998-01-10`). `#` starts a comment.

use std::time::Instant;

use serde::Serialize;

use crate::index::OpenIndex;
use crate::search::{search, SearchRequest, Sort};
use crate::serve::params::SearchParams;
use crate::{Error, Result};

/// One line of a query list.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub class: String,
    pub query: String,
    pub filters: String,
}

/// Reads a query list (see the module docs).
pub fn parse_query_list(text: &str) -> Result<Vec<BenchQuery>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let class = cols.next().unwrap_or("").trim().to_string();
        let Some(query) = cols.next() else {
            return Err(Error::user(format!(
                "query list line {}: write `class<TAB>query[<TAB>filters]`",
                n + 1
            )));
        };
        out.push(BenchQuery {
            class,
            query: query.trim().to_string(),
            filters: cols.next().unwrap_or("").trim().to_string(),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryTiming {
    pub class: String,
    pub query: String,
    pub filters: String,
    pub total: usize,
    pub runs: usize,
    pub median_ms: f64,
    pub p99_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassTiming {
    pub class: String,
    pub queries: usize,
    pub median_ms: f64,
    pub p99_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub articles: usize,
    pub queries: Vec<QueryTiming>,
    pub classes: Vec<ClassTiming>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs every query `warmup` times untimed, then `runs` times timed.
pub fn run_queries(
    index: &OpenIndex,
    queries: &[BenchQuery],
    runs: usize,
    warmup: usize,
) -> Result<BenchReport> {
    let mut timings = Vec::new();
    let mut per_class: Vec<(String, Vec<f64>, usize)> = Vec::new();
    for q in queries {
        let params = SearchParams::parse(Some(&q.filters), true)?;
        let request = SearchRequest {
            query: q.query.clone(),
            filters: params.filters(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            collapse: false,
        };
        let mut total = 0;
        for _ in 0..warmup {
            total = search(index, &request)?.total;
        }
        let mut ms = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let r = search(index, &request)?;
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
            total = r.total;
        }
        let mut sorted = ms.clone();
        sorted.sort_by(|a, b| a.total_cmp(b));
        timings.push(QueryTiming {
            class: q.class.clone(),
            query: q.query.clone(),
            filters: q.filters.clone(),
            total,
            runs: sorted.len(),
            median_ms: percentile(&sorted, 50.0),
            p99_ms: percentile(&sorted, 99.0),
        });
        match per_class.iter_mut().find(|(c, _, _)| *c == q.class) {
            Some((_, all, n)) => {
                all.extend(ms);
                *n += 1;
            }
            None => per_class.push((q.class.clone(), ms, 1)),
        }
    }
    let classes = per_class
        .into_iter()
        .map(|(class, mut all, n)| {
            all.sort_by(|a, b| a.total_cmp(b));
            ClassTiming {
                class,
                queries: n,
                median_ms: percentile(&all, 50.0),
                p99_ms: percentile(&all, 99.0),
            }
        })
        .collect();
    Ok(BenchReport {
        articles: index.meta.articles,
        queries: timings,
        classes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lists_and_percentiles() {
        let list =
            parse_query_list("# c\nsingle\t经济\n\nfiltered\t改革\tprovince=广东\n").unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].filters, "province=广东");
        assert!(parse_query_list("only-a-class\n").is_err());
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v[..1], 99.0), 1.0);
    }
}
