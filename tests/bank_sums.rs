//! The bank lines summed per account and day (`store::bank_sums`), kept by the cockpit for
//! the forecast's opening position and the key figures' net cash, against SQL's own sums
//! after each of several imports: lines before, on and after a balance's day, in several
//! accounts and currencies, some booked after the as-of date.

mod forecast_fixture;

use chrono::NaiveDate;
use encours::config::Settings;
use encours::domain::figures::NetCash;
use encours::domain::model::{NewBankTransaction, NewStatement};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::bank_sums::{BankLines, BankSums};
use encours::store::forecast::opening_position_from;
use encours::store::intel::figures::net_cash_from;
use encours::store::{Store, date_to_sql};
use forecast_fixture::{account, balance, d, line, write};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const A: &str = "FR7600000000000000000000001";
const B: &str = "FR7600000000000000000000002";
const U: &str = "US0000000000000000000000003";

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn usd_line(date: NaiveDate, amount: Decimal, text: &str) -> NewBankTransaction {
    NewBankTransaction {
        currency: usd(),
        ..line(date, amount, text)
    }
}

/// The imports, one batch each: a closing balance with lines before, on and after its
/// day; an opening balance on another account; lines in dollars; late lines.
fn batches() -> Vec<ImportBatch> {
    let statement = |s: NewStatement| {
        let mut b = ImportBatch::new(Format::Camt053);
        b.statements = vec![s];
        b
    };
    vec![
        statement(NewStatement {
            account: account(A, Currency::EUR),
            closing: balance(d(2026, 3, 10), dec!(5000), Currency::EUR),
            transactions: vec![
                line(d(2026, 3, 9), dec!(120.50), "before"),
                line(d(2026, 3, 10), dec!(-40), "on the balance day"),
                line(d(2026, 3, 11), dec!(300), "after"),
                line(d(2026, 3, 11), dec!(-0.01), "after, same day"),
            ],
            ..Default::default()
        }),
        statement(NewStatement {
            account: account(B, Currency::EUR),
            opening: balance(d(2026, 3, 1), dec!(2000), Currency::EUR),
            transactions: vec![
                line(d(2026, 2, 28), dec!(77), "the day before the opening"),
                line(d(2026, 3, 1), dec!(-300), "on the opening day"),
                line(d(2026, 3, 20), dec!(1000), "later"),
            ],
            ..Default::default()
        }),
        statement(NewStatement {
            account: account(U, usd()),
            closing: balance(d(2026, 3, 5), dec!(1000), usd()),
            transactions: vec![
                usd_line(d(2026, 3, 5), dec!(10), "usd on the day"),
                usd_line(d(2026, 3, 6), dec!(-2.5), "usd after"),
            ],
            ..Default::default()
        }),
        // A second statement of A: a newer closing, lines after it and after the as-of date.
        statement(NewStatement {
            account: account(A, Currency::EUR),
            closing: balance(d(2026, 3, 15), dec!(5400), Currency::EUR),
            transactions: vec![
                line(d(2026, 3, 15), dec!(15), "on the new closing day"),
                line(d(2026, 3, 16), dec!(-1234.56), "after the new closing"),
                line(d(2026, 4, 2), dec!(999), "after the as-of date"),
            ],
            ..Default::default()
        }),
    ]
}

fn account_ids(store: &Store) -> Vec<i64> {
    let mut stmt = store
        .conn()
        .prepare("SELECT id FROM bank_accounts ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn days() -> Vec<NaiveDate> {
    (0..50)
        .map(|k| d(2026, 2, 20) + chrono::Days::new(k))
        .collect()
}

fn net_cash(store: &Store, as_of: NaiveDate, lines: BankLines<'_>) -> NetCash {
    let figures = Settings::defaults().figures;
    net_cash_from(store.conn(), &figures, 30, as_of, lines).unwrap()
}

/// Every range the readers may ask for, kept against SQL.
fn check_equal(store: &Store, kept: &BankSums) {
    let conn = store.conn();
    for id in account_ids(store) {
        for until in days() {
            let sql = BankLines::Sql.sum_after(conn, id, None, until).unwrap();
            assert_eq!(
                kept.sum_after(id, None, until),
                sql,
                "account {id} to {until}"
            );
            for since in days() {
                let sql = BankLines::Sql
                    .sum_after(conn, id, Some(since), until)
                    .unwrap();
                assert_eq!(
                    kept.sum_after(id, Some(since), until),
                    sql,
                    "account {id} ({since}, {until}]"
                );
            }
        }
    }
    for as_of in days() {
        for currency in [Currency::EUR, usd()] {
            let sql = opening_position_from(conn, as_of, currency, BankLines::Sql).unwrap();
            let from_kept =
                opening_position_from(conn, as_of, currency, BankLines::Kept(kept)).unwrap();
            assert_eq!(from_kept, sql, "opening position on {as_of}");
        }
        assert_eq!(
            net_cash(store, as_of, BankLines::Kept(kept)),
            net_cash(store, as_of, BankLines::Sql),
            "net cash on {as_of}"
        );
    }
}

#[test]
fn kept_sums_equal_the_sql_sums_after_each_import() {
    let mut store = Store::open_in_memory().unwrap();
    let mut kept = BankSums::read(store.conn()).unwrap();
    assert_eq!(kept.read_to(), 0);
    for (k, batch) in batches().iter().enumerate() {
        write(&mut store, batch, &format!("statement-{k}"));
        kept.refresh(store.conn()).unwrap();
        check_equal(&store, &kept);
        // Brought up to date line by line, the sums are those read whole.
        assert_eq!(kept, BankSums::read(store.conn()).unwrap());
    }
    // The figures worked by hand: A after its 15 March closing up to 31 March: 15 is on
    // the closing day (not after it), −1,234.56 after; the 2 April line is beyond.
    let a = account_ids(&store)[0];
    assert_eq!(
        kept.sum_after(a, Some(d(2026, 3, 15)), d(2026, 3, 31)),
        (-123_456, Some(d(2026, 3, 16)))
    );
    let cash = net_cash(&store, d(2026, 3, 31), BankLines::Kept(&kept));
    // A: 5,400 − 1,234.56; U: 1,000 − 2.5 (summed as read, as SQL did); B has no closing.
    assert_eq!(
        cash.bank_balances,
        dec!(5400) - dec!(1234.56) + dec!(1000) - dec!(2.5)
    );
    assert_eq!(cash.bank_balance_date, Some(d(2026, 3, 15)));
}

#[test]
fn a_re_imported_statement_adds_nothing_and_the_sums_stay_equal() {
    let mut store = Store::open_in_memory().unwrap();
    let all = batches();
    write(&mut store, &all[0], "first");
    let mut kept = BankSums::read(store.conn()).unwrap();
    let before = kept.clone();
    // The same lines under another file name: recognised by their keys, not inserted.
    write(&mut store, &all[0], "again");
    kept.refresh(store.conn()).unwrap();
    assert_eq!(kept, before);
    check_equal(&store, &kept);
}

#[test]
fn the_sums_read_again_when_the_table_holds_fewer_lines_than_read() {
    let mut store = Store::open_in_memory().unwrap();
    for (k, batch) in batches().iter().enumerate() {
        write(&mut store, batch, &format!("statement-{k}"));
    }
    let mut kept = BankSums::read(store.conn()).unwrap();
    // Not something the program does; a restored older backup looks like this.
    store
        .conn()
        .execute(
            "DELETE FROM bank_transactions WHERE booking_date >= ?1",
            [date_to_sql(d(2026, 3, 15))],
        )
        .unwrap();
    kept.refresh(store.conn()).unwrap();
    assert_eq!(kept, BankSums::read(store.conn()).unwrap());
    check_equal(&store, &kept);
}
