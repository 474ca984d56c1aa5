//! Precision and recall of region and industry tagging on the labelled set
//! `tests/eval/facets.toml`, through the real binary (`inspect --json`).
//!
//! See the table: `cargo test --release --test eval_facets -- --nocapture` (also written to
//! `target/eval-facets.txt`). Both must stay at or above 0.9.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use common::*;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Case {
    title: String,
    body: String,
    regions: Vec<String>,
    industries: Vec<String>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
struct Set {
    case: Vec<Case>,
}

/// A region path and its ancestors: 广东/深圳 -> {广东, 广东/深圳}, so that the right
/// province with a wrong city still counts for the province.
fn with_ancestors(paths: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in paths {
        let parts: Vec<&str> = p.split('/').collect();
        for i in 1..=parts.len() {
            out.insert(parts[..i].join("/"));
        }
    }
    out
}

#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn add(&mut self, expected: &BTreeSet<String>, got: &BTreeSet<String>) {
        self.tp += expected.intersection(got).count();
        self.fp += got.difference(expected).count();
        self.fn_ += expected.difference(got).count();
    }
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn region_and_industry_tagging_stay_above_0_9() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set: Set = toml::from_str(
        &std::fs::read_to_string(root.join("tests/eval/facets.toml")).expect("labelled set"),
    )
    .expect("facets.toml parses");
    assert!(set.case.len() >= 60, "at least 60 labelled cases");

    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, c) in set.case.iter().enumerate() {
        let path = dir.path().join(format!("case-{:03}.txt", i + 1));
        std::fs::write(&path, format!("{}\n\n{}\n", c.title, c.body)).unwrap();
        files.push(path);
    }
    let results = inspect_json(&files);

    let mut regions = Score::default();
    let mut industries = Score::default();
    let mut report = String::new();
    let mut wrong = String::new();
    let mut reading_errors = 0;
    for (i, (c, r)) in set.case.iter().zip(&results).enumerate() {
        let a = &r["articles"][0];
        if a["title"].as_str() != Some(c.title.as_str()) {
            reading_errors += 1;
            writeln!(wrong, "case {}: title read as {:?}", i + 1, a["title"]).unwrap();
        }
        let want_r = with_ancestors(&c.regions);
        let got_r = with_ancestors(&strings(&a["regions"]));
        let want_i: BTreeSet<String> = c.industries.iter().cloned().collect();
        let got_i: BTreeSet<String> = strings(&a["industries"]).into_iter().collect();
        regions.add(&want_r, &got_r);
        industries.add(&want_i, &got_i);
        if want_r != got_r || want_i != got_i {
            writeln!(
                wrong,
                "case {:>2} {}\n   regions    want {:?} got {:?}\n   industries want {:?} got {:?}{}",
                i + 1,
                c.title,
                c.regions,
                strings(&a["regions"]),
                c.industries,
                strings(&a["industries"]),
                if c.note.is_empty() { String::new() } else { format!("\n   note: {}", c.note) }
            )
            .unwrap();
        }
    }
    writeln!(
        report,
        "{} labelled cases (tests/eval/facets.toml)",
        set.case.len()
    )
    .unwrap();
    writeln!(
        report,
        "{:<10} {:>9} {:>9} {:>9}",
        "facet", "precision", "recall", "F1"
    )
    .unwrap();
    for (name, s) in [("region", &regions), ("industry", &industries)] {
        writeln!(
            report,
            "{:<10} {:>9.3} {:>9.3} {:>9.3}",
            name,
            s.precision(),
            s.recall(),
            s.f1()
        )
        .unwrap();
    }
    writeln!(
        report,
        "reading errors (title not read as written): {reading_errors}"
    )
    .unwrap();
    if !wrong.is_empty() {
        writeln!(report, "\ncases that differ:\n{wrong}").unwrap();
    }
    println!("{report}");
    let _ = std::fs::write(root.join("target/eval-facets.txt"), &report);
    assert_eq!(reading_errors, 0, "{report}");
    for (name, s) in [("region", &regions), ("industry", &industries)] {
        assert!(
            s.precision() >= 0.9 && s.recall() >= 0.9,
            "{name} tagging below 0.9:\n{report}"
        );
    }
}
