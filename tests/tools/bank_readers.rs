//! Times the readers of bank lines by booking day, as they were with the
//! `bank_transactions(booking_date)` index (`old`) and as they are through the date-first line
//! keys (`new`, see `store::bank_keys`), and prints a digest of each answer so that the two
//! runs can be compared line for line.
//!
//! `cargo run --release --example bank_readers -- <db> old|new|migrate [runs]`: run `old` on a
//! database at schema 12 (before the index was dropped; the file is opened without migrating),
//! `new` on one opened once by the program (`migrate` does that).

use rusqlite::Connection;
use std::time::Instant;

const AS_OF: &str = "2026-06-15";

/// (name, old SQL, new SQL, parameters as text). Every statement's answer is folded into a
/// digest of all its columns.
const QUERIES: &[(&str, &str, &str, &[&str])] = &[
    (
        "ledger: newest day <= as of",
        "SELECT MAX(booking_date) FROM bank_transactions WHERE booking_date <= ?1",
        "SELECT MAX((SELECT t.booking_date FROM bank_transactions t
                     WHERE t.account_id = a.id
                       AND t.natural_key < unhex(printf('%08x',
                               CAST(julianday(?1) AS INTEGER) + 1))
                       AND t.booking_date <= ?1
                     ORDER BY t.natural_key DESC LIMIT 1))
         FROM bank_accounts a",
        &[AS_OF],
    ),
    (
        "history: newest bank date",
        "SELECT MAX(d) FROM (
            SELECT MAX(booking_date) AS d FROM bank_transactions WHERE booking_date <= ?1
            UNION ALL
            SELECT MAX(date) FROM bank_balances WHERE date <= ?1)",
        "SELECT MAX(d) FROM (
            SELECT MAX((SELECT t.booking_date FROM bank_transactions t
                        WHERE t.account_id = a.id
                          AND t.natural_key < unhex(printf('%08x',
                                  CAST(julianday(?1) AS INTEGER) + 1))
                          AND t.booking_date <= ?1
                        ORDER BY t.natural_key DESC LIMIT 1)) AS d
            FROM bank_accounts a
            UNION ALL
            SELECT MAX(date) FROM bank_balances WHERE date <= ?1)",
        &[AS_OF],
    ),
    (
        "forecast runs: actual flows over 13 weeks",
        "SELECT COALESCE(SUM(CASE WHEN t.amount_minor > 0 THEN t.amount_minor END), 0),
                COALESCE(SUM(CASE WHEN t.amount_minor < 0 THEN -t.amount_minor END), 0)
         FROM bank_transactions t JOIN bank_accounts a ON a.id = t.account_id
         WHERE a.currency = ?3 AND t.booking_date >= ?1 AND t.booking_date <= ?2
           AND (t.counterparty_iban IS NULL OR t.counterparty_iban NOT IN
                (SELECT iban FROM bank_accounts WHERE iban IS NOT NULL))",
        "SELECT COALESCE(SUM(CASE WHEN t.amount_minor > 0 THEN t.amount_minor END), 0),
                COALESCE(SUM(CASE WHEN t.amount_minor < 0 THEN -t.amount_minor END), 0)
         FROM bank_transactions t JOIN bank_accounts a ON a.id = t.account_id
         WHERE a.currency = ?3 AND t.booking_date >= ?1 AND t.booking_date <= ?2
           AND t.id IN (SELECT id FROM bank_transactions
                        WHERE account_id IN (SELECT id FROM bank_accounts WHERE currency = ?3)
                          AND natural_key >= unhex(printf('%08x', CAST(julianday(?1) AS INTEGER)))
                          AND natural_key < unhex(printf('%08x',
                                  CAST(julianday(?2) AS INTEGER) + 1)))
           AND (t.counterparty_iban IS NULL OR t.counterparty_iban NOT IN
                (SELECT iban FROM bank_accounts WHERE iban IS NOT NULL))",
        &["2026-03-16", AS_OF, "EUR"],
    ),
    (
        "reversals: credits of the window with a debit's amount",
        "SELECT t.id, t.booking_date, t.amount_minor,
            EXISTS (SELECT 1 FROM allocations a WHERE a.transaction_id = t.id AND a.undone_at IS NULL)
         FROM bank_transactions t
         WHERE t.amount_minor > 0 AND t.reversal = 0 AND t.booking_date BETWEEN ?1 AND ?2
           AND t.amount_minor IN (SELECT -amount_minor FROM bank_transactions
                                  WHERE id > ?3 AND id <= ?4 AND amount_minor < 0)",
        "SELECT t.id, t.booking_date, t.amount_minor,
            EXISTS (SELECT 1 FROM allocations a WHERE a.transaction_id = t.id AND a.undone_at IS NULL)
         FROM bank_transactions t
         WHERE t.amount_minor > 0 AND t.reversal = 0 AND t.booking_date BETWEEN ?1 AND ?2
           AND t.id IN (SELECT id FROM bank_transactions
                        WHERE account_id IN (SELECT id FROM bank_accounts)
                          AND natural_key >= unhex(printf('%08x', CAST(julianday(?1) AS INTEGER)))
                          AND natural_key < unhex(printf('%08x',
                                  CAST(julianday(?2) AS INTEGER) + 1)))
           AND t.amount_minor IN (SELECT -amount_minor FROM bank_transactions
                                  WHERE id > ?3 AND id <= ?4 AND amount_minor < 0)
         ORDER BY t.booking_date, t.id",
        &["2026-04-15", "2026-06-14", "0", "999999999"],
    ),
    (
        "payers: reversed lines of 90 days",
        "SELECT booking_date, amount_minor, currency, counterparty_name, counterparty_iban
         FROM bank_transactions
         WHERE reversal = 1 AND booking_date > ?1 AND booking_date <= ?2",
        "SELECT booking_date, amount_minor, currency, counterparty_name, counterparty_iban
         FROM bank_transactions
         WHERE reversal = 1 AND booking_date > ?1 AND booking_date <= ?2
         ORDER BY booking_date, id",
        &["2026-03-17", AS_OF],
    ),
    (
        "payers: unmatched credits of 30 days, newest first",
        "SELECT booking_date, amount_minor, currency, counterparty_name, counterparty_iban
         FROM bank_transactions t
         WHERE amount_minor > 0 AND reversal = 0 AND booking_date > ?1 AND booking_date <= ?2
           AND NOT EXISTS (SELECT 1 FROM allocations a
                           WHERE a.transaction_id = t.id AND a.undone_at IS NULL)
         ORDER BY booking_date DESC",
        "SELECT booking_date, amount_minor, currency, counterparty_name, counterparty_iban
         FROM bank_transactions t
         WHERE amount_minor > 0 AND reversal = 0 AND booking_date > ?1 AND booking_date <= ?2
           AND id IN (SELECT id FROM bank_transactions
                      WHERE account_id IN (SELECT id FROM bank_accounts)
                        AND natural_key >= unhex(printf('%08x',
                                CAST(julianday(?1) AS INTEGER) + 1))
                        AND natural_key < unhex(printf('%08x',
                                CAST(julianday(?2) AS INTEGER) + 1)))
           AND NOT EXISTS (SELECT 1 FROM allocations a
                           WHERE a.transaction_id = t.id AND a.undone_at IS NULL)
         ORDER BY booking_date DESC, id DESC",
        &["2026-05-16", AS_OF],
    ),
    (
        "bank sums (SQL): an account since its last balance",
        "SELECT COALESCE(SUM(amount_minor), 0), MAX(booking_date)
         FROM bank_transactions
         WHERE account_id = ?1 AND booking_date > ?2 AND booking_date <= ?3",
        "SELECT COALESCE(SUM(amount_minor), 0), MAX(booking_date)
         FROM bank_transactions
         WHERE account_id = ?1 AND booking_date > ?2 AND booking_date <= ?3
           AND natural_key >= unhex(printf('%08x',
                   COALESCE(CAST(julianday(?2) AS INTEGER) + 1, 0)))
           AND natural_key < unhex(printf('%08x', CAST(julianday(?3) AS INTEGER) + 1))",
        &["1", "2026-05-31", AS_OF],
    ),
    (
        "bank sums (SQL): an account from its first line",
        "SELECT COALESCE(SUM(amount_minor), 0), MAX(booking_date)
         FROM bank_transactions
         WHERE account_id = ?1 AND booking_date > ?2 AND booking_date <= ?3",
        "SELECT COALESCE(SUM(amount_minor), 0), MAX(booking_date)
         FROM bank_transactions
         WHERE account_id = ?1 AND booking_date > ?2 AND booking_date <= ?3
           AND natural_key >= unhex(printf('%08x',
                   COALESCE(CAST(julianday(?2) AS INTEGER) + 1, 0)))
           AND natural_key < unhex(printf('%08x', CAST(julianday(?3) AS INTEGER) + 1))",
        &["1", "", AS_OF],
    ),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(db), Some(mode)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bank_readers <db> old|new [runs]");
        std::process::exit(2);
    };
    if mode == "migrate" {
        encours::store::Store::open(std::path::Path::new(db), Default::default()).expect("migrate");
        return;
    }
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    let conn =
        Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    for (name, old, new, args) in QUERIES {
        let sql = if mode == "old" { old } else { new };
        let mut stmt = conn.prepare(sql).expect("prepare");
        let plan: Vec<String> = {
            let mut p = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("plan");
            let rows = p
                .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                    r.get::<_, String>(3)
                })
                .expect("plan rows");
            rows.map(|r| r.expect("plan row")).collect()
        };
        let mut times = Vec::new();
        let mut digest = (0u64, 0usize);
        for _ in 0..runs {
            let start = Instant::now();
            let mut rows = stmt
                .query(rusqlite::params_from_iter(args.iter()))
                .expect("query");
            let mut d = 0xcbf2_9ce4_8422_2325u64;
            let mut n = 0;
            while let Some(r) = rows.next().expect("row") {
                n += 1;
                for i in 0..r.as_ref().column_count() {
                    let text = format!("{:?}", r.get_ref(i).expect("col"));
                    for b in text.bytes().chain([0]) {
                        d = (d ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
                    }
                }
            }
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            digest = (d, n);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name}: median {:.3} ms (min {:.3}, max {:.3}); {} rows, digest {:016x}; plan: {}",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            digest.1,
            digest.0,
            plan.join(" / ")
        );
    }
}
