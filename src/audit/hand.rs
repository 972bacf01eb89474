//! Commits that record no command: hand edits, merges, and the office's founding commit.

use std::collections::HashMap;
use std::path::Path;

use git2::{Commit, Oid, Repository};

use super::{blob, claim_of, finding, is_claim_file, short, what_changed, Entry, History};
use crate::check::finding::Finding;
use crate::check::rules::{check_claim, OfficeIndex};
use crate::domain::claim::{Claim, LineOfBusiness};
use crate::domain::office::{Office, Permission};
use crate::domain::policy::Policy;
use crate::workflow::governance::{may_manage, refusals_alone};

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// What of a claim only a command may change, by name, where `after` differs from `before`.
pub(super) fn guarded_parts(before: &Claim, after: &Claim) -> Vec<&'static str> {
    let groups: [(&'static str, serde_json::Value, serde_json::Value); 9] = [
        (
            "the id or receipt",
            json(&(&before.id, &before.received_at)),
            json(&(&after.id, &after.received_at)),
        ),
        (
            "status",
            json(&(
                &before.status,
                &before.history,
                &before.closure,
                &before.reopenings,
            )),
            json(&(
                &after.status,
                &after.history,
                &after.closure,
                &after.reopenings,
            )),
        ),
        (
            "money",
            json(&(&before.reserves, &before.payments, &before.subrogation)),
            json(&(&after.reserves, &after.payments, &after.subrogation)),
        ),
        (
            "the settlement",
            json(&before.settlement),
            json(&after.settlement),
        ),
        ("the denial", json(&before.denial), json(&after.denial)),
        (
            "merges",
            json(&(&before.merged_into, &before.merged)),
            json(&(&after.merged_into, &after.merged)),
        ),
        (
            "decisions (triage, assignment, checklist, SLA events)",
            json(&(
                &before.triage,
                &before.escalation,
                &before.assignment,
                &before.tasks,
                &before.documents,
                &before.sla,
                &before.missing,
            )),
            json(&(
                &after.triage,
                &after.escalation,
                &after.assignment,
                &after.tasks,
                &after.documents,
                &after.sla,
                &after.missing,
            )),
        ),
        (
            "quality-control reviews",
            json(&before.reviews),
            json(&after.reviews),
        ),
        (
            "letters or attachments",
            json(&(&before.letters, &before.attachments)),
            json(&(&after.letters, &after.attachments)),
        ),
    ];
    groups
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(name, _, _)| name)
        .collect()
}

/// Notes only gained, or reworded, by their own author (`email`): the rest is attribution.
fn notes_are_words(before: &Claim, after: &Claim, email: &str) -> bool {
    if after.notes.len() < before.notes.len() {
        return false;
    }
    let kept = before.notes.iter().zip(&after.notes).all(|(b, a)| {
        b.at == a.at && b.by == a.by && (b.text == a.text || a.by.eq_ignore_ascii_case(email))
    });
    let added = after.notes[before.notes.len()..]
        .iter()
        .all(|n| n.by.eq_ignore_ascii_case(email));
    kept && added
}

/// Judges a commit made by hand, path by path.
pub(super) fn judge(
    history: &mut History,
    repo: &Repository,
    commit: &Commit<'_>,
    entry: &Entry,
    policies: &HashMap<String, LineOfBusiness>,
    findings: &mut Vec<Finding>,
) -> Result<(), git2::Error> {
    let s = short(commit.id());
    let author = entry.author_email.clone();
    let office = history.judging_office(commit);
    let may = |p: Permission| office.as_ref().is_some_and(|o| o.may(&author, p));
    for d in &entry.deltas {
        let path = d.path.as_str();
        let text = |id: Option<(Oid, u32)>| {
            id.map(|(id, _)| String::from_utf8_lossy(&blob(repo, id)).to_string())
        };
        if path == "authority.yaml" {
            let before = history.judging_office(commit);
            let after = history.office_at(commit);
            match (before, after) {
                (Some(b), Some(a)) => {
                    for (code, why) in refusals_alone(&b, &a, &author) {
                        findings.push(finding(code, path, None, format!("commit {s}: {why}")));
                    }
                }
                (_, None) => findings.push(finding(
                    "A008",
                    path,
                    None,
                    format!("commit {s} by {author} leaves authority.yaml unreadable or gone"),
                )),
                (None, Some(_)) => findings.push(finding(
                    "A008",
                    path,
                    None,
                    format!("commit {s} by {author} replaces an unreadable authority.yaml by hand"),
                )),
            }
        } else if let Some(rest) = path.strip_prefix("policies/") {
            if !may(Permission::ManagePolicies) {
                findings.push(finding(
                    "A016",
                    path,
                    None,
                    format!("commit {s}: {author} changes policy {rest} without the manage_policies permission"),
                ));
            } else if let Some(t) = text(d.new) {
                if path.ends_with(".yaml") && crate::store::files::parse_yaml::<Policy>(&t).is_err()
                {
                    findings.push(finding(
                        "A016",
                        path,
                        None,
                        format!("commit {s}: {path} is not a valid policy (`claims check {path}`)"),
                    ));
                }
            }
        } else if let Some(rest) = path.strip_prefix("templates/") {
            if !may(Permission::ManageTemplates) {
                findings.push(finding(
                    "A017",
                    path,
                    None,
                    format!("commit {s}: {author} changes template {rest} without the manage_templates permission"),
                ));
            } else if let (Some(t), Some(name)) = (text(d.new), rest.strip_suffix(".txt.j2")) {
                if let Err(e) = crate::letters::LetterTemplates::new([(name.to_string(), t)]) {
                    findings.push(finding("A017", path, None, format!("commit {s}: {e}")));
                }
            }
        } else if is_claim_file(path) {
            let at = Judged {
                office: office.as_deref(),
                policies,
            };
            claim_edit(repo, entry, &s, path, d.old, d.new, &at, findings);
        } else if path.starts_with("claims/") {
            findings.push(finding(
                "A005",
                path,
                claim_of(path).as_deref(),
                format!(
                    "commit {s} by {author}: {} {path} by hand; a claim's letters and attachments are written by the commands that make them",
                    if d.new.is_some() { "changes" } else { "deletes" }
                ),
            ));
        } else if matches!(
            path.rsplit('/').next(),
            Some(".mailmap" | ".gitattributes" | ".gitmodules")
        ) {
            findings.push(finding(
                "A015",
                path,
                None,
                format!(
                    "commit {s} by {author} changes {path}, which changes how git shows or treats the office's history (authors, files)"
                ),
            ));
        } else if path.starts_with("proposals/") {
            findings.push(finding(
                "A008",
                path,
                None,
                format!(
                    "commit {s} by {author}: {path} is written by `claims authority`, not by hand"
                ),
            ));
        } else {
            findings.push(finding(
                "A014",
                path,
                None,
                format!("commit {s} by {author} changes {path}, outside the office's records"),
            ));
        }
    }
    Ok(())
}

/// What a hand edit of a claim is judged by.
struct Judged<'a> {
    office: Option<&'a Office>,
    policies: &'a HashMap<String, LineOfBusiness>,
}

#[allow(clippy::too_many_arguments)]
fn claim_edit(
    repo: &Repository,
    entry: &Entry,
    s: &str,
    path: &str,
    old: Option<(Oid, u32)>,
    new: Option<(Oid, u32)>,
    at: &Judged,
    findings: &mut Vec<Finding>,
) {
    let office = at.office;
    let author = &entry.author_email;
    let before = old.map(|(id, _)| String::from_utf8_lossy(&blob(repo, id)).to_string());
    let after = new.map(|(id, _)| String::from_utf8_lossy(&blob(repo, id)).to_string());
    let parse = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| crate::store::files::parse_yaml::<Claim>(t).ok())
    };
    let (was, is) = (parse(&before), parse(&after));
    let id = is
        .as_ref()
        .or(was.as_ref())
        .map(|c| c.id.clone())
        .or_else(|| claim_of(path));
    let summary = what_changed(
        before.as_deref().unwrap_or(""),
        after.as_deref().unwrap_or(""),
    );
    let guarded = match (&was, &is) {
        (Some(b), Some(a)) => {
            let mut parts = guarded_parts(b, a);
            if !notes_are_words(b, a, author) {
                parts.push("notes attributed to others");
            }
            parts
        }
        (None, Some(_)) if before.is_none() => vec!["a claim created by hand"],
        (_, None) if after.is_none() => vec!["a claim deleted by hand"],
        _ => vec!["a file that is no claim"],
    };
    let may_correct = office.is_some_and(|o| o.may(author, Permission::Update));
    // A correction by hand must keep the rules a correction by `claims update` keeps.
    let broken: Vec<String> = match (&was, &is) {
        (Some(b), Some(a)) => {
            let no_ids = Default::default();
            let ix = OfficeIndex {
                office,
                tz: chrono_tz::UTC,
                policies: at.policies,
                claim_ids: &no_ids,
            };
            let had: Vec<_> = check_claim(b, path, &ix)
                .into_iter()
                .map(|i| (i.code, i.field))
                .collect();
            check_claim(a, path, &ix)
                .into_iter()
                .filter(|i| i.code != "R004" && !had.contains(&(i.code, i.field.clone())))
                .map(|i| format!("{} {}", i.code, i.message))
                .collect()
        }
        _ => Vec::new(),
    };
    let (code, lead) = if !guarded.is_empty() {
        ("A005", format!("hand edit of {}", guarded.join(", ")))
    } else if !may_correct {
        (
            "A005",
            "hand edit of reported facts by someone whose role may not correct them (update)"
                .into(),
        )
    } else if !broken.is_empty() {
        (
            "A005",
            format!(
                "hand edit that leaves the claim invalid ({})",
                broken.join("; ")
            ),
        )
    } else {
        ("A004", "hand edit".into())
    };
    findings.push(finding(
        code,
        path,
        id.as_deref(),
        format!("commit {s} by {author}: {lead}: {summary}"),
    ));
    beyond_authority(entry, s, path, was.as_ref(), is.as_ref(), office, findings);
}

/// A change that leaves the claim beyond the authority matrix: the commit introduced one of
/// `claims check`'s approval findings.
pub(super) fn beyond_authority(
    entry: &Entry,
    s: &str,
    path: &str,
    was: Option<&Claim>,
    is: Option<&Claim>,
    office: Option<&Office>,
    findings: &mut Vec<Finding>,
) {
    let Some(n) = is else { return };
    let no_policies = HashMap::new();
    let no_ids = Default::default();
    let ix = OfficeIndex {
        office,
        tz: chrono_tz::UTC,
        policies: &no_policies,
        claim_ids: &no_ids,
    };
    const AUTHORITY: [&str; 3] = ["M005", "D001", "D005"];
    let had: Vec<_> = was
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
            Some(&n.id),
            format!(
                "commit {s} by {}: beyond authority ({}): {}",
                entry.author_email, issue.code, issue.message
            ),
        ));
    }
}

/// A merge commit holds what merging its parents gives: each path as one side changed it,
/// never a change of its own, never one side's change dropped.
pub(super) fn merge(
    repo: &Repository,
    commit: &Commit<'_>,
    entry: &Entry,
    findings: &mut Vec<Finding>,
) -> Result<(), git2::Error> {
    let s = short(commit.id());
    if entry.parents.len() != 2 {
        findings.push(finding(
            "A021",
            "authority.yaml",
            None,
            format!(
                "commit {s} merges {} lines at once; merge two at a time",
                entry.parents.len()
            ),
        ));
        return Ok(());
    }
    let (p1, p2) = (
        repo.find_commit(entry.parents[0])?,
        repo.find_commit(entry.parents[1])?,
    );
    let Some(base) = repo
        .merge_base(p1.id(), p2.id())
        .ok()
        .and_then(|b| repo.find_commit(b).ok())
    else {
        // Another first commit: everything in that history would be taken on its word.
        findings.push(finding(
            "A021",
            "authority.yaml",
            None,
            format!(
                "merge commit {s} by {} joins a history that shares no commit with the office's: an office has one first commit",
                entry.author_email
            ),
        ));
        return Ok(());
    };
    let base = Some(base);
    let at = |c: Option<&Commit<'_>>, path: &str| -> Option<Oid> {
        c.and_then(|c| c.tree().ok())
            .and_then(|t| t.get_path(Path::new(path)).ok().map(|e| e.id()))
    };
    let tree = commit.tree()?;
    let mut paths: Vec<String> = Vec::new();
    for other in [&p1, &p2] {
        let diff = repo.diff_tree_to_tree(Some(&other.tree()?), Some(&tree), None)?;
        for d in diff.deltas() {
            if let Some(p) = d.new_file().path().or_else(|| d.old_file().path()) {
                paths.push(p.to_string_lossy().to_string());
            }
        }
    }
    paths.sort();
    paths.dedup();
    for path in paths {
        let (m, a, b, o) = (
            at(Some(commit), &path),
            at(Some(&p1), &path),
            at(Some(&p2), &path),
            at(base.as_ref(), &path),
        );
        // Sound: the path as one side left it, the other side not having changed it; or a
        // claim both sides changed, as the claim merge (`claims merge-file`) merges them.
        let took_theirs = m == b && a == o;
        let kept_ours = m == a && b == o;
        if !(took_theirs || kept_ours || claim_merged(repo, &path, [o, a, b], m)) {
            let why = if m != a && m != b && is_claim_file(&path) {
                "holds a version of it neither side has, nor the claim merge of the two"
            } else if m != a && m != b {
                "holds a version of it neither side has"
            } else if a != o && b != o {
                "both sides changed it, and the merge keeps only one"
            } else {
                "drops the other side's change"
            };
            findings.push(finding(
                "A021",
                &path,
                claim_of(&path).as_deref(),
                format!("merge commit {s} by {}: {path}: {why}", entry.author_email),
            ));
        }
    }
    Ok(())
}

/// A claim file both sides changed holds exactly what the claim merge makes of (base, first
/// parent, second parent).
fn claim_merged(
    repo: &Repository,
    path: &str,
    [o, a, b]: [Option<Oid>; 3],
    m: Option<Oid>,
) -> bool {
    let text = |id: Oid| String::from_utf8(blob(repo, id)).ok();
    let (Some(o), Some(a), Some(b), Some(m)) = (o, a, b, m) else {
        return false;
    };
    if !is_claim_file(path) {
        return false;
    }
    match (text(o), text(a), text(b), text(m)) {
        (Some(o), Some(a), Some(b), Some(m)) => {
            crate::workflow::claim_merge::merge_claim(path, &o, &a, &b).is_ok_and(|t| t == m)
        }
        _ => false,
    }
}

/// The office's first commit founds it: made by a person who may govern it.
pub(super) fn founding(
    history: &mut History,
    commit: &Commit<'_>,
    entry: &Entry,
    findings: &mut Vec<Finding>,
) {
    let s = short(commit.id());
    match history.office_at(commit) {
        Some(o) if may_manage(&o, &entry.author_email) => {}
        Some(_) => findings.push(finding(
            "A008",
            "authority.yaml",
            None,
            format!(
                "commit {s} founds the office, but its author {} is not one of the people its authority.yaml lets govern it",
                entry.author_email
            ),
        )),
        None => findings.push(finding(
            "A008",
            "authority.yaml",
            None,
            format!("commit {s} founds the office without a readable authority.yaml"),
        )),
    }
}
