//! The query language, and its translation into tantivy queries.
//!
//! ```text
//! 低空经济 深圳          both words (AND is the default)
//! "新质生产力 发展"      a phrase: the words next to each other
//! 低空经济 OR 无人机     either word (also `|`)
//! 低空经济 -深圳         without 深圳 (also `NOT 深圳`)
//! (低空 OR 航天) 深圳    grouping
//! "低空 经济"~5          the words within 5 characters of each other, in either order
//! 深圳 NEAR/10 低空经济  the same, written as an operator
//! title:低空经济         in the title only (also title:"低空 经济", title:(低空 OR 无人机))
//! source:新华社          a facet inside the query: province:, city:, source:, industry:,
//!                        year:, combined with the rest like any word (-source:新华社)
//! ```
//!
//! Matching is exact: a word or phrase matches every article whose normalised text contains
//! it, through the character view (`text::tokenize`): a CJK substring is a phrase of the
//! bigrams that start at each of its characters; when it ends in a lone character, that one
//! is a prefix of the next bigram. Ranking comes from the jieba words of the same text in the
//! title (weighted higher) and body, so an article where 人工智能 is a word ranks above one
//! where the characters only touch.
//!
//! With `--words` (`words=1`) a word counts only where it stands as a word of the article's
//! jieba cut (a long word's dictionary parts count: 台风 in 超强台风), not inside one: 台风
//! matches 台风过境, not 三台风扇. The character view finds the candidates; their stored
//! title and body are cut again to confirm it, so text only in an article's date and source
//! lines (indexed, never stored) does not count under `--words`.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, RegexQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Searcher;
use tantivy::Term;
use tantivy_jieba::jieba_rs::Jieba;

use std::sync::Arc;

use super::near::{Check, CheckedQuery};
use super::snippet::Needles;
use crate::facets::{value_filters, Facet, Resolve};
use crate::index::{ExactView, Fields};
use crate::text::normalize::normalize_str;
use crate::text::tokenize::{char_tokens, is_cjk, word_tokens, CharTokenKind};
use crate::{Code, Error, Result};

/// The most words a query may have.
pub const MAX_TERMS: usize = 1024;
/// The deepest nesting of parentheses and negations.
pub const MAX_DEPTH: usize = 32;
/// The longest query, in characters. A URL carries it percent-encoded, up to 12 bytes a
/// character, and a URL over 64 KB is refused before it is read: 5,000 fits with room.
pub const MAX_QUERY_CHARS: usize = 5_000;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word, or a quoted phrase: matched as a substring of the normalised text.
    Literal(String),
    /// A word or phrase matched in the title only (`title:低空经济`).
    Title(String),
    /// Words within so many characters of each other (`"低空 经济"~5`, `a NEAR/5 b`).
    Near {
        terms: Vec<String>,
        within: usize,
    },
    /// A facet's values inside the query (`source:新华社`): the stored values a typed value
    /// resolves to, any of which matches.
    Facet {
        facet: &'static Facet,
        values: Vec<String>,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// The empty query: every article (with filters, a browse).
    All,
}

#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Word(String),
    Phrase(String),
    /// `title:` or `source:` before a word, phrase or group.
    Field(String),
    /// `"低空 经济"~5`.
    NearPhrase(String, usize),
    /// `NEAR/5` between two words.
    NearOp(usize),
    Open,
    Close,
    Or,
    And,
    Not,
}

fn lex(query: &str) -> Result<Vec<Lex>> {
    let mut out = Vec::new();
    let chars: Vec<char> = query.chars().collect();
    let mut i = 0;
    let quote = |c: char| matches!(c, '"' | '“' | '”' | '＂');
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if quote(c) {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && !quote(chars[j]) {
                j += 1;
            }
            if j == chars.len() {
                return Err(Error::query(Code::UnclosedQuote, format!(
                    "the quote before `{}` is never closed; close the phrase with another \" (e.g. \"新质生产力\")",
                    chars[start..].iter().take(10).collect::<String>()
                )));
            }
            let phrase: String = chars[start..j].iter().collect();
            i = j + 1;
            // `"低空 经济"~5`: a proximity phrase.
            if chars.get(i).is_some_and(|&c| c == '~' || c == '～') {
                let digits: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let within = digits.parse::<usize>().map_err(|_| {
                    Error::query(
                        Code::BadQuery,
                        format!(
                            "`\"{phrase}\"~` needs a number of characters, e.g. \"低空 经济\"~5"
                        ),
                    )
                })?;
                i += 1 + digits.len();
                out.push(Lex::NearPhrase(phrase, within));
                continue;
            }
            out.push(Lex::Phrase(phrase));
        } else if c == '(' || c == '（' {
            out.push(Lex::Open);
            i += 1;
        } else if c == ')' || c == '）' {
            out.push(Lex::Close);
            i += 1;
        } else if c == '|' || c == '｜' {
            out.push(Lex::Or);
            i += 1;
        } else if (c == '-' || c == '－')
            && (i == 0 || chars[i - 1].is_whitespace() || matches!(chars[i - 1], '(' | '（'))
            && chars.get(i + 1).is_some_and(|n| !n.is_whitespace())
        {
            out.push(Lex::Not);
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !quote(chars[i])
                && !matches!(chars[i], '(' | ')' | '（' | '）' | '|' | '｜')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if let Some((name, rest)) = field_prefix(&word) {
                out.push(Lex::Field(name));
                if !rest.is_empty() {
                    out.push(Lex::Word(rest));
                }
                continue;
            }
            if let Some(n) = word.strip_prefix("NEAR/") {
                let within = n.parse::<usize>().map_err(|_| {
                    Error::query(
                        Code::BadQuery,
                        format!(
                            "`{word}` needs a number of characters, e.g. 深圳 NEAR/10 低空经济"
                        ),
                    )
                })?;
                out.push(Lex::NearOp(within));
                continue;
            }
            out.push(match word.as_str() {
                "OR" => Lex::Or,
                "AND" => Lex::And,
                "NOT" => Lex::Not,
                _ => Lex::Word(word),
            });
        }
    }
    Ok(out)
}

/// `title:低空` -> (`title`, `低空`): a field name is ASCII letters before a colon
/// (`:` or `：`). A colon after other characters (`比分3:1`) or before `//` (a URL) is text.
fn field_prefix(word: &str) -> Option<(String, String)> {
    let at = word.find([':', '：'])?;
    let name = &word[..at];
    let colon = word[at..].chars().next()?.len_utf8();
    let rest = &word[at + colon..];
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_');
    (is_name && !rest.starts_with('/')).then(|| (name.to_ascii_lowercase(), rest.to_string()))
}

/// What a field name in a query stands for.
enum Scope {
    Title,
    Facet(&'static Facet, Resolve),
}

fn scope_of(name: &str) -> Result<Scope> {
    if name == "title" {
        return Ok(Scope::Title);
    }
    if let Some((facet, resolve)) = value_filters().find(|(f, _)| f.name == name) {
        return Ok(Scope::Facet(facet, resolve));
    }
    Err(Error::query(Code::UnknownField, format!(
        "unknown field `{name}:`; the fields are {}. To search for the text itself, put it in quotes: \"{name}:…\"",
        field_names().join(", ")
    )))
}

/// The names a query can put before a colon.
pub fn field_names() -> Vec<&'static str> {
    let mut names = vec!["title"];
    names.extend(value_filters().map(|(f, _)| f.name));
    names
}

/// `a NEAR/n b`: both sides words or phrases (or, with the same distance, a NEAR chain).
fn near_of(left: Node, right: Node, within: usize) -> Result<Node> {
    let words = |node: Node| -> Result<Vec<String>> {
        match node {
            Node::Literal(l) => Ok(vec![l]),
            Node::Near { terms, within: w } if w == within => Ok(terms),
            _ => Err(Error::query(
                Code::BadQuery, "NEAR joins words or phrases, e.g. `深圳 NEAR/10 \"低空经济\"`; put groups and fields outside it",
            )),
        }
    };
    let mut terms = words(left)?;
    terms.extend(words(right)?);
    Ok(Node::Near { terms, within })
}

/// The words of a field's part of the query, read in that field.
fn scoped(node: Node, scope: &Scope) -> Result<Node> {
    Ok(match node {
        Node::Literal(l) => match scope {
            Scope::Title => Node::Title(l),
            Scope::Facet(facet, resolve) => Node::Facet {
                facet,
                values: resolve.resolve(&l)?,
            },
        },
        Node::And(v) => Node::And(
            v.into_iter()
                .map(|n| scoped(n, scope))
                .collect::<Result<_>>()?,
        ),
        Node::Or(v) => Node::Or(
            v.into_iter()
                .map(|n| scoped(n, scope))
                .collect::<Result<_>>()?,
        ),
        Node::Not(n) => Node::Not(Box::new(scoped(*n, scope)?)),
        other => other,
    })
}

struct Parser {
    lexes: Vec<Lex>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lex> {
        self.lexes.get(self.at)
    }

    fn or_expr(&mut self, depth: usize) -> Result<Node> {
        let mut parts = vec![self.and_expr(depth)?];
        while self.peek() == Some(&Lex::Or) {
            self.at += 1;
            if matches!(self.peek(), None | Some(Lex::Close) | Some(Lex::Or)) {
                return Err(Error::query(
                    Code::MissingOperand,
                    "OR needs a word on both sides, e.g. `低空经济 OR 无人机`",
                ));
            }
            parts.push(self.and_expr(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::Or(parts)
        })
    }

    fn and_expr(&mut self, depth: usize) -> Result<Node> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Lex::Close) | Some(Lex::Or) => break,
                Some(Lex::And) => {
                    self.at += 1;
                }
                _ => {
                    let mut node = self.unary(depth)?;
                    while let Some(Lex::NearOp(within)) = self.peek().cloned() {
                        self.at += 1;
                        if matches!(self.peek(), None | Some(Lex::Close) | Some(Lex::Or)) {
                            return Err(Error::query(
                                Code::MissingOperand,
                                "NEAR needs a word on both sides, e.g. `深圳 NEAR/10 低空经济`",
                            ));
                        }
                        let right = self.unary(depth)?;
                        node = near_of(node, right, within)?;
                    }
                    parts.push(node)
                }
            }
        }
        match parts.len() {
            0 => Err(Error::query(
                Code::MissingOperand,
                "OR needs a word on both sides, e.g. `低空经济 OR 无人机`",
            )),
            1 => Ok(parts.remove(0)),
            _ => Ok(Node::And(parts)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Node> {
        if depth > MAX_DEPTH {
            return Err(Error::query(
                Code::QueryTooLarge,
                format!(
                "the query nests parentheses or negations more than {MAX_DEPTH} deep; simplify it"
            ),
            ));
        }
        match self.peek().cloned() {
            Some(Lex::Not) => {
                self.at += 1;
                if matches!(self.peek(), None | Some(Lex::Close) | Some(Lex::Or)) {
                    return Err(Error::query(
                        Code::MissingOperand,
                        "NOT (or -) needs a word after it, e.g. `低空经济 -深圳`",
                    ));
                }
                Ok(Node::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some(Lex::Open) => {
                self.at += 1;
                if self.peek() == Some(&Lex::Close) {
                    return Err(Error::query(
                        Code::BadQuery,
                        "`()` is empty; put words inside the parentheses",
                    ));
                }
                let inner = self.or_expr(depth + 1)?;
                if self.peek() != Some(&Lex::Close) {
                    return Err(Error::query(
                        Code::UnclosedParen,
                        "a `(` is never closed; add the missing `)`",
                    ));
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Lex::Word(w)) | Some(Lex::Phrase(w)) => {
                self.at += 1;
                Ok(Node::Literal(w))
            }
            Some(Lex::NearPhrase(phrase, within)) => {
                self.at += 1;
                let terms: Vec<String> = phrase.split_whitespace().map(str::to_string).collect();
                if terms.len() < 2 {
                    return Err(Error::query(Code::BadQuery, format!(
                        "`\"{phrase}\"~{within}` needs two words or more, apart, e.g. \"低空 经济\"~5"
                    )));
                }
                Ok(Node::Near { terms, within })
            }
            Some(Lex::NearOp(_)) => Err(Error::query(
                Code::MissingOperand,
                "NEAR needs a word on both sides, e.g. `深圳 NEAR/10 低空经济`",
            )),
            Some(Lex::Field(name)) => {
                self.at += 1;
                let scope = scope_of(&name)?;
                if matches!(self.peek(), None | Some(Lex::Close) | Some(Lex::Or)) {
                    return Err(Error::query(
                        Code::MissingOperand,
                        format!(
                            "`{name}:` needs a word after it, e.g. `{name}:{}`",
                            if name == "title" {
                                "低空经济"
                            } else {
                                "…"
                            }
                        ),
                    ));
                }
                scoped(self.unary(depth + 1)?, &scope)
            }
            Some(Lex::Close) => Err(Error::query(
                Code::UnmatchedParen,
                "a `)` has no `(` before it; remove it or add the `(`",
            )),
            _ => Err(Error::query(Code::BadQuery, "the query is not complete")),
        }
    }
}

/// Parses a query string. The empty query (or `*`) is [`Node::All`].
pub fn parse_query(query: &str) -> Result<Node> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::query(
            Code::QueryTooLarge,
            format!("the query is longer than {MAX_QUERY_CHARS} characters; shorten it"),
        ));
    }
    // Control characters are not text (a pasted form feed, a stray \x1a): they separate
    // words like white space, so a query of nothing else is the empty query.
    let spaced: String = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = spaced.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(Node::All);
    }
    let lexes = lex(trimmed)?;
    let words = lexes
        .iter()
        .filter(|l| {
            matches!(
                l,
                Lex::Word(_) | Lex::Phrase(_) | Lex::Field(_) | Lex::NearPhrase(..)
            )
        })
        .count();
    if words > MAX_TERMS {
        return Err(Error::query(Code::QueryTooLarge, format!(
            "the query has {words} words; at most {MAX_TERMS} are allowed (split it into several queries)"
        )));
    }
    let depth = lexes.iter().fold((0i64, 0i64), |(cur, max), l| match l {
        Lex::Open => (cur + 1, max.max(cur + 1)),
        Lex::Close => (cur - 1, max),
        _ => (cur, max),
    });
    if depth.1 as usize > MAX_DEPTH {
        return Err(Error::query(
            Code::QueryTooLarge,
            format!("the query nests parentheses more than {MAX_DEPTH} deep; simplify it"),
        ));
    }
    let mut parser = Parser { lexes, at: 0 };
    let node = parser.or_expr(0)?;
    if parser.at < parser.lexes.len() {
        return Err(Error::query(
            Code::UnmatchedParen,
            "a `)` has no `(` before it; remove it or add the `(`",
        ));
    }
    check_searchable(&node)?;
    Ok(node)
}

/// Every literal must hold something searchable (not only punctuation).
fn check_searchable(node: &Node) -> Result<()> {
    match node {
        Node::Literal(l) | Node::Title(l) => {
            if char_tokens(&normalize_literal(l)).is_empty() {
                Err(Error::query(
                    Code::NothingToSearch,
                    format!(
                        "`{l}` has no letters, digits or characters to search for; leave it out"
                    ),
                ))
            } else {
                Ok(())
            }
        }
        Node::And(v) | Node::Or(v) => v.iter().try_for_each(check_searchable),
        Node::Not(n) => check_searchable(n),
        Node::Near { terms, .. } => terms
            .iter()
            .try_for_each(|t| check_searchable(&Node::Literal(t.clone()))),
        Node::All | Node::Facet { .. } => Ok(()),
    }
}

/// A literal as matched: normalised, with white space between CJK characters dropped
/// (`"低空 经济"` is 低空经济, as in print).
pub fn normalize_literal(literal: &str) -> String {
    let n = normalize_str(literal.trim());
    let chars: Vec<char> = n.chars().collect();
    let mut out = String::with_capacity(n.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().next_back();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if prev.is_some_and(is_cjk) && next.is_some_and(|&c| is_cjk(c)) {
                continue;
            }
            if prev.is_some_and(|p| p == ' ') {
                continue;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// The positive literals of a query (normalised), for highlighting.
pub fn positive_literals(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(n: &Node, out: &mut Vec<String>) {
        match n {
            Node::Literal(l) | Node::Title(l) => out.push(normalize_literal(l)),
            Node::Near { terms, .. } => out.extend(terms.iter().map(|t| normalize_literal(t))),
            Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
            Node::Not(_) | Node::All | Node::Facet { .. } => {}
        }
    }
    walk(node, &mut out);
    out.sort();
    out.dedup();
    out
}

/// A literal as the character view matches it: these terms at consecutive positions, the
/// last one a prefix of the text's term there when `prefix` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharPhrase {
    pub terms: Vec<String>,
    pub prefix: bool,
}

impl CharPhrase {
    /// The phrase of one literal (normalised here).
    pub fn of(literal: &str) -> CharPhrase {
        let text = normalize_literal(literal);
        let mut tokens = char_tokens(&text);
        let mut prefix = false;
        if let Some(last) = tokens.last() {
            if last.kind == CharTokenKind::RunEnd {
                // At the end of the query the text may go on: the run's last character is
                // the start of a bigram there. Covered by the bigram before it, or a prefix
                // if alone.
                if last.run_len >= 2 {
                    tokens.pop();
                } else {
                    prefix = true;
                }
            }
        }
        CharPhrase {
            terms: tokens.into_iter().map(|t| t.text).collect(),
            prefix,
        }
    }

    /// The characters of a phrase of overlapping CJK bigrams (国有, 有企, 企业 → 国有企业):
    /// the view holds such a phrase exactly where the text holds these characters one after
    /// another, since within a run of CJK characters each bigram's successor is the bigram
    /// one character on.
    fn cjk_run(&self) -> Option<String> {
        if self.prefix {
            return None;
        }
        let mut run = String::new();
        for term in &self.terms {
            let mut chars = term.chars();
            let (Some(a), Some(b), None) = (chars.next(), chars.next(), chars.next()) else {
                return None;
            };
            if !is_cjk(a) || !is_cjk(b) {
                return None;
            }
            if run.is_empty() {
                run.push(a);
            } else if !run.ends_with(a) {
                return None;
            }
            run.push(b);
        }
        (!run.is_empty()).then_some(run)
    }

    /// Whether the character view of `text` (normalised here, as the index writer
    /// normalises a title or body) holds the phrase: what the index's phrase query finds in
    /// one value of the field, read from the text instead of the postings.
    pub fn occurs_in(&self, text: &str) -> bool {
        let n = self.terms.len();
        if n == 0 {
            return false;
        }
        let text = normalize_str(text);
        match self.cjk_run() {
            Some(run) => text.contains(&run),
            None => self.in_tokens_of(&text),
        }
    }

    /// [`CharPhrase::occurs_in`] on normalised text, token by token.
    fn in_tokens_of(&self, text: &str) -> bool {
        let n = self.terms.len();
        let tokens = char_tokens(text);
        tokens.windows(n).any(|window| {
            window
                .iter()
                .zip(&self.terms)
                .enumerate()
                .all(|(i, (t, term))| {
                    if self.prefix && i + 1 == n {
                        t.text.starts_with(term.as_str())
                    } else {
                        t.text == *term
                    }
                })
        })
    }
}

/// The exact-match query of one literal on a character-view field (`chars`, `title_chars`).
fn match_in(literal: &str, field: tantivy::schema::Field, searcher: &Searcher) -> Box<dyn Query> {
    let CharPhrase { terms, prefix } = CharPhrase::of(literal);
    // Consecutive positions: every token of the character view takes the next one.
    let terms: Vec<(usize, Term)> = terms
        .iter()
        .enumerate()
        .map(|(p, t)| (p, Term::from_field_text(field, t)))
        .collect();
    match (terms.len(), prefix) {
        (0, _) => Box::new(tantivy::query::EmptyQuery),
        (1, false) => Box::new(TermQuery::new(
            terms[0].1.clone(),
            IndexRecordOption::WithFreqs,
        )),
        (_, true) => {
            let expansions = prefix_expansions(searcher, &terms[terms.len() - 1].1);
            let mut q = PhrasePrefixQuery::new_with_offset(terms);
            // Every term with the prefix, for exact recall; tantivy sizes a buffer by this
            // number, so it is counted, not set to "unlimited".
            q.set_max_expansions(expansions);
            Box::new(q)
        }
        (_, false) => Box::new(PhraseQuery::new_with_offset(terms)),
    }
}

/// The exact-match query of one literal on a character-view field kept as doc ids
/// ([`ExactView::DocIds`]): the articles holding every whole token of its phrase, each then
/// confirmed in its stored `texts`. A phrase of one token (any two characters) needs no
/// confirming, nor does a lone prefix (one character), which matches every token it begins.
fn match_checked(
    literal: &str,
    field: tantivy::schema::Field,
    texts: Vec<tantivy::schema::Field>,
) -> Box<dyn Query> {
    let phrase = CharPhrase::of(literal);
    let whole = &phrase.terms[..phrase.terms.len() - usize::from(phrase.prefix)];
    let term = |t: &str| Term::from_field_text(field, t);
    match (whole.len(), phrase.prefix) {
        (0, false) => Box::new(tantivy::query::EmptyQuery),
        (0, true) => {
            let pattern = format!("{}.*", regex::escape(&phrase.terms[0]));
            match RegexQuery::from_pattern(&pattern, field) {
                Ok(q) => Box::new(q),
                Err(_) => Box::new(tantivy::query::EmptyQuery),
            }
        }
        (1, false) => Box::new(TermQuery::new(term(&whole[0]), IndexRecordOption::Basic)),
        _ => {
            let mut distinct: Vec<&String> = whole.iter().collect();
            distinct.sort();
            distinct.dedup();
            let all = distinct
                .into_iter()
                .map(|t| {
                    let q = TermQuery::new(term(t), IndexRecordOption::Basic);
                    (Occur::Must, Box::new(q) as Box<dyn Query>)
                })
                .collect();
            Box::new(CheckedQuery {
                inner: Box::new(BooleanQuery::new(all)),
                check: Check::Chars(phrase),
                fields: texts,
            })
        }
    }
}

/// How many terms of the character view start with `prefix` in the largest segment.
fn prefix_expansions(searcher: &Searcher, prefix: &Term) -> u32 {
    let bytes = prefix.serialized_value_bytes();
    let mut end = bytes.to_vec();
    // The first byte string after every string with this prefix.
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            break;
        }
    }
    let mut most = 1u32;
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(prefix.field()) else {
            continue;
        };
        let mut range = inverted.terms().range().ge(bytes);
        if !end.is_empty() {
            range = range.lt(&end);
        }
        if let Ok(mut stream) = range.into_stream() {
            let mut n = 0u32;
            while stream.advance() {
                n = n.saturating_add(1);
            }
            most = most.max(n);
        }
    }
    most
}

/// Weight of a title word over a body word in ranking.
const TITLE_BOOST: f32 = 2.5;
/// Weight of the exact character match in ranking (the words carry most of it).
const CHARS_BOOST: f32 = 0.3;

/// Word-level ranking clauses of one literal: its jieba words in title and body.
fn literal_rank(literal: &str, fields: &Fields, jieba: &Jieba) -> Option<Box<dyn Query>> {
    let text = normalize_literal(literal);
    let words = word_tokens(jieba, &text);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for w in words {
        let title = TermQuery::new(
            Term::from_field_text(fields.title_words, w.text),
            IndexRecordOption::WithFreqs,
        );
        let body = TermQuery::new(
            Term::from_field_text(fields.body_words, w.text),
            IndexRecordOption::WithFreqs,
        );
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(title), TITLE_BOOST)),
        ));
        clauses.push((Occur::Should, Box::new(body)));
    }
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// Any of a facet's stored values, scoring nothing.
fn facet_match(facet: &Facet, values: &[String], fields: &Fields) -> Box<dyn Query> {
    let field = facet.field;
    let clauses = values
        .iter()
        .map(|v| {
            let term = Term::from_facet(fields.facet(field), &field.path_of(v));
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The articles of `inner` whose title or body holds `terms` within `within` characters.
fn near(inner: Box<dyn Query>, terms: &[String], within: usize, fields: &Fields) -> Box<dyn Query> {
    Box::new(CheckedQuery {
        inner,
        check: Check::near(terms, within),
        fields: vec![fields.title, fields.body],
    })
}

/// Translates a parsed query: exact matching on characters (or, with `words`, on whole
/// jieba words: [`Needles`]), ranking on words.
pub fn to_tantivy(
    node: &Node,
    fields: &Fields,
    jieba: &Arc<Jieba>,
    searcher: &Searcher,
    words: bool,
) -> Box<dyn Query> {
    Translate {
        fields,
        jieba,
        searcher,
        words,
    }
    .query(node)
}

struct Translate<'a> {
    fields: &'a Fields,
    jieba: &'a Arc<Jieba>,
    searcher: &'a Searcher,
    /// Only whole words of the jieba cut count (`--words`).
    words: bool,
}

impl Translate<'_> {
    /// The matching part of a literal, in the title only or anywhere: exact on the character
    /// view; under `--words` each such article's stored title and body are then cut by
    /// jieba, and a match must begin and end at word boundaries there.
    fn literal(&self, literal: &str, title_only: bool) -> Box<dyn Query> {
        let f = self.fields;
        let chars = if title_only { f.title_chars } else { f.chars };
        let exact = match f.exact_view {
            ExactView::Positions => match_in(literal, chars, self.searcher),
            ExactView::DocIds => match_checked(literal, chars, f.char_texts(title_only)),
        };
        if !self.words {
            return exact;
        }
        Box::new(CheckedQuery {
            inner: exact,
            check: Check::Words(Needles::new(
                vec![normalize_literal(literal)],
                true,
                self.jieba,
            )),
            fields: if title_only {
                vec![f.title]
            } else {
                vec![f.title, f.body]
            },
        })
    }

    fn query(&self, node: &Node) -> Box<dyn Query> {
        let fields = self.fields;
        match node {
            Node::All => Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
            Node::Literal(l) | Node::Title(l) => {
                let title_only = matches!(node, Node::Title(_));
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
                    Occur::Must,
                    Box::new(BoostQuery::new(self.literal(l, title_only), CHARS_BOOST)),
                )];
                if let Some(rank) = literal_rank(l, fields, self.jieba) {
                    clauses.push((Occur::Should, rank));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Facet { facet, values } => Box::new(ConstScoreQuery::new(
                facet_match(facet, values, fields),
                0.0,
            )),
            Node::Near { terms, within } => {
                let all = Node::And(terms.iter().map(|t| Node::Literal(t.clone())).collect());
                near(self.query(&all), terms, *within, fields)
            }
            Node::And(children) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut positive = false;
                for c in children {
                    match c {
                        Node::Not(inner) => clauses.push((Occur::MustNot, self.match_only(inner))),
                        other => {
                            positive = true;
                            clauses.push((Occur::Must, self.query(other)));
                        }
                    }
                }
                if !positive {
                    clauses.push((
                        Occur::Must,
                        Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
                    ));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(children) => Box::new(BooleanQuery::new(
                children
                    .iter()
                    .map(|c| (Occur::Should, self.query(c)))
                    .collect(),
            )),
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)) as Box<dyn Query>,
                ),
                (Occur::MustNot, self.match_only(inner)),
            ])),
        }
    }

    /// The matching part alone (for exclusions, where ranking does not matter).
    fn match_only(&self, node: &Node) -> Box<dyn Query> {
        match node {
            Node::All => Box::new(AllQuery),
            Node::Literal(l) => self.literal(l, false),
            Node::Title(l) => self.literal(l, true),
            Node::Facet { facet, values } => facet_match(facet, values, self.fields),
            Node::Near { terms, within } => {
                let all = Node::And(terms.iter().map(|t| Node::Literal(t.clone())).collect());
                near(self.match_only(&all), terms, *within, self.fields)
            }
            Node::And(children) => Box::new(BooleanQuery::new(
                children
                    .iter()
                    .map(|c| match c {
                        Node::Not(inner) => (Occur::MustNot, self.match_only(inner)),
                        other => (Occur::Must, self.match_only(other)),
                    })
                    .collect(),
            )),
            Node::Or(children) => Box::new(BooleanQuery::new(
                children
                    .iter()
                    .map(|c| (Occur::Should, self.match_only(c)))
                    .collect(),
            )),
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.match_only(inner)),
            ])),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_run_of_bigrams_is_found_as_its_characters() {
        use super::CharPhrase;
        let texts = [
            "国有企业改革，国有 企业",
            "国有企国有企业",
            "在5g国有企业中",
            "国有企业",
            "国有",
            "c919大飞机国产大飞机",
        ];
        for literal in [
            "国有企业",
            "有企",
            "国有企",
            "大飞机",
            "国产大飞",
            "5g国有",
            "飞机国",
        ] {
            let phrase = CharPhrase::of(literal);
            for text in texts {
                let text = crate::text::normalize::normalize_str(text);
                assert_eq!(
                    phrase.occurs_in(&text),
                    phrase.in_tokens_of(&text),
                    "{literal} in {text}"
                );
            }
        }
        assert!(CharPhrase::of("国有企业").cjk_run().is_some());
        assert!(CharPhrase::of("5g国有").cjk_run().is_none());
    }

    use super::*;

    #[test]
    fn a_field_is_ascii_letters_before_a_colon() {
        assert_eq!(
            field_prefix("title:低空"),
            Some(("title".to_string(), "低空".to_string()))
        );
        assert_eq!(
            field_prefix("SOURCE：新华社"),
            Some(("source".to_string(), "新华社".to_string()))
        );
        assert_eq!(field_prefix("比分3:1"), None);
        assert_eq!(field_prefix("https://example.com"), None);
        assert_eq!(field_prefix("12:30"), None);
    }

    #[test]
    fn fields_scope_words_phrases_and_groups() {
        assert_eq!(
            parse_query("title:(低空 OR \"航天 产业\") 深圳").unwrap(),
            Node::And(vec![
                Node::Or(vec![
                    Node::Title("低空".into()),
                    Node::Title("航天 产业".into())
                ]),
                lit("深圳"),
            ])
        );
        let e = parse_query("auther:新华社").unwrap_err().to_string();
        assert!(e.contains("title, province"), "{e}");
        let e = parse_query("title:").unwrap_err().to_string();
        assert!(e.contains("needs a word"), "{e}");
    }

    fn lit(s: &str) -> Node {
        Node::Literal(s.to_string())
    }

    #[test]
    fn words_are_anded_phrases_quoted() {
        assert_eq!(
            parse_query("低空经济 深圳").unwrap(),
            Node::And(vec![lit("低空经济"), lit("深圳")])
        );
        assert_eq!(parse_query("“新质生产力”").unwrap(), lit("新质生产力"));
        assert_eq!(parse_query("  ").unwrap(), Node::All);
    }

    #[test]
    fn or_not_and_groups() {
        assert_eq!(
            parse_query("(低空 OR 航天) -深圳").unwrap(),
            Node::And(vec![
                Node::Or(vec![lit("低空"), lit("航天")]),
                Node::Not(Box::new(lit("深圳")))
            ])
        );
        assert_eq!(
            parse_query("AI | 5G").unwrap(),
            Node::Or(vec![lit("AI"), lit("5G")])
        );
        // a hyphen inside a word is part of it
        assert_eq!(parse_query("5G-A").unwrap(), lit("5G-A"));
    }

    #[test]
    fn broken_queries_get_advice() {
        for bad in [
            "\"低空经济",
            "(深圳",
            "深圳)",
            "低空 OR",
            "OR 深圳",
            "()",
            "NOT",
            "，。",
        ] {
            let err = parse_query(bad).unwrap_err();
            assert!(err.is_user_error(), "{bad}: {err}");
        }
    }

    #[test]
    fn pathological_queries_are_refused_quickly() {
        let deep = "(".repeat(1_000_000);
        assert!(parse_query(&deep).is_err());
        let many = vec!["经济"; 10_000].join(" ");
        assert!(parse_query(&many).is_err());
    }

    #[test]
    fn literals_drop_spaces_between_chinese() {
        assert_eq!(normalize_literal("低空 经济"), "低空经济");
        assert_eq!(normalize_literal("Machine  Learning"), "machine learning");
    }
}
