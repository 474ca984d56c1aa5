//! URL query parameters, shared by the API and the page. A facet may be given several times
//! (`?province=广东&province=浙江`), as on the command line. The API rejects a parameter it
//! does not know (a typo would silently widen the search); the page ignores it.
//!
//! Every endpoint takes a search's parameters ([`SearchParams`]); the export adds its own
//! ([`ExportParams`]: `format`, `fields`, `bom`), and so does the concordance.

use crate::facets::{count_by, value_filter, value_filters, Chosen, Facet};
use crate::render::ExportFormat;
use crate::search::export::ExportField;
use crate::search::kwic::{KwicSort, DEFAULT_LIMIT as KWIC_LIMIT, DEFAULT_WIDTH};
use crate::search::{Filters, Sort, MAX_LIMIT};
use crate::{Code, Error, Result};

/// Everything a search URL can say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    pub q: String,
    /// The values chosen for each facet that filters by values (`province=广东` ...).
    pub values: Chosen,
    pub from: Option<String>,
    pub to: Option<String>,
    pub mentioned: bool,
    /// Whole jieba words only (`words=1`), not any substring.
    pub words: bool,
    pub sort: Sort,
    pub limit: Option<usize>,
    pub offset: usize,
    /// The page's 1-based page number (the API uses `offset`).
    pub page: usize,
    pub by: Vec<&'static Facet>,
    /// One hit per story.
    pub collapse: bool,
}

/// Every parameter name: `q`, one per facet that filters by values, then the rest.
pub fn known() -> Vec<&'static str> {
    let mut names = vec!["q"];
    names.extend(value_filters().map(|(f, _)| f.name));
    names.extend([
        "from",
        "to",
        "mentioned",
        "words",
        "sort",
        "limit",
        "offset",
        "page",
        "by",
        "collapse",
    ]);
    names
}

/// The parameters `/api/export` takes beyond a search's.
pub const EXPORT_PARAMS: [&str; 3] = ["format", "fields", "bom"];

/// The parameters the concordance reads itself (`sort` and `limit` mean lines there).
pub const KWIC_PARAMS: [&str; 3] = ["width", "sort", "limit"];

/// The most concordance lines one request may ask for.
pub const MAX_KWIC_LIMIT: usize = 1_000_000;

fn number(name: &str, value: &str) -> Result<usize> {
    value.trim().parse::<usize>().map_err(|_| {
        Error::user(format!(
            "parameter `{name}` must be a whole number, not `{value}`"
        ))
    })
}

/// A whole number of at most `max` `things` at once; above it, `instead` says what to do.
fn at_most(name: &str, value: &str, max: usize, things: &str, instead: &str) -> Result<usize> {
    let n = number(name, value)?;
    if n > max {
        return Err(Error::user(format!(
            "{name} {n} is more than {max} {things} at once; {instead}"
        )));
    }
    Ok(n)
}

/// Refuses the paging parameters given (`limit`, `offset`, `page`) where an endpoint
/// answers with all it finds; `why` says what it answers with.
fn refuse_paging(search: &SearchParams, why: &str) -> Result<()> {
    let given: Vec<&str> = [
        ("limit", search.limit.is_some()),
        ("offset", search.offset != 0),
        ("page", search.page != 1),
    ]
    .into_iter()
    .filter_map(|(name, given)| given.then_some(name))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(Error::user(format!("{why}; drop {}", given.join(", "))))
}

/// Refuses `by` where an endpoint answers with `what` rather than counts.
fn refuse_counts(search: &SearchParams, what: &str) -> Result<()> {
    if search.by.is_empty() {
        return Ok(());
    }
    Err(Error::user(format!(
        "{what}, not counts; drop `by` (counts are at /api/facets)"
    )))
}

/// The code of a parameter that cannot be read: `bad_parameter`, unless the error names
/// something more precise (an unknown value, a bad query).
pub fn parameter_code(e: &Error) -> Code {
    match e.code() {
        Code::BadRequest => Code::BadParameter,
        other => other,
    }
}

fn flag(name: &str, value: &str) -> Result<bool> {
    match value.trim() {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(Error::user(format!(
            "parameter `{name}` is true or false, not `{other}`"
        ))),
    }
}

impl SearchParams {
    /// Parses a raw query string (`a=1&b=2`, percent-encoded). `strict` rejects unknown names.
    pub fn parse(raw: Option<&str>, strict: bool) -> Result<SearchParams> {
        Ok(SearchParams::parse_with(raw, strict, &[])?.0)
    }

    /// [`SearchParams::parse`], leaving the parameters named in `own` to the caller: they
    /// come back as they were given, in order (an endpoint's own parameters, or its own
    /// meaning of `sort` and `limit`).
    pub fn parse_with(
        raw: Option<&str>,
        strict: bool,
        own: &[&str],
    ) -> Result<(SearchParams, Vec<(String, String)>)> {
        let mut p = SearchParams {
            page: 1,
            ..SearchParams::default()
        };
        let mut kept = Vec::new();
        let mut by_given = 0;
        let raw = raw.unwrap_or("");
        for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = value.into_owned();
            let nonempty = |v: String| (!v.trim().is_empty()).then(|| v.trim().to_string());
            match name.as_ref() {
                name if own.contains(&name) => kept.push((name.to_string(), value)),
                "q" => p.q = value,
                name if value_filter(name).is_some() => {
                    if let Some(f) = value_filter(name) {
                        p.values.get_mut(f).extend(nonempty(value));
                    }
                }
                "from" => p.from = nonempty(value),
                "to" => p.to = nonempty(value),
                "mentioned" => p.mentioned = flag("mentioned", &value)?,
                "words" => p.words = flag("words", &value)?,
                "collapse" => p.collapse = flag("collapse", &value)?,
                "sort" => p.sort = value.parse()?,
                "limit" if value.trim().is_empty() => {}
                "limit" => {
                    let instead = "page through with offset";
                    p.limit = Some(at_most("limit", &value, MAX_LIMIT, "hits", instead)?);
                }
                "offset" => p.offset = number("offset", &value)?,
                "page" => p.page = number("page", &value)?.max(1),
                "by" => {
                    // Rows, then columns: a third `by`, even an empty one, asks for what
                    // no table has (the description's maxItems).
                    by_given += 1;
                    if by_given > 2 {
                        return Err(Error::user(
                            "`by` names at most two facets: the rows, then the columns",
                        ));
                    }
                    // `by=day&by=day` asks for one facet, twice: it is counted once.
                    for b in value.split(',').filter(|b| !b.trim().is_empty()) {
                        let facet = count_by(b)?;
                        if !p.by.iter().any(|f| f.name == facet.name) {
                            p.by.push(facet);
                        }
                    }
                }
                other if strict => {
                    let mut names = known();
                    for name in own {
                        if !names.contains(name) {
                            names.push(name);
                        }
                    }
                    return Err(Error::user(format!(
                        "unknown parameter `{other}`; the parameters are {}",
                        names.join(", ")
                    )));
                }
                _ => {}
            }
        }
        Ok((p, kept))
    }

    pub fn filters(&self) -> Filters {
        Filters {
            values: self.values.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            mentioned: self.mentioned,
            words: self.words,
        }
    }

    /// The page's URL state as a query string (without `page` unless it is past the first),
    /// the form every link on the page is built from.
    pub fn to_query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for (facet, values) in self.values.iter() {
            for v in values {
                s.append_pair(facet.name, v);
            }
        }
        if let Some(v) = &self.from {
            s.append_pair("from", v);
        }
        if let Some(v) = &self.to {
            s.append_pair("to", v);
        }
        if self.mentioned {
            s.append_pair("mentioned", "1");
        }
        if self.words {
            s.append_pair("words", "1");
        }
        if self.sort == Sort::Date {
            s.append_pair("sort", "date");
        }
        if self.collapse {
            s.append_pair("collapse", "1");
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        s.finish()
    }
}

/// The parameters `/api/facets` has beyond a search's.
pub const FACETS_PARAMS: [&str; 3] = ["compare", "normalize", "stories"];

/// What `/api/facets` is asked for: a search, the facets to count by, other queries to
/// count beside it, and whether to give shares.
#[derive(Debug, Clone)]
pub struct FacetsParams {
    pub search: SearchParams,
    pub compare: Vec<String>,
    pub normalize: bool,
    /// Count stories instead of articles.
    pub stories: bool,
}

impl FacetsParams {
    pub fn parse(raw: Option<&str>) -> Result<FacetsParams> {
        let (search, own) = SearchParams::parse_with(raw, true, &FACETS_PARAMS)?;
        refuse_paging(&search, "facets counts every matching article")?;
        let mut p = FacetsParams {
            search,
            compare: Vec::new(),
            normalize: false,
            stories: false,
        };
        for (name, value) in own {
            match name.as_str() {
                "compare" => p.compare.push(value),
                "stories" => p.stories = flag("stories", &value)?,
                _ => p.normalize = flag("normalize", &value)?,
            }
        }
        Ok(p)
    }
}

/// What `/api/export` is asked for: a search, and how to write its matches.
#[derive(Debug, Clone)]
pub struct ExportParams {
    pub search: SearchParams,
    pub format: ExportFormat,
    pub fields: Vec<ExportField>,
    pub bom: bool,
}

impl ExportParams {
    /// Parses an export URL strictly: the search's parameters and [`EXPORT_PARAMS`]; the
    /// paging ones make no sense for a list of every match.
    pub fn parse(raw: Option<&str>) -> Result<ExportParams> {
        let (search, own) = SearchParams::parse_with(raw, true, &EXPORT_PARAMS)?;
        refuse_paging(&search, "export writes every match")?;
        refuse_counts(&search, "export writes articles")?;
        let mut p = ExportParams {
            search,
            format: ExportFormat::Csv,
            fields: ExportField::default_list(),
            bom: false,
        };
        for (name, value) in own {
            match name.as_str() {
                "format" => p.format = value.parse()?,
                "fields" => p.fields = ExportField::parse_list(&value)?,
                "bom" => p.bom = flag("bom", &value)?,
                _ => {}
            }
        }
        // A byte-order mark is for Excel opening a CSV; JSON Lines never has one (RFC 8259
        // forbids it), so the API leaves it out there instead of refusing the request.
        p.bom &= p.format == ExportFormat::Csv;
        Ok(p)
    }
}

/// What `/api/kwic` and the `/kwic` page are asked for: a search, and how to show its
/// occurrences.
#[derive(Debug, Clone)]
pub struct KwicParams {
    pub search: SearchParams,
    pub width: usize,
    pub sort: KwicSort,
    /// Lines to show (0: all).
    pub limit: usize,
}

impl KwicParams {
    /// Parses a concordance URL; `strict` (the API) rejects unknown names and paging.
    pub fn parse(raw: Option<&str>, strict: bool) -> Result<KwicParams> {
        let (search, own) = SearchParams::parse_with(raw, strict, &KWIC_PARAMS)?;
        if strict {
            // `limit` is the concordance's own (lines), never the search's.
            refuse_paging(
                &search,
                "a concordance shows its first `limit` lines (0: all)",
            )?;
            refuse_counts(&search, "a concordance shows lines")?;
        }
        let mut p = KwicParams {
            search,
            width: DEFAULT_WIDTH,
            sort: KwicSort::default(),
            limit: KWIC_LIMIT,
        };
        for (name, value) in own {
            match name.as_str() {
                "width" if !value.trim().is_empty() => p.width = number("width", &value)?,
                "sort" => p.sort = value.parse()?,
                "limit" if !value.trim().is_empty() => {
                    let instead = "narrow the search, or export it";
                    p.limit = at_most("limit", &value, MAX_KWIC_LIMIT, "lines", instead)?;
                }
                _ => {}
            }
        }
        Ok(p)
    }

    /// The concordance's URL state as a query string: the search's, then its own
    /// parameters where they are not the defaults.
    pub fn to_query_string(&self) -> String {
        let mut search = self.search.clone();
        search.page = 1;
        search.sort = Sort::Relevance;
        let mut s = form_urlencoded::Serializer::new(search.to_query_string());
        if self.sort != KwicSort::default() {
            s.append_pair("sort", self.sort.name());
        }
        if self.width != DEFAULT_WIDTH {
            s.append_pair("width", &self.width.to_string());
        }
        if self.limit != KWIC_LIMIT {
            s.append_pair("limit", &self.limit.to_string());
        }
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_facets_and_percent_encoding_round_trip() {
        let p = SearchParams::parse(
            Some("q=%E4%BD%8E%E7%A9%BA%E7%BB%8F%E6%B5%8E+5G&province=%E5%B9%BF%E4%B8%9C&province=浙江&page=2"),
            true,
        )
        .unwrap();
        assert_eq!(p.q, "低空经济 5G");
        let province = value_filter("province").unwrap();
        assert_eq!(p.values.get(province), ["广东", "浙江"]);
        assert_eq!(p.page, 2);
        let again = SearchParams::parse(Some(&p.to_query_string()), true).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn unknown_and_malformed_parameters_are_explained() {
        let e = SearchParams::parse(Some("q=x&provnce=广东"), true).unwrap_err();
        assert!(e.to_string().contains("unknown parameter `provnce`"), "{e}");
        assert!(SearchParams::parse(Some("q=x&provnce=广东"), false).is_ok());
        let e = SearchParams::parse(Some("limit=ten"), true).unwrap_err();
        assert!(e.to_string().contains("whole number"), "{e}");
        let e = SearchParams::parse(Some("limit=5000"), true).unwrap_err();
        assert!(e.to_string().contains("offset"), "{e}");
        let e = SearchParams::parse(Some("by=planet"), true).unwrap_err();
        assert!(e.to_string().contains("province"), "{e}");
    }

    #[test]
    fn the_export_takes_its_own_parameters_and_the_search_does_not() {
        let p = ExportParams::parse(Some(
            "q=经济&province=广东&format=jsonl&fields=id,date&sort=date",
        ))
        .unwrap();
        assert_eq!(p.search.q, "经济");
        assert_eq!(p.search.sort, Sort::Date);
        assert_eq!(p.format, ExportFormat::Jsonl);
        assert_eq!(p.fields, vec![ExportField::Id, ExportField::Date]);
        let e = SearchParams::parse(Some("q=x&format=csv"), true).unwrap_err();
        assert!(e.to_string().contains("unknown parameter `format`"), "{e}");
        let e = ExportParams::parse(Some("q=x&fields=id,headline")).unwrap_err();
        assert!(e.to_string().contains("the fields are"), "{e}");
        let e = ExportParams::parse(Some("q=x&limit=10")).unwrap_err();
        assert!(e.to_string().contains("every match"), "{e}");
        let e = ExportParams::parse(Some("q=x&offset=5&page=2")).unwrap_err();
        assert!(e.to_string().ends_with("drop offset, page"), "{e}");
        let e = ExportParams::parse(Some("q=x&formt=csv")).unwrap_err();
        assert!(e.to_string().contains("format, fields, bom"), "{e}");
        let jsonl = ExportParams::parse(Some("format=jsonl&bom=1")).unwrap();
        assert!(!jsonl.bom, "JSON Lines never starts with a byte-order mark");
        let twice = SearchParams::parse(Some("by=month&by=month,month"), true).unwrap();
        assert_eq!(twice.by.len(), 1, "one facet named twice is counted once");
    }

    #[test]
    fn the_concordance_reads_its_own_sort_and_limit() {
        let p =
            KwicParams::parse(Some("q=经济&sort=left&limit=0&width=8&city=深圳"), true).unwrap();
        assert_eq!(p.sort, KwicSort::Left);
        assert_eq!((p.limit, p.width), (0, 8));
        let again = KwicParams::parse(Some(&p.to_query_string()), true).unwrap();
        assert_eq!(again.search, p.search);
        assert_eq!((again.sort, again.limit, again.width), (p.sort, 0, 8));
        let e = KwicParams::parse(Some("q=x&sort=relevance"), true).unwrap_err();
        assert!(e.to_string().contains("left, right, date or source"), "{e}");
        let e = KwicParams::parse(Some("q=x&offset=5"), true).unwrap_err();
        assert!(e.to_string().contains("drop offset"), "{e}");
        let e = SearchParams::parse(Some("q=x&width=5"), true).unwrap_err();
        assert!(e.to_string().contains("unknown parameter `width`"), "{e}");
    }
}
