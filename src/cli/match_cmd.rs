//! `encours match`: run the matching, list suggestions, or record a person's decision.
//!
//! JSON shapes (`--format json`), amounts as decimal strings:
//! - run: `{"credits_matched": n, "allocation_ids": [..], "by_rule": {"<rule>": {"count": n,
//!   "amount": "…"}}, "overpayments": [{"transaction_id", "left"}], "reversals":
//!   [{"reversal_id", "credit_id", "reason", "undone_allocations", "invoices"}], "left":
//!   [<credit>]}` where `<rule>` is `structured_ref`, `ref_in_text`, `payer_amount`,
//!   `payer_combination`, `discount` or `fee`;
//! - `--suggestions`: `[<credit>]`, a `<credit>` being `{"transaction_id", "date", "amount",
//!   "left", "currency", "counterparty_name", "counterparty_iban", "remittance", "reviewed",
//!   "suggestions": [{"invoice_id", "invoice_number", "customer_id", "open", "score",
//!   "components": {"reference", "amount", "payer", "date"}, "reason"}]}`;
//! - `--accept`, `--assign`, `--assign-customer`, `--undo`: the bank line's allocations,
//!   `[{"id", "invoice_id", "invoice_number", "customer_id", "transaction_id", "amount",
//!   "paid_on", "rule", "evidence", "who", "undone_at", "undone_reason"}]`.

use super::match_print::{print_allocations, print_run, print_suggestions};
use super::output::OutputFormat;
use super::{Context, anyhow_like};
use crate::store::Store;
use crate::store::matching::{self as m, StoredAllocation};
use rusqlite::OptionalExtension;

#[derive(Debug, clap::Args)]
pub struct MatchArgs {
    /// List the suggestions for the bank credits left, without matching anything.
    #[arg(long)]
    pub suggestions: bool,
    /// Accept a suggestion: bank line TX pays INVOICE (its number, or #id).
    #[arg(long, num_args = 2, value_names = ["TX", "INVOICE"])]
    pub accept: Option<Vec<String>>,
    /// Assign bank line TX to one or more invoices, oldest first (numbers or #ids, comma-separated).
    #[arg(long, num_args = 2, value_names = ["TX", "INVOICE[,INVOICE..]"])]
    pub assign: Option<Vec<String>>,
    /// Assign bank line TX to a customer's oldest open invoices (its code, or #id).
    #[arg(long, num_args = 2, value_names = ["TX", "CUSTOMER"])]
    pub assign_customer: Option<Vec<String>>,
    /// Undo an allocation (and the write-off that came with it).
    #[arg(long, value_name = "ALLOCATION")]
    pub undo: Option<String>,
    /// Why the allocation is undone (with --undo).
    #[arg(long, requires = "undo")]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub fn run(ctx: &Context, args: &MatchArgs) -> anyhow_like::Result<i32> {
    let chosen = [
        args.suggestions,
        args.accept.is_some(),
        args.assign.is_some(),
        args.assign_customer.is_some(),
        args.undo.is_some(),
    ];
    if chosen.iter().filter(|c| **c).count() > 1 {
        return Err(
            "choose one of --suggestions, --accept, --assign, --assign-customer, --undo".into(),
        );
    }
    let mut store = ctx.open_store()?;
    let params = ctx.settings.matching.params_in(ctx.lang);
    let actor = ctx.actor();
    let mut out = std::io::stdout().lock();
    if args.suggestions {
        let list = m::suggestions(store.conn(), &params)?;
        print_suggestions(&mut out, ctx, &store, &list, args.format)?;
        return Ok(0);
    }
    let (tx, ids) = if let Some([tx, invoice]) = args.accept.as_deref() {
        let (tx, invoice) = (id_arg(tx, "TX")?, invoice_id(&store, invoice)?);
        (
            tx,
            m::accept_suggestion(&mut store, &params, tx, invoice, &actor)?,
        )
    } else if let Some([tx, list]) = args.assign.as_deref() {
        let tx = id_arg(tx, "TX")?;
        let invoices = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| invoice_id(&store, s))
            .collect::<anyhow_like::Result<Vec<_>>>()?;
        (tx, m::assign(&mut store, tx, &invoices, &actor)?)
    } else if let Some([tx, customer]) = args.assign_customer.as_deref() {
        let (tx, customer) = (id_arg(tx, "TX")?, customer_id(&store, customer)?);
        (tx, m::assign_to_customer(&mut store, tx, customer, &actor)?)
    } else if let Some(allocation) = &args.undo {
        let allocation = id_arg(allocation, "ALLOCATION")?;
        let reason = args.reason.as_deref().unwrap_or("");
        let ids = m::undo_allocation(&mut store, allocation, reason, &actor)?;
        let tx: Option<i64> = store.conn().query_row(
            "SELECT transaction_id FROM allocations WHERE id = ?1",
            [allocation],
            |r| r.get(0),
        )?;
        let rows = match tx {
            Some(t) => m::allocations_of_transaction(store.conn(), t)?,
            None => Vec::new(),
        };
        let rows: Vec<StoredAllocation> =
            rows.into_iter().filter(|r| ids.contains(&r.id)).collect();
        print_allocations(&mut out, ctx, &rows, args.format)?;
        return Ok(0);
    } else {
        let summary = m::run_matching(&mut store, &params, &actor)?;
        print_run(&mut out, ctx, &store, &summary, args.format)?;
        return Ok(0);
    };
    let rows: Vec<StoredAllocation> = m::allocations_of_transaction(store.conn(), tx)?
        .into_iter()
        .filter(|r| ids.contains(&r.id))
        .collect();
    print_allocations(&mut out, ctx, &rows, args.format)?;
    Ok(0)
}

fn id_arg(raw: &str, what: &str) -> anyhow_like::Result<i64> {
    raw.trim()
        .trim_start_matches('#')
        .parse()
        .map_err(|_| format!("{what} must be a number such as 12 or #12, not '{raw}'").into())
}

/// An invoice by its number as printed, else by its normalised number when that is unique,
/// else `#id`.
fn invoice_id(store: &Store, raw: &str) -> anyhow_like::Result<i64> {
    let raw = raw.trim();
    if let Some(id) = raw.strip_prefix('#') {
        return id_arg(id, "INVOICE");
    }
    let conn = store.conn();
    let exact: Option<i64> = conn
        .query_row(
            "SELECT id FROM invoices WHERE number = ?1 AND kind = 'invoice'",
            [raw],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = exact {
        return Ok(id);
    }
    let key = crate::import::text::normalise_reference(raw);
    let mut stmt =
        conn.prepare("SELECT id FROM invoices WHERE number_key = ?1 AND kind = 'invoice' LIMIT 2")?;
    let ids: Vec<i64> = stmt
        .query_map([&key], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    match ids.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("no invoice numbered '{raw}'").into()),
        _ => Err(format!("several invoices read as '{raw}': give the exact number or #id").into()),
    }
}

fn customer_id(store: &Store, raw: &str) -> anyhow_like::Result<i64> {
    let raw = raw.trim();
    if let Some(id) = raw.strip_prefix('#') {
        return id_arg(id, "CUSTOMER");
    }
    store
        .conn()
        .query_row("SELECT id FROM customers WHERE code = ?1", [raw], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| format!("no customer with the code '{raw}'").into())
}
