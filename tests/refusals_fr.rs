//! Every refusal, hint and warning a reader writes has its French (`locale::refusals`). The
//! readers' sources are scanned for the texts they give `ImportError` (`new`, `at_line`,
//! `at_path`, `message:`), `.hint(…)` and `.warn(…)`, literal or `format!` template, and each
//! must appear in an English template of the catalogue: a message added without its French
//! fails here, naming its file. Then a few real refusals, read through the binary under a
//! French `LANG`.

mod source_files;

use encours::locale::Language;
use encours::locale::refusals::{self, text};
use source_files::rust_files;
use std::path::Path;
use std::process::Command;

/// The index just past the argument that starts at `at` (a top-level comma or the closing
/// parenthesis), skipping nested brackets and string literals.
fn end_of_argument(src: &[u8], mut at: usize) -> usize {
    let mut depth = 0i32;
    while at < src.len() {
        match src[at] {
            b'"' => at = end_of_string(src, at),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return at,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => return at,
            _ => {}
        }
        at += 1;
    }
    at
}

/// The index of the closing quote of the string literal opening at `at`.
fn end_of_string(src: &[u8], mut at: usize) -> usize {
    at += 1;
    while at < src.len() {
        match src[at] {
            b'\\' => at += 2,
            b'"' => return at,
            _ => at += 1,
        }
    }
    at
}

/// The text of the string literal at `at` (after blanks, `&`, and `format!(`), if there is
/// one, its escapes undone and its placeholders written `{}`.
fn literal_at(src: &str, at: usize) -> Option<String> {
    let rest = src[at..].trim_start();
    let rest = rest.strip_prefix('&').unwrap_or(rest).trim_start();
    let rest = rest.strip_prefix("format!(").unwrap_or(rest).trim_start();
    let body = rest.strip_prefix('"')?;
    let bytes = body.as_bytes();
    let end = end_of_string(rest.as_bytes(), 0) - 1;
    let raw = &body[..end.min(bytes.len())];
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('\'') => out.push('\''),
                // A line continuation: the break and the next line's indent vanish.
                Some('\n') => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                Some(other) => out.push(other),
                None => {}
            },
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                for inner in chars.by_ref() {
                    if inner == '}' {
                        break;
                    }
                }
                out.push_str("{}");
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// The message texts of one source file: (line, text).
fn messages(src: &str) -> Vec<(usize, String)> {
    // (token, which argument holds the text: 0 the first, 1 the second)
    const CALLS: &[(&str, usize)] = &[
        ("ImportError::new(", 1),
        ("ImportError::at_line(", 1),
        ("ImportError::at_path(", 1),
        (".hint(", 0),
        (".warn(", 1),
        ("message:", 0),
    ];
    let bytes = src.as_bytes();
    let mut found = Vec::new();
    for (token, argument) in CALLS {
        let mut from = 0;
        while let Some(pos) = src[from..].find(token) {
            let mut at = from + pos + token.len();
            from = at;
            if *argument == 1 {
                at = end_of_argument(bytes, at);
                if bytes.get(at) != Some(&b',') {
                    continue;
                }
                at += 1;
            }
            if let Some(text) = literal_at(src, at) {
                let line = src[..at].matches('\n').count() + 1;
                found.push((line, text));
            }
        }
    }
    found
}

/// Whether `template` (a catalogue entry) says `message` (a reader's text): its literal pieces
/// in order, a value of the reader's standing for anything. A value may be spelled out in the
/// catalogue (a separator shown as `'{}'` or as the word `tab` has one entry each), and a
/// reader's text may be one part of a longer message.
fn fits(message: &str, template: &str) -> bool {
    let mut at = 0;
    message
        .split("{}")
        .all(|piece| match template[at..].find(piece) {
            Some(found) => {
                at += found + piece.len();
                true
            }
            None => false,
        })
}

#[test]
fn every_message_a_reader_writes_has_its_french() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root.join("import"), &mut files);
    rust_files(&root.join("store/import_writer"), &mut files);
    files.push(root.join("store/import_writer.rs"));
    files.push(root.join("ingest.rs"));
    let english: Vec<&str> = refusals::catalogue_english().collect();
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in files {
        let src = std::fs::read_to_string(&file).unwrap();
        for (line, message) in messages(&src) {
            // Texts made only of values (`"{}"`, `"{}: {}"`) say nothing to translate.
            if !message.replace("{}", "").chars().any(char::is_alphabetic) {
                continue;
            }
            checked += 1;
            if !english.iter().any(|t| fits(&message, t)) {
                let rel = file.strip_prefix(&root).unwrap().display().to_string();
                missing.push(format!("src/{rel}:{line}: {message:?}"));
            }
        }
    }
    assert!(
        checked > 150,
        "the scan found only {checked} messages: is it broken?"
    );
    assert!(
        missing.is_empty(),
        "{} message(s) without French in locale/refusals_fr:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_scan_finds_literals_templates_and_second_arguments() {
    let src = r#"
        ImportError::new(SourceLocation::Line(f(1, 2)), "a plain text")
        ImportError::at_line(n, format!("value {raw:?} on {}", x)).hint("do {} this")
        batch.warn(loc, &format!("careful with {{braces}} and {n}"));
        ImportError { message: "by a struct \
            literal".into() }
    "#;
    let found: Vec<String> = messages(src).into_iter().map(|(_, m)| m).collect();
    for expected in [
        "a plain text",
        "value {} on {}",
        "do {} this",
        "careful with {braces} and {}",
        "by a struct literal",
    ] {
        assert!(
            found.iter().any(|m| m == expected),
            "{expected:?} not in {found:?}"
        );
    }
}

fn encours_fr(db: &Path, file: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_encours"))
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("ENCOURS_TODAY", "2026-06-15")
        .env_remove("ENCOURS_CONFIG")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a French user sees when `encours import` refuses a file: the frame, the message and
/// what to do, all in French; an English reader of the same refusal gets it as written.
#[test]
fn a_refusal_reads_in_french_under_a_french_lang() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let empty = dir.path().join("vide.csv");
    std::fs::write(&empty, "\n  \n").unwrap();
    let (code, err) = encours_fr(&db, &empty);
    assert_eq!(code, 1);
    assert!(err.starts_with("refusé : "), "{err}");
    assert!(err.contains("vide.csv"), "{err}");
    assert!(!err.contains("the file is empty"), "left in English: {err}");
    let unknown = dir.path().join("inconnu.csv");
    std::fs::write(&unknown, "a;b\n1;2\n").unwrap();
    let (code, err) = encours_fr(&db, &unknown);
    assert_eq!(code, 1);
    assert!(err.contains("ligne 1"), "{err}");
    assert!(
        !err.contains("the format is not recognised") && !err.contains("add a profile"),
        "left in English: {err}"
    );
    // The same texts, read in English, are the readers' own.
    assert_eq!(text("the file is empty", Language::En), "the file is empty");
}
