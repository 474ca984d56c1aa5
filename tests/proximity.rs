//! Proximity: `"A B"~N` and `A NEAR/N B` count exactly the articles whose title or body holds
//! A and B with at most N characters between them (either order), checked against a brute
//! force over every article's text as `inspect` reads it.

mod common;

use std::path::Path;

use common::*;
use corpus_search::text::normalize::normalize_str;

/// The fewest characters between an occurrence of `a` and one of `b` in `text`.
fn min_gap(text: &str, a: &str, b: &str) -> Option<usize> {
    let t: Vec<char> = normalize_str(text).chars().collect();
    let find = |w: &str| -> Vec<usize> {
        let w: Vec<char> = normalize_str(w).chars().collect();
        (0..t.len().saturating_sub(w.len() - 1))
            .filter(|&i| t[i..].starts_with(&w))
            .collect()
    };
    let (la, lb) = (a.chars().count(), b.chars().count());
    let mut best: Option<usize> = None;
    for &i in &find(a) {
        for &j in &find(b) {
            // Overlapping occurrences are 0 apart.
            let gap = if i + la <= j {
                j - (i + la)
            } else {
                i.saturating_sub(j + lb)
            };
            best = Some(best.map_or(gap, |g| g.min(gap)));
        }
    }
    best
}

/// Title and body of every article of the corpus.
fn texts(corpus: &Path) -> Vec<(String, String)> {
    corpus_articles(corpus)
        .iter()
        .map(|a| (field(a, "title").to_string(), field(a, "body").to_string()))
        .collect()
}

fn brute(texts: &[(String, String)], a: &str, b: &str, within: usize) -> u64 {
    texts
        .iter()
        .filter(|(title, body)| {
            [title, body]
                .iter()
                .any(|t| min_gap(t, a, b).is_some_and(|g| g <= within))
        })
        .count() as u64
}

fn check(index: &Path, texts: &[(String, String)], a: &str, b: &str, within: usize) {
    let phrase = query_json(index, &[&format!("\"{a} {b}\"~{within}")]);
    let op = query_json(index, &[&format!("{a} NEAR/{within} {b}")]);
    let want = brute(texts, a, b, within);
    assert_eq!(total(&phrase), want, "\"{a} {b}\"~{within}");
    assert_eq!(total(&op), want, "{a} NEAR/{within} {b}");
    // Never more than the articles with both words.
    assert!(want <= total(&query_json(index, &[&format!("{a} {b}")])));
}

#[test]
fn proximity_is_exact_on_the_seeds() {
    let texts = texts(&seeds_dir());
    for (a, b, n) in [
        ("低空", "经济", 0),
        ("深圳", "低空经济", 10),
        ("人工智能", "产业", 5),
        ("新质", "生产力", 3),
        ("深圳", "人工智能", 40),
    ] {
        check(seeds_index(), &texts, a, b, n);
    }
}

#[test]
fn proximity_is_exact_on_a_real_corpus() {
    let Some(rmrb) = shared_corpus("rmrb-199801") else {
        return;
    };
    let index =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("near-rmrb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&index);
    build(&rmrb, &index);
    let texts = texts(&rmrb);
    assert_eq!(texts.len(), 3248);
    for (a, b, n) in [
        ("经济", "发展", 5),
        ("香港", "回归", 20),
        ("江泽民", "主席", 2),
        ("改革", "开放", 1),
        ("１９９８", "年", 0),
    ] {
        check(&index, &texts, a, b, n);
    }
}

#[test]
fn proximity_mistakes_get_advice() {
    for (q, says) in [
        ("\"低空\"~5", "two words"),
        ("深圳 NEAR/x 低空", "number"),
        ("NEAR/5 低空", "both sides"),
        ("(深圳 OR 广州) NEAR/5 低空", "NEAR joins"),
    ] {
        let out = bin()
            .args(["query", q, "--index"])
            .arg(seeds_index())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{q}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{q}: {err}");
    }
}
