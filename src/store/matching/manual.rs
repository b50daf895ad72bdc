//! A person's decisions: assign a bank credit to invoices or to a customer's oldest invoices,
//! accept a suggestion, undo an allocation. Each is one transaction and one event, and a
//! manual match teaches the payer's name and IBAN for the next run.

use super::{event, insert_allocation, load};
use crate::domain::matching::{
    Allocation, CreditLine, MatchParams, OpenInvoice, Rule, name_key, suggest_for,
};
use crate::domain::model::{CustomerId, InvoiceId, TransactionId};
use crate::domain::money::from_minor;
use crate::locale::Language;
use crate::store::{Actor, Store, StoreError, StoreResult};
use rusqlite::{OptionalExtension, Transaction, params};

fn invalid(message: String) -> StoreError {
    StoreError::Invalid(message)
}

/// The credit a person wants to allocate, or why it cannot be.
fn credit(tx: &Transaction<'_>, id: TransactionId) -> StoreResult<CreditLine> {
    let found = load::credits_among(tx, &[id])?;
    if let Some(c) = found.untouched.into_iter().chain(found.reviewed).next() {
        return Ok(c);
    }
    let row: Option<(i64, bool)> = tx
        .query_row(
            "SELECT amount_minor, reversal FROM bank_transactions WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Err(invalid(match row {
        None => format!("there is no bank line #{id}"),
        Some((amount, _)) if amount <= 0 => {
            format!("bank line #{id} is a debit: only money received pays invoices")
        }
        Some((_, true)) => format!("bank line #{id} is a reversal, not a payment"),
        Some(_) if load::reversed_credits(tx)?.contains(&id) => {
            format!("bank line #{id} was taken back by a reversal: it pays nothing")
        }
        Some(_) => format!("bank line #{id} is fully allocated already (undo an allocation first)"),
    }))
}

fn open_invoice(
    tx: &Transaction<'_>,
    id: InvoiceId,
    credit: &CreditLine,
) -> StoreResult<OpenInvoice> {
    let Some(inv) = load::open_invoices(tx, Some(id), None)?.into_iter().next() else {
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT number, kind FROM invoices WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        return Err(invalid(match row {
            None => format!("there is no invoice #{id}"),
            Some((number, kind)) if kind == "credit_note" => {
                format!("{number} is a credit note: bank money does not pay it")
            }
            Some((number, _)) => format!("invoice {number} is paid in full already"),
        }));
    };
    if inv.currency != credit.currency {
        return Err(invalid(format!(
            "invoice {} is in {}, bank line #{} in {}",
            inv.number, inv.currency, credit.id, credit.currency
        )));
    }
    Ok(inv)
}

/// Allocates the credit to `invoices` oldest first, each up to its open amount; what is left
/// stays on the bank line. Teaches the payer to each customer paid. Returns the new rows.
fn allocate(
    tx: &Transaction<'_>,
    credit: &CreditLine,
    mut invoices: Vec<OpenInvoice>,
    rule: Rule,
    why: &str,
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    invoices.sort_by_key(|i| (i.issue_date, i.id));
    let mut left = credit.amount;
    let mut ids = Vec::new();
    let mut detail = Vec::new();
    for inv in &invoices {
        if left <= rust_decimal::Decimal::ZERO {
            break;
        }
        let amount = left.min(inv.open);
        let lang = actor.lang;
        let money = |a| crate::locale::money(a, credit.currency, lang);
        let semi = lang.pick(" ; ", "; ");
        let mut evidence = format!(
            "{why}{semi}{} {}",
            lang.pick("facture", "invoice"),
            inv.number
        );
        if amount < inv.open {
            evidence.push_str(&format!(
                "{semi}{} {} {} {}{}",
                lang.pick("paie", "pays"),
                money(amount),
                lang.pick("sur les", "of the"),
                money(inv.open),
                lang.pick(
                    " restant dus, la facture reste ouverte",
                    " open, the invoice stays open"
                )
            ));
        }
        let allocation = Allocation {
            transaction_id: credit.id,
            invoice_id: inv.id,
            amount,
            paid_on: credit.date,
            rule,
            evidence,
        };
        let id = insert_allocation(tx, &allocation, credit.currency, actor)?;
        ids.push(id);
        detail.push(
            serde_json::json!({"id": id, "invoice_id": inv.id, "amount": amount.to_string()}),
        );
        left -= amount;
    }
    if ids.is_empty() {
        return Err(invalid(format!(
            "bank line #{} has nothing left to allocate",
            credit.id
        )));
    }
    let mut customers: Vec<CustomerId> = invoices.iter().map(|i| i.customer_id).collect();
    customers.dedup();
    event(
        tx,
        actor,
        "manual_match",
        customers.first().copied(),
        invoices.first().map(|i| i.id),
        &serde_json::json!({
            "transaction_id": credit.id,
            "rule": rule.as_str(),
            "allocations": detail,
            "left": left.to_string(),
        }),
    )?;
    for customer in customers {
        learn_payer(tx, credit, customer, actor)?;
    }
    Ok(ids)
}

/// Remembers the credit's counterparty name and IBAN as paying for `customer`. False when
/// there was nothing new to learn.
pub fn learn_payer(
    tx: &Transaction<'_>,
    credit: &CreditLine,
    customer: CustomerId,
    actor: &Actor,
) -> StoreResult<bool> {
    let key = name_key(credit.counterparty_name.as_deref().unwrap_or("")).to_string();
    let key = (!key.is_empty()).then_some(key);
    let iban: Option<String> = credit.counterparty_iban.as_deref().map(|i| {
        i.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect()
    });
    let iban = iban.filter(|i| !i.is_empty());
    if key.is_none() && iban.is_none() {
        return Ok(false);
    }
    let known: bool = tx
        .prepare_cached(
            "SELECT 1 FROM payer_aliases WHERE customer_id = ?1 AND name_key IS ?2 AND iban IS ?3",
        )?
        .exists(params![customer, key, iban])?;
    if known {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO payer_aliases (customer_id, name_key, iban, learned_from, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            customer,
            key,
            iban,
            format!("bank line #{} matched by {}", credit.id, actor.who),
            actor.stamp()
        ],
    )?;
    event(
        tx,
        actor,
        "payer_learned",
        Some(customer),
        None,
        &serde_json::json!({"transaction_id": credit.id, "name_key": key, "iban": iban}),
    )?;
    Ok(true)
}

/// A person assigns a bank credit to one or more invoices.
pub fn assign(
    store: &mut Store,
    transaction: TransactionId,
    invoices: &[InvoiceId],
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    store.write(|tx| {
        let credit = credit(tx, transaction)?;
        let list = invoices
            .iter()
            .map(|&i| open_invoice(tx, i, &credit))
            .collect::<StoreResult<Vec<_>>>()?;
        let why = format!(
            "{} {}",
            actor.lang.pick("affecté par", "assigned by"),
            actor.who
        );
        allocate(tx, &credit, list, Rule::Manual, &why, actor)
    })
}

/// A person assigns a bank credit to a customer: its open invoices are paid oldest first.
pub fn assign_to_customer(
    store: &mut Store,
    transaction: TransactionId,
    customer: CustomerId,
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    store.write(|tx| {
        let credit = credit(tx, transaction)?;
        let list: Vec<OpenInvoice> = load::open_invoices(tx, None, Some(customer))?
            .into_iter()
            .filter(|i| i.currency == credit.currency)
            .collect();
        if list.is_empty() {
            return Err(invalid(format!(
                "customer #{customer} has no open invoice in {}",
                credit.currency
            )));
        }
        let why = match actor.lang {
            Language::Fr => format!(
                "affecté par {} aux factures les plus anciennes du client",
                actor.who
            ),
            Language::En => format!(
                "assigned by {} to the customer's oldest invoices",
                actor.who
            ),
        };
        allocate(tx, &credit, list, Rule::Manual, &why, actor)
    })
}

/// A person accepts one of the suggestions for a bank credit.
pub fn accept_suggestion(
    store: &mut Store,
    params: &MatchParams,
    transaction: TransactionId,
    invoice: InvoiceId,
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    // The open invoices and payers the suggestion is checked against are read before the
    // write lock is taken (≈ 1 s at a million invoices, which other people's writes would
    // wait for); what the allocation rests on, the credit and the invoice, is read again
    // under the lock. A suggestion is already a view of a moment before the key press.
    let invoices = load::open_invoices(store.conn(), None, None)?;
    let payers = load::payers(store.conn())?;
    store.write(|tx| {
        let credit = credit(tx, transaction)?;
        let target = open_invoice(tx, invoice, &credit)?;
        // Every candidate, not only the best few: a person may pick the third.
        let wide = MatchParams {
            max_suggestions: usize::MAX,
            lang: actor.lang,
            ..params.clone()
        };
        let found = suggest_for(std::slice::from_ref(&credit), &invoices, &payers, &wide);
        let Some(s) = found
            .iter()
            .flat_map(|u| &u.suggestions)
            .find(|s| s.invoice_id == invoice)
        else {
            return Err(invalid(format!(
                "invoice {} is not among the suggestions for bank line #{transaction}: assign it instead",
                target.number
            )));
        };
        let c = s.components;
        let why = match actor.lang {
            Language::Fr => format!(
                "suggestion acceptée par {} : score {} (référence {}, montant {}, payeur {}, date {}) : {}",
                actor.who, s.score, c.reference, c.amount, c.payer, c.date, s.reason
            ),
            Language::En => format!(
                "suggestion accepted by {}: score {} (reference {}, amount {}, payer {}, date {}): {}",
                actor.who, s.score, c.reference, c.amount, c.payer, c.date, s.reason
            ),
        };
        allocate(tx, &credit, vec![target], Rule::SuggestionAccepted, &why, actor)
    })
}

/// Undoes an allocation (and the write-off that came with it). Returns the ids undone.
pub fn undo_allocation(
    store: &mut Store,
    allocation: i64,
    reason: &str,
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    store.write(|tx| {
        struct Target {
            invoice: InvoiceId,
            transaction: Option<TransactionId>,
            rule: String,
            undone_at: Option<String>,
            customer: CustomerId,
        }
        let row = tx
            .query_row(
                "SELECT a.invoice_id, a.transaction_id, a.rule, a.undone_at, i.customer_id
                 FROM allocations a JOIN invoices i ON i.id = a.invoice_id WHERE a.id = ?1",
                [allocation],
                |r| {
                    Ok(Target {
                        invoice: r.get(0)?,
                        transaction: r.get(1)?,
                        rule: r.get(2)?,
                        undone_at: r.get(3)?,
                        customer: r.get(4)?,
                    })
                },
            )
            .optional()?;
        let Some(Target {
            invoice,
            transaction,
            rule,
            undone_at,
            customer,
        }) = row
        else {
            return Err(invalid(format!("there is no allocation #{allocation}")));
        };
        if let Some(at) = undone_at {
            return Err(invalid(format!("allocation #{allocation} was undone already on {at}")));
        }
        let mut ids = vec![allocation];
        let pays = Rule::parse(&rule).is_none_or(Rule::consumes_payment);
        if pays && let Some(t) = transaction {
            let mut stmt = tx.prepare(
                "SELECT id FROM allocations WHERE transaction_id = ?1 AND invoice_id = ?2
                 AND undone_at IS NULL AND rule IN ('discount', 'fee')",
            )?;
            let more = stmt.query_map(params![t, invoice], |r| r.get::<_, i64>(0))?;
            for id in more {
                ids.push(id?);
            }
        }
        let reason = if reason.trim().is_empty() {
            format!("undone by {}", actor.who)
        } else {
            format!("undone by {}: {}", actor.who, reason.trim())
        };
        for id in &ids {
            tx.execute(
                "UPDATE allocations SET undone_at = ?2, undone_reason = ?3 WHERE id = ?1",
                params![id, actor.stamp(), reason],
            )?;
        }
        event(
            tx,
            actor,
            "allocation_undone",
            Some(customer),
            Some(invoice),
            &serde_json::json!({"allocations": ids, "transaction_id": transaction, "reason": reason}),
        )?;
        Ok(ids)
    })
}

/// The open amount of an invoice now, for messages.
pub fn open_amount(
    store: &Store,
    invoice: InvoiceId,
) -> StoreResult<Option<rust_decimal::Decimal>> {
    let row: Option<(i64, String)> = store
        .conn()
        .query_row(
            "SELECT i.amount_minor - i.prepaid_minor - COALESCE((SELECT SUM(amount_minor)
                 FROM allocations WHERE invoice_id = i.id AND undone_at IS NULL), 0), i.currency
             FROM invoices i WHERE i.id = ?1",
            [invoice],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(minor, cur)| {
        from_minor(
            minor,
            crate::domain::money::Currency::parse(&cur).unwrap_or_default(),
        )
    }))
}
