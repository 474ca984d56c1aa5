//! Nesting depth of a page, bounded before it is parsed.
//!
//! The HTML tree builder (html5ever) checks "is a `<p>` open in button scope?" at each block
//! start tag by walking the stack of open elements, so a page of 100,000 nested `<div>`s costs
//! 100,000 × 100,000 steps (20 s for 600 KB). Browsers bound the tree's depth for the same
//! reason (Blink: 512 levels, `kMaximumHTMLParserDOMTreeDepth`). This pass does the same on the
//! text, in one linear scan: it follows the start and end tags the way the tree builder nests
//! them, and beyond [`MAX_DEPTH`] counted open elements it leaves out further start tags (and their end
//! tags). The text between them is kept, so nothing a reader sees is lost; a page that never
//! nests that deep (every real one) passes unchanged, byte for byte.
//!
//! The model is an estimate on the safe side for real pages: elements whose end tag is
//! optional (`p`, `li`, `td` ...) close themselves in the tree builder and are not counted;
//! an end tag closes up to its element unless a block (`div`, `table` ...) stands between,
//! as the tree builder ignores it then; the content of `script`, `style`, `textarea`,
//! `title`, `svg` and `math` is skipped whole.

use std::borrow::Cow;

/// Counted open elements beyond which further start tags are left out. The tree may be a few
/// times deeper than the count (the `li` in each `ul`, the `tbody`, `tr` and `td` of each
/// table are not counted), so this stays within Blink's 512 levels for lists and well under
/// the depth any real page reaches (`tests/hostile_pages.rs` checks web-dev's pages).
pub const MAX_DEPTH: usize = 256;

/// Elements with no content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
            | "image"
    )
}

/// Elements whose end tag may be left out: the tree builder closes them itself, so they
/// never pile up on the stack.
fn closes_itself(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements whose content is raw text, skipped to their end tag.
fn skipped_whole(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

/// The tree builder's "special" elements: an end tag of another kind stops at them.
fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "article"
            | "aside"
            | "blockquote"
            | "button"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "nav"
            | "object"
            | "ol"
            | "plaintext"
            | "pre"
            | "search"
            | "section"
            | "select"
            | "summary"
            | "table"
            | "template"
            | "ul"
    )
}

/// Elements that bound an element's scope: a block's end tag does not close across them.
fn bounds_scope(name: &str) -> bool {
    matches!(
        name,
        "applet" | "marquee" | "object" | "table" | "template" | "svg" | "math"
    )
}

/// HTML start tags that close an open SVG or MathML element (the tree builder's list).
fn breaks_out_of_foreign(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
            | "font"
    )
}

/// Start tags that close an open element of the same kind first (`<a>` in an `<a>`).
fn closes_its_kind(name: &str) -> bool {
    matches!(
        name,
        "a" | "nobr" | "button" | "form" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    )
}

/// Formatting elements: an end tag closes them across blocks (the adoption agency).
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// A tag as the scanner sees it: its lower-case name, whether it is an end tag, and the byte
/// just after its `>`.
struct Tag {
    name: String,
    end: bool,
    /// `<path/>`: honoured inside SVG and MathML only, as the tree builder does.
    self_closing: bool,
    after: usize,
}

/// The tag starting at `at` (a `<`), if it is one; markup declarations and comments give
/// `None` with the scan moved past them through `skip_to`.
fn tag_at(b: &[u8], at: usize) -> Result<Tag, usize> {
    let mut i = at + 1;
    if b.get(i) == Some(&b'!') {
        if b[i..].starts_with(b"!--") {
            return Err(find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3));
        }
        return Err(find(b, i, b">").map_or(b.len(), |e| e + 1));
    }
    if b.get(i) == Some(&b'?') {
        return Err(find(b, i, b">").map_or(b.len(), |e| e + 1));
    }
    let end = b.get(i) == Some(&b'/');
    if end {
        i += 1;
    }
    if !b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(at + 1);
    }
    let start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = String::from_utf8_lossy(&b[start..i]).to_ascii_lowercase();
    // Attributes: a quoted value may hold `>`.
    let mut quote = None;
    let mut after_eq = false;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'>' => {
                return Ok(Tag {
                    name,
                    end,
                    self_closing: i > start && b[i - 1] == b'/',
                    after: i + 1,
                })
            }
            None if (c == b'"' || c == b'\'') && after_eq => quote = Some(c),
            None => {}
        }
        if quote.is_none() && !c.is_ascii_whitespace() {
            after_eq = c == b'=';
        }
        i += 1;
    }
    Ok(Tag {
        name,
        end,
        self_closing: false,
        after: b.len(),
    })
}

/// The first `needle` at or after `from`, ASCII case aside.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// Formatting elements kept for the tree builder to open again (its list of active
/// formatting elements) beyond which further ones are left out. The tree builder opens
/// every one of them again after each block that closed them, so without a bound a page of
/// unclosed `<b id=N>` costs nodes quadratic in its size.
pub const MAX_FORMATTING: usize = 12;

/// The scanner's model of the tree builder: open elements, active formatting elements (by
/// their whole tag, as the tree builder tells them apart), and what is left out.
#[derive(Default)]
struct Nesting {
    open: Vec<String>,
    active: Vec<(String, String)>,
    /// Names of start tags left out, by how many are waiting for their end tag.
    dropped: std::collections::HashMap<String, usize>,
    /// Byte ranges to leave out.
    cuts: Vec<(usize, usize)>,
}

impl Nesting {
    fn end_tag(&mut self, tag: &Tag, at: usize) {
        if let Some(n) = self.dropped.get_mut(&tag.name).filter(|n| **n > 0) {
            *n -= 1;
            self.cuts.push((at, tag.after));
            return;
        }
        // `</p>` and `</br>` inside SVG or MathML close them, as an HTML start tag does.
        if matches!(tag.name.as_str(), "p" | "br") {
            if let Some(k) = self.open.iter().position(|n| n == "svg" || n == "math") {
                self.open.truncate(k);
            }
        }
        close(&mut self.open, &tag.name);
        if is_formatting(&tag.name) {
            if let Some(k) = self.active.iter().rposition(|(n, _)| *n == tag.name) {
                self.active.remove(k);
            }
        }
    }

    fn start_tag(&mut self, tag: Tag, raw: &str, at: usize) {
        if let Some(k) = self.open.iter().position(|n| n == "svg" || n == "math") {
            // An HTML element inside SVG or MathML closes them; their own elements may
            // close themselves (`<path/>`).
            if breaks_out_of_foreign(&tag.name) {
                self.open.truncate(k);
            } else if tag.self_closing {
                return;
            }
        }
        if is_void(&tag.name) || closes_itself(&tag.name) {
            return;
        }
        if closes_its_kind(&tag.name) {
            close(&mut self.open, &tag.name);
            self.active.retain(|(n, _)| *n != tag.name);
        }
        let formatting = is_formatting(&tag.name);
        if formatting {
            // Three alike at most (the tree builder's "Noah's Ark" clause).
            let alike: Vec<usize> = (0..self.active.len())
                .filter(|&k| self.active[k].1 == raw)
                .collect();
            if alike.len() >= 3 {
                self.active.remove(alike[0]);
            }
        }
        if self.open.len() >= MAX_DEPTH || (formatting && self.active.len() >= MAX_FORMATTING) {
            *self.dropped.entry(tag.name).or_default() += 1;
            self.cuts.push((at, tag.after));
            return;
        }
        if formatting {
            self.active.push((tag.name.clone(), raw.to_string()));
        }
        self.open.push(tag.name);
    }
}

/// The page with its nesting bounded to [`MAX_DEPTH`] open elements and
/// [`MAX_FORMATTING`] active formatting elements: unchanged (borrowed) when it stays within
/// them.
pub fn bound_depth(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut model = Nesting::default();
    let mut i = 0;
    while let Some(lt) = memchr_lt(b, i) {
        let tag = match tag_at(b, lt) {
            Ok(t) => t,
            Err(next) => {
                i = next;
                continue;
            }
        };
        i = tag.after;
        if tag.end {
            model.end_tag(&tag, lt);
        } else if skipped_whole(&tag.name) {
            let mut close_tag = b"</".to_vec();
            close_tag.extend_from_slice(tag.name.as_bytes());
            i = find(b, i, &close_tag).unwrap_or(b.len());
        } else {
            // Tags are ASCII-delimited, so these are character boundaries.
            let raw = text.get(lt..tag.after).unwrap_or_default();
            model.start_tag(tag, raw, lt);
        }
    }
    if model.cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (s, e) in model.cuts {
        out.push_str(&text[from..s]);
        from = e;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// An end tag closes up to its element: a block's across anything but a table (its scope),
/// a formatting element's across anything but a table or a cell (the adoption agency, which
/// leaves the blocks above it open), any other's across anything but a block (the tree
/// builder ignores it then). The walk is bounded by [`MAX_DEPTH`].
fn close(open: &mut Vec<String>, name: &str) {
    let (special, formatting) = (is_special(name), is_formatting(name));
    for k in (0..open.len()).rev() {
        if open[k] == name {
            // Formatting elements above it are opened again at the next tag or text, and
            // blocks opened inside a formatting element stay open (moved out of it).
            let above = open.split_off(k + 1);
            open.pop();
            open.extend(
                above
                    .into_iter()
                    .filter(|n| is_formatting(n) || (formatting && is_special(n))),
            );
            return;
        }
        let stop = if special || formatting {
            bounds_scope(&open[k])
        } else {
            is_special(&open[k])
        };
        if stop {
            return;
        }
    }
}

fn memchr_lt(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == b'<')
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_usual_depth_is_unchanged() {
        let page = "<html><head><title>a<b></title><script>if (a<b) {'<div>'}</script></head>\
<body><div class=\"x>y\"><ul><li>一<li>二</ul><p>深圳<p>广州<svg><g><path/></g></svg></div></body></html>";
        assert!(matches!(bound_depth(page), Cow::Borrowed(_)));
    }

    #[test]
    fn nesting_beyond_the_bound_loses_its_tags_not_its_text() {
        let n = MAX_DEPTH + 300;
        let page = format!(
            "<body>{}<p>深圳发布方案。</p>{}<p>后文。</p></body>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let out = bound_depth(&page);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("<p>深圳发布方案。</p>") && out.contains("<p>后文。</p>"));
    }

    #[test]
    fn end_tags_across_blocks_do_not_hide_depth() {
        // The tree builder ignores `</span>` with a <div> above it: both stay open.
        let page = "<span><div></span>".repeat(MAX_DEPTH);
        let out = bound_depth(&page);
        assert!(out.matches("<div>").count() + out.matches("<span>").count() <= MAX_DEPTH);
    }
}
