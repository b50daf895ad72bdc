//! One pass over each table, folded into one bundle per customer: what the signals, the queue
//! and the customer page all start from.

use super::changes::Marks;
use super::customers::{CustomerRow, load_customers};
use super::history::{
    first_invoice_dates, for_each_customer_invoices, for_each_paid_invoice,
    for_each_paid_invoice_of, latest_ratings, newest_bank_date,
};
use super::paid_down::kept_open;
use super::paid_kept::{KeptParts, RefreshPaths, kept_paid, kept_sales};
use super::payers::{BankFacts, PayerDirectory};
use super::payers::{bank_facts, payer_directory};
use super::state::{DunningState, load_states};
use super::{Params, Scope};
use crate::domain::ageing::OpenItem;
use crate::domain::dunning::queue::UnmatchedCredit;
use crate::domain::figures::Lateness;
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::signals::facts::{RatingFact, history_start};
use crate::domain::signals::{CustomerFacts, PortfolioFacts};
use crate::store::ageing::for_each_open_item;
use crate::store::{StoreError, StoreResult};
use chrono::{Duration, Months, NaiveDate};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct Bundle {
    pub row: CustomerRow,
    pub facts: CustomerFacts,
    /// Open invoices and unapplied credit notes (negative).
    pub open_items: Vec<OpenItem>,
    /// Paid over `[figures] lateness_months`, for the average days late.
    pub lateness: Lateness,
    pub state: DunningState,
    pub unmatched_credit: Option<UnmatchedCredit>,
    /// Open invoices flagged disputed by a dispute row rather than by the export: the
    /// forecast, read from the kept items, counts only the export's flag as disputed.
    pub disputed_by_row: Vec<crate::domain::model::InvoiceId>,
}

#[derive(Debug, Clone)]
pub struct Gathered {
    pub as_of: NaiveDate,
    pub bundles: BTreeMap<CustomerId, Bundle>,
    pub portfolio: PortfolioFacts,
    pub newest_bank_data: Option<NaiveDate>,
    pub lateness: Lateness,
    /// The whole-portfolio directory, kept for `refresh` (None for one customer).
    pub(super) dir: Option<PayerDirectory>,
    /// Where the change log stood when this was read (None: not refreshable).
    pub marks: Option<Marks>,
    /// How the last refresh read the customers it read again (tests pin the paths).
    pub last_refresh: RefreshPaths,
}

/// What is read whole at each gather or refresh: small (windows of bank lines, ratings) or
/// kept per customer (the payer directory), and needed to attribute bank lines to customers.
struct Globals {
    bank: BankFacts,
    ratings: HashMap<String, RatingFact>,
    newest_bank_data: Option<NaiveDate>,
}

fn read_globals(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    dir: &PayerDirectory,
) -> StoreResult<Globals> {
    Ok(Globals {
        bank: bank_facts(
            conn,
            as_of,
            dir,
            p.signals.bounced_payment.within_days,
            p.policy.rules.unmatched_credit_days,
        )?,
        ratings: latest_ratings(conn, as_of, p.signals.external_rating.max_age_days)?,
        newest_bank_data: newest_bank_date(conn, as_of)?,
    })
}

/// The facts that come from the directory, the bank lines and the ratings, for every
/// bundle (in customer order: a SIREN shared by two customers rates the first one only).
/// Returns the customers whose facts these changed.
fn apply_globals(
    bundles: &mut BTreeMap<CustomerId, Bundle>,
    g: &Globals,
    dir: &PayerDirectory,
    p: &Params,
    as_of: NaiveDate,
) -> BTreeSet<CustomerId> {
    let new_since = as_of - Duration::days(i64::from(p.signals.changed_payer_account.within_days));
    let mut rated: HashSet<&str> = HashSet::new();
    let mut moved = BTreeSet::new();
    for (id, b) in bundles.iter_mut() {
        let reversals = g.bank.reversals.get(id).cloned().unwrap_or_default();
        let accounts = dir.new_accounts(*id, new_since);
        let rating = b.row.siren.as_ref().and_then(|s| {
            let s = s.trim();
            let fact = g.ratings.get_key_value(s)?;
            rated.insert(fact.0.as_str()).then(|| fact.1.clone())
        });
        let unmatched = g.bank.unmatched.get(id).cloned();
        if b.facts.reversals != reversals
            || b.facts.new_payer_accounts != accounts
            || b.facts.rating != rating
            || b.unmatched_credit != unmatched
        {
            moved.insert(*id);
        }
        b.facts.reversals = reversals;
        b.facts.new_payer_accounts = accounts;
        b.facts.rating = rating;
        b.unmatched_credit = unmatched;
    }
    moved
}

/// Each customer's own part of the bundle: its row, dunning state, open items, paid
/// history and sales, read for `scope` (every customer, one, or a set of them).
fn customer_bundles(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    scope: Scope,
    rows: Vec<CustomerRow>,
    mut kept: KeptParts,
) -> StoreResult<BTreeMap<CustomerId, Bundle>> {
    let mut states = load_states(conn, as_of, scope, p.policy.rules.promise_grace_days)?;
    let mut first = first_invoice_dates(conn, as_of, scope)?;
    let ids: Vec<CustomerId> = rows.iter().map(|r| r.id).collect();

    let mut bundles: BTreeMap<CustomerId, Bundle> = BTreeMap::new();
    for row in rows {
        let mut facts = CustomerFacts::new(row.id, row.code.clone(), row.name.clone());
        facts.credit_limit = row.credit_limit;
        facts.first_invoice = first.remove(&row.id);
        let state = states.remove(&row.id).unwrap_or_default();
        facts.unanswered_attempts = state.contact.unanswered;
        for (promise, s) in &state.promises {
            if let crate::domain::dunning::outcome::PromiseState::Broken { paid, .. } = s {
                facts
                    .broken_promises
                    .push(crate::domain::signals::facts::BrokenPromiseFact {
                        promised_on: promise.promised_on,
                        amount: promise.amount,
                        paid: *paid,
                    });
            }
        }
        bundles.insert(
            row.id,
            Bundle {
                unmatched_credit: None,
                row,
                facts,
                open_items: Vec::new(),
                lateness: Lateness::default(),
                state,
                disputed_by_row: Vec::new(),
            },
        );
    }
    // A set is read customer by customer, each through its own index ranges.
    let per_customer: Vec<Option<CustomerId>> = match scope {
        Scope::Set(_) => ids.iter().map(|c| Some(*c)).collect(),
        _ => vec![scope.only()],
    };

    let mut add_item = |mut item: OpenItem| {
        let Some(b) = bundles.get_mut(&item.customer_id) else {
            return;
        };
        if b.state
            .disputes
            .iter()
            .any(|d| d.invoice_id == item.invoice_id)
            && !item.disputed
        {
            item.disputed = true;
            b.disputed_by_row.push(item.invoice_id);
        }
        b.facts.exposure += item.open;
        if item.kind == InvoiceKind::Invoice && item.due_date < as_of {
            b.facts.overdue += item.open;
        }
        b.open_items.push(item);
    };
    for only in &per_customer {
        if let Some(items) = only.and_then(|c| kept.open.remove(&c)) {
            items.into_iter().for_each(&mut add_item);
            continue;
        }
        for_each_open_item(conn, as_of, p.default_terms_days, *only, &mut add_item)?;
    }

    // One order whatever the query plan (one customer's index or the whole table's): the
    // queue lists a line's invoices in it.
    for b in bundles.values_mut() {
        b.open_items
            .sort_unstable_by_key(|i| (i.issue_date, i.invoice_id));
    }

    let flagged = super::extend::flagged(p);
    for b in bundles.values_mut() {
        super::extend::dispute_facts(b, flagged);
    }

    let lateness_start = lateness_start(p, as_of);
    let since = history_start(as_of, p.signals).min(lateness_start);
    let add = |b: &mut Bundle, paid: &crate::domain::signals::PaidInvoice| {
        b.facts.add_paid(paid, as_of, p.signals);
        if paid.paid_on > lateness_start {
            b.lateness.add(paid.amount, paid.days_late());
        }
    };
    let mut more: Vec<crate::domain::model::InvoiceId> = Vec::new();
    for only in &per_customer {
        let kept_part = only.and_then(|c| kept.paid.remove(&c).map(|k| (c, k)));
        if let Some((c, (part, ids))) = kept_part {
            if let Some(b) = bundles.get_mut(&c) {
                part.put(b);
            }
            more.extend(ids);
            continue;
        }
        for_each_paid_invoice(conn, as_of, since, p.default_terms_days, *only, |paid| {
            if let Some(b) = bundles.get_mut(&paid.customer_id) {
                add(b, &paid);
            }
        })?;
    }
    if !more.is_empty() {
        let json = serde_json::to_string(&more).map_err(|e| StoreError::Invalid(e.to_string()))?;
        for_each_paid_invoice_of(conn, as_of, since, p.default_terms_days, &json, |paid| {
            if let Some(b) = bundles.get_mut(&paid.customer_id) {
                add(b, &paid);
            }
        })?;
    }

    let recent_start = as_of - Duration::days(i64::from(p.signals.atypical_order.recent_days));
    let from = recent_start
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    // Only a recent invoice's number is ever shown (the largest of the recent window).
    for only in &per_customer {
        if let Some((b, part)) =
            only.and_then(|c| Some((bundles.get_mut(&c)?, kept.sales.remove(&c)?)))
        {
            part.put(b);
            continue;
        }
        for_each_customer_invoices(
            conn,
            from,
            as_of,
            recent_start,
            *only,
            |customer, invoices| {
                if let Some(b) = bundles.get_mut(&customer) {
                    b.facts.set_invoice_history(invoices, as_of, p.signals);
                }
            },
        )?;
    }
    Ok(bundles)
}

fn lateness_start(p: &Params, as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(p.figures.lateness_months))
        .unwrap_or(NaiveDate::MIN)
}

pub fn gather(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    only: Option<CustomerId>,
) -> StoreResult<Gathered> {
    let scope = only.map_or(Scope::All, Scope::One);
    let rows = load_customers(conn, scope)?;
    let dir = payer_directory(conn, as_of, &rows, only)?;
    let globals = read_globals(conn, p, as_of, &dir)?;
    let mut bundles = customer_bundles(conn, p, as_of, scope, rows, KeptParts::default())?;
    let _ = apply_globals(&mut bundles, &globals, &dir, p, as_of);

    let total_open = match only {
        // Every customer is here: the portfolio is the sum of their exposures.
        None => bundles.values().map(|b| b.facts.exposure).sum(),
        Some(_) => crate::store::ageing::total_open(conn, as_of)?,
    };
    let mut lateness = Lateness::default();
    for b in bundles.values() {
        lateness.merge(&b.lateness);
    }
    Ok(Gathered {
        as_of,
        bundles,
        portfolio: PortfolioFacts {
            total_exposure: total_open,
        },
        newest_bank_data: globals.newest_bank_data,
        lateness,
        dir: only.is_none().then_some(dir),
        marks: None,
        last_refresh: RefreshPaths::default(),
    })
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// Nothing that the gather reads changed.
    Unchanged,
    /// The customers that changed were read again (none: only bank lines or ratings came),
    /// and the bank lines and ratings for everyone.
    Customers(usize),
    /// Too much changed (or a row was deleted, or the date moved): everything was read.
    Everything,
}

/// Brings a whole-portfolio gather up to date with the database: only the customers the
/// writes since `g.marks` touched are read again; the bank lines, ratings and the portfolio
/// totals are recomputed for everyone from those and the kept bundles. The result equals a
/// fresh `gather` (tests/intel_refresh.rs holds them side by side).
pub fn refresh(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    g: &mut Gathered,
) -> StoreResult<Refreshed> {
    Ok(refresh_touched(conn, p, as_of, g)?.0)
}

/// Like `refresh`, and says which bundles differ from before: the customers read again and
/// those whose bank-line or rating facts moved (meaningful with `Refreshed::Customers`).
pub fn refresh_touched(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    g: &mut Gathered,
) -> StoreResult<(Refreshed, BTreeSet<CustomerId>)> {
    let marks = Marks::read(conn)?;
    let everything = |g: &mut Gathered, marks| -> StoreResult<(Refreshed, BTreeSet<CustomerId>)> {
        *g = gather_marked(conn, p, as_of, marks)?;
        Ok((Refreshed::Everything, BTreeSet::new()))
    };
    let (Some(old), Some(_)) = (g.marks.as_ref(), g.dir.as_ref()) else {
        return everything(g, marks);
    };
    if g.as_of != as_of {
        return everything(g, marks);
    }
    if *old == marks {
        return Ok((Refreshed::Unchanged, BTreeSet::new()));
    }
    let changed = match old.changed_customers(conn, &marks)? {
        Some(c) if c.customers.len() <= g.bundles.len() / 4 + 16 => c,
        _ => return everything(g, marks),
    };
    if g.dir.is_none() {
        return everything(g, marks);
    }
    let mut extended = BTreeSet::new();
    if let Some(range) = changed.invoices {
        let only_invoiced: BTreeSet<CustomerId> = changed
            .invoiced
            .difference(&changed.others)
            .copied()
            .collect();
        extended =
            super::extend::new_invoices(conn, p, as_of, range, &only_invoiced, &mut g.bundles)?;
    }
    let Some(dir) = g.dir.as_mut() else {
        return everything(g, marks);
    };
    let ids: Vec<CustomerId> = changed
        .customers
        .iter()
        .filter(|c| !extended.contains(c))
        .copied()
        .collect();
    let json = serde_json::to_string(&ids).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let scope = Scope::Set(&json);
    let rows = load_customers(conn, scope)?;
    let mut payers = changed.payers.clone();
    let mut paths = RefreshPaths::default();
    if let Some(range) = changed.allocations {
        let paying: BTreeSet<CustomerId> = changed.paying.difference(&payers).copied().collect();
        let whole = dir.add_allocations(conn, as_of, range, &paying)?;
        paths.payers_added = paying.len() - whole.len();
        payers.extend(whole);
    }
    paths.payers_read = payers.len();
    if !payers.is_empty() {
        let payer_ids: Vec<CustomerId> = payers.iter().copied().collect();
        let payer_rows: Vec<&CustomerRow> =
            rows.iter().filter(|r| payers.contains(&r.id)).collect();
        dir.refresh(conn, as_of, &payer_ids, &payer_rows)?;
    } else if changed.allocations.is_some() {
        dir.reindex();
    }
    let mut kept = kept_paid(conn, &changed, &g.bundles)?;
    kept.retain(|c, _| !extended.contains(c));
    paths.invoices_added = extended.len();
    paths.paid_added = kept.values().filter(|k| !k.1.is_empty()).count();
    paths.paid_kept = kept.len() - paths.paid_added;
    paths.paid_read = ids.len() - kept.len();
    let globals = read_globals(conn, p, as_of, dir)?;
    let sales = kept_sales(&changed, &g.bundles);
    paths.sales_kept = sales.len();
    let open = kept_open(conn, as_of, &changed, &g.bundles)?;
    paths.open_kept = open.len();
    let kept = KeptParts {
        paid: kept,
        sales,
        open,
    };
    let fresh = customer_bundles(conn, p, as_of, scope, rows, kept)?;
    for id in &ids {
        g.bundles.remove(id);
    }
    g.bundles.extend(fresh);
    let mut touched = apply_globals(&mut g.bundles, &globals, dir, p, as_of);
    touched.extend(ids.iter().copied());
    touched.extend(extended.iter().copied());
    g.portfolio.total_exposure = g.bundles.values().map(|b| b.facts.exposure).sum();
    let mut lateness = Lateness::default();
    for b in g.bundles.values() {
        lateness.merge(&b.lateness);
    }
    g.lateness = lateness;
    g.newest_bank_data = globals.newest_bank_data;
    g.marks = Some(marks);
    g.last_refresh = paths;
    Ok((Refreshed::Customers(changed.customers.len()), touched))
}

/// A whole-portfolio gather that remembers where the change log stood, for `refresh`. The
/// marks are read before the data: a write that lands in between is read again next time.
pub fn gather_marked(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    marks: Marks,
) -> StoreResult<Gathered> {
    let mut g = gather(conn, p, as_of, None)?;
    g.marks = Some(marks);
    Ok(g)
}
