//! The headline: the page's `<h1>`s that are not navigation or the site's name, weighed
//! against the metadata's titles (JSON-LD, `og:title`, `<title>` with the site's and channel's
//! names cut off). A title the page also prints wins.

use std::sync::OnceLock;

use regex::Regex;

use super::dom::Dom;
use super::metadata::Meta;

/// The page's `<h1>`s as text, leaving out those in page furniture, in a link (a logo) and
/// rows of links (navigation).
pub(super) fn page_h1s(dom: &Dom) -> Vec<String> {
    dom.blocks
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
        .collect()
}

impl Dom {
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
}

/// Separators between a headline and the site's or channel's name in a `<title>`.
pub(super) fn title_segments(title: &str) -> Vec<String> {
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
pub(super) fn choose_headline(
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

/// `标题 - 要闻云南 - 云南日报网`: the site named at the end of the `<title>`, when it is a
/// known publisher, is the last resort before the URL's host.
pub(super) fn site_named_in_title(doc_title: Option<&str>) -> Option<String> {
    doc_title
        .map(title_segments)
        .filter(|segs| segs.len() > 1)
        .and_then(|segs| segs.last().cloned())
        .filter(|site| crate::facets::source::sources().known(site).is_some())
}

#[cfg(test)]
mod tests {
    use super::super::read_page;
    use super::*;

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
}
