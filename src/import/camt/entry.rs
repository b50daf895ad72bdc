//! One `<Ntry>` to bank transactions. A batch booking (several `TxDtls` under one entry) is
//! split into one transaction per `TxDtls` so that each customer's payment can be matched to
//! its own invoices; otherwise the entry is one transaction.

use super::fields::{self, provided};
use super::xml::Node;
use crate::domain::model::{NewBankTransaction, SourceLocation};
use crate::domain::money::Currency;
use crate::import::text::{clean_opt, normalise_iban};
use crate::import::{ImportBatch, ImportError, ImportResult};
use rust_decimal::Decimal;

pub(super) enum EntryOutcome {
    /// The entry as booked on the account (signed), and the transactions it yields.
    Booked {
        amount: Decimal,
        currency: Currency,
        transactions: Vec<NewBankTransaction>,
    },
    /// Pending or informational: not on the account yet.
    Skipped,
}

/// What every transaction of the entry shares.
struct EntryCommon<'a> {
    node: &'a Node,
    sign: Decimal,
    booking_date: chrono::NaiveDate,
    value_date: Option<chrono::NaiveDate>,
    reversal: bool,
    bank_ref: Option<String>,
    type_code: Option<String>,
}

pub(super) fn read_entry(
    node: &Node,
    path: &str,
    default_currency: Currency,
    batch: &mut ImportBatch,
) -> ImportResult<EntryOutcome> {
    let status = node
        .text_at("Sts/Cd")
        .or_else(|| node.text_at("Sts/Prtry"))
        .or_else(|| node.text_at("Sts"));
    if let Some(status) = status.filter(|s| *s != "BOOK") {
        batch.warn(
            SourceLocation::XmlPath(path.to_string()),
            format!("entry with status {status} left out: it is not booked on the account"),
        );
        return Ok(EntryOutcome::Skipped);
    }
    let (amount, currency) = fields::signed_amount(node, path, default_currency)?;
    let sign = fields::direction(node, path)?;
    let value_date = fields::date_choice(node.child("ValDt"), &format!("{path}/ValDt"), "ValDt")?;
    let booking_date =
        fields::date_choice(node.child("BookgDt"), &format!("{path}/BookgDt"), "BookgDt")?
            .or(value_date)
            .ok_or_else(|| {
                ImportError::at_path(format!("{path}/BookgDt"), "the entry has no booking date")
                    .field("BookgDt")
                    .hint("export the file again from the bank")
            })?;
    let returned = node.child("BkTxCd").is_some_and(fields::is_return_code);
    let common = EntryCommon {
        node,
        sign,
        booking_date,
        value_date,
        reversal: matches!(node.text_at("RvslInd"), Some("true" | "1")) || returned,
        bank_ref: provided(node.text_at("AcctSvcrRef")),
        type_code: node.child("BkTxCd").and_then(fields::type_code),
    };

    let details: Vec<(String, &Node)> = node
        .children_named("NtryDtls")
        .enumerate()
        .flat_map(|(i, dtls)| {
            dtls.children_named("TxDtls")
                .enumerate()
                .map(move |(j, tx)| (format!("{path}/NtryDtls[{}]/TxDtls[{}]", i + 1, j + 1), tx))
        })
        .collect();

    let transactions = if details.len() > 1 {
        split_batch(&common, &details, path, amount, currency, batch)?
    } else {
        let tx = details.first().map(|(_, tx)| *tx);
        vec![transaction(&common, tx, amount, currency, path, batch)]
    };
    Ok(EntryOutcome::Booked {
        amount,
        currency,
        transactions,
    })
}

fn split_batch(
    common: &EntryCommon<'_>,
    details: &[(String, &Node)],
    path: &str,
    amount: Decimal,
    currency: Currency,
    batch: &mut ImportBatch,
) -> ImportResult<Vec<NewBankTransaction>> {
    let mut amounts = Vec::with_capacity(details.len());
    for (tx_path, tx) in details {
        let own = match (tx.get("AmtDtls/TxAmt/Amt"), tx.child("Amt")) {
            (Some(amt), _) => Some((amt, format!("{tx_path}/AmtDtls/TxAmt/Amt"))),
            (None, Some(amt)) => Some((amt, format!("{tx_path}/Amt"))),
            (None, None) => None,
        };
        let Some((amt, amt_path)) = own else {
            batch.warn(
                SourceLocation::XmlPath(tx_path.clone()),
                format!(
                    "this batch of {} transactions gives no amount for each, so it is kept as one line of {amount} {currency}",
                    details.len()
                ),
            );
            let first = details.first().map(|(_, tx)| *tx);
            return Ok(vec![transaction(
                common, first, amount, currency, path, batch,
            )]);
        };
        let (value, tx_currency) = fields::amount_node(amt, &amt_path, currency)?;
        if let Some(ind) = tx.text_at("CdtDbtInd") {
            let booked = if common.sign.is_sign_negative() {
                "DBIT"
            } else {
                "CRDT"
            };
            if ind != booked {
                batch.warn(
                    SourceLocation::XmlPath(tx_path.clone()),
                    format!("the transaction says {ind} inside a {booked} entry; the entry's direction is used"),
                );
            }
        }
        amounts.push((value * common.sign, tx_currency));
    }
    if amounts.iter().all(|(_, c)| *c == currency) {
        let total: Decimal = amounts.iter().map(|(a, _)| *a).sum();
        if total != amount {
            batch.warn(
                SourceLocation::XmlPath(path.to_string()),
                format!("the {} transactions of this batch add up to {total} {currency}, but the entry books {amount} {currency}", amounts.len()),
            );
        }
    } else {
        batch.warn(
            SourceLocation::XmlPath(path.to_string()),
            format!("the transactions of this batch are not in {currency}, the currency the entry is booked in; their own amounts and currencies are kept"),
        );
    }
    Ok(details
        .iter()
        .zip(amounts)
        .map(|((tx_path, tx), (value, tx_currency))| {
            transaction(common, Some(tx), value, tx_currency, tx_path, batch)
        })
        .collect())
}

fn transaction(
    common: &EntryCommon<'_>,
    tx: Option<&Node>,
    amount: Decimal,
    currency: Currency,
    path: &str,
    batch: &mut ImportBatch,
) -> NewBankTransaction {
    let (counterparty_name, counterparty_iban) = match tx {
        Some(tx) => counterparty(tx, common.sign, path, batch),
        None => (None, None),
    };
    let (remittance, structured_ref) = remittance(tx, common.node);
    let own_code = tx
        .and_then(|t| t.child("BkTxCd"))
        .and_then(fields::type_code);
    let own_ref = tx.and_then(|t| provided(t.text_at("Refs/AcctSvcrRef")));
    let returned = tx.is_some_and(|t| t.child("RtrInf").is_some())
        || tx
            .and_then(|t| t.child("BkTxCd"))
            .is_some_and(fields::is_return_code);
    NewBankTransaction {
        booking_date: common.booking_date,
        value_date: common.value_date,
        amount,
        currency,
        counterparty_name,
        counterparty_iban,
        remittance,
        structured_ref,
        bank_ref: own_ref.or_else(|| common.bank_ref.clone()),
        reversal: common.reversal || returned,
        type_code: own_code.or_else(|| common.type_code.clone()),
        location: SourceLocation::XmlPath(path.to_string()),
    }
}

/// The other side of the payment: the debtor of a credit, the creditor of a debit.
fn counterparty(
    tx: &Node,
    sign: Decimal,
    path: &str,
    batch: &mut ImportBatch,
) -> (Option<String>, Option<String>) {
    let Some(parties) = tx.child("RltdPties") else {
        return (None, None);
    };
    let role = if sign.is_sign_negative() {
        "Cdtr"
    } else {
        "Dbtr"
    };
    // Up to version 2 the name sits under the role; from version 8 under `Pty`.
    let name_of = |party: &str| {
        parties
            .child(party)
            .and_then(|p| provided(p.text_at("Nm")).or_else(|| provided(p.text_at("Pty/Nm"))))
    };
    let name = name_of(role).or_else(|| name_of(&format!("Ultmt{role}")));
    let iban_path = format!("{role}Acct/Id/IBAN");
    let iban = parties.text_at(&iban_path).and_then(|raw| {
        let iban = normalise_iban(raw);
        if iban.is_none() {
            batch.warn(
                SourceLocation::XmlPath(format!("{path}/RltdPties/{iban_path}")),
                format!("the counterparty IBAN \"{raw}\" fails its check digits and was left out"),
            );
        }
        iban
    });
    (name, iban)
}

/// Free text and structured reference. The text is every `Ustrd` block; failing that, the
/// additional remittance, transaction or entry information. The first creditor reference (or
/// referred document number) is the structured reference; further ones join the text so
/// that matching still sees them.
fn remittance(tx: Option<&Node>, entry: &Node) -> (String, Option<String>) {
    let joined = |nodes: Vec<&Node>| -> String {
        nodes
            .iter()
            .filter_map(|n| provided(Some(&n.text)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut text = tx
        .map(|t| joined(t.all("RmtInf/Ustrd")))
        .unwrap_or_default();
    if text.is_empty() {
        text = tx
            .map(|t| joined(t.all("RmtInf/Strd/AddtlRmtInf")))
            .unwrap_or_default();
    }
    if text.is_empty() {
        text = tx.map(|t| joined(t.all("AddtlTxInf"))).unwrap_or_default();
    }
    if text.is_empty() {
        text = joined(entry.all("AddtlNtryInf"));
    }
    let refs: Vec<String> = tx
        .map(|t| t.all("RmtInf/Strd"))
        .unwrap_or_default()
        .into_iter()
        .flat_map(|strd| {
            let creditor = strd.all("CdtrRefInf/Ref");
            let documents = strd.all("RfrdDocInf/Nb");
            creditor.into_iter().chain(documents)
        })
        .filter_map(|n| provided(Some(&n.text)))
        .collect();
    for extra in refs.iter().skip(1) {
        if !text.contains(extra.as_str()) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(extra);
        }
    }
    (
        clean_opt(&text).unwrap_or_default(),
        refs.into_iter().next(),
    )
}
