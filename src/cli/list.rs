//! `claims list`: many claims, filtered.

use serde::Serialize;

use super::output::{cell, Format, Out, Rows};
use super::Globals;
use crate::domain::claim::{Claim, LineOfBusiness};
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::error::{Error, Result};
use crate::store::files::find_office_root;

/// List claims, newest first, filtered by status, line of business or adjuster.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only claims in this status (reported, triaged, assigned, ..., or `open`).
    #[arg(long)]
    pub status: Option<String>,
    /// Only this line of business (personal_auto, property, workers_comp, ...).
    #[arg(long)]
    pub lob: Option<String>,
    /// Only claims assigned to this person (email).
    #[arg(long)]
    pub adjuster: Option<String>,
    /// Only the claims of this agent: their email, or a part of their name or agency.
    #[arg(long, value_name = "EMAIL|NAME")]
    pub agent: Option<String>,
}

/// Whether `query` names the claim's agent: their email exactly, or a part of their name or
/// agency (letter case aside).
pub(crate) fn agent_matches(claim: &Claim, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return false;
    }
    claim.agent.as_ref().is_some_and(|a| {
        a.email.as_deref().is_some_and(|e| e.to_lowercase() == q)
            || [&a.name, &a.organization]
                .into_iter()
                .flatten()
                .any(|n| n.to_lowercase().contains(&q))
    })
}

#[derive(Serialize)]
struct Row {
    id: String,
    status: Status,
    lob: LineOfBusiness,
    jurisdiction: String,
    received: String,
    policy: Option<String>,
    insured: Option<String>,
    agent: Option<String>,
    priority: Option<String>,
    adjuster: Option<String>,
    reserve: Money,
    paid: Money,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let root = find_office_root(g.repo.as_deref())?;
    let status = match args.status.as_deref() {
        None | Some("open") => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            Error::usage(format!(
                "unknown status `{s}` (one of: open, {})",
                Status::ALL.map(|s| s.as_str()).join(", ")
            ))
        })?),
    };
    let only_open = args.status.as_deref() == Some("open");
    let lob = args.lob.as_deref().map(super::parse_lob).transpose()?;
    let mut claims: Vec<Claim> = super::readable_claims(&root)
        .into_iter()
        .filter(|c| status.is_none_or(|s| c.status == s))
        .filter(|c| !only_open || c.status.is_open())
        .filter(|c| lob.is_none_or(|l| c.lob == l))
        .filter(|c| {
            args.adjuster
                .as_deref()
                .is_none_or(|a| c.adjuster().is_some_and(|x| x.eq_ignore_ascii_case(a)))
        })
        .filter(|c| args.agent.as_deref().is_none_or(|a| agent_matches(c, a)))
        .collect();
    claims.sort_by(|a, b| b.received_at.cmp(&a.received_at).then(a.id.cmp(&b.id)));
    let rows: Vec<Row> = claims
        .iter()
        .map(|c| Row {
            id: c.id.clone(),
            status: c.status,
            lob: c.lob,
            jurisdiction: c.jurisdiction.clone(),
            received: c.received_at.date_naive().to_string(),
            policy: c.policy_number.clone(),
            insured: c.insured.as_ref().and_then(|p| p.name.clone()),
            agent: c
                .agent
                .as_ref()
                .and_then(|p| p.name.clone().or(p.email.clone())),
            priority: c.priority().map(|p| p.as_str().to_string()),
            adjuster: c.adjuster().map(str::to_string),
            reserve: c.effective_reserve(),
            paid: c.paid(),
        })
        .collect();
    let mut out = Out::new();
    Rows {
        headers: &[
            "id", "status", "lob", "state", "received", "policy", "insured", "agent", "priority",
            "adjuster", "reserve", "paid",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.id.clone(),
                r.status.to_string(),
                crate::workflow::plain(&r.lob),
                r.jurisdiction.clone(),
                r.received.clone(),
                cell(r.policy.as_ref()),
                cell(r.insured.as_ref()),
                cell(r.agent.as_ref()),
                cell(r.priority.as_ref()),
                cell(r.adjuster.as_ref()),
                r.reserve.to_string(),
                r.paid.to_string(),
            ]
        },
    }
    .print(format, &mut out);
    g.say(format!("{} claims", rows.len()));
    Ok(0)
}
