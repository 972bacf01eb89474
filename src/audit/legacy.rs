//! The rules of their time, for commits made before the tool recorded arguments: a commit
//! with the tool's trailers is taken at its word for what command it was, and judged by the
//! role its `Actor:` held and the authority findings it introduced; other commits by what they
//! changed in claims and authority.yaml. Such commits cannot be replayed; the audit says so.

use std::collections::HashMap;
use std::path::Path;

use git2::{Commit, Repository};

use super::{finding, is_claim_file, short, what_changed, Entry, History};
use crate::check::finding::Finding;
use crate::domain::claim::Claim;
use crate::domain::office::{Office, Permission};

fn blob_text(repo: &Repository, commit: &Commit<'_>, path: &str) -> Option<String> {
    let tree = commit.tree().ok()?;
    let entry = tree.get_path(Path::new(path)).ok()?;
    let blob = repo.find_blob(entry.id()).ok()?;
    Some(String::from_utf8_lossy(blob.content()).to_string())
}

/// Judges one commit of the time before recorded arguments.
pub(super) fn judge(
    history: &mut History,
    repo: &Repository,
    commit: &Commit<'_>,
    entry: &Entry,
    findings: &mut Vec<Finding>,
) {
    let id = commit.id();
    let relevant: Vec<&String> = entry
        .changed
        .iter()
        .filter(|p| p.starts_with("claims/") || *p == "authority.yaml")
        .collect();
    if relevant.is_empty() {
        return;
    }
    let short = short(id);
    let short = short.as_str();
    let parent = commit.parent(0).ok();
    let office = history.judging_office(commit);
    let where_ = relevant[0].as_str();
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
        if let Some(needed) = permission_for(command, entry) {
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
        let after = blob_text(repo, commit, path);
        claim_change(
            findings,
            entry,
            short,
            path,
            before.as_deref(),
            after.as_deref(),
            office.as_deref(),
        );
    }
    if relevant.iter().any(|p| *p == "authority.yaml") {
        let before = parent.as_ref().and_then(|_| history.judging_office(commit));
        let after = history.office_at(commit);
        authority_change(findings, entry, short, before.as_deref(), after.as_deref());
    }
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
    text.and_then(|t| crate::store::files::parse_yaml(t).ok())
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
    if !(entry.trailer("Command").is_some() && entry.trailer("Actor").is_some()) {
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
    super::hand::beyond_authority(
        entry,
        short,
        path,
        old.as_ref(),
        new.as_ref(),
        office,
        findings,
    );
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
            "A020",
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
            "A020",
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
