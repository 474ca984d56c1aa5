//! RSS and Atom feeds: their `<item>`s and `<entry>`s are records of the XML format
//! (`super`), found and read like SogouCS's `<doc>`s. What a feed writes its own way is the
//! value of a field: Atom's links (only the alternate one is the article's address), persons
//! (`<author><name>…</name><email>…</email></author>`) and links as an `href` attribute.

use super::scan::XmlTree;

/// The value a record's child element gives its field, as feeds write it: None for a link
/// that is not the article's (an enclosure, replies).
pub(super) fn field_value(tree: &XmlTree, child: usize) -> Option<String> {
    // Atom: <link rel="alternate" href="..."/>; the other links (enclosure, replies)
    // are not the article's address.
    if tree.local(child) == "link" {
        if let Some(rel) = tree.attr(child, "rel") {
            if !rel.eq_ignore_ascii_case("alternate") {
                return None;
            }
        }
    }
    // Atom and RSS 1.0 persons: <author><name>..</name><email>..</email></author>.
    let named = tree
        .child_elements(child)
        .find(|&c| tree.local(c) == "name");
    let mut value = match named {
        Some(name_element) => tree.text(name_element),
        None => tree.text(child),
    };
    if value.trim().is_empty() {
        if let Some(href) = tree.attr(child, "href") {
            value = href.to_string();
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>滚动新闻 - 示例新闻网</title>
  <link>https://news.example.cn/</link>
  <description>示例新闻网最新滚动新闻</description>
  <image><title>示例新闻网</title><url>https://news.example.cn/logo.png</url><link>https://news.example.cn/</link></image>
  <item>
    <title>广州南沙新区发布人才引进新政</title>
    <link>https://news.example.cn/a/20240510/001.html?from=rss&amp;ch=gd</link>
    <description>&lt;p&gt;广州南沙新区10日发布人才引进新政，最高给予500万元安家补贴。&lt;/p&gt;&lt;p&gt;新政自6月1日起施行。&lt;/p&gt;</description>
    <pubDate>Fri, 10 May 2024 09:30:00 +0800</pubDate>
    <dc:creator>记者 林晓</dc:creator>
    <source url="https://www.nansha.example.cn/">南沙发布</source>
  </item>
  <item>
    <title><![CDATA[深圳湾“超级总部基地”首批项目动工]]></title>
    <link>https://news.example.cn/a/20240510/002.html</link>
    <description><![CDATA[深圳湾超级总部基地首批６个项目今天集中动工，总投资约４２０亿元。]]></description>
    <pubDate>Fri, 10 May 2024 11:05:00 +0800</pubDate>
  </item>
</channel>
</rss>
"#;

    #[test]
    fn rss_items_are_records_and_the_channel_is_not() {
        assert_eq!(detect("feeds/gd.xml", RSS), Some(XML));
        let records = read(XML, RSS);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("广州南沙新区发布人才引进新政"));
        assert_eq!(
            first.url.as_deref(),
            Some("https://news.example.cn/a/20240510/001.html?from=rss&ch=gd")
        );
        assert_eq!(
            first.date.as_deref(),
            Some("Fri, 10 May 2024 09:30:00 +0800")
        );
        assert_eq!(first.author.as_deref(), Some("记者 林晓"));
        assert_eq!(first.source.as_deref(), Some("南沙发布"));
        // Escaped HTML stays text with its tags; cleaning strips them downstream.
        assert_eq!(
            body(first),
            "<p>广州南沙新区10日发布人才引进新政，最高给予500万元安家补贴。</p><p>新政自6月1日起施行。</p>"
        );
        let second = &records.records[1];
        assert_eq!(
            second.title.as_deref(),
            Some("深圳湾“超级总部基地”首批项目动工")
        );
        assert_eq!(
            body(second),
            "深圳湾超级总部基地首批６个项目今天集中动工，总投资约４２０亿元。"
        );
    }

    #[test]
    fn atom_entries_take_the_alternate_link_and_the_full_content() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>示例博客</title>
<entry><title>西安城墙灯会开幕</title><link rel="enclosure" href="https://x.example.cn/a.jpg"/>
<link rel="alternate" href="https://x.example.cn/2024/02/lantern.html"/>
<published>2024-02-09T19:00:00+08:00</published><updated>2024-02-10T08:00:00+08:00</updated>
<author><name>陈静</name><email>cj@example.cn</email></author>
<summary>灯会开幕。</summary>
<content type="html">&lt;p&gt;西安城墙新春灯会9日晚开幕，展出灯组200余组。&lt;/p&gt;</content></entry>
<entry><title>兵马俑博物馆延长开放时间</title><link href="https://x.example.cn/2024/02/museum.html"/>
<updated>2024-02-11T10:00:00+08:00</updated><summary>春节期间每天延长开放两小时。</summary></entry>
</feed>"#;
        assert_eq!(detect("atom.xml", atom), Some(XML));
        let records = read(XML, atom);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(
            first.url.as_deref(),
            Some("https://x.example.cn/2024/02/lantern.html")
        );
        assert_eq!(first.date.as_deref(), Some("2024-02-09T19:00:00+08:00"));
        assert_eq!(first.author.as_deref(), Some("陈静"));
        assert_eq!(
            body(first),
            "<p>西安城墙新春灯会9日晚开幕，展出灯组200余组。</p>"
        );
        // Only a summary and only an update time: the last resorts are used.
        let second = &records.records[1];
        assert_eq!(second.date.as_deref(), Some("2024-02-11T10:00:00+08:00"));
        assert_eq!(body(second), "春节期间每天延长开放两小时。");
    }
}
