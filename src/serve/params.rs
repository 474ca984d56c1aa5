//! URL query parameters, shared by the API and the page. A facet may be given several times
//! (`?province=广东&province=浙江`), as on the command line. The API rejects a parameter it
//! does not know (a typo would silently widen the search); the page ignores it.

use crate::facets::{count_by, value_filter, value_filters, Chosen, Facet};
use crate::search::{Filters, Sort, MAX_LIMIT};
use crate::{Error, Result};

/// Everything a search URL can say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    pub q: String,
    /// The values chosen for each facet that filters by values (`province=广东` ...).
    pub values: Chosen,
    pub from: Option<String>,
    pub to: Option<String>,
    pub mentioned: bool,
    pub sort: Sort,
    pub limit: Option<usize>,
    pub offset: usize,
    /// The page's 1-based page number (the API uses `offset`).
    pub page: usize,
    pub by: Vec<&'static Facet>,
}

/// Every parameter name: `q`, one per facet that filters by values, then the rest.
pub fn known() -> Vec<&'static str> {
    let mut names = vec!["q"];
    names.extend(value_filters().map(|(f, _)| f.name));
    names.extend([
        "from",
        "to",
        "mentioned",
        "sort",
        "limit",
        "offset",
        "page",
        "by",
    ]);
    names
}

fn number(name: &str, value: &str) -> Result<usize> {
    value.trim().parse::<usize>().map_err(|_| {
        Error::user(format!(
            "parameter `{name}` must be a whole number, not `{value}`"
        ))
    })
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
        let mut p = SearchParams {
            page: 1,
            ..SearchParams::default()
        };
        let raw = raw.unwrap_or("");
        for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = value.into_owned();
            let nonempty = |v: String| (!v.trim().is_empty()).then(|| v.trim().to_string());
            match name.as_ref() {
                "q" => p.q = value,
                name if value_filter(name).is_some() => {
                    if let Some(f) = value_filter(name) {
                        p.values.get_mut(f).extend(nonempty(value));
                    }
                }
                "from" => p.from = nonempty(value),
                "to" => p.to = nonempty(value),
                "mentioned" => p.mentioned = flag("mentioned", &value)?,
                "sort" => p.sort = value.parse()?,
                "limit" if value.trim().is_empty() => {}
                "limit" => {
                    let n = number("limit", &value)?;
                    if n > MAX_LIMIT {
                        return Err(Error::user(format!(
                            "limit {n} is more than {MAX_LIMIT} hits at once; page through with offset"
                        )));
                    }
                    p.limit = Some(n);
                }
                "offset" => p.offset = number("offset", &value)?,
                "page" => p.page = number("page", &value)?.max(1),
                "by" => {
                    for b in value.split(',').filter(|b| !b.trim().is_empty()) {
                        p.by.push(count_by(b)?);
                    }
                }
                other if strict => {
                    return Err(Error::user(format!(
                        "unknown parameter `{other}`; the parameters are {}",
                        known().join(", ")
                    )))
                }
                _ => {}
            }
        }
        Ok(p)
    }

    pub fn filters(&self) -> Filters {
        Filters {
            values: self.values.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            mentioned: self.mentioned,
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
        if self.sort == Sort::Date {
            s.append_pair("sort", "date");
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
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
}
