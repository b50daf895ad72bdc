//! Building small databases in code for the intelligence tests: customers, invoices, bank
//! lines and payments, written through the same import writer as real files.
#![allow(dead_code)]

use chrono::{Duration, NaiveDate};
use encours::config::Settings;
use encours::domain::model::{
    AccountRef, Balance, ExternalRating, NewBankTransaction, NewCustomer, NewInvoice, NewStatement,
    NewSupplierInvoice, Segment,
};
use encours::domain::money::Currency;
use encours::import::ImportBatch;
use encours::locale::Language;
use encours::policy::{Dunning, builtin};
use encours::store::intel::Params;
use encours::store::{Actor, Store, StoreError, import_writer};
use rusqlite::params;
use rust_decimal::Decimal;
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn actor_on(day: NaiveDate) -> Actor {
    Actor::new("marie", day.and_hms_opt(9, 30, 0).unwrap())
}

static BATCHES: AtomicUsize = AtomicUsize::new(0);

pub struct Fixture {
    pub store: Store,
    pub settings: Settings,
    pub dunning: Dunning,
}

impl Fixture {
    pub fn new() -> Self {
        Fixture {
            store: Store::open_in_memory().unwrap(),
            settings: Settings::defaults(),
            dunning: builtin(),
        }
    }

    /// A database file at `path`, for tests that run the binary on it.
    pub fn at(path: &std::path::Path) -> Self {
        Fixture {
            store: Store::open(path, Default::default()).unwrap(),
            settings: Settings::defaults(),
            dunning: builtin(),
        }
    }

    pub fn params(&self) -> Params<'_> {
        Params::new(&self.settings, &self.dunning, Language::En)
    }

    pub fn write(&mut self, batch: ImportBatch) {
        let n = BATCHES.fetch_add(1, Ordering::SeqCst);
        let actor = actor_on(d(2020, 1, 1));
        let sha = format!("sha-{n}-{}", std::process::id());
        self.store
            .write(|tx| import_writer::write_batch(tx, &batch, "test", &sha, &actor))
            .unwrap();
    }

    pub fn customer(&mut self, code: &str, name: &str, f: impl FnOnce(&mut NewCustomer)) -> i64 {
        let mut c = NewCustomer {
            code: code.into(),
            name: name.into(),
            professional: Some(true),
            segment: Some(Segment::Standard),
            ..Default::default()
        };
        f(&mut c);
        self.write(ImportBatch {
            customers: vec![c],
            ..Default::default()
        });
        self.store
            .conn()
            .query_row("SELECT id FROM customers WHERE code = ?1", [code], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// An invoice issued 30 days before its due date.
    pub fn invoice(&mut self, customer: &str, number: &str, due: NaiveDate, amount: &str) -> i64 {
        self.write(ImportBatch {
            invoices: vec![NewInvoice {
                number: number.into(),
                customer_code: customer.into(),
                issue_date: due - Duration::days(30),
                due_date: Some(due),
                amount: dec(amount),
                currency: Currency::EUR,
                ..Default::default()
            }],
            ..Default::default()
        });
        self.invoice_id(number)
    }

    pub fn issued(&mut self, customer: &str, number: &str, issue: NaiveDate, amount: &str) -> i64 {
        self.invoice(customer, number, issue + Duration::days(30), amount)
    }

    pub fn invoice_id(&self, number: &str) -> i64 {
        self.store
            .conn()
            .query_row("SELECT id FROM invoices WHERE number = ?1", [number], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// A bank line on our account; returns its id.
    pub fn bank_line(
        &mut self,
        date: NaiveDate,
        amount: &str,
        name: &str,
        iban: Option<&str>,
        reversal: bool,
    ) -> i64 {
        self.write(ImportBatch {
            statements: vec![NewStatement {
                account: AccountRef {
                    iban: Some("FR7630006000011234567890189".into()),
                    ..Default::default()
                },
                transactions: vec![NewBankTransaction {
                    booking_date: date,
                    amount: dec(amount),
                    currency: Currency::EUR,
                    counterparty_name: Some(name.into()),
                    counterparty_iban: iban.map(str::to_string),
                    remittance: format!("{name} {date} {amount}"),
                    reversal,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        });
        self.store
            .conn()
            .query_row("SELECT MAX(id) FROM bank_transactions", [], |r| r.get(0))
            .unwrap()
    }

    pub fn closing_balance(&mut self, date: NaiveDate, amount: &str, account: &str) {
        self.write(ImportBatch {
            statements: vec![NewStatement {
                account: AccountRef {
                    iban: Some(account.into()),
                    ..Default::default()
                },
                closing: Some(Balance {
                    date,
                    amount: dec(amount),
                    currency: Currency::EUR,
                }),
                ..Default::default()
            }],
            ..Default::default()
        });
    }

    /// A payment of `amount` on `invoice`, from a bank line when `transaction` is given.
    pub fn pay(
        &mut self,
        invoice: i64,
        paid_on: NaiveDate,
        amount: &str,
        transaction: Option<i64>,
    ) {
        let minor = encours::domain::money::to_minor(dec(amount), Currency::EUR).unwrap();
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO allocations (invoice_id, transaction_id, amount_minor, paid_on,
                        rule, evidence, who, created_at)
                     VALUES (?1, ?2, ?3, ?4, 'test', 'test', 'test', '2020-01-01T00:00:00')",
                    params![invoice, transaction, minor, paid_on.to_string()],
                )
                .map_err(StoreError::from)
            })
            .unwrap();
    }

    pub fn alias(&mut self, customer: i64, iban: Option<&str>, name: Option<&str>) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO payer_aliases (customer_id, name_key, iban, learned_from, created_at)
                     VALUES (?1, ?2, ?3, 'test', '2020-01-01T00:00:00')",
                    params![customer, name, iban],
                )
                .map_err(StoreError::from)
            })
            .unwrap();
    }

    pub fn rating(&mut self, r: ExternalRating) {
        self.write(ImportBatch {
            ratings: vec![r],
            ..Default::default()
        });
    }

    pub fn supplier_invoice(&mut self, number: &str, due: NaiveDate, amount: &str) {
        self.write(ImportBatch {
            supplier_invoices: vec![NewSupplierInvoice {
                number: number.into(),
                supplier_code: "F1".into(),
                supplier_name: "Fournisseur".into(),
                issue_date: due - Duration::days(30),
                due_date: Some(due),
                amount: dec(amount),
                currency: Currency::EUR,
                paid: false,
                location: Default::default(),
            }],
            ..Default::default()
        });
    }

    pub fn event_count(&self) -> i64 {
        self.store
            .conn()
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .unwrap()
    }
}
