//! Text and Markdown: a text may hold several articles (`split`), a Markdown post's
//! markup is never text (`markdown::strip_markup`, in `clean`), a post's front matter says
//! what its text does not, and a day transcript is one article per `##` item.

use super::{FileFormat, Format, Found, Input, Kind, Probe};
use crate::corpus::article::{self, Article};
use crate::corpus::{clean, markdown, FileProblem};

/// Plain text and Markdown.
pub struct Text;

impl FileFormat for Text {
    fn name(&self) -> &'static str {
        "text"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["txt"]
    }

    fn kind(&self) -> Kind {
        Kind::Document
    }

    /// Whatever no other format takes.
    fn detect(&self, _probe: &Probe) -> bool {
        true
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        let (rel, text) = (input.rel, input.text.unwrap_or(""));
        let articles = match input.known {
            Some(known) => article::assemble(rel, 1, Some(known), &clean::clean_text(text)),
            None => match markdown::day_transcript(text) {
                Some(day) => day_articles(rel, &day),
                None => articles_from_text(rel, text),
            },
        };
        Ok(Found::Articles {
            articles,
            notes: Vec::new(),
        })
    }
}

/// `--format text`.
pub const TEXT: Format = Format(&Text);

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
