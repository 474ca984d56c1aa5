//! Facets: what an article can be filtered and counted by. This file is the one place a facet
//! is described ([`FACETS`]): its name and labels, the index field it reads, the level of the
//! stored path it counts, how a user's value resolves, and whether every search counts it.
//! The command line's flags, the URL parameters and OpenAPI, the page's sidebar and chips,
//! the JSON keys, `facets --by` and the CSV columns are all derived from that list, and so
//! is how an article shows its values ([`ArticleFacets`]: the keys of a hit, of a stored
//! article and of `inspect`, the export's columns, the OpenAPI schemas).
//!
//! How the values are found in an article lives beside it, one file per kind of value:
//! region (province/city), date, source and industry, each reading its data file once.

pub mod date;
pub mod industry;
pub mod place_rules;
pub mod region;
pub mod source;

use serde::Serialize;

use crate::text::normalize::normalize_str;
use crate::{Code, Error, Result};

/// A facet field of the index: the facet paths stored for each article (`/广东/深圳`,
/// `/2024-03`). Several facets may read one field at different levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetField {
    /// The places an article is about, `/广东/深圳`, and `/全国` for national news.
    Region,
    /// Every place it names (`--mentioned`).
    Mention,
    /// Its publisher, `/新华社`.
    Source,
    /// The site that published it, `/新浪`.
    Site,
    /// Its industries, `/低空经济`.
    Industry,
    /// Its publication month, `/2024-03` (none when only the year is known).
    Month,
    /// Its publication day, `/2024-03-14` (none when only the month or year is known).
    Day,
}

impl FacetField {
    pub const ALL: [FacetField; 7] = [
        FacetField::Month,
        FacetField::Day,
        FacetField::Region,
        FacetField::Mention,
        FacetField::Industry,
        FacetField::Source,
        FacetField::Site,
    ];

    /// The field's name in the index schema.
    pub fn name(self) -> &'static str {
        match self {
            FacetField::Region => "region",
            FacetField::Mention => "mention",
            FacetField::Source => "source",
            FacetField::Site => "site",
            FacetField::Industry => "industry",
            FacetField::Month => "month",
            FacetField::Day => "day",
        }
    }

    /// Whether the index stores the values for showing (not only for filtering and counting).
    pub fn stored(self) -> bool {
        !matches!(self, FacetField::Month | FacetField::Day)
    }

    /// What the index writer stores in this field for an article with these values.
    pub fn values(self, found: &Facets) -> Vec<String> {
        match self {
            FacetField::Region => found.regions.clone(),
            FacetField::Mention => found.mentions.clone(),
            FacetField::Industry => found.industries.clone(),
            FacetField::Source => found.source.iter().cloned().collect(),
            FacetField::Site => found.site.iter().cloned().collect(),
            FacetField::Month => found.month.iter().cloned().collect(),
            FacetField::Day => found.day.iter().cloned().collect(),
        }
    }

    /// A value as a facet path: places are paths (`广东/深圳`), the rest one segment each.
    pub fn path_of(self, value: &str) -> tantivy::schema::Facet {
        match self {
            FacetField::Region | FacetField::Mention => {
                tantivy::schema::Facet::from_path(value.split('/').filter(|p| !p.is_empty()))
            }
            _ => tantivy::schema::Facet::from_path([value]),
        }
    }
}

/// Which part of a stored path a facet counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The first segment: `广东` of `/广东/深圳`, `2024-03` of `/2024-03`.
    Top,
    /// The first two segments: `广东/深圳` (a path of one segment, like `/全国`, has none).
    City,
    /// The year of a month: `2024` of `/2024-03`.
    Year,
    /// The ISO week of a day: `2024-W11` of `/2024-03-14` (weeks start on Monday; the first
    /// week of a year holds its first Thursday).
    Week,
}

impl Level {
    /// The value this level reads from one stored path, if any.
    pub fn value_of(self, path: &[&str]) -> Option<String> {
        match self {
            Level::Top => path.first().map(|s| s.to_string()),
            Level::City => (path.len() >= 2).then(|| format!("{}/{}", path[0], path[1])),
            Level::Year => path.first().map(|s| s.chars().take(4).collect()),
            Level::Week => path.first().and_then(|s| iso_week(s)),
        }
    }
}

/// `2024-03-14` -> `2024-W11`.
fn iso_week(day: &str) -> Option<String> {
    let mut parts = day.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()?;
    let (year, week, _) = date.to_iso_week_date();
    Some(format!("{year:04}-W{week:02}"))
}

/// How a facet narrows a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// By values the user names (`--province 广东`): each resolves to stored values.
    Values(Resolve),
    /// By a date range (`--from`, `--to`): choosing a month on the page sets both.
    Period,
}

/// How a value a user typed becomes the stored values it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolve {
    /// `广东`, `广东省`, `廣東`, `全国`.
    Province,
    /// `深圳`, `深圳市`, `诸暨`: every path of a place of that name; a municipality
    /// (`上海`) is all of itself.
    City,
    /// Any alias of a publisher: `新华网` -> `新华社`. An open list: a name that is no
    /// known outlet is taken as printed, and refused if the index has no article under it
    /// ([`Resolve::is_open`]).
    Source,
    /// A site's name, any alias of it or its host: `新浪`, `新浪网`, `news.sina.com.cn`. An
    /// open list like sources.
    Site,
    /// An industry's name or keyword: `AI` -> `人工智能`.
    Industry,
    /// A year, `2024` or `2024年`: its twelve months.
    Year,
}

impl Resolve {
    /// True for open lists (sources), whose values are known only to the index: a value is
    /// checked against it when a search runs (`search::check_open_values`).
    pub fn is_open(self) -> bool {
        matches!(self, Resolve::Source | Resolve::Site)
    }

    /// The names to suggest for a value of an open list that nothing matches.
    pub fn known_names(self) -> Vec<&'static str> {
        match self {
            Resolve::Source | Resolve::Site => source::sources()
                .names()
                .iter()
                .map(String::as_str)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// True when an open list knows `value` whatever the index holds.
    pub fn knows(self, value: &str) -> bool {
        match self {
            Resolve::Source | Resolve::Site => source::sources().canonical(value).is_some(),
            _ => true,
        }
    }

    /// The stored values `user` matches, or advice when it matches nothing.
    pub fn resolve(self, user: &str) -> Result<Vec<String>> {
        match self {
            Resolve::Province => {
                let g = region::gazetteer();
                match g.find_province(user) {
                    Some(name) => Ok(vec![name.to_string()]),
                    None => {
                        let close = g.close_names(user, 1);
                        let hint = if close.is_empty() {
                            String::new()
                        } else {
                            format!(" Did you mean: {}?", close.join(", "))
                        };
                        Err(Error::query(
                            Code::UnknownValue,
                            format!(
                            "unknown province `{user}`.{hint} Valid names: {} (or 全国 for national news).",
                            g.province_names().join(" ")
                        )))
                    }
                }
            }
            Resolve::City => {
                let g = region::gazetteer();
                let paths = g.find_city_paths(user);
                // 上海 is a province that is one city: as a city, it is all of it.
                if paths.is_empty() {
                    if let Some(city) = g.find_municipality(user) {
                        return Ok(vec![city.to_string()]);
                    }
                }
                if paths.is_empty() {
                    let close = g.close_names(user, 3);
                    return Err(Error::query(
                        Code::UnknownValue,
                        format!(
                            "unknown city `{user}`; write it as in 深圳, 深圳市 or 诸暨.{}",
                            if close.is_empty() {
                                String::new()
                            } else {
                                format!(" Close names: {}.", close.join(", "))
                            }
                        ),
                    ));
                }
                Ok(paths)
            }
            Resolve::Source => Ok(vec![source::sources().resolve_filter(user)]),
            Resolve::Site => Ok(vec![source::resolve_site(user)]),
            Resolve::Industry => {
                let t = industry::taxonomy();
                match t.find(user) {
                    Some(name) => Ok(vec![name.to_string()]),
                    None => Err(Error::query(
                        Code::UnknownValue,
                        format!(
                            "unknown industry `{user}`. Industries: {}",
                            t.names.join(" ")
                        ),
                    )),
                }
            }
            Resolve::Year => {
                let y = normalize_str(user.trim());
                let y = y.trim_end_matches('年');
                match y.parse::<u16>() {
                    Ok(year) if y.len() == 4 => {
                        Ok((1..=12).map(|m| format!("{year:04}-{m:02}")).collect())
                    }
                    _ => Err(Error::query(
                            Code::UnknownValue,
                            format!(
                        "`{user}` is not a year; write four digits, e.g. 2024 (for other spans, --from and --to)"
                    ))),
                }
            }
        }
    }
}

/// How an article shows a facet's values: the key in JSON (hits, articles) and the export's
/// column, one value or a list, and the column's place among the article's facet columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub key: &'static str,
    /// One value or none (`source`), rather than a list (`provinces`).
    pub one: bool,
    /// Facet columns sort by this (the export's default columns keep their order).
    pub column: u8,
}

impl Resolve {
    /// What the API's description says a value is: the list of names when there is one
    /// (their aliases, 广东省 or AI, are accepted too), or a pattern. An empty value is
    /// no filter, so it is allowed as well.
    pub fn value_schema(self) -> serde_json::Value {
        let listed = |mut names: Vec<String>| {
            names.sort();
            names.dedup();
            names.insert(0, String::new());
            serde_json::json!({"type": "string", "enum": names})
        };
        match self {
            Resolve::Province => {
                let g = region::gazetteer();
                let mut names: Vec<String> =
                    g.province_names().into_iter().map(str::to_string).collect();
                names.push(region::NATIONAL.to_string());
                listed(names)
            }
            Resolve::City => listed(
                region::gazetteer()
                    .places
                    .iter()
                    .filter(|p| p.level == 2)
                    .map(|p| p.short.clone())
                    .collect(),
            ),
            Resolve::Industry => listed(industry::taxonomy().names.clone()),
            Resolve::Year => serde_json::json!({"type": "string", "pattern": "^([0-9]{4}年?)?$"}),
            Resolve::Source | Resolve::Site => serde_json::json!({"type": "string"}),
        }
    }
}

/// One facet, as every part of the program sees it.
#[derive(Debug)]
pub struct Facet {
    /// The name in flags (`--province`), URL parameters, JSON keys, `--by` and CSV headers.
    pub name: &'static str,
    /// Its label on the page: the sidebar group and the filter chip.
    pub label: &'static str,
    /// What a filter value is, for `--help` and the API description.
    pub help: &'static str,
    /// The placeholder of a value in `--help`.
    pub value_name: &'static str,
    /// The index field it reads, and the one it reads under `--mentioned` (places only).
    pub field: FacetField,
    pub mentioned_field: Option<FacetField>,
    /// The part of the stored path it counts.
    pub level: Level,
    /// How it narrows a search, if it does.
    pub filter: Option<Filter>,
    /// Counted with every search (the page's sidebar, `query`'s facet lines and `--json`):
    /// the values shown on the terminal's line. `None`: counted only by `facets --by`.
    pub counted: Option<usize>,
    /// Its values are times: they sort by value, not by count.
    pub time: bool,
    /// How an article shows its values, if it does (times show as the article's date).
    pub shown: Option<Shown>,
}

impl Serialize for Facet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

impl PartialEq for Facet {
    fn eq(&self, other: &Facet) -> bool {
        self.name == other.name
    }
}

impl Eq for Facet {}

impl Facet {
    /// The field it reads, under `--mentioned` or not.
    pub fn field_for(&self, mentioned: bool) -> FacetField {
        match self.mentioned_field {
            Some(f) if mentioned => f,
            _ => self.field,
        }
    }

    /// The values it filters on, when it filters by values.
    pub fn resolver(&self) -> Option<Resolve> {
        match self.filter {
            Some(Filter::Values(r)) => Some(r),
            _ => None,
        }
    }
}

/// Every facet, in the order flags, parameters, sidebar groups and JSON keys follow.
pub static FACETS: &[Facet] = &[
    Facet {
        name: "province",
        label: "地区",
        help: "Only articles about this province: 广东 or 广东省 (repeat for several; 全国 = national news).",
        value_name: "P",
        field: FacetField::Region,
        mentioned_field: Some(FacetField::Mention),
        level: Level::Top,
        filter: Some(Filter::Values(Resolve::Province)),
        counted: Some(12),
        time: false,
        shown: Some(Shown { key: "provinces", one: false, column: 1 }),
    },
    Facet {
        name: "city",
        label: "城市",
        help: "Only articles about this city: 深圳 or 深圳市 (repeatable).",
        value_name: "C",
        field: FacetField::Region,
        mentioned_field: Some(FacetField::Mention),
        level: Level::City,
        filter: Some(Filter::Values(Resolve::City)),
        counted: None,
        time: false,
        shown: Some(Shown { key: "cities", one: false, column: 2 }),
    },
    Facet {
        name: "source",
        label: "来源",
        help: "Only articles from this source, any alias: 新华社, 新华网 (repeatable).",
        value_name: "S",
        field: FacetField::Source,
        mentioned_field: None,
        level: Level::Top,
        filter: Some(Filter::Values(Resolve::Source)),
        counted: Some(10),
        time: false,
        shown: Some(Shown { key: "source", one: true, column: 0 }),
    },
    Facet {
        name: "site",
        label: "网站",
        help: "Only articles published on this site, by name or host: 新浪, news.sina.com.cn (repeatable; the source is who the article credits).",
        value_name: "W",
        field: FacetField::Site,
        mentioned_field: None,
        level: Level::Top,
        filter: Some(Filter::Values(Resolve::Site)),
        counted: Some(10),
        time: false,
        shown: Some(Shown { key: "site", one: true, column: 4 }),
    },
    Facet {
        name: "industry",
        label: "行业",
        help: "Only articles about this industry: 低空经济, 人工智能 or a keyword like AI (repeatable).",
        value_name: "I",
        field: FacetField::Industry,
        mentioned_field: None,
        level: Level::Top,
        filter: Some(Filter::Values(Resolve::Industry)),
        counted: Some(10),
        time: false,
        shown: Some(Shown { key: "industries", one: false, column: 3 }),
    },
    Facet {
        name: "month",
        label: "月份",
        help: "Publication month, 2024-03.",
        value_name: "M",
        field: FacetField::Month,
        mentioned_field: None,
        level: Level::Top,
        filter: Some(Filter::Period),
        counted: Some(12),
        time: true,
        shown: None,
    },
    Facet {
        name: "day",
        label: "日期",
        help: "Publication day, 2024-03-14.",
        value_name: "D",
        field: FacetField::Day,
        mentioned_field: None,
        level: Level::Top,
        filter: None,
        counted: None,
        time: true,
        shown: None,
    },
    Facet {
        name: "week",
        label: "周",
        help: "Publication week (ISO), 2024-W11.",
        value_name: "W",
        field: FacetField::Day,
        mentioned_field: None,
        level: Level::Week,
        filter: None,
        counted: None,
        time: true,
        shown: None,
    },
    Facet {
        name: "year",
        label: "年份",
        help: "Only articles published in this year: 2024 (repeatable; articles dated to the month at least).",
        value_name: "Y",
        field: FacetField::Month,
        mentioned_field: None,
        level: Level::Year,
        filter: Some(Filter::Values(Resolve::Year)),
        counted: Some(10),
        time: true,
        shown: None,
    },
];

/// The facet counted when none is named: the first, province.
pub fn default_by() -> &'static Facet {
    &FACETS[0]
}

/// The facet of a name (`region` is another name for `province`).
pub fn facet(name: &str) -> Option<&'static Facet> {
    let name = match name.trim() {
        "region" => "province",
        other => other,
    };
    FACETS.iter().find(|f| f.name == name)
}

/// The facet to count by, or advice listing the ones there are.
pub fn count_by(name: &str) -> Result<&'static Facet> {
    facet(name).ok_or_else(|| {
        Error::user(format!(
            "cannot count by `{}`; use --by with {}",
            name.trim(),
            names_listed()
        ))
    })
}

/// `province, city, source, industry, month or year`.
pub fn names_listed() -> String {
    let names: Vec<&str> = FACETS.iter().map(|f| f.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The facets every search counts, in order.
pub fn counted() -> impl Iterator<Item = &'static Facet> {
    FACETS.iter().filter(|f| f.counted.is_some())
}

/// The facets that filter by values (`--province`, `--source` ...), in order.
pub fn value_filters() -> impl Iterator<Item = (&'static Facet, Resolve)> {
    FACETS.iter().filter_map(|f| f.resolver().map(|r| (f, r)))
}

/// The facet that filters by values under this exact name (`province`, not `region`).
pub fn value_filter(name: &str) -> Option<&'static Facet> {
    value_filters().map(|(f, _)| f).find(|f| f.name == name)
}

/// The values a user chose for each value facet, kept in [`FACETS`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    lists: Vec<Vec<String>>,
}

impl Default for Chosen {
    fn default() -> Chosen {
        Chosen {
            lists: vec![Vec::new(); FACETS.len()],
        }
    }
}

fn position(facet: &Facet) -> usize {
    FACETS
        .iter()
        .position(|f| f.name == facet.name)
        .expect("a facet of FACETS")
}

impl Chosen {
    pub fn get(&self, facet: &Facet) -> &[String] {
        &self.lists[position(facet)]
    }

    pub fn get_mut(&mut self, facet: &Facet) -> &mut Vec<String> {
        &mut self.lists[position(facet)]
    }

    /// Each facet with the values chosen for it (possibly none), in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Facet, &[String])> {
        FACETS.iter().zip(self.lists.iter().map(Vec::as_slice))
    }
}

/// The facets an article shows, in column order ([`Shown::column`]).
pub fn shown() -> Vec<(&'static Facet, Shown)> {
    let mut out: Vec<(&'static Facet, Shown)> = FACETS
        .iter()
        .filter_map(|f| f.shown.map(|s| (f, s)))
        .collect();
    out.sort_by_key(|(_, s)| s.column);
    out
}

/// An article's values of every facet it shows ([`shown`]), read from the paths stored in
/// each facet's field at the facet's level: `广东` (province) and `广东/深圳` (city) of
/// `/广东/深圳`, `全国` as a province exactly as `facets --by province` counts it. Hits,
/// stored articles, export rows and the page all show an article's facets through this.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFacets {
    values: Vec<(&'static Facet, Vec<String>)>,
}

impl ArticleFacets {
    /// The values of each shown facet, from the stored paths of a facet field (`广东/深圳`).
    pub fn of(mut stored: impl FnMut(FacetField) -> Vec<String>) -> ArticleFacets {
        let values = shown()
            .into_iter()
            .map(|(facet, _)| {
                let mut values: Vec<String> = Vec::new();
                for path in stored(facet.field) {
                    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
                    if let Some(v) = facet.level.value_of(&parts) {
                        if !values.contains(&v) {
                            values.push(v);
                        }
                    }
                }
                (facet, values)
            })
            .collect();
        ArticleFacets { values }
    }

    /// The values of the facet with this name (none if it is not shown).
    pub fn get(&self, name: &str) -> &[String] {
        self.values
            .iter()
            .find(|(f, _)| f.name == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The first value of the facet with this name (a source, a site).
    pub fn one(&self, name: &str) -> Option<&str> {
        self.get(name).first().map(String::as_str)
    }

    /// Each shown facet with its values, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Facet, &[String])> {
        self.values.iter().map(|(f, v)| (*f, v.as_slice()))
    }
}

impl Serialize for ArticleFacets {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.values.len()))?;
        for (facet, values) in &self.values {
            let Some(shown) = facet.shown else { continue };
            if shown.one {
                map.serialize_entry(shown.key, &values.first())?;
            } else {
                map.serialize_entry(shown.key, values)?;
            }
        }
        map.end()
    }
}

/// The facet values of one article, ready for the index.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// Places the article is about, as paths (`广东/深圳`), plus `全国` for national news.
    pub regions: Vec<String>,
    /// Every place it names.
    pub mentions: Vec<String>,
    pub industries: Vec<String>,
    /// Its publisher, as reading found it.
    pub source: Option<String>,
    /// The site that published it, as reading found it.
    pub site: Option<String>,
    /// Its publication month (`2024-03`), when the date is known to the month at least.
    pub month: Option<String>,
    /// Its publication day (`2024-03-14`), when the date is known to the day.
    pub day: Option<String>,
}

/// What reading found about an article, before its date and source are decided
/// ([`date::publication_date`], [`source::publisher`]).
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// The corpus-relative path of its file.
    pub path: &'a str,
    pub url: Option<&'a str>,
    /// Title lines written for a date (a day transcript's `《新闻联播》（20220328）`).
    pub title_dates: &'a [String],
    /// Publication date texts from metadata, most trusted first.
    pub meta_dates: &'a [String],
    /// Explicit source fields (a record's `source`, a page's `source` meta).
    pub meta_sources: &'a [String],
    /// Names of the site that shows the article (`og:site_name`, JSON-LD publisher).
    pub site_names: &'a [String],
    /// Outlets a page's metadata credits (its `source` or `mediaid` meta): before the
    /// site's names for the source, never for the site.
    pub credits: &'a [String],
    /// The text's header lines (date and 来源 lines, bylines) and its paragraphs.
    pub header: &'a [String],
    pub body: &'a [String],
}

/// What an article is, as the facets see it: its text and what reading found.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub source: Option<&'a str>,
    pub site: Option<&'a str>,
    pub date: Option<date::PubDate>,
}

/// The facet values of an article (a [`Seen`], or anything that shows as one, such as a
/// `corpus::Article`).
pub fn extract_facets<'a>(article: impl Into<Seen<'a>>) -> Facets {
    let article = article.into();
    facets_of_normalized(Seen {
        title: &normalize_str(article.title),
        body: &normalize_str(article.body),
        ..article
    })
}

/// The facet values of an article whose title and body are already normalised
/// (`text::normalize`); the index writer normalises each article once for all its uses.
pub fn facets_of_normalized(article: Seen) -> Facets {
    let home = source::sources().home_of(article.source, article.site);
    let regions = region::regions_of_normalized(article.title, article.body, home);
    Facets {
        regions: regions.subjects,
        mentions: regions.mentions,
        industries: industry::industries_of_normalized(article.title, article.body),
        source: article.source.map(str::to_string),
        site: article.site.map(str::to_string),
        month: article
            .date
            .filter(|d| d.precision != date::Precision::Year)
            .map(|d| d.date.month_key()),
        day: article
            .date
            .filter(|d| d.precision == date::Precision::Day)
            .map(|d| d.date.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_from_the_right_level() {
        assert_eq!(
            Level::Top.value_of(&["广东", "深圳"]).as_deref(),
            Some("广东")
        );
        assert_eq!(
            Level::City.value_of(&["广东", "深圳", "南山"]).as_deref(),
            Some("广东/深圳")
        );
        assert_eq!(Level::City.value_of(&["全国"]), None);
        assert_eq!(Level::Year.value_of(&["2024-03"]).as_deref(), Some("2024"));
        assert_eq!(
            Level::Week.value_of(&["2024-03-14"]).as_deref(),
            Some("2024-W11")
        );
        // The days of a year's last week may belong to the next ISO year.
        assert_eq!(
            Level::Week.value_of(&["2024-12-30"]).as_deref(),
            Some("2025-W01")
        );
    }

    #[test]
    fn a_municipality_is_a_city_too() {
        assert_eq!(Resolve::City.resolve("上海").unwrap(), ["上海"]);
        assert_eq!(Resolve::City.resolve("北京市").unwrap(), ["北京"]);
        assert!(Resolve::City.resolve("广东").is_err());
        assert!(Resolve::City.resolve("深圳").unwrap()[0].starts_with("广东/"));
    }

    #[test]
    fn an_article_shows_its_values_at_each_facets_level() {
        let f = ArticleFacets::of(|field| match field {
            FacetField::Region => vec!["全国".into(), "广东/深圳".into(), "广东/广州".into()],
            FacetField::Source => vec!["新华社".into()],
            _ => Vec::new(),
        });
        assert_eq!(f.get("province"), ["全国", "广东"]);
        assert_eq!(f.get("city"), ["广东/深圳", "广东/广州"]);
        assert_eq!(f.one("source"), Some("新华社"));
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["source"], "新华社");
        assert_eq!(json["provinces"], serde_json::json!(["全国", "广东"]));
        assert!(json["industries"].as_array().unwrap().is_empty());
    }

    #[test]
    fn unknown_facet_names_get_advice() {
        let err = count_by("省份").unwrap_err().to_string();
        assert!(err.contains("province, city"), "{err}");
        assert_eq!(count_by("region").unwrap().name, "province");
    }
}
