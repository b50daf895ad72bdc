//! The French catalogue of import refusals, hints and warnings, one file per family of
//! readers (see `locale::refusals` for how an entry is written and matched).

mod bank_ledger;
mod csv;
mod general;
mod xml;

/// Every entry: (English template, French template).
pub(super) fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    [
        general::ENTRIES,
        csv::ENTRIES,
        xml::ENTRIES,
        bank_ledger::ENTRIES,
    ]
    .into_iter()
    .flatten()
    .copied()
}
