//! `export --for opensearch|quickwit`: documents and index descriptions another engine loads.
//! No such engine runs here, so the tests check what the engines would be given: every match
//! once, with our id; no field the mapping does not describe (OpenSearch's mapping is
//! strict); the normalised text that makes a phrase query an exact substring match (the
//! counts of a substring over it equal `query`'s totals); and the facet fields that give
//! `facets`' counts.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use common::*;
use serde_json::Value;

fn export_for(engine: &str, query: &str, dir: &Path) {
    let out = bin()
        .args(["export", query, "--for", engine, "--out"])
        .arg(dir)
        .arg("--index")
        .arg(seeds_index())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Documents whose normalised text holds `word`: what match_phrase would count.
fn holding(docs: &[Value], word: &str) -> u64 {
    let w = corpus_search::text::normalize::normalize_str(word);
    docs.iter()
        .filter(|d| {
            d["text_norm"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t.as_str().unwrap().contains(&w))
        })
        .count() as u64
}

#[test]
fn opensearch_gets_every_match_with_a_strict_mapping() {
    let dir = tempfile::tempdir().unwrap();
    export_for("opensearch", "", dir.path());
    let template: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("index-template.json")).unwrap(),
    )
    .unwrap();
    let mapping = &template["template"]["mappings"];
    assert_eq!(mapping["dynamic"], "strict");
    let described: HashSet<&str> = mapping["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let analysis = &template["template"]["settings"]["analysis"];
    let filters = analysis["analyzer"]["corpus_exact"]["filter"]
        .as_array()
        .unwrap();
    assert_eq!(filters.len(), 3);
    assert_eq!(analysis["filter"]["corpus_bigrams"]["type"], "cjk_bigram");
    assert_eq!(
        analysis["filter"]["corpus_bigrams"]["output_unigrams"],
        true
    );

    let bulk = lines(&dir.path().join("bulk.ndjson"));
    let all = query_json(seeds_index(), &["", "--limit", "1000"]);
    assert_eq!(bulk.len() as u64, 2 * total(&all));
    let mut ids = HashSet::new();
    let mut docs = Vec::new();
    for pair in bulk.chunks(2) {
        let (action, doc) = (&pair[0], &pair[1]);
        assert_eq!(action["create"]["_index"], "corpus-search");
        assert_eq!(action["create"]["_id"], doc["id"]);
        assert!(ids.insert(doc["id"].as_str().unwrap().to_string()));
        for key in doc.as_object().unwrap().keys() {
            assert!(
                described.contains(key.as_str()),
                "{key} is not in the mapping"
            );
        }
        if let Some(d) = doc["date"].as_str() {
            assert_eq!(d.len(), 10, "{d}");
        }
        docs.push(doc.clone());
    }
    // A phrase over the normalised text counts what `query` counts.
    for word in ["低空经济", "深圳", "人工智能", "AI", "新质生产力", "5G"] {
        assert_eq!(
            holding(&docs, word),
            total(&query_json(seeds_index(), &[word])),
            "{word}"
        );
    }
    // Each document carries its story, and the distinct stories are `query`'s.
    let stories: HashSet<&str> = docs.iter().map(|d| d["story"].as_str().unwrap()).collect();
    assert_eq!(stories.len() as u64, all["stories"].as_u64().unwrap());
    // Terms aggregations over the facet fields count what `facets` counts.
    for (by, key) in [
        ("province", "provinces"),
        ("source", "source"),
        ("month", "month"),
        ("year", "year"),
    ] {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for d in &docs {
            match &d[key] {
                Value::Array(values) => values
                    .iter()
                    .for_each(|v| *counts.entry(v.as_str().unwrap().into()).or_default() += 1),
                Value::String(v) => *counts.entry(v.clone()).or_default() += 1,
                _ => {}
            }
        }
        let want: BTreeMap<String, u64> = facets_json(seeds_index(), &["", "--by", by])["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["value"] != "(none)")
            .map(|r| {
                (
                    r["value"].as_str().unwrap().to_string(),
                    r["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(counts, want, "by {by}");
    }
}

#[test]
fn quickwit_gets_every_match_and_a_config_that_names_each_field() {
    let dir = tempfile::tempdir().unwrap();
    export_for("quickwit", "经济", dir.path());
    let config = std::fs::read_to_string(dir.path().join("index-config.yaml")).unwrap();
    let named: HashSet<&str> = config
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- name: "))
        .collect();
    assert!(config.contains("timestamp_field: date"));
    assert!(config.contains("tokenizer: chinese_compatible"));
    let docs = lines(&dir.path().join("docs.ndjson"));
    assert_eq!(
        docs.len() as u64,
        total(&query_json(seeds_index(), &["经济"]))
    );
    for d in &docs {
        for key in d.as_object().unwrap().keys() {
            assert!(named.contains(key.as_str()), "{key} is not in the config");
        }
    }
    assert_eq!(holding(&docs, "经济"), docs.len() as u64);
}

#[test]
fn an_unknown_engine_or_a_missing_folder_gets_advice() {
    let out = bin()
        .args(["export", "", "--for", "solr", "--out", "/tmp/x", "--index"])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--for opensearch"));
    let out = bin()
        .args(["export", "", "--for", "quickwit", "--index"])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
}
