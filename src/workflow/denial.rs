//! The regulated denial path, one command per step: recommend (adjuster) → review (compliance
//! or counsel, where the office requires it) → approve (a supervisor who did not recommend it)
//! → letter (from the office's template, refused if an element would be missing) → deliver (to
//! the insured and the agent; the claim is denied once both have it).

use chrono::NaiveDate;

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim_id::ClaimId;
use crate::domain::denial::{self, Recommendation, Sent, Trigger};
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::error::{Error, Result};
use crate::letters::LetterError;

/// `claims deny recommend ID --trigger T --provision P... --explanation E`.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommend {
    pub id: ClaimId,
    pub trigger: String,
    pub provisions: Vec<String>,
    pub explanation: String,
    pub paid_against_limit: Option<String>,
}

impl Recommend {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("trigger", &self.trigger)
            .each("provision", &self.provisions)
            .flag("explanation", &self.explanation)
            .opt("paid-against-limit", &self.paid_against_limit);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Recommend, String> {
        Ok(Recommend {
            id: super::claim_id(r)?,
            trigger: r.required("trigger")?,
            provisions: r.all("provision")?,
            explanation: r.required("explanation")?,
            paid_against_limit: r.optional("paid-against-limit")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let trigger = Trigger::parse(self.trigger.trim()).ok_or_else(|| {
            Error::refused(format!(
                "--trigger `{}` is not one of: {}",
                self.trigger,
                Trigger::names()
            ))
        })?;
        let paid: Option<Money> = self
            .paid_against_limit
            .as_deref()
            .map(|s| {
                s.trim()
                    .parse()
                    .map_err(|e| Error::refused(format!("--paid-against-limit `{s}`: {e}")))
            })
            .transpose()?;
        desk.edit(&self.id, |claim| {
            let number = claim.policy_number.clone().ok_or_else(|| {
                Error::refused(format!(
                    "{} has no policy number: a denial must cite the policy",
                    claim.id
                ))
            })?;
            let policy = desk.records.policies().get(&number).ok_or_else(|| {
                Error::refused(format!(
                    "policy {number} is not in policies/: its provisions cannot be cited"
                ))
            })?;
            let r = Recommendation {
                trigger,
                provisions: &self.provisions,
                explanation: &self.explanation,
                paid_against_limit: paid,
            };
            denial::recommend(claim, policy, &r, &desk.actor.email, desk.now)
                .map_err(Error::refused)?;
            let mut edit = Edit::new(format!("deny recommend {}: {}", claim.id, trigger.as_str()))
                .trailer("Trigger", trigger.as_str());
            for p in &self.provisions {
                edit = edit.trailer("Provision", p.clone());
            }
            let reasons = denial::review_reasons(claim, desk.office.denial.as_ref());
            if !reasons.is_empty() {
                edit.body = Some(format!(
                    "Compliance or counsel review required before approval: {}.",
                    reasons.join("; ")
                ));
            }
            Ok(edit)
        })
    }
}

/// `claims deny review ID --note TEXT`.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub id: ClaimId,
    pub note: String,
}

impl Review {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).flag("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Review, String> {
        Ok(Review {
            id: super::claim_id(r)?,
            note: r.required("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        desk.edit(&self.id, |claim| {
            denial::record_review(
                claim,
                &desk.actor.email,
                &desk.actor.role,
                &self.note,
                desk.now,
            )
            .map_err(Error::refused)?;
            Ok(Edit::new(format!("deny review {}", claim.id)))
        })
    }
}

/// `claims deny approve ID [--note TEXT]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApproveDenial {
    pub id: ClaimId,
    pub note: Option<String>,
}

impl ApproveDenial {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<ApproveDenial, String> {
        Ok(ApproveDenial {
            id: super::claim_id(r)?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        approve_denial(desk, &self.id, self.note.as_deref())
    }
}

/// Approves the denial recommended on `id`, as the desk's actor.
pub fn approve_denial(desk: &Desk, id: &ClaimId, note: Option<&str>) -> Result<Change> {
    desk.edit(id, |claim| {
        denial::approve(
            claim,
            desk.office.denial.as_ref(),
            &desk.actor.email,
            &desk.actor.role,
            note,
            desk.now,
        )
        .map_err(Error::refused)?;
        let recommender = claim
            .denial
            .as_ref()
            .map(|d| d.recommended_by.clone())
            .unwrap_or_default();
        Ok(Edit::new(format!("deny approve {}", claim.id)).trailer("Recommended-By", recommender))
    })
}

/// How a denial letter is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    CertifiedMail,
    Electronic,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::CertifiedMail => "certified-mail",
            Method::Electronic => "electronic",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        match s.trim() {
            "certified-mail" => Some(Method::CertifiedMail),
            "electronic" => Some(Method::Electronic),
            _ => None,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Method::CertifiedMail => "Certified mail, return receipt requested",
            Method::Electronic => "Sent electronically",
        }
    }
}

/// `claims deny letter ID --method certified-mail|electronic`.
#[derive(Clone, Debug, PartialEq)]
pub struct Letter {
    pub id: ClaimId,
    pub method: Method,
}

impl Letter {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).flag("method", self.method.as_str());
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Letter, String> {
        let id = super::claim_id(r)?;
        let m = r.required("method")?;
        Ok(Letter {
            id,
            method: Method::parse(&m).ok_or_else(|| format!("--method `{m}` is not known"))?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let templates = desk.records.templates()?;
        let office = desk.office;
        desk.edit(&self.id, |claim| {
            if claim.status != Status::DenialApproved {
                return Err(Error::refused(format!(
                    "{} is {}: the letter is written once the denial is approved",
                    claim.id, claim.status
                )));
            }
            let d = claim.denial.clone().expect("denial_approved has a denial");
            if d.letter.is_some() {
                return Err(Error::refused(format!(
                    "{} already has its denial letter ({})",
                    claim.id,
                    d.letter.unwrap_or_default()
                )));
            }
            let department = denial::department(office, &claim.jurisdiction).ok_or_else(|| {
                Error::refused(format!(
                    "authority.yaml lists no insurance department for {} (denial.departments): \
                     the letter must tell the insured where to complain",
                    claim.jurisdiction
                ))
            })?;
            let adjuster = denial::handling_adjuster(claim, office).ok_or_else(|| {
                Error::refused("no handling adjuster on file to sign the letter".to_string())
            })?;
            let ctx = serde_json::json!({
                "office": office.office,
                "today": desk.now.date_naive().to_string(),
                "recipient": claim.insured,
                "claim": claim,
                "denial": d,
                "provisions": d.provisions,
                "department": department,
                "adjuster": adjuster,
                "delivery_method": self.method.words(),
                "agent": claim.agent,
            });
            let text = templates.render("denial", &ctx).map_err(|e| match e {
                LetterError::Missing { .. } => {
                    Error::refused(format!("{e}: the office needs templates/denial.txt.j2"))
                }
                other => Error::refused(format!("the denial letter cannot be written: {other}")),
            })?;
            let missing = denial::missing_elements(&text, claim, office);
            if !missing.is_empty() {
                return Err(Error::refused(format!(
                    "templates/denial.txt.j2 leaves out required elements: {}",
                    missing.join("; ")
                )));
            }
            let (file, letter) = super::file_letter(
                desk.office.claim_folders(),
                claim,
                "denial",
                "insured",
                desk.now,
                text,
            )?;
            claim.denial.as_mut().expect("checked").letter = Some(file);
            let mut edit = Edit::new(format!("deny letter {}", claim.id));
            edit.files.push(letter);
            Ok(edit)
        })
    }
}

/// `claims deny deliver ID --to insured|agent (--tracking N | --message-id M) [--on DATE]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Deliver {
    pub id: ClaimId,
    pub to: String,
    pub tracking: Option<String>,
    pub message_id: Option<String>,
    pub on: Option<NaiveDate>,
}

impl Deliver {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("to", &self.to)
            .opt("tracking", &self.tracking)
            .opt("message-id", &self.message_id)
            .opt("on", &self.on);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Deliver, String> {
        Ok(Deliver {
            id: super::claim_id(r)?,
            to: r.required("to")?,
            tracking: r.optional("tracking")?,
            message_id: r.optional("message-id")?,
            on: super::date(r.optional("on")?, "on")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let sent = match (&self.tracking, &self.message_id) {
            (Some(t), None) => Sent::CertifiedMail {
                tracking_number: t.clone(),
            },
            (None, Some(m)) => Sent::Electronic {
                message_id: m.clone(),
            },
            _ => return Err(Error::usage("give --tracking or --message-id")),
        };
        let to = self.to.trim().to_ascii_lowercase();
        desk.edit(&self.id, |claim| {
            let on = self.on.unwrap_or_else(|| desk.now.date_naive());
            if on > desk.now.date_naive() {
                return Err(Error::refused(format!("--on {on} is in the future")));
            }
            denial::record_delivery(
                claim,
                desk.office.denial.as_ref(),
                &to,
                sent.clone(),
                on,
                &desk.actor.email,
                desk.now,
            )
            .map_err(Error::refused)?;
            let reference = sent.reference().unwrap_or_default().to_string();
            let mut edit = Edit::new(format!("deny deliver {}: to the {to}", claim.id))
                .trailer("Delivered-To", to.clone())
                .trailer("Reference", reference);
            if let Some(until) = claim.denial.as_ref().and_then(|d| d.retention_until) {
                edit = edit.trailer("Status", "denied");
                edit.body = Some(format!("Denied; the file is kept until {until}."));
            }
            Ok(edit)
        })
    }
}
