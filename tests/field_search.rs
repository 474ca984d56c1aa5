//! Fields inside the query: `title:低空经济` finds the words in titles only, exactly;
//! `source:新华社`, `province:广东`, `city:`, `industry:`, `year:` are the facet filters
//! written into the query, combined with the rest (OR, NOT, groups). An unknown field gets
//! advice, never a silent empty result.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use corpus_search::text::normalize::normalize_str;
use serde_json::Value;

fn q(index: &Path, args: &[&str]) -> Value {
    query_json(index, args)
}

/// Every article's title, by paging through the empty query.
fn all_titles(index: &Path) -> Vec<String> {
    let mut titles = Vec::new();
    loop {
        let offset = titles.len().to_string();
        let page = q(index, &["", "--limit", "1000", "--offset", &offset]);
        let hits = page["hits"].as_array().unwrap();
        if hits.is_empty() {
            return titles;
        }
        titles.extend(
            hits.iter()
                .map(|h| h["title"].as_str().unwrap().to_string()),
        );
    }
}

fn titles_with(titles: &[String], word: &str) -> u64 {
    let w = normalize_str(word);
    titles
        .iter()
        .filter(|t| normalize_str(t).contains(&w))
        .count() as u64
}

#[test]
fn title_words_are_counted_exactly_in_titles_only() {
    let index = seeds_index();
    let titles = all_titles(index);
    for word in ["深圳", "经济", "人工智能", "新质生产力"] {
        let found = q(index, &[&format!("title:{word}")]);
        assert_eq!(total(&found), titles_with(&titles, word), "title:{word}");
        // In titles only: never more than the word anywhere.
        assert!(total(&found) <= total(&q(index, &[word])), "{word}");
    }
    // A phrase, a group and a negation in the title.
    let both = q(index, &["title:(深圳 OR 经济)"]);
    let either = titles
        .iter()
        .filter(|t| t.contains("深圳") || t.contains("经济"))
        .count() as u64;
    assert_eq!(total(&both), either);
    let phrase = q(index, &["title:\"新质 生产力\""]);
    assert_eq!(total(&phrase), titles_with(&titles, "新质生产力"));
    let none = q(index, &["NOT title:深圳"]);
    assert_eq!(
        total(&none),
        titles.len() as u64 - titles_with(&titles, "深圳")
    );
}

#[test]
fn title_search_is_exact_on_a_real_corpus() {
    let Some(rmrb) = shared_corpus("rmrb-199801") else {
        return;
    };
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("field-rmrb-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        build(&rmrb, &dir);
        dir
    });
    let titles = all_titles(index);
    assert_eq!(titles.len(), 3248);
    for word in [
        "经济",
        "香港",
        "改革",
        "江泽民",
        "１９９８",
        "1998",
        "企业 改革",
    ] {
        let found = q(index, &[&format!("title:\"{word}\"")]);
        let want = titles_with(&titles, &word.replace(' ', ""));
        assert_eq!(total(&found), want, "title:{word}");
    }
}

#[test]
fn facets_in_the_query_equal_the_filters() {
    let index = seeds_index();
    let pairs: [(&str, &[&str]); 5] = [
        ("source:新华社", &["", "--source", "新华社"]),
        (
            "低空经济 province:广东",
            &["低空经济", "--province", "广东"],
        ),
        ("city:深圳", &["", "--city", "深圳"]),
        ("industry:AI 经济", &["经济", "--industry", "AI"]),
        ("year:2024", &["", "--year", "2024"]),
    ];
    for (inline, flags) in pairs {
        assert_eq!(
            total(&q(index, &[inline])),
            total(&q(index, flags)),
            "{inline}"
        );
    }
    let two = q(index, &["source:(新华社 OR 证券时报)"]);
    let flags = q(index, &["", "--source", "新华社", "--source", "证券时报"]);
    assert_eq!(total(&two), total(&flags));
    let all = total(&q(index, &[""]));
    let xinhua = total(&q(index, &["", "--source", "新华社"]));
    assert_eq!(total(&q(index, &["NOT source:新华社"])), all - xinhua);
    // OR across a facet and a word.
    let shenzhen = total(&q(index, &["深圳"]));
    let either = total(&q(index, &["深圳 OR source:新华社"]));
    assert!(either >= shenzhen.max(xinhua), "{either}");
}

#[test]
fn unknown_fields_get_advice_and_colons_in_text_stay_text() {
    let out = bin()
        .args(["query", "auther:新华社", "--index"])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown field `auther:`") && err.contains("title, province"),
        "{err}"
    );
    let out = bin()
        .args(["query", "province:火星", "--index"])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown province"));
    // A URL and a score are text, not fields.
    for text in ["https://www.example.com", "比分3:1", "\"auther:新华社\""] {
        let out = bin()
            .args(["query", text, "--index"])
            .arg(seeds_index())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{text}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
