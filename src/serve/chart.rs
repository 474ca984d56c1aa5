//! Inline SVG pictures of a result set: matches per month (a time axis with the empty months
//! shown as gaps, by year when the span is long) and matches per province (bars). Each bar is
//! a link that narrows the search to it. All text is escaped.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::search::FacetCount;

/// Months beyond which the time chart counts years instead.
const MAX_MONTH_BARS: usize = 120;

fn parse_month(v: &str) -> Option<(i32, u32)> {
    let (y, m) = v.split_once('-')?;
    let y: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}

/// One bar of the time chart: its label, the `from`/`to` it stands for, its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeBar {
    pub label: String,
    pub count: u64,
}

/// The bars of the time axis: every month from the first to the last match (zero where none),
/// or every year when that is more than [`MAX_MONTH_BARS`] months.
pub fn time_bars(months: &[FacetCount]) -> Vec<TimeBar> {
    let mut parsed: Vec<((i32, u32), u64)> = months
        .iter()
        .filter_map(|c| parse_month(&c.value).map(|m| (m, c.count)))
        .collect();
    parsed.sort();
    let (Some(first), Some(last)) = (parsed.first(), parsed.last()) else {
        return Vec::new();
    };
    let (first, last) = (first.0, last.0);
    let span = ((last.0 - first.0) * 12 + last.1 as i32 - first.1 as i32 + 1) as usize;
    if span <= MAX_MONTH_BARS {
        let mut bars = Vec::with_capacity(span);
        let (mut y, mut m) = first;
        for _ in 0..span {
            let count = parsed
                .iter()
                .find(|(k, _)| *k == (y, m))
                .map(|(_, c)| *c)
                .unwrap_or(0);
            bars.push(TimeBar {
                label: format!("{y:04}-{m:02}"),
                count,
            });
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
        bars
    } else {
        (first.0..=last.0)
            .map(|y| TimeBar {
                label: format!("{y:04}"),
                count: parsed
                    .iter()
                    .filter(|(k, _)| k.0 == y)
                    .map(|(_, c)| c)
                    .sum(),
            })
            .collect()
    }
}

/// The time chart: a bar per month (or year); `href(label)` is where a click on a bar goes.
pub fn time_svg(months: &[FacetCount], href: &dyn Fn(&str) -> String) -> String {
    let bars = time_bars(months);
    if bars.is_empty() {
        return String::new();
    }
    let (w, h, top, bottom) = (320.0_f64, 140.0_f64, 16.0, 18.0);
    let max = bars.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64;
    let step = w / bars.len() as f64;
    let bar_w = (step * 0.8).max(1.0);
    let plot_h = h - top - bottom;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart time" viewBox="0 0 {w} {h}" role="img" aria-label="每月匹配篇数">"#
    );
    let _ = write!(
        svg,
        r#"<line x1="0" y1="{y}" x2="{w}" y2="{y}" class="axis"/>"#,
        y = h - bottom
    );
    for (i, b) in bars.iter().enumerate() {
        let bh = if b.count == 0 {
            0.0
        } else {
            (b.count as f64 / max * plot_h).max(2.0)
        };
        let x = i as f64 * step + (step - bar_w) / 2.0;
        let y = h - bottom - bh;
        let title = format!("{}：{} 篇", b.label, b.count);
        if b.count > 0 {
            let _ = write!(
                svg,
                r#"<a href="{}"><rect x="{x:.2}" y="{y:.2}" width="{bar_w:.2}" height="{bh:.2}"><title>{}</title></rect></a>"#,
                attr(&href(&b.label)),
                text(&title)
            );
        }
    }
    for (label, anchor, lx, _) in time_labels(&bars, step, bar_w) {
        let _ = write!(
            svg,
            r#"<text x="{lx:.2}" y="{ty}" text-anchor="{anchor}">{}</text>"#,
            text(&label),
            ty = h - 4.0
        );
    }
    let _ = write!(
        svg,
        r#"<text x="2" y="10" class="max">最多 {} 篇</text></svg>"#,
        max as u64
    );
    svg
}

/// Width of a label's character on the axis, in the chart's units (10px digits), and the
/// room kept between two labels.
const LABEL_CHAR_W: f64 = 6.2;
const LABEL_GAP: f64 = 6.0;

/// The axis labels that fit without touching: the first and last bar, then each year's
/// January (as the year), then the other months, each only where it leaves room to the labels
/// already placed, whatever the number of bars. Returns (label, anchor, x, extent).
fn time_labels(
    bars: &[TimeBar],
    step: f64,
    bar_w: f64,
) -> Vec<(String, &'static str, f64, (f64, f64))> {
    let n = bars.len();
    let x_of = |i: usize| i as f64 * step + (step - bar_w) / 2.0;
    let place = |i: usize, label: String| -> (usize, String, &'static str, f64, f64, f64) {
        let width = label.chars().count() as f64 * LABEL_CHAR_W;
        let (anchor, lx, from) = if i == 0 {
            ("start", x_of(i), x_of(i))
        } else if i + 1 == n {
            ("end", x_of(i) + bar_w, x_of(i) + bar_w - width)
        } else {
            let mid = x_of(i) + bar_w / 2.0;
            ("middle", mid, mid - width / 2.0)
        };
        (i, label, anchor, lx, from, from + width)
    };
    // Months are all candidates up to two years of bars; years always are.
    let every = n <= 24 || bars[0].label.len() == 4;
    let mut order: Vec<(usize, String)> = vec![(0, bars[0].label.clone())];
    if n > 1 {
        order.push((n - 1, bars[n - 1].label.clone()));
    }
    for (i, b) in bars.iter().enumerate().take(n.saturating_sub(1)).skip(1) {
        if b.label.len() == 7 && b.label.ends_with("-01") {
            order.push((i, b.label[..4].to_string()));
        }
    }
    if every {
        for (i, b) in bars.iter().enumerate().take(n.saturating_sub(1)).skip(1) {
            order.push((i, b.label.clone()));
        }
    }
    let mut placed: Vec<(usize, String, &'static str, f64, f64, f64)> = Vec::new();
    for (i, label) in order {
        if placed.iter().any(|p| p.0 == i) {
            continue;
        }
        let candidate = place(i, label);
        let clear = placed
            .iter()
            .all(|p| candidate.5 + LABEL_GAP <= p.4 || p.5 + LABEL_GAP <= candidate.4);
        if clear {
            placed.push(candidate);
        }
    }
    placed.sort_by_key(|p| p.0);
    placed
        .into_iter()
        .map(|(_, label, anchor, lx, from, to)| (label, anchor, lx, (from, to)))
        .collect()
}

/// The province chart: horizontal bars for the `max_bars` provinces with most matches;
/// `href(province)` is where a click goes.
pub fn province_svg(
    provinces: &[FacetCount],
    max_bars: usize,
    href: &dyn Fn(&str) -> String,
) -> String {
    let bars: Vec<&FacetCount> = provinces.iter().take(max_bars).collect();
    if bars.is_empty() {
        return String::new();
    }
    let row = 18.0_f64;
    let (w, label_w) = (320.0_f64, 64.0_f64);
    let h = row * bars.len() as f64 + 4.0;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart provinces" viewBox="0 0 {w} {h}" role="img" aria-label="各省匹配篇数">"#
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i as f64 * row + 2.0;
        let bw = (b.count as f64 / max * (w - label_w - 36.0)).max(2.0);
        let _ = write!(
            svg,
            r#"<a href="{href}"><text x="{tx}" y="{ty:.1}" text-anchor="end">{name}</text><rect x="{label_w}" y="{y:.1}" width="{bw:.1}" height="{bh}"><title>{name}：{n} 篇</title></rect><text x="{nx:.1}" y="{ty:.1}" class="n">{n}</text></a>"#,
            href = attr(&href(&b.value)),
            tx = label_w - 6.0,
            ty = y + row * 0.7,
            name = text(&b.value),
            bh = row - 6.0,
            nx = label_w + bw + 4.0,
            n = b.count
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_never_touch_whatever_the_number_of_bars() {
        for n in 1..=130usize {
            let bars: Vec<TimeBar> = (0..n)
                .map(|k| TimeBar {
                    label: format!("{:04}-{:02}", 2015 + k / 12, k % 12 + 1),
                    count: 1,
                })
                .collect();
            let step = 320.0 / n as f64;
            let labels = time_labels(&bars, step, (step * 0.8).max(1.0));
            assert_eq!(labels[0].0, bars[0].label, "{n}: the first bar is labelled");
            for pair in labels.windows(2) {
                let (a, b) = (pair[0].3, pair[1].3);
                assert!(
                    a.1 + LABEL_GAP <= b.0,
                    "{n}: {:?} touches {:?}",
                    pair[0],
                    pair[1]
                );
            }
            for l in &labels {
                assert!(
                    l.3 .0 >= 0.0 && l.3 .1 <= 320.0 + 0.01,
                    "{n}: {l:?} leaves the chart"
                );
            }
        }
    }

    fn c(v: &str, n: u64) -> FacetCount {
        FacetCount {
            value: v.into(),
            count: n,
        }
    }

    #[test]
    fn empty_months_are_gaps_on_the_axis() {
        let bars = time_bars(&[c("2024-11", 2), c("2025-02", 5)]);
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2024-11", "2024-12", "2025-01", "2025-02"]);
        assert_eq!(bars.iter().map(|b| b.count).sum::<u64>(), 7);
    }

    #[test]
    fn long_spans_are_counted_by_year() {
        let bars = time_bars(&[c("1998-01", 3), c("2024-03", 1), c("2024-05", 1)]);
        assert_eq!(bars.len(), 27);
        assert_eq!(
            bars[0],
            TimeBar {
                label: "1998".into(),
                count: 3
            }
        );
        assert_eq!(bars[26].count, 2);
    }

    #[test]
    fn labels_and_links_are_escaped() {
        let svg = province_svg(&[c("<b>&", 1)], 10, &|p| format!("/?province={p}&x=\""));
        assert!(svg.contains("&lt;b&gt;&amp;"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&quot;"), "{svg}");
    }
}
