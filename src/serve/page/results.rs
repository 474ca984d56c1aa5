//! `GET /`: the search page. A sidebar of facet counts (each value a link that narrows the
//! search) and a date range; then the count, the sort and the choices, the charts, the
//! ranked hits and the pages.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};

use super::links::{article_href, changed, export_href, is_on, search_href, toggle};
use super::{
    active_filters, advice_in_chinese, error_page, failed_box, hidden_inputs, meta_spans, on_off,
    page_response, search_form, tabs, titled, unreadable,
};
use crate::facets::{facet, Facet};
use crate::render::thousands;
use crate::search::{FacetCount, Hit, SearchRequest, SearchResponse, Sort};
use crate::serve::chart::{province_svg, time_svg, Period, TimeView, FEW_ARTICLES};
use crate::serve::params::SearchParams;
use crate::serve::{AppState, RunError};

/// Results per page.
pub const PAGE_SIZE: usize = 10;
/// Facet values shown before "more".
const FACET_SHOWN: usize = 10;
/// Industry tags shown on a hit before "+N".
const MAX_TAGS: usize = 5;
/// What the date range's fields accept: 2024, 2024-03 or 2024-03-14.
const DATE_PATTERN: &str = r"\d{4}(-\d{1,2}(-\d{1,2})?)?";

/// `GET /`: the search page.
pub async fn search_page(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let start = Instant::now();
    let (p, own) = match SearchParams::parse_with(raw.as_deref(), false, &CHART_PARAMS) {
        Ok(parsed) => parsed,
        Err(e) => return unreadable(&e, "搜索出错", "/"),
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
    let title = titled(&p.q, "新闻检索");
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            let error = html! { (active_filters(&p, &search_href)) (failed_box(&e)) };
            return error_page(e.status(), &title, search_form(&p, "/"), error);
        }
    };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let chart = ChartChoice::of(&own);
    let extra = chart_counts(&state, &p, &chart).await;
    let body = html! {
        (search_form(&p, "/"))
        main class="layout" {
            (sidebar(&r, &p))
            section class="results" {
                (tabs(&p, false))
                (active_filters(&p, &search_href))
                (stats(&r, &p, ms))
                (nothing_here(&r, &p))
                // A query to compare that cannot be read (`vs=(`) is said, and the chart
                // shows counts.
                @if let Err(e) = &extra {
                    p class="none" role="alert" {
                        "图上没有画出对比：" (advice_in_chinese(e.code()))
                    }
                }
                (charts(&r, &p, &chart, &extra.unwrap_or_default()))
                (hit_list(&r, &p, first))
                (pagination(if p.collapse { r.stories } else { r.total }, &p))
            }
        }
    };
    page_response(StatusCode::OK, &title, body)
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

/// The sidebar: a group of counts per facet, then the date range.
fn sidebar(r: &SearchResponse, p: &SearchParams) -> Markup {
    let undated = Undated::of(r);
    html! {
        aside class="sidebar" {
            @for (facet, counts) in &r.facets.facets {
                (facet_group(facet, counts, p, undated))
            }
            (date_form(p))
        }
    }
}

/// A facet's counts, each value a link that adds it to the search (or removes it); past
/// [`FACET_SHOWN`] the rest fold under "另外 N 项".
fn facet_group(facet: &Facet, counts: &[FacetCount], p: &SearchParams, undated: Undated) -> Markup {
    let unknown = if facet.time {
        undated.lines(facet)
    } else {
        Vec::new()
    };
    if counts.is_empty() && unknown.is_empty() {
        return html! {};
    }
    // Time reads newest first; the others by count, as the search returns them.
    let ordered: Vec<&FacetCount> = if facet.time {
        counts.iter().rev().collect()
    } else {
        counts.iter().collect()
    };
    let (shown, rest) = ordered.split_at(ordered.len().min(FACET_SHOWN));
    html! {
        section class="facet" data-facet=(facet.name) {
            h3 { (facet.label) }
            ul {
                @for c in shown { (facet_value(facet, c, p)) }
                @for (label, n) in &unknown {
                    li class="unknown" { span class="v" { (label) } span class="n" { (n) } }
                }
            }
            @if !rest.is_empty() {
                details {
                    summary { "另外 " (rest.len()) " 项" }
                    ul { @for c in rest { (facet_value(facet, c, p)) } }
                }
            }
        }
    }
}

fn facet_value(facet: &Facet, c: &FacetCount, p: &SearchParams) -> Markup {
    let on = is_on(facet, p, &c.value);
    html! {
        li {
            a href=(search_href(&toggle(facet, p, &c.value))) class=(on_off(on))
                data-value=(c.value) aria-current=[on.then_some("true")] {
                span class="v" { (c.value) }
                span class="n" { (c.count) }
            }
        }
    }
}

/// The date range's form: the search without its dates, and the two dates.
fn date_form(p: &SearchParams) -> Markup {
    let kept = changed(p, |n| {
        n.from = None;
        n.to = None;
    });
    html! {
        section class="facet dates" {
            h3 { "日期范围" }
            form action="/" method="get" class="dates" {
                (hidden_inputs(&kept))
                label {
                    "从 "
                    input name="from" value=(p.from.as_deref().unwrap_or(""))
                        placeholder="2024-03" size="10" pattern=(DATE_PATTERN);
                }
                label {
                    "到 "
                    input name="to" value=(p.to.as_deref().unwrap_or(""))
                        placeholder="2024-12-31" size="10" pattern=(DATE_PATTERN);
                }
                button type="submit" { "应用" }
            }
        }
    }
}

/// The line above the hits: what was searched, how many matched (and how many stories),
/// how long it took, the sort, the choices and the download.
fn stats(r: &SearchResponse, p: &SearchParams, ms: f64) -> Markup {
    html! {
        p class="stats" {
            span {
                @if p.q.trim().is_empty() { "全部文章" } @else { "「" (p.q) "」" }
                @if p.words { "（按整词）" }
                "：共 " strong id="total" { (r.total) } " 篇"
                @if r.stories != r.total || p.collapse {
                    "，" strong id="stories" { (thousands(r.stories)) } " 个报道"
                }
            }
            span class="took" { "用时 " (format!("{ms:.1}")) " 毫秒" }
            (sort_links(p))
            @if r.total > 0 {
                a class="download" href=(export_href(p)) download { "下载 CSV" }
            }
        }
    }
}

/// The sort, and the two choices that change what counts: one hit per story, whole words.
fn sort_links(p: &SearchParams) -> Markup {
    let by_relevance = changed(p, |n| n.sort = Sort::Relevance);
    let by_date = changed(p, |n| n.sort = Sort::Date);
    let collapsed = changed(p, |n| n.collapse = !p.collapse);
    let words = changed(p, |n| n.words = !p.words);
    html! {
        span class="sort" {
            "排序："
            a href=(search_href(&by_relevance)) class=(on_off(p.sort == Sort::Relevance)) {
                "相关度"
            }
            " · "
            a href=(search_href(&by_date)) class=(on_off(p.sort == Sort::Date)) { "日期" }
        }
        a class={ "collapse " (on_off(p.collapse)) } id="collapse"
            href=(search_href(&collapsed)) title="同一篇稿件的转载只显示一条" {
            @if p.collapse { "✓ " } "合并转载"
        }
        a class={ "collapse " (on_off(p.words)) } id="words" href=(search_href(&words))
            title="只数作为整词出现的：台风 算「台风过境」「超强台风」，不算「舞台风格」" {
            @if p.words { "✓ " } "整词匹配"
        }
    }
}

/// What to do when there is nothing to list: no match, or a page past the last.
fn nothing_here(r: &SearchResponse, p: &SearchParams) -> Markup {
    html! {
        @if r.total == 0 {
            p class="none" {
                "没有找到匹配的文章。试试更短的词、去掉一些筛选条件，或用 OR 连接同义词（如 无人机 OR 低空）。"
            }
        } @else if r.hits.is_empty() {
            p class="none" {
                "这一页已经超出结果范围。"
                a href=(search_href(&changed(p, |_| {}))) { "回到第一页" }
            }
        }
    }
}

fn hit_list(r: &SearchResponse, p: &SearchParams, first: usize) -> Markup {
    html! {
        ol class="hits" start=(first + 1) {
            @for hit in &r.hits { (hit_item(hit, p)) }
        }
    }
}

/// One hit: its title (the query's words highlighted), tags, snippet and reprints.
fn hit_item(hit: &Hit, p: &SearchParams) -> Markup {
    let href = article_href(&hit.id, p);
    let by = &hit.reprinted_by;
    html! {
        li class="hit" {
            h2 {
                a href=(href) {
                    @if hit.title.trim().is_empty() {
                        "（无标题）"
                    } @else {
                        // Escaped by `search::snippet`, with the matches in <b>.
                        (PreEscaped(hit.title_pieces.to_html()))
                    }
                }
            }
            div class="meta" {
                (meta_spans(hit.date.as_deref(), hit.facets.one("source"), &hit.regions,
                    hit.facets.get("industry"), MAX_TAGS))
            }
            // Escaped by `search::snippet`, with the matches in <b>.
            p class="snippet" { (PreEscaped(&hit.snippet)) }
            @if hit.reprints > 0 {
                p class="reprints" {
                    a href={ (href) "#reprints" } {
                        "+" (hit.reprints) " 篇转载"
                        @if !by.is_empty() {
                            "：" (by.join("、")) @if by.len() < hit.reprints { "等" }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the pages around this one (nine at most), the first, the last, and the
/// previous and next.
fn pagination(total: usize, p: &SearchParams) -> Markup {
    let pages = total.div_ceil(PAGE_SIZE);
    if pages <= 1 {
        return html! {};
    }
    let at = |n: usize| {
        let mut q = p.clone();
        q.page = n;
        search_href(&q)
    };
    let lo = p.page.saturating_sub(4).max(1);
    let hi = (lo + 8).min(pages);
    html! {
        nav class="pages" aria-label="翻页" {
            @if p.page > 1 { a href=(at(p.page - 1)) rel="prev" { "上一页" } }
            @if lo > 1 { a href=(at(1)) { "1" } span { "…" } }
            @for n in lo..=hi {
                @if n == p.page {
                    span class="current" aria-current="page" { (n) }
                } @else {
                    a href=(at(n)) { (n) }
                }
            }
            @if hi < pages { span { "…" } a href=(at(pages)) { (pages) } }
            @if p.page < pages { a href=(at(p.page + 1)) rel="next" { "下一页" } }
        }
    }
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

/// The month counts the time chart adds to the search's own: all articles under the same
/// filters (for shares), and the query to compare.
type ChartCounts = (Option<Vec<FacetCount>>, Option<Vec<FacetCount>>);

/// Counts the month series the chart choice asks for (none unless it asks).
async fn chart_counts(
    state: &Arc<AppState>,
    p: &SearchParams,
    chart: &ChartChoice,
) -> Result<ChartCounts, RunError> {
    if !chart.share && chart.vs.is_none() {
        return Ok((None, None));
    }
    let (filters, vs, share) = (p.filters(), chart.vs.clone(), chart.share);
    let months_of = move |home: &crate::home::Home, q: &str| {
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
    state
        .run(move |home| {
            let all = if share {
                Some(months_of(home, "")?)
            } else {
                None
            };
            let other = match &vs {
                Some(v) => Some(months_of(home, v)?),
                None => None,
            };
            Ok((all, other))
        })
        .await
}

/// The time chart (with what it leaves out and its controls) and the province chart.
fn charts(
    r: &SearchResponse,
    p: &SearchParams,
    chart: &ChartChoice,
    extra: &ChartCounts,
) -> Markup {
    if r.total == 0 {
        return html! {};
    }
    let month_href = |m: &str| {
        search_href(&changed(p, |n| {
            n.from = Some(m.to_string());
            n.to = Some(m.to_string());
        }))
    };
    let province = facet("province").expect("the province facet");
    let province_href = |v: &str| search_href(&toggle(province, p, v));
    let view = TimeView {
        share_of: extra.0.as_deref(),
        overlay: chart.vs.as_deref().zip(extra.1.as_deref()),
    };
    let time = time_svg(r.facets.get("month"), view, &month_href);
    let provinces = province_svg(r.facets.get("province"), 12, &province_href);
    let undated = Undated::of(r);
    let period = Period::of(r.facets.get("month"));
    html! {
        @if !time.is_empty() || !provinces.is_empty() {
            div class="charts" {
                @if !time.is_empty() {
                    figure {
                        figcaption {
                            "按时间" @if let Some(v) = &chart.vs { "（线：「" (v) "」）" }
                        }
                        // SVG made by `chart`, which escapes the text in it.
                        (PreEscaped(&time))
                        @if undated.none + undated.year_only > 0 {
                            p class="undated" {
                                "另有日期不详 " strong id="undated" { (undated.none) } " 篇"
                                @if undated.year_only > 0 { "，只知年份 " (undated.year_only) " 篇" }
                                "，不在图中。"
                            }
                        }
                        (chart_controls(p, chart, period))
                    }
                }
                @if !provinces.is_empty() {
                    figure { figcaption { "按地区" } (PreEscaped(&provinces)) }
                }
            }
        }
    }
}

/// The links and the form under the time chart: counts or shares, and a query to compare.
fn chart_controls(p: &SearchParams, chart: &ChartChoice, period: Period) -> Markup {
    let counts = ChartChoice {
        share: false,
        ..chart.clone()
    };
    let shares = ChartChoice {
        share: true,
        ..chart.clone()
    };
    let unit = period.name();
    html! {
        div class="chart-controls" {
            a href=(counts.href(p)) class=(on_off(!chart.share)) { "篇数" }
            a href=(shares.href(p)) class=(on_off(chart.share)) { "占当" (unit) "比例" }
            form action="/" method="get" {
                @if chart.share {
                    span class="few-note" {
                        "浅色：当" (unit) "文章不足 " (FEW_ARTICLES) " 篇，比例仅供参考"
                    }
                }
                (hidden_inputs(p))
                @if chart.share { input type="hidden" name="chart" value="share"; }
                label {
                    "对比 "
                    input name="vs" value=(chart.vs.as_deref().unwrap_or("")) placeholder="另一个词";
                }
                button type="submit" { "画线" }
            }
        }
    }
}
