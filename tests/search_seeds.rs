//! The whole path on the project's own corpus, through the real binary: index the seeds,
//! query them, filter and count by facets, print JSON that keeps the contract.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn low_altitude_economy_finds_the_four_articles_with_it_highlighted() {
    let v = query_json(seeds_index(), &["低空经济", "--limit", "20"]);
    assert_eq!(total(&v), 4, "{v:#}");
    let mut files: Vec<String> = paths(&v).iter().map(|p| p[..3].to_string()).collect();
    files.sort();
    assert_eq!(files, vec!["000", "001", "002", "003"]);
    for hit in v["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("<b>低空经济</b>") || snippet.contains("<b>低空經濟</b>"),
            "no highlight in {snippet}"
        );
    }
}

#[test]
fn json_keeps_the_contract() {
    let v = query_json(seeds_index(), &["新质生产力"]);
    assert_eq!(v["query"], "新质生产力");
    assert!(total(&v) >= 1);
    let hit = &v["hits"][0];
    for key in [
        "id",
        "path",
        "title",
        "source",
        "date",
        "provinces",
        "regions",
        "industries",
        "score",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit:#}");
    }
    assert!(hit["id"].as_str().unwrap().contains('#'));
    for facet in ["province", "source", "industry", "month"] {
        let list = v["facets"][facet]
            .as_array()
            .unwrap_or_else(|| panic!("facet {facet}"));
        for entry in list {
            assert!(
                entry["value"].is_string() && entry["count"].is_u64(),
                "{entry}"
            );
        }
    }
    // dates are YYYY-MM-DD or null
    for hit in v["hits"].as_array().unwrap() {
        match &hit["date"] {
            Value::Null => {}
            Value::String(s) => assert_eq!(s.len(), 10, "{s}"),
            other => panic!("date {other}"),
        }
    }
}

#[test]
fn province_filter_narrows_and_counts_roll_up() {
    let all = query_json(seeds_index(), &["新质生产力", "--limit", "50"]);
    let gd = query_json(
        seeds_index(),
        &["新质生产力", "--province", "广东省", "--limit", "50"],
    );
    assert!(
        total(&gd) >= 1 && total(&gd) < total(&all),
        "all {} gd {}",
        total(&all),
        total(&gd)
    );
    for hit in gd["hits"].as_array().unwrap() {
        let provinces: Vec<&str> = hit["provinces"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        assert!(provinces.contains(&"广东"), "{hit:#}");
    }
    // The province count in the sidebar is the filtered total.
    let count = all["facets"]["province"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["value"] == "广东")
        .map(|e| e["count"].as_u64().unwrap())
        .unwrap_or(0);
    assert_eq!(count, total(&gd));
    // and the Shenzhen articles are 广东/深圳
    let sz = query_json(seeds_index(), &["--city", "深圳", "--limit", "50"]);
    assert!(total(&sz) >= 2);
    for hit in sz["hits"].as_array().unwrap() {
        let regions: Vec<&str> = hit["regions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        assert!(
            regions.iter().any(|r| r.starts_with("广东/深圳")),
            "{hit:#}"
        );
    }
}

#[test]
fn date_filter_keeps_articles_in_range() {
    let v = query_json(
        seeds_index(),
        &["", "--from", "2024-02", "--to", "2024-03", "--limit", "50"],
    );
    assert!(total(&v) >= 3, "{v:#}");
    for hit in v["hits"].as_array().unwrap() {
        let d = hit["date"].as_str().expect("filtered hits have dates");
        assert!(("2024-02-01".."2024-04-01").contains(&d), "{d}");
    }
    let none = query_json(seeds_index(), &["新质生产力", "--from", "2030"]);
    assert_eq!(total(&none), 0);
}

#[test]
fn sort_by_date_is_newest_first() {
    let v = query_json(seeds_index(), &["", "--sort", "date", "--limit", "50"]);
    let dates: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[test]
fn every_article_of_the_seeds_is_its_own_result() {
    let v = query_json(seeds_index(), &["", "--limit", "100"]);
    assert_eq!(total(&v), 11, "{v:#}");
    // A related article is found under its own title and date.
    let sora = query_json(seeds_index(), &["Sora"]);
    assert_eq!(total(&sora), 1);
    let hit = &sora["hits"][0];
    assert!(hit["title"].as_str().unwrap().contains("翻身仗"), "{hit:#}");
    assert_eq!(hit["date"], "2024-02-20");
    assert!(hit["id"].as_str().unwrap().starts_with("000_"));
}

#[test]
fn boilerplate_is_not_indexed() {
    for phrase in [
        "图片来源于网络",
        "版权声明",
        "宁都县",
        "扫描二维码",
        "最新评论",
    ] {
        let v = query_json(seeds_index(), &[phrase]);
        assert_eq!(total(&v), 0, "{phrase} matched: {v:#}");
    }
}

#[test]
fn traditional_page_is_found_by_simplified_words() {
    let v = query_json(seeds_index(), &["规模以上工业增加值"]);
    assert_eq!(paths(&v), vec!["002_7acc4ff99040d81b.txt"]);
}

#[test]
fn human_output_shows_titles_snippets_and_facets() {
    let out = bin()
        .args(["query", "低空经济", "--index"])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("4 articles match"), "{text}");
    assert!(
        text.contains("**低空经济**") || text.contains("**低空經濟**"),
        "{text}"
    );
    assert!(text.contains("Facets of all 4 results"), "{text}");
    assert!(text.contains("province"), "{text}");
}

/// `query 低空经济 深圳` and `query 经济 -深圳 --year 2024`: every word after the command that
/// is not a flag is the query, an exclusion too, wherever the flags stand (issue 27).
#[test]
fn the_words_after_the_command_are_the_query() {
    let index = seeds_index();
    let quoted = query_json(index, &["低空经济 深圳", "--limit", "50"]);
    let loose = query_json(index, &["低空经济", "--limit", "50", "深圳"]);
    assert!(total(&quoted) > 0, "{quoted}");
    assert_eq!(paths(&loose), paths(&quoted));
    let all = total(&query_json(index, &["经济"]));
    let quoted = query_json(index, &["经济 -深圳", "--year", "2024"]);
    let loose = query_json(index, &["经济", "-深圳", "--year", "2024"]);
    assert_eq!(loose["query"], "经济 -深圳");
    assert_eq!(total(&loose), total(&quoted));
    assert!(
        total(&loose) < all,
        "-深圳 excludes: {} of {all}",
        total(&loose)
    );
    let counted = facets_json(index, &["经济", "-深圳", "--by", "year"]);
    assert_eq!(counted["total"], total(&query_json(index, &["经济 -深圳"])));
    // A misspelt flag is still a mistake, not a word of the query.
    let out = bin()
        .args(["query", "经济", "--yaer", "2024", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yaer"));
}
