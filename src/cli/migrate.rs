//! `claims migrate --to shard|month`: refile every claim the other way, in one signed commit
//! that also changes authority.yaml's `office.claim_folders`.

use super::Globals;
use crate::domain::claim_id::ClaimFolders;
use crate::error::Result;
use crate::workflow::migrate::Migrate;
use crate::workflow::Command;

/// Move every claim to the office's other folders (one signed commit, a manager's).
///
/// `shard` files a claim at claims/YYYY/MM/XX/ID.yaml, XX the first two characters after the
/// date (CLM-2611-7K3F-QM2X → claims/2026/11/7K/): a month of 50,000 claims then costs each
/// commit a folder of about fifty, not of 50,000. `month` (claims/YYYY/MM/ID.yaml) moves them
/// back. The claims' letters and attachments move with them; nothing in them changes, and
/// `claims log ID` follows a claim across the move.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// How to file claims from now on.
    #[arg(long, value_enum, default_value_t = To::Shard)]
    pub to: To,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum To {
    /// claims/YYYY/MM/XX/ID.yaml
    Shard,
    /// claims/YYYY/MM/ID.yaml
    Month,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let to = match args.to {
        To::Shard => ClaimFolders::Shard,
        To::Month => ClaimFolders::Month,
    };
    let session = super::session(g)?;
    let done = session.run(&Command::Migrate(Migrate { to }), g.dry_run)?;
    let fact = |name: &str| {
        done.change
            .facts
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match done.commit {
        Some(oid) => super::update::say_commit(g, oid, &done.message),
        None => {
            let mut out = super::output::Out::new();
            out.line("dry run: nothing was written");
            out.write_str(&done.message);
            out.line(&format!(
                "would move {} claims ({} files) and set office.claim_folders: {to} in authority.yaml",
                fact("claims_moved"),
                fact("files_moved")
            ));
        }
    }
    Ok(0)
}
