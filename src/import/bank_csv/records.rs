//! The records after the header, one at a time into a reused buffer, each with the file line
//! it starts on.

use super::layout::Layout;
use crate::import::{ImportError, ImportResult};

pub(super) struct Records<'t> {
    reader: csv::Reader<&'t [u8]>,
    bytes: &'t [u8],
    header_line: usize,
    counted_to: usize,
    line_at: usize,
    header_skipped: bool,
}

impl<'t> Records<'t> {
    pub fn new(text: &'t str, layout: &Layout) -> Records<'t> {
        let body = &text.as_bytes()[layout.header_offset.min(text.len())..];
        let reader = csv::ReaderBuilder::new()
            .delimiter(layout.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(body);
        Records {
            reader,
            bytes: body,
            header_line: layout.header_line,
            counted_to: 0,
            line_at: 1,
            header_skipped: false,
        }
    }

    /// Reads the next data record into `record`; its line, or `None` at the end.
    pub fn next(&mut self, record: &mut csv::StringRecord) -> ImportResult<Option<usize>> {
        loop {
            let more = self.reader.read_record(record).map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                ImportError::at_line(
                    self.header_line + line.max(1),
                    format!("the CSV cannot be read: {e}"),
                )
                .hint("export the file again; if it was edited, check its quotes")
            })?;
            if !more {
                return Ok(None);
            }
            // The reader's own line numbers drift by one after a CRLF, so lines are counted
            // from the byte offset of each record, skipping the end of the previous line.
            let bytes = self.bytes;
            let mut start = record
                .position()
                .map_or(self.counted_to, |p| p.byte() as usize)
                .min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            if start >= self.counted_to {
                self.line_at += bytes[self.counted_to..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                self.counted_to = start;
            }
            if !self.header_skipped {
                self.header_skipped = true;
                continue;
            }
            return Ok(Some(self.header_line + self.line_at));
        }
    }
}
