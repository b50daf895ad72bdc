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
