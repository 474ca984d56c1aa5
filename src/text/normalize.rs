//! Normalisation shared by the index and the query: traditional -> simplified, full width ->
//! half width, Latin case folding. One input character gives exactly one output character, so
//! the byte offsets of the normalised text map back to the original.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::data::{data_lines, T2S_TSV};

fn t2s_table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::with_capacity(4096);
        for line in data_lines(T2S_TSV) {
            let mut cols = line.split('\t');
            let (Some(trad), Some(simp)) = (cols.next(), cols.next()) else {
                continue;
            };
            let (mut t, mut s) = (trad.chars(), simp.chars());
            if let (Some(tc), None, Some(sc), None) = (t.next(), t.next(), s.next(), s.next()) {
                if tc != sc {
                    table.insert(tc, sc);
                }
            }
        }
        table
    })
}

/// The normalised form of one character, computed by the rules.
fn normalize_char_slow(c: char) -> char {
    match c {
        // Full-width ASCII forms (ＷＴＯ, １９９８) and the ideographic space.
        '\u{FF01}'..='\u{FF5E}' => {
            let ascii = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            ascii.to_ascii_lowercase()
        }
        '\u{3000}' | '\u{00A0}' => ' ',
        'A'..='Z' => c.to_ascii_lowercase(),
        c if c.is_ascii() => c,
        c => match t2s_table().get(&c) {
            Some(&s) => s,
            None if c.is_uppercase() => c.to_lowercase().next().unwrap_or(c),
            None => c,
        },
    }
}

/// The rules applied once to every character of the Basic Multilingual Plane (where nearly
/// all news text lives): normalising is then one array lookup per character, which matters
/// because every character of the corpus goes through here twice.
fn bmp_table() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0u32..0x10000)
            .map(|u| char::from_u32(u).map_or('\u{FFFD}', normalize_char_slow))
            .collect()
    })
}

/// The normalised form of one character.
#[inline]
pub fn normalize_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match bmp_table().get(c as usize) {
        Some(&n) => n,
        None => normalize_char_slow(c),
    }
}

/// Normalised text with the way back to the original's byte offsets.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// `starts[i]` is the original byte offset of the i-th normalised character, with one
    /// extra entry at the end for the original length.
    starts: Vec<u32>,
    /// The normalised byte offset of the i-th character.
    norm_starts: Vec<u32>,
}

impl Normalized {
    /// Maps a byte offset of the normalised text (at a character boundary) to the original.
    pub fn to_original(&self, norm_offset: usize) -> usize {
        match self.norm_starts.binary_search(&(norm_offset as u32)) {
            Ok(i) => self.starts[i] as usize,
            Err(i) => self.starts[i.min(self.starts.len() - 1)] as usize,
        }
    }
}

/// Normalises `text`, keeping the offset map. Use [`normalize_str`] when the map is not needed.
pub fn normalize(text: &str) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut starts = Vec::with_capacity(text.len() / 2 + 1);
    let mut norm_starts = Vec::with_capacity(text.len() / 2 + 1);
    for (offset, c) in text.char_indices() {
        starts.push(offset as u32);
        norm_starts.push(out.len() as u32);
        out.push(normalize_char(c));
    }
    starts.push(text.len() as u32);
    norm_starts.push(out.len() as u32);
    Normalized {
        text: out,
        starts,
        norm_starts,
    }
}

/// Normalises `text` without keeping offsets.
pub fn normalize_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(normalize_char(c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(
            normalize_str("規模以上工業增加值同比增長5.8%"),
            "规模以上工业增加值同比增长5.8%"
        );
        assert_eq!(normalize_str("低空經濟"), "低空经济");
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(normalize_str("１９９８年ＷＴＯ"), "1998年wto");
        assert_eq!(normalize_str("AI芯片与C919"), "ai芯片与c919");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let original = "據ＡＩ報道";
        let n = normalize(original);
        assert_eq!(n.text, "据ai报道");
        let pos = n.text.find("报道").unwrap();
        assert_eq!(&original[n.to_original(pos)..], "報道");
        assert_eq!(n.to_original(n.text.len()), original.len());
    }
}
