//! `claims audit [RANGE]`: prove the history (see [`crate::audit`]).

use super::findings::print_findings;
use super::output::Format;
use super::Globals;
use crate::error::{Error, Result};

/// Prove the history: signatures and signers, hand edits, changes beyond authority, changes of
/// authority.yaml — in the finding format of `claims check`. Exits 1 on errors (and on
/// warnings with --strict).
///
/// RANGE: `A..B` (in CI: `origin/main..HEAD`), or a revision (everything reachable from it).
/// Default: the whole history of HEAD.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub range: Option<String>,
    /// Exit 1 on warnings (hand edits of words, authority changes to review) too.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Text, &[Format::Text, Format::Json, Format::Github])?;
    let repo = super::office_repository(g)?;
    let report = crate::audit::audit(&repo, args.range.as_deref()).map_err(|e| {
        Error::usage(format!(
            "cannot read the history{}: {}",
            args.range
                .as_deref()
                .map(|r| format!(" of `{r}`"))
                .unwrap_or_default(),
            e.message()
        ))
    })?;
    let (findings, commits) = (&report.findings, report.commits.len());
    let mut extra = serde_json::Map::new();
    extra.insert(
        "verdicts".into(),
        serde_json::to_value(&report.commits).unwrap_or_default(),
    );
    let errors = print_findings(format, findings, ("commits", commits), extra);
    let warnings = findings
        .iter()
        .filter(|f| f.severity == crate::check::finding::Severity::Warning)
        .count();
    g.say(format!(
        "audited {commits} commits: {errors} errors, {warnings} warnings"
    ));
    Ok(if errors > 0 || (args.strict && warnings > 0) {
        1
    } else {
        0
    })
}
