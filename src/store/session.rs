//! A working session in an office: who is acting, with which key, at what time — and the one
//! path by which every command changes records: read the claim from the branch tip, apply the
//! change, re-check it, write the canonical file and exactly one signed commit.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use git2::Repository;

use crate::check::rules::{check_claim, OfficeIndex};
use crate::domain::claim::{Claim, Timestamp};
use crate::domain::claim_id::ClaimId;
use crate::domain::office::{Office, Permission, Person};
use crate::error::{Error, Result};
use crate::store::batch::Batch;
use crate::store::files::{find_office_root, load_office, parse_claim_text};
use crate::store::git::{
    commit_change, uncommitted_edits_with, CommitError, FileChange, Identity, Prepared, Tip,
};
use crate::store::signing::{allowed_signers, signer_from_git_config, Signer};
use crate::store::yaml::to_canonical_yaml;

/// The office as read from disk, with its time zone and clock.
pub struct Workspace {
    pub root: PathBuf,
    pub office: Office,
    pub tz: chrono_tz::Tz,
}

impl Workspace {
    pub fn open(explicit: Option<&Path>) -> Result<Workspace> {
        let root = find_office_root(explicit)?;
        let office = load_office(&root)?;
        let tz = office
            .office
            .timezone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                Error::refused(format!(
                    "authority.yaml: office.timezone `{}` is not an IANA time zone",
                    office.office.timezone
                ))
            })?;
        Ok(Workspace { root, office, tz })
    }

    /// Now, in the office's time zone. `CLAIMS_NOW` (RFC 3339) fixes the clock for tests and
    /// reproducible demos.
    pub fn now(&self) -> Result<Timestamp> {
        office_now(self.tz)
    }
}

pub fn office_now(tz: chrono_tz::Tz) -> Result<Timestamp> {
    let utc = match std::env::var("CLAIMS_NOW") {
        Ok(s) if !s.trim().is_empty() => DateTime::parse_from_rfc3339(s.trim())
            .map_err(|e| Error::usage(format!("CLAIMS_NOW `{s}` is not an RFC 3339 time: {e}")))?
            .with_timezone(&Utc),
        _ => Utc::now(),
    };
    // Records and commits carry whole seconds; sub-second digits are noise to a reader.
    let local = utc.trunc_subsecs(0).with_timezone(&tz);
    Ok(local.with_timezone(&local.offset().fix()))
}

use chrono::Offset;

/// The person acting: the one in authority.yaml whose email is git's `user.email`, or `--as`.
pub struct Actor {
    pub email: String,
    pub name: String,
    pub role: String,
}

/// What a change to one claim produced: the commit subject, trailers, and files beside it.
pub struct ClaimChange {
    pub subject: String,
    pub body: Option<String>,
    /// Extra trailers (Amount, Reason, Authority ...) after Claim/Command/Actor/Role.
    pub trailers: Vec<(String, String)>,
    /// Files written with the claim (letters, attachments), repository-relative.
    pub files: Vec<FileChange>,
}

impl ClaimChange {
    pub fn new(subject: impl Into<String>) -> ClaimChange {
        ClaimChange {
            subject: subject.into(),
            body: None,
            trailers: Vec::new(),
            files: Vec::new(),
        }
    }

    pub fn trailer(mut self, key: &str, value: impl Into<String>) -> ClaimChange {
        self.trailers.push((key.to_string(), value.into()));
        self
    }
}

/// The result of a change: the commit (none on a dry run), its message and the new claim.
pub struct Committed {
    pub commit: Option<git2::Oid>,
    pub message: String,
    pub claim: Claim,
    pub path: String,
    pub before: Option<String>,
    pub after: String,
    pub files: Vec<String>,
}

pub struct Session {
    pub ws: Workspace,
    pub repo: Repository,
    pub actor: Actor,
    signer: Box<dyn Signer>,
    /// Policy lines, read once per session (batch commands change thousands of claims).
    policy_lobs: std::sync::OnceLock<
        std::collections::HashMap<String, crate::domain::claim::LineOfBusiness>,
    >,
    /// Set while [`Session::batch`] runs: changes go into it instead of straight to the branch.
    batch: std::cell::RefCell<Option<Batch>>,
    /// HEAD's folders as read for the uncommitted-edits check, by id.
    head_folders: std::cell::RefCell<crate::store::git::FolderCache>,
}

impl Session {
    /// Opens the office for changes as `as_email` (or git's user.email), with that person's key.
    pub fn open(ws: Workspace, as_email: Option<&str>) -> Result<Session> {
        let repo = crate::store::files::open_repository(&ws.root)?;
        let config = repo.config()?.snapshot()?;
        let email = match as_email {
            Some(e) => e.to_string(),
            None => config.get_string("user.email").map_err(|_| {
                Error::environment("git has no user.email here, so the tool cannot tell who is acting")
                    .hint("run `git config user.email YOU@EXAMPLE.COM` with the email authority.yaml lists for you")
            })?,
        };
        let person: &Person = ws.office.person(&email).ok_or_else(|| {
            Error::refused(format!(
                "{email} is not a person in authority.yaml, so they hold no authority here"
            ))
            .hint("a supervisor adds people to authority.yaml in a signed commit")
        })?;
        if !person.active {
            return Err(Error::refused(format!(
                "{email} is no longer active in authority.yaml"
            )));
        }
        let key_override =
            as_email.and_then(|e| config.get_string(&format!("claims.{e}.signingkey")).ok());
        let own_email = config.get_string("user.email").ok();
        let acting_as_other =
            as_email.is_some() && !own_email.is_some_and(|o| o.eq_ignore_ascii_case(&email));
        if key_override.is_none() && acting_as_other {
            // Never sign one person's change with another person's key.
            return Err(
                Error::environment(format!("no signing key configured for {email}")).hint(format!(
                    "run `git config claims.{email}.signingkey PATH-TO-THEIR-PRIVATE-KEY`"
                )),
            );
        }
        let signer = signer_from_git_config(&config, key_override.as_deref())?;
        let actor = Actor {
            email: person.email.clone(),
            name: person.name.clone(),
            role: person.role.clone(),
        };
        let session = Session {
            ws,
            repo,
            actor,
            signer,
            policy_lobs: Default::default(),
            batch: Default::default(),
            head_folders: Default::default(),
        };
        session.sync_allowed_signers()?;
        Ok(session)
    }

    /// Keeps `.git/claims/allowed_signers` equal to the keys in authority.yaml, so that plain
    /// `git verify-commit` agrees with the office's own list of people and keys.
    fn sync_allowed_signers(&self) -> Result<()> {
        let path = allowed_signers_path(&self.repo);
        let text = allowed_signers_for(&self.ws.office);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
            }
            std::fs::write(&path, text).map_err(|e| Error::io(path.display(), e))?;
        }
        Ok(())
    }

    pub fn now(&self) -> Result<Timestamp> {
        self.ws.now()
    }

    /// Refuses unless the actor's role grants `what`.
    pub fn require(&self, what: Permission, doing: &str) -> Result<()> {
        if self.ws.office.may(&self.actor.email, what) {
            Ok(())
        } else {
            Err(Error::refused(format!(
                "{} ({}) may not {doing}: the role lacks the `{}` permission in authority.yaml",
                self.actor.email,
                self.actor.role,
                serde_yaml::to_string(&what).unwrap_or_default().trim()
            )))
        }
    }

    fn identity(&self, when: Timestamp) -> Identity {
        Identity {
            name: self.actor.name.clone(),
            email: self.actor.email.clone(),
            when,
        }
    }

    fn message(&self, id: &str, command: &str, change: &ClaimChange) -> String {
        let mut m = change.subject.trim().to_string();
        if let Some(body) = &change.body {
            m.push_str("\n\n");
            m.push_str(body.trim());
        }
        m.push_str("\n\n");
        let mut trailers = vec![
            ("Claim".to_string(), id.to_string()),
            ("Command".to_string(), command.to_string()),
            ("Actor".to_string(), self.actor.email.clone()),
            ("Role".to_string(), self.actor.role.clone()),
        ];
        trailers.extend(change.trailers.iter().cloned());
        for (k, v) in trailers {
            let v: String = v.split_whitespace().collect::<Vec<_>>().join(" ");
            m.push_str(&format!("{k}: {v}\n"));
        }
        m
    }

    /// Changes one existing claim. `apply` runs against the claim as it stands at the branch
    /// tip (again, if another process committed first); the result must pass the claim rules
    /// that the original passed, or the change is refused.
    pub fn change_claim<F>(
        &self,
        id: &ClaimId,
        command: &str,
        dry_run: bool,
        mut apply: F,
    ) -> Result<Committed>
    where
        F: FnMut(&mut Claim, Timestamp) -> Result<ClaimChange>,
    {
        let path = id.file_path();
        let dirty = uncommitted_edits_with(&self.repo, &[path.as_str()], Some(&self.head_folders))?;
        if !dirty.is_empty() {
            return Err(Error::refused(format!(
                "{path} has uncommitted edits; the tool will not overwrite them"
            ))
            .hint(format!("review them with `git diff -- {path}`, then commit them or discard them with `git checkout -- {path}`")));
        }
        let now = self.now()?;
        let mut result: Option<(Claim, String, Option<String>, Vec<String>)> = None;
        let mut domain_error: Option<Error> = None;
        let mut prepare =
            |tip: &crate::store::git::Tip| -> std::result::Result<Prepared, CommitError> {
                let before = match tip.read(&path)? {
                    Some(bytes) => String::from_utf8(bytes)
                        .map_err(|_| CommitError::Refused(format!("{path} is not UTF-8")))?,
                    None => {
                        return Err(CommitError::Refused(format!(
                            "no claim {id} (no file {path} on the branch)"
                        )))
                    }
                };
                let mut claim = parse_claim_text(&path, &before)
                    .map_err(|e| CommitError::Refused(e.message))?;
                let original = claim.clone();
                let change = match apply(&mut claim, now) {
                    Ok(c) => c,
                    Err(e) => {
                        let msg = e.message.clone();
                        domain_error = Some(e);
                        return Err(CommitError::Refused(msg));
                    }
                };
                if let Err(e) = self.guard_rules(&original, &claim, &path) {
                    let msg = e.message.clone();
                    domain_error = Some(e);
                    return Err(CommitError::Refused(msg));
                }
                let message = self.message(id.as_str(), command, &change);
                let (after, changes, files) =
                    claim_files(&path, &claim, change.files).map_err(CommitError::Refused)?;
                result = Some((claim, after, Some(before), files));
                Ok(Prepared { changes, message })
            };
        if dry_run {
            let head = self.repo.head()?;
            let tip_commit = head.peel_to_commit()?;
            let tip = crate::store::git::Tip::for_commit(
                &self.repo,
                tip_commit,
                head.name().unwrap_or("HEAD"),
            );
            let prepared =
                prepare(&tip).map_err(|e| domain_error.take().unwrap_or_else(|| Error::from(e)))?;
            let (claim, after, before, files) = result.take().expect("prepared");
            return Ok(Committed {
                commit: None,
                message: prepared.message,
                claim,
                path,
                before,
                after,
                files,
            });
        }
        let identity = self.identity(now);
        let mut message = String::new();
        let oid = self
            .commit(&identity, |tip| {
                let p = prepare(tip)?;
                message = p.message.clone();
                Ok(p)
            })
            .map_err(|e| domain_error.take().unwrap_or_else(|| Error::from(e)))?;
        let (claim, after, before, files) = result.take().expect("committed");
        Ok(Committed {
            commit: Some(oid),
            message,
            claim,
            path,
            before,
            after,
            files,
        })
    }

    /// Writes a new claim (intake). Refuses if a claim with that id already exists.
    pub fn create_claim(
        &self,
        claim: Claim,
        command: &str,
        change: ClaimChange,
        dry_run: bool,
    ) -> Result<Committed> {
        let id: ClaimId = claim
            .id
            .parse()
            .map_err(|e| Error::refused(format!("claim id `{}`: {e}", claim.id)))?;
        let path = id.file_path();
        let message = self.message(id.as_str(), command, &change);
        let (after, changes, files) =
            claim_files(&path, &claim, change.files).map_err(Error::refused)?;
        if dry_run {
            return Ok(Committed {
                commit: None,
                message,
                claim,
                path,
                before: None,
                after,
                files,
            });
        }
        let identity = self.identity(claim.received_at.max(self.now()?));
        let oid = self.commit(&identity, |tip| {
            if tip.read(&path)?.is_some() {
                return Err(CommitError::Refused(format!("claim {id} already exists")));
            }
            Ok(Prepared {
                changes: changes.clone(),
                message: message.clone(),
            })
        })?;
        Ok(Committed {
            commit: Some(oid),
            message,
            claim,
            path,
            before: None,
            after,
            files,
        })
    }

    /// One signed commit: straight onto the branch, or into the running batch.
    fn commit<F>(
        &self,
        identity: &Identity,
        prepare: F,
    ) -> std::result::Result<git2::Oid, CommitError>
    where
        F: FnMut(&Tip) -> std::result::Result<Prepared, CommitError>,
    {
        match self.batch.borrow_mut().as_mut() {
            Some(batch) => batch.commit(identity, self.signer.as_ref(), prepare),
            None => commit_change(&self.repo, identity, self.signer.as_ref(), prepare),
        }
    }

    /// Runs `work` as one batch (see [`crate::store::batch`]): every change it makes is still
    /// one signed commit, but they are published together when `work` succeeds — or not at
    /// all when it fails. Returns `work`'s result and the commits published, in the order
    /// made; commit ids in the [`Committed`] values `work` saw are final only if no other
    /// writer moved the branch meanwhile, so report the ids returned here.
    pub fn batch<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<(T, Vec<git2::Oid>)> {
        if self.batch.borrow().is_some() {
            return Ok((work()?, Vec::new())); // already inside one: part of it
        }
        *self.batch.borrow_mut() = Some(Batch::begin(self.repo.path())?);
        let outcome = work();
        let batch = self
            .batch
            .borrow_mut()
            .take()
            .expect("the batch begun above");
        let value = outcome?; // dropping the batch publishes nothing
        let ids = batch.finish(self.signer.as_ref())?;
        housekeep(&self.ws.root);
        Ok((value, ids))
    }

    /// A change may not introduce rule violations the claim did not already have.
    fn guard_rules(&self, before: &Claim, after: &Claim, path: &str) -> Result<()> {
        let no_ids = Default::default();
        let ix = OfficeIndex {
            office: Some(&self.ws.office),
            tz: self.ws.tz,
            policies: self.policy_lobs.get_or_init(|| policy_lobs(&self.ws.root)),
            claim_ids: &no_ids,
        };
        let old: Vec<_> = check_claim(before, path, &ix)
            .into_iter()
            .map(|i| (i.code, i.field))
            .collect();
        let new: Vec<_> = check_claim(after, path, &ix)
            .into_iter()
            .filter(|i| i.code != "R004" && !old.contains(&(i.code, i.field.clone())))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let mut e = Error::refused(format!(
            "the change would leave {path} invalid; nothing was written"
        ));
        for i in new {
            e = e.hint(format!(
                "error[{}] {}: {}",
                i.code,
                i.field.as_deref().unwrap_or("-"),
                i.message
            ));
        }
        Err(e)
    }
}

/// The claim's canonical file followed by the change's other files; also returns the file
/// text and the list of paths, for reports and dry runs.
fn claim_files(
    path: &str,
    claim: &Claim,
    extra: Vec<FileChange>,
) -> std::result::Result<(String, Vec<FileChange>, Vec<String>), String> {
    let after = to_canonical_yaml(claim).map_err(|e| format!("cannot write {path}: {e}"))?;
    let mut changes = vec![FileChange {
        path: path.to_string(),
        content: Some(after.clone().into_bytes()),
    }];
    changes.extend(extra);
    let files = changes.iter().map(|c| c.path.clone()).collect();
    Ok((after, changes, files))
}

/// Each batch leaves a few packs; as `git commit` does, let git consolidate them once there
/// are many (`git gc --auto` does nothing below its thresholds and works in the background).
/// Best effort: a missing `git` changes nothing.
fn housekeep(root: &Path) {
    let _ = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["gc", "--auto", "--quiet"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

/// Policy number → line of business.
pub fn policy_lobs(
    root: &Path,
) -> std::collections::HashMap<String, crate::domain::claim::LineOfBusiness> {
    crate::store::files::load_policies(root)
        .into_iter()
        .map(|(n, p)| (n, p.lob))
        .collect()
}

pub fn allowed_signers_path(repo: &Repository) -> PathBuf {
    repo.path().join("claims").join("allowed_signers")
}

/// The allowed-signers file for every person with an SSH key in authority.yaml.
pub fn allowed_signers_for(office: &Office) -> String {
    let entries: Vec<(String, String)> = office
        .people
        .iter()
        .filter_map(|p| {
            let key = p.signing_key.as_deref()?;
            (!key.starts_with("openpgp:")).then(|| (p.email.clone(), key.to_string()))
        })
        .collect();
    allowed_signers(&entries)
}
