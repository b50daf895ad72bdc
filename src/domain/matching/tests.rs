//! Table tests for each rule, on hand-made data.

use super::*;
use crate::domain::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(super) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(u64::from(d))
}

pub(super) fn inv(id: i64, number: &str, customer: i64, issued: u32, open: Decimal) -> OpenInvoice {
    OpenInvoice {
        id,
        number: number.to_string(),
        number_key: crate::import::text::normalise_reference(number),
        customer_id: customer,
        issue_date: day(issued),
        due_date: Some(day(issued + 30)),
        open,
        currency: Currency::EUR,
        ..Default::default()
    }
}

pub(super) fn credit(id: i64, on: u32, amount: Decimal, text: &str) -> CreditLine {
    CreditLine {
        id,
        date: day(on),
        amount,
        currency: Currency::EUR,
        remittance: text.to_string(),
        ..Default::default()
    }
}

fn from(mut c: CreditLine, name: &str, iban: Option<&str>) -> CreditLine {
    c.counterparty_name = Some(name.to_string());
    c.counterparty_iban = iban.map(str::to_string);
    c
}

fn dir() -> PayerDirectory {
    PayerDirectory {
        customers: vec![
            (1, "ACME SARL".into()),
            (2, "Boulangerie Dupont".into()),
            (3, "E.LECLERC CARPENTR".into()),
        ],
        aliases: vec![PayerAlias {
            customer_id: 2,
            name_key: None,
            iban: Some("FR7630006000011234567890189".into()),
        }],
    }
}

fn run(credits: &[CreditLine], invoices: &[OpenInvoice]) -> MatchOutcome {
    match_credits(credits, invoices, &dir(), &MatchParams::default())
}

/// (invoice id, amount, rule) of every allocation of transaction `tx`.
fn allocs(out: &MatchOutcome, tx: i64) -> Vec<(i64, Decimal, Rule)> {
    out.allocations
        .iter()
        .filter(|a| a.transaction_id == tx)
        .map(|a| (a.invoice_id, a.amount, a.rule))
        .collect()
}

#[test]
fn rule_1_structured_reference() {
    let mut rf = inv(10, "FA-2024-0001", 1, 0, dec!(250.00));
    rf.payment_reference = Some("RF18 5390 0754 7034".into());
    let invoices = [rf, inv(11, "FA-2024-0002", 1, 0, dec!(99.00))];
    let cases: [(&str, i64); 4] = [
        ("RF18539007547034", 10),
        ("rf18 5390 0754 7034", 10),
        ("FA20240002", 11),
        ("fa 2024 2", 11),
    ];
    for (reference, want) in cases {
        let mut c = credit(1, 5, dec!(50.00), "no number here");
        c.structured_ref = Some(reference.into());
        let out = run(&[c], &invoices);
        assert_eq!(
            allocs(&out, 1),
            [(want, dec!(50.00), Rule::StructuredReference)],
            "{reference}"
        );
        assert!(
            out.allocations[0].evidence.contains(reference),
            "{reference}"
        );
    }
}

#[test]
fn rule_2_number_in_text_whatever_its_spelling() {
    let invoices = [
        inv(20, "FA-2024-000123", 1, 0, dec!(100.00)),
        inv(21, "INV-77", 2, 0, dec!(40.00)),
    ];
    let cases: [(&str, Option<i64>); 9] = [
        ("VIR ACME PAIEMENT FACTURE FA-2024-000123", Some(20)),
        ("paiement fa2024000123 merci", Some(20)), // dashes left out, zeros kept
        ("Facture FA 2024 123", Some(20)),
        ("FA-2024-0123", Some(20)),
        ("reglement 2024-000123", Some(20)), // letters prefix missing
        ("FACT2024/123", Some(20)),
        ("inv 77", Some(21)),
        ("INV77/ACME", Some(21)),
        ("12 bouteilles 77 cartons", None), // short numbers prove nothing alone
    ];
    for (text, want) in cases {
        let out = run(&[credit(1, 5, dec!(30.00), text)], &invoices);
        let got: Vec<i64> = allocs(&out, 1).iter().map(|a| a.0).collect();
        assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{text}");
        if want.is_some() {
            assert_eq!(out.allocations[0].rule, Rule::ReferenceInText, "{text}");
        }
    }
}

#[test]
fn a_short_number_counts_only_when_the_amount_fits() {
    let invoices = [inv(30, "FA-12", 1, 0, dec!(120.00))];
    let out = run(&[credit(1, 5, dec!(55.00), "LOT 12 PALETTES")], &invoices);
    assert!(out.allocations.is_empty());
    let out = run(&[credit(1, 5, dec!(120.00), "REGLEMENT 12")], &invoices);
    assert_eq!(allocs(&out, 1), [(30, dec!(120.00), Rule::ReferenceInText)]);
}

#[test]
fn rule_3_known_payer_and_amount() {
    let invoices = [
        inv(40, "A-1", 2, 0, dec!(80.00)),
        inv(41, "A-2", 2, 3, dec!(125.40)),
        inv(42, "B-1", 1, 0, dec!(125.40)),
    ];
    // by learned IBAN
    let c = from(
        credit(1, 10, dec!(125.40), "VIR"),
        "M DUPONT",
        Some("FR76 3000 6000 0112 3456 7890 189"),
    );
    let out = run(&[c], &invoices);
    assert_eq!(
        allocs(&out, 1),
        [(41, dec!(125.40), Rule::KnownPayerAmount)]
    );
    assert!(
        out.allocations[0].evidence.contains("IBAN"),
        "{}",
        out.allocations[0].evidence
    );
    // by the customer's own name, whatever its legal form and case
    let c = from(credit(2, 10, dec!(125.40), "VIR"), "acme sas", None);
    let out = run(&[c], &invoices);
    assert_eq!(
        allocs(&out, 2),
        [(42, dec!(125.40), Rule::KnownPayerAmount)]
    );
    // name truncated by the bank
    let invoices = [inv(43, "C-1", 3, 0, dec!(74.70))];
    let c = from(credit(3, 10, dec!(74.70), ""), "E.LECLERC CARPENTRAS", None);
    assert_eq!(allocs(&run(&[c], &invoices), 3).len(), 1);
    // unknown payer: nothing automatic
    let c = from(credit(4, 10, dec!(74.70), ""), "SOMEONE ELSE", None);
    assert!(run(&[c], &invoices).allocations.is_empty());
}

#[test]
fn rule_3_needs_exactly_one_invoice_issued_before_the_payment() {
    let twins = [
        inv(50, "A-1", 1, 0, dec!(93.41)),
        inv(51, "A-2", 1, 2, dec!(93.41)),
    ];
    let c = from(credit(1, 10, dec!(93.41), ""), "ACME", None);
    let out = run(std::slice::from_ref(&c), &twins);
    assert!(out.allocations.is_empty());
    let suggested: Vec<i64> = out.unmatched[0]
        .suggestions
        .iter()
        .map(|s| s.invoice_id)
        .collect();
    assert_eq!(suggested, [50, 51], "both twins suggested, oldest first");
    let later = [inv(52, "A-3", 1, 20, dec!(93.41))];
    assert!(run(&[c], &later).allocations.is_empty());
}

#[test]
fn rule_3_discount_and_fees_settle_with_a_write_off() {
    let mut discounted = inv(60, "D-1", 1, 0, dec!(1000.00));
    discounted.discount_percent = Some(dec!(2));
    let invoices = [discounted, inv(61, "D-2", 1, 0, dec!(500.00))];
    let c = from(credit(1, 5, dec!(980.00), ""), "ACME", None);
    let out = run(&[c], &invoices);
    assert_eq!(
        allocs(&out, 1),
        [
            (60, dec!(980.00), Rule::KnownPayerAmount),
            (60, dec!(20.00), Rule::DiscountWriteOff)
        ]
    );
    let c = from(credit(2, 5, dec!(498.50), ""), "ACME", None);
    let out = run(&[c], &invoices);
    assert_eq!(
        allocs(&out, 2),
        [
            (61, dec!(498.50), Rule::KnownPayerAmount),
            (61, dec!(1.50), Rule::FeeWriteOff)
        ]
    );
    assert!(out.overpayments.is_empty());
}

#[test]
fn rule_4_combinations_of_two_and_three() {
    let invoices = [
        inv(70, "C-1", 1, 0, dec!(100.00)),
        inv(71, "C-2", 1, 1, dec!(250.00)),
        inv(72, "C-3", 1, 2, dec!(37.50)),
        inv(73, "C-4", 1, 3, dec!(1000.00)),
    ];
    let cases: [(Decimal, &[i64]); 4] = [
        (dec!(350.00), &[70, 71]),
        (dec!(387.50), &[70, 71, 72]),
        (dec!(1137.50), &[70, 72, 73]),
        (dec!(5.00), &[]),
    ];
    for (amount, want) in cases {
        let c = from(credit(1, 10, amount, ""), "ACME", None);
        let out = run(&[c], &invoices);
        let got: Vec<i64> = allocs(&out, 1).iter().map(|a| a.0).collect();
        assert_eq!(got, want, "{amount}");
        assert!(
            allocs(&out, 1)
                .iter()
                .all(|a| a.2 == Rule::KnownPayerCombination),
            "{amount}"
        );
    }
    // two ways to make 150.00: a person decides
    let ambiguous = [
        inv(74, "E-1", 1, 0, dec!(50.00)),
        inv(75, "E-2", 1, 1, dec!(100.00)),
        inv(76, "E-3", 1, 2, dec!(70.00)),
        inv(77, "E-4", 1, 3, dec!(80.00)),
    ];
    let c = from(credit(2, 10, dec!(150.00), ""), "ACME", None);
    assert!(run(&[c], &ambiguous).allocations.is_empty());
}

/// The evidence is written in the language of whoever runs the rules: a French operator's
/// trail reads in French, amounts written the French way.
#[test]
fn the_evidence_speaks_the_language_it_is_asked_in() {
    let invoices = [
        inv(81, "FA-2024-0081", 1, 5, dec!(1300.00)),
        inv(80, "FA-2024-0080", 1, 1, dec!(200.00)),
    ];
    let text = "FACTURES FA-2024-0081 ET FA-2024-0080";
    let credits = [credit(2, 10, dec!(1350.00), text)];
    let french = MatchParams {
        lang: Language::Fr,
        ..MatchParams::default()
    };
    let out = match_credits(&credits, &invoices, &dir(), &french);
    let evidence: Vec<&str> = out
        .allocations
        .iter()
        .map(|a| a.evidence.as_str())
        .collect();
    assert_eq!(
        evidence,
        [
            "facture FA-2024-0080 citée dans le libellé bancaire sous la forme 'FA-2024-0080'",
            "facture FA-2024-0081 citée dans le libellé bancaire sous la forme 'FA-2024-0081' ; \
             paie 1 150,00 € sur les 1 300,00 € restant dus, la facture reste ouverte",
        ]
    );
    let english = run(&credits, &invoices);
    assert_eq!(
        english.allocations[1].evidence,
        "invoice FA-2024-0081 named in the bank text as 'FA-2024-0081'; \
         pays €1,150.00 of the €1,300.00 open, the invoice stays open"
    );
}

#[test]
fn several_numbers_in_text_oldest_first_partial_and_over_payments() {
    let invoices = [
        inv(81, "FA-2024-0081", 1, 5, dec!(300.00)),
        inv(80, "FA-2024-0080", 1, 1, dec!(200.00)),
    ];
    let text = "FACTURES FA-2024-0081 ET FA-2024-0080";
    let out = run(&[credit(1, 10, dec!(500.00), text)], &invoices);
    assert_eq!(
        allocs(&out, 1),
        [
            (80, dec!(200.00), Rule::ReferenceInText),
            (81, dec!(300.00), Rule::ReferenceInText)
        ]
    );
    // short: the oldest is paid, the other partly and stays open
    let out = run(&[credit(2, 10, dec!(350.00), text)], &invoices);
    assert_eq!(
        allocs(&out, 2),
        [
            (80, dec!(200.00), Rule::ReferenceInText),
            (81, dec!(150.00), Rule::ReferenceInText)
        ]
    );
    assert!(out.allocations[1].evidence.contains("stays open"));
    // over: the open amounts are paid, the rest stays on the bank line
    let out = run(&[credit(3, 10, dec!(520.00), text)], &invoices);
    assert_eq!(allocs(&out, 3).len(), 2);
    assert_eq!(
        out.overpayments,
        [Overpayment {
            transaction_id: 3,
            left: dec!(20.00)
        }]
    );
}

#[test]
fn partial_payment_then_the_balance() {
    let invoices = [inv(90, "FA-2024-0090", 1, 0, dec!(100.00))];
    let first = credit(1, 10, dec!(40.00), "ACOMPTE FA-2024-0090");
    let balance = from(credit(2, 20, dec!(60.00), "SOLDE"), "ACME", None);
    let out = run(&[balance, first], &invoices);
    assert_eq!(allocs(&out, 1), [(90, dec!(40.00), Rule::ReferenceInText)]);
    assert_eq!(allocs(&out, 2), [(90, dec!(60.00), Rule::KnownPayerAmount)]);
}

#[test]
fn payer_named_in_free_text_when_the_bank_gives_no_name() {
    let invoices = [inv(95, "Z-1", 2, 0, dec!(64.00))];
    let out = run(
        &[credit(1, 5, dec!(64.00), "VIR SEPA BOULANGERIE DUPONT")],
        &invoices,
    );
    assert_eq!(allocs(&out, 1), [(95, dec!(64.00), Rule::KnownPayerAmount)]);
}

#[test]
fn other_currencies_never_mix() {
    let mut usd = inv(96, "FA-2024-0096", 1, 0, dec!(10.00));
    usd.currency = Currency::parse("USD").unwrap();
    let out = run(&[credit(1, 5, dec!(10.00), "FA-2024-0096")], &[usd]);
    assert!(out.allocations.is_empty());
}

#[test]
fn suggestions_carry_their_components_and_respect_the_floor() {
    let invoices = [
        inv(97, "S-1", 1, 0, dec!(64.00)),
        inv(98, "S-2", 2, 0, dec!(10.00)),
    ];
    let out = run(&[credit(1, 5, dec!(64.00), "anonymous")], &invoices);
    let s = &out.unmatched[0].suggestions;
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].invoice_id, 97);
    assert_eq!(
        s[0].components,
        ScoreComponents {
            reference: 0,
            amount: 30,
            payer: 0,
            date: 10
        }
    );
    assert_eq!(s[0].score, 40);
    let strict = MatchParams {
        min_suggestion_score: 41,
        ..MatchParams::default()
    };
    let out = match_credits(
        &[credit(1, 5, dec!(64.00), "x")],
        &invoices,
        &dir(),
        &strict,
    );
    assert!(out.unmatched[0].suggestions.is_empty());
}

#[test]
fn reversals_take_back_the_right_credit() {
    let past = |id, on, amount: Decimal, iban: &str, matched| PastCredit {
        id,
        date: day(on),
        amount,
        currency: Currency::EUR,
        counterparty_iban: Some(iban.to_string()),
        matched,
        ..Default::default()
    };
    let back = |id, on, amount: Decimal, iban: Option<&str>, flagged| ReversalCandidate {
        id,
        date: day(on),
        amount,
        currency: Currency::EUR,
        flagged,
        counterparty_iban: iban.map(str::to_string),
        ..Default::default()
    };
    let credits = [
        past(1, 0, dec!(100.00), "FR1", true),
        past(2, 5, dec!(100.00), "FR2", true),
        past(3, 5, dec!(70.00), "FR3", false),
    ];
    let cases: [(ReversalCandidate, Option<i64>); 6] = [
        (back(10, 20, dec!(-100.00), Some("FR1"), true), Some(1)),
        (back(10, 20, dec!(-100.00), None, true), None), // two candidates, nothing to tell them apart
        (back(10, 20, dec!(-70.00), None, true), Some(3)), // the only one
        (back(10, 20, dec!(-100.00), Some("FR2"), false), Some(2)), // a mirroring debit
        (back(10, 20, dec!(-70.00), Some("FR3"), false), None), // mirrors an unmatched credit
        (back(10, 90, dec!(-100.00), Some("FR1"), true), None), // beyond 60 days
    ];
    for (candidate, want) in cases {
        let found = find_reversals(std::slice::from_ref(&candidate), &credits, Language::En);
        assert_eq!(
            found.iter().map(|f| f.credit_id).next(),
            want,
            "{candidate:?}"
        );
    }
}

mod property {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn cents(max: i64) -> impl Strategy<Value = Decimal> {
        (1..max).prop_map(|c| Decimal::new(c, 2))
    }

    proptest! {
        #[test]
        fn never_over_allocates(
            invoices in prop::collection::vec((0..4i64, 0..30u32, cents(50_000), any::<bool>()), 1..25),
            credits in prop::collection::vec((0..40u32, cents(80_000), 0..4usize, any::<u8>()), 1..25),
        ) {
            let invoices: Vec<OpenInvoice> = invoices
                .iter()
                .enumerate()
                .map(|(i, (cust, issued, open, disc))| {
                    let mut v = inv(i as i64 + 1, &format!("FA-{}", i + 1), *cust, *issued, *open);
                    v.discount_percent = disc.then_some(dec!(2));
                    v
                })
                .collect();
            let names = ["ACME", "Boulangerie Dupont", "E.LECLERC CARPENTR", "nobody"];
            let credits: Vec<CreditLine> = credits
                .iter()
                .enumerate()
                .map(|(i, (on, amount, who, refn))| {
                    let text = format!("FA-{} FA-{}", refn % 30, (refn / 8) % 30);
                    from(credit(i as i64 + 1, *on, *amount, &text), names[*who], None)
                })
                .collect();
            let out = run(&credits, &invoices);
            let mut per_invoice: HashMap<i64, Decimal> = HashMap::new();
            let mut per_credit: HashMap<i64, Decimal> = HashMap::new();
            for a in &out.allocations {
                prop_assert!(a.amount > Decimal::ZERO);
                *per_invoice.entry(a.invoice_id).or_default() += a.amount;
                if a.rule.consumes_payment() {
                    *per_credit.entry(a.transaction_id).or_default() += a.amount;
                }
            }
            for v in &invoices {
                prop_assert!(per_invoice.get(&v.id).copied().unwrap_or_default() <= v.open);
            }
            for c in &credits {
                let used = per_credit.get(&c.id).copied().unwrap_or_default();
                let kept: Decimal = out.overpayments.iter().filter(|o| o.transaction_id == c.id).map(|o| o.left).sum();
                prop_assert!(used + kept <= c.amount);
            }
            // Deciding, then suggesting apart (as a run does on two threads), gives the same.
            let (payers, params) = (dir(), MatchParams::default());
            let decided = super::super::decide(&credits, &invoices, &payers, &params);
            let mut apart = decided.outcome();
            let suggestions = decided.suggestions();
            prop_assert_eq!(suggestions.len(), apart.unmatched.len());
            for (left, list) in apart.unmatched.iter_mut().zip(suggestions) {
                left.suggestions = list;
            }
            prop_assert_eq!(apart, out);
        }
    }
}
