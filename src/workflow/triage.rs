//! Triage: coverage verification against the policy file, the outcome with its reasons,
//! priority and its assignment deadline, catastrophe codes, and the letter the outcome calls
//! for. A notice that is likely the same loss as an earlier open claim is folded into it
//! instead ([`super::duplicates`]); a possible one is triaged and waits for a person's review.

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use super::duplicates::{merge, same_losses, Merging};
use crate::domain::claim::{Claim, CoverageOutcome, Party, PossibleDuplicate, Priority, Triage};
use crate::domain::claim_id::ClaimId;
use crate::domain::coverage::{verify, Verdict};
use crate::domain::lifecycle::Status;
use crate::domain::policy::{find_policy, Policy, PolicyKeys};
use crate::domain::priority::{assign_by, catastrophe, escalates, score};
use crate::domain::same_loss::Strength;
use crate::error::{Error, Result};
use crate::letters::{addressee, recipient_of};

/// `claims triage ID` (and each claim of `claims triage --pending`).
#[derive(Clone, Debug, PartialEq)]
pub struct TriageClaim {
    pub id: ClaimId,
}

impl TriageClaim {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<TriageClaim, String> {
        Ok(TriageClaim {
            id: super::claim_id(r)?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let claim = desk.claim(&self.id)?;
        if !matches!(claim.status, Status::Reported | Status::NoPolicyFound)
            && !policy_corrected(&claim)
        {
            return Err(Error::refused(format!(
                "{} is {}: only reported claims (or those waiting for a policy lookup, or triaged but not assigned whose policy number was corrected since) are triaged",
                self.id, claim.status
            )));
        }
        let found = same_losses(desk, &claim)?;
        if let Some((original, _, why)) = found.iter().find(|(_, s, _)| *s == Strength::Likely) {
            let original = desk.claim(&super::parse_claim_id(original)?)?;
            return merge(desk, claim, original, Merging::AtTriage(why.clone()));
        }
        desk.edit(&self.id, |claim| {
            let mut edit = triage(desk, claim)?;
            for (of, _, reasons) in found {
                edit = edit.trailer("Possible-Duplicate", of.clone());
                claim.possible_duplicates.push(PossibleDuplicate {
                    of,
                    reasons,
                    found_at: desk.now,
                    decision: None,
                });
            }
            Ok(edit)
        })
    }
}

/// Triaged, not yet assigned, and its policy number is no longer the one triage verified.
fn policy_corrected(claim: &Claim) -> bool {
    claim.status == Status::Triaged
        && claim.assignment.is_none()
        && claim.triage.as_ref().is_some_and(|t| {
            t.policy.as_deref().map(str::to_ascii_uppercase)
                != claim
                    .policy_number
                    .as_deref()
                    .map(|n| n.trim().to_ascii_uppercase())
        })
}

/// What the next step is after a triage outcome (for reports).
pub fn next_step(claim: &Claim) -> String {
    if let Some(into) = &claim.merged_into {
        return format!("merged into {into}");
    }
    match claim.triage.as_ref().map(|t| t.coverage) {
        Some(CoverageOutcome::Confirmed) => "ready for assignment".into(),
        Some(CoverageOutcome::InQuestion) => {
            "ready for assignment; reservation of rights sent".into()
        }
        Some(CoverageOutcome::PolicyNotFound) => {
            "manual-lookup queue; policy information requested".into()
        }
        Some(_) => "coverage-review queue: senior adjuster or coverage counsel".into(),
        None => String::new(),
    }
}

/// Triage of one claim: the record, the status, and the letter the outcome calls for.
fn triage(desk: &Desk, claim: &mut Claim) -> Result<Edit> {
    let office = desk.office;
    let by = desk.actor.email.clone();
    let now = desk.now;
    let vins: Vec<&str> = claim
        .auto
        .iter()
        .flat_map(|a| a.vehicles.iter().filter_map(|v| v.vin.as_deref()))
        .collect();
    let keys = PolicyKeys {
        number: claim.policy_number.as_deref(),
        insured_name: claim.insured.as_ref().and_then(|p| p.name.as_deref()),
        vins,
        address: claim
            .property
            .as_ref()
            .and_then(|p| p.property_address.as_deref()),
        line: None,
    };
    let found = find_policy(&keys, desk.records.policies()).map(|(p, how)| (p.clone(), how));
    let (priority, priority_reasons) = score(claim, &office.priority);
    let mut files = Vec::new();

    let Some((policy, how)) = found else {
        let reason = match &claim.policy_number {
            Some(n) => format!(
                "no policy {n} in policies/, and no unique match by insured name, VIN or address"
            ),
            None => {
                "no policy number reported, and no unique match by insured name, VIN or address"
                    .into()
            }
        };
        claim.triage = Some(Triage::unverified(
            now,
            by.clone(),
            CoverageOutcome::PolicyNotFound,
            reason,
            (priority, priority_reasons),
        ));
        let text = policy_request(desk, claim)?;
        files.push(
            super::file_letter(
                desk.office.claim_folders(),
                claim,
                "policy_information_request",
                "insured",
                now,
                text,
            )?
            .1,
        );
        if claim.status != Status::NoPolicyFound {
            claim.record_event(now, &by, "triage", Status::NoPolicyFound);
        }
        let mut edit = Edit::new(format!("triage {}: policy not found", claim.id))
            .trailer("Outcome", "policy_not_found");
        edit.files = files;
        return Ok(edit);
    };

    if claim.policy_number.as_deref() != Some(policy.number.as_str()) {
        claim.policy_number = Some(policy.number.clone());
    }
    insured_of_policy(claim, &policy, &by, now);
    if let Some(agent) = &policy.agent {
        fill_party(&mut claim.agent, agent);
    }
    let mut verdict = verify(claim, &policy);
    if how != "number" {
        verdict
            .reasons
            .insert(0, format!("policy {} found by {how}", policy.number));
    }
    let cat = catastrophe(claim, &office.catastrophes).map(|c| c.code.clone());
    let escalated = escalates(claim);
    let mut priority_reasons = priority_reasons;
    if escalated {
        priority_reasons.push("represented claimant on a liability claim: escalated".into());
    }
    let deadline = assign_by(claim, priority, &office.priority, desk.calendar, desk.tz);
    if verdict.outcome == CoverageOutcome::InQuestion {
        let text = reservation_of_rights(desk, claim, &policy, &verdict)?;
        files.push(
            super::file_letter(
                desk.office.claim_folders(),
                claim,
                "reservation_of_rights",
                "insured",
                now,
                text,
            )?
            .1,
        );
    }
    let outcome = super::plain(&verdict.outcome);
    claim.triage = Some(Triage {
        at: now,
        by: by.clone(),
        coverage: verdict.outcome,
        reasons: verdict.reasons,
        conditions: verdict.conditions,
        deductible: verdict.deductible,
        sublimit: verdict.sublimit,
        priority,
        priority_reasons,
        assign_by: Some(deadline),
        catastrophe: cat.clone(),
        policy: Some(policy.number.clone()),
        escalated: escalated || priority == Priority::Critical,
    });
    claim.record_event(now, &by, "triage", Status::Triaged);
    let mut edit = Edit::new(format!(
        "triage {}: {outcome}, {} priority",
        claim.id,
        priority.as_str()
    ))
    .trailer("Outcome", outcome)
    .trailer("Priority", priority.as_str())
    .trailer("Policy", policy.number.clone());
    if let Some(c) = cat {
        edit = edit.trailer("Catastrophe", c);
    }
    edit.files = files;
    Ok(edit)
}

/// The insured is the policy's named insured, not a mix of the report and the policy: what the
/// report said of them, where it differs, is kept in a note (a new phone number, say).
fn insured_of_policy(
    claim: &mut Claim,
    policy: &Policy,
    by: &str,
    now: crate::domain::claim::Timestamp,
) {
    let reported = claim.insured.clone().unwrap_or_default();
    let named = &policy.insured;
    let differs = |r: &Option<String>, p: &Option<String>, what: &str| {
        let r = r.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        (p.as_deref().map(str::trim) != Some(r)).then(|| format!("{what} {r}"))
    };
    let said: Vec<String> = [
        differs(&reported.name, &named.name, "name"),
        differs(&reported.phone, &named.phone, "phone"),
        differs(&reported.email, &named.email, "email"),
        differs(&reported.address, &named.address, "address"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let relationship = reported.relationship.clone();
    claim.insured = Some(Party {
        relationship,
        ..named.clone()
    });
    if !said.is_empty() && claim.triage.is_none() {
        claim.notes.push(crate::domain::claim::Note {
            at: now,
            by: by.to_string(),
            text: format!(
                "The report gave the insured's {}; the insured on file is policy {}'s named insured",
                said.join(", "),
                policy.number
            ),
        });
    }
}

fn fill_party(mine: &mut Option<Party>, policy: &Party) {
    let p = mine.get_or_insert_with(Party::default);
    let fill = |m: &mut Option<String>, t: &Option<String>| {
        if m.as_deref().is_none_or(|s| s.trim().is_empty()) {
            m.clone_from(t);
        }
    };
    fill(&mut p.name, &policy.name);
    fill(&mut p.organization, &policy.organization);
    fill(&mut p.phone, &policy.phone);
    fill(&mut p.email, &policy.email);
    fill(&mut p.address, &policy.address);
}

/// The addressee of a letter about the claim (the insured, else the reporter).
fn recipient(claim: &Claim) -> Result<serde_json::Value> {
    addressee(claim)
        .map(recipient_of)
        .ok_or_else(|| Error::refused(format!("{} names neither insured nor reporter", claim.id)))
}

fn render(desk: &Desk, template: &str, context: serde_json::Value) -> Result<String> {
    desk.records
        .templates()?
        .render(template, &context)
        .map_err(|e| {
            Error::refused(format!(
                "the {} letter cannot be written: {e}",
                template.replace('_', " ")
            ))
        })
}

fn reservation_of_rights(
    desk: &Desk,
    claim: &Claim,
    policy: &Policy,
    verdict: &Verdict,
) -> Result<String> {
    let mut provisions = Vec::new();
    for c in &verdict.conditions {
        if let Some(p) = &c.provision {
            if !provisions.contains(p) {
                provisions.push(p.clone());
            }
        }
    }
    if provisions.is_empty() {
        return Err(Error::refused(format!(
            "{}: coverage is in question ({}), but policy {} names no provision for it; \
             add the condition and its provision to the policy file",
            claim.id,
            verdict
                .conditions
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            policy.number
        )));
    }
    let reasons: Vec<String> = verdict
        .conditions
        .iter()
        .map(|c| c.description.clone())
        .collect();
    render(
        desk,
        "reservation_of_rights",
        serde_json::json!({
            "office": desk.office.office,
            "today": desk.now.date_naive().to_string(),
            "recipient": recipient(claim)?,
            "claim": claim,
            "reasons": reasons,
            "provisions": provisions,
            "adjuster": desk.actor,
            "delivery_method": "Certified mail, return receipt requested",
        }),
    )
}

fn policy_request(desk: &Desk, claim: &Claim) -> Result<String> {
    let vehicle = claim
        .auto
        .as_ref()
        .and_then(|a| a.vehicles.first())
        .map(|v| {
            let mut s = v.description();
            if let Some(vin) = &v.vin {
                s.push_str(&format!(", VIN {vin}"));
            }
            s
        });
    let respond_by = desk.calendar.add_business_days(desk.now.date_naive(), 15);
    render(
        desk,
        "policy_information_request",
        serde_json::json!({
            "office": desk.office.office,
            "today": desk.now.date_naive().to_string(),
            "recipient": recipient(claim)?,
            "claim": claim,
            "vehicle": vehicle.filter(|v| !v.trim().is_empty()),
            "respond_by": respond_by.to_string(),
            "adjuster": desk.actor,
        }),
    )
}
