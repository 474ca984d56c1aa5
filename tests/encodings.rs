//! The same real article in every encoding a Chinese archive holds gives the same text in
//! the index and the same hits: UTF-8 with and without BOM, UTF-16 LE/BE, GB18030, GBK, and
//! Big5 (in traditional script, which normalises back to the same simplified text).

mod common;

use std::collections::HashMap;

use common::*;
use corpus_search::text::normalize::normalize_str;
use serde_json::Value;

fn s2t() -> HashMap<char, char> {
    let mut map = HashMap::new();
    for line in include_str!("../data/t2s.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let mut cols = line.split('\t');
        if let (Some(t), Some(s)) = (cols.next(), cols.next()) {
            if let (Some(t), Some(s)) = (t.chars().next(), s.chars().next()) {
                map.entry(s).or_insert(t);
            }
        }
    }
    map
}

fn inspect(path: &std::path::Path) -> Value {
    inspect_json(&[path.to_path_buf()]).remove(0)
}

#[test]
fn every_encoding_gives_the_same_article_and_hits() {
    let seed = seeds_dir().join("001_420f488cd73983fa.txt");
    let original = std::fs::read_to_string(&seed).unwrap();
    // Keep the characters Big5 can hold in traditional form, so every copy has the same text.
    let table = s2t();
    let text: String = original
        .chars()
        .filter(|&c| {
            let t = *table.get(&c).unwrap_or(&c);
            c == '\n' || !encoding_rs::BIG5.encode(&t.to_string()).2
        })
        .collect();
    let trad: String = text.chars().map(|c| *table.get(&c).unwrap_or(&c)).collect();
    let utf16 = |big_endian: bool| {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    };
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let copies: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf8.txt", text.as_bytes().to_vec(), "UTF-8"),
        ("utf8-bom.txt", bom, "UTF-8"),
        ("utf16le.txt", utf16(false), "UTF-16LE"),
        ("utf16be.txt", utf16(true), "UTF-16BE"),
        (
            "gb18030.txt",
            encoding_rs::GB18030.encode(&text).0.into_owned(),
            "gb18030",
        ),
        (
            "gbk.txt",
            encoding_rs::GBK.encode(&text).0.into_owned(),
            "gb18030",
        ),
        (
            "big5.txt",
            encoding_rs::BIG5.encode(&trad).0.into_owned(),
            "Big5",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut reference: Option<(String, String)> = None;
    for (name, bytes, encoding) in &copies {
        let path = corpus.join(name);
        std::fs::write(&path, bytes).unwrap();
        let v = inspect(&path);
        assert_eq!(v["encoding"].as_str().unwrap(), *encoding, "{name}");
        assert_eq!(v["replaced"], 0, "{name}");
        let a = &v["articles"][0];
        let got = (
            normalize_str(a["title"].as_str().unwrap()),
            normalize_str(a["body"].as_str().unwrap()),
        );
        assert!(got.1.contains("低空经济"), "{name}: {}", got.1);
        match &reference {
            None => reference = Some(got),
            Some(r) => assert!(r == &got, "{name} reads differently from utf8.txt"),
        }
    }
    let index = dir.path().join("index");
    build(&corpus, &index);
    for q in ["低空经济", "新质生产力", "深圳", "低空經濟"] {
        let v = query_json(&index, &[q, "--limit", "20"]);
        assert_eq!(total(&v), copies.len() as u64, "{q}: {v:#}");
    }
}
