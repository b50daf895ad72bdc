//! CFONB 120 "relevé de compte": fixed 120-character records 01 (old balance), 04 (operation),
//! 05 (complement to the 04 before it) and 07 (new balance). Banks send one 01…07 block per
//! account and per day; the blocks of one account become one statement.

use crate::domain::model::{AccountRef, Balance, NewBankTransaction, NewStatement, SourceLocation};
use crate::domain::money::Currency;
use crate::import::bank_common::{
    check_balances, counterparty_iban, is_placeholder_ref, mentions_return, six_digit_date,
    warn_once,
};
use crate::import::text::{clean, clean_opt, normalise_iban};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext};
use chrono::NaiveDate;
use rust_decimal::Decimal;

const RECORD_LEN: usize = 120;

/// One record, addressed with the 1-based inclusive columns of the CFONB layout.
struct Record<'a> {
    chars: Vec<char>,
    line: usize,
    ctx: &'a ParseContext,
}

impl Record<'_> {
    fn raw(&self, from: usize, to: usize) -> String {
        self.chars[from - 1..to].iter().collect()
    }

    fn text(&self, from: usize, to: usize) -> String {
        clean(&self.raw(from, to))
    }

    fn err(&self, field: &str, message: String) -> ImportError {
        ImportError::at_line(self.line, message)
            .field(field)
            .hint("the file does not follow the CFONB 120 layout here; export the statement again or ask the bank")
    }

    fn code(&self) -> String {
        self.raw(1, 2)
    }

    fn bank(&self) -> String {
        self.raw(3, 7).trim().to_string()
    }

    /// The bank code may differ between the 01 and 04 records of one block (the bank's
    /// own codes for its networks), so an account is keyed on agency and number only.
    fn account_key(&self) -> (String, String) {
        (
            self.raw(12, 16).trim().to_string(),
            self.raw(22, 32).trim().to_string(),
        )
    }

    fn currency(&self) -> ImportResult<Currency> {
        let raw = self.raw(17, 19);
        if raw.trim().is_empty() {
            return Ok(self.ctx.default_currency);
        }
        Currency::parse(&raw).ok_or_else(|| {
            self.err(
                "devise (columns 17-19)",
                format!("\"{raw}\" is not a currency code"),
            )
        })
    }

    fn date(&self, from: usize, name: &str) -> ImportResult<NaiveDate> {
        let raw = self.raw(from, from + 5);
        six_digit_date(&raw, true).ok_or_else(|| {
            self.err(
                &format!("{name} (columns {from}-{})", from + 5),
                format!("\"{raw}\" is not a DDMMYY date"),
            )
        })
    }

    /// Amount in columns 91–104: 13 digits and a sign-carrying last character
    /// (`{` `A`–`I` positive 0–9, `}` `J`–`R` negative 0–9), scaled by column 20.
    fn amount(&self) -> ImportResult<Decimal> {
        let raw = self.raw(91, 104);
        let bad = || {
            self.err(
                "montant (columns 91-104)",
                format!("\"{raw}\" is not a CFONB amount"),
            )
        };
        let decimals = self.chars[19].to_digit(10).ok_or_else(|| {
            self.err(
                "nombre de décimales (column 20)",
                format!("'{}' is not a digit", self.chars[19]),
            )
        })?;
        let digits: String = raw.chars().take(13).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let last = raw.chars().last().ok_or_else(bad)?;
        let (negative, digit) = match last {
            '{' => (false, 0),
            '}' => (true, 0),
            'A'..='I' => (false, last as u32 - 'A' as u32 + 1),
            'J'..='R' => (true, last as u32 - 'J' as u32 + 1),
            _ => return Err(bad()),
        };
        let units: i64 = format!("{digits}{digit}").parse().map_err(|_| bad())?;
        let value = Decimal::new(units, decimals);
        Ok(if negative { -value } else { value })
    }
}

/// An account's statement being assembled from its daily blocks.
struct Builder {
    key: (String, String),
    statement: NewStatement,
    line: usize,
    /// A day did not open at the previous day's closing balance (already reported).
    gap: bool,
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut batch = ImportBatch::new(Format::Cfonb120);
    let mut accounts: Vec<Builder> = Vec::new();
    // (account index, transaction index) of the last 04, for the 05 records after it.
    let mut last_op: Option<(usize, usize)> = None;
    for (idx, raw_line) in text.lines().enumerate() {
        let line = idx + 1;
        let raw_line = raw_line.trim_end_matches(['\r', '\u{1a}']);
        if raw_line.trim().is_empty() {
            continue;
        }
        let chars: Vec<char> = raw_line.chars().collect();
        if chars.len() != RECORD_LEN {
            let hint = if chars.len() == 240 {
                "this looks like CFONB 240, which encours does not read: ask the bank for the CFONB 120 statement"
            } else if chars.len() < RECORD_LEN {
                "every CFONB 120 record is exactly 120 characters; an editor may have removed trailing spaces: export the statement again"
            } else {
                "every CFONB 120 record is exactly 120 characters; the file was probably cut or edited"
            };
            return Err(ImportError::at_line(
                line,
                format!(
                    "the record is {} characters long instead of {RECORD_LEN}",
                    chars.len()
                ),
            )
            .field("record")
            .hint(hint));
        }
        let rec = Record { chars, line, ctx };
        match rec.code().as_str() {
            "01" | "07" => {
                let balance = Balance {
                    date: rec.date(35, "date du solde")?,
                    amount: rec.amount()?,
                    currency: rec.currency()?,
                };
                let i = account_index(&mut accounts, &rec, &balance.currency);
                let b = &mut accounts[i];
                if rec.code() == "01"
                    && !b.gap
                    && let Some(prev) = b
                        .statement
                        .closing
                        .as_ref()
                        .filter(|c| c.amount != balance.amount)
                {
                    batch.warn(
                            SourceLocation::Line(line),
                            format!(
                                "account {}: the balance of {} ({}) does not follow on from the closing balance of {} ({}); a day may be missing",
                                b.key.1, balance.date, balance.amount, prev.date, prev.amount
                            ),
                        );
                    b.gap = true;
                }
                let s = &mut b.statement;
                if rec.code() == "01" {
                    if s.opening.as_ref().is_none_or(|o| balance.date < o.date) {
                        s.opening = Some(balance);
                    }
                } else if s.closing.as_ref().is_none_or(|c| balance.date >= c.date) {
                    s.closing = Some(balance);
                }
                last_op = None;
            }
            "04" => {
                let tx = operation(&rec, &mut batch)?;
                let i = account_index(&mut accounts, &rec, &tx.currency);
                accounts[i].statement.transactions.push(tx);
                last_op = Some((i, accounts[i].statement.transactions.len() - 1));
            }
            "05" => {
                let Some((i, t)) = last_op else {
                    return Err(rec.err(
                        "code enregistrement",
                        "a complement record (05) comes before any operation (04)".into(),
                    ));
                };
                let tx = &mut accounts[i].statement.transactions[t];
                complement(tx, &rec, &mut batch);
            }
            other => {
                return Err(rec.err(
                    "code enregistrement (columns 1-2)",
                    format!("\"{other}\" is not a CFONB 120 record code (01, 04, 05, 07)"),
                ));
            }
        }
    }
    if accounts.is_empty() {
        return Err(
            ImportError::at_line(1, "the file holds no CFONB 120 record")
                .hint("export the statement again from the bank"),
        );
    }
    for b in accounts {
        if !b.gap {
            check_balances(&b.statement, SourceLocation::Line(b.line), &mut batch);
        }
        batch.statements.push(b.statement);
    }
    Ok(batch)
}

fn account_index(accounts: &mut Vec<Builder>, rec: &Record, currency: &Currency) -> usize {
    let key = rec.account_key();
    if let Some(i) = accounts.iter().position(|b| b.key == key) {
        return i;
    }
    let bank = rec.bank();
    accounts.push(Builder {
        statement: NewStatement {
            account: AccountRef {
                iban: french_iban(&bank, &key.0, &key.1),
                number: Some(key.1.clone()),
                bank_code: Some(bank).filter(|b| !b.is_empty()),
                currency: Some(*currency),
            },
            ..Default::default()
        },
        key,
        line: rec.line,
        gap: false,
    });
    accounts.len() - 1
}

/// A French account's IBAN follows from its RIB: the RIB key is computed from bank, agency
/// and account number, then the IBAN check digits from the whole. CFONB carries the RIB
/// without its key, and naming the account by IBAN lets CAMT and CFONB imports of the same
/// account meet.
fn french_iban(bank: &str, agency: &str, account: &str) -> Option<String> {
    if bank.len() != 5 || agency.len() != 5 || account.len() != 11 {
        return None;
    }
    let digit = |c: char| -> Option<u64> {
        Some(match c {
            '0'..='9' => c.to_digit(10)? as u64,
            'A' | 'J' => 1,
            'B' | 'K' | 'S' => 2,
            'C' | 'L' | 'T' => 3,
            'D' | 'M' | 'U' => 4,
            'E' | 'N' | 'V' => 5,
            'F' | 'O' | 'W' => 6,
            'G' | 'P' | 'X' => 7,
            'H' | 'Q' | 'Y' => 8,
            'I' | 'R' | 'Z' => 9,
            _ => return None,
        })
    };
    let number = |s: &str| -> Option<u64> {
        s.chars().try_fold(0u64, |acc, c| {
            Some(acc * 10 + digit(c.to_ascii_uppercase())?)
        })
    };
    let key = 97 - (89 * number(bank)? + 15 * number(agency)? + 3 * number(account)?) % 97;
    let bban = format!("{bank}{agency}{account}{key:02}");
    let check = 98 - iban_remainder(&format!("{bban}FR00"))?;
    normalise_iban(&format!("FR{check:02}{bban}"))
}

fn iban_remainder(s: &str) -> Option<u32> {
    s.chars().try_fold(0u32, |rem, c| {
        let v = c.to_digit(36)?;
        Some(if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        })
    })
}

fn operation(rec: &Record, batch: &mut ImportBatch) -> ImportResult<NewBankTransaction> {
    let booking_date = rec.date(35, "date d'opération")?;
    let value_raw = rec.raw(43, 48);
    let value_date = if value_raw.trim().is_empty() {
        None
    } else {
        Some(rec.date(43, "date de valeur")?)
    };
    // Columns 80–90 hold a reserved zone, the entry number and two indicators. Some banks
    // let the label run on into them; those lines are read leniently.
    let entry_number = rec.raw(82, 88);
    let strict = entry_number.chars().all(|c| c.is_ascii_digit());
    let label = if strict {
        rec.text(49, 79)
    } else {
        rec.text(49, 90)
    };
    if !strict && !rec.raw(80, 90).trim().is_empty() {
        warn_once(
            batch,
            SourceLocation::Line(rec.line),
            "some labels run into the reserved zone (columns 80-90); they were read as part of the label".into(),
        );
    }
    let rejection = rec.raw(41, 42);
    Ok(NewBankTransaction {
        booking_date,
        value_date,
        amount: rec.amount()?,
        currency: rec.currency()?,
        reversal: !rejection.trim().is_empty() || mentions_return(&label),
        remittance: label,
        type_code: clean_opt(&rec.raw(33, 34)),
        bank_ref: clean_opt(&rec.raw(105, 120)),
        location: SourceLocation::Line(rec.line),
        ..Default::default()
    })
}

/// A 05 record: a three-letter qualifier (columns 46–48) and 70 characters of text.
fn complement(tx: &mut NewBankTransaction, rec: &Record, batch: &mut ImportBatch) {
    let qualifier = rec.raw(46, 48);
    let info = rec.text(49, 118);
    if info.is_empty() {
        return;
    }
    let location = SourceLocation::Line(rec.line);
    if matches!(qualifier.as_str(), "LIB" | "LCC" | "LC2") && mentions_return(&info) {
        tx.reversal = true;
    }
    match qualifier.as_str() {
        "LIB" | "LCC" | "LC2" => append(&mut tx.remittance, &info),
        "NPY" | "NBE" => tx.counterparty_name = Some(info),
        "NPO" | "NBU" => {
            tx.counterparty_name.get_or_insert(info);
        }
        "IPY" | "IBE" => {
            if tx.counterparty_iban.is_none()
                && crate::import::bank_common::looks_like_iban(&info.replace(' ', ""))
            {
                tx.counterparty_iban = counterparty_iban(&info, &location, batch);
            }
        }
        "RCN" | "LCS" => {
            // The end-to-end reference fills the first 35 characters; a purpose code may follow.
            let reference = clean(&rec.raw(49, 83));
            if !is_placeholder_ref(&reference) {
                tx.structured_ref = Some(reference);
            }
        }
        "REF" => {
            tx.bank_ref.get_or_insert(info);
        }
        // Mandate reference, creditor id, amount in the original currency.
        "RUM" | "ICS" | "MMO" => {}
        other => {
            append(&mut tx.remittance, &info);
            warn_once(
                batch,
                location,
                format!(
                    "complement qualifier '{other}' is not a known CFONB one; its text was added to the label"
                ),
            );
        }
    }
}

fn append(target: &mut String, more: &str) {
    if !target.is_empty() {
        target.push(' ');
    }
    target.push_str(more);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban_from_rib() {
        assert_eq!(
            french_iban("30006", "00001", "12345678901").as_deref(),
            Some("FR7630006000011234567890189")
        );
        assert_eq!(french_iban("3000", "00001", "12345678901"), None);
    }
}
