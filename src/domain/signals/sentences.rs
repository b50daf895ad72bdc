//! The sentence each signal says, with its numbers, in French or English.

use super::{Evidence, RatingReason, SignalKind};
use crate::domain::money::Currency;
use crate::locale::{self, Language};
use rust_decimal::{Decimal, RoundingStrategy};

pub fn label(kind: SignalKind, lang: Language) -> &'static str {
    let (fr, en) = match kind {
        SignalKind::LatenessTrend => ("retards en hausse", "lateness rising"),
        SignalKind::FrequentLateness => ("retards fréquents", "frequent lateness"),
        SignalKind::BrokenPromise => ("promesse non tenue", "broken promise"),
        SignalKind::PartialPayments => ("paiements partiels", "partial payments"),
        SignalKind::CreditLimit => ("plafond de crédit", "credit limit"),
        SignalKind::AtypicalOrder => ("commande atypique", "atypical order"),
        SignalKind::NewCustomer => (
            "nouveau client, encours élevé",
            "new customer, large exposure",
        ),
        SignalKind::Disputes => ("litiges", "disputes"),
        SignalKind::BouncedPayment => ("paiement rejeté", "bounced payment"),
        SignalKind::Silence => ("silence", "silence"),
        SignalKind::Concentration => ("concentration", "concentration"),
        SignalKind::ChangedPayerAccount => ("compte payeur changé", "changed payer account"),
        SignalKind::ExternalRating => ("notation externe", "external rating"),
    };
    lang.pick(fr, en)
}

/// A number with `dp` decimals and the language's decimal mark.
pub fn num(d: Decimal, dp: u32, lang: Language) -> String {
    let s = format!(
        "{:.*}",
        dp as usize,
        d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
    );
    match lang {
        Language::Fr => s.replace('.', ","),
        Language::En => s,
    }
}

fn pct(d: Decimal, lang: Language) -> String {
    match lang {
        Language::Fr => format!("{} %", num(d, 0, lang)),
        Language::En => format!("{}%", num(d, 0, lang)),
    }
}

/// Shows the last four characters only: enough to recognise an account, not to copy it.
fn masked(iban: &str) -> String {
    let tail: String = iban
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

pub fn sentence(e: &Evidence, lang: Language, cur: Currency) -> String {
    let m = |d: Decimal| locale::money(d, cur, lang);
    let date = |d: chrono::NaiveDate| locale::date(d, lang);
    let fr = lang == Language::Fr;
    match e {
        Evidence::LatenessTrend {
            recent_days,
            recent_months,
            previous_days,
            previous_months,
        } => {
            let (r, p) = (num(*recent_days, 1, lang), num(*previous_days, 1, lang));
            if fr {
                format!(
                    "paie avec {r} jours de retard en moyenne sur les {recent_months} derniers mois, {p} jours sur les {previous_months} mois d'avant"
                )
            } else {
                format!(
                    "paid {r} days late on average over the last {recent_months} months, {p} days over the {previous_months} before"
                )
            }
        }
        Evidence::FrequentLateness {
            late,
            invoices,
            share_percent,
            months,
        } => {
            let s = pct(*share_percent, lang);
            if fr {
                format!("{late} factures sur {invoices} payées en retard en {months} mois ({s})")
            } else {
                format!("{late} of {invoices} invoices paid late over {months} months ({s})")
            }
        }
        Evidence::BrokenPromise {
            count,
            promised_on,
            amount,
            paid,
        } => {
            if fr {
                format!(
                    "promesse de {} pour le {} non tenue ({} reçus){}",
                    m(*amount),
                    date(*promised_on),
                    m(*paid),
                    if *count > 1 {
                        format!(", {count} promesses non tenues")
                    } else {
                        String::new()
                    }
                )
            } else {
                format!(
                    "promised {} by {}, not kept ({} received){}",
                    m(*amount),
                    date(*promised_on),
                    m(*paid),
                    if *count > 1 {
                        format!("; {count} promises broken")
                    } else {
                        String::new()
                    }
                )
            }
        }
        Evidence::PartialPayments {
            partial,
            invoices,
            months,
            share_percent,
            previous_share_percent,
        } => {
            let before = previous_share_percent
                .map(|p| {
                    if fr {
                        format!(", contre {} avant", pct(p, lang))
                    } else {
                        format!(", against {} before", pct(p, lang))
                    }
                })
                .unwrap_or_default();
            let s = pct(*share_percent, lang);
            if fr {
                format!(
                    "{partial} factures sur {invoices} réglées en plusieurs fois en {months} mois ({s}{before})"
                )
            } else {
                format!(
                    "{partial} of {invoices} invoices settled in several payments over {months} months ({s}{before})"
                )
            }
        }
        Evidence::CreditLimit {
            exposure,
            limit,
            usage_percent,
            breach,
        } => {
            let usage = usage_percent.map(|u| pct(u, lang)).unwrap_or_default();
            match (fr, breach) {
                (true, true) => format!(
                    "encours {} au-dessus du plafond de {} ({usage})",
                    m(*exposure),
                    m(*limit)
                ),
                (true, false) => format!(
                    "encours {} proche du plafond de {} ({usage})",
                    m(*exposure),
                    m(*limit)
                ),
                (false, true) => format!(
                    "exposure {} above the credit limit of {} ({usage})",
                    m(*exposure),
                    m(*limit)
                ),
                (false, false) => format!(
                    "exposure {} close to the credit limit of {} ({usage})",
                    m(*exposure),
                    m(*limit)
                ),
            }
        }
        Evidence::AtypicalOrder {
            number,
            amount,
            median,
            ratio,
        } => {
            let r = num(*ratio, 1, lang);
            if fr {
                format!(
                    "facture {number} de {} : {r} fois la facture médiane ({})",
                    m(*amount),
                    m(*median)
                )
            } else {
                format!(
                    "invoice {number} of {} is {r} times the median invoice ({})",
                    m(*amount),
                    m(*median)
                )
            }
        }
        Evidence::NewCustomer {
            first_invoice,
            exposure,
            threshold,
        } => {
            if fr {
                format!(
                    "client depuis le {} avec un encours de {} (seuil {})",
                    date(*first_invoice),
                    m(*exposure),
                    m(*threshold)
                )
            } else {
                format!(
                    "customer since {} with {} outstanding (threshold {})",
                    date(*first_invoice),
                    m(*exposure),
                    m(*threshold)
                )
            }
        }
        Evidence::Disputes {
            count,
            amount,
            newest_number,
            newest_opened,
            reason,
        } => {
            let when = newest_opened
                .map(|d| format!(" {} {}", lang.pick("le", "on"), date(d)))
                .unwrap_or_default();
            if fr {
                format!(
                    "{count} facture(s) en litige pour {} ; dernier : {newest_number}{when} ({reason})",
                    m(*amount)
                )
            } else {
                format!(
                    "{count} invoice(s) disputed for {}; latest: {newest_number}{when} ({reason})",
                    m(*amount)
                )
            }
        }
        Evidence::BouncedPayment {
            count,
            date: d,
            amount,
        } => {
            if fr {
                format!(
                    "paiement de {} rejeté le {} ({count} rejet(s) récents)",
                    m(*amount),
                    date(*d)
                )
            } else {
                format!(
                    "payment of {} returned on {} ({count} recent return(s))",
                    m(*amount),
                    date(*d)
                )
            }
        }
        Evidence::Silence { attempts } => {
            if fr {
                format!("aucune réponse après {attempts} tentatives de contact")
            } else {
                format!("no answer after {attempts} contact attempts")
            }
        }
        Evidence::Concentration {
            share_percent,
            exposure,
            total,
        } => {
            let s = pct(*share_percent, lang);
            if fr {
                format!("{s} du poste clients ({} sur {})", m(*exposure), m(*total))
            } else {
                format!("{s} of all receivables ({} of {})", m(*exposure), m(*total))
            }
        }
        Evidence::ChangedPayerAccount { iban, first_seen } => {
            if fr {
                format!(
                    "paiement depuis un compte jamais vu ({}) le {}",
                    masked(iban),
                    date(*first_seen)
                )
            } else {
                format!(
                    "payment from an account never seen before ({}) on {}",
                    masked(iban),
                    date(*first_seen)
                )
            }
        }
        Evidence::ExternalRating {
            reason,
            source,
            date: d,
            grade,
            score,
            insurer_limit,
            exposure,
            note,
        } => {
            let when = date(*d);
            let note = note
                .as_deref()
                .map(|n| format!(" : {n}"))
                .unwrap_or_default();
            match (reason, fr) {
                (RatingReason::Insolvency, true) => {
                    format!("procédure collective signalée par {source} le {when}{note}")
                }
                (RatingReason::Insolvency, false) => {
                    format!("insolvency notice from {source} on {when}{note}")
                }
                (RatingReason::InsurerLimit, _) => {
                    let l = insurer_limit.map(m).unwrap_or_default();
                    if fr {
                        format!(
                            "encours {} au-dessus de la garantie de l'assureur ({l}, {source}, {when})",
                            m(*exposure)
                        )
                    } else {
                        format!(
                            "exposure {} above the credit insurer's cover ({l}, {source}, {when})",
                            m(*exposure)
                        )
                    }
                }
                (RatingReason::LowScore, _) => {
                    let g = grade.clone().unwrap_or_default();
                    let sc = score.map(|s| s.to_string()).unwrap_or_default();
                    if fr {
                        format!("note {g} ({sc}/100) chez {source} le {when}")
                    } else {
                        format!("rated {g} ({sc}/100) by {source} on {when}")
                    }
                }
            }
        }
    }
}
