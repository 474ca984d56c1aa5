//! What `index` says when it is done: the summary on standard error.

use std::io::{self, Write};
use std::path::Path;

use super::thousands;
use crate::index::{BuildSummary, FileNote};

/// Files skipped by an earlier run and not read again, at most ten named with their reasons:
/// `still skipped: 2 files (a.html: a list of links; b.csv: …)`.
fn still_skipped_line(notes: &[FileNote]) -> String {
    const NAMED: usize = 10;
    let named: Vec<String> = notes
        .iter()
        .take(NAMED)
        .map(|n| format!("{}: {}", n.path, n.reason))
        .collect();
    let more = match notes.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    format!(
        "still skipped: {} file{} ({}{more})",
        thousands(notes.len()),
        if notes.len() == 1 { "" } else { "s" },
        named.join("; ")
    )
}

/// What `index` says when it is done, on standard error: what was read, indexed, updated
/// and skipped, and why.
pub fn write_summary(out: &mut dyn Write, s: &BuildSummary, index: &Path) -> io::Result<()> {
    let mb = s.bytes_read as f64 / 1_048_576.0;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if let Some(why) = &s.rebuilt_because {
        writeln!(out, "built {} from scratch: {why}", index.display())?;
    }
    match &s.update {
        Some(u) => writeln!(
            out,
            "updated {}: +{} new, {} changed, {} removed, {} unchanged file{} in {:.1} s; {} article{} read ({:.1} MB), {} in the index ({:.1} MB)",
            index.display(),
            thousands(u.new),
            thousands(u.changed),
            thousands(u.removed),
            thousands(u.unchanged),
            plural(u.unchanged),
            s.seconds,
            thousands(s.articles),
            plural(s.articles),
            mb,
            thousands(s.index_articles),
            s.index_bytes as f64 / 1_048_576.0
        ),
        None => writeln!(
            out,
            "indexed {} article{} from {} file{} ({:.1} MB) in {:.1}s into {} ({:.1} MB)",
            s.articles,
            plural(s.articles),
            s.files_read,
            plural(s.files_read),
            mb,
            s.seconds,
            index.display(),
            s.index_bytes as f64 / 1_048_576.0
        ),
    }?;
    if s.stories > 0 {
        writeln!(
            out,
            "{} stor{} of reprints: {} articles in them",
            thousands(s.stories),
            if s.stories == 1 { "y" } else { "ies" },
            thousands(s.reprinted_articles)
        )?;
    }
    if s.files_skipped > 0 {
        let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
        for n in &s.skipped {
            let key = n
                .reason
                .split([':', '('])
                .next()
                .unwrap_or(&n.reason)
                .trim()
                .to_string();
            *reasons.entry(key).or_default() += 1;
        }
        let why: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        writeln!(
            out,
            "skipped {} file{}: {}",
            s.files_skipped,
            if s.files_skipped == 1 { "" } else { "s" },
            why.join("; ")
        )?;
    }
    if !s.still_skipped.is_empty() {
        writeln!(out, "{}", still_skipped_line(&s.still_skipped))?;
    }
    if s.formats.keys().any(|f| f != "text") {
        let read: Vec<String> = s
            .formats
            .iter()
            .map(|(format, t)| {
                let records = if t.records > 0 {
                    format!(", {} records", t.records)
                } else {
                    String::new()
                };
                format!(
                    "{format}: {} files{records}, {} articles",
                    t.files, t.articles
                )
            })
            .collect();
        writeln!(out, "read as {}", read.join("; "))?;
    }
    let decoded = s
        .flagged
        .iter()
        .filter(|n| n.reason.starts_with("decoded as"))
        .count();
    if decoded > 0 {
        writeln!(
            out,
            "{} file{} decoded with invalid bytes replaced (see the warnings above)",
            decoded,
            if decoded == 1 { "" } else { "s" }
        )?;
    }
    let other = s.flagged.len() - decoded;
    if other > 0 {
        writeln!(
            out,
            "{} warning{} about records or page metadata left out (see above)",
            other,
            if other == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}
