//! Customers as the intelligence needs them, and finding one from what a person types.

use super::Scope;
use crate::domain::model::{CustomerId, Segment};
use crate::domain::money::{Currency, from_minor};
use crate::domain::names::name_key;
use crate::domain::penalties::Debtor;
use crate::store::{StoreError, StoreResult};
use rusqlite::{Connection, Row, params};
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub code: String,
    pub name: String,
    pub siren: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact_name: Option<String>,
    pub payment_terms_days: Option<u32>,
    pub credit_limit: Option<Decimal>,
    pub currency: Currency,
    pub segment: Segment,
    pub professional: bool,
    pub contractual_rate: Option<Decimal>,
}

impl CustomerRow {
    pub fn debtor(&self) -> Debtor {
        Debtor {
            contractual_rate: self.contractual_rate,
            professional: self.professional,
        }
    }
}

const COLUMNS: &str = "id, code, name, siren, email, phone, contact_name, payment_terms_days,
    credit_limit_minor, currency, segment, professional, contractual_rate";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CustomerRow> {
    let currency = Currency::parse(&r.get::<_, String>(9)?).unwrap_or_default();
    Ok(CustomerRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        siren: r.get(3)?,
        email: r.get(4)?,
        phone: r.get(5)?,
        contact_name: r.get(6)?,
        payment_terms_days: r.get(7)?,
        credit_limit: r.get::<_, Option<i64>>(8)?.map(|m| from_minor(m, currency)),
        currency,
        segment: Segment::parse(&r.get::<_, String>(10)?).unwrap_or_default(),
        professional: r.get(11)?,
        contractual_rate: r
            .get::<_, Option<String>>(12)?
            .and_then(|s| Decimal::from_str(s.trim()).ok()),
    })
}

/// One customer, or all of them.
pub fn load_customers(conn: &Connection, scope: Scope) -> StoreResult<Vec<CustomerRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers WHERE {} ORDER BY id",
        scope.filter("id", 1)
    ))?;
    let rows = stmt.query_map(params![scope.value()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn customer(conn: &Connection, id: CustomerId) -> StoreResult<CustomerRow> {
    load_customers(conn, Scope::One(id))?
        .pop()
        .ok_or_else(|| StoreError::Invalid(format!("no customer with id {id}")))
}

/// A customer from its code (any case) or a part of its name that only one customer has
/// (accents, case and legal forms ignored).
pub fn find_customer(conn: &Connection, query: &str) -> StoreResult<CustomerRow> {
    let q = query.trim();
    if q.is_empty() {
        return Err(StoreError::Invalid(
            "give a customer code or a part of its name".into(),
        ));
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers WHERE code = ?1 COLLATE NOCASE ORDER BY id"
    ))?;
    let by_code: Vec<CustomerRow> = stmt.query_map([q], from_row)?.collect::<Result<_, _>>()?;
    if let [only] = by_code.as_slice() {
        return Ok(only.clone());
    }
    let key = name_key(q);
    let lower = q.to_lowercase();
    let mut matches = Vec::new();
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let c = from_row(row)?;
        let hit = c.name.to_lowercase().contains(&lower)
            || (!key.is_empty() && name_key(&c.name).contains(&key))
            || c.code.to_lowercase().contains(&lower);
        if hit {
            matches.push(c);
        }
    }
    match matches.len() {
        1 => Ok(matches.remove(0)),
        0 => Err(StoreError::Invalid(format!(
            "no customer has the code or a name containing '{q}'"
        ))),
        n => {
            let shown: Vec<String> = matches
                .iter()
                .take(8)
                .map(|c| format!("{} ({})", c.code, c.name))
                .collect();
            Err(StoreError::Invalid(format!(
                "'{q}' matches {n} customers: {}{}; give the code",
                shown.join(", "),
                if n > 8 { ", ..." } else { "" }
            )))
        }
    }
}
