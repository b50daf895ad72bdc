//! A full disk and a read-only filesystem, made real with a small tmpfs (tests run as root
//! here; where mounting is not permitted the test says so and skips). An import on a full
//! disk fails with a message naming the file and what to do, and the database keeps what it
//! had, consistent.

use rusqlite::Connection;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_encours");

struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            println!("skipping: cannot mount a tmpfs here (needs root and mount rights)");
            return None;
        }
        Some(Tmpfs { dir })
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn encours(db: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ENCOURS_TODAY", "2024-04-01")
        .env_remove("ENCOURS_CONFIG")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An invoice export of `rows` rows in the fixture's French layout.
fn big_invoice_file(rows: usize) -> String {
    let mut s = String::from(
        "N° facture;Code client;Client;SIREN;Date facture;Échéance;Montant TTC;Reste dû;Devise;Type;Litige\n",
    );
    for i in 0..rows {
        s.push_str(&format!(
            "FZ-{i:06};C{:03};Client numéro {} avec un nom assez long;;05/01/2024;04/02/2024;1 {:03},00;1 {:03},00;EUR;Facture;non\n",
            i % 500,
            i % 500,
            i % 1000,
            i % 1000
        ));
    }
    s
}

#[test]
fn import_on_a_full_disk_fails_clearly_and_keeps_the_database_whole() {
    // Room for a new database and the good import (a database starts at about 1 MB: a
    // 16 KiB page for each table and index), not for the large file on top.
    let Some(fs) = Tmpfs::mount("4m") else {
        return;
    };
    let db = fs.path().join("db.sqlite");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invoices_fr.csv");
    let (code, err) = encours(&db, &["import", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let big = tempfile::tempdir().unwrap();
    let file = big.path().join("gros_export.csv");
    std::fs::write(&file, big_invoice_file(30_000)).unwrap();
    let (code, err) = encours(&db, &["import", file.to_str().unwrap()]);
    assert_ne!(code, 0);
    for s in [
        "gros_export.csv",
        "full",
        "nothing of it was written",
        "free space",
    ] {
        assert!(err.contains(s), "lacks {s:?}: {err}");
    }
    let conn = Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM invoices", [], |r| r.get(0))
        .unwrap();
    let fz: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM invoices WHERE number LIKE 'FZ-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(n > 0 && fz == 0, "{n} invoices, {fz} of the refused file");
    // What it had is still shown.
    let (code, err) = encours(&db, &["report", "ageing"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_database_on_a_read_only_filesystem_is_still_shown() {
    let Some(fs) = Tmpfs::mount("4m") else {
        return;
    };
    let db = fs.path().join("db.sqlite");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invoices_fr.csv");
    let (code, err) = encours(&db, &["import", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let remount = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(fs.path())
        .status()
        .unwrap();
    assert!(remount.success());
    // Writing: refused with the path and the way out.
    let (code, err) = encours(&db, &["import", good.to_str().unwrap()]);
    assert_ne!(code, 0);
    for s in ["cannot open", "db.sqlite", "--read-only"] {
        assert!(err.contains(s), "lacks {s:?}: {err}");
    }
    // Looking: works, and shows the invoices it holds.
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["--read-only", "report", "ageing"])
        .env("ENCOURS_TODAY", "2024-04-01")
        .env_remove("ENCOURS_CONFIG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Boulangerie Martin"), "{stdout}");
}
