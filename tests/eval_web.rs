//! Reading accuracy on real web pages and record files: the labelled articles of
//! `tests/eval/web.toml`, read from `../shared/corpus/web-dev` through the real binary
//! (`inspect --json`). Prints per-field accuracy: title, date, source, body (first and last
//! sentence kept, no sidebar, related or comment text), provinces precision and recall, and
//! asserts the reading issue's bars (see the floors below).
//!
//! See the table: `cargo test --release --test eval_web -- --nocapture` (also written to
//! `target/eval-web.txt`). Skips with a message when ../shared is absent, fails then in CI.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use common::*;
use corpus_search::text::normalize::normalize_str;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Expected {
    n: usize,
    title: String,
    date: String,
    source: String,
    provinces: Vec<String>,
    first: String,
    last: String,
    #[serde(default)]
    lacks: Vec<String>,
}

#[derive(Deserialize)]
struct Page {
    file: String,
    kind: String,
    #[serde(default)]
    article: Vec<Expected>,
}

#[derive(Deserialize)]
struct Set {
    page: Vec<Page>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    right: usize,
    all: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) -> bool {
        self.all += 1;
        self.right += ok as usize;
        ok
    }
    fn share(&self) -> f64 {
        self.right as f64 / self.all.max(1) as f64
    }
}

/// Text compared as a reader compares it: script, width, case and spacing aside.
fn key(s: &str) -> String {
    normalize_str(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn reading_real_pages_meets_the_floors() {
    let Some(corpus) = shared_corpus("web-dev") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set: Set = toml::from_str(
        &std::fs::read_to_string(root.join("tests/eval/web.toml")).expect("labelled set"),
    )
    .expect("web.toml parses");
    let labelled: usize = set.page.iter().map(|p| p.article.len()).sum();
    assert!(
        labelled >= 150,
        "at least 150 labelled articles, not {labelled}"
    );

    let files: Vec<_> = set.page.iter().map(|p| corpus.join(&p.file)).collect();
    let results = inspect_json_lenient(&files);

    let mut t: HashMap<&str, Tally> = HashMap::new();
    let (mut p_right, mut p_got, mut p_want) = (0usize, 0usize, 0usize);
    let mut wrong = String::new();
    for (page, path) in set.page.iter().zip(&files) {
        let got = results.get(&path.display().to_string());
        let articles: Vec<Value> = got
            .and_then(|v| v["articles"].as_array().cloned())
            .unwrap_or_default();
        if page.kind == "list" {
            if !t
                .entry("list pages give no article")
                .or_default()
                .add(articles.is_empty())
            {
                writeln!(
                    wrong,
                    "{}: a list page gave {} article(s)",
                    page.file,
                    articles.len()
                )
                .unwrap();
            }
            continue;
        }
        for want in &page.article {
            let suffix = format!("#{}", want.n);
            let a = articles
                .iter()
                .find(|a| a["id"].as_str().is_some_and(|id| id.ends_with(&suffix)))
                .cloned()
                .unwrap_or(Value::Null);
            let field = |k: &str| a[k].as_str().unwrap_or("").to_string();
            let tag = format!("{}{}", page.file, suffix);
            if a.is_null() {
                writeln!(wrong, "{tag}: no such article").unwrap();
            }
            // A record without a headline has no title to get right.
            if !want.title.is_empty() {
                let ok = key(&field("title")) == key(&want.title);
                if !t.entry("title").or_default().add(ok) {
                    writeln!(
                        wrong,
                        "{tag}: title {:?}, want {:?}",
                        field("title"),
                        want.title
                    )
                    .unwrap();
                }
            }
            if !t.entry("date").or_default().add(field("date") == want.date) {
                writeln!(
                    wrong,
                    "{tag}: date {:?} ({}), want {:?}",
                    field("date"),
                    field("date_from"),
                    want.date
                )
                .unwrap();
            }
            if !t
                .entry("source")
                .or_default()
                .add(key(&field("source")) == key(&want.source))
            {
                writeln!(
                    wrong,
                    "{tag}: source {:?}, want {:?}",
                    field("source"),
                    want.source
                )
                .unwrap();
            }
            let body = key(&field("body"));
            let mut body_ok = body.contains(&key(&want.first)) && body.contains(&key(&want.last));
            let mut why = Vec::new();
            if !body.contains(&key(&want.first)) {
                why.push(format!("lacks first {:?}", want.first));
            }
            if !body.contains(&key(&want.last)) {
                why.push(format!("lacks last {:?}", want.last));
            }
            for l in &want.lacks {
                if body.contains(&key(l)) {
                    body_ok = false;
                    why.push(format!("has {l:?}"));
                }
            }
            if !t.entry("body").or_default().add(body_ok) {
                writeln!(wrong, "{tag}: body {}", why.join("; ")).unwrap();
            }
            let got_p: BTreeSet<String> = a["regions"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str())
                        .map(|s| s.split('/').next().unwrap_or(s).to_string())
                        .collect()
                })
                .unwrap_or_default();
            let want_p: BTreeSet<String> = want.provinces.iter().cloned().collect();
            p_got += got_p.len();
            p_want += want_p.len();
            p_right += got_p.intersection(&want_p).count();
            if got_p != want_p {
                writeln!(wrong, "{tag}: provinces {got_p:?}, want {want_p:?}").unwrap();
            }
        }
    }
    let precision = p_right as f64 / p_got.max(1) as f64;
    let recall = p_right as f64 / p_want.max(1) as f64;
    let mut report = String::new();
    writeln!(
        report,
        "{} labelled files, {labelled} articles (tests/eval/web.toml)",
        set.page.len()
    )
    .unwrap();
    writeln!(report, "{:<28} {:>9} {:>9}", "field", "right", "accuracy").unwrap();
    let mut names: Vec<&&str> = t.keys().collect();
    names.sort();
    for name in names {
        let x = t[*name];
        writeln!(
            report,
            "{:<28} {:>4}/{:<4} {:>9.3}",
            name,
            x.right,
            x.all,
            x.share()
        )
        .unwrap();
    }
    writeln!(
        report,
        "{:<28} {:>9} {:>9.3}",
        "provinces precision",
        format!("{p_right}/{p_got}"),
        precision
    )
    .unwrap();
    writeln!(
        report,
        "{:<28} {:>9} {:>9.3}",
        "provinces recall",
        format!("{p_right}/{p_want}"),
        recall
    )
    .unwrap();
    if !wrong.is_empty() {
        writeln!(report, "\nwhat differs:\n{wrong}").unwrap();
    }
    println!("{report}");
    let _ = std::fs::write(root.join("target/eval-web.txt"), &report);
    // The reading issue's bars: title and date 0.95; source, body and provinces P/R 0.9.
    // They are floors, not targets: raise them as the reader improves, never to fit a
    // failing case.
    let floors = [
        ("title", 0.95),
        ("date", 0.95),
        ("source", 0.9),
        ("body", 0.90),
        ("list pages give no article", 0.9),
    ];
    for (name, floor) in floors {
        let share = t.get(name).copied().unwrap_or_default().share();
        assert!(
            share >= floor,
            "{name} {share:.3} is below {floor}:\n{report}"
        );
    }
    assert!(
        precision >= 0.9 && recall >= 0.9,
        "provinces P/R {precision:.3}/{recall:.3} below 0.9:\n{report}"
    );
}
