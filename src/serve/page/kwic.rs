//! `GET /kwic`: the concordance of a search as a table: the left contexts right-aligned,
//! the matches in bold in their own column, the right contexts, and a link to each article.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};

use super::links::{article_href, kwic_href, kwic_href_of};
use super::{
    active_filters, failed_box, on_off, page_response, search_form, tabs, titled, unreadable,
};
use crate::search::kwic::{Concordance, KwicRequest, KwicSort};
use crate::serve::params::KwicParams;
use crate::serve::AppState;

/// The sorts of the lines, as the page names them.
const SORTS: [(KwicSort, &str); 4] = [
    (KwicSort::Left, "左语境"),
    (KwicSort::Right, "右语境"),
    (KwicSort::Date, "日期"),
    (KwicSort::Source, "来源"),
];

/// `GET /kwic`: the concordance page.
pub async fn kwic_page(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let k = match KwicParams::parse(raw.as_deref(), false) {
        Ok(k) => k,
        Err(e) => return unreadable(&e, "语境出错", "/kwic"),
    };
    let p = &k.search;
    let title = titled(&p.q, "语境 - 新闻检索");
    let view = |inside: Markup| {
        html! {
            (search_form(p, "/kwic"))
            main class="wide" {
                section class="results" {
                    (tabs(p, true))
                    (active_filters(p, &kwic_href))
                    (inside)
                }
            }
        }
    };
    if p.q.trim().is_empty() {
        let ask = html! {
            p class="none" {
                "输入一个词语或短语，这里会列出它在每篇匹配文章中出现的每一处，连同前后文。"
            }
        };
        return page_response(StatusCode::OK, &title, view(ask));
    }
    let request = KwicRequest {
        query: p.q.clone(),
        filters: p.filters(),
        width: k.width,
        sort: k.sort,
        limit: k.limit,
    };
    match state.run(move |home| home.concordance(&request)).await {
        Ok(c) => page_response(StatusCode::OK, &title, view(concordance(&c, &k))),
        Err(e) => page_response(e.status(), &title, view(failed_box(&e))),
    }
}

/// The counts, the sorts, and the lines.
fn concordance(c: &Concordance, k: &KwicParams) -> Markup {
    let p = &k.search;
    let all = KwicParams {
        limit: 0,
        ..k.clone()
    };
    html! {
        p class="stats" {
            span {
                "「" (p.q) "」：" strong id="total-articles" { (c.total_articles) }
                " 篇文章中共 " strong id="total-lines" { (c.total_lines) } " 处"
            }
            span class="sort" {
                "排序："
                @for (i, (sort, label)) in SORTS.into_iter().enumerate() {
                    @if i > 0 { " · " }
                    a href=(kwic_href_of(&KwicParams { sort, ..k.clone() }))
                        class=(on_off(sort == k.sort)) { (label) }
                }
            }
        }
        @if c.lines.len() < c.total_lines {
            p class="note" {
                "显示前 " (c.lines.len()) " 处，共 " (c.total_lines) " 处。"
                a href=(kwic_href_of(&all)) { "显示全部" }
            }
        }
        @if c.lines.is_empty() {
            p class="none" { "没有找到。试试更短的词、去掉一些筛选条件。" }
        } @else {
            table class="kwic" {
                tbody {
                    @for l in &c.lines {
                        tr {
                            td class="left" { span { (l.left) } }
                            td class="match" { b { (l.matched) } }
                            td class="right" { (l.right) }
                            td class="where" {
                                a href=(article_href(&l.id, p)) {
                                    (l.date.as_deref().unwrap_or("日期不详")) " · "
                                    (l.source.as_deref().unwrap_or("来源不详"))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
