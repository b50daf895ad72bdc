//! Matching at scale: a million bank credits against a million open invoices.
//!
//! `cargo test --release --test matching_perf -- --ignored --nocapture` runs the full size and
//! requires the pure matching (indexes included) to finish within a second. The default run
//! checks the same data at a tenth of the size, for correctness only.

use chrono::{Days, NaiveDate};
use encours::domain::matching::{
    CreditLine, MatchParams, OpenInvoice, PayerDirectory, Rule, match_credits,
};
use encours::domain::money::Currency;
use encours::import::text::normalise_reference;
use rust_decimal::Decimal;
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift64*), so that runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Data {
    credits: Vec<CreditLine>,
    invoices: Vec<OpenInvoice>,
    payers: PayerDirectory,
}

fn generate(n_invoices: usize, n_credits: usize, n_customers: usize) -> Data {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let payers = PayerDirectory {
        customers: (0..n_customers)
            .map(|c| (c as i64 + 1, format!("Client {c} SARL")))
            .collect(),
        aliases: Vec::new(),
    };
    let invoices: Vec<OpenInvoice> = (0..n_invoices)
        .map(|i| {
            let number = format!("FA-2023-{:07}", i + 1);
            OpenInvoice {
                id: i as i64 + 1,
                number_key: normalise_reference(&number),
                number,
                payment_reference: None,
                customer_id: rng.below(n_customers as u64) as i64 + 1,
                issue_date: start + Days::new((i * 365 / n_invoices) as u64),
                due_date: None,
                open: Decimal::new(1_000 + rng.below(500_000) as i64, 2),
                currency: Currency::EUR,
                discount_percent: None,
            }
        })
        .collect();
    // Each invoice is paid at most once, in a shuffled order.
    let mut order: Vec<usize> = (0..n_invoices).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut credits: Vec<CreditLine> = (0..n_credits)
        .map(|k| {
            let inv = &invoices[order[k % n_invoices]];
            let date = inv.issue_date + Days::new(20 + rng.below(40));
            let mut credit = CreditLine {
                id: k as i64 + 1,
                date,
                amount: inv.open,
                currency: Currency::EUR,
                counterparty_name: Some(format!("CLIENT {} SAS", inv.customer_id - 1)),
                counterparty_iban: None,
                remittance: String::new(),
                structured_ref: None,
            };
            match k % 10 {
                0..=3 => credit.remittance = format!("VIR SEPA REGLEMENT FACTURE {}", inv.number),
                4 => credit.remittance = format!("PAIEMENT FA 2023 {}", &inv.number[8..]),
                5 | 6 => credit.structured_ref = Some(inv.number.replace('-', "")),
                7 | 8 => credit.remittance = "VIREMENT FOURNISSEUR MERCI".into(),
                _ => {
                    credit.counterparty_name = Some("INCONNU".into());
                    credit.remittance = "REMISE 12 PALETTES LOT 2023".into();
                }
            }
            credit
        })
        .collect();
    // A bank's lines come in date order; the invoices they pay do not.
    credits.sort_by_key(|c| c.date);
    for (k, c) in credits.iter_mut().enumerate() {
        c.id = k as i64 + 1;
    }
    Data {
        credits,
        invoices,
        payers,
    }
}

/// CPU time used by the whole process (all threads), to tell work from waiting on a busy machine.
fn process_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn check(n: usize, limit: Option<Duration>) {
    let data = generate(n, n, (n / 50).max(1));
    let params = MatchParams::default();
    let cpu = process_cpu();
    let began = Instant::now();
    let out = match_credits(&data.credits, &data.invoices, &data.payers, &params);
    let took = began.elapsed();
    let cpu = process_cpu() - cpu;
    let by_reference = out
        .allocations
        .iter()
        .filter(|a| matches!(a.rule, Rule::StructuredReference | Rule::ReferenceInText))
        .count();
    let by_payer = out
        .allocations
        .iter()
        .filter(|a| a.rule == Rule::KnownPayerAmount)
        .count();
    println!(
        "{n} credits x {n} invoices: {took:?} ({cpu:?} of CPU); {} allocations ({by_reference} by reference, {by_payer} by payer), {} unmatched",
        out.allocations.len(),
        out.unmatched.len()
    );
    // 70 % of the credits quote their invoice, 20 % come from a known payer with an amount
    // that is usually unique among its invoices.
    assert!(by_reference as f64 >= 0.69 * n as f64, "{by_reference}");
    assert!(by_payer as f64 >= 0.15 * n as f64, "{by_payer}");
    if let Some(limit) = limit {
        assert!(took < limit, "matching took {took:?}, over {limit:?}");
    }
}

#[test]
fn a_tenth_of_the_load_matches_as_expected() {
    check(100_000, None);
}

#[test]
#[ignore = "profiling aid"]
fn a_fifth_of_the_load() {
    check(200_000, None);
}

#[test]
#[ignore = "timing: run with --release -- --ignored"]
fn a_million_credits_against_a_million_invoices_within_a_second() {
    check(1_000_000, Some(Duration::from_secs(1)));
}
