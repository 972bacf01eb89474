//! Status updates: `claims status-update ID --to insured|agent|claimant [--note TEXT]`.
//!
//! A letter from the office's `status_update` template — the status, what happened since the
//! last update to the same person, what comes next, the documents still needed with their due
//! dates, the adjuster's contact — filed on the claim, queued as email where the addressee has
//! one, and recorded as an event. A letter to the person the written status is owed to (the
//! insured, or the claimant on third-party and workers' compensation claims) also ends the
//! period of the periodic `status_letter` clock (CA 10 CCR 2695.7(c)(1) and the office's own);
//! a courtesy copy to the agent does not, since the regulation asks that the claimant be told.
//!
//! A represented claimant is written to through their attorney, never directly.

use serde_json::json;

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim::{Claim, LineOfBusiness, Party};
use crate::domain::claim_id::ClaimId;
use crate::domain::lifecycle::Status;
use crate::domain::progress;
use crate::domain::sla::{self, SlaContext};
use crate::error::{Error, Result};
use crate::letters::{insured_name, status_subject, Email};

/// Who a status update goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Insured,
    Agent,
    Claimant,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Insured => "insured",
            Audience::Agent => "agent",
            Audience::Claimant => "claimant",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "insured" => Some(Audience::Insured),
            "agent" => Some(Audience::Agent),
            "claimant" => Some(Audience::Claimant),
            _ => None,
        }
    }
}

/// `claims status-update ID --to insured|agent|claimant [--note TEXT]`.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusUpdate {
    pub id: ClaimId,
    pub to: Audience,
    pub note: Option<String>,
}

impl StatusUpdate {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("to", self.to.as_str())
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<StatusUpdate, String> {
        let id = super::claim_id(r)?;
        let to = r.required("to")?;
        Ok(StatusUpdate {
            id,
            to: Audience::parse(&to)
                .ok_or_else(|| format!("--to `{to}` is not insured, agent or claimant"))?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let templates = desk.records.templates()?;
        let note = super::given(&self.note);
        desk.edit(&self.id, |claim| {
            if claim.status == Status::Merged {
                return Err(Error::refused(format!(
                    "{} was merged into {}: write to the claim it was merged into",
                    claim.id,
                    claim.merged_into.as_deref().unwrap_or("another claim")
                )));
            }
            let (recipient, via) = addressee(claim, self.to)?;
            let name = recipient.name.clone().unwrap_or_default();
            let to = self.to.as_str();
            let last = claim
                .letters
                .iter()
                .filter(|l| l.template == "status_update" && l.to == to)
                .map(|l| l.at)
                .max();
            let clocks = sla::clocks(claim, &sla_context(desk), desk.today());
            // The other side of a liability claim is told where the claim stands, not what
            // the insured's file holds.
            let third_party = self.to == Audience::Claimant && claim.liability.is_some();
            let adjuster = contact(claim, desk);
            let ctx = json!({
                "office": desk.office.office,
                "today": desk.today().to_string(),
                "recipient": {
                    "name": name,
                    "organization": recipient.organization.clone().filter(|o| Some(o) != recipient.name.as_ref()),
                    "address": recipient.address.clone().or_else(|| recipient.email.clone()),
                },
                "to_agent": self.to == Audience::Agent,
                "insured_name": insured_name(claim),
                "claim": claim,
                "status": progress::status_words(claim),
                "since": last.map(|t| t.with_timezone(&desk.tz).date_naive().to_string()),
                "happened": progress::since(claim, last, desk.tz, !third_party),
                "next_steps": progress::next_steps(claim, &clocks),
                "documents": if third_party { vec![] } else { progress::documents_needed(claim) },
                "note": note,
                "adjuster": adjuster,
            });
            let text = templates.render("status_update", &ctx).map_err(|e| {
                Error::refused(format!(
                    "{}: the status update cannot be written: {e}",
                    claim.id
                ))
            })?;
            let (file, letter) = super::file_letter(desk.office.claim_folders(), claim, "status_update", to, desk.now, text.clone())?;
            let mut edit = Edit::new(format!("status-update {}: to the {to}{via}", claim.id));
            if let Some(email) = recipient.email.filter(|e| !e.trim().is_empty()) {
                let reply_to = match (adjuster["name"].as_str(), adjuster["email"].as_str()) {
                    (Some(n), Some(e)) => Some((n.to_string(), e.to_string())),
                    _ => None,
                };
                edit.mail.push(Email::of_letter(
                    &claim.id,
                    &file,
                    (name, email),
                    reply_to,
                    status_subject(claim, self.to == Audience::Agent),
                    text,
                    desk.now,
                ));
            }
            if self.to == clock_addressee(claim) {
                claim.sla.status_letters.push(desk.now);
            }
            let status = claim.status;
            claim.record_event(
                desk.now,
                &desk.actor.email,
                &format!("status_update_{to}"),
                status,
            );
            edit.files.push(letter);
            Ok(edit)
        })
    }
}

/// Who the periodic written status is owed to, so whose letters end the `status_letter`
/// clock's period: the claimant on third-party (liability) and workers' compensation claims,
/// the insured on first-party ones. A courtesy copy to the agent never does.
pub fn clock_addressee(c: &Claim) -> Audience {
    match c.lob {
        LineOfBusiness::WorkersComp => Audience::Claimant,
        _ if c.liability.as_ref().is_some_and(|l| l.claimant.is_some()) => Audience::Claimant,
        _ => Audience::Insured,
    }
}

/// The SLA arithmetic's view of the desk's office.
pub fn sla_context<'d>(desk: &'d Desk) -> SlaContext<'d> {
    SlaContext::of(desk.office, desk.calendar, desk.tz)
}

/// Who the letter is addressed to, and a note on the way it goes (" (through counsel)").
fn addressee(claim: &Claim, to: Audience) -> Result<(Party, &'static str)> {
    let named = |p: Option<&Party>| p.filter(|p| p.name.is_some()).cloned();
    let missing = |what: &str| {
        Error::refused(format!(
            "{} has no {what} with a name on file: add one with `claims update`",
            claim.id
        ))
    };
    match to {
        Audience::Insured => named(claim.insured.as_ref())
            .map(|p| (p, ""))
            .ok_or_else(|| missing("insured")),
        Audience::Agent => named(claim.agent.as_ref())
            .map(|p| (p, ""))
            .ok_or_else(|| missing("agent")),
        Audience::Claimant => {
            if let Some(l) = &claim.liability {
                if l.represented == Some(true) {
                    // A represented party is contacted through counsel only.
                    return named(l.attorney.as_ref())
                        .map(|p| (p, " (through counsel)"))
                        .ok_or_else(|| {
                            Error::refused(format!(
                                "{}: the claimant is represented, and no attorney with a name is on file \
                                 (liability.attorney); a represented claimant is written to through counsel only",
                                claim.id
                            ))
                        });
                }
                if let Some(c) = named(l.claimant.as_ref()) {
                    return Ok((c, ""));
                }
            }
            if let Some(e) = claim
                .workers_comp
                .as_ref()
                .and_then(|w| w.employee.as_ref())
            {
                if let Some(r) = named(e.representative.as_ref()) {
                    return Ok((r, " (through their representative)"));
                }
                if e.name.is_some() {
                    return Ok((
                        Party {
                            name: e.name.clone(),
                            organization: None,
                            relationship: Some("injured employee".into()),
                            phone: None,
                            email: None,
                            address: e.address.clone(),
                        },
                        "",
                    ));
                }
            }
            Err(missing("claimant"))
        }
    }
}

/// Who the addressee should call: the handling adjuster, else the office itself.
fn contact(claim: &Claim, desk: &Desk) -> serde_json::Value {
    match crate::domain::denial::handling_adjuster(claim, desk.office) {
        Some(p) => json!({ "name": p.name, "phone": p.phone, "email": p.email }),
        None => {
            let o = &desk.office.office;
            json!({ "name": o.name, "phone": o.phone, "email": o.email })
        }
    }
}
