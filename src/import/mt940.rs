//! SWIFT MT940 customer statements, as banks actually write them: with or without the SWIFT
//! envelope, several statements per file, pages of one statement joined by intermediate
//! (`M`) balances, amounts such as `9,` or `500`, and `:86:` in German, Dutch or free form.

mod fields;
mod info86;

use crate::domain::model::{AccountRef, Balance, NewBankTransaction, NewStatement, SourceLocation};
use crate::import::bank_common::{check_balances, counterparty_iban, looks_like_iban, warn_once};
use crate::import::text::clean_opt;
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext};
use fields::{Field, Item, Line61, RawBalance};

/// One statement (or page) as read, before pages are joined.
#[derive(Default)]
struct Page {
    line: usize,
    account: Option<AccountRef>,
    account_raw: String,
    opening: Option<RawBalance>,
    closing: Option<RawBalance>,
    transactions: Vec<NewBankTransaction>,
    /// Whether the last `:61:` already got its `:86:`.
    last_has_info: bool,
}

impl Page {
    fn is_empty(&self) -> bool {
        self.account.is_none() && self.opening.is_none() && self.transactions.is_empty()
    }
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut batch = ImportBatch::new(Format::Mt940);
    let mut pages: Vec<Page> = Vec::new();
    let mut page: Option<Page> = None;
    for item in fields::tokenize(text) {
        match item {
            Item::End => {
                if let Some(p) = page.take().filter(|p| !p.is_empty()) {
                    pages.push(p);
                }
            }
            Item::Field(field) => {
                if field.tag == "20"
                    && let Some(p) = page.take().filter(|p| !p.is_empty())
                {
                    pages.push(p);
                }
                let current = page.get_or_insert_with(|| Page {
                    line: field.line,
                    ..Default::default()
                });
                read_field(current, field, ctx, &mut batch)?;
            }
        }
    }
    if let Some(p) = page.take().filter(|p| !p.is_empty()) {
        pages.push(p);
    }
    if pages.is_empty() {
        return Err(
            ImportError::at_line(1, "no MT940 statement (:20: … :62F:) was found")
                .hint("check that the file is the bank's MT940/SWIFT statement export"),
        );
    }
    for statement in join_pages(pages, &mut batch)? {
        batch.statements.push(statement);
    }
    Ok(batch)
}

fn read_field(
    page: &mut Page,
    field: Field,
    ctx: &ParseContext,
    batch: &mut ImportBatch,
) -> ImportResult<()> {
    match field.tag.as_str() {
        "25" => {
            let raw = field.lines[0].trim().to_string();
            let account = fields::parse_account(&raw);
            if account.iban.is_none() && looks_like_iban(&raw.replace(' ', "")) {
                warn_once(
                    batch,
                    SourceLocation::Line(field.line),
                    format!(
                        "account '{raw}' has the shape of an IBAN but its check digits are wrong; it is kept as an account number"
                    ),
                );
            }
            page.account = Some(account);
            page.account_raw = raw;
        }
        "60F" | "60M" => page.opening = Some(fields::parse_balance(&field)?),
        "62F" | "62M" => page.closing = Some(fields::parse_balance(&field)?),
        "61" => {
            let line = fields::parse_61(&field)?;
            let currency = page
                .opening
                .as_ref()
                .map(|b| b.currency)
                .or(page.account.as_ref().and_then(|a| a.currency))
                .unwrap_or(ctx.default_currency);
            page.transactions
                .push(transaction(line, currency, field.line, batch));
            page.last_has_info = false;
        }
        "86" => {
            if page.last_has_info {
                return Ok(());
            }
            if let Some(tx) = page.transactions.last_mut() {
                apply_info(tx, &field, batch);
                page.last_has_info = true;
            }
        }
        _ => {}
    }
    Ok(())
}

fn transaction(
    line: Line61,
    currency: crate::domain::money::Currency,
    at: usize,
    batch: &mut ImportBatch,
) -> NewBankTransaction {
    let location = SourceLocation::Line(at);
    let mut tx = NewBankTransaction {
        booking_date: line.entry_date.unwrap_or(line.value_date),
        value_date: Some(line.value_date),
        amount: line.amount,
        currency,
        reversal: line.reversal,
        type_code: Some(line.type_code),
        bank_ref: line.bank_ref,
        location: location.clone(),
        ..Default::default()
    };
    // Some banks (ASN) put the counterparty's IBAN in the reference and the name in the
    // supplementary details; others (Rabobank) the IBAN in the supplementary details;
    // PostFinance an ESR reference there.
    if let Some(r) = &line.reference
        && looks_like_iban(r)
    {
        tx.counterparty_iban = counterparty_iban(r, &location, batch);
    }
    if let Some(sup) = &line.supplementary {
        let compact: String = sup.chars().filter(|c| !c.is_whitespace()).collect();
        if looks_like_iban(&compact) {
            if tx.counterparty_iban.is_none() {
                tx.counterparty_iban = counterparty_iban(&compact, &location, batch);
            }
        } else if compact.len() >= 16 && compact.chars().all(|c| c.is_ascii_digit()) {
            tx.structured_ref = Some(compact);
        } else if looks_like_name(sup) {
            tx.counterparty_name = clean_opt(sup);
        }
    }
    tx
}

fn apply_info(tx: &mut NewBankTransaction, field: &Field, batch: &mut ImportBatch) {
    let info = info86::parse_86(&field.lines);
    let location = SourceLocation::Line(field.line);
    if let Some(raw) = &info.counterparty_iban
        && let Some(iban) = counterparty_iban(raw, &location, batch)
    {
        tx.counterparty_iban = Some(iban);
    }
    if info.counterparty_name.is_some() {
        tx.counterparty_name = info.counterparty_name;
    }
    let mut remittance = info.remittance;
    if let Some(name) = &tx.counterparty_name {
        remittance = strip_echo(&remittance, name);
    }
    tx.remittance = remittance;
    if info.structured_ref.is_some() {
        tx.structured_ref = info.structured_ref;
    }
    tx.reversal |= info.reversal;
}

/// A legacy account number (`P001234567`) is one token with digits; a name is not.
fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    s.chars().any(char::is_alphabetic)
        && (s.contains(' ') || !s.chars().any(|c| c.is_ascii_digit()))
}

/// ASN repeats "IBAN name" at the head of the text, which adds nothing to the remittance.
fn strip_echo(remittance: &str, name: &str) -> String {
    let mut rest = remittance;
    if let Some((first, after)) = rest.split_once(' ')
        && looks_like_iban(first)
        && after.starts_with(name)
    {
        rest = after;
    }
    match rest.strip_prefix(name) {
        Some(after) if after.is_empty() || after.starts_with(' ') => after.trim_start().to_string(),
        _ => remittance.to_string(),
    }
}

/// Joins pages linked by intermediate balances (`:62M:` then `:60M:` on the same account):
/// the statement keeps the first page's opening and the last page's closing.
fn join_pages(pages: Vec<Page>, batch: &mut ImportBatch) -> ImportResult<Vec<NewStatement>> {
    let mut out: Vec<(usize, NewStatement, bool, String)> = Vec::new();
    for page in pages {
        let Some(account) = page.account.clone() else {
            return Err(
                ImportError::at_line(page.line, "the statement has no :25: account field")
                    .field(":25:")
                    .hint("the file looks cut or edited; export the statement again"),
            );
        };
        let continues = out.last().is_some_and(|(_, prev, prev_open_end, key)| {
            *prev_open_end
                && page.opening.as_ref().is_some_and(|o| o.intermediate)
                && *key == page.account_raw
                && prev.closing.is_some()
        });
        let to_balance = |b: &RawBalance| Balance {
            date: b.date,
            amount: b.amount,
            currency: b.currency,
        };
        let ends_open = page.closing.as_ref().is_some_and(|c| c.intermediate);
        if continues {
            if let Some((_, prev, open_end, _)) = out.last_mut() {
                if let (Some(prev_close), Some(open)) = (&prev.closing, &page.opening)
                    && prev_close.amount != open.amount
                {
                    batch.warn(
                        SourceLocation::Line(page.line),
                        format!(
                            "this page opens at {} but the previous page closed at {}",
                            open.amount, prev_close.amount
                        ),
                    );
                }
                prev.transactions.extend(page.transactions);
                prev.closing = page.closing.as_ref().map(to_balance);
                *open_end = ends_open;
            }
            continue;
        }
        let mut account = account;
        if account.currency.is_none() {
            account.currency = page
                .opening
                .as_ref()
                .or(page.closing.as_ref())
                .map(|b| b.currency);
        }
        out.push((
            page.line,
            NewStatement {
                account,
                opening: page.opening.as_ref().map(to_balance),
                closing: page.closing.as_ref().map(to_balance),
                transactions: page.transactions,
            },
            ends_open,
            page.account_raw,
        ));
    }
    let mut statements = Vec::with_capacity(out.len());
    for (line, statement, ends_open, _) in out {
        if ends_open {
            batch.warn(
                SourceLocation::Line(line),
                "the statement ends on an intermediate balance (:62M:): its next page is not in this file",
            );
        }
        check_balances(&statement, SourceLocation::Line(line), batch);
        statements.push(statement);
    }
    Ok(statements)
}
