//! The events SLA clocks start and stop on: an inquiry from the insured and its answer, proof
//! of loss received, an acknowledgment sent outside the tool.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone};

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim::{Claim, Inquiry, Note, Timestamp};
use crate::domain::claim_id::ClaimId;
use crate::error::{Error, Result};

/// `--at`: RFC 3339, or YYYY-MM-DD[ HH:MM[:SS]] in the office time zone (noon for a day).
pub fn parse_at(s: &str, tz: chrono_tz::Tz) -> Result<Timestamp> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(12, 0, 0))
    })
    .ok_or_else(|| {
        Error::usage(format!(
            "--at `{s}` is not a date or time (YYYY-MM-DD, YYYY-MM-DD HH:MM, or RFC 3339)"
        ))
    })?;
    let local = tz
        .from_local_datetime(&naive)
        .earliest()
        .ok_or_else(|| Error::usage(format!("--at `{s}` does not exist in {tz}")))?;
    Ok(local.with_timezone(&local.offset().fix()))
}

/// Resolves `--at` against the desk's clock: neither in the future nor before the claim was
/// received.
pub(crate) fn when(desk: &Desk, at: &Option<String>, claim: &Claim) -> Result<Timestamp> {
    let t = match at {
        Some(s) => parse_at(s, desk.tz)?,
        None => desk.now,
    };
    if t > desk.now {
        return Err(Error::refused(format!(
            "--at {} is in the future (now is {})",
            t.to_rfc3339(),
            desk.now.to_rfc3339()
        )));
    }
    if t < claim.received_at {
        return Err(Error::refused(format!(
            "--at {} is before the claim was received ({})",
            t.to_rfc3339(),
            claim.received_at.to_rfc3339()
        )));
    }
    Ok(t)
}

/// `claims inquiry ID --from WHO --subject WHAT [--at T]`: starts an inquiry clock.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordInquiry {
    pub id: ClaimId,
    pub from: String,
    pub subject: String,
    pub at: Option<String>,
}

impl RecordInquiry {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("from", &self.from)
            .flag("subject", &self.subject)
            .opt("at", &self.at);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<RecordInquiry, String> {
        Ok(RecordInquiry {
            id: super::claim_id(r)?,
            from: r.required("from")?,
            subject: r.required("subject")?,
            at: r.optional("at")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let from = self.from.trim().to_string();
        let subject = self.subject.trim().to_string();
        if from.is_empty() || subject.is_empty() {
            return Err(Error::refused("--from and --subject must not be empty"));
        }
        desk.edit(&self.id, |claim| {
            let t = when(desk, &self.at, claim)?;
            claim.sla.inquiries.push(Inquiry {
                received_at: t,
                from: from.clone(),
                subject: subject.clone(),
                answered_at: None,
            });
            let n = claim.sla.inquiries.len();
            Ok(
                Edit::new(format!("inquiry {}: #{n} from {from}: {subject}", claim.id))
                    .trailer("Clock", format!("inquiry#{n}"))
                    .trailer("At", t.to_rfc3339()),
            )
        })
    }
}

/// `claims answer ID [--inquiry N] [--at T]`: stops an inquiry clock (N, or the oldest open).
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerInquiry {
    pub id: ClaimId,
    pub inquiry: Option<usize>,
    pub at: Option<String>,
}

impl AnswerInquiry {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .opt("inquiry", &self.inquiry)
            .opt("at", &self.at);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<AnswerInquiry, String> {
        Ok(AnswerInquiry {
            id: super::claim_id(r)?,
            inquiry: r
                .optional("inquiry")?
                .map(|n| {
                    n.parse()
                        .map_err(|_| format!("--inquiry `{n}` is not a number"))
                })
                .transpose()?,
            at: r.optional("at")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        desk.edit(&self.id, |claim| {
            let t = when(desk, &self.at, claim)?;
            let count = claim.sla.inquiries.len();
            let n = match self.inquiry {
                Some(n) => {
                    if n == 0 || n > count {
                        return Err(Error::refused(format!(
                            "{} has {count} inquir{}; there is no inquiry {n}",
                            claim.id,
                            if count == 1 { "y" } else { "ies" }
                        )));
                    }
                    n
                }
                None => {
                    claim
                        .sla
                        .inquiries
                        .iter()
                        .position(|q| q.answered_at.is_none())
                        .ok_or_else(|| {
                            Error::refused(format!("{} has no unanswered inquiry", claim.id))
                        })?
                        + 1
                }
            };
            let q = &mut claim.sla.inquiries[n - 1];
            if let Some(prev) = q.answered_at {
                return Err(Error::refused(format!(
                    "inquiry {n} on {} was already answered at {}",
                    claim.id,
                    prev.to_rfc3339()
                )));
            }
            if t < q.received_at {
                return Err(Error::refused(format!(
                    "the answer ({}) would come before inquiry {n} arrived ({})",
                    t.to_rfc3339(),
                    q.received_at.to_rfc3339()
                )));
            }
            q.answered_at = Some(t);
            let subject = q.subject.clone();
            Ok(
                Edit::new(format!("answer {}: inquiry #{n}: {subject}", claim.id))
                    .trailer("Clock", format!("inquiry#{n}"))
                    .trailer("At", t.to_rfc3339()),
            )
        })
    }
}

/// `claims proof-of-loss ID [--at T]`: starts the payment clock where the rule says so.
#[derive(Clone, Debug, PartialEq)]
pub struct ProofOfLoss {
    pub id: ClaimId,
    pub at: Option<String>,
}

impl ProofOfLoss {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).opt("at", &self.at);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<ProofOfLoss, String> {
        Ok(ProofOfLoss {
            id: super::claim_id(r)?,
            at: r.optional("at")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        desk.edit(&self.id, |claim| {
            let t = when(desk, &self.at, claim)?;
            if let Some(prev) = claim.sla.proof_of_loss_at {
                return Err(Error::refused(format!(
                    "{} already has proof of loss received at {}",
                    claim.id,
                    prev.to_rfc3339()
                )));
            }
            claim.sla.proof_of_loss_at = Some(t);
            Ok(Edit::new(format!("proof-of-loss {}: received", claim.id))
                .trailer("Clock", "payment")
                .trailer("At", t.to_rfc3339()))
        })
    }
}

/// `claims acknowledge ID --how HOW [--at T]`: an acknowledgment sent outside the tool stops
/// the acknowledgment clock; the how goes into a note.
#[derive(Clone, Debug, PartialEq)]
pub struct Acknowledge {
    pub id: ClaimId,
    pub how: String,
    pub at: Option<String>,
}

impl Acknowledge {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("how", &self.how)
            .opt("at", &self.at);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Acknowledge, String> {
        Ok(Acknowledge {
            id: super::claim_id(r)?,
            how: r.required("how")?,
            at: r.optional("at")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let how = self.how.trim().to_string();
        if how.is_empty() {
            return Err(Error::refused(
                "--how must say how the acknowledgment was sent",
            ));
        }
        desk.edit(&self.id, |claim| {
            let t = when(desk, &self.at, claim)?;
            if let Some(prev) = claim.sla.acknowledged_at {
                return Err(Error::refused(format!(
                    "{} was already acknowledged at {}",
                    claim.id,
                    prev.to_rfc3339()
                )));
            }
            claim.sla.acknowledged_at = Some(t);
            claim.notes.push(Note {
                at: desk.now,
                by: desk.actor.email.clone(),
                text: format!(
                    "Acknowledgment sent outside the tool at {}: {how}",
                    t.to_rfc3339()
                ),
            });
            Ok(Edit::new(format!("acknowledge {}: {how}", claim.id))
                .trailer("Clock", "acknowledgment")
                .trailer("At", t.to_rfc3339()))
        })
    }
}
