//! Dates: the publication date of an article, read from its header (a date line, `发布时间:`,
//! `时间:`, `日期:`), never from events in its body; and the date arguments of filters
//! (`2024`, `2024-03`, `2024-03-14`).

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

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

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

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
        // Howard Hinnant's days_from_civil.
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        } as i64;
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// `2024-03`, the month facet value.
    pub fn month_key(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
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

/// Finds the first full date (with a year) in normalised text, with its byte range.
pub fn find_date(text: &str) -> Option<(Date, std::ops::Range<usize>)> {
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
