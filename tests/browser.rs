//! The search page in headless Chromium: `tests/browser/search.mjs` (playwright-core) searches
//! for 低空经济, checks the highlighted results, clicks the 广东 facet, checks the results
//! narrow, opens an article, goes back, and saves screenshots under `target/browser/`.
//!
//! Needs Node.js, Debian's `chromium` and `npm ci` in `tests/browser/`; `.ci/run` installs them
//! and sets CORPUS_SEARCH_REQUIRE_BROWSER=1, so there a missing piece fails the test. Anywhere
//! else the test says what is missing and skips.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

fn missing_piece(dir: &Path, chromium: &str) -> Option<String> {
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if !Path::new(chromium).exists() {
        return Some(format!("{chromium} is missing (apt-get install chromium)"));
    }
    if !dir.join("node_modules/playwright-core").exists() {
        return Some(format!(
            "playwright-core is missing (cd {} && npm ci)",
            dir.display()
        ));
    }
    None
}

#[test]
fn search_narrow_and_read_in_chromium() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if let Some(why) = missing_piece(&dir, &chromium) {
        if std::env::var_os("CORPUS_SEARCH_REQUIRE_BROWSER").is_some() {
            panic!("the browser test cannot run: {why}");
        }
        eprintln!("skipping the browser test: {why} (.ci/run installs what it needs)");
        return;
    }
    let mut server = Command::new(env!("CARGO_BIN_EXE_corpus-search"))
        .arg("serve")
        .arg("--index")
        .arg(seeds_index())
        .args(["--addr", "127.0.0.1:0", "--quiet"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("server starts");
    let stderr = server.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("listening on ") {
                let _ = tx.send(addr.to_string());
            }
        }
    });
    let base = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server says where it listens");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("browser");
    let out = Command::new("node")
        .arg(dir.join("search.mjs"))
        .env("BASE_URL", &base)
        .env("SHOT_DIR", &shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let _ = server.kill();
    let _ = server.wait();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for shot in ["search.png", "narrowed.png", "article.png", "phone.png"] {
        let len = std::fs::metadata(shots.join(shot))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len > 10_000, "{shot} was not saved");
    }
}
