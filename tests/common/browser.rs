//! The search page in headless Chromium: `tests/browser/search.mjs` (playwright-core) run
//! against a running server. Used by tests/browser.rs (the embedded index) and
//! tests/cluster.rs (`serve --engine URL`).
//!
//! Needs Node.js, Debian's `chromium` and `npm ci` in `tests/browser/`; `.ci/run` installs
//! them and sets CORPUS_SEARCH_REQUIRE_BROWSER=1, so there a missing piece fails the test.
//! Anywhere else the check says what is missing and is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// What is missing to run the browser, if anything.
fn missing_piece() -> Option<String> {
    let dir = script_dir();
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if !Path::new(&chromium()).exists() {
        return Some(format!(
            "{} is missing (apt-get install chromium)",
            chromium()
        ));
    }
    if !dir.join("node_modules/playwright-core").exists() {
        return Some(format!(
            "playwright-core is missing (cd {} && npm ci)",
            dir.display()
        ));
    }
    None
}

/// False (after saying why) when the browser cannot run here and it is not required.
pub fn can_run() -> bool {
    match missing_piece() {
        None => true,
        Some(why) if std::env::var_os("CORPUS_SEARCH_REQUIRE_BROWSER").is_some() => {
            panic!("the browser test cannot run: {why}")
        }
        Some(why) => {
            eprintln!("skipping the browser test: {why} (.ci/run installs what it needs)");
            false
        }
    }
}

/// Runs search.mjs against the server at `base` (the seeds served), saving its screenshots
/// in target/<shots>.
pub fn run_page_checks(base: &str, shots: &str) {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join(shots);
    let out = Command::new("node")
        .arg(script_dir().join("search.mjs"))
        .env("BASE_URL", base)
        .env("SHOT_DIR", &shots)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
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
