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
use corpus_search::facets::extract_facets;
use corpus_search::home::Home;
use corpus_search::index::{build_index, open_index, BuildConfig, BuildSummary, OpenIndex};
use corpus_search::render::{
    thousands, write_comparison, write_comparison_csv, write_distribution, write_distribution_csv,
    write_json, write_kwic, write_kwic_csv, write_reprints, write_results, ExportFormat,
    ExportWriter, Marks,
};
use corpus_search::scaleout::{write_for, Engine};
use corpus_search::search::export::{ExportField, ExportRequest};
use corpus_search::search::kwic::KwicRequest;
use corpus_search::search::{Filters, SearchRequest};
use corpus_search::Error;

use cli::{
    BenchArgs, Cli, Command, EngineArg, ExportArgs, FacetsArgs, FilterArgs, IndexArgs, InspectArgs,
    KwicArgs, QueryArgs, ReprintsArgs, ServeArgs,
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
fn read_options(
    encoding_label: Option<&str>,
    format: Option<&str>,
    fields: Option<&str>,
) -> anyhow::Result<ReadOptions> {
    let format = match format {
        None => None,
        Some(name) => Some(
            corpus::Format::from_name(name)
                .ok_or_else(|| Error::user(corpus::formats::unknown_format(name)))?,
        ),
    };
    let fields = match fields {
        None => corpus::FieldMap::default(),
        Some(spec) => corpus::FieldMap::parse(spec).map_err(Error::user)?,
    };
    Ok(ReadOptions {
        encoding: encoding(encoding_label)?,
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
            ..read_options(
                args.encoding.as_deref(),
                args.format.as_deref(),
                args.fields.as_deref(),
            )?
        },
        walk: WalkOptions {
            follow_links: args.follow,
        },
        threads: args.threads,
        writer_heap: 384 * 1024 * 1024,
        extra_dicts,
        verbose,
        rebuild: args.rebuild,
        reading: format!(
            "encoding={} format={} fields={} max-file-size={}MB follow={}",
            args.encoding.as_deref().unwrap_or("auto"),
            args.format.as_deref().unwrap_or("auto"),
            args.fields.as_deref().unwrap_or("-"),
            args.max_file_size,
            args.follow
        ),
    })
}

/// Files skipped by an earlier run and not read again, at most ten named with their reasons:
/// `still skipped: 2 files (a.html: a list of links; b.csv: …)`.
fn still_skipped_line(notes: &[corpus_search::index::FileNote]) -> String {
    const NAMED: usize = 10;
    let named: Vec<String> = notes
        .iter()
        .take(NAMED)
        .map(|n| format!("{}: {}", n.path, n.reason))
        .collect();
    let more = match notes.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    format!(
        "still skipped: {} file{} ({}{more})",
        thousands(notes.len()),
        if notes.len() == 1 { "" } else { "s" },
        named.join("; ")
    )
}

fn print_summary(s: &BuildSummary, index: &Path) {
    let mb = s.bytes_read as f64 / 1_048_576.0;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if let Some(why) = &s.rebuilt_because {
        eprintln!("built {} from scratch: {why}", index.display());
    }
    match &s.update {
        Some(u) => eprintln!(
            "updated {}: +{} new, {} changed, {} removed, {} unchanged file{} in {:.1} s; {} article{} read ({:.1} MB), {} in the index ({:.1} MB)",
            index.display(),
            thousands(u.new),
            thousands(u.changed),
            thousands(u.removed),
            thousands(u.unchanged),
            plural(u.unchanged),
            s.seconds,
            thousands(s.articles),
            plural(s.articles),
            mb,
            thousands(s.index_articles),
            s.index_bytes as f64 / 1_048_576.0
        ),
        None => eprintln!(
            "indexed {} article{} from {} file{} ({:.1} MB) in {:.1}s into {} ({:.1} MB)",
            s.articles,
            plural(s.articles),
            s.files_read,
            plural(s.files_read),
            mb,
            s.seconds,
            index.display(),
            s.index_bytes as f64 / 1_048_576.0
        ),
    }
    if s.stories > 0 {
        eprintln!(
            "{} stor{} of reprints: {} articles in them",
            thousands(s.stories),
            if s.stories == 1 { "y" } else { "ies" },
            thousands(s.reprinted_articles)
        );
    }
    if s.files_skipped > 0 {
        let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
        for n in &s.skipped {
            let key = n
                .reason
                .split([':', '('])
                .next()
                .unwrap_or(&n.reason)
                .trim()
                .to_string();
            *reasons.entry(key).or_default() += 1;
        }
        let why: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        eprintln!(
            "skipped {} file{}: {}",
            s.files_skipped,
            if s.files_skipped == 1 { "" } else { "s" },
            why.join("; ")
        );
    }
    if !s.still_skipped.is_empty() {
        eprintln!("{}", still_skipped_line(&s.still_skipped));
    }
    if s.formats.keys().any(|f| f != "text") {
        let read: Vec<String> = s
            .formats
            .iter()
            .map(|(format, t)| {
                let records = if t.records > 0 {
                    format!(", {} records", t.records)
                } else {
                    String::new()
                };
                format!(
                    "{format}: {} files{records}, {} articles",
                    t.files, t.articles
                )
            })
            .collect();
        eprintln!("read as {}", read.join("; "));
    }
    let decoded = s
        .flagged
        .iter()
        .filter(|n| n.reason.starts_with("decoded as"))
        .count();
    if decoded > 0 {
        eprintln!(
            "{} file{} decoded with invalid bytes replaced (see the warnings above)",
            decoded,
            if decoded == 1 { "" } else { "s" }
        );
    }
    let other = s.flagged.len() - decoded;
    if other > 0 {
        eprintln!(
            "{} warning{} about records or page metadata left out (see above)",
            other,
            if other == 1 { "" } else { "s" }
        );
    }
}

fn run_index(args: IndexArgs) -> anyhow::Result<()> {
    let config = build_config(&args, true)?;
    if let Some(cluster) = Cluster::from_flag_or_env(args.engine.as_deref())? {
        let layout = engine::load::Layout {
            shards: args.shards,
            replicas: args.replicas,
        };
        let summary = engine::load::load_corpus(&cluster, &config, layout)?;
        print_summary(&summary, Path::new(&cluster.to_string()));
        if args.json {
            write_json(&mut io::stdout().lock(), &summary)?;
        }
        return Ok(());
    }
    let summary = build_index(&config)?;
    print_summary(&summary, &config.index);
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
                encoding: None,
                format: None,
                fields: None,
                follow: false,
                max_file_size: 50,
                dict: vec![],
                threads: 0,
                json: false,
                rebuild: false,
                engine: None,
                shards: None,
                replicas: None,
            };
            let summary = build_index(&build_config(&index_args, true)?)?;
            print_summary(&summary, index);
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
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.json {
        write_json(&mut out, &response)?;
    } else {
        let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        write_results(
            &mut out,
            &response,
            args.offset,
            request.collapse,
            Marks::for_terminal(colour),
        )?;
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct InspectedArticle<'a> {
    #[serde(flatten)]
    article: &'a corpus::Article,
    regions: Vec<String>,
    mentions: Vec<String>,
    industries: Vec<String>,
}

#[derive(Serialize)]
struct InspectedFile<'a> {
    path: String,
    encoding: &'static str,
    replaced: usize,
    format: &'static str,
    notes: &'a [String],
    /// What the folders' `corpus-search.toml` files set, when any applied.
    #[serde(skip_serializing_if = "corpus::Settings::is_empty")]
    settings: &'a corpus::Settings,
    articles: Vec<InspectedArticle<'a>>,
}

fn run_inspect(args: InspectArgs) -> anyhow::Result<()> {
    let options = read_options(
        args.encoding.as_deref(),
        args.format.as_deref(),
        args.fields.as_deref(),
    )?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    for path in &args.files {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        let settings = match corpus::settings::settings_above(path) {
            Ok(s) => std::sync::Arc::new(s),
            Err(why) => {
                eprintln!(
                    "{}: its folder's settings cannot be used: {why}",
                    path.display()
                );
                failed += 1;
                continue;
            }
        };
        let file = corpus::CorpusFile {
            abs: path.clone(),
            rel: path.display().to_string(),
            size: meta.len(),
            modified: corpus::walk::modified_ns(&meta),
            settings,
        };
        let found = match corpus::read_file(&file, &options) {
            Ok(found) => found,
            Err(problem) => {
                eprintln!("{}: {problem}", path.display());
                failed += 1;
                continue;
            }
        };
        let articles: Vec<InspectedArticle> = found
            .articles
            .iter()
            .map(|a| {
                let f = extract_facets(a);
                InspectedArticle {
                    article: a,
                    regions: f.regions,
                    mentions: f.mentions,
                    industries: f.industries,
                }
            })
            .collect();
        if args.json {
            write_json(
                &mut out,
                &InspectedFile {
                    path: file.rel.clone(),
                    encoding: found.encoding,
                    replaced: found.replaced,
                    format: found.format,
                    notes: &found.notes,
                    settings: &file.settings,
                    articles,
                },
            )?;
            continue;
        }
        writeln!(
            out,
            "{} ({}, {}, {} article{})",
            file.rel,
            found.format,
            found.encoding,
            articles.len(),
            if articles.len() == 1 { "" } else { "s" }
        )?;
        if !file.settings.is_empty() {
            let s = &file.settings;
            let mut set: Vec<String> = Vec::new();
            let mut say = |key: &str, v: &Option<String>| {
                if let Some(v) = v {
                    set.push(format!("{key} = {v}"));
                }
            };
            say("source", &s.source);
            say("site", &s.site);
            say("encoding", &s.encoding);
            say("format", &s.format);
            set.extend(s.fields.iter().map(|(t, f)| format!("fields.{t} = {f}")));
            writeln!(
                out,
                "  settings: {} (from {})",
                set.join(", "),
                s.from.join(", ")
            )?;
        }
        for note in &found.notes {
            writeln!(out, "  note: {note}")?;
        }
        for a in &articles {
            let art = a.article;
            writeln!(
                out,
                "\n#{}  {}",
                art.id.rsplit('#').next().unwrap_or(""),
                art.title
            )?;
            writeln!(out, "  title from: {}", art.title_from)?;
            writeln!(
                out,
                "  date:       {}",
                art.date
                    .map(|d| format!("{d} (from {})", d.from.name()))
                    .unwrap_or_else(|| "unknown".into())
            )?;
            if let Some(url) = &art.url {
                writeln!(out, "  url:        {url}")?;
            }
            writeln!(
                out,
                "  source:     {}",
                art.source.as_deref().unwrap_or("unknown")
            )?;
            if let Some(printed) = art
                .source_printed
                .as_deref()
                .filter(|p| Some(*p) != art.source.as_deref())
            {
                writeln!(out, "  printed:    {printed}")?;
            }
            writeln!(
                out,
                "  site:       {}",
                art.site.as_deref().unwrap_or("unknown")
            )?;
            writeln!(out, "  regions:    {}", a.regions.join(" "))?;
            writeln!(out, "  mentions:   {}", a.mentions.join(" "))?;
            writeln!(out, "  industries: {}", a.industries.join(" "))?;
            writeln!(out, "  text:")?;
            for p in art.body.lines() {
                writeln!(out, "    {p}")?;
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
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.json {
        write_json(&mut out, &story)?;
    } else {
        write_reprints(&mut out, &story)?;
    }
    out.flush()?;
    Ok(())
}

fn run_facets(args: FacetsArgs) -> anyhow::Result<()> {
    let by = args
        .by
        .iter()
        .map(|b| count_by(b))
        .collect::<Result<Vec<_>, _>>()?;
    let home = home(&args.index, &args.at)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
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
        if args.json {
            write_json(&mut out, &table)?;
        } else if args.csv {
            write_comparison_csv(&mut out, &table)?;
        } else {
            write_comparison(&mut out, &table)?;
        }
        out.flush()?;
        return Ok(());
    }
    drop(out);
    let dist = home.distribution(
        &args.query.join(" "),
        &filters(args.filters),
        &by,
        args.stories,
    )?;
    print_distribution(&dist, args.json, args.csv)
}

fn print_distribution(
    dist: &corpus_search::search::facets::Distribution,
    json: bool,
    csv: bool,
) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if json {
        write_json(&mut out, dist)?;
    } else if csv {
        write_distribution_csv(&mut out, dist)?;
    } else {
        write_distribution(&mut out, dist)?;
    }
    out.flush()?;
    Ok(())
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
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        write_json(&mut out, &c)?;
    } else if args.csv {
        write_kwic_csv(&mut out, &c)?;
    } else {
        let marks = if stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            Marks::for_terminal(true)
        } else {
            // The match has its own column; no marks are needed to find it.
            Marks {
                open: "",
                close: "",
                ..Marks::for_terminal(false)
            }
        };
        write_kwic(&mut out, &c, marks)?;
    }
    out.flush()?;
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
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.json {
        write_json(&mut out, &report)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} articles, {} timed runs per query",
        report.articles, args.runs
    )?;
    writeln!(
        out,
        "{:<10} {:>9} {:>9} {:>8}  query",
        "class", "median ms", "p99 ms", "hits"
    )?;
    for q in &report.queries {
        writeln!(
            out,
            "{:<10} {:>9.3} {:>9.3} {:>8}  {} {}",
            q.class, q.median_ms, q.p99_ms, q.total, q.query, q.filters
        )?;
    }
    writeln!(out)?;
    for c in &report.classes {
        writeln!(
            out,
            "{:<10} {:>9.3} {:>9.3}  ({} queries)",
            c.class, c.median_ms, c.p99_ms, c.queries
        )?;
    }
    Ok(())
}
