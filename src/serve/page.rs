//! The search page, the concordance and the article view: server-rendered HTML that works
//! without JavaScript. The URL holds the whole state (query, filters, page), so every link is
//! a plain link (`links`), results can be shared and the back button works.
//!
//! The HTML is written with maud's `html!`, checked when the crate compiles, and every value
//! spliced into it is escaped. Two kinds of markup pass through as they are, because our own
//! code made them and escaped the text inside: the highlighted titles, snippets and
//! paragraphs of `search::snippet`, and the charts' SVG of [`super::chart`].
//!
//! This file holds what every view shares (the layout, the search box, the filter chips,
//! the errors); `results`, `kwic` and `article` are the three views.

mod article;
mod kwic;
mod links;
mod results;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped};

pub use article::article_page;
pub use kwic::kwic_page;
pub use results::{search_page, PAGE_SIZE};

use super::params::SearchParams;
use super::RunError;
use crate::Code;
use links::{changed, kwic_href, search_href};

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

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

/// A whole page: the head every page shares, `body`, and the footer.
fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/style.css";
                script src="/app.js" defer {}
            }
            body {
                (body)
                footer {
                    "corpus-search " (env!("CARGO_PKG_VERSION")) " · "
                    a href="/api/openapi.json" { "API" }
                }
            }
        }
    }
}

fn page_response(status: StatusCode, title: &str, body: Markup) -> Response {
    (status, Html(layout(title, body).into_string())).into_response()
}

/// A page that shows nothing but why: the search box (`form`) and the error.
fn error_page(status: StatusCode, title: &str, form: Markup, error: Markup) -> Response {
    page_response(
        status,
        title,
        html! {
            (form)
            main class="single" { (error) }
        },
    )
}

/// A view's title: the query first when there is one (`低空经济 - 语境 - 新闻检索`).
fn titled(q: &str, view: &str) -> String {
    if q.trim().is_empty() {
        view.to_string()
    } else {
        format!("{q} - {view}")
    }
}

/// `on` or `off`, the class of a link that is, or is not, the current choice.
fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// The search box, sending its query (with the filters in force) to `action`.
fn search_form(p: &SearchParams, action: &str) -> Markup {
    // The filters, sort and choices go along hidden: the search without its query.
    let kept = changed(p, |n| n.q.clear());
    html! {
        header {
            a class="home" href="/" { "新闻检索" }
            form class="search" action=(action) method="get" role="search" {
                input type="search" name="q" value=(p.q)
                    placeholder="输入词语，如 低空经济 或 \"新质生产力\" -北京"
                    aria-label="搜索" autofocus;
                (hidden_inputs(&kept))
                button type="submit" { "搜索" }
            }
        }
    }
}

/// The search as hidden form fields, so that a form sends it along with its own fields.
fn hidden_inputs(p: &SearchParams) -> Markup {
    let qs = p.to_query_string();
    html! {
        @for (name, value) in form_urlencoded::parse(qs.as_bytes()) {
            input type="hidden" name=(name) value=(value);
        }
    }
}

/// The two views of a search: its ranked results and its concordance.
fn tabs(p: &SearchParams, kwic: bool) -> Markup {
    let first = changed(p, |_| {});
    let current = |on: bool| on.then_some("page");
    html! {
        nav class="tabs" aria-label="视图" {
            a href=(search_href(&first)) class=(on_off(!kwic)) aria-current=[current(!kwic)] {
                "结果"
            }
            a href=(kwic_href(&first)) class=(on_off(kwic)) aria-current=[current(kwic)] {
                "语境 (KWIC)"
            }
        }
    }
}

/// The filters in force as chips, each a link (made by `href`) to the same view without it.
fn active_filters(p: &SearchParams, href: &dyn Fn(&SearchParams) -> String) -> Markup {
    let mut chips: Vec<(String, SearchParams)> = Vec::new();
    for (facet, values) in p.values.iter() {
        for v in values {
            chips.push((
                format!("{}：{v}", facet.label),
                changed(p, |n| n.values.get_mut(facet).retain(|x| x != v)),
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
        let without = changed(p, |n| {
            n.from = None;
            n.to = None;
        });
        chips.push((label, without));
    }
    html! {
        @if !chips.is_empty() {
            div class="chips" {
                @for (label, target) in &chips {
                    a class="chip" href=(href(target)) title="去掉这个条件" { (label) " ×" }
                }
            }
        }
    }
}

/// The date, source, region and industry tags of an article (industries after the first
/// `max_industries` shown as "+N").
fn meta_spans(
    date: Option<&str>,
    source: Option<&str>,
    regions: &[String],
    industries: &[String],
    max_industries: usize,
) -> Markup {
    html! {
        span class="date" { (date.unwrap_or("日期不详")) }
        span class="source" { (source.unwrap_or("来源不详")) }
        @for region in regions {
            span class="tag region" { (region.replace('/', " · ")) }
        }
        @for industry in industries.iter().take(max_industries) {
            span class="tag industry" { (industry) }
        }
        @if industries.len() > max_industries {
            span class="tag more" { "+" (industries.len() - max_industries) }
        }
    }
}

/// Why a page shows no answer: `message`, with the error's stable code (`data-code`, for
/// scripts and tests) when there is one.
fn error_box(code: Option<Code>, message: &str) -> Markup {
    html! {
        div class="error" role="alert" data-code=[code.map(Code::name)] {
            strong { "这次搜索没有完成。" } " " (message)
        }
    }
}

/// The advice for an error, in Chinese: the API's messages are English, and the page says
/// what its stable [`Code`] means.
fn error_box_for(code: Code) -> Markup {
    error_box(Some(code), advice_in_chinese(code))
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
fn failed_box(e: &RunError) -> Markup {
    let _ = e.message();
    error_box_for(e.code())
}

/// A page the URL's parameters cannot be read for: the empty search box (sending to
/// `action`) and what is wrong, with status 400.
fn unreadable(e: &crate::Error, title: &str, action: &str) -> Response {
    error_page(
        StatusCode::BAD_REQUEST,
        title,
        search_form(&SearchParams::default(), action),
        error_box_for(super::params::parameter_code(e)),
    )
}

/// A page for an address that is not there.
pub fn not_found_page(path: &str) -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "没有这个页面",
        search_form(&SearchParams::default(), "/"),
        html! {
            (error_box(None, &format!("没有这个页面：{path}")))
            p { a href="/" { "回到搜索页" } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::facet;

    #[test]
    fn what_the_url_says_is_escaped_in_text_and_attributes() {
        let mut p = SearchParams {
            q: "<b>\"低空\" & 经济".into(),
            ..SearchParams::default()
        };
        let province = facet("province").expect("the province facet");
        p.values.get_mut(province).push("<i>广东".into());
        let form = search_form(&p, "/").into_string();
        assert!(
            form.contains(r#"value="&lt;b&gt;&quot;低空&quot; &amp; 经济""#),
            "{form}"
        );
        assert!(
            form.contains(r#"name="province" value="&lt;i&gt;广东""#),
            "{form}"
        );
        let chips = active_filters(&p, &search_href).into_string();
        assert!(chips.contains("地区：&lt;i&gt;广东 ×"), "{chips}");
        let page = layout(&p.q, html! {}).into_string();
        assert!(
            page.contains("<title>&lt;b&gt;&quot;低空&quot; &amp; 经济</title>"),
            "{page}"
        );
    }
}
