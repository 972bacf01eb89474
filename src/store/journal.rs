//! The journal of a change in flight: `.git/claims-journal/<commit>.json`, written (with the
//! change's notices under temporary names in the outbox) before the branch moves, removed once
//! the working tree, the index and the outbox are in line (see [`super::landing`]).
//!
//! A journal is never trusted as it stands: before recovery acts on one, [`validate`] checks
//! that every path it names is a repository path the tool writes (relative, no `..`, not
//! through a link), that every notice is renamed within the office's outbox from the tool's
//! own temporary name, and that its commits are commits of this repository the branch
//! reached. The folder and its files are never followed as links.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use super::nofollow;

/// What a change still has to do once its branch moved.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub branch: String,
    pub old: Option<String>,
    pub new: String,
    pub paths: Vec<String>,
    #[serde(default)]
    pub mail: Vec<JournalMail>,
}

/// A notice written under its temporary name, to be renamed into place.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct JournalMail {
    pub tmp: PathBuf,
    pub path: PathBuf,
}

/// A journal file as found: its commit id (from its name) and what could be read of it.
pub(crate) struct Found {
    pub file: PathBuf,
    pub id: Option<Oid>,
    pub journal: Result<Journal, String>,
}

pub(crate) fn dir(repo: &Repository) -> PathBuf {
    repo.path().join("claims-journal")
}

/// The temporary name of the notice `name` of the change `tag` (the commit's short id).
pub(crate) fn tmp_name(name: &str, tag: &str) -> String {
    format!(".{name}.{tag}.tmp")
}

/// Whether `name` is one of the tool's temporary notice names (with any tag, or none: the
/// outbox writer's own `.NAME.eml.tmp`), and its tag.
pub(crate) fn temp_notice_tag(name: &str) -> Option<Option<&str>> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    if inner.ends_with(".eml") {
        return Some(None);
    }
    let (stem, tag) = inner.rsplit_once('.')?;
    let hex = tag.len() == 12 && tag.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && stem.ends_with(".eml")).then_some(Some(tag))
}

/// Whether the folder holds any entry (cheap: one lookup).
pub(crate) fn has_entries(repo: &Repository) -> bool {
    let d = dir(repo);
    fs::symlink_metadata(&d).is_ok_and(|m| m.file_type().is_symlink())
        || fs::read_dir(&d).is_ok_and(|mut d| d.next().is_some())
}

/// The journals in the folder, oldest name first. An error: the folder is a link.
pub(crate) fn read_all(repo: &Repository) -> Result<Vec<Found>, String> {
    let d = dir(repo);
    nofollow::refuse_link(&d).map_err(|e| e.to_string())?;
    let Ok(entries) = fs::read_dir(&d) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|file| {
            let id = file
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|s| s.len() == 40)
                .and_then(|s| Oid::from_str(s).ok());
            let journal = nofollow::read(&file)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<Journal>(&b).map_err(|e| e.to_string()));
            Found { file, id, journal }
        })
        .collect())
}

/// Why recovery must not act on `journal` (None: it may). `named` is the id its file name
/// gives.
pub(crate) fn validate(repo: &Repository, journal: &Journal, named: Option<Oid>) -> Option<String> {
    let new = Oid::from_str(&journal.new).ok();
    if new.is_none() || new != named {
        return Some("its commit id does not match its file name".into());
    }
    let new = new?;
    if !journal.branch.starts_with("refs/heads/")
        || !git2::Reference::is_valid_name(&journal.branch)
    {
        return Some(format!("{} is not a branch", journal.branch));
    }
    let is_commit = |id: Oid| repo.find_commit(id).is_ok();
    if !is_commit(new) {
        return Some(format!(
            "{} is not a commit of this repository",
            journal.new
        ));
    }
    if let Some(old) = &journal.old {
        // A commit lands on the one before it; a move that is no commit (`claims sync` onto
        // the remote's tip) is journaled with the branch at one end of it.
        let at = repo.refname_to_id(&journal.branch).ok();
        let ok = Oid::from_str(old)
            .ok()
            .filter(|o| is_commit(*o))
            .is_some_and(|o| {
                repo.graph_descendant_of(new, o).unwrap_or(false)
                    || at == Some(new)
                    || at == Some(o)
            });
        if !ok {
            return Some(format!(
                "{old} is not a commit {} came from",
                short(&journal.new)
            ));
        }
    }
    let workdir = repo.workdir()?;
    for p in &journal.paths {
        if let Some(why) = not_ours(workdir, p) {
            return Some(format!("{p}: {why}"));
        }
    }
    if journal.mail.is_empty() {
        return None;
    }
    let outbox = workdir.join("outbox");
    if !fs::symlink_metadata(&outbox).is_ok_and(|m| m.is_dir()) {
        return Some(format!("{} is not a folder", outbox.display()));
    }
    let real = |p: Option<&Path>| p.and_then(|p| fs::canonicalize(p).ok());
    let outbox = real(Some(&outbox));
    let tag = short(&journal.new);
    let mut seen = HashSet::new();
    for m in &journal.mail {
        let name = m.path.file_name().and_then(|n| n.to_str());
        let ok = name.is_some_and(|n| {
            n.ends_with(".eml")
                && !n.starts_with('.')
                && m.tmp.file_name().and_then(|t| t.to_str()) == Some(tmp_name(n, tag).as_str())
        }) && real(m.path.parent()) == outbox
            && real(m.tmp.parent()) == outbox
            && seen.insert(m.path.clone());
        if !ok {
            return Some(format!(
                "its notice {} is not renamed within the office's outbox from the tool's temporary name",
                m.path.display()
            ));
        }
    }
    None
}

/// Why `path` is not a working-tree path the tool may write (None: it is).
fn not_ours(workdir: &Path, path: &str) -> Option<String> {
    let p = Path::new(path);
    if path.is_empty()
        || path.contains(['\\', '\0'])
        || p.is_absolute()
        || path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Some("not a relative repository path".into());
    }
    let mut at = workdir.to_path_buf();
    for c in p.components() {
        let Component::Normal(name) = c else {
            return Some("not a plain repository path".into());
        };
        if name.eq_ignore_ascii_case(".git") {
            return Some("inside .git".into());
        }
        at.push(name);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some("on the way through a symbolic link".into());
        }
    }
    None
}

pub(crate) fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// Removes the temporary notices in the office's outbox that no journal in `live` (short
/// commit ids) names: a writer killed between writing them and its journal left them.
/// Returns how many were removed. Only to be called under the office lock.
pub(crate) fn remove_orphan_notices(repo: &Repository, live: &HashSet<String>) -> usize {
    let Some(workdir) = repo.workdir() else {
        return 0;
    };
    let outbox = workdir.join("outbox");
    if !fs::symlink_metadata(&outbox).is_ok_and(|m| m.is_dir()) {
        return 0;
    }
    let Ok(entries) = fs::read_dir(&outbox) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(tag) = name.to_str().and_then(temp_notice_tag) else {
            continue;
        };
        if tag.is_some_and(|t| live.contains(t)) {
            continue;
        }
        if e.file_type().is_ok_and(|t| t.is_file()) && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_notice_names() {
        assert_eq!(
            temp_notice_tag(".CLM-1-ack.eml.0123456789ab.tmp"),
            Some(Some("0123456789ab"))
        );
        assert_eq!(temp_notice_tag(".CLM-1-ack.eml.tmp"), Some(None));
        assert_eq!(temp_notice_tag("CLM-1-ack.eml"), None);
        assert_eq!(temp_notice_tag(".notes.txt.0123456789ab.tmp"), None);
        assert_eq!(tmp_name("a.eml", "0123456789ab"), ".a.eml.0123456789ab.tmp");
    }

    #[test]
    fn paths_a_journal_may_name() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(not_ours(d.path(), "claims/2026/10/a.yaml"), None);
        for bad in [
            "../x",
            "/etc/passwd",
            "claims/../../x",
            ".git/config",
            "a//b",
            "./a",
        ] {
            assert!(not_ours(d.path(), bad).is_some(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/tmp", d.path().join("claims")).unwrap();
            assert!(not_ours(d.path(), "claims/a.yaml").is_some());
        }
    }
}
