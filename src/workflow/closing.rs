//! Closing a claim — paid (the settlement paid in full and released) or without payment, with
//! the reason regulators count — and reopening a closed or denied one. A claim closes with its
//! reserve: what is not paid is released.

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim::{
    ApprovalState, Claim, Closure, ClosureOutcome, ItemStatus, LineOfBusiness, NoPaymentReason,
    Note, Reopening, ReserveChange,
};
use crate::domain::claim_id::ClaimId;
use crate::domain::coverage::{claim_perils, covering};
use crate::domain::exposure::settled_by;
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::domain::office::Permission;
use crate::domain::release::ReleaseKind;
use crate::error::{Error, Result};

/// `claims close ID [--waive NAME=REASON...]`: the settlement paid in full, its release signed
/// where the claim was against someone, and no task or document outstanding (or each waived
/// with a reason). `--without-payment REASON [--note TEXT]`: closed with nothing paid.
#[derive(Clone, Debug, PartialEq)]
pub struct Close {
    pub id: ClaimId,
    pub waive: Vec<String>,
    pub without_payment: Option<String>,
    pub note: Option<String>,
}

impl Close {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .each("waive", &self.waive)
            .opt("without-payment", &self.without_payment)
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Close, String> {
        Ok(Close {
            id: super::claim_id(r)?,
            waive: r.all("waive")?,
            without_payment: r.optional("without-payment")?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let mut waivers = Vec::new();
        for w in &self.waive {
            let (name, reason) = w
                .split_once('=')
                .filter(|(n, r)| !n.trim().is_empty() && !r.trim().is_empty())
                .ok_or_else(|| Error::refused(format!("--waive `{w}` must be NAME=REASON")))?;
            waivers.push((name.trim().to_string(), reason.trim().to_string()));
        }
        let note = super::given(&self.note);
        let reason = self
            .without_payment
            .as_deref()
            .map(|r| {
                NoPaymentReason::parse(r).ok_or_else(|| {
                    Error::refused(format!(
                        "--without-payment `{r}` is not one of: {}",
                        NoPaymentReason::ALL.map(|r| r.as_str()).join(", ")
                    ))
                })
            })
            .transpose()?;
        if reason == Some(NoPaymentReason::Other) && note.is_none() {
            return Err(Error::refused(
                "--without-payment other needs --note saying why",
            ));
        }
        desk.edit(&self.id, |claim| {
            let outcome = match reason {
                None => {
                    paid_in_full(claim)?;
                    ClosureOutcome::Paid
                }
                Some(r) => {
                    closable_without_payment(desk, claim, r)?;
                    ClosureOutcome::WithoutPayment
                }
            };
            waive(claim, &waivers)?;
            if let Some(r) = reason {
                // Closed without payment, nothing more is owed: what is still open on the
                // checklist is waived with the reason the claim closed.
                let why = format!("closed without payment: {}", r.as_str());
                for t in claim.tasks.iter_mut().filter(|t| t.status.is_outstanding()) {
                    t.status = ItemStatus::Waived;
                    t.waived_reason = Some(why.clone());
                }
                for d in claim
                    .documents
                    .iter_mut()
                    .filter(|d| d.status.is_outstanding())
                {
                    d.status = ItemStatus::Waived;
                    d.waived_reason = Some(why.clone());
                }
            }
            let outstanding: Vec<String> = claim
                .tasks
                .iter()
                .filter(|t| t.status.is_outstanding())
                .map(|t| format!("task `{}`", t.name))
                .chain(
                    claim
                        .documents
                        .iter()
                        .filter(|d| d.status.is_outstanding())
                        .map(|d| format!("document `{}`", d.name)),
                )
                .collect();
            if !outstanding.is_empty() {
                return Err(Error::refused(format!(
                    "outstanding: {}; complete them or --waive \"NAME=REASON\"",
                    outstanding.join(", ")
                )));
            }
            let by = &desk.actor.email;
            if outcome == ClosureOutcome::Paid && claim.status == Status::SettlementPending {
                claim.record_event(desk.now, by, "settle", Status::Settled);
            }
            if !claim.status.can_move_to(Status::Closed) {
                return Err(Error::refused(format!(
                    "{} is {}: it cannot close",
                    claim.id, claim.status
                )));
            }
            let released = close_the_reserve(desk, claim, reason);
            claim.closure = Some(Closure {
                at: desk.now,
                by: by.clone(),
                outcome,
                reason,
                note: note.clone(),
            });
            claim.record_event(desk.now, by, "close", Status::Closed);
            let mut edit = match reason {
                None => Edit::new(format!("close {}: paid {}", claim.id, claim.paid())),
                Some(r) => Edit::new(format!(
                    "close {}: without payment ({})",
                    claim.id,
                    r.as_str().replace('_', " ")
                )),
            }
            .trailer("Status", "closed")
            .trailer("Outcome", super::plain(&outcome));
            if let Some(r) = reason {
                edit = edit.trailer("Reason", r.as_str());
            }
            if let Some((previous, now)) = released {
                edit = edit
                    .trailer("Amount", now.to_string())
                    .trailer("Previous", previous.to_string());
            }
            Ok(edit)
        })
    }
}

/// A claim closes paid once its approved settlement is paid in full and, where the claim was
/// against the insured or the employer, its release is signed.
fn paid_in_full(claim: &Claim) -> Result<()> {
    let s = claim
        .settlement
        .clone()
        .filter(|s| s.state == ApprovalState::Effective)
        .ok_or_else(|| {
            Error::refused(format!(
                "{} has no approved settlement; a claim closes once paid, or --without-payment REASON",
                claim.id
            ))
        })?;
    if claim.paid() < s.total() {
        return Err(Error::refused(format!(
            "{} paid of the {} settlement: pay the rest first",
            claim.paid(),
            s.total()
        )));
    }
    let kind = ReleaseKind::of(claim.lob, settled_by(claim, &s));
    if kind.must_be_signed() && s.release.as_ref().is_none_or(|r| r.signed_on.is_none()) {
        return Err(Error::refused(format!(
            "the {} release is not signed: a claim against {} closes once its claimant has released it (`claims release {} --signed-by NAME --on DATE`)",
            kind.as_str().replace('_', " "),
            if kind == ReleaseKind::WorkersComp {
                "the employer"
            } else {
                "the insured"
            },
            claim.id
        )));
    }
    Ok(())
}

/// A claim closes without payment when nothing was paid and nothing waits for approval, for a
/// reason its line can have.
fn closable_without_payment(desk: &Desk, claim: &Claim, reason: NoPaymentReason) -> Result<()> {
    if !matches!(
        claim.status,
        Status::Triaged | Status::Assigned | Status::Investigating | Status::SettlementPending
    ) {
        return Err(Error::refused(format!(
            "{} is {}: a claim closes without payment once triaged, before it is closed or denied",
            claim.id, claim.status
        )));
    }
    match reason {
        NoPaymentReason::NoLiability
            if matches!(
                claim.lob,
                LineOfBusiness::Property | LineOfBusiness::WorkersComp
            ) =>
        {
            return Err(Error::refused(format!(
                "--without-payment no_liability closes a claim against the insured; a {} claim that is not owed is denied (`claims deny recommend`)",
                claim.lob
            )));
        }
        NoPaymentReason::BelowDeductible => {
            let deductible = claim
                .triage
                .as_ref()
                .and_then(|t| t.deductible)
                .or_else(|| {
                    desk.policy_of(claim)
                        .and_then(|p| covering(p, &claim_perils(claim)))
                        .map(|c| c.deductible)
                })
                .unwrap_or(Money::ZERO);
            if deductible.is_zero() {
                return Err(Error::refused(format!(
                    "--without-payment below_deductible: {} has no deductible on file",
                    claim.id
                )));
            }
        }
        _ => {}
    }
    let paid = claim.paid();
    if !paid.is_zero() {
        return Err(Error::refused(format!(
            "{} has {paid} paid: it closes as paid once its settlement is (`claims close {}`)",
            claim.id, claim.id
        )));
    }
    let pending = claim
        .reserves
        .iter()
        .any(|r| r.state == ApprovalState::Pending)
        || claim
            .payments
            .iter()
            .any(|p| p.state == ApprovalState::Pending)
        || claim
            .settlement
            .as_ref()
            .is_some_and(|s| s.state == ApprovalState::Pending);
    if pending {
        return Err(Error::refused(format!(
            "{} has a change waiting for approval (`claims queue approvals`): approve it before the claim closes",
            claim.id
        )));
    }
    Ok(())
}

/// A closed claim carries no open reserve: what was not paid is released, as a reserve change
/// of its own (it commits no money, so it needs no authority). Returns (before, after).
fn close_the_reserve(
    desk: &Desk,
    claim: &mut Claim,
    without_payment: Option<NoPaymentReason>,
) -> Option<(Money, Money)> {
    let previous = claim.effective_reserve();
    let paid = claim.paid();
    if previous <= paid {
        return None;
    }
    let why = match without_payment {
        Some(r) => format!("without payment ({})", r.as_str().replace('_', " ")),
        None => format!("paid {paid}"),
    };
    claim.reserves.push(ReserveChange {
        at: desk.now,
        by: desk.actor.email.clone(),
        role: desk.actor.role.clone(),
        amount: paid,
        previous,
        reason: "claim_closed".into(),
        note: Some(format!("Reserve closed with the claim, {why}")),
        above_limit: None,
        state: ApprovalState::Effective,
        authority: None,
        approval: None,
    });
    Some((previous, paid))
}

/// Marks the named tasks and documents waived, each with its reason.
fn waive(claim: &mut Claim, waivers: &[(String, String)]) -> Result<()> {
    for (name, reason) in waivers {
        let mut found = false;
        for t in claim
            .tasks
            .iter_mut()
            .filter(|t| t.name.eq_ignore_ascii_case(name))
        {
            t.status = ItemStatus::Waived;
            t.waived_reason = Some(reason.clone());
            found = true;
        }
        for d in claim
            .documents
            .iter_mut()
            .filter(|d| d.name.eq_ignore_ascii_case(name))
        {
            d.status = ItemStatus::Waived;
            d.waived_reason = Some(reason.clone());
            found = true;
        }
        if !found {
            return Err(Error::refused(format!(
                "no task or document named `{name}` on {}",
                claim.id
            )));
        }
    }
    Ok(())
}

pub const REOPEN_REASONS: &[&str] = &[
    "new_information",
    "supplemental_damage",
    "reinvestigation",
    "payment_issue",
    "litigation",
    "other",
];

/// `claims reopen ID --reason R [--note TEXT]`: a closed or denied claim back under
/// investigation, as an event on the claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Reopen {
    pub id: ClaimId,
    pub reason: String,
    pub note: Option<String>,
}

impl Reopen {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("reason", &self.reason)
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Reopen, String> {
        Ok(Reopen {
            id: super::claim_id(r)?,
            reason: r.required("reason")?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let reason = self.reason.trim().to_ascii_lowercase();
        if !REOPEN_REASONS.contains(&reason.as_str()) {
            return Err(Error::refused(format!(
                "--reason `{}` is not one of: {}",
                self.reason,
                REOPEN_REASONS.join(", ")
            )));
        }
        let note = super::given(&self.note);
        if reason == "other" && note.is_none() {
            return Err(Error::refused("--reason other needs --note saying why"));
        }
        // Reopening a denial undoes a supervisor's decision: it takes someone who may approve
        // denials. A closed file reopens by someone who may approve others' work.
        match desk.claim(&self.id)?.status {
            Status::Denied => desk.require(Permission::ApproveDenial, "reopen a denied claim")?,
            _ => desk.require(Permission::Approve, "reopen a closed claim")?,
        }
        desk.edit(&self.id, |claim| {
            let from = claim.status;
            if !matches!(from, Status::Closed | Status::Denied) {
                return Err(Error::refused(format!(
                    "{} is {from}: only a closed or denied claim reopens",
                    claim.id
                )));
            }
            let by = &desk.actor.email;
            claim.reopenings.push(Reopening {
                at: desk.now,
                by: by.clone(),
                from,
                reason: reason.clone(),
                note: note.clone(),
                closure: claim.closure.take(),
            });
            if let Some(n) = &note {
                claim.notes.push(Note {
                    at: desk.now,
                    by: by.clone(),
                    text: format!("Reopened ({}): {n}", reason.replace('_', " ")),
                });
            }
            claim.record_event(desk.now, by, "reopen", Status::Investigating);
            Ok(Edit::new(format!(
                "reopen {}: {from} -> investigating ({})",
                claim.id,
                reason.replace('_', " ")
            ))
            .trailer("Reason", reason.clone())
            .trailer("Status", "investigating"))
        })
    }
}
