//! The index schema: the only place field names live.
//!
//! | field      | what                                   | how                              |
//! |------------|----------------------------------------|----------------------------------|
//! | id         | `path#n`                               | raw term, stored                 |
//! | path       | corpus-relative file path              | raw term, stored                 |
//! | title      | the title                              | stored                           |
//! | body       | cleaned text, a paragraph per line     | stored                           |
//! | title_words| the title, normalised, cut by jieba    | words + freqs (ranking)          |
//! | body_words | the body, normalised, cut by jieba     | words + freqs (ranking)          |
//! | chars      | title and body, normalised             | CJK bigrams + positions (match), |
//! |            |                                        | no length norms                  |
//! | title_chars| the title, normalised                  | as chars (`title:` in queries)   |
//! | date       | publication date                       | fast date (ranges, sorting)      |
//! | month      | `/2024-03`                             | facet                            |
//! | day        | `/2024-03-14`, when known to the day   | facet (`--by day`, `--by week`)  |
//! | region     | `/广东/深圳`, `/全国`: places it is about | facet (counts roll up)          |
//! | mention    | every place it names                   | facet (`--mentioned`)            |
//! | industry   | `/低空经济`                              | facet                            |
//! | source     | `/新华社`: the outlet it credits          | facet                            |
//! | site       | `/新浪`: the outlet that published it     | facet                            |
//! | title_from | how the title was found                | stored                           |
//! | date_precision | `day`, `month` or `year`           | stored                           |
//! | date_from  | where the date was read: meta, text, url, path | stored                   |
//! | url        | the article's URL, when the page or record gives it | stored              |
//! | source_printed | the source's name as printed (`今日信報`) | stored                         |
//!
//! An article's `extra` text (date and 来源 lines, datelines, credits, stray blocks) goes
//! into `body_words` and `chars` after the body: searchable, never shown.

use tantivy::schema::{
    DateOptions, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};

use tantivy::DateTime;

use crate::facets::date::Date;
use crate::facets::FacetField;
use crate::text::tokenize::{CHARS_TOKENIZER, WORDS_TOKENIZER};

/// The name of the date field (sorting by date reads it by name).
pub const DATE: &str = "date";

/// A publication date as the index stores it: midnight UTC of its day.
pub fn date_value(d: Date) -> DateTime {
    DateTime::from_timestamp_secs(d.days_since_epoch() * 86_400)
}

/// The day of a stored date.
pub fn date_of_value(v: DateTime) -> Date {
    Date::from_days_since_epoch(v.into_timestamp_secs().div_euclid(86_400))
}

/// Bumped whenever the schema, the tokenizers or the rules of reading and tagging change
/// what an index holds, so that an update never mixes articles read by two sets of rules
/// (6: the province rules of 2026-11-29, and WARC ids counting every record; 7: the `site`
/// facet and `source_printed`, sources merged across the names one outlet prints, places
/// below the county, Taiwan's districts under their cities, the short-item rules, and the
/// reading rules of 2026-12-06).
pub const FORMAT_VERSION: u32 = 7;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub path: Field,
    pub title: Field,
    pub body: Field,
    pub title_words: Field,
    pub body_words: Field,
    pub chars: Field,
    pub title_chars: Field,
    pub date: Field,
    /// The facet fields, in [`FacetField::ALL`] order ([`Fields::facet`]).
    facets: [Field; FacetField::ALL.len()],
    pub title_from: Field,
    pub date_precision: Field,
    pub date_from: Field,
    pub url: Field,
    pub source_printed: Field,
}

pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let chars = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(CHARS_TOKENIZER)
                // Exact matching ranks by the words; length norms here would only cost
                // a BM25 table per bigram when segments are written and merged.
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        path: b.add_text_field("path", STRING | STORED),
        title: b.add_text_field("title", STORED),
        body: b.add_text_field("body", STORED),
        title_words: b.add_text_field("title_words", words()),
        body_words: b.add_text_field("body_words", words()),
        chars: b.add_text_field("chars", chars()),
        title_chars: b.add_text_field("title_chars", chars()),
        date: b.add_date_field(
            DATE,
            DateOptions::default().set_indexed().set_fast().set_stored(),
        ),
        facets: FacetField::ALL.map(|f| facet_field(&mut b, f)),
        title_from: b.add_text_field("title_from", STORED),
        date_precision: b.add_text_field("date_precision", STORED),
        date_from: b.add_text_field("date_from", STORED),
        url: b.add_text_field("url", STORED),
        source_printed: b.add_text_field("source_printed", STORED),
    };
    (b.build(), fields)
}

fn facet_field(b: &mut tantivy::schema::SchemaBuilder, field: FacetField) -> Field {
    let options = if field.stored() {
        FacetOptions::default().set_stored()
    } else {
        FacetOptions::default()
    };
    b.add_facet_field(field.name(), options)
}

impl Fields {
    /// The index field of a facet field.
    pub fn facet(&self, field: FacetField) -> Field {
        let at = FacetField::ALL
            .iter()
            .position(|&f| f == field)
            .expect("every facet field is in FacetField::ALL");
        self.facets[at]
    }

    /// The fields of an existing index, checked against this version's schema.
    pub fn of(schema: &Schema) -> Result<Fields, String> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("it has no `{name}` field"))
        };
        let date = f(DATE)?;
        Ok(Fields {
            id: f("id")?,
            path: f("path")?,
            title: f("title")?,
            body: f("body")?,
            title_words: f("title_words")?,
            body_words: f("body_words")?,
            chars: f("chars")?,
            title_chars: f("title_chars")?,
            date,
            facets: {
                let mut facets = [date; FacetField::ALL.len()];
                for (slot, field) in facets.iter_mut().zip(FacetField::ALL) {
                    *slot = f(field.name())?;
                }
                facets
            },
            title_from: f("title_from")?,
            date_precision: f("date_precision")?,
            date_from: f("date_from")?,
            url: f("url")?,
            source_printed: f("source_printed")?,
        })
    }
}
