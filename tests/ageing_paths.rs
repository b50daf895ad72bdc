//! The ageing report reads its own narrow columns customer after customer (`invoices_open`)
//! and sums in integers: it must give the very report the general path gives (every open
//! item, summed as `Decimal`s), as of days before and after the last open invoice was
//! issued, on generated books paid in full, in part, late, and after an undo.

use chrono::{Days, NaiveDate};
use encours::config::Settings;
use encours::demo::generate;
use encours::domain::ageing::AgeingAccumulator;
use encours::import::ParseContext;
use encours::ingest::{IngestOutcome, ingest};
use encours::store::ageing::{OPEN_NOW_LEAN_SQL, ageing_report, for_each_open_item};
use encours::store::{Actor, Store, matching};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

fn actor() -> Actor {
    Actor::new("tester", today().and_hms_opt(9, 0, 0).unwrap())
}

fn books(settings: &Settings) -> Store {
    let named = generate::build(11, 40, 1_500, today()).in_import_order();
    let mut store = Store::open_in_memory().unwrap();
    for (name, content) in &named {
        let ctx = ParseContext {
            file_name: name.clone(),
            default_currency: settings.general.currency,
            csv_profiles: settings.import.csv_profiles.clone(),
        };
        match ingest(&mut store, content.as_bytes(), name, &ctx, &actor()) {
            Ok(IngestOutcome::Imported(_)) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    store
}

/// The report on `as_of` against every open item added one by one as `Decimal`s.
fn assert_same_report(store: &Store, settings: &Settings, as_of: NaiveDate) {
    let conn = store.conn();
    let terms = settings.general.default_terms_days;
    let fast = ageing_report(conn, as_of, settings.buckets(), terms).unwrap();
    let mut exact = AgeingAccumulator::new(as_of, settings.buckets());
    for_each_open_item(conn, as_of, terms, None, |item| exact.add(&item)).unwrap();
    let names = encours::store::ageing::customer_names(conn).unwrap();
    let exact = exact.finish(|id| names.get(&id).cloned().unwrap_or_default());
    assert_eq!(
        serde_json::to_string(&fast).unwrap(),
        serde_json::to_string(&exact).unwrap(),
        "ageing on {as_of}"
    );
}

fn last_open_issue(store: &Store) -> NaiveDate {
    let last: String = store
        .conn()
        .query_row(
            "SELECT MAX(issue_date) FROM invoices WHERE settled_on IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    NaiveDate::parse_from_str(&last, "%Y-%m-%d").unwrap()
}

fn days_around(store: &Store) -> Vec<NaiveDate> {
    let last = last_open_issue(store);
    vec![
        // Some open invoice issued after these: left out by the issue-date test.
        last - Days::new(200),
        last - Days::new(45),
        last.pred_opt().unwrap(),
        // Every open invoice issued by these.
        last,
        today(),
        today() + Days::new(75),
    ]
}

#[test]
fn the_lean_report_gives_the_general_report_on_any_day() {
    let settings = Settings::defaults();
    let mut store = books(&settings);
    let run = matching::run_matching(&mut store, &settings.matching.params(), &actor()).unwrap();
    assert!(run.allocation_ids.len() > 100, "too few payments to test");
    let partly_paid: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM invoices WHERE settled_on IS NULL AND first_paid_on IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(partly_paid > 0, "no invoice paid in part");
    for as_of in days_around(&store) {
        assert_same_report(&store, &settings, as_of);
    }
    // An undo puts invoices back into the index of open invoices.
    for id in run.allocation_ids.iter().step_by(7).take(20) {
        matching::undo_allocation(&mut store, *id, "test", &actor()).unwrap();
    }
    for as_of in days_around(&store) {
        assert_same_report(&store, &settings, as_of);
    }
}

#[test]
fn the_customer_order_comes_from_its_index_without_a_sort() {
    let store = Store::open_in_memory().unwrap();
    let plan: Vec<String> = store
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN {OPEN_NOW_LEAN_SQL}"))
        .unwrap()
        .query_map(["2026-06-15", "EUR"], |r| r.get(3))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let plan = plan.join("; ");
    assert!(plan.contains("COVERING INDEX invoices_open"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}

/// The report reads its statements in one read transaction of its own, or in the caller's
/// when there is one (a refresh reads inside its own): the same report either way.
#[test]
fn the_report_reads_inside_a_callers_transaction_too() {
    let settings = Settings::defaults();
    let mut store = books(&settings);
    matching::run_matching(&mut store, &settings.matching.params(), &actor()).unwrap();
    let conn = store.conn();
    let terms = settings.general.default_terms_days;
    for as_of in days_around(&store) {
        let alone = ageing_report(conn, as_of, settings.buckets(), terms).unwrap();
        assert!(conn.is_autocommit(), "the report's own transaction is over");
        conn.execute_batch("BEGIN").unwrap();
        let inside = ageing_report(conn, as_of, settings.buckets(), terms).unwrap();
        let total = encours::store::ageing::total_open(conn, as_of).unwrap();
        assert!(
            !conn.is_autocommit(),
            "the caller's transaction is left open"
        );
        conn.execute_batch("COMMIT").unwrap();
        assert_eq!(alone, inside, "{as_of}");
        assert_eq!(total, alone.total.open, "{as_of}");
    }
}
