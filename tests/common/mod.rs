/// The shared sample exports (`../shared/samples` from the project root). Absent: the
/// calling test skips with a message, unless `CI=true`, where a missing folder is a failure.
pub fn samples_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/samples not found, and CI=true requires the sample exports");
    }
    println!("skipping: ../shared/samples not found");
    None
}
