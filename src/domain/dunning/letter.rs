//! The variables a reminder, a formal notice or an escalation summary is written with.
//! Every customer value goes through `plain_line`; the blocks we build ourselves go through
//! `plain_block`.

use super::queue::{Contact, LineInvoice};
use super::{Channel, Level};
use crate::domain::letters::{Vars, plain_block, plain_line};
use crate::domain::money::Currency;
use crate::domain::penalties::{Claim, PenaltySettings};
use crate::domain::signals::format_number;
use crate::locale::{self, Language};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Who writes: from the settings.
#[derive(Debug, Clone, Default)]
pub struct Sender {
    pub name: String,
    /// Postal address, several lines.
    pub address: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub struct LetterInput<'a> {
    pub lang: Language,
    pub currency: Currency,
    pub sender: &'a Sender,
    pub customer_name: &'a str,
    pub customer_code: &'a str,
    pub contact: &'a Contact,
    pub level: &'a Level,
    /// The invoices the letter is about (overdue or about to be).
    pub invoices: &'a [LineInvoice],
    pub claim: &'a Claim,
    pub date: NaiveDate,
    pub deadline: NaiveDate,
    pub penalties: &'a PenaltySettings,
}

pub fn letter_vars(i: &LetterInput) -> Vars {
    let lang = i.lang;
    let m = |d: Decimal| locale::money(d, i.currency, lang);
    let date = |d: NaiveDate| locale::date(d, lang);
    let mut v = Vars::new();
    let mut put = |k: &str, val: String| {
        v.insert(k.to_string(), val);
    };
    put("company_name", plain_line(&i.sender.name));
    put("company_address", plain_block(i.sender.address.trim()));
    put(
        "company_email",
        plain_line(i.sender.email.as_deref().unwrap_or("")),
    );
    put(
        "company_phone",
        plain_line(i.sender.phone.as_deref().unwrap_or("")),
    );
    put("customer_name", plain_line(i.customer_name));
    put("customer_code", plain_line(i.customer_code));
    let contact = i
        .contact
        .name
        .as_deref()
        .map(plain_line)
        .filter(|n| !n.is_empty());
    put(
        "contact_name",
        contact
            .clone()
            .unwrap_or_else(|| plain_line(i.customer_name)),
    );
    put(
        "greeting",
        match (lang, contact) {
            (Language::Fr, _) => "Madame, Monsieur,".into(),
            (Language::En, Some(c)) => format!("Dear {c},"),
            (Language::En, None) => "Dear Sir or Madam,".into(),
        },
    );
    put("date", date(i.date));
    put("deadline", date(i.deadline));
    put("level", i.level.level.to_string());
    put("channel", i.level.channel.label(lang).to_string());
    put("invoice_count", i.invoices.len().to_string());
    put("invoice_lines", invoice_lines(i.invoices, lang, i.currency));
    let open_total: Decimal = i.invoices.iter().map(|x| x.open).sum();
    put("open_total", m(open_total));
    put(
        "days_late",
        i.invoices
            .iter()
            .map(|x| x.days_late)
            .max()
            .unwrap_or(0)
            .max(0)
            .to_string(),
    );
    put("principal", m(i.claim.principal));
    put("interest", m(i.claim.interest));
    put("indemnity", m(i.claim.indemnities));
    put("indemnity_each", m(i.penalties.indemnity));
    put(
        "principal_and_interest",
        m(i.claim.principal_and_interest()),
    );
    put("total_claim", m(i.claim.total()));
    put("interest_rate", rate_text(i, lang));
    put(
        "interest_details",
        interest_details(i.claim, lang, i.currency),
    );
    put("small_claim_limit", m(i.penalties.small_claim_limit));
    let (low, high) = i.penalties.agency_cost(i.claim.total());
    put("agency_cost_low", m(low));
    put("agency_cost_high", m(high));
    put(
        "agency_percent",
        format!(
            "{}–{} %",
            format_number(i.penalties.agency_fee_low_percent, 0, lang),
            format_number(i.penalties.agency_fee_high_percent, 0, lang)
        ),
    );
    v
}

fn rate_text(i: &LetterInput, lang: Language) -> String {
    let rate = i
        .claim
        .invoices
        .iter()
        .flat_map(|p| p.periods.last())
        .map(|p| p.rate)
        .max()
        .unwrap_or_else(|| i.penalties.statutory_rate_on(i.date));
    format!("{} %", format_number(rate, 2, lang))
}

fn invoice_lines(invoices: &[LineInvoice], lang: Language, cur: Currency) -> String {
    let rows: Vec<[String; 4]> = invoices
        .iter()
        .map(|x| {
            let late = if x.days_late > 0 {
                format!("{} {}", x.days_late, lang.pick("j de retard", "days late"))
            } else {
                lang.pick("non échue", "not yet due").to_string()
            };
            [
                plain_line(&x.number),
                format!(
                    "{} {}",
                    lang.pick("échéance", "due"),
                    locale::date(x.due_date, lang)
                ),
                locale::money(x.open, cur, lang),
                late,
            ]
        })
        .collect();
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let lines: Vec<String> = rows
        .iter()
        .map(|r| format!("  {:<w0$}  {:<w1$}  {:>w2$}  {}", r[0], r[1], r[2], r[3]))
        .collect();
    plain_block(&lines.join("\n"))
}

fn interest_details(claim: &Claim, lang: Language, cur: Currency) -> String {
    let mut lines = Vec::new();
    for p in &claim.invoices {
        for period in &p.periods {
            lines.push(format!(
                "  {}: {} {} {} {} {} × {} % × {} / 365 = {}",
                plain_line(&p.number),
                lang.pick("du", "from"),
                locale::date(period.from, lang),
                lang.pick("au", "to"),
                locale::date(period.to, lang),
                locale::money(p.open, cur, lang),
                format_number(period.rate, 2, lang),
                period.days,
                locale::money(
                    crate::domain::penalties::round_cents(period.amount),
                    cur,
                    lang
                )
            ));
        }
    }
    if lines.is_empty() {
        lines.push(lang.pick("  (aucun)", "  (none)").to_string());
    }
    plain_block(&lines.join("\n"))
}

/// Letters go by post; emails and the rest by email.
pub fn is_email(channel: Channel) -> bool {
    matches!(channel, Channel::Email | Channel::Phone)
}
