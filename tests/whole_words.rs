//! `--words` (API `words=1`, the page's 整词匹配): a word counts only where it stands as a
//! word of the jieba cut, beside the exact substring default (issue 27). The fixture is
//! written here: articles where 台风 is a typhoon, and where the two characters only touch.

mod common;

use std::fs;
use std::path::Path;

use common::server::Server;
use common::*;

/// Six articles: 台风 stands as a word in three (one of them 超强台风, a word whose parts
/// jieba's search mode gives), and is only a substring in three more.
fn typhoon_corpus(dir: &Path) {
    let articles = [
        (
            "a.txt",
            "台风登陆广东",
            "今年第9号台风在广东湛江登陆，沿海地区普降暴雨。",
        ),
        (
            "b.txt",
            "超强台风过境",
            "超强台风山竹昨日过境，香港挂起十号风球。",
        ),
        ("c.txt", "防汛部署", "各地做好防御台风准备，渔船回港避风。"),
        ("d.txt", "风电项目投产", "新建60台风电机组全部并网发电。"),
        (
            "e.txt",
            "舞蹈晚会",
            "这台晚会的舞台风格清新，观众反响热烈。",
        ),
        ("f.txt", "家电促销", "商场卖出三台风扇和两台空调。"),
    ];
    for (name, title, body) in articles {
        fs::write(dir.join(name), format!("{title}\n\n{body}\n")).unwrap();
    }
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    typhoon_corpus(&corpus);
    let index = dir.path().join("index");
    build(&corpus, &index);
    (dir, index)
}

#[test]
fn words_count_only_whole_words_and_say_so() {
    let (_dir, index) = built();
    let exact = query_json(&index, &["台风", "--limit", "50"]);
    let words = query_json(&index, &["台风", "--words", "--limit", "50"]);
    assert_eq!(total(&exact), 6, "{exact}");
    assert_eq!(exact["matching"], "substring");
    assert_eq!(words["matching"], "words");
    let mut found = paths(&words);
    found.sort();
    assert_eq!(found, ["a.txt", "b.txt", "c.txt"], "{words}");
    // Snippets mark only the whole words.
    for hit in words["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(snippet.contains("<b>台风</b>"), "{snippet}");
    }

    // The same count in facets, the concordance and the export.
    let counted = facets_json(&index, &["台风", "--words", "--by", "year"]);
    assert_eq!(counted["total"], 3);
    assert_eq!(counted["matching"], "words");
    let kwic = json_of("kwic", &index, &["台风", "--words"]);
    assert_eq!(kwic["total_articles"], 3);
    let lines = kwic["lines"].as_array().unwrap();
    assert!(lines.iter().all(|l| l["match"] == "台风"), "{kwic}");
    assert!(
        lines
            .iter()
            .all(|l| !l["right"].as_str().unwrap().starts_with('电')),
        "{kwic}"
    );
    let out = bin()
        .args(["export", "台风", "--words", "--format", "jsonl", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);

    // The text output says which way it counted.
    let out = bin()
        .args(["query", "台风", "--words", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("3 articles match 「台风」 (as whole words)"),
        "{text}"
    );
}

#[test]
fn phrases_and_exclusions_follow_the_same_rule() {
    let (_dir, index) = built();
    // Several words must begin and end at word boundaries too.
    let words = query_json(&index, &["\"台风 登陆\"", "--words"]);
    assert_eq!(total(&words), 1, "{words}");
    // An exclusion under --words removes only whole-word articles.
    let rest = query_json(&index, &["-台风", "--words", "--limit", "50"]);
    let mut found = paths(&rest);
    found.sort();
    assert_eq!(found, ["d.txt", "e.txt", "f.txt"], "{rest}");
    // In the title only.
    let titled = query_json(&index, &["title:台风", "--words", "--limit", "50"]);
    let mut found = paths(&titled);
    found.sort();
    assert_eq!(found, ["a.txt", "b.txt"], "{titled}");
}

#[test]
fn the_api_and_the_page_take_words() {
    let (_dir, index) = built();
    let server = Server::start(&index, &[]);
    let exact = server.ok_json("/api/search?q=%E5%8F%B0%E9%A3%8E");
    let words = server.ok_json("/api/search?q=%E5%8F%B0%E9%A3%8E&words=1");
    assert_eq!(exact["total"], 6);
    assert_eq!(words["total"], 3);
    assert_eq!(words["matching"], "words");
    let facets = server.ok_json("/api/facets?q=%E5%8F%B0%E9%A3%8E&words=1&by=year");
    assert_eq!(facets["total"], 3);
    let (status, _, page) = server.get("/?q=%E5%8F%B0%E9%A3%8E");
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="words""#), "the page offers the toggle");
    assert!(page.contains("words=1"), "the toggle links to words=1");
    let (_, _, page) = server.get("/?q=%E5%8F%B0%E9%A3%8E&words=1");
    assert!(page.contains("（按整词）"), "the page says how it counted");
    assert!(page.contains(r#"<strong id="total">3</strong>"#));
}
