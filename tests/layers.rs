//! Who may use whom (ARCHITECTURE.md, "Layers"), checked on the source text: the state and
//! the drawing never touch the database, the terminal library stays in `ui` and `runtime`,
//! and nothing below the runtime reads the clock.

mod source_files;

use source_files::rust_files;
use std::path::Path;

fn check(layer: &str, except: &[&str], forbidden: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut all = Vec::new();
    rust_files(&root, &mut all);
    assert!(!all.is_empty(), "no files under {}", root.display());
    for path in all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if except.iter().any(|e| rel.starts_with(e)) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for word in forbidden {
            assert!(!text.contains(word), "src/{layer}/{rel} uses {word}");
        }
    }
}

#[test]
fn the_application_state_does_no_io_and_draws_nothing() {
    // The store source is the one door to SQLite; it lives with the trait it implements.
    check(
        "app",
        &["store_source"],
        &[
            "rusqlite",
            "ratatui",
            "crossterm",
            "Local::now",
            "std::fs",
            "println!",
            "eprintln!",
        ],
    );
}

#[test]
fn the_interface_only_draws() {
    check(
        "ui",
        &[],
        &[
            "rusqlite",
            "crate::store",
            "Local::now",
            "std::fs",
            "println!",
            "eprintln!",
            "crossterm",
        ],
    );
}

#[test]
fn the_domain_stays_pure() {
    check(
        "domain",
        &[],
        &["rusqlite", "ratatui", "crossterm", "Local::now", "std::fs"],
    );
}

#[test]
fn the_runtime_never_clears_the_screen_each_frame() {
    check(
        "runtime",
        &[],
        &[".clear()", "EnableMouseCapture", "println!"],
    );
}
