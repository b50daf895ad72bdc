/// The shared sample exports (`../shared/samples` from the project root; worktrees nested one
/// level deeper find it further up). Absent: the calling test skips with a message, unless
/// `CI=true`, where a missing folder is a failure.
pub fn samples_dir() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = root
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("shared").join("samples"))
        .find(|dir| dir.is_dir());
    if found.is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/samples not found and CI=true: the sample exports are required");
        }
        println!("skipping: ../shared/samples not found");
    }
    found
}
