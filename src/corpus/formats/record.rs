//! What the record formats share: a [`Record`] (the parts of one article as a record file
//! gives them) and how a record's named fields become one: the best-ranked field for each
//! part (`fields`), inline markup and placeholders left out, paragraphs as lines.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::corpus::fields::{field_rank, Field, FieldMap, LAST_RESORT};

/// One record of a record file: the parts of an article as the file gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based position of the record in its file, counting records that turn out empty,
    /// so ids `path#n` stay stable.
    pub n: usize,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The date as the record gives it, raw (`2020-3-30 23:37:00`, `1559716800`,
    /// `2003-05-02T00:00:00+08:00`).
    pub date: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub body: RecordBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RecordBody {
    /// The article text, paragraphs on their own lines (may be empty: downstream skips it).
    Text(String),
    /// Undecoded HTML bytes (WARC responses), decoded and read downstream.
    Html(Vec<u8>),
}

/// The records of one file, and the records that could not be read.
#[derive(Debug, Clone)]
pub struct Records {
    /// The name of the format they were read as (`jsonl`).
    pub format: &'static str,
    pub records: Vec<Record>,
    /// One line per record that could not be read: `record 17: not JSON (expected `,` at
    /// line 1 column 40)`; the others are still read.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum FieldValue {
    One(String),
    Many(Vec<String>),
}

impl FieldValue {
    /// The text for `field`: a body joins its parts as paragraphs, authors are listed, and
    /// anything else takes its first non-empty part (the main headline of ninjs `headlines`).
    fn render(&self, field: Field) -> String {
        match self {
            FieldValue::One(s) => s.clone(),
            FieldValue::Many(parts) => {
                let mut parts = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty());
                match field {
                    Field::Text => parts.collect::<Vec<_>>().join("\n"),
                    Field::Author => parts.collect::<Vec<_>>().join(", "),
                    _ => parts.next().unwrap_or_default().to_string(),
                }
            }
        }
    }
}

/// Turns a record's fields (normalised key, value, in record order) into a [`Record`].
pub(crate) fn assemble(n: usize, candidates: &[(String, FieldValue)], fields: &FieldMap) -> Record {
    let pick = |field: Field| pick_field(candidates, field, fields);
    let line = |field: Field| pick(field).map(|s| one_line(&strip_inline_tags(&s, true)));
    Record {
        n,
        url: pick(Field::Url).map(|s| one_line(&s)),
        title: line(Field::Title),
        date: pick(Field::Date).map(|s| one_line(&s)),
        source: line(Field::Source),
        author: line(Field::Author),
        body: RecordBody::Text(body_text(&strip_inline_tags(
            &pick(Field::Text).unwrap_or_default(),
            false,
        ))),
    }
}

/// Inline markup around words of a field's text: a search API's highlight
/// (`布隆迪举行<em>大选</em>`), bold, a font colour. The tags go and their text stays. In a
/// title, source or author (`all`) spans, links and super/subscripts go too; in a body only
/// the highlight and emphasis tags, so a body written in HTML keeps the markup the page
/// reader uses.
pub(crate) fn strip_inline_tags(text: &str, all: bool) -> std::borrow::Cow<'_, str> {
    static RES: OnceLock<[regex::Regex; 2]> = OnceLock::new();
    let [line, body] = RES.get_or_init(|| {
        let re = |names: &str| {
            regex::Regex::new(&format!(r"(?i)</?(?:{names})(?:\s[^<>]{{0,300}})?/?>"))
                .expect("regex")
        };
        [
            re("em|mark|b|strong|i|u|font|span|a|sup|sub|small|big|hl"),
            re("em|mark|b|strong|i|u|font|hl"),
        ]
    });
    let re = if all { line } else { body };
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    re.replace_all(text, "")
}

fn pick_field(
    candidates: &[(String, FieldValue)],
    field: Field,
    fields: &FieldMap,
) -> Option<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for (key, value) in candidates {
        let Some(rank) = field_rank(key, field, fields) else {
            continue;
        };
        let text = value.render(field);
        let text = text.trim();
        if is_placeholder(text) || is_code(field, text) {
            continue;
        }
        // A `name` column that holds a list (`[]`, `['張三']`) is a list of names, not a title.
        if field == Field::Title
            && rank >= LAST_RESORT
            && text.starts_with('[')
            && text.ends_with(']')
        {
            continue;
        }
        found.push((rank, text.to_string()));
    }
    let best_rank = found.iter().map(|(rank, _)| *rank).min()?;
    if field == Field::Text {
        // Feeds and crawler dumps carry a summary beside the body under names of similar
        // standing (description and content:encoded, content_text and content): the longest
        // is the body. Last-resort names only count when nothing else has a value.
        let tier = |rank: usize| rank >= LAST_RESORT;
        let mut best: Option<&(usize, String)> = None;
        for candidate in found
            .iter()
            .filter(|(rank, _)| tier(*rank) == tier(best_rank))
        {
            if best.is_none_or(|b| candidate.1.chars().count() > b.1.chars().count()) {
                best = Some(candidate);
            }
        }
        return best.map(|(_, text)| text.clone());
    }
    found
        .into_iter()
        .find(|(rank, _)| *rank == best_rank)
        .map(|(_, text)| text)
}

/// Values that mean "nothing": an empty cell, or an empty list or object written as text.
fn is_placeholder(text: &str) -> bool {
    matches!(text, "" | "[]" | "{}" | "null")
}

/// A bare number where a name or a headline belongs (`"source": 1`, a type code): no value.
fn is_code(field: Field, text: &str) -> bool {
    matches!(field, Field::Title | Field::Source | Field::Author)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

/// SogouCA/CS separate paragraphs with U+E40C, a private-use character of their GBK
/// user-defined area; always a paragraph break.
const SOGOU_PARAGRAPH: char = '\u{E40C}';

fn is_private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// A title, date, source, URL or author: one line, whitespace runs with a line break in them
/// (a title wrapped in the XML source) read as one space.
fn one_line(text: &str) -> String {
    let text = text.replace(SOGOU_PARAGRAPH, " ");
    let mut out = String::with_capacity(text.len());
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A body: line breaks as `\n`, paragraph separators as line breaks, trimmed.
fn body_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let separators = paragraph_separators(&text);
    if separators.is_empty() {
        return text.trim().to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_break = false;
    for c in text.chars() {
        if separators.contains(&c) {
            if !in_break {
                out.push('\n');
                in_break = true;
            }
        } else {
            out.push(c);
            in_break = false;
        }
    }
    out.trim().to_string()
}

/// The private-use characters that stand between paragraphs in `text`: SogouCS's U+E40C, and
/// any other private-use character that comes back at least three times, mostly right after
/// the end of a sentence or a line. A private-use character standing for a rare hanzi
/// (GB18030's user-defined area) sits inside words instead, and stays.
fn paragraph_separators(text: &str) -> Vec<char> {
    let mut seen: HashMap<char, (usize, usize)> = HashMap::new();
    let mut previous = '\n';
    for c in text.chars() {
        if is_private_use(c) {
            let entry = seen.entry(c).or_default();
            entry.0 += 1;
            if previous.is_whitespace()
                || is_private_use(previous)
                || "。！？!?；;”」』）)…：:".contains(previous)
            {
                entry.1 += 1;
            }
        }
        previous = c;
    }
    let mut separators: Vec<char> = seen
        .into_iter()
        .filter(|&(c, (count, after_break))| {
            c == SOGOU_PARAGRAPH || (count >= 3 && after_break * 2 >= count)
        })
        .map(|(c, _)| c)
        .collect();
    separators.sort_unstable();
    separators
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_use_characters_inside_words_are_kept() {
        // A rare hanzi mapped to the private-use area stays; SogouCS's separator always breaks.
        let text = "村民\u{E816}先生说，今年收成好。\u{E40C}合作社将扩大规模。";
        assert_eq!(
            body_text(text),
            "村民\u{E816}先生说，今年收成好。\n合作社将扩大规模。"
        );
        // An unknown private-use character used like SogouCS's separator is one too.
        let text = "第一段。\u{E5E5}第二段。\u{E5E5}第三段！\u{E5E5}第四段。";
        assert_eq!(body_text(text), "第一段。\n第二段。\n第三段！\n第四段。");
    }
}
