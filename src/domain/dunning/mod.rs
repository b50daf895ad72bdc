//! Dunning (relances): the policy as ladders of levels per segment, the outcomes a person
//! records, and today's queue built from both.

pub mod letter;
mod lines;
pub mod outcome;
pub mod queue;

#[cfg(test)]
mod outcome_tests;
#[cfg(test)]
mod tests;

use crate::domain::model::Segment;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Phone,
    Letter,
    RegisteredLetter,
    /// Simplified procedure, order for payment or agency: a decision, not a message.
    Escalation,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Letter => "letter",
            Channel::RegisteredLetter => "registered_letter",
            Channel::Escalation => "escalation",
        }
    }

    pub fn label(self, lang: crate::locale::Language) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => lang.pick("appel", "call"),
            Channel::Letter => lang.pick("courrier", "letter"),
            Channel::RegisteredLetter => lang.pick("LRAR", "registered letter"),
            Channel::Escalation => lang.pick("contentieux", "escalation"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerRole {
    Accounts,
    Sales,
    Management,
}

impl OwnerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerRole::Accounts => "accounts",
            OwnerRole::Sales => "sales",
            OwnerRole::Management => "management",
        }
    }

    pub fn label(self, lang: crate::locale::Language) -> &'static str {
        match self {
            OwnerRole::Accounts => lang.pick("comptabilité", "accounts"),
            OwnerRole::Sales => lang.pick("commercial", "sales"),
            OwnerRole::Management => lang.pick("direction", "management"),
        }
    }
}

/// One rung of a ladder.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub level: u8,
    /// Days from the due date; only level 0 (the courtesy reminder) may be negative.
    pub offset_days: i32,
    pub channel: Channel,
    /// Template name under `config/templates/<lang>/<name>.txt`.
    pub template: String,
    /// For escalation: the template when principal + interest is above the small-claims
    /// limit (order for payment instead of the simplified procedure).
    #[serde(default)]
    pub template_over_small_claim: Option<String>,
    /// What to say on the phone at this level.
    #[serde(default)]
    pub script: Option<String>,
    pub owner: OwnerRole,
}

/// Levels in increasing order of level and offset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ladder {
    levels: Vec<Level>,
}

impl Ladder {
    /// Checks the rules of a ladder; `key` names it in messages (`ladders.standard`).
    pub fn new(key: &str, levels: Vec<Level>) -> Result<Ladder, String> {
        if levels.is_empty() {
            return Err(format!("{key}: a ladder needs at least one level"));
        }
        for (i, l) in levels.iter().enumerate() {
            if l.offset_days < 0 && i > 0 {
                return Err(format!(
                    "{key}[{i}].offset_days: {} is before the due date; only the first level (the courtesy reminder) may come before it",
                    l.offset_days
                ));
            }
            if l.template.trim().is_empty() {
                return Err(format!("{key}[{i}].template: a template name is needed"));
            }
            if i > 0 {
                let prev = &levels[i - 1];
                if l.level <= prev.level {
                    return Err(format!(
                        "{key}[{i}].level: levels must increase ({} after {})",
                        l.level, prev.level
                    ));
                }
                if l.offset_days < prev.offset_days {
                    return Err(format!(
                        "{key}[{i}].offset_days: {} comes before the previous level's {}",
                        l.offset_days, prev.offset_days
                    ));
                }
            }
        }
        Ok(Ladder { levels })
    }

    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// The highest level whose offset has been reached `days_past_due` days after the due date.
    pub fn due_level(&self, days_past_due: i64) -> Option<&Level> {
        self.levels
            .iter()
            .rev()
            .find(|l| i64::from(l.offset_days) <= days_past_due)
    }

    pub fn get(&self, level: u8) -> Option<&Level> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// The level above `level`, or the top one.
    pub fn next_after(&self, level: u8) -> &Level {
        self.levels
            .iter()
            .find(|l| l.level > level)
            .or(self.levels.last())
            .unwrap_or(&self.levels[0])
    }

    pub fn top(&self) -> &Level {
        self.levels.last().unwrap_or(&self.levels[0])
    }
}

/// `[rules]` of policy.toml: how outcomes hold or bring back a customer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QueueRules {
    /// A promise holds the chase until its date + these days.
    pub promise_grace_days: u32,
    pub retry_after_no_answer_days: u32,
    pub retry_after_voicemail_days: u32,
    pub retry_after_wrong_contact_days: u32,
    /// A credit without a match in the last days that looks like the customer's stops the chase.
    pub unmatched_credit_days: u32,
    /// Days given to pay in a formal notice.
    pub letter_deadline_days: u32,
}

/// The policy file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub rules: QueueRules,
    pub ladders: BTreeMap<String, Vec<Level>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub rules: QueueRules,
    default: Ladder,
    segments: BTreeMap<String, Ladder>,
}

pub const LADDER_KEYS: [&str; 5] = ["default", "strategic", "standard", "watch", "new"];

impl Policy {
    /// Validates the file's content. Template files are checked by the loader, which knows
    /// where they are.
    pub fn from_file(file: PolicyFile) -> Result<Policy, String> {
        let mut default = None;
        let mut segments = BTreeMap::new();
        for (name, levels) in file.ladders {
            if !LADDER_KEYS.contains(&name.as_str()) {
                return Err(format!(
                    "ladders.{name}: unknown ladder; use one of {}",
                    LADDER_KEYS.join(", ")
                ));
            }
            let ladder = Ladder::new(&format!("ladders.{name}"), levels)?;
            if name == "default" {
                default = Some(ladder);
            } else {
                segments.insert(name, ladder);
            }
        }
        let default = default.ok_or("ladders.default: the default ladder is missing")?;
        Ok(Policy {
            rules: file.rules,
            default,
            segments,
        })
    }

    pub fn ladder_for(&self, segment: Segment) -> &Ladder {
        self.segments.get(segment.as_str()).unwrap_or(&self.default)
    }

    /// Every template the policy names, with the key that names it.
    pub fn template_names(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let ladders = std::iter::once(("default", &self.default))
            .chain(self.segments.iter().map(|(k, v)| (k.as_str(), v)));
        for (name, ladder) in ladders {
            for (i, l) in ladder.levels.iter().enumerate() {
                out.push((format!("ladders.{name}[{i}].template"), l.template.clone()));
                if let Some(t) = &l.template_over_small_claim {
                    out.push((
                        format!("ladders.{name}[{i}].template_over_small_claim"),
                        t.clone(),
                    ));
                }
                if let Some(t) = &l.script {
                    out.push((format!("ladders.{name}[{i}].script"), t.clone()));
                }
            }
        }
        out
    }
}
