//! The site a saved page belongs to when its copy names no URL (no canonical link, no
//! `og:url`): a page links to its own site far more than to any other, so the publisher most
//! of its absolute links point to, through `data/hosts.tsv`, is its site.
//!
//! ```text
//! html (a page's metadata) -> links (this module: the dominant linked site) -> facets::source
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::facets::source::{host_of, source_of_url};

/// The fewest links to one site that make it the page's own.
const MIN_LINKS: usize = 5;

/// The publisher (a `data/hosts.tsv` name) that at least a third of the page's absolute
/// links, and at least five of them, point to; None when no site clearly dominates or the
/// dominant host is not in the table.
pub fn dominant_site(html: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?i)\bhref\s*=\s*["']?\s*((?:https?:)?//[^\s"'<>]+)"#).expect("regex")
    });
    // Links are counted by the publisher of their host (news.example.cn and
    // finance.example.cn are one site), else by the host itself.
    let mut counts: HashMap<(String, bool), usize> = HashMap::new();
    let mut total = 0;
    for c in re.captures_iter(html) {
        let link = &c[1];
        let url = if link.starts_with("//") {
            format!("http:{link}")
        } else {
            link.to_string()
        };
        let key = match source_of_url(&url) {
            Some(name) => (name, true),
            None => match host_of(&url) {
                Some(host) => (host, false),
                None => continue,
            },
        };
        total += 1;
        *counts.entry(key).or_default() += 1;
    }
    let ((name, known), count) = counts
        .into_iter()
        .max_by(|(a, x), (b, y)| x.cmp(y).then_with(|| b.0.cmp(&a.0)))?;
    (known && count >= MIN_LINKS && count * 3 >= total).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(hosts: &[(&str, usize)]) -> String {
        let mut html = String::from("<html><body>");
        for (host, n) in hosts {
            for i in 0..*n {
                html.push_str(&format!(
                    "<a href=\"https://{host}/news/{i}.html\">新闻{i}</a>\n"
                ));
            }
        }
        html
    }

    #[test]
    fn the_site_most_links_point_to() {
        // Subdomains of one publisher count together; relative links do not count.
        let mut html = links(&[
            ("news.sina.com.cn", 4),
            ("finance.sina.com.cn", 3),
            ("weibo.com", 6),
        ]);
        html.push_str("<a href=\"/local/1.html\">本地</a><a href='//www.sina.com.cn/'>首页</a>");
        assert_eq!(dominant_site(&html).as_deref(), Some("新浪"));
    }

    #[test]
    fn no_site_when_none_dominates_or_too_few_links() {
        assert_eq!(dominant_site(&links(&[("news.sina.com.cn", 4)])), None);
        assert_eq!(
            dominant_site(&links(&[
                ("news.sina.com.cn", 5),
                ("a.example.org", 6),
                ("b.example.org", 6),
                ("c.example.net", 6),
            ])),
            None
        );
        // The most linked host is unknown: no guess from the second.
        assert_eq!(
            dominant_site(&links(&[("blog.example.org", 12), ("news.sina.com.cn", 6)])),
            None
        );
    }
}
