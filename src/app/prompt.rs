//! The small forms opened by some actions (a promise's date and amount, a dispute's reason,
//! the receivables filter...). Keys go to the open prompt first; Enter checks the fields and
//! turns them into a command, Esc closes it without a trace.

use super::keymap::{Key, KeyPress};
use super::msg::Command;
use super::source::Outcome;
use crate::domain::model::{CustomerId, Segment, TransactionId};
use crate::import::text::{DecimalStyle, parse_amount, parse_date};
use crate::locale::Language;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Promise {
        customer: CustomerId,
        name: String,
    },
    Dispute {
        customer: CustomerId,
        name: String,
    },
    Plan {
        customer: CustomerId,
        name: String,
    },
    Snooze {
        customer: CustomerId,
        name: String,
    },
    Note {
        customer: CustomerId,
        name: String,
    },
    SetLimit {
        customer: CustomerId,
    },
    SetSegment {
        customer: CustomerId,
    },
    Assign {
        transaction: TransactionId,
    },
    /// Live filter of the receivables: every key applies at once.
    Filter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldLabel {
    Date,
    Amount,
    Reason,
    Detail,
    Until,
    Text,
    Limit,
    Segment,
    CustomerCode,
    Filter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: FieldLabel,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptError {
    BadDate,
    DateInPast,
    BadAmount,
    Empty,
    BadSegment,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<PromptError>,
}

/// What a key did to the prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptEvent {
    Editing,
    Cancelled,
    Submitted(Submit),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Command(Command),
    /// The filter is kept as typed.
    Filter(String),
}

fn field(label: FieldLabel, value: String) -> Field {
    Field { label, value }
}

/// A date as the user would type it in their language.
pub fn date_input(d: NaiveDate, lang: Language) -> String {
    crate::locale::date(d, lang)
}

/// An amount as the user would type it: no grouping, the language's decimal mark.
pub fn amount_input(a: Decimal, lang: Language) -> String {
    let text = format!("{:.2}", a.round_dp(2));
    match lang {
        Language::Fr => text.replace('.', ","),
        Language::En => text,
    }
}

impl Prompt {
    pub fn new(purpose: Purpose, fields: Vec<Field>) -> Prompt {
        Prompt {
            purpose,
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn promise(
        customer: CustomerId,
        name: String,
        amount: Decimal,
        today: NaiveDate,
        lang: Language,
    ) -> Prompt {
        let date = today.checked_add_days(Days::new(7)).unwrap_or(today);
        Prompt::new(
            Purpose::Promise { customer, name },
            vec![
                field(FieldLabel::Date, date_input(date, lang)),
                field(FieldLabel::Amount, amount_input(amount, lang)),
            ],
        )
    }

    pub fn snooze(customer: CustomerId, name: String, today: NaiveDate, lang: Language) -> Prompt {
        let date = today.checked_add_days(Days::new(7)).unwrap_or(today);
        Prompt::new(
            Purpose::Snooze { customer, name },
            vec![field(FieldLabel::Until, date_input(date, lang))],
        )
    }

    pub fn one_text(purpose: Purpose, label: FieldLabel, value: String) -> Prompt {
        Prompt::new(purpose, vec![field(label, value)])
    }

    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map(|f| f.value.as_str()).unwrap_or("")
    }

    pub fn handle(&mut self, key: KeyPress, today: NaiveDate, lang: Language) -> PromptEvent {
        self.error = None;
        let n = self.fields.len().max(1);
        match key.key {
            Key::Esc => return PromptEvent::Cancelled,
            Key::Enter => {
                return match self.submit(today, lang) {
                    Ok(s) => PromptEvent::Submitted(s),
                    Err((focus, e)) => {
                        self.focus = focus;
                        self.error = Some(e);
                        PromptEvent::Editing
                    }
                };
            }
            Key::Tab | Key::Down => self.focus = (self.focus + 1) % n,
            Key::BackTab | Key::Up => self.focus = (self.focus + n - 1) % n,
            Key::Backspace => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.value.pop();
                }
            }
            Key::Char('u') if key.ctrl => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.value.clear();
                }
            }
            Key::Char(c) if !key.ctrl && !key.alt && !c.is_control() => {
                if let Some(f) = self.fields.get_mut(self.focus)
                    && f.value.chars().count() < 200
                {
                    f.value.push(c);
                }
            }
            _ => {}
        }
        PromptEvent::Editing
    }

    fn submit(&self, today: NaiveDate, lang: Language) -> Result<Submit, (usize, PromptError)> {
        let date_at = |i: usize| -> Result<NaiveDate, (usize, PromptError)> {
            let d = read_date(self.value(i), today, lang).ok_or((i, PromptError::BadDate))?;
            if d < today {
                return Err((i, PromptError::DateInPast));
            }
            Ok(d)
        };
        let text_at = |i: usize| -> Result<String, (usize, PromptError)> {
            let t = self.value(i).trim().to_string();
            if t.is_empty() {
                Err((i, PromptError::Empty))
            } else {
                Ok(t)
            }
        };
        let outcome = |customer: &CustomerId, name: &String, outcome| {
            Submit::Command(Command::Outcome {
                customer: *customer,
                name: name.clone(),
                outcome,
            })
        };
        Ok(match &self.purpose {
            Purpose::Promise { customer, name } => {
                let date = date_at(0)?;
                let amount = read_amount(self.value(1))
                    .filter(|a| *a > Decimal::ZERO)
                    .ok_or((1, PromptError::BadAmount))?;
                outcome(customer, name, Outcome::Promise { date, amount })
            }
            Purpose::Dispute { customer, name } => outcome(
                customer,
                name,
                Outcome::Dispute {
                    reason: text_at(0)?,
                },
            ),
            Purpose::Plan { customer, name } => outcome(
                customer,
                name,
                Outcome::Plan {
                    detail: text_at(0)?,
                },
            ),
            Purpose::Snooze { customer, name } => {
                outcome(customer, name, Outcome::Snooze { until: date_at(0)? })
            }
            Purpose::Note { customer, name } => {
                outcome(customer, name, Outcome::Note { text: text_at(0)? })
            }
            Purpose::SetLimit { customer } => {
                let raw = self.value(0).trim();
                let limit = if raw.is_empty() {
                    None
                } else {
                    Some(
                        read_amount(raw)
                            .filter(|a| *a >= Decimal::ZERO)
                            .ok_or((0, PromptError::BadAmount))?,
                    )
                };
                Submit::Command(Command::SetLimit {
                    customer: *customer,
                    limit,
                })
            }
            Purpose::SetSegment { customer } => {
                let segment = Segment::parse(self.value(0)).ok_or((0, PromptError::BadSegment))?;
                Submit::Command(Command::SetSegment {
                    customer: *customer,
                    segment,
                })
            }
            Purpose::Assign { transaction } => Submit::Command(Command::Assign {
                transaction: *transaction,
                customer_code: text_at(0)?,
            }),
            Purpose::Filter => Submit::Filter(self.value(0).to_string()),
        })
    }
}

/// A date typed in the user's order (day first in French), or `+N` days from today.
pub fn read_date(raw: &str, today: NaiveDate, lang: Language) -> Option<NaiveDate> {
    let raw = raw.trim();
    if let Some(days) = raw.strip_prefix('+') {
        return today.checked_add_days(Days::new(days.trim().parse().ok()?));
    }
    parse_date(raw, lang == Language::Fr)
}

pub fn read_amount(raw: &str) -> Option<Decimal> {
    let cleaned: String = raw.chars().filter(|c| !matches!(c, '€' | '$')).collect();
    parse_amount(cleaned.trim(), DecimalStyle::Auto)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
    }

    fn typed(p: &mut Prompt, s: &str) {
        for c in s.chars() {
            p.handle(KeyPress::ch(c), today(), Language::Fr);
        }
    }

    #[test]
    fn a_promise_reads_french_dates_and_amounts() {
        let mut p = Prompt::promise(7, "X".into(), dec!(1200), today(), Language::Fr);
        assert_eq!(p.value(0), "22/06/2026");
        assert_eq!(p.value(1), "1200,00");
        p.fields[0].value.clear();
        typed(&mut p, "30/06/2026");
        p.handle(KeyPress::plain(Key::Tab), today(), Language::Fr);
        p.handle(KeyPress::parse("ctrl-u").unwrap(), today(), Language::Fr);
        typed(&mut p, "1 234,50");
        let ev = p.handle(KeyPress::plain(Key::Enter), today(), Language::Fr);
        let PromptEvent::Submitted(Submit::Command(Command::Outcome { outcome, .. })) = ev else {
            panic!("{ev:?}")
        };
        assert_eq!(
            outcome,
            Outcome::Promise {
                date: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
                amount: dec!(1234.50)
            }
        );
    }

    #[test]
    fn bad_fields_are_pointed_at() {
        let mut p = Prompt::promise(7, "X".into(), dec!(10), today(), Language::En);
        p.fields[0].value = "2026-06-01".into();
        assert_eq!(
            p.handle(KeyPress::plain(Key::Enter), today(), Language::En),
            PromptEvent::Editing
        );
        assert_eq!(p.error, Some(PromptError::DateInPast));
        p.fields[0].value = "+3".into();
        p.fields[1].value = "abc".into();
        p.handle(KeyPress::plain(Key::Enter), today(), Language::En);
        assert_eq!((p.focus, p.error), (1, Some(PromptError::BadAmount)));
    }

    #[test]
    fn an_empty_limit_removes_it_and_segments_read_french() {
        let mut p = Prompt::one_text(
            Purpose::SetLimit { customer: 1 },
            FieldLabel::Limit,
            String::new(),
        );
        assert_eq!(
            p.handle(KeyPress::plain(Key::Enter), today(), Language::Fr),
            PromptEvent::Submitted(Submit::Command(Command::SetLimit {
                customer: 1,
                limit: None
            }))
        );
        let mut p = Prompt::one_text(
            Purpose::SetSegment { customer: 1 },
            FieldLabel::Segment,
            "stratégique".into(),
        );
        assert_eq!(
            p.handle(KeyPress::plain(Key::Enter), today(), Language::Fr),
            PromptEvent::Submitted(Submit::Command(Command::SetSegment {
                customer: 1,
                segment: Segment::Strategic
            }))
        );
    }
}
