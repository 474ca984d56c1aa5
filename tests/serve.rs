//! `corpus-search serve`: the real server on 127.0.0.1:0, called over HTTP. The API must
//! answer with the same objects as `query --json` and `facets --json`, say what to fix with
//! a 400, 404 what is not there, escape every piece of article text on the page, follow a
//! rebuilt index, log each request and stop cleanly on SIGTERM.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::server::Server;
use common::*;

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A corpus with text that looks like markup, to check the page escapes it.
fn markup_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("markup.txt"),
        "网页代码与安全\n\n2024年5月1日 新华社\n\n有读者来信说，文章里写着 <script>alert(\"低空经济\")</script> 这样的代码，还有 a < b && c > d 的比较式，以及 <img src=x onerror=alert(1)> 这样的标签。\n\n低空经济发展迅速，广东深圳的无人机企业很多，5G 网络和 AI 技术也在帮忙。\n",
    )
    .unwrap();
}

#[test]
fn api_answers_with_the_objects_of_the_command_line() {
    let index = seeds_index();
    let server = Server::start(index, &[]);
    for (api, cli) in [
        ("q=低空经济", vec!["低空经济"]),
        (
            "q=低空经济&province=广东",
            vec!["低空经济", "--province", "广东"],
        ),
        (
            "q=新质生产力&sort=date&limit=3",
            vec!["新质生产力", "--sort", "date", "--limit", "3"],
        ),
        (
            "q=&industry=人工智能&from=2024",
            vec!["", "--industry", "人工智能", "--from", "2024"],
        ),
        (
            "q=深圳 OR 北京&limit=2&offset=1",
            vec!["深圳 OR 北京", "--limit", "2", "--offset", "1"],
        ),
    ] {
        let from_api = server.ok_json(&format!("/api/search?{}", api.replace(' ', "+")));
        let from_cli = query_json(index, &cli);
        assert_eq!(from_api, from_cli, "{api}");
    }
    // Narrowing by a province gives fewer results, each of them in that province.
    let all = server.ok_json(&format!("/api/search?q={}", enc("低空经济")));
    let gd = server.ok_json(&format!(
        "/api/search?q={}&province={}",
        enc("低空经济"),
        enc("广东")
    ));
    assert!(total(&gd) >= 1 && total(&gd) < total(&all), "{all} / {gd}");
    for hit in gd["hits"].as_array().unwrap() {
        assert!(hit["regions"].to_string().contains("广东"), "{hit}");
    }
    // Facets, one facet and a table, as `facets --json` prints them.
    let api = server.ok_json(&format!("/api/facets?q={}&by=province", enc("低空经济")));
    assert_eq!(api, facets_json(index, &["低空经济", "--by", "province"]));
    let api = server.ok_json(&format!(
        "/api/facets?q={}&by=province,month",
        enc("新质生产力")
    ));
    assert_eq!(
        api,
        facets_json(index, &["新质生产力", "--by", "province", "--by", "month"])
    );
}

#[test]
fn articles_health_and_the_api_description() {
    let server = Server::start(seeds_index(), &[]);
    let found = server.ok_json(&format!("/api/search?q={}&limit=1", enc("低空经济")));
    let hit = &found["hits"][0];
    let id = hit["id"].as_str().unwrap();
    assert!(id.contains('#'));
    let article = server.ok_json(&format!("/api/articles/{}", id.replace('#', "%23")));
    assert_eq!(article["id"], hit["id"]);
    assert_eq!(article["title"], hit["title"]);
    assert_eq!(article["source"], hit["source"]);
    assert!(article["body"].as_str().unwrap().contains("低空经济"));
    assert!(article["body"].as_str().unwrap().chars().count() > 200);

    let (status, err) = server.json("/api/articles/no-such-file.txt%231");
    assert_eq!(status, 404);
    assert!(
        err["error"].as_str().unwrap().contains("no article"),
        "{err}"
    );

    let health = server.ok_json("/api/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["articles"], 11);

    let spec = server.ok_json("/api/openapi.json");
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/api/search",
        "/api/facets",
        "/api/articles/{id}",
        "/api/health",
    ] {
        assert!(
            paths.iter().any(|k| k.as_str() == p),
            "{p} not in {paths:?}"
        );
    }
    // The facets are described as the server takes them: each filter parameter the search
    // accepts is in the spec, and the counted facets are the keys a search answers with.
    let search_params: Vec<&str> = spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in [
        "province",
        "city",
        "source",
        "industry",
        "from",
        "to",
        "mentioned",
    ] {
        assert!(
            search_params.contains(&name),
            "{name} not in {search_params:?}"
        );
    }
    let answered = server.ok_json("/api/search?q=经济");
    let counted = &spec["components"]["schemas"]["SearchResponse"]["properties"]["facets"];
    let mut described: Vec<&String> = counted["properties"].as_object().unwrap().keys().collect();
    let mut keys: Vec<&String> = answered["facets"].as_object().unwrap().keys().collect();
    described.sort();
    keys.sort();
    assert_eq!(described, keys);
    // Every described path answers (with an id where one is needed).
    for p in paths {
        let mut url = p.replace("{id}", &id.replace('#', "%23"));
        if p == "/api/kwic" {
            // A concordance needs a word to show.
            url.push_str("?q=%E7%BB%8F%E6%B5%8E");
        }
        let (status, _, _) = server.get(&url);
        assert_eq!(status, 200, "{url}");
    }
}

#[test]
fn bad_requests_get_advice_never_a_trace() {
    let server = Server::start(seeds_index(), &[]);
    for (url, expect) in [
        (
            "/api/search?q=x&provnce=广东",
            "unknown parameter `provnce`",
        ),
        ("/api/search?q=x&limit=ten", "whole number"),
        ("/api/search?q=x&limit=5000", "offset"),
        ("/api/search?q=x&offset=99999999", "deepest page"),
        ("/api/search?q=x&sort=random", "relevance or date"),
        ("/api/search?q=x&province=广冬", "unknown province"),
        ("/api/search?q=x&from=2024-13", "2024"),
        ("/api/search?q=%22低空经济", "quote"),
        ("/api/search?q=x&from=2025&to=2024", "swap"),
        ("/api/facets?q=x&by=planet", "province"),
        ("/api/facets?q=x&by=province,month,source", "at most two"),
    ] {
        let (status, v) = server.json(
            &url.replace("广东", &enc("广东"))
                .replace("广冬", &enc("广冬")),
        );
        assert_eq!(status, 400, "{url}: {v}");
        let msg = v["error"].as_str().unwrap_or_else(|| panic!("{url}: {v}"));
        assert!(
            msg.to_lowercase().contains(&expect.to_lowercase()),
            "{url}: `{msg}` should mention `{expect}`"
        );
        assert!(!msg.contains("panicked") && !msg.contains("src/"), "{msg}");
        assert_eq!(v["status"], 400);
    }
    let many_terms = "a ".repeat(1100);
    let (status, v) = server.json(&format!("/api/search?q={}", enc(&many_terms)));
    assert_eq!(status, 400, "{v}");
    let (status, v) = server.json("/api/nothing-here");
    assert_eq!(status, 404, "{v}");
    assert!(v["error"].as_str().unwrap().contains("openapi"), "{v}");
    // The page turns the same mistakes into a readable message, not an error page of code.
    let (status, ctype, page) = server.get(&format!("/?q=x&province={}", enc("广冬")));
    assert_eq!(status, 400);
    assert!(ctype.starts_with("text/html"));
    // ... in Chinese, from the error's code: the API's English stays out of the page.
    assert!(page.contains(r#"data-code="unknown_value""#), "{page}");
    assert!(page.contains("筛选条件里的名称无法识别"), "{page}");
    assert!(!page.contains("unknown province"), "{page}");
    let (status, _, page) = server.get(&format!("/?q={}", enc("\"香港 台湾")));
    assert_eq!(status, 400);
    assert!(page.contains("引号没有闭合"), "{page}");
    assert!(!page.contains("never closed"), "{page}");
    // One log line per request, with method, path and status.
    let log = server.log_text();
    assert!(log.contains("GET /api/nothing-here 404"), "{log}");
    assert!(log.contains("/api/search?q=x&limit=ten 400"), "{log}");
}

#[test]
fn the_page_searches_narrows_by_a_facet_and_shows_an_article() {
    let server = Server::start(seeds_index(), &[]);
    let (status, ctype, page) = server.get(&format!("/?q={}", enc("低空经济")));
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert!(page.contains("<b>低空经济</b>"), "highlighted snippets");
    let total_of = |page: &str| -> u64 {
        let start = page.find(r#"id="total">"#).expect("a result count") + 11;
        page[start..]
            .split('<')
            .next()
            .unwrap()
            .parse()
            .expect("a number")
    };
    assert_eq!(total_of(&page), 4);
    assert!(page.contains("<svg class=\"chart time\""), "month chart");
    assert!(
        page.contains("<svg class=\"chart provinces\""),
        "province chart"
    );
    // The 广东 link of the province facet narrows the results; following it again removes it.
    let marker = r#"data-value="广东""#;
    let at = page.find(marker).expect("a 广东 facet link");
    let href_start = page[..at].rfind("href=\"").unwrap() + 6;
    let href = &page[href_start..href_start + page[href_start..].find('"').unwrap()];
    let href = href.replace("&amp;", "&");
    assert!(href.contains("province="), "{href}");
    let (status, _, narrowed) = server.get(&href);
    assert_eq!(status, 200);
    // The two Shenzhen articles; the national round-up names 广东 among many provinces.
    assert_eq!(total_of(&narrowed), 2);
    assert!(
        narrowed.contains(r#"class="chip""#),
        "the filter shows as a chip"
    );
    // An article link from the narrowed page, with the query highlighted in the full text.
    let opening = "<li class=\"hit\"><h2><a href=\"";
    let at = narrowed.find(opening).expect("a hit") + opening.len();
    let link = narrowed[at..at + narrowed[at..].find('"').unwrap()].replace("&amp;", "&");
    assert!(link.starts_with("/article/"), "{link}");
    let (status, _, article) = server.get(&link);
    assert_eq!(status, 200, "{link}");
    assert!(article.contains("<b>低空经济</b>"));
    assert!(article.contains("返回搜索结果"));
    // Paging past the end says so; the second page of all articles exists.
    let (status, _, all) = server.get("/?page=2");
    assert_eq!(status, 200);
    assert!(all.contains("aria-current=\"page\">2<"), "{all}");
    let (_, _, past) = server.get("/?page=99");
    assert!(past.contains("超出结果范围"));
    let (status, _, _) = server.get("/article/no-such.txt%231");
    assert_eq!(status, 404);
    let (status, ctype, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/css"));
}

#[test]
fn article_text_that_looks_like_markup_is_shown_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let index = tmp.path().join("index");
    markup_corpus(&corpus);
    build(&corpus, &index);
    let server = Server::start(&index, &[]);
    let q = enc("低空经济");
    let (_, _, page) = server.get(&format!("/?q={q}"));
    let found = server.ok_json(&format!("/api/search?q={q}"));
    assert_eq!(total(&found), 1, "{found}");
    let id = found["hits"][0]["id"].as_str().unwrap().replace('#', "%23");
    let (_, _, article) = server.get(&format!("/article/{id}?q={q}"));
    let (_, _, with_markup_query) = server.get(&format!("/?q={}", enc("<script>")));
    for html in [&page, &article, &with_markup_query] {
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(!html.contains("<script>\""), "{html}");
    }
    assert!(article.contains("&lt;script&gt;alert("), "{article}");
    assert!(
        article.contains("a &lt; b &amp;&amp; c &gt; d"),
        "{article}"
    );
    assert!(
        article.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{article}"
    );
    // The query itself goes back into the search box as an escaped attribute.
    assert!(
        with_markup_query.contains("value=\"&lt;script&gt;\""),
        "{with_markup_query}"
    );
}

#[test]
fn a_rebuilt_index_is_served_without_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tmp.path().join("small");
    let index = tmp.path().join("index");
    markup_corpus(&small);
    build(&small, &index);
    let server = Server::start(&index, &[]);
    assert_eq!(server.ok_json("/api/health")["articles"], 1);
    build(&seeds_dir(), &index);
    let health = server.ok_json("/api/health");
    assert_eq!(health["articles"], 11, "{health}");
    let found = server.ok_json(&format!("/api/search?q={}", enc("新质生产力")));
    assert!(total(&found) > 0);
    assert!(server.log_shows("index rebuilt"), "{}", server.log_text());
}

#[test]
fn a_missing_index_says_how_to_build_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(tmp.path().join("none"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("corpus-search index --corpus"), "{err}");
}

#[test]
fn an_address_in_use_is_explained() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap().to_string();
    let out = bin()
        .args(["serve", "--addr", &addr, "--index"])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--addr"), "{err}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut server = Server::start(seeds_index(), &[]);
    server.ok_json("/api/health");
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        server.log_text().contains("stopped"),
        "{}",
        server.log_text()
    );
}

/// Overload: with one worker busy and no room to wait, the next search gets "busy" at once.
#[test]
fn overload_is_refused_not_queued() {
    use corpus_search::serve::{AppState, RunError};
    let state = Arc::new(AppState::new(PathBuf::from(seeds_index()), 1, 0).expect("opens"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
        let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
        let busy = state.clone();
        let first = tokio::spawn(async move {
            busy.run(move |_| {
                let _ = started_tx.send(());
                let _ = hold_rx.recv();
                Ok(1)
            })
            .await
        });
        started_rx.await.unwrap();
        let second = state.run(|_| Ok(2)).await;
        assert!(matches!(second, Err(RunError::Busy)), "{second:?}");
        assert_eq!(second.unwrap_err().status().as_u16(), 503);
        hold_tx.send(()).unwrap();
        assert_eq!(first.await.unwrap().unwrap(), 1);
        assert_eq!(state.run(|_| Ok(3)).await.unwrap(), 3);
    });
}

#[test]
fn a_web_page_shows_its_url_and_where_its_date_came_from() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let index = tmp.path().join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("page.html"),
        r#"<!DOCTYPE html><html><head><title>郑州开通第三条城郊铁路_示例网</title>
<meta name="publishdate" content="2024-06-12">
<link rel="canonical" href="https://news.example.cn/2024/06/12/a.html"></head>
<body><h1>郑州开通第三条城郊铁路</h1><div class="content">
<p>郑州市第三条城郊铁路12日开通运营，全长三十多公里，沿线设站十座，市民出行更加便捷。</p>
<p>运营单位表示，开通初期行车间隔为十分钟，早晚高峰将视客流加开列车。</p></div></body></html>"#,
    )
    .unwrap();
    build(&corpus, &index);
    let server = Server::start(&index, &[]);
    let found = server.ok_json(&format!("/api/search?q={}", enc("城郊铁路")));
    let hit = &found["hits"][0];
    assert_eq!(hit["date"], "2024-06-12", "{hit}");
    assert_eq!(hit["date_from"], "meta", "{hit}");
    assert_eq!(
        hit["url"], "https://news.example.cn/2024/06/12/a.html",
        "{hit}"
    );
    let id = hit["id"].as_str().unwrap().replace('#', "%23");
    let (_, _, article) = server.get(&format!("/article/{id}"));
    assert!(article.contains("日期取自页面元数据"), "{article}");
    assert!(
        article.contains(r#"href="https://news.example.cn/2024/06/12/a.html""#),
        "{article}"
    );
}

/// The `year` facet in the API (`year=2024`) and on the page (a 年份 group and chip).
#[test]
fn a_year_narrows_the_api_and_the_page() {
    let server = Server::start(seeds_index(), &[]);
    let all = server.ok_json("/api/search?q=");
    let years = all["facets"]["year"].as_array().expect("year counts");
    let first = &years[0];
    let year = first["value"].as_str().unwrap();
    let narrowed = server.ok_json(&format!("/api/search?year={year}"));
    assert_eq!(narrowed["total"], first["count"], "{narrowed:#}");
    let (status, _, page) = server.get("/?q=");
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-facet="year""#), "no 年份 group");
    let (_, _, page) = server.get(&format!("/?q=&year={year}"));
    assert!(page.contains(&format!("年份：{year}")), "no year chip");
    let (status, body) = server.json("/api/search?year=24");
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("not a year"),
        "{body}"
    );
}

/// `/api/facets` compares and normalises as `facets --compare --normalize --json` does.
#[test]
fn the_api_compares_and_normalises_like_the_command_line() {
    let server = Server::start(seeds_index(), &[]);
    let api = server.ok_json("/api/facets?q=%E7%BB%8F%E6%B5%8E&by=month&compare=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&normalize=1");
    let cli = facets_json(
        seeds_index(),
        &[
            "经济",
            "--by",
            "month",
            "--compare",
            "人工智能",
            "--normalize",
        ],
    );
    assert_eq!(api, cli);
    let (status, body) = server.json("/api/facets?q=x&by=month&by=province&normalize=1");
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("one `by`"),
        "{body}"
    );
}

/// Every error body has one shape, `{"error", "code", "status"}`; the code is stable and the
/// API's description lists the codes and each operation's error responses.
#[test]
fn errors_carry_a_stable_code_that_the_description_lists() {
    let server = Server::start(seeds_index(), &[]);
    for (url, status, code) in [
        ("/api/search?q=x&provnce=1", 400, "bad_parameter"),
        ("/api/search?q=x&limit=ten", 400, "bad_parameter"),
        ("/api/search?q=%22%E9%A6%99%E6%B8%AF", 400, "unclosed_quote"),
        ("/api/search?q=(%E9%A6%99%E6%B8%AF", 400, "unclosed_paren"),
        (
            "/api/search?q=%E9%A6%99%E6%B8%AF%20OR",
            400,
            "missing_operand",
        ),
        ("/api/search?q=planet:x", 400, "unknown_field"),
        ("/api/kwic?q=-%E9%A6%99%E6%B8%AF", 400, "no_words_to_show"),
        (
            "/api/search?q=x&city=%E5%B9%BF%E5%86%AC%E5%B8%82",
            400,
            "unknown_value",
        ),
        ("/api/search?q=x&from=2025&to=2024", 400, "bad_request"),
        ("/api/articles/nothing%231", 404, "not_found"),
        ("/api/nothing-here", 404, "not_found"),
    ] {
        let (got, v) = server.json(url);
        assert_eq!(got, status, "{url}: {v}");
        assert_eq!(v["code"], code, "{url}: {v}");
        assert_eq!(v["status"], status, "{url}: {v}");
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
    }
    let spec = server.ok_json("/api/openapi.json");
    let codes = &spec["components"]["schemas"]["Error"]["properties"]["code"]["enum"];
    for code in [
        "bad_parameter",
        "unclosed_quote",
        "not_found",
        "busy",
        "internal",
    ] {
        assert!(codes.as_array().unwrap().contains(&code.into()), "{codes}");
    }
    for (path, op) in spec["paths"].as_object().unwrap() {
        if path.starts_with("/api/health") || path.starts_with("/api/openapi") {
            continue;
        }
        let responses = &op["get"]["responses"];
        for status in ["500", "503"] {
            assert_eq!(
                responses[status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{path} {status}"
            );
        }
    }
}

/// The four requests schemathesis found the description allowed and the server refused
/// (issue 29): each is now either answered or stated in the description.
#[test]
fn what_the_description_allows_is_answered() {
    let server = Server::start(seeds_index(), &[]);
    // A query of control characters only is the empty query: every article.
    let all = server.ok_json("/api/search");
    let control = server.ok_json("/api/search?q=%1A");
    assert_eq!(control["total"], all["total"]);
    // bom is for CSV; JSON Lines never starts with one, and the request is not refused.
    let (status, _, body) = server.get("/api/export?format=jsonl&bom=true");
    assert_eq!(status, 200);
    assert!(body.starts_with('{'), "{}", &body[..body.len().min(80)]);
    // One facet named twice is one facet.
    let twice = server.ok_json("/api/facets?by=day&by=day&normalize=true");
    let once = server.ok_json("/api/facets?by=day&normalize=true");
    assert_eq!(twice, once);
    // A concordance needs a query, and the description says so.
    let spec = server.ok_json("/api/openapi.json");
    let q = &spec["paths"]["/api/kwic"]["get"]["parameters"][0];
    assert_eq!(
        (q["name"].as_str(), q["required"].as_bool()),
        (Some("q"), Some(true))
    );
    assert_eq!(q["schema"]["minLength"], 1);
    let (status, v) = server.json("/api/kwic");
    assert_eq!(
        (status, v["code"].as_str()),
        (400, Some("no_words_to_show"))
    );
}

/// The open lists (sources, sites) are described with the values this index takes, so a
/// client generated from the description sends what is accepted; what the description
/// bounds (two `by`, a concordance's lines) the server bounds too.
#[test]
fn the_description_lists_the_index_sources_and_bounds_what_the_server_bounds() {
    let server = Server::start(seeds_index(), &[]);
    let spec = server.ok_json("/api/openapi.json");
    let counts = server.ok_json("/api/facets?by=source");
    let held = counts["rows"][0]["value"]
        .as_str()
        .expect("a source the index holds");
    let search = spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let source = search.iter().find(|p| p["name"] == "source").unwrap();
    let listed = source["schema"]["items"]["enum"].as_array().unwrap();
    assert!(listed.iter().any(|v| v == held), "{held} is listed");
    assert!(
        listed.iter().any(|v| v == "新华社"),
        "a known outlet is listed"
    );
    let (status, _) = server.json(&format!("/api/search?source={}", percent(held)));
    assert_eq!(status, 200);
    let (status, v) = server.json("/api/facets?by=&by=&by=");
    assert_eq!((status, v["code"].as_str()), (400, Some("bad_parameter")));
    let kwic = spec["paths"]["/api/kwic"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let limit = kwic.iter().find(|p| p["name"] == "limit").unwrap();
    let max = limit["schema"]["maximum"].as_u64().expect("a maximum");
    let (status, _) = server.json(&format!("/api/kwic?q=%E7%BB%8F%E6%B5%8E&limit={max}"));
    assert_eq!(status, 200);
    let (status, _) = server.json(&format!("/api/kwic?q=%E7%BB%8F%E6%B5%8E&limit={}", max + 1));
    assert_eq!(status, 400);
}

fn percent(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// The page's time chart as counts, as shares of each month's articles (`chart=share`), and
/// with another query's line over it (`vs=`); the links keep the search and its filters.
#[test]
fn the_time_chart_shows_shares_and_a_second_query() {
    let server = Server::start(seeds_index(), &[]);
    let (status, _, counts) = server.get("/?q=%E7%BB%8F%E6%B5%8E");
    assert_eq!(status, 200);
    assert!(counts.contains("最多"), "counts by default");
    assert!(counts.contains("占当月比例"), "a link to the shares");
    let (_, _, shares) = server.get("/?q=%E7%BB%8F%E6%B5%8E&chart=share");
    let mut few_months = 0;
    // Each bar's share is the month's matches over all its articles, as facets --normalize says.
    let table = facets_json(seeds_index(), &["经济", "--by", "month", "--normalize"]);
    for row in table["rows"].as_array().unwrap() {
        let month = row["value"].as_str().unwrap();
        let n = row["counts"][0].as_u64().unwrap();
        if month == "(none)" || n == 0 {
            continue;
        }
        let share = row["shares"][0].as_f64().unwrap();
        let shown = if share < 0.01 {
            format!("{:.1}‰", share * 1000.0)
        } else {
            format!("{:.1}%", share * 100.0)
        };
        // The share says what it divides by, and a month of few articles says how few.
        let all = row["all"].as_u64().unwrap();
        let few = if all < 10 {
            format!("（当月只有 {all} 篇）")
        } else {
            String::new()
        };
        assert!(
            shares.contains(&format!("{month}：{n} 篇，占当月 {shown}{few}")),
            "{month} {shown}{few}"
        );
        few_months += usize::from(all < 10);
    }
    assert_eq!(shares.matches(r#"<rect class="few""#).count(), few_months);
    assert!(
        shares.contains("浅色：当月文章不足 10 篇"),
        "the marks are explained"
    );
    let (_, _, both) = server.get("/?q=%E7%BB%8F%E6%B5%8E&province=%E5%B9%BF%E4%B8%9C&vs=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD");
    assert!(
        both.contains(r#"<polyline class="overlay""#),
        "a line for the second query"
    );
    assert!(both.contains("「人工智能」"), "the line is named");
    // A compared query that cannot be read is said, and the page still answers.
    let (status, _, bad) = server.get("/?q=%E7%BB%8F%E6%B5%8E&vs=%28");
    assert_eq!(status, 200);
    assert!(
        bad.contains("图上没有画出对比"),
        "the page says why there is no line"
    );
    // The controls keep the filter and the compared query.
    assert!(
        both.contains("province=%E5%B9%BF%E4%B8%9C&amp;chart=share&amp;vs="),
        "{}",
        &both[both.find("chart-controls").unwrap_or(0)..][..400.min(both.len())]
    );
}

/// The API does not reveal where the corpus and the index lie on the server, unless
/// `serve --show-paths` (issue 27): /api/health names the corpus's folder only.
#[test]
fn no_api_answer_reveals_a_server_path() {
    let index = seeds_index();
    let absolute: Vec<String> = [seeds_dir(), index.to_path_buf()]
        .iter()
        .map(|p| p.canonicalize().unwrap().display().to_string())
        .collect();
    let server = Server::start(index, &[]);
    let health = server.ok_json("/api/health");
    assert_eq!(health["corpus"], "seeds", "{health}");
    let hit = server.ok_json("/api/search?q=%E7%BB%8F%E6%B5%8E&limit=1");
    let id = enc(hit["hits"][0]["id"].as_str().unwrap());
    for url in [
        "/api/health".to_string(),
        "/api/search?q=%E7%BB%8F%E6%B5%8E&limit=50".to_string(),
        "/api/facets?by=province&by=month".to_string(),
        "/api/kwic?q=%E7%BB%8F%E6%B5%8E".to_string(),
        "/api/export?format=jsonl&fields=id,path,url,title".to_string(),
        format!("/api/articles/{id}"),
        format!("/api/articles/{id}/reprints"),
        "/api/articles/nothing%231".to_string(),
        "/api/search?q=%22x".to_string(),
        "/api/nothing".to_string(),
    ] {
        let (_, _, body) = server.get(&url);
        for path in &absolute {
            assert!(
                !body.contains(path.as_str()),
                "{url} reveals {path}: {body}"
            );
        }
    }
    let shown = Server::start(index, &["--show-paths"]);
    let health = shown.ok_json("/api/health");
    assert!(
        absolute
            .iter()
            .any(|p| health["corpus"].as_str() == Some(p.as_str()))
            || health["corpus"]
                .as_str()
                .is_some_and(|c| c.ends_with("seeds") && c.len() > 5),
        "{health}"
    );
}

/// Undated articles are counted, not dropped: the time chart and the 月份/年份 groups say
/// how many matches have no date (as `facets --by year` counts them under (none)).
#[test]
fn undated_articles_are_counted_on_the_page() {
    let table = facets_json(seeds_index(), &["经济", "--by", "year"]);
    let none = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == "(none)")
        .and_then(|r| r["count"].as_u64())
        .expect("some seeds have no date");
    let server = Server::start(seeds_index(), &[]);
    let (_, _, page) = server.get("/?q=%E7%BB%8F%E6%B5%8E");
    assert!(
        page.contains(&format!(
            r#"另有日期不详 <strong id="undated">{none}</strong> 篇"#
        )),
        "the chart says {none}"
    );
    for group in ["month", "year"] {
        let at = page
            .find(&format!(r#"data-facet="{group}""#))
            .unwrap_or_else(|| panic!("a {group} group"));
        let section = &page[at..at + page[at..].find("</section>").unwrap()];
        assert!(
            section.contains(&format!(
                r#"<li class="unknown"><span class="v">日期不详</span><span class="n">{none}</span></li>"#
            )),
            "{section}"
        );
    }
}
