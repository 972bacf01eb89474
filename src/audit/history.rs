//! Reading history: commits in a range, the office as it stood at each, what each changed,
//! its trailers and whether its signature is the key authority.yaml gives its author.

use std::collections::HashMap;
use std::path::Path;

use git2::{Commit, Oid, Repository};

use crate::domain::office::Office;
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

    /// Every value of trailer `key`.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.trailers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// It says it was made by the tool: it carries a `Command:` trailer.
    pub fn says_tool(&self) -> bool {
        self.trailer("Command").is_some()
    }
}

/// Reads history: commits in a range, the office as it stood, signatures.
pub struct History<'r> {
    repo: &'r Repository,
    offices: HashMap<Oid, Option<Office>>,
    /// The authority.yaml in effect after each commit judged (by its blob id): a change that
    /// broke the rules does not take effect, so what follows is judged without it.
    in_effect: HashMap<Oid, Option<Oid>>,
}

impl<'r> History<'r> {
    pub fn new(repo: &'r Repository) -> History<'r> {
        History {
            repo,
            offices: HashMap::new(),
            in_effect: HashMap::new(),
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
        let blob = if sound {
            self.authority_blob(commit)
        } else {
            self.judging_blob(commit)
        };
        self.in_effect.insert(commit.id(), blob);
    }

    /// authority.yaml of the given blob id, parsed (None when unreadable).
    pub fn office_of(&mut self, blob_id: Option<Oid>) -> Option<Office> {
        let blob_id = blob_id?;
        if let Some(o) = self.offices.get(&blob_id) {
            return o.clone();
        }
        let office = self
            .repo
            .find_blob(blob_id)
            .ok()
            .and_then(|b| std::str::from_utf8(b.content()).ok().map(str::to_string))
            .and_then(|t| serde_yaml::from_str::<Office>(&t).ok());
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

    /// authority.yaml as it stands in `commit`'s tree (None when absent or unreadable).
    pub fn office_at(&mut self, commit: &Commit<'_>) -> Option<Office> {
        let blob = self.authority_blob(commit);
        self.office_of(blob)
    }

    /// The office a commit is judged by (see [`History::judging_blob`]).
    pub fn judging_office(&mut self, commit: &Commit<'_>) -> Option<Office> {
        let blob = self.judging_blob(commit);
        self.office_of(blob)
    }

    pub fn entry(&mut self, id: Oid) -> Result<Entry, git2::Error> {
        let commit = self.repo.find_commit(id)?;
        let office = self.judging_office(&commit);
        let author = commit.author();
        let message = commit.message().unwrap_or("").to_string();
        let deltas = deltas(self.repo, &commit)?;
        let changed = deltas.iter().map(|d| d.path.clone()).collect();
        Ok(Entry {
            id,
            when: author.when(),
            author_name: author.name().unwrap_or("").to_string(),
            author_email: author.email().unwrap_or("").to_string(),
            subject: message.lines().next().unwrap_or("").to_string(),
            trailers: trailers(&message),
            signature: self.signature(&commit, office.as_ref()),
            changed,
            deltas,
            parents: commit.parent_ids().collect(),
        })
    }

    fn signature(&self, commit: &Commit<'_>, office: Option<&Office>) -> Signature {
        let (sig, data) = match self.repo.extract_signature(&commit.id(), None) {
            Ok((s, d)) => (String::from_utf8_lossy(&s).to_string(), d.as_ref().to_vec()),
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
            .args(["verify-commit", "--raw", &id.to_string()])
            .output();
        let Ok(out) = out else {
            return Signature::Bad("git (for gpg) could not be run".into());
        };
        let status = String::from_utf8_lossy(&out.stderr);
        let valid = status
            .lines()
            .find_map(|l| l.strip_prefix("[GNUPG:] VALIDSIG "))
            .and_then(|l| l.split_whitespace().next())
            .map(str::to_string);
        match valid {
            Some(fpr) if fpr.eq_ignore_ascii_case(want.trim()) => Signature::Good {
                signer: email.to_string(),
            },
            Some(fpr) => Signature::NotTheAuthor(format!("names {email} but was signed by {fpr}")),
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
    last.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(": ")?;
            (!k.is_empty() && !k.contains(' ')).then(|| (k.to_string(), v.trim().to_string()))
        })
        .collect()
}

/// What `commit` changed against its first parent (everything, for a first commit).
pub fn deltas(repo: &Repository, commit: &Commit<'_>) -> Result<Vec<Delta>, git2::Error> {
    let new = commit.tree()?;
    let old = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(old.as_ref(), Some(&new), None)?;
    let side = |f: git2::DiffFile<'_>| (!f.id().is_zero()).then(|| (f.id(), u32::from(f.mode())));
    Ok(diff
        .deltas()
        .filter_map(|d| {
            let path = d
                .new_file()
                .path()
                .or_else(|| d.old_file().path())?
                .to_string_lossy()
                .to_string();
            Some(Delta {
                path,
                old: side(d.old_file()),
                new: side(d.new_file()),
            })
        })
        .collect())
}
