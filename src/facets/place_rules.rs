//! The numbers of the place rules (`data/place-rules.toml`): how much a place name weighs by
//! where it stands, and how much a province, a city or national news needs. The rules that
//! use them are in [`super::region`].
//!
//! `CORPUS_SEARCH_PLACE_RULES=/path/to/other.toml` replaces the file's values with those of
//! another (keys it leaves out keep theirs): for evaluation, which picks the numbers on some
//! labelled sites and measures them on others.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::data::PLACE_RULES_TOML;

/// The environment variable that names another place-rules file.
pub const PLACE_RULES_ENV: &str = "CORPUS_SEARCH_PLACE_RULES";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRules {
    pub weight: Weights,
    pub subject: SubjectRules,
    pub city: CityRules,
    pub county: CountyRules,
    pub national: NationalRules,
    pub abroad: AbroadRules,
}

/// When a county's or township's short name (诸暨, 平镇, 大佘太) counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountyRules {
    /// What else, besides its full name, lets a short name count.
    pub short_with: ShortWith,
}

/// What lets a county's or township's short name count, besides its full name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShortWith {
    /// Nothing else.
    FullName,
    /// Its city named by a name that counts alone (大兴安岭…漠河).
    City,
    /// Its province or city named so.
    Province,
}

/// What one name weighs, by where it stands.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub title: f64,
    pub lead: f64,
    pub body: f64,
    /// In a list of places or an area (长三角).
    pub passing: f64,
    /// The lead's length in characters.
    pub lead_chars: usize,
}

/// When a province is a subject.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectRules {
    pub floor: f64,
    pub share: f64,
    pub national_floor: f64,
    pub national_share: f64,
    /// The text's length up to which the floors stay as they are.
    pub floor_chars: f64,
    /// A body this long or shorter is a short item.
    pub short_chars: usize,
}

/// When a city or county of a subject province is a subject too.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityRules {
    pub floor: f64,
    pub share: f64,
    pub sole: f64,
}

/// When an article is national news.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalRules {
    pub institutions: f64,
    pub country_floor: f64,
    pub over_province: f64,
    pub profile: f64,
    pub country_share: f64,
    /// A national word in the title or lead of a story about no province makes it national.
    pub up_front: bool,
}

/// When a story happens abroad: its foreign places (countries, `data/countries.txt`) weigh
/// `over_province` times its main province or more, and its title names no place of China
/// and no national word. Then a province the title does not name is a passing mention
/// (他经常去台湾 in a profile of a Korean visit).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbroadRules {
    pub over_province: f64,
    /// A Hong Kong, Macao or Taiwan publisher's story that names no province of China is
    /// about its home while its foreign places weigh less than this.
    pub home_below: f64,
}

/// The place rules in force: `data/place-rules.toml`, or the file [`PLACE_RULES_ENV`] names
/// laid over it. A file that cannot be read or does not fit stops the program with its name
/// and what is wrong (an evaluation must not run on rules it did not ask for).
pub fn place_rules() -> &'static PlaceRules {
    static RULES: OnceLock<PlaceRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let other = std::env::var_os(PLACE_RULES_ENV).map(|path| {
            let shown = std::path::Path::new(&path).display().to_string();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{PLACE_RULES_ENV}={shown}: cannot read it: {e}"));
            (shown, text)
        });
        match other {
            Some((shown, text)) => rules_over_builtin(&text)
                .unwrap_or_else(|e| panic!("{PLACE_RULES_ENV}={shown}: {}; unset {PLACE_RULES_ENV} to use data/place-rules.toml", e.trim_end())),
            None => rules_over_builtin("").expect("data/place-rules.toml parses"),
        }
    })
}

/// The built-in rules with the keys of `other` (a TOML text, possibly empty) laid over them.
fn rules_over_builtin(other: &str) -> Result<PlaceRules, String> {
    let mut rules: toml::Table = toml::from_str(PLACE_RULES_TOML).map_err(|e| e.to_string())?;
    let other: toml::Table = toml::from_str(other).map_err(|e| e.to_string())?;
    for (section, values) in other {
        match (rules.get_mut(&section), values) {
            (Some(toml::Value::Table(mine)), toml::Value::Table(theirs)) => mine.extend(theirs),
            (_, theirs) => {
                rules.insert(section, theirs);
            }
        }
    }
    toml::Value::Table(rules)
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_may_change_some_numbers_and_keep_the_rest() {
        let r = rules_over_builtin("[weight]\ntitle = 6.0\n").unwrap();
        assert_eq!(r.weight.title, 6.0);
        assert_eq!(r.weight.lead, 2.0);
        assert_eq!(r.subject.floor, 3.0);
    }

    #[test]
    fn a_misspelt_key_is_refused_with_its_name() {
        let err = rules_over_builtin("[weight]\ntitel = 6.0\n").unwrap_err();
        assert!(err.contains("titel"), "{err}");
    }
}
