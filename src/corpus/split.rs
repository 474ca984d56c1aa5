//! Split a cleaned page into articles and read each one's title, date and source.
//!
//! A page holds a main article and sometimes, after a line like `相关阅读` or `其他相关`, a
//! list of other articles, each with its own header: title line(s), maybe an author and an
//! id line, and a date line. Each becomes its own article. A list after such a line that has
//! no dated headers is a list of links, not articles, and is dropped.
//!
//! Title: the headline line (of two forms, the complete one), else `(原标题:...)`, else a
//! short first sentence. Date: the header's date line only; dates in the body are events.
//! Source: see `facets::source`.

use std::sync::OnceLock;

use regex::Regex;

use crate::corpus::clean::boilerplate;
use crate::facets::date::date_line as meta_line;
use crate::text::normalize::normalize_str;

/// An article before it gets its id.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub title_from: &'static str,
    /// The lines above the text that are not its title: date and 来源 lines, bylines.
    pub header: Vec<String>,
    pub body: Vec<String>,
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// A line ending like a paragraph of text; headlines may end in ! or ? but not in 。 or ...
fn ends_like_sentence(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(['。', '；', '…', ';']) || t.ends_with("...")
}

fn is_author_like(line: &str) -> bool {
    static BYLINE: OnceLock<Regex> = OnceLock::new();
    let byline = BYLINE.get_or_init(|| {
        Regex::new(r"^\S{0,10}(记者|通讯员|编辑|特约撰稿人?)\s*\S{2,4}(\s+\S{2,4})*$")
            .expect("regex")
    });
    let t = line.trim();
    if char_len(t) <= 24 && byline.is_match(t) {
        return true; // 澎湃新闻记者 张静, 本报记者 王浩 李明
    }
    let parts: Vec<&str> = t.split_whitespace().collect();
    (char_len(t) <= 12 && parts.len() >= 2 && parts.iter().all(|p| char_len(p) <= 4))
        || [
            "作者",
            "记者",
            "文/",
            "文|",
            "撰文",
            "编辑",
            "来源",
            "通讯员",
            "摄影",
        ]
        .iter()
        .any(|p| t.starts_with(p))
}

/// A line that credits rather than heads an article: wholly in brackets (`（牛廷相刘伟）`,
/// `（新华社发美联社照片）`, `（作者单位：中国作家协会）`), a dash credit (`——编者`,
/// `———王文西（山东）`), an author note, a bare number (`４`), a line of a name's length
/// (`李吉`) or of symbols (`＊＊＊`). A headline is never one of these.
fn is_credit_line(line: &str) -> bool {
    let t = line.trim();
    let n = char_len(t);
    if n == 0 {
        return false;
    }
    let bracketed = (t.starts_with(['（', '(']) && t.ends_with(['）', ')']))
        || (t.starts_with(['【', '[', '［', '〔']) && t.ends_with(['】', ']', '］', '〕']));
    let numeral = n <= 3
        && t.chars()
            .all(|c| c.is_numeric() || c.is_whitespace() || "、.．:：".contains(c));
    let undashed = t.trim_start_matches(['—', '―', '-', '－']);
    let dash_credit = undashed.len() < t.len()
        && !undashed.is_empty()
        && (char_len(undashed) <= 4 || (n <= 20 && undashed.ends_with(['）', ')'])));
    // Two characters are a name or a place (`李吉`, `江西`), never a headline; a row of
    // symbols (`＊＊＊`) is a separator.
    let name_length = n <= 2 && !t.chars().any(|c| "。！？!?：:，,".contains(c));
    let symbols = !t.chars().any(char::is_alphanumeric);
    bracketed
        || numeral
        || dash_credit
        || name_length
        || symbols
        || t.starts_with("作者单位")
        || t.starts_with("作者系")
}

fn is_title_like(line: &str) -> bool {
    let t = line.trim();
    let n = char_len(t);
    let letters = t.chars().filter(|c| c.is_alphanumeric()).count();
    (5..=64).contains(&n)
        && letters >= 4
        && !ends_like_sentence(t)
        && meta_line(t).is_none()
        && !t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
        && !t.contains("原标题")
        && !t.contains("http")
        && !is_author_like(t)
        && !is_breadcrumb(t)
        && !is_credit_line(t)
}

fn is_breadcrumb(line: &str) -> bool {
    line.matches(['>', '»', '›']).count() >= 2
}

/// A short line that can stand in a header (not a paragraph of the article).
fn is_headerish(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || (char_len(t) <= 64 && !ends_like_sentence(t))
}

/// A subtitle: a line that opens with a dash (`——在全国会议上的讲话`, `—记一位乡村教师`,
/// `--访…`). One hyphen or full-width hyphen is a minus sign (`-5℃`, `－３％`), not a dash.
fn is_subtitle(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with(['—', '―']) || t.starts_with("--") || t.starts_with("－－")
}

/// The title among header lines: the title-like line nearest the date line (a subtitle only
/// when no other line can be the title), or its complete form when another line is that
/// title cut short or extended.
fn choose_title(block: &[String]) -> Option<String> {
    let candidates: Vec<&str> = block
        .iter()
        .map(|l| l.trim())
        .filter(|l| is_title_like(l))
        .collect();
    let nearest = candidates
        .iter()
        .rev()
        .find(|c| !is_subtitle(c))
        .or(candidates.last())
        .copied()?;
    let key = normalize_str(nearest);
    let best = candidates
        .iter()
        .filter(|c| {
            let k = normalize_str(c);
            k.starts_with(&key) || key.starts_with(&k)
        })
        .max_by_key(|c| char_len(c))
        .copied()
        .unwrap_or(nearest);
    Some(best.to_string())
}

/// `(原标题:X)` at the start of a line: X, and the line without it.
fn take_original_title(line: &str) -> Option<(String, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*[(（]?\s*原标题\s*[:：]\s*([^)）\n]{2,80})[)）]?").expect("regex")
    });
    let caps = re.captures(line)?;
    let title = caps[1].trim().to_string();
    let rest = line[caps.get(0)?.end()..].trim().to_string();
    Some((title, rest))
}

/// A short title made from the first sentence, after any dateline.
fn first_sentence_title(body: &[String]) -> Option<String> {
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    let dateline = DATELINE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:[(（]?.{0,20}?\d{1,2}月\d{1,2}日电\s*(?:[(（][^)）]{0,30}[)）])?",
            r"|.{0,8}?讯\s*(?:记者\s*\S{2,4}\s+)?(?:\d{1,2}月\d{1,2}日\s*[,，]?)?",
            r"|据.{2,10}?电\s*)"
        ))
        .expect("regex")
    });
    // `2019.10.08 01:53【标题】…`: the time stamp a scraped record starts with is no title.
    static STAMP: OnceLock<Regex> = OnceLock::new();
    let stamp = STAMP.get_or_init(|| {
        Regex::new(r"^\d{4}[./\-年]\d{1,2}[./\-月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*")
            .expect("regex")
    });
    // `…幸福生活文｜吳妍新疆…`: a writer's or photographer's credit glued to the headline
    // ends it.
    static CREDIT: OnceLock<Regex> = OnceLock::new();
    let credit = CREDIT
        .get_or_init(|| Regex::new(r"(?:文|记者|記者|攝影|摄影|撰文)\s*[|｜/／]").expect("regex"));
    let first = body.iter().find(|l| !l.trim().is_empty())?;
    let text = first.trim();
    let text = match stamp.find(text) {
        Some(m) if m.end() < text.len() => &text[m.end()..],
        _ => text,
    };
    let text = match dateline.find(text) {
        Some(m) if m.end() < text.len() => &text[m.end()..],
        _ => text,
    };
    // A question or an exclamation keeps its mark, as a headline prints it.
    let sentence_end = text
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '！' | '？' | '!' | '?'))
        .map(|(i, c)| if c == '。' { i } else { i + c.len_utf8() })
        .unwrap_or(text.len());
    let mut title = &text[..sentence_end];
    if let Some(m) = credit.find(title) {
        if char_len(&title[..m.start()]) >= 6 {
            title = &title[..m.start()];
        }
    }
    // `经济总量迈过8万亿大关——去年,…`: a dash after a headline-length opening ends it.
    if let Some(at) = title.find("——") {
        if (6..=40).contains(&char_len(&title[..at])) {
            title = &title[..at];
        }
    }
    if char_len(title) > 50 {
        // A long sentence: cut at a clause break, late enough to say something.
        let cut = title
            .char_indices()
            .skip(12)
            .find(|(i, c)| {
                matches!(c, '，' | ',' | '；' | ';' | '：' | ':') || title[*i..].starts_with("——")
            })
            .map(|(i, _)| i);
        if let Some(i) = cut {
            title = &title[..i];
        }
    }
    let title = title.trim();
    if title.is_empty() {
        return None;
    }
    if char_len(title) > 50 {
        let short: String = title.chars().take(40).collect();
        return Some(format!("{short}…"));
    }
    Some(title.to_string())
}

/// Splits cleaned lines into articles.
pub fn split_articles(lines: &[String]) -> Vec<Draft> {
    let bp = boilerplate();
    let related_at = lines.iter().position(|l| bp.is_related_line(l));
    let (main, related) = match related_at {
        Some(i) => (&lines[..i], &lines[i + 1..]),
        None => (lines, &lines[lines.len()..]),
    };
    let mut drafts = Vec::new();
    if let Some(d) = read_main(main) {
        drafts.push(d);
    }
    drafts.extend(read_related(related));
    drafts
}

/// The main article: an optional header (navigation, title, author, id, date line) at the
/// top, then the body.
fn read_main(lines: &[String]) -> Option<Draft> {
    // Credits printed above the headline or the text (`（牛廷相刘伟）`, `４`, `——编者`) head
    // nothing: they stay out of the title and the body (the article's `extra` keeps them
    // searchable), as long as an article follows them.
    let lead = lines
        .iter()
        .take_while(|l| l.trim().is_empty() || is_credit_line(l))
        .count();
    if lead > 0 {
        if let Some(draft) = read_header_and_body(&lines[lead..]) {
            return Some(draft);
        }
    }
    read_header_and_body(lines)
}

/// [`read_main`] once the credits above it are set aside.
fn read_header_and_body(lines: &[String]) -> Option<Draft> {
    // The header ends at the first line that reads like article text.
    let mut anchor = None;
    for (i, line) in lines.iter().enumerate() {
        if meta_line(line).is_some() {
            anchor = Some(i);
            break;
        }
        if !is_headerish(line) || i > 15 {
            break;
        }
    }
    let (title, mut header, body_start, subtitle) = match anchor {
        Some(a) => {
            let mut header = vec![lines[a].clone()];
            let mut j = a + 1;
            // more date/source lines right after the first
            while j < lines.len() && (lines[j].trim().is_empty() || meta_line(&lines[j]).is_some())
            {
                if !lines[j].trim().is_empty() {
                    header.push(lines[j].clone());
                }
                j += 1;
            }
            let title = choose_title(&lines[..a]);
            // A subtitle under the title is text of the article, not a header to drop.
            let subtitle = title.as_ref().and_then(|t| {
                let at = lines[..a].iter().position(|l| l.trim() == t)?;
                lines[at + 1..a]
                    .iter()
                    .find(|l| is_subtitle(l) && is_title_like(l))
                    .cloned()
            });
            (title, header, j, subtitle)
        }
        None => {
            let mut nonempty = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty());
            match (nonempty.next(), nonempty.next()) {
                (Some((i, first)), Some(_)) if is_title_like(first) => {
                    (Some(first.trim().to_string()), vec![], i + 1, None)
                }
                _ => (None, vec![], 0, None),
            }
        }
    };
    let mut body: Vec<String> = subtitle.into_iter().collect();
    body.extend_from_slice(&lines[body_start..]);
    // A date line as the very last line of the article also dates it.
    if !header.iter().any(|h| meta_line(h).flatten().is_some()) {
        if let Some(last) = body.iter().rposition(|l| !l.trim().is_empty()) {
            if meta_line(&body[last]).flatten().is_some() {
                header.push(body.remove(last));
            }
        }
    }
    finish(title, &header, body)
}

/// The articles listed after a `相关阅读`-like line: each starts with a dated header.
fn read_related(lines: &[String]) -> Vec<Draft> {
    let anchors: Vec<usize> = (0..lines.len())
        .filter(|&i| meta_line(&lines[i]).flatten().is_some())
        .collect();
    // Each anchor's header: the short lines right above it.
    let mut starts = Vec::new();
    let mut floor = 0;
    for &a in &anchors {
        let mut h = a;
        while h > floor && is_headerish(&lines[h - 1]) && meta_line(&lines[h - 1]).is_none() {
            h -= 1;
        }
        if choose_title(&lines[h..a]).is_some() {
            starts.push((h, a));
            floor = a + 1;
        }
    }
    let mut drafts = Vec::new();
    for (k, &(h, a)) in starts.iter().enumerate() {
        let end = starts
            .get(k + 1)
            .map(|&(next_h, _)| next_h)
            .unwrap_or(lines.len());
        let title = choose_title(&lines[h..a]);
        let mut header: Vec<String> = lines[h..a].to_vec();
        header.push(lines[a].clone());
        if let Some(d) = finish(title, &header, lines[a + 1..end].to_vec()) {
            drafts.push(d);
        }
    }
    drafts
}

/// `标题：X`, `主标题:X`, `题目：X`: X. A page that labels its headline keeps the label out of it.
fn strip_title_label(title: &str) -> String {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    let label = LABEL.get_or_init(|| {
        Regex::new(r"^\s*(?:主标题|副标题|标题|题目|Title|TITLE)\s*[:：]\s*").expect("regex")
    });
    let stripped = label.replace(title, "");
    if stripped.trim().is_empty() {
        title.trim().to_string()
    } else {
        stripped.trim().to_string()
    }
}

/// `原文链接：http://…`, `打喷嚏链接：http://…`, `冬装促销低至1.5折起！http://…`: a line of
/// at most a couple of sentences that ends in a link (a label or a pitch for what the link
/// leads to).
fn is_closing_link(line: &str) -> bool {
    let t = line.trim();
    let Some(at) = ["http://", "https://", "www."]
        .iter()
        .filter_map(|p| t.find(p))
        .min()
    else {
        return false;
    };
    let (label, link) = (t[..at].trim_end(), &t[at..]);
    !link.contains(char::is_whitespace) && char_len(label) <= 120
}

/// A widget's label left under the text (分享工具, 网易跟贴, 聚焦新聞): a few Chinese
/// characters with no punctuation, no digit and no Latin, so not a sentence or a byline.
fn is_widget_label(line: &str) -> bool {
    let t = line.trim();
    (2..=6).contains(&char_len(t)) && t.chars().all(crate::text::tokenize::is_cjk)
}

/// Drops the lines that close a text and are not its last paragraph: a label and a link
/// (原文链接：URL, an advert's 购买：URL), which point elsewhere, and a widget's label.
/// The text's only line always stays.
pub fn drop_closing_links<S: AsRef<str>>(lines: &mut Vec<S>) {
    while lines.len() > 1
        && lines.last().is_some_and(|l| {
            let l = l.as_ref();
            l.trim().is_empty() || is_closing_link(l) || is_widget_label(l)
        })
    {
        lines.pop();
    }
}

/// Cleans an article's body and reads its metadata.
fn finish(headline: Option<String>, header: &[String], lines: Vec<String>) -> Option<Draft> {
    let bp = boilerplate();
    let mut original_title = None;
    let mut body: Vec<String> = Vec::new();
    for line in lines {
        let line = line.trim().to_string();
        match bp.footer(&line) {
            // Before the first paragraph a footer word is page header (a 发表评论 link
            // beside the date line, an editor credit printed at the top).
            Some(_) if body.is_empty() => continue,
            Some(_) => break,
            None => {}
        }
        if line.is_empty() {
            continue;
        }
        if original_title.is_none() && body.len() < 3 {
            if let Some((t, rest)) = take_original_title(&line) {
                original_title = Some(t);
                if !rest.is_empty() {
                    body.push(rest);
                }
                continue;
            }
        }
        body.push(line);
    }
    drop_closing_links(&mut body);
    let headline = headline.map(|h| strip_title_label(&h));
    let original_title = original_title.map(|o| strip_title_label(&o));
    let (title, title_from) = match (headline, original_title) {
        (Some(h), Some(o)) if normalize_str(&o).starts_with(&normalize_str(&h)) => {
            (o, "original-title")
        }
        (Some(h), _) => (h, "headline"),
        (None, Some(o)) => (o, "original-title"),
        (None, None) => (first_sentence_title(&body)?, "first-sentence"),
    };
    // The title printed again inside the body (whole, or cut short) is not a paragraph;
    // nor is a paragraph the page printed twice.
    let title_key = normalize_str(&title);
    let mut seen = std::collections::HashSet::new();
    body.retain(|p| {
        let key = normalize_str(p);
        let is_title = key == title_key || (char_len(&key) >= 5 && title_key.starts_with(&key));
        let repeated = char_len(&key) >= 10 && !seen.insert(key);
        !is_title && !repeated
    });
    if body.is_empty() {
        return None;
    }
    Some(Draft {
        title,
        title_from,
        header: header.to_vec(),
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::date::{text_date, Date};
    use crate::facets::source::extract_source;

    /// The date and source the facets read from a draft's header and text.
    fn date_of(d: &Draft) -> Option<Date> {
        text_date(&d.header, &d.body)
    }

    fn source_of(d: &Draft) -> Option<String> {
        extract_source(&d.header, &d.body)
    }
    use crate::corpus::clean::clean_text;

    fn split(text: &str) -> Vec<Draft> {
        split_articles(&clean_text(text))
    }

    #[test]
    fn headline_date_line_and_body() {
        let page = "欢迎您来到 官方网站\n行业新闻\n这件“新”事上,全国各地卷起来了\n时间:2024-01-31    来源:新闻联播    分享:\n近段时间,地方两会密集召开。\n\n近段时间,地方两会密集召开。\n\n■ 北京\n商业航天堪称一大热词。";
        let d = split(page);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].title, "这件“新”事上,全国各地卷起来了");
        assert_eq!(date_of(&d[0]).unwrap().to_string(), "2024-01-31");
        assert_eq!(source_of(&d[0]).as_deref(), Some("央视新闻"));
        // the paragraph printed twice is kept once
        assert_eq!(
            d[0].body.iter().filter(|p| p.contains("地方两会")).count(),
            1
        );
    }

    #[test]
    fn a_scraped_time_stamp_and_a_credit_are_not_the_title() {
        let lines: Vec<String> = vec![
            "2019.12.09 08:00「再教育營學員全已結業」新疆自治區主席：他們過上了幸福生活文｜吳妍新疆維吾爾自治區主席扎克爾表示，學員已全數結業。".into(),
        ];
        let d = split_articles(&lines);
        assert_eq!(
            d[0].title,
            "「再教育營學員全已結業」新疆自治區主席：他們過上了幸福生活"
        );
        let lines: Vec<String> = vec![
            "2019.10.08 01:53【法拍有詭4】飯店遭管委會斷水斷電員工怒吼：生計何去何從？文｜李育材"
                .into(),
        ];
        assert_eq!(
            split_articles(&lines)[0].title,
            "【法拍有詭4】飯店遭管委會斷水斷電員工怒吼：生計何去何從？"
        );
    }

    #[test]
    fn credits_above_the_text_are_never_the_title() {
        let title_of = |text: &str| {
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            split_articles(&lines)[0].title.clone()
        };
        // A credit above a headline: the headline.
        assert_eq!(
            title_of("（牛廷相刘伟）\n海南超额完成人民日报发行任务\n本报海口１月２日电 截至去年底，海南省发行量增长六个百分点。"),
            "海南超额完成人民日报发行任务"
        );
        assert_eq!(
            title_of("（新华社发美联社照片）\n维也纳举行新年音乐会\n１月１日，第五十九届维也纳新年音乐会在奥地利首都举行。"),
            "维也纳举行新年音乐会"
        );
        // A credit, a number or a byline above the text alone: the first sentence.
        for head in [
            "（Ａ、Ｂ）",
            "４",
            "——编者",
            "———王文西（山东）",
            "李吉",
            "＊＊＊",
        ] {
            let title = title_of(&format!(
                "{head}\n贺卡与鲜花充盈着病房，戴碧蓉向探望的人们致谢。她是去年十二月确诊的。"
            ));
            assert_eq!(
                title, "贺卡与鲜花充盈着病房，戴碧蓉向探望的人们致谢",
                "{head}"
            );
        }
        // Short headlines and subtitles stay what they were.
        assert_eq!(
            title_of("亡羊补牢\n某县去年丢了三头牛，今年修好了牛棚。村民说，这回放心了。"),
            "亡羊补牢"
        );
        assert!(!is_credit_line("——记一位乡村教师"));
        assert!(!is_credit_line("（受权发布）中华人民共和国国务院令"));
    }

    #[test]
    fn no_headline_gives_a_first_sentence_title() {
        let page = "发布时间:2024-11-22 10:56:48 来源: sp20241122\n经济总量迈过8万亿大关——去年,浙江经济继续“上分”,日前举行的浙江省两会上,迈上新台阶的GDP成为不少参会者关注的焦点。\n经济持续高质量发展。";
        let d = split(page);
        assert_eq!(d[0].title, "经济总量迈过8万亿大关");
        assert_eq!(d[0].title_from, "first-sentence");
        assert_eq!(date_of(&d[0]).unwrap().to_string(), "2024-11-22");
        assert_eq!(source_of(&d[0]), None);
    }

    #[test]
    fn related_articles_become_their_own_articles() {
        let page = "主标题:深圳发展低空经济\n\n小微 小微\n55471\n2024月03月14日\n\n(原标题:主标题:深圳发展低空经济)\n\n深圳市发布实施方案,新增低空经济与空天产业集群。\n\n其他相关 RELEVANT MATERIAL\nSora领衔龙年\n\nSora领衔龙年\"开门红\"!\"翻身仗\"开始?\n\n小微 小微\n58761\n2024-02-20\n虽然市场早有预期,但A股龙年走出的全面绽放式“开门红”,依然惊艳到了全市场。...\n【ETF观察】2月20日股票ETF净流出8.92亿元\n\n小微 小微\n59581\n2024-02-21\n证券之星消息,2月20日,上证指数报收2922.73,上涨0.42%。...\n最新评论\n热门标签";
        let d = split(page);
        let titles: Vec<&str> = d.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "深圳发展低空经济",
                "Sora领衔龙年\"开门红\"!\"翻身仗\"开始?",
                "【ETF观察】2月20日股票ETF净流出8.92亿元"
            ]
        );
        assert_eq!(date_of(&d[1]).unwrap().to_string(), "2024-02-20");
        assert_eq!(source_of(&d[2]).as_deref(), Some("证券之星"));
        assert!(d[2].body.iter().all(|p| !p.contains("最新评论")));
    }

    #[test]
    fn a_link_list_after_the_related_line_is_not_articles() {
        let page = "深圳大力推进新型工业化\n南都讯 记者焦明梁 10月31日,深圳市政府新闻办举行发布会。\n相关阅读\n深圳低空经济再提速\n广州发布新能源汽车政策\n";
        let d = split(page);
        assert_eq!(d.len(), 1);
        assert_eq!(source_of(&d[0]).as_deref(), Some("南方都市报"));
        assert_eq!(date_of(&d[0]), None);
    }

    #[test]
    fn a_closing_link_is_not_the_last_paragraph() {
        let d = &split(
            "标题在这里\n正文第一段，说了一件事。\n视频：http://v.example.com/1.html\n正文最后一段。\n冬装促销 『朋友包邮』：http://shop.example.com/item?id=1\n原文链接：http://www.example.com/a.html\n",
        )[0];
        assert_eq!(d.body.last().map(String::as_str), Some("正文最后一段。"));
        // a link inside the text stays
        assert!(d.body.iter().any(|l| l.starts_with("视频：")));
        assert!(!is_closing_link("详见第3版：本报评论员文章"));
        let mut lines = vec!["正文最后一段。", "分享工具"];
        drop_closing_links(&mut lines);
        assert_eq!(lines, vec!["正文最后一段。"]);
        let mut lines = vec!["正文最后一段。", "（完）"];
        drop_closing_links(&mut lines);
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn an_editor_credit_ends_the_text_only_after_it() {
        // Print pages name the page's editor at the top: the article follows.
        let top = "本版新闻热线：０１０—６５３６８８７７\n责任编辑：李明\n冬日里的乡村小学\n寒风中，山村的孩子们照常上课，老师把炉火生得很旺。\n";
        let d = split(top);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].title, "冬日里的乡村小学");
        assert!(d[0].body.iter().all(|p| !p.contains("热线")));
        // After the text, the credit starts the footer.
        let bottom = "冬日里的乡村小学\n寒风中，山村的孩子们照常上课。\n【责任编辑：李明】\n猜一猜：下一期写什么？\n";
        let d = split(bottom);
        assert_eq!(d[0].body, vec!["寒风中，山村的孩子们照常上课。"]);
    }

    #[test]
    fn a_subtitle_stays_in_the_text_and_the_title_above_it_is_the_title() {
        let page = "让每一条河流都清澈见底\n——在全省河长制工作会议上的讲话\n王建国\n（2023年4月12日）\n同志们：今天我们召开全省河长制工作会议。\n";
        let d = split(page);
        assert_eq!(d[0].title, "让每一条河流都清澈见底");
        assert_eq!(date_of(&d[0]).unwrap().to_string(), "2023-04-12");
        assert_eq!(d[0].body[0], "——在全省河长制工作会议上的讲话");
    }

    #[test]
    fn a_minus_sign_does_not_make_a_subtitle() {
        assert!(is_subtitle("——在全省河长制工作会议上的讲话"));
        assert!(is_subtitle("—记一位乡村教师"));
        assert!(is_subtitle("--访一位老船长"));
        assert!(!is_subtitle("-5℃寒潮明日抵达北京"));
        assert!(!is_subtitle("－３％：物价回落"));
    }

    #[test]
    fn a_labelled_sentence_is_text_not_a_date_line() {
        // 时间： opens a sentence here; the headline above it stays the headline.
        let page = "嫦娥六号从月球背面带回样品\n本报记者 李华\n时间：6月25日，北京时间14时07分。\n地点：内蒙古四子王旗着陆场。\n返回器在预定区域安全着陆。\n";
        let d = split(page);
        assert_eq!(d[0].title, "嫦娥六号从月球背面带回样品");
        assert!(d[0].body.iter().any(|p| p.starts_with("时间：6月25日")));
    }

    #[test]
    fn body_dates_are_not_publication_dates() {
        let page = "北京商业航天发展提速\n2023年7月12日,朱雀二号遥二运载火箭在酒泉卫星发射中心发射成功。\n北京出台多项政策。";
        let d = split(page);
        assert_eq!(date_of(&d[0]), None);
    }
}
