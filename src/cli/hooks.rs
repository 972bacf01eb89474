//! `claims hooks install`: git hooks that run the office's gates locally — `claims check`
//! before each commit, `claims audit` of what is about to be pushed before each push.

use std::path::Path;

use clap::Subcommand;

use super::Globals;
use crate::error::{Error, Result};

/// Git hooks for the office repository.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Install pre-commit (`claims check --strict` on the staged claim, policy and authority
    /// files) and pre-push (`claims audit` of the commits being pushed). An existing hook that
    /// the tool did not write is kept unless --force.
    Install {
        #[arg(long)]
        force: bool,
    },
}

/// Marks hooks written by the tool, so they can be replaced safely.
const MARK: &str = "# installed by `claims hooks install`";

const PRE_COMMIT: &str = r#"#!/bin/sh
# installed by `claims hooks install`
# Validate the claim, policy and authority files of this commit before it is made.
files=$(git diff --cached --name-only --diff-filter=ACMR -- 'claims/*.yaml' 'policies/*.yaml' authority.yaml)
[ -z "$files" ] && exit 0
exec claims check --strict $files
"#;

const PRE_PUSH: &str = r#"#!/bin/sh
# installed by `claims hooks install`
# Audit every commit about to be pushed: signatures, signers, hand edits, authority.
zero=0000000000000000000000000000000000000000
while read local_ref local_sha remote_ref remote_sha; do
    [ "$local_sha" = "$zero" ] && continue
    if [ "$remote_sha" = "$zero" ]; then
        range="$local_sha"
    else
        range="$remote_sha..$local_sha"
    fi
    claims audit "$range" || exit 1
done
exit 0
"#;

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let Action::Install { force } = args.action;
    let repo = super::office_repository(g)?;
    let dir = repo.path().join("hooks");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    for (name, body) in [("pre-commit", PRE_COMMIT), ("pre-push", PRE_PUSH)] {
        let path = dir.join(name);
        refuse_foreign(&path, force)?;
        write_executable(&path, body)?;
        g.say(format!("installed {}", path.display()));
    }
    Ok(0)
}

fn refuse_foreign(path: &Path, force: bool) -> Result<()> {
    match std::fs::read_to_string(path) {
        Ok(existing) if !existing.contains(MARK) && !force => Err(Error::refused(format!(
            "{} exists and was not written by claims; nothing was changed",
            path.display()
        ))
        .hint("move it aside, or run with --force to replace it")),
        _ => Ok(()),
    }
}

fn write_executable(path: &Path, body: &str) -> Result<()> {
    std::fs::write(path, body).map_err(|e| Error::io(path.display(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(path.display(), e))?;
    }
    Ok(())
}
