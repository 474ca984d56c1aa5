//! An article assembled from what its file says: the text's own header (read by
//! `split`) and, for web pages and records, the metadata around the text.
//!
//! Which evidence wins, field by field (the title here; the date and the source are the
//! facets' to decide, `facets::date::publication_date` and `facets::source::publisher`):
//!
//! | field  | order                                                                           |
//! |--------|---------------------------------------------------------------------------------|
//! | title  | the page's or record's headline, else the text's headline line, else its lead  |
//! | date   | metadata (`<meta>`, JSON-LD, a record's date field), the text's date line, the |
//! |        | URL, the file's path; a yearless dateline completes a month from URL or path   |
//! | source | a record's or page's explicit source field, the text's 来源 line or byline,    |
//! |        | the site's own name (`og:site_name`, JSON-LD publisher), the URL's host        |
//! | site   | the URL's host through `data/hosts.tsv`, the site's own name, the host itself |
//!
//! A 来源 line names who wrote the article and a site name only who shows it, so a
//! reprint on a portal counts under the agency that wrote it.
//!
//! Nothing a reader sees is lost to search: lines of the file that fill a field (date
//! lines, 来源 lines, datelines, credits) or that are kept out of the text (a stray block
//! before the headline) stay searchable under the article as its `extra` text.

use std::collections::HashSet;

use serde::ser::SerializeStruct;
use serde::Serialize;

use crate::corpus::clean::boilerplate;
use crate::corpus::split::{drop_closing_links, split_articles, Draft};
use crate::facets::date::{publication_date, PubDate};
use crate::facets::source::{printed, publisher, site};
use crate::facets::Evidence;
use crate::text::normalize::normalize_str;

/// One news article, as read from a file.
#[derive(Debug, Clone)]
pub struct Article {
    /// `path#n`: the corpus-relative path and the article's number in its file (from 1;
    /// for records, the record's position in the file).
    pub id: String,
    pub path: String,
    pub title: String,
    /// Where the title came from: `headline`, `original-title` (原标题), `first-sentence`,
    /// or the page's metadata (`json-ld`, `og`, `meta`, `h1`, `title`, `record`).
    pub title_from: &'static str,
    pub date: Option<PubDate>,
    /// The outlet it credits (`facets::source::publisher`).
    pub source: Option<String>,
    /// The credited outlet's name as the file prints it (`今日信報` for 信报), when printed.
    pub source_printed: Option<String>,
    /// The outlet that published it: a Sina page carrying a 新京报 story is 新浪's
    /// (`facets::source::site`).
    pub site: Option<String>,
    pub url: Option<String>,
    /// The cleaned text, one paragraph per line.
    pub body: String,
    /// Text of the file a reader sees that is not the title or the body: date and 来源
    /// lines, datelines, credits, a stray block. Searchable, never shown as the text.
    pub extra: String,
}

impl<'a> From<&'a Article> for crate::facets::Seen<'a> {
    fn from(a: &'a Article) -> Self {
        crate::facets::Seen {
            title: &a.title,
            body: &a.body,
            source: a.source.as_deref(),
            site: a.site.as_deref(),
            date: a.date,
        }
    }
}

impl Serialize for Article {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Article", 12)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("title", &self.title)?;
        st.serialize_field("title_from", self.title_from)?;
        st.serialize_field("date", &self.date.map(|d| d.to_string()))?;
        st.serialize_field("date_from", &self.date.map(|d| d.from.name()))?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("source_printed", &self.source_printed)?;
        st.serialize_field("site", &self.site)?;
        st.serialize_field("url", &self.url)?;
        st.serialize_field("body", &self.body)?;
        st.serialize_field("extra", &self.extra)?;
        st.end()
    }
}

/// What a page or a record says about its article besides the text.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub url: Option<String>,
    /// The headline and where it came from (`json-ld`, `og`, `h1`, `title`, `record` ...).
    pub title: Option<(String, &'static str)>,
    /// Title lines that carry the date they are written for (a day transcript's
    /// `《新闻联播》（20220328）`): they outrank every other date.
    pub title_dates: Vec<String>,
    /// Publication date texts from metadata, most trusted first.
    pub dates: Vec<String>,
    /// Explicit source fields (a record's `source`, a page's `source` meta).
    pub sources: Vec<String>,
    /// Names of the site that shows the article (`og:site_name`, JSON-LD publisher).
    pub site_names: Vec<String>,
    /// Outlets a page's metadata credits (its `source` meta): a last resort for the
    /// source, never the site.
    pub credits: Vec<String>,
}

/// The articles of one text's cleaned lines. With `known` metadata (a page or a record)
/// the text is one article. The cleaned lines that neither the title nor a body takes, up to
/// a related-articles line, are the first article's `extra` text.
pub fn assemble(
    rel: &str,
    first_number: usize,
    known: Option<&Known>,
    lines: &[String],
) -> Vec<Article> {
    let related_at = lines
        .iter()
        .position(|l| boilerplate().is_related_line(l))
        .unwrap_or(lines.len());
    let seen = &lines[..related_at];
    let mut lines = lines.to_vec();
    if let Some((title, _)) = known.and_then(|k| k.title.as_ref()) {
        // The headline first, so the splitter takes it as the header and drops its copies.
        lines.insert(0, title.clone());
    }
    let mut drafts = split_articles(&lines);
    if known.is_some() {
        drafts.truncate(1);
    }
    let mut used: HashSet<String> = HashSet::new();
    for d in &drafts {
        used.insert(normalize_str(d.title.trim()));
        used.extend(d.body.iter().map(|l| normalize_str(l.trim())));
    }
    // The page footer (from a 版权声明 or 责任编辑 line after the text on) is not the
    // article's, searchable or not.
    let first_body = drafts
        .first()
        .and_then(|d| d.body.first())
        .map(|b| normalize_str(b.trim()));
    let body_at = first_body
        .and_then(|b| seen.iter().position(|l| normalize_str(l.trim()) == b))
        .unwrap_or(0);
    let footer_at = (body_at + 1..seen.len())
        .find(|&i| boilerplate().footer(&seen[i]).is_some())
        .unwrap_or(seen.len());
    let extra: Vec<String> = seen[..footer_at]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !used.contains(&normalize_str(l)))
        .map(str::to_string)
        .collect();
    let mut extra = Some(extra.join("\n"));
    let mut known = known.cloned().unwrap_or_default();
    known.url = known.url.as_deref().map(original_url);
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, draft)| {
            let n = first_number + i;
            finish(rel, n, &known, draft, extra.take().unwrap_or_default())
        })
        .collect()
}

/// The article of a record that gives a headline and no text (a feed item with a title, a
/// link and a date): its title is searchable, its body empty.
pub fn headline_only(rel: &str, n: usize, known: &Known) -> Option<Article> {
    let (title, _) = known.title.as_ref().filter(|(t, _)| !t.trim().is_empty())?;
    let draft = Draft {
        title: title.clone(),
        title_from: "record",
        header: Vec::new(),
        body: Vec::new(),
    };
    let mut known = known.clone();
    known.url = known.url.as_deref().map(original_url);
    Some(finish(rel, n, &known, draft, String::new()))
}

fn finish(rel: &str, n: usize, known: &Known, draft: Draft, extra: String) -> Article {
    let (title, title_from) = match &known.title {
        Some((t, from)) if !t.trim().is_empty() => (t.trim().to_string(), *from),
        _ => (draft.title.clone(), draft.title_from),
    };
    // Metadata may carry a byte-order mark or Markdown (`**标题**`): never part of a title.
    let title = crate::corpus::markdown::strip_markup(
        title.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'),
    )
    .trim()
    .to_string();
    let title = crate::corpus::clean::unspace_cjk(&title).into_owned();
    let evidence = Evidence {
        path: rel,
        url: known.url.as_deref(),
        title_dates: &known.title_dates,
        meta_dates: &known.dates,
        meta_sources: &known.sources,
        site_names: &known.site_names,
        credits: &known.credits,
        header: &draft.header,
        body: &draft.body,
    };
    let date = publication_date(&evidence);
    let source = publisher(&evidence);
    let site = site(&evidence);
    let source_printed = source.as_deref().and_then(|name| printed(&evidence, name));
    Article {
        id: format!("{rel}#{n}"),
        path: rel.to_string(),
        title,
        title_from,
        date,
        source,
        source_printed,
        site,
        url: known.url.clone(),
        body: without_closing_lines(draft.body).join("\n"),
        extra,
    }
}

/// The text without the lines that close it and are not the article's: the 来源 line
/// (`本文来源：央视新闻客户端 责任编辑：…`, the page's credit, from which the source was read)
/// and, around it, links and widget labels ([`drop_closing_links`]).
fn without_closing_lines(mut body: Vec<String>) -> Vec<String> {
    let credit = |line: &str| {
        let n = normalize_str(line.trim());
        n.chars().count() <= 60
            && ["本文来源:", "文章来源:", "稿件来源:", "信息来源:", "来源:"]
                .iter()
                .any(|p| n.starts_with(p))
    };
    loop {
        let before = body.len();
        drop_closing_links(&mut body);
        if body.len() > 1 && body.last().is_some_and(|l| credit(l)) {
            body.pop();
        }
        if body.len() == before {
            return body;
        }
    }
}

/// The page a web archive's copy stands for: `https://web.archive.org/web/20210712055544/
/// https://www.hkcnews.com/…` -> `https://www.hkcnews.com/…` (the archive's timestamp is
/// when it was crawled, not published, and its host is the archive's).
pub fn original_url(url: &str) -> String {
    let u = url.trim();
    if let Some(at) = u.get(8..).and_then(|rest| rest.find("/http")) {
        let inner = &u[8 + at + 1..];
        if inner.starts_with("http://") || inner.starts_with("https://") {
            return inner.to_string();
        }
    }
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::date::DateFrom;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_yearless_dateline_completes_the_paths_month() {
        let text = lines("北方农村冬季供暖改造见成效\n本报石家庄１月２９日电 记者李明报道：河北省今冬完成农村供暖改造二十万户。\n");
        let a = assemble("rmrb/rmrb-199801-00012.txt", 1, None, &text);
        let d = a[0].date.expect("a date");
        assert_eq!(d.to_string(), "1998-01-29");
        // a month that disagrees with the path keeps the path's month
        let text = lines(
            "北方农村冬季供暖改造见成效\n本报石家庄１２月２９日电 河北省今冬完成农村供暖改造。\n",
        );
        let a = assemble("rmrb-199801-00012.txt", 1, None, &text);
        assert_eq!(a[0].date.unwrap().to_string(), "1998-01");
        assert_eq!(a[0].date.unwrap().from, DateFrom::Path);
    }

    #[test]
    fn metadata_lines_stay_searchable() {
        let seen = crate::corpus::clean::clean_text("分享到微信\n多地出台措施促进汽车消费\n2024年05月20日08:21 | 来源：人民网－人民日报\n本报北京5月19日电 近期，多地出台促进汽车消费的政策措施。\n");
        let a = assemble("a.txt", 1, None, &seen);
        assert_eq!(a[0].source.as_deref(), Some("人民日报"));
        assert!(
            a[0].extra.contains("2024年05月20日08:21"),
            "{:?}",
            a[0].extra
        );
        // page furniture stays out of search
        assert!(!a[0].extra.contains("分享到微信"));
        assert!(!a[0].extra.contains("近期"));
    }

    #[test]
    fn an_archived_copy_stands_for_its_page() {
        assert_eq!(
            original_url("https://web.archive.org/web/20210712055544/https://www.example.com.hk/article/38996"),
            "https://www.example.com.hk/article/38996"
        );
        assert_eq!(
            original_url("https://www.example.com/a/http-guide"),
            "https://www.example.com/a/http-guide"
        );
    }

    #[test]
    fn record_fields_win_and_the_url_dates_the_rest() {
        let known = Known {
            url: Some("https://www.example.com.cn/news/2020/03-30/9142537.shtml".into()),
            title: Some(("迪拜世博会拟推迟一年举行".into(), "record")),
            sources: vec!["来源：中新网".into()],
            ..Known::default()
        };
        let text =
            lines("据外媒报道，迪拜世博会指导委员会发布声明称，世博会将考虑推迟一年举行。\n");
        let a = assemble("news.jsonl", 7, Some(&known), &text);
        assert_eq!(a[0].id, "news.jsonl#7");
        assert_eq!(a[0].title, "迪拜世博会拟推迟一年举行");
        assert_eq!(a[0].date.unwrap().to_string(), "2020-03-30");
        assert_eq!(a[0].date.unwrap().from, DateFrom::Url);
        assert_eq!(a[0].source.as_deref(), Some("中国新闻网"));
    }
}
