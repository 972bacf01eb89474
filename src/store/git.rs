//! The commit engine: the single path by which every change reaches the repository.
//!
//! [`commit_change`] reads the branch tip, lets the caller prepare its change from that tip,
//! builds the new tree from the parent tree (rewriting only the folders on the changed paths),
//! signs the commit buffer, writes the signed commit and moves the branch with a
//! compare-and-swap. If another writer moved the branch first, it backs off and starts again
//! from the new tip (the caller re-reads and re-checks). Only after the branch has moved are
//! the changed files written into the working tree and their index entries updated, under an
//! exclusive lock, so `git status` stays clean.
//!
//! Nothing is changed when preparation or signing fails: at most some unreferenced objects
//! are left in the object database (git's garbage collection removes them).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::{ErrorCode, ObjectType, Oid, Repository};
use rand::Rng;

use super::durable;
use super::landing::{land, Landed, Landing};
pub(crate) use super::lock::RepoLock;
use super::signing::{SignError, Signer};

/// How many times [`commit_change`] starts again after losing a race for the branch.
pub const MAX_ATTEMPTS: u32 = 50;

const MODE_FILE: i32 = 0o100644;
const MODE_EXEC: i32 = 0o100755;
const MODE_TREE: i32 = 0o040000;

/// One file to write (`content: Some`) or delete (`content: None`), by repository-relative,
/// `/`-separated path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub content: Option<Vec<u8>>,
}

/// Author and committer of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
    /// When the command was worked (the author time).
    pub when: chrono::DateTime<chrono::FixedOffset>,
    /// When it reached the branch (the committer time), when later than `when`: a command
    /// `claims sync` replays keeps the time it was worked offline.
    pub landed: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// What a caller's `prepare` step returns: the file changes and the full commit message
/// (trailers included; the engine adds the final newline).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    pub changes: Vec<FileChange>,
    pub message: String,
    /// Notices for the outbox, delivered once the commit landed.
    pub mail: Vec<super::landing::Outgoing>,
}

/// Errors from the commit engine.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// The caller's own refusal from `prepare` (a rule said no). Passed through, never retried.
    #[error("{0}")]
    Refused(String),

    #[error(transparent)]
    Sign(#[from] SignError),

    #[error("git error: {0}")]
    Git(#[from] git2::Error),

    #[error("i/o error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "HEAD is detached (not on a branch); check out the office branch first \
         (e.g. `git switch main`)"
    )]
    DetachedHead,

    #[error("HEAD points to {0}, which is not a local branch; check out a branch first")]
    NotOnBranch(String),

    #[error("invalid path `{path}`: {reason}")]
    InvalidPath { path: String, reason: String },

    #[error("the commit message is empty")]
    EmptyMessage,

    #[error(
        "gave up after {attempts} attempts: other writers kept moving the branch; \
         nothing was changed, try again"
    )]
    Contention { attempts: u32 },

    /// A file the change would overwrite has edits nobody committed.
    #[error("{path} has uncommitted edits; the tool will not overwrite them")]
    Uncommitted { path: String },
}

impl CommitError {
    /// `true` for the caller's own [`CommitError::Refused`].
    pub fn is_refusal(&self) -> bool {
        matches!(self, CommitError::Refused(_))
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> CommitError + '_ {
    move |e| CommitError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// The branch tip a change is prepared from.
pub struct Tip<'r> {
    repo: &'r Repository,
    branch: String,
    commit: Option<git2::Commit<'r>>,
    tree: Option<git2::Tree<'r>>,
    /// Folders a batch holds in memory (read before the object database).
    folders: Option<&'r FolderCache>,
}

/// The latest version of every folder a batch wrote, by id, raw. A batch reads the folders it
/// just wrote again for the next commit; from memory that costs nothing, while from the packs
/// it writes every so often it would rebuild them from deltas (and libgit2 keeps a cache of
/// those per pack).
#[derive(Default)]
pub struct FolderCache {
    folders: std::collections::HashMap<Oid, std::rc::Rc<Vec<u8>>>,
    /// For a cache of recent folders only: how many it holds, and the order they came in.
    bound: Option<(usize, std::collections::VecDeque<Oid>)>,
}

impl FolderCache {
    /// A cache of the `n` folders read last (the audit reads each version of a month folder
    /// for its commit and the next).
    pub fn recent(n: usize) -> FolderCache {
        FolderCache {
            folders: Default::default(),
            bound: Some((n, Default::default())),
        }
    }

    /// Folder `id`'s raw bytes: from the cache, else read (and kept).
    pub fn read(
        &mut self,
        odb: &git2::Odb<'_>,
        id: Oid,
    ) -> Result<std::rc::Rc<Vec<u8>>, git2::Error> {
        if let Some(d) = self.folders.get(&id) {
            return Ok(d.clone());
        }
        let data = std::rc::Rc::new(odb.read(id)?.data().to_vec());
        self.remember(id, data.clone());
        Ok(data)
    }

    pub fn get(&self, id: Oid) -> Option<std::rc::Rc<Vec<u8>>> {
        self.folders.get(&id).cloned()
    }

    /// Keeps `data` as folder `id`, dropping the version it replaces; returns the kept bytes.
    pub fn keep(&mut self, id: Oid, replaces: Option<Oid>, data: Vec<u8>) -> std::rc::Rc<Vec<u8>> {
        if let Some(old) = replaces {
            self.folders.remove(&old);
        }
        let kept = std::rc::Rc::new(data);
        self.remember(id, kept.clone());
        kept
    }

    fn remember(&mut self, id: Oid, data: std::rc::Rc<Vec<u8>>) {
        if let Some((n, order)) = self.bound.as_mut() {
            order.push_back(id);
            while order.len() > *n {
                if let Some(old) = order.pop_front() {
                    self.folders.remove(&old);
                }
            }
        }
        self.folders.insert(id, data);
    }
}

/// A folder's raw bytes, from a batch's memory or the object database.
enum FolderBytes<'o> {
    Kept(std::rc::Rc<Vec<u8>>),
    Read(git2::OdbObject<'o>),
}

impl FolderBytes<'_> {
    fn data(&self) -> &[u8] {
        match self {
            FolderBytes::Kept(d) => d,
            FolderBytes::Read(o) => o.data(),
        }
    }
}

fn read_folder<'o>(
    odb: &'o git2::Odb<'_>,
    kept: Option<&FolderCache>,
    id: Oid,
) -> Result<FolderBytes<'o>, CommitError> {
    match kept.and_then(|k| k.get(id)) {
        Some(d) => Ok(FolderBytes::Kept(d)),
        None => Ok(FolderBytes::Read(odb.read(id)?)),
    }
}

impl<'r> Tip<'r> {
    /// A tip at a given commit, for reading without committing (dry runs).
    pub fn for_commit(repo: &'r Repository, commit: git2::Commit<'r>, branch: &str) -> Tip<'r> {
        let tree = commit.tree().ok();
        Tip {
            repo,
            branch: branch.to_string(),
            commit: Some(commit),
            tree,
            folders: None,
        }
    }

    /// The same tip, reading the folders `kept` holds from memory.
    pub(crate) fn with_folders(mut self, kept: &'r FolderCache) -> Tip<'r> {
        self.folders = Some(kept);
        self
    }

    /// The tip commit, or `None` on an unborn branch (empty repository).
    pub fn commit(&self) -> Option<&git2::Commit<'r>> {
        self.commit.as_ref()
    }

    /// The tip commit id, or `None` on an unborn branch.
    pub fn id(&self) -> Option<Oid> {
        self.commit.as_ref().map(|c| c.id())
    }

    /// The full branch name, e.g. `refs/heads/main`.
    pub fn branch(&self) -> &str {
        &self.branch
    }

    /// The tip's tree, or `None` on an unborn branch.
    pub fn tree(&self) -> Option<&git2::Tree<'r>> {
        self.tree.as_ref()
    }

    pub fn repo(&self) -> &'r Repository {
        self.repo
    }

    /// The commit, for messages: its short id, or "the empty branch".
    pub fn describe(&self) -> String {
        match self.id() {
            Some(id) => format!("commit {}", &id.to_string()[..12]),
            None => "the empty branch".into(),
        }
    }

    /// The object id at `path` (a file or a folder), `None` when there is nothing there.
    pub fn entry_id(&self, path: &str) -> Result<Option<Oid>, CommitError> {
        let Some(tree) = &self.tree else {
            return Ok(None);
        };
        match tree.get_path(Path::new(path)) {
            Ok(e) => Ok(Some(e.id())),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The files where claim files lie (by month or by shard), with their blob ids.
    pub fn claim_files(&self) -> Result<Vec<(String, Oid)>, CommitError> {
        match &self.tree {
            Some(t) => Ok(super::snapshot::claim_files_in(self.repo, t)?),
            None => Ok(Vec::new()),
        }
    }

    /// The files `depth` folders below `folder` (1: directly in it), with their blob ids.
    pub fn files_under(
        &self,
        folder: &str,
        depth: usize,
    ) -> Result<Vec<(String, Oid)>, CommitError> {
        match &self.tree {
            Some(t) => Ok(super::snapshot::files_in(self.repo, t, folder, depth)?),
            None => Ok(Vec::new()),
        }
    }

    /// The blob id and mode of the file at `path`, `None` when there is none (read through
    /// the folders held in memory, as [`Tip::read`]).
    pub fn blob_at(&self, path: &str) -> Result<Option<(Oid, i32)>, CommitError> {
        match &self.tree {
            Some(tree) => blob_entry(self.repo, self.folders, None, tree, path),
            None => Ok(None),
        }
    }

    /// Read a file from the tip's tree: `None` when it does not exist.
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>, CommitError> {
        let Some(tree) = &self.tree else {
            return Ok(None);
        };
        match blob_entry(self.repo, self.folders, None, tree, path)? {
            Some((oid, _)) => Ok(Some(self.repo.find_blob(oid)?.content().to_vec())),
            None => Ok(None),
        }
    }
}

/// The blob id and mode at `path` in `tree`; `None` if absent. A folder at `path` is an error.
///
/// Looks the path up in the raw folder objects rather than through libgit2's parsed trees: a
/// month folder holds thousands of entries, and a batch asks about a new version of it for
/// every claim.
fn blob_entry(
    repo: &Repository,
    kept: Option<&FolderCache>,
    memo: Option<&std::cell::RefCell<FolderCache>>,
    tree: &git2::Tree<'_>,
    path: &str,
) -> Result<Option<(Oid, i32)>, CommitError> {
    let odb = repo.odb()?;
    let mut at = tree.id();
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let object = match (kept.and_then(|k| k.get(at)), memo) {
            (Some(d), _) => FolderBytes::Kept(d),
            (None, Some(m)) => {
                let known = m.borrow().get(at);
                match known {
                    Some(d) => FolderBytes::Kept(d),
                    None => {
                        let data = odb.read(at)?.data().to_vec();
                        FolderBytes::Kept(m.borrow_mut().keep(at, None, data))
                    }
                }
            }
            (None, None) => read_folder(&odb, None, at)?,
        };
        let entry = match locate(object.data(), Some(at), &[(part, parts.peek().is_some())])?.pop()
        {
            Some(Place::Found(e)) => e,
            _ => return Ok(None),
        };
        let (kind, mode) = entry.kind();
        if parts.peek().is_none() {
            return match kind {
                Some(ObjectType::Blob) => Ok(Some((entry.id, mode))),
                _ => Err(CommitError::InvalidPath {
                    path: path.to_string(),
                    reason: "it is a folder (or submodule), not a file".into(),
                }),
            };
        }
        if kind != Some(ObjectType::Tree) {
            return Ok(None);
        }
        at = entry.id;
    }
    Ok(None)
}

/// `refs/heads/...` that HEAD points to (the branch may be unborn).
pub(crate) fn head_branch(repo: &Repository) -> Result<String, CommitError> {
    let head = repo.find_reference("HEAD")?;
    match head.symbolic_target()? {
        Some(t) if t.starts_with("refs/heads/") => Ok(t.to_string()),
        Some(t) => Err(CommitError::NotOnBranch(t.to_string())),
        None => Err(CommitError::DetachedHead),
    }
}

pub(crate) fn read_tip<'r>(repo: &'r Repository, branch: String) -> Result<Tip<'r>, CommitError> {
    let (commit, tree) = match repo.refname_to_id(&branch) {
        Ok(id) => {
            let c = repo.find_commit(id)?;
            let t = c.tree()?;
            (Some(c), Some(t))
        }
        Err(e) if e.code() == ErrorCode::NotFound => (None, None),
        Err(e) => return Err(e.into()),
    };
    Ok(Tip {
        repo,
        branch,
        commit,
        tree,
        folders: None,
    })
}

fn validate_path(path: &str) -> Result<(), CommitError> {
    let bad = |reason: &str| {
        Err(CommitError::InvalidPath {
            path: path.to_string(),
            reason: reason.to_string(),
        })
    };
    if path.is_empty() {
        return bad("empty path");
    }
    if path.contains('\0') || path.contains('\\') {
        return bad("contains NUL or backslash");
    }
    for comp in path.split('/') {
        if comp.is_empty() {
            return bad("must be relative, '/'-separated, without empty parts");
        }
        if comp == "." || comp == ".." {
            return bad("must not contain '.' or '..'");
        }
        if comp.eq_ignore_ascii_case(".git") {
            return bad("must not touch .git");
        }
    }
    Ok(())
}

/// The change set as a tree of folders.
enum Node<'a> {
    /// New blob id, or `None` to delete.
    File(Option<Oid>),
    Dir(BTreeMap<&'a str, Node<'a>>),
}

fn insert_change<'a>(
    root: &mut BTreeMap<&'a str, Node<'a>>,
    path: &'a str,
    blob: Option<Oid>,
) -> Result<(), CommitError> {
    let conflict = || CommitError::InvalidPath {
        path: path.to_string(),
        reason: "changed twice, or both as a file and as a folder, in one commit".into(),
    };
    let comps: Vec<&str> = path.split('/').collect();
    let (last, dirs) = comps.split_last().expect("validated non-empty");
    let mut cur = root;
    for d in dirs {
        let node = cur.entry(d).or_insert_with(|| Node::Dir(BTreeMap::new()));
        cur = match node {
            Node::Dir(m) => m,
            Node::File(_) => return Err(conflict()),
        };
    }
    if cur.contains_key(last) {
        return Err(conflict());
    }
    cur.insert(last, Node::File(blob));
    Ok(())
}

/// An object a commit wrote, in the order written; a folder also names the version of it that
/// it replaced, so a pack can store it as a small delta against that version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub id: Oid,
    pub replaces: Option<Oid>,
}

/// Where a commit's new blobs and folders go: the repository's object database, or a batch.
pub(crate) trait ObjectSink {
    /// Stores `data` as an object of `kind` (`replaces`: the version of this folder it replaces)
    /// and returns its id.
    fn put(
        &mut self,
        odb: &git2::Odb<'_>,
        kind: ObjectType,
        data: &[u8],
        replaces: Option<Oid>,
    ) -> Result<Oid, CommitError>;

    /// Stores a new version of a folder; a sink that keeps folders in memory takes `data`
    /// without copying it.
    fn put_folder(
        &mut self,
        odb: &git2::Odb<'_>,
        data: Vec<u8>,
        replaces: Option<Oid>,
    ) -> Result<Oid, CommitError> {
        self.put(odb, ObjectType::Tree, &data, replaces)
    }

    /// Folders held in memory, read before the object database.
    fn folders(&self) -> Option<&FolderCache> {
        None
    }
}

/// Objects written straight into the object database (loose objects).
pub(crate) struct ToDatabase;

impl ObjectSink for ToDatabase {
    fn put(
        &mut self,
        odb: &git2::Odb<'_>,
        kind: ObjectType,
        data: &[u8],
        _replaces: Option<Oid>,
    ) -> Result<Oid, CommitError> {
        Ok(odb.write(kind, data)?)
    }
}

/// One entry of a raw tree object: `MODE SP NAME NUL ID`, with its byte range.
struct RawEntry<'a> {
    mode: &'a [u8],
    id: Oid,
    range: std::ops::Range<usize>,
}

impl RawEntry<'_> {
    fn kind(&self) -> (Option<ObjectType>, i32) {
        let mode = std::str::from_utf8(self.mode)
            .ok()
            .and_then(|m| i32::from_str_radix(m, 8).ok())
            .unwrap_or(0);
        let kind = match mode {
            MODE_TREE => Some(ObjectType::Tree),
            0o160000 => Some(ObjectType::Commit),
            _ => Some(ObjectType::Blob),
        };
        (kind, mode)
    }
}

fn corrupt_tree(id: Option<Oid>) -> CommitError {
    CommitError::Git(git2::Error::from_str(&format!(
        "tree {} is corrupt",
        id.map(|i| i.to_string()).unwrap_or_default()
    )))
}

/// git's order of tree entries: by name, a folder's name compared as if it ended in `/`.
pub(crate) fn tree_order(a: &[u8], a_dir: bool, b: &[u8], b_dir: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => {}
        other => return other,
    }
    let next = |name: &[u8], dir: bool| match name.get(n) {
        Some(c) => *c,
        None if dir => b'/',
        None => 0,
    };
    next(a, a_dir).cmp(&next(b, b_dir))
}

fn push_entry(out: &mut Vec<u8>, mode: i32, name: &[u8], id: Oid) {
    out.extend_from_slice(format!("{mode:o}").as_bytes());
    out.push(b' ');
    out.extend_from_slice(name);
    out.push(0);
    out.extend_from_slice(id.as_bytes());
}

/// Write the folder `base` with `changes` applied; `None` when the result is empty.
///
/// The new folder is spliced from the old one's raw bytes: entries that do not change are
/// copied as they are, so the cost is a copy of the folder, not a rebuild of it.
fn write_dir(
    odb: &git2::Odb<'_>,
    base: Option<Oid>,
    changes: &BTreeMap<&str, Node<'_>>,
    prefix: &str,
    sink: &mut dyn ObjectSink,
) -> Result<Option<Oid>, CommitError> {
    let base_object = match base {
        Some(id) => Some(read_folder(odb, sink.folders(), id)?),
        None => None,
    };
    let base_data: &[u8] = base_object.as_ref().map(|o| o.data()).unwrap_or(&[]);
    let names: Vec<(&str, bool)> = changes
        .iter()
        .map(|(n, node)| (*n, matches!(node, Node::Dir(_))))
        .collect();
    let places = locate(base_data, base, &names)?;

    // Each change as an edit of the raw folder: the byte range it replaces (empty for an
    // addition) and the entry written there (none to delete).
    let mut edits: Vec<Edit> = Vec::new();
    for ((name, node), place) in changes.iter().zip(places) {
        let full = if prefix.is_empty() {
            (*name).to_string()
        } else {
            format!("{prefix}/{name}")
        };
        let existing = match &place {
            Place::Found(e) => Some(e.kind()),
            Place::Before(_) => None,
        };
        let new = match node {
            Node::File(Some(blob)) => {
                // The office's records are plain files: written so whatever mode a hand edit
                // gave the path (executable, a link).
                let mode = match existing {
                    Some((Some(ObjectType::Blob), _)) | None => MODE_FILE,
                    Some(_) => {
                        return Err(CommitError::InvalidPath {
                            path: full,
                            reason: "a folder (or submodule) already exists there".into(),
                        })
                    }
                };
                Some((mode, *blob))
            }
            Node::File(None) => match existing {
                Some((Some(ObjectType::Blob), _)) | None => None,
                Some(_) => {
                    return Err(CommitError::InvalidPath {
                        path: full,
                        reason: "it is a folder, not a file; delete its files instead".into(),
                    })
                }
            },
            Node::Dir(sub) => {
                let subtree = match (&place, existing) {
                    (Place::Found(e), Some((Some(ObjectType::Tree), _))) => Some(e.id),
                    (_, None) => None,
                    _ => {
                        return Err(CommitError::InvalidPath {
                            path: full,
                            reason: "a file already exists where a folder is needed".into(),
                        })
                    }
                };
                write_dir(odb, subtree, sub, &full, sink)?.map(|id| (MODE_TREE, id))
            }
        };
        match (place, new) {
            (Place::Found(e), new) => edits.push((e.range, new.map(|(m, id)| (m, id, *name)))),
            (Place::Before(at), Some((mode, id))) => edits.push((at..at, Some((mode, id, *name)))),
            (Place::Before(_), None) => {}
        }
    }
    if edits.is_empty() {
        if let Some(id) = base {
            return Ok((!base_data.is_empty()).then_some(id));
        }
    }
    // Additions at one place go in git's order, before the entry found there.
    edits.sort_by(|a, b| {
        (a.0.start, !a.0.is_empty())
            .cmp(&(b.0.start, !b.0.is_empty()))
            .then_with(|| match (&a.1, &b.1) {
                (Some(x), Some(y)) => tree_order(
                    x.2.as_bytes(),
                    x.0 == MODE_TREE,
                    y.2.as_bytes(),
                    y.0 == MODE_TREE,
                ),
                _ => std::cmp::Ordering::Equal,
            })
    });
    // Splice: the untouched runs are copied whole.
    let mut out = Vec::with_capacity(base_data.len() + edits.len() * 64);
    let mut copied = 0;
    for (range, entry) in edits {
        out.extend_from_slice(&base_data[copied..range.start]);
        if let Some((mode, id, name)) = entry {
            push_entry(&mut out, mode, name.as_bytes(), id);
        }
        copied = range.end;
    }
    out.extend_from_slice(&base_data[copied..]);
    if out.is_empty() {
        return Ok(None);
    }
    let id = sink.put_folder(odb, out, base)?;
    Ok(Some(id))
}

/// A change to a raw folder: the byte range replaced (empty for an addition) and the entry
/// (mode, id, name) written there, if any.
type Edit<'n> = (std::ops::Range<usize>, Option<(i32, Oid, &'n str)>);

/// Where a name is in a raw folder: its entry, or the offset it would be inserted at.
enum Place<'a> {
    Found(RawEntry<'a>),
    Before(usize),
}

/// Finds each of `names` (with whether it is a folder) in the raw folder `data`, in one pass
/// that stops once every name is placed: entries are in git's order, so a name is absent once
/// an entry that sorts after it — as a folder, the later of its two possible places — is
/// reached. Ids are decoded only for the entries found.
fn locate<'a>(
    data: &'a [u8],
    id: Option<Oid>,
    names: &[(&str, bool)],
) -> Result<Vec<Place<'a>>, CommitError> {
    let mut found: Vec<Option<RawEntry<'a>>> = names.iter().map(|_| None).collect();
    let mut insert: Vec<Option<usize>> = names.iter().map(|_| None).collect();
    let mut done: Vec<bool> = names.iter().map(|_| false).collect();
    let mut open = names.len();
    let mut at = 0;
    while at < data.len() && open > 0 {
        let rest = &data[at..];
        let (space, nul) = memchr::memchr(b' ', rest)
            .and_then(|space| Some((space, space + memchr::memchr(0, &rest[space..])?)))
            .ok_or_else(|| corrupt_tree(id))?;
        let end = nul + 1 + 20;
        if end > rest.len() {
            return Err(corrupt_tree(id));
        }
        let mode = &rest[..space];
        let name = &rest[space + 1..nul];
        let is_tree = mode == b"40000";
        for (k, (want, want_dir)) in names.iter().enumerate() {
            if done[k] {
                continue;
            }
            let want = want.as_bytes();
            // One comparison of the common prefix decides equality and both orders.
            let n = want.len().min(name.len());
            let common = want[..n].cmp(&name[..n]);
            if common.is_eq() && want.len() == name.len() {
                found[k] = Some(RawEntry {
                    mode,
                    id: Oid::from_bytes(&rest[nul + 1..end])?,
                    range: at..at + end,
                });
                done[k] = true;
                open -= 1;
                continue;
            }
            let before = |dir: bool| match common {
                std::cmp::Ordering::Equal => tree_order(want, dir, name, is_tree).is_lt(),
                other => other.is_lt(),
            };
            if insert[k].is_none() && before(*want_dir) {
                insert[k] = Some(at);
            }
            if before(true) {
                done[k] = true;
                open -= 1;
            }
        }
        at += end;
    }
    Ok(found
        .into_iter()
        .zip(insert)
        .map(|(f, i)| match f {
            Some(e) => Place::Found(e),
            None => Place::Before(i.unwrap_or(data.len())),
        })
        .collect())
}

fn build_tree<'r>(
    repo: &'r Repository,
    base: Option<&git2::Tree<'r>>,
    changes: &[FileChange],
    sink: &mut dyn ObjectSink,
) -> Result<git2::Tree<'r>, CommitError> {
    let id = build_tree_id(repo, base.map(|b| b.id()), changes, sink)?;
    Ok(repo.find_tree(id)?)
}

/// The id of the tree `base` becomes with `changes` applied; every new object goes to `sink`.
fn build_tree_id(
    repo: &Repository,
    base: Option<Oid>,
    changes: &[FileChange],
    sink: &mut dyn ObjectSink,
) -> Result<Oid, CommitError> {
    let odb = repo.odb()?;
    let mut root = BTreeMap::new();
    for ch in changes {
        validate_path(&ch.path)?;
        let blob = match &ch.content {
            Some(bytes) => Some(sink.put(&odb, ObjectType::Blob, bytes, None)?),
            None => None,
        };
        insert_change(&mut root, &ch.path, blob)?;
    }
    Ok(match write_dir(&odb, base, &root, "", sink)? {
        Some(id) => id,
        None => sink.put(&odb, ObjectType::Tree, &[], None)?,
    })
}

/// A git object id: the SHA-1 of `KIND SIZE NUL` and the content.
pub(crate) fn object_id(kind: ObjectType, data: &[u8]) -> Result<Oid, CommitError> {
    use sha1::Digest;
    let mut hash = sha1::Sha1::new();
    hash.update(format!("{} {}\0", kind.str(), data.len()).as_bytes());
    hash.update(data);
    Ok(Oid::from_bytes(&hash.finalize())?)
}

/// Objects only named, never stored: folders kept in memory (to be read again), blobs
/// dropped. What a tree would be, without writing it.
struct Named<'f> {
    folders: &'f mut FolderCache,
}

impl ObjectSink for Named<'_> {
    fn put(
        &mut self,
        _odb: &git2::Odb<'_>,
        kind: ObjectType,
        data: &[u8],
        _replaces: Option<Oid>,
    ) -> Result<Oid, CommitError> {
        let id = object_id(kind, data)?;
        if kind == ObjectType::Tree {
            self.folders.keep(id, None, data.to_vec());
        }
        Ok(id)
    }

    fn folders(&self) -> Option<&FolderCache> {
        Some(self.folders)
    }
}

/// The id of the tree `base` would become with `changes` applied, computed in memory (the
/// folders on the way kept in `folders`, where later reads find them).
pub fn tree_with(
    repo: &Repository,
    base: Option<Oid>,
    changes: &[FileChange],
    folders: &mut FolderCache,
) -> Result<Oid, CommitError> {
    build_tree_id(repo, base, changes, &mut Named { folders })
}

/// Build the tree for `prepared` on top of `tip`, sign the commit and write it. The branch is
/// not moved. New blobs and folders go to `sink`.
pub(crate) fn write_signed_commit(
    repo: &Repository,
    identity: &Identity,
    signer: &dyn Signer,
    tip: &Tip<'_>,
    prepared: &Prepared,
    sink: &mut dyn ObjectSink,
) -> Result<(Oid, String), CommitError> {
    refuse_private_keys(prepared)?;
    let who = git_signature(identity, identity.when)?;
    let committer = git_signature(identity, identity.landed.unwrap_or(identity.when))?;
    let message = normalize_message(&prepared.message)?;
    let tree = build_tree(repo, tip.tree(), &prepared.changes, sink)?;
    let parents: Vec<&git2::Commit<'_>> = tip.commit().into_iter().collect();
    let buffer = repo.commit_create_buffer(&who, &committer, &message, &tree, &parents)?;
    let content = buffer.as_str()?;
    let signature = signer.sign(content.as_bytes())?;
    let signed = with_signature(content, &signature);
    let id = sink.put(&repo.odb()?, ObjectType::Commit, signed.as_bytes(), None)?;
    Ok((id, message))
}

/// No file or message of a commit may hold private key material (anyone with a clone could
/// sign as its owner).
fn refuse_private_keys(prepared: &Prepared) -> Result<(), CommitError> {
    use crate::domain::secrets::private_key_in;
    for c in &prepared.changes {
        if let Some(what) = c.content.as_deref().and_then(private_key_in) {
            return Err(CommitError::Refused(format!(
                "{} holds {what}; private key material is never committed to the office, \
                 so nothing was written",
                c.path
            )));
        }
    }
    if let Some(what) = private_key_in(prepared.message.as_bytes()) {
        return Err(CommitError::Refused(format!(
            "the commit message holds {what}; nothing was written"
        )));
    }
    Ok(())
}

/// The commit object with its signature in a `gpgsig` header, laid out exactly as git (and
/// libgit2's `git_commit_create_with_signature`) does: after the last header line, each line
/// of the signature after the first indented by one space.
fn with_signature(content: &str, signature: &str) -> String {
    let header_end = content.find("\n\n").map(|i| i + 1).unwrap_or(content.len());
    let mut out = String::with_capacity(content.len() + signature.len() + 64);
    out.push_str(&content[..header_end]);
    out.push_str("gpgsig ");
    out.push_str(&signature.replace('\n', "\n "));
    out.push('\n');
    out.push_str(&content[header_end..]);
    out
}

fn normalize_message(message: &str) -> Result<String, CommitError> {
    let trimmed = message.trim_end();
    if trimmed.trim().is_empty() {
        return Err(CommitError::EmptyMessage);
    }
    let mut m = trimmed.to_string();
    m.push('\n');
    Ok(m)
}

fn git_signature(
    identity: &Identity,
    when: chrono::DateTime<chrono::FixedOffset>,
) -> Result<git2::Signature<'static>, CommitError> {
    let offset_minutes = when.offset().local_minus_utc() / 60;
    let time = git2::Time::new(when.timestamp(), offset_minutes);
    Ok(git2::Signature::new(
        &identity.name,
        &identity.email,
        &time,
    )?)
}

pub(crate) fn is_ref_conflict(e: &git2::Error) -> bool {
    matches!(
        e.code(),
        ErrorCode::Modified | ErrorCode::Locked | ErrorCode::Exists
    )
}

fn backoff(attempt: u32) {
    // Exponential cap with full jitter: 0.5 ms, 1 ms, 2 ms ... up to 100 ms.
    let cap_us: u64 = (500u64 << attempt.min(8)).min(100_000);
    let us = rand::thread_rng().gen_range(cap_us / 4..=cap_us);
    std::thread::sleep(Duration::from_micros(us));
}

/// Make one signed commit on the branch HEAD points to.
///
/// `prepare` is given the current tip and returns the change; it may be called again (with a
/// newer tip) when another writer moved the branch first, so it must re-read what it needs
/// from the tip and re-check its rules. Return [`CommitError::Refused`] from it to abort.
///
/// Returns the new commit id. On any error before the branch moves, nothing is changed.
pub fn commit_change<F>(
    repo: &Repository,
    identity: &Identity,
    signer: &dyn Signer,
    mut prepare: F,
) -> Result<Oid, CommitError>
where
    F: FnMut(&Tip) -> Result<Prepared, CommitError>,
{
    durable::fsync_git_writes();
    for attempt in 0..MAX_ATTEMPTS {
        let branch = head_branch(repo)?;
        let tip = read_tip(repo, branch)?;
        let prepared = prepare(&tip)?;
        let (new_id, message) =
            write_signed_commit(repo, identity, signer, &tip, &prepared, &mut ToDatabase)?;

        durable::point("objects-written");
        let subject = message.lines().next().unwrap_or("");
        let reflog = match tip.id() {
            Some(_) => format!("commit: {subject}"),
            None => format!("commit (initial): {subject}"),
        };
        let paths: Vec<&str> = prepared.changes.iter().map(|c| c.path.as_str()).collect();
        let landing = Landing {
            branch: tip.branch(),
            old: tip.id(),
            new: new_id,
            reflog: &reflog,
            paths: &paths,
            mail: &prepared.mail,
        };
        match land(repo, &landing)? {
            Landed::Moved => return Ok(new_id),
            Landed::Raced => {
                if attempt + 1 < MAX_ATTEMPTS {
                    backoff(attempt);
                }
            }
        }
    }
    Err(CommitError::Contention {
        attempts: MAX_ATTEMPTS,
    })
}

/// Bring `paths` in the working tree and index in line with the tip of `branch`.
///
/// Taking the content from the branch tip *under the lock* (rather than from the commit just
/// made) means that when two writers race, whoever syncs last writes the newest state.
pub(crate) fn sync_worktree(
    repo: &Repository,
    branch: &str,
    paths: &[&str],
) -> Result<(), CommitError> {
    if repo.workdir().is_none() || paths.is_empty() {
        return Ok(()); // bare repository, or nothing to do
    }
    let _lock = RepoLock::acquire(repo)?;
    sync_worktree_locked(repo, branch, paths)
}

/// [`sync_worktree`] for a caller that holds the office lock.
pub(crate) fn sync_worktree_locked(
    repo: &Repository,
    branch: &str,
    paths: &[&str],
) -> Result<(), CommitError> {
    sync_locked(repo, branch, paths, true)
}

/// Sets the index entries of `paths` to the tip of `branch` and leaves their working-tree
/// files alone (files edited by hand: the edit shows as an unstaged change against HEAD, and
/// nothing staged reverts the branch). Under the office lock.
pub(crate) fn stage_tip_locked(
    repo: &Repository,
    branch: &str,
    paths: &[&str],
) -> Result<(), CommitError> {
    sync_locked(repo, branch, paths, false)
}

fn sync_locked(
    repo: &Repository,
    branch: &str,
    paths: &[&str],
    files: bool,
) -> Result<(), CommitError> {
    let Some(workdir) = repo.workdir() else {
        return Ok(()); // bare repository
    };
    if paths.is_empty() {
        return Ok(());
    }
    // HEAD may have been switched to another branch meanwhile: then leave the files alone.
    if head_branch(repo).ok().as_deref() != Some(branch) {
        return Ok(());
    }
    let tree = repo.find_reference(branch)?.peel_to_tree()?;
    let mut index = repo.index()?;
    // Reloads only when the file changed on disk since this handle last read or wrote it
    // (libgit2 compares mtime, size and inode; every write is a rename, so a new inode).
    index.read(false)?;
    let result = update_paths(repo, workdir, &tree, &mut index, paths, files);
    if result.is_err() {
        // Drop half-applied in-memory entries so a later call starts from the file on disk.
        let _ = index.read(true);
    }
    result
}

fn update_paths(
    repo: &Repository,
    workdir: &Path,
    tree: &git2::Tree<'_>,
    index: &mut git2::Index,
    paths: &[&str],
    files: bool,
) -> Result<(), CommitError> {
    let mut folders = std::collections::BTreeSet::new();
    // What each path becomes: its new bytes (written to a temporary file beside it first),
    // its index entry alone, or nothing.
    enum Next {
        File(Oid, i32, tempfile::TempPath),
        Entry(Oid, i32),
        Gone,
    }
    let mut next = Vec::with_capacity(paths.len());
    for path in paths {
        let full = workdir.join(path);
        if let Some(f) = full.parent() {
            folders.insert(f.to_path_buf());
        }
        let entry = match tree.get_path(Path::new(path)) {
            Ok(e) if e.kind() == Some(ObjectType::Blob) => Some((e.id(), e.filemode())),
            Ok(_) => continue, // not a plain file at the tip: not ours to touch
            Err(e) if e.code() == ErrorCode::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let becomes = match entry {
            Some((oid, mode)) if files => {
                let blob = repo.find_blob(oid)?;
                let tmp = write_temporary(&full, blob.content(), mode == MODE_EXEC)?;
                Next::File(oid, mode, tmp)
            }
            Some((oid, mode)) => Next::Entry(oid, mode),
            None => Next::Gone,
        };
        next.push((*path, full, becomes));
    }
    // Every new file's bytes on disk before any takes its place, so a power loss never leaves
    // a claim file empty or torn: a batch's thousands by one sync of the file system (an fsync
    // each was most of a batch's time on ext4), a single file by its own fsync.
    let temporaries: Vec<&tempfile::TempPath> = next
        .iter()
        .filter_map(|(_, _, n)| match n {
            Next::File(_, _, tmp) => Some(tmp),
            _ => None,
        })
        .collect();
    let whole =
        temporaries.len() > 1 && durable::sync_file_system(workdir).map_err(io_err(workdir))?;
    if !whole {
        for tmp in temporaries {
            fs::File::open(tmp)
                .and_then(|f| durable::sync_file(&f, tmp))
                .map_err(io_err(tmp))?;
        }
    }
    let mut renamed = 0;
    for (path, full, n) in next {
        match n {
            Next::File(oid, mode, tmp) => {
                tmp.persist(&full).map_err(|e| CommitError::Io {
                    path: full.clone(),
                    source: e.error,
                })?;
                renamed += 1;
                let md = fs::symlink_metadata(&full).map_err(io_err(&full))?;
                index.add(&index_entry(path, oid, mode as u32, Some(&md)))?;
                durable::point("worktree-file");
            }
            Next::Entry(oid, mode) => {
                // No stat data: git hashes the file to compare it, and finds the hand edit.
                index.add(&index_entry(path, oid, mode as u32, None))?;
            }
            Next::Gone => {
                if files {
                    remove_file_and_empty_parents(workdir, &full)?;
                }
                match index.remove_path(Path::new(path)) {
                    Ok(()) => {}
                    Err(e) if e.code() == ErrorCode::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
                durable::point("worktree-file");
            }
        }
    }
    // On disk before the journal that could repair them goes: the renames and removals, in
    // the folders that hold them.
    if !(renamed > 1 && durable::sync_file_system(workdir).map_err(io_err(workdir))?) {
        for f in &folders {
            if f.is_dir() {
                durable::sync_dir(f).map_err(io_err(f))?;
            }
        }
    }
    // `git` itself may hold index.lock for a moment: wait a little for it.
    let mut tries = 0;
    loop {
        match index.write() {
            Ok(()) => break,
            Err(e) if e.code() == ErrorCode::Locked && tries < 100 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) if e.code() == ErrorCode::Locked => return Err(CommitError::Refused(
                ".git/index.lock exists: a git command is running, or one that crashed left it; \
                     if no git command is running, remove .git/index.lock"
                    .into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let index_file = repo.path().join("index");
    fs::File::open(&index_file)
        .and_then(|f| durable::sync_file(&f, &index_file))
        .and_then(|()| durable::sync_dir(repo.path()))
        .map_err(io_err(&index_file))?;
    durable::point("index-written");
    Ok(())
}

/// An index entry for `path`, with the stat data of the file written (`None`: none, so git
/// compares the file's content).
fn index_entry(path: &str, id: Oid, mode: u32, md: Option<&fs::Metadata>) -> git2::IndexEntry {
    match md {
        Some(md) => stat_entry(path, id, mode, md),
        None => {
            let t = git2::IndexTime::new(0, 0);
            git2::IndexEntry {
                ctime: t,
                mtime: t,
                dev: 0,
                ino: 0,
                mode,
                uid: 0,
                gid: 0,
                file_size: 0,
                id,
                flags: 0,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            }
        }
    }
}

#[cfg(unix)]
fn stat_entry(path: &str, id: Oid, mode: u32, md: &fs::Metadata) -> git2::IndexEntry {
    use std::os::unix::fs::MetadataExt;
    git2::IndexEntry {
        ctime: git2::IndexTime::new(md.ctime() as i32, md.ctime_nsec() as u32),
        mtime: git2::IndexTime::new(md.mtime() as i32, md.mtime_nsec() as u32),
        dev: md.dev() as u32,
        ino: md.ino() as u32,
        mode,
        uid: md.uid(),
        gid: md.gid(),
        file_size: md.len() as u32,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

#[cfg(not(unix))]
fn stat_entry(path: &str, id: Oid, mode: u32, md: &fs::Metadata) -> git2::IndexEntry {
    let mtime = md
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .unwrap_or_default();
    let t = git2::IndexTime::new(mtime.as_secs() as i32, mtime.subsec_nanos());
    git2::IndexEntry {
        ctime: t,
        mtime: t,
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: md.len() as u32,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// `content` in a new temporary file in `path`'s folder (made if missing), with the mode git
/// gives it; not yet flushed to disk, nor in `path`'s place.
fn write_temporary(
    path: &Path,
    content: &[u8],
    executable: bool,
) -> Result<tempfile::TempPath, CommitError> {
    let dir = path.parent().expect("a path inside the working tree");
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".claims-tmp-")
        .tempfile_in(dir)
        .map_err(io_err(dir))?;
    tmp.write_all(content).map_err(io_err(tmp.path()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if executable { 0o755 } else { 0o644 };
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(mode))
            .map_err(io_err(tmp.path()))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(tmp.into_temp_path())
}

fn remove_file_and_empty_parents(workdir: &Path, full: &Path) -> Result<(), CommitError> {
    match fs::remove_file(full) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(full)(e)),
    }
    let mut dir = full.parent();
    while let Some(d) = dir {
        if d == workdir || !d.starts_with(workdir) {
            break;
        }
        if fs::remove_dir(d).is_err() {
            break; // not empty (or already gone)
        }
        dir = d.parent();
    }
    Ok(())
}

/// Which of `paths` have edits not committed on HEAD: the working-tree file or the index entry
/// differs from the HEAD tree (including added, deleted and conflicted files). Only these
/// paths are looked at; file contents are hashed and compared with the blob ids.
pub fn uncommitted_edits(repo: &Repository, paths: &[&str]) -> Result<Vec<String>, CommitError> {
    uncommitted_edits_with(repo, paths, None)
}

/// [`uncommitted_edits`], reading HEAD's folders through `memo` (a batch asks about thousands
/// of paths in one month folder while HEAD stays put; folders are keyed by id, so a memo is
/// never stale).
pub(crate) fn uncommitted_edits_with(
    repo: &Repository,
    paths: &[&str],
    memo: Option<&std::cell::RefCell<FolderCache>>,
) -> Result<Vec<String>, CommitError> {
    let Some(workdir) = repo.workdir() else {
        return Ok(Vec::new());
    };
    let head_tree = match repo.head() {
        Ok(h) => Some(h.peel_to_tree()?),
        Err(e) if e.code() == ErrorCode::UnbornBranch || e.code() == ErrorCode::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    let mut index = repo.index()?;
    index.read(false)?;
    let mut edited = Vec::new();
    for path in paths {
        let p = Path::new(path);
        let head = match &head_tree {
            Some(t) => match blob_entry(repo, None, memo, t, path) {
                Ok(found) => found.map(|(id, _)| id),
                // a folder: never equal to a file
                Err(CommitError::InvalidPath { .. }) => Some(Oid::ZERO_SHA1),
                Err(e) => return Err(e),
            },
            None => None,
        };
        let conflicted = (1..=3).any(|stage| index.get_path(p, stage).is_some());
        let staged = index.get_path(p, 0).map(|e| e.id);
        let full = workdir.join(path);
        let work = match fs::symlink_metadata(&full) {
            Ok(md) if md.is_file() => Some(Oid::hash_file(ObjectType::Blob, &full)?),
            Ok(md) if md.file_type().is_symlink() => {
                let target = fs::read_link(&full).map_err(io_err(&full))?;
                Some(Oid::hash_object(
                    ObjectType::Blob,
                    target.as_os_str().as_encoded_bytes(),
                )?)
            }
            Ok(_) => Some(Oid::ZERO_SHA1), // a folder where a file should be
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_err(&full)(e)),
        };
        let same_as_git_sees_it = || work.is_some() && filtered_clean(repo, p);
        if conflicted || staged != head || (work != head && !same_as_git_sees_it()) {
            edited.push((*path).to_string());
        }
    }
    Ok(edited)
}

/// Whether git, applying the clone's filters and end-of-line rules (`core.autocrlf`,
/// `.gitattributes`), finds the working-tree file the same as its index entry: a file checked
/// out with CRLF line endings hashes differently from its blob without being edited.
fn filtered_clean(repo: &Repository, path: &Path) -> bool {
    repo.status_file(path).is_ok_and(|st| {
        !st.intersects(
            git2::Status::WT_MODIFIED
                | git2::Status::WT_DELETED
                | git2::Status::WT_TYPECHANGE
                | git2::Status::WT_NEW
                | git2::Status::CONFLICTED,
        )
    })
}

/// [`uncommitted_edits_with`] under the office lock, once any interrupted change is finished:
/// another writer that moved the branch but has not yet written its files is never taken for
/// uncommitted edits.
pub(crate) fn uncommitted_edits_locked(
    repo: &Repository,
    paths: &[&str],
    memo: Option<&std::cell::RefCell<FolderCache>>,
) -> Result<Vec<String>, CommitError> {
    if repo.workdir().is_none() || paths.is_empty() {
        return Ok(Vec::new());
    }
    let _lock = RepoLock::acquire(repo)?;
    let unfinished = super::landing::recover_locked(repo)?;
    let edited = uncommitted_edits_with(repo, paths, memo)?;
    // A landed change whose files could not be written yet is not an edit of anyone's.
    for p in &edited {
        if let Some(u) = unfinished.iter().find(|u| u.paths.contains(p)) {
            return Err(CommitError::Refused(format!(
                "{p} is not yet in line with the branch: an interrupted change ({}) landed but could not be finished (see the warning above); nothing was changed",
                u.id
            )));
        }
    }
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::signing::{ssh_signature_public_key, verify_ssh_signature, SshKeygenSigner};
    use crate::store::testutil::TestRepo;

    fn put(path: &str, content: &str) -> FileChange {
        FileChange {
            path: path.into(),
            content: Some(content.as_bytes().to_vec()),
        }
    }

    fn del(path: &str) -> FileChange {
        FileChange {
            path: path.into(),
            content: None,
        }
    }

    fn commit(t: &TestRepo, repo: &Repository, changes: Vec<FileChange>, msg: &str) -> Oid {
        let signer = t.signer();
        commit_change(repo, &TestRepo::identity(), signer.as_ref(), |_tip| {
            Ok(Prepared {
                changes: changes.clone(),
                message: msg.into(),
                ..Default::default()
            })
        })
        .unwrap()
    }

    fn assert_verified_and_clean(t: &TestRepo) {
        let out = t.git(&["verify-commit", "HEAD"]);
        assert!(
            out.status.success(),
            "verify-commit failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let fsck = t.git(&["fsck", "--strict", "--no-dangling"]);
        assert!(
            fsck.status.success() && fsck.stdout.is_empty(),
            "fsck: {}{}",
            String::from_utf8_lossy(&fsck.stdout),
            String::from_utf8_lossy(&fsck.stderr)
        );
        assert_eq!(
            t.git_ok(&["status", "--porcelain", "--untracked-files=all"]),
            ""
        );
    }

    fn tree_listing(t: &TestRepo) -> Vec<String> {
        t.git_ok(&["ls-tree", "-r", "--name-only", "HEAD"])
            .lines()
            .map(String::from)
            .collect()
    }

    #[test]
    fn signed_commits_are_laid_out_as_libgit2_lays_them_out() {
        let t = TestRepo::new();
        let repo = t.open();
        commit(&t, &repo, vec![put("a.txt", "a\n")], "First");
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        let who = git_signature(&TestRepo::identity(), TestRepo::identity().when).unwrap();
        let buffer = repo
            .commit_create_buffer(&who, &who, "Second\n", &head.tree().unwrap(), &[&head])
            .unwrap();
        let content = buffer.as_str().unwrap();
        let signature = t.signer().sign(content.as_bytes()).unwrap();
        let theirs = repo.commit_signed(content, &signature, None).unwrap();
        let ours = Oid::hash_object(
            ObjectType::Commit,
            with_signature(content, &signature).as_bytes(),
        )
        .unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn unborn_branch_gets_first_commit() {
        let t = TestRepo::new();
        let repo = t.open();
        let id = commit(
            &t,
            &repo,
            vec![put("office.yaml", "name: Acme\n")],
            "Init office",
        );
        assert_eq!(repo.head().unwrap().target(), Some(id));
        assert_eq!(repo.find_commit(id).unwrap().parent_count(), 0);
        assert_verified_and_clean(&t);
        assert_eq!(tree_listing(&t), vec!["office.yaml"]);
        let log = t.git_ok(&["log", "-1", "--format=%s%n%an <%ae>%n%ad", "--date=iso"]);
        assert_eq!(
            log,
            "Init office\nJane Adjuster <jane@example.com>\n2026-11-03 09:30:00 -0500\n"
        );
        // The reflog names the commit the way git would.
        let reflog = t.git_ok(&["reflog", "-1", "--format=%gs", "main"]);
        assert_eq!(reflog.trim(), "commit (initial): Init office");
        let head_reflog = t.git_ok(&["reflog", "-1", "--format=%gs", "HEAD"]);
        assert_eq!(head_reflog.trim(), "commit (initial): Init office");
    }

    #[test]
    fn nested_folders_edits_and_deletes_verify_and_stay_clean() {
        let t = TestRepo::new();
        let repo = t.open();
        commit(&t, &repo, vec![put("office.yaml", "name: Acme\n")], "Init");
        assert_verified_and_clean(&t);

        commit(
            &t,
            &repo,
            vec![
                put("claims/2026/11/C-1.yaml", "id: C-1\n"),
                put("claims/2026/11/C-1/letters/a.txt", "Dear Jane\n"),
                put("claims/2026/11/C-1/letters/b.txt", "Dear John\n"),
                put("claims/2026/12/C-2.yaml", "id: C-2\n"),
            ],
            "Open C-1 and C-2\n\nClaim: C-1\nCommand: open",
        );
        assert_verified_and_clean(&t);
        assert_eq!(
            tree_listing(&t),
            vec![
                "claims/2026/11/C-1.yaml",
                "claims/2026/11/C-1/letters/a.txt",
                "claims/2026/11/C-1/letters/b.txt",
                "claims/2026/12/C-2.yaml",
                "office.yaml",
            ]
        );
        let trailers = t.git_ok(&["log", "-1", "--format=%(trailers:key=Claim,valueonly)"]);
        assert_eq!(trailers.trim(), "C-1");

        // Edit one file, delete a letter, delete the whole of December.
        commit(
            &t,
            &repo,
            vec![
                put("claims/2026/11/C-1.yaml", "id: C-1\nstatus: open\n"),
                del("claims/2026/11/C-1/letters/a.txt"),
                del("claims/2026/12/C-2.yaml"),
            ],
            "Edit",
        );
        assert_verified_and_clean(&t);
        assert_eq!(
            tree_listing(&t),
            vec![
                "claims/2026/11/C-1.yaml",
                "claims/2026/11/C-1/letters/b.txt",
                "office.yaml",
            ]
        );
        assert!(
            !t.root.join("claims/2026/12").exists(),
            "empty folder removed"
        );
        assert_eq!(
            std::fs::read_to_string(t.root.join("claims/2026/11/C-1.yaml")).unwrap(),
            "id: C-1\nstatus: open\n"
        );

        // Deleting the last letter removes the letters and C-1 folders from the tree.
        commit(
            &t,
            &repo,
            vec![del("claims/2026/11/C-1/letters/b.txt")],
            "Drop",
        );
        assert_verified_and_clean(&t);
        assert_eq!(
            tree_listing(&t),
            vec!["claims/2026/11/C-1.yaml", "office.yaml"]
        );
        assert!(!t.root.join("claims/2026/11/C-1").exists());
        let out = t.git_ok(&["cat-file", "-p", "HEAD:claims/2026/11"]);
        assert_eq!(out.lines().count(), 1, "only C-1.yaml left: {out}");

        // Tip::read sees the committed contents.
        let signer = t.signer();
        commit_change(&repo, &TestRepo::identity(), signer.as_ref(), |tip| {
            assert_eq!(
                tip.read("claims/2026/11/C-1.yaml")?.as_deref(),
                Some(&b"id: C-1\nstatus: open\n"[..])
            );
            assert_eq!(tip.read("claims/2026/11/missing.yaml")?, None);
            assert!(tip.read("claims").is_err(), "a folder is not a file");
            Err(CommitError::Refused("just looking".into()))
        })
        .unwrap_err();
    }

    #[test]
    fn names_that_prefix_each_other_keep_git_order() {
        // git sorts a folder `x` as `x/`: after `x-a` and `x.txt`, before `x0`. Files and
        // folders whose names prefix each other must be found and placed exactly.
        let t = TestRepo::new();
        let repo = t.open();
        commit(
            &t,
            &repo,
            vec![put("d/x-a", "1\n"), put("d/x0", "2\n"), put("d/x/f", "3\n")],
            "Init",
        );
        commit(
            &t,
            &repo,
            vec![
                put("d/x.txt", "4\n"),
                put("d/x/g", "5\n"),
                put("d/x-", "6\n"),
                put("d/w", "7\n"),
                put("d/y", "8\n"),
                put("d/x-a", "1b\n"),
            ],
            "Around the prefixes",
        );
        assert_verified_and_clean(&t);
        let listing = t.git_ok(&["ls-tree", "--name-only", "HEAD:d"]);
        assert_eq!(
            listing.lines().collect::<Vec<_>>(),
            ["w", "x-", "x-a", "x.txt", "x", "x0", "y"]
        );
        t.git_ok(&["fsck", "--strict", "--no-progress"]);
        // A file where a folder is, found past the names it prefixes, is refused.
        let err = commit_change(&repo, &TestRepo::identity(), t.signer().as_ref(), |_| {
            Ok(Prepared {
                changes: vec![put("d/x", "not a folder\n")],
                message: "clash".into(),
                ..Default::default()
            })
        })
        .unwrap_err();
        assert!(err.to_string().contains("folder"), "{err}");
        let signer = t.signer();
        commit_change(&repo, &TestRepo::identity(), signer.as_ref(), |tip| {
            assert_eq!(tip.read("d/x/g")?.as_deref(), Some(&b"5\n"[..]));
            assert_eq!(tip.read("d/x-a")?.as_deref(), Some(&b"1b\n"[..]));
            assert_eq!(tip.read("d/x.tx")?, None);
            Err(CommitError::Refused("just looking".into()))
        })
        .unwrap_err();
    }

    #[test]
    fn in_process_verification_accepts_and_rejects_tampering() {
        let t = TestRepo::new();
        let repo = t.open();
        let id = commit(&t, &repo, vec![put("a.txt", "a\n")], "One");
        let (sig, data) = repo.extract_signature(&id, None).unwrap();
        let sig = sig.as_str().unwrap();
        verify_ssh_signature(sig, &data, &t.public).unwrap();
        let mut tampered = data.to_vec();
        let n = tampered.len();
        tampered[n - 2] ^= 1;
        assert!(matches!(
            verify_ssh_signature(sig, &tampered, &t.public),
            Err(SignError::BadSignature)
        ));
        let signer_key = ssh_signature_public_key(sig).unwrap();
        assert!(
            t.public.starts_with(&signer_key),
            "{signer_key} vs {}",
            t.public
        );
        assert!(!signer_key.ends_with(' '));
    }

    /// HEAD, the index file's bytes, and every working-tree path with its content.
    type Snapshot = (String, Vec<u8>, Vec<(String, Vec<u8>)>);

    fn snapshot(t: &TestRepo) -> Snapshot {
        let head = t.git_ok(&["rev-parse", "HEAD"]);
        let index = std::fs::read(t.root.join(".git/index")).unwrap();
        let mut files = Vec::new();
        for e in walkdir::WalkDir::new(&t.root).sort_by_file_name() {
            let e = e.unwrap();
            let rel = e
                .path()
                .strip_prefix(&t.root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            if rel.starts_with(".git") {
                continue;
            }
            let content = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            files.push((rel, content));
        }
        (head, index, files)
    }

    #[test]
    fn signing_failure_changes_nothing() {
        let t = TestRepo::new();
        let repo = t.open();
        commit(&t, &repo, vec![put("claims/C-1.yaml", "id: C-1\n")], "Init");
        let before = snapshot(&t);
        std::fs::remove_file(&t.key).unwrap();
        let signer = SshKeygenSigner::with_key_file(&t.key, None);
        let err = commit_change(&repo, &TestRepo::identity(), &signer, |_| {
            Ok(Prepared {
                changes: vec![put("claims/C-1.yaml", "changed\n"), put("new/x.txt", "x")],
                message: "Should not land".into(),
                ..Default::default()
            })
        })
        .unwrap_err();
        assert!(matches!(err, CommitError::Sign(_)), "{err}");
        assert_eq!(snapshot(&t), before);
        assert_eq!(t.git_ok(&["status", "--porcelain"]), "");

        // A refusal from prepare passes through untouched, without retry.
        let signer = SshKeygenSigner::with_key_file(&t.key, None);
        let mut calls = 0;
        let err = commit_change(&repo, &TestRepo::identity(), &signer, |_| {
            calls += 1;
            Err(CommitError::Refused("over authority".into()))
        })
        .unwrap_err();
        assert!(err.is_refusal());
        assert_eq!(err.to_string(), "over authority");
        assert_eq!(calls, 1);
        assert_eq!(snapshot(&t), before);
    }

    #[test]
    fn bad_paths_are_refused_before_anything_happens() {
        let t = TestRepo::new();
        let repo = t.open();
        commit(&t, &repo, vec![put("claims/C-1.yaml", "id: C-1\n")], "Init");
        let before = snapshot(&t);
        let signer = t.signer();
        for bad in [
            vec![put("../x", "x")],
            vec![put("/abs", "x")],
            vec![put(".git/config", "x")],
            vec![put("a//b", "x")],
            vec![put("claims/C-1.yaml/x", "x")],
            vec![put("claims", "x")],
            vec![put("a", "1"), put("a", "2")],
            vec![put("a", "1"), put("a/b", "2")],
        ] {
            let err = commit_change(&repo, &TestRepo::identity(), signer.as_ref(), |_| {
                Ok(Prepared {
                    changes: bad.clone(),
                    message: "bad".into(),
                    ..Default::default()
                })
            })
            .unwrap_err();
            assert!(
                matches!(err, CommitError::InvalidPath { .. }),
                "{bad:?}: {err}"
            );
        }
        assert_eq!(snapshot(&t), before);
    }

    #[test]
    fn detached_head_is_refused() {
        let t = TestRepo::new();
        let repo = t.open();
        commit(&t, &repo, vec![put("a.txt", "a\n")], "Init");
        t.git_ok(&["checkout", "-q", "--detach"]);
        let signer = t.signer();
        let err = commit_change(&repo, &TestRepo::identity(), signer.as_ref(), |_| {
            Ok(Prepared {
                changes: vec![put("a.txt", "b\n")],
                message: "x".into(),
                ..Default::default()
            })
        })
        .unwrap_err();
        assert!(matches!(err, CommitError::DetachedHead), "{err}");
        assert!(err.to_string().contains("detached"));
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let t = TestRepo::new();
        let repo = t.open();
        commit(&t, &repo, vec![put("office.yaml", "name: Acme\n")], "Init");
        let root = t.root.clone();
        let signer: std::sync::Arc<dyn Signer> = std::sync::Arc::from(t.signer());
        let prepares = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let handles: Vec<_> = (0..2)
            .map(|w| {
                let root = root.clone();
                let signer = signer.clone();
                let prepares = prepares.clone();
                std::thread::spawn(move || {
                    let repo = Repository::open(&root).unwrap();
                    for i in 0..50 {
                        let path = format!("claims/w{w}/C-{i}.yaml");
                        // Each change also bumps a per-writer counter read from the tip, so
                        // a lost update would show up as a wrong count.
                        let counter = format!("counters/w{w}");
                        commit_change(&repo, &TestRepo::identity(), signer.as_ref(), |tip| {
                            prepares.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let n: u32 = match tip.read(&counter)? {
                                Some(b) => String::from_utf8(b).unwrap().trim().parse().unwrap(),
                                None => 0,
                            };
                            Ok(Prepared {
                                changes: vec![
                                    put(&path, &format!("id: C-{i}\n")),
                                    put(&counter, &format!("{}\n", n + 1)),
                                ],
                                message: format!("Writer {w} claim {i}"),
                                ..Default::default()
                            })
                        })
                        .unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        // More than 100 means some writers lost a race and retried from the new tip.
        eprintln!(
            "prepare calls: {}",
            prepares.load(std::sync::atomic::Ordering::Relaxed)
        );
        let count = t.git_ok(&["rev-list", "--count", "HEAD"]);
        assert_eq!(count.trim(), "101");
        let merges = t.git_ok(&["rev-list", "--min-parents=2", "HEAD"]);
        assert_eq!(merges, "", "linear history");
        let roots = t.git_ok(&["rev-list", "--max-parents=0", "HEAD"]);
        assert_eq!(roots.lines().count(), 1);
        let files = tree_listing(&t);
        assert_eq!(files.len(), 1 + 100 + 2);
        for w in 0..2 {
            assert_eq!(
                t.git_ok(&["show", &format!("HEAD:counters/w{w}")]).trim(),
                "50"
            );
        }
        assert_verified_and_clean(&t);
        // Every commit, not just the tip, is signed and verifies.
        for c in t.git_ok(&["rev-list", "HEAD"]).lines() {
            assert!(t.git(&["verify-commit", c]).status.success(), "{c}");
        }
    }

    #[test]
    fn uncommitted_edits_finds_hand_edits() {
        let t = TestRepo::new();
        let repo = t.open();
        assert_eq!(
            uncommitted_edits(&repo, &["a.yaml"]).unwrap(),
            Vec::<String>::new(),
            "nothing anywhere in an empty repository"
        );
        commit(
            &t,
            &repo,
            vec![
                put("claims/a.yaml", "a\n"),
                put("claims/b.yaml", "b\n"),
                put("claims/c.yaml", "c\n"),
            ],
            "Init",
        );
        let paths = [
            "claims/a.yaml",
            "claims/b.yaml",
            "claims/c.yaml",
            "claims/new.yaml",
        ];
        assert!(uncommitted_edits(&repo, &paths).unwrap().is_empty());

        std::fs::write(t.root.join("claims/a.yaml"), "hand edit\n").unwrap();
        std::fs::write(t.root.join("claims/new.yaml"), "untracked\n").unwrap();
        std::fs::write(t.root.join("claims/c.yaml"), "staged\n").unwrap();
        t.git_ok(&["add", "claims/c.yaml"]);
        std::fs::write(t.root.join("claims/c.yaml"), "c\n").unwrap(); // worktree back, index not
        assert_eq!(
            uncommitted_edits(&repo, &paths).unwrap(),
            vec!["claims/a.yaml", "claims/c.yaml", "claims/new.yaml"]
        );
        std::fs::remove_file(t.root.join("claims/b.yaml")).unwrap();
        assert!(uncommitted_edits(&repo, &["claims/b.yaml"]).unwrap() == vec!["claims/b.yaml"]);
    }

    #[test]
    fn bare_repository_commits_without_worktree() {
        let t = TestRepo::new();
        let bare = t.root.parent().unwrap().join("bare.git");
        git2::Repository::init_bare(&bare).unwrap();
        let repo = Repository::open(&bare).unwrap();
        let signer = t.signer();
        let id = commit_change(&repo, &TestRepo::identity(), signer.as_ref(), |_| {
            Ok(Prepared {
                changes: vec![put("x/y.txt", "y\n")],
                message: "bare".into(),
                ..Default::default()
            })
        })
        .unwrap();
        let tree = repo.find_commit(id).unwrap().tree().unwrap();
        assert!(tree.get_path(Path::new("x/y.txt")).is_ok());
    }
}
