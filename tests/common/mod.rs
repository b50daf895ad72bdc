//! Shared by the integration tests that read the sample exports.

/// Where the sample exports live for tests: `../shared/samples` from the project root (also
/// tried one level further up, where git worktrees sit under a sub-folder).
/// Absent samples skip the test with a message, except in CI (`CI=true`), where it fails.
pub fn samples_dir() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = ["../shared/samples", "../../shared/samples"]
        .iter()
        .map(|rel| root.join(rel))
        .find(|dir| dir.is_dir());
    if found.is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/samples not found, and CI=true: the sample files are required in CI");
        }
        println!("skipping: ../shared/samples not found");
    }
    found
}
