//! Landing a change: moving the branch and bringing the working tree, the index and the outbox
//! in line with it, so that whatever stops the process — `kill -9`, a power loss, a full disk
//! — the next command finds the office consistent or finishes the job.
//!
//! Under the office lock (`.git/claims.lock`) a change lands in four steps:
//!
//! 1. its notices are written into the outbox under temporary names, and a journal
//!    (`.git/claims-journal/<commit>.json`: the branch, its old and new tip, the changed paths,
//!    the notices) is written; both are fsynced, as the commit's objects already are;
//! 2. the branch is moved, by compare-and-swap from the old tip;
//! 3. the changed paths are written into the working tree and the index from the branch tip;
//! 4. the notices are renamed into place and the journal is removed.
//!
//! A journal left behind means its writer died between step 1 and 4 (the lock is free again
//! once a process is gone). [`recover`], run before every command reads the office, finishes
//! steps 3 and 4 when the branch did move — the commit landed — and removes the temporary
//! notices when it did not. [`repair`] (`claims repair`) does the same and also brings up to
//! date the paths an interruption without a journal left behind (an older version, a
//! `git update-ref` by hand), found from the branch's reflog.
//!
//! Recovery acts only on a journal [`journal::validate`] accepts; a journal it cannot read is
//! judged by its name (the commit id): landed, the reflog repair runs; not landed, it goes.
//! A hand-edited file is left alone but its index entry follows the tip. Readers never wait
//! for the lock: [`recover_at`] skips the repair, saying so, when the lock is busy or the
//! office is read-only.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use git2::{ErrorCode, ObjectType, Oid, Repository};

use super::durable::{self, sync_dir};
use super::git::{is_ref_conflict, stage_tip_locked, sync_worktree_locked, CommitError, RepoLock};
use super::journal::{self, short, Journal, JournalMail};
use super::{nofollow, notices};

/// A notice for the outbox: where it goes and its bytes (an RFC 5322 message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// A change that landed but that recovery could not finish (or a journal it would not act
/// on): its journal is left, and its paths are not yet in line with the branch.
#[derive(Debug)]
pub(crate) struct Unfinished {
    pub id: String,
    pub paths: Vec<String>,
}

/// A change ready to land: the branch to move from `old` to `new`, the paths it changed and
/// its notices.
pub(crate) struct Landing<'a> {
    pub branch: &'a str,
    pub old: Option<Oid>,
    pub new: Oid,
    pub reflog: &'a str,
    pub paths: &'a [&'a str],
    pub mail: &'a [Outgoing],
}

/// How a landing went.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Landed {
    /// The branch points to the new commit (later steps that failed are warned about and
    /// left to [`recover`]).
    Moved,
    /// Another writer moved the branch first: nothing changed; prepare again.
    Raced,
}

/// Moves the branch and brings the working tree, index and outbox in line (see the module
/// documentation). An error means nothing changed.
pub(crate) fn land(repo: &Repository, l: &Landing) -> Result<Landed, CommitError> {
    let _lock = RepoLock::acquire(repo)?;
    let current = match repo.refname_to_id(l.branch) {
        Ok(id) => Some(id),
        Err(e) if e.code() == ErrorCode::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    if current != l.old {
        return Ok(Landed::Raced);
    }
    refuse_links(repo, l.paths, l.mail)?;
    let (journal, file) = write_journal(repo, l)?;
    durable::point("journal-written");
    let moved = match l.old {
        Some(old) => repo.reference_matching(l.branch, l.new, true, old, l.reflog),
        None => repo.reference(l.branch, l.new, false, l.reflog),
    };
    match moved {
        Ok(_) => {}
        Err(e) => {
            abandon(&journal, &file);
            return if is_ref_conflict(&e) {
                Ok(Landed::Raced)
            } else {
                Err(e.into())
            };
        }
    }
    durable::point("branch-moved");
    if let Err(why) = finish(repo, &journal, &file, &[]) {
        notices::warn(format!(
            "commit {} landed, but {why}; the next claims command finishes it (or run `claims repair`)",
            short(&journal.new)
        ));
    }
    Ok(Landed::Moved)
}

fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Writes the notices under temporary names and the journal, both on disk before the branch
/// may move.
fn write_journal(repo: &Repository, l: &Landing) -> Result<(Journal, PathBuf), CommitError> {
    let dir = journal::dir(repo);
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| CommitError::Io { path: p, source: e }
    };
    let mut journal = Journal {
        branch: l.branch.to_string(),
        old: l.old.map(|o| o.to_string()),
        new: l.new.to_string(),
        paths: l.paths.iter().map(|p| p.to_string()).collect(),
        mail: Vec::with_capacity(l.mail.len()),
    };
    let tag = short(&journal.new).to_string();
    let mut folders = HashSet::new();
    let written = (|| -> Result<(), CommitError> {
        for m in l.mail {
            let folder = m.path.parent().expect("an outbox file has a folder");
            if folders.insert(folder.to_path_buf()) {
                fs::create_dir_all(folder).map_err(io(folder))?;
            }
            let name = m.path.file_name().expect("an outbox file has a name");
            let tmp = folder.join(journal::tmp_name(&name.to_string_lossy(), &tag));
            journal.mail.push(JournalMail {
                tmp: tmp.clone(),
                path: m.path.clone(),
            });
            write_synced(&tmp, &m.bytes).map_err(io(&tmp))?;
        }
        for f in &folders {
            sync_dir(f).map_err(io(f))?;
        }
        Ok(())
    })();
    let file = dir.join(format!("{}.json", journal.new));
    if let Err(e) = written {
        abandon(&journal, &file);
        return Err(e);
    }
    let bytes = serde_json::to_vec(&journal).expect("a journal serializes");
    let stored = nofollow::create_dir(&dir)
        .and_then(|()| write_synced(&file, &bytes))
        .and_then(|()| sync_dir(&dir));
    if let Err(e) = stored {
        abandon(&journal, &file);
        return Err(io(&file)(e));
    }
    Ok((journal, file))
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = nofollow::options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    f.write_all(bytes)?;
    durable::sync_file(&f, path)
}

/// A change that did not land: its temporary notices and journal go.
fn abandon(journal: &Journal, file: &Path) {
    for m in &journal.mail {
        let _ = fs::remove_file(&m.tmp);
    }
    let _ = fs::remove_file(file);
}

/// What [`finish`] did with the notices.
struct Delivered {
    moved: usize,
    /// Already moved into place (and perhaps already taken away by the mail transport).
    already: usize,
}

/// Steps 3 and 4 for a change whose branch moved: the journal's paths brought up to date,
/// but for `hand_edited` ones (recovery leaves their files alone; their index entries follow
/// the branch all the same), the notices moved into place, and the journal removed.
fn finish(
    repo: &Repository,
    journal: &Journal,
    file: &Path,
    hand_edited: &[String],
) -> Result<Delivered, String> {
    let paths: Vec<&str> = journal
        .paths
        .iter()
        .map(String::as_str)
        .filter(|p| !hand_edited.iter().any(|h| h == p))
        .collect();
    let left: Vec<&str> = hand_edited.iter().map(String::as_str).collect();
    sync_worktree_locked(repo, &journal.branch, &paths)
        .and_then(|()| stage_tip_locked(repo, &journal.branch, &left))
        .map_err(|e| format!("updating the working tree and index failed: {e}"))?;
    let mut done = Delivered {
        moved: 0,
        already: 0,
    };
    for m in &journal.mail {
        // A temporary file that is gone was moved into place before; the transport may have
        // sent and removed the notice since.
        if fs::symlink_metadata(&m.tmp).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            done.already += 1;
            continue;
        }
        fs::rename(&m.tmp, &m.path).map_err(|e| {
            format!(
                "a notice could not be moved into the outbox ({}: {e})",
                m.path.display()
            )
        })?;
        done.moved += 1;
        durable::point("outbox-file");
    }
    if let Some(folder) = journal.mail.first().and_then(|m| m.path.parent()) {
        let _ = sync_dir(folder);
    }
    fs::remove_file(file).map_err(|e| format!("{}: {e}", file.display()))?;
    durable::trace("removed", file);
    Ok(done)
}

/// Refuses a change that would write through a symbolic link inside the office: a linked
/// folder on the way to a changed file, a link where the file goes, or a linked outbox.
fn refuse_links(repo: &Repository, paths: &[&str], mail: &[Outgoing]) -> Result<(), CommitError> {
    let Some(workdir) = repo.workdir() else {
        return Ok(());
    };
    let mut seen = HashSet::new();
    let mut check = |rel: &Path| -> Result<(), CommitError> {
        let mut at = workdir.to_path_buf();
        for part in rel.components() {
            let Component::Normal(name) = part else {
                continue;
            };
            at.push(name);
            if !seen.insert(at.clone()) {
                continue;
            }
            match fs::symlink_metadata(&at) {
                Ok(md) if md.file_type().is_symlink() => {
                    let shown = at
                        .strip_prefix(workdir)
                        .unwrap_or(&at)
                        .display()
                        .to_string();
                    return Err(CommitError::Refused(format!(
                        "{shown} is a symbolic link: the tool never writes through a link inside the office; nothing was changed"
                    )));
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => {
                    return Err(CommitError::Io {
                        path: at.clone(),
                        source: e,
                    })
                }
            }
        }
        Ok(())
    };
    for p in paths {
        check(Path::new(p))?;
    }
    for m in mail {
        if let Ok(rel) = m.path.strip_prefix(workdir) {
            check(rel)?;
        }
    }
    Ok(())
}

/// Finishes what an interrupted command left (see the module documentation), saying what it
/// did through [`notices`]. Cheap when there is nothing to do: one folder lookup.
pub fn recover(repo: &Repository) -> Result<(), CommitError> {
    if !journal::has_entries(repo) {
        return Ok(());
    }
    let _lock = RepoLock::acquire(repo)?;
    recover_locked(repo)?;
    Ok(())
}

/// [`recover`] for the office at `root`, if it is a repository with something to recover:
/// every command runs it before it reads the office. It never waits: when another command
/// holds the lock, or the office cannot be written here (a read-only mount, a reviewer
/// without write access), it says so and the command reads the branch as it is.
pub fn recover_at(root: &Path) -> Result<(), CommitError> {
    let dot_git = root.join(".git");
    let journals = dot_git.join("claims-journal");
    if dot_git.is_dir() && fs::symlink_metadata(&journals).is_err() {
        return Ok(());
    }
    let Ok(repo) = Repository::open(root) else {
        return Ok(()); // not a repository (yet): nothing of ours to finish
    };
    if !journal::has_entries(&repo) {
        return Ok(());
    }
    match RepoLock::try_acquire(&repo) {
        Ok(Ok(_lock)) => {
            recover_locked(&repo)?;
        }
        Ok(Err(pid)) => notices::warn(format!(
            "another claims command (pid {pid}?) holds .git/claims.lock while a change is in flight; \
             what follows reads the branch as it is, without repairing first"
        )),
        Err(CommitError::Io { source, .. })
            if matches!(
                source.kind(),
                std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
            ) =>
        {
            notices::warn(format!(
                "an interrupted change is waiting to be repaired, but the office cannot be written here ({source}); \
                 what follows reads the branch as it is (run `claims repair` where the office can be written)"
            ))
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// [`recover`] for a caller that holds the office lock. Returns what it could not finish
/// (those journals are left).
pub(crate) fn recover_locked(repo: &Repository) -> Result<Vec<Unfinished>, CommitError> {
    let found = match journal::read_all(repo) {
        Ok(found) => found,
        Err(why) => {
            notices::warn(format!(
                "{why}; no journal in it was read (remove the link if you did not make it)"
            ));
            return Ok(vec![Unfinished {
                id: "claims-journal".into(),
                paths: Vec::new(),
            }]);
        }
    };
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let mut unfinished = Vec::new();
    for f in found {
        let left = match &f.journal {
            Ok(j) => match journal::validate(repo, j, f.id) {
                Some(why) => {
                    notices::warn(format!(
                        "refused the journal {}: {why}; it is left as it is (the tool did not write it; remove it once you have looked at it)",
                        f.file.display()
                    ));
                    true
                }
                None => !recover_one(repo, j, &f.file),
            },
            Err(why) => !recover_unreadable(repo, &f, why)?,
        };
        if left {
            let j = f.journal.as_ref().ok();
            unfinished.push(Unfinished {
                id: j.map_or_else(
                    || f.file.display().to_string(),
                    |j| short(&j.new).to_string(),
                ),
                paths: j.map(|j| j.paths.clone()).unwrap_or_default(),
            });
        }
    }
    sweep_orphan_notices(repo, &unfinished);
    Ok(unfinished)
}

/// Removes the temporary notices that no journal left names (a writer killed before its
/// journal was written left them), saying so.
fn sweep_orphan_notices(repo: &Repository, unfinished: &[Unfinished]) {
    let live: HashSet<String> = unfinished.iter().map(|u| u.id.clone()).collect();
    let n = journal::remove_orphan_notices(repo, &live);
    if n > 0 {
        notices::warn(format!(
            "repaired: removed {} an interrupted command left in the outbox before its change was under way",
            counted(n, "temporary notice")
        ));
    }
}

/// Whether `id` is the tip of the checked-out branch or behind it: that change landed.
fn reached(repo: &Repository, branch: &str, id: Oid) -> bool {
    repo.refname_to_id(branch)
        .is_ok_and(|tip| tip == id || repo.graph_descendant_of(tip, id).unwrap_or(false))
}

/// A journal that cannot be read. Its name says which commit it was for: if that commit
/// landed, the working tree and index are repaired from the branch's reflog (as `claims
/// repair` does); if not, its writer died writing it, before the branch could move. Returns
/// whether it was dealt with (and removed).
fn recover_unreadable(
    repo: &Repository,
    f: &journal::Found,
    why: &str,
) -> Result<bool, CommitError> {
    let name = f.file.display();
    let Some(id) = f.id else {
        notices::warn(format!(
            "the journal {name} cannot be read ({why}) and its name is no commit id; it is left as it is"
        ));
        return Ok(false);
    };
    let branch = super::git::head_branch(repo)?;
    if !reached(repo, &branch, id) {
        let _ = fs::remove_file(&f.file);
        notices::warn(format!(
            "repaired: the journal of an interrupted change ({}) was written only in part ({why}); it had not landed, so nothing of it was kept",
            short(&id.to_string())
        ));
        return Ok(true);
    }
    let done = sync_from_reflog(repo, &branch)?;
    fs::remove_file(&f.file).map_err(|e| CommitError::Io {
        path: f.file.clone(),
        source: e,
    })?;
    notices::warn(format!(
        "repaired: the journal of an interrupted change ({}) could not be read ({why}); the change had landed, \
         so the working tree and index were brought in line from the branch's reflog, as `claims repair` does ({} brought up to date)",
        short(&id.to_string()),
        counted(done.updated.len(), "file")
    ));
    for p in done.edited {
        notices::warn(format!(
            "{p} has edits nobody committed; left as it is (compare it with `git diff HEAD -- {p}`)"
        ));
    }
    Ok(true)
}

/// A journal that passed [`journal::validate`]. Returns whether it was finished (and removed).
fn recover_one(repo: &Repository, journal: &Journal, file: &Path) -> bool {
    let new = Oid::from_str(&journal.new).expect("a validated journal");
    if !reached(repo, &journal.branch, new) {
        abandon(journal, file);
        notices::warn(format!(
            "repaired: an interrupted change ({}) had not landed; nothing of it was kept",
            short(&journal.new)
        ));
        return true;
    }
    remove_temporaries(repo, &journal.paths);
    let left = ours_to_update(repo, journal);
    let outcome = finish(repo, journal, file, &left);
    let finished = outcome.is_ok();
    match outcome {
        Ok(d) => notices::warn(format!(
            "repaired: an interrupted change ({}) had landed; brought {} and the index up to date{}",
            short(&journal.new),
            counted(journal.paths.len() - left.len(), "file"),
            match (d.moved, d.already) {
                (0, 0) => String::new(),
                (n, 0) => format!(" and delivered {} to the outbox", counted(n, "notice")),
                (n, k) => format!(
                    " and delivered {} to the outbox ({k} had been delivered before)",
                    counted(n, "notice")
                ),
            }
        )),
        Err(why) => notices::warn(format!(
            "an interrupted change ({}) landed, but {why}; run `claims repair` once that is fixed",
            short(&journal.new)
        )),
    }
    for p in left {
        notices::warn(format!(
            "{p} was edited after the interrupted change; left as it is, so it differs from HEAD \
             (its index entry follows HEAD: `git diff -- {p}` shows the edit, and nothing is staged)"
        ));
    }
    finished
}

/// The journal's paths that someone edited since the writer died (neither as the old tip nor
/// as any later tip has them): left alone.
fn ours_to_update(repo: &Repository, journal: &Journal) -> Vec<String> {
    let Some(workdir) = repo.workdir() else {
        return Vec::new();
    };
    let tree_of = |id: Option<&str>| {
        id.and_then(|s| Oid::from_str(s).ok())
            .and_then(|id| repo.find_commit(id).ok())
            .and_then(|c| c.tree().ok())
    };
    let known: Vec<git2::Tree> = [
        tree_of(journal.old.as_deref()),
        tree_of(Some(&journal.new)),
        repo.find_reference(&journal.branch)
            .ok()
            .and_then(|r| r.peel_to_tree().ok()),
    ]
    .into_iter()
    .flatten()
    .collect();
    journal
        .paths
        .iter()
        .filter(|p| {
            let Some(on_disk) = blob_on_disk(&workdir.join(p)) else {
                return false; // absent: nothing to lose
            };
            !known.iter().any(|t| {
                t.get_path(Path::new(p.as_str()))
                    .is_ok_and(|e| e.id() == on_disk)
            })
        })
        .cloned()
        .collect()
}

/// The blob id of a plain file in the working tree (None: absent, or not a plain file).
fn blob_on_disk(path: &Path) -> Option<Oid> {
    let md = fs::symlink_metadata(path).ok()?;
    if !md.is_file() {
        return None;
    }
    Oid::hash_file(ObjectType::Blob, path).ok()
}

/// The half-written temporary files a killed writer leaves next to the files it was writing.
fn remove_temporaries(repo: &Repository, paths: &[String]) {
    let Some(workdir) = repo.workdir() else {
        return;
    };
    let folders: HashSet<&Path> = paths.iter().filter_map(|p| Path::new(p).parent()).collect();
    for f in folders {
        let Ok(entries) = fs::read_dir(workdir.join(f)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(".claims-tmp-") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// What [`repair`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Repaired {
    /// Paths brought up to date with the branch tip.
    pub updated: Vec<String>,
    /// Paths that differ from the tip by edits nobody committed: left alone.
    pub edited: Vec<String>,
    /// Interrupted changes that could not be finished (their journals are left; the warnings
    /// say why).
    pub unfinished: Vec<String>,
}

/// `claims repair`: [`recover`], the temporary notices nobody's journal names removed, then
/// every path the branch's recent moves changed whose working-tree file and index entry are
/// still as an earlier tip (one the branch moved on from) had them is brought up to date with
/// the tip. Edits that match no tip are left alone and listed.
pub fn repair(repo: &Repository) -> Result<Repaired, CommitError> {
    let _lock = RepoLock::acquire(repo)?;
    let unfinished = recover_locked(repo)?;
    sweep_orphan_notices(repo, &unfinished);
    let branch = super::git::head_branch(repo)?;
    let mut out = sync_from_reflog(repo, &branch)?;
    out.unfinished = unfinished.into_iter().map(|u| u.id).collect();
    Ok(out)
}

/// The reflog part of [`repair`], under the office lock.
fn sync_from_reflog(repo: &Repository, branch: &str) -> Result<Repaired, CommitError> {
    let branch = branch.to_string();
    let Some(workdir) = repo.workdir() else {
        return Ok(Repaired::default());
    };
    let Ok(tip) = repo.refname_to_id(&branch) else {
        return Ok(Repaired::default());
    };
    let tip_tree = repo.find_commit(tip)?.tree()?;
    // The branch's moves forward, most recent first: the tree it left, the tree it reached,
    // and when.
    let mut earlier: Vec<Move> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    if let Ok(log) = repo.reflog(&branch) {
        for entry in log.iter().take(REFLOG_DEPTH) {
            let (old, new) = (entry.id_old(), entry.id_new());
            if old.is_zero() || !(new == tip || repo.graph_descendant_of(tip, new)?) {
                continue;
            }
            let (Ok(old_c), Ok(new_c)) = (repo.find_commit(old), repo.find_commit(new)) else {
                continue;
            };
            let (old_t, new_t) = (old_c.tree()?, new_c.tree()?);
            let diff = repo.diff_tree_to_tree(Some(&old_t), Some(&new_t), None)?;
            for d in diff.deltas() {
                for f in [d.old_file(), d.new_file()] {
                    if let Some(p) = f.path().and_then(|p| p.to_str()) {
                        if seen.insert(p.to_string()) {
                            paths.push(p.to_string());
                        }
                    }
                }
            }
            earlier.push(Move {
                from: old_t,
                to: new_t,
                at: entry.committer().when().seconds(),
            });
        }
    }
    let mut index = repo.index()?;
    index.read(false)?;
    let mut out = Repaired::default();
    for p in &paths {
        let at_tip = tip_tree
            .get_path(Path::new(p))
            .ok()
            .filter(|e| e.kind() == Some(ObjectType::Blob))
            .map(|e| e.id());
        let on_disk = blob_on_disk(&workdir.join(p));
        let staged = index.get_path(Path::new(p), 0).map(|e| e.id);
        if on_disk == at_tip && staged == at_tip {
            continue;
        }
        let in_tree = |t: &git2::Tree| t.get_path(Path::new(p)).ok().map(|e| e.id());
        let as_earlier =
            |id: Option<Oid>| id == at_tip || earlier.iter().any(|m| in_tree(&m.from) == id);
        // A file as an earlier tip had it but written after the branch last moved away from
        // that version was put back by someone (`git checkout HEAD~1 -- FILE`): an edit, even
        // though its content is one the history knows.
        let put_back = on_disk.filter(|id| Some(*id) != at_tip).is_some_and(|id| {
            let left_at = earlier
                .iter()
                .find(|m| in_tree(&m.from) == Some(id) && in_tree(&m.to) != Some(id))
                .map(|m| m.at);
            left_at.is_some_and(|at| modified_after(&workdir.join(p), at))
        });
        if as_earlier(on_disk) && as_earlier(staged) && !put_back {
            out.updated.push(p.clone());
        } else {
            out.edited.push(p.clone());
        }
    }
    drop(index);
    remove_temporaries(repo, &out.updated);
    let refs: Vec<&str> = out.updated.iter().map(String::as_str).collect();
    sync_worktree_locked(repo, &branch, &refs)?;
    Ok(out)
}

/// One forward move of the branch, from its reflog.
struct Move<'r> {
    from: git2::Tree<'r>,
    to: git2::Tree<'r>,
    /// Seconds since the epoch.
    at: i64,
}

/// Whether the file was last written in a later second than `at` (seconds since the epoch). A
/// writer the branch move interrupted wrote its files before the move, never after.
fn modified_after(path: &Path, at: i64) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .is_some_and(|d| d.as_secs() as i64 > at)
}

/// How many of the branch's latest moves [`repair`] looks back over.
const REFLOG_DEPTH: usize = 200;
