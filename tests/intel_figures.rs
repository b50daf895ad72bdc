//! The key figures through the store, on a small book worked by hand.

mod intel_support;

use encours::store::intel::figures::key_figures;
use intel_support::*;

#[test]
fn key_figures_worked_by_hand() {
    let mut f = Fixture::new();
    f.customer("A", "Alpha", |_| {});
    // Sales: Nov 2,000; Dec 6,000; Jan 9,000; Feb 12,000; Mar 4,000 + 6,000 = 10,000.
    let n1 = f.issued("A", "N1", d(2025, 11, 1), "2000.00"); // due 1 Dec
    let d1 = f.issued("A", "D1", d(2025, 12, 5), "6000.00"); // due 4 Jan
    let j1 = f.issued("A", "J1", d(2026, 1, 10), "9000.00"); // due 9 Feb
    f.issued("A", "F1", d(2026, 2, 10), "12000.00"); // due 12 Mar
    f.issued("A", "M1", d(2026, 3, 5), "4000.00"); // due 4 Apr
    f.issued("A", "M2", d(2026, 3, 20), "6000.00"); // due 19 Apr
    f.pay(n1, d(2025, 12, 31), "2000.00", None); // 30 days late
    f.pay(d1, d(2026, 1, 14), "6000.00", None); // 10 days late
    f.pay(j1, d(2026, 2, 19), "6000.00", None); // partial: 3,000 left
    // Bank: account X closed at 12,000 on 30 March, then +500 booked on 31 March;
    // account Y closed at 3,500 on 31 March.
    let x = "FR7630006000011234567890189";
    f.closing_balance(d(2026, 3, 30), "12000.00", x);
    f.bank_line(d(2026, 3, 31), "500.00", "Quelqu'un", None, false);
    f.closing_balance(d(2026, 3, 31), "3500.00", "FR7610096000501234567890130");
    // Payables: 9,000 due 15 April and 1,000 overdue since 1 March count (within 30 days);
    // 4,000 due 15 May does not.
    f.supplier_invoice("S1", d(2026, 4, 15), "9000.00");
    f.supplier_invoice("S2", d(2026, 3, 1), "1000.00");
    f.supplier_invoice("S3", d(2026, 5, 15), "4000.00");
    f.settings.figures.short_term_credit_drawn = dec("5000.00");

    let k = key_figures(f.store.conn(), &f.params(), d(2026, 3, 31)).unwrap();
    // Open: J1 3,000 + F1 12,000 + M1 4,000 + M2 6,000 = 25,000; overdue J1 + F1 = 15,000.
    assert_eq!(k.open, dec("25000"));
    assert_eq!(k.overdue, dec("15000"));
    assert_eq!(k.overdue_ratio, Some(dec("0.6")));
    // Countback: March 10,000 (31 days) → 15,000 left; February 12,000 (28 days) → 3,000
    // left; January 9,000 covers 3,000: 31 × 3/9 = 10.33. DSO = 31 + 28 + 10.33 = 69.33.
    assert!(k.dso_countback.complete);
    assert_eq!(k.dso_countback.days.round_dp(2), dec("69.33"));
    assert_eq!(k.countback.len(), 3);
    // Simple: sales of 1 Jan – 31 Mar = 31,000; 25,000 / 31,000 × 90 = 72.58.
    assert_eq!(k.sales_90_days, dec("31000"));
    assert_eq!(k.dso_simple.unwrap().round_dp(2), dec("72.58"));
    // Paid in the last 6 months: N1 (2,000, 30 days late) and D1 (6,000, 10 days late);
    // J1 is not fully paid. (2,000 × 30 + 6,000 × 10) / 8,000 = 15 days.
    assert_eq!(k.average_days_late, Some(dec("15")));
    assert_eq!(k.france_average_days_late, dec("12.6"));
    // CEI over 90 days from 31 Dec: opening 6,000 (D1; N1 was paid that day), sales 31,000,
    // closing 25,000, closing current 10,000 (M1 + M2):
    // (6,000 + 31,000 − 25,000) / (6,000 + 31,000 − 10,000) × 100 = 12,000 / 27,000 = 44.44 %.
    assert_eq!(k.cei_inputs.opening_receivables, dec("6000"));
    assert_eq!(k.cei.unwrap().round_dp(2), dec("44.44"));
    // Net cash: 12,000 + 500 + 3,500 = 16,000; − payables 10,000 − credit 5,000 = 1,000.
    assert_eq!(k.net_cash.bank_balances, dec("16000"));
    assert_eq!(k.net_cash.bank_balance_date, Some(d(2026, 3, 31)));
    assert_eq!(k.net_cash.payables_due, dec("10000"));
    assert_eq!(k.net_cash.net, dec("1000"));
    assert!(!k.net_cash.alert);
    // Cost at 10 % margin: F1 12,000 → 120,000 of sales; J1 3,000 → 30,000.
    assert_eq!(k.costliest_unpaid[0].number, "F1");
    assert_eq!(k.costliest_unpaid[0].sales_needed, dec("120000"));
    assert_eq!(k.costliest_unpaid[1].sales_needed, dec("30000"));
    assert_eq!(k.overdue_sales_needed, Some(dec("150000")));
}
