//! Recognising a file's format from its content. The file name is never consulted: exports
//! arrive as `export(3).txt` as often as with a telling extension.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Camt053,
    Camt054,
    Mt940,
    Ofx,
    Cfonb120,
    Qif,
    BankCsv,
    Fec,
    Ubl,
    Cii,
    InvoiceCsv,
    CustomerCsv,
    RatingCsv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Camt053 => "camt053",
            Format::Camt054 => "camt054",
            Format::Mt940 => "mt940",
            Format::Ofx => "ofx",
            Format::Cfonb120 => "cfonb120",
            Format::Qif => "qif",
            Format::BankCsv => "bank_csv",
            Format::Fec => "fec",
            Format::Ubl => "ubl",
            Format::Cii => "cii",
            Format::InvoiceCsv => "invoice_csv",
            Format::CustomerCsv => "customer_csv",
            Format::RatingCsv => "rating_csv",
        }
    }

    pub fn is_bank(self) -> bool {
        matches!(
            self,
            Format::Camt053
                | Format::Camt054
                | Format::Mt940
                | Format::Ofx
                | Format::Cfonb120
                | Format::Qif
                | Format::BankCsv
        )
    }
}

/// What detection concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    Known(Format),
    /// Recognised, but not something we import; says what it is and what to do.
    Unsupported(String),
    Unknown,
}

/// Looks at the decoded text of a file (see `text::decode`).
pub fn detect(text: &str) -> Detection {
    let head: String = text.chars().take(8192).collect();
    let trimmed = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if let Some(d) = detect_xml(trimmed) {
        return d;
    }
    if trimmed.starts_with("OFXHEADER") || head.contains("<OFX>") {
        return Detection::Known(Format::Ofx);
    }
    if looks_like_qif(trimmed) {
        return Detection::Known(Format::Qif);
    }
    if looks_like_mt940(&head) {
        return Detection::Known(Format::Mt940);
    }
    if let Some(d) = detect_fixed_width(text) {
        return d;
    }
    if let Some(format) = detect_csv(trimmed) {
        return Detection::Known(format);
    }
    Detection::Unknown
}

fn detect_xml(head: &str) -> Option<Detection> {
    if !head.starts_with('<') {
        return None;
    }
    if head.contains("<OFX>") || head.contains("<?OFX") {
        return Some(Detection::Known(Format::Ofx));
    }
    let checks: [(&str, Detection); 9] = [
        ("camt.053", Detection::Known(Format::Camt053)),
        ("BkToCstmrStmt", Detection::Known(Format::Camt053)),
        ("camt.054", Detection::Known(Format::Camt054)),
        ("BkToCstmrDbtCdtNtfctn", Detection::Known(Format::Camt054)),
        ("camt.052", Detection::Unsupported(
            "an intraday account report (CAMT.052): import the end-of-day statement (CAMT.053) instead".into(),
        )),
        ("pain.001", Detection::Unsupported(
            "a payment order (pain.001) sent to the bank, not a statement: import the bank's CAMT.053".into(),
        )),
        ("pain.008", Detection::Unsupported(
            "a direct-debit order (pain.008), not a statement: import the bank's CAMT.053".into(),
        )),
        ("CrossIndustryInvoice", Detection::Known(Format::Cii)),
        ("urn:oasis:names:specification:ubl:schema:xsd:", Detection::Known(Format::Ubl)),
    ];
    for (needle, detection) in checks {
        if head.contains(needle) {
            return Some(detection);
        }
    }
    Some(Detection::Unsupported(
        "an XML document of a kind encours does not read (expected CAMT.053/054, UBL, Factur-X/CII or OFX)".into(),
    ))
}

/// QIF opens with a `!` header; Quicken writes `!Option:AutoSwitch` before the account list,
/// and some tools write the header in lower case.
fn looks_like_qif(head: &str) -> bool {
    let first = head
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    ["!type:", "!account", "!option:", "!clear:"]
        .iter()
        .any(|p| first.starts_with(p))
}

fn looks_like_mt940(head: &str) -> bool {
    head.contains("{1:F01") && head.contains("{2:O940")
        || head.lines().take(20).any(|l| l.trim() == ":940:")
        || (head.contains(":20:") && (head.contains(":60F:") || head.contains(":60M:")))
        || (head.contains(":20:") && head.contains(":25:") && head.contains(":28"))
}

/// CFONB files are fixed-width records with a two-digit record code.
fn detect_fixed_width(text: &str) -> Option<Detection> {
    let mut lines = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .peekable();
    lines.peek()?;
    let sample: Vec<&str> = lines.collect();
    let all = |len: usize, codes: &[&str]| {
        sample
            .iter()
            .all(|l| l.chars().count() == len && codes.iter().any(|c| l.starts_with(c)))
    };
    if all(120, &["01", "04", "05", "07"]) || damaged_cfonb_120(&sample) {
        return Some(Detection::Known(Format::Cfonb120));
    }
    if all(240, &["31", "34", "39"]) {
        return Some(Detection::Unsupported(
            "a CFONB 240 remittance/transfer report (records 31/34/39), not a CFONB 120 account statement: ask the bank for the CFONB 120 \"relevé de compte\" export".into(),
        ));
    }
    if all(160, &["03", "06", "08"]) {
        return Some(Detection::Unsupported(
            "a CFONB 160 transfer or direct-debit order file, not a bank statement: import the CFONB 120 statement instead".into(),
        ));
    }
    None
}

/// A CFONB 120 file with some records of the wrong length (an editor trimmed trailing
/// spaces, a line was cut) still goes to the CFONB reader, which names the bad line.
fn damaged_cfonb_120(sample: &[&str]) -> bool {
    let record_start = |l: &&str| {
        let b = l.as_bytes();
        b.len() >= 7
            && matches!(&b[..2], b"01" | b"04" | b"05" | b"07")
            && b[2..7].iter().all(u8::is_ascii_digit)
    };
    sample.iter().all(record_start)
        && sample.iter().all(|l| l.chars().count() <= 120)
        && sample.iter().any(|l| l.chars().count() == 120)
}

/// Headers tell CSV exports apart. Each list holds lower-case, accent-free words.
/// The header row decides, not the data under it: "Invoice payment to…" in a bank line's
/// description must not make a bank export look like an invoice list. The header is the
/// first line with several separators that says what it is, after any preamble.
fn detect_csv(head: &str) -> Option<Format> {
    let lowered = crate::import::text::nfc(head).to_lowercase();
    let folded = fold_accents(&lowered);
    folded
        .lines()
        .take(15)
        .filter(|l| l.matches([';', ',', '\t', '|']).count() >= 2)
        .find_map(classify_header)
}

fn classify_header(header_zone: &str) -> Option<Format> {
    let has = |words: &[&str]| words.iter().any(|w| header_zone.contains(w));
    if has(&["journalcode"]) && has(&["ecriturenum", "ecriturelet", "comptenum"]) {
        return Some(Format::Fec);
    }
    // "Note" is a grade in a French rating file but a comment column in a customer list:
    // alone it decides only when no customer-master column is there.
    let rating_words = [
        "rating",
        "cotation",
        "score",
        "insolvency",
        "procedure",
        "limite assureur",
        "insurer",
        "grade",
    ];
    let master_words = [
        "email",
        "e-mail",
        "telephone",
        "phone",
        "delai",
        "payment terms",
        "plafond",
        "credit limit",
        "segment",
    ];
    if has(&["siren"])
        && (has(&rating_words) || (has(&["note"]) && !has(&master_words)))
        && !has(&["invoice", "facture"])
    {
        return Some(Format::RatingCsv);
    }
    if has(&["invoice", "facture", "n° piece", "numero piece", "piece"])
        && has(&[
            "due",
            "echeance",
            "issue",
            "date facture",
            "customer",
            "client",
        ])
    {
        return Some(Format::InvoiceCsv);
    }
    if has(&["customer", "client"])
        && has(&[
            "credit limit",
            "limite",
            "payment terms",
            "delai",
            "siren",
            "email",
            "segment",
        ])
        && !has(&["amount", "montant", "debit", "credit euros"])
    {
        return Some(Format::CustomerCsv);
    }
    if has(&[
        "amount",
        "montant",
        "debit",
        "credit",
        "betrag",
        "umsatz",
        "buchungstag",
        "libelle",
        "wertstellung",
        "date operation",
        "date started",
        "solde",
    ]) {
        return Some(Format::BankCsv);
    }
    None
}

pub(crate) fn fold_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(
            detect(
                "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"
            ),
            Detection::Known(Format::Camt053)
        );
        assert_eq!(
            detect("!Type:Bank\nD03/04/2024\n"),
            Detection::Known(Format::Qif)
        );
        assert_eq!(
            detect("!type:bank\nD03/04/2024\n"),
            Detection::Known(Format::Qif)
        );
        assert_eq!(
            detect("!Option:AutoSwitch\n!Account\n"),
            Detection::Known(Format::Qif)
        );
        assert_eq!(
            detect(":20:STARTUMSE\n:25:10020030/1234567\n:28C:00001/001\n:60F:C240101EUR1000,00\n"),
            Detection::Known(Format::Mt940)
        );
        assert_eq!(
            detect("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\n"),
            Detection::Known(Format::Fec)
        );
        assert_eq!(
            detect("Date;Libellé;Débit euros;Crédit euros;\n"),
            Detection::Known(Format::BankCsv)
        );
        assert_eq!(detect("hello world"), Detection::Unknown);
        // Words in the lines under the header do not count.
        assert_eq!(
            detect(
                "Date started (UTC),ID,Description,Amount\n2026-02-01,t1,Invoice payment to client,-1.00\n"
            ),
            Detection::Known(Format::BankCsv)
        );
        assert_eq!(
            detect(
                "Téléchargement du 05/03/2024;\nM. X;\nDate;Libellé;Débit euros;Crédit euros;\n"
            ),
            Detection::Known(Format::BankCsv)
        );
    }

    #[test]
    fn cfonb_120_with_a_trimmed_record_still_goes_to_its_reader() {
        let full = format!(
            "0110278    02204EUR2 00012345603  060420{}0000000166956E{}",
            " ".repeat(50),
            " ".repeat(16)
        );
        let trimmed = format!(
            "0710278    02204EUR2 00012345603  070420{}0000000166728F",
            " ".repeat(50)
        );
        assert_eq!(
            detect(&format!("{full}\n{trimmed}\n")),
            Detection::Known(Format::Cfonb120)
        );
        assert_eq!(detect("01/02/2024;VIR;12,00\n"), Detection::Unknown);
    }

    #[test]
    fn invoice_customer_and_rating_csvs_are_told_apart() {
        let cases = [
            (
                "N° facture;Code client;Client;Date facture;Échéance;Montant TTC;Reste dû\n",
                Format::InvoiceCsv,
            ),
            (
                "Invoice number,Customer code,Issue date,Due date,Amount\n",
                Format::InvoiceCsv,
            ),
            (
                "Code client;Raison sociale;SIREN;Email;Plafond;Notes\n",
                Format::CustomerCsv,
            ),
            (
                "Customer code,Company name,SIREN,Email,Credit limit,Note\n",
                Format::CustomerCsv,
            ),
            (
                "SIREN;Date;Source;Note;Limite assureur\n",
                Format::RatingCsv,
            ),
            ("SIREN;Client;Date;Note\n", Format::RatingCsv),
            ("SIREN,Date,Source,Grade,Insolvency\n", Format::RatingCsv),
        ];
        for (header, want) in cases {
            assert_eq!(detect(header), Detection::Known(want), "{header}");
        }
    }

    #[test]
    fn cfonb_240_is_refused_with_its_name() {
        let line = format!("31{}", "0".repeat(238));
        match detect(&format!("{line}\n{line}\n")) {
            Detection::Unsupported(why) => assert!(why.contains("CFONB 240")),
            other => panic!("{other:?}"),
        }
    }
}
