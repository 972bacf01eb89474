//! `claims sync`: one person's clone and the office's shared remote.
//!
//! Fetch; when both the clone and the remote have moved, the person's own commits that the
//! remote lacks are worked again, one by one, on the remote's tip — the command each records,
//! through the same domain function, re-checked against the state and authority.yaml there,
//! signed again by its author, keeping the time it was worked — and pushed. A push the remote
//! refuses because it moved meanwhile starts over. Commits already on the remote (other
//! people's work) are never rewritten. A command that no longer applies is kept aside with
//! the reason (a ref that keeps its commit, and a note beside it), for its author to redo or
//! drop: never silently lost.
//!
//! Transport is the user's own `git` (their credentials, ssh configuration and helpers).
//!
//! A sync interrupted half-way (kill, power loss) is resumed by the next one: the commits still
//! to work again are listed in `.git/claims/sync.json`, written before the branch moves, and
//! the clone's branch as it stood is kept in `refs/claims/sync/before`.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use crate::audit::History;
use crate::error::{Error, Result};
use crate::store::session::Session;

/// How many times a push the remote refused (it moved meanwhile) starts over.
const ATTEMPTS: usize = 5;

/// Where the branch stood before a sync moved it.
const BEFORE_REF: &str = "refs/claims/sync/before";

/// Commands kept aside live under this prefix, one ref per original commit.
pub const KEPT_PREFIX: &str = "refs/claims/kept/";

/// The remote and branch a sync works with.
#[derive(Clone, Debug)]
pub struct Upstream {
    pub remote: String,
    pub branch: String,
}

impl Upstream {
    /// `refs/remotes/REMOTE/BRANCH`.
    fn tracking(&self) -> String {
        format!("refs/remotes/{}/{}", self.remote, self.branch)
    }
}

/// A command worked again on the remote's tip.
#[derive(Clone, Debug, Serialize)]
pub struct Replayed {
    pub was: String,
    pub now: String,
    pub subject: String,
}

/// A command kept aside: its original commit and why it no longer applies.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Kept {
    pub commit: String,
    pub subject: String,
    pub command: String,
    pub claim: Option<String>,
    pub author: String,
    pub worked: String,
    pub reason: String,
}

/// What a sync did.
#[derive(Debug, Default, Serialize)]
pub struct Synced {
    pub remote: String,
    pub branch: String,
    /// Commits the remote had that this clone did not (other people's work, or this person's
    /// from another clone).
    pub received: usize,
    pub replayed: Vec<Replayed>,
    pub kept: Vec<Kept>,
    /// Commits pushed (0: nothing of this clone's was new).
    pub pushed: usize,
    /// Pushes the remote refused because it had moved, each followed by another round.
    pub retries: usize,
}

/// The commits a sync still has to work again, on disk before the branch moves.
#[derive(Serialize, Deserialize)]
struct Journal {
    branch: String,
    pending: Vec<String>,
    /// The tip the first pending commit is being worked on: when the branch moved past it
    /// by that very command, an interrupted sync had landed it.
    #[serde(default)]
    at: Option<String>,
}

fn journal_path(repo: &Repository) -> PathBuf {
    repo.path().join("claims").join("sync.json")
}

fn kept_note_path(repo: &Repository, commit: &str) -> PathBuf {
    repo.path()
        .join("claims")
        .join("kept")
        .join(format!("{commit}.json"))
}

/// Runs the user's `git` in the office; the output, or an environment error with git's words.
fn git(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    Process::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| Error::environment(format!("could not run git: {e}")))
}

fn git_ok(root: &Path, args: &[&str]) -> Result<String> {
    let out = git(root, args)?;
    if !out.status.success() {
        return Err(Error::environment(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// The remote and branch to sync with: the branch's upstream, else `origin` and the same
/// branch name.
pub fn upstream(repo: &Repository, remote: Option<&str>) -> Result<Upstream> {
    let head = repo.head()?;
    let branch = head
        .shorthand()
        .ok()
        .filter(|_| head.is_branch())
        .ok_or_else(|| {
            Error::refused("HEAD is not on a branch; sync works on the office's branch")
                .hint("run `git switch main` (or the office's branch) first")
        })?
        .to_string();
    let config = repo.config()?.snapshot()?;
    let configured = config.get_string(&format!("branch.{branch}.remote")).ok();
    let merge = config
        .get_string(&format!("branch.{branch}.merge"))
        .ok()
        .and_then(|m| m.strip_prefix("refs/heads/").map(str::to_string));
    let remote = remote
        .map(str::to_string)
        .or(configured)
        .unwrap_or_else(|| "origin".into());
    if repo.find_remote(&remote).is_err() {
        return Err(Error::refused(format!(
            "this clone has no remote `{remote}` to sync with"
        ))
        .hint("clone the office (`git clone URL`), or add its remote: `git remote add origin URL`"));
    }
    Ok(Upstream {
        remote,
        branch: merge.unwrap_or(branch),
    })
}

/// Syncs the clone at `root` with its remote (see the module documentation).
pub fn sync(root: &Path, remote: Option<&str>) -> Result<Synced> {
    let repo = crate::store::files::open_repository(root)?;
    crate::store::landing::recover(&repo)?;
    let up = upstream(&repo, remote)?;
    let mut synced = Synced {
        remote: up.remote.clone(),
        branch: up.branch.clone(),
        ..Synced::default()
    };
    // An interrupted sync first finishes its work.
    if let Some(journal) = read_journal(&repo)? {
        let pending = still_pending(&repo, &journal)?;
        replay_all(root, &repo, &pending, &mut synced)?;
        remove_journal(&repo)?;
    }
    for attempt in 0..ATTEMPTS {
        git_ok(root, &["fetch", "--quiet", &up.remote])?;
        let head = repo.head()?.peel_to_commit()?.id();
        let theirs = repo.refname_to_id(&up.tracking()).ok();
        let Some(theirs) = theirs else {
            // A remote without the office's branch yet: this clone founds it.
            synced.pushed = count(&repo, head, None)?;
            match push(root, &up)? {
                Pushed::Done => return Ok(synced),
                Pushed::Moved => continue,
            }
        };
        if head == theirs {
            return Ok(synced);
        }
        let base = repo.merge_base(head, theirs)?;
        if base != theirs {
            synced.received += count(&repo, theirs, Some(base))?;
        }
        if base == head {
            // Nothing of ours the remote lacks: take theirs.
            move_branch(&repo, head, theirs, "claims sync: fast-forward")?;
            return Ok(synced);
        }
        if base != theirs {
            // Both moved: work our commands again on their tip.
            let ours = own_commits(&repo, base, head)?;
            let journal = Journal {
                branch: up.branch.clone(),
                pending: ours.iter().map(Oid::to_string).collect(),
                at: None,
            };
            write_journal(&repo, &journal)?;
            repo.reference(BEFORE_REF, head, true, "claims sync: the branch before")?;
            move_branch(&repo, head, theirs, "claims sync: onto the remote")?;
            replay_all(root, &repo, &journal.pending, &mut synced)?;
            remove_journal(&repo)?;
        }
        let head = repo.head()?.peel_to_commit()?.id();
        if head == theirs {
            return Ok(synced); // everything of ours was kept aside
        }
        let n = count(&repo, head, Some(theirs))?;
        match push(root, &up)? {
            Pushed::Done => {
                synced.pushed = n;
                return Ok(synced);
            }
            Pushed::Moved if attempt + 1 < ATTEMPTS => synced.retries += 1,
            Pushed::Moved => {}
        }
    }
    Err(Error::environment(format!(
        "{}/{} kept moving: {ATTEMPTS} pushes were refused because others pushed first; your work is committed here",
        up.remote, up.branch
    ))
    .hint("run `claims sync` again"))
}

/// Commits reachable from `tip` and not from `base`.
fn count(repo: &Repository, tip: Oid, base: Option<Oid>) -> Result<usize> {
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    if let Some(b) = base {
        walk.hide(b)?;
    }
    Ok(walk.count())
}

/// This clone's commits after `base`, oldest first. A merge among them is refused: sync works
/// commands again one by one, and a merge is none.
fn own_commits(repo: &Repository, base: Oid, head: Oid) -> Result<Vec<Oid>> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(head)?;
    walk.hide(base)?;
    let ids: Vec<Oid> = walk.collect::<std::result::Result<_, _>>()?;
    for id in &ids {
        let c = repo.find_commit(*id)?;
        if c.parent_count() > 1 {
            return Err(Error::refused(format!(
                "commit {} merges two lines of history; sync works commands again one by one and cannot work a merge",
                &id.to_string()[..12]
            ))
            .hint("push it with `git push` once `git pull` brought the remote's work in, or undo the merge (`git reset --keep HEAD^`) and sync"));
        }
    }
    Ok(ids)
}

/// Moves the branch HEAD is on from `from` to `to`, with the working tree, index and outbox
/// (journaled like any landing: an interruption is finished by the next command).
fn move_branch(repo: &Repository, from: Oid, to: Oid, why: &str) -> Result<()> {
    let branch = crate::store::git::head_branch(repo)?;
    let (a, b) = (
        repo.find_commit(from)?.tree()?,
        repo.find_commit(to)?.tree()?,
    );
    let diff = repo.diff_tree_to_tree(Some(&a), Some(&b), None)?;
    let paths: Vec<String> = diff
        .deltas()
        .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let edited = crate::store::git::uncommitted_edits(repo, &refs)?;
    if let Some(path) = edited.first() {
        return Err(Error::refused(format!(
            "{path} has uncommitted edits, and the remote's work changes it; nothing was changed"
        ))
        .hint(format!(
            "commit them through a claims command, or undo them: `git checkout HEAD -- {path}`"
        )));
    }
    let landing = crate::store::landing::Landing {
        branch: &branch,
        old: Some(from),
        new: to,
        reflog: why,
        paths: &refs,
        mail: &[],
    };
    match crate::store::landing::land(repo, &landing)? {
        crate::store::landing::Landed::Moved => Ok(()),
        crate::store::landing::Landed::Raced => Err(Error::refused(
            "another claims command moved the branch while sync ran; nothing was lost",
        )
        .hint("run `claims sync` again")),
    }
}

/// Works each pending commit's command again at the tip, as its author, at the time it was
/// worked; what no longer applies is kept aside.
fn replay_all(
    root: &Path,
    repo: &Repository,
    pending: &[String],
    synced: &mut Synced,
) -> Result<()> {
    let mut sessions: Vec<(String, Session)> = Vec::new();
    let mut history = History::new(repo);
    for (i, id) in pending.iter().enumerate() {
        // What is left, should this sync be interrupted from here on.
        write_journal(
            repo,
            &Journal {
                branch: String::new(),
                pending: pending[i..].to_vec(),
                at: Some(repo.head()?.peel_to_commit()?.id().to_string()),
            },
        )?;
        let oid = Oid::from_str(id)?;
        let commit = repo.find_commit(oid)?;
        let entry = history.entry(oid)?;
        let author = entry.author_email.clone();
        let kept = |reason: String| Kept {
            commit: id.clone(),
            subject: entry.subject.clone(),
            command: entry.trailer("Command").unwrap_or("").to_string(),
            claim: entry.trailer("Claim").map(str::to_string),
            author: author.clone(),
            worked: crate::audit::time_of(commit.author().when()).to_rfc3339(),
            reason,
        };
        let outcome = (|| -> std::result::Result<Oid, String> {
            let command = command_of(repo, &commit, &entry)?;
            if !sessions.iter().any(|(e, _)| *e == author) {
                let s = Session::open(Some(root), Some(&author)).map_err(|e| e.one_line())?;
                sessions.push((author.clone(), s));
            }
            let session = &sessions
                .iter()
                .find(|(e, _)| *e == author)
                .expect("opened")
                .1;
            let worked = crate::audit::time_of(commit.author().when());
            let done = session
                .replay_recorded(&command, worked)
                .map_err(|e| e.one_line())?;
            Ok(done.commit.expect("a replay commits"))
        })();
        match outcome {
            Ok(new) => synced.replayed.push(Replayed {
                was: id.clone(),
                now: new.to_string(),
                subject: entry.subject.clone(),
            }),
            Err(reason) => {
                let k = kept(reason);
                keep_aside(repo, oid, &k)?;
                synced.kept.push(k);
            }
        }
    }
    Ok(())
}

/// The journal's commits still to work again: all of them, but the first when the branch
/// already holds it worked again on the tip the journal names (the sync was interrupted
/// after it landed).
fn still_pending(repo: &Repository, journal: &Journal) -> Result<Vec<String>> {
    let Some(first) = journal.pending.first() else {
        return Ok(Vec::new());
    };
    // Interrupted before the branch left them: they are still on it, and the sync starts over.
    let head = repo.head()?.peel_to_commit()?.id();
    let first_id = Oid::from_str(first)?;
    if head == first_id || repo.graph_descendant_of(head, first_id)? {
        return Ok(Vec::new());
    }
    let Some(at) = &journal.at else {
        return Ok(journal.pending.clone());
    };
    let at = Oid::from_str(at)?;
    let original = repo.find_commit(Oid::from_str(first)?)?;
    let mut walk = repo.revwalk()?;
    walk.simplify_first_parent()?;
    walk.push_head()?;
    walk.hide(at)?;
    for id in walk {
        let c = repo.find_commit(id?)?;
        // A replay keeps the author and the time worked, and lands right on `at`.
        let same = c.parent_id(0).ok() == Some(at)
            && c.author().when() == original.author().when()
            && c.author().email_bytes() == original.author().email_bytes();
        if same {
            return Ok(journal.pending[1..].to_vec());
        }
    }
    Ok(journal.pending.clone())
}

/// The command `commit` records, with the files its user brought, to work it again.
pub(crate) fn command_of(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    entry: &crate::audit::Entry,
) -> std::result::Result<crate::workflow::Command, String> {
    let name = entry
        .trailer("Command")
        .ok_or("it records no command (a commit made by hand): redo it with a claims command")?;
    crate::audit::recorded_command(
        repo,
        commit,
        entry,
        name,
        entry.trailer("Args").unwrap_or(""),
        entry.trailer("Claim"),
        true,
    )
    .map_err(|e| format!("its command cannot be read: {e}"))
}

fn author_email(c: &git2::Commit<'_>) -> String {
    let author = c.author();
    author.email().unwrap_or("").to_string()
}

enum Pushed {
    Done,
    /// The remote moved since the fetch (not a fast-forward): fetch and work again.
    Moved,
}

fn push(root: &Path, up: &Upstream) -> Result<Pushed> {
    let spec = format!("HEAD:refs/heads/{}", up.branch);
    let out = git(root, &["push", "--porcelain", &up.remote, &spec])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() {
        return Ok(Pushed::Done);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let moved = stdout.lines().any(|l| {
        l.starts_with('!')
            && (l.contains("[rejected]")
                && (l.contains("fetch first") || l.contains("non-fast-forward")))
    });
    if moved {
        return Ok(Pushed::Moved);
    }
    // The remote refused (its gate, permissions) or could not be reached: the work stays
    // committed here, and git's words say why.
    let said: Vec<&str> = stderr
        .lines()
        .chain(stdout.lines())
        .filter(|l| !l.trim().is_empty() && *l != "Done")
        .collect();
    Err(Error::refused(format!(
        "the push to {}/{} was refused; your work is committed here and nothing was lost:\n{}",
        up.remote,
        up.branch,
        said.join("\n")
    ))
    .hint("fix what the remote names (a command kept aside can be redone: `claims sync --kept`), then run `claims sync` again"))
}

fn read_journal(repo: &Repository) -> Result<Option<Journal>> {
    let path = journal_path(repo);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::environment(format!("{}: {e}", path.display())).hint(format!(
                "the commits it lists are also in {BEFORE_REF}; remove the file to start over"
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path.display(), e)),
    }
}

fn write_journal(repo: &Repository, journal: &Journal) -> Result<()> {
    let path = journal_path(repo);
    let text = serde_json::to_vec_pretty(journal).expect("a journal serializes");
    write_durably(&path, &text)
}

fn remove_journal(repo: &Repository) -> Result<()> {
    let path = journal_path(repo);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path.display(), e)),
    }
}

/// Writes `path` whole or not at all (a temporary file, fsynced, renamed).
fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().expect("a file in a folder");
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(tmp.display(), e))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io(tmp.display(), e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display(), e))?;
    crate::store::durable::sync_dir(dir).map_err(|e| Error::io(dir.display(), e))?;
    Ok(())
}

/// Keeps `commit` (a ref, so git never collects it) and why it was kept aside.
fn keep_aside(repo: &Repository, commit: Oid, kept: &Kept) -> Result<()> {
    let text = serde_json::to_vec_pretty(kept).expect("a kept command serializes");
    write_durably(&kept_note_path(repo, &kept.commit), &text)?;
    repo.reference(
        &format!("{KEPT_PREFIX}{commit}"),
        commit,
        true,
        "claims sync: kept aside",
    )?;
    Ok(())
}

/// The commands kept aside, oldest first.
pub fn kept(repo: &Repository) -> Result<Vec<Kept>> {
    let mut out = Vec::new();
    for r in repo.references_glob(&format!("{KEPT_PREFIX}*"))? {
        let r = r?;
        let Some(id) = r.target() else { continue };
        let note = kept_note_path(repo, &id.to_string());
        let kept = match std::fs::read(&note) {
            Ok(b) => serde_json::from_slice(&b).ok(),
            Err(_) => None,
        };
        let kept = match kept {
            Some(k) => k,
            None => {
                let c = repo.find_commit(id)?;
                let message = c.message().unwrap_or("");
                let t = crate::audit::trailers(message);
                let get = |k: &str| t.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                let worked = crate::audit::time_of(c.author().when()).to_rfc3339();
                let k = Kept {
                    commit: id.to_string(),
                    subject: c.summary().ok().flatten().unwrap_or("").to_string(),
                    command: get("Command").unwrap_or_default(),
                    claim: get("Claim"),
                    author: author_email(&c),
                    worked,
                    reason: "(the note of why was lost)".into(),
                };
                k
            }
        };
        out.push(kept);
    }
    out.sort_by(|a, b| a.worked.cmp(&b.worked));
    Ok(out)
}

/// The kept-aside command whose commit id starts with `prefix`.
fn find_kept(repo: &Repository, prefix: &str) -> Result<Kept> {
    let all = kept(repo)?;
    let matching: Vec<&Kept> = all
        .iter()
        .filter(|k| k.commit.starts_with(&prefix.to_ascii_lowercase()))
        .collect();
    match matching.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(
            Error::refused(format!("no command kept aside has commit {prefix}"))
                .hint("`claims sync --kept` lists them"),
        ),
        _ => Err(Error::usage(format!(
            "{prefix} names {} kept commands; give more of the commit id",
            matching.len()
        ))),
    }
}

/// Drops a kept-aside command: its ref and note go (the commit stays in the reflog a while).
pub fn drop_kept(repo: &Repository, prefix: &str) -> Result<Kept> {
    let k = find_kept(repo, prefix)?;
    let name = format!("{KEPT_PREFIX}{}", k.commit);
    repo.find_reference(&name)?.delete()?;
    let _ = std::fs::remove_file(kept_note_path(repo, &k.commit));
    Ok(k)
}

/// Works a kept-aside command again, now (a new decision at today's state and time), as its
/// author; it then waits for the next sync like any other command. Stays kept on refusal.
pub fn redo_kept(root: &Path, prefix: &str) -> Result<(Kept, Oid)> {
    let repo = crate::store::files::open_repository(root)?;
    let k = find_kept(&repo, prefix)?;
    let oid = Oid::from_str(&k.commit)?;
    let commit = repo.find_commit(oid)?;
    let mut history = History::new(&repo);
    let entry = history.entry(oid)?;
    let command = command_of(&repo, &commit, &entry)
        .map_err(|e| Error::refused(format!("commit {}: {e}", &k.commit[..12])))?;
    let session = Session::open(Some(root), Some(&k.author))?;
    let done = session.run(&command, false)?;
    let new = done.commit.expect("committed");
    drop_kept(&repo, &k.commit)?;
    Ok((k, new))
}
