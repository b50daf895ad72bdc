//! Layer rules kept by a test, in the manner of rust-analyzer's tidy checks: the domain and
//! the importers stay pure, and nothing below the runtime reads the clock.

mod source_files;

use source_files::rust_files;
use std::path::Path;

fn offenders(folder: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let mut files = Vec::new();
    if root.is_dir() {
        rust_files(&root, &mut files);
    }
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    found.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    found
}

const CLOCK: &[&str] = &["Local::now", "Utc::now", "SystemTime::now", "Instant::now"];

#[test]
fn the_domain_is_pure() {
    let mut forbidden = vec![
        "rusqlite",
        "ratatui",
        "crossterm",
        "std::fs",
        "std::net",
        "notify::",
    ];
    forbidden.extend(CLOCK);
    let found = offenders("domain", &forbidden);
    assert!(
        found.is_empty(),
        "the domain must stay pure:\n{}",
        found.join("\n")
    );
}

#[test]
fn importers_do_no_io_and_read_no_clock() {
    let mut forbidden = vec!["rusqlite", "ratatui", "std::fs", "std::net"];
    forbidden.extend(CLOCK);
    let found = offenders("import", &forbidden);
    assert!(
        found.is_empty(),
        "importers turn bytes into records only:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_runtime_reads_the_clock() {
    for folder in ["store", "inbox", "app", "ui"] {
        let found = offenders(folder, CLOCK);
        assert!(
            found.is_empty(),
            "{folder} reads the clock:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn views_only_draw() {
    let found = offenders("ui", &["rusqlite", "std::fs", ".write(|"]);
    assert!(found.is_empty(), "ui must only draw:\n{}", found.join("\n"));
}

#[test]
fn money_is_never_a_float() {
    let mut found = Vec::new();
    for folder in ["domain", "import", "store"] {
        found.extend(offenders(folder, &["f64", "f32"]));
    }
    assert!(
        found.is_empty(),
        "money must be Decimal:\n{}",
        found.join("\n")
    );
}
