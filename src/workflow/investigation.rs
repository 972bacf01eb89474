//! Investigation: the claim's tasks and its document checklist.
//!
//! The first task done or document received moves an assigned claim to `investigating`. When
//! the last outstanding document is received or waived the claim records that all items are in
//! (the start of the coverage-decision clock in Texas and New York); a signed proof of loss
//! received records the proof-of-loss event.

use chrono::NaiveDate;

use super::args::{Reader, Recorder};
use super::change::{Change, Edit, File};
use super::desk::Desk;
use crate::domain::claim::{Attachment, Claim, Document, ItemStatus, Task, Timestamp};
use crate::domain::claim_id::ClaimId;
use crate::domain::investigation::find_item;
use crate::domain::lifecycle::Status;
use crate::error::{Error, Result};
use crate::intake::admit::{sanitize_file_name, unique_name};

/// What to do with a task.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskStep {
    Done,
    Waive(String),
    Add { due: Option<NaiveDate> },
}

/// `claims task ID NAME --done | --waive REASON | --add [--due DATE]`.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackTask {
    pub id: ClaimId,
    pub name: String,
    pub step: TaskStep,
}

impl TrackTask {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).positional(&self.name);
        match &self.step {
            TaskStep::Done => r.switch("done", true),
            TaskStep::Waive(why) => r.flag("waive", why),
            TaskStep::Add { due } => r.switch("add", true).opt("due", due),
        };
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<TrackTask, String> {
        let id = super::claim_id(r)?;
        let name = r.positional("task name")?;
        let step = if r.switch("done")? {
            TaskStep::Done
        } else if let Some(why) = r.optional("waive")? {
            TaskStep::Waive(why)
        } else if r.switch("add")? {
            TaskStep::Add {
                due: super::date(r.optional("due")?, "due")?,
            }
        } else {
            return Err("no --done, --waive or --add".into());
        };
        Ok(TrackTask { id, name, step })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let by = &desk.actor.email;
        desk.edit(&self.id, |claim| {
            refuse_closed(claim)?;
            let what = match &self.step {
                TaskStep::Add { due } => {
                    refuse_twice(
                        &claim.id,
                        claim.tasks.iter().map(|t| t.name.as_str()),
                        &self.name,
                        "task",
                    )?;
                    claim.tasks.push(Task {
                        name: self.name.clone(),
                        status: ItemStatus::Open,
                        due: *due,
                        done_at: None,
                        by: None,
                        waived_reason: None,
                    });
                    format!("added: {}", self.name)
                }
                step => {
                    let i = outstanding(
                        &claim.id,
                        claim.tasks.iter().map(|t| (t.name.as_str(), t.status)),
                        &self.name,
                        "task",
                    )?;
                    let task = &mut claim.tasks[i];
                    task.by = Some(by.clone());
                    task.done_at = Some(desk.now);
                    match step {
                        TaskStep::Waive(reason) => {
                            task.status = ItemStatus::Waived;
                            task.waived_reason = Some(reason.clone());
                            format!("waived: {} ({reason})", task.name)
                        }
                        _ => {
                            task.status = ItemStatus::Done;
                            let what = format!("done: {}", task.name);
                            start_investigating(claim, by, desk.now);
                            what
                        }
                    }
                }
            };
            Ok(Edit::new(format!("task {}: {what}", claim.id)))
        })
    }
}

/// A file the user brings with a command: its name as it will be kept, and its bytes (not
/// recorded in the commit's arguments: the commit carries the file itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Upload {
    /// A file as the user named it: its name made safe to keep.
    pub fn new(name: &str, bytes: Vec<u8>) -> Upload {
        Upload {
            name: sanitize_file_name(name),
            bytes,
        }
    }
}

/// What to do with a document.
#[derive(Clone, Debug, PartialEq)]
pub enum DocumentStep {
    Received {
        file: Option<Upload>,
        on: Option<NaiveDate>,
    },
    Waive(String),
    Request {
        required_for: Option<String>,
        due: Option<NaiveDate>,
    },
}

/// `claims document ID NAME --received [--file PATH] [--on DATE] | --waive REASON | --request`.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackDocument {
    pub id: ClaimId,
    pub name: String,
    pub step: DocumentStep,
}

impl TrackDocument {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).positional(&self.name);
        match &self.step {
            DocumentStep::Received { file, on } => r
                .switch("received", true)
                .opt("file", &file.as_ref().map(|f| f.name.clone()))
                .opt("on", on),
            DocumentStep::Waive(why) => r.flag("waive", why),
            DocumentStep::Request { required_for, due } => r
                .switch("request", true)
                .opt("for", required_for)
                .opt("due", due),
        };
    }

    /// The recorded command; an attached file comes back by name, without its bytes.
    pub fn decode(r: &mut Reader) -> std::result::Result<TrackDocument, String> {
        let id = super::claim_id(r)?;
        let name = r.positional("document name")?;
        let step = if r.switch("received")? {
            DocumentStep::Received {
                file: r.optional("file")?.map(|name| Upload {
                    name,
                    bytes: Vec::new(),
                }),
                on: super::date(r.optional("on")?, "on")?,
            }
        } else if let Some(why) = r.optional("waive")? {
            DocumentStep::Waive(why)
        } else if r.switch("request")? {
            DocumentStep::Request {
                required_for: r.optional("for")?,
                due: super::date(r.optional("due")?, "due")?,
            }
        } else {
            return Err("no --received, --waive or --request".into());
        };
        Ok(TrackDocument { id, name, step })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let by = &desk.actor.email;
        let today = desk.today();
        if let DocumentStep::Received { on: Some(on), .. } = &self.step {
            if *on > today {
                return Err(Error::refused(format!("--on {on} is in the future")));
            }
        }
        desk.edit(&self.id, |claim| {
            refuse_closed(claim)?;
            let mut files = Vec::new();
            let what = match &self.step {
                DocumentStep::Request { required_for, due } => {
                    refuse_twice(
                        &claim.id,
                        claim.documents.iter().map(|d| d.name.as_str()),
                        &self.name,
                        "document",
                    )?;
                    claim.documents.push(Document {
                        name: self.name.clone(),
                        required_for: required_for.clone(),
                        status: ItemStatus::Requested,
                        due: *due,
                        received_on: None,
                        file: None,
                        waived_reason: None,
                    });
                    format!("requested: {}", self.name)
                }
                step => {
                    let i = outstanding(
                        &claim.id,
                        claim.documents.iter().map(|d| (d.name.as_str(), d.status)),
                        &self.name,
                        "document",
                    )?;
                    let what = match step {
                        DocumentStep::Waive(reason) => {
                            let d = &mut claim.documents[i];
                            d.status = ItemStatus::Waived;
                            d.waived_reason = Some(reason.clone());
                            format!("waived: {} ({reason})", d.name)
                        }
                        DocumentStep::Received { file, on } => {
                            if let Some(upload) = file {
                                let rel = unique_attachment(claim, &upload.name);
                                files.push(File::supplied(
                                    format!(
                                        "{}/{rel}",
                                        self.id.folder(desk.office.claim_folders())
                                    ),
                                    upload.bytes.clone(),
                                ));
                                claim.attachments.push(Attachment {
                                    file: rel.clone(),
                                    kind: Some(claim.documents[i].name.clone()),
                                    received_at: desk.now,
                                });
                                claim.documents[i].file = Some(rel);
                            }
                            let d = &mut claim.documents[i];
                            d.status = ItemStatus::Received;
                            d.received_on = Some(on.unwrap_or(today));
                            let what = format!("received: {}", d.name);
                            if d.name.to_lowercase().contains("proof of loss")
                                && claim.sla.proof_of_loss_at.is_none()
                            {
                                claim.sla.proof_of_loss_at = Some(desk.now);
                            }
                            start_investigating(claim, by, desk.now);
                            what
                        }
                        DocumentStep::Request { .. } => unreachable!("handled above"),
                    };
                    if claim.sla.all_items_received_at.is_none()
                        && !claim.documents.iter().any(|d| d.status.is_outstanding())
                    {
                        claim.sla.all_items_received_at = Some(desk.now);
                    }
                    what
                }
            };
            let mut edit = Edit::new(format!("document {}: {what}", claim.id));
            edit.files = files;
            Ok(edit)
        })
    }
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
            super::plain(&status)
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
