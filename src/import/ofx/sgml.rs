//! A tolerant tag reader for OFX. OFX 1.x is SGML whose leaf elements are never closed
//! (`<TRNAMT>-6.60<FITID>123`), often with the whole message on one line; OFX 2.x is meant to
//! be XML, yet exporters still write unclosed leaves under an XML header. So this is not an
//! XML parser: a tag followed by text is a leaf with that value, a tag followed by its own
//! closing tag is an empty leaf, and any other tag opens an aggregate that lasts until its
//! closing tag (which also closes whatever was left open inside it).

use crate::import::{ImportError, ImportResult};

/// Aggregates nest about eight deep in OFX; far more means garbage.
pub(super) const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open(String),
    Close(String),
    Text(String),
}

/// What the reader reports, in document order. Names are upper-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Element {
    Open {
        name: String,
        line: usize,
    },
    Leaf {
        name: String,
        value: String,
        line: usize,
    },
    Close {
        name: String,
        line: usize,
    },
}

/// The aggregates still open at the end of the file, outermost first, with their lines.
pub(super) type Unclosed = Vec<(String, usize)>;

/// Splits the text into tags and text with their line numbers. The SGML header
/// (`OFXHEADER:100`...) and anything else before the first tag is ignored.
fn tokenize(text: &str) -> ImportResult<Vec<(Token, usize)>> {
    let mut tokens = Vec::new();
    let mut line = 1usize;
    let mut rest = text;
    let start = rest.find('<').unwrap_or(rest.len());
    line += rest[..start].matches('\n').count();
    rest = &rest[start..];
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let (end, skip) = if after.starts_with("!--") {
                (after.find("-->").map(|i| i + 3), true)
            } else {
                (
                    after.find('>').map(|i| i + 1),
                    after.starts_with(['?', '!']),
                )
            };
            let Some(end) = end else {
                return Err(ImportError::at_line(
                    line,
                    "a tag is not closed before the end of the file",
                )
                .hint("the file looks truncated: export it again from the bank"));
            };
            let inner = &after[..end];
            let tag_line = line;
            line += inner.matches('\n').count();
            rest = &after[end..];
            if skip {
                continue;
            }
            let body = inner.trim_end_matches('>').trim();
            let (closing, body) = match body.strip_prefix('/') {
                Some(b) => (true, b.trim()),
                None => (false, body),
            };
            let self_closing = !closing && body.ends_with('/');
            let name: String = body
                .trim_end_matches('/')
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            if name.is_empty() {
                return Err(
                    ImportError::at_line(tag_line, format!("\"<{inner}\" is not a tag"))
                        .hint("the file looks damaged: export it again from the bank"),
                );
            }
            if closing {
                tokens.push((Token::Close(name), tag_line));
            } else if self_closing {
                tokens.push((Token::Open(name.clone()), tag_line));
                tokens.push((Token::Close(name), tag_line));
            } else {
                tokens.push((Token::Open(name), tag_line));
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let raw = &rest[..end];
            let value = unescape(raw.trim());
            if !value.is_empty() {
                tokens.push((Token::Text(value), line));
            }
            line += raw.matches('\n').count();
            rest = &rest[end..];
        }
    }
    Ok(tokens)
}

/// The entities SGML OFX uses; anything else stays as written.
fn unescape(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let decoded = after.find(';').filter(|i| *i <= 8).and_then(|semi| {
            let name = &after[..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads the whole file into elements, and the aggregates left open at its end.
pub(super) fn read(text: &str) -> ImportResult<(Vec<Element>, Unclosed)> {
    let tokens = tokenize(text)?;
    let mut out = Vec::with_capacity(tokens.len());
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while let Some((token, line)) = tokens.get(i) {
        let line = *line;
        i += 1;
        match token {
            Token::Open(name) => match tokens.get(i) {
                Some((Token::Text(value), _)) => {
                    out.push(Element::Leaf {
                        name: name.clone(),
                        value: value.clone(),
                        line,
                    });
                    i += 1;
                    if matches!(tokens.get(i), Some((Token::Close(c), _)) if c == name) {
                        i += 1;
                    }
                }
                Some((Token::Close(c), _)) if c == name => {
                    out.push(Element::Leaf {
                        name: name.clone(),
                        value: String::new(),
                        line,
                    });
                    i += 1;
                }
                _ => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(ImportError::at_line(
                            line,
                            format!("elements are nested more than {MAX_DEPTH} levels deep"),
                        )
                        .hint("this is not an OFX statement the way banks write them"));
                    }
                    stack.push((name.clone(), line));
                    out.push(Element::Open {
                        name: name.clone(),
                        line,
                    });
                }
            },
            Token::Close(name) => {
                // A closing tag for something not open (a leaf already read) is ignored.
                if let Some(pos) = stack.iter().rposition(|(open, _)| open == name) {
                    while stack.len() > pos {
                        if let Some((open, open_line)) = stack.pop() {
                            out.push(Element::Close {
                                name: open,
                                line: open_line,
                            });
                        }
                    }
                }
            }
            // Text where no leaf expects it (after a closing tag): nothing to attach it to.
            Token::Text(_) => {}
        }
    }
    Ok((out, stack))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(name: &str, value: &str, line: usize) -> Element {
        Element::Leaf {
            name: name.into(),
            value: value.into(),
            line,
        }
    }

    #[test]
    fn unclosed_closed_and_empty_leaves() {
        let (elements, open) = read(
            "OFXHEADER:100\n\n<OFX><STMTTRN><TRNAMT>-6.60<FITID></FITID>\n<NAME>A &amp; B</NAME><memo>x</STMTTRN></OFX>",
        )
        .unwrap();
        assert!(open.is_empty());
        assert_eq!(
            elements,
            vec![
                Element::Open {
                    name: "OFX".into(),
                    line: 3
                },
                Element::Open {
                    name: "STMTTRN".into(),
                    line: 3
                },
                leaf("TRNAMT", "-6.60", 3),
                leaf("FITID", "", 3),
                leaf("NAME", "A & B", 4),
                leaf("MEMO", "x", 4),
                Element::Close {
                    name: "STMTTRN".into(),
                    line: 3
                },
                Element::Close {
                    name: "OFX".into(),
                    line: 3
                },
            ]
        );
    }

    #[test]
    fn processing_instructions_and_comments_are_skipped() {
        let (elements, _) =
            read("<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?><!-- <X> --><OFX><A>1</OFX>")
                .unwrap();
        assert_eq!(
            elements,
            vec![
                Element::Open {
                    name: "OFX".into(),
                    line: 2
                },
                leaf("A", "1", 2),
                Element::Close {
                    name: "OFX".into(),
                    line: 2
                },
            ]
        );
    }

    #[test]
    fn unclosed_aggregates_are_reported() {
        let (_, open) = read("<OFX>\n<STMTRS>\n<STMTTRN><TRNAMT>1").unwrap();
        let names: Vec<&str> = open.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["OFX", "STMTRS", "STMTTRN"]);
        assert_eq!(open[2].1, 3);
    }

    #[test]
    fn a_cut_tag_is_an_error_with_its_line() {
        let err = read("<OFX>\n<STMTRS>\n<TRNAM").unwrap_err();
        assert_eq!(err.location, crate::domain::model::SourceLocation::Line(3));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let err = read(&"<A>".repeat(100_000)).unwrap_err();
        assert!(err.message.contains("nested"), "{err}");
    }

    #[test]
    fn entities() {
        assert_eq!(
            unescape("Joe&apos;s &#233;t&#xE9; &unknown; & co"),
            "Joe's été &unknown; & co"
        );
    }
}
