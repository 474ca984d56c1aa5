//! The library's error type, split the way users need it: their own mistake (with advice on
//! what to type instead), a problem with files on disk, or an internal failure.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the user typed or chose; the message says what to do instead.
    #[error("{0}")]
    User(String),

    /// A mistake the user made that has a code of its own (the query's syntax, an unknown
    /// facet value), for clients that explain it in their own words (the page does, in
    /// Chinese).
    #[error("{message}")]
    Query { code: Code, message: String },

    /// No index where one was expected.
    #[error("no index at {path}: build one with `corpus-search index --corpus DIR --index {path}`", path = .0.display())]
    MissingIndex(PathBuf),

    /// Another process holds the index lock.
    #[error("the index at {path} is locked: another `corpus-search index` is building it; wait for it to finish (or, if none runs, delete {lock})", path = .0.display(), lock = .0.join(".lock").display())]
    Locked(PathBuf),

    /// A directory that is not (or no longer) a usable corpus-search index.
    #[error("{path} is not a usable corpus-search index ({why}); rebuild it with `corpus-search index --index {path}`", path = .path.display())]
    BadIndex { path: PathBuf, why: String },

    #[error("{path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),

    #[error("internal error: {0}")]
    Internal(String),

    /// A search cluster (`--engine URL`) that cannot be reached or refuses a request.
    #[error("the cluster at {url}: {why}")]
    Engine { url: String, why: String },
}

impl Error {
    pub fn user(msg: impl Into<String>) -> Self {
        Error::User(msg.into())
    }

    /// A mistake in the query text, with its [`Code`].
    pub fn query(code: Code, msg: impl Into<String>) -> Self {
        Error::Query {
            code,
            message: msg.into(),
        }
    }

    /// The error's stable name, as the API gives it in `code`.
    pub fn code(&self) -> Code {
        match self {
            Error::User(_) => Code::BadRequest,
            Error::Query { code, .. } => *code,
            Error::MissingIndex(_)
            | Error::Locked(_)
            | Error::BadIndex { .. }
            | Error::Engine { .. } => Code::IndexUnavailable,
            Error::Io { .. } | Error::Tantivy(_) | Error::Internal(_) => Code::Internal,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the user can fix this by changing what they typed (exit code 2).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::User(_)
                | Error::Query { .. }
                | Error::MissingIndex(_)
                | Error::Locked(_)
                | Error::BadIndex { .. }
        )
    }
}

/// What kind of error it is, in one stable word: the API's `code` field. Messages may be
/// reworded; codes are kept, so a client can rely on them (the page maps them to Chinese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A URL parameter is unknown or malformed.
    BadParameter,
    /// Anything else the user asked that cannot be done as asked (an unknown province...).
    BadRequest,
    /// The query is not well formed in a way no other code names.
    BadQuery,
    /// A `"` opens a phrase that is never closed.
    UnclosedQuote,
    /// A `(` is never closed.
    UnclosedParen,
    /// A `)` has no `(` before it.
    UnmatchedParen,
    /// An operator (OR, NOT, NEAR, `field:`) has nothing on one side.
    MissingOperand,
    /// `name:` before a word, where name is not a field.
    UnknownField,
    /// A word of the query is only punctuation.
    NothingToSearch,
    /// A filter's value names nothing: an unknown province, city or industry, or a year
    /// that is not four digits.
    UnknownValue,
    /// The query is too long, has too many words or nests too deep.
    QueryTooLarge,
    /// The query has no word to show in context (a concordance of `-深圳`).
    NoWordsToShow,
    /// The index is in a cluster (`--engine`), which cannot answer this exactly (a page
    /// past 10,000 hits; proximity, a symbol or whole words with more candidates than one
    /// search reads; a symbol on documents loaded before their searched lines were kept);
    /// the embedded index can.
    NotOnCluster,
    /// No such article or endpoint.
    NotFound,
    /// Too many searches wait already; try again.
    Busy,
    /// The index is missing, locked by a build, or unusable.
    IndexUnavailable,
    /// A failure inside the server; its log says why.
    Internal,
}

impl Code {
    pub const ALL: [Code; 17] = [
        Code::BadParameter,
        Code::BadRequest,
        Code::BadQuery,
        Code::UnclosedQuote,
        Code::UnclosedParen,
        Code::UnmatchedParen,
        Code::MissingOperand,
        Code::UnknownField,
        Code::NothingToSearch,
        Code::UnknownValue,
        Code::QueryTooLarge,
        Code::NoWordsToShow,
        Code::NotOnCluster,
        Code::NotFound,
        Code::Busy,
        Code::IndexUnavailable,
        Code::Internal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Code::BadParameter => "bad_parameter",
            Code::BadRequest => "bad_request",
            Code::BadQuery => "bad_query",
            Code::UnclosedQuote => "unclosed_quote",
            Code::UnclosedParen => "unclosed_paren",
            Code::UnmatchedParen => "unmatched_paren",
            Code::MissingOperand => "missing_operand",
            Code::UnknownField => "unknown_field",
            Code::NothingToSearch => "nothing_to_search",
            Code::UnknownValue => "unknown_value",
            Code::QueryTooLarge => "query_too_large",
            Code::NoWordsToShow => "no_words_to_show",
            Code::NotOnCluster => "not_on_cluster",
            Code::NotFound => "not_found",
            Code::Busy => "busy",
            Code::IndexUnavailable => "index_unavailable",
            Code::Internal => "internal",
        }
    }
}
