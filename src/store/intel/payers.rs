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

/// What one customer brings to the directory: its name, the IBANs it paid from (matched
/// payments, then learned aliases) with the first day each was seen, and the learned payer
/// names. Kept per customer so that a refresh re-reads only the customers that changed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PayerPart {
    name_key: String,
    /// The accounts of matched payments first, in the order of their IBAN as stored (the
    /// order a whole read gives), then those known from aliases only.
    accounts: Vec<(String, NaiveDate)>,
    /// How many of `accounts` come from matched payments.
    matched: usize,
    /// An IBAN was stored not in its normal form: its place in the order cannot be told
    /// from the normal form, so new payments make the part be read again whole.
    odd: bool,
    alias_names: Vec<String>,
}

impl PayerPart {
    /// Marks the accounts read so far as the matched ones, in IBAN order whatever the
    /// query plan gave (new payments are placed by `add_matched` in that order).
    fn sort_matched(&mut self) {
        self.accounts.sort_by(|a, b| a.0.cmp(&b.0));
        self.matched = self.accounts.len();
    }

    fn add_iban(&mut self, iban: &str, seen: NaiveDate) {
        let normal = iban.trim().to_ascii_uppercase();
        self.odd |= normal != iban;
        let iban = normal;
        if iban.is_empty() {
            return;
        }
        match self.accounts.iter_mut().find(|(i, _)| *i == iban) {
            Some((_, first)) => *first = (*first).min(seen),
            None => self.accounts.push((iban, seen)),
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct PayerDirectory {
    parts: HashMap<CustomerId, PayerPart>,
    by_iban: HashMap<String, Vec<CustomerId>>,
    /// Name keys (customers' names and learned payer names) to customers.
    names: HashMap<String, Vec<CustomerId>>,
}

fn push_owner(owners: &mut Vec<CustomerId>, customer: CustomerId) {
    if !owners.contains(&customer) {
        owners.push(customer);
    }
}

impl PayerDirectory {
    /// The lookups, from the parts (in customer order, so that the result does not depend
    /// on how the parts were read).
    fn index(&mut self) {
        self.by_iban.clear();
        self.names.clear();
        let mut ids: Vec<CustomerId> = self.parts.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let Some(part) = self.parts.get(&id) else {
                continue;
            };
            for (iban, _) in &part.accounts {
                push_owner(self.by_iban.entry(iban.clone()).or_default(), id);
            }
            for key in std::iter::once(&part.name_key).chain(&part.alias_names) {
                if !key.is_empty() {
                    push_owner(self.names.entry(key.clone()).or_default(), id);
                }
            }
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

    /// IBANs first seen on or after `since` for a customer that paid from another one before.
    pub fn new_accounts(&self, customer: CustomerId, since: NaiveDate) -> Vec<PayerAccountFact> {
        let Some(list) = self.parts.get(&customer).map(|p| &p.accounts) else {
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

    /// Re-reads the parts of `customers` (their rows given; a customer without a row is
    /// gone) and rebuilds the lookups.
    pub fn refresh(
        &mut self,
        conn: &Connection,
        as_of: NaiveDate,
        customers: &[CustomerId],
        rows: &[&CustomerRow],
    ) -> StoreResult<()> {
        for id in customers {
            self.parts.remove(id);
        }
        for c in rows {
            let part = customer_part(conn, as_of, c)?;
            self.parts.insert(c.id, part);
        }
        self.index();
        Ok(())
    }

    /// Adds the payments of the allocations with ids in `(from, to]` to the parts of
    /// `customers` (the others are left as they are: read whole by `refresh`). Returns the
    /// customers whose part only a whole read can bring up to date. The lookups are not
    /// rebuilt: `refresh` (or `reindex`) must follow.
    pub fn add_allocations(
        &mut self,
        conn: &Connection,
        as_of: NaiveDate,
        (from, to): (i64, i64),
        customers: &std::collections::BTreeSet<CustomerId>,
    ) -> StoreResult<Vec<CustomerId>> {
        let mut stmt = conn.prepare_cached(
            "SELECT i.customer_id, t.counterparty_iban, MIN(t.booking_date)
             FROM allocations a
             JOIN bank_transactions t ON t.id = a.transaction_id
             JOIN invoices i ON i.id = a.invoice_id
             WHERE a.id > ?2 AND a.id <= ?3
               AND a.undone_at IS NULL AND t.counterparty_iban IS NOT NULL
               AND t.counterparty_iban <> '' AND t.booking_date <= ?1
             GROUP BY i.customer_id, t.counterparty_iban",
        )?;
        let mut rows = stmt.query(params![date_to_sql(as_of), from, to])?;
        let mut whole = Vec::new();
        while let Some(r) = rows.next()? {
            let customer: CustomerId = r.get(0)?;
            if !customers.contains(&customer) {
                continue;
            }
            let iban: String = r.get(1)?;
            let seen = date_from_sql(&r.get::<_, String>(2)?)?;
            let done = self
                .parts
                .get_mut(&customer)
                .is_some_and(|part| add_matched(part, &iban, seen));
            if !done {
                whole.push(customer);
            }
        }
        whole.dedup();
        Ok(whole)
    }

    /// Rebuilds the lookups after `add_allocations` when no `refresh` follows.
    pub fn reindex(&mut self) {
        self.index();
    }
}

/// Brings a part up to date with a matched payment from `iban` first seen on `seen`, as a
/// whole read would place it. False when only a whole read can tell (an odd IBAN).
fn add_matched(part: &mut PayerPart, iban: &str, seen: NaiveDate) -> bool {
    if part.odd || iban != iban.trim().to_ascii_uppercase() {
        return false;
    }
    let matched = &part.accounts[..part.matched];
    match matched.binary_search_by(|(i, _)| i.as_str().cmp(iban)) {
        Ok(at) => {
            let first = &mut part.accounts[at].1;
            *first = (*first).min(seen);
        }
        Err(at) => {
            let alias = part.accounts[part.matched..]
                .iter()
                .position(|(i, _)| i == iban)
                .map(|k| part.accounts.remove(part.matched + k).1);
            let first = alias.map_or(seen, |d| d.min(seen));
            part.accounts.insert(at, (iban.to_string(), first));
            part.matched += 1;
        }
    }
    true
}

fn new_part(c: &CustomerRow) -> PayerPart {
    PayerPart {
        name_key: name_key(&c.name),
        ..PayerPart::default()
    }
}

fn add_alias(part: &mut PayerPart, iban: Option<String>, key: Option<String>, seen: NaiveDate) {
    if let Some(iban) = iban {
        part.add_iban(&iban, seen);
    }
    if let Some(key) = key {
        let key = name_key(&key);
        if !key.is_empty() && !part.alias_names.contains(&key) {
            part.alias_names.push(key);
        }
    }
}

/// One customer's part, through its invoice index and each invoice's allocations.
fn customer_part(conn: &Connection, as_of: NaiveDate, c: &CustomerRow) -> StoreResult<PayerPart> {
    let day = date_to_sql(as_of);
    let mut part = new_part(c);
    let mut stmt = conn.prepare_cached(
        "SELECT t.counterparty_iban, MIN(t.booking_date)
         FROM invoices i
         JOIN allocations a ON a.invoice_id = i.id
         JOIN bank_transactions t ON t.id = a.transaction_id
         WHERE i.customer_id = ?2 AND a.undone_at IS NULL AND t.counterparty_iban IS NOT NULL
           AND t.counterparty_iban <> '' AND t.booking_date <= ?1
         GROUP BY t.counterparty_iban",
    )?;
    let mut rows = stmt.query(params![day, c.id])?;
    while let Some(r) = rows.next()? {
        let iban: String = r.get(0)?;
        part.add_iban(&iban, date_from_sql(&r.get::<_, String>(1)?)?);
    }
    part.sort_matched();
    let mut stmt = conn.prepare_cached(
        "SELECT iban, name_key, substr(created_at, 1, 10) FROM payer_aliases
         WHERE substr(created_at, 1, 10) <= ?1 AND customer_id = ?2 ORDER BY id",
    )?;
    let mut rows = stmt.query(params![day, c.id])?;
    while let Some(r) = rows.next()? {
        let seen = date_from_sql(&r.get::<_, String>(2)?)?;
        add_alias(&mut part, r.get(0)?, r.get(1)?, seen);
    }
    Ok(part)
}

/// The IBANs that paid each customer's invoices, with the first day each did.
macro_rules! matched_ibans_sql {
    ($from:literal, $only:literal) => {
        concat!(
            "SELECT i.customer_id, t.counterparty_iban, MIN(t.booking_date) ",
            $from,
            "
         WHERE a.undone_at IS NULL AND t.counterparty_iban IS NOT NULL
           AND t.counterparty_iban <> '' AND t.booking_date <= ?1",
            $only,
            "
         GROUP BY i.customer_id, t.counterparty_iban"
        )
    };
}

const MATCHED_IBANS_SQL: &str = matched_ibans_sql!(
    "FROM allocations a
         JOIN bank_transactions t ON t.id = a.transaction_id
         JOIN invoices i ON i.id = a.invoice_id",
    ""
);

/// One customer's, from its own invoices. A single statement for both scopes (`?2 IS NULL
/// OR i.customer_id = ?2`) made SQLite read every allocation: 0.73 s of a customer's card at
/// a million invoices.
const MATCHED_IBANS_OF_ONE_SQL: &str = matched_ibans_sql!(
    "FROM invoices i
         JOIN allocations a ON a.invoice_id = i.id
         JOIN bank_transactions t ON t.id = a.transaction_id",
    " AND i.customer_id = ?2"
);

pub fn payer_directory(
    conn: &Connection,
    as_of: NaiveDate,
    customers: &[CustomerRow],
    only: Option<CustomerId>,
) -> StoreResult<PayerDirectory> {
    let mut dir = PayerDirectory::default();
    for c in customers {
        dir.parts.insert(c.id, new_part(c));
    }
    let day = date_to_sql(as_of);
    let mut stmt = conn.prepare_cached(match only {
        Some(_) => MATCHED_IBANS_OF_ONE_SQL,
        None => MATCHED_IBANS_SQL,
    })?;
    let mut rows = match only {
        Some(c) => stmt.query(params![day, c])?,
        None => stmt.query(params![day])?,
    };
    while let Some(r) = rows.next()? {
        let customer: CustomerId = r.get(0)?;
        let iban: String = r.get(1)?;
        if let Some(part) = dir.parts.get_mut(&customer) {
            part.add_iban(&iban, date_from_sql(&r.get::<_, String>(2)?)?);
        }
    }
    for part in dir.parts.values_mut() {
        part.sort_matched();
    }
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, iban, name_key, substr(created_at, 1, 10) FROM payer_aliases
         WHERE substr(created_at, 1, 10) <= ?1 AND (?2 IS NULL OR customer_id = ?2)
         ORDER BY id",
    )?;
    let mut rows = stmt.query(params![day, only])?;
    while let Some(r) = rows.next()? {
        let customer: CustomerId = r.get(0)?;
        let seen = date_from_sql(&r.get::<_, String>(3)?)?;
        if let Some(part) = dir.parts.get_mut(&customer) {
            add_alias(part, r.get(1)?, r.get(2)?, seen);
        }
    }
    dir.index();
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
         WHERE reversal = 1 AND booking_date > ?1 AND booking_date <= ?2
         ORDER BY booking_date, id",
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
           AND id IN (SELECT id FROM bank_transactions
                      WHERE account_id IN (SELECT id FROM bank_accounts)
                        AND natural_key >= unhex(printf('%08x',
                                CAST(julianday(?1) AS INTEGER) + 1))
                        AND natural_key < unhex(printf('%08x',
                                CAST(julianday(?2) AS INTEGER) + 1)))
           AND NOT EXISTS (SELECT 1 FROM allocations a
                           WHERE a.transaction_id = t.id AND a.undone_at IS NULL)
         ORDER BY booking_date DESC, id DESC",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap_or_default()
    }

    /// A part as a whole read builds it: matched payments, then aliases.
    fn whole(matched: &[(&str, u32)], aliases: &[(&str, u32)]) -> PayerPart {
        let mut part = PayerPart::default();
        for (iban, d) in matched {
            part.add_iban(iban, day(*d));
        }
        part.sort_matched();
        for (iban, d) in aliases {
            add_alias(&mut part, Some(iban.to_string()), None, day(*d));
        }
        part
    }

    #[test]
    fn a_new_payment_is_placed_as_a_whole_read_places_it() {
        let before = whole(&[("FR02", 3), ("FR05", 4)], &[("FR09", 1), ("FR01", 2)]);
        // New IBAN between the others, an earlier day for a known one, an alias-only one
        // now paid from (it joins the matched ones, keeping its earlier day), a later day.
        let cases: &[(&str, u32)] = &[("FR03", 10), ("FR05", 2), ("FR01", 7), ("FR02", 9)];
        let mut part = before.clone();
        let mut matched = vec![("FR02", 3), ("FR05", 4)];
        for (iban, d) in cases {
            assert!(add_matched(&mut part, iban, day(*d)));
            matched.push((iban, *d));
            let aliases: Vec<(&str, u32)> = [("FR09", 1), ("FR01", 2)].into_iter().collect();
            assert_eq!(part, whole(&matched, &aliases), "after {iban} on day {d}");
        }
        assert_eq!(part.matched, 4);
        assert_eq!(part.accounts[0], ("FR01".to_string(), day(2)));
    }

    #[test]
    fn one_customers_ibans_are_read_from_its_own_invoices() {
        let plan = crate::store::fresh_plan(MATCHED_IBANS_OF_ONE_SQL, params!["2026-05-01", 7]);
        assert!(
            plan.contains("SEARCH i USING") && plan.contains("(customer_id=?)"),
            "{plan}"
        );
        assert!(!plan.contains("SCAN"), "{plan}");
    }

    #[test]
    fn an_iban_not_in_normal_form_asks_for_a_whole_read() {
        let mut part = whole(&[("fr02 ", 3)], &[]);
        assert!(part.odd);
        assert!(!add_matched(&mut part, "FR03", day(5)));
        let mut part = whole(&[("FR02", 3)], &[]);
        assert!(!add_matched(&mut part, "fr03", day(5)));
    }
}
