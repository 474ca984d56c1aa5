//! Facet filters: `--province 广东` (also 广东省, 廣東), `--city 深圳`, `--source 新华网`
//! (any alias), `--industry AI` (any keyword), `--from 2024-03 --to 2024`. Values within one
//! facet are alternatives (广东 or 浙江); different facets must all hold. Unknown names are
//! a user error that lists the valid or close names. Which facets filter, and how a value
//! resolves, is described in `facets` ([`crate::facets::FACETS`]).

use std::ops::Bound;

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

use crate::facets::date::{parse_filter_date, Date};
use crate::facets::{Chosen, FacetField};
use crate::index::schema::date_value;
use crate::index::Fields;
use crate::{Error, Result};

/// Filters as the user gave them.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// The values chosen for each facet that filters by values.
    pub values: Chosen,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Filter places on every place named, not only the ones the article is about.
    pub mentioned: bool,
    /// Count a word only where it stands as a word of the jieba cut (`--words`), not as
    /// any substring: a way of matching, carried with the filters to every command.
    pub words: bool,
}

/// How a query's words were matched, as every answer says: as substrings of the normalised
/// text (exact, the default), or as whole words of the jieba cut (`--words`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Matching {
    Substring,
    Words,
}

impl Filters {
    /// `--from` and `--to` as the first and last day they take in (a year's or a month's
    /// last day for `--to 2024`), refused when the range is backwards.
    pub fn date_range(&self) -> Result<(Option<Date>, Option<Date>)> {
        let from = self
            .from
            .as_deref()
            .map(|d| parse_filter_date(d, false))
            .transpose()?;
        let to = self
            .to
            .as_deref()
            .map(|d| parse_filter_date(d, true))
            .transpose()?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(Error::user(format!(
                    "--from {f} is after --to {t}; swap them"
                )));
            }
        }
        Ok((from, to))
    }

    /// The chosen values of each facet that filters, resolved to the values the index
    /// stores, with the field they are looked up in (places named only, under
    /// `--mentioned`). Any value of one facet matches.
    pub fn resolved(&self) -> Result<Vec<(FacetField, Vec<String>)>> {
        let mut out = Vec::new();
        for (facet, values) in self.values.iter() {
            let Some(resolve) = facet.resolver() else {
                continue;
            };
            if values.is_empty() {
                continue;
            }
            let mut stored = Vec::new();
            for v in values {
                stored.extend(resolve.resolve(v)?);
            }
            out.push((facet.field_for(self.mentioned), stored));
        }
        Ok(out)
    }

    pub fn matching(&self) -> Matching {
        if self.words {
            Matching::Words
        } else {
            Matching::Substring
        }
    }
}

fn any_of(field: tantivy::schema::Field, facets: Vec<Facet>) -> Box<dyn Query> {
    let clauses = facets
        .into_iter()
        .map(|f| {
            (
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_facet(field, &f),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The filter clauses (each to be ANDed with the text query), scoring nothing.
pub fn filter_queries(filters: &Filters, fields: &Fields) -> Result<Vec<Box<dyn Query>>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for (field, values) in filters.resolved()? {
        let terms = values.iter().map(|s| field.path_of(s)).collect();
        out.push(any_of(fields.facet(field), terms));
    }
    let (from, to) = filters.date_range()?;
    if from.is_some() || to.is_some() {
        let term = |d| Term::from_field_date(fields.date, date_value(d));
        let lower = from
            .map(|d| Bound::Included(term(d)))
            .unwrap_or(Bound::Unbounded);
        let upper = to
            .map(|d| Bound::Included(term(d)))
            .unwrap_or(Bound::Unbounded);
        out.push(Box::new(RangeQuery::new(lower, upper)));
    }
    Ok(out
        .into_iter()
        .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
        .collect())
}
