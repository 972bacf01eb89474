//! `claims complete ID --set FIELD=VALUE...`: fill the missing facts of an incomplete intake;
//! when nothing is missing any more the claim moves to `reported` (event `completed`).

use super::fields::{apply_set, parse_sets};
use super::Globals;
use crate::domain::claim::Note;
use crate::domain::fnol::missing_facts;
use crate::domain::lifecycle::Status;
use crate::domain::office::Permission;
use crate::domain::vin::Vin;
use crate::error::{Error, Result};
use crate::intake::admit::parse_hhmm;
use crate::store::files::parse_claim_id;
use crate::store::session::ClaimChange;

/// Complete an incomplete intake (one signed commit). Fields are paths into the claim, as
/// `claims queue` lists them: `loss.time=07:45`, `auto.vehicles[0].vin=...`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// FIELD=VALUE; repeat for several fields.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Set the line of business (when the notice did not tell it correctly).
    #[arg(long)]
    pub lob: Option<String>,
    /// Accept VINs whose check digit fails (recorded on the vehicle as overridden).
    #[arg(long)]
    pub accept_vin: bool,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let sets = parse_sets(&args.set, "set with complete")?;
    let lob = args.lob.as_deref().map(super::parse_lob).transpose()?;
    let id = parse_claim_id(&args.id)?;
    let session = super::open_session(g, Permission::Intake, "complete intakes")?;
    let by = session.actor.email.clone();
    let done = session.change_claim(&id, "complete", g.dry_run, |claim, now| {
        if claim.status != Status::Incomplete {
            return Err(Error::refused(format!(
                "{} is {}, not incomplete; correct a reported claim with `claims update`",
                claim.id, claim.status
            )));
        }
        let mut changes = Vec::new();
        if let Some(l) = lob {
            changes.push(format!("lob: {} -> {l}", claim.lob));
            claim.lob = l;
        }
        for (field, value) in &sets {
            let old = apply_set(claim, field, value)?;
            changes.push(format!(
                "{field}: {old} -> {}",
                if value.is_empty() { "(removed)" } else { value }
            ));
        }
        if let Some(t) = claim.loss.time.clone().filter(|t| !t.trim().is_empty()) {
            claim.loss.time = Some(parse_hhmm(&t).ok_or_else(|| {
                Error::refused(format!(
                    "loss.time: `{t}` is not a time of day as HH:MM (24-hour, e.g. 14:30)"
                ))
            })?);
        }
        if let Some(auto) = claim.auto.as_mut() {
            for (i, v) in auto.vehicles.iter_mut().enumerate() {
                let Some(raw) = v.vin.clone().filter(|s| !s.trim().is_empty()) else {
                    continue;
                };
                let parsed = if args.accept_vin || v.vin_check_overridden {
                    Vin::parse_unchecked_digit(&raw)
                } else {
                    Vin::parse(&raw)
                };
                match parsed {
                    Ok(vin) => {
                        if vin.validate().is_err() {
                            v.vin_check_overridden = true;
                        }
                        v.vin = Some(vin.into_string());
                    }
                    Err(e) => {
                        return Err(Error::refused(format!(
                            "auto.vehicles[{i}].vin: VIN `{raw}`: {e}"
                        ))
                        .hint("if the vehicle really carries this VIN, pass --accept-vin"))
                    }
                }
            }
        }
        let missing = missing_facts(claim);
        let subject;
        if missing.is_empty() {
            claim.missing.clear();
            claim.record_event(now, &by, "completed", Status::Reported);
            subject = format!("complete {}: reported", claim.id);
        } else {
            subject = format!("complete {}: {} still missing", claim.id, missing.len());
            claim.missing = missing;
        }
        if !changes.is_empty() {
            claim.notes.push(Note {
                at: now,
                by: by.clone(),
                text: format!("Completed: {}", changes.join("; ")),
            });
        }
        let mut change = ClaimChange::new(subject);
        if !changes.is_empty() {
            change.body = Some(changes.join("\n"));
        }
        change = change.trailer("Status", claim.status.as_str());
        for (field, _) in &sets {
            change = change.trailer("Field", field.clone());
        }
        Ok(change)
    })?;
    super::update::report(g, &done);
    if !done.claim.missing.is_empty() {
        g.say(format!(
            "{} is still incomplete; missing: {}",
            done.claim.id,
            done.claim.missing.join(", ")
        ));
    }
    Ok(0)
}
