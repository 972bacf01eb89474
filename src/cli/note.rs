//! `claims note ID TEXT`: add a free-text note to a claim.

use super::Globals;
use crate::domain::claim::Note;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;
use crate::store::session::ClaimChange;

/// Add a note to a claim (one signed commit).
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// The note; `-` reads it from stdin.
    pub text: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let text = if args.text == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| Error::io("stdin", e))?
    } else {
        args.text
    };
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(Error::refused("the note is empty"));
    }
    let id = parse_claim_id(&args.id)?;
    let session = super::open_session(g, Permission::Note, "add notes")?;
    let by = session.actor.email.clone();
    let done = session.change_claim(&id, "note", g.dry_run, |claim, now| {
        claim.notes.push(Note {
            at: now,
            by: by.clone(),
            text: text.clone(),
        });
        let first: String = text.lines().next().unwrap_or("").chars().take(60).collect();
        Ok(ClaimChange::new(format!("note {}: {first}", claim.id)))
    })?;
    super::update::report(g, &done);
    Ok(0)
}
