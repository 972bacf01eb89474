//! `claims outbox send`: hands each queued `.eml` to the office's mail server (authority.yaml
//! `smtp`), records its Message-ID as the delivery of the letter it carries — one signed
//! `letter deliver` commit per message, made as soon as the server has accepted it — and
//! moves it into `outbox/sent/`.
//!
//! A message the server refuses, or cannot be reached for, stays queued with the reason in
//! `NAME.eml.failed`; the others still go, and the command exits non-zero naming it. While a
//! message is being handed over, `NAME.eml.sending` stands beside it: if the tool is killed
//! after the server accepted it and before its delivery was recorded, the next run finds the
//! mark, sends nothing, and says so — the message is never sent twice without a person
//! deciding (a run that finds the delivery recorded just files the message as sent).

use std::path::PathBuf;

use clap::Subcommand;

use super::Globals;
use crate::domain::claim_id::ClaimId;
use crate::domain::delivery;
use crate::domain::office::Permission;
use crate::error::{Error, ErrorKind, Result};
use crate::letters::Outgoing;
use crate::smtp::Mailer;
use crate::store::outbox;
use crate::store::session::Session;
use crate::workflow::{delivery::Deliver, Command};

/// The outbox: notices waiting for the mail server.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub step: Step,
}

#[derive(Subcommand, Debug)]
pub enum Step {
    /// Send every queued .eml through the mail server in authority.yaml (`smtp`), record each
    /// Message-ID on its claim's letter (one signed commit per message) and move it into
    /// outbox/sent/. With --dry-run: list what would be sent.
    Send(SendArgs),
}

#[derive(clap::Args, Debug)]
pub struct SendArgs {
    /// The outbox folder (default: outbox/ at the office root).
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    match args.step {
        Step::Send(a) => send(g, a),
    }
}

/// Why a message did not go, and whose failure it is.
enum Failure {
    /// The message or its record (exit 1).
    Message(String),
    /// The mail server or the connection (exit 3).
    Server(String),
}

fn send(g: &Globals, args: SendArgs) -> Result<i32> {
    let session = super::session(g)?;
    session.require(Permission::Note, "record letter deliveries")?;
    let dir = args.outbox.unwrap_or_else(|| session.root.join("outbox"));
    let queue = outbox::queued(&dir)?;
    if queue.is_empty() {
        g.say(format!("nothing to send: {} holds no .eml", dir.display()));
        return Ok(0);
    }
    let settings = session.at_tip(|desk| Ok(desk.office.smtp.clone()))?;
    let mailer = match (&settings, g.dry_run) {
        (Some(s), false) => Some(Mailer::new(s, |name| std::env::var(name).ok())?),
        // A dry run reaches no server and reads no credentials.
        (Some(s), true) if !s.problems().is_empty() => {
            return Err(Error::refused(format!(
                "authority.yaml: {}",
                s.problems().join("; ")
            )))
        }
        (_, true) => None,
        (None, false) => {
            return Err(Error::refused(
                "authority.yaml has no `smtp` settings: the tool does not know the mail server",
            )
            .hint(
                "add to authority.yaml (through `claims authority propose`):\n  smtp:\n    server: smtp.example.com\n    port: 587\n    tls: starttls        # none | starttls | tls\n    username_env: SMTP_USER\n    password_env: SMTP_PASSWORD",
            ))
        }
    };
    let (mut sent, mut message_failures, mut server_failures) = (0, 0, 0);
    for path in &queue {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        match one(g, &session, mailer.as_ref(), path, &name) {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(Failure::Message(why)) => {
                eprintln!("error: {name}: {why}");
                message_failures += 1;
            }
            Err(Failure::Server(why)) => {
                eprintln!("error: {name}: {why}");
                server_failures += 1;
            }
        }
    }
    let failed = message_failures + server_failures;
    let verb = if g.dry_run { "would send" } else { "sent" };
    g.say(format!(
        "{verb} {sent} of {} queued message{}{}",
        queue.len(),
        if queue.len() == 1 { "" } else { "s" },
        if failed > 0 {
            format!(
                "; {} not sent, still in {} (the reason beside each, in NAME.eml.failed)",
                failed,
                dir.display()
            )
        } else {
            String::new()
        }
    ));
    Ok(if server_failures > 0 {
        3
    } else if message_failures > 0 {
        1
    } else {
        0
    })
}

/// Sends one message and records it; `Ok(false)` when there was nothing to send (its delivery
/// was recorded already).
fn one(
    g: &Globals,
    session: &Session,
    mailer: Option<&Mailer>,
    path: &std::path::Path,
    name: &str,
) -> std::result::Result<bool, Failure> {
    let env = |e: Error| Failure::Server(e.one_line());
    let note_failed = |why: String, server: bool| -> Failure {
        let _ = outbox::write_note(path, "failed", &format!("{why}\n"));
        if server {
            Failure::Server(why)
        } else {
            Failure::Message(why)
        }
    };
    let bytes = std::fs::read(path).map_err(|e| Failure::Server(format!("cannot read it: {e}")))?;
    let msg = Outgoing::read(name, &bytes).map_err(|why| note_failed(why, false))?;
    let id: ClaimId = msg
        .claim_id
        .parse()
        .map_err(|e| note_failed(format!("X-Claim-Id `{}`: {e}", msg.claim_id), false))?;
    let claim = session
        .at_tip(|desk| desk.claim(&id))
        .map_err(|e| note_failed(e.message, false))?;
    if delivery::recorded_message(&claim, &msg.letter, &msg.message_id).is_some() {
        if g.dry_run {
            println!("{name}: already recorded as delivered; would file it in sent/");
        } else {
            let to = outbox::move_to_sent(path).map_err(env)?;
            println!(
                "{name}: its delivery {} is recorded on {id} already; filed in {}",
                msg.message_id,
                to.display()
            );
        }
        return Ok(false);
    }
    if let Some(since) = outbox::read_note(path, "sending") {
        return Err(Failure::Message(format!(
            "an earlier send was interrupted ({}): the server may have accepted it, and no \
             delivery is recorded on {id}. Nothing was sent again. Check the mail server's log \
             for {}; if it went out, record it (`claims letter deliver {id} {} --message-id '{}'`) \
             and run this again; if it did not, remove {} and run this again",
            since.trim(),
            msg.message_id,
            msg.letter,
            msg.message_id,
            outbox::note_path(path, "sending").display()
        )));
    }
    let command = Command::LetterDeliver(Deliver {
        id: id.clone(),
        letter: msg.letter.clone(),
        to: None,
        tracking: None,
        message_id: Some(msg.message_id.clone()),
        method: None,
        reference: None,
        on: None,
    });
    // Nothing goes out that could not be recorded.
    session.run(&command, true).map_err(|e| match e.kind {
        ErrorKind::Environment => Failure::Server(e.one_line()),
        _ => note_failed(
            format!("its delivery could not be recorded: {}", e.message),
            false,
        ),
    })?;
    let recipients = msg.recipients.join(", ");
    let Some(mailer) = mailer.filter(|_| !g.dry_run) else {
        println!(
            "{name}: would send to {recipients} ({}), recording {} on {id} {}",
            msg.subject, msg.message_id, msg.letter
        );
        return Ok(true);
    };
    let started = session.now().map_err(env)?;
    outbox::write_note(
        path,
        "sending",
        &format!("started {started} via {}\n", mailer.describe),
    )
    .map_err(env)?;
    if let Err(why) = mailer.send(&msg, &bytes) {
        let _ = outbox::remove_note(path, "sending");
        return Err(note_failed(why, true));
    }
    match session.run(&command, false) {
        Ok(done) => {
            let to = outbox::move_to_sent(path).map_err(env)?;
            let commit = done
                .commit
                .map(|c| c.to_string()[..12].to_string())
                .unwrap_or_default();
            println!(
                "{name}: sent to {recipients}; {} recorded on {id} {} ({commit}); filed in {}",
                msg.message_id,
                msg.letter,
                to.display()
            );
            Ok(true)
        }
        Err(e) => Err(Failure::Message(format!(
            "the server accepted it, but its delivery could not be recorded: {}. It stays \
             queued, marked as sending, so it is not sent again: record it with `claims letter \
             deliver {id} {} --message-id '{}'`, then run this again",
            e.message, msg.letter, msg.message_id
        ))),
    }
}
