//! Weak signals, today's queue, outcomes and the customer page's risk part, from
//! `store::intel`. One gather per (as-of date, data version) serves the overview, the
//! signals and the queue screens.

use super::SourceSettings;
use crate::app::source::{Outcome, SourceError, SourceResult};
use crate::app::views::*;
use crate::domain::dunning::Channel as DChannel;
use crate::domain::dunning::outcome::{Instalment, Outcome as IOutcome, PromiseState, Stamp};
use crate::domain::dunning::queue::{LineFlag, Queue};
use crate::domain::model::{CustomerId, InvoiceId};
use crate::domain::signals::Assessment;
use crate::store::intel::{Live, Params, outcomes, view};
use crate::store::{Actor, Store, claims};
use chrono::{Months, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;

/// What one gather gives: kept, and brought up to date when the date or the data change.
pub(super) struct Intel {
    pub key: (NaiveDate, i64, u64),
    pub live: Live,
}

pub(super) fn params(s: &SourceSettings) -> Params<'_> {
    Params::new(&s.full, &s.dunning, s.lang)
}

/// The intelligence for `key`: the previous gather brought up to date when there is one
/// (only the customers written since are read again), else a whole gather.
pub(super) fn compute(
    conn: &Connection,
    s: &SourceSettings,
    key: (NaiveDate, i64, u64),
    previous: Option<Intel>,
) -> SourceResult<Intel> {
    let p = params(s);
    let live = match previous {
        Some(mut i) => {
            i.live.refresh(conn, &p, key.0)?;
            i.live
        }
        None => Live::new(conn, &p, key.0)?,
    };
    Ok(Intel { key, live })
}

fn grade_char(a: &Assessment) -> char {
    a.grade.as_str().chars().next().unwrap_or('?')
}

fn limit_use(exposure: Decimal, limit: Option<Decimal>) -> Option<u32> {
    limit.filter(|l| *l > Decimal::ZERO).map(|l| {
        let pct = (exposure.max(Decimal::ZERO) * Decimal::ONE_HUNDRED / l).round();
        rust_decimal::prelude::ToPrimitive::to_u32(&pct).unwrap_or(u32::MAX)
    })
}

fn reasons(a: &Assessment, s: &SourceSettings) -> Vec<String> {
    a.signals
        .iter()
        .map(|sig| sig.sentence(s.lang, s.currency))
        .collect()
}

/// The view's score reads the other way round (100 = sound): the domain's counts risk.
fn view_score(a: &Assessment) -> u8 {
    100u32.saturating_sub(a.score.min(100)) as u8
}

pub(super) fn signals_view(i: &Intel, s: &SourceSettings) -> SignalsView {
    let rows: Vec<SignalRow> = i
        .live
        .assessments
        .iter()
        .filter(|a| !a.signals.is_empty())
        .map(|a| SignalRow {
            customer_id: a.customer_id,
            code: a.code.clone(),
            name: a.name.clone(),
            grade: grade_char(a),
            score: view_score(a),
            main_reason: a.main_reason(s.lang, s.currency).unwrap_or_default(),
            reasons: reasons(a, s),
            exposure: a.exposure,
            credit_limit: a.credit_limit,
            limit_use_percent: limit_use(a.exposure, a.credit_limit),
        })
        .collect();
    let notice = i.live.gathered.bundles.is_empty().then_some(Notice::NoData);
    SignalsView { rows, notice }
}

fn channel(c: DChannel) -> Channel {
    match c {
        DChannel::Email => Channel::Email,
        DChannel::Phone => Channel::Phone,
        DChannel::Letter => Channel::Letter,
        DChannel::RegisteredLetter => Channel::RegisteredLetter,
        DChannel::Escalation => Channel::Escalation,
    }
}

fn domain_channel(c: Channel) -> DChannel {
    match c {
        Channel::Email => DChannel::Email,
        Channel::Phone => DChannel::Phone,
        Channel::Letter => DChannel::Letter,
        Channel::RegisteredLetter => DChannel::RegisteredLetter,
        Channel::Escalation => DChannel::Escalation,
    }
}

/// Today's queue as the screen shows it, with no line claimed: claims are live data, laid
/// over by [`overlay_claims`] for each reader (the view may be kept in a snapshot).
pub(super) fn queue_view(i: &Intel, s: &SourceSettings) -> QueueView {
    let q = &i.live.queue;
    let lines = q
        .lines
        .iter()
        .map(|l| QueueLine {
            customer_id: l.customer_id,
            code: l.code.clone(),
            name: l.name.clone(),
            level: l.level,
            channel: channel(l.channel),
            owner: l.owner.label(s.lang).to_string(),
            invoices: l
                .invoices
                .iter()
                .map(|inv| QueueInvoice {
                    invoice_id: inv.invoice_id,
                    number: inv.number.clone(),
                    open: inv.open,
                    days_late: inv.days_late,
                })
                .collect(),
            at_stake: l.cash_at_stake,
            grade: l.grade.as_str().chars().next(),
            reason: l.reason.clone(),
            contact: Contact {
                name: l.contact.name.clone(),
                email: l.contact.email.clone(),
                phone: l.contact.phone.clone(),
            },
            script: l.script.clone().unwrap_or_default(),
            held_until: l.flags.iter().find_map(|f| match f {
                LineFlag::HeldByPromise { until, .. } => Some(*until),
                _ => None,
            }),
            claimed_by: None,
        })
        .collect();
    let disputed = q
        .disputes
        .iter()
        .map(|d| DisputedItem {
            customer_id: d.customer_id,
            name: d.name.clone(),
            number: d.number.clone(),
            open: d.open,
            reason: d.reason.clone().unwrap_or_default(),
        })
        .collect();
    let stale_bank_data = q.gate.as_ref().and_then(|g| g.newest);
    let notice = if q.gate.as_ref().is_some_and(|g| g.newest.is_none()) {
        Some(Notice::NoBankData)
    } else {
        None
    };
    QueueView {
        lines,
        disputed,
        stale_bank_data,
        notice,
    }
}

/// Marks the lines someone other than `me` holds at `now`.
pub(super) fn overlay_claims(
    view: &mut QueueView,
    conn: &Connection,
    now: NaiveDateTime,
    me: &str,
) -> SourceResult<()> {
    let claims = claims::active(conn, now)?;
    for l in &mut view.lines {
        l.claimed_by = claims
            .iter()
            .find(|c| c.customer_id == l.customer_id && c.who != me)
            .map(|c| format!("{}@{}", c.who, c.host));
    }
    Ok(())
}

/// What recording an outcome needs of the customer's line in today's queue: its stamp,
/// the invoice a dispute without a named one covers (the most overdue), and what it has at
/// stake. Read from the kept queue or from a queue view alike (tests hold both equal).
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct LineFacts {
    pub stamp: Stamp,
    pub most_late: Option<InvoiceId>,
    pub at_stake: Decimal,
}

pub(super) fn facts_from_queue(q: &Queue, customer: CustomerId) -> LineFacts {
    q.lines
        .iter()
        .find(|l| l.customer_id == customer)
        .map(|l| LineFacts {
            stamp: l.stamp(),
            most_late: l
                .invoices
                .iter()
                .max_by_key(|i| i.days_late)
                .map(|i| i.invoice_id),
            at_stake: l.cash_at_stake,
        })
        .unwrap_or_default()
}

pub(super) fn facts_from_view(q: &QueueView, customer: CustomerId) -> LineFacts {
    q.lines
        .iter()
        .find(|l| l.customer_id == customer)
        .map(|l| LineFacts {
            stamp: Stamp {
                level: Some(l.level),
                channel: Some(domain_channel(l.channel)),
                invoices: l.invoices.iter().map(|i| i.invoice_id).collect(),
            },
            most_late: l
                .invoices
                .iter()
                .max_by_key(|i| i.days_late)
                .map(|i| i.invoice_id),
            at_stake: l.at_stake,
        })
        .unwrap_or_default()
}

/// "3", "3x", "3 monthly"...: the first number between 1 and 24 is the count of monthly
/// instalments (three when none is given), the first one month after today.
fn plan_instalments(detail: &str, total: Decimal, today: NaiveDate) -> Vec<Instalment> {
    let n: u32 = detail
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse::<u32>().ok())
        .find(|n| (1..=24).contains(n))
        .unwrap_or(3);
    let share = (total / Decimal::from(n)).round_dp(2);
    (1..=n)
        .filter_map(|k| {
            let date = today.checked_add_months(Months::new(k))?;
            let amount = if k == n {
                total - share * Decimal::from(n - 1)
            } else {
                share
            };
            Some(Instalment { date, amount })
        })
        .collect()
}

/// The app's outcome in the terms `store::intel` records. A dispute without a named invoice
/// covers the line's most overdue invoice; a plan splits what the line has at stake.
pub(super) fn to_intel(
    outcome: &Outcome,
    line: &LineFacts,
    today: NaiveDate,
) -> SourceResult<IOutcome> {
    Ok(match outcome {
        Outcome::Reached => IOutcome::Reached { note: None },
        Outcome::NoAnswer => IOutcome::NoAnswer,
        Outcome::Voicemail => IOutcome::Voicemail,
        Outcome::Promise { date, amount } => IOutcome::Promise {
            date: *date,
            amount: *amount,
            invoice: None,
        },
        Outcome::Dispute { reason } => {
            let invoice = line
                .most_late
                .or_else(|| line.stamp.invoices.first().copied())
                .ok_or_else(|| {
                    SourceError::Refused("no open invoice in the queue to dispute".into())
                })?;
            IOutcome::Dispute {
                invoice,
                reason: reason.clone(),
            }
        }
        Outcome::Plan { detail } => {
            let total = line.at_stake;
            if total <= Decimal::ZERO {
                return Err(SourceError::Refused(
                    "a plan needs a line with something at stake".into(),
                ));
            }
            IOutcome::Plan {
                instalments: plan_instalments(detail, total, today),
            }
        }
        Outcome::Snooze { until } => IOutcome::Snooze {
            until: *until,
            reason: None,
        },
        Outcome::Note { text } => IOutcome::Note { text: text.clone() },
        Outcome::LetterWritten => IOutcome::LetterSent,
    })
}

fn refused(e: crate::store::StoreError) -> SourceError {
    match e {
        crate::store::StoreError::Invalid(m) => SourceError::Refused(m),
        other => SourceError::Store(other),
    }
}

pub(super) fn record(
    store: &mut Store,
    actor: &Actor,
    customer: CustomerId,
    outcome: &IOutcome,
    stamp: &Stamp,
) -> SourceResult<()> {
    outcomes::record_outcome(store, actor, customer, outcome, stamp).map_err(refused)?;
    if !matches!(outcome, IOutcome::Note { .. }) {
        store.write(|tx| claims::release(tx, customer, actor))?;
    }
    Ok(())
}

/// Undoes the actor's latest outcome still in force, whoever's customer it was.
pub(super) fn undo_last(
    store: &mut Store,
    actor: &Actor,
    s: &SourceSettings,
) -> SourceResult<String> {
    let last: Option<(CustomerId, String)> = store
        .conn()
        .query_row(
            "SELECT e.customer_id, c.name FROM events e JOIN customers c ON c.id = e.customer_id
             WHERE e.who = ?1 AND e.kind LIKE 'outcome.%' AND e.kind <> 'outcome.undo'
               AND NOT EXISTS (SELECT 1 FROM events u WHERE u.kind = 'outcome.undo'
                               AND json_extract(u.detail, '$.undoes') = e.id)
             ORDER BY e.id DESC LIMIT 1",
            [&actor.who],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((customer, name)) = last else {
        return Err(SourceError::Refused(
            s.lang.pick("rien à annuler", "nothing to undo").into(),
        ));
    };
    match outcomes::undo_last_outcome(store, actor, customer).map_err(refused)? {
        Some(u) => Ok(format!("{}: {name}", u.kind.as_str())),
        None => Err(SourceError::Refused(
            s.lang.pick("rien à annuler", "nothing to undo").into(),
        )),
    }
}

/// The event kinds the interface names: `outcome.no-answer` → `no_answer`.
fn event_kind(kind: &str) -> String {
    match kind {
        "outcome.undo" => "outcome_undone".into(),
        "outcome.letter-sent" | "outcome.email-sent" => "letter_written".into(),
        k => k.strip_prefix("outcome.").unwrap_or(k).replace('-', "_"),
    }
}

/// Grade, reasons, promises, disputes, penalties and the trail from `intel::view`, laid over
/// the ledger part of the page.
pub(super) fn overlay_customer(
    conn: &Connection,
    s: &SourceSettings,
    page: &mut CustomerView,
    as_of: NaiveDate,
) -> SourceResult<()> {
    let p = params(s);
    let v = view::customer_view(conn, &p, as_of, page.customer_id)?;
    page.grade = Some(grade_char(&v.assessment));
    page.score = Some(view_score(&v.assessment));
    page.reasons = reasons(&v.assessment, s);
    page.promises = v
        .state
        .promises
        .iter()
        .map(|(rec, st)| PromiseView {
            date: rec.promised_on,
            amount: rec.amount,
            status: match st {
                PromiseState::Holding { .. } => PromiseStatus::Pending,
                PromiseState::Kept => PromiseStatus::Kept,
                PromiseState::Broken { .. } => PromiseStatus::Broken,
            },
            made_on: rec.made_on,
        })
        .collect();
    page.disputes = v
        .disputes
        .iter()
        .map(|d| DisputeView {
            invoice_number: d.number.clone(),
            open: d.open,
            reason: d.reason.clone(),
            since: d.opened_on,
        })
        .collect();
    page.penalties = Penalties {
        interest: v.rates_up_to_date.then_some(v.claim.interest),
        indemnities: v.claim.indemnities,
        late_invoices: v.claim.invoices.len(),
    };
    let currency = v.customer.currency;
    let mut events: Vec<EventView> = v
        .history
        .iter()
        .rev()
        .map(|h| {
            let outcome = h.detail.get("outcome");
            let field = |k: &str| {
                outcome
                    .and_then(|o| o.get(k))
                    .or_else(|| h.detail.get(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let kind = event_kind(&h.kind);
            let text = if h.kind.starts_with("outcome.") {
                h.describe(s.lang, currency)
            } else if matches!(h.kind.as_str(), "limit_set" | "segment_set") {
                format!(
                    "{} → {}",
                    field("from").unwrap_or_else(|| "-".into()),
                    field("to").unwrap_or_else(|| "-".into())
                )
            } else {
                h.detail.to_string()
            };
            EventView {
                at: h.at.unwrap_or_default(),
                who: h.who.clone(),
                kind,
                date: field("date")
                    .or_else(|| field("until"))
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                amount: field("amount").and_then(|a| a.parse().ok()),
                text,
                undone: h.undone,
            }
        })
        .collect();
    events.truncate(500);
    page.events = events;
    Ok(())
}
