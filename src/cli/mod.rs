//! The command-line layer: argument parsing, dispatch, and error reporting. Each command is
//! one file with an args struct (its doc comments are the help) and one `run` function.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::domain::claim::LineOfBusiness;
use crate::domain::claim_id::ClaimId;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;

pub mod accept;
pub mod agent_report;
pub mod approve;
pub mod assign;
pub mod audit;
pub mod authority;
pub mod check;
pub mod ci;
pub mod close;
pub mod color;
pub mod complete;
pub mod completions;
pub mod dashboard;
pub mod deny;
pub mod diary;
pub mod doctor;
pub mod explain;
pub mod export;
pub mod findings;
pub mod generate;
pub mod help;
pub mod hooks;
pub mod init;
pub mod intake;
pub mod investigate;
pub mod join;
pub mod keys;
pub mod letter;
pub mod list;
pub mod log;
pub mod merge;
pub mod merge_file;
pub mod migrate;
pub mod note;
pub mod outbox;
pub mod output;
pub mod pay;
pub mod progress;
pub mod queue;
pub mod repair;
pub mod report;
pub mod reserve;
pub mod review;
pub mod sample;
pub mod schema;
pub mod settle;
pub mod show;
pub mod sla_events;
pub mod sla_report;
pub mod spec;
pub mod status_update;
pub mod sync;
pub mod triage;
pub mod update;
pub mod workload;

use output::Format;

/// Insurance claims handling where every record is YAML in git and every change is one
/// signed commit.
#[derive(Parser, Debug)]
#[command(
    name = "claims",
    version,
    about,
    max_term_width = 100,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// The office repository (default: the nearest folder above holding authority.yaml).
    #[arg(long, global = true, env = "CLAIMS_REPO", value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// Act as this person of authority.yaml, with the key `git config claims.EMAIL.signingkey`.
    #[arg(long = "as", global = true, env = "CLAIMS_AS", value_name = "EMAIL")]
    pub as_email: Option<String>,
    /// Output format for commands that print records.
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Print nothing but errors: no progress bars, no warnings, no result messages.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Color findings, statuses and breaches: auto (on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE colors a pipe too), always, or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = color::When::Auto)]
    pub color: color::When,
    /// Show the change and the commit message it would make; write nothing.
    #[arg(long, global = true)]
    pub dry_run: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Init(init::Args),
    Check(check::Args),
    Show(show::Args),
    List(list::Args),
    Update(update::Args),
    Note(note::Args),
    Intake(intake::Args),
    Queue(queue::Args),
    Complete(complete::Args),
    Explain(explain::Args),
    SlaReport(sla_report::Args),
    Inquiry(sla_events::InquiryArgs),
    Answer(sla_events::AnswerArgs),
    ProofOfLoss(sla_events::ProofOfLossArgs),
    Acknowledge(sla_events::AcknowledgeArgs),
    StatusUpdate(status_update::Args),
    AgentReport(agent_report::Args),
    Report(report::Args),
    Diary(diary::Args),
    Accept(accept::Args),
    Deny(deny::Args),
    Triage(triage::Args),
    Merge(merge::MergeArgs),
    Unmerge(merge::UnmergeArgs),
    KeepSeparate(merge::KeepSeparateArgs),
    #[command(hide = true)]
    MergeFile(merge_file::Args),
    Assign(assign::Args),
    Workload(workload::Args),
    Task(investigate::TaskArgs),
    Document(investigate::DocumentArgs),
    Overdue(investigate::OverdueArgs),
    Audit(audit::Args),
    Sample(sample::Args),
    Review(review::Args),
    Log(log::Args),
    Export(export::Args),
    Hooks(hooks::Args),
    Spec(spec::Args),
    Schema(schema::Args),
    #[command(hide = true)]
    GenerateOffice(generate::Args),
    Authority(authority::Args),
    Keys(keys::Args),
    Migrate(migrate::Args),
    Reserve(reserve::Args),
    Approve(approve::Args),
    Pay(pay::Args),
    Payments(pay::PaymentsArgs),
    Settle(settle::Args),
    Negotiate(settle::NegotiateArgs),
    Release(close::ReleaseArgs),
    Close(close::CloseArgs),
    Reopen(close::ReopenArgs),
    Closed(close::ClosedArgs),
    Subrogation(close::SubrogationArgs),
    Repair(repair::Args),
    Sync(sync::Args),
    Join(join::Args),
    Clone(join::CloneArgs),
    Letter(letter::Args),
    Outbox(outbox::Args),
    Doctor(doctor::Args),
    Completions(completions::Args),
    Man(completions::ManArgs),
    Help(help::Args),
}

/// `--quiet`, for what speaks without the command's [`Globals`] (warnings).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `warning: ...` on stderr (yellow on a terminal), unless --quiet.
pub(crate) fn warn(text: &str) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        let label = color::paint(color::on_stderr(), color::WARNING, "warning");
        progress::say_line(&format!("{label}: {text}"));
    }
}

/// `error: ...` on stderr (red on a terminal) and its hints.
fn say_error(e: &Error) {
    let label = color::paint(color::on_stderr(), color::ERROR, "error");
    progress::say_line(&format!("{label}: {}", e.message));
    for h in &e.hints {
        progress::say_line(&format!("  hint: {h}"));
    }
}

/// Options every command sees, resolved once.
pub struct Globals {
    pub repo: Option<PathBuf>,
    pub as_email: Option<String>,
    pub format: Option<Format>,
    pub quiet: bool,
    pub dry_run: bool,
}

impl Globals {
    /// The chosen format, or `default` when none was given.
    pub fn format_or(&self, default: Format) -> Format {
        self.format.unwrap_or(default)
    }

    /// Refuses a format this command cannot print.
    pub fn format_among(&self, default: Format, allowed: &[Format]) -> Result<Format> {
        let f = self.format_or(default);
        if allowed.contains(&f) {
            Ok(f)
        } else {
            Err(Error::usage(format!(
                "--format {} is not available here (choose from: {})",
                format_name(f),
                allowed
                    .iter()
                    .map(|f| format_name(*f))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }

    /// Prints a progress or result message on stderr unless --quiet.
    pub fn say(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            progress::say_line(msg.as_ref());
        }
    }
}

/// `1 error`, `2 errors`.
pub(crate) fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Yaml => "yaml",
        Format::Text => "text",
        Format::Github => "github",
    }
}

/// A line of business named on the command line (`personal_auto`, `personal-auto`, ...).
pub fn parse_lob(s: &str) -> Result<LineOfBusiness> {
    LineOfBusiness::parse(s).ok_or_else(|| {
        Error::usage(format!(
            "unknown line of business `{s}` (one of: {})",
            LineOfBusiness::ALL.map(|l| l.as_str()).join(", ")
        ))
    })
}

/// Claim ids from arguments; `-` reads them one per line from stdin.
pub fn claim_ids(args: &[String]) -> Result<Vec<ClaimId>> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            if std::io::stdin().is_terminal() {
                return Err(Error::usage(
                    "`-` reads claim ids from stdin, but stdin is a terminal",
                ));
            }
            let text = crate::store::input::stdin_text(
                "the claim ids on stdin",
                crate::bounds::MAX_CSV_BYTES,
            )?;
            for line in text.lines() {
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    out.push(parse_claim_id(line)?);
                }
            }
        } else {
            out.push(parse_claim_id(a)?);
        }
    }
    Ok(out)
}

/// Every claim of the office that parses. A file that does not (beyond the bounds, not text,
/// malformed) is named on stderr and skipped; `claims check` reports it.
pub(crate) fn readable_claims(root: &std::path::Path) -> Vec<crate::domain::claim::Claim> {
    let (claims, skipped) = crate::store::files::load_claims_skipping(root);
    warn_skipped(&skipped);
    claims
}

/// Calls `f` with every claim that parses, a few thousand in memory at a time, then warns of
/// the files that do not, as [`readable_claims`] does.
pub(crate) fn each_readable_claim_summary(
    root: &std::path::Path,
    f: impl FnMut(&crate::domain::claim_summary::ClaimSummary),
) {
    warn_skipped(&crate::store::files::each_claim_summary(root, f));
}

fn warn_skipped(skipped: &[(String, crate::store::files::LoadFailure)]) {
    for (path, f) in skipped {
        warn(&format!(
            "{path}:{}:{}: error[{}]: {}; skipped (run `claims check {path}`)",
            f.line, f.column, f.issue.code, f.issue.message
        ));
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    crate::store::bound_mapped_packs();
    let command = help::with_grouped_help(<Cli as clap::CommandFactory>::command())
        .color(color::asked_on_command_line());
    let matches = match command.clone().try_get_matches() {
        Ok(m) => m,
        // An argument that is not text is bad input, like a file that is not (exit 1).
        Err(e) if e.kind() == clap::error::ErrorKind::InvalidUtf8 => {
            return finish(Err(argument_not_utf8()));
        }
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    // Every value given on the command line is held to the rule of one field, as stdin and
    // CSV cells are: text, no NUL or control character but tab and line endings, 64 KiB.
    if let Err(e) = arguments_within_bounds(&command, &matches) {
        return finish(Err(e));
    }
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    color::init(cli.color);
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    let g = Globals {
        repo: cli.repo,
        as_email: cli.as_email,
        format: cli.format,
        quiet: cli.quiet,
        dry_run: cli.dry_run,
    };
    // Help, completions and manual pages read nothing of the office (and so finish nothing
    // an interrupted command left).
    let command = match cli.command {
        Command::Help(a) => return finish(help::run(a)),
        Command::Completions(a) => return finish(completions::run(a)),
        Command::Man(a) => return finish(completions::run_man(&g, a)),
        command => command,
    };
    // Whatever an interrupted command left is finished before anything reads the office.
    let recovered = match crate::store::files::find_office_root(g.repo.as_deref()) {
        Ok(root) => crate::store::landing::recover_at(&root).map_err(Error::from),
        Err(_) => Ok(()),
    };
    for n in crate::store::notices::take() {
        warn(&n);
    }
    let result = recovered.and_then(|()| match command {
        Command::Init(a) => init::run(&g, a),
        Command::Check(a) => check::run(&g, a),
        Command::Show(a) => show::run(&g, a),
        Command::List(a) => list::run(&g, a),
        Command::Update(a) => update::run(&g, a),
        Command::Note(a) => note::run(&g, a),
        Command::Intake(a) => intake::run(&g, a),
        Command::Queue(a) => queue::run(&g, a),
        Command::Complete(a) => complete::run(&g, a),
        Command::Explain(a) => explain::run(&g, a),
        Command::SlaReport(a) => sla_report::run(&g, a),
        Command::Inquiry(a) => sla_events::run_inquiry(&g, a),
        Command::Answer(a) => sla_events::run_answer(&g, a),
        Command::ProofOfLoss(a) => sla_events::run_proof_of_loss(&g, a),
        Command::Acknowledge(a) => sla_events::run_acknowledge(&g, a),
        Command::StatusUpdate(a) => status_update::run(&g, a),
        Command::AgentReport(a) => agent_report::run(&g, a),
        Command::Report(a) => report::run(&g, a),
        Command::Diary(a) => diary::run(&g, a),
        Command::Accept(a) => accept::run(&g, a),
        Command::Deny(a) => deny::run(&g, a),
        Command::Triage(a) => triage::run(&g, a),
        Command::Merge(a) => merge::run_merge(&g, a),
        Command::Unmerge(a) => merge::run_unmerge(&g, a),
        Command::KeepSeparate(a) => merge::run_keep_separate(&g, a),
        Command::MergeFile(a) => merge_file::run(&g, a),
        Command::Assign(a) => assign::run(&g, a),
        Command::Workload(a) => workload::run(&g, a),
        Command::Task(a) => investigate::run_task(&g, a),
        Command::Document(a) => investigate::run_document(&g, a),
        Command::Overdue(a) => investigate::run_overdue(&g, a),
        Command::Audit(a) => audit::run(&g, a),
        Command::Sample(a) => sample::run(&g, a),
        Command::Review(a) => review::run(&g, a),
        Command::Log(a) => log::run(&g, a),
        Command::Export(a) => export::run(&g, a),
        Command::Hooks(a) => hooks::run(&g, a),
        Command::Spec(a) => spec::run(&g, a),
        Command::Schema(a) => schema::run(&g, a),
        Command::GenerateOffice(a) => generate::run(&g, a),
        Command::Authority(a) => authority::run(&g, a),
        Command::Keys(a) => keys::run(&g, a),
        Command::Migrate(a) => migrate::run(&g, a),
        Command::Reserve(a) => reserve::run(&g, a),
        Command::Approve(a) => approve::run(&g, a),
        Command::Pay(a) => pay::run(&g, a),
        Command::Payments(a) => pay::run_payments(&g, a),
        Command::Settle(a) => settle::run(&g, a),
        Command::Negotiate(a) => settle::run_negotiate(&g, a),
        Command::Release(a) => close::run_release(&g, a),
        Command::Close(a) => close::run_close(&g, a),
        Command::Reopen(a) => close::run_reopen(&g, a),
        Command::Closed(a) => close::run_closed(&g, a),
        Command::Subrogation(a) => close::run_subrogation(&g, a),
        Command::Repair(a) => repair::run(&g, a),
        Command::Sync(a) => sync::run(&g, a),
        Command::Join(a) => join::run(&g, a),
        Command::Clone(a) => join::run_clone(&g, a),
        Command::Letter(a) => letter::run(&g, a),
        Command::Outbox(a) => outbox::run(&g, a),
        Command::Doctor(a) => doctor::run(&g, a),
        Command::Help(_) | Command::Completions(_) | Command::Man(_) => {
            unreachable!("answered before the office is read")
        }
    });
    for n in crate::store::notices::take() {
        warn(&n);
    }
    finish(result)
}

/// The refusal of a command line with an argument that is not UTF-8, naming the argument.
fn argument_not_utf8() -> Error {
    let (n, arg) = std::env::args_os()
        .enumerate()
        .skip(1)
        .find(|(_, a)| a.to_str().is_none())
        .unwrap_or_default();
    let bytes = arg.as_encoded_bytes();
    let at = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
    Error::refused(format!(
        "argument {n} (`{}`) is not UTF-8 text: byte 0x{:02x} at byte {} of it; nothing was written",
        arg.to_string_lossy(),
        bytes.get(at).copied().unwrap_or_default(),
        at + 1
    ))
    .hint("a value given on the command line is text in UTF-8; check the terminal's or the script's encoding")
}

/// The exit code of a command's result, its error (and how to fix it) said on stderr.
fn finish(result: Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            say_error(&e);
            e.exit_code()
        }
    }
}

/// Refuses a command-line value that is not one field's worth of text
/// ([`crate::bounds::field`]), naming the option (or the argument) and the byte.
fn arguments_within_bounds(command: &clap::Command, matches: &clap::ArgMatches) -> Result<()> {
    for id in matches.ids() {
        let id = id.as_str();
        // A group's id (a flattened struct of options): its arguments are checked themselves.
        if !command.get_arguments().any(|a| a.get_id().as_str() == id) {
            continue;
        }
        if matches!(
            matches.value_source(id),
            None | Some(clap::parser::ValueSource::DefaultValue)
        ) {
            continue;
        }
        let Ok(Some(values)) = matches.try_get_raw(id) else {
            continue;
        };
        let arg = command.get_arguments().find(|a| a.get_id().as_str() == id);
        let name = match arg {
            Some(a) => match a.get_long() {
                Some(l) => format!("--{l}"),
                None => match a.get_value_names().and_then(|v| v.first()) {
                    Some(v) => format!("the argument {v}"),
                    None => format!("the argument {}", id.to_uppercase()),
                },
            },
            None => continue, // a group: its arguments are checked themselves
        };
        for v in values {
            let Some(text) = v.to_str() else {
                continue; // clap's own value parsers say what is not UTF-8
            };
            if let Err(b) = crate::bounds::field(text) {
                let why = match &b {
                    crate::bounds::Bad::Control { at, code: 0 } => {
                        format!("a NUL byte at byte {} of the value", at.offset + 1)
                    }
                    crate::bounds::Bad::Control { at, code } => format!(
                        "a control character (U+{code:04X}) at byte {} of the value",
                        at.offset + 1
                    ),
                    other => other.to_string(),
                };
                return Err(Error::refused(format!(
                    "{name}: {why}; nothing was written"
                ))
                .hint("a value given on the command line is one field: text without control characters (tab and line endings allowed), at most 64 KiB"));
            }
        }
    }
    if let Some((name, sub)) = matches.subcommand() {
        if let Some(c) = command.find_subcommand(name) {
            arguments_within_bounds(c, sub)?;
        }
    }
    Ok(())
}

/// A session acting as `--as` (or git's user), refused unless their role grants `what`.
pub(crate) fn open_session(
    g: &Globals,
    what: crate::domain::office::Permission,
    doing: &str,
) -> crate::error::Result<crate::store::session::Session> {
    let session = session(g)?;
    session.require(what, doing)?;
    Ok(session)
}

/// Opens a session as `--as` (or git's user) and works one command at the branch tip: one
/// signed commit (or, with --dry-run, the change it would make), then prints it.
pub(crate) fn run_one(g: &Globals, command: crate::workflow::Command) -> crate::error::Result<i32> {
    let session = session(g)?;
    let done = session.run(&command, g.dry_run)?;
    update::report(g, &done);
    update::warn(g, &done);
    Ok(0)
}

/// A session acting as `--as` (or git's user).
pub(crate) fn session(g: &Globals) -> crate::error::Result<crate::store::session::Session> {
    crate::store::session::Session::open(g.repo.as_deref(), g.as_email.as_deref())
}

/// Runs `one` for each claim — as one batch of commits when there are several — and, when
/// there are several, reports a claim that is refused and goes on with the others. Returns the
/// results and how many claims were refused (left as they were).
pub(crate) fn each_claim<R>(
    g: &Globals,
    session: &crate::store::session::Session,
    targets: &[ClaimId],
    mut one: impl FnMut(&ClaimId) -> crate::error::Result<R>,
) -> crate::error::Result<(Vec<R>, usize)> {
    let mut refused = 0;
    let progress = progress::Progress::start(g, "claims", targets.len());
    let mut all = || -> crate::error::Result<Vec<R>> {
        let mut out = Vec::new();
        for id in targets {
            let result = one(id);
            progress.step();
            match result {
                Ok(r) => out.push(r),
                Err(e) if e.kind == crate::error::ErrorKind::Refused && targets.len() > 1 => {
                    progress::say_line(&format!("error: {id}: {}", e.message));
                    refused += 1;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    };
    let rows = if !g.dry_run && targets.len() > 1 {
        session.batch(all)?.0
    } else {
        all()?
    };
    Ok((rows, refused))
}

/// ", N refused (left as they were)" after a batch's count, or nothing when none was.
pub(crate) fn refused_clause(refused: usize) -> String {
    if refused > 0 {
        format!(", {refused} refused (left as they were)")
    } else {
        String::new()
    }
}

/// The office's git repository (read-only commands that walk history): the clone around the
/// current folder (or `--repo`), or a bare one the office pushes to (see [`crate::store::bare`]).
pub(crate) fn office_repository(g: &Globals) -> crate::error::Result<git2::Repository> {
    match crate::store::files::find_office_root(g.repo.as_deref()) {
        Ok(root) => crate::store::files::open_repository(&root),
        Err(e) => crate::store::bare::find_office(g.repo.as_deref()).ok_or(e),
    }
}
