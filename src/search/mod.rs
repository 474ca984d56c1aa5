//! Searching an index: parse the query, add the facet filters, rank, count facets over the
//! whole result set, and build each hit with its snippet. The command line and the HTTP API
//! both call [`search`] and print what it returns.

pub mod counts;
pub mod export;
pub mod facets;
pub mod filter;
pub mod kwic;
pub mod near;
pub mod query;
pub mod snippet;
pub mod stories;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::{OwnedValue, Value};
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument};

pub use filter::{Filters, Matching};
pub use query::{parse_query, Node};

use crate::facets::date::{DateFrom, Precision, PubDate};
use crate::facets::FacetField;
use crate::facets::{counted, ArticleFacets, Facet};
use crate::index::{schema, Fields, OpenIndex};
use crate::{Error, Result};

/// The most hits one request may ask for (page with `offset` beyond it).
pub const MAX_LIMIT: usize = 1000;
/// The deepest page: `offset` beyond this is refused (a ranked list that deep is never read,
/// and collecting it costs memory); `facets` counts whole result sets.
pub const MAX_OFFSET: usize = 100_000;
/// Characters in a snippet.
pub const SNIPPET_CHARS: usize = 120;
/// Reprint sources listed with a hit.
pub const REPRINT_SOURCES: usize = 8;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

impl std::str::FromStr for Sort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Sort> {
        match s {
            "relevance" | "" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Date),
            other => Err(Error::user(format!(
                "unknown sort `{other}`; use relevance or date"
            ))),
        }
    }
}

/// A segment's sort keys for collectors that order matches themselves: the score, or the
/// publication date in seconds (undated last).
pub(crate) struct SortKeys {
    dates: Option<tantivy::columnar::Column<DateTime>>,
}

impl SortKeys {
    pub(crate) fn of(sort: Sort, reader: &tantivy::SegmentReader) -> tantivy::Result<SortKeys> {
        let dates = match sort {
            Sort::Date => Some(reader.fast_fields().date(schema::DATE)?),
            Sort::Relevance => None,
        };
        Ok(SortKeys { dates })
    }

    #[inline]
    pub(crate) fn key(&self, doc: tantivy::DocId, score: tantivy::Score) -> f64 {
        match &self.dates {
            Some(dates) => dates
                .first(doc)
                .map_or(f64::NEG_INFINITY, |d| d.into_timestamp_secs() as f64),
            None => f64::from(score),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// One hit per story (the story's best match), instead of one per article.
    pub collapse: bool,
}

impl SearchRequest {
    /// Refuses a page past what one request may ask for ([`MAX_LIMIT`], [`MAX_OFFSET`]).
    pub fn check_page(&self) -> Result<()> {
        if self.limit > MAX_LIMIT {
            return Err(Error::user(format!(
                "--limit {} is more than {MAX_LIMIT} hits at once; page through with --offset (or use `facets` for counts)",
                self.limit
            )));
        }
        if self.offset > MAX_OFFSET {
            return Err(Error::user(format!(
                "offset {} is past the deepest page ({MAX_OFFSET}); narrow the search with filters, or use `facets` for counts",
                self.offset
            )));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    /// Where the date was read: `meta`, `text`, `url` or `path`.
    pub date_from: Option<String>,
    pub url: Option<String>,
    /// Its facet values (`source`, `provinces`, `cities`, `industries` ...), keyed as
    /// [`crate::facets::FACETS`] shows them.
    #[serde(flatten)]
    pub facets: ArticleFacets,
    /// The places it is about as paths (`广东/深圳`, `全国`).
    pub regions: Vec<String>,
    pub score: f32,
    /// The id of the article's story (its original's article id; its own when alone).
    pub story: String,
    /// The other articles of its story.
    pub reprints: usize,
    /// Their sources, each once, in story order (at most [`REPRINT_SOURCES`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reprinted_by: Vec<String>,
    /// HTML-escaped, matches in `<b>`.
    pub snippet: String,
    #[serde(skip)]
    pub snippet_pieces: snippet::Snippet,
    #[serde(skip)]
    pub title_pieces: snippet::Snippet,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// The counts of every facet a search counts ([`crate::facets::counted`]), in that order;
/// JSON writes them as an object keyed by facet name.
#[derive(Debug, Clone, Default)]
pub struct FacetCounts {
    pub facets: Vec<(&'static Facet, Vec<FacetCount>)>,
}

impl FacetCounts {
    /// The counts of the facet with this name (none if it is not counted).
    pub fn get(&self, name: &str) -> &[FacetCount] {
        self.facets
            .iter()
            .find(|(f, _)| f.name == name)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[])
    }
}

impl Serialize for FacetCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.facets.len()))?;
        for (facet, counts) in &self.facets {
            map.serialize_entry(facet.name, counts)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    /// Matching articles.
    pub total: usize,
    /// How the words were matched: `substring` or `words`.
    pub matching: Matching,
    /// Distinct stories among them (reprints of one piece count once).
    pub stories: usize,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
}

/// The query and its filters as one tantivy query.
pub fn build_query(
    index: &OpenIndex,
    query: &str,
    filters: &Filters,
) -> Result<(Box<dyn Query>, Node)> {
    let node = parse_query(query)?;
    check_open_values(index, filters, &node)?;
    let searcher = index.reader.searcher();
    let text = query::to_tantivy(&node, &index.fields, &index.jieba, &searcher, filters.words);
    let filter_clauses = filter::filter_queries(filters, &index.fields)?;
    if filter_clauses.is_empty() {
        return Ok((text, node));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    clauses.extend(filter_clauses.into_iter().map(|q| (Occur::Must, q)));
    Ok((Box::new(BooleanQuery::new(clauses)), node))
}

/// Sources are an open list: a value that is no outlet of `data/sources.toml` is taken as
/// printed, and refused with the closest names when no article of the index has it (as an
/// unknown province is refused), rather than answering an empty result for a typo.
fn check_open_values(index: &OpenIndex, filters: &Filters, node: &Node) -> Result<()> {
    check_open_values_in(filters, node, &mut |facet| {
        let tables = index.tables(facet.field, facet.level)?;
        Ok(tables.names().into_iter().map(str::to_string).collect())
    })
}

/// [`check_open_values`] with the values an index holds given by `held` (the embedded
/// index's tables, or a cluster's buckets), asked only for a value no outlet knows.
pub(crate) fn check_open_values_in(
    filters: &Filters,
    node: &Node,
    held: &mut dyn FnMut(&'static Facet) -> Result<Vec<String>>,
) -> Result<()> {
    let mut named: Vec<(&'static Facet, String)> = Vec::new();
    for (facet, values) in filters.values.iter() {
        if let Some(resolve) = facet.resolver().filter(|r| r.is_open()) {
            for v in values {
                named.extend(resolve.resolve(v)?.into_iter().map(|s| (facet, s)));
            }
        }
    }
    facet_values_of(node, &mut named);
    for (facet, value) in named {
        let Some(resolve) = facet.resolver().filter(|r| r.is_open()) else {
            continue;
        };
        if resolve.knows(&value) {
            continue;
        }
        let held = held(facet)?;
        if held.contains(&value) {
            continue;
        }
        let known = resolve.known_names();
        let close = crate::facets::source::close_names(
            &value,
            held.iter().map(String::as_str).chain(known.iter().copied()),
        );
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!(" Did you mean: {}?", close.join(", "))
        };
        return Err(Error::user(format!(
            "no article of this index has the {name} `{value}`, and it is no outlet known to data/sources.toml.{hint} `corpus-search facets --by {name}` lists the index's values.",
            name = facet.name
        )));
    }
    Ok(())
}

/// The facet values named inside a query (`source:新华社`).
fn facet_values_of(node: &Node, out: &mut Vec<(&'static Facet, String)>) {
    match node {
        Node::Facet { facet, values } => out.extend(values.iter().map(|v| (*facet, v.clone()))),
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| facet_values_of(n, out)),
        Node::Not(n) => facet_values_of(n, out),
        _ => {}
    }
}

/// Runs a search: exact total, one page of hits, facet counts of the whole result set.
pub fn search(index: &OpenIndex, request: &SearchRequest) -> Result<SearchResponse> {
    request.check_page()?;
    let (query, node) = build_query(index, &request.query, &request.filters)?;
    let searcher = index.reader.searcher();
    let f = &index.fields;
    let limit = request.limit.max(1);
    let top: Vec<(f32, DocAddress)>;
    let total;
    let facet_counts;
    let counted: Vec<&'static Facet> = counted().collect();
    let counter = counts::FacetCounter {
        tables: counted
            .iter()
            .map(|f| index.tables(f.field_for(request.filters.mentioned), f.level))
            .collect::<Result<_>>()?,
    };
    let story_table = index.story_table()?;
    let story_counter = stories::StoryCounter {
        table: story_table.clone(),
    };
    let story_count;
    if request.collapse {
        let collector = stories::TopStories {
            table: story_table.clone(),
            sort: request.sort,
            limit,
            offset: request.offset,
        };
        let (hits, count, counts, n) =
            searcher.search(&query, &(collector, Count, counter, story_counter))?;
        top = hits
            .into_iter()
            .map(|(key, addr)| match request.sort {
                Sort::Relevance => (key as f32, addr),
                Sort::Date => (0.0, addr),
            })
            .collect();
        total = count;
        facet_counts = counts;
        story_count = n;
    } else {
        match request.sort {
            Sort::Relevance => {
                let collector = TopDocs::with_limit(limit)
                    .and_offset(request.offset)
                    .order_by_score();
                let (hits, count, counts, n) =
                    searcher.search(&query, &(collector, Count, counter, story_counter))?;
                top = hits;
                total = count;
                facet_counts = counts;
                story_count = n;
            }
            Sort::Date => {
                let collector = TopDocs::with_limit(limit)
                    .and_offset(request.offset)
                    .order_by_fast_field::<DateTime>(schema::DATE, Order::Desc);
                let (hits, count, counts, n) =
                    searcher.search(&query, &(collector, Count, counter, story_counter))?;
                top = hits.into_iter().map(|(_, addr)| (0.0, addr)).collect();
                total = count;
                facet_counts = counts;
                story_count = n;
            }
        }
    }
    let literals = snippet::Needles::new(
        query::positive_literals(&node),
        request.filters.words,
        &index.jieba,
    );
    let mut hits = Vec::new();
    if request.limit > 0 {
        for (score, addr) in top {
            let mut hit = make_hit(&searcher, f, addr, score, &literals)?;
            hit.reprints = story_table.size(story_table.key_of(addr)).saturating_sub(1);
            hit.story = stories::story_id(index, &hit.id);
            if hit.reprints > 0 {
                hit.reprinted_by = stories::reprint_sources(index, &hit.id, REPRINT_SOURCES);
            }
            hits.push(hit);
        }
    }
    let facets = counted
        .into_iter()
        .zip(facet_counts)
        .map(|(facet, mut counts)| {
            if facet.time {
                counts.sort_by(|a, b| a.value.cmp(&b.value));
            }
            (facet, counts)
        })
        .collect();
    Ok(SearchResponse {
        query: request.query.clone(),
        total,
        matching: request.filters.matching(),
        stories: story_count,
        hits,
        facets: FacetCounts { facets },
    })
}

/// A stored article, as the API's article view shows it.
#[derive(Debug, Clone, Serialize)]
pub struct StoredArticle {
    pub id: String,
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    /// Where the date was read: `meta`, `text`, `url` or `path`.
    pub date_from: Option<String>,
    pub url: Option<String>,
    /// Its facet values, keyed as [`crate::facets::FACETS`] shows them.
    #[serde(flatten)]
    pub facets: ArticleFacets,
    /// The source's name as printed (`今日信報` for 信报), when printed.
    pub source_printed: Option<String>,
    pub regions: Vec<String>,
    pub mentions: Vec<String>,
    pub title_from: String,
    pub body: String,
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn facets_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| match OwnedValue::from(v) {
            OwnedValue::Facet(f) => Some(f.to_path().join("/")),
            _ => None,
        })
        .collect()
}

/// The stored publication date, as precise as it was known (`2024-03-14`, `1998-01`).
fn date_of(doc: &TantivyDocument, f: &Fields) -> Option<String> {
    doc.get_first(f.date)
        .and_then(|v| v.as_datetime())
        .map(|d| {
            PubDate {
                date: schema::date_of_value(d),
                precision: Precision::from_name(&text_of(doc, f.date_precision)),
                from: DateFrom::from_name(&text_of(doc, f.date_from)).unwrap_or(DateFrom::Text),
            }
            .to_string()
        })
}

pub fn read_article(searcher: &Searcher, f: &Fields, addr: DocAddress) -> Result<StoredArticle> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let regions = facets_of(&doc, f.facet(FacetField::Region));
    Ok(StoredArticle {
        id: text_of(&doc, f.id),
        path: text_of(&doc, f.path),
        title: text_of(&doc, f.title),
        date: date_of(&doc, f),
        date_from: Some(text_of(&doc, f.date_from)).filter(|s| !s.is_empty()),
        url: Some(text_of(&doc, f.url)).filter(|s| !s.is_empty()),
        facets: ArticleFacets::of(|field| facets_of(&doc, f.facet(field))),
        mentions: facets_of(&doc, f.facet(FacetField::Mention)),
        title_from: text_of(&doc, f.title_from),
        source_printed: Some(text_of(&doc, f.source_printed)).filter(|s| !s.is_empty()),
        body: text_of(&doc, f.body),
        regions,
    })
}

/// The article with this id (`path#n`), if the index has it.
pub fn find_article(index: &OpenIndex, id: &str) -> Result<Option<StoredArticle>> {
    let searcher = index.reader.searcher();
    let term = tantivy::Term::from_field_text(index.fields.id, id);
    let q = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    match top.first() {
        Some(&(_, addr)) => Ok(Some(read_article(&searcher, &index.fields, addr)?)),
        None => Ok(None),
    }
}

fn make_hit(
    searcher: &Searcher,
    f: &Fields,
    addr: DocAddress,
    score: f32,
    literals: &snippet::Needles,
) -> Result<Hit> {
    let a = read_article(searcher, f, addr)?;
    let snippet = snippet::make_snippet(&a.body, literals, SNIPPET_CHARS);
    Ok(Hit {
        id: a.id,
        path: a.path,
        title_pieces: snippet::highlight_all(&a.title, literals),
        title: a.title,
        date: a.date,
        date_from: a.date_from,
        url: a.url,
        facets: a.facets,
        regions: a.regions,
        score,
        story: String::new(),
        reprints: 0,
        reprinted_by: Vec::new(),
        snippet: snippet.to_html(),
        snippet_pieces: snippet,
    })
}
