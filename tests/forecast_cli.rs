//! `encours report forecast` as a user runs it: the real binary over a database file.

mod forecast_fixture;

use encours::store::{OpenOptions, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixture company in a database file, and a settings file for a two-week horizon
/// without the demo's recurring outflows.
fn setup(dir: &Path) -> (PathBuf, PathBuf) {
    let db = dir.join("company.db");
    forecast_fixture::company_in(Store::open(&db, OpenOptions::default()).unwrap());
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[general]\nlanguage = \"en\"\n[forecast]\nrecurring = []\nalert_threshold = \"28000.00\"\nhorizon_weeks = 2\ndaily_days = 7\n",
    )
    .unwrap();
    (db, config)
}

fn encours(db: &Path, config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_encours"))
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(config)
        .args(["--today", "2026-03-02", "report", "forecast"])
        .args(args)
        .env_remove("ENCOURS_DB")
        .env_remove("ENCOURS_CONFIG")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn json_gives_the_figures_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (db, config) = setup(dir.path());
    let out = stdout(&encours(&db, &config, &["--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // See tests/forecast_store.rs, forecast_from_the_database: 30,000 + 400 − 3,000 on
    // 4 March, + 12,000 on 11 March.
    let expected = &v["scenarios"][0];
    assert_eq!(expected["scenario"]["kind"], "expected");
    assert_eq!(expected["periods"][2]["balance"], "27400.00");
    assert_eq!(expected["closing"], "39400.00");
    assert_eq!(expected["risk_periods"][0]["start"], "2026-03-04");
    assert_eq!(
        expected["risk_periods"][0]["causes"][0]["label"],
        "Matières SA"
    );
    assert_eq!(v["scenarios"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["net_cash"]["net"], "27000.00");
}

#[test]
fn the_table_names_the_tight_spot_and_its_causes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, config) = setup(dir.path());
    let out = stdout(&encours(&db, &config, &["--scenario", "expected"]));
    assert!(out.contains("Risk periods, below €28,000.00"), "{out}");
    assert!(
        out.contains("expected: 2026-03-04 → 2026-03-10, lowest €27,400.00"),
        "{out}"
    );
    assert!(
        out.contains("Matières SA (supplier) €3,000.00 on 2026-03-04"),
        "{out}"
    );
    assert!(
        out.contains("late receipt Garage Martin: €12,000.00 due 2026-03-05, expected 2026-03-11"),
        "{out}"
    );
    assert!(out.contains("Net cash €27,000.00"), "{out}");
    // French, when asked.
    std::fs::write(
        &config,
        "[general]\nlanguage = \"fr\"\n[forecast]\nrecurring = []\nalert_threshold = \"28000.00\"\nhorizon_weeks = 2\ndaily_days = 7\n",
    )
    .unwrap();
    let out = stdout(&encours(&db, &config, &[]));
    assert!(out.contains("Périodes à risque, sous 28 000,00 €"), "{out}");
    assert!(
        out.contains("encaissement tardif Garage Martin : 12 000,00 €"),
        "{out}"
    );
}

#[test]
fn toggles_add_a_custom_scenario_and_bad_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, config) = setup(dir.path());
    // Garage Martin 10 days later: 11 March → 21 March (Saturday) → Monday 23, after the
    // horizon; without the supplier the balance never dips.
    let out = stdout(&encours(
        &db,
        &config,
        &[
            "--format",
            "json",
            "--scenario",
            "expected",
            "--push",
            "C1:10",
            "--drop",
            "401MAT",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let custom = &v["scenarios"][1];
    assert_eq!(custom["scenario"]["kind"], "custom");
    assert_eq!(custom["closing"], "30400.00");
    assert_eq!(custom["receipts_after_horizon"], "12000.00");
    assert_eq!(custom["risk_periods"].as_array().map(Vec::len), Some(0));

    let bad = encours(&db, &config, &["--push", "NOPE:3"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'NOPE'"));
    let bad = encours(&db, &config, &["--drop", "Loyer"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--drop Loyer"));
    let bad = encours(&db, &config, &["--push", "C1:many"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("0 to 365"));
}

#[test]
fn saved_runs_are_listed_for_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let (db, config) = setup(dir.path());
    let saved = encours(&db, &config, &["--save", "--format", "csv"]);
    assert!(String::from_utf8_lossy(&saved.stderr).contains("forecast saved: #1, #2, #3"));
    let csv = stdout(&saved);
    assert!(csv.starts_with("scenario,start,end,daily,inflow"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 3 * 8);
    let out = stdout(&encours(&db, &config, &["--accuracy", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(3));
    // No bank data after the as-of date yet: nothing to compare.
    assert_eq!(v[0]["weeks"].as_array().map(Vec::len), Some(0));
    let out = stdout(&encours(&db, &config, &["--backtest"]));
    assert!(out.contains("3 paid invoices of 1 customers"), "{out}");
}

#[test]
fn a_backtest_file_goes_through_the_importers() {
    // The FEC reader is another module's; any file goes through `import::parse_bytes`, and
    // one that yields no paid invoice is refused with the file named, never a panic.
    let dir = tempfile::tempdir().unwrap();
    let (db, config) = setup(dir.path());
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "nothing to replay here\n").unwrap();
    let out = encours(&db, &config, &["--backtest", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("notes.txt"), "{err}");
}
