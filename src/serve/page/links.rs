//! The page's links. The URL holds the whole state of a view, so every link is the current
//! search changed in one way ([`changed`]) and written back as a query string.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::facets::{Facet, Filter};
use crate::search::kwic::{KwicSort, DEFAULT_LIMIT as KWIC_LIMIT, DEFAULT_WIDTH};
use crate::serve::params::{KwicParams, SearchParams};

/// Characters kept as they are in an article id put into a URL path.
const ID_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The search changed by `change`, back on its first page: what every link that changes
/// the query, a filter, the sort or a choice points to.
pub fn changed(p: &SearchParams, change: impl FnOnce(&mut SearchParams)) -> SearchParams {
    let mut n = p.clone();
    n.page = 1;
    change(&mut n);
    n
}

/// `path`, with the query string `qs` when there is one.
fn with_query(path: &str, qs: &str) -> String {
    if qs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{qs}")
    }
}

/// The link to the search with these parameters.
pub fn search_href(p: &SearchParams) -> String {
    with_query("/", &p.to_query_string())
}

/// The CSV of every match of this search (`/api/export`), with a byte-order mark so that
/// Excel, where most downloads open, reads the Chinese right.
pub fn export_href(p: &SearchParams) -> String {
    let mut s = form_urlencoded::Serializer::new(changed(p, |_| {}).to_query_string());
    s.append_pair("format", "csv").append_pair("bom", "1");
    format!("/api/export?{}", s.finish())
}

/// The concordance page of this search (first page, its own default sort).
pub fn kwic_href(p: &SearchParams) -> String {
    kwic_href_of(&KwicParams {
        search: p.clone(),
        width: DEFAULT_WIDTH,
        sort: KwicSort::default(),
        limit: KWIC_LIMIT,
    })
}

/// The concordance page with these parameters.
pub fn kwic_href_of(k: &KwicParams) -> String {
    with_query("/kwic", &k.to_query_string())
}

/// The link to an article's page, carrying the search it came from.
pub fn article_href(id: &str, p: &SearchParams) -> String {
    let path = format!("/article/{}", utf8_percent_encode(id, ID_KEEP));
    with_query(&path, &p.to_query_string())
}

/// Whether a facet's value is chosen in this search.
pub fn is_on(facet: &Facet, p: &SearchParams, value: &str) -> bool {
    match facet.filter {
        Some(Filter::Values(_)) => p.values.get(facet).iter().any(|v| v == value),
        Some(Filter::Period) => p.from.as_deref() == Some(value) && p.to.as_deref() == Some(value),
        None => false,
    }
}

/// The search with this facet value added, or removed when it is on; back to page 1.
pub fn toggle(facet: &Facet, p: &SearchParams, value: &str) -> SearchParams {
    let on = is_on(facet, p, value);
    changed(p, |n| match facet.filter {
        Some(Filter::Values(_)) => {
            let values = n.values.get_mut(facet);
            if on {
                values.retain(|v| v != value);
            } else {
                values.push(value.to_string());
            }
        }
        Some(Filter::Period) => {
            let period = (!on).then(|| value.to_string());
            n.from = period.clone();
            n.to = period;
        }
        None => {}
    })
}
