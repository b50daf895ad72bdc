//! Shared by the integration tests that read the sample exports.

/// `../shared/samples` from the project root. Absent: the test is skipped with a message,
/// except in CI (`CI=true`), where a missing sample folder is a failure.
pub fn samples_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/samples not found, and CI=true: the sample files are required in CI");
    }
    println!("skipping: ../shared/samples not found");
    None
}
