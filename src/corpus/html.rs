//! Web pages: HTML parsed as HTML (html5ever, through `scraper`), its metadata read and its
//! main content found on the DOM.
//!
//! ```text
//! page text -> DOM -> metadata (JSON-LD, <meta>, <time>, <h1>, <title>, canonical URL)
//!                  -> main content (paragraph scoring: text, punctuation and link density)
//!                  -> header lines (date / 来源 lines between the headline and the text)
//! ```
//!
//! The content finder follows what GNE, Readability and trafilatura share: paragraphs score
//! by their length and their punctuation (Chinese prose is dense in `，。`), and pass the
//! score up to their parents; a container's score shrinks with the share of its text that
//! sits in links. The best container is the article; blocks inside it that are mostly links
//! (related lists, tag clouds) or named like page furniture (`comment`, `share`, `related`)
//! are left out. A page whose best container holds next to no prose is a list of links.
//!
//! Script, style, template and JSON blobs never reach the text: html5ever parses their
//! contents as raw text, so markup inside a JavaScript string is never taken for the page's.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use scraper::{Html, Node};

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

/// Tags whose content is never text of the page.
fn is_hidden_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "canvas"
            | "object"
            | "embed"
            | "select"
            | "option"
            | "button"
            | "textarea"
            | "input"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "math"
            | "video"
            | "audio"
            | "map"
    )
}

/// Tags that are page furniture by their HTML5 meaning.
fn is_furniture_tag(name: &str) -> bool {
    matches!(name, "nav" | "aside" | "footer" | "menu" | "dialog")
}

/// Tags that break a line (everything else is inline).
fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "tbody"
            | "thead"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "blockquote"
            | "pre"
            | "hr"
            | "figure"
            | "figcaption"
            | "form"
            | "center"
            | "address"
            | "body"
            | "html"
            | "nav"
            | "aside"
            | "fieldset"
            | "caption"
    )
}

fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '！' | '？' | '；' | '、' | '：' | '“' | '”' | '「' | '」' | ','
    )
}

/// Class and id words of page furniture, and of article containers (Readability's lists,
/// with the names Chinese sites use).
fn furniture_name(name: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)comment|pinglun|reply|share|social|related|relate|recommend|tuijian|xiangguan|rank|paihang|hotnews|hot-|hot_|-hot|_hot|sidebar|side-|side_|widget|sponsor|advert|\bads?\b|ad-|ad_|banner|popup|modal|login|breadcrumb|crumb|footer|foot\b|copyright|banquan|\bnav|menu|pager|pagination|toolbar|tags?\b|keyword|subscribe|qrcode|erweima|download-app|app-down|guess|more-news|newslist|news-list|list-news")
            .expect("regex")
    })
    .is_match(name)
}

fn article_name(name: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)article|artical|content|main|post|detail|entry|story|text|body|zhengwen|\bzw\b|news_txt|con_txt|newscon|TRS_Editor|rich_media")
            .expect("regex")
    })
    .is_match(name)
}

/// One node of the page, flattened: what the scoring needs.
#[derive(Debug, Default, Clone)]
struct Block {
    parent: Option<usize>,
    tag: String,
    /// Class and id, joined.
    names: String,
    hidden: bool,
    /// Characters of text (no white space) in this subtree, in links, and punctuation.
    chars: usize,
    link_chars: usize,
    punct: usize,
    /// Text right inside this element (its own text nodes and inline children).
    own_chars: usize,
    score: f64,
    /// Elements above this one.
    depth: usize,
    children: Vec<usize>,
    /// For a text node: its text.
    text: Option<String>,
}

/// The page flattened into blocks, children before nothing: index 0 is the document.
struct Dom {
    blocks: Vec<Block>,
}

impl Dom {
    fn build(html: &Html) -> Dom {
        let mut blocks: Vec<Block> = Vec::new();
        let mut stack: Vec<(ego_tree::NodeRef<Node>, Option<usize>)> =
            vec![(html.tree.root(), None)];
        // Depth-first, iteratively: malformed pages nest thousands deep.
        while let Some((node, parent)) = stack.pop() {
            let idx = blocks.len();
            let mut block = Block {
                parent,
                depth: parent.map_or(0, |p| blocks[p].depth + 1),
                ..Default::default()
            };
            match node.value() {
                Node::Element(e) => {
                    block.tag = e.name().to_ascii_lowercase();
                    let mut names = String::new();
                    if let Some(c) = e.attr("class") {
                        names.push_str(c);
                    }
                    if let Some(i) = e.id() {
                        names.push(' ');
                        names.push_str(i);
                    }
                    block.names = names;
                    let style = e.attr("style").unwrap_or("").to_ascii_lowercase();
                    block.hidden = is_hidden_tag(&block.tag)
                        || e.attr("hidden").is_some()
                        || e.attr("aria-hidden") == Some("true")
                        || style.replace(' ', "").contains("display:none");
                }
                Node::Text(t) => {
                    block.tag = "#text".into();
                    block.text = Some(t.to_string());
                }
                Node::Document | Node::Fragment => block.tag = "#document".into(),
                _ => block.hidden = true,
            }
            let hidden = block.hidden;
            blocks.push(block);
            if let Some(p) = parent {
                blocks[p].children.push(idx);
            }
            if !hidden {
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, Some(idx)));
                }
            }
        }
        let mut dom = Dom { blocks };
        dom.count();
        dom
    }

    /// Text, link text and punctuation per subtree (children have larger indices than
    /// their parents, so one pass from the end sums them up).
    fn count(&mut self) {
        for i in (0..self.blocks.len()).rev() {
            if self.blocks[i].hidden {
                continue;
            }
            if let Some(t) = &self.blocks[i].text {
                let chars = t.chars().filter(|c| !c.is_whitespace()).count();
                let punct = t.chars().filter(|&c| is_sentence_punct(c)).count();
                let b = &mut self.blocks[i];
                b.chars = chars;
                b.punct = punct;
            }
            if self.blocks[i].tag == "a" {
                self.blocks[i].link_chars = self.blocks[i].chars;
            }
            let b = &self.blocks[i];
            let (chars, link, punct) = (b.chars, b.link_chars, b.punct);
            let inline = self.blocks[i].text.is_some() || !is_block_tag(&self.blocks[i].tag);
            if let Some(p) = self.blocks[i].parent {
                let parent = &mut self.blocks[p];
                parent.chars += chars;
                parent.link_chars += link;
                parent.punct += punct;
                if inline {
                    parent.own_chars += chars;
                }
            }
        }
    }

    fn link_density(&self, i: usize) -> f64 {
        let b = &self.blocks[i];
        if b.chars == 0 {
            return 0.0;
        }
        b.link_chars as f64 / b.chars as f64
    }

    fn is_furniture(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        is_furniture_tag(&b.tag)
            || (!b.names.is_empty()
                && furniture_name(&b.names)
                && !article_name(&b.names)
                && !self.is_prose_block(i)
                && !self.is_prose_inline(i))
    }

    /// An inline element of sentences (a `<span>` a text was pasted in with, named by the
    /// tool it came from: `{comment5268…}`): text, whatever its name. Names mark a page's
    /// parts, and parts are blocks; a share or count span holds no sentences.
    fn is_prose_inline(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        !is_block_tag(&b.tag) && b.chars >= 20 && b.punct >= 2 && self.link_density(i) < 0.1
    }

    /// A block of running prose whatever its name (an unclosed `<div class="share">` that
    /// swallowed the article): 200 characters or more, a sentence mark every 20 or fewer,
    /// next to no links. Share bars, related lists and footers have neither.
    fn is_prose_block(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        b.chars >= 200 && b.punct * 20 >= b.chars && self.link_density(i) < 0.1
    }

    /// Paragraph scores passed up to the ancestors (Readability's weighting: the parent gets
    /// all, the grandparent half, further ancestors a third of a level each).
    fn score(&mut self) {
        for i in 0..self.blocks.len() {
            let b = &self.blocks[i];
            if b.hidden || b.text.is_some() || !is_block_tag(&b.tag) || b.own_chars < 20 {
                continue;
            }
            // The paragraph's own text: its share of the subtree's punctuation.
            let own_share = b.own_chars as f64 / b.chars.max(1) as f64;
            let punct = (b.punct as f64 * own_share).round();
            let para = 1.0 + punct + (b.own_chars as f64 / 100.0).min(3.0);
            let para = para * (1.0 - self.link_density(i)).max(0.0);
            self.blocks[i].score += para;
            let mut level = 1;
            let mut up = self.blocks[i].parent;
            while let Some(p) = up {
                if level > 4 {
                    break;
                }
                let share = match level {
                    1 => 1.0,
                    2 => 0.5,
                    l => 1.0 / (l as f64 * 3.0),
                };
                self.blocks[p].score += para * share;
                up = self.blocks[p].parent;
                level += 1;
            }
        }
    }

    /// The block most likely to hold the article.
    fn best_container(&self) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (i, b) in self.blocks.iter().enumerate() {
            if b.hidden || b.text.is_some() || b.score <= 0.0 || !is_block_tag(&b.tag) {
                continue;
            }
            if matches!(b.tag.as_str(), "html" | "body") {
                continue;
            }
            let mut s = b.score * (1.0 - self.link_density(i));
            if !b.names.is_empty() {
                if furniture_name(&b.names) && !article_name(&b.names) {
                    s *= 0.5;
                } else if article_name(&b.names) {
                    s *= 1.25;
                }
            }
            if self.inside_furniture(i) {
                s *= 0.3;
            }
            if best.is_none_or(|(_, bs)| s > bs) {
                best = Some((i, s));
            }
        }
        let (top, _) = best?;
        // A container whose parent holds much more prose is one paragraph group of several:
        // climb while the parent adds real text without adding mostly links. That parent may
        // be the <body> itself, on a page whose paragraphs stand right in it.
        let mut top = top;
        while let Some(p) = self.blocks[top].parent {
            let parent = &self.blocks[p];
            if matches!(parent.tag.as_str(), "html" | "#document") {
                break;
            }
            let own = self.prose(top);
            let wider = self.prose(p);
            if wider as f64 > own as f64 * 1.3 && self.link_density(p) < 0.35 {
                top = p;
            } else {
                break;
            }
        }
        Some(top)
    }

    fn inside_furniture(&self, i: usize) -> bool {
        let mut up = self.blocks[i].parent;
        while let Some(p) = up {
            if is_furniture_tag(&self.blocks[p].tag) {
                return true;
            }
            up = self.blocks[p].parent;
        }
        false
    }

    /// Inside a link (a logo) or a block named like furniture (`header-nav`, `logo`).
    fn in_link_or_named_furniture(&self, i: usize) -> bool {
        let mut up = Some(i);
        while let Some(p) = up {
            let b = &self.blocks[p];
            if b.tag == "a" || (p != i && self.is_furniture(p)) || b.names.contains("logo") {
                return true;
            }
            up = b.parent;
        }
        false
    }

    /// A row of links (`自由首頁 即時 報紙 …`): navigation, whatever tag holds it. Three or
    /// more links that carry most of the text.
    fn is_link_row(&self, i: usize) -> bool {
        let mut links = 0;
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            if self.blocks[j].tag == "a" {
                links += 1;
            } else {
                stack.extend(self.blocks[j].children.iter().copied());
            }
        }
        links >= 3 && self.link_density(i) > 0.6
    }

    /// Characters of prose in a subtree: paragraphs with sentence punctuation, not links.
    fn prose(&self, i: usize) -> usize {
        let mut total = 0;
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            let b = &self.blocks[j];
            if b.hidden || (j != i && self.is_furniture(j)) {
                continue;
            }
            if is_block_tag(&b.tag) && b.own_chars >= 10 && b.punct > 0 {
                let own_share = b.own_chars as f64 / b.chars.max(1) as f64;
                if self.link_density(j) < 0.5 && b.punct as f64 * own_share >= 1.0 {
                    total += b.own_chars;
                }
            }
            stack.extend(b.children.iter().copied());
        }
        total
    }

    /// Whether a block inside the article is furniture to leave out: named so, or mostly
    /// links (a related list, tags, a share bar).
    fn skip_inside(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        if b.hidden {
            return true;
        }
        if b.text.is_some() {
            return false;
        }
        if self.is_furniture(i) {
            return true;
        }
        let dense = self.link_density(i);
        matches!(
            b.tag.as_str(),
            "ul" | "ol" | "dl" | "div" | "table" | "section" | "p" | "li"
        ) && b.chars >= 8
            && dense > 0.6
    }

    /// The text of a subtree, a line per block.
    fn lines(&self, root: usize, skip: &dyn Fn(usize) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut line = String::new();
        // (block, entering)
        let mut stack = vec![(root, true)];
        while let Some((i, entering)) = stack.pop() {
            let b = &self.blocks[i];
            if !entering {
                if is_block_tag(&b.tag) {
                    flush(&mut line, &mut out);
                }
                continue;
            }
            if i != root && skip(i) {
                continue;
            }
            if let Some(t) = &b.text {
                line.push_str(t);
                continue;
            }
            if is_block_tag(&b.tag) {
                flush(&mut line, &mut out);
            }
            stack.push((i, false));
            for &c in b.children.iter().rev() {
                stack.push((c, true));
            }
        }
        flush(&mut line, &mut out);
        out
    }
}

fn flush(line: &mut String, out: &mut Vec<String>) {
    // Runs of white space (full-width spaces too) become one space.
    let text: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        out.push(text);
    }
    line.clear();
}

/// A crawler's wrapper line before the page (CleanEval: `<text id="URL" title="…"
/// encoding="gb2312">`): its URL and title.
fn wrapper_of(text: &str) -> (Option<String>, Option<String>) {
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

/// The work reading a page takes, counted: the nodes of its tree and the tree's depth. The
/// tree builder walks the stack of open elements at each tag, so parsing costs at most
/// nodes × depth steps, and the scoring passes walk at most `depth` ancestors per node:
/// with the depth bounded ([`super::html_depth::MAX_DEPTH`]) the work is linear in the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    pub nodes: usize,
    pub depth: usize,
}

/// What reading `text` as a page costs (see [`Work`]).
pub fn reading_work(text: &str) -> Work {
    let html = Html::parse_document(&super::html_depth::bound_depth(text));
    let dom = Dom::build(&html);
    Work {
        nodes: dom.blocks.len(),
        depth: dom.blocks.iter().map(|b| b.depth).max().unwrap_or(0),
    }
}

/// Reads a page.
pub fn read_page(text: &str) -> Page {
    let (wrapper_url, wrapper_title) = wrapper_of(text);
    let html = Html::parse_document(&super::html_depth::bound_depth(text));
    let mut page = Page::default();
    let meta = read_meta(&html, &mut page.notes);

    let mut dom = Dom::build(&html);
    dom.score();
    let page_lines = dom.lines(0, &|i| dom.blocks[i].hidden);
    let h1s: Vec<String> = dom
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| {
            b.tag == "h1"
                && !dom.inside_furniture(*i)
                && !dom.in_link_or_named_furniture(*i)
                && !dom.is_link_row(*i)
        })
        .map(|(i, _)| dom.lines(i, &|j| dom.blocks[j].hidden).join(" "))
        .filter(|t| !t.trim().is_empty())
        .collect();

    page.url = meta.url.clone().or(wrapper_url);
    if page.url.is_none() {
        page.link_site = crate::corpus::links::dominant_site(text);
    }
    page.headline = choose_headline(&meta, wrapper_title.as_deref(), &h1s, &page_lines);
    page.dates = meta.dates.clone();
    page.publishers = meta.publishers.clone();
    page.credits = meta.credits.clone();
    // `标题 - 要闻云南 - 云南日报网`: the site named at the end of the <title>, when it is a
    // known publisher, is the last resort before the URL's host.
    if let Some(site) = meta
        .doc_title
        .as_deref()
        .map(title_segments)
        .filter(|segs| segs.len() > 1)
        .and_then(|segs| segs.last().cloned())
        .filter(|site| crate::facets::source::sources().known(site).is_some())
    {
        page.publishers.push(site);
    }

    let container = dom.best_container();
    // No paragraph long enough to score: the page's whole visible text.
    let content = container
        .map(|c| dom.lines(c, &|i| dom.skip_inside(i)))
        .unwrap_or_else(|| page_lines.clone());
    let prose = container.map_or(0, |c| dom.prose(c));
    let links = dom.blocks.iter().filter(|b| b.tag == "a").count();
    // A page rendered by a script holds its article in a JSON data block, not the markup.
    if prose < 60 {
        if let Some((title, text, date)) = article_in_json(&meta.json_blobs) {
            if page.headline.is_none() {
                page.headline = title.map(|t| (t, "json"));
            }
            page.dates.extend(date);
            page.content = text.lines().map(str::to_string).collect();
            return page;
        }
    }
    // No prose, or a little prose in a block that is mostly links or is page furniture
    // (a footer's address line): a list page, however many links it has.
    let weak = container.is_none_or(|c| {
        prose < 150 && (dom.link_density(c) > 0.4 || dom.is_furniture(c) || dom.inside_furniture(c))
    });
    // A page whose own URL is its site's root is the front page: unless it holds a long
    // text (a template that puts the root in every page's og:url), it lists articles.
    let front_page = meta.url.as_deref().is_some_and(is_site_root) && prose < 400;
    if links >= 20 {
        let why = if prose < 60 || weak {
            Some("next to no text")
        } else if front_page {
            Some("its own URL is its site's front page")
        } else if teasers(&content) {
            Some("its lines are teasers cut off with ...")
        } else {
            None
        };
        page.list_of_links = why.map(|why| (links, why));
    }
    page.header = header_lines(&page_lines, &content, page.headline.as_ref());
    page.content = content;
    page
}

/// The lines between the headline and the text: date and 来源 lines sit there, often outside
/// the text's container. Only the date and 来源 lines; none when the text's start is not
/// found among the page's lines.
fn header_lines(
    page_lines: &[String],
    content: &[String],
    headline: Option<&(String, &'static str)>,
) -> Vec<String> {
    // Where the text starts among the page's lines: the first of its longer lines that the
    // page prints the same (a line whose links were left out of the text reads shorter).
    let Some(start) = content
        .iter()
        .filter(|l| l.chars().count() >= 10)
        .take(5)
        .find_map(|f| page_lines.iter().position(|l| l == f))
    else {
        return Vec::new();
    };
    let headline_at = headline.and_then(|(h, _)| {
        let key = crate::text::normalize::normalize_str(h);
        page_lines[..start]
            .iter()
            .rposition(|l| crate::text::normalize::normalize_str(l) == key)
    });
    let from = headline_at.map_or(start.saturating_sub(8), |h| h + 1);
    let from = from.max(start.saturating_sub(12));
    // Only the date and 来源 lines: navigation and share bars there are no header.
    let meta = |l: &String| crate::facets::date::date_line(l);
    let mut header: Vec<String> = page_lines[from..start]
        .iter()
        .filter(|l| !content.contains(*l) && meta(l).is_some())
        .cloned()
        .collect();
    // A dated line further up (an e-paper's masthead date, a date line above the
    // headline) when there is none between the headline and the text.
    // A short line that opens with a full date, or nearly (`AUTO.SOHU.COM 2003年11月12日16:36`),
    // counts too: its date, and a 来源 after it, stand in the header.
    if !header.iter().any(|l| meta(l).flatten().is_some()) {
        let found = page_lines[..start].iter().rev().find_map(|l| {
            if meta(l).flatten().is_some() {
                return Some(vec![l.clone()]);
            }
            let n = crate::text::normalize::normalize_str(l.trim());
            let (_, at) = crate::facets::date::find_date(&n)?;
            if at.start > 24 || n.chars().count() > 60 {
                return None;
            }
            // The date alone, and a 来源 after it.
            let mut lines = vec![n[at.clone()].to_string()];
            if let Some(from) = n[at.end..].find("来源") {
                lines.push(n[at.end + from..].to_string());
            }
            Some(lines)
        });
        if let Some(lines) = found {
            header.splice(0..0, lines);
        }
    }
    header
}

/// Metadata read from the page's head and markup.
#[derive(Debug, Default)]
struct Meta {
    url: Option<String>,
    /// (headline, origin) in trust order.
    titles: Vec<(String, &'static str)>,
    /// The document's `<title>`.
    doc_title: Option<String>,
    dates: Vec<String>,
    publishers: Vec<String>,
    credits: Vec<String>,
    /// `<script type="application/json">` blocks: the page's data as a script renders it
    /// (Next.js `__NEXT_DATA__`), read only when the markup holds no article.
    json_blobs: Vec<String>,
}

/// Whether a URL is a site's root: no path, or only an index page
/// (`https://www.example.com/`, `…/index.html`).
fn is_site_root(url: &str) -> bool {
    let rest = url
        .trim()
        .split_once("://")
        .map_or(url.trim(), |(_, rest)| rest);
    let path = rest.split_once('/').map_or("", |(_, path)| path);
    if path.contains('?') {
        return false;
    }
    let path = path.trim_end_matches('/');
    path.is_empty()
        || [
            "index.html",
            "index.htm",
            "index.shtml",
            "index.php",
            "default.aspx",
        ]
        .contains(&path.to_ascii_lowercase().as_str())
}

/// Whether a text is a list of teasers: most of its lines are cut off with `...` or `…`
/// (a single one; `……` ends sentences in Chinese prose), at least five of them.
fn teasers(lines: &[String]) -> bool {
    let long: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| l.chars().count() >= 20)
        .collect();
    let cut = long
        .iter()
        .filter(|l| (l.ends_with("...") || l.ends_with('…')) && !l.ends_with("……"))
        .count();
    cut >= 5 && cut * 5 >= long.len() * 2
}

/// The largest JSON data block read for an article (larger ones are an app's whole state).
const MAX_JSON_BLOB: usize = 8 * 1024 * 1024;

/// An article in a page's JSON data: the object with a title and the longest text (of
/// some prose) under the usual field names, with its date.
fn article_in_json(blobs: &[String]) -> Option<(Option<String>, String, Option<String>)> {
    use crate::corpus::fields::{field_of_key, Field, FieldMap};
    let fields = FieldMap::default();
    let mut best: Option<(Option<String>, String, Option<String>)> = None;
    for blob in blobs {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(blob) else {
            continue;
        };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(o) => {
                    let (mut title, mut text, mut date) = (None, None::<String>, None);
                    for (k, x) in o {
                        let Some(s) = x.as_str() else { continue };
                        match field_of_key(k, &fields) {
                            Some(Field::Title) if title.is_none() => title = Some(s.to_string()),
                            Some(Field::Text)
                                if text.as_ref().is_none_or(|t| t.len() < s.len()) =>
                            {
                                text = Some(s.to_string())
                            }
                            Some(Field::Date) if date.is_none() => date = Some(s.to_string()),
                            _ => {}
                        }
                    }
                    if let Some(t) = text {
                        let prose = t.chars().filter(|&c| is_sentence_punct(c)).count();
                        let longer = best.as_ref().is_none_or(|(_, b, _)| b.len() < t.len());
                        if prose >= 3 && t.chars().count() >= 80 && longer {
                            best = Some((title, t, date));
                        }
                    }
                    stack.extend(o.values());
                }
                serde_json::Value::Array(a) => stack.extend(a.iter()),
                _ => {}
            }
        }
    }
    best
}

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

fn read_meta(html: &Html, notes: &mut Vec<String>) -> Meta {
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

/// Separators between a headline and the site's or channel's name in a `<title>`.
fn title_segments(title: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"\s+[-–—|｜·]\s+|\s*[|｜_]\s*|--+|—{1,2}(?:\s|$)|\s-\s|\s*[<>«»‹›]\s*")
            .expect("regex")
    });
    let mut segs: Vec<String> = re
        .split(title)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    // `标题-搜狐财经`: a short name after a bare hyphen at the end is the site's.
    if let Some(last) = segs.pop() {
        match last.rsplit_once('-') {
            Some((head, tail))
                if !head.trim().is_empty()
                    && (2..=10).contains(&tail.trim().chars().count())
                    && !tail.trim().contains(' ') =>
            {
                segs.push(head.trim().to_string());
                segs.push(tail.trim().to_string());
            }
            _ => segs.push(last),
        }
    }
    segs
}

/// A title without the site's and channel's names around it (`标题_财经频道_新浪网`,
/// `标题｜蘋果新聞網｜蘋果日報`, `作者 - 【标题】… - 投資頻道`): the first part, unless a
/// later part is much longer.
pub fn strip_site_name(title: &str) -> String {
    let segs = title_segments(title);
    let Some(first) = segs.first() else {
        return title.trim().to_string();
    };
    let longest = segs
        .iter()
        .max_by_key(|s| s.chars().count())
        .unwrap_or(first);
    if first.chars().count() * 10 >= longest.chars().count() * 6 {
        first.clone()
    } else {
        longest.clone()
    }
}

/// The <h1>s that are not the site's or the section's name (`ETtoday 新聞雲`, `即時新聞`: a
/// part of a title after its headline and shorter than it, or a publisher's name): those
/// are logos and channel names, not headlines.
fn not_site_names(
    h1s: &[String],
    titles: &[(String, &'static str)],
    publishers: &[String],
) -> Vec<String> {
    use crate::text::normalize::normalize_str;
    let names: Vec<String> = titles
        .iter()
        .flat_map(|(t, _)| {
            let head = normalize_str(&strip_site_name(t));
            title_segments(t)
                .into_iter()
                .map(|s| normalize_str(&s))
                .filter(move |s| s.chars().count() < head.chars().count())
        })
        .chain(publishers.iter().map(|p| normalize_str(p)))
        .collect();
    h1s.iter()
        .filter(|h| !names.contains(&normalize_str(h.trim())))
        .cloned()
        .collect()
}

/// The headline: a metadata title that the page also prints (as an `<h1>` or a line of
/// text, whole or as the first part of the `<title>`), else the most trusted metadata title
/// with the site's name cut off, else the page's `<h1>`.
fn choose_headline(
    meta: &Meta,
    wrapper_title: Option<&str>,
    h1s: &[String],
    page_lines: &[String],
) -> Option<(String, &'static str)> {
    use crate::text::normalize::normalize_str;
    let visible: Vec<String> = h1s
        .iter()
        .chain(page_lines.iter().filter(|l| l.chars().count() <= 80))
        .map(|l| normalize_str(l.trim()))
        .collect();
    let shown = |s: &str| {
        let k = normalize_str(s.trim());
        k.chars().count() >= 4 && visible.contains(&k)
    };
    let mut candidates: Vec<(String, &'static str)> = meta.titles.clone();
    if let Some(t) = &meta.doc_title {
        candidates.push((t.clone(), "title"));
    }
    if let Some(t) = wrapper_title {
        candidates.push((t.to_string(), "title"));
    }
    // A title built by a script (`'+document.title+'`) is code, not a headline.
    candidates.retain(|(t, _)| !t.contains("'+") && !t.contains("+'") && !t.contains("document."));
    let h1s = not_site_names(h1s, &candidates, &meta.publishers);
    let h1s = h1s.as_slice();
    // 1. A metadata title, whole or its headline part, that the page prints as its <h1>.
    let h1_keys: Vec<String> = h1s.iter().map(|h| normalize_str(h.trim())).collect();
    let is_h1 = |s: &str| h1_keys.contains(&normalize_str(s.trim()));
    for (t, origin) in &candidates {
        if is_h1(t) {
            return Some((t.trim().to_string(), origin));
        }
        let head = strip_site_name(t).chars().count();
        if let Some(seg) = title_segments(t)
            .into_iter()
            .find(|s| s.chars().count() >= head && is_h1(s))
        {
            return Some((seg, origin));
        }
    }
    // 1b. An <h1> that opens with a title's headline part and adds a date or a note
    // (`标题 2014-04-30 23:54`): the headline part.
    for (t, origin) in &candidates {
        let head = strip_site_name(t);
        let key = normalize_str(&head);
        if key.chars().count() >= 6 && h1_keys.iter().any(|h| h.starts_with(&key)) {
            return Some((head, origin));
        }
    }
    // 2. The article's one <h1>, when the page has one that reads like a headline.
    if let [h] = h1s {
        let chars = h.trim().chars().count();
        if (6..=80).contains(&chars) && h.chars().any(crate::text::tokenize::is_cjk) {
            return Some((h.trim().to_string(), "h1"));
        }
    }
    // 3. A metadata title, whole or its longest segment, that the page prints as a line
    // (not a part shorter than its headline part: that is the site's or section's name).
    for (t, origin) in &candidates {
        if shown(t) {
            return Some((t.trim().to_string(), origin));
        }
        let segs = title_segments(t);
        let head = strip_site_name(t).chars().count();
        if let Some(seg) = segs
            .iter()
            .filter(|s| s.chars().count() >= head && shown(s))
            .max_by_key(|s| s.chars().count())
        {
            return Some((seg.clone(), origin));
        }
    }
    // 3b. An <h1> that the <title> or og:title contains.
    for h in h1s {
        let k = normalize_str(h.trim());
        if k.chars().count() >= 4
            && candidates
                .iter()
                .any(|(t, _)| normalize_str(t).contains(&k))
        {
            return Some((h.trim().to_string(), "h1"));
        }
    }
    // 4. The most trusted metadata title, its site suffix cut.
    if let Some((t, origin)) = candidates.first() {
        let pick = strip_site_name(t);
        if pick.chars().count() >= 4 {
            return Some((pick, origin));
        }
    }
    h1s.first().map(|h| (h.trim().to_string(), "h1"))
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
    fn paragraphs_right_in_the_body_are_all_the_text() {
        let page = "<html><head><title>上海发布人工智能专项政策 - 示例网</title></head><body>\
<div class=\"nav\"><a href=\"/\">首页</a> | <a href=\"/news\">新闻</a></div>\
<h1>上海发布人工智能专项政策</h1>\
<p>上海市经济和信息化委员会4日发布支持人工智能创新发展的若干措施。</p>\
<p>措施提出，对企业购买算力给予补贴，最高可达一半。</p>\
<p>上海将打造具有国际影响力的人工智能产业集群。</p></body></html>";
        let p = read_page(page);
        let text = p.content.join("\n");
        for paragraph in ["4日发布支持", "对企业购买算力", "产业集群。"] {
            assert!(text.contains(paragraph), "{paragraph} missing: {text}");
        }
        assert!(!text.contains("首页"), "{text}");
    }

    #[test]
    fn sentences_in_spans_named_like_comments_are_text() {
        // Text pasted from a social site keeps the spans and ids it came in.
        let page = "<html><head><title>團體活動主題惹爭議 - 示例時報</title></head><body>\
<div class=\"nav\"><a href=\"/\">首頁</a> <a href=\"/news\">新聞</a></div>\
<h1>團體活動主題惹爭議</h1><div class=\"articleContent\">\
<span id=\".root[7].{comment5268436_5270061}.0\">今年活動的主題引起不少爭議，有市民認為主題與過往不同。</span><br/><br/>\
<span id=\".root[7].{comment5268436_5270061}.1\">主辦團體回應說，主題經過會員大會討論，希望吸引更多年輕人參與。</span><br/><br/>\
<span id=\".root[7].{comment5268436_5270061}.2\">有學者表示，團體應該聽取不同意見，才能凝聚更多支持。</span>\
</div><div class=\"comment-box\"><a href=\"/c\">留言</a> <span class=\"share\">分享</span></div></body></html>";
        let p = read_page(page);
        let text = p.content.join("\n");
        for sentence in ["今年活動的主題", "主辦團體回應說", "凝聚更多支持。"]
        {
            assert!(text.contains(sentence), "{sentence} missing: {text}");
        }
        assert!(!text.contains("留言"), "{text}");
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
    fn front_pages_and_teaser_lists_are_told() {
        assert!(is_site_root("http://www.example.com/"));
        assert!(is_site_root("https://example.com.tw"));
        assert!(is_site_root("https://www.example.com/index.html"));
        assert!(!is_site_root("https://www.example.com/news/2024/1.html"));
        assert!(!is_site_root("https://www.example.com/?p=123"));
        let teaser = |n: usize| format!("第{n}条新闻的标题在这里，后面是一段被截断的导语文字...");
        let lines: Vec<String> = (0..6).map(teaser).chain(["版权所有".to_string()]).collect();
        assert!(teasers(&lines));
        let prose: Vec<String> = (0..6)
            .map(|n| format!("第{n}段正文，句子完整地结束，没有被截断的迹象。"))
            .chain(["他说：“我们还会再来……”".to_string()])
            .collect();
        assert!(!teasers(&prose));
    }

    #[test]
    fn a_list_of_links_is_not_an_article() {
        let mut page = String::from("<html><head><title>滚动新闻_示例网</title></head><body><ul>");
        for i in 0..40 {
            page.push_str(&format!(
                "<li><a href='/n{i}'>第{i}条新闻标题在这里</a> <span>2024-05-10</span></li>"
            ));
        }
        page.push_str("</ul></body></html>");
        let p = read_page(&page);
        assert!(p.list_of_links.is_some());
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

    /// A body of two paragraphs for the headline tests.
    const BODY: &str = "<div class=\"article\"><p>桃園市消防局今天表示，平鎮區一處鐵皮工廠上午發生火警，消防人員到場後約一小時撲滅火勢，所幸無人受傷。</p>\
<p>消防局指出，起火原因仍待調查，將請火災調查科到場釐清，並提醒業者注意用電安全。</p></div>";

    #[test]
    fn a_navigation_bar_h1_gives_way_to_the_title_the_metadata_agree_on() {
        let page = format!(
            "<html><head><title>平鎮鐵皮工廠火警 一小時撲滅無人傷 - 社會 - 示例時報電子報</title>\
<meta property=\"og:title\" content=\"平鎮鐵皮工廠火警 一小時撲滅無人傷\"></head><body>\
<h1><a href=\"/\">示例首頁</a> <a href=\"/n\">即時</a> <a href=\"/p\">報紙</a> <a href=\"/s\">社會</a></h1>\
{BODY}</body></html>"
        );
        let p = read_page(&page);
        assert_eq!(
            p.headline.map(|h| h.0).as_deref(),
            Some("平鎮鐵皮工廠火警 一小時撲滅無人傷")
        );
    }

    #[test]
    fn an_h1_that_is_the_sites_or_sections_name_is_no_headline() {
        for h1 in ["示例新聞雲", "即時新聞"] {
            let page = format!(
                "<html><head><title>平鎮鐵皮工廠火警 一小時撲滅無人傷 | 即時新聞 | 示例新聞雲</title>\
<meta property=\"og:title\" content=\"平鎮鐵皮工廠火警 一小時撲滅無人傷\"></head><body>\
<h1>{h1}</h1>{BODY}</body></html>"
            );
            let p = read_page(&page);
            assert_eq!(
                p.headline.map(|h| h.0).as_deref(),
                Some("平鎮鐵皮工廠火警 一小時撲滅無人傷"),
                "with <h1>{h1}</h1>"
            );
        }
    }

    #[test]
    fn an_h1_with_its_date_gives_the_titles_headline() {
        let page = format!(
            "<html><head><title>平鎮鐵皮工廠火警 一小時撲滅無人傷 - 地方 - 示例電子報</title></head><body>\
<h1>平鎮鐵皮工廠火警 一小時撲滅無人傷 <span class=\"date\">2014-04-30 23:54</span></h1>{BODY}</body></html>"
        );
        let p = read_page(&page);
        assert_eq!(
            p.headline.map(|h| h.0).as_deref(),
            Some("平鎮鐵皮工廠火警 一小時撲滅無人傷")
        );
        assert_eq!(
            strip_site_name("廉署貪污舉報今年跌11%- 示例日報網頁"),
            "廉署貪污舉報今年跌11%"
        );
    }

    #[test]
    fn an_article_swallowed_by_an_unclosed_share_bar_is_read() {
        let mut page = String::from(
            "<html><head><title>內湖包子店堅持食安 虧損兩年終獲利 - 示例新聞</title></head><body>\
<div class=\"newsbody\"><div class=\"share\"><a href=\"/p\">Plurk</a> <a href=\"/t\">Twitter</a> <a href=\"/f\">Facebook</a>\
<span id=\"newscontent\">內湖有家包子店，開業3年來，堅持使用新鮮原物料，由於賣得比較貴，一開始每月都虧損，但老闆不放棄理念，終於轉虧為盈。<br/><br/>\
麵團用新鮮麵粉，高麗菜去黑邊，洗4次切絲，老闆娘因父親罹癌，立志做出最健康的包子，堅持三年不變。<br/><br/>\
可是巴掌大包子，得賣20元以上，客人嫌貴，因此頭一年，每月都虧10萬多元，家人一度勸她收手。<br/><br/>\
如今店裡年營業額達300萬元，還獲選創業楷模獎，新推出的動物包，更受到動物園青睞，業績蒸蒸日上。</span></div></div>\
<div class=\"rlist\"><ul>",
        );
        for i in 0..30 {
            page.push_str(&format!("<li><a href='/n{i}'>其它新聞標題第{i}則</a></li>"));
        }
        page.push_str("</ul></div></body></html>");
        let p = read_page(&page);
        assert_eq!(p.list_of_links, None);
        let text = p.content.join("\n");
        assert!(
            text.contains("開業3年來") && text.contains("業績蒸蒸日上。"),
            "{text}"
        );
        assert!(!text.contains("其它新聞標題"), "{text}");
    }

    #[test]
    fn deep_unclosed_markup_does_not_overflow() {
        let page = format!(
            "<html><body>{}<p>深圳发布方案，内容如下。</p></body></html>",
            "<div>".repeat(3_000)
        );
        let p = read_page(&page);
        assert!(p.content.iter().any(|l| l.contains("深圳发布方案")));
    }
}
