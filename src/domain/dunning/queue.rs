//! Today's reminder queue. Customers come in one at a time (the store streams them); each
//! becomes a line at the highest level due among its invoices, or a held customer with the
//! reason, and its disputed invoices go to a list of their own.

pub use super::lines::*;

use super::outcome::{OutcomeKind, PlanState, PromiseRecord, PromiseState};
use super::{Level, Policy};
use crate::domain::ageing::OpenItem;
use crate::domain::model::CustomerId;
use crate::domain::money::Currency;
use crate::domain::penalties::{Claim, PenaltySettings, invoice_penalty};
use crate::locale::{self, Language};
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

pub struct QueueBuilder<'a> {
    as_of: NaiveDate,
    policy: &'a Policy,
    penalties: &'a PenaltySettings,
    lang: Language,
    currency: Currency,
    queue: Queue,
}

impl<'a> QueueBuilder<'a> {
    /// `newest_bank_data` is the latest booking or balance date on or before `as_of`.
    pub fn new(
        as_of: NaiveDate,
        policy: &'a Policy,
        penalties: &'a PenaltySettings,
        stale_after_days: u32,
        newest_bank_data: Option<NaiveDate>,
        lang: Language,
        currency: Currency,
    ) -> Self {
        QueueBuilder {
            as_of,
            policy,
            penalties,
            lang,
            currency,
            queue: Queue {
                as_of,
                gate: stale_gate(as_of, newest_bank_data, stale_after_days),
                lines: Vec::new(),
                held: Vec::new(),
                disputes: Vec::new(),
            },
        }
    }

    pub fn add(&mut self, c: QueueCustomer) {
        let as_of = self.as_of;
        let rules = &self.policy.rules;
        let ladder = self.policy.ladder_for(c.segment);

        // The latest promise per scope (the whole customer, or one invoice) is the one that
        // counts: a new promise replaces a broken one.
        let mut latest: Vec<&(PromiseRecord, PromiseState)> = Vec::new();
        for p in &c.promises {
            match latest.iter_mut().find(|q| q.0.invoice_id == p.0.invoice_id) {
                Some(q) if (q.0.made_on, q.0.id) < (p.0.made_on, p.0.id) => *q = p,
                Some(_) => {}
                None => latest.push(p),
            }
        }
        let plan = c.plans.iter().max_by_key(|(p, _)| (p.made_on, p.id));

        let mut listed = Vec::new();
        let mut flags = Vec::new();
        let mut held_by_promise: Option<(NaiveDate, Vec<String>)> = None;
        for inv in &c.invoices {
            let days_late = (as_of - inv.due_date).num_days();
            if inv.disputed {
                let reason = c.dispute_reasons.iter().find(|d| d.0 == inv.invoice_id);
                self.queue.disputes.push(DisputedInvoice {
                    customer_id: c.customer_id,
                    code: c.code.clone(),
                    name: c.name.clone(),
                    invoice_id: inv.invoice_id,
                    number: inv.number.clone(),
                    open: inv.open,
                    days_late,
                    reason: reason.map(|r| r.1.clone()),
                    opened_on: reason.and_then(|r| r.2),
                });
                continue;
            }
            let Some(due) = ladder.due_level(days_late) else {
                continue;
            };
            let mut level = due.level;
            if let Some((_, PromiseState::Holding { until })) = latest
                .iter()
                .find(|(p, _)| p.invoice_id == Some(inv.invoice_id))
            {
                let h = held_by_promise.get_or_insert((*until, Vec::new()));
                h.0 = h.0.max(*until);
                h.1.push(inv.number.clone());
                continue;
            }
            for (p, state) in &latest {
                if let PromiseState::Broken { .. } = state
                    && p.invoice_id.is_none_or(|i| i == inv.invoice_id)
                {
                    let base = p.level.unwrap_or(due.level);
                    level = level.max(ladder.next_after(base).level);
                }
            }
            if let Some((p, PlanState::Broken { .. })) = plan {
                let base = p.level.unwrap_or(due.level);
                level = level.max(ladder.next_after(base).level);
            }
            listed.push(LineInvoice {
                invoice_id: inv.invoice_id,
                number: inv.number.clone(),
                due_date: inv.due_date,
                open: inv.open,
                days_late,
                level,
            });
        }
        if let Some((until, invoices)) = held_by_promise {
            flags.push(LineFlag::HeldByPromise { until, invoices });
        }
        // Invoices whose level has already been dealt with do not bring the line back.
        let driving = listed
            .iter()
            .filter(|i| {
                c.contact_state
                    .done
                    .get(&i.invoice_id)
                    .is_none_or(|d| *d < i.level)
            })
            .map(|i| i.level)
            .max();
        // A customer under a promise, plan, snooze or unmatched credit is shown as held even
        // when its level was dealt with: the person sees what is pending.
        let Some(hold_level) = driving.or(listed.iter().map(|i| i.level).max()) else {
            return;
        };
        let cash_at_stake: Decimal = listed.iter().map(|i| i.open).sum();
        let hold = |reason| HeldCustomer {
            customer_id: c.customer_id,
            code: c.code.clone(),
            name: c.name.clone(),
            level: hold_level,
            cash_at_stake,
            reason,
        };
        if let Some(credit) = &c.unmatched_credit {
            self.queue
                .held
                .push(hold(HoldReason::UnmatchedCredit(credit.clone())));
            return;
        }
        if let Some(until) = c.snoozed_until.filter(|u| *u > as_of) {
            self.queue.held.push(hold(HoldReason::Snoozed { until }));
            return;
        }
        if let Some((p, PromiseState::Holding { until })) =
            latest.iter().find(|(p, _)| p.invoice_id.is_none())
        {
            self.queue.held.push(hold(HoldReason::Promise {
                until: *until,
                amount: p.amount,
            }));
            return;
        }
        if let Some((_, PlanState::Holding { next })) = plan {
            self.queue
                .held
                .push(hold(HoldReason::Plan { next: next.clone() }));
            return;
        }
        let Some(line_level) = driving else {
            return;
        };
        if let Some(attempt) = c.contact_state.last_attempt
            && attempt.level.is_none_or(|l| l >= line_level)
        {
            let days = match attempt.kind {
                OutcomeKind::Voicemail => rules.retry_after_voicemail_days,
                OutcomeKind::WrongContact => rules.retry_after_wrong_contact_days,
                _ => rules.retry_after_no_answer_days,
            };
            let until = attempt.on + Duration::days(i64::from(days));
            if as_of < until {
                self.queue.held.push(hold(HoldReason::AwaitingRetry {
                    until,
                    after: attempt.kind,
                }));
                return;
            }
            if attempt.kind == OutcomeKind::WrongContact {
                flags.push(LineFlag::WrongContact);
            }
        }
        for (p, state) in &latest {
            if let PromiseState::Broken { .. } = state {
                flags.push(LineFlag::BrokenPromise {
                    promised_on: p.promised_on,
                    amount: p.amount,
                });
            }
        }
        if let Some((
            _,
            PlanState::Broken {
                instalment,
                missing,
            },
        )) = plan
        {
            flags.push(LineFlag::BrokenPlan {
                instalment: *instalment,
                missing: *missing,
            });
        }
        if let Some(gate) = &self.queue.gate {
            flags.push(LineFlag::StaleData {
                newest: gate.newest,
            });
        }
        let Some(level) = ladder.get(line_level).or(Some(ladder.top())) else {
            return;
        };
        let mut claim = Claim::default();
        for i in &listed {
            let item = OpenItem {
                invoice_id: i.invoice_id,
                customer_id: c.customer_id,
                number: i.number.clone(),
                kind: crate::domain::model::InvoiceKind::Invoice,
                issue_date: i.due_date,
                due_date: i.due_date,
                open: i.open,
                disputed: false,
            };
            claim.add(invoice_penalty(self.penalties, &item, as_of, &c.debtor));
        }
        let template = choose_template(level, &claim, self.penalties);
        let max_days_late = listed.iter().map(|i| i.days_late).max().unwrap_or(0);
        let reason = self.reason(&listed, level, &flags, &c);
        let priority = cash_at_stake * Decimal::from(100 + c.score.min(100)) / Decimal::ONE_HUNDRED;
        self.queue.lines.push(QueueLine {
            customer_id: c.customer_id,
            code: c.code,
            name: c.name,
            segment: c.segment,
            level: level.level,
            channel: level.channel,
            owner: level.owner,
            template,
            script_template: level.script.clone(),
            script: None,
            invoices: listed,
            cash_at_stake,
            max_days_late,
            score: c.score,
            grade: c.grade,
            priority,
            reason,
            contact: c.contact,
            claim,
            flags,
        });
    }

    fn reason(
        &self,
        listed: &[LineInvoice],
        level: &Level,
        flags: &[LineFlag],
        c: &QueueCustomer,
    ) -> String {
        let lang = self.lang;
        let m = |d: Decimal| locale::money(d, self.currency, lang);
        let mut parts = Vec::new();
        let oldest = listed.iter().max_by_key(|i| i.days_late);
        if let Some(o) = oldest {
            let n = listed.len();
            parts.push(match (lang, o.days_late >= 0) {
                (Language::Fr, true) => format!(
                    "{n} facture(s), la plus ancienne {} en retard de {} j",
                    o.number, o.days_late
                ),
                (Language::Fr, false) => format!(
                    "{n} facture(s), {} à échéance dans {} j",
                    o.number, -o.days_late
                ),
                (Language::En, true) => format!(
                    "{n} invoice(s), oldest {} {} days late",
                    o.number, o.days_late
                ),
                (Language::En, false) => {
                    format!("{n} invoice(s), {} due in {} days", o.number, -o.days_late)
                }
            });
        }
        parts.push(format!(
            "{} {} ({})",
            lang.pick("niveau", "level"),
            level.level,
            level.channel.label(lang)
        ));
        for f in flags {
            match f {
                LineFlag::BrokenPromise {
                    promised_on,
                    amount,
                } => parts.push(format!(
                    "{} {} {} {}",
                    lang.pick("promesse non tenue :", "broken promise:"),
                    m(*amount),
                    lang.pick("pour le", "by"),
                    locale::date(*promised_on, lang)
                )),
                LineFlag::BrokenPlan {
                    instalment,
                    missing,
                } => parts.push(format!(
                    "{} {} {} {}",
                    lang.pick("échéancier non respecté :", "payment plan missed:"),
                    m(*missing),
                    lang.pick("manquants au", "short at"),
                    locale::date(*instalment, lang)
                )),
                _ => {}
            }
        }
        if let Some(r) = &c.risk_reason {
            parts.push(format!(
                "{} {}{}{r}",
                lang.pick("risque", "risk"),
                c.grade.as_str(),
                lang.pick(" : ", ": ")
            ));
        }
        parts.join("; ")
    }

    /// Orders the lines by cash at stake × risk, then days late.
    pub fn finish(mut self) -> Queue {
        self.queue.sort();
        self.queue
    }
}

/// The gate over the whole queue when the newest bank data is too old (or missing).
fn stale_gate(
    as_of: NaiveDate,
    newest_bank_data: Option<NaiveDate>,
    stale_after_days: u32,
) -> Option<StaleGate> {
    let days_old = newest_bank_data.map(|d| (as_of - d).num_days());
    let stale = days_old.is_none_or(|d| d > i64::from(stale_after_days));
    stale.then_some(StaleGate {
        newest: newest_bank_data,
        days_old,
        limit_days: stale_after_days,
    })
}

impl Queue {
    /// The queue's order. Ties end on the customer (and invoice) id, so that a queue mended
    /// in place (`replace_customers`) comes out in the order a fresh build gives.
    fn sort(&mut self) {
        self.lines.sort_by(|a, b| {
            b.priority
                .cmp(&a.priority)
                .then(b.max_days_late.cmp(&a.max_days_late))
                .then(a.name.cmp(&b.name))
                .then(a.customer_id.cmp(&b.customer_id))
        });
        self.held.sort_by(|a, b| {
            b.cash_at_stake
                .cmp(&a.cash_at_stake)
                .then(a.name.cmp(&b.name))
                .then(a.customer_id.cmp(&b.customer_id))
        });
        self.disputes.sort_by(|a, b| {
            b.open
                .cmp(&a.open)
                .then(a.number.cmp(&b.number))
                .then(a.customer_id.cmp(&b.customer_id))
                .then(a.invoice_id.cmp(&b.invoice_id))
        });
    }

    /// Moves the queue to new bank data: the gate, and the stale-data flag of every line,
    /// which is the only part of a line the bank data's date decides.
    pub fn set_bank_data(&mut self, newest_bank_data: Option<NaiveDate>, stale_after_days: u32) {
        let gate = stale_gate(self.as_of, newest_bank_data, stale_after_days);
        if gate == self.gate {
            return;
        }
        for line in &mut self.lines {
            // The builder pushes this flag last.
            line.flags
                .retain(|f| !matches!(f, LineFlag::StaleData { .. }));
            if let Some(g) = &gate {
                line.flags.push(LineFlag::StaleData { newest: g.newest });
            }
        }
        self.gate = gate;
    }

    /// Replaces what the customers `ids` have in the queue (lines, held, disputes) with
    /// `part`, a queue built for those customers only on the same day and bank data.
    pub fn replace_customers(&mut self, ids: &BTreeSet<CustomerId>, part: Queue) {
        self.lines.retain(|l| !ids.contains(&l.customer_id));
        self.held.retain(|h| !ids.contains(&h.customer_id));
        self.disputes.retain(|d| !ids.contains(&d.customer_id));
        self.lines.extend(part.lines);
        self.held.extend(part.held);
        self.disputes.extend(part.disputes);
        self.sort();
    }
}

/// Above the small-claims limit, escalation takes the order-for-payment template.
fn choose_template(level: &Level, claim: &Claim, s: &PenaltySettings) -> String {
    match &level.template_over_small_claim {
        Some(over) if !claim.is_small_claim(s) => over.clone(),
        _ => level.template.clone(),
    }
}
