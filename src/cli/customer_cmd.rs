//! `encours customer CUSTOMER` and `encours check CUSTOMER AMOUNT`.

use super::intel_report::{assessment_json, load_dunning};
use super::output::OutputFormat;
use super::queue_report::hold_text;
use super::{Context, anyhow_like, parse_date_arg};
use crate::domain::model::InvoiceKind;
use crate::domain::signals::format_number;
use crate::import::text::{DecimalStyle, parse_amount};
use crate::locale::{self, Language};
use crate::store::intel::Params;
use crate::store::intel::customers::find_customer;
use crate::store::intel::view::{CustomerView, customer_view};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct CustomerArgs {
    /// Customer code, or a part of the name that only one customer has.
    pub customer: String,
    #[arg(long, value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub fn run(ctx: &Context, args: &CustomerArgs) -> anyhow_like::Result<i32> {
    let store = ctx.open_store()?;
    let dunning = load_dunning(ctx)?;
    let p = Params::new(&ctx.settings, &dunning, ctx.lang);
    let c = find_customer(store.conn(), &args.customer)?;
    let v = customer_view(store.conn(), &p, args.as_of.unwrap_or(ctx.today), c.id)?;
    let mut out = std::io::stdout().lock();
    if args.format == OutputFormat::Json {
        let mut json = serde_json::to_value(&v)?;
        json["assessment"] = assessment_json(&v.assessment, ctx);
        json["history_text"] = v
            .history
            .iter()
            .map(|h| h.describe(ctx.lang, ctx.settings.general.currency))
            .collect::<Vec<_>>()
            .into();
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        print_view(&mut out, ctx, &v)?;
    }
    Ok(0)
}

fn print_view(out: &mut dyn Write, ctx: &Context, v: &CustomerView) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let sep = lang.pick(" : ", ": ");
    let semi = lang.pick(" ; ", "; ");
    let cur = ctx.settings.general.currency;
    let m = |d: Decimal| locale::money(d, cur, lang);
    let date = |d: NaiveDate| locale::date(d, lang);
    let c = &v.customer;
    let a = &v.assessment;
    writeln!(
        out,
        "{} {}  ({}, {})  {} {}",
        c.code,
        c.name,
        c.segment.as_str(),
        if c.professional {
            lang.pick("professionnel", "business")
        } else {
            lang.pick("particulier", "consumer")
        },
        lang.pick("au", "as of"),
        date(v.as_of)
    )?;
    let contact: Vec<&str> = [
        c.contact_name.as_deref(),
        c.email.as_deref(),
        c.phone.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !contact.is_empty() {
        writeln!(
            out,
            "{}{sep}{}",
            lang.pick("Contact", "Contact"),
            contact.join("  ")
        )?;
    }
    let limit = match a.credit_limit {
        Some(l) if l > Decimal::ZERO => format!(
            "{} {} ({} %)",
            lang.pick("plafond", "limit"),
            m(l),
            format_number(a.exposure * Decimal::ONE_HUNDRED / l, 0, lang)
        ),
        Some(l) => format!("{} {}", lang.pick("plafond", "limit"), m(l)),
        None => lang.pick("pas de plafond", "no limit").into(),
    };
    let cover = v
        .insurer_cover
        .map(|l| {
            format!(
                ", {} {}",
                lang.pick("garantie assureur", "insurer cover"),
                m(l)
            )
        })
        .unwrap_or_default();
    writeln!(
        out,
        "{} {}   {} {}   {limit}{cover}",
        lang.pick("Encours", "Exposure"),
        m(a.exposure),
        lang.pick("échu", "overdue"),
        m(a.overdue)
    )?;
    writeln!(
        out,
        "{} {} (score {})",
        lang.pick("Risque", "Risk"),
        a.grade.as_str(),
        a.score
    )?;
    for s in &a.signals {
        writeln!(
            out,
            "  - {} (+{}){sep}{}",
            s.kind.label(lang),
            s.weight,
            s.sentence(lang, cur)
        )?;
    }
    writeln!(
        out,
        "{}{sep}{} ({} {}){semi}France {} {}",
        lang.pick("Retard moyen pondéré", "Average days late, weighted"),
        v.average_days_late
            .map(|d| format!("{} {}", format_number(d, 1, lang), lang.pick("j", "days")))
            .unwrap_or_else(|| "-".into()),
        v.lateness.invoices,
        lang.pick("factures payées", "invoices paid"),
        format_number(v.france_average_days_late, 1, lang),
        lang.pick("j", "days")
    )?;
    let buckets: Vec<String> = v
        .ageing
        .labels
        .iter()
        .zip(&v.ageing.total.buckets)
        .map(|(l, b)| format!("{}{sep}{}", locale::ageing_bucket(l, lang), m(*b)))
        .collect();
    writeln!(
        out,
        "{}{sep}{}",
        lang.pick("Balance âgée", "Ageing"),
        buckets.join(" | ")
    )?;
    writeln!(out, "\n{}", lang.pick("Factures ouvertes", "Open items"))?;
    for i in &v.items {
        let kind = if i.item.kind == InvoiceKind::CreditNote {
            lang.pick(" (avoir)", " (credit note)")
        } else {
            ""
        };
        let disputed = if i.item.disputed {
            lang.pick("  LITIGE", "  DISPUTED")
        } else {
            ""
        };
        let pen = i
            .penalty
            .as_ref()
            .map(|p| {
                format!(
                    "  {} {} + {}",
                    lang.pick("pénalités", "penalties"),
                    m(p.interest),
                    m(p.indemnity)
                )
            })
            .unwrap_or_default();
        let cost = i
            .sales_needed
            .map(|s| {
                format!(
                    "  {} {}",
                    lang.pick("ventes pour compenser", "sales to make up"),
                    m(s)
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "  {}{kind}  {} {}  {}  {}{pen}{cost}{disputed}",
            i.item.number,
            lang.pick("échéance", "due"),
            date(i.item.due_date),
            m(i.item.open),
            super::queue_report::late_text(i.days_late, lang)
        )?;
    }
    writeln!(
        out,
        "{}{sep}{} {} + {} {} + {} {} = {}{}",
        lang.pick("Créance exigible", "Claim"),
        lang.pick("principal", "principal"),
        m(v.claim.principal),
        lang.pick("intérêts", "interest"),
        m(v.claim.interest),
        lang.pick("indemnités", "indemnities"),
        m(v.claim.indemnities),
        m(v.claim.total()),
        if v.rates_up_to_date {
            ""
        } else {
            lang.pick(
                " (taux à mettre à jour dans [penalties])",
                " (update the rates in [penalties])",
            )
        }
    )?;
    match (&v.line, &v.held) {
        (Some(l), _) => writeln!(
            out,
            "{} ({}){sep}{}",
            lang.pick("Relance du jour", "Today's reminder"),
            l.owner.label(lang),
            l.reason
        )?,
        (None, Some(h)) => writeln!(
            out,
            "{}{sep}{}",
            lang.pick("En attente", "Held"),
            hold_text(&h.reason, lang, cur)
        )?,
        (None, None) => writeln!(
            out,
            "{}",
            lang.pick("Rien à relancer aujourd'hui.", "Nothing to chase today.")
        )?,
    }
    if !v.history.is_empty() {
        writeln!(out, "\n{}", lang.pick("Historique", "History"))?;
        for h in &v.history {
            let at =
                h.at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
            writeln!(out, "  #{} {at} {}  {}", h.id, h.who, h.describe(lang, cur))?;
        }
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    pub customer: String,
    /// The amount of the order to ship, incl. tax ("2500", "2 500,00").
    pub amount: String,
    #[arg(long, value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub fn check(ctx: &Context, args: &CheckArgs) -> anyhow_like::Result<i32> {
    let amount = parse_amount(&args.amount, DecimalStyle::Auto)
        .filter(|a| *a > Decimal::ZERO)
        .ok_or_else(|| format!("'{}' is not an amount above zero", args.amount))?;
    let store = ctx.open_store()?;
    let dunning = load_dunning(ctx)?;
    let p = Params::new(&ctx.settings, &dunning, ctx.lang);
    let c = find_customer(store.conn(), &args.customer)?;
    let answer = crate::store::intel::signals::check(
        store.conn(),
        &p,
        args.as_of.unwrap_or(ctx.today),
        c.id,
        amount,
    )?;
    let lang = ctx.lang;
    let cur = ctx.settings.general.currency;
    let mut out = std::io::stdout().lock();
    if args.format == OutputFormat::Json {
        let mut json = serde_json::to_value(&answer)?;
        json["customer"] = serde_json::json!({ "id": c.id, "code": c.code, "name": c.name });
        json["reasons_text"] = answer
            .reasons
            .iter()
            .map(|(v, r)| format!("{}: {}", v.word(lang), r.sentence(lang, cur)))
            .collect::<Vec<_>>()
            .into();
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
        return Ok(0);
    }
    let m = |d: Decimal| locale::money(d, cur, lang);
    let (sep, q) = (lang.pick(" : ", ": "), lang.pick(" ?", "?"));
    writeln!(
        out,
        "{}{sep}{} {} {} {}{q}",
        answer.verdict.word(lang),
        lang.pick("expédier", "ship"),
        m(amount),
        lang.pick("de plus à", "more to"),
        c.name
    )?;
    writeln!(
        out,
        "{} {} -> {}{}",
        lang.pick("encours", "exposure"),
        m(answer.exposure),
        m(answer.exposure_after),
        answer
            .limit
            .map(|l| format!(" ({} {})", lang.pick("plafond", "limit"), m(l)))
            .unwrap_or_default()
    )?;
    for (v, r) in &answer.reasons {
        let sep = lang.pick(" : ", ": ");
        writeln!(out, "  - {}{sep}{}", v.word(lang), r.sentence(lang, cur))?;
    }
    if lang == Language::Fr && answer.reasons.is_empty() {
        writeln!(out, "  (aucune réserve)")?;
    }
    Ok(0)
}
