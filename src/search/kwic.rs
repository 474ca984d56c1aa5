//! A concordance (key word in context, KWIC): every occurrence of a query's words and
//! phrases in the matching articles, one line each, with the characters before and after it.
//!
//! Occurrences are found as snippets find them ([`super::snippet::find_occurrences`]): in
//! the normalised text, so 台湾 finds 臺灣 and 经济 finds 經濟 (under `--words` only where
//! they stand as words), and shown in the article's
//! own characters (normalising keeps one character for one, so
//! positions map back exactly). Each literal's occurrences are counted apart: `人工智能 OR
//! 智能` gives two lines where 人工智能 stands.
//!
//! The title is a paragraph of its own, and context stops at a paragraph's end: a line never
//! joins two paragraphs (a left context may be shorter than the width where a paragraph
//! starts). Widths count characters.
//!
//! Sorting by `left` compares the left contexts read leftwards from the match (the
//! character next to it first), as corpus tools do, so the words before the match group
//! together; `right` compares the right contexts; `date` is newest first (undated last);
//! `source` by source name, then date. Ties keep the articles' date order and the order in
//! the text. Comparisons are by normalised character code.

use std::cmp::Ordering;

use serde::Serialize;

use super::export::all_matches;
use super::snippet::{find_occurrences, Needles};
use super::{read_article, Filters, Matching, Sort, StoredArticle};
use crate::index::OpenIndex;
use crate::text::normalize::normalize_str;
use crate::{Error, Result};

/// Characters of context on each side, unless asked otherwise.
pub const DEFAULT_WIDTH: usize = 20;
/// The widest context asked for.
pub const MAX_WIDTH: usize = 200;
/// Lines shown unless asked otherwise (0 asks for all).
pub const DEFAULT_LIMIT: usize = 1000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KwicSort {
    Left,
    Right,
    #[default]
    Date,
    Source,
}

impl std::str::FromStr for KwicSort {
    type Err = Error;
    fn from_str(s: &str) -> Result<KwicSort> {
        match s.trim() {
            "left" => Ok(KwicSort::Left),
            "right" => Ok(KwicSort::Right),
            "date" | "" => Ok(KwicSort::Date),
            "source" => Ok(KwicSort::Source),
            other => Err(Error::user(format!(
                "unknown sort `{other}`; use left, right, date or source"
            ))),
        }
    }
}

impl KwicSort {
    pub fn name(self) -> &'static str {
        match self {
            KwicSort::Left => "left",
            KwicSort::Right => "right",
            KwicSort::Date => "date",
            KwicSort::Source => "source",
        }
    }
}

#[derive(Debug, Clone)]
pub struct KwicRequest {
    pub query: String,
    pub filters: Filters,
    /// Characters of context on each side.
    pub width: usize,
    pub sort: KwicSort,
    /// Lines to return (0: all).
    pub limit: usize,
}

/// One occurrence in its context.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KwicLine {
    pub id: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    /// The article's place in date order, the paragraph (0 is the title), the byte offset.
    #[serde(skip)]
    at: (usize, usize, usize),
    /// What the chosen sort compares first.
    #[serde(skip)]
    key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Concordance {
    pub query: String,
    /// Articles that match the query and filters (`query`'s total).
    pub total_articles: usize,
    /// How the words were matched: `substring` or `words`.
    pub matching: Matching,
    /// Occurrences in them: every line, shown or not.
    pub total_lines: usize,
    /// The lines shown: the first `limit` in the chosen order.
    pub lines: Vec<KwicLine>,
}

/// An occurrence in one paragraph: the context before, the match, the context after, each
/// in the paragraph's own characters, and the match's byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InContext {
    pub left: String,
    pub matched: String,
    pub right: String,
    pub offset: usize,
}

/// Every occurrence of the literals in a paragraph, with `width` characters on each side
/// (fewer at the paragraph's ends).
pub fn occurrences_in(paragraph: &str, needles: &Needles, width: usize) -> Vec<InContext> {
    find_occurrences(paragraph, needles)
        .into_iter()
        .map(|(start, end, _)| {
            let before = &paragraph[..start];
            let left_from = before
                .char_indices()
                .rev()
                .nth(width.saturating_sub(1))
                .map_or(0, |(i, _)| i);
            let left = if width == 0 { "" } else { &before[left_from..] };
            let right: String = paragraph[end..].chars().take(width).collect();
            InContext {
                left: left.to_string(),
                matched: paragraph[start..end].to_string(),
                right,
                offset: start,
            }
        })
        .collect()
}

/// Refuses a context wider than [`MAX_WIDTH`].
pub fn check_width(request: &KwicRequest) -> Result<()> {
    if request.width > MAX_WIDTH {
        return Err(Error::user(format!(
            "a context of {} characters is wider than {MAX_WIDTH}; ask for less with --width",
            request.width
        )));
    }
    Ok(())
}

/// Refuses a query with no words to show (`-台湾`, only filters).
pub fn check_literals(literals: &Needles) -> Result<()> {
    if literals.is_empty() {
        return Err(Error::query(
            crate::Code::NoWordsToShow,
            "a concordance shows the query's words in context, and this query has none to show; give a word or phrase, e.g. `corpus-search kwic 低空经济`",
        ));
    }
    Ok(())
}

/// The concordance of a search: every occurrence of its positive words and phrases in the
/// matching articles' titles and text, the first `limit` in the chosen order.
pub fn concordance(index: &OpenIndex, request: &KwicRequest) -> Result<Concordance> {
    check_width(request)?;
    let matches = all_matches(index, &request.query, &request.filters, Sort::Date)?;
    check_literals(&matches.literals)?;
    let articles = matches
        .addresses
        .iter()
        .map(|&addr| read_article(&matches.searcher, &index.fields, addr));
    concordance_of(
        request,
        matches.addresses.len(),
        &matches.literals,
        articles,
    )
}

/// The concordance of `total` matching articles, given newest first (as `Sort::Date`
/// orders them) by `articles`, wherever the index lives.
pub fn concordance_of(
    request: &KwicRequest,
    total: usize,
    literals: &Needles,
    articles: impl Iterator<Item = Result<StoredArticle>>,
) -> Result<Concordance> {
    let mut kept: Vec<KwicLine> = Vec::new();
    let mut total_lines = 0;
    for (seq, article) in articles.enumerate() {
        let article = article?;
        let paragraphs = std::iter::once(article.title.as_str()).chain(article.body.lines());
        for (para, text) in paragraphs.enumerate() {
            for o in occurrences_in(text, literals, request.width) {
                total_lines += 1;
                let key = match request.sort {
                    KwicSort::Left => normalize_str(&o.left).chars().rev().collect(),
                    KwicSort::Right => normalize_str(&o.right),
                    KwicSort::Source => {
                        article.facets.one("source").unwrap_or_default().to_string()
                    }
                    KwicSort::Date => String::new(),
                };
                kept.push(KwicLine {
                    id: article.id.clone(),
                    date: article.date.clone(),
                    source: article.facets.one("source").map(str::to_string),
                    left: o.left,
                    matched: o.matched,
                    right: o.right,
                    at: (seq, para, o.offset),
                    key,
                });
            }
        }
        // Only the first `limit` lines are kept, so memory follows what is shown.
        if request.limit > 0 && kept.len() > 2 * request.limit {
            select(&mut kept, request);
        }
    }
    select(&mut kept, request);
    Ok(Concordance {
        query: request.query.clone(),
        total_articles: total,
        matching: request.filters.matching(),
        total_lines,
        lines: kept,
    })
}

/// Sorts the lines and keeps the first `limit` (all for 0).
fn select(lines: &mut Vec<KwicLine>, request: &KwicRequest) {
    lines.sort_by(|a, b| order(a, b, request.sort));
    if request.limit > 0 {
        lines.truncate(request.limit);
    }
}

fn order(a: &KwicLine, b: &KwicLine, sort: KwicSort) -> Ordering {
    let first = match sort {
        KwicSort::Date => Ordering::Equal,
        // Articles without a source last.
        KwicSort::Source => (a.key.is_empty(), &a.key).cmp(&(b.key.is_empty(), &b.key)),
        KwicSort::Left | KwicSort::Right => a.key.cmp(&b.key),
    };
    first.then_with(|| a.at.cmp(&b.at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Needles {
        Needles::substrings(w.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn context_is_counted_in_characters_and_stops_at_the_paragraph() {
        let p = "深圳发展低空经济，广州也发展低空经济产业。";
        let found = occurrences_in(p, &words(&["低空经济"]), 4);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (
                found[0].left.as_str(),
                found[0].matched.as_str(),
                found[0].right.as_str()
            ),
            ("深圳发展", "低空经济", "，广州也")
        );
        assert_eq!(
            (found[1].left.as_str(), found[1].right.as_str()),
            ("州也发展", "产业。")
        );
        let wide = occurrences_in(p, &words(&["低空经济"]), 100);
        assert_eq!(wide[0].left, "深圳发展");
        assert_eq!(wide[1].right, "产业。");
        let none = occurrences_in(p, &words(&["低空经济"]), 0);
        assert_eq!((none[0].left.as_str(), none[0].right.as_str()), ("", ""));
    }

    #[test]
    fn matches_in_traditional_script_are_shown_as_written() {
        let p = "臺灣的人工智慧與人工智能產業";
        let found = occurrences_in(p, &words(&["台湾", "人工智能"]), 2);
        let shown: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|o| (o.left.as_str(), o.matched.as_str(), o.right.as_str()))
            .collect();
        assert_eq!(
            shown,
            vec![("", "臺灣", "的人"), ("慧與", "人工智能", "產業")]
        );
    }

    #[test]
    fn left_sorting_reads_leftwards_from_the_match() {
        let line = |left: &str, seq: usize| KwicLine {
            id: String::new(),
            date: None,
            source: None,
            left: left.into(),
            matched: "经济".into(),
            right: String::new(),
            at: (seq, 0, 0),
            key: left.chars().rev().collect(),
        };
        // 发展 and 扩展 end alike, so they sort together (read rightwards, 市场 would
        // come between them).
        let mut lines = [line("发展", 0), line("市场", 1), line("扩展", 2)];
        lines.sort_by(|a, b| order(a, b, KwicSort::Left));
        let lefts: Vec<&str> = lines.iter().map(|l| l.left.as_str()).collect();
        assert_eq!(lefts, ["市场", "发展", "扩展"]);
    }
}
