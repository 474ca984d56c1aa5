//! One article as a cluster document: the export's engine document (`scaleout::document`,
//! what `export --for opensearch` writes) plus what the cluster needs to answer as the
//! embedded index does:
//!
//! - `text_norm` also holds the lines we search but do not show (date and 来源 lines,
//!   credits: `Article::extra`), as the embedded character view does;
//! - `filter.<field>`: each facet field's values with every ancestor path (`广东`,
//!   `广东/深圳`), as tantivy indexes a facet, so `--city 诸暨` matches `浙江/绍兴/诸暨` and
//!   every place under it, exactly as the embedded filter does;
//! - `count.<facet>` (and `count.<facet>_mentioned`): the values `facets --by <facet>` counts,
//!   read at the facet's level, so a terms bucket is exactly an embedded count;
//! - `extra`: those lines normalised as printed, stored only: the symbols the engine's
//!   tokenizer drops (`3.5%`) are confirmed in them as in the title and body ([`super::confirm`]);
//! - `regions`, `date_from`: what a hit shows; `mentions`, `title_from`, `source_printed`:
//!   what the article view shows (stored, not indexed); `signature`: the body's MinHash signature,
//!   from which the stories are found over the whole cluster ([`super::load`]).
//!
//! Every part of it is computed by the same functions the embedded index writer uses
//! (`normalize_str`, `facets_of_normalized`, `stories::signature`), on the same `Article`.

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::corpus::Article;
use crate::facets::{ArticleFacets, Facet, FacetField, FACETS};
use crate::index::writer::Analysed;
use crate::scaleout;
use crate::search::export::{Cell, ExportField, ExportRow};
use crate::stories::{Entry, Signature};
use crate::text::normalize::normalize_str;
use crate::text::tokenize::is_cjk;

/// An article ready to send: its id, the document, and what story finding needs of it.
pub struct Prepared {
    pub id: String,
    pub doc: Map<String, Value>,
    pub entry: Entry,
}

/// The name of the field `facets --by facet` counts (`count.province`,
/// `count.province_mentioned`).
pub fn count_field(facet: &Facet, mentioned: bool) -> String {
    if mentioned && facet.mentioned_field.is_some() {
        format!("count.{}_mentioned", facet.name)
    } else {
        format!("count.{}", facet.name)
    }
}

/// The name of the field a value filter on this index field matches (`filter.region`).
pub fn filter_field(field: FacetField) -> String {
    format!("filter.{}", field.name())
}

/// The article as the cluster stores it; `story` is its own id until stories are found.
pub fn prepare(article: &Article) -> Prepared {
    let Analysed {
        signature, facets, ..
    } = Analysed::of(article);
    let extra = normalize_str(&article.extra);
    let stored = |field: FacetField| field.values(&facets);
    let shown = ArticleFacets::of(stored);

    let mut cells = Vec::new();
    for field in scaleout::fields() {
        let text = |s: &str| Cell::Text(Some(s.to_string()));
        let cell = match field {
            ExportField::Id | ExportField::Story => text(&article.id),
            ExportField::Title => text(&article.title),
            ExportField::Date => Cell::Text(article.date.map(|d| d.to_string())),
            ExportField::Facet(f) => {
                let values = shown.get(f.name);
                match f.shown {
                    Some(s) if s.one => Cell::Text(values.first().cloned()),
                    _ => Cell::List(values.to_vec()),
                }
            }
            ExportField::Path => text(&article.path),
            ExportField::Url => Cell::Text(article.url.clone()),
            ExportField::Text => text(&article.body),
            ExportField::Regions => Cell::List(facets.regions.clone()),
            // The export's engine fields are the ones above; nothing else is asked for.
            _ => continue,
        };
        cells.push((field, cell));
    }
    let mut doc = scaleout::document(&ExportRow { cells });

    if let Some(Value::Array(values)) = doc.get_mut("text_norm") {
        if !extra.is_empty() {
            values.push(json!(extra));
        }
        for v in values.iter_mut() {
            *v = json!(engine_text(v.as_str().unwrap_or("")));
        }
    }
    if let Some(v) = doc.get_mut("title_norm") {
        *v = json!(engine_text(v.as_str().unwrap_or("")));
    }
    let mut filter = Map::new();
    for field in FacetField::ALL {
        let mut paths: Vec<String> = Vec::new();
        for value in field.values(&facets) {
            let parts: Vec<&str> = value.split('/').filter(|p| !p.is_empty()).collect();
            for depth in 1..=parts.len() {
                let path = parts[..depth].join("/");
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        if !paths.is_empty() {
            filter.insert(field.name().into(), json!(paths));
        }
    }
    let mut count = Map::new();
    for facet in FACETS {
        let mut variants = vec![(facet.field, false)];
        variants.extend(facet.mentioned_field.map(|f| (f, true)));
        for (field, mentioned) in variants {
            let mut values: Vec<String> = Vec::new();
            for path in field.values(&facets) {
                let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
                if let Some(v) = facet.level.value_of(&parts) {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
            if !values.is_empty() {
                let key = count_field(facet, mentioned);
                let key = key.trim_start_matches("count.").to_string();
                count.insert(key, json!(values));
            }
        }
    }
    doc.insert("filter".into(), Value::Object(filter));
    doc.insert("count".into(), Value::Object(count));
    doc.insert("regions".into(), json!(facets.regions));
    // What the article view shows beyond a hit, as the embedded index stores it.
    doc.insert(
        "mentions".into(),
        json!(FacetField::Mention.values(&facets)),
    );
    doc.insert("title_from".into(), json!(article.title_from));
    if !extra.is_empty() {
        doc.insert("extra".into(), json!(extra));
    }
    if let Some(printed) = &article.source_printed {
        doc.insert("source_printed".into(), json!(printed));
    }
    if let Some(d) = article.date {
        doc.insert("date_from".into(), json!(d.from.name()));
    }
    if let Some(s) = &signature {
        doc.insert("signature".into(), json!(encode_signature(s)));
    }
    if let Some(d) = article.date {
        doc.insert("story_day".into(), json!(d.date.days_since_epoch()));
    }
    let entry = Entry {
        id: article.id.clone(),
        day: article.date.map(|d| d.date.days_since_epoch()),
        source: facets.source.clone(),
        signature,
    };
    Prepared {
        id: article.id.clone(),
        doc,
        entry,
    }
}

/// Normalised text as the engine's tokenizer should see it: every character our character
/// view does not index as a letter, digit or CJK character becomes a space. The engine's
/// standard tokenizer (Unicode word breaks) would keep `97.3`, `1,000` and `U.S` as one
/// token, where our view has `97` and `3`, so `97` would match less there; after this it
/// sees the same words and numbers, and a space still breaks a run of CJK pairs as the
/// punctuation did. (The symbols our view keeps as tokens, `%` or `.`, are matched here
/// without them and confirmed in the stored text: `confirm`.)
pub fn engine_text(normalized: &str) -> String {
    normalized
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || is_cjk(c) || c == '\n' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// The fields [`prepare`] adds to the export's mapping (`data/scaleout/`), made from
/// [`FACETS`] so that a new facet needs no edit here.
pub fn extra_properties() -> Map<String, Value> {
    let keyword = || json!({"type": "keyword"});
    let mut filter = Map::new();
    for field in FacetField::ALL {
        filter.insert(field.name().into(), keyword());
    }
    let mut count = Map::new();
    for facet in FACETS {
        count.insert(facet.name.into(), keyword());
        if facet.mentioned_field.is_some() {
            count.insert(format!("{}_mentioned", facet.name), keyword());
        }
    }
    let mut props = Map::new();
    props.insert("filter".into(), json!({"properties": filter}));
    props.insert("count".into(), json!({"properties": count}));
    props.insert("regions".into(), keyword());
    for shown_only in ["mentions", "title_from", "source_printed", "extra"] {
        props.insert(
            shown_only.into(),
            json!({"type": "keyword", "index": false, "doc_values": false}),
        );
    }
    props.insert("date_from".into(), keyword());
    props.insert(
        "story_day".into(),
        json!({"type": "long", "index": false, "doc_values": false}),
    );
    props.insert(
        "signature".into(),
        json!({"type": "keyword", "index": false, "doc_values": false}),
    );
    props
}

/// A signature as text: its 16-bit hashes little-endian, in base64.
pub fn encode_signature(s: &Signature) -> String {
    let bytes: Vec<u8> = s.0.iter().flat_map(|h| h.to_le_bytes()).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The signature [`encode_signature`] wrote; None when it is not one.
pub fn decode_signature(text: &str) -> Option<Signature> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    let mut s = Signature([0; crate::stories::minhash::HASHES]);
    if bytes.len() != s.0.len() * 2 {
        return None;
    }
    for (h, pair) in s.0.iter_mut().zip(bytes.chunks_exact(2)) {
        *h = u16::from_le_bytes([pair[0], pair[1]]);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_sees_our_words_and_numbers() {
        assert_eq!(engine_text("占97.3%,共1,000人"), "占97 3  共1 000人");
        assert_eq!(engine_text("u.s.与’97中国"), "u s 与 97中国");
    }

    #[test]
    fn signatures_survive_the_trip() {
        let body = "新华社北京1月5日电 国务院总理李鹏今天在中南海会见了来访的客人，双方就进一步发展两国关系交换了意见。";
        let s =
            crate::stories::signature(&normalize_str(body)).expect("long enough for a signature");
        assert_eq!(decode_signature(&encode_signature(&s)), Some(s));
        assert_eq!(decode_signature("not base64!"), None);
    }
}
