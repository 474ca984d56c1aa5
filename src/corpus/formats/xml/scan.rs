//! A tolerant XML scanner for record files. Record files are often not well-formed
//! (unescaped `&` in URLs, unclosed elements, SGML-style TREC files with no root), so this
//! never rejects input: an end tag closes the nearest open element of its name, unclosed
//! elements end with their parent, and a `<` that does not start a tag is text.

use super::RECORD_ELEMENTS;
use crate::corpus::fields::local_name;

/// HTML elements that never have content, written without `/>` inside bodies.
const VOID_ELEMENTS: [&str; 4] = ["br", "hr", "img", "wbr"];

/// Elements whose text starts and ends a paragraph when a field's text is flattened.
const BLOCK_ELEMENTS: [&str; 16] = [
    "p",
    "br",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "para",
    "section",
    "blockquote",
    "hr",
    "pre",
];

/// Deeper nesting than this is ignored when reading text (no input can exhaust the stack).
const MAX_XML_DEPTH: usize = 256;

pub(crate) struct XmlElement {
    /// Lower-cased, with its namespace prefix (`dc:date`).
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<XmlNode>,
    pub(crate) parent: usize,
}

pub(crate) enum XmlNode {
    Element(usize),
    Text(String),
}

pub(crate) struct XmlTree {
    /// Element 0 is the document itself.
    pub(crate) elements: Vec<XmlElement>,
}

impl XmlTree {
    pub(crate) fn local(&self, element: usize) -> &str {
        let name = &self.elements[element].name;
        local_name(name).unwrap_or(name)
    }

    pub(crate) fn depth(&self, mut element: usize) -> usize {
        let mut depth = 0;
        while element != 0 {
            element = self.elements[element].parent;
            depth += 1;
        }
        depth
    }

    pub(crate) fn child_elements(&self, element: usize) -> impl Iterator<Item = usize> + '_ {
        self.elements[element]
            .children
            .iter()
            .filter_map(|c| match c {
                XmlNode::Element(e) => Some(*e),
                XmlNode::Text(_) => None,
            })
    }

    pub(crate) fn attr(&self, element: usize, name: &str) -> Option<&str> {
        self.elements[element]
            .attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text inside an element, markup removed, with line breaks around paragraphs.
    pub(crate) fn text(&self, element: usize) -> String {
        let mut out = String::new();
        self.push_text(element, &mut out, 0);
        out
    }

    fn push_text(&self, element: usize, out: &mut String, depth: usize) {
        if depth > MAX_XML_DEPTH {
            return;
        }
        for child in &self.elements[element].children {
            match child {
                // Layout whitespace between paragraph elements is not a blank line.
                XmlNode::Text(text)
                    if (out.is_empty() || out.ends_with('\n')) && text.trim().is_empty() => {}
                XmlNode::Text(text) => out.push_str(text),
                XmlNode::Element(e) => {
                    let block = BLOCK_ELEMENTS.contains(&self.local(*e));
                    if block && !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    self.push_text(*e, out, depth + 1);
                    if block && !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
        }
    }
}

enum Tag<'a> {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End(String),
    CData(&'a str),
    /// Comments, processing instructions, doctype.
    Skip,
}

pub(crate) fn parse_xml(text: &str) -> XmlTree {
    let mut tree = XmlTree {
        elements: vec![XmlElement {
            name: String::new(),
            attrs: Vec::new(),
            children: Vec::new(),
            parent: 0,
        }],
    };
    let mut stack: Vec<usize> = vec![0];
    let mut text_start = 0;
    let mut pos = 0;
    while let Some(offset) = text[pos..].find('<') {
        let lt = pos + offset;
        let Some((tag, end)) = scan_tag(text, lt) else {
            pos = lt + 1;
            continue;
        };
        let top = *stack.last().unwrap_or(&0);
        push_text(&mut tree, top, &text[text_start..lt]);
        match tag {
            Tag::Skip => {}
            Tag::CData(raw) => tree.elements[top]
                .children
                .push(XmlNode::Text(raw.to_string())),
            Tag::Start {
                name,
                attrs,
                self_closing,
            } => {
                let local = local_name(&name).unwrap_or(&name).to_string();
                // Records do not nest: a record start while one of the same name is open
                // means the earlier one was never closed (SGML-style files).
                if RECORD_ELEMENTS.contains(&local.as_str()) {
                    if let Some(i) = stack
                        .iter()
                        .rposition(|&e| e != 0 && tree.elements[e].name == name)
                    {
                        stack.truncate(i);
                    }
                }
                // As in HTML, a paragraph or list item starts after the previous one ends:
                // unclosed <p>s in a body must not nest hundreds deep.
                if matches!(local.as_str(), "p" | "li") {
                    if let Some(&top) = stack.last() {
                        if top != 0 && tree.elements[top].name == name {
                            stack.pop();
                        }
                    }
                }
                let parent = *stack.last().unwrap_or(&0);
                let id = tree.elements.len();
                tree.elements.push(XmlElement {
                    name,
                    attrs,
                    children: Vec::new(),
                    parent,
                });
                tree.elements[parent].children.push(XmlNode::Element(id));
                if !self_closing && !VOID_ELEMENTS.contains(&local.as_str()) {
                    stack.push(id);
                }
            }
            Tag::End(name) => {
                if let Some(i) = stack
                    .iter()
                    .rposition(|&e| e != 0 && tree.elements[e].name == name)
                {
                    stack.truncate(i);
                }
            }
        }
        pos = end;
        text_start = end;
    }
    let top = *stack.last().unwrap_or(&0);
    push_text(&mut tree, top, &text[text_start..]);
    tree
}

fn push_text(tree: &mut XmlTree, element: usize, raw: &str) {
    if !raw.is_empty() {
        let text = html_escape::decode_html_entities(raw).into_owned();
        tree.elements[element].children.push(XmlNode::Text(text));
    }
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':')
}

/// The tag starting at `lt` (a `<`) and the position after it, or None when this `<` is text.
fn scan_tag(text: &str, lt: usize) -> Option<(Tag<'_>, usize)> {
    let bytes = text.as_bytes();
    let rest = &text[lt + 1..];
    let find_from = |from: usize, pat: &str| text[from..].find(pat).map(|i| from + i);
    if rest.starts_with("!--") {
        let end = find_from(lt + 4, "-->").map_or(text.len(), |i| i + 3);
        return Some((Tag::Skip, end));
    }
    if rest.starts_with("![CDATA[") {
        let start = lt + 9;
        return Some(match find_from(start, "]]>") {
            Some(close) => (Tag::CData(&text[start..close]), close + 3),
            None => (Tag::CData(&text[start..]), text.len()),
        });
    }
    if rest.starts_with('!') || rest.starts_with('?') {
        return find_from(lt + 1, ">").map(|gt| (Tag::Skip, gt + 1));
    }
    let (closing, name_start) = if rest.starts_with('/') {
        (true, lt + 2)
    } else {
        (false, lt + 1)
    };
    if !bytes.get(name_start).copied().is_some_and(is_name_start) {
        return None;
    }
    let mut i = name_start;
    while i < bytes.len() && is_name_char(bytes[i]) {
        i += 1;
    }
    let name = text[name_start..i].to_ascii_lowercase();
    // The rest of the tag up to `>`, minding quoted attribute values. A `<` before the `>`
    // means this was text that looked like a tag (`a<b` in a body).
    let mut quote: Option<u8> = None;
    let mut j = i;
    let gt = loop {
        let b = *bytes.get(j)?;
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'>' => break j,
                b'<' => return None,
                _ => {}
            },
        }
        j += 1;
    };
    if closing {
        return Some((Tag::End(name), gt + 1));
    }
    let inner = &text[i..gt];
    let self_closing = inner.trim_end().ends_with('/');
    Some((
        Tag::Start {
            name,
            attrs: parse_attrs(inner.trim_end().trim_end_matches('/')),
            self_closing,
        },
        gt + 1,
    ))
}

fn parse_attrs(inner: &str) -> Vec<(String, String)> {
    let bytes = inner.as_bytes();
    let mut attrs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && !is_name_start(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && is_name_char(bytes[i]) {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = inner[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attrs.push((name, String::new()));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let start = i + 1;
                let end = inner[start..]
                    .find(q as char)
                    .map_or(inner.len(), |e| start + e);
                i = (end + 1).min(inner.len());
                &inner[start..end]
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                &inner[start..i]
            }
        };
        attrs.push((name, html_escape::decode_html_entities(value).into_owned()));
    }
    attrs
}
