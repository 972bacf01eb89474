//! Quality control: `claims review ID --pass | --fail CODE... [--note TEXT] [--sample SPEC]`.
//!
//! A reviewer records whether the claim file passed; a failure names what was wrong by code
//! (`QC-LATE-CONTACT`, validated by [`crate::domain::qc::validate_code`]) and says why. The
//! review goes on the claim (`reviews`) and in its history, whatever the claim's status: most
//! QC is of closed files. Nobody reviews a file they handle.

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim::{QcResult, QcReview};
use crate::domain::claim_id::ClaimId;
use crate::domain::qc::{spec_seed, validate_code};
use crate::error::{Error, Result};

/// `claims review ID`.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub id: ClaimId,
    /// The fail codes; none: the file passed.
    pub fail: Vec<String>,
    pub note: Option<String>,
    /// The sample the file was drawn in (`seed=42 size=10 status=closed`).
    pub sample: Option<String>,
}

impl Review {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .switch("pass", self.fail.is_empty())
            .each("fail", &self.fail)
            .opt("note", &self.note)
            .opt("sample", &self.sample);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Review, String> {
        let id = super::claim_id(r)?;
        let pass = r.switch("pass")?;
        let fail = r.all("fail")?;
        if pass != fail.is_empty() {
            return Err("give --pass or --fail CODE (not both)".into());
        }
        Ok(Review {
            id,
            fail,
            note: r.optional("note")?,
            sample: r.optional("sample")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let mut codes: Vec<String> = Vec::new();
        for code in &self.fail {
            validate_code(code).map_err(Error::refused)?;
            if codes.contains(code) {
                return Err(Error::refused(format!("--fail {code} is given twice")));
            }
            codes.push(code.clone());
        }
        let note = super::given(&self.note);
        if !codes.is_empty() && note.is_none() {
            return Err(Error::refused(
                "a failed review says what was wrong: give --note TEXT",
            ));
        }
        let sample = super::given(&self.sample);
        if let Some(s) = &sample {
            if spec_seed(s).is_none() {
                return Err(Error::refused(format!(
                    "--sample `{s}` names no seed: give it as `claims sample` prints it (seed=N ...)"
                )));
            }
        }
        desk.edit(&self.id, |claim| {
            let me = &desk.actor.email;
            if let Some(h) = claim.handled_by().filter(|h| h.eq_ignore_ascii_case(me)) {
                return Err(Error::refused(format!(
                    "{h} handles {}: a file is reviewed by someone who does not handle it",
                    claim.id
                ))
                .hint("ask a supervisor, manager or compliance officer who is not on the claim"));
            }
            let result = if codes.is_empty() {
                QcResult::Pass
            } else {
                QcResult::Fail
            };
            claim.reviews.push(QcReview {
                at: desk.now,
                by: me.clone(),
                result,
                codes: codes.clone(),
                note: note.clone(),
                sample: sample.clone(),
            });
            let status = claim.status;
            let (event, subject) = match result {
                QcResult::Pass => ("qc_review_pass", format!("review {}: pass", claim.id)),
                QcResult::Fail => (
                    "qc_review_fail",
                    format!("review {}: fail {}", claim.id, codes.join(", ")),
                ),
            };
            claim.record_event(desk.now, me, event, status);
            let mut edit = Edit::new(subject).trailer("Review", super::plain(&result));
            for c in &codes {
                edit = edit.trailer("Fail-Code", c.clone());
            }
            if let Some(s) = &sample {
                edit = edit.trailer("Sample", s.clone());
            }
            Ok(edit)
        })
    }
}
