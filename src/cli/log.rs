//! `claims log ID`: one claim's history from the commits and their trailers.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::audit::History;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;
use crate::workflow::intake::Origin;

/// One claim's history: when, who and in what role, which command, amounts, whether the
/// signature is good, and where an intake's notice came from — from the commits that touched its file or folder, oldest first.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
}

#[derive(Serialize)]
struct Row {
    when: String,
    who: String,
    role: String,
    command: String,
    amount: String,
    signature: String,
    commit: String,
    subject: String,
    /// Where an intake commit's notice came from.
    source: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let id = parse_claim_id(&args.id)?;
    let repo = super::office_repository(g)?;
    let mut history = History::new(&repo);
    let mut rows = Vec::new();
    for commit in history.commits(None)? {
        let entry = history.entry(commit)?;
        if !entry.changed.iter().any(|p| id.owns(p)) {
            continue;
        }
        let when = chrono::DateTime::from_timestamp(entry.when.seconds(), 0)
            .map(|t| {
                t.with_timezone(
                    &chrono::FixedOffset::east_opt(entry.when.offset_minutes() * 60)
                        .unwrap_or(chrono::FixedOffset::east_opt(0).expect("UTC")),
                )
                .format("%Y-%m-%d %H:%M %:z")
                .to_string()
            })
            .unwrap_or_default();
        let amounts: Vec<&str> = entry
            .trailers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("Amount"))
            .map(|(_, v)| v.as_str())
            .collect();
        rows.push(Row {
            when,
            who: entry.author_email.clone(),
            role: entry.trailer("Role").unwrap_or("").to_string(),
            command: entry
                .trailer("Command")
                .unwrap_or("(hand edit)")
                .to_string(),
            amount: amounts.join(" "),
            signature: entry.signature.word().to_string(),
            commit: entry.id.to_string()[..12].to_string(),
            subject: entry.subject.clone(),
            source: match (entry.trailer("Command"), entry.trailer("Args")) {
                (Some("intake"), Some(args)) => Origin::recorded(args)
                    .map(|o| o.describe())
                    .unwrap_or_default(),
                _ => String::new(),
            },
        });
    }
    if rows.is_empty() {
        return Err(Error::refused(format!("no commit touches claim {id}")));
    }
    let mut out = Out::new();
    Rows {
        headers: &[
            "when",
            "who",
            "role",
            "command",
            "amount",
            "signature",
            "commit",
            "subject",
            "source",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.when.clone(),
                r.who.clone(),
                r.role.clone(),
                r.command.clone(),
                r.amount.clone(),
                r.signature.clone(),
                r.commit.clone(),
                r.subject.clone(),
                r.source.clone(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    Ok(0)
}
