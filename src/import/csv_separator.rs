//! Telling a wrong separator from a bad value. When a file's separator is not the one its
//! reader splits on, every field after the first split lands one column off, and the first
//! check to fail would blame an innocent field ("'00' is not a document type"). These checks
//! run before any field is read, so the message says what is really wrong.

use crate::import::csv_util::count_outside_quotes;
use crate::import::{ImportError, ImportResult};

/// The separators exports use, in the order they are tried.
pub const CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];

/// How many lines the probes look at: a header sits after a short preamble.
const PROBE_LINES: usize = 40;

/// `';'`, `','`, `tab`, `'|'` as a message shows them.
pub fn show(d: u8) -> String {
    match d {
        b'\t' => "tab".to_string(),
        _ => format!("'{}'", d as char),
    }
}

/// The first lines of `text`, enough to find a header without splitting the whole file
/// again for every separator tried.
pub fn head(text: &str) -> &str {
    let end = text
        .match_indices('\n')
        .nth(PROBE_LINES)
        .map_or(text.len(), |(i, _)| i + 1);
    &text[..end]
}

/// A profile names its separator, and the header it looks for is only found with another.
pub fn profile_says_otherwise(profile: &str, said: u8, found: u8, line: usize) -> ImportError {
    let found_raw = if found == b'\t' {
        "\\t".to_string()
    } else {
        (found as char).to_string()
    };
    ImportError::at_line(
        line,
        format!(
            "the separator looks like {} but the profile '{profile}' says {}",
            show(found),
            show(said)
        ),
    )
    .hint(format!(
        "export the file again with {} as separator, or set delimiter = \"{found_raw}\" in the \
         profile '{profile}' (or remove its delimiter to have it guessed)",
        show(said)
    ))
}

/// A decimal amount cut in two by the separator: `1 200` then `00`.
fn split_amount(cells: &[String], delim: u8) -> Option<String> {
    cells.windows(2).find_map(|w| {
        let (a, b) = (w[0].trim(), w[1].trim());
        let whole = a.ends_with(|c: char| c.is_ascii_digit())
            && a.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '\u{a0}' | '.' | '-' | '+'));
        let cents = b.len() == 2 && b.bytes().all(|c| c.is_ascii_digit());
        (whole && cents).then(|| format!("{a}{}{b}", delim as char))
    })
}

/// Checks every data row against the header for the two marks of a wrong separator: an
/// amount cut in two by it (a row with values beyond the header's last column, one of them
/// the cents of the amount before), or a single-field row that another separator would
/// split into the header's columns. Other rows with extra fields are left to the readers,
/// which warn (one shifted row in an export is common and readable). `rows` gives each
/// row's physical line and cells.
pub fn check_rows<'a>(
    header_len: usize,
    header_line: usize,
    delim: u8,
    rows: impl IntoIterator<Item = (usize, &'a [String])>,
) -> ImportResult<()> {
    for (line, cells) in rows {
        let beyond = cells
            .get(header_len..)
            .is_some_and(|extra| extra.iter().any(|c| !c.trim().is_empty()));
        if let Some(amount) = beyond.then(|| split_amount(cells, delim)).flatten() {
            let other = if delim == b';' { "','" } else { "';'" };
            return Err(ImportError::at_line(
                line,
                format!(
                    "the separator looks like {d} but {d} is also the decimal mark (\"{amount}\" \
                     is cut in two): this line splits into {} fields, the header on line \
                     {header_line} into {header_len}",
                    cells.len(),
                    d = show(delim),
                ),
            )
            .hint(format!(
                "export the file again with {other} as separator (or with quotes around the \
                 amounts), then import it again"
            )));
        }
        if let [only] = cells
            && header_len >= 3
        {
            let other = CANDIDATES
                .into_iter()
                .filter(|c| *c != delim)
                .find(|c| count_outside_quotes(only, *c) + 1 >= header_len - 1);
            if let Some(other) = other {
                return Err(ImportError::at_line(
                    line,
                    format!(
                        "the separator looks like {} on this line but {} on the header (line \
                         {header_line})",
                        show(other),
                        show(delim)
                    ),
                )
                .hint(format!(
                    "the file mixes separators: export it again, or replace {} by {} on this line",
                    show(other),
                    show(delim)
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str, d: char) -> Vec<String> {
        line.split(d).map(str::to_string).collect()
    }

    #[test]
    fn a_decimal_comma_cut_in_two_is_named() {
        let row = cells("FA-1,C001,Martin,05/01/2024,1 200,00,EUR", ',');
        let e = check_rows(6, 4, b',', [(5, row.as_slice())]).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("line 5: the separator looks like ','"),
            "{shown}"
        );
        assert!(shown.contains("\"1 200,00\" is cut in two"), "{shown}");
        assert!(
            shown.contains("7 fields, the header on line 4 into 6"),
            "{shown}"
        );
        assert!(shown.contains("with ';' as separator"), "{shown}");
        let in_semicolons = cells("F1;100;00;EUR", ';');
        let e = check_rows(3, 1, b';', [(2, in_semicolons.as_slice())]).unwrap_err();
        assert!(e.to_string().contains("with ',' as separator"), "{e}");
    }

    #[test]
    fn a_shifted_row_without_a_cut_amount_is_left_to_the_reader() {
        let trailing = cells("a;b;c;;", ';');
        let shifted = cells("settled,-45.99,EUR,,Office supplies,9.66", ',');
        assert!(check_rows(3, 1, b';', [(2, trailing.as_slice())]).is_ok());
        assert!(check_rows(4, 1, b',', [(3, shifted.as_slice())]).is_ok());
        // Cents within the header's width are no evidence either.
        let fits = cells("FA-1,12,50", ',');
        assert!(check_rows(3, 1, b',', [(2, fits.as_slice())]).is_ok());
    }

    #[test]
    fn a_single_field_line_with_another_separator_is_named() {
        let row = vec!["F1,C1,Martin,100".to_string()];
        let e = check_rows(4, 1, b';', [(3, row.as_slice())]).unwrap_err();
        assert!(
            e.to_string()
                .contains("looks like ',' on this line but ';' on the header (line 1)"),
            "{e}"
        );
        // A lone label (a footer, a comment) is no separator problem.
        let note = vec!["Export généré le 01/03/2024".to_string()];
        assert!(check_rows(4, 1, b';', [(9, note.as_slice())]).is_ok());
    }

    #[test]
    fn the_probe_keeps_the_first_lines_only() {
        let text: String = (0..100).map(|i| format!("{i}\n")).collect();
        assert_eq!(head(&text).lines().count(), PROBE_LINES + 1);
        assert_eq!(head("a;b"), "a;b");
    }
}
