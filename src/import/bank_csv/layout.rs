//! Finding where the table starts and which column holds what: the delimiter, the header
//! row after any preamble, the profile that fits it, and what the preamble says (the
//! account, a "Solde au …" balance).

use crate::domain::model::Balance;
use crate::import::csv_profile::{CsvKind, CsvProfile};
use crate::import::detect::fold_accents;
use crate::import::text::{DecimalStyle, normalise_iban, parse_amount, parse_date};
use crate::import::{ImportError, csv_separator};

/// Header rows are looked for among the first lines only: a preamble is a few lines.
const MAX_PREAMBLE_LINES: usize = 40;

/// A header name as compared: lower case, no accents, single spaces, no BOM or quotes.
pub(super) fn norm(s: &str) -> String {
    let s = s.trim_start_matches('\u{feff}').trim().trim_matches('"');
    let folded = fold_accents(&s.to_lowercase());
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The separator used most often outside quotes; on a tie the European `;` first.
pub(super) fn guess_delimiter(line: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    let mut best = (b',', 0);
    for (d, n) in counts {
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

fn split_line(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        Some(Ok(record)) => record.iter().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Column indices resolved against one header row.
#[derive(Debug, Clone, Default)]
pub(super) struct Columns {
    pub date: Option<usize>,
    pub value_date: Option<usize>,
    pub amount: Option<usize>,
    pub debit: Option<usize>,
    pub credit: Option<usize>,
    pub currency: Option<usize>,
    pub label: Vec<usize>,
    pub counterparty: Option<usize>,
    pub counterparty_iban: Option<usize>,
    pub reference: Option<usize>,
    pub bank_ref: Option<usize>,
    pub balance: Option<usize>,
    pub status: Option<usize>,
    pub fee: Option<usize>,
    pub type_code: Option<usize>,
    pub account: Option<usize>,
}

fn resolve(header: &[String], names: &[String]) -> Option<usize> {
    names.iter().find_map(|n| {
        let n = norm(n);
        header.iter().position(|h| *h == n)
    })
}

impl Columns {
    fn resolve(header: &[String], profile: &CsvProfile) -> Columns {
        let c = &profile.columns;
        let label_names: Vec<String> = c.label.iter().map(|n| norm(n)).collect();
        Columns {
            date: resolve(header, &c.date),
            value_date: resolve(header, &c.value_date),
            amount: resolve(header, &c.amount),
            debit: resolve(header, &c.debit),
            credit: resolve(header, &c.credit),
            currency: resolve(header, &c.currency),
            label: (0..header.len())
                .filter(|i| label_names.contains(&header[*i]))
                .collect(),
            counterparty: resolve(header, &c.counterparty),
            counterparty_iban: resolve(header, &c.counterparty_iban),
            reference: resolve(header, &c.reference),
            bank_ref: resolve(header, &c.bank_ref),
            balance: resolve(header, &c.balance),
            status: resolve(header, &c.status),
            fee: resolve(header, &c.fee),
            type_code: resolve(header, &c.type_code),
            account: resolve(header, &c.account),
        }
    }

    fn usable(&self) -> bool {
        self.date.is_some()
            && (self.amount.is_some() || self.debit.is_some() || self.credit.is_some())
    }
}

/// Where the table is and how to read it.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub profile: CsvProfile,
    pub delimiter: u8,
    /// 0-based index of the header line.
    pub header_line: usize,
    /// Byte offset of the header line in the text.
    pub header_offset: usize,
    /// The header's names as written (for messages).
    pub header: Vec<String>,
    pub columns: Columns,
}

/// The first profile (in order) that fits a header row among the first lines.
pub(super) fn find_layout(text: &str, profiles: &[CsvProfile]) -> Option<Layout> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n').take(MAX_PREAMBLE_LINES) {
        lines.push((offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    // Each line folded once, quotes left out, to rule lines out before splitting them: a
    // CSV reader is built for each split (a few microseconds), and a file is tried against
    // every profile over up to forty lines (≈ 6 % of a 10,000-line import's process).
    let folded: Vec<String> = lines
        .iter()
        .map(|(_, line)| norm(&line.replace('"', "")))
        .collect();
    for profile in profiles.iter().filter(|p| p.kind == CsvKind::Bank) {
        let wanted: Vec<String> = profile.detect_headers.iter().map(|h| norm(h)).collect();
        let unquoted: Vec<String> = wanted.iter().map(|w| w.replace('"', "")).collect();
        for (idx, (offset, line)) in lines.iter().enumerate() {
            if line.trim().is_empty() || !unquoted.iter().all(|w| folded[idx].contains(w.as_str()))
            {
                continue;
            }
            let delimiter = profile
                .delimiter
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or_else(|| guess_delimiter(line));
            let raw_header = split_line(line, delimiter);
            let header: Vec<String> = raw_header.iter().map(|h| norm(h)).collect();
            if !wanted.iter().all(|w| header.contains(w)) {
                continue;
            }
            let columns = Columns::resolve(&header, profile);
            if columns.usable() {
                return Some(Layout {
                    profile: profile.clone(),
                    delimiter,
                    header_line: idx,
                    header_offset: *offset,
                    header: raw_header
                        .iter()
                        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                        .collect(),
                    columns,
                });
            }
        }
    }
    None
}

/// When no profile fits: the first one that names its separator and would fit with
/// another, as the message to show. Runs on every file no profile fits (most of them not
/// CSV at all), so a line is only split when its text holds all the profile's headers.
pub(super) fn separator_mismatch(text: &str, profiles: &[CsvProfile]) -> Option<ImportError> {
    let lines: Vec<(&str, String)> = text
        .lines()
        .take(MAX_PREAMBLE_LINES)
        .map(|l| (l, norm(l)))
        .collect();
    for profile in profiles.iter().filter(|p| p.kind == CsvKind::Bank) {
        let Some(said) = profile.delimiter.and_then(|c| u8::try_from(c).ok()) else {
            continue;
        };
        let wanted: Vec<String> = profile.detect_headers.iter().map(|h| norm(h)).collect();
        for (idx, (line, folded)) in lines.iter().enumerate() {
            if wanted.is_empty() || !wanted.iter().all(|w| folded.contains(w.as_str())) {
                continue;
            }
            for other in csv_separator::CANDIDATES.into_iter().filter(|c| *c != said) {
                let header: Vec<String> = split_line(line, other).iter().map(|h| norm(h)).collect();
                if wanted.iter().all(|w| header.contains(w))
                    && Columns::resolve(&header, profile).usable()
                {
                    return Some(csv_separator::profile_says_otherwise(
                        &profile.name,
                        said,
                        other,
                        idx + 1,
                    ));
                }
            }
        }
    }
    None
}

/// What the lines before the header say.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Preamble {
    pub iban: Option<String>,
    pub number: Option<String>,
    /// "Solde au 05/03/2024 : 2 345,67 €", read as a closing balance (currency filled later).
    pub balance: Option<(chrono::NaiveDate, rust_decimal::Decimal)>,
}

pub(super) fn read_preamble(lines: &[&str], delimiter: u8, day_first: bool) -> Preamble {
    let mut p = Preamble::default();
    for line in lines {
        // A preamble line is short; a huge one is not worth scanning for an IBAN.
        let line: String = line.chars().take(500).collect();
        let cells = split_line(&line, delimiter);
        let text = cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let folded = norm(&text);
        if p.iban.is_none() {
            p.iban = find_iban(&text);
        }
        if p.number.is_none()
            && ["compte", "account", "konto"]
                .iter()
                .any(|w| folded.contains(w))
        {
            p.number = longest_digit_run(&text).filter(|d| d.len() >= 5);
        }
        if p.balance.is_none()
            && (folded.contains("solde")
                || folded.contains("balance")
                || folded.contains("kontostand"))
        {
            p.balance = balance_in(&text, day_first, folded.contains("debiteur"));
        }
    }
    p
}

fn find_iban(text: &str) -> Option<String> {
    let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    for start in 0..compact.len() {
        if !compact[start].is_ascii_uppercase() {
            continue;
        }
        for len in (15..=34).rev() {
            if start + len <= compact.len() {
                let candidate: String = compact[start..start + len].iter().collect();
                if let Some(iban) = normalise_iban(&candidate) {
                    return Some(iban);
                }
            }
        }
    }
    None
}

fn longest_digit_run(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .max_by_key(|r| r.len())
        .map(str::to_string)
}

/// `Solde au 05/03/2024 : 2 345,67 €`: a date, then an amount.
fn balance_in(
    text: &str,
    day_first: bool,
    debit: bool,
) -> Option<(chrono::NaiveDate, rust_decimal::Decimal)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (pos, date) = words.iter().enumerate().find_map(|(i, w)| {
        parse_date(w.trim_matches([':', ';', ',']), day_first).map(|d| (i, d))
    })?;
    let rest = words[pos + 1..].join(" ");
    let rest = rest.trim_start_matches([':', ' ']);
    let amount = parse_amount(rest, DecimalStyle::Auto)?;
    let amount = if debit && amount > rust_decimal::Decimal::ZERO {
        -amount
    } else {
        amount
    };
    Some((date, amount))
}

/// The preamble balance as a domain balance.
pub(super) fn preamble_balance(
    p: &Preamble,
    currency: crate::domain::money::Currency,
) -> Option<Balance> {
    p.balance.map(|(date, amount)| Balance {
        date,
        amount,
        currency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn delimiters() {
        assert_eq!(
            guess_delimiter("Date;Libellé;Débit euros;Crédit euros;"),
            b';'
        );
        assert_eq!(
            guess_delimiter("Status,Settlement date (UTC),\"a;b\""),
            b','
        );
        assert_eq!(guess_delimiter("a\tb\tc"), b'\t');
        assert_eq!(guess_delimiter("a|b|c"), b'|');
    }

    /// The lines ruled out before a split must never include a header the split accepts:
    /// quoted cells, spaces around and inside, other accents and case, a byte-order mark,
    /// and a quote escaped inside a header name.
    #[test]
    fn headers_are_found_however_they_are_quoted_or_spaced() {
        let builtin = crate::import::csv_profile::builtin_profiles();
        let text = "Compte n° 123456;;;\n\n\u{feff}\"DATE\";\" Libelle  \";\"Débit   EUROS\";\"Crédit euros\"\n01/02/2024;x;1,00;\n";
        let layout = find_layout(text, builtin).expect("the header row");
        assert_eq!(layout.header_line, 2);
        assert_eq!(layout.header[1], "Libelle");
        let mut noted = builtin
            .iter()
            .find(|p| p.detect_headers.iter().any(|h| h == "Libellé"))
            .expect("the French bank profile")
            .clone();
        noted.detect_headers.push("Note \"client\"".into());
        let text =
            "Date;Libellé;Débit euros;Crédit euros;\"Note \"\"client\"\"\"\n01/02/2024;x;1,00;;\n";
        let layout = find_layout(text, std::slice::from_ref(&noted)).expect("the header row");
        assert_eq!(layout.header[4], "Note \"client\"");
    }

    #[test]
    fn preamble_facts() {
        let p = read_preamble(
            &[
                "Compte courant n° 12345678901;",
                "IBAN : FR76 3000 6000 0112 3456 7890 189;",
                "Solde au 05/03/2024 : 2 345,67 €",
            ],
            b';',
            true,
        );
        assert_eq!(p.iban.as_deref(), Some("FR7630006000011234567890189"));
        assert_eq!(p.number.as_deref(), Some("12345678901"));
        assert_eq!(
            p.balance,
            Some((
                chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(),
                dec!(2345.67)
            ))
        );
        let p = read_preamble(&["Solde débiteur au 05/03/2024 : 1 000,00 €"], b';', true);
        assert_eq!(p.balance.map(|b| b.1), Some(dec!(-1000)));
    }
}
