//! Source: the publisher of an article, read the way a reader finds it — a `来源:` line in the
//! header, a dateline or reporter line at the start (`新华社北京3月14日电`, `据新华社电`,
//! `南都讯`, `证券时报记者 吴瞬`), else a `来源:` line at the end — and normalised through
//! `data/sources.toml` (新华网 -> 新华社, 新闻联播 -> 央视新闻, 南都 -> 南方都市报). A
//! dateline is trusted only when it names a known publisher; an id like `sp20241122` is not a
//! source. Unknown stays unknown.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use regex::Regex;
use serde::Deserialize;

use super::Evidence;
use crate::data::{data_lines, HOSTS_TSV, SOURCES_TOML};
use crate::text::normalize::normalize_str;

#[derive(Deserialize)]
struct SourcesFile {
    #[serde(default)]
    not_sources: Vec<String>,
    #[serde(default)]
    wire: Vec<String>,
    source: Vec<SourceEntry>,
}

#[derive(Deserialize)]
struct SourceEntry {
    name: String,
    aliases: Vec<String>,
    #[serde(default)]
    home: Option<String>,
}

/// The known publishers and their aliases.
pub struct Sources {
    /// Normalised alias -> canonical name.
    aliases: HashMap<String, String>,
    /// The aliases of two characters or more, to find the longest one a text starts with.
    prefixes: AhoCorasick,
    /// For each pattern of `prefixes`: its length in characters and its canonical name.
    prefix_names: Vec<(usize, String)>,
    names: Vec<String>,
    /// Normalised starts of values that name no publisher (转载, 互联网 ...).
    not_sources: Vec<String>,
    /// News agencies (canonical names): the usual originals of reprinted copy.
    wire: Vec<String>,
    /// Canonical name -> the region of a Hong Kong, Macao or Taiwan publisher.
    homes: HashMap<String, String>,
    /// Normalised alias -> every publisher listing it, in file order (蘋果日報: Hong Kong's,
    /// then Taiwan's).
    owners: HashMap<String, Vec<String>>,
}

pub fn sources() -> &'static Sources {
    static SOURCES: OnceLock<Sources> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let file: SourcesFile = toml::from_str(SOURCES_TOML).expect("data/sources.toml parses");
        let mut aliases: HashMap<String, String> = HashMap::new();
        let mut names = Vec::new();
        let mut homes = HashMap::new();
        let mut owners: HashMap<String, Vec<String>> = HashMap::new();
        for entry in file.source {
            if let Some(home) = &entry.home {
                homes.insert(entry.name.clone(), home.clone());
            }
            // An alias belongs to the first publisher that lists it.
            for alias in std::iter::once(&entry.name).chain(&entry.aliases) {
                aliases
                    .entry(normalize_str(alias))
                    .or_insert_with(|| entry.name.clone());
                let listed = owners.entry(normalize_str(alias)).or_default();
                if !listed.contains(&entry.name) {
                    listed.push(entry.name.clone());
                }
            }
            names.push(entry.name);
        }
        let (patterns, prefix_names): (Vec<&String>, Vec<(usize, String)>) = aliases
            .iter()
            .filter(|(a, _)| a.chars().count() >= 2)
            .map(|(a, name)| (a, (a.chars().count(), name.clone())))
            .unzip();
        let prefixes = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(patterns)
            .expect("publisher alias automaton");
        let not_sources = file.not_sources.iter().map(|n| normalize_str(n)).collect();
        Sources {
            aliases,
            prefixes,
            prefix_names,
            names,
            not_sources,
            wire: file.wire,
            homes,
            owners,
        }
    })
}

/// Words that follow a publisher's name in a `来源:` value without changing who it is.
const CHANNEL_SUFFIXES: &[&str] = &[
    "微信公众号",
    "官方微信",
    "公众号",
    "客户端",
    "官方网站",
    "官网",
    "微博",
    "app",
    "网站",
];

impl Sources {
    /// True for a news agency's canonical name (新华社, 中央社, 路透社 ...).
    pub fn is_wire(&self, name: &str) -> bool {
        self.wire.iter().any(|w| w == name)
    }

    /// The region of a Hong Kong, Macao or Taiwan publisher (a canonical name), if any.
    pub fn home(&self, name: &str) -> Option<&str> {
        self.homes.get(name).map(String::as_str)
    }

    /// The home region an article's publisher gives its places: the credited source's when
    /// it is a known outlet (新华社 on a Taipei site has none), else the publishing site's (a
    /// broadcaster's programme credited as 中昼新闻 on 公视's site).
    pub fn home_of(&self, source: Option<&str>, site: Option<&str>) -> Option<&str> {
        match source {
            Some(s) if self.aliases.get(s).is_some_and(|n| n == s) => self.home(s),
            _ => site.and_then(|s| self.home(s)),
        }
    }

    /// The canonical name for a known alias, exactly or as the start of `raw`
    /// (`新华社北京` -> 新华社).
    pub fn known(&self, raw: &str) -> Option<&str> {
        let mut n = normalize_str(raw.trim());
        n = n.trim_start_matches('据').to_string();
        for suffix in CHANNEL_SUFFIXES {
            if let Some(stripped) = n.strip_suffix(suffix) {
                if !stripped.is_empty() {
                    n = stripped.to_string();
                }
            }
        }
        if let Some(name) = self.aliases.get(&n) {
            return Some(name);
        }
        self.longest_prefix(&n).map(|(_, name)| name)
    }

    /// The longest alias of two characters or more that normalised `text` starts with: its
    /// length in characters and its publisher.
    fn longest_prefix(&self, text: &str) -> Option<(usize, &str)> {
        self.prefixes
            .find(Input::new(text).anchored(Anchored::Yes))
            .map(|m| {
                let (chars, name) = &self.prefix_names[m.pattern().as_usize()];
                (*chars, name.as_str())
            })
    }

    /// The length in characters of the longest publisher name that normalised `text` starts
    /// with (`北京商报讯…` -> 4): a place name inside it names the publisher, not a place.
    pub fn alias_at(&self, text: &str) -> Option<usize> {
        self.longest_prefix(text).map(|(chars, _)| chars)
    }

    /// A `来源:` value: a known publisher, or the name as printed when it looks like one.
    pub fn from_label(&self, raw: &str) -> Option<String> {
        // A news API names the source by its host (`Chinanews.com`, `Sina.com.cn`).
        if let Some(name) = publisher_of_host_name(raw) {
            return Some(name);
        }
        let n = normalize_str(raw.trim());
        if self.not_sources.iter().any(|s| n.starts_with(s.as_str())) {
            return None;
        }
        // `人民网－人民日报`, `福建日报-新福建`: a site and the paper or agency it carries; the
        // paper or agency is the publisher. An alias written with the dash wins first.
        if !self.aliases.contains_key(&n) {
            if let Some(name) = self.known_parts(raw) {
                return Some(name);
            }
        }
        if let Some(name) = self.known(raw) {
            return Some(name.to_string());
        }
        let v = raw
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() || c == '　');
        let chars = v.chars().count();
        let cjk = v
            .chars()
            .filter(|&c| crate::text::tokenize::is_cjk(c))
            .count();
        let looks_like_name = (2..=16).contains(&chars)
            && cjk >= 2
            && !v.chars().any(|c| c.is_ascii_digit())
            && !v.contains(' ');
        looks_like_name.then(|| v.to_string())
    }

    /// A credit naming a platform and the paper it carries (`顶端新闻·河南商报`,
    /// `人民网－人民日报`): the paper or agency among the known names, else the first known.
    fn known_parts(&self, raw: &str) -> Option<String> {
        let parts: Vec<&str> = raw
            .split(['-', '－', '—', '|', '/', '｜', '·', '・'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 2 {
            return None;
        }
        let named: Vec<&str> = parts.iter().filter_map(|p| self.known(p)).collect();
        named
            .iter()
            .find(|n| n.ends_with(['报', '社']))
            .or(named.first())
            .map(|n| n.to_string())
    }

    /// A publisher named in a dateline or a credit (`新华社北京`, `顶端新闻·河南商报`): known
    /// names only, as a credit also starts with words that are no publisher.
    pub fn credited(&self, raw: &str) -> Option<String> {
        let raw = raw.trim();
        if !self.aliases.contains_key(&normalize_str(raw)) {
            if let Some(name) = self.known_parts(raw) {
                return Some(name);
            }
        }
        self.known(raw).map(str::to_string)
    }

    /// What a user typed after `--source`, as the canonical name to filter on.
    pub fn resolve_filter(&self, user: &str) -> String {
        self.canonical(user)
            .map(str::to_string)
            .unwrap_or_else(|| user.trim().to_string())
    }

    /// A canonical name as itself (苹果日报, Taiwan's paper, though Hong Kong's also prints
    /// that name), else the publisher of a known alias.
    pub fn canonical(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        match self.names.iter().find(|n| n.as_str() == name) {
            Some(n) => Some(n),
            None => self.known(name),
        }
    }

    /// The name a publisher is printed under in `texts` (`今日信報` for 信报), searched in
    /// order, its longest alias first; the name itself when it is printed as it is (a
    /// publisher no data file knows); none when nothing prints it (a source from the host).
    pub fn printed<'a>(&self, name: &str, texts: impl Iterator<Item = &'a str>) -> Option<String> {
        let mut aliases: Vec<&str> = self
            .owners
            .iter()
            .filter(|(_, names)| names.iter().any(|n| n == name))
            .map(|(alias, _)| alias.as_str())
            .collect();
        let own = normalize_str(name);
        if !aliases.contains(&own.as_str()) {
            aliases.push(&own);
        }
        // Longest first; equal lengths in a fixed order, so a file always reads alike.
        aliases.sort_by_key(|a| (std::cmp::Reverse(a.chars().count()), *a));
        for text in texts {
            let n = normalize_str(text);
            for alias in &aliases {
                if let Some(at) = n.find(alias) {
                    // Normalising maps character to character: the same span of the text.
                    let start = n[..at].chars().count();
                    return Some(
                        text.chars()
                            .skip(start)
                            .take(alias.chars().count())
                            .collect(),
                    );
                }
            }
        }
        None
    }

    /// True when the two publishers (canonical names) both print one name (蘋果日報 of Hong
    /// Kong and of Taiwan; 經濟日報 of Beijing and of Hong Kong).
    pub fn share_a_name(&self, a: &str, b: &str) -> bool {
        a != b
            && self
                .owners
                .values()
                .any(|names| names.iter().any(|n| n == a) && names.iter().any(|n| n == b))
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// The publisher of a URL's host, from `data/hosts.tsv`: the longest host suffix at a dot
/// boundary wins (`finance.sina.com.cn` -> `sina.com.cn`).
pub fn source_of_url(url: &str) -> Option<String> {
    static HOSTS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let hosts = HOSTS.get_or_init(|| {
        data_lines(HOSTS_TSV)
            .filter_map(|line| {
                let (host, name) = line.split_once('\t')?;
                let host = host.trim().to_ascii_lowercase();
                (host != "host").then(|| (host, name.trim().to_string()))
            })
            .collect()
    });
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let mut suffix = host.as_str();
    loop {
        if let Some(name) = hosts.get(suffix) {
            return Some(
                sources()
                    .canonical(name)
                    .map_or_else(|| name.clone(), str::to_string),
            );
        }
        suffix = suffix.split_once('.')?.1;
    }
}

/// The publisher of a bare host name given as a source (`Chinanews.com` -> 中国新闻网),
/// through `data/hosts.tsv`.
fn publisher_of_host_name(raw: &str) -> Option<String> {
    let raw = raw.trim();
    is_host_name(raw).then(|| source_of_url(&format!("http://{raw}")))?
}

/// A name that is a host (`Chinanews.com`, `news.example.cn`): it names the site that shows
/// an article, not the outlet credited for it.
pub fn is_host_name(raw: &str) -> bool {
    let raw = raw.trim();
    let Some((_, tld)) = raw.rsplit_once('.') else {
        return false;
    };
    raw.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

struct Patterns {
    label: Regex,
    dateline: Regex,
    according: Regex,
    xun: Regex,
    reporter: Regex,
    trailing: Regex,
    reprinted: Regex,
    closing_credit: Regex,
    trailing_reporter: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        // 来源:新闻联播 / 来源: 新华网 — the value ends at white space or punctuation.
        label: Regex::new(r"(?:^|[\s(\[【])(?:稿件|文章|本文|信息)?来源(?:\s*[:：]|于|自)\s*[\[【(（]?\s*([^\s|,，;；()（）\[\]【】]{1,30})")
            .expect("regex"),
        // 新华社北京3月14日电 / 新华社北京2024年3月14日电 / 中国台湾网4月1日讯 / X 10月14日报道
        dateline: Regex::new(r"^[(（]?(.{2,16}?)\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:电|讯|报道)").expect("regex"),
        // 据新华社电 / 据央视新闻报道
        according: Regex::new(r"^[(（]?据(.{2,12}?)(?:电|报道|消息)").expect("regex"),
        // 南都讯 / 中新网讯
        xun: Regex::new(r"^[(（]?(.{2,8}?)讯").expect("regex"),
        // 证券时报记者 吴瞬 / (中新网 记者 …) / 证券之星消息,
        reporter: Regex::new(r"^[(（]?(?:文\s*[/|｜]\s*)?(.{2,12}?)\s*(?:记者|通讯员|消息[,，:：])").expect("regex"),
        trailing: Regex::new(r"^[(（]?(?:稿件|文章|本文|信息)?来源\s*[:：]\s*([^\s|,，;；()（）]{1,30})").expect("regex"),
        // 转自《北京科技报》 / 摘自人民日报 closing the text
        reprinted: Regex::new(r"^[(（]?(?:转自|转载自|摘自|选自|原载|刊于)\s*[《<]?([^\s《》<>()（）,，。]{2,20})[》>]?").expect("regex"),
        // …作出巨大贡献。（经济日报评论员） / (中国台湾网李宁) / （中央社）: the credit in
        // parentheses that closes the text, maybe followed by a time stamp.
        closing_credit: Regex::new(r"[(（]([^()（）\s]{2,12})(?:\s*(?:记者|评论员|通讯员|特约记者)?\s*[^()（）]{0,8})[)）][^()（）。]{0,30}$").expect("regex"),
        // 整合 新华日报·交汇点记者 徐睿翔 / (总台记者 张倩)
        trailing_reporter: Regex::new(r"(?:^|[\s(（])([^\s(（)）]{2,16}?)\s*(?:特约记者|记者|评论员|通讯员)").expect("regex"),
    })
}

/// True when a `来源:` at `at` in `text` credits a picture (`来源:国新办 刘健/摄`).
fn is_photo_credit(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .take(16)
        .collect::<String>()
        .contains('摄')
}

/// The publisher of an article, from the evidence most trusted first: an explicit source
/// field, the text's 来源 line or credits, the site's own name, the URL's host. A 来源 line
/// names who wrote the article and a site name only who shows it, so a reprint on a portal
/// counts under the agency that wrote it.
pub fn publisher(e: &Evidence) -> Option<String> {
    let credited = e
        .meta_sources
        .iter()
        .find_map(|s| sources().from_label(strip_source_label(s)))
        .or_else(|| extract_source(e.header, e.body))
        .or_else(|| {
            e.credits
                .iter()
                .chain(e.site_names)
                .find_map(|s| sources().from_label(strip_source_label(s)))
        });
    let host = e.url.and_then(source_of_url);
    match (credited, host) {
        // 蘋果日報 on Taiwan's own site is Taiwan's paper, not Hong Kong's (listed first).
        (Some(name), Some(host)) if sources().share_a_name(&name, &host) => Some(host),
        (Some(name), _) => Some(name),
        (None, host) => host,
    }
}

/// The name the credited publisher is printed under (`今日信報`, `新華網`), from the places
/// its credit is read: explicit source fields, the header, the lead and the closing lines,
/// the site's names.
pub fn printed(e: &Evidence, name: &str) -> Option<String> {
    let lead = e.body.iter().filter(|l| !l.trim().is_empty()).take(2);
    let closing = e.body.iter().rev().filter(|l| !l.trim().is_empty()).take(4);
    let texts = e
        .meta_sources
        .iter()
        .chain(e.header)
        .chain(lead)
        .chain(closing)
        .chain(e.site_names)
        .chain(e.credits)
        .map(String::as_str);
    sources().printed(name, texts)
}

/// The outlet that published the page, which may not be the one it credits (a Sina page
/// carrying a 新京报 story: 新浪): its host through `data/hosts.tsv`, else the name the page
/// gives itself (`og:site_name`, `application-name`, the JSON-LD publisher, the site named
/// in its `<title>`), else the host itself (`www.example.com` -> `example.com`).
pub fn site(e: &Evidence) -> Option<String> {
    e.url
        .and_then(source_of_url)
        .or_else(|| {
            e.site_names.iter().find_map(|s| {
                let s = strip_source_label(s);
                sources()
                    .known(s)
                    .map(str::to_string)
                    .or_else(|| sources().from_label(s))
            })
        })
        .or_else(|| e.url.and_then(host_of))
}

/// What a user typed after `--site`: a known name or alias (`新浪网` -> 新浪), a host
/// (`news.sina.com.cn` -> 新浪 through `data/hosts.tsv`, else the host without `www.`), or
/// the name as typed.
pub fn resolve_site(user: &str) -> String {
    let user = user.trim();
    if let Some(name) = sources().canonical(user) {
        return name.to_string();
    }
    if user.contains('.') && !user.contains(char::is_whitespace) {
        let url = if user.contains("://") {
            user.to_string()
        } else {
            format!("http://{user}")
        };
        if let Some(name) = source_of_url(&url).or_else(|| host_of(&url)) {
            return name;
        }
    }
    user.to_string()
}

/// The host of a URL without `www.` (`https://www.example.com/a` -> `example.com`).
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (host.contains('.') && !host.is_empty()).then(|| host.to_string())
}

/// Up to five names of `candidates` closest to what a user typed (most characters shared;
/// ties in the candidates' order, so a caller lists the likelier ones first).
pub fn close_names<'a>(user: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let n = normalize_str(user.trim());
    let chars: std::collections::HashSet<char> = n.chars().collect();
    let mut seen = std::collections::HashSet::new();
    let mut scored: Vec<(usize, &str)> = candidates
        .filter(|c| seen.insert(*c))
        .map(|c| {
            let shared = normalize_str(c)
                .chars()
                .filter(|ch| chars.contains(ch))
                .count();
            (shared, c)
        })
        .filter(|(s, _)| *s > 0)
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored
        .into_iter()
        .take(5)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// `来源：人民日报` -> `人民日报`.
fn strip_source_label(s: &str) -> &str {
    let t = s.trim();
    for label in ["来源", "來源", "稿源", "出处", "Source", "source"] {
        if let Some(rest) = t.strip_prefix(label) {
            return rest.trim_start_matches([':', '：', ' ', '　']).trim();
        }
    }
    t
}

/// The source of an article from its header lines (before the body), its first body
/// paragraphs and its last ones.
pub fn extract_source(header: &[String], body: &[String]) -> Option<String> {
    let p = patterns();
    let s = sources();
    for line in header {
        let n = normalize_str(line);
        // `南方都市报 2024-06-29`, `TNW中文站2016年10月14日07:17`, `原创：39健康网2024-04-23`,
        // `2005年03月21日 11:21 《理财周刊》`: a publisher's name standing next to the date.
        let dated = crate::facets::date::find_date(&n)
            .map(|(_, at)| format!("{} {}", &n[..at.start], &n[at.end..]));
        if let Some(rest) = dated.filter(|_| n.chars().count() <= 40) {
            for word in rest.split([' ', '|', '　']).filter(|w| !w.is_empty()) {
                let word = word
                    .strip_prefix("原创:")
                    .unwrap_or(word)
                    .trim_matches(['《', '》', '[', ']', '【', '】', '·', '・', '(', ')']);
                if !word.chars().any(char::is_alphabetic) {
                    continue;
                }
                let publisher_like = word.ends_with(['报', '网', '社', '台', '刊', '站'])
                    || word.ends_with("新闻")
                    || word.ends_with("财经");
                if let Some(name) = s.known(word) {
                    return Some(name.to_string());
                }
                if publisher_like && !word.contains(':') {
                    if let Some(name) = s.from_label(word) {
                        return Some(name);
                    }
                }
            }
        }
        for caps in p.label.captures_iter(&n) {
            let m = caps.get(1)?;
            if is_photo_credit(&n, m.start()) {
                continue;
            }
            if let Some(found) = s.from_label(m.as_str()) {
                return Some(found);
            }
        }
    }
    let lead: Vec<String> = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(2)
        .map(|l| normalize_str(l.trim()).chars().take(80).collect())
        .collect();
    for line in &lead {
        // 【财新网】中国人民银行26日…: a known publisher in brackets opening the lead.
        if let Some(inner) = line
            .strip_prefix('【')
            .and_then(|rest| rest.split_once('】'))
            .map(|(inner, _)| inner)
        {
            if let Some(name) = s.known(inner) {
                return Some(name.to_string());
            }
        }
        for re in [&p.dateline, &p.according, &p.xun, &p.reporter] {
            if let Some(caps) = re.captures(line) {
                if let Some(name) = s.credited(&caps[1]) {
                    return Some(name);
                }
            }
        }
        for caps in p.label.captures_iter(line) {
            let Some(m) = caps.get(1) else { continue };
            if is_photo_credit(line, m.start()) {
                continue;
            }
            if let Some(found) = s.from_label(m.as_str()) {
                return Some(found);
            }
        }
    }
    let closing: Vec<String> = body
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(4)
        .map(|l| normalize_str(l.trim()))
        .collect();
    for (i, n) in closing.iter().enumerate() {
        // A credit closing one of the last two paragraphs names a known publisher only.
        if i < 2 {
            if let Some(caps) = p.closing_credit.captures(n) {
                if let Some(name) = s.credited(&caps[1]) {
                    return Some(name);
                }
            }
        }
        if n.chars().count() > 40 {
            continue;
        }
        if let Some(caps) = p.reprinted.captures(n) {
            if let Some(found) = s.from_label(&caps[1]) {
                return Some(found);
            }
        }
        for caps in p.trailing_reporter.captures_iter(n) {
            if let Some(name) = s.credited(&caps[1]) {
                return Some(name);
            }
        }
        let n = n.as_str();
        // `（来源：上海证券报）`, `2005年8月25日 (来源:上海证券报)` closing the text.
        let found = p.trailing.captures(n).or_else(|| p.label.captures(n));
        if let Some(caps) = found {
            if is_photo_credit(n, caps.get(1).map_or(0, |m| m.start())) {
                continue;
            }
            if let Some(found) = s.from_label(&caps[1]) {
                return Some(found);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_home_is_a_province_and_aliases_resolve_to_the_longest() {
        let provinces = crate::facets::region::gazetteer().province_names();
        for (name, home) in &sources().homes {
            assert!(
                provinces.contains(&home.as_str()),
                "{name}: home {home} is no province"
            );
        }
        assert_eq!(sources().home("明报"), Some("香港"));
        // A programme's name credited on a broadcaster's site: the site's home.
        assert_eq!(
            sources().home_of(Some("中昼新闻"), Some("公视新闻")),
            Some("台湾")
        );
        // A known outlet without a home, on a Taipei site: none.
        assert_eq!(sources().home_of(Some("新华社"), Some("公视新闻")), None);
        assert_eq!(sources().known("新华社北京3月14日电"), Some("新华社"));
        assert_eq!(sources().known("央视财经频道"), Some("央视财经"));
        assert_eq!(sources().alias_at("北京商报讯"), Some(4));
        assert_eq!(sources().alias_at("广东省"), None);
    }

    #[test]
    fn the_name_as_printed() {
        let s = sources();
        let got = |name: &str, text: &str| s.printed(name, [text].into_iter());
        assert_eq!(
            got("信报", "2024年6月2日 來源：今日信報").as_deref(),
            Some("今日信報")
        );
        assert_eq!(
            got("新华社", "（新華網北京3月14日電）").as_deref(),
            Some("新華網")
        );
        assert_eq!(
            got("某县融媒体中心", "来源：某县融媒体中心").as_deref(),
            Some("某县融媒体中心")
        );
        assert_eq!(got("新浪", "北京五环内将新增公园"), None);
    }

    #[test]
    fn a_shared_name_goes_to_the_site_that_prints_it() {
        let s = sources();
        assert_eq!(s.known("今日信報"), Some("信报"));
        assert_eq!(s.known("信報財經新聞"), Some("信报"));
        assert_eq!(s.known("香港蘋果日報"), Some("香港苹果日报"));
        assert!(s.share_a_name("香港苹果日报", "苹果日报"));
        assert!(!s.share_a_name("新华社", "新浪"));
        assert_eq!(s.resolve_filter("苹果日报"), "苹果日报");
        assert_eq!(
            source_of_url("https://tw.appledaily.com/life/20200815/X/").as_deref(),
            Some("苹果日报")
        );
        let e = |url: &'static str, credit: &'static str| {
            let header = vec![format!("来源：{credit}")];
            publisher(&Evidence {
                path: "a.html",
                url: Some(url),
                meta_dates: &[],
                title_dates: &[],
                meta_sources: &[],
                site_names: &[],
                credits: &[],
                header: &header,
                body: &[],
            })
        };
        assert_eq!(
            e("https://hk.appledaily.com/a/1", "蘋果日報").as_deref(),
            Some("香港苹果日报")
        );
        assert_eq!(
            e("https://tw.appledaily.com/a/1", "蘋果日報").as_deref(),
            Some("苹果日报")
        );
        assert_eq!(
            e("https://money.udn.com/a/1", "經濟日報").as_deref(),
            Some("台湾经济日报")
        );
        assert_eq!(
            e("http://www.ce.cn/a/1", "经济日报").as_deref(),
            Some("经济日报")
        );
        assert_eq!(
            e("https://news.sina.com.cn/a/1", "新京报").as_deref(),
            Some("新京报")
        );
    }

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_label_wins_and_aliases_normalise() {
        let got = extract_source(&lines(&["时间:2024-01-31    来源:新闻联播    分享:"]), &[]);
        assert_eq!(got.as_deref(), Some("央视新闻"));
    }

    #[test]
    fn datelines_and_reporter_lines() {
        let cases = [
            ("新华社北京3月14日电(记者 张三)国务院总理……", Some("新华社")),
            (
                "据新华社电 国务院总理李强2月2日主持召开国务院常务会议",
                Some("新华社"),
            ),
            (
                "南都讯 记者焦明梁 10月31日,深圳市政府新闻办举行发布会",
                Some("南方都市报"),
            ),
            ("证券时报记者  吴瞬", Some("证券时报")),
            ("本报讯 昨日，市政府召开会议。", None),
        ];
        for (lead, want) in cases {
            assert_eq!(
                extract_source(&[], &lines(&[lead])).as_deref(),
                want,
                "{lead}"
            );
        }
    }

    #[test]
    fn ids_and_photo_credits_are_not_sources() {
        assert_eq!(
            extract_source(
                &lines(&["发布时间:2024-11-22 10:56:48 来源: sp20241122"]),
                &[]
            ),
            None
        );
        assert_eq!(
            extract_source(
                &[],
                &lines(&["(来源:国新办 刘健/摄) 由增发国债支持的水利项目正在加快推进!"])
            ),
            None
        );
    }

    #[test]
    fn a_publisher_next_to_the_date_in_the_header() {
        for (line, want) in [
            ("原创：39健康网2024-04-23 12:27:25", "39健康网"),
            ("2024-05-09 22:30·新华社", "新华社"),
            ("2005年03月21日 11:21 《南方周末》", "南方周末"),
        ] {
            assert_eq!(
                extract_source(&lines(&[line]), &[]).as_deref(),
                Some(want),
                "{line}"
            );
        }
    }

    #[test]
    fn credits_of_a_platform_and_a_paper_name_the_paper() {
        let body = lines(&[
            "顶端新闻·河南商报记者马俊峰/文",
            "年过五十，她带领学校民乐团。",
        ]);
        assert_eq!(extract_source(&[], &body).as_deref(), Some("河南商报"));
        let body = lines(&["中国台湾网4月1日讯据台湾《联合报》报道，台中市一处民宅起火。"]);
        assert_eq!(extract_source(&[], &body).as_deref(), Some("中国台湾网"));
    }

    #[test]
    fn credits_closing_the_text() {
        let cases = [
            (
                "只有自由贸易、充分竞争，才能形成全球产能格局的最优解。（经济日报评论员）",
                Some("经济日报"),
            ),
            (
                "印刷電路板廠定穎擬出售桃園廠，設有生產據點。（中央社）更新時間：2019/08/28 12:48",
                Some("中央社"),
            ),
            (
                "为昆剧剧目作出突出贡献。（总台记者 张倩）",
                Some("央视新闻"),
            ),
            ("转自《北京科技报》", Some("北京科技报")),
            ("整合 新华日报·交汇点记者 徐睿翔", Some("新华日报")),
            // A reporter of no named paper, an editor's note: no source.
            ("推动云南工业高质量发展。（记者 胡晓蓉）", None),
            (
                "DeepMind已将其研究结果发表在科学刊物上。（编译/林靖东）",
                None,
            ),
        ];
        for (last, want) in cases {
            let body = lines(&["春潮声声、踔厉奋发。", last]);
            assert_eq!(extract_source(&[], &body).as_deref(), want, "{last}");
        }
    }

    #[test]
    fn trailing_source_line() {
        let body = lines(&[
            "深圳今年新增国家级制造业单项冠军企业29家。",
            "来源:深圳发布",
        ]);
        assert_eq!(extract_source(&[], &body).as_deref(), Some("深圳发布"));
    }
}
