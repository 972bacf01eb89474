//! `claims hooks install`: git hooks that run the office's gates — in a clone, `claims check`
//! before each commit and `claims audit` of what is about to be pushed before each push; with
//! `--server`, in the repository the office pushes to, the gate every push must pass
//! ([`receive`]).

mod receive;

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
    /// files) and pre-push (no branch deleted or rewritten; `claims audit` of the commits
    /// being pushed), push checkpoint tags with the branch (push.followTags), and register the
    /// claim merge driver for plain `git pull` (merge.claims.driver). An existing hook that the
    /// tool did not write is kept unless --force.
    ///
    /// With --server, in the repository the office pushes to (a bare one): a pre-receive hook
    /// that refuses a push deleting or rewriting a branch, moving or deleting a checkpoint tag,
    /// or bringing a commit `claims audit` reports an error for; the pusher sees why. The hook
    /// runs this very claims binary, by its absolute path.
    Install {
        #[arg(long)]
        force: bool,
        #[arg(long)]
        server: bool,
    },
    /// The gate itself, run by git's pre-receive hook: `OLD NEW REF` lines on stdin.
    #[command(hide = true)]
    PreReceive,
}

/// Marks hooks written by the tool, so they can be replaced safely.
pub(crate) const MARK: &str = "# installed by `claims hooks install`";

const PRE_COMMIT: &str = r#"#!/bin/sh
# installed by `claims hooks install`
# Validate the claim, policy and authority files of this commit before it is made.
files=$(git diff --cached --name-only --diff-filter=ACMR -- 'claims/*.yaml' 'policies/*.yaml' authority.yaml)
[ -z "$files" ] && exit 0
exec claims check --strict $files
"#;

const PRE_PUSH: &str = r#"#!/bin/sh
# installed by `claims hooks install`
# The office's history only grows: no branch is deleted or rewritten (a force push is
# refused), and every commit about to be pushed is audited.
zero=0000000000000000000000000000000000000000
while read local_ref local_sha remote_ref remote_sha; do
    case "$remote_ref" in
        refs/replace/*)
            echo "claims: refusing to push $remote_ref: replace refs make git show other commits than the history holds" >&2
            exit 1 ;;
        refs/tags/claims/checkpoint/*)
            if [ "$remote_sha" != "$zero" ]; then
                echo "claims: refusing to delete or move $remote_ref: checkpoints are how a rewritten history is found" >&2
                exit 1
            fi
            continue ;;
        refs/heads/*) ;;
        *) continue ;;
    esac
    if [ "$local_sha" = "$zero" ]; then
        echo "claims: refusing to delete $remote_ref: the office's history is kept" >&2
        exit 1
    fi
    if [ "$remote_sha" = "$zero" ]; then
        range="$local_sha"
    else
        if ! git cat-file -e "$remote_sha^{commit}" 2>/dev/null; then
            echo "claims: $remote_ref has commits this clone does not have; fetch and build on them first" >&2
            exit 1
        fi
        if ! git merge-base --is-ancestor "$remote_sha" "$local_sha"; then
            echo "claims: refusing to rewrite $remote_ref (not a fast-forward): audited history is never replaced" >&2
            exit 1
        fi
        range="$remote_sha..$local_sha"
    fi
    claims audit "$range" || exit 1
done
exit 0
"#;

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    match args.action {
        Action::Install {
            force,
            server: false,
        } => install_client(g, force),
        Action::Install {
            force,
            server: true,
        } => receive::install(g, force),
        Action::PreReceive => receive::run(g),
    }
}

fn install_client(g: &Globals, force: bool) -> Result<i32> {
    let repo = super::office_repository(g)?;
    let dir = repo.path().join("hooks");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    for (name, body) in [("pre-commit", PRE_COMMIT), ("pre-push", PRE_PUSH)] {
        let path = dir.join(name);
        refuse_foreign(&path, force)?;
        write_executable(&path, &with_this_binary(body))?;
        g.say(format!("installed {}", path.display()));
    }
    // A plain `git pull` merges two edits of one claim with the claim-aware driver.
    crate::store::office_init::configure_merge_driver(&repo)?;
    g.say("registered the claim merge driver (merge.claims.driver)");
    // Checkpoint tags travel with the commits they name.
    repo.config()?
        .open_level(git2::ConfigLevel::Local)?
        .set_bool("push.followTags", true)?;
    Ok(0)
}

/// The hook with the binary that installs it (hooks run with git's PATH, where `claims` may
/// not be), else `claims` on the PATH.
fn with_this_binary(body: &str) -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_string))
        .filter(|p| !p.contains(['\'', '"', '$', '`', '\\']));
    match exe {
        Some(exe) => body
            .replace("exec claims ", &format!("exec '{exe}' "))
            .replace("    claims audit ", &format!("    '{exe}' audit ")),
        None => body.to_string(),
    }
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
