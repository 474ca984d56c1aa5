//! Facets: what an article can be filtered and counted by — region (province/city), date
//! (year/month), source (publisher) and industry. One file per facet; each reads its own
//! data file once.

pub mod date;
pub mod industry;
pub mod region;
pub mod source;

use crate::corpus::Article;
use crate::text::normalize::normalize_str;

/// The facet values of one article, ready for the index.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// Places the article is about, as paths (`广东/深圳`), plus `全国` for national news.
    pub regions: Vec<String>,
    /// Every place it names.
    pub mentions: Vec<String>,
    pub industries: Vec<String>,
}

pub fn extract_facets(article: &Article) -> Facets {
    facets_of_normalized(
        &normalize_str(&article.title),
        &normalize_str(&article.body),
    )
}

/// The facets of an article whose title and body are already normalised
/// (`text::normalize`); the index writer normalises each article once for all its uses.
pub fn facets_of_normalized(title: &str, body: &str) -> Facets {
    let regions = region::regions_of_normalized(title, body);
    Facets {
        regions: regions.subjects,
        mentions: regions.mentions,
        industries: industry::industries_of_normalized(title, body),
    }
}
