//! `claims triage ID... | --pending`: coverage verification, priority, catastrophe codes and
//! the letter the outcome calls for — one signed commit per claim (see
//! [`crate::workflow::triage`]).

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::claim::Claim;
use crate::domain::lifecycle::Status;
use crate::error::Result;
use crate::store::session::Done;
use crate::workflow::triage::{next_step, TriageClaim};
use crate::workflow::{parse_claim_id, plain, Command};

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

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let session = super::session(g)?;
    let targets = if args.pending {
        let mut waiting = session.tip_claims(|c: Claim| {
            (c.status == Status::Reported).then_some((c.received_at, c.id))
        })?;
        waiting.sort();
        waiting
            .iter()
            .map(|(_, id)| parse_claim_id(id))
            .collect::<Result<Vec<_>>>()?
    } else {
        args.ids
            .iter()
            .map(|s| parse_claim_id(s))
            .collect::<Result<Vec<_>>>()?
    };
    let show_dry_runs = format == Format::Table && !g.quiet;
    // A claim that cannot be triaged (a policy file lacking a provision, a letter that cannot
    // be written) is reported and left waiting; the others go on.
    let (rows, refused) = super::each_claim(g, &session, &targets, |id| {
        let done = session.run(&Command::Triage(TriageClaim { id: id.clone() }), g.dry_run)?;
        if done.commit.is_some() || show_dry_runs {
            super::update::report(g, &done);
        }
        Ok(row(&done))
    })?;
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
        super::refused_clause(refused)
    ));
    Ok(if refused > 0 { 1 } else { 0 })
}

fn row(done: &Done) -> Row {
    let claim = done.claim().expect("triage changes its claim");
    let t = claim
        .triage
        .as_ref()
        .expect("a triaged claim has its triage");
    let merged = claim.merged_into.is_some();
    Row {
        id: claim.id.clone(),
        outcome: plain(&t.coverage),
        priority: if merged {
            String::new()
        } else {
            t.priority.as_str().into()
        },
        deductible: t.deductible.map(|d| d.to_string()).unwrap_or_default(),
        conditions: t.conditions.iter().map(|c| c.code.clone()).collect(),
        catastrophe: t.catastrophe.clone().unwrap_or_default(),
        next: next_step(claim),
    }
}
