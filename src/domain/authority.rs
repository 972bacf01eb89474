//! The authority matrix applied: which claim type a claim is, whose limit covers an amount,
//! whether a change takes effect or waits for approval, and who may approve it. Pure.

use super::claim::{Approval, ApprovalState, AuthorityUsed, Claim, Timestamp};
use super::money::Money;
use super::office::{AuthorityRule, ClaimType, Office};

/// Reserve or settlement (payments use the settlement limits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Reserve,
    Settlement,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reserve => "reserve",
            Kind::Settlement => "settlement",
        }
    }

    fn rules(self, o: &Office) -> &[AuthorityRule] {
        match self {
            Kind::Reserve => &o.authority_matrix.reserve,
            Kind::Settlement => &o.authority_matrix.settlement,
        }
    }
}

/// Injury is part of the claim: workers' comp, alleged bodily injury, or injured people in an auto loss.
pub fn has_bodily_injury(c: &Claim) -> bool {
    c.lob == super::claim::LineOfBusiness::WorkersComp
        || c.liability.as_ref().is_some_and(|l| l.bodily_injury)
        || c.auto
            .as_ref()
            .is_some_and(|a| !a.injured.is_empty() || a.fatality)
}

fn is_litigated(c: &Claim) -> bool {
    c.liability
        .as_ref()
        .is_some_and(|l| l.litigation || l.represented == Some(true))
}

/// The claim's type in the matrix: the first whose conditions all hold.
pub fn claim_type<'o>(claim: &Claim, o: &'o Office) -> Option<&'o ClaimType> {
    o.authority_matrix.claim_types.iter().find(|t| {
        (t.lob.is_empty() || t.lob.contains(&claim.lob))
            && t.bodily_injury
                .is_none_or(|b| b == has_bodily_injury(claim))
            && t.litigated.is_none_or(|l| l == is_litigated(claim))
    })
}

fn rank(o: &Office, role: &str) -> u8 {
    o.role(role).map_or(0, |r| r.rank)
}

/// May a person of `role` act on `amount` under `rule` by their own authority?
fn covers(o: &Office, rule: &AuthorityRule, role: &str, amount: Money) -> bool {
    match rule.limits.iter().find(|l| l.role == role) {
        Some(l) => l.up_to.is_none_or(|up| amount <= up),
        // Not listed: a role above every listed role that covers the amount.
        None => rule
            .limits
            .iter()
            .any(|l| l.up_to.is_none_or(|up| amount <= up) && rank(o, role) > rank(o, &l.role)),
    }
}

/// What a change of `amount` needs, and whether `role` has it.
#[derive(Clone, Debug, PartialEq)]
pub struct Needed {
    pub used: AuthorityUsed,
    /// The requester's role covers it (and no second review is required).
    pub effective: bool,
}

/// The authority a `kind` change of `amount` on `claim` needs, as `role`.
pub fn needed(
    claim: &Claim,
    o: &Office,
    kind: Kind,
    amount: Money,
    role: &str,
) -> Result<Needed, String> {
    let t = claim_type(claim, o).ok_or_else(|| {
        format!(
            "authority.yaml has no claim type for {} ({}): no one has authority to set it",
            claim.id, claim.lob
        )
    })?;
    let rule = kind
        .rules(o)
        .iter()
        .find(|r| r.claim_type == t.id)
        .ok_or_else(|| {
            format!(
                "authority.yaml sets no {} limits for {} claims",
                kind.as_str(),
                t.id
            )
        })?;
    let covering = rule
        .limits
        .iter()
        .find(|l| l.up_to.is_none_or(|up| amount <= up))
        .ok_or_else(|| {
            format!(
                "no role in authority.yaml may set a {} of {amount} on {} claims",
                kind.as_str(),
                t.id
            )
        })?;
    let own = covers(o, rule, role, amount);
    Ok(Needed {
        used: AuthorityUsed {
            claim_type: t.id.clone(),
            required_role: covering.role.clone(),
            limit: covering.up_to,
            review_by_role: rule.review_by.clone(),
        },
        effective: own && rule.review_by.is_none(),
    })
}

/// May `approver` (of `role`) approve a pending change requested by `requester`?
pub fn may_approve(
    o: &Office,
    used: &AuthorityUsed,
    amount: Money,
    requester: &str,
    approver: &str,
    role: &str,
    kind: Kind,
) -> Result<(), String> {
    if requester.eq_ignore_ascii_case(approver) {
        return Err(format!(
            "{approver} asked for this change; a second person must approve it"
        ));
    }
    let rule = kind
        .rules(o)
        .iter()
        .find(|r| r.claim_type == used.claim_type)
        .ok_or_else(|| {
            format!(
                "authority.yaml sets no {} limits for {}",
                kind.as_str(),
                used.claim_type
            )
        })?;
    if !covers(o, rule, role, amount) {
        return Err(format!(
            "{approver} ({role}) has no {} authority for {amount} on {} claims; it needs {}",
            kind.as_str(),
            used.claim_type,
            used.required_role
        ));
    }
    if let Some(review) = &used.review_by_role {
        if rank(o, role) < rank(o, review) {
            return Err(format!(
                "the matrix requires a {review}'s review; {approver} is {role}"
            ));
        }
    }
    Ok(())
}

/// The state and approval a new change starts with.
pub fn start(n: &Needed) -> (ApprovalState, Option<Approval>) {
    if n.effective {
        (ApprovalState::Effective, None)
    } else {
        (ApprovalState::Pending, None)
    }
}

/// An approval record.
pub fn approval(by: &str, role: &str, at: Timestamp, note: Option<&str>) -> Approval {
    Approval {
        by: by.to_string(),
        role: role.to_string(),
        at,
        note: note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
    }
}
