//! The read cache: every claim file this build has parsed, kept as a compact binary record
//! under `.git/claims/read-cache/` (in packs of many records: [`packs`]), keyed by the file's
//! git blob id (the hash git gives its content). A reader hashes the bytes it read and, when
//! this build has parsed those very bytes before, decodes the record rather than parse the
//! YAML again.
//!
//! It lives inside `.git/`, so it is never committed; it may be deleted at any time (the next
//! read rebuilds it); only files whose bytes changed are parsed again. An entry counts only
//! when everything about it agrees — the build that wrote it, the blob id it is for, its
//! checksum, a record that decodes — else the file is parsed as if there were no cache, so a
//! stale or damaged entry can cost time but never change what a command reports. Writing is
//! best effort: a read-only `.git/` just means no cache. `CLAIMS_READ_CACHE=off` turns it off.
//!
//! A file git's index has seen is not even read when its stat data (size, times, inode) still
//! agree with what the index recorded and the index was written after both its times:
//! git's own test that a working-tree file is unchanged (`git status` trusts it), so its blob
//! id is the index's. Any other file is read and hashed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use git2::{ObjectType, Oid};

use crate::domain::claim::Claim;
use crate::domain::policy::Policy;
use crate::store::files::{parse_yaml, read_record, LoadFailure};
use crate::store::git::object_id;

mod clean;
mod packs;
pub use clean::{office_version, Clean, CleanClaims};

/// What one reading drew from each claim file (a list's summary, a report's rows), by path,
/// with the blob id of the file it was drawn from.
pub type Drawn<T> = HashMap<String, ([u8; 20], T)>;
use packs::Shelf;

const MAGIC: &[u8; 8] = b"claimsrc";
/// The name of the policies folder's entry, before its tree id (a file beside the claims'
/// packs, which [`ReadCache::tidy`] leaves alone).
const POLICIES: &str = "policies-";
/// The name of the claim summaries' entry (see [`ReadCache::drawn`]).
pub const SUMMARIES: &str = "summaries-";
/// The source this binary was built from (see build.rs).
const BUILD: &str = env!("CLAIMS_BUILD_KEY");
/// Magic, build key (16 hex digits), blob id, CRC-32 of the record.
const HEADER: usize = 8 + 16 + 20 + 4;

/// The records a reading has parsed are written as a pack once they come to this many bytes
/// (and when the reading ends).
const PACK_BYTES: usize = 16 << 20;
/// A tidy writes the records in use into one pack once there are more packs than this.
const MOST_PACKS: usize = 64;

/// Entries are written only while the office's disk has this much free: a cache must never take
/// the room a commit needs.
const ROOM_TO_KEEP: u64 = 1 << 30;

pub struct ReadCache {
    dir: Option<PathBuf>,
    /// Whether new entries are written (the disk has room).
    writes: bool,
    seen: Mutex<HashSet<Oid>>,
    written: AtomicUsize,
    /// The packs this reading looks in, opened at its first look.
    shelf: OnceLock<Option<Arc<Shelf>>>,
    /// Records parsed by this reading and not yet in a pack, with their bytes' total.
    fresh: Mutex<Fresh>,
    /// The git folder, whose index says which files are unchanged.
    git_dir: Option<PathBuf>,
    /// The blob id and stat data git's index holds for each claim file it has seen, read at
    /// the first look (a command reading one claim's policies never reads the index).
    known: OnceLock<Known>,
}

/// What a reading takes from git's index, read once.
#[derive(Default)]
struct Known {
    /// The files it vouches for, by path.
    seen: HashMap<Vec<u8>, Seen>,
    /// The symbolic links it lists where the tool writes (`None`: it could not be read).
    links: Option<Vec<String>>,
}

/// Records parsed and not yet packed (blob id, record), and their bytes' total.
type Fresh = (Vec<(Oid, Vec<u8>)>, usize);

/// What git's index recorded of a file: its blob id and the stat data it had then (git's
/// 32-bit fields).
struct Seen {
    id: Oid,
    size: u32,
    mtime: (i32, u32),
    ctime: (i32, u32),
    ino: u32,
}

impl ReadCache {
    /// The cache of the office whose working tree is `root` (none when `root/.git` is not a
    /// folder, or the cache is turned off).
    pub fn for_office(root: &Path) -> ReadCache {
        let git = root.join(".git");
        ReadCache::at(git.is_dir().then_some(git))
    }

    /// The cache of the repository whose git folder is `git_dir`.
    pub fn in_git_dir(git_dir: &Path) -> ReadCache {
        ReadCache::at(Some(git_dir.to_path_buf()))
    }

    fn at(git_dir: Option<PathBuf>) -> ReadCache {
        let git_dir = git_dir.filter(|_| !turned_off());
        ReadCache {
            writes: git_dir
                .as_deref()
                .is_some_and(|g| free_bytes(g) >= ROOM_TO_KEEP),
            dir: git_dir.as_deref().map(folder_in),
            seen: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            shelf: OnceLock::new(),
            fresh: Mutex::new((Vec::new(), 0)),
            known: OnceLock::new(),
            git_dir,
        }
    }

    /// The claim file `rel` of the office at `root`, read and parsed as [`read_record`] and
    /// [`parse_yaml`] would.
    pub fn claim_file(&self, root: &Path, rel: &str) -> Result<Claim, LoadFailure> {
        self.claim_file_and_blob(root, rel).map(|(_, c)| c)
    }

    /// [`ReadCache::claim_file`], with the blob id of the bytes the claim was read from (`None`
    /// when the cache is off).
    pub fn claim_file_and_blob(
        &self,
        root: &Path,
        rel: &str,
    ) -> Result<(Option<Oid>, Claim), LoadFailure> {
        if let Some(id) = self.unchanged_blob(root, rel) {
            if let Some(claim) = self.recorded(id) {
                return Ok((Some(id), claim));
            }
        }
        let text = read_record(&root.join(rel))?;
        match (&self.dir, object_id(ObjectType::Blob, text.as_bytes())) {
            (Some(_), Ok(id)) => self.claim_of_blob(id, &text).map(|c| (Some(id), c)),
            _ => parse_yaml(&text).map(|c| (None, c)),
        }
    }

    /// The claim file `rel` decoded from its entry without reading the file, when git's index
    /// vouches that the file is the blob it recorded (see the module's doc) and the cache holds
    /// an entry for that blob that agrees; else `None` (the caller reads the file).
    pub fn unchanged_claim(&self, root: &Path, rel: &str) -> Option<Claim> {
        self.recorded(self.unchanged_blob(root, rel)?)
    }

    /// The blob id of the office file `rel` (a claim, a policy, `authority.yaml`) when git's index vouches for it without its being read (see the
    /// module's doc); `None`: the caller reads it.
    pub fn unchanged_blob(&self, root: &Path, rel: &str) -> Option<Oid> {
        self.dir.as_ref()?;
        let seen = self.known().seen.get(rel.as_bytes())?;
        let md = std::fs::symlink_metadata(root.join(rel)).ok()?;
        (md.file_type().is_file() && seen.agrees_with(&md)).then_some(seen.id)
    }

    fn known(&self) -> &Known {
        self.known.get_or_init(|| {
            self.git_dir
                .as_deref()
                .map(seen_by_index)
                .unwrap_or_default()
        })
    }

    /// The symbolic links git's index lists where the tool writes
    /// ([`crate::store::files::committed_links`]), from the index this reading reads anyway.
    pub fn committed_links(&self, root: &Path) -> Vec<String> {
        let known = self.dir.as_ref().map(|_| self.known());
        match known.and_then(|k| k.links.clone()) {
            Some(links) => links,
            None => crate::store::files::committed_links(root),
        }
    }

    /// The blob id of the office file `rel` as it is now: the index's when it vouches for the
    /// file, else hashed from the file read as a record is read (`None`: it cannot be).
    pub fn blob_now(&self, root: &Path, rel: &str) -> Option<Oid> {
        self.unchanged_blob(root, rel).or_else(|| {
            let text = read_record(&root.join(rel)).ok()?;
            object_id(ObjectType::Blob, text.as_bytes()).ok()
        })
    }

    /// Marks the record of blob `id` as in use by this reading (a claim it did not need to
    /// decode), so a tidy keeps it.
    pub fn in_use(&self, id: Oid) {
        if let Ok(mut ids) = self.seen.lock() {
            ids.insert(id);
        }
    }

    /// What `check` found clean at office version `version` ([`office_version`]), when the
    /// cache holds an entry for it that agrees.
    pub fn clean_claims(&self, version: Oid) -> Option<CleanClaims> {
        let path = self
            .dir
            .as_ref()?
            .join(format!("{}{version}", clean::CLEAN));
        decode(&std::fs::read(path).ok()?, &version)
    }

    /// Keeps what `check` found clean at `version` (best effort), and removes the entries of
    /// other versions.
    pub fn keep_clean(&self, version: Oid, clean: &CleanClaims) {
        if let Some(dir) = self.dir.as_ref().filter(|_| self.writes) {
            keep_only(dir, clean::CLEAN, &version, clean);
        }
    }

    /// What a reading kept from each claim file ([`ReadCache::keep_drawn`]) under the entry
    /// `{kind}{key}`, where `key` names every input of the reading besides the claim (empty
    /// when the cache holds no entry that agrees).
    pub fn drawn<T: serde::de::DeserializeOwned>(&self, kind: &str, key: &Oid) -> Drawn<T> {
        self.dir
            .as_ref()
            .and_then(|dir| std::fs::read(dir.join(format!("{kind}{key}"))).ok())
            .and_then(|b| decode(&b, key))
            .unwrap_or_default()
    }

    /// Keeps what a reading drew from every claim file as the entry `{kind}{key}`, and removes
    /// the entries of that kind under other keys (best effort).
    pub fn keep_drawn<T: serde::Serialize>(&self, kind: &str, key: &Oid, drawn: &Drawn<T>) {
        if let Some(dir) = self.dir.as_ref().filter(|_| self.writes) {
            keep_only(dir, kind, key, drawn);
        }
    }

    /// The claim whose blob id is `id` (read from a tree), decoded from its entry when the cache
    /// holds one that agrees; `None`: the caller reads the blob and calls
    /// [`ReadCache::claim_of_blob`].
    pub fn recorded(&self, id: Oid) -> Option<Claim> {
        let claim = claim_on(self.shelf()?, id)?;
        if let Ok(mut ids) = self.seen.lock() {
            ids.insert(id);
        }
        Some(claim)
    }

    fn shelf(&self) -> Option<&Shelf> {
        let dir = self.dir.as_ref()?;
        self.shelf.get_or_init(|| Some(shelf_of(dir))).as_deref()
    }

    /// The claim `text` holds, as [`parse_yaml`] reads it.
    pub fn claim(&self, text: &str) -> Result<Claim, LoadFailure> {
        match (&self.dir, object_id(ObjectType::Blob, text.as_bytes())) {
            (Some(_), Ok(id)) => self.claim_of_blob(id, text),
            _ => parse_yaml(text),
        }
    }

    /// [`ReadCache::claim`] when the blob id of `text` is already known (read from a tree).
    pub fn claim_of_blob(&self, id: Oid, text: &str) -> Result<Claim, LoadFailure> {
        if self.dir.is_none() {
            return parse_yaml(text);
        }
        if let Some(claim) = self.recorded(id) {
            return Ok(claim);
        }
        let claim = parse_yaml::<Claim>(text)?;
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(id);
        }
        if self.writes {
            self.to_pack(id, &claim);
        }
        Ok(claim)
    }

    /// Puts `claim`'s record with those to be packed, and packs them once they are many.
    fn to_pack(&self, id: Oid, claim: &Claim) {
        let Ok(record) = rmp_serde::to_vec_named(claim) else {
            return;
        };
        let full = match self.fresh.lock() {
            Ok(mut fresh) => {
                fresh.1 += record.len();
                fresh.0.push((id, record));
                fresh.1 >= PACK_BYTES
            }
            Err(_) => false,
        };
        if full {
            self.pack_fresh();
        }
    }

    /// Writes the records parsed and not yet packed as one pack (best effort).
    fn pack_fresh(&self) {
        let (Some(dir), Ok(mut fresh)) = (&self.dir, self.fresh.lock()) else {
            return;
        };
        let records = std::mem::take(&mut fresh.0);
        fresh.1 = 0;
        drop(fresh);
        if records.is_empty() {
            return;
        }
        let rows: Vec<(Oid, u32, u32)> = records
            .iter()
            .map(|(id, b)| (*id, b.len() as u32, packs::row_crc(id, b)))
            .collect();
        let mut records: Vec<Option<Vec<u8>>> = records.into_iter().map(|(_, b)| Some(b)).collect();
        if packs::write_pack(dir, BUILD.as_bytes(), &rows, |i| records[i].take()).is_ok() {
            self.written.fetch_add(rows.len(), Ordering::Relaxed);
            forget_shelf(dir);
        }
    }

    /// The policies of the office's `policies/` folder whose tree id is `folder`: decoded from
    /// one entry (`read-cache/policies-ID`) when this build read that very folder before, else
    /// `parse()` and kept, the entry of any other version of the folder removed. An office of
    /// thousands of policies parses them once, not on every intake and triage.
    /// What `parse` fails with is passed on, nothing kept.
    pub fn policies_of_folder<E>(
        &self,
        folder: Oid,
        parse: impl FnOnce() -> Result<Vec<Policy>, E>,
    ) -> Result<Vec<Policy>, E> {
        let Some(dir) = &self.dir else {
            return parse();
        };
        let path = dir.join(format!("{POLICIES}{folder}"));
        if let Some(policies) = std::fs::read(&path).ok().and_then(|b| decode(&b, &folder)) {
            return Ok(policies);
        }
        let policies = parse()?;
        if self.writes {
            keep_only(dir, POLICIES, &folder, &policies);
        }
        Ok(policies)
    }

    /// The claim whose blob id is `id`, when the cache of the repository at `git_dir` holds an
    /// entry for it that agrees (else `None`: the caller parses). Looks only: a reader of one
    /// claim at a time — a command's own transition, the audit's replay of old versions — adds
    /// nothing to the cache. The packs are opened once a process.
    pub fn recorded_claim(git_dir: &Path, id: Oid) -> Option<Claim> {
        if turned_off() {
            return None;
        }
        claim_on(&shelf_of(&folder_in(git_dir)), id)
    }

    /// After a reading of every claim of the office (and only when it parsed something): packs
    /// what is left to pack; removes packs of other builds or damaged, and the file-a-record
    /// entries of earlier builds; and when the packs are many, or hold more records no claim
    /// has now (old versions of changed files) than records in use, writes the records in use
    /// into one pack and removes the others.
    pub fn tidy(&self) {
        self.pack_fresh();
        let Some(dir) = &self.dir else { return };
        if self.written.load(Ordering::Relaxed) == 0 {
            return;
        }
        let Ok(seen) = self.seen.lock() else { return };
        let shelf = Shelf::open(dir, BUILD.as_bytes());
        // Packs of other builds, or damaged, and the file-a-record entries of earlier builds
        // (in folders named by two hex digits) are of no use to this build.
        for old in shelf.unread() {
            let _ = std::fs::remove_file(old);
        }
        // And a pack a killed reading left half written under its temporary name.
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.len() == 2 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
                let _ = std::fs::remove_dir_all(e.path());
            }
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
            if name.starts_with(".tmp-") && old {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let in_use: Vec<(Oid, u32, u32)> = seen
            .iter()
            .filter_map(|id| shelf.place(id).map(|p| (*id, p.len, p.crc)))
            .collect();
        let unused = shelf.len() - in_use.len();
        if shelf.packs_read() <= MOST_PACKS && unused <= in_use.len() + 1024 {
            return;
        }
        let written = packs::write_pack(dir, BUILD.as_bytes(), &in_use, |i| {
            shelf.record(&in_use[i].0)
        });
        if let Ok(kept) = written {
            for old in shelf.read().filter(|p| **p != kept) {
                let _ = std::fs::remove_file(old);
            }
            forget_shelf(dir);
        }
    }
}

impl Drop for ReadCache {
    /// What a reading parsed is packed even when it ends before its tidy (one claim's read).
    fn drop(&mut self) {
        self.pack_fresh();
    }
}

/// The claim of blob `id`, when `shelf` holds a record for it that checks and decodes.
fn claim_on(shelf: &Shelf, id: Oid) -> Option<Claim> {
    rmp_serde::from_slice(&shelf.record(&id)?).ok()
}

/// The packs of the cache folder `dir`, opened once a process (again after this process
/// writes one).
fn shelf_of(dir: &Path) -> Arc<Shelf> {
    if let Some(s) = shelves().lock().ok().and_then(|m| m.get(dir).cloned()) {
        return s;
    }
    let shelf = Arc::new(Shelf::open(dir, BUILD.as_bytes()));
    if let Ok(mut m) = shelves().lock() {
        m.insert(dir.to_path_buf(), shelf.clone());
    }
    shelf
}

/// Forgets the opened packs of `dir`: the next look opens them again, the new one too.
fn forget_shelf(dir: &Path) {
    if let Ok(mut m) = shelves().lock() {
        m.remove(dir);
    }
}

fn shelves() -> &'static Mutex<HashMap<PathBuf, Arc<Shelf>>> {
    static SHELVES: OnceLock<Mutex<HashMap<PathBuf, Arc<Shelf>>>> = OnceLock::new();
    SHELVES.get_or_init(Default::default)
}

impl Seen {
    fn agrees_with(&self, md: &std::fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt;
        self.size == md.len() as u32
            && self.mtime == (md.mtime() as i32, md.mtime_nsec() as u32)
            && self.ctime == (md.ctime() as i32, md.ctime_nsec() as u32)
            && self.ino == md.ino() as u32
    }
}

/// The office's files of git's index (claims, policies, `authority.yaml`; at `git_dir/index`, its checksum checked as it is read)
/// with their stat data, but those the index may not tell apart from a later change: a file
/// changed in the same instant the index was written ("racily clean", as git calls it), or
/// with no stat data at all. An index that cannot be read gives none: every file is read.
fn seen_by_index(git_dir: &Path) -> Known {
    use std::os::unix::fs::MetadataExt;
    let path = git_dir.join("index");
    let (Ok(before), Ok(index)) = (std::fs::metadata(&path), git2::Index::open(&path)) else {
        return Known::default();
    };
    let links = Some(crate::store::files::tool_owned_links(&index));
    // The index read is the one whose time is taken: written again meanwhile, trust none.
    match std::fs::metadata(&path) {
        Ok(after)
            if after.ino() == before.ino()
                && (after.mtime(), after.mtime_nsec()) == (before.mtime(), before.mtime_nsec()) => {
        }
        _ => {
            return Known {
                seen: HashMap::new(),
                links,
            }
        }
    }
    if converts_files(git_dir, &index) {
        return Known {
            seen: HashMap::new(),
            links,
        };
    }
    let written = (before.mtime(), i64::from(before.mtime_nsec() as u32));
    let before_index =
        |t: &git2::IndexTime| (i64::from(t.seconds()), i64::from(t.nanoseconds())) < written;
    let seen = index
        .iter()
        .filter(|e| vouched_for(&e.path))
        .filter(|e| e.mtime.seconds() != 0 && e.file_size != 0)
        // Both times before the index was written: on a file system that keeps whole seconds,
        // a file copied with its old mtime (`cp -p`) in the second the index is written, then
        // edited again within it, has the ctime the index recorded (git's own check, on mtime
        // alone, misses that edit).
        .filter(|e| before_index(&e.mtime) && before_index(&e.ctime))
        .map(|e| {
            let seen = Seen {
                id: e.id,
                size: e.file_size,
                mtime: (e.mtime.seconds(), e.mtime.nanoseconds()),
                ctime: (e.ctime.seconds(), e.ctime.nanoseconds()),
                ino: e.ino,
            };
            (e.path, seen)
        })
        .collect();
    Known { seen, links }
}

/// The files whose blob ids the index is trusted for: claim files, policies, `authority.yaml`.
fn vouched_for(path: &[u8]) -> bool {
    (path.starts_with(b"claims/") && path.ends_with(b".yaml"))
        || path.starts_with(b"policies/")
        || path == b"authority.yaml"
}

/// Whether git may keep a claim file's bytes other than as the working tree has them: a
/// `core.autocrlf` setting, or any attributes file (the repository's, the user's, the system's,
/// or a `.gitattributes` the index lists) that names a conversion (`text`, `eol`, `crlf`,
/// `ident`, `filter`, `working-tree-encoding`), even for other files or to turn it off. Then
/// the index's blob id is the cleaned content's, not the file's, and every file is read.
fn converts_files(git_dir: &Path, index: &git2::Index) -> bool {
    const CONVERSIONS: [&str; 6] = [
        "text",
        "eol",
        "crlf",
        "ident",
        "filter",
        "working-tree-encoding",
    ];
    let Ok(repo) = git2::Repository::open(git_dir) else {
        return true;
    };
    let Ok(config) = repo.config() else {
        return true;
    };
    if config
        .get_string("core.autocrlf")
        .is_ok_and(|v| !v.eq_ignore_ascii_case("false"))
    {
        return true;
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let mut files: Vec<PathBuf> = vec![
        git_dir.join("info").join("attributes"),
        PathBuf::from("/etc/gitattributes"),
    ];
    files.extend(xdg.map(|x| x.join("git").join("attributes")));
    if let Ok(user) = config.get_path("core.attributesFile") {
        files.push(user);
    }
    // A `.gitattributes` counts in the working tree whether or not git tracks it: the one of
    // every folder that holds a file the index vouches for, and of the folders above it (not
    // those of claims' own folders: what they say is of their letters only).
    if let Some(root) = repo.workdir() {
        let mut folders: HashSet<String> = HashSet::from([String::new()]);
        for e in index.iter() {
            let path = String::from_utf8_lossy(&e.path);
            if path == ".gitattributes" || path.ends_with("/.gitattributes") {
                files.push(root.join(&*path));
            }
            if !vouched_for(&e.path) {
                continue;
            }
            let mut at = path.as_ref();
            while let Some((folder, _)) = at.rsplit_once('/') {
                if !folders.insert(folder.to_string()) {
                    break;
                }
                at = folder;
            }
        }
        files.extend(folders.iter().map(|f| root.join(f).join(".gitattributes")));
    }
    files.iter().any(|f| match std::fs::read(f) {
        Ok(text) => String::from_utf8_lossy(&text).lines().any(|line| {
            let line = line.trim();
            !line.starts_with('#')
                && line.split_whitespace().skip(1).any(|attr| {
                    let name = attr.trim_start_matches(['-', '!']);
                    let name = name.split('=').next().unwrap_or(name);
                    CONVERSIONS.contains(&name)
                })
        }),
        Err(e) => e.kind() != std::io::ErrorKind::NotFound,
    })
}

/// Bytes free to an unprivileged writer on the filesystem holding `path` (0 when unknown).
fn free_bytes(path: &Path) -> u64 {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return 0;
    };
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a NUL-terminated path and `s` a statvfs the call fills in.
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return 0;
    }
    (s.f_bavail as u64).saturating_mul(s.f_frsize as u64)
}

/// `CLAIMS_READ_CACHE=off`: no cache read or written.
fn turned_off() -> bool {
    std::env::var("CLAIMS_READ_CACHE").is_ok_and(|v| v == "off")
}

/// The cache's folder inside the git folder `git_dir`.
fn folder_in(git_dir: &Path) -> PathBuf {
    git_dir.join("claims").join("read-cache")
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], id: &Oid) -> Option<T> {
    let (head, record) = (bytes.get(..HEADER)?, &bytes[HEADER..]);
    let crc = u32::from_le_bytes(head[44..48].try_into().ok()?);
    let agrees = &head[..8] == MAGIC
        && &head[8..24] == BUILD.as_bytes()
        && &head[24..44] == id.as_bytes()
        && crc32fast::hash(record) == crc;
    agrees.then(|| rmp_serde::from_slice(record).ok()).flatten()
}

fn encode<T: serde::Serialize>(id: &Oid, record: &T) -> Option<Vec<u8>> {
    let record = rmp_serde::to_vec_named(record).ok()?;
    let mut out = Vec::with_capacity(HEADER + record.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(BUILD.as_bytes());
    out.extend_from_slice(id.as_bytes());
    out.extend_from_slice(&crc32fast::hash(&record).to_le_bytes());
    out.extend_from_slice(&record);
    Some(out)
}

/// Keeps `record` as the entry `{prefix}{id}` of the folder `dir` (written aside, then renamed
/// into place), and removes every other entry whose name starts with `prefix` (best effort).
fn keep_only<T: serde::Serialize>(dir: &Path, prefix: &str, id: &Oid, record: &T) {
    let path = dir.join(format!("{prefix}{id}"));
    let temporary = dir.join(format!(".tmp-{prefix}{id}"));
    if keep(&temporary, id, record).is_err() || std::fs::rename(&temporary, &path).is_err() {
        let _ = std::fs::remove_file(&temporary);
        return;
    }
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && e.path() != path {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The key a reading's entry is written under: the blob id of `inputs`, the bytes that name
/// every input of the reading besides the claims (the build is in every entry's header).
pub fn reading_key(inputs: &[u8]) -> Oid {
    object_id(ObjectType::Blob, inputs).expect("a SHA-1 is an object id")
}

/// Writes the entry in place, never synced: a reader that meets it half written (another
/// process writing it now, a crash) finds its checksum wrong and parses the file instead, and
/// the next writer replaces it.
fn keep<T: serde::Serialize>(path: &Path, id: &Oid, record: &T) -> std::io::Result<()> {
    let bytes = encode(id, record).ok_or_else(|| std::io::Error::other("not encodable"))?;
    match std::fs::write(path, &bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(path.parent().unwrap_or(path))?;
            std::fs::write(path, &bytes)
        }
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob_id(bytes: &[u8]) -> Oid {
        object_id(ObjectType::Blob, bytes).unwrap()
    }

    fn sample_claims() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::store::files::claim_files(root)
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(root.join(&p)).unwrap();
                (p, text)
            })
            .collect()
    }

    #[test]
    fn a_record_decodes_to_the_claim_its_yaml_parses_to() {
        let claims = sample_claims();
        assert!(claims.len() >= 5);
        for (path, text) in claims {
            let parsed = parse_yaml::<Claim>(&text).unwrap();
            let id = blob_id(text.as_bytes());
            let bytes = encode(&id, &parsed).unwrap();
            assert_eq!(decode(&bytes, &id).as_ref(), Some(&parsed), "{path}");
        }
    }

    #[test]
    fn odd_values_round_trip_too() {
        for (_, text) in sample_claims() {
            let mut claim = parse_yaml::<Claim>(&text).unwrap();
            claim.loss.description = Some("Ünïcode — \"quoted\"\nnew line\t".repeat(50));
            claim.loss.location = Some(String::new());
            let id = blob_id(b"x");
            let bytes = encode(&id, &claim).unwrap();
            assert_eq!(decode(&bytes, &id), Some(claim));
        }
    }

    #[test]
    fn an_entry_counts_only_for_its_own_blob_build_and_bytes() {
        let (_, text) = &sample_claims()[0];
        let claim = parse_yaml::<Claim>(text).unwrap();
        let id = blob_id(text.as_bytes());
        let good = encode(&id, &claim).unwrap();
        assert!(decode::<Claim>(&good, &id).is_some());
        // Another blob's entry (copied under this name).
        assert!(decode::<Claim>(&good, &blob_id(b"other")).is_none());
        // Another build's.
        let mut other_build = good.clone();
        other_build[8] ^= 1;
        assert!(decode::<Claim>(&other_build, &id).is_none());
        // A flipped bit in the record, a truncated file, an empty one.
        for i in HEADER..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x20;
            assert!(decode::<Claim>(&bad, &id).is_none(), "byte {i}");
        }
        assert!(decode::<Claim>(&good[..good.len() - 1], &id).is_none());
        assert!(decode::<Claim>(&good[..10], &id).is_none());
        assert!(decode::<Claim>(&[], &id).is_none());
    }

    #[test]
    fn the_blob_id_is_the_one_git_gives() {
        // `printf 'hello\n' | git hash-object --stdin`
        let id = blob_id(b"hello\n");
        assert_eq!(id.to_string(), "ce013625030ba8dba906f756967f9e9ca394464a");
    }

    fn sample_policies() -> Vec<Policy> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
        let mut files: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        files
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .map(|p| parse_yaml::<Policy>(&std::fs::read_to_string(&p).unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn the_policies_folder_is_parsed_once_and_read_back_the_same_until_it_changes() {
        let policies = sample_policies();
        assert!(policies.len() >= 10);
        let git = tempfile::tempdir().unwrap();
        let cache = ReadCache::in_git_dir(git.path());
        let folder = blob_id(b"folder, version 1");
        let parses = std::cell::Cell::new(0);
        let parse = || {
            parses.set(parses.get() + 1);
            Ok::<_, ()>(policies.clone())
        };
        assert_eq!(
            cache.policies_of_folder(folder, parse),
            Ok(policies.clone())
        );
        assert_eq!(
            cache.policies_of_folder(folder, parse),
            Ok(policies.clone())
        );
        assert_eq!(parses.get(), 1, "read back, not parsed again");
        // Damaged: parsed again, the same answer, and the entry written anew.
        let entry = git
            .path()
            .join(format!("claims/read-cache/{POLICIES}{folder}"));
        let mut bytes = std::fs::read(&entry).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&entry, &bytes).unwrap();
        assert_eq!(
            cache.policies_of_folder(folder, parse),
            Ok(policies.clone())
        );
        assert_eq!(parses.get(), 2);
        assert_eq!(
            cache.policies_of_folder(folder, parse),
            Ok(policies.clone())
        );
        assert_eq!(parses.get(), 2);
        // Another version of the folder is parsed, and the old entry goes.
        let changed = blob_id(b"folder, version 2");
        let fewer = || Ok::<_, ()>(policies[1..].to_vec());
        assert_eq!(
            cache.policies_of_folder(changed, fewer),
            Ok(policies[1..].to_vec())
        );
        assert!(!entry.exists());
        // One folder's entry is no answer for another's, even copied under its name.
        std::fs::copy(
            git.path()
                .join(format!("claims/read-cache/{POLICIES}{changed}")),
            &entry,
        )
        .unwrap();
        assert_eq!(
            cache.policies_of_folder(folder, parse),
            Ok(policies.clone())
        );
    }
}
