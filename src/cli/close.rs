//! `claims release`, `claims close`, `claims subrogation`: the end of a paid claim.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::update::report;
use super::{open_session as open, Globals};
use crate::domain::claim::{
    ApprovalState, Claim, ItemStatus, LineOfBusiness, Release, Subrogation,
};
use crate::domain::lifecycle::Status;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::store::files::{find_office_root, load_claims, load_templates, parse_claim_id};
use crate::store::session::ClaimChange;

fn injury(c: &Claim) -> bool {
    c.lob == LineOfBusiness::WorkersComp
        || c.liability.as_ref().is_some_and(|l| l.bodily_injury)
        || c.auto.as_ref().is_some_and(|a| !a.injured.is_empty())
}

/// Write the release for the approved settlement (a general release for bodily injury, a
/// property release otherwise; `release_KIND_STATE` when the office has state wording), or
/// record it as signed with --signed-by and --on.
#[derive(clap::Args, Debug)]
pub struct ReleaseArgs {
    pub id: String,
    /// Record the release as signed by this person (the claimant).
    #[arg(long, requires = "on")]
    pub signed_by: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
}

pub fn run_release(g: &Globals, a: ReleaseArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    let session = open(g, Permission::Settle, "write releases")?;
    let templates = load_templates(&session.ws.root)?;
    let office = session.ws.office.clone();
    let done = session.change_claim(&id, "release", g.dry_run, |claim, now| {
        let kind = if injury(claim) { "general" } else { "property" };
        let Some(s) = claim
            .settlement
            .as_ref()
            .filter(|s| s.state == ApprovalState::Effective)
        else {
            return Err(Error::refused(format!(
                "{} has no approved settlement to release",
                claim.id
            )));
        };
        if let Some(who) = &a.signed_by {
            let on = a.on.expect("clap requires --on");
            if on > now.date_naive() {
                return Err(Error::refused(format!("--on {on} is in the future")));
            }
            let r = claim
                .settlement
                .as_mut()
                .and_then(|s| s.release.as_mut())
                .ok_or_else(|| {
                    Error::refused(format!(
                        "{} has no release written yet (`claims release {}`)",
                        claim.id, claim.id
                    ))
                })?;
            r.signed_by = Some(who.trim().to_string());
            r.signed_on = Some(on);
            return Ok(ClaimChange::new(format!(
                "release {}: signed by {} on {on}",
                claim.id,
                who.trim()
            ))
            .trailer("Signed-By", who.trim()));
        }
        if s.release.is_some() {
            return Err(Error::refused(format!(
                "{} already has its release",
                claim.id
            )));
        }
        let claimant = claim
            .liability
            .as_ref()
            .and_then(|l| l.claimant.clone())
            .or_else(|| claim.insured.clone())
            .ok_or_else(|| {
                Error::refused(
                    "no claimant or insured on the claim to sign the release".to_string(),
                )
            })?;
        let state_template = format!("release_{kind}_{}", claim.jurisdiction.to_ascii_lowercase());
        let template = if templates.has(&state_template) {
            state_template
        } else {
            format!("release_{kind}")
        };
        let property = claim
            .auto
            .as_ref()
            .and_then(|a| a.vehicles.first())
            .map(|v| v.description())
            .or_else(|| {
                claim
                    .property
                    .as_ref()
                    .and_then(|p| p.property_address.clone())
            });
        let ctx = serde_json::json!({
            "office": office.office,
            "today": now.date_naive().to_string(),
            "claimant": claimant,
            "claim": claim,
            "amount": s.amount.to_string(),
            "attorney": claim.liability.as_ref().and_then(|l| l.attorney.clone()),
            "state": claim.jurisdiction,
            "property_description": property,
        });
        let text = templates
            .render(&template, &ctx)
            .map_err(|e| Error::refused(format!("the release cannot be written: {e}")))?;
        let (file, letter) = super::file_letter(claim, &template, "claimant", now, text)?;
        claim.settlement.as_mut().expect("checked").release = Some(Release {
            kind: kind.to_string(),
            letter: file,
            signed_by: None,
            signed_on: None,
        });
        let mut change = ClaimChange::new(format!("release {}: {kind} release written", claim.id));
        change.files.push(letter);
        Ok(change)
    })?;
    report(g, &done);
    Ok(0)
}

/// Close a paid claim: the settlement paid in full, its release signed, and no task or document
/// outstanding — or each waived with a reason (`--waive "NAME=REASON"`).
#[derive(clap::Args, Debug)]
pub struct CloseArgs {
    pub id: String,
    #[arg(long = "waive", value_name = "NAME=REASON")]
    pub waive: Vec<String>,
}

pub fn run_close(g: &Globals, a: CloseArgs) -> Result<i32> {
    let mut waivers = Vec::new();
    for w in &a.waive {
        let (name, reason) = w
            .split_once('=')
            .filter(|(n, r)| !n.trim().is_empty() && !r.trim().is_empty())
            .ok_or_else(|| Error::refused(format!("--waive `{w}` must be NAME=REASON")))?;
        waivers.push((name.trim().to_string(), reason.trim().to_string()));
    }
    let id = parse_claim_id(&a.id)?;
    let session = open(g, Permission::Settle, "close claims")?;
    let by = session.actor.email.clone();
    let done = session.change_claim(&id, "close", g.dry_run, |claim, now| {
        let s = claim
            .settlement
            .clone()
            .filter(|s| s.state == ApprovalState::Effective)
            .ok_or_else(|| Error::refused(format!("{} has no approved settlement; a claim closes once paid", claim.id)))?;
        if claim.paid() < s.amount {
            return Err(Error::refused(format!(
                "{} paid of the {} settlement: pay the rest first",
                claim.paid(),
                s.amount
            )));
        }
        if injury(claim) && s.release.as_ref().is_none_or(|r| r.signed_on.is_none()) {
            return Err(Error::refused("the general release is not signed (`claims release ID --signed-by NAME --on DATE`)"));
        }
        for (name, reason) in &waivers {
            let mut found = false;
            for t in claim.tasks.iter_mut().filter(|t| t.name.eq_ignore_ascii_case(name)) {
                t.status = ItemStatus::Waived;
                t.waived_reason = Some(reason.clone());
                found = true;
            }
            for d in claim.documents.iter_mut().filter(|d| d.name.eq_ignore_ascii_case(name)) {
                d.status = ItemStatus::Waived;
                d.waived_reason = Some(reason.clone());
                found = true;
            }
            if !found {
                return Err(Error::refused(format!("no task or document named `{name}` on {}", claim.id)));
            }
        }
        let outstanding: Vec<String> = claim
            .tasks
            .iter()
            .filter(|t| t.status.is_outstanding())
            .map(|t| format!("task `{}`", t.name))
            .chain(claim.documents.iter().filter(|d| d.status.is_outstanding()).map(|d| format!("document `{}`", d.name)))
            .collect();
        if !outstanding.is_empty() {
            return Err(Error::refused(format!(
                "outstanding: {}; complete them or --waive \"NAME=REASON\"",
                outstanding.join(", ")
            )));
        }
        if claim.status == Status::SettlementPending {
            claim.status = Status::Settled;
            claim.record_event(now, &by, "settle", Status::Settled);
        }
        if !claim.status.can_move_to(Status::Closed) {
            return Err(Error::refused(format!("{} is {}: it cannot close", claim.id, claim.status)));
        }
        claim.status = Status::Closed;
        claim.record_event(now, &by, "close", Status::Closed);
        Ok(ClaimChange::new(format!("close {}: paid {}", claim.id, claim.paid())).trailer("Status", "closed"))
    })?;
    report(g, &done);
    Ok(0)
}

/// Flag a claim for subrogation (another party caused the loss), or list flagged claims.
#[derive(clap::Args, Debug)]
pub struct SubrogationArgs {
    /// The claim to flag (omit with --list).
    #[arg(required_unless_present = "list")]
    pub id: Option<String>,
    /// The party who caused the loss.
    #[arg(long, required_unless_present = "list")]
    pub target: Option<String>,
    /// Their insurer.
    #[arg(long)]
    pub carrier: Option<String>,
    /// List every claim flagged for subrogation.
    #[arg(long, conflicts_with_all = ["id", "target"])]
    pub list: bool,
}

#[derive(Serialize)]
struct Row {
    claim: String,
    target: String,
    carrier: String,
    amount_paid: String,
    flagged: String,
    status: String,
}

pub fn run_subrogation(g: &Globals, a: SubrogationArgs) -> Result<i32> {
    if a.list {
        let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
        let root = find_office_root(g.repo.as_deref())?;
        let mut rows: Vec<Row> = load_claims(&root)
            .into_iter()
            .filter_map(|c| {
                let s = c.subrogation.as_ref()?;
                Some(Row {
                    claim: c.id.clone(),
                    target: s.target.clone(),
                    carrier: s.carrier.clone().unwrap_or_default(),
                    amount_paid: c.paid().max(s.amount_paid).to_string(),
                    flagged: s.flagged_at.date_naive().to_string(),
                    status: s.status.clone(),
                })
            })
            .collect();
        rows.sort_by(|x, y| x.claim.cmp(&y.claim));
        let mut out = Out::new();
        Rows {
            headers: &[
                "claim",
                "target",
                "carrier",
                "amount_paid",
                "flagged",
                "status",
            ],
            rows: &rows,
            cells: &|r: &Row| {
                vec![
                    r.claim.clone(),
                    r.target.clone(),
                    r.carrier.clone(),
                    r.amount_paid.clone(),
                    r.flagged.clone(),
                    r.status.clone(),
                ]
            },
        }
        .print(format, &mut out);
        out.flush();
        return Ok(0);
    }
    let id = parse_claim_id(a.id.as_deref().expect("clap requires it"))?;
    let target = a.target.unwrap_or_default().trim().to_string();
    if target.is_empty() {
        return Err(Error::refused(
            "--target must name the party who caused the loss",
        ));
    }
    let session = open(g, Permission::Settle, "flag subrogation")?;
    let by = session.actor.email.clone();
    let done = session.change_claim(&id, "subrogation", g.dry_run, |claim, now| {
        claim.subrogation = Some(Subrogation {
            target: target.clone(),
            carrier: a.carrier.clone().filter(|c| !c.trim().is_empty()),
            amount_paid: claim.paid(),
            flagged_at: now,
            by: by.clone(),
            status: "open".into(),
        });
        Ok(
            ClaimChange::new(format!("subrogation {}: against {target}", claim.id))
                .trailer("Target", target.clone())
                .trailer("Amount", claim.paid().to_string()),
        )
    })?;
    report(g, &done);
    Ok(0)
}
