//! Each automatic rule, and what runs leave behind.

use crate::support::*;
use encours::domain::matching::Rule;
use encours::store::matching as m;
use rust_decimal_macros::dec;

#[test]
fn structured_reference_and_numbers_in_text_whatever_their_spelling() {
    let mut b = Books::new();
    let mut with_ref = invoice("FA-2024-000100", "C1", 0, dec!(100.00));
    with_ref.payment_reference = Some("RF18 5390 0754 7034".into());
    b.invoices(vec![
        with_ref,
        invoice("FA-2024-000101", "C1", 0, dec!(101.00)),
        invoice("FA-2024-000102", "C2", 0, dec!(102.00)),
        invoice("FA-2024-000103", "C2", 0, dec!(103.00)),
        invoice("INV-77", "C3", 0, dec!(77.00)),
    ]);
    let mut structured = line(5, dec!(100.00), "", None, "PAIEMENT");
    structured.structured_ref = Some("RF18539007547034".into());
    b.bank(vec![
        structured,
        line(6, dec!(101.00), "", None, "vir facture fa 2024 101"),
        line(6, dec!(102.00), "", None, "REGLEMENT 2024-000102 MERCI"),
        line(7, dec!(103.00), "", None, "Fact FA2024000103"),
        line(7, dec!(77.00), "", None, "inv-77/acme"),
        line(8, dec!(12.00), "", None, "12 bouteilles"),
    ]);
    let s = b.run();
    let cases = [
        ("PAIEMENT", "FA-2024-000100", Rule::StructuredReference),
        (
            "vir facture fa 2024 101",
            "FA-2024-000101",
            Rule::ReferenceInText,
        ),
        (
            "REGLEMENT 2024-000102 MERCI",
            "FA-2024-000102",
            Rule::ReferenceInText,
        ),
        ("Fact FA2024000103", "FA-2024-000103", Rule::ReferenceInText),
        ("inv-77/acme", "INV-77", Rule::ReferenceInText),
    ];
    for (text, number, r) in cases {
        let tx = b.tx_id(text);
        let got = b.allocs(tx);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].2.clone()),
            (number, rule(r)),
            "{text}"
        );
    }
    assert!(b.allocs(b.tx_id("12 bouteilles")).is_empty());
    assert_eq!(s.credits_matched, 5);
    assert_eq!(s.by_rule[&Rule::ReferenceInText].count, 4);
    assert_eq!(s.by_rule[&Rule::ReferenceInText].amount, dec!(383.00));
    assert_eq!(s.left.len(), 1);
    assert_eq!(b.events("matching_run"), 1);
    let open = b.open();
    assert!(
        cases.iter().all(|(_, n, _)| !open.contains_key(*n)),
        "{open:?}"
    );
    // A second run finds nothing new and changes nothing.
    let again = b.run();
    assert!(again.allocation_ids.is_empty());
    assert_eq!(b.events("matching_run"), 2);
    b.assert_never_over_allocated();
}

#[test]
fn known_payer_by_iban_or_name_and_combinations() {
    let mut b = Books::new();
    b.invoices(vec![
        invoice("A-1", "C1", 0, dec!(80.00)),
        invoice("A-2", "C1", 1, dec!(125.40)),
        invoice("B-1", "C2", 0, dec!(250.00)),
        invoice("B-2", "C2", 1, dec!(37.50)),
        invoice("B-3", "C2", 2, dec!(100.00)),
        invoice("C-1", "C3", 0, dec!(10.00)),
        invoice("C-2", "C3", 1, dec!(20.00)),
        invoice("C-3", "C3", 2, dec!(30.00)),
    ]);
    b.store
        .conn()
        .execute(
            "INSERT INTO payer_aliases (customer_id, iban, learned_from, created_at)
             SELECT id, ?1, 'test', '2024-01-01' FROM customers WHERE code = 'C1'",
            [ACME_IBAN],
        )
        .unwrap();
    b.bank(vec![
        line(10, dec!(125.40), "M. X", Some(ACME_IBAN), "virement"),
        line(
            10,
            dec!(387.50),
            "BOULANGERIE DUPONT SAS",
            None,
            "reglement",
        ),
        line(10, dec!(40.00), "GARAGE MARTIN", None, "solde"),
    ]);
    b.run();
    assert_eq!(
        b.allocs(b.tx_id("virement")),
        [(
            "A-2".to_string(),
            dec!(125.40),
            rule(Rule::KnownPayerAmount)
        )]
    );
    let combo = b.allocs(b.tx_id("reglement"));
    let numbers: Vec<&str> = combo.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(numbers, ["B-1", "B-2", "B-3"]);
    assert!(
        combo
            .iter()
            .all(|a| a.2 == rule(Rule::KnownPayerCombination))
    );
    // 40.00 = 10 + 30, but the three make no other 40: unique
    let pair = b.allocs(b.tx_id("solde"));
    assert_eq!(
        pair.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(),
        ["C-1", "C-3"]
    );
    b.assert_never_over_allocated();
}

#[test]
fn partial_then_balance() {
    let mut b = Books::new();
    b.invoices(vec![invoice("FA-2024-0009", "C1", 0, dec!(100.00))]);
    b.bank(vec![line(
        10,
        dec!(40.00),
        "ACME",
        None,
        "ACOMPTE FA-2024-0009",
    )]);
    b.run();
    assert_eq!(b.open()["FA-2024-0009"], dec!(60.00));
    let tx = b.tx_id("ACOMPTE FA-2024-0009");
    assert!(b.allocs(tx)[0].1 == dec!(40.00));
    b.bank(vec![line(20, dec!(60.00), "ACME", None, "SOLDE")]);
    let s = b.run();
    assert_eq!(s.by_rule[&Rule::KnownPayerAmount].count, 1);
    assert!(!b.open().contains_key("FA-2024-0009"));
    b.assert_never_over_allocated();
}

#[test]
fn over_payment_stays_on_the_bank_line_and_is_not_matched_again() {
    let mut b = Books::new();
    b.invoices(vec![
        invoice("FA-10", "C1", 0, dec!(100.00)),
        invoice("FA-11", "C1", 1, dec!(20.00)),
    ]);
    b.bank(vec![line(10, dec!(120.50), "ACME", None, "FA-10")]);
    let s = b.run();
    assert_eq!(s.overpayments.len(), 1);
    assert_eq!(s.overpayments[0].left, dec!(20.50));
    let tx = b.tx_id("FA-10");
    assert_eq!(
        b.allocs(tx),
        [(
            "FA-10".to_string(),
            dec!(100.00),
            rule(Rule::ReferenceInText)
        )]
    );
    // The remainder is a person's to place: listed, never taken by a rule.
    let again = b.run();
    assert!(again.allocation_ids.is_empty());
    let left = again.left.iter().find(|c| c.transaction_id == tx).unwrap();
    assert!(left.reviewed);
    assert_eq!(left.left, dec!(20.50));
    assert_eq!(b.open()["FA-11"], dec!(20.00));
}

#[test]
fn early_payment_discount_and_fees_settle_the_invoice() {
    let mut b = Books::new();
    let mut disc = invoice("FA-20", "C2", 0, dec!(1000.00));
    disc.discount_percent = Some(dec!(2));
    b.invoices(vec![disc, invoice("FA-21", "C2", 0, dec!(500.00))]);
    b.bank(vec![
        line(5, dec!(980.00), "BOULANGERIE DUPONT", None, "escompte"),
        line(5, dec!(498.70), "BOULANGERIE DUPONT", None, "frais"),
    ]);
    let s = b.run();
    assert_eq!(s.by_rule[&Rule::DiscountWriteOff].amount, dec!(20.00));
    assert_eq!(s.by_rule[&Rule::FeeWriteOff].amount, dec!(1.30));
    let open = b.open();
    assert!(
        !open.contains_key("FA-20") && !open.contains_key("FA-21"),
        "{open:?}"
    );
    let rows = b.allocs(b.tx_id("escompte"));
    assert_eq!(
        rows[0],
        (
            "FA-20".to_string(),
            dec!(980.00),
            rule(Rule::KnownPayerAmount)
        )
    );
    assert_eq!(
        rows[1],
        (
            "FA-20".to_string(),
            dec!(20.00),
            rule(Rule::DiscountWriteOff)
        )
    );
    // The bank line is used up: the write-off did not take any of its money.
    assert!(b.run().left.is_empty());
    b.assert_never_over_allocated();
}

#[test]
fn a_reversal_undoes_the_allocation_and_the_invoice_is_open_again() {
    let mut b = Books::new();
    b.invoices(vec![invoice("FA-30", "C1", 0, dec!(300.00))]);
    b.bank(vec![line(
        10,
        dec!(300.00),
        "ACME",
        Some(ACME_IBAN),
        "FACTURE FA-30",
    )]);
    b.run();
    assert!(!b.open().contains_key("FA-30"));
    let mut back = line(
        14,
        dec!(-300.00),
        "ACME",
        Some(ACME_IBAN),
        "RETOUR VIREMENT FACTURE FA-30",
    );
    back.reversal = true;
    b.bank(vec![back]);
    let s = b.run();
    assert_eq!(s.reversals.len(), 1);
    assert_eq!(s.reversals[0].undone_allocations.len(), 1);
    assert!(
        s.reversals[0].found.reason.contains("same IBAN"),
        "{}",
        s.reversals[0].found.reason
    );
    assert_eq!(b.open()["FA-30"], dec!(300.00));
    assert_eq!(b.events("payment_reversed"), 1);
    let credit = b.tx_id("FACTURE FA-30");
    let rows = m::allocations_of_transaction(b.store.conn(), credit).unwrap();
    assert!(
        rows[0]
            .undone_reason
            .as_deref()
            .unwrap()
            .contains("takes back")
    );
    // The returned payment is never matched again, nor is the reversal counted twice.
    let again = b.run();
    assert!(again.allocation_ids.is_empty() && again.reversals.is_empty());
    assert!(again.left.iter().all(|c| c.transaction_id != credit));
    assert_eq!(b.open()["FA-30"], dec!(300.00));
}

#[test]
fn a_debit_mirroring_a_matched_credit_is_a_reversal_too() {
    let mut b = Books::new();
    b.invoices(vec![invoice("FA-31", "C3", 0, dec!(45.00))]);
    b.bank(vec![
        line(10, dec!(45.00), "GARAGE MARTIN", Some(ACME_IBAN), "FA-31"),
        line(30, dec!(-45.00), "GARAGE MARTIN", Some(ACME_IBAN), "REJET"),
        line(31, dec!(-45.00), "SOMEONE ELSE", None, "FOURNITURES"),
    ]);
    let s = b.run();
    assert_eq!(s.reversals.len(), 1);
    assert_eq!(s.reversals[0].found.reversal_id, b.tx_id("REJET"));
    assert_eq!(b.open()["FA-31"], dec!(45.00));
}
