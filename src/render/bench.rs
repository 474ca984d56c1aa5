//! `bench` for reading: each query's median and 99th percentile, then each class's.

use std::io::{self, Write};

use crate::bench::BenchReport;

pub fn write_bench_report(
    out: &mut dyn Write,
    report: &BenchReport,
    runs: usize,
) -> io::Result<()> {
    writeln!(
        out,
        "{} articles, {runs} timed runs per query",
        report.articles
    )?;
    writeln!(
        out,
        "{:<10} {:>9} {:>9} {:>8}  query",
        "class", "median ms", "p99 ms", "hits"
    )?;
    for q in &report.queries {
        writeln!(
            out,
            "{:<10} {:>9.3} {:>9.3} {:>8}  {} {}",
            q.class, q.median_ms, q.p99_ms, q.total, q.query, q.filters
        )?;
    }
    writeln!(out)?;
    for c in &report.classes {
        writeln!(
            out,
            "{:<10} {:>9.3} {:>9.3}  ({} queries)",
            c.class, c.median_ms, c.p99_ms, c.queries
        )?;
    }
    Ok(())
}
