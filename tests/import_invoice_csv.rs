//! Invoice, customer and rating CSVs through `parse_bytes` (so detection tells the three
//! apart), on our own fixtures in French and English, and the refusals each with its line
//! and column.

use chrono::NaiveDate;
use encours::domain::model::{InvoiceKind, Segment, SourceLocation};
use encours::import::csv_profile::{CsvKind, CsvProfile};
use encours::import::{Format, ImportBatch, ImportError, ParseContext, invoice_csv, parse_bytes};
use rust_decimal_macros::dec;
use std::path::PathBuf;

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn parse_fixture(name: &str) -> Result<ImportBatch, ImportError> {
    let ctx = ParseContext {
        file_name: name.into(),
        ..Default::default()
    };
    parse_bytes(&std::fs::read(path(name)).unwrap(), &ctx)
}

fn ok(name: &str) -> ImportBatch {
    parse_fixture(name).unwrap_or_else(|e| panic!("{e}"))
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn french_aged_balance_with_preamble_credit_note_and_total_row() {
    let b = ok("invoices_fr.csv");
    assert_eq!(b.format, Some(Format::InvoiceCsv));
    let got: Vec<_> = b
        .invoices
        .iter()
        .map(|i| {
            (
                i.number.as_str(),
                i.kind,
                i.customer_code.as_str(),
                i.amount,
                i.prepaid,
                i.disputed,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "FA-2024-001",
                InvoiceKind::Invoice,
                "C001",
                dec!(1200.00),
                dec!(0.00),
                false
            ),
            (
                "FA-2024-002",
                InvoiceKind::Invoice,
                "C002",
                dec!(3456.78),
                dec!(2456.78),
                true
            ),
            (
                "AV-2024-001",
                InvoiceKind::CreditNote,
                "C001",
                dec!(150.00),
                dec!(0.00),
                false
            ),
            (
                "FA-2024-003",
                InvoiceKind::Invoice,
                "C003",
                dec!(980.50),
                dec!(0.00),
                false
            ),
        ]
    );
    let first = &b.invoices[0];
    assert_eq!(
        (first.issue_date, first.due_date),
        (d(2024, 1, 5), Some(d(2024, 2, 4)))
    );
    assert_eq!(first.location, SourceLocation::Line(5));
    assert_eq!(b.invoices[3].due_date, None);
    assert_eq!(b.invoices[3].currency.as_str(), "EUR");
    assert_eq!(b.customers.len(), 3);
    assert_eq!(b.customers[0].siren.as_deref(), Some("552081317"));
    assert_eq!(b.customers[2].name, "Hôtel des Alpes");
    assert!(b.warnings.iter().any(|w| w.message.contains("1 total row")));
}

#[test]
fn english_invoice_list() {
    let b = ok("invoices_en.csv");
    assert_eq!(b.format, Some(Format::InvoiceCsv));
    assert_eq!(b.invoices.len(), 4);
    let acme = &b.invoices[0];
    assert_eq!(
        (acme.number.as_str(), acme.amount, acme.currency.as_str()),
        ("INV-2026-001", dec!(1250.00), "GBP")
    );
    assert_eq!(acme.payment_reference.as_deref(), Some("RF18539007547034"));
    assert_eq!(acme.due_date, Some(d(2026, 2, 4)));
    let beta = &b.invoices[1];
    assert_eq!((beta.prepaid, beta.disputed), (dec!(480.00), true));
    assert_eq!(b.invoices[2].kind, InvoiceKind::CreditNote);
    // No code: derived from the SIREN inside the French VAT id.
    let gamma = &b.invoices[3];
    assert_eq!(gamma.customer_code, "787878784");
    let c = b.customers.iter().find(|c| c.code == "787878784").unwrap();
    assert_eq!(
        (c.name.as_str(), c.vat_id.as_deref()),
        ("Gamma SAS", Some("FR19787878784"))
    );
    assert_eq!(
        b.customers
            .iter()
            .find(|c| c.code == "ACME")
            .unwrap()
            .vat_id
            .as_deref(),
        Some("GB123456789")
    );
}

#[test]
fn customer_master_data_fr_and_en() {
    let b = ok("customers_fr.csv");
    assert_eq!(b.format, Some(Format::CustomerCsv));
    assert_eq!(b.customers.len(), 3);
    let c = &b.customers[0];
    assert_eq!(
        (c.code.as_str(), c.name.as_str()),
        ("C001", "Boulangerie Martin")
    );
    assert_eq!(c.siren.as_deref(), Some("552081317"));
    assert_eq!(c.vat_id.as_deref(), Some("FR03552081317"));
    assert_eq!(c.email.as_deref(), Some("compta@boulangerie-martin.fr"));
    assert_eq!(c.phone.as_deref(), Some("01 23 45 67 89"));
    assert_eq!(c.contact_name.as_deref(), Some("Mme Martin"));
    assert_eq!(
        (c.payment_terms_days, c.credit_limit, c.segment),
        (Some(30), Some(dec!(15000.00)), Some(Segment::Standard))
    );
    let garage = &b.customers[1];
    assert_eq!(
        (
            garage.payment_terms_days,
            garage.credit_limit,
            garage.segment
        ),
        (Some(45), Some(dec!(5000.50)), Some(Segment::Watch))
    );
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("end-of-month") && w.location == SourceLocation::Line(3))
    );
    // A SIRET in the SIREN column: its first nine digits.
    assert_eq!(b.customers[2].siren.as_deref(), Some("787878784"));
    assert_eq!(b.customers[2].segment, Some(Segment::Strategic));

    let b = ok("customers_en.csv");
    assert_eq!(b.format, Some(Format::CustomerCsv));
    let acme = &b.customers[0];
    assert_eq!(
        (acme.payment_terms_days, acme.credit_limit),
        (Some(30), Some(dec!(20000.00)))
    );
    assert_eq!(acme.segment, Some(Segment::Strategic));
    assert_eq!(b.customers[1].credit_limit, Some(dec!(7500.50)));
    assert_eq!(b.customers[1].segment, Some(Segment::New));
}

#[test]
fn ratings_fr_and_en() {
    let b = ok("ratings_fr.csv");
    assert_eq!(b.format, Some(Format::RatingCsv));
    assert_eq!(b.ratings.len(), 2);
    let bdf = &b.ratings[0];
    assert_eq!(
        (bdf.siren.as_str(), bdf.date, bdf.source.as_str()),
        ("552081317", d(2024, 3, 15), "Banque de France")
    );
    // French "Note" is the grade.
    assert_eq!(
        (
            bdf.grade.as_deref(),
            bdf.score,
            bdf.insurer_limit,
            bdf.insolvency
        ),
        (Some("4+"), Some(78), Some(dec!(50000)), false)
    );
    let rj = &b.ratings[1];
    assert_eq!(
        (rj.siren.as_str(), rj.insolvency, rj.insurer_limit),
        ("787878784", true, Some(dec!(0)))
    );
    assert_eq!(
        rj.note.as_deref(),
        Some("Redressement judiciaire ouvert le 28/03/2024")
    );

    let b = ok("ratings_en.csv");
    assert_eq!(b.format, Some(Format::RatingCsv));
    let cs = &b.ratings[0];
    // English "Note" is a comment next to a "Grade" column.
    assert_eq!(
        (cs.grade.as_deref(), cs.score, cs.note.as_deref()),
        (Some("B"), Some(64), Some("watch payment delays"))
    );
    assert_eq!(
        (b.ratings[1].siren.as_str(), b.ratings[1].insolvency),
        ("787878784", true)
    );
}

fn refused(name: &str) -> ImportError {
    match parse_fixture(name) {
        Ok(b) => panic!("{name} was accepted: {b:?}"),
        Err(e) => e,
    }
}

#[test]
fn due_date_before_issue_date_names_line_and_field() {
    let e = refused("errors/invoice_due_before_issue.csv");
    assert_eq!(e.location, SourceLocation::Line(3));
    assert_eq!(e.field.as_deref(), Some("Échéance"));
    assert!(e.message.contains("before the issue date"), "{e}");
}

#[test]
fn negative_invoice_suggests_a_credit_note() {
    let e = refused("errors/invoice_negative_amount.csv");
    assert_eq!(e.location, SourceLocation::Line(3));
    assert_eq!(e.field.as_deref(), Some("Montant TTC"));
    assert!(
        e.hint.as_deref().unwrap_or("").contains("credit note"),
        "{e}"
    );
}

#[test]
fn unknown_currency_is_refused() {
    let e = refused("errors/invoice_unknown_currency.csv");
    assert_eq!(
        (e.location.clone(), e.field.as_deref()),
        (SourceLocation::Line(3), Some("Currency"))
    );
    assert!(e.message.contains("EUT"), "{e}");
}

#[test]
fn amount_with_letters_is_refused() {
    let e = refused("errors/invoice_amount_letters.csv");
    assert_eq!(
        (e.location.clone(), e.field.as_deref()),
        (SourceLocation::Line(3), Some("Montant TTC"))
    );
    assert!(e.message.contains("12O,00"), "{e}");
}

#[test]
fn duplicate_number_with_two_amounts_names_both_lines() {
    let e = refused("errors/invoice_duplicate_number.csv");
    assert_eq!(e.location, SourceLocation::Line(5));
    assert!(
        e.message.contains("line 3") && e.message.contains("line 5"),
        "{e}"
    );
    assert!(
        e.message.contains("200.00") && e.message.contains("250.00"),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("errors/invoice_duplicate_number.csv: line 5"),
        "{e}"
    );
}

#[test]
fn a_user_profile_maps_other_headers() {
    let text = "Pièce,Tiers,Émise le,Payable le,TTC,Statut\nX-1,Dupont,03/04/2024,03/05/2024,\"1.234,50\",contentieux\n";
    let mut profile = CsvProfile {
        name: "erp maison".into(),
        kind: CsvKind::Invoices,
        detect_headers: vec!["Pièce".into(), "Tiers".into()],
        day_first: true,
        decimal_mark: encours::import::csv_profile::DecimalMark::Comma,
        ..Default::default()
    };
    profile.columns.invoice_number = vec!["Pièce".into()];
    profile.columns.customer_name = vec!["Tiers".into()];
    profile.columns.issue_date = vec!["Émise le".into()];
    profile.columns.due_date = vec!["Payable le".into()];
    profile.columns.disputed = vec!["Statut".into()];
    let ctx = ParseContext {
        csv_profiles: vec![profile],
        ..Default::default()
    };
    let e = invoice_csv::parse(text, &ctx).unwrap_err();
    // "contentieux" is not a yes/no: the profile's column is used, and named.
    assert_eq!(e.field.as_deref(), Some("Statut"));
    let b = invoice_csv::parse(&text.replace("contentieux", "oui"), &ctx).unwrap();
    let inv = &b.invoices[0];
    assert_eq!(
        (inv.number.as_str(), inv.amount, inv.disputed),
        ("X-1", dec!(1234.50), true)
    );
    assert_eq!(
        (inv.issue_date, inv.due_date),
        (d(2024, 4, 3), Some(d(2024, 5, 3)))
    );
    assert_eq!(inv.customer_code, "DUPONT");
}

#[test]
fn hostile_cells_are_errors_not_panics() {
    let ctx = ParseContext::default();
    for text in [
        "N° facture;Client;Date facture;Montant TTC\nFA-1;X;31/02/2024;10\n",
        "N° facture;Client;Date facture;Montant TTC\nFA-1;;01/02/2024;10\n",
        "N° facture;Client;Date facture;Montant TTC;Reste dû\nFA-1;X;01/02/2024;10;20\n",
        "N° facture;Client;Date facture;Montant TTC;Type\nFA-1;X;01/02/2024;10;proforma\n",
        "N° facture;Client;Date facture;Montant TTC\nFA-1;X;01/02/2024;\u{1b}[31m\n",
        "N° facture;Client;Date facture;Montant TTC\n\"FA-1;X;01/02/2024;10\n",
    ] {
        let r = invoice_csv::parse(text, &ctx);
        let e = r.expect_err(text);
        assert!(
            matches!(e.location, SourceLocation::Line(n) if n >= 2),
            "{e}"
        );
        assert!(e.hint.is_some(), "{e}");
    }
}
