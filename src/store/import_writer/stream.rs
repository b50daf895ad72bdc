//! Customers and invoices written as a reader streams them ([`InvoiceSink`]), with what
//! that needs across rows: which customers this file already wrote, the invoices whose
//! customer a later row introduces, and the indexes set aside for a large load.

use super::bulk::{LoadPlan, SetAside};
use super::invoice::{InvoiceFacts, invoice_facts};
use super::{ImportSummary, ImportWriter, WriteError, upsert_customer};
use crate::domain::model::{NewCustomer, NewInvoice};
use crate::import::invoice_csv::InvoiceSink;
use std::collections::HashSet;

/// A large load of invoices. Loaded invoices are rarely settled or carry a payment
/// reference, so the two partial indexes get few entries. The settled-day trigger's effect
/// is written with each row by [`super::invoice::InvoiceWriter`]. (The open-invoice index,
/// date first, would grow at its end in a file listed by date, but keeping it up to date
/// costs as much as building it: appends split index pages half full.)
pub(super) const INVOICE_LOAD: LoadPlan = LoadPlan {
    keep: &["invoices_settled", "invoices_payment_reference"],
    triggers: &["invoices_settle_insert"],
};

#[derive(Default)]
pub(super) struct InvoiceStream {
    /// Codes of the customers this file wrote: a customer written again (a later row added
    /// an identifier) is counted once.
    customers: HashSet<String>,
    /// Invoices of a customer not known when they were read: a later row of the file may
    /// name the customer, as a whole reading of the file allowed.
    waiting: Vec<(NewInvoice, Result<InvoiceFacts, WriteError>)>,
    set_aside: Option<SetAside>,
}

impl InvoiceSink for ImportWriter<'_> {
    type Error = WriteError;

    fn expect(&mut self, rows: usize) -> Result<(), WriteError> {
        if self.stream.set_aside.is_none() {
            self.stream.set_aside = SetAside::for_load(self.tx, "invoices", rows, &INVOICE_LOAD)?;
        }
        Ok(())
    }

    fn customer(&mut self, customer: &NewCustomer) -> Result<(), WriteError> {
        if self.stream.customers.contains(&customer.code) {
            return upsert_customer(self.tx, customer, &mut ImportSummary::default());
        }
        upsert_customer(self.tx, customer, &mut self.summary)?;
        self.stream.customers.insert(customer.code.clone());
        Ok(())
    }

    fn invoice(&mut self, invoice: NewInvoice) -> Result<(), WriteError> {
        let facts = invoice_facts(&invoice);
        self.invoice_with(invoice, facts)
    }
}

impl ImportWriter<'_> {
    /// [`InvoiceSink::invoice`] with the row's facts worked out beforehand
    /// ([`invoice_facts`], on the reader's thread).
    pub fn invoice_with(
        &mut self,
        invoice: NewInvoice,
        facts: Result<InvoiceFacts, WriteError>,
    ) -> Result<(), WriteError> {
        if self.invoice_in_place(&invoice, &facts)? {
            return Ok(());
        }
        if self.invoices.customer_id(&invoice.customer_code)?.is_none() {
            self.stream.waiting.push((invoice, facts));
            return Ok(());
        }
        self.invoices
            .insert_with(&invoice, facts, self.import_id, &mut self.summary)
    }

    /// Writes a streamed invoice without taking it, when its customer is known and its
    /// facts hold (nearly every row): the pipe's reader then frees its text, and the
    /// writing thread, the import's bottleneck, is spared the allocator's cross-thread
    /// bookkeeping (`ingest::pipe`). False when the row must be taken: to wait for its
    /// customer, or to be refused.
    pub fn invoice_in_place(
        &mut self,
        invoice: &NewInvoice,
        facts: &Result<InvoiceFacts, WriteError>,
    ) -> Result<bool, WriteError> {
        let Ok(facts) = facts else {
            return Ok(false);
        };
        let Some(customer) = self.invoices.customer_id(&invoice.customer_code)? else {
            return Ok(false);
        };
        self.invoices
            .insert_known(customer, invoice, facts, self.import_id, &mut self.summary)?;
        Ok(true)
    }

    /// The streamed invoices' last writes: those that waited for their customer (refused
    /// now if it never came), then the indexes set aside.
    pub(super) fn finish_invoices(&mut self) -> Result<(), WriteError> {
        for (invoice, facts) in std::mem::take(&mut self.stream.waiting) {
            self.invoices
                .insert_with(&invoice, facts, self.import_id, &mut self.summary)?;
        }
        if let Some(set_aside) = self.stream.set_aside.take() {
            set_aside.rebuild(self.tx)?;
        }
        Ok(())
    }
}
