//! What people read, pinned: the terminal output of `query` and `facets`, the CSV of a
//! table, and the search page's HTML, for a few seed queries. A change to any of them shows
//! up here as a diff to review (`cargo insta review`, or rerun with INSTA_UPDATE=always and
//! read `git diff tests/snapshots`).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::server::Server;
use common::*;

/// The seeds, indexed by one reading thread: articles keep the walk's order, so equal
/// scores rank alike on every run.
fn index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("snapshot-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        build_with(&seeds_dir(), &dir, &["--threads", "1"]);
        dir
    })
}

fn stdout_of(args: &[&str]) -> String {
    let out = bin()
        .args(args)
        .arg("--index")
        .arg(index())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn terminal_results_of_a_filtered_query() {
    insta::assert_snapshot!(stdout_of(&["query", "低空经济", "--province", "广东"]));
}

#[test]
fn terminal_results_sorted_by_date() {
    insta::assert_snapshot!(stdout_of(&[
        "query",
        "人工智能",
        "--sort",
        "date",
        "--limit",
        "3"
    ]));
}

#[test]
fn terminal_table_of_two_facets() {
    insta::assert_snapshot!(stdout_of(&[
        "facets", "经济", "--by", "province", "--by", "year"
    ]));
}

#[test]
fn csv_table_of_two_facets() {
    insta::assert_snapshot!(stdout_of(&[
        "facets", "", "--by", "industry", "--by", "source", "--csv"
    ]));
}

/// The search page's `<main>`, the time it took written as `用时 N 毫秒`.
#[test]
fn search_page_with_a_facet_chosen() {
    let server = Server::start(index(), &[]);
    let (status, _, page) = server.get(
        "/?q=%E4%BD%8E%E7%A9%BA%E7%BB%8F%E6%B5%8E&industry=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD",
    );
    assert_eq!(status, 200);
    let main = &page[page.find("<main").expect("a <main>")..page.find("</main>").expect("its end")];
    let took = without_timing(main);
    insta::assert_snapshot!(took.replace("><", ">\n<"));
}

/// `用时 12.3 毫秒` -> `用时 N 毫秒`.
fn without_timing(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("用时 ") {
        let (head, tail) = rest.split_at(at + "用时 ".len());
        out.push_str(head);
        let end = tail.find(" 毫秒").unwrap_or(0);
        out.push('N');
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}
