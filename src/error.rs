//! The library's error type, split the way users need it: their own mistake (with advice on
//! what to type instead), a problem with files on disk, or an internal failure.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the user typed or chose; the message says what to do instead.
    #[error("{0}")]
    User(String),

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
}

impl Error {
    pub fn user(msg: impl Into<String>) -> Self {
        Error::User(msg.into())
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
            Error::User(_) | Error::MissingIndex(_) | Error::Locked(_) | Error::BadIndex { .. }
        )
    }
}
