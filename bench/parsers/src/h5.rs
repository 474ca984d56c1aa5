//! parse_xml with html5ever's tokenizer for the tokens (CDATA sections read as in foreign
//! content); the tree built as scan.rs builds it.
use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::corpus::fields::local_name;
use crate::scan::{XmlElement, XmlNode, XmlTree};
use crate::RECORD_ELEMENTS;

const VOID_ELEMENTS: [&str; 4] = ["br", "hr", "img", "wbr"];

struct Sink {
    tree: RefCell<XmlTree>,
    stack: RefCell<Vec<usize>>,
    pending: RefCell<String>,
}

impl Sink {
    fn flush(&self) {
        let mut pending = self.pending.borrow_mut();
        if !pending.is_empty() {
            let top = *self.stack.borrow().last().unwrap_or(&0);
            self.tree.borrow_mut().elements[top].children.push(XmlNode::Text(std::mem::take(&mut *pending)));
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) => self.pending.borrow_mut().push_str(&t),
            Token::TagToken(tag) => {
                self.flush();
                let name = tag.name.to_string();
                let mut tree = self.tree.borrow_mut();
                let mut stack = self.stack.borrow_mut();
                match tag.kind {
                    TagKind::StartTag => {
                        let attrs = tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
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
                        if !tag.self_closing && !VOID_ELEMENTS.contains(&local.as_str()) {
                            stack.push(id);
                        }
                    }
                    TagKind::EndTag => {
                        if let Some(i) = stack.iter().rposition(|&e| e != 0 && tree.elements[e].name == name) {
                            stack.truncate(i);
                        }
                    }
                }
            }
            Token::CommentToken(_) | Token::DoctypeToken(_) => self.flush(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        true
    }
}

pub fn parse_xml(text: &str) -> XmlTree {
    let sink = Sink {
        tree: RefCell::new(XmlTree {
            elements: vec![XmlElement { name: String::new(), attrs: Vec::new(), children: Vec::new(), parent: 0 }],
        }),
        stack: RefCell::new(vec![0]),
        pending: RefCell::new(String::new()),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.flush();
    tokenizer.sink.tree.into_inner()
}
