//! The two tokenizers the index registers with tantivy, and the same cuts for queries.
//!
//! - [`CharTokenizer`] (`zh_chars`): the matching view. A run of CJK characters of length n
//!   gives n tokens at consecutive positions: the bigram starting at each character, and for
//!   the run's last character the character alone. A run of Latin letters or digits is one
//!   token (`c919`, `5g`), and a few symbols that live inside terms (`+ % . # & / -`) are one
//!   token each; other punctuation and white space separate tokens and emit nothing. Any
//!   substring of the text is then a phrase of these tokens (see `search::query`), which
//!   gives exact recall without jieba's context-dependent cuts.
//!   An index whose character view keeps doc ids only cuts it with [`OnceTokenizer`]
//!   (`zh_chars_once`): the same tokens, each distinct one once per text.
//! - `zh_words`: jieba's precise cut (HMM off, so that the same string is cut the same way in
//!   the index and in the query), used for ranking only. The writer cuts on its reading
//!   threads ([`pre_cut`]); the index's [`PreCutTokenizer`] only splits the cut.
//!
//! Both views work on normalised text. The writer normalises each article once; queries use
//! [`char_tokens`] and [`word_tokens`] directly.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::jieba_rs::Jieba;

use crate::data::USERDICT_TXT;

pub const CHARS_TOKENIZER: &str = "zh_chars";
/// The matching view with each token once per text ([`OnceTokenizer`]).
pub const CHARS_ONCE_TOKENIZER: &str = "zh_chars_once";
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
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        !is_cjk(c) && c.is_alphanumeric()
    }
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
            for (k, &(from, _)) in chars.iter().enumerate().take(j).skip(i) {
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
        .filter(|t| t.word.chars().any(|c| is_cjk(c) || c.is_alphanumeric()))
        .map(|t| WordToken {
            text: t.word,
            from: t.byte_start,
            to: t.byte_end,
        })
        .collect()
}

/// Where the words of `text`'s jieba cut begin and end (byte offsets, unsorted), with
/// search mode's parts of long words (超强 and 台风 of 超强台风): the boundaries a
/// `--words` match must begin and end at.
pub fn word_bounds(jieba: &Jieba, text: &str) -> (Vec<usize>, Vec<usize>) {
    let words = jieba.cut_for_search(text, false);
    (
        words.iter().map(|t| t.byte_start).collect(),
        words.iter().map(|t| t.byte_end).collect(),
    )
}

/// jieba with its default dictionary, the project's news vocabulary (`data/userdict.txt`) and
/// any dictionaries the user adds (`--dict FILE`, same format: `word [freq] [tag]`).
pub fn build_jieba(extra_dicts: &[String]) -> crate::Result<Arc<Jieba>> {
    if extra_dicts.is_empty() {
        return Ok(Arc::clone(default_jieba()));
    }
    load_jieba(extra_dicts)
}

/// jieba with the project's dictionaries and no user ones, loaded once per process: the
/// index's words view and the facets (which words a place name starts) share it.
pub fn default_jieba() -> &'static Arc<Jieba> {
    static JIEBA: std::sync::OnceLock<Arc<Jieba>> = std::sync::OnceLock::new();
    JIEBA.get_or_init(|| load_jieba(&[]).expect("the project's dictionary data/userdict.txt"))
}

fn load_jieba(extra_dicts: &[String]) -> crate::Result<Arc<Jieba>> {
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

/// Separates the words of a pre-cut text: the writer runs jieba on all cores and hands the
/// index a field of words joined by this character (see [`PreCutTokenizer`]).
pub const WORD_SEPARATOR: char = '\u{1F}';

/// The words of normalised text, joined by [`WORD_SEPARATOR`].
pub fn pre_cut(jieba: &Jieba, normalized: &str) -> String {
    let mut out = String::with_capacity(normalized.len() + normalized.len() / 4);
    for w in word_tokens(jieba, normalized) {
        if !out.is_empty() {
            out.push(WORD_SEPARATOR);
        }
        out.push_str(w.text);
    }
    out
}

/// The ranking view (`zh_words`) at index time: the text is already cut into jieba words
/// ([`pre_cut`]) on the reading threads, so tantivy's indexing thread only splits it. Offsets
/// point into the pre-cut text (nothing reads them: snippets find matches themselves).
#[derive(Clone, Default)]
pub struct PreCutTokenizer {
    token: Token,
}

pub struct PreCutStream<'a> {
    words: std::str::Split<'a, char>,
    offset: usize,
    token: &'a mut Token,
}

impl Tokenizer for PreCutTokenizer {
    type TokenStream<'a> = PreCutStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreCutStream<'a> {
        self.token.reset();
        self.token.position = usize::MAX;
        PreCutStream {
            words: text.split(WORD_SEPARATOR),
            offset: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for PreCutStream<'_> {
    fn advance(&mut self) -> bool {
        for word in self.words.by_ref() {
            let from = self.offset;
            self.offset += word.len() + WORD_SEPARATOR.len_utf8();
            if word.is_empty() {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(word);
            self.token.offset_from = from;
            self.token.offset_to = from + word.len();
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The matching view (`zh_chars`) at index time, on text the writer has normalised: the
/// same tokens as [`char_tokens`], produced one at a time into one reused buffer. Offsets
/// point into the normalised text.
#[derive(Clone, Default)]
pub struct CharTokenizer {
    token: Token,
    /// Counts the bytes of text cut, when set: the writer learns from it how far tantivy's
    /// indexing thread has got, and holds back documents to bound the memory in between.
    consumed: Option<Arc<AtomicU64>>,
}

impl CharTokenizer {
    /// A tokenizer that adds the length of every text it cuts to `consumed`.
    pub fn counting(consumed: Arc<AtomicU64>) -> Self {
        CharTokenizer {
            token: Token::default(),
            consumed: Some(consumed),
        }
    }
}

pub struct CharStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    /// Inside a CJK run: the start of the previous character, waiting for its successor.
    pending: Option<usize>,
    token: &'a mut Token,
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharStream<'a> {
        if let Some(consumed) = &self.consumed {
            consumed.fetch_add(text.len() as u64, Ordering::Relaxed);
        }
        self.token.reset();
        self.token.position = usize::MAX;
        CharStream {
            text,
            chars: text.char_indices().peekable(),
            pending: None,
            token: &mut self.token,
        }
    }
}

impl CharStream<'_> {
    fn emit(&mut self, from: usize, to: usize) -> bool {
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }
}

impl TokenStream for CharStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(start) = self.pending {
                // The character at `start` is CJK: a bigram with the next one if it is CJK
                // too, else the run's end alone.
                match self.chars.peek() {
                    Some(&(next, c)) if is_cjk(c) => {
                        self.chars.next();
                        self.pending = Some(next);
                        return self.emit(start, next + c.len_utf8());
                    }
                    _ => {
                        self.pending = None;
                        let len = self.text[start..].chars().next().map_or(0, char::len_utf8);
                        return self.emit(start, start + len);
                    }
                }
            }
            let Some((start, c)) = self.chars.next() else {
                return false;
            };
            if is_cjk(c) {
                self.pending = Some(start);
            } else if is_word_char(c) {
                let mut end = start + c.len_utf8();
                while let Some(&(o, c)) = self.chars.peek() {
                    if !is_word_char(c) {
                        break;
                    }
                    end = o + c.len_utf8();
                    self.chars.next();
                }
                return self.emit(start, end);
            } else if TERM_SYMBOLS.contains(&c) {
                return self.emit(start, start + c.len_utf8());
            }
        }
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The matching view kept as doc ids only (`zh_chars_once`, [`ExactView::DocIds`]): the
/// tokens of [`CharTokenizer`], each distinct one once per text. Postings without positions
/// need no more, and tantivy's indexing thread then looks up each token of a text once
/// instead of at every occurrence. A token of one or two characters is remembered as its
/// characters packed into a number, a longer one (a Latin word) as its text, so no two tokens
/// are ever taken for one.
///
/// [`ExactView::DocIds`]: crate::index::schema::ExactView::DocIds
#[derive(Clone, Default)]
pub struct OnceTokenizer {
    inner: CharTokenizer,
    short: rustc_hash::FxHashSet<u64>,
    long: rustc_hash::FxHashSet<String>,
}

impl OnceTokenizer {
    /// Each distinct token of `inner`'s once per text (a counting `inner` still counts).
    pub fn new(inner: CharTokenizer) -> Self {
        OnceTokenizer {
            inner,
            ..OnceTokenizer::default()
        }
    }
}

pub struct OnceStream<'a> {
    inner: CharStream<'a>,
    short: &'a mut rustc_hash::FxHashSet<u64>,
    long: &'a mut rustc_hash::FxHashSet<String>,
}

impl Tokenizer for OnceTokenizer {
    type TokenStream<'a> = OnceStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> OnceStream<'a> {
        self.short.clear();
        self.long.clear();
        OnceStream {
            inner: self.inner.token_stream(text),
            short: &mut self.short,
            long: &mut self.long,
        }
    }
}

impl OnceStream<'_> {
    /// Whether the current token is seen for the first time in this text.
    fn first_time(&mut self) -> bool {
        let text = &self.inner.token().text;
        let mut chars = text.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(a), None, _) => self.short.insert(a as u64),
            (Some(a), Some(b), None) => self.short.insert((a as u64) << 21 | b as u64 | 1 << 42),
            _ => !self.long.contains(text.as_str()) && self.long.insert(text.clone()),
        }
    }
}

impl TokenStream for OnceStream<'_> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            if self.first_time() {
                return true;
            }
        }
        false
    }
    fn token(&self) -> &Token {
        self.inner.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
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

    fn streamed(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tok = CharTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn the_index_stream_gives_the_same_tokens_as_char_tokens() {
        for text in [
            "低空经济",
            "c919大飞机，20+8产业",
            "据ai报道：5g基站、“东数西算”工程。2024年3月14日电 新华社",
            "a",
            "经",
            "",
            "，。",
            "ひらがなと한국어mixed123混排",
        ] {
            let want: Vec<_> = char_tokens(text)
                .into_iter()
                .map(|t| (t.text, t.position, t.from, t.to))
                .collect();
            assert_eq!(streamed(text), want, "{text}");
        }
    }

    #[test]
    fn the_once_stream_gives_each_distinct_token_once_per_text() {
        let mut once = OnceTokenizer::default();
        for text in [
            "低空经济，低空经济 5g 5g c919 c919大飞机",
            "经经经",
            "ab a ab",
            "",
        ] {
            let mut want: Vec<String> = Vec::new();
            for t in char_tokens(text) {
                if !want.contains(&t.text) {
                    want.push(t.text);
                }
            }
            let mut got = Vec::new();
            let mut stream = once.token_stream(text);
            while stream.advance() {
                got.push(stream.token().text.clone());
            }
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn pre_cut_words_come_back_whole() {
        let jieba = build_jieba(&[]).unwrap();
        let text = "推动低空经济发展，c919首飞";
        let cut = pre_cut(&jieba, text);
        let mut tok = PreCutTokenizer::default();
        let mut stream = tok.token_stream(&cut);
        let mut got = Vec::new();
        while stream.advance() {
            got.push((stream.token().text.clone(), stream.token().position));
        }
        let want: Vec<(String, usize)> = word_tokens(&jieba, text)
            .iter()
            .enumerate()
            .map(|(i, w)| (w.text.to_string(), i))
            .collect();
        assert_eq!(got, want);
        assert!(got.iter().any(|(w, _)| w == "低空经济"), "{got:?}");
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
