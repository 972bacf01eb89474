//! `claims authority`: the authority matrix of authority.yaml, as a table, CSV or JSON — and
//! the governed path by which the file changes: `propose`, `approve`, `reject`, `proposals`
//! (see [`crate::workflow::authority`]).

use std::path::PathBuf;

use clap::Subcommand;
use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::error::{Error, Result};
use crate::store::files::{find_office_root, load_office, read_text};
use crate::workflow::authority::{ApproveProposal, Proposal, Propose, RejectProposal, PROPOSALS};
use crate::workflow::Command;

/// Print the authority matrix (reserve and settlement limits by claim type and role, and the
/// second review the matrix requires), or change authority.yaml the governed way.
///
/// A manager edits authority.yaml and runs `claims authority propose --reason TEXT`. Settings
/// (routing, priorities, SLA rules, calendar, contacts, checklists, people's contact details
/// and leave) take effect at once; a change to people, roles, the matrix or governance waits
/// for a second manager's `claims authority approve ID` — unless the office declares a single
/// manager. Nobody changes their own entry, role or limits.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Propose the edited authority.yaml (or FILE): one signed commit — the change itself,
    /// or a proposal for a second manager.
    Propose {
        /// The proposed file (default: authority.yaml as edited in the working tree).
        file: Option<PathBuf>,
        /// Why it changes (kept in the commit and the proposal).
        #[arg(long)]
        reason: String,
    },
    /// Approve a waiting proposal (a manager other than its proposer): it takes effect.
    Approve {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Withdraw a waiting proposal (its proposer, or a manager).
    Reject {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// The proposals waiting for approval.
    Proposals,
}

/// One limit of the matrix. `up_to` is money and only money: no limit leaves it empty (null
/// in JSON) and says so in `unlimited`, so that a spreadsheet or a script can sum and compare
/// the column.
#[derive(Serialize)]
struct Row {
    kind: &'static str,
    claim_type: String,
    role: String,
    up_to: Option<crate::domain::money::Money>,
    unlimited: bool,
    review_by: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    match args.action {
        None => matrix(g),
        Some(Action::Proposals) => proposals(g),
        Some(Action::Propose { file, reason }) => {
            let session = super::session(g)?;
            let default = file.is_none();
            let path = file.unwrap_or_else(|| session.root.join("authority.yaml"));
            let text = read_text(&path)?;
            let done = session.run(
                &Command::AuthorityPropose(Propose { reason, text }),
                g.dry_run,
            )?;
            super::update::report(g, &done);
            if let (Some(_), Some(id)) = (done.commit, proposal_of(&done.message)) {
                if default {
                    // The edit now waits as the proposal; the file is as committed until then.
                    // The proposal landed: a failure here is a warning, never an error.
                    if let Err(e) = session.restore_from_tip(&["authority.yaml"]) {
                        eprintln!(
                            "warning: the proposal is committed, but authority.yaml could not be put back as committed ({}); run `git checkout HEAD -- authority.yaml`",
                            e.message
                        );
                    }
                }
                g.say(format!(
                    "proposal {id} waits for a second manager: `claims authority approve {id}`"
                ));
            }
            Ok(0)
        }
        Some(Action::Approve { id, note }) => {
            super::run_one(g, Command::AuthorityApprove(ApproveProposal { id, note }))
        }
        Some(Action::Reject { id, reason }) => {
            super::run_one(g, Command::AuthorityReject(RejectProposal { id, reason }))
        }
    }
}

fn proposal_of(message: &str) -> Option<String> {
    crate::audit::trailers(message)
        .into_iter()
        .find(|(k, _)| k == "Proposal")
        .map(|(_, v)| v)
        .filter(|_| message.starts_with("authority propose "))
}

#[derive(Serialize)]
struct Waiting {
    id: String,
    proposed_by: String,
    proposed_at: String,
    reason: String,
    changes: Vec<String>,
}

fn proposals(g: &Globals) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let dir = find_office_root(g.repo.as_deref())?.join(PROPOSALS);
    let mut rows = Vec::new();
    if dir.is_dir() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(dir.display(), e))? {
            let path = entry.map_err(|e| Error::io(dir.display(), e))?.path();
            let p: Proposal = crate::store::files::parse_yaml(&read_text(&path)?)
                .map_err(|f| Error::refused(format!("{}: {}", path.display(), f.issue.message)))?;
            rows.push(Waiting {
                id: p.id,
                proposed_by: p.proposed_by,
                proposed_at: p.proposed_at.to_rfc3339(),
                reason: p.reason,
                changes: p.changes,
            });
        }
    }
    rows.sort_by(|a, b| (&a.proposed_at, &a.id).cmp(&(&b.proposed_at, &b.id)));
    let mut out = Out::new();
    Rows {
        headers: &["id", "proposed_by", "proposed_at", "reason", "changes"],
        rows: &rows,
        cells: &|r: &Waiting| {
            vec![
                r.id.clone(),
                r.proposed_by.clone(),
                r.proposed_at.clone(),
                r.reason.clone(),
                r.changes.join("; "),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    Ok(0)
}

fn matrix(g: &Globals) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let office = load_office(&find_office_root(g.repo.as_deref())?)?;
    let mut rows = Vec::new();
    for (kind, rules) in [
        ("reserve", &office.authority_matrix.reserve),
        ("settlement", &office.authority_matrix.settlement),
    ] {
        for r in rules {
            for l in &r.limits {
                rows.push(Row {
                    kind,
                    claim_type: r.claim_type.clone(),
                    role: l.role.clone(),
                    up_to: l.up_to,
                    unlimited: l.up_to.is_none(),
                    review_by: r.review_by.clone().unwrap_or_default(),
                });
            }
        }
    }
    let mut out = Out::new();
    Rows {
        headers: &[
            "kind",
            "claim_type",
            "role",
            "up_to",
            "unlimited",
            "review_by",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.kind.to_string(),
                r.claim_type.clone(),
                r.role.clone(),
                r.up_to.map(|m| m.to_string()).unwrap_or_default(),
                if r.unlimited { "yes" } else { "no" }.to_string(),
                r.review_by.clone(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    Ok(0)
}
