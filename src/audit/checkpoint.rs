//! Checkpoints judged: a signed checkpoint counts only when its signature is the key
//! authority.yaml (at the commit it names) gives its tagger, and the tagger's role may
//! `audit` (A022 otherwise); a counted checkpoint — or this clone's own — that the history no
//! longer contains means the history was rewritten after it was audited (A018).

use git2::{Oid, Repository};

use super::{finding, short, History};
use crate::check::finding::Finding;
use crate::domain::office::Permission;
use crate::store::checkpoint::{checkpoints, Checkpoint};
use crate::store::signing::verify_ssh_signature;

/// Why a signed checkpoint does not count, if it does not.
fn untrusted(history: &mut History, repo: &Repository, c: &Checkpoint) -> Option<String> {
    let Some(s) = &c.signed else {
        return Some("it is not a signed tag".into());
    };
    let Some(signature) = &s.signature else {
        return Some("it is not signed".into());
    };
    let Ok(commit) = repo.find_commit(c.commit) else {
        return Some("it does not name a commit".into());
    };
    let Some(office) = history.office_at(&commit) else {
        return Some("the commit it names has no readable authority.yaml".into());
    };
    let Some(person) = office.person(&s.tagger).filter(|p| p.active) else {
        return Some(format!(
            "{} is not an active person in authority.yaml",
            s.tagger
        ));
    };
    if !office.may(&person.email, Permission::Audit) {
        return Some(format!(
            "{} ({}) may not record checkpoints: the role lacks the audit permission",
            person.email, person.role
        ));
    }
    let key = person.signing_key.as_deref().unwrap_or_default();
    if signature.contains("BEGIN PGP SIGNATURE") {
        let Some(want) = key.strip_prefix("openpgp:") else {
            return Some(format!(
                "it is OpenPGP-signed, but {}'s key is SSH",
                person.email
            ));
        };
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(repo.path())
            .env("GIT_NO_REPLACE_OBJECTS", "1")
            .args(["verify-tag", "--raw", &c.name])
            .output();
        let Ok(out) = out else {
            return Some("git (for gpg) could not be run".into());
        };
        let status = String::from_utf8_lossy(&out.stderr);
        let good = status
            .lines()
            .filter_map(|l| l.strip_prefix("[GNUPG:] VALIDSIG "))
            .any(|l| {
                l.split_whitespace()
                    .any(|f| f.eq_ignore_ascii_case(want.trim()))
            });
        return (!good).then(|| format!("its signature is not {}'s key", person.email));
    }
    verify_ssh_signature(signature, &s.payload, key)
        .err()
        .map(|e| format!("its signature is not {}'s key: {e}", person.email))
}

/// The checkpoints that count, after reporting those that do not and those the history at
/// `head` no longer contains. The newest contained one comes last.
pub fn judge(
    repo: &Repository,
    head: Oid,
    findings: &mut Vec<Finding>,
) -> Result<Vec<Checkpoint>, git2::Error> {
    let mut history = History::new(repo);
    let mut contained = Vec::new();
    let all = checkpoints(repo).map_err(|e| git2::Error::from_str(&e.message))?;
    for c in all {
        let tag = c.name.trim_start_matches("refs/tags/");
        if c.signed.is_some() || c.name.starts_with("refs/tags/") {
            if let Some(why) = untrusted(&mut history, repo, &c) {
                findings.push(finding(
                    "A022",
                    "authority.yaml",
                    None,
                    format!("checkpoint {tag} is ignored: {why}"),
                ));
                continue;
            }
        }
        let inside = c.commit == head || repo.graph_descendant_of(head, c.commit).unwrap_or(false);
        if inside {
            contained.push(c);
            continue;
        }
        let mut walk = repo.revwalk()?;
        walk.push(c.commit)?;
        walk.hide(head)?;
        let gone: Vec<Oid> = walk.filter_map(|x| x.ok()).collect();
        let subjects: Vec<String> = gone
            .iter()
            .take(3)
            .filter_map(|id| repo.find_commit(*id).ok())
            .map(|c| {
                format!(
                    "{} {}",
                    short(c.id()),
                    c.summary().ok().flatten().unwrap_or("")
                )
            })
            .collect();
        let by = c
            .signed
            .as_ref()
            .map(|s| format!(" (audited by {})", s.tagger))
            .unwrap_or_else(|| " (this clone's last audit)".into());
        findings.push(finding(
            "A018",
            "authority.yaml",
            None,
            format!(
                "history rewritten: checkpoint {tag}{by} verified commit {}, which this history no longer contains; {} commit(s) it held are gone or rewritten: {}",
                short(c.commit),
                gone.len(),
                subjects.join("; ")
            ),
        ));
    }
    Ok(contained)
}
