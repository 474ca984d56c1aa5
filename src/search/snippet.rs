//! Snippets: the part of an article that shows why it matched, with the matched words
//! marked. Occurrences are found in the normalised text (so 低空经济 highlights 低空經濟),
//! and the snippet shows the article's own characters. Lengths count characters, not bytes.

use std::sync::Arc;

use tantivy_jieba::jieba_rs::Jieba;

use crate::text::normalize::normalize;
use crate::text::tokenize::word_bounds;

/// What a query looks for in a text: its positive words and phrases (normalised), found as
/// substrings of the normalised text (the default, exact), or under `--words` only where
/// they stand as words of its jieba cut: 台风 in 台风过境 and in 超强台风 (a word whose
/// dictionary parts jieba's search mode gives), not in 三台风扇 (三 | 台 | 风扇).
#[derive(Clone, Default)]
pub struct Needles {
    pub literals: Vec<String>,
    /// The jieba that cut the index, when only whole words count.
    words: Option<Arc<Jieba>>,
}

impl Needles {
    /// The literals as substrings.
    pub fn substrings(literals: Vec<String>) -> Needles {
        Needles {
            literals,
            words: None,
        }
    }

    /// The literals as substrings, or as words of `jieba`'s cut when `words` is set.
    pub fn new(literals: Vec<String>, words: bool, jieba: &Arc<Jieba>) -> Needles {
        Needles {
            literals,
            words: words.then(|| Arc::clone(jieba)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.literals.iter().all(|l| l.is_empty())
    }

    /// Whether only whole words count.
    pub fn words(&self) -> bool {
        self.words.is_some()
    }
}

/// A snippet as pieces of text, each highlighted or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub pieces: Vec<(String, bool)>,
}

impl Snippet {
    /// HTML-escaped text with each match in `<b>`...`</b>`.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        for (text, hit) in &self.pieces {
            let escaped = html_escape::encode_text(text);
            if *hit {
                out.push_str("<b>");
                out.push_str(&escaped);
                out.push_str("</b>");
            } else {
                out.push_str(&escaped);
            }
        }
        out
    }

    /// Plain text with each match between `open` and `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::new();
        for (text, hit) in &self.pieces {
            if *hit {
                out.push_str(open);
                out.push_str(text);
                out.push_str(close);
            } else {
                out.push_str(text);
            }
        }
        out
    }

    pub fn has_match(&self) -> bool {
        self.pieces.iter().any(|(_, hit)| *hit)
    }
}

/// Every occurrence of each literal, as `(start, end, literal index)` byte ranges in the
/// original text, sorted by position. Occurrences of one literal do not overlap (each is
/// found after the previous one ends); those of different literals may. Latin words and
/// numbers match whole: `ai` not inside `mail`.
/// Under `--words`, only occurrences that begin and end at word boundaries count.
pub fn find_occurrences(text: &str, needles: &Needles) -> Vec<(usize, usize, usize)> {
    if let Some(jieba) = &needles.words {
        return find_words(text, &needles.literals, jieba);
    }
    let literals = &needles.literals;
    let n = normalize(text);
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for (which, lit) in literals.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let latin_edges = (
            lit.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric()),
            lit.chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric()),
        );
        for (start, _) in n.text.match_indices(lit.as_str()) {
            let end = start + lit.len();
            if latin_edges.0
                && n.text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            if latin_edges.1
                && n.text[end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            found.push((n.to_original(start), n.to_original(end), which));
        }
    }
    found.sort();
    found
}

/// [`find_occurrences`] under `--words`: the substring occurrences that begin where a word
/// of the jieba cut begins and end where one ends ([`word_bounds`]).
fn find_words(text: &str, literals: &[String], jieba: &Jieba) -> Vec<(usize, usize, usize)> {
    let mut found = find_occurrences(text, &Needles::substrings(literals.to_vec()));
    if found.is_empty() {
        return found;
    }
    let n = normalize(text);
    let (starts, ends) = word_bounds(jieba, &n.text);
    let original = |bounds: Vec<usize>| -> Vec<usize> {
        let mut v: Vec<usize> = bounds.into_iter().map(|b| n.to_original(b)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (starts, ends) = (original(starts), original(ends));
    found.retain(|&(s, e, _)| starts.binary_search(&s).is_ok() && ends.binary_search(&e).is_ok());
    found
}

/// Byte ranges (in the original text) of every occurrence of the literals, overlapping ones
/// merged: what is highlighted.
pub fn find_matches(text: &str, needles: &Needles) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e, _) in find_occurrences(text, needles) {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Marks every match in `text` (a title, say).
pub fn highlight_all(text: &str, needles: &Needles) -> Snippet {
    pieces(text, 0, text.len(), &find_matches(text, needles))
}

fn pieces(text: &str, from: usize, to: usize, matches: &[(usize, usize)]) -> Snippet {
    let mut out = Vec::new();
    let mut at = from;
    for &(s, e) in matches {
        if e <= from || s >= to {
            continue;
        }
        let (s, e) = (s.max(from), e.min(to));
        if s > at {
            out.push((text[at..s].to_string(), false));
        }
        out.push((text[s..e].to_string(), true));
        at = e;
    }
    if at < to {
        out.push((text[at..to].to_string(), false));
    }
    Snippet { pieces: out }
}

/// The best window of about `max_chars` characters: the one with the most different matched
/// words, starting a little before its first match (at a sentence start when one is near).
pub fn make_snippet(text: &str, needles: &Needles, max_chars: usize) -> Snippet {
    let flat: String = text.replace('\n', " ");
    let matches = find_matches(&flat, needles);
    let char_starts: Vec<usize> = flat.char_indices().map(|(i, _)| i).collect();
    let total_chars = char_starts.len();
    let byte_at = |ci: usize| char_starts.get(ci).copied().unwrap_or(flat.len());
    let char_of = |b: usize| char_starts.partition_point(|&s| s < b);

    let (mut start_c, mut end_c) = (0usize, total_chars.min(max_chars));
    if !matches.is_empty() && total_chars > max_chars {
        let lower = flat.to_lowercase();
        let mut best = (0usize, 0usize, 0usize); // (distinct, count, match index)
        for (i, &(s, _)) in matches.iter().enumerate() {
            let window_end = byte_at(char_of(s) + max_chars);
            let inside: Vec<&(usize, usize)> = matches[i..]
                .iter()
                .take_while(|m| m.1 <= window_end)
                .collect();
            let mut distinct: Vec<&str> = inside.iter().map(|m| &lower[m.0..m.1]).collect();
            distinct.sort();
            distinct.dedup();
            let score = (distinct.len(), inside.len());
            if score > (best.0, best.1) {
                best = (score.0, score.1, i);
            }
        }
        let first = char_of(matches[best.2].0);
        // Some context before the match, from a sentence start if one is close.
        let mut s = first.saturating_sub(12);
        let chars: Vec<char> = flat.chars().collect();
        for c in (first.saturating_sub(30)..first).rev() {
            if matches!(chars[c], '。' | '！' | '？' | '!' | '?' | '；') {
                s = c + 1;
                break;
            }
        }
        start_c = s;
        end_c = (start_c + max_chars).min(total_chars);
        if end_c - start_c < max_chars {
            start_c = end_c.saturating_sub(max_chars);
        }
    }
    let (from, to) = (byte_at(start_c), byte_at(end_c));
    let mut snippet = pieces(&flat, from, to, &matches);
    if start_c > 0 {
        snippet.pieces.insert(0, ("…".to_string(), false));
    }
    if end_c < total_chars {
        snippet.pieces.push(("…".to_string(), false));
    }
    snippet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize::build_jieba;

    fn lit(s: &str) -> Needles {
        Needles::substrings(vec![s.to_string()])
    }

    #[test]
    fn words_count_only_where_jieba_cuts_them_whole() {
        let jieba = build_jieba(&[]).unwrap();
        let words = |l: &str| Needles::new(vec![l.to_string()], true, &jieba);
        let text = "台风过境。超强台风登陆。三台风扇。新建60台风电机组。";
        assert_eq!(find_occurrences(text, &lit("台风")).len(), 4);
        let found: Vec<&str> = find_occurrences(text, &words("台风"))
            .iter()
            .map(|&(s, e, _)| &text[s..e])
            .collect();
        assert_eq!(found, ["台风", "台风"], "{text}");
        // Several words, in the article's own script.
        let found = find_occurrences("推動低空經濟發展", &words("低空经济"));
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn highlights_in_the_articles_own_script() {
        let text = "培育壯大低空經濟、商業航天等新產業新賽道。";
        let s = make_snippet(text, &lit("低空经济"), 80);
        assert_eq!(
            s.to_html(),
            "培育壯大<b>低空經濟</b>、商業航天等新產業新賽道。"
        );
    }

    #[test]
    fn window_moves_to_the_matches_and_counts_characters() {
        let text = format!(
            "{}深圳发展低空经济{}",
            "前言。".repeat(100),
            "后记".repeat(100)
        );
        let s = make_snippet(&text, &lit("低空经济"), 50);
        let plain = s.marked("[", "]");
        assert!(plain.contains("[低空经济]"), "{plain}");
        assert!(plain.chars().count() <= 50 + 2 + 2, "{plain}");
    }

    #[test]
    fn html_in_articles_is_escaped() {
        let s = make_snippet("<script>alert(1)</script> 低空经济", &lit("低空经济"), 80);
        assert_eq!(
            s.to_html(),
            "&lt;script&gt;alert(1)&lt;/script&gt; <b>低空经济</b>"
        );
    }

    #[test]
    fn latin_matches_whole_words() {
        let m = find_matches("MAIL and AI chips", &lit("ai"));
        assert_eq!(m, vec![(9, 11)]);
    }
}
