//! The main content: which block of the page holds the article. Paragraphs score by their
//! length and their punctuation and pass the score up to their ancestors (GNE, Readability and
//! trafilatura share the idea); a container's score shrinks with the share of its text in
//! links. Inside the best container, blocks that are mostly links or named like page furniture
//! are left out. A page whose best container holds next to no prose is a list of links; a page
//! rendered by a script may hold its article in a JSON data block instead.

use std::sync::OnceLock;

use regex::Regex;

use super::dom::{is_block_tag, is_sentence_punct, Dom};

/// Tags that are page furniture by their HTML5 meaning.
fn is_furniture_tag(name: &str) -> bool {
    matches!(name, "nav" | "aside" | "footer" | "menu" | "dialog")
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

impl Dom {
    pub(super) fn is_furniture(&self, i: usize) -> bool {
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
    pub(super) fn score(&mut self) {
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
    pub(super) fn best_container(&self) -> Option<usize> {
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

    pub(super) fn inside_furniture(&self, i: usize) -> bool {
        let mut up = self.blocks[i].parent;
        while let Some(p) = up {
            if is_furniture_tag(&self.blocks[p].tag) {
                return true;
            }
            up = self.blocks[p].parent;
        }
        false
    }

    /// Characters of prose in a subtree: paragraphs with sentence punctuation, not links.
    pub(super) fn prose(&self, i: usize) -> usize {
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
    pub(super) fn skip_inside(&self, i: usize) -> bool {
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
}

/// Whether the page is a list or index of links rather than an article, given its best
/// container and the prose in it: how many links, and what told it. A page of fewer than 20
/// links is never one.
pub(super) fn list_of_links(
    dom: &Dom,
    container: Option<usize>,
    prose: usize,
    content: &[String],
    url: Option<&str>,
) -> Option<(usize, &'static str)> {
    let links = dom.blocks.iter().filter(|b| b.tag == "a").count();
    if links < 20 {
        return None;
    }
    // No prose, or a little prose in a block that is mostly links or is page furniture
    // (a footer's address line): a list page, however many links it has.
    let weak = container.is_none_or(|c| {
        prose < 150 && (dom.link_density(c) > 0.4 || dom.is_furniture(c) || dom.inside_furniture(c))
    });
    // A page whose own URL is its site's root is the front page: unless it holds a long
    // text (a template that puts the root in every page's og:url), it lists articles.
    let front_page = url.is_some_and(is_site_root) && prose < 400;
    let why = if prose < 60 || weak {
        Some("next to no text")
    } else if front_page {
        Some("its own URL is its site's front page")
    } else if teasers(content) {
        Some("its lines are teasers cut off with ...")
    } else {
        None
    };
    why.map(|why| (links, why))
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

/// An article in a page's JSON data: the object with a title and the longest text (of
/// some prose) under the usual field names, with its date.
pub(super) fn article_in_json(
    blobs: &[String],
) -> Option<(Option<String>, String, Option<String>)> {
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

#[cfg(test)]
mod tests {
    use super::super::read_page;
    use super::*;

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
}
