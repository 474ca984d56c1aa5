//! Shared by the integration tests: run the real binary, build indexes of small corpora.

#![allow(dead_code)]

pub mod browser;
pub mod server;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("corpus-search").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// Builds an index of `corpus` in `index`, panicking with the tool's stderr on failure.
pub fn build(corpus: &Path, index: &Path) -> String {
    build_with(corpus, index, &[])
}

/// [`build`] with extra flags for `index` (e.g. `--follow`); returns its stderr.
pub fn build_with(corpus: &Path, index: &Path, flags: &[&str]) -> String {
    let out = bin()
        .arg("index")
        .args(flags)
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "index failed: {stderr}");
    stderr
}

/// Starts `index` in the background (stderr piped), for tests that kill or race it.
pub fn spawn_index(corpus: &Path, index: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_corpus-search"))
        .args(["index", "--corpus"])
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts")
}

/// The generations (`gen-*` folders) in an index directory.
pub fn generations(index: &Path) -> usize {
    std::fs::read_dir(index)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
                .count()
        })
        .unwrap_or(0)
}

/// The index of the seeds, built once per test binary.
pub fn seeds_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("seeds-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        build(&seeds_dir(), &dir);
        dir
    })
}

/// Runs `COMMAND ARGS --index INDEX --json` and parses the answer.
pub fn json_of(command: &str, index: &Path, args: &[&str]) -> Value {
    let out = bin()
        .arg(command)
        .args(args)
        .arg("--index")
        .arg(index)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{command} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{command} --json prints JSON: {e}"))
}

/// Runs `query --json` with extra arguments and parses the answer.
pub fn query_json(index: &Path, args: &[&str]) -> Value {
    json_of("query", index, args)
}

/// Runs `facets --json` with extra arguments and parses the answer.
pub fn facets_json(index: &Path, args: &[&str]) -> Value {
    json_of("facets", index, args)
}

/// Runs `inspect --json` on files: one parsed object per file, in order.
pub fn inspect_json(files: &[PathBuf]) -> Vec<Value> {
    inspect_with(files, &[])
}

/// `inspect --json FLAGS FILES`, which must succeed: one object per file, in order.
pub fn inspect_with(files: &[PathBuf], flags: &[&str]) -> Vec<Value> {
    let out = bin()
        .arg("inspect")
        .arg("--json")
        .args(flags)
        .args(files)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "inspect {flags:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let results: Vec<Value> = serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .map(|v| v.expect("one JSON object per file"))
        .collect();
    assert_eq!(results.len(), files.len(), "one object per file");
    results
}

/// The articles of one file `inspect --json` printed.
pub fn articles(file: &Value) -> &Vec<Value> {
    file["articles"].as_array().expect("articles")
}

/// A text field of an article ("" when absent or null).
pub fn field<'a>(article: &'a Value, name: &str) -> &'a str {
    article[name].as_str().unwrap_or_default()
}

/// The ids (`path#n`) of a file's articles.
pub fn ids(file: &Value) -> Vec<String> {
    articles(file)
        .iter()
        .map(|a| field(a, "id").to_string())
        .collect()
}

/// One WARC record: headers, the block, and the two line breaks that end it.
pub fn warc_record(kind: &str, n: usize, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\n\
         WARC-Type: {kind}\r\n\
         WARC-Record-ID: <urn:uuid:3f6c1b2a-0000-4000-8000-00000000000{n}>\r\n\
         WARC-Date: 2024-06-01T08:00:0{n}Z\r\n\
         WARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP 200 response carrying an HTML page, as a WARC response record holds it.
pub fn http_ok(html: &str) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        html.len()
    )
    .into_bytes();
    out.extend_from_slice(html.as_bytes());
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory")
}

pub fn total(v: &Value) -> u64 {
    v["total"].as_u64().expect("total")
}

pub fn paths(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A folder of `../shared/corpus` (real corpora the tests read but never copy), or None with
/// a message when it is absent. With CORPUS_SEARCH_REQUIRE_SHARED set (as `.ci/run` sets it)
/// an absent folder fails the test instead.
pub fn shared_corpus(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CORPUS_SEARCH_REQUIRE_SHARED").is_none(),
        "{} is required (CORPUS_SEARCH_REQUIRE_SHARED is set) but absent",
        dir.display()
    );
    eprintln!("skipped: {} is not there", dir.display());
    None
}

/// Runs `inspect --json` on files the reader may refuse (a list page, say): the parsed
/// objects by path; a refused file has none.
pub fn inspect_json_lenient(files: &[PathBuf]) -> std::collections::HashMap<String, Value> {
    inspect_json_lenient_with(files, &[])
}

/// [`inspect_json_lenient`] with environment variables set for the run.
pub fn inspect_json_lenient_with(
    files: &[PathBuf],
    env: &[(&str, &Path)],
) -> std::collections::HashMap<String, Value> {
    let mut cmd = bin();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .arg("inspect")
        .arg("--json")
        .args(files)
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .map(|v| v.expect("one JSON object per file"))
        .map(|v| (v["path"].as_str().unwrap_or_default().to_string(), v))
        .collect()
}

/// Every article of a corpus folder's files, as `inspect --json` reads them (files in name
/// order, 500 to a run).
pub fn corpus_articles(corpus: &Path) -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("the corpus folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for chunk in files.chunks(500) {
        for file in inspect_json(chunk) {
            out.extend(articles(&file).iter().cloned());
        }
    }
    out
}

/// The one file `inspect --json` read.
pub fn inspected(path: &Path) -> Value {
    inspect_json(&[path.to_path_buf()]).remove(0)
}

/// The `corpus` folder below a temporary folder, indexed into its `index` folder.
pub fn index_of(dir: &tempfile::TempDir) -> PathBuf {
    let index = dir.path().join("index");
    build(&dir.path().join("corpus"), &index);
    index
}

/// A channel index: 45 headlines as links, dates beside them, no prose.
pub fn list_page() -> String {
    let mut page = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>地方新闻_示例新闻网</title></head>\n\
         <body><div class=\"nav\"><a href=\"/\">首页</a></div>\n<ul class=\"list\">\n",
    );
    let towns = [
        "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山",
    ];
    let topics = [
        "新建口袋公园",
        "开通定制公交",
        "举办招聘会",
        "推进老旧小区改造",
        "发布消费券",
    ];
    for (i, town) in towns.iter().enumerate() {
        for (j, topic) in topics.iter().enumerate() {
            page.push_str(&format!(
                "<li><a href=\"/local/2024/06/{:02}{:02}.html\">{town}{topic}</a><span>06-{:02}</span></li>\n",
                i + 1,
                j + 1,
                (i * 3 + j) % 28 + 1
            ));
        }
    }
    page.push_str("</ul>\n<div class=\"pages\"><a href=\"?p=2\">下一页</a></div></body></html>\n");
    page
}
