//! "Can we ship X € more to this customer?": exposure, limit, grade and external cover give
//! a verdict and the reasons for it.

use super::{Assessment, Grade, SignalKind};
use crate::domain::money::Currency;
use crate::locale::{self, Language};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Yes,
    /// Possible, but someone should look first.
    Caution,
    No,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum CheckReason {
    Insolvency,
    GradeD,
    GradeC,
    OverLimit {
        limit: Decimal,
        excess: Decimal,
    },
    NearLimit {
        limit: Decimal,
        usage_percent: Decimal,
    },
    NoLimit,
    BeyondInsurerCover {
        cover: Decimal,
        excess: Decimal,
    },
    Overdue {
        amount: Decimal,
    },
    WithinLimit {
        headroom: Decimal,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckAnswer {
    pub verdict: Verdict,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub exposure: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub exposure_after: Decimal,
    pub limit: Option<Decimal>,
    /// What could still be shipped within the limit.
    pub headroom: Option<Decimal>,
    pub reasons: Vec<(Verdict, CheckReason)>,
}

/// `insurer_cover` is the credit insurer's limit from the latest rating, when known.
pub fn check_order(
    a: &Assessment,
    amount: Decimal,
    insurer_cover: Option<Decimal>,
    warning_percent: u32,
) -> CheckAnswer {
    let after = a.exposure.max(Decimal::ZERO) + amount;
    let mut reasons = Vec::new();
    let insolvent = a.signals.iter().any(|s| {
        matches!(
            s.evidence,
            super::Evidence::ExternalRating {
                reason: super::RatingReason::Insolvency,
                ..
            }
        )
    });
    if insolvent {
        reasons.push((Verdict::No, CheckReason::Insolvency));
    }
    match a.grade {
        Grade::D => reasons.push((Verdict::No, CheckReason::GradeD)),
        Grade::C => reasons.push((Verdict::Caution, CheckReason::GradeC)),
        _ => {}
    }
    let headroom = a
        .credit_limit
        .map(|l| (l - a.exposure.max(Decimal::ZERO)).max(Decimal::ZERO));
    match a.credit_limit {
        Some(limit) if after > limit => reasons.push((
            Verdict::No,
            CheckReason::OverLimit {
                limit,
                excess: after - limit,
            },
        )),
        Some(limit) if limit > Decimal::ZERO => {
            let usage = after * Decimal::ONE_HUNDRED / limit;
            if usage >= Decimal::from(warning_percent) {
                reasons.push((
                    Verdict::Caution,
                    CheckReason::NearLimit {
                        limit,
                        usage_percent: usage,
                    },
                ));
            } else {
                reasons.push((
                    Verdict::Yes,
                    CheckReason::WithinLimit {
                        headroom: limit - after,
                    },
                ));
            }
        }
        Some(_) => {}
        None => reasons.push((Verdict::Caution, CheckReason::NoLimit)),
    }
    if let Some(cover) = insurer_cover
        && after > cover
    {
        reasons.push((
            Verdict::Caution,
            CheckReason::BeyondInsurerCover {
                cover,
                excess: after - cover,
            },
        ));
    }
    if a.overdue > Decimal::ZERO && !a.has(SignalKind::CreditLimit) {
        reasons.push((Verdict::Caution, CheckReason::Overdue { amount: a.overdue }));
    }
    let verdict = reasons
        .iter()
        .map(|(v, _)| *v)
        .max()
        .unwrap_or(Verdict::Yes);
    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    CheckAnswer {
        verdict,
        amount,
        exposure: a.exposure,
        exposure_after: after,
        limit: a.credit_limit,
        headroom,
        reasons,
    }
}

impl Verdict {
    pub fn word(self, lang: Language) -> &'static str {
        match self {
            Verdict::Yes => lang.pick("OUI", "YES"),
            Verdict::Caution => lang.pick("PRUDENCE", "CAUTION"),
            Verdict::No => lang.pick("NON", "NO"),
        }
    }
}

impl CheckReason {
    pub fn sentence(&self, lang: Language, cur: Currency) -> String {
        let m = |d: Decimal| locale::money(d, cur, lang);
        let fr = lang == Language::Fr;
        match self {
            CheckReason::Insolvency => lang
                .pick(
                    "procédure collective en cours : paiement d'avance uniquement",
                    "insolvency proceedings: prepayment only",
                )
                .into(),
            CheckReason::GradeD => lang
                .pick(
                    "risque D : paiement d'avance ou accord de la direction",
                    "risk grade D: prepayment or management approval",
                )
                .into(),
            CheckReason::GradeC => lang
                .pick(
                    "risque C : voir les signaux avant d'expédier",
                    "risk grade C: read the signals before shipping",
                )
                .into(),
            CheckReason::OverLimit { limit, excess } if fr => {
                format!("dépasserait le plafond de {} de {}", m(*limit), m(*excess))
            }
            CheckReason::OverLimit { limit, excess } => {
                format!("would exceed the limit of {} by {}", m(*limit), m(*excess))
            }
            CheckReason::NearLimit {
                limit,
                usage_percent,
            } => {
                let u = super::sentences::num(*usage_percent, 0, lang);
                if fr {
                    format!("porterait l'encours à {u} % du plafond de {}", m(*limit))
                } else {
                    format!("would bring exposure to {u}% of the {} limit", m(*limit))
                }
            }
            CheckReason::NoLimit => lang
                .pick("aucun plafond de crédit fixé", "no credit limit set")
                .into(),
            CheckReason::BeyondInsurerCover { cover, excess } if fr => format!(
                "{} au-delà de la garantie de l'assureur ({})",
                m(*excess),
                m(*cover)
            ),
            CheckReason::BeyondInsurerCover { cover, excess } => format!(
                "{} beyond the credit insurer's cover ({})",
                m(*excess),
                m(*cover)
            ),
            CheckReason::Overdue { amount } if fr => {
                format!("{} échus non payés : les encaisser d'abord", m(*amount))
            }
            CheckReason::Overdue { amount } => {
                format!("{} overdue: collect it first", m(*amount))
            }
            CheckReason::WithinLimit { headroom } if fr => {
                format!("reste {} sous le plafond après la commande", m(*headroom))
            }
            CheckReason::WithinLimit { headroom } => {
                format!("{} left under the limit after this order", m(*headroom))
            }
        }
    }
}
