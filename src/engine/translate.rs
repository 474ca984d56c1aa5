//! Our parsed query ([`crate::search::Node`]) and filters, as the engine's query JSON.
//!
//! ```text
//! 民共和 / "新质 生产力"    match_phrase on text_norm (title, body and the searched lines)
//! title:低空经济            match_phrase on title_norm
//! a b, a OR b, -a           bool must / should / must_not
//! source:新华社, --province  terms on filter.<field>: the stored values and their ancestors,
//!                           so a place matches every place under it, as tantivy's facets do
//! --from, --to              range on date
//! ```
//!
//! A phrase over the `*_norm` fields is an exact substring match: the index analyzer keeps
//! each CJK character and each pair (`cjk_bigram` with unigrams), the query analyzer
//! (`corpus_exact_query`) makes the pairs alone, so `民共和` is 民共 then 共和 at the next
//! position, which only an unbroken run of those characters has (a phrase of the single
//! characters would also match across punctuation, 民，共和). A lone character is itself.
//! The text is sent normalised as our character view normalises it.
//!
//! What the engine cannot match exactly is translated twice ([`Checked`]): first as its
//! candidates (more articles than match), which [`super::confirm`] reads and checks; then as
//! those candidates and the ids it confirmed. That is proximity (`"a b"~5`, `NEAR/5`, every
//! word required), which counts characters the engine's positions do not measure; a word
//! with a symbol our character view keeps as a token (`+ % . # & / - @ $ * = ~ _`), which the
//! engine's tokenizer drops (`3.5%` is the phrase `3 5`); and under `--words` every word,
//! which must stand as a word of the jieba cut (the word as a substring).

use std::collections::HashMap;

use serde_json::{json, Value};

use super::confirm::Clause;
use super::document::{engine_text, filter_field};
use crate::search::query::normalize_literal;
use crate::search::{Filters, Node};
use crate::text::tokenize::{char_tokens, CharTokenKind};
use crate::{Error, Result};

/// The articles that hold each clause the engine cannot match exactly, by id.
pub type Confirmed = HashMap<Clause, Vec<String>>;

/// What a clause the engine cannot match exactly becomes in its query.
#[derive(Clone, Copy)]
pub enum Checked<'a> {
    /// Its candidates: more articles than hold it, every one that does among them.
    Candidates,
    /// Its candidates that [`super::confirm`] checked and confirmed, by id; the words are
    /// still matched, so they rank the hits as the candidates' words do.
    Confirmed(&'a Confirmed),
}

/// Whether a word or phrase holds a symbol our character view keeps as a token.
pub fn has_symbol(literal: &str) -> bool {
    char_tokens(&normalize_literal(literal))
        .iter()
        .any(|t| t.kind == CharTokenKind::Symbol)
}

/// Whether a word or phrase is confirmed by [`super::confirm`]: one with a symbol, or any
/// under `--words`.
pub fn is_checked(literal: &str, words: bool) -> bool {
    words || has_symbol(literal)
}

/// The query and filters as one engine query: the text in `must`, the filters in `filter`
/// (which do not score).
pub fn to_engine(node: &Node, filters: &Filters, checked: Checked) -> Result<Value> {
    let text = node_json(node, checked, filters.words)?;
    let filter = filters_json(filters)?;
    if filter.is_empty() {
        return Ok(text);
    }
    Ok(json!({"bool": {"must": [text], "filter": filter}}))
}

/// A word or phrase as an exact substring of the field; one with a symbol as the phrase of
/// its letters, digits and characters (`3.5%` is `3 5`, as the documents hold it: their
/// text had the symbols made spaces, `engine_text`), or every article when it has none.
fn phrase(field: &str, literal: &str) -> Value {
    let text = normalize_literal(literal);
    if !has_symbol(&text) {
        return json!({"match_phrase": {field: {"query": text}}});
    }
    let spaced = engine_text(&text);
    let words: Vec<&str> = spaced.split_whitespace().collect();
    if words.is_empty() {
        return json!({"match_all": {}});
    }
    json!({"match_phrase": {field: {"query": words.join(" ")}}})
}

/// A word or phrase: exact on the engine, or (when [`is_checked`]) its candidates, then
/// those and the ids confirmed.
fn literal_json(field: &str, literal: &str, clause: Clause, checked: Checked) -> Result<Value> {
    let candidates = phrase(field, literal);
    match checked {
        Checked::Candidates => Ok(candidates),
        Checked::Confirmed(confirmed) => with_ids(candidates, confirmed, &clause),
    }
}

/// The candidates of a clause, and of those the ids confirmed.
fn with_ids(candidates: Value, confirmed: &Confirmed, clause: &Clause) -> Result<Value> {
    let ids = confirmed.get(clause).ok_or_else(|| {
        Error::Internal(format!(
            "{clause:?} was not checked before the query was sent"
        ))
    })?;
    Ok(json!({"bool": {"must": [candidates], "filter": [{"terms": {"id": ids}}]}}))
}

/// Every word of a proximity clause, anywhere: its candidates.
pub fn words_of(terms: &[String]) -> Node {
    Node::And(terms.iter().map(|t| Node::Literal(t.clone())).collect())
}

fn node_json(node: &Node, checked: Checked, words: bool) -> Result<Value> {
    let json_of = |n: &Node| node_json(n, checked, words);
    Ok(match node {
        Node::All => json!({"match_all": {}}),
        Node::Literal(l) | Node::Title(l) => {
            let title = matches!(node, Node::Title(_));
            let field = if title { "title_norm" } else { "text_norm" };
            if is_checked(l, words) {
                let clause = Clause::Literal {
                    text: l.clone(),
                    title,
                };
                literal_json(field, l, clause, checked)?
            } else {
                phrase(field, l)
            }
        }
        Node::Facet { facet, values } => {
            json!({"terms": {filter_field(facet.field): values}})
        }
        Node::Near { terms, within } => {
            // Its words' own checks are part of its confirmation: their candidates here.
            let candidates = node_json(&words_of(terms), Checked::Candidates, words)?;
            match checked {
                Checked::Candidates => candidates,
                Checked::Confirmed(confirmed) => {
                    with_ids(candidates, confirmed, &Clause::Near(terms.clone(), *within))?
                }
            }
        }
        Node::And(children) => {
            let mut must = Vec::new();
            let mut must_not = Vec::new();
            for c in children {
                match c {
                    Node::Not(inner) => must_not.push(json_of(inner)?),
                    other => must.push(json_of(other)?),
                }
            }
            if must.is_empty() {
                must.push(json!({"match_all": {}}));
            }
            json!({"bool": {"must": must, "must_not": must_not}})
        }
        Node::Or(children) => json!({"bool": {
            "should": children.iter().map(json_of).collect::<Result<Vec<_>>>()?,
            "minimum_should_match": 1,
        }}),
        Node::Not(inner) => json!({"bool": {
            "must": [{"match_all": {}}],
            "must_not": [json_of(inner)?],
        }}),
    })
}

/// The filter clauses: one `terms` per facet with values (any value), and the date range.
pub fn filters_json(filters: &Filters) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for (field, resolved) in filters.resolved()? {
        out.push(json!({"terms": {filter_field(field): resolved}}));
    }
    let (from, to) = filters.date_range()?;
    if from.is_some() || to.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(f) = from {
            range.insert("gte".into(), json!(f.to_string()));
        }
        if let Some(t) = to {
            range.insert("lte".into(), json!(t.to_string()));
        }
        out.push(json!({"range": {"date": range}}));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    fn engine_query(q: &str) -> Result<Value> {
        to_engine(&parse_query(q)?, &Filters::default(), Checked::Candidates)
    }

    #[test]
    fn words_phrases_fields_and_exclusions() {
        let q = engine_query("人民 -“共和國” title:經濟").unwrap();
        assert_eq!(
            q,
            json!({"bool": {
                "must": [
                    {"match_phrase": {"text_norm": {"query": "人民"}}},
                    {"match_phrase": {"title_norm": {"query": "经济"}}}
                ],
                "must_not": [{"match_phrase": {"text_norm": {"query": "共和国"}}}]
            }})
        );
        let q = engine_query("GDP OR 国内生产总值").unwrap();
        assert_eq!(
            q["bool"]["should"][0]["match_phrase"]["text_norm"]["query"],
            "gdp"
        );
    }

    #[test]
    fn places_match_their_stored_paths_and_everything_under_them() {
        let mut filters = Filters::default();
        let province = crate::facets::value_filter("province").unwrap();
        filters.values.get_mut(province).push("廣東省".into());
        filters.from = Some("1998-01".into());
        let q = to_engine(&Node::All, &filters, Checked::Candidates).unwrap();
        assert_eq!(
            q["bool"]["filter"][0],
            json!({"terms": {"filter.region": ["广东"]}})
        );
        assert_eq!(q["bool"]["filter"][1]["range"]["date"]["gte"], "1998-01-01");
    }

    #[test]
    fn proximity_is_its_candidates_then_the_confirmed_ids() {
        let node = parse_query("\"低空 經濟\"~5 -深圳").unwrap();
        let every_word = json!({"bool": {
            "must": [
                {"match_phrase": {"text_norm": {"query": "低空"}}},
                {"match_phrase": {"text_norm": {"query": "经济"}}}
            ],
            "must_not": []
        }});
        let q = to_engine(&node, &Filters::default(), Checked::Candidates).unwrap();
        assert_eq!(q["bool"]["must"][0], every_word);
        assert_eq!(
            q["bool"]["must_not"][0]["match_phrase"]["text_norm"]["query"],
            "深圳"
        );

        let mut confirmed = Confirmed::new();
        let terms = vec!["低空".to_string(), "經濟".to_string()];
        confirmed.insert(Clause::Near(terms, 5), vec!["rmrb/1.txt#2".into()]);
        let q = to_engine(&node, &Filters::default(), Checked::Confirmed(&confirmed)).unwrap();
        assert_eq!(
            q["bool"]["must"][0],
            json!({"bool": {
                "must": [every_word],
                "filter": [{"terms": {"id": ["rmrb/1.txt#2"]}}]
            }})
        );
        // Another distance was not measured: a failure of ours, not the user's query.
        let other = parse_query("\"低空 經濟\"~6").unwrap();
        let e = to_engine(&other, &Filters::default(), Checked::Confirmed(&confirmed)).unwrap_err();
        assert!(!e.is_user_error(), "{e}");
    }

    #[test]
    fn a_symbol_is_the_phrase_of_the_rest_then_the_confirmed_ids() {
        let q = engine_query("3.5% 增长").unwrap();
        assert_eq!(
            q["bool"]["must"][0],
            json!({"match_phrase": {"text_norm": {"query": "3 5"}}})
        );
        let q = engine_query("title:%").unwrap();
        assert_eq!(q, json!({"match_all": {}}));

        let node = parse_query("增长 -１／３").unwrap();
        let mut confirmed = Confirmed::new();
        let clause = Clause::Literal {
            text: "１／３".into(),
            title: false,
        };
        confirmed.insert(clause, vec!["rmrb/1.txt#2".into()]);
        let q = to_engine(&node, &Filters::default(), Checked::Confirmed(&confirmed)).unwrap();
        assert_eq!(
            q["bool"]["must_not"][0],
            json!({"bool": {
                "must": [{"match_phrase": {"text_norm": {"query": "1 3"}}}],
                "filter": [{"terms": {"id": ["rmrb/1.txt#2"]}}]
            }})
        );
        // 增长 needs no check, so it was not confirmed and is matched as it is.
        assert_eq!(
            q["bool"]["must"][0]["match_phrase"]["text_norm"]["query"],
            "增长"
        );
    }

    #[test]
    fn under_words_every_word_is_its_substring_then_the_confirmed_ids() {
        let mut filters = Filters {
            words: true,
            ..Filters::default()
        };
        let node = parse_query("台风").unwrap();
        let q = to_engine(&node, &filters, Checked::Candidates).unwrap();
        assert_eq!(q, json!({"match_phrase": {"text_norm": {"query": "台风"}}}));
        let e = to_engine(&node, &filters, Checked::Confirmed(&Confirmed::new())).unwrap_err();
        assert!(!e.is_user_error(), "{e}");
        filters.words = false;
        assert!(to_engine(&node, &filters, Checked::Confirmed(&Confirmed::new())).is_ok());
    }
}
