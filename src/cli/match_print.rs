//! How `encours match` prints: tables in the user's language, CSV and JSON for scripts.

use super::output::{OutputFormat, print_csv, print_table};
use super::{Context, anyhow_like};
use crate::domain::matching::{Rule, words};
use crate::locale::{self, Language};
use crate::store::Store;
use crate::store::matching::{CreditSuggestions, RunSummary, StoredAllocation};
use std::collections::HashMap;
use std::io::Write;

fn rule_label(rule: Rule, lang: Language) -> &'static str {
    match lang {
        Language::Fr => rule.label_fr(),
        Language::En => rule.label(),
    }
}

pub(super) fn print_run(
    out: &mut dyn Write,
    ctx: &Context,
    store: &Store,
    s: &RunSummary,
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let currency = ctx.settings.general.currency;
    let money = |d| locale::money(d, currency, lang);
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, s)?;
            writeln!(out)?;
        }
        OutputFormat::Csv => {
            let header = ["section", "item", "count", "amount", "detail"].map(String::from);
            let mut rows: Vec<Vec<String>> = Vec::new();
            for (rule, t) in &s.by_rule {
                let row = [
                    "matched",
                    rule.as_str(),
                    &t.count.to_string(),
                    &t.amount.to_string(),
                    rule.label(),
                ];
                rows.push(row.map(String::from).to_vec());
            }
            for o in &s.overpayments {
                let row = [
                    "overpayment".into(),
                    format!("#{}", o.transaction_id),
                    String::new(),
                    o.left.to_string(),
                    String::new(),
                ];
                rows.push(row.to_vec());
            }
            for r in &s.reversals {
                let row = [
                    "reversal".into(),
                    format!("#{}", r.found.credit_id),
                    r.undone_allocations.len().to_string(),
                    String::new(),
                    r.found.reason.clone(),
                ];
                rows.push(row.to_vec());
            }
            for c in &s.left {
                let best = c
                    .suggestions
                    .first()
                    .map(|b| format!("{} ({})", b.invoice_number, b.score))
                    .unwrap_or_default();
                let row = [
                    "left".into(),
                    format!("#{}", c.transaction_id),
                    c.suggestions.len().to_string(),
                    c.left.to_string(),
                    best,
                ];
                rows.push(row.to_vec());
            }
            print_csv(out, &header, &rows)?;
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "{} {} · {} {}",
                s.credits_matched,
                lang.pick("crédit(s) bancaire(s) lettré(s)", "bank credit(s) matched"),
                s.allocation_ids.len(),
                lang.pick("imputation(s)", "allocation(s)")
            )?;
            if !s.by_rule.is_empty() {
                let header = [
                    lang.pick("règle", "rule"),
                    lang.pick("imputations", "allocations"),
                    lang.pick("montant", "amount"),
                ]
                .map(String::from);
                let rows: Vec<Vec<String>> = s
                    .by_rule
                    .iter()
                    .map(|(rule, t)| {
                        vec![
                            rule_label(*rule, lang).to_string(),
                            t.count.to_string(),
                            money(t.amount),
                        ]
                    })
                    .collect();
                print_table(out, &header, &rows)?;
            }
            if !s.overpayments.is_empty() {
                let total = s.overpayments.iter().map(|o| o.left).sum();
                writeln!(
                    out,
                    "{} {} ({})",
                    lang.pick(
                        "Trop-perçus laissés sur la ligne bancaire :",
                        "Over-payments kept on the bank line:"
                    ),
                    s.overpayments.len(),
                    money(total)
                )?;
            }
            for r in &s.reversals {
                writeln!(
                    out,
                    "{} #{}{} {} ({} {})",
                    lang.pick("Rejet", "Reversal"),
                    r.found.credit_id,
                    lang.pick(" :", ":"),
                    r.found.reason,
                    r.undone_allocations.len(),
                    lang.pick("imputation(s) annulée(s)", "allocation(s) undone")
                )?;
            }
            let total = s.left.iter().map(|c| c.left).sum();
            writeln!(
                out,
                "{} {} ({})",
                lang.pick("Reste à lettrer :", "Left to match:"),
                s.left.len(),
                money(total)
            )?;
            print_left(out, ctx, store, &s.left, 1)?;
        }
    }
    Ok(())
}

/// The credits left, each with its best `best` suggestion(s).
fn left_rows(
    ctx: &Context,
    store: &Store,
    list: &[CreditSuggestions],
    best: usize,
    plain: bool,
) -> anyhow_like::Result<Vec<Vec<String>>> {
    let names: HashMap<i64, (String, String)> = crate::store::ageing::customer_names(store.conn())?;
    let lang = ctx.lang;
    let money = |d, c| {
        if plain {
            format!("{d}")
        } else {
            locale::money(d, c, lang)
        }
    };
    let mut rows = Vec::new();
    for c in list {
        let who = c.counterparty_name.clone().unwrap_or_default();
        let base = vec![
            format!("#{}", c.transaction_id),
            if plain {
                c.date.to_string()
            } else {
                locale::date(c.date, lang)
            },
            money(c.left, c.currency),
            who,
            c.remittance.chars().take(40).collect(),
        ];
        if c.suggestions.is_empty() {
            let mut row = base.clone();
            row.extend([
                "-".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            rows.push(row);
        }
        for s in c.suggestions.iter().take(best) {
            let mut row = base.clone();
            let k = s.components;
            row.extend([
                s.invoice_number.clone(),
                names
                    .get(&s.customer_id)
                    .map(|n| n.1.clone())
                    .unwrap_or_default(),
                money(s.open, c.currency),
                s.score.to_string(),
                format!("{}/{}/{}/{}", k.reference, k.amount, k.payer, k.date),
                match lang {
                    Language::Fr => words::reason(k, lang),
                    Language::En => s.reason.clone(),
                },
            ]);
            rows.push(row);
        }
    }
    Ok(rows)
}

fn left_header(lang: Language) -> Vec<String> {
    [
        lang.pick("ligne", "tx"),
        "date",
        lang.pick("reste", "left"),
        lang.pick("contrepartie", "counterparty"),
        lang.pick("libellé", "text"),
        lang.pick("facture", "invoice"),
        lang.pick("client", "customer"),
        lang.pick("ouvert", "open"),
        "score",
        lang.pick("réf/mont/payeur/date", "ref/amt/payer/date"),
        lang.pick("pourquoi", "why"),
    ]
    .map(String::from)
    .to_vec()
}

fn print_left(
    out: &mut dyn Write,
    ctx: &Context,
    store: &Store,
    list: &[CreditSuggestions],
    best: usize,
) -> anyhow_like::Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    let rows = left_rows(ctx, store, list, best, false)?;
    print_table(out, &left_header(ctx.lang), &rows)?;
    Ok(())
}

pub(super) fn print_suggestions(
    out: &mut dyn Write,
    ctx: &Context,
    store: &Store,
    list: &[CreditSuggestions],
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, list)?;
            writeln!(out)?;
        }
        OutputFormat::Csv => print_csv(
            out,
            &left_header(Language::En),
            &left_rows(ctx, store, list, usize::MAX, true)?,
        )?,
        OutputFormat::Table => {
            writeln!(
                out,
                "{} {}",
                ctx.lang.pick("Crédits en attente :", "Credits waiting:"),
                list.len()
            )?;
            print_left(out, ctx, store, list, usize::MAX)?;
        }
    }
    Ok(())
}

pub(super) fn print_allocations(
    out: &mut dyn Write,
    ctx: &Context,
    rows: &[StoredAllocation],
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)?;
        }
        OutputFormat::Csv | OutputFormat::Table => {
            let header = [
                "id",
                lang.pick("ligne", "tx"),
                lang.pick("facture", "invoice"),
                lang.pick("montant", "amount"),
                lang.pick("règle", "rule"),
                lang.pick("annulée", "undone"),
                lang.pick("justification", "evidence"),
            ]
            .map(String::from);
            let table = format == OutputFormat::Table;
            let data: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        format!("#{}", r.id),
                        r.transaction_id
                            .map(|t| format!("#{t}"))
                            .unwrap_or_default(),
                        r.invoice_number.clone(),
                        if table {
                            locale::money(r.amount, ctx.settings.general.currency, lang)
                        } else {
                            r.amount.to_string()
                        },
                        r.rule.clone(),
                        r.undone_at.clone().unwrap_or_default(),
                        r.evidence.clone(),
                    ]
                })
                .collect();
            if table {
                print_table(out, &header, &data)?;
            } else {
                print_csv(out, &header, &data)?;
            }
        }
    }
    Ok(())
}
