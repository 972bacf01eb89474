//! `claims audit`: the history proved, commit by commit, without trusting whoever pushed it.
//!
//! For every commit touching `claims/` or `authority.yaml`, with the office as `authority.yaml`
//! stood at the commit's parent (the first commit is judged by its own):
//!
//! - A001 unsigned; A002 a signature that does not verify; A003 signed by a key that is not the
//!   key of the person the commit names as author (or a person the office does not know);
//! - A004 a hand edit of a claim (no tool trailers) that changes only words — a warning showing
//!   what changed; A005 a hand edit that changes money, status, approvals or the denial;
//! - A006 a change that leaves a claim beyond the authority matrix (effective without the
//!   approval it needed, approved by the requester, a denial without independent approval or
//!   without its required review) — `claims check`'s M005, D001 and D005, introduced by that
//!   commit;
//! - A007 a person changing their own key, role, or their own role's limits in
//!   `authority.yaml`; A008 (warning) any other change of people, roles, keys or limits, for
//!   review;
//! - A009 a tool command whose actor's role (or inactive status) did not allow it: a CSR's
//!   triage, a staff adjuster's assignment override, an approval by a role without `approve`.
//!
//! SSH signatures are verified in-process (the same check `git verify-commit` makes with the
//! allowed-signers file built from authority.yaml); OpenPGP ones by `gpg` through
//! `git verify-commit --raw`.

use std::collections::HashMap;
use std::path::Path;

use git2::{Commit, Oid, Repository};

use crate::check::finding::{severity_of, Finding};
use crate::check::rules::{check_claim, OfficeIndex};
use crate::domain::claim::Claim;
use crate::domain::office::{Office, Permission};
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
}

impl Entry {
    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Made by the tool: it carries the trailers every tool commit carries.
    pub fn by_the_tool(&self) -> bool {
        self.trailer("Command").is_some() && self.trailer("Actor").is_some()
    }
}

/// Reads history: commits in a range, the office as it stood, signatures.
pub struct History<'r> {
    repo: &'r Repository,
    offices: HashMap<Oid, Option<Office>>,
}

impl<'r> History<'r> {
    pub fn new(repo: &'r Repository) -> History<'r> {
        History {
            repo,
            offices: HashMap::new(),
        }
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

    /// authority.yaml as it stood at `commit` (None when absent or unreadable).
    pub fn office_at(&mut self, commit: &Commit<'_>) -> Option<Office> {
        let tree = commit.tree().ok()?;
        let entry = tree.get_path(Path::new("authority.yaml")).ok()?;
        let blob_id = entry.id();
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

    /// The office a commit is judged by: its parent's, or its own for the first commit.
    pub fn judging_office(&mut self, commit: &Commit<'_>) -> Option<Office> {
        match commit.parent(0) {
            Ok(parent) => self.office_at(&parent),
            Err(_) => self.office_at(commit),
        }
    }

    pub fn entry(&mut self, id: Oid) -> Result<Entry, git2::Error> {
        let commit = self.repo.find_commit(id)?;
        let office = self.judging_office(&commit);
        let author = commit.author();
        let message = commit.message().unwrap_or("").to_string();
        let changed = changed_paths(self.repo, &commit)?;
        Ok(Entry {
            id,
            when: author.when(),
            author_name: author.name().unwrap_or("").to_string(),
            author_email: author.email().unwrap_or("").to_string(),
            subject: message.lines().next().unwrap_or("").to_string(),
            trailers: trailers(&message),
            signature: self.signature(&commit, office.as_ref()),
            changed,
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

fn changed_paths(repo: &Repository, commit: &Commit<'_>) -> Result<Vec<String>, git2::Error> {
    let new = commit.tree()?;
    let old = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(old.as_ref(), Some(&new), None)?;
    Ok(diff
        .deltas()
        .filter_map(|d| {
            d.new_file()
                .path()
                .or_else(|| d.old_file().path())
                .map(|p| p.to_string_lossy().to_string())
        })
        .collect())
}

/// A claim file path: `claims/YYYY/MM/ID.yaml`.
fn is_claim_file(path: &str) -> bool {
    path.starts_with("claims/") && path.ends_with(".yaml") && path.matches('/').count() == 3
}

fn blob_text(repo: &Repository, commit: &Commit<'_>, path: &str) -> Option<String> {
    let tree = commit.tree().ok()?;
    let entry = tree.get_path(Path::new(path)).ok()?;
    let blob = repo.find_blob(entry.id()).ok()?;
    Some(String::from_utf8_lossy(blob.content()).to_string())
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

/// The audit of `range`: its findings, and how many commits were examined.
pub fn audit(repo: &Repository, range: Option<&str>) -> Result<(Vec<Finding>, usize), git2::Error> {
    let mut history = History::new(repo);
    let mut findings = Vec::new();
    let mut examined = 0;
    for id in history.commits(range)? {
        let entry = history.entry(id)?;
        let relevant: Vec<&String> = entry
            .changed
            .iter()
            .filter(|p| p.starts_with("claims/") || *p == "authority.yaml")
            .collect();
        if relevant.is_empty() {
            continue;
        }
        examined += 1;
        let short = &id.to_string()[..12];
        let commit = repo.find_commit(id)?;
        let parent = commit.parent(0).ok();
        let office = history.judging_office(&commit);
        let where_ = relevant[0].as_str();
        match &entry.signature {
            Signature::Good { .. } => {}
            Signature::Unsigned => findings.push(finding(
                "A001",
                where_,
                None,
                format!("commit {short} ({}) is not signed", entry.subject),
            )),
            Signature::Bad(why) => findings.push(finding(
                "A002",
                where_,
                None,
                format!("commit {short}: the signature does not verify: {why}"),
            )),
            Signature::NotTheAuthor(why) => findings.push(finding(
                "A003",
                where_,
                None,
                format!("commit {short} {why}"),
            )),
        }
        if let Some(actor) = entry.trailer("Actor") {
            if !actor.eq_ignore_ascii_case(&entry.author_email) {
                findings.push(finding(
                    "A003",
                    where_,
                    entry.trailer("Claim"),
                    format!(
                        "commit {short} names {actor} as actor but {} as author",
                        entry.author_email
                    ),
                ));
            }
        }
        if let (Some(command), Some(actor), Some(office)) = (
            entry.trailer("Command"),
            entry.trailer("Actor"),
            office.as_ref(),
        ) {
            if let Some(needed) = permission_for(command, &entry) {
                if !office.may(actor, needed) {
                    let role = office
                        .person(actor)
                        .map(|p| {
                            if p.active {
                                format!("role {}", p.role)
                            } else {
                                format!("no longer active (role {})", p.role)
                            }
                        })
                        .unwrap_or_else(|| "not in authority.yaml".into());
                    findings.push(finding(
                        "A009",
                        where_,
                        entry.trailer("Claim"),
                        format!(
                            "commit {short}: `{command}` needs {}, which {actor} ({role}) did not have",
                            permission_name(needed)
                        ),
                    ));
                }
            }
        }
        for path in relevant.iter().filter(|p| is_claim_file(p)) {
            let before = parent.as_ref().and_then(|p| blob_text(repo, p, path));
            let after = blob_text(repo, &commit, path);
            claim_change(
                &mut findings,
                &entry,
                short,
                path,
                before.as_deref(),
                after.as_deref(),
                office.as_ref(),
            );
        }
        if relevant.iter().any(|p| *p == "authority.yaml") {
            let before = parent.as_ref().and_then(|p| history.office_at(p));
            let after = history.office_at(&commit);
            authority_change(
                &mut findings,
                &entry,
                short,
                before.as_ref(),
                after.as_ref(),
            );
        }
    }
    Ok((findings, examined))
}

/// The permission a tool command needs, as the command itself requires it (`Command` trailer;
/// an assignment with an `Override-Reason` is an override, an approval without `Approves` is a
/// denial's). `None` for commands that need none (init, generate-office).
fn permission_for(command: &str, entry: &Entry) -> Option<Permission> {
    use Permission::*;
    Some(match command {
        "intake" | "complete" => Intake,
        "note" | "inquiry" | "answer" | "acknowledge" => Note,
        "update" => Update,
        "triage" | "triage merge" => Triage,
        "assign" if entry.trailer("Override-Reason").is_some() => AssignOverride,
        "assign" => Assign,
        "task" | "document" | "proof-of-loss" => Investigate,
        "reserve" => Reserve,
        "settle" | "negotiate" | "release" | "close" | "subrogation" => Settle,
        "pay" => Pay,
        "deny recommend" | "deny letter" | "deny deliver" => RecommendDenial,
        "deny review" => ComplianceReview,
        "deny approve" => ApproveDenial,
        "approve" if entry.trailer("Approves").is_some() => Approve,
        "approve" => ApproveDenial,
        _ => return None,
    })
}

fn permission_name(p: Permission) -> String {
    serde_yaml::to_string(&p)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn parse(text: Option<&str>) -> Option<Claim> {
    text.and_then(|t| serde_yaml::from_str(t).ok())
}

/// Money, status, approvals and the denial: what only a command with authority may change.
fn guarded(c: &Claim) -> serde_json::Value {
    serde_json::json!({
        "status": c.status,
        "reserves": c.reserves,
        "settlement": c.settlement,
        "payments": c.payments,
        "denial": c.denial,
        "merged_into": c.merged_into,
    })
}

fn claim_change(
    findings: &mut Vec<Finding>,
    entry: &Entry,
    short: &str,
    path: &str,
    before: Option<&str>,
    after: Option<&str>,
    office: Option<&Office>,
) {
    let (old, new) = (parse(before), parse(after));
    let id = new
        .as_ref()
        .or(old.as_ref())
        .map(|c| c.id.clone())
        .unwrap_or_else(|| {
            path.rsplit('/')
                .next()
                .unwrap_or(path)
                .trim_end_matches(".yaml")
                .to_string()
        });
    if !entry.by_the_tool() {
        let summary = what_changed(before.unwrap_or(""), after.unwrap_or(""));
        let money_or_status = match (&old, &new) {
            (Some(o), Some(n)) => guarded(o) != guarded(n),
            _ => true, // created or deleted by hand
        };
        let (code, lead) = if money_or_status {
            (
                "A005",
                "hand edit changes money, status, approvals or the denial",
            )
        } else {
            ("A004", "hand edit")
        };
        findings.push(finding(
            code,
            path,
            Some(&id),
            format!(
                "commit {short} by {}: {lead}: {summary}",
                entry.author_email
            ),
        ));
    }
    // Beyond authority: the commit introduced an approval finding.
    if let Some(n) = &new {
        let no_policies = HashMap::new();
        let no_ids = Default::default();
        let ix = OfficeIndex {
            office,
            tz: chrono_tz::UTC,
            policies: &no_policies,
            claim_ids: &no_ids,
        };
        const AUTHORITY: [&str; 3] = ["M005", "D001", "D005"];
        let had: Vec<_> = old
            .as_ref()
            .map(|o| check_claim(o, path, &ix))
            .unwrap_or_default()
            .into_iter()
            .filter(|i| AUTHORITY.contains(&i.code))
            .map(|i| (i.code, i.field))
            .collect();
        for issue in check_claim(n, path, &ix)
            .into_iter()
            .filter(|i| AUTHORITY.contains(&i.code) && !had.contains(&(i.code, i.field.clone())))
        {
            findings.push(finding(
                "A006",
                path,
                Some(&id),
                format!(
                    "commit {short} by {}: beyond authority ({}): {}",
                    entry.author_email, issue.code, issue.message
                ),
            ));
        }
    }
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

/// Every (role, claim type, kind) limit of the matrix.
fn limits(
    o: &Office,
) -> HashMap<(String, String, &'static str), Option<crate::domain::money::Money>> {
    let mut out = HashMap::new();
    for (kind, rules) in [
        ("reserve", &o.authority_matrix.reserve),
        ("settlement", &o.authority_matrix.settlement),
    ] {
        for r in rules {
            for l in &r.limits {
                out.insert((l.role.clone(), r.claim_type.clone(), kind), l.up_to);
            }
        }
    }
    out
}

fn authority_change(
    findings: &mut Vec<Finding>,
    entry: &Entry,
    short: &str,
    before: Option<&Office>,
    after: Option<&Office>,
) {
    let file = "authority.yaml";
    let (Some(before), Some(after)) = (before, after) else {
        if let (None, Some(_)) = (before, after) {
            return; // the office's first authority.yaml
        }
        findings.push(finding(
            "A008",
            file,
            None,
            format!(
                "commit {short} by {} leaves authority.yaml unreadable",
                entry.author_email
            ),
        ));
        return;
    };
    let author = entry.author_email.to_ascii_lowercase();
    let author_role = before.person(&author).map(|p| p.role.clone());
    let mut own = Vec::new();
    let mut others = Vec::new();
    for p in &after.people {
        let old = before.person(&p.email);
        let mut what = Vec::new();
        match old {
            None => what.push("added".to_string()),
            Some(o) => {
                if o.signing_key != p.signing_key {
                    what.push("signing key changed".into());
                }
                if o.role != p.role {
                    what.push(format!("role {} -> {}", o.role, p.role));
                }
                if o.active != p.active {
                    what.push(if p.active {
                        "reactivated".into()
                    } else {
                        "deactivated".into()
                    });
                }
            }
        }
        if what.is_empty() {
            continue;
        }
        let line = format!("{}: {}", p.email, what.join(", "));
        if p.email.eq_ignore_ascii_case(&author) {
            own.push(line);
        } else {
            others.push(line);
        }
    }
    let (old_limits, new_limits) = (limits(before), limits(after));
    for (key, new) in &new_limits {
        let old = old_limits.get(key).copied().flatten();
        let changed = old_limits.get(key) != Some(new);
        if !changed {
            continue;
        }
        let raised = match (old, new) {
            (Some(o), Some(n)) => n > &o,
            (Some(_), None) => true,
            (None, _) => !old_limits.contains_key(key),
        };
        let line = format!(
            "{} limit of {} on {} claims: {} -> {}",
            key.2,
            key.0,
            key.1,
            old.map_or("unlimited".into(), |m| m.to_string()),
            new.map_or("unlimited".into(), |m| m.to_string())
        );
        if raised && author_role.as_deref() == Some(key.0.as_str()) {
            own.push(format!("raised the limit of their own role: {line}"));
        } else {
            others.push(line);
        }
    }
    if !own.is_empty() {
        findings.push(finding(
            "A007",
            file,
            None,
            format!(
                "commit {short}: {} changed their own authority without another signer: {}",
                entry.author_email,
                own.join("; ")
            ),
        ));
    }
    if !others.is_empty() {
        others.sort();
        findings.push(finding(
            "A008",
            file,
            None,
            format!(
                "commit {short}: {} changed authority.yaml: {}",
                entry.author_email,
                others.join("; ")
            ),
        ));
    }
}
