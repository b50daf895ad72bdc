//! Bank lines read by booking day through the unique `(account_id, natural_key)` index.
//!
//! Every line's key starts with the big-endian Julian day of its booking date
//! (`import_writer::bank::natural_key`; version 5 converted the older text keys with the same
//! numbers). The lines of one account booked in a range of days are therefore one range of
//! that index: the 4-byte blob of a day sorts before every 16-byte key that starts with it.
//! An index on `booking_date` alone cost the bank import ≈ 0.4 s per million lines for reads
//! that this range serves as well, so it is dropped.
//!
//! Readers bound the key in SQL from the same date text they compare `booking_date` with:
//!
//! ```sql
//! t.account_id IN (SELECT id FROM bank_accounts)
//!   AND t.natural_key >= unhex(printf('%08x', CAST(julianday(?from) AS INTEGER)))
//!   AND t.natural_key <  unhex(printf('%08x', CAST(julianday(?to) AS INTEGER) + 1))
//!   AND t.booking_date BETWEEN ?from AND ?to
//! ```
//!
//! A reader that then reads many lines' rows takes their ids from the key range (the unique
//! index holds them: no row is read) and reads the rows in id order,
//! `t.id IN (SELECT id FROM bank_transactions WHERE <the key range>)`: in key order the rows
//! of one day are met at random, which cost up to three times the time of the date index.
//! Returned payments, few, have a partial index of their own.
//!
//! The key range is only the way in; the condition on `booking_date` stays and decides, so a
//! reader's answer is the one the date index gave. `CAST(julianday(d) AS INTEGER)` is the
//! number `natural_key` writes (tested in `import_writer::bank`). Every line's account is in
//! `bank_accounts` (a foreign key; the writer creates the account before its lines and
//! accounts are never deleted).

/// Schema step: any key that is still not a blob (one version 5 could not read, written by
/// hand) is given its booking day in front, so that every key starts with it; then the date
/// index goes, and returned payments get a partial index (none in most imports: it costs a
/// bulk import nothing). The 12 zero bytes make such a key longer than 16 bytes, or equal to
/// a written key only for a rank of 0, which the writer never gives: no clash with a real
/// line's key. Built in hex and unhexed whole, as `||` on blobs gives text.
pub const STEP: &str = r#"
UPDATE bank_transactions
SET natural_key = unhex(printf('%08x', CAST(julianday(booking_date) AS INTEGER))
    || '000000000000000000000000' || hex(natural_key))
WHERE typeof(natural_key) <> 'blob';
DROP INDEX bank_transactions_date;
CREATE INDEX bank_transactions_reversed ON bank_transactions(booking_date) WHERE reversal = 1;
"#;

/// The booking day of the newest bank line on or before `as_of`, over all accounts: each
/// account's newest is the last of its key range below the day after.
pub fn newest_booking_day(
    conn: &rusqlite::Connection,
    as_of: chrono::NaiveDate,
) -> super::StoreResult<Option<chrono::NaiveDate>> {
    use rusqlite::OptionalExtension;
    let newest: Option<String> = conn
        .prepare_cached(
            "SELECT MAX((SELECT t.booking_date FROM bank_transactions t
                         WHERE t.account_id = a.id
                           AND t.natural_key < unhex(printf('%08x',
                                   CAST(julianday(?1) AS INTEGER) + 1))
                           AND t.booking_date <= ?1
                         ORDER BY t.natural_key DESC LIMIT 1))
             FROM bank_accounts a",
        )?
        .query_row([super::date_to_sql(as_of)], |r| r.get(0))
        .optional()?
        .flatten();
    newest.map(|d| super::date_from_sql(&d)).transpose()
}

/// The first and last booking days of all bank lines, from both ends of each account's key
/// range (the day leads every key): two seeks per account instead of a scan of the lines.
/// `None` without lines.
pub fn booking_day_span(
    conn: &rusqlite::Connection,
) -> super::StoreResult<Option<(chrono::NaiveDate, chrono::NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT (SELECT t.natural_key FROM bank_transactions t WHERE t.account_id = a.id
                 ORDER BY t.natural_key LIMIT 1),
                (SELECT t.natural_key FROM bank_transactions t WHERE t.account_id = a.id
                 ORDER BY t.natural_key DESC LIMIT 1)
         FROM bank_accounts a",
    )?;
    let mut rows = stmt.query([])?;
    let mut span: Option<(u32, u32)> = None;
    while let Some(row) = rows.next()? {
        let (Some(first), Some(last)) = (
            super::row_text::bytes_opt(row, 0)?.and_then(key_day),
            super::row_text::bytes_opt(row, 1)?.and_then(key_day),
        ) else {
            continue;
        };
        span = Some(span.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
    }
    Ok(span.and_then(|(first, last)| Some((julian_date(first)?, julian_date(last)?))))
}

/// The booking day a line key starts with, as a Julian day number.
fn key_day(key: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(key.get(..4)?.try_into().ok()?))
}

/// The date of the integer Julian day `day` (what `CAST(julianday(d) AS INTEGER)` gives).
fn julian_date(day: u32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(i64::from(day) - 1_721_424).ok()?)
}
