//! A run large enough for the bulk write path (`store::matching::set_aside`): the
//! allocation indexes and the paid-state indexes of the invoices are dropped for the run's
//! writes and built again before it commits. What the run leaves must be what the
//! row-by-row path leaves: the same indexes, each invoice's first payment and settled day
//! equal to their recomputation from the allocation rows, and the triggers back on.

use super::support::*;
use encours::domain::ageing::Buckets;
use encours::store::ageing;
use encours::store::matching as m;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const INVOICES: usize = 24_000;
const PAID: usize = 22_000;

fn indexes(b: &Books) -> Vec<(String, String)> {
    let conn = b.store.conn();
    let mut stmt = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
             AND tbl_name IN ('allocations', 'invoices') ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// Every invoice's stored (first payment day, settled day) against the ones recomputed
/// from its active allocations.
fn assert_paid_state_follows_allocations(b: &Books) {
    let conn = b.store.conn();
    let mut paid: BTreeMap<i64, Vec<(String, i64)>> = BTreeMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT invoice_id, paid_on, amount_minor FROM allocations WHERE undone_at IS NULL",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        paid.entry(r.get(0).unwrap())
            .or_default()
            .push((r.get(1).unwrap(), r.get(2).unwrap()));
    }
    let mut stmt = conn
        .prepare("SELECT id, amount_minor - prepaid_minor, first_paid_on, settled_on FROM invoices")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut checked = 0;
    while let Some(r) = rows.next().unwrap() {
        let id: i64 = r.get(0).unwrap();
        let owed: i64 = r.get(1).unwrap();
        let mut list = paid.remove(&id).unwrap_or_default();
        list.sort();
        let first = list.first().map(|p| p.0.clone());
        let mut sum = 0;
        let settled = list.iter().enumerate().find_map(|(k, (on, minor))| {
            sum += minor;
            let day_ends = list.get(k + 1).is_none_or(|next| &next.0 != on);
            (day_ends && sum >= owed).then(|| on.clone())
        });
        let stored: (Option<String>, Option<String>) = (r.get(2).unwrap(), r.get(3).unwrap());
        assert_eq!(stored, (first, settled), "invoice #{id}");
        checked += 1;
    }
    assert_eq!(checked, INVOICES);
}

#[test]
fn a_run_over_most_of_the_book_keeps_indexes_and_paid_state() {
    let mut b = Books::new();
    // Even numbers of cents: half of each is still whole cents.
    let amount = |i: usize| Decimal::new(10_000 + (i as i64 % 977) * 26, 2);
    b.invoices(
        (0..INVOICES)
            .map(|i| {
                let customer = ["C1", "C2", "C3"][i % 3];
                invoice(&format!("FB-{i:06}"), customer, (i % 60) as u32, amount(i))
            })
            .collect(),
    );
    // One invoice paid in part before the run: the run recomputes it from its rows.
    b.bank(vec![line(61, Decimal::new(2_000, 2), "", None, "acompte")]);
    let deposit = b.tx_id("acompte");
    let target = b.invoice_id("FB-000003");
    m::assign(&mut b.store, deposit, &[target], &actor("amy")).unwrap();
    // Most invoices paid in full by a payment naming them, every seventh in part (it stays
    // open), two payments on the same day for every eleventh.
    let mut lines = Vec::new();
    for i in 0..PAID {
        let text = format!("Reglement facture FB-{i:06}");
        let on = 62 + (i % 40) as u32;
        if i % 7 == 0 {
            lines.push(line(on, amount(i) / Decimal::TWO, "", None, &text));
        } else if i % 11 == 0 {
            let half = amount(i) / Decimal::TWO;
            lines.push(line(on, half, "", None, &text));
            lines.push(line(
                on,
                amount(i) - half,
                "",
                None,
                &format!("{text} solde"),
            ));
        } else {
            lines.push(line(on, amount(i), "", None, &text));
        }
    }
    b.bank(lines);
    let before = indexes(&b);
    let run = b.run();
    assert!(
        run.allocation_ids.len() >= PAID,
        "{}",
        run.allocation_ids.len()
    );
    assert_eq!(
        indexes(&b),
        before,
        "the indexes set aside are all built again"
    );
    let check: String = b
        .store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_paid_state_follows_allocations(&b);
    let open = b.open();
    assert_eq!(open.get("FB-000001"), None, "paid in full");
    assert_eq!(open["FB-000007"], amount(7) - amount(7) / Decimal::TWO);
    assert_eq!(open["FB-023999"], amount(23_999));
    assert_eq!(
        open.get("FB-000003"),
        None,
        "the deposit and the run's payment"
    );

    // The triggers are back on after the run: undoing a run's allocation reopens its
    // invoice, and the paid state follows.
    let first = run.allocation_ids[1];
    m::undo_allocation(&mut b.store, first, "wrong invoice", &actor("amy")).unwrap();
    assert_paid_state_follows_allocations(&b);
    let total = ageing::ageing_report(b.store.conn(), day(200), Buckets::default(), 30)
        .unwrap()
        .total
        .open;
    let expected: i64 = b
        .store
        .conn()
        .query_row(
            "SELECT SUM(MAX(0, i.amount_minor - i.prepaid_minor - COALESCE((SELECT SUM(a.amount_minor)
                 FROM allocations a WHERE a.invoice_id = i.id AND a.undone_at IS NULL), 0)))
             FROM invoices i",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(total, Decimal::new(expected, 2));
}
