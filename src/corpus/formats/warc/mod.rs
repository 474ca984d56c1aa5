//! WARC web archives, gzipped or not: each `response` (HTTP 2xx, HTML) or HTML `resource`
//! record is one page, read from the undecoded bytes before any decoding (each page is
//! decoded on its own downstream).

mod headers;

use std::io::Read;

use headers::{find_bytes, parse_headers, status_of};

use super::record::{Record, RecordBody, Records};
use super::{FileFormat, Format, Found, Input, Kind, Probe};
use crate::corpus::FileProblem;

/// A WARC file.
pub struct Warc;

impl FileFormat for Warc {
    fn name(&self) -> &'static str {
        "warc"
    }

    fn kind(&self) -> Kind {
        Kind::Archive
    }

    /// By its first bytes (`WARC/1.`), or gzip data named `.warc.gz` or inflating to `WARC/`.
    fn detect(&self, probe: &Probe) -> bool {
        is_warc(probe.rel, probe.bytes)
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        Ok(Found::Records(read_warc(input.bytes)))
    }
}

/// `--format warc`.
pub const WARC: Format = Format(&Warc);

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

fn is_warc(rel_path: &str, bytes: &[u8]) -> bool {
    if bytes.starts_with(b"WARC/1.") {
        return true;
    }
    if !bytes.starts_with(&GZIP_MAGIC) {
        return false;
    }
    let name = rel_path.to_ascii_lowercase();
    if name.ends_with(".warc.gz") || name.ends_with(".warc") {
        return true;
    }
    let mut head = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(bytes)
        .take(8)
        .read_to_end(&mut head);
    head.starts_with(b"WARC/")
}

// Read by hand rather than with the `warc` crate: its reader silently ends at a record cut off
// inside its headers (a truncated download gives no error), loses its place for good after
// one wrong Content-Length, insists on CRLF line ends, and opens gzip only from a path. WARC
// is simple (a version line, headers, a blank line, Content-Length bytes, CRLF CRLF), so this
// reader reports each bad record and finds the next `WARC/1.` line to go on.

/// Inflated size at which a gzipped WARC is cut (a bomb, or far more than one file should be).
const MAX_INFLATED: u64 = 1 << 30;

fn read_warc(bytes: &[u8]) -> Records {
    let mut problems = Vec::new();
    let inflated;
    let data: &[u8] = if bytes.starts_with(&GZIP_MAGIC) {
        inflated = inflate(bytes, &mut problems);
        &inflated
    } else {
        bytes
    };
    let records = warc_records(data, &mut problems);
    Records {
        format: Warc.name(),
        records,
        problems,
    }
}

/// The page records of uncompressed WARC data, each record that cannot be read one line in
/// `problems`.
fn warc_records(data: &[u8], problems: &mut Vec<String>) -> Vec<Record> {
    let mut records = Vec::new();
    let mut pos = 0;
    let mut ordinal = 0;
    loop {
        while pos < data.len() && data[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= data.len() {
            break;
        }
        if !data[pos..].starts_with(b"WARC/") {
            problems.push(format!(
                "byte {pos}: expected a WARC record (WARC/1.x), found other data; skipped to the next record"
            ));
            match find_bytes(&data[pos..], b"\nWARC/") {
                Some(i) => {
                    pos += i + 1;
                    continue;
                }
                None => break,
            }
        }
        ordinal += 1;
        let start = pos;
        let Some((headers, body_start)) = parse_headers(data, pos) else {
            problems.push(format!(
                "WARC record {ordinal} (byte {start}): truncated inside its headers"
            ));
            break;
        };
        let header = |name: &str| -> Option<&str> {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let Some(length) = header("content-length").and_then(|v| v.trim().parse::<usize>().ok())
        else {
            problems.push(format!(
                "WARC record {ordinal} (byte {start}): no valid Content-Length; skipped"
            ));
            match find_bytes(&data[body_start..], b"\nWARC/") {
                Some(i) => {
                    pos = body_start + i + 1;
                    continue;
                }
                None => break,
            }
        };
        let available = data.len() - body_start;
        if length > available {
            problems.push(format!(
                "WARC record {ordinal} (byte {start}): truncated: Content-Length says {length} \
                 bytes, {available} are left"
            ));
            break;
        }
        let block = &data[body_start..body_start + length];
        pos = body_start + length;

        let kind = header("warc-type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let url = header("warc-target-uri")
            .map(|u| {
                u.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .filter(|u| !u.is_empty());
        let payload = match record_payload(&kind, block, header("content-type")) {
            Ok(Some(payload)) => payload,
            Ok(None) => continue,
            Err(why) => {
                problems.push(format!("WARC record {ordinal} (byte {start}): {why}"));
                continue;
            }
        };
        records.push(Record {
            // Its position among all the file's records, as the notes count them.
            n: ordinal,
            url,
            title: None,
            // WARC-Date is when the page was crawled, not when it was published.
            date: None,
            source: None,
            author: None,
            body: RecordBody::Html(payload),
        });
    }
    records
}

/// A gzipped WARC inflated, member by member, up to [`MAX_INFLATED`] bytes; damaged or cut
/// off data keeps what inflated before it, with a problem saying so.
fn inflate(bytes: &[u8], problems: &mut Vec<String>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes).take(MAX_INFLATED);
    if let Err(e) = decoder.read_to_end(&mut out) {
        problems.push(format!(
            "the gzip data is damaged or cut off after {} inflated bytes ({e}); the \
             records before that are read",
            out.len()
        ));
    } else if out.len() as u64 >= MAX_INFLATED {
        problems.push(format!(
            "inflated data stops at the {MAX_INFLATED}-byte limit; the records after it are not read"
        ));
    }
    out
}

/// The page a WARC record of type `kind` carries: a successful HTML `response`'s body, or an
/// HTML `resource`; Ok(None) for records that are no article.
fn record_payload(
    kind: &str,
    block: &[u8],
    content_type: Option<&str>,
) -> Result<Option<Vec<u8>>, String> {
    match kind {
        "response" => http_payload(block),
        "resource" => {
            let content_type = content_type.unwrap_or("");
            if !(is_html_type(content_type) || (content_type.is_empty() && sniff_html(block))) {
                return Ok(None);
            }
            Ok(Some(block.to_vec()))
        }
        // warcinfo, request, metadata, revisit, conversion: not articles.
        _ => Ok(None),
    }
}

fn is_html_type(content_type: &str) -> bool {
    content_type.to_ascii_lowercase().contains("html")
}

fn sniff_html(payload: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&payload[..payload.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<html")
}

/// The HTML body of an HTTP response block: Ok(None) for what is not an article (not HTML,
/// not a success), Err for a response that cannot be read.
fn http_payload(block: &[u8]) -> Result<Option<Vec<u8>>, String> {
    if !block.starts_with(b"HTTP/") {
        // dns: and other non-HTTP responses.
        return Ok(None);
    }
    let Some((headers, body_start)) = parse_headers(block, 0) else {
        return Err("HTTP response cut off inside its headers".to_string());
    };
    let status = status_of(block);
    if !(200..300).contains(&status) {
        // Redirects and error pages are not articles.
        return Ok(None);
    }
    let header = |name: &str| -> Option<&str> {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let body = &block[body_start..];
    match header("content-type") {
        Some(t) if !is_html_type(t) => return Ok(None),
        None if !sniff_html(body) && header("content-encoding").is_none() => return Ok(None),
        _ => {}
    }
    let mut payload = if header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        dechunk(body).ok_or_else(|| "chunked HTTP body is damaged".to_string())?
    } else {
        body.to_vec()
    };
    if let Some(encoding) = header("content-encoding") {
        let encoding = encoding.trim().to_ascii_lowercase();
        let mut out = Vec::new();
        let result = match encoding.as_str() {
            "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(payload.as_slice())
                .take(MAX_INFLATED)
                .read_to_end(&mut out),
            "deflate" => flate2::read::ZlibDecoder::new(payload.as_slice())
                .take(MAX_INFLATED)
                .read_to_end(&mut out)
                .or_else(|_| {
                    out.clear();
                    flate2::read::DeflateDecoder::new(payload.as_slice())
                        .take(MAX_INFLATED)
                        .read_to_end(&mut out)
                }),
            "" | "identity" => Ok(0),
            other => {
                return Err(format!(
                    "HTTP body in Content-Encoding `{other}`, which is not read"
                ))
            }
        };
        match result {
            Ok(_) if !matches!(encoding.as_str(), "" | "identity") => payload = out,
            Ok(_) => {}
            Err(e) => return Err(format!("HTTP body in {encoding} cannot be inflated ({e})")),
        }
        if header("content-type").is_none() && !sniff_html(&payload) {
            return Ok(None);
        }
    }
    Ok(Some(payload))
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body. A body cut off after whole
/// chunks keeps them; None when a chunk size line is unreadable.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let Some(eol) = find_bytes(&body[pos..], b"\n").map(|i| pos + i) else {
            return Some(out);
        };
        let line = String::from_utf8_lossy(&body[pos..eol]);
        let size_text = line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        pos = eol + 1;
        if size == 0 {
            return Some(out);
        }
        let end = pos.checked_add(size)?.min(body.len());
        out.extend_from_slice(&body[pos..end]);
        pos = end;
        if pos >= body.len() {
            return Some(out);
        }
        // The CRLF after the chunk data.
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::record::Records;
    use super::super::testing::*;
    use std::io::Write;

    fn warc_record(kind: &str, id: usize, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\n\
             WARC-Date: 2024-05-10T08:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    const PAGE_ONE: &str = "<!DOCTYPE html><html><head><title>合肥发布新能源汽车产业规划</title></head><body><p>合肥市今天发布新能源汽车产业规划。</p></body></html>";
    const PAGE_TWO: &str = "<html><body><h1>芜湖港集装箱吞吐量增长</h1><p>芜湖港一季度集装箱吞吐量同比增长12%。</p></body></html>";

    /// warcinfo, request, two responses (the second chunked), then a response cut off.
    fn warc_members() -> Vec<Vec<u8>> {
        let info = warc_record(
            "warcinfo",
            1,
            "",
            "application/warc-fields",
            b"software: test\r\nformat: WARC File Format 1.0\r\n",
        );
        let request = warc_record(
            "request",
            2,
            "https://news.example.cn/ah/1.html",
            "application/http; msgtype=request",
            b"GET /ah/1.html HTTP/1.1\r\nHost: news.example.cn\r\n\r\n",
        );
        let mut one = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
        one.extend_from_slice(PAGE_ONE.as_bytes());
        let one = warc_record(
            "response",
            3,
            "https://news.example.cn/ah/1.html",
            "application/http; msgtype=response",
            &one,
        );
        let (head, tail) = PAGE_TWO.as_bytes().split_at(20);
        let mut two =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_vec();
        write!(two, "{:x}\r\n", head.len()).unwrap();
        two.extend_from_slice(head);
        write!(two, "\r\n{:x};ext=1\r\n", tail.len()).unwrap();
        two.extend_from_slice(tail);
        two.extend_from_slice(b"\r\n0\r\n\r\n");
        let two = warc_record(
            "response",
            4,
            "<https://news.example.cn/ah/2.html>",
            "application/http; msgtype=response",
            &two,
        );
        let mut three = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        three.extend_from_slice(PAGE_ONE.as_bytes());
        let mut three = warc_record(
            "response",
            5,
            "https://news.example.cn/ah/3.html",
            "application/http; msgtype=response",
            &three,
        );
        three.truncate(three.len() - 60);
        vec![info, request, one, two, three]
    }

    fn check_warc(records: &Records) {
        assert_eq!(records.format, "warc");
        assert_eq!(records.records.len(), 2, "{:?}", records.problems);
        let first = &records.records[0];
        assert_eq!(
            first.n, 3,
            "its position after the warcinfo and the request, as notes count"
        );
        assert_eq!(
            first.url.as_deref(),
            Some("https://news.example.cn/ah/1.html")
        );
        assert_eq!(first.date, None, "WARC-Date is the crawl date");
        assert_eq!(first.title, None);
        assert_eq!(html(first), PAGE_ONE.as_bytes());
        let second = &records.records[1];
        assert_eq!(second.n, 4);
        assert_eq!(
            second.url.as_deref(),
            Some("https://news.example.cn/ah/2.html")
        );
        assert_eq!(html(second), PAGE_TWO.as_bytes(), "de-chunked");
        assert_eq!(records.problems.len(), 1, "{:?}", records.problems);
        assert!(
            records.problems[0].contains("WARC record 5"),
            "{}",
            records.problems[0]
        );
        assert!(
            records.problems[0].contains("truncated"),
            "{}",
            records.problems[0]
        );
    }

    #[test]
    fn warc_keeps_html_responses_and_reports_the_truncated_record() {
        let members = warc_members();
        let plain: Vec<u8> = members.concat();
        assert_eq!(
            detect_records("crawl/part-0001.warc", &plain, None),
            Some(WARC)
        );
        check_warc(&read_records(WARC, &plain, None, &FieldMap::default()).expect("read"));

        // The same records written by hand are what the warc crate reads as WARC.
        let whole: Vec<u8> = members[..4].concat();
        let parsed = warc::WarcReader::new(std::io::Cursor::new(&whole)).iter_records();
        assert_eq!(parsed.filter(|r| r.is_ok()).count(), 4);
    }

    #[test]
    fn gzipped_warc_is_read_member_by_member() {
        let mut gz = Vec::new();
        for member in warc_members() {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&member).unwrap();
            gz.extend_from_slice(&encoder.finish().unwrap());
        }
        assert_eq!(
            detect_records("crawl/part-0001.warc.gz", &gz, None),
            Some(WARC)
        );
        // Named like anything else, the inflated start still says WARC.
        assert_eq!(detect_records("crawl/part-0001.bin", &gz, None), Some(WARC));
        check_warc(&read_records(WARC, &gz, None, &FieldMap::default()).expect("read"));

        // A gzip stream cut short: the records before the cut are kept, the cut is reported.
        let cut = &gz[..gz.len() - 30];
        let records = read_records(WARC, cut, None, &FieldMap::default()).expect("read");
        assert_eq!(records.records.len(), 2);
        assert!(!records.problems.is_empty());
    }
}
