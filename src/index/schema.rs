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
//! | extra      | the article's `extra` text             | stored (checks, see below)       |
//! | chars      | title, body and extra, normalised      | CJK bigrams + positions (match), |
//! |            |                                        | no length norms ([`ExactView`])  |
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
//! into `body_words` and `chars` after the body: searchable, never shown. It is stored only
//! in an index whose character view keeps doc ids alone ([`ExactView::DocIds`]), where a
//! phrase is confirmed in the stored texts.

use tantivy::schema::{
    DateOptions, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};

use serde::{Deserialize, Serialize};
use tantivy::DateTime;

use crate::facets::date::Date;
use crate::facets::FacetField;
use crate::text::tokenize::{CHARS_ONCE_TOKENIZER, CHARS_TOKENIZER, WORDS_TOKENIZER};

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
/// reading rules of 2026-12-06; 8: the `extra` field, and the choice of exact view).
pub const FORMAT_VERSION: u32 = 8;

/// How the character view (`chars`, `title_chars`), which makes matches and totals exact,
/// is kept. Chosen when an index is built (`index --exact-view`); a query reads it from the
/// index's schema (`Fields::exact_view`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExactView {
    /// Every token with its positions: a literal is a phrase of the postings.
    #[default]
    Positions,
    /// Each token's articles only, each token once per text: an index about a third smaller.
    /// A literal of more than one token finds the articles holding all its tokens, and each
    /// of them is confirmed in its stored title, body and extra text.
    DocIds,
}

impl ExactView {
    pub const NAMES: [&'static str; 2] = ["positions", "doc-ids"];

    pub fn name(self) -> &'static str {
        match self {
            ExactView::Positions => Self::NAMES[0],
            ExactView::DocIds => Self::NAMES[1],
        }
    }

    pub fn parse(name: &str) -> Option<ExactView> {
        [ExactView::Positions, ExactView::DocIds]
            .into_iter()
            .find(|v| v.name() == name)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub path: Field,
    pub title: Field,
    pub body: Field,
    pub extra: Field,
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
    /// How the character view is kept: with positions, or as doc ids only.
    pub exact_view: ExactView,
}

pub fn build_schema(view: ExactView) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let (tokenizer, record) = match view {
        ExactView::Positions => (CHARS_TOKENIZER, IndexRecordOption::WithFreqsAndPositions),
        ExactView::DocIds => (CHARS_ONCE_TOKENIZER, IndexRecordOption::Basic),
    };
    let chars = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                // Exact matching ranks by the words; length norms here would only cost
                // a BM25 table per bigram when segments are written and merged.
                .set_fieldnorms(false)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        path: b.add_text_field("path", STRING | STORED),
        title: b.add_text_field("title", STORED),
        body: b.add_text_field("body", STORED),
        extra: b.add_text_field("extra", STORED),
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
        exact_view: view,
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

    /// The stored texts the character view is cut from, where a phrase of it is confirmed
    /// ([`ExactView::DocIds`]): the title alone for the title's view, else the title, the
    /// body and the extra text, each on its own.
    pub fn char_texts(&self, title_only: bool) -> Vec<Field> {
        if title_only {
            vec![self.title]
        } else {
            vec![self.title, self.body, self.extra]
        }
    }

    /// The fields of an existing index, checked against this version's schema.
    pub fn of(schema: &Schema) -> Result<Fields, String> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("it has no `{name}` field"))
        };
        let date = f(DATE)?;
        let chars = f("chars")?;
        let positions = schema
            .get_field_entry(chars)
            .field_type()
            .get_index_record_option()
            .is_some_and(|o| o.has_positions());
        Ok(Fields {
            id: f("id")?,
            path: f("path")?,
            title: f("title")?,
            body: f("body")?,
            extra: f("extra")?,
            title_words: f("title_words")?,
            body_words: f("body_words")?,
            chars,
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
            exact_view: if positions {
                ExactView::Positions
            } else {
                ExactView::DocIds
            },
        })
    }
}
