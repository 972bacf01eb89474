//! `claims queue [NAME]`: claims waiting for a person: `incomplete` (intakes
//! missing facts, with what is missing); later stages add theirs to [`QUEUES`].

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::claim::{ApprovalState, Claim, CoverageOutcome, LineOfBusiness};
use crate::domain::lifecycle::Status;
use crate::error::{Error, Result};
use crate::store::files::find_office_root;
use crate::workflow::intake::channel_name;

/// Show a work queue: claims waiting for a person, oldest first.
///
/// `incomplete` (the default): intakes missing facts; complete them with `claims complete ID
/// --set FIELD=VALUE...`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The queue: incomplete, manual-lookup, approvals, duplicates, coverage-review, escalation.
    #[arg(default_value = "incomplete")]
    pub name: String,
}

/// A queue: its name, what it holds, and which claims are in it.
pub struct Queue {
    pub name: &'static str,
    pub about: &'static str,
    pub holds: fn(&Claim) -> bool,
    /// What the person has to do about a claim in it.
    pub waiting_for: fn(&Claim) -> String,
}

pub const QUEUES: &[Queue] = &[
    Queue {
        name: "incomplete",
        about: "intakes missing facts (complete them with `claims complete`)",
        holds: |c| c.status == Status::Incomplete,
        waiting_for: |c| {
            if c.missing.is_empty() {
                "review".to_string()
            } else {
                c.missing.join(", ")
            }
        },
    },
    Queue {
        name: "manual-lookup",
        about: "no policy found at triage: find it (`claims update ID --set policy_number=...`), then `claims triage ID`",
        holds: |c| c.status == Status::NoPolicyFound,
        waiting_for: |c| match &c.policy_number {
            Some(n) => format!("policy lookup (reported number {n} not found)"),
            None => "policy lookup (no number reported)".to_string(),
        },
    },
    Queue {
        name: "approvals",
        about: "reserve changes, settlements and payments above their requester's authority, and recommended denials (`claims approve ID`)",
        holds: |c| {
            c.status == Status::DenialRecommended
                || c.reserves.iter().any(|r| r.state == ApprovalState::Pending)
                || c.payments.iter().any(|p| p.state == ApprovalState::Pending)
                || c.settlement
                    .as_ref()
                    .is_some_and(|s| s.state == ApprovalState::Pending)
        },
        waiting_for: |c| {
            if let Some(r) = c.reserves.iter().find(|r| r.state == ApprovalState::Pending) {
                format!("reserve {} -> {} by {}", r.previous, r.amount, r.by)
            } else if let Some(p) = c.payments.iter().find(|p| p.state == ApprovalState::Pending) {
                format!("payment {} to {} by {}", p.amount, p.payee, p.by)
            } else if let Some(s) = c
                .settlement
                .as_ref()
                .filter(|s| s.state == ApprovalState::Pending)
            {
                format!("settlement {} by {}", s.amount, s.proposed_by)
            } else {
                "denial approval".to_string()
            }
        },
    },
    Queue {
        name: "duplicates",
        about: "possible duplicates triage found: merge (`claims merge ID --into EARLIER`) or keep apart (`claims keep-separate ID --from EARLIER --note TEXT`)",
        holds: |c| c.status != Status::Merged && c.possible_duplicates.iter().any(|p| p.decision.is_none()),
        waiting_for: |c| {
            c.possible_duplicates
                .iter()
                .filter(|p| p.decision.is_none())
                .map(|p| format!("possible duplicate of {}: {}", p.of, p.reasons.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        },
    },
    Queue {
        name: "coverage-review",
        about: "triaged as potentially not covered: a senior adjuster or coverage counsel decides",
        holds: |c| {
            c.status == Status::Triaged
                && c.triage
                    .as_ref()
                    .is_some_and(|t| t.coverage == CoverageOutcome::PotentiallyNone)
        },
        waiting_for: |c| {
            c.triage
                .as_ref()
                .map(|t| t.reasons.join("; "))
                .unwrap_or_default()
        },
    },
    Queue {
        name: "escalation",
        about: "routing found nobody available: a supervisor assigns (`claims assign ID --to PERSON --reason TEXT`)",
        holds: |c| c.status == Status::Triaged && c.escalation.is_some(),
        waiting_for: |c| {
            c.escalation
                .as_ref()
                .map(|e| match e.assign_by {
                    Some(t) => format!("{} (assign by {})", e.reason, t.format("%Y-%m-%d %H:%M")),
                    None => e.reason.clone(),
                })
                .unwrap_or_default()
        },
    },
];

#[derive(Serialize)]
struct Row {
    id: String,
    received: String,
    channel: String,
    lob: LineOfBusiness,
    missing: Vec<String>,
    waiting_for: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let queue = QUEUES.iter().find(|q| q.name == args.name).ok_or_else(|| {
        Error::usage(format!(
            "no queue `{}` (queues: {})",
            args.name,
            QUEUES
                .iter()
                .map(|q| format!("{} — {}", q.name, q.about))
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    let root = find_office_root(g.repo.as_deref())?;
    let mut claims: Vec<Claim> = super::readable_claims(&root)
        .into_iter()
        .filter(|c| (queue.holds)(c))
        .collect();
    claims.sort_by(|a, b| a.received_at.cmp(&b.received_at).then(a.id.cmp(&b.id)));
    let rows: Vec<Row> = claims
        .iter()
        .map(|c| Row {
            id: c.id.clone(),
            received: c.received_at.format("%Y-%m-%d %H:%M").to_string(),
            channel: channel_name(c.channel).to_string(),
            lob: c.lob,
            missing: c.missing.clone(),
            waiting_for: (queue.waiting_for)(c),
        })
        .collect();
    let mut out = Out::new();
    Rows {
        headers: &["id", "received", "channel", "lob", "waiting_for"],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.id.clone(),
                r.received.clone(),
                r.channel.clone(),
                r.lob.to_string(),
                r.waiting_for.clone(),
            ]
        },
    }
    .print(format, &mut out);
    g.say(format!("{} claims in the {} queue", rows.len(), queue.name));
    Ok(0)
}
