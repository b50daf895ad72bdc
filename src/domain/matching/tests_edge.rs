//! Edge cases: many invoice prefixes, ambiguous references and payers, suggestions alone.

use super::tests::{credit, inv};
use super::*;
use rust_decimal_macros::dec;

fn no_payers() -> PayerDirectory {
    PayerDirectory::default()
}

#[test]
fn a_number_without_its_prefix_is_found_among_many_prefixes() {
    // Nine letter prefixes: tails are indexed rather than tried behind each prefix.
    let prefixes = ["AA", "BB", "CC", "DD", "EE", "FF", "GG", "HH", "QQ"];
    let invoices: Vec<OpenInvoice> = prefixes
        .iter()
        .enumerate()
        .map(|(i, p)| {
            inv(
                i as i64 + 1,
                &format!("{p}-2024-00012{i}"),
                1,
                0,
                dec!(10.00),
            )
        })
        .collect();
    let out = match_credits(
        &[credit(1, 5, dec!(10.00), "PAIEMENT 2024-000128")],
        &invoices,
        &no_payers(),
        &MatchParams::default(),
    );
    let got: Vec<i64> = out.allocations.iter().map(|a| a.invoice_id).collect();
    assert_eq!(got, [9]);
}

#[test]
fn a_structured_reference_naming_two_invoices_only_suggests() {
    // "FA-1" and "FA1" normalise alike: the reference cannot tell them apart.
    let invoices = [
        inv(1, "FA-0001", 1, 0, dec!(50.00)),
        inv(2, "FA0001", 2, 0, dec!(70.00)),
    ];
    let mut c = credit(1, 5, dec!(20.00), "");
    c.structured_ref = Some("FA1".into());
    let out = match_credits(&[c], &invoices, &no_payers(), &MatchParams::default());
    assert!(out.allocations.is_empty());
    let s = &out.unmatched[0].suggestions;
    assert_eq!(s.len(), 2, "{s:?}");
    assert!(s.iter().all(|s| s.components.reference == 30));
}

#[test]
fn two_customers_named_in_the_text_make_no_known_payer() {
    let payers = PayerDirectory {
        customers: vec![(1, "ACME".into()), (2, "Boulangerie Dupont".into())],
        aliases: vec![],
    };
    let invoices = [inv(1, "X-1", 1, 0, dec!(33.00))];
    let out = match_credits(
        &[credit(1, 5, dec!(33.00), "ACME POUR BOULANGERIE DUPONT")],
        &invoices,
        &payers,
        &MatchParams::default(),
    );
    assert!(out.allocations.is_empty());
    // ...but the suggestion still says the payer may be ACME.
    let s = &out.unmatched[0].suggestions[0];
    assert_eq!(s.components.payer, 10);
}

#[test]
fn suggest_for_applies_no_rule() {
    let invoices = [inv(1, "FA-2024-0001", 1, 0, dec!(40.00))];
    let out = suggest_for(
        &[credit(1, 5, dec!(40.00), "FA-2024-0001")],
        &invoices,
        &no_payers(),
        &MatchParams::default(),
    );
    let s = &out[0].suggestions[0];
    assert_eq!((s.invoice_id, s.score), (1, 80), "{s:?}");
    assert_eq!(out[0].left, dec!(40.00));
}

#[test]
fn an_invoice_issued_after_the_payment_is_not_paid_by_a_known_payer() {
    let payers = PayerDirectory {
        customers: vec![(1, "ACME".into())],
        aliases: vec![],
    };
    let mut c = credit(1, 5, dec!(12.00), "");
    c.counterparty_name = Some("ACME".into());
    let later = inv(1, "L-1", 1, 9, dec!(12.00));
    let out = match_credits(&[c], &[later], &payers, &MatchParams::default());
    assert!(out.allocations.is_empty());
}
