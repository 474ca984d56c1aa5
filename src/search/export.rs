//! Every match of a search, for a researcher's own coding: `corpus-search export` and
//! `/api/export` write them all, with no cap, in a stable order, and as many rows as
//! `query`'s total.
//!
//! Memory stays small whatever the number of matches: the search collects only each match's
//! sort key and address ([`all_matches`], 16 bytes a match, so a million matches take 16 MB),
//! then [`Export`] reads the stored articles a batch at a time as the rows are written.
//! The order is score (highest first) or date (newest first, undated last), ties in the
//! index's own order, so two runs on one index give the same rows in the same order.

use std::collections::VecDeque;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::snippet::{make_snippet, Needles};
use super::{
    build_query, query, read_article, Filters, Sort, SortKeys, StoredArticle, SNIPPET_CHARS,
};
use crate::facets::{shown, Facet, Level};
use crate::index::{Fields, OpenIndex};
use crate::{Error, Result};

/// Articles read from the store at once, in index order (neighbours share compressed blocks).
const BATCH: usize = 256;

/// A column an export can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportField {
    Id,
    Title,
    Date,
    /// A facet's values, as the article shows them ([`crate::facets::Shown`]): `source`,
    /// `provinces` (全国 included, as `facets` counts it), `cities`, `industries` ...
    Facet(&'static Facet),
    Path,
    Url,
    /// The source's name as printed (`今日信報` for 信报).
    SourcePrinted,
    /// The best window of the text around the matches, as plain text.
    Snippet,
    /// The whole cleaned text, a paragraph per line.
    Text,
    /// The places the article is about as facet paths (`广东/深圳`, `全国`).
    Regions,
    /// The id of the article's story: its original's article id (its own when alone).
    Story,
    /// The number of other articles in its story.
    Reprints,
}

impl ExportField {
    /// Every column: id, title, date, each facet an article shows, then the rest.
    pub fn all() -> Vec<ExportField> {
        let mut all = vec![ExportField::Id, ExportField::Title, ExportField::Date];
        all.extend(ExportField::facets());
        all.extend([
            ExportField::Path,
            ExportField::Url,
            ExportField::Snippet,
            ExportField::Text,
            ExportField::Regions,
            ExportField::Story,
            ExportField::Reprints,
            ExportField::SourcePrinted,
        ]);
        all
    }

    /// The default columns: every field but the full text (which makes a file many times
    /// larger) and the story's (regions, story, reprints).
    pub fn default_list() -> Vec<ExportField> {
        let mut list = vec![ExportField::Id, ExportField::Title, ExportField::Date];
        list.extend(ExportField::facets());
        list.extend([ExportField::Path, ExportField::Url, ExportField::Snippet]);
        list
    }

    /// The column of each facet an article shows, in column order.
    pub fn facets() -> impl Iterator<Item = ExportField> {
        shown().into_iter().map(|(f, _)| ExportField::Facet(f))
    }

    /// The column with this name (`source`, `provinces`, `story`).
    pub fn named(name: &str) -> Option<ExportField> {
        ExportField::all()
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The column's name in the CSV header and the JSON key.
    pub fn name(self) -> &'static str {
        match self {
            ExportField::Id => "id",
            ExportField::Title => "title",
            ExportField::Date => "date",
            ExportField::Facet(f) => f.shown.map_or(f.name, |s| s.key),
            ExportField::Path => "path",
            ExportField::Url => "url",
            ExportField::SourcePrinted => "source_printed",
            ExportField::Snippet => "snippet",
            ExportField::Text => "text",
            ExportField::Regions => "regions",
            ExportField::Story => "story",
            ExportField::Reprints => "reprints",
        }
    }

    /// A comma-separated list of field names (`id,title,date`), in the order given. Empty:
    /// [`ExportField::DEFAULT`].
    pub fn parse_list(spec: &str) -> Result<Vec<ExportField>> {
        let mut out = Vec::new();
        for name in spec.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let field = ExportField::named(name).ok_or_else(|| {
                Error::user(format!(
                    "unknown field `{name}`; the fields are {}",
                    ExportField::all()
                        .into_iter()
                        .map(ExportField::name)
                        .collect::<Vec<_>>()
                        .join(",")
                ))
            })?;
            if out.contains(&field) {
                return Err(Error::user(format!(
                    "the field `{name}` is named twice; name each column once"
                )));
            }
            out.push(field);
        }
        if out.is_empty() {
            out = ExportField::default_list();
        }
        Ok(out)
    }
}

/// One cell of a row: text (absent when the article has none, e.g. no known date), a list
/// (provinces, cities, industries) or a number (reprints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(Option<String>),
    List(Vec<String>),
    Number(u64),
}

/// One matching article, its cells in the order of the export's fields.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub cells: Vec<(ExportField, Cell)>,
}

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub query: String,
    pub filters: Filters,
    pub sort: Sort,
    pub fields: Vec<ExportField>,
}

/// The addresses of every match of a search, in the stable order described at the top.
pub struct Matches {
    pub searcher: Searcher,
    pub addresses: Vec<DocAddress>,
    /// The query's positive words and phrases, normalised (what snippets and KWIC show).
    pub literals: Needles,
}

/// Runs the query and filters and keeps every match's address, ordered by `sort`.
pub fn all_matches(
    index: &OpenIndex,
    query: &str,
    filters: &Filters,
    sort: Sort,
) -> Result<Matches> {
    let (q, node) = build_query(index, query, filters)?;
    let searcher = index.reader.searcher();
    let mut keyed = searcher.search(&q, &OrderedMatches { sort })?;
    // Highest key first; ties in index order.
    keyed.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(Matches {
        searcher,
        addresses: keyed.into_iter().map(|(_, addr)| addr).collect(),
        literals: Needles::new(query::positive_literals(&node), filters.words, &index.jieba),
    })
}

/// Collects `(key, address)` for every match: the score, or the date in seconds (undated
/// articles get -inf, so they come last).
struct OrderedMatches {
    sort: Sort,
}

struct SegmentOrderedMatches {
    segment: SegmentOrdinal,
    keys: SortKeys,
    found: Vec<(f64, DocAddress)>,
}

impl Collector for OrderedMatches {
    type Fruit = Vec<(f64, DocAddress)>;
    type Child = SegmentOrderedMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentOrderedMatches> {
        let keys = SortKeys::of(self.sort, reader)?;
        Ok(SegmentOrderedMatches {
            segment,
            keys,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(f64, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentOrderedMatches {
    type Fruit = Vec<(f64, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let key = self.keys.key(doc, score);
        self.found.push((key, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

/// A matching article as an export reads it: the stored article, the id of its story and
/// the number of its other articles. Each place an index lives lists its matches this way
/// (the embedded index below, a cluster in `engine::read`), and [`Export`] makes the rows.
pub struct Listed {
    pub article: StoredArticle,
    pub story: String,
    pub reprints: usize,
}

/// The rows of an export, read as they are asked for (an iterator of rows).
pub struct Export {
    total: usize,
    literals: Needles,
    columns: Vec<ExportField>,
    articles: Box<dyn Iterator<Item = Result<Listed>> + Send>,
}

impl Export {
    /// Runs the search; the rows are read when iterated.
    pub fn start(index: &OpenIndex, request: &ExportRequest) -> Result<Export> {
        let m = all_matches(index, &request.query, &request.filters, request.sort)?;
        let total = m.addresses.len();
        let articles = EmbeddedArticles {
            searcher: m.searcher,
            fields: index.fields,
            stories: index.stories.clone(),
            addresses: m.addresses,
            next: 0,
            ready: VecDeque::new(),
        };
        Ok(Export::of(
            total,
            m.literals,
            request.fields.clone(),
            Box::new(articles),
        ))
    }

    /// The export of `total` matching articles, listed in export order by `articles`.
    pub fn of(
        total: usize,
        literals: Needles,
        columns: Vec<ExportField>,
        articles: Box<dyn Iterator<Item = Result<Listed>> + Send>,
    ) -> Export {
        Export {
            total,
            literals,
            columns,
            articles,
        }
    }

    /// The number of rows: the search's total.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The columns, in order.
    pub fn fields(&self) -> &[ExportField] {
        &self.columns
    }

    fn row_of(&self, listed: Listed) -> ExportRow {
        let Listed {
            article: a,
            story,
            reprints,
        } = listed;
        let text = |s: &str| Cell::Text(Some(s.to_string()));
        let cells = self
            .columns
            .iter()
            .map(|&field| {
                let cell = match field {
                    ExportField::Id => text(&a.id),
                    ExportField::Title => text(&a.title),
                    ExportField::Date => Cell::Text(a.date.clone()),
                    ExportField::Facet(f) => {
                        let values = a.facets.get(f.name);
                        match f.shown {
                            Some(s) if s.one => Cell::Text(values.first().cloned()),
                            _ => Cell::List(values.to_vec()),
                        }
                    }
                    ExportField::Regions => Cell::List(a.regions.clone()),
                    ExportField::Path => text(&a.path),
                    ExportField::Url => Cell::Text(a.url.clone()),
                    ExportField::SourcePrinted => Cell::Text(a.source_printed.clone()),
                    ExportField::Snippet => Cell::Text(Some(
                        make_snippet(&a.body, &self.literals, SNIPPET_CHARS).marked("", ""),
                    )),
                    ExportField::Text => text(&a.body),
                    ExportField::Story => text(&story),
                    ExportField::Reprints => Cell::Number(reprints as u64),
                };
                (field, cell)
            })
            .collect();
        ExportRow { cells }
    }
}

/// The embedded index's matches, read a batch at a time in index order (neighbours share
/// compressed blocks) and given back in export order.
struct EmbeddedArticles {
    searcher: Searcher,
    fields: Fields,
    stories: std::sync::Arc<crate::stories::store::Stories>,
    addresses: Vec<DocAddress>,
    next: usize,
    ready: VecDeque<Listed>,
}

impl EmbeddedArticles {
    /// Reads the next batch of articles in index order and queues them in export order.
    fn read_batch(&mut self) -> Result<()> {
        let end = (self.next + BATCH).min(self.addresses.len());
        let batch = &self.addresses[self.next..end];
        let mut by_address: Vec<usize> = (0..batch.len()).collect();
        by_address.sort_unstable_by_key(|&i| batch[i]);
        let mut read: Vec<Option<Listed>> = (0..batch.len()).map(|_| None).collect();
        for i in by_address {
            let article = read_article(&self.searcher, &self.fields, batch[i])?;
            let story = self.stories.of(&article.id);
            read[i] = Some(Listed {
                story: story.map_or_else(|| article.id.clone(), |s| s.id().to_string()),
                reprints: story.map_or(0, |s| s.articles.len().saturating_sub(1)),
                article,
            });
        }
        self.ready.extend(read.into_iter().flatten());
        self.next = end;
        Ok(())
    }
}

impl Iterator for EmbeddedArticles {
    type Item = Result<Listed>;

    fn next(&mut self) -> Option<Result<Listed>> {
        if self.ready.is_empty() && self.next < self.addresses.len() {
            if let Err(e) = self.read_batch() {
                // One failure ends the export: a row missing from the middle would go unseen.
                self.next = self.addresses.len();
                return Some(Err(e));
            }
        }
        self.ready.pop_front().map(Ok)
    }
}

/// The city facet's values of an article's regions (`广东/深圳` of `广东/深圳/南山`).
/// The cities of region paths, as `facets --by city` counts them (`广东/深圳`).
pub fn cities_of(regions: &[String]) -> Vec<String> {
    let mut cities: Vec<String> = regions
        .iter()
        .filter_map(|r| Level::City.value_of(&r.split('/').collect::<Vec<_>>()))
        .collect();
    cities.sort();
    cities.dedup();
    cities
}

impl Iterator for Export {
    type Item = Result<ExportRow>;

    fn next(&mut self) -> Option<Result<ExportRow>> {
        self.articles
            .next()
            .map(|listed| listed.map(|l| self.row_of(l)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_keep_their_order_and_explain_mistakes() {
        assert_eq!(
            ExportField::parse_list("date, ID,title").unwrap(),
            vec![ExportField::Date, ExportField::Id, ExportField::Title]
        );
        assert_eq!(
            ExportField::parse_list("").unwrap(),
            ExportField::default_list()
        );
        // Today's default columns, in their order.
        let names: Vec<&str> = ExportField::default_list()
            .into_iter()
            .map(ExportField::name)
            .collect();
        assert!(
            names
                .join(",")
                .starts_with("id,title,date,source,provinces,cities,industries"),
            "{names:?}"
        );
        let e = ExportField::parse_list("id,headline").unwrap_err();
        assert!(e.is_user_error());
        assert!(e.to_string().contains("`headline`"), "{e}");
        assert!(e.to_string().contains("provinces,cities"), "{e}");
        assert!(ExportField::parse_list("id,id").is_err());
    }

    #[test]
    fn cities_are_the_city_facets_values() {
        let regions = ["广东/深圳/南山", "广东/深圳", "浙江", "浙江/杭州"].map(String::from);
        assert_eq!(cities_of(&regions), vec!["广东/深圳", "浙江/杭州"]);
    }
}
