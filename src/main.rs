//! The `corpus-search` binary: parse the command line, call the library, print the result,
//! exit 0 on success, 1 on failure, 2 when the user can fix what they typed.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use serde::Serialize;

use corpus_search::corpus::{self, ReadOptions, WalkOptions};
use corpus_search::engine::{self, Engine as Cluster};
use corpus_search::facets::count_by;
use corpus_search::home::Home;
use corpus_search::index::{
    build_index, open_index, BuildConfig, BuildSummary, ExactView, OpenIndex,
};
use corpus_search::inspect::inspect_file;
use corpus_search::render::{
    write_bench_report, write_comparison, write_comparison_csv, write_distribution,
    write_distribution_csv, write_inspected, write_json, write_kwic, write_kwic_csv,
    write_reprints, write_results, write_summary, ExportFormat, ExportWriter, Marks,
};
use corpus_search::scaleout::{write_for, Engine};
use corpus_search::search::export::{ExportField, ExportRequest};
use corpus_search::search::kwic::KwicRequest;
use corpus_search::search::{Filters, SearchRequest};
use corpus_search::Error;

use cli::{
    BenchArgs, Cli, Command, EngineArg, ExportArgs, FacetsArgs, FilterArgs, IndexArgs, InspectArgs,
    KwicArgs, QueryArgs, ReadingArgs, ReprintsArgs, ServeArgs,
};

fn main() -> ExitCode {
    let cli = Cli::parse_from(cli::query_words_last(std::env::args_os().collect()));
    let result = match cli.command {
        Command::Index(args) => run_index(args),
        Command::Query(args) => run_query(args),
        Command::Inspect(args) => run_inspect(args),
        Command::Facets(args) => run_facets(args),
        Command::Export(args) => run_export(args),
        Command::Kwic(args) => run_kwic(args),
        Command::Reprints(args) => run_reprints(args),
        Command::Serve(args) => run_serve(args),
        Command::Bench(args) => run_bench(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `corpus-search query x | head` closing the pipe is not an error.
            if err.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("corpus-search: {err:#}");
            let user = err
                .chain()
                .any(|c| c.downcast_ref::<Error>().is_some_and(|e| e.is_user_error()));
            ExitCode::from(if user { 2 } else { 1 })
        }
    }
}

fn encoding(label: Option<&str>) -> anyhow::Result<Option<&'static encoding_rs::Encoding>> {
    match label {
        None => Ok(None),
        Some(l) => corpus::decode::encoding_for_label(l).map(Some).ok_or_else(|| {
            Error::user(format!(
                "unknown encoding `{l}`; use a name such as utf-8, gbk, gb18030, big5, utf-16le, utf-16be"
            ))
            .into()
        }),
    }
}

/// The reading flags shared by `index` and `inspect`.
fn read_options(reading: &ReadingArgs) -> anyhow::Result<ReadOptions> {
    let format = match reading.format.as_deref() {
        None => None,
        Some(name) => Some(
            corpus::Format::from_name(name)
                .ok_or_else(|| Error::user(corpus::formats::unknown_format(name)))?,
        ),
    };
    let fields = match reading.fields.as_deref() {
        None => corpus::FieldMap::default(),
        Some(spec) => corpus::FieldMap::parse(spec).map_err(Error::user)?,
    };
    Ok(ReadOptions {
        encoding: encoding(reading.encoding.as_deref())?,
        format,
        fields,
        ..ReadOptions::default()
    })
}

fn build_config(args: &IndexArgs, verbose: bool) -> anyhow::Result<BuildConfig> {
    let mut extra_dicts = Vec::new();
    for path in &args.dict {
        extra_dicts.push(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read dictionary {}", path.display()))?,
        );
    }
    Ok(BuildConfig {
        corpus: args.corpus.clone(),
        index: args.index.clone(),
        read: ReadOptions {
            max_file_size: args.max_file_size.saturating_mul(1024 * 1024),
            ..read_options(&args.reading)?
        },
        walk: WalkOptions {
            follow_links: args.follow,
        },
        threads: args.threads,
        writer_heap: 384 * 1024 * 1024,
        extra_dicts,
        verbose,
        rebuild: args.rebuild,
        exact_view: args.exact_view,
        reading: format!(
            "encoding={} format={} fields={} max-file-size={}MB follow={}",
            args.reading.encoding.as_deref().unwrap_or("auto"),
            args.reading.format.as_deref().unwrap_or("auto"),
            args.reading.fields.as_deref().unwrap_or("-"),
            args.max_file_size,
            args.follow
        ),
    })
}

fn print_summary(summary: &BuildSummary, index: &Path) -> io::Result<()> {
    write_summary(&mut io::stderr().lock(), summary, index)
}

fn run_index(args: IndexArgs) -> anyhow::Result<()> {
    let config = build_config(&args, true)?;
    if let Some(cluster) = Cluster::from_flag_or_env(args.engine.as_deref())? {
        let layout = engine::load::Layout {
            shards: args.shards,
            replicas: args.replicas,
        };
        let summary = engine::load::load_corpus(&cluster, &config, layout)?;
        print_summary(&summary, Path::new(&cluster.to_string()))?;
        if args.json {
            write_json(&mut io::stdout().lock(), &summary)?;
        }
        return Ok(());
    }
    let summary = build_index(&config)?;
    print_summary(&summary, &config.index)?;
    if args.json {
        write_json(&mut io::stdout().lock(), &summary)?;
    }
    Ok(())
}

/// Opens the index; `query` and `facets` on the default index build it from `seeds/` when
/// there is none yet, so the first command a new user types works.
fn open_or_build(index: &Path) -> anyhow::Result<OpenIndex> {
    match open_index(index) {
        Ok(i) => Ok(i),
        Err(Error::MissingIndex(_)) if Path::new("seeds").is_dir() => {
            eprintln!(
                "no index at {} yet: building it from seeds/ first",
                index.display()
            );
            let index_args = IndexArgs {
                corpus: "seeds".into(),
                index: index.to_path_buf(),
                reading: ReadingArgs::default(),
                follow: false,
                max_file_size: 50,
                dict: vec![],
                threads: 0,
                json: false,
                rebuild: false,
                engine: None,
                shards: None,
                replicas: None,
                exact_view: ExactView::default(),
            };
            let summary = build_index(&build_config(&index_args, true)?)?;
            print_summary(&summary, index)?;
            Ok(open_index(index)?)
        }
        Err(e) => Err(e.into()),
    }
}

fn filters(args: FilterArgs) -> Filters {
    Filters {
        values: args.values.0,
        from: args.from,
        to: args.to,
        mentioned: args.mentioned,
        words: args.words,
    }
}

/// Where the command's index lives: the cluster of `--engine` (or CORPUS_SEARCH_ENGINE),
/// else the directory, built from seeds/ when there is none yet.
fn home(index: &Path, at: &EngineArg) -> anyhow::Result<Home> {
    Ok(match Cluster::from_flag_or_env(at.engine.as_deref())? {
        Some(cluster) => Home::Cluster(cluster),
        None => Home::Embedded(std::sync::Arc::new(open_or_build(index)?)),
    })
}

fn run_query(args: QueryArgs) -> anyhow::Result<()> {
    let home = home(&args.index, &args.at)?;
    let request = SearchRequest {
        query: args.query.join(" "),
        filters: filters(args.filters),
        sort: args.sort.parse()?,
        limit: args.limit,
        offset: args.offset,
        collapse: args.collapse,
    };
    let response = home.search(&request)?;
    let marks = Marks::for_terminal(colour());
    print(&response, args.json, None, |out, r| {
        write_results(out, r, args.offset, request.collapse, marks)
    })
}

/// Whether stdout takes colour: a terminal, and NO_COLOR unset.
fn colour() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// How `--csv` writes a result.
type CsvWriter<T> = fn(&mut dyn Write, &T) -> io::Result<()>;

/// One command's result on stdout, as its flags ask: JSON with `--json`, CSV with `--csv`
/// (`csv`: the flag and the writer, for the commands that have one), else for reading.
fn print<T: Serialize>(
    value: &T,
    json: bool,
    csv: Option<(bool, CsvWriter<T>)>,
    text: impl FnOnce(&mut dyn Write, &T) -> io::Result<()>,
) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match csv {
        _ if json => write_json(&mut out, value)?,
        Some((true, write_csv)) => write_csv(&mut out, value)?,
        _ => text(&mut out, value)?,
    }
    out.flush()?;
    Ok(())
}

fn run_inspect(args: InspectArgs) -> anyhow::Result<()> {
    let options = read_options(&args.reading)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    for path in &args.files {
        match inspect_file(path, &options) {
            Ok(file) if args.json => write_json(&mut out, &file)?,
            Ok(file) => write_inspected(&mut out, &file)?,
            Err(why) => {
                eprintln!("{}: {why}", path.display());
                failed += 1;
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} file(s) could not be read");
    }
    Ok(())
}

fn run_reprints(args: ReprintsArgs) -> anyhow::Result<()> {
    let home = home(&args.index, &args.at)?;
    let Some(story) = home.reprints(&args.id)? else {
        let place = match &home {
            Home::Cluster(engine) => engine.to_string(),
            Home::Embedded(_) => args.index.display().to_string(),
        };
        return Err(Error::user(format!(
            "no article with id `{}` in {place}; ids are shown by `query` (a file's path, with #n for the n-th article of a file of several)",
            args.id,
        ))
        .into());
    };
    print(&story, args.json, None, write_reprints)
}

fn run_facets(args: FacetsArgs) -> anyhow::Result<()> {
    let by = args
        .by
        .iter()
        .map(|b| count_by(b))
        .collect::<Result<Vec<_>, _>>()?;
    let home = home(&args.index, &args.at)?;
    if !args.compare.is_empty() || args.normalize {
        let [one] = by.as_slice() else {
            return Err(Error::user(
                "--compare and --normalize count over one facet; give one --by (e.g. --by month)",
            )
            .into());
        };
        let mut queries = vec![args.query.join(" ")];
        queries.extend(args.compare.iter().cloned());
        let table = home.compare(
            &queries,
            &filters(args.filters),
            one,
            args.normalize,
            args.stories,
        )?;
        return print(
            &table,
            args.json,
            Some((args.csv, write_comparison_csv)),
            write_comparison,
        );
    }
    let dist = home.distribution(
        &args.query.join(" "),
        &filters(args.filters),
        &by,
        args.stories,
    )?;
    print(
        &dist,
        args.json,
        Some((args.csv, write_distribution_csv)),
        write_distribution,
    )
}

fn run_export(args: ExportArgs) -> anyhow::Result<()> {
    if let (Some(engine), Some(dir)) = (&args.for_engine, &args.out) {
        let engine: Engine = engine.parse()?;
        let request = ExportRequest {
            query: args.query.join(" "),
            sort: args.sort.parse()?,
            fields: corpus_search::scaleout::fields(),
            filters: filters(args.filters),
        };
        let export = home(&args.index, &args.at)?.export(&request)?;
        let n = write_for(engine, export, dir)?;
        eprintln!(
            "wrote {n} document{} for {engine:?} into {}",
            if n == 1 { "" } else { "s" },
            dir.display()
        );
        return Ok(());
    }
    let format: ExportFormat = args.format.parse()?;
    format.check_bom(args.bom)?;
    let request = ExportRequest {
        query: args.query.join(" "),
        sort: args.sort.parse()?,
        fields: ExportField::parse_list(&args.fields)?,
        filters: filters(args.filters),
    };
    let export = home(&args.index, &args.at)?.export(&request)?;
    let stdout = io::stdout();
    let out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut writer = ExportWriter::new(out, format, export.fields(), args.bom)?;
    for row in export {
        writer.write_row(&row?)?;
    }
    writer.finish()?.flush()?;
    Ok(())
}

fn run_kwic(args: KwicArgs) -> anyhow::Result<()> {
    let home = home(&args.index, &args.at)?;
    let request = KwicRequest {
        query: args.query.join(" "),
        sort: args.sort.parse()?,
        width: args.width,
        limit: args.limit,
        filters: filters(args.filters),
    };
    let c = home.concordance(&request)?;
    let marks = if colour() {
        Marks::for_terminal(true)
    } else {
        // The match has its own column; no marks are needed to find it.
        Marks {
            open: "",
            close: "",
            ..Marks::for_terminal(false)
        }
    };
    print(&c, args.json, Some((args.csv, write_kwic_csv)), |out, c| {
        write_kwic(out, c, marks)
    })?;
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "{} in {} matching {}{}",
        plural(c.total_lines, "line"),
        c.total_articles,
        if c.total_articles == 1 {
            "article"
        } else {
            "articles"
        },
        corpus_search::render::matched_as(c.matching)
    );
    if c.lines.len() < c.total_lines {
        eprintln!(
            "showing {} of {} lines; --limit N shows more, --limit 0 all",
            c.lines.len(),
            c.total_lines
        );
    }
    Ok(())
}

fn run_serve(args: ServeArgs) -> anyhow::Result<()> {
    corpus_search::serve::serve(&corpus_search::serve::ServeConfig {
        engine: Cluster::from_flag_or_env(args.at.engine.as_deref())?,
        index: args.index,
        addr: args.addr,
        workers: args.workers,
        max_pending: args.max_pending,
        quiet: args.quiet,
        show_paths: args.show_paths,
    })?;
    Ok(())
}

fn run_bench(args: BenchArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("cannot read the query list {}", args.queries.display()))?;
    let queries = corpus_search::bench::parse_query_list(&text)?;
    let opened = open_index(&args.index)?;
    let report = corpus_search::bench::run_queries(&opened, &queries, args.runs, args.warmup)?;
    print(&report, args.json, None, |out, r| {
        write_bench_report(out, r, args.runs)
    })
}
