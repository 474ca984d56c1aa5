//! Reading a corpus: files to articles.
//!
//! ```text
//! walk (files) -> decode (text) -> what is it?
//!     records (records::*: XML <doc>/TREC/RSS, JSON Lines, JSON, CSV/TSV, WARC)  -> one article a record
//!     a web page (html: DOM, metadata, main content; links: its site if no URL)   -> one article
//!     text      (markdown: front matter, day items; clean: lines)                 -> split: articles
//! -> article (title, date, source from the text and the metadata around it)
//! ```
//!
//! [`read_file`] runs the whole path for one file; a file that cannot be read is a
//! [`FileProblem`], reported and skipped by the caller, never a reason to stop. A record
//! that cannot be read is a note of its file; the file's other records are read.

pub mod article;
pub mod clean;
pub mod decode;
pub mod html;
pub mod html_depth;
pub mod links;
pub mod markdown;
pub mod records;
pub mod settings;
pub mod split;
pub mod walk;

use std::collections::{HashMap, HashSet};

pub use article::{Article, Known};
pub use decode::{decode_bytes, DecodeError, Decoded};
pub use records::{FieldMap, RecordFormat};
pub use settings::{Settings, SETTINGS_FILE};
pub use walk::{walk_corpus, CorpusFile, Skipped, Walk, WalkOptions};

/// Why a file gave no articles.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FileProblem {
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("{size} bytes is larger than the {limit}-byte limit for one file (raise it with --max-file-size if this is really one page)")]
    TooLarge { size: u64, limit: u64 },
    #[error("{0}")]
    Decode(#[from] DecodeError),
    #[error("no article text left after cleaning")]
    NoText,
    #[error("a list of links, not an article ({0} links; {1})")]
    ListOfLinks(usize, &'static str),
    #[error("{0}")]
    Records(String),
    #[error("it kept changing while it was being read ({0} tries); it is left as it was and read at the next `index`")]
    Unsteady(usize),
}

/// Options for reading files.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub max_file_size: u64,
    /// `--format`: read every file as this, instead of telling each by its content.
    pub format: Option<Format>,
    /// `--fields title=headline,...`: record field names beyond the usual ones.
    pub fields: FieldMap,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_file_size: 50 * 1024 * 1024,
            format: None,
            fields: FieldMap::default(),
        }
    }
}

/// What a file is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Records(RecordFormat),
}

impl Format {
    pub fn name(&self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Records(r) => r.name(),
        }
    }

    /// `--format NAME`: text, html, or a record format (xml, sogou, trec, rss, jsonl, json,
    /// csv, tsv, warc).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            other => RecordFormat::from_name(other).map(Format::Records),
        }
    }
}

/// The articles of one file, and what is worth telling about how it was read.
#[derive(Debug, Clone)]
pub struct FileArticles {
    pub articles: Vec<Article>,
    pub encoding: &'static str,
    /// Invalid byte sequences replaced with U+FFFD (the file is flagged, not refused).
    pub replaced: usize,
    pub bytes: u64,
    /// What the file was read as (`text`, `html`, `jsonl` ...).
    pub format: &'static str,
    /// Records in the file (0 for a page or a text).
    pub records: usize,
    /// What went wrong without stopping the file: a broken record, a JSON-LD block that
    /// is not JSON.
    pub notes: Vec<String>,
}

/// Reads, decodes, cleans and splits one file.
pub fn read_file(file: &CorpusFile, options: &ReadOptions) -> Result<FileArticles, FileProblem> {
    let read = read_steady(file, options.max_file_size)?;
    read_file_bytes(file, &read.bytes, options)
}

/// [`read_bytes`] for a corpus file, under its folders' settings: they fill in the reading
/// options the command line leaves open, and the source and site its articles do not name.
pub fn read_file_bytes(
    file: &CorpusFile,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<FileArticles, FileProblem> {
    if file.settings.is_empty() {
        return read_bytes(&file.rel, bytes, options);
    }
    let mut found = read_bytes(&file.rel, bytes, &file.settings.read_options(options))?;
    file.settings.apply(&mut found.articles);
    Ok(found)
}

/// A file's bytes, and its size and modification time while they were read.
pub struct SteadyBytes {
    pub bytes: Vec<u8>,
    pub size: u64,
    pub modified: u64,
}

/// Nanoseconds since 1970.
fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// A file modified less than this long before it is read may be in the middle of being
/// written (modification times come from a coarse clock, and a writer pauses between
/// writes): it is read again after a pause.
const SETTLE_NS: u64 = 100_000_000;

/// True for a modification time (nanoseconds since 1970) within the last two seconds, or in
/// the future.
fn recently_modified(modified: u64) -> bool {
    modified.saturating_add(2_000_000_000) > now_ns()
}

/// Tries to read a file this many times while it keeps changing under the reader.
const STEADY_TRIES: usize = 4;

/// Reads a file whole, checking its size and modification time before and after: a file
/// that changes while it is read (a download in progress, an editor saving) is read again,
/// and after [`STEADY_TRIES`] changes it is reported, never half-read.
pub fn read_steady(file: &CorpusFile, limit: u64) -> Result<SteadyBytes, FileProblem> {
    if file.size > limit {
        return Err(FileProblem::TooLarge {
            size: file.size,
            limit,
        });
    }
    let stat = |path: &std::path::Path| -> Result<(u64, u64), FileProblem> {
        let meta = std::fs::metadata(path).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
        Ok((meta.len(), walk::modified_ns(&meta)))
    };
    for attempt in 0..STEADY_TRIES {
        if attempt > 0 {
            // Give a writer in the middle of its work a moment to finish.
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let started = now_ns();
        let before = stat(&file.abs)?;
        if before.0 > limit {
            return Err(FileProblem::TooLarge {
                size: before.0,
                limit,
            });
        }
        let bytes = std::fs::read(&file.abs).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(FileProblem::TooLarge {
                size: bytes.len() as u64,
                limit,
            });
        }
        let after = stat(&file.abs)?;
        if before != after || bytes.len() as u64 != after.0 {
            continue;
        }
        // File systems stamp modification times with a coarse clock (a few milliseconds), so
        // a file written in place during the read can show the same size and time. One
        // written within [`SETTLE_NS`] of the read is read again after a pause (a writer
        // may be between two writes), and reported if it never settles; one modified in the
        // last moments is read twice and must not differ.
        if after.1.saturating_add(SETTLE_NS) >= started {
            continue;
        }
        if recently_modified(after.1) {
            let again =
                std::fs::read(&file.abs).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
            if again != bytes || stat(&file.abs)? != after {
                continue;
            }
        }
        return Ok(SteadyBytes {
            bytes,
            size: after.0,
            modified: after.1,
        });
    }
    Err(FileProblem::Unsteady(STEADY_TRIES))
}

/// Reads one file's bytes into articles: records, a web page or text.
pub fn read_bytes(
    rel: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<FileArticles, FileProblem> {
    let warc = matches!(options.format, Some(Format::Records(RecordFormat::Warc)))
        || (options.format.is_none()
            && records::detect_format(rel, bytes, None) == Some(RecordFormat::Warc));
    if warc {
        let found = records::read_records(RecordFormat::Warc, bytes, None, &options.fields)
            .map_err(FileProblem::Records)?;
        return from_records(rel, found, "WARC", bytes.len() as u64, 0);
    }
    let decoded = decode::decode_file(bytes, options.encoding)?;
    let text = decoded.text.as_str();
    // A post with YAML front matter: its metadata, then Markdown or an HTML fragment.
    let post = match options.format {
        Some(Format::Records(_)) => None,
        _ => markdown::front_matter(text, &options.fields),
    };
    let (known, text) = match &post {
        Some((known, rest)) => (Some(known), *rest),
        None => (None, text),
    };
    let format = options.format.unwrap_or_else(|| {
        let records = known
            .is_none()
            .then(|| records::detect_format_with(rel, bytes, Some(text), &options.fields))
            .flatten();
        if let Some(r) = records {
            Format::Records(r)
        } else if html::is_html(text, rel) {
            Format::Html
        } else {
            Format::Text
        }
    });
    let mut notes = Vec::new();
    let articles = match format {
        Format::Records(r) => {
            let found = records::read_records(r, bytes, Some(text), &options.fields)
                .map_err(FileProblem::Records)?;
            return from_records(
                rel,
                found,
                decoded.encoding,
                bytes.len() as u64,
                decoded.replaced,
            );
        }
        Format::Html => {
            let page = html::read_page(text);
            notes.extend(page.notes.iter().cloned());
            if let Some((links, why)) = page.list_of_links.filter(|_| known.is_none()) {
                return Err(FileProblem::ListOfLinks(links, why));
            }
            page_articles(rel, 1, &page, known.unwrap_or(&Known::default()))
        }
        Format::Text => match known {
            Some(known) => article::assemble(rel, 1, Some(known), &clean::clean_text(text)),
            None => match markdown::day_transcript(text) {
                Some(day) => day_articles(rel, &day),
                None => articles_from_text(rel, text),
            },
        },
    };
    if articles.is_empty() {
        return Err(FileProblem::NoText);
    }
    Ok(FileArticles {
        articles,
        encoding: decoded.encoding,
        replaced: decoded.replaced,
        bytes: bytes.len() as u64,
        format: format.name(),
        records: 0,
        notes,
    })
}

/// The article of a web page; `record` holds what a record said around it (WARC's URL, a
/// JSON record whose text is HTML), which the page's own metadata completes.
fn page_articles(rel: &str, n: usize, page: &html::Page, record: &Known) -> Vec<Article> {
    let known = Known {
        url: record.url.clone().or(page.url.clone()),
        title: record.title.clone().or(page.headline.clone()),
        title_dates: record.title_dates.clone(),
        dates: record.dates.iter().chain(&page.dates).cloned().collect(),
        sources: record.sources.clone(),
        // The site most of the page's links point to comes after the names it gives itself.
        site_names: page
            .publishers
            .iter()
            .chain(&page.link_site)
            .cloned()
            .collect(),
        credits: page.credits.clone(),
    };
    let mut text = page.header.clone();
    text.extend(page.content.iter().cloned());
    let lines = clean::clean_text(&text.join("\n"));
    article::assemble(rel, n, Some(&known), &lines)
}

fn from_records(
    rel: &str,
    found: records::Records,
    encoding: &'static str,
    bytes: u64,
    replaced: usize,
) -> Result<FileArticles, FileProblem> {
    let mut notes = found.problems.clone();
    let mut articles = Vec::new();
    let mut empty = 0;
    for record in &found.records {
        // A source given as a host (a news API's `Chinanews.com`) names the site, after
        // any credit the text gives.
        let (host_names, sources): (Vec<String>, Vec<String>) = record_sources(record)
            .into_iter()
            .partition(|s| crate::facets::source::is_host_name(s));
        let known = Known {
            url: record.url.clone().filter(|u| !u.trim().is_empty()),
            title: record
                .title
                .as_ref()
                // An Atom `type="html"` title or a feed's escaped markup: text as printed.
                .map(|t| record_title(clean::plain_text(t).trim()))
                .filter(|t| !t.is_empty())
                .map(|t| (t, "record")),
            title_dates: Vec::new(),
            dates: record.date.iter().cloned().collect(),
            sources,
            site_names: host_names,
            credits: Vec::new(),
        };
        let got = match &record.body {
            records::RecordBody::Html(bytes) => match decode_bytes(bytes, None) {
                Ok(d) => read_record_page(rel, record.n, &d.text, &known, &mut notes),
                Err(e) => {
                    notes.push(format!("record {}: {e}", record.n));
                    continue;
                }
            },
            records::RecordBody::Text(text) if html::is_html(text, "") => {
                read_record_page(rel, record.n, text, &known, &mut notes)
            }
            records::RecordBody::Text(text) => {
                let lines = clean::clean_text(text);
                article::assemble(rel, record.n, Some(&known), &lines)
            }
        };
        let mut got: Vec<Article> = got
            .into_iter()
            .filter(|a| !a.body.trim().is_empty())
            .collect();
        if got.is_empty() {
            // A record with a headline and no text is still an article: its title is what
            // a feed of headlines offers to search.
            got.extend(article::headline_only(rel, record.n, &known));
        }
        if got.is_empty() {
            empty += 1;
        }
        articles.extend(got);
    }
    drop_template_lines(&mut articles);
    if empty > 0 {
        notes.push(format!("{empty} record(s) with no text left out"));
    }
    let no_text = found.records.iter().all(|r| match &r.body {
        records::RecordBody::Text(t) => t.trim().is_empty(),
        records::RecordBody::Html(b) => b.is_empty(),
    });
    if no_text && !articles.is_empty() {
        notes.push(format!(
            "{} records with a title and no text under a known field name (content, text, body, 正文 …): headlines only; if their text is under another name, name it with --fields text=NAME",
            found.records.len()
        ));
    }
    if articles.is_empty() {
        if no_text {
            return Err(FileProblem::Records(format!(
                "{} {} records, none with a title or text under a known field name (title, content, text, body, 标题, 正文 …); name yours with --fields title=NAME,text=NAME",
                found.records.len(),
                found.format.name()
            )));
        }
        return Err(FileProblem::NoText);
    }
    Ok(FileArticles {
        articles,
        encoding,
        replaced,
        bytes,
        format: found.format.name(),
        records: found.records.len(),
        notes,
    })
}

/// Records of one file that share most of their lines' template: a line found in most of
/// them (at least [`TEMPLATE_SHARE`] and at least three) is the feed's disclaimer, app
/// banner or contact block, not any article's text, and leaves every body. Titles, dates
/// and sources were read before, so a shared `来源：` line still credits its outlet.
fn drop_template_lines(articles: &mut [Article]) {
    if articles.len() < 3 {
        return;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for a in articles.iter() {
        let mut lines: Vec<&str> = a
            .body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines.sort_unstable();
        lines.dedup();
        for l in lines {
            *seen.entry(l).or_default() += 1;
        }
    }
    let least = ((articles.len() as f64 * TEMPLATE_SHARE).ceil() as usize).max(3);
    let template: HashSet<String> = seen
        .into_iter()
        .filter(|&(_, n)| n >= least)
        .map(|(l, _)| l.to_string())
        .collect();
    if template.is_empty() {
        return;
    }
    for a in articles.iter_mut() {
        let mut kept: Vec<&str> = a
            .body
            .lines()
            .filter(|l| !template.contains(l.trim()))
            .collect();
        // With the template's closing lines gone, a closing link may end the text again.
        split::drop_closing_links(&mut kept);
        // A body that is all template keeps it: the record says nothing else.
        if kept.iter().any(|l| !l.trim().is_empty()) {
            a.body = kept.join("\n");
        }
    }
}

/// The share of a file's records a line must be found in to be the file's template.
const TEMPLATE_SHARE: f64 = 0.6;

/// A record's title field is the headline itself, not a page's `<title>`: ` | `, ` - ` and
/// `_` inside it are the headline's own (`每日一博 | 探秘 …`, `【一周】A | B`). Only an
/// outlet's name after the last one is cut (`标题 - 新华网`, `标题_石家庄新闻网 - 石家庄新闻网`),
/// as API dumps copy the page title: a name `data/sources.toml` knows whole, or a short
/// name of a site (…网).
fn record_title(title: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^(.+?)(?:\s+[-–—|｜]\s*|\s*[|｜_－]\s*|-)([^-–—|｜_－]{2,16})$")
            .expect("regex")
    });
    let mut title = title.trim().to_string();
    while let Some(c) = re.captures(&title) {
        let (head, tail) = (c[1].trim(), c[2].trim());
        if head.chars().count() < 4 || !is_outlet_name(tail) {
            break;
        }
        title = head.to_string();
    }
    title
}

/// A publisher's name as a title suffix: a known name or alias, whole, or a short name
/// ending in 网 (a site: 新浪网, 北方网, 石家庄新闻网).
fn is_outlet_name(name: &str) -> bool {
    use crate::text::normalize::normalize_str;
    let sources = crate::facets::source::sources();
    let n = normalize_str(name);
    let chars = n.chars().count();
    if sources.alias_at(&n) == Some(chars) {
        return true;
    }
    let cjk = n.chars().all(crate::text::tokenize::is_cjk);
    cjk && (3..=8).contains(&chars) && n.ends_with('网')
}

/// The credited source of a record: its source field, then its author when the author is
/// a known outlet (feeds put 中央社 or 新华社 in `author` / `dc:creator`); a person's name
/// is no source.
fn record_sources(record: &records::Record) -> Vec<String> {
    let mut sources: Vec<String> = record.source.iter().cloned().collect();
    if let Some(author) = &record.author {
        if crate::facets::source::sources().credited(author).is_some() {
            sources.push(author.clone());
        }
    }
    sources
}

fn read_record_page(
    rel: &str,
    n: usize,
    text: &str,
    known: &Known,
    notes: &mut Vec<String>,
) -> Vec<Article> {
    let page = html::read_page(text);
    notes.extend(page.notes.iter().map(|m| format!("record {n}: {m}")));
    if page.list_of_links.is_some() {
        notes.push(format!("record {n}: a list of links, not an article"));
        return Vec::new();
    }
    page_articles(rel, n, &page, known)
}

/// The items of a day transcript, each an article with its heading as title and the day
/// and programme of the file's title line.
fn day_articles(rel: &str, day: &markdown::DayTranscript) -> Vec<Article> {
    let mut articles = Vec::new();
    for (i, (heading, text)) in day.items.iter().enumerate() {
        let mut known = day.known.clone();
        known.title = Some((heading.clone(), "headline"));
        let got = article::assemble(rel, i + 1, Some(&known), &clean::clean_text(text));
        if got.is_empty() {
            articles.extend(article::headline_only(rel, i + 1, &known));
        } else {
            articles.extend(got);
        }
    }
    articles
}

/// Cleans and splits decoded text into articles with ids `rel#1`, `rel#2` ...
pub fn articles_from_text(rel: &str, text: &str) -> Vec<Article> {
    article::assemble(rel, 1, None, &clean::clean_text(text))
}
