//! Bytes to text. The encoding is detected, never assumed: a byte-order mark first, then
//! UTF-16 without a mark (every other byte zero), then UTF-8, then a statistical detector
//! (chardetng) for the legacy Chinese encodings GB18030/GBK/GB2312 and Big5. A file whose
//! encoding cannot be told with confidence is refused with the reason, never indexed as
//! mojibake; a file with only a few bad byte sequences is decoded with replacement characters
//! and flagged.

use encoding_rs::{Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// Decoded text and how it was decoded.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Number of byte sequences that were invalid and replaced with U+FFFD.
    pub replaced: usize,
}

/// Why a file was not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("looks like a binary file (it has NUL bytes), not text")]
    Binary,
    #[error("cannot tell the encoding: as {guess} {bad} of {total} characters are invalid; if you know it, pass --encoding (e.g. --encoding gbk or --encoding big5)")]
    Unknown {
        guess: &'static str,
        bad: usize,
        total: usize,
    },
}

/// Share of replaced characters above which a decoding is refused rather than flagged.
const MAX_REPLACED_SHARE: f64 = 0.01;

/// [`decode_bytes`], and when the encoding cannot be told from the bytes, the charset the
/// file declares ([`declared_charset`]): a page with a few broken pairs in its GBK.
pub fn decode_file(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    let declared = declared_charset(bytes);
    match decode_detected(bytes, forced, declared) {
        Err(e @ DecodeError::Unknown { .. }) => declared
            .and_then(|declared| decode_declared(bytes, declared))
            .ok_or(e),
        other => other,
    }
}

/// The charset a page or an XML file declares (`<meta charset=gb2312>`, `encoding="gbk"`),
/// read from its first 4 KB.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head
        .find("charset=")
        .map(|i| i + 8)
        .or_else(|| head.find("encoding=").map(|i| i + 9))?;
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    encoding_for_label(&label)
}

/// Looks up an encoding name as users write it (`gbk`, `GB2312`, `big5`, `utf-16le`).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Decodes `bytes`, with `forced` overriding detection (`index --encoding NAME`).
pub fn decode_bytes(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    decode_detected(bytes, forced, None)
}

/// The region a declared charset speaks for, as the detector weighs a page's domain: a
/// page that says Big5 is more likely Taiwan's or Hong Kong's than the mainland's.
fn region_hint(declared: Option<&'static Encoding>) -> Option<&'static [u8]> {
    match declared {
        Some(e) if e == BIG5 => Some(b"tw"),
        Some(e) if e == GB18030 || e == encoding_rs::GBK => Some(b"cn"),
        _ => None,
    }
}

/// [`decode_bytes`], the detector told what the file declares: a declaration is a hint,
/// not a verdict (pages declare one charset and are another), so it only tips a close call
/// (a Big5 page with stretches of UTF-8 that look like GBK).
fn decode_detected(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    declared: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(encoding) = forced {
        return Ok(decode_with(encoding, bytes));
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..]));
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return Ok(decode_with(encoding, bytes));
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
            replaced: 0,
        });
    }
    // Mostly UTF-8 with a few broken sequences (a truncated download, a bad copy-paste):
    // UTF-8 with the broken bytes replaced, flagged, beats any legacy guess, which would turn
    // every valid character into mojibake. "Mostly" means ten valid multi-byte characters
    // per broken sequence at least: GBK or Big5 bytes read as UTF-8 give almost no valid
    // multi-byte character, so this cannot mistake them for UTF-8.
    let utf8 = decode_with(UTF_8, bytes);
    let multibyte = utf8
        .text
        .chars()
        .filter(|c| c.len_utf8() > 1 && *c != '\u{FFFD}')
        .count();
    if multibyte >= 8 && utf8.replaced * 10 <= multibyte {
        return Ok(utf8);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&detector_sample(bytes), true);
    let guess = detector.guess(region_hint(declared), true);
    // Chinese news is what we read: prefer the superset GB18030 over GBK/GB2312.
    let guess = if guess == encoding_rs::GBK {
        GB18030
    } else {
        guess
    };
    // A Western single-byte guess for bytes that hold many valid UTF-8 CJK characters is
    // mojibake waiting to happen: a UTF-8 page with a block in another encoding pasted in
    // (a Big5 feed inside a UTF-8 page) reads as UTF-8 with that block replaced and flagged.
    let cjk_guess = [
        GB18030,
        BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
    ];
    if !cjk_guess.contains(&guess) {
        let cjk = utf8
            .text
            .chars()
            .filter(|&c| crate::text::tokenize::is_cjk(c))
            .count();
        if cjk >= 100 && cjk >= utf8.replaced {
            return Ok(utf8);
        }
    }
    let decoded = decode_with(guess, bytes);
    let total = decoded.text.chars().count().max(1);
    if decoded.replaced as f64 / total as f64 > MAX_REPLACED_SHARE || !plausible_text(&decoded.text)
    {
        // A second opinion between the two Chinese legacy encodings before giving up.
        for other in [GB18030, BIG5] {
            if other != guess {
                let retry = decode_with(other, bytes);
                if retry.replaced == 0 && plausible_text(&retry.text) {
                    return Ok(retry);
                }
            }
        }
        return Err(DecodeError::Unknown {
            guess: guess.name(),
            bad: decoded.replaced,
            total,
        });
    }
    if guess == BIG5 && decoded.replaced > 0 {
        // Told as Big5: its user-defined characters are characters, not broken bytes.
        return Ok(decode_big5(bytes));
    }
    Ok(decoded)
}

/// What chardetng needs to tell a legacy encoding: the non-ASCII runs, each with the byte
/// after it (a GBK or Big5 trail byte may be ASCII), up to 64 KB of them, one space between
/// runs. A saved page is mostly ASCII markup and script; reading only its text bytes gives
/// the same guess at a fraction of the cost.
fn detector_sample(bytes: &[u8]) -> Vec<u8> {
    const SAMPLE: usize = 64 * 1024;
    let mut sample = Vec::with_capacity(SAMPLE.min(bytes.len()) + 1);
    let mut previous_high = false;
    for &b in bytes {
        let high = b >= 0x80;
        if high || previous_high {
            sample.push(b);
        } else if sample.last().is_some_and(|&last| last != b' ') {
            sample.push(b' ');
        }
        previous_high = high;
        if sample.len() >= SAMPLE {
            break;
        }
    }
    sample
}

/// When the bytes cannot tell their encoding, a page's declared charset can: decoded with
/// it, a file with at most 5% broken sequences is read with them replaced and flagged (a
/// GBK page with a few lead bytes followed by a space); a worse one gives None.
pub fn decode_declared(bytes: &[u8], declared: &'static Encoding) -> Option<Decoded> {
    // GB2312 and GBK pages hold GB18030's superset more often than not.
    let encoding = if declared == encoding_rs::GBK {
        GB18030
    } else {
        declared
    };
    // Big5 with user-defined characters decodes cleanly once they are read as CP950 does.
    if encoding == BIG5 {
        let decoded = decode_big5(bytes);
        if decoded.replaced == 0 {
            return Some(decoded);
        }
    }
    let decoded = decode_with(encoding, bytes);
    let total = decoded.text.chars().count().max(1);
    (decoded.replaced * 20 <= total && plausible_text(&decoded.text)).then_some(decoded)
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        replaced,
    }
}

/// Big5 as Taiwan and Hong Kong write it: Big5-HKSCS (encoding_rs), and the user-defined
/// areas of Microsoft's CP950 (`0x8140`-`0xA0FE`, `0xC6A1`-`0xC8FE`, `0xFA40`-`0xFEFE`),
/// where sites and newsrooms put rare characters of names and places, read as the
/// private-use characters CP950 maps them to instead of replacement characters.
fn decode_big5(bytes: &[u8]) -> Decoded {
    use encoding_rs::DecoderResult;
    let mut decoder = BIG5.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let mut replaced = 0;
    let mut at = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut text, true);
        at += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(bytes.len() - at + 16),
            DecoderResult::Malformed(bad, after) => {
                let end = at - after as usize;
                let lead = bytes[end - bad as usize];
                // An ASCII trail byte is not consumed with its lead: it comes next.
                let trail = if bad >= 2 {
                    Some(bytes[end - bad as usize + 1])
                } else {
                    bytes
                        .get(end)
                        .copied()
                        .filter(|b| (0x40..=0x7E).contains(b))
                };
                match trail.and_then(|t| cp950_user_defined(lead, t)) {
                    Some(c) => {
                        text.push(c);
                        if bad < 2 {
                            at += 1;
                        }
                    }
                    None => {
                        text.push('\u{FFFD}');
                        replaced += 1;
                    }
                }
            }
        }
    }
    Decoded {
        text,
        encoding: BIG5.name(),
        replaced,
    }
}

/// The private-use character CP950 gives a user-defined Big5 code (lead, trail), if it is one.
fn cp950_user_defined(lead: u8, trail: u8) -> Option<char> {
    let column = match trail {
        0x40..=0x7E => u32::from(trail - 0x40),
        0xA1..=0xFE => u32::from(trail - 0xA1) + 63,
        _ => return None,
    };
    let (base, first_lead, first_column) = match lead {
        0xFA..=0xFE => (0xE000, 0xFA, 0),
        0x8E..=0xA0 => (0xE311, 0x8E, 0),
        0x81..=0x8D => (0xEEB8, 0x81, 0),
        // C6A1-C8FE: row C6 starts at A1 (its lower half holds ordinary characters).
        0xC6 if trail >= 0xA1 => (0xF6B1, 0xC6, 63),
        0xC7..=0xC8 => (0xF6B1 + 94, 0xC7, 0),
        _ => return None,
    };
    let offset = u32::from(lead - first_lead) * 157 + column - first_column;
    char::from_u32(base + offset)
}

/// UTF-16 without a byte-order mark: text in CJK or Latin has many zero bytes on one side.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // ASCII-heavy UTF-16 has a zero in nearly every pair; CJK-heavy UTF-16 has none, so also
    // accept a decoding that yields mostly CJK characters and no unpaired surrogates.
    if zero_odd * 10 > pairs * 3 && zero_even * 10 < pairs {
        return Some(UTF_16LE);
    }
    if zero_even * 10 > pairs * 3 && zero_odd * 10 < pairs {
        return Some(UTF_16BE);
    }
    None
}

/// Decoded text that reads like text: mostly CJK, Latin, digits, punctuation and white space,
/// not private-use or control characters.
fn plausible_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in text.chars().take(20_000) {
        total += 1;
        let u = c as u32;
        let fine = c.is_ascii()
            || crate::text::tokenize::is_cjk(c)
            || (0x3000..=0x303F).contains(&u)
            || (0xFF00..=0xFFEF).contains(&u)
            || (0x2000..=0x206F).contains(&u)
            || c.is_alphabetic();
        if !fine || c.is_control() && !c.is_whitespace() {
            odd += 1;
        }
    }
    total > 0 && (odd as f64) / (total as f64) < 0.05
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_few_broken_bytes_stays_utf8() {
        let mut bytes = "北京冬奥会场馆赛后利用率持续提升,".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFE, 0xC3]);
        bytes.extend_from_slice("首钢滑雪大跳台成为城市新地标。".as_bytes());
        let d = decode_bytes(&bytes, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.replaced >= 1);
        assert!(d.text.contains("首钢滑雪大跳台"));
    }

    const ARTICLE: &str = "深圳:2025年打造形成4个万亿级产业集群,人工智能升格单列为1个产业集群。新增低空经济与空天产业集群。";
    const TRADITIONAL: &str =
        "前三季度規模以上工業增加值同比增長5.8%,裝備製造業、高技術製造業增長較快。";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode_bytes(ARTICLE.as_bytes(), None).unwrap().text,
            ARTICLE
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(ARTICLE.as_bytes());
        assert_eq!(decode_bytes(&bom, None).unwrap().text, ARTICLE);
    }

    #[test]
    fn utf16_with_bom_and_without() {
        // encoding_rs only decodes UTF-16, so the bytes are built by hand
        let units: Vec<u16> = ARTICLE.encode_utf16().collect();
        let mut with_bom = vec![0xFF, 0xFE];
        for u in &units {
            with_bom.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_bytes(&with_bom, None).unwrap().text, ARTICLE);
        let ascii_heavy = "Shenzhen 2025: AI cluster, 5G and C919 深圳";
        let mut be = Vec::new();
        for u in ascii_heavy.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode_bytes(&be, None).unwrap();
        assert_eq!(d.text, ascii_heavy);
        assert_eq!(d.encoding, "UTF-16BE");
    }

    #[test]
    fn gbk_and_big5_are_detected() {
        let (gbk, _, _) = GB18030.encode(ARTICLE);
        let d = decode_bytes(&gbk, None).unwrap();
        assert_eq!(d.text, ARTICLE);
        assert_eq!(d.encoding, "gb18030");
        let (big5, _, bad) = BIG5.encode(TRADITIONAL);
        assert!(!bad);
        let d = decode_bytes(&big5, None).unwrap();
        assert_eq!(d.text, TRADITIONAL);
        assert_eq!(d.encoding, "Big5");
    }

    #[test]
    fn empty_binary_and_undecidable_input_is_refused() {
        assert_eq!(decode_bytes(b"", None).unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode_bytes(
                &[0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0x13],
                None
            )
            .unwrap_err(),
            DecodeError::Binary
        );
        // Bytes that are invalid in UTF-8, GB18030 and Big5 alike (0xFF never starts a
        // character in any of them).
        let noise: Vec<u8> = (0..400).flat_map(|_| [0x81u8, 0xFF, 0xFE, 0xFF]).collect();
        assert!(matches!(
            decode_bytes(&noise, None),
            Err(DecodeError::Unknown { .. })
        ));
    }

    #[test]
    fn a_utf8_page_with_a_big5_block_stays_utf8() {
        let mut bytes = "深圳发布低空经济产业发展规划，推动无人机物流和城市空中交通。"
            .repeat(8)
            .into_bytes();
        let block = "今日新聞網，即時新聞報導。".repeat(12);
        let (big5, _, _) = BIG5.encode(&block);
        bytes.extend_from_slice(&big5);
        let d = decode_bytes(&bytes, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("深圳发布低空经济"));
        assert!(d.replaced > 0);
    }

    #[test]
    fn a_few_bad_sequences_are_replaced_and_counted() {
        let long = ARTICLE.repeat(20);
        let (gbk, _, _) = GB18030.encode(&long);
        let mut bytes = gbk.into_owned();
        bytes.push(0xFF);
        let d = decode_bytes(&bytes, None).unwrap();
        assert_eq!(d.replaced, 1);
        assert!(d.text.starts_with(ARTICLE));
    }

    #[test]
    fn a_declared_charset_reads_a_page_with_a_few_broken_pairs() {
        let long = format!("<meta charset=gb2312><p>{}</p>", ARTICLE.repeat(10));
        let (gbk, _, _) = GB18030.encode(&long);
        let mut bytes = gbk.into_owned();
        // A lead byte followed by a space, which no Chinese codec accepts; then more text.
        bytes.extend_from_slice(&[0xB0, 0x20, 0xCA, 0x20]);
        let (more, _, _) = GB18030.encode(ARTICLE);
        bytes.extend_from_slice(&more);
        let d = decode_declared(&bytes, Encoding::for_label(b"gb2312").unwrap()).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert!(d.replaced >= 1);
        assert!(d.text.contains("新增低空经济与空天产业集群"));
    }

    #[test]
    fn a_declared_charset_tips_a_close_call() {
        // A Big5 page whose template writes one link in UTF-8: no Big5 decoder reads it
        // cleanly, so the detector alone cannot tell it (a longer page like it was even
        // taken for GB18030, and read as mojibake); told what the page declares, it reads Big5.
        let mut bytes = b"<html><head><meta charset=big5></head><body><p>".to_vec();
        let paragraphs = [
            "國光客運新開北宜高三條新路線，今天開放免費試乘第二天，人潮較昨天銳減，但仍發生零星衝突。",
            "因為國光開放沒拿到試乘券的民眾，仍可現場排隊補位上車，讓排隊人潮越來越長，現場一度火爆。",
            "公路總局監理組營業科長一早六時左右就到圓山捷運站了解發車情況，他強調昨天發出的班車已違規。",
            "記者今天清晨到現場觀察，在現場排隊的民眾約有七成沒有試乘券，至少要排半小時左右才能上車。",
        ];
        for p in paragraphs.iter().cycle().take(20) {
            bytes.extend_from_slice(&BIG5.encode(p).0);
            bytes.extend_from_slice(b"<p>");
        }
        for _ in 0..2 {
            bytes.extend_from_slice("<a href='#c' title='討論'>討論</a>".as_bytes());
        }
        bytes.extend_from_slice(b"</body></html>");
        assert!(decode_detected(&bytes, None, None).is_err());
        let told = decode_detected(&bytes, None, declared_charset(&bytes)).unwrap();
        assert_eq!(told.encoding, "Big5");
        assert!(told.text.contains("國光客運新開"), "{}", told.text);
        assert_eq!(decode_file(&bytes, None).unwrap().encoding, "Big5");
    }

    #[test]
    fn forced_encoding_wins() {
        let (gbk, _, _) = GB18030.encode(ARTICLE);
        let d = decode_bytes(&gbk, encoding_for_label("gbk")).unwrap();
        assert_eq!(d.text, ARTICLE);
    }
}
