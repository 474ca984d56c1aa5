//! The search page in headless Chromium: `tests/browser/search.mjs` (playwright-core) searches
//! for 低空经济, checks the highlighted results, clicks the 广东 facet, checks the results
//! narrow, opens an article, goes back, and saves screenshots under `target/browser/`.
//! tests/cluster.rs runs the same script against `serve --engine URL`.
//!
//! Needs Node.js, Debian's `chromium` and `npm ci` in `tests/browser/`; `.ci/run` installs them
//! and sets CORPUS_SEARCH_REQUIRE_BROWSER=1, so there a missing piece fails the test. Anywhere
//! else the test says what is missing and skips.

mod common;

use common::server::Server;
use common::*;

#[test]
fn search_narrow_and_read_in_chromium() {
    if !browser::can_run() {
        return;
    }
    let server = Server::start(seeds_index(), &["--quiet"]);
    browser::run_page_checks(&server.base, "browser");
}
