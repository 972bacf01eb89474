//! `claims note ID TEXT`: add a free-text note to a claim.

use super::Globals;
use crate::error::{Error, Result};
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
        std::io::read_to_string(std::io::stdin()).map_err(|e| Error::io("stdin", e))?
    } else {
        args.text
    };
    let id = parse_claim_id(&args.id)?;
    super::run_one(g, Command::Note(AddNote { id, text }))
}
