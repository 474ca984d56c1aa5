//! The hand-written XML scanner (src/corpus/formats/xml/scan.rs, compiled as it is) and the
//! HTTP header reading of WARC records (a copy of warc.rs's parse_headers and status line)
//! against quick-xml, html5ever's tokenizer and httparse: the same trees / headers, and the
//! time each takes. Run by bench/parsers.sh.
use std::time::{Duration, Instant};

mod corpus {
    pub mod fields {
        pub(crate) fn local_name(key: &str) -> Option<&str> {
            key.rsplit_once(':').map(|(_, local)| local).filter(|l| !l.is_empty())
        }
    }
}
/// What scan.rs takes from its parent module (formats::xml).
pub(crate) const RECORD_ELEMENTS: [&str; 5] = ["doc", "item", "entry", "article", "record"];
#[path = "../../../src/corpus/formats/xml/scan.rs"]
mod scan;
mod qx;
mod h5;
mod http;

use scan::{parse_xml, XmlNode, XmlTree};

fn dump(tree: &XmlTree, e: usize, out: &mut String) {
    let el = &tree.elements[e];
    out.push('<');
    out.push_str(&el.name);
    for (k, v) in &el.attrs {
        out.push_str(&format!(" {k}={v:?}"));
    }
    out.push('>');
    let mut text = String::new();
    for c in &el.children {
        match c {
            XmlNode::Text(t) => text.push_str(t),
            XmlNode::Element(c) => {
                if !text.is_empty() { out.push_str(&format!("{:?}", std::mem::take(&mut text))); }
                dump(tree, *c, out)
            }
        }
    }
    if !text.is_empty() { out.push_str(&format!("{text:?}")); }
    out.push_str("</>");
}

/// How long `parse` takes over every file `reps` times, and the elements it counted.
fn timed(reps: usize, files: &[(String, String)], parse: impl Fn(&str) -> usize) -> (Duration, usize) {
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..reps {
        for (_, f) in files {
            n += parse(f);
        }
    }
    (t.elapsed(), n)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args[2].parse().unwrap();
    let files: Vec<(String, String)> = args[3..]
        .iter()
        .filter_map(|p| std::fs::read(p).ok().map(|b| (p.clone(), String::from_utf8_lossy(&b).into_owned())))
        .collect();
    if args[1] == "http" {
        return http::run(reps, &files);
    }
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    // Correctness: the same tree?
    let (mut same, mut differ, mut errors) = (0, 0, 0);
    for (p, t) in &files {
        let mut a = String::new();
        dump(&parse_xml(t), 0, &mut a);
        match qx::parse_xml(t) {
            Ok(tree) => {
                let mut b = String::new();
                dump(&tree, 0, &mut b);
                if a == b { same += 1 } else {
                    differ += 1;
                    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                    let lo = at.saturating_sub(80);
                    eprintln!("DIFFER {p}: hand …{}… quick-xml …{}…", &a[a.floor_char_boundary(lo)..a.floor_char_boundary((at + 80).min(a.len()))], &b[b.floor_char_boundary(lo)..b.floor_char_boundary((at + 80).min(b.len()))]);
                }
            }
            Err(e) => { errors += 1; eprintln!("ERROR {p}: {e}"); }
        }
    }
    println!("xml: {} files, {} KB; same tree {same}, different {differ}, quick-xml error {errors}", files.len(), bytes / 1000);
    let (mut same5, mut differ5) = (0, 0);
    for (p, t) in &files {
        let (mut a, mut b) = (String::new(), String::new());
        dump(&parse_xml(t), 0, &mut a);
        dump(&h5::parse_xml(t), 0, &mut b);
        if a == b { same5 += 1 } else {
            differ5 += 1;
            let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
            let lo = at.saturating_sub(60);
            eprintln!("H5 DIFFER {p}: hand …{}… html5ever …{}…", &a[a.floor_char_boundary(lo)..a.floor_char_boundary((at + 60).min(a.len()))], &b[b.floor_char_boundary(lo)..b.floor_char_boundary((at + 60).min(b.len()))]);
        }
    }
    println!("html5ever tokenizer: same tree (adjacent texts joined) {same5}, different {differ5}");
    for round in 0..3 {
        let (hand, n) = timed(reps, &files, |f| parse_xml(f).elements.len());
        let (h5t, m) = timed(reps, &files, |f| h5::parse_xml(f).elements.len());
        let mb = (bytes * reps) as f64 / 1e6;
        println!("all {} files, round {round}: hand {:.0} MB/s ({n} elements), html5ever tokenizer {:.0} MB/s ({m} elements)", files.len(), mb / hand.as_secs_f64(), mb / h5t.as_secs_f64());
    }
    // Timed on the files both read.
    let files: Vec<(String, String)> = files.into_iter().filter(|(_, t)| qx::parse_xml(t).is_ok()).collect();
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    println!("timed on the {} files quick-xml reads ({} KB), {reps} times", files.len(), bytes / 1000);
    for round in 0..3 {
        let (hand, n) = timed(reps, &files, |f| parse_xml(f).elements.len());
        let (qxt, m) = timed(reps, &files, |f| qx::parse_xml(f).map(|t| t.elements.len()).unwrap_or(0));
        let mb = (bytes * reps) as f64 / 1e6;
        println!("xml round {round}: hand {:.1} ms ({:.0} MB/s, {n} elements), quick-xml {:.1} ms ({:.0} MB/s, {m} elements)",
            hand.as_secs_f64() * 1e3, mb / hand.as_secs_f64(), qxt.as_secs_f64() * 1e3, mb / qxt.as_secs_f64());
    }
}
