//! Replay: a commit that records a command is sound only if running that command again — the
//! same [`crate::workflow`] function, on its parent, as its author, at its time — gives this
//! very commit: the same files byte for byte, the same message and trailers, the same author
//! and committer. Nothing the commit says about itself (a recorded limit, an approval, an
//! `Actor:`) is believed; it is made again.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use git2::{Commit, ObjectType, Oid, Repository};

use super::{finding, is_claim_file, short, what_changed, Delta, Entry};
use crate::check::finding::Finding;
use crate::domain::claim::Claim;
use crate::store::files::parse_claim_text;
use crate::store::git::{tree_with, FileChange, FolderCache, Tip};
use crate::store::snapshot::{Shelf, Snapshot};
use crate::workflow::intake::FirstNotice;
use crate::workflow::{Change, Command, Desk, File, Register};

/// Replays commits one after another, carrying what it read (the office's files by version,
/// the register) from each commit to the next.
pub(super) struct Replayer<'r> {
    repo: &'r Repository,
    shelf: Shelf,
    /// The register at a commit, once a command needed it.
    register: Option<(Oid, Register)>,
    /// The claims the last commit judged holds, parsed, when it replayed exactly.
    replayed: Option<Vec<crate::workflow::ClaimEdit>>,
    /// The replay [`Replayer::prepare`] made, for the commit it was made for.
    outcome: Option<(Oid, Replayed)>,
}

/// The command `commit` records, as its trailers and files say it (`entry` is the commit read
/// with what it changed). Files the user brought (an intake's attachments, a received
/// document) come back by name, and with their bytes when `with_bytes` — to work the command
/// again elsewhere (`claims sync`), not only to judge it.
pub(crate) fn recorded(
    repo: &Repository,
    commit: &Commit<'_>,
    entry: &Entry,
    name: &str,
    args: &str,
    claim: Option<&str>,
    with_bytes: bool,
) -> Result<Command, String> {
    let bytes_of = |id: Oid| -> Result<Vec<u8>, String> {
        Ok(repo
            .find_blob(id)
            .map_err(|e| e.message().to_string())?
            .content()
            .to_vec())
    };
    let mut command = match name {
        "intake" => Command::Intake(Box::new(first_notice(repo, entry, args, claim)?)),
        "authority propose" => proposal(repo, commit, entry, args)?,
        _ => Command::decode(name, args)?,
    };
    if !with_bytes {
        return Ok(command);
    }
    // What the commit added beside claim files: the files the user brought.
    let added = |path: &str| {
        entry
            .deltas
            .iter()
            .find(|d| d.path == path)
            .and_then(|d| d.new)
            .map(|(id, _)| id)
    };
    match &mut command {
        Command::Intake(notice) => {
            for f in &mut notice.files {
                let id =
                    added(&f.path).ok_or_else(|| format!("{} is not in the commit", f.path))?;
                f.content = Some(bytes_of(id)?);
            }
        }
        Command::Document(doc) => {
            if let crate::workflow::investigation::DocumentStep::Received {
                file: Some(upload),
                ..
            } = &mut doc.step
            {
                let brought = entry
                    .deltas
                    .iter()
                    .find(|d| d.old.is_none() && d.new.is_some() && !is_claim_file(&d.path))
                    .and_then(|d| d.new)
                    .ok_or_else(|| format!("the commit holds no file {}", upload.name))?;
                upload.bytes = bytes_of(brought.0)?;
            }
        }
        _ => {}
    }
    Ok(command)
}

/// An intake commit's notice: its source from the arguments, the claim and its attachments
/// (by name) from the commit.
fn first_notice(
    repo: &Repository,
    entry: &Entry,
    args: &str,
    claim: Option<&str>,
) -> Result<FirstNotice, String> {
    let id: crate::domain::claim_id::ClaimId = claim
        .ok_or("an intake commit names its claim in a `Claim:` trailer")?
        .parse()
        .map_err(|e| format!("`Claim:` {e}"))?;
    // Wherever the commit put it: the replay writes it where the office at the parent files
    // claims, and a file anywhere else is then a difference the audit reports.
    let (path, d) = entry
        .deltas
        .iter()
        .find(|d| d.old.is_none() && id.is_file(&d.path))
        .and_then(|d| Some((d.path.clone(), d.new?)))
        .ok_or_else(|| {
            format!(
                "intake of {id} adds no file {}",
                id.file_path(Default::default())
            )
        })?;
    let bytes = repo
        .find_blob(d.0)
        .map_err(|e| e.message().to_string())?
        .content()
        .to_vec();
    let text = String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8"))?;
    let claim: Claim = parse_claim_text(&path, &text).map_err(|e| e.message)?;
    let folder = format!("{}/", path.trim_end_matches(".yaml"));
    let files = entry
        .deltas
        .iter()
        .filter(|d| d.path.starts_with(&folder) && d.new.is_some())
        .map(|d| File::supplied(d.path.clone(), Vec::new()))
        .collect();
    FirstNotice::recorded(args, claim, files)
}

/// A proposal commit's command: the proposed text from the proposal it adds, or from the
/// authority.yaml it commits.
fn proposal(
    repo: &Repository,
    commit: &Commit<'_>,
    entry: &Entry,
    args: &str,
) -> Result<Command, String> {
    let added = entry
        .deltas
        .iter()
        .find(|d| d.path.starts_with(crate::workflow::authority::PROPOSALS) && d.old.is_none())
        .and_then(|d| d.new)
        .map(|(id, _)| super::blob(repo, id));
    let authority = commit
        .tree()
        .ok()
        .and_then(|t| t.get_path(std::path::Path::new("authority.yaml")).ok())
        .map(|e| super::blob(repo, e.id()));
    crate::workflow::authority::Propose::recorded(args, added.as_deref(), authority.as_deref())
        .map(Command::AuthorityPropose)
}

/// A commit's author time as the office's clock read it.
pub fn time_of(t: git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(t.offset_minutes() * 60)
        .unwrap_or(FixedOffset::east_opt(0).expect("UTC"));
    DateTime::from_timestamp(t.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

impl<'r> Replayer<'r> {
    pub(super) fn new(repo: &'r Repository) -> Replayer<'r> {
        Replayer {
            repo,
            shelf: Shelf::default(),
            register: None,
            replayed: None,
            outcome: None,
        }
    }

    /// Replays `commit` before its changes are read: when its command writes only what it
    /// derives (no file the user brought), the tree the command makes is computed in memory and,
    /// when it is the commit's own tree, what the commit changed follows from the command —
    /// the large month folders are never read back. Returns those changes in that case.
    pub(super) fn prepare(
        &mut self,
        judged_by: Option<Oid>,
        folders: &mut FolderCache,
        commit: &Commit<'_>,
        entry: &Entry,
    ) -> Result<Option<Vec<Delta>>, git2::Error> {
        self.replayed = None;
        self.outcome = None;
        let name = entry.trailer("Command").unwrap_or_default();
        let sound = ["Command", "Args", "Actor", "Role"]
            .iter()
            .all(|k| entry.all(k).len() == 1)
            && entry.all("Claim").len() <= 1;
        if !sound || name == "intake" || name == "authority propose" {
            return Ok(None); // judged with the changes read from the tree
        }
        let outcome = self.run(judged_by, folders, commit, entry)?;
        let fast = match &outcome {
            Ok((change, _)) if change.files.iter().all(|f| !f.supplied) => {
                let parent = commit.parent(0)?;
                let changes: Vec<FileChange> = change
                    .files
                    .iter()
                    .map(|f| FileChange {
                        path: f.path.clone(),
                        content: f.content.clone(),
                    })
                    .collect();
                match tree_with(self.repo, Some(parent.tree_id()), &changes, folders) {
                    Ok(id) if id == commit.tree_id() => {
                        let tip = Tip::for_commit(self.repo, parent, "refs/heads/audit")
                            .with_folders(folders);
                        let mut deltas = Vec::new();
                        for f in &change.files {
                            let old = tip
                                .blob_at(&f.path)
                                .ok()
                                .flatten()
                                .map(|(id, mode)| (id, mode as u32));
                            let new = f
                                .content
                                .as_deref()
                                .map(|c| {
                                    Oid::hash_object(ObjectType::Blob, c).map(|id| (id, 0o100644))
                                })
                                .transpose()?;
                            if old != new {
                                deltas.push(Delta {
                                    path: f.path.clone(),
                                    old,
                                    new,
                                });
                            }
                        }
                        Some(deltas)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        self.outcome = Some((commit.id(), outcome));
        Ok(fast)
    }

    /// The command run again on `commit`'s parent.
    fn run(
        &mut self,
        judged_by: Option<Oid>,
        folders: &FolderCache,
        commit: &Commit<'_>,
        entry: &Entry,
    ) -> Result<Replayed, git2::Error> {
        let name = entry.trailer("Command").unwrap_or_default().to_string();
        let args = entry.trailer("Args").unwrap_or_default().to_string();
        let claim = entry.trailer("Claim").map(str::to_string);
        let parent = commit.parent(0)?;
        let tip =
            Tip::for_commit(self.repo, parent.clone(), "refs/heads/audit").with_folders(folders);
        let known = self
            .register
            .take()
            .filter(|(at, _)| *at == parent.id())
            .map(|(_, r)| r);
        let snapshot = Snapshot::new(&tip, &self.shelf, known).judged_by(judged_by);
        let outcome = self.replay(commit, entry, &snapshot, &name, &args, claim.as_deref());
        if let Some(r) = snapshot.into_register() {
            self.register = Some((parent.id(), r));
        }
        Ok(outcome)
    }

    /// Replays `commit` and reports every way it is not what its command makes.
    pub(super) fn judge(
        &mut self,
        judged_by: Option<Oid>,
        folders: &FolderCache,
        commit: &Commit<'_>,
        entry: &Entry,
        findings: &mut Vec<Finding>,
    ) -> Result<(), git2::Error> {
        let s = short(commit.id());
        let claim = entry.trailer("Claim").map(str::to_string);
        let place = claim
            .as_deref()
            .and_then(|c| c.parse::<crate::domain::claim_id::ClaimId>().ok())
            .and_then(|c| entry.changed.iter().find(|p| c.is_file(p)).cloned())
            .or_else(|| entry.changed.first().cloned())
            .unwrap_or_else(|| "authority.yaml".into());
        let mut flag = |code, message: String| {
            findings.push(finding(code, &place, claim.as_deref(), message));
        };
        for key in ["Command", "Args", "Actor", "Role", "Claim"] {
            let n = entry.all(key).len();
            if n > 1 || (n == 0 && key != "Claim") {
                flag(
                    "A012",
                    format!(
                        "commit {s} carries {n} `{key}:` trailers; a command's commit carries exactly one"
                    ),
                );
                return Ok(());
            }
        }
        let name = entry.trailer("Command").unwrap_or_default().to_string();
        let outcome = match self.outcome.take() {
            Some((id, outcome)) if id == commit.id() => outcome,
            _ => self.run(judged_by, folders, commit, entry)?,
        };
        match outcome {
            Ok((change, expected)) => {
                let problems = self.compare(commit, entry, &change, &expected)?;
                if problems.is_empty() {
                    // The claims as the commit holds them: the next commits read these, and
                    // the register follows from them.
                    self.shelf.keep_written(&change);
                    self.replayed = Some(change.claims);
                }
                for problem in problems {
                    flag(
                        "A010",
                        format!(
                            "commit {s} (`{name}` by {}) is not what the command makes of its parent: {problem}",
                            entry.author_email
                        ),
                    );
                }
            }
            Err(Failure::Trailers(why)) => flag("A012", format!("commit {s}: {why}")),
            Err(Failure::Refused(why)) => flag(
                "A009",
                format!(
                    "commit {s}: `{name}` by {}, replayed at its parent, is refused: {why}",
                    entry.author_email
                ),
            ),
        }
        Ok(())
    }

    /// The command run again: its change and the commit it would make.
    fn replay(
        &self,
        commit: &Commit<'_>,
        entry: &Entry,
        snapshot: &Snapshot,
        name: &str,
        args: &str,
        claim: Option<&str>,
    ) -> Result<(Change, Identity), Failure> {
        let settings = snapshot
            .settings()
            .map_err(|e| Failure::Refused(e.one_line()))?;
        let settings = settings
            .as_ref()
            .as_ref()
            .map_err(|e| Failure::Refused(e.clone()))?;
        let now = time_of(commit.author().when());
        let desk = Desk::new(
            &settings.office,
            &settings.calendar,
            &entry.author_email,
            now,
            snapshot,
        )
        .map_err(|e| Failure::Refused(e.one_line()))?;
        let command = recorded(self.repo, commit, entry, name, args, claim, false)
            .map_err(Failure::Trailers)?;
        let change = command
            .apply(&desk)
            .map_err(|e| Failure::Refused(e.one_line()))?;
        let identity = Identity {
            name: desk.actor.name.clone(),
            email: desk.actor.email.clone(),
            when: change.at,
        };
        Ok((change, identity))
    }

    /// How the commit differs from the one the command makes (empty: it is that commit).
    fn compare(
        &self,
        commit: &Commit<'_>,
        entry: &Entry,
        change: &Change,
        expected: &Identity,
    ) -> Result<Vec<String>, git2::Error> {
        let mut problems = Vec::new();
        let actual: BTreeMap<&str, Option<(Oid, u32)>> = entry
            .deltas
            .iter()
            .map(|d| (d.path.as_str(), d.new))
            .collect();
        let parent_tree = commit.parent(0)?.tree()?;
        for f in &change.files {
            let got = match actual.get(f.path.as_str()) {
                Some(g) => *g,
                // Not among the changes: as the parent had it.
                None => parent_tree
                    .get_path(std::path::Path::new(&f.path))
                    .ok()
                    .map(|e| (e.id(), e.filemode() as u32)),
            };
            match (&f.content, got) {
                (None, None) => {}
                (None, Some(_)) => {
                    problems.push(format!("it keeps {}, which the command deletes", f.path))
                }
                (Some(_), None) => {
                    problems.push(format!("it lacks {}, which the command writes", f.path))
                }
                (Some(_), Some((_, mode))) if mode != 0o100644 => {
                    problems.push(format!("{} has mode {mode:o}, not a plain file", f.path))
                }
                (Some(_), Some(_)) if f.supplied => {}
                (Some(content), Some((id, _))) => {
                    let want = Oid::hash_object(ObjectType::Blob, content)?;
                    if want != id {
                        let got = String::from_utf8_lossy(&super::blob(self.repo, id)).to_string();
                        let made = String::from_utf8_lossy(content).to_string();
                        problems.push(if is_claim_file(&f.path) {
                            format!(
                                "{} differs ({}; the command makes {})",
                                f.path,
                                what_changed(&made, &got),
                                guarded_words(&made, &got)
                            )
                        } else {
                            format!("{} differs: {}", f.path, what_changed(&made, &got))
                        });
                    }
                }
            }
        }
        let expected_paths: std::collections::BTreeSet<&str> =
            change.files.iter().map(|f| f.path.as_str()).collect();
        for d in &entry.deltas {
            if !expected_paths.contains(d.path.as_str()) {
                problems.push(format!(
                    "it also {} {}, which the command does not touch",
                    if d.new.is_some() {
                        "changes"
                    } else {
                        "deletes"
                    },
                    d.path
                ));
            }
        }
        let message = commit.message_raw().unwrap_or("");
        let want = format!("{}\n", change.message().trim_end());
        if message != want {
            problems.push(format!(
                "its message differs from the command's: {}",
                what_changed(&want, message)
            ));
        }
        for (who, sig) in [
            ("author", commit.author()),
            ("committer", commit.committer()),
        ] {
            // The committer's time is when the command reached the branch: later than it was
            // worked when `claims sync` replayed it (how much later, the clock rule judges).
            let timed = who == "committer" && sig.when().seconds() > expected.when.timestamp();
            let same = sig.name() == Ok(expected.name.as_str())
                && sig.email() == Ok(expected.email.as_str())
                && (timed
                    || (time_of(sig.when()) == expected.when
                        && time_of(sig.when()).offset() == expected.when.offset()));
            if !same {
                problems.push(format!(
                    "its {who} is {} <{}> at {}, not {} <{}> at {}",
                    sig.name().unwrap_or(""),
                    sig.email().unwrap_or(""),
                    time_of(sig.when()).to_rfc3339(),
                    expected.name,
                    expected.email,
                    expected.when.to_rfc3339()
                ));
            }
        }
        Ok(problems)
    }

    /// Policy number → line of business, as the commit's tree has the policies.
    pub(super) fn policy_lines_at(
        &self,
        commit: &Commit<'_>,
    ) -> std::collections::HashMap<String, crate::domain::claim::LineOfBusiness> {
        let tip = Tip::for_commit(self.repo, commit.clone(), "refs/heads/audit");
        crate::workflow::Records::policy_lines(&Snapshot::new(&tip, &self.shelf, None)).clone()
    }

    /// Carries the register from `commit`'s parent to `commit`, whatever the commit was.
    pub(super) fn follow(&mut self, commit: &Commit<'_>, entry: &Entry) -> Result<(), git2::Error> {
        let replayed = self.replayed.take();
        let Some((at, mut register)) = self.register.take() else {
            return Ok(());
        };
        if entry.parents.first() != Some(&at) || entry.parents.len() != 1 {
            return Ok(()); // another line of history: built again when needed
        }
        if let Some(claims) = replayed {
            for c in &claims {
                register.update(c.before.as_ref(), c.after.as_ref());
            }
            self.register = Some((commit.id(), register));
            return Ok(());
        }
        let parse = |id: Option<(Oid, u32)>, path: &str| -> Option<Claim> {
            let bytes = super::blob(self.repo, id?.0);
            parse_claim_text(path, std::str::from_utf8(&bytes).ok()?).ok()
        };
        for d in entry.deltas.iter().filter(|d| is_claim_file(&d.path)) {
            let before = parse(d.old, &d.path);
            let after = parse(d.new, &d.path);
            register.update(before.as_ref(), after.as_ref());
        }
        self.register = Some((commit.id(), register));
        Ok(())
    }
}

/// The commit the command makes: its author and committer.
pub(super) struct Identity {
    name: String,
    email: String,
    when: DateTime<FixedOffset>,
}

/// A command run again: its change and the commit it makes, or why it cannot be run.
type Replayed = Result<(Change, Identity), Failure>;

enum Failure {
    /// The trailers do not name a command that can be run.
    Trailers(String),
    /// The command, run on the parent, is refused.
    Refused(String),
}

/// What of the money, status and approvals the committed claim claims beyond what the
/// command makes, in words.
fn guarded_words(made: &str, got: &str) -> String {
    let (Ok(m), Ok(g)) = (
        crate::store::files::parse_yaml::<Claim>(made),
        crate::store::files::parse_yaml::<Claim>(got),
    ) else {
        return "a different file".into();
    };
    let parts = super::hand::guarded_parts(&m, &g);
    if parts.is_empty() {
        "other words".into()
    } else {
        format!("different {}", parts.join(", "))
    }
}
