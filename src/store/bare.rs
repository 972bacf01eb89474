//! The office's repository without a working tree — the shared (bare) repository a team
//! pushes to — and the objects a push brings before git accepts them.
//!
//! While a pre-receive hook runs, git keeps the pushed objects in a quarantine folder and tells
//! the hook through `GIT_OBJECT_DIRECTORY` (the quarantine) and
//! `GIT_ALTERNATE_OBJECT_DIRECTORIES` (the repository's own objects). libgit2 reads neither on
//! `Repository::open`, so every handle the gate opens adds them as alternates: without that,
//! the commits being judged are not there to read.

use std::path::{Path, PathBuf};

use git2::Repository;

use super::files::AUTHORITY_FILE;

/// Opens the repository at `path` with the objects of a push under way (if any) readable.
pub fn open(path: &Path) -> Result<Repository, git2::Error> {
    let repo = Repository::open(path)?;
    admit_pushed_objects(&repo)?;
    Ok(repo)
}

/// Adds the object folders git names in the environment (a push's quarantine) to `repo`'s
/// object database. Nothing changes when git names none.
pub fn admit_pushed_objects(repo: &Repository) -> Result<(), git2::Error> {
    let folders = pushed_object_folders();
    if folders.is_empty() {
        return Ok(());
    }
    let odb = repo.odb()?;
    for dir in folders {
        odb.add_disk_alternate(&dir.to_string_lossy())?;
    }
    Ok(())
}

/// The object folders of `GIT_OBJECT_DIRECTORY`, `GIT_QUARANTINE_PATH` (the same folder, in a
/// pre-receive hook) and `GIT_ALTERNATE_OBJECT_DIRECTORIES` (`:`-separated), as git sets them
/// for a hook; relative ones are taken from the current folder, where git runs the hook.
fn pushed_object_folders() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for var in ["GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH"] {
        if let Some(dir) = std::env::var_os(var) {
            out.push(PathBuf::from(dir));
        }
    }
    if let Some(dirs) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        out.extend(std::env::split_paths(&dirs));
    }
    out.retain(|d| d.is_dir());
    let mut out: Vec<PathBuf> = out
        .iter()
        .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.clone()))
        .collect();
    out.dedup();
    out
}

/// The bare repository of an office: `explicit` (`--repo`), else `GIT_DIR` (a hook), else the
/// current folder — when it is a bare repository whose HEAD holds authority.yaml, or one that
/// holds no commit yet (its first push is on the way).
pub fn find_office(explicit: Option<&Path>) -> Option<Repository> {
    let dir = match explicit {
        Some(d) => d.to_path_buf(),
        None => std::env::var_os("GIT_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())?,
    };
    let repo = open(&dir).ok().filter(Repository::is_bare)?;
    let office = match repo.head() {
        Ok(head) => head
            .peel_to_tree()
            .is_ok_and(|t| t.get_name(AUTHORITY_FILE).is_some()),
        Err(e) => e.code() == git2::ErrorCode::UnbornBranch,
    };
    office.then_some(repo)
}
