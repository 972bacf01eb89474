//! When each claim was last worked on, from the history: the newest commit that changed
//! anything in its record or its folder (letters, attachments). The history is the office's
//! event log, so a file no command touched in N days is a neglected file whatever its record
//! says. A quality-control review (`Command: review`) is oversight of the file, not work on
//! it, and does not count.

use std::collections::{HashMap, HashSet};

use git2::{Repository, Sort};

use crate::error::Result;

/// The claim a changed path belongs to: `claims/YYYY/MM/ID.yaml` or `claims/YYYY/MM/ID/...`.
fn claim_of(path: &str) -> Option<&str> {
    let mut parts = path.split('/');
    if parts.next()? != "claims" {
        return None;
    }
    let (_year, _month) = (parts.next()?, parts.next()?);
    let id = parts.next()?;
    Some(id.strip_suffix(".yaml").unwrap_or(id))
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
        let tree = commit.tree()?;
        let parent = match commit.parent_ids().next() {
            Some(p) => Some(repo.find_commit(p)?.tree()?),
            None => None,
        };
        let diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), None)?;
        let when = commit.committer().when().seconds();
        for d in diff.deltas() {
            for f in [d.old_file(), d.new_file()] {
                if let Some(id) = f.path().and_then(|p| p.to_str()).and_then(claim_of) {
                    if wanted.contains(id) && !found.contains_key(id) {
                        found.insert(id.to_string(), when);
                    }
                }
            }
        }
    }
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
    }
}
