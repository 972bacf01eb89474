//! `claims diary`: follow-ups due, set and done, and the views a claims manager uses to catch
//! neglected files (open claims with no open diary; no activity in N days, from the history).

use std::collections::HashSet;

use chrono::{Duration, NaiveDate, TimeZone};
use clap::Subcommand;
use serde::Serialize;

use super::output::{cell, Format, Out, Rows};
use super::Globals;
use crate::domain::claim::Claim;
use crate::error::{Error, Result};
use crate::store::session::{office_now, Workspace};
use crate::workflow::diaries::{due_by, DiaryDone, Due, SetDiary};
use crate::workflow::{parse_claim_id, Command};

/// Diaries: what is due (default), set a follow-up, mark one done; or the neglected files.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub step: Option<Step>,
    /// The date to list what is due by (default: today in the office).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// Only the follow-ups of this person (email).
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
    /// Instead: open claims with no open diary entry.
    #[arg(long, conflicts_with = "inactive")]
    pub no_diary: bool,
    /// Instead: open claims no commit has touched in DAYS days (from the history).
    #[arg(long, value_name = "DAYS")]
    pub inactive: Option<u32>,
}

#[derive(Subcommand, Debug)]
pub enum Step {
    /// Set a follow-up on a claim (one signed commit).
    Add(AddArgs),
    /// Mark a follow-up done; a repeating one is set again (one signed commit).
    Done(DoneArgs),
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    pub id: String,
    /// What to do ("call the body shop", "review the file").
    #[arg(long)]
    pub what: String,
    /// Due on this date.
    #[arg(long, value_name = "YYYY-MM-DD", required_unless_present = "within")]
    pub on: Option<NaiveDate>,
    /// Due this many days from today.
    #[arg(long = "in", id = "within", value_name = "DAYS", conflicts_with = "on")]
    pub within: Option<u32>,
    /// Repeat: due again this many days after each time it is done ("review every 14 days").
    #[arg(long, value_name = "DAYS")]
    pub every: Option<u32>,
    /// Whose follow-up it is (default: the handling adjuster, else you).
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct DoneArgs {
    pub id: String,
    /// The entry's number, as `claims diary` and `claims show` give it.
    pub entry: usize,
    /// What was done.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Serialize)]
struct DueRow {
    claim: String,
    entry: usize,
    what: String,
    due: NaiveDate,
    overdue_days: i64,
    owner: String,
    every_days: Option<u32>,
}

#[derive(Serialize)]
struct FileRow {
    claim: String,
    status: String,
    adjuster: Option<String>,
    received: NaiveDate,
    last_activity: Option<NaiveDate>,
    open_diary: usize,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    match args.step {
        Some(Step::Add(a)) => {
            let due = match (a.on, a.within) {
                (Some(d), _) => Due::On(d),
                (None, Some(n)) => Due::In(n),
                (None, None) => return Err(Error::usage("give --on DATE or --in DAYS")),
            };
            super::run_one(
                g,
                Command::Diary(SetDiary {
                    id: parse_claim_id(&a.id)?,
                    what: a.what,
                    due,
                    every_days: a.every,
                    owner: a.owner,
                }),
            )
        }
        Some(Step::Done(a)) => super::run_one(
            g,
            Command::DiaryDone(DiaryDone {
                id: parse_claim_id(&a.id)?,
                entry: a.entry,
                note: a.note,
            }),
        ),
        None => list(g, &args),
    }
}

fn list(g: &Globals, args: &Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let today = office_now(ws.tz)?.date_naive();
    let as_of = args.as_of.unwrap_or(today);
    let owned = |c: &Claim| {
        args.owner.as_deref().is_none_or(|o| {
            c.adjuster().is_some_and(|a| a.eq_ignore_ascii_case(o))
                || c.diary.iter().any(|e| e.owner.eq_ignore_ascii_case(o))
        })
    };
    let claims: Vec<Claim> = super::readable_claims(&ws.root);
    let mut out = Out::new();
    if args.no_diary || args.inactive.is_some() {
        let open: Vec<&Claim> = claims
            .iter()
            .filter(|c| c.status.is_open() && owned(c))
            .collect();
        let wanted: HashSet<String> = open.iter().map(|c| c.id.clone()).collect();
        let repo = crate::store::files::open_repository(&ws.root)?;
        let touched = crate::store::activity::last_touched(&repo, &wanted)?;
        let day = |secs: i64| {
            ws.tz
                .timestamp_opt(secs, 0)
                .single()
                .map(|t| t.date_naive())
        };
        let cutoff = args.inactive.map(|n| as_of - Duration::days(n as i64));
        let mut rows: Vec<FileRow> = open
            .into_iter()
            .map(|c| FileRow {
                claim: c.id.clone(),
                status: c.status.to_string(),
                adjuster: c.adjuster().map(str::to_string),
                received: c.received_at.with_timezone(&ws.tz).date_naive(),
                last_activity: touched.get(&c.id).and_then(|s| day(*s)),
                open_diary: c.diary.iter().filter(|e| e.is_open()).count(),
            })
            .filter(|r| !args.no_diary || r.open_diary == 0)
            .filter(|r| cutoff.is_none_or(|cut| r.last_activity.is_none_or(|d| d <= cut)))
            .collect();
        rows.sort_by(|a, b| (a.last_activity, &a.claim).cmp(&(b.last_activity, &b.claim)));
        Rows {
            headers: &[
                "claim",
                "status",
                "adjuster",
                "received",
                "last_activity",
                "open_diary",
            ],
            rows: &rows,
            cells: &|r: &FileRow| {
                vec![
                    r.claim.clone(),
                    r.status.clone(),
                    cell(r.adjuster.as_ref()),
                    r.received.to_string(),
                    cell(r.last_activity),
                    r.open_diary.to_string(),
                ]
            },
        }
        .print(format, &mut out);
        out.flush();
        g.say(match args.inactive {
            Some(n) => format!(
                "{} open claim{} with no activity in {n} days (as of {as_of})",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            ),
            None => format!(
                "{} open claim{} with no open diary entry",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            ),
        });
        return Ok(0);
    }
    let mut rows: Vec<DueRow> = claims
        .iter()
        .filter(|c| !c.status.is_final())
        .flat_map(|c| {
            due_by(&c.diary, as_of).map(move |(n, e)| DueRow {
                claim: c.id.clone(),
                entry: n,
                what: e.what.clone(),
                due: e.due,
                overdue_days: (as_of - e.due).num_days(),
                owner: e.owner.clone(),
                every_days: e.every_days,
            })
        })
        .filter(|r| {
            args.owner
                .as_deref()
                .is_none_or(|o| r.owner.eq_ignore_ascii_case(o))
        })
        .collect();
    rows.sort_by(|a, b| (a.due, &a.claim, a.entry).cmp(&(b.due, &b.claim, b.entry)));
    Rows {
        headers: &[
            "claim",
            "entry",
            "what",
            "due",
            "overdue_days",
            "owner",
            "every_days",
        ],
        rows: &rows,
        cells: &|r: &DueRow| {
            vec![
                r.claim.clone(),
                r.entry.to_string(),
                r.what.clone(),
                r.due.to_string(),
                r.overdue_days.to_string(),
                r.owner.clone(),
                cell(r.every_days),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    g.say(format!(
        "{} follow-up{} due by {as_of}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    Ok(0)
}
