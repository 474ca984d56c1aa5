//! Header lines: the date and 来源 lines a page prints between its headline and its text,
//! often outside the text's container.

/// The lines between the headline and the text: date and 来源 lines sit there, often outside
/// the text's container. Only the date and 来源 lines; none when the text's start is not
/// found among the page's lines.
pub(super) fn header_lines(
    page_lines: &[String],
    content: &[String],
    headline: Option<&(String, &'static str)>,
) -> Vec<String> {
    // Where the text starts among the page's lines: the first of its longer lines that the
    // page prints the same (a line whose links were left out of the text reads shorter).
    let Some(start) = content
        .iter()
        .filter(|l| l.chars().count() >= 10)
        .take(5)
        .find_map(|f| page_lines.iter().position(|l| l == f))
    else {
        return Vec::new();
    };
    let headline_at = headline.and_then(|(h, _)| {
        let key = crate::text::normalize::normalize_str(h);
        page_lines[..start]
            .iter()
            .rposition(|l| crate::text::normalize::normalize_str(l) == key)
    });
    let from = headline_at.map_or(start.saturating_sub(8), |h| h + 1);
    let from = from.max(start.saturating_sub(12));
    // Only the date and 来源 lines: navigation and share bars there are no header.
    let meta = |l: &String| crate::facets::date::date_line(l);
    let mut header: Vec<String> = page_lines[from..start]
        .iter()
        .filter(|l| !content.contains(*l) && meta(l).is_some())
        .cloned()
        .collect();
    // A dated line further up (an e-paper's masthead date, a date line above the
    // headline) when there is none between the headline and the text.
    // A short line that opens with a full date, or nearly (`AUTO.SOHU.COM 2003年11月12日16:36`),
    // counts too: its date, and a 来源 after it, stand in the header.
    if !header.iter().any(|l| meta(l).flatten().is_some()) {
        let found = page_lines[..start].iter().rev().find_map(|l| {
            if meta(l).flatten().is_some() {
                return Some(vec![l.clone()]);
            }
            let n = crate::text::normalize::normalize_str(l.trim());
            let (_, at) = crate::facets::date::find_date(&n)?;
            if at.start > 24 || n.chars().count() > 60 {
                return None;
            }
            // The date alone, and a 来源 after it.
            let mut lines = vec![n[at.clone()].to_string()];
            if let Some(from) = n[at.end..].find("来源") {
                lines.push(n[at.end + from..].to_string());
            }
            Some(lines)
        });
        if let Some(lines) = found {
            header.splice(0..0, lines);
        }
    }
    header
}
