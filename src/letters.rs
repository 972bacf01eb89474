//! Letters and notices generated from the office's templates (`templates/NAME.txt.j2`,
//! minijinja syntax, hand-edited by the office).
//!
//! Rendering is strict, because a letter to an insured with a blank where the insurance
//! department's phone number should be is a compliance failure, not a cosmetic one:
//! - a variable the template prints but the context lacks is refused (undefined);
//! - a printed value that is empty or null is refused — an element the letter needs would be
//!   blank. Optional parts belong inside `{% if x %}` blocks, which may test missing values.
//!
//! No I/O here: the store reads the template sources, the commands write the results.

use std::collections::BTreeMap;

use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};

use crate::domain::claim::{Claim, Letter, Party, Timestamp};

/// The office's templates, parsed once.
pub struct LetterTemplates {
    env: Environment<'static>,
    sources: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LetterError {
    #[error("templates/{template}.txt.j2 does not exist")]
    Missing { template: String },
    #[error("templates/{template}.txt.j2 line {line}: {message}")]
    Template {
        template: String,
        line: usize,
        message: String,
    },
}

impl LetterTemplates {
    /// Templates by name (`denial`, not `denial.txt.j2`) with their source text. A syntax
    /// error in any of them is reported here, naming the file and line.
    pub fn new(sources: impl IntoIterator<Item = (String, String)>) -> Result<Self, LetterError> {
        let sources: BTreeMap<String, String> = sources.into_iter().collect();
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_keep_trailing_newline(true);
        env.set_formatter(refuse_empty);
        env.add_filter("dollars", dollars);
        for (name, source) in &sources {
            env.add_template_owned(name.clone(), source.clone())
                .map_err(|e| template_error(name, &e))?;
        }
        Ok(LetterTemplates { env, sources })
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// Renders `name` with `context` (any serializable value: usually a `serde_json::json!`).
    pub fn render(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<String, LetterError> {
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|_| LetterError::Missing {
                template: name.to_string(),
            })?;
        let text = tmpl
            .render(Value::from_serialize(context))
            .map_err(|e| template_error(name, &e))?;
        Ok(tidy(&text))
    }
}

/// The `dollars` filter: an amount as a letter writes it (`{{ amount | dollars }}` gives
/// `9,787.88`); anything that is not an amount is refused, naming it.
fn dollars(value: String) -> Result<String, minijinja::Error> {
    value
        .parse::<crate::domain::money::Money>()
        .map(|m| m.grouped())
        .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, e.to_string()))
}

/// The claim-relative file a new letter from `template` goes to: `letters/NAME.txt`, or
/// `letters/NAME-2.txt` (and so on) when the claim already has one by that name.
pub fn letter_file(existing: &[Letter], template: &str) -> String {
    let taken = |f: &str| existing.iter().any(|l| l.file == f);
    let first = format!("letters/{template}.txt");
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|n| format!("letters/{template}-{n}.txt"))
        .find(|f| !taken(f))
        .expect("an unbounded range always has a free name")
}

/// The record of a generated letter, for the claim's `letters` list.
pub fn letter_record(existing: &[Letter], template: &str, to: &str, at: Timestamp) -> Letter {
    Letter {
        template: template.to_string(),
        file: letter_file(existing, template),
        to: to.to_string(),
        at,
        delivery: Vec::new(),
    }
}

/// The insured's name as a letter prints it ("our insured" when the record has none).
pub fn insured_name(claim: &Claim) -> String {
    claim
        .insured
        .as_ref()
        .and_then(|p| p.name.clone())
        .unwrap_or_else(|| "our insured".into())
}

/// The subject of a status update: "Status of claim ID for INSURED" to the agent, "Status of
/// your claim ID" to anyone else.
pub fn status_subject(claim: &Claim, to_agent: bool) -> String {
    if to_agent {
        let client = claim
            .insured
            .as_ref()
            .and_then(|p| p.name.clone())
            .unwrap_or_else(|| "your client".into());
        format!("Status of claim {} for {client}", claim.id)
    } else {
        format!("Status of claim {}", claim.id)
    }
}

/// Who a letter about the claim goes to: the insured, else the reporter.
pub fn addressee(claim: &Claim) -> Option<&Party> {
    claim
        .insured
        .as_ref()
        .filter(|p| p.name.is_some())
        .or(claim.reporter.as_ref())
}

/// The `recipient` of a letter template: the name, and the postal address where known, else
/// the email, else the phone.
pub fn recipient_of(p: &Party) -> serde_json::Value {
    let reach = p
        .address
        .clone()
        .or_else(|| p.email.clone())
        .or_else(|| p.phone.clone());
    serde_json::json!({ "name": p.name, "address": reach })
}

fn refuse_empty(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let blank = value.is_none() || (value.as_str().is_some_and(|s| s.trim().is_empty()));
    if blank {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "a value this letter prints is empty; every element of the letter must be filled in",
        ));
    }
    minijinja::escape_formatter(out, state, value)
}

fn template_error(name: &str, e: &minijinja::Error) -> LetterError {
    let message = match e.kind() {
        ErrorKind::UndefinedError => {
            "a value this letter prints is missing; every element of the letter must be filled in"
                .to_string()
        }
        _ => e
            .detail()
            .map(str::to_string)
            .unwrap_or_else(|| e.to_string()),
    };
    LetterError::Template {
        template: name.to_string(),
        line: e.line().unwrap_or(0),
        message,
    }
}

/// Trims trailing spaces on each line and ends the letter with exactly one newline.
fn tidy(text: &str) -> String {
    let mut out: String = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn templates(src: &str) -> LetterTemplates {
        LetterTemplates::new([("t".to_string(), src.to_string())]).unwrap()
    }

    #[test]
    fn renders_values_and_optional_blocks() {
        let t = templates("Dear {{ name }}:\n{% if cc %}cc: {{ cc }}\n{% endif %}Bye   \n\n\n");
        assert_eq!(
            t.render("t", &json!({"name": "Ana"})).unwrap(),
            "Dear Ana:\nBye\n"
        );
        assert_eq!(
            t.render("t", &json!({"name": "Ana", "cc": "Bo"})).unwrap(),
            "Dear Ana:\ncc: Bo\nBye\n"
        );
    }

    #[test]
    fn a_missing_value_is_refused_with_its_line() {
        let t = templates("Hello\n{{ department.phone }}\n");
        let err = t.render("t", &json!({"department": {}})).unwrap_err();
        match err {
            LetterError::Template { line, message, .. } => {
                assert_eq!(line, 2);
                assert!(message.contains("missing"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(t.render("t", &json!({})).is_err());
    }

    #[test]
    fn an_empty_or_null_value_is_refused() {
        let t = templates("a\nb\n{{ x }}\n");
        for bad in [json!({"x": ""}), json!({"x": "  "}), json!({"x": null})] {
            let err = t.render("t", &bad).unwrap_err();
            assert!(
                matches!(err, LetterError::Template { line: 3, .. }),
                "{bad}: {err:?}"
            );
        }
        assert_eq!(t.render("t", &json!({"x": 0})).unwrap(), "a\nb\n0\n");
    }

    #[test]
    fn syntax_errors_and_unknown_templates_are_named() {
        let err = LetterTemplates::new([("bad".to_string(), "x\n{% if %}".to_string())])
            .err()
            .unwrap();
        assert!(
            matches!(err, LetterError::Template { ref template, line: 2, .. } if template == "bad")
        );
        assert_eq!(
            templates("x")
                .render("nope", &json!({}))
                .unwrap_err()
                .to_string(),
            "templates/nope.txt.j2 does not exist"
        );
    }

    #[test]
    fn letter_files_do_not_overwrite_earlier_letters() {
        let at: Timestamp = "2026-11-20T10:00:00-06:00".parse().unwrap();
        let mut letters = vec![];
        for want in [
            "letters/status_update.txt",
            "letters/status_update-2.txt",
            "letters/status_update-3.txt",
        ] {
            let l = letter_record(&letters, "status_update", "agent", at);
            assert_eq!(l.file, want);
            letters.push(l);
        }
    }

    #[test]
    fn the_sample_office_templates_parse() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let sources = std::fs::read_dir(dir).unwrap().map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap();
            let name = name.trim_end_matches(".txt.j2").to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        });
        let t = LetterTemplates::new(sources).unwrap();
        assert!(t.has("denial") && t.has("reservation_of_rights"));
    }
}

/// One notice to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Email {
    /// `CLAIM-ID-LETTER.eml`, unique because letter files are unique per claim.
    pub file_name: String,
    pub claim_id: String,
    pub to_name: String,
    pub to_email: String,
    /// Where replies should go (the adjuster), if not the office.
    pub reply_to: Option<(String, String)>,
    pub subject: String,
    pub body: String,
    pub at: Timestamp,
}

impl Email {
    /// The message that carries the letter `letter_file` (claim-relative) of a claim.
    pub fn of_letter(
        claim_id: &str,
        letter_file: &str,
        (to_name, to_email): (String, String),
        reply_to: Option<(String, String)>,
        subject: String,
        body: String,
        at: Timestamp,
    ) -> Email {
        Email {
            file_name: Email::file_name_for(claim_id, letter_file),
            claim_id: claim_id.to_string(),
            to_name,
            to_email,
            reply_to,
            subject,
            body,
            at,
        }
    }

    /// The outbox file name for the letter `letters/NAME.txt` of a claim.
    pub fn file_name_for(claim_id: &str, letter_file: &str) -> String {
        let stem = std::path::Path::new(letter_file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("notice");
        format!("{claim_id}-{stem}.eml")
    }

    /// The claim's letter this message carries (`letters/NAME.txt`): the file name's stem
    /// after the claim id, the reverse of [`Email::file_name_for`].
    pub fn letter_file(&self) -> String {
        letter_file_of(&self.claim_id, &self.file_name)
    }

    /// The message, from the office's address.
    pub fn to_bytes(
        &self,
        office: &crate::domain::office::OfficeInfo,
    ) -> crate::error::Result<Vec<u8>> {
        let from_addr = office
            .email
            .clone()
            .unwrap_or_else(|| "claims@localhost".into());
        let domain = from_addr
            .rsplit_once('@')
            .map(|(_, d)| d.to_string())
            .unwrap_or_else(|| "localhost".into());
        let stem = self.file_name.trim_end_matches(".eml");
        let mut m = mail_builder::MessageBuilder::new()
            .from((office.name.clone(), from_addr))
            .to((self.to_name.clone(), self.to_email.clone()))
            .subject(self.subject.clone())
            .date(self.at.timestamp())
            .message_id(format!("{stem}.{}@{domain}", self.at.timestamp()))
            .header(
                "X-Claim-Id",
                mail_builder::headers::raw::Raw::new(self.claim_id.clone()),
            )
            .header(
                "X-Claim-Letter",
                mail_builder::headers::raw::Raw::new(self.letter_file()),
            )
            .text_body(self.body.clone());
        if let Some((name, addr)) = &self.reply_to {
            m = m.reply_to((name.clone(), addr.clone()));
        }
        m.write_to_vec().map_err(|e| {
            crate::error::Error::environment(format!("cannot compose {}: {e}", self.file_name))
        })
    }
}

/// The letter file (`letters/NAME.txt`) of the outbox file `CLAIM-ID-NAME.eml` of a claim:
/// the reverse of [`Email::file_name_for`], for messages queued before they named their
/// letter in an `X-Claim-Letter` header.
pub fn letter_file_of(claim_id: &str, file_name: &str) -> String {
    let stem = file_name.strip_suffix(".eml").unwrap_or(file_name);
    let stem = stem
        .strip_prefix(claim_id)
        .and_then(|s| s.strip_prefix('-'))
        .unwrap_or(stem);
    format!("letters/{stem}.txt")
}

/// A queued message as the mail server is given it: the addresses of its envelope, and what
/// its headers say it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub claim_id: String,
    /// The letter on the claim (`letters/acknowledgment.txt`).
    pub letter: String,
    /// `<id@domain>`, as it is recorded on the letter.
    pub message_id: String,
    pub from: String,
    /// To, Cc and Bcc.
    pub recipients: Vec<String>,
    pub subject: String,
}

impl Outgoing {
    /// Reads the headers of the outbox file `file_name`; refused, naming the header, when the
    /// message cannot be sent and recorded as it is.
    pub fn read(file_name: &str, bytes: &[u8]) -> Result<Outgoing, String> {
        let msg = mail_parser::MessageParser::default()
            .parse_headers(bytes)
            .ok_or("it is not an email message")?;
        let text = |name: &str| {
            msg.header(name)
                .and_then(|h| h.as_text())
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let claim_id = text("X-Claim-Id").ok_or("it has no X-Claim-Id header naming its claim")?;
        let letter = text("X-Claim-Letter").unwrap_or_else(|| letter_file_of(&claim_id, file_name));
        let message_id = msg
            .message_id()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(|m| format!("<{m}>"))
            .ok_or("it has no Message-ID header, so its delivery could not be recorded")?;
        let addresses = |a: Option<&mail_parser::Address>| -> Vec<String> {
            a.map(|a| {
                a.iter()
                    .filter_map(|x| x.address().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
        };
        let from = addresses(msg.from())
            .into_iter()
            .next()
            .ok_or("it has no From address")?;
        let mut recipients = addresses(msg.to());
        recipients.extend(addresses(msg.cc()));
        recipients.extend(addresses(msg.bcc()));
        if recipients.is_empty() {
            return Err("it has no recipient (To, Cc or Bcc)".into());
        }
        Ok(Outgoing {
            claim_id,
            letter,
            message_id,
            from,
            recipients,
            subject: msg.subject().unwrap_or_default().to_string(),
        })
    }
}

#[cfg(test)]
mod outgoing_tests {
    use super::*;

    #[test]
    fn a_queued_message_names_its_claim_letter_and_message_id() {
        let office = crate::domain::office::OfficeInfo {
            name: "Harbor Point Claims Services".into(),
            timezone: "America/Chicago".into(),
            claim_id_prefix: "CLM".into(),
            address: None,
            phone: None,
            email: Some("claims@harborpoint.example".into()),
            currency: "USD".into(),
            claim_folders: Default::default(),
        };
        let e = Email {
            file_name: Email::file_name_for("CLM-2611-7K3F-QM2X", "letters/status_update-2.txt"),
            claim_id: "CLM-2611-7K3F-QM2X".into(),
            to_name: "Ana Agent".into(),
            to_email: "ana@agency.example".into(),
            reply_to: None,
            subject: "Status of claim CLM-2611-7K3F-QM2X".into(),
            body: "Hello\n".into(),
            at: "2026-11-20T10:00:00-06:00".parse().unwrap(),
        };
        assert_eq!(e.letter_file(), "letters/status_update-2.txt");
        let bytes = e.to_bytes(&office).unwrap();
        let o = Outgoing::read(&e.file_name, &bytes).unwrap();
        assert_eq!(o.claim_id, "CLM-2611-7K3F-QM2X");
        assert_eq!(o.letter, "letters/status_update-2.txt");
        assert!(
            o.message_id
                .starts_with("<CLM-2611-7K3F-QM2X-status_update-2.")
                && o.message_id.ends_with("@harborpoint.example>"),
            "{}",
            o.message_id
        );
        assert_eq!(o.from, "claims@harborpoint.example");
        assert_eq!(o.recipients, vec!["ana@agency.example".to_string()]);
        assert_eq!(o.subject, "Status of claim CLM-2611-7K3F-QM2X");

        // Without the letter header (queued by an older version): read from the file name.
        let text = String::from_utf8(bytes).unwrap();
        let old: String = text
            .lines()
            .filter(|l| !l.starts_with("X-Claim-Letter"))
            .map(|l| format!("{l}\r\n"))
            .collect();
        let o = Outgoing::read(&e.file_name, old.as_bytes()).unwrap();
        assert_eq!(o.letter, "letters/status_update-2.txt");

        let no_claim = text.replace("X-Claim-Id", "X-Other");
        let err = Outgoing::read(&e.file_name, no_claim.as_bytes()).unwrap_err();
        assert!(err.contains("X-Claim-Id"), "{err}");
    }
}
