//! XML record files: SogouCA/CS and TREC `<doc>` collections, RSS and Atom feeds
//! (`<item>`, `<entry>`: see [`feed`]) and one-article XML. The file is scanned into a tree
//! ([`scan`]), and its record elements, `<doc>`, `<item>`, `<entry>`, `<article>` or
//! `<record>` with a title or text child, are its records.

pub mod feed;
pub mod scan;

use super::record::{assemble, FieldValue, Record};
use super::{FileFormat, Format, Found, Input, Kind, Probe};
use crate::corpus::fields::{field_rank, Field, FieldMap, LAST_RESORT};
use crate::corpus::FileProblem;
use scan::{parse_xml, XmlTree};

/// An XML file of records.
pub struct Xml;

impl FileFormat for Xml {
    fn name(&self) -> &'static str {
        "xml"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["sogou", "sogouca", "sogoucs", "trec", "rss", "atom"]
    }

    fn kind(&self) -> Kind {
        Kind::Records
    }

    fn detect(&self, probe: &Probe) -> bool {
        probe.first_char() == Some('<') && holds_records(probe.trimmed(), probe.fields)
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        let (records, problems) =
            read_xml(input.text(self)?, input.fields).map_err(FileProblem::Records)?;
        Ok(input.records(self, records, problems))
    }
}

/// `--format xml`.
pub const XML: Format = Format(&Xml);

/// How much of a text file detection looks at: enough for many records, cheap on big files.
const DETECT_PREFIX: usize = 256 * 1024;

/// Whether a text that starts with `<` is a record file: several record elements, or one
/// that is an article on its own.
fn holds_records(trimmed: &str, fields: &FieldMap) -> bool {
    let tree = parse_xml(prefix(trimmed, DETECT_PREFIX));
    let Ok(found) = find_xml_records(&tree, fields) else {
        return false;
    };
    match found.as_slice() {
        [] => false,
        [only] => {
            // One record: a one-article XML file, not a fragment that happens to use
            // <article>: several recognised fields, or a title or text field in a
            // record that is the document's root or sits right inside it.
            let (count, title_or_text) = xml_field_children(&tree, *only, fields);
            count >= 2 || (title_or_text && tree.depth(*only) <= 2)
        }
        _ => true,
    }
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

type ReadResult = Result<(Vec<Record>, Vec<String>), String>;

fn read_xml(text: &str, fields: &FieldMap) -> ReadResult {
    let tree = parse_xml(text);
    let found = find_xml_records(&tree, fields)?;
    if found.is_empty() {
        return Err(format!(
            "no records: no <{}> element with title or text fields",
            RECORD_ELEMENTS.join(">, <")
        ));
    }
    let records = found
        .iter()
        .enumerate()
        .map(|(i, &element)| assemble(i + 1, &xml_candidates(&tree, element), fields))
        .collect();
    Ok((records, Vec::new()))
}

/// Elements that hold one record each.
const RECORD_ELEMENTS: [&str; 5] = ["doc", "item", "entry", "article", "record"];

/// Elements of an HTML page: a file with these outside any record is a page, not records.
const PAGE_ELEMENTS: [&str; 3] = ["html", "head", "body"];

/// Child elements of `element` that name an article field: how many, and whether one is a
/// title or text field.
fn xml_field_children(tree: &XmlTree, element: usize, fields: &FieldMap) -> (usize, bool) {
    let mut count = 0;
    let mut title_or_text = false;
    for child in tree.child_elements(element) {
        let name = &tree.elements[child].name;
        let ranks: Vec<(Field, usize)> = Field::ALL
            .iter()
            .filter_map(|&f| field_rank(name, f, fields).map(|r| (f, r)))
            .collect();
        if !ranks.is_empty() {
            count += 1;
        }
        if ranks
            .iter()
            .any(|&(f, r)| matches!(f, Field::Title | Field::Text) && r < LAST_RESORT)
        {
            title_or_text = true;
        }
    }
    (count, title_or_text)
}

/// The record elements of a document in order: the outermost record elements with a title or
/// text child. Err when the document is an HTML page.
fn find_xml_records(tree: &XmlTree, fields: &FieldMap) -> Result<Vec<usize>, String> {
    let mut found = Vec::new();
    let mut pending: Vec<usize> = tree.child_elements(0).collect();
    pending.reverse();
    while let Some(element) = pending.pop() {
        let local = tree.local(element);
        if PAGE_ELEMENTS.contains(&local) {
            return Err(format!(
                "an HTML page (it has <{local}>), not a record file; read it as a page"
            ));
        }
        if RECORD_ELEMENTS.contains(&local) && xml_field_children(tree, element, fields).1 {
            found.push(element);
            continue;
        }
        let before = pending.len();
        pending.extend(tree.child_elements(element));
        pending[before..].reverse();
    }
    Ok(found)
}

/// The fields of a record element: its child elements, then its attributes.
fn xml_candidates(tree: &XmlTree, element: usize) -> Vec<(String, FieldValue)> {
    let mut candidates = Vec::new();
    for child in tree.child_elements(element) {
        if let Some(value) = feed::field_value(tree, child) {
            let name = tree.elements[child].name.clone();
            candidates.push((name, FieldValue::One(value)));
        }
    }
    for (name, value) in &tree.elements[element].attrs {
        candidates.push((name.clone(), FieldValue::One(value.clone())));
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    // SogouCS as it looks once decoded from GBK: CRLF lines, a <docs> wrapper, U+E40C between
    // paragraphs, full-width digits, raw `&` in URLs, and a document with empty content.
    const SOGOU: &str = "<docs>\r\n<doc>\r\n\
        <url>http://news.sohu.com/20120708/n347612345.shtml</url>\r\n\
        <docno>a1b2c3d4e5f60718-1122334455667788</docno>\r\n\
        <contenttitle>杭州地铁２号线一期工程年底试运行</contenttitle>\r\n\
        <content>本报讯　记者王明　杭州地铁２号线一期工程昨日完成全部轨道铺设。\u{E40C}据介绍，该线路全长１８．２６公里，共设车站１３座。\u{E40C}\u{E40C}市民对新线路充满期待。</content>\r\n\
        </doc>\r\n<doc>\r\n\
        <url>http://house.sohu.com/group/form.php?group_id=12&msg_id=345</url>\r\n\
        <docno>ffeeddccbbaa9988-7766554433221100</docno>\r\n\
        <contenttitle>楼市成交量环比回升</contenttitle>\r\n\
        <content></content>\r\n\
        </doc>\r\n<doc>\r\n\
        <url>http://sports.sohu.com/20120709/n347655555.shtml</url>\r\n\
        <docno>0011223344556677-8899aabbccddeeff</docno>\r\n\
        <contenttitle>中超第１６轮：山东鲁能主场２比１取胜</contenttitle>\r\n\
        <content>昨晚，山东鲁能在济南奥体中心迎战对手。\u{E40C}上半场双方互有攻守，比分为１比１。</content>\r\n\
        </doc>\r\n</docs>\r\n";

    #[test]
    fn sogoucs_documents_become_records_with_paragraphs() {
        assert_eq!(
            detect("SogouCS.reduced/news.sohunews.010806.txt", SOGOU),
            Some(XML)
        );
        let records = read(XML, SOGOU);
        assert!(records.problems.is_empty(), "{:?}", records.problems);
        assert_eq!(records.records.len(), 3);
        let first = &records.records[0];
        assert_eq!(first.n, 1);
        assert_eq!(
            first.title.as_deref(),
            Some("杭州地铁２号线一期工程年底试运行")
        );
        assert_eq!(
            first.url.as_deref(),
            Some("http://news.sohu.com/20120708/n347612345.shtml")
        );
        assert_eq!(first.date, None);
        assert_eq!(
            body(first),
            "本报讯　记者王明　杭州地铁２号线一期工程昨日完成全部轨道铺设。\n\
             据介绍，该线路全长１８．２６公里，共设车站１３座。\n\
             市民对新线路充满期待。"
        );
        // The empty document still counts, so the third stays number 3.
        let empty = &records.records[1];
        assert_eq!(empty.n, 2);
        assert_eq!(body(empty), "");
        assert_eq!(
            empty.url.as_deref(),
            Some("http://house.sohu.com/group/form.php?group_id=12&msg_id=345")
        );
        assert_eq!(records.records[2].n, 3);
        assert_eq!(
            records.records[2].title.as_deref(),
            Some("中超第１６轮：山东鲁能主场２比１取胜")
        );
    }

    #[test]
    fn sogoucs_reads_the_same_after_gb18030_decoding() {
        let (bytes, _, _) = encoding_rs::GB18030.encode(SOGOU);
        let decoded = crate::corpus::decode_bytes(&bytes, None).expect("decodes");
        let records = read(XML, &decoded.text);
        assert_eq!(records.records.len(), 3);
        assert!(body(&records.records[0]).contains("１８．２６公里"));
    }

    #[test]
    fn trec_docs_without_a_root_are_read_with_their_paragraphs() {
        let trec = "<DOC>\n<DOCNO>XIN19980103.0012</DOCNO>\n<DATE>1998-01-03</DATE>\n\
            <HEADLINE>长江三峡工程导流明渠正式通航</HEADLINE>\n<TEXT>\n\
            <P>新华社宜昌１月３日电　长江三峡工程导流明渠今天正式通航。</P>\n\
            <P>导流明渠全长３７００米，可满足万吨级船队通过。</P>\n</TEXT>\n</DOC>\n\
            <DOC>\n<DOCNO>XIN19980103.0013</DOCNO>\n<DATE>1998-01-03</DATE>\n\
            <HEADLINE>北京今冬首场大雪</HEADLINE>\n<TEXT>\n\
            <P>本报讯　昨夜今晨，北京迎来今冬首场大雪，市区积雪深度达５厘米。</P>\n</TEXT>\n</DOC>\n";
        assert_eq!(detect("trec/xinhua/19980103", trec), Some(XML));
        let records = read(XML, trec);
        assert_eq!(records.records.len(), 2);
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("长江三峡工程导流明渠正式通航"));
        assert_eq!(first.date.as_deref(), Some("1998-01-03"));
        assert_eq!(
            body(first),
            "新华社宜昌１月３日电　长江三峡工程导流明渠今天正式通航。\n\
             导流明渠全长３７００米，可满足万吨级船队通过。"
        );
        assert_eq!(
            records.records[1].title.as_deref(),
            Some("北京今冬首场大雪")
        );
    }

    #[test]
    fn unclosed_trec_docs_end_where_the_next_begins() {
        let trec = "<DOC><DOCNO>A1</DOCNO><HEADLINE>第一篇</HEADLINE><TEXT>甲地新闻正文，x<y 时仍是正文。\n\
            <DOC><DOCNO>A2</DOCNO><HEADLINE>第二篇</HEADLINE><TEXT>乙地新闻正文 & 更多。</TEXT></DOC>";
        let records = read(XML, trec);
        assert_eq!(records.records.len(), 2);
        assert_eq!(body(&records.records[0]), "甲地新闻正文，x<y 时仍是正文。");
        assert_eq!(records.records[1].title.as_deref(), Some("第二篇"));
        assert_eq!(body(&records.records[1]), "乙地新闻正文 & 更多。");
        // Unclosed paragraphs follow each other instead of nesting.
        let many = format!(
            "<doc><title>长文</title><text>{}</text></doc>",
            "<p>一段文字。".repeat(1000)
        );
        let records = read(XML, &many);
        assert_eq!(body(&records.records[0]).lines().count(), 1000);
    }

    #[test]
    fn one_document_xml_is_one_record() {
        let one = "<?xml version='1.0' encoding='utf-8'?>\n<doc><id>7</id><url>http://www.example.com.cn/gn/2020/04-01/1.shtml</url>\
            <title>多地有序恢复旅游景区开放</title><datetime>2020-4-1 9:05:00</datetime>\
            <body>\t中新网4月1日电　多地旅游景区近日有序恢复开放。\n\t游客需提前预约、分时段入园。\n</body></doc>";
        assert_eq!(detect("news/1.xml", one), Some(XML));
        let records = read(XML, one);
        assert_eq!(records.records.len(), 1);
        let record = &records.records[0];
        assert_eq!(record.date.as_deref(), Some("2020-4-1 9:05:00"));
        assert_eq!(
            body(record),
            "中新网4月1日电　多地旅游景区近日有序恢复开放。\n\t游客需提前预约、分时段入园。"
        );
    }
}
