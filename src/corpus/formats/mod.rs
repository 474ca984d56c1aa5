//! File formats: what a file is, decided once for the whole file, and what it holds.
//!
//! ```text
//! read bytes -> archive formats (warc: told by the bytes, read before decoding)
//!            -> decode -> record formats (xml, json, jsonl, csv, tsv: one article a record)
//!                      -> documents (html: one page; text and Markdown: split into articles)
//! ```
//!
//! Each format is one module with one [`FileFormat`]: its name, how it is recognised
//! ([`FileFormat::detect`], on a [`Probe`] of the file) and what it yields
//! ([`FileFormat::read`]: records, or articles). [`FORMATS`] lists them in the order they are
//! tried; the first that recognises a file reads it, and `--format NAME` names one
//! ([`Format::from_name`]). A format is decided by the file as a whole (its name, its first
//! records); a broken record is then a note of the file, never a reason to read it as
//! something else.
//!
//! Adding a format: a module here with a `FileFormat`, and one line in [`FORMATS`].

pub mod delimited;
pub mod html;
pub mod json;
pub mod record;
pub mod record_articles;
pub mod text;
pub mod warc;
pub mod xml;

use std::sync::OnceLock;

use serde_json::Value;

use crate::corpus::article::{Article, Known};
use crate::corpus::fields::FieldMap;
use crate::corpus::FileProblem;
pub use record::{Record, RecordBody, Records};

/// Every format, in the order detection tries them: the archive read from bytes first,
/// then the record formats (they tell themselves apart by their first characters), then a
/// web page, and text, which takes whatever is left.
pub static FORMATS: &[&dyn FileFormat] = &[
    &warc::Warc,
    &xml::Xml,
    &json::Json,
    &json::JsonLines,
    &delimited::Csv,
    &delimited::Tsv,
    &html::Html,
    &text::Text,
];

/// The names `--format` and a folder's `format =` take, in [`FORMATS`]' order, each with its
/// other names: `warc, xml (also sogou, …), …, html (also htm) or text (also txt)`.
pub fn format_names() -> String {
    let names: Vec<String> = FORMATS
        .iter()
        .map(|f| match f.aliases() {
            [] => f.name().to_string(),
            aliases => format!("{} (also {})", f.name(), aliases.join(", ")),
        })
        .collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// What to say about a format name that is none of [`FORMATS`]: the names there are.
pub fn unknown_format(name: &str) -> String {
    format!("unknown format `{name}`; use {}", format_names())
}

/// One file format: how a file in it is recognised and what it yields.
pub trait FileFormat: Sync {
    /// Its name for `--format`, `corpus-search.toml` and the closing summary (`jsonl`).
    fn name(&self) -> &'static str;

    /// Other names `--format` takes for it (`ndjson`).
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }

    /// When it is told and what it is read from.
    fn kind(&self) -> Kind;

    /// Whether the file is in this format. An [`Kind::Archive`] format sees the bytes
    /// only; the others also see the decoded text.
    fn detect(&self, probe: &Probe) -> bool;

    /// The file's records or articles. A record that cannot be read is a note of the
    /// file, and the other records are read; an error is a file with nothing to read.
    fn read(&self, input: &Input) -> Result<Found, FileProblem>;
}

/// When a format is told and what it is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Told by the file's bytes and read from them before any decoding (WARC, each page
    /// of which is decoded on its own).
    Archive,
    /// A file of records, one article each; never a post with front matter.
    Records,
    /// One document: a web page, or a text that may hold several articles.
    Document,
}

/// A format, as named by `--format` or found by detection.
#[derive(Clone, Copy)]
pub struct Format(pub &'static dyn FileFormat);

impl Format {
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn kind(&self) -> Kind {
        self.0.kind()
    }

    /// `--format NAME`: a format's name or one of its aliases, in any case.
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.trim().to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|f| f.name() == name || f.aliases().contains(&name.as_str()))
            .map(|&f| Format(f))
    }

    pub fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        self.0.read(input)
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Format {}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Format({})", self.name())
    }
}

/// The archive format of a file, told by its bytes before decoding.
pub fn detect_archive(rel: &str, bytes: &[u8]) -> Option<Format> {
    let fields = FieldMap::default();
    let probe = Probe::new(rel, bytes, None, &fields);
    detect_among(&probe, |kind| kind == Kind::Archive)
}

/// The format of a decoded file: a record format, a web page or text. A post with front
/// matter (`post`) is a page or a text, never records.
pub fn detect(probe: &Probe, post: bool) -> Format {
    detect_among(probe, |kind| {
        kind == Kind::Document || (kind == Kind::Records && !post)
    })
    .unwrap_or(text::TEXT)
}

fn detect_among(probe: &Probe, tried: impl Fn(Kind) -> bool) -> Option<Format> {
    FORMATS
        .iter()
        .find(|f| tried(f.kind()) && f.detect(probe))
        .map(|&f| Format(f))
}

/// The record format of a file by its content (and its name only for gzipped WARC), or
/// None for a page or a text.
pub fn detect_records(rel: &str, bytes: &[u8], text: Option<&str>) -> Option<Format> {
    if let Some(archive) = detect_archive(rel, bytes) {
        return Some(archive);
    }
    let fields = FieldMap::default();
    let probe = Probe::new(rel, bytes, Some(text?), &fields);
    Some(detect(&probe, false)).filter(|f| f.kind() == Kind::Records)
}

/// What detection looks at: the file's name, its bytes and its decoded text. What more
/// than one format asks (the text parsed as JSON) is worked out once.
pub struct Probe<'a> {
    pub rel: &'a str,
    pub bytes: &'a [u8],
    /// The decoded text (after a post's front matter); empty before decoding.
    pub text: &'a str,
    /// The user's field names (`--fields`): records under names of their own are told too.
    pub fields: &'a FieldMap,
    json: OnceLock<Option<Value>>,
    javascript_json: OnceLock<Option<Value>>,
}

impl<'a> Probe<'a> {
    pub fn new(
        rel: &'a str,
        bytes: &'a [u8],
        text: Option<&'a str>,
        fields: &'a FieldMap,
    ) -> Probe<'a> {
        Probe {
            rel,
            bytes,
            text: text.unwrap_or(""),
            fields,
            json: OnceLock::new(),
            javascript_json: OnceLock::new(),
        }
    }

    /// The text without a byte-order mark.
    pub fn text_without_bom(&self) -> &'a str {
        self.text.trim_start_matches('\u{feff}')
    }

    /// The text from its first character that is not a space.
    pub fn trimmed(&self) -> &'a str {
        self.text_without_bom().trim_start()
    }

    /// The text's first character that is not a space.
    pub fn first_char(&self) -> Option<char> {
        self.trimmed().chars().next()
    }

    /// A text that starts with none of `<`, `[`, `{` and is not JSON inside JavaScript: what
    /// a table or prose starts like.
    pub fn plain_start(&self) -> bool {
        !matches!(self.first_char(), Some('<' | '[' | '{') | None)
            && self.javascript_json().is_none()
    }

    /// The text as one JSON document, when it is one.
    pub fn json(&self) -> Option<&Value> {
        self.json
            .get_or_init(|| serde_json::from_str::<Value>(self.trimmed()).ok())
            .as_ref()
    }

    /// The JSON inside a JavaScript statement (`var data = {...};`, a JSONP call), when the
    /// text is one and the JSON parses.
    pub fn javascript_json(&self) -> Option<&Value> {
        self.javascript_json
            .get_or_init(|| {
                json::unwrap_javascript(self.trimmed())
                    .and_then(|json| serde_json::from_str::<Value>(json).ok())
            })
            .as_ref()
    }
}

/// What a format reads: the file's bytes, its decoded text (none for an archive) and what
/// a post's front matter said.
pub struct Input<'a> {
    pub rel: &'a str,
    pub bytes: &'a [u8],
    pub text: Option<&'a str>,
    pub fields: &'a FieldMap,
    /// A post's front matter: its metadata, which a page or a text completes.
    pub known: Option<&'a Known>,
}

impl<'a> Input<'a> {
    /// The decoded text without its byte-order mark, which every format but an archive needs.
    pub fn text(&self, format: &dyn FileFormat) -> Result<&'a str, FileProblem> {
        self.text
            .map(|t| t.trim_start_matches('\u{feff}'))
            .ok_or_else(|| {
                FileProblem::Records(format!(
                    "{} records need the decoded text of the file",
                    format.name()
                ))
            })
    }

    /// A record format's records and the problems of the ones it could not read.
    pub fn records(
        &self,
        format: &dyn FileFormat,
        records: Vec<Record>,
        problems: Vec<String>,
    ) -> Found {
        Found::Records(Records {
            format: format.name(),
            records,
            problems,
        })
    }
}

/// What a format yields: records, each to become an article, or a document's articles.
pub enum Found {
    Records(Records),
    Articles {
        articles: Vec<Article>,
        /// What was wrong without stopping the file (a JSON-LD block that is not JSON).
        notes: Vec<String>,
    },
}

/// Reads a file's records as `format`. `text` is the decoded file text (None for WARC,
/// which is read from `bytes`, gzipped or not).
pub fn read_records(
    format: Format,
    bytes: &[u8],
    text: Option<&str>,
    fields: &FieldMap,
) -> Result<Records, String> {
    let input = Input {
        rel: "",
        bytes,
        text,
        fields,
        known: None,
    };
    match format.read(&input) {
        Ok(Found::Records(records)) => Ok(records),
        Ok(Found::Articles { .. }) => Err(format!("{} is not a record format", format.name())),
        Err(FileProblem::Records(why)) => Err(why),
        Err(other) => Err(other.to_string()),
    }
}

/// What the format modules' tests share.
#[cfg(test)]
pub(crate) mod testing {
    pub use super::delimited::{CSV, TSV};
    pub use super::json::{JSON, JSON_LINES};
    pub use super::warc::WARC;
    pub use super::xml::XML;
    pub use super::{detect_records, read_records, Format, Record, RecordBody, Records};
    pub use crate::corpus::fields::FieldMap;

    pub fn read(format: Format, text: &str) -> Records {
        match read_records(format, text.as_bytes(), Some(text), &FieldMap::default()) {
            Ok(records) => records,
            Err(e) => panic!("{} not read: {e}", format.name()),
        }
    }

    pub fn detect(name: &str, text: &str) -> Option<Format> {
        detect_records(name, text.as_bytes(), Some(text))
    }

    pub fn body(record: &Record) -> &str {
        match &record.body {
            RecordBody::Text(text) => text,
            RecordBody::Html(_) => panic!("record {} has an HTML body", record.n),
        }
    }

    pub fn html(record: &Record) -> &[u8] {
        match &record.body {
            RecordBody::Html(bytes) => bytes,
            RecordBody::Text(_) => panic!("record {} has a text body", record.n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::{html, text, FORMATS};

    /// The record formats (`--format` names that read records).
    const RECORD_FORMATS: [Format; 6] = [XML, JSON, JSON_LINES, CSV, TSV, WARC];

    #[test]
    fn the_unknown_format_message_names_every_format_and_alias() {
        let message = super::unknown_format("sogo");
        assert!(message.starts_with("unknown format `sogo`; use warc, xml (also sogou, "));
        for format in FORMATS {
            assert!(
                message.contains(format.name()),
                "{} in {message}",
                format.name()
            );
            for alias in format.aliases() {
                assert!(message.contains(alias), "{alias} in {message}");
            }
        }
        assert!(message.ends_with(" or text (also txt)"), "{message}");
    }

    #[test]
    fn html_pages_and_plain_articles_are_not_records() {
        let page = "<!DOCTYPE html>\n<html><head><title>上海发布夜间经济新举措_新闻</title></head>\
            <body><article><h1>上海发布夜间经济新举措</h1><p>上海市今天发布……</p></article>\
            <article><h2>相关新闻</h2></article></body></html>";
        assert_eq!(detect("html/sh_0001.html", page), None);
        let wrapped = "<text id=\"http://news.example.com.cn/2005/0411/1.shtml\" title=\"油价上调\" encoding=\"gb2312\">\n\
            <table><tr><td>国家发改委决定上调汽油价格</td></tr></table></text>";
        assert_eq!(detect("cleaneval/1.html", wrapped), None);
        let article =
            "标题,正文\n记者从市交通局获悉, 今年我市将新开公交线路20条, 优化调整线路35条。\n\
            据介绍, 新开线路主要覆盖新建小区和产业园区, 方便市民出行。\n\
            市交通局表示, 将根据客流变化, 适时增加班次。\n";
        assert_eq!(detect("news/bus.txt", article), None);
        let markdown =
            "---\ntitle: \"立法會選舉投票率創新低\"\ndate: 2021-12-20\nauthor: 眾新聞記者\n---\n\n\
            # 立法會選舉投票率創新低\n\n昨日舉行的立法會選舉, 投票率為30.2%, 創歷屆新低。\n\n\
            <figure><img src=\"a.jpg\"><figcaption>票站外, 市民排隊</figcaption></figure>\n";
        assert_eq!(detect("hk/article_1.md", markdown), None);
        let labelled =
            "[]\n台積電股東會登場\n台積電今日召開股東常會, 董事長致詞表示, 今年營收將持續成長。\n";
        assert_eq!(detect("training/1.txt", labelled), None);
        assert_eq!(detect("empty.txt", ""), None);
        assert_eq!(detect("list.json", "[]"), None);
        assert_eq!(detect_records("a.warc", b"", None), None);
    }

    #[test]
    fn forced_formats_on_the_wrong_content_are_errors_not_panics() {
        let page = "<html><body><p>不是记录文件</p></body></html>";
        let err = read_records(XML, page.as_bytes(), Some(page), &FieldMap::default())
            .expect_err("an HTML page");
        assert!(err.contains("HTML page"), "{err}");
        assert!(read_records(JSON, b"x", Some("{\"a\": 1"), &FieldMap::default()).is_err());
        assert!(read_records(CSV, b"", None, &FieldMap::default()).is_err());
        let junk =
            read_records(WARC, b"not a warc at all", None, &FieldMap::default()).expect("read");
        assert!(junk.records.is_empty());
        assert_eq!(junk.problems.len(), 1);
    }

    #[test]
    fn format_names_round_trip() {
        for format in FORMATS.iter().map(|&f| Format(f)) {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("SogouCS"), Some(XML));
        assert_eq!(Format::from_name("trec"), Some(XML));
        assert_eq!(Format::from_name("rss"), Some(XML));
        assert_eq!(Format::from_name("ndjson"), Some(JSON_LINES));
        assert_eq!(Format::from_name("txt"), Some(text::TEXT));
        assert_eq!(Format::from_name("HTM"), Some(html::HTML));
        assert_eq!(Format::from_name("pdf"), None);
    }

    proptest::proptest! {
        #[test]
        fn no_input_makes_the_reader_panic(text in "[<>/a-z\\[\\]{}\",:\t\n&#;!?-]{0,200}") {
            let _ = detect_records("x.xml", text.as_bytes(), Some(&text));
            for format in RECORD_FORMATS {
                let _ = read_records(format, text.as_bytes(), Some(&text), &FieldMap::default());
            }
        }

        #[test]
        fn no_bytes_make_the_warc_reader_panic(mut bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = read_records(WARC, &bytes, None, &FieldMap::default());
            let mut warc = b"WARC/1.0\r\nContent-Length: 40\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            warc.append(&mut bytes);
            let _ = read_records(WARC, &warc, None, &FieldMap::default());
        }
    }
}
