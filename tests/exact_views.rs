//! The two exact views an index can keep (`index --exact-view positions|doc-ids`) answer
//! every kind of query alike: the same totals and the same facet counts, for phrases,
//! single characters (a prefix of the view's tokens), Latin words and kept symbols,
//! `title:`, proximity, OR and NOT, and under `--words`. The doc-ids view confirms its
//! candidates in the stored text where the other reads positions, so any difference is a
//! fault of one of them. The corpus is `../shared/corpus/web-dev` (real pages of many sites).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const QUERIES: &[&str] = &[
    "低空经济",
    "\"人工智能\"",
    "国",
    "台",
    "5G",
    "3.5%",
    "iPhone",
    "2024年",
    "title:经济",
    "title:人工智能",
    "深圳 NEAR/10 经济",
    "\"低空 经济\"~5",
    "经济 OR 金融",
    "中国 -美国",
    "(经济 OR 金融) 深圳",
    "习近平",
    "粤港澳大湾区",
    "\"一带一路\"倡议",
    "新华社",
    "记者",
];

/// Total and facet counts of one query, as `query --json` gives them.
fn answer(index: &Path, query: &str, words: bool) -> (u64, Value) {
    let mut args = vec![query, "--limit", "0"];
    if words {
        args.push("--words");
    }
    let v = query_json(index, &args);
    (total(&v), v["facets"].clone())
}

#[test]
fn both_views_count_every_kind_of_query_alike() {
    let Some(corpus) = shared_corpus("web-dev") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let [positions, doc_ids]: [PathBuf; 2] = ["positions", "doc-ids"].map(|view| {
        let index = tmp.path().join(view);
        build_with(&corpus, &index, &["--exact-view", view]);
        index
    });
    let mut differ = Vec::new();
    let mut found = 0;
    for &query in QUERIES {
        for words in [false, true] {
            let want = answer(&positions, query, words);
            let got = answer(&doc_ids, query, words);
            found += usize::from(want.0 > 0);
            if got != want {
                differ.push(format!(
                    "{query} (words: {words}): {} with positions, {} as doc ids",
                    want.0, got.0
                ));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "the views differ:\n{}",
        differ.join("\n")
    );
    // Worth something only if the queries find things.
    assert!(found >= 30, "only {found} of the answers find anything");
}
