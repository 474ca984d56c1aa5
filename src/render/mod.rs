//! Output: search results for a terminal (colour when stdout is one, `**marks**`
//! otherwise) and as JSON for scripts; facet distributions as aligned tables and CSV; every
//! match as CSV or JSON Lines (`export`); concordance lines aligned on the match, and as CSV
//! (`kwic`); what `index` says when it is done ([`summary`]), a file as `inspect` reads it
//! ([`inspect`]) and `bench`'s timings ([`bench`]). The web page has its own HTML in `serve`.

mod bench;
mod inspect;
mod summary;

pub use bench::write_bench_report;
pub use inspect::write_inspected;
pub use summary::write_summary;

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::search::export::{Cell, ExportField, ExportRow};
use crate::search::facets::{Comparison, Distribution, Unit};
use crate::search::kwic::{Concordance, KwicLine};
use crate::search::stories::Reprints;
use crate::search::{FacetCount, Matching, SearchResponse};
use crate::Error;

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
    collapse: bool,
    m: Marks,
) -> io::Result<()> {
    if r.total == 0 {
        writeln!(out, "No articles match {}.", quote(&r.query))?;
        return Ok(());
    }
    // Reprints make fewer stories than articles: then the total says both.
    let stories = if r.stories != r.total {
        format!(
            ", {} stor{}",
            r.stories,
            if r.stories == 1 { "y" } else { "ies" }
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}{} article{}{stories} match {}{}{}",
        m.bold,
        r.total,
        if r.total == 1 { "" } else { "s" },
        quote(&r.query),
        matched_as(r.matching),
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
            hit.facets
                .one("source")
                .unwrap_or("source unknown")
                .to_string(),
        );
        if !hit.regions.is_empty() {
            meta.push(hit.regions.join(" "));
        }
        let industries = hit.facets.get("industry");
        if !industries.is_empty() {
            meta.push(industries.join(" "));
        }
        writeln!(out, "     {}{}{}", m.dim, meta.join(" | "), m.reset)?;
        writeln!(out, "     {}{}{}", m.dim, hit.id, m.reset)?;
        writeln!(out, "     {}", hit.snippet_pieces.marked(m.open, m.close))?;
        if hit.reprints > 0 {
            let by = match hit.reprinted_by.len() {
                0 => String::new(),
                n if n < hit.reprints => format!(": {}, …", hit.reprinted_by.join(", ")),
                _ => format!(": {}", hit.reprinted_by.join(", ")),
            };
            writeln!(
                out,
                "     {}+{} reprint{}{by}{}",
                m.dim,
                hit.reprints,
                if hit.reprints == 1 { "" } else { "s" },
                m.reset
            )?;
        }
    }
    let shown = r.hits.len();
    // A collapsed list pages through stories.
    let listed = if collapse { r.stories } else { r.total };
    if offset + shown < listed {
        writeln!(
            out,
            "\n  showing {}-{} of {}{}; more with --offset {}",
            offset + 1,
            offset + shown,
            listed,
            if collapse { " stories" } else { "" },
            offset + shown
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}Facets of all {} results{}",
        m.bold, r.total, m.reset
    )?;
    for (facet, counts) in &r.facets.facets {
        let max = facet.counted.unwrap_or(10);
        if let Some(line) = facet_line(facet.name, counts, max) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// A story's articles, one per line: date, source, id and title, the original marked.
pub fn write_reprints(out: &mut dyn Write, r: &Reprints) -> io::Result<()> {
    let n = r.articles.len();
    if n == 1 {
        writeln!(
            out,
            "{} is a story of its own: no reprints were found.",
            r.story
        )?;
    } else {
        writeln!(out, "story {}: {n} articles", r.story)?;
    }
    for a in &r.articles {
        writeln!(
            out,
            "{} {:<10}  {:<12}  {}  {}",
            if a.original { "*" } else { " " },
            a.date.as_deref().unwrap_or("-"),
            a.source.as_deref().unwrap_or("-"),
            a.id,
            a.title
        )?;
    }
    if n > 1 {
        writeln!(
            out,
            "(* the original: the earliest, a news agency first on the same day)"
        )?;
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
/// A count with thousands separators: 32,355.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Pads to a display width: a Chinese character takes two terminal columns.
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// A distribution (or a table of two facets) as aligned text, with totals.
pub fn write_distribution(out: &mut dyn Write, d: &Distribution) -> io::Result<()> {
    let names: Vec<&str> = d.by.iter().map(|k| k.name).collect();
    let what = if d.query.trim().is_empty() {
        "all articles".to_string()
    } else {
        format!("「{}」", d.query)
    };
    let (unit, units) = match d.counts {
        Unit::Articles => ("article", "articles"),
        Unit::Stories => ("story", "stories"),
    };
    writeln!(
        out,
        "{what}{}: {} {}, by {}",
        matched_as(d.matching),
        d.total,
        if d.total == 1 { unit } else { units },
        names.join(" × ")
    )?;
    if d.total == 0 {
        return Ok(());
    }
    let first_width = d
        .rows
        .iter()
        .map(|r| r.value.width())
        .chain([names[0].width(), "total".len()])
        .max()
        .unwrap_or(8);
    let mut header = pad(names[0], first_width, false);
    let col_widths: Vec<usize> = d
        .columns
        .iter()
        .zip(&d.column_totals)
        .map(|(c, t)| c.width().max(t.to_string().len()))
        .collect();
    for (c, w) in d.columns.iter().zip(&col_widths) {
        header.push_str("  ");
        header.push_str(&pad(c, *w, true));
    }
    let count_width = units.len().max(d.total.to_string().len());
    header.push_str("  ");
    header.push_str(&pad(units, count_width, true));
    writeln!(out, "{}", header.trim_end())?;
    let line = |label: &str, cells: &[u64], count: u64| {
        let mut l = pad(label, first_width, false);
        for (c, w) in cells.iter().zip(&col_widths) {
            l.push_str("  ");
            l.push_str(&pad(&c.to_string(), *w, true));
        }
        l.push_str("  ");
        l.push_str(&pad(&count.to_string(), count_width, true));
        l
    };
    for r in &d.rows {
        writeln!(out, "{}", line(&r.value, &r.cells, r.count))?;
    }
    writeln!(out, "{}", line("total", &d.column_totals, d.total))?;
    writeln!(
        out,
        "({} several {} values counts once under each; totals count {units}; (none) = no value)",
        if d.counts == Unit::Stories {
            "a story whose articles have"
        } else {
            "an article with"
        },
        names.join("/")
    )?;
    Ok(())
}

/// A CSV writer's error as the I/O error it is (a closed pipe stays a closed pipe).
fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A distribution as CSV (the `csv` crate quotes what needs quoting): a header, one row per
/// value, a `total` row.
pub fn write_distribution_csv(out: &mut dyn Write, d: &Distribution) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    write_csv_rows(&mut w, d).map_err(csv_error)?;
    w.flush()
}

fn write_csv_rows(w: &mut csv::Writer<&mut dyn Write>, d: &Distribution) -> csv::Result<()> {
    let mut header = vec![d.by[0].name.to_string()];
    header.extend(d.columns.iter().cloned());
    header.push(
        match d.counts {
            Unit::Articles => "articles",
            Unit::Stories => "stories",
        }
        .into(),
    );
    w.write_record(&header)?;
    for r in &d.rows {
        let mut row = vec![r.value.clone()];
        row.extend(r.cells.iter().map(u64::to_string));
        row.push(r.count.to_string());
        w.write_record(&row)?;
    }
    let mut total = vec!["total".to_string()];
    total.extend(d.column_totals.iter().map(u64::to_string));
    total.push(d.total.to_string());
    w.write_record(&total)
}

/// How `export` writes its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// A header, then a row per article; lists joined with `;`.
    #[default]
    Csv,
    /// One JSON object per line, keys in the order of the fields; lists as arrays.
    Jsonl,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> crate::Result<ExportFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" | "" => Ok(ExportFormat::Csv),
            "jsonl" | "ndjson" => Ok(ExportFormat::Jsonl),
            other => Err(Error::user(format!(
                "unknown export format `{other}`; use csv or jsonl"
            ))),
        }
    }
}

impl ExportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        }
    }

    /// The HTTP Content-Type of a download.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Jsonl => "application/x-ndjson; charset=utf-8",
        }
    }

    /// A byte-order mark is for Excel, which reads CSV without one as the local code page;
    /// JSON readers would take it for a stray character.
    pub fn check_bom(self, bom: bool) -> crate::Result<()> {
        if bom && self == ExportFormat::Jsonl {
            return Err(Error::user(
                "a byte-order mark (--bom) is for CSV opened in Excel; leave it out for jsonl",
            ));
        }
        Ok(())
    }
}

/// The separator of a list's values in a CSV cell (`广东;浙江`).
pub const CSV_LIST_SEPARATOR: &str = ";";

/// Writes an export's rows as they come: the header (and BOM) first, then one row at a time,
/// so nothing but the current row is held.
pub struct ExportWriter<W: Write> {
    sink: ExportSink<W>,
}

enum ExportSink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
}

impl<W: Write> ExportWriter<W> {
    /// Starts the output: a UTF-8 byte-order mark if asked (for Excel), the CSV header.
    pub fn new(
        mut out: W,
        format: ExportFormat,
        fields: &[ExportField],
        bom: bool,
    ) -> io::Result<Self> {
        if bom {
            out.write_all("\u{FEFF}".as_bytes())?;
        }
        let sink = match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(fields.iter().map(|f| f.name()))
                    .map_err(csv_error)?;
                ExportSink::Csv(Box::new(w))
            }
            ExportFormat::Jsonl => ExportSink::Jsonl(out),
        };
        Ok(ExportWriter { sink })
    }

    pub fn write_row(&mut self, row: &ExportRow) -> io::Result<()> {
        match &mut self.sink {
            ExportSink::Csv(w) => w
                .write_record(row.cells.iter().map(|(_, cell)| match cell {
                    Cell::Text(t) => t.clone().unwrap_or_default(),
                    Cell::List(values) => values.join(CSV_LIST_SEPARATOR),
                    Cell::Number(n) => n.to_string(),
                }))
                .map_err(csv_error),
            ExportSink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &JsonRow(row))?;
                out.write_all(b"\n")
            }
        }
    }

    /// Writes what is buffered and gives the output back.
    pub fn finish(self) -> io::Result<W> {
        match self.sink {
            ExportSink::Csv(w) => w.into_inner().map_err(|e| e.into_error()),
            ExportSink::Jsonl(mut out) => {
                out.flush()?;
                Ok(out)
            }
        }
    }
}

/// A row as a JSON object whose keys keep the order of the fields.
struct JsonRow<'a>(&'a ExportRow);

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.cells.len()))?;
        for (field, cell) in &self.0.cells {
            match cell {
                Cell::Text(t) => map.serialize_entry(field.name(), t)?,
                Cell::List(values) => map.serialize_entry(field.name(), values)?,
                Cell::Number(n) => map.serialize_entry(field.name(), n)?,
            }
        }
        map.end()
    }
}

/// A concordance for people: the left contexts right-aligned, the matches in one column,
/// the right contexts after them, then date, source and article id; aligned by display
/// width (a Chinese character takes two columns).
/// What a count says of how its words were matched: nothing for the exact default,
/// ` (as whole words)` under `--words`.
pub fn matched_as(m: Matching) -> &'static str {
    match m {
        Matching::Substring => "",
        Matching::Words => " (as whole words)",
    }
}

pub fn write_kwic(out: &mut dyn Write, c: &Concordance, m: Marks) -> io::Result<()> {
    let widest = |part: fn(&KwicLine) -> &str| {
        c.lines
            .iter()
            .map(|l| UnicodeWidthStr::width(part(l)))
            .max()
            .unwrap_or(0)
    };
    let left_w = widest(|l| &l.left);
    let match_w = widest(|l| &l.matched);
    let right_w = widest(|l| &l.right);
    let source_w = widest(|l| l.source.as_deref().unwrap_or("-"));
    for l in &c.lines {
        let matched = pad(&l.matched, match_w, false);
        let line = format!(
            "{}  {}{}{}  {}  {}{} {} {}{}",
            pad(&l.left, left_w, true),
            m.open,
            matched,
            m.close,
            pad(&l.right, right_w, false),
            m.dim,
            pad(l.date.as_deref().unwrap_or("-"), 10, false),
            pad(l.source.as_deref().unwrap_or("-"), source_w, false),
            l.id,
            m.reset
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A concordance as CSV: id, date, source, left, match, right.
pub fn write_kwic_csv(out: &mut dyn Write, c: &Concordance) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "date", "source", "left", "match", "right"])
        .map_err(csv_error)?;
    for l in &c.lines {
        w.write_record([
            l.id.as_str(),
            l.date.as_deref().unwrap_or(""),
            l.source.as_deref().unwrap_or(""),
            &l.left,
            &l.matched,
            &l.right,
        ])
        .map_err(csv_error)?;
    }
    w.flush()
}

/// A share as people read it: `12.5‰` under 1%, else `3.4%`.
fn share_text(share: f64) -> String {
    if share < 0.01 {
        format!("{:.1}‰", share * 1000.0)
    } else {
        format!("{:.1}%", share * 100.0)
    }
}

fn query_label(q: &str) -> String {
    if q.trim().is_empty() {
        "(all)".to_string()
    } else {
        q.to_string()
    }
}

/// Several queries over one facet as aligned text: a column per query (with its share when
/// normalised), and the articles of each value under the filters.
pub fn write_comparison(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    let labels: Vec<String> = c.queries.iter().map(|q| query_label(q)).collect();
    let quoted: Vec<String> = labels.iter().map(|l| format!("「{l}」")).collect();
    writeln!(
        out,
        "{}{} by {}{}",
        quoted.join(" vs "),
        matched_as(c.matching),
        c.by.name,
        if c.normalized {
            ", as a share of all articles with each value under the filters"
        } else {
            ""
        }
    )?;
    let cell = |row_counts: &[u64], shares: &[f64], i: usize| -> String {
        match shares.get(i) {
            Some(&s) => format!("{} ({})", row_counts[i], share_text(s)),
            None => row_counts[i].to_string(),
        }
    };
    let first_width = c
        .rows
        .iter()
        .map(|r| r.value.width())
        .chain([c.by.name.width(), "total".len()])
        .max()
        .unwrap_or(8);
    let widths: Vec<usize> = (0..c.queries.len())
        .map(|i| {
            c.rows
                .iter()
                .map(|r| cell(&r.counts, &r.shares, i).width())
                .chain([labels[i].width(), c.totals[i].to_string().len()])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let all_width = c
        .all
        .map(|a| "all".len().max(a.to_string().len()))
        .unwrap_or(0);
    let mut header = pad(c.by.name, first_width, false);
    for (l, w) in labels.iter().zip(&widths) {
        header.push_str("  ");
        header.push_str(&pad(l, *w, true));
    }
    if c.all.is_some() {
        header.push_str("  ");
        header.push_str(&pad("all", all_width, true));
    }
    writeln!(out, "{}", header.trim_end())?;
    for r in &c.rows {
        let mut line = pad(&r.value, first_width, false);
        for (i, w) in widths.iter().enumerate() {
            line.push_str("  ");
            line.push_str(&pad(&cell(&r.counts, &r.shares, i), *w, true));
        }
        if let Some(a) = r.all {
            line.push_str("  ");
            line.push_str(&pad(&a.to_string(), all_width, true));
        }
        writeln!(out, "{line}")?;
    }
    let mut total = pad("total", first_width, false);
    for (t, w) in c.totals.iter().zip(&widths) {
        total.push_str("  ");
        total.push_str(&pad(&t.to_string(), *w, true));
    }
    if let Some(a) = c.all {
        total.push_str("  ");
        total.push_str(&pad(&a.to_string(), all_width, true));
    }
    writeln!(out, "{total}")?;
    Ok(())
}

/// Several queries over one facet as CSV: a count column per query, then, when normalised,
/// a share column per query (0 to 1) and the articles of each value under the filters.
pub fn write_comparison_csv(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    write_comparison_rows(&mut w, c).map_err(csv_error)?;
    w.flush()
}

fn write_comparison_rows(w: &mut csv::Writer<&mut dyn Write>, c: &Comparison) -> csv::Result<()> {
    let labels: Vec<String> = c.queries.iter().map(|q| query_label(q)).collect();
    let mut header = vec![c.by.name.to_string()];
    header.extend(labels.iter().cloned());
    if c.normalized {
        header.extend(labels.iter().map(|l| format!("{l} share")));
        header.push("all".into());
    }
    w.write_record(&header)?;
    for r in &c.rows {
        let mut row = vec![r.value.clone()];
        row.extend(r.counts.iter().map(u64::to_string));
        if c.normalized {
            row.extend(r.shares.iter().map(|s| format!("{s:.6}")));
            row.push(r.all.unwrap_or(0).to_string());
        }
        w.write_record(&row)?;
    }
    let mut total = vec!["total".to_string()];
    total.extend(c.totals.iter().map(u64::to_string));
    if c.normalized {
        total.extend(c.totals.iter().map(|&t| {
            let all = c.all.unwrap_or(0);
            format!("{:.6}", if all > 0 { t as f64 / all as f64 } else { 0.0 })
        }));
        total.push(c.all.unwrap_or(0).to_string());
    }
    w.write_record(&total)
}
