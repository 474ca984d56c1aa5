//! The two tokenizers the index registers with tantivy, and the same cuts for queries.
//!
//! - [`CharTokenizer`] (`zh_chars`): the matching view. A run of CJK characters of length n
//!   gives n tokens at consecutive positions: the bigram starting at each character, and for
//!   the run's last character the character alone. A run of Latin letters or digits is one
//!   token (`c919`, `5g`), and a few symbols that live inside terms (`+ % . # & / -`) are one
//!   token each; other punctuation and white space separate tokens and emit nothing. Any
//!   substring of the text is then a phrase of these tokens (see `search::query`), which
//!   gives exact recall without jieba's context-dependent cuts.
//! - [`WordTokenizer`] (`zh_words`): jieba's precise cut (HMM off, so that the same string is
//!   cut the same way in the index and in the query), used for ranking only.
//!
//! Both run on normalised text and report offsets in the original text.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::jieba_rs::Jieba;

use crate::data::USERDICT_TXT;
use crate::text::normalize::{normalize, Normalized};

pub const CHARS_TOKENIZER: &str = "zh_chars";
pub const WORDS_TOKENIZER: &str = "zh_words";

/// Symbols that stay searchable because they live inside terms: 20+8, 5.8%, C#, 3/4.
const TERM_SYMBOLS: &[char] = &[
    '+', '%', '.', '#', '&', '/', '-', '@', '$', '*', '=', '~', '_',
];

/// CJK ideographs (with extensions and compatibility forms), kana and hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F
        | 0x3040..=0x30FF | 0xAC00..=0xD7AF | 0x3005 | 0x3007)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// What a character-view token stands for; queries need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharTokenKind {
    /// Two CJK characters.
    Bigram,
    /// The last CJK character of a run, alone.
    RunEnd,
    /// A run of letters or digits.
    Word,
    /// One searchable symbol.
    Symbol,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharToken {
    pub text: String,
    pub position: usize,
    pub kind: CharTokenKind,
    /// Byte range in the text that was cut (normalised text).
    pub from: usize,
    pub to: usize,
    /// For a `RunEnd` token: how many characters its run has.
    pub run_len: usize,
}

/// Cuts already normalised text into character-view tokens.
pub fn char_tokens(text: &str) -> Vec<CharToken> {
    let mut tokens = Vec::with_capacity(text.len() / 3 + 1);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map(|&(o, _)| o).unwrap_or(text.len());
    let mut position = 0;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_cjk(c) {
            let mut j = i;
            while j < chars.len() && is_cjk(chars[j].1) {
                j += 1;
            }
            let run_len = j - i;
            for k in i..j {
                let (from, _) = chars[k];
                let (to, kind) = if k + 1 < j {
                    (end_of(k + 2), CharTokenKind::Bigram)
                } else {
                    (end_of(k + 1), CharTokenKind::RunEnd)
                };
                tokens.push(CharToken {
                    text: text[from..to].to_string(),
                    position,
                    kind,
                    from,
                    to,
                    run_len,
                });
                position += 1;
            }
            i = j;
        } else if is_word_char(c) {
            let mut j = i;
            while j < chars.len() && is_word_char(chars[j].1) {
                j += 1;
            }
            tokens.push(CharToken {
                text: text[start..end_of(j)].to_string(),
                position,
                kind: CharTokenKind::Word,
                from: start,
                to: end_of(j),
                run_len: 0,
            });
            position += 1;
            i = j;
        } else {
            if TERM_SYMBOLS.contains(&c) {
                tokens.push(CharToken {
                    text: c.to_string(),
                    position,
                    kind: CharTokenKind::Symbol,
                    from: start,
                    to: end_of(i + 1),
                    run_len: 0,
                });
                position += 1;
            }
            i += 1;
        }
    }
    tokens
}

/// A word of jieba's cut, in normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordToken<'a> {
    pub text: &'a str,
    pub from: usize,
    pub to: usize,
}

/// Cuts already normalised text into words, leaving out white space and punctuation.
pub fn word_tokens<'a>(jieba: &Jieba, text: &'a str) -> Vec<WordToken<'a>> {
    jieba
        .cut(text, false)
        .into_iter()
        .filter(|t| t.word.chars().any(|c| c.is_alphanumeric()))
        .map(|t| WordToken {
            text: t.word,
            from: t.byte_start,
            to: t.byte_end,
        })
        .collect()
}

/// jieba with its default dictionary, the project's news vocabulary (`data/userdict.txt`) and
/// any dictionaries the user adds (`--dict FILE`, same format: `word [freq] [tag]`).
pub fn build_jieba(extra_dicts: &[String]) -> crate::Result<Arc<Jieba>> {
    let mut jieba = Jieba::new();
    let mut add = |text: &str, origin: &str| -> crate::Result<()> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(word) = parts.next() else { continue };
            let freq = match parts.next() {
                Some(f) => Some(f.parse::<usize>().map_err(|_| {
                    crate::Error::user(format!(
                        "{origin} line {}: `{f}` is not a frequency; lines read `word [freq] [tag]`, e.g. `低空经济 50000 n`",
                        n + 1
                    ))
                })?),
                None => None,
            };
            let tag = parts.next();
            jieba.add_word(&crate::text::normalize::normalize_str(word), freq, tag);
        }
        Ok(())
    };
    add(USERDICT_TXT, "data/userdict.txt")?;
    for (i, text) in extra_dicts.iter().enumerate() {
        add(text, &format!("user dictionary #{}", i + 1))?;
    }
    Ok(Arc::new(jieba))
}

/// The tokens of one field value, computed eagerly (tantivy pulls them one by one).
pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream { tokens, index: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

fn to_tantivy(n: &Normalized, text: String, position: usize, from: usize, to: usize) -> Token {
    Token {
        offset_from: n.to_original(from),
        offset_to: n.to_original(to),
        position,
        text,
        position_length: 1,
    }
}

/// The matching view (see the module docs).
#[derive(Clone, Default)]
pub struct CharTokenizer;

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let n = normalize(text);
        let tokens = char_tokens(&n.text)
            .into_iter()
            .map(|t| to_tantivy(&n, t.text, t.position, t.from, t.to))
            .collect();
        VecTokenStream::new(tokens)
    }
}

/// The ranking view: jieba words of the normalised text.
#[derive(Clone)]
pub struct WordTokenizer {
    jieba: Arc<Jieba>,
}

impl WordTokenizer {
    pub fn new(jieba: Arc<Jieba>) -> Self {
        WordTokenizer { jieba }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let n = normalize(text);
        let tokens = word_tokens(&self.jieba, &n.text)
            .into_iter()
            .enumerate()
            .map(|(i, w)| to_tantivy(&n, w.text.to_string(), i, w.from, w.to))
            .collect();
        VecTokenStream::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(String, usize)> {
        char_tokens(s)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn cjk_runs_become_bigrams_and_a_run_end() {
        assert_eq!(
            texts("低空经济"),
            vec![
                ("低空".into(), 0),
                ("空经".into(), 1),
                ("经济".into(), 2),
                ("济".into(), 3)
            ]
        );
    }

    #[test]
    fn punctuation_separates_and_latin_runs_are_whole() {
        let t = texts("c919大飞机，20+8产业");
        let words: Vec<&str> = t.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            words,
            vec!["c919", "大飞", "飞机", "机", "20", "+", "8", "产业", "业"]
        );
        // positions stay consecutive across the comma: punctuation emits nothing
        assert_eq!(t[4].1, 4);
    }

    #[test]
    fn tantivy_offsets_point_into_the_original() {
        let original = "發展ＡＩ芯片";
        let mut tok = CharTokenizer;
        let mut stream = tok.token_stream(original);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((
                t.text.clone(),
                original[t.offset_from..t.offset_to].to_string(),
            ));
        }
        assert_eq!(seen[0], ("发展".to_string(), "發展".to_string()));
        assert_eq!(seen[2], ("ai".to_string(), "ＡＩ".to_string()));
    }

    #[test]
    fn jieba_words_skip_punctuation() {
        let jieba = build_jieba(&[]).unwrap();
        let words: Vec<&str> = word_tokens(&jieba, "加快发展新质生产力，推动低空经济。")
            .iter()
            .map(|w| w.text)
            .collect();
        assert!(words.contains(&"新质生产力"), "{words:?}");
        assert!(words.contains(&"低空经济"), "{words:?}");
        assert!(!words.contains(&"，"));
    }
}
