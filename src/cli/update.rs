//! `claims update ID --set FIELD=VALUE... --reason TEXT`: a clerk's data-integrity correction.
//!
//! Only reported facts can be corrected this way (loss facts, parties, policy number, line
//! facts). Status, money, approvals, triage and assignment each have their own command, whose
//! authority rules a correction must not bypass.

use super::fields::{apply_set, parse_sets};
use super::Globals;
use crate::domain::claim::Note;
use crate::domain::fnol::missing_facts;
use crate::domain::lifecycle::Status;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;
use crate::store::session::{ClaimChange, Committed};

/// Correct reported facts on a claim (one signed commit, with the reason on the claim).
///
/// Fields are paths into the claim file: `loss.date=2026-10-30`, `insured.phone="+1 312 555
/// 0100"`, `auto.vehicles[0].vin=1FMCU14T3JU402061`. An empty value removes the fact.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// FIELD=VALUE; repeat for several fields.
    #[arg(long = "set", value_name = "FIELD=VALUE", required = true)]
    pub set: Vec<String>,
    /// Why the record was wrong (kept on the claim and in the commit).
    #[arg(long)]
    pub reason: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    if args.reason.trim().is_empty() {
        return Err(Error::refused("--reason must say why the record was wrong"));
    }
    let sets = parse_sets(&args.set, "corrected with update")?;
    let id = parse_claim_id(&args.id)?;
    let session = super::open_session(g, Permission::Update, "correct claim records")?;
    let by = session.actor.email.clone();
    let reason = args.reason.trim().to_string();
    let done = session.change_claim(&id, "update", g.dry_run, |claim, now| {
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
            at: now,
            by: by.clone(),
            text: format!("Correction: {}. Reason: {reason}", changes.join("; ")),
        });
        let mut change = ClaimChange::new(format!(
            "update {}: {}",
            claim.id,
            sets.iter()
                .map(|s| s.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        change.body = Some(changes.join("\n"));
        change = change.trailer("Reason", reason.clone());
        for (field, _) in &sets {
            change = change.trailer("Field", field.clone());
        }
        Ok(change)
    })?;
    report(g, &done);
    Ok(0)
}

/// Prints what a change did (or would do, on a dry run).
pub fn report(g: &Globals, done: &Committed) {
    match done.commit {
        Some(oid) => g.say(format!(
            "{} {}",
            &oid.to_string()[..12],
            done.message.lines().next().unwrap_or("")
        )),
        None => {
            let mut out = super::output::Out::new();
            out.line("dry run: nothing was written");
            out.line(&format!("files: {}", done.files.join(", ")));
            out.line("--- diff");
            let before = done.before.as_deref().unwrap_or("");
            let diff = similar::TextDiff::from_lines(before, &done.after);
            out.write_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&done.path, &done.path)
                    .to_string(),
            );
            out.line("--- commit message");
            out.write_str(&done.message);
        }
    }
}
