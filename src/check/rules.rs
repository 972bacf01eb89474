//! The rules `claims check` applies to each claim, policy and the office settings.
//! Pure: the caller parses files and places the returned issues at lines.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;

use crate::domain::claim::LineOfBusiness;
use crate::domain::claim::{ApprovalState, Claim, ItemStatus};
use crate::domain::claim_id::ClaimId;
use crate::domain::fnol::missing_facts;
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::domain::office::Office;
use crate::domain::policy::{Policy, PolicyStatus};
use crate::domain::vin::Vin;

use super::finding::Issue;

/// What a claim's rules need to know about the rest of the office.
pub struct OfficeIndex<'a> {
    pub office: Option<&'a Office>,
    pub tz: chrono_tz::Tz,
    /// Policy number → line of business.
    pub policies: &'a HashMap<String, LineOfBusiness>,
    pub claim_ids: &'a HashSet<String>,
}

pub const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "VI", "GU", "AS", "MP",
];

pub fn is_us_state(s: &str) -> bool {
    US_STATES.contains(&s)
}

/// Checks one claim loaded from `rel_path` (repository-relative, `/`-separated).
pub fn check_claim(claim: &Claim, rel_path: &str, ix: &OfficeIndex) -> Vec<Issue> {
    let mut out = Vec::new();
    check_identity(claim, rel_path, ix, &mut out);
    check_facts(claim, &mut out);
    check_references(claim, ix, &mut out);
    check_lifecycle(claim, &mut out);
    check_money(claim, &mut out);
    check_denial(claim, ix.office, &mut out);
    check_letter_deliveries(claim, &mut out);
    out
}

/// A letter's delivery record must hold its proof (the tracking number of certified mail,
/// the Message-ID of an email) and cannot predate the letter.
fn check_letter_deliveries(claim: &Claim, out: &mut Vec<Issue>) {
    use crate::domain::claim::DeliveryMethod;
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
    for (i, l) in claim.letters.iter().enumerate() {
        for (j, d) in l.delivery.iter().enumerate() {
            let at = format!("letters[{i}].delivery[{j}]");
            match d.method {
                DeliveryMethod::CertifiedMail if blank(&d.tracking_number) => out.push(Issue::at(
                    "D006",
                    format!("{at}.tracking_number"),
                    format!("{}: certified mail without its tracking number", l.file),
                )),
                DeliveryMethod::Electronic if blank(&d.message_id) => out.push(Issue::at(
                    "D006",
                    format!("{at}.message_id"),
                    format!("{}: an email delivery without its Message-ID", l.file),
                )),
                _ => {}
            }
            if d.on < l.at.date_naive() {
                out.push(Issue::at(
                    "D006",
                    format!("{at}.on"),
                    format!(
                        "{}: delivered on {}, before it was written ({})",
                        l.file,
                        d.on,
                        l.at.date_naive()
                    ),
                ));
            }
        }
    }
}

fn check_identity(claim: &Claim, rel_path: &str, ix: &OfficeIndex, out: &mut Vec<Issue>) {
    let file_stem = rel_path
        .rsplit('/')
        .next()
        .unwrap_or(rel_path)
        .trim_end_matches(".yaml");
    if file_stem != claim.id {
        out.push(Issue::at(
            "F001",
            "id",
            format!(
                "file name `{file_stem}.yaml` does not match id `{}`",
                claim.id
            ),
        ));
    }
    match claim.id.parse::<ClaimId>() {
        Err(e) => out.push(Issue::at(
            "F003",
            "id",
            format!("invalid claim id `{}`: {e}", claim.id),
        )),
        Ok(id) => {
            if id.as_str() != claim.id {
                out.push(Issue::at(
                    "F003",
                    "id",
                    format!("claim id `{}` is not in canonical form `{id}`", claim.id),
                ));
            }
            let folder = rel_path.rsplit_once('/').map_or("", |(d, _)| d);
            let folders = ix.office.map(|o| o.claim_folders()).unwrap_or_default();
            let expected = id.parent(folders);
            if folder != expected {
                out.push(Issue::at(
                    "F002",
                    "id",
                    format!("claim `{}` belongs in {expected}/, not {folder}/", claim.id),
                ));
            }
            let local = claim.received_at.with_timezone(&ix.tz);
            if local.year() != id.year() || local.month() != id.month() {
                out.push(Issue::at(
                    "F005",
                    "received_at",
                    format!(
                        "received_at {} is in {:04}-{:02} (office time) but the id says {:04}-{:02}",
                        claim.received_at,
                        local.year(),
                        local.month(),
                        id.year(),
                        id.month()
                    ),
                ));
            }
        }
    }
}

fn check_facts(claim: &Claim, out: &mut Vec<Issue>) {
    // None at all is a missing fact (N001, or listed on an incomplete intake).
    if !claim.jurisdiction.trim().is_empty() && !is_us_state(&claim.jurisdiction) {
        out.push(Issue::at(
            "N003",
            "jurisdiction",
            format!("`{}` is not a US state postal code", claim.jurisdiction),
        ));
    }
    let missing = missing_facts(claim);
    if claim.status == Status::Incomplete {
        let listed: HashSet<&str> = claim.missing.iter().map(String::as_str).collect();
        let actual: HashSet<&str> = missing.iter().map(String::as_str).collect();
        if listed != actual {
            let mut unlisted: Vec<_> = actual.difference(&listed).copied().collect();
            let mut stale: Vec<_> = listed.difference(&actual).copied().collect();
            unlisted.sort();
            stale.sort();
            out.push(Issue::at(
                "N005",
                "missing",
                format!(
                    "missing list out of date (not listed: [{}]; present: [{}])",
                    unlisted.join(", "),
                    stale.join(", ")
                ),
            ));
        }
    } else {
        for path in &missing {
            out.push(Issue::at(
                "N001",
                path.clone(),
                format!("{} claim requires `{path}`", claim.lob),
            ));
        }
    }
    if let Some(auto) = &claim.auto {
        for (i, v) in auto.vehicles.iter().enumerate() {
            let Some(vin) = v.vin.as_deref().filter(|s| !s.trim().is_empty()) else {
                continue;
            };
            let result = if v.vin_check_overridden {
                Vin::parse_unchecked_digit(vin).map(|_| ())
            } else {
                Vin::parse(vin).map(|_| ())
            };
            if let Err(e) = result {
                out.push(Issue::at(
                    "N002",
                    format!("auto.vehicles[{i}].vin"),
                    format!("VIN `{vin}`: {e}"),
                ));
            }
        }
    }
    if let Some(date) = claim.loss.date {
        if date > claim.received_at.date_naive() + chrono::Duration::days(1) {
            out.push(Issue::at(
                "N004",
                "loss.date",
                format!(
                    "loss date {date} is after the claim was received ({})",
                    claim.received_at.date_naive()
                ),
            ));
        }
    }
    if let Some(t) = &claim.loss.time {
        if chrono::NaiveTime::parse_from_str(t, "%H:%M").is_err() {
            out.push(Issue::at(
                "N006",
                "loss.time",
                format!("`{t}` is not a time of day as HH:MM"),
            ));
        }
    }
}

fn check_references(claim: &Claim, ix: &OfficeIndex, out: &mut Vec<Issue>) {
    if let Some(number) = &claim.policy_number {
        match ix.policies.get(number) {
            None if !matches!(
                claim.status,
                Status::NoPolicyFound | Status::Incomplete | Status::Reported | Status::Merged
            ) =>
            {
                out.push(Issue::at(
                    "R001",
                    "policy_number",
                    format!("no policy file policies/{number}.yaml"),
                ));
            }
            Some(lob) if *lob != claim.lob => out.push(Issue::at(
                "R003",
                "lob",
                format!("claim is {} but policy {number} is {lob}", claim.lob),
            )),
            _ => {}
        }
    }
    for (field, id) in claim
        .merged_into
        .iter()
        .map(|m| ("merged_into".to_string(), m))
        .chain(
            claim
                .merged
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("merged[{i}]"), m)),
        )
    {
        if !ix.claim_ids.contains(id) {
            out.push(Issue::at(
                "R004",
                field,
                format!("no claim `{id}` in this office"),
            ));
        }
    }
    let Some(office) = ix.office else { return };
    let mut person = |field: String, email: &str| {
        if office.person(email).is_none() {
            out.push(Issue::at(
                "R002",
                field,
                format!("`{email}` is not a person in authority.yaml"),
            ));
        }
    };
    if let Some(t) = &claim.triage {
        person("triage.by".into(), &t.by);
    }
    if let Some(a) = &claim.assignment {
        person("assignment.by".into(), &a.by);
        if let Some(adj) = &a.adjuster {
            person("assignment.adjuster".into(), adj);
        }
    }
    for (i, r) in claim.reserves.iter().enumerate() {
        person(format!("reserves[{i}].by"), &r.by);
        if let Some(a) = &r.approval {
            person(format!("reserves[{i}].approval.by"), &a.by);
        }
    }
    for (i, p) in claim.payments.iter().enumerate() {
        person(format!("payments[{i}].by"), &p.by);
        if let Some(a) = &p.approval {
            person(format!("payments[{i}].approval.by"), &a.by);
        }
    }
    if let Some(s) = &claim.settlement {
        person("settlement.proposed_by".into(), &s.proposed_by);
        if let Some(a) = &s.approval {
            person("settlement.approval.by".into(), &a.by);
        }
    }
    if let Some(d) = &claim.denial {
        person("denial.recommended_by".into(), &d.recommended_by);
        if let Some(a) = &d.approval {
            person("denial.approval.by".into(), &a.by);
        }
        if let Some(a) = &d.compliance_review {
            person("denial.compliance_review.by".into(), &a.by);
        }
    }
    for (i, t) in claim.tasks.iter().enumerate() {
        if let Some(by) = &t.by {
            person(format!("tasks[{i}].by"), by);
        }
    }
    for (i, n) in claim.notes.iter().enumerate() {
        person(format!("notes[{i}].by"), &n.by);
    }
    for (i, r) in claim.reviews.iter().enumerate() {
        person(format!("reviews[{i}].by"), &r.by);
    }
    for (i, e) in claim.history.iter().enumerate() {
        person(format!("history[{i}].by"), &e.by);
    }
}

/// Statuses that a claim only reaches through triage, assignment or a denial recommendation.
fn needs_triage(s: Status) -> bool {
    use Status::*;
    matches!(
        s,
        Triaged
            | Assigned
            | Investigating
            | SettlementPending
            | Settled
            | Closed
            | DenialRecommended
            | DenialApproved
            | Denied
    )
}

fn needs_assignment(s: Status) -> bool {
    use Status::*;
    matches!(
        s,
        Assigned
            | Investigating
            | SettlementPending
            | Settled
            | DenialRecommended
            | DenialApproved
            | Denied
    )
}

fn check_lifecycle(claim: &Claim, out: &mut Vec<Issue>) {
    match claim.history.first() {
        None => out.push(Issue::at(
            "L004",
            "history",
            "the claim has no history; it must start with its intake event",
        )),
        Some(first) if !first.status.is_initial() => out.push(Issue::at(
            "L004",
            "history[0].status",
            format!(
                "history starts at `{}`, not at intake (reported or incomplete)",
                first.status
            ),
        )),
        _ => {}
    }
    for (i, pair) in claim.history.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        if a.status != b.status && !a.status.can_move_to(b.status) {
            out.push(Issue::at(
                "L002",
                format!("history[{}].status", i + 1),
                format!(
                    "`{}` cannot move to `{}` (event `{}`)",
                    a.status, b.status, b.event
                ),
            ));
        }
        if b.at < a.at {
            out.push(Issue::at(
                "L005",
                format!("history[{}].at", i + 1),
                format!("event at {} is before the one above it ({})", b.at, a.at),
            ));
        }
    }
    if let Some(first) = claim.history.first() {
        if first.at < claim.received_at {
            out.push(Issue::at(
                "L005",
                "history[0].at",
                "the first event is before the claim was received",
            ));
        }
    }
    if let Some(last) = claim.history.last() {
        if last.status != claim.status {
            out.push(Issue::at(
                "L001",
                "status",
                format!(
                    "status is `{}` but the last event (`{}`) left it `{}`",
                    claim.status, last.event, last.status
                ),
            ));
        }
    }
    let s = claim.status;
    let mut lacks = |cond: bool, field: &str, what: &str| {
        if cond {
            out.push(Issue::at(
                "L003",
                field,
                format!("status `{s}` requires {what}"),
            ));
        }
    };
    lacks(
        needs_triage(s) && claim.triage.is_none(),
        "status",
        "a triage record",
    );
    lacks(
        needs_assignment(s) && claim.assignment.is_none(),
        "status",
        "an assignment",
    );
    lacks(
        s == Status::Merged && claim.merged_into.is_none(),
        "status",
        "merged_into",
    );
    lacks(
        matches!(
            s,
            Status::DenialRecommended | Status::DenialApproved | Status::Denied
        ) && claim.denial.is_none(),
        "status",
        "a denial record",
    );
    lacks(
        matches!(s, Status::SettlementPending | Status::Settled) && claim.settlement.is_none(),
        "status",
        "a settlement",
    );
    if s == Status::Settled {
        lacks(
            claim
                .settlement
                .as_ref()
                .is_some_and(|st| st.state != ApprovalState::Effective),
            "settlement.state",
            "an effective (approved) settlement",
        );
        lacks(
            !claim
                .payments
                .iter()
                .any(|p| p.state == ApprovalState::Effective),
            "payments",
            "an effective payment",
        );
    }
    if s == Status::Closed {
        for (i, t) in claim.tasks.iter().enumerate() {
            lacks(
                t.status.is_outstanding(),
                &format!("tasks[{i}].status"),
                "every task done or waived",
            );
        }
        for (i, d) in claim.documents.iter().enumerate() {
            lacks(
                d.status.is_outstanding(),
                &format!("documents[{i}].status"),
                "every document received or waived",
            );
        }
    }
    for (i, t) in claim.tasks.iter().enumerate() {
        if t.status == ItemStatus::Waived
            && t.waived_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            out.push(Issue::at(
                "L003",
                format!("tasks[{i}].waived_reason"),
                "a waived task needs a reason",
            ));
        }
    }
    for (i, d) in claim.documents.iter().enumerate() {
        if d.status == ItemStatus::Waived
            && d.waived_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            out.push(Issue::at(
                "L003",
                format!("documents[{i}].waived_reason"),
                "a waived document needs a reason",
            ));
        }
    }
}

fn check_money(claim: &Claim, out: &mut Vec<Issue>) {
    let mut negative = |field: String, m: Money| {
        if m.is_negative() {
            out.push(Issue::at("M001", field, format!("amount {m} is negative")));
        }
    };
    if let Some(t) = &claim.triage {
        if let Some(d) = t.deductible {
            negative("triage.deductible".into(), d);
        }
    }
    for (i, r) in claim.reserves.iter().enumerate() {
        negative(format!("reserves[{i}].amount"), r.amount);
    }
    for (i, p) in claim.payments.iter().enumerate() {
        negative(format!("payments[{i}].amount"), p.amount);
    }
    if let Some(s) = &claim.settlement {
        negative("settlement.amount".into(), s.amount);
    }
    let mut in_effect = Money::ZERO;
    for (i, r) in claim.reserves.iter().enumerate() {
        if r.previous != in_effect {
            out.push(Issue::at(
                "M004",
                format!("reserves[{i}].previous"),
                format!(
                    "previous is {} but the reserve in effect was {in_effect}",
                    r.previous
                ),
            ));
        }
        if r.state == ApprovalState::Effective {
            in_effect = r.amount;
        }
        approval_rule(
            out,
            &format!("reserves[{i}]"),
            &r.by,
            r.state,
            r.amount,
            r.authority.as_ref(),
            r.approval.as_ref(),
        );
    }
    for (i, p) in claim.payments.iter().enumerate() {
        approval_rule(
            out,
            &format!("payments[{i}]"),
            &p.by,
            p.state,
            p.amount,
            p.authority.as_ref(),
            p.approval.as_ref(),
        );
    }
    if let Some(s) = &claim.settlement {
        approval_rule(
            out,
            "settlement",
            &s.proposed_by,
            s.state,
            s.total(),
            s.authority.as_ref(),
            s.approval.as_ref(),
        );
        let paid = claim.paid();
        if s.state == ApprovalState::Effective && paid > s.total() {
            out.push(Issue::at(
                "M002",
                "payments",
                format!(
                    "payments total {paid}, more than the settlement of {}",
                    s.total()
                ),
            ));
        }
    }
    if let Some((i, r)) = claim
        .reserves
        .iter()
        .enumerate()
        .rev()
        .find(|(_, r)| r.state == ApprovalState::Effective)
    {
        if let Some(limit) = r.above_limit.as_ref().filter(|l| r.amount > l.amount) {
            out.push(Issue::at(
                "M006",
                format!("reserves[{i}].amount"),
                format!(
                    "the reserve of {} is above {limit} on policy {}",
                    r.amount,
                    claim.policy_number.as_deref().unwrap_or("-")
                ),
            ));
        }
    }
    let paid = claim.paid();
    let reserve = claim.effective_reserve();
    if paid > reserve {
        out.push(Issue::at(
            "M003",
            "payments",
            format!("payments total {paid}, more than the effective reserve of {reserve}"),
        ));
    }
}

/// An approval on record must come from someone other than the requester, and a change the
/// matrix sent for review, or above the limit it records, cannot be effective without one.
fn approval_rule(
    out: &mut Vec<Issue>,
    field: &str,
    by: &str,
    state: ApprovalState,
    amount: crate::domain::money::Money,
    authority: Option<&crate::domain::claim::AuthorityUsed>,
    approval: Option<&crate::domain::claim::Approval>,
) {
    let review_required = authority.is_some_and(|a| a.review_by_role.is_some());
    let over = authority.and_then(|a| a.limit.filter(|l| amount > *l).map(|l| (a, l)));
    if let (None, ApprovalState::Effective, Some((a, limit))) = (approval, state, over) {
        out.push(Issue::at(
            "M005",
            format!("{field}.amount"),
            format!(
                "effective at {amount}, over the {} limit of {limit}, without approval",
                a.required_role
            ),
        ));
        return;
    }
    if let Some(a) = approval {
        if a.by.eq_ignore_ascii_case(by) {
            out.push(Issue::at(
                "M005",
                format!("{field}.approval.by"),
                format!("`{by}` approved their own request"),
            ));
        }
    } else if state == ApprovalState::Effective && review_required {
        out.push(Issue::at(
            "M005",
            format!("{field}.approval"),
            "effective without the review the authority matrix requires",
        ));
    }
}

fn check_denial(claim: &Claim, office: Option<&Office>, out: &mut Vec<Issue>) {
    let Some(d) = &claim.denial else { return };
    if matches!(claim.status, Status::DenialApproved | Status::Denied) && d.approval.is_some() {
        let reasons =
            crate::domain::denial::review_reasons(claim, office.and_then(|o| o.denial.as_ref()));
        if !reasons.is_empty() && d.compliance_review.is_none() {
            out.push(Issue::at(
                "D005",
                "denial.compliance_review",
                format!(
                    "denial approved without the compliance review it required: {}",
                    reasons.join("; ")
                ),
            ));
        }
    }
    if matches!(claim.status, Status::DenialApproved | Status::Denied) {
        match &d.approval {
            None => out.push(Issue::at(
                "D001",
                "denial.approval",
                "denial has no supervisor approval",
            )),
            Some(a) if a.by.eq_ignore_ascii_case(&d.recommended_by) => out.push(Issue::at(
                "D001",
                "denial.approval.by",
                format!("denial approved by `{}`, who recommended it", a.by),
            )),
            _ => {}
        }
    }
    if claim.status == Status::Denied {
        if d.letter.as_deref().is_none_or(|l| l.trim().is_empty()) {
            out.push(Issue::at(
                "D002",
                "denial.letter",
                "denied claim has no denial letter",
            ));
        }
        let delivered = d.delivery.iter().any(|x| {
            x.to == "insured"
                && (x
                    .tracking_number
                    .as_deref()
                    .is_some_and(|t| !t.trim().is_empty())
                    || x.message_id
                        .as_deref()
                        .is_some_and(|t| !t.trim().is_empty()))
        });
        if !delivered {
            out.push(Issue::at(
                "D003",
                "denial.delivery",
                "no delivery to the insured recorded (tracking number or message id)",
            ));
        }
    }
}

/// Checks one policy loaded from `rel_path`.
pub fn check_policy(p: &Policy, rel_path: &str) -> Vec<Issue> {
    let mut out = Vec::new();
    let expected = Policy::file_path(&p.number);
    if rel_path != expected {
        out.push(Issue::at(
            "F001",
            "number",
            format!("policy {} belongs in {expected}", p.number),
        ));
    }
    if p.effective > p.expires {
        out.push(Issue::at(
            "P001",
            "expires",
            format!(
                "expires {} before it takes effect {}",
                p.expires, p.effective
            ),
        ));
    }
    if p.status == PolicyStatus::Cancelled && p.cancelled_on.is_none() {
        out.push(Issue::at(
            "P001",
            "cancelled_on",
            "a cancelled policy needs cancelled_on",
        ));
    }
    if p.status == PolicyStatus::Lapsed && p.lapsed_on.is_none() {
        out.push(Issue::at(
            "P001",
            "lapsed_on",
            "a lapsed policy needs lapsed_on",
        ));
    }
    if !is_us_state(&p.jurisdiction) {
        out.push(Issue::at(
            "N003",
            "jurisdiction",
            format!("`{}` is not a US state postal code", p.jurisdiction),
        ));
    }
    let mut cite = |field: String, id: &str| {
        if p.provision(id).is_none() {
            out.push(Issue::at(
                "P001",
                field,
                format!("cites provision `{id}`, which the policy does not have"),
            ));
        }
    };
    for (i, c) in p.coverages.iter().enumerate() {
        if let Some(id) = &c.provision {
            cite(format!("coverages[{i}].provision"), id);
        }
        for (j, s) in c.sublimits.iter().enumerate() {
            if let Some(id) = &s.provision {
                cite(format!("coverages[{i}].sublimits[{j}].provision"), id);
            }
        }
    }
    for (i, e) in p.exclusions.iter().enumerate() {
        cite(format!("exclusions[{i}].provision"), &e.provision);
    }
    for (i, c) in p.conditions.iter().enumerate() {
        cite(format!("conditions[{i}].provision"), &c.provision);
    }
    for (i, c) in p.coverages.iter().enumerate() {
        if c.limit.is_negative() || c.deductible.is_negative() {
            out.push(Issue::at(
                "M001",
                format!("coverages[{i}]"),
                "limit and deductible cannot be negative",
            ));
        }
    }
    for (i, v) in p.vehicles.iter().enumerate() {
        if let Err(e) = Vin::parse(&v.vin) {
            out.push(Issue::at(
                "N002",
                format!("vehicles[{i}].vin"),
                format!("VIN `{}`: {e}", v.vin),
            ));
        }
    }
    out
}

/// Checks authority.yaml.
pub fn check_office(o: &Office) -> Vec<Issue> {
    let mut out = Vec::new();
    let problems = o
        .smtp
        .iter()
        .flat_map(|s| s.problems())
        .chain(o.reporting.iter().flat_map(|r| r.problems()));
    {
        for problem in problems {
            let field = problem
                .split_whitespace()
                .next()
                .unwrap_or("smtp")
                .to_string();
            out.push(Issue::at("O001", field, problem));
        }
    }
    if o.office.timezone.parse::<chrono_tz::Tz>().is_err() {
        out.push(Issue::at(
            "O001",
            "office.timezone",
            format!(
                "`{}` is not an IANA time zone (e.g. America/Chicago)",
                o.office.timezone
            ),
        ));
    }
    let mut roles = HashSet::new();
    for (i, r) in o.roles.iter().enumerate() {
        if !roles.insert(r.id.as_str()) {
            out.push(Issue::at(
                "O001",
                format!("roles[{i}].id"),
                format!("role `{}` is defined twice", r.id),
            ));
        }
    }
    let mut emails = HashSet::new();
    for (i, p) in o.people.iter().enumerate() {
        if !emails.insert(p.email.to_ascii_lowercase()) {
            out.push(Issue::at(
                "O001",
                format!("people[{i}].email"),
                format!("`{}` is listed twice", p.email),
            ));
        }
        if !roles.contains(p.role.as_str()) {
            out.push(Issue::at(
                "O001",
                format!("people[{i}].role"),
                format!("role `{}` is not defined in roles", p.role),
            ));
        }
        if let Some(key) = &p.signing_key {
            if let Err(why) = crate::domain::office::parse_signing_key(key) {
                out.push(Issue::at("O002", format!("people[{i}].signing_key"), why));
            }
        }
    }
    let types: HashSet<&str> = o
        .authority_matrix
        .claim_types
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    for (kind, rules) in [
        ("reserve", &o.authority_matrix.reserve),
        ("settlement", &o.authority_matrix.settlement),
    ] {
        let mut seen_rules = HashSet::new();
        for (i, rule) in rules.iter().enumerate() {
            // One rule per claim type and one limit per role: the matrix is applied first
            // match first, so a second would be a limit nobody sees applied.
            if !seen_rules.insert(rule.claim_type.as_str()) {
                out.push(Issue::at(
                    "O001",
                    format!("authority_matrix.{kind}[{i}].claim_type"),
                    format!(
                        "the {kind} matrix has two rules for `{}`; keep one",
                        rule.claim_type
                    ),
                ));
            }
            let mut seen_roles = HashSet::new();
            for (j, l) in rule.limits.iter().enumerate() {
                if !seen_roles.insert(l.role.as_str()) {
                    out.push(Issue::at(
                        "O001",
                        format!("authority_matrix.{kind}[{i}].limits[{j}].role"),
                        format!(
                            "role `{}` has two {kind} limits on `{}` claims; keep one",
                            l.role, rule.claim_type
                        ),
                    ));
                }
            }
            if !types.contains(rule.claim_type.as_str()) {
                out.push(Issue::at(
                    "O001",
                    format!("authority_matrix.{kind}[{i}].claim_type"),
                    format!("claim type `{}` is not in claim_types", rule.claim_type),
                ));
            }
            for (j, l) in rule.limits.iter().enumerate() {
                if !roles.contains(l.role.as_str()) {
                    out.push(Issue::at(
                        "O001",
                        format!("authority_matrix.{kind}[{i}].limits[{j}].role"),
                        format!("role `{}` is not defined in roles", l.role),
                    ));
                }
            }
            if let Some(r) = &rule.review_by {
                if !roles.contains(r.as_str()) {
                    out.push(Issue::at(
                        "O001",
                        format!("authority_matrix.{kind}[{i}].review_by"),
                        format!("role `{r}` is not defined in roles"),
                    ));
                }
            }
        }
    }
    check_routing(o, &types, &mut out);
    out
}

/// Routing rules name contacts that exist; checklists name claim types of the matrix.
fn check_routing(o: &Office, types: &HashSet<&str>, out: &mut Vec<Issue>) {
    let contacts: HashSet<&str> = o.contacts.iter().map(|c| c.id.as_str()).collect();
    for (i, r) in o.routing.iter().enumerate() {
        match (&r.specialty, &r.handler) {
            // A specialty nobody holds is allowed (a new office): its claims are escalated.
            (Some(_), _) => {}
            (None, Some(h)) => {
                if !contacts.contains(h.as_str()) {
                    out.push(Issue::at(
                        "O001",
                        format!("routing[{i}].handler"),
                        format!("`{h}` is not a contact id under contacts"),
                    ));
                }
            }
            (None, None) => out.push(Issue::at(
                "O001",
                format!("routing[{i}]"),
                format!("rule `{}` names neither a specialty nor a handler", r.name),
            )),
        }
        for (j, n) in r.notify.iter().enumerate() {
            if n != "supervisor" && !contacts.contains(n.as_str()) {
                out.push(Issue::at(
                    "O001",
                    format!("routing[{i}].notify[{j}]"),
                    format!("`{n}` is neither `supervisor` nor a contact id under contacts"),
                ));
            }
        }
    }
    for (i, list) in o.investigation.iter().enumerate() {
        if !types.contains(list.claim_type.as_str()) {
            out.push(Issue::at(
                "O001",
                format!("investigation[{i}].claim_type"),
                format!("claim type `{}` is not in claim_types", list.claim_type),
            ));
        }
    }
}
