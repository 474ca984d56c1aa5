//! JSON and JSON Lines record files: an array of articles, a wrapper object holding one
//! (`{date, articles: [...]}`, JSON Feed, a search API's `{data: {list: [...]}}`), IPTC
//! ninjs, one article object, JSON wrapped in JavaScript (`var data = {...};`, JSONP); and
//! one JSON object a line.

use serde_json::{Map, Value};

use super::record::{assemble, FieldValue, Record};
use super::{FileFormat, Format, Found, Input, Kind, Probe};
use crate::corpus::fields::{field_rank, normalise_key, Field, FieldMap, LAST_RESORT};
use crate::corpus::FileProblem;

/// A JSON document of articles.
pub struct Json;

/// One JSON object a line.
pub struct JsonLines;

impl FileFormat for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn kind(&self) -> Kind {
        Kind::Records
    }

    /// A document that parses as JSON (or JSON inside a JavaScript statement) and holds
    /// articles.
    fn detect(&self, probe: &Probe) -> bool {
        let value = match probe.first_char() {
            Some('[' | '{') => probe.json(),
            Some('<') | None => None,
            Some(_) => probe.javascript_json(),
        };
        value.is_some_and(|v| find_article_list(v, probe.fields, 0).is_some_and(|l| !l.is_empty()))
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        let (records, problems) =
            read_json(input.text(self)?, input.fields).map_err(FileProblem::Records)?;
        Ok(input.records(self, records, problems))
    }
}

impl FileFormat for JsonLines {
    fn name(&self) -> &'static str {
        "jsonl"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["jsonlines", "json-lines", "ndjson"]
    }

    fn kind(&self) -> Kind {
        Kind::Records
    }

    /// A text that starts like JSON, is not one JSON document, and whose lines are.
    fn detect(&self, probe: &Probe) -> bool {
        matches!(probe.first_char(), Some('[' | '{'))
            && probe.json().is_none()
            && looks_like_json_lines(probe.trimmed(), probe.fields)
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        let (records, problems) =
            read_json_lines(input.text(self)?, input.fields).map_err(FileProblem::Records)?;
        Ok(input.records(self, records, problems))
    }
}

/// `--format json`.
pub const JSON: Format = Format(&Json);
/// `--format jsonl`.
pub const JSON_LINES: Format = Format(&JsonLines);

/// The JSON inside a JavaScript wrapper: `name = {…}`, `var name = […];`,
/// `window.data = {…}`, a JSONP call `callback({…});` (API responses saved as `.js`). None
/// when the text is not one such statement around an object or array.
pub(crate) fn unwrap_javascript(text: &str) -> Option<&str> {
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

type ReadResult = Result<(Vec<Record>, Vec<String>), String>;

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

#[cfg(test)]
mod tests {
    use super::super::record::strip_inline_tags;
    use super::super::testing::*;
    use super::*;

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
        assert_eq!(detect("dump/2023-03.jsonl", jsonl), Some(JSON_LINES));
        let fields = FieldMap::parse("title=headline_cn, date=pub ,source=media").expect("valid");
        let records =
            read_records(JSON_LINES, jsonl.as_bytes(), Some(jsonl), &fields).expect("read");
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
        assert_eq!(detect("dataset/2003-05-02.json", ninjs), Some(JSON));
        let records = read(JSON, ninjs);
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
        assert_eq!(detect("raw/2024-06-12.json", json), Some(JSON));
        let records = read(JSON, json);
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
            assert_eq!(detect("api/latest.js", &wrapped), Some(JSON), "{wrapped}");
            let records = read(JSON, &wrapped);
            assert_eq!(records.records.len(), 1, "{wrapped}");
        }
        let records = read(JSON, &format!("news_cn = {object}"));
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
        let records = read(JSON, json);
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
}
