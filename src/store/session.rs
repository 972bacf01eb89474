//! A working session in an office: who is acting, with which key, at what time — and the one
//! path by which every command changes records: the [`Command`] is worked at the branch tip (a
//! [`Desk`] over a [`Snapshot`] of it) and the [`Change`] it returns becomes exactly one signed
//! commit, made again from the new tip if another writer moved the branch first.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use git2::Repository;

use chrono::Offset;

use crate::domain::claim::{Claim, Timestamp};
use crate::domain::office::OfficeInfo;
use crate::domain::office::{parse_signing_key, Office, Permission, Person};
use crate::error::{Error, Result};
use crate::letters::Email;
use crate::store::batch::Batch;
use crate::store::files::{find_office_root, load_office};
use crate::store::git::{
    commit_change, uncommitted_edits_locked, CommitError, FileChange, Identity, Prepared, Tip,
};
use crate::store::landing::Outgoing;
use crate::store::signing::{allowed_signers, signer_from_git_config, Signer};
use crate::store::snapshot::{Parsed, Settings, Shelf, Snapshot};
use crate::workflow::{Change, Command, Desk, Register};

/// The office as read from the working tree, with its time zone and clock (for the commands
/// that read records; changes are worked on the branch tip).
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

/// The person acting: the one in authority.yaml whose email is git's `user.email`, or `--as`.
pub struct Actor {
    pub email: String,
    pub name: String,
    pub role: String,
}

pub struct Session {
    pub root: PathBuf,
    pub repo: Repository,
    pub actor: Actor,
    signer: Box<dyn Signer>,
    /// The office's time zone (for the clock), as committed at the tip.
    tz: chrono_tz::Tz,
    /// authority.yaml, policies and templates as parsed at the commits the session works on.
    shelf: Shelf,
    /// The register at a commit (the tip the last command was worked on, and committed).
    register: RefCell<Option<(git2::Oid, Register)>>,
    /// The register after the command being committed, until its commit id is known.
    pending_register: RefCell<Option<Register>>,
    outbox: RefCell<Option<PathBuf>>,
    delivered: RefCell<Vec<PathBuf>>,
    /// Set while [`Session::batch`] runs: changes go into it instead of straight to the branch.
    batch: RefCell<Option<Batch>>,
    /// HEAD's folders as read for the uncommitted-edits check, by id.
    head_folders: RefCell<crate::store::git::FolderCache>,
    /// While [`Session::replay_recorded`] runs: when its command reaches the branch.
    landed: std::cell::Cell<Option<Timestamp>>,
}

impl Session {
    /// Opens the office for changes as `as_email` (or git's user.email), with that person's
    /// key — refused unless authority.yaml, as committed at the branch tip, names them active
    /// with that very key.
    pub fn open(explicit: Option<&Path>, as_email: Option<&str>) -> Result<Session> {
        let root = find_office_root(explicit)?;
        let repo = crate::store::files::open_repository(&root)?;
        crate::store::landing::recover(&repo)?;
        let config = repo.config()?.snapshot()?;
        let email = match as_email {
            Some(e) => e.to_string(),
            None => config.get_string("user.email").map_err(|_| {
                Error::environment("git has no user.email here, so the tool cannot tell who is acting")
                    .hint("run `git config user.email YOU@EXAMPLE.COM` with the email authority.yaml lists for you")
            })?,
        };
        // A batch reads again little of what it wrote (a duplicate merged into a claim taken
        // in moments before): a small shelf, rather than thousands of claims held.
        let shelf = Shelf::holding(256);
        let settings = tip_settings(&repo, &shelf)?;
        let settings = settings
            .as_ref()
            .as_ref()
            .map_err(|e| Error::refused(e.clone()))?;
        let office = &settings.office;
        let person: &Person = office.person(&email).ok_or_else(|| {
            Error::refused(format!(
                "{email} is not a person in authority.yaml, so they hold no authority here"
            ))
            .hint("a manager adds people to authority.yaml (`claims authority propose`)")
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
        refuse_foreign_key(office, person, signer.as_ref())?;
        let actor = Actor {
            email: person.email.clone(),
            name: person.name.clone(),
            role: person.role.clone(),
        };
        let allowed = allowed_signers_for(office);
        let tz = settings.tz;
        let session = Session {
            root,
            repo,
            actor,
            signer,
            tz,
            shelf,
            register: Default::default(),
            pending_register: Default::default(),
            outbox: Default::default(),
            delivered: Default::default(),
            batch: Default::default(),
            head_folders: Default::default(),
            landed: Default::default(),
        };
        session.sync_allowed_signers(&allowed)?;
        Ok(session)
    }

    /// Keeps `.git/claims/allowed_signers` equal to the keys in authority.yaml, so that plain
    /// `git verify-commit` agrees with the office's own list of people and keys.
    fn sync_allowed_signers(&self, text: &str) -> Result<()> {
        use crate::store::nofollow;
        let path = allowed_signers_path(&self.repo);
        nofollow::refuse_link(&path).map_err(|e| Error::io(path.display(), e))?;
        if nofollow::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            if let Some(dir) = path.parent() {
                nofollow::create_dir(dir).map_err(|e| Error::io(dir.display(), e))?;
            }
            use std::io::Write;
            nofollow::options()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)
                .and_then(|mut f| f.write_all(text.as_bytes()))
                .map_err(|e| Error::io(path.display(), e))?;
        }
        Ok(())
    }

    /// Signs a throw-away payload with the acting person's key: proof that the key can sign
    /// (`claims doctor`), without a commit.
    pub fn probe_signing(&self) -> Result<()> {
        self.signer.sign(b"claims doctor: can this key sign?")?;
        Ok(())
    }

    /// Now, in the office's time zone (`CLAIMS_NOW` fixes the clock).
    pub fn now(&self) -> Result<Timestamp> {
        office_now(self.tz)
    }

    /// Refuses unless the actor's role, as committed at the tip, grants `what`.
    pub fn require(&self, what: Permission, doing: &str) -> Result<()> {
        self.at_tip(|desk| desk.require(what, doing))
    }

    fn identity(&self, when: Timestamp) -> Identity {
        Identity {
            name: self.actor.name.clone(),
            email: self.actor.email.clone(),
            when,
            landed: self.landed.get(),
        }
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
        let failure = RefCell::new(None);
        let mut again = Again {
            session: self,
            failure: &failure,
        };
        let ids = batch
            .finish(self.signer.as_ref(), &mut again)
            .map_err(|e| failure.take().unwrap_or_else(|| Error::from(e)))?;
        housekeep(&self.root);
        Ok((value, ids))
    }

    /// Works `command` at the branch tip and commits its change as one signed commit (into
    /// the running batch, if one runs), at the session's clock.
    pub fn run(&self, command: &Command, dry_run: bool) -> Result<Done> {
        self.run_at(command, self.now()?, dry_run)
    }

    /// Works a command recorded in a clone at `worked` (`claims sync` brings it to the office)
    /// at the tip now: it keeps the time it was worked, and reaches the branch at the
    /// session's clock — the commit's author and committer times (see [`crate::audit::clock`]).
    pub fn replay_recorded(&self, command: &Command, worked: Timestamp) -> Result<Done> {
        let landed = self.now()?.max(worked);
        self.landed.set(Some(landed));
        let done = self.run_at(command, worked, false);
        self.landed.set(None);
        done
    }

    /// [`Session::run`] at a given time (a first notice is committed no earlier than it was
    /// received).
    pub fn run_at(&self, command: &Command, now: Timestamp, dry_run: bool) -> Result<Done> {
        let failure = RefCell::new(None);
        let mut done: Option<Done> = None;
        let mut prepare = |tip: &Tip| -> std::result::Result<Prepared, CommitError> {
            let (prepared, d) = self.prepare(command, now, tip).map_err(|e| {
                let msg = e.message.clone();
                *failure.borrow_mut() = Some(e);
                CommitError::Refused(msg)
            })?;
            done = Some(d);
            Ok(prepared)
        };
        let fail = |e: CommitError| failure.take().unwrap_or_else(|| Error::from(e));
        if dry_run {
            let head = self.repo.head()?;
            let tip = Tip::for_commit(
                &self.repo,
                head.peel_to_commit()?,
                head.name().unwrap_or("HEAD"),
            );
            prepare(&tip).map_err(fail)?;
            let done = done.take().expect("prepared");
            // Nothing landed: the register goes back to the tip as it is, so the next dry
            // run of a batch reads it from memory rather than from every claim again.
            if let (Some(mut r), Some(at)) = (self.pending_register.borrow_mut().take(), tip.id()) {
                for c in done.change.claims.iter().rev() {
                    r.update(c.after.as_ref(), c.before.as_ref());
                }
                *self.register.borrow_mut() = Some((at, r));
            }
            return Ok(done);
        }
        let identity = self.identity(now);
        let oid = self.commit(&identity, &mut prepare).map_err(fail)?;
        if let Some(r) = self.pending_register.borrow_mut().take() {
            *self.register.borrow_mut() = Some((oid, r));
        }
        let mut done = done.take().expect("committed");
        done.commit = Some(oid);
        self.shelf.keep_written(&done.change);
        let in_batch = self.batch.borrow().is_some();
        if done.change.files.iter().any(|f| f.path == "authority.yaml") && !in_batch {
            // People or keys may have changed: plain git verifies by the new file. The commit
            // landed: a failure here is a warning (the next command writes the file again).
            let synced = self
                .settings()
                .and_then(|settings| match settings.as_ref() {
                    Ok(s) => self.sync_allowed_signers(&allowed_signers_for(&s.office)),
                    Err(_) => Ok(()),
                });
            if let Err(e) = synced {
                crate::store::notices::warn(format!(
                    "committed, but the allowed-signers file could not be updated: {}",
                    e.message
                ));
            }
        }
        let outbox = self.outbox_dir();
        self.delivered
            .borrow_mut()
            .extend(done.change.mail.iter().map(|e| outbox.join(&e.file_name)));
        Ok(done)
    }

    /// The command worked at `tip`: the commit it makes there, and what it did.
    fn prepare(&self, command: &Command, now: Timestamp, tip: &Tip) -> Result<(Prepared, Done)> {
        let times = crate::audit::clock::Times {
            worked: now,
            landed: self.landed.get().unwrap_or(now),
        };
        let parent = tip
            .commit()
            .map(|p| crate::audit::clock::Times::of(p).landed);
        if let Some(why) = crate::audit::clock::judge(times, parent) {
            return Err(Error::refused(format!("the change {why}"))
                .hint("check the computer's clock (and CLAIMS_NOW)"));
        }
        let known = self
            .register
            .borrow_mut()
            .take_if(|(at, _)| Some(*at) == tip.id())
            .map(|(_, r)| r);
        let snapshot = Snapshot::new(tip, &self.shelf, known);
        let settings = snapshot.settings()?;
        let settings = settings
            .as_ref()
            .as_ref()
            .map_err(|e| Error::refused(e.clone()))?;
        let desk = Desk::new(
            &settings.office,
            &settings.calendar,
            &self.actor.email,
            now,
            &snapshot,
        )?;
        let change = command.apply(&desk)?;
        let claim_files: Vec<&str> = change.claims.iter().map(|c| c.path.as_str()).collect();
        let dirty = uncommitted_edits_locked(&self.repo, &claim_files, Some(&self.head_folders))?;
        if let Some(path) = dirty.first() {
            return Err(Error::from(CommitError::Uncommitted { path: path.clone() }));
        }
        let mut register = snapshot.into_register();
        if let Some(r) = register.as_mut() {
            for c in &change.claims {
                r.update(c.before.as_ref(), c.after.as_ref());
            }
        }
        *self.pending_register.borrow_mut() = register;
        let (path, after) = change
            .files
            .iter()
            .find(|f| !f.supplied && f.content.is_some())
            .map(|f| {
                (
                    f.path.clone(),
                    String::from_utf8_lossy(f.content.as_deref().unwrap_or_default()).to_string(),
                )
            })
            .unwrap_or_default();
        let before = tip
            .read(&path)?
            .map(|b| String::from_utf8_lossy(&b).to_string());
        let prepared = Prepared {
            changes: change
                .files
                .iter()
                .map(|f| FileChange {
                    path: f.path.clone(),
                    content: f.content.clone(),
                })
                .collect(),
            message: change.message(),
            mail: self.outgoing(&settings.office.office, &change.mail)?,
        };
        let done = Done {
            commit: None,
            message: prepared.message.clone(),
            files: change.files.iter().map(|f| f.path.clone()).collect(),
            path,
            before,
            after,
            change,
        };
        Ok((prepared, done))
    }

    /// Runs `f` at the desk a command would be worked at now: the branch tip (or the running
    /// batch's last commit), as the session's actor, at the session's clock.
    pub fn at_tip<T>(&self, f: impl FnOnce(&Desk) -> Result<T>) -> Result<T> {
        let now = self.now()?;
        let batch = self.batch.borrow();
        let head;
        let tip = match batch.as_ref() {
            Some(b) => b.tip_view()?,
            None => {
                head = self.repo.head()?;
                Tip::for_commit(
                    &self.repo,
                    head.peel_to_commit()?,
                    head.name().unwrap_or("HEAD"),
                )
            }
        };
        let at = tip.id();
        let known = self
            .register
            .borrow_mut()
            .take_if(|(id, _)| Some(*id) == at)
            .map(|(_, r)| r);
        let snapshot = Snapshot::new(&tip, &self.shelf, known);
        let out = {
            let settings = snapshot.settings()?;
            let settings = settings
                .as_ref()
                .as_ref()
                .map_err(|e| Error::refused(e.clone()))?;
            let desk = Desk::new(
                &settings.office,
                &settings.calendar,
                &self.actor.email,
                now,
                &snapshot,
            )?;
            f(&desk)
        };
        if let (Some(id), Some(r)) = (at, snapshot.into_register()) {
            *self.register.borrow_mut() = Some((id, r));
        }
        out
    }

    /// What `pick` keeps of each claim at the branch tip (for commands that pick their claims:
    /// `--pending`); only what it keeps is held.
    pub fn tip_claims<T: Send>(&self, pick: impl Fn(Claim) -> Option<T> + Sync) -> Result<Vec<T>> {
        let head = self.repo.head()?;
        let tip = Tip::for_commit(
            &self.repo,
            head.peel_to_commit()?,
            head.name().unwrap_or("HEAD"),
        );
        Snapshot::new(&tip, &self.shelf, None).each_claim(pick)
    }

    /// authority.yaml as committed at the branch tip.
    pub fn settings(&self) -> Result<Parsed<Settings>> {
        tip_settings(&self.repo, &self.shelf)
    }

    /// Where notices go: `outbox/` at the office root unless told otherwise.
    fn outbox_dir(&self) -> PathBuf {
        self.outbox
            .borrow()
            .clone()
            .unwrap_or_else(|| self.root.join("outbox"))
    }

    /// The notices of a change as the outbox files they become once it lands.
    fn outgoing(&self, info: &OfficeInfo, mail: &[Email]) -> Result<Vec<Outgoing>> {
        let dir = self.outbox_dir();
        mail.iter()
            .map(|e| {
                Ok(Outgoing {
                    path: dir.join(&e.file_name),
                    bytes: e.to_bytes(info)?,
                })
            })
            .collect()
    }

    /// From now on the actor signs with the private key at `path` (the repository's git
    /// configuration: `claims.EMAIL.signingkey`, and `user.signingkey` when git's user is
    /// the actor).
    pub fn use_signing_key(&self, path: &Path) -> Result<()> {
        let mut config = self.repo.config()?.open_level(git2::ConfigLevel::Local)?;
        let key = path.to_string_lossy();
        config.set_str(&format!("claims.{}.signingkey", self.actor.email), &key)?;
        let own = self
            .repo
            .config()?
            .snapshot()?
            .get_string("user.email")
            .ok();
        if own.is_some_and(|o| o.eq_ignore_ascii_case(&self.actor.email)) {
            config.set_str("user.signingkey", &key)?;
        }
        Ok(())
    }

    /// Records `commit` as audited in a signed checkpoint tag, when the actor's role may
    /// `audit`; returns its name (None: the role may not).
    pub fn sign_checkpoint(&self, commit: git2::Oid) -> Result<Option<String>> {
        if self
            .require(Permission::Audit, "record checkpoints")
            .is_err()
        {
            return Ok(None);
        }
        let now = self.now()?;
        let name = crate::store::checkpoint::record_signed(
            &self.repo,
            commit,
            self.signer.as_ref(),
            &self.identity(now),
            &format!(
                "claims audit: history verified up to {commit}\n\nAuditor: {}\nRole: {}",
                self.actor.email, self.actor.role
            ),
        )?;
        Ok(Some(name))
    }

    /// Brings `paths` in the working tree and index back to the branch tip.
    pub fn restore_from_tip(&self, paths: &[&str]) -> Result<()> {
        let branch = crate::store::git::head_branch(&self.repo)?;
        Ok(crate::store::git::sync_worktree(
            &self.repo, &branch, paths,
        )?)
    }

    /// Where notices go (default: outbox/ at the office root).
    pub fn set_outbox(&self, dir: PathBuf) {
        *self.outbox.borrow_mut() = Some(dir);
    }

    /// The outbox files written so far.
    pub fn delivered(&self) -> Vec<PathBuf> {
        self.delivered.borrow().clone()
    }
}

/// Each batch leaves a few packs; as `git commit` does, let git consolidate them once there
/// are many (`git gc --auto` does nothing below its thresholds and works in the background).
/// Started and left to run, not waited for: the repacking is git's housekeeping, not part of
/// the command (whose memory and time it would otherwise count: after a 10,000-claim batch
/// git's first step alone peaks at about 650 MB). Best effort: a missing `git` changes nothing.
fn housekeep(root: &Path) {
    let _ = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["gc", "--auto", "--quiet"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

pub fn allowed_signers_path(repo: &Repository) -> PathBuf {
    repo.path().join("claims").join("allowed_signers")
}

/// The allowed-signers file for every person with an SSH key in authority.yaml.
pub fn allowed_signers_for(office: &Office) -> String {
    let mut out = allowed_signers(
        &office
            .people
            .iter()
            .filter_map(|p| {
                let key = p.signing_key.as_deref()?;
                (!key.starts_with("openpgp:")).then(|| (p.email.clone(), key.to_string()))
            })
            .collect::<Vec<_>>(),
    );
    // A retired key verifies what it signed before it was replaced, and nothing after.
    for p in &office.people {
        for r in p
            .retired_keys
            .iter()
            .filter(|r| !r.key.starts_with("openpgp:"))
        {
            out.push_str(&format!(
                "{} namespaces=\"git\",valid-before=\"{}\" {}\n",
                p.email,
                r.until.with_timezone(&chrono::Utc).format("%Y%m%d%H%M%SZ"),
                r.key.trim()
            ));
        }
    }
    out
}

/// A command's result: the commit (none on a dry run), its message, and the change.
pub struct Done {
    pub commit: Option<git2::Oid>,
    pub message: String,
    /// The first file the command derived (the claim's), before and after, for dry runs.
    pub path: String,
    pub before: Option<String>,
    pub after: String,
    pub files: Vec<String>,
    pub change: Change,
}

impl Done {
    /// The claim as the command left it.
    pub fn claim(&self) -> Option<&Claim> {
        self.change.after()
    }
}

/// Prepares a batch's commits again on a new tip: each command as its commit records it (the
/// way `claims sync` and the audit read it), worked at the time it was first worked.
struct Again<'s> {
    session: &'s Session,
    failure: &'s RefCell<Option<Error>>,
}

impl crate::store::batch::Replan for Again<'_> {
    fn prepare(
        &mut self,
        _index: usize,
        tip: &Tip,
        before: &git2::Commit<'_>,
    ) -> std::result::Result<Prepared, CommitError> {
        let repo = tip.repo();
        let recorded = crate::audit::History::new(repo)
            .entry(before.id())
            .map_err(|e| e.message().to_string())
            .and_then(|entry| crate::store::sync::command_of(repo, before, &entry));
        let worked = crate::audit::time_of(before.author().when());
        let prepared = recorded
            .map_err(|why| Error::refused(format!("a commit of the batch: {why}")))
            .and_then(|command| self.session.prepare(&command, worked, tip));
        match prepared {
            Ok((p, _)) => Ok(p),
            Err(e) => {
                let msg = e.message.clone();
                *self.failure.borrow_mut() = Some(e);
                Err(CommitError::Refused(msg))
            }
        }
    }

    fn made(&mut self, _index: usize, id: git2::Oid) {
        if let Some(r) = self.session.pending_register.borrow_mut().take() {
            *self.session.register.borrow_mut() = Some((id, r));
        }
    }
}

/// authority.yaml as committed at HEAD.
fn tip_settings(repo: &Repository, shelf: &Shelf) -> Result<Parsed<Settings>> {
    let head = repo.head().map_err(|e| {
        Error::environment(format!(
            "the office has no commit to work on: {}",
            e.message()
        ))
    })?;
    let tip = Tip::for_commit(repo, head.peel_to_commit()?, head.name().unwrap_or("HEAD"));
    Snapshot::new(&tip, shelf, None).settings()
}

/// Refuses, before anything is written, to sign as `person` with a key that is not theirs in
/// authority.yaml — and says whose key it is.
fn refuse_foreign_key(office: &Office, person: &Person, signer: &dyn Signer) -> Result<()> {
    let keys = signer.keys()?;
    let registered = person
        .signing_key
        .as_deref()
        .map(parse_signing_key)
        .transpose()
        .map_err(|e| {
            Error::refused(format!(
                "authority.yaml: {}'s signing_key: {e}",
                person.email
            ))
        })?;
    let Some(registered) = registered else {
        return Err(Error::refused(format!(
            "{} has no signing_key in authority.yaml, so nothing they sign can be verified",
            person.email
        ))
        .hint("register the public key of your signing key (`claims keys rotate` or a manager's `claims authority propose`)"));
    };
    if keys.contains(&registered) {
        return Ok(());
    }
    let holder = office.people.iter().find(|p| {
        p.signing_key
            .as_deref()
            .and_then(|k| parse_signing_key(k).ok())
            .is_some_and(|k| keys.contains(&k))
    });
    let whose = match holder {
        Some(p) => format!("the key of {} in authority.yaml", p.email),
        None => "a key no one in authority.yaml holds".to_string(),
    };
    Err(Error::refused(format!(
        "the signing key configured ({}) is {whose}, not {}'s; nothing was written",
        signer.describe(),
        person.email
    ))
    .hint(format!(
        "sign as {} with their own key: `git config user.signingkey PATH` (or `git config claims.{}.signingkey PATH` with --as)",
        person.email, person.email
    )))
}
