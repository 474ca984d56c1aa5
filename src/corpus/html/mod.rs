//! Web pages: HTML parsed as HTML (html5ever, through `scraper`), its metadata read and its
//! main content found on the DOM. A page goes through these stages, one module each:
//!
//! ```text
//! page text -> depth      its nesting bounded before parsing            depth
//!           -> DOM        html5ever's tree, flattened into blocks       dom
//!           -> metadata   JSON-LD, <meta>, <time>, <title>, its URL     metadata
//!           -> content    paragraphs scored: text, punctuation, links   content
//!           -> headline   a metadata title the page prints, or <h1>     headline
//!           -> header     the date and 来源 lines above the text        header
//! ```
//!
//! [`read_page`] runs them in that order and gives a [`Page`]. Script, style, template and
//! JSON blobs never reach the text: html5ever parses their contents as raw text, so markup
//! inside a JavaScript string is never taken for the page's.

mod content;
pub mod depth;
mod dom;
mod header;
mod headline;
mod metadata;

use std::sync::OnceLock;

use regex::Regex;
use scraper::Html;

use dom::Dom;
pub use headline::strip_site_name;

/// What a page says about itself and the text it carries.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The article's URL: canonical link, `og:url`, JSON-LD `url`, or a crawler's wrapper.
    pub url: Option<String>,
    /// The headline, with where it came from (`json-ld`, `og`, `h1`, `title` ...).
    pub headline: Option<(String, &'static str)>,
    /// Publication date texts in the order they are trusted (parsed by `facets::date`).
    pub dates: Vec<String>,
    /// Publisher names the metadata gives, most trusted first (JSON-LD publisher,
    /// `og:site_name` ...): the site's own names.
    pub publishers: Vec<String>,
    /// Outlets the metadata credits for the article (a `source` meta): who wrote it, which
    /// may not be the site that shows it (人民网 carrying a 新华网 story).
    pub credits: Vec<String>,
    /// Visible lines between the headline and the text: date and 来源 lines.
    pub header: Vec<String>,
    /// The main content, one block per line.
    pub content: Vec<String>,
    /// A copy with no URL: the publisher most of its absolute links point to (`links`).
    pub link_site: Option<String>,
    /// The page is a list or index of links, not an article: how many links, and what told
    /// it (`next to no text`, `its URL is its site's front page`, `teasers cut off with ...`).
    pub list_of_links: Option<(usize, &'static str)>,
    /// What was wrong but did not stop the reading (a JSON-LD block that is not JSON).
    pub notes: Vec<String>,
}

/// Whether decoded text is an HTML page: by its structure anywhere in the file (a doctype,
/// `<html`, `<head` or `<body` tag), or by the file's extension.
pub fn is_html(text: &str, rel_path: &str) -> bool {
    let ext = rel_path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(
        ext.as_str(),
        "html" | "htm" | "shtml" | "xhtml" | "asp" | "aspx" | "jsp" | "php"
    ) {
        return true;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]").expect("regex")
    });
    re.is_match(text)
}

/// The work reading a page takes, counted: the nodes of its tree and the tree's depth. The
/// tree builder walks the stack of open elements at each tag, so parsing costs at most
/// nodes × depth steps, and the scoring passes walk at most `depth` ancestors per node:
/// with the depth bounded ([`depth::MAX_DEPTH`]) the work is linear in the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    pub nodes: usize,
    pub depth: usize,
}

/// What reading `text` as a page costs (see [`Work`]).
pub fn reading_work(text: &str) -> Work {
    let html = Html::parse_document(&depth::bound_depth(text));
    let dom = Dom::build(&html);
    Work {
        nodes: dom.blocks.len(),
        depth: dom.blocks.iter().map(|b| b.depth).max().unwrap_or(0),
    }
}

/// Reads a page.
pub fn read_page(text: &str) -> Page {
    let (wrapper_url, wrapper_title) = metadata::wrapper_of(text);
    let html = Html::parse_document(&depth::bound_depth(text));
    let mut page = Page::default();
    let meta = metadata::read_meta(&html, &mut page.notes);

    let mut dom = Dom::build(&html);
    dom.score();
    let page_lines = dom.lines(0, &|i| dom.blocks[i].hidden);
    let h1s = headline::page_h1s(&dom);

    page.url = meta.url.clone().or(wrapper_url);
    if page.url.is_none() {
        page.link_site = crate::corpus::links::dominant_site(text);
    }
    page.headline = headline::choose_headline(&meta, wrapper_title.as_deref(), &h1s, &page_lines);
    page.dates = meta.dates.clone();
    page.publishers = meta.publishers.clone();
    page.credits = meta.credits.clone();
    page.publishers
        .extend(headline::site_named_in_title(meta.doc_title.as_deref()));

    let container = dom.best_container();
    // No paragraph long enough to score: the page's whole visible text.
    let content = container
        .map(|c| dom.lines(c, &|i| dom.skip_inside(i)))
        .unwrap_or_else(|| page_lines.clone());
    let prose = container.map_or(0, |c| dom.prose(c));
    // A page rendered by a script holds its article in a JSON data block, not the markup.
    if prose < 60 {
        if let Some((title, text, date)) = content::article_in_json(&meta.json_blobs) {
            if page.headline.is_none() {
                page.headline = title.map(|t| (t, "json"));
            }
            page.dates.extend(date);
            page.content = text.lines().map(str::to_string).collect();
            return page;
        }
    }
    page.list_of_links =
        content::list_of_links(&dom, container, prose, &content, meta.url.as_deref());
    page.header = header::header_lines(&page_lines, &content, page.headline.as_ref());
    page.content = content;
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head>
<meta charset="gb2312"><title>深圳低空经济产业规模突破900亿元_财经频道_示例新闻网</title>
<style>body{color:red}</style>
<meta name="publishdate" content="2024-05-10">
<meta property="og:site_name" content="示例新闻网">
<link rel="canonical" href="https://news.example.cn/2024/05/10/a1.html">
<script>var s = '<html><title>'+document.title+'</title></html>';</script>
</head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">财经</a> <a href="/b">科技</a></div>
<h1>深圳低空经济产业规模突破900亿元</h1>
<div class="info">2024年05月10日 19:35 来源：深圳特区报</div>
<div class="article-content">
<p>深圳市发展改革委10日发布数据，今年一季度，深圳低空经济产业规模同比增长超过两成，全市已开通无人机航线200余条。</p>
<p>业内人士表示，随着低空空域管理改革推进，物流配送、城市巡检、应急救援等场景将加快落地，带动上下游企业集聚发展。</p>
<ul class="related"><li><a href="/x">广州发布汽车消费新政</a></li><li><a href="/y">东莞制造业数字化转型提速</a></li></ul>
<p>深圳将继续完善起降设施，力争到年底建成起降点1000个。</p>
</div>
<div class="hot-list"><h3>热点排行</h3><ol><li><a href="/1">全国铁路客流创新高</a></li><li><a href="/2">多地发布暴雨预警</a></li></ol></div>
<div class="footer">版权所有 示例新闻网</div>
</body></html>"#;

    #[test]
    fn headline_date_source_and_text_of_a_page() {
        let p = read_page(PAGE);
        assert_eq!(
            p.headline,
            Some(("深圳低空经济产业规模突破900亿元".into(), "title"))
        );
        assert_eq!(p.dates.first().map(String::as_str), Some("2024-05-10"));
        assert_eq!(p.publishers, vec!["示例新闻网".to_string()]);
        assert_eq!(
            p.url.as_deref(),
            Some("https://news.example.cn/2024/05/10/a1.html")
        );
        assert_eq!(p.header, vec!["2024年05月10日 19:35 来源：深圳特区报"]);
        assert_eq!(p.content.len(), 3, "{:?}", p.content);
        assert!(p.content[0].starts_with("深圳市发展改革委10日发布数据"));
        assert!(p.content[2].ends_with("建成起降点1000个。"));
        let all = p.content.join("\n");
        for furniture in [
            "广州发布汽车消费新政",
            "热点排行",
            "首页",
            "版权所有",
            "document.title",
        ] {
            assert!(!all.contains(furniture), "{furniture} in {all}");
        }
        assert_eq!(p.list_of_links, None);
    }

    #[test]
    fn html_is_told_by_its_structure_anywhere() {
        let css = "x{color:red}".repeat(3000);
        let page =
            format!("<!-- saved -->\n<style>{css}</style>\n<html><body><p>正文</p></body></html>");
        assert!(is_html(&page, "a.txt"));
        assert!(is_html("纯文本", "a.shtml"));
        assert!(!is_html("深圳发布低空经济方案。<b>重点</b>", "a.txt"));
    }
}
