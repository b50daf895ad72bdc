//! How `report forecast` prints: the opening position, the periods (scenarios side by side),
//! the lowest point and the risk periods with their causes, net cash and receivables.

use super::Context;
use super::anyhow_like;
use super::output::{OutputFormat, print_csv, print_table};
use crate::domain::forecast::{Cause, CauseKind, Forecast, Period, ScenarioKind};
use crate::locale::{self, Language};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Write;

pub(super) fn money(ctx: &Context, amount: Decimal) -> String {
    locale::money(amount, ctx.settings.general.currency, ctx.lang)
}

pub(super) fn short(ctx: &Context, amount: Decimal) -> String {
    locale::money_short(amount, ctx.settings.general.currency, ctx.lang)
}

pub(super) fn date(ctx: &Context, d: NaiveDate) -> String {
    locale::date(d, ctx.lang)
}

fn scenario_name(lang: Language, kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::Expected => lang.pick("attendu", "expected"),
        ScenarioKind::Prudent => lang.pick("prudent", "prudent"),
        ScenarioKind::Optimistic => lang.pick("optimiste", "optimistic"),
        ScenarioKind::Custom => lang.pick("personnalisé", "custom"),
    }
}

fn kind_name(lang: Language, kind: crate::domain::forecast::OutflowKind) -> &'static str {
    use crate::domain::forecast::OutflowKind as K;
    match kind {
        K::Payroll => lang.pick("paie", "payroll"),
        K::Rent => lang.pick("loyer", "rent"),
        K::Vat => lang.pick("TVA", "VAT"),
        K::Social => lang.pick("charges sociales", "social charges"),
        K::Loan => lang.pick("emprunt", "loan"),
        K::Other => lang.pick("autre", "other"),
        K::Supplier => lang.pick("fournisseur", "supplier"),
    }
}

/// A short tag for the risk column, so that four scenarios fit on one line.
fn scenario_tag(lang: Language, kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::Expected => lang.pick("att", "exp"),
        ScenarioKind::Prudent => "pru",
        ScenarioKind::Optimistic => "opt",
        ScenarioKind::Custom => "pers",
    }
}

fn period_label(ctx: &Context, p: &Period) -> String {
    if p.daily {
        const FR: [&str; 7] = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let i = p.start.weekday().num_days_from_monday() as usize;
        format!("{} {}", ctx.lang.pick(FR[i], EN[i]), date(ctx, p.start))
    } else {
        format!("{} – {}", date(ctx, p.start), date(ctx, p.end))
    }
}

/// Accounts whose bank data is older than `bank.stale_after_days` before the as-of date.
pub fn stale_notes(ctx: &Context, f: &Forecast) -> Vec<String> {
    let limit = i64::from(ctx.settings.bank.stale_after_days);
    f.opening
        .accounts
        .iter()
        .filter(|a| (f.as_of - a.date).num_days() > limit)
        .map(|a| match ctx.lang {
            Language::Fr => format!(
                "le compte {} n'est connu que jusqu'au {} : les mouvements depuis manquent à la position d'ouverture",
                a.key,
                date(ctx, a.date)
            ),
            Language::En => format!(
                "account {} is only known up to {}: movements since then are missing from the opening position",
                a.key,
                date(ctx, a.date)
            ),
        })
        .collect()
}

pub fn forecast(
    out: &mut dyn Write,
    ctx: &Context,
    f: &Forecast,
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, f)?;
            writeln!(out)?;
        }
        OutputFormat::Csv => {
            let header: Vec<String> = [
                "scenario",
                "start",
                "end",
                "daily",
                "inflow",
                "doubtful_inflow",
                "outflow",
                "balance",
                "lowest_balance",
                "at_risk",
            ]
            .map(String::from)
            .to_vec();
            let rows: Vec<Vec<String>> = f
                .scenarios
                .iter()
                .flat_map(|s| {
                    s.periods.iter().map(|p| {
                        vec![
                            s.scenario.kind.as_str().to_string(),
                            p.start.to_string(),
                            p.end.to_string(),
                            p.daily.to_string(),
                            p.inflow.to_string(),
                            p.doubtful_inflow.to_string(),
                            p.outflow.to_string(),
                            p.balance.to_string(),
                            p.lowest_balance.to_string(),
                            p.at_risk.to_string(),
                        ]
                    })
                })
                .collect();
            print_csv(out, &header, &rows)?;
        }
        OutputFormat::Table => table(out, ctx, f)?,
    }
    Ok(())
}

fn table(out: &mut dyn Write, ctx: &Context, f: &Forecast) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    writeln!(
        out,
        "{} {} ({} {})",
        lang.pick("Prévision de trésorerie au", "Cash forecast as of"),
        date(ctx, f.as_of),
        lang.pick("jusqu'au", "up to"),
        date(ctx, f.horizon_end)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        lang.pick("Position d'ouverture", "Opening position")
    )?;
    let header: Vec<String> = [
        lang.pick("compte", "account"),
        lang.pick("au", "as of"),
        lang.pick("solde", "balance"),
        lang.pick("source", "source"),
    ]
    .map(String::from)
    .to_vec();
    let mut rows: Vec<Vec<String>> = f
        .opening
        .accounts
        .iter()
        .map(|a| {
            let source = match (a.in_total, a.source) {
                (false, _) => {
                    lang.pick("autre devise, non additionné", "other currency, not summed")
                }
                (_, crate::domain::forecast::BalanceSource::Closing) => {
                    lang.pick("solde de clôture", "closing balance")
                }
                (_, crate::domain::forecast::BalanceSource::OpeningPlusTransactions) => {
                    lang.pick("solde d'ouverture + mouvements", "opening + transactions")
                }
                (_, crate::domain::forecast::BalanceSource::TransactionsOnly) => lang.pick(
                    "mouvements seuls, sans solde",
                    "transactions only, no balance",
                ),
            };
            let name = a
                .name
                .as_ref()
                .map_or(a.key.clone(), |n| format!("{n} ({})", a.key));
            vec![
                name,
                date(ctx, a.date),
                locale::money(a.balance, a.currency, lang),
                source.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        "TOTAL".into(),
        f.opening.date.map(|d| date(ctx, d)).unwrap_or_default(),
        money(ctx, f.opening.total),
        String::new(),
    ]);
    print_table(out, &header, &rows)?;
    writeln!(out)?;
    periods(out, ctx, f)?;
    writeln!(out)?;
    risks(out, ctx, f)?;
    writeln!(out)?;
    figures(out, ctx, f)?;
    for note in &f.notes {
        writeln!(out, "! {note}")?;
    }
    Ok(())
}

fn periods(out: &mut dyn Write, ctx: &Context, f: &Forecast) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let Some(first) = f.scenarios.first() else {
        return Ok(());
    };
    let risk_mark = |i: usize| -> String {
        let marks: Vec<&str> = f
            .scenarios
            .iter()
            .filter(|s| s.periods.get(i).is_some_and(|p| p.at_risk))
            .map(|s| scenario_tag(lang, s.scenario.kind))
            .collect();
        if marks.is_empty() {
            String::new()
        } else if f.scenarios.len() == 1 {
            "<<".into()
        } else {
            format!("<< {}", marks.join(" "))
        }
    };
    let (header, rows): (Vec<String>, Vec<Vec<String>>) = if f.scenarios.len() == 1 {
        let header = [
            lang.pick("période", "period"),
            lang.pick("encaissements", "inflow"),
            lang.pick("douteux", "doubtful"),
            lang.pick("décaissements", "outflow"),
            lang.pick("solde", "balance"),
            lang.pick("plus bas", "lowest"),
            lang.pick("risque", "risk"),
        ]
        .map(String::from)
        .to_vec();
        let rows = first
            .periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    period_label(ctx, p),
                    short(ctx, p.inflow),
                    short(ctx, p.doubtful_inflow),
                    short(ctx, p.outflow),
                    short(ctx, p.balance),
                    short(ctx, p.lowest_balance),
                    risk_mark(i),
                ]
            })
            .collect();
        (header, rows)
    } else {
        let mut header = vec![
            lang.pick("période", "period").to_string(),
            lang.pick("décaiss.", "outflow").to_string(),
        ];
        // A scenario that drops outflows gets its own outflow column.
        let own_outflow =
            |s: &crate::domain::forecast::ScenarioForecast| !s.scenario.toggles.drop.is_empty();
        for s in &f.scenarios {
            let name = scenario_name(lang, s.scenario.kind);
            if own_outflow(s) {
                header.push(format!("{} {name}", lang.pick("décaiss.", "out")));
            }
            header.push(format!("{} {name}", lang.pick("encaiss.", "in")));
            header.push(format!("{} {name}", lang.pick("solde", "balance")));
        }
        header.push(lang.pick("risque", "risk").into());
        let rows = first
            .periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut row = vec![period_label(ctx, p), short(ctx, p.outflow)];
                for s in &f.scenarios {
                    if let Some(q) = s.periods.get(i) {
                        if own_outflow(s) {
                            row.push(short(ctx, q.outflow));
                        }
                        row.push(short(ctx, q.inflow + q.doubtful_inflow));
                        row.push(short(ctx, q.balance));
                    }
                }
                row.push(risk_mark(i));
                row
            })
            .collect();
        (header, rows)
    };
    print_table(out, &header, &rows)?;
    if f.scenarios.iter().any(|s| !s.scenario.toggles.is_empty()) {
        writeln!(
            out,
            "{}",
            lang.pick(
                "(personnalisé = attendu avec vos ajustements --push / --drop)",
                "(custom = expected with your --push / --drop toggles)"
            )
        )?;
    }
    Ok(())
}

fn cause_line(ctx: &Context, c: &Cause) -> String {
    let lang = ctx.lang;
    let late = ctx.settings.forecast.doubtful_after_days;
    let when = c.date.map(|d| date(ctx, d));
    match c.kind {
        CauseKind::Outflow { kind } => format!(
            "{} ({}) {} {} {}",
            c.label,
            kind_name(lang, kind),
            money(ctx, c.amount),
            lang.pick("le", "on"),
            when.unwrap_or_default()
        ),
        CauseKind::LateReceipt => format!(
            "{} {}{}{} {} {}, {} {}",
            lang.pick("encaissement tardif", "late receipt"),
            c.label,
            lang.pick(" : ", ": "),
            money(ctx, c.amount),
            lang.pick("dû le", "due"),
            c.due.map(|d| date(ctx, d)).unwrap_or_default(),
            lang.pick("attendu le", "expected"),
            when.unwrap_or_else(|| lang.pick("hors horizon", "beyond the horizon").into())
        ),
        CauseKind::DoubtfulReceipt => format!(
            "{} {}{}{} {} {}",
            lang.pick("créance douteuse", "doubtful receipt"),
            c.label,
            lang.pick(" : ", ": "),
            money(ctx, c.amount),
            match lang {
                Language::Fr => format!("non compté (litige ou retard > {late} j), échéance"),
                Language::En => format!("not counted (disputed or > {late} days late), due"),
            },
            c.due.map(|d| date(ctx, d)).unwrap_or_default()
        ),
        CauseKind::OpeningBelowThreshold => format!(
            "{} ({} {})",
            lang.pick(
                "solde d'ouverture déjà sous le seuil",
                "opening balance already below the threshold"
            ),
            money(ctx, c.amount),
            lang.pick("manquants", "short")
        ),
    }
}

fn risks(out: &mut dyn Write, ctx: &Context, f: &Forecast) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    writeln!(out, "{}", lang.pick("Point bas", "Lowest point"))?;
    for s in &f.scenarios {
        if let Some(low) = s.lowest {
            writeln!(
                out,
                "  {:<12} {} {} {}",
                scenario_name(lang, s.scenario.kind),
                money(ctx, low.balance),
                lang.pick("le", "on"),
                date(ctx, low.date)
            )?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} {}",
        lang.pick("Périodes à risque, sous", "Risk periods, below"),
        money(ctx, f.alert_threshold)
    )?;
    for s in &f.scenarios {
        let name = scenario_name(lang, s.scenario.kind);
        if s.risk_periods.is_empty() {
            writeln!(out, "  {name}: {}", lang.pick("aucune", "none"))?;
        }
        for r in &s.risk_periods {
            writeln!(
                out,
                "  {name}: {} → {}, {} {} {} {} ({} {})",
                date(ctx, r.start),
                date(ctx, r.end),
                lang.pick("plus bas", "lowest"),
                money(ctx, r.lowest_balance),
                lang.pick("le", "on"),
                date(ctx, r.lowest_date),
                money(ctx, r.shortfall),
                lang.pick("manquants", "short")
            )?;
            for c in &r.causes {
                writeln!(out, "      - {}", cause_line(ctx, c))?;
            }
        }
    }
    Ok(())
}

fn figures(out: &mut dyn Write, ctx: &Context, f: &Forecast) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let n = &f.net_cash;
    writeln!(
        out,
        "{} {} = {} {} − {} {} − {} {}{}",
        lang.pick("Trésorerie nette", "Net cash"),
        money(ctx, n.net),
        lang.pick("banque", "bank"),
        money(ctx, n.bank),
        lang.pick("fournisseurs à 30 jours", "payables due within 30 days"),
        money(ctx, n.payables_due),
        lang.pick("crédit court terme", "short-term credit"),
        money(ctx, n.short_term_debt),
        if n.alert {
            lang.pick("  << ALERTE", "  << ALERT")
        } else {
            ""
        }
    )?;
    let r = &f.receivables;
    writeln!(
        out,
        "{} {} ({} {}, {} {}); {} {}",
        lang.pick(
            "BFR, part clients : créances",
            "Working capital, receivables part:"
        ),
        money(ctx, r.open),
        lang.pick("dont échu", "overdue"),
        money(ctx, r.overdue),
        lang.pick("douteux", "doubtful"),
        money(ctx, r.doubtful),
        lang.pick(
            "dettes fournisseurs dans l'horizon",
            "payables within the horizon"
        ),
        money(ctx, f.payables_in_horizon)
    )?;
    if !f.doubtful.is_empty() {
        writeln!(
            out,
            "{} {} %):",
            lang.pick(
                "Créances douteuses, comptées à part (probabilité",
                "Doubtful receipts, counted apart (probability"
            ),
            (f.doubtful_probability * Decimal::from(100)).normalize()
        )?;
        for d in f.doubtful.iter().take(10) {
            writeln!(out, "  {:<40} {}", d.name, money(ctx, d.amount))?;
        }
        if f.doubtful.len() > 10 {
            writeln!(
                out,
                "  … {} {}",
                f.doubtful.len() - 10,
                lang.pick("autres", "more")
            )?;
        }
    }
    if !f.biggest_debtors.is_empty() {
        let names: Vec<String> = f
            .biggest_debtors
            .iter()
            .map(|d| format!("{} ({})", d.name, short(ctx, d.amount)))
            .collect();
        writeln!(
            out,
            "{} {}",
            lang.pick(
                "Plus gros débiteurs (prudent : encore plus tard) :",
                "Biggest debtors (prudent: later still):"
            ),
            names.join(", ")
        )?;
    }
    let mut per_item: BTreeMap<&str, (usize, Decimal)> = BTreeMap::new();
    for o in f
        .outflows
        .iter()
        .filter(|o| o.kind != crate::domain::forecast::OutflowKind::Supplier)
    {
        let e = per_item.entry(o.label.as_str()).or_default();
        e.0 += 1;
        e.1 += o.amount;
    }
    if !per_item.is_empty() {
        let items: Vec<String> = per_item
            .iter()
            .map(|(name, (n, total))| format!("{name} {n}× = {}", short(ctx, *total)))
            .collect();
        writeln!(
            out,
            "{} {}",
            lang.pick(
                "Décaissements récurrents (config) :",
                "Recurring outflows (config):"
            ),
            items.join("; ")
        )?;
    }
    Ok(())
}
