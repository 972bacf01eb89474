//! Batch commits: thousands of signed commits, one per claim, published at once.
//!
//! Batch commands (CSV intake, `triage --pending`) make one signed commit per claim, as every
//! command does. Made one by one through [`super::git::commit_change`], each commit would write
//! a handful of loose object files, move the branch and rewrite `.git/index`; at office scale
//! that file-system churn, not the signing, is what limits a batch. A [`Batch`] instead:
//!
//! - writes the objects into an in-memory object database (libgit2's mempack) on its own
//!   repository handle, and every so often (and at the end) writes them out as one packfile in
//!   which each new version of a folder is a small delta against the version before
//!   ([`super::pack`]);
//! - chains the commits in memory: each is prepared from the batch's own last commit, so it
//!   sees the claims the batch already changed;
//! - publishes them by moving the branch once, with the same compare-and-swap as a single
//!   commit, then brings the working tree and index up to date for every changed path at once.
//!
//! A batch is all or nothing: until [`Batch::finish`] moves the branch, no commit of it is
//! visible, and if it fails or is dropped, nothing changed (some unreferenced objects may be
//! left in the object database for git's garbage collection). If another writer moved the
//! branch while the batch ran, the batch's commits are made again on top of the new tip, as
//! long as that writer touched none of the batch's files nor authority.yaml; otherwise the
//! batch is refused and nothing is committed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use git2::{Binding, Mempack, ObjectType, Oid, Repository};

use super::git::{
    head_branch, object_id, read_tip, write_signed_commit, CommitError, FolderCache, Identity,
    ObjectSink, Prepared, Tip, Written, MAX_ATTEMPTS,
};
use super::landing::{land, Landed, Landing, Outgoing};
use super::pack::PackWriter;
use super::signing::Signer;

/// Object bytes held in memory before they are written out as a pack (with the pack's own
/// compression buffer, about twice this is held at a flush).
const FLUSH_BYTES: usize = 24 << 20;

/// Files whose change by another writer during a batch makes the batch start over from the
/// new tip impossible: the people, roles and limits every change was checked against.
const OFFICE_FILES: &[&str] = &["authority.yaml"];

/// How a batch prepares its commits again when another writer moved the branch first.
pub trait Replan {
    /// Prepares commit `index` of the batch again, on `tip`; `before` is the commit as it was
    /// first made (it records its command), readable from `tip`'s repository.
    fn prepare(
        &mut self,
        index: usize,
        tip: &Tip,
        before: &git2::Commit<'_>,
    ) -> Result<Prepared, CommitError>;
    /// Commit `index` was made again, as `id`.
    fn made(&mut self, index: usize, id: Oid);
}

/// What a batch keeps of each commit until it is published: not the commit's files (a batch
/// of 10,000 would hold them all), but what publishing needs — the paths it changed and the
/// notices to deliver — and a digest of the whole, to tell whether the commit prepared again
/// on a new tip comes out the same.
struct Made {
    identity: Identity,
    digest: [u8; 20],
    paths: Vec<String>,
    mail: Vec<Outgoing>,
}

impl Made {
    fn of(identity: &Identity, prepared: &Prepared) -> Made {
        Made {
            identity: identity.clone(),
            digest: digest(prepared),
            paths: prepared.changes.iter().map(|c| c.path.clone()).collect(),
            mail: prepared.mail.clone(),
        }
    }
}

/// A SHA-1 over every part of a prepared commit, each part preceded by its length, so that two
/// different commits cannot run together into the same bytes.
fn digest(prepared: &Prepared) -> [u8; 20] {
    use sha1::{Digest, Sha1};
    let mut h = Sha1::new();
    let mut part = |bytes: Option<&[u8]>| match bytes {
        Some(b) => {
            h.update((b.len() as u64).to_le_bytes());
            h.update(b);
        }
        None => h.update(u64::MAX.to_le_bytes()),
    };
    part(Some(prepared.message.as_bytes()));
    for c in &prepared.changes {
        part(Some(c.path.as_bytes()));
        part(c.content.as_deref());
    }
    for m in &prepared.mail {
        part(Some(m.path.as_os_str().as_encoded_bytes()));
        part(Some(&m.bytes));
    }
    h.finalize().into()
}

/// A batch of commits on the branch HEAD points to. See the module documentation.
pub struct Batch {
    /// A handle of its own, whose object database has the in-memory backend in front.
    repo: Repository,
    /// The mempack backend, owned by `repo`'s object database (freed with it).
    memory: *mut libgit2_sys::git_odb_backend,
    branch: String,
    /// The branch tip the batch builds on.
    base: Oid,
    /// The batch's last commit (`base` while empty).
    tip: Oid,
    made: Vec<Made>,
    /// The id of each commit in `made`, in order (they change if the batch starts over).
    ids: Vec<Oid>,
    /// Objects in memory not yet written to a pack, in the order written.
    written: Vec<Written>,
    pending_bytes: usize,
    /// The latest version of every folder written (see [`FolderCache`]).
    folders: FolderCache,
    /// Write a pack once this many bytes of objects are held in memory.
    flush_bytes: usize,
    strict_hashing_was: bool,
}

impl Batch {
    /// Starts a batch on the branch HEAD points to, which must have a first commit.
    pub fn begin(git_dir: &Path) -> Result<Batch, CommitError> {
        super::durable::fsync_git_writes();
        let repo = Repository::open(git_dir)?;
        let branch = head_branch(&repo)?;
        let base = repo.refname_to_id(&branch)?;
        let memory = {
            let odb = repo.odb()?;
            let mempack = odb.add_new_mempack_backend(1000)?;
            mempack.raw()
        };
        // Objects read back during the batch were hashed as they were written; hashing them
        // again on every read would double the batch's main cost.
        let strict_hashing_was = true;
        git2::opts::strict_hash_verification(false);
        Ok(Batch {
            repo,
            memory,
            branch,
            base,
            tip: base,
            made: Vec::new(),
            ids: Vec::new(),
            written: Vec::new(),
            pending_bytes: 0,
            folders: FolderCache::default(),
            flush_bytes: FLUSH_BYTES,
            strict_hashing_was,
        })
    }

    /// How many commits the batch holds.
    pub fn len(&self) -> usize {
        self.made.len()
    }

    pub fn is_empty(&self) -> bool {
        self.made.is_empty()
    }

    /// Makes one signed commit on top of the batch's last one. `prepare` sees the batch's tip
    /// (every claim as the batch has left it so far); return [`CommitError::Refused`] from it
    /// to make no commit (the batch goes on).
    pub fn commit<F>(
        &mut self,
        identity: &Identity,
        signer: &dyn Signer,
        prepare: F,
    ) -> Result<Oid, CommitError>
    where
        F: FnOnce(&Tip) -> Result<Prepared, CommitError>,
    {
        let prepared = {
            let tip = self.tip_view()?;
            prepare(&tip)?
        };
        let id = self.write(identity, signer, &prepared)?;
        self.ids.push(id);
        self.made.push(Made::of(identity, &prepared));
        Ok(id)
    }

    /// The batch's last commit, as a tip to read from.
    pub(crate) fn tip_view(&self) -> Result<Tip<'_>, CommitError> {
        let commit = self.repo.find_commit(self.tip)?;
        Ok(Tip::for_commit(&self.repo, commit, &self.branch).with_folders(&self.folders))
    }

    fn write(
        &mut self,
        identity: &Identity,
        signer: &dyn Signer,
        prepared: &Prepared,
    ) -> Result<Oid, CommitError> {
        let commit = self.repo.find_commit(self.tip)?;
        let tip = Tip::for_commit(&self.repo, commit, &self.branch);
        let mut sink = MemorySink {
            memory: self.memory,
            written: &mut self.written,
            bytes: &mut self.pending_bytes,
            folders: &mut self.folders,
        };
        let (id, _) = write_signed_commit(&self.repo, identity, signer, &tip, prepared, &mut sink)?;
        drop(tip);
        self.tip = id;
        if self.pending_bytes >= self.flush_bytes {
            self.flush()?;
        }
        Ok(id)
    }

    /// Writes the objects held in memory into one pack and empties the memory.
    fn flush(&mut self) -> Result<(), CommitError> {
        if self.written.is_empty() {
            return Ok(());
        }
        let odb = self.repo.odb()?;
        let mut pack = PackWriter::new();
        // Each folder version is the base of the next one: keep it until then rather than
        // reading it out of memory twice.
        let mut bases: HashMap<Oid, git2::OdbObject<'_>> = HashMap::new();
        let will_be_base: HashSet<Oid> = self.written.iter().filter_map(|w| w.replaces).collect();
        for w in &self.written {
            let object = odb.read(w.id)?;
            let base = w.replaces.filter(|base| pack.contains(*base));
            match base.and_then(|b| bases.remove(&b).map(|o| (b, o))) {
                Some((b, base_object)) => {
                    pack.add_against(w.id, object.kind(), object.data(), b, base_object.data());
                }
                None => match base {
                    Some(b) => {
                        let base_object = odb.read(b)?;
                        pack.add_against(w.id, object.kind(), object.data(), b, base_object.data());
                    }
                    None => pack.add(w.id, object.kind(), object.data()),
                },
            }
            if will_be_base.contains(&w.id) {
                bases.insert(w.id, object);
            }
        }
        let pack_dir = self.repo.path().join("objects").join("pack");
        pack.finish(&pack_dir).map_err(|e| CommitError::Io {
            path: pack_dir.clone(),
            source: e,
        })?;
        odb.refresh()?;
        // SAFETY: `memory` is the mempack backend added to `self.repo`'s object database in
        // `begin`; that database lives as long as `self.repo`, which `self` owns.
        unsafe { Mempack::from_raw(self.memory) }.reset()?;
        self.written.clear();
        self.pending_bytes = 0;
        give_back_freed_memory();
        Ok(())
    }

    /// Publishes the batch: writes its objects, moves the branch from the tip it started on to
    /// its last commit, and updates the working tree and index for every path it changed.
    /// Returns the commits published, in order (empty for an empty batch).
    pub fn finish(
        mut self,
        signer: &dyn Signer,
        replan: &mut dyn Replan,
    ) -> Result<Vec<Oid>, CommitError> {
        if self.made.is_empty() {
            return Ok(Vec::new());
        }
        for _ in 0..MAX_ATTEMPTS {
            self.flush()?;
            super::durable::point("objects-written");
            let message = format!("commit (batch): {} commits", self.made.len());
            let paths = self.paths();
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            let mail: Vec<Outgoing> = self
                .made
                .iter()
                .flat_map(|m| m.mail.iter().cloned())
                .collect();
            let landing = Landing {
                branch: &self.branch,
                old: Some(self.base),
                new: self.tip,
                reflog: &message,
                paths: &paths,
                mail: &mail,
            };
            match with_large_folders_cached(|| land(&self.repo, &landing))? {
                Landed::Moved => return Ok(std::mem::take(&mut self.ids)),
                Landed::Raced => self.start_over_on_new_tip(signer, replan)?,
            }
        }
        Err(CommitError::Contention {
            attempts: MAX_ATTEMPTS,
        })
    }

    fn paths(&self) -> BTreeSet<String> {
        self.made
            .iter()
            .flat_map(|m| m.paths.iter().cloned())
            .collect()
    }

    /// Another writer moved the branch: make the batch's commits again on its new tip — each
    /// prepared again there, and only if it comes out the same as before (a commit must be
    /// what its command makes of its very parent) — unless that writer changed a file the
    /// batch changes, or the office's authority file.
    fn start_over_on_new_tip(
        &mut self,
        signer: &dyn Signer,
        replan: &mut dyn Replan,
    ) -> Result<(), CommitError> {
        let now = read_tip(&self.repo, self.branch.clone())?
            .id()
            .ok_or_else(|| CommitError::Refused(format!("{} was deleted", self.branch)))?;
        {
            let was = self.repo.find_commit(self.base)?.tree()?;
            let is = self.repo.find_commit(now)?.tree()?;
            let mut watched = self.paths();
            watched.extend(OFFICE_FILES.iter().map(|p| p.to_string()));
            for path in &watched {
                if entry_id(&was, path)? != entry_id(&is, path)? {
                    return Err(CommitError::Refused(format!(
                        "while this batch ran, another change to {path} reached {}; nothing \
                         from the batch was committed, run it again",
                        self.branch
                    )));
                }
            }
        }
        // The commits as first made stay readable (they record their commands): out of
        // memory into a pack, unreferenced, for git's garbage collection.
        self.flush()?;
        self.folders = FolderCache::default();
        self.base = now;
        self.tip = now;
        let made = std::mem::take(&mut self.made);
        let first = std::mem::take(&mut self.ids);
        for (index, m) in made.iter().enumerate() {
            let again = {
                let tip = self.tip_view()?;
                let before = self.repo.find_commit(first[index])?;
                replan.prepare(index, &tip, &before)?
            };
            if digest(&again) != m.digest {
                return Err(CommitError::Refused(format!(
                    "while this batch ran, another change reached {} that changes what its \
                     commands decide; nothing from the batch was committed, run it again",
                    self.branch
                )));
            }
            let id = self.write(&m.identity, signer, &again)?;
            replan.made(index, id);
            self.ids.push(id);
        }
        self.made = made;
        Ok(())
    }
}

/// Hands the pages of freed memory back to the system. A batch reads and writes ever larger
/// versions of a month folder; glibc keeps the freed, slightly smaller buffers in its heap, so
/// without this the process grows by about a folder's size for every commit.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; no pointer is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs `f` with libgit2 caching folders of any size. A month folder is far larger than the
/// default 4 kB limit for caching a folder, and updating the working tree looks up every path
/// of the batch in it. Only for that step: during the batch every folder read is a new version,
/// and caching them all would only hold memory.
fn with_large_folders_cached<T>(f: impl FnOnce() -> T) -> T {
    const DEFAULT_TREE_LIMIT: usize = 4096;
    // SAFETY: sets a libgit2 global option; no other thread uses libgit2 during a batch.
    let _ = unsafe { git2::opts::set_cache_object_limit(ObjectType::Tree, 16 << 20) };
    let out = f();
    // SAFETY: as above.
    let _ = unsafe { git2::opts::set_cache_object_limit(ObjectType::Tree, DEFAULT_TREE_LIMIT) };
    out
}

/// New blobs and folders go straight into the in-memory backend, named by a SHA-1 computed
/// here (with the CPU's SHA instructions where it has them).
struct MemorySink<'a> {
    memory: *mut libgit2_sys::git_odb_backend,
    written: &'a mut Vec<Written>,
    bytes: &'a mut usize,
    folders: &'a mut FolderCache,
}

impl MemorySink<'_> {
    /// Copies `data` into the batch's in-memory object store.
    fn store(
        &mut self,
        kind: ObjectType,
        data: &[u8],
        replaces: Option<Oid>,
    ) -> Result<Oid, CommitError> {
        let id = object_id(kind, data)?;
        // SAFETY: `memory` is the live mempack backend of the batch's object database (see
        // `Batch::flush`); mempack copies the bytes, which are valid for the call.
        let rc = unsafe {
            let write = (*self.memory)
                .write
                .ok_or_else(|| git2::Error::from_str("the in-memory object store cannot write"))?;
            write(
                self.memory,
                id.raw(),
                data.as_ptr().cast(),
                data.len(),
                kind.raw(),
            )
        };
        if rc < 0 {
            return Err(git2::Error::from_str("writing an object into memory failed").into());
        }
        self.written.push(Written { id, replaces });
        *self.bytes += data.len();
        Ok(id)
    }
}

impl ObjectSink for MemorySink<'_> {
    fn put(
        &mut self,
        _odb: &git2::Odb<'_>,
        kind: ObjectType,
        data: &[u8],
        replaces: Option<Oid>,
    ) -> Result<Oid, CommitError> {
        let id = self.store(kind, data, replaces)?;
        if kind == ObjectType::Tree {
            self.folders.keep(id, replaces, data.to_vec());
        }
        Ok(id)
    }

    fn put_folder(
        &mut self,
        _odb: &git2::Odb<'_>,
        data: Vec<u8>,
        replaces: Option<Oid>,
    ) -> Result<Oid, CommitError> {
        let id = self.store(ObjectType::Tree, &data, replaces)?;
        self.folders.keep(id, replaces, data);
        Ok(id)
    }

    fn folders(&self) -> Option<&FolderCache> {
        Some(self.folders)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        git2::opts::strict_hash_verification(self.strict_hashing_was);
    }
}

fn entry_id(tree: &git2::Tree<'_>, path: &str) -> Result<Option<Oid>, CommitError> {
    match tree.get_path(Path::new(path)) {
        Ok(e) => Ok(Some(e.id())),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::git::{commit_change, FileChange};
    use crate::store::testutil::TestRepo;

    fn put(path: &str, content: &str) -> FileChange {
        FileChange {
            path: path.into(),
            content: Some(content.as_bytes().to_vec()),
        }
    }

    fn prepared(changes: Vec<FileChange>, message: &str) -> Prepared {
        Prepared {
            changes,
            message: message.into(),
            ..Default::default()
        }
    }

    /// Prepares commit `index` again as the intake of claim `numbers[index]`, as the tests
    /// made it the first time.
    struct Intakes(Vec<usize>);

    impl Replan for Intakes {
        fn prepare(
            &mut self,
            index: usize,
            _: &Tip,
            _: &git2::Commit<'_>,
        ) -> Result<Prepared, CommitError> {
            let i = self.0[index];
            Ok(prepared(claim(i), &format!("intake C-{i}")))
        }
        fn made(&mut self, _: usize, _: Oid) {}
    }

    /// A batch holding the intakes of claims 1..=n, each made as `Intakes` makes it again.
    fn intakes(t: &TestRepo, signer: &dyn Signer, n: usize) -> Batch {
        let mut batch = Batch::begin(&t.root.join(".git")).unwrap();
        for i in 1..=n {
            batch
                .commit(&TestRepo::identity(), signer, |_| {
                    Ok(prepared(claim(i), &format!("intake C-{i}")))
                })
                .unwrap();
        }
        batch
    }

    /// Someone else closes claim C-0, outside any batch; returns their commit.
    fn another_writer_closes_c0(t: &TestRepo, signer: &dyn Signer) -> Oid {
        commit_change(&t.open(), &TestRepo::identity(), signer, |_| {
            Ok(prepared(
                vec![put("claims/2026/10/C-0.yaml", "id: C-0\nstatus: closed\n")],
                "close C-0",
            ))
        })
        .unwrap()
    }

    /// A repository with a first commit, as every office has.
    fn office() -> TestRepo {
        let t = TestRepo::new();
        let repo = t.open();
        let signer = t.signer();
        commit_change(&repo, &TestRepo::identity(), signer.as_ref(), |_| {
            Ok(prepared(
                vec![
                    put("authority.yaml", "people: []\n"),
                    put("claims/2026/10/C-0.yaml", "id: C-0\n"),
                ],
                "Open the office",
            ))
        })
        .unwrap();
        t
    }

    fn claim(i: usize) -> Vec<FileChange> {
        vec![
            put(
                &format!("claims/2026/11/C-{i}.yaml"),
                &format!("id: C-{i}\n"),
            ),
            put(
                &format!("claims/2026/11/C-{i}/letters/ack.txt"),
                &format!("Dear claimant {i}\n"),
            ),
        ]
    }

    fn head(t: &TestRepo) -> String {
        t.git_ok(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Every commit signed and verified by git, the repository sound, the tree clean.
    fn assert_sound(t: &TestRepo, commits: usize) {
        let statuses = t.git_ok(&["log", "--format=%G?"]);
        assert_eq!(statuses.lines().count(), commits);
        assert!(statuses.lines().all(|s| s == "G"), "{statuses}");
        let fsck = t.git(&["fsck", "--strict", "--no-dangling"]);
        assert!(
            fsck.status.success(),
            "{}",
            String::from_utf8_lossy(&fsck.stderr)
        );
        assert_eq!(
            t.git_ok(&["status", "--porcelain", "--untracked-files=all"]),
            ""
        );
    }

    #[test]
    fn a_batch_publishes_one_signed_commit_per_change_at_once() {
        let t = office();
        let before = head(&t);
        let signer = t.signer();
        let mut batch = Batch::begin(&t.root.join(".git")).unwrap();
        batch.flush_bytes = 2_000; // several packs, and deltas across flushes
        for i in 1..=40 {
            batch
                .commit(&TestRepo::identity(), signer.as_ref(), |tip| {
                    // Each change sees the batch's own earlier changes.
                    if i > 1 {
                        let previous = format!("claims/2026/11/C-{}.yaml", i - 1);
                        assert!(tip.read(&previous)?.is_some());
                    }
                    Ok(prepared(claim(i), &format!("intake C-{i}\n\nClaim: C-{i}")))
                })
                .unwrap();
            // Nothing is visible until the batch is finished.
            assert_eq!(head(&t), before);
        }
        let ids = batch
            .finish(signer.as_ref(), &mut Intakes((1..=40).collect()))
            .unwrap();
        assert_eq!(ids.len(), 40);
        assert_eq!(head(&t), ids[39].to_string());
        assert_sound(&t, 41);
        assert_eq!(
            t.git_ok(&["log", "-3", "--format=%s", "--reverse"]),
            "intake C-38\nintake C-39\nintake C-40\n"
        );
        // Each commit changed exactly its own claim's files.
        assert_eq!(
            t.git_ok(&["show", "--format=", "--name-only", &ids[9].to_string()]),
            "claims/2026/11/C-10.yaml\nclaims/2026/11/C-10/letters/ack.txt\n"
        );
        let file = std::fs::read_to_string(t.root.join("claims/2026/11/C-40.yaml")).unwrap();
        assert_eq!(file, "id: C-40\n");
        assert!(t.root.join("claims/2026/11/C-1/letters/ack.txt").exists());
        // The branch moved once.
        let reflog = t.git_ok(&["reflog", "-1", "--format=%gs", "main"]);
        assert_eq!(reflog.trim(), "commit (batch): 40 commits");
        // Several packs, each valid to git, with folders stored as deltas.
        let packs: Vec<_> = std::fs::read_dir(t.root.join(".git/objects/pack"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension() == Some("idx".as_ref()))
            .collect();
        assert!(packs.len() > 1, "expected several packs, found {packs:?}");
        let mut deltas = 0;
        for idx in &packs {
            let listing = t.git_ok(&["verify-pack", "-v", idx.to_str().unwrap()]);
            // "ID tree SIZE SIZE-IN-PACK OFFSET DEPTH BASE" for a delta.
            deltas += listing
                .lines()
                .filter(|l| l.contains(" tree ") && l.split_whitespace().count() == 7)
                .count();
        }
        assert!(deltas > 0, "no folder stored as a delta");
    }

    #[test]
    fn an_unfinished_batch_changes_nothing() {
        let t = office();
        let before = head(&t);
        let signer = t.signer();
        {
            let mut batch = Batch::begin(&t.root.join(".git")).unwrap();
            for i in 1..=3 {
                batch
                    .commit(&TestRepo::identity(), signer.as_ref(), |_| {
                        Ok(prepared(claim(i), &format!("intake C-{i}")))
                    })
                    .unwrap();
            }
        }
        assert_eq!(head(&t), before);
        assert_sound(&t, 1);
        assert!(!t.root.join("claims/2026/11").exists());
    }

    #[test]
    fn a_refused_change_leaves_the_rest_of_the_batch() {
        let t = office();
        let signer = t.signer();
        let mut batch = Batch::begin(&t.root.join(".git")).unwrap();
        for i in 1..=3 {
            let r = batch.commit(&TestRepo::identity(), signer.as_ref(), |_| {
                if i == 2 {
                    return Err(CommitError::Refused("no".into()));
                }
                Ok(prepared(claim(i), &format!("intake C-{i}")))
            });
            assert_eq!(r.is_err(), i == 2);
        }
        assert_eq!(
            batch
                .finish(signer.as_ref(), &mut Intakes(vec![1, 3]))
                .unwrap()
                .len(),
            2
        );
        assert_sound(&t, 3);
        assert!(!t.root.join("claims/2026/11/C-2.yaml").exists());
    }

    #[test]
    fn another_writer_elsewhere_meanwhile_and_the_batch_is_made_again_on_top() {
        let t = office();
        let signer = t.signer();
        let batch = intakes(&t, signer.as_ref(), 5);
        // Someone else changes another claim while the batch runs.
        let theirs = another_writer_closes_c0(&t, signer.as_ref());
        let ids = batch
            .finish(signer.as_ref(), &mut Intakes((1..=5).collect()))
            .unwrap();
        assert_eq!(ids.len(), 5);
        assert_sound(&t, 7);
        // Linear: the batch sits on top of the other writer's commit, which is kept.
        let first = t.git_ok(&["rev-parse", &format!("{}^", ids[0])]);
        assert_eq!(first.trim(), theirs.to_string());
        assert_eq!(head(&t), ids[4].to_string());
        let c0 = std::fs::read_to_string(t.root.join("claims/2026/10/C-0.yaml")).unwrap();
        assert!(c0.contains("closed"));
    }

    #[test]
    fn another_writer_on_the_same_file_meanwhile_and_the_batch_is_refused_whole() {
        let t = office();
        let signer = t.signer();
        let batch = intakes(&t, signer.as_ref(), 3);
        let theirs = commit_change(&t.open(), &TestRepo::identity(), signer.as_ref(), |_| {
            Ok(prepared(claim(2), "someone else's C-2"))
        })
        .unwrap();
        let err = batch
            .finish(signer.as_ref(), &mut Intakes((1..=3).collect()))
            .unwrap_err();
        assert!(err.to_string().contains("claims/2026/11/C-2.yaml"), "{err}");
        assert!(err
            .to_string()
            .contains("nothing from the batch was committed"));
        assert_eq!(head(&t), theirs.to_string());
        assert_sound(&t, 2);
        assert!(!t.root.join("claims/2026/11/C-1.yaml").exists());
    }

    #[test]
    fn a_commit_that_comes_out_otherwise_on_the_new_tip_refuses_the_batch() {
        let t = office();
        let before = head(&t);
        let signer = t.signer();
        let batch = intakes(&t, signer.as_ref(), 3);
        let theirs = another_writer_closes_c0(&t, signer.as_ref());
        // Claim 2 is taken in otherwise on the new tip: only its message differs.
        struct Otherwise;
        impl Replan for Otherwise {
            fn prepare(
                &mut self,
                index: usize,
                _: &Tip,
                before: &git2::Commit<'_>,
            ) -> Result<Prepared, CommitError> {
                let i = index + 1;
                // The commit as first made is there to read.
                assert_eq!(
                    before.summary().ok().flatten(),
                    Some(format!("intake C-{i}").as_str())
                );
                let message = match i {
                    2 => "intake C-2 (again)".to_string(),
                    _ => format!("intake C-{i}"),
                };
                Ok(prepared(claim(i), &message))
            }
            fn made(&mut self, _: usize, _: Oid) {}
        }
        let err = batch.finish(signer.as_ref(), &mut Otherwise).unwrap_err();
        assert!(
            err.to_string().contains("changes what its commands decide"),
            "{err}"
        );
        assert_ne!(head(&t), before);
        assert_eq!(head(&t), theirs.to_string());
        assert_sound(&t, 2);
    }
}
