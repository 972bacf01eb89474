//! `claims show ID`: one claim. Reads only that claim's file.

use super::output::{cell, table_wrapped, Format, Out};
use super::Globals;
use crate::domain::claim::Claim;
use crate::domain::claim::ItemStatus;
use crate::error::Result;
use crate::store::files::{find_office_root, parse_claim_id, read_claim, read_text};

/// Show one claim: a summary (table), the file itself (yaml), or the record as JSON.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The claim id (CLM-2611-7K3F-QM2X; case and O/0, I/1 confusions are forgiven).
    pub id: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Yaml, Format::Json])?;
    let root = find_office_root(g.repo.as_deref())?;
    let id = parse_claim_id(&args.id)?;
    let (rel, claim) = read_claim(&root, &id)?;
    let mut out = Out::new();
    match format {
        Format::Yaml => out.write_str(&read_text(&root.join(&rel))?),
        Format::Json => out.line(&serde_json::to_string_pretty(&claim).expect("claim serializes")),
        _ => out.write_str(&summary(&claim)),
    }
    Ok(0)
}

/// The claim as a person reads it at a glance.
pub fn summary(c: &Claim) -> String {
    let party = |p: &Option<crate::domain::claim::Party>| {
        p.as_ref()
            .map(|p| {
                [
                    p.name.as_deref(),
                    p.organization.as_deref(),
                    p.phone.as_deref(),
                    p.email.as_deref(),
                ]
                .into_iter()
                .flatten()
                .fold(Vec::<&str>::new(), |mut seen, v| {
                    if !seen.contains(&v) {
                        seen.push(v);
                    }
                    seen
                })
                .join(", ")
            })
            .unwrap_or_default()
    };
    let open_tasks = c.tasks.iter().filter(|t| t.status.is_outstanding()).count();
    let open_docs = c
        .documents
        .iter()
        .filter(|d| d.status.is_outstanding())
        .count();
    let received_docs = c
        .documents
        .iter()
        .filter(|d| d.status == ItemStatus::Received)
        .count();
    let mut rows: Vec<Vec<String>> = vec![
        vec!["id".into(), c.id.clone()],
        vec!["status".into(), c.status.to_string()],
        vec!["line".into(), c.lob.to_string()],
        vec!["jurisdiction".into(), c.jurisdiction.clone()],
        vec!["channel".into(), crate::workflow::plain(&c.channel)],
        vec!["received".into(), c.received_at.to_rfc3339()],
        vec![
            "source".into(),
            c.source.as_ref().map(|s| s.describe()).unwrap_or_default(),
        ],
        vec!["policy".into(), cell(c.policy_number.as_ref())],
        vec!["insured".into(), party(&c.insured)],
        vec!["reporter".into(), party(&c.reporter)],
        vec!["loss date".into(), cell(c.loss.date)],
        vec!["loss location".into(), cell(c.loss.location.as_ref())],
        vec!["what happened".into(), cell(c.loss.description.as_ref())],
    ];
    if let Some(t) = &c.triage {
        rows.push(vec!["coverage".into(), crate::workflow::plain(&t.coverage)]);
        rows.push(vec!["priority".into(), t.priority.as_str().into()]);
    }
    if let (Some(e), None) = (&c.escalation, &c.assignment) {
        rows.push(vec!["escalated".into(), e.reason.clone()]);
    }
    if let Some(a) = &c.assignment {
        rows.push(vec![
            "assigned to".into(),
            c.handled_by().unwrap_or(&a.destination).to_string(),
        ]);
    }
    rows.push(vec!["reserve".into(), c.effective_reserve().to_string()]);
    rows.push(vec!["paid".into(), c.paid().to_string()]);
    rows.push(vec![
        "tasks open".into(),
        format!("{open_tasks} of {}", c.tasks.len()),
    ]);
    rows.push(vec![
        "documents".into(),
        format!("{received_docs} received, {open_docs} outstanding"),
    ]);
    if !c.missing.is_empty() {
        rows.push(vec!["missing".into(), c.missing.join(", ")]);
    }
    if let Some(x) = &c.closure {
        rows.push(vec![
            "closed".into(),
            format!(
                "{} {}{}",
                x.at.date_naive(),
                crate::workflow::plain(&x.outcome).replace('_', " "),
                x.reason
                    .map(|r| format!(" ({})", r.as_str().replace('_', " ")))
                    .unwrap_or_default()
            ),
        ]);
    }
    if let Some(r) = c.reopenings.last() {
        rows.push(vec![
            "reopened".into(),
            format!(
                "{} time(s), last {} ({})",
                c.reopenings.len(),
                r.at.date_naive(),
                r.reason.replace('_', " ")
            ),
        ]);
    }
    if let Some(m) = &c.merged_into {
        rows.push(vec!["merged into".into(), m.clone()]);
    }
    if !c.merged.is_empty() {
        rows.push(vec!["reports merged in".into(), c.merged.join(", ")]);
    }
    let undecided: Vec<&str> = c
        .possible_duplicates
        .iter()
        .filter(|p| p.decision.is_none())
        .map(|p| p.of.as_str())
        .collect();
    if !undecided.is_empty() {
        rows.push(vec![
            "possible duplicate of".into(),
            format!("{} (claims queue duplicates)", undecided.join(", ")),
        ]);
    }
    rows.push(vec!["notes".into(), c.notes.len().to_string()]);
    if let Some(r) = c.reviews.last() {
        let codes = if r.codes.is_empty() {
            String::new()
        } else {
            format!(" {}", r.codes.join(", "))
        };
        rows.push(vec![
            "qc reviews".into(),
            format!(
                "{} (last: {}{codes} by {} on {})",
                c.reviews.len(),
                crate::workflow::plain(&r.result),
                r.by,
                r.at.date_naive()
            ),
        ]);
    }
    if let Some(e) = c.history.last() {
        rows.push(vec![
            "last event".into(),
            format!("{} {} by {}", e.at.to_rfc3339(), e.event, e.by),
        ]);
    }
    table_wrapped(&["field", "value"], &rows)
}
