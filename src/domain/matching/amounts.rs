//! Exact amount arithmetic for matching: thousandths in an `i64`, and the tests that say
//! whether a payment settles an invoice or a combination of invoices.

use crate::domain::money::Currency;
use rust_decimal::Decimal;

/// Thousandths of a currency unit: every minor unit (0, 2 or 3 decimals) is a whole number of them.
pub(super) type Units = i64;

const SCALE: u32 = 3;

/// `None` when the amount has more than three decimals or does not fit: such an item is
/// left alone rather than rounded.
pub(super) fn to_units(d: Decimal) -> Option<Units> {
    let scale = d.scale();
    let mantissa = d.mantissa();
    let scaled = if scale <= SCALE {
        mantissa.checked_mul(10i128.pow(SCALE - scale))?
    } else {
        let div = 10i128.checked_pow(scale - SCALE)?;
        if mantissa % div != 0 {
            return None;
        }
        mantissa / div
    };
    i64::try_from(scaled).ok()
}

/// Back to a `Decimal` written with the currency's own number of decimals.
pub(super) fn from_units(u: Units, currency: Currency) -> Decimal {
    let mut d = Decimal::new(u, SCALE);
    d.rescale(currency.exponent());
    d
}

/// `u` as a person reads an amount in `lang`, for the evidence and reasons.
pub(super) fn money_text(u: Units, currency: Currency, lang: crate::locale::Language) -> String {
    crate::locale::money(from_units(u, currency), currency, lang)
}

/// How a payment settles an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Settle {
    Exact,
    /// Short by the early-payment discount (give or take the fee tolerance): write off the rest.
    Discount {
        shortfall: Units,
    },
    /// Short by at most the fee tolerance: write off the rest.
    Fee {
        shortfall: Units,
    },
    /// Above by at most the fee tolerance: the rest stays on the bank line.
    Over {
        extra: Units,
    },
}

impl Settle {
    /// Exact beats discount beats fee: a tie inside the best tier is ambiguous.
    pub(super) fn tier(self) -> u8 {
        match self {
            Settle::Exact => 0,
            Settle::Discount { .. } => 1,
            Settle::Fee { .. } | Settle::Over { .. } => 2,
        }
    }
}

/// A tolerance never covers more than 5 % of the invoice: two euros short of a three-euro
/// invoice is not a fee, it is another payment.
const MAX_TOLERANCE_SHARE: Units = 20;

/// Whether `pay` settles an invoice whose open amount is `open`. `discounted` is the open
/// amount less the early-payment discount, when the invoice offers one.
pub(super) fn settles(
    pay: Units,
    open: Units,
    discounted: Option<Units>,
    tolerance: Units,
) -> Option<Settle> {
    if pay == open {
        return Some(Settle::Exact);
    }
    if let Some(target) = discounted
        && pay <= target
        && target - pay <= tolerance
        && pay > 0
    {
        return Some(Settle::Discount {
            shortfall: open - pay,
        });
    }
    let diff = pay - open;
    if diff.abs() <= tolerance && diff.abs() * MAX_TOLERANCE_SHARE <= open {
        return Some(if diff < 0 {
            Settle::Fee { shortfall: -diff }
        } else {
            Settle::Over { extra: diff }
        });
    }
    None
}

/// The open amount less `percent`, rounded to the currency's minor unit the way a customer's
/// accounting would round it.
pub(super) fn discounted(open: Units, percent: Decimal, currency: Currency) -> Option<Units> {
    if percent <= Decimal::ZERO || percent >= Decimal::ONE_HUNDRED {
        return None;
    }
    let open_d = from_units(open, currency);
    let discount =
        crate::domain::money::round_to_minor(open_d * percent / Decimal::ONE_HUNDRED, currency);
    to_units(open_d - discount)
}

/// Result of the bounded subset-sum search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Combination {
    /// Exactly one set of candidates (positions into the slice given) sums to the payment.
    Unique(Vec<usize>),
    /// Two or more sets do: a person must choose. Holds the first one found.
    Ambiguous(Vec<usize>),
    None,
}

/// Work cap per payment: beyond it the search gives up rather than slow the whole run.
const MAX_STEPS: usize = 200_000;

/// Finds subsets of 2..=`max_size` of `amounts` (oldest first) summing to `target`.
/// Stops at the second solution: two are enough to say "ambiguous".
pub(super) fn find_combination(amounts: &[Units], target: Units, max_size: usize) -> Combination {
    if max_size < 2 || amounts.len() < 2 {
        return Combination::None;
    }
    // suffix_min[i]: the smallest amount at or after i, to cut branches that cannot fit.
    let mut suffix_min = vec![Units::MAX; amounts.len() + 1];
    for i in (0..amounts.len()).rev() {
        suffix_min[i] = suffix_min[i + 1].min(amounts[i]);
    }
    let mut search = Search {
        amounts,
        suffix_min: &suffix_min,
        target,
        max_size,
        stack: Vec::with_capacity(max_size),
        found: Vec::new(),
        steps: 0,
    };
    search.walk(0, 0);
    if search.steps > MAX_STEPS {
        // Unproven uniqueness is treated as ambiguity: a person decides.
        return match search.found.into_iter().next() {
            Some(first) => Combination::Ambiguous(first),
            None => Combination::None,
        };
    }
    let mut found = search.found.into_iter();
    match (found.next(), found.next()) {
        (Some(only), None) => Combination::Unique(only),
        (Some(first), Some(_)) => Combination::Ambiguous(first),
        _ => Combination::None,
    }
}

struct Search<'a> {
    amounts: &'a [Units],
    suffix_min: &'a [Units],
    target: Units,
    max_size: usize,
    stack: Vec<usize>,
    found: Vec<Vec<usize>>,
    steps: usize,
}

impl Search<'_> {
    fn walk(&mut self, start: usize, sum: Units) {
        for i in start..self.amounts.len() {
            self.steps += 1;
            if self.found.len() >= 2 || self.steps > MAX_STEPS {
                return;
            }
            if sum + self.suffix_min[i] > self.target {
                return;
            }
            let next = sum + self.amounts[i];
            if next > self.target {
                continue;
            }
            self.stack.push(i);
            if next == self.target {
                if self.stack.len() >= 2 {
                    self.found.push(self.stack.clone());
                }
            } else if self.stack.len() < self.max_size {
                self.walk(i + 1, next);
            }
            self.stack.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn units_are_exact_or_refused() {
        assert_eq!(to_units(dec!(18.15)), Some(18_150));
        assert_eq!(to_units(dec!(18.150)), Some(18_150));
        assert_eq!(to_units(dec!(7)), Some(7_000));
        assert_eq!(to_units(dec!(0.0015)), None);
        assert_eq!(to_units(dec!(1.2300)), Some(1_230));
        assert_eq!(from_units(18_150, Currency::EUR), dec!(18.15));
        assert_eq!(from_units(18_150, Currency::EUR).to_string(), "18.15");
    }

    #[test]
    fn settling_by_tier() {
        let tol = 2_000;
        assert_eq!(settles(100_000, 100_000, None, tol), Some(Settle::Exact));
        assert_eq!(
            settles(98_500, 100_000, None, tol),
            Some(Settle::Fee { shortfall: 1_500 })
        );
        assert_eq!(
            settles(100_010, 100_000, None, tol),
            Some(Settle::Over { extra: 10 })
        );
        assert_eq!(settles(97_000, 100_000, None, tol), None);
        // 2 % discount: 98.00 settles; 97.50 is within the tolerance of the discounted amount.
        assert_eq!(
            settles(98_000, 100_000, Some(98_000), tol),
            Some(Settle::Discount { shortfall: 2_000 })
        );
        // a 1-euro invoice is not settled by 0.01 even though the gap is under 2.00
        assert_eq!(settles(10, 1_000, None, tol), None);
    }

    #[test]
    fn combinations_unique_ambiguous_or_none() {
        let amounts = [10_000, 25_000, 40_000, 7_000];
        assert_eq!(
            find_combination(&amounts, 35_000, 4),
            Combination::Unique(vec![0, 1])
        );
        assert_eq!(
            find_combination(&amounts, 82_000, 4),
            Combination::Unique(vec![0, 1, 2, 3])
        );
        assert_eq!(find_combination(&amounts, 82_000, 3), Combination::None);
        // two equal invoices: which one was paid cannot be told
        let twins = [10_000, 10_000, 5_000];
        assert!(matches!(
            find_combination(&twins, 15_000, 4),
            Combination::Ambiguous(_)
        ));
        assert_eq!(find_combination(&amounts, 10_000, 4), Combination::None);
    }

    #[test]
    fn discount_rounds_to_cents() {
        assert_eq!(discounted(801_780, dec!(2), Currency::EUR), Some(785_740));
        assert_eq!(discounted(801_780, dec!(0), Currency::EUR), None);
    }
}
