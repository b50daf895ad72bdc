//! The table of bad inputs (README, "Bad input: what you see, what the database holds"), one
//! test per row, through the real binary: `encours import` on a database that already holds
//! a good import. Each refused file must be named in the message with its line and field and
//! a hint, and leave every table as it was (only the refusal record is added).

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_encours");
/// Tables that a file's content can reach; `import_rejections` is left out on purpose,
/// since a refusal is recorded there.
const TABLES: &[&str] = &[
    "imports",
    "customers",
    "invoices",
    "bank_accounts",
    "bank_transactions",
    "bank_balances",
    "supplier_invoices",
    "external_ratings",
    "allocations",
    "events",
];

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    /// A database holding one good invoice import (our fixture `invoices_fr.csv`).
    fn with_good_import() -> Db {
        let db = Db {
            dir: tempfile::tempdir().unwrap(),
        };
        let good = db.write("good.csv", &fixture("invoices_fr.csv"));
        let out = db.run(&["import", good.to_str().unwrap()]);
        assert_eq!(out.0, 0, "{}", out.2);
        db
    }
    fn path(&self) -> PathBuf {
        self.dir.path().join("db.sqlite")
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(BIN)
            .args(args)
            .env("ENCOURS_DB", self.path())
            .env("ENCOURS_TODAY", "2024-04-01")
            .env_remove("ENCOURS_CONFIG")
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
    fn counts(&self) -> Vec<(String, i64)> {
        let conn = Connection::open(self.path()).unwrap();
        TABLES
            .iter()
            .map(|t| {
                let n: i64 = conn
                    .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
                    .unwrap();
                (t.to_string(), n)
            })
            .collect()
    }
    fn good_invoice_present(&self) -> bool {
        let conn = Connection::open(self.path()).unwrap();
        conn.query_row(
            "SELECT COUNT(*) FROM invoices WHERE number = 'FA-2024-001'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    }

    /// Imports `bytes` as `name`, expects a refusal whose message holds every one of
    /// `must_say`, and checks the database holds nothing of the file.
    fn refused(&self, name: &str, bytes: &[u8], must_say: &[&str]) -> String {
        self.refused_with(&[], name, bytes, must_say)
    }

    /// [`Db::refused`] with options before the `import` subcommand (`--config`).
    fn refused_with(
        &self,
        options: &[&str],
        name: &str,
        bytes: &[u8],
        must_say: &[&str],
    ) -> String {
        let before = self.counts();
        let file = self.write(name, bytes);
        let mut args = options.to_vec();
        args.extend(["import", file.to_str().unwrap()]);
        let (code, _out, err) = self.run(&args);
        assert_ne!(code, 0, "{name} was accepted: {err}");
        assert!(err.contains(name), "message does not name the file: {err}");
        for s in must_say {
            assert!(err.contains(s), "message lacks {s:?}: {err}");
        }
        assert_eq!(self.counts(), before, "{name} left rows behind");
        assert!(self.good_invoice_present(), "the earlier import was lost");
        err
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// The good fixture with its first invoice row (line 5) changed.
fn good_with_line5(from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(fixture("invoices_fr.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(lines[4].contains(from), "fixture changed: {}", lines[4]);
    lines[4] = lines[4].replacen(from, to, 1);
    // Other invoice numbers too, so that the file is not the same invoices again.
    let mut out = lines.join("\n").replace("FA-2024-", "FB-2024-");
    out.push('\n');
    out.into_bytes()
}

#[test]
fn wrong_separator() {
    let db = Db::with_good_import();
    let text = String::from_utf8(fixture("invoices_fr.csv"))
        .unwrap()
        .replace(';', ",")
        .replace("FA-2024-", "FB-2024-");
    // The comma splits "1 200,00" in two: the columns would shift, and the reader says so
    // instead of blaming the field that happens to land under 'Type'.
    let err = db.refused(
        "sep.csv",
        text.as_bytes(),
        &[
            "line 5: the separator looks like ','",
            "',' is also the decimal mark (\"1 200,00\" is cut in two)",
            "13 fields, the header on line 4 into 11",
            "export the file again with ';' as separator",
        ],
    );
    assert!(!err.contains("field '"), "a shifted field is blamed: {err}");
}

#[test]
fn one_line_with_another_separator() {
    let db = Db::with_good_import();
    let text = String::from_utf8(fixture("invoices_fr.csv"))
        .unwrap()
        .replace("FA-2024-", "FB-2024-");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[5] = lines[5].replace(';', ",");
    db.refused(
        "mixed.csv",
        (lines.join("\n") + "\n").as_bytes(),
        &[
            "mixed.csv: line 6: the separator looks like ',' on this line but ';' on the header \
             (line 4)",
            "replace ',' by ';' on this line",
        ],
    );
}

#[test]
fn wrong_separator_for_a_profile() {
    let db = Db::with_good_import();
    let cfg = db.write(
        "encours.toml",
        "[[import.csv_profiles]]\nname = \"ERP\"\nkind = \"invoices\"\n\
         detect_headers = [\"N° facture\", \"Montant TTC\"]\ndelimiter = \";\"\n"
            .as_bytes(),
    );
    let text = String::from_utf8(fixture("invoices_fr.csv")).unwrap();
    // Without the preamble, so that the header is line 1.
    let text = text
        .lines()
        .skip(3)
        .collect::<Vec<_>>()
        .join("\n")
        .replace(';', ",")
        .replace("FA-2024-", "FB-2024-");
    db.refused_with(
        &["--config", cfg.to_str().unwrap()],
        "erp.csv",
        text.as_bytes(),
        &[
            "erp.csv: line 1: the separator looks like ',' but the profile 'ERP' says ';'",
            "export the file again with ';' as separator, or set delimiter = \",\" in the profile 'ERP'",
        ],
    );
}

#[test]
fn amount_with_letters() {
    let db = Db::with_good_import();
    db.refused(
        "letters.csv",
        &good_with_line5("1 200,00;1 200,00", "12O0,00;1 200,00"),
        &[
            "line 5",
            "field 'Montant TTC'",
            "\"12O0,00\" is not an amount",
            "write digits",
        ],
    );
}

#[test]
fn month_first_date_read_day_first() {
    let db = Db::with_good_import();
    db.refused(
        "month_first.csv",
        &good_with_line5("05/01/2024", "05/13/2024"),
        &[
            "line 5",
            "field 'Date facture'",
            "is not a date",
            "day_first = false",
        ],
    );
}

#[test]
fn due_date_before_issue_date() {
    let db = Db::with_good_import();
    db.refused(
        "due_before.csv",
        &good_with_line5("05/01/2024", "05/03/2024"),
        &[
            "line 5",
            "field 'Échéance'",
            "before the issue date",
            "swap",
        ],
    );
}

#[test]
fn negative_invoice() {
    let db = Db::with_good_import();
    db.refused(
        "negative.csv",
        &good_with_line5("1 200,00;1 200,00", "-1 200,00;-1 200,00"),
        &[
            "line 5",
            "field 'Montant TTC'",
            "negative amount",
            "credit note",
        ],
    );
}

#[test]
fn unknown_currency() {
    let db = Db::with_good_import();
    db.refused(
        "currency.csv",
        &good_with_line5(";EUR;", ";XYZ;"),
        &["line 5", "field 'Devise'", "\"XYZ\"", "ISO 4217"],
    );
}

#[test]
fn duplicate_invoice_number_within_a_file() {
    let db = Db::with_good_import();
    let good = String::from_utf8(fixture("invoices_fr.csv")).unwrap();
    let mut lines: Vec<&str> = good.lines().take(5).collect();
    let changed = lines[4].replace("1 200,00;1 200,00", "1 300,00;1 300,00");
    lines.push(&changed);
    let text = lines.join("\n").replace("FA-2024-", "FC-2024-");
    db.refused(
        "dup_in_file.csv",
        text.as_bytes(),
        &[
            "line 6",
            "field 'N° facture'",
            "line 5",
            "correct or remove",
        ],
    );
}

#[test]
fn duplicate_invoice_number_across_files() {
    let db = Db::with_good_import();
    let good = String::from_utf8(fixture("invoices_fr.csv")).unwrap();
    let lines: Vec<&str> = good.lines().take(5).collect();
    let text = lines
        .join("\n")
        .replace("1 200,00;1 200,00", "1 300,00;1 300,00");
    db.refused(
        "dup_across.csv",
        text.as_bytes(),
        &[
            "line 5",
            "field 'number'",
            "already imported from",
            "good.csv",
            "credit note",
        ],
    );
}

#[test]
fn empty_file() {
    let db = Db::with_good_import();
    db.refused("empty.csv", b"", &["the file is empty", "export it again"]);
    db.refused("blank.csv", b" \n\r\n\t\n", &["the file is empty"]);
}

#[test]
fn binary_file() {
    let db = Db::with_good_import();
    // A fixed pseudo-random block (xorshift), not /dev/urandom: the test must be repeatable.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    db.refused(
        "junk.bin",
        &bytes,
        &["line 1", "not recognised", "add a profile"],
    );
}

#[test]
fn cfonb_240_file() {
    let db = Db::with_good_import();
    // Our own two records in the CFONB 240 layout (31 header, 39 trailer), 240 columns each.
    let rec = |code: &str| format!("{code}{}", "0".repeat(238));
    let text = format!("{}\r\n{}\r\n", rec("31"), rec("39"));
    db.refused(
        "remise.txt",
        text.as_bytes(),
        &["CFONB 240", "CFONB 120", "not imported"],
    );
}

#[test]
fn invoice_export_dropped_as_a_bank_statement() {
    // The content decides, not the name: an invoice export called "releve" lands as invoices.
    let db = Db::with_good_import();
    let text = String::from_utf8(fixture("invoices_fr.csv"))
        .unwrap()
        .replace("FA-2024-", "FD-2024-");
    let file = db.write("releve_bancaire_mars.csv", text.as_bytes());
    let before = db.counts();
    let (code, out, err) = db.run(&["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("invoice_csv"), "{out}");
    let after = db.counts();
    let get = |v: &[(String, i64)], t: &str| v.iter().find(|(n, _)| n == t).unwrap().1;
    assert!(get(&after, "invoices") > get(&before, "invoices"));
    assert_eq!(
        get(&after, "bank_transactions"),
        get(&before, "bank_transactions")
    );
}

#[test]
fn bank_file_for_an_unknown_account_is_accepted_and_reported() {
    let db = Db::with_good_import();
    let file = db.write("unknown_account.sta", &fixture("mt940_edge.sta"));
    let before = db.counts();
    let (code, out, err) = db.run(&["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("new bank account "), "{out}");
    let get = |v: &[(String, i64)], t: &str| v.iter().find(|(n, _)| n == t).unwrap().1;
    let after = db.counts();
    assert_eq!(
        get(&after, "bank_accounts"),
        get(&before, "bank_accounts") + 1
    );
    assert!(get(&after, "bank_transactions") > get(&before, "bank_transactions"));
    // The same account the second time is no longer new.
    let again = db.write("unknown_account_2.sta", &{
        let mut b = fixture("mt940_edge.sta");
        b.extend_from_slice(b"\n");
        b
    });
    let (code, out, err) = db.run(&["import", again.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("new bank account"), "{out}");
}

#[test]
fn misspelt_config_key() {
    let db = Db::with_good_import();
    let before = db.counts();
    let cfg = db.write("encours.toml", b"[matching]\nauto_treshold = 3\n");
    let other = db.write("other.csv", &good_with_line5(";EUR;", ";EUR;"));
    let (code, _out, err) = db.run(&[
        "--config",
        cfg.to_str().unwrap(),
        "import",
        other.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    for s in [
        "encours.toml",
        "auto_treshold",
        "matching",
        "expected one of",
    ] {
        assert!(err.contains(s), "lacks {s:?}: {err}");
    }
    assert_eq!(db.counts(), before);
    assert!(db.good_invoice_present());
}
