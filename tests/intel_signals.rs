//! Weak signals, grades, the order check and the customer page through the store.

mod intel_support;

use encours::domain::dunning::outcome::{Outcome, Stamp};
use encours::domain::model::ExternalRating;
use encours::domain::money::Currency;
use encours::domain::signals::check::Verdict;
use encours::domain::signals::{Assessment, Grade, SignalKind};
use encours::locale::Language;
use encours::store::intel::customers::find_customer;
use encours::store::intel::outcomes::record_outcome;
use encours::store::intel::signals::{assess_all, check};
use encours::store::intel::view::customer_view;
use intel_support::*;

fn today() -> chrono::NaiveDate {
    d(2026, 6, 30)
}

fn find<'a>(all: &'a [Assessment], code: &str) -> &'a Assessment {
    all.iter().find(|a| a.code == code).unwrap()
}

fn sentence(a: &Assessment, kind: SignalKind) -> String {
    a.signals
        .iter()
        .find(|s| s.kind == kind)
        .unwrap_or_else(|| panic!("{} has no {kind:?}: {:?}", a.code, a.signals))
        .sentence(Language::En, Currency::EUR)
}

#[test]
fn payment_history_bank_lines_and_ratings_raise_their_signals() {
    let mut f = Fixture::new();
    let w = f.customer("W", "Worsening SARL", |c| {
        c.credit_limit = Some(dec("1000.00"))
    });
    let old_iban = "FR7611111111111111111111111";
    let new_iban = "FR7622222222222222222222222";
    // Previous six months: three invoices paid 2 days late from the usual account.
    for (i, due) in [d(2025, 11, 10), d(2025, 12, 10), d(2026, 1, 10)]
        .into_iter()
        .enumerate()
    {
        let inv = f.invoice("W", &format!("W-OLD-{i}"), due, "500.00");
        let tx = f.bank_line(
            due + chrono::Duration::days(2),
            "500.00",
            "WORSENING",
            Some(old_iban),
            false,
        );
        f.pay(inv, due + chrono::Duration::days(2), "500.00", Some(tx));
    }
    // Last three months: paid 20 days late, the last one from an account never seen.
    for (i, due) in [d(2026, 4, 5), d(2026, 5, 5), d(2026, 6, 1)]
        .into_iter()
        .enumerate()
    {
        let inv = f.invoice("W", &format!("W-NEW-{i}"), due, "500.00");
        let iban = if i == 2 { new_iban } else { old_iban };
        let paid = due + chrono::Duration::days(20);
        let tx = f.bank_line(paid, "500.00", "WORSENING", Some(iban), false);
        f.pay(inv, paid, "500.00", Some(tx));
    }
    // A returned transfer from their account, and 2,000 still open against a 1,000 limit.
    f.bank_line(d(2026, 6, 25), "-800.00", "WORSENING", Some(old_iban), true);
    f.invoice("W", "W-OPEN", d(2026, 6, 25), "2000.00");

    // An insolvent customer holding most of the book.
    f.customer("X", "Xeno Industries", |c| {
        c.siren = Some("552100554".into())
    });
    f.invoice("X", "X-1", d(2026, 7, 15), "30000.00");
    f.rating(ExternalRating {
        siren: "552100554".into(),
        date: d(2026, 6, 12),
        source: "BODACC".into(),
        grade: None,
        score: None,
        insurer_limit: None,
        insolvency: true,
        note: Some("redressement judiciaire".into()),
        location: Default::default(),
    });
    // A new customer with a large exposure.
    f.customer("Y", "Young Corp", |_| {});
    f.invoice("Y", "Y-1", d(2026, 7, 20), "15000.00");

    let all = assess_all(f.store.conn(), &f.params(), today()).unwrap();
    let aw = find(&all, "W");
    assert_eq!(
        sentence(aw, SignalKind::LatenessTrend),
        "paid 20.0 days late on average over the last 3 months, 2.0 days over the 6 before"
    );
    assert_eq!(
        sentence(aw, SignalKind::FrequentLateness),
        "6 of 6 invoices paid late over 12 months (100%)"
    );
    assert!(
        sentence(aw, SignalKind::BouncedPayment)
            .starts_with("payment of €800.00 returned on 2026-06-25")
    );
    let s = sentence(aw, SignalKind::ChangedPayerAccount);
    assert!(s.contains("…2222) on 2026-06-21"), "{s}");
    assert!(
        sentence(aw, SignalKind::CreditLimit)
            .starts_with("exposure €2,000.00 above the credit limit of €1,000.00")
    );
    // 20 + 15 + 25 + 15 + 25 = 100: grade D.
    assert_eq!((aw.score, aw.grade), (100, Grade::D));

    let ax = find(&all, "X");
    assert_eq!(ax.grade, Grade::D);
    assert!(sentence(ax, SignalKind::ExternalRating).contains("insolvency notice from BODACC"));
    assert!(sentence(ax, SignalKind::Concentration).starts_with("64% of all receivables"));
    // Riskiest first.
    assert!(all[0].score >= all[all.len() - 1].score);

    let ay = find(&all, "Y");
    assert!(
        sentence(ay, SignalKind::NewCustomer)
            .starts_with("customer since 2026-06-20 with €15,000.00")
    );

    // Shipping more: W is over its limit, X is insolvent, Y has no limit set.
    let p = f.params();
    assert_eq!(
        check(f.store.conn(), &p, today(), w, dec("100"))
            .unwrap()
            .verdict,
        Verdict::No
    );
    let y = find_customer(f.store.conn(), "young").unwrap().id;
    let answer = check(f.store.conn(), &p, today(), y, dec("100")).unwrap();
    assert_eq!(answer.verdict, Verdict::Caution);
    assert_eq!(answer.exposure_after, dec("15100"));
}

#[test]
fn broken_promises_and_disputes_recorded_here_are_signals() {
    let mut f = Fixture::new();
    let z = f.customer("Z", "Zeta", |_| {});
    let a = f.invoice("Z", "Z-1", d(2026, 5, 1), "400.00");
    let b = f.invoice("Z", "Z-2", d(2026, 5, 15), "600.00");
    f.invoice("Z", "Z-3", d(2026, 6, 1), "800.00");
    let promise = Outcome::Promise {
        date: d(2026, 6, 10),
        amount: dec("800.00"),
        invoice: None,
    };
    record_outcome(
        &mut f.store,
        &actor_on(d(2026, 6, 5)),
        z,
        &promise,
        &Stamp::default(),
    )
    .unwrap();
    for (inv, reason) in [(a, "wrong price"), (b, "not delivered")] {
        let dispute = Outcome::Dispute {
            invoice: inv,
            reason: reason.into(),
        };
        record_outcome(
            &mut f.store,
            &actor_on(d(2026, 6, 20)),
            z,
            &dispute,
            &Stamp::default(),
        )
        .unwrap();
    }
    let all = assess_all(f.store.conn(), &f.params(), today()).unwrap();
    let az = find(&all, "Z");
    assert_eq!(
        sentence(az, SignalKind::BrokenPromise),
        "promised €800.00 by 2026-06-10, not kept (€0.00 received)"
    );
    assert_eq!(
        sentence(az, SignalKind::Disputes),
        "2 invoice(s) disputed for €1,000.00; latest: Z-2 on 2026-06-20 (not delivered)"
    );
}

#[test]
fn the_customer_page_states_penalties_and_history() {
    let mut f = Fixture::new();
    let c = f.customer("P", "Pro Client", |_| {});
    // 10,000 due 15 June 2026, as of 30 June: 15 days at 2.15 + 10 = 12.15 %:
    // 10,000 × 12.15 % × 15 / 365 = 49.93. And 1,000 due 20 June: 10 days: 3.33.
    f.invoice("P", "P-1", d(2026, 6, 15), "10000.00");
    f.invoice("P", "P-2", d(2026, 6, 20), "1000.00");
    f.invoice("P", "P-3", d(2026, 7, 20), "500.00");
    record_outcome(
        &mut f.store,
        &actor_on(d(2026, 6, 29)),
        c,
        &Outcome::Note {
            text: "called the accountant".into(),
        },
        &Stamp::default(),
    )
    .unwrap();
    let v = customer_view(f.store.conn(), &f.params(), today(), c).unwrap();
    assert_eq!(v.items.len(), 3);
    assert_eq!(v.claim.principal, dec("11000"));
    assert_eq!(v.claim.interest, dec("53.26"));
    assert_eq!(v.claim.indemnities, dec("80"));
    assert_eq!(v.claim.total(), dec("11133.26"));
    assert_eq!(v.items[0].sales_needed, Some(dec("100000")));
    assert_eq!(v.ageing.total.open, dec("11500"));
    assert!(v.rates_up_to_date);
    assert_eq!(v.line.as_ref().map(|l| l.level), Some(3));
    assert_eq!(v.history.len(), 1);
    assert_eq!(
        v.history[0].describe(Language::En, Currency::EUR),
        "note: called the accountant"
    );
    // A consumer owes the interest but not the 40 € per invoice.
    f.store
        .write(|tx| {
            tx.execute("UPDATE customers SET professional = 0 WHERE id = ?1", [c])
                .map_err(encours::store::StoreError::from)
        })
        .unwrap();
    let v = customer_view(f.store.conn(), &f.params(), today(), c).unwrap();
    assert_eq!(v.claim.indemnities, dec("0"));
    assert_eq!(v.claim.interest, dec("53.26"));
}

#[test]
fn customers_are_found_by_code_or_a_unique_part_of_the_name() {
    let mut f = Fixture::new();
    f.customer("C001", "Boulangerie Martin", |_| {});
    f.customer("C002", "Garage Martin", |_| {});
    f.customer("C003", "Électricité Dupré", |_| {});
    let conn = f.store.conn();
    assert_eq!(find_customer(conn, "c001").unwrap().code, "C001");
    assert_eq!(find_customer(conn, "garage").unwrap().code, "C002");
    assert_eq!(find_customer(conn, "electricite").unwrap().code, "C003");
    let err = find_customer(conn, "martin").unwrap_err().to_string();
    assert!(err.contains("matches 2 customers"), "{err}");
    assert!(find_customer(conn, "nobody").is_err());
}
