//! Shared by the inbox tests: a toy invoice format (so that the inbox, the real ingest path
//! and the real store can be tested before the real readers are merged), a fixed clock, and
//! helpers to build an inbox on a temporary folder.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use encours::domain::model::{InvoiceKind, NewCustomer, NewInvoice, SourceLocation};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch, ImportError, ImportResult};
use encours::inbox::{Clock, Inbox, InboxConfig, Ingest};
use encours::ingest::ingest_with_parser;
use encours::store::{OpenOptions, Store};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub const HEADER: &str = "toy-invoices";

pub fn noon() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

pub fn fixed_clock() -> Clock {
    Arc::new(noon)
}

/// `toy-invoices` then `number;customer;amount` lines.
pub fn toy_parse(bytes: &[u8]) -> ImportResult<ImportBatch> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImportError::at_line(1, "not UTF-8").hint("save the file as UTF-8"))?;
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(ImportError::at_line(1, "the header is missing").field("header"));
    }
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    let mut customers = std::collections::BTreeSet::new();
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(';').collect();
        if parts.len() != 3 {
            return Err(ImportError::at_line(n, "expected 3 fields").field("line"));
        }
        let amount = Decimal::from_str(parts[2]).map_err(|_| {
            ImportError::at_line(n, format!("'{}' is not an amount", parts[2]))
                .field("amount")
                .hint("write amounts like 1234.50")
        })?;
        if customers.insert(parts[1].to_string()) {
            batch.customers.push(NewCustomer {
                code: parts[1].into(),
                name: format!("Client {}", parts[1]),
                location: SourceLocation::Line(n),
                ..Default::default()
            });
        }
        let date = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        batch.invoices.push(NewInvoice {
            number: parts[0].into(),
            kind: InvoiceKind::Invoice,
            customer_code: parts[1].into(),
            issue_date: date,
            due_date: Some(date),
            amount,
            currency: Currency::EUR,
            location: SourceLocation::Line(n),
            ..Default::default()
        });
    }
    Ok(batch)
}

/// A toy file of `count` invoices numbered `TAG-0`, `TAG-1`...
pub fn toy_file(tag: &str, count: usize) -> String {
    let mut s = format!("{HEADER}\n");
    for i in 0..count {
        s.push_str(&format!(
            "{tag}-{i};C{};{}.{:02}\n",
            i % 7,
            100 + i,
            i % 100
        ));
    }
    s
}

/// The real ingest path (hash check, one transaction, refusal record) with the toy reader.
pub fn toy_ingest(store: Store) -> Box<dyn Ingest> {
    let mut store = store;
    Box::new(
        move |bytes: &[u8], name: &str, actor: &encours::store::Actor| {
            ingest_with_parser(&mut store, bytes, name, actor, toy_parse)
        },
    )
}

pub fn open_store(db: &Path) -> Store {
    Store::open(db, OpenOptions::default()).unwrap()
}

pub fn config(inbox: &Path, stable: Duration) -> InboxConfig {
    InboxConfig {
        dir: inbox.to_path_buf(),
        stable_delay: stable,
        stale_claim_after: chrono::Duration::minutes(60),
        who: "tester".into(),
        lang: encours::locale::Language::En,
        clock: fixed_clock(),
    }
}

pub fn toy_inbox(inbox: &Path, db: &Path, stable: Duration) -> Inbox {
    Inbox::open(config(inbox, stable), toy_ingest(open_store(db))).unwrap()
}

/// Writes `content` as `dir/name` in one go: written under a dot-name, then renamed, as a
/// careful exporter does.
pub fn drop_file(dir: &Path, name: &str, content: &str) -> PathBuf {
    let tmp = dir.join(format!(".{name}.writing"));
    std::fs::write(&tmp, content).unwrap();
    let path = dir.join(name);
    std::fs::rename(&tmp, &path).unwrap();
    path
}

pub fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Regular files under `dir`, recursively, relative names sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Candidate files waiting in the inbox (not the sub-folders).
pub fn waiting(inbox: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(inbox)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| encours::inbox::is_candidate_name(n))
        .collect();
    names.sort();
    names
}
