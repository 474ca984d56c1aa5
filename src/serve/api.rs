//! The JSON API. Answers are the objects `query --json` and `facets --json` print; errors
//! are `{"error": "...", "code": "...", "status": N}`: advice on what to change in English,
//! and a stable [`Code`] a client can rely on (the page turns it into Chinese).

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::params::{parameter_code, ExportParams, FacetsParams, KwicParams, SearchParams};
use super::{AppState, RunError};
use crate::facets::{counted, default_by, value_filters, FACETS};
use crate::home::Home;
use crate::render::ExportWriter;
use crate::search::export::ExportRequest;
use crate::search::kwic::KwicRequest;
use crate::search::query::MAX_QUERY_CHARS;
use crate::search::{SearchRequest, MAX_OFFSET};
use crate::{Code, Error};

/// The API's description as written; [`openapi_spec`] adds what the facets describe.
const OPENAPI: &str = include_str!("openapi.json");

/// The API's description: `openapi.json` with a parameter for each facet that filters by
/// values, the facets `by` can name, and the facet counts a search returns, all from
/// [`crate::facets::FACETS`], and the error codes from [`Code::ALL`].
pub fn openapi_spec() -> &'static str {
    static SPEC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let mut spec: serde_json::Value =
            serde_json::from_str(OPENAPI).expect("openapi.json is JSON (a test reads it)");
        let facet_params: Vec<serde_json::Value> = value_filters()
            .map(|(f, resolve)| {
                serde_json::json!({
                    "name": f.name,
                    "in": "query",
                    "description": format!("{} Repeat for alternatives; an empty value is no filter.", f.help),
                    "schema": {"type": "array", "items": resolve.value_schema()},
                    "style": "form",
                    "explode": true
                })
            })
            .collect();
        for path in ["/api/search", "/api/facets", "/api/export", "/api/kwic"] {
            if let Some(params) = spec["paths"][path]["get"]["parameters"].as_array_mut() {
                let after_q = params
                    .iter()
                    .position(|p| p["name"] == "q")
                    .map_or(0, |i| i + 1);
                params.splice(after_q..after_q, facet_params.iter().cloned());
                for p in params.iter_mut().filter(|p| p["name"] == "by") {
                    // An empty `by=` is no choice: the default facet.
                    let names = std::iter::once("").chain(FACETS.iter().map(|f| f.name));
                    p["schema"]["items"]["enum"] = names.collect();
                }
                for p in params.iter_mut().filter(|p| p["name"] == "q") {
                    p["schema"]["maxLength"] = MAX_QUERY_CHARS.into();
                }
                for p in params.iter_mut().filter(|p| p["name"] == "offset") {
                    p["schema"]["maximum"] = MAX_OFFSET.into();
                }
            }
        }
        if let Some(params) = spec["paths"]["/api/kwic"]["get"]["parameters"].as_array_mut() {
            for p in params.iter_mut().filter(|p| p["name"] == "limit") {
                p["schema"]["maximum"] = super::params::MAX_KWIC_LIMIT.into();
            }
        }
        describe_article_facets(&mut spec);
        spec["components"]["schemas"]["Error"]["properties"]["code"]["enum"] =
            Code::ALL.iter().map(|c| c.name()).collect();
        let counts = &mut spec["components"]["schemas"]["SearchResponse"]["properties"]["facets"];
        counts["required"] = counted().map(|f| f.name).collect();
        counts["properties"] = counted()
            .map(|f| {
                let array = serde_json::json!({
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/FacetCount"}
                });
                (f.name.to_string(), array)
            })
            .collect::<serde_json::Map<_, _>>()
            .into();
        serde_json::to_string_pretty(&spec).expect("a JSON value serialises")
    })
}

/// The facet values a hit and an article show, and the export's columns, from
/// [`crate::facets::FACETS`] (`source`: a string or null; `provinces`: an array).
fn describe_article_facets(spec: &mut serde_json::Value) {
    for schema in ["Hit", "Article"] {
        let s = &mut spec["components"]["schemas"][schema];
        for (facet, shown) in crate::facets::shown() {
            let description = format!(
                "its {} values, as `facets --by {}` counts them",
                facet.label, facet.name
            );
            let described = if shown.one {
                serde_json::json!({"type": ["string", "null"], "description": description})
            } else {
                serde_json::json!({"type": "array", "items": {"type": "string"}, "description": description})
            };
            s["properties"][shown.key] = described;
            if let Some(required) = s["required"].as_array_mut() {
                required.push(shown.key.into());
            }
        }
    }
    let columns: Vec<&str> = crate::search::export::ExportField::all()
        .into_iter()
        .map(|f| f.name())
        .collect();
    if let Some(params) = spec["paths"]["/api/export"]["get"]["parameters"].as_array_mut() {
        for p in params.iter_mut().filter(|p| p["name"] == "fields") {
            p["schema"]["items"]["enum"] = columns.clone().into();
        }
    }
}

/// Hits per request when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;

#[derive(Serialize)]
struct ApiError {
    error: String,
    code: &'static str,
    status: u16,
}

pub fn error(status: StatusCode, code: Code, message: impl Into<String>) -> Response {
    (
        status,
        Json(ApiError {
            error: message.into(),
            code: code.name(),
            status: status.as_u16(),
        }),
    )
        .into_response()
}

fn failed(e: RunError) -> Response {
    error(e.status(), e.code(), e.message())
}

/// A request whose parameters cannot be read (400), with [`parameter_code`]'s code.
fn bad_request(e: Error) -> Response {
    error(StatusCode::BAD_REQUEST, parameter_code(&e), e.to_string())
}

fn timed_json<T: Serialize>(value: &T, start: Instant) -> Response {
    let mut r = Json(value).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{:.3}", start.elapsed().as_secs_f64() * 1000.0))
    {
        r.headers_mut().insert("x-took-ms", v);
    }
    r
}

/// `GET /api/search`
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let start = Instant::now();
    let p = match SearchParams::parse(raw.as_deref(), true) {
        Ok(p) => p,
        Err(e) => return bad_request(e),
    };
    if p.page != 1 {
        return bad_request(Error::user(
            "the API pages with `offset` (and `limit`), not `page`",
        ));
    }
    let request = SearchRequest {
        query: p.q.clone(),
        filters: p.filters(),
        sort: p.sort,
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        offset: p.offset,
        collapse: p.collapse,
    };
    match state.run(move |home| home.search(&request)).await {
        Ok(response) => timed_json(&response, start),
        Err(e) => failed(e),
    }
}

/// `GET /api/facets`
pub async fn facets(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let start = Instant::now();
    let p = match FacetsParams::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return bad_request(e),
    };
    let by = if p.search.by.is_empty() {
        vec![default_by()]
    } else {
        p.search.by.clone()
    };
    let filters = p.search.filters();
    let q = p.search.q.clone();
    if !p.compare.is_empty() || p.normalize {
        let [one] = by.as_slice() else {
            return bad_request(Error::user(
                "compare and normalize count over one facet; give one `by` (e.g. by=month)",
            ));
        };
        let one = *one;
        let mut queries = vec![q];
        queries.extend(p.compare);
        let (normalize, stories) = (p.normalize, p.stories);
        return match state
            .run(move |home| home.compare(&queries, &filters, one, normalize, stories))
            .await
        {
            Ok(c) => timed_json(&c, start),
            Err(e) => failed(e),
        };
    }
    let stories = p.stories;
    match state
        .run(move |home| home.distribution(&q, &filters, &by, stories))
        .await
    {
        Ok(d) => timed_json(&d, start),
        Err(e) => failed(e),
    }
}

/// `GET /api/export`: every match as CSV or JSON Lines, streamed as it is read, as a file
/// to save. `X-Total-Count` says how many rows follow.
pub async fn export(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let p = match ExportParams::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return bad_request(e),
    };
    let request = ExportRequest {
        query: p.search.q.clone(),
        filters: p.search.filters(),
        sort: p.search.sort,
        fields: p.fields.clone(),
    };
    let (format, bom) = (p.format, p.bom);
    let query = p.search.q.clone();
    let streamed = state
        .run_streaming(move |home, start| {
            let export = home.export(&request)?;
            let out = start.begin(export.total());
            let sent = |e| Error::io("the export's response", e);
            let mut writer = ExportWriter::new(out, format, export.fields(), bom).map_err(sent)?;
            for row in export {
                writer.write_row(&row?).map_err(sent)?;
            }
            writer
                .finish()
                .and_then(|mut out| out.flush())
                .map_err(sent)
        })
        .await;
    match streamed {
        Ok((total, body)) => {
            let disposition = download_disposition(&query, format.name(), today());
            let mut r = Response::new(body);
            let headers = r.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            headers.insert("x-total-count", HeaderValue::from(total));
            r
        }
        Err(e) => failed(e),
    }
}

/// Today's date (UTC), for a download's name.
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The longest query kept in a download's name, in characters.
const NAME_QUERY_CHARS: usize = 40;

/// `attachment; filename="corpus-search-2026-12-06.csv"; filename*=UTF-8''低空经济-2026-12-06.csv`
/// (percent-encoded): the query and the day name the file (RFC 6266), with a plain ASCII
/// name for clients that read only `filename`. Characters a file system refuses, and
/// quotes and spaces, become `_`.
fn download_disposition(query: &str, extension: &str, day: String) -> String {
    let words: String = query
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|'".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(NAME_QUERY_CHARS)
        .collect();
    let name = if words.trim_matches('_').is_empty() {
        format!("corpus-search-{day}.{extension}")
    } else {
        format!("{words}-{day}.{extension}")
    };
    const RFC_5987: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'!')
        .remove(b'#')
        .remove(b'$')
        .remove(b'&')
        .remove(b'+')
        .remove(b'-')
        .remove(b'.')
        .remove(b'^')
        .remove(b'_')
        .remove(b'`')
        .remove(b'|')
        .remove(b'~');
    format!(
        "attachment; filename=\"corpus-search-{day}.{extension}\"; filename*=UTF-8''{}",
        percent_encoding::utf8_percent_encode(&name, RFC_5987)
    )
}

/// `GET /api/kwic`: the concordance, as `kwic --json` prints it.
pub async fn kwic(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let start = Instant::now();
    let p = match KwicParams::parse(raw.as_deref(), true) {
        Ok(p) => p,
        Err(e) => return bad_request(e),
    };
    let request = KwicRequest {
        query: p.search.q.clone(),
        filters: p.search.filters(),
        width: p.width,
        sort: p.sort,
        limit: p.limit,
    };
    match state.run(move |home| home.concordance(&request)).await {
        Ok(c) => timed_json(&c, start),
        Err(e) => failed(e),
    }
}

/// `GET /api/articles/{id}`: the id as search hits give it (`path#n`, with `#` written
/// `%23`); `GET /api/articles/{id}/reprints`: the article's story, its articles the original
/// first.
pub async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    // Ids end in `#n`, so `…/reprints` is never part of one.
    match id.strip_suffix("/reprints") {
        Some(id) => found(state, id.to_string(), Home::reprints).await,
        None => found(state, id, Home::article).await,
    }
}

/// What `look` finds for an article id, or 404 with what an id looks like.
async fn found<T: Serialize + Send + 'static>(
    state: Arc<AppState>,
    id: String,
    look: fn(&Home, &str) -> crate::Result<Option<T>>,
) -> Response {
    let start = Instant::now();
    let lookup = id.clone();
    match state.run(move |home| look(home, &lookup)).await {
        Ok(Some(found)) => timed_json(&found, start),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            Code::NotFound,
            format!(
                "no article `{id}` in this index; ids are `path#n` as /api/search returns them, with # written %23"
            ),
        ),
        Err(e) => failed(e),
    }
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    articles: usize,
    files: usize,
    corpus: String,
    generation: String,
    version: &'static str,
}

/// `GET /api/health`
pub async fn health(State(state): State<Arc<AppState>>) -> Response {
    let show_paths = state.show_paths;
    let holding = match state.run_light(|home| home.holding()).await {
        Ok(h) => h,
        Err(e) => return failed(e),
    };
    Json(Health {
        status: "ok",
        articles: holding.articles,
        files: holding.files,
        corpus: if show_paths {
            holding.corpus
        } else {
            // The folder's name, not where it lies on the server.
            std::path::Path::new(&holding.corpus)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        },
        generation: holding.generation,
        version: env!("CARGO_PKG_VERSION"),
    })
    .into_response()
}

/// `GET /api/openapi.json`: the description, with the values this index takes for the open
/// lists (sources and sites: every outlet of data/sources.toml and every value the index
/// holds), so that a client generated from it sends what the server accepts.
pub async fn openapi(State(state): State<Arc<AppState>>) -> Response {
    let held = state
        .run_light(|home| {
            let mut held = Vec::new();
            for facet in FACETS
                .iter()
                .filter(|f| f.resolver().is_some_and(|r| r.is_open()))
            {
                // A value list that cannot be read leaves the outlets' names alone.
                held.push(home.values(facet).unwrap_or_default());
            }
            Ok(held)
        })
        .await
        .unwrap_or_default();
    let mut held = held.into_iter();
    let mut spec: serde_json::Value =
        serde_json::from_str(openapi_spec()).expect("the description is JSON");
    for facet in FACETS.iter() {
        let Some(resolve) = facet.resolver().filter(|r| r.is_open()) else {
            continue;
        };
        let mut names: Vec<String> = resolve
            .known_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        names.extend(held.next().unwrap_or_default());
        names.sort();
        names.dedup();
        names.insert(0, String::new());
        for path in ["/api/search", "/api/facets", "/api/export", "/api/kwic"] {
            if let Some(params) = spec["paths"][path]["get"]["parameters"].as_array_mut() {
                for p in params.iter_mut().filter(|p| p["name"] == facet.name) {
                    p["schema"]["items"]["enum"] = names.clone().into();
                }
            }
        }
    }
    Json(spec).into_response()
}

/// Anything else: 404 as JSON for the API, a short page for people.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        error(
            StatusCode::NOT_FOUND,
            Code::NotFound,
            format!(
                "no endpoint {}; see /api/openapi.json for /api/search, /api/facets, /api/export, /api/kwic, /api/articles/{{id}} and /api/health",
                uri.path()
            ),
        )
    } else {
        super::page::not_found_page(uri.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_named_after_its_query_and_day() {
        let d = download_disposition("低空经济", "csv", "2026-12-06".into());
        assert_eq!(
            d,
            "attachment; filename=\"corpus-search-2026-12-06.csv\"; filename*=UTF-8''%E4%BD%8E%E7%A9%BA%E7%BB%8F%E6%B5%8E-2026-12-06.csv"
        );
        let d = download_disposition("香港 -台湾 \"a/b\"", "jsonl", "2026-12-06".into());
        assert!(
            d.ends_with("%E9%A6%99%E6%B8%AF_-%E5%8F%B0%E6%B9%BE__a_b_-2026-12-06.jsonl"),
            "{d}"
        );
        let d = download_disposition("", "csv", "2026-12-06".into());
        assert!(d.ends_with("UTF-8''corpus-search-2026-12-06.csv"), "{d}");
    }
}
