//! `inspect` for reading: a file's format, encoding and notes, then each article's fields as
//! the index will hold them and its text a paragraph per line.

use std::io::{self, Write};

use crate::corpus::Settings;
use crate::inspect::InspectedFile;

pub fn write_inspected(out: &mut dyn Write, file: &InspectedFile) -> io::Result<()> {
    let n = file.articles.len();
    writeln!(
        out,
        "{} ({}, {}, {n} article{})",
        file.path,
        file.format,
        file.encoding,
        if n == 1 { "" } else { "s" }
    )?;
    if !file.settings.is_empty() {
        writeln!(out, "  settings: {}", settings_line(&file.settings))?;
    }
    for note in &file.notes {
        writeln!(out, "  note: {note}")?;
    }
    for a in &file.articles {
        let art = &a.article;
        writeln!(
            out,
            "\n#{}  {}",
            art.id.rsplit('#').next().unwrap_or(""),
            art.title
        )?;
        writeln!(out, "  title from: {}", art.title_from)?;
        writeln!(
            out,
            "  date:       {}",
            art.date
                .map(|d| format!("{d} (from {})", d.from.name()))
                .unwrap_or_else(|| "unknown".into())
        )?;
        if let Some(url) = &art.url {
            writeln!(out, "  url:        {url}")?;
        }
        writeln!(
            out,
            "  source:     {}",
            art.source.as_deref().unwrap_or("unknown")
        )?;
        if let Some(printed) = art
            .source_printed
            .as_deref()
            .filter(|p| Some(*p) != art.source.as_deref())
        {
            writeln!(out, "  printed:    {printed}")?;
        }
        writeln!(
            out,
            "  site:       {}",
            art.site.as_deref().unwrap_or("unknown")
        )?;
        writeln!(out, "  regions:    {}", a.regions.join(" "))?;
        writeln!(out, "  mentions:   {}", a.mentions.join(" "))?;
        writeln!(out, "  industries: {}", a.industries.join(" "))?;
        writeln!(out, "  text:")?;
        for p in art.body.lines() {
            writeln!(out, "    {p}")?;
        }
    }
    Ok(())
}

/// `source = 新华社, encoding = gbk (from a/corpus-search.toml)`.
fn settings_line(s: &Settings) -> String {
    let mut set: Vec<String> = Vec::new();
    let mut say = |key: &str, v: &Option<String>| {
        if let Some(v) = v {
            set.push(format!("{key} = {v}"));
        }
    };
    say("source", &s.source);
    say("site", &s.site);
    say("encoding", &s.encoding);
    say("format", &s.format);
    set.extend(s.fields.iter().map(|(t, f)| format!("fields.{t} = {f}")));
    format!("{} (from {})", set.join(", "), s.from.join(", "))
}
