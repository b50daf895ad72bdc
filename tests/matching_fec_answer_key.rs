//! The FEC sample as an answer key. A French accounting export letters each customer's
//! invoice lines (411 debits) with the payments that settled them (411 credits) through a
//! shared code (EcritureLet, per auxiliary account). We turn its bank payments back into bank
//! credits, let matching find their invoices, and compare with the accountant's lettering.
//!
//! What the file holds (111111111FEC20221231, a juice maker's 2023 books): PieceRef is a
//! monthly batch ("VE  0323"), not an invoice number, and the bank journals' labels
//! (EcritureLib) name the payer ("LECLERC ARLES", "LA FLEUR DES SABLES", "JDP", "VIR AUZON
//! VENTOUX"), cut at 20 characters, with no invoice numbers. So this is a test of the payer
//! rules (3 and 4) reading names from free text, not of the reference rules.
//!
//! A small reader lives here on purpose: the FEC importer is written elsewhere.
//! Floors asserted: precision >= 0.95 over the automatic allocations the key can judge, and
//! recall >= 0.55 of the lettered payments (by count) matched to their own invoices.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use encours::domain::matching::MatchParams;
use encours::domain::model::{
    AccountRef, NewBankTransaction, NewCustomer, NewInvoice, NewStatement,
};
use encours::domain::money::Currency;
use encours::import::text::{DecimalStyle, decode, parse_amount, parse_date};
use encours::import::{Format, ImportBatch};
use encours::store::matching::{allocations_of_transaction, run_matching};
use encours::store::{Actor, Store, import_writer};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

struct Row {
    line: usize,
    journal: String,
    entry: String,
    date: NaiveDate,
    account: String,
    piece: String,
    aux: String,
    aux_name: String,
    label: String,
    debit: Decimal,
    credit: Decimal,
    letter: String,
}

/// (auxiliary account, lettering code): the answer key's groups.
type Group = (String, String);

fn read_fec(text: &str) -> Vec<Row> {
    let mut lines = text.lines();
    let header = lines.next().expect("a header line");
    let sep = if header.contains('\t') { '\t' } else { '|' };
    let mut rows = Vec::new();
    for (i, raw) in lines.enumerate() {
        let f: Vec<&str> = raw.split(sep).map(str::trim).collect();
        if f.len() < 15 {
            continue;
        }
        let amount = |s: &str| {
            parse_amount(s, DecimalStyle::Comma)
                .unwrap_or_else(|| panic!("line {}: amount '{s}'", i + 2))
        };
        rows.push(Row {
            line: i + 2,
            journal: f[0].to_string(),
            entry: f[2].to_string(),
            date: parse_date(f[3], true)
                .unwrap_or_else(|| panic!("line {}: date '{}'", i + 2, f[3])),
            account: f[4].to_string(),
            piece: f[8].to_string(),
            aux: if f[6].is_empty() {
                f[4].to_string()
            } else {
                f[6].to_string()
            },
            aux_name: f[7].to_string(),
            label: f[10].to_string(),
            debit: amount(f[11]),
            credit: amount(f[12]),
            letter: f[13].to_string(),
        });
    }
    rows
}

struct Key {
    batch: ImportBatch,
    /// Invoice number -> its lettering group (None: not lettered).
    invoice_group: HashMap<String, Option<Group>>,
    /// Bank reference -> (group, amount, label) of each payment.
    payment_group: HashMap<String, (Option<Group>, Decimal, String)>,
}

fn build(rows: &[Row]) -> Key {
    let entry = |r: &Row| (r.journal.clone(), r.entry.clone());
    // A payment is a 411 credit of an entry that moves a bank account (512), outside the
    // opening entries (AN); an invoice a 411 debit of a sales entry (one with a 7xx revenue
    // line) or an unpaid invoice carried over in the opening entries.
    let bank: HashSet<_> = rows
        .iter()
        .filter(|r| r.account.starts_with("512"))
        .map(entry)
        .collect();
    let sales: HashSet<_> = rows
        .iter()
        .filter(|r| r.account.starts_with('7'))
        .map(entry)
        .collect();
    let group = |r: &Row| (!r.letter.is_empty()).then(|| (r.aux.clone(), r.letter.clone()));
    let mut batch = ImportBatch::new(Format::Fec);
    let mut key = Key {
        batch: ImportBatch::default(),
        invoice_group: HashMap::new(),
        payment_group: HashMap::new(),
    };
    let mut customers: HashMap<String, String> = HashMap::new();
    let mut credits = Vec::new();
    for r in rows.iter().filter(|r| r.account.starts_with("411")) {
        customers
            .entry(r.aux.clone())
            .or_insert_with(|| r.aux_name.clone());
        let is_invoice =
            r.debit > Decimal::ZERO && (sales.contains(&entry(r)) || r.journal == "AN");
        let is_payment = r.credit > Decimal::ZERO && bank.contains(&entry(r)) && r.journal != "AN";
        if is_invoice {
            // PieceRef is a monthly batch shared by many invoices: the entry number and the
            // line make each invoice's number unique.
            let number = format!("{} {}-L{}", r.piece, r.entry, r.line);
            key.invoice_group.insert(number.clone(), group(r));
            batch.invoices.push(NewInvoice {
                number,
                customer_code: r.aux.clone(),
                issue_date: r.date,
                amount: r.debit,
                currency: Currency::EUR,
                ..Default::default()
            });
        } else if is_payment {
            let bank_ref = format!("{}{}-L{}", r.journal, r.entry, r.line);
            key.payment_group
                .insert(bank_ref.clone(), (group(r), r.credit, r.label.clone()));
            credits.push(NewBankTransaction {
                booking_date: r.date,
                amount: r.credit,
                currency: Currency::EUR,
                remittance: r.label.clone(),
                bank_ref: Some(bank_ref),
                ..Default::default()
            });
        }
    }
    batch.customers = customers
        .into_iter()
        .map(|(code, name)| NewCustomer {
            code,
            name,
            ..Default::default()
        })
        .collect();
    batch.statements = vec![NewStatement {
        account: AccountRef {
            number: Some("512".into()),
            ..Default::default()
        },
        transactions: credits,
        ..Default::default()
    }];
    key.batch = batch;
    key
}

#[test]
fn lettering_codes_of_the_fec_sample_as_an_answer_key() {
    let Some(dir) = common::samples_dir() else {
        return;
    };
    let bytes = std::fs::read(dir.join("fec/111111111FEC20221231_pipe_fixedwidth.txt")).unwrap();
    let (text, _) = decode(&bytes);
    let rows = read_fec(&text);
    assert!(rows.len() > 900, "{} rows", rows.len());
    let key = build(&rows);
    let actor = Actor::new("answer-key", NaiveDateTime::default());
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|tx| import_writer::write_batch(tx, &key.batch, "fec", "fec", &actor))
        .unwrap();
    let summary = run_matching(&mut store, &MatchParams::default(), &actor).unwrap();

    let mut refs: HashMap<i64, String> = HashMap::new();
    let mut stmt = store
        .conn()
        .prepare("SELECT id, bank_ref FROM bank_transactions")
        .unwrap();
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap() {
        let (id, bank_ref): (i64, String) = row.unwrap();
        refs.insert(id, bank_ref);
    }
    // Payments the key can judge: lettered, with at least one of our invoices in their group.
    let invoice_groups: HashSet<&Group> = key.invoice_group.values().flatten().collect();
    let judged_payments: Vec<(&String, &Group, Decimal)> = key
        .payment_group
        .iter()
        .filter_map(|(r, (g, amount, _))| {
            g.as_ref()
                .filter(|g| invoice_groups.contains(g))
                .map(|g| (r, g, *amount))
        })
        .collect();
    let (mut judged, mut correct, mut unjudged) = (0usize, 0usize, 0usize);
    let mut recalled = 0usize;
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    for (tx, bank_ref) in &refs {
        let (group, amount, label) = &key.payment_group[bank_ref];
        let rows = allocations_of_transaction(store.conn(), *tx).unwrap();
        let paying: Vec<_> = rows
            .iter()
            .filter(|a| a.undone_at.is_none() && !matches!(a.rule.as_str(), "discount" | "fee"))
            .collect();
        let Some(group) = group else {
            unjudged += paying.len();
            continue;
        };
        let mut all_right = !paying.is_empty();
        for a in &paying {
            judged += 1;
            if key.invoice_group[&a.invoice_number].as_ref() == Some(group) {
                correct += 1;
            } else {
                all_right = false;
                wrong.push(format!(
                    "{bank_ref} ({amount}) -> {} by {}",
                    a.invoice_number, a.rule
                ));
            }
        }
        let allocated: Decimal = paying.iter().map(|a| a.amount).sum();
        if all_right && allocated > Decimal::ZERO {
            recalled += 1;
        } else if paying.is_empty() && invoice_groups.contains(group) {
            missed.push(format!("{label} ({amount})"));
        }
    }
    let precision = correct as f64 / judged.max(1) as f64;
    let recall = recalled as f64 / judged_payments.len().max(1) as f64;
    println!(
        "FEC answer key: {} payments ({} judgeable), {} invoices; {} allocations by rule {:?}",
        refs.len(),
        judged_payments.len(),
        key.invoice_group.len(),
        summary.allocation_ids.len(),
        summary
            .by_rule
            .iter()
            .map(|(r, t)| (r.as_str(), t.count))
            .collect::<Vec<_>>()
    );
    println!(
        "precision {precision:.3} ({correct}/{judged} judged allocations; {unjudged} on unlettered payments), \
         recall {recall:.3} ({recalled}/{} lettered payments matched to their own invoices)",
        judged_payments.len()
    );
    for w in &wrong {
        println!("  wrong: {w}");
    }
    missed.sort();
    println!("  left for a person: {}", missed.join(", "));
    // How often the best suggestion for a credit left over is the accountant's own choice.
    let (mut asked, mut hit) = (0, 0);
    for left in &summary.left {
        let (Some(group), _, _) = &key.payment_group[&refs[&left.transaction_id]] else {
            continue;
        };
        asked += 1;
        if let Some(best) = left.suggestions.first()
            && key.invoice_group[&best.invoice_number].as_ref() == Some(group)
        {
            hit += 1;
        }
    }
    println!("  best suggestion right for {hit} of {asked} lettered credits left over");
    assert!(judged >= 20, "too few allocations to judge: {judged}");
    assert!(precision >= 0.95, "precision {precision:.3}: {wrong:#?}");
    assert!(recall >= 0.55, "recall {recall:.3}");
}
