//! Region: the places an article is about, from the administrative divisions of China in
//! `data/regions.tsv` (GB/T 2260 codes with parent links).
//!
//! Every place name in the text is found (full names like 广东省 / 深圳市 / 诸暨市, and short
//! ones like 广东 / 深圳), then weighed:
//! - a county's short form (诸暨) counts only once the article has used its full name;
//! - short forms that are also everyday words (`data/region-common-words.txt`: 和平, 新华 …)
//!   never count alone, nor do names that begin a street or another name (北京路, 北京时间)
//!   or a dialect (广东话);
//! - a short name must begin one of jieba's words: 佛罗里达州 holds no 达州, 昌河北斗星 no 河北;
//! - a name shared by several places (朝阳: Beijing's district, Liaoning's city) goes to the
//!   one whose province the article otherwise names, else to the higher level;
//! - a name in a list of three or more places (北京、四川、江西等10个省份), or an area of
//!   several provinces (长三角), is a mention only.
//!
//! Places in the title weigh most, then the lead, then each further mention; a province is
//! a subject when it weighs enough, absolutely and against the article's main place. Cities
//! and counties roll up to their province (深圳 -> 广东/深圳). National news (国务院, 全国 …,
//! `data/national.txt`, or 中国 weighing more than the article's provinces) gets the region
//! 全国. A Hong Kong, Macao or Taiwan publisher's story that names no place is about its home.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use crate::data::{
    data_lines, AREAS_TSV, COUNTRIES_TXT, FOREIGN_PLACES_TXT, NATIONAL_TXT, REGIONS_HK_MO_TW_TSV,
    REGIONS_TSV, REGION_COMMON_WORDS, REGION_WORDS_TSV, TOWNSHIPS_TSV,
};
use crate::facets::place_rules::{place_rules, ShortWith};
use crate::text::normalize::normalize_str;

/// The region value of national news.
pub const NATIONAL: &str = "全国";

#[derive(Debug, Clone)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub short: String,
    pub level: u8,
    /// Index of the province (itself for a province).
    pub province: usize,
    /// Index of the prefecture-level city, if the place is or lies in one.
    pub city: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameForm {
    Full,
    Short,
    /// A word that stands for a province (港股, 立法院: `data/region-words.tsv`).
    Word,
    /// A word that stands for several provinces at once (长三角, 京津冀), each of them named
    /// in passing, as in a list.
    Area,
}

pub struct Gazetteer {
    pub places: Vec<Place>,
    automaton: AhoCorasick,
    /// For each automaton pattern: the places it may name, and in which form.
    targets: Vec<(Vec<usize>, NameForm)>,
    national: AhoCorasick,
    /// For each pattern of `national`: whether it names the country (中国, 国内) rather
    /// than an institution or the whole country's phrase.
    country: Vec<bool>,
    /// Foreign countries (data/foreign-places.txt, data/countries.txt), to tell 日本央行
    /// from 央行: sorted, for [`Gazetteer::foreign_ends`].
    foreign: Vec<String>,
    /// The longest of them, in characters.
    foreign_chars: usize,
    /// The same names, to weigh where a text names them.
    foreign_names: AhoCorasick,
}

pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(Gazetteer::load)
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut places: Vec<Place> = Vec::new();
        let mut by_code: HashMap<String, usize> = HashMap::new();
        let mut parents: Vec<Option<String>> = Vec::new();
        for line in data_lines(REGIONS_TSV).chain(data_lines(REGIONS_HK_MO_TW_TSV)) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 || cols[0] == "code" {
                continue;
            }
            let Ok(level) = cols[3].trim().parse::<u8>() else {
                continue;
            };
            by_code.insert(cols[0].to_string(), places.len());
            parents.push(
                cols.get(4)
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty()),
            );
            places.push(Place {
                code: cols[0].to_string(),
                name: cols[1].to_string(),
                short: cols[2].to_string(),
                level,
                province: usize::MAX,
                city: None,
            });
        }
        // Resolve ancestors.
        for i in 0..places.len() {
            let mut cur = i;
            let mut city = None;
            let mut guard = 0;
            while places[cur].level > 1 && guard < 4 {
                if places[cur].level == 2 {
                    city = Some(cur);
                }
                match parents[cur].as_ref().and_then(|p| by_code.get(p)) {
                    Some(&p) => cur = p,
                    None => break,
                }
                guard += 1;
            }
            places[i].province = cur;
            places[i].city = city;
        }
        let common: HashSet<String> = data_lines(REGION_COMMON_WORDS)
            .filter_map(|l| l.split_whitespace().next())
            .map(normalize_str)
            .collect();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<(Vec<usize>, NameForm)> = Vec::new();
        let mut index: HashMap<(String, bool), usize> = HashMap::new();
        let mut add = |name: &str, place: usize, form: NameForm| {
            let key = (normalize_str(name), form == NameForm::Full);
            if key.0.chars().count() < 2 {
                return;
            }
            let slot = *index.entry(key.clone()).or_insert_with(|| {
                patterns.push(key.0.clone());
                targets.push((Vec::new(), form));
                patterns.len() - 1
            });
            targets[slot].0.push(place);
        };
        for (i, p) in places.iter().enumerate() {
            if !common.contains(&normalize_str(&p.name)) {
                add(&p.name, i, NameForm::Full);
            }
            if p.short != p.name && !common.contains(&normalize_str(&p.short)) {
                add(&p.short, i, NameForm::Short);
            }
        }
        let province_of = |short: &str| {
            places
                .iter()
                .position(|p| p.level == 1 && normalize_str(&p.short) == normalize_str(short))
        };
        for line in data_lines(REGION_WORDS_TSV) {
            let Some((word, provinces)) = line.split_once('\t') else {
                continue;
            };
            if word.trim() == "word" {
                continue;
            }
            let provinces: Vec<&str> = provinces.split(',').map(str::trim).collect();
            let form = if provinces.len() > 1 {
                NameForm::Area
            } else {
                NameForm::Word
            };
            for province in provinces {
                let province = province_of(province)
                    .unwrap_or_else(|| panic!("data/region-words.tsv: no province {province}"));
                add(word.trim(), province, form);
            }
        }
        add_places_below_county(&by_code, &mut add);
        // A string that is a full name somewhere and a short name elsewhere is one pattern
        // in the automaton; keep the full-name reading first.
        let mut merged: HashMap<String, usize> = HashMap::new();
        let mut final_patterns = Vec::new();
        let mut final_targets: Vec<(Vec<usize>, NameForm)> = Vec::new();
        for (pat, (places_of, form)) in patterns.into_iter().zip(targets) {
            match merged.get(&pat) {
                Some(&slot) => {
                    if form == NameForm::Full {
                        final_targets[slot].1 = NameForm::Full;
                    }
                    final_targets[slot].0.extend(places_of);
                }
                None => {
                    merged.insert(pat.clone(), final_patterns.len());
                    final_patterns.push(pat);
                    final_targets.push((places_of, form));
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            // Anchored too: is a place name right after a national word (人民银行陕西省分行)?
            .start_kind(StartKind::Both)
            .build(&final_patterns)
            .expect("place automaton");
        let (national_words, country): (Vec<String>, Vec<bool>) = data_lines(NATIONAL_TXT)
            .filter_map(|l| {
                let mut cols = l.split_whitespace();
                let word = cols.next()?;
                Some((normalize_str(word), cols.next() == Some("country")))
            })
            .unzip();
        let national = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&national_words)
            .expect("national automaton");
        let mut foreign: Vec<String> = data_lines(FOREIGN_PLACES_TXT)
            .chain(data_lines(COUNTRIES_TXT))
            .filter_map(|l| l.split_whitespace().next())
            .map(normalize_str)
            .collect();
        foreign.sort();
        foreign.dedup();
        let foreign_names = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&foreign)
            .expect("foreign automaton");
        Gazetteer {
            foreign_chars: foreign.iter().map(|f| f.chars().count()).max().unwrap_or(0),
            foreign,
            foreign_names,
            places,
            automaton,
            targets: final_targets,
            national,
            country,
        }
    }

    /// Whether `text` ends with a foreign country's name: each of its last few suffixes
    /// looked up in the sorted names.
    fn foreign_ends(&self, text: &str) -> bool {
        text.char_indices()
            .rev()
            .take(self.foreign_chars)
            .any(|(i, _)| {
                self.foreign
                    .binary_search_by(|f| f.as_str().cmp(&text[i..]))
                    .is_ok()
            })
    }

    /// Whether a name in this form can only be a county's short form (诸暨, 平镇) or a
    /// township's (北极): such a name counts after the place's full name, or where the
    /// article names its province otherwise.
    fn needs_its_province(&self, pattern: usize) -> bool {
        let (places, form) = &self.targets[pattern];
        *form == NameForm::Short && places.iter().all(|&p| self.places[p].level == 3)
    }

    /// `广东`, `广东/深圳`, `浙江/绍兴/诸暨`, `北京/海淀`: the facet path of a place.
    pub fn path(&self, i: usize) -> String {
        let p = &self.places[i];
        let mut parts = vec![self.places[p.province].short.clone()];
        if let Some(c) = p.city {
            parts.push(self.places[c].short.clone());
        }
        if p.level == 3 {
            parts.push(p.short.clone());
        }
        parts.join("/")
    }

    /// Province short names, in code order.
    pub fn province_names(&self) -> Vec<&str> {
        self.places
            .iter()
            .filter(|p| p.level == 1)
            .map(|p| p.short.as_str())
            .collect()
    }

    /// A province as users type it (`广东`, `广东省`, `廣東`), as its short name.
    pub fn find_province(&self, user: &str) -> Option<&str> {
        let n = normalize_str(user.trim());
        if n == NATIONAL {
            return Some(NATIONAL);
        }
        self.places
            .iter()
            .find(|p| p.level == 1 && (normalize_str(&p.short) == n || normalize_str(&p.name) == n))
            .map(|p| p.short.as_str())
    }

    /// Cities (or counties) as users type them (`深圳`, `深圳市`, `诸暨`), as facet paths.
    pub fn find_city_paths(&self, user: &str) -> Vec<String> {
        let n = normalize_str(user.trim());
        let mut paths: Vec<String> = self
            .places
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.level >= 2 && (normalize_str(&p.short) == n || normalize_str(&p.name) == n)
            })
            .map(|(i, _)| self.path(i))
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// A municipality under the central government (北京, 上海, 天津, 重庆), as users type it:
    /// a province that is one city, its short name.
    pub fn find_municipality(&self, user: &str) -> Option<&str> {
        let n = normalize_str(user.trim());
        self.places
            .iter()
            .find(|p| {
                p.level == 1
                    && p.name.ends_with('市')
                    && (normalize_str(&p.short) == n || normalize_str(&p.name) == n)
            })
            .map(|p| p.short.as_str())
    }

    /// Names that look like `user`, for "did you mean" advice.
    pub fn close_names(&self, user: &str, level_max: u8) -> Vec<String> {
        let n = normalize_str(user.trim());
        let chars: HashSet<char> = n.chars().collect();
        let mut scored: Vec<(usize, String)> = self
            .places
            .iter()
            .filter(|p| p.level <= level_max)
            .map(|p| {
                let shared = p.short.chars().filter(|c| chars.contains(c)).count();
                (shared, p.short.clone())
            })
            .filter(|(s, _)| *s > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(5).map(|(_, n)| n).collect()
    }
}

/// Places below the county, as names of the district or county they lie in: the well-known
/// areas of `data/areas.tsv` (旺角, 前海), which count alone like a region word, and the
/// townships of `data/townships.tsv`, whose full name (北极街道) counts alone and whose short
/// name (大佘太) counts as a county's short form does. An area wins over a township's name.
fn add_places_below_county(
    by_code: &HashMap<String, usize>,
    add: &mut impl FnMut(&str, usize, NameForm),
) {
    let place_of = |file: &str, code: &str| {
        *by_code
            .get(code.trim())
            .unwrap_or_else(|| panic!("{file}: no place of code {code}"))
    };
    let mut areas: HashSet<String> = HashSet::new();
    for line in data_lines(AREAS_TSV) {
        let Some((area, code)) = line.split_once('\t') else {
            continue;
        };
        if area.trim() == "area" {
            continue;
        }
        add(
            area.trim(),
            place_of("data/areas.tsv", code),
            NameForm::Word,
        );
        areas.insert(normalize_str(area.trim()));
    }
    for line in data_lines(TOWNSHIPS_TSV) {
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < 3 || cols[0] == "name" {
            continue;
        }
        let county = place_of("data/townships.tsv", cols[2]);
        if !areas.contains(&normalize_str(cols[0])) {
            add(cols[0], county, NameForm::Full);
        }
        if cols[1] != cols[0] && !areas.contains(&normalize_str(cols[1])) {
            add(cols[1], county, NameForm::Short);
        }
    }
}

/// The region facets of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Regions {
    /// The places the article is about (paths), plus 全国 for national news.
    pub subjects: Vec<String>,
    /// Every place it names (paths).
    pub mentions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    Title,
    Lead,
    Body,
}

struct Mention {
    start: usize,
    end: usize,
    pattern: usize,
    zone: Zone,
    /// Named in passing: in a list of places, or as one of an area's (长三角).
    passing: bool,
}

/// Characters after a name that make it part of another name (a street, a time zone).
const NOT_A_PLACE_AFTER: &[&str] = &["路", "街", "大道", "时间", "大街"];
/// Characters of the gap between two names in a list. Names written back to back
/// (广西壮族自治区灵川县九屋乡) are an address, not a list.
fn is_list_gap(gap: &str) -> bool {
    !gap.is_empty()
        && gap.chars().count() <= 3
        && gap.chars().all(|c| {
            matches!(
                c,
                '、' | ',' | '，' | '和' | '及' | '与' | '以' | '/' | '|' | ' ' | '　' | '等'
            )
        })
}

/// Words after a national institution that make it a person's title, not national news.
/// 全国首个 / 居全国前列 / 全国第一 rank a local thing in the country: local news.
const NATIONAL_NOT_AFTER: &[&str] = &[
    "委员",
    "代表",
    "常委",
    "委员会委员",
    "首",
    "第一",
    "前列",
    "领先",
    "最",
    "之最",
    "同类",
    "城市",
];

/// Finds the places an article is about.
pub fn extract_regions(title: &str, body: &str) -> Regions {
    regions_of_normalized(&normalize_str(title), &normalize_str(body), None)
}

/// [`extract_regions`] of a title and body already normalised.
///
/// The steps: find every name ([`find_mentions`]), mark the names that stand in lists
/// ([`mark_lists`]), settle each name on one place and weigh it by where it stands
/// ([`score_places`]), keep the provinces, cities and counties that weigh enough
/// ([`subject_paths`]), and add 全国 when the article is about the whole country
/// ([`is_national`]). A story abroad keeps no province it names in passing. A story that
/// names no province of China but its publisher's `home` region (a Hong Kong, Macao or
/// Taiwan publisher: `data/sources.toml`), and no foreign place but in passing, is about
/// that home.
pub fn regions_of_normalized(title_n: &str, body_n: &str, home: Option<&str>) -> Regions {
    let g = gazetteer();
    let text = ArticleText::new(title_n, body_n);
    let mut mentions = find_mentions(g, &text);
    mark_lists(&text, &mut mentions);
    let scores = score_places(g, &mentions);
    let words = national_words(g, &text);
    let mut national = is_national(g, &scores, &words);
    let mut subjects = subject_paths(g, &scores, national, body_n.chars().count());
    // A digest of numbered items (【1】…【25】) reports from everywhere: only the places of
    // its title are its subjects, and news from three provinces or more makes it national.
    if is_digest(body_n) {
        subjects.retain(|path| {
            let province = path.split('/').next().unwrap_or(path);
            scores
                .in_title
                .iter()
                .any(|&p| g.places[p].short == province)
        });
        national |= scores.named.len() >= 3;
    }
    // A central institution or a whole-country phrase in the title or lead of a story about
    // no province (国家统计局今天发布…, 国务院常务会议…) is national news, however short.
    if subjects.is_empty()
        && home.is_none()
        && words.up_front
        && place_rules().national.up_front
        && !scores.area_in_title
        && !abroad_at_home(g, &scores)
        && !abroad_story(&scores, &words)
    {
        national = true;
    }
    // A story abroad names a province of China in passing (他经常去台湾): it is about none
    // but its publisher's home when the story names it again and again, whose people abroad
    // are its readers' news (台灣旅行團 in a crash in Norway).
    let foreign = foreign_weight(g, &text);
    let abroad = !words.in_title
        && scores.in_title.is_empty()
        && foreign > 0.0
        && foreign >= place_rules().abroad.over_province * scores.max_province();
    let home_weighs = |province: &str| {
        home == Some(province)
            && scores
                .province
                .iter()
                .any(|(&p, &w)| g.places[p].short == province && w >= place_rules().subject.floor)
    };
    if abroad {
        subjects.retain(|path| home_weighs(path.split('/').next().unwrap_or(path)));
    }
    // A home publisher's story that names no province but its home, however often, is
    // about its home (a Taipei broadcaster's story datelined 台北, of a shop in 内湖), unless
    // it happens abroad and names home only in passing. So is one that names no place of
    // China and foreign places only in passing (a Taipei politics story that ends
    // 他人在新加坡访问).
    if let Some(home) = home {
        let only_home = scores.named.len() == 1
            && scores.named.iter().all(|&p| g.places[p].short == home)
            && (!abroad || home_weighs(home));
        let abroad_in_passing = scores.named.is_empty()
            && (foreign == 0.0 || foreign < place_rules().abroad.home_below);
        if subjects.is_empty() && !national && (only_home || abroad_in_passing) {
            // A province's short name: data/sources.toml's test holds every home to it.
            subjects.push(home.to_string());
        }
    }
    if national {
        subjects.push(NATIONAL.to_string());
    }
    let mut mention_paths: Vec<String> = scores.mentioned.iter().map(|&p| g.path(p)).collect();
    mention_paths.extend(subjects.iter().cloned());
    mention_paths.sort();
    mention_paths.dedup();
    subjects.sort();
    subjects.dedup();
    Regions {
        subjects,
        mentions: mention_paths,
    }
}

/// Whether a text is a digest: at least [`DIGEST_ITEMS`] lines that start with the item
/// numbers 1, 2, 3 … in order (`【1】`, `[2]`, `3、`, `4.`).
fn is_digest(body_n: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^\s*[\[【(]?(\d{1,2})(?:[\]】)、]|\.\D)").expect("regex")
    });
    let mut next = 1;
    for line in body_n.lines() {
        let Some(n) = re.captures(line).and_then(|c| c[1].parse::<usize>().ok()) else {
            continue;
        };
        if n == next {
            next += 1;
        }
    }
    next > DIGEST_ITEMS
}

/// Numbered items that make a text a digest rather than an article with a numbered list.
const DIGEST_ITEMS: usize = 8;

/// The title and body as one text, with the zones that weigh a name differently.
struct ArticleText {
    text: String,
    title_end: usize,
    lead_end: usize,
    /// The end of the body's first sentence (within the lead).
    first_sentence_end: usize,
}

impl ArticleText {
    fn new(title_n: &str, body_n: &str) -> ArticleText {
        let title_end = title_n.len();
        let lead_end = title_end
            + 1
            + body_n
                .char_indices()
                .nth(place_rules().weight.lead_chars)
                .map(|(i, _)| i)
                .unwrap_or(body_n.len());
        let first_sentence_end = body_n
            .find(['。', '!', '?', '\n'])
            .map_or(lead_end, |i| (title_end + 1 + i).min(lead_end));
        ArticleText {
            text: format!("{title_n}\n{body_n}"),
            title_end,
            lead_end,
            first_sentence_end,
        }
    }

    fn zone_of(&self, at: usize) -> Zone {
        if at < self.title_end {
            Zone::Title
        } else if at < self.lead_end {
            Zone::Lead
        } else {
            Zone::Body
        }
    }
}

impl Zone {
    /// Places in the title weigh most, then the lead, then each further mention.
    fn weight(self) -> f64 {
        let w = &place_rules().weight;
        match self {
            Zone::Title => w.title,
            Zone::Lead => w.lead,
            Zone::Body => w.body,
        }
    }
}

/// Words before a name that make it no place the article is about: 亲北京阵营 is a political
/// camp, 发布于：北京市 and IP属地：北京 where the poster was.
const NOT_A_PLACE_BEFORE: &[&str] = &["亲", "发布于:", "发布于 ", "ip属地:", "ip属地 "];

/// Every place name of the text, except those that are part of another name: a street or a
/// time zone (北京路, 北京时间), a political camp (亲北京), a poster's location, a
/// publisher (北京商报讯, 南方都市报), and the capital in an agency's dateline
/// (新华社北京3月14日电 is the national desk's, not news about Beijing).
fn find_mentions(g: &Gazetteer, t: &ArticleText) -> Vec<Mention> {
    let text = &t.text;
    let publishers = crate::facets::source::sources();
    let mut mentions = Vec::new();
    for m in g.automaton.find_iter(text) {
        let after = &text[m.end()..];
        let before = &text[..m.start()];
        let (places, form) = &g.targets[m.pattern().as_usize()];
        if *form == NameForm::Short
            && (NOT_A_PLACE_AFTER.iter().any(|s| after.starts_with(s)) || is_dialect(after))
        {
            continue;
        }
        // A short name or a word must begin one of jieba's words: 佛罗里达州 holds no 达州,
        // 盛大庆典 no 大庆, 昌河北斗星 no 河北.
        // So must a full name of three characters or less: 扩大社区 holds no 大社区.
        let short_full = *form == NameForm::Full && text[m.start()..m.end()].chars().count() <= 3;
        if (*form != NameForm::Full || short_full) && !begins_a_word(text, m.start()) {
            continue;
        }
        if *form != NameForm::Word && NOT_A_PLACE_BEFORE.iter().any(|s| before.ends_with(s)) {
            continue;
        }
        if *form == NameForm::Word && is_conversion(before, &text[m.start()..m.end()]) {
            continue;
        }
        let name_chars = text[m.start()..m.end()].chars().count();
        if publishers
            .alias_at(&text[m.start()..])
            .is_some_and(|len| len > name_chars)
        {
            continue;
        }
        let zone = t.zone_of(m.start());
        let is_capital = places.iter().all(|&p| g.places[p].code.starts_with("11"));
        if zone == Zone::Lead && is_capital && is_dateline_at(after) {
            continue;
        }
        mentions.push(Mention {
            start: m.start(),
            end: m.end(),
            pattern: m.pattern().as_usize(),
            zone,
            // An area (长三角) names its provinces as a list does.
            passing: *form == NameForm::Area,
        });
    }
    mentions
}

/// A sum converted into a region's currency, `634万美元(约新台币1.9亿元)`: the readers'
/// currency, not a place of the story.
fn is_conversion(before: &str, word: &str) -> bool {
    (word.ends_with('币') || word.ends_with('元'))
        && ["(", "(约", "约合", "折合", "相当于"]
            .iter()
            .any(|s| before.trim_end().ends_with(s))
}

/// 广东话, 上海话: a place's dialect, not the place (上海话剧 and 北京话题 are no dialect).
fn is_dialect(after: &str) -> bool {
    after.starts_with('话') && !after.starts_with("话剧") && !after.starts_with("话题")
}

/// Whether jieba, cutting the text around `at`, starts a word there.
fn begins_a_word(text: &str, at: usize) -> bool {
    // After anything but a Chinese character (a line's start, punctuation, a digit) a word
    // begins without asking jieba.
    if !text[..at]
        .chars()
        .next_back()
        .is_some_and(crate::text::tokenize::is_cjk)
    {
        return true;
    }
    words_around(text, at, at).any(|(from, _)| from == at)
}

/// Whether jieba, cutting the text around them, makes `text[start..end]` one word.
fn is_a_word(text: &str, start: usize, end: usize) -> bool {
    words_around(text, start, end).any(|word| word == (start, end))
}

/// The words (byte bounds in `text`) that jieba cuts from up to 8 characters either side of
/// `text[start..end]` and that span itself.
fn words_around(text: &str, start: usize, end: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    const CONTEXT: usize = 8;
    let from = text[..start]
        .char_indices()
        .rev()
        .take(CONTEXT)
        .last()
        .map_or(start, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(CONTEXT)
        .map_or(text.len(), |(i, _)| end + i);
    crate::text::tokenize::default_jieba()
        .cut(&text[from..to], false)
        .into_iter()
        .map(move |w| (from + w.byte_start, from + w.byte_end))
}

/// Whether the text names a foreign country (`data/foreign-places.txt`).
fn names_a_foreign_place(g: &Gazetteer, text: &str) -> bool {
    g.foreign_names.is_match(text)
}

/// What the foreign countries of a text weigh, by where they stand, as place names do.
fn foreign_weight(g: &Gazetteer, t: &ArticleText) -> f64 {
    g.foreign_names
        .find_iter(&t.text)
        .filter(|m| begins_a_word(&t.text, m.start()))
        .map(|m| t.zone_of(m.start()).weight())
        .sum()
}

/// `3月14日电`, `2024年3月14日电`, `11月17日讯` right after a place: a dateline.
fn is_dateline_at(after: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:电|讯)").expect("regex")
    })
    .is_match(after)
}

/// Lists: chains of three or more names with only separators between them
/// (北京、四川、江西等10个省份) are mentions, not subjects.
fn mark_lists(t: &ArticleText, mentions: &mut [Mention]) {
    let mut i = 0;
    while i < mentions.len() {
        let mut j = i;
        while j + 1 < mentions.len() && is_list_gap(&t.text[mentions[j].end..mentions[j + 1].start])
        {
            j += 1;
        }
        if j - i + 1 >= 3 {
            for m in &mut mentions[i..=j] {
                m.passing = true;
            }
        }
        i = j + 1;
    }
}

/// What the mentions add up to.
#[derive(Default)]
struct PlaceScores {
    province: BTreeMap<usize, f64>,
    /// Cities and counties (a county also counts for its city).
    place: BTreeMap<usize, f64>,
    /// Provinces, cities and counties named in the title, outside a list.
    in_title: HashSet<usize>,
    /// Whether the title names an area of several provinces (长三角一体化).
    area_in_title: bool,
    /// Provinces named in the lead, outside a list.
    in_lead: HashSet<usize>,
    /// Provinces named anywhere, outside a list.
    named: HashSet<usize>,
    /// Every place a mention settled on.
    mentioned: Vec<usize>,
}

impl PlaceScores {
    /// The province that weighs most, if any.
    fn main_province(&self) -> Option<usize> {
        self.province
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(&p, _)| p)
    }

    fn max_province(&self) -> f64 {
        self.province.values().copied().fold(0.0, f64::max)
    }
}

/// Settles each mention on one place and weighs it by where it stands (`[weight]` of
/// `data/place-rules.toml`: title 4, lead 2, body 1, in a list 0.25).
fn score_places(g: &Gazetteer, mentions: &[Mention]) -> PlaceScores {
    // Places named by their full name (a county's short name needs one of these).
    let mut introduced: HashSet<usize> = HashSet::new();
    for m in mentions {
        let (places, form) = &g.targets[m.pattern];
        if *form == NameForm::Full && places.len() == 1 {
            introduced.insert(places[0]);
        }
    }
    // Provinces named without ambiguity, by names that count alone, to settle the ambiguous
    // names and let county and township short names count.
    let mut sure_provinces: HashSet<usize> = HashSet::new();
    for m in mentions {
        if g.needs_its_province(m.pattern) {
            continue;
        }
        let provinces: HashSet<usize> = g.targets[m.pattern]
            .0
            .iter()
            .map(|&p| g.places[p].province)
            .collect();
        if provinces.len() == 1 {
            sure_provinces.extend(provinces);
        }
    }
    // The provinces or cities (`county.short_with`) whose counties' short names count: those
    // of the places the other names settle on, before any county short name counts (台北 is
    // Taipei's name and a Wuhan street's; settled on the city, it lets 内湖 count).
    let mut anchors: HashSet<usize> = HashSet::new();
    let none: HashSet<usize> = HashSet::new();
    for m in mentions {
        if g.needs_its_province(m.pattern) {
            continue;
        }
        if g.targets[m.pattern].1 != NameForm::Area {
            if let Some(p) = settle_mention(g, m, &introduced, &none, &sure_provinces) {
                let place = &g.places[p];
                match place_rules().county.short_with {
                    ShortWith::FullName => {}
                    ShortWith::City => anchors.extend(place.city),
                    ShortWith::Province => {
                        anchors.extend(place.city);
                        anchors.insert(place.province);
                    }
                }
            }
        }
    }
    let mut scores = PlaceScores::default();
    for m in mentions {
        let (places, form) = &g.targets[m.pattern];
        let named: Vec<usize> = if *form == NameForm::Area {
            places.clone()
        } else {
            settle_mention(g, m, &introduced, &anchors, &sure_provinces)
                .into_iter()
                .collect()
        };
        for chosen in named {
            // A short name that counts for its city's sake (贺兰 where 银川 is named: maybe
            // 贺兰山) weighs for the city and province, not as the county itself.
            let sure = !g.needs_its_province(m.pattern) || introduced.contains(&chosen);
            scores.add(g, m, chosen, sure);
        }
    }
    scores
}

impl PlaceScores {
    /// Adds a mention settled on one place: its weight goes to the place, its city and its
    /// province.
    fn add(&mut self, g: &Gazetteer, m: &Mention, chosen: usize, county_sure: bool) {
        let weight = if m.passing {
            place_rules().weight.passing
        } else {
            m.zone.weight()
        };
        let province = g.places[chosen].province;
        *self.province.entry(province).or_default() += weight;
        if g.places[chosen].level > 1 && county_sure {
            *self.place.entry(chosen).or_default() += weight;
            if let Some(city) = g.places[chosen].city {
                if city != chosen {
                    *self.place.entry(city).or_default() += weight;
                }
            }
        }
        if m.zone == Zone::Lead && !m.passing {
            self.in_lead.insert(province);
        }
        if !m.passing {
            self.named.insert(province);
        }
        if m.zone == Zone::Title && g.targets[m.pattern].1 == NameForm::Area {
            self.area_in_title = true;
        }
        if m.zone == Zone::Title && !m.passing {
            self.in_title.insert(province);
            self.in_title.insert(chosen);
        }
        self.mentioned.push(chosen);
    }
}

/// The one place a mention names: a county's short form only after its full name or where
/// the article names its city or province otherwise (`county.short_with`); a name
/// shared by several places goes to the one whose province the article otherwise names,
/// else to the higher level; still ambiguous, none (better no region than a wrong one).
fn settle_mention(
    g: &Gazetteer,
    m: &Mention,
    introduced: &HashSet<usize>,
    anchors: &HashSet<usize>,
    sure_provinces: &HashSet<usize>,
) -> Option<usize> {
    let (candidates, form) = &g.targets[m.pattern];
    let usable: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&p| {
            let place = &g.places[p];
            !(place.level == 3
                && *form == NameForm::Short
                && !introduced.contains(&p)
                && !anchors.contains(&place.province)
                && !place.city.is_some_and(|c| anchors.contains(&c)))
        })
        .collect();
    match usable.len() {
        0 => None,
        1 => Some(usable[0]),
        _ => {
            let in_named: Vec<usize> = usable
                .iter()
                .copied()
                .filter(|&p| sure_provinces.contains(&g.places[p].province))
                .collect();
            let pool = if in_named.is_empty() {
                &usable
            } else {
                &in_named
            };
            let top = pool.iter().map(|&p| g.places[p].level).min().unwrap_or(3);
            let best: Vec<usize> = pool
                .iter()
                .copied()
                .filter(|&p| g.places[p].level == top)
                .collect();
            let provinces: HashSet<usize> = best.iter().map(|&p| g.places[p].province).collect();
            (provinces.len() == 1).then(|| best[0])
        }
    }
}

/// The provinces that weigh enough, absolutely and against the article's main place, as
/// their most specific subject paths (广东/深圳 covers 广东): named in the title, or
/// weighing at least 3 and half the main province's weight (where a reporter's source came
/// from, a second city compared, are not subjects).
/// In national news a province the title does not name is an example of the nation's
/// story (江西、湖北 in a ministry's report), and needs 5 and 70% of the main one's weight.
/// The floors grow with the text beyond `floor_chars` (3,000): five mentions in a 15,000-character
/// feature are a passing example, in a 500-character report its subject.
fn subject_paths(g: &Gazetteer, scores: &PlaceScores, national: bool, chars: usize) -> Vec<String> {
    let max_province = scores.max_province();
    let rules = &place_rules().subject;
    let (floor, share) = if national {
        (rules.national_floor, rules.national_share)
    } else {
        (rules.floor, rules.share)
    };
    let floor = floor * f64::max(1.0, chars as f64 / rules.floor_chars);
    let mut subjects: Vec<String> = Vec::new();
    for (&province, &score) in &scores.province {
        // The only province an article names, named in its lead, is where it happens
        // (北京一家民营火箭企业宣布…), even when named once.
        // So is the only province a short item names outside lists, wherever it names it.
        let sole = !national
            && scores.named.len() == 1
            && scores.named.contains(&province)
            && (scores.in_lead.contains(&province) || chars <= rules.short_chars);
        let is_subject = sole
            || scores.in_title.contains(&province)
            || score >= f64::max(floor, share * max_province);
        if !is_subject {
            continue;
        }
        let specific = city_paths(g, scores, province);
        if specific.is_empty() {
            subjects.push(g.places[province].short.clone());
        } else {
            subjects.extend(specific);
        }
    }
    subjects
}

/// A subject province's own cities and counties that are subjects too, most specific only.
fn city_paths(g: &Gazetteer, scores: &PlaceScores, province: usize) -> Vec<String> {
    let inner: Vec<(usize, f64)> = scores
        .place
        .iter()
        .filter(|(&p, _)| g.places[p].province == province)
        .map(|(&p, &s)| (p, s))
        .collect();
    let rules = &place_rules().city;
    let max_inner = inner.iter().map(|x| x.1).fold(0.0, f64::max);
    let cities_named = inner
        .iter()
        .filter(|(p, _)| {
            let place = &g.places[*p];
            place.level == 2 || (place.level == 3 && place.city.is_none())
        })
        .count();
    let mut paths: Vec<String> = inner
        .iter()
        .filter(|(p, s)| {
            scores.in_title.contains(p)
                || *s >= f64::max(rules.floor, rules.share * max_inner)
                // The one city an article names in its province, named in the lead.
                || (cities_named == 1 && *s >= rules.sole)
        })
        .map(|&(p, _)| g.path(p))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter(|p| {
            !paths
                .iter()
                .any(|q| q.len() > p.len() && q.starts_with(&format!("{p}/")))
        })
        .cloned()
        .collect()
}

/// National news: words of the central institutions and the whole country
/// (`data/national.txt`) weighing 4 or more; or those together with the country's own name
/// (中国, 国内: whole words only, so 中国银行 does not count) weighing at least
/// `country_floor` (6) and twice the article's main province. Not when a province outweighs
/// all that threefold and the title names none of it (a province's profile of a man with a
/// 全国劳动模范 award). Not when the article's main place is Hong Kong,
/// Macao or Taiwan, whose own 教育部 or 立法会 are no national institution; and an article
/// whose title names a province is that province's news unless the title also speaks of the
/// nation (a ministry's visit to 河南 is news about 河南).
fn is_national(g: &Gazetteer, scores: &PlaceScores, words: &NationalWords) -> bool {
    if abroad_at_home(g, scores) || abroad_story(scores, words) {
        return false;
    }
    let local_title =
        scores.area_in_title || scores.province.keys().any(|p| scores.in_title.contains(p));
    let NationalWords {
        institutions: national_score,
        country: country_score,
        in_title,
        ..
    } = *words;
    let rules = &place_rules().national;
    let by_country = national_score + country_score
        >= f64::max(
            rules.country_floor,
            rules.over_province * scores.max_province(),
        );
    // A province's profile that names a national award or two (全国劳动模范) is its news.
    if !in_title
        && scores.max_province()
            >= rules.profile * national_score.max(country_score * rules.country_share)
    {
        return false;
    }
    (national_score >= rules.institutions || by_country) && (in_title || !local_title)
}

/// Whether the title is about a foreign country and names nothing of China (no place, no
/// institution, not the country): its 全国 and 全国大选 are that country's (缅甸举行大选投票:
/// …在全国各地进行).
fn abroad_story(scores: &PlaceScores, words: &NationalWords) -> bool {
    words.foreign_title && !words.in_title && scores.in_title.is_empty()
}

/// Whether the article's main place is Hong Kong, Macao or Taiwan, whose own 教育部 or 立法会
/// are no national institution.
fn abroad_at_home(g: &Gazetteer, scores: &PlaceScores) -> bool {
    scores
        .main_province()
        .is_some_and(|p| g.places[p].code.starts_with(['7', '8']))
}

/// What the words of national news (`data/national.txt`) in a text weigh.
#[derive(Clone, Copy, Default)]
struct NationalWords {
    /// Central institutions and whole-country phrases.
    institutions: f64,
    /// The country's own name (中国, 国内).
    country: f64,
    /// Whether the title holds one of them.
    in_title: bool,
    /// Whether the title or the first sentence of the body holds an institution or phrase
    /// (not the country's name) that leads on to more words.
    up_front: bool,
    /// Whether the title names a foreign country (缅甸举行大选投票).
    foreign_title: bool,
}

/// The national words of a text, weighed by where they stand; not those that are a person's
/// title (全国人大代表), a local branch (人民银行陕西省分行) or a foreign country's (日本央行),
/// nor the country's name inside another (中国银行).
fn national_words(g: &Gazetteer, t: &ArticleText) -> NationalWords {
    let text = &t.text;
    let mut words = NationalWords {
        foreign_title: names_a_foreign_place(g, &text[..t.title_end]),
        ..NationalWords::default()
    };
    // An institution the text once gives a foreign country (美国司法部) is that country's
    // wherever it stands alone (司法部指控苹果…).
    let foreign_before = |start: usize| g.foreign_ends(&text[..start]);
    let found: Vec<aho_corasick::Match> = g.national.find_iter(text).collect();
    let abroad: HashSet<usize> = found
        .iter()
        .filter(|m| foreign_before(m.start()))
        .map(|m| m.pattern().as_usize())
        .collect();
    for m in found {
        let after = &text[m.end()..];
        // 全国人大代表 / 全国政协委员 is a person's title; 人民银行陕西省分行 is a local branch.
        if NATIONAL_NOT_AFTER.iter().any(|s| after.starts_with(s))
            || abroad.contains(&m.pattern().as_usize())
            || g.automaton
                .find(Input::new(after).anchored(Anchored::Yes))
                .is_some()
        {
            continue;
        }
        let is_country = g.country[m.pattern().as_usize()];
        if is_country && !is_a_word(text, m.start(), m.end()) {
            continue;
        }
        let zone = t.zone_of(m.start());
        words.in_title |= zone == Zone::Title;
        if is_country {
            words.country += zone.weight();
        } else {
            words.institutions += zone.weight();
            // The subject of the first sentence (国家统计局今天发布, 全国规模以上工业), not
            // its object (风靡全国。).
            let leads_on = after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || crate::text::tokenize::is_cjk(c));
            words.up_front |= zone == Zone::Title || (m.start() < t.first_sentence_end && leads_on);
        }
    }
    words
}

/// The provinces of a set of region paths (their first part), without 全国.
pub fn provinces_of(paths: &[String]) -> Vec<String> {
    let mut out: Vec<String> = paths
        .iter()
        .filter_map(|p| p.split('/').next())
        .filter(|p| *p != NATIONAL)
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cities_roll_up_to_their_province() {
        let r = extract_regions(
            "深圳:2025年打造形成4个万亿级产业集群",
            "深圳市工业和信息化局在官网发布实施方案。到2025年,深圳要打造形成4个万亿级产业集群。深圳市系统推进。",
        );
        assert!(r.subjects.contains(&"广东/深圳".to_string()), "{r:?}");
    }

    #[test]
    fn places_in_a_list_are_mentions_only() {
        let r = extract_regions(
            "水利建设最新成绩单出炉",
            "国务院新闻办公室举行新闻发布会。目前,北京、四川、江西、湖北、湖南、浙江、山东、安徽、云南、广东等10个省份完成投资,均超过了10亿元。",
        );
        assert!(!r.subjects.iter().any(|s| s.starts_with("四川")), "{r:?}");
        assert!(r.mentions.iter().any(|s| s.starts_with("四川")), "{r:?}");
    }

    #[test]
    fn institution_in_title_gives_its_province() {
        let r = extract_regions(
            "全国政协委员、人民银行陕西省分行行长魏革军:引导增加民营企业融资供给",
            "魏革军透露,今年将继续推动西安申建科创金融改革试验区。",
        );
        assert!(r.subjects.iter().any(|s| s.starts_with("陕西")), "{r:?}");
    }

    #[test]
    fn words_that_stand_for_hong_kong_and_taiwan() {
        let r = extract_regions(
            "機場三跑貪污案 廉署加控一分判商東主3罪",
            "廉署就機場三跑項目貪污案加控一名項目分判商東主3項貪污罪名，他14日在東區裁判法院應訊。",
        );
        assert_eq!(r.subjects, vec!["香港".to_string()], "{r:?}");
        let r = extract_regions(
            "黨政軍退出媒體　朝野再加油",
            "依據立法院2003年通過的廣電法修正案，政府及政黨股份必須在兩年內退出廣電媒體，教育部表示。",
        );
        assert_eq!(r.subjects, vec!["台湾".to_string()], "{r:?}");
    }

    #[test]
    fn the_capital_of_a_dateline_a_publisher_and_a_camp_are_not_subjects() {
        let r = extract_regions(
            "工信部约谈汽车生产企业",
            "新华社北京6月11日电 工业和信息化部、市场监管总局11日约谈汽车生产企业，国务院要求全国规范竞争。",
        );
        assert_eq!(r.subjects, vec![NATIONAL.to_string()], "{r:?}");
        let r = extract_regions(
            "梁振英就住宅违建事件道歉",
            "梁振英同时遭到泛民主派和亲北京阵营议员质问。香港行政长官梁振英在各方压力下道歉。",
        );
        assert_eq!(r.subjects, vec!["香港".to_string()], "{r:?}");
        let r = extract_regions(
            "降息",
            "北京商报讯（记者 岳品瑜）5月20日，贷款市场报价利率公布。",
        );
        assert!(r.subjects.is_empty(), "{r:?}");
    }

    #[test]
    fn a_province_in_the_title_is_local_news_not_national() {
        let r = extract_regions(
            "河南：夏粮收购有序推进",
            "国家发展改革委、国家粮食和物资储备局有关负责人在河南调研。国务院要求各地做好夏粮收购，全国夏粮收购进度加快。",
        );
        assert_eq!(r.subjects, vec!["河南".to_string()], "{r:?}");
    }

    #[test]
    fn street_names_are_not_places() {
        let r = extract_regions(
            "南京路步行街客流创新高",
            "上海南京路步行街国庆期间客流创新高,上海市商务委表示。",
        );
        assert!(!r.mentions.iter().any(|s| s.starts_with("江苏")), "{r:?}");
    }

    #[test]
    fn a_name_inside_another_word_or_a_dialect_is_no_place() {
        let r = extract_regions(
            "美国多州要求佩戴口罩",
            "佛罗里达州坦帕市市长表示，佛罗里达州本周确诊病例数均创新高。特朗普为独立日举办盛大庆典。",
        );
        assert!(r.mentions.is_empty(), "{r:?}");
        let r = extract_regions(
            "对比试车—测试昌河北斗星",
            "昌河北斗星和爱迪尔都有很大的车内空间。北斗星更像一辆微型MPV。",
        );
        assert!(r.mentions.is_empty(), "{r:?}");
        let r = extract_regions(
            "中联办主任首踏足政总",
            "郑雁雄用广东话作报告，又笑言以广东话发言代表特区多点想。香港可把握好三个方向。",
        );
        assert!(!r.mentions.iter().any(|m| m.starts_with("广东")), "{r:?}");
    }

    #[test]
    fn the_country_named_throughout_is_national_news() {
        let r = extract_regions(
            "中国“太空养鱼”项目进展顺利",
            "中国科学院专家19日在北京介绍国内首次在轨水生生态研究项目进展情况。实现我国在太空培养脊椎动物的突破。",
        );
        assert_eq!(r.subjects, vec![NATIONAL.to_string()], "{r:?}");
        // An institution's name is not the country: 中国银行 and 中国科学院 make no national news.
        let r = extract_regions(
            "研究团队发布新成果",
            "中国科学院和中国银行的研究团队在上海发布成果。中国科学院上海分院表示，上海将继续支持。",
        );
        assert_eq!(r.subjects, vec!["上海".to_string()], "{r:?}");
    }

    #[test]
    fn an_area_is_named_in_passing_and_keeps_its_story_regional() {
        let r = extract_regions(
            "深入推进长三角一体化发展座谈会召开",
            "中共中央总书记主持召开座谈会并发表重要讲话，国务院有关部门负责同志出席。会议强调，深入推进长三角一体化发展。",
        );
        assert!(!r.subjects.contains(&NATIONAL.to_string()), "{r:?}");
        assert!(r.mentions.contains(&"安徽".to_string()), "{r:?}");
        assert!(!r.subjects.contains(&"安徽".to_string()), "{r:?}");
    }

    #[test]
    fn a_second_province_needs_half_the_main_ones_weight() {
        let r = extract_regions(
            "工商部门初定广告属于虚假宣传",
            "江西省南昌市工商局办案人员表示，该广告属于虚假宣传。南昌工商局暂扣了在南昌销售的产品。江西省工商局将作出处罚决定。南昌市消费者协会表示支持。上海市工商局办公室表示未接到通知。上海一家律师事务所律师认为此事仍有争议。",
        );
        assert_eq!(r.subjects, vec!["江西/南昌".to_string()], "{r:?}");
    }

    #[test]
    fn a_home_publishers_story_that_names_no_place_is_about_its_home() {
        let home = Some("台湾");
        let r = regions_of_normalized(
            "法拍饭店遭断水断电",
            "员工怒吼:生计何去何从?管委会表示依法办理。",
            home,
        );
        assert_eq!(r.subjects, vec!["台湾".to_string()], "{r:?}");
        let r = regions_of_normalized(
            "花旗上季盈利按年升7%",
            "花旗集团上季经调整每股盈利1.86美元。",
            home,
        );
        assert!(r.subjects.is_empty(), "{r:?}");
        let r = regions_of_normalized("法拍饭店遭断水断电", "员工怒吼:生计何去何从?", None);
        assert!(r.subjects.is_empty(), "{r:?}");
    }

    #[test]
    fn a_city_name_that_is_also_a_street_still_anchors_its_districts() {
        // 台北 is Taipei and a street in Wuhan; settled on Taipei, it lets 内湖 count.
        let r = extract_regions(
            "老店歇業 排隊人潮湧現",
            "台北內湖一家開業三十年的包子店宣布月底歇業，消息傳出後每天清晨都有排隊人潮，老闆說內湖的老顧客最捨不得。",
        );
        assert!(
            r.mentions.iter().any(|m| m.starts_with("台湾/台北")),
            "{r:?}"
        );
        assert!(r.subjects.iter().any(|s| s.starts_with("台湾")), "{r:?}");
    }

    #[test]
    fn a_story_abroad_keeps_no_province_it_names_in_passing() {
        let body = "韩国首尔今天举行国际料理博览会，来自日本、泰国、越南的厨师在首尔展示手艺。韩国观光公社表示，参观人数创新高。一名厨师说，他年轻时曾在台湾学艺。韩国业者希望明年吸引更多日本游客。";
        let r = regions_of_normalized("首尔料理博览会人潮创新高", body, None);
        assert!(r.subjects.is_empty(), "{r:?}");
        // A home publisher's readers abroad, named again and again, are its news.
        let body = "挪威北部今天发生游览车翻覆事故，车上载有台湾旅行团。台湾旅行社表示，台湾团员多为退休教师，外交部已派员前往挪威协助，台湾家属今晚启程。";
        let r = regions_of_normalized("挪威游览车翻覆 旅行团受伤", body, Some("台湾"));
        assert_eq!(r.subjects, vec!["台湾".to_string()], "{r:?}");
    }

    #[test]
    fn a_sum_converted_into_a_regions_currency_names_no_place() {
        let r = extract_regions(
            "美国新创公司完成新一轮融资",
            "美国一家人工智能新创公司今天宣布完成634万美元(约新台币1.9亿元)融资，将用于扩充研发团队。",
        );
        assert!(!r.mentions.iter().any(|m| m.starts_with("台湾")), "{r:?}");
    }

    #[test]
    fn a_home_publishers_story_of_home_and_abroad_in_passing_is_about_home() {
        let home = Some("台湾");
        // Named once, in the dateline only: the rest of the story is its home's news.
        let r = regions_of_normalized(
            "中风年轻化 14岁少年脑溢血",
            "台北报导 中风年龄越来越年轻,一名14岁少年平时爱运动,也没有心血管病史,却在今年初中风送医。医师表示,年轻人中风多与先天血管异常有关,建议有家族病史者及早检查。医师也提醒,头痛、手脚无力应立即就医。",
            home,
        );
        assert!(
            !r.subjects.is_empty() && r.subjects.iter().all(|s| s.starts_with("台湾")),
            "{r:?}"
        );
        // A politics story that names no place but a foreign one at its end.
        let r = regions_of_normalized(
            "新春拜年气氛微妙",
            "大年初一,党主席照往例到荣誉主席家拜年,只不过今年气氛有些微妙,双方互动没那么热络。记者问起去年的政争,两人都笑而不答,只说向大家拜年。一年前两人在镜头前还有说有笑,甚至有问必答;一年时间,今非昔比,去年的政争斗得凶,荣誉主席的儿子也频频批评党主席,双方心结至今未解,党内人士说,今年的拜年只是礼貌性的例行公事,谈的都是出访与新年的安排。荣誉主席的儿子现在人在新加坡访问。",
            home,
        );
        assert_eq!(r.subjects, vec!["台湾".to_string()], "{r:?}");
    }

    #[test]
    fn places_below_the_county_find_their_province() {
        // A Hong Kong neighbourhood, written in traditional characters.
        let r = extract_regions(
            "葵芳邨鼠患嚴重 居民促當局滅鼠",
            "葵芳邨近月鼠患嚴重，有居民表示晚上常見老鼠在垃圾站附近出沒，要求食環署加強滅鼠。",
        );
        assert!(r.subjects.iter().any(|s| s.starts_with("香港")), "{r:?}");
        // A Taiwan district's short name, where the dateline names its city.
        let r = extract_regions(
            "工廠清晨大火 消防隊出動搶救",
            "中央社記者桃園2日電 平鎮一間塑膠工廠今天清晨發生火警，消防局出動20輛消防車搶救，所幸無人受傷。",
        );
        assert!(r.mentions.iter().any(|s| s == "台湾/桃园/平镇"), "{r:?}");
        assert!(r.subjects.iter().any(|s| s.starts_with("台湾")), "{r:?}");
        // A county's short name where its prefecture is named.
        let r = extract_regions(
            "边境铁路迎来旅游旺季",
            "记者从大兴安岭地区获悉，入夏以来，前往漠河的旅客明显增多，铁路部门加开了旅游列车。",
        );
        assert!(r.subjects.iter().any(|s| s.starts_with("黑龙江")), "{r:?}");
        // An address down to the township is no list of places.
        let r = extract_regions(
            "瑶山老寨过大年",
            "记者赶到了广西壮族自治区灵川县九屋乡瑶山老寨，过年的浓浓氛围弥漫了整个村寨。",
        );
        assert!(r.subjects.iter().any(|s| s.starts_with("广西")), "{r:?}");
        // A township's full name counts alone.
        let r = extract_regions("北极街道开展义诊活动", "社区医生为老人免费测量血压。");
        assert!(r.subjects.iter().any(|s| s.starts_with("吉林")), "{r:?}");
    }

    #[test]
    fn a_short_name_alone_or_inside_a_word_is_no_place() {
        // 扩大社区 holds no 大社区 (a Kaohsiung district).
        let r = extract_regions(
            "政府擴大社區檢測",
            "政府宣布擴大社區檢測範圍，市民可到各區檢測中心免費檢測。",
        );
        assert!(!r.mentions.iter().any(|m| m.starts_with("台湾")), "{r:?}");
        // A county's short name without its full name or its province counts for nothing.
        let r = extract_regions("诸暨的秋天", "诸暨的秋天很美，游客很多。");
        assert!(r.mentions.is_empty(), "{r:?}");
    }

    #[test]
    fn a_ministry_the_text_gives_a_foreign_country_is_not_national() {
        let text =
            "苹果要求法官驳回司法部的诉讼。司法部指控苹果垄断市场。美国司法部没有立即发表评论。";
        let r = regions_of_normalized("苹果要求驳回垄断诉讼", &normalize_str(text), None);
        assert!(r.subjects.is_empty(), "{r:?}");
        let text = "司法部今天发布通知,司法部要求各地做好法律援助工作。";
        let r = regions_of_normalized("司法部发布通知", &normalize_str(text), None);
        assert_eq!(r.subjects, vec![NATIONAL.to_string()], "{r:?}");
    }

    #[test]
    fn a_foreign_countrys_whole_country_is_not_the_nation() {
        let r = regions_of_normalized(
            "玻利维亚将在9月6日前举行大选",
            &normalize_str("玻利维亚临时总统21日晚在全国电视讲话中宣布,全国大选将在9月6日前举行,全国各地选民将投票。"),
            None,
        );
        assert!(r.subjects.is_empty(), "{r:?}");
        // a title that names China as well stays national news
        let r = regions_of_normalized(
            "外交部:中方欢迎玻利维亚举行大选",
            &normalize_str("外交部发言人表示,中方欢迎玻利维亚举行全国大选。"),
            None,
        );
        assert_eq!(r.subjects, vec![NATIONAL.to_string()], "{r:?}");
    }

    #[test]
    fn a_digest_is_about_its_title_or_the_nation() {
        let items: String = [
            "上海", "广东", "四川", "河南", "北京", "云南", "甘肃", "辽宁",
        ]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "[{}]{p}一则新闻\n{p}发生了一件事,{p}有关部门作出回应。\n",
                i + 1
            )
        })
        .collect();
        let r = regions_of_normalized("每日图卦:敌意", &normalize_str(&items), None);
        assert_eq!(r.subjects, vec![NATIONAL.to_string()], "{r:?}");
        // seven items are a numbered list, not a digest
        let short: String = items.lines().take(14).collect::<Vec<_>>().join("\n");
        let r = regions_of_normalized("每日图卦:敌意", &normalize_str(&short), None);
        assert!(!r.subjects.contains(&NATIONAL.to_string()), "{r:?}");
    }

    #[test]
    fn a_short_item_is_about_the_one_province_it_names() {
        let r = extract_regions(
            "志愿者服务赛会",
            "连日来，数千名志愿者活跃在各个比赛场馆和交通站点，为运动员、观众提供引导、翻译和医疗等服务。志愿者们提前数月接受培训，熟悉场馆布局和应急流程。很多志愿者是在校大学生，也有退休教师和社区工作者。他们说，能为家门口的赛事出一份力感到自豪。观众纷纷为志愿者点赞，称赞他们热情周到、专业细致。赛事组委会表示，将为表现突出的志愿者颁发证书。在广东的赛区，志愿者还为外地观众准备了方言小贴士。",
        );
        assert_eq!(r.subjects, vec!["广东".to_string()], "{r:?}");
    }

    #[test]
    fn a_national_statistic_up_front_is_national_news() {
        let r = extract_regions(
            "规模以上工业增加值同比增长6.8%",
            "国家统计局今天发布数据，1至2月份，规模以上工业增加值同比增长6.8%，比上年全年加快0.8个百分点。",
        );
        assert_eq!(r.subjects, vec![NATIONAL.to_string()], "{r:?}");
    }
}
