//! Text normalisation and the two tokenizers the index uses.
//!
//! Every piece of text, indexed or queried, goes through [`normalize`] first: traditional
//! characters become simplified ones, full-width letters and digits become ASCII, Latin text
//! is lower-cased. The mapping is one character to one character, so offsets found in the
//! normalised text point back into the article's own text (snippets show what was printed).
//!
//! [`tokenize`] then cuts the normalised text two ways:
//! - words (jieba), used for ranking: an article where 人工智能 is a word ranks higher;
//! - characters (CJK bigrams with ordinal positions, whole Latin/digit runs), used for
//!   matching: every article that contains the query as a substring is found.

pub mod normalize;
pub mod tokenize;

pub use normalize::{normalize, normalize_char, Normalized};
