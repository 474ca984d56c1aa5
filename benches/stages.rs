//! The indexing path stage by stage, on one core: how many MB of input text per second each
//! stage manages alone. `cargo bench` runs it; BENCHMARKS.md explains the figures.
//!
//! The corpus is `../shared/corpus/rmrb-199801` (first 600 files), or the seeds when it is
//! absent; `CORPUS_SEARCH_BENCH_CORPUS=DIR` picks another folder. Whole-run figures (every
//! stage on every core, queries, the peers) come from `corpus-search bench` and
//! `bench/run.py`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rustc_hash::FxHashMap;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::{DocId, Index, Searcher, TantivyDocument};

use corpus_search::corpus::{self, walk_corpus, Article, ReadOptions, WalkOptions};
use corpus_search::facets::{facets_of_normalized, Seen};
use corpus_search::index::writer::to_document;
use corpus_search::index::{build_schema, register_tokenizers, ExactView, Fields};
use corpus_search::text::normalize::normalize_str;
use corpus_search::text::tokenize::CHARS_TOKENIZER;
use corpus_search::text::tokenize::{build_jieba, char_tokens, pre_cut, CharTokenizer};

const FILES: usize = 600;

fn corpus_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("CORPUS_SEARCH_BENCH_CORPUS") {
        return dir.into();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus/rmrb-199801");
    if shared.is_dir() {
        shared
    } else {
        eprintln!("../shared/corpus/rmrb-199801 is absent: benchmarking on the seeds");
        root.join("seeds")
    }
}

fn stages(c: &mut Criterion) {
    let dir = corpus_dir();
    let walk = walk_corpus(&dir, WalkOptions::default()).expect("corpus folder");
    let files: Vec<_> = walk.files.into_iter().take(FILES).collect();
    let input: u64 = files.iter().map(|f| f.size).sum();
    let articles: Vec<Article> = files
        .iter()
        .filter_map(|f| corpus::read_file(f, &ReadOptions::default()).ok())
        .flat_map(|found| found.articles)
        .collect();
    let normalized: Vec<(String, String)> = articles
        .iter()
        .map(|a| (normalize_str(&a.title), normalize_str(&a.body)))
        .collect();
    let jieba = build_jieba(&[]).expect("jieba");
    let (schema, fields) = build_schema(ExactView::Positions);
    let docs: Vec<TantivyDocument> = articles
        .iter()
        .map(|a| to_document(a, &fields, &jieba).doc)
        .collect();
    // The product's other view: doc ids only, each token once per text, the extra text stored.
    let (once_schema, once_fields) = build_schema(ExactView::DocIds);
    let once_docs: Vec<TantivyDocument> = articles
        .iter()
        .map(|a| to_document(a, &once_fields, &jieba).doc)
        .collect();

    // The same documents without the character view, to see what it costs tantivy.
    let without_chars: Vec<TantivyDocument> = docs
        .iter()
        .map(|d| {
            let mut out = TantivyDocument::default();
            for (field, value) in d.field_values().filter(|(f, _)| *f != fields.chars) {
                out.add_field_value(field, value);
            }
            out
        })
        .collect();
    let index_in = |schema: &Schema, docs: Vec<TantivyDocument>| {
        let index = Index::create_in_ram(schema.clone());
        register_tokenizers(&index);
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, 200_000_000)
            .expect("writer");
        for doc in docs {
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        index
    };
    let index_all = |docs: Vec<TantivyDocument>| index_in(&schema, docs);
    let positionless = positionless_schema(&schema);
    for (name, schema, docs) in [
        ("positional", &schema, &docs),
        ("doc ids only", &positionless, &docs),
        (
            "doc ids only, once per text (--exact-view doc-ids)",
            &once_schema,
            &once_docs,
        ),
    ] {
        let index = index_in(schema, docs.clone());
        eprintln!("{name}: {}", sizes(&searcher_of(&index)));
    }
    eprintln!(
        "a bigram -> articles table: {} bytes",
        bigram_table(&normalized)
    );

    let mut g = c.benchmark_group("index stages, one core");
    g.throughput(Throughput::Bytes(input));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("read: decode, clean, split", |b| {
        b.iter(|| {
            files
                .iter()
                .filter_map(|f| corpus::read_file(f, &ReadOptions::default()).ok())
                .map(|found| found.articles.len())
                .sum::<usize>()
        })
    });
    g.bench_function("normalise", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| normalize_str(&a.title).len() + normalize_str(&a.body).len())
                .sum::<usize>()
        })
    });
    g.bench_function("facets", |b| {
        b.iter(|| {
            normalized
                .iter()
                .map(|(t, body)| {
                    facets_of_normalized(Seen {
                        title: t,
                        body,
                        source: None,
                        site: None,
                        date: None,
                    })
                    .regions
                    .len()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("jieba words", |b| {
        b.iter(|| {
            normalized
                .iter()
                .map(|(t, body)| pre_cut(&jieba, t).len() + pre_cut(&jieba, body).len())
                .sum::<usize>()
        })
    });
    g.bench_function("story signatures (MinHash)", |b| {
        b.iter(|| {
            normalized
                .iter()
                .filter_map(|(_, body)| corpus_search::stories::signature(body))
                .count()
        })
    });
    g.bench_function("character view", |b| {
        b.iter(|| {
            normalized
                .iter()
                .map(|(t, body)| char_tokens(t).len() + char_tokens(body).len())
                .sum::<usize>()
        })
    });
    g.bench_function("tantivy: index prepared documents, commit", |b| {
        b.iter_batched(|| docs.clone(), index_all, BatchSize::PerIteration)
    });
    g.bench_function("tantivy: the same without the character view", |b| {
        b.iter_batched(|| without_chars.clone(), index_all, BatchSize::PerIteration)
    });
    g.bench_function("tantivy: the character view as doc ids only", |b| {
        b.iter_batched(
            || docs.clone(),
            |docs| index_in(&positionless, docs),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("tantivy: doc ids only, each token once per text", |b| {
        b.iter_batched(
            || once_docs.clone(),
            |docs| index_in(&once_schema, docs),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("a bigram -> articles table built for it", |b| {
        b.iter(|| bigram_table(&normalized))
    });
    g.finish();

    // What a positionless view costs a query: each candidate's stored title and body read,
    // normalised and searched for the phrase.
    let searcher = searcher_of(&index_all(docs.clone()));
    let mut g = c.benchmark_group("a phrase checked in the stored text");
    g.throughput(Throughput::Elements(articles.len() as u64));
    g.sample_size(10);
    g.bench_function("every article read from the store and searched", |b| {
        b.iter(|| verify_all(&searcher, &fields, "国有企业"))
    });
    g.finish();
}

fn searcher_of(index: &Index) -> Searcher {
    index.reader().expect("reader").searcher()
}

/// The index's bytes: all, the character view's postings and positions, the doc store.
fn sizes(searcher: &Searcher) -> String {
    let usage = searcher.space_usage().expect("space usage");
    let (mut postings, mut positions, mut store) = (0u64, 0u64, 0u64);
    for segment in usage.segments() {
        for f in segment.postings().fields() {
            if f.field_name() == "chars" {
                postings += f.total().get_bytes();
            }
        }
        for f in segment.positions().fields() {
            if f.field_name() == "chars" {
                positions += f.total().get_bytes();
            }
        }
        store += segment.store().total().get_bytes();
    }
    format!(
        "index {} bytes; chars postings {postings}, positions {positions}; store {store}",
        usage.total().get_bytes()
    )
}

/// How many articles hold `phrase` in their stored title or body, read one by one.
fn verify_all(searcher: &Searcher, fields: &Fields, phrase: &str) -> usize {
    let mut found = 0;
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(4).expect("store");
        for doc in 0..segment.max_doc() {
            let doc: TantivyDocument = store.get(doc as DocId).expect("doc");
            let holds = [fields.title, fields.body].iter().any(|&f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .is_some_and(|t| normalize_str(t).contains(phrase))
            });
            found += usize::from(holds);
        }
    }
    found
}

// ---------------------------------------------------------------------------------------
// Designs of the exact view measured against today's (issue 28; BENCHMARKS.md, "An exact
// view at a third of the cost"). Beside the product's two views (`--exact-view`), these time
// what other designs would cost tantivy's thread, and what checking a phrase in the stored
// text costs a query.

/// The schema with the character-view fields (`chars`, `title_chars`) indexed as doc ids
/// only, every occurrence handed to tantivy: positionless postings alone.
fn positionless_schema(schema: &Schema) -> Schema {
    let mut b = Schema::builder();
    for (_, entry) in schema.fields() {
        let name = entry.name();
        if name == "chars" || name == "title_chars" {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(CHARS_TOKENIZER)
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::Basic);
            b.add_text_field(name, TextOptions::default().set_indexing_options(indexing));
        } else {
            b.add_field(entry.clone());
        }
    }
    b.build()
}

/// A token as a number: a bigram's two characters packed, anything else hashed.
fn token_key(text: &str) -> u64 {
    let mut chars = text.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), Some(b), None) => (a as u64) << 21 | b as u64,
        (Some(a), None, None) => a as u64,
        _ => {
            use std::hash::BuildHasher;
            rustc_hash::FxBuildHasher.hash_one(text) | 1 << 63
        }
    }
}

/// A bigram -> articles table built for it: each article's distinct keys sorted, each key's
/// article numbers appended, then every list written delta- and varint-coded, keys in order.
/// Returns the bytes written.
fn bigram_table(texts: &[(String, String)]) -> usize {
    let mut lists: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut keys: Vec<u64> = Vec::new();
    let mut cutter = CharTokenizer::default();
    for (doc, (title, body)) in texts.iter().enumerate() {
        keys.clear();
        for text in [title, body] {
            let mut stream = cutter.token_stream(text);
            while stream.advance() {
                keys.push(token_key(&stream.token().text));
            }
        }
        keys.sort_unstable();
        keys.dedup();
        for &k in &keys {
            lists.entry(k).or_default().push(doc as u32);
        }
    }
    let mut sorted: Vec<(u64, Vec<u32>)> = lists.into_iter().collect();
    sorted.sort_unstable_by_key(|(k, _)| *k);
    let mut out: Vec<u8> = Vec::new();
    for (k, docs) in &sorted {
        out.extend_from_slice(&k.to_le_bytes());
        let mut last = 0u32;
        for &d in docs {
            let mut delta = d - last;
            last = d;
            while delta >= 0x80 {
                out.push((delta as u8) | 0x80);
                delta >>= 7;
            }
            out.push(delta as u8);
        }
    }
    out.len()
}

criterion_group!(benches, stages);
criterion_main!(benches);
