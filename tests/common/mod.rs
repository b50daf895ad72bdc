//! Helpers shared by the integration tests. Each test crate uses a subset of them, hence
//! the dead-code allowance.
#![allow(dead_code)]

use encours::import::{ImportBatch, ImportError, ParseContext, parse_bytes};

/// The shared sample exports (`../shared/samples`). Absent in a user's clone: the tests that
/// need them skip with a message. In CI (`CI=true`) their absence is a failure.
pub fn samples_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/samples is missing, and CI=true requires it");
    }
    println!("skipping: ../shared/samples not found");
    None
}

/// A parse context naming the file, so that errors carry its name.
pub fn ctx(name: &str) -> ParseContext {
    ParseContext {
        file_name: name.to_string(),
        ..ParseContext::default()
    }
}

/// The bytes of a shared sample, or None (skip) when the samples are absent.
pub fn sample_bytes(rel: &str) -> Option<Vec<u8>> {
    let path = samples_dir()?.join(rel);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// A shared sample parsed through detection; a refusal fails the test.
pub fn parse_sample(rel: &str) -> Option<ImportBatch> {
    let bytes = sample_bytes(rel)?;
    Some(parse_bytes(&bytes, &ctx(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

/// The bytes of one of our own fixtures under tests/fixtures.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One of our fixtures parsed through detection.
pub fn parse_fixture(name: &str) -> Result<ImportBatch, ImportError> {
    parse_bytes(&fixture_bytes(name), &ctx(name))
}
