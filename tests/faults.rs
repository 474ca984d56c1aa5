//! Nothing lost, nothing broken: an indexer killed midway leaves the last good index
//! queryable; queries run while an index is rebuilt; a second indexer is told the index is
//! locked; damaged, foreign and old indexes get advice; oversized requests are refused.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// A corpus big enough that indexing it takes a few seconds: the seeds, many times over.
fn big_corpus(dir: &Path, copies: usize) {
    let seeds: Vec<_> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for i in 0..copies {
        let sub = dir.join(format!("copy-{i:04}"));
        std::fs::create_dir_all(&sub).unwrap();
        for s in &seeds {
            std::fs::copy(s, sub.join(s.file_name().unwrap())).unwrap();
        }
    }
}

/// Waits until the running build has taken the lock and started a new generation.
fn wait_for_build_to_start(index: &Path, generations_before: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if generations(index) > generations_before {
            return;
        }
        assert!(Instant::now() < deadline, "the build never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_killed_build_leaves_the_last_good_index_and_a_rerun_completes() {
    let small = tempfile::tempdir().unwrap();
    big_corpus(small.path(), 1);
    let big = tempfile::tempdir().unwrap();
    big_corpus(big.path(), 150);
    let index = tempfile::tempdir().unwrap();
    build(small.path(), index.path());
    let before = total(&query_json(index.path(), &["低空经济"]));
    assert_eq!(before, 4);

    // Start a rebuild from the big corpus; while it runs, the old index answers queries and
    // a second indexer is turned away.
    let mut child = spawn_index(big.path(), index.path());
    wait_for_build_to_start(index.path(), 1);
    let during = total(&query_json(index.path(), &["低空经济"]));
    assert_eq!(
        during, before,
        "a query during the rebuild sees the old index"
    );
    let second = bin()
        .args(["index", "--corpus"])
        .arg(small.path())
        .arg("--index")
        .arg(index.path())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("is locked"), "{err}");

    // kill -9 midway.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the build was still running when killed");
    let after_kill = total(&query_json(index.path(), &["低空经济"]));
    assert_eq!(after_kill, before, "the last good index is still there");

    // A rerun (the lock died with the process) completes and is swapped in.
    build(big.path(), index.path());
    let rebuilt = total(&query_json(index.path(), &["低空经济"]));
    assert_eq!(rebuilt, before * 150);
    // Leftovers of the killed build are gone: one generation remains.
    assert_eq!(generations(index.path()), 1);
}

fn query_error(index: &Path) -> (Option<i32>, String) {
    let out = bin()
        .args(["query", "低空经济", "--index"])
        .arg(index)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn damaged_foreign_and_old_indexes_get_advice_not_a_panic() {
    let corpus = tempfile::tempdir().unwrap();
    big_corpus(corpus.path(), 1);

    // A folder that is not an index at all.
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("notes.txt"), "my notes").unwrap();
    let (code, err) = query_error(foreign.path());
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("corpus-search index"), "{err}");

    // CURRENT pointing nowhere.
    let idx = tempfile::tempdir().unwrap();
    build(corpus.path(), idx.path());
    std::fs::write(idx.path().join("CURRENT"), "gen-999999\n").unwrap();
    let (code, err) = query_error(idx.path());
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("corpus-search index"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // An index from another format version.
    let idx = tempfile::tempdir().unwrap();
    build(corpus.path(), idx.path());
    let current = std::fs::read_to_string(idx.path().join("CURRENT")).unwrap();
    let meta_path = idx.path().join(current.trim()).join("corpus-search.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&meta).unwrap();
    v["format"] = serde_json::json!(999);
    std::fs::write(&meta_path, v.to_string()).unwrap();
    let (code, err) = query_error(idx.path());
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("format 999"), "{err}");
    assert!(err.contains("corpus-search index"), "{err}");

    // Damaged tantivy files.
    let idx = tempfile::tempdir().unwrap();
    build(corpus.path(), idx.path());
    let current = std::fs::read_to_string(idx.path().join("CURRENT")).unwrap();
    let generation = idx.path().join(current.trim());
    std::fs::write(generation.join("meta.json"), "{ not json").unwrap();
    let (code, err) = query_error(idx.path());
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("corpus-search index"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn an_index_is_not_built_over_a_folder_of_other_files() {
    let corpus = tempfile::tempdir().unwrap();
    big_corpus(corpus.path(), 1);
    let not_an_index = tempfile::tempdir().unwrap();
    std::fs::write(not_an_index.path().join("thesis.docx"), "important").unwrap();
    let out = bin()
        .args(["index", "--corpus"])
        .arg(corpus.path())
        .arg("--index")
        .arg(not_an_index.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(not_an_index.path().join("thesis.docx").exists());
}

#[test]
fn oversized_requests_are_refused_with_advice() {
    let index = seeds_index();
    let many_terms = (0..10_000)
        .map(|i| format!("词{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    // Under the 5,000 characters a query may have, over its 1,024 words.
    let short_terms = (0..2_000)
        .map(|i| format!("{}", i % 10))
        .collect::<Vec<_>>()
        .join(" ");
    let deep = format!("{}低空经济", "(".repeat(1_000));
    for (args, hint) in [
        (vec!["query", many_terms.as_str()], "shorten"),
        (vec!["query", short_terms.as_str()], "at most 1024"),
        (vec!["query", deep.as_str()], "nests parentheses"),
        (vec!["query", "低空经济", "--limit", "1000000"], "--offset"),
    ] {
        let out = bin()
            .args(&args)
            .arg("--index")
            .arg(index)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{:?}", &args[..1]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(hint), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_huge_file_is_skipped_without_reading_it() {
    let corpus = tempfile::tempdir().unwrap();
    big_corpus(corpus.path(), 1);
    // 1 GB, sparse: costs no disk; the size limit stops it before any byte is read.
    let huge = std::fs::File::create(corpus.path().join("huge.txt")).unwrap();
    huge.set_len(1 << 30).unwrap();
    drop(huge);
    let index = tempfile::tempdir().unwrap();
    let stderr = build(corpus.path(), index.path());
    assert!(stderr.contains("huge.txt"), "{stderr}");
    assert!(stderr.contains("skipped 1 file"), "{stderr}");
    assert_eq!(total(&query_json(index.path(), &["低空经济"])), 4);
}
