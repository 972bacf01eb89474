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
use crate::domain::claim::LineOfBusiness;
use crate::domain::intake_source::IntakeSource;
use crate::domain::lifecycle::Status;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::intake::admit::{Admitted, FieldError};
use crate::intake::csv_batch::{column_for, CellError, CsvFile};
use crate::intake::draft::{Draft, DraftAttachment};
use crate::intake::email::drafts_from_path;
use crate::intake::payload::Payload;
use crate::intake::phone::{phone_script, LinePrompter, PhoneError, Prompter};
use crate::intake::source;
use crate::store::input::{user_file, user_text};
use crate::store::session::{Done, Session};
use crate::workflow::intake::{
    admit_one, already_imported, known_claims, seen_before, FirstNotice, Origin, Seen,
};
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

/// One notice to admit: the input as the user named it, its CSV row if any, where it came
/// from as the claim records it (none when it could not be read), and its draft or the
/// problems found while reading it.
pub struct Intake {
    pub name: String,
    pub row: Option<usize>,
    pub source: Option<IntakeSource>,
    /// The draft (boxed: a draft is kilobytes); `None` when it is read again from its input
    /// each time it is needed (a CSV row), so that a batch never holds every row's draft.
    pub draft: std::result::Result<Option<Box<Draft>>, Vec<Problem>>,
}

/// Reads the draft of item `i` (a CSV row: `row`) again.
pub type Reread<'a> = &'a dyn Fn(usize, usize) -> Option<Box<Draft>>;

/// How many problems a run lists; the rest are counted ("... and N more problem(s)"), so
/// that a file of a million bad rows is not a million messages held in memory.
pub const MAX_LISTED_PROBLEMS: usize = 1000;

/// How many claims of a batch are admitted at a time before they are committed (each
/// admitted claim is kilobytes: a batch does not hold them all).
const ADMIT_CHUNK: usize = 32;

/// The problems found in a run's notices: the first [`MAX_LISTED_PROBLEMS`] to list, and
/// how many there are, in how many notices.
#[derive(Default)]
pub struct Problems {
    listed: Vec<Problem>,
    count: usize,
    notices: usize,
}

impl Problems {
    /// The problems of one notice.
    pub fn add(&mut self, found: impl IntoIterator<Item = Problem>) {
        let before = self.count;
        for p in found {
            self.count += 1;
            if self.listed.len() < MAX_LISTED_PROBLEMS {
                self.listed.push(p);
            }
        }
        if self.count > before {
            self.notices += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn not_listed(&self) -> usize {
        self.count - self.listed.len()
    }
}

/// What the first pass made of an item.
enum Outcome {
    /// Already imported, or the same as an earlier item: not admitted.
    Skipped,
    Invalid,
    /// Admitted; its draft is read again to admit it when it is committed.
    Valid,
    /// Admitted, and held (its draft cannot be read again).
    Admitted(Box<Admitted>),
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
        let mut prompter = Recording {
            inner: LinePrompter::stdio(),
            answers: Vec::new(),
        };
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
            name: "phone script".into(),
            row: None,
            source: Some(source::phone(&prompter.answers)),
            draft: Ok(Some(Box::new(draft))),
        }];
        let options = Options {
            require_complete: false,
            skip_invalid: false,
        };
        return admit_and_commit(g, &session, items, &options, Problems::default(), None);
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
                let name = file.display().to_string();
                let source = draft.as_ref().ok().map(|d| source::email(&name, d));
                let draft = draft
                    .map(|mut d| {
                        if d.lob.is_none() {
                            d.lob = lob;
                        }
                        Some(Box::new(d))
                    })
                    .map_err(|e| {
                        // The error names the file; the problem names it once.
                        let message = e.to_string();
                        let message = message
                            .strip_prefix(&format!("{name}: "))
                            .map_or(message.clone(), str::to_string);
                        vec![Problem {
                            source: name.clone(),
                            row: None,
                            column: None,
                            field: None,
                            message,
                        }]
                    });
                Intake {
                    name,
                    row: None,
                    source,
                    draft,
                }
            })
            .collect();
        let session = super::session(g)?;
        let options = Options {
            require_complete: false,
            skip_invalid: args.skip_invalid,
        };
        return admit_and_commit(g, &session, items, &options, Problems::default(), None);
    }
    let items = if let Some(file) = &args.file {
        let name = file.display().to_string();
        let text = user_text(file, crate::bounds::MAX_PAYLOAD_BYTES)?;
        let payload = Payload::parse(&name, &text)?;
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
            source: Some(source::payload(&name, &text)),
            name,
            row: None,
            draft: Ok(Some(Box::new(draft))),
        }]
    } else if let Some(csv) = &args.csv {
        let name = csv.display().to_string();
        let bytes = user_file(csv, MAX_CSV_BYTES)?;
        let file = CsvFile::open(&bytes).map_err(|errs| {
            let mut e = Error::refused(format!(
                "{name}: the header is invalid; nothing was written"
            ));
            for c in errs {
                e = e.hint(Problem::from_cell(&name, c).to_string());
            }
            e
        })?;
        // A row is read here for its problems and fingerprint, and read again when it is
        // admitted and committed: only where each starts is kept.
        let mut problems = Problems::default();
        let mut items = Vec::new();
        let mut starts: Vec<u64> = Vec::new();
        file.each_row(|r, at| match (r.draft, r.fingerprint) {
            // Not read at all: no fingerprint, so never a repeat; only its problems count.
            (Err(errs), None) => {
                problems.add(errs.into_iter().map(|c| Problem::from_cell(&name, c)))
            }
            // Read but invalid: kept (without a draft) to tell a repeat of it.
            (draft, fingerprint) => {
                items.push(Intake {
                    name: name.clone(),
                    row: Some(r.row),
                    source: fingerprint.map(|f| source::csv_row(&name, r.row, f)),
                    draft: draft.map(|_| None).map_err(|errs| {
                        errs.into_iter()
                            .map(|c| Problem::from_cell(&name, c))
                            .collect()
                    }),
                });
                starts.push(at);
            }
        });
        items.shrink_to_fit();
        starts.shrink_to_fit();
        let accept_vin = args.accept_vin;
        let reread = |i: usize, row: usize| -> Option<Box<Draft>> {
            let mut d = file.row_at(row, *starts.get(i)?)?.draft.ok()?;
            d.vin_override = accept_vin;
            Some(d)
        };
        let session = super::session(g)?;
        return admit_and_commit(
            g,
            &session,
            items,
            &Options {
                require_complete: true,
                skip_invalid: args.skip_invalid,
            },
            problems,
            Some(&reread),
        );
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
        Problems::default(),
        None,
    )
}

/// A claim the intake made, as its report needs it: the item it came from, the commit and
/// its subject (a commit only), what its table row shows, and what to warn of (none kept when
/// nothing will show them). Compact: a batch keeps one for every claim it made.
struct Made {
    item: usize,
    commit: Option<git2::Oid>,
    subject: Option<Box<str>>,
    id: Box<str>,
    lob: LineOfBusiness,
    status: Status,
    policy: Option<Box<str>>,
    missing: usize,
    warned: usize,
    warnings: Vec<String>,
}

impl Made {
    fn of(item: usize, done: &Done, warnings: Vec<String>, keep: Keep) -> Made {
        let claim = done.claim().expect("a first notice adds its claim");
        Made {
            item,
            commit: done.commit,
            subject: keep
                .subject
                .then(|| done.message.lines().next().unwrap_or("").into()),
            id: claim.id.as_str().into(),
            lob: claim.lob,
            status: claim.status,
            policy: claim.policy_number.as_deref().map(Into::into),
            missing: claim.missing.len(),
            warned: warnings.len(),
            warnings: if keep.warnings { warnings } else { Vec::new() },
        }
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// Its row of the table: id, lob, status, policy, missing, warnings.
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.lob.to_string(),
            self.status.to_string(),
            self.policy.as_deref().unwrap_or_default().to_string(),
            self.missing.to_string(),
            self.warned.to_string(),
        ]
    }
}

#[derive(Serialize)]
struct Warning<'a> {
    claim: &'a str,
    source: &'a str,
    message: &'a str,
}

/// What a [`Made`] keeps beyond its row: the commit's subject (when there will be a commit
/// to say), the warnings (when they will be shown: JSON, or a table without --quiet).
#[derive(Clone, Copy)]
struct Keep {
    subject: bool,
    warnings: bool,
}

/// An item not taken in again: already on a claim of the office, or the same as an earlier
/// item of this batch.
#[derive(Serialize)]
struct AlreadyImported {
    /// The input file's name, as the claim records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<String>,
    /// The claim it is on; none when it repeats an earlier item of the batch that was not
    /// taken in (invalid, or the batch refused).
    claim: Option<String>,
    /// The earlier item of this batch it repeats (`row 12`, `a.eml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    same_as: Option<String>,
    /// The same Message-ID, but another message: a person should look.
    differs: bool,
    message: String,
}

#[derive(Serialize)]
struct Report<'a> {
    dry_run: bool,
    created: Vec<String>,
    already_imported: &'a [AlreadyImported],
    warnings: Vec<Warning<'a>>,
    errors: &'a [Problem],
    /// Problems past the first [`MAX_LISTED_PROBLEMS`], counted only.
    #[serde(skip_serializing_if = "is_zero")]
    errors_not_listed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Sorts out the items already imported (by Message-ID or fingerprint, against the office's
/// register and earlier items of the batch), admits the rest, then (if all are valid, or
/// `skip_invalid`) commits one signed commit per claim, and prints the result: a table (id,
/// lob, status, policy, missing, warnings) or JSON `{"created": [...], "already_imported":
/// [...], "warnings": [...], "errors": [...]}`.
pub fn admit_and_commit(
    g: &Globals,
    session: &Session,
    mut items: Vec<Intake>,
    opts: &Options,
    mut problems: Problems,
    reread: Option<Reread>,
) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Json])?;
    session.require(Permission::Intake, "take in new claims")?;
    let mut rng = rand::rngs::OsRng;
    let draft_of = |i: usize, item: &mut Intake| -> Option<Box<Draft>> {
        match std::mem::replace(&mut item.draft, Ok(None)) {
            Ok(Some(d)) => Some(d),
            Ok(None) => reread.and_then(|f| f(i, item.row.unwrap_or_default())),
            Err(_) => None,
        }
    };
    let unreadable = |item: &Intake| {
        Error::refused(format!(
            "{}{}: could not be read again; nothing was written",
            item.name,
            item.row.map(|r| format!(": row {r}")).unwrap_or_default()
        ))
    };
    // First pass: which items are new, and which of those are valid. Only what the report
    // needs is kept of each (an admitted claim is held only when its draft cannot be read
    // again, and not at all once the batch is known to be refused).
    let (seen, known, mut outcomes) = session.at_tip(|desk| {
        let refs: Vec<Option<&IntakeSource>> = items.iter().map(|i| i.source.as_ref()).collect();
        let seen = seen_before(desk, &refs)?;
        let known = known_claims(desk)?;
        let mut existing = known.clone();
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(items.len());
        let mut refused = false;
        for (i, item) in items.iter_mut().enumerate() {
            if seen[i] != Seen::New {
                outcomes.push(Outcome::Skipped);
                continue;
            }
            if let Err(p) = &mut item.draft {
                problems.add(std::mem::take(p));
                outcomes.push(Outcome::Invalid);
            } else {
                let held = matches!(item.draft, Ok(Some(_)));
                let draft = draft_of(i, item).ok_or_else(|| unreadable(item))?;
                match admit_one(desk, *draft, &mut existing, opts.require_complete, &mut rng) {
                    Ok(a) if held && !refused => outcomes.push(Outcome::Admitted(Box::new(a))),
                    Ok(_) => outcomes.push(Outcome::Valid),
                    Err(errs) => {
                        problems.add(
                            errs.into_iter()
                                .map(|e| Problem::from_field(&item.name, item.row, e)),
                        );
                        outcomes.push(Outcome::Invalid);
                    }
                }
            }
            if !refused && !problems.is_empty() && !opts.skip_invalid {
                // Nothing will be written: the claims admitted so far go.
                refused = true;
                for o in &mut outcomes {
                    if matches!(o, Outcome::Admitted(_)) {
                        *o = Outcome::Valid;
                    }
                }
            }
        }
        Ok((seen, known, outcomes))
    })?;
    // Read again in row order, the problems are listed in it.
    problems.listed.sort_by_key(|p| p.row);

    let refuse = !problems.is_empty() && !opts.skip_invalid;
    let mut created: Vec<Made> = Vec::new();
    if !refuse {
        let now = session.now()?;
        let valid: Vec<usize> = (0..outcomes.len())
            .filter(|&i| matches!(outcomes[i], Outcome::Valid | Outcome::Admitted(_)))
            .collect();
        // Many claims: one batch, published together (each still its own signed commit).
        let batched = !g.dry_run && valid.len() > 1;
        let items = &mut items;
        let progress = super::progress::Progress::start(g, "intake", valid.len());
        let keep = Keep {
            subject: !g.dry_run,
            warnings: format == Format::Json || !g.quiet,
        };
        let commit_each = || -> Result<Vec<Made>> {
            let mut made = Vec::with_capacity(valid.len());
            // The duplicates of a notice are looked for as the first pass did: among the
            // office's claims and the batch's earlier notices.
            let mut existing = known;
            for chunk in valid.chunks(ADMIT_CHUNK) {
                let admitted: Vec<(usize, Admitted)> = session.at_tip(|desk| {
                    let mut out = Vec::with_capacity(chunk.len());
                    for &i in chunk {
                        let a = match std::mem::replace(&mut outcomes[i], Outcome::Skipped) {
                            Outcome::Admitted(a) => *a,
                            _ => {
                                let item = &mut items[i];
                                let draft = draft_of(i, item).ok_or_else(|| unreadable(item))?;
                                admit_one(
                                    desk,
                                    *draft,
                                    &mut existing,
                                    opts.require_complete,
                                    &mut rng,
                                )
                                .map_err(|errs| {
                                    let mut e = Error::refused(format!(
                                        "{}{}: read again, it is no longer valid; nothing was written",
                                        item.name,
                                        item.row.map(|r| format!(": row {r}")).unwrap_or_default()
                                    ));
                                    for f in errs {
                                        e = e.hint(f.to_string());
                                    }
                                    e
                                })?
                            }
                        };
                        out.push((i, a));
                    }
                    Ok(out)
                })?;
                for (i, a) in admitted {
                    let at = a.claim.received_at.max(now);
                    let source = items[i]
                        .source
                        .clone()
                        .expect("a notice that was read knows where it came from");
                    let notice = FirstNotice {
                        origin: Origin::Source(source),
                        claim: a.claim,
                        files: a
                            .files
                            .into_iter()
                            .map(|f| File::supplied(f.path, f.bytes))
                            .collect(),
                    };
                    let d = session.run_at(&Command::Intake(Box::new(notice)), at, g.dry_run)?;
                    if g.dry_run && !(format == Format::Json || g.quiet) {
                        progress.suspend(|| super::update::report(g, &d));
                    }
                    // What the report needs; the change itself goes (a batch of thousands
                    // would otherwise hold every claim, its file and its diff to the end).
                    made.push(Made::of(i, &d, a.warnings, keep));
                    progress.step();
                }
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
        drop(progress);
        for m in &created {
            if let Some(oid) = m.commit {
                super::update::say_commit(g, oid, m.subject.as_deref().unwrap_or_default());
            }
        }
    }
    let already = already_imported_items(&items, &seen, &created);

    let mut out = Out::new();
    match format {
        Format::Json => {
            let report = Report {
                dry_run: g.dry_run,
                created: created.iter().map(|m| m.id().to_string()).collect(),
                already_imported: &already,
                warnings: created
                    .iter()
                    .flat_map(|m| {
                        m.warnings.iter().map(|w| Warning {
                            claim: m.id(),
                            source: &items[m.item].name,
                            message: w,
                        })
                    })
                    .collect(),
                errors: &problems.listed,
                errors_not_listed: problems.not_listed(),
            };
            out.line(&serde_json::to_string_pretty(&report).expect("report serializes"));
        }
        _ => {
            // Buffered: a batch can carry thousands of warnings (written as they are read,
            // never gathered into one text).
            {
                use std::io::Write;
                let mut err = std::io::BufWriter::with_capacity(1 << 16, std::io::stderr().lock());
                for p in &problems.listed {
                    let _ = writeln!(err, "error: {p}");
                }
                if problems.not_listed() > 0 {
                    let _ = writeln!(
                        err,
                        "error: ... and {} more problem(s), not listed",
                        problems.not_listed()
                    );
                }
                for a in &already {
                    if a.differs {
                        let _ = writeln!(err, "warning: {}", a.message);
                    } else if !g.quiet {
                        let _ = writeln!(err, "{}", a.message);
                    }
                }
                for m in &created {
                    for w in &m.warnings {
                        let _ = writeln!(err, "warning: {}: {w}", m.id());
                    }
                }
                let _ = err.flush();
            }
            if !created.is_empty() {
                // The rows are made now, when the batch's index of claims has gone.
                let rows: Vec<Vec<String>> = created.iter().map(Made::row).collect();
                out.write_str(&super::output::table(
                    &["id", "lob", "status", "policy", "missing", "warnings"],
                    &rows,
                ));
            }
        }
    }
    out.flush();
    let also = if already.is_empty() {
        String::new()
    } else {
        format!(", {} already imported", already.len())
    };
    if refuse {
        return Err(Error::refused(format!(
            "{} problem(s) found; nothing was written{also}",
            problems.count
        ))
        .hint("fix them and run again, or pass --skip-invalid to commit only the valid ones"));
    }
    if created.is_empty() && !problems.is_empty() {
        // --skip-invalid with nothing valid: not a success, whatever the flag says.
        return Err(Error::refused(format!(
            "every {}notice was invalid ({} skipped{also}); nothing was written",
            if already.is_empty() { "" } else { "new " },
            problems.notices
        )));
    }
    let verb = if g.dry_run { "would create" } else { "created" };
    g.say(format!("{verb} {} claim(s){also}", created.len()));
    if !problems.is_empty() {
        g.say(format!("skipped {} invalid notice(s)", problems.notices));
    }
    Ok(0)
}

/// The items not taken in again, each with what the tool says of it.
fn already_imported_items(
    items: &[Intake],
    seen: &[Seen],
    created: &[Made],
) -> Vec<AlreadyImported> {
    let made: std::collections::HashMap<usize, &str> =
        created.iter().map(|m| (m.item, m.id())).collect();
    let claim_of = |i: usize| made.get(&i).map(|id| id.to_string());
    let mut out = Vec::new();
    for (item, seen) in items.iter().zip(seen) {
        let Some(s) = &item.source else { continue };
        let (claim, same_as, same_content) = match seen {
            Seen::New => continue,
            Seen::Imported {
                claim,
                same_content,
            } => (Some(claim.clone()), None, *same_content),
            Seen::Repeats {
                earlier,
                same_content,
            } => {
                let first = items[*earlier].source.as_ref();
                let named = first.map(|f| match f.row {
                    Some(r) => format!("row {r}"),
                    None => f.file.clone().unwrap_or_else(|| f.place()),
                });
                (claim_of(*earlier), named, *same_content)
            }
        };
        let message = match (&claim, &same_as) {
            (Some(c), None) => already_imported(s, c, same_content),
            (Some(c), Some(first)) => {
                format!(
                    "{} (the same as {first})",
                    already_imported(s, c, same_content)
                )
            }
            (None, first) => format!(
                "{}: the same as {}, taken in once",
                s.item(),
                first.as_deref().unwrap_or("an earlier item")
            ),
        };
        out.push(AlreadyImported {
            source: s.file.clone(),
            row: s.row,
            message_id: s.message_id.clone(),
            claim,
            same_as,
            differs: !same_content,
            message,
        });
    }
    out
}

/// The phone script's prompter, keeping every answer for the call's fingerprint.
struct Recording<P: Prompter> {
    inner: P,
    answers: Vec<(String, String)>,
}

impl<P: Prompter> Prompter for Recording<P> {
    fn ask(&mut self, question: &str, help: Option<&str>) -> std::io::Result<Option<String>> {
        let answer = self.inner.ask(question, help)?;
        if let Some(a) = &answer {
            self.answers.push((question.to_string(), a.clone()));
        }
        Ok(answer)
    }

    fn say(&mut self, text: &str) -> std::io::Result<()> {
        self.inner.say(text)
    }

    fn interactive(&self) -> bool {
        self.inner.interactive()
    }
}
