//! OFX bank and credit-card statements, 1.x (SGML) and 2.x (XML). Each `STMTRS` or
//! `CCSTMTRS` becomes one [`NewStatement`]; `LEDGERBAL` is its closing balance. Tags this
//! reader does not use (investment messages, bank-specific extensions) are ignored.

mod sgml;

use crate::domain::model::{AccountRef, Balance, NewBankTransaction, NewStatement, SourceLocation};
use crate::domain::money::Currency;
use crate::import::detect::Format;
use crate::import::text::{
    DecimalStyle, clean, clean_opt, normalise_iban, parse_amount, parse_date,
};
use crate::import::{ImportBatch, ImportError, ImportResult, ParseContext};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sgml::Element;

const FIX_HINT: &str = "export the file again from the bank, or fix the value";

/// Aggregates whose leaves this reader uses: a leaf belongs to the innermost one open.
const CONTEXTS: [&str; 9] = [
    "STMTRS",
    "CCSTMTRS",
    "BANKACCTFROM",
    "CCACCTFROM",
    "BANKTRANLIST",
    "STMTTRN",
    "LEDGERBAL",
    "CURRENCY",
    "PAYEE",
];

/// Aggregates whose leaves share names with ours (`BALAMT`, `ACCTID`, `CURSYM`) and must not
/// be read as the statement's or the transaction's own.
const FOREIGN: [&str; 7] = [
    "AVAILBAL",
    "BALLIST",
    "BANKACCTTO",
    "CCACCTTO",
    "ORIGCURRENCY",
    "INV401KBAL",
    "INVBAL",
];

#[derive(Default)]
struct Leaf {
    value: String,
    line: usize,
}

#[derive(Default)]
struct TxAcc {
    line: usize,
    fields: Vec<(String, Leaf)>,
    currency: Option<String>,
}

impl TxAcc {
    fn get(&self, name: &str) -> Option<&Leaf> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, l)| l)
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).and_then(|l| clean_opt(&l.value))
    }
}

#[derive(Default)]
struct StmtAcc {
    line: usize,
    curdef: Option<String>,
    acct_id: Option<String>,
    bank_id: Option<String>,
    ledger_amount: Option<Leaf>,
    ledger_date: Option<Leaf>,
    list_end: Option<Leaf>,
    transactions: Vec<NewBankTransaction>,
    used_default_currency: bool,
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let (elements, unclosed) = sgml::read(text)?;
    // OFX closes every aggregate, even in SGML, so one left open means the file was cut
    // short and lines may be missing.
    let cut_short = unclosed
        .iter()
        .find(|(n, _)| n == "STMTRS" || n == "CCSTMTRS")
        .or(unclosed.first());
    if let Some((name, line)) = cut_short {
        return Err(ImportError::at_line(
            *line,
            format!("the file ends before <{name}>, opened here, is closed"),
        )
        .hint("the file looks truncated: export it again from the bank"));
    }
    let mut batch = ImportBatch::new(Format::Ofx);
    let mut stack: Vec<String> = Vec::new();
    let mut stmt: Option<StmtAcc> = None;
    let mut tx: Option<TxAcc> = None;
    for element in elements {
        match element {
            Element::Open { name, line } => {
                let nested = match name.as_str() {
                    "STMTRS" | "CCSTMTRS" => stmt.is_some(),
                    "STMTTRN" => tx.is_some(),
                    _ => false,
                };
                if nested {
                    // Reading on would silently drop what the outer one held.
                    return Err(ImportError::at_line(
                        line,
                        format!("<{name}> starts before the previous one is closed"),
                    )
                    .hint("the file looks damaged: export it again from the bank"));
                }
                match name.as_str() {
                    "STMTRS" | "CCSTMTRS" => {
                        stmt = Some(StmtAcc {
                            line,
                            ..StmtAcc::default()
                        })
                    }
                    "STMTTRN" if stmt.is_some() => {
                        tx = Some(TxAcc {
                            line,
                            ..TxAcc::default()
                        })
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Element::Close { name, .. } => {
                stack.pop();
                match name.as_str() {
                    "STMTTRN" => {
                        if let (Some(done), Some(s)) = (tx.take(), stmt.as_mut()) {
                            let t = transaction(done, s, ctx, &mut batch)?;
                            s.transactions.push(t);
                        }
                    }
                    "STMTRS" | "CCSTMTRS" => {
                        if let Some(done) = stmt.take() {
                            let s = statement(done, ctx, &mut batch)?;
                            batch.statements.push(s);
                        }
                    }
                    _ => {}
                }
            }
            Element::Leaf { name, value, line } => {
                let leaf = Leaf { value, line };
                let context = stack
                    .iter()
                    .rev()
                    .find(|n| CONTEXTS.contains(&n.as_str()) || FOREIGN.contains(&n.as_str()))
                    .map(String::as_str);
                match (context, name.as_str(), stmt.as_mut(), tx.as_mut()) {
                    (Some("STMTRS" | "CCSTMTRS"), "CURDEF", Some(s), _) => {
                        s.curdef = clean_opt(&leaf.value)
                    }
                    (Some("BANKACCTFROM" | "CCACCTFROM"), "ACCTID", Some(s), _) => {
                        s.acct_id = clean_opt(&leaf.value)
                    }
                    (Some("BANKACCTFROM"), "BANKID", Some(s), _) => {
                        s.bank_id = clean_opt(&leaf.value)
                    }
                    (Some("BANKTRANLIST"), "DTEND", Some(s), _) => s.list_end = Some(leaf),
                    (Some("LEDGERBAL"), "BALAMT", Some(s), _) => s.ledger_amount = Some(leaf),
                    (Some("LEDGERBAL"), "DTASOF", Some(s), _) => s.ledger_date = Some(leaf),
                    (Some("CURRENCY"), "CURSYM", _, Some(t)) => t.currency = clean_opt(&leaf.value),
                    (Some("PAYEE"), "NAME", _, Some(t)) if t.get("NAME").is_none() => {
                        t.fields.push((name, leaf))
                    }
                    (Some("STMTTRN"), _, _, Some(t)) => t.fields.push((name, leaf)),
                    _ => {}
                }
            }
        }
    }
    if batch.statements.is_empty() {
        return Err(ImportError::at_line(
            1,
            "this OFX file holds no bank (STMTRS) or credit-card (CCSTMTRS) statement",
        )
        .hint("export the account statement from the bank; investment statements are not read"));
    }
    Ok(batch)
}

/// `20090401122017.000[-5:EST]`, `20180804093914:014`, `20170311`: the first eight digits
/// are the date where the bank is, which is the day the bank booked it.
fn ofx_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let head = s.get(..8)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_date(head, true)
}

fn date_field(leaf: &Leaf, field: &str) -> ImportResult<NaiveDate> {
    ofx_date(&leaf.value).ok_or_else(|| {
        ImportError::at_line(leaf.line, format!("\"{}\" is not a date", leaf.value))
            .field(field)
            .hint("OFX dates are written like 20240331 or 20240331120000; export the file again from the bank")
    })
}

fn amount_field(leaf: &Leaf, field: &str) -> ImportResult<Decimal> {
    parse_amount(&leaf.value, DecimalStyle::Auto).ok_or_else(|| {
        ImportError::at_line(leaf.line, format!("\"{}\" is not an amount", leaf.value))
            .field(field)
            .hint(FIX_HINT)
    })
}

fn currency_field(code: &str, line: usize, field: &str) -> ImportResult<Currency> {
    Currency::parse(code).ok_or_else(|| {
        ImportError::at_line(line, format!("\"{code}\" is not a currency code"))
            .field(field)
            .hint(FIX_HINT)
    })
}

fn statement_currency(s: &mut StmtAcc, ctx: &ParseContext) -> ImportResult<Currency> {
    match &s.curdef {
        Some(code) => currency_field(code, s.line, "CURDEF"),
        None => {
            s.used_default_currency = true;
            Ok(ctx.default_currency)
        }
    }
}

fn transaction(
    tx: TxAcc,
    s: &mut StmtAcc,
    ctx: &ParseContext,
    batch: &mut ImportBatch,
) -> ImportResult<NewBankTransaction> {
    let missing = |field: &str| {
        ImportError::at_line(tx.line, format!("the transaction has no {field}"))
            .field(field)
            .hint(FIX_HINT)
    };
    let amount_leaf = tx.get("TRNAMT").filter(|l| !l.value.trim().is_empty());
    let amount = amount_field(amount_leaf.ok_or_else(|| missing("TRNAMT"))?, "TRNAMT")?;
    let posted = tx.get("DTPOSTED").filter(|l| !l.value.trim().is_empty());
    let booking_date = date_field(posted.ok_or_else(|| missing("DTPOSTED"))?, "DTPOSTED")?;
    let value_date = match tx.get("DTAVAIL").filter(|l| !l.value.trim().is_empty()) {
        Some(leaf) => Some(date_field(leaf, "DTAVAIL")?),
        None => None,
    };
    let currency = match &tx.currency {
        Some(code) => currency_field(code, tx.line, "CURSYM")?,
        None => statement_currency(s, ctx)?,
    };
    let type_code = tx.text("TRNTYPE").map(|t| t.to_ascii_uppercase());
    let contradicts = match type_code.as_deref() {
        Some("CREDIT") => amount.is_sign_negative() && !amount.is_zero(),
        Some("DEBIT") => amount.is_sign_positive() && !amount.is_zero(),
        _ => false,
    };
    if contradicts {
        batch.warn(
            SourceLocation::Line(tx.line),
            format!(
                "TRNTYPE {} but TRNAMT {amount}: the signed amount is kept",
                type_code.as_deref().unwrap_or_default()
            ),
        );
    }
    let name = tx.text("NAME");
    Ok(NewBankTransaction {
        booking_date,
        value_date,
        amount,
        currency,
        remittance: remittance(
            name.as_deref(),
            tx.text("MEMO").as_deref(),
            tx.text("CHECKNUM").as_deref(),
        ),
        counterparty_name: name,
        counterparty_iban: None,
        structured_ref: None,
        bank_ref: tx.text("FITID"),
        reversal: false,
        type_code,
        location: SourceLocation::Line(tx.line),
    })
}

/// NAME and MEMO, each once: banks often repeat the payee in the memo
/// (`MCDONALD'S #112` / `POS MERCHANDISE;MCDONALD'S #112`). A cheque number joins the text
/// so that matching can find it; `0` is the placeholder some banks write for none.
fn remittance(name: Option<&str>, memo: Option<&str>, check: Option<&str>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    match (name, memo) {
        (Some(n), Some(m)) if m.to_lowercase().contains(&n.to_lowercase()) => parts.push(m),
        (Some(n), Some(m)) if n.to_lowercase().contains(&m.to_lowercase()) => parts.push(n),
        (n, m) => parts.extend(n.into_iter().chain(m)),
    }
    let check_text = check
        .filter(|c| !c.chars().all(|ch| ch == '0'))
        .map(|c| format!("CHQ {c}"));
    let mut text = parts.join(" ");
    if let Some(c) = check_text {
        let number = c.trim_start_matches("CHQ ");
        if !text.contains(number) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&c);
        }
    }
    clean(&text)
}

fn statement(
    mut s: StmtAcc,
    ctx: &ParseContext,
    batch: &mut ImportBatch,
) -> ImportResult<NewStatement> {
    let Some(acct_id) = s.acct_id.clone() else {
        return Err(
            ImportError::at_line(s.line, "the statement names no account")
                .field("ACCTID")
                .hint(FIX_HINT),
        );
    };
    let account_currency = match &s.curdef {
        Some(code) => Some(currency_field(code, s.line, "CURDEF")?),
        None => None,
    };
    let closing = match s
        .ledger_amount
        .take()
        .filter(|l| !l.value.trim().is_empty())
    {
        None => None,
        Some(amount_leaf) => {
            let amount = amount_field(&amount_leaf, "BALAMT")?;
            let date_leaf = s
                .ledger_date
                .take()
                .filter(|l| !l.value.trim().is_empty())
                .or_else(|| s.list_end.take());
            match date_leaf {
                Some(leaf) => Some(Balance {
                    date: date_field(&leaf, "DTASOF")?,
                    amount,
                    currency: statement_currency(&mut s, ctx)?,
                }),
                None => {
                    batch.warn(
                        SourceLocation::Line(amount_leaf.line),
                        "the ledger balance has no date (DTASOF) and was left out",
                    );
                    None
                }
            }
        }
    };
    if s.used_default_currency {
        batch.warn(
            SourceLocation::Line(s.line),
            format!(
                "the statement gives no currency (CURDEF); {} was assumed",
                ctx.default_currency
            ),
        );
    }
    Ok(NewStatement {
        account: AccountRef {
            iban: normalise_iban(&acct_id),
            number: Some(acct_id),
            bank_code: s.bank_id.clone(),
            currency: account_currency,
        },
        opening: None,
        closing,
        transactions: std::mem::take(&mut s.transactions),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_with_time_zone_and_millis() {
        let d = NaiveDate::from_ymd_opt;
        assert_eq!(ofx_date("20090401122017.000[-5:EST]"), d(2009, 4, 1));
        assert_eq!(ofx_date("20180804093914:014"), d(2018, 8, 4));
        assert_eq!(ofx_date("20170311"), d(2017, 3, 11));
        assert_eq!(ofx_date("201703"), None);
        assert_eq!(ofx_date("2017031"), None);
        assert_eq!(ofx_date("20171311"), None);
        assert_eq!(ofx_date("2017-03-11"), None);
    }

    #[test]
    fn a_statement_inside_a_statement_is_refused() {
        let text = "<OFX><STMTRS><BANKACCTFROM><ACCTID>1</BANKACCTFROM>\n<STMTRS><BANKACCTFROM><ACCTID>2</BANKACCTFROM></STMTRS></OFX>";
        let err = parse(text, &ParseContext::default()).unwrap_err();
        assert_eq!(err.location, SourceLocation::Line(2));
        let text = "<OFX><STMTRS><BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n<STMTTRN><TRNAMT>1\n<STMTTRN><TRNAMT>2</STMTTRN></BANKTRANLIST></STMTRS></OFX>";
        let err = parse(text, &ParseContext::default()).unwrap_err();
        assert_eq!(err.location, SourceLocation::Line(3));
    }

    #[test]
    fn name_and_memo_are_not_repeated() {
        assert_eq!(
            remittance(
                Some("MCDONALD'S #112"),
                Some("POS MERCHANDISE;MCDONALD'S #112"),
                Some("0")
            ),
            "POS MERCHANDISE;MCDONALD'S #112"
        );
        assert_eq!(remittance(Some("ACME"), Some("acme"), None), "acme");
        assert_eq!(
            remittance(Some("ACME"), Some("FA-12"), Some("1234567")),
            "ACME FA-12 CHQ 1234567"
        );
        assert_eq!(remittance(None, Some("CBA:Transfer"), None), "CBA:Transfer");
        assert_eq!(remittance(Some("CHQ 42"), None, Some("42")), "CHQ 42");
        assert_eq!(remittance(None, None, None), "");
    }
}
