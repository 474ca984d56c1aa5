//! Records to articles: each record's fields are what it says around its text (a [`Known`]),
//! its text is cleaned and assembled like a page's or a text's, an HTML body is read as a
//! page, and lines every record of the file shares (a feed's disclaimer) leave the bodies.

use std::collections::{HashMap, HashSet};

use super::html::page_articles;
use super::record::{Record, RecordBody, Records};
use crate::corpus::article::{self, Article, Known};
use crate::corpus::decode::decode_bytes;
use crate::corpus::{clean, html, split, FileArticles, FileProblem};

pub(crate) fn from_records(
    rel: &str,
    found: Records,
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
            RecordBody::Html(bytes) => match decode_bytes(bytes, None) {
                Ok(d) => read_record_page(rel, record.n, &d.text, &known, &mut notes),
                Err(e) => {
                    notes.push(format!("record {}: {e}", record.n));
                    continue;
                }
            },
            RecordBody::Text(text) if html::is_html(text, "") => {
                read_record_page(rel, record.n, text, &known, &mut notes)
            }
            RecordBody::Text(text) => {
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
        RecordBody::Text(t) => t.trim().is_empty(),
        RecordBody::Html(b) => b.is_empty(),
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
                found.format
            )));
        }
        return Err(FileProblem::NoText);
    }
    Ok(FileArticles {
        articles,
        encoding,
        replaced,
        bytes,
        format: found.format,
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
fn record_sources(record: &Record) -> Vec<String> {
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
