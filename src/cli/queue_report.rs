//! `encours report queue`: today's reminder queue, what is held and why, the disputes.

use super::intel_report::load_dunning;
use super::output::{OutputFormat, print_csv, print_table};
use super::report::ReportArgs;
use super::{Context, anyhow_like};
use crate::domain::dunning::queue::{HoldReason, LineFlag, Queue};
use crate::locale::{self, Language};
use crate::store::intel::Params;
use rust_decimal::Decimal;
use std::io::Write;

pub fn queue(ctx: &Context, args: &ReportArgs) -> anyhow_like::Result<i32> {
    let store = ctx.open_store()?;
    let dunning = load_dunning(ctx)?;
    let p = Params::new(&ctx.settings, &dunning, ctx.lang);
    let q =
        crate::store::intel::queue::build_queue(store.conn(), &p, args.as_of.unwrap_or(ctx.today))?;
    let mut out = std::io::stdout().lock();
    print_queue(&mut out, ctx, &q, args.format)?;
    Ok(0)
}

pub fn gate_sentence(q: &Queue, lang: Language) -> Option<String> {
    let g = q.gate.as_ref()?;
    Some(match (g.newest, lang) {
        (Some(d), Language::Fr) => format!(
            "ATTENTION : les dernières données bancaires datent du {} ({} jours, au-delà de {}). Importez les relevés avant de relancer : une relance pour une facture déjà payée abîme la relation.",
            locale::date(d, lang),
            g.days_old.unwrap_or(0),
            g.limit_days
        ),
        (Some(d), Language::En) => format!(
            "WARNING: the newest bank data is from {} ({} days old, limit {}). Import the statements before chasing: a reminder for an invoice already paid damages the relationship.",
            locale::date(d, lang),
            g.days_old.unwrap_or(0),
            g.limit_days
        ),
        (None, _) => lang
            .pick(
                "ATTENTION : aucune donnée bancaire. Importez les relevés avant de relancer.",
                "WARNING: no bank data at all. Import the statements before chasing.",
            )
            .into(),
    })
}

fn flag_text(f: &LineFlag, lang: Language) -> String {
    match f {
        LineFlag::StaleData { .. } => lang
            .pick("données bancaires anciennes", "stale bank data")
            .into(),
        LineFlag::HeldByPromise { until, invoices } => format!(
            "{} {} {} ({})",
            lang.pick("promesse", "promise"),
            lang.pick("jusqu'au", "until"),
            locale::date(*until, lang),
            invoices.join(", ")
        ),
        LineFlag::BrokenPromise { .. } => lang.pick("promesse non tenue", "broken promise").into(),
        LineFlag::BrokenPlan { .. } => lang.pick("échéancier non tenu", "plan missed").into(),
        LineFlag::WrongContact => lang.pick("mauvais interlocuteur", "wrong contact").into(),
    }
}

pub fn hold_text(r: &HoldReason, lang: Language, cur: crate::domain::money::Currency) -> String {
    let sep = lang.pick(" : ", ": ");
    let date = |d| locale::date(d, lang);
    match r {
        HoldReason::UnmatchedCredit(u) => format!(
            "{} {} {} {} ({}){sep}{}",
            lang.pick("crédit non lettré de", "unmatched credit of"),
            locale::money(u.amount, cur, lang),
            lang.pick("le", "on"),
            date(u.date),
            u.counterparty,
            lang.pick("le lettrer d'abord", "match it first")
        ),
        HoldReason::Snoozed { until } => format!(
            "{} {}",
            lang.pick("en pause jusqu'au", "snoozed until"),
            date(*until)
        ),
        HoldReason::Promise { until, amount } => format!(
            "{} {} {} {}",
            lang.pick("promesse de", "promise of"),
            locale::money(*amount, cur, lang),
            lang.pick("attendue jusqu'au", "awaited until"),
            date(*until)
        ),
        HoldReason::Plan { next } => match next {
            Some(i) => format!(
                "{} {} {}",
                lang.pick(
                    "échéancier ; prochaine échéance",
                    "payment plan; next instalment"
                ),
                date(i.date),
                locale::money(i.amount, cur, lang)
            ),
            None => lang
                .pick("échéancier en cours", "payment plan running")
                .into(),
        },
        HoldReason::AwaitingRetry { until, after } => format!(
            "{} ({}){sep}{} {}",
            lang.pick("nouvel essai", "retry"),
            after.label(lang),
            lang.pick("le", "on"),
            date(*until)
        ),
    }
}

/// "12 days late" or "not due".
pub fn late_text(days: i64, lang: Language) -> String {
    if days > 0 {
        let unit = if days == 1 {
            lang.pick("j de retard", "day late")
        } else {
            lang.pick("j de retard", "days late")
        };
        format!("{days} {unit}")
    } else {
        lang.pick("non échue", "not due").into()
    }
}

/// In a table, the first three invoices and how many more; in CSV, all of them.
fn invoice_list(invoices: &[crate::domain::dunning::queue::LineInvoice], table: bool) -> String {
    let shown = if table { 3 } else { usize::MAX };
    let mut s: Vec<&str> = invoices
        .iter()
        .take(shown)
        .map(|x| x.number.as_str())
        .collect();
    let more = invoices.len().saturating_sub(shown);
    let more = format!("+{more}");
    if invoices.len() > shown {
        s.push(&more);
    }
    s.join(" ")
}

pub fn print_queue(
    out: &mut dyn Write,
    ctx: &Context,
    q: &Queue,
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let cur = ctx.settings.general.currency;
    if format == OutputFormat::Json {
        let mut v = serde_json::to_value(q)?;
        v["gate_message"] = gate_sentence(q, lang).into();
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let table = format == OutputFormat::Table;
    let m = |d: Decimal| {
        if table {
            locale::money(d, cur, lang)
        } else {
            d.round_dp(2).to_string()
        }
    };
    let header: Vec<String> = [
        "#",
        "code",
        lang.pick("client", "customer"),
        lang.pick("niv.", "lvl"),
        lang.pick("canal", "channel"),
        lang.pick("pour", "owner"),
        lang.pick("factures", "invoices"),
        lang.pick("en jeu", "at stake"),
        lang.pick("retard", "late"),
        lang.pick("risque", "risk"),
        lang.pick("signes", "flags"),
        lang.pick("motif", "reason"),
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let rows: Vec<Vec<String>> = q
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                (i + 1).to_string(),
                l.code.clone(),
                l.name.clone(),
                l.level.to_string(),
                l.channel.label(lang).into(),
                l.owner.label(lang).into(),
                invoice_list(&l.invoices, table),
                m(l.cash_at_stake),
                l.max_days_late.to_string(),
                format!("{} {}", l.grade.as_str(), l.score),
                l.flags
                    .iter()
                    .map(|f| flag_text(f, lang))
                    .collect::<Vec<_>>()
                    .join(", "),
                l.reason.clone(),
            ]
        })
        .collect();
    if !table {
        print_csv(out, &header, &rows)?;
        return Ok(());
    }
    if let Some(g) = gate_sentence(q, lang) {
        writeln!(out, "{g}\n")?;
    }
    let total: Decimal = q.lines.iter().map(|l| l.cash_at_stake).sum();
    let sep = lang.pick(" : ", ": ");
    writeln!(
        out,
        "{} {}{sep}{} {}, {} {}",
        lang.pick("Relances du", "Reminder queue for"),
        locale::date(q.as_of, lang),
        q.lines.len(),
        lang.pick("client(s)", "customer(s)"),
        m(total),
        lang.pick("en jeu", "at stake")
    )?;
    print_table(out, &header, &rows)?;
    if !q.held.is_empty() {
        writeln!(
            out,
            "\n{}",
            lang.pick(
                "En attente (pas de relance aujourd'hui)",
                "Held (no reminder today)"
            )
        )?;
        for h in &q.held {
            writeln!(
                out,
                "  {} {}  {}  {}",
                h.code,
                h.name,
                m(h.cash_at_stake),
                hold_text(&h.reason, lang, cur)
            )?;
        }
    }
    if !q.disputes.is_empty() {
        writeln!(
            out,
            "\n{}",
            lang.pick("Litiges (hors relance)", "Disputes (not chased)")
        )?;
        for d in &q.disputes {
            writeln!(
                out,
                "  {} {}  {}  {}  {}  {}",
                d.code,
                d.name,
                d.number,
                m(d.open),
                late_text(d.days_late, lang),
                d.reason.clone().unwrap_or_default()
            )?;
        }
    }
    Ok(())
}
