//! The two source facets: `source`, the outlet an article credits (one name for all the
//! names it prints), and `site`, the outlet that published the page. Fixtures are pages and
//! texts written for these tests.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A portal page (新浪) carrying a story it credits to 新京报.
const PORTAL_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>北京五环内将新增三处城市森林公园_新浪新闻</title>
<meta property="og:site_name" content="新浪新闻">
<meta property="og:url" content="https://news.sina.com.cn/c/2024-05-10/doc-imkqwert1234.shtml">
<meta name="publishdate" content="2024-05-10">
</head><body>
<div class="nav"><a href="/">首页</a> <a href="/china">国内</a></div>
<h1>北京五环内将新增三处城市森林公园</h1>
<div class="date-source">2024年05月10日 08:15 来源：新京报</div>
<div class="article">
<p>记者从北京市园林绿化局获悉，今年北京将在五环路以内新建三处城市森林公园，总面积约一百二十公顷。</p>
<p>据介绍，新建公园将以乡土树种为主，兼顾市民休闲健身需求，预计年底前向公众开放。北京市园林绿化局有关负责人表示，公园建成后将串联周边绿道。</p>
<p>截至目前，北京已建成城市森林公园八十余处，市民出门见绿的比例持续提高。</p>
</div>
</body></html>"#;

/// A Hong Kong paper's own page that prints its masthead name, 今日信報.
const HKEJ_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>港府擬推電子消費券第二輪 - 信報網站</title>
<meta property="og:url" content="https://www1.hkej.com/dailynews/article/id/3721234">
<meta name="publishdate" content="2024-06-02">
</head><body>
<h1>港府擬推電子消費券第二輪</h1>
<div class="info">2024年6月2日 來源：今日信報</div>
<div class="article">
<p>特區政府消息人士透露，當局正研究推出第二輪電子消費券，以刺激本地零售市道，詳情預計於下月公布。</p>
<p>零售管理協會表示歡迎，認為措施有助中小商戶渡過難關，但促請政府盡快公布發放時間表。</p>
</div>
</body></html>"#;

/// A text file crediting the same paper by its site's name, 信報財經新聞.
const HKEJ_TEXT: &str = "本港樓市交投回升 五月成交量創新高\n2024年6月3日 來源：信報財經新聞\n土地註冊處最新數據顯示，五月份本港住宅買賣登記量按月上升兩成，創下年內新高。\n地產代理業界認為，減辣措施效果持續，預料六月成交將維持活躍。\n";

/// Taiwan's 蘋果日報 on its own site: the shared name means Taiwan's paper here.
const TW_APPLE_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>台北捷運環狀線北環段動工</title>
<meta property="og:url" content="https://tw.appledaily.com/life/20200815/ABCDEFG/">
<meta name="publishdate" content="2020-08-15">
</head><body>
<h1>台北捷運環狀線北環段動工</h1>
<div class="info">2020年8月15日 來源：蘋果日報</div>
<div class="article">
<p>台北市捷運工程局今日宣布，環狀線北環段正式動工，預計串連士林、北投等地區，完工後可紓解通勤人潮。</p>
<p>捷運局表示，施工期間將分階段調整交通，請用路人多加留意。</p>
</div>
</body></html>"#;

/// A page of a site no data file knows, naming itself in og:site_name.
const UNKNOWN_SITE_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>全国夏粮收购进度过半</title>
<meta property="og:site_name" content="粮油市场观察网">
<meta property="og:url" content="https://www.liangyou-guancha.example/news/2024/0710.html">
<meta name="publishdate" content="2024-07-10">
</head><body>
<h1>全国夏粮收购进度过半</h1>
<div class="article">
<p>国家粮食和物资储备局最新数据显示，全国主产区各类粮食企业累计收购小麦已超过五千万吨，收购进度过半。</p>
<p>国家粮食和物资储备局有关负责人表示，全国夏粮收购总体平稳有序，各地将继续做好政策性收购准备。</p>
<p>从全国看，今年夏粮收购价格保持稳定，农民售粮积极性较高。</p>
</div>
</body></html>"#;

/// A page of an unknown site that names itself nowhere: its host is its site.
const BARE_HOST_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>杭州亚运村开放参观</title>
<meta property="og:url" content="https://www.west-lake-daily.example/a/20240801.html">
<meta name="publishdate" content="2024-08-01">
</head><body>
<h1>杭州亚运村开放参观</h1>
<div class="article">
<p>杭州亚运村今日起向公众开放参观，市民可通过预约进入，体验亚运村的运动设施和绿色建筑。</p>
<p>杭州市有关部门表示，开放期间将安排讲解员，介绍场馆赛后利用情况。</p>
</div>
</body></html>"#;

fn write_corpus(dir: &Path) -> Vec<PathBuf> {
    let files = [
        ("sina/beijing-parks.html", PORTAL_PAGE),
        ("hkej/voucher.html", HKEJ_PAGE),
        ("hkej/property.txt", HKEJ_TEXT),
        ("tw/apple-mrt.html", TW_APPLE_PAGE),
        ("other/grain.html", UNKNOWN_SITE_PAGE),
        ("other/asian-games.html", BARE_HOST_PAGE),
    ];
    let mut paths = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    paths
}

fn one_article(file: &Value) -> &Value {
    let a = articles(file);
    assert_eq!(a.len(), 1, "{file}");
    &a[0]
}

fn index_of_fixtures() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    write_corpus(&corpus);
    let index = dir.path().join("index");
    build(&corpus, &index);
    (dir, index)
}

fn run_err(args: &[&str], index: &Path) -> String {
    let out = bin()
        .args(args)
        .arg("--index")
        .arg(index)
        .output()
        .expect("runs");
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn one_outlet_printed_under_two_names_is_one_source() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_corpus(dir.path());
    let found = inspect_json(&files[1..4]);
    let page = one_article(&found[0]);
    let text = one_article(&found[1]);
    assert_eq!(page["source"], "信报", "{page}");
    assert_eq!(text["source"], "信报", "{text}");
    // The name as printed stays visible.
    assert_eq!(page["source_printed"], "今日信報", "{page}");
    assert_eq!(text["source_printed"], "信報財經新聞", "{text}");
    // 蘋果日報 on Taiwan's own site is Taiwan's paper, not Hong Kong's.
    let tw = one_article(&found[2]);
    assert_eq!(tw["source"], "苹果日报", "{tw}");
}

#[test]
fn a_portal_page_credits_one_outlet_and_is_published_by_another() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_corpus(dir.path());
    let found = inspect_json(&files);
    let portal = one_article(&found[0]);
    assert_eq!(portal["source"], "新京报", "{portal}");
    assert_eq!(portal["site"], "新浪", "{portal}");
    assert_eq!(one_article(&found[1])["site"], "信报");
    // No host row: the name the page gives itself, else the host without www.
    assert_eq!(one_article(&found[4])["site"], "粮油市场观察网");
    assert_eq!(one_article(&found[5])["site"], "west-lake-daily.example");
}

#[test]
fn sites_filter_and_count_everywhere_sources_do() {
    let (_dir, index) = index_of_fixtures();
    // Counted: `facets --by site` and the search's own facet counts agree.
    let by_site = facets_json(&index, &["--by", "site"]);
    let text = by_site.to_string();
    assert!(text.contains("新浪") && text.contains("信报"), "{text}");
    let q = query_json(&index, &[""]);
    let sites: Vec<&str> = q["facets"]["site"]
        .as_array()
        .expect("site counted with every search")
        .iter()
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert!(
        sites.contains(&"新浪") && sites.contains(&"信报"),
        "{sites:?}"
    );
    // Filtered: by flag, by any alias or host, and inside the query.
    for args in [
        vec!["", "--site", "新浪"],
        vec!["", "--site", "新浪网"],
        vec!["", "--site", "news.sina.com.cn"],
        vec!["site:新浪"],
    ] {
        let v = query_json(&index, &args);
        assert_eq!(total(&v), 1, "{args:?}: {v}");
        assert_eq!(v["hits"][0]["site"], "新浪", "{args:?}");
        assert_eq!(v["hits"][0]["source"], "新京报", "{args:?}");
    }
    // The source filter still finds the credited outlet, whichever name is typed.
    let v = query_json(&index, &["", "--source", "今日信報"]);
    assert_eq!(total(&v), 2, "{v}");
}

#[test]
fn unknown_sources_and_sites_are_refused_with_suggestions() {
    let (_dir, index) = index_of_fixtures();
    let err = run_err(&["query", "北京", "--source", "新京晚报社"], &index);
    assert!(err.contains("新京晚报社"), "{err}");
    assert!(
        err.contains("Did you mean") && err.contains("新京报"),
        "{err}"
    );
    let err = run_err(&["query", "北京", "--site", "新狼"], &index);
    assert!(
        err.contains("Did you mean") && err.contains("新浪"),
        "{err}"
    );
    let err = run_err(&["query", "source:新京晚报社"], &index);
    assert!(err.contains("新京报"), "{err}");
    // A name that is no known outlet but that the index holds is a valid value.
    let v = query_json(&index, &["", "--site", "粮油市场观察网"]);
    assert_eq!(total(&v), 1, "{v}");
}

#[test]
fn export_columns_match_the_counts_and_the_schema() {
    let (_dir, index) = index_of_fixtures();
    // The national story: facets counts it under 全国, and so does its provinces cell.
    let counted = facets_json(&index, &["粮食", "--by", "province"]).to_string();
    assert!(counted.contains("全国"), "{counted}");
    let out = bin()
        .args(["export", "粮食", "--format", "jsonl", "--fields"])
        .arg("id,provinces,source,site,reprints")
        .arg("--index")
        .arg(&index)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row: Value =
        serde_json::from_slice(out.stdout.split(|&b| b == b'\n').next().expect("a row"))
            .expect("JSON");
    assert_eq!(row["provinces"], serde_json::json!(["全国"]), "{row}");
    assert_eq!(row["site"], "粮油市场观察网", "{row}");
    assert!(row["reprints"].is_u64(), "reprints is a number: {row}");
    // The source as printed is a column too.
    let out = bin()
        .args([
            "export", "", "--source", "信报", "--format", "jsonl", "--fields",
        ])
        .arg("source,source_printed")
        .arg("--index")
        .arg(&index)
        .output()
        .expect("runs");
    let printed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON")["source_printed"].to_string())
        .collect();
    assert!(
        printed.iter().any(|p| p.contains("今日信報")),
        "{printed:?}"
    );
    assert!(
        printed.iter().any(|p| p.contains("信報財經新聞")),
        "{printed:?}"
    );
    // CSV: a site column.
    let out = bin()
        .args(["export", "森林公园", "--fields", "id,source,site"])
        .arg("--index")
        .arg(&index)
        .output()
        .expect("runs");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.lines().next().unwrap_or("").ends_with("id,source,site"),
        "{csv}"
    );
    assert!(csv.contains(",新京报,新浪"), "{csv}");
}

#[test]
fn the_page_and_api_offer_the_site_facet() {
    let (_dir, index) = index_of_fixtures();
    let server = common::server::Server::start(&index, &["--quiet"]);
    let v = server.ok_json(&format!("/api/search?site={}", enc("新浪")));
    assert_eq!(v["total"], 1, "{v}");
    assert!(v["facets"]["site"].is_array(), "{v}");
    let (status, _, page) = server.get(&format!("/?q={}", enc("北京")));
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"data-facet="site"><h3>网站</h3>"#),
        "the sidebar has a 网站 group"
    );
    let (_, _, page) = server.get(&format!("/?q={}&site={}", enc("北京"), enc("新浪")));
    assert!(page.contains("网站：新浪"), "a 网站 chip");
    let spec = server.ok_json("/api/openapi.json");
    let params = spec["paths"]["/api/search"]["get"]["parameters"].to_string();
    assert!(params.contains("\"site\""), "{params}");
    assert!(
        spec["components"]["schemas"]["Hit"]["properties"]["site"].is_object(),
        "the Hit schema has site"
    );
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// A page saved without its address (no canonical link, no og:url) whose navigation and
/// related stories link to its own site: that site is the page's, and its source when the
/// page credits no outlet.
#[test]
fn a_page_saved_without_its_url_belongs_to_the_site_it_links_to() {
    let dir = tempfile::tempdir().unwrap();
    let mut nav = String::new();
    for (i, section) in ["国内", "国际", "财经", "体育", "娱乐", "科技"]
        .iter()
        .enumerate()
    {
        nav.push_str(&format!(
            "<a href=\"https://news.sina.com.cn/s{i}/\">{section}</a> "
        ));
    }
    nav.push_str("<a href=\"https://weibo.com/example\">微博</a> <a href=\"/about.html\">关于</a>");
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>秋收时节农机忙</title></head>\
         <body><div class=\"nav\">{nav}</div><h1>秋收时节农机忙</h1>\
         <div class=\"article\"><p>眼下正是秋收时节，各地农民抢抓晴好天气收割玉米和水稻。</p>\
         <p>农机合作社组织数十台收割机连续作业，预计本周内完成全部收割任务。</p></div>\
         <div class=\"related\"><a href=\"https://finance.sina.com.cn/a/1.shtml\">粮价平稳</a></div>\
         </body></html>"
    );
    let with_links = dir.path().join("saved.html");
    std::fs::write(&with_links, &page).unwrap();
    // The same page with only relative links names no site.
    let relative = dir.path().join("saved-relative.html");
    std::fs::write(
        &relative,
        page.replace("https://news.sina.com.cn", "")
            .replace("https://finance.sina.com.cn", ""),
    )
    .unwrap();
    let found = inspect_with(&[with_links, relative], &[]);
    let a = &articles(&found[0])[0];
    assert_eq!(field(a, "site"), "新浪", "{a:#}");
    assert_eq!(field(a, "source"), "新浪", "{a:#}");
    let b = &articles(&found[1])[0];
    assert_eq!(field(b, "site"), "", "{b:#}");
    assert_eq!(field(b, "source"), "", "{b:#}");
}

/// A saved portal page with no URL: its `<title>` names the site, and a `source` meta
/// credits the agency. The credit is the source, never the site.
const SAVED_PORTAL_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>长江流域禁渔成效显现_国内新闻_新浪网</title>
<meta name="source" content="新华网">
</head><body>
<h1>长江流域禁渔成效显现</h1>
<div class="article">
<p>记者从农业农村部获悉，长江流域重点水域实施禁渔以来，水生生物资源逐步恢复，多地监测到江豚群体活动。</p>
<p>农业农村部有关负责人表示，将继续加强执法监管，巩固禁渔成果，推动长江生态持续向好。</p>
</div>
</body></html>"#;

#[test]
fn a_credit_in_the_metadata_is_the_source_and_not_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("saved.html");
    std::fs::write(&page, SAVED_PORTAL_PAGE).unwrap();
    let file = &inspect_json(&[page])[0];
    let a = one_article(file);
    assert_eq!(a["source"], "新华社", "{a}");
    assert_eq!(a["site"], "新浪", "{a}");
}
