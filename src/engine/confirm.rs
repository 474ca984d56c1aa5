//! Proximity on the cluster: `"低空 经济"~5` and `深圳 NEAR/10 低空经济` count the
//! characters between the words, and the engine counts token positions, which cannot
//! measure them. So the cluster narrows the search down and this machine measures, as the
//! embedded index does with its own candidates (`search::near`):
//!
//! ```text
//! query -> candidates: every word of each proximity clause required (more than match)
//!       -> read every candidate's title and body (search_after, in id order)
//!       -> measured by search::near::Check, the embedded index's own check
//!       -> the query again, each clause now its candidates' words and the confirmed ids
//! ```
//!
//! Everything after that (totals, facet and story counts, `--collapse`, the page of hits,
//! `export`, `kwic`) is the engine answering the second query, so it counts the confirmed
//! matches exactly, by the same code as any other query.
//!
//! The cost is the reading: every candidate's text crosses the network once per search.
//! A clause every match must hold is narrowed by the rest of the query and the filters (the
//! other words, `province:`, `--month`, `--source` ...), so `"低空 经济"~5 --province 广东`
//! reads only the articles of 广东 that hold both words. One inside `OR` or `-` is narrowed
//! by the filters alone. Past [`MOST_CANDIDATES`] the search is refused with advice rather
//! than answered inexactly.

use serde_json::{json, Value};

use super::read::{article_of, each_hit};
use super::translate::{to_engine, words_of, Confirmed, Proximity};
use super::Engine;
use crate::search::near::Check;
use crate::search::{Filters, Node};
use crate::{Code, Error, Result};

/// The most candidates one search reads. Also below the engine's limit on the ids of one
/// `terms` query (`index.max_terms_count`, 65,536 by default), which the confirmed ids
/// are sent as.
pub const MOST_CANDIDATES: u64 = 50_000;

/// A proximity clause: its words as typed, and the distance.
type Clause = (Vec<String>, usize);

/// The query and filters as the engine's query, exact: each proximity clause measured
/// here first (see the module's text). A query without one is translated as it is.
pub fn exact_query(engine: &Engine, node: &Node, filters: &Filters) -> Result<Value> {
    let (mut required, mut optional) = (Vec::new(), Vec::new());
    clauses_of(node, true, &mut required, &mut optional);
    if required.is_empty() && optional.is_empty() {
        return to_engine(node, filters, Proximity::Candidates);
    }
    let mut confirmed = Confirmed::new();
    if !required.is_empty() {
        // Every match holds every word of these clauses and every part of the query
        // that has no proximity in it (those are matched exactly by the engine).
        let mut every: Vec<Node> = required.iter().map(|(t, _)| words_of(t)).collect();
        every.extend(
            conjuncts(node)
                .into_iter()
                .filter(|c| !has_near(c))
                .cloned(),
        );
        confirm(
            engine,
            &Node::And(every),
            filters,
            &required,
            &mut confirmed,
        )?;
    }
    optional.retain(|c| !confirmed.contains_key(c));
    for clause in optional {
        let candidates = words_of(&clause.0);
        confirm(engine, &candidates, filters, &[clause], &mut confirmed)?;
    }
    to_engine(node, filters, Proximity::Confirmed(&confirmed))
}

/// The proximity clauses of a query, each once: `required` when every match must hold it
/// (the query itself, or a part of an AND of such), `optional` when under OR or NOT.
fn clauses_of(node: &Node, must: bool, required: &mut Vec<Clause>, optional: &mut Vec<Clause>) {
    match node {
        Node::Near { terms, within } => {
            let clause = (terms.clone(), *within);
            let list = if must { required } else { optional };
            if !list.contains(&clause) {
                list.push(clause);
            }
        }
        Node::And(children) => {
            for c in children {
                clauses_of(c, must, required, optional);
            }
        }
        Node::Or(children) => {
            for c in children {
                clauses_of(c, false, required, optional);
            }
        }
        Node::Not(inner) => clauses_of(inner, false, required, optional),
        Node::All | Node::Literal(_) | Node::Title(_) | Node::Facet { .. } => {}
    }
}

/// The parts every match must satisfy: the query itself, or the parts of its AND (nested
/// ANDs opened too); an exclusion is one such part.
fn conjuncts(node: &Node) -> Vec<&Node> {
    match node {
        Node::And(children) => children
            .iter()
            .flat_map(|c| match c {
                Node::And(_) => conjuncts(c),
                _ => vec![c],
            })
            .collect(),
        _ => vec![node],
    }
}

fn has_near(node: &Node) -> bool {
    match node {
        Node::Near { .. } => true,
        Node::And(children) | Node::Or(children) => children.iter().any(has_near),
        Node::Not(inner) => has_near(inner),
        Node::All | Node::Literal(_) | Node::Title(_) | Node::Facet { .. } => false,
    }
}

/// Reads the candidates (`candidates` under `filters`) once and keeps, for each clause,
/// the ids of those whose title or body holds it.
fn confirm(
    engine: &Engine,
    candidates: &Node,
    filters: &Filters,
    clauses: &[Clause],
    confirmed: &mut Confirmed,
) -> Result<()> {
    let query = to_engine(candidates, filters, Proximity::Candidates)?;
    let count = engine.count(&query)?;
    if count > MOST_CANDIDATES {
        return Err(too_many(&clauses[0], count));
    }
    let checks: Vec<Check> = clauses.iter().map(|(t, w)| Check::near(t, *w)).collect();
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); clauses.len()];
    if count > 0 {
        let body = json!({"query": query, "_source": ["id", "title", "text"]});
        each_hit(engine, body, &mut |hit| {
            let article = article_of(&hit["_source"]);
            for (check, ids) in checks.iter().zip(ids.iter_mut()) {
                // The title and the body each on its own, as the embedded index reads them.
                if check.holds(&article.title) || check.holds(&article.body) {
                    ids.push(article.id.clone());
                }
            }
            Ok(())
        })?;
    }
    for (clause, ids) in clauses.iter().zip(ids) {
        confirmed.insert(clause.clone(), ids);
    }
    Ok(())
}

/// The advice when a clause has more candidates than one search reads.
fn too_many((terms, within): &Clause, count: u64) -> Error {
    Error::query(
        Code::NotOnCluster,
        format!(
            "`{}` within {within} characters: on the cluster every article that holds all of these words is read and measured here, and {count} do, more than the {MOST_CANDIDATES} one search reads; narrow the search with a filter (e.g. --province 广东, --from 1998-01 --to 1998-03, --source 新华社) or another word every match must hold, or search the embedded index (without --engine)",
            terms.join(" ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    fn clauses(q: &str) -> (Vec<Clause>, Vec<Clause>) {
        let (mut required, mut optional) = (Vec::new(), Vec::new());
        clauses_of(&parse_query(q).unwrap(), true, &mut required, &mut optional);
        (required, optional)
    }

    fn clause(terms: &[&str], within: usize) -> Clause {
        (terms.iter().map(|t| t.to_string()).collect(), within)
    }

    #[test]
    fn a_clause_every_match_holds_is_narrowed_by_the_rest_of_the_query() {
        let (required, optional) = clauses("\"低空 经济\"~5 深圳 (无人机 OR 深圳 NEAR/3 航空)");
        assert_eq!(required, vec![clause(&["低空", "经济"], 5)]);
        assert_eq!(optional, vec![clause(&["深圳", "航空"], 3)]);
        let (required, optional) = clauses("香港 -\"亚洲 金融\"~2");
        assert!(required.is_empty());
        assert_eq!(optional, vec![clause(&["亚洲", "金融"], 2)]);

        // The parts without proximity narrow the candidates; an OR holding one cannot.
        let node = parse_query("\"低空 经济\"~5 深圳 -广州 (无人机 OR 深圳 NEAR/3 航空)").unwrap();
        let narrowing: Vec<&Node> = conjuncts(&node)
            .into_iter()
            .filter(|c| !has_near(c))
            .collect();
        assert_eq!(
            narrowing,
            vec![
                &Node::Literal("深圳".into()),
                &Node::Not(Box::new(Node::Literal("广州".into())))
            ]
        );
    }

    #[test]
    fn too_many_candidates_is_advice_with_the_count() {
        let e = too_many(&clause(&["人民", "日报"], 5), 123_456);
        assert!(e.is_user_error(), "{e}");
        let text = e.to_string();
        for part in [
            "人民 日报",
            "123456",
            "50000",
            "--province",
            "without --engine",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
    }
}
