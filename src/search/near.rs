//! Proximity: `"低空 经济"~5` and `深圳 NEAR/10 低空经济` match an article when its words
//! stand within so many characters of each other, counted in the article's normalised text.
//!
//! The index narrows the search to articles that hold every word (the character view's
//! positions count Latin words, not letters, and skip punctuation, so they cannot measure
//! characters); each such article's stored title and body are then read and measured, so
//! the count is exact. The words are looked for in the title and in the body, each on its
//! own; a paragraph break counts as one character.
//!
//! The same reading confirms `--words` matches of several words ([`Check`]). A cluster,
//! which matches only what the engine can, confirms its candidates with these checks too
//! (`engine::confirm`), and with [`Check::Chars`] for the symbols its tokenizer drops. An
//! index whose character view keeps doc ids only (`index --exact-view doc-ids`) confirms
//! every literal of more than one token with [`Check::Chars`] (`search::query`).

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, TERMINATED};

use super::query::{normalize_literal, CharPhrase};
use super::snippet::{find_occurrences, Needles};
use crate::text::normalize::normalize_str;

/// Whether `terms` (normalised, at least two) occur in `text` with at most `within`
/// characters between them: over the closest occurrences, the characters of the span
/// that no word covers.
pub fn near_in(text: &str, terms: &[String], within: usize) -> bool {
    let chars: Vec<char> = normalize_str(text).chars().collect();
    // Every occurrence: (start, end, which term), by start.
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for (t, term) in terms.iter().enumerate() {
        let needle: Vec<char> = term.chars().collect();
        if needle.is_empty() || needle.len() > chars.len() {
            return false;
        }
        let before = found.len();
        for start in 0..=chars.len() - needle.len() {
            if chars[start..start + needle.len()] == needle[..] {
                found.push((start, start + needle.len(), t));
            }
        }
        if found.len() == before {
            return false;
        }
    }
    found.sort_unstable();
    let covered: usize = terms.iter().map(|t| t.chars().count()).sum();
    // The narrowest windows holding one occurrence of each term, sliding over the starts.
    let mut seen = vec![0usize; terms.len()];
    let mut missing = terms.len();
    let mut from = 0;
    for to in 0..found.len() {
        let t = found[to].2;
        seen[t] += 1;
        if seen[t] == 1 {
            missing -= 1;
        }
        while missing == 0 {
            let window = &found[from..=to];
            let start = window[0].0;
            let end = window.iter().map(|o| o.1).max().unwrap_or(start);
            // Only a window whose ends are the first and last of its terms measures them.
            if (end - start).saturating_sub(covered) <= within {
                return true;
            }
            let first = found[from].2;
            seen[first] -= 1;
            if seen[first] == 0 {
                missing += 1;
            }
            from += 1;
        }
    }
    false
}

/// What an article's stored title or body must show for a match the index can only narrow
/// down: the terms within so many characters (proximity), or the words one after another in
/// the jieba cut (`--words`, [`Needles`]); or a literal's phrase of the character view
/// ([`CharPhrase`]), which an index with positions matches in its postings, and a cluster,
/// whose tokenizer drops the symbols (`3.5%`), or an index of doc ids only in the text.
#[derive(Clone)]
pub enum Check {
    Near { terms: Vec<String>, within: usize },
    Words(Needles),
    Chars(CharPhrase),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Check::Near { terms, within } => write!(f, "Near({terms:?}, {within})"),
            Check::Words(needles) => write!(f, "Words({:?})", needles.literals),
            Check::Chars(phrase) => write!(f, "Chars({:?})", phrase.terms),
        }
    }
}

impl Check {
    /// Proximity of the words as typed (normalised here, as a query's words are matched).
    pub fn near(terms: &[String], within: usize) -> Check {
        Check::Near {
            terms: terms.iter().map(|t| normalize_literal(t)).collect(),
            within,
        }
    }

    /// Whether one stored text (a title, or a body) passes. An article passes when its
    /// title or its body does, each on its own; the cluster's proximity confirms its
    /// candidates with this too (`engine::confirm`).
    pub fn holds(&self, text: &str) -> bool {
        match self {
            Check::Near { terms, within } => near_in(text, terms, *within),
            Check::Words(needles) => !find_occurrences(text, needles).is_empty(),
            Check::Chars(phrase) => phrase.occurs_in(text),
        }
    }
}

/// The articles of `inner` (which must require what the check looks for) whose stored
/// title or body (each on its own; `fields`) passes the check.
#[derive(Debug)]
pub struct CheckedQuery {
    pub inner: Box<dyn Query>,
    pub check: Check,
    pub fields: Vec<Field>,
}

impl Clone for CheckedQuery {
    fn clone(&self) -> Self {
        CheckedQuery {
            inner: self.inner.box_clone(),
            check: self.check.clone(),
            fields: self.fields.clone(),
        }
    }
}

impl Query for CheckedQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CheckedWeight {
            inner: self.inner.weight(scoring)?,
            check: self.check.clone(),
            fields: self.fields.clone(),
        }))
    }
}

struct CheckedWeight {
    inner: Box<dyn Weight>,
    check: Check,
    fields: Vec<Field>,
}

impl Weight for CheckedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorer = CheckedScorer {
            inner: self.inner.scorer(reader, boost)?,
            store: reader.get_store_reader(4)?,
            check: self.check.clone(),
            fields: self.fields.clone(),
        };
        if scorer.inner.doc() != TERMINATED && !scorer.holds() {
            scorer.advance();
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct CheckedScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    check: Check,
    fields: Vec<Field>,
}

impl CheckedScorer {
    /// Whether the current article passes the check.
    fn holds(&self) -> bool {
        let Ok(doc) = self.store.get::<TantivyDocument>(self.inner.doc()) else {
            return false;
        };
        self.fields.iter().any(|&field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .is_some_and(|text| self.check.holds(text))
        })
    }
}

impl DocSet for CheckedScorer {
    fn advance(&mut self) -> DocId {
        loop {
            let doc = self.inner.advance();
            if doc == TERMINATED || self.holds() {
                return doc;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        if doc == TERMINATED || self.holds() {
            doc
        } else {
            self.advance()
        }
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for CheckedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn characters_between_the_words_are_counted() {
        let t = terms(&["深圳", "低空经济"]);
        // 深圳 + 大力发展 (4) + 低空经济
        assert!(near_in("深圳大力发展低空经济", &t, 4));
        assert!(!near_in("深圳大力发展低空经济", &t, 3));
        // Either order, and the nearest pair of occurrences counts.
        assert!(near_in("低空经济在深圳", &t, 1));
        assert!(near_in("深圳很远很远很远。低空经济，深圳", &t, 1));
        assert!(!near_in("深圳", &t, 100));
        // Traditional script and full width are normalised first.
        assert!(near_in("深圳發展低空經濟", &t, 2));
    }

    #[test]
    fn three_words_share_one_window() {
        let t = terms(&["a", "b", "c"]);
        assert!(near_in("a b c", &t, 2));
        assert!(!near_in("a b c", &t, 1));
        assert!(near_in("a   b c xcab", &t, 0));
    }
}
