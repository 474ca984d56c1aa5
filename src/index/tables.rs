//! Facet tables: an index's facet fields laid out for counting.
//!
//! A broad query matches nearly every article, and its facet counts visit every one of them.
//! Read through tantivy's facet columns, each visit decodes the column's index; here a
//! segment's facet field is read once, on the first search that counts it, into one flat
//! array: for each article, the numbers of its values at one level (`/广东/深圳` counts under
//! 广东 at the top level, once per article however many of its cities it names). Counting is
//! then a walk over small arrays (`search::counts`).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::schema::Facet;
use tantivy::{DocId, SegmentReader};

use crate::facets::{FacetField, Level};

/// One facet field of one segment, read at one level: the values of each article.
pub struct Table {
    /// Article `d` has the values `ids[starts[d]..starts[d + 1]]`.
    starts: Vec<u32>,
    ids: Vec<u32>,
    /// The name of each value id.
    pub names: Vec<String>,
}

impl Table {
    fn read(segment: &SegmentReader, field: FacetField, level: Level) -> tantivy::Result<Table> {
        let reader = segment.facet_reader(field.name())?;
        // Every facet of the segment, mapped to the id of its value at this level (if any).
        let mut names: Vec<String> = Vec::new();
        let mut id_of_name: HashMap<String, u32> = HashMap::new();
        let mut id_of_ord: Vec<Option<u32>> = Vec::with_capacity(reader.num_facets());
        let mut facet = Facet::root();
        for ord in 0..reader.num_facets() as u64 {
            reader.facet_from_ord(ord, &mut facet)?;
            let id = level.value_of(&facet.to_path()).map(|value| {
                let next = names.len() as u32;
                *id_of_name.entry(value.clone()).or_insert_with(|| {
                    names.push(value);
                    next
                })
            });
            id_of_ord.push(id);
        }
        let docs = segment.max_doc() as usize;
        let mut starts = Vec::with_capacity(docs + 1);
        let mut ids = Vec::with_capacity(docs);
        for doc in 0..docs as DocId {
            starts.push(ids.len() as u32);
            let from = ids.len();
            for ord in reader.facet_ords(doc) {
                if let Some(id) = id_of_ord[ord as usize] {
                    if !ids[from..].contains(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        starts.push(ids.len() as u32);
        Ok(Table { starts, ids, names })
    }

    /// The value ids of one article.
    #[inline]
    pub fn ids(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        &self.ids[self.starts[d] as usize..self.starts[d + 1] as usize]
    }
}

/// One facet field at one level, for every segment of a searcher.
pub struct Tables {
    segments: Vec<Arc<Table>>,
}

impl Tables {
    pub fn read(
        searcher: &tantivy::Searcher,
        field: FacetField,
        level: Level,
    ) -> tantivy::Result<Tables> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|s| Table::read(s, field, level).map(Arc::new))
            .collect::<tantivy::Result<_>>()?;
        Ok(Tables { segments })
    }

    /// Every value of the field at this level, in any segment, each once.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .segments
            .iter()
            .flat_map(|t| t.names.iter().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The table of one segment.
    pub fn segment(&self, ord: u32) -> tantivy::Result<Arc<Table>> {
        self.segments.get(ord as usize).cloned().ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("no facet table for segment {ord}"))
        })
    }
}
