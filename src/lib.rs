//! # encours: the code map
//!
//! A terminal cockpit for the daily cash review. Data flows one way:
//!
//! ```text
//! exports ─► import (detect, decode, parse) ─► ingest ─► store (SQLite, one transaction a file)
//!                                                          │
//!             domain (pure: ageing, matching, signals, dunning, forecast, figures, penalties)
//!                                                          │
//! keys ─► app (state, update → effects) ─► ui (draw only) ◄┘      runtime: terminal, loop,
//!                                                                  worker, watcher, clock
//! ```
//!
//! - [`domain`]: money, records and every computation, as pure functions of the data and an
//!   as-of date. No I/O, SQL, terminal or clock (kept by `tests/architecture.rs`).
//! - [`import`]: one reader per format, bytes in, [`import::ImportBatch`] or an
//!   [`import::ImportError`] naming file, line or XML path, and field. Format detected from content.
//! - [`store`]: the schema and its append-only migrations, the one-transaction import writer,
//!   the queries that stream rows into domain accumulators, matching, intelligence
//!   ([`store::intel`]), forecast, claims, events, backup. Each invoice carries the day it was
//!   settled and the day it was first paid, kept by triggers on allocations (and written in
//!   one pass by a matching run, which turns them off for its inserts; `store::schema_paid`),
//!   so that "open on a date" reads one covering index of open invoices, customer first
//!   (`invoices_open`), and sums allocations only for invoices paid in part; the ageing
//!   report sums in integers (`domain::ageing::MinorAgeing`), one customer after the
//!   other. A matching run loads its open invoices by a scan of the table. A run writing more
//!   allocations than the table holds, or settling most invoices, sets the indexes it would
//!   churn aside and builds them again before committing (`store::matching::set_aside`,
//!   with SQLite's sorter helper threads); it reads the bank credits on a second read-only
//!   connection while its write transaction reads the open invoices
//!   (`store::matching::load::run_inputs`). A report's statements read one snapshot. A
//!   re-import is recognised by a BLAKE3 digest (SHA-256 for files imported before it). The
//!   cockpit's intelligence is refreshed, not recomputed: the
//!   customers written since the last gather (new ids, and `intel_dirty` kept by triggers for
//!   updates, see `store::intel::changes`) are read again, the rest is kept (of those read
//!   again, the payer accounts gain the new allocations' payers and the paid history is kept
//!   or added to when the writes cannot have changed it, `store::intel::paid_kept`; a
//!   customer only invoiced keeps its bundle, extended with the new rows,
//!   `store::intel::extend`; a customer only paid keeps its sales history and its open
//!   items, paid down by the new allocations, `store::intel::paid_down`); their assessments, queue lines (and call scripts) are redone
//!   for them only (`store::intel::live`), the key figures' and forecast's own reads for the
//!   customers the new rows can move (`store::intel::kept`; the forecast's delay table gains
//!   the invoices newly paid, `store::intel::delays_kept`); the bank
//!   lines since each balance (net cash, forecast opening) come from sums per account and
//!   day it keeps, added to from the newest bank-line id (`store::bank_sums`). Bank lines
//!   are read by day through their date-first unique key, without a date index
//!   (`store::bank_keys`).
//! - [`ingest`]: the single path from bytes to committed rows, shared by the CLI, the demo and the
//!   inbox watcher. Bank CSV lines and invoice CSV rows stream from the reader into the writer
//!   ([`import::BankLineSink`], [`import::invoice_csv::InvoiceSink`], rows read by
//!   `import::csv_stream`) inside the file's one transaction; other formats come as a batch.
//!   The streamed reader runs on a helper thread and hands records over in batches, written
//!   in file order (`ingest::pipe`), with foreign-key checks off for the write. A load larger
//!   than its table sets the table's secondary indexes (and the INSERT triggers whose effect
//!   the writer puts in each row) aside and builds them again before committing
//!   (`store::import_writer::bulk`); each row binds again only the parameters that changed
//!   (`store::import_writer::sticky`). New databases have 16 KiB pages (`store::PAGE_SIZE`).
//! - [`inbox`]: the watched folder: stable files only, claim by rename, archive or reject;
//!   once a scan has imported files, the automatic matching rules on the same connection.
//! - [`app`]: the cockpit's state. Screens are plain data, key presses become `Msg`s, `update`
//!   returns `Effect`s (loads, writes, and the claim of the call-list line being worked);
//!   data comes through the [`app::source::DataSource`] trait. Its store implementation keeps
//!   the start views (overview, signals, queue, forecast) in `view_snapshots`, a derived cache
//!   keyed by the data's marks, the date, the settings and the language
//!   (`app::store_source::snapshot`), filed by the cockpit once its data worker has answered
//!   (`DataSource::idle`) and by `encours watch`: a start on unchanged data needs no gather.
//!   The matching screen lists the credits left without their suggestions and asks for
//!   those of a page around the cursor as the operator scrolls (`store::matching::pages`);
//!   entering it lets the other screens' data go (they come back when shown).
//! - [`ui`]: `render(frame, &app)` and nothing else; tables build only the rows in view.
//! - [`runtime`]: terminal set-up and restore (panics included), the event loop, the worker
//!   thread that runs effects, the watcher; the only place, with [`cli`], that reads the clock.
//! - [`cli`]: arguments → settings → one command; [`config`] layers the TOML settings;
//!   [`policy`] loads the dunning ladders and templates; [`outbox`] writes letters; [`locale`]
//!   formats money and dates in French or English and renders import refusals, stored in
//!   English, in the reader's language (`locale::refusals`, catalogue in `refusals_fr`);
//!   [`demo`] builds the demo company.
//!
//! Invariants: money is `Decimal` in the domain and integer minor units in SQLite, never a float;
//! every import is all-or-nothing; the event log and allocations are never rewritten (undo
//! appends); nothing below the runtime reads the clock; the views never write.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod import;
pub mod inbox;
pub mod ingest;
pub mod locale;
pub mod outbox;
pub mod policy;
pub mod runtime;
pub mod store;
pub mod ui;
