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
use super::{open_session, Globals};
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::{Attachment, Claim, Document, ItemStatus, Task, Timestamp};
use crate::domain::investigation::{find_item, overdue};
use crate::domain::lifecycle::Status;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::intake::admit::{sanitize_file_name, unique_name};
use crate::store::files::{find_office_root, load_claims, parse_claim_id};
use crate::store::git::FileChange;
use crate::store::session::{ClaimChange, Workspace};

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
    let session = open_session(g, Permission::Investigate, "track investigation tasks")?;
    let by = session.actor.email.clone();
    let done = session.change_claim(&id, "task", g.dry_run, |claim, now| {
        refuse_closed(claim)?;
        let what;
        if args.add {
            refuse_twice(
                &claim.id,
                claim.tasks.iter().map(|t| t.name.as_str()),
                &name,
                "task",
            )?;
            claim.tasks.push(Task {
                name: name.clone(),
                status: ItemStatus::Open,
                due: args.due,
                done_at: None,
                by: None,
                waived_reason: None,
            });
            what = format!("added: {name}");
        } else {
            let i = outstanding(
                &claim.id,
                claim.tasks.iter().map(|t| (t.name.as_str(), t.status)),
                &name,
                "task",
            )?;
            let task = &mut claim.tasks[i];
            task.by = Some(by.clone());
            task.done_at = Some(now);
            if let Some(reason) = &args.waive {
                task.status = ItemStatus::Waived;
                task.waived_reason = Some(reason.clone());
                what = format!("waived: {} ({reason})", task.name);
            } else if args.done {
                task.status = ItemStatus::Done;
                what = format!("done: {}", task.name);
                start_investigating(claim, &by, now);
            } else {
                return Err(Error::usage(
                    "say what to do with the task: --done, --waive REASON, or --add",
                ));
            }
        }
        Ok(ClaimChange::new(format!("task {}: {what}", claim.id)))
    })?;
    super::update::report(g, &done);
    Ok(0)
}

pub fn run_document(g: &Globals, args: DocumentArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    let Some(name) = args.name.clone() else {
        return list(g, &id, "document");
    };
    let attachment = match &args.file {
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Error::refused(format!("--file {}: {e}", path.display())))?;
            let file_name = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(sanitize_file_name)
                .unwrap_or_else(|| "document".into());
            Some((file_name, bytes))
        }
        None => None,
    };
    let session = open_session(g, Permission::Investigate, "track claim documents")?;
    let by = session.actor.email.clone();
    let today = session.now()?.with_timezone(&session.ws.tz).date_naive();
    if args.on.is_some_and(|d| d > today) {
        return Err(Error::refused(format!(
            "--on {} is in the future",
            args.on.expect("checked")
        )));
    }
    let done = session.change_claim(&id, "document", g.dry_run, |claim, now| {
        refuse_closed(claim)?;
        let mut change_files = Vec::new();
        let what;
        if args.request {
            refuse_twice(
                &claim.id,
                claim.documents.iter().map(|d| d.name.as_str()),
                &name,
                "document",
            )?;
            claim.documents.push(Document {
                name: name.clone(),
                required_for: args.required_for.clone(),
                status: ItemStatus::Requested,
                due: args.due,
                received_on: None,
                file: None,
                waived_reason: None,
            });
            what = format!("requested: {name}");
        } else {
            let i = outstanding(
                &claim.id,
                claim.documents.iter().map(|d| (d.name.as_str(), d.status)),
                &name,
                "document",
            )?;
            if let Some(reason) = &args.waive {
                let d = &mut claim.documents[i];
                d.status = ItemStatus::Waived;
                d.waived_reason = Some(reason.clone());
                what = format!("waived: {} ({reason})", d.name);
            } else if args.received {
                let on = args.on.unwrap_or(today);
                if let Some((file_name, bytes)) = &attachment {
                    let rel = unique_attachment(claim, file_name);
                    change_files.push(FileChange {
                        path: format!("{}/{rel}", parse_claim_id(&claim.id)?.folder()),
                        content: Some(bytes.clone()),
                    });
                    claim.attachments.push(Attachment {
                        file: rel.clone(),
                        kind: Some(claim.documents[i].name.clone()),
                        received_at: now,
                    });
                    claim.documents[i].file = Some(rel);
                }
                let d = &mut claim.documents[i];
                d.status = ItemStatus::Received;
                d.received_on = Some(on);
                what = format!("received: {}", d.name);
                if d.name.to_lowercase().contains("proof of loss")
                    && claim.sla.proof_of_loss_at.is_none()
                {
                    claim.sla.proof_of_loss_at = Some(now);
                }
                start_investigating(claim, &by, now);
            } else {
                return Err(Error::usage(
                    "say what to do with the document: --received [--file PATH], --waive REASON, or --request",
                ));
            }
            if claim.sla.all_items_received_at.is_none()
                && !claim.documents.iter().any(|d| d.status.is_outstanding())
            {
                claim.sla.all_items_received_at = Some(now);
            }
        }
        let mut change = ClaimChange::new(format!("document {}: {what}", claim.id));
        change.files = change_files;
        Ok(change)
    })?;
    super::update::report(g, &done);
    Ok(0)
}

/// A new task or document may not take the name of one the claim has.
fn refuse_twice<'a>(
    claim: &str,
    mut names: impl Iterator<Item = &'a str>,
    name: &str,
    what: &str,
) -> Result<()> {
    if names.any(|n| n.eq_ignore_ascii_case(name)) {
        return Err(Error::refused(format!(
            "{claim} already has a {what} \"{name}\""
        )));
    }
    Ok(())
}

/// The index of the task or document `query` names, refused unless it is still outstanding.
fn outstanding<'a>(
    claim: &str,
    items: impl Iterator<Item = (&'a str, ItemStatus)> + Clone,
    query: &str,
    what: &str,
) -> Result<usize> {
    let i = find_item(items.clone().map(|(n, _)| n), query, what)
        .map_err(|e| Error::refused(format!("{claim}: {e}")))?;
    let (name, status) = items.clone().nth(i).expect("found among them");
    if !status.is_outstanding() {
        return Err(Error::refused(format!(
            "{claim}: {what} \"{name}\" is already {}",
            super::show::serde_plain(&status)
        )));
    }
    Ok(i)
}

/// Tasks and documents change only on open claims.
fn refuse_closed(claim: &Claim) -> Result<()> {
    if claim.status.is_final() {
        return Err(Error::refused(format!(
            "{} is {}: its investigation is over",
            claim.id, claim.status
        )));
    }
    Ok(())
}

/// The first investigation step on an assigned claim moves it to investigating.
fn start_investigating(claim: &mut Claim, by: &str, now: Timestamp) {
    if claim.status == Status::Assigned {
        claim.record_event(now, by, "investigate", Status::Investigating);
    }
}

/// `attachments/NAME`, numbered if the claim already has a file by that name.
fn unique_attachment(claim: &Claim, file_name: &str) -> String {
    let taken: Vec<String> = claim
        .attachments
        .iter()
        .filter_map(|a| a.file.strip_prefix("attachments/").map(str::to_string))
        .collect();
    format!("attachments/{}", unique_name(file_name, &taken))
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
                status: super::show::serde_plain(&t.status),
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
                status: super::show::serde_plain(&d.status),
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
    for claim in load_claims(root) {
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
