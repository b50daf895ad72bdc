//! A small company on Monday 2 March 2026, shared by the forecast's store and CLI tests.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use encours::domain::model::{
    AccountRef, Balance, LedgerSettlement, NewBankTransaction, NewCustomer, NewInvoice,
    NewStatement, NewSupplierInvoice,
};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::{Actor, Store, StoreError, import_writer};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn actor() -> Actor {
    Actor::new(
        "test",
        NaiveDateTime::parse_from_str("2026-03-02 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap(),
    )
}

pub fn write(store: &mut Store, batch: &ImportBatch, name: &str) {
    store
        .write(|tx| {
            import_writer::write_batch(tx, batch, name, name, &actor())
                .map_err(|e| StoreError::Invalid(e.to_string()))
        })
        .unwrap();
}

pub fn account(iban: &str, currency: Currency) -> AccountRef {
    AccountRef {
        iban: Some(iban.into()),
        currency: Some(currency),
        ..Default::default()
    }
}

pub fn balance(date: NaiveDate, amount: Decimal, currency: Currency) -> Option<Balance> {
    Some(Balance {
        date,
        amount,
        currency,
    })
}

pub fn line(date: NaiveDate, amount: Decimal, text: &str) -> NewBankTransaction {
    NewBankTransaction {
        booking_date: date,
        amount,
        currency: Currency::EUR,
        remittance: text.into(),
        ..Default::default()
    }
}

pub fn customer(code: &str, name: &str) -> NewCustomer {
    NewCustomer {
        code: code.into(),
        name: name.into(),
        ..Default::default()
    }
}

pub fn invoice(number: &str, customer: &str, due: NaiveDate, amount: Decimal) -> NewInvoice {
    NewInvoice {
        number: number.into(),
        customer_code: customer.into(),
        issue_date: due - chrono::Days::new(30),
        due_date: Some(due),
        amount,
        currency: Currency::EUR,
        ..Default::default()
    }
}

pub fn settlement(number: &str, date: NaiveDate, amount: Decimal) -> LedgerSettlement {
    LedgerSettlement {
        invoice_number: number.into(),
        date,
        amount,
        currency: Currency::EUR,
        lettering_code: format!("L{number}"),
        location: Default::default(),
    }
}

/// A company on Monday 2 March 2026: 30,000 in the bank (closing 1 March), Garage Martin
/// owes 12,000 due 5 March and has paid its last three invoices 6 days late; a supplier
/// invoice of 3,000 is due 4 March.
pub fn company() -> Store {
    company_in(Store::open_in_memory().unwrap())
}

pub fn company_in(mut store: Store) -> Store {
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    batch.customers = vec![
        customer("C1", "Garage Martin"),
        customer("C2", "Hôtel Petit"),
    ];
    batch.invoices = vec![
        invoice("F1", "C1", d(2026, 1, 5), dec!(1000)),
        invoice("F2", "C1", d(2026, 1, 20), dec!(1000)),
        invoice("F3", "C1", d(2026, 2, 5), dec!(1000)),
        invoice("F4", "C1", d(2026, 3, 5), dec!(12000)),
        // Paid in two parts, only partly: not in the history, 400 still open.
        invoice("F5", "C2", d(2026, 2, 1), dec!(1000)),
    ];
    batch.settlements = vec![
        settlement("F1", d(2026, 1, 11), dec!(1000)),
        settlement("F2", d(2026, 1, 26), dec!(600)),
        settlement("F2", d(2026, 1, 26), dec!(400)),
        settlement("F3", d(2026, 2, 11), dec!(1000)),
        settlement("F5", d(2026, 2, 20), dec!(600)),
    ];
    batch.supplier_invoices = vec![NewSupplierInvoice {
        number: "A-77".into(),
        supplier_code: "401MAT".into(),
        supplier_name: "Matières SA".into(),
        issue_date: d(2026, 2, 2),
        due_date: Some(d(2026, 3, 4)),
        amount: dec!(3000),
        currency: Currency::EUR,
        paid: false,
        location: Default::default(),
    }];
    batch.statements = vec![NewStatement {
        account: account("FR7600000000000000000000001", Currency::EUR),
        closing: balance(d(2026, 3, 1), dec!(30000), Currency::EUR),
        ..Default::default()
    }];
    write(&mut store, &batch, "books");
    store
}
