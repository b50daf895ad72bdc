//! Schema step "first payment day": each invoice carries the first day one of its active
//! allocations (as payer or as credit note) was paid, beside its settled day. An invoice
//! with none was paid nothing on any date, so its open amount on day D is read from its row
//! alone; only invoices paid in part before D need their allocations summed. The ageing of a
//! million invoices then reads one covering index of the open ones (`invoices_open`) instead
//! of summing allocations per invoice, and a matching run loads its open invoices the same
//! way.
//!
//! Kept by the same triggers as the settled day, recomputed from the allocation rows (a seek
//! of the covering allocation indexes), so that any writer of allocations, SQL by hand
//! included, keeps it right. A matching run turns the triggers off for its inserts and
//! writes both columns itself (`matching::write`).

/// The first day an active allocation paid the `invoices` row being updated; NULL if none.
macro_rules! first_paid_on {
    () => {
        "(SELECT MIN(d) FROM (
        SELECT MIN(paid_on) AS d FROM allocations
        WHERE invoice_id = invoices.id AND undone_at IS NULL
        UNION ALL
        SELECT MIN(paid_on) FROM allocations
        WHERE credit_note_id = invoices.id AND undone_at IS NULL))"
    };
}

/// The two maintained columns of the `invoices` row being updated, recomputed from its
/// active allocations: the SET list of an UPDATE.
macro_rules! paid_state {
    () => {
        concat!(
            "first_paid_on = ",
            crate::store::schema_paid::first_paid_on!(),
            ", settled_on = ",
            crate::store::schema::settled_on!()
        )
    };
}
pub(crate) use first_paid_on;
pub(crate) use paid_state;

/// The step itself (appended to `schema::MIGRATIONS`). The old triggers are replaced by ones
/// that keep the first payment day with the settled day; existing rows are backfilled. The
/// settled index is split in two partial indexes: open invoices, covering what ageing and
/// the open items read, and settled ones by day (what the paid history and the delay model
/// read).
pub const STEP: &str = concat!(
    r#"
ALTER TABLE invoices ADD COLUMN first_paid_on TEXT;
DROP TRIGGER allocations_settle_insert;
DROP TRIGGER allocations_settle_update;
DROP TRIGGER allocations_settle_delete;
CREATE TRIGGER allocations_settle_insert AFTER INSERT ON allocations
    WHEN NOT EXISTS (SELECT 1 FROM settle_deferred)
BEGIN
    UPDATE invoices SET "#,
    paid_state!(),
    r#" WHERE id IN (NEW.invoice_id, NEW.credit_note_id);
END;
CREATE TRIGGER allocations_settle_update
    AFTER UPDATE OF invoice_id, credit_note_id, amount_minor, paid_on, undone_at ON allocations
BEGIN
    UPDATE invoices SET "#,
    paid_state!(),
    r#"
    WHERE id IN (OLD.invoice_id, OLD.credit_note_id, NEW.invoice_id, NEW.credit_note_id);
END;
CREATE TRIGGER allocations_settle_delete AFTER DELETE ON allocations BEGIN
    UPDATE invoices SET "#,
    paid_state!(),
    r#" WHERE id IN (OLD.invoice_id, OLD.credit_note_id);
END;
DROP INDEX invoices_settled;
UPDATE invoices SET first_paid_on = "#,
    first_paid_on!(),
    r#"
WHERE id IN (SELECT invoice_id FROM allocations WHERE undone_at IS NULL
             UNION SELECT credit_note_id FROM allocations
             WHERE undone_at IS NULL AND credit_note_id IS NOT NULL);
CREATE INDEX invoices_settled ON invoices(settled_on, issue_date) WHERE settled_on IS NOT NULL;
-- settled_on (always NULL here) is in the key only so that SQLite sees the index covers
-- a query that names it in its WHERE clause.
CREATE INDEX invoices_open ON invoices(issue_date, customer_id, kind, due_date, currency,
    amount_minor, prepaid_minor, first_paid_on, disputed, number, settled_on)
    WHERE settled_on IS NULL;
"#
);

/// Open invoices again, by customer, with what the ageing report reads and no more (no
/// number, no dispute flag). The report as of a day on which every open invoice was already
/// issued (today, the common case) reads them all: in this order its per-customer sums are
/// added one customer after the other instead of at random places (the issue-date order of
/// `invoices_open` shuffles customers, and the accumulator then missed the cache on most
/// items: a quarter of the report's time at 20,000 customers). A matching run that settles most invoices sets it aside with the other
/// paid-state indexes (`matching::set_aside`: it names `settled_on`).
pub const BY_CUSTOMER_STEP: &str = r#"
CREATE INDEX invoices_open_by_customer ON invoices(customer_id, due_date, kind, currency,
    amount_minor, prepaid_minor, first_paid_on, issue_date, settled_on)
    WHERE settled_on IS NULL;
"#;

/// One index of open invoices instead of two (schema step 15). The issue-date-first index of
/// step 9 and the customer-first one of step 12 held nearly the same columns; each is
/// sorted from the whole table after a large import (≈ 0.5 s apiece at a million invoices)
/// and after a matching run that settles most invoices. One customer-first index with the
/// number and the dispute flag serves every reader:
/// - the ageing report adds one customer's sums after the other, as of any date (the issue
///   date is tested in the index);
/// - the open items of every customer (the intelligence's gather, the key figures) are read
///   from it, in customer order (they sort their items themselves);
/// - a matching run, which needs columns no index holds, scans the table instead
///   (`matching::load`): in rowid order, that is faster than looking the rows up from any
///   index, even when four invoices in five are settled.
pub const ONE_OPEN_INDEX_STEP: &str = r#"
DROP INDEX invoices_open;
DROP INDEX invoices_open_by_customer;
CREATE INDEX invoices_open ON invoices(customer_id, due_date, kind, currency, amount_minor,
    prepaid_minor, first_paid_on, issue_date, disputed, number, settled_on)
    WHERE settled_on IS NULL;
"#;
