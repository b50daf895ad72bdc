//! ISO 20022 bank-to-customer messages: CAMT.053 statements and CAMT.054 debit/credit
//! notifications, versions 001.02 to 001.08. One `<Stmt>` or `<Ntfctn>` becomes one
//! [`NewStatement`]; namespaces and prefixes are ignored, so every version reads the same way
//! (the differences that matter, such as `Dbtr/Nm` becoming `Dbtr/Pty/Nm`, are handled where
//! the field is read).

mod entry;
mod fields;
mod xml;

use crate::domain::model::{AccountRef, Balance, NewStatement, SourceLocation};
use crate::import::detect::Format;
use crate::import::{ImportBatch, ImportError, ImportResult, ParseContext};
use entry::{EntryOutcome, read_entry};
use rust_decimal::Decimal;
use xml::{Node, Tag, XmlStream};

const STATEMENT_MESSAGE: &str = "BkToCstmrStmt";
const NOTIFICATION_MESSAGE: &str = "BkToCstmrDbtCdtNtfctn";

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut xml = XmlStream::new(text);
    let root = loop {
        match xml.next()? {
            Tag::Start(name, _) => break name,
            Tag::Text(t) if t.trim().is_empty() => {}
            Tag::Eof => {
                return Err(ImportError::at_line(1, "the file holds no XML element")
                    .hint("export it again from the bank"));
            }
            _ => {
                return Err(ImportError::at_line(
                    xml.line(),
                    "the file does not start with a CAMT <Document> element",
                )
                .hint("export it again from the bank"));
            }
        }
    };
    xml.push(root);
    let mut batch = ImportBatch::new(Format::Camt053);
    let mut found = false;
    for_each_child(&mut xml, |xml, name, _| {
        if name == STATEMENT_MESSAGE || name == NOTIFICATION_MESSAGE {
            found = true;
            if name == NOTIFICATION_MESSAGE {
                batch.format = Some(Format::Camt054);
            }
            xml.push(name);
            read_message(xml, ctx, &mut batch)?;
            xml.pop();
            Ok(())
        } else {
            xml.skip()
        }
    })?;
    let path = xml.path();
    if !found {
        return Err(ImportError::at_path(
            path,
            format!("no <{STATEMENT_MESSAGE}> or <{NOTIFICATION_MESSAGE}> message in this document"),
        )
        .hint("only CAMT.053 statements and CAMT.054 notifications are read; ask the bank for the CAMT.053 end-of-day statement"));
    }
    if batch.statements.is_empty() {
        return Err(
            ImportError::at_path(path, "the message holds no <Stmt> or <Ntfctn>")
                .hint("export the statement again for a period with activity"),
        );
    }
    Ok(batch)
}

/// Calls `f` for each child element of the element just opened, with the child's start tag
/// read; `f` must consume the child (read it, collect it or skip it).
fn for_each_child(
    xml: &mut XmlStream<'_>,
    mut f: impl FnMut(&mut XmlStream<'_>, String, Option<String>) -> ImportResult<()>,
) -> ImportResult<()> {
    loop {
        match xml.next()? {
            Tag::Start(name, ccy) => f(xml, name, ccy)?,
            Tag::End => return Ok(()),
            Tag::Eof => return Err(xml.truncated()),
            Tag::Empty(..) | Tag::Text(_) => {}
        }
    }
}

fn read_message(
    xml: &mut XmlStream<'_>,
    ctx: &ParseContext,
    batch: &mut ImportBatch,
) -> ImportResult<()> {
    let mut count = 0usize;
    for_each_child(xml, |xml, name, _| {
        if name != "Stmt" && name != "Ntfctn" {
            return xml.skip();
        }
        count += 1;
        xml.push(format!("{name}[{count}]"));
        let statement = read_statement(xml, ctx, batch)?;
        xml.pop();
        batch.statements.push(statement);
        Ok(())
    })
}

/// What is known of a statement while its entries stream past.
struct StatementAcc {
    path: String,
    account: Option<AccountRef>,
    /// The opening balance, and whether it is the OPBD one (preferred over PRCD).
    opening: Option<(Balance, bool)>,
    closing: Option<Balance>,
    statement: NewStatement,
    /// Sum of the booked entries per their own currency, for the balance check.
    entry_sum: Decimal,
    entry_currencies: Vec<crate::domain::money::Currency>,
    balance_count: usize,
    entry_count: usize,
}

fn read_statement(
    xml: &mut XmlStream<'_>,
    ctx: &ParseContext,
    batch: &mut ImportBatch,
) -> ImportResult<NewStatement> {
    let mut acc = StatementAcc {
        path: xml.path(),
        account: None,
        opening: None,
        closing: None,
        statement: NewStatement::default(),
        entry_sum: Decimal::ZERO,
        entry_currencies: Vec::new(),
        balance_count: 0,
        entry_count: 0,
    };
    for_each_child(xml, |xml, name, ccy| match name.as_str() {
        "Acct" => {
            let node = xml.collect(name, ccy)?;
            let path = format!("{}/Acct", acc.path);
            acc.account = Some(fields::account(&node, &path, batch)?);
            Ok(())
        }
        "Bal" => {
            acc.balance_count += 1;
            let path = format!("{}/Bal[{}]", acc.path, acc.balance_count);
            xml.push(format!("Bal[{}]", acc.balance_count));
            let node = xml.collect(name, ccy)?;
            xml.pop();
            read_balance(&node, &path, ctx, &mut acc)
        }
        "Ntry" => {
            acc.entry_count += 1;
            let path = format!("{}/Ntry[{}]", acc.path, acc.entry_count);
            xml.push(format!("Ntry[{}]", acc.entry_count));
            let node = xml.collect(name, ccy)?;
            xml.pop();
            let currency = acc.account.as_ref().and_then(|a| a.currency);
            let default = currency.unwrap_or(ctx.default_currency);
            match read_entry(&node, &path, default, batch)? {
                EntryOutcome::Booked {
                    amount,
                    currency,
                    transactions,
                } => {
                    acc.entry_sum += amount;
                    if !acc.entry_currencies.contains(&currency) {
                        acc.entry_currencies.push(currency);
                    }
                    acc.statement.transactions.extend(transactions);
                }
                EntryOutcome::Skipped => {}
            }
            Ok(())
        }
        _ => xml.skip(),
    })?;
    let Some(account) = acc.account.take() else {
        return Err(
            ImportError::at_path(acc.path, "the statement names no account")
                .field("Acct")
                .hint("the <Acct> element is required: export the file again from the bank"),
        );
    };
    acc.statement.account = account;
    acc.statement.opening = acc.opening.take().map(|(b, _)| b);
    acc.statement.closing = acc.closing.take();
    check_balances(&acc, batch);
    Ok(acc.statement)
}

fn read_balance(
    node: &Node,
    path: &str,
    ctx: &ParseContext,
    acc: &mut StatementAcc,
) -> ImportResult<()> {
    // Only the booked balances frame the statement; available and interim ones are ignored.
    let code = node.text_at("Tp/CdOrPrtry/Cd").unwrap_or_default();
    let is_opbd = code == "OPBD";
    let wanted = match code {
        "OPBD" | "PRCD" => !matches!(acc.opening, Some((_, true))),
        "CLBD" => acc.closing.is_none(),
        _ => false,
    };
    if !wanted {
        return Ok(());
    }
    let default = acc
        .account
        .as_ref()
        .and_then(|a| a.currency)
        .unwrap_or(ctx.default_currency);
    let (amount, currency) = fields::signed_amount(node, path, default)?;
    let date =
        fields::date_choice(node.child("Dt"), &format!("{path}/Dt"), "Dt")?.ok_or_else(|| {
            ImportError::at_path(format!("{path}/Dt"), "the balance has no date")
                .field("Dt")
                .hint("export the file again from the bank")
        })?;
    let balance = Balance {
        date,
        amount,
        currency,
    };
    if code == "CLBD" {
        acc.closing = Some(balance);
    } else {
        acc.opening = Some((balance, is_opbd));
    }
    Ok(())
}

/// A statement whose entries do not lead from the opening to the closing balance is missing
/// lines (or holds extra ones): worth saying, not worth refusing.
fn check_balances(acc: &StatementAcc, batch: &mut ImportBatch) {
    let (Some(opening), Some(closing)) = (&acc.statement.opening, &acc.statement.closing) else {
        return;
    };
    let same_currency = opening.currency == closing.currency
        && acc.entry_currencies.iter().all(|c| *c == opening.currency);
    if !same_currency {
        return;
    }
    let computed = opening.amount + acc.entry_sum;
    if computed != closing.amount {
        batch.warn(
            SourceLocation::XmlPath(acc.path.clone()),
            format!(
                "opening balance {} {cur} plus the entries ({}) gives {} {cur}, but the closing balance is {} {cur}: entries may be missing",
                opening.amount,
                acc.entry_sum,
                computed,
                closing.amount,
                cur = closing.currency
            ),
        );
    }
}
