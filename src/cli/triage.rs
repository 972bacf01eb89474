//! `claims triage ID... | --pending`: coverage verification against the policy file, the
//! outcome with its reasons, priority and its assignment deadline, catastrophe codes — one
//! signed commit per claim (two for a duplicate: the original gains the facts, the duplicate
//! closes as merged).

use std::collections::HashMap;

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::{Claim, CoverageOutcome, Note, Party, Priority, Timestamp, Triage};
use crate::domain::claim_id::ClaimId;
use crate::domain::coverage::{verify, Verdict};
use crate::domain::lifecycle::Status;
use crate::domain::office::{Permission, Person};
use crate::domain::policy::{find_policy, Policy, PolicyKeys};
use crate::domain::priority::{assign_by, catastrophe, escalates, score};
use crate::error::{Error, Result};
use crate::intake::admit::{duplicates, DuplicateKey, KnownClaims};
use crate::letters::{addressee, recipient_of, LetterTemplates};
use crate::store::files::{load_claims, load_policies, load_templates, parse_claim_id};
use crate::store::session::{ClaimChange, Committed, Session};

/// Verify coverage and set priority: each claim named, or every claim waiting for triage.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Claims to triage (reported, or waiting in the manual-lookup queue).
    #[arg(required_unless_present = "pending", conflicts_with = "pending")]
    pub ids: Vec<String>,
    /// Every claim waiting for triage (status reported), oldest first.
    #[arg(long)]
    pub pending: bool,
}

/// One row of the report.
#[derive(Serialize)]
struct Row {
    id: String,
    outcome: String,
    priority: String,
    deductible: String,
    conditions: Vec<String>,
    catastrophe: String,
    next: String,
}

/// What every claim's triage reads, loaded once for the whole run.
struct Context<'a> {
    session: &'a Session,
    policies: HashMap<String, Policy>,
    claims: HashMap<String, Claim>,
    known: KnownClaims,
    templates: LetterTemplates,
    calendar: BusinessCalendar,
    actor: Person,
    /// Print each dry run's diff (not when stdout carries JSON or CSV).
    show_dry_runs: bool,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let session = super::open_session(g, Permission::Triage, "triage claims")?;
    let root = session.ws.root.clone();
    let all = load_claims(&root);
    let known: KnownClaims = all
        .iter()
        .filter(|c| c.status != Status::Merged)
        .map(DuplicateKey::of)
        .collect::<Vec<_>>()
        .into();
    let claims: HashMap<String, Claim> = all.into_iter().map(|c| (c.id.clone(), c)).collect();
    let targets = targets(&args, &claims)?;
    let ctx = Context {
        session: &session,
        policies: load_policies(&root),
        known,
        templates: load_templates(&root)?,
        calendar: BusinessCalendar::new(session.ws.office.calendar.clone()),
        actor: session
            .ws
            .office
            .person(&session.actor.email)
            .cloned()
            .expect("the session's actor is in authority.yaml"),
        claims,
        show_dry_runs: format == Format::Table && !g.quiet,
    };
    // A claim that cannot be triaged (a policy file lacking a provision, a letter that cannot
    // be written) is reported and left waiting; the others go on.
    let (rows, refused) = super::each_claim(g, &session, &targets, |id| triage_one(g, &ctx, id))?;
    let mut out = Out::new();
    Rows {
        headers: &[
            "id",
            "outcome",
            "priority",
            "deductible",
            "conditions",
            "catastrophe",
            "next",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.id.clone(),
                r.outcome.clone(),
                r.priority.clone(),
                r.deductible.clone(),
                r.conditions.join(", "),
                r.catastrophe.clone(),
                r.next.clone(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    g.say(format!(
        "{} {} claim{}{}",
        if g.dry_run { "would triage" } else { "triaged" },
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        if refused > 0 {
            format!(", {refused} refused (left as they were)")
        } else {
            String::new()
        }
    ));
    Ok(if refused > 0 { 1 } else { 0 })
}

/// The claims to triage, checked before anything is written.
fn targets(args: &Args, claims: &HashMap<String, Claim>) -> Result<Vec<ClaimId>> {
    if args.pending {
        let mut waiting: Vec<&Claim> = claims
            .values()
            .filter(|c| c.status == Status::Reported)
            .collect();
        waiting.sort_by(|a, b| (a.received_at, &a.id).cmp(&(b.received_at, &b.id)));
        return waiting.iter().map(|c| parse_claim_id(&c.id)).collect();
    }
    let mut out = Vec::new();
    for raw in &args.ids {
        let id = parse_claim_id(raw)?;
        let claim = claims
            .get(id.as_str())
            .ok_or_else(|| Error::refused(format!("no claim {id}")))?;
        if !matches!(claim.status, Status::Reported | Status::NoPolicyFound) {
            return Err(Error::refused(format!(
                "{id} is {}: only reported claims (or those waiting for a policy lookup) are triaged",
                claim.status
            )));
        }
        out.push(id);
    }
    Ok(out)
}

fn triage_one(g: &Globals, ctx: &Context, id: &ClaimId) -> Result<Row> {
    if let Some(original) = original_of(ctx, id) {
        return merge(g, ctx, id, &original);
    }
    let mut row: Option<Row> = None;
    let done = ctx
        .session
        .change_claim(id, "triage", g.dry_run, |claim, now| {
            let (change, r) = triage_claim(ctx, claim, now)?;
            row = Some(r);
            Ok(change)
        })?;
    report(g, ctx, &done);
    Ok(row.expect("a triaged claim has its row"))
}

fn report(g: &Globals, ctx: &Context, done: &Committed) {
    if done.commit.is_some() || ctx.show_dry_runs {
        super::update::report(g, done);
    }
}

/// The earlier, unmerged claim this one duplicates, if any.
fn original_of(ctx: &Context, id: &ClaimId) -> Option<(String, String)> {
    let claim = ctx.claims.get(id.as_str())?;
    duplicates(claim, &ctx.known)
        .into_iter()
        .filter_map(|(k, why)| Some((ctx.claims.get(&k.id)?, why)))
        .filter(|(other, _)| {
            other.id != claim.id
                && !other.status.is_final()
                && (other.received_at, &other.id) < (claim.received_at, &claim.id)
        })
        .min_by(|a, b| (a.0.received_at, &a.0.id).cmp(&(b.0.received_at, &b.0.id)))
        .map(|(other, why)| (other.id.clone(), why))
}

/// The original gains the duplicate's facts (one commit), then the duplicate closes as merged
/// with a pointer to it (another).
fn merge(g: &Globals, ctx: &Context, id: &ClaimId, original: &(String, String)) -> Result<Row> {
    let (original_id, why) = original;
    let dup = ctx.claims.get(id.as_str()).expect("a target").clone();
    let by = ctx.session.actor.email.clone();
    let into = parse_claim_id(original_id)?;
    let done = ctx
        .session
        .change_claim(&into, "triage merge", g.dry_run, |claim, now| {
            gain_facts(claim, &dup, &by, now);
            Ok(ClaimChange::new(format!(
                "triage merge {}: gains the facts of duplicate {}",
                claim.id, dup.id
            ))
            .trailer("Merged-From", dup.id.clone()))
        })?;
    report(g, ctx, &done);
    let done = ctx
        .session
        .change_claim(id, "triage", g.dry_run, |claim, now| {
            let (priority, priority_reasons) = score(claim, &ctx.session.ws.office.priority);
            claim.triage = Some(Triage {
                at: now,
                by: by.clone(),
                coverage: CoverageOutcome::Duplicate,
                reasons: vec![why.clone()],
                conditions: vec![],
                deductible: None,
                sublimit: None,
                priority,
                priority_reasons,
                assign_by: None,
                catastrophe: None,
                escalated: false,
            });
            claim.merged_into = Some(original_id.clone());
            claim.status = Status::Merged;
            claim.record_event(now, &by, "merge", Status::Merged);
            Ok(ClaimChange::new(format!(
                "triage {}: duplicate, merged into {original_id}",
                claim.id
            ))
            .trailer("Outcome", "duplicate")
            .trailer("Merged-Into", original_id.clone()))
        })?;
    report(g, ctx, &done);
    Ok(Row {
        id: id.to_string(),
        outcome: "duplicate".into(),
        priority: String::new(),
        deductible: String::new(),
        conditions: vec![],
        catastrophe: String::new(),
        next: format!("merged into {original_id}"),
    })
}

/// What the duplicate report adds to the original: a note with its facts, and the facts the
/// original lacked.
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

/// Triage of one claim as it stands at the branch tip: the record, the status, and the letter
/// the outcome calls for.
fn triage_claim(ctx: &Context, claim: &mut Claim, now: Timestamp) -> Result<(ClaimChange, Row)> {
    let office = &ctx.session.ws.office;
    let by = ctx.session.actor.email.clone();
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
    };
    let found = find_policy(&keys, &ctx.policies).map(|(p, how)| (p.clone(), how));
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
        let text = policy_request(ctx, claim, now)?;
        files
            .push(super::file_letter(claim, "policy_information_request", "insured", now, text)?.1);
        if claim.status != Status::NoPolicyFound {
            claim.status = Status::NoPolicyFound;
            claim.record_event(now, &by, "triage", Status::NoPolicyFound);
        }
        let mut change = ClaimChange::new(format!("triage {}: policy not found", claim.id))
            .trailer("Outcome", "policy_not_found");
        change.files = files;
        let row = Row {
            id: claim.id.clone(),
            outcome: "policy_not_found".into(),
            priority: priority.as_str().into(),
            deductible: String::new(),
            conditions: vec![],
            catastrophe: String::new(),
            next: "manual-lookup queue; policy information requested".into(),
        };
        return Ok((change, row));
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
    let deadline = assign_by(
        claim,
        priority,
        &office.priority,
        &ctx.calendar,
        ctx.session.ws.tz,
    );
    if verdict.outcome == CoverageOutcome::InQuestion {
        let text = reservation_of_rights(ctx, claim, &policy, &verdict, now)?;
        files.push(super::file_letter(claim, "reservation_of_rights", "insured", now, text)?.1);
    }
    let next = match verdict.outcome {
        CoverageOutcome::Confirmed => "ready for assignment".to_string(),
        CoverageOutcome::InQuestion => {
            "ready for assignment; reservation of rights sent".to_string()
        }
        _ => "coverage-review queue: senior adjuster or coverage counsel".to_string(),
    };
    let outcome = super::show::serde_plain(&verdict.outcome);
    let row = Row {
        id: claim.id.clone(),
        outcome: outcome.clone(),
        priority: priority.as_str().into(),
        deductible: verdict
            .deductible
            .map(|d| d.to_string())
            .unwrap_or_default(),
        conditions: verdict.conditions.iter().map(|c| c.code.clone()).collect(),
        catastrophe: cat.clone().unwrap_or_default(),
        next,
    };
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
    claim.status = Status::Triaged;
    claim.record_event(now, &by, "triage", Status::Triaged);
    let mut change = ClaimChange::new(format!(
        "triage {}: {outcome}, {} priority",
        claim.id,
        priority.as_str()
    ))
    .trailer("Outcome", outcome)
    .trailer("Priority", priority.as_str())
    .trailer("Policy", policy.number.clone());
    if let Some(c) = cat {
        change = change.trailer("Catastrophe", c);
    }
    change.files = files;
    Ok((change, row))
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

fn render(ctx: &Context, template: &str, context: serde_json::Value) -> Result<String> {
    ctx.templates.render(template, &context).map_err(|e| {
        Error::refused(format!(
            "the {} letter cannot be written: {e}",
            template.replace('_', " ")
        ))
    })
}

fn reservation_of_rights(
    ctx: &Context,
    claim: &Claim,
    policy: &Policy,
    verdict: &Verdict,
    now: Timestamp,
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
        ctx,
        "reservation_of_rights",
        serde_json::json!({
            "office": ctx.session.ws.office.office,
            "today": now.date_naive().to_string(),
            "recipient": recipient(claim)?,
            "claim": claim,
            "reasons": reasons,
            "provisions": provisions,
            "adjuster": ctx.actor,
            "delivery_method": "Certified mail, return receipt requested",
        }),
    )
}

fn policy_request(ctx: &Context, claim: &Claim, now: Timestamp) -> Result<String> {
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
    let respond_by = ctx.calendar.add_business_days(now.date_naive(), 15);
    render(
        ctx,
        "policy_information_request",
        serde_json::json!({
            "office": ctx.session.ws.office.office,
            "today": now.date_naive().to_string(),
            "recipient": recipient(claim)?,
            "claim": claim,
            "vehicle": vehicle.filter(|v| !v.trim().is_empty()),
            "respond_by": respond_by.to_string(),
            "adjuster": ctx.actor,
        }),
    )
}
