//! `GET /article/{id}`: one article, the query's words highlighted, where its date came
//! from, its web address, the other articles of its story, and a link back to the search.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};

use super::links::{article_href, search_href};
use super::{error_box, error_page, failed_box, meta_spans, page_response, search_form};
use crate::search::query::{parse_query, positive_literals};
use crate::search::snippet::{highlight_all, Needles};
use crate::search::stories::Reprints;
use crate::search::StoredArticle;
use crate::serve::params::SearchParams;
use crate::serve::AppState;

/// `GET /article/{id}`: the article page.
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
    let (article, story, jieba) = match result {
        Ok(Some(found)) => found,
        Ok(None) => {
            let error = html! {
                (error_box(None, &format!("索引里没有文章 {id}（索引可能已经重建）。")))
                p { a href=(search_href(&p)) { "返回搜索" } }
            };
            return error_page(
                StatusCode::NOT_FOUND,
                "没有这篇文章",
                search_form(&p, "/"),
                error,
            );
        }
        Err(e) => return error_page(e.status(), "出错", search_form(&p, "/"), failed_box(&e)),
    };
    let words = Needles::new(
        parse_query(&p.q)
            .map(|n| positive_literals(&n))
            .unwrap_or_default(),
        p.words,
        &jieba,
    );
    let body = html! {
        (search_form(&p, "/"))
        main class="single" {
            article class="article" {
                (article_view(&article, &words, &p))
                @if let Some(story) = story.filter(|s| s.articles.len() > 1) {
                    (reprint_list(&story, &article.id, &p))
                }
            }
        }
    };
    page_response(
        StatusCode::OK,
        &format!("{} - 新闻检索", article.title),
        body,
    )
}

/// Where an article's date was read, as the page says it.
fn date_from(article: &StoredArticle) -> &'static str {
    match article.date_from.as_deref() {
        Some("title") => " · 日期取自标题行",
        Some("meta") => " · 日期取自页面元数据",
        Some("text") => " · 日期取自正文",
        Some("url") => " · 日期取自网址",
        Some("path") => " · 日期取自文件路径",
        _ => "",
    }
}

/// The article itself: title, tags, paragraphs (`words` highlighted), file and address.
fn article_view(article: &StoredArticle, words: &Needles, p: &SearchParams) -> Markup {
    // Only web addresses become links: a record's url field is outside data.
    let url = article
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let paragraphs = article.body.lines().filter(|l| !l.trim().is_empty());
    html! {
        p class="back" { a href=(search_href(p)) { "← 返回搜索结果" } }
        h1 {
            @if article.title.trim().is_empty() {
                "（无标题）"
            } @else {
                // Escaped by `search::snippet`, with the matches in <b>.
                (PreEscaped(highlight_all(&article.title, words).to_html()))
            }
        }
        div class="meta" {
            (meta_spans(article.date.as_deref(), article.facets.one("source"), &article.regions,
                article.facets.get("industry"), usize::MAX))
        }
        div class="body" {
            @for para in paragraphs {
                p { (PreEscaped(highlight_all(para, words).to_html())) }
            }
        }
        p class="file" { "文件：" (article.path) " · 编号 " (article.id) (date_from(article)) }
        @if let Some(url) = url {
            p class="file" { "原文：" a href=(url) rel="noreferrer nofollow" { (url) } }
        }
    }
}

/// The 转载 list of an article view: every article of its story, the original marked.
fn reprint_list(story: &Reprints, shown: &str, p: &SearchParams) -> Markup {
    html! {
        section class="reprints" id="reprints" {
            h2 { "转载 " small { "同一稿件共 " (story.articles.len()) " 篇（首发在前）" } }
            ol {
                @for a in &story.articles {
                    li {
                        span class="date" { (a.date.as_deref().unwrap_or("日期不详")) }
                        " "
                        span class="source" { (a.source.as_deref().unwrap_or("来源不详")) }
                        " "
                        @let title = if a.title.trim().is_empty() { "（无标题）" } else { a.title.as_str() };
                        @if a.id == shown {
                            strong { (title) } "（本篇）"
                        } @else {
                            a href=(article_href(&a.id, p)) { (title) }
                        }
                        @if a.original { " " span class="tag original" { "首发" } }
                    }
                }
            }
        }
    }
}
