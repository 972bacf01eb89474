//! `claims audit`: the history proved, commit by commit, without trusting whoever pushed it.
//!
//! Every commit in the range is judged, whatever it touches, by authority.yaml as it stood at
//! its parent (a first commit by its own):
//!
//! - its signature must be the key authority.yaml gives its author (A001 unsigned, A002 does
//!   not verify, A003 another key or an unknown person);
//! - a commit that records a command (`Command:` and `Args:` trailers) is replayed: the same
//!   [`crate::workflow`] function the tool ran is run again on its parent, as its author, at its
//!   time, and the commit must be byte-identical to what it returns — files, message and
//!   trailers (A010), and the command must not be refused there (A009); malformed or doubled
//!   tool trailers are A012. A first notice must be an admissible one;
//! - any other commit is a hand edit: of a claim's words or reported facts a warning (A004),
//!   of money, status, approvals, decisions, denials, merges or ids an error (A005, and A006
//!   when it leaves the claim beyond the authority matrix); of authority.yaml it must keep the
//!   governance rules (A007, A008); of policies/ and templates/ it needs `manage_policies` or
//!   `manage_templates` (A016, A017); other files are a warning (A014), links and submodules
//!   an error (A015);
//! - no commit may carry private key material (A013);
//! - a merge commit must hold what merging its parents gives (A021);
//! - an office's first commit is its founding: its author must be one of the people who may
//!   govern it.
//!
//! Commits made before the tool recorded arguments (no `Args:` trailer, and no commit before
//! them recorded any) are judged by the rules of their time, trusting their trailers, and
//! reported as such (A019, a note).
//!
//! SSH signatures are verified in-process (the same check `git verify-commit` makes with the
//! allowed-signers file built from authority.yaml); OpenPGP ones by `gpg` through
//! `git verify-commit --raw`.

pub mod checkpoint;
pub mod clock;
mod hand;
pub mod history;
mod legacy;
mod replay;

use git2::{Oid, Repository};
use serde::Serialize;

use crate::check::finding::{severity_of, Finding};
use crate::domain::claim_id::{claim_in_path, ClaimPath};
use crate::domain::secrets::private_key_in;
pub use history::{trailers, Delta, Entry, History, Signature};
pub(crate) use replay::recorded as recorded_command;
pub use replay::time_of;

/// How far a commit's time may fall behind its parent's (clocks of different machines).
pub const CLOCK_SKEW_SECONDS: i64 = 600;

/// How a commit came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The office's first commit.
    Founding,
    /// A command, replayed to the byte.
    Replayed,
    /// A change by hand (words, or governed files by entitled people).
    HandEdit,
    /// A merge of two lines of work.
    Merge,
    /// Judged by the rules of its time (it records no arguments).
    Legacy,
    /// At least one error.
    Failed,
}

/// One commit's outcome, for `--format json` and the tests.
#[derive(Clone, Debug, Serialize)]
pub struct Judged {
    pub commit: String,
    pub command: Option<String>,
    pub verdict: Verdict,
    /// Its signature as the audit judged it (by the authority.yaml in effect at its parent).
    #[serde(skip)]
    pub signature: Signature,
    /// What the audit found in it (for a claim's file, `claims export`).
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// The audit of a range: its findings and each commit's verdict, oldest first.
pub struct Report {
    pub findings: Vec<Finding>,
    pub commits: Vec<Judged>,
}

fn finding(code: &'static str, file: &str, claim: Option<&str>, message: String) -> Finding {
    Finding {
        code,
        severity: severity_of(code),
        file: file.to_string(),
        line: 1,
        column: 1,
        claim: claim.map(str::to_string),
        field: None,
        message,
    }
}

/// A claim file path: `claims/YYYY/MM/ID.yaml` or `claims/YYYY/MM/XX/ID.yaml`.
fn is_claim_file(path: &str) -> bool {
    matches!(claim_in_path(path), Some((_, ClaimPath::Record)))
}

/// The id a claim path names (a claim's file or a file in its folder).
fn claim_of(path: &str) -> Option<String> {
    claim_in_path(path).map(|(id, _)| id.to_string())
}

fn short(id: Oid) -> String {
    id.to_string()[..12].to_string()
}

/// A few changed lines, for the auditor: `-old` / `+new`.
fn what_changed(before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut parts = Vec::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => "-",
            similar::ChangeTag::Insert => "+",
            similar::ChangeTag::Equal => continue,
        };
        parts.push(format!("{sign}{}", change.value().trim()));
        if parts.len() == 6 {
            parts.push("...".into());
            break;
        }
    }
    parts.join(" ")
}

fn blob(repo: &Repository, id: Oid) -> Vec<u8> {
    repo.find_blob(id)
        .map(|b| b.content().to_vec())
        .unwrap_or_default()
}

/// Someone watching the audit go (a progress bar): told how many commits it judges, then of
/// each one judged, from any of its threads.
pub trait Watch: Sync {
    fn begin(&self, _commits: usize) {}
    fn judged(&self) {}
}

/// Nobody watching.
pub struct Unwatched;

impl Watch for Unwatched {}

/// The audit of `range` (`A..B`, or one revision: everything reachable from it; default HEAD).
pub fn audit(repo: &Repository, range: Option<&str>) -> Result<Report, git2::Error> {
    audit_watched(repo, range, &Unwatched)
}

/// [`audit`], saying how it goes to `watch`.
pub fn audit_watched(
    repo: &Repository,
    range: Option<&str>,
    watch: &dyn Watch,
) -> Result<Report, git2::Error> {
    let ids = History::new(repo).commits(range)?;
    audit_commits(repo, &ids, watch)
}

/// The audit of the commits `tips` bring that none of `known` holds — a push, judged against
/// every ref the repository had before it.
pub fn audit_new(repo: &Repository, tips: &[Oid], known: &[Oid]) -> Result<Report, git2::Error> {
    let ids = History::new(repo).commits_new(tips, known)?;
    audit_commits(repo, &ids, &Unwatched)
}

/// Sets libgit2 up for reading the whole history (the audit, the history-based reports).
/// Every object is read back through its id, which names its content: hashing each again on
/// the way in would be most of the work. And libgit2's object cache is off: the folders read
/// again and again (a month folder, for every commit in it) are kept raw by the reader's own
/// [`FolderCache`](crate::store::git::FolderCache), while storing every object read in
/// libgit2's cache, and evicting from it once full, cost more than the reading itself (measured
/// over 100,417 commits: the productivity report 63 s with the cache, 19 s without; the
/// claim-rule error trends 55 s and 29 s; the full audit 47 s and 45 s).
pub fn reading_history() {
    git2::opts::strict_hash_verification(false);
    git2::opts::enable_caching(false);
}

/// The audit of `ids`, parents before children.
fn audit_commits(repo: &Repository, ids: &[Oid], watch: &dyn Watch) -> Result<Report, git2::Error> {
    reading_history();
    let threads = stretches(ids.len());
    if threads > 1 {
        watch.begin(ids.len());
        if let Some(report) = in_parallel(repo, ids, threads, watch)? {
            return Ok(report);
        }
    }
    watch.begin(ids.len());
    let mut auditor = Auditor::new(repo);
    for id in ids {
        auditor.judge(*id)?;
        watch.judged();
    }
    Ok(auditor.report())
}

/// How many stretches to audit `commits` in: one per CPU, each of at least 1,000 commits. The
/// tests set `CLAIMS_AUDIT_STRETCH` to audit short histories in many short stretches too, to
/// prove both ways say the same.
fn stretches(commits: usize) -> usize {
    let chosen = std::env::var("CLAIMS_AUDIT_STRETCH")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n > 0);
    match chosen {
        Some(size) => commits / size,
        None => (commits / 1000).min(rayon::current_num_threads()),
    }
    .max(1)
}

/// The audit of `ids` in `threads` stretches at once, each on its own handle of the
/// repository. A commit is judged by what came before it, so each stretch starts from the
/// office as its first commit's parent holds it; that is what the one-after-another audit
/// knows there too — unless an earlier stretch found an authority.yaml change or a proposal
/// it did not accept (what follows is judged without it). Then the stretches say so and the
/// audit is made one commit after another instead (None).
fn in_parallel(
    repo: &Repository,
    ids: &[Oid],
    threads: usize,
    watch: &dyn Watch,
) -> Result<Option<Report>, git2::Error> {
    let size = ids.len().div_ceil(threads);
    let git_dir = repo.path().to_path_buf();
    let parts: Vec<Result<(Report, bool), git2::Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .chunks(size)
            .map(|chunk| {
                let git_dir = git_dir.clone();
                scope.spawn(move || -> Result<(Report, bool), git2::Error> {
                    // With a push's quarantined objects, as the caller's handle has them.
                    let repo = crate::store::bare::open(&git_dir)?;
                    let mut auditor = Auditor::new(&repo);
                    for id in chunk {
                        auditor.judge(*id)?;
                        watch.judged();
                    }
                    let carried =
                        auditor.history.rejected_authority() || !auditor.hand_written.is_empty();
                    Ok((auditor.report(), carried))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(git2::Error::from_str("an audit thread failed")))
            })
            .collect()
    });
    let mut findings = Vec::new();
    let mut commits = Vec::new();
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        let (report, carried) = part?;
        if carried && i < last {
            return Ok(None);
        }
        findings.extend(report.findings);
        commits.extend(report.commits);
    }
    Ok(Some(Report { findings, commits }))
}

/// One audit's state as it goes from commit to commit.
struct Auditor<'r> {
    repo: &'r Repository,
    history: History<'r>,
    replayer: replay::Replayer<'r>,
    findings: Vec<Finding>,
    judged: Vec<Judged>,
    modern: std::collections::HashMap<Oid, bool>,
    hand_written: std::collections::HashSet<(String, Oid)>,
}

impl<'r> Auditor<'r> {
    fn new(repo: &'r Repository) -> Auditor<'r> {
        Auditor {
            repo,
            history: History::new(repo),
            replayer: replay::Replayer::new(repo),
            findings: Vec::new(),
            judged: Vec::new(),
            modern: Default::default(),
            hand_written: Default::default(),
        }
    }

    fn report(self) -> Report {
        Report {
            findings: self.findings,
            commits: self.judged,
        }
    }

    /// Judges one commit (its parents judged before it, when they are in the range).
    fn judge(&mut self, id: Oid) -> Result<(), git2::Error> {
        let mut entry = self.history.head(id)?;
        let commit = self.repo.find_commit(id)?;
        let is_modern = entry.trailer("Args").is_some()
            || entry.parents.iter().any(|p| {
                *self
                    .modern
                    .entry(*p)
                    .or_insert_with(|| modern_at(self.repo, *p))
            });
        self.modern.insert(id, is_modern);
        let replayed = is_modern && entry.says_tool() && entry.parents.len() == 1;
        let fast = if replayed {
            let judged_by = self.history.judging_blob(&commit);
            self.replayer
                .prepare(judged_by, self.history.folders(), &commit, &entry)?
        } else {
            None
        };
        // Files the command itself derived need no reading as YAML: the tool wrote them.
        let derived = fast.is_some();
        match fast {
            Some(deltas) => entry.set_deltas(deltas),
            None => self.history.fill_deltas(&mut entry)?,
        }
        let first = self.findings.len();
        let s = short(id);
        let place = entry
            .changed
            .first()
            .cloned()
            .unwrap_or_else(|| "authority.yaml".into());
        match &entry.signature {
            Signature::Good { .. } => {}
            Signature::Unsigned => self.findings.push(finding(
                "A001",
                &place,
                None,
                format!("commit {s} ({}) is not signed", entry.subject),
            )),
            Signature::Bad(why) => self.findings.push(finding(
                "A002",
                &place,
                None,
                format!("commit {s}: the signature does not verify: {why}"),
            )),
            Signature::NotTheAuthor(why) => {
                self.findings
                    .push(finding("A003", &place, None, format!("commit {s} {why}")))
            }
        }
        for d in &entry.deltas {
            let Some((new, mode)) = d.new else { continue };
            match mode {
                0o120000 => self.findings.push(finding(
                    "A015",
                    &d.path,
                    claim_of(&d.path).as_deref(),
                    format!(
                        "commit {s} commits a symbolic link at {}; the office holds files only",
                        d.path
                    ),
                )),
                0o160000 => self.findings.push(finding(
                    "A015",
                    &d.path,
                    None,
                    format!(
                        "commit {s} commits a submodule at {}; the office holds files only",
                        d.path
                    ),
                )),
                0o100755 => self.findings.push(finding(
                    "A015",
                    &d.path,
                    claim_of(&d.path).as_deref(),
                    format!(
                        "commit {s} makes {} executable; the office holds plain files only",
                        d.path
                    ),
                )),
                _ => {
                    let bytes = blob(self.repo, new);
                    let found = private_key_in(&bytes).or_else(|| {
                        (!derived && d.path.ends_with(".yaml"))
                            .then(|| key_in_yaml_strings(&bytes))
                            .flatten()
                    });
                    if let Some(what) = found {
                        self.findings.push(finding(
                        "A013",
                        &d.path,
                        claim_of(&d.path).as_deref(),
                        format!(
                            "commit {s} commits {what} in {}: anyone with a clone can sign with it; remove it from the history and replace the key",
                            d.path
                        ),
                    ));
                    }
                }
            }
        }
        if let Some(why) = clock::judge_commit(self.repo, &commit)? {
            self.findings.push(finding(
                "A023",
                &place,
                entry.trailer("Claim"),
                format!("commit {s} {why}"),
            ));
        }
        if let Some(what) = private_key_in(commit.message_bytes()) {
            self.findings.push(finding(
                "A013",
                &place,
                None,
                format!("commit {s}'s message holds {what}"),
            ));
        }
        let verdict = if entry.parents.len() > 1 {
            hand::merge(self.repo, &commit, &entry, &mut self.findings)?;
            both_lines(
                self.repo,
                &mut self.history,
                &commit,
                &entry,
                &mut self.findings,
            )?;
            Verdict::Merge
        } else if entry.parents.is_empty() {
            hand::founding(&mut self.history, &commit, &entry, &mut self.findings);
            Verdict::Founding
        } else if !is_modern {
            legacy::judge(
                &mut self.history,
                self.repo,
                &commit,
                &entry,
                &mut self.findings,
            );
            self.findings.push(finding(
            "A019",
            &place,
            entry.trailer("Claim"),
            format!(
                "commit {s} ({}) was made before commands recorded their arguments: judged by the rules of its time, trusting its trailers",
                entry.trailer("Command").map_or("a hand edit".to_string(), |c| format!("`{c}`"))
            ),
        ));
            Verdict::Legacy
        } else if entry.says_tool() {
            let judged_by = self.history.judging_blob(&commit);
            self.replayer.judge(
                judged_by,
                self.history.folders(),
                &commit,
                &entry,
                &mut self.findings,
            )?;
            if let Some(path) = approved_proposal(&commit, &entry) {
                if self.hand_written.contains(&path) {
                    self.findings.push(finding(
                    "A008",
                    &path.0,
                    None,
                    format!(
                        "commit {s} approves {}, which was written by hand, not proposed with `claims authority propose`",
                        path.0
                    ),
                ));
                }
            }
            Verdict::Replayed
        } else {
            let policies = self.replayer.policy_lines_at(&commit);
            hand::judge(
                &mut self.history,
                self.repo,
                &commit,
                &entry,
                &policies,
                &mut self.findings,
            )?;
            Verdict::HandEdit
        };
        self.replayer.follow(&commit, &entry)?;
        let failed = self.findings[first..]
            .iter()
            .any(|f| f.severity == crate::check::finding::Severity::Error);
        self.history.settle(&commit, !failed);
        // Proposals that no sound `authority propose` wrote can never be approved.
        if failed || matches!(verdict, Verdict::HandEdit | Verdict::Legacy) {
            for d in entry
                .deltas
                .iter()
                .filter(|d| d.path.starts_with("proposals/"))
            {
                if let Some((blob, _)) = d.new {
                    self.hand_written.insert((d.path.clone(), blob));
                }
            }
        }
        self.judged.push(Judged {
            commit: id.to_string(),
            command: entry.trailer("Command").map(str::to_string),
            verdict: if failed { Verdict::Failed } else { verdict },
            signature: entry.signature.clone(),
            findings: self.findings[first..].to_vec(),
        });
        Ok(())
    }
}

/// A merge joins two lines whose authority.yaml may differ (a key rotated, a person gone on
/// one of them): what each line brings must hold under the other's too, and the merge itself
/// under both — or a retired key or a departed person's work would come in by a side branch.
fn both_lines(
    repo: &Repository,
    history: &mut History,
    commit: &git2::Commit<'_>,
    entry: &Entry,
    findings: &mut Vec<Finding>,
) -> Result<(), git2::Error> {
    let s = short(commit.id());
    let parents: Vec<git2::Commit<'_>> = entry
        .parents
        .iter()
        .map(|p| repo.find_commit(*p))
        .collect::<Result<_, _>>()?;
    let blobs: Vec<Option<Oid>> = parents.iter().map(|p| history.in_effect_after(p)).collect();
    if blobs.windows(2).all(|w| w[0] == w[1]) || parents.len() != 2 {
        return Ok(());
    }
    let Ok(base) = repo.merge_base(parents[0].id(), parents[1].id()) else {
        return Ok(()); // unrelated histories: reported by the merge rule
    };
    let at_base = history.in_effect_after(&repo.find_commit(base)?);
    for (i, p) in parents.iter().enumerate() {
        for (j, other) in parents.iter().enumerate() {
            // A line's commits were judged by the authority.yaml of their own line; what the
            // other line changed in it meanwhile applies to them as well.
            if i == j || blobs[j] == at_base {
                continue;
            }
            let office = history.office_of(blobs[j]);
            let mut walk = repo.revwalk()?;
            walk.push(p.id())?;
            walk.hide(other.id())?;
            for id in walk {
                let c = repo.find_commit(id?)?;
                let sig = history.signature_under(&c, office.as_deref());
                if let Signature::Good { .. } = sig {
                    continue;
                }
                let why = match sig {
                    Signature::NotTheAuthor(w) | Signature::Bad(w) => w,
                    _ => "is not signed".into(),
                };
                findings.push(finding(
                    "A003",
                    "authority.yaml",
                    None,
                    format!(
                        "merge commit {s} brings in commit {} which, by the authority.yaml of the line it joins, {why}",
                        short(c.id())
                    ),
                ));
            }
            if let sig @ (Signature::NotTheAuthor(_) | Signature::Bad(_)) =
                history.signature_under(commit, office.as_deref())
            {
                findings.push(finding(
                    "A003",
                    "authority.yaml",
                    None,
                    format!("merge commit {s} is not signed as that line's authority.yaml requires: {sig:?}"),
                ));
            }
        }
    }
    Ok(())
}

/// The proposal file (path, blob at the parent) an `authority approve` commit approves.
fn approved_proposal(commit: &git2::Commit<'_>, entry: &Entry) -> Option<(String, Oid)> {
    if !entry
        .trailer("Command")?
        .eq_ignore_ascii_case("authority approve")
    {
        return None;
    }
    let id = crate::workflow::args::Reader::parse(entry.trailer("Args")?)
        .ok()?
        .positional("proposal id")
        .ok()?;
    let path = crate::workflow::authority::Proposal::path_of(&id);
    let tree = commit.parent(0).ok()?.tree().ok()?;
    let blob = tree.get_path(std::path::Path::new(&path)).ok()?.id();
    Some((path, blob))
}

/// Private key material in a YAML file's strings as they read (escapes and folded lines
/// undone), which the bytes alone need not show.
fn key_in_yaml_strings(bytes: &[u8]) -> Option<&'static str> {
    fn walk(v: &serde_yaml::Value) -> Option<&'static str> {
        match v {
            serde_yaml::Value::String(s) => private_key_in(s.as_bytes()),
            serde_yaml::Value::Sequence(items) => items.iter().find_map(walk),
            serde_yaml::Value::Mapping(m) => {
                m.iter().find_map(|(k, v)| walk(k).or_else(|| walk(v)))
            }
            serde_yaml::Value::Tagged(t) => walk(&t.value),
            _ => None,
        }
    }
    let text = std::str::from_utf8(bytes).ok()?;
    walk(&crate::store::files::parse_yaml::<serde_yaml::Value>(text).ok()?)
}

/// Whether the history up to `id` records arguments: some commit on its line does. (Commits
/// before the first that does are judged by the rules of their time.)
fn modern_at(repo: &Repository, id: Oid) -> bool {
    let mut at = repo.find_commit(id).ok();
    while let Some(c) = at {
        let t = trailers(c.message().unwrap_or(""));
        if t.iter().any(|(k, _)| k == "Args") {
            return true;
        }
        if t.iter().any(|(k, _)| k == "Command") {
            return false;
        }
        at = c.parent(0).ok();
    }
    false
}
