//! Record files: one file, many news records, each record one article. SogouCA/CS and TREC
//! `<doc>` collections, RSS / Atom feeds and one-article XML; JSON (an array of articles, a
//! wrapper object holding one, IPTC ninjs); JSON Lines; CSV / TSV with a header row; WARC web
//! archives, gzipped or not.
//!
//! ```text
//! walk -> decode -> records (this module: a file -> Records) -> clean -> facets -> index
//! ```
//!
//! [`detect_format`] tells a record file from an ordinary page or text file by its content;
//! [`read_records`] takes it apart. Each [`Record`] carries its title, body, source, URL and
//! author as the file gives them, and its date as raw text: date parsing, cleaning and the
//! reading of HTML (WARC payloads) happen downstream. Fields are found by name, with the
//! synonyms in `data/record-fields.tsv` or the user's `--fields title=headline,...`
//! ([`FieldMap`]). A record that cannot be read becomes one line in [`Records::problems`] and
//! the others are still read; only a file with nothing readable at all is an error.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::data;

/// A record format, detected from content ([`detect_format`]) or forced (`--format NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    /// `<doc>`/`<DOC>`/`<item>`/`<entry>`/`<article>`/`<record>` elements: SogouCA/CS, TREC,
    /// RSS/Atom, one-doc XML.
    Xml,
    JsonLines,
    Json,
    Csv,
    Tsv,
    Warc,
}

impl RecordFormat {
    pub const ALL: [RecordFormat; 6] = [
        RecordFormat::Xml,
        RecordFormat::JsonLines,
        RecordFormat::Json,
        RecordFormat::Csv,
        RecordFormat::Tsv,
        RecordFormat::Warc,
    ];

    /// The names `--format` accepts, for help and error messages.
    pub const KNOWN_NAMES: &'static str =
        "xml (also sogou, trec, rss, atom), jsonl, json, csv, tsv, warc";

    pub fn name(&self) -> &'static str {
        match self {
            RecordFormat::Xml => "xml",
            RecordFormat::JsonLines => "jsonl",
            RecordFormat::Json => "json",
            RecordFormat::Csv => "csv",
            RecordFormat::Tsv => "tsv",
            RecordFormat::Warc => "warc",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xml" | "sogou" | "sogouca" | "sogoucs" | "trec" | "rss" | "atom" => {
                Some(RecordFormat::Xml)
            }
            "jsonl" | "jsonlines" | "json-lines" | "ndjson" => Some(RecordFormat::JsonLines),
            "json" => Some(RecordFormat::Json),
            "csv" => Some(RecordFormat::Csv),
            "tsv" => Some(RecordFormat::Tsv),
            "warc" => Some(RecordFormat::Warc),
            _ => None,
        }
    }
}

/// One record of a record file: the parts of an article as the file gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based position of the record in its file, counting records that turn out empty,
    /// so ids `path#n` stay stable.
    pub n: usize,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The date as the record gives it, raw (`2020-3-30 23:37:00`, `1559716800`,
    /// `2003-05-02T00:00:00+08:00`).
    pub date: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub body: RecordBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RecordBody {
    /// The article text, paragraphs on their own lines (may be empty: downstream skips it).
    Text(String),
    /// Undecoded HTML bytes (WARC responses), decoded and read downstream.
    Html(Vec<u8>),
}

/// The records of one file, and the records that could not be read.
#[derive(Debug, Clone)]
pub struct Records {
    pub format: RecordFormat,
    pub records: Vec<Record>,
    /// One line per record that could not be read: `record 17: not JSON (expected `,` at
    /// line 1 column 40)`; the others are still read.
    pub problems: Vec<String>,
}

/// The parts of an article a record field can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Text,
    Date,
    Source,
    Url,
    Author,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Title,
        Field::Text,
        Field::Date,
        Field::Source,
        Field::Url,
        Field::Author,
    ];

    const KNOWN_NAMES: &'static str = "title, text, date, source, url, author";

    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Text => "text",
            Field::Date => "date",
            Field::Source => "source",
            Field::Url => "url",
            Field::Author => "author",
        }
    }

    fn from_name(s: &str) -> Option<Field> {
        match s.trim().to_ascii_lowercase().as_str() {
            "title" => Some(Field::Title),
            // `body` is what people call the text as often as `text`.
            "text" | "body" => Some(Field::Text),
            "date" => Some(Field::Date),
            "source" => Some(Field::Source),
            "url" => Some(Field::Url),
            "author" => Some(Field::Author),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How a user names fields: `--fields title=headline,text=content,date=pub,source=media,url=link`.
/// A named field replaces the synonyms for its target; the other targets keep them.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    names: [Option<String>; 6],
}

impl FieldMap {
    pub fn parse(spec: &str) -> Result<FieldMap, String> {
        let mut map = FieldMap::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((target, name)) = item.split_once('=') else {
                return Err(format!(
                    "`{item}` in --fields is not TARGET=FIELD; write for example \
                     --fields title=headline,text=content (targets: {})",
                    Field::KNOWN_NAMES
                ));
            };
            let field = Field::from_name(target).ok_or_else(|| {
                format!(
                    "unknown target `{}` in --fields: the targets are {}; write for example \
                     --fields title=headline,text=content",
                    target.trim(),
                    Field::KNOWN_NAMES
                )
            })?;
            let name = name.trim();
            if name.is_empty() {
                return Err(format!(
                    "`{item}` in --fields names no field; write for example {}=headline",
                    field.name()
                ));
            }
            let slot = &mut map.names[field.index()];
            if slot.is_some() {
                return Err(format!(
                    "--fields names a field for `{}` twice; give each target one field",
                    field.name()
                ));
            }
            *slot = Some(normalise_key(name));
        }
        Ok(map)
    }

    /// These names, with `under`'s for the targets these leave unnamed.
    pub fn or(&self, under: &FieldMap) -> FieldMap {
        let mut out = self.clone();
        for (slot, below) in out.names.iter_mut().zip(&under.names) {
            if slot.is_none() {
                slot.clone_from(below);
            }
        }
        out
    }

    /// The field the user named for `field`, normalised like record keys.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.names[field.index()].as_deref()
    }
}

// ---------------------------------------------------------------------------------------------
// Field names and how a record's fields become an article's parts

/// Rank added to last-resort names, so that any ordinary name of a target beats them.
const LAST_RESORT: usize = 1_000;

/// The synonym table of `data/record-fields.tsv`: normalised name -> (target, rank).
struct Synonyms {
    by_name: HashMap<String, Vec<(Field, usize)>>,
}

impl Synonyms {
    fn parse(text: &str) -> Synonyms {
        let mut by_name: HashMap<String, Vec<(Field, usize)>> = HashMap::new();
        for line in data::data_lines(text) {
            let Some((target, names)) = line.split_once('\t') else {
                continue;
            };
            let Some(field) = Field::from_name(target) else {
                continue;
            };
            for (rank, name) in names.split_whitespace().enumerate() {
                let (name, rank) = match name.strip_prefix('(').and_then(|n| n.strip_suffix(')')) {
                    Some(inner) => (inner, rank + LAST_RESORT),
                    None => (name, rank),
                };
                by_name
                    .entry(squash(&normalise_key(name)))
                    .or_default()
                    .push((field, rank));
            }
        }
        Synonyms { by_name }
    }

    fn rank(&self, key: &str, field: Field) -> Option<usize> {
        let lookup = |k: &str| {
            self.by_name
                .get(&squash(k))
                .and_then(|targets| targets.iter().find(|(f, _)| *f == field))
                .map(|&(_, rank)| rank)
        };
        lookup(key).or_else(|| local_name(key).and_then(lookup))
    }
}

fn synonyms() -> &'static Synonyms {
    static SYNONYMS: OnceLock<Synonyms> = OnceLock::new();
    SYNONYMS.get_or_init(|| Synonyms::parse(data::RECORD_FIELDS_TSV))
}

/// Field names compare ignoring case, with spaces and hyphens read as underscores.
fn normalise_key(key: &str) -> String {
    key.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A normalised key without its underscores, the form names are compared in: `pubDate`,
/// `pub_date` and `PUBDATE` are one name, as are `publishedAt` and `published_at`.
fn squash(key: &str) -> String {
    key.replace('_', "")
}

/// `date` for `dc:date`: namespaced names also match by their local part.
fn local_name(key: &str) -> Option<&str> {
    key.rsplit_once(':')
        .map(|(_, local)| local)
        .filter(|l| !l.is_empty())
}

/// The rank of `key` as a name for `field`: the user's name if they gave one (the synonyms
/// of that target then no longer count), else the synonym table's.
fn field_rank(key: &str, field: Field, fields: &FieldMap) -> Option<usize> {
    match fields.get(field) {
        Some(name) => {
            let name = squash(name);
            (squash(key) == name || local_name(key).is_some_and(|l| squash(l) == name)).then_some(0)
        }
        None => synonyms().rank(key, field),
    }
}

/// The field a metadata key names (`title`, `pub_time`, `来源` ...), as for a record's
/// fields: a Markdown file's front matter uses the same names.
pub fn field_of_key(key: &str, fields: &FieldMap) -> Option<Field> {
    let key = normalise_key(key);
    Field::ALL
        .into_iter()
        .filter_map(|f| field_rank(&key, f, fields).map(|r| (r, f)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, f)| f)
}

/// A field's value: one text, or several (paragraphs of a body, headlines, authors).
#[derive(Debug, Clone)]
enum FieldValue {
    One(String),
    Many(Vec<String>),
}

impl FieldValue {
    /// The text for `field`: a body joins its parts as paragraphs, authors are listed, and
    /// anything else takes its first non-empty part (the main headline of ninjs `headlines`).
    fn render(&self, field: Field) -> String {
        match self {
            FieldValue::One(s) => s.clone(),
            FieldValue::Many(parts) => {
                let mut parts = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty());
                match field {
                    Field::Text => parts.collect::<Vec<_>>().join("\n"),
                    Field::Author => parts.collect::<Vec<_>>().join(", "),
                    _ => parts.next().unwrap_or_default().to_string(),
                }
            }
        }
    }
}

/// Turns a record's fields (normalised key, value, in record order) into a [`Record`].
fn assemble(n: usize, candidates: &[(String, FieldValue)], fields: &FieldMap) -> Record {
    let pick = |field: Field| pick_field(candidates, field, fields);
    let line = |field: Field| pick(field).map(|s| one_line(&strip_inline_tags(&s, true)));
    Record {
        n,
        url: pick(Field::Url).map(|s| one_line(&s)),
        title: line(Field::Title),
        date: pick(Field::Date).map(|s| one_line(&s)),
        source: line(Field::Source),
        author: line(Field::Author),
        body: RecordBody::Text(body_text(&strip_inline_tags(
            &pick(Field::Text).unwrap_or_default(),
            false,
        ))),
    }
}

/// Inline markup around words of a field's text: a search API's highlight
/// (`布隆迪举行<em>大选</em>`), bold, a font colour. The tags go and their text stays. In a
/// title, source or author (`all`) spans, links and super/subscripts go too; in a body only
/// the highlight and emphasis tags, so a body written in HTML keeps the markup the page
/// reader uses.
fn strip_inline_tags(text: &str, all: bool) -> std::borrow::Cow<'_, str> {
    static RES: OnceLock<[regex::Regex; 2]> = OnceLock::new();
    let [line, body] = RES.get_or_init(|| {
        let re = |names: &str| {
            regex::Regex::new(&format!(r"(?i)</?(?:{names})(?:\s[^<>]{{0,300}})?/?>"))
                .expect("regex")
        };
        [
            re("em|mark|b|strong|i|u|font|span|a|sup|sub|small|big|hl"),
            re("em|mark|b|strong|i|u|font|hl"),
        ]
    });
    let re = if all { line } else { body };
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    re.replace_all(text, "")
}

fn pick_field(
    candidates: &[(String, FieldValue)],
    field: Field,
    fields: &FieldMap,
) -> Option<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for (key, value) in candidates {
        let Some(rank) = field_rank(key, field, fields) else {
            continue;
        };
        let text = value.render(field);
        let text = text.trim();
        if is_placeholder(text) || is_code(field, text) {
            continue;
        }
        // A `name` column that holds a list (`[]`, `['張三']`) is a list of names, not a title.
        if field == Field::Title
            && rank >= LAST_RESORT
            && text.starts_with('[')
            && text.ends_with(']')
        {
            continue;
        }
        found.push((rank, text.to_string()));
    }
    let best_rank = found.iter().map(|(rank, _)| *rank).min()?;
    if field == Field::Text {
        // Feeds and crawler dumps carry a summary beside the body under names of similar
        // standing (description and content:encoded, content_text and content): the longest
        // is the body. Last-resort names only count when nothing else has a value.
        let tier = |rank: usize| rank >= LAST_RESORT;
        let mut best: Option<&(usize, String)> = None;
        for candidate in found
            .iter()
            .filter(|(rank, _)| tier(*rank) == tier(best_rank))
        {
            if best.is_none_or(|b| candidate.1.chars().count() > b.1.chars().count()) {
                best = Some(candidate);
            }
        }
        return best.map(|(_, text)| text.clone());
    }
    found
        .into_iter()
        .find(|(rank, _)| *rank == best_rank)
        .map(|(_, text)| text)
}

/// Values that mean "nothing": an empty cell, or an empty list or object written as text.
fn is_placeholder(text: &str) -> bool {
    matches!(text, "" | "[]" | "{}" | "null")
}

/// A bare number where a name or a headline belongs (`"source": 1`, a type code): no value.
fn is_code(field: Field, text: &str) -> bool {
    matches!(field, Field::Title | Field::Source | Field::Author)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

/// SogouCA/CS separate paragraphs with U+E40C, a private-use character of their GBK
/// user-defined area; always a paragraph break.
const SOGOU_PARAGRAPH: char = '\u{E40C}';

fn is_private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// A title, date, source, URL or author: one line, whitespace runs with a line break in them
/// (a title wrapped in the XML source) read as one space.
fn one_line(text: &str) -> String {
    let text = text.replace(SOGOU_PARAGRAPH, " ");
    let mut out = String::with_capacity(text.len());
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A body: line breaks as `\n`, paragraph separators as line breaks, trimmed.
fn body_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let separators = paragraph_separators(&text);
    if separators.is_empty() {
        return text.trim().to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_break = false;
    for c in text.chars() {
        if separators.contains(&c) {
            if !in_break {
                out.push('\n');
                in_break = true;
            }
        } else {
            out.push(c);
            in_break = false;
        }
    }
    out.trim().to_string()
}

/// The private-use characters that stand between paragraphs in `text`: SogouCS's U+E40C, and
/// any other private-use character that comes back at least three times, mostly right after
/// the end of a sentence or a line. A private-use character standing for a rare hanzi
/// (GB18030's user-defined area) sits inside words instead, and stays.
fn paragraph_separators(text: &str) -> Vec<char> {
    let mut seen: HashMap<char, (usize, usize)> = HashMap::new();
    let mut previous = '\n';
    for c in text.chars() {
        if is_private_use(c) {
            let entry = seen.entry(c).or_default();
            entry.0 += 1;
            if previous.is_whitespace()
                || is_private_use(previous)
                || "。！？!?；;”」』）)…：:".contains(previous)
            {
                entry.1 += 1;
            }
        }
        previous = c;
    }
    let mut separators: Vec<char> = seen
        .into_iter()
        .filter(|&(c, (count, after_break))| {
            c == SOGOU_PARAGRAPH || (count >= 3 && after_break * 2 >= count)
        })
        .map(|(c, _)| c)
        .collect();
    separators.sort_unstable();
    separators
}

// ---------------------------------------------------------------------------------------------
// Detection

/// How much of a text file detection looks at: enough for many records, cheap on big files.
const DETECT_PREFIX: usize = 256 * 1024;

/// The record format of a file, judged by its content (and its name only for gzipped WARC),
/// or None for a plain page or text file.
pub fn detect_format(rel_path: &str, bytes: &[u8], text: Option<&str>) -> Option<RecordFormat> {
    detect_format_with(rel_path, bytes, text, &FieldMap::default())
}

/// [`detect_format`] knowing the user's field names (`--fields`), so that records under
/// names of their own are told as records too.
pub fn detect_format_with(
    rel_path: &str,
    bytes: &[u8],
    text: Option<&str>,
    fields: &FieldMap,
) -> Option<RecordFormat> {
    if is_warc(rel_path, bytes) {
        return Some(RecordFormat::Warc);
    }
    let text = text?.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    match trimmed.chars().next()? {
        '<' => {
            let tree = parse_xml(prefix(trimmed, DETECT_PREFIX));
            let found = find_xml_records(&tree, fields).ok()?;
            let xml = match found.as_slice() {
                [] => false,
                [only] => {
                    // One record: a one-article XML file, not a fragment that happens to use
                    // <article>: several recognised fields, or a title or text field in a
                    // record that is the document's root or sits right inside it.
                    let (count, title_or_text) = xml_field_children(&tree, *only, fields);
                    count >= 2 || (title_or_text && tree.depth(*only) <= 2)
                }
                _ => true,
            };
            xml.then_some(RecordFormat::Xml)
        }
        '[' | '{' => {
            if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
                return find_article_list(&value, fields, 0)
                    .filter(|list| !list.is_empty())
                    .map(|_| RecordFormat::Json);
            }
            looks_like_json_lines(trimmed, fields).then_some(RecordFormat::JsonLines)
        }
        _ => {
            if let Some(json) = unwrap_javascript(trimmed) {
                if let Ok(value) = serde_json::from_str::<Value>(json) {
                    return find_article_list(&value, fields, 0)
                        .filter(|list| !list.is_empty())
                        .map(|_| RecordFormat::Json);
                }
            }
            detect_delimited(text)
        }
    }
}

/// The JSON inside a JavaScript wrapper: `name = {…}`, `var name = […];`,
/// `window.data = {…}`, a JSONP call `callback({…});` (API responses saved as `.js`). None
/// when the text is not one such statement around an object or array.
fn unwrap_javascript(text: &str) -> Option<&str> {
    let mut rest = text.trim_start();
    // JSONP responses often start with an empty comment (`/**/cb({...})`) against sniffing.
    while let Some(after) = rest.strip_prefix("/*") {
        rest = after.split_once("*/")?.1.trim_start();
    }
    for keyword in ["var ", "let ", "const "] {
        if let Some(after) = rest.strip_prefix(keyword) {
            rest = after.trim_start();
            break;
        }
    }
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.')))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let after_name = rest[name_len..].trim_start();
    let (body, call) = match after_name.chars().next()? {
        '=' => (after_name[1..].trim_start(), false),
        '(' => (after_name[1..].trim_start(), true),
        _ => return None,
    };
    if !body.starts_with(['{', '[']) {
        return None;
    }
    let mut body = body.trim_end().trim_end_matches(';').trim_end();
    if call {
        body = body.strip_suffix(')')?.trim_end();
    }
    Some(body)
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

fn is_warc(rel_path: &str, bytes: &[u8]) -> bool {
    if bytes.starts_with(b"WARC/1.") {
        return true;
    }
    if !bytes.starts_with(&GZIP_MAGIC) {
        return false;
    }
    let name = rel_path.to_ascii_lowercase();
    if name.ends_with(".warc.gz") || name.ends_with(".warc") {
        return true;
    }
    let mut head = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(bytes)
        .take(8)
        .read_to_end(&mut head);
    head.starts_with(b"WARC/")
}

/// Most of the first non-empty lines are JSON objects, and some look like articles.
/// Most of the first non-empty lines are JSON (a broken or truncated line counts: it starts
/// like JSON), at least two are objects, and some look like articles. A bad line is a bad
/// record of a JSON Lines file, reported when it is read; it does not make the file text.
fn looks_like_json_lines(text: &str, fields: &FieldMap) -> bool {
    let mut lines = 0;
    let mut json_like = 0;
    let mut objects = 0;
    let mut articles = 0;
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(200)
    {
        lines += 1;
        if line.starts_with(['{', '[']) {
            json_like += 1;
        }
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(line) {
            objects += 1;
            if is_article(&map, fields) {
                articles += 1;
            }
        }
    }
    objects >= 2 && json_like * 2 > lines && articles > 0
}

/// Rows read to judge a CSV or TSV file.
const DETECT_ROWS: usize = 50;

/// CSV or TSV: a header row of short names, one of them a title or text name, and rows that
/// mostly have as many cells as the header. Prose with commas fails all three.
fn detect_delimited(text: &str) -> Option<RecordFormat> {
    let first = text.lines().next()?;
    let (format, delimiter) = if first.contains('\t') {
        (RecordFormat::Tsv, b'\t')
    } else if first.contains(',') {
        (RecordFormat::Csv, b',')
    } else {
        return None;
    };
    // The whole text, not a prefix: a first row holding a 400,000-character article must be
    // read to its end to be a row. Only the header and DETECT_ROWS rows are parsed.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().ok()?.iter().map(normalise_key).collect();
    let empty = header.iter().filter(|h| h.is_empty()).count();
    // A header names columns: short names, at most one empty (a spreadsheet's index column).
    if header.len() < 2 || empty > 1 || header.iter().any(|h| h.chars().count() > 40) {
        return None;
    }
    let fields = FieldMap::default();
    let names_article = header.iter().any(|h| {
        matches!(field_rank(h, Field::Title, &fields), Some(r) if r < LAST_RESORT)
            || matches!(field_rank(h, Field::Text, &fields), Some(r) if r < LAST_RESORT)
    });
    if !names_article {
        return None;
    }
    let lengths: Vec<usize> = reader
        .records()
        .take(DETECT_ROWS)
        .flatten()
        .map(|row| row.len())
        .collect();
    let rows = lengths.len();
    let consistent = lengths.iter().filter(|&&len| len == header.len()).count();
    // One odd row is a problem line of a real file (an unquoted comma); more than a fifth is
    // text that is not a table.
    let odd = rows - consistent;
    (consistent > odd && odd <= (rows / 5).max(1)).then_some(format)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Reads the records. `text` is the decoded file text (None for WARC, which is read from
/// `bytes`, gzipped or not).
pub fn read_records(
    format: RecordFormat,
    bytes: &[u8],
    text: Option<&str>,
    fields: &FieldMap,
) -> Result<Records, String> {
    let text = || {
        text.map(|t| t.trim_start_matches('\u{feff}'))
            .ok_or_else(|| {
                format!(
                    "{} records need the decoded text of the file",
                    format.name()
                )
            })
    };
    let (records, problems) = match format {
        RecordFormat::Warc => return Ok(read_warc(bytes)),
        RecordFormat::Xml => read_xml(text()?, fields)?,
        RecordFormat::Json => read_json(text()?, fields)?,
        RecordFormat::JsonLines => read_json_lines(text()?, fields)?,
        RecordFormat::Csv => read_delimited(text()?, b',', true, fields)?,
        RecordFormat::Tsv => read_tsv(text()?, fields)?,
    };
    Ok(Records {
        format,
        records,
        problems,
    })
}

type ReadResult = Result<(Vec<Record>, Vec<String>), String>;

fn read_xml(text: &str, fields: &FieldMap) -> ReadResult {
    let tree = parse_xml(text);
    let found = find_xml_records(&tree, fields)?;
    if found.is_empty() {
        return Err(format!(
            "no records: no <{}> element with title or text fields",
            RECORD_ELEMENTS.join(">, <")
        ));
    }
    let records = found
        .iter()
        .enumerate()
        .map(|(i, &element)| assemble(i + 1, &xml_candidates(&tree, element), fields))
        .collect();
    Ok((records, Vec::new()))
}

fn read_json(text: &str, fields: &FieldMap) -> ReadResult {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => unwrap_javascript(text)
            .and_then(|json| serde_json::from_str(json).ok())
            .ok_or_else(|| format!("not JSON ({e})"))?,
    };
    let list = find_article_list(&value, fields, 0).ok_or_else(|| {
        "no articles: expected an array of objects with title or text fields, an object \
         holding such an array, or one such object"
            .to_string()
    })?;
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in list.into_iter().enumerate() {
        match item {
            Value::Object(map) => records.push(assemble(i + 1, &json_candidates(map), fields)),
            other => problems.push(format!(
                "record {}: {}, not an object",
                i + 1,
                json_kind(other)
            )),
        }
    }
    Ok((records, problems))
}

fn read_json_lines(text: &str, fields: &FieldMap) -> ReadResult {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut n = 0;
    for (line_no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        n += 1;
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => records.push(assemble(n, &json_candidates(&map), fields)),
            Ok(other) => problems.push(format!(
                "record {n} (line {}): {}, not an object",
                line_no + 1,
                json_kind(&other)
            )),
            Err(e) => problems.push(format!("record {n} (line {}): not JSON ({e})", line_no + 1)),
        }
    }
    if records.is_empty() && !problems.is_empty() {
        return Err(format!(
            "no line is a JSON object ({} lines; the first: {})",
            problems.len(),
            problems[0]
        ));
    }
    Ok((records, problems))
}

fn read_tsv(text: &str, fields: &FieldMap) -> ReadResult {
    // TSV is written both ways: with CSV-style quotes around cells holding tabs or line
    // breaks, and with no quoting at all, where a cell may start with a quotation mark
    // ("一带一路"倡议...). Read it both ways and keep the reading with fewer broken rows;
    // when both read as well, quotes are quoting only if every one wraps a whole cell.
    let quoted = read_delimited(text, b'\t', true, fields);
    let plain = read_delimited(text, b'\t', false, fields);
    match (quoted, plain) {
        (Ok(q), Ok(p)) => Ok(match p.1.len().cmp(&q.1.len()) {
            std::cmp::Ordering::Less => p,
            std::cmp::Ordering::Greater => q,
            std::cmp::Ordering::Equal if quotes_wrap_whole_cells(text) => q,
            std::cmp::Ordering::Equal => p,
        }),
        (Ok(q), Err(_)) => Ok(q),
        (Err(_), Ok(p)) => Ok(p),
        (Err(e), Err(_)) => Err(e),
    }
}

/// Every quotation mark in a TSV text opens or closes a whole cell (`"…"` between tabs).
fn quotes_wrap_whole_cells(text: &str) -> bool {
    text.lines().flat_map(|line| line.split('\t')).all(|cell| {
        let inner = cell
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .unwrap_or(cell);
        // Doubled quotes inside a quoted cell are escaped quotes.
        !inner.replace("\"\"", "").contains('"')
    })
}

fn read_delimited(text: &str, delimiter: u8, quoting: bool, fields: &FieldMap) -> ReadResult {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(normalise_key)
        .collect();
    if header.iter().all(|h| h.is_empty()) {
        return Err(
            "no header row: the first line should name the columns (title,content,...)".into(),
        );
    }
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let n = i + 1;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                problems.push(format!("record {n}: {e}"));
                continue;
            }
        };
        if row.len() != header.len() {
            // Cells out of step with the header would land in the wrong fields.
            let line = row.position().map(|p| p.line()).unwrap_or(0);
            problems.push(format!(
                "record {n} (line {line}): {} cells where the header has {}",
                row.len(),
                header.len()
            ));
            continue;
        }
        let candidates: Vec<(String, FieldValue)> = header
            .iter()
            .zip(row.iter())
            .map(|(key, cell)| (key.clone(), FieldValue::One(cell.to_string())))
            .collect();
        records.push(assemble(n, &candidates, fields));
    }
    Ok((records, problems))
}

// ---------------------------------------------------------------------------------------------
// JSON

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An article object has a title field, or a text field holding text.
fn is_article(map: &Map<String, Value>, fields: &FieldMap) -> bool {
    has_title(map, fields) || map.iter().any(|(key, value)| {
        matches!(field_rank(&normalise_key(key), Field::Text, fields), Some(r) if r < LAST_RESORT)
            && json_value(value).is_some()
    })
}

fn has_title(map: &Map<String, Value>, fields: &FieldMap) -> bool {
    map.keys().any(|key| {
        matches!(field_rank(&normalise_key(key), Field::Title, fields), Some(r) if r < LAST_RESORT)
    })
}

/// How deep article arrays are looked for (`{data: {list: [...]}}` is two levels).
const MAX_JSON_DEPTH: usize = 4;

/// The article objects of a JSON document, in order: an array of articles; an object holding
/// one (its largest array of titled article objects, a few levels down: `{date, count,
/// articles: [...]}`, JSON Feed's `{title, items: [...]}`); or one article object. Items of an
/// article array that are not articles stay in the list, so that numbering counts them.
fn find_article_list<'a>(
    value: &'a Value,
    fields: &FieldMap,
    depth: usize,
) -> Option<Vec<&'a Value>> {
    match value {
        Value::Array(items) => {
            let articles = items
                .iter()
                .filter(|v| v.as_object().is_some_and(|m| is_article(m, fields)))
                .count();
            if articles > 0 && articles * 2 >= items.len() {
                return Some(items.iter().collect());
            }
            if depth >= MAX_JSON_DEPTH {
                return None;
            }
            // An array of wrappers (one per day, one per page): their articles in order.
            let all: Vec<&Value> = items
                .iter()
                .filter_map(|item| find_article_list(item, fields, depth + 1))
                .flatten()
                .collect();
            (!all.is_empty()).then_some(all)
        }
        Value::Object(map) => {
            let article = is_article(map, fields);
            if depth < MAX_JSON_DEPTH {
                let mut best: Option<Vec<&Value>> = None;
                for child in map.values().filter(|v| v.is_array() || v.is_object()) {
                    let Some(list) = find_article_list(child, fields, depth + 1) else {
                        continue;
                    };
                    // Inside an article, an array of untitled objects with text (comments,
                    // paragraphs as objects) belongs to the article; titled ones are a feed.
                    let titled = list
                        .iter()
                        .any(|v| v.as_object().is_some_and(|m| has_title(m, fields)));
                    if article && !titled {
                        continue;
                    }
                    if best.as_ref().is_none_or(|b| list.len() > b.len()) {
                        best = Some(list);
                    }
                }
                if best.is_some() {
                    return best;
                }
            }
            article.then(|| vec![value])
        }
        _ => None,
    }
}

fn json_candidates(map: &Map<String, Value>) -> Vec<(String, FieldValue)> {
    map.iter()
        .filter_map(|(key, value)| json_value(value).map(|v| (normalise_key(key), v)))
        .collect()
}

/// Keys under which an object inside a field holds that field's text: ninjs
/// `headlines: [{role, value}]`, `publisher: {name}`, `link: {href}`.
const INNER_TEXT_KEYS: [&str; 6] = ["value", "text", "name", "#text", "href", "url"];

fn json_value(value: &Value) -> Option<FieldValue> {
    match value {
        Value::String(s) => Some(FieldValue::One(s.clone())),
        Value::Number(n) => Some(FieldValue::One(n.to_string())),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_scalar_or_inner).collect();
            (!parts.is_empty()).then_some(FieldValue::Many(parts))
        }
        Value::Object(_) => json_scalar_or_inner(value).map(FieldValue::One),
        _ => None,
    }
}

fn json_scalar_or_inner(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) => INNER_TEXT_KEYS
            .iter()
            .find_map(|k| map.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)))
            .and_then(|(_, v)| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// XML: a tolerant scanner. Record files are often not well-formed (unescaped `&` in URLs,
// unclosed elements, SGML-style TREC files with no root), so this never rejects input: an
// end tag closes the nearest open element of its name, unclosed elements end with their
// parent, and a `<` that does not start a tag is text.

/// Elements that hold one record each.
const RECORD_ELEMENTS: [&str; 5] = ["doc", "item", "entry", "article", "record"];

/// Elements of an HTML page: a file with these outside any record is a page, not records.
const PAGE_ELEMENTS: [&str; 3] = ["html", "head", "body"];

/// HTML elements that never have content, written without `/>` inside bodies.
const VOID_ELEMENTS: [&str; 4] = ["br", "hr", "img", "wbr"];

/// Elements whose text starts and ends a paragraph when a field's text is flattened.
const BLOCK_ELEMENTS: [&str; 16] = [
    "p",
    "br",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "para",
    "section",
    "blockquote",
    "hr",
    "pre",
];

/// Deeper nesting than this is ignored when reading text (no input can exhaust the stack).
const MAX_XML_DEPTH: usize = 256;

struct XmlElement {
    /// Lower-cased, with its namespace prefix (`dc:date`).
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<XmlNode>,
    parent: usize,
}

enum XmlNode {
    Element(usize),
    Text(String),
}

struct XmlTree {
    /// Element 0 is the document itself.
    elements: Vec<XmlElement>,
}

impl XmlTree {
    fn local(&self, element: usize) -> &str {
        let name = &self.elements[element].name;
        local_name(name).unwrap_or(name)
    }

    fn depth(&self, mut element: usize) -> usize {
        let mut depth = 0;
        while element != 0 {
            element = self.elements[element].parent;
            depth += 1;
        }
        depth
    }

    fn child_elements(&self, element: usize) -> impl Iterator<Item = usize> + '_ {
        self.elements[element]
            .children
            .iter()
            .filter_map(|c| match c {
                XmlNode::Element(e) => Some(*e),
                XmlNode::Text(_) => None,
            })
    }

    fn attr(&self, element: usize, name: &str) -> Option<&str> {
        self.elements[element]
            .attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text inside an element, markup removed, with line breaks around paragraphs.
    fn text(&self, element: usize) -> String {
        let mut out = String::new();
        self.push_text(element, &mut out, 0);
        out
    }

    fn push_text(&self, element: usize, out: &mut String, depth: usize) {
        if depth > MAX_XML_DEPTH {
            return;
        }
        for child in &self.elements[element].children {
            match child {
                // Layout whitespace between paragraph elements is not a blank line.
                XmlNode::Text(text)
                    if (out.is_empty() || out.ends_with('\n')) && text.trim().is_empty() => {}
                XmlNode::Text(text) => out.push_str(text),
                XmlNode::Element(e) => {
                    let block = BLOCK_ELEMENTS.contains(&self.local(*e));
                    if block && !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    self.push_text(*e, out, depth + 1);
                    if block && !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
        }
    }
}

enum Tag<'a> {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End(String),
    CData(&'a str),
    /// Comments, processing instructions, doctype.
    Skip,
}

fn parse_xml(text: &str) -> XmlTree {
    let mut tree = XmlTree {
        elements: vec![XmlElement {
            name: String::new(),
            attrs: Vec::new(),
            children: Vec::new(),
            parent: 0,
        }],
    };
    let mut stack: Vec<usize> = vec![0];
    let mut text_start = 0;
    let mut pos = 0;
    while let Some(offset) = text[pos..].find('<') {
        let lt = pos + offset;
        let Some((tag, end)) = scan_tag(text, lt) else {
            pos = lt + 1;
            continue;
        };
        let top = *stack.last().unwrap_or(&0);
        push_text(&mut tree, top, &text[text_start..lt]);
        match tag {
            Tag::Skip => {}
            Tag::CData(raw) => tree.elements[top]
                .children
                .push(XmlNode::Text(raw.to_string())),
            Tag::Start {
                name,
                attrs,
                self_closing,
            } => {
                let local = local_name(&name).unwrap_or(&name).to_string();
                // Records do not nest: a record start while one of the same name is open
                // means the earlier one was never closed (SGML-style files).
                if RECORD_ELEMENTS.contains(&local.as_str()) {
                    if let Some(i) = stack
                        .iter()
                        .rposition(|&e| e != 0 && tree.elements[e].name == name)
                    {
                        stack.truncate(i);
                    }
                }
                // As in HTML, a paragraph or list item starts after the previous one ends:
                // unclosed <p>s in a body must not nest hundreds deep.
                if matches!(local.as_str(), "p" | "li") {
                    if let Some(&top) = stack.last() {
                        if top != 0 && tree.elements[top].name == name {
                            stack.pop();
                        }
                    }
                }
                let parent = *stack.last().unwrap_or(&0);
                let id = tree.elements.len();
                tree.elements.push(XmlElement {
                    name,
                    attrs,
                    children: Vec::new(),
                    parent,
                });
                tree.elements[parent].children.push(XmlNode::Element(id));
                if !self_closing && !VOID_ELEMENTS.contains(&local.as_str()) {
                    stack.push(id);
                }
            }
            Tag::End(name) => {
                if let Some(i) = stack
                    .iter()
                    .rposition(|&e| e != 0 && tree.elements[e].name == name)
                {
                    stack.truncate(i);
                }
            }
        }
        pos = end;
        text_start = end;
    }
    let top = *stack.last().unwrap_or(&0);
    push_text(&mut tree, top, &text[text_start..]);
    tree
}

fn push_text(tree: &mut XmlTree, element: usize, raw: &str) {
    if !raw.is_empty() {
        let text = html_escape::decode_html_entities(raw).into_owned();
        tree.elements[element].children.push(XmlNode::Text(text));
    }
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':')
}

/// The tag starting at `lt` (a `<`) and the position after it, or None when this `<` is text.
fn scan_tag(text: &str, lt: usize) -> Option<(Tag<'_>, usize)> {
    let bytes = text.as_bytes();
    let rest = &text[lt + 1..];
    let find_from = |from: usize, pat: &str| text[from..].find(pat).map(|i| from + i);
    if rest.starts_with("!--") {
        let end = find_from(lt + 4, "-->").map_or(text.len(), |i| i + 3);
        return Some((Tag::Skip, end));
    }
    if rest.starts_with("![CDATA[") {
        let start = lt + 9;
        return Some(match find_from(start, "]]>") {
            Some(close) => (Tag::CData(&text[start..close]), close + 3),
            None => (Tag::CData(&text[start..]), text.len()),
        });
    }
    if rest.starts_with('!') || rest.starts_with('?') {
        return find_from(lt + 1, ">").map(|gt| (Tag::Skip, gt + 1));
    }
    let (closing, name_start) = if rest.starts_with('/') {
        (true, lt + 2)
    } else {
        (false, lt + 1)
    };
    if !bytes.get(name_start).copied().is_some_and(is_name_start) {
        return None;
    }
    let mut i = name_start;
    while i < bytes.len() && is_name_char(bytes[i]) {
        i += 1;
    }
    let name = text[name_start..i].to_ascii_lowercase();
    // The rest of the tag up to `>`, minding quoted attribute values. A `<` before the `>`
    // means this was text that looked like a tag (`a<b` in a body).
    let mut quote: Option<u8> = None;
    let mut j = i;
    let gt = loop {
        let b = *bytes.get(j)?;
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'>' => break j,
                b'<' => return None,
                _ => {}
            },
        }
        j += 1;
    };
    if closing {
        return Some((Tag::End(name), gt + 1));
    }
    let inner = &text[i..gt];
    let self_closing = inner.trim_end().ends_with('/');
    Some((
        Tag::Start {
            name,
            attrs: parse_attrs(inner.trim_end().trim_end_matches('/')),
            self_closing,
        },
        gt + 1,
    ))
}

fn parse_attrs(inner: &str) -> Vec<(String, String)> {
    let bytes = inner.as_bytes();
    let mut attrs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && !is_name_start(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && is_name_char(bytes[i]) {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = inner[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attrs.push((name, String::new()));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let start = i + 1;
                let end = inner[start..]
                    .find(q as char)
                    .map_or(inner.len(), |e| start + e);
                i = (end + 1).min(inner.len());
                &inner[start..end]
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                &inner[start..i]
            }
        };
        attrs.push((name, html_escape::decode_html_entities(value).into_owned()));
    }
    attrs
}

/// Child elements of `element` that name an article field: how many, and whether one is a
/// title or text field.
fn xml_field_children(tree: &XmlTree, element: usize, fields: &FieldMap) -> (usize, bool) {
    let mut count = 0;
    let mut title_or_text = false;
    for child in tree.child_elements(element) {
        let name = &tree.elements[child].name;
        let ranks: Vec<(Field, usize)> = Field::ALL
            .iter()
            .filter_map(|&f| field_rank(name, f, fields).map(|r| (f, r)))
            .collect();
        if !ranks.is_empty() {
            count += 1;
        }
        if ranks
            .iter()
            .any(|&(f, r)| matches!(f, Field::Title | Field::Text) && r < LAST_RESORT)
        {
            title_or_text = true;
        }
    }
    (count, title_or_text)
}

/// The record elements of a document in order: the outermost record elements with a title or
/// text child. Err when the document is an HTML page.
fn find_xml_records(tree: &XmlTree, fields: &FieldMap) -> Result<Vec<usize>, String> {
    let mut found = Vec::new();
    let mut pending: Vec<usize> = tree.child_elements(0).collect();
    pending.reverse();
    while let Some(element) = pending.pop() {
        let local = tree.local(element);
        if PAGE_ELEMENTS.contains(&local) {
            return Err(format!(
                "an HTML page (it has <{local}>), not a record file; read it as a page"
            ));
        }
        if RECORD_ELEMENTS.contains(&local) && xml_field_children(tree, element, fields).1 {
            found.push(element);
            continue;
        }
        let before = pending.len();
        pending.extend(tree.child_elements(element));
        pending[before..].reverse();
    }
    Ok(found)
}

/// The fields of a record element: its child elements, then its attributes.
fn xml_candidates(tree: &XmlTree, element: usize) -> Vec<(String, FieldValue)> {
    let mut candidates = Vec::new();
    for child in tree.child_elements(element) {
        let name = tree.elements[child].name.clone();
        // Atom: <link rel="alternate" href="..."/>; the other links (enclosure, replies)
        // are not the article's address.
        if tree.local(child) == "link" {
            if let Some(rel) = tree.attr(child, "rel") {
                if !rel.eq_ignore_ascii_case("alternate") {
                    continue;
                }
            }
        }
        // Atom and RSS 1.0 persons: <author><name>..</name><email>..</email></author>.
        let named = tree
            .child_elements(child)
            .find(|&c| tree.local(c) == "name");
        let mut value = match named {
            Some(name_element) => tree.text(name_element),
            None => tree.text(child),
        };
        if value.trim().is_empty() {
            if let Some(href) = tree.attr(child, "href") {
                value = href.to_string();
            }
        }
        candidates.push((name, FieldValue::One(value)));
    }
    for (name, value) in &tree.elements[element].attrs {
        candidates.push((name.clone(), FieldValue::One(value.clone())));
    }
    candidates
}

// ---------------------------------------------------------------------------------------------
// WARC
//
// Read by hand rather than with the `warc` crate: its reader silently ends at a record cut off
// inside its headers (a truncated download gives no error), loses its place for good after
// one wrong Content-Length, insists on CRLF line ends, and opens gzip only from a path. WARC
// is simple (a version line, headers, a blank line, Content-Length bytes, CRLF CRLF), so this
// reader reports each bad record and finds the next `WARC/1.` line to go on.

/// Inflated size at which a gzipped WARC is cut (a bomb, or far more than one file should be).
const MAX_INFLATED: u64 = 1 << 30;

fn read_warc(bytes: &[u8]) -> Records {
    let mut problems = Vec::new();
    let inflated;
    let data: &[u8] = if bytes.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::new();
        let mut decoder = flate2::read::MultiGzDecoder::new(bytes).take(MAX_INFLATED);
        if let Err(e) = decoder.read_to_end(&mut out) {
            problems.push(format!(
                "the gzip data is damaged or cut off after {} inflated bytes ({e}); the \
                 records before that are read",
                out.len()
            ));
        } else if out.len() as u64 >= MAX_INFLATED {
            problems.push(format!(
                "inflated data stops at the {MAX_INFLATED}-byte limit; the records after it are not read"
            ));
        }
        inflated = out;
        &inflated
    } else {
        bytes
    };

    let mut records = Vec::new();
    let mut pos = 0;
    let mut ordinal = 0;
    loop {
        while pos < data.len() && data[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= data.len() {
            break;
        }
        if !data[pos..].starts_with(b"WARC/") {
            problems.push(format!(
                "byte {pos}: expected a WARC record (WARC/1.x), found other data; skipped to the next record"
            ));
            match find_bytes(&data[pos..], b"\nWARC/") {
                Some(i) => {
                    pos += i + 1;
                    continue;
                }
                None => break,
            }
        }
        ordinal += 1;
        let start = pos;
        let Some((headers, body_start)) = parse_headers(data, pos) else {
            problems.push(format!(
                "WARC record {ordinal} (byte {start}): truncated inside its headers"
            ));
            break;
        };
        let header = |name: &str| -> Option<&str> {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let Some(length) = header("content-length").and_then(|v| v.trim().parse::<usize>().ok())
        else {
            problems.push(format!(
                "WARC record {ordinal} (byte {start}): no valid Content-Length; skipped"
            ));
            match find_bytes(&data[body_start..], b"\nWARC/") {
                Some(i) => {
                    pos = body_start + i + 1;
                    continue;
                }
                None => break,
            }
        };
        let available = data.len() - body_start;
        if length > available {
            problems.push(format!(
                "WARC record {ordinal} (byte {start}): truncated: Content-Length says {length} \
                 bytes, {available} are left"
            ));
            break;
        }
        let block = &data[body_start..body_start + length];
        pos = body_start + length;

        let kind = header("warc-type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let url = header("warc-target-uri")
            .map(|u| {
                u.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .filter(|u| !u.is_empty());
        let payload = match kind.as_str() {
            "response" => match http_payload(block) {
                Ok(Some(payload)) => payload,
                Ok(None) => continue,
                Err(why) => {
                    problems.push(format!("WARC record {ordinal} (byte {start}): {why}"));
                    continue;
                }
            },
            "resource" => {
                let content_type = header("content-type").unwrap_or("");
                if !(is_html_type(content_type) || (content_type.is_empty() && sniff_html(block))) {
                    continue;
                }
                block.to_vec()
            }
            // warcinfo, request, metadata, revisit, conversion: not articles.
            _ => continue,
        };
        records.push(Record {
            // Its position among all the file's records, as the notes count them.
            n: ordinal,
            url,
            title: None,
            // WARC-Date is when the page was crawled, not when it was published.
            date: None,
            source: None,
            author: None,
            body: RecordBody::Html(payload),
        });
    }
    Records {
        format: RecordFormat::Warc,
        records,
        problems,
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Header lines from `start` (the version or status line first, skipped) to the blank line:
/// the headers and where the content starts. CRLF or bare LF line ends. None when the data
/// ends before the blank line.
fn parse_headers(data: &[u8], start: usize) -> Option<(Vec<(String, String)>, usize)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut pos = start;
    let mut first = true;
    loop {
        let eol = find_bytes(&data[pos..], b"\n")? + pos;
        let line = &data[pos..eol];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos = eol + 1;
        if line.is_empty() {
            return Some((headers, pos));
        }
        if std::mem::take(&mut first) {
            continue;
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with([' ', '\t']) {
            // A folded continuation of the previous header.
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
}

fn is_html_type(content_type: &str) -> bool {
    content_type.to_ascii_lowercase().contains("html")
}

fn sniff_html(payload: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&payload[..payload.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<html")
}

/// The HTML body of an HTTP response block: Ok(None) for what is not an article (not HTML,
/// not a success), Err for a response that cannot be read.
fn http_payload(block: &[u8]) -> Result<Option<Vec<u8>>, String> {
    if !block.starts_with(b"HTTP/") {
        // dns: and other non-HTTP responses.
        return Ok(None);
    }
    let Some((headers, body_start)) = parse_headers(block, 0) else {
        return Err("HTTP response cut off inside its headers".to_string());
    };
    let status_line = block
        .split(|&b| b == b'\n')
        .next()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .unwrap_or_default();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if !(200..300).contains(&status) {
        // Redirects and error pages are not articles.
        return Ok(None);
    }
    let header = |name: &str| -> Option<&str> {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let body = &block[body_start..];
    match header("content-type") {
        Some(t) if !is_html_type(t) => return Ok(None),
        None if !sniff_html(body) && header("content-encoding").is_none() => return Ok(None),
        _ => {}
    }
    let mut payload = if header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        dechunk(body).ok_or_else(|| "chunked HTTP body is damaged".to_string())?
    } else {
        body.to_vec()
    };
    if let Some(encoding) = header("content-encoding") {
        let encoding = encoding.trim().to_ascii_lowercase();
        let mut out = Vec::new();
        let result = match encoding.as_str() {
            "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(payload.as_slice())
                .take(MAX_INFLATED)
                .read_to_end(&mut out),
            "deflate" => flate2::read::ZlibDecoder::new(payload.as_slice())
                .take(MAX_INFLATED)
                .read_to_end(&mut out)
                .or_else(|_| {
                    out.clear();
                    flate2::read::DeflateDecoder::new(payload.as_slice())
                        .take(MAX_INFLATED)
                        .read_to_end(&mut out)
                }),
            "" | "identity" => Ok(0),
            other => {
                return Err(format!(
                    "HTTP body in Content-Encoding `{other}`, which is not read"
                ))
            }
        };
        match result {
            Ok(_) if !matches!(encoding.as_str(), "" | "identity") => payload = out,
            Ok(_) => {}
            Err(e) => return Err(format!("HTTP body in {encoding} cannot be inflated ({e})")),
        }
        if header("content-type").is_none() && !sniff_html(&payload) {
            return Ok(None);
        }
    }
    Ok(Some(payload))
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body. A body cut off after whole
/// chunks keeps them; None when a chunk size line is unreadable.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let Some(eol) = find_bytes(&body[pos..], b"\n").map(|i| pos + i) else {
            return Some(out);
        };
        let line = String::from_utf8_lossy(&body[pos..eol]);
        let size_text = line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        pos = eol + 1;
        if size == 0 {
            return Some(out);
        }
        let end = pos.checked_add(size)?.min(body.len());
        out.extend_from_slice(&body[pos..end]);
        pos = end;
        if pos >= body.len() {
            return Some(out);
        }
        // The CRLF after the chunk data.
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read(format: RecordFormat, text: &str) -> Records {
        match read_records(format, text.as_bytes(), Some(text), &FieldMap::default()) {
            Ok(records) => records,
            Err(e) => panic!("{} not read: {e}", format.name()),
        }
    }

    fn detect(name: &str, text: &str) -> Option<RecordFormat> {
        detect_format(name, text.as_bytes(), Some(text))
    }

    fn body(record: &Record) -> &str {
        match &record.body {
            RecordBody::Text(text) => text,
            RecordBody::Html(_) => panic!("record {} has an HTML body", record.n),
        }
    }

    fn html(record: &Record) -> &[u8] {
        match &record.body {
            RecordBody::Html(bytes) => bytes,
            RecordBody::Text(_) => panic!("record {} has a text body", record.n),
        }
    }

    // SogouCS as it looks once decoded from GBK: CRLF lines, a <docs> wrapper, U+E40C between
    // paragraphs, full-width digits, raw `&` in URLs, and a document with empty content.
    const SOGOU: &str = "<docs>\r\n<doc>\r\n\
        <url>http://news.sohu.com/20120708/n347612345.shtml</url>\r\n\
        <docno>a1b2c3d4e5f60718-1122334455667788</docno>\r\n\
        <contenttitle>杭州地铁２号线一期工程年底试运行</contenttitle>\r\n\
        <content>本报讯　记者王明　杭州地铁２号线一期工程昨日完成全部轨道铺设。\u{E40C}据介绍，该线路全长１８．２６公里，共设车站１３座。\u{E40C}\u{E40C}市民对新线路充满期待。</content>\r\n\
        </doc>\r\n<doc>\r\n\
        <url>http://house.sohu.com/group/form.php?group_id=12&msg_id=345</url>\r\n\
        <docno>ffeeddccbbaa9988-7766554433221100</docno>\r\n\
        <contenttitle>楼市成交量环比回升</contenttitle>\r\n\
        <content></content>\r\n\
        </doc>\r\n<doc>\r\n\
        <url>http://sports.sohu.com/20120709/n347655555.shtml</url>\r\n\
        <docno>0011223344556677-8899aabbccddeeff</docno>\r\n\
        <contenttitle>中超第１６轮：山东鲁能主场２比１取胜</contenttitle>\r\n\
        <content>昨晚，山东鲁能在济南奥体中心迎战对手。\u{E40C}上半场双方互有攻守，比分为１比１。</content>\r\n\
        </doc>\r\n</docs>\r\n";

    #[test]
    fn sogoucs_documents_become_records_with_paragraphs() {
        assert_eq!(
            detect("SogouCS.reduced/news.sohunews.010806.txt", SOGOU),
            Some(RecordFormat::Xml)
        );
        let records = read(RecordFormat::Xml, SOGOU);
        assert!(records.problems.is_empty(), "{:?}", records.problems);
        assert_eq!(records.records.len(), 3);
        let first = &records.records[0];
        assert_eq!(first.n, 1);
        assert_eq!(
            first.title.as_deref(),
            Some("杭州地铁２号线一期工程年底试运行")
        );
        assert_eq!(
            first.url.as_deref(),
            Some("http://news.sohu.com/20120708/n347612345.shtml")
        );
        assert_eq!(first.date, None);
        assert_eq!(
            body(first),
            "本报讯　记者王明　杭州地铁２号线一期工程昨日完成全部轨道铺设。\n\
             据介绍，该线路全长１８．２６公里，共设车站１３座。\n\
             市民对新线路充满期待。"
        );
        // The empty document still counts, so the third stays number 3.
        let empty = &records.records[1];
        assert_eq!(empty.n, 2);
        assert_eq!(body(empty), "");
        assert_eq!(
            empty.url.as_deref(),
            Some("http://house.sohu.com/group/form.php?group_id=12&msg_id=345")
        );
        assert_eq!(records.records[2].n, 3);
        assert_eq!(
            records.records[2].title.as_deref(),
            Some("中超第１６轮：山东鲁能主场２比１取胜")
        );
    }

    #[test]
    fn sogoucs_reads_the_same_after_gb18030_decoding() {
        let (bytes, _, _) = encoding_rs::GB18030.encode(SOGOU);
        let decoded = crate::corpus::decode_bytes(&bytes, None).expect("decodes");
        let records = read(RecordFormat::Xml, &decoded.text);
        assert_eq!(records.records.len(), 3);
        assert!(body(&records.records[0]).contains("１８．２６公里"));
    }

    #[test]
    fn trec_docs_without_a_root_are_read_with_their_paragraphs() {
        let trec = "<DOC>\n<DOCNO>XIN19980103.0012</DOCNO>\n<DATE>1998-01-03</DATE>\n\
            <HEADLINE>长江三峡工程导流明渠正式通航</HEADLINE>\n<TEXT>\n\
            <P>新华社宜昌１月３日电　长江三峡工程导流明渠今天正式通航。</P>\n\
            <P>导流明渠全长３７００米，可满足万吨级船队通过。</P>\n</TEXT>\n</DOC>\n\
            <DOC>\n<DOCNO>XIN19980103.0013</DOCNO>\n<DATE>1998-01-03</DATE>\n\
            <HEADLINE>北京今冬首场大雪</HEADLINE>\n<TEXT>\n\
            <P>本报讯　昨夜今晨，北京迎来今冬首场大雪，市区积雪深度达５厘米。</P>\n</TEXT>\n</DOC>\n";
        assert_eq!(
            detect("trec/xinhua/19980103", trec),
            Some(RecordFormat::Xml)
        );
        let records = read(RecordFormat::Xml, trec);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("长江三峡工程导流明渠正式通航"));
        assert_eq!(first.date.as_deref(), Some("1998-01-03"));
        assert_eq!(
            body(first),
            "新华社宜昌１月３日电　长江三峡工程导流明渠今天正式通航。\n\
             导流明渠全长３７００米，可满足万吨级船队通过。"
        );
        assert_eq!(
            records.records[1].title.as_deref(),
            Some("北京今冬首场大雪")
        );
    }

    #[test]
    fn unclosed_trec_docs_end_where_the_next_begins() {
        let trec = "<DOC><DOCNO>A1</DOCNO><HEADLINE>第一篇</HEADLINE><TEXT>甲地新闻正文，x<y 时仍是正文。\n\
            <DOC><DOCNO>A2</DOCNO><HEADLINE>第二篇</HEADLINE><TEXT>乙地新闻正文 & 更多。</TEXT></DOC>";
        let records = read(RecordFormat::Xml, trec);
        assert_eq!(records.records.len(), 2);
        assert_eq!(body(&records.records[0]), "甲地新闻正文，x<y 时仍是正文。");
        assert_eq!(records.records[1].title.as_deref(), Some("第二篇"));
        assert_eq!(body(&records.records[1]), "乙地新闻正文 & 更多。");
        // Unclosed paragraphs follow each other instead of nesting.
        let many = format!(
            "<doc><title>长文</title><text>{}</text></doc>",
            "<p>一段文字。".repeat(1000)
        );
        let records = read(RecordFormat::Xml, &many);
        assert_eq!(body(&records.records[0]).lines().count(), 1000);
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>滚动新闻 - 示例新闻网</title>
  <link>https://news.example.cn/</link>
  <description>示例新闻网最新滚动新闻</description>
  <image><title>示例新闻网</title><url>https://news.example.cn/logo.png</url><link>https://news.example.cn/</link></image>
  <item>
    <title>广州南沙新区发布人才引进新政</title>
    <link>https://news.example.cn/a/20240510/001.html?from=rss&amp;ch=gd</link>
    <description>&lt;p&gt;广州南沙新区10日发布人才引进新政，最高给予500万元安家补贴。&lt;/p&gt;&lt;p&gt;新政自6月1日起施行。&lt;/p&gt;</description>
    <pubDate>Fri, 10 May 2024 09:30:00 +0800</pubDate>
    <dc:creator>记者 林晓</dc:creator>
    <source url="https://www.nansha.example.cn/">南沙发布</source>
  </item>
  <item>
    <title><![CDATA[深圳湾“超级总部基地”首批项目动工]]></title>
    <link>https://news.example.cn/a/20240510/002.html</link>
    <description><![CDATA[深圳湾超级总部基地首批６个项目今天集中动工，总投资约４２０亿元。]]></description>
    <pubDate>Fri, 10 May 2024 11:05:00 +0800</pubDate>
  </item>
</channel>
</rss>
"#;

    #[test]
    fn rss_items_are_records_and_the_channel_is_not() {
        assert_eq!(detect("feeds/gd.xml", RSS), Some(RecordFormat::Xml));
        let records = read(RecordFormat::Xml, RSS);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("广州南沙新区发布人才引进新政"));
        assert_eq!(
            first.url.as_deref(),
            Some("https://news.example.cn/a/20240510/001.html?from=rss&ch=gd")
        );
        assert_eq!(
            first.date.as_deref(),
            Some("Fri, 10 May 2024 09:30:00 +0800")
        );
        assert_eq!(first.author.as_deref(), Some("记者 林晓"));
        assert_eq!(first.source.as_deref(), Some("南沙发布"));
        // Escaped HTML stays text with its tags; cleaning strips them downstream.
        assert_eq!(
            body(first),
            "<p>广州南沙新区10日发布人才引进新政，最高给予500万元安家补贴。</p><p>新政自6月1日起施行。</p>"
        );
        let second = &records.records[1];
        assert_eq!(
            second.title.as_deref(),
            Some("深圳湾“超级总部基地”首批项目动工")
        );
        assert_eq!(
            body(second),
            "深圳湾超级总部基地首批６个项目今天集中动工，总投资约４２０亿元。"
        );
    }

    #[test]
    fn atom_entries_take_the_alternate_link_and_the_full_content() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>示例博客</title>
<entry><title>西安城墙灯会开幕</title><link rel="enclosure" href="https://x.example.cn/a.jpg"/>
<link rel="alternate" href="https://x.example.cn/2024/02/lantern.html"/>
<published>2024-02-09T19:00:00+08:00</published><updated>2024-02-10T08:00:00+08:00</updated>
<author><name>陈静</name><email>cj@example.cn</email></author>
<summary>灯会开幕。</summary>
<content type="html">&lt;p&gt;西安城墙新春灯会9日晚开幕，展出灯组200余组。&lt;/p&gt;</content></entry>
<entry><title>兵马俑博物馆延长开放时间</title><link href="https://x.example.cn/2024/02/museum.html"/>
<updated>2024-02-11T10:00:00+08:00</updated><summary>春节期间每天延长开放两小时。</summary></entry>
</feed>"#;
        assert_eq!(detect("atom.xml", atom), Some(RecordFormat::Xml));
        let records = read(RecordFormat::Xml, atom);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(
            first.url.as_deref(),
            Some("https://x.example.cn/2024/02/lantern.html")
        );
        assert_eq!(first.date.as_deref(), Some("2024-02-09T19:00:00+08:00"));
        assert_eq!(first.author.as_deref(), Some("陈静"));
        assert_eq!(
            body(first),
            "<p>西安城墙新春灯会9日晚开幕，展出灯组200余组。</p>"
        );
        // Only a summary and only an update time: the last resorts are used.
        let second = &records.records[1];
        assert_eq!(second.date.as_deref(), Some("2024-02-11T10:00:00+08:00"));
        assert_eq!(body(second), "春节期间每天延长开放两小时。");
    }

    #[test]
    fn one_document_xml_is_one_record() {
        let one = "<?xml version='1.0' encoding='utf-8'?>\n<doc><id>7</id><url>http://www.example.com.cn/gn/2020/04-01/1.shtml</url>\
            <title>多地有序恢复旅游景区开放</title><datetime>2020-4-1 9:05:00</datetime>\
            <body>\t中新网4月1日电　多地旅游景区近日有序恢复开放。\n\t游客需提前预约、分时段入园。\n</body></doc>";
        assert_eq!(detect("news/1.xml", one), Some(RecordFormat::Xml));
        let records = read(RecordFormat::Xml, one);
        assert_eq!(records.records.len(), 1);
        let record = &records.records[0];
        assert_eq!(record.date.as_deref(), Some("2020-4-1 9:05:00"));
        assert_eq!(
            body(record),
            "中新网4月1日电　多地旅游景区近日有序恢复开放。\n\t游客需提前预约、分时段入园。"
        );
    }

    #[test]
    fn jsonl_with_user_field_names_reports_a_broken_line_and_reads_the_rest() {
        let jsonl = concat!(
            r#"{"headline_cn": "成都大运会志愿者招募启动", "正文": "成都大运会志愿者招募10日启动，计划招募2万人。", "pub": "2023-03-10 10:00", "media": "成都日报", "link": "https://cd.example.cn/1"}"#,
            "\n",
            r#"{"headline_cn": "重庆轨道交通18号线开通", "正文": "重庆轨道交通18号线今日开通"#,
            "\n\n",
            r#"{"headline_cn": "贵州村超总决赛举行", "正文": ["贵州榕江“村超”总决赛昨晚举行。", "现场观众超过5万人。"], "pub": 1690156800, "media": {"name": "贵州日报"}}"#,
            "\n"
        );
        assert_eq!(
            detect("dump/2023-03.jsonl", jsonl),
            Some(RecordFormat::JsonLines)
        );
        let fields = FieldMap::parse("title=headline_cn, date=pub ,source=media").expect("valid");
        let records = read_records(
            RecordFormat::JsonLines,
            jsonl.as_bytes(),
            Some(jsonl),
            &fields,
        )
        .expect("read");
        assert_eq!(records.problems.len(), 1, "{:?}", records.problems);
        assert!(
            records.problems[0].starts_with("record 2 (line 2): not JSON ("),
            "{}",
            records.problems[0]
        );
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(first.n, 1);
        assert_eq!(first.title.as_deref(), Some("成都大运会志愿者招募启动"));
        assert_eq!(first.date.as_deref(), Some("2023-03-10 10:00"));
        assert_eq!(first.source.as_deref(), Some("成都日报"));
        assert_eq!(first.url.as_deref(), Some("https://cd.example.cn/1"));
        let third = &records.records[1];
        assert_eq!(third.n, 3, "the broken line keeps its number");
        assert_eq!(third.date.as_deref(), Some("1690156800"));
        assert_eq!(third.source.as_deref(), Some("贵州日报"));
        assert_eq!(
            body(third),
            "贵州榕江“村超”总决赛昨晚举行。\n现场观众超过5万人。"
        );
    }

    #[test]
    fn ninjs_array_takes_headline_body_and_date() {
        let ninjs = r#"[
 {"uri": "https://tw.example.com/20030502/A1/", "standard": {"name": "ninjs", "version": "2.1"},
  "firstcreated": "2003-05-02", "versioncreated": "2022-10-07", "type": "text",
  "headlines": [{"role": "main", "value": "台北捷運新線通車｜示例日報"}],
  "subjects": [{"name": "local"}],
  "bodies": [{"role": "main", "value": "\n\n台北捷運新線今天上午通車。\n\n首日搭乘人次超過三萬。"}],
  "by": "王小明"},
 {"uri": "https://tw.example.com/20030502/A2/", "firstcreated": "2003-05-02",
  "headlines": [{"role": "main", "value": "高雄港貨櫃量創新高"}],
  "bodies": [{"role": "main", "value": "高雄港四月貨櫃裝卸量創歷年新高。"}], "by": ""}
]"#;
        assert_eq!(
            detect("dataset/2003-05-02.json", ninjs),
            Some(RecordFormat::Json)
        );
        let records = read(RecordFormat::Json, ninjs);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("台北捷運新線通車｜示例日報"));
        assert_eq!(first.date.as_deref(), Some("2003-05-02"));
        assert_eq!(
            first.url.as_deref(),
            Some("https://tw.example.com/20030502/A1/")
        );
        assert_eq!(first.author.as_deref(), Some("王小明"));
        assert_eq!(
            body(first),
            "台北捷運新線今天上午通車。\n\n首日搭乘人次超過三萬。"
        );
        assert_eq!(records.records[1].author, None);
    }

    #[test]
    fn json_object_with_an_articles_array() {
        let json = r#"{"date": "2024-06-12", "count": 2, "articles": [
  {"title": "午评：沪指半日涨0.8%", "url": "http://finance.example.cn/1.shtml", "publish_time": "2024-06-12 11:35",
   "source": "示例经济网", "reporter": "", "content": ["沪指早盘高开。", "截至午间收盘，沪指涨0.8%。"],
   "content_text": "沪指早盘高开。\n截至午间收盘，沪指涨0.8%。", "word_count": 25},
  {"title": "两部门部署夏粮收购", "url": "http://finance.example.cn/2.shtml", "publish_time": "2024-06-12 20:10",
   "source": "新华社", "content": ["国家发展改革委等两部门部署今年夏粮收购工作。"], "content_text": ""}
]}"#;
        assert_eq!(
            detect("raw/2024-06-12.json", json),
            Some(RecordFormat::Json)
        );
        let records = read(RecordFormat::Json, json);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("午评：沪指半日涨0.8%"));
        assert_eq!(first.date.as_deref(), Some("2024-06-12 11:35"));
        assert_eq!(first.source.as_deref(), Some("示例经济网"));
        assert_eq!(first.author, None);
        assert_eq!(body(first), "沪指早盘高开。\n截至午间收盘，沪指涨0.8%。");
        // An empty content_text does not hide the paragraphs in content.
        assert_eq!(
            body(&records.records[1]),
            "国家发展改革委等两部门部署今年夏粮收购工作。"
        );
    }

    #[test]
    fn json_wrapped_in_javascript_is_json_records() {
        let object = r#"{"status": "ok", "articles": [
  {"source": {"id": null, "name": "示例日报"}, "author": null, "title": "秋粮收购进度过半",
   "description": "各地秋粮收购工作有序推进。", "url": "http://news.example.cn/1.html",
   "publishedAt": "2021-10-18T03:15:00Z", "content": null}]}"#;
        for wrapped in [
            format!("news_cn = {object}"),
            format!("var data = {object};\n"),
            format!("window.__DATA__={object};"),
            format!("/**/ jsonp_cb_12({object});"),
            format!(
                "callback ( [{}] )",
                r#"{"title": "一条", "content": "正文。"}"#
            ),
        ] {
            assert_eq!(
                detect("api/latest.js", &wrapped),
                Some(RecordFormat::Json),
                "{wrapped}"
            );
            let records = read(RecordFormat::Json, &wrapped);
            assert_eq!(records.records.len(), 1, "{wrapped}");
        }
        let records = read(RecordFormat::Json, &format!("news_cn = {object}"));
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("秋粮收购进度过半"));
        assert_eq!(first.source.as_deref(), Some("示例日报"));
        assert_eq!(first.date.as_deref(), Some("2021-10-18T03:15:00Z"));
        assert_eq!(body(first), "各地秋粮收购工作有序推进。");
        // Code that is not one assignment of a literal stays a text file.
        for code in [
            "a = b + 1;",
            "if (x) { y(); }",
            "foo = {not json};",
            "2 = {}",
        ] {
            assert_eq!(detect("app.js", code), None, "{code}");
        }
    }

    #[test]
    fn search_api_records_lose_highlight_tags_and_take_the_credited_outlet() {
        let json = r#"{"code": "0", "data": {"records": [
  {"title": "多地推进<em>秋粮</em>收购", "content": "今年<em>秋粮</em>收购进度快于去年。<b>各地</b>加强调度。",
   "displayTime": 1604441521000, "originalName": "新华网", "source": 1, "belongsName": "国内"},
  {"title": "<span class=\"hl\">冬储</span>白菜上市", "intro": "北方冬储白菜集中上市。",
   "ctime": 1538086855, "media_name": "示例晚报", "source": 2}]}}"#;
        let records = read(RecordFormat::Json, json);
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("多地推进秋粮收购"));
        assert_eq!(body(first), "今年秋粮收购进度快于去年。各地加强调度。");
        assert_eq!(first.source.as_deref(), Some("新华网"));
        assert_eq!(first.date.as_deref(), Some("1604441521000"));
        let second = &records.records[1];
        assert_eq!(second.title.as_deref(), Some("冬储白菜上市"));
        assert_eq!(body(second), "北方冬储白菜集中上市。");
        assert_eq!(second.source.as_deref(), Some("示例晚报"));
        assert_eq!(second.date.as_deref(), Some("1538086855"));
        // A body written in HTML keeps its block markup for the page reader.
        assert_eq!(
            strip_inline_tags("<p>甲<em>乙</em></p><a href=\"/x\">丙</a>", false),
            "<p>甲乙</p><a href=\"/x\">丙</a>"
        );
        // Words in angle brackets that are no HTML tag stay.
        assert_eq!(
            strip_inline_tags("<Nature>杂志 <br> a<b", true),
            "<Nature>杂志 <br> a<b"
        );
    }

    #[test]
    fn csv_reads_quoted_multiline_cells_and_reports_a_broken_row() {
        let csv = "id,标题,内容,发布时间,来源\n\
            1,南京长江五桥通车,\"南京长江五桥今天正式通车。\n大桥全长10.33公里，双向六车道。\",2020-12-24,新华日报\n\
            2,苏州工业园区,新增外资项目,数量,2021-01-05,苏州日报\n\
            3,\"无锡太湖湾科创带建设提速\",\"无锡太湖湾科创带,今年计划实施重大项目１００个。\",2021-03-02,无锡日报\n";
        assert_eq!(detect("news.csv", csv), Some(RecordFormat::Csv));
        let records = read(RecordFormat::Csv, csv);
        assert_eq!(records.records.len(), 2);
        assert_eq!(
            records.problems,
            vec!["record 2 (line 4): 6 cells where the header has 5".to_string()]
        );
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("南京长江五桥通车"));
        assert_eq!(first.date.as_deref(), Some("2020-12-24"));
        assert_eq!(first.source.as_deref(), Some("新华日报"));
        assert_eq!(
            body(first),
            "南京长江五桥今天正式通车。\n大桥全长10.33公里，双向六车道。"
        );
        let third = &records.records[1];
        assert_eq!(third.n, 3);
        assert_eq!(
            body(third),
            "无锡太湖湾科创带,今年计划实施重大项目１００个。"
        );
    }

    #[test]
    fn csv_name_column_holding_lists_is_not_a_title() {
        let csv = "news_ID,hyperlink,content,name\n\
            1,https://news.example.tw/1,台積電今日召開股東會，董事長致詞。,[]\n\
            2,https://news.example.tw/2,警方破獲跨境詐騙集團。,\"['張三', '李四']\"\n";
        let records = read(RecordFormat::Csv, csv);
        assert_eq!(records.records.len(), 2);
        assert!(records.records.iter().all(|r| r.title.is_none()));
        assert_eq!(
            records.records[0].url.as_deref(),
            Some("https://news.example.tw/1")
        );
    }

    #[test]
    fn tsv_with_a_quote_at_the_start_of_a_cell() {
        let tsv = "title\tdate\ttext\n\
            “一带一路”中欧班列开行超８万列\t2024-05-01\t\"一带一路\"中欧班列累计开行超过８万列。\n\
            黄河流域生态保护新进展\t2024-05-02\t黄河流域生态保护和高质量发展取得新进展。\n";
        assert_eq!(detect("corpus.tsv", tsv), Some(RecordFormat::Tsv));
        let records = read(RecordFormat::Tsv, tsv);
        assert!(records.problems.is_empty(), "{:?}", records.problems);
        assert_eq!(records.records.len(), 2);
        assert_eq!(
            body(&records.records[0]),
            "\"一带一路\"中欧班列累计开行超过８万列。"
        );
        assert_eq!(records.records[1].date.as_deref(), Some("2024-05-02"));
    }

    fn warc_record(kind: &str, id: usize, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\n\
             WARC-Date: 2024-05-10T08:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    const PAGE_ONE: &str = "<!DOCTYPE html><html><head><title>合肥发布新能源汽车产业规划</title></head><body><p>合肥市今天发布新能源汽车产业规划。</p></body></html>";
    const PAGE_TWO: &str = "<html><body><h1>芜湖港集装箱吞吐量增长</h1><p>芜湖港一季度集装箱吞吐量同比增长12%。</p></body></html>";

    /// warcinfo, request, two responses (the second chunked), then a response cut off.
    fn warc_members() -> Vec<Vec<u8>> {
        let info = warc_record(
            "warcinfo",
            1,
            "",
            "application/warc-fields",
            b"software: test\r\nformat: WARC File Format 1.0\r\n",
        );
        let request = warc_record(
            "request",
            2,
            "https://news.example.cn/ah/1.html",
            "application/http; msgtype=request",
            b"GET /ah/1.html HTTP/1.1\r\nHost: news.example.cn\r\n\r\n",
        );
        let mut one = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
        one.extend_from_slice(PAGE_ONE.as_bytes());
        let one = warc_record(
            "response",
            3,
            "https://news.example.cn/ah/1.html",
            "application/http; msgtype=response",
            &one,
        );
        let (head, tail) = PAGE_TWO.as_bytes().split_at(20);
        let mut two =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_vec();
        write!(two, "{:x}\r\n", head.len()).unwrap();
        two.extend_from_slice(head);
        write!(two, "\r\n{:x};ext=1\r\n", tail.len()).unwrap();
        two.extend_from_slice(tail);
        two.extend_from_slice(b"\r\n0\r\n\r\n");
        let two = warc_record(
            "response",
            4,
            "<https://news.example.cn/ah/2.html>",
            "application/http; msgtype=response",
            &two,
        );
        let mut three = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        three.extend_from_slice(PAGE_ONE.as_bytes());
        let mut three = warc_record(
            "response",
            5,
            "https://news.example.cn/ah/3.html",
            "application/http; msgtype=response",
            &three,
        );
        three.truncate(three.len() - 60);
        vec![info, request, one, two, three]
    }

    fn check_warc(records: &Records) {
        assert_eq!(records.format, RecordFormat::Warc);
        assert_eq!(records.records.len(), 2, "{:?}", records.problems);
        let first = &records.records[0];
        assert_eq!(
            first.n, 3,
            "its position after the warcinfo and the request, as notes count"
        );
        assert_eq!(
            first.url.as_deref(),
            Some("https://news.example.cn/ah/1.html")
        );
        assert_eq!(first.date, None, "WARC-Date is the crawl date");
        assert_eq!(first.title, None);
        assert_eq!(html(first), PAGE_ONE.as_bytes());
        let second = &records.records[1];
        assert_eq!(second.n, 4);
        assert_eq!(
            second.url.as_deref(),
            Some("https://news.example.cn/ah/2.html")
        );
        assert_eq!(html(second), PAGE_TWO.as_bytes(), "de-chunked");
        assert_eq!(records.problems.len(), 1, "{:?}", records.problems);
        assert!(
            records.problems[0].contains("WARC record 5"),
            "{}",
            records.problems[0]
        );
        assert!(
            records.problems[0].contains("truncated"),
            "{}",
            records.problems[0]
        );
    }

    #[test]
    fn warc_keeps_html_responses_and_reports_the_truncated_record() {
        let members = warc_members();
        let plain: Vec<u8> = members.concat();
        assert_eq!(
            detect_format("crawl/part-0001.warc", &plain, None),
            Some(RecordFormat::Warc)
        );
        check_warc(
            &read_records(RecordFormat::Warc, &plain, None, &FieldMap::default()).expect("read"),
        );

        // The same records written by hand are what the warc crate reads as WARC.
        let whole: Vec<u8> = members[..4].concat();
        let parsed = warc::WarcReader::new(std::io::Cursor::new(&whole)).iter_records();
        assert_eq!(parsed.filter(|r| r.is_ok()).count(), 4);
    }

    #[test]
    fn gzipped_warc_is_read_member_by_member() {
        let mut gz = Vec::new();
        for member in warc_members() {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&member).unwrap();
            gz.extend_from_slice(&encoder.finish().unwrap());
        }
        assert_eq!(
            detect_format("crawl/part-0001.warc.gz", &gz, None),
            Some(RecordFormat::Warc)
        );
        // Named like anything else, the inflated start still says WARC.
        assert_eq!(
            detect_format("crawl/part-0001.bin", &gz, None),
            Some(RecordFormat::Warc)
        );
        check_warc(
            &read_records(RecordFormat::Warc, &gz, None, &FieldMap::default()).expect("read"),
        );

        // A gzip stream cut short: the records before the cut are kept, the cut is reported.
        let cut = &gz[..gz.len() - 30];
        let records =
            read_records(RecordFormat::Warc, cut, None, &FieldMap::default()).expect("read");
        assert_eq!(records.records.len(), 2);
        assert!(!records.problems.is_empty());
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
        assert_eq!(detect_format("a.warc", b"", None), None);
    }

    #[test]
    fn forced_formats_on_the_wrong_content_are_errors_not_panics() {
        let page = "<html><body><p>不是记录文件</p></body></html>";
        let err = read_records(
            RecordFormat::Xml,
            page.as_bytes(),
            Some(page),
            &FieldMap::default(),
        )
        .expect_err("an HTML page");
        assert!(err.contains("HTML page"), "{err}");
        assert!(read_records(
            RecordFormat::Json,
            b"x",
            Some("{\"a\": 1"),
            &FieldMap::default()
        )
        .is_err());
        assert!(read_records(RecordFormat::Csv, b"", None, &FieldMap::default()).is_err());
        let junk = read_records(
            RecordFormat::Warc,
            b"not a warc at all",
            None,
            &FieldMap::default(),
        )
        .expect("read");
        assert!(junk.records.is_empty());
        assert_eq!(junk.problems.len(), 1);
    }

    #[test]
    fn field_map_parses_and_gives_advice() {
        let map = FieldMap::parse("title=Headline, text=body_html,url=Link").expect("valid");
        assert_eq!(map.get(Field::Title), Some("headline"));
        assert_eq!(map.get(Field::Text), Some("body_html"));
        assert_eq!(map.get(Field::Date), None);
        assert!(FieldMap::parse("")
            .expect("empty is fine")
            .get(Field::Title)
            .is_none());
        let err = FieldMap::parse("titel=headline").expect_err("unknown target");
        assert!(
            err.contains("title, text, date, source, url, author"),
            "{err}"
        );
        assert!(FieldMap::parse("title")
            .expect_err("no =")
            .contains("TARGET=FIELD"));
        assert!(FieldMap::parse("title=").is_err());
        assert!(FieldMap::parse("title=a,title=b").is_err());
    }

    #[test]
    fn format_names_round_trip() {
        for format in RecordFormat::ALL {
            assert_eq!(RecordFormat::from_name(format.name()), Some(format));
        }
        assert_eq!(RecordFormat::from_name("SogouCS"), Some(RecordFormat::Xml));
        assert_eq!(RecordFormat::from_name("trec"), Some(RecordFormat::Xml));
        assert_eq!(RecordFormat::from_name("rss"), Some(RecordFormat::Xml));
        assert_eq!(
            RecordFormat::from_name("ndjson"),
            Some(RecordFormat::JsonLines)
        );
        assert_eq!(RecordFormat::from_name("html"), None);
    }

    #[test]
    fn the_field_table_names_every_target() {
        let synonyms = synonyms();
        for field in Field::ALL {
            assert!(
                synonyms
                    .by_name
                    .values()
                    .flatten()
                    .any(|(f, _)| *f == field),
                "data/record-fields.tsv has no names for {}",
                field.name()
            );
        }
        assert_eq!(
            synonyms.rank("dc:date", Field::Date),
            synonyms.rank("date", Field::Date)
        );
        assert_eq!(
            synonyms.rank("publish_time", Field::Date),
            synonyms.rank(&normalise_key("Publish Time"), Field::Date)
        );
        assert!(synonyms
            .rank("name", Field::Title)
            .is_some_and(|r| r >= LAST_RESORT));
    }

    #[test]
    fn private_use_characters_inside_words_are_kept() {
        // A rare hanzi mapped to the private-use area stays; SogouCS's separator always breaks.
        let text = "村民\u{E816}先生说，今年收成好。\u{E40C}合作社将扩大规模。";
        assert_eq!(
            body_text(text),
            "村民\u{E816}先生说，今年收成好。\n合作社将扩大规模。"
        );
        // An unknown private-use character used like SogouCS's separator is one too.
        let text = "第一段。\u{E5E5}第二段。\u{E5E5}第三段！\u{E5E5}第四段。";
        assert_eq!(body_text(text), "第一段。\n第二段。\n第三段！\n第四段。");
    }

    proptest::proptest! {
        #[test]
        fn no_input_makes_the_reader_panic(text in "[<>/a-z\\[\\]{}\",:\t\n&#;!?-]{0,200}") {
            let _ = detect_format("x.xml", text.as_bytes(), Some(&text));
            for format in RecordFormat::ALL {
                let _ = read_records(format, text.as_bytes(), Some(&text), &FieldMap::default());
            }
        }

        #[test]
        fn no_bytes_make_the_warc_reader_panic(mut bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = read_records(RecordFormat::Warc, &bytes, None, &FieldMap::default());
            let mut warc = b"WARC/1.0\r\nContent-Length: 40\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            warc.append(&mut bytes);
            let _ = read_records(RecordFormat::Warc, &warc, None, &FieldMap::default());
        }
    }
}
