//! Borrowed text columns: the large reads (a million open items) take dates, currencies and
//! kinds as `&str` from SQLite's buffer instead of a `String` per column.

use rusqlite::Row;
use rusqlite::types::FromSqlError;

fn conversion(i: usize, e: FromSqlError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
}

/// Column `i` as text.
pub(crate) fn text<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(i)?.as_str().map_err(|e| conversion(i, e))
}

/// Column `i` as text, or `None` when NULL.
pub(crate) fn text_opt<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(i)?
        .as_str_or_null()
        .map_err(|e| conversion(i, e))
}

/// Column `i` as the bytes of its text (or blob), unchecked as UTF-8.
pub(crate) fn bytes<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    row.get_ref(i)?.as_bytes().map_err(|e| conversion(i, e))
}

/// Column `i` as bytes, or `None` when NULL.
pub(crate) fn bytes_opt<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r [u8]>> {
    row.get_ref(i)?
        .as_bytes_or_null()
        .map_err(|e| conversion(i, e))
}
