//! `encours log CUSTOMER OUTCOME ...`: record what happened; `encours log --history CUSTOMER`:
//! the customer's trail; `encours log CUSTOMER undo`: cancel the last outcome.

use super::intel_report::load_dunning;
use super::output::OutputFormat;
use super::{Context, anyhow_like, parse_date_arg};
use crate::domain::dunning::outcome::{Instalment, Outcome, Stamp};
use crate::import::text::{DecimalStyle, parse_amount};
use crate::store::intel::Params;
use crate::store::intel::customers::find_customer;
use crate::store::intel::outcomes::{history, record_outcome, undo_last_outcome};
use crate::store::intel::queue::customer_queue;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rust_decimal::Decimal;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = false,
    subcommand_negates_reqs = false
)]
pub struct LogArgs {
    /// Show the customer's history (every event, who and when) instead of recording.
    #[arg(long)]
    pub history: bool,
    /// Customer code, or a part of the name that only one customer has.
    pub customer: String,
    #[command(subcommand)]
    pub outcome: Option<OutcomeArg>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum OutcomeArg {
    /// The call reached the right person.
    Reached {
        #[arg(long)]
        note: Option<String>,
    },
    /// Nobody answered: the call is tried again after the policy's retry delay
    NoAnswer,
    /// A message was left on the voicemail
    Voicemail,
    /// The number or address reaches the wrong person: fix the contact
    WrongContact {
        #[arg(long)]
        note: Option<String>,
    },
    /// A promise to pay a sum by a date (for one invoice with --invoice).
    Promise {
        #[arg(long, value_parser = parse_date_arg)]
        date: NaiveDate,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        invoice: Option<String>,
    },
    /// The customer contests an invoice: it leaves the chase and is shown apart.
    Dispute {
        #[arg(long)]
        invoice: String,
        #[arg(long)]
        reason: String,
    },
    /// A dispute recorded here is settled: the invoice is chased again.
    DisputeResolved {
        #[arg(long)]
        invoice: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// A payment plan: --instalments "2026-07-15:500,2026-08-15:500".
    Plan {
        #[arg(long)]
        instalments: String,
    },
    /// A note in the trail; the line stays in today's queue
    Note {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// No reminder until the date.
    Snooze {
        #[arg(long, value_parser = parse_date_arg)]
        until: NaiveDate,
        #[arg(long)]
        reason: Option<String>,
    },
    /// The reminder letter of the current level was sent
    LetterSent,
    /// The reminder email of the current level was sent
    EmailSent,
    /// Cancel the last outcome recorded for the customer (a compensating event).
    Undo,
}

/// Who records, and when. Under `--today` (demos, tests, catching up on yesterday's calls)
/// the outcome is recorded on that day, so that the queue of that day sees it.
pub fn actor_today(ctx: &Context) -> crate::store::Actor {
    let mut actor = ctx.actor();
    if ctx.today != actor.at.date() {
        actor.at = ctx.today.and_time(actor.at.time());
    }
    actor
}

fn amount(raw: &str) -> anyhow_like::Result<Decimal> {
    parse_amount(raw, DecimalStyle::Auto)
        .filter(|a| *a > Decimal::ZERO)
        .ok_or_else(|| format!("'{raw}' is not an amount above zero").into())
}

/// "2026-07-15:500,2026-08-15:500,00" (a comma inside an amount is allowed after a colon).
pub fn parse_instalments(raw: &str) -> anyhow_like::Result<Vec<Instalment>> {
    let mut out = Vec::new();
    let mut rest = raw.trim();
    while !rest.is_empty() {
        let (date, after) = rest
            .split_once(':')
            .ok_or_else(|| format!("'{rest}': write each instalment as DATE:AMOUNT"))?;
        let date = parse_date_arg(date.trim().trim_start_matches(','))?;
        // The amount runs to the next ",YYYY-" or the end.
        let next = after
            .char_indices()
            .find(|(i, c)| {
                *c == ','
                    && after[i + 1..].trim_start().get(..5).is_some_and(|s| {
                        s.len() == 5
                            && s[..4].chars().all(|c| c.is_ascii_digit())
                            && s.ends_with('-')
                    })
            })
            .map(|(i, _)| i);
        let (amt, tail) = match next {
            Some(i) => (&after[..i], &after[i + 1..]),
            None => (after, ""),
        };
        out.push(Instalment {
            date,
            amount: amount(amt)?,
        });
        rest = tail.trim();
    }
    if out.is_empty() {
        return Err("no instalment given".into());
    }
    Ok(out)
}

pub fn run(ctx: &Context, args: &LogArgs) -> anyhow_like::Result<i32> {
    let lang = ctx.lang;
    let cur = ctx.settings.general.currency;
    let mut store = ctx.open_store()?;
    let c = find_customer(store.conn(), &args.customer)?;
    let mut out = std::io::stdout().lock();
    let Some(outcome) = args.outcome.clone().filter(|_| !args.history) else {
        let h = history(store.conn(), c.id)?;
        if args.format == OutputFormat::Json {
            serde_json::to_writer_pretty(&mut out, &h)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{} {} - {}",
                c.code,
                c.name,
                lang.pick("historique", "history")
            )?;
            for e in &h {
                let at =
                    e.at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default();
                writeln!(out, "  #{} {at} {}  {}", e.id, e.who, e.describe(lang, cur))?;
            }
        }
        return Ok(0);
    };
    let actor = actor_today(ctx);
    if let OutcomeArg::Undo = outcome {
        return match undo_last_outcome(&mut store, &actor, c.id)? {
            Some(u) => {
                writeln!(
                    out,
                    "{} #{} ({}, {} {})",
                    lang.pick("annulé :", "undone:"),
                    u.event_id,
                    u.kind.as_str(),
                    u.at,
                    u.who
                )?;
                Ok(0)
            }
            None => {
                writeln!(out, "{}", lang.pick("rien à annuler", "nothing to undo"))?;
                Ok(1)
            }
        };
    }
    let invoice_id = |number: &str| -> anyhow_like::Result<i64> {
        let id: Option<i64> = store
            .conn()
            .query_row(
                "SELECT id FROM invoices WHERE number = ?1 AND kind = 'invoice' AND customer_id = ?2",
                rusqlite::params![number.trim(), c.id],
                |r| r.get(0),
            )
            .optional()?;
        id.ok_or_else(|| format!("{} has no invoice numbered '{number}'", c.name).into())
    };
    let outcome = match outcome {
        OutcomeArg::Reached { note } => Outcome::Reached { note },
        OutcomeArg::NoAnswer => Outcome::NoAnswer,
        OutcomeArg::Voicemail => Outcome::Voicemail,
        OutcomeArg::WrongContact { note } => Outcome::WrongContact { note },
        OutcomeArg::Promise {
            date,
            amount: a,
            invoice,
        } => Outcome::Promise {
            date,
            amount: amount(&a)?,
            invoice: invoice.as_deref().map(invoice_id).transpose()?,
        },
        OutcomeArg::Dispute { invoice, reason } => Outcome::Dispute {
            invoice: invoice_id(&invoice)?,
            reason,
        },
        OutcomeArg::DisputeResolved { invoice, note } => Outcome::DisputeResolved {
            invoice: invoice_id(&invoice)?,
            note,
        },
        OutcomeArg::Plan { instalments } => Outcome::Plan {
            instalments: parse_instalments(&instalments)?,
        },
        OutcomeArg::Note { text } => Outcome::Note {
            text: text.join(" "),
        },
        OutcomeArg::Snooze { until, reason } => Outcome::Snooze { until, reason },
        OutcomeArg::LetterSent => Outcome::LetterSent,
        OutcomeArg::EmailSent => Outcome::EmailSent,
        OutcomeArg::Undo => return Ok(1),
    };
    // The outcome answers today's line for the customer: its level and invoices.
    let dunning = load_dunning(ctx)?;
    let p = Params::new(&ctx.settings, &dunning, lang);
    let today = actor.at.date();
    let q = customer_queue(store.conn(), &p, today, c.id)?;
    let stamp = match (q.lines.first(), q.held.first()) {
        (Some(line), _) => line.stamp(),
        (None, Some(h)) => Stamp {
            level: Some(h.level),
            channel: None,
            invoices: Vec::new(),
        },
        _ => Stamp::default(),
    };
    let id = record_outcome(&mut store, &actor, c.id, &outcome, &stamp)?;
    let sep = lang.pick(" : ", ": ");
    writeln!(
        out,
        "#{id} {} {}{sep}{} ({})",
        c.code,
        c.name,
        outcome.kind().label(lang),
        actor.who
    )?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instalments_parse_with_either_decimal_mark() {
        let got = parse_instalments("2026-07-15:500,2026-08-15:1 250,50").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].amount, Decimal::from(500));
        assert_eq!(got[1].amount.to_string(), "1250.50");
        assert!(parse_instalments("2026-07-15").is_err());
        assert!(parse_instalments("15/07/2026:100").is_err());
    }
}
