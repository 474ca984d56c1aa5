//! The page's tree flattened into blocks: the DOM that html5ever built, walked once into a
//! vector (children after their parents), with each block's text, link text and sentence
//! punctuation summed over its subtree. The content finder ([`super::content`]) scores these
//! blocks, and [`Dom::lines`] turns any subtree back into lines of text.

use scraper::{Html, Node};

/// Tags whose content is never text of the page.
fn is_hidden_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "canvas"
            | "object"
            | "embed"
            | "select"
            | "option"
            | "button"
            | "textarea"
            | "input"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "math"
            | "video"
            | "audio"
            | "map"
    )
}

/// Tags that break a line (everything else is inline).
pub(super) fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "tbody"
            | "thead"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "blockquote"
            | "pre"
            | "hr"
            | "figure"
            | "figcaption"
            | "form"
            | "center"
            | "address"
            | "body"
            | "html"
            | "nav"
            | "aside"
            | "fieldset"
            | "caption"
    )
}

pub(super) fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '！' | '？' | '；' | '、' | '：' | '“' | '”' | '「' | '」' | ','
    )
}

/// One node of the page, flattened: what the scoring needs.
#[derive(Debug, Default, Clone)]
pub(super) struct Block {
    pub(super) parent: Option<usize>,
    pub(super) tag: String,
    /// Class and id, joined.
    pub(super) names: String,
    pub(super) hidden: bool,
    /// Characters of text (no white space) in this subtree, in links, and punctuation.
    pub(super) chars: usize,
    pub(super) link_chars: usize,
    pub(super) punct: usize,
    /// Text right inside this element (its own text nodes and inline children).
    pub(super) own_chars: usize,
    pub(super) score: f64,
    /// Elements above this one.
    pub(super) depth: usize,
    pub(super) children: Vec<usize>,
    /// For a text node: its text.
    pub(super) text: Option<String>,
}

/// The page flattened into blocks, children before nothing: index 0 is the document.
pub(super) struct Dom {
    pub(super) blocks: Vec<Block>,
}

impl Dom {
    pub(super) fn build(html: &Html) -> Dom {
        let mut blocks: Vec<Block> = Vec::new();
        let mut stack: Vec<(ego_tree::NodeRef<Node>, Option<usize>)> =
            vec![(html.tree.root(), None)];
        // Depth-first, iteratively: malformed pages nest thousands deep.
        while let Some((node, parent)) = stack.pop() {
            let idx = blocks.len();
            let mut block = Block {
                parent,
                depth: parent.map_or(0, |p| blocks[p].depth + 1),
                ..Default::default()
            };
            match node.value() {
                Node::Element(e) => {
                    block.tag = e.name().to_ascii_lowercase();
                    let mut names = String::new();
                    if let Some(c) = e.attr("class") {
                        names.push_str(c);
                    }
                    if let Some(i) = e.id() {
                        names.push(' ');
                        names.push_str(i);
                    }
                    block.names = names;
                    let style = e.attr("style").unwrap_or("").to_ascii_lowercase();
                    block.hidden = is_hidden_tag(&block.tag)
                        || e.attr("hidden").is_some()
                        || e.attr("aria-hidden") == Some("true")
                        || style.replace(' ', "").contains("display:none");
                }
                Node::Text(t) => {
                    block.tag = "#text".into();
                    block.text = Some(t.to_string());
                }
                Node::Document | Node::Fragment => block.tag = "#document".into(),
                _ => block.hidden = true,
            }
            let hidden = block.hidden;
            blocks.push(block);
            if let Some(p) = parent {
                blocks[p].children.push(idx);
            }
            if !hidden {
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, Some(idx)));
                }
            }
        }
        let mut dom = Dom { blocks };
        dom.count();
        dom
    }

    /// Text, link text and punctuation per subtree (children have larger indices than
    /// their parents, so one pass from the end sums them up).
    fn count(&mut self) {
        for i in (0..self.blocks.len()).rev() {
            if self.blocks[i].hidden {
                continue;
            }
            if let Some(t) = &self.blocks[i].text {
                let chars = t.chars().filter(|c| !c.is_whitespace()).count();
                let punct = t.chars().filter(|&c| is_sentence_punct(c)).count();
                let b = &mut self.blocks[i];
                b.chars = chars;
                b.punct = punct;
            }
            if self.blocks[i].tag == "a" {
                self.blocks[i].link_chars = self.blocks[i].chars;
            }
            let b = &self.blocks[i];
            let (chars, link, punct) = (b.chars, b.link_chars, b.punct);
            let inline = self.blocks[i].text.is_some() || !is_block_tag(&self.blocks[i].tag);
            if let Some(p) = self.blocks[i].parent {
                let parent = &mut self.blocks[p];
                parent.chars += chars;
                parent.link_chars += link;
                parent.punct += punct;
                if inline {
                    parent.own_chars += chars;
                }
            }
        }
    }

    pub(super) fn link_density(&self, i: usize) -> f64 {
        let b = &self.blocks[i];
        if b.chars == 0 {
            return 0.0;
        }
        b.link_chars as f64 / b.chars as f64
    }

    /// The text of a subtree, a line per block.
    pub(super) fn lines(&self, root: usize, skip: &dyn Fn(usize) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut line = String::new();
        // (block, entering)
        let mut stack = vec![(root, true)];
        while let Some((i, entering)) = stack.pop() {
            let b = &self.blocks[i];
            if !entering {
                if is_block_tag(&b.tag) {
                    flush(&mut line, &mut out);
                }
                continue;
            }
            if i != root && skip(i) {
                continue;
            }
            if let Some(t) = &b.text {
                line.push_str(t);
                continue;
            }
            if is_block_tag(&b.tag) {
                flush(&mut line, &mut out);
            }
            stack.push((i, false));
            for &c in b.children.iter().rev() {
                stack.push((c, true));
            }
        }
        flush(&mut line, &mut out);
        out
    }
}

fn flush(line: &mut String, out: &mut Vec<String>) {
    // Runs of white space (full-width spaces too) become one space.
    let text: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        out.push(text);
    }
    line.clear();
}

#[cfg(test)]
mod tests {
    use super::super::read_page;

    #[test]
    fn deep_unclosed_markup_does_not_overflow() {
        let page = format!(
            "<html><body>{}<p>深圳发布方案，内容如下。</p></body></html>",
            "<div>".repeat(3_000)
        );
        let p = read_page(&page);
        assert!(p.content.iter().any(|l| l.contains("深圳发布方案")));
    }
}
