//! A small company's books written straight into a store with batches built in code (no
//! parser needed): three customers, six documents, a ledger settlement, a bank statement
//! with a closing balance, later lines and a reversal, supplier invoices.

use chrono::NaiveDate;
use encours::domain::model::*;
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::import_writer::write_batch;
use encours::store::{Actor, Store};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

pub fn actor() -> Actor {
    Actor::new("tester", d(6, 15).and_hms_opt(8, 0, 0).unwrap())
}

fn customer(code: &str, name: &str, terms: Option<u32>, limit: Option<Decimal>) -> NewCustomer {
    NewCustomer {
        code: code.into(),
        name: name.into(),
        siren: Some("123456789".into()),
        email: Some(format!("{}@example.fr", code.to_lowercase())),
        phone: Some("01 02 03 04 05".into()),
        contact_name: Some("Mme Exemple".into()),
        payment_terms_days: terms,
        credit_limit: limit,
        ..Default::default()
    }
}

fn invoice(
    number: &str,
    customer: &str,
    issue: NaiveDate,
    due: Option<NaiveDate>,
    amount: Decimal,
) -> NewInvoice {
    NewInvoice {
        number: number.into(),
        customer_code: customer.into(),
        issue_date: issue,
        due_date: due,
        amount,
        currency: Currency::EUR,
        ..Default::default()
    }
}

fn line(
    date: NaiveDate,
    amount: Decimal,
    name: &str,
    text: &str,
    reversal: bool,
) -> NewBankTransaction {
    NewBankTransaction {
        booking_date: date,
        amount,
        currency: Currency::EUR,
        counterparty_name: Some(name.into()),
        remittance: text.into(),
        reversal,
        ..Default::default()
    }
}

/// Writes the books; as of 15 June 2026 they hold 4,500.00 open of which 1,400.00 overdue.
pub fn write(store: &mut Store) {
    let mut ledger = ImportBatch::new(Format::Fec);
    ledger.customers = vec![
        customer("C1", "Customer One", Some(30), Some(dec!(5000))),
        customer("C2", "Customer Two", None, None),
        customer("C3", "Customer Three", None, Some(dec!(10000))),
    ];
    ledger.invoices = vec![
        invoice("A-1", "C1", d(4, 10), Some(d(5, 10)), dec!(1000)),
        invoice("B-1", "C1", d(5, 20), None, dec!(2000)),
        NewInvoice {
            disputed: true,
            ..invoice("C-1", "C2", d(6, 1), Some(d(6, 5)), dec!(500))
        },
        invoice("D-1", "C2", d(3, 1), Some(d(3, 31)), dec!(300)),
        NewInvoice {
            kind: InvoiceKind::CreditNote,
            ..invoice("CN-1", "C2", d(6, 2), None, dec!(100))
        },
        invoice("E-1", "C3", d(6, 10), Some(d(7, 10)), dec!(1200)),
    ];
    ledger.settlements = vec![LedgerSettlement {
        invoice_number: "A-1".into(),
        date: d(5, 20),
        amount: dec!(400),
        currency: Currency::EUR,
        lettering_code: "AA".into(),
        location: SourceLocation::Line(9),
    }];
    let supplier = |number: &str, due: NaiveDate, amount: Decimal, paid: bool| NewSupplierInvoice {
        number: number.into(),
        supplier_code: "S1".into(),
        supplier_name: "Supplier".into(),
        issue_date: d(6, 1),
        due_date: Some(due),
        amount,
        currency: Currency::EUR,
        paid,
        location: SourceLocation::Unknown,
    };
    ledger.supplier_invoices = vec![
        supplier("S-1", d(6, 30), dec!(5000), false),
        supplier("S-2", d(8, 30), dec!(7000), false),
        supplier("S-3", d(6, 20), dec!(900), true),
    ];
    let mut bank = ImportBatch::new(Format::Camt053);
    bank.statements = vec![NewStatement {
        account: AccountRef {
            iban: Some("FR7630006000011234567890189".into()),
            ..Default::default()
        },
        opening: None,
        closing: Some(Balance {
            date: d(6, 10),
            amount: dec!(20000),
            currency: Currency::EUR,
        }),
        transactions: vec![
            line(d(6, 5), dec!(800), "SARL CLIENT UN", "VIR ACOMPTE", false),
            line(d(6, 11), dec!(1500), "SARL PAYEUR", "VIR F A-1", false),
            line(d(6, 12), dec!(-300), "FOURNISSEUR", "PRLV", false),
            line(d(6, 12), dec!(-200), "SARL PAYEUR", "RETOUR VIR AC04", true),
        ],
    }];
    let a = actor();
    store
        .write(|tx| write_batch(tx, &ledger, "ledger.txt", "sha-ledger", &a))
        .unwrap();
    store
        .write(|tx| write_batch(tx, &bank, "releve.xml", "sha-bank", &a))
        .unwrap();
    store
        .write(|tx| {
            encours::store::import_writer::record_rejection(
                tx,
                "bad.csv",
                "sha-bad",
                &encours::import::ImportError::at_line(3, "\"x\" is not an amount")
                    .field("Montant"),
                &a,
            )
            .map_err(encours::store::StoreError::from)
        })
        .unwrap();
}
