//! `claims audit [RANGE]`: prove the history (see [`crate::audit`]).

use super::findings::print_findings;
use super::output::Format;
use super::Globals;
use crate::error::{Error, Result};

/// Prove the history: every commit replayed or judged — signatures and signers, commands run
/// again on their parents, hand edits, authority.yaml's governance, policies and templates,
/// private keys — in the finding format of `claims check`. Exits 1 on errors (and on warnings
/// with --strict).
///
/// RANGE: `A..B` (in CI: `origin/main..HEAD`), or a revision (everything reachable from it).
/// Default: what came after this clone's last clean audit (its checkpoint), or the whole
/// history of HEAD. A clean audit of HEAD records a checkpoint: in this clone
/// (refs/claims/audited) and, when you sign as someone whose role may `audit`, as a signed tag
/// claims/checkpoint/... that travels with the branch. A checkpoint the history no longer
/// contains is reported: the history was rewritten.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub range: Option<String>,
    /// Audit the whole history, not only what came after the last checkpoint.
    #[arg(long, conflicts_with = "range")]
    pub full: bool,
    /// Exit 1 on warnings (hand edits of words, files outside the records) too.
    #[arg(long)]
    pub strict: bool,
    /// Record no checkpoint.
    #[arg(long)]
    pub no_checkpoint: bool,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Text, &[Format::Text, Format::Json, Format::Github])?;
    let repo = super::office_repository(g)?;
    let head = repo.head().ok().and_then(|h| h.target());
    let mut findings = Vec::new();
    if repo.references_glob("refs/replace/*")?.next().is_some() {
        findings.push(crate::check::finding::Finding {
            code: "A024",
            severity: crate::check::finding::severity_of("A024"),
            file: "authority.yaml".into(),
            line: 1,
            column: 1,
            claim: None,
            field: None,
            message: "the repository holds replace refs (refs/replace/*): git shows other commits than the history holds; remove them (`git replace -d`)".into(),
        });
    }
    let trusted = match head {
        Some(h) => crate::audit::checkpoint::judge(&repo, h, &mut findings)?,
        None => Vec::new(),
    };
    // Only this clone's own audit lets the next one start later: a shared checkpoint says a
    // history existed (a rewrite of it is found), not that this clone verified it.
    let mine = trusted
        .iter()
        .rev()
        .find(|c| c.name == crate::store::checkpoint::LOCAL);
    let since = match (&args.range, args.full, mine) {
        (None, false, Some(c)) => Some(c),
        _ => None,
    };
    let range = match (&args.range, since) {
        (Some(r), _) => Some(r.clone()),
        (None, Some(c)) => Some(format!("{}..HEAD", c.commit)),
        (None, None) => None,
    };
    let bar = super::progress::Progress::open(g, "audit");
    let report = crate::audit::audit_watched(&repo, range.as_deref(), &bar).map_err(|e| {
        Error::usage(format!(
            "cannot read the history{}: {}",
            args.range
                .as_deref()
                .map(|r| format!(" of `{r}`"))
                .unwrap_or_default(),
            e.message()
        ))
    })?;
    drop(bar);
    findings.extend(report.findings);
    let commits = report.commits.len();
    let mut extra = serde_json::Map::new();
    extra.insert(
        "verdicts".into(),
        serde_json::to_value(&report.commits).unwrap_or_default(),
    );
    if let Some(c) = since {
        extra.insert("since".into(), c.commit.to_string().into());
    }
    let errors = print_findings(format, &findings, ("commits", commits), extra);
    let warnings = findings
        .iter()
        .filter(|f| f.severity == crate::check::finding::Severity::Warning)
        .count();
    g.say(format!(
        "audited {}{}: {}, {}",
        super::counted(commits, "commit"),
        since
            .map(|c| format!(" since checkpoint {}", &c.commit.to_string()[..12]))
            .unwrap_or_default(),
        super::counted(errors, "error"),
        super::counted(warnings, "warning"),
    ));
    if let (Some(h), None, 0, false) = (head, &args.range, errors, args.no_checkpoint) {
        checkpoint(g, &repo, h)?;
    }
    Ok(if errors > 0 || (args.strict && warnings > 0) {
        1
    } else {
        0
    })
}

/// Records `head` as verified: in this clone, and signed when the auditor may.
fn checkpoint(g: &Globals, repo: &git2::Repository, head: git2::Oid) -> Result<()> {
    crate::store::checkpoint::record_local(repo, head)?;
    let signed = super::session(g).and_then(|s| s.sign_checkpoint(head));
    match signed {
        Ok(Some(name)) => g.say(format!(
            "checkpoint {name} (signed; push it with the branch)"
        )),
        Ok(None) | Err(_) => g.say(format!(
            "checkpoint {} recorded in this clone (a signed one takes an auditor's key)",
            &head.to_string()[..12]
        )),
    }
    Ok(())
}
