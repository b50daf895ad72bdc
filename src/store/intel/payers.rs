//! Who pays for whom: the IBANs and names seen paying each customer (learned aliases and
//! matched payments), and the bank lines that concern a customer without being matched to
//! one of its invoices: returned payments, credits waiting for a match, new accounts.

use super::customers::CustomerRow;
use crate::domain::dunning::queue::UnmatchedCredit;
use crate::domain::model::CustomerId;
use crate::domain::money::{Currency, from_minor};
use crate::domain::names::{looks_like, name_key};
use crate::domain::signals::facts::{PayerAccountFact, ReversalFact};
use crate::store::{StoreResult, date_from_sql, date_to_sql};
use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct PayerDirectory {
    by_iban: HashMap<String, Vec<CustomerId>>,
    /// Name keys (customers' names and learned payer names) to customers.
    names: HashMap<String, Vec<CustomerId>>,
    /// Per customer: each IBAN with the first day it paid.
    accounts: HashMap<CustomerId, Vec<(String, NaiveDate)>>,
}

impl PayerDirectory {
    fn add_iban(&mut self, customer: CustomerId, iban: &str, seen: NaiveDate) {
        let iban = iban.trim().to_ascii_uppercase();
        if iban.is_empty() {
            return;
        }
        let owners = self.by_iban.entry(iban.clone()).or_default();
        if !owners.contains(&customer) {
            owners.push(customer);
        }
        let list = self.accounts.entry(customer).or_default();
        match list.iter_mut().find(|(i, _)| *i == iban) {
            Some((_, first)) => *first = (*first).min(seen),
            None => list.push((iban, seen)),
        }
    }

    /// The customers a bank line's counterparty looks like: by IBAN first, else by name.
    pub fn customers_for(&self, iban: Option<&str>, name: Option<&str>) -> Vec<CustomerId> {
        if let Some(iban) = iban
            && let Some(owners) = self.by_iban.get(&iban.trim().to_ascii_uppercase())
        {
            return owners.clone();
        }
        let Some(name) = name else {
            return Vec::new();
        };
        // Every run of whole words of the counterparty's name is a candidate key: a handful
        // of lookups instead of a comparison with every customer.
        let key = name_key(name);
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let mut out: Vec<CustomerId> = Vec::new();
        for start in 0..words.len() {
            for end in start + 1..=words.len().min(start + 8) {
                let candidate = words[start..end].join(" ");
                if let Some(owners) = self.names.get(&candidate)
                    && looks_like(&key, &candidate)
                {
                    out.extend(owners);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn add_name(&mut self, key: String, customer: CustomerId) {
        if key.is_empty() {
            return;
        }
        let owners = self.names.entry(key).or_default();
        if !owners.contains(&customer) {
            owners.push(customer);
        }
    }

    /// IBANs first seen on or after `since` for a customer that paid from another one before.
    pub fn new_accounts(&self, customer: CustomerId, since: NaiveDate) -> Vec<PayerAccountFact> {
        let Some(list) = self.accounts.get(&customer) else {
            return Vec::new();
        };
        let Some(oldest) = list.iter().map(|(_, d)| *d).min() else {
            return Vec::new();
        };
        list.iter()
            .filter(|(_, first)| *first >= since && *first > oldest)
            .map(|(iban, first)| PayerAccountFact {
                iban: iban.clone(),
                first_seen: *first,
            })
            .collect()
    }
}

pub fn payer_directory(
    conn: &Connection,
    as_of: NaiveDate,
    customers: &[CustomerRow],
    only: Option<CustomerId>,
) -> StoreResult<PayerDirectory> {
    let mut dir = PayerDirectory::default();
    for c in customers {
        dir.add_name(name_key(&c.name), c.id);
    }
    let day = date_to_sql(as_of);
    let mut stmt = conn.prepare_cached(
        "SELECT i.customer_id, t.counterparty_iban, MIN(t.booking_date)
         FROM allocations a
         JOIN bank_transactions t ON t.id = a.transaction_id
         JOIN invoices i ON i.id = a.invoice_id
         WHERE a.undone_at IS NULL AND t.counterparty_iban IS NOT NULL
           AND t.counterparty_iban <> '' AND t.booking_date <= ?1
           AND (?2 IS NULL OR i.customer_id = ?2)
         GROUP BY i.customer_id, t.counterparty_iban",
    )?;
    let mut rows = stmt.query(params![day, only])?;
    while let Some(r) = rows.next()? {
        let iban: String = r.get(1)?;
        dir.add_iban(r.get(0)?, &iban, date_from_sql(&r.get::<_, String>(2)?)?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, iban, name_key, substr(created_at, 1, 10) FROM payer_aliases
         WHERE substr(created_at, 1, 10) <= ?1 AND (?2 IS NULL OR customer_id = ?2)",
    )?;
    let mut rows = stmt.query(params![day, only])?;
    while let Some(r) = rows.next()? {
        let customer: CustomerId = r.get(0)?;
        let seen = date_from_sql(&r.get::<_, String>(3)?)?;
        if let Some(iban) = r.get::<_, Option<String>>(1)? {
            dir.add_iban(customer, &iban, seen);
        }
        if let Some(key) = r.get::<_, Option<String>>(2)? {
            dir.add_name(name_key(&key), customer);
        }
    }
    Ok(dir)
}

pub struct BankLine {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub name: Option<String>,
    pub iban: Option<String>,
}

fn bank_lines(
    conn: &Connection,
    sql: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<BankLine>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![date_to_sql(from), date_to_sql(to)])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let currency = Currency::parse(&r.get::<_, String>(2)?).unwrap_or_default();
        out.push(BankLine {
            date: date_from_sql(&r.get::<_, String>(0)?)?,
            amount: from_minor(r.get(1)?, currency),
            name: r.get(3)?,
            iban: r.get(4)?,
        });
    }
    Ok(out)
}

#[derive(Debug, Default)]
pub struct BankFacts {
    pub reversals: HashMap<CustomerId, Vec<ReversalFact>>,
    pub unmatched: HashMap<CustomerId, UnmatchedCredit>,
}

/// Returned payments of the last `reversal_days` and credits without a match of the last
/// `unmatched_days`, attributed to the customers they look like.
pub fn bank_facts(
    conn: &Connection,
    as_of: NaiveDate,
    dir: &PayerDirectory,
    reversal_days: u32,
    unmatched_days: u32,
) -> StoreResult<BankFacts> {
    let mut facts = BankFacts::default();
    let from = as_of - Duration::days(i64::from(reversal_days));
    let reversals = bank_lines(
        conn,
        "SELECT booking_date, amount_minor, currency, counterparty_name, counterparty_iban
         FROM bank_transactions
         WHERE reversal = 1 AND booking_date > ?1 AND booking_date <= ?2",
        from,
        as_of,
    )?;
    for line in reversals {
        for c in dir.customers_for(line.iban.as_deref(), line.name.as_deref()) {
            facts.reversals.entry(c).or_default().push(ReversalFact {
                date: line.date,
                amount: line.amount,
                counterparty: line.name.clone().unwrap_or_default(),
            });
        }
    }
    let from = as_of - Duration::days(i64::from(unmatched_days));
    let unmatched = bank_lines(
        conn,
        "SELECT booking_date, amount_minor, currency, counterparty_name, counterparty_iban
         FROM bank_transactions t
         WHERE amount_minor > 0 AND reversal = 0 AND booking_date > ?1 AND booking_date <= ?2
           AND NOT EXISTS (SELECT 1 FROM allocations a
                           WHERE a.transaction_id = t.id AND a.undone_at IS NULL)
         ORDER BY booking_date DESC",
        from,
        as_of,
    )?;
    for line in unmatched {
        for c in dir.customers_for(line.iban.as_deref(), line.name.as_deref()) {
            // Ordered newest first: the first one found is the one to show.
            facts.unmatched.entry(c).or_insert_with(|| UnmatchedCredit {
                date: line.date,
                amount: line.amount,
                counterparty: line.name.clone().or(line.iban.clone()).unwrap_or_default(),
            });
        }
    }
    Ok(facts)
}
