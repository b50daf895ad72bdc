//! The inbox on a real filesystem, with the real ingest path and store, and a toy reader
//! (see `inbox_support`): files imported once and whole, refusals filed with their reason,
//! temporary names ignored, interrupted claims taken back.

mod inbox_support;

use encours::config::{Settings, WatchMode};
use encours::import::ParseContext;
use encours::inbox::{ClaimName, Inbox, InboxOutcome, StoreIngest, Watcher, WatcherConfig};
use encours::ingest::IngestError;
use encours::store::StoreError;
use inbox_support::*;
use std::io::Write;
use std::time::Duration;

const QUICK: Duration = Duration::from_millis(200);

#[test]
fn a_file_written_slowly_in_pieces_is_imported_once_whole() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let config = WatcherConfig {
        inbox: config(&inbox, Duration::from_millis(1500)),
        mode: WatchMode::Poll,
        poll_interval: Duration::from_millis(100),
    };
    let (watcher, events) = Watcher::start(config, toy_ingest(open_store(&db))).unwrap();

    let content = toy_file("SLOW", 60);
    let path = inbox.join("slow.csv");
    let writer = {
        let content = content.clone();
        let path = path.clone();
        std::thread::spawn(move || {
            let mut file = std::fs::File::create(&path).unwrap();
            // Pieces cut anywhere, even inside a line, as a slow network copy would.
            for piece in content.as_bytes().chunks(41) {
                file.write_all(piece).unwrap();
                file.flush().unwrap();
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    writer.join().unwrap();
    let event = events
        .recv_timeout(Duration::from_secs(60))
        .expect("the file was never imported");
    assert_eq!(event.file, "slow.csv");
    let InboxOutcome::Imported(summary) = &event.outcome else {
        panic!("expected an import, got {}", event.describe());
    };
    assert_eq!(summary.invoices_inserted, 60, "imported whole");
    // Nothing else happens to it: no second import, no refusal of a half file.
    assert!(events.recv_timeout(Duration::from_secs(2)).is_err());
    watcher.stop();

    assert_eq!(count(&db, "SELECT COUNT(*) FROM imports"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), 60);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM import_rejections"), 0);
    let archived = event.moved_to.unwrap();
    assert!(archived.starts_with(inbox.join("archive/2026-03-02")));
    assert_eq!(std::fs::read_to_string(archived).unwrap(), content);
    assert!(waiting(&inbox).is_empty());
}

#[test]
fn the_same_file_dropped_twice_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let mut inbox = toy_inbox(&inbox_dir, &db, QUICK);
    let content = toy_file("TWICE", 5);

    drop_file(&inbox_dir, "factures.csv", &content);
    let first = inbox.run_once().unwrap();
    assert_eq!(first.len(), 1);
    assert!(matches!(first[0].outcome, InboxOutcome::Imported(_)));

    drop_file(&inbox_dir, "factures.csv", &content);
    let second = inbox.run_once().unwrap();
    assert_eq!(second.len(), 1);
    let InboxOutcome::AlreadyImported { as_name, .. } = &second[0].outcome else {
        panic!("expected already imported, got {}", second[0].describe());
    };
    assert_eq!(as_name, "factures.csv");

    assert_eq!(count(&db, "SELECT COUNT(*) FROM imports"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), 5);
    // Both copies are kept, side by side, the second with a note saying why nothing was done.
    assert_eq!(
        files_under(&inbox_dir.join("archive")),
        [
            "2026-03-02/factures (2).csv",
            "2026-03-02/factures (2).csv.note.txt",
            "2026-03-02/factures.csv"
        ]
    );
    let note =
        std::fs::read_to_string(inbox_dir.join("archive/2026-03-02/factures (2).csv.note.txt"))
            .unwrap();
    assert!(note.contains("nothing was written"), "{note}");
}

#[test]
fn a_malformed_file_is_rejected_with_its_reason_and_the_next_good_file_imports() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let mut inbox = toy_inbox(&inbox_dir, &db, QUICK);

    drop_file(
        &inbox_dir,
        "bad.csv",
        &format!("{HEADER}\nB-1;C1;10.00\nB-2;C1;12,3x\n"),
    );
    let events = inbox.run_once().unwrap();
    assert_eq!(events.len(), 1);
    let InboxOutcome::Refused(error) = &events[0].outcome else {
        panic!("expected a refusal, got {}", events[0].describe());
    };
    assert_eq!(error.field.as_deref(), Some("amount"));
    let reason = std::fs::read_to_string(inbox_dir.join("rejected/bad.csv.reason.txt")).unwrap();
    assert!(reason.contains("line 3"), "{reason}");
    assert!(reason.contains("Field: amount"), "{reason}");
    assert!(reason.contains("'12,3x' is not an amount"), "{reason}");
    assert!(reason.contains("write amounts like 1234.50"), "{reason}");
    assert!(inbox_dir.join("rejected/bad.csv").is_file());
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM invoices"),
        0,
        "nothing of it"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM import_rejections"), 1);

    drop_file(&inbox_dir, "good.csv", &toy_file("GOOD", 3));
    let events = inbox.run_once().unwrap();
    assert_eq!(events.len(), 1, "the rejected file is not tried again");
    assert!(matches!(events[0].outcome, InboxOutcome::Imported(_)));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), 3);
}

#[test]
fn temporary_hidden_and_backup_names_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let mut inbox = toy_inbox(&inbox_dir, &db, QUICK);
    let content = toy_file("T", 2);
    for name in [
        ".hidden.csv",
        "copy.csv.tmp",
        "download.part",
        "factures.csv~",
    ] {
        std::fs::write(inbox_dir.join(name), &content).unwrap();
    }
    std::fs::create_dir(inbox_dir.join("a folder.csv")).unwrap();
    assert!(inbox.run_once().unwrap().is_empty());
    assert_eq!(count(&db, "SELECT COUNT(*) FROM imports"), 0);
    for name in [
        ".hidden.csv",
        "copy.csv.tmp",
        "download.part",
        "factures.csv~",
    ] {
        assert!(inbox_dir.join(name).is_file(), "{name} was touched");
    }
    // The exporter renames its .part when done: now it is imported.
    std::fs::rename(
        inbox_dir.join("download.part"),
        inbox_dir.join("download.csv"),
    )
    .unwrap();
    let events = inbox.run_once().unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(events[0].outcome, InboxOutcome::Imported(_)));
}

#[cfg(unix)]
#[test]
fn inbox_folders_are_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let inbox = toy_inbox(&inbox_dir, &dir.path().join("encours.db"), QUICK);
    for sub in [
        inbox_dir.clone(),
        inbox.layout().archive(),
        inbox.layout().rejected(),
        inbox.layout().claimed(),
    ] {
        let mode = std::fs::metadata(&sub).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", sub.display());
    }
}

/// A claim as a process that died would have left it.
fn dead_claim(inbox_dir: &std::path::Path, original: &str, content: &str) {
    let mut claim = ClaimName::new(original, noon());
    claim.pid = i32::MAX as u32;
    std::fs::write(inbox_dir.join(".claimed").join(claim.file_name()), content).unwrap();
}

#[test]
fn a_claim_left_by_a_dead_process_before_commit_is_imported_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let mut inbox = toy_inbox(&inbox_dir, &db, QUICK);
    dead_claim(&inbox_dir, "releve.csv", &toy_file("CRASH", 4));

    let recovered = inbox.recover().unwrap();
    assert_eq!(recovered.len(), 1);
    assert!(matches!(recovered[0].outcome, InboxOutcome::Recovered));
    assert_eq!(waiting(&inbox_dir), ["releve.csv"], "back in the inbox");

    let events = inbox.scan(true).unwrap().events;
    assert!(matches!(events[0].outcome, InboxOutcome::Imported(_)));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), 4);
    assert!(files_under(&inbox_dir.join(".claimed")).is_empty());
}

#[test]
fn a_claim_left_by_a_dead_process_after_commit_is_archived_as_already_imported() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let content = toy_file("DONE", 4);
    // The dead process had committed the import, then died before filing the file away.
    let mut store = open_store(&db);
    encours::ingest::ingest_with_parser(
        &mut store,
        content.as_bytes(),
        "releve.csv",
        &encours::store::Actor::new("crashed", noon()),
        toy_parse,
    )
    .unwrap();
    drop(store);
    let mut inbox = toy_inbox(&inbox_dir, &db, QUICK);
    dead_claim(&inbox_dir, "releve.csv", &content);

    let events = inbox.run_once().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(matches!(events[0].outcome, InboxOutcome::Recovered));
    assert!(matches!(
        events[1].outcome,
        InboxOutcome::AlreadyImported { .. }
    ));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM imports"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), 4);
    assert!(waiting(&inbox_dir).is_empty());
}

#[test]
fn a_live_claim_is_left_to_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let mut inbox = toy_inbox(&inbox_dir, &dir.path().join("encours.db"), QUICK);
    let mut claim = ClaimName::new("busy.csv", noon());
    claim.pid = std::os::unix::process::parent_id();
    let path = inbox_dir.join(".claimed").join(claim.file_name());
    std::fs::write(&path, toy_file("LIVE", 1)).unwrap();
    assert!(inbox.run_once().unwrap().is_empty());
    assert!(path.is_file());
}

#[test]
fn a_database_failure_puts_the_file_back_for_later() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let failing = Box::new(
        |_: &[u8], _: &str, _: &encours::store::Actor| -> Result<_, IngestError> {
            Err(IngestError::Store(StoreError::Busy { waited_secs: 300 }))
        },
    );
    let mut inbox = encours::inbox::Inbox::open(config(&inbox_dir, QUICK), failing).unwrap();
    drop_file(&inbox_dir, "x.csv", &toy_file("X", 1));
    let events = inbox.scan(true).unwrap().events;
    let InboxOutcome::Failed(why) = &events[0].outcome else {
        panic!("expected a failure, got {}", events[0].describe());
    };
    assert!(why.contains("busy"), "{why}");
    assert_eq!(waiting(&inbox_dir), ["x.csv"], "the file is not lost");
    // A scan cued by an event leaves it alone; the periodic one tries again.
    assert!(inbox.scan(false).unwrap().events.is_empty());
    assert_eq!(inbox.scan(true).unwrap().events.len(), 1);
}

#[test]
fn two_watchers_in_one_process_share_fifty_files_without_doubles() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    std::fs::create_dir_all(&inbox_dir).unwrap();
    for i in 0..50 {
        drop_file(
            &inbox_dir,
            &format!("f{i:02}.csv"),
            &toy_file(&format!("R{i}"), 3),
        );
    }
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let inbox_dir = inbox_dir.clone();
            let db = db.clone();
            std::thread::spawn(move || toy_inbox(&inbox_dir, &db, QUICK).run_once().unwrap())
        })
        .collect();
    let events: Vec<_> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let imported = events
        .iter()
        .filter(|e| matches!(e.outcome, InboxOutcome::Imported(_)))
        .count();
    assert_eq!(imported, 50, "{events:?}");
    assert_eq!(events.len(), 50);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM imports"), 50);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), 150);
}

#[test]
fn in_events_mode_a_dropped_file_is_noticed_without_waiting_for_the_periodic_scan() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let config = WatcherConfig {
        inbox: config(&inbox, Duration::from_millis(300)),
        mode: WatchMode::Events,
        // Far beyond the wait below: only an event can trigger the import in time.
        poll_interval: Duration::from_secs(600),
    };
    let (watcher, events) = Watcher::start(config, toy_ingest(open_store(&db))).unwrap();
    assert_eq!(*watcher.mode(), encours::inbox::ActiveMode::Events);
    // Let the start-up scan pass, then drop the file.
    std::thread::sleep(Duration::from_millis(500));
    drop_file(&inbox, "late.csv", &toy_file("EV", 2));
    let event = events
        .recv_timeout(Duration::from_secs(60))
        .expect("no event-driven scan");
    assert!(
        matches!(event.outcome, InboxOutcome::Imported(_)),
        "{}",
        event.describe()
    );
    watcher.stop();
}

/// A month's bank lines paying invoice FA-2024-001 of `tests/fixtures/invoices_fr.csv` by
/// its number, as a QIF export.
const PAYMENT_QIF: &str = "!Type:Bank
D10/02/2024
T1.200,00
PBOULANGERIE MARTIN
MVIR SEPA FACTURE FA-2024-001
^
";

/// The real readers and ingest path, with the automatic matching rules after the scan
/// (`matching.after_import`, on by default) or without them.
fn store_inbox(inbox_dir: &std::path::Path, db: &std::path::Path, matching: bool) -> Inbox {
    let settings = Settings::defaults();
    let ctx = ParseContext {
        file_name: String::new(),
        default_currency: settings.general.currency,
        csv_profiles: settings.import.csv_profiles.clone(),
    };
    let mut ingest = StoreIngest::new(open_store(db), ctx);
    if matching {
        ingest = ingest.with_matching(settings.matching.params());
    }
    Inbox::open(config(inbox_dir, QUICK), Box::new(ingest)).unwrap()
}

fn drop_invoices_and_payment(inbox_dir: &std::path::Path) {
    let invoices = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invoices_fr.csv"),
    )
    .unwrap();
    // The bank file's name sorts first: it is imported before the invoices it pays, and
    // the rules, run once the scan is over, still find them.
    drop_file(inbox_dir, "a-releve.qif", PAYMENT_QIF);
    drop_file(
        inbox_dir,
        "factures.csv",
        std::str::from_utf8(&invoices).unwrap(),
    );
}

#[test]
fn the_payments_in_a_scans_files_are_matched_once_the_scan_is_over() {
    assert!(Settings::defaults().matching.after_import, "on by default");
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let mut inbox = store_inbox(&inbox_dir, &db, true);
    drop_invoices_and_payment(&inbox_dir);

    let events = inbox.run_once().unwrap();
    let told: Vec<String> = events.iter().map(|e| e.describe()).collect();
    assert_eq!(events.len(), 3, "{told:#?}");
    assert!(matches!(events[0].outcome, InboxOutcome::Imported(_)));
    assert!(matches!(events[1].outcome, InboxOutcome::Imported(_)));
    let InboxOutcome::Matched {
        credits,
        allocations,
        reversals,
    } = events[2].outcome
    else {
        panic!("expected the matching after the imports: {told:#?}");
    };
    assert_eq!((credits, allocations, reversals), (1, 1, 0));
    assert_eq!(events[2].file, "a-releve.qif, factures.csv");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM allocations a JOIN invoices i ON i.id = a.invoice_id
             WHERE i.number = 'FA-2024-001' AND a.who = 'tester' AND a.amount_minor = 120000"
        ),
        1
    );

    // A scan that imports nothing runs nothing, and a scan whose rules find nothing new
    // says nothing of them.
    assert!(inbox.run_once().unwrap().is_empty());
    drop_file(
        &inbox_dir,
        "b-loyer.qif",
        "!Type:Bank\nD11/02/2024\nT-450,00\nPSCI DES TILLEULS\nMLOYER FEVRIER\n^\n",
    );
    let quiet = inbox.run_once().unwrap();
    assert_eq!(
        quiet.len(),
        1,
        "{:#?}",
        quiet.iter().map(|e| e.describe()).collect::<Vec<_>>()
    );
    assert!(matches!(quiet[0].outcome, InboxOutcome::Imported(_)));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM allocations"), 1);
}

#[test]
fn without_matching_after_import_the_payments_wait_for_encours_match() {
    let dir = tempfile::tempdir().unwrap();
    let inbox_dir = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let mut inbox = store_inbox(&inbox_dir, &db, false);
    drop_invoices_and_payment(&inbox_dir);

    let events = inbox.run_once().unwrap();
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|e| matches!(e.outcome, InboxOutcome::Imported(_)))
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM allocations"), 0);
}
