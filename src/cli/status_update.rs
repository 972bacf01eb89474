//! `claims status-update ID... --to insured|agent|claimant [--note TEXT]` and
//! `claims status-update --due [--as-of DATE]`: status letters, one signed commit each (see
//! [`crate::workflow::status_updates`]).

use chrono::NaiveDate;
use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::Claim;
use crate::domain::sla::{self, ClockStatus, SlaContext};
use crate::error::{Error, Result};
use crate::store::session::{office_now, Workspace};
use crate::workflow::status_updates::{clock_addressee, Audience, StatusUpdate};
use crate::workflow::{parse_claim_id, Command};

/// Write a status letter to the insured, the claimant or the agent: each claim named, or every
/// claim whose periodic status-letter clock has reached its alert date.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Claims to write about.
    #[arg(required_unless_present = "due", conflicts_with = "due")]
    pub ids: Vec<String>,
    /// Who the letter goes to: insured, agent or claimant (a represented claimant's letter
    /// goes to their attorney). With --due: the clock's addressee unless given (the claimant
    /// on liability and workers' compensation claims, the insured otherwise).
    #[arg(long, value_parser = ["insured", "agent", "claimant"], required_unless_present = "due")]
    pub to: Option<String>,
    /// Words from the adjuster added to the letter.
    #[arg(long)]
    pub note: Option<String>,
    /// Every open claim whose `status_letter` clock (see `claims sla-report`) is at risk or
    /// past due.
    #[arg(long)]
    pub due: bool,
    /// With --due: the date to judge the clocks on (default: today in the office).
    #[arg(long, requires = "due", value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    to: String,
    letter: String,
    email: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let session = super::session(g)?;
    let chosen = args.to.as_deref().and_then(Audience::parse);
    let targets: Vec<(crate::domain::claim_id::ClaimId, Audience)> = if args.due {
        let ws = Workspace::open(g.repo.as_deref())?;
        let as_of = match args.as_of {
            Some(d) => d,
            None => office_now(ws.tz)?.date_naive(),
        };
        let calendar = BusinessCalendar::new(ws.office.calendar.clone());
        let ctx = SlaContext::of(&ws.office, &calendar, ws.tz);
        let mut due = session.tip_claims(|c: Claim| {
            status_letter_due(&c, &ctx, as_of).then(move || {
                let addressee = clock_addressee(&c);
                (c.received_at, c.id, addressee)
            })
        })?;
        due.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        due.into_iter()
            .map(|(_, id, addressee)| Ok((parse_claim_id(&id)?, chosen.unwrap_or(addressee))))
            .collect::<Result<_>>()?
    } else {
        let to = chosen.ok_or_else(|| Error::usage("give --to insured|agent|claimant"))?;
        args.ids
            .iter()
            .map(|s| Ok((parse_claim_id(s)?, to)))
            .collect::<Result<_>>()?
    };
    let ids: Vec<_> = targets.iter().map(|(id, _)| id.clone()).collect();
    // Looked up by id, not searched: `--due` can name thousands of claims.
    let audience: std::collections::HashMap<_, _> = targets.into_iter().collect();
    let (rows, refused) = super::each_claim(g, &session, &ids, |id| {
        let to = audience[id];
        let done = session.run(
            &Command::StatusUpdate(StatusUpdate {
                id: id.clone(),
                to,
                note: args.note.clone(),
            }),
            g.dry_run,
        )?;
        if done.commit.is_some() || (format == Format::Table && !g.quiet) {
            super::update::report(g, &done);
        }
        let claim = done.claim().expect("a status update changes its claim");
        let letter = claim
            .letters
            .last()
            .map(|l| l.file.clone())
            .unwrap_or_default();
        Ok(Row {
            id: claim.id.clone(),
            to: to.as_str().to_string(),
            email: done
                .change
                .mail
                .first()
                .map(|m| m.to_email.clone())
                .unwrap_or_default(),
            letter,
        })
    })?;
    let mut out = Out::new();
    Rows {
        headers: &["id", "to", "letter", "email"],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.id.clone(),
                r.to.clone(),
                r.letter.clone(),
                r.email.clone(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    g.say(format!(
        "{} {} status letter{}{}",
        if g.dry_run { "would write" } else { "wrote" },
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        super::refused_clause(refused)
    ));
    Ok(if refused > 0 { 1 } else { 0 })
}

/// Whether the claim's status-letter clock is running and has reached its alert date.
pub fn status_letter_due(claim: &Claim, ctx: &SlaContext, as_of: NaiveDate) -> bool {
    claim.status.is_open()
        && sla::clocks(claim, ctx, as_of).iter().any(|c| {
            c.clock == "status_letter"
                && c.is_running()
                && matches!(c.status, ClockStatus::AtRisk | ClockStatus::Breached)
        })
}
