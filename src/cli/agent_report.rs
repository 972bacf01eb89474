//! `claims agent-report AGENT`: the agent's desk — every claim of the agent's clients with
//! where it stands, who handles it, when anyone was last written to, what comes next and the
//! documents still needed, in the same words the status letters use
//! ([`crate::domain::progress`]), so an agent can answer a client without calling the office.

use serde::Serialize;

use super::list::agent_matches;
use super::output::{cell, Format, Out, Rows};
use super::Globals;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::Claim;
use crate::domain::progress;
use crate::domain::sla::{self, SlaContext};
use crate::error::{Error, Result};
use crate::store::session::{office_now, Workspace};

/// The claims of an agent's clients: status, adjuster, last update, next step, documents
/// still needed.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The agent: their email, or a part of their name or agency.
    pub agent: String,
    /// Closed, denied and merged claims too.
    #[arg(long)]
    pub all: bool,
}

#[derive(Serialize)]
struct Row {
    claim: String,
    insured: Option<String>,
    policy: Option<String>,
    loss_date: Option<chrono::NaiveDate>,
    status: String,
    adjuster: Option<String>,
    adjuster_phone: Option<String>,
    last_update: Option<chrono::NaiveDate>,
    next_step: Option<String>,
    documents_needed: Vec<String>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let today = office_now(ws.tz)?.date_naive();
    let calendar = BusinessCalendar::new(ws.office.calendar.clone());
    let ctx = SlaContext::of(&ws.office, &calendar, ws.tz);
    let mut claims: Vec<Claim> = super::readable_claims(&ws.root)
        .into_iter()
        .filter(|c| agent_matches(c, &args.agent))
        .collect();
    if claims.is_empty() {
        return Err(Error::refused(format!(
            "no claim has an agent matching `{}` (their email, or part of their name or agency)",
            args.agent
        )));
    }
    let agents: std::collections::BTreeSet<String> = claims
        .iter()
        .filter_map(|c| c.agent.as_ref())
        .map(|a| {
            a.name
                .clone()
                .or(a.email.clone())
                .unwrap_or_else(|| "?".into())
        })
        .collect();
    claims.retain(|c| args.all || !c.status.is_final());
    claims.sort_by(|a, b| (b.received_at, &a.id).cmp(&(a.received_at, &b.id)));
    let day = |t: crate::domain::claim::Timestamp| t.with_timezone(&ws.tz).date_naive();
    let rows: Vec<Row> = claims
        .iter()
        .map(|c| {
            let adjuster = crate::domain::denial::handling_adjuster(c, &ws.office);
            let clocks = sla::clocks(c, &ctx, today);
            Row {
                claim: c.id.clone(),
                insured: c.insured.as_ref().and_then(|p| p.name.clone()),
                policy: c.policy_number.clone(),
                loss_date: c.loss.date,
                status: progress::status_words(c).to_string(),
                adjuster: adjuster.map(|p| p.name.clone()),
                adjuster_phone: adjuster.and_then(|p| p.phone.clone()),
                last_update: progress::last_written(c).map(day),
                next_step: progress::next_steps(c, &clocks).into_iter().next(),
                documents_needed: progress::documents_needed(c)
                    .into_iter()
                    .map(|d| match d.due {
                        Some(due) => format!("{} (by {due})", d.name),
                        None => d.name,
                    })
                    .collect(),
            }
        })
        .collect();
    let mut out = Out::new();
    Rows {
        headers: &[
            "claim",
            "insured",
            "policy",
            "loss_date",
            "status",
            "adjuster",
            "adjuster_phone",
            "last_update",
            "next_step",
            "documents_needed",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.claim.clone(),
                cell(r.insured.as_ref()),
                cell(r.policy.as_ref()),
                cell(r.loss_date),
                r.status.clone(),
                cell(r.adjuster.as_ref()),
                cell(r.adjuster_phone.as_ref()),
                cell(r.last_update),
                cell(r.next_step.as_ref()),
                r.documents_needed.join("; "),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    g.say(format!(
        "{} claim{} of {}'s clients{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        agents.into_iter().collect::<Vec<_>>().join(", "),
        if args.all {
            ""
        } else {
            " (open; --all for every one)"
        }
    ));
    Ok(0)
}
