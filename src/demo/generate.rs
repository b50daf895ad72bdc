//! The demo company's history, as the files its bank and its invoicing tool would export.
//! Customers have habits (punctual, late, worsening, partial payers, disputers, silent), so
//! that every screen has something true to show.

use super::rng::Rng;
use chrono::{Datelike, Days, NaiveDate};
use std::fmt::Write as _;

pub const COMPANY_IBAN: &str = "FR7630006000011234567890189";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Habit {
    Punctual,
    SlightlyLate,
    ChronicallyLate,
    /// Paid on time for a long while, late for the last months: the lateness-trend signal.
    Worsening,
    PartialPayer,
    /// Stopped paying some months ago.
    Defaulting,
    /// Few invoices, recent and large.
    NewLarge,
}

pub struct DemoCustomer {
    pub code: String,
    pub name: String,
    pub siren: String,
    pub iban: String,
    pub terms: u32,
    pub limit_euros: i64,
    pub habit: Habit,
    pub mean_amount_cents: i64,
    pub email: String,
    pub phone: String,
    pub contact: String,
    pub segment: &'static str,
}

pub struct DemoInvoice {
    pub number: String,
    pub customer: usize,
    pub issue: NaiveDate,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub disputed: bool,
}

pub struct BankLine {
    pub date: NaiveDate,
    pub amount_cents: i64,
    pub name: String,
    pub iban: Option<String>,
    pub text: String,
    pub reference: String,
}

pub struct DemoFiles {
    pub customers_csv: String,
    pub invoices_csv: String,
    /// One CAMT.053 statement per month: (file name, XML).
    pub statements: Vec<(String, String)>,
}

impl DemoFiles {
    /// Every file as (name, content), in the order they import: the customers, then the
    /// invoices, then the statements month by month.
    pub fn in_import_order(self) -> Vec<(String, String)> {
        let mut named = vec![
            ("clients.csv".to_string(), self.customers_csv),
            ("factures.csv".to_string(), self.invoices_csv),
        ];
        named.extend(self.statements);
        named
    }
}

const PREFIXES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Transports",
    "Menuiserie",
    "Pharmacie",
    "Imprimerie",
    "Hôtel",
    "Cabinet",
    "Brasserie",
    "Atelier",
    "Ferme",
    "Clinique",
    "Librairie",
    "Électricité",
    "Plomberie",
    "Agence",
    "Fromagerie",
    "Pépinières",
    "Laboratoire",
    "Maison",
];
const NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
];
const FORMS: &[&str] = &["SARL", "SAS", "SA", "EURL", "SCOP"];
const FIRST: &[&str] = &[
    "Camille", "Julien", "Sophie", "Nicolas", "Claire", "Thomas", "Élodie", "Marc", "Isabelle",
    "Pierre", "Nathalie", "Antoine", "Céline", "Laurent", "Aurélie",
];

fn iban_for(rng: &mut Rng) -> String {
    // A French IBAN with a valid check: bank 30004, random branch/account.
    let bban = format!(
        "30004{:05}{:011}{:02}",
        rng.range(0, 99_999),
        rng.range(0, 99_999_999_999),
        rng.range(10, 97)
    );
    let numeric: String = format!("{bban}FR00")
        .chars()
        .map(|c| c.to_digit(36).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let rem = numeric.chars().fold(0u64, |acc, c| {
        (acc * 10 + u64::from(c.to_digit(10).unwrap_or(0))) % 97
    });
    format!("FR{:02}{bban}", 98 - rem)
}

/// A SIREN: eight digits and a Luhn check digit, as INSEE assigns them.
fn siren_for(rng: &mut Rng) -> String {
    let body = format!("{:08}", 30_000_000 + rng.range(0, 59_999_999));
    let luhn_sum = |digits: &str| -> u32 {
        digits
            .chars()
            .rev()
            .enumerate()
            .map(|(i, c)| {
                let d = c.to_digit(10).unwrap_or(0);
                if i % 2 == 1 {
                    let doubled = d * 2;
                    if doubled > 9 { doubled - 9 } else { doubled }
                } else {
                    d
                }
            })
            .sum()
    };
    let check = (0..10)
        .find(|c| luhn_sum(&format!("{body}{c}")).is_multiple_of(10))
        .unwrap_or(0);
    format!("{body}{check}")
}

pub fn customers(rng: &mut Rng, count: usize) -> Vec<DemoCustomer> {
    (0..count)
        .map(|i| {
            let habit = match i % 20 {
                0..=7 => Habit::Punctual,
                8..=11 => Habit::SlightlyLate,
                12 | 13 => Habit::ChronicallyLate,
                14 | 15 => Habit::Worsening,
                16 => Habit::PartialPayer,
                17 => Habit::Defaulting,
                18 => Habit::NewLarge,
                _ => Habit::SlightlyLate,
            };
            let family = rng.pick(NAMES);
            let name = format!("{} {} {}", rng.pick(PREFIXES), family, rng.pick(FORMS));
            let first = rng.pick(FIRST);
            let mean = match habit {
                Habit::NewLarge => rng.range(500_000, 900_000),
                _ => rng.range(40_000, 200_000),
            };
            let terms = *rng.pick(&[30u32, 30, 30, 45, 60]);
            DemoCustomer {
                code: format!("C{:05}", i + 1),
                siren: siren_for(rng),
                iban: iban_for(rng),
                terms,
                // About three months of the customer's usual invoicing: the late payers and
                // the big new account go over it, the others stay under.
                limit_euros: (mean / 100 * 6 / 1000 + 1) * 1000,
                habit,
                mean_amount_cents: mean,
                email: format!(
                    "compta@{}.fr",
                    family
                        .to_lowercase()
                        .replace(['é', 'è'], "e")
                        .replace(['ç'], "c")
                ),
                phone: format!(
                    "0{} {:02} {:02} {:02} {:02}",
                    rng.range(1, 5),
                    rng.range(10, 99),
                    rng.range(10, 99),
                    rng.range(10, 99),
                    rng.range(10, 99)
                ),
                contact: format!("{first} {family}"),
                segment: match i % 10 {
                    0 => "strategic",
                    9 => "watch",
                    _ => "standard",
                },
                name,
            }
        })
        .collect()
}

/// Days after the due date the customer pays this invoice, or None if it stays unpaid.
fn delay(rng: &mut Rng, habit: Habit, issue: NaiveDate, today: NaiveDate) -> Option<i64> {
    let age_days = (today - issue).num_days();
    match habit {
        Habit::Punctual => Some(rng.range(-4, 3)),
        Habit::SlightlyLate => Some(rng.range(2, 18)),
        Habit::ChronicallyLate => Some(rng.range(25, 70)),
        Habit::Worsening if age_days < 120 => Some(rng.range(20, 45)),
        Habit::Worsening => Some(rng.range(-2, 4)),
        Habit::PartialPayer => Some(rng.range(5, 30)),
        Habit::Defaulting if age_days < 150 => None,
        Habit::Defaulting => Some(rng.range(10, 40)),
        Habit::NewLarge => Some(rng.range(0, 12)),
    }
}

pub fn build(
    seed: u64,
    customer_count: usize,
    invoice_count: usize,
    today: NaiveDate,
) -> DemoFiles {
    let mut rng = Rng::new(seed);
    let customers = customers(&mut rng, customer_count.max(1));
    let start = today - Days::new(730);
    let mut invoices = Vec::with_capacity(invoice_count);
    let mut bank: Vec<BankLine> = Vec::new();
    for n in 0..invoice_count {
        let c = &customers[n % customers.len()];
        let issue = today - Days::new(rng.range(1, 728) as u64);
        let issue = issue.max(start);
        // A new customer only has the last few months of history.
        if c.habit == Habit::NewLarge && (today - issue).num_days() > 100 {
            continue;
        }
        let due = issue + Days::new(u64::from(c.terms));
        let amount = (c.mean_amount_cents / 2 + rng.range(0, c.mean_amount_cents)) / 10 * 10;
        let disputed = rng.chance(1) && (today - issue).num_days() < 200;
        let number = format!("FA-{}-{:06}", issue.year(), n + 1);
        invoices.push(DemoInvoice {
            number,
            customer: n % customers.len(),
            issue,
            due,
            amount_cents: amount,
            disputed,
        });
    }
    invoices.sort_by(|a, b| a.issue.cmp(&b.issue).then(a.number.cmp(&b.number)));
    for inv in &invoices {
        let c = &customers[inv.customer];
        if inv.disputed {
            continue;
        }
        let Some(days) = delay(&mut rng, c.habit, inv.issue, today) else {
            continue;
        };
        let paid = inv.due + chrono::Duration::days(days);
        if paid >= today || paid <= inv.issue {
            continue;
        }
        let text = match rng.range(0, 5) {
            0 => format!("VIR SEPA {} FACT {}", c.name.to_uppercase(), inv.number),
            1 => format!("REGLEMENT FACTURE {}", inv.number.replace('-', " ")),
            2 => format!("{} / {}", inv.number.to_lowercase(), c.code),
            3 => format!("PAIEMENT {}", c.name.to_uppercase()),
            _ => format!(
                "VIREMENT {} REF {}",
                c.contact.to_uppercase(),
                inv.number.trim_start_matches("FA-")
            ),
        };
        if c.habit == Habit::PartialPayer {
            let first = inv.amount_cents / 2 / 100 * 100;
            bank.push(BankLine {
                date: paid - Days::new(10).min(Days::new(days.unsigned_abs())),
                amount_cents: first,
                name: c.name.clone(),
                iban: Some(c.iban.clone()),
                text: format!("ACOMPTE {}", inv.number),
                reference: String::new(),
            });
            // The balance follows, late; only the recent ones are still half open.
            if (today - inv.issue).num_days() > 120 || rng.chance(40) {
                bank.push(BankLine {
                    date: paid,
                    amount_cents: inv.amount_cents - first,
                    name: c.name.clone(),
                    iban: Some(c.iban.clone()),
                    text: format!("SOLDE {}", inv.number),
                    reference: String::new(),
                });
            }
            continue;
        }
        bank.push(BankLine {
            date: paid,
            amount_cents: inv.amount_cents,
            name: c.name.clone(),
            iban: Some(c.iban.clone()),
            text,
            reference: if rng.chance(15) {
                inv.number.clone()
            } else {
                String::new()
            },
        });
    }
    outflows(&mut rng, &mut bank, start, today);
    bank.sort_by_key(|line| line.date);
    DemoFiles {
        customers_csv: customers_csv(&customers),
        invoices_csv: invoices_csv(&customers, &invoices),
        statements: monthly_statements(&bank, start, today, customer_count, seed),
    }
}

/// Payroll, rent, VAT, social charges, a loan and suppliers: what makes the cash tight. The
/// amounts and days are those of `[[forecast.recurring]]` in config/default.toml, so that the
/// forecast continues the history it was built from.
fn outflows(rng: &mut Rng, bank: &mut Vec<BankLine>, start: NaiveDate, today: NaiveDate) {
    let mut push = |date: NaiveDate, cents: i64, name: &str, text: &str| {
        if date >= start && date < today {
            bank.push(BankLine {
                date,
                amount_cents: -cents,
                name: name.to_string(),
                iban: None,
                text: text.to_string(),
                reference: String::new(),
            });
        }
    };
    let mut month = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    while month < today {
        let at = |day: u32| next_working_day(month.with_day(day).unwrap_or(month));
        push(
            last_working_day(month),
            3_925_000,
            "SALAIRES",
            "VIR SALAIRES DU MOIS",
        );
        push(
            at(5),
            420_000,
            "SCI DES TILLEULS",
            "LOYER BUREAUX ET ENTREPOT",
        );
        push(at(15), 1_630_000, "URSSAF", "PRLV SEPA URSSAF COTISATIONS");
        push(at(24), 1_350_000, "DGFIP", "PRLV SEPA TVA MENSUELLE");
        push(at(10), 215_000, "BANQUE POPULAIRE", "ECHEANCE PRET 0123456");
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(today);
    }
    // Suppliers are paid weekly, on Fridays, around the configured estimate.
    let mut friday = start + Days::new(u64::from((11 - start.weekday().number_from_monday()) % 7));
    while friday < today {
        let cents = 1_100_000 + rng.range(-150_000, 150_000);
        push(friday, cents, "FOURNISSEURS", "VIR FOURNISSEURS MATIERES");
        friday = friday + Days::new(7);
    }
}

fn next_working_day(mut d: NaiveDate) -> NaiveDate {
    while d.weekday().number_from_monday() > 5 {
        d = d + Days::new(1);
    }
    d
}

fn last_working_day(month_start: NaiveDate) -> NaiveDate {
    let mut d = month_start
        .checked_add_months(chrono::Months::new(1))
        .map(|next| next - Days::new(1))
        .unwrap_or(month_start);
    while d.weekday().number_from_monday() > 5 {
        d = d - Days::new(1);
    }
    d
}

fn customers_csv(customers: &[DemoCustomer]) -> String {
    let mut s = String::from(
        "Customer code;Name;SIREN;Email;Phone;Contact;Payment terms;Credit limit;Segment\n",
    );
    for c in customers {
        let _ = writeln!(
            s,
            "{};{};{};{};{};{};{};{};{}",
            c.code, c.name, c.siren, c.email, c.phone, c.contact, c.terms, c.limit_euros, c.segment
        );
    }
    s
}

fn cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

fn invoices_csv(customers: &[DemoCustomer], invoices: &[DemoInvoice]) -> String {
    let mut s = String::from(
        "Invoice number;Customer code;Customer name;Issue date;Due date;Amount incl. tax;Currency;Disputed\n",
    );
    for inv in invoices {
        let c = &customers[inv.customer];
        let _ = writeln!(
            s,
            "{};{};{};{};{};{};EUR;{}",
            inv.number,
            c.code,
            c.name,
            inv.issue,
            inv.due,
            cents(inv.amount_cents),
            if inv.disputed { "yes" } else { "no" }
        );
    }
    s
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn monthly_statements(
    bank: &[BankLine],
    start: NaiveDate,
    today: NaiveDate,
    scale: usize,
    seed: u64,
) -> Vec<(String, String)> {
    // The history ends on a balance that covers about a month of outflows, no more: a real
    // SME's position, where the end-of-month payroll makes the tight spot the forecast names.
    let target_end: i64 = 2_600_000 * (scale as i64).max(60) / 60;
    let flows: i64 = bank.iter().map(|line| line.amount_cents).sum();
    let mut balance: i64 = target_end - flows;
    let mut files = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    let mut index = 0;
    while month < today {
        let next = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(today);
        let last_day = (next - Days::new(1)).min(today - Days::new(1));
        let opening = balance;
        let mut entries = String::new();
        while index < bank.len() && bank[index].date < next {
            let line = &bank[index];
            balance += line.amount_cents;
            let (ind, party_tag, acct_tag) = if line.amount_cents >= 0 {
                ("CRDT", "Dbtr", "DbtrAcct")
            } else {
                ("DBIT", "Cdtr", "CdtrAcct")
            };
            let account = line
                .iban
                .as_ref()
                .map(|i| format!("<{acct_tag}><Id><IBAN>{i}</IBAN></Id></{acct_tag}>"))
                .unwrap_or_default();
            let strd = if line.reference.is_empty() {
                String::new()
            } else {
                format!(
                    "<Strd><CdtrRefInf><Ref>{}</Ref></CdtrRefInf></Strd>",
                    xml_escape(&line.reference)
                )
            };
            let _ = writeln!(
                entries,
                "<Ntry><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{ind}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{}</Dt></BookgDt><ValDt><Dt>{}</Dt></ValDt><AcctSvcrRef>DEMO{:08}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><{party_tag}><Nm>{}</Nm></{party_tag}>{account}</RltdPties><RmtInf><Ustrd>{}</Ustrd>{strd}</RmtInf></TxDtls></NtryDtls></Ntry>",
                cents(line.amount_cents.abs()),
                line.date,
                line.date,
                index + 1,
                xml_escape(&line.name),
                xml_escape(&line.text),
            );
            index += 1;
        }
        let bal = |code: &str, cents_value: i64, date: NaiveDate| {
            let ind = if cents_value < 0 { "DBIT" } else { "CRDT" };
            format!(
                "<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{ind}</CdtDbtInd><Dt><Dt>{date}</Dt></Dt></Bal>",
                cents(cents_value.abs())
            )
        };
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><GrpHdr><MsgId>DEMO-{seed}-{m}</MsgId><CreDtTm>{last}T20:00:00</CreDtTm></GrpHdr><Stmt><Id>DEMO-{seed}-{m}</Id><CreDtTm>{last}T20:00:00</CreDtTm><Acct><Id><IBAN>{COMPANY_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{open}{close}\n{entries}</Stmt></BkToCstmrStmt></Document>\n",
            m = month.format("%Y-%m"),
            last = last_day,
            open = bal("OPBD", opening, month),
            close = bal("CLBD", balance, last_day),
        );
        files.push((format!("releve-{}.xml", month.format("%Y-%m")), xml));
        month = next;
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_files() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let a = build(7, 20, 300, today);
        let b = build(7, 20, 300, today);
        assert_eq!(a.invoices_csv, b.invoices_csv);
        assert_eq!(a.statements, b.statements);
        let c = build(8, 20, 300, today);
        assert_ne!(a.invoices_csv, c.invoices_csv);
    }

    #[test]
    fn generated_ibans_pass_the_check() {
        let mut rng = Rng::new(1);
        for _ in 0..50 {
            let iban = iban_for(&mut rng);
            assert_eq!(crate::import::text::normalise_iban(&iban), Some(iban));
        }
    }
}
