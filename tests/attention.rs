//! Attention over time on a real corpus: `facets --by month|day --normalize --compare` against
//! counts made in the test from every article's own text and date (as `inspect` reads them):
//! an article matches a word when its normalised title, body or searchable extra lines hold
//! it; its month and day are its date's.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use corpus_search::text::normalize::normalize_str;
use serde_json::Value;

struct Seen {
    texts: [String; 3],
    date: String,
}

fn articles_of(corpus: &Path) -> Vec<Seen> {
    corpus_articles(corpus)
        .iter()
        .map(|a| Seen {
            texts: [
                normalize_str(field(a, "title")),
                normalize_str(field(a, "body")),
                normalize_str(field(a, "extra")),
            ],
            date: a["date"].as_str().unwrap_or("").to_string(),
        })
        .collect()
}

/// Articles per period (the date's first `len` characters; none without such a date).
fn per_period(seen: &[Seen], word: Option<&str>, len: usize) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for a in seen {
        if let Some(w) = word {
            let w = normalize_str(w);
            if !a.texts.iter().any(|t| t.contains(&w)) {
                continue;
            }
        }
        let period = if a.date.len() >= len {
            a.date[..len].to_string()
        } else {
            "(none)".to_string()
        };
        *counts.entry(period).or_default() += 1;
    }
    counts
}

fn table(index: &Path, args: &[&str]) -> Value {
    facets_json(index, args)
}

#[test]
fn normalised_and_compared_counts_equal_a_count_of_the_texts() {
    let Some(rmrb) = shared_corpus("rmrb-199801") else {
        return;
    };
    let index = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("attention-rmrb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&index);
    build(&rmrb, &index);
    let seen = articles_of(&rmrb);
    assert_eq!(seen.len(), 3248);
    let words = ["经济", "香港", "农民"];
    for (by, len) in [("month", 7), ("day", 10)] {
        let t = table(
            &index,
            &[
                words[0],
                "--by",
                by,
                "--compare",
                words[1],
                words[2],
                "--normalize",
            ],
        );
        let all = per_period(&seen, None, len);
        let each: Vec<BTreeMap<String, u64>> = words
            .iter()
            .map(|w| per_period(&seen, Some(w), len))
            .collect();
        let rows = t["rows"].as_array().unwrap();
        assert!(rows.len() > 1, "{by}: {t:#}");
        for r in rows {
            let v = r["value"].as_str().unwrap();
            let n_all = *all.get(v).unwrap_or(&0);
            assert_eq!(r["all"].as_u64().unwrap(), n_all, "{by} {v}: all");
            for (i, counts) in each.iter().enumerate() {
                let want = *counts.get(v).unwrap_or(&0);
                assert_eq!(
                    r["counts"][i].as_u64().unwrap(),
                    want,
                    "{by} {v}: {}",
                    words[i]
                );
                let share = r["shares"][i].as_f64().unwrap();
                let want_share = if n_all == 0 {
                    0.0
                } else {
                    want as f64 / n_all as f64
                };
                assert!((share - want_share).abs() < 1e-12, "{by} {v}: share");
            }
        }
        // Every period of every word is a row.
        for counts in &each {
            for period in counts.keys() {
                assert!(
                    rows.iter().any(|r| r["value"] == period.as_str()),
                    "{by}: {period}"
                );
            }
        }
        for (i, w) in words.iter().enumerate() {
            let total: u64 = each[i].values().sum();
            assert_eq!(t["totals"][i].as_u64().unwrap(), total, "{w}");
        }
    }
}
