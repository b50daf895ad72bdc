//! Bank lines into `bank_transactions`, one prepared INSERT for the whole file.
//!
//! A line's `natural_key` is a 16-byte blob: the booking date's Julian day number, the first
//! 8 bytes of the SHA-256 of the line's content, and the line's rank among identical lines
//! of the file (all big-endian). Two identical lines in one file (two equal card payments
//! the same day) differ by their rank, which an overlapping statement reproduces, so the
//! overlap is recognised and the pair is still kept. The date comes first so that the
//! UNIQUE(account_id, natural_key) index grows where the file's dates are, not at random
//! places of a tree larger than the page cache.

use super::sticky::StickyInsert;
use super::{ImportSummary, WriteError, minor};
use crate::domain::model::{AccountRef, Balance, NewBankTransaction, SourceLocation};
use crate::domain::money::Currency;
use crate::import::prehashed::Prehashed;
use crate::import::text;
use crate::store::{SqlDate, date_to_sql};
use chrono::{Datelike, NaiveDate};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

pub(super) struct BankWriter<'c> {
    tx: &'c Transaction<'c>,
    insert: Option<StickyInsert<'c>>,
    /// Per statement of the file: its account and the index of that account's ranks.
    statements: Vec<(i64, usize)>,
    ranks: Vec<(i64, Ranks)>,
    /// Reused for each line's normalised remittance.
    scratch: String,
}

impl<'c> BankWriter<'c> {
    pub fn new(tx: &'c Transaction<'c>) -> BankWriter<'c> {
        BankWriter {
            tx,
            insert: None,
            statements: Vec::new(),
            ranks: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Starts the next statement of the file: finds or creates its account.
    pub fn statement(
        &mut self,
        account: &AccountRef,
        fallback_currency: Currency,
        summary: &mut ImportSummary,
    ) -> Result<i64, WriteError> {
        let id = account_id(self.tx, account, fallback_currency, summary)?;
        let ranks = match self.ranks.iter().position(|(a, _)| *a == id) {
            Some(i) => i,
            None => {
                self.ranks.push((id, Ranks::default()));
                self.ranks.len() - 1
            }
        };
        self.statements.push((id, ranks));
        Ok(id)
    }

    pub fn statements_started(&self) -> usize {
        self.statements.len()
    }

    /// The account of statement number `statement`, once [`Self::statement`] opened it.
    pub fn account(&self, statement: usize) -> Option<i64> {
        self.statements.get(statement).map(|s| s.0)
    }

    pub fn line(
        &mut self,
        statement: usize,
        t: &NewBankTransaction,
        import_id: i64,
        summary: &mut ImportSummary,
    ) -> Result<(), WriteError> {
        let facts = line_facts(t, &mut self.scratch);
        self.line_with(statement, t, facts, import_id, summary)
    }

    /// [`Self::line`] with the line's [`LineFacts`] already worked out.
    pub fn line_with(
        &mut self,
        statement: usize,
        t: &NewBankTransaction,
        facts: LineFacts,
        import_id: i64,
        summary: &mut ImportSummary,
    ) -> Result<(), WriteError> {
        let Some(&(account, ranks)) = self.statements.get(statement) else {
            return Err(WriteError::Store(crate::store::StoreError::Invalid(
                format!("bank line for statement {statement}, which was not started"),
            )));
        };
        let (amount, digest) = facts?;
        let booking = SqlDate::new(t.booking_date);
        let day = julian_day(t.booking_date);
        let rank = self.ranks[ranks].1.next(day, digest);
        let key = natural_key(t.booking_date, digest, rank);
        let insert = match &mut self.insert {
            Some(s) => s,
            None => self.insert.insert(StickyInsert::new(self.tx.prepare(
                "INSERT OR IGNORE INTO bank_transactions (account_id, natural_key, booking_date,
                    value_date, amount_minor, currency, counterparty_name, counterparty_iban,
                    remittance, structured_ref, bank_ref, type_code, reversal, import_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?)),
        };
        let value = t.value_date.map(SqlDate::new);
        insert.int(1, account)?;
        insert.each_row(2, &key[..])?;
        insert.text(3, Some(booking.as_str()))?;
        insert.text(4, value.as_ref().map(SqlDate::as_str))?;
        insert.each_row(5, amount)?;
        insert.text(6, Some(t.currency.as_str()))?;
        insert.text(7, t.counterparty_name.as_deref())?;
        insert.text(8, t.counterparty_iban.as_deref())?;
        insert.each_row(9, t.remittance.as_str())?;
        insert.text(10, t.structured_ref.as_deref())?;
        insert.text(11, t.bank_ref.as_deref())?;
        insert.text(12, t.type_code.as_deref())?;
        insert.int(13, i64::from(t.reversal))?;
        insert.int(14, import_id)?;
        let changed = insert.run()?;
        if changed == 1 {
            summary.transactions_inserted += 1;
        } else {
            summary.transactions_duplicate += 1;
        }
        Ok(())
    }
}

/// What a bank line's row takes from the line alone: its amount in minor units (or why it
/// has none) and the digest of its content. Worked out apart from the writes, so that a
/// pipelined import computes it on its reader thread.
pub type LineFacts = Result<(i64, [u8; 8]), WriteError>;

/// The [`LineFacts`] of `t`; `scratch` is reused for its normalised remittance.
pub fn line_facts(t: &NewBankTransaction, scratch: &mut String) -> LineFacts {
    let amount = minor(t.amount, t.currency, &t.location, "amount")?;
    let digest = digest_with(t, amount, &SqlDate::new(t.booking_date), scratch);
    Ok((amount, digest))
}

/// How many times each line content was seen so far in this file, for one account. Kept per
/// booking day (identical lines share their day), so that a file in date order works in a
/// small, cache-warm set instead of probing one spread over all the file's lines. Most
/// contents are seen once: those cost one 8-byte set entry; repeats get a counter.
#[derive(Default)]
struct Ranks {
    days: HashMap<u32, DayRanks>,
}

/// Keyed by the first 8 bytes of each line's SHA-256.
#[derive(Default)]
struct DayRanks {
    seen: HashSet<u64, Prehashed>,
    repeats: HashMap<u64, u32, Prehashed>,
}

impl Ranks {
    fn next(&mut self, day: u32, digest: [u8; 8]) -> u32 {
        let ranks = self.days.entry(day).or_default();
        let d = u64::from_be_bytes(digest);
        if ranks.seen.insert(d) {
            return 1;
        }
        let rank = ranks.repeats.entry(d).or_insert(1);
        *rank += 1;
        *rank
    }
}

/// See the module comment. Version 5 of the schema converted the keys written before it
/// (`<24 hex digits>#<rank>`) to this form with the same numbers.
pub fn natural_key(booking_date: NaiveDate, digest: [u8; 8], rank: u32) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..4].copy_from_slice(&julian_day(booking_date).to_be_bytes());
    key[4..12].copy_from_slice(&digest);
    key[12..].copy_from_slice(&rank.to_be_bytes());
    key
}

/// The integer part of SQLite's `julianday()` for the date, which the migration uses.
fn julian_day(d: NaiveDate) -> u32 {
    u32::try_from(i64::from(d.num_days_from_ce()) + 1_721_424).unwrap_or(0)
}

/// The first 8 bytes of the SHA-256 of the content that makes a bank line itself.
pub fn transaction_digest(t: &NewBankTransaction, amount_minor: i64) -> [u8; 8] {
    digest_with(
        t,
        amount_minor,
        &SqlDate::new(t.booking_date),
        &mut String::new(),
    )
}

fn digest_with(
    t: &NewBankTransaction,
    amount_minor: i64,
    booking: &SqlDate,
    scratch: &mut String,
) -> [u8; 8] {
    let mut h = Sha256::new();
    h.update(booking.as_str());
    h.update([0]);
    h.update(amount_minor.to_le_bytes());
    h.update(t.currency.as_str());
    h.update([0]);
    h.update(t.bank_ref.as_deref().unwrap_or(""));
    h.update([0]);
    scratch.clear();
    text::normalise_reference_into(&t.remittance, scratch);
    h.update(scratch.as_bytes());
    h.update([0]);
    h.update(t.counterparty_iban.as_deref().unwrap_or(""));
    h.update([u8::from(t.reversal)]);
    let digest = h.finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

fn account_id(
    tx: &Transaction<'_>,
    account: &AccountRef,
    fallback_currency: Currency,
    summary: &mut ImportSummary,
) -> Result<i64, WriteError> {
    let key = account
        .key()
        .unwrap_or_else(|| format!("unnamed:{}", summary.format));
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM bank_accounts WHERE key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO bank_accounts (key, iban, number, bank_code, currency) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        key,
        account.iban,
        account.number,
        account.bank_code,
        account.currency.unwrap_or(fallback_currency).as_str()
    ])?;
    summary.new_accounts.push(key);
    Ok(tx.last_insert_rowid())
}

pub(super) fn insert_balance(
    tx: &Transaction<'_>,
    account: i64,
    balance: &Balance,
    kind: &str,
    import_id: i64,
) -> Result<(), WriteError> {
    let amount = minor(
        balance.amount,
        balance.currency,
        &SourceLocation::Unknown,
        kind,
    )?;
    tx.prepare_cached(
        "INSERT INTO bank_balances (account_id, date, kind, amount_minor, currency, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(account_id, date, kind) DO UPDATE SET amount_minor = excluded.amount_minor",
    )?
    .execute(params![
        account,
        date_to_sql(balance.date),
        kind,
        amount,
        balance.currency.as_str(),
        import_id
    ])?;
    Ok(())
}
