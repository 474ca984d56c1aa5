//! Exact recall on a real corpus: for every query, the tool's `total` must equal a brute-force
//! count of the files whose normalised text contains the query (all its words, for a
//! multi-word query), counting every line of each file: the headline, date lines, datelines
//! and credits as much as the article's text. (Each file of this corpus is one article, which
//! the test checks.)
//!
//! The corpus is the People's Daily of January 1998 in `../shared/corpus/rmrb-199801/`
//! (3,248 articles); the test skips with a message when it is not there. It also writes
//! traditional-script, GBK and Big5 copies of some of its files and checks that each copy
//! gives the same counts as the original: decoding and normalisation lose nothing. Every
//! index is built twice, in both exact views (`index --exact-view positions` and `doc-ids`,
//! whose phrases are confirmed in the stored text), and both must count alike.
//!
//! See the table: `cargo test --release --test recall -- --nocapture` (also written to
//! `target/recall-table.txt`).

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::*;
use corpus_search::text::normalize::normalize_str;
use corpus_search::text::tokenize::is_cjk;
use serde_json::Value;

/// (kind, query). Traditional-script queries must find the simplified articles.
/// The exact views an index can keep (`index --exact-view`); both must count alike.
const VIEWS: [&str; 2] = ["positions", "doc-ids"];

const QUERIES: &[(&str, &str)] = &[
    ("1 char", "鼎"),
    ("2 chars", "经济"),
    ("2 chars", "香港"),
    ("2 chars", "农民"),
    ("2 chars", "春节"),
    ("2 chars", "台湾"),
    ("3 chars", "江泽民"),
    ("3 chars", "朱镕基"),
    ("3 chars", "人民币"),
    ("3 chars", "克林顿"),
    ("3 chars", "联合国"),
    ("4 chars", "国有企业"),
    ("4 chars", "下岗职工"),
    ("4 chars", "希望工程"),
    ("4 chars", "科教兴国"),
    ("4 chars", "金融危机"),
    ("5 chars", "邓小平理论"),
    ("5 chars", "可持续发展"),
    ("6 chars", "亚洲金融危机"),
    ("6 chars", "精神文明建设"),
    ("phrase", "\"社会主义市场经济\""),
    ("phrase", "\"党的十五大精神\""),
    ("across words", "济发"),
    ("across words", "业改"),
    ("number", "1998"),
    ("number", "1997年"),
    ("number", "15"),
    ("Latin", "WTO"),
    ("Latin", "imf"),
    ("Latin", "VCD"),
    ("mixed", "BP机"),
    ("mixed", "B股"),
    ("mixed", "H5N1"),
    ("full-width", "ＷＴＯ"),
    ("traditional", "經濟"),
    ("traditional", "國有企業"),
    ("traditional", "鄧小平"),
    ("traditional", "香港特別行政區"),
    ("two words", "香港 回归"),
    ("two words", "农民 收入"),
    ("three words", "改革 开放 经济"),
    ("two words, trad", "臺灣 同胞"),
];

fn corpus() -> Option<PathBuf> {
    shared_corpus("rmrb-199801")
}

/// The articles the tool reads from these files (for their number).
fn articles_read(files: &[PathBuf]) -> usize {
    let mut n = 0;
    for chunk in files.chunks(400) {
        let run = bin()
            .arg("inspect")
            .arg("--json")
            .args(chunk)
            .output()
            .expect("runs");
        let text = String::from_utf8(run.stdout).expect("utf-8 JSON");
        for value in serde_json::Deserializer::from_str(&text).into_iter::<Value>() {
            let file = value.expect("one JSON object per file");
            n += file["articles"].as_array().map_or(0, Vec::len);
        }
    }
    n
}

/// The brute force's view of each file: every line of it, normalised (as the title slot,
/// with an empty body).
fn read_files(files: &[PathBuf]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("utf-8 corpus");
            (normalize_str(&text), String::new())
        })
        .collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Whether `text` holds `word` as the tool defines a match: anywhere for Chinese; for a
/// word that starts or ends with a letter or digit, not inside a longer Latin/number run
/// (WTO is not found in WTOX; 15 is not found in 1500).
fn contains_word(text: &str, word: &str) -> bool {
    let first = word.chars().next().is_some_and(is_word_char);
    let last = word.chars().last().is_some_and(is_word_char);
    let mut from = 0;
    while let Some(at) = text[from..].find(word) {
        let start = from + at;
        let end = start + word.len();
        let before_ok = !first || !text[..start].chars().last().is_some_and(is_word_char);
        let after_ok = !last || !text[end..].chars().next().is_some_and(is_word_char);
        if before_ok && after_ok {
            return true;
        }
        from = start + word.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The query's words as the brute force sees them: quotes removed, split at spaces.
fn words(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(|w| normalize_str(w.trim_matches('"')))
        .collect()
}

fn brute_force(articles: &[(String, String)], query: &str) -> u64 {
    let words = words(query);
    articles
        .iter()
        .filter(|(title, body)| {
            words
                .iter()
                .all(|w| contains_word(title, w) || contains_word(body, w))
        })
        .count() as u64
}

fn tool_total(index: &Path, query: &str) -> u64 {
    total(&query_json(index, &[query, "--limit", "0"]))
}

/// Simplified → traditional, the reverse of the project's own table (any traditional form
/// will do: normalisation must bring each back).
fn s2t_table() -> HashMap<char, char> {
    let data = include_str!("../data/t2s.tsv");
    let mut map = HashMap::new();
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(t), Some(s)) = (cols.next(), cols.next()) else {
            continue;
        };
        let (Some(t), Some(s)) = (t.chars().next(), s.chars().next()) else {
            continue;
        };
        map.entry(s).or_insert(t);
    }
    map
}

#[test]
fn every_count_equals_the_brute_force_count() {
    let Some(corpus) = corpus() else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(
        files.len() > 3000,
        "expected the 3,248 articles of rmrb-199801"
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    // Every index is built in both exact views (`index --exact-view`): with positions, and
    // as doc ids confirmed in the stored text.
    let build_both = |corpus: &Path, name: &str| -> [PathBuf; 2] {
        VIEWS.map(|view| {
            let index = tmp.path().join(format!("{name}-{view}"));
            build_with(corpus, &index, &["--exact-view", view]);
            index
        })
    };
    let index = build_both(&corpus, "index");
    let articles = read_files(&files);
    assert_eq!(
        articles_read(&files),
        files.len(),
        "each file of the corpus is read as one article"
    );

    // Copies of a sample of files in the other scripts and encodings.
    let sample: Vec<&PathBuf> = files.iter().step_by(10).collect();
    let s2t = s2t_table();
    let kinds = ["utf-8 sample", "traditional", "gbk", "big5"];
    let mut copies: HashMap<&str, PathBuf> = HashMap::new();
    for kind in kinds {
        let dir = tmp.path().join(kind.replace(' ', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        copies.insert(kind, dir);
    }
    let mut sample_files = Vec::new();
    // A character that GBK (simplified) or Big5 (its traditional form) cannot hold becomes a
    // space in every copy, so that all copies hold the same text.
    let mut fits: HashMap<char, bool> = HashMap::new();
    let mut fits_both = |c: char| {
        *fits.entry(c).or_insert_with(|| {
            let t = *s2t.get(&c).unwrap_or(&c);
            !encoding_rs::GBK.encode(&c.to_string()).2
                && !encoding_rs::BIG5.encode(&t.to_string()).2
        })
    };
    for path in &sample {
        let original = std::fs::read_to_string(path).expect("utf-8 corpus");
        let text: String = original
            .chars()
            .map(|c| if c == '\n' || fits_both(c) { c } else { ' ' })
            .collect();
        let trad: String = text.chars().map(|c| *s2t.get(&c).unwrap_or(&c)).collect();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let (big5, _, _) = encoding_rs::BIG5.encode(&trad);
        let name = path.file_name().unwrap();
        std::fs::write(copies["utf-8 sample"].join(name), &text).unwrap();
        std::fs::write(copies["traditional"].join(name), &trad).unwrap();
        std::fs::write(copies["gbk"].join(name), &*gbk).unwrap();
        std::fs::write(copies["big5"].join(name), &*big5).unwrap();
        sample_files.push(copies["utf-8 sample"].join(name));
    }
    assert!(sample_files.len() > 100, "a sample of files");
    let sample_articles = read_files(&sample_files);
    let copy_indexes: Vec<[PathBuf; 2]> = kinds
        .iter()
        .map(|kind| build_both(&copies[kind], &format!("index-{}", kind.replace(' ', "-"))))
        .collect();

    let mut table = String::new();
    writeln!(
        table,
        "corpus: {} files, {} articles; copies of {} files ({} articles) as UTF-8, traditional script, GBK, Big5; \
         each index built with positions and as doc ids (a count differing between them shows as p/d)",
        files.len(),
        articles.len(),
        sample_files.len(),
        sample_articles.len()
    )
    .unwrap();
    writeln!(
        table,
        "{:<18} {:<24} {:>7} {:>7} | {:>6} {:>6} {:>6} {:>6} {:>6}",
        "kind", "query", "brute", "tool", "brute", "utf-8", "trad", "gbk", "big5"
    )
    .unwrap();
    let mut wrong = Vec::new();
    for &(kind, query) in QUERIES {
        let expected = brute_force(&articles, query);
        let counts = |both: &[PathBuf; 2]| both.clone().map(|idx| tool_total(&idx, query));
        let got = counts(&index);
        let sample_expected = brute_force(&sample_articles, query);
        let copy_counts: Vec<[u64; 2]> = copy_indexes.iter().map(counts).collect();
        let ok = got == [expected; 2] && copy_counts.iter().all(|&c| c == [sample_expected; 2]);
        let shown = |[p, d]: [u64; 2]| {
            if p == d {
                p.to_string()
            } else {
                format!("{p}/{d}")
            }
        };
        writeln!(
            table,
            "{:<18} {:<24} {:>7} {:>7} | {:>6} {:>6} {:>6} {:>6} {:>6}{}",
            kind,
            query,
            expected,
            shown(got),
            sample_expected,
            shown(copy_counts[0]),
            shown(copy_counts[1]),
            shown(copy_counts[2]),
            shown(copy_counts[3]),
            if ok { "" } else { "   <- differs" }
        )
        .unwrap();
        if !ok {
            wrong.push(query);
        }
    }
    println!("{table}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/recall-table.txt");
    let _ = std::fs::write(out, &table);
    assert!(wrong.is_empty(), "counts differ for {wrong:?}:\n{table}");
    // The test is only worth something if the queries find things.
    let found = QUERIES
        .iter()
        .filter(|(_, q)| brute_force(&articles, q) > 0)
        .count();
    assert!(found >= 30, "only {found} queries match anything:\n{table}");
}

#[test]
fn the_brute_force_itself_is_right() {
    assert!(contains_word("加入wto以后", "wto"));
    assert!(!contains_word("wtox", "wto"));
    assert!(!contains_word("1500亿", "15"));
    assert!(contains_word("第15届", "15"));
    assert!(contains_word("国有企业改革", "业改"));
    assert_eq!(words("\"国有 企业\" 改革"), vec!["国有", "企业", "改革"]);
}

/// A title that is a credit, not a headline: it opens with a bracket or a dash
/// (`（牛廷相刘伟）`, `（新华社发美联社照片）`, `———王文西（山东）`) or is two characters or
/// less (`４`, `江西`).
fn credit_like_title(title: &str) -> bool {
    let t = title.trim();
    t.chars().count() <= 2 || t.starts_with(['（', '(', '【', '[', '［', '〔', '—', '―', '-', '－'])
}

/// Credits are never titles: on the People's Daily of January 1998, at most 1% of the titles
/// look like a credit (before the rule: 289 of 3,248, 8.9%).
#[test]
fn titles_are_headlines_not_credits() {
    let Some(corpus) = corpus() else {
        return;
    };
    let articles = corpus_articles(&corpus);
    let bad: Vec<String> = articles
        .iter()
        .map(|a| field(a, "title").to_string())
        .filter(|t| credit_like_title(t))
        .collect();
    let share = bad.len() as f64 / articles.len().max(1) as f64;
    eprintln!(
        "rmrb-199801: {} of {} titles look like a credit ({:.2}%); e.g. {:?}",
        bad.len(),
        articles.len(),
        share * 100.0,
        &bad[..bad.len().min(12)]
    );
    assert!(articles.len() > 3000, "{} articles", articles.len());
    assert!(share <= 0.01, "{:.2}% > 1%: {bad:?}", share * 100.0);
}
