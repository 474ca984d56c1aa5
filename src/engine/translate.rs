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
//! Proximity (`"a b"~5`, `NEAR/5`) counts characters, which the engine's positions do not
//! measure, so a proximity clause is translated twice ([`Proximity`]): first as its
//! candidates (every word required: more articles than match), which [`super::near`] reads
//! and measures; then as those candidates and the ids it confirmed.
//!
//! What cannot be translated exactly is refused, naming the limit, instead of answering
//! with another count: the symbols our character view keeps as tokens (`+ % . # & / - @ $
//! * = ~ _`), which the engine's tokenizer drops.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::document::filter_field;
use crate::search::query::normalize_literal;
use crate::search::{Filters, Node};
use crate::text::tokenize::{char_tokens, CharTokenKind};
use crate::{Code, Error, Result};

/// The articles that hold each proximity clause, by its words (as typed) and distance.
pub type Confirmed = HashMap<(Vec<String>, usize), Vec<String>>;

/// What a proximity clause becomes in the engine's query.
#[derive(Clone, Copy)]
pub enum Proximity<'a> {
    /// Its candidates: the articles that hold every word, anywhere.
    Candidates,
    /// Its candidates that [`super::near`] measured and confirmed, by id; the words are
    /// still matched, so they rank the hits as the candidates' words do.
    Confirmed(&'a Confirmed),
}

/// The query and filters as one engine query: the text in `must`, the filters in `filter`
/// (which do not score).
pub fn to_engine(node: &Node, filters: &Filters, proximity: Proximity) -> Result<Value> {
    if filters.words {
        // Whole words need each candidate cut by jieba again (`search::query`).
        return Err(Error::query(
            Code::NotOnCluster,
            "--words is not done yet with --engine; leave it out, or search the embedded index",
        ));
    }
    let text = node_json(node, proximity)?;
    let filter = filters_json(filters)?;
    if filter.is_empty() {
        return Ok(text);
    }
    Ok(json!({"bool": {"must": [text], "filter": filter}}))
}

fn phrase(field: &str, literal: &str) -> Result<Value> {
    let text = normalize_literal(literal);
    if let Some(symbol) = char_tokens(&text)
        .iter()
        .find(|t| t.kind == CharTokenKind::Symbol)
    {
        return Err(Error::query(Code::NotOnCluster, format!(
            "`{literal}` holds `{}`, a symbol the embedded index matches and the cluster's tokenizer drops, so the cluster would count more articles; leave the symbol out (e.g. `{}`), or search the embedded index (without --engine)",
            symbol.text,
            text.replace(symbol.text.as_str(), " ").split_whitespace().collect::<Vec<_>>().join(" ")
        )));
    }
    Ok(json!({"match_phrase": {field: {"query": text}}}))
}

/// Every word of a proximity clause, anywhere: its candidates.
pub fn words_of(terms: &[String]) -> Node {
    Node::And(terms.iter().map(|t| Node::Literal(t.clone())).collect())
}

fn node_json(node: &Node, proximity: Proximity) -> Result<Value> {
    let json_of = |n: &Node| node_json(n, proximity);
    Ok(match node {
        Node::All => json!({"match_all": {}}),
        Node::Literal(l) => phrase("text_norm", l)?,
        Node::Title(l) => phrase("title_norm", l)?,
        Node::Facet { facet, values } => {
            json!({"terms": {filter_field(facet.field): values}})
        }
        Node::Near { terms, within } => {
            let candidates = json_of(&words_of(terms))?;
            match proximity {
                Proximity::Candidates => candidates,
                Proximity::Confirmed(confirmed) => {
                    let ids = confirmed.get(&(terms.clone(), *within)).ok_or_else(|| {
                        Error::Internal(format!(
                            "the proximity of `{}` was not measured before the query was sent",
                            terms.join(" ")
                        ))
                    })?;
                    json!({"bool": {"must": [candidates], "filter": [{"terms": {"id": ids}}]}})
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
        to_engine(&parse_query(q)?, &Filters::default(), Proximity::Candidates)
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
        let q = to_engine(&Node::All, &filters, Proximity::Candidates).unwrap();
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
        let q = to_engine(&node, &Filters::default(), Proximity::Candidates).unwrap();
        assert_eq!(q["bool"]["must"][0], every_word);
        assert_eq!(
            q["bool"]["must_not"][0]["match_phrase"]["text_norm"]["query"],
            "深圳"
        );

        let mut confirmed = Confirmed::new();
        let terms = vec!["低空".to_string(), "經濟".to_string()];
        confirmed.insert((terms, 5), vec!["rmrb/1.txt#2".into()]);
        let q = to_engine(&node, &Filters::default(), Proximity::Confirmed(&confirmed)).unwrap();
        assert_eq!(
            q["bool"]["must"][0],
            json!({"bool": {
                "must": [every_word],
                "filter": [{"terms": {"id": ["rmrb/1.txt#2"]}}]
            }})
        );
        // Another distance was not measured: a failure of ours, not the user's query.
        let other = parse_query("\"低空 經濟\"~6").unwrap();
        let e = to_engine(
            &other,
            &Filters::default(),
            Proximity::Confirmed(&confirmed),
        )
        .unwrap_err();
        assert!(!e.is_user_error(), "{e}");
    }

    #[test]
    fn what_cannot_be_exact_is_refused_with_the_reason() {
        let e = engine_query("3.5%").unwrap_err();
        assert!(e.is_user_error() && e.to_string().contains("symbol"), "{e}");
        let e = engine_query("\"3.5% 增长\"~5").unwrap_err();
        assert!(e.is_user_error() && e.to_string().contains("symbol"), "{e}");
    }
}
