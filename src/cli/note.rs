//! `claims note ID TEXT`: add a free-text note to a claim.

use super::Globals;
use crate::error::Result;
use crate::workflow::records::AddNote;
use crate::workflow::{parse_claim_id, Command};

/// Add a note to a claim (one signed commit).
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// The note; `-` reads it from stdin.
    pub text: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let text = if args.text == "-" {
        crate::store::input::stdin_text("the note on stdin", crate::bounds::MAX_FIELD_BYTES as u64)?
    } else {
        args.text
    };
    let id = parse_claim_id(&args.id)?;
    super::run_one(g, Command::Note(AddNote { id, text }))
}
