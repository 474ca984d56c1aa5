//! HTTP response headers as the WARC reader reads them (its headers.rs compiled here) and as
//! httparse reads them.
use std::time::Instant;

#[path = "../../../src/corpus/formats/warc/headers.rs"]
mod headers;
use headers::{parse_headers, status_of};

type Head = (u16, Vec<(String, String)>, usize);

fn hand(block: &[u8]) -> Option<Head> {
    let (headers, body_start) = parse_headers(block, 0)?;
    let status = status_of(block);
    Some((status, headers, body_start))
}

fn with_httparse(block: &[u8]) -> Result<Option<Head>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 100];
    let mut response = httparse::Response::new(&mut headers);
    let mut config = httparse::ParserConfig::default();
    config.allow_obsolete_multiline_headers_in_responses(true);
    config.allow_spaces_after_header_name_in_responses(true);
    config.allow_multiple_spaces_in_response_status_delimiters(true);
    match config.parse_response(&mut response, block) {
        Ok(httparse::Status::Complete(body_start)) => Ok(Some((
            response.code.unwrap_or(0),
            response
                .headers
                .iter()
                .map(|h| {
                    // Folded values hold the CRLF and indent; warc.rs joins with one space.
                    let v = String::from_utf8_lossy(h.value);
                    let v = v.split(['\r', '\n']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
                    (h.name.trim().to_string(), v)
                })
                .collect(),
            body_start,
        ))),
        Ok(httparse::Status::Partial) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

pub fn run(reps: usize, pages: &[(String, String)]) {
    let head = "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Fri, 10 May 2024 08:00:00 GMT\r\n\
Content-Type: text/html; charset=utf-8\r\nConnection: keep-alive\r\nVary: Accept-Encoding\r\n\
Cache-Control: max-age=60\r\nExpires: Fri, 10 May 2024 08:01:00 GMT\r\nLast-Modified: Fri, 10 May 2024 07:59:00 GMT\r\n\
Set-Cookie: sid=0123456789abcdef; path=/; HttpOnly\r\nX-Cache: HIT from cache.example.cn\r\nAccept-Ranges: bytes\r\n";
    let blocks: Vec<Vec<u8>> = pages
        .iter()
        .map(|(_, p)| format!("{head}Content-Length: {}\r\n\r\n{p}", p.len()).into_bytes())
        .collect();
    let same = blocks.iter().filter(|b| with_httparse(b).ok().flatten() == hand(b)).count();
    println!("http: {} responses ({} KB), httparse reads the same status, headers and body start on {same}", blocks.len(), blocks.iter().map(Vec::len).sum::<usize>() / 1000);
    // The forms WARC files hold that a strict parser may not take.
    let cases: [(&str, &[u8]); 7] = [
        ("bare LF line ends", b"HTTP/1.1 200 OK\nContent-Type: text/html\n\n<html>"),
        ("folded header", b"HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=gbk\r\n\r\n<html>"),
        ("no reason phrase", b"HTTP/1.1 200\r\nContent-Type: text/html\r\n\r\n<html>"),
        ("HTTP/2 status line", b"HTTP/2 200\r\ncontent-type: text/html\r\n\r\n<html>"),
        ("HTTP/2.0 status line", b"HTTP/2.0 200 OK\r\ncontent-type: text/html\r\n\r\n<html>"),
        ("a line with no colon", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nbroken line\r\n\r\n<html>"),
        ("UTF-8 in a header name", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\xe6\x9d\xa5\xe6\xba\x90: x\r\n\r\n<html>"),
    ];
    for (what, block) in cases {
        println!("  {what}: hand {:?}; httparse {:?}", hand(block).map(|h| (h.0, h.1.len(), h.2)), with_httparse(block).map(|o| o.map(|h| (h.0, h.1.len(), h.2))));
    }
    for round in 0..2 {
        let t = Instant::now();
        let mut n = 0;
        for _ in 0..reps * 20 { for b in &blocks { n += hand(b).map_or(0, |h| h.1.len()); } }
        let a = t.elapsed();
        let t = Instant::now();
        let mut m = 0;
        for _ in 0..reps * 20 { for b in &blocks { m += with_httparse(b).ok().flatten().map_or(0, |h| h.1.len()); } }
        let b = t.elapsed();
        let k = (reps * 20 * blocks.len()) as f64;
        println!("http round {round}: hand {:.0} ns a response ({n} headers), httparse {:.0} ns a response ({m} headers)", a.as_secs_f64() * 1e9 / k, b.as_secs_f64() * 1e9 / k);
    }
}
