//! The search page and the article view: server-rendered HTML that works without
//! JavaScript. The URL holds the whole state (query, filters, page), so every link is a
//! plain link, results can be shared and the back button works. Every piece of article text
//! goes through `html_escape` (snippets and titles arrive escaped from `search::snippet`).

use std::fmt::Write;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::chart::{province_svg, time_svg, Period, TimeView, FEW_ARTICLES};
use super::params::{KwicParams, SearchParams};
use super::{AppState, RunError};
use crate::facets::{facet, Facet, Filter};
use crate::render::thousands;
use crate::search::kwic::{KwicRequest, KwicSort, DEFAULT_LIMIT as KWIC_LIMIT, DEFAULT_WIDTH};
use crate::search::query::{parse_query, positive_literals};
use crate::search::snippet::{highlight_all, Needles};
use crate::search::stories::Reprints;
use crate::search::{FacetCount, SearchRequest, SearchResponse, Sort};
use crate::Code;

/// Results per page.
pub const PAGE_SIZE: usize = 10;
/// Facet values shown before "more".
const FACET_SHOWN: usize = 10;
/// Industry tags shown on a hit before "+N".
const MAX_TAGS: usize = 5;

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// Characters kept as they are in an article id put into a URL path.
const ID_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        STYLE,
    )
        .into_response()
}

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        SCRIPT,
    )
        .into_response()
}

fn layout(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{}</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script>
</head>
<body>
{body}
<footer>corpus-search {} · <a href="/api/openapi.json">API</a></footer>
</body>
</html>
"#,
        text(title),
        env!("CARGO_PKG_VERSION")
    )
}

fn page_response(status: StatusCode, title: &str, body: &str) -> Response {
    (status, Html(layout(title, body))).into_response()
}

/// The link to the search with these parameters.
pub fn search_href(p: &SearchParams) -> String {
    let qs = p.to_query_string();
    if qs.is_empty() {
        "/".to_string()
    } else {
        format!("/?{qs}")
    }
}

/// The CSV of every match of this search (`/api/export`), with a byte-order mark so that
/// Excel, where most downloads open, reads the Chinese right.
pub fn export_href(p: &SearchParams) -> String {
    let mut all = p.clone();
    all.page = 1;
    let mut qs = all.to_query_string();
    if !qs.is_empty() {
        qs.push('&');
    }
    qs.push_str("format=csv&bom=1");
    format!("/api/export?{qs}")
}

/// The concordance page of this search (first page, its own default sort).
pub fn kwic_href(p: &SearchParams) -> String {
    kwic_href_of(&KwicParams {
        search: p.clone(),
        width: DEFAULT_WIDTH,
        sort: KwicSort::default(),
        limit: KWIC_LIMIT,
    })
}

fn kwic_href_of(k: &KwicParams) -> String {
    let qs = k.to_query_string();
    if qs.is_empty() {
        "/kwic".to_string()
    } else {
        format!("/kwic?{qs}")
    }
}

/// The two views of a search: its ranked results and its concordance.
fn tabs(out: &mut String, p: &SearchParams, kwic: bool) {
    let mut first = p.clone();
    first.page = 1;
    let _ = write!(
        out,
        r#"<nav class="tabs" aria-label="视图"><a href="{}" class="{}"{}>结果</a><a href="{}" class="{}"{}>语境 (KWIC)</a></nav>"#,
        attr(&search_href(&first)),
        if kwic { "off" } else { "on" },
        if kwic { "" } else { r#" aria-current="page""# },
        attr(&kwic_href(&first)),
        if kwic { "on" } else { "off" },
        if kwic { r#" aria-current="page""# } else { "" },
    );
}

/// The link to an article's page, carrying the search it came from.
pub fn article_href(id: &str, p: &SearchParams) -> String {
    let qs = p.to_query_string();
    let path = utf8_percent_encode(id, ID_KEEP).to_string();
    if qs.is_empty() {
        format!("/article/{path}")
    } else {
        format!("/article/{path}?{qs}")
    }
}

fn toggled(values: &[String], value: &str) -> Vec<String> {
    if values.iter().any(|v| v == value) {
        values.iter().filter(|v| *v != value).cloned().collect()
    } else {
        let mut v = values.to_vec();
        v.push(value.to_string());
        v
    }
}

/// Whether a facet's value is chosen in this search.
fn is_on(facet: &Facet, p: &SearchParams, value: &str) -> bool {
    match facet.filter {
        Some(Filter::Values(_)) => p.values.get(facet).iter().any(|v| v == value),
        Some(Filter::Period) => p.from.as_deref() == Some(value) && p.to.as_deref() == Some(value),
        None => false,
    }
}

/// The search with this facet value added, or removed when it is on; back to page 1.
fn toggle(facet: &Facet, p: &SearchParams, value: &str) -> SearchParams {
    let mut n = p.clone();
    n.page = 1;
    match facet.filter {
        Some(Filter::Values(_)) => *n.values.get_mut(facet) = toggled(p.values.get(facet), value),
        Some(Filter::Period) if is_on(facet, p, value) => {
            n.from = None;
            n.to = None;
        }
        Some(Filter::Period) => {
            n.from = Some(value.to_string());
            n.to = Some(value.to_string());
        }
        None => {}
    }
    n
}

/// Matching articles the time facets cannot place: no date at all, or only a year. They
/// are counted, not dropped: the time chart and the 月份/年份 groups show them.
#[derive(Debug, Clone, Copy, Default)]
struct Undated {
    none: u64,
    year_only: u64,
}

impl Undated {
    fn of(r: &SearchResponse) -> Undated {
        let sum = |name: &str| r.facets.get(name).iter().map(|c| c.count).sum::<u64>();
        let (years, months) = (sum("year"), sum("month"));
        Undated {
            none: (r.total as u64).saturating_sub(years),
            year_only: years.saturating_sub(months),
        }
    }

    /// The lines a time facet's group adds: (label, count), those above zero.
    fn lines(self, facet: &Facet) -> Vec<(&'static str, u64)> {
        let mut lines = vec![("日期不详", self.none)];
        if facet.name == "month" {
            lines.push(("只知年份", self.year_only));
        }
        lines.retain(|l| l.1 > 0);
        lines
    }
}

fn facet_group(
    out: &mut String,
    facet: &Facet,
    counts: &[FacetCount],
    p: &SearchParams,
    undated: Undated,
) {
    let unknown = if facet.time {
        undated.lines(facet)
    } else {
        Vec::new()
    };
    if counts.is_empty() && unknown.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<section class="facet" data-facet="{}"><h3>{}</h3><ul>"#,
        facet.name, facet.label
    );
    // Time reads newest first; the others by count, as the search returns them.
    let ordered: Vec<&FacetCount> = if facet.time {
        counts.iter().rev().collect()
    } else {
        counts.iter().collect()
    };
    let (shown, rest) = ordered.split_at(ordered.len().min(FACET_SHOWN));
    let item = |out: &mut String, c: &FacetCount| {
        let on = is_on(facet, p, &c.value);
        let _ = write!(
            out,
            r#"<li><a href="{}" class="{}" data-value="{}"{}><span class="v">{}</span><span class="n">{}</span></a></li>"#,
            attr(&search_href(&toggle(facet, p, &c.value))),
            if on { "on" } else { "off" },
            attr(&c.value),
            if on { r#" aria-current="true""# } else { "" },
            text(&c.value),
            c.count
        );
    };
    for c in shown {
        item(out, c);
    }
    for (label, n) in &unknown {
        let _ = write!(
            out,
            r#"<li class="unknown"><span class="v">{label}</span><span class="n">{n}</span></li>"#
        );
    }
    out.push_str("</ul>");
    if !rest.is_empty() {
        let _ = write!(
            out,
            r#"<details><summary>另外 {} 项</summary><ul>"#,
            rest.len()
        );
        for c in rest {
            item(out, c);
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</section>");
}

fn search_form(out: &mut String, p: &SearchParams) {
    search_form_to(out, p, "/");
}

/// The search box, sending its query (with the filters in force) to `action`.
fn search_form_to(out: &mut String, p: &SearchParams, action: &str) {
    let _ = write!(
        out,
        r#"<header><a class="home" href="/">新闻检索</a><form class="search" action="{action}" method="get" role="search"><input type="search" name="q" value="{}" placeholder="输入词语，如 低空经济 或 &quot;新质生产力&quot; -北京" aria-label="搜索" autofocus>"#,
        attr(&p.q)
    );
    let hidden = |out: &mut String, name: &str, value: &str| {
        let _ = write!(
            out,
            r#"<input type="hidden" name="{name}" value="{}">"#,
            attr(value)
        );
    };
    for (facet, values) in p.values.iter() {
        for v in values {
            hidden(out, facet.name, v);
        }
    }
    if let Some(v) = &p.from {
        hidden(out, "from", v);
    }
    if let Some(v) = &p.to {
        hidden(out, "to", v);
    }
    if p.mentioned {
        hidden(out, "mentioned", "1");
    }
    if p.words {
        hidden(out, "words", "1");
    }
    if p.sort == Sort::Date {
        hidden(out, "sort", "date");
    }
    if p.collapse {
        hidden(out, "collapse", "1");
    }
    out.push_str(r#"<button type="submit">搜索</button></form></header>"#);
}

fn date_form(out: &mut String, p: &SearchParams) {
    let mut keep = p.clone();
    keep.from = None;
    keep.to = None;
    keep.page = 1;
    let _ = write!(
        out,
        r#"<section class="facet dates"><h3>日期范围</h3><form action="/" method="get" class="dates">"#
    );
    for (name, value) in form_urlencoded::parse(keep.to_query_string().as_bytes()) {
        let _ = write!(
            out,
            r#"<input type="hidden" name="{}" value="{}">"#,
            attr(&name),
            attr(&value)
        );
    }
    let _ = write!(
        out,
        r#"<label>从 <input name="from" value="{}" placeholder="2024-03" size="10" pattern="\d{{4}}(-\d{{1,2}}(-\d{{1,2}})?)?"></label><label>到 <input name="to" value="{}" placeholder="2024-12-31" size="10" pattern="\d{{4}}(-\d{{1,2}}(-\d{{1,2}})?)?"></label><button type="submit">应用</button></form></section>"#,
        attr(p.from.as_deref().unwrap_or("")),
        attr(p.to.as_deref().unwrap_or(""))
    );
}

fn active_filters(out: &mut String, p: &SearchParams) {
    active_filters_linking(out, p, &search_href);
}

/// The filters in force as chips, each a link (made by `href`) to the same view without it.
fn active_filters_linking(
    out: &mut String,
    p: &SearchParams,
    href: &dyn Fn(&SearchParams) -> String,
) {
    let mut chips: Vec<(String, SearchParams)> = Vec::new();
    let without = |f: &dyn Fn(&mut SearchParams)| {
        let mut n = p.clone();
        n.page = 1;
        f(&mut n);
        n
    };
    for (facet, values) in p.values.iter() {
        for v in values {
            chips.push((
                format!("{}：{v}", facet.label),
                without(&|n| n.values.get_mut(facet).retain(|x| x != v)),
            ));
        }
    }
    if p.from.is_some() || p.to.is_some() {
        let label = match (&p.from, &p.to) {
            (Some(f), Some(t)) if f == t => format!("日期：{f}"),
            (f, t) => format!(
                "日期：{} 至 {}",
                f.as_deref().unwrap_or("…"),
                t.as_deref().unwrap_or("…")
            ),
        };
        chips.push((
            label,
            without(&|n| {
                n.from = None;
                n.to = None;
            }),
        ));
    }
    if chips.is_empty() {
        return;
    }
    out.push_str(r#"<div class="chips">"#);
    for (label, target) in chips {
        let _ = write!(
            out,
            r#"<a class="chip" href="{}" title="去掉这个条件">{} ×</a>"#,
            attr(&href(&target)),
            text(&label)
        );
    }
    out.push_str("</div>");
}

fn sort_links(out: &mut String, p: &SearchParams) {
    let mut by_relevance = p.clone();
    by_relevance.sort = Sort::Relevance;
    by_relevance.page = 1;
    let mut by_date = p.clone();
    by_date.sort = Sort::Date;
    by_date.page = 1;
    let _ = write!(
        out,
        r#"<span class="sort">排序：<a href="{}" class="{}">相关度</a> · <a href="{}" class="{}">日期</a></span>"#,
        attr(&search_href(&by_relevance)),
        if p.sort == Sort::Relevance {
            "on"
        } else {
            "off"
        },
        attr(&search_href(&by_date)),
        if p.sort == Sort::Date { "on" } else { "off" },
    );
    let mut toggled = p.clone();
    toggled.collapse = !p.collapse;
    toggled.page = 1;
    let _ = write!(
        out,
        r#"<a class="collapse {}" id="collapse" href="{}" title="同一篇稿件的转载只显示一条">{}</a>"#,
        if p.collapse { "on" } else { "off" },
        attr(&search_href(&toggled)),
        if p.collapse {
            "✓ 合并转载"
        } else {
            "合并转载"
        }
    );
    let mut toggled = p.clone();
    toggled.words = !p.words;
    toggled.page = 1;
    let _ = write!(
        out,
        r#"<a class="collapse {}" id="words" href="{}" title="只数作为整词出现的：台风 算「台风过境」「超强台风」，不算「舞台风格」">{}</a>"#,
        if p.words { "on" } else { "off" },
        attr(&search_href(&toggled)),
        if p.words {
            "✓ 整词匹配"
        } else {
            "整词匹配"
        }
    );
}

/// The date, source, region and industry tags of an article (industries after the first
/// `max_industries` shown as "+N").
fn meta_spans(
    out: &mut String,
    date: Option<&str>,
    source: Option<&str>,
    regions: &[String],
    industries: &[String],
    max_industries: usize,
) {
    let _ = write!(
        out,
        r#"<span class="date">{}</span><span class="source">{}</span>"#,
        text(date.unwrap_or("日期不详")),
        text(source.unwrap_or("来源不详"))
    );
    for region in regions {
        let _ = write!(
            out,
            r#"<span class="tag region">{}</span>"#,
            text(&region.replace('/', " · "))
        );
    }
    for industry in industries.iter().take(max_industries) {
        let _ = write!(
            out,
            r#"<span class="tag industry">{}</span>"#,
            text(industry)
        );
    }
    if industries.len() > max_industries {
        let _ = write!(
            out,
            r#"<span class="tag more">+{}</span>"#,
            industries.len() - max_industries
        );
    }
}

fn hit_list(out: &mut String, r: &SearchResponse, p: &SearchParams, first: usize) {
    let _ = write!(out, r#"<ol class="hits" start="{}">"#, first + 1);
    for hit in &r.hits {
        let title = if hit.title.trim().is_empty() {
            "（无标题）".to_string()
        } else {
            hit.title_pieces.to_html()
        };
        let _ = write!(
            out,
            r#"<li class="hit"><h2><a href="{}">{}</a></h2><div class="meta">"#,
            attr(&article_href(&hit.id, p)),
            title
        );
        meta_spans(
            out,
            hit.date.as_deref(),
            hit.facets.one("source"),
            &hit.regions,
            hit.facets.get("industry"),
            MAX_TAGS,
        );
        let _ = write!(out, r#"</div><p class="snippet">{}</p>"#, hit.snippet);
        if hit.reprints > 0 {
            let by = if hit.reprinted_by.is_empty() {
                String::new()
            } else {
                let more = if hit.reprinted_by.len() < hit.reprints {
                    "等"
                } else {
                    ""
                };
                format!("：{}{more}", text(&hit.reprinted_by.join("、")))
            };
            let _ = write!(
                out,
                r#"<p class="reprints"><a href="{}#reprints">+{} 篇转载{by}</a></p>"#,
                attr(&article_href(&hit.id, p)),
                hit.reprints
            );
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

fn pagination(out: &mut String, total: usize, p: &SearchParams) {
    let pages = total.div_ceil(PAGE_SIZE);
    if pages <= 1 {
        return;
    }
    let at = |n: usize| {
        let mut q = p.clone();
        q.page = n;
        search_href(&q)
    };
    out.push_str(r#"<nav class="pages" aria-label="翻页">"#);
    if p.page > 1 {
        let _ = write!(
            out,
            r#"<a href="{}" rel="prev">上一页</a>"#,
            attr(&at(p.page - 1))
        );
    }
    let lo = p.page.saturating_sub(4).max(1);
    let hi = (lo + 8).min(pages);
    if lo > 1 {
        let _ = write!(out, r#"<a href="{}">1</a><span>…</span>"#, attr(&at(1)));
    }
    for n in lo..=hi {
        if n == p.page {
            let _ = write!(
                out,
                r#"<span class="current" aria-current="page">{n}</span>"#
            );
        } else {
            let _ = write!(out, r#"<a href="{}">{n}</a>"#, attr(&at(n)));
        }
    }
    if hi < pages {
        let _ = write!(
            out,
            r#"<span>…</span><a href="{}">{pages}</a>"#,
            attr(&at(pages))
        );
    }
    if p.page < pages {
        let _ = write!(
            out,
            r#"<a href="{}" rel="next">下一页</a>"#,
            attr(&at(p.page + 1))
        );
    }
    out.push_str("</nav>");
}

/// The search page's own parameters for its time chart: `chart=share` shows each month's
/// matches as a share of all its articles under the same filters; `vs=QUERY` draws another
/// query's line over the bars.
const CHART_PARAMS: [&str; 2] = ["chart", "vs"];

/// How the time chart is asked to look.
#[derive(Debug, Clone, Default)]
struct ChartChoice {
    share: bool,
    vs: Option<String>,
}

impl ChartChoice {
    fn of(own: &[(String, String)]) -> ChartChoice {
        let mut c = ChartChoice::default();
        for (name, value) in own {
            match name.as_str() {
                "chart" => c.share = value.trim() == "share",
                _ => c.vs = Some(value.trim().to_string()).filter(|v| !v.is_empty()),
            }
        }
        c
    }

    /// The search's link with this chart choice.
    fn href(&self, p: &SearchParams) -> String {
        let mut s = form_urlencoded::Serializer::new(p.to_query_string());
        if self.share {
            s.append_pair("chart", "share");
        }
        if let Some(v) = &self.vs {
            s.append_pair("vs", v);
        }
        format!("/?{}", s.finish())
    }
}

/// The links and the form under the time chart: counts or shares, and a query to compare.
fn chart_controls(out: &mut String, p: &SearchParams, chart: &ChartChoice, period: Period) {
    let counts = ChartChoice {
        share: false,
        ..chart.clone()
    };
    let shares = ChartChoice {
        share: true,
        ..chart.clone()
    };
    let _ = write!(
        out,
        r#"<div class="chart-controls"><a href="{}" class="{}">篇数</a><a href="{}" class="{}">占当{unit}比例</a><form action="/" method="get">"#,
        attr(&counts.href(p)),
        if chart.share { "off" } else { "on" },
        attr(&shares.href(p)),
        if chart.share { "on" } else { "off" },
        unit = period.name(),
    );
    if chart.share {
        let _ = write!(
            out,
            r#"<span class="few-note">浅色：当{unit}文章不足 {FEW_ARTICLES} 篇，比例仅供参考</span>"#,
            unit = period.name()
        );
    }
    for (name, value) in form_urlencoded::parse(p.to_query_string().as_bytes()) {
        let _ = write!(
            out,
            r#"<input type="hidden" name="{}" value="{}">"#,
            attr(&name),
            attr(&value)
        );
    }
    if chart.share {
        out.push_str(r#"<input type="hidden" name="chart" value="share">"#);
    }
    let _ = write!(
        out,
        r#"<label>对比 <input name="vs" value="{}" placeholder="另一个词"></label><button type="submit">画线</button></form></div>"#,
        attr(chart.vs.as_deref().unwrap_or(""))
    );
}

fn charts(
    out: &mut String,
    r: &SearchResponse,
    p: &SearchParams,
    chart: &ChartChoice,
    extra: &(Option<Vec<FacetCount>>, Option<Vec<FacetCount>>),
) {
    if r.total == 0 {
        return;
    }
    let month_href = |m: &str| {
        let mut n = p.clone();
        n.page = 1;
        n.from = Some(m.to_string());
        n.to = Some(m.to_string());
        search_href(&n)
    };
    let province = facet("province").expect("the province facet");
    let province_href = |v: &str| search_href(&toggle(province, p, v));
    let view = TimeView {
        share_of: extra.0.as_deref(),
        overlay: chart.vs.as_deref().zip(extra.1.as_deref()),
    };
    let time = time_svg(r.facets.get("month"), view, &month_href);
    let provinces = province_svg(r.facets.get("province"), 12, &province_href);
    if time.is_empty() && provinces.is_empty() {
        return;
    }
    out.push_str(r#"<div class="charts">"#);
    if !time.is_empty() {
        let _ = write!(
            out,
            r#"<figure><figcaption>按时间{}</figcaption>{time}"#,
            match &chart.vs {
                Some(v) => format!("（线：「{}」）", text(v)),
                None => String::new(),
            }
        );
        let undated = Undated::of(r);
        if undated.none + undated.year_only > 0 {
            let year_only = if undated.year_only > 0 {
                format!("，只知年份 {} 篇", undated.year_only)
            } else {
                String::new()
            };
            let _ = write!(
                out,
                r#"<p class="undated">另有日期不详 <strong id="undated">{}</strong> 篇{year_only}，不在图中。</p>"#,
                undated.none
            );
        }
        let period = Period::of(r.facets.get("month"));
        chart_controls(out, p, chart, period);
        out.push_str("</figure>");
    }
    if !provinces.is_empty() {
        let _ = write!(
            out,
            r#"<figure><figcaption>按地区</figcaption>{provinces}</figure>"#
        );
    }
    out.push_str("</div>");
}

fn error_box(out: &mut String, message: &str) {
    let _ = write!(
        out,
        r#"<div class="error" role="alert"><strong>这次搜索没有完成。</strong> {}</div>"#,
        text(message)
    );
}

/// The advice for an error, in Chinese: the API's messages are English, and the page says
/// what its stable [`Code`] means (with a code attribute for scripts and tests).
fn error_box_for(out: &mut String, code: Code) {
    let _ = write!(
        out,
        r#"<div class="error" role="alert" data-code="{}"><strong>这次搜索没有完成。</strong> {}</div>"#,
        code.name(),
        advice_in_chinese(code)
    );
}

fn advice_in_chinese(code: Code) -> &'static str {
    match code {
        Code::BadParameter => "网址里的参数有误。日期写作 2024、2024-03 或 2024-03-14，数量写整数；请检查后重试。",
        Code::BadRequest => "这个请求无法照办。请检查筛选条件和日期范围（开始日期不能晚于结束日期）。",
        Code::BadQuery => "查询语句的写法有误。词语之间用空格分隔，短语用引号括起来，如 \"新质生产力\"。",
        Code::UnclosedQuote => "查询里有一个引号没有闭合：短语要用一对引号括起来，如 \"新质生产力\"。",
        Code::UnclosedParen => "查询里有一个“(”没有对应的“)”：请补上右括号。",
        Code::UnmatchedParen => "查询里有一个“)”前面没有“(”：请删去它，或补上左括号。",
        Code::MissingOperand => "OR、NOT（或 -）、NEAR 和 title: 这类字段的两侧或后面要有词语，如 低空经济 OR 无人机、低空经济 -深圳。",
        Code::UnknownField => "冒号前的字段名无法识别。可用的有 title、source、province、city、industry、year；要搜索带冒号的文字，请用引号括起来。",
        Code::NothingToSearch => "查询里有一个词只有标点符号，没有可搜索的文字或数字：请删去它。",
        Code::UnknownValue => "筛选条件里的名称无法识别：请检查省份、城市或行业的写法（如 广东、深圳、人工智能），年份写四位数字（如 2024）。",
        Code::QueryTooLarge => "查询太长或嵌套太深（最多 5000 个字符、1024 个词）：请拆成几次搜索。",
        Code::NoWordsToShow => "语境需要至少一个要查找的词语（排除的词不算），如 低空经济。",
        Code::NotOnCluster => "这个索引在搜索集群上，集群还不能精确回答这种搜索（一万条以后的翻页；候选文章超过五万篇的距离搜索、整词匹配或带 % . # 等符号的词）：请加上地区、日期等筛选条件或别的词再搜索，或去掉这个条件。",
        Code::NotFound => "没有找到这个页面或这篇文章（索引可能已经重建）。",
        Code::Busy => "服务器正忙于其他搜索，请稍后再试。",
        Code::IndexUnavailable => "索引暂时无法打开（可能正在建立或更新），请稍后再试。",
        Code::Internal => "服务器内部出错，详情见服务器日志。",
    }
}

/// A search that failed; an internal failure also goes to the server log (as
/// [`RunError::message`] writes it), never to the page.
fn failed_box(out: &mut String, e: &RunError) {
    let _ = e.message();
    error_box_for(out, e.code());
}

/// A parameter the page cannot read: `bad_parameter` unless the error names more.
fn parameter_code(e: &crate::Error) -> Code {
    match e.code() {
        Code::BadRequest => Code::BadParameter,
        other => other,
    }
}

/// `GET /`: the search page.
pub async fn search_page(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let start = Instant::now();
    let (p, own) = match SearchParams::parse_with(raw.as_deref(), false, &CHART_PARAMS) {
        Ok(parsed) => parsed,
        Err(e) => {
            let mut body = String::new();
            search_form(&mut body, &SearchParams::default());
            body.push_str("<main class=\"single\">");
            error_box_for(&mut body, parameter_code(&e));
            body.push_str("</main>");
            return page_response(StatusCode::BAD_REQUEST, "搜索出错", &body);
        }
    };
    let first = (p.page - 1).saturating_mul(PAGE_SIZE);
    let request = SearchRequest {
        query: p.q.clone(),
        filters: p.filters(),
        sort: p.sort,
        limit: PAGE_SIZE,
        offset: first,
        collapse: p.collapse,
    };
    let result = state.run(move |home| home.search(&request)).await;
    let mut body = String::new();
    search_form(&mut body, &p);
    let title = if p.q.trim().is_empty() {
        "新闻检索".to_string()
    } else {
        format!("{} - 新闻检索", p.q)
    };
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            let status = e.status();
            body.push_str("<main class=\"single\">");
            active_filters(&mut body, &p);
            failed_box(&mut body, &e);
            body.push_str("</main>");
            return page_response(status, &title, &body);
        }
    };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    body.push_str(r#"<main class="layout"><aside class="sidebar">"#);
    let undated = Undated::of(&r);
    for (facet, counts) in &r.facets.facets {
        facet_group(&mut body, facet, counts, &p, undated);
    }
    date_form(&mut body, &p);
    body.push_str(r#"</aside><section class="results">"#);
    tabs(&mut body, &p, false);
    active_filters(&mut body, &p);
    let what = if p.q.trim().is_empty() {
        "全部文章".to_string()
    } else {
        format!("「{}」", text(&p.q))
    };
    let stories = if r.stories != r.total || p.collapse {
        format!(
            r#"，<strong id="stories">{}</strong> 个报道"#,
            thousands(r.stories)
        )
    } else {
        String::new()
    };
    let _ = write!(
        body,
        r#"<p class="stats"><span>{what}{}：共 <strong id="total">{}</strong> 篇{stories}</span><span class="took">用时 {ms:.1} 毫秒</span>"#,
        if p.words { "（按整词）" } else { "" },
        r.total
    );
    sort_links(&mut body, &p);
    if r.total > 0 {
        let _ = write!(
            body,
            r#"<a class="download" href="{}" download>下载 CSV</a>"#,
            attr(&export_href(&p))
        );
    }
    body.push_str("</p>");
    if r.total == 0 {
        body.push_str(r#"<p class="none">没有找到匹配的文章。试试更短的词、去掉一些筛选条件，或用 OR 连接同义词（如 无人机 OR 低空）。</p>"#);
    } else if r.hits.is_empty() {
        let mut back = p.clone();
        back.page = 1;
        let _ = write!(
            body,
            r#"<p class="none">这一页已经超出结果范围。<a href="{}">回到第一页</a></p>"#,
            attr(&search_href(&back))
        );
    }
    let chart = ChartChoice::of(&own);
    let extra = if chart.share || chart.vs.is_some() {
        let (filters, vs) = (p.filters(), chart.vs.clone());
        let counts_of = move |home: &crate::home::Home, q: &str| {
            let request = SearchRequest {
                query: q.to_string(),
                filters: filters.clone(),
                sort: Sort::Relevance,
                limit: 0,
                offset: 0,
                collapse: false,
            };
            home.search(&request)
                .map(|r| r.facets.get("month").to_vec())
        };
        let share = chart.share;
        state
            .run(move |home| {
                let all = if share {
                    Some(counts_of(home, "")?)
                } else {
                    None
                };
                let other = match &vs {
                    Some(v) => Some(counts_of(home, v)?),
                    None => None,
                };
                Ok((all, other))
            })
            .await
    } else {
        Ok((None, None))
    };
    // A query to compare that cannot be read (`vs=(`) is said, and the chart shows counts.
    let extra = extra.unwrap_or_else(|e| {
        let _ = write!(
            body,
            r#"<p class="none" role="alert">图上没有画出对比：{}</p>"#,
            advice_in_chinese(e.code())
        );
        (None, None)
    });
    charts(&mut body, &r, &p, &chart, &extra);
    hit_list(&mut body, &r, &p, first);
    pagination(&mut body, if p.collapse { r.stories } else { r.total }, &p);
    body.push_str("</section></main>");
    page_response(StatusCode::OK, &title, &body)
}

/// `GET /kwic`: the concordance of a search as a table: the left contexts right-aligned,
/// the matches in bold in their own column, the right contexts, and a link to each article.
pub async fn kwic_page(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let k = match KwicParams::parse(raw.as_deref(), false) {
        Ok(k) => k,
        Err(e) => {
            let mut body = String::new();
            search_form_to(&mut body, &SearchParams::default(), "/kwic");
            body.push_str("<main class=\"single\">");
            error_box_for(&mut body, parameter_code(&e));
            body.push_str("</main>");
            return page_response(StatusCode::BAD_REQUEST, "语境出错", &body);
        }
    };
    let p = k.search.clone();
    let mut body = String::new();
    search_form_to(&mut body, &p, "/kwic");
    body.push_str(r#"<main class="wide"><section class="results">"#);
    tabs(&mut body, &p, true);
    active_filters_linking(&mut body, &p, &kwic_href);
    let title = if p.q.trim().is_empty() {
        "语境 - 新闻检索".to_string()
    } else {
        format!("{} - 语境 - 新闻检索", p.q)
    };
    if p.q.trim().is_empty() {
        body.push_str(r#"<p class="none">输入一个词语或短语，这里会列出它在每篇匹配文章中出现的每一处，连同前后文。</p></section></main>"#);
        return page_response(StatusCode::OK, &title, &body);
    }
    let request = KwicRequest {
        query: p.q.clone(),
        filters: p.filters(),
        width: k.width,
        sort: k.sort,
        limit: k.limit,
    };
    let c = match state.run(move |home| home.concordance(&request)).await {
        Ok(c) => c,
        Err(e) => {
            let status = e.status();
            failed_box(&mut body, &e);
            body.push_str("</section></main>");
            return page_response(status, &title, &body);
        }
    };
    let _ = write!(
        body,
        r#"<p class="stats"><span>「{}」：<strong id="total-articles">{}</strong> 篇文章中共 <strong id="total-lines">{}</strong> 处</span>"#,
        text(&p.q),
        c.total_articles,
        c.total_lines
    );
    body.push_str(r#"<span class="sort">排序："#);
    for (i, (sort, label)) in [
        (KwicSort::Left, "左语境"),
        (KwicSort::Right, "右语境"),
        (KwicSort::Date, "日期"),
        (KwicSort::Source, "来源"),
    ]
    .into_iter()
    .enumerate()
    {
        let target = KwicParams { sort, ..k.clone() };
        let _ = write!(
            body,
            r#"{}<a href="{}" class="{}">{label}</a>"#,
            if i > 0 { " · " } else { "" },
            attr(&kwic_href_of(&target)),
            if sort == k.sort { "on" } else { "off" }
        );
    }
    body.push_str("</span></p>");
    if c.lines.len() < c.total_lines {
        let all = KwicParams {
            limit: 0,
            ..k.clone()
        };
        let _ = write!(
            body,
            r#"<p class="note">显示前 {} 处，共 {} 处。<a href="{}">显示全部</a></p>"#,
            c.lines.len(),
            c.total_lines,
            attr(&kwic_href_of(&all))
        );
    }
    if c.lines.is_empty() {
        body.push_str(r#"<p class="none">没有找到。试试更短的词、去掉一些筛选条件。</p>"#);
    } else {
        body.push_str(r#"<table class="kwic"><tbody>"#);
        for l in &c.lines {
            let _ = write!(
                body,
                r#"<tr><td class="left"><span>{}</span></td><td class="match"><b>{}</b></td><td class="right">{}</td><td class="where"><a href="{}">{} · {}</a></td></tr>"#,
                text(&l.left),
                text(&l.matched),
                text(&l.right),
                attr(&article_href(&l.id, &p)),
                text(l.date.as_deref().unwrap_or("日期不详")),
                text(l.source.as_deref().unwrap_or("来源不详"))
            );
        }
        body.push_str("</tbody></table>");
    }
    body.push_str("</section></main>");
    page_response(StatusCode::OK, &title, &body)
}

/// `GET /article/{id}`: one article, the query highlighted, a link back to the search.
pub async fn article_page(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let p = SearchParams::parse(raw.as_deref(), false).unwrap_or_default();
    let lookup = id.clone();
    let result = state
        .run(move |home| {
            Ok(match home.article(&lookup)? {
                Some(a) => Some((a, home.reprints(&lookup)?, home.jieba())),
                None => None,
            })
        })
        .await;
    let mut body = String::new();
    search_form(&mut body, &p);
    let back = search_href(&p);
    let (article, story, jieba) = match result {
        Ok(Some(a)) => a,
        Ok(None) => {
            body.push_str("<main class=\"single\">");
            error_box(
                &mut body,
                &format!("索引里没有文章 {id}（索引可能已经重建）。"),
            );
            let _ = write!(
                body,
                r#"<p><a href="{}">返回搜索</a></p></main>"#,
                attr(&back)
            );
            return page_response(StatusCode::NOT_FOUND, "没有这篇文章", &body);
        }
        Err(e) => {
            let status = e.status();
            body.push_str("<main class=\"single\">");
            failed_box(&mut body, &e);
            body.push_str("</main>");
            return page_response(status, "出错", &body);
        }
    };
    let literals = Needles::new(
        parse_query(&p.q)
            .map(|n| positive_literals(&n))
            .unwrap_or_default(),
        p.words,
        &jieba,
    );
    let title = if article.title.trim().is_empty() {
        "（无标题）".to_string()
    } else {
        highlight_all(&article.title, &literals).to_html()
    };
    let _ = write!(
        body,
        r#"<main class="single"><article class="article"><p class="back"><a href="{}">← 返回搜索结果</a></p><h1>{}</h1><div class="meta">"#,
        attr(&back),
        title
    );
    meta_spans(
        &mut body,
        article.date.as_deref(),
        article.facets.one("source"),
        &article.regions,
        article.facets.get("industry"),
        usize::MAX,
    );
    body.push_str("</div><div class=\"body\">");
    for para in article.body.lines().filter(|l| !l.trim().is_empty()) {
        let _ = write!(body, "<p>{}</p>", highlight_all(para, &literals).to_html());
    }
    let date_from = match article.date_from.as_deref() {
        Some("title") => " · 日期取自标题行",
        Some("meta") => " · 日期取自页面元数据",
        Some("text") => " · 日期取自正文",
        Some("url") => " · 日期取自网址",
        Some("path") => " · 日期取自文件路径",
        _ => "",
    };
    let _ = write!(
        body,
        r#"</div><p class="file">文件：{} · 编号 {}{}</p>"#,
        text(&article.path),
        text(&article.id),
        date_from
    );
    // Only web addresses become links: a record's url field is outside data.
    if let Some(url) = article
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        let _ = write!(
            body,
            r#"<p class="file">原文：<a href="{}" rel="noreferrer nofollow">{}</a></p>"#,
            attr(url),
            text(url)
        );
    }
    if let Some(story) = story.filter(|s| s.articles.len() > 1) {
        reprint_list(&mut body, &story, &article.id, &p);
    }
    body.push_str("</article></main>");
    let page_title = format!("{} - 新闻检索", article.title);
    page_response(StatusCode::OK, &page_title, &body)
}

/// The 转载 list of an article view: every article of its story, the original marked.
fn reprint_list(out: &mut String, story: &Reprints, shown: &str, p: &SearchParams) {
    let _ = write!(
        out,
        r#"<section class="reprints" id="reprints"><h2>转载 <small>同一稿件共 {} 篇（首发在前）</small></h2><ol>"#,
        story.articles.len()
    );
    for a in &story.articles {
        let title = if a.title.trim().is_empty() {
            "（无标题）"
        } else {
            a.title.as_str()
        };
        let title = if a.id == shown {
            format!(r#"<strong>{}</strong>（本篇）"#, text(title))
        } else {
            format!(
                r#"<a href="{}">{}</a>"#,
                attr(&article_href(&a.id, p)),
                text(title)
            )
        };
        let _ = write!(
            out,
            r#"<li><span class="date">{}</span> <span class="source">{}</span> {title}{}</li>"#,
            text(a.date.as_deref().unwrap_or("日期不详")),
            text(a.source.as_deref().unwrap_or("来源不详")),
            if a.original {
                r#" <span class="tag original">首发</span>"#
            } else {
                ""
            }
        );
    }
    out.push_str("</ol></section>");
}

/// A page for an address that is not there.
pub fn not_found_page(path: &str) -> Response {
    let mut body = String::new();
    search_form(&mut body, &SearchParams::default());
    body.push_str("<main class=\"single\">");
    error_box(&mut body, &format!("没有这个页面：{path}"));
    body.push_str(r#"<p><a href="/">回到搜索页</a></p></main>"#);
    page_response(StatusCode::NOT_FOUND, "没有这个页面", &body)
}
