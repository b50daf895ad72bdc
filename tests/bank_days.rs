//! Bank lines read by booking day through their date-first keys (`store::bank_keys`), the
//! `booking_date` index gone: each reader against the lines themselves (read whole, in id
//! order), on several accounts and currencies with lines on the first and last day of every
//! range asked; and an older database upgraded to the same answers.

mod forecast_fixture;

use chrono::{Days, NaiveDate};
use encours::app::source::DataSource;
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::config::Settings;
use encours::domain::model::{NewBankTransaction, NewCustomer, NewStatement};
use encours::domain::money::{Currency, from_minor};
use encours::import::{Format, ImportBatch};
use encours::locale::Language;
use encours::store::intel::{Params, gather};
use encours::store::{OpenOptions, Store, date_from_sql, schema};
use forecast_fixture::{account, d, line, write};
use rust_decimal::Decimal;

const A: &str = "FR7600000000000000000000001";
const B: &str = "FR7600000000000000000000002";
const U: &str = "US0000000000000000000000003";
/// Payers known to the customers C1 and C2.
const P1: &str = "FR7611111111111111111111111";
const P2: &str = "FR7622222222222222222222222";

fn first_day() -> NaiveDate {
    d(2026, 3, 1)
}

/// Every day asked about: a few before the first line to a few after the last.
fn days() -> Vec<NaiveDate> {
    (0..44).map(|k| d(2026, 2, 25) + Days::new(k)).collect()
}

fn paid(
    date: NaiveDate,
    amount: &str,
    payer: &str,
    text: &str,
    reversal: bool,
) -> NewBankTransaction {
    NewBankTransaction {
        counterparty_iban: Some(payer.into()),
        counterparty_name: Some(format!("payer {payer}")),
        reversal,
        ..line(date, amount.parse().unwrap(), text)
    }
}

/// Lines on most days of March in three accounts (two in euros, one in dollars), several on
/// the same day in one account and across accounts, credits from both payers, returned
/// payments; account B starts later and U stops earlier, so that accounts' ranges differ.
fn batch() -> ImportBatch {
    let mut b = ImportBatch::new(Format::Camt053);
    b.customers = vec![
        NewCustomer {
            code: "C1".into(),
            name: "One".into(),
            ..Default::default()
        },
        NewCustomer {
            code: "C2".into(),
            name: "Two".into(),
            ..Default::default()
        },
    ];
    let mut statement = |iban: &str, currency: Currency, from: u64, to: u64| {
        let mut lines = Vec::new();
        for k in from..=to {
            let day = first_day() + Days::new(k);
            let payer = if k % 2 == 0 { P1 } else { P2 };
            lines.push(paid(
                day,
                &format!("{}.10", 100 + k),
                payer,
                &format!("credit {k}"),
                false,
            ));
            if k % 3 == 0 {
                // Same day, same payer: the newest first must be told apart by id.
                lines.push(paid(
                    day,
                    &format!("{}.20", 200 + k),
                    payer,
                    &format!("credit bis {k}"),
                    false,
                ));
                lines.push(line(day, "-12.34".parse().unwrap(), &format!("debit {k}")));
            }
            if k % 5 == 1 {
                lines.push(paid(
                    day,
                    &format!("-{}.10", 100 + k),
                    payer,
                    &format!("returned {k}"),
                    true,
                ));
            }
        }
        for l in &mut lines {
            l.currency = currency;
        }
        b.statements.push(NewStatement {
            account: account(iban, currency),
            transactions: lines,
            ..Default::default()
        });
    };
    statement(A, Currency::EUR, 0, 30);
    statement(B, Currency::EUR, 6, 35);
    statement(U, Currency::parse("USD").unwrap(), 0, 20);
    b
}

struct Row {
    id: i64,
    date: NaiveDate,
    amount: Decimal,
    reversal: bool,
    name: Option<String>,
    iban: Option<String>,
}

/// Every line, read in id order without any date condition.
fn rows(store: &Store) -> Vec<Row> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT id, booking_date, amount_minor, currency, reversal, counterparty_name,
                    counterparty_iban
             FROM bank_transactions ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let currency = Currency::parse(&r.get::<_, String>(3)?).unwrap();
        Ok(Row {
            id: r.get(0)?,
            date: date_from_sql(&r.get::<_, String>(1)?).unwrap(),
            amount: from_minor(r.get(2)?, currency),
            reversal: r.get(4)?,
            name: r.get(5)?,
            iban: r.get(6)?,
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn store_with_lines() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    write(&mut store, &batch(), "march");
    let conn = store.conn();
    for (code, iban) in [("C1", P1), ("C2", P2)] {
        conn.execute(
            "INSERT INTO payer_aliases (customer_id, iban, learned_from, created_at)
             SELECT id, ?2, 'test', '2026-01-01T00:00:00' FROM customers WHERE code = ?1",
            [code, iban],
        )
        .unwrap();
    }
    store
}

/// The newest bank day as the signals read it (`newest_bank_data` of a gather).
fn newest_bank_date(store: &Store, as_of: NaiveDate) -> Option<NaiveDate> {
    let settings = Settings::defaults();
    let dunning = encours::policy::builtin();
    let p = Params::new(&settings, &dunning, Language::En);
    gather(store.conn(), &p, as_of, None)
        .unwrap()
        .newest_bank_data
}

/// The customer a payer's line is attributed to (through the aliases written above).
fn payer_of(r: &Row) -> Option<&'static str> {
    match r.iban.as_deref() {
        Some(P1) => Some("C1"),
        Some(P2) => Some("C2"),
        _ => None,
    }
}

fn newest_on(rows: &[Row], as_of: NaiveDate) -> Option<NaiveDate> {
    rows.iter().map(|r| r.date).filter(|&x| x <= as_of).max()
}

#[test]
fn the_index_is_gone_and_every_key_starts_with_its_day() {
    let store = store_with_lines();
    let conn = store.conn();
    let indexes: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'bank_transactions_date'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 0);
    let wrong: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM bank_transactions
             WHERE typeof(natural_key) <> 'blob' OR substr(natural_key, 1, 4)
                <> unhex(printf('%08x', CAST(julianday(booking_date) AS INTEGER)))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0);
    assert!(rows(&store).len() > 100);
}

#[test]
fn the_span_of_booking_days_is_the_lines_first_and_last_day() {
    let empty = Store::open_in_memory().unwrap();
    assert_eq!(
        encours::store::bank_keys::booking_day_span(empty.conn()).unwrap(),
        None
    );
    let store = store_with_lines();
    let all = rows(&store);
    let first = all.iter().map(|r| r.date).min();
    let last = all.iter().map(|r| r.date).max();
    assert_eq!(
        encours::store::bank_keys::booking_day_span(store.conn()).unwrap(),
        first.zip(last)
    );
}

#[test]
fn the_newest_bank_day_is_the_newest_line_on_or_before_the_date() {
    let store = store_with_lines();
    let all = rows(&store);
    let expected: Vec<Option<NaiveDate>> = days().iter().map(|&x| newest_on(&all, x)).collect();
    let got: Vec<Option<NaiveDate>> = days()
        .iter()
        .map(|&x| newest_bank_date(&store, x))
        .collect();
    assert_eq!(got, expected);
    // The overview's "bank data as of" (no balances here: the newest line alone).
    let source = StoreSource::new(
        store,
        SourceSettings::from_settings(&Settings::defaults(), Language::En).unwrap(),
    );
    for (x, want) in days().into_iter().zip(expected) {
        assert_eq!(
            source.overview(x).unwrap().headline.bank_as_of,
            want,
            "on {x}"
        );
    }
}

#[test]
fn returned_payments_and_unmatched_credits_of_each_window_are_the_lines_of_its_days() {
    let store = store_with_lines();
    let all = rows(&store);
    let mut settings = Settings::defaults();
    let mut dunning = encours::policy::builtin();
    for window in [0u32, 1, 2, 7, 40] {
        settings.signals.bounced_payment.within_days = window;
        dunning.policy.rules.unmatched_credit_days = window;
        let p = Params::new(&settings, &dunning, Language::En);
        for as_of in days() {
            let g = gather(store.conn(), &p, as_of, None).unwrap();
            let from = as_of - Days::new(u64::from(window));
            let in_window = |r: &&Row| r.date > from && r.date <= as_of;
            for b in g.bundles.values() {
                let code = b.row.code.as_str();
                let mine = |r: &&Row| payer_of(r) == Some(code);
                // In day order, then line order, as the date index gave them.
                let mut returned: Vec<&Row> = all
                    .iter()
                    .filter(in_window)
                    .filter(|r| r.reversal)
                    .filter(mine)
                    .collect();
                returned.sort_by_key(|r| (r.date, r.id));
                let want: Vec<(NaiveDate, Decimal)> =
                    returned.iter().map(|r| (r.date, r.amount)).collect();
                let got: Vec<(NaiveDate, Decimal)> = b
                    .facts
                    .reversals
                    .iter()
                    .map(|f| (f.date, f.amount))
                    .collect();
                assert_eq!(got, want, "returned, {code} on {as_of}, {window} days");
                // The newest credit, the newest line of its day.
                let newest = all
                    .iter()
                    .filter(in_window)
                    .filter(|r| r.amount > Decimal::ZERO && !r.reversal)
                    .filter(mine)
                    .max_by_key(|r| (r.date, r.id));
                let got = b
                    .unmatched_credit
                    .as_ref()
                    .map(|u| (u.date, u.amount, u.counterparty.clone()));
                assert_eq!(
                    got,
                    newest.map(|r| (r.date, r.amount, r.name.clone().unwrap_or_default())),
                    "unmatched, {code} on {as_of}, {window} days"
                );
            }
        }
    }
}

#[test]
fn a_version_12_database_upgrades_its_keys_and_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let steps = schema::MIGRATIONS
        .iter()
        .position(|m| m.contains("DROP INDEX bank_transactions_date"))
        .expect("the step dropping the date index");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for step in &schema::MIGRATIONS[..steps] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", steps as i64)
            .unwrap();
        conn.execute(
            "INSERT INTO bank_accounts (key, iban, currency) VALUES (?1, ?1, 'EUR')",
            [A],
        )
        .unwrap();
        // A written key (day first), and a text key no earlier step could read.
        conn.execute_batch(
            "INSERT INTO bank_transactions (account_id, natural_key, booking_date, amount_minor,
                currency, remittance)
             VALUES (1, unhex(printf('%08x', CAST(julianday('2026-03-02') AS INTEGER))
                              || '0102030405060708' || '00000001'),
                     '2026-03-02', 100, 'EUR', 'written'),
                    (1, 'typed by hand', '2026-03-05', 200, 'EUR', 'by hand'),
                    (1, '', '2026-03-04', 300, 'EUR', 'empty key');",
        )
        .unwrap();
    }
    let store = Store::open(&path, OpenOptions::default()).unwrap();
    let keys: Vec<(String, Vec<u8>)> = store
        .conn()
        .prepare("SELECT remittance, natural_key FROM bank_transactions ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let day = |x: NaiveDate| -> Vec<u8> {
        let jd = u32::try_from(i64::from(chrono::Datelike::num_days_from_ce(&x)) + 1_721_424);
        jd.unwrap().to_be_bytes().to_vec()
    };
    assert_eq!(&keys[0].1[..4], day(d(2026, 3, 2)), "a written key is kept");
    assert_eq!(keys[0].1.len(), 16);
    let by_hand = [day(d(2026, 3, 5)), vec![0; 12], b"typed by hand".to_vec()].concat();
    assert_eq!(keys[1].1, by_hand);
    assert_eq!(keys[2].1, [day(d(2026, 3, 4)), vec![0; 12]].concat());
    for (x, want) in [
        (d(2026, 3, 1), None),
        (d(2026, 3, 2), Some(d(2026, 3, 2))),
        (d(2026, 3, 4), Some(d(2026, 3, 4))),
        (d(2026, 3, 9), Some(d(2026, 3, 5))),
    ] {
        assert_eq!(newest_bank_date(&store, x), want, "on {x}");
    }
}
