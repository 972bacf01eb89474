//! `claims merge`, `claims unmerge`, `claims keep-separate`: a person's decision on duplicate
//! reports (`claims queue duplicates` lists the possible ones triage found).

use super::Globals;
use crate::error::Result;
use crate::workflow::duplicates::{KeepSeparate, Merge, Unmerge};
use crate::workflow::{parse_claim_id, Command};

/// Fold a notice into the earlier claim it reports again (one signed commit): the claim keeps
/// the most serious facts of both and is re-scored; the notice closes as merged.
#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The later notice.
    pub id: String,
    /// The earlier claim it is a duplicate of.
    #[arg(long, value_name = "ID")]
    pub into: String,
    /// Why (what makes them one loss).
    #[arg(long)]
    pub note: Option<String>,
}

/// Undo a merge: the facts the notice brought leave the claim, the notice is its own claim
/// again (triaged again when it was merged at triage).
#[derive(clap::Args, Debug)]
pub struct UnmergeArgs {
    /// The merged notice.
    pub id: String,
    /// What makes them two losses.
    #[arg(long)]
    pub note: String,
}

/// Decide that a possible duplicate is a loss of its own: it leaves the duplicates queue.
#[derive(clap::Args, Debug)]
pub struct KeepSeparateArgs {
    /// The later notice.
    pub id: String,
    /// The earlier claim it was thought to duplicate.
    #[arg(long, value_name = "ID")]
    pub from: String,
    /// What tells the two losses apart.
    #[arg(long)]
    pub note: String,
}

pub fn run_merge(g: &Globals, a: MergeArgs) -> Result<i32> {
    let command = Command::Merge(Merge {
        id: parse_claim_id(&a.id)?,
        into: parse_claim_id(&a.into)?,
        note: a.note,
    });
    super::run_one(g, command)
}

pub fn run_unmerge(g: &Globals, a: UnmergeArgs) -> Result<i32> {
    let command = Command::Unmerge(Unmerge {
        id: parse_claim_id(&a.id)?,
        note: a.note,
    });
    super::run_one(g, command)
}

pub fn run_keep_separate(g: &Globals, a: KeepSeparateArgs) -> Result<i32> {
    let command = Command::KeepSeparate(KeepSeparate {
        id: parse_claim_id(&a.id)?,
        from: parse_claim_id(&a.from)?,
        note: a.note,
    });
    super::run_one(g, command)
}
