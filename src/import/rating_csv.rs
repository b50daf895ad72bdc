//! External ratings keyed by SIREN: an agency grade, a normalised score, a credit-insurer
//! limit, an insolvency notice. In French files `Note` is the grade; in English ones `Note`
//! is a comment and `Grade` the grade: the header decides which.

use crate::domain::model::{ExternalRating, SourceLocation};
use crate::import::csv_profile::{CsvColumns, CsvKind, CsvProfile};
use crate::import::csv_util::{self, Row, Table, strings};
use crate::import::text::{self, DecimalStyle};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext, party};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub fn generic_profile() -> CsvProfile {
    let columns = CsvColumns {
        siren: strings(&["SIREN", "N° SIREN", "SIRET", "Company registration"]),
        date: strings(&[
            "Date",
            "Date de notation",
            "Date notation",
            "Date de la note",
            "Date d'effet",
            "Rating date",
            "As of",
            "Effective date",
        ]),
        source: strings(&[
            "Source",
            "Agence",
            "Fournisseur",
            "Origine",
            "Provider",
            "Agency",
        ]),
        grade: strings(&["Grade", "Rating", "Cotation", "Notation", "Note"]),
        score: strings(&["Score", "Score (0-100)", "Note sur 100", "Indice"]),
        insurer_limit: strings(&[
            "Limite assureur",
            "Limite de crédit assureur",
            "Encours garanti",
            "Agrément",
            "Garantie",
            "Insurer limit",
            "Credit insurance limit",
            "Insured limit",
        ]),
        insolvency: strings(&[
            "Procédure collective",
            "Procédure",
            "Insolvabilité",
            "Insolvency",
            "Insolvency proceedings",
            "Bankruptcy",
        ]),
        note: strings(&[
            "Commentaire",
            "Remarque",
            "Observation",
            "Comment",
            "Remarks",
            "Notes",
            "Note",
        ]),
        ..Default::default()
    };
    CsvProfile {
        name: "generic ratings".into(),
        kind: CsvKind::Ratings,
        day_first: true,
        columns,
        ..Default::default()
    }
}

struct Cols {
    siren: Option<usize>,
    date: Option<usize>,
    source: Option<usize>,
    grade: Option<usize>,
    score: Option<usize>,
    limit: Option<usize>,
    insolvency: Option<usize>,
    note: Option<usize>,
}

/// The first column matching `names` other than `taken`.
fn find_other(t: &Table, names: &[String], taken: Option<usize>) -> Option<usize> {
    names.iter().find_map(|n| {
        let f = csv_util::fold(n);
        t.folded
            .iter()
            .enumerate()
            .find(|(i, h)| **h == f && Some(*i) != taken)
            .map(|(i, _)| i)
    })
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let generic = generic_profile();
    let g = &generic.columns;
    let is_header = |cells: &[String]| {
        csv_util::matches(cells, &[&g.siren]) == 1
            && csv_util::matches(
                cells,
                &[&g.grade, &g.score, &g.insurer_limit, &g.insolvency],
            ) >= 1
    };
    let Some((profile, table)) =
        csv_util::read_with_profiles(text, ctx, CsvKind::Ratings, &generic, is_header)?
    else {
        return Err(ImportError::at_line(1, "no header row with a SIREN column and a grade, score, limit or insolvency column")
            .hint("name the columns (e.g. 'SIREN', 'Date', 'Note', 'Limite assureur') or add a CSV profile of kind \"ratings\""));
    };
    let c = &profile.columns;
    let grade = table.find(&c.grade);
    let cols = Cols {
        siren: table.find(&c.siren),
        date: table.find(&c.date),
        source: table.find(&c.source),
        grade,
        score: find_other(&table, &c.score, grade),
        limit: table.find(&c.insurer_limit),
        insolvency: table.find(&c.insolvency),
        note: find_other(&table, &c.note, grade),
    };
    if cols.date.is_none() {
        return Err(ImportError::at_line(table.header_line, "no date column")
            .hint("a rating is only meaningful with its date: add a 'Date' column"));
    }
    let style = csv_util::settle_decimal_style(
        csv_util::decimal_style(profile.decimal_mark),
        table.rows.iter().map(|r| r.get(cols.limit)),
    );
    let default_source = default_source(ctx, &profile);
    let mut batch = ImportBatch::new(Format::RatingCsv);
    for row in &table.rows {
        let rating = read_row(
            &table,
            &cols,
            style,
            profile.day_first,
            &default_source,
            row,
        )?;
        batch.ratings.push(rating);
    }
    Ok(batch)
}

/// A rating file without a source column is named after its profile, else its file.
fn default_source(ctx: &ParseContext, profile: &CsvProfile) -> String {
    if profile.name != generic_profile().name {
        return profile.name.clone();
    }
    let stem = std::path::Path::new(&ctx.file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(text::clean_opt);
    stem.unwrap_or_else(|| "import".to_string())
}

fn read_row(
    table: &Table,
    cols: &Cols,
    style: DecimalStyle,
    day_first: bool,
    default_source: &str,
    row: &Row,
) -> ImportResult<ExternalRating> {
    let err = |idx: Option<usize>, fallback: &str, msg: String| {
        ImportError::at_line(row.line, msg).field(table.name(idx, fallback))
    };
    let raw = row.get(cols.siren);
    let siren = party::siren_from_id(raw, Some("0002"), None).ok_or_else(|| {
        err(
            cols.siren,
            "SIREN",
            format!("\"{raw}\" is not a valid SIREN or SIRET"),
        )
        .hint("ratings are matched to customers by SIREN: 9 digits with a check digit")
    })?;
    let raw = row.get(cols.date);
    let date = text::parse_date(raw, day_first).ok_or_else(|| {
        err(cols.date, "Date", format!("\"{raw}\" is not a date"))
            .hint("write dates as dd/mm/yyyy or yyyy-mm-dd")
    })?;
    let score = match row.get(cols.score) {
        "" => None,
        raw => {
            let value = text::parse_amount(raw, style)
                .filter(|v| *v >= Decimal::ZERO && *v <= Decimal::ONE_HUNDRED)
                .and_then(|v| v.round().to_u8());
            Some(value.ok_or_else(|| {
                err(cols.score, "Score", format!("\"{raw}\" is not a score from 0 to 100"))
                    .hint("scores are normalised to 0 (worst) – 100 (best); put other scales in the grade column")
            })?)
        }
    };
    let insurer_limit = match row.get(cols.limit) {
        "" => None,
        raw => match text::parse_amount(raw, style) {
            Some(v) if v >= Decimal::ZERO => Some(v),
            _ => {
                return Err(err(
                    cols.limit,
                    "Insurer limit",
                    format!("\"{raw}\" is not an amount"),
                )
                .hint("write the insurer's limit as a positive amount; 0 means cover withdrawn"));
            }
        },
    };
    let raw = row.get(cols.insolvency);
    let insolvency = insolvency(raw).ok_or_else(|| {
        err(
            cols.insolvency,
            "Insolvency",
            format!("\"{raw}\" is neither yes nor no"),
        )
        .hint("write oui/non or yes/no (or the proceeding: sauvegarde, RJ, LJ)")
    })?;
    Ok(ExternalRating {
        siren,
        date,
        source: text::clean_opt(row.get(cols.source)).unwrap_or_else(|| default_source.to_string()),
        grade: text::clean_opt(row.get(cols.grade)),
        score,
        insurer_limit,
        insolvency,
        note: text::clean_opt(row.get(cols.note)),
        location: SourceLocation::Line(row.line),
    })
}

/// Yes/no, or the French proceeding named outright.
fn insolvency(raw: &str) -> Option<bool> {
    if let Some(b) = csv_util::parse_bool(raw) {
        return Some(b);
    }
    let f = csv_util::fold(raw);
    if ["aucune", "aucun", "neant", "none"].contains(&f.as_str()) {
        return Some(false);
    }
    let proceeding = [
        "rj",
        "lj",
        "sauvegarde",
        "redressement",
        "liquidation",
        "insolvency",
        "bankruptcy",
        "chapter 11",
    ];
    proceeding
        .iter()
        .any(|p| f == *p || f.contains(&format!("{p} ")) || f.starts_with(p))
        .then_some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insolvency_words() {
        assert_eq!(insolvency("Oui"), Some(true));
        assert_eq!(insolvency("RJ"), Some(true));
        assert_eq!(insolvency("Liquidation judiciaire"), Some(true));
        assert_eq!(insolvency("néant"), Some(false));
        assert_eq!(insolvency(""), Some(false));
        assert_eq!(insolvency("bof"), None);
    }
}
