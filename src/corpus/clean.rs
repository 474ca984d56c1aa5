//! Clean text: what is not the article goes. HTML tags and entities, pinyin inserted after
//! characters (`規(guī)模` -> `規模`), boilerplate phrases inside paragraphs (`图片来源于网络,
//! 如有侵权,请联系删除`), short page-furniture lines (share prompts, `责编` lines, navigation)
//! and SEO link lists (`宁都县| 武宁县| 灵璧县| ...`). The phrases come from
//! `data/boilerplate.tsv`; the rules here are general. Lines are kept (blank lines too):
//! the splitter needs them, and snippets show paragraphs.

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

use crate::data::{data_lines, BOILERPLATE_TSV};
use crate::text::normalize::{normalize, normalize_str};

/// The boilerplate phrases of `data/boilerplate.tsv`, normalised, by what to do with them.
pub struct Boilerplate {
    phrases: AhoCorasick,
    line_markers: AhoCorasick,
    tail_markers: Vec<String>,
    credit_markers: Vec<String>,
    related_markers: Vec<String>,
}

/// Lines longer than this are article text even when they contain a line marker.
const SHORT_LINE: usize = 40;

/// Normalised text of at most `max` characters that starts with one of `markers`, after a
/// leading 【 [ ■ ● ※ ★ ◆ ▲.
fn short_and_starting(normalized: &str, max: usize, markers: &[String]) -> bool {
    normalized.chars().count() <= max
        && markers.iter().any(|m| {
            normalized
                .trim_start_matches(['【', '[', '■', '●', '※', '★', '◆', '▲', ' '])
                .starts_with(m.as_str())
        })
}

/// A short line that can end the article's text (see [`Boilerplate::footer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Footer {
    /// It starts the page footer: it and what follows are not the article.
    Tail,
    /// It names who edited the page (责任编辑：…): after the article's text it starts the
    /// footer; before it (print pages put it at the top) it is page header.
    Credit,
}

pub fn boilerplate() -> &'static Boilerplate {
    static BP: OnceLock<Boilerplate> = OnceLock::new();
    BP.get_or_init(|| {
        let (mut phrases, mut lines, mut tails, mut credits, mut related) =
            (vec![], vec![], vec![], vec![], vec![]);
        for line in data_lines(BOILERPLATE_TSV) {
            let mut cols = line.splitn(3, '\t');
            let (Some(action), Some(text)) = (cols.next(), cols.next()) else {
                continue;
            };
            let text = normalize_str(text.trim());
            if text.is_empty() {
                continue;
            }
            match action.trim() {
                "phrase" => phrases.push(text),
                "line" => lines.push(text),
                "tail" => tails.push(text),
                "credit" => credits.push(text),
                "related" => related.push(text),
                _ => {}
            }
        }
        let build = |pats: &[String]| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(pats)
                .expect("boilerplate automaton")
        };
        Boilerplate {
            phrases: build(&phrases),
            line_markers: build(&lines),
            tail_markers: tails,
            credit_markers: credits,
            related_markers: related,
        }
    })
}

impl Boilerplate {
    /// Whether a line is a footer line, and which kind.
    pub fn footer(&self, line: &str) -> Option<Footer> {
        let n = normalize_str(line.trim());
        if short_and_starting(&n, SHORT_LINE, &self.tail_markers) {
            Some(Footer::Tail)
        } else if short_and_starting(&n, SHORT_LINE, &self.credit_markers) {
            Some(Footer::Credit)
        } else {
            None
        }
    }

    /// A short line that introduces a list of other articles (相关阅读, 其他相关 ...).
    pub fn is_related_line(&self, line: &str) -> bool {
        short_and_starting(&normalize_str(line.trim()), 30, &self.related_markers)
    }

    fn is_furniture_line(&self, normalized: &str) -> bool {
        normalized.chars().count() <= SHORT_LINE && self.line_markers.is_match(normalized)
    }

    /// Removes boilerplate phrases from one line, wherever they stand.
    fn strip_phrases(&self, line: &str) -> String {
        let n = normalize(line);
        let mut out = String::with_capacity(line.len());
        let mut last = 0;
        for m in self.phrases.find_iter(&n.text) {
            let (from, to) = (n.to_original(m.start()), n.to_original(m.end()));
            out.push_str(&line[last..from]);
            last = to;
        }
        out.push_str(&line[last..]);
        out
    }
}

/// Cleans decoded text into lines (blank lines kept as empty strings).
pub fn clean_text(text: &str) -> Vec<String> {
    clean_lines(&plain_text(text))
}

/// Text as a reader sees it: the tags of an HTML fragment stripped, entities decoded,
/// pinyin inserted after characters removed. (Whole pages go through `corpus::html`.)
pub fn plain_text(text: &str) -> String {
    let text = if looks_like_html(text) {
        strip_html(text)
    } else if text.contains('&') {
        html_escape::decode_html_entities(text).into_owned()
    } else {
        text.to_string()
    };
    strip_pinyin(&text)
}

/// Plain text into cleaned lines: boilerplate phrases, furniture lines, link lists and
/// bare URLs go.
pub fn clean_lines(text: &str) -> Vec<String> {
    let bp = boilerplate();
    let mut lines = Vec::new();
    const ODD_SPACES: [char; 4] = ['\t', '\u{00A0}', '\u{200B}', '\u{FEFF}'];
    for raw in text.lines() {
        let spaced: Cow<str> = if raw.contains(ODD_SPACES) {
            Cow::Owned(raw.replace(ODD_SPACES, " "))
        } else {
            Cow::Borrowed(raw)
        };
        let mut line: Cow<str> = match crate::corpus::markdown::strip_markup(spaced.trim()) {
            Cow::Borrowed(l) => Cow::Borrowed(l.trim()),
            Cow::Owned(l) => Cow::Owned(l.trim().to_string()),
        };
        if let Cow::Owned(joined) = unspace_cjk(&line) {
            line = Cow::Owned(joined);
        }
        let mut normalized = normalize_str(&line);
        if bp.phrases.is_match(&normalized) {
            line = Cow::Owned(bp.strip_phrases(&line).trim().to_string());
            normalized = normalize_str(&line);
        }
        let line: &str = &line;
        if line.is_empty() {
            lines.push(String::new());
        } else if bp.is_furniture_line(&normalized)
            || is_link_list(line)
            || is_url_line(line)
            || is_list_literal(line)
        {
            continue;
        } else {
            lines.push(line.to_string());
        }
    }
    lines
}

/// A character of Chinese text for [`unspace_cjk`]: an ideograph, kana or hangul, or
/// full-width punctuation (，。、「」).
fn is_cjk_text(c: char) -> bool {
    crate::text::tokenize::is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// `旺 角 發 生 一 宗 …` -> `旺角發生一宗…`: some pages (old broadcaster sites, PDF
/// conversions) put a space after every character, so no word of theirs could be found.
/// A line is spaced out when most of its neighbouring Chinese characters stand one space
/// apart; then a space next to a Chinese character goes when the other side is Chinese or
/// a digit (`約 3 時` -> `約3時`), and the spaces between Latin words stay (`HKT 08:57`).
/// Ordinary text, with a space here and there, is left as it is.
pub fn unspace_cjk(line: &str) -> Cow<'_, str> {
    let chars: Vec<char> = line.chars().collect();
    let (mut spaced, mut joined) = (0usize, 0usize);
    for (i, &c) in chars.iter().enumerate() {
        if !is_cjk_text(c) {
            continue;
        }
        match chars.get(i + 1) {
            Some(&n) if is_cjk_text(n) => joined += 1,
            Some(' ') if chars.get(i + 2).is_some_and(|&n| is_cjk_text(n)) => spaced += 1,
            _ => {}
        }
    }
    if spaced < 3 || spaced < joined * 4 {
        return Cow::Borrowed(line);
    }
    let near = |c: Option<&char>| c.is_some_and(|&c| is_cjk_text(c));
    let glue = |c: Option<&char>| c.is_some_and(|&c| is_cjk_text(c) || c.is_ascii_digit());
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 {
            let (before, after) = (chars.get(i - 1), chars.get(i + 1));
            if (near(before) && glue(after)) || (glue(before) && near(after)) {
                continue;
            }
        }
        out.push(c);
    }
    Cow::Owned(out)
}

fn looks_like_html(text: &str) -> bool {
    let mut end = text.len().min(20_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let lower = sample.to_ascii_lowercase();
    let tags = ["<p", "<br", "<div", "</p>", "<html", "<span", "<td"]
        .iter()
        .map(|t| lower.matches(t).count())
        .sum::<usize>();
    // A feed's one-paragraph summary (`<p>…</p>`) is a fragment too: markup at both ends.
    let wrapped = {
        let t = lower.trim();
        t.starts_with('<') && t.ends_with('>')
    };
    tags >= 3 || (tags >= 1 && wrapped)
}

/// HTML to text: scripts and styles go, block tags become line breaks, other tags go,
/// entities are decoded.
fn strip_html(html: &str) -> String {
    static RES: OnceLock<[Regex; 3]> = OnceLock::new();
    let [hidden, block, tag] = RES.get_or_init(|| {
        [
            Regex::new(
                r"(?is)<(script|style|noscript|head)\b.*?</(script|style|noscript|head)\s*>",
            )
            .expect("regex"),
            Regex::new(r"(?i)<\s*(br|/p|p|/div|/h[1-6]|/li|/tr|/title|hr)\b[^>]*>").expect("regex"),
            Regex::new(r"(?s)<[^>]{0,2000}>").expect("regex"),
        ]
    });
    let text = hidden.replace_all(html, "");
    let text = block.replace_all(&text, "\n");
    let text = tag.replace_all(&text, "");
    html_escape::decode_html_entities(&text).into_owned()
}

/// `規(guī)模` -> `規模`: pinyin in brackets right after a Han character. Annotations with tone
/// marks always go; toneless ones (`(ge)`) only on a page that clearly annotates (several
/// tone-marked ones), so real bracketed Latin text like `(CPO)` or `(Prompt)` stays.
fn strip_pinyin(text: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(\p{Han})[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7})[)）]").expect("regex")
    });
    const TONES: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";
    let has_tone = |s: &str| s.chars().any(|c| TONES.contains(c));
    let toned = re
        .captures_iter(text)
        .filter(|c| has_tone(&c[2]))
        .take(3)
        .count();
    if toned == 0 {
        return text.to_string();
    }
    re.replace_all(text, |caps: &regex::Captures| {
        if has_tone(&caps[2]) || toned >= 3 {
            caps[1].to_string()
        } else {
            caps[0].to_string()
        }
    })
    .into_owned()
}

/// SEO link lists: many short items separated by `|`.
fn is_link_list(line: &str) -> bool {
    let parts: Vec<&str> = line
        .split(['|', '｜', '│'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 3 {
        return false;
    }
    let short = parts.iter().filter(|p| p.chars().count() <= 12).count();
    short * 10 >= parts.len() * 8
}

/// `[]`, `['謝明陽']`, `["a", "b"]`: a scraper's serialised list (of authors, tags), not text.
fn is_list_literal(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE
        .get_or_init(|| Regex::new(r#"^\[\s*(?:(?:'[^']*'|"[^"]*")\s*,?\s*)*\]$"#).expect("regex"));
    re.is_match(line.trim())
}

fn is_url_line(line: &str) -> bool {
    let l = line.trim();
    (l.starts_with("http://") || l.starts_with("https://") || l.starts_with("www."))
        && !l.contains(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_after_characters_goes_real_brackets_stay() {
        let text = "前三季度規(guī)模以上工業(yè)增加值增長,光模块(CPO)大涨,發(fā)展(ge)";
        assert_eq!(
            strip_pinyin(text),
            "前三季度規模以上工業增加值增長,光模块(CPO)大涨,發展"
        );
        // a page without tone marks keeps its brackets
        assert_eq!(strip_pinyin("这是(ge)"), "这是(ge)");
    }

    #[test]
    fn spaced_out_chinese_is_joined_and_latin_words_stay_apart() {
        assert_eq!(
            unspace_cjk("旺 角 發 生 一 宗 案 ， 凌 晨 約 3 時 ， HKT 08:57 報 案 。"),
            "旺角發生一宗案，凌晨約3時， HKT 08:57報案。"
        );
        // ordinary text with a few spaces keeps them
        let plain = "深圳发布 低空经济方案 5G 基站 C919 首飞，国务院 通知";
        assert_eq!(unspace_cjk(plain), plain);
        assert_eq!(clean_text("一 名 休 班 警 被 捕\n"), vec!["一名休班警被捕"]);
    }

    #[test]
    fn link_lists_are_dropped() {
        assert!(is_link_list(
            "宁都县| 武宁县| 灵璧县| 竹山县| 南郑县| 来宾市|"
        ));
        assert!(!is_link_list("深圳市工信局副局长肖祖平介绍"));
        let lines = clean_text("正文第一段。\n宁都县| 武宁县| 灵璧县| 竹山县\n正文第二段。");
        assert_eq!(lines, vec!["正文第一段。", "正文第二段。"]);
    }

    #[test]
    fn serialised_lists_are_not_text() {
        assert!(is_list_literal("[]"));
        assert!(is_list_literal("['謝明陽', '陳揚宗']"));
        assert!(!is_list_literal("[图]深圳发布低空经济方案"));
    }

    #[test]
    fn html_becomes_lines() {
        let html = "<html><head><title>x</title><script>var a=1;</script></head><body><p>深圳&nbsp;发布</p><p>低空经济&amp;人工智能</p><div>第三段</div></body></html>";
        let lines: Vec<String> = clean_text(html)
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, vec!["深圳 发布", "低空经济&人工智能", "第三段"]);
    }
}
