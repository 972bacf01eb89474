//! The coverage decision in the insured's favour: `claims accept` records that coverage is
//! accepted. It stops the coverage-decision clock and, where the state's rule counts payment
//! from acceptance (Texas, California), starts the payment clock. (The decision against is the
//! denial path, `claims deny`.)

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use super::sla_events::when;
use crate::domain::claim::{CoverageOutcome, Note};
use crate::domain::claim_id::ClaimId;
use crate::domain::office::Permission;
use crate::error::{Error, Result};

/// `claims accept ID [--at T] [--note TEXT]`.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptCoverage {
    pub id: ClaimId,
    pub at: Option<String>,
    pub note: Option<String>,
}

impl AcceptCoverage {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .opt("at", &self.at)
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<AcceptCoverage, String> {
        Ok(AcceptCoverage {
            id: super::claim_id(r)?,
            at: r.optional("at")?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let note = super::given(&self.note);
        let claim = desk.claim(&self.id)?;
        let questioned = claim.triage.as_ref().map(|t| t.coverage);
        // The seed: a claim triaged as potentially not covered goes to a senior adjuster or
        // coverage counsel before it is accepted.
        if questioned == Some(CoverageOutcome::PotentiallyNone) {
            desk.require(
                Permission::Approve,
                "accept coverage on a claim triaged as potentially not covered (the seed sends it to a senior adjuster or coverage counsel first)",
            )?;
        }
        desk.edit(&self.id, |claim| {
            if !claim.status.is_with_adjuster() {
                return Err(Error::refused(format!(
                    "{} is {}: coverage is accepted on a claim an adjuster is handling",
                    claim.id, claim.status
                )));
            }
            let t = when(desk, &self.at, claim)?;
            if let Some(prev) = claim.sla.coverage_accepted_at {
                return Err(Error::refused(format!(
                    "{}: coverage was already accepted at {}",
                    claim.id,
                    prev.to_rfc3339()
                )));
            }
            if let Some(o @ (CoverageOutcome::InQuestion | CoverageOutcome::PotentiallyNone)) =
                questioned
            {
                if note.is_none() {
                    return Err(Error::refused(format!(
                        "{}: coverage was {} at triage: --note must say how the question was resolved",
                        claim.id,
                        super::plain(&o)
                    )));
                }
            }
            claim.sla.coverage_accepted_at = Some(t);
            // A claim decided before (a denial since reversed) keeps its first decision date.
            if claim.sla.coverage_decided_at.is_none() {
                claim.sla.coverage_decided_at = Some(t);
            }
            if let Some(n) = &note {
                claim.notes.push(Note {
                    at: desk.now,
                    by: desk.actor.email.clone(),
                    text: format!("Coverage accepted: {n}"),
                });
            }
            Ok(Edit::new(format!("accept {}: coverage accepted", claim.id))
                .trailer("Clock", "coverage_decision")
                .trailer("At", t.to_rfc3339()))
        })
    }
}
