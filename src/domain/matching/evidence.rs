//! What the rules decided, kept compact while they run and written out as sentences at the
//! end (in parallel): a million allocations should not wait on a million `format!`s one by one.

use super::amounts::{Units, from_units, money_text};
use super::hashing::par_ranges;
use super::payer::{How, PayerIndex};
use super::{Allocation, CreditLine, OpenInvoice, Rule};

/// Why an allocation was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Why {
    Structured,
    /// The invoice number was read in the remittance text at this byte range.
    Text {
        quote: (u32, u32),
    },
    PayerAmount(How),
    /// Part of the combination `decisions[first..first + count]`.
    Combination {
        how: How,
        first: u32,
        count: u32,
    },
}

/// What a sentence adds about the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Note {
    None,
    /// Paid part of `open`: the invoice stays open.
    Partial {
        open: Units,
    },
    /// Paid in full with `extra` left on the bank line.
    Over {
        extra: Units,
    },
    /// A payment of `paid`, short by `shortfall`, written off as a discount or as fees.
    Short {
        paid: Units,
        shortfall: Units,
        discount: bool,
    },
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Decision {
    pub credit: u32,
    pub invoice: u32,
    pub amount: Units,
    pub rule: Rule,
    pub why: Why,
    pub note: Note,
}

pub(super) struct Renderer<'a> {
    pub credits: &'a [CreditLine],
    pub invoices: &'a [OpenInvoice],
    pub payers: &'a PayerIndex,
    /// The language the sentences are written in.
    pub lang: crate::locale::Language,
}

impl Renderer<'_> {
    pub(super) fn all(&self, decisions: &[Decision], threads: usize) -> Vec<Allocation> {
        let parts = par_ranges(decisions.len(), threads, |range| {
            range.map(|k| self.one(decisions, k)).collect::<Vec<_>>()
        });
        let mut all = Vec::with_capacity(decisions.len());
        for part in parts {
            all.extend(part);
        }
        all
    }

    fn one(&self, decisions: &[Decision], k: usize) -> Allocation {
        let d = &decisions[k];
        let credit = &self.credits[d.credit as usize];
        let invoice = &self.invoices[d.invoice as usize];
        let lang = self.lang;
        let money = |u: Units| money_text(u, credit.currency, lang);
        // French sets a space before a semicolon or a colon.
        let (semi, colon) = (lang.pick(" ; ", "; "), lang.pick(" : ", ": "));
        let mut e = String::with_capacity(96);
        match d.why {
            Why::Structured => {
                e.push_str(lang.pick("la référence structurée '", "structured reference '"));
                e.push_str(credit.structured_ref.as_deref().unwrap_or(""));
                e.push_str(lang.pick("' désigne la facture ", "' designates invoice "));
                e.push_str(&invoice.number);
            }
            Why::Text { quote } => {
                e.push_str(lang.pick("facture ", "invoice "));
                e.push_str(&invoice.number);
                e.push_str(lang.pick(
                    " citée dans le libellé bancaire sous la forme '",
                    " named in the bank text as '",
                ));
                e.push_str(
                    credit
                        .remittance
                        .get(quote.0 as usize..quote.1 as usize)
                        .unwrap_or(""),
                );
                e.push('\'');
            }
            Why::PayerAmount(how) => {
                e.push_str(&self.payers.describe(invoice.customer_id, how, credit, lang));
                e.push_str(semi);
                e.push_str(&money(paid(d)));
                e.push_str(lang.pick(" solde la facture ", " settles invoice "));
                e.push_str(&invoice.number);
                e.push_str(lang.pick(
                    ", seule facture ouverte de ce montant",
                    ", the only open invoice of that amount",
                ));
            }
            Why::Combination { how, first, count } => {
                e.push_str(&self.payers.describe(invoice.customer_id, how, credit, lang));
                e.push_str(semi);
                let members = &decisions[first as usize..(first + count) as usize];
                let total: Units = members.iter().map(|m| m.amount).sum();
                e.push_str(&money(total));
                e.push_str(" = ");
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        e.push_str(" + ");
                    }
                    e.push_str(&self.invoices[m.invoice as usize].number);
                    e.push_str(" (");
                    e.push_str(&money(m.amount));
                    e.push(')');
                }
                e.push_str(lang.pick(
                    ", seule combinaison de ses factures ouvertes",
                    ", the only combination of its open invoices",
                ));
            }
        }
        match d.note {
            Note::None => {}
            Note::Partial { open } => {
                e.push_str(semi);
                e.push_str(lang.pick("paie ", "pays "));
                e.push_str(&money(d.amount));
                e.push_str(lang.pick(" sur les ", " of the "));
                e.push_str(&money(open));
                e.push_str(lang.pick(
                    " restant dus, la facture reste ouverte",
                    " open, the invoice stays open",
                ));
            }
            Note::Over { extra } => {
                e.push_str(semi);
                e.push_str(&money(extra));
                e.push_str(lang.pick(
                    " au-delà du montant ouvert restent à affecter sur la ligne bancaire",
                    " more than the open amount stays unallocated on the bank line",
                ));
            }
            Note::Short {
                shortfall,
                discount,
                ..
            } => {
                e.push_str(semi);
                e.push_str(&money(shortfall));
                e.push_str(lang.pick(" de moins", " short"));
                e.push_str(colon);
                e.push_str(if discount {
                    lang.pick(
                        "l'escompte pour paiement anticipé, passé en écart de règlement",
                        "the early-payment discount, written off",
                    )
                } else {
                    lang.pick(
                        "frais ou arrondi dans la tolérance, passés en écart de règlement",
                        "fees or rounding within the tolerance, written off",
                    )
                });
            }
        }
        Allocation {
            transaction_id: credit.id,
            invoice_id: invoice.id,
            amount: from_units(d.amount, credit.currency),
            paid_on: credit.date,
            rule: d.rule,
            evidence: e,
        }
    }
}

/// What the bank line paid towards this invoice, write-offs and over-payments included.
fn paid(d: &Decision) -> Units {
    match d.note {
        Note::Short { paid, .. } => paid,
        Note::Over { extra } => d.amount + extra,
        _ => d.amount,
    }
}
