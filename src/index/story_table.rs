//! The story of every article of a searcher's segments, for collapsing hits and counting
//! stories. Read once per opened index from the generation's stories
//! (`stories::store::Stories`): each reprinted article's id is looked up in its segment;
//! every other article is a story of its own.

use tantivy::schema::IndexRecordOption;
use tantivy::DocSet;
use tantivy::{DocAddress, DocId, Searcher, Term, TERMINATED};

use crate::index::Fields;
use crate::stories::store::Stories;

/// A story as counting sees it: a story of several articles by its number in the
/// generation's list, or an article alone by its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoryKey {
    Shared(u32),
    Alone(u32, DocId),
}

/// Per segment, the number of each article's shared story, or [`ALONE`].
pub struct StoryTable {
    segments: Vec<Vec<u32>>,
    /// Articles of each shared story in this searcher (deleted ones not counted).
    sizes: Vec<u32>,
}

const ALONE: u32 = u32::MAX;

impl StoryTable {
    pub fn read(searcher: &Searcher, fields: &Fields, stories: &Stories) -> tantivy::Result<Self> {
        let mut sizes = vec![0u32; stories.list.len()];
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let mut of_doc = vec![ALONE; segment.max_doc() as usize];
            if !stories.list.is_empty() {
                let inverted = segment.inverted_index(fields.id)?;
                let alive = segment.alive_bitset();
                for (n, story) in stories.list.iter().enumerate() {
                    for id in &story.articles {
                        let term = Term::from_field_text(fields.id, id);
                        let Some(mut postings) =
                            inverted.read_postings(&term, IndexRecordOption::Basic)?
                        else {
                            continue;
                        };
                        let mut doc = postings.doc();
                        while doc != TERMINATED {
                            if alive.is_none_or(|a| a.is_alive(doc)) {
                                of_doc[doc as usize] = n as u32;
                                sizes[n] += 1;
                            }
                            doc = postings.advance();
                        }
                    }
                }
            }
            segments.push(of_doc);
        }
        Ok(StoryTable { segments, sizes })
    }

    /// The story of an article.
    #[inline]
    pub fn key(&self, segment: u32, doc: DocId) -> StoryKey {
        match self.segments[segment as usize][doc as usize] {
            ALONE => StoryKey::Alone(segment, doc),
            n => StoryKey::Shared(n),
        }
    }

    /// The story of an article by address.
    pub fn key_of(&self, addr: DocAddress) -> StoryKey {
        self.key(addr.segment_ord, addr.doc_id)
    }

    /// The number of stories of more than one article.
    pub fn shared_stories(&self) -> usize {
        self.sizes.len()
    }

    /// Articles in an article's story (1 for an article alone).
    pub fn size(&self, key: StoryKey) -> usize {
        match key {
            StoryKey::Shared(n) => self.sizes[n as usize] as usize,
            StoryKey::Alone(..) => 1,
        }
    }
}
