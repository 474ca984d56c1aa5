//! Dates: the publication date of an article and where it came from. A page's metadata
//! (`<meta>`, JSON-LD, a record's date field) comes first, then its header (a date line,
//! `发布时间:`, `时间:`, `日期:`, never events in the body), then the URL
//! (`/20240612/`, `/2016-03/19/`, `t20240510_`), then the file's path
//! (`rmrb-199801-0001.txt`, `2024/03/14/`), each at the precision it has. A dateline with
//! month and day only (`本报北京１月２９日电`) takes its year from the path when the month
//! agrees. Also the date arguments of filters (`2024`, `2024-03`, `2024-03-14`).
//!
//! Forms read: ISO 8601, `2016/03/19 08:15`, `2024年05月10日 19:35`, full-width digits, the
//! ROC calendar (`民國107年3月13日` = 2018), English month names (`March 13, 2018`,
//! `Tue, 13 Mar 2018 10:00:00 GMT`) and Unix timestamps in record fields.

use std::fmt;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Serialize;

use super::Evidence;
use crate::text::normalize::normalize_str;
use crate::text::tokenize::is_cjk;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days in a month (0 for a month that is not one); calendar arithmetic is the `time` crate's.
fn days_in_month(year: i32, month: u32) -> u32 {
    u8::try_from(month)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .map_or(0, |m| u32::from(m.length(year)))
}

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

impl Date {
    /// A valid date, or None (2024-02-30 is not one).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1900..=2100).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for the index's date field.
    pub fn days_since_epoch(&self) -> i64 {
        let month = time::Month::try_from(self.month as u8).expect("a Date has a valid month");
        let date = time::Date::from_calendar_date(self.year, month, self.day as u8)
            .expect("a Date is a valid date");
        i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
    }

    /// The date so many days after 1970-01-01 (clamped to the calendar `time` knows).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let julian = (days + UNIX_EPOCH_JULIAN_DAY).clamp(
            i64::from(time::Date::MIN.to_julian_day()),
            i64::from(time::Date::MAX.to_julian_day()),
        ) as i32;
        let date = time::Date::from_julian_day(julian).expect("a Julian day in range");
        Date {
            year: date.year(),
            month: u8::from(date.month()) as u32,
            day: u32::from(date.day()),
        }
    }

    /// `2024-03`, the month facet value.
    pub fn month_key(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// How much of a publication date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
    Year,
}

impl Precision {
    pub fn name(&self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }

    pub fn from_name(name: &str) -> Precision {
        match name {
            "month" => Precision::Month,
            "year" => Precision::Year,
            _ => Precision::Day,
        }
    }
}

/// Where a publication date was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateFrom {
    /// The headline or the file's title line (`《新闻联播》（20220328）`).
    Title,
    /// The page's or record's metadata: `<meta>`, JSON-LD, `<time>`, a record's date field.
    Meta,
    /// A date line or dateline in the text.
    Text,
    /// The article's URL.
    Url,
    /// The file's path or name.
    Path,
}

impl DateFrom {
    pub fn name(&self) -> &'static str {
        match self {
            DateFrom::Title => "title",
            DateFrom::Meta => "meta",
            DateFrom::Text => "text",
            DateFrom::Url => "url",
            DateFrom::Path => "path",
        }
    }

    pub fn from_name(name: &str) -> Option<DateFrom> {
        Some(match name {
            "title" => DateFrom::Title,
            "meta" => DateFrom::Meta,
            "text" => DateFrom::Text,
            "url" => DateFrom::Url,
            "path" => DateFrom::Path,
            _ => return None,
        })
    }
}

/// A publication date: the calendar date (the first day of the month or year when that is
/// all that is known), its precision and its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PubDate {
    pub date: Date,
    pub precision: Precision,
    pub from: DateFrom,
}

impl fmt::Display for PubDate {
    /// `2024-03-14`, `1998-01` or `2024`, as precise as it is known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date;
        match self.precision {
            Precision::Day => write!(f, "{d}"),
            Precision::Month => write!(f, "{:04}-{:02}", d.year, d.month),
            Precision::Year => write!(f, "{:04}", d.year),
        }
    }
}

fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // 2024-03-14, 2024/3/14, 2024.03.14, 2024年3月14日, and the typo form 2024月03月14日;
        // an optional time follows. Digits are already half width (normalised text).
        Regex::new(
            r"(?x)
            (?P<y>(?:19|20)\d{2}) \s* (?:[-/.]|年|月) \s* (?P<m>\d{1,2}) \s* (?:[-/.]|月) \s* (?P<d>\d{1,2}) (?:\s*日)?
            (?: \s* (?:\d{1,2}:\d{2}(?::\d{2})?) )?",
        )
        .expect("date regex")
    })
}

/// Finds the first full date (with a year) in normalised text, with its byte range: the
/// Gregorian forms, then the ROC calendar, then English month names.
pub fn find_date(text: &str) -> Option<(Date, std::ops::Range<usize>)> {
    find_gregorian(text)
        .or_else(|| find_roc(text))
        .or_else(|| find_english(text))
}

fn find_gregorian(text: &str) -> Option<(Date, std::ops::Range<usize>)> {
    for caps in date_regex().captures_iter(text) {
        let whole = caps.get(0)?;
        // A digit right before the year means a longer number (a phone or an id), not a date.
        if text[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        let year = caps["y"].parse().ok()?;
        let month = caps["m"].parse().ok()?;
        let day = caps["d"].parse().ok()?;
        if let Some(date) = Date::new(year, month, day) {
            return Some((date, whole.range()));
        }
    }
    None
}

/// `民國107年3月13日`, `民国107年3月13日`, and `107年3月13日` at the start of a line (Taiwan
/// pages print the ROC year alone in date lines): year + 1911.
fn find_roc(text: &str) -> Option<(Date, std::ops::Range<usize>)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:民[国國]\s*(?P<y1>\d{2,3})|^\s*(?P<y2>\d{2,3}))\s*[年/.-]\s*(?P<m>\d{1,2})\s*[月/.-]\s*(?P<d>\d{1,2})")
            .expect("roc regex")
    });
    for caps in re.captures_iter(text) {
        let whole = caps.get(0)?;
        let y: i32 = caps.name("y1").or(caps.name("y2"))?.as_str().parse().ok()?;
        // The bare form needs 年 (107/3/13 could be anything).
        if caps.name("y2").is_some() && !whole.as_str().contains('年') {
            continue;
        }
        let (m, d) = (caps["m"].parse().ok()?, caps["d"].parse().ok()?);
        if let Some(date) = Date::new(y + 1911, m, d) {
            return Some((date, whole.range()));
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_of_english(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| w.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// `March 13, 2018`, `Mar. 13 2018`, `13 March 2018`, `Tue, 13 Mar 2018 10:00:00 GMT`.
fn find_english(text: &str) -> Option<(Date, std::ops::Range<usize>)> {
    // A date needs a month's name (`month_of_english`); most Chinese text has none, and the
    // regex's Unicode word boundaries make it slow to say so.
    static ANY_MONTH: OnceLock<AhoCorasick> = OnceLock::new();
    let any_month = ANY_MONTH.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(MONTHS)
            .expect("month names")
    });
    if !any_month.is_match(text) {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:(?P<m1>[a-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d{2})|(?P<d2>\d{1,2})\s+(?P<m2>[a-z]{3,9})\.?,?\s+(?P<y2>(?:19|20)\d{2}))\b")
            .expect("english date regex")
    });
    for caps in re.captures_iter(text) {
        let whole = caps.get(0)?;
        let (m, d, y) = match (caps.name("m1"), caps.name("m2")) {
            (Some(m), _) => (m, caps.name("d1")?, caps.name("y1")?),
            (_, Some(m)) => (m, caps.name("d2")?, caps.name("y2")?),
            _ => continue,
        };
        let Some(month) = month_of_english(m.as_str()) else {
            continue;
        };
        if let Some(date) = Date::new(y.as_str().parse().ok()?, month, d.as_str().parse().ok()?) {
            return Some((date, whole.range()));
        }
    }
    None
}

/// The day a title line is written for: any full date [`find_date`] reads, or the compact
/// `20220328` programmes and papers print (`《新闻联播》（20220328）`).
pub fn title_date(line: &str) -> Option<Date> {
    let text = crate::text::normalize::normalize_str(line.trim());
    if let Some((date, _)) = find_date(&text) {
        return Some(date);
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:^|\D)((?:19|20)\d{2})(\d{2})(\d{2})(?:\D|$)").expect("compact date regex")
    });
    re.captures_iter(&text)
        .find_map(|c| Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))
}

/// A date as a page's metadata or a record's field gives it: any form [`find_date`] reads,
/// a Unix timestamp (seconds or milliseconds), or a month or year alone (`2024-03`,
/// `2024年3月`, `2024`).
pub fn parse_date_text(raw: &str) -> Option<(Date, Precision)> {
    let text = crate::text::normalize::normalize_str(raw.trim());
    if text.is_empty() {
        return None;
    }
    if text.len() >= 9 && text.len() <= 13 && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().ok()?;
        let secs = if text.len() == 13 { n / 1000 } else { n };
        // The day in China (UTC+8, also Hong Kong's, Macao's and Taiwan's), where the
        // articles are published: 22:20 UTC is the next morning there.
        let date = Date::from_days_since_epoch((secs + 8 * 3600).div_euclid(86_400));
        return Date::new(date.year, date.month, date.day).map(|d| (d, Precision::Day));
    }
    if let Some(date) = zoned_date(&text) {
        return Some((date, Precision::Day));
    }
    if let Some((date, _)) = find_date(&text) {
        return Some((date, Precision::Day));
    }
    static PARTIAL: OnceLock<Regex> = OnceLock::new();
    let partial = PARTIAL.get_or_init(|| {
        Regex::new(
            r"^\s*(?P<y>(?:19|20)\d{2})\s*(?:(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*月?)?\s*(?:年)?\s*$",
        )
        .expect("partial date regex")
    });
    let caps = partial.captures(&text)?;
    let year = caps["y"].parse().ok()?;
    match caps.name("m") {
        Some(m) => Date::new(year, m.as_str().parse().ok()?, 1).map(|d| (d, Precision::Month)),
        None => Date::new(year, 1, 1).map(|d| (d, Precision::Year)),
    }
}

/// An ISO time with a zone (`2023-04-06T16:13:44.000Z`, `2019-03-27T23:30:00-05:00`) as the
/// day it was in China, Hong Kong and Taiwan (UTC+8), where the news this tool reads is
/// published: 16:13 UTC on 6 April is 7 April there.
fn zoned_date(text: &str) -> Option<Date> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$")
            .expect("zoned date regex")
    });
    let caps = re.captures(text.trim())?;
    let date = Date::new(
        caps[1].parse().ok()?,
        caps[2].parse().ok()?,
        caps[3].parse().ok()?,
    )?;
    let (h, m): (i64, i64) = (caps[4].parse().ok()?, caps[5].parse().ok()?);
    let zone = &caps[6];
    let offset = if zone.eq_ignore_ascii_case("z") {
        0
    } else {
        let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        let minutes = digits[..2].parse::<i64>().ok()? * 60 + digits[2..].parse::<i64>().ok()?;
        if zone.starts_with('-') {
            -minutes
        } else {
            minutes
        }
    };
    let china = date.days_since_epoch() * 1440 + h * 60 + m - offset + 8 * 60;
    Some(Date::from_days_since_epoch(china.div_euclid(1440)))
}

/// The date a URL or a file path carries: `/20120612/`, `t20240510_`, `/2016-03/19/`,
/// `/2024/0314/`, `2024/03/14/`, `20190917000619` (with the time); a month alone
/// (`rmrb-199801-0001.txt`, `/2024-03/`, `2024/03/`) or a year folder (`/2024/`).
pub fn date_in_path(path: &str) -> Option<(Date, Precision)> {
    static RES: OnceLock<[Regex; 3]> = OnceLock::new();
    let [day, month, year] = RES.get_or_init(|| {
        [
            Regex::new(r"(?:^|[^0-9])(?P<y>(?:19|20)\d{2})[-_/.]?(?P<m>0[1-9]|1[0-2])[-_/.]?(?P<d>0[1-9]|[12]\d|3[01])(?P<rest>\d*)")
                .expect("path day regex"),
            Regex::new(r"(?:^|[^0-9])(?P<y>(?:19|20)\d{2})[-_/.]?(?P<m>0[1-9]|1[0-2])(?:[^0-9]|$)")
                .expect("path month regex"),
            Regex::new(r"(?:^|/)(?P<y>(?:19|20)\d{2})/").expect("path year regex"),
        ]
    });
    for caps in day.captures_iter(path) {
        let rest = caps.name("rest").map_or(0, |r| r.as_str().len());
        let separated = match (caps.name("y"), caps.name("d")) {
            (Some(y), Some(d)) => path[y.start()..d.end()].contains(['-', '_', '/', '.']),
            _ => false,
        };
        // Eight digits alone, or followed by a time (hhmm / hhmmss); a longer run of digits
        // is an id that merely starts like a date.
        if !(rest == 0 || (!separated && (rest == 4 || rest == 6))) {
            continue;
        }
        if rest > 0 {
            let r = &caps["rest"];
            let (h, mi): (u32, u32) = (r[..2].parse().ok()?, r[2..4].parse().ok()?);
            if h > 23 || mi > 59 {
                continue;
            }
        }
        let (y, m, d) = (
            caps["y"].parse().ok()?,
            caps["m"].parse().ok()?,
            caps["d"].parse().ok()?,
        );
        if let Some(date) = Date::new(y, m, d) {
            return Some((date, Precision::Day));
        }
    }
    if let Some(caps) = month.captures(path) {
        if let Some(date) = Date::new(caps["y"].parse().ok()?, caps["m"].parse().ok()?, 1) {
            return Some((date, Precision::Month));
        }
    }
    let caps = year.captures(path)?;
    Date::new(caps["y"].parse().ok()?, 1, 1).map(|d| (d, Precision::Year))
}

/// A dateline with month and day but no year at the start of an article's text
/// (`本报北京１月２９日电`, `中新网3月30日电`, `新华社香港６月１２日消息`): (month, day).
pub fn dateline_month_day(first_paragraph: &str) -> Option<(u32, u32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^[(（]?[^，。,;；]{0,24}?(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:\d{1,2}时)?\s*(?:电|讯|消息|报道)")
            .expect("dateline regex")
    });
    let head: String = crate::text::normalize::normalize_str(first_paragraph)
        .chars()
        .take(48)
        .collect();
    let caps = re.captures(&head)?;
    Some((caps["m"].parse().ok()?, caps["d"].parse().ok()?))
}

/// A filter bound as users type it: `2024`, `2024-03`, `2024-03-14` (also `2024/3`,
/// `2024年3月`). `end` picks the last day of a year or month, for `--to`.
pub fn parse_filter_date(text: &str, end: bool) -> crate::Result<Date> {
    let s = crate::text::normalize::normalize_str(text.trim());
    let parts: Vec<&str> = s
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let bad = || {
        crate::Error::user(format!(
            "`{text}` is not a date; write 2024, 2024-03 or 2024-03-14"
        ))
    };
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().map_err(|_| bad()))
        .collect::<crate::Result<_>>()?;
    let date = match nums.as_slice() {
        [y] => Date::new(
            *y as i32,
            if end { 12 } else { 1 },
            if end { 31 } else { 1 },
        ),
        [y, m] => {
            let last = days_in_month(*y as i32, *m);
            Date::new(*y as i32, *m, if end { last } else { 1 })
        }
        [y, m, d] => Date::new(*y as i32, *m, *d),
        _ => None,
    };
    date.ok_or_else(bad)
}

/// A header line of dates and labels, as a page or text prints it above the article (`2024-03-14`, `时间:2024-01-31 来源:新闻联播 分享:`,
/// `发布时间:2024-11-22 10:56:48 来源: sp20241122`): Some(date if any).
pub fn date_line(line: &str) -> Option<Option<Date>> {
    static LABELS: OnceLock<Regex> = OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        Regex::new(r"(原创|发布时间|发表时间|更新时间|发布日期|时间|日期|来源|作者|编辑|责任编辑|责编|浏览次数|浏览|阅读量|阅读|点击数|点击|分享到|分享|字号)\s*[:：]\s*[^\s，,。；;]*")
            .expect("regex")
    });
    let n = normalize_str(line.trim());
    if n.is_empty() || char_len(&n) > 90 || n.contains("原标题") {
        return None;
    }
    let date = find_date(&n);
    let mut rest = match &date {
        Some((_, range)) => format!("{} {}", &n[..range.start], &n[range.end..]),
        None => n.clone(),
    };
    let had_label = labels.is_match(&rest);
    rest = labels.replace_all(&rest, " ").into_owned();
    if date.is_none() && !(had_label && (n.contains("来源") || n.contains("时间"))) {
        return None;
    }
    let cjk = rest.chars().filter(|&c| is_cjk(c)).count();
    let other = rest
        .chars()
        .filter(|c| c.is_alphanumeric() && !is_cjk(*c))
        .count();
    if cjk <= 3 && other <= 12 {
        return Some(date.map(|(d, _)| d));
    }
    // `南方都市报 2024-06-29`, `人民日报 2024年01月05日 第01版`, `原创 数据观察 2025年05月16日
    // 19:30 北京`: a dated line of a few short words (publisher, account, page, place) is a
    // header line too; a sentence that mentions a date is not (it has punctuation or long runs).
    let (d, _) = date?;
    let short_words = rest.split_whitespace().all(|w| char_len(w) <= 8);
    let sentence = rest.contains(['，', ',', '。', '；', ';', '、']);
    (char_len(&n) <= 40 && cjk <= 14 && short_words && !sentence).then_some(Some(d))
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// A dateline with a year (`新华社北京2024年3月14日电`) dates the article; without a year it
/// does not.
fn dateline_date(body: &[String]) -> Option<Date> {
    let first = normalize_str(body.first()?);
    let head: String = first.chars().take(40).collect();
    let (date, range) = find_date(&head)?;
    head[range.end..]
        .trim_start()
        .starts_with('电')
        .then_some(date)
}

/// The date an article's own text gives: its header's date line, else a dateline with a
/// year in its first paragraph.
pub fn text_date(header: &[String], body: &[String]) -> Option<Date> {
    header
        .iter()
        .find_map(|h| date_line(h).flatten())
        .or_else(|| dateline_date(body))
}

/// The publication date of an article, from the evidence most trusted first: metadata, the
/// text's date line or dated dateline, the URL, the file's path. A yearless dateline
/// (`本报北京１月２９日电`) completes a month known from the URL or path.
pub fn publication_date(e: &Evidence) -> Option<PubDate> {
    let day = |date: Date, from| PubDate {
        date,
        precision: Precision::Day,
        from,
    };
    if let Some(date) = e.title_dates.iter().find_map(|t| title_date(t)) {
        return Some(day(date, DateFrom::Title));
    }
    if let Some((date, precision)) = e.meta_dates.iter().find_map(|d| parse_date_text(d)) {
        return Some(PubDate {
            date,
            precision,
            from: DateFrom::Meta,
        });
    }
    if let Some(date) = text_date(e.header, e.body) {
        return Some(day(date, DateFrom::Text));
    }
    let located = e
        .url
        .and_then(date_in_path)
        .map(|(d, p)| (d, p, DateFrom::Url))
        .or_else(|| date_in_path(e.path).map(|(d, p)| (d, p, DateFrom::Path)));
    let (date, precision, from) = located?;
    // `本报北京１月２９日电` under a path of January 1998: 1998-01-29.
    if precision != Precision::Day {
        if let Some((month, d)) = e.body.first().and_then(|p| dateline_month_day(p)) {
            if precision == Precision::Month && month == date.month {
                if let Some(full) = Date::new(date.year, month, d) {
                    return Some(day(full, DateFrom::Text));
                }
            }
        }
    }
    Some(PubDate {
        date,
        precision,
        from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_common_form() {
        for (text, want) in [
            ("2024-03-14", "2024-03-14"),
            ("2024年3月14日", "2024-03-14"),
            ("2024/3/14", "2024-03-14"),
            ("2024.03.14", "2024-03-14"),
            ("2024月03月14日", "2024-03-14"),
            (
                "发布时间:2024-11-22 10:56:48 来源: sp20241122",
                "2024-11-22",
            ),
            ("时间:2024-01-31    来源:新闻联播", "2024-01-31"),
            ("2024年03月14日 08:30", "2024-03-14"),
        ] {
            let (d, _) = find_date(text).unwrap_or_else(|| panic!("no date in {text}"));
            assert_eq!(d.to_string(), want, "{text}");
        }
    }

    #[test]
    fn no_year_or_impossible_dates_are_not_dates() {
        assert!(find_date("10月31日,深圳市政府新闻办举行发布会").is_none());
        assert!(find_date("2024-02-30").is_none());
        assert!(find_date("电话 12024-03-14").is_none());
    }

    #[test]
    fn roc_english_and_partial_dates() {
        for (text, want) in [
            ("民國107年3月13日", "2018-03-13"),
            ("107年3月13日 下午 04:10", "2018-03-13"),
            ("March 13, 2018", "2018-03-13"),
            ("Tue, 13 Mar 2018 10:00:00 GMT", "2018-03-13"),
            ("２０２４年０５月１０日 １９:３５", "2024-05-10"),
            ("2020-3-30 23:37:00", "2020-03-30"),
            ("2003-05-02T00:00:00+08:00", "2003-05-02"),
            ("2023-04-06T16:13:44.000Z", "2023-04-07"),
            ("2023-04-06T10:13:44Z", "2023-04-06"),
        ] {
            let (d, p) = parse_date_text(text).unwrap_or_else(|| panic!("no date in {text}"));
            assert_eq!(
                (d.to_string().as_str(), p),
                (want, Precision::Day),
                "{text}"
            );
        }
        assert_eq!(
            parse_date_text("2024年3月").map(|(d, p)| (d.month_key(), p)),
            Some(("2024-03".into(), Precision::Month))
        );
        assert_eq!(
            parse_date_text("1559716800").unwrap().0.to_string(),
            "2019-06-05"
        );
        // a plain number in a sentence is no ROC date
        assert!(find_date("全年共接待游客107万人次").is_none());
    }

    #[test]
    fn dates_in_urls_and_paths() {
        for (path, want, precision) in [
            (
                "https://www.sohu.com/a/20120612/n123456789.shtml",
                "2012-06-12",
                Precision::Day,
            ),
            (
                "http://news.xinhuanet.com/2016-03/19/c_1118.htm",
                "2016-03-19",
                Precision::Day,
            ),
            (
                "http://www.gov.cn/zhengce/content/t20240510_123.htm",
                "2024-05-10",
                Precision::Day,
            ),
            (
                "https://www.chinatimes.com/realtimenews/20190917000619-260106",
                "2019-09-17",
                Precision::Day,
            ),
            ("news/2024/03/14/a.html", "2024-03-14", Precision::Day),
            (
                "http://example.cn/2024/0314/a.html",
                "2024-03-14",
                Precision::Day,
            ),
            ("rmrb-199801-00001.txt", "1998-01", Precision::Month),
            ("archive/2024/a.txt", "2024", Precision::Year),
        ] {
            let (d, p) = date_in_path(path).unwrap_or_else(|| panic!("no date in {path}"));
            let shown = PubDate {
                date: d,
                precision: p,
                from: DateFrom::Path,
            }
            .to_string();
            assert_eq!((shown.as_str(), p), (want, precision), "{path}");
        }
        assert!(date_in_path("https://www.sohu.com/a/n123456789.shtml").is_none());
        assert!(date_in_path("https://news.example.com/a/201912345678901.html").is_none());
    }

    #[test]
    fn datelines_without_a_year() {
        assert_eq!(
            dateline_month_day("本报北京１月２９日电 记者李明报道："),
            Some((1, 29))
        );
        assert_eq!(
            dateline_month_day("中新网3月30日电 据外媒报道"),
            Some((3, 30))
        );
        assert_eq!(dateline_month_day("3月30日，北京天气晴朗。"), None);
    }

    #[test]
    fn epoch_days_round_trip() {
        for d in [
            Date::new(1998, 1, 5).unwrap(),
            Date::new(2024, 2, 29).unwrap(),
            Date::new(1970, 1, 1).unwrap(),
        ] {
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        assert_eq!(Date::new(1970, 1, 2).unwrap().days_since_epoch(), 1);
    }

    #[test]
    fn filter_dates_take_year_month_or_day() {
        assert_eq!(
            parse_filter_date("2024", false).unwrap().to_string(),
            "2024-01-01"
        );
        assert_eq!(
            parse_filter_date("2024", true).unwrap().to_string(),
            "2024-12-31"
        );
        assert_eq!(
            parse_filter_date("2024-02", true).unwrap().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            parse_filter_date("2024年3月14日", false)
                .unwrap()
                .to_string(),
            "2024-03-14"
        );
        assert!(parse_filter_date("yesterday", false).is_err());
    }
}
