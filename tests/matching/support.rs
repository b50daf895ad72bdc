//! Test data for matching through the store: batches written with
//! `import_writer::write_batch`, runs and decisions through `store::matching`, open amounts
//! read back through `store::ageing`.

use chrono::{NaiveDate, NaiveDateTime};
use encours::domain::matching::{MatchParams, Rule};
use encours::domain::model::{
    AccountRef, NewBankTransaction, NewCustomer, NewInvoice, NewStatement,
};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::matching::{self as m, RunSummary};
use encours::store::{Actor, Store, ageing, import_writer};
use rust_decimal::Decimal;
use std::collections::HashMap;

pub const OUR_IBAN: &str = "FR7630006000011234567890189";
pub const ACME_IBAN: &str = "FR7611111111111111111111111";

pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 1).unwrap() + chrono::Days::new(u64::from(d))
}

pub fn actor(who: &str) -> Actor {
    let at = NaiveDateTime::parse_from_str("2024-06-01 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    Actor::new(who, at)
}

pub fn customer(code: &str, name: &str) -> NewCustomer {
    NewCustomer {
        code: code.into(),
        name: name.into(),
        ..Default::default()
    }
}

pub fn invoice(number: &str, customer: &str, issued: u32, amount: Decimal) -> NewInvoice {
    NewInvoice {
        number: number.into(),
        customer_code: customer.into(),
        issue_date: day(issued),
        due_date: Some(day(issued + 30)),
        amount,
        currency: Currency::EUR,
        ..Default::default()
    }
}

pub fn line(
    on: u32,
    amount: Decimal,
    name: &str,
    iban: Option<&str>,
    text: &str,
) -> NewBankTransaction {
    NewBankTransaction {
        booking_date: day(on),
        amount,
        currency: Currency::EUR,
        counterparty_name: (!name.is_empty()).then(|| name.to_string()),
        counterparty_iban: iban.map(str::to_string),
        remittance: text.into(),
        ..Default::default()
    }
}

pub struct Books {
    pub store: Store,
    files: usize,
}

impl Books {
    pub fn new() -> Books {
        let mut b = Books {
            store: Store::open_in_memory().unwrap(),
            files: 0,
        };
        let mut batch = ImportBatch::new(Format::InvoiceCsv);
        batch.customers = vec![
            customer("C1", "ACME SARL"),
            customer("C2", "Boulangerie Dupont"),
            customer("C3", "Garage Martin"),
        ];
        b.write(batch);
        b
    }

    pub fn write(&mut self, batch: ImportBatch) {
        self.files += 1;
        let name = format!("file{}", self.files);
        self.store
            .write(|tx| import_writer::write_batch(tx, &batch, &name, &name, &actor("import")))
            .unwrap();
    }

    pub fn invoices(&mut self, list: Vec<NewInvoice>) {
        let mut batch = ImportBatch::new(Format::InvoiceCsv);
        batch.invoices = list;
        self.write(batch);
    }

    pub fn bank(&mut self, lines: Vec<NewBankTransaction>) {
        let mut batch = ImportBatch::new(Format::Camt053);
        batch.statements = vec![NewStatement {
            account: AccountRef {
                iban: Some(OUR_IBAN.into()),
                ..Default::default()
            },
            transactions: lines,
            ..Default::default()
        }];
        self.write(batch);
    }

    pub fn run(&mut self) -> RunSummary {
        m::run_matching(&mut self.store, &MatchParams::default(), &actor("matcher")).unwrap()
    }

    pub fn invoice_id(&self, number: &str) -> i64 {
        self.store
            .conn()
            .query_row("SELECT id FROM invoices WHERE number = ?1", [number], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// The id of the bank line with this text.
    pub fn tx_id(&self, text: &str) -> i64 {
        self.store
            .conn()
            .query_row(
                "SELECT id FROM bank_transactions WHERE remittance = ?1",
                [text],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// Open amount of every invoice as the ageing report sees it.
    pub fn open(&self) -> HashMap<String, Decimal> {
        let mut out = HashMap::new();
        ageing::for_each_open_item(self.store.conn(), day(365), 30, None, |item| {
            out.insert(item.number, item.open);
        })
        .unwrap();
        out
    }

    /// (invoice number, amount, rule) of the active allocations of a bank line.
    pub fn allocs(&self, tx: i64) -> Vec<(String, Decimal, String)> {
        m::allocations_of_transaction(self.store.conn(), tx)
            .unwrap()
            .into_iter()
            .filter(|a| a.undone_at.is_none())
            .map(|a| (a.invoice_number, a.amount, a.rule))
            .collect()
    }

    pub fn events(&self, kind: &str) -> i64 {
        self.store
            .conn()
            .query_row("SELECT COUNT(*) FROM events WHERE kind = ?1", [kind], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// No invoice ever holds more allocations than its amount, no bank line gives more than it has.
    pub fn assert_never_over_allocated(&self) {
        let over: i64 = self
            .store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM invoices i WHERE i.amount_minor < (SELECT COALESCE(SUM(amount_minor), 0)
                 FROM allocations a WHERE a.invoice_id = i.id AND a.undone_at IS NULL)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(over, 0, "an invoice is over-allocated");
        let over: i64 = self
            .store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM bank_transactions t WHERE t.amount_minor < (SELECT COALESCE(SUM(amount_minor), 0)
                 FROM allocations a WHERE a.transaction_id = t.id AND a.undone_at IS NULL
                 AND a.rule NOT IN ('discount', 'fee'))",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(over, 0, "a bank line gives more than it has");
    }
}

pub fn rule(r: Rule) -> String {
    r.as_str().to_string()
}
