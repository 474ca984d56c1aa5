//! `corpus-search.toml`: a folder's settings (source, site, encoding, format, field names)
//! for the files under it (issue 27). The fixtures are written here.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

fn index_json(corpus: &Path, index: &Path) -> Value {
    let out = bin()
        .args(["index", "--json", "--corpus"])
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A corpus of three folders whose files do not say what their folder's settings do.
fn corpus(root: &Path) {
    let rmrb = root.join("rmrb");
    fs::create_dir_all(&rmrb).unwrap();
    fs::write(rmrb.join("corpus-search.toml"), "source = \"人民日报\"\n").unwrap();
    fs::write(
        rmrb.join("a.txt"),
        "春运首日客流平稳\n\n铁路部门今天迎来春运首日，各大车站秩序井然。\n",
    )
    .unwrap();

    // Big5 bytes, and a site the text does not name: the settings say both.
    let tw = root.join("tw");
    fs::create_dir_all(&tw).unwrap();
    fs::write(
        tw.join("corpus-search.toml"),
        "encoding = \"big5\"\nsite = \"中央社\"\n",
    )
    .unwrap();
    let (big5, _, _) = encoding_rs::BIG5
        .encode("颱風警報發布\n\n中央氣象署今天發布海上颱風警報，民眾應注意防範。\n");
    fs::write(tw.join("b.txt"), big5).unwrap();

    // Records with field names no reader guesses, in a file named .dat.
    let feed = root.join("feed");
    fs::create_dir_all(&feed).unwrap();
    fs::write(
        feed.join("corpus-search.toml"),
        "format = \"csv\"\n\n[fields]\ntitle = \"headline_zh\"\ntext = \"content_text\"\n",
    )
    .unwrap();
    fs::write(
        feed.join("items.dat"),
        "headline_zh,content_text,misc\n低空经济试点扩围,多地开展低空经济试点，无人机配送进入社区。,x\n新能源汽车出口增长,今年前十个月新能源汽车出口同比增长。,y\n",
    )
    .unwrap();
}

#[test]
fn a_folders_settings_apply_to_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus(&root);
    let index = dir.path().join("index");
    let summary = index_json(&root, &index);
    assert_eq!(summary["articles"], 4, "{summary}");
    assert_eq!(summary["files_skipped"], 0, "{summary}");

    // The settings files are not articles.
    let all = query_json(&index, &["", "--limit", "50"]);
    assert!(
        paths(&all)
            .iter()
            .all(|p| !p.ends_with("corpus-search.toml")),
        "{all}"
    );
    // source = 人民日报 for the file that names none.
    let rmrb = query_json(&index, &["", "--source", "人民日报"]);
    assert_eq!(paths(&rmrb), ["rmrb/a.txt"], "{rmrb}");
    // Big5, read as such: a traditional word is found by the simplified one.
    let typhoon = query_json(&index, &["台风警报"]);
    assert_eq!(paths(&typhoon), ["tw/b.txt"], "{typhoon}");
    assert_eq!(typhoon["hits"][0]["site"], "中央社");
    // CSV with its own field names.
    let feed = query_json(&index, &["低空经济"]);
    assert_eq!(feed["hits"][0]["title"], "低空经济试点扩围", "{feed}");

    // inspect says which settings applied.
    let inspected = inspect_json(&[root.join("feed/items.dat")]);
    let settings = &inspected[0]["settings"];
    assert_eq!(settings["format"], "csv", "{settings}");
    assert_eq!(settings["fields"]["text"], "content_text");
    assert!(
        settings["from"][0]
            .as_str()
            .unwrap()
            .ends_with("feed/corpus-search.toml"),
        "{settings}"
    );
    let text = bin()
        .arg("inspect")
        .arg(root.join("rmrb/a.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("settings: source = 人民日报"), "{text}");
}

#[test]
fn a_changed_settings_file_reads_its_files_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus(&root);
    let index = dir.path().join("index");
    index_json(&root, &index);
    fs::write(
        root.join("rmrb/corpus-search.toml"),
        "source = \"新华社\"\n",
    )
    .unwrap();
    let summary = index_json(&root, &index);
    let update = &summary["update"];
    assert_eq!(update["changed"], 1, "{summary}");
    assert_eq!(update["new"], 0, "{summary}");
    let now = query_json(&index, &["", "--source", "新华社"]);
    assert_eq!(paths(&now), ["rmrb/a.txt"], "{now}");
    // Unchanged settings: nothing is read again.
    let summary = index_json(&root, &index);
    assert_eq!(summary["update"]["changed"], 0, "{summary}");
    assert_eq!(summary["files_read"], 0, "{summary}");
}

#[test]
fn a_broken_settings_file_skips_its_folder_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus(&root);
    fs::write(root.join("tw/corpus-search.toml"), "encodng = \"big5\"\n").unwrap();
    let index = dir.path().join("index");
    let summary = index_json(&root, &index);
    assert_eq!(summary["articles"], 3, "the rest is indexed: {summary}");
    let skipped = summary["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{summary}");
    assert_eq!(skipped[0]["path"], "tw/b.txt");
    let reason = skipped[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("tw/corpus-search.toml") && reason.contains("encodng"),
        "{reason}"
    );
}
