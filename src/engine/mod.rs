//! A cluster is a second place the index can live: an OpenSearch cluster (or Elasticsearch,
//! which speaks the same REST API) reached by URL, `--engine http://host:9200/news` or
//! `CORPUS_SEARCH_ENGINE`. The corpus is read by our own reader and written there with our
//! facets and normalised text ([`load`]); our parsed query is translated into the engine's
//! JSON ([`translate`]) and its totals and facet counts come back in our own types
//! ([`search`]), so the renderers print them as they print the embedded index's.
//!
//! ```text
//! URL -> Engine (index name, credentials) -> Client (HTTP, retries)
//!   index:  walk -> plan from the files index (<name>-files) -> read -> document -> _bulk
//!   query:  parse -> translate -> _search (track_total_hits) -> SearchResponse -> render
//!           (proximity, symbols, --words: candidates -> read back -> confirmed here ->
//!            ids in the query: [`confirm`])
//!   facets: parse -> translate -> composite aggregations (every bucket) -> Distribution
//! ```
//!
//! The HTTP client is ureq: blocking (a command sends one request at a time, or a bulk
//! body while the next one is read, so an async runtime buys nothing here), small, with
//! rustls and the webpki roots for HTTPS (no OpenSSL to install), and kept by one active
//! maintainer with frequent releases. It was already in the tree as a test dependency.

pub mod confirm;
pub mod document;
pub mod load;
pub mod read;
pub mod search;
pub mod translate;

use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use crate::{Error, Result};

/// The environment variable that names the default cluster of every command.
pub const ENGINE_VAR: &str = "CORPUS_SEARCH_ENGINE";
/// Credentials when the URL carries none.
pub const USER_VAR: &str = "CORPUS_SEARCH_ENGINE_USER";
pub const PASSWORD_VAR: &str = "CORPUS_SEARCH_ENGINE_PASSWORD";
/// The index name when the URL has no path.
pub const DEFAULT_INDEX: &str = crate::scaleout::INDEX_NAME;

/// Tries of one request before giving up (a node restarting, a full bulk queue).
const TRIES: u32 = 6;

/// A cluster and the index in it: `http://user:pass@host:9200/news` is the index `news` on
/// host:9200. The files index (what an update compares with) is `<name>-files`.
#[derive(Clone)]
pub struct Engine {
    /// `http://host:9200` with no path and no credentials (shown in messages).
    pub base: String,
    pub index: String,
    auth: Option<String>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.index)
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.index)
    }
}

impl Engine {
    /// The engine a command talks to: its `--engine URL`, else `CORPUS_SEARCH_ENGINE`, else
    /// none (the embedded index).
    pub fn from_flag_or_env(flag: Option<&str>) -> Result<Option<Engine>> {
        let from_env = std::env::var(ENGINE_VAR).ok();
        match flag.or(from_env.as_deref()).map(str::trim) {
            None | Some("") => Ok(None),
            Some(url) => Engine::parse(url).map(Some),
        }
    }

    /// Parses `http[s]://[user:password@]host[:port][/index]`.
    pub fn parse(text: &str) -> Result<Engine> {
        let advice = "give the cluster as a URL with the index name as its path, e.g. --engine http://127.0.0.1:9200/news";
        let url = url::Url::parse(text)
            .map_err(|e| Error::user(format!("`{text}` is not a URL ({e}); {advice}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::user(format!(
                "`{text}`: the engine URL must start with http:// or https://; {advice}"
            )));
        }
        let host = url
            .host_str()
            .ok_or_else(|| Error::user(format!("`{text}` names no host; {advice}")))?;
        let base = match url.port() {
            Some(p) => format!("{}://{host}:{p}", url.scheme()),
            None => format!("{}://{host}", url.scheme()),
        };
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        let index = match segments.as_slice() {
            [] => DEFAULT_INDEX.to_string(),
            [name] => percent_encoding::percent_decode_str(name)
                .decode_utf8_lossy()
                .into_owned(),
            _ => {
                return Err(Error::user(format!(
                    "`{text}`: the URL's path is the index name, one word; {advice}"
                )))
            }
        };
        check_index_name(&index)?;
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let (user, password) = if !url.username().is_empty() {
            (
                Some(decode(url.username())),
                url.password().map(decode).unwrap_or_default(),
            )
        } else {
            (
                std::env::var(USER_VAR).ok().filter(|u| !u.is_empty()),
                std::env::var(PASSWORD_VAR).unwrap_or_default(),
            )
        };
        let auth = user.map(|u| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{u}:{password}"))
            )
        });
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        Ok(Engine {
            base,
            index,
            auth,
            agent,
        })
    }

    /// The index that keeps the files an update compares with.
    pub fn files_index(&self) -> String {
        format!("{}-files", self.index)
    }

    /// Sends one request and returns the JSON answer. Connection failures and the answers
    /// that say "try again" (429, 502, 503, 504) are retried with a growing pause; any other
    /// error status is an error that quotes the engine's reason.
    pub fn request(&self, method: &str, path: &str, body: Option<&[u8]>) -> Result<Value> {
        let (status, text) = self.request_status(method, path, body)?;
        if !(200..300).contains(&status) {
            return Err(self.failure(method, path, status, &text));
        }
        parse_json(&text).map_err(|e| self.error(format!("{method} {path}: {e}")))
    }

    /// A `_search` of the index with this body, the engine's answer as it gives it.
    pub fn search(&self, body: &Value) -> Result<Value> {
        self.request(
            "POST",
            &format!("{}/_search", self.index),
            Some(body.to_string().as_bytes()),
        )
    }

    /// How many articles of the index match a query (`_count`, exact).
    pub fn count(&self, query: &Value) -> Result<u64> {
        Ok(self
            .request(
                "POST",
                &format!("{}/_count", self.index),
                Some(serde_json::json!({ "query": query }).to_string().as_bytes()),
            )?
            .get("count")
            .and_then(Value::as_u64)
            .unwrap_or(0))
    }

    /// As [`Engine::request`], but any status is returned with the body (404 is an answer
    /// when asking whether an index exists).
    pub fn request_status(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<(u16, String)> {
        let url = format!("{}/{}", self.base, path.trim_start_matches('/'));
        let mut last = String::new();
        for attempt in 0..TRIES {
            if attempt > 0 {
                // 0.5 s, 1 s, 2 s, 4 s, 8 s: about 15 s in all, time for a node to come back.
                std::thread::sleep(Duration::from_millis(500 << (attempt - 1)));
            }
            let mut builder = ureq::http::Request::builder()
                .method(method)
                .uri(&url)
                .header("Content-Type", content_type(path));
            if let Some(auth) = &self.auth {
                builder = builder.header("Authorization", auth);
            }
            let request = builder
                .body(body.map(<[u8]>::to_vec).unwrap_or_default())
                .map_err(|e| self.error(format!("{method} {path}: {e}")))?;
            match self.agent.run(request) {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let text = response
                        .into_body()
                        .with_config()
                        .limit(u64::MAX)
                        .read_to_string();
                    match text {
                        Ok(text) if matches!(status, 429 | 502 | 503 | 504) => {
                            last = format!("HTTP {status}: {}", reason_of(&text));
                        }
                        Ok(text) => return Ok((status, text)),
                        Err(e) => last = e.to_string(),
                    }
                }
                Err(e) => last = e.to_string(),
            }
        }
        Err(self.error(format!(
            "{method} {path} failed {TRIES} times, the last time with: {last}"
        )))
    }

    fn failure(&self, method: &str, path: &str, status: u16, text: &str) -> Error {
        let advice = match status {
            401 | 403 => "; give credentials in the URL (http://user:password@host:9200/news) or in CORPUS_SEARCH_ENGINE_USER and CORPUS_SEARCH_ENGINE_PASSWORD",
            _ => "",
        };
        self.error(format!(
            "{method} {path}: HTTP {status}: {}{advice}",
            reason_of(text)
        ))
    }

    pub(crate) fn error(&self, why: String) -> Error {
        Error::Engine {
            url: self.to_string(),
            why,
        }
    }
}

fn content_type(path: &str) -> &'static str {
    if path.contains("_bulk") {
        "application/x-ndjson"
    } else {
        "application/json"
    }
}

fn parse_json(text: &str) -> std::result::Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("the answer is not JSON ({e})"))
}

/// The engine's own words for an error: `error.reason` (with its root cause), or the start
/// of the body.
fn reason_of(text: &str) -> String {
    let json: Option<Value> = serde_json::from_str(text).ok();
    let reason = json.as_ref().and_then(|j| {
        let e = j.get("error")?;
        if let Some(text) = e.as_str() {
            return Some(text.to_string());
        }
        let root = e
            .pointer("/root_cause/0/reason")
            .and_then(Value::as_str)
            .filter(|r| Some(*r) != e.get("reason").and_then(Value::as_str));
        let reason = e.get("reason").and_then(Value::as_str).unwrap_or("");
        Some(match root {
            Some(r) => format!("{reason} ({r})"),
            None => reason.to_string(),
        })
    });
    reason.unwrap_or_else(|| text.chars().take(300).collect())
}

/// OpenSearch's rules for an index name, checked before anything is sent.
fn check_index_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.starts_with(['_', '-', '+'])
        || name.chars().any(|c| {
            c.is_ascii_uppercase()
                || matches!(
                    c,
                    '\\' | '/' | '*' | '?' | '"' | '<' | '>' | '|' | ' ' | ',' | '#' | ':'
                )
        })
        || name.len() > 200;
    if bad {
        return Err(Error::user(format!(
            "`{name}` cannot be an index name: use lower-case letters, digits and -_. (not first), e.g. http://127.0.0.1:9200/news"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_host_the_index_and_the_credentials() {
        let e = Engine::parse("https://reader:s%40cret@search.example.org:9243/rmrb-1998").unwrap();
        assert_eq!(e.base, "https://search.example.org:9243");
        assert_eq!(e.index, "rmrb-1998");
        assert_eq!(e.files_index(), "rmrb-1998-files");
        let expected = base64::engine::general_purpose::STANDARD.encode("reader:s@cret");
        assert_eq!(
            e.auth.as_deref(),
            Some(format!("Basic {expected}").as_str())
        );
        // Credentials never show in messages.
        assert_eq!(e.to_string(), "https://search.example.org:9243/rmrb-1998");
        let e = Engine::parse("http://127.0.0.1:9200").unwrap();
        assert_eq!(e.index, DEFAULT_INDEX);
    }

    #[test]
    fn bad_urls_and_names_get_advice() {
        for bad in [
            "127.0.0.1:9200",
            "ftp://h/x",
            "http://h/News",
            "http://h/a/b",
            "http://h/_x",
        ] {
            let e = Engine::parse(bad).unwrap_err();
            assert!(e.is_user_error(), "{bad}: {e}");
            assert!(e.to_string().contains("e.g."), "{bad}: {e}");
        }
    }

    #[test]
    fn the_engines_reason_is_quoted() {
        let body = r#"{"error":{"root_cause":[{"reason":"no such index [x]"}],"reason":"no such index [x]"},"status":404}"#;
        assert_eq!(reason_of(body), "no such index [x]");
        assert_eq!(reason_of("Bad Gateway"), "Bad Gateway");
        let body = r#"{"error":"no handler found for uri [/x] and method [POST]"}"#;
        assert!(reason_of(body).starts_with("no handler"));
    }
}
