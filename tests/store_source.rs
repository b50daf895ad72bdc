//! The real `DataSource` over SQLite, on books written with batches in code.

mod support;

use encours::app::source::{DataSource, Outcome, SourceError};
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::app::views::*;
use encours::config::Settings;
use encours::store::{OpenOptions, Store};
use rust_decimal_macros::dec;
use support::books::{self, actor, d};

fn source() -> StoreSource {
    let mut store = Store::open_in_memory().unwrap();
    books::write(&mut store);
    StoreSource::new(
        store,
        SourceSettings::from_settings(&Settings::defaults(), encours::locale::Language::En)
            .unwrap(),
    )
}

fn today() -> chrono::NaiveDate {
    d(6, 15)
}

#[test]
fn overview_figures() {
    let s = source();
    let o = s.overview(today()).unwrap();
    assert_eq!(o.ageing.open, dec!(4500));
    assert_eq!(o.ageing.overdue, dec!(1400));
    assert_eq!(
        o.ageing.buckets,
        [dec!(3100), dec!(500), dec!(600), dec!(300), dec!(0)]
    );
    assert_eq!(o.headline.overdue_percent, Some(dec!(31.1)));
    // Countback: June to date sold 1,600 (15 days), May 2,000 (31), then 900 of April's
    // 1,000 (30 days × 0.9).
    assert_eq!(o.headline.dso_days, Some(dec!(73.0)));
    // Closing 20,000 on 10/06, then +1,500 −300 −200 booked after; minus 5,000 of payables
    // due within 30 days.
    assert_eq!(o.headline.net_cash, Some(dec!(16000)));
    assert_eq!(o.headline.bank_as_of, Some(d(6, 12)));
    assert!(!o.headline.bank_stale);
    assert!(
        s.overview(d(6, 16)).unwrap().headline.bank_stale,
        "4 days old is stale with the default 3"
    );
    let top: Vec<&str> = o
        .ageing
        .top_overdue
        .iter()
        .map(|t| t.code.as_str())
        .collect();
    assert_eq!(top, ["C2", "C1"]);
    assert_eq!(o.ageing.top_overdue[0].oldest_days_late, 76);
}

#[test]
fn receivables_and_customer_page() {
    let s = source();
    let r = s.receivables(today()).unwrap();
    assert_eq!(r.rows.len(), 3);
    assert_eq!(r.total_open, dec!(4500));
    let c1 = r.rows.iter().find(|r| r.code == "C1").unwrap();
    let c = s.customer(c1.customer_id, today()).unwrap();
    assert_eq!(c.name, "Customer One");
    assert_eq!(c.exposure, dec!(2600));
    assert_eq!(c.overdue, dec!(600));
    assert_eq!(c.limit_use_percent, Some(52));
    assert_eq!(c.contact.email.as_deref(), Some("c1@example.fr"));
    let numbers: Vec<&str> = c.open_invoices.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers, ["A-1", "B-1"]);
    assert_eq!(c.open_invoices[0].days_late, 36);
    assert_eq!(
        c.open_invoices[1].due_date,
        d(6, 19),
        "due from the customer's 30 days"
    );
    assert_eq!(c.penalties.indemnities, dec!(40));
    assert!(
        c.penalties.interest.is_some_and(|i| i > dec!(0)),
        "late interest from the rate table"
    );
    let c2 = r.rows.iter().find(|r| r.code == "C2").unwrap();
    let c = s.customer(c2.customer_id, today()).unwrap();
    // D-1 only: the disputed C-1 is not claimed.
    assert_eq!(c.penalties.late_invoices, 1);
    assert_eq!(c.disputes.len(), 1);
    assert_eq!(c.disputes[0].invoice_number, "C-1");
    assert!(matches!(
        s.customer(999, today()),
        Err(SourceError::NotFound(_))
    ));
}

#[test]
fn invoice_page_with_its_allocations() {
    let s = source();
    let c1 = s
        .receivables(today())
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.code == "C1")
        .unwrap();
    let c = s.customer(c1.customer_id, today()).unwrap();
    let a = s.invoice(c.open_invoices[0].invoice_id, today()).unwrap();
    assert_eq!(a.open, dec!(600));
    assert!(a.due_date_given);
    assert_eq!(a.imported_from.as_deref(), Some("ledger.txt"));
    assert_eq!(a.allocations.len(), 1);
    assert_eq!(a.allocations[0].rule, "ledger");
    assert_eq!(a.allocations[0].source, "lettering AA");
    assert_eq!(a.allocations[0].amount, dec!(400));
    // As of before the settlement, the whole amount was open.
    assert_eq!(s.invoice(a.invoice_id, d(5, 19)).unwrap().open, dec!(1000));
    let b = s.invoice(c.open_invoices[1].invoice_id, today()).unwrap();
    assert!(!b.due_date_given);
}

#[test]
fn queue_gate_forecast_and_matching_come_from_their_modules() {
    let s = source();
    let q = s.queue(today()).unwrap();
    assert_eq!(q.disputed.len(), 1, "disputed invoices are shown apart");
    assert_eq!(q.disputed[0].number, "C-1");
    assert_eq!(q.stale_bank_data, None);
    assert_eq!(s.queue(d(6, 20)).unwrap().stale_bank_data, Some(d(6, 12)));
    let f = s.forecast(today(), &ForecastRequest::default()).unwrap();
    assert_eq!(f.opening_date, Some(d(6, 12)));
    assert!(!f.points.is_empty());
    assert!(f.lowest.is_some());
    let m = s.matching(today()).unwrap();
    assert!(m.rows.iter().all(|r| r.amount > dec!(0)), "credits only");
    assert_eq!(m.notice, None);
}

#[test]
fn imports_and_refusals() {
    let s = source();
    let i = s.imports().unwrap();
    assert_eq!(i.imports.len(), 2);
    assert_eq!(i.imports[0].file_name, "releve.xml");
    assert_eq!(i.imports[0].transactions, 4);
    assert_eq!(i.imports[1].invoices, 6);
    assert_eq!(i.imports[1].customers, 3);
    assert_eq!(i.imports[1].settlements, 1);
    assert_eq!(i.rejections.len(), 1);
    assert!(i.rejections[0].reason.contains("Montant"));
}

/// A refusal is kept as the reader wrote it and read in each person's language; one recorded
/// before its parts were kept shows its text as it was.
#[test]
fn refusals_are_read_in_the_readers_language() {
    let mut store = Store::open_in_memory().unwrap();
    books::write(&mut store);
    store
        .conn()
        .execute(
            "INSERT INTO import_rejections (file_name, sha256, at, who, reason)
             VALUES ('old.csv', 'sha-old', '2026-06-01T08:00:00', 'someone', 'line 2: the file is empty')",
            [],
        )
        .unwrap();
    let s = StoreSource::new(
        store,
        SourceSettings::from_settings(&Settings::defaults(), encours::locale::Language::Fr)
            .unwrap(),
    );
    let i = s.imports().unwrap();
    let reasons: Vec<&str> = i.rejections.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "line 2: the file is empty",
            "ligne 3, champ « Montant » : \"x\" n'est pas un montant",
        ]
    );
}

#[test]
fn outcomes_are_events_and_undo_appends() {
    let mut s = source();
    let id = s
        .receivables(today())
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.code == "C1")
        .unwrap()
        .customer_id;
    let a = actor();
    s.record_outcome(
        &a,
        id,
        &Outcome::Promise {
            date: d(6, 30),
            amount: dec!(600),
        },
    )
    .unwrap();
    s.record_outcome(
        &a,
        id,
        &Outcome::Note {
            text: "rappeler lundi".into(),
        },
    )
    .unwrap();
    let c = s.customer(id, today()).unwrap();
    assert_eq!(c.promises.len(), 1);
    assert_eq!(c.promises[0].status, PromiseStatus::Pending);
    assert_eq!(c.events[0].kind, "note");
    assert!(
        c.events[0].text.contains("rappeler lundi"),
        "{:?}",
        c.events[0]
    );
    assert_eq!(c.events[1].kind, "promise");
    assert_eq!(c.events[1].amount, Some(dec!(600)));
    assert_eq!(c.events[1].who, "tester");
    assert_eq!(s.undo_last(&a).unwrap(), "note: Customer One");
    assert_eq!(s.undo_last(&a).unwrap(), "promise: Customer One");
    assert!(matches!(s.undo_last(&a), Err(SourceError::Refused(_))));
    let c = s.customer(id, today()).unwrap();
    assert!(c.promises.is_empty());
    assert!(
        c.events
            .iter()
            .filter(|e| e.kind == "promise" || e.kind == "note")
            .all(|e| e.undone)
    );
    // The trail is append-only: the undo is two more rows, nothing was changed.
    let rows: i64 = s
        .store()
        .conn()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 4);
    // A promise whose date passed without the money is broken.
    s.record_outcome(
        &a,
        id,
        &Outcome::Promise {
            date: d(6, 30),
            amount: dec!(600),
        },
    )
    .unwrap();
    assert_eq!(
        s.customer(id, d(7, 31)).unwrap().promises[0].status,
        PromiseStatus::Broken
    );
}

#[test]
fn limit_and_segment_are_logged() {
    let mut s = source();
    let id = s
        .receivables(today())
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.code == "C1")
        .unwrap()
        .customer_id;
    s.set_limit(&actor(), id, Some(dec!(7500))).unwrap();
    s.set_segment(&actor(), id, encours::domain::model::Segment::Watch)
        .unwrap();
    let c = s.customer(id, today()).unwrap();
    assert_eq!(c.credit_limit, Some(dec!(7500)));
    assert_eq!(c.limit_use_percent, Some(35));
    assert_eq!(c.segment, encours::domain::model::Segment::Watch);
    assert_eq!(c.events[0].kind, "segment_set");
    assert_eq!(c.events[0].text, "standard → watch");
    assert_eq!(c.events[1].text, "5000.00 → 7500.00");
    s.set_limit(&actor(), id, None).unwrap();
    assert_eq!(s.customer(id, today()).unwrap().credit_limit, None);
    assert!(matches!(
        s.set_limit(&actor(), 999, None),
        Err(SourceError::NotFound(_))
    ));
}

#[test]
fn data_version_moves_when_another_connection_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("books.db");
    let mut store = Store::open(&path, OpenOptions::default()).unwrap();
    books::write(&mut store);
    let mut s = StoreSource::new(
        store,
        SourceSettings::from_settings(&Settings::defaults(), encours::locale::Language::En)
            .unwrap(),
    );
    let v0 = s.data_version().unwrap();
    assert!(v0.is_some());
    let id = s.receivables(today()).unwrap().rows[0].customer_id;
    s.record_outcome(&actor(), id, &Outcome::Reached).unwrap();
    assert_eq!(s.data_version().unwrap(), v0, "our own writes do not count");
    let mut other = Store::open(&path, OpenOptions::default()).unwrap();
    other
        .write(|tx| {
            tx.execute("UPDATE customers SET phone = '09' WHERE id = ?1", [id])
                .map_err(encours::store::StoreError::from)
        })
        .unwrap();
    assert_ne!(s.data_version().unwrap(), v0);
}

#[test]
fn a_read_only_session_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("books.db");
    let mut store = Store::open(&path, OpenOptions::default()).unwrap();
    books::write(&mut store);
    drop(store);
    let store = Store::open(&path, OpenOptions { read_only: true }).unwrap();
    let mut s = StoreSource::new(
        store,
        SourceSettings::from_settings(&Settings::defaults(), encours::locale::Language::En)
            .unwrap(),
    );
    assert_eq!(s.overview(today()).unwrap().ageing.open, dec!(4500));
    assert!(s.record_outcome(&actor(), 1, &Outcome::Reached).is_err());
}
