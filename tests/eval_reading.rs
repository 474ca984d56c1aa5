//! Reading accuracy on the labelled pages of `tests/eval/reading.toml`, through the real
//! binary (`inspect --json`): how many articles each page holds, and each article's title,
//! date, source and cleaned text.
//!
//! See the table: `cargo test --release --test eval_reading -- --nocapture` (also written to
//! `target/eval-reading.txt`). Every field must stay at or above 0.9.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::*;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Expected {
    title: String,
    date: String,
    source: String,
    #[serde(default)]
    body_has: Vec<String>,
    #[serde(default)]
    body_lacks: Vec<String>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    article: Vec<Expected>,
}

#[derive(Deserialize)]
struct Set {
    case: Vec<Case>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    right: usize,
    all: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.all += 1;
        if ok {
            self.right += 1;
        }
    }
    fn share(&self) -> f64 {
        self.right as f64 / self.all.max(1) as f64
    }
}

#[test]
fn reading_stays_above_0_9_on_every_field() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set: Set = toml::from_str(
        &std::fs::read_to_string(root.join("tests/eval/reading.toml")).expect("labelled set"),
    )
    .expect("reading.toml parses");
    assert!(set.case.len() >= 40, "at least 40 labelled pages");

    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = set
        .case
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = dir.path().join(format!("{:02}-{}.txt", i + 1, c.name));
            std::fs::write(&path, c.text.trim_start_matches('\n')).unwrap();
            path
        })
        .collect();
    let results = inspect_json(&files);

    let (mut count, mut title, mut date, mut source, mut body) = Default::default();
    let (count, title, date, source, body): (
        &mut Tally,
        &mut Tally,
        &mut Tally,
        &mut Tally,
        &mut Tally,
    ) = (&mut count, &mut title, &mut date, &mut source, &mut body);
    let mut wrong = String::new();
    for (c, r) in set.case.iter().zip(&results) {
        let got = r["articles"].as_array().cloned().unwrap_or_default();
        count.add(got.len() == c.article.len());
        if got.len() != c.article.len() {
            writeln!(
                wrong,
                "{}: {} articles, want {}",
                c.name,
                got.len(),
                c.article.len()
            )
            .unwrap();
        }
        for (i, want) in c.article.iter().enumerate() {
            let a = got.get(i).cloned().unwrap_or(Value::Null);
            let field = |k: &str| a[k].as_str().unwrap_or("").to_string();
            let checks = [
                ("title", &mut *title, field("title"), want.title.clone()),
                ("date", &mut *date, field("date"), want.date.clone()),
                ("source", &mut *source, field("source"), want.source.clone()),
            ];
            for (name, tally, got_value, want_value) in checks {
                tally.add(got_value == want_value);
                if got_value != want_value {
                    writeln!(
                        wrong,
                        "{} #{}: {name} {got_value:?}, want {want_value:?}",
                        c.name,
                        i + 1
                    )
                    .unwrap();
                }
            }
            let text = field("body");
            for has in &want.body_has {
                body.add(text.contains(has.as_str()));
                if !text.contains(has.as_str()) {
                    writeln!(wrong, "{} #{}: body lacks {has:?}", c.name, i + 1).unwrap();
                }
            }
            for lacks in &want.body_lacks {
                let clean = !text.contains(lacks.as_str());
                body.add(clean);
                if !clean {
                    writeln!(wrong, "{} #{}: body still has {lacks:?}", c.name, i + 1).unwrap();
                }
            }
        }
    }
    let mut report = String::new();
    writeln!(
        report,
        "{} labelled pages, {} articles (tests/eval/reading.toml)",
        set.case.len(),
        set.case.iter().map(|c| c.article.len()).sum::<usize>()
    )
    .unwrap();
    writeln!(report, "{:<26} {:>7} {:>9}", "field", "right", "accuracy").unwrap();
    let rows = [
        ("articles per page", *count),
        ("title", *title),
        ("date", *date),
        ("source", *source),
        ("body has / lacks checks", *body),
    ];
    for (name, t) in rows {
        writeln!(
            report,
            "{:<26} {:>3}/{:<3} {:>9.3}",
            name,
            t.right,
            t.all,
            t.share()
        )
        .unwrap();
    }
    if !wrong.is_empty() {
        writeln!(report, "\nwhat differs:\n{wrong}").unwrap();
    }
    println!("{report}");
    let _ = std::fs::write(root.join("target/eval-reading.txt"), &report);
    for (name, t) in rows {
        assert!(t.share() >= 0.9, "{name} below 0.9:\n{report}");
    }
}
