//! Letters and emails from templates. The template language is only `{{name}}`: no
//! conditionals, no loops, no includes, nothing executed. Values are inserted once and never
//! read again as template text, so a customer called "{{total_claim}}" stays that string.
//! Customer text is escaped for where it goes: a single line in the body, or a header that no
//! newline can break out of.

use chrono::NaiveDateTime;
use std::collections::BTreeMap;

pub type Vars = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template {template}, line {line}: unknown variable {{{{{name}}}}}")]
    Unknown {
        template: String,
        name: String,
        line: usize,
    },
    #[error("template {template} does not exist")]
    Missing { template: String },
    #[error("template {template}, line {line}: '{{{{' is not closed by '}}}}'")]
    Unclosed { template: String, line: usize },
    #[error("template {template}, line {line}: '{name}' is not a variable name (a-z, 0-9, _)")]
    BadName {
        template: String,
        name: String,
        line: usize,
    },
}

/// Template texts by language and name, with where each came from (for messages).
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    map: BTreeMap<(&'static str, String), (String, String)>,
}

fn lang_key(lang: crate::locale::Language) -> &'static str {
    match lang {
        crate::locale::Language::Fr => "fr",
        crate::locale::Language::En => "en",
    }
}

impl TemplateSet {
    pub fn insert(
        &mut self,
        lang: crate::locale::Language,
        name: &str,
        origin: impl Into<String>,
        text: impl Into<String>,
    ) {
        self.map.insert(
            (lang_key(lang), name.to_string()),
            (origin.into(), text.into()),
        );
    }

    pub fn get(&self, lang: crate::locale::Language, name: &str) -> Option<&str> {
        self.map
            .get(&(lang_key(lang), name.to_string()))
            .map(|(_, t)| t.as_str())
    }

    pub fn origin(&self, lang: crate::locale::Language, name: &str) -> Option<&str> {
        self.map
            .get(&(lang_key(lang), name.to_string()))
            .map(|(o, _)| o.as_str())
    }

    /// Renders `name` in `lang`; the error names the template file.
    pub fn render(
        &self,
        lang: crate::locale::Language,
        name: &str,
        vars: &Vars,
    ) -> Result<String, TemplateError> {
        let origin = self
            .origin(lang, name)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}/{name}.txt", lang_key(lang)));
        match self.get(lang, name) {
            Some(text) => render(&origin, text, vars),
            None => Err(TemplateError::Missing { template: origin }),
        }
    }
}

/// Replaces every `{{ name }}` by its value. An unknown name is an error, not an empty string:
/// a letter must never go out with a hole in it.
pub fn render(template_name: &str, text: &str, vars: &Vars) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest = text;
    let line_of = |rest: &str| text[..text.len() - rest.len()].matches('\n').count() + 1;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(TemplateError::Unclosed {
                template: template_name.into(),
                line: line_of(&rest[start..]),
            });
        };
        let name = after[..end].trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(TemplateError::BadName {
                template: template_name.into(),
                name: name.chars().take(40).collect(),
                line: line_of(&rest[start..]),
            });
        }
        match vars.get(name) {
            Some(value) => out.push_str(value),
            None => {
                return Err(TemplateError::Unknown {
                    template: template_name.into(),
                    name: name.into(),
                    line: line_of(&rest[start..]),
                });
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_breaking(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// Bidirectional overrides can make a letter read differently from what it says.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Customer text for one line of a letter: line breaks and control characters become
/// spaces, runs of spaces collapse.
pub fn plain_line(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if is_breaking(c) { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of several lines that we wrote ourselves around customer values: keeps `\n`, drops
/// every other control character.
pub fn plain_block(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .filter(|c| *c == '\n' || !is_breaking(*c))
        .collect()
}

/// A header value: one line, and RFC 2047 encoded words when it is not plain ASCII.
pub fn header_value(s: &str) -> String {
    let line = plain_line(s);
    if line.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return line;
    }
    let mut words = Vec::new();
    let mut current = String::new();
    for c in line.chars() {
        let mut encoded = String::new();
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            if b.is_ascii_alphanumeric() || b"!*+-/".contains(&b) {
                encoded.push(b as char);
            } else if b == b' ' {
                encoded.push('_');
            } else {
                encoded.push_str(&format!("={b:02X}"));
            }
        }
        // 75 characters per encoded word, of which 12 are "=?UTF-8?Q?" and "?=".
        if current.len() + encoded.len() > 63 {
            words.push(std::mem::take(&mut current));
        }
        current.push_str(&encoded);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?Q?{w}?="))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// An address we are willing to put in a header: one `local@domain`, nothing else.
pub fn clean_address(s: &str) -> Option<String> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.len() <= 254
        && s.matches('@').count() == 1
        && !s.starts_with('@')
        && !s.ends_with('@')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@.-_+'".contains(c));
    ok.then(|| s.to_string())
}

/// An email template's first line is `Subject: ...`, then a blank line, then the body.
pub fn split_subject(rendered: &str) -> (Option<String>, String) {
    let text = rendered.trim_start_matches('\u{feff}');
    if let Some(rest) = text.strip_prefix("Subject:")
        && let Some((subject, body)) = rest.split_once('\n')
    {
        return (
            Some(subject.trim().to_string()),
            body.trim_start_matches(['\r', '\n']).to_string(),
        );
    }
    (None, text.to_string())
}

pub struct Email<'a> {
    pub from_name: &'a str,
    pub from_address: Option<&'a str>,
    pub to_name: Option<&'a str>,
    pub to_address: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
    pub date: NaiveDateTime,
    /// Unique per message; safe characters only.
    pub message_id: &'a str,
}

fn mailbox(name: Option<&str>, address: Option<&str>) -> Option<String> {
    let address = clean_address(address?)?;
    Some(match name.map(plain_line).filter(|n| !n.is_empty()) {
        Some(n) => format!("{} <{address}>", header_value(&n)),
        None => address,
    })
}

/// A complete RFC 5322 message in UTF-8, CRLF line ends, ready for `sendmail -t` or a mail
/// client's "open". Without a valid recipient there is no `To:` header: the person adds it.
pub fn to_eml(e: &Email) -> String {
    let mut h = Vec::new();
    let from =
        mailbox(Some(e.from_name), e.from_address).unwrap_or_else(|| header_value(e.from_name));
    h.push(format!("From: {from}"));
    if let Some(to) = mailbox(e.to_name, e.to_address) {
        h.push(format!("To: {to}"));
    }
    h.push(format!("Subject: {}", header_value(e.subject)));
    // The runtime's local time, whose offset we do not know here: RFC 5322 says -0000.
    h.push(format!(
        "Date: {}",
        e.date.format("%a, %d %b %Y %H:%M:%S -0000")
    ));
    let id: String = e
        .message_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-._".contains(*c))
        .collect();
    h.push(format!("Message-ID: <{id}@encours.invalid>"));
    h.push("MIME-Version: 1.0".into());
    h.push("Content-Type: text/plain; charset=utf-8".into());
    h.push("Content-Transfer-Encoding: 8bit".into());
    let body = plain_block(e.body).replace('\n', "\r\n");
    format!("{}\r\n\r\n{}\r\n", h.join("\r\n"), body.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn render_substitutes_once_and_never_reads_values_as_templates() {
        let v = vars(&[("name", "{{total}}"), ("total", "1 200,00 €")]);
        let out = render("t", "Dear {{ name }}, you owe {{total}}.", &v).unwrap();
        assert_eq!(out, "Dear {{total}}, you owe 1 200,00 €.");
    }

    #[test]
    fn render_refuses_unknown_unclosed_and_odd_names() {
        let v = vars(&[("a", "1")]);
        let e = render("reminder", "x\n{{b}}", &v).unwrap_err();
        assert_eq!(
            e,
            TemplateError::Unknown {
                template: "reminder".into(),
                name: "b".into(),
                line: 2
            }
        );
        assert!(matches!(
            render("t", "{{a", &v),
            Err(TemplateError::Unclosed { .. })
        ));
        assert!(matches!(
            render("t", "{{ system('rm') }}", &v),
            Err(TemplateError::BadName { .. })
        ));
    }

    #[test]
    fn customer_text_cannot_break_lines_or_headers() {
        assert_eq!(
            plain_line("ACME\r\nBcc: x@evil\u{2028}y"),
            "ACME Bcc: x@evil y"
        );
        assert_eq!(plain_line("a\u{202E}b\tc"), "ab c");
        let eml = to_eml(&Email {
            from_name: "Ma Société SAS",
            from_address: Some("compta@ma-societe.fr"),
            to_name: Some("Jean\r\nBcc: victim@example.com"),
            to_address: Some("jean@client.fr\r\nBcc: victim@example.com"),
            subject: "Relance\nBcc: victim@example.com",
            body: "Bonjour,\nmerci.",
            date: chrono::NaiveDate::from_ymd_opt(2026, 6, 30)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            message_id: "2026-06-30.C1.L1",
        });
        let (head, body) = eml.split_once("\r\n\r\n").unwrap();
        // No header line starts with Bcc, and the bad address was dropped, not mangled.
        assert!(!head.lines().any(|l| l.starts_with("Bcc")), "{head}");
        assert!(!head.contains("To:"), "{head}");
        assert!(head.contains("Subject: Relance Bcc: victim@example.com"));
        assert!(head.contains("From: =?UTF-8?Q?Ma_Soci=C3=A9t=C3=A9_SAS?= <compta@ma-societe.fr>"));
        assert_eq!(body, "Bonjour,\r\nmerci.\r\n");
    }

    #[test]
    fn long_non_ascii_subjects_fold_into_several_encoded_words() {
        let subject = "Relance : factures échues ".repeat(5);
        let v = header_value(&subject);
        for line in v.split("\r\n") {
            assert!(line.trim_start().len() <= 76, "{line}");
        }
        assert!(v.split("\r\n").count() > 1);
    }

    #[test]
    fn subject_line_is_split_from_the_body() {
        let (s, b) = split_subject("Subject: Facture F1\n\nBonjour");
        assert_eq!(s.as_deref(), Some("Facture F1"));
        assert_eq!(b, "Bonjour");
        assert_eq!(split_subject("Bonjour").0, None);
    }
}
