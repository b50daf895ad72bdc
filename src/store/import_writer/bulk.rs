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
//!
//! The caller may also name INSERT triggers whose effect its rows already carry (the
//! writer fills the column the trigger would set): they are dropped for the load and
//! created again from their own SQL. A trigger on a statement makes SQLite run it as a
//! sub-program per row and keep a statement journal of every page the INSERT touches.

use rusqlite::Transaction;

/// Below this many incoming rows, dropping and building indexes costs more than it saves.
const MIN_ROWS: usize = 20_000;

/// What a writer tells [`SetAside`] about its table.
pub(super) struct LoadPlan {
    /// Indexes kept up to date during the load: those whose keys arrive in about the
    /// order of a file's rows (each insert lands at the end of the index, cheaper than a
    /// sort of the whole table afterwards), and partial ones that a loaded row rarely
    /// enters (a build reads the whole table for few entries).
    pub keep: &'static [&'static str],
    /// INSERT triggers whose effect the writer puts in each row itself.
    pub triggers: &'static [&'static str],
}

pub(super) struct SetAside {
    /// `CREATE INDEX` and `CREATE TRIGGER` statements as the schema holds them, to run again.
    sql: Vec<String>,
}

impl SetAside {
    /// Drops the secondary indexes of `table` but those named in `plan.keep`, and its
    /// triggers named in `plan.triggers`, when `incoming` rows are worth it. Indexes behind
    /// UNIQUE constraints stay: the inserts check against them.
    pub fn for_load(
        tx: &Transaction<'_>,
        table: &str,
        incoming: usize,
        plan: &LoadPlan,
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
            "SELECT type, name, sql FROM sqlite_master
             WHERE tbl_name = ?1 AND sql IS NOT NULL AND type IN ('index', 'trigger')
             ORDER BY type, name",
        )?;
        let found: Vec<(String, String, String)> = stmt
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut sql = Vec::new();
        for (kind, name, create) in found {
            let listed = |names: &[&str]| names.contains(&name.as_str());
            if (kind == "trigger" && !listed(plan.triggers))
                || (kind == "index" && listed(plan.keep))
            {
                continue;
            }
            let verb = if kind == "index" { "INDEX" } else { "TRIGGER" };
            tx.execute_batch(&format!("DROP {verb} \"{}\"", name.replace('"', "\"\"")))?;
            sql.push(create);
        }
        Ok(Some(SetAside { sql }))
    }

    /// Builds the indexes again, from the rows now in the table, and puts the triggers back.
    pub fn rebuild(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        for sql in &self.sql {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}
