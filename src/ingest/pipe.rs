//! A streamed import on two threads: the reader parses the text on a helper thread and
//! hands its records over in batches through a bounded channel, while this thread writes
//! them in the order they were read. Parsing and SQLite's inserts are each about half of a
//! large import; on two cores they overlap.
//!
//! What the user sees is the same as with one thread: records are written in file order,
//! so the first problem in file order stops the import, whether the reader or the writer
//! finds it (every record read before a refusal is handed over and written first), and the
//! reader never runs more than a few batches ahead of the writer (memory stays flat).

use crate::domain::model::{AccountRef, NewBankTransaction, NewCustomer, NewInvoice};
use crate::import::invoice_csv::InvoiceSink;
use crate::import::{BankLineSink, ImportBatch, ImportError, ParseContext};
use crate::store::StoreError;
use crate::store::import_writer::{
    ImportWriter, InvoiceFacts, LineFacts, WriteError, invoice_facts, line_facts,
};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Records per hand-over: large enough that the channel costs nothing per record.
const BATCH: usize = 1024;
/// Batches the reader may have read ahead of the writer.
const IN_FLIGHT: usize = 4;

/// One call the reader made on its sink.
pub enum Record {
    Statement(AccountRef),
    /// A bank line with its facts, worked out on the reader thread.
    Line(usize, NewBankTransaction, LineFacts),
    Expect(usize),
    Customer(NewCustomer),
    /// An invoice with its facts, worked out on the reader thread.
    Invoice(NewInvoice, Result<InvoiceFacts, WriteError>),
}

/// Why the reader stopped before the end of the file.
pub enum Stop {
    Refused(ImportError),
    /// The writer stopped on a problem of its own and hung up.
    WriterGone,
}

impl From<ImportError> for Stop {
    fn from(e: ImportError) -> Self {
        Stop::Refused(e)
    }
}

/// The reader's sink: collects records and sends them over in batches.
pub struct Pipe {
    out: SyncSender<Vec<Record>>,
    /// Batches the writer is done with, handed back so that their text is freed by the
    /// thread that allocated it: freed on the writer's side, it cost that thread (the
    /// import's bottleneck) about 7 % in the allocator's cross-thread bookkeeping.
    spent: Receiver<Vec<Record>>,
    batch: Vec<Record>,
    scratch: String,
}

impl Pipe {
    fn push(&mut self, record: Record) -> Result<(), Stop> {
        self.batch.push(record);
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Stop> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut next = None;
        while let Ok(mut spent) = self.spent.try_recv() {
            spent.clear();
            next = Some(spent);
        }
        let next = next.unwrap_or_else(|| Vec::with_capacity(BATCH));
        let full = std::mem::replace(&mut self.batch, next);
        self.out.send(full).map_err(|_| Stop::WriterGone)
    }
}

impl BankLineSink for Pipe {
    type Error = Stop;

    fn statement(&mut self, account: &AccountRef) -> Result<(), Stop> {
        self.push(Record::Statement(account.clone()))
    }

    fn line(&mut self, statement: usize, line: NewBankTransaction) -> Result<(), Stop> {
        let facts = line_facts(&line, &mut self.scratch);
        self.push(Record::Line(statement, line, facts))
    }
}

impl InvoiceSink for Pipe {
    type Error = Stop;

    fn expect(&mut self, rows: usize) -> Result<(), Stop> {
        self.push(Record::Expect(rows))
    }

    fn customer(&mut self, customer: &NewCustomer) -> Result<(), Stop> {
        self.push(Record::Customer(customer.clone()))
    }

    fn invoice(&mut self, invoice: NewInvoice) -> Result<(), Stop> {
        let facts = invoice_facts(&invoice);
        self.push(Record::Invoice(invoice, facts))
    }
}

/// A reader that hands its records to a [`Pipe`] as it reads them.
pub type Reader = fn(&str, &ParseContext, &mut Pipe) -> Result<ImportBatch, Stop>;

/// Runs `read` over `text` on a helper thread and writes what it reads with `writer`.
/// Returns what the reader returned besides its records.
pub fn read_into(
    text: &str,
    ctx: &ParseContext,
    writer: &mut ImportWriter<'_>,
    read: Reader,
) -> Result<ImportBatch, WriteError> {
    std::thread::scope(|scope| {
        let (out, batches) = sync_channel(IN_FLIGHT);
        let (give_back, spent) = sync_channel(IN_FLIGHT);
        let reader = std::thread::Builder::new().name("encours-reader".into());
        let reader = reader.spawn_scoped(scope, move || {
            let mut pipe = Pipe {
                out,
                spent,
                batch: Vec::with_capacity(BATCH),
                scratch: String::new(),
            };
            let read = read(text, ctx, &mut pipe);
            // Records read before a refusal still go to the writer, which may refuse one
            // of them first: the earlier problem in the file is the one reported.
            let flushed = pipe.flush();
            read.and_then(|batch| flushed.map(|()| batch))
        });
        let reader = reader.map_err(|e| {
            WriteError::Store(StoreError::Invalid(format!(
                "the import could not start its reader thread: {e}"
            )))
        })?;
        let mut written = Ok(());
        'batches: for mut batch in batches.iter() {
            for record in &mut batch {
                if let Err(e) = write(writer, record) {
                    written = Err(e);
                    break 'batches;
                }
            }
            // Never waits: when the reader is behind on taking them back, freed here.
            let _ = give_back.try_send(batch);
        }
        // Hanging up makes a reader still sending stop at once.
        drop(batches);
        let read = match reader.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        written?;
        match read {
            Ok(batch) => Ok(batch),
            Err(Stop::Refused(e)) => Err(WriteError::Rejected(e)),
            Err(Stop::WriterGone) => Err(WriteError::Store(StoreError::Invalid(
                "the import's reader lost its writer".into(),
            ))),
        }
    })
}

/// Writes `record`. A bank line's text, and an invoice's when it is written at once, is left
/// in place for the reader to free (see [`Pipe`]); the other records are moved out (the
/// writer may keep an invoice until its customer comes).
fn write(writer: &mut ImportWriter<'_>, record: &mut Record) -> Result<(), WriteError> {
    if let Record::Line(statement, line, facts) = record {
        let facts = std::mem::replace(facts, Ok((0, [0; 8])));
        return writer.bank_line_with(*statement, line, facts);
    }
    if let Record::Invoice(invoice, facts) = record
        && writer.invoice_in_place(invoice, facts)?
    {
        return Ok(());
    }
    match std::mem::replace(record, Record::Expect(0)) {
        Record::Statement(account) => BankLineSink::statement(writer, &account),
        Record::Line(statement, line, facts) => writer.bank_line_with(statement, &line, facts),
        Record::Expect(rows) => InvoiceSink::expect(writer, rows),
        Record::Customer(customer) => InvoiceSink::customer(writer, &customer),
        Record::Invoice(invoice, facts) => writer.invoice_with(invoice, facts),
    }
}
