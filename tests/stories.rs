//! Reprints collapsed into stories, end to end: `query --collapse` and the totals, `reprints
//! ID`, `facets --stories` and its counting rule, `export` of story ids (also for other
//! engines), the API (`collapse=true`, `/api/articles/{id}/reprints`, `stories=1`) and the
//! page (the 合并转载 toggle, the 转载 list); an update finds a new article's story among the
//! old ones.

mod common;

use std::fs;
use std::path::Path;

use common::server::Server;
use common::*;
use serde_json::Value;

/// A wire story written for this test: four paragraphs about a made-up bridge.
const BRIDGE: [&str; 4] = [
    "记者从省交通运输厅获悉，连接两岸的清河特大桥日前完成主跨合龙，标志着这座全长四点二公里的大桥进入桥面铺装和附属工程施工阶段，预计明年六月建成通车。",
    "清河特大桥是省内首座采用双塔双索面斜拉结构的公路桥梁，主跨长度六百八十米，设计时速一百公里，建成后两岸之间的车程将由原来的一个半小时缩短到二十分钟左右。",
    "项目负责人介绍，施工团队在汛期坚持作业，通过智能监测系统实时掌握索力和线形变化，确保合龙精度控制在毫米级，多项技术指标达到国内领先水平。",
    "当地群众表示，大桥通车后走亲访友和运送农产品将更加方便，沿线乡镇也在谋划发展物流仓储和乡村旅游，期待大桥带动区域经济发展。",
];

/// Another story, about a made-up library, that no bridge article resembles.
const LIBRARY: [&str; 3] = [
    "市图书馆新馆今天正式开馆，新馆建筑面积三万二千平方米，设有阅览座位两千四百个，馆藏图书二百一十万册，并开设了古籍修复展示区和少儿科普体验区。",
    "新馆实行全年无休开放，读者可以通过自助借还设备和手机预约办理借阅，夜间自习室开放到晚上十点，满足学生和上班族的阅读需求。",
    "市文化部门负责人表示，下一步将推动图书馆分馆向社区和乡镇延伸，打造十五分钟阅读服务圈，让群众在家门口就能享受公共文化服务。",
];

fn page(title: &str, dateline: &str, paragraphs: &[&str], credit: &str) -> String {
    let mut text = format!("{title}\n{dateline}\n");
    for p in paragraphs {
        text.push_str(p);
        text.push('\n');
    }
    text.push_str(credit);
    text.push('\n');
    text
}

/// The wire original (江苏), two reprints (one in 浙江 with a cut paragraph and a note, one
/// in traditional script with no date), and an unrelated article.
fn corpus(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("a-wire.txt"),
        page(
            "江苏清河特大桥主跨合龙",
            "新华社南京2024年5月10日电",
            &BRIDGE,
            "（责任编辑：王明）",
        ),
    )
    .unwrap();
    fs::write(
        dir.join("b-reprint.txt"),
        page(
            "浙江交通：跨江大桥合龙在即，两岸一小时车程缩到二十分钟",
            "2024年5月11日 来源：浙江日报",
            &[
                "编者按：大桥建设牵动两岸群众的心，本报转载相关报道。",
                BRIDGE[0],
                BRIDGE[1],
                BRIDGE[3],
            ],
            "",
        ),
    )
    .unwrap();
    let traditional: Vec<String> = BRIDGE
        .iter()
        .map(|p| {
            p.replace("记者", "記者")
                .replace("桥", "橋")
                .replace("发", "發")
        })
        .collect();
    let traditional: Vec<&str> = traditional.iter().map(String::as_str).collect();
    fs::write(
        dir.join("c-reprint-trad.txt"),
        page("清河特大橋合龍", "", &traditional, ""),
    )
    .unwrap();
    fs::write(
        dir.join("d-library.txt"),
        page(
            "市图书馆新馆开馆",
            "2024年5月12日 来源：浙江日报",
            &LIBRARY,
            "",
        ),
    )
    .unwrap();
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("corpus");
    corpus(&c);
    let index = tmp.path().join("index");
    build(&c, &index);
    (tmp, index)
}

fn run(index: &Path, args: &[&str]) -> String {
    let out = bin().args(args).arg("--index").arg(index).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn reprints_are_one_story_whose_original_is_the_wire() {
    let (_tmp, index) = built();
    let all = query_json(&index, &["", "--limit", "10"]);
    assert_eq!(all["total"], 4);
    assert_eq!(all["stories"], 2);
    let story_of = |v: &Value, id: &str| -> String {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .map(|h| h["story"].as_str().unwrap().to_string())
            .unwrap()
    };
    for id in ["a-wire.txt#1", "b-reprint.txt#1", "c-reprint-trad.txt#1"] {
        assert_eq!(story_of(&all, id), "a-wire.txt#1", "{id}");
    }
    assert_eq!(story_of(&all, "d-library.txt#1"), "d-library.txt#1");

    let story = json_of("reprints", &index, &["b-reprint.txt#1"]);
    assert_eq!(story["story"], "a-wire.txt#1");
    let articles = story["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 3);
    assert_eq!(articles[0]["original"], true);
    assert_eq!(articles[0]["source"], "新华社");
    assert_eq!(articles[1]["id"], "b-reprint.txt#1");
    let text = run(&index, &["reprints", "c-reprint-trad.txt"]);
    assert!(text.contains("story a-wire.txt#1: 3 articles"), "{text}");
    let alone = run(&index, &["reprints", "d-library.txt#1"]);
    assert!(alone.contains("a story of its own"), "{alone}");
    let missing = bin()
        .args(["reprints", "nothing.txt#1", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn collapse_shows_one_hit_per_story_and_totals_say_both() {
    let (_tmp, index) = built();
    let v = query_json(&index, &["大桥 OR 大橋 OR 图书馆", "--collapse"]);
    assert_eq!(v["total"], 4);
    assert_eq!(v["stories"], 2);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{v}");
    let bridge = hits.iter().find(|h| h["story"] == "a-wire.txt#1").unwrap();
    assert_eq!(bridge["reprints"], 2);
    // The sources of the other two articles (the undated traditional copy has none).
    let by: Vec<&str> = bridge["reprinted_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(!by.is_empty() && by.len() <= 2, "{bridge}");
    assert!(
        by.iter().all(|s| ["新华社", "浙江日报"].contains(s)),
        "{bridge}"
    );
    let text = run(&index, &["query", "大桥 OR 大橋 OR 图书馆", "--collapse"]);
    assert!(text.contains("4 articles, 2 stories match"), "{text}");
    assert!(text.contains("+2 reprints"), "{text}");
    // Without --collapse every article is a hit.
    let flat = query_json(&index, &["大桥 OR 大橋 OR 图书馆"]);
    assert_eq!(flat["hits"].as_array().unwrap().len(), 4);
}

#[test]
fn facets_count_stories_once_per_value() {
    let (_tmp, index) = built();
    let rows = |v: &Value| -> Vec<(String, u64)> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["value"].as_str().unwrap().to_string(),
                    r["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let articles = facets_json(&index, &["", "--by", "source"]);
    let stories = facets_json(&index, &["", "--by", "source", "--stories"]);
    assert_eq!(articles["counts"], "articles");
    assert_eq!(stories["counts"], "stories");
    assert_eq!(stories["total"], 2);
    // 浙江日报 ran the bridge story and the library story: two stories; 新华社 one. The
    // traditional copy has no source, but its story has one: no (none) row.
    let s = rows(&stories);
    assert!(s.contains(&("浙江日报".into(), 2)), "{s:?}");
    assert!(s.contains(&("新华社".into(), 1)), "{s:?}");
    assert!(!s.iter().any(|(v, _)| v == "(none)"), "{s:?}");
    assert!(rows(&articles).iter().any(|(v, _)| v == "(none)"));
    let text = run(&index, &["facets", "", "--by", "source", "--stories"]);
    assert!(text.contains("2 stories, by source"), "{text}");
}

#[test]
fn export_gives_every_articles_story() {
    let (_tmp, index) = built();
    let out = run(
        &index,
        &[
            "export",
            "",
            "--format",
            "jsonl",
            "--fields",
            "id,story,reprints",
        ],
    );
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    let wire = rows.iter().filter(|r| r["story"] == "a-wire.txt#1").count();
    assert_eq!(wire, 3);
    assert!(rows
        .iter()
        .any(|r| r["id"] == "d-library.txt#1" && r["reprints"] == 0));

    // The documents for another engine carry the story too.
    let out = tempfile::tempdir().unwrap();
    run(
        &index,
        &[
            "export",
            "",
            "--for",
            "quickwit",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    let docs: Vec<Value> = fs::read_to_string(out.path().join("docs.ndjson"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 4);
    assert_eq!(
        docs.iter().filter(|d| d["story"] == "a-wire.txt#1").count(),
        3
    );
}

#[test]
fn an_update_finds_a_new_articles_story_among_the_old() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("corpus");
    corpus(&c);
    fs::remove_file(c.join("b-reprint.txt")).unwrap();
    let index = tmp.path().join("index");
    build(&c, &index);
    assert_eq!(query_json(&index, &[""])["stories"], 2);
    fs::write(
        c.join("e-reprint.txt"),
        page("大桥合龙", "2024年5月13日 来源：人民网", &BRIDGE[..3], ""),
    )
    .unwrap();
    let stderr = build(&c, &index);
    assert!(stderr.contains("+1 new"), "{stderr}");
    let story = json_of("reprints", &index, &["e-reprint.txt#1"]);
    assert_eq!(story["story"], "a-wire.txt#1");
    assert_eq!(story["articles"].as_array().unwrap().len(), 3);
    // Removing the original leaves its reprints a story, with a new original.
    fs::remove_file(c.join("a-wire.txt")).unwrap();
    build(&c, &index);
    let story = json_of("reprints", &index, &["e-reprint.txt#1"]);
    assert_eq!(story["articles"].as_array().unwrap().len(), 2);
    assert_eq!(
        story["story"], "e-reprint.txt#1",
        "dated, so before the undated copy"
    );
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn the_api_and_the_page_collapse_and_list_reprints() {
    let (_tmp, index) = built();
    let server = Server::start(&index, &[]);
    let q = enc("大桥 OR 大橋 OR 图书馆");
    let v = server.ok_json(&format!("/api/search?q={q}&collapse=true"));
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    assert_eq!(v["stories"], 2);
    let story = server.ok_json("/api/articles/b-reprint.txt%231/reprints");
    assert_eq!(story["story"], "a-wire.txt#1");
    assert_eq!(story["articles"].as_array().unwrap().len(), 3);
    let (status, _, _) = server.get("/api/articles/none.txt%231/reprints");
    assert_eq!(status, 404);
    let counted = server.ok_json("/api/facets?by=source&stories=1");
    assert_eq!(counted["counts"], "stories");
    assert_eq!(counted["total"], 2);

    let (status, _, html) = server.get(&format!("/?q={q}"));
    assert_eq!(status, 200);
    assert!(html.contains(r#"id="collapse""#), "the page has the toggle");
    assert!(
        html.contains("collapse=1"),
        "the toggle turns collapsing on"
    );
    assert!(html.contains(r#"<strong id="stories">2</strong> 个报道"#));
    let (_, _, collapsed) = server.get(&format!("/?q={q}&collapse=1"));
    assert_eq!(collapsed.matches(r#"<li class="hit">"#).count(), 2);
    assert!(collapsed.contains("+2 篇转载"));
    let (_, _, article) = server.get("/article/a-wire.txt%231");
    assert!(
        article.contains(r#"id="reprints""#),
        "the article view lists its reprints"
    );
    assert!(article.contains("首发"));
    assert!(article.contains("b-reprint.txt"));
}
