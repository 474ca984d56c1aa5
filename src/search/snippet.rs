//! Snippets: the part of an article that shows why it matched, with the matched words
//! marked. Occurrences are found in the normalised text (so 低空经济 highlights 低空經濟),
//! and the snippet shows the article's own characters. Lengths count characters, not bytes.

use crate::text::normalize::normalize;

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
pub fn find_occurrences(text: &str, literals: &[String]) -> Vec<(usize, usize, usize)> {
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

/// Byte ranges (in the original text) of every occurrence of the literals, overlapping ones
/// merged: what is highlighted.
pub fn find_matches(text: &str, literals: &[String]) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e, _) in find_occurrences(text, literals) {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Marks every match in `text` (a title, say).
pub fn highlight_all(text: &str, literals: &[String]) -> Snippet {
    pieces(text, 0, text.len(), &find_matches(text, literals))
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
pub fn make_snippet(text: &str, literals: &[String], max_chars: usize) -> Snippet {
    let flat: String = text.replace('\n', " ");
    let matches = find_matches(&flat, literals);
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

    #[test]
    fn highlights_in_the_articles_own_script() {
        let text = "培育壯大低空經濟、商業航天等新產業新賽道。";
        let s = make_snippet(text, &["低空经济".to_string()], 80);
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
        let s = make_snippet(&text, &["低空经济".to_string()], 50);
        let plain = s.marked("[", "]");
        assert!(plain.contains("[低空经济]"), "{plain}");
        assert!(plain.chars().count() <= 50 + 2 + 2, "{plain}");
    }

    #[test]
    fn html_in_articles_is_escaped() {
        let s = make_snippet(
            "<script>alert(1)</script> 低空经济",
            &["低空经济".to_string()],
            80,
        );
        assert_eq!(
            s.to_html(),
            "&lt;script&gt;alert(1)&lt;/script&gt; <b>低空经济</b>"
        );
    }

    #[test]
    fn latin_matches_whole_words() {
        let m = find_matches("MAIL and AI chips", &["ai".to_string()]);
        assert_eq!(m, vec![(9, 11)]);
    }
}
