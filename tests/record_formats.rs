//! Record files (many articles in one file) read by the real binary: SogouCS XML in GBK,
//! JSON Lines with the user's field names, CSV and TSV, TREC, JSON, gzipped WARC, and a
//! format forced with `--format`. Each test checks what a user checks: how many articles,
//! their ids `file#n`, title, date, source, text, and that the index finds them.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn id(path: &Path, n: usize) -> String {
    format!("{}#{n}", path.display())
}

/// A corpus folder holding `files` (name, bytes), indexed with `flags`: (tempdir, index).
fn indexed(files: &[(&str, &[u8])], flags: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    for (name, bytes) in files {
        fs::write(corpus.join(name), bytes).unwrap();
    }
    let index = dir.path().join("index");
    build_with(&corpus, &index, flags);
    (dir, index)
}

/// The ids of a query's hits.
fn hit_ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| field(h, "id").to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// SogouCS

/// SogouCS's paragraph separator (a private-use character of GBK's user-defined area).
const SOGOU_PARAGRAPH: char = '\u{E40C}';

fn sogoucs_text() -> String {
    let p = SOGOU_PARAGRAPH;
    format!(
        "<doc>\n\
         <url>http://news.sohu.com/20120611/n345310122.shtml</url>\n\
         <docno>5c7e0a8d21f34b6e-69e1a2f3b4c5d6e7</docno>\n\
         <contenttitle>江苏沿海滩涂综合开发项目在盐城启动</contenttitle>\n\
         <content>新华网南京６月１１日电 江苏省沿海滩涂综合开发项目１１日在盐城启动，首期规划围垦面积２０万亩，预计２０１５年完工。{p}据介绍，项目将配套建设防潮堤、排灌渠和生态林带，围垦后的土地主要用于现代农业和湿地保护。</content>\n\
         </doc>\n\
         <doc>\n\
         <url>http://news.sohu.com/20120611/n345310200.shtml</url>\n\
         <docno>5c7e0a8d21f34b6e-0f1e2d3c4b5a6978</docno>\n\
         <contenttitle>组图：端午节前夕粽子热销</contenttitle>\n\
         <content></content>\n\
         </doc>\n\
         <doc>\n\
         <url>http://business.sohu.com/20120611/n345311876.shtml</url>\n\
         <docno>7a1b2c3d4e5f6a7b-8c9d0e1f2a3b4c5d</docno>\n\
         <contenttitle>前５个月全国铁路货物发送量同比增长２．６％</contenttitle>\n\
         <content>{p}{p}记者从铁道部获悉，２０１２年前５个月，全国铁路完成货物发送量１６．１亿吨，同比增长２．６％。{p}{p}其中，煤炭运输保持平稳，电煤日均装车比去年同期有所增加。{p}{p}铁道部有关负责人表示，下半年将继续加强重点物资运输组织，保障迎峰度夏电煤供应。</content>\n\
         </doc>\n"
    )
}

#[test]
fn sogoucs_in_gbk_gives_one_article_per_document_with_its_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.sohu.20120611.txt");
    let text = sogoucs_text();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable, "the fixture is all GB18030");
    fs::write(&path, &bytes).unwrap();

    let v = inspect_with(std::slice::from_ref(&path), &[]).remove(0);
    assert_eq!(field(&v, "format"), "xml", "{v:#}");
    assert_eq!(field(&v, "encoding"), "gb18030", "{v:#}");
    assert_eq!(v["replaced"], 0);
    // The picture story has a headline and no text: an article with an empty body, so that
    // its headline is searchable; the third document keeps its number.
    assert_eq!(ids(&v), [id(&path, 1), id(&path, 2), id(&path, 3)], "{v:#}");
    assert_eq!(field(&articles(&v)[1], "title"), "组图：端午节前夕粽子热销");
    assert_eq!(field(&articles(&v)[1], "body"), "");

    let first = &articles(&v)[0];
    assert_eq!(field(first, "title"), "江苏沿海滩涂综合开发项目在盐城启动");
    assert_eq!(field(first, "date"), "2012-06-11");
    assert_eq!(
        field(first, "url"),
        "http://news.sohu.com/20120611/n345310122.shtml"
    );
    // The agency named in the dateline wrote it; the portal only shows it.
    assert_eq!(field(first, "source"), "新华社", "{first:#}");

    let third = &articles(&v)[2];
    assert_eq!(
        field(third, "title"),
        "前５个月全国铁路货物发送量同比增长２．６％"
    );
    assert_eq!(field(third, "date"), "2012-06-11");
    assert_eq!(field(third, "source"), "搜狐", "{third:#}");
    let body = field(third, "body");
    assert!(!body.contains(SOGOU_PARAGRAPH), "{body:?}");
    let paragraphs: Vec<&str> = body.lines().collect();
    assert_eq!(paragraphs.len(), 3, "one line per paragraph: {body:?}");
    assert!(paragraphs[0].starts_with("记者从铁道部获悉"), "{body:?}");
    assert!(
        paragraphs[1].starts_with("其中，煤炭运输保持平稳"),
        "{body:?}"
    );
    assert!(body.contains("２０１２年前５个月") || body.contains("2012年前5个月"));
    let first_body = field(first, "body");
    assert!(!first_body.contains(SOGOU_PARAGRAPH), "{first_body:?}");
    assert!(first_body.contains("首期规划围垦面积"), "{first_body:?}");
    assert!(first_body.contains("围垦后的土地主要用于现代农业"));

    let (_dir, index) = indexed(&[("sogoucs.txt", &bytes)], &[]);
    let v = query_json(&index, &["货物发送量"]);
    assert_eq!(total(&v), 1, "{v:#}");
    assert_eq!(hit_ids(&v), ["sogoucs.txt#3"]);
    // Full-width digits in the text, half-width in the query, and the other way round.
    assert_eq!(hit_ids(&query_json(&index, &["2015年"])), ["sogoucs.txt#1"]);
    assert_eq!(
        hit_ids(&query_json(&index, &["２０１２年"])),
        ["sogoucs.txt#3"]
    );
    assert_eq!(
        hit_ids(&query_json(&index, &["粽子热销"])),
        ["sogoucs.txt#2"]
    );
}

// ---------------------------------------------------------------------------------------------
// JSON Lines

const JSONL_CUSTOM: &str = r#"{"headline": "成渝中线高铁全线进入铺轨阶段", "story": "记者从中国国家铁路集团获悉，成渝中线高铁２日全线进入铺轨阶段。\n这条线路设计时速３５０公里，建成后成都至重庆最快５０分钟可达。", "pub": "2024-04-02 09:30", "outlet": "经济日报", "link": "https://news.example.com.cn/rail/cy-line.html"}
{"headline": "长江口二号古船完成首阶段考古发掘", "story": "上海市文物局介绍，长江口二号古船首阶段考古发掘工作近日完成，出水瓷器等文物六百余件。\n专家表示，这些文物为研究清代同治年间的海上贸易提供了新材料。", "pub": "2024-04-03 16:05", "outlet": "人民日报", "link": "https://news.example.com.cn/culture/old-ship.html"}
{"headline": "黑龙江春耕备耕物资储备充足", "story": "黑龙江省农业农村厅消息，全省春耕所需种子、化肥和农药已基本到位，农机具检修率超过九成。", "pub": "2024-04-05", "outlet": "新华社", "link": "https://news.example.com.cn/farm/spring.html"}
"#;

const JSONL_FIELDS: &str = "title=headline,text=story,date=pub,source=outlet,url=link";

#[test]
fn jsonl_with_the_users_field_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.jsonl");
    fs::write(&path, JSONL_CUSTOM).unwrap();
    let v = inspect_with(std::slice::from_ref(&path), &["--fields", JSONL_FIELDS]).remove(0);
    assert_eq!(field(&v, "format"), "jsonl");
    assert_eq!(ids(&v), [id(&path, 1), id(&path, 2), id(&path, 3)]);
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(0), "{v:#}");
    let a = &articles(&v)[1];
    assert_eq!(field(a, "title"), "长江口二号古船完成首阶段考古发掘");
    assert_eq!(field(a, "date"), "2024-04-03");
    assert_eq!(field(a, "date_from"), "meta");
    assert_eq!(field(a, "source"), "人民日报");
    assert_eq!(
        field(a, "url"),
        "https://news.example.com.cn/culture/old-ship.html"
    );
    let body = field(a, "body");
    assert!(body.starts_with("上海市文物局介绍"), "{body:?}");
    assert!(body.contains("海上贸易提供了新材料"), "{body:?}");
    assert_eq!(field(&articles(&v)[0], "source"), "经济日报");
    assert_eq!(field(&articles(&v)[2], "date"), "2024-04-05");

    let (_dir, index) = indexed(
        &[("export.jsonl", JSONL_CUSTOM.as_bytes())],
        &["--fields", JSONL_FIELDS],
    );
    let v = query_json(&index, &["古船"]);
    assert_eq!(total(&v), 1, "{v:#}");
    assert_eq!(hit_ids(&v), ["export.jsonl#2"]);
    assert_eq!(total(&query_json(&index, &["铺轨"])), 1);
    assert_eq!(
        total(&query_json(
            &index,
            &["春耕", "--source", "新华社", "--from", "2024-04-04"]
        )),
        1
    );
}

/// Without `--fields`, the names in the synonym table still count (`headline` is a title,
/// `outlet` a source, `link` a URL) and the unknown ones (`story`, `pub`) do not: the records
/// have no text, so the file gives its headlines (searchable, as a feed of headlines is) and
/// a note naming the flag that would read the text. With only the unknown names given, the
/// rest falls back to the standard names.
#[test]
fn jsonl_without_fields_falls_back_to_the_standard_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.jsonl");
    fs::write(&path, JSONL_CUSTOM).unwrap();

    let v = inspect_with(std::slice::from_ref(&path), &[]).remove(0);
    assert_eq!(articles(&v).len(), 3, "{v:#}");
    let a = &articles(&v)[0];
    assert_eq!(field(a, "title"), "成渝中线高铁全线进入铺轨阶段");
    assert_eq!(field(a, "body"), "");
    assert_eq!(field(a, "source"), "经济日报");

    let v = inspect_with(
        std::slice::from_ref(&path),
        &["--fields", "text=story,date=pub"],
    )
    .remove(0);
    assert_eq!(articles(&v).len(), 3, "{v:#}");
    let a = &articles(&v)[0];
    assert_eq!(field(a, "title"), "成渝中线高铁全线进入铺轨阶段");
    assert_eq!(field(a, "source"), "经济日报");
    assert_eq!(
        field(a, "url"),
        "https://news.example.com.cn/rail/cy-line.html"
    );
    assert_eq!(field(a, "date"), "2024-04-02");
}

/// Records whose text sits under a name the reader does not know: the note about the file
/// is advice, naming the flag that reads the text.
#[test]
fn records_without_a_known_text_field_point_to_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.jsonl");
    fs::write(&path, JSONL_CUSTOM).unwrap();
    let v = inspect_with(std::slice::from_ref(&path), &[]).remove(0);
    let notes = v["notes"].as_array().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap_or_default().contains("--fields text=")),
        "{notes:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// CSV and TSV

/// Chinese column names, a body of two paragraphs in one quoted cell, a title with a comma
/// and a body with doubled quotes.
const CSV: &str = "标题,正文,发布时间,来源,链接\n\
\"海南自贸港跨境电商进口额增长,政策效应显现\",\"海口海关统计，今年一季度海南跨境电商进口额同比增长四成以上。\n\
业内人士认为，\"\"零关税\"\"清单扩容是增长的主要原因。\",2024-04-18 10:12,南方日报,https://news.example.com.cn/hainan/trade.html\n\
内蒙古风电装机容量突破六千万千瓦,内蒙古能源局发布数据，全区风电装机容量突破六千万千瓦，居全国首位。,2024-04-19,新华社,https://news.example.com.cn/nmg/wind.html\n";

const TSV: &str = "title\tcontent\tdate\tsource\turl\n\
贵州数据中心集群算力规模持续扩大\t贵安新区新增两座大型数据中心，集群算力规模较去年底增长三成。\t2024-05-06\t人民日报\thttps://news.example.com.cn/gz/dc.html\n\
福建宁德锂电池出口保持增长\t宁德海关数据显示，前四个月锂电池出口货值同比增长一成多。\t2024-05-08\t经济日报\thttps://news.example.com.cn/fj/battery.html\n";

#[test]
fn csv_with_a_quoted_multiline_cell_and_tsv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("hainan.csv");
    let tsv = dir.path().join("export.tsv");
    fs::write(&csv, CSV).unwrap();
    fs::write(&tsv, TSV).unwrap();
    let found = inspect_with(&[csv.clone(), tsv.clone()], &[]);

    let v = &found[0];
    assert_eq!(field(v, "format"), "csv");
    // The two-line cell is one record: the next row is still record 2.
    assert_eq!(ids(v), [id(&csv, 1), id(&csv, 2)], "{v:#}");
    let a = &articles(v)[0];
    assert_eq!(
        field(a, "title"),
        "海南自贸港跨境电商进口额增长,政策效应显现"
    );
    assert_eq!(field(a, "date"), "2024-04-18");
    assert_eq!(field(a, "source"), "南方日报");
    assert_eq!(
        field(a, "url"),
        "https://news.example.com.cn/hainan/trade.html"
    );
    let body: Vec<&str> = field(a, "body").lines().collect();
    assert_eq!(body.len(), 2, "{body:?}");
    assert!(body[0].starts_with("海口海关统计"), "{body:?}");
    assert!(body[1].contains("\"零关税\"清单扩容"), "{body:?}");
    let b = &articles(v)[1];
    assert_eq!(field(b, "title"), "内蒙古风电装机容量突破六千万千瓦");
    assert_eq!(field(b, "date"), "2024-04-19");
    assert_eq!(field(b, "source"), "新华社");

    let v = &found[1];
    assert_eq!(field(v, "format"), "tsv");
    assert_eq!(ids(v), [id(&tsv, 1), id(&tsv, 2)], "{v:#}");
    let a = &articles(v)[1];
    assert_eq!(field(a, "title"), "福建宁德锂电池出口保持增长");
    assert_eq!(field(a, "date"), "2024-05-08");
    assert_eq!(field(a, "source"), "经济日报");
    assert!(field(a, "body").contains("锂电池出口货值"));

    let (_dir, index) = indexed(
        &[
            ("hainan.csv", CSV.as_bytes()),
            ("export.tsv", TSV.as_bytes()),
        ],
        &[],
    );
    let v = query_json(&index, &["零关税"]);
    assert_eq!(hit_ids(&v), ["hainan.csv#1"], "{v:#}");
    assert_eq!(
        hit_ids(&query_json(&index, &["风电装机"])),
        ["hainan.csv#2"]
    );
    assert_eq!(
        hit_ids(&query_json(&index, &["数据中心"])),
        ["export.tsv#1"]
    );
}

// ---------------------------------------------------------------------------------------------
// TREC

const TREC: &str = "<DOC>\n\
<DOCNO> XIN_CMN_20040315.0031 </DOCNO>\n\
<DATE> 2004-03-15 </DATE>\n\
<HEADLINE>\n\
三峡工程船闸今年通过货物有望创新高\n\
</HEADLINE>\n\
<TEXT>\n\
<P>\n\
新华社宜昌３月１５日电（记者张华）三峡工程双线五级船闸今年前两个月通过货物四百多万吨，同比增长近三成。\n\
</P>\n\
<P>\n\
三峡通航管理局负责人说，随着库区航道条件改善，全年通过量有望创下新高。\n\
</P>\n\
</TEXT>\n\
</DOC>\n\
<DOC>\n\
<DOCNO> XIN_CMN_20040316.0007 </DOCNO>\n\
<DATE> 2004-03-16 </DATE>\n\
<HEADLINE>\n\
青海湖裸鲤资源量逐年恢复\n\
</HEADLINE>\n\
<TEXT>\n\
<P>\n\
新华社西宁３月１６日电 青海省渔业部门监测显示，青海湖裸鲤资源量已恢复到封湖育鱼前的两倍多。\n\
</P>\n\
</TEXT>\n\
</DOC>\n";

#[test]
fn trec_documents_are_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xin_cmn_200403");
    fs::write(&path, TREC).unwrap();
    let v = inspect_with(std::slice::from_ref(&path), &[]).remove(0);
    assert_eq!(field(&v, "format"), "xml");
    assert_eq!(ids(&v), [id(&path, 1), id(&path, 2)], "{v:#}");
    let a = &articles(&v)[0];
    assert_eq!(field(a, "title"), "三峡工程船闸今年通过货物有望创新高");
    assert_eq!(field(a, "date"), "2004-03-15");
    assert_eq!(field(a, "source"), "新华社");
    let body: Vec<&str> = field(a, "body").lines().collect();
    assert_eq!(body.len(), 2, "one line per <P>: {body:?}");
    assert!(body[0].contains("双线五级船闸"), "{body:?}");
    assert!(body[1].starts_with("三峡通航管理局负责人说"), "{body:?}");
    let b = &articles(&v)[1];
    assert_eq!(field(b, "title"), "青海湖裸鲤资源量逐年恢复");
    assert_eq!(field(b, "date"), "2004-03-16");

    let (_dir, index) = indexed(&[("xin_cmn_200403", TREC.as_bytes())], &[]);
    let v = query_json(&index, &["裸鲤"]);
    assert_eq!(hit_ids(&v), ["xin_cmn_200403#2"], "{v:#}");
    assert_eq!(total(&query_json(&index, &["新华社"])), 2);
}

// ---------------------------------------------------------------------------------------------
// JSON

const JSON_ARRAY: &str = r#"[
  {"title": "西藏首座高海拔光伏治沙电站并网", "content": "日前，西藏山南市一座高海拔光伏治沙电站实现全容量并网发电。电站建在沙化土地上，板下种植牧草，兼顾发电和治沙。", "date": "2023-12-28T10:00:00+08:00", "source": "中国新闻网", "url": "https://news.example.com.cn/xz/pv.html"},
  {"title": "大连港集装箱航线再添新线", "content": "大连港新开通一条至东南亚的集装箱班轮航线，每周一班，进一步完善东北地区外贸通道。", "date": "2023-12-29", "source": "人民日报", "url": "https://news.example.com.cn/dl/port.html"}
]"#;

const JSON_OBJECT: &str = r#"{"status": "ok", "total": 1, "articles": [
  {"title": "兰州牛肉面产业年产值突破百亿元", "content": "甘肃省商务厅介绍，兰州牛肉面门店已遍布全国，带动上下游产业年产值突破百亿元。", "date": "2023-12-30", "source": "经济日报", "url": "https://news.example.com.cn/gs/noodle.html"}
]}"#;

#[test]
fn a_json_array_and_an_object_holding_an_articles_array() {
    let dir = tempfile::tempdir().unwrap();
    let array = dir.path().join("array.json");
    let object = dir.path().join("api-response.json");
    fs::write(&array, JSON_ARRAY).unwrap();
    fs::write(&object, JSON_OBJECT).unwrap();
    let found = inspect_with(&[array.clone(), object.clone()], &[]);

    let v = &found[0];
    assert_eq!(field(v, "format"), "json");
    assert_eq!(ids(v), [id(&array, 1), id(&array, 2)], "{v:#}");
    let a = &articles(v)[0];
    assert_eq!(field(a, "title"), "西藏首座高海拔光伏治沙电站并网");
    assert_eq!(field(a, "date"), "2023-12-28");
    assert_eq!(field(a, "source"), "中国新闻网");
    assert_eq!(field(a, "url"), "https://news.example.com.cn/xz/pv.html");
    assert!(field(a, "body").contains("板下种植牧草"));
    assert_eq!(field(&articles(v)[1], "title"), "大连港集装箱航线再添新线");

    let v = &found[1];
    assert_eq!(field(v, "format"), "json");
    assert_eq!(ids(v), [id(&object, 1)], "{v:#}");
    let a = &articles(v)[0];
    assert_eq!(field(a, "title"), "兰州牛肉面产业年产值突破百亿元");
    assert_eq!(field(a, "source"), "经济日报");
    assert_eq!(field(a, "date"), "2023-12-30");

    let (_dir, index) = indexed(
        &[
            ("array.json", JSON_ARRAY.as_bytes()),
            ("api-response.json", JSON_OBJECT.as_bytes()),
        ],
        &[],
    );
    let v = query_json(&index, &["集装箱"]);
    assert_eq!(hit_ids(&v), ["array.json#2"], "{v:#}");
    assert_eq!(
        hit_ids(&query_json(&index, &["牛肉面"])),
        ["api-response.json#1"]
    );
}

// ---------------------------------------------------------------------------------------------
// WARC

/// An HTTP response holding a news page: <title> with the site's name, a publishdate meta,
/// a 来源 line and the text.
fn http_response(title: &str, date: &str, paragraph: &str) -> Vec<u8> {
    let html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n\
         <title>{title}_新闻中心_示例新闻网</title>\n\
         <meta name=\"publishdate\" content=\"{date}\">\n\
         </head><body>\n\
         <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/news/\">新闻</a></div>\n\
         <h1>{title}</h1>\n\
         <div class=\"info\">来源：经济日报</div>\n\
         <div class=\"article\"><p>{paragraph}</p></div>\n\
         </body></html>\n"
    );
    http_ok(&html)
}

const WARC_URI_1: &str = "https://news.example.com.cn/economy/a8841.html";
const WARC_URI_2: &str = "https://news.example.com.cn/economy/a8857.html";

/// warcinfo, a request, and two responses with news pages, each record uncompressed.
fn warc_records() -> Vec<Vec<u8>> {
    vec![
        warc_record(
            "warcinfo",
            1,
            "",
            "application/warc-fields",
            b"software: test-crawler/1.0\r\nformat: WARC File Format 1.0\r\n",
        ),
        warc_record(
            "request",
            2,
            WARC_URI_1,
            "application/http; msgtype=request",
            b"GET /economy/a8841.html HTTP/1.1\r\nHost: news.example.com.cn\r\n\r\n",
        ),
        warc_record(
            "response",
            3,
            WARC_URI_1,
            "application/http; msgtype=response",
            &http_response(
                "长三角生态绿色一体化发展示范区新增跨省公交线路",
                "2024-05-20",
                "上海青浦、江苏吴江、浙江嘉善三地近日新开通两条跨省公交线路，沿途串联古镇和产业园区，方便群众跨省通勤。",
            ),
        ),
        warc_record(
            "response",
            4,
            WARC_URI_2,
            "application/http; msgtype=response",
            &http_response(
                "湖南岳阳港集装箱吞吐量稳步增长",
                "2024-05-22",
                "岳阳城陵矶港今年以来集装箱吞吐量稳步增长，江海联运和铁水联运班列持续加密，带动湘北外贸企业降低物流成本。",
            ),
        ),
    ]
}

/// Each record its own gzip member, as crawlers write them.
fn warc_gz() -> Vec<u8> {
    warc_records().iter().flat_map(|r| gzip(r)).collect()
}

#[test]
fn gzipped_warc_gives_its_html_responses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl-00001.warc.gz");
    let bytes = warc_gz();
    fs::write(&path, &bytes).unwrap();
    let v = inspect_with(std::slice::from_ref(&path), &[]).remove(0);
    assert_eq!(field(&v, "format"), "warc");
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(0), "{v:#}");
    let found = articles(&v);
    // The warcinfo and the request are no articles; the two responses are.
    assert_eq!(found.len(), 2, "{v:#}");
    let ids = ids(&v);
    // Numbered in file order (how WARC records are counted is the reader's business).
    let numbers: Vec<usize> = ids
        .iter()
        .map(|i| {
            let n = i.strip_prefix(&format!("{}#", path.display()));
            n.and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{i} is file#n"))
        })
        .collect();
    assert!(numbers[0] < numbers[1], "{ids:?}");

    let a = &found[0];
    assert_eq!(
        field(a, "title"),
        "长三角生态绿色一体化发展示范区新增跨省公交线路"
    );
    // The page's publication date, not the crawl's WARC-Date.
    assert_eq!(field(a, "date"), "2024-05-20");
    assert_eq!(field(a, "date_from"), "meta");
    assert_eq!(field(a, "url"), WARC_URI_1);
    assert_eq!(field(a, "source"), "经济日报");
    assert!(field(a, "body").contains("新开通两条跨省公交线路"));
    assert!(!field(a, "body").contains("首页"), "{a:#}");
    let b = &found[1];
    assert_eq!(field(b, "title"), "湖南岳阳港集装箱吞吐量稳步增长");
    assert_eq!(field(b, "date"), "2024-05-22");
    assert_eq!(field(b, "url"), WARC_URI_2);
    assert!(field(b, "body").contains("江海联运和铁水联运"));

    let (_dir, index) = indexed(&[("crawl-00001.warc.gz", &bytes)], &[]);
    let v = query_json(&index, &["城陵矶港"]);
    assert_eq!(total(&v), 1, "{v:#}");
    assert_eq!(v["hits"][0]["url"], WARC_URI_2);
    // The index names the file by its corpus path, with the same record number.
    let number = &ids[1][ids[1].rfind('#').unwrap()..];
    assert_eq!(v["hits"][0]["id"], format!("crawl-00001.warc.gz{number}"));
    assert_eq!(total(&query_json(&index, &["跨省公交"])), 1);
}

/// Notes name a WARC record by its position among all the file's records (`WARC record 4
/// (byte …): truncated`, counting the warcinfo and the requests); ids are "the record's
/// position in the file" as for every other format, so that a note and an id name the same
/// record: here the responses are the third and fourth records.
#[test]
fn warc_ids_are_positions_among_all_the_records_like_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl-00001.warc.gz");
    fs::write(&path, warc_gz()).unwrap();
    let v = inspect_with(std::slice::from_ref(&path), &[]).remove(0);
    assert_eq!(ids(&v), [id(&path, 3), id(&path, 4)], "{v:#}");
}

// ---------------------------------------------------------------------------------------------
// --format

/// A crawler's export with pinyin field names (bt 标题, nr 内容, sj 时间, ly 来源), saved as
/// .txt: nothing in it names an article field the reader knows, so it reads as text until
/// the user says what it is.
const PINYIN_JSONL: &str = r#"{"bt": "重庆火锅产业链年产值持续增长", "nr": "重庆市商务委员会介绍，全市火锅底料、调味品和食材加工企业去年产值增长一成以上，带动就业数十万人。", "sj": "2024-01-15 08:00:00", "ly": "人民日报"}
{"bt": "陕西苹果出口东南亚市场", "nr": "陕西洛川一批苹果近日通过中欧班列和海运发往东南亚，当地果农收入进一步增加。", "sj": "2024-01-16 09:30:00", "ly": "新华社"}
"#;

#[test]
fn format_flag_reads_a_txt_file_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export-2024-01.txt");
    fs::write(&path, PINYIN_JSONL).unwrap();
    let fields = "title=bt,text=nr,date=sj,source=ly";

    let v = inspect_with(
        std::slice::from_ref(&path),
        &["--format", "jsonl", "--fields", fields],
    )
    .remove(0);
    assert_eq!(field(&v, "format"), "jsonl");
    assert_eq!(ids(&v), [id(&path, 1), id(&path, 2)], "{v:#}");
    let a = &articles(&v)[1];
    assert_eq!(field(a, "title"), "陕西苹果出口东南亚市场");
    assert_eq!(field(a, "date"), "2024-01-16");
    assert_eq!(field(a, "source"), "新华社");
    assert!(field(a, "body").starts_with("陕西洛川一批苹果"));
    assert!(!field(a, "body").contains("\"bt\""), "{a:#}");

    // The flag wins over detection the other way too: a JSON Lines file read as text.
    let jsonl = dir.path().join("standard.jsonl");
    fs::write(&jsonl, JSONL_CUSTOM).unwrap();
    let v = inspect_with(&[jsonl], &["--format", "text"]).remove(0);
    assert_eq!(field(&v, "format"), "text");

    let (_dir, index) = indexed(
        &[("export-2024-01.txt", PINYIN_JSONL.as_bytes())],
        &["--format", "jsonl", "--fields", fields],
    );
    let v = query_json(&index, &["火锅底料"]);
    assert_eq!(hit_ids(&v), ["export-2024-01.txt#1"], "{v:#}");
    assert_eq!(v["hits"][0]["title"], "重庆火锅产业链年产值持续增长");
}

/// `--fields` names the fields the records use, so a file whose records use only those names
/// is recognised as records without `--format` as well.
#[test]
fn fields_alone_let_detection_see_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export-2024-01.txt");
    fs::write(&path, PINYIN_JSONL).unwrap();
    let v = inspect_with(
        std::slice::from_ref(&path),
        &["--fields", "title=bt,text=nr,date=sj,source=ly"],
    )
    .remove(0);
    assert_eq!(field(&v, "format"), "jsonl", "{v:#}");
    assert_eq!(ids(&v), [id(&path, 1), id(&path, 2)], "{v:#}");
    assert_eq!(
        field(&articles(&v)[0], "title"),
        "重庆火锅产业链年产值持续增长"
    );
}

// ---------------------------------------------------------------------------------------------
// Search and news API dumps

/// A site search API saved as JSON: highlight tags in titles and text, the outlet under
/// `originalName`, a numeric `source` code, the time as Unix milliseconds, and titles
/// whose ` | ` and ` - ` are the headline's own, or the page title's site suffix.
const SEARCH_API: &str = r#"{"code": "0", "data": {"records": [
  {"title": "每日一博 | 冬季<em>供暖</em>用煤保障调查", "content": "入冬以来，多地<em>供暖</em>用煤需求上升。<b>煤炭</b>企业加紧生产，保障群众温暖过冬。",
   "displayTime": 1604441521000, "originalName": "新华网", "source": 1, "url": "http://society.example-daily.cn/n1/2020/1103/c1008-1.html"},
  {"title": "黄河流域生态保护观察 - 新华网", "content": "黄河流域各地持续推进生态保护和高质量发展，治理成效逐步显现。",
   "displayTime": 1538086855000, "originalName": "示例晚报", "source": 1},
  {"title": "【一周】城市更新进展 | 老旧小区改造提速", "summary": "各地老旧小区改造进度加快，今年已开工改造超过五万个小区。",
   "ctime": 1538086855, "media_name": "示例晚报"}
]}}"#;

#[test]
fn search_api_records_read_as_the_site_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search-result.json");
    fs::write(&path, SEARCH_API).unwrap();
    let found = inspect_with(std::slice::from_ref(&path), &[]);
    let v = &found[0];
    assert_eq!(ids(v), [id(&path, 1), id(&path, 2), id(&path, 3)], "{v:#}");
    let [a, b, c] = &articles(v)[..] else {
        panic!("three articles: {v:#}")
    };
    // Highlight tags go, their words stay; a title's own ` | ` stays.
    assert_eq!(field(a, "title"), "每日一博 | 冬季供暖用煤保障调查");
    assert!(
        field(a, "body").starts_with("入冬以来，多地供暖用煤需求上升。煤炭企业"),
        "{a:#}"
    );
    // The outlet credited, not the numeric code; its name through sources.toml.
    assert_eq!(field(a, "source"), "新华社");
    // 2020-11-04 06:12 in Beijing (22:12 UTC the day before).
    assert_eq!(field(a, "date"), "2020-11-04");
    // An outlet's name after ` - ` is the page title's suffix.
    assert_eq!(field(b, "title"), "黄河流域生态保护观察");
    // 1538086855 is 2018-09-27 22:20 UTC, the 28th in Beijing.
    assert_eq!(field(b, "date"), "2018-09-28");
    assert_eq!(field(c, "title"), "【一周】城市更新进展 | 老旧小区改造提速");
    assert_eq!(field(c, "source"), "示例晚报");
    assert_eq!(field(c, "date"), "2018-09-28");
    assert!(field(c, "body").contains("老旧小区改造进度加快"), "{c:#}");
}

/// A NewsAPI response saved as a JavaScript file: `var news = {...};`, the source as a
/// nested object naming a host.
const NEWSAPI_JS: &str = r#"var news_cn = {
  "status": "ok", "totalResults": 2,
  "articles": [
    {"source": {"id": null, "name": "Chinanews.com"}, "author": null,
     "title": "西部陆海新通道班列开行量创新高-中新网 - 中国新闻网",
     "description": "今年以来，西部陆海新通道班列开行量同比增长三成，货物通达全球多个国家和地区。",
     "url": "http://www.chinanews.com/cj/2021/05-18/1.shtml", "publishedAt": "2021-05-18T02:10:00Z", "content": null},
    {"source": {"id": "xinhua-net", "name": "Xinhua Net"}, "author": null,
     "title": "长江口禁捕水域巡查常态化 - 新华网",
     "description": "长江口禁捕水域巡查实现常态化，非法捕捞行为明显减少。",
     "url": "http://www.xinhuanet.com/local/2021-05/18/c_1.htm", "publishedAt": "2021-05-18T09:00:00Z", "content": null}
  ]
};
"#;

#[test]
fn a_news_api_response_saved_as_javascript() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("top-headlines.js");
    fs::write(&path, NEWSAPI_JS).unwrap();
    let found = inspect_with(std::slice::from_ref(&path), &[]);
    let v = &found[0];
    assert_eq!(field(v, "format"), "json", "{v:#}");
    assert_eq!(ids(v), [id(&path, 1), id(&path, 2)], "{v:#}");
    let a = &articles(v)[0];
    assert_eq!(field(a, "title"), "西部陆海新通道班列开行量创新高");
    assert_eq!(field(a, "source"), "中国新闻网");
    assert_eq!(field(a, "date"), "2021-05-18");
    assert!(field(a, "body").contains("班列开行量同比增长三成"), "{a:#}");
    let b = &articles(v)[1];
    assert_eq!(field(b, "title"), "长江口禁捕水域巡查常态化");
    assert_eq!(field(b, "source"), "新华社");
}
