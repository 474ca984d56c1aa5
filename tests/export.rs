//! `corpus-search export` and `/api/export`: every match, no cap. The rows must be the
//! articles `query` finds (as many as its total, the same ids), in an order that does not
//! change between runs, as CSV a spreadsheet opens or JSON Lines a script reads.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use common::server::Server;
use common::*;
use serde_json::Value;

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `export ARGS --index INDEX`, which must succeed: its stdout.
fn export(index: &Path, args: &[&str]) -> Vec<u8> {
    let out = bin()
        .arg("export")
        .args(args)
        .arg("--index")
        .arg(index)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "export {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A CSV as the `csv` crate reads it: the header and the rows.
fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("a CSV row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn parse_jsonl(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The ids of the hits `query --json --limit 1000` finds, sorted.
fn query_ids(index: &Path, args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--limit", "1000"]);
    let mut ids: Vec<String> = query_json(index, &all)["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

const SEED_SEARCHES: &[&[&str]] = &[
    &["低空经济"],
    &["经济", "--province", "广东"],
    &[""],
    &["人工智能", "--from", "2024-03"],
    &["深圳 OR 北京", "--sort", "date"],
    &["新质生产力 -深圳", "--industry", "人工智能"],
    &["", "--city", "深圳", "--mentioned"],
];

#[test]
fn rows_are_the_articles_query_finds() {
    let index = seeds_index();
    for search in SEED_SEARCHES {
        let total = total(&query_json(index, search)) as usize;
        let (header, rows) = parse_csv(&export(index, search));
        assert_eq!(header[0], "id", "{search:?}");
        assert_eq!(rows.len(), total, "{search:?}");
        let mut ids: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
        ids.sort();
        assert_eq!(ids, query_ids(index, search), "{search:?}");
        let mut jsonl = search.to_vec();
        jsonl.extend(["--format", "jsonl"]);
        assert_eq!(
            parse_jsonl(&export(index, &jsonl)).len(),
            total,
            "{search:?}"
        );
    }
    // A search that finds nothing gives the header and no rows.
    let (header, rows) = parse_csv(&export(index, &["量子纠缠态"]));
    assert_eq!(header.len(), 11);
    assert!(rows.is_empty());
}

#[test]
fn csv_has_the_columns_asked_for_and_lists_joined() {
    let index = seeds_index();
    let (header, rows) = parse_csv(&export(
        index,
        &[
            "低空经济",
            "--fields",
            "date,id,provinces,cities,industries,text",
        ],
    ));
    assert_eq!(
        header,
        ["date", "id", "provinces", "cities", "industries", "text"]
    );
    let hits = query_json(index, &["低空经济"]);
    for row in &rows {
        let hit = hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == row[1].as_str())
            .unwrap_or_else(|| panic!("{} is a hit", row[1]));
        assert_eq!(row[0], hit["date"].as_str().unwrap_or(""));
        let list = |key: &str| -> String {
            let values: Vec<&str> = hit[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            values.join(";")
        };
        assert_eq!(row[2], list("provinces"), "{}", row[1]);
        assert_eq!(row[4], list("industries"), "{}", row[1]);
        // The full text, quoted as CSV needs it, paragraphs and all.
        assert!(row[5].contains("低空经济") || row[5].contains("低空經濟"));
    }
    let shenzhen = rows
        .iter()
        .find(|r| r[1].starts_with("000_3fb0e0e4f6e559ef.txt#1"))
        .expect("the Shenzhen article");
    assert_eq!(shenzhen[2], "广东");
    assert_eq!(shenzhen[3], "广东/深圳");
    assert!(shenzhen[5].contains('\n'), "paragraphs kept");
}

#[test]
fn jsonl_keeps_the_field_order_with_lists_as_arrays() {
    let index = seeds_index();
    let out = export(
        index,
        &[
            "经济",
            "--format",
            "jsonl",
            "--fields",
            "title,provinces,date,url",
        ],
    );
    let rows = parse_jsonl(&out);
    assert!(!rows.is_empty());
    // The keys' order as written (a parsed object forgets it).
    for line in String::from_utf8(out).unwrap().lines() {
        let keys: Vec<usize> = ["\"title\"", "\"provinces\"", "\"date\"", "\"url\""]
            .iter()
            .map(|k| line.find(k).unwrap_or_else(|| panic!("{k} in {line}")))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{line}");
    }
    for row in &rows {
        assert!(row["provinces"].is_array(), "{row}");
        assert!(row["date"].is_string() || row["date"].is_null(), "{row}");
        assert_eq!(row.as_object().unwrap().len(), 4);
    }
}

#[test]
fn bom_only_when_asked() {
    let index = seeds_index();
    let with = export(index, &["低空经济", "--bom"]);
    assert_eq!(&with[..3], b"\xEF\xBB\xBF");
    let without = export(index, &["低空经济"]);
    assert_eq!(&with[3..], &without[..]);
    assert!(without.starts_with(b"id,"));
}

#[test]
fn two_runs_give_the_same_rows_in_the_same_order() {
    let index = seeds_index();
    for sort in ["relevance", "date"] {
        let args = ["", "--sort", sort, "--fields", "id,date"];
        let first = export(index, &args);
        assert_eq!(first, export(index, &args), "--sort {sort}");
        if sort == "date" {
            // Newest first, undated last.
            let (_, rows) = parse_csv(&first);
            let dates: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
            let dated = dates.iter().take_while(|d| !d.is_empty()).count();
            assert!(dates[dated..].iter().all(|d| d.is_empty()), "{dates:?}");
            assert!(
                dates[..dated].windows(2).all(|w| w[0][..7] >= w[1][..7]),
                "{dates:?}"
            );
        }
    }
}

#[test]
fn mistakes_get_advice_and_exit_2() {
    for (args, expect) in [
        (
            vec!["x", "--fields", "id,headline"],
            "the fields are id,title,date",
        ),
        (vec!["x", "--format", "xlsx"], "csv or jsonl"),
        (vec!["x", "--sort", "random"], "relevance or date"),
        (vec!["x", "--format", "jsonl", "--bom"], "CSV"),
        (vec!["x", "--province", "广冬"], "unknown province"),
    ] {
        let out = bin()
            .arg("export")
            .args(&args)
            .arg("--index")
            .arg(seeds_index())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing written on a mistake"
        );
    }
}

/// The index of rmrb-199801, built once per test binary (None when the corpus is absent).
fn rmrb_index() -> Option<&'static Path> {
    static INDEX: OnceLock<Option<PathBuf>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let corpus = shared_corpus("rmrb-199801")?;
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("export-rmrb-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            build(&corpus, &dir);
            Some(dir)
        })
        .as_deref()
}

#[test]
fn rmrb_every_article_and_every_match() {
    let Some(index) = rmrb_index() else { return };
    let all = parse_jsonl(&export(index, &["", "--format", "jsonl", "--fields", "id"]));
    assert_eq!(all.len(), 3248);
    assert_eq!(total(&query_json(index, &[""])), 3248);
    let mut ids: Vec<&str> = all.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3248, "each article once");
    for search in [
        &["经济"][..],
        &["经济", "--sort", "date"],
        &["香港 回归", "--from", "1998-01-10"],
        &["\"国有企业\" OR 下岗", "--province", "北京"],
        &["臺灣"],
    ] {
        let (_, rows) = parse_csv(&export(index, search));
        assert_eq!(
            rows.len() as u64,
            total(&query_json(index, search)),
            "{search:?}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_the_export_quietly() {
    let Some(index) = rmrb_index() else { return };
    // The whole text of 3,248 articles is far more than a pipe holds.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_corpus-search"))
        .args(["export", "", "--fields", "id,text", "--index"])
        .arg(index)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim_end(), "id,text");
    let status = child.wait().expect("ends");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status}: {err}");
    assert!(err.is_empty(), "{err}");
}

/// GET with the headers: (status, content-type, content-disposition, x-total-count, body).
fn download(server: &Server, path: &str) -> (u16, String, String, String, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .get(&format!("{}{}", server.base, path))
        .call()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (ctype, disposition, count) = (
        header("content-type"),
        header("content-disposition"),
        header("x-total-count"),
    );
    let body = resp
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .expect("body");
    (resp.status().as_u16(), ctype, disposition, count, body)
}

#[test]
fn the_api_streams_the_rows_of_the_command_line() {
    let index = seeds_index();
    let server = Server::start(index, &["--quiet"]);
    for (url, cli) in [
        ("q=低空经济", vec!["低空经济"]),
        (
            "q=经济&province=广东&sort=date&fields=id,date,title",
            vec![
                "经济",
                "--province",
                "广东",
                "--sort",
                "date",
                "--fields",
                "id,date,title",
            ],
        ),
        (
            "q=&format=jsonl&fields=id,provinces",
            vec!["", "--format", "jsonl", "--fields", "id,provinces"],
        ),
        ("q=人工智能&bom=1", vec!["人工智能", "--bom"]),
    ] {
        let encoded: String = url
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => format!("{k}={}", enc(v)),
                None => kv.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&");
        let (status, ctype, disposition, count, body) =
            download(&server, &format!("/api/export?{encoded}"));
        assert_eq!(status, 200, "{url}: {}", String::from_utf8_lossy(&body));
        assert_eq!(body, export(index, &cli), "{url}");
        let jsonl = url.contains("jsonl");
        let ext = if jsonl { "jsonl" } else { "csv" };
        // Named after the query and the day: an ASCII name, and the query's in filename*.
        assert!(
            disposition.starts_with("attachment; filename=\"corpus-search-")
                && disposition.contains(&format!(".{ext}\"; filename*=UTF-8''"))
                && disposition.ends_with(&format!(".{ext}")),
            "{disposition}"
        );
        assert!(
            ctype.starts_with(if jsonl {
                "application/x-ndjson"
            } else {
                "text/csv"
            }),
            "{ctype}"
        );
        let rows = if jsonl {
            parse_jsonl(&body).len()
        } else {
            let start = if body.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            parse_csv(&body[start..]).1.len()
        };
        assert_eq!(count, rows.to_string(), "{url}");
    }
    // Mistakes are a 400 with advice before any row is sent; the search has no `format`.
    for (url, expect) in [
        ("/api/export?fields=id,headline", "the fields are"),
        ("/api/export?q=x&limit=10", "every match"),
        ("/api/export?format=xlsx", "csv or jsonl"),
        ("/api/export?formt=csv", "format, fields, bom"),
        ("/api/search?q=x&format=csv", "unknown parameter `format`"),
    ] {
        let (status, v) = server.json(url);
        assert_eq!(status, 400, "{url}: {v}");
        assert!(v["error"].as_str().unwrap().contains(expect), "{url}: {v}");
    }
    // The description lists the endpoint, its own parameters and the facet filters.
    let spec = server.ok_json("/api/openapi.json");
    let params: Vec<&str> = spec["paths"]["/api/export"]["get"]["parameters"]
        .as_array()
        .expect("/api/export is described")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in [
        "q", "province", "city", "source", "industry", "from", "to", "sort", "format", "fields",
        "bom",
    ] {
        assert!(params.contains(&name), "{name} not in {params:?}");
    }
}

#[test]
fn the_page_links_a_csv_of_the_search_it_shows() {
    let index = seeds_index();
    let server = Server::start(index, &["--quiet"]);
    let (status, _, page) = server.get(&format!(
        "/?q={}&province={}&sort=date",
        enc("经济"),
        enc("广东")
    ));
    assert_eq!(status, 200);
    let at = page.find("下载 CSV").expect("a 下载 CSV link");
    let link_start = page[..at].rfind("<a ").unwrap();
    let link = &page[link_start..at];
    let href = link
        .split("href=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .expect("an href")
        .replace("&amp;", "&");
    assert!(href.starts_with("/api/export?"), "{href}");
    for part in [
        format!("q={}", enc("经济")),
        format!("province={}", enc("广东")),
        "sort=date".to_string(),
        "format=csv".to_string(),
    ] {
        assert!(href.contains(&part), "{part} in {href}");
    }
    let (status, _, disposition, _, body) = download(&server, &href);
    assert_eq!(status, 200);
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let (_, rows) = parse_csv(&body[3..]);
    let expected = total(&query_json(index, &["经济", "--province", "广东"]));
    assert_eq!(rows.len() as u64, expected);
    // No matches, no link.
    let (_, _, none) = server.get(&format!("/?q={}", enc("量子纠缠态")));
    assert!(!none.contains("下载 CSV"));
}
