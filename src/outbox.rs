//! Letters and emails, ready to send: composed from a customer's page and the policy's
//! template for a level, written as `.txt` (and `.eml` for emails) into the outbox folder.
//! Nothing is sent unless a person asks, and then only through the configured mail command,
//! run without a shell with the message on its standard input.

use crate::domain::dunning::Channel;
use crate::domain::dunning::letter::{LetterInput, letter_vars};
use crate::domain::dunning::queue::{Contact, LineInvoice};
use crate::domain::letters::{Email, split_subject, to_eml};
use crate::domain::model::{InvoiceId, InvoiceKind};
use crate::domain::penalties::{Claim, invoice_penalty};
use crate::store::intel::Params;
use crate::store::intel::view::CustomerView;
use chrono::{Duration, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize)]
pub struct PreparedLetter {
    pub level: u8,
    pub channel: Channel,
    pub template: String,
    pub subject: Option<String>,
    /// The text as rendered (with its `Subject:` line for an email).
    pub text: String,
    pub eml: Option<String>,
    pub file_stem: String,
    pub invoices: Vec<InvoiceId>,
    #[serde(with = "rust_decimal::serde::str")]
    pub claim_total: Decimal,
}

/// Composes the letter of `level` (default: the level due today) for the customer.
pub fn prepare_letter(
    view: &CustomerView,
    p: &Params,
    level: Option<u8>,
    now: NaiveDateTime,
) -> Result<PreparedLetter, String> {
    let c = &view.customer;
    let ladder = p.policy.ladder_for(c.segment);
    let invoices: Vec<LineInvoice> = view
        .items
        .iter()
        .filter(|i| i.item.kind == InvoiceKind::Invoice && !i.item.disputed)
        .filter_map(|i| {
            ladder.due_level(i.days_late).map(|l| LineInvoice {
                invoice_id: i.item.invoice_id,
                number: i.item.number.clone(),
                due_date: i.item.due_date,
                open: i.item.open,
                days_late: i.days_late,
                level: l.level,
            })
        })
        .collect();
    let wanted = level
        .or(view.line.as_ref().map(|l| l.level))
        .or(view.held.as_ref().map(|h| h.level))
        .or(invoices.iter().map(|i| i.level).max())
        .ok_or_else(|| {
            format!(
                "nothing is due for {} ({}): no letter to write",
                c.name, c.code
            )
        })?;
    let level = ladder.get(wanted).ok_or_else(|| {
        let known: Vec<String> = ladder
            .levels()
            .iter()
            .map(|l| l.level.to_string())
            .collect();
        format!(
            "level {wanted} is not in the {} ladder (levels: {})",
            c.segment.as_str(),
            known.join(", ")
        )
    })?;
    if invoices.is_empty() {
        return Err(format!(
            "{} ({}) has no invoice overdue or about to be: no letter to write",
            c.name, c.code
        ));
    }
    let mut claim = Claim::default();
    for inv in &view.items {
        if invoices.iter().any(|i| i.invoice_id == inv.item.invoice_id)
            && let Some(p) = &inv.penalty
        {
            claim.add(p.clone());
        }
    }
    if claim.invoices.is_empty() {
        // Nothing late yet (a courtesy reminder): still compute, for a complete variable set.
        for i in &view.items {
            claim.add(invoice_penalty(
                p.penalties,
                &i.item,
                view.as_of,
                &c.debtor(),
            ));
        }
    }
    let template = match &level.template_over_small_claim {
        Some(over) if !claim.is_small_claim(p.penalties) => over.clone(),
        _ => level.template.clone(),
    };
    let contact = Contact {
        name: c.contact_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
    };
    let date = now.date();
    let vars = letter_vars(&LetterInput {
        lang: p.lang,
        currency: p.currency,
        sender: &p.sender,
        customer_name: &c.name,
        customer_code: &c.code,
        contact: &contact,
        level,
        invoices: &invoices,
        claim: &claim,
        date,
        deadline: date + Duration::days(i64::from(p.policy.rules.letter_deadline_days)),
        penalties: p.penalties,
    });
    let text = p
        .templates
        .render(p.lang, &template, &vars)
        .map_err(|e| e.to_string())?;
    let (subject, body) = split_subject(&text);
    let code: String = c
        .code
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    let file_stem = format!("{date}-{code}-L{}-{template}", level.level);
    let eml = subject.as_ref().map(|s| {
        to_eml(&Email {
            from_name: &p.sender.name,
            from_address: p.sender.email.as_deref(),
            to_name: c.contact_name.as_deref().or(Some(&c.name)),
            to_address: c.email.as_deref(),
            subject: s,
            body: &body,
            date: now,
            message_id: &format!("{}.{}", file_stem, now.format("%H%M%S")),
        })
    });
    Ok(PreparedLetter {
        level: level.level,
        channel: level.channel,
        template,
        subject,
        text,
        eml,
        file_stem,
        invoices: invoices.iter().map(|i| i.invoice_id).collect(),
        claim_total: claim.total(),
    })
}

fn private_file(path: &Path, content: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path)?;
    f.write_all(content.as_bytes())?;
    f.sync_all()
}

/// Writes the letter into `dir` (created owner-only); never overwrites an earlier file.
pub fn write_letter(dir: &Path, letter: &PreparedLetter) -> Result<Vec<PathBuf>, String> {
    crate::store::ensure_private_dir(dir).map_err(|e| e.to_string())?;
    let mut n = 1;
    loop {
        let stem = if n == 1 {
            letter.file_stem.clone()
        } else {
            format!("{}-{n}", letter.file_stem)
        };
        let txt = dir.join(format!("{stem}.txt"));
        let eml = dir.join(format!("{stem}.eml"));
        if txt.exists() || eml.exists() {
            n += 1;
            continue;
        }
        let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
        private_file(&txt, &letter.text).map_err(|e| io(&txt, e))?;
        let mut out = vec![txt];
        if let Some(content) = &letter.eml {
            private_file(&eml, content).map_err(|e| io(&eml, e))?;
            out.push(eml);
        }
        return Ok(out);
    }
}

/// Runs the configured mail command with the message on its standard input. The command is
/// split on spaces and run directly: no shell, so nothing in a letter can reach one.
pub fn send_eml(command: &str, eml: &str) -> Result<(), String> {
    let mut parts = command.split_whitespace();
    let program = parts
        .next()
        .ok_or("no mail command configured ([letters] mail_command)")?;
    let mut child = std::process::Command::new(program)
        .args(parts)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(eml.as_bytes())
            .map_err(|e| format!("{program}: {e}"))?;
    }
    let status = child.wait().map_err(|e| format!("{program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} failed ({status})"))
    }
}
