//! `claims intake`: First Notice of Loss from a web/mobile payload (`--file`) or a CSV batch
//! (`--csv`) becomes new claims, one signed commit each.
//!
//! Every draft is admitted first (policy lookup, validation, id); if any is invalid nothing is
//! committed unless `--skip-invalid`. Other channels build [`Intake`] items and call
//! [`admit_and_commit`].

use std::path::PathBuf;

use serde::Serialize;

use super::output::{Format, Out};
use super::Globals;
use crate::bounds::{MAX_ATTACHMENT_BYTES, MAX_CSV_BYTES};
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::intake::admit::{Admitted, FieldError};
use crate::intake::csv_batch::{column_for, parse_csv, CellError};
use crate::intake::draft::{Draft, DraftAttachment};
use crate::intake::email::drafts_from_path;
use crate::intake::payload::Payload;
use crate::intake::phone::{phone_script, LinePrompter, PhoneError};
use crate::store::input::user_file;
use crate::store::session::Session;
use crate::workflow::intake::{admit_all, FirstNotice};
use crate::workflow::{Command, File};

/// Create claims from a First Notice of Loss (one signed commit per claim).
///
/// `--file F.json|F.yaml` takes a web form or mobile app payload (see the README's Intake
/// section); `--attach` adds its photos and documents under the claim's attachments/.
/// `--csv F.csv` takes one claim per row. A web payload or CSV row must be complete: every
/// missing or invalid fact is listed (with row and column for CSV) and nothing is written.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A web form or mobile app payload (.json, .yaml or .yml).
    #[arg(long, value_name = "F.json|F.yaml")]
    pub file: Option<PathBuf>,
    /// Photos and documents that came with the payload; repeatable.
    #[arg(long = "attach", value_name = "FILE", requires = "file")]
    pub attach: Vec<PathBuf>,
    /// A batch of claims, one per row, with a header row naming the columns.
    #[arg(long, value_name = "F.csv", conflicts_with = "file")]
    pub csv: Option<PathBuf>,
    /// Commit the valid rows or messages even when some are invalid (those are reported and
    /// skipped).
    #[arg(long)]
    pub skip_invalid: bool,
    /// An email notice (.eml), or a folder of them. The original message and its attachments
    /// are kept with the claim, which waits as `incomplete` in the completion queue.
    #[arg(long, value_name = "F.eml|DIR", conflicts_with_all = ["file", "csv"])]
    pub email: Option<PathBuf>,
    /// The phone script: asks for every fact the line of business requires, validating each
    /// answer, reads back a summary and saves on confirmation. Works in a terminal and with
    /// answers piped on stdin (an invalid piped answer fails, naming the question).
    #[arg(long, conflicts_with_all = ["file", "csv", "email"])]
    pub interactive: bool,
    /// The line of business for the phone script (asked when not given), or for emails whose
    /// line cannot be told from their text or policy number.
    #[arg(long, value_name = "LOB")]
    pub lob: Option<String>,
    /// Accept VINs whose check digit fails (recorded on the vehicle as overridden).
    #[arg(long)]
    pub accept_vin: bool,
}

/// One notice to admit: where it came from, its CSV row if any, and its draft or the problems
/// found while reading it.
pub struct Intake {
    pub source: String,
    pub row: Option<usize>,
    pub draft: std::result::Result<Draft, Vec<Problem>>,
}

/// Why a notice cannot become a claim.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.source)?;
        match (self.row, &self.column, &self.field) {
            (Some(r), Some(c), _) => write!(f, ": row {r}, column {c}")?,
            (Some(r), None, _) => write!(f, ": row {r}")?,
            (None, _, Some(field)) => write!(f, ": {field}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl Problem {
    fn from_cell(source: &str, e: CellError) -> Problem {
        Problem {
            source: source.to_string(),
            row: Some(e.row),
            column: e.column,
            field: None,
            message: e.message,
        }
    }

    fn from_field(source: &str, row: Option<usize>, e: FieldError) -> Problem {
        Problem {
            source: source.to_string(),
            row,
            column: row.map(|_| column_for(&e.field)),
            field: Some(e.field),
            message: e.message,
        }
    }
}

/// How [`admit_and_commit`] treats the notices.
pub struct Options {
    /// Refuse notices that lack required facts (web, CSV) rather than hold them incomplete.
    pub require_complete: bool,
    /// Commit the valid notices even if some are invalid.
    pub skip_invalid: bool,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let lob = args.lob.as_deref().map(super::parse_lob).transpose()?;
    if args.interactive {
        // Open the office first: a CSR must not take a whole call only to be refused.
        let session = super::open_session(g, Permission::Intake, "take a First Notice of Loss")?;
        let mut prompter = LinePrompter::stdio();
        let mut draft = match phone_script(lob, &mut prompter) {
            Ok(d) => d,
            Err(PhoneError::Cancelled) => {
                return Err(Error::refused(
                    "cancelled at the read-back: nothing was written",
                ))
            }
            // An answer that is not text, or too long, is bad input.
            Err(PhoneError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error::refused(format!("stdin: {e}; nothing was written")))
            }
            Err(PhoneError::Io(e)) => return Err(Error::io("the terminal", e)),
            Err(e) => return Err(Error::refused(e.to_string())),
        };
        draft.vin_override |= args.accept_vin;
        let items = vec![Intake {
            source: "phone".into(),
            row: None,
            draft: Ok(draft),
        }];
        let options = Options {
            require_complete: false,
            skip_invalid: false,
        };
        return admit_and_commit(g, &session, items, &options);
    }
    if let Some(path) = &args.email {
        let drafts = drafts_from_path(path).map_err(|e| e.into_error(path.display()))?;
        if drafts.is_empty() {
            return Err(Error::refused(format!(
                "{}: no .eml messages there",
                path.display()
            )));
        }
        let items = drafts
            .into_iter()
            .map(|(file, draft)| {
                let source = file.display().to_string();
                let draft = draft
                    .map(|mut d| {
                        if d.lob.is_none() {
                            d.lob = lob;
                        }
                        d
                    })
                    .map_err(|e| {
                        // The error names the file; the problem names it once.
                        let message = e.to_string();
                        let message = message
                            .strip_prefix(&format!("{source}: "))
                            .map_or(message.clone(), str::to_string);
                        vec![Problem {
                            source: source.clone(),
                            row: None,
                            column: None,
                            field: None,
                            message,
                        }]
                    });
                Intake {
                    source,
                    row: None,
                    draft,
                }
            })
            .collect();
        let session = super::session(g)?;
        let options = Options {
            require_complete: false,
            skip_invalid: args.skip_invalid,
        };
        return admit_and_commit(g, &session, items, &options);
    }
    let items = if let Some(file) = &args.file {
        let name = file.display().to_string();
        let payload = Payload::read(file)?;
        let mut draft = payload.into_draft(&name);
        for a in &args.attach {
            let bytes = user_file(a, MAX_ATTACHMENT_BYTES)?;
            let file_name = a
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "attachment".into());
            draft.attachments.push(DraftAttachment {
                file_name,
                kind: None,
                bytes,
            });
        }
        draft.vin_override = args.accept_vin;
        vec![Intake {
            source: name,
            row: None,
            draft: Ok(draft),
        }]
    } else if let Some(csv) = &args.csv {
        let name = csv.display().to_string();
        let bytes = user_file(csv, MAX_CSV_BYTES)?;
        let rows = parse_csv(&bytes).map_err(|errs| {
            let mut e = Error::refused(format!(
                "{name}: the header is invalid; nothing was written"
            ));
            for c in errs {
                e = e.hint(Problem::from_cell(&name, c).to_string());
            }
            e
        })?;
        rows.into_iter()
            .map(|r| Intake {
                source: name.clone(),
                row: Some(r.row),
                draft: r
                    .draft
                    .map(|mut d| {
                        d.vin_override = args.accept_vin;
                        d
                    })
                    .map_err(|errs| {
                        errs.into_iter()
                            .map(|c| Problem::from_cell(&name, c))
                            .collect()
                    }),
            })
            .collect()
    } else {
        return Err(Error::usage(
            "say where the notice is: --file F.json|F.yaml, --csv F.csv, --email F.eml|DIR or --interactive",
        ));
    };
    let session = super::session(g)?;
    admit_and_commit(
        g,
        &session,
        items,
        &Options {
            require_complete: true,
            skip_invalid: args.skip_invalid,
        },
    )
}

/// A claim the intake made, as its report needs it: the commit and its subject, the table's
/// row (id first), where it came from and what to warn of.
struct Made {
    commit: Option<git2::Oid>,
    subject: String,
    row: Vec<String>,
    source: String,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct Warning {
    claim: String,
    source: String,
    message: String,
}

#[derive(Serialize)]
struct Report<'a> {
    dry_run: bool,
    created: Vec<String>,
    warnings: &'a [Warning],
    errors: &'a [Problem],
}

/// Admits every notice, then (if all are valid, or `skip_invalid`) commits one signed commit
/// per claim, and prints the result: a table (id, lob, status, policy, missing, warnings) or
/// JSON `{"created": [...], "warnings": [...], "errors": [...]}`.
pub fn admit_and_commit(
    g: &Globals,
    session: &Session,
    items: Vec<Intake>,
    opts: &Options,
) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Json])?;
    session.require(Permission::Intake, "take in new claims")?;
    let mut problems: Vec<Problem> = Vec::new();
    let mut sources = Vec::new();
    let mut drafts = Vec::new();
    for item in items {
        match item.draft {
            Ok(d) => {
                sources.push((item.source, item.row));
                drafts.push(d);
            }
            Err(p) => problems.extend(p),
        }
    }
    let mut rng = rand::rngs::OsRng;
    // The drafts move in (their attachments are not copied).
    let results =
        session.at_tip(|desk| admit_all(desk, drafts, opts.require_complete, &mut rng))?;
    let mut admitted: Vec<(String, Option<usize>, Admitted)> = Vec::new();
    for ((source, row), result) in sources.into_iter().zip(results) {
        match result {
            Ok(a) => admitted.push((source, row, a)),
            Err(errs) => problems.extend(
                errs.into_iter()
                    .map(|e| Problem::from_field(&source, row, e)),
            ),
        }
    }

    let refuse = !problems.is_empty() && !opts.skip_invalid;
    let mut created: Vec<Made> = Vec::new();
    let mut warnings: Vec<Warning> = Vec::new();
    if !refuse {
        let now = session.now()?;
        // Many claims: one batch, published together (each still its own signed commit).
        let batched = !g.dry_run && admitted.len() > 1;
        let commit_each = || -> Result<Vec<Made>> {
            let mut made = Vec::with_capacity(admitted.len());
            for (source, row, a) in admitted {
                let at = a.claim.received_at.max(now);
                let notice = FirstNotice {
                    source: file_name_of(&source),
                    row,
                    claim: a.claim,
                    files: a
                        .files
                        .into_iter()
                        .map(|f| File::supplied(f.path, f.bytes))
                        .collect(),
                };
                let d = session.run_at(&Command::Intake(Box::new(notice)), at, g.dry_run)?;
                if g.dry_run && !(format == Format::Json || g.quiet) {
                    super::update::report(g, &d);
                }
                // What the report needs; the change itself goes (a batch of thousands
                // would otherwise hold every claim, its file and its diff to the end).
                let claim = d.claim().expect("a first notice adds its claim");
                made.push(Made {
                    commit: d.commit,
                    subject: d.message.lines().next().unwrap_or("").to_string(),
                    row: vec![
                        claim.id.clone(),
                        claim.lob.to_string(),
                        claim.status.to_string(),
                        claim.policy_number.clone().unwrap_or_default(),
                        claim.missing.len().to_string(),
                        a.warnings.len().to_string(),
                    ],
                    source,
                    warnings: a.warnings,
                });
            }
            Ok(made)
        };
        created = if batched {
            let (mut made, ids) = session.batch(commit_each)?;
            for (m, id) in made.iter_mut().zip(ids) {
                m.commit = Some(id);
            }
            made
        } else {
            commit_each()?
        };
        for m in &mut created {
            if let Some(oid) = m.commit {
                super::update::say_commit(g, oid, &m.subject);
            }
            for w in std::mem::take(&mut m.warnings) {
                warnings.push(Warning {
                    claim: m.row[0].clone(),
                    source: m.source.clone(),
                    message: w,
                });
            }
        }
    }

    let mut out = Out::new();
    match format {
        Format::Json => {
            let report = Report {
                dry_run: g.dry_run,
                created: created.iter().map(|m| m.row[0].clone()).collect(),
                warnings: &warnings,
                errors: &problems,
            };
            out.line(&serde_json::to_string_pretty(&report).expect("report serializes"));
        }
        _ => {
            // One write: a batch can carry thousands of warnings.
            let mut messages = String::new();
            for p in &problems {
                messages.push_str(&format!("error: {p}\n"));
            }
            for w in &warnings {
                messages.push_str(&format!("warning: {}: {}\n", w.claim, w.message));
            }
            {
                use std::io::Write;
                let _ = std::io::stderr().lock().write_all(messages.as_bytes());
            }
            if !created.is_empty() {
                let rows: Vec<Vec<String>> = created.iter().map(|m| m.row.clone()).collect();
                out.write_str(&super::output::table(
                    &["id", "lob", "status", "policy", "missing", "warnings"],
                    &rows,
                ));
            }
        }
    }
    out.flush();
    if refuse {
        return Err(Error::refused(format!(
            "{} problem(s) found; nothing was written",
            problems.len()
        ))
        .hint("fix them and run again, or pass --skip-invalid to commit only the valid ones"));
    }
    if created.is_empty() && !problems.is_empty() {
        // --skip-invalid with nothing valid: not a success, whatever the flag says.
        return Err(Error::refused(format!(
            "every notice was invalid ({} skipped); nothing was written",
            skipped(&problems)
        )));
    }
    let verb = if g.dry_run { "would create" } else { "created" };
    g.say(format!("{verb} {} claim(s)", created.len()));
    if !problems.is_empty() {
        g.say(format!("skipped {} invalid notice(s)", skipped(&problems)));
    }
    Ok(0)
}

/// A notice's source as recorded: the file's own name (no local folders), or the channel.
fn file_name_of(source: &str) -> String {
    std::path::Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| source.to_string())
}

fn skipped(problems: &[Problem]) -> usize {
    let mut keys: Vec<(String, Option<usize>)> =
        problems.iter().map(|p| (p.source.clone(), p.row)).collect();
    keys.sort();
    keys.dedup();
    keys.len()
}
