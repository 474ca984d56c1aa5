//! Fuzzing on stable: the decoder, the cleaner and splitter, the facet extractors, the date
//! parser and the query parser get arbitrary bytes and strings (and Chinese-looking ones) and
//! must never panic; pathological inputs (a 50 MB line, a million parentheses) must finish.
//!
//! CI runs the default 256 cases per property; run longer with
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz`.

use corpus_search::corpus::articles_from_text;
use corpus_search::corpus::decode::decode_bytes;
use corpus_search::facets::date::find_date;
use corpus_search::facets::extract_facets;
use corpus_search::search::parse_query;
use proptest::prelude::*;

/// Strings made of the pieces news pages are made of, so that the fuzzer reaches the
/// interesting branches (dates, labels, titles, lists, pinyin) and not only random noise.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("2024年3月14日".to_string()),
        Just("2024-03-14 10:56:48".to_string()),
        Just("发布时间:".to_string()),
        Just("来源:新华社".to_string()),
        Just("(原标题:".to_string()),
        Just("规(guī)模".to_string()),
        Just("广东省深圳市".to_string()),
        Just("|宁都县|".to_string()),
        Just("责任编辑:".to_string()),
        Just("相关新闻".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("。".to_string()),
        Just("“".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("<p>".to_string()),
        Just("&nbsp;".to_string()),
        "[\\u4e00-\\u9fa5]{1,12}",
        "[a-zA-Z0-9 ]{1,8}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = decode_bytes(&bytes, None);
    }

    #[test]
    fn reading_never_panics(text in newsy()) {
        for article in articles_from_text("fuzz.txt", &text) {
            prop_assert!(!article.body.trim().is_empty() || !article.title.is_empty());
            let _ = extract_facets(&article);
        }
    }

    #[test]
    fn reading_arbitrary_text_never_panics(text in any::<String>()) {
        for article in articles_from_text("fuzz.txt", &text) {
            let _ = extract_facets(&article);
        }
    }

    #[test]
    fn dates_never_panic(text in newsy()) {
        if let Some((date, range)) = find_date(&text) {
            prop_assert!(text.get(range).is_some());
            prop_assert!((1..=12).contains(&date.month));
        }
    }

    #[test]
    fn queries_never_panic(q in "[\\u4e00-\\u9fa5a-z0-9 ()\"“”|\\-+]{0,64}") {
        let _ = parse_query(&q);
    }

    #[test]
    fn arbitrary_queries_never_panic(q in any::<String>()) {
        let _ = parse_query(&q);
    }
}

#[test]
fn a_50_mb_line_is_read_in_one_pass() {
    let sentence = "新华社北京3月14日电 低空经济成为多地政府工作报告中的热词，";
    let line = sentence.repeat(50 * 1024 * 1024 / sentence.len());
    let articles = articles_from_text("huge.txt", &line);
    assert!(!articles.is_empty());
    for a in &articles {
        let _ = extract_facets(a);
    }
}

#[test]
fn a_million_parentheses_are_refused() {
    let q = "(".repeat(1_000_000);
    assert!(parse_query(&q).is_err());
    let q = format!("{}低空经济{}", "(".repeat(30), ")".repeat(30));
    assert!(parse_query(&q).is_ok());
}
