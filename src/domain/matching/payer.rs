//! Who paid: a learned IBAN, a learned name, or the customer's own name, in that order of trust.

use super::names::{loose_key, name_key, name_words};
use super::{CreditLine, PayerDirectory};
use crate::domain::model::CustomerId;
use crate::locale::Language;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    One(CustomerId),
    Many(Vec<CustomerId>),
}

impl Owner {
    fn add(&mut self, customer: CustomerId) {
        match self {
            Owner::One(c) if *c == customer => {}
            Owner::One(c) => *self = Owner::Many(vec![*c, customer]),
            Owner::Many(list) => {
                if !list.contains(&customer) {
                    list.push(customer);
                }
            }
        }
    }
}

fn add(map: &mut HashMap<String, Owner>, key: String, customer: CustomerId) {
    if key.is_empty() {
        return;
    }
    map.entry(key)
        .and_modify(|o| o.add(customer))
        .or_insert(Owner::One(customer));
}

/// How a payer was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    Iban,
    LearnedName,
    OwnName,
    /// The customer's name, one of the two cut short.
    CutName,
    NameInText,
}

/// What is known of a credit's payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Payer {
    /// One customer, and how we know.
    Known(CustomerId, How),
    /// Several customers share the name or the IBAN: a person must choose.
    Ambiguous(Vec<CustomerId>),
    Unknown,
}

impl Payer {
    pub(super) fn customers(&self) -> &[CustomerId] {
        match self {
            Payer::Known(c, _) => std::slice::from_ref(c),
            Payer::Ambiguous(list) => list,
            Payer::Unknown => &[],
        }
    }
}

pub(super) struct PayerIndex {
    by_iban: HashMap<String, Owner>,
    by_alias: HashMap<String, Owner>,
    by_name: HashMap<String, Owner>,
    by_loose: HashMap<String, Owner>,
    names: HashMap<CustomerId, String>,
}

/// A one-word name must be at least this long to be recognised inside free text.
const MIN_SINGLE_WORD: usize = 4;

impl PayerIndex {
    pub(super) fn new(dir: &PayerDirectory) -> PayerIndex {
        let mut index = PayerIndex {
            by_iban: HashMap::new(),
            by_alias: HashMap::new(),
            by_name: HashMap::new(),
            by_loose: HashMap::new(),
            names: HashMap::with_capacity(dir.customers.len()),
        };
        for (id, name) in &dir.customers {
            let key = name_key(name);
            if let Some(loose) = loose_key(&key) {
                add(&mut index.by_loose, loose, *id);
            }
            add(&mut index.by_name, key, *id);
            index.names.insert(*id, name.clone());
        }
        for alias in &dir.aliases {
            if let Some(iban) = alias.iban.as_deref() {
                add(&mut index.by_iban, normalise_iban(iban), alias.customer_id);
            }
            if let Some(key) = alias.name_key.as_deref() {
                add(&mut index.by_alias, key.to_string(), alias.customer_id);
            }
        }
        index
    }

    pub(super) fn name_of(&self, customer: CustomerId) -> &str {
        self.names.get(&customer).map_or("?", String::as_str)
    }

    pub(super) fn resolve(&self, credit: &CreditLine) -> Payer {
        if let Some(iban) = credit.counterparty_iban.as_deref() {
            let iban = normalise_iban(iban);
            match self.by_iban.get(&iban) {
                Some(Owner::One(c)) => return Payer::Known(*c, How::Iban),
                Some(Owner::Many(list)) => return Payer::Ambiguous(list.clone()),
                None => {}
            }
        }
        let name = credit.counterparty_name.as_deref().unwrap_or("");
        let key = name_key(name);
        if !key.is_empty() {
            return self.by_key(&key);
        }
        self.in_text(&credit.remittance)
    }

    fn by_key(&self, key: &str) -> Payer {
        let tries: [(&HashMap<String, Owner>, How); 2] = [
            (&self.by_alias, How::LearnedName),
            (&self.by_name, How::OwnName),
        ];
        for (map, how) in tries {
            match map.get(key) {
                Some(Owner::One(c)) => return Payer::Known(*c, how),
                Some(Owner::Many(list)) => return Payer::Ambiguous(list.clone()),
                None => {}
            }
        }
        if let Some(loose) = loose_key(key) {
            match self.by_loose.get(&loose) {
                Some(Owner::One(c)) => return Payer::Known(*c, How::CutName),
                Some(Owner::Many(list)) => return Payer::Ambiguous(list.clone()),
                None => {}
            }
        }
        Payer::Unknown
    }

    /// The evidence phrase for a payer recognised `how`.
    pub(super) fn describe(
        &self,
        customer: CustomerId,
        how: How,
        credit: &CreditLine,
        lang: Language,
    ) -> String {
        let name = credit.counterparty_name.as_deref().unwrap_or("");
        let whom = self.name_of(customer);
        let iban = credit.counterparty_iban.as_deref().unwrap_or("");
        match (how, lang) {
            (How::Iban, Language::Fr) => format!("IBAN {iban} appris pour {whom}"),
            (How::Iban, Language::En) => format!("IBAN {iban} learned for {whom}"),
            (How::LearnedName, Language::Fr) => format!("payeur '{name}' appris pour {whom}"),
            (How::LearnedName, Language::En) => format!("payer '{name}' learned for {whom}"),
            (How::OwnName, Language::Fr) => format!("le payeur '{name}' est le nom de {whom}"),
            (How::OwnName, Language::En) => format!("payer '{name}' is the name of {whom}"),
            (How::CutName, Language::Fr) => {
                format!("le payeur '{name}' est le nom de {whom} (l'un des deux tronqué)")
            }
            (How::CutName, Language::En) => {
                format!("payer '{name}' is the name of {whom} (one of them cut short)")
            }
            (How::NameInText, Language::Fr) => {
                format!("le nom de {whom} figure dans le libellé bancaire")
            }
            (How::NameInText, Language::En) => format!("the name of {whom} is in the bank text"),
        }
    }

    /// A customer's name written in the free text, when the bank gave no counterparty name
    /// (CFONB and QIF labels such as "VIR ACME SARL FACT 12").
    fn in_text(&self, text: &str) -> Payer {
        let words = name_words(text);
        let mut found: Vec<CustomerId> = Vec::new();
        let mut ambiguous: Vec<CustomerId> = Vec::new();
        let mut joined = String::new();
        for i in 0..words.len() {
            joined.clear();
            for (j, word) in words.iter().enumerate().skip(i).take(4) {
                if j > i {
                    joined.push(' ');
                }
                joined.push_str(word);
                if j == i && word.chars().count() < MIN_SINGLE_WORD {
                    continue;
                }
                let loose = if j > i { loose_key(&joined) } else { None };
                let owner = self
                    .by_alias
                    .get(joined.as_str())
                    .or_else(|| self.by_name.get(joined.as_str()))
                    .or_else(|| loose.and_then(|l| self.by_loose.get(&l)));
                match owner {
                    Some(Owner::One(c)) if !found.contains(c) => found.push(*c),
                    Some(Owner::One(_)) => {}
                    Some(Owner::Many(list)) => ambiguous.extend(list),
                    None => {}
                }
            }
        }
        match (found.len(), ambiguous.is_empty()) {
            (1, true) => Payer::Known(found[0], How::NameInText),
            (0, true) => Payer::Unknown,
            _ => {
                let mut all = found;
                for c in ambiguous {
                    if !all.contains(&c) {
                        all.push(c);
                    }
                }
                Payer::Ambiguous(all)
            }
        }
    }
}

fn normalise_iban(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}
