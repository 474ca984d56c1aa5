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

/// A Big5 page that declares its charset and uses CP950's user-defined area for rare
/// characters of names (as Taiwan and Hong Kong newsrooms do) is read as Big5, those codes
/// as the private-use characters CP950 gives them, not refused as "cannot tell the encoding".
#[test]
fn big5_with_user_defined_characters_is_read_in_the_charset_it_declares() {
    let big5 = |s: &str| {
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(s);
        assert!(!unmappable, "{s} is all Big5");
        bytes.into_owned()
    };
    // Codes with leads 0x81-0x86: CP950's user-defined area, outside Big5-HKSCS.
    let rare: [[u8; 2]; 6] = [
        [0x81, 0x40],
        [0x82, 0xA1],
        [0x83, 0x7A],
        [0x84, 0xB5],
        [0x85, 0x60],
        [0x86, 0xFE],
    ];
    let names = [
        "議長",
        "副議長",
        "財政處長",
        "主計處長",
        "民政處長",
        "秘書長",
    ];
    let mut bytes = big5(
        "<html><head><meta charset=\"big5\"><title>花蓮縣議會三讀通過總預算</title></head><body><h1>花蓮縣議會三讀通過總預算</h1><p>",
    );
    for (name, code) in names.iter().zip(&rare) {
        bytes.extend(big5(name));
        bytes.extend_from_slice(code);
        bytes.extend(big5("英表示，"));
    }
    bytes.extend(big5("明年度歲入約一百八十億元。</p></body></html>"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hualien.html");
    std::fs::write(&path, &bytes).unwrap();
    let v = inspect(&path);
    assert_eq!(v["encoding"], "Big5", "{v:#}");
    assert_eq!(v["replaced"], 0, "{v:#}");
    let body = articles(&v)[0]["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // CP950: 0x8140 -> U+EEB8, 0x86FE -> U+F265.
    assert!(body.contains("議長\u{EEB8}英"), "{body:?}");
    assert!(body.contains("秘書長\u{F265}英"), "{body:?}");
    assert!(!body.contains('\u{FFFD}'), "{body:?}");
    assert!(body.contains("一百八十億元"), "{body:?}");
}
