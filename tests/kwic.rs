//! `corpus-search kwic`, `/api/kwic` and the `/kwic` page: every occurrence of a query's
//! words in the matching articles, in context. Each line's match must be the word asked for
//! (after normalisation), its context must be the article's own text around it, the count
//! must equal a brute-force count over the articles' texts, and the sorts and the alignment
//! must hold on known lines.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::server::Server;
use common::*;
use corpus_search::text::normalize::normalize_str;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Two articles about the same things, one in traditional script (人工智慧 is Taiwan's word
/// for 人工智能, a different word: it must not match), one in simplified.
fn script_corpus() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("kwic-scripts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let corpus = root.join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(
            corpus.join("trad.txt"),
            "臺灣人工智慧產業觀察\n\n2024年5月1日 新华社\n\n臺灣的人工智慧產業近年快速成長，「人工智能」一詞在大陸更常見。\n\n業者表示，臺灣的半導體與人工智能應用結合，帶動新的投資。臺灣經濟因此受惠。\n",
        )
        .unwrap();
        std::fs::write(
            corpus.join("simp.txt"),
            "台湾人工智能产业见闻\n\n2024年6月2日 人民日报\n\n两岸在人工智能领域交流频繁。台湾企业在人工智能芯片上有优势，台湾经济也随之增长。\n",
        )
        .unwrap();
        let index = root.join("index");
        build(&corpus, &index);
        index
    })
}

/// `kwic ARGS --index INDEX --json`.
fn kwic_json(index: &Path, args: &[&str]) -> Value {
    json_of("kwic", index, args)
}

fn lines(v: &Value) -> &Vec<Value> {
    v["lines"].as_array().expect("lines")
}

fn s<'a>(line: &'a Value, key: &str) -> &'a str {
    line[key].as_str().unwrap_or("")
}

/// Every matching article's title and paragraphs, as `export` gives them, by id.
fn paragraphs(index: &Path, args: &[&str]) -> Vec<(String, Vec<String>)> {
    let out = bin()
        .arg("export")
        .args(args)
        .args(["--format", "jsonl", "--fields", "id,title,text", "--index"])
        .arg(index)
        .output()
        .expect("runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let a: Value = serde_json::from_str(l).unwrap();
            let mut paras = vec![s(&a, "title").to_string()];
            paras.extend(s(&a, "text").lines().map(String::from));
            (s(&a, "id").to_string(), paras)
        })
        .collect()
}

/// The brute force: non-overlapping occurrences of each word in each normalised paragraph.
fn occurrences(paras: &[String], words: &[&str]) -> usize {
    paras
        .iter()
        .map(|p| {
            let n = normalize_str(p);
            words.iter().map(|w| n.matches(w).count()).sum::<usize>()
        })
        .sum()
}

/// (index, query args, the words it shows)
fn cases() -> Vec<(&'static Path, Vec<&'static str>, Vec<&'static str>)> {
    vec![
        (seeds_index(), vec!["低空经济"], vec!["低空经济"]),
        (
            seeds_index(),
            vec!["经济", "--province", "广东"],
            vec!["经济"],
        ),
        (
            seeds_index(),
            vec!["新质生产力 OR 人工智能", "--from", "2024-03"],
            vec!["新质生产力", "人工智能"],
        ),
        (seeds_index(), vec!["深圳 -北京"], vec!["深圳"]),
        (script_corpus(), vec!["台湾"], vec!["台湾"]),
        (script_corpus(), vec!["人工智能"], vec!["人工智能"]),
        (script_corpus(), vec!["臺灣經濟"], vec!["台湾经济"]),
    ]
}

#[test]
fn every_occurrence_once_with_the_articles_own_text_around_it() {
    for (index, args, words) in cases() {
        let mut all = args.clone();
        all.extend(["--limit", "0", "--width", "6"]);
        let c = kwic_json(index, &all);
        let articles = paragraphs(index, &args);
        assert_eq!(
            c["total_articles"].as_u64().unwrap(),
            total(&query_json(index, &args)),
            "{args:?}"
        );
        assert_eq!(
            c["total_articles"].as_u64().unwrap() as usize,
            articles.len()
        );
        let expected: usize = articles.iter().map(|(_, p)| occurrences(p, &words)).sum();
        assert!(expected > 0, "{args:?}: the case finds something");
        assert_eq!(
            c["total_lines"].as_u64().unwrap() as usize,
            expected,
            "{args:?}"
        );
        assert_eq!(lines(&c).len(), expected, "{args:?}: --limit 0 shows all");
        for line in lines(&c) {
            let (left, matched, right) = (s(line, "left"), s(line, "match"), s(line, "right"));
            assert!(
                words.contains(&normalize_str(matched).as_str()),
                "{args:?}: {line}"
            );
            assert!(
                left.chars().count() <= 6 && right.chars().count() <= 6,
                "{line}"
            );
            let (_, paras) = articles
                .iter()
                .find(|(id, _)| id == s(line, "id"))
                .unwrap_or_else(|| panic!("{line}: a matching article"));
            let shown = format!("{left}{matched}{right}");
            assert!(
                paras.iter().any(|p| p.contains(&shown)),
                "{args:?}: `{shown}` is not in the article's text"
            );
        }
    }
}

#[test]
fn traditional_articles_are_shown_in_their_own_script() {
    let c = kwic_json(script_corpus(), &["台湾", "--sort", "date", "--width", "4"]);
    let shown: Vec<(&str, &str, &str)> = lines(&c)
        .iter()
        .map(|l| (s(l, "left"), s(l, "match"), s(l, "right")))
        .collect();
    // Newest first: the simplified article (June), then the traditional one (May); the
    // title is a paragraph of its own, so nothing stands left of a match that opens one.
    assert_eq!(
        shown,
        [
            ("", "台湾", "人工智能"),
            ("流频繁。", "台湾", "企业在人"),
            ("有优势，", "台湾", "经济也随"),
            ("", "臺灣", "人工智慧"),
            ("", "臺灣", "的人工智"),
            ("者表示，", "臺灣", "的半導體"),
            ("的投資。", "臺灣", "經濟因此"),
        ]
    );
    // 人工智慧 is another word: only 人工智能 is found, in both scripts' articles.
    let ai = kwic_json(script_corpus(), &["人工智能", "--limit", "0"]);
    assert_eq!(ai["total_lines"], 5, "{ai}");
    assert!(lines(&ai).iter().all(|l| s(l, "match") == "人工智能"));
}

#[test]
fn sorting_by_the_left_context_reads_leftwards() {
    let c = kwic_json(
        seeds_index(),
        &["低空经济", "--sort", "left", "--width", "3", "--limit", "0"],
    );
    let keys: Vec<String> = lines(&c)
        .iter()
        .map(|l| normalize_str(s(l, "left")).chars().rev().collect())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    let lefts: Vec<&str> = lines(&c).iter().map(|l| s(l, "left")).collect();
    // Known lines: the four contexts ending in 、 sort together, and the traditional
    // 低空經濟 sits beside the simplified one with the same left context.
    assert_eq!(
        &lefts[..6],
        ["力度;", "航天、", "航天、", "能源、", "智能、", "智能、"],
        "{lefts:?}"
    );
    let matched: Vec<&str> = lines(&c)[4..6].iter().map(|l| s(l, "match")).collect();
    assert_eq!(matched, ["低空经济", "低空經濟"]);
    // Read rightwards instead, 能源、 would come after 智能、 (能 > 智), not before it.
    assert!("能源、" > "智能、");

    let c = kwic_json(
        seeds_index(),
        &[
            "低空经济",
            "--sort",
            "right",
            "--width",
            "3",
            "--limit",
            "0",
        ],
    );
    let rights: Vec<String> = lines(&c)
        .iter()
        .map(|l| normalize_str(s(l, "right")))
        .collect();
    assert!(rights.windows(2).all(|w| w[0] <= w[1]), "{rights:?}");
    assert_eq!(rights[0], ",创新");

    let c = kwic_json(seeds_index(), &["经济", "--sort", "source", "--limit", "0"]);
    let sources: Vec<&str> = lines(&c).iter().map(|l| s(l, "source")).collect();
    let known = sources.iter().take_while(|s| !s.is_empty()).count();
    assert!(
        sources[..known].windows(2).all(|w| w[0] <= w[1]),
        "{sources:?}"
    );
    assert!(
        sources[known..].iter().all(|s| s.is_empty()),
        "no source last"
    );
}

#[test]
fn terminal_lines_align_on_the_match() {
    let args = ["低空经济 OR 经济", "--width", "8", "--limit", "0"];
    let c = kwic_json(seeds_index(), &args);
    let out = bin()
        .arg("kwic")
        .args(args)
        .arg("--index")
        .arg(seeds_index())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let printed: Vec<&str> = text.lines().collect();
    assert_eq!(printed.len(), lines(&c).len());
    let left_w = lines(&c)
        .iter()
        .map(|l| s(l, "left").width())
        .max()
        .unwrap();
    let match_w = lines(&c)
        .iter()
        .map(|l| s(l, "match").width())
        .max()
        .unwrap();
    let mut date_columns = Vec::new();
    for (row, line) in printed.iter().zip(lines(&c)) {
        // Left context right-aligned to one width, then the match at the same column.
        let left = s(line, "left");
        let expected = format!(
            "{}{left}  {}",
            " ".repeat(left_w - left.width()),
            s(line, "match")
        );
        assert!(row.starts_with(&expected), "`{row}` vs `{expected}`");
        let at = row.find(s(line, "right")).unwrap_or(row.len());
        let head = &row[..at];
        assert_eq!(head.width(), left_w + 2 + match_w + 2, "`{row}`");
        let date = s(line, "date");
        if !date.is_empty() {
            date_columns.push(row[..row.find(date).unwrap()].width());
        }
    }
    assert!(!date_columns.is_empty());
    assert!(
        date_columns.windows(2).all(|w| w[0] == w[1]),
        "{date_columns:?}"
    );
}

#[test]
fn limits_widths_csv_and_mistakes() {
    let index = seeds_index();
    let out = bin()
        .args(["kwic", "经济", "--limit", "3", "--index"])
        .arg(index)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    let err = String::from_utf8_lossy(&out.stderr);
    let all = kwic_json(index, &["经济", "--limit", "0"]);
    assert!(
        err.contains(&format!("showing 3 of {}", all["total_lines"])),
        "{err}"
    );
    assert!(err.contains("--limit"), "{err}");
    // The default shows up to 1,000 lines; the seeds have fewer, and no note is printed.
    let default = kwic_json(index, &["经济"]);
    assert_eq!(default["total_lines"], all["total_lines"]);
    assert_eq!(lines(&default).len(), lines(&all).len());

    let narrow = kwic_json(index, &["经济", "--width", "5", "--limit", "0"]);
    assert!(lines(&narrow)
        .iter()
        .all(|l| s(l, "left").chars().count() <= 5 && s(l, "right").chars().count() <= 5));
    assert!(lines(&narrow)
        .iter()
        .any(|l| s(l, "left").chars().count() == 5));

    let out = bin()
        .args(["kwic", "低空经济", "--csv", "--width", "4", "--index"])
        .arg(index)
        .output()
        .expect("runs");
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "date", "source", "left", "match", "right"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    let json = kwic_json(index, &["低空经济", "--width", "4"]);
    assert_eq!(rows.len(), lines(&json).len());
    for (row, line) in rows.iter().zip(lines(&json)) {
        assert_eq!(&row[4], s(line, "match"));
        assert_eq!(&row[3], s(line, "left"));
    }

    for (args, expect) in [
        (vec![""], "kwic 低空经济"),
        (vec!["NOT 深圳"], "none to show"),
        (
            vec!["经济", "--sort", "middle"],
            "left, right, date or source",
        ),
        (vec!["经济", "--width", "500"], "--width"),
        (vec!["经济", "--province", "广冬"], "unknown province"),
    ] {
        let out = bin()
            .arg("kwic")
            .args(&args)
            .arg("--index")
            .arg(index)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
    }
}

#[test]
fn the_api_and_the_page_show_the_same_lines() {
    let index = seeds_index();
    let server = Server::start(index, &["--quiet"]);
    let api = server.ok_json(&format!(
        "/api/kwic?q={}&province={}&sort=left&width=6&limit=5",
        enc("经济"),
        enc("广东")
    ));
    let cli = kwic_json(
        index,
        &[
            "经济",
            "--province",
            "广东",
            "--sort",
            "left",
            "--width",
            "6",
            "--limit",
            "5",
        ],
    );
    assert_eq!(api, cli);
    for (url, expect) in [
        ("/api/kwic?q=", "none to show"),
        (
            "/api/kwic?q=x&sort=relevance",
            "left, right, date or source",
        ),
        ("/api/kwic?q=x&offset=3", "drop offset"),
        ("/api/kwic?q=x&widht=3", "collapse, width"),
    ] {
        let (status, v) = server.json(url);
        assert_eq!(status, 400, "{url}: {v}");
        assert!(v["error"].as_str().unwrap().contains(expect), "{url}: {v}");
    }

    // The search page's 语境 tab carries the query and filters to the concordance page.
    let (_, _, search) = server.get(&format!("/?q={}&province={}", enc("低空经济"), enc("广东")));
    let at = search.find("语境 (KWIC)").expect("a 语境 tab");
    let tab = &search[search[..at].rfind("<a ").unwrap()..at];
    let href = tab
        .split("href=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert_eq!(
        href,
        format!("/kwic?q={}&province={}", enc("低空经济"), enc("广东"))
    );
    let (status, ctype, page) = server.get(&href);
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/html"));
    let c = kwic_json(index, &["低空经济", "--province", "广东"]);
    assert!(
        page.contains(&format!(
            r#"<strong id="total-lines">{}</strong>"#,
            c["total_lines"]
        )),
        "{page}"
    );
    assert_eq!(page.matches("<tr>").count(), lines(&c).len());
    let first = &lines(&c)[0];
    assert!(page.contains(&format!(
        r#"<td class="left"><span>{}</span></td><td class="match"><b>{}</b></td><td class="right">{}</td>"#,
        s(first, "left"),
        s(first, "match"),
        s(first, "right")
    )));
    assert!(
        page.contains(r#"<a href="/article/"#),
        "lines link to their articles"
    );
    assert!(page.contains(r#"class="on" aria-current="page">语境 (KWIC)</a>"#));
    // An empty query gets a hint, not an error.
    let (status, _, empty) = server.get("/kwic");
    assert_eq!(status, 200);
    assert!(empty.contains("输入一个词语"), "{empty}");
}
