//! The data rows of a CSV table one at a time, for readers of files that run to a million
//! rows: the same records, cleaned cells and line numbers as a whole reading by
//! [`csv_util::read_with_profiles`], into one reused [`Row`] instead of a table in memory.

use crate::import::csv_util::{self, Row, Table};
use crate::import::text::{self, DecimalStyle};
use crate::import::{ImportResult, csv_separator};

/// Where a data record starts in the text (after any byte-order mark), to read it again.
pub type RecordStart = usize;

pub struct RowStream<'t> {
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
    lines: LineCounter<'t>,
    record: csv::StringRecord,
    delimiter: u8,
}

impl<'t> RowStream<'t> {
    /// The rows of `text` after the header of `table`, split with `delimiter`.
    pub fn new(text: &'t str, table: &Table, delimiter: u8) -> ImportResult<RowStream<'t>> {
        let text = text.trim_start_matches('\u{feff}');
        let mut stream = RowStream {
            text,
            reader: csv_util::reader(text.as_bytes(), delimiter),
            lines: LineCounter::new(text.as_bytes()),
            record: csv::StringRecord::new(),
            delimiter,
        };
        for _ in 0..table.records_before_data {
            if !stream.read()? {
                break;
            }
        }
        Ok(stream)
    }

    fn read(&mut self) -> ImportResult<bool> {
        match self.reader.read_record(&mut self.record) {
            Ok(more) => Ok(more),
            Err(e) => Err(csv_util::unreadable(&e, &mut self.lines)),
        }
    }

    /// The next row that is not blank, into `row` (its cells cleaned), with where its
    /// record starts; `None` at the end.
    pub fn next_row(&mut self, row: &mut Row) -> ImportResult<Option<RecordStart>> {
        loop {
            if !self.read()? {
                return Ok(None);
            }
            let start = self.record.position().map_or(0, |p| p.byte() as usize);
            fill(row, &self.record);
            if row.is_blank() {
                continue;
            }
            row.line = self.lines.line_at(start);
            return Ok(Some(start));
        }
    }

    /// The row whose record starts at `start` (from [`RowStream::next_row`]), read again
    /// without disturbing the stream. Its line is left at 0: the caller kept it.
    pub fn row_at(&self, start: RecordStart) -> ImportResult<Row> {
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        let bytes = self.text.as_bytes().get(start..).unwrap_or_default();
        let mut reader = csv_util::reader(bytes, self.delimiter);
        let mut record = csv::StringRecord::new();
        let mut lines = LineCounter::new(bytes);
        if reader
            .read_record(&mut record)
            .map_err(|e| csv_util::unreadable(&e, &mut lines))?
        {
            fill(&mut row, &record);
        }
        Ok(row)
    }
}

fn fill(row: &mut Row, record: &csv::StringRecord) {
    row.cells.truncate(record.len());
    for (i, raw) in record.iter().enumerate() {
        match row.cells.get_mut(i) {
            Some(cell) => text::clean_into(raw, cell),
            None => row.cells.push(text::clean(raw)),
        }
    }
}

/// What a first pass over the whole file settles before any row is read for good: the
/// separator check of every row against the header (a table reading does it before its
/// rows are read, so a wrong separator is named before any value it garbled), and the
/// decimal style from all the amount cells.
pub fn survey(
    text: &str,
    table: &Table,
    delimiter: u8,
    amount_columns: &[Option<usize>],
    style: DecimalStyle,
) -> ImportResult<(DecimalStyle, usize)> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv_util::reader(text.as_bytes(), delimiter);
    let mut lines = LineCounter::new(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut evidence = DecimalEvidence::default();
    let header_len = table.header.len();
    let (mut records, mut rows) = (0usize, 0usize);
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_util::unreadable(&e, &mut lines))?
    {
        records += 1;
        if records <= table.records_before_data {
            continue;
        }
        if record.iter().all(|c| text::clean_cow(c).is_empty()) {
            continue;
        }
        rows += 1;
        if record.len() > header_len || record.len() == 1 {
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let cells: Vec<String> = record.iter().map(text::clean).collect();
            csv_separator::check_rows(
                header_len,
                table.header_line,
                delimiter,
                [(lines.line_at(start), cells.as_slice())],
            )?;
        }
        if style == DecimalStyle::Auto {
            for col in amount_columns.iter().flatten() {
                if let Some(cell) = record.get(*col) {
                    evidence.see(&text::clean_cow(cell));
                }
            }
        }
    }
    Ok((evidence.settle(style), rows))
}

/// What [`csv_util::settle_decimal_style`] has seen so far: a comma, a dot as the mark before the
/// last one or two digits of some cell.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct DecimalEvidence {
    comma: bool,
    dot: bool,
}

impl DecimalEvidence {
    pub(crate) fn see(&mut self, cell: &str) {
        let t = cell.trim().trim_end_matches(|c: char| !c.is_ascii_digit());
        let tail = |mark: char| {
            t.rfind(mark)
                .map(|p| (1..=2).contains(&(t.len() - p - 1)))
                .unwrap_or(false)
        };
        self.comma |= tail(',');
        self.dot |= tail('.');
    }

    pub(crate) fn settle(self, style: DecimalStyle) -> DecimalStyle {
        if style != DecimalStyle::Auto {
            return style;
        }
        match (self.comma, self.dot) {
            (true, false) => DecimalStyle::Comma,
            (false, true) => DecimalStyle::Dot,
            _ => DecimalStyle::Auto,
        }
    }
}

/// Physical line numbers from byte offsets. The csv crate's own line count drifts after
/// blank lines and CRLF endings, and messages must name the line an editor shows.
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            pos: 0,
            line: 1,
        }
    }

    /// The line of the first character at or after `byte` that is not a line break: a
    /// record's offset may point at the blank line or the `\n` before it.
    pub(crate) fn line_at(&mut self, byte: usize) -> usize {
        let mut at = byte.min(self.bytes.len());
        while at < self.bytes.len() && matches!(self.bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.pos..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.pos = at;
        self.line
    }
}
