//! When one machine is not enough: an export that OpenSearch or Quickwit loads, with mappings
//! that keep corpus-search's guarantees (exact substring matching on normalised text, facets
//! as keywords, the date as a date). `export --for opensearch|quickwit --out DIR` writes the
//! documents and the engine's index description into DIR; README's "When one machine is not
//! enough" gives the commands that load them and the queries that reproduce our counts.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::data::{OPENSEARCH_TEMPLATE_JSON, QUICKWIT_CONFIG_YAML};
use crate::search::export::{Cell, Export, ExportField, ExportRow};
use crate::text::normalize::normalize_str;
use crate::{Error, Result};

/// The fields every engine document carries (the snippet belongs to a query, not a copy):
/// each facet an article shows as `facets --by` counts it (provinces with 全国, cities as
/// `广东/深圳`), and `story`, the id of the article's story (its original's id), so that the
/// engine can collapse reprints or count stories with a terms aggregation.
pub fn fields() -> Vec<ExportField> {
    let mut fields = vec![ExportField::Id, ExportField::Title, ExportField::Date];
    fields.extend(ExportField::facets());
    fields.extend([
        ExportField::Path,
        ExportField::Url,
        ExportField::Story,
        ExportField::Text,
    ]);
    fields
}

/// An engine to export for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    OpenSearch,
    Quickwit,
}

impl std::str::FromStr for Engine {
    type Err = Error;
    fn from_str(s: &str) -> Result<Engine> {
        match s.trim().to_ascii_lowercase().as_str() {
            "opensearch" | "elasticsearch" => Ok(Engine::OpenSearch),
            "quickwit" => Ok(Engine::Quickwit),
            other => Err(Error::user(format!(
                "cannot export for `{other}`; use --for opensearch or --for quickwit"
            ))),
        }
    }
}

/// The index name the documents and the index description use.
pub const INDEX_NAME: &str = "corpus-search";

/// The OpenSearch index template: `data/scaleout/opensearch-index-template.json`, which
/// describes every field but the facets, with a keyword field for each facet an article
/// shows ([`crate::facets::shown`]), so that a new facet reaches the engines from the list.
pub fn opensearch_template() -> Value {
    let mut template: Value = serde_json::from_str(OPENSEARCH_TEMPLATE_JSON)
        .expect("data/scaleout/opensearch-index-template.json is JSON");
    let properties = template
        .pointer_mut("/template/mappings/properties")
        .and_then(Value::as_object_mut)
        .expect("the template's mappings have properties");
    for field in ExportField::facets() {
        properties.insert(field.name().into(), json!({"type": "keyword"}));
    }
    template
}

/// The line of `data/scaleout/quickwit-index-config.yaml` the facets' fields replace.
const QUICKWIT_FACETS: &str =
    "    # FACETS: corpus-search adds a field here for each facet an article shows\n";

/// The Quickwit index config: `data/scaleout/quickwit-index-config.yaml` with a raw-tokenized
/// fast field for each facet an article shows (an array for a list), where its `# FACETS`
/// line stands.
pub fn quickwit_config() -> String {
    assert!(
        QUICKWIT_CONFIG_YAML.contains(QUICKWIT_FACETS),
        "data/scaleout/quickwit-index-config.yaml has its # FACETS line"
    );
    let fields: String = crate::facets::shown()
        .into_iter()
        .map(|(_, shown)| {
            let kind = if shown.one { "text" } else { "array<text>" };
            format!(
                "    - name: {}\n      type: {kind}\n      tokenizer: raw\n      fast: true\n",
                shown.key
            )
        })
        .collect();
    QUICKWIT_CONFIG_YAML.replace(QUICKWIT_FACETS, &fields)
}

/// Writes `export`'s articles for `engine` into `dir` (created if need be): for OpenSearch
/// `bulk.ndjson` (a `create` action with our id, then the document) and
/// `index-template.json`; for Quickwit `docs.ndjson` and `index-config.yaml`. Returns the
/// number of documents.
pub fn write_for(engine: Engine, export: Export, dir: &Path) -> Result<usize> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let (docs_name, description_name, description) = match engine {
        Engine::OpenSearch => (
            "bulk.ndjson",
            "index-template.json",
            serde_json::to_string_pretty(&opensearch_template()).expect("JSON") + "\n",
        ),
        Engine::Quickwit => ("docs.ndjson", "index-config.yaml", quickwit_config()),
    };
    let description_path = dir.join(description_name);
    fs::write(&description_path, description).map_err(|e| Error::io(&description_path, e))?;
    let docs_path = dir.join(docs_name);
    let file = fs::File::create(&docs_path).map_err(|e| Error::io(&docs_path, e))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let mut n = 0;
    for row in export {
        let doc = document(&row?);
        let mut write = || -> std::io::Result<()> {
            if engine == Engine::OpenSearch {
                let id = doc.get("id").cloned().unwrap_or(Value::Null);
                serde_json::to_writer(
                    &mut out,
                    &json!({"create": {"_index": INDEX_NAME, "_id": id}}),
                )?;
                out.write_all(b"\n")?;
            }
            serde_json::to_writer(&mut out, &doc)?;
            out.write_all(b"\n")
        };
        write().map_err(|e| Error::io(&docs_path, e))?;
        n += 1;
    }
    out.flush().map_err(|e| Error::io(&docs_path, e))?;
    Ok(n)
}

/// One article as an engine document: our fields, the normalised text the engine matches
/// on, and the date as a full day with its precision, month and year (for counting as
/// `facets --by month|year` does: a month only when the date has one).
pub fn document(row: &ExportRow) -> Map<String, Value> {
    let mut doc = Map::new();
    let mut title = String::new();
    let mut text = String::new();
    for (field, cell) in &row.cells {
        match (field, cell) {
            (ExportField::Date, Cell::Text(Some(d))) => {
                let (day, precision) = match d.len() {
                    4 => (format!("{d}-01-01"), "year"),
                    7 => (format!("{d}-01"), "month"),
                    _ => (d.clone(), "day"),
                };
                doc.insert("date".into(), json!(day));
                doc.insert("date_precision".into(), json!(precision));
                if d.len() >= 7 {
                    doc.insert("month".into(), json!(&d[..7]));
                }
                doc.insert("year".into(), json!(&d[..4]));
            }
            (ExportField::Date, _) => {}
            (f, Cell::Text(t)) => {
                if *f == ExportField::Title {
                    title = t.clone().unwrap_or_default();
                }
                if *f == ExportField::Text {
                    text = t.clone().unwrap_or_default();
                }
                if let Some(t) = t {
                    doc.insert(f.name().into(), json!(t));
                }
            }
            (f, Cell::List(values)) => {
                doc.insert(f.name().into(), json!(values));
            }
            (f, Cell::Number(n)) => {
                doc.insert(f.name().into(), json!(n));
            }
        }
    }
    // The title and the body are matched each on its own, as corpus-search matches them.
    doc.insert("title_norm".into(), json!(normalize_str(&title)));
    doc.insert(
        "text_norm".into(),
        json!([normalize_str(&title), normalize_str(&text)]),
    );
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shown_facet_has_a_field_in_each_engines_description() {
        let template = opensearch_template();
        let properties = &template["template"]["mappings"]["properties"];
        let config = quickwit_config();
        for (facet, shown) in crate::facets::shown() {
            assert_eq!(properties[shown.key]["type"], "keyword", "{}", facet.name);
            let kind = if shown.one { "text" } else { "array<text>" };
            let entry = format!("- name: {}\n      type: {kind}\n", shown.key);
            assert!(config.contains(&entry), "{} in {config}", facet.name);
        }
        assert!(!config.contains("FACETS"));
    }
}
