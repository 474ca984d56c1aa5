//! What the engine cannot match exactly, confirmed here: the cluster narrows the search
//! down to candidates, this machine reads each candidate's title and text and checks it with
//! the embedded index's own check (`search::near::Check`), and the query is sent again with
//! the confirmed ids. Three kinds of clause need it ([`Clause`]):
//!
//! - proximity, `"低空 经济"~5` and `深圳 NEAR/10 低空经济`: the characters between the
//!   words, which the engine's token positions cannot measure. Candidates: every word.
//! - a word or phrase holding a symbol our character view keeps as a token (`3.5%`, `5G-A`,
//!   `1/3`: `+ % . # & / - @ $ * = ~ _`), which the engine's tokenizer drops. Candidates: its
//!   letters, digits and characters as a phrase (`3 5`); confirmed by the phrase of the
//!   character view ([`CharPhrase`]) in the title, the body or the searched lines that are
//!   not shown (stored as `extra`), as the embedded index's postings hold them.
//! - under `--words`, every word and phrase: only where it stands as a word of the jieba cut.
//!   Candidates: the query as substrings; confirmed by cutting the title and the body again
//!   (as the embedded index confirms its own candidates, `search::query`).
//!
//! ```text
//! query -> candidates: each clause every match must hold, as its candidates, and the
//!          rest of the query that needs no check (more articles than match)
//!       -> read every candidate's title, body and extra (search_after, in id order)
//!       -> checked by search::near::Check, the embedded index's own checks
//!       -> the query again, each clause now its candidates and the confirmed ids
//! ```
//!
//! Everything after that (totals, facet and story counts, `--collapse`, the page of hits,
//! `export`, `kwic`) is the engine answering the second query, so it counts the confirmed
//! matches exactly, by the same code as any other query.
//!
//! The cost is the reading: every candidate's text crosses the network once per search.
//! A clause every match must hold is narrowed by the rest of the query and the filters (the
//! other words, `province:`, `--month`, `--source` ...), so `"低空 经济"~5 --province 广东`
//! reads only the articles of 广东 that hold both words. One inside `OR` or `-` is read
//! once more, among the articles that hold what every match holds (`香港 -"亚洲 金融"~2`
//! reads the articles with 香港 that hold 亚洲 and 金融). Past [`MOST_CANDIDATES`] the search
//! is refused with advice rather than answered inexactly.

use serde_json::{json, Value};

use super::load::{document_version, DOCUMENT_VERSION};
use super::read::{article_of, each_hit};
use super::translate::{has_symbol, is_checked, to_engine, words_of, Checked, Confirmed};
use super::Engine;
use crate::search::near::Check;
use crate::search::query::{normalize_literal, CharPhrase};
use crate::search::snippet::Needles;
use crate::search::{Filters, Node};
use crate::text::tokenize::default_jieba;
use crate::{Code, Error, Result};

/// The most candidates one search reads. Also below the engine's limit on the ids of one
/// `terms` query (`index.max_terms_count`, 65,536 by default), which the confirmed ids
/// are sent as.
pub const MOST_CANDIDATES: u64 = 50_000;

/// A part of a query the engine can only narrow down, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Clause {
    /// Words within so many characters of each other.
    Near(Vec<String>, usize),
    /// A word or phrase holding a symbol, or any under `--words`; in the title only when
    /// `title` (`title:3.5%`).
    Literal { text: String, title: bool },
}

impl Clause {
    /// What the engine matches of the clause: its candidates, a query that every article
    /// holding the clause matches (translated with [`Checked::Candidates`]).
    fn candidates(&self) -> Node {
        match self {
            Clause::Near(terms, _) => words_of(terms),
            Clause::Literal { text, title: false } => Node::Literal(text.clone()),
            Clause::Literal { text, title: true } => Node::Title(text.clone()),
        }
    }
}

/// The texts of an article a check may pass in, each on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Texts {
    /// The title (`title:`).
    Title,
    /// The title or the body: what the embedded index stores and reads back.
    Stored,
    /// The title, the body or the searched lines not shown: what its character view holds.
    Indexed,
}

/// One check an article must pass, and where.
#[derive(Debug)]
struct Test {
    check: Check,
    texts: Texts,
}

impl Test {
    fn passes(&self, title: &str, body: &str, extra: &str) -> bool {
        let check = &self.check;
        match self.texts {
            Texts::Title => check.holds(title),
            Texts::Stored => check.holds(title) || check.holds(body),
            Texts::Indexed => {
                check.holds(title) || check.holds(body) || (!extra.is_empty() && check.holds(extra))
            }
        }
    }
}

/// What an article must pass to hold a clause, as the embedded index answers it
/// (`search::query`): proximity is measured in the title or the body, each of its words
/// checked as any word is; a word with a symbol is a phrase of the character view (in the
/// title alone under `title:`); under `--words` a word of the jieba cut of the title or
/// the body.
fn tests_of(clause: &Clause, words: bool) -> Vec<Test> {
    match clause {
        Clause::Near(terms, within) => {
            let mut tests = vec![Test {
                check: Check::near(terms, *within),
                texts: Texts::Stored,
            }];
            for t in terms {
                tests.extend(literal_tests(t, false, words));
            }
            tests
        }
        Clause::Literal { text, title } => literal_tests(text, *title, words),
    }
}

fn literal_tests(text: &str, title: bool, words: bool) -> Vec<Test> {
    let mut tests = Vec::new();
    if has_symbol(text) {
        tests.push(Test {
            check: Check::Chars(CharPhrase::of(text)),
            texts: if title { Texts::Title } else { Texts::Indexed },
        });
    }
    if words {
        tests.push(Test {
            check: Check::Words(Needles::new(
                vec![normalize_literal(text)],
                true,
                default_jieba(),
            )),
            texts: if title { Texts::Title } else { Texts::Stored },
        });
    }
    tests
}

/// The query and filters as the engine's query, exact: each clause the engine cannot
/// match checked here first (see the module's text). A query without one is translated
/// as it is.
pub fn exact_query(engine: &Engine, node: &Node, filters: &Filters) -> Result<Value> {
    let words = filters.words;
    let (mut required, mut optional) = (Vec::new(), Vec::new());
    clauses_of(node, true, words, &mut required, &mut optional);
    if required.is_empty() && optional.is_empty() {
        return to_engine(node, filters, Checked::Candidates);
    }
    // Every match holds the candidates of these clauses and every part of the query that
    // needs no check (those are matched exactly by the engine).
    let mut every: Vec<Node> = required.iter().map(Clause::candidates).collect();
    every.extend(
        conjuncts(node)
            .into_iter()
            .filter(|c| !has_checked(c, words))
            .cloned(),
    );
    let mut confirmed = Confirmed::new();
    if !required.is_empty() {
        confirm(
            engine,
            &Node::And(every.clone()),
            filters,
            &required,
            &mut confirmed,
        )?;
    }
    optional.retain(|c| !confirmed.contains_key(c));
    if !optional.is_empty() {
        // Only among the articles every match is one of: outside them the query is false
        // whatever these clauses hold.
        every.push(Node::Or(optional.iter().map(Clause::candidates).collect()));
        confirm(
            engine,
            &Node::And(every),
            filters,
            &optional,
            &mut confirmed,
        )?;
    }
    to_engine(node, filters, Checked::Confirmed(&confirmed))
}

/// The clauses of a query the engine cannot match exactly, each once: `required` when
/// every match must hold it (the query itself, or a part of an AND of such), `optional`
/// when under OR or NOT.
fn clauses_of(
    node: &Node,
    must: bool,
    words: bool,
    required: &mut Vec<Clause>,
    optional: &mut Vec<Clause>,
) {
    let clause = match node {
        Node::Near { terms, within } => Clause::Near(terms.clone(), *within),
        Node::Literal(l) | Node::Title(l) if is_checked(l, words) => Clause::Literal {
            text: l.clone(),
            title: matches!(node, Node::Title(_)),
        },
        Node::And(children) => {
            for c in children {
                clauses_of(c, must, words, required, optional);
            }
            return;
        }
        Node::Or(children) => {
            for c in children {
                clauses_of(c, false, words, required, optional);
            }
            return;
        }
        Node::Not(inner) => return clauses_of(inner, false, words, required, optional),
        Node::All | Node::Literal(_) | Node::Title(_) | Node::Facet { .. } => return,
    };
    let list = if must { required } else { optional };
    if !list.contains(&clause) {
        list.push(clause);
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

/// Whether a part of a query holds a clause to check.
fn has_checked(node: &Node, words: bool) -> bool {
    match node {
        Node::Near { .. } => true,
        Node::Literal(l) | Node::Title(l) => is_checked(l, words),
        Node::And(children) | Node::Or(children) => children.iter().any(|c| has_checked(c, words)),
        Node::Not(inner) => has_checked(inner, words),
        Node::All | Node::Facet { .. } => false,
    }
}

/// Reads the candidates (`candidates` under `filters`) once and keeps, for each clause,
/// the ids of those that pass its checks.
fn confirm(
    engine: &Engine,
    candidates: &Node,
    filters: &Filters,
    clauses: &[Clause],
    confirmed: &mut Confirmed,
) -> Result<()> {
    let query = to_engine(candidates, filters, Checked::Candidates)?;
    let count = engine.count(&query)?;
    if count > MOST_CANDIDATES {
        return Err(too_many(&clauses[0], filters.words, count));
    }
    let tests: Vec<Vec<Test>> = clauses.iter().map(|c| tests_of(c, filters.words)).collect();
    if tests.iter().flatten().any(|t| t.texts == Texts::Indexed) {
        check_extra_kept(engine)?;
    }
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); clauses.len()];
    if count > 0 {
        let body = json!({"query": query, "_source": ["id", "title", "text", "extra"]});
        each_hit(engine, body, &mut |hit| {
            let source = &hit["_source"];
            let article = article_of(source);
            let extra = source.get("extra").and_then(Value::as_str).unwrap_or("");
            for (tests, ids) in tests.iter().zip(ids.iter_mut()) {
                if tests
                    .iter()
                    .all(|t| t.passes(&article.title, &article.body, extra))
                {
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

/// A symbol is confirmed in the searched lines that are not shown too, which documents of
/// version 3 keep (`extra`): a cluster loaded before answers with fewer articles, so it is
/// refused until loaded again.
fn check_extra_kept(engine: &Engine) -> Result<()> {
    let version = document_version(engine)?;
    if (1..DOCUMENT_VERSION).contains(&version) {
        return Err(Error::query(
            Code::NotOnCluster,
            format!(
                "the cluster's documents were loaded by an older corpus-search (document version {version}), which did not keep the date and source lines a symbol is looked for in; load the corpus again (corpus-search index --corpus DIR --engine {engine}), or leave the symbol out"
            ),
        ));
    }
    Ok(())
}

/// The advice when a clause has more candidates than one search reads.
fn too_many(clause: &Clause, words: bool, count: u64) -> Error {
    let what = match clause {
        Clause::Near(terms, within) => format!(
            "`{}` within {within} characters: on the cluster every article that holds all of these words is read and measured here",
            terms.join(" ")
        ),
        Clause::Literal { text, .. } if has_symbol(text) => format!(
            "`{text}`: the cluster's tokenizer drops its symbols, so every article that holds its letters, digits and characters is read and checked here"
        ),
        Clause::Literal { text, .. } => format!(
            "`{text}`{}: on the cluster every article that holds it is read and cut into words here",
            if words { " as a whole word (--words)" } else { "" }
        ),
    };
    Error::query(
        Code::NotOnCluster,
        format!(
            "{what}, and {count} do, more than the {MOST_CANDIDATES} one search reads; narrow the search with a filter (e.g. --province 广东, --from 1998-01 --to 1998-03, --source 新华社) or another word every match must hold, or search the embedded index (without --engine)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    fn clauses(q: &str, words: bool) -> (Vec<Clause>, Vec<Clause>) {
        let (mut required, mut optional) = (Vec::new(), Vec::new());
        let node = parse_query(q).unwrap();
        clauses_of(&node, true, words, &mut required, &mut optional);
        (required, optional)
    }

    fn near(terms: &[&str], within: usize) -> Clause {
        Clause::Near(terms.iter().map(|t| t.to_string()).collect(), within)
    }

    fn literal(text: &str, title: bool) -> Clause {
        Clause::Literal {
            text: text.into(),
            title,
        }
    }

    #[test]
    fn a_clause_every_match_holds_is_narrowed_by_the_rest_of_the_query() {
        let (required, optional) =
            clauses("\"低空 经济\"~5 深圳 (无人机 OR 深圳 NEAR/3 航空)", false);
        assert_eq!(required, vec![near(&["低空", "经济"], 5)]);
        assert_eq!(optional, vec![near(&["深圳", "航空"], 3)]);
        let (required, optional) = clauses("香港 -\"亚洲 金融\"~2", false);
        assert!(required.is_empty());
        assert_eq!(optional, vec![near(&["亚洲", "金融"], 2)]);

        // The parts without a clause to check narrow the candidates; an OR holding one
        // cannot.
        let node = parse_query("\"低空 经济\"~5 深圳 -广州 (无人机 OR 深圳 NEAR/3 航空)").unwrap();
        let narrowing: Vec<&Node> = conjuncts(&node)
            .into_iter()
            .filter(|c| !has_checked(c, false))
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
    fn symbols_and_whole_words_are_clauses_to_check() {
        let (required, optional) = clauses("3.5% 增长 -title:5G-A (C++ OR 1/3)", false);
        assert_eq!(required, vec![literal("3.5%", false)]);
        assert_eq!(
            optional,
            vec![
                literal("5G-A", true),
                literal("C++", false),
                literal("1/3", false)
            ]
        );
        // Under --words every word is one, and proximity's words are checked with it.
        let (required, optional) = clauses("台风 \"亚洲 危机\"~3 -title:香港", true);
        assert_eq!(
            required,
            vec![literal("台风", false), near(&["亚洲", "危机"], 3)]
        );
        assert_eq!(optional, vec![literal("香港", true)]);
        let tests = tests_of(&near(&["3.5%", "增长"], 5), true);
        let kinds: Vec<String> = tests.iter().map(|t| format!("{:?}", t.check)).collect();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        assert!(kinds[0].starts_with("Near") && kinds[1].starts_with("Chars"));
    }

    #[test]
    fn a_symbol_is_found_where_the_character_view_has_it() {
        let tests = tests_of(&literal("3.5%", false), false);
        let passes = |title: &str, body: &str, extra: &str| {
            tests.iter().all(|t| t.passes(title, body, extra))
        };
        assert!(passes("", "增长３．５％，", ""));
        assert!(passes("", "", "2024-01-02 涨3.5%"));
        // 13.5% has the term 13, not 3; 3-5% has no `.`.
        assert!(!passes("增长13.5%", "3-5%", ""));
        // In the title alone under title:.
        let tests = tests_of(&literal("3.5%", true), false);
        assert!(!tests.iter().all(|t| t.passes("", "3.5%", "3.5%")));
        assert!(tests.iter().all(|t| t.passes("3.5%", "", "")));
    }

    #[test]
    fn too_many_candidates_is_advice_with_the_count() {
        let e = too_many(&near(&["人民", "日报"], 5), false, 123_456);
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
        let text = too_many(&literal("1/3", false), false, 60_000).to_string();
        assert!(text.contains("`1/3`") && text.contains("symbols"), "{text}");
        let text = too_many(&literal("经济", false), true, 60_000).to_string();
        assert!(text.contains("--words") && text.contains("60000"), "{text}");
    }
}
