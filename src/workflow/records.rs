//! Keeping the record: notes, and a clerk's correction of reported facts.
//!
//! Only reported facts can be corrected (loss facts, parties, policy number, line facts).
//! Status, money, approvals, triage and assignment each have their own command, whose
//! authority rules a correction must not bypass.

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use super::fields::{apply_set, parse_sets};
use crate::domain::claim::Note;
use crate::domain::claim_id::ClaimId;
use crate::domain::fnol::missing_facts;
use crate::domain::lifecycle::Status;
use crate::error::{Error, Result};

/// `claims note ID TEXT`.
#[derive(Clone, Debug, PartialEq)]
pub struct AddNote {
    pub id: ClaimId,
    pub text: String,
}

impl AddNote {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).positional(&self.text);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<AddNote, String> {
        Ok(AddNote {
            id: super::claim_id(r)?,
            text: r.positional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let text = self.text.trim().to_string();
        if text.is_empty() {
            return Err(Error::refused("the note is empty"));
        }
        desk.edit(&self.id, |claim| {
            claim.notes.push(Note {
                at: desk.now,
                by: desk.actor.email.clone(),
                text: text.clone(),
            });
            let first: String = text.lines().next().unwrap_or("").chars().take(60).collect();
            Ok(Edit::new(format!("note {}: {first}", claim.id)))
        })
    }
}

/// `claims update ID --set FIELD=VALUE... --reason TEXT`.
#[derive(Clone, Debug, PartialEq)]
pub struct Correct {
    pub id: ClaimId,
    /// `FIELD=VALUE`, as given.
    pub sets: Vec<String>,
    pub reason: String,
}

impl Correct {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .each("set", &self.sets)
            .flag("reason", &self.reason);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Correct, String> {
        Ok(Correct {
            id: super::claim_id(r)?,
            sets: r.all("set")?,
            reason: r.required("reason")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            return Err(Error::refused("--reason must say why the record was wrong"));
        }
        if self.sets.is_empty() {
            return Err(Error::refused("say what to correct with --set FIELD=VALUE"));
        }
        let sets = parse_sets(&self.sets, "corrected with update")?;
        desk.edit(&self.id, |claim| {
            let mut changes = Vec::new();
            for (field, value) in &sets {
                let old = apply_set(claim, field, value)?;
                changes.push(format!(
                    "{field}: {old} -> {}",
                    if value.is_empty() { "(removed)" } else { value }
                ));
            }
            if claim.status == Status::Incomplete {
                claim.missing = missing_facts(claim);
            }
            claim.notes.push(Note {
                at: desk.now,
                by: desk.actor.email.clone(),
                text: format!("Correction: {}. Reason: {reason}", changes.join("; ")),
            });
            let mut edit = Edit::new(format!(
                "update {}: {}",
                claim.id,
                sets.iter()
                    .map(|s| s.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            edit.body = Some(changes.join("\n"));
            edit = edit.trailer("Reason", reason.clone());
            for (field, _) in &sets {
                edit = edit.trailer("Field", field.clone());
            }
            Ok(edit)
        })
    }
}
