//! Denying a claim, the regulated way: an adjuster recommends (trigger, the policy's own
//! provisions, an explanation); a supervisor other than the recommender approves, after a
//! compliance or counsel review where the office requires one; a letter with every required
//! element goes to the insured (and the agent); delivery is recorded; only then is the claim
//! denied, with the date its file may be destroyed. Nothing here denies anything on its own.
//!
//! Pure: the caller reads the policy and the office, and writes the result.

use chrono::{Datelike, NaiveDate};

use super::claim::{Approval, Claim, Denial, LineOfBusiness, ProvisionRef, Timestamp};
use super::lifecycle::Status;
use super::money::Money;
use super::office::{DenialSettings, Office, StateDepartment};
use super::policy::Policy;

/// Why a claim is denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// No coverage on the date of loss: the policy lapsed (premium unpaid).
    Lapsed,
    /// No coverage on the date of loss: the policy was cancelled.
    Cancelled,
    /// The cause of loss is excluded.
    ExcludedPeril,
    /// A policy condition was not met: late notice.
    ConditionNotice,
    /// A policy condition was not met: the insured did not cooperate.
    ConditionCooperation,
    /// A policy condition was not met: concealment or fraud.
    ConditionFraud,
    /// The applicable limit is used up.
    LimitExhausted,
    /// The loss is not at a covered location or to covered property.
    LocationNotCovered,
}

impl Trigger {
    pub const ALL: [Trigger; 8] = [
        Trigger::Lapsed,
        Trigger::Cancelled,
        Trigger::ExcludedPeril,
        Trigger::ConditionNotice,
        Trigger::ConditionCooperation,
        Trigger::ConditionFraud,
        Trigger::LimitExhausted,
        Trigger::LocationNotCovered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Lapsed => "lapsed",
            Trigger::Cancelled => "cancelled",
            Trigger::ExcludedPeril => "excluded_peril",
            Trigger::ConditionNotice => "condition_notice",
            Trigger::ConditionCooperation => "condition_cooperation",
            Trigger::ConditionFraud => "condition_fraud",
            Trigger::LimitExhausted => "limit_exhausted",
            Trigger::LocationNotCovered => "location_not_covered",
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn names() -> String {
        Trigger::ALL.map(|t| t.as_str()).join(", ")
    }
}

/// What the adjuster puts forward.
pub struct Recommendation<'a> {
    pub trigger: Trigger,
    /// Provision ids from the policy file.
    pub provisions: &'a [String],
    pub explanation: &'a str,
    /// Limit exhausted: what has already been paid against the limit (other claims included).
    pub paid_against_limit: Option<Money>,
}

/// Checks the recommendation against the policy and the claim, and records it: status
/// `denial_recommended`. Returns why not, in words an adjuster can act on.
pub fn recommend(
    claim: &mut Claim,
    policy: &Policy,
    r: &Recommendation,
    by: &str,
    at: Timestamp,
) -> Result<(), String> {
    if !claim.status.can_move_to(Status::DenialRecommended) {
        return Err(format!(
            "{} is {}: a denial is recommended on an assigned claim under investigation",
            claim.id, claim.status
        ));
    }
    if r.explanation.trim().is_empty() {
        return Err("--explanation must say why the loss is not covered".into());
    }
    if r.provisions.is_empty() {
        return Err(format!(
            "cite at least one provision of policy {} (--provision ID); it has: {}",
            policy.number,
            provision_ids(policy)
        ));
    }
    let mut cited = Vec::new();
    for id in r.provisions {
        let p = policy.provision(id).ok_or_else(|| {
            format!(
                "policy {} has no provision `{id}`; it has: {}",
                policy.number,
                provision_ids(policy)
            )
        })?;
        cited.push(ProvisionRef {
            id: Some(p.id.clone()),
            section: p.section.clone(),
            page: p.page,
            title: Some(p.title.clone()),
            language: p.language.to_string(),
        });
    }
    trigger_holds(claim, policy, r)?;
    claim.denial = Some(Denial {
        trigger: r.trigger.as_str().to_string(),
        provisions: cited,
        explanation: r.explanation.trim().to_string(),
        recommended_by: by.to_string(),
        recommended_at: at,
        compliance_review: None,
        approval: None,
        letter: None,
        delivery: Vec::new(),
        retention_until: None,
    });
    claim.status = Status::DenialRecommended;
    claim.record_event(at, by, "recommend_denial", Status::DenialRecommended);
    Ok(())
}

fn provision_ids(policy: &Policy) -> String {
    let ids: Vec<&str> = policy.provisions.iter().map(|p| p.id.as_str()).collect();
    if ids.is_empty() {
        "none".into()
    } else {
        ids.join(", ")
    }
}

/// The facts the trigger rests on must be in the file: a denial for lapse needs a lapsed
/// policy, one for an exclusion needs the exclusion cited, and so on.
fn trigger_holds(claim: &Claim, policy: &Policy, r: &Recommendation) -> Result<(), String> {
    let loss = claim.loss.date.ok_or("the claim has no date of loss")?;
    let cites = |ids: Vec<&str>| r.provisions.iter().any(|p| ids.contains(&p.as_str()));
    match r.trigger {
        Trigger::Lapsed => match policy.lapsed_on {
            Some(d) if d <= loss => Ok(()),
            Some(d) => Err(format!(
                "policy {} lapsed on {d}, after the loss on {loss}",
                policy.number
            )),
            None => Err(format!(
                "policy {} has no lapse on file (lapsed_on)",
                policy.number
            )),
        },
        Trigger::Cancelled => match policy.cancelled_on {
            Some(d) if d <= loss => Ok(()),
            Some(d) => Err(format!(
                "policy {} was cancelled on {d}, after the loss on {loss}",
                policy.number
            )),
            None => Err(format!(
                "policy {} has no cancellation on file (cancelled_on)",
                policy.number
            )),
        },
        Trigger::ExcludedPeril => {
            let cause = claim
                .loss
                .cause
                .as_deref()
                .unwrap_or("")
                .to_ascii_lowercase();
            let matching: Vec<&str> = policy
                .exclusions
                .iter()
                .filter(|e| e.peril.eq_ignore_ascii_case(&cause))
                .map(|e| e.provision.as_str())
                .collect();
            if matching.is_empty() {
                return Err(format!(
                    "policy {} excludes no `{cause}` (the claim's cause of loss)",
                    policy.number
                ));
            }
            if !cites(matching.clone()) {
                return Err(format!(
                    "cite the exclusion of `{cause}`: provision {}",
                    matching.join(" or ")
                ));
            }
            Ok(())
        }
        Trigger::ConditionNotice => {
            let window = policy
                .notice_window_days
                .ok_or_else(|| format!("policy {} sets no notice window", policy.number))?;
            let reported = claim.received_at.date_naive();
            let days = (reported - loss).num_days();
            if days <= i64::from(window) {
                return Err(format!(
                    "notice came {days} days after the loss, within the policy's {window}-day window"
                ));
            }
            Ok(())
        }
        Trigger::ConditionCooperation | Trigger::ConditionFraud => {
            let conditions: Vec<&str> = policy
                .conditions
                .iter()
                .map(|c| c.provision.as_str())
                .collect();
            let condition_provisions: Vec<&str> = policy
                .provisions
                .iter()
                .filter(|p| {
                    conditions.contains(&p.id.as_str())
                        || p.section.to_ascii_lowercase().contains("condition")
                })
                .map(|p| p.id.as_str())
                .collect();
            if !cites(condition_provisions.clone()) {
                return Err(format!(
                    "cite the policy condition that was not met (one of: {})",
                    if condition_provisions.is_empty() {
                        "none in this policy".to_string()
                    } else {
                        condition_provisions.join(", ")
                    }
                ));
            }
            Ok(())
        }
        Trigger::LimitExhausted => {
            let coverage_provisions: Vec<&str> = policy
                .coverages
                .iter()
                .filter_map(|c| c.provision.as_deref())
                .collect();
            if !cites(coverage_provisions.clone()) {
                return Err(format!(
                    "cite the coverage whose limit is exhausted (one of: {})",
                    coverage_provisions.join(", ")
                ));
            }
            let paid = r
                .paid_against_limit
                .ok_or("say what has been paid against the limit (--paid-against-limit AMOUNT)")?;
            let limit = policy
                .coverages
                .iter()
                .filter(|c| {
                    c.provision
                        .as_deref()
                        .is_some_and(|p| r.provisions.iter().any(|x| x == p))
                })
                .map(|c| c.limit)
                .max()
                .expect("a cited coverage");
            if paid < limit {
                return Err(format!(
                    "{paid} paid is under the limit of {limit}: the limit is not exhausted"
                ));
            }
            Ok(())
        }
        Trigger::LocationNotCovered => {
            let place = claim
                .property
                .as_ref()
                .and_then(|p| p.property_address.clone())
                .or_else(|| claim.loss.location.clone())
                .unwrap_or_default();
            if place.trim().is_empty() {
                return Err("the claim records no loss location".into());
            }
            let norm = |s: &str| {
                s.to_ascii_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            if let Some(l) = policy
                .locations
                .iter()
                .find(|l| norm(&l.address) == norm(&place))
            {
                return Err(format!(
                    "{} is an insured location of policy {}",
                    l.address, policy.number
                ));
            }
            Ok(())
        }
    }
}

/// Why this denial needs a compliance or counsel review before approval (empty: none).
pub fn review_reasons(claim: &Claim, settings: Option<&DenialSettings>) -> Vec<String> {
    let Some(s) = settings else {
        return Vec::new();
    };
    let t = &s.review_required;
    let mut out = Vec::new();
    if t.represented && claim_is_represented(claim) {
        out.push("the claimant is represented by counsel".to_string());
    }
    if t.bodily_injury && claim_has_bodily_injury(claim) {
        out.push("the claim involves bodily injury".to_string());
    }
    if let Some(limit) = t.reserve_over {
        let reserve = claim.effective_reserve();
        if reserve > limit {
            out.push(format!("the reserve {reserve} is over {limit}"));
        }
    }
    out
}

fn claim_is_represented(claim: &Claim) -> bool {
    claim
        .liability
        .as_ref()
        .is_some_and(|l| l.represented == Some(true) || l.litigation)
        || claim.triage.as_ref().is_some_and(|t| t.escalated)
}

fn claim_has_bodily_injury(claim: &Claim) -> bool {
    claim.lob == LineOfBusiness::WorkersComp
        || claim
            .auto
            .as_ref()
            .is_some_and(|a| !a.injured.is_empty() || a.fatality)
        || claim.liability.as_ref().is_some_and(|l| l.bodily_injury)
}

/// Records the compliance (or counsel) review of a recommended denial.
pub fn record_review(
    claim: &mut Claim,
    by: &str,
    role: &str,
    note: &str,
    at: Timestamp,
) -> Result<(), String> {
    let d = recommended(claim)?;
    if d.recommended_by.eq_ignore_ascii_case(by) {
        return Err(format!(
            "{by} recommended this denial and cannot also review it"
        ));
    }
    if note.trim().is_empty() {
        return Err("--note must record what the review found".into());
    }
    let d = claim.denial.as_mut().expect("checked above");
    d.compliance_review = Some(Approval {
        by: by.to_string(),
        role: role.to_string(),
        at,
        note: Some(note.trim().to_string()),
    });
    claim.record_event(at, by, "review_denial", Status::DenialRecommended);
    Ok(())
}

fn recommended(claim: &Claim) -> Result<&Denial, String> {
    match (&claim.denial, claim.status) {
        (Some(d), Status::DenialRecommended) => Ok(d),
        _ => Err(format!(
            "{} is {}, not denial_recommended",
            claim.id, claim.status
        )),
    }
}

/// A supervisor approves the recommended denial: never the recommender, and only after the
/// review the office requires.
pub fn approve(
    claim: &mut Claim,
    settings: Option<&DenialSettings>,
    by: &str,
    role: &str,
    note: Option<&str>,
    at: Timestamp,
) -> Result<(), String> {
    let d = recommended(claim)?;
    if d.recommended_by.eq_ignore_ascii_case(by) {
        return Err(format!(
            "{by} recommended this denial; another supervisor must approve it"
        ));
    }
    let reasons = review_reasons(claim, settings);
    if !reasons.is_empty() && d.compliance_review.is_none() {
        return Err(format!(
            "a compliance or counsel review must be recorded first (`claims deny review`): {}",
            reasons.join("; ")
        ));
    }
    let d = claim.denial.as_mut().expect("checked above");
    d.approval = Some(Approval {
        by: by.to_string(),
        role: role.to_string(),
        at,
        note: note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
    });
    claim.status = Status::DenialApproved;
    claim.record_event(at, by, "approve_denial", Status::DenialApproved);
    Ok(())
}

/// The state insurance department named in the letter's right-to-complain paragraph.
pub fn department<'a>(office: &'a Office, state: &str) -> Option<&'a StateDepartment> {
    office
        .denial
        .as_ref()?
        .departments
        .iter()
        .find(|d| d.state.eq_ignore_ascii_case(state))
}

/// What a denial letter must contain, each with the text that shows it is there.
pub fn required_elements(claim: &Claim, office: &Office) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let Some(d) = &claim.denial else {
        return out;
    };
    for p in &d.provisions {
        out.push((
            format!("provision {} (section and language)", p.section),
            vec![p.section.clone(), p.language.to_string()],
        ));
    }
    let mut loss = Vec::new();
    if let Some(date) = claim.loss.date {
        loss.push(date.to_string());
    }
    if let Some(desc) = &claim.loss.description {
        loss.push(desc.clone());
    }
    out.push(("the loss as reported".into(), loss));
    out.push((
        "why the loss is not covered".into(),
        vec![d.explanation.clone()],
    ));
    out.push((
        "the right to ask for reinvestigation".into(),
        vec!["reinvestigat".into()],
    ));
    let dept = department(office, &claim.jurisdiction)
        .map(|x| vec![x.name.clone(), x.phone.clone()])
        .unwrap_or_else(|| vec!["(no department on file)".into()]);
    out.push(("the state insurance department's contact".into(), dept));
    let adjuster = handling_adjuster(claim, office)
        .map(|p| {
            let mut v = vec![p.name.clone()];
            v.extend(p.phone.clone());
            v
        })
        .unwrap_or_else(|| vec!["(no adjuster on file)".into()]);
    out.push(("the handling adjuster's contact".into(), adjuster));
    out
}

/// The elements `letter` lacks (empty: complete). Whitespace is compared loosely, so line
/// wrapping does not matter.
pub fn missing_elements(letter: &str, claim: &Claim, office: &Office) -> Vec<String> {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = squash(letter);
    required_elements(claim, office)
        .into_iter()
        .filter(|(_, needles)| {
            needles.is_empty() || needles.iter().any(|n| !text.contains(&squash(n)))
        })
        .map(|(what, _)| what)
        .collect()
}

/// The adjuster handling the claim (who signs the letter): the assigned adjuster, else the one
/// who recommended the denial.
pub fn handling_adjuster<'a>(
    claim: &Claim,
    office: &'a Office,
) -> Option<&'a super::office::Person> {
    claim.adjuster().and_then(|a| office.person(a)).or_else(|| {
        claim
            .denial
            .as_ref()
            .and_then(|d| office.person(&d.recommended_by))
    })
}

pub use super::delivery::Sent;

/// Records delivery of the denial letter to `to` (insured or agent). Once the insured and the
/// agent (where the claim has one) have it, the claim is denied: the coverage decision is
/// communicated, and the file is kept until the retention date.
pub fn record_delivery(
    claim: &mut Claim,
    settings: Option<&DenialSettings>,
    to: &str,
    sent: Sent,
    on: NaiveDate,
    by: &str,
    at: Timestamp,
) -> Result<(), String> {
    if claim.status != Status::DenialApproved {
        return Err(format!(
            "{} is {}: delivery is recorded once the denial is approved and its letter written",
            claim.id, claim.status
        ));
    }
    if to != "insured" && to != "agent" {
        return Err(format!("--to must be insured or agent, not `{to}`"));
    }
    if to == "agent" && claim.agent.is_none() {
        return Err(format!("{} has no agent on file", claim.id));
    }
    let d = claim.denial.as_mut().expect("denial_approved has a denial");
    if d.letter.is_none() {
        return Err("write the denial letter first (`claims deny letter`)".into());
    }
    if on < d.approval.as_ref().map(|a| a.at.date_naive()).unwrap_or(on) {
        return Err(format!("--on {on} is before the denial was approved"));
    }
    if d.delivery.iter().any(|x| x.to == to) {
        return Err(format!("delivery to the {to} is already recorded"));
    }
    if matches!(sent, Sent::Other { .. }) {
        return Err(
            "a denial letter goes by certified mail (--tracking) or electronically (--message-id)"
                .into(),
        );
    }
    d.delivery.push(sent.record(to, on)?);
    let insured = d.delivery.iter().any(|x| x.to == "insured");
    let agent = claim.agent.is_none() || d.delivery.iter().any(|x| x.to == "agent");
    claim.record_event(at, by, &format!("deliver_denial_{to}"), claim.status);
    if insured && agent {
        let years = retention_years(settings, Some(&claim.jurisdiction));
        let d = claim.denial.as_mut().expect("checked above");
        d.retention_until = Some(add_years(on, years));
        claim.status = Status::Denied;
        if claim.sla.coverage_decided_at.is_none() {
            claim.sla.coverage_decided_at = Some(at);
        }
        claim.record_event(at, by, "deny", Status::Denied);
    }
    Ok(())
}

/// Years a denied file is kept after closing: the state's rule, else the office default.
pub fn retention_years(settings: Option<&DenialSettings>, state: Option<&str>) -> u32 {
    const FALLBACK: u32 = 7;
    let Some(s) = settings else { return FALLBACK };
    state
        .and_then(|st| {
            s.state_retention_years
                .iter()
                .find(|x| x.state.eq_ignore_ascii_case(st))
        })
        .map(|x| x.years)
        .unwrap_or(s.retention_years)
}

/// `date` plus whole years; 29 February becomes 28 February in a common year.
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    let y = date.year() + years as i32;
    date.with_year(y)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(y, 2, 28).expect("a valid date"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::PolicyCondition;

    /// The sample office's NY water claim and its policy, put back under investigation.
    fn fixture() -> (Claim, Policy, Office) {
        let mut claim: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml"))
                .unwrap();
        claim.status = Status::Investigating;
        claim.denial = None;
        let mut policy: Policy =
            serde_yaml::from_str(include_str!("../../policies/HO-NY-2025-62201.yaml")).unwrap();
        policy.status = crate::domain::policy::PolicyStatus::Active;
        policy.cancelled_on = None;
        let office: Office = serde_yaml::from_str(include_str!("../../authority.yaml")).unwrap();
        (claim, policy, office)
    }

    fn at() -> Timestamp {
        chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00-06:00").unwrap()
    }

    fn try_recommend(
        claim: &mut Claim,
        policy: &Policy,
        trigger: Trigger,
        provisions: &[&str],
        paid: Option<&str>,
    ) -> Result<(), String> {
        let provisions: Vec<String> = provisions.iter().map(|s| s.to_string()).collect();
        let r = Recommendation {
            trigger,
            provisions: &provisions,
            explanation: "Because the policy says so.",
            paid_against_limit: paid.map(|p| p.parse().unwrap()),
        };
        recommend(claim, policy, &r, "sokafor@harborpoint.example", at())
    }

    /// Each trigger: refused while the facts do not support it, accepted once they do.
    #[test]
    fn every_trigger_needs_its_facts_in_the_file() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();

        // Lapsed and cancelled: only when coverage had ended by the date of loss (2026-10-14).
        let (mut c, mut p, _) = fixture();
        let e = try_recommend(&mut c, &p, Trigger::Lapsed, &["HO-CC5"], None).unwrap_err();
        assert!(e.contains("no lapse on file"), "{e}");
        p.lapsed_on = Some(d("2026-10-20"));
        let e = try_recommend(&mut c, &p, Trigger::Lapsed, &["HO-CC5"], None).unwrap_err();
        assert!(e.contains("after the loss"), "{e}");
        p.lapsed_on = Some(d("2026-09-15"));
        try_recommend(&mut c, &p, Trigger::Lapsed, &["HO-CC5"], None).unwrap();
        assert_eq!(c.status, Status::DenialRecommended);
        assert_eq!(c.denial.as_ref().unwrap().trigger, "lapsed");

        let (mut c, mut p, _) = fixture();
        assert!(try_recommend(&mut c, &p, Trigger::Cancelled, &["HO-CC5"], None).is_err());
        p.cancelled_on = Some(d("2026-09-01"));
        try_recommend(&mut c, &p, Trigger::Cancelled, &["HO-CC5"], None).unwrap();
        // The provision is quoted from the policy: section, page and language.
        let cited = &c.denial.as_ref().unwrap().provisions[0];
        assert_eq!(cited.page, 19);
        assert!(cited
            .language
            .contains("no loss occurring on or after that date"));

        // Excluded peril: the cause must be excluded, and that exclusion cited.
        let (mut c, p, _) = fixture();
        let e = try_recommend(&mut c, &p, Trigger::ExcludedPeril, &["HO-X3"], None).unwrap_err();
        assert!(e.contains("excludes no `water`"), "{e}");
        c.loss.cause = Some("flood".into());
        let e = try_recommend(&mut c, &p, Trigger::ExcludedPeril, &["HO-X2"], None).unwrap_err();
        assert!(e.contains("provision HO-X3"), "{e}");
        try_recommend(&mut c, &p, Trigger::ExcludedPeril, &["HO-X3"], None).unwrap();

        // Late notice: only beyond the policy's notice window.
        let (mut c, p, _) = fixture();
        let e = try_recommend(&mut c, &p, Trigger::ConditionNotice, &["HO-CB2"], None).unwrap_err();
        assert!(e.contains("within the policy's 60-day window"), "{e}");
        c.loss.date = Some(d("2026-07-01"));
        try_recommend(&mut c, &p, Trigger::ConditionNotice, &["HO-CB2"], None).unwrap();

        // Cooperation and fraud: a condition of the policy must be cited.
        for trigger in [Trigger::ConditionCooperation, Trigger::ConditionFraud] {
            let (mut c, mut p, _) = fixture();
            let e = try_recommend(&mut c, &p, trigger, &["HO-A"], None).unwrap_err();
            assert!(e.contains("HO-CB2"), "{e}");
            p.conditions.push(PolicyCondition {
                code: "fraud".into(),
                description: "Concealment or fraud".into(),
                provision: "HO-CB12".into(),
                keywords: vec![],
            });
            try_recommend(&mut c, &p, trigger, &["HO-CB2"], None).unwrap();
        }

        // Limit exhausted: the coverage cited, and paid at least its limit (295,000.00).
        let (mut c, p, _) = fixture();
        let e = try_recommend(&mut c, &p, Trigger::LimitExhausted, &["HO-A"], None).unwrap_err();
        assert!(e.contains("--paid-against-limit"), "{e}");
        let e = try_recommend(
            &mut c,
            &p,
            Trigger::LimitExhausted,
            &["HO-A"],
            Some("1000.00"),
        )
        .unwrap_err();
        assert!(e.contains("not exhausted"), "{e}");
        let e = try_recommend(
            &mut c,
            &p,
            Trigger::LimitExhausted,
            &["HO-CC5"],
            Some("1.00"),
        )
        .unwrap_err();
        assert!(e.contains("cite the coverage"), "{e}");
        try_recommend(
            &mut c,
            &p,
            Trigger::LimitExhausted,
            &["HO-A"],
            Some("295000.00"),
        )
        .unwrap();

        // Location not covered: refused for the insured location itself.
        let (mut c, p, _) = fixture();
        let e =
            try_recommend(&mut c, &p, Trigger::LocationNotCovered, &["HO-A"], None).unwrap_err();
        assert!(e.contains("is an insured location"), "{e}");
        c.property.as_mut().unwrap().property_address =
            Some("12 Lake Road, Canandaigua, NY 14424".into());
        try_recommend(&mut c, &p, Trigger::LocationNotCovered, &["HO-A"], None).unwrap();
    }

    #[test]
    fn provisions_must_exist_and_status_must_allow_it() {
        let (mut c, p, _) = fixture();
        let e = try_recommend(&mut c, &p, Trigger::Cancelled, &["HO-ZZ"], None).unwrap_err();
        assert!(
            e.contains("no provision `HO-ZZ`") && e.contains("HO-CC5"),
            "{e}"
        );
        let e = try_recommend(&mut c, &p, Trigger::Cancelled, &[], None).unwrap_err();
        assert!(e.contains("at least one provision"), "{e}");
        c.status = Status::Reported;
        let e = try_recommend(&mut c, &p, Trigger::Cancelled, &["HO-CC5"], None).unwrap_err();
        assert!(e.contains("is reported"), "{e}");
    }

    #[test]
    fn approval_is_never_the_recommenders_and_waits_for_a_required_review() {
        let (mut c, mut p, office) = fixture();
        p.cancelled_on = Some("2026-09-01".parse().unwrap());
        try_recommend(&mut c, &p, Trigger::Cancelled, &["HO-CC5"], None).unwrap();
        let settings = office.denial.as_ref();
        let e = approve(
            &mut c,
            settings,
            "SOKAFOR@harborpoint.example",
            "senior",
            None,
            at(),
        )
        .unwrap_err();
        assert!(e.contains("another supervisor"), "{e}");

        // A represented claimant needs the compliance review first.
        let mut represented = c.clone();
        represented.triage.as_mut().unwrap().escalated = true;
        let e = approve(
            &mut represented,
            settings,
            "lpark@harborpoint.example",
            "supervisor",
            None,
            at(),
        )
        .unwrap_err();
        assert!(
            e.contains("review must be recorded first") && e.contains("represented"),
            "{e}"
        );
        let e = record_review(
            &mut represented,
            "sokafor@harborpoint.example",
            "compliance",
            "ok",
            at(),
        )
        .unwrap_err();
        assert!(e.contains("cannot also review"), "{e}");
        record_review(
            &mut represented,
            "rgallagher@harborpoint.example",
            "compliance",
            "Counsel agrees",
            at(),
        )
        .unwrap();
        approve(
            &mut represented,
            settings,
            "lpark@harborpoint.example",
            "supervisor",
            None,
            at(),
        )
        .unwrap();
        assert_eq!(represented.status, Status::DenialApproved);

        approve(
            &mut c,
            settings,
            "lpark@harborpoint.example",
            "supervisor",
            Some("ok"),
            at(),
        )
        .unwrap();
        assert_eq!(c.status, Status::DenialApproved);
    }

    #[test]
    fn letters_missing_an_element_are_caught() {
        let (mut c, mut p, office) = fixture();
        p.cancelled_on = Some("2026-09-01".parse().unwrap());
        try_recommend(&mut c, &p, Trigger::Cancelled, &["HO-CC5"], None).unwrap();
        let d = c.denial.clone().unwrap();
        let full = format!(
            "On 2026-10-14: {}\n{}\n{}\n\"{}\"\nYou may ask us to reinvestigate.\n\
             New York State Department of Financial Services, Consumer Assistance Unit\n\
             1-800-342-3736\nSamuel Okafor (214) 555-0174\n",
            c.loss.description.clone().unwrap(),
            d.explanation,
            d.provisions[0].section,
            d.provisions[0].language
        );
        assert_eq!(missing_elements(&full, &c, &office), Vec::<String>::new());
        let without = full.replace("reinvestigate", "look again");
        assert_eq!(
            missing_elements(&without, &c, &office),
            vec!["the right to ask for reinvestigation".to_string()]
        );
        let without = full.replace("1-800-342-3736", "");
        assert_eq!(
            missing_elements(&without, &c, &office),
            vec!["the state insurance department's contact".to_string()]
        );
    }

    #[test]
    fn triggers_round_trip() {
        for t in Trigger::ALL {
            assert_eq!(Trigger::parse(t.as_str()), Some(t));
        }
        assert_eq!(Trigger::parse("bad_faith"), None);
    }

    #[test]
    fn retention_counts_whole_years_from_delivery() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(add_years(d("2026-11-20"), 7), d("2033-11-20"));
        assert_eq!(add_years(d("2028-02-29"), 1), d("2029-02-28"));
        assert_eq!(retention_years(None, Some("NY")), 7);
    }
}
