//! A person's decisions: assign, accept, undo; and what a manual match teaches.

use crate::support::*;
use encours::domain::matching::{MatchParams, Rule};
use encours::store::matching as m;
use rust_decimal_macros::dec;

#[test]
fn a_manual_match_teaches_the_payer_for_the_next_payment() {
    let mut b = Books::new();
    b.invoices(vec![
        invoice("G-1", "C3", 0, dec!(510.00)),
        invoice("G-2", "C3", 20, dec!(77.70)),
    ]);
    b.bank(vec![line(
        10,
        dec!(510.00),
        "SCI LES TILLEULS",
        Some(ACME_IBAN),
        "LOYER MARS",
    )]);
    let s = b.run();
    assert!(s.allocation_ids.is_empty());
    let tx = b.tx_id("LOYER MARS");
    let left = s.left.iter().find(|c| c.transaction_id == tx).unwrap();
    assert_eq!(
        left.suggestions[0].invoice_number, "G-1",
        "same amount: suggested"
    );
    let g1 = b.invoice_id("G-1");
    let ids = m::assign(&mut b.store, tx, &[g1], &actor("alice")).unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        b.allocs(tx),
        [("G-1".to_string(), dec!(510.00), rule(Rule::Manual))]
    );
    let (who, learned): (String, String) = b
        .store
        .conn()
        .query_row(
            "SELECT a.who, p.iban FROM allocations a, payer_aliases p WHERE a.id = ?1",
            [ids[0]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((who.as_str(), learned.as_str()), ("alice", ACME_IBAN));
    assert_eq!(b.events("manual_match"), 1);
    assert_eq!(b.events("payer_learned"), 1);
    // The same IBAN pays again, another amount, no reference: rule 3 now knows it.
    b.bank(vec![line(
        40,
        dec!(77.70),
        "SCI LES TILLEULS",
        Some(ACME_IBAN),
        "AVRIL",
    )]);
    b.run();
    let next = b.allocs(b.tx_id("AVRIL"));
    assert_eq!(
        next,
        [("G-2".to_string(), dec!(77.70), rule(Rule::KnownPayerAmount))]
    );
    let evidence =
        &m::allocations_of_transaction(b.store.conn(), b.tx_id("AVRIL")).unwrap()[0].evidence;
    assert!(evidence.contains("learned"), "{evidence}");
}

#[test]
fn undo_accept_and_assign_to_a_customer() {
    let mut b = Books::new();
    b.invoices(vec![
        invoice("H-1", "C1", 0, dec!(60.00)),
        invoice("H-2", "C1", 5, dec!(60.00)),
        invoice("H-3", "C1", 9, dec!(50.00)),
        invoice("H-9", "C3", 9, dec!(999.00)),
    ]);
    b.bank(vec![
        line(10, dec!(60.00), "ACME", None, "PREMIER"),
        line(11, dec!(90.00), "", None, "DEUXIEME"),
    ]);
    let s = b.run();
    // Two invoices of 60.00: rule 3 cannot tell which; both suggested, oldest first.
    let first = b.tx_id("PREMIER");
    let waiting = s.left.iter().find(|c| c.transaction_id == first).unwrap();
    let suggested: Vec<&str> = waiting
        .suggestions
        .iter()
        .map(|s| s.invoice_number.as_str())
        .collect();
    assert_eq!(suggested[..2], ["H-1", "H-2"]);
    let (h2, h9) = (b.invoice_id("H-2"), b.invoice_id("H-9"));
    let err = m::accept_suggestion(
        &mut b.store,
        &MatchParams::default(),
        first,
        h9,
        &actor("bob"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("not among the suggestions"), "{err}");
    let ids = m::accept_suggestion(
        &mut b.store,
        &MatchParams::default(),
        first,
        h2,
        &actor("bob"),
    )
    .unwrap();
    assert_eq!(
        b.allocs(first),
        [(
            "H-2".to_string(),
            dec!(60.00),
            rule(Rule::SuggestionAccepted)
        )]
    );
    // Undone: H-2 open again, and no rule takes the credit back on its own.
    let undone = m::undo_allocation(&mut b.store, ids[0], "wrong invoice", &actor("bob")).unwrap();
    assert_eq!(undone, ids);
    assert_eq!(b.open()["H-2"], dec!(60.00));
    assert!(b.run().allocation_ids.is_empty());
    let err = m::undo_allocation(&mut b.store, ids[0], "", &actor("bob"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("undone already"), "{err}");
    // 90.00 to the customer: oldest first, the last one partly.
    let second = b.tx_id("DEUXIEME");
    let customer: i64 = b
        .store
        .conn()
        .query_row("SELECT id FROM customers WHERE code = 'C1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    m::assign_to_customer(&mut b.store, second, customer, &actor("bob")).unwrap();
    assert_eq!(
        b.allocs(second),
        [
            ("H-1".to_string(), dec!(60.00), rule(Rule::Manual)),
            ("H-2".to_string(), dec!(30.00), rule(Rule::Manual))
        ]
    );
    assert_eq!(b.open()["H-2"], dec!(30.00));
    b.assert_never_over_allocated();
}

#[test]
fn manual_decisions_refuse_what_cannot_be() {
    let mut b = Books::new();
    b.invoices(vec![invoice("K-1", "C1", 0, dec!(10.00))]);
    b.bank(vec![
        line(10, dec!(-10.00), "X", None, "DEBIT"),
        line(10, dec!(10.00), "X", None, "CREDIT"),
    ]);
    let k1 = b.invoice_id("K-1");
    let (debit, credit) = (b.tx_id("DEBIT"), b.tx_id("CREDIT"));
    let err = m::assign(&mut b.store, debit, &[k1], &actor("x"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("is a debit"), "{err}");
    let err = m::assign(&mut b.store, 999, &[k1], &actor("x"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no bank line #999"), "{err}");
    m::assign(&mut b.store, credit, &[k1], &actor("x")).unwrap();
    let err = m::assign(&mut b.store, credit, &[k1], &actor("x"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("fully allocated"), "{err}");
    // Nothing half-written: one manual match, one allocation.
    assert_eq!(b.events("manual_match"), 1);
}

#[test]
fn suggestions_are_queryable_without_writing() {
    let mut b = Books::new();
    b.invoices(vec![invoice("S-1", "C2", 0, dec!(64.00))]);
    b.bank(vec![line(10, dec!(64.00), "INCONNU", None, "VIR")]);
    let list = m::suggestions(b.store.conn(), &MatchParams::default()).unwrap();
    assert_eq!(list.len(), 1);
    let s = &list[0].suggestions[0];
    assert_eq!(
        (
            s.invoice_number.as_str(),
            s.components.amount,
            s.components.payer
        ),
        ("S-1", 30, 0)
    );
    assert_eq!(b.events("matching_run"), 0);
}
