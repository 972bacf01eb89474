//! When each claim was last worked on, from the history: the newest commit that changed
//! anything in its record or its folder (letters, attachments). The history is the office's
//! event log, so a file no command touched in N days is a neglected file whatever its record
//! says. A quality-control review (`Command: review`) is oversight of the file, not work on
//! it, and does not count.

use std::collections::{HashMap, HashSet};

use git2::{Commit, Repository, Sort};

use crate::audit::history::{deltas, Delta};
use crate::store::git::FolderCache;

use crate::check::rules::{check_claim, OfficeIndex};
use crate::domain::claim::{Claim, LineOfBusiness};
use crate::domain::office::Office;
use crate::domain::reports::error_trends::Found;
use crate::error::Result;
use crate::store::files::parse_yaml;

/// The claim a changed path belongs to: its file or a file in its folder, by month or shard.
fn claim_of(path: &str) -> Option<&str> {
    crate::domain::claim_id::claim_in_path(path).map(|(id, _)| id)
}

/// Whether a commit message records a quality-control review (its `Command: review` trailer).
fn is_review(message: &str) -> bool {
    message.lines().any(|l| l == "Command: review")
}

/// For each of `wanted` (claim ids), the landing time (seconds since the epoch, committer
/// time) of the newest commit on HEAD's history that changed it. Walks newest first and stops
/// once every wanted claim is found; a claim no commit touched is absent.
pub fn last_touched(repo: &Repository, wanted: &HashSet<String>) -> Result<HashMap<String, i64>> {
    let mut found: HashMap<String, i64> = HashMap::new();
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok(found);
    };
    crate::audit::reading_history();
    let mut folders = FolderCache::recent(64);
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TIME)?;
    walk.push(head.id())?;
    for oid in walk {
        if found.len() == wanted.len() {
            break;
        }
        let commit = repo.find_commit(oid?)?;
        if commit.message().is_ok_and(is_review) {
            continue;
        }
        let when = commit.committer().when().seconds();
        for d in deltas(repo, &mut folders, &commit)? {
            if let Some(id) = claim_of(&d.path) {
                if wanted.contains(id) && !found.contains_key(id) {
                    found.insert(id.to_string(), when);
                }
            }
        }
    }
    Ok(found)
}

/// Calls `f` with each commit of HEAD's history, oldest first, and the paths it changed
/// against its first parent (merges are skipped: what they bring was counted on its own
/// line). The changes are read as the audit reads them, folder by folder, so a commit costs
/// the folders on its paths, not the whole of a month folder.
fn each_change(repo: &Repository, mut f: impl FnMut(&Commit<'_>, &[Delta])) -> Result<()> {
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok(());
    };
    crate::audit::reading_history();
    let mut folders = FolderCache::recent(64);
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    walk.push(head.id())?;
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let changed = deltas(repo, &mut folders, &commit)?;
        f(&commit, &changed);
    }
    Ok(())
}

/// The author of a commit (their email) and the month it was worked, office time.
pub fn author_month(commit: &Commit<'_>, tz: chrono_tz::Tz) -> (String, String) {
    let author = commit.author();
    let month = chrono::DateTime::from_timestamp(author.when().seconds(), 0)
        .map(|t| t.with_timezone(&tz).format("%Y-%m").to_string())
        .unwrap_or_default();
    (author.email().unwrap_or("").to_string(), month)
}

/// Each person's touches by month: the commits they made that changed a claim.
pub fn touches(repo: &Repository, tz: chrono_tz::Tz) -> Result<HashMap<(String, String), u64>> {
    let mut out: HashMap<(String, String), u64> = HashMap::new();
    each_change(repo, |commit, changed| {
        let touched = changed.iter().any(|d| claim_of(&d.path).is_some());
        if touched {
            *out.entry(author_month(commit, tz)).or_default() += 1;
        }
    })?;
    Ok(out)
}

/// The claim rules replayed over the history: each finding a commit brought into a claim
/// file (one the file did not have before that commit), with the commit's author and month.
/// Claims are judged with today's office and policies, so a rule is applied the same way to
/// every month.
pub fn check_findings(
    repo: &Repository,
    tz: chrono_tz::Tz,
    office: &Office,
    policies: &HashMap<String, LineOfBusiness>,
) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    let mut before: HashMap<String, HashSet<&'static str>> = HashMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    each_change(repo, |commit, changed| {
        let (person, month) = author_month(commit, tz);
        // Every claim a commit writes exists once it lands: one it adds may refer to another
        // it adds (the sample office's first commit), whichever comes first in the folder.
        for d in changed.iter().filter(|d| d.new.is_some()) {
            if let Some(id) = claim_of(&d.path).filter(|id| d.path.ends_with(&format!("{id}.yaml")))
            {
                ids.insert(id.to_string());
            }
        }
        for d in changed {
            let path = d.path.as_str();
            let is_record = claim_of(path).is_some_and(|id| path.ends_with(&format!("{id}.yaml")));
            if !is_record {
                continue;
            }
            let Some((id, _mode)) = d.new else {
                before.remove(path);
                continue;
            };
            let Ok(blob) = repo.find_blob(id) else {
                continue;
            };
            let text = String::from_utf8_lossy(blob.content());
            let codes: HashSet<&'static str> = match parse_yaml::<Claim>(&text) {
                Ok(claim) => {
                    ids.insert(claim.id.clone());
                    let ix = OfficeIndex {
                        office: Some(office),
                        tz,
                        policies,
                        claim_ids: &ids,
                    };
                    check_claim(&claim, path, &ix)
                        .into_iter()
                        .map(|i| i.code)
                        .collect()
                }
                Err(f) => [f.issue.code].into(),
            };
            let old = before.entry(path.to_string()).or_default();
            let mut new: Vec<&'static str> = codes.difference(old).copied().collect();
            new.sort_unstable();
            found.extend(new.into_iter().map(|code| Found {
                month: month.clone(),
                code: code.to_string(),
                person: person.clone(),
                source: "check",
            }));
            *old = codes;
        }
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::{claim_of, is_review};

    #[test]
    fn a_review_is_no_work_on_the_file() {
        assert!(is_review(
            "review X: pass\n\nClaim: X\nCommand: review\nArgs: X --pass\n"
        ));
        assert!(!is_review(
            "note X: review the file\n\nCommand: note\nArgs: X \"review\"\n"
        ));
    }

    #[test]
    fn paths_name_their_claim() {
        assert_eq!(
            claim_of("claims/2026/11/CLM-2611-7K3F-QM2X.yaml"),
            Some("CLM-2611-7K3F-QM2X")
        );
        assert_eq!(
            claim_of("claims/2026/11/CLM-2611-7K3F-QM2X/letters/denial.txt"),
            Some("CLM-2611-7K3F-QM2X")
        );
        assert_eq!(claim_of("policies/PAU.yaml"), None);
        assert_eq!(claim_of("claims/README"), None);
        assert_eq!(
            claim_of("claims/2026/11/7K/CLM-2611-7K3F-QM2X/letters/denial.txt"),
            Some("CLM-2611-7K3F-QM2X")
        );
        assert_eq!(
            claim_of("claims/2026/11/7K/CLM-2611-7K3F-QM2X.yaml"),
            Some("CLM-2611-7K3F-QM2X")
        );
    }
}
