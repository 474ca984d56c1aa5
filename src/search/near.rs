//! Proximity: `"低空 经济"~5` and `深圳 NEAR/10 低空经济` match an article when its words
//! stand within so many characters of each other, counted in the article's normalised text.
//!
//! The index narrows the search to articles that hold every word (the character view's
//! positions count Latin words, not letters, and skip punctuation, so they cannot measure
//! characters); each such article's stored title and body are then read and measured, so
//! the count is exact. The words are looked for in the title and in the body, each on its
//! own; a paragraph break counts as one character.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, TERMINATED};

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

/// The articles of `inner` (which must require every term) whose title or body holds the
/// terms within `within` characters.
#[derive(Debug)]
pub struct NearQuery {
    pub inner: Box<dyn Query>,
    pub terms: Vec<String>,
    pub within: usize,
    pub title: Field,
    pub body: Field,
}

impl Clone for NearQuery {
    fn clone(&self) -> Self {
        NearQuery {
            inner: self.inner.box_clone(),
            terms: self.terms.clone(),
            within: self.within,
            title: self.title,
            body: self.body,
        }
    }
}

impl Query for NearQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(NearWeight {
            inner: self.inner.weight(scoring)?,
            terms: self.terms.clone(),
            within: self.within,
            title: self.title,
            body: self.body,
        }))
    }
}

struct NearWeight {
    inner: Box<dyn Weight>,
    terms: Vec<String>,
    within: usize,
    title: Field,
    body: Field,
}

impl Weight for NearWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorer = NearScorer {
            inner: self.inner.scorer(reader, boost)?,
            store: reader.get_store_reader(4)?,
            terms: self.terms.clone(),
            within: self.within,
            title: self.title,
            body: self.body,
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

struct NearScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    terms: Vec<String>,
    within: usize,
    title: Field,
    body: Field,
}

impl NearScorer {
    /// Whether the current article holds the terms near enough.
    fn holds(&self) -> bool {
        let Ok(doc) = self.store.get::<TantivyDocument>(self.inner.doc()) else {
            return false;
        };
        [self.title, self.body].into_iter().any(|field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .is_some_and(|text| near_in(text, &self.terms, self.within))
        })
    }
}

impl DocSet for NearScorer {
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

impl Scorer for NearScorer {
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
