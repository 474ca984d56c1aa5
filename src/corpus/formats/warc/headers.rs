//! The header block of a WARC record or of the HTTP response inside it, read by hand: the
//! tolerant reading that real crawls need (bare LF line ends, folded lines, HTTP/2 status
//! lines, lines without a colon skipped). `bench/parsers.sh` compiles this file to measure it
//! against `httparse`.

pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Header lines from `start` (the version or status line first, skipped) to the blank line:
/// the headers and where the content starts. CRLF or bare LF line ends. None when the data
/// ends before the blank line.
pub fn parse_headers(data: &[u8], start: usize) -> Option<(Vec<(String, String)>, usize)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut pos = start;
    let mut first = true;
    loop {
        let eol = find_bytes(&data[pos..], b"\n")? + pos;
        let line = &data[pos..eol];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos = eol + 1;
        if line.is_empty() {
            return Some((headers, pos));
        }
        if std::mem::take(&mut first) {
            continue;
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with([' ', '\t']) {
            // A folded continuation of the previous header.
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
}

/// The status code of an HTTP response's first line (`HTTP/1.1 200 OK`, `HTTP/2 200`); 0
/// when it has none.
pub fn status_of(block: &[u8]) -> u16 {
    let first = block.split(|&b| b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(first)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}
