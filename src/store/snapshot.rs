//! The office at one commit, read from git: what a command's [`Desk`](crate::workflow::Desk)
//! sees. The session works commands on the branch tip through it, and the audit replays every
//! commit on its parent through it — one reader, so the two cannot see different offices.
//!
//! authority.yaml, policies/ and templates/ change rarely; a [`Shelf`] keeps each parsed once
//! per version (by git object id) for all the snapshots of a run.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};
use rayon::prelude::*;

use super::files::{parse_claim_text, parse_office, parse_yaml, AUTHORITY_FILE};
use super::git::Tip;
use super::read_cache::ReadCache;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::{Claim, LineOfBusiness};
use crate::domain::claim_id::{is_shard_name, ClaimId};
use crate::domain::office::Office;
use crate::domain::policy::Policy;
use crate::error::{Error, Result};
use crate::letters::LetterTemplates;
use crate::workflow::{Records, Register};

/// The office's settings at a commit, with the calendar they define.
pub struct Settings {
    pub office: Office,
    pub calendar: BusinessCalendar,
    pub tz: chrono_tz::Tz,
}

/// policies/ at a commit.
#[derive(Default)]
pub struct Policies {
    pub by_number: HashMap<String, Policy>,
    pub lines: HashMap<String, LineOfBusiness>,
}

/// A parsed file, or why it would not parse (the refusal every command gets).
pub type Parsed<T> = Rc<std::result::Result<T, String>>;

/// Parsed authority.yaml, policies and templates, by the git id of their version.
pub struct Shelf {
    settings: RefCell<HashMap<Oid, Parsed<Settings>>>,
    policies: RefCell<HashMap<Option<Oid>, Rc<Policies>>>,
    templates: RefCell<HashMap<Option<Oid>, Parsed<LetterTemplates>>>,
    /// Claims just made, by the blob id of their file: the version a command reads is most
    /// often one a command shortly before it wrote. Two generations, so the shelf stays small
    /// however long the batch or the history: when the young one is full, the old one goes.
    claims: RefCell<[HashMap<Oid, Claim>; 2]>,
    /// Claims in one generation.
    generation: usize,
}

impl Default for Shelf {
    /// A shelf for the audit's replay: whole batches of history (each claim is read again
    /// by the next command on it, thousands of commits later).
    fn default() -> Shelf {
        Shelf::holding(4096)
    }
}

impl Shelf {
    /// A shelf keeping the last `generation` to `2 × generation` claims made.
    pub fn holding(generation: usize) -> Shelf {
        Shelf {
            settings: RefCell::default(),
            policies: RefCell::default(),
            templates: RefCell::default(),
            claims: RefCell::default(),
            generation: generation.max(1),
        }
    }

    /// Keeps `claim` as the content of blob `id`, for the next command that reads it.
    pub fn keep_claim(&self, id: Oid, claim: Claim) {
        let mut claims = self.claims.borrow_mut();
        if claims[0].len() >= self.generation {
            claims[1] = std::mem::take(&mut claims[0]);
        }
        claims[0].insert(id, claim);
    }

    /// Keeps the claims a change wrote, under the blob ids of the files it wrote for them.
    pub fn keep_written(&self, change: &crate::workflow::Change) {
        for c in &change.claims {
            let (Some(after), Some(content)) = (
                &c.after,
                change
                    .files
                    .iter()
                    .find(|f| f.path == c.path)
                    .and_then(|f| f.content.as_deref()),
            ) else {
                continue;
            };
            if let Ok(id) = Oid::hash_object(ObjectType::Blob, content) {
                self.keep_claim(id, after.clone());
            }
        }
    }

    fn take_claim(&self, id: Oid) -> Option<Claim> {
        let mut claims = self.claims.borrow_mut();
        claims[0].remove(&id).or_else(|| claims[1].remove(&id))
    }
}

fn refusal(e: Error) -> String {
    let mut s = e.message;
    for h in e.hints {
        s.push_str("\n  hint: ");
        s.push_str(&h);
    }
    s
}

/// The office at one commit.
pub struct Snapshot<'t, 'r> {
    tip: &'t Tip<'r>,
    shelf: &'t Shelf,
    policies: OnceCell<Rc<Policies>>,
    templates: OnceCell<Parsed<LetterTemplates>>,
    register: OnceCell<Register>,
    /// The authority.yaml (blob id) in effect, when not the one in the tip's tree (the audit:
    /// a change that broke the rules does not take effect).
    authority: Option<Option<Oid>>,
}

impl<'t, 'r> Snapshot<'t, 'r> {
    /// The office at `tip`; `register`, when given, is the register at that very commit.
    pub fn new(tip: &'t Tip<'r>, shelf: &'t Shelf, register: Option<Register>) -> Snapshot<'t, 'r> {
        let cell = OnceCell::new();
        if let Some(r) = register {
            let _ = cell.set(r);
        }
        Snapshot {
            tip,
            shelf,
            policies: OnceCell::new(),
            templates: OnceCell::new(),
            register: cell,
            authority: None,
        }
    }

    /// The same snapshot, judged by the authority.yaml of blob `id` (None: there is none).
    pub fn judged_by(mut self, id: Option<Oid>) -> Snapshot<'t, 'r> {
        self.authority = Some(id);
        self
    }

    fn authority_id(&self) -> Result<Option<Oid>> {
        match self.authority {
            Some(id) => Ok(id),
            None => Ok(self.tip.entry_id(AUTHORITY_FILE)?),
        }
    }

    fn repo(&self) -> &'r Repository {
        self.tip.repo()
    }

    /// authority.yaml at the commit, parsed, with its calendar and time zone.
    pub fn settings(&self) -> Result<Parsed<Settings>> {
        let Some(id) = self.authority_id()? else {
            return Err(Error::refused(format!(
                "there is no {AUTHORITY_FILE} at {}",
                self.tip.describe()
            )));
        };
        if let Some(s) = self.shelf.settings.borrow().get(&id) {
            return Ok(s.clone());
        }
        let blob = self.repo().find_blob(id)?;
        let parsed = std::str::from_utf8(blob.content())
            .map_err(|_| Error::refused(format!("{AUTHORITY_FILE} is not UTF-8")))
            .and_then(parse_office)
            .and_then(|office| {
                let tz = crate::workflow::desk::office_zone(&office)?;
                Ok(Settings {
                    calendar: BusinessCalendar::new(office.calendar.clone()),
                    office,
                    tz,
                })
            })
            .map_err(refusal);
        let parsed = Rc::new(parsed);
        self.shelf.settings.borrow_mut().insert(id, parsed.clone());
        Ok(parsed)
    }

    /// The register this snapshot built or was given, to carry on to the next commit.
    pub fn into_register(self) -> Option<Register> {
        self.register.into_inner()
    }

    fn load_policies(&self) -> Result<Rc<Policies>> {
        let id = self.tip.entry_id("policies")?;
        if let Some(p) = self.shelf.policies.borrow().get(&id) {
            return Ok(p.clone());
        }
        // Only when the cache has no answer: the folder's files listed, each parsed.
        let parse = || -> Result<Vec<Policy>> {
            let mut policies = Vec::new();
            for (path, oid) in self.tip.files_under("policies", 1)? {
                if !path.ends_with(".yaml") {
                    continue;
                }
                let blob = self.repo().find_blob(oid)?;
                let Ok(text) = std::str::from_utf8(blob.content()) else {
                    continue;
                };
                // A policy file that does not parse is skipped here; `claims check` reports it.
                if let Ok(p) = parse_yaml::<Policy>(text) {
                    policies.push(p);
                }
            }
            Ok(policies)
        };
        let mut policies = match id {
            Some(folder) => {
                ReadCache::in_git_dir(self.repo().path()).policies_of_folder(folder, parse)?
            }
            None => parse()?,
        };
        crate::domain::policy::share_provision_language(&mut policies);
        let mut by_number = HashMap::new();
        for p in policies {
            by_number.insert(p.number.clone(), p);
        }
        let lines = by_number.iter().map(|(n, p)| (n.clone(), p.lob)).collect();
        let p = Rc::new(Policies { by_number, lines });
        self.shelf.policies.borrow_mut().insert(id, p.clone());
        Ok(p)
    }

    fn policies_loaded(&self) -> &Policies {
        self.policies.get_or_init(|| {
            // An unreadable policies folder reads as no policies; the commands that need a
            // policy refuse for lack of one.
            self.load_policies().unwrap_or_default()
        })
    }

    fn load_templates(&self) -> Result<Parsed<LetterTemplates>> {
        let id = self.tip.entry_id("templates")?;
        if let Some(t) = self.shelf.templates.borrow().get(&id) {
            return Ok(t.clone());
        }
        let mut sources = Vec::new();
        for (path, oid) in self.tip.files_under("templates", 1)? {
            let Some(name) = path
                .strip_prefix("templates/")
                .and_then(|n| n.strip_suffix(".txt.j2"))
            else {
                continue;
            };
            let blob = self.repo().find_blob(oid)?;
            let text = std::str::from_utf8(blob.content())
                .map_err(|_| Error::refused(format!("{path} is not UTF-8")))?;
            sources.push((name.to_string(), text.to_string()));
        }
        let t = Rc::new(LetterTemplates::new(sources).map_err(|e| e.to_string()));
        self.shelf.templates.borrow_mut().insert(id, t.clone());
        Ok(t)
    }

    /// Every claim at the commit that parses.
    pub fn all_claims(&self) -> Result<Vec<Claim>> {
        self.each_claim(Some)
    }

    /// What `pick` keeps of each claim at the commit that parses (`None`: nothing), the files
    /// read in parallel and each claim dropped as soon as `pick` has what it wants of it — so
    /// choosing a few among 50,000 holds a few.
    pub fn each_claim<T: Send>(&self, pick: impl Fn(Claim) -> Option<T> + Sync) -> Result<Vec<T>> {
        let files: Vec<(String, Oid)> = self
            .tip
            .claim_files()?
            .into_iter()
            .filter(|(p, _)| p.ends_with(".yaml"))
            .collect();
        let git_dir = self.repo().path().to_path_buf();
        let cache = ReadCache::in_git_dir(&git_dir);
        let picked = files
            .par_iter()
            .map_init(
                || Repository::open(&git_dir).ok(),
                |repo, (_, oid)| {
                    // A blob this build has read before is not even inflated.
                    if let Some(c) = cache.recorded(*oid) {
                        return pick(c);
                    }
                    let blob = repo.as_ref()?.find_blob(*oid).ok()?;
                    let text = std::str::from_utf8(blob.content()).ok()?;
                    cache.claim_of_blob(*oid, text).ok().and_then(&pick)
                },
            )
            .flatten()
            .collect();
        cache.tidy();
        Ok(picked)
    }
}

impl Records for Snapshot<'_, '_> {
    fn claim(&self, id: &ClaimId) -> Result<Option<Claim>> {
        // Where the office at this commit files it (a file anywhere else is not the claim).
        let folders = match &*self.settings()? {
            Ok(s) => s.office.claim_folders(),
            Err(_) => Default::default(),
        };
        let path = id.file_path(folders);
        let Some((blob, _)) = self.tip.blob_at(&path)? else {
            return Ok(None);
        };
        if let Some(c) = self.shelf.take_claim(blob) {
            // Off the shelf: the command that reads it makes the next version.
            return Ok(Some(c));
        }
        // Read whole a moment ago (a `--pending` batch's choice of claims): decoded, not parsed.
        if let Some(c) = ReadCache::recorded_claim(self.repo().path(), blob) {
            return Ok(Some(c));
        }
        let bytes = self.repo().find_blob(blob)?.content().to_vec();
        let text =
            String::from_utf8(bytes).map_err(|_| Error::refused(format!("{path} is not UTF-8")))?;
        parse_claim_text(&path, &text).map(Some)
    }

    fn policies(&self) -> &HashMap<String, Policy> {
        &self.policies_loaded().by_number
    }

    fn policy_lines(&self) -> &HashMap<String, LineOfBusiness> {
        &self.policies_loaded().lines
    }

    fn templates(&self) -> Result<&LetterTemplates> {
        if self.templates.get().is_none() {
            let loaded = self.load_templates()?;
            let _ = self.templates.set(loaded);
        }
        self.templates
            .get()
            .expect("set above")
            .as_ref()
            .as_ref()
            .map_err(|e| Error::refused(e.clone()))
    }

    fn register(&self) -> Result<&Register> {
        if self.register.get().is_none() {
            let entries = self.each_claim(|c| Some(crate::workflow::register::Entry::of(&c)))?;
            let _ = self.register.set(Register::of_entries(entries));
        }
        Ok(self.register.get().expect("set above"))
    }

    fn file(&self, path: &str) -> Result<Option<Vec<u8>>> {
        if path == AUTHORITY_FILE && self.authority.is_some() {
            return match self.authority_id()? {
                Some(id) => Ok(Some(self.repo().find_blob(id)?.content().to_vec())),
                None => Ok(None),
            };
        }
        Ok(self.tip.read(path)?)
    }

    fn files_under(&self, folder: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for (path, oid) in self.tip.files_under(folder, ANY_DEPTH)? {
            out.push((path, self.repo().find_blob(oid)?.content().to_vec()));
        }
        Ok(out)
    }
}

/// Blob ids of the files `depth` folders below `folder` of `tree` (depth 1: directly in it).
/// The files of `claims/` where claim files lie, filed by month (`claims/YYYY/MM/*`) or
/// by shard (`claims/YYYY/MM/XX/*`), with their blob ids, sorted — never the files in a
/// claim's own folder.
pub(crate) fn claim_files_in(
    repo: &Repository,
    tree: &git2::Tree<'_>,
) -> std::result::Result<Vec<(String, Oid)>, git2::Error> {
    let mut out = files_in(repo, tree, "claims", 3)?;
    for (month, id) in folders_in(repo, tree, "claims", 2)? {
        for e in repo.find_tree(id)?.iter() {
            let Ok(name) = e.name() else { continue };
            if e.kind() == Some(ObjectType::Tree) && is_shard_name(name) {
                let shard = repo.find_tree(e.id())?;
                for f in shard.iter() {
                    if let (Some(ObjectType::Blob), Ok(file)) = (f.kind(), f.name()) {
                        out.push((format!("{month}/{name}/{file}"), f.id()));
                    }
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The folders `depth` folders below `folder`, with their tree ids.
fn folders_in(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    folder: &str,
    depth: usize,
) -> std::result::Result<Vec<(String, Oid)>, git2::Error> {
    let Ok(entry) = tree.get_path(std::path::Path::new(folder)) else {
        return Ok(Vec::new());
    };
    if entry.kind() != Some(ObjectType::Tree) {
        return Ok(Vec::new());
    }
    let mut level = vec![(folder.to_string(), entry.id())];
    for _ in 0..depth {
        let mut next = Vec::new();
        for (prefix, id) in level {
            for e in repo.find_tree(id)?.iter() {
                if let (Some(ObjectType::Tree), Ok(name)) = (e.kind(), e.name()) {
                    next.push((format!("{prefix}/{name}"), e.id()));
                }
            }
        }
        level = next;
    }
    Ok(level)
}

/// [`files_in`]'s depth for files at any depth.
pub(crate) const ANY_DEPTH: usize = usize::MAX;

pub(crate) fn files_in(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    folder: &str,
    depth: usize,
) -> std::result::Result<Vec<(String, Oid)>, git2::Error> {
    let mut out = Vec::new();
    let Ok(entry) = tree.get_path(std::path::Path::new(folder)) else {
        return Ok(out);
    };
    if entry.kind() != Some(ObjectType::Tree) {
        return Ok(out);
    }
    let mut stack = vec![(folder.to_string(), repo.find_tree(entry.id())?, 1usize)];
    while let Some((prefix, t, level)) = stack.pop() {
        for e in t.iter() {
            let Ok(name) = e.name() else { continue };
            let path = format!("{prefix}/{name}");
            match e.kind() {
                Some(ObjectType::Blob) if level == depth || depth == ANY_DEPTH => {
                    out.push((path, e.id()))
                }
                Some(ObjectType::Tree) if level < depth => {
                    stack.push((path, repo.find_tree(e.id())?, level + 1))
                }
                _ => {}
            }
        }
    }
    out.sort();
    Ok(out)
}
