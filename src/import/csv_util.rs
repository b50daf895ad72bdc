//! CSV plumbing shared by the invoice, customer and rating readers: delimiter guess, header
//! row search past preambles, header lookup that ignores case, accents and punctuation, and
//! the choice between a user profile and the built-in generic one.

use crate::import::csv_profile::{CsvColumns, CsvKind, CsvProfile, DecimalMark};
use crate::import::csv_stream::{DecimalEvidence, LineCounter};
use crate::import::text::{self, DecimalStyle};
use crate::import::{ImportError, ImportResult, ParseContext, csv_separator};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// How many records may precede the header (bank-style preambles: export date, account...).
const MAX_PREAMBLE: usize = 30;

/// Lower-case, accent-free, punctuation turned into single spaces: `N° Facture`, `n°facture`
/// and `No. facture` all fold to `no facture`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = if c == '°' { 'o' } else { c };
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// The delimiter that splits the first lines most consistently: the field count most lines
/// share, then the largest such count. Ties go to `;`, the French default; `,` also appears
/// inside decimal-comma amounts, but never the same number of times on every line.
pub fn guess_delimiter(text: &str) -> u8 {
    let candidates = [b';', b'\t', b'|', b','];
    let mut best = ((0usize, 0usize), b';');
    for cand in candidates {
        let mut freq: HashMap<usize, usize> = HashMap::new();
        for line in text
            .lines()
            .take(MAX_PREAMBLE)
            .filter(|l| !l.trim().is_empty())
        {
            let n = count_outside_quotes(line, cand);
            if n > 0 {
                *freq.entry(n).or_default() += 1;
            }
        }
        let score = freq
            .into_iter()
            .map(|(n, f)| (f, n))
            .max()
            .unwrap_or((0, 0));
        if score > best.0 {
            best = (score, cand);
        }
    }
    best.1
}

/// How many times `delim` splits `line`, quoted fields aside.
pub(crate) fn count_outside_quotes(line: &str, delim: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delim && !quoted {
            n += 1;
        }
    }
    n
}

pub fn decimal_style(mark: DecimalMark) -> DecimalStyle {
    match mark {
        DecimalMark::Dot => DecimalStyle::Dot,
        DecimalMark::Comma => DecimalStyle::Comma,
        DecimalMark::Auto => DecimalStyle::Auto,
    }
}

/// Settles `Auto` for a whole file from its amount cells: `1,234` alone is ambiguous, but a
/// file that also writes `12,50` uses the comma as decimal mark everywhere.
pub fn settle_decimal_style<'a>(
    style: DecimalStyle,
    cells: impl Iterator<Item = &'a str>,
) -> DecimalStyle {
    if style != DecimalStyle::Auto {
        return style;
    }
    let mut evidence = DecimalEvidence::default();
    for cell in cells {
        evidence.see(cell);
    }
    evidence.settle(style)
}

/// One data row: its 1-based physical line and its cells, cleaned.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn get(&self, idx: Option<usize>) -> &str {
        idx.and_then(|i| self.cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
}

/// A parsed CSV file: the header (as written, and folded) and the rows after it.
#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<String>,
    pub folded: Vec<String>,
    pub header_line: usize,
    /// How many records (blank lines aside) come before the data: the preamble and the
    /// header.
    pub records_before_data: usize,
    pub rows: Vec<Row>,
}

impl Table {
    /// The first column whose folded header equals one of `names` (folded), trying the
    /// names in order so that a profile's more specific names win.
    pub fn find(&self, names: &[String]) -> Option<usize> {
        names.iter().find_map(|n| {
            let f = fold(n);
            self.folded.iter().position(|h| *h == f)
        })
    }

    /// The header as the file writes it, for messages.
    pub fn name(&self, idx: Option<usize>, fallback: &str) -> String {
        idx.and_then(|i| self.header.get(i))
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    }
}

/// The reader every CSV table reader uses, so that a streamed reading sees the records a
/// whole reading would.
pub(crate) fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

pub(crate) fn unreadable(e: &csv::Error, lines: &mut LineCounter) -> ImportError {
    let line = e
        .position()
        .map(|p| lines.line_at(p.byte() as usize))
        .unwrap_or(0);
    ImportError::at_line(line, format!("the CSV cannot be read: {e}"))
        .hint("check the quotes on that line, then export the file again")
}

/// The first `limit` records of `text`.
fn read_records(text: &str, delimiter: u8, limit: usize) -> ImportResult<Vec<Row>> {
    let mut reader = reader(text.as_bytes(), delimiter);
    let mut lines = LineCounter::new(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().take(limit) {
        let record = record.map_err(|e| unreadable(&e, &mut lines))?;
        let line = record
            .position()
            .map(|p| lines.line_at(p.byte() as usize))
            .unwrap_or(0);
        let cells = record.iter().map(text::clean).collect();
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

/// Reads `text` and finds its header: the first row (within the preamble allowance) for
/// which `is_header` holds. `delimiter` is the profile's, else guessed.
pub fn read_table(
    text: &str,
    delimiter: Option<char>,
    is_header: impl Fn(&[String]) -> bool,
) -> ImportResult<Option<Table>> {
    read_table_in(text, delimiter, usize::MAX, is_header)
}

/// The delimiter a table reading of `text` uses: the profile's, else guessed.
pub(crate) fn delimiter_of(text: &str, delimiter: Option<char>) -> u8 {
    match delimiter {
        Some(c) if c.is_ascii() => c as u8,
        _ => guess_delimiter(text.trim_start_matches('\u{feff}')),
    }
}

/// [`read_table`] of the first `limit` records only; with a limit, the rows read are not
/// checked (a streaming reader checks each row as it goes).
fn read_table_in(
    text: &str,
    delimiter: Option<char>,
    limit: usize,
    is_header: impl Fn(&[String]) -> bool,
) -> ImportResult<Option<Table>> {
    let delim = delimiter_of(text, delimiter);
    let text = text.trim_start_matches('\u{feff}');
    let table = find_table_in(text, delim, limit, is_header)?;
    if let Some(t) = &table
        && limit == usize::MAX
    {
        let rows = t.rows.iter().map(|r| (r.line, r.cells.as_slice()));
        csv_separator::check_rows(t.header.len(), t.header_line, delim, rows)?;
    }
    Ok(table)
}

fn find_table(
    text: &str,
    delim: u8,
    is_header: impl Fn(&[String]) -> bool,
) -> ImportResult<Option<Table>> {
    find_table_in(text, delim, usize::MAX, is_header)
}

/// [`find_table`] reading only the first `limit` records (from [`MAX_PREAMBLE`] on, the
/// header is searched no further and the table gets only the rows read).
fn find_table_in(
    text: &str,
    delim: u8,
    limit: usize,
    is_header: impl Fn(&[String]) -> bool,
) -> ImportResult<Option<Table>> {
    let mut rows = read_records(text, delim, limit)?;
    let found = rows.iter().take(MAX_PREAMBLE).position(|r| {
        let folded: Vec<String> = r.cells.iter().map(|c| fold(c)).collect();
        is_header(&folded)
    });
    let Some(at) = found else { return Ok(None) };
    let data = rows.split_off(at + 1);
    let head = rows.pop().map(|r| (r.line, r.cells)).unwrap_or_default();
    Ok(Some(Table {
        folded: head.1.iter().map(|c| fold(c)).collect(),
        header: head.1,
        header_line: head.0,
        records_before_data: at + 1,
        rows: data.into_iter().filter(|r| !r.is_blank()).collect(),
    }))
}

/// User profiles of `kind` come first, each applying when all its `detect_headers` are in
/// the header; the generic profile comes last. A profile's column names are tried before
/// the generic names, so a profile only needs to name what differs.
pub fn read_with_profiles(
    text: &str,
    ctx: &ParseContext,
    kind: CsvKind,
    generic: &CsvProfile,
    generic_is_header: impl Fn(&[String]) -> bool,
) -> ImportResult<Option<(CsvProfile, Table)>> {
    with_profiles(text, ctx, kind, generic, generic_is_header, usize::MAX)
}

/// [`read_with_profiles`] that stops at the header: the table comes without its rows, for
/// a reader that streams them (`csv_stream`). The records before the header are the same.
pub(crate) fn locate_with_profiles(
    text: &str,
    ctx: &ParseContext,
    kind: CsvKind,
    generic: &CsvProfile,
    generic_is_header: impl Fn(&[String]) -> bool,
) -> ImportResult<Option<(CsvProfile, Table)>> {
    let found = with_profiles(text, ctx, kind, generic, generic_is_header, MAX_PREAMBLE)?;
    Ok(found.map(|(profile, mut table)| {
        table.rows.clear();
        (profile, table)
    }))
}

fn with_profiles(
    text: &str,
    ctx: &ParseContext,
    kind: CsvKind,
    generic: &CsvProfile,
    generic_is_header: impl Fn(&[String]) -> bool,
    limit: usize,
) -> ImportResult<Option<(CsvProfile, Table)>> {
    // A profile whose headers are there, but split with another separator than it says.
    let mut mismatch: Option<ImportError> = None;
    for profile in ctx.csv_profiles.iter().filter(|p| p.kind == kind) {
        if profile.detect_headers.is_empty() {
            continue;
        }
        let wanted: Vec<String> = profile.detect_headers.iter().map(|h| fold(h)).collect();
        let fits = |cells: &[String]| wanted.iter().all(|w| cells.contains(w));
        let table = read_table_in(text, profile.delimiter, limit, fits)?;
        if let Some(table) = table {
            let mut merged = profile.clone();
            merged.columns = merge_columns(&profile.columns, &generic.columns);
            return Ok(Some((merged, table)));
        }
        if mismatch.is_none() {
            mismatch = separator_mismatch(text, profile, fits);
        }
    }
    // The generic reading decides; if it fails, the profile's separator is the likelier cause.
    match (
        read_table_in(text, generic.delimiter, limit, generic_is_header),
        mismatch,
    ) {
        // Reading the header only, the rows have not been checked yet: a wrong separator
        // in them still points at the profile, as it does in a whole reading.
        (Ok(Some(t)), Some(e)) if limit != usize::MAX => {
            let delim = delimiter_of(text, generic.delimiter);
            match crate::import::csv_stream::survey(text, &t, delim, &[], DecimalStyle::Auto) {
                Ok(_) => Ok(Some((generic.clone(), t))),
                Err(_) => Err(e),
            }
        }
        (Ok(Some(t)), _) => Ok(Some((generic.clone(), t))),
        (Ok(None) | Err(_), Some(e)) => Err(e),
        (other, None) => other.map(|t| t.map(|t| (generic.clone(), t))),
    }
}

/// When `profile` names a separator, whether its header is found with another one.
fn separator_mismatch(
    text: &str,
    profile: &CsvProfile,
    fits: impl Fn(&[String]) -> bool,
) -> Option<ImportError> {
    let said = profile.delimiter.and_then(|c| u8::try_from(c).ok())?;
    let head = csv_separator::head(text.trim_start_matches('\u{feff}'));
    for other in csv_separator::CANDIDATES.into_iter().filter(|c| *c != said) {
        // A quote error in the probe only means this separator does not fit either.
        if let Ok(Some(t)) = find_table(head, other, &fits) {
            return Some(csv_separator::profile_says_otherwise(
                &profile.name,
                said,
                other,
                t.header_line,
            ));
        }
    }
    None
}

/// Field-wise concatenation of two column maps, `first` before `then`.
pub fn merge_columns(first: &CsvColumns, then: &CsvColumns) -> CsvColumns {
    let (Ok(a), Ok(b)) = (serde_json::to_value(first), serde_json::to_value(then)) else {
        return first.clone();
    };
    let (serde_json::Value::Object(mut a), serde_json::Value::Object(b)) = (a, b) else {
        return first.clone();
    };
    for (key, extra) in b {
        if let (Some(serde_json::Value::Array(list)), serde_json::Value::Array(more)) =
            (a.get_mut(&key), extra)
        {
            list.extend(more);
        }
    }
    serde_json::from_value(serde_json::Value::Object(a)).unwrap_or_else(|_| first.clone())
}

/// Counts how many of the given column name lists the folded header row matches.
pub fn matches(cells: &[String], lists: &[&Vec<String>]) -> usize {
    lists
        .iter()
        .filter(|names| names.iter().any(|n| cells.contains(&fold(n))))
        .count()
}

/// `yes`/`no` the ways exports write it; `None` for anything else.
pub fn parse_bool(raw: &str) -> Option<bool> {
    match fold(raw).as_str() {
        "" | "no" | "non" | "n" | "0" | "false" | "faux" | "nein" | "-" => Some(false),
        "yes" | "oui" | "o" | "y" | "1" | "true" | "vrai" | "x" | "ja" => Some(true),
        _ => None,
    }
}

pub fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_alike() {
        assert_eq!(fold("N° Facture"), "no facture");
        assert_eq!(fold(" Échéance "), "echeance");
        assert_eq!(fold("Montant TTC (€)"), "montant ttc");
        assert_eq!(fold("Reste dû"), "reste du");
        assert_eq!(fold("Délai  de paiement"), "delai de paiement");
    }

    #[test]
    fn delimiters_are_guessed_past_decimal_commas() {
        assert_eq!(guess_delimiter("a;b;c\n1,5;2,5;3,5\n"), b';');
        assert_eq!(guess_delimiter("a,b,c\n1.5,2.5,3.5\n"), b',');
        assert_eq!(guess_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(guess_delimiter("\"a;b\",c,d\n"), b',');
        assert_eq!(
            guess_delimiter("Export;du 01/03\nN;Client;Montant\nF1;X;1,5\nF2;Y;2,5\n"),
            b';'
        );
    }

    #[test]
    fn auto_decimal_style_is_settled_per_file() {
        let s = settle_decimal_style(DecimalStyle::Auto, ["1,234", "12,50"].into_iter());
        assert_eq!(s, DecimalStyle::Comma);
        let s = settle_decimal_style(DecimalStyle::Auto, ["1,234", "12.50 €"].into_iter());
        assert_eq!(s, DecimalStyle::Dot);
        let s = settle_decimal_style(DecimalStyle::Comma, ["12.50"].into_iter());
        assert_eq!(s, DecimalStyle::Comma);
    }

    #[test]
    fn header_is_found_after_a_preamble() {
        let text =
            "Export du 01/03/2024\nSociété X\n\nN° facture;Client;Montant\nF1;A;10\n\nF2;B;20\n";
        let t = read_table(text, None, |c| c.contains(&"no facture".to_string()))
            .unwrap()
            .unwrap();
        assert_eq!(t.header_line, 4);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 7);
        assert_eq!(t.find(&strings(&["Invoice", "N° Facture"])), Some(0));
        let crlf = text.replace('\n', "\r\n");
        let t = read_table(&crlf, None, |c| c.contains(&"no facture".to_string()))
            .unwrap()
            .unwrap();
        assert_eq!((t.header_line, t.rows[0].line, t.rows[1].line), (4, 5, 7));
    }

    #[test]
    fn profile_columns_come_before_generic_ones() {
        let a = CsvColumns {
            invoice_number: strings(&["Pièce"]),
            ..Default::default()
        };
        let b = CsvColumns {
            invoice_number: strings(&["Invoice"]),
            email: strings(&["Email"]),
            ..Default::default()
        };
        let m = merge_columns(&a, &b);
        assert_eq!(m.invoice_number, strings(&["Pièce", "Invoice"]));
        assert_eq!(m.email, strings(&["Email"]));
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("Oui"), Some(true));
        assert_eq!(parse_bool(""), Some(false));
        assert_eq!(parse_bool("peut-être"), None);
    }
}
