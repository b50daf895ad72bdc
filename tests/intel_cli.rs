//! The intelligence commands, run as the real binary on a database built in code.

mod intel_support;

use intel_support::*;
use std::path::Path;
use std::process::Command;

fn encours(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_encours"))
        .args(["--db", dir.join("db.sqlite").to_str().unwrap()])
        .args(["--config", dir.join("config.toml").to_str().unwrap()])
        .args(args)
        .env("ENCOURS_TODAY", "2026-06-30")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("USER", "marie")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[letters]\noutbox = \"{}\"\nsender_email = \"compta@ma-societe.fr\"\n",
            dir.path().join("outbox").display()
        ),
    )
    .unwrap();
    let mut f = Fixture::at(&dir.path().join("db.sqlite"));
    f.customer("DUP", "Dupont Frères", |c| {
        c.email = Some("compta@dupont.fr".into());
        c.contact_name = Some("Mme Leroy".into());
    });
    f.invoice("DUP", "F-100", d(2026, 6, 20), "1200.00");
    f.invoice("DUP", "F-101", d(2026, 6, 28), "300.00");
    f.bank_line(d(2026, 6, 30), "10.00", "Other", None, false);
    dir
}

#[test]
fn report_log_customer_check_and_letter_work_end_to_end() {
    let dir = setup();
    let p = dir.path();

    let (ok, out, err) = encours(p, &["report", "queue"]);
    assert!(ok, "{err}");
    assert!(out.contains("DUP") && out.contains("call"), "{out}");

    let (ok, out, _) = encours(p, &["report", "queue", "--format", "json"]);
    assert!(ok);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["lines"][0]["level"], 2);
    assert_eq!(json["lines"][0]["cash_at_stake"], "1500.00");

    let (ok, out, _) = encours(p, &["report", "figures", "--format", "csv"]);
    assert!(ok);
    assert!(out.contains("open receivables,1500.00"), "{out}");
    let (ok, _, err) = encours(p, &["report", "signals", "--format", "json"]);
    assert!(ok, "{err}");

    let (ok, out, err) = encours(
        p,
        &[
            "log",
            "dupont",
            "promise",
            "--date",
            "2026-07-03",
            "--amount",
            "1500",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("promise (marie)"), "{out}");
    let (_, out, _) = encours(p, &["report", "queue"]);
    assert!(
        out.contains("promise of €1,500.00 awaited until 2026-07-06"),
        "{out}"
    );
    let (ok, out, _) = encours(p, &["log", "--history", "DUP"]);
    assert!(ok);
    assert!(
        out.contains("marie  promise: €1,500.00 by 2026-07-03 [level 2]"),
        "{out}"
    );

    let (ok, out, _) = encours(p, &["check", "DUP", "2000"]);
    assert!(ok);
    assert!(
        out.starts_with("CAUTION: ship €2,000.00 more to Dupont Frères?"),
        "{out}"
    );

    let (ok, out, err) = encours(p, &["letter", "DUP", "--level", "1"]);
    assert!(ok, "{err}");
    let files: Vec<&str> = out.lines().collect();
    assert_eq!(files.len(), 2, "{out}");
    assert!(files[1].ends_with("2026-06-30-DUP-L1-reminder_email.eml"));
    let eml = std::fs::read_to_string(files[1]).unwrap();
    assert!(
        eml.contains("To: Mme Leroy <compta@dupont.fr>\r\n"),
        "{eml}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(files[1]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Without a mail command nothing can be sent, and nothing is written either.
    let (ok, _, err) = encours(p, &["letter", "DUP", "--send"]);
    assert!(!ok);
    assert!(err.contains("mail_command"), "{err}");
    let (ok, _, err) = encours(p, &["customer", "nobody"]);
    assert!(!ok);
    assert!(err.contains("no customer"), "{err}");
}

#[test]
fn send_hands_the_email_to_the_mail_command_and_records_it() {
    let dir = setup();
    let p = dir.path();
    let sent = p.join("sent.eml");
    let mut config = std::fs::read_to_string(p.join("config.toml")).unwrap();
    config.push_str(&format!("mail_command = \"tee {}\"\n", sent.display()));
    std::fs::write(p.join("config.toml"), config).unwrap();
    let (ok, out, err) = encours(p, &["letter", "DUP", "--level", "1", "--send"]);
    assert!(ok, "{err}");
    assert!(out.contains("email sent"), "{out}");
    assert!(
        std::fs::read_to_string(&sent)
            .unwrap()
            .starts_with("From: ")
    );
    let (_, out, _) = encours(p, &["log", "--history", "DUP"]);
    assert!(out.contains("email sent [level 1]"), "{out}");
    // The level-1 email is done; the call (level 2) is still due today.
    let (_, out, _) = encours(p, &["report", "queue", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["lines"][0]["level"], 2);
}

/// A customer's card for a French reader: the ageing line's buckets in French too.
#[test]
fn the_customer_card_speaks_the_readers_language() {
    let dir = setup();
    let out = Command::new(env!("CARGO_BIN_EXE_encours"))
        .args(["--db", dir.path().join("db.sqlite").to_str().unwrap()])
        .args(["--config", dir.path().join("config.toml").to_str().unwrap()])
        .args(["customer", "DUP"])
        .env("ENCOURS_TODAY", "2026-06-30")
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let ageing = text
        .lines()
        .find(|l| l.starts_with("Balance âgée"))
        .unwrap_or_default();
    assert!(ageing.contains("non échu : "), "{ageing:?}");
    // Recording an outcome answers in French too.
    let out = Command::new(env!("CARGO_BIN_EXE_encours"))
        .args(["--db", dir.path().join("db.sqlite").to_str().unwrap()])
        .args(["--config", dir.path().join("config.toml").to_str().unwrap()])
        .args(["log", "DUP", "no-answer"])
        .env("ENCOURS_TODAY", "2026-06-30")
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("USER", "marie")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Dupont Frères : pas de réponse (marie)"),
        "{text}"
    );
    assert!(!ageing.contains("not due"), "{ageing:?}");
}
