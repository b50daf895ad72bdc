//! Bank lines through the whole import path (`ingest`): overlapping statements never
//! duplicate a line, identical lines of one file are all kept, keys written by older
//! versions still recognise the overlap, and a refusal anywhere in a streamed file leaves
//! nothing of it behind.

use chrono::NaiveDate;
use encours::import::{ParseContext, parse_bytes};
use encours::ingest::{IngestError, IngestOutcome, ingest};
use encours::store::import_writer::{ImportSummary, transaction_digest};
use encours::store::{Actor, OpenOptions, Store, schema};

fn actor() -> Actor {
    Actor::new(
        "tester",
        NaiveDate::from_ymd_opt(2026, 6, 15)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    )
}

const HEADER: &str =
    "IBAN : FR76 3000 6000 0112 3456 7890 189;;;\nDate opération;Libellé;Montant;Devise\n";

fn csv(lines: &[&str]) -> String {
    let mut text = HEADER.to_string();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn import(store: &mut Store, text: &str, name: &str) -> ImportSummary {
    match ingest(
        store,
        text.as_bytes(),
        name,
        &ParseContext::default(),
        &actor(),
    ) {
        Ok(IngestOutcome::Imported(summary)) => summary,
        other => panic!("{name}: {other:?}"),
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

const CARD: &str = "02/03/2026;CB BOULANGERIE;-4,20;EUR";

#[test]
fn overlapping_statements_never_duplicate_a_line_and_identical_lines_are_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db"), OpenOptions::default()).unwrap();
    let first = csv(&[
        "01/03/2026;VIR CLIENT A FACT 12;1200,00;EUR",
        CARD,
        CARD,
        "03/03/2026;VIR CLIENT B FACT 13;300,50;EUR",
    ]);
    let s = import(&mut store, &first, "march-1.csv");
    assert_eq!((s.transactions_inserted, s.transactions_duplicate), (4, 0));

    // The next export starts on the 2nd: both card payments and the 3rd are old news.
    let second = csv(&[
        CARD,
        CARD,
        "03/03/2026;VIR CLIENT B FACT 13;300,50;EUR",
        "04/03/2026;VIR CLIENT C FACT 14;99,99;EUR",
    ]);
    let s = import(&mut store, &second, "march-2.csv");
    assert_eq!((s.transactions_inserted, s.transactions_duplicate), (1, 3));

    // A corrected export of the 2nd with a third identical card payment: only it is new.
    let third = csv(&[CARD, CARD, CARD]);
    let s = import(&mut store, &third, "march-3.csv");
    assert_eq!((s.transactions_inserted, s.transactions_duplicate), (1, 2));

    assert_eq!(count(&store, "SELECT COUNT(*) FROM bank_transactions"), 6);
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM bank_transactions WHERE amount_minor = -420"
        ),
        3
    );
}

#[test]
fn keys_written_before_version_5_still_recognise_an_overlapping_statement() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let old = csv(&[CARD, CARD]);
    let batch = parse_bytes(old.as_bytes(), &ParseContext::default()).unwrap();
    let lines = &batch.statements[0].transactions;
    {
        // A database as version 4 left it, holding the two card payments under the old
        // text keys: 24 hex digits of the content digest, `#`, the rank.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for step in &schema::MIGRATIONS[..4] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute(
            "INSERT INTO bank_accounts (key, iban, currency) VALUES (?1, ?1, 'EUR')",
            ["FR7630006000011234567890189"],
        )
        .unwrap();
        for (rank, t) in lines.iter().enumerate() {
            let digest = transaction_digest(t, -420);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            // The old key's last 4 digest bytes are not kept by the conversion.
            let key = format!("{hex}5a5a5a5a#{}", rank + 1);
            conn.execute(
                "INSERT INTO bank_transactions (account_id, natural_key, booking_date,
                    amount_minor, currency, remittance)
                 VALUES (1, ?1, '2026-03-02', -420, 'EUR', ?2)",
                rusqlite::params![key, t.remittance],
            )
            .unwrap();
        }
    }
    let mut store = Store::open(&path, OpenOptions::default()).unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM bank_transactions WHERE typeof(natural_key) = 'blob'"
        ),
        2,
        "the migration converts the old keys"
    );
    let overlapping = csv(&[CARD, CARD, "03/03/2026;VIR CLIENT B FACT 13;300,50;EUR"]);
    let s = import(&mut store, &overlapping, "march.csv");
    assert_eq!((s.transactions_inserted, s.transactions_duplicate), (1, 2));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bank_transactions"), 3);
}

#[test]
fn a_bad_line_at_the_end_of_a_large_file_leaves_nothing_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db"), OpenOptions::default()).unwrap();
    let mut lines: Vec<String> = (0..20_000)
        .map(|i| {
            format!(
                "{:02}/03/2026;VIR CLIENT {i} FACT {i};{},{:02};EUR",
                1 + i % 28,
                10 + i,
                i % 100
            )
        })
        .collect();
    lines.push("28/03/2026;VIR CLIENT X;12,3x;EUR".into());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let text = csv(&refs);
    let err = ingest(
        &mut store,
        text.as_bytes(),
        "big.csv",
        &ParseContext::default(),
        &actor(),
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::Refused(_)), "{err:?}");
    let message = err.to_string();
    // Two preamble lines, then 20,000 good lines: the bad one is line 20,003.
    for part in ["big.csv", "line 20003", "field 'Montant'", "12,3x"] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bank_transactions"), 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bank_accounts"), 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM imports"), 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM import_rejections"), 1);

    // The same file corrected goes in whole.
    let fixed = text.replace("12,3x", "12,30");
    let s = import(&mut store, &fixed, "big.csv");
    assert_eq!(s.transactions_inserted, 20_001);
}
