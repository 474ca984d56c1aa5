//! A living archive: `index` on an existing index updates it. New, changed and removed files
//! are found and only those read; the result equals a build from scratch of the same files
//! (hits, totals, facet counts and stories); a kill -9 during an update leaves the last
//! committed index; a file changing while it is read is never half-indexed; `serve` sees an
//! update without a restart.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// Runs `index --json` and returns the summary and stderr.
fn index_json(corpus: &Path, index: &Path, flags: &[&str]) -> (Value, String) {
    let out = bin()
        .arg("index")
        .args(flags)
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .arg("--json")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "index failed: {stderr}");
    (
        serde_json::from_slice(&out.stdout).expect("a JSON summary"),
        stderr,
    )
}

fn tally(summary: &Value) -> [u64; 4] {
    let u = &summary["update"];
    assert!(u.is_object(), "not an update: {summary}");
    ["new", "changed", "removed", "unchanged"].map(|k| u[k].as_u64().unwrap())
}

fn current(index: &Path) -> String {
    fs::read_to_string(index.join("CURRENT")).unwrap()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A paragraph of news prose that no other file shares, marked with `word`.
fn article(title: &str, word: &str) -> String {
    format!(
        "{title}\n新华社北京3月14日电 记者从有关部门获悉，{word}相关工作今年取得新进展，多个地区出台配套措施，推动项目落地见效。\n专家表示，下一步将继续完善政策体系，加强统筹协调，确保各项任务按期完成。\n"
    )
}

#[test]
fn an_update_reads_only_what_changed_and_says_so() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    write(&c.join("a.txt"), &article("甲文章", "甲乙丙丁戊"));
    write(&c.join("sub/b.txt"), &article("乙文章", "子丑寅卯辰"));
    write(&c.join("c.txt"), &article("丙文章", "东南西北中"));
    write(&c.join("d.txt"), &article("丁文章", "春夏秋冬季"));
    let (first, _) = index_json(c, index.path(), &[]);
    assert!(first["update"].is_null(), "a first build is a build");
    assert_eq!(first["index_articles"], 4);

    // Nothing changed: no new generation, and the summary says so.
    let gen = current(index.path());
    let (same, stderr) = index_json(c, index.path(), &[]);
    assert_eq!(tally(&same), [0, 0, 0, 4]);
    assert!(
        stderr.contains("+0 new, 0 changed, 0 removed, 4 unchanged"),
        "{stderr}"
    );
    assert_eq!(current(index.path()), gen);

    // One new, one changed, one removed, one touched (same bytes, new time).
    write(&c.join("e.txt"), &article("戊文章", "金木水火土"));
    write(
        &c.join("sub/b.txt"),
        &article("乙文章（更新）", "天地玄黄宇"),
    );
    fs::remove_file(c.join("c.txt")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let text = fs::read_to_string(c.join("d.txt")).unwrap();
    write(&c.join("d.txt"), &text);
    let (update, stderr) = index_json(c, index.path(), &[]);
    assert_eq!(tally(&update), [1, 1, 1, 2], "{stderr}");
    assert_eq!(
        update["articles"], 2,
        "only the new and the changed file's articles were read"
    );
    assert_eq!(update["index_articles"], 4);
    assert_ne!(current(index.path()), gen);
    let hits = |q: &str| total(&query_json(index.path(), &[q]));
    assert_eq!(hits("金木水火土"), 1, "the new file is found");
    assert_eq!(
        hits("天地玄黄宇"),
        1,
        "the changed file's new text is found"
    );
    assert_eq!(hits("子丑寅卯辰"), 0, "the changed file's old text is gone");
    assert_eq!(hits("东南西北中"), 0, "the removed file is gone");
    assert_eq!(
        hits("春夏秋冬季"),
        1,
        "the touched file is still there, once"
    );
    assert_eq!(hits(""), 4);

    // --rebuild builds from scratch, and says why.
    let (rebuilt, stderr) = index_json(c, index.path(), &["--rebuild"]);
    assert!(rebuilt["update"].is_null());
    assert!(
        stderr.contains("from scratch: --rebuild was given"),
        "{stderr}"
    );
    assert_eq!(hits(""), 4);

    // Another dictionary changes how every text is cut: a rebuild, with the reason.
    let dict = tempfile::NamedTempFile::new().unwrap();
    fs::write(dict.path(), "玄黄宇 100 n\n").unwrap();
    let (rebuilt, stderr) = index_json(c, index.path(), &["--dict", dict.path().to_str().unwrap()]);
    assert!(rebuilt["update"].is_null());
    assert!(stderr.contains("--dict dictionaries differ"), "{stderr}");
}

/// An index kept as doc ids (`--exact-view doc-ids`) updates in place like any other, its
/// phrases confirmed in the stored text, the date and source lines included; asking for the
/// other view builds it again, and says why.
#[test]
fn a_doc_ids_index_updates_in_place_and_a_change_of_view_rebuilds() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let c = corpus.path();
    let ids = ["--exact-view", "doc-ids"];
    // The date and source line is the article's extra text, searchable, never shown.
    let credited = "甲乙丙丁戊工作取得新进展\n2024-03-14 10:00:00  来源：光明日报  作者：王小明\n\
                    记者从有关部门获悉，甲乙丙丁戊相关工作今年取得新进展，多个地区出台配套措施。\n";
    write(&c.join("a.txt"), credited);
    write(&c.join("b.txt"), &article("乙文章", "子丑寅卯辰"));
    index_json(c, index.path(), &ids);
    let hits = |q: &str| total(&query_json(index.path(), &[q]));
    assert_eq!(hits("甲乙丙丁戊"), 1);
    // 相关 关工 工作 (body) and 作取 取得 (title) are all in a.txt; the phrase is not.
    assert_eq!(hits("相关工作取得"), 0, "its bigrams are all there");
    assert_eq!(hits("甲乙丙丁戊相关工作"), 1);
    assert_eq!(hits("作者：王小明"), 1, "found in the stored extra text");

    write(&c.join("b.txt"), &article("乙文章", "天地玄黄宇"));
    let (update, stderr) = index_json(c, index.path(), &ids);
    assert_eq!(tally(&update), [0, 1, 0, 1], "{stderr}");
    assert_eq!(hits("天地玄黄宇"), 1);
    assert_eq!(hits("子丑寅卯辰"), 0);

    let (rebuilt, stderr) = index_json(c, index.path(), &[]);
    assert!(rebuilt["update"].is_null());
    assert!(
        stderr.contains("--exact-view positions was asked and the index keeps doc-ids"),
        "{stderr}"
    );
    assert_eq!(hits("天地玄黄宇"), 1);
    assert_eq!(hits("作者：王小明"), 1);
}

/// What a set of queries answers: totals, every hit with its score, facet counts, stories.
fn answers(index: &Path, queries: &[&str]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for q in queries {
        let v = query_json(index, &[q, "--limit", "1000"]);
        let mut hits: Vec<(String, String, String)> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["id"].as_str().unwrap().to_string(),
                    format!("{:.4}", h["score"].as_f64().unwrap()),
                    h["story"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        hits.sort();
        if hits.len() as u64 != v["total"].as_u64().unwrap() {
            // Cut at the limit, the list may end inside a run of equal scores, which tantivy
            // orders by where articles sit in the index: only the scores are the same.
            hits = hits
                .into_iter()
                .map(|(_, s, _)| (String::new(), s, String::new()))
                .collect();
            hits.sort();
        }
        out.insert(format!("{q} total"), v["total"].clone());
        out.insert(format!("{q} stories"), v["stories"].clone());
        out.insert(format!("{q} hits"), serde_json::json!(hits));
        out.insert(format!("{q} facets"), v["facets"].clone());
        for by in ["province", "source", "month"] {
            let stories = facets_json(index, &[q, "--by", by, "--stories"]);
            out.insert(format!("{q} stories by {by}"), stories["rows"].clone());
        }
    }
    let export = bin()
        .args([
            "export",
            "",
            "--format",
            "jsonl",
            "--fields",
            "id,story,reprints",
            "--index",
        ])
        .arg(index)
        .output()
        .unwrap();
    let mut lines: Vec<String> = String::from_utf8(export.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    out.insert("stories of every article".into(), serde_json::json!(lines));
    out
}

fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Copies `files` into `to` in five steps (every fifth file from a different start, so each
/// step's files are spread over the corpus), updating the index after each step.
fn build_in_five_updates(files: &[PathBuf], to: &Path, index: &Path) {
    for step in 0..5 {
        for f in files.iter().skip(step).step_by(5) {
            fs::copy(f, to.join(f.file_name().unwrap())).unwrap();
        }
        let (summary, stderr) = index_json(to, index, &[]);
        if step > 0 {
            let [new, changed, removed, _] = tally(&summary);
            assert_eq!((changed, removed), (0, 0), "{stderr}");
            assert!(new > 0);
        }
    }
}

fn one_go_equals_five_updates(source: &Path, queries: &[&str]) {
    let files = files_of(source);
    let at_once = tempfile::tempdir().unwrap();
    build(source, at_once.path());
    let grown = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    build_in_five_updates(&files, grown.path(), index.path());
    same_answers(at_once.path(), index.path(), queries);
}

fn same_answers(one: &Path, other: &Path, queries: &[&str]) {
    let (a, b) = (answers(one, queries), answers(other, queries));
    for (key, value) in &a {
        let theirs = b.get(key).unwrap();
        if value != theirs {
            let (x, y) = (value.to_string(), theirs.to_string());
            let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
            let show = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(200))
                    .take(400)
                    .collect::<String>()
            };
            panic!("{key} differs:\n  {}\n  {}", show(&x), show(&y));
        }
    }
}

#[test]
fn five_updates_give_what_one_build_gives_on_the_seeds() {
    one_go_equals_five_updates(
        &seeds_dir(),
        &["", "低空经济", "新质生产力", "深圳 OR 广州"],
    );
}

#[test]
fn five_updates_give_what_one_build_gives_on_rmrb() {
    let Some(rmrb) = shared_corpus("rmrb-199801") else {
        return;
    };
    // Reprints for the stories to find: a few articles copied under another name and
    // headline, with a paragraph cut.
    let with_reprints = tempfile::tempdir().unwrap();
    for f in files_of(&rmrb) {
        fs::copy(&f, with_reprints.path().join(f.file_name().unwrap())).unwrap();
    }
    for n in [15, 120, 777, 2048] {
        let text = fs::read_to_string(rmrb.join(format!("rmrb-199801-{n:05}.txt"))).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines[0] = "转载：另一个标题";
        if lines.len() > 4 {
            lines.remove(2);
        }
        write(
            &with_reprints.path().join(format!("reprint-{n:05}.txt")),
            &lines.join("\n"),
        );
    }
    one_go_equals_five_updates(
        with_reprints.path(),
        &["", "经济", "\"国有企业\"", "香港 回归", "江泽民 OR 李鹏"],
    );
}

/// Copies of the seeds in `copies` folders.
fn seed_copies(dir: &Path, from: usize, copies: usize) {
    for i in from..from + copies {
        let sub = dir.join(format!("copy-{i:04}"));
        fs::create_dir_all(&sub).unwrap();
        for s in files_of(&seeds_dir()) {
            fs::copy(&s, sub.join(s.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn a_killed_update_leaves_the_last_index_and_a_rerun_converges() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    seed_copies(corpus.path(), 0, 2);
    build(corpus.path(), index.path());
    let before = total(&query_json(index.path(), &["低空经济"]));
    assert_eq!(before, 8);

    // A large update: 150 more copies. Kill it at several moments, from its start to near
    // its end; each time the last committed index answers.
    seed_copies(corpus.path(), 2, 150);
    for wait_ms in [0, 150, 600, 1500] {
        let mut child = spawn_index(corpus.path(), index.path());
        let deadline = Instant::now() + Duration::from_secs(60);
        while generations(index.path()) < 2 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(wait_ms));
        if wait_ms == 150 {
            // A second writer meanwhile is turned away.
            let second = bin()
                .args(["index", "--corpus"])
                .arg(corpus.path())
                .arg("--index")
                .arg(index.path())
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&second.stderr);
            assert!(
                err.contains("is locked") || second.status.success(),
                "{err}"
            );
        }
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        let now = total(&query_json(index.path(), &["低空经济"]));
        assert!(
            now == before || (finished && now == before * 76),
            "after a kill at {wait_ms} ms the index answers {now}"
        );
        if now != before {
            break; // the update finished before the kill
        }
    }
    // A rerun converges on what a fresh build gives.
    build(corpus.path(), index.path());
    assert_eq!(total(&query_json(index.path(), &["低空经济"])), before * 76);
    assert_eq!(generations(index.path()), 1, "leftovers are removed");
    let fresh = tempfile::tempdir().unwrap();
    build(corpus.path(), fresh.path());
    same_answers(index.path(), fresh.path(), &["", "低空经济"]);
}

#[test]
fn a_file_changing_while_it_is_read_is_never_half_indexed() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    seed_copies(corpus.path(), 0, 1);
    build(corpus.path(), index.path());
    // Two complete versions of one large file, rewritten in pieces without pause while the
    // index is updated: a reader can catch it torn.
    let versions: Vec<String> = ["天干地支", "日月星辰"]
        .iter()
        .map(|w| {
            // Numbered paragraphs: a repeated one would be dropped as boilerplate.
            let paras: Vec<String> = (0..20_000)
                .map(|i| format!("{w}甲子乙丑丙寅丁卯第{i:05}段戊辰己巳庚午辛未壬申癸酉。"))
                .collect();
            format!("{w}专题\n{}\n", paras.join("\n"))
        })
        .collect();
    assert_eq!(versions[0].len(), versions[1].len());
    let path = corpus.path().join("changing.txt");
    fs::write(&path, &versions[0]).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, path, versions) = (stop.clone(), path.clone(), versions.clone());
        std::thread::spawn(move || {
            use std::io::Write;
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                // Overwritten in place (never empty), so a torn read mixes the two.
                let text = &versions[n % 2];
                let mut f = fs::OpenOptions::new().write(true).open(&path).unwrap();
                for chunk in text.as_bytes().chunks(64 * 1024) {
                    f.write_all(chunk).unwrap();
                }
                n += 1;
            }
        })
    };
    let out = bin()
        .arg("index")
        .arg("--corpus")
        .arg(corpus.path())
        .arg("--index")
        .arg(index.path())
        .output()
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let found = |w: &str| total(&query_json(index.path(), &[&format!("title:{w}专题")]));
    let (a, b) = (found("天干地支"), found("日月星辰"));
    if a + b == 0 {
        assert!(
            stderr.contains("kept changing"),
            "neither version, and no report: {stderr}"
        );
    } else {
        // Read whole: exactly one version, with every one of its paragraphs.
        assert_eq!(a + b, 1, "{stderr}");
        let w = if a == 1 {
            "天干地支"
        } else {
            "日月星辰"
        };
        let export = bin()
            .args([
                "export",
                &format!("title:{w}专题"),
                "--format",
                "jsonl",
                "--fields",
                "text",
            ])
            .arg("--index")
            .arg(index.path())
            .output()
            .unwrap();
        let row: Value = serde_json::from_slice(&export.stdout).unwrap();
        let text = row["text"].as_str().unwrap();
        let other = if a == 1 {
            "日月星辰"
        } else {
            "天干地支"
        };
        assert_eq!(
            text.matches(&format!("{w}甲子")).count(),
            20_000,
            "{stderr}"
        );
        assert!(!text.contains(other), "a torn read was indexed: {stderr}");
    }
}

#[test]
fn serve_sees_an_update_without_a_restart() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(
        &corpus.path().join("a.txt"),
        &article("甲文章", "甲乙丙丁戊"),
    );
    build(corpus.path(), index.path());
    let server = server::Server::start(index.path(), &[]);
    let count = |q: &str| {
        let v = server.ok_json(&format!("/api/search?q={}", form(q)));
        v["total"].as_u64().unwrap()
    };
    assert_eq!(count("金木水火土"), 0);
    write(
        &corpus.path().join("b.txt"),
        &article("乙文章", "金木水火土"),
    );
    build(corpus.path(), index.path());
    assert_eq!(
        count("金木水火土"),
        1,
        "the running server answers from the update"
    );
}

fn form(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

#[test]
fn an_update_still_names_the_skipped_files_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    write(&corpus.join("local/list.html"), &list_page());
    write(
        &corpus.join("a.txt"),
        &article("城市更新项目稳步推进", "城市更新"),
    );
    let index = dir.path().join("index");
    let built = build(&corpus, &index);
    assert!(built.contains("local/list.html: skipped"), "{built}");

    // Nothing touched: the update reads nothing, yet names the skipped file and why.
    let (summary, stderr) = index_json(&corpus, &index, &[]);
    assert_eq!(tally(&summary), [0, 0, 0, 2], "{summary}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("still skipped:"))
        .unwrap_or_else(|| panic!("no still-skipped line: {stderr}"));
    assert!(line.contains("1 file (local/list.html: "), "{line}");
    assert!(line.contains("list of links"), "{line}");
    assert_eq!(
        summary["still_skipped"][0]["path"], "local/list.html",
        "{summary}"
    );

    // Another file changes: the list page is not read again and is still named.
    write(
        &corpus.join("b.txt"),
        &article("乡村振兴带动农民增收", "乡村振兴"),
    );
    let (summary, stderr) = index_json(&corpus, &index, &[]);
    assert_eq!(tally(&summary), [1, 0, 0, 2], "{summary}");
    assert!(
        stderr.contains("still skipped: 1 file (local/list.html: "),
        "{stderr}"
    );
}

/// True for `indexing: 3/5 files, 12 articles, 1.4 MB/s`.
fn is_progress_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("indexing: ") else {
        return false;
    };
    let parts: Vec<&str> = rest.split(", ").collect();
    let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let files = parts.first().and_then(|p| p.strip_suffix(" files"));
    let files_ok = files
        .and_then(|f| f.split_once('/'))
        .is_some_and(|(done, total)| number(done) && number(total));
    let articles_ok = parts
        .get(1)
        .and_then(|p| p.strip_suffix(" articles"))
        .is_some_and(number);
    let speed_ok = parts
        .get(2)
        .and_then(|p| p.strip_suffix(" MB/s"))
        .is_some_and(|v| v.parse::<f64>().is_ok());
    parts.len() == 3 && files_ok && articles_ok && speed_ok
}

#[test]
fn a_run_logged_to_a_file_prints_progress_lines() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    for (i, (title, word)) in [
        ("城市更新项目稳步推进", "城市更新"),
        ("乡村振兴带动农民增收", "乡村振兴"),
        ("新能源汽车销量创新高", "新能源汽车"),
    ]
    .iter()
    .enumerate()
    {
        write(&corpus.join(format!("{i}.txt")), &article(title, word));
    }
    let run = |index: &str, secs: Option<&str>| {
        let mut cmd = bin();
        cmd.arg("index")
            .arg("--corpus")
            .arg(&corpus)
            .arg("--index")
            .arg(dir.path().join(index));
        match secs {
            Some(s) => cmd.env("CORPUS_SEARCH_PROGRESS_SECS", s),
            None => cmd.env_remove("CORPUS_SEARCH_PROGRESS_SECS"),
        };
        let out = cmd.output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "index failed: {stderr}");
        stderr
    };
    // stderr is a pipe here, as in a log: with no interval, a line per file read.
    let stderr = run("every", Some("0"));
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("indexing:"))
        .collect();
    assert!(!lines.is_empty(), "{stderr}");
    assert!(lines.iter().all(|l| is_progress_line(l)), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("/3 files")), "{lines:?}");
    // The default of 10 s prints none in a run this short.
    let stderr = run("default", None);
    assert!(!stderr.contains("indexing:"), "{stderr}");
}
