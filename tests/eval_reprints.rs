//! Near-duplicate story detection on the labelled pairs of `tests/eval/reprints.toml`:
//! reprints of one piece (another headline, an editor's note, paragraphs cut, a web page's
//! chrome, traditional script, a date or credit line) must share a story, and different
//! pieces that look alike (two reports on one topic, a templated daily series, a developing
//! story's update) must not.
//!
//! Each labelled doc is written into a temporary corpus (a `.txt` file, or an `.html` page
//! for `html-chrome`), indexed by the real binary, and read back with
//! `export '' --format jsonl`: `text` (the body as the reader keeps it) and `story`. Prints
//! pair precision and recall, overall and per transformation and negative kind, every wrong
//! pair with its `why`, and the character 4-shingle Jaccard of each pair (the similarity a
//! threshold works on; shown, not asserted). Asserts precision ≥ 0.98 and recall ≥ 0.9.
//!
//! See the table: `cargo test --release --test eval_reprints -- --nocapture` (also written
//! to `target/eval-reprints.txt`). `REPRINTS_CORPUS=DIR` (a new or empty folder) keeps the
//! written docs there. Skips with a message when ../shared is absent, fails then in CI.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use common::*;
use corpus_search::data::{data_lines, T2S_TSV};
use corpus_search::text::normalize::normalize_str;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    name: String,
    /// A file of rmrb-199801.
    from: Option<String>,
    /// Text written for this set: the headline line, then a paragraph per line.
    text: Option<String>,
    /// Another doc of the set, with its transformations applied.
    like: Option<String>,
    #[serde(default)]
    transform: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    a: String,
    b: String,
    same: bool,
    /// For different pieces: same-topic, series or update.
    kind: Option<String>,
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Set {
    site: Vec<Site>,
    doc: Vec<Doc>,
    pair: Vec<Pair>,
}

const NEGATIVE_KINDS: [&str; 3] = ["same-topic", "series", "update"];

/// One article as a reprint edits it, before it is written out.
#[derive(Clone, Default)]
struct Piece {
    title: String,
    dateline: Option<String>,
    note: Option<String>,
    paragraphs: Vec<String>,
    credit: Option<String>,
    /// The site template number when the piece is published as a web page.
    site: Option<usize>,
    traditional: bool,
    /// Every transformation applied, its base doc's first: `title:…`, `drop:3` …
    applied: Vec<String>,
}

impl Piece {
    fn from_text(text: &str) -> Piece {
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        let title = lines.next().unwrap_or_default();
        Piece {
            title,
            paragraphs: lines.collect(),
            ..Piece::default()
        }
    }

    /// Applies one transformation (see the header of reprints.toml).
    fn apply(&mut self, t: &str, doc: &str) {
        let (name, arg) = t.split_once(':').unwrap_or((t, ""));
        let paragraph_numbers = || -> Vec<usize> {
            arg.split(',')
                .map(|n| {
                    n.trim()
                        .parse::<usize>()
                        .unwrap_or_else(|_| panic!("{doc}: {t}: paragraph numbers"))
                })
                .collect()
        };
        match name {
            "title" => self.title = arg.to_string(),
            "dateline" => self.dateline = Some(arg.to_string()),
            "note" => self.note = Some(arg.to_string()),
            "credit" => self.credit = Some(arg.to_string()),
            "traditional" => self.traditional = true,
            "html-chrome" => {
                let site = if arg.is_empty() {
                    1
                } else {
                    arg.parse().unwrap_or(0)
                };
                assert!(site >= 1, "{doc}: {t}: sites are numbered from 1");
                self.site = Some(site);
            }
            "drop" => {
                let drop = paragraph_numbers();
                for &n in &drop {
                    assert!(
                        (1..=self.paragraphs.len()).contains(&n),
                        "{doc}: {t}: there are {} paragraphs",
                        self.paragraphs.len()
                    );
                }
                self.paragraphs = std::mem::take(&mut self.paragraphs)
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !drop.contains(&(i + 1)))
                    .map(|(_, p)| p)
                    .collect();
            }
            "keep" => {
                let keep = paragraph_numbers();
                assert!(
                    keep.len() == 1 && keep[0] >= 1 && keep[0] < self.paragraphs.len(),
                    "{doc}: {t}: keep takes a number under {}",
                    self.paragraphs.len()
                );
                self.paragraphs.truncate(keep[0]);
            }
            "append" => self.paragraphs.extend(
                arg.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            ),
            _ => panic!("{doc}: unknown transformation {t:?}"),
        }
        self.applied.push(t.to_string());
    }

    /// The article's own text below the headline, as a reader should keep it.
    fn body_lines(&self) -> Vec<&str> {
        let mut lines: Vec<&str> = Vec::new();
        lines.extend(self.dateline.as_deref());
        lines.extend(self.note.as_deref());
        lines.extend(self.paragraphs.iter().map(String::as_str));
        lines.extend(self.credit.as_deref());
        lines
    }

    /// The file written to the corpus: its name's extension and its text.
    fn render(
        &self,
        sites: &[Site],
        to_traditional: &HashMap<char, char>,
    ) -> (&'static str, String) {
        let (ext, text) = match self.site {
            None => {
                let mut text = self.title.clone();
                for line in self.body_lines() {
                    text.push('\n');
                    text.push_str(line);
                }
                text.push('\n');
                ("txt", text)
            }
            Some(n) => {
                let site = sites
                    .get(n - 1)
                    .unwrap_or_else(|| panic!("html-chrome:{n}: there are {} sites", sites.len()));
                ("html", self.page(site))
            }
        };
        if self.traditional {
            (
                ext,
                text.chars()
                    .map(|c| *to_traditional.get(&c).unwrap_or(&c))
                    .collect(),
            )
        } else {
            (ext, text)
        }
    }

    /// The piece inside a news site's page: navigation, breadcrumb, headline, the article,
    /// share links, a sidebar of hot and most-read lists, and the footer.
    fn page(&self, site: &Site) -> String {
        let esc = |s: &str| html_escape::encode_text(s).into_owned();
        let mut p = String::new();
        writeln!(
            p,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{}_{}_{}</title>\n<meta name=\"keywords\" content=\"{}\">\n\
             <link rel=\"stylesheet\" href=\"/static/css/article.css\">\n</head>\n<body>",
            esc(&self.title),
            site.channel,
            site.name,
            site.name
        )
        .unwrap();
        p.push_str("<div class=\"top-nav\"><ul>\n");
        for (href, label) in &site.nav {
            writeln!(p, "<li><a href=\"{href}\">{label}</a></li>").unwrap();
        }
        p.push_str("</ul></div>\n");
        writeln!(
            p,
            "<div class=\"crumb\">当前位置：<a href=\"/\">{}</a> &gt; <a href=\"/news/\">{}</a> &gt; 正文</div>",
            site.name, site.channel
        )
        .unwrap();
        writeln!(
            p,
            "<div class=\"main\">\n<div class=\"article\">\n<h1>{}</h1>",
            esc(&self.title)
        )
        .unwrap();
        if let Some(d) = &self.dateline {
            writeln!(
                p,
                "<div class=\"info\"><span class=\"time\">{}</span> <span class=\"font\">字号：<a>大</a> <a>中</a> <a>小</a></span></div>",
                esc(d)
            )
            .unwrap();
        }
        p.push_str("<div class=\"content\">\n");
        for line in self
            .note
            .iter()
            .chain(&self.paragraphs)
            .chain(self.credit.iter())
        {
            writeln!(p, "<p>{}</p>", esc(line)).unwrap();
        }
        p.push_str("</div>\n");
        writeln!(
            p,
            "<div class=\"share\">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>\n</div>"
        )
        .unwrap();
        writeln!(p, "<aside class=\"side\">\n<h3>热点新闻</h3>\n<ul>").unwrap();
        for (i, h) in site.hot.iter().enumerate() {
            writeln!(p, "<li><a href=\"/news/hot{}.html\">{h}</a></li>", i + 1).unwrap();
        }
        writeln!(p, "</ul>\n<h3>点击排行</h3>\n<ol>").unwrap();
        for (i, h) in site.ranking.iter().enumerate() {
            writeln!(
                p,
                "<li><em>{}</em><a href=\"/news/top{}.html\">{h}</a></li>",
                i + 1,
                i + 1
            )
            .unwrap();
        }
        writeln!(p, "</ol>\n</aside>\n</div>").unwrap();
        writeln!(
            p,
            "<footer>\n<p>{}</p>\n<p>{}</p>\n</footer>\n</body>\n</html>",
            site.links, site.copyright
        )
        .unwrap();
        p
    }
}

/// An invented news site's page template (`[[site]]` in reprints.toml): what every article
/// page of the site repeats around the article.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Site {
    name: String,
    channel: String,
    /// Navigation links: path, label.
    nav: Vec<(String, String)>,
    hot: Vec<String>,
    ranking: Vec<String>,
    links: String,
    copyright: String,
}

/// Simplified to traditional script: the first traditional form `data/t2s.tsv` lists for
/// each simplified character (the inverse of what normalisation does).
fn to_traditional_table() -> HashMap<char, char> {
    let mut table = HashMap::new();
    for line in data_lines(T2S_TSV) {
        let mut cols = line.split('\t');
        let (Some(t), Some(s)) = (cols.next(), cols.next()) else {
            continue;
        };
        let (mut t, mut s) = (t.chars(), s.chars());
        if let (Some(tc), None, Some(sc), None) = (t.next(), t.next(), s.next(), s.next()) {
            if tc != sc {
                table.entry(sc).or_insert(tc);
            }
        }
    }
    table
}

/// Character 4-shingles of text as a reader compares it: normalised (script, width, case),
/// without spaces and punctuation.
fn shingles(text: &str) -> HashSet<[char; 4]> {
    let chars: Vec<char> = normalize_str(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    chars.windows(4).map(|w| [w[0], w[1], w[2], w[3]]).collect()
}

fn jaccard(a: &HashSet<[char; 4]>, b: &HashSet<[char; 4]>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Quantiles of a sample: min, 10 %, 25 %, median, 75 %, 90 %, max.
fn quantiles(values: &[f64]) -> String {
    if values.is_empty() {
        return "-".into();
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!(
        "{:.3} {:.3} {:.3} {:.3} {:.3} {:.3} {:.3}",
        at(0.0),
        at(0.1),
        at(0.25),
        at(0.5),
        at(0.75),
        at(0.9),
        at(1.0)
    )
}

/// Runs `export '' --format jsonl --fields FIELDS`: each row by the file it came from, or
/// the tool's error.
fn export_rows(index: &Path, fields: &str) -> Result<Vec<Value>, String> {
    let out = bin()
        .args([
            "export", "", "--format", "jsonl", "--fields", fields, "--index",
        ])
        .arg(index)
        .output()
        .expect("runs");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect())
}

/// The transformations by which two docs differ (a name once however many arguments).
fn changes(a: &Piece, b: &Piece) -> BTreeSet<String> {
    let (sa, sb): (BTreeSet<&String>, BTreeSet<&String>) =
        (a.applied.iter().collect(), b.applied.iter().collect());
    sa.symmetric_difference(&sb)
        .map(|t| t.split(':').next().unwrap_or(t).to_string())
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Tally {
    right: usize,
    all: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.all += 1;
        self.right += ok as usize;
    }
}

#[test]
fn reprints_share_a_story_and_look_alikes_do_not() {
    let Some(rmrb) = shared_corpus("rmrb-199801") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set: Set = toml::from_str(
        &std::fs::read_to_string(root.join("tests/eval/reprints.toml")).expect("labelled set"),
    )
    .expect("reprints.toml parses");

    // The docs, each built from its source and its transformations.
    let to_traditional = to_traditional_table();
    let mut pieces: HashMap<&str, Piece> = HashMap::new();
    for doc in &set.doc {
        assert!(
            doc.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{}: a doc name is ASCII letters, digits and -",
            doc.name
        );
        let mut piece = match (&doc.from, &doc.text, &doc.like) {
            (Some(file), None, None) => Piece::from_text(
                &std::fs::read_to_string(rmrb.join(file))
                    .unwrap_or_else(|e| panic!("{}: {file}: {e}", doc.name)),
            ),
            (None, Some(text), None) => Piece::from_text(text),
            (None, None, Some(base)) => pieces
                .get(base.as_str())
                .unwrap_or_else(|| panic!("{}: like {base}, which is not listed above", doc.name))
                .clone(),
            _ => panic!("{}: give one of from, text and like", doc.name),
        };
        for t in &doc.transform {
            piece.apply(t, &doc.name);
        }
        assert!(
            pieces.insert(&doc.name, piece).is_none(),
            "{}: two docs with one name",
            doc.name
        );
    }

    let dir = tempfile::tempdir().unwrap();
    // REPRINTS_CORPUS=DIR (a new or empty folder) keeps the written docs, to read them or
    // to index them by hand.
    let corpus = match std::env::var_os("REPRINTS_CORPUS") {
        Some(keep) => Path::new(&keep).to_path_buf(),
        None => dir.path().join("corpus"),
    };
    std::fs::create_dir_all(&corpus).unwrap();
    assert!(
        std::fs::read_dir(&corpus).unwrap().next().is_none(),
        "{} is not empty",
        corpus.display()
    );
    let mut file_of: HashMap<&str, String> = HashMap::new();
    for doc in &set.doc {
        let (ext, text) = pieces[doc.name.as_str()].render(&set.site, &to_traditional);
        let file = format!("{}.{ext}", doc.name);
        std::fs::write(corpus.join(&file), text).unwrap();
        file_of.insert(&doc.name, file);
    }
    let index = dir.path().join("index");
    build(&corpus, &index);

    // The body each file gave: every file must give one article, or pairs mean nothing.
    let rows = export_rows(&index, "id,path,text").expect("export of id,path,text");
    let mut body_of: HashMap<String, String> = HashMap::new();
    for row in &rows {
        let path = row["path"].as_str().expect("path").to_string();
        let body = row["text"].as_str().unwrap_or_default().to_string();
        assert!(
            body_of.insert(path.clone(), body).is_none(),
            "{path} was read as more than one article: the labelled doc is not one piece"
        );
    }
    for file in file_of.values() {
        assert!(body_of.contains_key(file), "{file} gave no article");
    }

    // Pair facts before any prediction: what changed, and how alike the texts are.
    struct Row<'a> {
        pair: &'a Pair,
        kind: String,
        group: Vec<String>,
        read: f64,
        written: f64,
    }
    let mut table: Vec<Row> = Vec::new();
    let mut seen_pairs = HashSet::new();
    for pair in &set.pair {
        for name in [&pair.a, &pair.b] {
            assert!(
                pieces.contains_key(name.as_str()),
                "pair {} / {}: no doc {name}",
                pair.a,
                pair.b
            );
        }
        assert!(
            pair.a != pair.b && seen_pairs.insert((pair.a.clone(), pair.b.clone())),
            "pair {} / {} is listed twice or pairs a doc with itself",
            pair.a,
            pair.b
        );
        let (pa, pb) = (&pieces[pair.a.as_str()], &pieces[pair.b.as_str()]);
        let (kind, group) = if pair.same {
            assert!(
                pair.kind.is_none(),
                "pair {} / {}: the kind of a reprint is its transformations",
                pair.a,
                pair.b
            );
            let changed = changes(pa, pb);
            assert!(
                !changed.is_empty(),
                "pair {} / {}: the same text twice",
                pair.a,
                pair.b
            );
            let mut group: Vec<String> = changed.iter().map(|c| format!("reprint: {c}")).collect();
            if changed.len() > 1 {
                group.push("reprint: 2+ changes".into());
            }
            (changed.into_iter().collect::<Vec<_>>().join("+"), group)
        } else {
            let kind = pair.kind.clone().unwrap_or_default();
            assert!(
                NEGATIVE_KINDS.contains(&kind.as_str()),
                "pair {} / {}: kind is one of {NEGATIVE_KINDS:?}, not {kind:?}",
                pair.a,
                pair.b
            );
            (kind.clone(), vec![format!("different: {kind}")])
        };
        let body = |name: &str| body_of[&file_of[name]].as_str();
        let written = |p: &Piece| p.body_lines().join("\n");
        table.push(Row {
            pair,
            kind,
            group,
            read: jaccard(&shingles(body(&pair.a)), &shingles(body(&pair.b))),
            written: jaccard(&shingles(&written(pa)), &shingles(&written(pb))),
        });
    }
    let positives = table.iter().filter(|r| r.pair.same).count();
    let negatives = table.len() - positives;

    let mut report = String::new();
    writeln!(
        report,
        "{} docs ({} files of rmrb-199801, {} written), {} pairs: {positives} reprints, {negatives} different pieces (tests/eval/reprints.toml)",
        set.doc.len(),
        set.doc.iter().filter_map(|d| d.from.as_ref()).collect::<BTreeSet<_>>().len(),
        set.doc.iter().filter(|d| d.text.is_some()).count(),
        table.len()
    )
    .unwrap();
    writeln!(
        report,
        "\nJaccard of character 4-shingles (normalised, no spaces or punctuation); read = the \
         bodies `export` gives, written = the doc's text below the headline, chrome aside.\n\
         {:<26} {:>5}  {:<41}  {:<41}",
        "", "pairs", "read: min p10 p25 p50 p75 p90 max", "written: min p10 p25 p50 p75 p90 max"
    )
    .unwrap();
    let mut groups: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &table {
        groups
            .entry(if r.pair.same { "reprints" } else { "different" })
            .or_default()
            .push(r);
        for g in &r.group {
            groups.entry(g).or_default().push(r);
        }
    }
    for (g, rows) in &groups {
        let read: Vec<f64> = rows.iter().map(|r| r.read).collect();
        let written: Vec<f64> = rows.iter().map(|r| r.written).collect();
        writeln!(
            report,
            "{g:<26} {:>5}  {:<41}  {:<41}",
            rows.len(),
            quantiles(&read),
            quantiles(&written)
        )
        .unwrap();
    }
    let min_pos = table
        .iter()
        .filter(|r| r.pair.same)
        .min_by(|x, y| x.read.total_cmp(&y.read));
    let max_neg = table
        .iter()
        .filter(|r| !r.pair.same)
        .max_by(|x, y| x.read.total_cmp(&y.read));
    if let (Some(p), Some(n)) = (min_pos, max_neg) {
        writeln!(
            report,
            "least alike reprint:  {:.3} read, {:.3} written  {} / {} ({})\n\
             most alike different: {:.3} read, {:.3} written  {} / {} ({})",
            p.read,
            p.written,
            p.pair.a,
            p.pair.b,
            p.kind,
            n.read,
            n.written,
            n.pair.a,
            n.pair.b,
            n.kind
        )
        .unwrap();
    }

    // Stories, once the export has them.
    let stories: Result<HashMap<String, String>, String> =
        match export_rows(&index, "id,path,story") {
            Err(e) => Err(format!("export cannot give the story field: {}", e.trim())),
            Ok(rows) => rows
                .iter()
                .map(|row| {
                    let path = row["path"].as_str().unwrap_or_default().to_string();
                    match row["story"].as_str() {
                        Some(s) => Ok((path, s.to_string())),
                        None => Err(format!("export's row for {path} has no story: {row}")),
                    }
                })
                .collect(),
        };
    let predicted: Vec<Option<bool>> = table
        .iter()
        .map(|r| {
            let stories = stories.as_ref().ok()?;
            let story = |name: &str| {
                stories
                    .get(&file_of[name])
                    .unwrap_or_else(|| panic!("export gave no row for {}", file_of[name]))
            };
            Some(story(&r.pair.a) == story(&r.pair.b))
        })
        .collect();

    writeln!(
        report,
        "\n{:<9} {:<9} {:>5} {:>7}  {:<20} {:<20} kind",
        "labelled", "predicted", "read", "written", "a", "b"
    )
    .unwrap();
    for (r, p) in table.iter().zip(&predicted) {
        writeln!(
            report,
            "{:<9} {:<9} {:>5.3} {:>7.3}  {:<20} {:<20} {}",
            if r.pair.same { "same" } else { "different" },
            match p {
                None => "-",
                Some(true) => "same",
                Some(false) => "different",
            },
            r.read,
            r.written,
            r.pair.a,
            r.pair.b,
            r.kind,
        )
        .unwrap();
    }

    let write_report = |report: &str| {
        println!("{report}");
        let _ = std::fs::write(root.join("target/eval-reprints.txt"), report);
    };
    assert!(
        positives >= 60 && negatives >= 60,
        "at least 60 reprint pairs and 60 different pairs, not {positives} and {negatives}:\n{report}"
    );
    if let Err(e) = &stories {
        write_report(&report);
        panic!(
            "no stories to score: {e}\n(the docs were written, indexed and read, and the \
             Jaccard table above is complete; the pairs are scored once export gives `story`)"
        );
    }

    let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
    let mut per: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut wrong = String::new();
    for (r, p) in table.iter().zip(&predicted) {
        let got = p.expect("stories are known");
        match (r.pair.same, got) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fnn += 1,
            (false, false) => {}
        }
        let all = if r.pair.same { "reprints" } else { "different" };
        for g in std::iter::once(all).chain(r.group.iter().map(String::as_str)) {
            per.entry(g).or_default().add(got == r.pair.same);
        }
        if got != r.pair.same {
            writeln!(
                wrong,
                "{} / {} labelled {}, predicted {} (read {:.3}): {}",
                r.pair.a,
                r.pair.b,
                if r.pair.same { "same" } else { "different" },
                if got { "same" } else { "different" },
                r.read,
                r.pair.why
            )
            .unwrap();
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fnn).max(1) as f64;
    writeln!(
        report,
        "\npair precision {precision:.3} ({tp}/{}), recall {recall:.3} ({tp}/{})",
        tp + fp,
        tp + fnn
    )
    .unwrap();
    writeln!(
        report,
        "right per kind (reprints given one story, different pieces kept apart):"
    )
    .unwrap();
    for (g, t) in &per {
        writeln!(
            report,
            "{g:<26} {:>4}/{:<4} {:>6.3}",
            t.right,
            t.all,
            t.right as f64 / t.all.max(1) as f64
        )
        .unwrap();
    }
    if !wrong.is_empty() {
        writeln!(report, "\nwrong pairs:\n{wrong}").unwrap();
    }
    write_report(&report);
    assert!(
        precision >= 0.98 && recall >= 0.9,
        "pair precision {precision:.3} / recall {recall:.3} below 0.98 / 0.9:\n{report}"
    );
}
