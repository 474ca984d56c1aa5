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
use tantivy::{Index, TantivyDocument};

use corpus_search::corpus::{self, walk_corpus, Article, ReadOptions, WalkOptions};
use corpus_search::facets::{facets_of_normalized, Seen};
use corpus_search::index::writer::to_document;
use corpus_search::index::{build_schema, register_tokenizers};
use corpus_search::text::normalize::normalize_str;
use corpus_search::text::tokenize::{build_jieba, char_tokens, pre_cut};

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
    let (schema, fields) = build_schema();
    let docs: Vec<TantivyDocument> = articles
        .iter()
        .map(|a| to_document(a, &fields, &jieba).doc)
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
    let index_all = |docs: Vec<TantivyDocument>| {
        let index = Index::create_in_ram(schema.clone());
        register_tokenizers(&index);
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, 200_000_000)
            .expect("writer");
        for doc in docs {
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit")
    };

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
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
