//! FEC import through `parse_bytes`: the two shared samples (pipe fixed-width, tab with BOM)
//! and our own lettering fixture, whose every settlement is worked out by hand below.

mod common;

use chrono::NaiveDate;
use encours::domain::model::{InvoiceKind, LedgerSettlement, NewInvoice, SourceLocation};
use encours::import::{Format, ImportBatch, ParseContext, parse_bytes};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;

fn parse_file(path: &Path) -> ImportBatch {
    let bytes = std::fs::read(path).unwrap();
    let ctx = ParseContext {
        file_name: path.display().to_string(),
        ..Default::default()
    };
    parse_bytes(&bytes, &ctx).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_text(text: &str) -> Result<ImportBatch, String> {
    parse_bytes(text.as_bytes(), &ParseContext::default()).map_err(|e| e.to_string())
}

fn fixture(name: &str) -> ImportBatch {
    parse_file(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn invoice<'a>(b: &'a ImportBatch, number: &str) -> &'a NewInvoice {
    b.invoices
        .iter()
        .find(|i| i.number == number)
        .unwrap_or_else(|| panic!("no invoice {number}"))
}

fn settlements<'a>(b: &'a ImportBatch, number: &str) -> Vec<&'a LedgerSettlement> {
    b.settlements
        .iter()
        .filter(|s| s.invoice_number == number)
        .collect()
}

/// Settlements never exceed the document they settle.
fn assert_no_over_settlement(b: &ImportBatch) {
    for inv in &b.invoices {
        let total: Decimal = settlements(b, &inv.number).iter().map(|s| s.amount).sum();
        assert!(
            total <= inv.amount,
            "{} settled {total} of {}",
            inv.number,
            inv.amount
        );
    }
}

#[test]
fn pipe_fixed_width_sample() {
    let Some(dir) = common::samples_dir() else {
        return;
    };
    let b = parse_file(&dir.join("fec/111111111FEC20221231_pipe_fixedwidth.txt"));
    assert_eq!(b.format, Some(Format::Fec));
    assert_eq!(b.customers.len(), 34);
    assert_eq!(b.invoices.len(), 102);
    assert_eq!(b.settlements.len(), 72);
    assert_eq!(b.supplier_invoices.len(), 37);
    let credit_notes = b
        .invoices
        .iter()
        .filter(|i| i.kind == InvoiceKind::CreditNote)
        .count();
    assert_eq!(credit_notes, 4);

    let leclerc = b.customers.iter().find(|c| c.code == "41101590").unwrap();
    assert_eq!(leclerc.name, "E.LECLERC CARPENTR");
    assert_eq!(leclerc.location, SourceLocation::Line(6));

    // "VE  0123" is padded and shared by two entries: a batch reference, so the entry
    // number is appended.
    let first = invoice(&b, "VE 0123-00000001");
    assert_eq!(first.customer_code, "41101590");
    assert_eq!(first.amount, dec!(74.70));
    assert_eq!(first.issue_date, d(2023, 1, 9));
    assert_eq!(first.due_date, None);
    assert_eq!(first.kind, InvoiceKind::Invoice);
    let s = settlements(&b, "VE 0123-00000001");
    assert_eq!(s.len(), 1);
    assert_eq!(
        (s[0].date, s[0].amount, s[0].lettering_code.as_str()),
        (d(2023, 2, 9), dec!(74.70), "AA")
    );
    assert_eq!(s[0].location, SourceLocation::Line(680));

    let cn = invoice(&b, "VE 0323-00000012");
    assert_eq!(
        (cn.kind, cn.amount, cn.customer_code.as_str()),
        (InvoiceKind::CreditNote, dec!(74.06), "41104752")
    );
    // Lettered AD with invoice 9 of the same customer: both are settled by the offset.
    assert_eq!(settlements(&b, "VE 0323-00000009")[0].amount, dec!(74.06));
    assert_eq!(settlements(&b, "VE 0323-00000012")[0].date, d(2023, 3, 13));

    // One payment (CIC 186, 9 483,03 on 2 June) lettered AA against ten invoices.
    let jardin: Vec<_> = b
        .settlements
        .iter()
        .filter(|s| s.lettering_code == "AA" && s.location == SourceLocation::Line(718))
        .collect();
    assert_eq!(jardin.len(), 10);
    assert!(jardin.iter().all(|s| s.date == d(2023, 6, 2)));
    assert_eq!(
        jardin.iter().map(|s| s.amount).sum::<Decimal>(),
        dec!(9483.03)
    );

    // Group AB of JARDIN DES PAPES: credit note 57 (9 May) offsets invoice 53 first, the
    // payment of 26 June pays the rest; DateLet (26 June) is not the date of the offset.
    let inv53 = settlements(&b, "VE 0523-00000053");
    assert_eq!(
        inv53.iter().map(|s| (s.date, s.amount)).collect::<Vec<_>>(),
        vec![
            (d(2023, 5, 9), dec!(102.59)),
            (d(2023, 6, 26), dec!(906.27))
        ]
    );

    // Opening balances ("AN", PieceRef "sans"): one invoice per line, synthetic numbers.
    let an = invoice(&b, "AN-41101745-00000192-2");
    assert_eq!((an.amount, an.issue_date), (dec!(1109.40), d(2023, 1, 1)));
    let an_cn = invoice(&b, "AN-41104251-00000192");
    assert_eq!(
        (an_cn.kind, an_cn.amount),
        (InvoiceKind::CreditNote, dec!(56.03))
    );
    let carpentras_an = settlements(&b, "AN-41101590-00000192");
    assert_eq!(carpentras_an[0].lettering_code, "AD");
    assert_eq!(carpentras_an[0].date, d(2023, 4, 11));

    // Unlettered invoices stay open.
    assert!(settlements(&b, "VE 0623-00000088").is_empty());
    assert_no_over_settlement(&b);
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("3 customer payment(s) totalling 427.99"))
    );

    let provetiq = b
        .supplier_invoices
        .iter()
        .find(|s| s.number == "FG-00000196")
        .unwrap();
    assert_eq!(
        (
            provetiq.supplier_name.as_str(),
            provetiq.amount,
            provetiq.paid
        ),
        ("PROVETIQ", dec!(698.98), true)
    );
    let capfl = b
        .supplier_invoices
        .iter()
        .find(|s| s.number == "FG-00000226")
        .unwrap();
    assert_eq!((capfl.amount, capfl.paid), (dec!(3089.46), false));
}

#[test]
fn tab_bom_excerpt_sample() {
    let Some(dir) = common::samples_dir() else {
        return;
    };
    let b = parse_file(&dir.join("fec/0000000001FEC20220831_tab_bom_excerpt.txt"));
    assert_eq!(b.format, Some(Format::Fec));
    assert_eq!(b.customers.len(), 7);
    let prosol = b.customers.iter().find(|c| c.code == "CPRO00").unwrap();
    assert_eq!(prosol.name, "PROSOL GESTION");
    // "ANO" opening lines, PieceRef "RAN": open balances carried forward.
    assert_eq!(b.invoices.len(), 7);
    let inv = invoice(&b, "AN-CPRO00-1");
    assert_eq!(
        (inv.amount, inv.issue_date, inv.customer_code.as_str()),
        (dec!(35724.95), d(2021, 9, 1), "CPRO00")
    );
    assert!(b.settlements.is_empty());

    assert_eq!(b.supplier_invoices.len(), 97);
    let total = b
        .supplier_invoices
        .iter()
        .find(|s| s.number == "09.01")
        .unwrap();
    assert_eq!(
        (total.supplier_code.as_str(), total.amount, total.paid),
        ("FTOTAL", dec!(184.03), true)
    );
    let sfr = b
        .supplier_invoices
        .iter()
        .find(|s| s.number == "09.23")
        .unwrap();
    assert_eq!(
        (sfr.amount, sfr.paid, sfr.issue_date),
        (dec!(30.00), false, d(2021, 9, 29))
    );
    // PieceRef "09" is used by two CREDIPAR entries: numbered with the entry.
    let credipar = b
        .supplier_invoices
        .iter()
        .find(|s| s.number == "09-25")
        .unwrap();
    assert_eq!(
        (credipar.supplier_code.as_str(), credipar.amount),
        ("FCREDI", dec!(388.21))
    );
    let opening = b
        .supplier_invoices
        .iter()
        .find(|s| s.number == "AN-FCOO00-1")
        .unwrap();
    assert_eq!(opening.amount, dec!(77499.54));

    // The excerpt cuts entries ACH 88 and 89: warned, not refused (no 401/411 line in them).
    let unbalanced: Vec<_> = b
        .warnings
        .iter()
        .filter(|w| w.message.contains("does not balance"))
        .collect();
    assert_eq!(unbalanced.len(), 2);
    assert!(unbalanced[0].message.contains("ACH 88"));
    assert_eq!(unbalanced[0].location, SourceLocation::Line(393));
}

#[test]
fn lettering_fixture_settles_by_payment_date() {
    let b = fixture("fec_lettering.txt");
    assert_eq!(b.format, Some(Format::Fec));
    let codes: Vec<_> = b.customers.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["CANC", "CDUP", "CMAR", "CLEG"]);
    let numbers: Vec<_> = b.invoices.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "AN-CANC-1",
            "F-001",
            "F-002",
            "AV-001",
            "F-003",
            "F-004",
            "F-005"
        ]
    );
    assert_eq!(invoice(&b, "AV-001").kind, InvoiceKind::CreditNote);

    let got = |n: &str| -> Vec<(NaiveDate, Decimal, String)> {
        settlements(&b, n)
            .iter()
            .map(|s| (s.date, s.amount, s.lettering_code.clone()))
            .collect()
    };
    assert_eq!(
        got("F-001"),
        vec![(d(2024, 2, 15), dec!(1200.00), "A".into())]
    );
    // Group B: the credit note offsets F-002 on its own date; the transfer of 20 February
    // came back on the 27th, so the 480 is paid by the one of 5 March.
    assert_eq!(
        got("F-002"),
        vec![
            (d(2024, 1, 25), dec!(120.00), "B".into()),
            (d(2024, 3, 5), dec!(480.00), "B".into())
        ]
    );
    assert_eq!(
        got("AV-001"),
        vec![(d(2024, 1, 25), dec!(120.00), "B".into())]
    );
    // Two partial payments, each on its own date, not on DateLet (10 April).
    assert_eq!(
        got("F-003"),
        vec![
            (d(2024, 3, 1), dec!(400.00), "A".into()),
            (d(2024, 4, 10), dec!(500.00), "A".into())
        ]
    );
    // Lettered, but its payment is not in this file: settled on DateLet.
    assert_eq!(
        got("F-004"),
        vec![(d(2024, 6, 30), dec!(300.00), "B".into())]
    );
    // Moved to doubtful receivables (416): still unpaid.
    assert!(got("F-005").is_empty());
    assert!(got("AN-CANC-1").is_empty());
    assert_eq!(b.settlements.len(), 7);
    assert_no_over_settlement(&b);
    assert!(b.warnings.iter().any(|w| w.message.contains("416")));
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("1 customer payment(s) totalling 250.00"))
    );

    let sup: Vec<_> = b
        .supplier_invoices
        .iter()
        .map(|s| {
            (
                s.number.as_str(),
                s.supplier_name.as_str(),
                s.amount,
                s.paid,
            )
        })
        .collect();
    assert_eq!(
        sup,
        vec![
            ("AN-FOLD-1", "FOURNISSEUR ANCIEN", dec!(200.00), false),
            ("E-778", "EDF", dec!(360.00), true),
            ("OR-31", "ORANGE", dec!(96.00), false),
        ]
    );
}

#[test]
fn unbalanced_entry_on_a_customer_account_is_refused_with_its_number() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fec_unbalanced.txt");
    let err = parse_bytes(&std::fs::read(path).unwrap(), &ParseContext::default()).unwrap_err();
    assert_eq!(err.location, SourceLocation::Line(8));
    assert_eq!(err.field.as_deref(), Some("EcritureNum"));
    assert!(err.message.contains("entry VT 7"), "{err}");
    assert!(err.message.contains("10.00"), "{err}");
}

const HEADER: &str = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|MontantDevise|Idevise";

#[test]
fn malformed_fec_lines_name_their_line_and_field() {
    let letters = format!(
        "{HEADER}\nVT|Ventes|1|20240110|411000|Clients|C1|X|F1|20240110|F1|12a,00|0,00||||||\n"
    );
    let e = parse_text(&letters).unwrap_err();
    assert!(
        e.contains("line 2, field 'Debit'") && e.contains("12a,00"),
        "{e}"
    );

    let date =
        format!("{HEADER}\nVT|Ventes|1|2024-13-45|411000|Clients|C1|X|F1||F1|1,00|0,00||||||\n");
    let e = parse_text(&date).unwrap_err();
    assert!(e.contains("line 2, field 'EcritureDate'"), "{e}");

    // A label holding the separator pushes Idevise into a 19th column.
    let extra = format!(
        "{HEADER}\nVT|Ventes|1|20240110|411000|Clients|C1|X|F1|20240110|F|1|1,00|0,00|||20240331||EUR|\n"
    );
    let e = parse_text(&extra).unwrap_err();
    assert!(
        e.contains("line 2") && e.contains("19 fields where the header has 18"),
        "{e}"
    );

    let no_account = HEADER.replace("CompteNum", "Compte");
    let e = parse_text(&format!("{no_account}\n")).unwrap_err();
    assert!(e.contains("comptenum"), "{e}");
}

#[test]
fn header_names_are_case_insensitive_and_montant_sens_is_read() {
    let text = "journalcode\tjournallib\tecriturenum\tecrituredate\tcomptenum\tcomptelib\tcompauxnum\tcompauxlib\tpieceref\tpiecedate\tecriturelib\tmontant\tsens\tecriturelet\tdatelet\tvaliddate\tmontantdevise\tidevise\n\
        VE\tVentes\t1\t20240110\t411000\tClients\tC1\tClient Un\tF1\t20240109\tF1\t120,00\tD\t\t\t\t\t\n\
        VE\tVentes\t1\t20240110\t706000\tVentes\t\t\tF1\t20240109\tF1\t120,00\tC\t\t\t\t\t\n";
    let b = parse_text(text).unwrap();
    assert_eq!(b.invoices.len(), 1);
    assert_eq!(
        (b.invoices[0].amount, b.invoices[0].issue_date),
        (dec!(120.00), d(2024, 1, 9))
    );
    assert_eq!(b.customers[0].name, "Client Un");
}
