//! Versioned schema. Each entry of `MIGRATIONS` moves the database from version `i` to
//! `i + 1` (SQLite's `user_version`). Entries are append-only: never edit a released one,
//! add a new step instead, so that a database from any older version upgrades.

/// The day an invoice (the row `invoices` being updated) was settled: the first payment day on
/// which its active allocations, as payer and as credit note, reach the amount due; its issue
/// date when nothing is due; NULL while open. Allocations are positive, so the running sum
/// only grows: the invoice is open on D exactly when this is NULL or after D. Written with
/// index seeks only (a window function here needs a sorter per invoice, three times slower).
macro_rules! settled_on {
    () => {
        "CASE
    WHEN invoices.amount_minor - invoices.prepaid_minor <= 0 THEN invoices.issue_date
    ELSE (SELECT MIN(d.paid_on) FROM (
            SELECT paid_on FROM allocations
            WHERE invoice_id = invoices.id AND undone_at IS NULL
            UNION ALL
            SELECT paid_on FROM allocations
            WHERE credit_note_id = invoices.id AND undone_at IS NULL) d
          WHERE (SELECT COALESCE(SUM(amount_minor), 0) FROM allocations
                 WHERE invoice_id = invoices.id AND undone_at IS NULL
                   AND paid_on <= d.paid_on)
              + (SELECT COALESCE(SUM(amount_minor), 0) FROM allocations
                 WHERE credit_note_id = invoices.id AND undone_at IS NULL
                   AND paid_on <= d.paid_on)
              >= invoices.amount_minor - invoices.prepaid_minor)
END"
    };
}
pub(crate) use settled_on;

pub const MIGRATIONS: &[&str] = &[
    // 1: the foundation.
    r#"
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    who TEXT NOT NULL,
    statements INTEGER NOT NULL DEFAULT 0,
    transactions_inserted INTEGER NOT NULL DEFAULT 0,
    transactions_duplicate INTEGER NOT NULL DEFAULT 0,
    customers_inserted INTEGER NOT NULL DEFAULT 0,
    customers_updated INTEGER NOT NULL DEFAULT 0,
    invoices_inserted INTEGER NOT NULL DEFAULT 0,
    invoices_duplicate INTEGER NOT NULL DEFAULT 0,
    settlements_inserted INTEGER NOT NULL DEFAULT 0,
    supplier_invoices_inserted INTEGER NOT NULL DEFAULT 0,
    ratings_inserted INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]'
);

-- Files that were refused: kept so that the imports screen can say why.
CREATE TABLE import_rejections (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    reason TEXT NOT NULL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    siren TEXT,
    vat_id TEXT,
    email TEXT,
    phone TEXT,
    contact_name TEXT,
    payment_terms_days INTEGER CHECK (payment_terms_days IS NULL OR payment_terms_days >= 0),
    credit_limit_minor INTEGER CHECK (credit_limit_minor IS NULL OR credit_limit_minor >= 0),
    currency TEXT NOT NULL DEFAULT 'EUR',
    segment TEXT NOT NULL DEFAULT 'standard'
        CHECK (segment IN ('strategic', 'standard', 'watch', 'new')),
    professional INTEGER NOT NULL DEFAULT 1,
    -- Contractual late-interest rate in percent per year, as decimal text; NULL = legal rate.
    contractual_rate TEXT
);
CREATE INDEX customers_siren ON customers(siren) WHERE siren IS NOT NULL;

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    -- text::normalise_reference(number), for matching references found in bank text.
    number_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    issue_date TEXT NOT NULL,
    due_date TEXT,
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    prepaid_minor INTEGER NOT NULL DEFAULT 0 CHECK (prepaid_minor >= 0),
    disputed INTEGER NOT NULL DEFAULT 0,
    payment_reference TEXT,
    discount_percent TEXT,
    import_id INTEGER REFERENCES imports(id),
    UNIQUE (number, kind)
);
CREATE INDEX invoices_customer ON invoices(customer_id, issue_date);
CREATE INDEX invoices_number_key ON invoices(number_key);
CREATE INDEX invoices_payment_reference ON invoices(payment_reference)
    WHERE payment_reference IS NOT NULL;

CREATE TABLE supplier_invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    supplier_code TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    due_date TEXT,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    paid INTEGER NOT NULL DEFAULT 0,
    import_id INTEGER REFERENCES imports(id),
    UNIQUE (supplier_code, number)
);

CREATE TABLE bank_accounts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    iban TEXT,
    number TEXT,
    bank_code TEXT,
    currency TEXT NOT NULL DEFAULT 'EUR',
    name TEXT
);

CREATE TABLE bank_balances (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES bank_accounts(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('opening', 'closing')),
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    import_id INTEGER REFERENCES imports(id),
    UNIQUE (account_id, date, kind)
);

CREATE TABLE bank_transactions (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES bank_accounts(id),
    -- Identifies the line across overlapping statements: a digest of its content plus its
    -- rank among identical lines of the same file.
    natural_key TEXT NOT NULL,
    booking_date TEXT NOT NULL,
    value_date TEXT,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    counterparty_name TEXT,
    counterparty_iban TEXT,
    remittance TEXT NOT NULL DEFAULT '',
    structured_ref TEXT,
    bank_ref TEXT,
    type_code TEXT,
    reversal INTEGER NOT NULL DEFAULT 0,
    import_id INTEGER REFERENCES imports(id),
    UNIQUE (account_id, natural_key)
);
CREATE INDEX bank_transactions_date ON bank_transactions(booking_date);

-- A payment (bank line, ledger settlement or credit note) allocated to an invoice. Rows are
-- never deleted: undoing one sets undone_at, so the trail stays whole.
CREATE TABLE allocations (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    transaction_id INTEGER REFERENCES bank_transactions(id),
    credit_note_id INTEGER REFERENCES invoices(id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    paid_on TEXT NOT NULL,
    rule TEXT NOT NULL,
    evidence TEXT NOT NULL,
    who TEXT NOT NULL,
    created_at TEXT NOT NULL,
    undone_at TEXT,
    undone_reason TEXT,
    lettering_code TEXT,
    import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX allocations_invoice ON allocations(invoice_id) WHERE undone_at IS NULL;
CREATE INDEX allocations_transaction ON allocations(transaction_id)
    WHERE transaction_id IS NOT NULL;

-- Learned payers: a name or IBAN seen paying a customer's invoices.
CREATE TABLE payer_aliases (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    name_key TEXT,
    iban TEXT,
    learned_from TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (customer_id, name_key, iban)
);
CREATE INDEX payer_aliases_iban ON payer_aliases(iban) WHERE iban IS NOT NULL;
CREATE INDEX payer_aliases_name ON payer_aliases(name_key) WHERE name_key IS NOT NULL;

CREATE TABLE external_ratings (
    id INTEGER PRIMARY KEY,
    siren TEXT NOT NULL,
    date TEXT NOT NULL,
    source TEXT NOT NULL,
    grade TEXT,
    score INTEGER,
    insurer_limit_minor INTEGER,
    insolvency INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    import_id INTEGER REFERENCES imports(id),
    UNIQUE (siren, date, source)
);

-- The append-only trail: who did what, when. It serves in court, so no row is ever changed.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers(id),
    invoice_id INTEGER REFERENCES invoices(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_customer ON events(customer_id, at);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"#,
    // 2: claims on the call list, so that two operators do not call the same customer.
    // Not part of the trail (events is): a claim is a lock, deleted when released.
    r#"
CREATE TABLE claims (
    customer_id INTEGER PRIMARY KEY REFERENCES customers(id),
    who TEXT NOT NULL,
    host TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX claims_expiry ON claims(expires_at);
"#,
    // 3: saved cash forecasts, compared later with what the bank showed.
    r#"
CREATE TABLE forecast_runs (
    id INTEGER PRIMARY KEY,
    as_of TEXT NOT NULL,
    scenario TEXT NOT NULL,
    created_at TEXT NOT NULL,
    who TEXT NOT NULL,
    currency TEXT NOT NULL,
    opening_minor INTEGER NOT NULL,
    -- The settings and toggles the run was computed with, as JSON.
    params TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX forecast_runs_as_of ON forecast_runs(as_of);

CREATE TABLE forecast_points (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES forecast_runs(id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    -- Receipts including doubtful ones at their probability, rounded to the minor unit.
    inflow_minor INTEGER NOT NULL,
    outflow_minor INTEGER NOT NULL,
    balance_minor INTEGER NOT NULL,
    UNIQUE (run_id, period_start)
);
"#,
    // 4: what people record while chasing: promises, disputes, payment plans, snoozes.
    // Each row points to the event that created it; undoing sets cancelled_at (or closes the
    // dispute) and appends a compensating event: nothing is deleted.
    r#"
CREATE TABLE promises (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    invoice_id INTEGER REFERENCES invoices(id),
    made_on TEXT NOT NULL,
    promised_on TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    -- The dunning level the promise was obtained at: a broken one raises the next.
    level INTEGER,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    event_id INTEGER REFERENCES events(id),
    cancelled_at TEXT
);
CREATE INDEX promises_customer ON promises(customer_id) WHERE status = 'open';

CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    reason TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    close_reason TEXT,
    event_id INTEGER REFERENCES events(id),
    closed_by_event INTEGER REFERENCES events(id)
);
CREATE INDEX disputes_open ON disputes(invoice_id) WHERE closed_on IS NULL;

CREATE TABLE payment_plans (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    made_on TEXT NOT NULL,
    level INTEGER,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    event_id INTEGER REFERENCES events(id),
    cancelled_at TEXT
);
CREATE INDEX payment_plans_customer ON payment_plans(customer_id) WHERE status = 'open';

CREATE TABLE plan_instalments (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES payment_plans(id),
    due_on TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    UNIQUE (plan_id, due_on)
);

CREATE TABLE snoozes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    until TEXT NOT NULL,
    reason TEXT,
    made_on TEXT NOT NULL,
    event_id INTEGER REFERENCES events(id),
    cancelled_at TEXT
);
CREATE INDEX snoozes_customer ON snoozes(customer_id) WHERE cancelled_at IS NULL;
CREATE INDEX events_kind ON events(kind, customer_id);
"#,
    // 5: bank line keys as 16-byte blobs (store::import_writer::bank::natural_key): the
    // booking date's Julian day, the first 8 bytes of the same content digest, the rank.
    // Date first, so that a large import adds to the unique index where its dates are
    // instead of at random places of a tree larger than the page cache. Keys written before
    // are converted (`<24 hex>#<rank>` holds the digest and the rank), so that a statement
    // overlapping an older import is still recognised; a key that does not read as one is
    // left as it was.
    r#"
UPDATE bank_transactions SET natural_key = COALESCE(unhex(
        printf('%08x', CAST(julianday(booking_date) AS INTEGER))
        || substr(natural_key, 1, 16)
        || printf('%08x', CAST(substr(natural_key, instr(natural_key, '#') + 1) AS INTEGER))
    ), natural_key)
WHERE typeof(natural_key) = 'text' AND natural_key GLOB '[0-9a-f]*#[0-9]*'
    AND length(natural_key) > 25;
"#,
    // 6: open amounts as of a date read through indexes. Each invoice carries the day it was
    // settled (the first day its active allocations, payments and credit notes, reach the
    // amount due), kept in step by triggers on every write to allocations, so that "open on
    // D" reads only the invoices with `settled_on` NULL or after D. A fully prepaid invoice
    // is settled on its issue date. The covering partial indexes give each invoice's sums as
    // of a date from one index range, without reading the allocation rows. The customer
    // index grows to cover each customer's sales history (the signals read a year of it).
    concat!(
        r#"
DROP INDEX allocations_invoice;
CREATE INDEX allocations_invoice_paid
    ON allocations(invoice_id, paid_on, amount_minor, credit_note_id) WHERE undone_at IS NULL;
CREATE INDEX allocations_credit_note_paid ON allocations(credit_note_id, paid_on, amount_minor)
    WHERE undone_at IS NULL AND credit_note_id IS NOT NULL;
ALTER TABLE invoices ADD COLUMN settled_on TEXT;
-- A bulk writer (a matching run) puts a row here for the length of its writes and brings
-- `settled_on` up to date itself in one statement (`matching::write`): per-row triggers on a
-- hundred thousand inserts cost more than the rest of the run. Never committed non-empty.
CREATE TABLE settle_deferred (id INTEGER PRIMARY KEY);
CREATE TRIGGER allocations_settle_insert AFTER INSERT ON allocations
    WHEN NOT EXISTS (SELECT 1 FROM settle_deferred)
BEGIN
    UPDATE invoices SET settled_on = "#,
        settled_on!(),
        r#" WHERE id IN (NEW.invoice_id, NEW.credit_note_id);
END;
CREATE TRIGGER allocations_settle_update
    AFTER UPDATE OF invoice_id, credit_note_id, amount_minor, paid_on, undone_at ON allocations
BEGIN
    UPDATE invoices SET settled_on = "#,
        settled_on!(),
        r#"
    WHERE id IN (OLD.invoice_id, OLD.credit_note_id, NEW.invoice_id, NEW.credit_note_id);
END;
CREATE TRIGGER allocations_settle_delete AFTER DELETE ON allocations BEGIN
    UPDATE invoices SET settled_on = "#,
        settled_on!(),
        r#" WHERE id IN (OLD.invoice_id, OLD.credit_note_id);
END;
CREATE TRIGGER invoices_settle_amounts AFTER UPDATE OF amount_minor, prepaid_minor, issue_date
    ON invoices
BEGIN
    UPDATE invoices SET settled_on = "#,
        settled_on!(),
        r#" WHERE id = NEW.id;
END;
CREATE TRIGGER invoices_settle_insert AFTER INSERT ON invoices
    WHEN NEW.amount_minor - NEW.prepaid_minor <= 0
BEGIN
    UPDATE invoices SET settled_on = NEW.issue_date WHERE id = NEW.id;
END;
UPDATE invoices SET settled_on = "#,
        settled_on!(),
        r#";
CREATE INDEX invoices_settled ON invoices(settled_on, issue_date);
DROP INDEX invoices_customer;
CREATE INDEX invoices_customer_sales
    ON invoices(customer_id, issue_date, kind, amount_minor, currency);
"#
    ),
    // 7: which customers changed, for the cockpit's incremental refresh of the signals and
    // the queue (`store::intel::changes`). New rows are found from the ids above the last
    // computation's (rows are never deleted in normal use), so the bulk writers (imports,
    // matching) pay nothing; updates, which are few, mark their customers here with a
    // sequence number. A deletion marks customer 0: recompute everything.
    r#"
CREATE TABLE intel_dirty (customer_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
CREATE INDEX intel_dirty_seq ON intel_dirty(seq);
CREATE TRIGGER customers_intel_update AFTER UPDATE ON customers BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.id, NEW.id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER invoices_intel_update AFTER UPDATE OF
    number, kind, customer_id, issue_date, due_date, amount_minor, currency, prepaid_minor,
    disputed ON invoices
BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER allocations_intel_update AFTER UPDATE ON allocations BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT DISTINCT customer_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM invoices
    WHERE id IN (OLD.invoice_id, OLD.credit_note_id, NEW.invoice_id, NEW.credit_note_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER bank_transactions_intel_update AFTER UPDATE ON bank_transactions BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT DISTINCT i.customer_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM allocations a JOIN invoices i ON i.id = a.invoice_id
    WHERE a.transaction_id = NEW.id
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER plan_instalments_intel_update AFTER UPDATE ON plan_instalments BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT DISTINCT customer_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM payment_plans WHERE id IN (OLD.plan_id, NEW.plan_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER promises_intel_update AFTER UPDATE ON promises BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER payment_plans_intel_update AFTER UPDATE ON payment_plans BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER snoozes_intel_update AFTER UPDATE ON snoozes BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER disputes_intel_update AFTER UPDATE ON disputes BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER payer_aliases_intel_update AFTER UPDATE ON payer_aliases BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER customers_intel_delete AFTER DELETE ON customers BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER invoices_intel_delete AFTER DELETE ON invoices BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER allocations_intel_delete AFTER DELETE ON allocations BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER bank_transactions_intel_delete AFTER DELETE ON bank_transactions BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER promises_intel_delete AFTER DELETE ON promises BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER payment_plans_intel_delete AFTER DELETE ON payment_plans BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER plan_instalments_intel_delete AFTER DELETE ON plan_instalments BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER snoozes_intel_delete AFTER DELETE ON snoozes BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER disputes_intel_delete AFTER DELETE ON disputes BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER payer_aliases_intel_delete AFTER DELETE ON payer_aliases BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    VALUES (0, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty))
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
"#,
    // 8: a faster digest beside the SHA-256, so that a file dropped again is recognised in a
    // fraction of the time. Rows of earlier imports have none (their files are not kept) and
    // are still recognised by their SHA-256.
    r#"
ALTER TABLE imports ADD COLUMN blake3 TEXT;
CREATE UNIQUE INDEX imports_blake3 ON imports(blake3);
"#,
    // 9: the first payment day of each invoice, kept with the settled day; open invoices in a covering index. See `schema_paid`.
    super::schema_paid::STEP,
    // 10: an update that changes nothing in a customer's row (an invoice file names its
    // customers, and the import writes them again as they are) no longer marks the customer
    // for the cockpit's refresh: it would read its payer accounts and sales again for nothing.
    // Every column is compared: a column added to `customers` later must be added here.
    r#"
DROP TRIGGER customers_intel_update;
CREATE TRIGGER customers_intel_update AFTER UPDATE ON customers
WHEN OLD.id IS NOT NEW.id OR OLD.code IS NOT NEW.code OR OLD.name IS NOT NEW.name
  OR OLD.siren IS NOT NEW.siren OR OLD.vat_id IS NOT NEW.vat_id OR OLD.email IS NOT NEW.email
  OR OLD.phone IS NOT NEW.phone OR OLD.contact_name IS NOT NEW.contact_name
  OR OLD.payment_terms_days IS NOT NEW.payment_terms_days
  OR OLD.credit_limit_minor IS NOT NEW.credit_limit_minor OR OLD.currency IS NOT NEW.currency
  OR OLD.segment IS NOT NEW.segment OR OLD.professional IS NOT NEW.professional
  OR OLD.contractual_rate IS NOT NEW.contractual_rate
BEGIN
    INSERT INTO intel_dirty(customer_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM intel_dirty)
    FROM customers WHERE id IN (OLD.id, NEW.id)
    ON CONFLICT(customer_id) DO UPDATE SET seq = excluded.seq;
END;
"#,
    // 11: the cockpit's start views, a derived cache keyed by the data, date, settings and
    // language. See `schema_snapshot`.
    super::schema_snapshot::STEP,
    // 12: open invoices by customer, for the ageing as of today. See `schema_paid`.
    super::schema_paid::BY_CUSTOMER_STEP,
    // 13: bank lines read by day through their date-first unique key; the date index dropped.
    // See `bank_keys`.
    super::bank_keys::STEP,
    // 14: a refusal keeps its parts (message, hint, place, field) as JSON beside its English
    // text, so that each person reads it in their own language (`locale::refusals`); rows
    // written before keep their text alone.
    "ALTER TABLE import_rejections ADD COLUMN error TEXT;",
    // 15: one customer-first index of open invoices instead of two. See `schema_paid`.
    super::schema_paid::ONE_OPEN_INDEX_STEP,
];
