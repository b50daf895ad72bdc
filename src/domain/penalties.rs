//! French late-payment penalties between businesses (Code de commerce L441-10, D441-5):
//! interest from the day after the due date at the ECB main refinancing rate in force on
//! 1 January or 1 July + 10 points (or a contractual rate, never below 3 × the legal interest
//! rate), and a fixed 40 € recovery indemnity per late invoice for professional debtors.

use super::ageing::OpenItem;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// A rate in percent per year, in force from a semester's first day.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SemesterRate {
    /// 1 January or 1 July, as "YYYY-MM-DD".
    pub from: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
}

/// `[penalties]` in the settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltySettings {
    /// Points added to the ECB rate (10 by law unless the terms of sale say otherwise).
    #[serde(with = "rust_decimal::serde::str")]
    pub margin_points: Decimal,
    /// Fixed recovery indemnity per late invoice (D441-5), professional debtors only.
    #[serde(with = "rust_decimal::serde::str")]
    pub indemnity: Decimal,
    /// A contractual rate may not be below this multiple of the legal interest rate.
    #[serde(with = "rust_decimal::serde::str")]
    pub contractual_floor_multiple: Decimal,
    /// Principal + interest up to this total may go through the simplified procedure.
    #[serde(with = "rust_decimal::serde::str")]
    pub small_claim_limit: Decimal,
    /// What a collection agency keeps of what it recovers, low and high, in percent.
    #[serde(with = "rust_decimal::serde::str")]
    pub agency_fee_low_percent: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub agency_fee_high_percent: Decimal,
    /// ECB main refinancing rate on each 1 January and 1 July.
    pub ecb_rates: Vec<SemesterRate>,
    /// Legal interest rate ("autres cas") per semester.
    pub legal_rates: Vec<SemesterRate>,
}

fn semester_start(d: NaiveDate) -> NaiveDate {
    let month = if d.month() <= 6 { 1 } else { 7 };
    NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
}

fn next_semester_start(d: NaiveDate) -> NaiveDate {
    let s = semester_start(d);
    let next = if s.month() == 1 {
        NaiveDate::from_ymd_opt(s.year(), 7, 1)
    } else {
        NaiveDate::from_ymd_opt(s.year() + 1, 1, 1)
    };
    next.unwrap_or(NaiveDate::MAX)
}

fn validate_table(name: &str, table: &[SemesterRate]) -> Result<(), String> {
    if table.is_empty() {
        return Err(format!("penalties.{name}: at least one rate is needed"));
    }
    for (i, r) in table.iter().enumerate() {
        if semester_start(r.from) != r.from {
            return Err(format!(
                "penalties.{name}[{i}].from: {} is not 1 January or 1 July",
                r.from
            ));
        }
        if r.rate < Decimal::ZERO {
            return Err(format!("penalties.{name}[{i}].rate: must not be negative"));
        }
        if i > 0 && table[i - 1].from >= r.from {
            return Err(format!(
                "penalties.{name}[{i}].from: dates must be in increasing order"
            ));
        }
    }
    Ok(())
}

/// The rate of the latest entry on or before `d`; before the first entry, the first one.
fn rate_on(table: &[SemesterRate], d: NaiveDate) -> Option<Decimal> {
    table
        .iter()
        .rev()
        .find(|r| r.from <= d)
        .or(table.first())
        .map(|r| r.rate)
}

impl PenaltySettings {
    pub fn validate(&self) -> Result<(), String> {
        validate_table("ecb_rates", &self.ecb_rates)?;
        validate_table("legal_rates", &self.legal_rates)?;
        for (key, v) in [
            ("margin_points", self.margin_points),
            ("indemnity", self.indemnity),
            (
                "contractual_floor_multiple",
                self.contractual_floor_multiple,
            ),
            ("small_claim_limit", self.small_claim_limit),
            ("agency_fee_low_percent", self.agency_fee_low_percent),
            ("agency_fee_high_percent", self.agency_fee_high_percent),
        ] {
            if v < Decimal::ZERO {
                return Err(format!("penalties.{key}: must not be negative"));
            }
        }
        Ok(())
    }

    /// The statutory late rate for a day: ECB rate of its semester + the margin.
    pub fn statutory_rate_on(&self, d: NaiveDate) -> Decimal {
        rate_on(&self.ecb_rates, semester_start(d)).unwrap_or_default() + self.margin_points
    }

    /// The rate that applies on a day: the contractual one when the customer has one, raised
    /// to the legal floor if it is below.
    pub fn rate_on(&self, d: NaiveDate, contractual: Option<Decimal>) -> Decimal {
        match contractual {
            Some(c) => {
                let floor = rate_on(&self.legal_rates, semester_start(d)).unwrap_or_default()
                    * self.contractual_floor_multiple;
                c.max(floor)
            }
            None => self.statutory_rate_on(d),
        }
    }

    /// False when `d` lies beyond the last semester in the tables: the rate used is then the
    /// last one known, and the configuration wants its twice-yearly update.
    pub fn covers(&self, d: NaiveDate) -> bool {
        let start = semester_start(d);
        self.ecb_rates.last().is_some_and(|r| r.from >= start)
    }

    pub fn agency_cost(&self, claim: Decimal) -> (Decimal, Decimal) {
        (
            round_cents(claim * self.agency_fee_low_percent / Decimal::ONE_HUNDRED),
            round_cents(claim * self.agency_fee_high_percent / Decimal::ONE_HUNDRED),
        )
    }
}

pub fn round_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// What the penalties depend on about the debtor.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Debtor {
    /// The late rate agreed in the terms of sale, in percent per year.
    pub contractual_rate: Option<Decimal>,
    /// A business (the 40 € indemnity applies) rather than a consumer.
    pub professional: bool,
}

/// Interest for the days `from..=to` at one rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterestPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    /// Unrounded, so that the sum rounds once.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoicePenalty {
    pub invoice_id: i64,
    pub number: String,
    pub due_date: NaiveDate,
    pub days_late: i64,
    #[serde(with = "rust_decimal::serde::str")]
    pub open: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub interest: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub indemnity: Decimal,
    pub periods: Vec<InterestPeriod>,
}

/// Interest and indemnity of one invoice as of a date. Interest runs on the open amount
/// from the day after the due date to `as_of` included, split at each 1 January / 1 July.
pub fn invoice_penalty(
    s: &PenaltySettings,
    item: &OpenItem,
    as_of: NaiveDate,
    debtor: &Debtor,
) -> InvoicePenalty {
    let (open, due_date) = (item.open, item.due_date);
    let contractual_rate = debtor.contractual_rate;
    let days_late = (as_of - due_date).num_days();
    let mut periods = Vec::new();
    if days_late > 0 && open > Decimal::ZERO {
        let mut from = due_date.succ_opt().unwrap_or(due_date);
        while from <= as_of {
            let to = next_semester_start(from)
                .pred_opt()
                .unwrap_or(as_of)
                .min(as_of);
            let days = (to - from).num_days() + 1;
            let rate = s.rate_on(from, contractual_rate);
            let amount =
                open * rate / Decimal::ONE_HUNDRED * Decimal::from(days) / Decimal::from(365);
            periods.push(InterestPeriod {
                from,
                to,
                days,
                rate,
                amount,
            });
            match to.succ_opt() {
                Some(next) => from = next,
                None => break,
            }
        }
    }
    let interest = round_cents(periods.iter().map(|p| p.amount).sum());
    let indemnity = if days_late > 0 && debtor.professional && open > Decimal::ZERO {
        s.indemnity
    } else {
        Decimal::ZERO
    };
    InvoicePenalty {
        invoice_id: item.invoice_id,
        number: item.number.clone(),
        due_date,
        days_late: days_late.max(0),
        open,
        interest,
        indemnity,
        periods,
    }
}

/// A customer's claim: principal, interest and indemnities over its late invoices.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Claim {
    pub invoices: Vec<InvoicePenalty>,
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub interest: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub indemnities: Decimal,
}

impl Claim {
    /// Only late invoices enter the claim.
    pub fn add(&mut self, p: InvoicePenalty) {
        if p.days_late <= 0 {
            return;
        }
        self.principal += p.open;
        self.interest += p.interest;
        self.indemnities += p.indemnity;
        self.invoices.push(p);
    }

    pub fn total(&self) -> Decimal {
        self.principal + self.interest + self.indemnities
    }

    /// Principal + interest, the figure the small-claims threshold is about.
    pub fn principal_and_interest(&self) -> Decimal {
        self.principal + self.interest
    }

    pub fn is_small_claim(&self, s: &PenaltySettings) -> bool {
        self.principal_and_interest() <= s.small_claim_limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const PRO: Debtor = Debtor {
        contractual_rate: None,
        professional: true,
    };

    fn item(id: i64, open: Decimal, due: NaiveDate) -> OpenItem {
        OpenItem {
            invoice_id: id,
            customer_id: 1,
            number: format!("F{id}"),
            kind: crate::domain::model::InvoiceKind::Invoice,
            issue_date: due,
            due_date: due,
            open,
            disputed: false,
        }
    }

    fn settings() -> PenaltySettings {
        PenaltySettings {
            margin_points: dec!(10),
            indemnity: dec!(40),
            contractual_floor_multiple: dec!(3),
            small_claim_limit: dec!(5000),
            agency_fee_low_percent: dec!(10),
            agency_fee_high_percent: dec!(15),
            ecb_rates: vec![
                SemesterRate {
                    from: d(2025, 1, 1),
                    rate: dec!(3.15),
                },
                SemesterRate {
                    from: d(2025, 7, 1),
                    rate: dec!(2.15),
                },
            ],
            legal_rates: vec![
                SemesterRate {
                    from: d(2025, 1, 1),
                    rate: dec!(3.71),
                },
                SemesterRate {
                    from: d(2025, 7, 1),
                    rate: dec!(2.76),
                },
            ],
        }
    }

    #[test]
    fn interest_over_a_semester_boundary_changes_rate_on_1_july() {
        // 10,000 € due 15 June 2025, as of 15 July 2025: 30 days late.
        // 16–30 June: 15 days at 3.15 + 10 = 13.15 %: 10,000 × 13.15 % × 15 / 365 = 54.0411
        // 1–15 July: 15 days at 2.15 + 10 = 12.15 %: 10,000 × 12.15 % × 15 / 365 = 49.9315
        // Total 37,950 / 365 = 103.9726 → 103.97 €. (30 days at 13.15 % would be 108.08 €.)
        let p = invoice_penalty(
            &settings(),
            &item(1, dec!(10000), d(2025, 6, 15)),
            d(2025, 7, 15),
            &PRO,
        );
        assert_eq!(p.days_late, 30);
        assert_eq!(p.periods.len(), 2);
        assert_eq!(p.periods[0].from, d(2025, 6, 16));
        assert_eq!(p.periods[0].to, d(2025, 6, 30));
        assert_eq!(p.periods[0].days, 15);
        assert_eq!(p.periods[0].rate, dec!(13.15));
        assert_eq!(p.periods[1].from, d(2025, 7, 1));
        assert_eq!(p.periods[1].days, 15);
        assert_eq!(p.periods[1].rate, dec!(12.15));
        assert_eq!(p.interest, dec!(103.97));
        assert_eq!(p.indemnity, dec!(40));
    }

    #[test]
    fn indemnity_is_per_late_invoice_for_professional_debtors_only() {
        let s = settings();
        let mut claim = Claim::default();
        for (id, due) in [(1, d(2025, 3, 1)), (2, d(2025, 3, 10)), (3, d(2025, 4, 30))] {
            claim.add(invoice_penalty(
                &s,
                &item(id, dec!(100), due),
                d(2025, 4, 1),
                &PRO,
            ));
        }
        // Two late invoices (the third is not due yet): 2 × 40 €.
        assert_eq!(claim.invoices.len(), 2);
        assert_eq!(claim.indemnities, dec!(80));
        // A consumer owes interest but no indemnity.
        let p = invoice_penalty(
            &s,
            &item(4, dec!(100), d(2025, 3, 1)),
            d(2025, 4, 1),
            &Debtor {
                contractual_rate: None,
                professional: false,
            },
        );
        assert_eq!(p.indemnity, dec!(0));
        assert!(p.interest > dec!(0));
    }

    #[test]
    fn contractual_rate_is_raised_to_three_times_the_legal_rate() {
        let s = settings();
        // 5 % agreed, but 3 × 3.71 % = 11.13 % in the first half of 2025.
        assert_eq!(s.rate_on(d(2025, 3, 1), Some(dec!(5))), dec!(11.13));
        // 15 % agreed stays 15 %.
        assert_eq!(s.rate_on(d(2025, 3, 1), Some(dec!(15))), dec!(15));
        // 1,000 € for 73 days at 15 %: 1,000 × 15 % × 73 / 365 = 30.00 €.
        let p = invoice_penalty(
            &s,
            &item(1, dec!(1000), d(2025, 1, 31)),
            d(2025, 4, 14),
            &Debtor {
                contractual_rate: Some(dec!(15)),
                professional: true,
            },
        );
        assert_eq!(p.days_late, 73);
        assert_eq!(p.interest, dec!(30.00));
    }

    #[test]
    fn nothing_runs_before_the_due_date() {
        let p = invoice_penalty(
            &settings(),
            &item(1, dec!(1000), d(2025, 5, 1)),
            d(2025, 5, 1),
            &PRO,
        );
        assert_eq!(p.interest, dec!(0));
        assert_eq!(p.indemnity, dec!(0));
        assert!(p.periods.is_empty());
    }

    #[test]
    fn tables_are_validated() {
        let mut s = settings();
        assert!(s.validate().is_ok());
        s.ecb_rates[1].from = d(2025, 6, 1);
        let err = s.validate().unwrap_err();
        assert!(err.contains("penalties.ecb_rates[1].from"), "{err}");
        let mut s = settings();
        s.legal_rates.swap(0, 1);
        assert!(s.validate().unwrap_err().contains("increasing"));
        assert!(settings().covers(d(2025, 12, 31)));
        assert!(!settings().covers(d(2026, 1, 1)));
    }

    #[test]
    fn small_claim_threshold_counts_principal_and_interest() {
        let s = settings();
        let mut claim = Claim::default();
        claim.add(invoice_penalty(
            &s,
            &item(1, dec!(4990), d(2025, 3, 1)),
            d(2025, 4, 1),
            &PRO,
        ));
        // 4,990 + interest ≈ 55.73 > 5,000: not a small claim, although the principal is.
        assert!(claim.principal < dec!(5000));
        assert!(!claim.is_small_claim(&s));
        assert_eq!(s.agency_cost(dec!(1000)), (dec!(100), dec!(150)));
    }
}
