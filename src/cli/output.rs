//! Printing reports as an aligned table, CSV or JSON.

use clap::ValueEnum;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Table,
    Csv,
    Json,
}

/// Right-aligns every column whose cells (past the header) all look numeric.
pub fn print_table(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..columns)
        .map(|i| {
            !rows.is_empty()
                && rows.iter().all(|r| {
                    r.get(i).is_none_or(|c| {
                        c.is_empty()
                            || c.chars().any(|ch| ch.is_ascii_digit())
                                && c.chars()
                                    .all(|ch| ch.is_ascii_digit() || " ,.-+%€$£ ".contains(ch))
                    })
                })
        })
        .collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, width) in widths.iter().enumerate() {
            let cell = cells.get(i).map(String::as_str).unwrap_or("");
            let pad = width.saturating_sub(cell.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if numeric[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                if i + 1 < widths.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(header))?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    )?;
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}

pub fn print_csv(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(std::io::Error::other)?;
    for row in rows {
        w.write_record(row).map_err(std::io::Error::other)?;
    }
    w.flush()
}
