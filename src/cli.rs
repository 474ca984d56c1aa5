//! The command line (clap derive types only). `main` turns these into the library's plain
//! config structs once; the library never sees clap.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Arg, ArgAction, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use corpus_search::facets::{value_filters, Chosen};
use corpus_search::index::ExactView;

/// Full-text search for corpora of Chinese news articles: jieba words for ranking, exact
/// recall for counting, facets by region, date, source and industry.
///
/// Start with `corpus-search query 低空经济`: with no index yet, it builds one from `seeds/`.
#[derive(Debug, Parser)]
#[command(name = "corpus-search", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands whose words are a query.
const QUERY_COMMANDS: [&str; 4] = ["query", "kwic", "export", "facets"];

/// The command line with a query's words moved after `--`, so that `query 大连 国家级新区`
/// and `query 香港 -台湾 --year 2020` read as written: every word that is not one of the
/// command's flags (or a flag's value) belongs to the query, an exclusion like `-台湾`
/// too, and the flags work anywhere. A `--` of the user's own ends the flags, as usual.
pub fn query_words_last(args: Vec<OsString>) -> Vec<OsString> {
    let cli = Cli::command();
    let command = args
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|name| QUERY_COMMANDS.contains(name))
        .and_then(|name| cli.find_subcommand(name));
    let Some(command) = command else {
        return args;
    };
    // How many values a flag takes after it: 0, 1, or (`--compare 香港 农民`) all up to the
    // next flag.
    let values = |arg: &Arg| match arg.get_num_args() {
        _ if !arg.get_action().takes_values() => 0,
        Some(range) if range.max_values() > 1 => usize::MAX,
        _ => 1,
    };
    let (mut flags, mut words) = (Vec::new(), Vec::new());
    let mut rest = args[2..].iter();
    while let Some(token) = rest.next() {
        let Some(text) = token.to_str() else {
            words.push(token.clone());
            continue;
        };
        let flag = if text == "--" {
            words.extend(rest.by_ref().cloned());
            break;
        } else if let Some(long) = text.strip_prefix("--") {
            // Unknown long flags stay flags: clap says `--yaer` is a typo.
            let (name, inline_value) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            let known = command.get_arguments().find(|a| a.get_long() == Some(name));
            Some(known.map_or(0, |a| if inline_value { 0 } else { values(a) }))
        } else if text == "-h" {
            Some(0)
        } else {
            let mut chars = text.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some('-'), Some(short), None) => command
                    .get_arguments()
                    .find(|a| a.get_short() == Some(short))
                    .map(values),
                _ => None,
            }
        };
        match flag {
            Some(n) => {
                // The first value is the flag's, whatever it looks like; a flag of several
                // values (`--compare 香港 农民`) takes them up to the next `-` word.
                flags.push(token.clone());
                if n >= 1 {
                    flags.extend(rest.next().cloned());
                }
                while n > 1
                    && rest
                        .as_slice()
                        .first()
                        .and_then(|t| t.to_str())
                        .is_some_and(|t| !t.starts_with('-'))
                {
                    flags.extend(rest.next().cloned());
                }
            }
            None => words.push(token.clone()),
        }
    }
    let mut out = args[..2].to_vec();
    out.extend(flags);
    if !words.is_empty() {
        out.push("--".into());
        out.extend(words);
    }
    out
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the index of a corpus, or update it: on an existing index only new, changed and
    /// removed files are read (`--rebuild` builds from scratch). The old index stays usable
    /// until the new one is done. Reprints are grouped into stories as it goes.
    ///
    /// Example: corpus-search index --corpus news/ --index news.idx
    Index(IndexArgs),
    /// Search the index: ranked articles with highlighted snippets, then facet counts.
    ///
    /// Examples:
    ///   corpus-search query 低空经济
    ///   corpus-search query 低空经济 深圳 --from 2024-03
    ///   corpus-search query 香港 -台湾 --year 2020
    ///   corpus-search query '"新质生产力" -北京' --province 广东 --province 浙江
    ///   corpus-search query 人工智能 --sort date --limit 20 --json
    Query(QueryArgs),
    /// Show what the index would hold for a file: each article with its title, date, source,
    /// facets and cleaned text.
    ///
    /// Example: corpus-search inspect seeds/000_3fb0e0e4f6e559ef.txt
    Inspect(InspectArgs),
    /// Count a query's matching articles per facet value: a distribution over one facet, or
    /// a table of two. Exact counts, sorted, with totals, for reports.
    ///
    /// Examples:
    ///   corpus-search facets 低空经济 --by province
    ///   corpus-search facets 新质生产力 --by province --by month --csv > table.csv
    ///   corpus-search facets '' --by source --from 2024 --json
    Facets(FacetsArgs),
    /// Write every matching article (no cap) as CSV or JSON Lines, in a stable order: as many
    /// rows as `query`'s total. Memory stays small however many there are.
    ///
    /// Fields: id, title, date, source, provinces, cities, industries, path, url, snippet,
    /// text (the whole article), regions, story (its story's id: the original's article id)
    /// and reprints (the other articles in its story); lists are joined with `;` in CSV and
    /// arrays in JSON Lines.
    ///
    /// Examples:
    ///   corpus-search export 低空经济 > 低空经济.csv
    ///   corpus-search export 经济 --province 广东 --fields id,date,title,text --bom > gd.csv
    ///   corpus-search export '' --from 1998-01 --format jsonl --sort date | wc -l
    #[command(verbatim_doc_comment)]
    Export(ExportArgs),
    /// A concordance (KWIC): every occurrence of the query's words and phrases in the matching
    /// articles, one line each with its context, aligned on the match, with date, source and
    /// article id.
    ///
    /// Matches are found as the search finds them (traditional or simplified, full or half
    /// width, any case) and shown as the article writes them. Context stops at a paragraph's
    /// end (the title is a paragraph of its own). `--sort left` orders by the characters just
    /// before the match, read leftwards, so the words that precede it group together.
    ///
    /// Examples:
    ///   corpus-search kwic 低空经济
    ///   corpus-search kwic 经济 --province 广东 --sort left --width 10
    ///   corpus-search kwic '"国有企业" OR 下岗' --limit 0 --csv > lines.csv
    #[command(verbatim_doc_comment)]
    Kwic(KwicArgs),
    /// List the articles of an article's story: the reprints of one piece, found at index
    /// time, each with its date and source, the original first (the earliest; a news agency
    /// first on the same day).
    ///
    /// Example: corpus-search reprints 'news/2024/0312.html'
    #[command(verbatim_doc_comment)]
    Reprints(ReprintsArgs),
    /// Serve the search as a web page and an HTTP API (JSON) until Ctrl-C.
    ///
    /// The page is at http://127.0.0.1:7700/, the API under /api/ (described at
    /// /api/openapi.json). The server follows rebuilds of the index without a restart.
    ///
    /// Examples:
    ///   corpus-search serve
    ///   corpus-search serve --index news.idx --addr 0.0.0.0:8080
    ///   curl 'http://127.0.0.1:7700/api/search?q=低空经济&province=广东'
    Serve(ServeArgs),
    /// Time queries warm, in one process: each query of a list run many times (exact total,
    /// top 10 with snippets, facet counts), median and 99th percentile per query and class.
    ///
    /// The list has one query per line: `class<TAB>query[<TAB>filters]`, filters as in a URL.
    /// `bench/run.py` runs this beside Lucene and SQLite; see BENCHMARKS.md.
    ///
    /// Example: corpus-search bench --index rmrb.idx --queries bench/queries.tsv --runs 200
    Bench(BenchArgs),
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The index to query.
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    /// The query list.
    #[arg(long, default_value = "bench/queries.tsv", value_name = "FILE")]
    pub queries: PathBuf,
    /// Timed runs of each query.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub runs: usize,
    /// Untimed runs of each query first.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub warmup: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Where the index lives when it is not the directory: a cluster.
#[derive(Debug, Args)]
pub struct EngineArg {
    /// Use an OpenSearch cluster instead of the index directory: its URL with the index
    /// name as the path, e.g. --engine http://127.0.0.1:9200/news (credentials in the URL or
    /// CORPUS_SEARCH_ENGINE_USER/_PASSWORD). Default: $CORPUS_SEARCH_ENGINE.
    #[arg(long, value_name = "URL")]
    pub engine: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The index to serve (build it first with `corpus-search index`).
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub at: EngineArg,
    /// Address and port to listen on; loopback only unless you say otherwise (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "HOST:PORT")]
    pub addr: String,
    /// Searches run at once (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub workers: usize,
    /// Requests that may wait for a free worker; more get 503 (busy) at once.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_pending: usize,
    /// No log line per request on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Let /api/health give the corpus's path on this machine (by default only its folder's
    /// name: the API does not reveal the server's file system).
    #[arg(long)]
    pub show_paths: bool,
}

/// How files are read: the flags `index` and `inspect` share.
#[derive(Debug, Default, Args)]
pub struct ReadingArgs {
    /// Read every file in this encoding instead of detecting it (e.g. gbk, big5, utf-16le).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    // The help lists the names of corpus::formats::FORMATS.
    #[arg(long, value_name = "FORMAT", help = format!(
        "Read every file as this format instead of telling each by its content: {}.",
        corpus_search::corpus::formats::format_names()
    ))]
    pub format: Option<String>,
    /// Record field names beyond the usual ones, e.g. --fields title=headline,text=content,date=pub_time
    #[arg(long, value_name = "MAP")]
    pub fields: Option<String>,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folder of news files, read recursively (any encoding, one or more articles per file).
    #[arg(long, default_value = "seeds", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Where the index goes.
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub reading: ReadingArgs,
    /// Follow symbolic links (only to places inside the corpus folder).
    #[arg(long)]
    pub follow: bool,
    /// Skip files larger than this many megabytes (news pages are small).
    #[arg(long, default_value_t = 50, value_name = "MB")]
    pub max_file_size: u64,
    /// A jieba dictionary of your own words (`word [freq] [tag]` per line), e.g. --dict words.txt
    #[arg(long, value_name = "FILE")]
    pub dict: Vec<PathBuf>,
    /// Threads that read, clean, tag and cut the text (0 = one per core); tantivy indexes
    /// with half as many (at least one).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Build the index from scratch. Without it, `index` on an existing index updates it:
    /// only new, changed and removed files are read.
    #[arg(long)]
    pub rebuild: bool,
    /// Write the articles into an OpenSearch cluster instead of --index, e.g.
    /// --engine http://127.0.0.1:9200/news (the index is created with our mapping if absent;
    /// an update reads only new and changed files, as on disk). Credentials in the URL or
    /// CORPUS_SEARCH_ENGINE_USER/_PASSWORD. Default: $CORPUS_SEARCH_ENGINE.
    #[arg(long, value_name = "URL")]
    pub engine: Option<String>,
    /// Primary shards of the cluster index when --engine creates it, e.g. --shards 2
    /// (default: the cluster's).
    #[arg(long, value_name = "N")]
    pub shards: Option<u32>,
    /// Replicas of each shard when --engine creates the index, e.g. --replicas 1
    /// (default: the cluster's).
    #[arg(long, value_name = "N")]
    pub replicas: Option<u32>,
    /// How the character view that makes matches and totals exact is kept: `positions`
    /// (phrases answered from the index) or `doc-ids` (an index about a third smaller; a
    /// literal of three or more characters is confirmed in each candidate's stored text, so
    /// such queries answer slower). Changing it rebuilds the index.
    #[arg(long, default_value = "positions", value_name = "VIEW",
          value_parser = clap::builder::PossibleValuesParser::new(ExactView::NAMES)
              .map(|name: String| ExactView::parse(&name).expect("one of ExactView::NAMES")))]
    pub exact_view: ExactView,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Words (all must match), "phrases", OR, -word / NOT word, (groups), title:word (in
    /// titles), source:新华社 / province: / city: / industry: / year: (filters). Empty: all
    /// articles. Several words need no quotes: `query 香港 -台湾 --year 2020`.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// relevance or date (newest first).
    #[arg(long, default_value = "relevance")]
    pub sort: String,
    /// One hit per story: reprints of one piece (found at index time) show as one hit with
    /// `+N reprints: 人民网, 央视网, …`.
    #[arg(long)]
    pub collapse: bool,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// One JSON object on stdout: query, total, hits, facets.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub at: EngineArg,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The query, as for `query` (none exports every article).
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub at: EngineArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// csv (opens in Excel and LibreOffice) or jsonl (one JSON object per line).
    #[arg(long, default_value = "csv", value_name = "FORMAT")]
    pub format: String,
    /// The columns, in order, e.g. --fields id,date,source,title,text
    /// [default: every field but text]
    #[arg(long, value_name = "LIST", default_value = "")]
    pub fields: String,
    /// relevance (highest score first) or date (newest first, undated last); ties keep
    /// the index's order, so two runs give the same rows.
    #[arg(long, default_value = "relevance")]
    pub sort: String,
    /// Start with a UTF-8 byte-order mark, so Excel reads the Chinese right (CSV only).
    #[arg(long)]
    pub bom: bool,
    /// Write for a search engine instead: opensearch (bulk.ndjson, index-template.json) or
    /// quickwit (docs.ndjson, index-config.yaml), into --out DIR. See README, "When one
    /// machine is not enough".
    #[arg(long = "for", value_name = "ENGINE", requires = "out")]
    pub for_engine: Option<String>,
    /// The folder for --for's files.
    #[arg(long, value_name = "DIR", requires = "for_engine")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReprintsArgs {
    /// An article id, as `query` shows it (`path` or `path#n`).
    #[arg(value_name = "ID")]
    pub id: String,
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub at: EngineArg,
    /// One JSON object on stdout: story, articles (id, title, date, source, url, original).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The query, as for `query`; its words and phrases (not the excluded ones) are shown.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub at: EngineArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Characters of context on each side (at most 200).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub width: usize,
    /// left (by the context before the match, read leftwards), right, date (newest first)
    /// or source.
    #[arg(long, default_value = "date")]
    pub sort: String,
    /// Lines to show (0: all); the count of all lines is always exact.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub limit: usize,
    /// CSV on stdout: id, date, source, left, match, right.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// One JSON object on stdout: query, total_articles, total_lines, lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The files to read.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub reading: ReadingArgs,
    /// JSON on stdout, one object per file.
    #[arg(long)]
    pub json: bool,
}

/// The facet filters `query` and `facets` share.
#[derive(Debug, Args)]
pub struct FilterArgs {
    #[command(flatten)]
    pub values: FacetValueArgs,
    /// Match --province/--city on every place an article names, not only its subjects.
    #[arg(long)]
    pub mentioned: bool,
    /// Count a word only where it stands as a word of the jieba cut, not inside others:
    /// 台风 then finds 台风过境 but not 60台风电机组. Exact substrings are the default.
    #[arg(long)]
    pub words: bool,
    /// Published on or after: 2024, 2024-03 or 2024-03-14.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Published on or before: 2024, 2024-03 or 2024-03-14.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

/// One repeatable flag for each facet that filters by values (`--province`, `--source` ...),
/// made from the facet descriptions (`facets::FACETS`).
#[derive(Debug, Default)]
pub struct FacetValueArgs(pub Chosen);

impl FromArgMatches for FacetValueArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut chosen = Chosen::default();
        for (facet, _) in value_filters() {
            if let Some(values) = matches.get_many::<String>(facet.name) {
                chosen.get_mut(facet).extend(values.cloned());
            }
        }
        Ok(FacetValueArgs(chosen))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = FacetValueArgs::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for FacetValueArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        value_filters().fold(cmd, |cmd, (facet, _)| {
            cmd.arg(
                Arg::new(facet.name)
                    .long(facet.name)
                    .value_name(facet.value_name)
                    .action(ArgAction::Append)
                    .help(facet.help),
            )
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        FacetValueArgs::augment_args(cmd)
    }
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// The query, as for `query` (none counts every article).
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    /// A facet (province, city, source, industry, month, day, week or year); twice for a table (rows, then columns).
    #[arg(long, value_name = "FACET", default_value = corpus_search::facets::default_by().name)]
    pub by: Vec<String>,
    /// Also count these queries, as columns of one table with the same values (one --by).
    #[arg(long, value_name = "QUERY", num_args = 1..)]
    pub compare: Vec<String>,
    /// Each count also as a share of all articles with that value under the same filters
    /// (attention over time: --by month --normalize).
    #[arg(long)]
    pub normalize: bool,
    /// Count stories instead of articles: reprints of one piece count once, under each
    /// value any of its matching articles has (see README, "Reprints and stories").
    #[arg(long)]
    pub stories: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// One JSON object on stdout: query, counts, total, by, columns, column_totals, rows.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV on stdout, with a total row.
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub at: EngineArg,
}
