//! Bad input gets a clear message and loses nothing else: broken files are reported and
//! skipped, the rest is indexed; a missing index or a broken query gets advice and exit 2.

mod common;

use std::fs;

use common::*;

const ARTICLE: &str = "深圳发展低空经济\n2024-03-14 来源:新华社\n深圳市发布低空经济产业实施方案,新增低空经济与空天产业集群。\n";

#[test]
fn broken_files_are_reported_and_the_rest_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    fs::write(corpus.join("good.txt"), ARTICLE).unwrap();
    fs::write(corpus.join("empty.txt"), "").unwrap();
    fs::write(
        corpus.join("image.png"),
        [0x89u8, b'P', b'N', b'G', 0, 0, 0, 0x0D, 0, 1, 2],
    )
    .unwrap();
    let index = dir.path().join("index");
    let out = bin()
        .args(["index", "--corpus"])
        .arg(&corpus)
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("empty.txt: skipped: empty file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("image.png: skipped: looks like a binary file"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped 2 files"), "{stderr}");
    assert!(stderr.contains("indexed 1 article from 1 file"), "{stderr}");
    let v = query_json(&index, &["低空经济"]);
    assert_eq!(total(&v), 1);
}

#[test]
fn a_missing_index_says_how_to_build_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["query", "低空经济", "--index", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no index at nowhere"), "{stderr}");
    assert!(stderr.contains("corpus-search index"), "{stderr}");
}

#[test]
fn query_builds_the_seed_index_first_when_there_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    fs::create_dir_all(&seeds).unwrap();
    fs::write(seeds.join("a.txt"), ARTICLE).unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["query", "低空经济"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("building it from seeds/ first"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 article match"));
    assert!(dir.path().join("index/CURRENT").exists());
}

#[test]
fn broken_queries_get_advice_and_exit_2() {
    for (query, advice) in [
        ("\"低空经济", "never closed"),
        ("(低空 OR", "OR needs a word"),
        ("深圳)", "has no `(`"),
    ] {
        let out = bin()
            .args(["query", query, "--index"])
            .arg(seeds_index())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{query}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(advice), "{query}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn unknown_province_lists_the_valid_names() {
    let out = bin()
        .args(["query", "低空经济", "--province", "广州省", "--index"])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown province `广州省`"), "{stderr}");
    assert!(stderr.contains("广东"), "{stderr}");
    assert!(stderr.contains("内蒙古"), "{stderr}");
}

#[test]
fn a_corpus_that_does_not_exist_is_a_user_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["index", "--corpus"])
        .arg(dir.path().join("missing"))
        .arg("--index")
        .arg(dir.path().join("idx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}
