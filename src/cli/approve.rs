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
        // The oldest kind of item waiting: a reserve change, then a payment, then a settlement.
        let pending = if let Some(r) = claim
            .reserves
            .iter_mut()
            .find(|r| r.state == ApprovalState::Pending)
        {
            Some(Pending {
                what: "reserve",
                kind: Kind::Reserve,
                amount: r.amount,
                requester: r.by.clone(),
                authority: r.authority.clone(),
                state: &mut r.state,
                approval: &mut r.approval,
            })
        } else if let Some(p) = claim
            .payments
            .iter_mut()
            .find(|p| p.state == ApprovalState::Pending)
        {
            Some(Pending {
                what: "payment",
                kind: Kind::Settlement,
                amount: p.amount,
                requester: p.by.clone(),
                authority: p.authority.clone(),
                state: &mut p.state,
                approval: &mut p.approval,
            })
        } else if let Some(st) = claim
            .settlement
            .as_mut()
            .filter(|s| s.state == ApprovalState::Pending)
        {
            Some(Pending {
                what: "settlement",
                kind: Kind::Settlement,
                amount: st.amount,
                requester: st.proposed_by.clone(),
                authority: st.authority.clone(),
                state: &mut st.state,
                approval: &mut st.approval,
            })
        } else {
            None
        };
        let Some(item) = pending else {
            return Err(Error::refused(format!(
                "nothing is waiting for approval on {}",
                claim.id
            )));
        };
        let used = item.authority.ok_or_else(|| {
            Error::refused(format!("the pending {} records no authority", item.what))
        })?;
        authority::may_approve(
            &office,
            &used,
            item.amount,
            &item.requester,
            &by,
            &role,
            item.kind,
        )
        .map_err(Error::refused)?;
        *item.state = ApprovalState::Effective;
        *item.approval = Some(authority::approval(&by, &role, now, note.as_deref()));
        let (what, amount) = (item.what, item.amount);
        if what == "payment" && claim.sla.paid_at.is_none() {
            claim.sla.paid_at = Some(now);
        }
        Ok(
            ClaimChange::new(format!("approve {}: {what} {amount}", claim.id))
                .trailer("Approves", what)
                .trailer("Amount", amount.to_string())
                .trailer("Requested-By", item.requester),
        )
    })?;
    report(g, &done);
    Ok(0)
}

/// An item waiting for approval, whichever kind it is.
struct Pending<'c> {
    /// reserve, payment or settlement (the `Approves` trailer)
    what: &'static str,
    kind: Kind,
    amount: crate::domain::money::Money,
    requester: String,
    authority: Option<crate::domain::claim::AuthorityUsed>,
    state: &'c mut ApprovalState,
    approval: &'c mut Option<crate::domain::claim::Approval>,
}
