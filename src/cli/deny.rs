//! `claims deny`: the regulated denial path, one signed commit per step.
//!
//! recommend (adjuster) → review (compliance or counsel, where the office requires it) →
//! approve (a supervisor who did not recommend it) → letter (generated from the office's
//! template, refused if an element would be missing) → deliver (to the insured and the agent;
//! the claim is denied once both have it).

use clap::Subcommand;

use super::update::report;
use super::{open_session as open, Globals};
use crate::domain::claim::Timestamp;
use crate::domain::denial::{self, Recommendation, Sent, Trigger};
use crate::domain::money::Money;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::letters::LetterError;
use crate::store::files::{load_policies, load_templates, parse_claim_id};
use crate::store::session::{ClaimChange, Session};

/// Deny a claim: recommend, review, approve, write the letter, record its delivery.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub step: Step,
}

#[derive(Subcommand, Debug)]
pub enum Step {
    /// The adjuster recommends a denial, citing the policy's own provisions.
    Recommend(RecommendArgs),
    /// Compliance or counsel records its review (required first for represented claimants,
    /// bodily injury, or a reserve over the office's threshold).
    Review(ReviewArgs),
    /// A supervisor approves the recommended denial (never the one who recommended it).
    Approve(ApproveArgs),
    /// Write the denial letter from templates/denial.txt.j2 into the claim's letters/.
    Letter(LetterArgs),
    /// Record delivery of the letter to the insured or the agent; with both, the claim is denied.
    Deliver(DeliverArgs),
}

#[derive(clap::Args, Debug)]
pub struct RecommendArgs {
    pub id: String,
    /// lapsed, cancelled, excluded_peril, condition_notice, condition_cooperation,
    /// condition_fraud, limit_exhausted, location_not_covered
    #[arg(long)]
    pub trigger: String,
    /// A provision id from the policy file (section, page and language are quoted from it);
    /// repeat for several.
    #[arg(long = "provision", value_name = "ID")]
    pub provisions: Vec<String>,
    /// Why the loss is not covered under those provisions, in plain words for the insured.
    #[arg(long)]
    pub explanation: String,
    /// limit_exhausted: what has been paid against the limit so far.
    #[arg(long, value_name = "AMOUNT")]
    pub paid_against_limit: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    pub id: String,
    /// What the review found.
    #[arg(long)]
    pub note: String,
}

#[derive(clap::Args, Debug)]
pub struct ApproveArgs {
    pub id: String,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    CertifiedMail,
    Electronic,
}

#[derive(clap::Args, Debug)]
pub struct LetterArgs {
    pub id: String,
    /// How the letter will be sent (printed at its head).
    #[arg(long, value_enum)]
    pub method: Method,
}

#[derive(clap::Args, Debug)]
pub struct DeliverArgs {
    pub id: String,
    /// insured or agent
    #[arg(long)]
    pub to: String,
    /// Certified mail: the tracking number.
    #[arg(
        long,
        conflicts_with = "message_id",
        required_unless_present = "message_id"
    )]
    pub tracking: Option<String>,
    /// Electronic delivery: the message id of the email that carried it.
    #[arg(long)]
    pub message_id: Option<String>,
    /// The date it was sent; default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    match args.step {
        Step::Recommend(a) => recommend(g, a),
        Step::Review(a) => review(g, a),
        Step::Approve(a) => approve(g, a),
        Step::Letter(a) => letter(g, a),
        Step::Deliver(a) => deliver(g, a),
    }
}

fn recommend(g: &Globals, a: RecommendArgs) -> Result<i32> {
    let trigger = Trigger::parse(a.trigger.trim()).ok_or_else(|| {
        Error::refused(format!(
            "--trigger `{}` is not one of: {}",
            a.trigger,
            Trigger::names()
        ))
    })?;
    let paid: Option<Money> = a
        .paid_against_limit
        .as_deref()
        .map(|s| {
            s.parse()
                .map_err(|e| Error::refused(format!("--paid-against-limit `{s}`: {e}")))
        })
        .transpose()?;
    let id = parse_claim_id(&a.id)?;
    let session = open(g, Permission::RecommendDenial, "recommend denials")?;
    let policies = load_policies(&session.ws.root);
    let by = session.actor.email.clone();
    let done = session.change_claim(&id, "deny recommend", g.dry_run, |claim, now| {
        let number = claim.policy_number.clone().ok_or_else(|| {
            Error::refused(format!(
                "{} has no policy number: a denial must cite the policy",
                claim.id
            ))
        })?;
        let policy = policies.get(&number).ok_or_else(|| {
            Error::refused(format!(
                "policy {number} is not in policies/: its provisions cannot be cited"
            ))
        })?;
        let r = Recommendation {
            trigger,
            provisions: &a.provisions,
            explanation: &a.explanation,
            paid_against_limit: paid,
        };
        denial::recommend(claim, policy, &r, &by, now).map_err(Error::refused)?;
        let mut change =
            ClaimChange::new(format!("deny recommend {}: {}", claim.id, trigger.as_str()))
                .trailer("Trigger", trigger.as_str());
        for p in &a.provisions {
            change = change.trailer("Provision", p.clone());
        }
        let reasons = denial::review_reasons(claim, session.ws.office.denial.as_ref());
        if !reasons.is_empty() {
            change.body = Some(format!(
                "Compliance or counsel review required before approval: {}.",
                reasons.join("; ")
            ));
        }
        Ok(change)
    })?;
    report(g, &done);
    Ok(0)
}

fn review(g: &Globals, a: ReviewArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    let session = open(g, Permission::ComplianceReview, "review denials")?;
    let (by, role) = (session.actor.email.clone(), session.actor.role.clone());
    let done = session.change_claim(&id, "deny review", g.dry_run, |claim, now| {
        denial::record_review(claim, &by, &role, &a.note, now).map_err(Error::refused)?;
        Ok(ClaimChange::new(format!("deny review {}", claim.id)))
    })?;
    report(g, &done);
    Ok(0)
}

fn approve(g: &Globals, a: ApproveArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    let session = open(g, Permission::ApproveDenial, "approve denials")?;
    let done = approve_denial(g, &session, &id, a.note.as_deref())?;
    report(g, &done);
    Ok(0)
}

/// Approves the denial recommended on `id` as the session's actor, in one signed commit.
pub fn approve_denial(
    g: &Globals,
    session: &Session,
    id: &crate::domain::claim_id::ClaimId,
    note: Option<&str>,
) -> Result<crate::store::session::Committed> {
    let (by, role) = (session.actor.email.clone(), session.actor.role.clone());
    let settings = session.ws.office.denial.clone();
    session.change_claim(id, "deny approve", g.dry_run, |claim, now| {
        denial::approve(claim, settings.as_ref(), &by, &role, note, now).map_err(Error::refused)?;
        let recommender = claim
            .denial
            .as_ref()
            .map(|d| d.recommended_by.clone())
            .unwrap_or_default();
        Ok(ClaimChange::new(format!("deny approve {}", claim.id))
            .trailer("Recommended-By", recommender))
    })
}

fn method_words(m: Method) -> &'static str {
    match m {
        Method::CertifiedMail => "Certified mail, return receipt requested",
        Method::Electronic => "Sent electronically",
    }
}

fn letter(g: &Globals, a: LetterArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    let session = open(g, Permission::RecommendDenial, "write denial letters")?;
    let templates = load_templates(&session.ws.root)?;
    let office = session.ws.office.clone();
    let done = session.change_claim(&id, "deny letter", g.dry_run, |claim, now| {
        if claim.status != crate::domain::lifecycle::Status::DenialApproved {
            return Err(Error::refused(format!(
                "{} is {}: the letter is written once the denial is approved",
                claim.id, claim.status
            )));
        }
        let d = claim.denial.clone().expect("denial_approved has a denial");
        if d.letter.is_some() {
            return Err(Error::refused(format!(
                "{} already has its denial letter ({})",
                claim.id,
                d.letter.unwrap_or_default()
            )));
        }
        let department = denial::department(&office, &claim.jurisdiction).ok_or_else(|| {
            Error::refused(format!(
                "authority.yaml lists no insurance department for {} (denial.departments): \
                 the letter must tell the insured where to complain",
                claim.jurisdiction
            ))
        })?;
        let adjuster = denial::handling_adjuster(claim, &office).ok_or_else(|| {
            Error::refused("no handling adjuster on file to sign the letter".to_string())
        })?;
        let ctx = serde_json::json!({
            "office": office.office,
            "today": now.date_naive().to_string(),
            "recipient": claim.insured,
            "claim": claim,
            "denial": d,
            "provisions": d.provisions,
            "department": department,
            "adjuster": adjuster,
            "delivery_method": method_words(a.method),
            "agent": claim.agent,
        });
        let text = templates.render("denial", &ctx).map_err(|e| match e {
            LetterError::Missing { .. } => {
                Error::refused(format!("{e}: the office needs templates/denial.txt.j2"))
            }
            other => Error::refused(format!("the denial letter cannot be written: {other}")),
        })?;
        let missing = denial::missing_elements(&text, claim, &office);
        if !missing.is_empty() {
            return Err(Error::refused(format!(
                "templates/denial.txt.j2 leaves out required elements: {}",
                missing.join("; ")
            )));
        }
        let (file, letter) = super::file_letter(claim, "denial", "insured", now, text)?;
        claim.denial.as_mut().expect("checked").letter = Some(file);
        let mut change = ClaimChange::new(format!("deny letter {}", claim.id));
        change.files.push(letter);
        Ok(change)
    })?;
    report(g, &done);
    Ok(0)
}

fn deliver(g: &Globals, a: DeliverArgs) -> Result<i32> {
    let sent = match (&a.tracking, &a.message_id) {
        (Some(t), None) => Sent::CertifiedMail {
            tracking_number: t.clone(),
        },
        (None, Some(m)) => Sent::Electronic {
            message_id: m.clone(),
        },
        _ => return Err(Error::usage("give --tracking or --message-id")),
    };
    let id = parse_claim_id(&a.id)?;
    let session = open(g, Permission::RecommendDenial, "record denial deliveries")?;
    let settings = session.ws.office.denial.clone();
    let by = session.actor.email.clone();
    let to = a.to.trim().to_ascii_lowercase();
    let done = session.change_claim(&id, "deny deliver", g.dry_run, |claim, now: Timestamp| {
        let on = a.on.unwrap_or_else(|| now.date_naive());
        if on > now.date_naive() {
            return Err(Error::refused(format!("--on {on} is in the future")));
        }
        denial::record_delivery(claim, settings.as_ref(), &to, sent.clone(), on, &by, now)
            .map_err(Error::refused)?;
        let reference = match &sent {
            Sent::CertifiedMail { tracking_number } => tracking_number.clone(),
            Sent::Electronic { message_id } => message_id.clone(),
        };
        let mut change = ClaimChange::new(format!("deny deliver {}: to the {to}", claim.id))
            .trailer("Delivered-To", to.clone())
            .trailer("Reference", reference);
        if let Some(until) = claim.denial.as_ref().and_then(|d| d.retention_until) {
            change = change.trailer("Status", "denied");
            change.body = Some(format!("Denied; the file is kept until {until}."));
        }
        Ok(change)
    })?;
    report(g, &done);
    Ok(0)
}
