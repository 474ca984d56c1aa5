//! News feeds read by the real binary: RSS 2.0, RSS 1.0 (RDF) and Atom, a feed of headlines
//! only, and a feed in Big5 that says so in its XML declaration. Each item is an article with
//! its title, link, date, text (the HTML inside stripped) and credited source; an item with a
//! headline and no text is still an article, and its headline is searchable.

mod common;

use std::fs;
use std::path::PathBuf;

use common::*;

/// Writes `bytes` as `name` in a fresh corpus folder: (tempdir, path).
fn written(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let path = corpus.join(name);
    fs::write(&path, bytes).unwrap();
    (dir, path)
}

const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>某地方新闻网 - 滚动新闻</title>
  <link>https://www.example-news.cn/</link>
  <description>最新消息</description>
  <item>
    <title>成都天府国际机场新增三条国际航线</title>
    <link>https://www.example-news.cn/2024/05/10/air.html</link>
    <pubDate>Fri, 10 May 2024 09:30:00 +0800</pubDate>
    <dc:creator>新华社</dc:creator>
    <description>&lt;p&gt;成都天府国际机场10日起新增三条国际航线。&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>成都天府国际机场10日起新增飞往伊斯坦布尔、布达佩斯和利雅得的三条国际航线，每周共计九个往返航班。</p><p>机场方面表示，<b>新航线</b>将进一步便利四川与欧洲、中东之间的商务往来。</p>]]></content:encoded>
  </item>
  <item>
    <title>绵阳科技城发布人才新政</title>
    <link>https://www.example-news.cn/2024/05/10/talent.html</link>
    <pubDate>Fri, 10 May 2024 11:05:00 +0800</pubDate>
    <author>王晓明</author>
    <description>&lt;p&gt;绵阳科技城管委会10日发布人才新政，对新引进的博士给予最高五十万元的安家补贴。&lt;/p&gt;</description>
  </item>
</channel>
</rss>
"#;

#[test]
fn rss2_items_are_articles_with_their_text_and_credited_source() {
    let (_dir, path) = written("feed.rss", RSS2.as_bytes());
    let v = inspected(&path);
    assert_eq!(field(&v, "format"), "xml", "{v:#}");
    let a = articles(&v);
    assert_eq!(a.len(), 2, "{v:#}");
    assert_eq!(field(&a[0], "title"), "成都天府国际机场新增三条国际航线");
    assert_eq!(
        field(&a[0], "url"),
        "https://www.example-news.cn/2024/05/10/air.html"
    );
    assert_eq!(field(&a[0], "date"), "2024-05-10");
    assert_eq!(field(&a[0], "date_from"), "meta");
    // content:encoded is the full text, the description its summary.
    let body = field(&a[0], "body");
    assert!(body.contains("伊斯坦布尔"), "{body:?}");
    assert!(body.contains("新航线将进一步便利"), "{body:?}");
    assert!(!body.contains('<'), "no markup in the text: {body:?}");
    // dc:creator names an outlet: it is the credited source.
    assert_eq!(field(&a[0], "source"), "新华社", "{:#}", a[0]);
    // A one-paragraph HTML description is text, not markup.
    let body = field(&a[1], "body");
    assert!(body.starts_with("绵阳科技城管委会"), "{body:?}");
    assert!(!body.contains("<p>"), "{body:?}");
    // A person's name in <author> is no source.
    assert_ne!(field(&a[1], "source"), "王晓明", "{:#}", a[1]);
}

const RDF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel rdf:about="https://www.example-wire.jp/zh/">
    <title>示例通讯社中文版</title>
    <link>https://www.example-wire.jp/zh/</link>
    <description>最新新闻</description>
    <items><rdf:Seq>
      <rdf:li rdf:resource="https://www.example-wire.jp/zh/news/101"/>
      <rdf:li rdf:resource="https://www.example-wire.jp/zh/news/102"/>
    </rdf:Seq></items>
  </channel>
  <item rdf:about="https://www.example-wire.jp/zh/news/101">
    <title>日本央行维持超宽松货币政策不变</title>
    <link>https://www.example-wire.jp/zh/news/101</link>
    <description>日本央行22日结束为期两天的货币政策会议。</description>
    <content:encoded><![CDATA[<p>日本央行22日结束为期两天的货币政策会议，决定维持短期利率负0.1%不变。</p><p>央行同时上调了对本财年物价涨幅的预期，市场关注其何时退出负利率。</p>]]></content:encoded>
    <dc:date>2023-09-22T15:20:00+09:00</dc:date>
    <dc:creator>中央社</dc:creator>
  </item>
  <item rdf:about="https://www.example-wire.jp/zh/news/102">
    <title>东京股市日经指数收盘下跌</title>
    <link>https://www.example-wire.jp/zh/news/102</link>
    <description>东京股市日经225种股票平均价格指数22日收盘下跌0.5%，报32402点。</description>
    <dc:date>2023-09-21T16:05:00+09:00</dc:date>
  </item>
</rdf:RDF>
"#;

#[test]
fn rss1_rdf_items_outside_the_channel_are_read_with_dublin_core_fields() {
    let (_dir, path) = written("wire.rdf", RDF.as_bytes());
    let v = inspected(&path);
    let a = articles(&v);
    assert_eq!(a.len(), 2, "the channel is no article: {v:#}");
    assert_eq!(field(&a[0], "title"), "日本央行维持超宽松货币政策不变");
    assert_eq!(field(&a[0], "date"), "2023-09-22");
    assert_eq!(field(&a[0], "source"), "中央社", "{:#}", a[0]);
    assert!(field(&a[0], "body").contains("退出负利率"));
    assert_eq!(field(&a[1], "date"), "2023-09-21");
    assert!(field(&a[1], "body").contains("32402点"));
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>某某新闻网 - 即时新闻</title>
  <link href="https://news.example.org/"/>
  <updated>2023-09-12T10:00:00+08:00</updated>
  <entry>
    <title type="html">福建沿海渔船全部回港避风 &amp;quot;海葵&amp;quot;逼近</title>
    <link rel="enclosure" href="https://news.example.org/img/1.jpg"/>
    <link rel="alternate" href="https://news.example.org/2023/09/12/fj-typhoon.html"/>
    <id>tag:news.example.org,2023:1001</id>
    <published>2023-09-11T21:30:00+08:00</published>
    <updated>2023-09-12T08:00:00+08:00</updated>
    <author><name>新华社</name><email>news@example.org</email></author>
    <summary>福建省通知沿海渔船回港避风。</summary>
    <content type="html">&lt;p&gt;受台风“海葵”影响，福建省海洋与渔业局11日通知，沿海各地渔船须于12日中午前全部回港避风。&lt;/p&gt;&lt;p&gt;据了解，福州、莆田、泉州等地已有两千余艘渔船进港，&lt;b&gt;渔民&lt;/b&gt;陆续上岸安置。&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>厦门地铁三号线南延段开通试运营</title>
    <link href="https://news.example.org/2023/09/12/xm-metro.html"/>
    <updated>2023-09-12T09:15:00+08:00</updated>
    <summary type="html">&lt;p&gt;厦门地铁三号线南延段12日上午开通试运营，沿线新增车站四座。&lt;/p&gt;</summary>
  </entry>
</feed>
"#;

#[test]
fn atom_entries_take_published_the_alternate_link_and_html_content_as_text() {
    let (_dir, path) = written("atom.xml", ATOM.as_bytes());
    let v = inspected(&path);
    let a = articles(&v);
    assert_eq!(a.len(), 2, "{v:#}");
    // The escaped HTML of a type="html" title is read as the text it prints.
    assert_eq!(
        field(&a[0], "title"),
        "福建沿海渔船全部回港避风 \"海葵\"逼近",
        "{:#}",
        a[0]
    );
    assert_eq!(
        field(&a[0], "url"),
        "https://news.example.org/2023/09/12/fj-typhoon.html"
    );
    // published before updated
    assert_eq!(field(&a[0], "date"), "2023-09-11");
    assert_eq!(field(&a[0], "source"), "新华社");
    let body = field(&a[0], "body");
    assert!(body.contains("渔民陆续上岸安置"), "{body:?}");
    assert!(!body.contains("&lt;") && !body.contains('<'), "{body:?}");
    // Only `updated`: it dates the entry. A summary alone is the text.
    assert_eq!(field(&a[1], "date"), "2023-09-12");
    let body = field(&a[1], "body");
    assert!(body.starts_with("厦门地铁三号线南延段"), "{body:?}");
    assert!(!body.contains("<p>"), "{body:?}");
}

const HEADLINES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>即时新闻</title><link>https://news.example.com.tw/</link>
<item><title>台中市明起实施新的停车收费办法</title><link>https://news.example.com.tw/a/1</link><pubDate>Mon, 10 Mar 2014 08:00:00 +0800</pubDate></item>
<item><title>高雄港货柜量创下三年新高</title><link>https://news.example.com.tw/a/2</link><pubDate>Mon, 10 Mar 2014 09:00:00 +0800</pubDate></item>
<item><title>花莲太鲁阁步道整修完成重新开放</title><link>https://news.example.com.tw/a/3</link><pubDate>Mon, 10 Mar 2014 10:00:00 +0800</pubDate></item>
</channel></rss>
"#;

#[test]
fn a_feed_of_headlines_only_is_indexed_and_its_titles_are_searchable() {
    let (dir, path) = written("headlines.xml", HEADLINES.as_bytes());
    let v = inspected(&path);
    let a = articles(&v);
    assert_eq!(a.len(), 3, "every headline is an article: {v:#}");
    assert_eq!(field(&a[1], "title"), "高雄港货柜量创下三年新高");
    assert_eq!(field(&a[1], "body"), "");
    assert_eq!(field(&a[1], "date"), "2014-03-10");
    assert_eq!(field(&a[1], "url"), "https://news.example.com.tw/a/2");

    let index = index_of(&dir);
    let found = query_json(&index, &["货柜量"]);
    assert_eq!(total(&found), 1, "{found:#}");
    assert_eq!(field(&found["hits"][0], "id"), "headlines.xml#2");
}

#[test]
fn a_big5_feed_is_read_in_the_encoding_its_declaration_names() {
    let text = HEADLINES
        .replace("encoding=\"UTF-8\"", "encoding=\"big5\"")
        .replace(
            "台中市明起实施新的停车收费办法",
            "臺中市明起實施新的停車收費辦法",
        )
        .replace("高雄港货柜量创下三年新高", "高雄港貨櫃量創下三年新高")
        .replace(
            "花莲太鲁阁步道整修完成重新开放",
            "花蓮太魯閣步道整修完成重新開放",
        )
        .replace("即时新闻", "即時新聞");
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(&text);
    assert!(!unmappable, "the fixture is all Big5");
    let (dir, path) = written("big5.rss", &bytes);
    let v = inspected(&path);
    assert_eq!(field(&v, "encoding"), "Big5", "{v:#}");
    let a = articles(&v);
    assert_eq!(a.len(), 3, "{v:#}");
    assert_eq!(field(&a[0], "title"), "臺中市明起實施新的停車收費辦法");

    let index = index_of(&dir);
    // Traditional headline, simplified query.
    let found = query_json(&index, &["太鲁阁"]);
    assert_eq!(total(&found), 1, "{found:#}");
}

#[test]
fn records_with_titles_and_no_text_field_are_indexed_not_refused() {
    let jsonl = "{\"title\": \"江西南昌地铁四号线首通段开通\", \"url\": \"https://example.cn/1\", \"date\": \"2024-06-28\"}\n\
                 {\"title\": \"赣州脐橙出口量同比增长两成\", \"url\": \"https://example.cn/2\", \"date\": \"2024-06-29\"}\n";
    let (_dir, path) = written("titles.jsonl", jsonl.as_bytes());
    let v = inspected(&path);
    assert_eq!(field(&v, "format"), "jsonl", "{v:#}");
    let titles: Vec<&str> = articles(&v).iter().map(|a| field(a, "title")).collect();
    assert_eq!(
        titles,
        ["江西南昌地铁四号线首通段开通", "赣州脐橙出口量同比增长两成"]
    );
}

/// Four items that end with the same disclaimer and app banner: the feed's template, which
/// leaves every body; each item's own lines stay, and so does its credit.
#[test]
fn lines_every_item_of_a_feed_repeats_are_its_template_not_text() {
    let item = |n: usize, text: &str| {
        format!(
            "<item><title>要闻{n}</title><pubDate>Mon, 0{n} Dec 2025 08:00:00 +0800</pubDate><description><![CDATA[<p>{text}</p><p>来源：示例日报</p><p>友情提示：评论请文明理性。</p><p>下载示例日报客户端，随时随地看新闻。</p>]]></description></item>"
        )
    };
    let feed = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>示例日报</title>{}{}{}{}</channel></rss>"#,
        item(1, "全市新增公共充电桩两千个，覆盖所有街道。"),
        item(2, "地铁五号线南延段今日开通运营，沿线设站六座。"),
        item(3, "本周末气温回升，最高气温将达到二十度。"),
        item(4, "图书馆延长开放时间，夜间阅览室开放至十点。"),
    );
    let (_dir, path) = written("template.xml", feed.as_bytes());
    let file = &inspect_json(&[path])[0];
    let articles = articles(file);
    assert_eq!(articles.len(), 4, "{file}");
    for a in articles {
        let body = field(a, "body");
        assert!(!body.contains("友情提示"), "{body}");
        assert!(!body.contains("客户端"), "{body}");
        assert!(body.chars().count() > 10, "{body}");
    }
    assert!(field(&articles[1], "body").contains("地铁五号线"));
}
