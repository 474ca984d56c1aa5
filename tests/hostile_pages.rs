//! Hostile pages (issue 24): reading a page costs work linear in its size whatever its
//! structure. The work is counted, not timed: the tree builder walks the stack of open
//! elements at every tag, so a page costs at most nodes × depth steps; both must stay
//! within a constant of the page's size (`corpus::html::reading_work`).
//!
//! Run longer with `PROPTEST_CASES=2000 cargo test --release --test hostile_pages`.

mod common;

use common::*;
use corpus_search::corpus::html::depth::MAX_DEPTH;
use corpus_search::corpus::html::reading_work;
use proptest::prelude::*;

/// Pieces of markup that nest, unclosed or closed crosswise, and text between them.
/// Unclosed formatting elements that differ (`<b id="{i}">`) are opened again by the tree
/// builder after every block that closes them.
fn piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("<div>"),
        Just("<div class=\"a>b\">"),
        Just("<span>"),
        Just("<b>"),
        Just("<a href=\"/x\">"),
        Just("<font color=red>"),
        Just("<table>"),
        Just("<td>"),
        Just("<ul><li>"),
        Just("<section>"),
        Just("<blockquote>"),
        Just("<svg><g>"),
        Just("<div/>"),
        Just("<span><div></span>"),
        Just("<div><b id=\"{i}\">"),
        Just("<font size={i}>"),
        Just("</div>"),
        Just("</span>"),
        Just("</p>"),
        Just("<p>深圳发布方案，内容如下。"),
        Just("新闻"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A unit of markup repeated thousands of times: the tree stays within the depth bound
    /// and holds nodes within a constant of the page's bytes, so parsing and scoring are linear.
    #[test]
    fn reading_work_is_linear_in_the_page_size(
        unit in prop::collection::vec(piece(), 1..6),
        times in 1_000usize..6_000,
    ) {
        // `{i}` is the repetition's number: elements the tree builder cannot tell alike.
        let unit = unit.concat();
        let body: String = (0..times).map(|i| unit.replace("{i}", &i.to_string())).collect();
        let page = format!("<html><body>{body}</body></html>");
        let work = reading_work(&page);
        prop_assert!(
            work.depth <= DEPTH_BOUND,
            "depth {} for {} bytes of {:?}", work.depth, page.len(), unit
        );
        prop_assert!(
            work.nodes <= NODES_PER_BYTE * page.len(),
            "{} nodes for {} bytes of {:?}", work.nodes, page.len(), unit
        );
    }
}

#[test]
fn the_depth_of_a_page_is_bounded_and_ordinary_pages_keep_theirs() {
    let nested = |n: usize| {
        format!(
            "<html><body>{}<p>深圳发布方案。</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        )
    };
    // Below the bound, the tree is as deep as the page.
    assert!(reading_work(&nested(100)).depth >= 100);
    // Far beyond it, it stops at the bound: 100,000 levels cost as much per byte as 1,000.
    let deep = reading_work(&nested(100_000));
    assert!(deep.depth <= DEPTH_BOUND, "{deep:?}");
}

/// Nodes per byte of page at most: a tag of three bytes may make the tree builder open again
/// the formatting elements it keeps (`corpus::html::depth::MAX_FORMATTING`).
const NODES_PER_BYTE: usize = 4;

/// The tree's depth bound: the counted elements, and per counted element at most three the
/// tree builder adds or closes itself (a table's `tbody`, `tr`, `td`; a list's `li`).
const DEPTH_BOUND: usize = 4 * MAX_DEPTH + 8;

/// Real pages never nest as deep as the bound: the pass leaves them as they are, byte for
/// byte (web-dev and web-dev-2 from ../shared).
#[test]
fn real_pages_pass_unchanged() {
    use corpus_search::corpus::html::depth::bound_depth;
    let mut read = 0;
    for set in ["web-dev", "web-dev-2"] {
        let Some(corpus) = shared_corpus(set) else {
            continue;
        };
        for entry in std::fs::read_dir(corpus.join("html")).expect("html folder") {
            let path = entry.expect("entry").path();
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("page")).into_owned();
            assert!(
                matches!(bound_depth(&text), std::borrow::Cow::Borrowed(_)),
                "{} was cut",
                path.display()
            );
            read += 1;
        }
    }
    eprintln!("{read} real pages unchanged");
}

#[test]
fn a_page_of_a_hundred_thousand_nested_divs_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested.html");
    let n = 100_000;
    let page = format!(
        "<html><head><title>深圳低空经济产业规模突破900亿元_示例新闻网</title></head><body>{}\
<h1>深圳低空经济产业规模突破900亿元</h1>\
<p>深圳市发展改革委10日发布数据，今年一季度，深圳低空经济产业规模同比增长超过两成。</p>\
<p>业内人士表示，物流配送、城市巡检等场景将加快落地，带动上下游企业集聚发展。</p>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    std::fs::write(&path, page).expect("write");
    let v = inspect_json(&[path]).remove(0);
    let a = &articles(&v)[0];
    assert_eq!(field(a, "title"), "深圳低空经济产业规模突破900亿元");
    let body = field(a, "body");
    assert!(
        body.contains("一季度") && body.contains("集聚发展。"),
        "{body}"
    );
}
