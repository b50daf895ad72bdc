//! A run over a database file reads the bank credits on a second connection while the
//! write transaction reads the invoices (`store::matching::load::run_inputs`); an in-memory
//! database is read in turn on one. Both must decide the same: the same books, matched in
//! a file and in memory, give the same summary, suggestions included, and the same rows.

use encours::config::Settings;
use encours::demo::generate;
use encours::import::ParseContext;
use encours::ingest::{IngestOutcome, ingest};
use encours::store::{Actor, OpenOptions, Store, matching};

fn actor() -> Actor {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    Actor::new("tester", today.and_hms_opt(9, 0, 0).unwrap())
}

fn fill(store: &mut Store, settings: &Settings) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let mut named = generate::build(17, 30, 1_200, today).in_import_order();
    // Credits no rule can place, so that some are left with suggestions to compare.
    let mut odd = String::from(
        "IBAN : FR76 3000 6000 0112 3456 7890 189;;;\nDate opération;Libellé;Montant;Devise\n",
    );
    for k in 0..12 {
        odd.push_str(&format!(
            "{:02}/06/2026;VIR SEPA INCONNU {k};{},{:02};EUR\n",
            1 + k,
            95 + 37 * k,
            k * 7 % 100
        ));
    }
    named.push(("odd.csv".to_string(), odd));
    for (name, content) in &named {
        let ctx = ParseContext {
            file_name: name.clone(),
            default_currency: settings.general.currency,
            csv_profiles: settings.import.csv_profiles.clone(),
        };
        match ingest(store, content.as_bytes(), name, &ctx, &actor()) {
            Ok(IngestOutcome::Imported(_)) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
}

fn allocation_rows(store: &Store) -> Vec<(i64, Option<i64>, i64, String, String)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT invoice_id, transaction_id, amount_minor, paid_on, rule FROM allocations
             ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

#[test]
fn a_run_over_a_file_decides_as_one_in_memory() {
    let settings = Settings::defaults();
    let dir = tempfile::tempdir().unwrap();
    let mut file = Store::open(&dir.path().join("books.db"), OpenOptions::default()).unwrap();
    let mut memory = Store::open_in_memory().unwrap();
    fill(&mut file, &settings);
    fill(&mut memory, &settings);
    let params = settings.matching.params();
    let from_file = matching::run_matching(&mut file, &params, &actor()).unwrap();
    let in_memory = matching::run_matching(&mut memory, &params, &actor()).unwrap();
    assert!(
        from_file.credits_matched > 100,
        "too few matches to compare"
    );
    assert!(!from_file.left.is_empty(), "no credit left to compare");
    assert_eq!(from_file, in_memory);
    assert_eq!(allocation_rows(&file), allocation_rows(&memory));
    // A second run over the file (credits now partly used) still agrees.
    let again_file = matching::run_matching(&mut file, &params, &actor()).unwrap();
    let again_memory = matching::run_matching(&mut memory, &params, &actor()).unwrap();
    assert_eq!(again_file, again_memory);
}
