//! Secondary indexes set aside while a large file loads into a table that holds fewer
//! rows than the file brings, and built again before the transaction commits. SQLite
//! builds an index from sorted rows far faster than it keeps one up to date row by row
//! (each insert into an index of random keys touches a random page), and it all happens
//! inside the import's one transaction: a failure rolls the indexes back with the rows,
//! and other connections never see the table without them.
//!
//! A trigger fired by the inserts runs while the indexes are away: one that reads the
//! loaded table by a secondary index (rather than by rowid, as the settled-day trigger
//! does) would scan it on every row, and the table must then be left out of this.

use rusqlite::Transaction;

/// Below this many incoming rows, dropping and building indexes costs more than it saves.
const MIN_ROWS: usize = 20_000;

pub(super) struct SetAside {
    /// `CREATE INDEX` statements as the schema holds them, to run again.
    sql: Vec<String>,
}

impl SetAside {
    /// Drops the secondary indexes of `table` when `incoming` rows are worth it. Indexes
    /// behind UNIQUE constraints stay: the inserts check against them.
    pub fn for_load(
        tx: &Transaction<'_>,
        table: &str,
        incoming: usize,
    ) -> rusqlite::Result<Option<SetAside>> {
        if incoming < MIN_ROWS {
            return Ok(None);
        }
        // The largest rowid is read from the end of the table, not counted.
        let existing: i64 = tx.query_row(
            &format!("SELECT COALESCE(MAX(rowid), 0) FROM \"{table}\""),
            [],
            |r| r.get(0),
        )?;
        if usize::try_from(existing).unwrap_or(usize::MAX) >= incoming {
            return Ok(None);
        }
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
        )?;
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
    pub fn rebuild(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        for sql in &self.sql {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}
