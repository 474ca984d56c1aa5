//! `corpus-search facets`: the distribution of a query's matches over a facet must agree,
//! number for number, with what `query` finds under the matching filter.

mod common;

use common::*;
use serde_json::Value;

fn facets(args: &[&str]) -> Value {
    facets_json(seeds_index(), args)
}

fn rows(v: &Value) -> Vec<(String, u64, Vec<u64>)> {
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["value"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
                r["cells"]
                    .as_array()
                    .map(|c| c.iter().map(|x| x.as_u64().unwrap()).collect())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn province_counts_equal_filtered_query_totals() {
    for q in ["低空经济", "新质生产力", ""] {
        let d = facets(&[q, "--by", "province"]);
        let all = query_json(seeds_index(), &[q]);
        assert_eq!(d["total"], all["total"], "{q}: {d:#}");
        let rows = rows(&d);
        assert!(!rows.is_empty());
        let mut covered = 0;
        for (province, count, _) in &rows {
            covered += count;
            if province == "(none)" {
                continue;
            }
            let filtered = query_json(seeds_index(), &[q, "--province", province]);
            assert_eq!(total(&filtered), *count, "{q} in {province}");
        }
        // Every article is in at least one row.
        assert!(covered >= total(&all), "{q}: {d:#}");
    }
}

#[test]
fn the_shenzhen_articles_count_under_their_city() {
    let d = facets(&["深圳", "--by", "city"]);
    let shenzhen = rows(&d)
        .into_iter()
        .find(|r| r.0 == "广东/深圳")
        .expect("广东/深圳 row");
    assert_eq!(shenzhen.1, 2, "{d:#}");
    let filtered = query_json(seeds_index(), &["深圳", "--city", "深圳"]);
    assert_eq!(total(&filtered), 2);
}

#[test]
fn a_province_by_month_table_adds_up() {
    let d = facets(&["新质生产力", "--by", "province", "--by", "month"]);
    let columns: Vec<String> = d["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let mut sorted = columns.clone();
    sorted.sort();
    sorted.retain(|c| c != "(none)");
    assert_eq!(
        columns
            .iter()
            .filter(|c| *c != "(none)")
            .cloned()
            .collect::<Vec<_>>(),
        sorted,
        "months in time order"
    );
    let totals: Vec<u64> = d["column_totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    for (month, month_total) in columns.iter().zip(&totals) {
        if month == "(none)" {
            continue;
        }
        let filtered = query_json(
            seeds_index(),
            &["新质生产力", "--from", month, "--to", month],
        );
        assert_eq!(total(&filtered), *month_total, "{month}");
    }
    for (province, count, cells) in rows(&d) {
        assert_eq!(cells.len(), columns.len());
        // Each article has one month (or none), so a row's cells add up to its count.
        assert_eq!(cells.iter().sum::<u64>(), count, "{province}");
    }
}

#[test]
fn csv_has_a_header_rows_and_a_total() {
    let out = bin()
        .args(["facets", "低空经济", "--by", "industry", "--csv", "--index"])
        .arg(seeds_index())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "industry,articles");
    let about = total(&query_json(
        seeds_index(),
        &["低空经济", "--industry", "低空经济"],
    ));
    assert!(about >= 2, "the Shenzhen articles are about 低空经济");
    assert!(
        lines.contains(&format!("低空经济,{about}").as_str()),
        "{text}"
    );
    assert_eq!(*lines.last().unwrap(), "total,4");
}

#[test]
fn an_unknown_facet_gets_the_list_of_facets() {
    let out = bin()
        .args(["facets", "低空经济", "--by", "省份", "--index"])
        .arg(seeds_index())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for name in [
        "province", "city", "source", "industry", "month", "day", "week", "year",
    ] {
        assert!(err.contains(name), "{name}: {err}");
    }
    assert!(err.contains(" or "), "{err}");
}

#[test]
fn people_get_an_aligned_table() {
    let out = bin()
        .args(["facets", "低空经济", "--index"])
        .arg(seeds_index())
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("「低空经济」: 4 articles, by province"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("total") && l.ends_with(" 4")),
        "{text}"
    );
}

/// The counts every search returns (`query --json`'s `facets`, the page's sidebar) are the
/// `facets` command's numbers, facet by facet, with or without `--mentioned`.
#[test]
fn search_facet_counts_equal_the_facets_command() {
    for (q, mentioned) in [
        ("低空经济", false),
        ("的", false),
        ("发展", false),
        ("", false),
        ("经济", true),
        ("", true),
    ] {
        let flags: &[&str] = if mentioned { &["--mentioned"] } else { &[] };
        let found = query_json(seeds_index(), &[&[q], flags].concat());
        let counted: Vec<&String> = found["facets"].as_object().unwrap().keys().collect();
        assert!(counted.len() >= 4, "{counted:?}");
        for by in counted {
            let by = by.as_str();
            let mut want: Vec<(String, u64)> = rows(&facets(&[&[q, "--by", by], flags].concat()))
                .into_iter()
                .filter(|r| r.0 != "(none)")
                .map(|r| (r.0, r.1))
                .collect();
            let mut got: Vec<(String, u64)> = found["facets"][by]
                .as_array()
                .unwrap_or_else(|| panic!("{q}: no {by} counts in {found:#}"))
                .iter()
                .map(|c| {
                    (
                        c["value"].as_str().unwrap().to_string(),
                        c["count"].as_u64().unwrap(),
                    )
                })
                .collect();
            want.sort();
            got.sort();
            if by == "province" {
                assert!(!got.is_empty(), "{q}: no provinces in {found:#}");
            }
            assert_eq!(got, want, "{q} by {by}, mentioned: {mentioned}");
        }
    }
}

/// `--mentioned` widens places to every place an article names, and it does so alike for
/// the filter, the search's counts and `facets`: each province's count is the total of the
/// search filtered to it, and the sidebar shows the same count.
#[test]
fn mentioned_places_filter_and_count_alike() {
    for q in ["经济", ""] {
        let d = facets(&[q, "--by", "province", "--mentioned"]);
        let sidebar = query_json(seeds_index(), &[q, "--mentioned"]);
        let narrow = facets(&[q, "--by", "province"]);
        assert_ne!(rows(&d), rows(&narrow), "{q}: --mentioned changed nothing");
        for (province, count, _) in rows(&d) {
            if province == "(none)" {
                continue;
            }
            let filtered = query_json(seeds_index(), &[q, "--mentioned", "--province", &province]);
            assert_eq!(total(&filtered), count, "{q} mentioning {province}");
            let listed = sidebar["facets"]["province"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["value"] == province.as_str())
                .map(|c| c["count"].as_u64().unwrap());
            assert_eq!(listed, Some(count), "{q}: sidebar count of {province}");
        }
    }
}

/// The `year` facet on the command line (`--year 2024`), from its one description in
/// `facets::FACETS`; tests/serve.rs checks it in the API and on the page.
#[test]
fn a_year_filters_and_counts_like_any_facet() {
    let by_year = facets(&["", "--by", "year"]);
    let years: Vec<(String, u64, Vec<u64>)> = rows(&by_year)
        .into_iter()
        .filter(|r| r.0 != "(none)")
        .collect();
    assert!(!years.is_empty(), "{by_year:#}");
    let found = query_json(seeds_index(), &[""]);
    for (year, count, _) in &years {
        let filtered = query_json(seeds_index(), &["", "--year", year]);
        assert_eq!(total(&filtered), *count, "--year {year}");
        let listed = found["facets"]["year"]
            .as_array()
            .expect("year counts")
            .iter()
            .find(|c| c["value"] == year.as_str())
            .map(|c| c["count"].as_u64().unwrap());
        assert_eq!(listed, Some(*count), "year {year} in the search's counts");
        // The same year written as people do.
        let written = query_json(seeds_index(), &["", "--year", &format!("{year}年")]);
        assert_eq!(total(&written), *count);
    }
    let none = query_json(seeds_index(), &["", "--year", "1900"]);
    assert_eq!(total(&none), 0);
    let out = bin()
        .args(["query", "", "--year", "24"])
        .arg("--index")
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a year") && err.contains("2024"), "{err}");
}

/// Attention over time: `--normalize` gives each period's count beside all articles of that
/// period under the same filters, and `--compare` puts other queries in the same table; each
/// column is the query's own distribution.
#[test]
fn compared_and_normalised_counts_are_the_distributions_they_stand_for() {
    let by_month = |q: &str, extra: &[&str]| -> Vec<(String, u64)> {
        rows(&facets(&[&[q, "--by", "month"], extra].concat()))
            .into_iter()
            .map(|r| (r.0, r.1))
            .collect()
    };
    let get = |rows: &[(String, u64)], v: &str| rows.iter().find(|r| r.0 == v).map_or(0, |r| r.1);
    for extra in [&[][..], &["--province", "广东"][..]] {
        let table = facets(
            &[
                &[
                    "低空经济",
                    "--by",
                    "month",
                    "--compare",
                    "人工智能",
                    "--normalize",
                ],
                extra,
            ]
            .concat(),
        );
        let first = by_month("低空经济", extra);
        let second = by_month("人工智能", extra);
        let all = by_month("", extra);
        assert_eq!(
            table["queries"],
            serde_json::json!(["低空经济", "人工智能"])
        );
        let table_rows = table["rows"].as_array().unwrap();
        assert!(!table_rows.is_empty());
        for r in table_rows {
            let v = r["value"].as_str().unwrap();
            let counts: Vec<u64> = r["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_u64().unwrap())
                .collect();
            assert_eq!(counts, vec![get(&first, v), get(&second, v)], "{v}");
            let n = r["all"].as_u64().unwrap();
            assert_eq!(n, get(&all, v), "{v}");
            for (share, count) in r["shares"].as_array().unwrap().iter().zip(&counts) {
                let want = if n == 0 {
                    0.0
                } else {
                    *count as f64 / n as f64
                };
                assert!((share.as_f64().unwrap() - want).abs() < 1e-9, "{v}");
            }
        }
        // Periods in order.
        let values: Vec<&str> = table_rows
            .iter()
            .map(|r| r["value"].as_str().unwrap())
            .filter(|v| *v != "(none)")
            .collect();
        let mut sorted = values.clone();
        sorted.sort();
        assert_eq!(values, sorted);
    }
    let out = bin()
        .args([
            "facets",
            "经济",
            "--by",
            "province",
            "--by",
            "month",
            "--normalize",
            "--index",
        ])
        .arg(seeds_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one --by"));
    let csv = bin()
        .args([
            "facets",
            "经济",
            "--by",
            "year",
            "--compare",
            "人工智能",
            "--normalize",
            "--csv",
            "--index",
        ])
        .arg(seeds_index())
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(
        text.starts_with("year,经济,人工智能,经济 share,人工智能 share,all\n"),
        "{text}"
    );
}

/// Days and ISO weeks: every article dated to the day is in one day and one week.
#[test]
fn days_and_weeks_count_the_articles_dated_to_the_day() {
    let days = facets(&["", "--by", "day"]);
    let weeks = facets(&["", "--by", "week"]);
    let sum = |d: &Value| -> u64 {
        rows(d)
            .iter()
            .filter(|r| r.0 != "(none)")
            .map(|r| r.1)
            .sum()
    };
    let none = |d: &Value| -> u64 {
        rows(d)
            .iter()
            .filter(|r| r.0 == "(none)")
            .map(|r| r.1)
            .sum()
    };
    assert!(sum(&days) > 0);
    assert_eq!(sum(&days), sum(&weeks));
    assert_eq!(none(&days), none(&weeks));
    for (week, _, _) in rows(&weeks) {
        assert!(
            week == "(none)" || (week.len() == 8 && &week[4..6] == "-W"),
            "{week}"
        );
    }
}
