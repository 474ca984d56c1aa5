//! Output: search results for a terminal (colour when stdout is one, `**marks**`
//! otherwise) and as JSON for scripts. The web page has its own HTML in `serve`.

use std::io::{self, Write};

use crate::search::{FacetCount, SearchResponse};

/// How matched words are shown in terminal output.
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    pub open: &'static str,
    pub close: &'static str,
    pub dim: &'static str,
    pub bold: &'static str,
    pub reset: &'static str,
}

impl Marks {
    pub fn for_terminal(colour: bool) -> Marks {
        if colour {
            Marks {
                open: "\x1b[1;31m",
                close: "\x1b[0m",
                dim: "\x1b[2m",
                bold: "\x1b[1m",
                reset: "\x1b[0m",
            }
        } else {
            Marks {
                open: "**",
                close: "**",
                dim: "",
                bold: "",
                reset: "",
            }
        }
    }
}

fn facet_line(name: &str, counts: &[FacetCount], max: usize) -> Option<String> {
    if counts.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = counts
        .iter()
        .take(max)
        .map(|c| format!("{} {}", c.value, c.count))
        .collect();
    if counts.len() > max {
        parts.push(format!("… (+{} more)", counts.len() - max));
    }
    Some(format!("  {name:<9}{}", parts.join(" · ")))
}

/// Results for people: rank, title, date, source, provinces, path, snippet; then the facet
/// counts of the whole result set.
pub fn write_results(
    out: &mut dyn Write,
    r: &SearchResponse,
    offset: usize,
    m: Marks,
) -> io::Result<()> {
    if r.total == 0 {
        writeln!(out, "No articles match {}.", quote(&r.query))?;
        return Ok(());
    }
    writeln!(
        out,
        "{}{} article{} match {}{}",
        m.bold,
        r.total,
        if r.total == 1 { "" } else { "s" },
        quote(&r.query),
        m.reset
    )?;
    for (i, hit) in r.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{:>3}. {}{}{}",
            offset + i + 1,
            m.bold,
            hit.title_pieces
                .marked(m.open, &format!("{}{}", m.close, m.bold)),
            m.reset
        )?;
        let mut meta = vec![hit.date.clone().unwrap_or_else(|| "date unknown".into())];
        meta.push(
            hit.source
                .clone()
                .unwrap_or_else(|| "source unknown".into()),
        );
        if !hit.regions.is_empty() {
            meta.push(hit.regions.join(" "));
        }
        if !hit.industries.is_empty() {
            meta.push(hit.industries.join(" "));
        }
        writeln!(out, "     {}{}{}", m.dim, meta.join(" | "), m.reset)?;
        writeln!(out, "     {}{}{}", m.dim, hit.id, m.reset)?;
        writeln!(out, "     {}", hit.snippet_pieces.marked(m.open, m.close))?;
    }
    let shown = r.hits.len();
    if offset + shown < r.total {
        writeln!(
            out,
            "\n  showing {}-{} of {}; more with --offset {}",
            offset + 1,
            offset + shown,
            r.total,
            offset + shown
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}Facets of all {} results{}",
        m.bold, r.total, m.reset
    )?;
    for (name, counts, max) in [
        ("province", &r.facets.province, 12),
        ("source", &r.facets.source, 10),
        ("industry", &r.facets.industry, 10),
        ("month", &r.facets.month, 12),
    ] {
        if let Some(line) = facet_line(name, counts, max) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn quote(q: &str) -> String {
    if q.trim().is_empty() {
        "(all articles)".to_string()
    } else {
        format!("「{q}」")
    }
}

/// Any serialisable value as one line of JSON.
pub fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}
