//! Which customers changed since a computation: new rows are those above the ids it saw
//! (rows of these tables are never deleted in normal use, and a deletion marks everything),
//! updates are logged by triggers in `intel_dirty` (schema step 7) with a sequence number.

use crate::domain::model::CustomerId;
use crate::store::StoreResult;
use rusqlite::{Connection, params};
use std::collections::BTreeSet;

/// The tables whose new rows concern one customer, with the query that names them. Bank
/// lines and ratings are not here: the refresh reads their windows whole each time.
const INSERTS: &[(&str, &str)] = &[
    (
        "customers",
        "SELECT id FROM customers WHERE id > ?1 AND id <= ?2",
    ),
    (
        "invoices",
        "SELECT DISTINCT customer_id FROM invoices WHERE id > ?1 AND id <= ?2",
    ),
    (
        "allocations",
        "SELECT i.customer_id FROM allocations a JOIN invoices i ON i.id = a.invoice_id
         WHERE a.id > ?1 AND a.id <= ?2
         UNION
         SELECT i.customer_id FROM allocations a JOIN invoices i ON i.id = a.credit_note_id
         WHERE a.id > ?1 AND a.id <= ?2",
    ),
    (
        "events",
        "SELECT DISTINCT customer_id FROM events
         WHERE id > ?1 AND id <= ?2 AND customer_id IS NOT NULL",
    ),
    (
        "promises",
        "SELECT customer_id FROM promises WHERE id > ?1 AND id <= ?2",
    ),
    (
        "payment_plans",
        "SELECT customer_id FROM payment_plans WHERE id > ?1 AND id <= ?2",
    ),
    (
        "plan_instalments",
        "SELECT p.customer_id FROM plan_instalments i JOIN payment_plans p ON p.id = i.plan_id
         WHERE i.id > ?1 AND i.id <= ?2",
    ),
    (
        "snoozes",
        "SELECT customer_id FROM snoozes WHERE id > ?1 AND id <= ?2",
    ),
    (
        "disputes",
        "SELECT customer_id FROM disputes WHERE id > ?1 AND id <= ?2",
    ),
    (
        "payer_aliases",
        "SELECT customer_id FROM payer_aliases WHERE id > ?1 AND id <= ?2",
    ),
];

/// New rows here change who pays for whom (the payer directory) in a way only a whole
/// re-read of the customer's part tells.
const PAYER_TABLES: &[&str] = &["customers", "payer_aliases"];

/// The customers to read again, and what of them must be read whole.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub customers: BTreeSet<CustomerId>,
    /// Customers whose payer part must be read again whole.
    pub payers: BTreeSet<CustomerId>,
    /// Customers new or updated (logged in `intel_dirty`): nothing of theirs can be kept.
    pub whole: BTreeSet<CustomerId>,
    /// Customers with new allocations (as payer or credit note), and the range of those
    /// allocation ids: their payer accounts and paid history gain what these rows add.
    pub paying: BTreeSet<CustomerId>,
    pub allocations: Option<(i64, i64)>,
    /// Customers with new invoice rows, those named by any other change, and the range of
    /// the new invoice ids: a customer only invoiced keeps its bundle, extended.
    pub invoiced: BTreeSet<CustomerId>,
    pub others: BTreeSet<CustomerId>,
    pub invoices: Option<(i64, i64)>,
    /// Customers named by any change but a new allocation: the others, only paid, keep
    /// what is read from their invoice rows alone (the sales history).
    pub written: BTreeSet<CustomerId>,
}

/// Tables read whole (in windows) at each refresh: a new row there changes no customer's
/// own part, only what is attributed to them.
const GLOBAL: &[&str] = &["bank_transactions", "bank_balances", "external_ratings"];

/// Where the data stood: the highest id of each table of `INSERTS` and `GLOBAL`, then the
/// change log's latest sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marks {
    ids: Vec<i64>,
    seq: i64,
}

impl Marks {
    pub fn read(conn: &Connection) -> StoreResult<Marks> {
        let sql = format!(
            "SELECT {}, (SELECT COALESCE(MAX(seq), 0) FROM intel_dirty)",
            INSERTS
                .iter()
                .map(|(t, _)| *t)
                .chain(GLOBAL.iter().copied())
                .map(|t| format!("(SELECT COALESCE(MAX(id), 0) FROM {t})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let n = INSERTS.len() + GLOBAL.len();
        conn.prepare_cached(&sql)?
            .query_row([], |r| {
                let ids = (0..n).map(|i| r.get(i)).collect::<Result<Vec<i64>, _>>()?;
                Ok(Marks {
                    ids,
                    seq: r.get(n)?,
                })
            })
            .map_err(Into::into)
    }

    /// The customers written between `self` and `now`; None when everything must be read
    /// again (a row was deleted).
    pub fn changed_customers(
        &self,
        conn: &Connection,
        now: &Marks,
    ) -> StoreResult<Option<Changes>> {
        let mut out = Changes::default();
        if self.ids.iter().zip(&now.ids).any(|(a, b)| b < a) {
            return Ok(None);
        }
        for (i, (_, sql)) in INSERTS.iter().enumerate() {
            let (from, to) = (self.ids[i], now.ids[i]);
            if from == to {
                continue;
            }
            let table = INSERTS[i].0;
            let payer = PAYER_TABLES.contains(&table);
            match table {
                "allocations" => out.allocations = Some((from, to)),
                "invoices" => out.invoices = Some((from, to)),
                _ => {}
            }
            let mut stmt = conn.prepare_cached(sql)?;
            let mut rows = stmt.query(params![from, to])?;
            while let Some(r) = rows.next()? {
                let c: CustomerId = r.get(0)?;
                out.customers.insert(c);
                if payer {
                    out.payers.insert(c);
                }
                if table != "allocations" {
                    out.written.insert(c);
                }
                if table == "invoices" {
                    out.invoiced.insert(c);
                } else {
                    out.others.insert(c);
                }
                match table {
                    "customers" => {
                        out.whole.insert(c);
                    }
                    "allocations" => {
                        out.paying.insert(c);
                    }
                    _ => {}
                }
            }
        }
        if now.seq != self.seq {
            let mut stmt = conn.prepare_cached(
                "SELECT customer_id FROM intel_dirty WHERE seq > ?1 AND seq <= ?2",
            )?;
            let mut rows = stmt.query(params![self.seq, now.seq])?;
            while let Some(r) = rows.next()? {
                let c: CustomerId = r.get(0)?;
                if c == 0 {
                    return Ok(None);
                }
                // An update says not what it changed: the payers are read again too.
                out.customers.insert(c);
                out.others.insert(c);
                out.payers.insert(c);
                out.whole.insert(c);
                out.written.insert(c);
            }
        }
        Ok(Some(out))
    }
}
