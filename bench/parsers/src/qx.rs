//! parse_xml with quick-xml's reader for the tokens; the tree built as scan.rs builds it
//! (records do not nest, <p>/<li> close the previous one, an end tag closes the nearest open
//! element of its name), text and attribute values decoded by html_escape as scan.rs does.
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::corpus::fields::local_name;
use crate::scan::{XmlElement, XmlNode, XmlTree};
use crate::RECORD_ELEMENTS;

const VOID_ELEMENTS: [&str; 4] = ["br", "hr", "img", "wbr"];

fn lower(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_ascii_lowercase()
}

pub fn parse_xml(text: &str) -> Result<XmlTree, String> {
    let mut tree = XmlTree {
        elements: vec![XmlElement { name: String::new(), attrs: Vec::new(), children: Vec::new(), parent: 0 }],
    };
    let mut stack: Vec<usize> = vec![0];
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.check_comments = false;
    config.trim_text(false);
    let mut pending = String::new();
    let flush = |tree: &mut XmlTree, stack: &Vec<usize>, pending: &mut String| {
        if !pending.is_empty() {
            let top = *stack.last().unwrap_or(&0);
            let t = html_escape::decode_html_entities(pending.as_str()).into_owned();
            tree.elements[top].children.push(XmlNode::Text(t));
            pending.clear();
        }
    };
    loop {
        let event = reader.read_event().map_err(|e| format!("{e} at {}", reader.buffer_position()))?;
        match event {
            Event::Text(t) => pending.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                pending.push('&');
                pending.push_str(&String::from_utf8_lossy(&r));
                pending.push(';');
            }
            Event::CData(c) => {
                flush(&mut tree, &stack, &mut pending);
                let top = *stack.last().unwrap_or(&0);
                tree.elements[top].children.push(XmlNode::Text(String::from_utf8_lossy(&c).into_owned()));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                flush(&mut tree, &stack, &mut pending);
                let self_closing = matches!(event, Event::Empty(_));
                let name = lower(e.name().as_ref());
                let attrs = e
                    .html_attributes()
                    .with_checks(false)
                    .filter_map(|a| a.ok())
                    .map(|a| (lower(a.key.as_ref()), html_escape::decode_html_entities(&String::from_utf8_lossy(&a.value)).into_owned()))
                    .collect();
                let local = local_name(&name).unwrap_or(&name).to_string();
                if RECORD_ELEMENTS.contains(&local.as_str()) {
                    if let Some(i) = stack.iter().rposition(|&e| e != 0 && tree.elements[e].name == name) {
                        stack.truncate(i);
                    }
                }
                if matches!(local.as_str(), "p" | "li") {
                    if let Some(&top) = stack.last() {
                        if top != 0 && tree.elements[top].name == name {
                            stack.pop();
                        }
                    }
                }
                let parent = *stack.last().unwrap_or(&0);
                let id = tree.elements.len();
                tree.elements.push(XmlElement { name, attrs, children: Vec::new(), parent });
                tree.elements[parent].children.push(XmlNode::Element(id));
                if !self_closing && !VOID_ELEMENTS.contains(&local.as_str()) {
                    stack.push(id);
                }
            }
            Event::End(e) => {
                flush(&mut tree, &stack, &mut pending);
                let name = lower(e.name().as_ref());
                if let Some(i) = stack.iter().rposition(|&e| e != 0 && tree.elements[e].name == name) {
                    stack.truncate(i);
                }
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {
                flush(&mut tree, &stack, &mut pending)
            }
            Event::Eof => break,
        }
    }
    flush(&mut tree, &stack, &mut pending);
    Ok(tree)
}
