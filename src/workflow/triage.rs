//! Triage: coverage verification against the policy file, the outcome with its reasons,
//! priority and its assignment deadline, catastrophe codes, and the letter the outcome calls
//! for. A claim that duplicates an earlier open one is folded into it instead: one commit in
//! which the original gains the duplicate's facts and the duplicate closes as merged.

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim::{Claim, CoverageOutcome, Note, Party, Priority, Timestamp, Triage};
use crate::domain::claim_id::ClaimId;
use crate::domain::coverage::{verify, Verdict};
use crate::domain::lifecycle::Status;
use crate::domain::policy::{find_policy, Policy, PolicyKeys};
use crate::domain::priority::{assign_by, catastrophe, escalates, score};
use crate::error::{Error, Result};
use crate::intake::admit::duplicates;
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
        if !matches!(claim.status, Status::Reported | Status::NoPolicyFound) {
            return Err(Error::refused(format!(
                "{} is {}: only reported claims (or those waiting for a policy lookup) are triaged",
                self.id, claim.status
            )));
        }
        if let Some((original, why)) = original_of(desk, &claim)? {
            return merge(desk, claim, &original, why);
        }
        desk.edit(&self.id, |claim| triage(desk, claim))
    }
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

/// The earlier, open claim this one duplicates, if any, and why.
fn original_of(desk: &Desk, claim: &Claim) -> Result<Option<(ClaimId, String)>> {
    let register = desk.records.register()?;
    let mut found: Vec<(Timestamp, String, String)> = duplicates(claim, register.known())
        .into_iter()
        .filter(|(k, _)| k.id != claim.id)
        .filter_map(|(k, why)| {
            let s = register.standing(&k.id)?;
            (!s.status.is_final() && (s.received_at, &k.id) < (claim.received_at, &claim.id))
                .then(|| (s.received_at, k.id.clone(), why))
        })
        .collect();
    found.sort();
    match found.into_iter().next() {
        Some((_, id, why)) => Ok(Some((super::parse_claim_id(&id)?, why))),
        None => Ok(None),
    }
}

/// One commit: the original gains the duplicate's facts, the duplicate closes as merged.
fn merge(desk: &Desk, dup: Claim, into: &ClaimId, why: String) -> Result<Change> {
    let by = &desk.actor.email;
    let original = desk.claim(into)?;
    let mut gained = original.clone();
    gain_facts(&mut gained, &dup, by, desk.now);
    let mut merged = dup.clone();
    let (priority, priority_reasons) = score(&merged, &desk.office.priority);
    merged.triage = Some(Triage {
        at: desk.now,
        by: by.clone(),
        coverage: CoverageOutcome::Duplicate,
        reasons: vec![why],
        conditions: vec![],
        deductible: None,
        sublimit: None,
        priority,
        priority_reasons,
        assign_by: None,
        catastrophe: None,
        escalated: false,
    });
    merged.merged_into = Some(into.to_string());
    merged.record_event(desk.now, by, "merge", Status::Merged);
    let dup_id = super::parse_claim_id(&dup.id)?;
    desk.keep_rules(&dup, &merged, &dup_id.file_path())?;
    desk.keep_rules(&original, &gained, &into.file_path())?;
    let mut change = Change::new(
        format!("triage {}: duplicate, merged into {into}", dup.id),
        desk,
    );
    change.claim = Some(dup.id.clone());
    change.trailers = vec![
        ("Outcome".into(), "duplicate".into()),
        ("Merged-Into".into(), into.to_string()),
    ];
    change.write_claim(&dup_id.file_path(), Some(dup), merged)?;
    change.write_claim(&into.file_path(), Some(original), gained)?;
    Ok(change)
}

/// What the duplicate report adds to the original: a note with its facts, the facts the
/// original lacked, and the duplicate's id among the claims folded into it.
fn gain_facts(claim: &mut Claim, dup: &Claim, by: &str, now: Timestamp) {
    let fill = |mine: &mut Option<String>, theirs: &Option<String>| {
        if mine.as_deref().is_none_or(|s| s.trim().is_empty()) {
            mine.clone_from(theirs);
        }
    };
    fill(&mut claim.loss.description, &dup.loss.description);
    fill(&mut claim.loss.location, &dup.loss.location);
    fill(&mut claim.loss.cause, &dup.loss.cause);
    if claim.loss.time.is_none() {
        claim.loss.time.clone_from(&dup.loss.time);
    }
    for k in &dup.loss.keywords {
        if !claim.loss.keywords.contains(k) {
            claim.loss.keywords.push(k.clone());
        }
    }
    if claim.status == Status::Incomplete {
        claim.missing = crate::domain::fnol::missing_facts(claim);
    }
    if !claim.merged.contains(&dup.id) {
        claim.merged.push(dup.id.clone());
    }
    let reporter = dup
        .reporter
        .as_ref()
        .map(party_line)
        .unwrap_or_else(|| "unknown reporter".into());
    claim.notes.push(Note {
        at: now,
        by: by.to_string(),
        text: format!(
            "Duplicate report {} (received {} via {}, from {reporter}) merged into this claim: {}",
            dup.id,
            dup.received_at.format("%Y-%m-%d %H:%M"),
            super::intake::channel_name(dup.channel),
            dup.loss.description.as_deref().unwrap_or("no description")
        ),
    });
}

fn party_line(p: &Party) -> String {
    [p.name.as_deref(), p.phone.as_deref(), p.email.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
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
        claim.triage = Some(Triage {
            at: now,
            by: by.clone(),
            coverage: CoverageOutcome::PolicyNotFound,
            reasons: vec![match &claim.policy_number {
                Some(n) => format!("no policy {n} in policies/, and no unique match by insured name, VIN or address"),
                None => "no policy number reported, and no unique match by insured name, VIN or address".into(),
            }],
            conditions: vec![],
            deductible: None,
            sublimit: None,
            priority,
            priority_reasons,
            assign_by: None,
            catastrophe: None,
            escalated: false,
        });
        let text = policy_request(desk, claim)?;
        files
            .push(super::file_letter(claim, "policy_information_request", "insured", now, text)?.1);
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
    fill_party(&mut claim.insured, &policy.insured);
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
        files.push(super::file_letter(claim, "reservation_of_rights", "insured", now, text)?.1);
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
