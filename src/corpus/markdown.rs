//! Markdown and plain-text posts: the markup a reader never sees, YAML front matter, and day
//! transcripts (a programme's or a paper's day in one file, a `##` heading per item).
//!
//! ```text
//! decode -> markdown (front matter, day items) -> clean (markup stripped line by line)
//!        -> split -> article
//! ```
//!
//! Nothing here decides a date or a source: front matter and a transcript's title line say
//! what they say in a [`Known`], and `article` weighs it as it weighs a page's metadata.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use crate::corpus::article::Known;
use crate::corpus::fields::{self, FieldMap};

/// A line as a reader sees it: Markdown's `# ` headings, `> ` quotes, list bullets, `---`
/// rules, `**bold**`, `[text](url)` links and `![images](url)` are markup, never text. A
/// plain text has none of them, so every text goes through this; a `#话题#` tag, a minus
/// sign (`-5℃`), a masked number (`J10****759`) or a form's blank (`__`) is no markup.
pub fn strip_markup(line: &str) -> Cow<'_, str> {
    if !line.contains(['#', '>', '*', '[', '-', '+']) {
        return Cow::Borrowed(line);
    }
    static RES: OnceLock<[Regex; 5]> = OnceLock::new();
    let [rule, lead, closing, image, link] = RES.get_or_init(|| {
        [
            Regex::new(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$").expect("regex"),
            Regex::new(r"^\s*(?:>\s?)*\s*(?:(#{1,6}\s+|#{2,6})|[-*+]\s+)?").expect("regex"),
            Regex::new(r"\s+#+\s*$").expect("regex"),
            Regex::new(r#"!\[[^\]\n]*\]\([^)\s]*(?:\s+"[^"]*")?\)"#).expect("regex"),
            Regex::new(r#"\[([^\]\n]*)\]\([^)\s]*(?:\s+"[^"]*")?\)"#).expect("regex"),
        ]
    });
    if rule.is_match(line) {
        return Cow::Borrowed("");
    }
    let mut out = Cow::Borrowed(line);
    if let Some(caps) = lead.captures(line) {
        let whole = caps.get(0).map_or(0, |m| m.end());
        if whole > 0 {
            let rest = &line[whole..];
            // `### 標題 ###`: a heading's closing hashes go with it.
            let rest = match caps.get(1) {
                Some(_) => closing.replace(rest, ""),
                None => Cow::Borrowed(rest),
            };
            out = Cow::Owned(rest.into_owned());
        }
    }
    if out.contains("](") {
        let without_images = image.replace_all(&out, "").into_owned();
        out = Cow::Owned(link.replace_all(&without_images, "$1").into_owned());
    }
    if out.contains("**") {
        out = Cow::Owned(strip_strong(&out));
    }
    out
}

/// `**重要**` and `***重要***` -> `重要`: a run of two or three asterisks followed by a
/// non-space opens emphasis, and the next run of the same length after a non-space closes
/// it (as CommonMark reads `*`). Longer runs (`J10****759`) are text.
fn strip_strong(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'*' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'*' {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let space_at = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_none_or(u8::is_ascii_whitespace)
    };
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let (start, end) = runs[k];
        let len = end - start;
        let opens = (2..=3).contains(&len) && !space_at(Some(end));
        let close = opens
            .then(|| {
                runs[k + 1..]
                    .iter()
                    .position(|&(s, e)| e - s == len && !space_at(s.checked_sub(1)))
            })
            .flatten();
        match close {
            Some(offset) => {
                drop.push(runs[k]);
                drop.push(runs[k + 1 + offset]);
                k += offset + 2;
            }
            None => k += 1,
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in drop {
        out.push_str(&text[last..start]);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// A text that opens with YAML front matter (`---` lines around `title: …`, `date: …`, as
/// static-site archives and Markdown exports write): what it says, and the text after it
/// (Markdown, or an HTML fragment).
pub fn front_matter<'t>(text: &'t str, fields: &FieldMap) -> Option<(Known, &'t str)> {
    let rest = text.trim_start_matches('\u{FEFF}').strip_prefix("---")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let end = rest.find("\n---")?;
    let (head, body) = (&rest[..end], &rest[end + 4..]);
    let body = body.split_once('\n').map_or("", |(_, b)| b);
    let mut known = Known::default();
    for line in head.lines() {
        // Only top-level `key: value` pairs; lists and nested maps are not article fields.
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if key.starts_with([' ', '\t', '-']) {
            continue;
        }
        let value = value.trim().trim_matches(['"', '\'']).trim().to_string();
        if value.is_empty() {
            continue;
        }
        match fields::field_of_key(key.trim(), fields) {
            Some(fields::Field::Title) if known.title.is_none() => {
                known.title = Some((value, "record"))
            }
            Some(fields::Field::Date) => known.dates.push(value),
            Some(fields::Field::Source) => known.sources.push(value),
            // An author that is an outlet (中央社) is who the post credits.
            Some(fields::Field::Author)
                if crate::facets::source::sources().credited(&value).is_some() =>
            {
                known.sources.push(value)
            }
            Some(fields::Field::Url) if known.url.is_none() => known.url = Some(value),
            _ => {}
        }
    }
    Some((known, body))
}

/// A day transcript: one file for a programme's or a paper's day (`# 《新闻联播》（20220328）`,
/// `2024年5月10日 晚间新闻`), its items under `##` headings. Each item is an article with its
/// heading as title, its text as body, and the day and the programme of the title line.
pub struct DayTranscript {
    /// The title line's date (as a title date) and programme (as a source).
    pub known: Known,
    /// Each item's heading and text.
    pub items: Vec<(String, String)>,
}

/// The items of a day transcript, or None for any other text: the first line must carry a
/// date and at least two `##` headings must follow.
pub fn day_transcript(text: &str) -> Option<DayTranscript> {
    let mut lines = text.trim_start_matches('\u{FEFF}').lines();
    let first = lines.by_ref().map(str::trim).find(|l| !l.is_empty())?;
    if first.starts_with("##") {
        return None;
    }
    let title_line = strip_markup(first).trim().to_string();
    crate::facets::date::title_date(&title_line)?;
    let mut items: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in lines {
        if let Some(heading) = item_heading(line) {
            items.extend(current.take());
            current = Some((heading, String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    items.extend(current);
    if items.len() < 2 {
        return None;
    }
    let mut known = Known {
        title_dates: vec![title_line.clone()],
        ..Known::default()
    };
    known.sources.extend(programme(&title_line));
    Some(DayTranscript { known, items })
}

/// `## 标题` (two hashes): an item's heading. Deeper headings stay inside their item.
fn item_heading(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("##")?;
    if rest.starts_with('#') {
        return None;
    }
    let heading = strip_markup(rest.trim()).trim().to_string();
    (!heading.is_empty()).then_some(heading)
}

/// The programme or paper a title line names in 《》 (`《新闻联播》（20220328）` -> 新闻联播).
fn programme(title_line: &str) -> Option<String> {
    let start = title_line.find('《')? + '《'.len_utf8();
    let end = start + title_line[start..].find('》')?;
    let name = title_line[start..end].trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_markup_is_not_text() {
        for (line, want) in [
            ("# 《新闻联播》（20220328）", "《新闻联播》（20220328）"),
            ("## 国务院常务会议部署稳就业", "国务院常务会议部署稳就业"),
            ("##春耕生产有序推进", "春耕生产有序推进"),
            ("> 记者从广东省气象局获悉", "记者从广东省气象局获悉"),
            ("- 广州：地铁加密班次", "广州：地铁加密班次"),
            ("* 深圳：学校停课一天", "深圳：学校停课一天"),
            (
                "**重要提醒**：台风将于今晚登陆",
                "重要提醒：台风将于今晚登陆",
            ),
            (
                "详见[广东省应急管理厅](https://example.gov.cn/a)发布的通知",
                "详见广东省应急管理厅发布的通知",
            ),
            (
                "![珠江口的渔船](https://example.cn/p.jpg)渔船返港",
                "渔船返港",
            ),
            ("***作者为退休工程师***", "作者为退休工程师"),
            ("### 省略内文 ###", "省略内文"),
            ("**香港岛** **九龙西**", "香港岛 九龙西"),
            ("---", ""),
            // Not markup
            ("#湖南暴雨#话题阅读量破亿", "#湖南暴雨#话题阅读量破亿"),
            (
                "-5℃的清晨，哈尔滨冰雪大世界开园",
                "-5℃的清晨，哈尔滨冰雪大世界开园",
            ),
            ("[图]成都大运会开幕", "[图]成都大运会开幕"),
            ("身份证号__、住所：__", "身份证号__、住所：__"),
            (
                "身份证号J10****759号及J10****820号",
                "身份证号J10****759号及J10****820号",
            ),
            ("5 ** 2 等于 25", "5 ** 2 等于 25"),
            (
                "**南宁至崇左城际铁路**27日开通",
                "南宁至崇左城际铁路27日开通",
            ),
        ] {
            assert_eq!(strip_markup(line), want, "{line}");
        }
    }

    #[test]
    fn a_day_transcript_is_its_items() {
        let text = "# 《新闻联播》（20220328）\n更新时间：2023-10-01 08:00\n\n## 河南：小麦春管进入关键期\n河南各地抢抓农时。\n\n## 浙江：数字经济核心产业增加值增长\n浙江省统计局发布数据。\n";
        let day = day_transcript(text).expect("a transcript");
        assert_eq!(day.items.len(), 2);
        assert_eq!(day.items[0].0, "河南：小麦春管进入关键期");
        assert!(day.items[1].1.contains("浙江省统计局"));
        assert_eq!(day.known.sources, ["新闻联播"]);
        // No date on the first line, or one heading: an ordinary text.
        assert!(day_transcript("# 新闻摘要\n## 甲地\n正文\n## 乙地\n正文\n").is_none());
        assert!(day_transcript("# 2024年5月10日新闻\n## 只有一条\n正文\n").is_none());
    }
}
