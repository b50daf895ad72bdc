//! The shortcuts of the incremental refresh (`store::intel::refresh`), each pinned: payer
//! parts brought up to date from the new allocations, paid histories kept through writes
//! that cannot change them or added to when new allocations complete open invoices, and
//! the whole read where neither holds. After each write the refreshed gather must equal a
//! fresh one, and the path taken is the one expected.

mod refresh_support;
use refresh_support::{actor, assert_same_delays, ingest_ok, shape, today, write_day_invoices};

use encours::config::Settings;
use encours::demo::generate;
use encours::domain::model::{InvoiceKind, NewInvoice};
use encours::domain::money::Currency;
use encours::import::ImportBatch;
use encours::locale::Language;
use encours::store::intel::{self, Gathered, Params, RefreshPaths, Refreshed};
use encours::store::{Store, import_writer, matching};
use rust_decimal::Decimal;

/// Refreshes `g`, checks it against a fresh gather and returns the paths the refresh took.
fn refreshed(store: &Store, p: &Params, g: &mut Gathered, what: &str) -> RefreshPaths {
    let done = intel::refresh(store.conn(), p, today(), g).unwrap();
    assert!(
        matches!(done, Refreshed::Customers(_)),
        "after {what}: {done:?}"
    );
    let fresh = intel::gather(store.conn(), p, today(), None).unwrap();
    assert!(
        shape(g) == shape(&fresh),
        "after {what}, the refreshed gather differs from a fresh one"
    );
    g.last_refresh
}

fn sql(store: &mut Store, sql: &str) {
    store
        .write(|tx| {
            tx.execute_batch(sql)
                .map_err(encours::store::StoreError::from)
        })
        .unwrap()
}

#[test]
fn each_shortcut_of_the_refresh_gives_what_a_fresh_gather_gives() {
    let settings = Settings::defaults();
    let dunning = encours::policy::builtin();
    let p = Params::new(&settings, &dunning, Language::En);
    let mut files = generate::build(7, 60, 3_000, today());
    let mut store = Store::open_in_memory().unwrap();
    ingest_ok(
        &mut store,
        files.customers_csv.as_bytes(),
        "c.csv",
        &settings,
    );
    ingest_ok(
        &mut store,
        files.invoices_csv.as_bytes(),
        "f.csv",
        &settings,
    );
    let last = files.statements.pop().expect("statements");
    for (name, content) in &files.statements {
        ingest_ok(&mut store, content.as_bytes(), name, &settings);
    }
    let mp = settings.matching.params();
    matching::run_matching(&mut store, &mp, &actor()).unwrap();
    let marks = intel::Marks::read(store.conn()).unwrap();
    let mut g = intel::gather_marked(store.conn(), &p, today(), marks).unwrap();

    // The last statement matched: payments from known accounts complete open invoices.
    ingest_ok(&mut store, last.1.as_bytes(), &last.0, &settings);
    matching::run_matching(&mut store, &mp, &actor()).unwrap();
    let paths = refreshed(&store, &p, &mut g, "a matching run");
    assert!(paths.payers_added > 0, "{paths:?}");
    assert_eq!(paths.payers_read, 0, "{paths:?}");
    assert!(paths.paid_added > 0, "{paths:?}");
    // Paid only: their sales history is kept.
    assert!(paths.sales_kept > 0, "{paths:?}");
    // And their open items, paid down by the new allocations.
    assert!(paths.open_kept > 0, "{paths:?}");

    // New invoices alone: the bundles are kept and extended with them, nothing read again.
    write_day_invoices(&mut store, &g, 3, Decimal::new(98_765, 2));
    let paths = refreshed(&store, &p, &mut g, "new invoices");
    let expected = RefreshPaths {
        invoices_added: 3,
        ..Default::default()
    };
    assert_eq!(paths, expected);

    // A payment from an account the customer never paid from, completing an open invoice:
    // the new account takes its place among the matched ones (and is a new-account fact).
    let (customer, invoice, open) = g
        .bundles
        .values()
        .filter(|b| !b.facts.new_payer_accounts.is_empty() || b.row.id % 2 == 0)
        .find_map(|b| {
            let i = b
                .open_items
                .iter()
                .find(|i| i.kind == InvoiceKind::Invoice)?;
            Some((b.row.id, i.invoice_id, i.open))
        })
        .expect("an open invoice");
    let minor = (open * Decimal::ONE_HUNDRED).trunc().to_string();
    sql(
        &mut store,
        &format!(
            "INSERT INTO bank_transactions (account_id, booking_date, amount_minor, currency,
                 remittance, counterparty_name, counterparty_iban, natural_key, import_id)
             SELECT account_id, '2026-06-14', {minor}, 'EUR', 'VIR NEW ACCOUNT', 'NEW PAYER',
                    'FR7630001007941234567890185', 'test-new-account', import_id
             FROM bank_transactions ORDER BY id DESC LIMIT 1;
             INSERT INTO allocations (invoice_id, transaction_id, amount_minor, paid_on, rule,
                 evidence, who, created_at)
             VALUES ({invoice}, last_insert_rowid(), {minor}, '2026-06-14', 'manual', 'test',
                     'tester', '2026-06-15T09:00:00');"
        ),
    );
    let paths = refreshed(&store, &p, &mut g, "a payment from a new account");
    assert_eq!(
        (
            paths.payers_added,
            paths.paid_added,
            paths.paid_read,
            paths.sales_kept,
            paths.open_kept
        ),
        (1, 1, 0, 1, 1),
        "{paths:?}"
    );
    assert!(
        g.bundles[&customer]
            .facts
            .new_payer_accounts
            .iter()
            .any(|a| a.iban == "FR7630001007941234567890185"),
        "the new account is seen"
    );

    // A payment on an invoice already settled (dated before its settlement, so its paid
    // day moves): its paid history is read whole.
    let (settled, customer) = {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT id, customer_id FROM invoices
                 WHERE settled_on IS NOT NULL AND settled_on > '2026-03-01' AND kind = 'invoice'
                 ORDER BY id LIMIT 1",
            )
            .unwrap();
        stmt.query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .unwrap()
    };
    sql(
        &mut store,
        &format!(
            "INSERT INTO allocations (invoice_id, transaction_id, amount_minor, paid_on, rule,
                 evidence, who, created_at)
             VALUES ({settled}, (SELECT MAX(id) FROM bank_transactions), 100, '2026-02-01',
                     'manual', 'test', 'tester', '2026-06-15T09:00:00');"
        ),
    );
    let paths = refreshed(&store, &p, &mut g, "a payment on a settled invoice");
    assert_eq!(
        (paths.paid_read, paths.paid_added, paths.open_kept),
        (1, 0, 1),
        "{paths:?}"
    );
    assert!(g.bundles.contains_key(&customer));

    // An update (a payment undone) reads the customer whole, payer part included.
    sql(
        &mut store,
        "UPDATE allocations SET undone_at = '2026-06-15T10:00:00', undone_reason = 'test'
         WHERE id = (SELECT MAX(id) FROM allocations)",
    );
    let paths = refreshed(&store, &p, &mut g, "a payment undone");
    assert_eq!(
        (
            paths.paid_read,
            paths.payers_read,
            paths.sales_kept,
            paths.open_kept
        ),
        (1, 1, 0, 0),
        "{paths:?}"
    );

    // A credit note issued (new invoice rows: extended), then set against an open invoice
    // of the customer larger than it: the invoice is paid down, the credit note closed.
    let (customer, code, invoice) = g
        .bundles
        .values()
        .find_map(|b| {
            let i = b
                .open_items
                .iter()
                .find(|i| i.kind == InvoiceKind::Invoice && i.open > Decimal::new(20_000, 2))?;
            Some((b.row.id, b.row.code.clone(), i.invoice_id))
        })
        .expect("an open invoice over 200");
    let batch = ImportBatch {
        invoices: vec![NewInvoice {
            number: "CN-PATHS".into(),
            kind: InvoiceKind::CreditNote,
            customer_code: code,
            issue_date: today() - chrono::Days::new(2),
            due_date: Some(today() - chrono::Days::new(2)),
            amount: Decimal::new(10_000, 2),
            currency: Currency::EUR,
            ..Default::default()
        }],
        ..Default::default()
    };
    store
        .write(|tx| import_writer::write_batch(tx, &batch, "cn.csv", "sha-cn", &actor()))
        .unwrap();
    let paths = refreshed(&store, &p, &mut g, "a credit note");
    assert_eq!(paths.invoices_added, 1, "{paths:?}");
    sql(
        &mut store,
        &format!(
            "INSERT INTO allocations (invoice_id, credit_note_id, amount_minor, paid_on, rule,
                 evidence, who, created_at)
             SELECT {invoice}, id, 10000, '2026-06-14', 'manual', 'test', 'tester',
                    '2026-06-15T09:00:00'
             FROM invoices WHERE number = 'CN-PATHS'"
        ),
    );
    let paths = refreshed(&store, &p, &mut g, "a credit note set against an invoice");
    assert_eq!((paths.open_kept, paths.paid_read), (1, 0), "{paths:?}");
    assert!(
        g.bundles[&customer]
            .open_items
            .iter()
            .all(|i| i.kind == InvoiceKind::Invoice),
        "the credit note is closed"
    );
}

/// The forecast's delay table kept by `Live`: after a matching run the invoices newly paid
/// are added to their customers' histories; a payment on an invoice paid in part before,
/// and an undone payment, read the customer's history again. Each time the table equals
/// the one read whole.
#[test]
fn the_kept_delay_table_adds_the_invoices_newly_paid() {
    let settings = Settings::defaults();
    let dunning = encours::policy::builtin();
    let p = Params::new(&settings, &dunning, Language::En);
    let months = settings.forecast_params().history_months;
    let mut files = generate::build(7, 60, 3_000, today());
    let mut store = Store::open_in_memory().unwrap();
    let c = files.customers_csv.clone();
    ingest_ok(&mut store, c.as_bytes(), "c.csv", &settings);
    let f = files.invoices_csv.clone();
    ingest_ok(&mut store, f.as_bytes(), "f.csv", &settings);
    let last = files.statements.pop().expect("statements");
    for (name, content) in &files.statements {
        ingest_ok(&mut store, content.as_bytes(), name, &settings);
    }
    let mp = settings.matching.params();
    matching::run_matching(&mut store, &mp, &actor()).unwrap();
    let mut live = intel::Live::new(store.conn(), &p, today()).unwrap();
    assert_same_delays(&mut live, store.conn(), &p, months, "the first read");

    let refresh = |store: &Store, live: &mut intel::Live, what: &str| {
        let done = live.refresh(store.conn(), &p, today()).unwrap();
        assert!(
            matches!(done, Refreshed::Customers(_)),
            "after {what}: {done:?}"
        );
        assert_same_delays(live, store.conn(), &p, months, what);
        let paths = live.gathered.last_refresh;
        (paths.delays_added, paths.delays_read)
    };

    ingest_ok(&mut store, last.1.as_bytes(), &last.0, &settings);
    matching::run_matching(&mut store, &mp, &actor()).unwrap();
    let (added, read) = refresh(&store, &mut live, "a matching run");
    assert!(added > 0, "added {added}, read {read}");

    // The rest of an invoice paid in part before: its history is read again.
    let (partial, rest): (i64, i64) = store
        .conn()
        .query_row(
            "SELECT i.id, i.amount_minor - i.prepaid_minor - SUM(a.amount_minor)
             FROM invoices i JOIN allocations a ON a.invoice_id = i.id AND a.undone_at IS NULL
             WHERE i.settled_on IS NULL AND i.kind = 'invoice'
             GROUP BY i.id ORDER BY i.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an invoice paid in part");
    let pay = |store: &mut Store, invoice: i64, minor: i64| {
        sql(
            store,
            &format!(
                "INSERT INTO allocations (invoice_id, transaction_id, amount_minor, paid_on,
                     rule, evidence, who, created_at)
                 VALUES ({invoice}, (SELECT MAX(id) FROM bank_transactions), {minor},
                         '2026-06-14', 'manual', 'test', 'tester', '2026-06-15T09:00:00')"
            ),
        )
    };
    pay(&mut store, partial, rest);
    assert_eq!(refresh(&store, &mut live, "the rest paid"), (0, 1));

    // An open invoice with no payment yet, paid whole: added.
    let (fresh, amount): (i64, i64) = store
        .conn()
        .query_row(
            "SELECT i.id, i.amount_minor - i.prepaid_minor FROM invoices i
             WHERE i.settled_on IS NULL AND i.kind = 'invoice' AND i.due_date < '2026-06-01'
               AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.invoice_id = i.id)
             ORDER BY i.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an unpaid invoice");
    pay(&mut store, fresh, amount);
    assert_eq!(refresh(&store, &mut live, "an invoice paid whole"), (1, 0));

    // That payment undone: an update, read again.
    sql(
        &mut store,
        "UPDATE allocations SET undone_at = '2026-06-15T10:00:00', undone_reason = 'test'
         WHERE id = (SELECT MAX(id) FROM allocations)",
    );
    assert_eq!(refresh(&store, &mut live, "the payment undone"), (0, 1));
}
