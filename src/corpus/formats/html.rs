//! Web pages: one page, one article. The page is read by `corpus::html` (its DOM,
//! metadata and main content); a page that is a list of links is no article.

use super::{FileFormat, Format, Found, Input, Kind, Probe};
use crate::corpus::article::{self, Article, Known};
use crate::corpus::{clean, html, FileProblem};

/// An HTML page.
pub struct Html;

impl FileFormat for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["htm"]
    }

    fn kind(&self) -> Kind {
        Kind::Document
    }

    /// By its structure anywhere in the file (a doctype, `<html`, `<head` or `<body`), or
    /// by its extension.
    fn detect(&self, probe: &Probe) -> bool {
        html::is_html(probe.text, probe.rel)
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        let page = html::read_page(input.text.unwrap_or(""));
        // A post with front matter is an article whatever its links.
        if let Some((links, why)) = page.list_of_links.filter(|_| input.known.is_none()) {
            return Err(FileProblem::ListOfLinks(links, why));
        }
        let known = input.known.cloned().unwrap_or_default();
        Ok(Found::Articles {
            articles: page_articles(input.rel, 1, &page, &known),
            notes: page.notes,
        })
    }
}

/// `--format html`.
pub const HTML: Format = Format(&Html);

/// The article of a web page; `record` holds what a record said around it (WARC's URL, a
/// JSON record whose text is HTML), which the page's own metadata completes.
pub(crate) fn page_articles(
    rel: &str,
    n: usize,
    page: &html::Page,
    record: &Known,
) -> Vec<Article> {
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
