//! A streaming walk over an e-invoice (UBL, CII) with quick-xml: each element is handed to
//! the caller when it closes, with its path of local names from the root (namespace
//! prefixes dropped, since senders bind `cbc:`, `ram:` or a default namespace as they
//! please), its attributes and its own text with entities resolved.

use crate::import::{ImportError, ImportResult};
use quick_xml::events::{BytesStart, Event};

/// Deeper nesting than any e-invoice needs: a hostile file is refused before it costs memory.
const MAX_DEPTH: usize = 64;

pub struct Element<'a> {
    pub path: &'a [String],
    pub attrs: &'a [(String, String)],
    pub text: &'a str,
}

impl Element<'_> {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub fn path_string(path: &[String]) -> String {
    path.join("/")
}

struct Frame {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

fn local(name: &[u8]) -> String {
    let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
    String::from_utf8_lossy(local).into_owned()
}

fn frame(start: &BytesStart<'_>, path: &[String]) -> ImportResult<Frame> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| {
            ImportError::at_path(path_string(path), format!("an attribute is malformed: {e}"))
                .hint("the XML is damaged: ask the sender for the invoice again")
        })?;
        let value = attr
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
        attrs.push((local(attr.key.as_ref()), value));
    }
    Ok(Frame {
        name: local(start.name().as_ref()),
        attrs,
        text: String::new(),
    })
}

/// Walks `xml`, calling `on_close` for every element as it ends.
pub fn walk(
    xml: &str,
    mut on_close: impl FnMut(&Element<'_>) -> ImportResult<()>,
) -> ImportResult<()> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let not_well_formed = |path: &[String], e: &dyn std::fmt::Display| {
        let at = if path.is_empty() {
            "(document)".to_string()
        } else {
            path_string(path)
        };
        ImportError::at_path(at, format!("the XML is not well-formed: {e}"))
            .hint("the file is damaged or truncated: ask the sender for the invoice again")
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| not_well_formed(&path, &e))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ImportError::at_path(
                        path_string(&path),
                        "the XML nests too deeply",
                    )
                    .hint("this is not an e-invoice layout encours can read"));
                }
                let f = frame(&start, &path)?;
                path.push(f.name.clone());
                stack.push(f);
            }
            Event::Empty(start) => {
                let f = frame(&start, &path)?;
                path.push(f.name.clone());
                on_close(&Element {
                    path: &path,
                    attrs: &f.attrs,
                    text: "",
                })?;
                path.pop();
            }
            Event::End(_) => {
                let Some(f) = stack.pop() else {
                    return Err(not_well_formed(
                        &path,
                        &"a closing tag without its opening tag",
                    ));
                };
                on_close(&Element {
                    path: &path,
                    attrs: &f.attrs,
                    text: &f.text,
                })?;
                path.pop();
            }
            Event::Text(t) => {
                if let Some(f) = stack.last_mut() {
                    let s = t.decode().map_err(|e| not_well_formed(&path, &e))?;
                    f.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(f) = stack.last_mut() {
                    let s = t.decode().map_err(|e| not_well_formed(&path, &e))?;
                    f.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().map_err(|e| not_well_formed(&path, &e))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(not_well_formed(
                                    &path,
                                    &format!("unknown entity &{name};"),
                                ));
                            }
                        }
                    }
                    Err(e) => return Err(not_well_formed(&path, &e)),
                };
                if let Some(f) = stack.last_mut() {
                    f.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(not_well_formed(
            &path,
            &"the document ends before its elements are closed",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(xml: &str) -> ImportResult<Vec<(String, String)>> {
        let mut out = Vec::new();
        walk(xml, |e| {
            out.push((path_string(e.path), e.text.to_string()));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn paths_drop_prefixes_and_entities_resolve() {
        let got = collect(
            "<a:Root xmlns:a='x'><b:Name>Dupont &amp; Fils&#233;</b:Name><Empty/></a:Root>",
        )
        .unwrap();
        assert_eq!(got[0], ("Root/Name".into(), "Dupont & Fils\u{e9}".into()));
        assert_eq!(got[1], ("Root/Empty".into(), String::new()));
        assert_eq!(got[2].0, "Root");
    }

    #[test]
    fn broken_xml_is_an_error_with_its_place() {
        let e = collect("<Root><Total>12</Root>").unwrap_err();
        assert!(e.to_string().contains("Root"), "{e}");
        assert!(collect("<Root><Total>12</Total>").is_err());
        assert!(collect("<Root>&bogus;</Root>").is_err());
        let deep = "<a>".repeat(100);
        assert!(collect(&deep).is_err());
    }
}
