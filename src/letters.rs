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
            .text_body(self.body.clone());
        if let Some((name, addr)) = &self.reply_to {
            m = m.reply_to((name.clone(), addr.clone()));
        }
        m.write_to_vec().map_err(|e| {
            crate::error::Error::environment(format!("cannot compose {}: {e}", self.file_name))
        })
    }
}
