//! `claims assign ID... | --pending`: routing and workload balancing, or a supervisor's
//! override — one signed commit per claim (see [`crate::workflow::assignment`]).

use std::path::PathBuf;

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::claim::Claim;
use crate::domain::lifecycle::Status;
use crate::error::{Error, Result};
use crate::store::session::Done;
use crate::workflow::assignment::Assign;
use crate::workflow::{parse_claim_id, Command};

/// Route claims to adjusters (or outside handlers) and tell everyone concerned.
///
/// Each claim goes by the first routing rule of authority.yaml that matches it; a rule with a
/// specialty picks the available person holding it with the fewest open claims. `--to` and
/// `--reason` (a supervisor's override) assign or reassign one claim to a named person.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Claims to assign (triaged; with --to also assigned or under investigation).
    #[arg(required_unless_present = "pending", conflicts_with = "pending")]
    pub ids: Vec<String>,
    /// Every triaged claim waiting for an adjuster (escalated ones too), earliest deadline first.
    #[arg(long)]
    pub pending: bool,
    /// Supervisor override: assign to this person (email in authority.yaml).
    #[arg(long, value_name = "PERSON", requires = "reason")]
    pub to: Option<String>,
    /// Why the override (recorded on the claim and in the commit).
    #[arg(long, value_name = "TEXT", requires = "to")]
    pub reason: Option<String>,
    /// Where the .eml notices go (default: outbox/ at the office root).
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    outcome: String,
    rule: String,
    destination: String,
    handler: String,
    open_claims: String,
    contact_by: String,
    notices: Vec<String>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    if args.to.is_some() && args.ids.len() != 1 {
        return Err(Error::usage("--to assigns one claim at a time"));
    }
    let session = super::session(g)?;
    if let Some(dir) = &args.outbox {
        session.set_outbox(dir.clone());
    }
    let targets = if args.pending {
        let mut waiting = session.tip_claims(|c: Claim| {
            (c.status == Status::Triaged).then(|| {
                let assign_by = c.triage.as_ref().and_then(|t| t.assign_by);
                (assign_by, c.received_at, c.id)
            })
        })?;
        waiting.sort();
        waiting
            .iter()
            .map(|(_, _, id)| parse_claim_id(id))
            .collect::<Result<Vec<_>>>()?
    } else {
        args.ids
            .iter()
            .map(|s| parse_claim_id(s))
            .collect::<Result<Vec<_>>>()?
    };
    let show_dry_runs = format == Format::Table && !g.quiet;
    let (rows, refused) = super::each_claim(g, &session, &targets, |id| {
        let assign = Assign {
            id: id.clone(),
            to: args.to.clone(),
            reason: args.reason.clone(),
        };
        if let Some((rule, destination)) = session.at_tip(|desk| assign.still_escalated(desk))? {
            return Ok(Row {
                id: id.to_string(),
                outcome: "still escalated".into(),
                rule,
                destination,
                handler: String::new(),
                open_claims: String::new(),
                contact_by: String::new(),
                notices: vec![],
            });
        }
        let done = session.run(&Command::Assign(assign), g.dry_run)?;
        for w in &done.change.warnings {
            g.say(format!("warning: {w}"));
        }
        if done.commit.is_some() || show_dry_runs {
            super::update::report(g, &done);
        }
        Ok(row(&done))
    })?;
    print_rows(format, &rows);
    let written = session.delivered();
    let escalated = rows.iter().filter(|r| r.outcome != "assigned").count();
    let assigned = rows.len() - escalated;
    g.say(format!(
        "{} {assigned} claim{}{}{}{}",
        if g.dry_run {
            "would assign"
        } else {
            "assigned"
        },
        if assigned == 1 { "" } else { "s" },
        if escalated > 0 {
            format!(", {escalated} escalated (nobody available)")
        } else {
            String::new()
        },
        super::refused_clause(refused),
        match written.first().and_then(|p| p.parent()) {
            Some(dir) => format!("; {} notice(s) in {}", written.len(), dir.display()),
            None => String::new(),
        }
    ));
    Ok(if refused > 0 { 1 } else { 0 })
}

fn row(done: &Done) -> Row {
    let claim = done.claim().expect("an assignment changes its claim");
    let notices = done
        .change
        .fact("notices")
        .filter(|n| !n.is_empty())
        .map(|n| n.split(", ").map(str::to_string).collect())
        .unwrap_or_default();
    match (&claim.assignment, claim.status) {
        (Some(a), Status::Assigned) => Row {
            id: claim.id.clone(),
            outcome: "assigned".into(),
            rule: a.rule.clone().unwrap_or_default(),
            destination: a.destination.clone(),
            handler: a.adjuster.clone().or(a.handler.clone()).unwrap_or_default(),
            open_claims: done.change.fact("open_claims").unwrap_or_default().into(),
            contact_by: a.contact_by.map(|t| t.to_rfc3339()).unwrap_or_default(),
            notices,
        },
        _ => {
            let e = claim.escalation.as_ref();
            Row {
                id: claim.id.clone(),
                outcome: "escalated".into(),
                rule: e.map(|e| e.rule.clone()).unwrap_or_default(),
                destination: done.change.fact("destination").unwrap_or_default().into(),
                handler: String::new(),
                open_claims: String::new(),
                contact_by: e
                    .and_then(|e| e.assign_by)
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default(),
                notices,
            }
        }
    }
}

fn print_rows(format: Format, rows: &[Row]) {
    let mut out = Out::new();
    Rows {
        headers: &[
            "id",
            "outcome",
            "rule",
            "destination",
            "handler",
            "open_claims",
            "contact_by",
            "notices",
        ],
        rows,
        cells: &|r: &Row| {
            vec![
                r.id.clone(),
                r.outcome.clone(),
                r.rule.clone(),
                r.destination.clone(),
                r.handler.clone(),
                r.open_claims.clone(),
                r.contact_by.clone(),
                r.notices.join(", "),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
}
