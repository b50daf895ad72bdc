//! An in-tree fuzz pass that runs on stable Rust in CI: every reader gets random bytes,
//! mutated real samples, every truncation of each sample, and a set of hostile inputs.
//! The property is simple: no panic, and a refusal is an `ImportError`, never a crash.
//!
//! `FUZZ_CASES` sets the number of random cases per property (default 300; the longer local
//! runs recorded in the README used 20,000).

mod common;

use encours::import::{self, Format, ParseContext};
use proptest::prelude::*;
use std::path::PathBuf;

const FORMATS: &[Format] = &[
    Format::Camt053,
    Format::Camt054,
    Format::Mt940,
    Format::Ofx,
    Format::Cfonb120,
    Format::Qif,
    Format::BankCsv,
    Format::Fec,
    Format::Ubl,
    Format::Cii,
    Format::InvoiceCsv,
    Format::CustomerCsv,
    Format::RatingCsv,
];

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn sample_files() -> Vec<PathBuf> {
    let Some(dir) = common::samples_dir() else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for f in std::fs::read_dir(&path).unwrap() {
                files.push(f.unwrap().path());
            }
        }
    }
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    if let Ok(entries) = std::fs::read_dir(fixtures) {
        for f in entries {
            let path = f.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn seeds() -> Vec<Vec<u8>> {
    sample_files()
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|b| b.len() < 300_000)
        .collect()
}

/// Runs every reader over `bytes`, through detection and forced as each format.
fn all_readers(bytes: &[u8]) {
    let ctx = ParseContext::default();
    let _ = import::parse_bytes(bytes, &ctx);
    let (text, _) = import::text::decode(bytes);
    for format in FORMATS {
        let _ = import::parse_as(*format, &text, &ctx);
    }
}

#[test]
fn every_truncation_of_every_sample_is_handled() {
    for bytes in seeds() {
        // Every prefix would be quadratic on the larger files: step through them.
        let step = (bytes.len() / 97).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            all_readers(&bytes[..cut]);
        }
    }
}

#[test]
fn hostile_inputs_are_refused_calmly() {
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\0\0\0\0".to_vec(),
        (0..=255u8).cycle().take(64 * 1024).collect(),
        // One 16 MB line with no newline.
        vec![b'a'; 16 * 1024 * 1024],
        // A line of separators.
        ";".repeat(1_000_000).into_bytes(),
        // Billion laughs: entities must never be expanded.
        br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">&lol4;</Amt></Ntry></Stmt></BkToCstmrStmt></Document>"#.to_vec(),
        // External entity: must never be fetched or read.
        br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&x;</ID></Invoice>"#.to_vec(),
        // Mixed encodings: UTF-8 then Latin-1 bytes in one file.
        b"Date;Libell\xc3\xa9;Montant\n01/02/2026;Caf\xe9;-3,50\n".to_vec(),
        // UTF-16 with BOM.
        b"\xff\xfeD\0a\0t\0e\0".to_vec(),
    ];
    // 100,000 nested tags inside a CAMT document.
    let mut deep = String::from(
        r#"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">"#,
    );
    deep.push_str(&"<a>".repeat(100_000));
    deep.push_str(&"</a>".repeat(100_000));
    deep.push_str("</Document>");
    inputs.push(deep.into_bytes());
    // Deep OFX nesting with unclosed tags.
    let mut ofx = String::from("OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>");
    ofx.push_str(&"<STMTTRN>".repeat(100_000));
    inputs.push(ofx.into_bytes());
    // An MT940 with a 5 MB :86: field.
    let mut mt = String::from(
        ":20:X\n:25:ACC\n:28C:1\n:60F:C260101EUR0,\n:61:2601010101C1,NTRFNONREF\n:86:",
    );
    mt.push_str(&"A".repeat(5 * 1024 * 1024));
    inputs.push(mt.into_bytes());
    for input in &inputs {
        all_readers(input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        all_readers(&bytes);
    }

    #[test]
    fn mutated_samples_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..24),
    ) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let mut bytes = pick.get(&seeds).clone();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                2 => { bytes.remove(i); }
                _ => {
                    // Duplicate a slice: repeated records and tags.
                    let end = (i + 64).min(bytes.len());
                    let chunk = bytes[i..end].to_vec();
                    bytes.splice(i..i, chunk);
                }
            }
        }
        all_readers(&bytes);
    }

    #[test]
    fn config_loader_never_panics(text in "\\PC{0,400}") {
        let _ = encours::config::Settings::from_layers(&[
            ("config/default.toml", encours::config::DEFAULT_TOML),
            ("fuzz.toml", &text),
        ]);
    }

    #[test]
    fn config_loader_handles_structured_garbage(
        section in prop::sample::select(vec!["general", "ageing", "bank", "matching", "import", "nope"]),
        key in "[a-z_]{1,20}",
        value in prop::sample::select(vec!["1", "-1", "\"x\"", "[]", "[1, 0]", "{}", "1e400", "true", "\"\"", "99999999999999999999"]),
    ) {
        let doc = format!("[{section}]\n{key} = {value}\n");
        let _ = encours::config::Settings::from_layers(&[
            ("config/default.toml", encours::config::DEFAULT_TOML),
            ("fuzz.toml", &doc),
        ]);
    }
}
