//! Reading what matching needs: credits with money left, open invoices, known payers.

use crate::domain::matching::{CreditLine, OpenInvoice, PayerAlias, PayerDirectory};
use crate::domain::model::TransactionId;
use crate::domain::money::{Currency, from_minor};
use crate::store::row_text::{text, text_opt};
use crate::store::{StoreError, StoreResult, date_from_sql};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;

/// Credits are split in two: those never touched, which the automatic rules may take, and
/// those a person or an earlier run already dealt with (a remainder after an over-payment,
/// an allocation undone by hand), which only get suggestions, so that an undone match is
/// never silently made again.
pub struct Credits {
    pub untouched: Vec<CreditLine>,
    pub reviewed: Vec<CreditLine>,
}

/// The credits taken back by a reversal, as recorded in the event log.
pub fn reversed_credits(conn: &Connection) -> StoreResult<HashSet<TransactionId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT json_extract(detail, '$.transaction_id') FROM events WHERE kind = 'payment_reversed'",
    )?;
    let ids = stmt.query_map([], |r| r.get::<_, Option<i64>>(0))?;
    let mut out = HashSet::new();
    for id in ids {
        if let Some(id) = id? {
            out.insert(id);
        }
    }
    Ok(out)
}

/// Bank credits with money left: which allocations are summed (all grouped, or one line's
/// through their index) and which lines are read.
macro_rules! credits_sql {
    ($allocations:literal, $lines:literal) => {
        concat!(
            "
SELECT t.id, t.booking_date, t.amount_minor, t.currency, t.counterparty_name,
       t.counterparty_iban, t.remittance, t.structured_ref,
       COALESCE(a.used, 0), COALESCE(a.rows, 0)
FROM bank_transactions t
LEFT JOIN (
    SELECT transaction_id,
           SUM(CASE WHEN undone_at IS NULL AND rule NOT IN ('discount', 'fee')
                    THEN amount_minor ELSE 0 END) AS used,
           COUNT(*) AS rows
    FROM allocations WHERE ",
            $allocations,
            "
    GROUP BY transaction_id
) a ON a.transaction_id = t.id
WHERE t.amount_minor > 0 AND t.reversal = 0 AND t.amount_minor > COALESCE(a.used, 0)",
            $lines
        )
    };
}

const CREDITS_SQL: &str = credits_sql!("transaction_id IS NOT NULL", "");

/// `CREDITS_SQL` for one bank line, its allocations summed through their index rather
/// than grouped for every line (0.1 ms instead of 1.2 s at a million bank lines).
const CREDIT_SQL: &str = credits_sql!("transaction_id = ?1", " AND t.id = ?1");

/// Every bank credit with money left to allocate.
pub fn credits(conn: &Connection) -> StoreResult<Credits> {
    let reversed = reversed_credits(conn)?;
    let mut out = Credits {
        untouched: Vec::new(),
        reviewed: Vec::new(),
    };
    let mut stmt = conn.prepare_cached(CREDITS_SQL)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        push_credit(row, &reversed, &mut out)?;
    }
    Ok(out)
}

/// The credits among `ids` with money left to allocate, each read through its own key:
/// what a page of the matching screen needs, without reading every bank line.
pub fn credits_among(conn: &Connection, ids: &[TransactionId]) -> StoreResult<Credits> {
    let reversed = reversed_credits(conn)?;
    let mut out = Credits {
        untouched: Vec::new(),
        reviewed: Vec::new(),
    };
    let mut stmt = conn.prepare_cached(CREDIT_SQL)?;
    for id in ids {
        let mut rows = stmt.query([id])?;
        while let Some(row) = rows.next()? {
            push_credit(row, &reversed, &mut out)?;
        }
    }
    Ok(out)
}

fn push_credit(
    row: &rusqlite::Row<'_>,
    reversed: &HashSet<TransactionId>,
    out: &mut Credits,
) -> StoreResult<()> {
    {
        let id: i64 = row.get(0)?;
        if reversed.contains(&id) {
            return Ok(());
        }
        let currency = Currency::parse(&row.get::<_, String>(3)?).unwrap_or_default();
        let amount: i64 = row.get(2)?;
        let used: i64 = row.get(8)?;
        let touched: i64 = row.get(9)?;
        let line = CreditLine {
            id,
            date: date_from_sql(&row.get::<_, String>(1)?)?,
            amount: from_minor(amount - used, currency),
            currency,
            counterparty_name: row.get(4)?,
            counterparty_iban: row.get(5)?,
            remittance: row.get(6)?,
            structured_ref: row.get(7)?,
        };
        if touched == 0 {
            out.untouched.push(line);
        } else {
            out.reviewed.push(line);
        }
    }
    Ok(())
}

/// Open invoices are the ones not settled (schema step 6); only those paid in part (a first
/// payment day, schema step 7) have their allocations summed. `{from}` is the table, with
/// or without a hint, and `{by}` the rows wanted.
const INVOICES_SQL: &str = "
SELECT i.id, i.number, i.number_key, i.payment_reference, i.customer_id, i.issue_date,
       i.due_date, i.amount_minor - i.prepaid_minor,
       CASE WHEN i.first_paid_on IS NULL THEN 0
            ELSE (SELECT COALESCE(SUM(a.amount_minor), 0) FROM allocations a
                  WHERE a.invoice_id = i.id AND a.undone_at IS NULL) END,
       i.first_paid_on IS NOT NULL, i.currency, i.discount_percent
FROM {from}
WHERE i.settled_on IS NULL AND i.kind = 'invoice'
  AND (?2 IS NULL OR i.customer_id = ?2) AND {by}";

/// Every open invoice, read by a scan of the table. A run reads columns no index holds, and
/// looking rows up from the index of open invoices (in customer order) sends each to a
/// random page (+1.5 s at a million invoices); in rowid order the scan reads each page once
/// and is faster than the lookups even when four invoices in five are settled (0.21 against
/// 0.39 s with all million open, 0.08 against 0.09 s with 200,000).
const ALL_OPEN: (&str, &str) = ("invoices i NOT INDEXED", "?1 IS NULL");

fn invoices_sql((from, by): (&str, &str)) -> String {
    INVOICES_SQL.replace("{from}", from).replace("{by}", by)
}

/// What an open invoice owed when a matching run loaded it, and whether anything had been
/// paid on it: the run works out the invoice's new state from it and from what it
/// allocates, without reading back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaidBefore {
    /// Total less prepaid.
    pub due_minor: i64,
    /// Some allocation pays it already.
    pub paid_some: bool,
}

/// Open invoices (all, one, or one customer's), with their open amount.
pub fn open_invoices(
    conn: &Connection,
    only: Option<i64>,
    customer: Option<i64>,
) -> StoreResult<Vec<OpenInvoice>> {
    let mut out = Vec::new();
    for_each_open_invoice(conn, only, customer, |inv, _| out.push(inv))?;
    Ok(out)
}

/// All open invoices, each with what it owed and whether it was paid in part (same order).
pub fn open_invoices_paid(conn: &Connection) -> StoreResult<(Vec<OpenInvoice>, Vec<PaidBefore>)> {
    let mut out = (Vec::new(), Vec::new());
    for_each_open_invoice(conn, None, None, |inv, paid| {
        out.0.push(inv);
        out.1.push(paid);
    })?;
    Ok(out)
}

fn for_each_open_invoice(
    conn: &Connection,
    only: Option<i64>,
    customer: Option<i64>,
    mut f: impl FnMut(OpenInvoice, PaidBefore),
) -> StoreResult<()> {
    // The row's own index when there is one to follow: the open invoices of a customer,
    // or one invoice, are a few seeks; all of them, a scan of the table ([`ALL_OPEN`]).
    let rows = match (only, customer) {
        (Some(_), _) => ("invoices i", "i.id = ?1"),
        (None, Some(_)) => ("invoices i", "i.customer_id = ?2"),
        (None, None) => ALL_OPEN,
    };
    let mut stmt = conn.prepare_cached(&invoices_sql(rows))?;
    let mut rows = stmt.query(params![only, customer])?;
    let mut currency = (String::new(), Currency::default());
    while let Some(row) = rows.next()? {
        let due_minor: i64 = row.get(7)?;
        let paid_minor: i64 = row.get(8)?;
        let open = due_minor - paid_minor;
        if open <= 0 {
            continue;
        }
        let code = text(row, 10)?;
        if code != currency.0 {
            currency = (code.to_string(), Currency::parse(code).unwrap_or_default());
        }
        let due: Option<&str> = text_opt(row, 6)?;
        let discount: Option<&str> = text_opt(row, 11)?;
        f(
            OpenInvoice {
                id: row.get(0)?,
                number: row.get(1)?,
                number_key: row.get(2)?,
                payment_reference: row.get(3)?,
                customer_id: row.get(4)?,
                issue_date: date_from_sql(text(row, 5)?)?,
                due_date: due.map(date_from_sql).transpose()?,
                open: from_minor(open, currency.1),
                currency: currency.1,
                discount_percent: discount.and_then(|d| Decimal::from_str(d).ok()),
            },
            PaidBefore {
                due_minor,
                paid_some: row.get(9)?,
            },
        );
    }
    Ok(())
}

/// The customers' names and every learned alias.
pub fn payers(conn: &Connection) -> StoreResult<PayerDirectory> {
    let mut customers = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM customers")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        customers.push((row.get(0)?, row.get(1)?));
    }
    let mut aliases = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT customer_id, name_key, iban FROM payer_aliases")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        aliases.push(PayerAlias {
            customer_id: row.get(0)?,
            name_key: row.get(1)?,
            iban: row.get(2)?,
        });
    }
    Ok(PayerDirectory { customers, aliases })
}

/// Everything a run decides from, read at the start of its write transaction.
pub struct RunInputs {
    pub credits: Credits,
    pub invoices: Vec<OpenInvoice>,
    /// What each of `invoices` owed and whether it was paid in part, in the same order.
    pub paid_before: Vec<PaidBefore>,
    pub payers: PayerDirectory,
}

/// Reads a run's inputs. From a database file the credits are read on a second, read-only
/// connection on a thread of its own while `tx` reads the invoices and payers: the two
/// largest reads of a run (0.6 and 0.7 s at a million lines each) then share two cores. The
/// second connection sees what `tx` sees: `tx` holds the write lock (`BEGIN IMMEDIATE`) and
/// has written nothing yet, so no commit can come between the two. An in-memory database
/// (tests) has no second connection and is read in turn.
pub(super) fn run_inputs(tx: &Transaction<'_>) -> StoreResult<RunInputs> {
    let file = tx.path().filter(|p| !p.is_empty()).map(str::to_owned);
    let Some(file) = file else {
        let credits = credits(tx)?;
        let (invoices, paid_before) = open_invoices_paid(tx)?;
        let payers = payers(tx)?;
        return Ok(RunInputs {
            credits,
            invoices,
            paid_before,
            payers,
        });
    };
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("encours-credits".into())
            .spawn_scoped(scope, || -> StoreResult<Credits> {
                let conn = Connection::open_with_flags(
                    &file,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.busy_timeout(std::time::Duration::from_secs(10))?;
                credits(&conn)
            })
            .map_err(|e| StoreError::Invalid(format!("cannot start a reading thread: {e}")))?;
        let (invoices, paid_before) = open_invoices_paid(tx)?;
        let payers = payers(tx)?;
        let credits = reader
            .join()
            .map_err(|_| StoreError::Invalid("the thread reading bank credits failed".into()))??;
        Ok(RunInputs {
            credits,
            invoices,
            paid_before,
            payers,
        })
    })
}

/// The last bank line a run looked at for reversals.
pub fn reversal_mark(conn: &Connection) -> StoreResult<i64> {
    let mark: Option<Option<i64>> = conn
        .query_row(
            "SELECT json_extract(detail, '$.reversals_scanned_to') FROM events
             WHERE kind = 'matching_run' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(mark.flatten().unwrap_or(0))
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::store::fresh_plan;

    #[test]
    fn all_open_invoices_are_read_by_a_scan_of_the_table_in_rowid_order() {
        let plan = fresh_plan(&invoices_sql(ALL_OPEN), params![None::<i64>, None::<i64>]);
        assert!(plan.contains("SCAN i"), "{plan}");
        assert!(!plan.contains("SCAN i USING"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    /// A person's match reads its one credit through keys: the statement for every credit
    /// with `?1 IS NULL OR t.id = ?1` summed every allocation and read every bank line
    /// (1.2 s at a million lines) before each assign or accepted suggestion.
    #[test]
    fn one_credit_is_read_through_its_keys() {
        let plan = fresh_plan(CREDIT_SQL, [7]);
        // `a` is the one line's allocations summed: at most one row to scan.
        assert!(
            !plan.contains("SCAN t") && !plan.contains("SCAN allocations"),
            "{plan}"
        );
        assert!(plan.contains("(transaction_id=?)"), "{plan}");
        assert!(
            plan.contains("SEARCH t USING INTEGER PRIMARY KEY"),
            "{plan}"
        );
    }
}
