//! `claims update ID --set FIELD=VALUE... --reason TEXT`: a clerk's data-integrity correction.
//!
//! Only reported facts can be corrected this way (loss facts, parties, policy number, line
//! facts). Status, money, approvals, triage and assignment each have their own command, whose
//! authority rules a correction must not bypass.

use super::Globals;
use crate::error::Result;
use crate::store::session::Done;
use crate::workflow::records::Correct;
use crate::workflow::{parse_claim_id, Command};

/// Correct reported facts on a claim (one signed commit, with the reason on the claim).
///
/// Fields are paths into the claim file: `loss.date=2026-10-30`, `insured.phone="+1 312 555
/// 0100"`, `auto.vehicles[0].vin=1FMCU14T3JU402061`. An empty value removes the fact.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// FIELD=VALUE; repeat for several fields.
    #[arg(long = "set", value_name = "FIELD=VALUE", required = true)]
    pub set: Vec<String>,
    /// Why the record was wrong (kept on the claim and in the commit).
    #[arg(long)]
    pub reason: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    super::run_one(
        g,
        Command::Update(Correct {
            id,
            sets: args.set,
            reason: args.reason,
        }),
    )
}

/// What the command wants the user to know (not committed): `warning: ...` on stderr.
pub fn warn(g: &Globals, done: &Done) {
    for w in &done.change.warnings {
        g.say(format!("warning: {w}"));
    }
}

/// Prints what a change did (or would do, on a dry run).
pub fn report(g: &Globals, done: &Done) {
    print_done(
        g,
        done.commit,
        &done.message,
        &done.files,
        &done.path,
        done.before.as_deref(),
        &done.after,
    )
}

/// `0123456789ab subject`: a commit made, in a line.
pub fn say_commit(g: &Globals, oid: git2::Oid, message: &str) {
    g.say(format!(
        "{} {}",
        &oid.to_string()[..12],
        message.lines().next().unwrap_or("")
    ));
}

fn print_done(
    g: &Globals,
    commit: Option<git2::Oid>,
    message: &str,
    files: &[String],
    path: &str,
    before: Option<&str>,
    after: &str,
) {
    match commit {
        Some(oid) => say_commit(g, oid, message),
        None => {
            let mut out = super::output::Out::new();
            out.line("dry run: nothing was written");
            out.line(&format!("files: {}", files.join(", ")));
            out.line("--- diff");
            let diff = similar::TextDiff::from_lines(before.unwrap_or(""), after);
            out.write_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(path, path)
                    .to_string(),
            );
            out.line("--- commit message");
            out.write_str(message);
        }
    }
}
