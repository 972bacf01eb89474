//! `claims repair`: bring the working tree, index and outbox back in line with the branch
//! after an interruption (every command does the journal part of this by itself).

use super::Globals;
use crate::error::Result;

/// Finish what an interrupted command left: bring the office's files in the working tree and
/// the index up to date with the branch (a change whose commit landed but whose files were not
/// all written: after kill -9, a power loss, a full disk), deliver its notices to the outbox,
/// and drop what never landed. Files someone edited by hand are left alone and listed. Every
/// command does the journaled part of this by itself before it starts; `repair` also finds
/// files an interruption without a journal left behind, from the branch's reflog.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(g: &Globals, _args: Args) -> Result<i32> {
    let repo = super::office_repository(g)?;
    let done = crate::store::landing::repair(&repo)?;
    for p in &done.updated {
        g.say(format!("updated {p}"));
    }
    for p in &done.edited {
        g.say(format!(
            "left {p} as it is: it has edits nobody committed (`git diff HEAD -- {p}`)"
        ));
    }
    if !done.unfinished.is_empty() {
        g.say(format!(
            "could not finish {} (see the warnings above); {} left in .git/claims-journal",
            super::counted(done.unfinished.len(), "interrupted change"),
            if done.unfinished.len() == 1 {
                "its journal is"
            } else {
                "their journals are"
            }
        ));
        return Ok(3);
    }
    if !done.updated.is_empty() {
        g.say(format!(
            "brought {} up to date with the branch",
            super::counted(done.updated.len(), "file")
        ));
    } else if done.edited.is_empty() {
        g.say("the working tree and index are in line with the branch");
    }
    Ok(0)
}
