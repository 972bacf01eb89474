//! `claims export ID... --to DIR | --zip FILE`: the examiner's claim file (see
//! [`crate::export`]). A reading command: it commits nothing.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::error::{Error, Result};
use crate::export::{export_claims, Context, Destination};

/// The examiner's claim file: record, letters, dated timeline and signed history, per claim.
///
/// Per claim, a folder with the record and every letter and attachment as committed at HEAD, a dated timeline of every event
/// (timeline.csv/.txt), the signed history — every commit that touched the claim, with its
/// signature judged as `claims audit` judges it (history.csv/.txt) — and a README saying what
/// each file is and how to verify the history with plain git. A top-level README.txt indexes
/// the claims. Nothing is committed; a destination that exists (a folder that is not empty, a
/// file) is refused, and the export is written next to it and renamed into place at the end,
/// so a failure leaves nothing half-made.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("dest").required(true).args(["to", "zip"])))]
pub struct Args {
    /// The claims to export (`-` reads ids from stdin, one per line).
    #[arg(required_unless_present = "sample", value_name = "ID")]
    pub ids: Vec<String>,
    /// Instead: the claims of a drawn sample, as `claims sample` prints its spec
    /// ("seed=42 size=10 status=closed"), drawn again from today's claims.
    #[arg(long, value_name = "SPEC", conflicts_with = "ids")]
    pub sample: Option<String>,
    /// Write a new folder DIR (absent, or empty) with one folder per claim.
    #[arg(long, value_name = "DIR")]
    pub to: Option<std::path::PathBuf>,
    /// Write a new zip file holding what the folder would.
    #[arg(long, value_name = "FILE")]
    pub zip: Option<std::path::PathBuf>,
}

#[derive(Serialize)]
struct Row {
    claim: String,
    events: usize,
    commits: usize,
    not_good: usize,
    audit_failed: usize,
}

/// The ids a sample spec draws (sorted, as the sample lists them).
fn sample_ids(g: &Globals, spec: &str) -> Result<Vec<crate::domain::claim_id::ClaimId>> {
    let ws = crate::store::session::Workspace::open(g.repo.as_deref())?;
    let claims = super::readable_claims(&ws.root);
    let drawn = super::sample::drawn_by_spec(&claims, spec).ok_or_else(|| {
        Error::usage(format!(
            "--sample `{spec}` is not a sample as `claims sample` prints it (seed=S size=N [filters])"
        ))
    })?;
    if drawn.is_empty() {
        return Err(Error::refused(format!(
            "the sample `{spec}` draws no claim today"
        )));
    }
    drawn
        .iter()
        .map(|c| crate::store::files::parse_claim_id(&c.id))
        .collect()
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ids = match &args.sample {
        Some(spec) => sample_ids(g, spec)?,
        None => super::claim_ids(&args.ids)?,
    };
    let repo = super::office_repository(g)?;
    let dest = match (args.to, args.zip) {
        (Some(d), _) => Destination::Folder(d),
        (None, Some(z)) => Destination::Zip(z),
        (None, None) => unreachable!("clap requires --to or --zip"),
    };
    let actor = g.as_email.clone().or_else(|| {
        repo.config()
            .ok()
            .and_then(|c| c.get_string("user.email").ok())
    });
    let office = crate::store::files::find_office_root(g.repo.as_deref())
        .and_then(|root| crate::store::files::load_office(&root))
        .ok();
    let tz = office
        .as_ref()
        .and_then(|o| crate::workflow::desk::office_zone(o).ok())
        .unwrap_or(chrono_tz::UTC);
    let ctx = Context {
        exported_at: crate::store::session::office_now(tz)?,
        actor,
        command_line: command_line(),
    };
    if repo.workdir().is_some() {
        let folders = office
            .as_ref()
            .map(|o| o.claim_folders())
            .unwrap_or_default();
        let files: Vec<String> = ids.iter().map(|i| i.file_path(folders)).collect();
        let paths: Vec<&str> = files.iter().map(String::as_str).collect();
        if let Ok(edited) = crate::store::git::uncommitted_edits(&repo, &paths) {
            for p in edited {
                super::warn(&format!(
                    "{p} has edits not committed; the export holds the record as committed at HEAD"
                ));
            }
        }
    }
    let done = export_claims(&repo, &ids, &ctx, &dest)?;
    let rows: Vec<Row> = done
        .claims
        .iter()
        .map(|c| Row {
            claim: c.id.clone(),
            events: c.events,
            commits: c.commits,
            not_good: c.not_good,
            audit_failed: c.failed,
        })
        .collect();
    for r in &rows {
        if r.not_good > 0 {
            super::warn(&format!(
                "{}: {} of its {} commits do not have a good signature (see its history.csv)",
                r.claim, r.not_good, r.commits
            ));
        }
        if r.audit_failed > 0 {
            super::warn(&format!(
                "{}: the audit fails {} of its {} commits (see its history.txt)",
                r.claim, r.audit_failed, r.commits
            ));
        }
    }
    let mut out = Out::new();
    Rows {
        headers: &["claim", "events", "commits", "not_good", "audit_failed"],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.claim.clone(),
                r.events.to_string(),
                r.commits.to_string(),
                r.not_good.to_string(),
                r.audit_failed.to_string(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    g.say(format!(
        "exported {} to {} ({} files)",
        super::counted(rows.len(), "claim"),
        dest.path().display(),
        done.files
    ));
    Ok(0)
}

/// The command line as typed (for the export's README), quoted where a shell would need it.
fn command_line() -> String {
    std::env::args()
        .enumerate()
        .map(|(n, a)| if n == 0 { "claims".to_string() } else { a })
        .map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
