//! `claims letter deliver`: the delivery record of any letter on a claim — certified mail with
//! its tracking number, email with its Message-ID (what `claims outbox send` records for each
//! message the server accepts), or first-class mail, hand delivery, fax or the portal.

use chrono::NaiveDate;

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim_id::ClaimId;
use crate::domain::delivery::{self, DeliveryMethod, Sent};
use crate::domain::office::Permission;
use crate::error::{Error, Result};

/// `claims letter deliver ID LETTER (--tracking N | --message-id M | --method WAY
/// [--reference R]) [--to WHO] [--on DATE]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Deliver {
    pub id: ClaimId,
    /// The letter's file on the claim (`letters/acknowledgment.txt`).
    pub letter: String,
    /// Who it went to, when not the letter's addressee (a copy to the agent).
    pub to: Option<String>,
    pub tracking: Option<String>,
    pub message_id: Option<String>,
    /// first-class-mail, hand-delivery, fax or portal (certified mail and email are said by
    /// their --tracking or --message-id).
    pub method: Option<String>,
    pub reference: Option<String>,
    pub on: Option<NaiveDate>,
}

impl Deliver {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .positional(&self.letter)
            .opt("to", &self.to)
            .opt("tracking", &self.tracking)
            .opt("message-id", &self.message_id)
            .opt("method", &self.method)
            .opt("reference", &self.reference)
            .opt("on", &self.on);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Deliver, String> {
        Ok(Deliver {
            id: super::claim_id(r)?,
            letter: r.positional("letter file")?,
            to: r.optional("to")?,
            tracking: r.optional("tracking")?,
            message_id: r.optional("message-id")?,
            method: r.optional("method")?,
            reference: r.optional("reference")?,
            on: super::date(r.optional("on")?, "on")?,
        })
    }

    /// How it went, from the flags: exactly one of --tracking, --message-id, --method.
    fn sent(&self) -> Result<Sent> {
        let method = self
            .method
            .as_deref()
            .map(|m| {
                DeliveryMethod::parse(m).ok_or_else(|| {
                    Error::refused(format!(
                        "--method `{m}` is not one of: {}",
                        DeliveryMethod::names()
                    ))
                })
            })
            .transpose()?;
        let sent = match (&self.tracking, &self.message_id, method) {
            (Some(t), None, None | Some(DeliveryMethod::CertifiedMail)) => Sent::CertifiedMail {
                tracking_number: t.clone(),
            },
            (None, Some(m), None | Some(DeliveryMethod::Electronic)) => Sent::Electronic {
                message_id: m.clone(),
            },
            (None, None, Some(DeliveryMethod::CertifiedMail)) => {
                return Err(Error::refused("certified mail: give its --tracking number"))
            }
            (None, None, Some(DeliveryMethod::Electronic)) => {
                return Err(Error::refused("email: give its --message-id"))
            }
            (None, None, Some(method)) => Sent::Other {
                method,
                reference: self.reference.clone(),
            },
            _ => {
                return Err(Error::usage(
                    "give one of --tracking N, --message-id M or --method WAY",
                ))
            }
        };
        if self.reference.is_some() && !matches!(sent, Sent::Other { .. }) {
            return Err(Error::usage(
                "--reference goes with --method first-class-mail|hand-delivery|fax|portal",
            ));
        }
        Ok(sent)
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        desk.require(Permission::Note, "record letter deliveries")?;
        let sent = self.sent()?;
        let claim = desk.claim(&self.id)?;
        let denial_letter = delivery::find_letter(&claim, &self.letter)
            .ok()
            .is_some_and(|l| {
                claim.denial.as_ref().and_then(|d| d.letter.as_ref()) == Some(&l.file)
            });
        if denial_letter {
            desk.require(Permission::RecommendDenial, "record denial deliveries")?;
        }
        desk.edit(&self.id, |claim| {
            let on = self.on.unwrap_or_else(|| desk.today());
            if on > desk.today() {
                return Err(Error::refused(format!("--on {on} is in the future")));
            }
            let file = delivery::find_letter(claim, &self.letter)
                .map_err(Error::refused)?
                .file
                .clone();
            let to = delivery::record(
                claim,
                desk.office.denial.as_ref(),
                &file,
                self.to.as_deref(),
                sent.clone(),
                on,
                &desk.actor.email,
                desk.now,
            )
            .map_err(Error::refused)?;
            let mut edit = Edit::new(format!(
                "letter deliver {}: {file} to the {to} by {}",
                claim.id,
                sent.method().as_str().replace('_', " ")
            ))
            .trailer("Letter", file.clone())
            .trailer("Delivered-To", to.clone())
            .trailer("Method", sent.method().as_str());
            if let Some(r) = sent.reference() {
                edit = edit.trailer("Reference", r.trim());
            }
            if denial_letter && claim.status == crate::domain::lifecycle::Status::Denied {
                edit = edit.trailer("Status", "denied");
                if let Some(until) = claim.denial.as_ref().and_then(|d| d.retention_until) {
                    edit.body = Some(format!("Denied; the file is kept until {until}."));
                }
            }
            Ok(edit)
        })
    }
}
