//! A prepared INSERT run once per row of a large file, whose parameters are bound again only
//! when their value changes. SQLite keeps a statement's bindings from one run to the next
//! (`sqlite3_reset` leaves them), and most columns of a bank file repeat from line to line:
//! the account, the import, the currency, the booking day (a file is in date order), and
//! the columns a format never fills (NULL). Binding all fourteen columns on every line cost
//! the writing thread, the bottleneck of a streamed import, about a sixth of its time.
//!
//! The statement is owned here and run only through [`StickyInsert::run`], so nothing else
//! can bind it behind the remembered values' back.

use rusqlite::Statement;

/// What a parameter was last bound to.
#[derive(Debug, Clone, PartialEq)]
enum Bound {
    Nothing,
    Null,
    Int(i64),
    Text(String),
}

pub(super) struct StickyInsert<'c> {
    statement: Statement<'c>,
    /// Indexed by the parameter's number less one.
    bound: Vec<Bound>,
}

impl<'c> StickyInsert<'c> {
    pub fn new(statement: Statement<'c>) -> StickyInsert<'c> {
        let bound = vec![Bound::Nothing; statement.parameter_count()];
        StickyInsert { statement, bound }
    }

    /// Binds parameter `index` (1-based) to `value` unless it already holds it.
    pub fn int(&mut self, index: usize, value: i64) -> rusqlite::Result<()> {
        let slot = self.slot(index)?;
        if *slot != Bound::Int(value) {
            self.statement.raw_bind_parameter(index, value)?;
            *self.slot(index)? = Bound::Int(value);
        }
        Ok(())
    }

    /// Binds parameter `index` (1-based) to `value`, NULL for `None`, unless it already
    /// holds it.
    pub fn text(&mut self, index: usize, value: Option<&str>) -> rusqlite::Result<()> {
        let slot = self.slot(index)?;
        let same = match (&*slot, value) {
            (Bound::Null, None) => true,
            (Bound::Text(held), Some(v)) => held == v,
            _ => false,
        };
        if same {
            return Ok(());
        }
        self.statement.raw_bind_parameter(index, value)?;
        let slot = self.slot(index)?;
        match (slot, value) {
            // The text's buffer is reused: no allocation per change of day.
            (Bound::Text(held), Some(v)) => {
                held.clear();
                held.push_str(v);
            }
            (slot, Some(v)) => *slot = Bound::Text(v.to_owned()),
            (slot, None) => *slot = Bound::Null,
        }
        Ok(())
    }

    /// Binds parameter `index` (1-based) for this run only: a value that changes on every
    /// row (a key, an amount) is not worth comparing.
    pub fn each_row<T: rusqlite::ToSql>(&mut self, index: usize, value: T) -> rusqlite::Result<()> {
        self.slot(index)?;
        self.statement.raw_bind_parameter(index, value)?;
        *self.slot(index)? = Bound::Nothing;
        Ok(())
    }

    /// Runs the statement with what is bound; the number of rows it changed.
    pub fn run(&mut self) -> rusqlite::Result<usize> {
        self.statement.raw_execute()
    }

    fn slot(&mut self, index: usize) -> rusqlite::Result<&mut Bound> {
        let count = self.bound.len();
        index
            .checked_sub(1)
            .and_then(|i| self.bound.get_mut(i))
            .ok_or_else(|| rusqlite::Error::InvalidParameterCount(index, count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn rows(conn: &Connection) -> Vec<(i64, Option<String>, Option<String>)> {
        let mut stmt = conn
            .prepare("SELECT a, b, c FROM t ORDER BY rowid")
            .expect("the select prepares");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("the select runs")
            .collect::<rusqlite::Result<_>>()
            .expect("rows are read")
    }

    /// Every row gets what it was given, whether a value repeats, changes, or goes from a
    /// text to NULL and back: a value kept from the row before would show here.
    #[test]
    fn each_row_holds_its_own_values() {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT, c TEXT)")
            .expect("the table is created");
        let given: Vec<(i64, Option<&str>, Option<&str>)> = vec![
            (1, Some("x"), None),
            (1, Some("x"), Some("first")),
            (2, None, Some("second")),
            (2, None, None),
            (2, Some("xy"), None),
            (1, Some("x"), Some("third")),
            (1, Some(""), Some("third")),
        ];
        let mut insert = StickyInsert::new(
            conn.prepare("INSERT INTO t VALUES (?1, ?2, ?3)")
                .expect("prepares"),
        );
        for (a, b, c) in &given {
            insert.int(1, *a).expect("binds");
            insert.text(2, *b).expect("binds");
            insert.each_row(3, *c).expect("binds");
            assert_eq!(insert.run().expect("runs"), 1);
        }
        let expected: Vec<(i64, Option<String>, Option<String>)> = given
            .iter()
            .map(|(a, b, c)| (*a, b.map(str::to_owned), c.map(str::to_owned)))
            .collect();
        assert_eq!(rows(&conn), expected);
    }

    #[test]
    fn a_parameter_the_statement_does_not_have_is_an_error() {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        conn.execute_batch("CREATE TABLE t (a INTEGER)")
            .expect("the table is created");
        let mut insert =
            StickyInsert::new(conn.prepare("INSERT INTO t VALUES (?1)").expect("prepares"));
        assert!(insert.int(0, 1).is_err());
        assert!(insert.int(2, 1).is_err());
        assert!(insert.text(2, None).is_err());
        assert!(insert.int(1, 1).is_ok());
    }
}
