//! The facet counts every search returns (articles per province, source, industry and
//! month over the whole result set), from tables laid out for counting.
//!
//! A broad query matches nearly every article, so its counts visit every article four times.
//! Read through tantivy's facet columns, each visit decodes the column's index; here each
//! segment's facets are read once, on the first search, into one flat array per facet: for
//! each article, the numbers of its top-level values (`/广东/深圳` counts under 广东, once per
//! article however many of its cities it names). Counting is then a walk over small arrays.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::schema::{Facet, Field};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::FacetCount;

/// The facets a search counts, in the order of [`SearchFacets`]'s fruit.
pub const COUNTED: usize = 4;

/// One facet of one segment: the top-level values of each article.
struct Table {
    /// Article `d` has the values `ids[starts[d]..starts[d + 1]]`.
    starts: Vec<u32>,
    ids: Vec<u32>,
    /// The name of each value id.
    names: Vec<String>,
}

impl Table {
    fn read(segment: &SegmentReader, field: Field) -> tantivy::Result<Table> {
        let name = segment.schema().get_field_name(field).to_string();
        let reader = segment.facet_reader(&name)?;
        // Every facet of the segment, mapped to the id of its top-level value.
        let mut names: Vec<String> = Vec::new();
        let mut id_of_name: HashMap<String, u32> = HashMap::new();
        let mut id_of_ord: Vec<u32> = Vec::with_capacity(reader.num_facets());
        let mut facet = Facet::root();
        for ord in 0..reader.num_facets() as u64 {
            reader.facet_from_ord(ord, &mut facet)?;
            let top = facet
                .to_path()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let next = names.len() as u32;
            let id = *id_of_name.entry(top.clone()).or_insert_with(|| {
                names.push(top);
                next
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
                let id = id_of_ord[ord as usize];
                if !ids[from..].contains(&id) {
                    ids.push(id);
                }
            }
        }
        starts.push(ids.len() as u32);
        Ok(Table { starts, ids, names })
    }
}

/// The tables of every segment of one searcher, built once per opened index.
pub struct FacetTables {
    segments: Vec<Arc<[Table; COUNTED]>>,
}

impl FacetTables {
    /// Reads the tables of `fields` (region, source, industry, month) for every segment.
    pub fn read(searcher: &tantivy::Searcher, fields: [Field; COUNTED]) -> tantivy::Result<Self> {
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let [a, b, c, d] = fields;
            segments.push(Arc::new([
                Table::read(segment, a)?,
                Table::read(segment, b)?,
                Table::read(segment, c)?,
                Table::read(segment, d)?,
            ]));
        }
        Ok(FacetTables { segments })
    }
}

/// Counts the top-level values of the four facets over the matching articles.
pub struct SearchFacets {
    pub tables: Arc<FacetTables>,
}

pub struct SegmentFacets {
    tables: Arc<[Table; COUNTED]>,
    counts: [Vec<u64>; COUNTED],
}

impl Collector for SearchFacets {
    type Fruit = [Vec<FacetCount>; COUNTED];
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        _segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let tables = self
            .tables
            .segments
            .get(segment_ord as usize)
            .cloned()
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(format!(
                    "no facet table for segment {segment_ord}"
                ))
            })?;
        let counts = [0, 1, 2, 3].map(|i| vec![0u64; tables[i].names.len()]);
        Ok(SegmentFacets { tables, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<[Vec<FacetCount>; COUNTED]>,
    ) -> tantivy::Result<[Vec<FacetCount>; COUNTED]> {
        let mut merged: [HashMap<String, u64>; COUNTED] = Default::default();
        for fruit in fruits {
            for (i, counts) in fruit.into_iter().enumerate() {
                for c in counts {
                    *merged[i].entry(c.value).or_default() += c.count;
                }
            }
        }
        Ok(merged.map(|m| {
            let mut v: Vec<FacetCount> = m
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v
        }))
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = [Vec<FacetCount>; COUNTED];

    fn collect(&mut self, doc: DocId, _score: Score) {
        let d = doc as usize;
        for (table, counts) in self.tables.iter().zip(self.counts.iter_mut()) {
            let (from, to) = (table.starts[d] as usize, table.starts[d + 1] as usize);
            for &id in &table.ids[from..to] {
                counts[id as usize] += 1;
            }
        }
    }

    fn harvest(self) -> [Vec<FacetCount>; COUNTED] {
        let tables = self.tables;
        let mut i = 0;
        self.counts.map(|counts| {
            let names = &tables[i].names;
            i += 1;
            counts
                .into_iter()
                .enumerate()
                .filter(|&(id, c)| c > 0 && !names[id].is_empty())
                .map(|(id, count)| FacetCount {
                    value: names[id].clone(),
                    count,
                })
                .collect()
        })
    }
}
