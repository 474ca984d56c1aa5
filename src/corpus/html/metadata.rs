//! What a page says about itself: JSON-LD, `<meta>` tags, `<time>`, the `<title>`, the
//! canonical URL, JSON data blocks, and a crawler's wrapper line before the page. All of it
//! is read in one walk of the DOM into [`Meta`]; the headline is chosen from it later
//! ([`super::headline`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use scraper::{Html, Node};

/// Metadata read from the page's head and markup.
#[derive(Debug, Default)]
pub(super) struct Meta {
    pub(super) url: Option<String>,
    /// (headline, origin) in trust order.
    pub(super) titles: Vec<(String, &'static str)>,
    /// The document's `<title>`.
    pub(super) doc_title: Option<String>,
    pub(super) dates: Vec<String>,
    pub(super) publishers: Vec<String>,
    pub(super) credits: Vec<String>,
    /// `<script type="application/json">` blocks: the page's data as a script renders it
    /// (Next.js `__NEXT_DATA__`), read only when the markup holds no article.
    pub(super) json_blobs: Vec<String>,
}

/// A crawler's wrapper line before the page (CleanEval: `<text id="URL" title="…"
/// encoding="gb2312">`): its URL and title.
pub(super) fn wrapper_of(text: &str) -> (Option<String>, Option<String>) {
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    let [tag, attr] = RE.get_or_init(|| {
        [
            Regex::new(r#"^\s*<(?:text|doc|page)\s[^>]*>"#).expect("regex"),
            Regex::new(r#"(\w+)\s*=\s*"([^"]*)""#).expect("regex"),
        ]
    });
    let head = &text[..floor_char_boundary(text, text.len().min(4096))];
    let Some(m) = tag.find(head) else {
        return (None, None);
    };
    let (mut url, mut title) = (None, None);
    for caps in attr.captures_iter(m.as_str()) {
        let value = html_escape::decode_html_entities(&caps[2])
            .trim()
            .to_string();
        match caps[1].to_ascii_lowercase().as_str() {
            "id" | "url" | "href" if value.contains("://") => url = Some(value),
            "title" if !value.is_empty() => title = Some(value),
            _ => {}
        }
    }
    (url, title)
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The largest JSON data block read for an article (larger ones are an app's whole state).
const MAX_JSON_BLOB: usize = 8 * 1024 * 1024;

/// Meta keys that give the publication date, most trusted first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:release_date",
    "og:published_time",
    "og:time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish_date",
    "publication_date",
    "pubdate",
    "publishtime",
    "publish-time",
    "apub:time",
    "firstpublishedtime",
    "articledate",
    "article_date_original",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "livetime",
    "createdate",
    "ptime",
    "weibo: article:create_at",
];

/// What the page's tags say before it is weighed: its meta values by key (the first of
/// each), its JSON-LD blocks, its `<time datetime>`s and its canonical link.
#[derive(Default)]
struct Tags {
    by_key: HashMap<String, String>,
    json_ld: Vec<String>,
    time_tags: Vec<String>,
    canonical: Option<String>,
}

pub(super) fn read_meta(html: &Html, notes: &mut Vec<String>) -> Meta {
    let mut meta = Meta::default();
    let Tags {
        by_key,
        json_ld,
        time_tags,
        canonical,
    } = read_tags(html, &mut meta);

    // JSON-LD first.
    for (n, block) in json_ld.iter().enumerate() {
        let cleaned = block.trim().trim_end_matches(';');
        match serde_json::from_str::<serde_json::Value>(cleaned) {
            Ok(v) => read_json_ld(&v, &mut meta),
            Err(e) => notes.push(format!(
                "JSON-LD block {} is not JSON ({e}); the page is read without it",
                n + 1
            )),
        }
    }
    for (key, origin) in [
        ("og:title", "og"),
        ("twitter:title", "og"),
        ("title", "meta"),
        ("headline", "meta"),
    ] {
        if let Some(v) = by_key.get(key) {
            meta.titles.push((decode(v), origin));
        }
    }
    for key in DATE_KEYS {
        if let Some(v) = by_key.get(*key) {
            meta.dates.push(v.clone());
        }
    }
    // Any other meta whose name says it is the publication date.
    let mut others: Vec<(&String, &String)> = by_key
        .iter()
        .filter(|(k, _)| {
            (k.contains("publish") || k.contains("pubdate") || k.contains("release"))
                && !k.contains("modif")
                && !k.contains("update")
                && !DATE_KEYS.contains(&k.as_str())
        })
        .collect();
    others.sort();
    meta.dates
        .extend(others.into_iter().map(|(_, v)| v.clone()));
    meta.dates.extend(time_tags);
    for key in [
        "og:site_name",
        "article:publisher",
        "publisher",
        "source",
        "contentsource",
        "mediaid",
        "og:article:author",
        "application-name",
    ] {
        if let Some(v) = by_key.get(key) {
            let v = decode(v);
            if !v.contains("://") && v.chars().count() <= 30 {
                match key {
                    "source" | "contentsource" | "mediaid" | "og:article:author" => {
                        meta.credits.push(v)
                    }
                    _ => meta.publishers.push(v),
                }
            }
        }
    }
    meta.url = meta
        .url
        .take()
        .or(canonical.filter(|c| c.contains("://")))
        .or(by_key.get("og:url").cloned())
        .and_then(|u| absolute_url(&u));
    meta
}

/// The page's `<meta>`, `<title>`, data `<script>`, canonical `<link>` and `<time>` tags in
/// one walk; the `<title>` and the JSON data blocks go straight into `meta`.
fn read_tags(html: &Html, meta: &mut Meta) -> Tags {
    let mut by_key: HashMap<String, String> = HashMap::new();
    let mut json_ld = Vec::new();
    let mut time_tags = Vec::new();
    let mut canonical = None;
    for node in html.tree.root().descendants() {
        let Node::Element(e) = node.value() else {
            continue;
        };
        match e.name() {
            "meta" => {
                let key = e
                    .attr("property")
                    .or(e.attr("name"))
                    .or(e.attr("itemprop"))
                    .or(e.attr("http-equiv"));
                if let (Some(k), Some(v)) = (key, e.attr("content")) {
                    let v = v.trim();
                    if !v.is_empty() {
                        by_key
                            .entry(k.trim().to_ascii_lowercase())
                            .or_insert_with(|| v.to_string());
                    }
                }
            }
            "title" if meta.doc_title.is_none() && in_head_or_top(node) => {
                let t: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !t.is_empty() {
                    meta.doc_title = Some(t);
                }
            }
            "script" => {
                if e.attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/json"))
                {
                    let t: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    if t.len() <= MAX_JSON_BLOB {
                        meta.json_blobs.push(t);
                    }
                }
                if e.attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"))
                {
                    let t: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    json_ld.push(t);
                }
            }
            "link" => {
                if e.attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    canonical = e.attr("href").map(str::to_string);
                }
            }
            "time" => {
                if let Some(d) = e.attr("datetime") {
                    time_tags.push(d.to_string());
                }
            }
            _ => {
                // itemprop="datePublished" on a visible element
                if e.attr("itemprop")
                    .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                {
                    let v = e.attr("content").or(e.attr("datetime")).map(str::to_string);
                    let v = v.unwrap_or_else(|| {
                        node.descendants()
                            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                            .collect()
                    });
                    by_key.entry("datepublished".into()).or_insert(v);
                }
            }
        }
    }
    Tags {
        by_key,
        json_ld,
        time_tags,
        canonical,
    }
}

fn decode(s: &str) -> String {
    html_escape::decode_html_entities(s).trim().to_string()
}

/// A `<title>` in the head (or before the body when the head is missing), not one inside an
/// SVG or the body.
fn in_head_or_top(node: ego_tree::NodeRef<Node>) -> bool {
    !node.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "svg" | "body"))
    })
}

fn json_str(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(decode(s)).filter(|s| !s.is_empty()),
        serde_json::Value::Array(a) => a.iter().find_map(json_str),
        serde_json::Value::Object(o) => o
            .get("name")
            .or(o.get("@value"))
            .or(o.get("value"))
            .and_then(json_str),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_article_type(v: &serde_json::Value) -> bool {
    let one = |s: &str| {
        let s = s.rsplit('/').next().unwrap_or(s);
        s.ends_with("Article") || s == "BlogPosting" || s == "Report" || s == "WebPage"
    };
    match v {
        serde_json::Value::String(s) => one(s),
        serde_json::Value::Array(a) => a.iter().any(is_article_type),
        _ => false,
    }
}

/// JSON-LD: schema.org `NewsArticle`/`Article`/`BlogPosting` (also inside `@graph`), and
/// Baidu's cambrian form (`title`, `pubDate`).
fn read_json_ld(v: &serde_json::Value, meta: &mut Meta) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| read_json_ld(i, meta)),
        serde_json::Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                read_json_ld(g, meta);
            }
            let typed = o.get("@type").is_some_and(is_article_type);
            let webpage_only = o
                .get("@type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t == "WebPage");
            let cambrian = o
                .get("@context")
                .and_then(|c| c.as_str())
                .is_some_and(|c| c.contains("cambrian"));
            if !(typed || cambrian) {
                return;
            }
            if !webpage_only {
                if let Some(h) = o.get("headline").or(o.get("title")).and_then(json_str) {
                    meta.titles.insert(
                        meta.titles.iter().take_while(|t| t.1 == "json-ld").count(),
                        (h, "json-ld"),
                    );
                }
            }
            for key in ["datePublished", "pubDate", "dateCreated", "uploadDate"] {
                if let Some(d) = o.get(key).and_then(json_str) {
                    meta.dates.insert(0, d);
                    break;
                }
            }
            if !webpage_only {
                if let Some(p) = o.get("publisher").and_then(json_str) {
                    meta.publishers.insert(0, p);
                }
            }
            if meta.url.is_none() && !webpage_only {
                meta.url = o
                    .get("url")
                    .or(o.get("mainEntityOfPage"))
                    .and_then(|u| match u {
                        serde_json::Value::Object(m) => m.get("@id").and_then(json_str),
                        other => json_str(other),
                    })
                    .filter(|u| u.contains("://"));
            }
        }
        _ => {}
    }
}

/// A page's own URL as written in its metadata, with its scheme where it names a host
/// (`//host/path`, `www.host.cn/path`). A path (`/2024/05/10/a.html`) stays a path: it names
/// no host (it used to become `http://2024/…`), and its date still counts.
fn absolute_url(u: &str) -> Option<String> {
    let u = u.trim();
    if u.is_empty() || u.contains("://") {
        return (!u.is_empty()).then(|| u.to_string());
    }
    let with_scheme = match u.strip_prefix("//") {
        Some(rest) => format!("http://{rest}"),
        None => format!("http://{u}"),
    };
    let names_a_host = url::Url::parse(&with_scheme).ok().is_some_and(|parsed| {
        parsed.host_str().is_some_and(|host| {
            host.contains('.')
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
    });
    Some(
        if names_a_host && (u.starts_with("//") || !u.starts_with('/')) {
            with_scheme
        } else {
            u.to_string()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::read_page;
    use super::*;

    #[test]
    fn a_relative_page_url_names_no_host() {
        assert_eq!(absolute_url("/a/b").as_deref(), Some("/a/b"));
        assert_eq!(absolute_url("a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(
            crate::facets::source::host_of(&absolute_url("/a/b").unwrap()),
            None
        );
        assert_eq!(
            absolute_url("//news.example.cn/2024/a.html").as_deref(),
            Some("http://news.example.cn/2024/a.html")
        );
        assert_eq!(
            absolute_url("www.example.com.tw/a").as_deref(),
            Some("http://www.example.com.tw/a")
        );
        assert_eq!(
            absolute_url("https://example.org/x").as_deref(),
            Some("https://example.org/x")
        );
    }

    #[test]
    fn json_ld_wins_and_broken_json_ld_is_a_note() {
        let page = r#"<html><head><title>站点首页</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"港鐵新線下月通車","datePublished":"2023-03-29T01:00:32+08:00","publisher":{"@type":"Organization","name":"示例日報"}}</script>
<script type="application/ld+json">{"@type": "NewsArticle", headline: broken</script>
</head><body><p>港鐵公司宣布，新線將於下月中旬通車，沿線居民出行時間可縮短一半。</p></body></html>"#;
        let p = read_page(page);
        assert_eq!(
            p.headline.as_ref().map(|h| h.0.as_str()),
            Some("港鐵新線下月通車")
        );
        assert_eq!(p.dates[0], "2023-03-29T01:00:32+08:00");
        assert_eq!(p.publishers[0], "示例日報");
        assert_eq!(p.notes.len(), 1);
        assert!(p.notes[0].contains("not JSON"));
    }

    #[test]
    fn wrapper_lines_give_url_and_title() {
        let (url, title) = wrapper_of(
            "<text id=\"http://news.example.com/2005/0311/a.html\" title=\"钢材价格回落\" encoding=\"gb2312\">\n<html>",
        );
        assert_eq!(
            url.as_deref(),
            Some("http://news.example.com/2005/0311/a.html")
        );
        assert_eq!(title.as_deref(), Some("钢材价格回落"));
    }
}
