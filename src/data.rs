//! The reference data the program reads: place names, industries, sources, boilerplate
//! phrases, the traditional->simplified table and the news vocabulary for jieba.
//!
//! Each file lives in `data/` as readable text (its origin noted at its top) and is compiled
//! into the binary, so an installed `corpus-search` works anywhere. Consumers parse the format
//! they own; this module only hands out the text and skips comments.

pub const REGIONS_TSV: &str = include_str!("../data/regions.tsv");
pub const REGIONS_HK_MO_TW_TSV: &str = include_str!("../data/regions-hk-mo-tw.tsv");
pub const TOWNSHIPS_TSV: &str = include_str!("../data/townships.tsv");
pub const AREAS_TSV: &str = include_str!("../data/areas.tsv");
pub const REGION_WORDS_TSV: &str = include_str!("../data/region-words.tsv");
pub const REGION_COMMON_WORDS: &str = include_str!("../data/region-common-words.txt");
pub const NATIONAL_TXT: &str = include_str!("../data/national.txt");
pub const PLACE_RULES_TOML: &str = include_str!("../data/place-rules.toml");
pub const FOREIGN_PLACES_TXT: &str = include_str!("../data/foreign-places.txt");
pub const COUNTRIES_TXT: &str = include_str!("../data/countries.txt");
pub const INDUSTRIES_TOML: &str = include_str!("../data/industries.toml");
pub const SOURCES_TOML: &str = include_str!("../data/sources.toml");
pub const HOSTS_TSV: &str = include_str!("../data/hosts.tsv");
pub const BOILERPLATE_TSV: &str = include_str!("../data/boilerplate.tsv");
pub const OPENSEARCH_TEMPLATE_JSON: &str =
    include_str!("../data/scaleout/opensearch-index-template.json");
pub const QUICKWIT_CONFIG_YAML: &str = include_str!("../data/scaleout/quickwit-index-config.yaml");
pub const T2S_TSV: &str = include_str!("../data/t2s.tsv");
pub const USERDICT_TXT: &str = include_str!("../data/userdict.txt");
pub const RECORD_FIELDS_TSV: &str = include_str!("../data/record-fields.tsv");

/// The meaningful lines of a data file: trimmed, without blank lines and `#` comments
/// (a `#` after a tab starts a trailing comment too).
pub fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| match line.find("\t#") {
            Some(i) => &line[..i],
            None => line,
        })
        .map(|line| line.trim_end())
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}
