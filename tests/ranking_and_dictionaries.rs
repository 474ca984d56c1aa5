//! Matching is exact on characters, ranking is aware of words: an article where the query is
//! a word ranks above one where its characters only touch across a word boundary. A user's
//! own dictionary (`index --dict FILE`) is used for the index and, stored with it, for queries.

mod common;

use common::*;
use serde_json::Value;

fn corpus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

fn first_path(v: &Value) -> String {
    v["hits"][0]["path"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_word_ranks_above_characters_that_touch_across_words() {
    let c = corpus(&[
        (
            "a-across.txt",
            "央行发布公告\n\n中国人民银行今天发布公告，下调存款准备金率0.5个百分点，释放长期资金约1万亿元。",
        ),
        (
            "b-word.txt",
            "茶叶市场回暖\n\n不少中国人喜欢喝茶，今年春茶上市以来，茶叶市场价格平稳，交易量同比增长。",
        ),
    ]);
    let idx = tempfile::tempdir().unwrap();
    build(c.path(), idx.path());
    let v = query_json(idx.path(), &["中国人"]);
    assert_eq!(total(&v), 2, "both contain 中国人: {v:#}");
    assert_eq!(first_path(&v), "b-word.txt", "{v:#}");
}

#[test]
fn title_matches_rank_higher() {
    let c = corpus(&[
        (
            "a-body.txt",
            "春运首日客流平稳\n\n春运首日，全国铁路发送旅客1000万人次。多地推出人工智能客服，方便旅客购票。",
        ),
        (
            "b-title.txt",
            "人工智能赋能制造业\n\n春运首日，全国铁路发送旅客1000万人次。多地推出智能客服，方便旅客购票。",
        ),
    ]);
    let idx = tempfile::tempdir().unwrap();
    build(c.path(), idx.path());
    let v = query_json(idx.path(), &["人工智能"]);
    assert_eq!(total(&v), 2);
    assert_eq!(first_path(&v), "b-title.txt", "{v:#}");
}

#[test]
fn a_users_dictionary_is_kept_with_the_index() {
    let c = corpus(&[(
        "a.txt",
        "星链通发布新一代终端\n\n星链通公司今天在深圳发布新一代卫星通信终端，支持5G和北斗短报文。",
    )]);
    let dict_dir = tempfile::tempdir().unwrap();
    let dict = dict_dir.path().join("words.txt");
    std::fs::write(&dict, "# my words\n星链通 1000 nz\n北斗短报文 1000 n\n").unwrap();
    let idx = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["index", "--corpus"])
        .arg(c.path())
        .arg("--index")
        .arg(idx.path())
        .arg("--dict")
        .arg(&dict)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The dictionary file can go away: the index keeps what it needs.
    drop(dict_dir);
    for q in ["星链通", "北斗短报文", "5G", "5g"] {
        let v = query_json(idx.path(), &[q]);
        assert_eq!(total(&v), 1, "{q}: {v:#}");
    }
}

#[test]
fn a_missing_dictionary_is_a_clear_error() {
    let c = corpus(&[(
        "a.txt",
        "标题\n\n正文内容足够长，用于测试词典文件缺失时的提示。",
    )]);
    let idx = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["index", "--corpus"])
        .arg(c.path())
        .arg("--index")
        .arg(idx.path())
        .args(["--dict", "no-such-words.txt"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-words.txt"), "{err}");
}
