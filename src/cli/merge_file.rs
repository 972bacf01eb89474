//! `claims merge-file %O %A %B %P`: the git merge driver for claim files (registered by
//! `claims init`, `claims hooks install` and `.gitattributes`), so that a plain `git pull`
//! merges two desks' edits of one claim the way `claims audit` accepts.

use std::path::PathBuf;

use super::Globals;
use crate::error::{Error, Result};
use crate::store::files::read_text;
use crate::workflow::claim_merge::merge_claim;

/// Merge two edits of one claim file (git runs this; see .gitattributes). Writes the merge
/// into OURS and exits 0, or leaves OURS as it is (still a valid claim), names the fields on
/// stderr and exits 1.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The common ancestor's version (git's %O).
    pub base: PathBuf,
    /// Our version (git's %A); the merge is written here.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P).
    pub path: String,
}

pub fn run(_g: &Globals, a: Args) -> Result<i32> {
    let (base, ours, theirs) = (
        read_text(&a.base)?,
        read_text(&a.ours)?,
        read_text(&a.theirs)?,
    );
    match merge_claim(&a.path, &base, &ours, &theirs) {
        Ok(merged) => {
            std::fs::write(&a.ours, merged).map_err(|e| Error::io(a.ours.display(), e))?;
            Ok(0)
        }
        Err(conflicts) => {
            eprintln!("claims: cannot merge {}:", a.path);
            for c in &conflicts {
                eprintln!("  {c}");
            }
            eprintln!(
                "  `git merge --abort`, then `claims sync` replays your commands on theirs; a claim file resolved by hand is reported by `claims audit` (A021)"
            );
            Ok(1)
        }
    }
}
