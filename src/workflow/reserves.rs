//! Reserves within the authority matrix, and the approval of whatever waits above its
//! requester's authority: a reserve change, a payment, a settlement — or a recommended denial.

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::authority::{self, Kind};
use crate::domain::claim::{ApprovalState, AuthorityUsed, Claim, ReserveChange};
use crate::domain::claim_id::ClaimId;
use crate::domain::coverage::applicable_limit;
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::domain::office::Permission;
use crate::error::{Error, Result};

pub const REASONS: &[&str] = &[
    "new_information",
    "coverage_clarification",
    "medical_update",
    "settlement_negotiation",
    "other",
];

/// `claims reserve ID --amount A --reason R --note TEXT`: the reserve after the change, and
/// the adjuster's note explaining its basis.
#[derive(Clone, Debug, PartialEq)]
pub struct SetReserve {
    pub id: ClaimId,
    pub amount: String,
    pub reason: String,
    pub note: Option<String>,
}

/// An amount given to `--FLAG`: a decimal with at most two places, not negative.
pub fn money(flag: &str, s: &str) -> Result<Money> {
    let m: Money = s
        .trim()
        .parse()
        .map_err(|e| Error::refused(format!("--{flag} `{s}`: {e}")))?;
    if m.is_negative() {
        return Err(Error::refused(format!("--{flag} must not be negative")));
    }
    Ok(m)
}

impl SetReserve {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("amount", &self.amount)
            .flag("reason", &self.reason)
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<SetReserve, String> {
        Ok(SetReserve {
            id: super::claim_id(r)?,
            amount: r.required("amount")?,
            reason: r.required("reason")?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let amount = money("amount", &self.amount)?;
        let reason = self.reason.trim().to_ascii_lowercase();
        if !REASONS.contains(&reason.as_str()) {
            return Err(Error::refused(format!(
                "--reason `{}` is not one of: {}",
                self.reason,
                REASONS.join(", ")
            )));
        }
        // The seed's rule: every reserve change carries the adjuster's notes on its basis.
        let note = super::given(&self.note).ok_or_else(|| {
            Error::refused(
                "--note is required: the adjuster's note explaining the basis of the reserve",
            )
            .hint("e.g. --note \"Repair estimate 8,450.00 plus rental 21 days at 45.00\"")
        })?;
        let (by, role) = (&desk.actor.email, &desk.actor.role);
        desk.edit(&self.id, |claim| {
            if claim.status.is_final() || !claim.status.is_open() {
                return Err(Error::refused(format!(
                    "{} is {}: no reserve changes",
                    claim.id, claim.status
                )));
            }
            if claim.reserves.iter().any(|r| r.state == ApprovalState::Pending) {
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
            let needed = authority::needed(claim, desk.office, Kind::Reserve, amount, role)
                .map_err(Error::refused)?;
            let (state, approval) = authority::start(&needed);
            let required = needed.used.required_role.clone();
            let above_limit = applicable_limit(claim, desk.policy_of(claim))
                .filter(|limit| amount > limit.amount);
            claim.reserves.push(ReserveChange {
                at: desk.now,
                by: by.clone(),
                role: role.clone(),
                amount,
                previous,
                reason: reason.clone(),
                note: Some(note.clone()),
                above_limit: above_limit.clone(),
                state,
                authority: Some(needed.used),
                approval,
            });
            let word = if needed.effective {
                "effective"
            } else {
                "pending approval"
            };
            let mut edit = Edit::new(format!(
                "reserve {}: {previous} -> {amount} ({word})",
                claim.id
            ))
            .trailer("Amount", amount.to_string())
            .trailer("Previous", previous.to_string())
            .trailer("Reason", reason.clone())
            .trailer("Authority", required)
            .trailer(
                "State",
                if needed.effective {
                    "effective"
                } else {
                    "pending"
                },
            );
            if let Some(limit) = above_limit {
                edit = edit
                    .trailer("Above-Limit", format!("{} {}", limit.name, limit.amount))
                    .warning(format!(
                        "{}: the reserve of {amount} is above {limit} on policy {}; the claim cannot pay more than the limit (check M006)",
                        claim.id,
                        claim.policy_number.as_deref().unwrap_or("-")
                    ));
            }
            Ok(edit)
        })
    }
}

/// `claims approve ID [--note TEXT]`: approves what waits on the claim — the oldest kind first:
/// a reserve change, a payment, a settlement; on a claim whose denial is recommended, the
/// denial (as `claims deny approve`).
#[derive(Clone, Debug, PartialEq)]
pub struct Approve {
    pub id: ClaimId,
    pub note: Option<String>,
}

impl Approve {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Approve, String> {
        Ok(Approve {
            id: super::claim_id(r)?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let claim = desk.claim(&self.id)?;
        if claim.status == Status::DenialRecommended {
            desk.require(Permission::ApproveDenial, "approve denials")?;
            return super::denial::approve_denial(desk, &self.id, self.note.as_deref());
        }
        desk.require(Permission::Approve, "approve changes above authority")?;
        let (by, role) = (&desk.actor.email, &desk.actor.role);
        desk.edit(&self.id, |claim| {
            let Some(item) = waiting(claim) else {
                return Err(Error::refused(format!(
                    "nothing is waiting for approval on {}",
                    claim.id
                )));
            };
            let (what, kind, amount, requester, recorded) = item.describe(claim);
            // The limits are those of authority.yaml as it stands, for the claim as it stands
            // — and no less than what the request needed when it was made (the claim's facts
            // may since have been corrected into a claim type of lower limits).
            let used = authority::needed(claim, desk.office, kind, amount, role)
                .map_err(Error::refused)?
                .used;
            let rules = match kind {
                Kind::Reserve => &desk.office.authority_matrix.reserve,
                Kind::Settlement => &desk.office.authority_matrix.settlement,
            };
            let recorded = recorded.filter(|r| rules.iter().any(|x| x.claim_type == r.claim_type));
            for needed in std::iter::once(&used).chain(recorded.as_ref()) {
                authority::may_approve(desk.office, needed, amount, &requester, by, role, kind)
                    .map_err(Error::refused)?;
            }
            let approval = authority::approval(by, role, desk.now, self.note.as_deref());
            match item {
                Waiting::Reserve(i) => {
                    claim.reserves[i].state = ApprovalState::Effective;
                    claim.reserves[i].approval = Some(approval);
                }
                Waiting::Payment(i) => {
                    claim.payments[i].state = ApprovalState::Effective;
                    claim.payments[i].approval = Some(approval);
                    if claim.sla.paid_at.is_none() {
                        claim.sla.paid_at = Some(desk.now);
                    }
                }
                Waiting::Settlement => {
                    let s = claim.settlement.as_mut().expect("a settlement waits");
                    s.state = ApprovalState::Effective;
                    s.approval = Some(approval);
                }
            }
            Ok(Edit::new(format!("approve {}: {what} {amount}", claim.id))
                .trailer("Approves", what)
                .trailer("Amount", amount.to_string())
                .trailer("Requested-By", requester))
        })
    }
}

/// What waits for approval on a claim.
#[derive(Clone, Copy)]
enum Waiting {
    Reserve(usize),
    Payment(usize),
    Settlement,
}

impl Waiting {
    /// What it is (the `Approves` trailer), its kind of authority, amount and requester.
    fn describe(self, claim: &Claim) -> (&'static str, Kind, Money, String, Option<AuthorityUsed>) {
        match self {
            Waiting::Reserve(i) => {
                let r = &claim.reserves[i];
                (
                    "reserve",
                    Kind::Reserve,
                    r.amount,
                    r.by.clone(),
                    r.authority.clone(),
                )
            }
            Waiting::Payment(i) => {
                let p = &claim.payments[i];
                (
                    "payment",
                    Kind::Settlement,
                    p.amount,
                    p.by.clone(),
                    p.authority.clone(),
                )
            }
            Waiting::Settlement => {
                let s = claim.settlement.as_ref().expect("a settlement waits");
                (
                    "settlement",
                    Kind::Settlement,
                    s.total(),
                    s.proposed_by.clone(),
                    s.authority.clone(),
                )
            }
        }
    }
}

/// The oldest kind of item waiting: a reserve change, then a payment, then a settlement.
fn waiting(claim: &Claim) -> Option<Waiting> {
    let pending = |s: ApprovalState| s == ApprovalState::Pending;
    if let Some(i) = claim.reserves.iter().position(|r| pending(r.state)) {
        return Some(Waiting::Reserve(i));
    }
    if let Some(i) = claim.payments.iter().position(|p| pending(p.state)) {
        return Some(Waiting::Payment(i));
    }
    claim
        .settlement
        .as_ref()
        .filter(|s| pending(s.state))
        .map(|_| Waiting::Settlement)
}
