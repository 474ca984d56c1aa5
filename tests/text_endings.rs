//! Where a text ends, and text spaced out character by character: pages written here for the
//! test, read through the real binary.

mod common;

use std::fs;

use common::*;

/// A page whose text ends with an advert's link, the site's 打喷嚏链接-style link line, a
/// widget's label and the 来源 line that credits it.
const ENDS_WITH_FURNITURE: &str =
    "<html><head><meta charset=\"utf-8\"><title>江门开通首条跨海公交线路</title></head><body>\
<h1>江门开通首条跨海公交线路</h1>\
<div class=\"text\">\
<p>江门市今天开通首条跨海公交线路，连接新会区与台山市，全程约四十公里，每天往返二十班。</p>\
<p>市交通运输局介绍，线路采用新能源公交车，票价与市内公交相同，市民可使用交通卡乘车。</p>\
<p>沿线居民表示，过去往返需要换乘两次，现在一趟车就能到达，出行时间缩短了一半。</p>\
<p>冬装促销低至五折，更有好礼等待您！http://shop.example.com/item?id=46</p>\
<p>原文链接：http://news.example.com/2024/0510/a.html</p>\
<p>分享工具</p>\
<p>本文来源：江门日报</p>\
</div></body></html>";

/// A page that puts a space after every character, as some broadcasters' old pages do.
const SPACED_OUT: &str = "<html><head><meta charset=\"utf-8\"><title> 一 名 休 班 警 涉 嫌 盜 竊 被 捕 </title></head><body>\
<h1> 一 名 休 班 警 涉 嫌 盜 竊 被 捕 </h1>\
<div class=\"text\"><p>旺 角 發 生 一 宗 企 圖 車 內 盜 竊 案 ， 一 名 休 班 警 員 被 捕 。</p>\
<p>凌 晨 約 3 時 ， 有 途 人 在 旺 角 一 個 停 車 場 發 現 一 名 男 子 形 跡 可 疑 ， 於 是 向 巡 邏 警 員 報 案 。</p>\
<p>涉 案 男 子 為 一 名 30 歲 休 班 警 員 ， 現 時 已 獲 准 保 釋 候 查 ， 須 於 明 年 一 月 返 警 署 報 到 。</p>\
</div></body></html>";

#[test]
fn the_text_ends_with_its_last_paragraph_and_its_credit_names_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("jiangmen.html");
    fs::write(&page, ENDS_WITH_FURNITURE).unwrap();
    let file = inspect_json(std::slice::from_ref(&page)).remove(0);
    let a = &articles(&file)[0];
    let body = field(a, "body");
    assert!(
        body.trim_end().ends_with("出行时间缩短了一半。"),
        "the text ends with its last paragraph: {body:?}"
    );
    for gone in ["冬装促销", "原文链接", "分享工具", "本文来源"] {
        assert!(
            !body.contains(gone),
            "{gone} is not the article's: {body:?}"
        );
    }
    assert_eq!(field(a, "source"), "江门日报", "{a}");
}

#[test]
fn spaced_out_chinese_is_found_by_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    fs::write(corpus.join("rthk-style.html"), SPACED_OUT).unwrap();
    let index = dir.path().join("index");
    build(&corpus, &index);
    for word in ["旺角", "休班警", "約3時"] {
        let v = query_json(&index, &[word]);
        assert_eq!(total(&v), 1, "{word}: {v}");
    }
    let v = query_json(&index, &["盜竊被捕"]);
    assert_eq!(v["hits"][0]["title"], "一名休班警涉嫌盜竊被捕", "{v}");
}
