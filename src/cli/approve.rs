//! `claims approve ID`: approve what is waiting on a claim — a pending reserve change or
//! payment (by someone whose authority covers it, never the requester), or a recommended
//! denial (as `claims deny approve`).

use super::update::report;
use super::Globals;
use crate::domain::authority::{self, Kind};
use crate::domain::claim::ApprovalState;
use crate::domain::lifecycle::Status;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;
use crate::store::session::{ClaimChange, Session, Workspace};

/// Approve what waits on a claim: a pending reserve change or payment, or a recommended denial.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    let session = Session::open(Workspace::open(g.repo.as_deref())?, g.as_email.as_deref())?;
    let (_, current) = crate::store::files::read_claim(&session.ws.root, &id)?;
    if current.status == Status::DenialRecommended {
        session.require(Permission::ApproveDenial, "approve denials")?;
        let done = super::deny::approve_denial(g, &session, &id, args.note.as_deref())?;
        report(g, &done);
        return Ok(0);
    }
    session.require(Permission::Approve, "approve changes above authority")?;
    let office = session.ws.office.clone();
    let (by, role) = (session.actor.email.clone(), session.actor.role.clone());
    let note = args.note.clone();
    let done = session.change_claim(&id, "approve", g.dry_run, |claim, now| {
        let approval = authority::approval(&by, &role, now, note.as_deref());
        if let Some(r) = claim
            .reserves
            .iter_mut()
            .find(|r| r.state == ApprovalState::Pending)
        {
            let used = r
                .authority
                .clone()
                .ok_or_else(|| Error::refused("the pending reserve records no authority"))?;
            authority::may_approve(&office, &used, r.amount, &r.by, &by, &role, Kind::Reserve)
                .map_err(Error::refused)?;
            r.state = ApprovalState::Effective;
            r.approval = Some(approval);
            let (amount, requester) = (r.amount, r.by.clone());
            return Ok(
                ClaimChange::new(format!("approve {}: reserve {amount}", claim.id))
                    .trailer("Approves", "reserve")
                    .trailer("Amount", amount.to_string())
                    .trailer("Requested-By", requester),
            );
        }
        if let Some(p) = claim
            .payments
            .iter_mut()
            .find(|p| p.state == ApprovalState::Pending)
        {
            let used = p
                .authority
                .clone()
                .ok_or_else(|| Error::refused("the pending payment records no authority"))?;
            authority::may_approve(
                &office,
                &used,
                p.amount,
                &p.by,
                &by,
                &role,
                Kind::Settlement,
            )
            .map_err(Error::refused)?;
            p.state = ApprovalState::Effective;
            p.approval = Some(approval);
            let (amount, requester) = (p.amount, p.by.clone());
            if claim.sla.paid_at.is_none() {
                claim.sla.paid_at = Some(now);
            }
            return Ok(
                ClaimChange::new(format!("approve {}: payment {amount}", claim.id))
                    .trailer("Approves", "payment")
                    .trailer("Amount", amount.to_string())
                    .trailer("Requested-By", requester),
            );
        }
        if let Some(st) = claim
            .settlement
            .as_mut()
            .filter(|s| s.state == ApprovalState::Pending)
        {
            let used = st
                .authority
                .clone()
                .ok_or_else(|| Error::refused("the pending settlement records no authority"))?;
            authority::may_approve(
                &office,
                &used,
                st.amount,
                &st.proposed_by,
                &by,
                &role,
                Kind::Settlement,
            )
            .map_err(Error::refused)?;
            st.state = ApprovalState::Effective;
            st.approval = Some(approval);
            let (amount, requester) = (st.amount, st.proposed_by.clone());
            return Ok(
                ClaimChange::new(format!("approve {}: settlement {amount}", claim.id))
                    .trailer("Approves", "settlement")
                    .trailer("Amount", amount.to_string())
                    .trailer("Requested-By", requester),
            );
        }
        Err(Error::refused(format!(
            "nothing is waiting for approval on {}",
            claim.id
        )))
    })?;
    report(g, &done);
    Ok(0)
}
