//! A bounded streaming layer over quick-xml. The statement reader walks the document element by
//! element and only materialises small subtrees (one `<Ntry>`, one `<Bal>`), so a file of
//! hundreds of megabytes never becomes a DOM. Entities declared in a DTD are never expanded
//! (quick-xml does not, and an unknown reference is an error here), which rules out
//! billion-laughs; nesting depth and text length are capped so that a hostile file fails
//! with a message instead of exhausting memory.

use crate::import::{ImportError, ImportResult};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;

/// CAMT nests about fifteen levels deep; anything far beyond is not a bank statement.
pub(super) const MAX_DEPTH: usize = 64;
/// The longest CAMT text fields hold a few hundred characters.
pub(super) const MAX_TEXT: usize = 64 * 1024;
/// Elements in one materialised subtree: a batch entry of 20 000 transfers stays far below.
pub(super) const MAX_NODES: usize = 2_000_000;

const DAMAGED_HINT: &str = "the file looks damaged or truncated: export it again from the bank";

/// An element with its text and children. Only the `Ccy` attribute matters in CAMT.
#[derive(Debug, Default)]
pub(super) struct Node {
    pub name: String,
    pub ccy: Option<String>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Node> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first element along a `/`-separated path of child names.
    pub fn get(&self, path: &str) -> Option<&Node> {
        path.split('/')
            .try_fold(self, |node, step| node.child(step))
    }

    /// The trimmed text at `path`, when there is any.
    pub fn text_at(&self, path: &str) -> Option<&str> {
        self.get(path)
            .map(|n| n.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// Every element matching `path`, following each repetition of every step.
    pub fn all<'s>(&'s self, path: &str) -> Vec<&'s Node> {
        let mut current = vec![self];
        for step in path.split('/') {
            current = current
                .into_iter()
                .flat_map(|n| n.children.iter().filter(|c| c.name == step))
                .collect();
        }
        current
    }
}

/// What the streaming reader hands out. Comments, processing instructions, the declaration
/// and the DTD are dropped; text pieces and resolved references come out as `Text`.
#[derive(Debug)]
pub(super) enum Tag<'a> {
    Start(String, Option<String>),
    Empty(String, Option<String>),
    End,
    Text(Cow<'a, str>),
    Eof,
}

pub(super) struct XmlStream<'a> {
    reader: Reader<&'a [u8]>,
    /// The whole decoded file and where the reader's input starts in it, for line numbers.
    source: &'a str,
    skipped: usize,
    depth: usize,
    /// Path segments for messages (`Document`, `BkToCstmrStmt`, `Stmt[2]`, ...).
    path: Vec<String>,
}

impl<'a> XmlStream<'a> {
    pub fn new(source: &'a str) -> Self {
        // An XML declaration must come first; exports sometimes carry blank lines before it.
        let body = source.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        let mut reader = Reader::from_str(body);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlStream {
            reader,
            source,
            skipped: source.len() - body.len(),
            depth: 0,
            path: Vec::new(),
        }
    }

    pub fn push(&mut self, segment: String) {
        self.path.push(segment);
    }

    pub fn pop(&mut self) {
        self.path.pop();
    }

    pub fn path(&self) -> String {
        self.path.join("/")
    }

    fn line_at(&self, position: u64) -> usize {
        let end =
            (self.skipped + usize::try_from(position).unwrap_or(usize::MAX)).min(self.source.len());
        let prefix = self.source.as_bytes().get(..end).unwrap_or_default();
        1 + prefix.iter().filter(|b| **b == b'\n').count()
    }

    /// The line the reader has reached, for messages.
    pub fn line(&self) -> usize {
        self.line_at(self.reader.buffer_position())
    }

    fn malformed(&self, what: impl std::fmt::Display, position: u64) -> ImportError {
        ImportError::at_path(
            self.path(),
            format!(
                "the XML is malformed near line {}: {what}",
                self.line_at(position)
            ),
        )
        .hint(DAMAGED_HINT)
    }

    pub fn truncated(&self) -> ImportError {
        ImportError::at_path(
            self.path(),
            format!(
                "the file ends at line {} before this element is closed",
                self.line()
            ),
        )
        .hint(DAMAGED_HINT)
    }

    pub fn next(&mut self) -> ImportResult<Tag<'a>> {
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.malformed(e, self.reader.error_position())),
            };
            return Ok(match event {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(ImportError::at_path(
                            self.path(),
                            format!(
                                "elements are nested more than {MAX_DEPTH} levels deep (line {})",
                                self.line()
                            ),
                        )
                        .hint("this is not a bank statement the way banks write them"));
                    }
                    let (name, ccy) = self.name_and_ccy(&start)?;
                    Tag::Start(name, ccy)
                }
                Event::Empty(start) => {
                    let (name, ccy) = self.name_and_ccy(&start)?;
                    Tag::Empty(name, ccy)
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Tag::End
                }
                Event::Text(text) => match text.decode() {
                    Ok(t) => Tag::Text(t),
                    Err(e) => return Err(self.malformed(e, self.reader.buffer_position())),
                },
                Event::CData(data) => match data.decode() {
                    Ok(t) => Tag::Text(t),
                    Err(e) => return Err(self.malformed(e, self.reader.buffer_position())),
                },
                Event::GeneralRef(reference) => Tag::Text(self.resolve(&reference)?),
                Event::Eof => Tag::Eof,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            });
        }
    }

    fn name_and_ccy(&self, start: &BytesStart<'_>) -> ImportResult<(String, Option<String>)> {
        let local = start.local_name();
        let name = std::str::from_utf8(local.as_ref())
            .map_err(|e| self.malformed(e, self.reader.buffer_position()))?
            .to_string();
        let ccy = start
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == b"Ccy")
            .map(|a| String::from_utf8_lossy(&a.value).into_owned());
        Ok((name, ccy))
    }

    /// Only character references and the five XML entities: anything declared in a DTD stays
    /// unexpanded and refuses the file.
    fn resolve(&self, reference: &quick_xml::events::BytesRef<'_>) -> ImportResult<Cow<'a, str>> {
        let position = self.reader.buffer_position();
        if reference.is_char_ref() {
            return match reference.resolve_char_ref() {
                Ok(Some(c)) => Ok(Cow::Owned(c.to_string())),
                Ok(None) => Err(self.malformed("empty character reference", position)),
                Err(e) => Err(self.malformed(e, position)),
            };
        }
        let name = reference
            .decode()
            .map_err(|e| self.malformed(e, position))?;
        match quick_xml::escape::resolve_xml_entity(&name) {
            Some(s) => Ok(Cow::Borrowed(s)),
            None => Err(ImportError::at_path(
                self.path(),
                format!(
                    "the entity reference &{name}; near line {} is not a standard XML entity; entities declared in the file are never expanded",
                    self.line_at(position)
                ),
            )
            .hint("bank statements do not use custom entities: export the file again from the bank")),
        }
    }

    /// Skips the rest of the element whose start tag was just read.
    pub fn skip(&mut self) -> ImportResult<()> {
        let mut open = 1usize;
        while open > 0 {
            match self.next()? {
                Tag::Start(..) => open += 1,
                Tag::End => open -= 1,
                Tag::Eof => return Err(self.truncated()),
                Tag::Empty(..) | Tag::Text(_) => {}
            }
        }
        Ok(())
    }

    /// Reads the rest of the element whose start tag was just read into a [`Node`].
    pub fn collect(&mut self, name: String, ccy: Option<String>) -> ImportResult<Node> {
        let mut stack = vec![Node {
            name,
            ccy,
            ..Node::default()
        }];
        let mut count = 1usize;
        loop {
            let tag = self.next()?;
            if matches!(tag, Tag::Start(..) | Tag::Empty(..)) {
                count += 1;
                if count > MAX_NODES {
                    return Err(ImportError::at_path(
                        self.path(),
                        format!("this element holds more than {MAX_NODES} elements"),
                    )
                    .hint("split the export by period"));
                }
            }
            match tag {
                Tag::Start(name, ccy) => {
                    stack.push(Node {
                        name,
                        ccy,
                        ..Node::default()
                    });
                }
                Tag::Text(text) => {
                    if let Some(top) = stack.last_mut() {
                        if top.text.len() + text.len() > MAX_TEXT {
                            return Err(ImportError::at_path(
                                self.path(),
                                format!(
                                    "the text of <{}> near line {} is longer than {} KB",
                                    top.name,
                                    self.line(),
                                    MAX_TEXT / 1024
                                ),
                            )
                            .hint(DAMAGED_HINT));
                        }
                        top.text.push_str(&text);
                    }
                }
                Tag::End => {
                    let Some(done) = stack.pop() else {
                        return Err(self.truncated());
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Tag::Empty(name, ccy) => {
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(Node {
                            name,
                            ccy,
                            ..Node::default()
                        });
                    }
                }
                Tag::Eof => return Err(self.truncated()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect_root(xml: &str) -> ImportResult<Node> {
        let mut stream = XmlStream::new(xml);
        loop {
            match stream.next()? {
                Tag::Start(name, ccy) => return stream.collect(name, ccy),
                Tag::Eof => return Err(stream.truncated()),
                _ => {}
            }
        }
    }

    #[test]
    fn text_references_and_cdata_are_joined() {
        let node = collect_root(
            "\n\n<?xml version=\"1.0\"?><a:Root xmlns:a=\"x\"><a:Amt Ccy=\"EUR\">1&#48;.5</a:Amt><T>A &amp; B<![CDATA[ <C>]]></T></a:Root>",
        )
        .unwrap();
        assert_eq!(node.name, "Root");
        assert_eq!(node.text_at("Amt"), Some("10.5"));
        assert_eq!(node.get("Amt").and_then(|n| n.ccy.as_deref()), Some("EUR"));
        assert_eq!(node.text_at("T"), Some("A & B <C>"));
    }

    #[test]
    fn declared_entities_are_never_expanded() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document><Nm>&lol2;</Nm></Document>"#;
        let err = collect_root(xml).unwrap_err();
        assert!(err.message.contains("&lol2;"), "{err}");
        assert!(err.message.contains("line 3"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        let err = collect_root(&xml).unwrap_err();
        assert!(err.message.contains("nested more than"), "{err}");
    }

    #[test]
    fn truncated_and_mismatched_documents_are_errors() {
        let err = collect_root("<Document><Stmt><Ntry><Amt>1.00</Amt>").unwrap_err();
        assert!(err.message.contains("ends at line 1"), "{err}");
        let err = collect_root("<Document>\n<Stmt></Ntry></Document>").unwrap_err();
        assert!(err.message.contains("malformed near line 2"), "{err}");
    }

    #[test]
    fn overlong_text_is_refused() {
        let xml = format!("<Document><Nm>{}</Nm></Document>", "x".repeat(MAX_TEXT + 1));
        let err = collect_root(&xml).unwrap_err();
        assert!(err.message.contains("longer than"), "{err}");
    }

    #[test]
    fn paths_follow_every_repetition() {
        let node = collect_root(
            "<E><R><S><Ref>1</Ref></S><S><Ref>2</Ref></S></R><R><S><Ref>3</Ref></S></R></E>",
        )
        .unwrap();
        let refs: Vec<&str> = node
            .all("R/S/Ref")
            .iter()
            .map(|n| n.text.as_str())
            .collect();
        assert_eq!(refs, ["1", "2", "3"]);
    }
}
