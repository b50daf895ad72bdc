//! `encours report figures|signals|queue`: the intelligence as tables, CSV or JSON.

use super::output::{OutputFormat, print_csv, print_table};
use super::report::ReportArgs;
use super::{Context, anyhow_like};
use crate::domain::figures::KeyFigures;
use crate::domain::signals::{Assessment, format_number};
use crate::locale::{self, Language};
use crate::policy::Dunning;
use crate::store::intel::Params;
use rust_decimal::Decimal;
use std::io::Write;

pub fn load_dunning(ctx: &Context) -> anyhow_like::Result<Dunning> {
    Ok(crate::policy::load(&ctx.settings.dunning)?)
}

pub fn figures(ctx: &Context, args: &ReportArgs) -> anyhow_like::Result<i32> {
    let store = ctx.open_store()?;
    let dunning = load_dunning(ctx)?;
    let p = Params::new(&ctx.settings, &dunning, ctx.lang);
    let k = crate::store::intel::figures::key_figures(
        store.conn(),
        &p,
        args.as_of.unwrap_or(ctx.today),
    )?;
    let mut out = std::io::stdout().lock();
    print_figures(&mut out, ctx, &k, args.format)?;
    Ok(0)
}

fn days(d: Option<Decimal>, lang: Language) -> String {
    d.map(|d| format!("{} {}", format_number(d, 1, lang), lang.pick("j", "days")))
        .unwrap_or_else(|| "-".into())
}

fn pct(d: Option<Decimal>, lang: Language) -> String {
    d.map(|d| format!("{} %", format_number(d, 1, lang)))
        .unwrap_or_else(|| "-".into())
}

pub fn print_figures(
    out: &mut dyn Write,
    ctx: &Context,
    k: &KeyFigures,
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    if format == OutputFormat::Json {
        serde_json::to_writer_pretty(&mut *out, k)?;
        writeln!(out)?;
        return Ok(());
    }
    let lang = ctx.lang;
    let cur = ctx.settings.general.currency;
    let m = |d: Decimal| match format {
        OutputFormat::Table => locale::money(d, cur, lang),
        _ => d.round_dp(2).to_string(),
    };
    let plain = |d: Option<Decimal>| d.map(|d| d.round_dp(2).to_string()).unwrap_or_default();
    let table = format == OutputFormat::Table;
    let n = &k.net_cash;
    let rows: Vec<Vec<String>> = vec![
        vec![
            lang.pick("encours clients", "open receivables").into(),
            m(k.open),
        ],
        vec![lang.pick("échu", "overdue").into(), m(k.overdue)],
        vec![
            lang.pick("taux d'échu", "overdue ratio").into(),
            if table {
                pct(k.overdue_ratio.map(|r| r * Decimal::ONE_HUNDRED), lang)
            } else {
                plain(k.overdue_ratio)
            },
        ],
        vec![
            lang.pick("DSO (méthode par épuisement)", "DSO (countback)")
                .into(),
            if table {
                format!(
                    "{}{}",
                    days(Some(k.dso_countback.days), lang),
                    if k.dso_countback.complete {
                        ""
                    } else {
                        lang.pick(" (au moins)", " (at least)")
                    }
                )
            } else {
                plain(Some(k.dso_countback.days))
            },
        ],
        vec![
            lang.pick("DSO (simple, 90 jours)", "DSO (simple, 90 days)")
                .into(),
            if table {
                days(k.dso_simple, lang)
            } else {
                plain(k.dso_simple)
            },
        ],
        vec![
            lang.pick("retard moyen pondéré", "average days late, weighted")
                .into(),
            if table {
                format!(
                    "{} ({} {}{}France {})",
                    days(k.average_days_late, lang),
                    k.lateness.invoices,
                    lang.pick("factures payées", "invoices paid"),
                    lang.pick(" ; ", "; "),
                    days(Some(k.france_average_days_late), lang)
                )
            } else {
                plain(k.average_days_late)
            },
        ],
        vec![
            "CEI".into(),
            if table {
                pct(k.cei, lang)
            } else {
                plain(k.cei)
            },
        ],
        vec![
            lang.pick("soldes bancaires", "bank balances").into(),
            m(n.bank_balances),
        ],
        vec![
            lang.pick(
                "dettes fournisseurs à 30 jours",
                "payables due within 30 days",
            )
            .into(),
            m(n.payables_due),
        ],
        vec![
            lang.pick("crédit court terme utilisé", "short-term credit drawn")
                .into(),
            m(n.short_term_credit),
        ],
        vec![
            lang.pick("autres dettes court terme", "other short-term debts")
                .into(),
            m(n.other_debts),
        ],
        vec![
            lang.pick("trésorerie nette", "net cash").into(),
            if table && n.alert {
                format!("{} {}", m(n.net), lang.pick("ALERTE", "ALERT"))
            } else {
                m(n.net)
            },
        ],
        vec![
            format!(
                "{} {} %",
                lang.pick(
                    "ventes pour compenser l'échu à une marge de",
                    "sales to make up the overdue at a margin of"
                ),
                format_number(k.net_margin_percent, 1, lang)
            ),
            k.overdue_sales_needed.map(m).unwrap_or_default(),
        ],
    ];
    let header = vec![
        lang.pick("indicateur", "figure").to_string(),
        lang.pick("valeur", "value").to_string(),
    ];
    if table {
        writeln!(
            out,
            "{} {}",
            lang.pick("Indicateurs au", "Key figures as of"),
            locale::date(k.as_of, lang)
        )?;
        print_table(out, &header, &rows)?;
        if !k.costliest_unpaid.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                lang.pick(
                    "Coût des plus gros impayés (ventes nécessaires pour les compenser)",
                    "Cost of the largest unpaid invoices (sales needed to make them up)"
                )
            )?;
            let header: Vec<String> = [
                lang.pick("facture", "invoice"),
                lang.pick("client", "customer"),
                lang.pick("retard", "late"),
                lang.pick("ouvert", "open"),
                lang.pick("ventes nécessaires", "sales needed"),
            ]
            .into_iter()
            .map(String::from)
            .collect();
            let rows: Vec<Vec<String>> = k
                .costliest_unpaid
                .iter()
                .map(|u| {
                    vec![
                        u.number.clone(),
                        u.customer.clone(),
                        u.days_late.to_string(),
                        m(u.open),
                        m(u.sales_needed),
                    ]
                })
                .collect();
            print_table(out, &header, &rows)?;
        }
    } else {
        print_csv(out, &header, &rows)?;
    }
    Ok(())
}

pub fn signals(ctx: &Context, args: &ReportArgs) -> anyhow_like::Result<i32> {
    let store = ctx.open_store()?;
    let dunning = load_dunning(ctx)?;
    let p = Params::new(&ctx.settings, &dunning, ctx.lang);
    let as_of = args.as_of.unwrap_or(ctx.today);
    let all = crate::store::intel::signals::assess_all(store.conn(), &p, as_of)?;
    let mut out = std::io::stdout().lock();
    print_signals(&mut out, ctx, &all, as_of, args.format)?;
    Ok(0)
}

/// An assessment with its sentences, for JSON readers that do not know the rules.
pub fn assessment_json(a: &Assessment, ctx: &Context) -> serde_json::Value {
    let cur = ctx.settings.general.currency;
    let mut v = serde_json::to_value(a).unwrap_or_default();
    if let Some(list) = v.get_mut("signals").and_then(|s| s.as_array_mut()) {
        for (json, s) in list.iter_mut().zip(&a.signals) {
            json["sentence"] = s.sentence(ctx.lang, cur).into();
        }
    }
    v
}

pub fn print_signals(
    out: &mut dyn Write,
    ctx: &Context,
    all: &[Assessment],
    as_of: chrono::NaiveDate,
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let cur = ctx.settings.general.currency;
    match format {
        OutputFormat::Json => {
            let list: Vec<_> = all.iter().map(|a| assessment_json(a, ctx)).collect();
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({ "as_of": as_of, "customers": list }),
            )?;
            writeln!(out)?;
        }
        OutputFormat::Csv => {
            let header: Vec<String> = [
                "code", "customer", "grade", "score", "exposure", "signal", "weight", "sentence",
            ]
            .into_iter()
            .map(String::from)
            .collect();
            let mut rows = Vec::new();
            for a in all.iter().filter(|a| !a.signals.is_empty()) {
                for s in &a.signals {
                    rows.push(vec![
                        a.code.clone(),
                        a.name.clone(),
                        a.grade.as_str().into(),
                        a.score.to_string(),
                        a.exposure.to_string(),
                        s.kind.key().into(),
                        s.weight.to_string(),
                        s.sentence(lang, cur),
                    ]);
                }
            }
            print_csv(out, &header, &rows)?;
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "{} {}",
                lang.pick("Signaux faibles au", "Weak signals as of"),
                locale::date(as_of, lang)
            )?;
            let flagged: Vec<&Assessment> = all.iter().filter(|a| !a.signals.is_empty()).collect();
            if flagged.is_empty() {
                writeln!(out, "{}", lang.pick("Aucun signal.", "No signal."))?;
            }
            for a in flagged {
                let limit = a
                    .credit_limit
                    .map(|l| {
                        format!(
                            ", {} {}",
                            lang.pick("plafond", "limit"),
                            locale::money(l, cur, lang)
                        )
                    })
                    .unwrap_or_default();
                writeln!(
                    out,
                    "\n{} {} - {} {} (score {}), {} {}{limit}",
                    a.code,
                    a.name,
                    lang.pick("risque", "risk"),
                    a.grade.as_str(),
                    a.score,
                    lang.pick("encours", "exposure"),
                    locale::money(a.exposure, cur, lang)
                )?;
                for s in &a.signals {
                    writeln!(
                        out,
                        "  - {} (+{}){}{}",
                        s.kind.label(lang),
                        s.weight,
                        lang.pick(" : ", ": "),
                        s.sentence(lang, cur)
                    )?;
                }
            }
        }
    }
    Ok(())
}
