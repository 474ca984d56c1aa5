//! Field names: how a record's field, a post's front matter key or a page's JSON key names
//! an article's part (title, text, date, source, URL, author). The synonyms live in
//! `data/record-fields.tsv`; the user adds their own with `--fields title=headline,...`
//! ([`FieldMap`]). Every format that reads named fields asks here: the record formats
//! (`formats::*`), Markdown front matter (`markdown`) and a page's JSON data (`html`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::data;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Text,
    Date,
    Source,
    Url,
    Author,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Title,
        Field::Text,
        Field::Date,
        Field::Source,
        Field::Url,
        Field::Author,
    ];

    const KNOWN_NAMES: &'static str = "title, text, date, source, url, author";

    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Text => "text",
            Field::Date => "date",
            Field::Source => "source",
            Field::Url => "url",
            Field::Author => "author",
        }
    }

    fn from_name(s: &str) -> Option<Field> {
        match s.trim().to_ascii_lowercase().as_str() {
            "title" => Some(Field::Title),
            // `body` is what people call the text as often as `text`.
            "text" | "body" => Some(Field::Text),
            "date" => Some(Field::Date),
            "source" => Some(Field::Source),
            "url" => Some(Field::Url),
            "author" => Some(Field::Author),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How a user names fields: `--fields title=headline,text=content,date=pub,source=media,url=link`.
/// A named field replaces the synonyms for its target; the other targets keep them.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    names: [Option<String>; 6],
}

impl FieldMap {
    pub fn parse(spec: &str) -> Result<FieldMap, String> {
        let mut map = FieldMap::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((target, name)) = item.split_once('=') else {
                return Err(format!(
                    "`{item}` in --fields is not TARGET=FIELD; write for example \
                     --fields title=headline,text=content (targets: {})",
                    Field::KNOWN_NAMES
                ));
            };
            let field = Field::from_name(target).ok_or_else(|| {
                format!(
                    "unknown target `{}` in --fields: the targets are {}; write for example \
                     --fields title=headline,text=content",
                    target.trim(),
                    Field::KNOWN_NAMES
                )
            })?;
            let name = name.trim();
            if name.is_empty() {
                return Err(format!(
                    "`{item}` in --fields names no field; write for example {}=headline",
                    field.name()
                ));
            }
            let slot = &mut map.names[field.index()];
            if slot.is_some() {
                return Err(format!(
                    "--fields names a field for `{}` twice; give each target one field",
                    field.name()
                ));
            }
            *slot = Some(normalise_key(name));
        }
        Ok(map)
    }

    /// These names, with `under`'s for the targets these leave unnamed.
    pub fn or(&self, under: &FieldMap) -> FieldMap {
        let mut out = self.clone();
        for (slot, below) in out.names.iter_mut().zip(&under.names) {
            if slot.is_none() {
                slot.clone_from(below);
            }
        }
        out
    }

    /// The field the user named for `field`, normalised like record keys.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.names[field.index()].as_deref()
    }
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Field names and the synonym table

/// Rank added to last-resort names, so that any ordinary name of a target beats them.
pub(crate) const LAST_RESORT: usize = 1_000;

/// The synonym table of `data/record-fields.tsv`: normalised name -> (target, rank).
struct Synonyms {
    by_name: HashMap<String, Vec<(Field, usize)>>,
}

impl Synonyms {
    fn parse(text: &str) -> Synonyms {
        let mut by_name: HashMap<String, Vec<(Field, usize)>> = HashMap::new();
        for line in data::data_lines(text) {
            let Some((target, names)) = line.split_once('\t') else {
                continue;
            };
            let Some(field) = Field::from_name(target) else {
                continue;
            };
            for (rank, name) in names.split_whitespace().enumerate() {
                let (name, rank) = match name.strip_prefix('(').and_then(|n| n.strip_suffix(')')) {
                    Some(inner) => (inner, rank + LAST_RESORT),
                    None => (name, rank),
                };
                by_name
                    .entry(squash(&normalise_key(name)))
                    .or_default()
                    .push((field, rank));
            }
        }
        Synonyms { by_name }
    }

    fn rank(&self, key: &str, field: Field) -> Option<usize> {
        let lookup = |k: &str| {
            self.by_name
                .get(&squash(k))
                .and_then(|targets| targets.iter().find(|(f, _)| *f == field))
                .map(|&(_, rank)| rank)
        };
        lookup(key).or_else(|| local_name(key).and_then(lookup))
    }
}

fn synonyms() -> &'static Synonyms {
    static SYNONYMS: OnceLock<Synonyms> = OnceLock::new();
    SYNONYMS.get_or_init(|| Synonyms::parse(data::RECORD_FIELDS_TSV))
}

/// Field names compare ignoring case, with spaces and hyphens read as underscores.
pub(crate) fn normalise_key(key: &str) -> String {
    key.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A normalised key without its underscores, the form names are compared in: `pubDate`,
/// `pub_date` and `PUBDATE` are one name, as are `publishedAt` and `published_at`.
fn squash(key: &str) -> String {
    key.replace('_', "")
}

/// `date` for `dc:date`: namespaced names also match by their local part.
pub(crate) fn local_name(key: &str) -> Option<&str> {
    key.rsplit_once(':')
        .map(|(_, local)| local)
        .filter(|l| !l.is_empty())
}

/// The rank of `key` as a name for `field`: the user's name if they gave one (the synonyms
/// of that target then no longer count), else the synonym table's.
pub(crate) fn field_rank(key: &str, field: Field, fields: &FieldMap) -> Option<usize> {
    match fields.get(field) {
        Some(name) => {
            let name = squash(name);
            (squash(key) == name || local_name(key).is_some_and(|l| squash(l) == name)).then_some(0)
        }
        None => synonyms().rank(key, field),
    }
}

/// The field a metadata key names (`title`, `pub_time`, `来源` ...), as for a record's
/// fields: a Markdown file's front matter uses the same names.
pub fn field_of_key(key: &str, fields: &FieldMap) -> Option<Field> {
    let key = normalise_key(key);
    Field::ALL
        .into_iter()
        .filter_map(|f| field_rank(&key, f, fields).map(|r| (r, f)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_map_parses_and_gives_advice() {
        let map = FieldMap::parse("title=Headline, text=body_html,url=Link").expect("valid");
        assert_eq!(map.get(Field::Title), Some("headline"));
        assert_eq!(map.get(Field::Text), Some("body_html"));
        assert_eq!(map.get(Field::Date), None);
        assert!(FieldMap::parse("")
            .expect("empty is fine")
            .get(Field::Title)
            .is_none());
        let err = FieldMap::parse("titel=headline").expect_err("unknown target");
        assert!(
            err.contains("title, text, date, source, url, author"),
            "{err}"
        );
        assert!(FieldMap::parse("title")
            .expect_err("no =")
            .contains("TARGET=FIELD"));
        assert!(FieldMap::parse("title=").is_err());
        assert!(FieldMap::parse("title=a,title=b").is_err());
    }

    #[test]
    fn the_field_table_names_every_target() {
        let synonyms = synonyms();
        for field in Field::ALL {
            assert!(
                synonyms
                    .by_name
                    .values()
                    .flatten()
                    .any(|(f, _)| *f == field),
                "data/record-fields.tsv has no names for {}",
                field.name()
            );
        }
        assert_eq!(
            synonyms.rank("dc:date", Field::Date),
            synonyms.rank("date", Field::Date)
        );
        assert_eq!(
            synonyms.rank("publish_time", Field::Date),
            synonyms.rank(&normalise_key("Publish Time"), Field::Date)
        );
        assert!(synonyms
            .rank("name", Field::Title)
            .is_some_and(|r| r >= LAST_RESORT));
    }
}
