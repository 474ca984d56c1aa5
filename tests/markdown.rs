//! Markdown and text posts read by the real binary: markup and byte-order marks are never
//! text (nor searchable, nor in a KWIC line), YAML front matter is an article's metadata
//! whether Markdown or an HTML fragment follows, and a day transcript (a `##` heading per
//! item under a dated title line) is one article per item, dated by its title line.

mod common;

use std::fs;
use std::path::PathBuf;

use common::*;

/// Writes the files in a fresh corpus folder: (tempdir, their paths).
fn written(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let paths = files
        .iter()
        .map(|(name, bytes)| {
            let path = corpus.join(name);
            fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    (dir, paths)
}

/// No Markdown syntax and no byte-order mark in what a reader is shown.
fn assert_no_markup(text: &str) {
    for mark in ["**", "](", "\u{FEFF}", "# ", "> "] {
        assert!(!text.contains(mark), "{mark:?} in {text:?}");
    }
    for line in text.lines() {
        assert!(
            !line.starts_with("- ") && !line.starts_with('#'),
            "{line:?}"
        );
    }
}

const POST_MD: &str = "\u{FEFF}---
layout: post
title: \"广西南宁至崇左城际铁路开通运营\"
date: 2024-12-27 10:30:00 +08:00
author: 新华社
link: https://news.example.com.cn/gx/2024/12/27/rail.html
categories: news
---

## 沿线设站七座

**南宁至崇左城际铁路**27日开通运营，全长约119公里，设计时速250公里。

> 广西壮族自治区发展改革委表示，这条线路将进一步拉近边境口岸与首府的距离。

- 南宁东站至崇左南站最快52分钟
- 沿线设有扶绥、[崇左](https://example.cn/cz)等车站

---

据介绍，线路投用后，凭祥、东兴等口岸的货物转运效率将明显提高。
";

#[test]
fn a_markdown_post_with_front_matter_is_one_article_without_its_markup() {
    let (dir, paths) = written(&[("2024-12-27-rail.md", POST_MD.as_bytes())]);
    let v = inspected(&paths[0]);
    let a = articles(&v);
    assert_eq!(a.len(), 1, "{v:#}");
    let a = &a[0];
    assert_eq!(field(a, "title"), "广西南宁至崇左城际铁路开通运营");
    assert_eq!(field(a, "date"), "2024-12-27");
    assert_eq!(field(a, "source"), "新华社", "{a:#}");
    assert_eq!(
        field(a, "url"),
        "https://news.example.com.cn/gx/2024/12/27/rail.html"
    );
    let body = field(a, "body");
    assert!(body.contains("南宁至崇左城际铁路27日开通运营"), "{body:?}");
    assert!(body.contains("沿线设有扶绥、崇左等车站"), "{body:?}");
    assert!(body.contains("凭祥、东兴等口岸"), "{body:?}");
    assert_no_markup(body);
    assert_no_markup(field(a, "title"));
    assert!(!field(a, "extra").contains("layout"), "{a:#}");

    // A KWIC line shows the words, not the markup around them.
    let index = index_of(&dir);
    let kwic = json_of("kwic", &index, &["城际铁路"]).to_string();
    assert!(kwic.contains("城际铁路"), "{kwic}");
    assert!(!kwic.contains("**"), "{kwic}");
}

#[test]
fn front_matter_over_an_html_fragment_gives_its_title_date_and_text() {
    let post = "---
layout: post
title: 台北捷運環狀線北環段動工
date: 2025-11-15 11:34:02.000000000 +00:00
link: https://news.example.com.tw/news/202511150170.aspx
---

<div><figure><img src='https://img.example.com.tw/1.jpg'><figcaption>示意圖</figcaption></figure>
<p>（中央社記者王小明台北15日電）台北捷運環狀線北環段今天動工，預計2032年完工通車。</p>
<p>市府表示，北環段全長約14.9公里，將串聯士林、北投與內湖。</p></div>
";
    let (_dir, paths) = written(&[("cna_2025.html", post.as_bytes())]);
    let v = inspected(&paths[0]);
    let a = articles(&v);
    assert_eq!(a.len(), 1, "{v:#}");
    assert_eq!(
        field(&a[0], "title"),
        "台北捷運環狀線北環段動工",
        "{:#}",
        a[0]
    );
    assert_eq!(field(&a[0], "date"), "2025-11-15");
    assert_eq!(
        field(&a[0], "url"),
        "https://news.example.com.tw/news/202511150170.aspx"
    );
    let body = field(&a[0], "body");
    assert!(body.contains("北環段全長約14.9公里"), "{body:?}");
    assert!(!body.contains("layout"), "{body:?}");
    assert!(!body.contains('<'), "{body:?}");
}

#[test]
fn a_markdown_heading_and_a_byte_order_mark_are_not_part_of_a_title() {
    let text = "\u{FEFF}# 云南普洱茶春茶开采\n\n普洱市各主要产茶区近日陆续开采春茶，今年春茶产量预计与去年持平。\n\n茶农表示，**古树茶**价格较去年略有上涨。\n";
    let jsonl = "{\"title\": \"\u{FEFF}贵州毕节樱桃进入采摘期\", \"content\": \"毕节市七星关区的樱桃进入采摘期，果农忙着采摘、分拣、装箱。\"}\n{\"title\": \"**遵义茶园春管忙**\", \"content\": \"遵义市湄潭县各茶园抓住晴好天气开展春季管护。\"}\n";
    let (_dir, paths) = written(&[("puer.md", text.as_bytes()), ("gz.jsonl", jsonl.as_bytes())]);
    let found = inspect_json(&paths);
    let a = &articles(&found[0])[0];
    assert_eq!(field(a, "title"), "云南普洱茶春茶开采", "{a:#}");
    assert!(field(a, "body").contains("古树茶价格"), "{a:#}");
    assert_no_markup(field(a, "body"));
    let titles: Vec<&str> = articles(&found[1])
        .iter()
        .map(|a| field(a, "title"))
        .collect();
    assert_eq!(titles, ["贵州毕节樱桃进入采摘期", "遵义茶园春管忙"]);
}

const TRANSCRIPT: &str = "# 《新闻联播》（20220328）

更新时间：2023-10-09 14:20

## 河南：小麦春管进入关键期

央视网消息：眼下，河南省一千多万亩小麦进入拔节期，各地抢抓农时开展春季田间管理。在周口、驻马店等地，农技人员深入田间地头，指导农民科学施肥、防治病虫害。

## 浙江数字经济核心产业增加值增长

浙江省统计局发布数据，前两个月全省数字经济核心产业增加值同比增长百分之十一，杭州、宁波两市贡献超过六成。

## 甘肃河西走廊风电项目集中开工

**甘肃省**酒泉、张掖等地一批风电和光伏项目近日集中开工，总投资超过三百亿元，建成后每年可向中东部地区输送清洁电力。
";

#[test]
fn a_day_transcript_is_one_article_per_item_dated_by_its_title_line() {
    let (dir, paths) = written(&[("xwlb-20220328.md", TRANSCRIPT.as_bytes())]);
    let v = inspected(&paths[0]);
    let a = articles(&v);
    let titles: Vec<&str> = a.iter().map(|a| field(a, "title")).collect();
    assert_eq!(
        titles,
        [
            "河南：小麦春管进入关键期",
            "浙江数字经济核心产业增加值增长",
            "甘肃河西走廊风电项目集中开工"
        ],
        "{v:#}"
    );
    for article in a {
        // The programme's day, not the page's 更新时间.
        assert_eq!(field(article, "date"), "2022-03-28", "{article:#}");
        assert_eq!(field(article, "date_from"), "title", "{article:#}");
        assert!(!field(article, "source").is_empty(), "{article:#}");
        assert_eq!(field(article, "source"), field(&a[0], "source"));
        assert_no_markup(field(article, "body"));
    }
    assert!(field(&a[1], "body").starts_with("浙江省统计局发布数据"));
    assert!(!field(&a[0], "body").contains("浙江"), "items stay apart");

    // Each item has its own province.
    let index = index_of(&dir);
    for (word, province, n) in [
        ("小麦", "河南", 1),
        ("数字经济", "浙江", 2),
        ("风电", "甘肃", 3),
    ] {
        let found = query_json(&index, &[word, "--province", province]);
        assert_eq!(total(&found), 1, "{word} in {province}: {found:#}");
        let id = field(&found["hits"][0], "id").to_string();
        assert!(id.ends_with(&format!("#{n}")), "{province}: {id}");
    }
    assert_eq!(
        total(&query_json(&index, &["小麦", "--province", "浙江"])),
        0
    );
}

#[test]
fn a_dated_title_line_without_items_is_an_ordinary_article() {
    let text = "# 2024年5月10日 江苏南京长江大桥完成年度检修\n\n南京长江大桥10日完成年度检修，恢复正常通行。\n";
    let (_dir, paths) = written(&[("njbridge.md", text.as_bytes())]);
    let v = inspected(&paths[0]);
    assert_eq!(articles(&v).len(), 1, "{v:#}");
}
