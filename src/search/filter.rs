//! Facet filters: `--province 广东` (also 广东省, 廣東), `--city 深圳`, `--source 新华网`
//! (any alias), `--industry AI` (any keyword), `--from 2024-03 --to 2024`. Values within one
//! facet are alternatives (广东 or 浙江); different facets must all hold. Unknown names are
//! a user error that lists the valid or close names.

use std::ops::Bound;

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DateTime, Term};

use crate::facets::date::parse_filter_date;
use crate::facets::industry::taxonomy;
use crate::facets::region::gazetteer;
use crate::facets::source::sources;
use crate::index::writer::facet_of;
use crate::index::Fields;
use crate::{Error, Result};

/// Filters as the user gave them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub provinces: Vec<String>,
    #[serde(default)]
    pub cities: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub industries: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Filter places on every place named, not only the ones the article is about.
    #[serde(default)]
    pub mentioned: bool,
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
    let place_field = if filters.mentioned {
        fields.mention
    } else {
        fields.region
    };
    let g = gazetteer();
    if !filters.provinces.is_empty() {
        let mut facets = Vec::new();
        for p in &filters.provinces {
            match g.find_province(p) {
                Some(name) => facets.push(facet_of(name)),
                None => {
                    let close = g.close_names(p, 1);
                    let hint = if close.is_empty() {
                        String::new()
                    } else {
                        format!(" Did you mean: {}?", close.join(", "))
                    };
                    return Err(Error::user(format!(
                        "unknown province `{p}`.{hint} Valid names: {} (or 全国 for national news).",
                        g.province_names().join(" ")
                    )));
                }
            }
        }
        out.push(any_of(place_field, facets));
    }
    if !filters.cities.is_empty() {
        let mut facets = Vec::new();
        for c in &filters.cities {
            let paths = g.find_city_paths(c);
            if paths.is_empty() {
                let close = g.close_names(c, 3);
                return Err(Error::user(format!(
                    "unknown city `{c}`; write it as in 深圳, 深圳市 or 诸暨.{}",
                    if close.is_empty() {
                        String::new()
                    } else {
                        format!(" Close names: {}.", close.join(", "))
                    }
                )));
            }
            facets.extend(paths.iter().map(|p| facet_of(p)));
        }
        out.push(any_of(place_field, facets));
    }
    if !filters.sources.is_empty() {
        let s = sources();
        let facets = filters
            .sources
            .iter()
            .map(|v| Facet::from_path([s.resolve_filter(v)]))
            .collect();
        out.push(any_of(fields.source, facets));
    }
    if !filters.industries.is_empty() {
        let t = taxonomy();
        let mut facets = Vec::new();
        for i in &filters.industries {
            match t.find(i) {
                Some(name) => facets.push(Facet::from_path([name])),
                None => {
                    return Err(Error::user(format!(
                        "unknown industry `{i}`. Industries: {}",
                        t.names.join(" ")
                    )))
                }
            }
        }
        out.push(any_of(fields.industry, facets));
    }
    let from = filters
        .from
        .as_deref()
        .map(|d| parse_filter_date(d, false))
        .transpose()?;
    let to = filters
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
    if from.is_some() || to.is_some() {
        let term = |d: crate::facets::date::Date| {
            Term::from_field_date(
                fields.date,
                DateTime::from_timestamp_secs(d.days_since_epoch() * 86_400),
            )
        };
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
