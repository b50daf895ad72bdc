//! Indexes set aside while a matching run writes more rows than an index holds, and built
//! again before the run's transaction commits. SQLite builds an index from sorted rows far
//! faster than it keeps one up to date row by row: a run's allocations arrive in the
//! credits' order, so each one lands on a random page of the invoice index, and the paid
//! invoices leave the open-invoice index and enter the settled one at random places.
//! Everything stays inside the run's one transaction: a failure rolls the indexes back with
//! the rows, and other connections never see a table without them.

use rusqlite::{Connection, Transaction};

/// Below this many rows written, dropping and building indexes costs more than it saves.
const MIN_ROWS: usize = 20_000;

pub(super) struct SetAside {
    /// `CREATE INDEX` statements as the schema holds them, to run again.
    sql: Vec<String>,
}

impl SetAside {
    /// Drops the secondary indexes of `allocations` when a run inserts more rows than the
    /// table holds (the first run over an imported history).
    pub(super) fn allocations(
        tx: &Transaction<'_>,
        incoming: usize,
    ) -> rusqlite::Result<Option<SetAside>> {
        if incoming < MIN_ROWS || rows_of(tx, "allocations")? >= incoming {
            return Ok(None);
        }
        Self::drop_where(tx, "allocations", "1")
    }

    /// Drops the indexes of `invoices` that name the paid state (the open and the settled
    /// invoices), the only ones an update of that state touches, when the run updates most
    /// of the table: measured at a million invoices, building both again costs about what
    /// keeping them costs for three quarters of the rows.
    pub(super) fn paid_state(
        tx: &Transaction<'_>,
        updates: usize,
    ) -> rusqlite::Result<Option<SetAside>> {
        if updates < MIN_ROWS || rows_of(tx, "invoices")?.saturating_mul(3) > updates * 4 {
            return Ok(None);
        }
        Self::drop_where(
            tx,
            "invoices",
            "(sql LIKE '%settled_on%' OR sql LIKE '%first_paid_on%')",
        )
    }

    fn drop_where(
        tx: &Transaction<'_>,
        table: &str,
        condition: &str,
    ) -> rusqlite::Result<Option<SetAside>> {
        let mut stmt = tx.prepare(&format!(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL AND {condition}
             ORDER BY name"
        ))?;
        let indexes: Vec<(String, String)> = stmt
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, _) in &indexes {
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(Some(SetAside {
            sql: indexes.into_iter().map(|(_, sql)| sql).collect(),
        }))
    }

    /// Builds the indexes again, from the rows now in the table.
    pub(super) fn rebuild(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        with_sort_helpers(tx, || {
            for sql in &self.sql {
                tx.execute_batch(sql)?;
            }
            Ok(())
        })
    }
}

/// About how many rows `table` holds: its largest rowid, read from the end of the table
/// rather than counted (rows are never deleted in normal use).
fn rows_of(tx: &Transaction<'_>, table: &str) -> rusqlite::Result<usize> {
    let last: i64 = tx.query_row(
        &format!("SELECT COALESCE(MAX(rowid), 0) FROM \"{table}\""),
        [],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(last).unwrap_or(0))
}

/// Runs `build` (the set-aside indexes built again) with SQLite's sorter allowed to sort on
/// the other cores (`PRAGMA threads`), then puts the connection's limit back. The run is the
/// one busy thread at that point: at a million invoices each build took 12–35 % less on two
/// cores (medians of eight pairs run side by side), the run 0.3–0.5 s less. The limit caps
/// helpers per statement; SQLite starts them only for sorts too large for one pass in
/// memory. A bulk import's index builds measured no change with it, and do without.
fn with_sort_helpers<T>(
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
