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
    let stderr = build(&corpus, &index);
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

/// The bad inputs of a real archive, all in one corpus next to one good article: each gets
/// one line on stderr, the good article is indexed, the summary counts them.
#[test]
fn every_kind_of_bad_file_gets_one_line_and_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("sub")).unwrap();
    fs::write(corpus.join("good.txt"), ARTICLE).unwrap();
    // A 200 MB file (sparse: no disk used; it is refused by size before it is read).
    let big = fs::File::create(corpus.join("dump.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    drop(big);
    // A directory symlink loop.
    std::os::unix::fs::symlink(&corpus, corpus.join("sub/loop")).unwrap();
    // Invalid UTF-8 sequences in otherwise good text: decoded, flagged, indexed.
    let mut broken =
        "北京冬奥会场馆赛后利用\n2024-02-20 来源:新华社\n北京冬奥会场馆赛后利用率持续提升,"
            .as_bytes()
            .to_vec();
    broken.extend_from_slice(&[0xFF, 0xFE, 0xC3]);
    broken.extend_from_slice("首钢滑雪大跳台成为城市新地标。\n".as_bytes());
    fs::write(corpus.join("broken-bytes.txt"), broken).unwrap();
    // An unreadable file (root reads it anyway; then it is simply indexed).
    fs::write(corpus.join("locked.txt"), ARTICLE.replace("深圳", "广州")).unwrap();
    let locked = corpus.join("locked.txt");
    let mut perms = fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o000);
    fs::set_permissions(&locked, perms).unwrap();
    let privileged = fs::read(&locked).is_ok();

    let index = dir.path().join("index");
    let stderr = build(&corpus, &index);
    let line_of = |name: &str| {
        stderr
            .lines()
            .filter(|l| l.starts_with(name))
            .collect::<Vec<_>>()
    };
    assert_eq!(line_of("dump.txt").len(), 1, "{stderr}");
    assert!(line_of("dump.txt")[0].contains("larger than"), "{stderr}");
    assert_eq!(line_of("sub/loop").len(), 1, "{stderr}");
    assert_eq!(line_of("broken-bytes.txt").len(), 1, "{stderr}");
    assert!(
        line_of("broken-bytes.txt")[0].contains("replaced"),
        "{stderr}"
    );
    let skipped = if privileged {
        2
    } else {
        assert_eq!(line_of("locked.txt").len(), 1, "{stderr}");
        3
    };
    assert!(
        stderr.contains(&format!("skipped {skipped} files")),
        "{stderr}"
    );
    assert!(
        stderr.contains("decoded with invalid bytes replaced"),
        "{stderr}"
    );
    assert_eq!(
        total(&query_json(&index, &["低空经济"])),
        if privileged { 2 } else { 1 }
    );
    assert_eq!(total(&query_json(&index, &["首钢滑雪大跳台"])), 1);

    // With --follow the loop is still not walked twice.
    let stderr = build_with(&corpus, &index, &["--follow"]);
    assert!(stderr.contains("loop"), "{stderr}");
}

/// Nothing outside the corpus folder is read: a link to a file outside is reported and left
/// out, with or without --follow; paths are printed relative to the corpus.
#[test]
fn links_that_leave_the_corpus_are_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    fs::write(corpus.join("good.txt"), ARTICLE).unwrap();
    let secret = dir.path().join("secret.txt");
    fs::write(&secret, ARTICLE.replace("深圳", "珠海机密")).unwrap();
    std::os::unix::fs::symlink(&secret, corpus.join("leak.txt")).unwrap();
    let index = dir.path().join("index");
    for follow in [false, true] {
        let flags: &[&str] = if follow { &["--follow"] } else { &[] };
        let stderr = build_with(&corpus, &index, flags);
        let line = stderr
            .lines()
            .find(|l| l.starts_with("leak.txt"))
            .unwrap_or_else(|| panic!("the link is reported by its corpus path: {stderr}"));
        assert!(
            line.contains(if follow { "outside" } else { "not followed" }),
            "{line}"
        );
        assert_eq!(total(&query_json(&index, &["珠海机密"])), 0);
        assert_eq!(total(&query_json(&index, &["低空经济"])), 1);
    }
}
