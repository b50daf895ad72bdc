//! The incremental refresh of the intelligence (`store::intel::refresh`) against a fresh
//! gather, on generated books written to in every way the cockpit and the imports write:
//! a month of bank lines then a matching run, new invoices, outcomes and their undo, a
//! payment undone, a credit limit changed, a learned payer, a rating, a deletion.

mod refresh_support;
use refresh_support::{actor, ingest_ok, shape, today, write_day_invoices};

use chrono::Days;
use encours::config::Settings;
use encours::demo::generate;
use encours::domain::dunning::outcome::{Outcome, Stamp};
use encours::domain::forecast::{ForecastParams, Scenario, compute};
use encours::domain::model::{InvoiceKind, NewInvoice};
use encours::domain::money::Currency;
use encours::import::ImportBatch;
use encours::locale::Language;
use encours::store::forecast;
use encours::store::intel::{self, Gathered, Live, Params, Refreshed};
use encours::store::{Store, import_writer, matching};
use rust_decimal::Decimal;

/// Generated books with every statement imported but the last, which is returned (name,
/// content) for the test to import as "the next day's file".
fn books_but_the_last_statement(
    seed: u64,
    customers: usize,
    invoices: usize,
    settings: &Settings,
) -> (Store, (String, String)) {
    let mut files = generate::build(seed, customers, invoices, today());
    let mut store = Store::open_in_memory().unwrap();
    ingest_ok(
        &mut store,
        files.customers_csv.as_bytes(),
        "c.csv",
        settings,
    );
    ingest_ok(&mut store, files.invoices_csv.as_bytes(), "f.csv", settings);
    let last = files.statements.pop().expect("statements");
    for (name, content) in &files.statements {
        ingest_ok(&mut store, content.as_bytes(), name, settings);
    }
    (store, last)
}

fn check(store: &Store, p: &Params, g: &mut Gathered, what: &str) -> Refreshed {
    let done = intel::refresh(store.conn(), p, today(), g).unwrap();
    let fresh = intel::gather(store.conn(), p, today(), None).unwrap();
    if shape(g) != shape(&fresh) {
        for (id, b) in &fresh.bundles {
            let mine = g
                .bundles
                .get(id)
                .map(|b| format!("{b:?}"))
                .unwrap_or_default();
            let theirs = format!("{b:?}");
            if mine != theirs {
                let at = mine
                    .bytes()
                    .zip(theirs.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                eprintln!(
                    "customer {id} differs at {at}:\n mine   {}\n theirs {}",
                    &mine[at.saturating_sub(200)..(at + 300).min(mine.len())],
                    &theirs[at.saturating_sub(200)..(at + 300).min(theirs.len())]
                );
                break;
            }
        }
    }
    assert!(
        shape(g) == shape(&fresh),
        "after {what} ({done:?}), the refreshed gather differs from a fresh one"
    );
    done
}

/// The kept intelligence brought up to date equals everything computed afresh: the listed
/// assessments, the queue (scripts included), the key figures and the forecast.
fn check_live(
    store: &Store,
    p: &Params,
    fp: &ForecastParams,
    live: &mut Live,
    what: &str,
) -> Refreshed {
    let conn = store.conn();
    let done = live.refresh(conn, p, today()).unwrap();
    check(store, p, &mut live.gathered.clone(), what);
    assert_eq!(
        live.assessments,
        intel::signals::assess_all(conn, p, today()).unwrap(),
        "after {what}, the kept assessments differ from a full recompute"
    );
    let queue = intel::queue::build_queue(conn, p, today()).unwrap();
    assert_eq!(
        live.queue, queue,
        "after {what}, the kept queue differs from a full recompute"
    );
    assert!(
        live.queue
            .lines
            .iter()
            .all(|l| l.script.is_some() == l.script_template.is_some()),
        "every line with a script template has its script"
    );
    assert_eq!(
        intel::figures::key_figures_live(conn, p, live).unwrap(),
        intel::figures::key_figures(conn, p, today()).unwrap(),
        "after {what}, the key figures from the kept state differ"
    );
    refresh_support::assert_same_delays(live, conn, p, fp.history_months, what);
    let scenarios = [Scenario::expected(), Scenario::prudent()];
    let kept = forecast::forecast_inputs_live(conn, p, live, fp).unwrap();
    let full = forecast::forecast_inputs(conn, today(), p.default_terms_days, fp).unwrap();
    assert_eq!(
        compute(&kept, fp, &scenarios),
        compute(&full, fp, &scenarios),
        "after {what}, the forecast from the kept state differs"
    );
    done
}

fn customer_with_overdue(g: &Gathered, skip: usize) -> (i64, i64, Decimal) {
    g.bundles
        .values()
        .filter_map(|b| {
            let item = b
                .open_items
                .iter()
                .find(|i| i.kind == InvoiceKind::Invoice && i.due_date < today())?;
            Some((b.row.id, item.invoice_id, item.open))
        })
        .nth(skip)
        .expect("an overdue customer")
}

#[test]
fn refresh_equals_a_fresh_gather_after_every_kind_of_write() {
    let settings = Settings::defaults();
    let dunning = encours::policy::builtin();
    let p = Params::new(&settings, &dunning, Language::En);
    let (mut store, last) = books_but_the_last_statement(7, 60, 3_000, &settings);
    let mp = settings.matching.params();
    matching::run_matching(&mut store, &mp, &actor()).unwrap();

    let marks = intel::Marks::read(store.conn()).unwrap();
    let mut g = intel::gather_marked(store.conn(), &p, today(), marks).unwrap();
    assert_eq!(
        check(&store, &p, &mut g, "nothing"),
        Refreshed::Unchanged,
        "no write, nothing to read"
    );

    // The last month of bank lines, then matching: the customers paid are read again.
    ingest_ok(&mut store, last.1.as_bytes(), &last.0, &settings);
    let done = check(&store, &p, &mut g, "a statement");
    assert_eq!(
        done,
        Refreshed::Customers(0),
        "bank lines alone touch no customer"
    );
    let run = matching::run_matching(&mut store, &mp, &actor()).unwrap();
    assert!(run.credits_matched > 0, "the last month matched nothing");
    assert!(matches!(
        check(&store, &p, &mut g, "a matching run"),
        Refreshed::Customers(n) if n > 0
    ));

    // A day's invoices for two customers.
    write_day_invoices(&mut store, &g, 2, Decimal::new(123_456, 2));
    assert_eq!(
        check(&store, &p, &mut g, "new invoices"),
        Refreshed::Customers(2)
    );

    // Outcomes: a promise, a dispute, a snooze; then the last one undone.
    let (c1, inv1, open1) = customer_with_overdue(&g, 0);
    let (c2, inv2, _) = customer_with_overdue(&g, 1);
    let (c3, _, _) = customer_with_overdue(&g, 2);
    let stamp = Stamp::default();
    let promise = Outcome::Promise {
        date: today() + Days::new(10),
        amount: open1,
        invoice: Some(inv1),
    };
    intel::outcomes::record_outcome(&mut store, &actor(), c1, &promise, &stamp).unwrap();
    let dispute = Outcome::Dispute {
        invoice: inv2,
        reason: "damaged goods".into(),
    };
    intel::outcomes::record_outcome(&mut store, &actor(), c2, &dispute, &stamp).unwrap();
    let snooze = Outcome::Snooze {
        until: today() + Days::new(7),
        reason: None,
    };
    intel::outcomes::record_outcome(&mut store, &actor(), c3, &snooze, &stamp).unwrap();
    assert_eq!(
        check(&store, &p, &mut g, "outcomes"),
        Refreshed::Customers(3)
    );
    intel::outcomes::undo_last_outcome(&mut store, &actor(), c2).unwrap();
    assert_eq!(
        check(&store, &p, &mut g, "an undo"),
        Refreshed::Customers(1)
    );

    // A payment undone (an update, logged by the triggers), a limit changed, a learned payer.
    let sql = |store: &mut Store, sql: &str| {
        store
            .write(|tx| {
                tx.execute_batch(sql)
                    .map_err(encours::store::StoreError::from)
            })
            .unwrap()
    };
    sql(
        &mut store,
        "UPDATE allocations SET undone_at = '2026-06-15T09:00:00', undone_reason = 'test'
         WHERE id = (SELECT MAX(id) FROM allocations WHERE undone_at IS NULL)",
    );
    assert!(matches!(
        check(&store, &p, &mut g, "a payment undone"),
        Refreshed::Customers(n) if n >= 1
    ));
    sql(
        &mut store,
        &format!("UPDATE customers SET credit_limit_minor = 100 WHERE id = {c3}"),
    );
    sql(
        &mut store,
        &format!(
            "INSERT INTO payer_aliases (customer_id, name_key, iban, learned_from, created_at)
             VALUES ({c1}, 'holding dupont', 'FR7612345678901234567890123', 'test',
                     '2026-06-01T00:00:00')"
        ),
    );
    assert_eq!(
        check(&store, &p, &mut g, "a limit and a learned payer"),
        Refreshed::Customers(2)
    );

    // A customer written again as it is (an invoice file naming its customers) marks nothing.
    sql(
        &mut store,
        &format!("UPDATE customers SET name = name, credit_limit_minor = 100 WHERE id = {c3}"),
    );
    assert_eq!(
        check(&store, &p, &mut g, "a customer written again unchanged"),
        Refreshed::Unchanged
    );

    // A deletion cannot be told apart from a reused id: everything is read again.
    sql(
        &mut store,
        "DELETE FROM payer_aliases WHERE id = (SELECT MAX(id) FROM payer_aliases)",
    );
    assert_eq!(
        check(&store, &p, &mut g, "a deletion"),
        Refreshed::Everything
    );
}

#[test]
fn the_cockpit_source_serves_the_refreshed_queue_and_signals() {
    use encours::app::source::DataSource;
    use encours::app::store_source::{SourceSettings, StoreSource};
    let settings = Settings::defaults();
    let (store, last) = books_but_the_last_statement(11, 40, 1_500, &settings);
    let source_settings = SourceSettings::from_settings(&settings, Language::En).unwrap();
    let mut source = StoreSource::new(store, source_settings.clone());
    let before = (
        source.signals(today()).unwrap(),
        source.queue(today()).unwrap(),
    );
    // The overview, with the intelligence kept, reads the bank lines from its kept sums.
    let overview_before = source.overview(today()).unwrap();
    // An import while the cockpit runs, then what a fresh cockpit would show.
    let mp = settings.matching.params();
    ingest_ok(source.store_mut(), last.1.as_bytes(), &last.0, &settings);
    matching::run_matching(source.store_mut(), &mp, &actor()).unwrap();
    let after = (
        source.signals(today()).unwrap(),
        source.queue(today()).unwrap(),
    );
    assert_ne!(before.1, after.1, "the matching moved the queue");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.db");
    source
        .store()
        .conn()
        .execute("VACUUM INTO ?1", [path.to_str().unwrap()])
        .unwrap();
    let fresh_store = Store::open(&path, Default::default()).unwrap();
    let fresh = StoreSource::new(fresh_store, source_settings);
    assert_eq!(after.0, fresh.signals(today()).unwrap());
    assert_eq!(after.1, fresh.queue(today()).unwrap());
    // The forecast: from the kept intelligence here, read whole by a source that has none.
    let request = encours::app::views::ForecastRequest::default();
    let fresh = StoreSource::new(
        Store::open(&path, Default::default()).unwrap(),
        SourceSettings::from_settings(&settings, Language::En).unwrap(),
    );
    assert_eq!(
        source.forecast(today(), &request).unwrap(),
        fresh.forecast(today(), &request).unwrap()
    );
    // The overview likewise: kept bank sums brought up to date with the statement here,
    // summed in SQL by a source that has no intelligence.
    let overview_after = source.overview(today()).unwrap();
    assert_ne!(
        overview_before.headline.net_cash, overview_after.headline.net_cash,
        "the statement moved the net cash"
    );
    assert_eq!(overview_after, fresh.overview(today()).unwrap());
}

/// The same writes against the kept intelligence (`Live`): after each, the assessments, the
/// queue, the key figures and the forecast equal a full recompute.
#[test]
fn kept_intelligence_equals_a_full_recompute_after_every_kind_of_write() {
    let settings = Settings::defaults();
    let dunning = encours::policy::builtin();
    let p = Params::new(&settings, &dunning, Language::En);
    let fp = settings.forecast_params();
    let (mut store, last) = books_but_the_last_statement(5, 60, 3_000, &settings);
    let mp = settings.matching.params();
    matching::run_matching(&mut store, &mp, &actor()).unwrap();
    let mut live = Live::new(store.conn(), &p, today()).unwrap();
    // The key figures' and the forecast's kept parts are read on first use, then refreshed.
    check_live(&store, &p, &fp, &mut live, "nothing");

    ingest_ok(&mut store, last.1.as_bytes(), &last.0, &settings);
    assert_eq!(
        check_live(&store, &p, &fp, &mut live, "a statement"),
        Refreshed::Customers(0)
    );
    matching::run_matching(&mut store, &mp, &actor()).unwrap();
    // A month of payments touches most of these 60 customers: read whole again.
    check_live(&store, &p, &fp, &mut live, "a matching run");

    // A day's invoices, one of them large enough to move the concentration signal.
    let codes: Vec<String> = live
        .gathered
        .bundles
        .values()
        .take(3)
        .map(|b| b.row.code.clone())
        .collect();
    let mut invoices: Vec<NewInvoice> = codes
        .iter()
        .enumerate()
        .map(|(n, code)| NewInvoice {
            number: format!("LIVE-{n}"),
            kind: InvoiceKind::Invoice,
            customer_code: code.clone(),
            issue_date: today() - Days::new(40 * n as u64 + 1),
            due_date: Some(today() - Days::new(10 * n as u64) + Days::new(5)),
            amount: Decimal::new(if n == 0 { 900_000_000 } else { 123_456 }, 2),
            currency: Currency::EUR,
            disputed: n == 2,
            ..Default::default()
        })
        .collect();
    // One issued before the CEI period's start: it moves the kept opening receivables.
    invoices.push(NewInvoice {
        number: "LIVE-OLD".into(),
        kind: InvoiceKind::Invoice,
        customer_code: codes[1].clone(),
        issue_date: today() - Days::new(200),
        due_date: Some(today() - Days::new(170)),
        amount: Decimal::new(654_321, 2),
        currency: Currency::EUR,
        ..Default::default()
    });
    let batch = ImportBatch {
        invoices,
        ..Default::default()
    };
    store
        .write(|tx| import_writer::write_batch(tx, &batch, "day.csv", "sha-live", &actor()))
        .unwrap();
    assert_eq!(
        check_live(&store, &p, &fp, &mut live, "new invoices"),
        Refreshed::Customers(3)
    );
    assert!(
        live.assessments
            .iter()
            .any(|a| a.has(encours::domain::signals::SignalKind::Concentration)),
        "the large invoice concentrates the portfolio on one customer"
    );

    // Outcomes (a promise, a dispute on an invoice, a snooze), then an undo.
    let g = live.gathered.clone();
    let (c1, inv1, open1) = customer_with_overdue(&g, 0);
    let (c2, inv2, _) = customer_with_overdue(&g, 1);
    let (c3, _, _) = customer_with_overdue(&g, 2);
    let stamp = Stamp::default();
    let promise = Outcome::Promise {
        date: today() + Days::new(10),
        amount: open1,
        invoice: Some(inv1),
    };
    intel::outcomes::record_outcome(&mut store, &actor(), c1, &promise, &stamp).unwrap();
    let dispute = Outcome::Dispute {
        invoice: inv2,
        reason: "damaged goods".into(),
    };
    intel::outcomes::record_outcome(&mut store, &actor(), c2, &dispute, &stamp).unwrap();
    let snooze = Outcome::Snooze {
        until: today() + Days::new(7),
        reason: None,
    };
    intel::outcomes::record_outcome(&mut store, &actor(), c3, &snooze, &stamp).unwrap();
    check_live(&store, &p, &fp, &mut live, "outcomes");
    intel::outcomes::undo_last_outcome(&mut store, &actor(), c3).unwrap();
    check_live(&store, &p, &fp, &mut live, "an undo");

    let sql = |store: &mut Store, sql: &str| {
        store
            .write(|tx| {
                tx.execute_batch(sql)
                    .map_err(encours::store::StoreError::from)
            })
            .unwrap()
    };
    // A payment undone, a limit and a segment changed, a learned payer.
    sql(
        &mut store,
        "UPDATE allocations SET undone_at = '2026-06-15T09:00:00', undone_reason = 'test'
         WHERE id = (SELECT MAX(id) FROM allocations WHERE undone_at IS NULL)",
    );
    check_live(&store, &p, &fp, &mut live, "a payment undone");
    sql(
        &mut store,
        &format!("UPDATE customers SET credit_limit_minor = 100 WHERE id = {c1}"),
    );
    check_live(&store, &p, &fp, &mut live, "a limit");
    sql(
        &mut store,
        &format!("UPDATE customers SET segment = 'strategic' WHERE id = {c2}"),
    );
    check_live(&store, &p, &fp, &mut live, "a segment");
    sql(
        &mut store,
        &format!(
            "INSERT INTO payer_aliases (customer_id, name_key, iban, learned_from, created_at)
             VALUES ({c1}, 'holding dupont', 'FR7612345678901234567890123', 'test',
                     '2026-06-01T00:00:00')"
        ),
    );
    check_live(&store, &p, &fp, &mut live, "a learned payer");
    // A payment dated before the CEI period's start on an invoice open then: it moves the
    // kept opening receivables, and the payer's delay history.
    let old_open: i64 = store
        .conn()
        .query_row(
            "SELECT id FROM invoices WHERE settled_on IS NULL AND kind = 'invoice'
               AND issue_date < '2026-02-01' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    sql(
        &mut store,
        &format!(
            "INSERT INTO allocations (invoice_id, transaction_id, amount_minor, paid_on, rule,
                 evidence, who, created_at)
             VALUES ({old_open}, (SELECT MAX(id) FROM bank_transactions), 100, '2026-02-15',
                     'manual', 'test', 'tester', '2026-06-15T09:00:00')"
        ),
    );
    check_live(
        &store,
        &p,
        &fp,
        &mut live,
        "a payment dated before the CEI start",
    );
    // A deletion reads everything again, the kept figures' parts included.
    sql(
        &mut store,
        "DELETE FROM payer_aliases WHERE id = (SELECT MAX(id) FROM payer_aliases)",
    );
    assert_eq!(
        check_live(&store, &p, &fp, &mut live, "a deletion"),
        Refreshed::Everything
    );
}
