//! Reading history: commits in a range, the office as it stood at each, what each changed,
//! its trailers and whether its signature is the key authority.yaml gives its author.

use std::collections::HashMap;
use std::path::Path;

use git2::{Commit, Oid, Repository};

use crate::domain::office::Office;
use crate::store::git::FolderCache;
use crate::store::signing::{ssh_signature_public_key, verify_ssh_signature};

/// How a commit's signature stands against the office of its parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    Good {
        signer: String,
    },
    Unsigned,
    Bad(String),
    /// Signed, but not by the key of the person the commit names.
    NotTheAuthor(String),
}

impl Signature {
    pub fn word(&self) -> &'static str {
        match self {
            Signature::Good { .. } => "good",
            Signature::Unsigned => "unsigned",
            Signature::Bad(_) => "bad",
            Signature::NotTheAuthor(_) => "wrong key",
        }
    }
}

/// One commit read for the audit or a claim's log.
pub struct Entry {
    pub id: Oid,
    pub when: git2::Time,
    pub author_name: String,
    pub author_email: String,
    pub subject: String,
    pub trailers: Vec<(String, String)>,
    pub signature: Signature,
    /// Repository paths the commit changed (against its first parent).
    pub changed: Vec<String>,
    /// What it changed, path by path (against its first parent).
    pub deltas: Vec<Delta>,
    pub parents: Vec<Oid>,
    /// Some line of the message reads as a `Command` trailer.
    pub names_command: bool,
}

/// One path a commit changed: the entry (object id and file mode) before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    pub path: String,
    pub old: Option<(Oid, u32)>,
    pub new: Option<(Oid, u32)>,
}

impl Entry {
    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    pub fn set_deltas(&mut self, deltas: Vec<Delta>) {
        self.changed = deltas.iter().map(|d| d.path.clone()).collect();
        self.deltas = deltas;
    }

    /// Every value of trailer `key`.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.trailers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// It says it was made by the tool: a line of its message reads as a `Command:` trailer
    /// (where git would show one, or anywhere else).
    pub fn says_tool(&self) -> bool {
        self.trailer("Command").is_some() || self.names_command
    }
}

/// Reads history: commits in a range, the office as it stood, signatures.
pub struct History<'r> {
    repo: &'r Repository,
    offices: HashMap<Oid, Option<std::rc::Rc<Office>>>,
    /// The folders read last (the diff of a commit and the files of its parent).
    folders: FolderCache,
    /// The authority.yaml in effect after each commit judged (by its blob id): a change that
    /// broke the rules does not take effect, so what follows is judged without it.
    in_effect: HashMap<Oid, Option<Oid>>,
    /// Some commit's authority.yaml did not take effect.
    diverged: bool,
}

impl<'r> History<'r> {
    pub fn new(repo: &'r Repository) -> History<'r> {
        History {
            repo,
            offices: HashMap::new(),
            in_effect: HashMap::new(),
            folders: FolderCache::recent(64),
            diverged: false,
        }
    }

    /// The blob id of authority.yaml in `commit`'s tree.
    pub fn authority_blob(&self, commit: &Commit<'_>) -> Option<Oid> {
        let tree = commit.tree().ok()?;
        tree.get_path(Path::new("authority.yaml"))
            .ok()
            .map(|e| e.id())
    }

    /// The authority.yaml in effect after `commit`: its own, unless the audit found its change
    /// unsound.
    pub fn in_effect_after(&self, commit: &Commit<'_>) -> Option<Oid> {
        match self.in_effect.get(&commit.id()) {
            Some(b) => *b,
            None => self.authority_blob(commit),
        }
    }

    /// The authority.yaml a commit is judged by (its blob id): the one in effect at its
    /// parent, or its own for a first commit.
    pub fn judging_blob(&self, commit: &Commit<'_>) -> Option<Oid> {
        match commit.parent(0) {
            Ok(parent) => self.in_effect_after(&parent),
            Err(_) => self.authority_blob(commit),
        }
    }

    /// Settles what is in effect after a judged commit: its own authority.yaml if it is
    /// sound, else what was in effect before it.
    pub fn settle(&mut self, commit: &Commit<'_>, sound: bool) {
        let own = self.authority_blob(commit);
        let blob = if sound {
            own
        } else {
            self.judging_blob(commit)
        };
        self.diverged |= blob != own;
        self.in_effect.insert(commit.id(), blob);
    }

    /// Some commit judged so far changed authority.yaml in a way that did not take effect.
    pub fn rejected_authority(&self) -> bool {
        self.diverged
    }

    /// The folders read last, for reading files at the commits being judged.
    pub fn folders(&mut self) -> &mut FolderCache {
        &mut self.folders
    }

    /// What `entry`'s commit changed, read from its tree.
    pub fn fill_deltas(&mut self, entry: &mut Entry) -> Result<(), git2::Error> {
        let commit = self.repo.find_commit(entry.id)?;
        let d = deltas(self.repo, &mut self.folders, &commit)?;
        entry.set_deltas(d);
        Ok(())
    }

    /// authority.yaml of the given blob id, parsed (None when unreadable).
    pub fn office_of(&mut self, blob_id: Option<Oid>) -> Option<std::rc::Rc<Office>> {
        let blob_id = blob_id?;
        if let Some(o) = self.offices.get(&blob_id) {
            return o.clone();
        }
        let office = self
            .repo
            .find_blob(blob_id)
            .ok()
            .and_then(|b| std::str::from_utf8(b.content()).ok().map(str::to_string))
            .and_then(|t| crate::store::files::parse_yaml::<Office>(&t).ok())
            .map(std::rc::Rc::new);
        self.offices.insert(blob_id, office.clone());
        office
    }

    /// Commits in `range` (`A..B`, or one revision: everything reachable from it; default
    /// HEAD), oldest first.
    pub fn commits(&self, range: Option<&str>) -> Result<Vec<Oid>, git2::Error> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        match range {
            Some(r) if r.contains("..") => walk.push_range(r)?,
            Some(r) => walk.push(self.repo.revparse_single(r)?.peel_to_commit()?.id())?,
            None => walk.push_head()?,
        }
        walk.collect()
    }

    /// The commits reachable from `tips` and from none of `known`, parents first.
    pub fn commits_new(&self, tips: &[Oid], known: &[Oid]) -> Result<Vec<Oid>, git2::Error> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        for t in tips {
            walk.push(*t)?;
        }
        for k in known {
            walk.hide(*k)?;
        }
        walk.collect()
    }

    /// authority.yaml as it stands in `commit`'s tree (None when absent or unreadable).
    pub fn office_at(&mut self, commit: &Commit<'_>) -> Option<std::rc::Rc<Office>> {
        let blob = self.authority_blob(commit);
        self.office_of(blob)
    }

    /// The office a commit is judged by (see [`History::judging_blob`]).
    pub fn judging_office(&mut self, commit: &Commit<'_>) -> Option<std::rc::Rc<Office>> {
        let blob = self.judging_blob(commit);
        self.office_of(blob)
    }

    /// The commit, read for the audit or a claim's log, with what it changed.
    pub fn entry(&mut self, id: Oid) -> Result<Entry, git2::Error> {
        let mut entry = self.head(id)?;
        let commit = self.repo.find_commit(id)?;
        let d = deltas(self.repo, &mut self.folders, &commit)?;
        entry.set_deltas(d);
        Ok(entry)
    }

    /// The commit without what it changed (see [`Entry::set_deltas`]).
    pub fn head(&mut self, id: Oid) -> Result<Entry, git2::Error> {
        let commit = self.repo.find_commit(id)?;
        let office = self.judging_office(&commit);
        let author = commit.author();
        let message = commit.message().unwrap_or("").to_string();
        let (changed, deltas) = (Vec::new(), Vec::new());
        Ok(Entry {
            id,
            when: author.when(),
            author_name: author.name().unwrap_or("").to_string(),
            author_email: author.email().unwrap_or("").to_string(),
            subject: message.lines().next().unwrap_or("").to_string(),
            trailers: trailers(&message),
            signature: self.signature(&commit, office.as_deref()),
            changed,
            deltas,
            parents: commit.parent_ids().collect(),
            names_command: names_a_command(&message),
        })
    }

    /// How `commit`'s signature stands against `office`: its author's key there, and its
    /// author active there.
    pub fn signature_under(&self, commit: &Commit<'_>, office: Option<&Office>) -> Signature {
        let email = commit.author().email().unwrap_or("").to_string();
        match self.signature(commit, office) {
            Signature::Good { .. }
                if office
                    .and_then(|o| o.person(&email))
                    .is_some_and(|p| !p.active) =>
            {
                Signature::NotTheAuthor(format!("names {email}, who is no longer active"))
            }
            other => other,
        }
    }

    fn signature(&self, commit: &Commit<'_>, office: Option<&Office>) -> Signature {
        let (sig, data) = match self.repo.extract_signature(&commit.id(), None) {
            Ok((s, d)) => (String::from_utf8_lossy(&s).to_string(), d.to_vec()),
            Err(_) => return Signature::Unsigned,
        };
        let email = commit.author().email().unwrap_or("").to_string();
        let Some(office) = office else {
            return Signature::NotTheAuthor("no authority.yaml to know the author by".into());
        };
        let person = office.person(&email);
        let Some(person) = person else {
            return Signature::NotTheAuthor(format!("{email} is not a person in authority.yaml"));
        };
        let Some(key) = person.signing_key.as_deref() else {
            return Signature::NotTheAuthor(format!(
                "{email} has no signing key in authority.yaml"
            ));
        };
        if sig.contains("BEGIN SSH SIGNATURE") {
            if key.starts_with("openpgp:") {
                return Signature::NotTheAuthor(format!(
                    "SSH-signed, but {email}'s key is OpenPGP"
                ));
            }
            return match verify_ssh_signature(&sig, &data, key) {
                Ok(()) => Signature::Good { signer: email },
                Err(crate::store::signing::SignError::WrongKey { .. }) => {
                    let used = ssh_signature_public_key(&sig).unwrap_or_default();
                    let owner = office
                        .people
                        .iter()
                        .find(|p| {
                            p.signing_key
                                .as_deref()
                                .is_some_and(|k| same_ssh_key(k, &used))
                        })
                        .map(|p| format!("the key of {}", p.email))
                        .unwrap_or_else(|| "a key no one in authority.yaml holds".into());
                    Signature::NotTheAuthor(format!("names {email} but was signed with {owner}"))
                }
                Err(e) => Signature::Bad(e.to_string()),
            };
        }
        self.openpgp(commit.id(), &email, key)
    }

    /// OpenPGP: `git verify-commit --raw` (gpg) and the fingerprint it reports.
    fn openpgp(&self, id: Oid, email: &str, key: &str) -> Signature {
        let Some(want) = key.strip_prefix("openpgp:") else {
            return Signature::NotTheAuthor(format!("OpenPGP-signed, but {email}'s key is SSH"));
        };
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(self.repo.path())
            // libgit2 reads objects as they are; git would show a `git replace` stand-in.
            .env("GIT_NO_REPLACE_OBJECTS", "1")
            .args(["verify-commit", "--raw", &id.to_string()])
            .output();
        let Ok(out) = out else {
            return Signature::Bad("git (for gpg) could not be run".into());
        };
        let status = String::from_utf8_lossy(&out.stderr);
        // VALIDSIG: the signing (sub)key's fingerprint first, the primary key's last.
        let valid: Option<Vec<String>> = status
            .lines()
            .find_map(|l| l.strip_prefix("[GNUPG:] VALIDSIG "))
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                [f.first(), f.get(9)]
                    .into_iter()
                    .flatten()
                    .map(|s| s.to_string())
                    .collect()
            });
        match valid {
            Some(fprs) if fprs.iter().any(|f| f.eq_ignore_ascii_case(want.trim())) => {
                Signature::Good {
                    signer: email.to_string(),
                }
            }
            Some(fprs) => Signature::NotTheAuthor(format!(
                "names {email} but was signed by {}",
                fprs.first().cloned().unwrap_or_default()
            )),
            None => Signature::Bad("gpg did not accept the signature".into()),
        }
    }
}

fn same_ssh_key(a: &str, b: &str) -> bool {
    let core = |s: &str| s.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    core(a) == core(b)
}

/// `Key: value` lines of the message's last paragraph.
pub fn trailers(message: &str) -> Vec<(String, String)> {
    let last = message.trim_end().rsplit("\n\n").next().unwrap_or("");
    let mut out: Vec<(String, String)> = Vec::new();
    for l in last.lines() {
        // As git reads them: `Key: value` or `Key:value`, and lines that begin with
        // whitespace continue the one before.
        if l.starts_with([' ', '\t']) {
            if let Some((_, v)) = out.last_mut() {
                v.push(' ');
                v.push_str(l.trim());
            }
            continue;
        }
        if let Some((k, v)) = trailer_line(l) {
            out.push((k.to_string(), v.trim().to_string()));
        }
    }
    out
}

/// `Key: value` as git takes a trailer: a key of letters, digits and `-`, then (after any
/// spaces) a colon.
fn trailer_line(l: &str) -> Option<(&str, &str)> {
    let (k, v) = l.split_once(':')?;
    let k = k.trim_end();
    (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then_some((k, v))
}

/// The message claims to be a command's: some line of it reads as a `Command` trailer.
pub fn names_a_command(message: &str) -> bool {
    message
        .lines()
        .filter_map(trailer_line)
        .any(|(k, _)| k.eq_ignore_ascii_case("Command"))
}

/// What `commit` changed against its first parent (everything, for a first commit).
pub fn deltas(
    repo: &Repository,
    folders: &mut FolderCache,
    commit: &Commit<'_>,
) -> Result<Vec<Delta>, git2::Error> {
    let old = commit.parent(0).ok().map(|p| p.tree_id());
    let odb = repo.odb()?;
    let mut out = Vec::new();
    diff_folders(&odb, folders, old, Some(commit.tree_id()), "", &mut out)?;
    Ok(out)
}

const MODE_TREE: u32 = 0o040000;

/// One entry of a raw folder object, `MODE SP NAME NUL ID`, as its bytes.
#[derive(Clone, Copy)]
struct RawEntry<'a> {
    whole: &'a [u8],
    name: &'a [u8],
    tree: bool,
}

impl RawEntry<'_> {
    fn parsed(&self) -> Result<(u32, Oid), git2::Error> {
        let sp = memchr::memchr(b' ', self.whole).unwrap_or(0);
        let mode = std::str::from_utf8(&self.whole[..sp])
            .ok()
            .and_then(|m| u32::from_str_radix(m, 8).ok())
            .ok_or_else(|| git2::Error::from_str("a folder object is corrupt"))?;
        Ok((mode, Oid::from_bytes(&self.whole[self.whole.len() - 20..])?))
    }
}

/// The entries of a raw folder object, in order, without parsing them.
fn entries(raw: &[u8]) -> Result<Vec<RawEntry<'_>>, git2::Error> {
    let corrupt = || git2::Error::from_str("a folder object is corrupt");
    let mut out = Vec::new();
    let mut at = 0;
    while at < raw.len() {
        let rest = &raw[at..];
        let sp = memchr::memchr(b' ', rest).ok_or_else(corrupt)?;
        let nul = sp + 1 + memchr::memchr(0, &rest[sp + 1..]).ok_or_else(corrupt)?;
        let end = nul + 21;
        if end > rest.len() {
            return Err(corrupt());
        }
        out.push(RawEntry {
            whole: &rest[..end],
            name: &rest[sp + 1..nul],
            tree: &rest[..sp] == b"40000",
        });
        at += end;
    }
    Ok(out)
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    // Compare in chunks first: month folders are large and mostly the same.
    let mut i = 0;
    while i + 64 <= n && a[i..i + 64] == b[i..i + 64] {
        i += 64;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The changed files between two versions of a folder, read raw and merged in git's order:
/// folders with the same id are the same and skipped whole, so a commit's diff costs the
/// folders on its paths, not the office.
fn diff_folders(
    odb: &git2::Odb<'_>,
    folders: &mut FolderCache,
    old: Option<Oid>,
    new: Option<Oid>,
    prefix: &str,
    out: &mut Vec<Delta>,
) -> Result<(), git2::Error> {
    if old == new {
        return Ok(());
    }
    let read = |f: &mut FolderCache,
                id: Option<Oid>|
     -> Result<Option<std::rc::Rc<Vec<u8>>>, git2::Error> {
        id.map(|id| f.read(odb, id)).transpose()
    };
    let (ra, rb) = (read(folders, old)?, read(folders, new)?);
    let (ra, rb) = (
        ra.as_deref().map(Vec::as_slice).unwrap_or(&[]),
        rb.as_deref().map(Vec::as_slice).unwrap_or(&[]),
    );
    // Entries within the common leading and trailing bytes are the same on both sides.
    let head = common_prefix(ra, rb);
    let tail = {
        let (x, y) = (&ra[head..], &rb[head..]);
        let n = x.len().min(y.len());
        (0..n)
            .take_while(|k| x[x.len() - 1 - k] == y[y.len() - 1 - k])
            .count()
    };
    let a = entries(ra)?;
    let b = entries(rb)?;
    let same = |e: &RawEntry<'_>, raw: &[u8]| {
        let start = e.whole.as_ptr() as usize - raw.as_ptr() as usize;
        start + e.whole.len() <= head || start >= raw.len() - tail
    };
    let one = |out: &mut Vec<Delta>,
               folders: &mut FolderCache,
               name: &[u8],
               x: Option<(u32, Oid)>,
               y: Option<(u32, Oid)>|
     -> Result<(), git2::Error> {
        let path = format!("{prefix}{}", String::from_utf8_lossy(name));
        let tree = |e: Option<(u32, Oid)>| e.filter(|(m, _)| *m == MODE_TREE).map(|(_, id)| id);
        let file =
            |e: Option<(u32, Oid)>| e.filter(|(m, _)| *m != MODE_TREE).map(|(m, id)| (id, m));
        if tree(x).is_some() || tree(y).is_some() {
            diff_folders(odb, folders, tree(x), tree(y), &format!("{path}/"), out)?;
        }
        let (fx, fy) = (file(x), file(y));
        if fx != fy {
            out.push(Delta {
                path,
                old: fx,
                new: fy,
            });
        }
        Ok(())
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            if same(x, ra) && same(y, rb) && x.whole == y.whole {
                i += 1;
                j += 1;
                continue;
            }
        }
        let order = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => crate::store::git::tree_order(x.name, x.tree, y.name, y.tree),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Equal => {
                let (x, y) = (a[i], b[j]);
                if x.whole != y.whole {
                    one(out, folders, x.name, Some(x.parsed()?), Some(y.parsed()?))?;
                }
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                one(out, folders, a[i].name, Some(a[i].parsed()?), None)?;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                one(out, folders, b[j].name, None, Some(b[j].parsed()?))?;
                j += 1;
            }
        }
    }
    Ok(())
}
