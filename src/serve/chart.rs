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

/// The period a time bar stands for: what a share is a share of (占当月 / 占当年).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Year,
}

impl Period {
    /// The period the time chart of these months counts by.
    pub fn of(months: &[FacetCount]) -> Period {
        match time_bars(months).first() {
            Some(b) if b.label.len() == 4 => Period::Year,
            _ => Period::Month,
        }
    }

    /// 月 or 年, as in 当月, 每月.
    pub fn name(self) -> &'static str {
        match self {
            Period::Month => "月",
            Period::Year => "年",
        }
    }
}

/// Below this many articles in a period, a share is marked as resting on few articles: a
/// share of 100% may be one article of one.
pub const FEW_ARTICLES: u64 = 10;

/// What the time chart shows beside the matches per month.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimeView<'a> {
    /// All articles per month under the same filters: the bars show each month's share.
    pub share_of: Option<&'a [FacetCount]>,
    /// Another query's matches per month, drawn as a line over the bars.
    pub overlay: Option<(&'a str, &'a [FacetCount])>,
}

/// A series' value at each bar: the month's count, or the sum of a year's months.
fn aligned(series: &[FacetCount], bars: &[TimeBar]) -> Vec<u64> {
    bars.iter()
        .map(|b| {
            series
                .iter()
                .filter(|c| {
                    if b.label.len() == 4 {
                        c.value.starts_with(&b.label)
                    } else {
                        c.value == b.label
                    }
                })
                .map(|c| c.count)
                .sum()
        })
        .collect()
}

/// A share as people read it: `12.5‰` under 1%, else `3.4%`.
fn share_text(share: f64) -> String {
    if share < 0.01 {
        format!("{:.1}‰", share * 1000.0)
    } else {
        format!("{:.1}%", share * 100.0)
    }
}

/// The time chart: a bar per month (or year) of the matches, as counts or, with
/// `view.share_of`, as shares of all articles of the month; `view.overlay` draws another
/// query's line on the same axis and scale. `href(label)` is where a click on a bar goes.
pub fn time_svg(months: &[FacetCount], view: TimeView, href: &dyn Fn(&str) -> String) -> String {
    // The axis spans both queries' months.
    let mut axis_months: Vec<FacetCount> = months.to_vec();
    if let Some((_, other)) = view.overlay {
        axis_months.extend(other.iter().cloned());
    }
    let bars = time_bars(&axis_months);
    if bars.is_empty() {
        return String::new();
    }
    let chart = TimeChart::new(months, view, bars);
    let (w, h, unit) = (chart.w, chart.h, chart.period.name());
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart time" viewBox="0 0 {w} {h}" role="img" aria-label="{}">"#,
        if chart.all.is_some() {
            format!(
                "每{unit}匹配篇数占当{unit}文章的比例；浅色的{unit}份文章不足 {FEW_ARTICLES} 篇"
            )
        } else {
            format!("每{unit}匹配篇数")
        }
    );
    let _ = write!(
        svg,
        r#"<line x1="0" y1="{y}" x2="{w}" y2="{y}" class="axis"/>"#,
        y = h - chart.bottom
    );
    chart.bars_svg(&mut svg, href);
    if let Some(overlay) = &chart.overlay {
        chart.overlay_svg(&mut svg, overlay);
    }
    for (label, anchor, lx, _) in time_labels(&chart.bars, chart.step, chart.bar_w) {
        let _ = write!(
            svg,
            r#"<text x="{lx:.2}" y="{ty}" text-anchor="{anchor}">{}</text>"#,
            text(&label),
            ty = h - 4.0
        );
    }
    let top_label = if chart.all.is_some() {
        format!("最高 {}（占当{unit}）", share_text(chart.max))
    } else {
        format!("最多 {} 篇", chart.max as u64)
    };
    let _ = write!(
        svg,
        r#"<text x="2" y="10" class="max">{}</text></svg>"#,
        text(&top_label)
    );
    svg
}

/// Another query's line on the time chart: its name, its counts and its values per bar.
struct Overlay<'a> {
    name: &'a str,
    counts: Vec<u64>,
    values: Vec<f64>,
}

/// The time chart's series on its bars, and its geometry.
struct TimeChart<'a> {
    bars: Vec<TimeBar>,
    period: Period,
    /// The matches per bar, and what each bar shows (the count or the share).
    counts: Vec<u64>,
    main: Vec<f64>,
    /// All articles per bar, when the bars show shares.
    all: Option<Vec<u64>>,
    overlay: Option<Overlay<'a>>,
    /// The highest value shown (the top of the scale).
    max: f64,
    w: f64,
    h: f64,
    bottom: f64,
    plot_h: f64,
    step: f64,
    bar_w: f64,
}

impl<'a> TimeChart<'a> {
    fn new(months: &[FacetCount], view: TimeView<'a>, bars: Vec<TimeBar>) -> TimeChart<'a> {
        let counts = aligned(months, &bars);
        let all = view.share_of.map(|a| aligned(a, &bars));
        let value = |i: usize, n: u64| -> f64 {
            match &all {
                Some(all) if all[i] > 0 => n as f64 / all[i] as f64,
                Some(_) => 0.0,
                None => n as f64,
            }
        };
        let main: Vec<f64> = counts
            .iter()
            .enumerate()
            .map(|(i, &n)| value(i, n))
            .collect();
        let overlay = view.overlay.map(|(name, other)| {
            let counts = aligned(other, &bars);
            let values = counts
                .iter()
                .enumerate()
                .map(|(i, &c)| value(i, c))
                .collect();
            Overlay {
                name,
                counts,
                values,
            }
        });
        let period = if bars[0].label.len() == 4 {
            Period::Year
        } else {
            Period::Month
        };
        let (w, h, top, bottom) = (320.0_f64, 140.0_f64, 16.0, 18.0);
        let max = main
            .iter()
            .chain(overlay.iter().flat_map(|o| o.values.iter()))
            .cloned()
            .fold(0.0_f64, f64::max);
        let step = w / bars.len() as f64;
        TimeChart {
            period,
            counts,
            main,
            all,
            overlay,
            max: if max > 0.0 { max } else { 1.0 },
            w,
            h,
            bottom,
            plot_h: h - top - bottom,
            step,
            bar_w: (step * 0.8).max(1.0),
            bars,
        }
    }

    /// What a bar's tooltip says of `n` matches shown as `v`; a share of a period with few
    /// articles says how few.
    fn describe(&self, i: usize, n: u64, v: f64) -> String {
        let unit = self.period.name();
        match &self.all {
            Some(all) if all[i] < FEW_ARTICLES => format!(
                "{n} 篇，占当{unit} {}（当{unit}只有 {} 篇）",
                share_text(v),
                all[i]
            ),
            Some(_) => format!("{n} 篇，占当{unit} {}", share_text(v)),
            None => format!("{n} 篇"),
        }
    }

    /// A bar per period with matches, each a link.
    fn bars_svg(&self, svg: &mut String, href: &dyn Fn(&str) -> String) {
        let few = |i: usize| self.all.as_ref().is_some_and(|a| a[i] < FEW_ARTICLES);
        for (i, b) in self.bars.iter().enumerate() {
            if self.counts[i] == 0 {
                continue;
            }
            let bh = (self.main[i] / self.max * self.plot_h).max(2.0);
            let x = i as f64 * self.step + (self.step - self.bar_w) / 2.0;
            let y = self.h - self.bottom - bh;
            let title = format!(
                "{}：{}",
                b.label,
                self.describe(i, self.counts[i], self.main[i])
            );
            let _ = write!(
                svg,
                r#"<a href="{}"><rect{} x="{x:.2}" y="{y:.2}" width="{:.2}" height="{bh:.2}"><title>{}</title></rect></a>"#,
                attr(&href(&b.label)),
                if few(i) { r#" class="few""# } else { "" },
                self.bar_w,
                text(&title)
            );
        }
    }

    /// The other query's line, with a point per period that says its count.
    fn overlay_svg(&self, svg: &mut String, o: &Overlay) {
        let point = |i: usize| {
            let x = i as f64 * self.step + self.step / 2.0;
            let y = self.h - self.bottom - o.values[i] / self.max * self.plot_h;
            (x, y)
        };
        let points: Vec<String> = (0..self.bars.len())
            .map(|i| {
                let (x, y) = point(i);
                format!("{x:.2},{y:.2}")
            })
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="overlay" points="{}"/>"#,
            points.join(" ")
        );
        for (i, b) in self.bars.iter().enumerate() {
            let (x, y) = point(i);
            let _ = write!(
                svg,
                r#"<circle class="overlay" cx="{x:.2}" cy="{y:.2}" r="2"><title>{}</title></circle>"#,
                text(&format!(
                    "{}「{}」：{}",
                    b.label,
                    o.name,
                    self.describe(i, o.counts[i], o.values[i])
                ))
            );
        }
    }
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
    fn shares_and_an_overlay_share_the_axis_and_the_scale() {
        let months = [c("2024-01", 1), c("2024-03", 2)];
        let all = [c("2024-01", 40), c("2024-02", 5), c("2024-03", 40)];
        let other = [c("2024-02", 5), c("2024-04", 1)];
        let view = TimeView {
            share_of: Some(&all),
            overlay: Some(("人工智能", &other)),
        };
        let svg = time_svg(&months, view, &|m| format!("/?m={m}"));
        assert!(svg.contains("2024-01：1 篇，占当月 2.5%"), "{svg}");
        assert!(svg.contains("2024-03：2 篇，占当月 5.0%"), "{svg}");
        // The other query's line covers its own months too, and tops the scale; its 100%
        // is five of five, and says so.
        assert!(
            svg.contains("2024-02「人工智能」：5 篇，占当月 100.0%（当月只有 5 篇）"),
            "{svg}"
        );
        assert!(svg.contains("2024-04"), "{svg}");
        assert!(svg.contains("最高 100.0%（占当月）"), "{svg}");
        assert!(svg.contains(r#"<polyline class="overlay""#), "{svg}");
    }

    #[test]
    fn shares_say_their_period_and_mark_periods_of_few_articles() {
        // Years when the span is long: a share of the year.
        let months = [c("1998-01", 3), c("2024-03", 1)];
        let all = [c("1998-01", 30), c("1998-02", 30), c("2024-03", 2)];
        let view = TimeView {
            share_of: Some(&all),
            overlay: None,
        };
        let svg = time_svg(&months, view, &|m| format!("/?m={m}"));
        assert_eq!(Period::of(&months), Period::Year);
        assert!(svg.contains("1998：3 篇，占当年 5.0%"), "{svg}");
        assert!(
            svg.contains("2024：1 篇，占当年 50.0%（当年只有 2 篇）"),
            "{svg}"
        );
        assert_eq!(svg.matches(r#"class="few""#).count(), 1, "{svg}");
        assert!(svg.contains("每年匹配篇数占当年文章的比例"), "{svg}");
    }

    #[test]
    fn labels_and_links_are_escaped() {
        let svg = province_svg(&[c("<b>&", 1)], 10, &|p| format!("/?province={p}&x=\""));
        assert!(svg.contains("&lt;b&gt;&amp;"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&quot;"), "{svg}");
    }
}
