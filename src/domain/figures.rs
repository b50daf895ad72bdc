//! Key figures (indicateurs): DSO, overdue ratio, average days late, CEI, net cash and the
//! cost of an unpaid invoice, as DOMAIN.md defines them. Pure arithmetic on amounts the store
//! has gathered; every function takes its inputs as plain values so that a test can work the
//! numbers by hand.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `[figures]` in the settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FigureSettings {
    /// Net margin in percent of sales: an unpaid invoice costs amount ÷ margin in new sales.
    #[serde(with = "rust_decimal::serde::str")]
    pub net_margin_percent: Decimal,
    /// France's inter-company average days late, shown beside ours.
    #[serde(with = "rust_decimal::serde::str")]
    pub france_average_days_late: Decimal,
    /// Supplier invoices due within this many days count as short-term debts.
    pub payables_horizon_days: u32,
    /// Drawn short-term credit (overdraft, Dailly, factoring advances) not in any import.
    #[serde(with = "rust_decimal::serde::str")]
    pub short_term_credit_drawn: Decimal,
    /// Other short-term debts known outside the imports (tax, social charges due).
    #[serde(with = "rust_decimal::serde::str")]
    pub other_short_term_debts: Decimal,
    /// Length of the period the collection effectiveness index looks at.
    pub cei_period_days: u32,
    /// Months of payment history the weighted average days late looks at.
    pub lateness_months: u32,
}

impl FigureSettings {
    pub fn validate(&self) -> Result<(), String> {
        if self.net_margin_percent <= Decimal::ZERO
            || self.net_margin_percent > Decimal::ONE_HUNDRED
        {
            return Err("figures.net_margin_percent: must be above 0 and at most 100".into());
        }
        if self.france_average_days_late < Decimal::ZERO {
            return Err("figures.france_average_days_late: must not be negative".into());
        }
        if self.short_term_credit_drawn < Decimal::ZERO
            || self.other_short_term_debts < Decimal::ZERO
        {
            return Err(
                "figures.short_term_credit_drawn / other_short_term_debts: must not be negative"
                    .into(),
            );
        }
        if self.cei_period_days == 0 || self.lateness_months == 0 {
            return Err("figures.cei_period_days / lateness_months: must be at least 1".into());
        }
        Ok(())
    }
}

/// Invoiced sales (invoices − credit notes) of one calendar month, or of the month to date
/// for the month of the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodSales {
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub sales: Decimal,
}

impl PeriodSales {
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

/// The countback periods for `as_of`, most recent first: the month to date, then whole
/// calendar months going back.
pub fn countback_periods(as_of: NaiveDate, months: u32) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::with_capacity(months as usize);
    let Some(mut start) = as_of.with_day(1) else {
        return out;
    };
    let mut end = as_of;
    for _ in 0..months {
        out.push((start, end));
        let Some(prev_end) = start.pred_opt() else {
            break;
        };
        let Some(prev_start) = start.checked_sub_months(Months::new(1)) else {
            break;
        };
        end = prev_end;
        start = prev_start;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dso {
    #[serde(with = "rust_decimal::serde::str")]
    pub days: Decimal,
    /// False when the receivables are larger than all the sales looked at: the figure is then
    /// a lower bound.
    pub complete: bool,
}

/// DSO, countback method: subtract each period's sales from the open receivables, most
/// recent first, counting the period's days while something remains; the last period counts
/// pro rata of what it had to cover.
pub fn dso_countback(open_receivables: Decimal, periods: &[PeriodSales]) -> Dso {
    let mut remaining = open_receivables;
    let mut days = Decimal::ZERO;
    for p in periods {
        if remaining <= Decimal::ZERO {
            break;
        }
        let period_days = Decimal::from(p.days());
        if p.sales <= Decimal::ZERO || remaining >= p.sales {
            remaining -= p.sales.max(Decimal::ZERO);
            days += period_days;
        } else {
            days += period_days * remaining / p.sales;
            remaining = Decimal::ZERO;
        }
    }
    Dso {
        days,
        complete: remaining <= Decimal::ZERO,
    }
}

/// DSO, simple form: open receivables ÷ sales of the last 90 days × 90.
pub fn dso_simple(open_receivables: Decimal, sales_90_days: Decimal) -> Option<Decimal> {
    (sales_90_days > Decimal::ZERO).then(|| open_receivables * Decimal::from(90) / sales_90_days)
}

pub fn ratio(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (whole > Decimal::ZERO).then(|| part / whole)
}

/// Days late weighted by amount. Early payments count as 0 days late, not as negative: an
/// early payer must not hide a late one.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Lateness {
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount_days: Decimal,
    pub invoices: u32,
    pub late_invoices: u32,
}

impl Lateness {
    pub fn add(&mut self, amount: Decimal, days_late: i64) {
        let days = days_late.max(0);
        self.amount += amount;
        self.amount_days += amount * Decimal::from(days);
        self.invoices += 1;
        if days > 0 {
            self.late_invoices += 1;
        }
    }

    pub fn merge(&mut self, other: &Lateness) {
        self.amount += other.amount;
        self.amount_days += other.amount_days;
        self.invoices += other.invoices;
        self.late_invoices += other.late_invoices;
    }

    pub fn average_days(&self) -> Option<Decimal> {
        (self.amount > Decimal::ZERO).then(|| self.amount_days / self.amount)
    }

    /// Share of invoices paid late, in percent.
    pub fn late_share_percent(&self) -> Option<Decimal> {
        (self.invoices > 0).then(|| {
            Decimal::from(self.late_invoices) * Decimal::ONE_HUNDRED / Decimal::from(self.invoices)
        })
    }
}

/// The inputs of the collection effectiveness index over one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CeiInputs {
    #[serde(with = "rust_decimal::serde::str")]
    pub opening_receivables: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub period_sales: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub closing_receivables: Decimal,
    /// Closing receivables not yet due.
    #[serde(with = "rust_decimal::serde::str")]
    pub closing_current: Decimal,
}

/// CEI = (opening + sales − closing) ÷ (opening + sales − closing current) × 100.
pub fn cei(i: &CeiInputs) -> Option<Decimal> {
    let collectable = i.opening_receivables + i.period_sales - i.closing_current;
    (collectable > Decimal::ZERO).then(|| {
        (i.opening_receivables + i.period_sales - i.closing_receivables) * Decimal::ONE_HUNDRED
            / collectable
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetCash {
    /// Sum of each account's latest balance on or before the as-of date.
    #[serde(with = "rust_decimal::serde::str")]
    pub bank_balances: Decimal,
    pub bank_balance_date: Option<NaiveDate>,
    #[serde(with = "rust_decimal::serde::str")]
    pub payables_due: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub short_term_credit: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub other_debts: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub net: Decimal,
    /// Zero or negative net cash.
    pub alert: bool,
}

/// Net cash = bank balances − short-term debts (payables due soon, drawn short-term credit,
/// other known debts).
pub fn net_cash(
    bank_balances: Decimal,
    bank_balance_date: Option<NaiveDate>,
    payables_due: Decimal,
    short_term_credit: Decimal,
    other_debts: Decimal,
) -> NetCash {
    let net = bank_balances - payables_due - short_term_credit - other_debts;
    NetCash {
        bank_balances,
        bank_balance_date,
        payables_due,
        short_term_credit,
        other_debts,
        net,
        alert: net <= Decimal::ZERO,
    }
}

/// The extra sales needed to make up for an unpaid amount at the given net margin.
pub fn sales_to_recover(amount: Decimal, net_margin_percent: Decimal) -> Option<Decimal> {
    (net_margin_percent > Decimal::ZERO).then(|| amount * Decimal::ONE_HUNDRED / net_margin_percent)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnpaidCost {
    pub invoice_id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub number: String,
    pub days_late: i64,
    #[serde(with = "rust_decimal::serde::str")]
    pub open: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub sales_needed: Decimal,
}

/// Every figure of the overview, as of one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyFigures {
    pub as_of: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub open: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub overdue: Decimal,
    /// Overdue ÷ open, as a fraction (0.25 = 25 %).
    pub overdue_ratio: Option<Decimal>,
    pub dso_countback: Dso,
    pub dso_simple: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub sales_90_days: Decimal,
    pub countback: Vec<PeriodSales>,
    pub lateness: Lateness,
    pub average_days_late: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub france_average_days_late: Decimal,
    pub cei: Option<Decimal>,
    pub cei_inputs: CeiInputs,
    pub net_cash: NetCash,
    #[serde(with = "rust_decimal::serde::str")]
    pub net_margin_percent: Decimal,
    /// Sales needed to make up for the whole overdue amount.
    pub overdue_sales_needed: Option<Decimal>,
    /// The largest overdue invoices with their cost in sales.
    pub costliest_unpaid: Vec<UnpaidCost>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn countback_periods_are_the_month_to_date_then_whole_months() {
        let p = countback_periods(d(2026, 3, 15), 3);
        assert_eq!(
            p,
            [
                (d(2026, 3, 1), d(2026, 3, 15)),
                (d(2026, 2, 1), d(2026, 2, 28)),
                (d(2026, 1, 1), d(2026, 1, 31)),
            ]
        );
    }

    #[test]
    fn dso_countback_worked_by_hand() {
        // Open receivables 25,000 as of 31 March 2026.
        // March (31 days) sales 10,000: 25,000 − 10,000 = 15,000 left, 31 days.
        // February (28 days) sales 12,000: 15,000 − 12,000 = 3,000 left, 31 + 28 = 59 days.
        // January (31 days) sales 9,000 covers the 3,000 left: 31 × 3,000 / 9,000 = 10.33 days.
        // DSO = 59 + 10.333… = 69.33 days.
        let periods = [
            PeriodSales {
                start: d(2026, 3, 1),
                end: d(2026, 3, 31),
                sales: dec!(10000),
            },
            PeriodSales {
                start: d(2026, 2, 1),
                end: d(2026, 2, 28),
                sales: dec!(12000),
            },
            PeriodSales {
                start: d(2026, 1, 1),
                end: d(2026, 1, 31),
                sales: dec!(9000),
            },
        ];
        let dso = dso_countback(dec!(25000), &periods);
        assert!(dso.complete);
        assert_eq!(dso.days.round_dp(2), dec!(69.33));
        // More receivables than three months of sales: all 90 days, flagged incomplete.
        let dso = dso_countback(dec!(40000), &periods);
        assert!(!dso.complete);
        assert_eq!(dso.days, dec!(90));
    }

    #[test]
    fn dso_simple_worked_by_hand() {
        // 25,000 open ÷ 31,000 of sales in 90 days × 90 = 72.58 days.
        assert_eq!(
            dso_simple(dec!(25000), dec!(31000)).unwrap().round_dp(2),
            dec!(72.58)
        );
        assert_eq!(dso_simple(dec!(25000), dec!(0)), None);
    }

    #[test]
    fn overdue_ratio_worked_by_hand() {
        // 7,500 overdue of 30,000 open = 0.25.
        assert_eq!(ratio(dec!(7500), dec!(30000)), Some(dec!(0.25)));
        assert_eq!(ratio(dec!(1), dec!(0)), None);
    }

    #[test]
    fn average_days_late_is_weighted_by_amount() {
        // 1,000 paid 10 days late, 3,000 paid 30 days late, 4,000 paid 5 days early (0).
        // (1,000 × 10 + 3,000 × 30 + 4,000 × 0) / 8,000 = 100,000 / 8,000 = 12.5 days.
        // An unweighted mean of the late ones would say 20: the weighting matters.
        let mut l = Lateness::default();
        l.add(dec!(1000), 10);
        l.add(dec!(3000), 30);
        l.add(dec!(4000), -5);
        assert_eq!(l.average_days(), Some(dec!(12.5)));
        assert_eq!(l.invoices, 3);
        assert_eq!(l.late_invoices, 2);
        // 2 late of 3 = 66.67 %.
        assert_eq!(l.late_share_percent().unwrap().round_dp(2), dec!(66.67));
    }

    #[test]
    fn cei_worked_by_hand() {
        // Opening 50,000 + sales 30,000 − closing 40,000 = 40,000 collected;
        // opening 50,000 + sales 30,000 − closing current 25,000 = 55,000 collectable;
        // CEI = 40,000 / 55,000 × 100 = 72.73 %.
        let inputs = CeiInputs {
            opening_receivables: dec!(50000),
            period_sales: dec!(30000),
            closing_receivables: dec!(40000),
            closing_current: dec!(25000),
        };
        assert_eq!(cei(&inputs).unwrap().round_dp(2), dec!(72.73));
    }

    #[test]
    fn net_cash_worked_by_hand() {
        // Two accounts 12,000 + 3,500 = 15,500; payables due within 30 days 9,000;
        // drawn overdraft 5,000; nothing else: 15,500 − 9,000 − 5,000 = 1,500.
        let n = net_cash(dec!(15500), None, dec!(9000), dec!(5000), dec!(0));
        assert_eq!(n.net, dec!(1500));
        assert!(!n.alert);
        // One more debt of 1,500 brings it to zero: an alert.
        let n = net_cash(dec!(15500), None, dec!(9000), dec!(5000), dec!(1500));
        assert_eq!(n.net, dec!(0));
        assert!(n.alert);
    }

    #[test]
    fn cost_of_an_unpaid_invoice() {
        // DOMAIN.md's seed example: 5,000 € at 10 % net margin needs 50,000 € of new sales.
        assert_eq!(sales_to_recover(dec!(5000), dec!(10)), Some(dec!(50000)));
        // 1,200 € at 4 % margin: 1,200 × 100 / 4 = 30,000 €.
        assert_eq!(sales_to_recover(dec!(1200), dec!(4)), Some(dec!(30000)));
    }
}
