//! Investigation tracking: `claims task`, `claims document` (each change one signed commit) and
//! `claims overdue` across the office.
//!
//! The first task done or document received moves an assigned claim to `investigating`. When
//! the last outstanding document is received or waived the claim records that all items are in
//! (the start of the coverage-decision clock in Texas and New York); a signed proof of loss
//! received records the proof-of-loss event.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::investigation::overdue;
use crate::error::{Error, Result};
use crate::store::files::find_office_root;
use crate::store::session::Workspace;
use crate::workflow::investigation::{DocumentStep, TaskStep, TrackDocument, TrackTask, Upload};
use crate::workflow::{parse_claim_id, Command};

/// List a claim's tasks, or change one: --done, --waive REASON, or --add.
#[derive(clap::Args, Debug)]
pub struct TaskArgs {
    pub id: String,
    /// The task (its name, or a part of it only one task's name contains).
    pub name: Option<String>,
    /// Mark the task done.
    #[arg(long, requires = "name", conflicts_with_all = ["waive", "add"])]
    pub done: bool,
    /// Waive the task, saying why.
    #[arg(long, value_name = "REASON", requires = "name", conflicts_with = "add")]
    pub waive: Option<String>,
    /// Add a task by this name.
    #[arg(long, requires = "name")]
    pub add: bool,
    /// Due date of an added task (YYYY-MM-DD).
    #[arg(long, requires = "add")]
    pub due: Option<NaiveDate>,
}

/// List a claim's document checklist, or change one: --received (with --file), --waive
/// REASON, or --request.
#[derive(clap::Args, Debug)]
pub struct DocumentArgs {
    pub id: String,
    /// The document (its name, or a part of it only one document's name contains).
    pub name: Option<String>,
    /// Record it received (today, or --on).
    #[arg(long, requires = "name", conflicts_with_all = ["waive", "request"])]
    pub received: bool,
    /// The received file, attached to the claim under attachments/.
    #[arg(long, value_name = "PATH", requires = "received")]
    pub file: Option<PathBuf>,
    /// The day it was received (YYYY-MM-DD; default today).
    #[arg(long, requires = "received")]
    pub on: Option<NaiveDate>,
    /// Waive it, saying why.
    #[arg(
        long,
        value_name = "REASON",
        requires = "name",
        conflicts_with = "request"
    )]
    pub waive: Option<String>,
    /// Ask for a document not on the checklist yet.
    #[arg(long, requires = "name")]
    pub request: bool,
    /// What a requested document is needed for (coverage, liability, damages, injury, payment).
    #[arg(long = "for", value_name = "WHAT", requires = "request")]
    pub required_for: Option<String>,
    /// Due date of a requested document (YYYY-MM-DD).
    #[arg(long, requires = "request")]
    pub due: Option<NaiveDate>,
}

/// Tasks and documents past their due date on open claims, most overdue first.
#[derive(clap::Args, Debug)]
pub struct OverdueArgs {
    /// Count as of this day (YYYY-MM-DD; default today).
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// Only this adjuster's claims.
    #[arg(long, value_name = "EMAIL")]
    pub adjuster: Option<String>,
}

#[derive(Serialize)]
struct ItemRow {
    kind: &'static str,
    name: String,
    status: String,
    required_for: String,
    due: String,
    done: String,
    note: String,
}

pub fn run_task(g: &Globals, args: TaskArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    let Some(name) = args.name.clone() else {
        return list(g, &id, "task");
    };
    let step = if args.add {
        TaskStep::Add { due: args.due }
    } else if let Some(why) = args.waive {
        TaskStep::Waive(why)
    } else if args.done {
        TaskStep::Done
    } else {
        return Err(Error::usage(
            "say what to do with the task: --done, --waive REASON, or --add",
        ));
    };
    super::run_one(g, Command::Task(TrackTask { id, name, step }))
}

pub fn run_document(g: &Globals, args: DocumentArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    let Some(name) = args.name.clone() else {
        return list(g, &id, "document");
    };
    let step = if args.request {
        DocumentStep::Request {
            required_for: args.required_for,
            due: args.due,
        }
    } else if let Some(why) = args.waive {
        DocumentStep::Waive(why)
    } else if args.received {
        let file = match &args.file {
            Some(path) => {
                let bytes =
                    crate::store::input::read_bytes(path, crate::bounds::MAX_ATTACHMENT_BYTES)
                        .map_err(|e| e.into_error(format!("--file {}", path.display())))?;
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("document");
                Some(Upload::new(name, bytes))
            }
            None => None,
        };
        DocumentStep::Received { file, on: args.on }
    } else {
        return Err(Error::usage(
            "say what to do with the document: --received [--file PATH], --waive REASON, or --request",
        ));
    };
    super::run_one(g, Command::Document(TrackDocument { id, name, step }))
}

/// Prints a claim's tasks or documents.
fn list(g: &Globals, id: &crate::domain::claim_id::ClaimId, kind: &'static str) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let root = find_office_root(g.repo.as_deref())?;
    let (_, claim) = crate::store::files::read_claim(&root, id)?;
    let rows: Vec<ItemRow> = if kind == "task" {
        claim
            .tasks
            .iter()
            .map(|t| ItemRow {
                kind,
                name: t.name.clone(),
                status: crate::workflow::plain(&t.status),
                required_for: String::new(),
                due: t.due.map(|d| d.to_string()).unwrap_or_default(),
                done: t
                    .done_at
                    .map(|d| d.date_naive().to_string())
                    .unwrap_or_default(),
                note: t.waived_reason.clone().unwrap_or_default(),
            })
            .collect()
    } else {
        claim
            .documents
            .iter()
            .map(|d| ItemRow {
                kind,
                name: d.name.clone(),
                status: crate::workflow::plain(&d.status),
                required_for: d.required_for.clone().unwrap_or_default(),
                due: d.due.map(|d| d.to_string()).unwrap_or_default(),
                done: d.received_on.map(|d| d.to_string()).unwrap_or_default(),
                note: d
                    .waived_reason
                    .clone()
                    .or_else(|| d.file.clone())
                    .unwrap_or_default(),
            })
            .collect()
    };
    let mut out = Out::new();
    Rows {
        headers: &["name", "status", "for", "due", "done", "note"],
        rows: &rows,
        cells: &|r: &ItemRow| {
            vec![
                r.name.clone(),
                r.status.clone(),
                r.required_for.clone(),
                r.due.clone(),
                r.done.clone(),
                r.note.clone(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    Ok(0)
}

#[derive(Serialize)]
struct OverdueRow {
    claim: String,
    adjuster: String,
    kind: &'static str,
    name: String,
    due: String,
    business_days_late: i64,
}

pub fn run_overdue(g: &Globals, args: OverdueArgs) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let (root, office) = (&ws.root, &ws.office);
    let as_of = match args.as_of {
        Some(d) => d,
        None => ws.now()?.date_naive(),
    };
    let cal = BusinessCalendar::new(office.calendar.clone());
    let mut rows = Vec::new();
    for claim in super::readable_claims(root) {
        let adjuster = claim.handled_by().unwrap_or_default().to_string();
        if args
            .adjuster
            .as_deref()
            .is_some_and(|a| !a.eq_ignore_ascii_case(&adjuster))
        {
            continue;
        }
        for o in overdue(&claim, as_of, &cal) {
            rows.push(OverdueRow {
                claim: claim.id.clone(),
                adjuster: adjuster.clone(),
                kind: o.kind,
                name: o.name,
                due: o.due.to_string(),
                business_days_late: o.days_late,
            });
        }
    }
    rows.sort_by(|a, b| {
        (a.due.as_str(), a.claim.as_str(), a.name.as_str()).cmp(&(
            b.due.as_str(),
            b.claim.as_str(),
            b.name.as_str(),
        ))
    });
    let mut out = Out::new();
    Rows {
        headers: &[
            "claim",
            "adjuster",
            "kind",
            "name",
            "due",
            "business_days_late",
        ],
        rows: &rows,
        cells: &|r: &OverdueRow| {
            vec![
                r.claim.clone(),
                r.adjuster.clone(),
                r.kind.to_string(),
                r.name.clone(),
                r.due.clone(),
                r.business_days_late.to_string(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    g.say(format!(
        "{} overdue item{} as of {as_of}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    Ok(0)
}
