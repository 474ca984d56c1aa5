//! Bad pages and broken record files, as a crawl leaves them: each gives one clear line (a
//! note of its file, or the reason it is skipped) and nothing else is lost. Malformed HTML,
//! a page of one 20 MB line, a JSON Lines file with a broken line, a WARC cut off in its
//! last record, a JSON-LD block that is not JSON, and a list page beside real articles.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// `inspect --json` on one file, which must give an object.
fn inspect_one(path: &Path) -> Value {
    inspect_json(&[path.to_path_buf()]).remove(0)
}

fn notes(file: &Value) -> Vec<String> {
    file["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n.as_str().unwrap_or_default().to_string())
        .collect()
}

/// The lines of `stderr` about `name` (index prints corpus paths first on its lines).
fn lines_about<'a>(stderr: &'a str, name: &str) -> Vec<&'a str> {
    stderr.lines().filter(|l| l.starts_with(name)).collect()
}

/// A corpus folder with `files` (name, bytes); returns (tempdir, corpus).
fn corpus_of(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    for (name, bytes) in files {
        let path = corpus.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    (dir, corpus)
}

/// A plain text article to sit beside the bad files.
const GOOD_TEXT: &str = "成都大运会场馆向市民开放\n2024-06-03 来源：四川日报\n成都大运会比赛场馆近日全部向市民开放，游泳、羽毛球等项目预约火爆。\n";

// ---------------------------------------------------------------------------------------------
// Malformed HTML

/// Unclosed <p>, <div> and <b>, stray end tags before and after the text, an end tag for an
/// element never opened, and no </body> or </html>.
const MALFORMED: &str = "<html><head><meta charset=\"utf-8\">\n\
<title>南水北调东线北延工程完成年度调水任务_示例新闻网</title>\n\
</head>\n\
<body>\n\
</div></div>\n\
<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/news/\">要闻</a>\n\
<div class=\"main\">\n\
<h1>南水北调东线北延工程完成年度调水任务</h1>\n\
<div class=\"info\">2024-05-31 来源：中国新闻网</span></div></div>\n\
<div class=\"text\">\n\
<p>水利部消息，南水北调东线一期工程北延应急供水工程本年度调水任务已经完成，累计向河北、天津调水超过二亿立方米。\n\
<p>此次调水有效补充了沿线地下水，<b>白洋淀等河湖生态水量明显增加，</font>沿线群众生产生活用水得到保障。\n\
</td></tr></table>\n\
<p>水利部有关负责人表示，下一步将加强工程运行管理，确保输水安全。\n\
</div></div></div></div>\n";

#[test]
fn malformed_html_still_gives_its_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nsbd.html");
    fs::write(&path, MALFORMED).unwrap();
    let v = inspect_one(&path);
    assert_eq!(field(&v, "format"), "html");
    assert_eq!(articles(&v).len(), 1, "{v:#}");
    let a = &articles(&v)[0];
    assert_eq!(field(a, "title"), "南水北调东线北延工程完成年度调水任务");
    assert_eq!(field(a, "date"), "2024-05-31");
    assert_eq!(field(a, "source"), "中国新闻网");
    let body = field(a, "body");
    for paragraph in [
        "累计向河北、天津调水超过二亿立方米",
        "白洋淀等河湖生态水量明显增加",
        "沿线群众生产生活用水得到保障",
        "确保输水安全",
    ] {
        assert!(body.contains(paragraph), "{paragraph} in {body:?}");
    }
    assert!(!body.contains("首页"), "{body:?}");
    assert!(!body.contains('<'), "no markup left: {body:?}");
}

// ---------------------------------------------------------------------------------------------
// One 20 MB line

/// The page's text as one line of 20 MB: `<p>` paragraphs with no line break between them, or
/// no tags at all (one 20 MB text node). Each paragraph carries its number, so nothing can
/// be dropped as a repeat unnoticed; the last one says how many came before.
/// 20 MB, not 50: in a release build on two cores (busy with another build), inspect reads
/// both pages in about 4 s and index one of them in about 4 s, the whole test in about 10 s;
/// 50 MB would more than double that and test nothing more.
fn one_line_page(tagged: bool) -> String {
    const TARGET: usize = 20 * 1024 * 1024;
    let mut page = String::with_capacity(TARGET + 1024);
    page.push_str(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <title>全国统一大市场建设稳步推进_示例新闻网</title></head><body>\
         <h1>全国统一大市场建设稳步推进</h1><div class=\"content\">",
    );
    let mut n = 0;
    while page.len() < TARGET {
        n += 1;
        let (open, close) = if tagged { ("<p>", "</p>") } else { ("", "") };
        page.push_str(&format!(
            "{open}第{n}段：各地清理妨碍统一市场和公平竞争的政策措施，市场准入壁垒进一步降低。{close}"
        ));
    }
    let (open, close) = if tagged { ("<p>", "</p>") } else { ("", "") };
    page.push_str(&format!(
        "{open}统一大市场专题报道全文完，共{n}段。{close}</div></body></html>"
    ));
    assert!(!page.contains('\n'));
    page
}

#[test]
fn a_page_of_one_twenty_megabyte_line_is_read_whole() {
    let tagged = one_line_page(true);
    let bare = one_line_page(false);
    let paragraphs = |page: &str| page.matches("段：各地清理").count();
    // The tagged page beside the corpus: indexing one of the two is enough to show that the
    // rest of the corpus is not lost, at half the time.
    let (dir, corpus) = corpus_of(&[
        ("bare.html", bare.as_bytes()),
        ("good.txt", GOOD_TEXT.as_bytes()),
    ]);
    fs::write(dir.path().join("tagged.html"), &tagged).unwrap();
    let found = inspect_json(&[dir.path().join("tagged.html"), corpus.join("bare.html")]);
    for (v, page) in found.iter().zip([&tagged, &bare]) {
        assert_eq!(articles(v).len(), 1, "{}", v["path"]);
        let a = &articles(v)[0];
        assert_eq!(field(a, "title"), "全国统一大市场建设稳步推进");
        let body = field(a, "body");
        let n = paragraphs(page);
        assert!(body.starts_with("第1段："), "{}", &body[..200]);
        assert_eq!(paragraphs(body), n, "every paragraph kept: {}", v["path"]);
        assert!(
            body.contains(&format!("第{n}段：各地清理")),
            "{}",
            v["path"]
        );
        assert!(
            body.contains(&format!("统一大市场专题报道全文完，共{n}段。")),
            "the end of the line is there: {}",
            v["path"]
        );
    }

    let index = dir.path().join("index");
    let stderr = build(&corpus, &index);
    assert!(
        stderr.contains("indexed 2 articles from 2 files"),
        "{stderr}"
    );
    let v = query_json(&index, &["专题报道全文完"]);
    assert_eq!(paths(&v), ["bare.html"], "{v:#}");
    assert_eq!(total(&query_json(&index, &["大运会"])), 1);
}

// ---------------------------------------------------------------------------------------------
// JSON Lines with a broken line

const JSONL_BROKEN: &str = r#"{"title": "广西糖料蔗收购价格保持稳定", "content": "广西壮族自治区发展改革委明确，新榨季糖料蔗收购价格保持稳定，保障蔗农收益。", "date": "2023-11-20", "source": "新华社"}
{"title": "海南橡胶开割进度过半", "content": "海南天然橡胶主产区开割进度过半，胶价回升带动胶农割胶积极性。", "date": "2023-11-21", "source": "经济日报"}
{"title": "云南咖啡豆采收季开启", "content": "普洱、保山等地咖啡豆进入采收季，当地精品咖啡比重逐年提高。, "date": "2023-11-22", "source": "人民日报"}
{"title": "福建茶叶出口量增长", "content": "福州海关统计，前十个月福建茶叶出口量同比增长，乌龙茶和白茶最受欢迎。", "date": "2023-11-23", "source": "中国新闻网"}
"#;

#[test]
fn a_broken_json_line_is_one_note_and_the_other_records_are_read() {
    let (_dir, corpus) = corpus_of(&[
        ("farm.jsonl", JSONL_BROKEN.as_bytes()),
        ("good.txt", GOOD_TEXT.as_bytes()),
    ]);
    let path = corpus.join("farm.jsonl");
    let v = inspect_one(&path);
    assert_eq!(field(&v, "format"), "jsonl");
    let name = path.display().to_string();
    assert_eq!(
        ids(&v),
        [
            format!("{name}#1"),
            format!("{name}#2"),
            format!("{name}#4")
        ],
        "{v:#}"
    );
    assert_eq!(field(&articles(&v)[2], "title"), "福建茶叶出口量增长");
    let notes = notes(&v);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("record 3"), "{notes:?}");
    assert!(notes[0].contains("line 3"), "{notes:?}");

    let index = corpus.parent().unwrap().join("index");
    let stderr = build(&corpus, &index);
    assert!(
        stderr.contains("indexed 4 articles from 2 files"),
        "{stderr}"
    );
    for q in ["糖料蔗", "开割", "乌龙茶", "大运会"] {
        assert_eq!(total(&query_json(&index, &[q])), 1, "{q}");
    }
    assert_eq!(total(&query_json(&index, &["咖啡豆"])), 0);
}

/// `index` tells about the broken record too, on one line naming the file and the record:
/// otherwise a record is lost from the index without a word.
#[test]
fn index_names_the_broken_record_on_stderr() {
    let (_dir, corpus) = corpus_of(&[
        ("farm.jsonl", JSONL_BROKEN.as_bytes()),
        ("good.txt", GOOD_TEXT.as_bytes()),
    ]);
    let index = corpus.parent().unwrap().join("index");
    let stderr = build(&corpus, &index);
    let lines = lines_about(&stderr, "farm.jsonl");
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("record 3"), "{stderr}");
}

/// Good lines mixed with a broken line, an array nested ten thousand deep and a truncated
/// last line: the file is still JSON Lines (its good lines are records), each bad line is a
/// note, and no JSON syntax is indexed as text.
#[test]
fn bad_lines_of_every_kind_do_not_make_json_lines_text() {
    let mut text = String::new();
    text.push_str("{\"title\": \"好的新闻一：青海盐湖提锂项目投产\", \"content\": \"青海察尔汗盐湖一座年产两万吨碳酸锂的项目近日投产。\"}\n");
    text.push_str("{\"title\": \"坏的一行\", \"content\": \"少了引号}\n");
    text.push_str(&"[".repeat(10_000));
    text.push_str(&"]".repeat(10_000));
    text.push('\n');
    text.push_str("{\"title\": \"好的新闻二：宁夏枸杞进入采摘期\", \"content\": \"中宁县的枸杞进入夏果采摘期，采摘工人每天工作到中午。\"}\n");
    text.push_str("{\"title\": \"好的新闻三\", \"cont");
    let (_dir, corpus) = corpus_of(&[("mixed.jsonl", text.as_bytes())]);
    let v = inspect_one(&corpus.join("mixed.jsonl"));
    assert_eq!(field(&v, "format"), "jsonl", "{v:#}");
    let titles: Vec<&str> = articles(&v).iter().map(|a| field(a, "title")).collect();
    assert_eq!(
        titles,
        [
            "好的新闻一：青海盐湖提锂项目投产",
            "好的新闻二：宁夏枸杞进入采摘期"
        ],
        "{v:#}"
    );
    let notes = notes(&v);
    assert_eq!(notes.len(), 3, "one note per bad line: {notes:?}");
    for a in articles(&v) {
        assert!(!field(a, "body").contains("\"title\""), "{a:#}");
    }
}

/// A CSV whose first row holds a 400,000-character article is still CSV: the row is read to
/// its end, and the rows after it too.
#[test]
fn a_csv_with_a_huge_first_field_is_still_csv() {
    let long = "内蒙古草原生态保护补助奖励政策持续实施，牧民收入稳步增长。".repeat(14_000);
    assert!(long.chars().count() >= 400_000);
    let csv = format!(
        "title,content,date\n\"内蒙古草原生态保护见成效\",\"{long}\",2024-07-01\n\"黑龙江大豆种植面积稳定\",\"黑龙江省大豆种植面积稳定在七千万亩以上。\",2024-07-02\n"
    );
    let (_dir, corpus) = corpus_of(&[("long.csv", csv.as_bytes())]);
    let v = inspect_one(&corpus.join("long.csv"));
    assert_eq!(field(&v, "format"), "csv", "{}", field(&v, "format"));
    let a = articles(&v);
    assert_eq!(a.len(), 2);
    assert_eq!(field(&a[0], "title"), "内蒙古草原生态保护见成效");
    assert!(field(&a[0], "body").chars().count() >= 400_000);
    assert_eq!(field(&a[1], "title"), "黑龙江大豆种植面积稳定");
}

// ---------------------------------------------------------------------------------------------
// A WARC cut off in its last record

/// A WARC record of this kind, with the content type its kind has.
fn warc_of(kind: &str, n: usize, uri: &str, block: &[u8]) -> Vec<u8> {
    let content_type = match kind {
        "warcinfo" => "application/warc-fields",
        "request" => "application/http; msgtype=request",
        _ => "application/http; msgtype=response",
    };
    warc_record(kind, n, uri, content_type, block)
}

fn http_page(title: &str, date: &str, paragraph: &str) -> Vec<u8> {
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta name=\"publishdate\" content=\"{date}\"></head><body><h1>{title}</h1>\
         <div class=\"article\"><p>{paragraph}</p></div></body></html>"
    );
    http_ok(&html)
}

/// warcinfo, two whole responses, and a third response cut off in the middle of its page.
fn truncated_warc_records() -> Vec<Vec<u8>> {
    let mut records = vec![
        warc_of(
            "warcinfo", 1, "", b"software: test-crawler/1.0\r\n"),
        warc_of(
            "response",
            2,
            "https://news.example.com.cn/sd/harbor.html",
            &http_page(
                "山东港口一季度货物吞吐量同比增长",
                "2024-04-12",
                "山东省港口集团一季度完成货物吞吐量三亿多吨，集装箱航线新增十余条，外贸航线占比继续提高。",
            ),
        ),
        warc_of(
            "response",
            3,
            "https://news.example.com.cn/hb/fiber.html",
            &http_page(
                "湖北光纤光缆产业集群产值创新高",
                "2024-04-15",
                "武汉光谷光纤光缆企业去年产值创历史新高，产品出口到一百多个国家和地区。",
            ),
        ),
    ];
    let last = warc_of(
        "response",
        4,
        "https://news.example.com.cn/js/silk.html",
        &http_page(
            "江苏苏州丝绸文化节开幕",
            "2024-04-18",
            "第十届苏州丝绸文化节开幕，宋锦、缂丝等非遗技艺集中展示，吸引大批市民游客。",
        ),
    );
    records.push(last[..last.len() / 2].to_vec());
    records
}

#[test]
fn a_warc_cut_off_in_its_last_record_keeps_the_whole_ones() {
    let records = truncated_warc_records();
    let plain: Vec<u8> = records.concat();
    // Gzipped member by member, the last member cut off where the download stopped.
    let mut gz: Vec<u8> = records[..3].iter().flat_map(|r| gzip(r)).collect();
    let whole_last = gzip(&records[3]);
    gz.extend_from_slice(&whole_last[..whole_last.len() / 2]);
    let (_dir, corpus) = corpus_of(&[
        ("crawl.warc", &plain),
        ("crawl-gz.warc.gz", &gz),
        ("good.txt", GOOD_TEXT.as_bytes()),
    ]);
    for name in ["crawl.warc", "crawl-gz.warc.gz"] {
        let v = inspect_one(&corpus.join(name));
        assert_eq!(field(&v, "format"), "warc", "{name}");
        let found = articles(&v);
        assert_eq!(found.len(), 2, "{name}: {v:#}");
        assert_eq!(
            field(&found[0], "title"),
            "山东港口一季度货物吞吐量同比增长"
        );
        assert_eq!(field(&found[0], "date"), "2024-04-12");
        assert_eq!(field(&found[1], "title"), "湖北光纤光缆产业集群产值创新高");
        assert_eq!(
            field(&found[1], "url"),
            "https://news.example.com.cn/hb/fiber.html"
        );
        let notes = notes(&v);
        // The fourth WARC record (counting the warcinfo) is the one cut off.
        assert!(
            notes
                .iter()
                .any(|n| n.contains("record 4") && n.contains("truncated")),
            "{name}: {notes:?}"
        );
    }

    let index = corpus.parent().unwrap().join("index");
    let stderr = build(&corpus, &index);
    assert!(
        stderr.contains("indexed 5 articles from 3 files"),
        "{stderr}"
    );
    assert_eq!(total(&query_json(&index, &["光纤光缆"])), 2);
    assert_eq!(total(&query_json(&index, &["吞吐量"])), 2);
    assert_eq!(total(&query_json(&index, &["大运会"])), 1);
}

// ---------------------------------------------------------------------------------------------
// JSON-LD that is not JSON

/// A JSON-LD block as templates break it: a trailing comma and an unescaped quote.
const BAD_JSON_LD: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n\
<title>青藏铁路格拉段电气化改造完工_示例新闻网</title>\n\
<script type=\"application/ld+json\">\n\
{\"@context\": \"https://schema.org\", \"@type\": \"NewsArticle\",\n\
 \"headline\": \"青藏铁路\"格拉段\"电气化改造完工\",\n\
 \"datePublished\": \"2024-06-20T09:00:00+08:00\",}\n\
</script>\n\
</head><body>\n\
<h1>青藏铁路格拉段电气化改造完工</h1>\n\
<div class=\"info\">2024-06-20 09:00 来源：人民日报</div>\n\
<div class=\"article\">\n\
<p>青藏铁路格尔木至拉萨段电气化改造工程近日完工，列车由内燃机车牵引改为电力机车牵引。</p>\n\
<p>改造完成后，格拉段运输能力明显提升，沿线生态环境保护也将受益。</p>\n\
</div></body></html>\n";

#[test]
fn json_ld_that_is_not_json_is_a_note_and_the_page_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qinghai-tibet.html");
    fs::write(&path, BAD_JSON_LD).unwrap();
    let v = inspect_one(&path);
    assert_eq!(articles(&v).len(), 1, "{v:#}");
    let a = &articles(&v)[0];
    assert_eq!(field(a, "title"), "青藏铁路格拉段电气化改造完工");
    assert!(
        matches!(field(a, "title_from"), "h1" | "title"),
        "{}",
        field(a, "title_from")
    );
    assert_eq!(field(a, "date"), "2024-06-20");
    assert_eq!(field(a, "source"), "人民日报");
    let body = field(a, "body");
    assert!(
        body.contains("列车由内燃机车牵引改为电力机车牵引"),
        "{body:?}"
    );
    assert!(body.contains("沿线生态环境保护也将受益"), "{body:?}");
    assert!(!body.contains("@context"), "{body:?}");
    let notes = notes(&v);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("JSON-LD"), "{notes:?}");
    assert!(notes[0].contains("not JSON"), "{notes:?}");
}

// ---------------------------------------------------------------------------------------------
// A list page

#[test]
fn a_list_page_gives_no_article_and_the_rest_is_indexed() {
    let list = list_page();
    let (_dir, corpus) = corpus_of(&[
        ("local/index.html", list.as_bytes()),
        ("local/nsbd.html", MALFORMED.as_bytes()),
        ("good.txt", GOOD_TEXT.as_bytes()),
    ]);

    let out = bin()
        .args(["inspect", "--json"])
        .arg(corpus.join("local/index.html"))
        .arg(corpus.join("good.txt"))
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a file without articles fails inspect"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let list_path = corpus.join("local/index.html").display().to_string();
    let about = lines_about(&stderr, &list_path);
    assert_eq!(about.len(), 1, "{stderr}");
    assert!(about[0].contains("list of links"), "{stderr}");
    // The other file is still read.
    let text = String::from_utf8(out.stdout).unwrap();
    let objects: Vec<Value> = serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .map(|v| v.unwrap())
        .collect();
    assert_eq!(objects.len(), 1, "{text}");
    assert_eq!(
        field(&articles(&objects[0])[0], "title"),
        "成都大运会场馆向市民开放"
    );

    let index = corpus.parent().unwrap().join("index");
    let stderr = build(&corpus, &index);
    let about = lines_about(&stderr, "local/index.html");
    assert_eq!(about.len(), 1, "{stderr}");
    assert!(about[0].contains("list of links"), "{stderr}");
    assert!(stderr.contains("skipped 1 file"), "{stderr}");
    assert!(
        stderr.contains("indexed 2 articles from 2 files"),
        "{stderr}"
    );
    assert_eq!(total(&query_json(&index, &["定制公交"])), 0);
    assert_eq!(total(&query_json(&index, &["调水"])), 1);
    assert_eq!(total(&query_json(&index, &["大运会"])), 1);
}
