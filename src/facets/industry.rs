//! Industry: what an article is substantially about, from the keyword taxonomy in
//! `data/industries.toml` (the national strategic emerging and future industries plus the
//! main traditional sectors, each with keywords and aliases: AI -> 人工智能, 半导体 -> 集成电路).
//!
//! Keywords are found in the normalised title and body (Latin ones only as whole words, so
//! AI does not fire inside "MAIL"); the longest keyword wins where two overlap (新能源汽车
//! is not also 新能源). A title hit weighs 3, each body hit 1 (at most 3 per keyword), and an
//! article gets an industry at 3 or more: a word mentioned once in passing is not enough.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::data::INDUSTRIES_TOML;
use crate::text::normalize::normalize_str;

#[derive(Deserialize)]
struct IndustriesFile {
    industry: Vec<IndustryEntry>,
}

#[derive(Deserialize)]
struct IndustryEntry {
    name: String,
    #[serde(default)]
    group: String,
    keywords: Vec<String>,
}

pub struct Taxonomy {
    pub names: Vec<String>,
    pub groups: Vec<String>,
    automaton: AhoCorasick,
    /// For each pattern: (industry index, keyword is Latin/digits).
    targets: Vec<(usize, bool)>,
}

pub fn taxonomy() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(|| {
        let file: IndustriesFile =
            toml::from_str(INDUSTRIES_TOML).expect("data/industries.toml parses");
        let mut names = Vec::new();
        let mut groups = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets = Vec::new();
        for (i, entry) in file.industry.into_iter().enumerate() {
            let mut keywords = entry.keywords;
            keywords.push(entry.name.clone());
            for kw in keywords {
                let k = normalize_str(kw.trim());
                if k.is_empty() || patterns.contains(&k) {
                    continue;
                }
                let latin = k.is_ascii();
                patterns.push(k);
                targets.push((i, latin));
            }
            names.push(entry.name);
            groups.push(entry.group);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("industry automaton");
        Taxonomy {
            names,
            groups,
            automaton,
            targets,
        }
    })
}

const THRESHOLD: u32 = 3;
/// A short article (a brief, a flash) says less about everything: two different keywords of
/// one industry in a text shorter than this are as telling as three hits in a long one.
const SHORT_BODY_CHARS: usize = 300;
const SHORT_THRESHOLD: u32 = 2;
const TITLE_WEIGHT: u32 = 3;
const MAX_BODY_HITS_PER_KEYWORD: u32 = 3;

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

impl Taxonomy {
    /// Resolves what a user typed after `--industry` to a taxonomy name.
    pub fn find(&self, user: &str) -> Option<&str> {
        let n = normalize_str(user.trim());
        if let Some(name) = self.names.iter().find(|name| normalize_str(name) == n) {
            return Some(name);
        }
        // A keyword names its industry too (AI -> 人工智能).
        let m = self.automaton.find(&n)?;
        (m.start() == 0 && m.end() == n.len())
            .then(|| self.names[self.targets[m.pattern().as_usize()].0].as_str())
    }
}

/// The industries an article is about, in taxonomy order.
pub fn extract_industries(title: &str, body: &str) -> Vec<String> {
    industries_of_normalized(&normalize_str(title), &normalize_str(body))
}

/// [`extract_industries`] of a title and body already normalised.
pub fn industries_of_normalized(title_n: &str, body_n: &str) -> Vec<String> {
    let t = taxonomy();
    let mut scores = vec![0u32; t.names.len()];
    for m in t.automaton.find_iter(title_n) {
        let (industry, latin) = t.targets[m.pattern().as_usize()];
        if !latin || whole_word(title_n, m.start(), m.end()) {
            scores[industry] += TITLE_WEIGHT;
        }
    }
    let mut per_keyword = vec![0u32; t.targets.len()];
    let mut distinct = vec![0u32; t.names.len()];
    for m in t.automaton.find_iter(body_n) {
        let p = m.pattern().as_usize();
        let (industry, latin) = t.targets[p];
        if latin && !whole_word(body_n, m.start(), m.end()) {
            continue;
        }
        if per_keyword[p] == 0 {
            distinct[industry] += 1;
        }
        if per_keyword[p] < MAX_BODY_HITS_PER_KEYWORD {
            per_keyword[p] += 1;
            scores[industry] += 1;
        }
    }
    let short = body_n.chars().count() < SHORT_BODY_CHARS;
    scores
        .iter()
        .enumerate()
        .filter(|&(i, &s)| {
            s >= THRESHOLD || (short && s >= SHORT_THRESHOLD && distinct[i] >= SHORT_THRESHOLD)
        })
        .map(|(i, _)| t.names[i].clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substantial_topics_not_passing_words() {
        let got = extract_industries(
            "深圳加快建设低空经济产业高地",
            "深圳推动低空经济发展,无人机物流航线已超过100条,eVTOL试飞成功。文章末尾顺带提到房地产。",
        );
        assert!(got.contains(&"低空经济".to_string()), "{got:?}");
        assert!(!got.iter().any(|g| g == "房地产"), "{got:?}");
    }

    #[test]
    fn a_short_brief_needs_two_different_keywords() {
        let got = extract_industries(
            "黑龙江哈尔滨冰雪大世界开园",
            "哈尔滨市文旅局介绍，元旦假期哈尔滨接待游客人次同比增长超过两成。",
        );
        assert!(got.contains(&"文化旅游".to_string()), "{got:?}");
        let got = extract_industries("冰雪大世界开园", "开园首日，游客排起长队。");
        assert!(!got.contains(&"文化旅游".to_string()), "{got:?}");
    }

    #[test]
    fn latin_keywords_are_whole_words() {
        let got = extract_industries("", "Please MAIL us. EMAIL. AIM. SAID. MAIL again.");
        assert!(!got.iter().any(|g| g == "人工智能"), "{got:?}");
    }
}
