//! `claims sync`: bring this clone and the office's remote together (see
//! [`crate::store::sync`]), and the commands a sync kept aside.

use super::output::{Format, Out};
use super::Globals;
use crate::error::Result;
use crate::store::sync::{self, Kept, Synced};

/// Fetch the office's remote, work your commands the remote lacks again on its tip
/// (re-checked there, signed again by you, keeping the time you worked them), and push;
/// start over when someone pushed meanwhile. Other people's commits are never rewritten. A
/// command that no longer applies (the claim was closed or reassigned meanwhile, authority
/// changed) is kept aside with the reason: list them with --kept, then --redo or --drop each.
/// Transport is your own `git` (its credentials and ssh configuration).
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("aside").args(["kept", "redo", "drop"])))]
pub struct Args {
    /// The remote to sync with (default: the branch's upstream, else origin).
    #[arg(long, value_name = "NAME")]
    pub remote: Option<String>,
    /// List the commands sync kept aside, and why.
    #[arg(long)]
    pub kept: bool,
    /// Work a kept-aside command again now (by its commit id, or the start of it); the next
    /// sync brings it to the office.
    #[arg(long, value_name = "COMMIT")]
    pub redo: Option<String>,
    /// Give up a kept-aside command.
    #[arg(long, value_name = "COMMIT")]
    pub drop: Option<String>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let root = crate::store::files::find_office_root(g.repo.as_deref())?;
    if args.kept {
        let repo = crate::store::files::open_repository(&root)?;
        return list_kept(g, &sync::kept(&repo)?);
    }
    if let Some(c) = &args.drop {
        let repo = crate::store::files::open_repository(&root)?;
        let k = sync::drop_kept(&repo, c)?;
        g.say(format!("dropped {} {}", &k.commit[..12], k.subject));
        return Ok(0);
    }
    if let Some(c) = &args.redo {
        let (k, new) = sync::redo_kept(&root, c)?;
        g.say(format!(
            "{} {} (redone from {}; `claims sync` brings it to the office)",
            &new.to_string()[..12],
            k.subject,
            &k.commit[..12]
        ));
        return Ok(0);
    }
    let synced = sync::sync(&root, args.remote.as_deref())?;
    report(g, &synced)?;
    Ok(0)
}

fn report(g: &Globals, s: &Synced) -> Result<()> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Json])?;
    if format == Format::Json {
        let mut out = Out::new();
        out.line(&serde_json::to_string_pretty(s).expect("a sync report serializes"));
        out.flush();
        return Ok(());
    }
    let place = format!("{}/{}", s.remote, s.branch);
    if s.received > 0 {
        g.say(format!(
            "received {} from {place}",
            super::counted(s.received, "commit")
        ));
    }
    for r in &s.replayed {
        g.say(format!(
            "{} {} (worked again on {place}; was {})",
            &r.now[..12],
            r.subject,
            &r.was[..12]
        ));
    }
    for k in &s.kept {
        eprintln!(
            "warning: kept aside {} {}: {}",
            &k.commit[..12],
            k.subject,
            k.reason
        );
    }
    if !s.kept.is_empty() {
        eprintln!(
            "  hint: `claims sync --kept` lists them; `claims sync --redo COMMIT` works one again now, `--drop COMMIT` gives it up"
        );
    }
    if s.retries > 0 {
        g.say(format!(
            "{place} moved during the sync: worked again {} more",
            super::counted(s.retries, "time")
        ));
    }
    if s.pushed > 0 {
        g.say(format!(
            "pushed {} to {place}",
            super::counted(s.pushed, "commit")
        ));
    } else if s.received == 0 && s.kept.is_empty() {
        g.say(format!("up to date with {place}"));
    } else {
        g.say(format!("nothing of yours to push to {place}"));
    }
    Ok(())
}

fn list_kept(g: &Globals, kept: &[Kept]) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    if kept.is_empty() && format == Format::Table {
        g.say("no command is kept aside");
        return Ok(0);
    }
    let cells = |k: &Kept| {
        vec![
            k.commit[..12].to_string(),
            k.worked.clone(),
            k.author.clone(),
            k.command.clone(),
            k.claim.clone().unwrap_or_default(),
            k.reason.clone(),
        ]
    };
    super::output::Rows {
        headers: &[
            "commit",
            "worked",
            "by",
            "command",
            "claim",
            "why it was kept",
        ],
        rows: kept,
        cells: &cells,
    }
    .print(format, &mut Out::new());
    Ok(0)
}
