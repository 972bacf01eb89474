//! `claims reserve ID --amount A --reason R`: set the reserve, within the authority matrix.

use super::update::report;
use super::Globals;
use crate::domain::authority::{self, Kind};
use crate::domain::claim::ReserveChange;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;
use crate::store::session::ClaimChange;

/// Set a claim's reserve (the amount after the change). Within the actor's authority it takes
/// effect; above it — or where the matrix wants a second review — it is pending, in
/// `claims queue approvals`, until `claims approve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// The reserve after the change, e.g. 12500.00.
    #[arg(long)]
    pub amount: String,
    /// new_information, coverage_clarification, medical_update, settlement_negotiation, other
    #[arg(long)]
    pub reason: String,
    /// Free text (required with --reason other).
    #[arg(long)]
    pub note: Option<String>,
}

const REASONS: &[&str] = &[
    "new_information",
    "coverage_clarification",
    "medical_update",
    "settlement_negotiation",
    "other",
];

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let amount = super::money_flag("amount", &args.amount)?;
    let reason = args.reason.trim().to_ascii_lowercase();
    if !REASONS.contains(&reason.as_str()) {
        return Err(Error::refused(format!(
            "--reason `{}` is not one of: {}",
            args.reason,
            REASONS.join(", ")
        )));
    }
    let note = args
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if reason == "other" && note.is_none() {
        return Err(Error::refused("--reason other needs --note saying why"));
    }
    let id = parse_claim_id(&args.id)?;
    let session = super::open_session(g, Permission::Reserve, "set reserves")?;
    let office = session.ws.office.clone();
    let (by, role) = (session.actor.email.clone(), session.actor.role.clone());
    let done = session.change_claim(&id, "reserve", g.dry_run, |claim, now| {
        if claim.status.is_final() || !claim.status.is_open() {
            return Err(Error::refused(format!("{} is {}: no reserve changes", claim.id, claim.status)));
        }
        if claim.reserves.iter().any(|r| r.state == crate::domain::claim::ApprovalState::Pending) {
            return Err(Error::refused(format!(
                "{} has a reserve change waiting for approval; approve it first (`claims approve {}`)",
                claim.id, claim.id
            )));
        }
        let previous = claim.effective_reserve();
        if amount < claim.paid() {
            return Err(Error::refused(format!(
                "{amount} is less than the {} already paid",
                claim.paid()
            )));
        }
        let needed = authority::needed(claim, &office, Kind::Reserve, amount, &role)
            .map_err(Error::refused)?;
        let (state, approval) = authority::start(&needed);
        let required = needed.used.required_role.clone();
        claim.reserves.push(ReserveChange {
            at: now,
            by: by.clone(),
            role: role.clone(),
            amount,
            previous,
            reason: reason.clone(),
            note: note.clone(),
            state,
            authority: Some(needed.used),
            approval,
        });
        let word = if needed.effective { "effective" } else { "pending approval" };
        Ok(ClaimChange::new(format!(
            "reserve {}: {previous} -> {amount} ({word})",
            claim.id
        ))
        .trailer("Amount", amount.to_string())
        .trailer("Previous", previous.to_string())
        .trailer("Reason", reason.clone())
        .trailer("Authority", required)
        .trailer("State", if needed.effective { "effective" } else { "pending" }))
    })?;
    report(g, &done);
    Ok(0)
}
