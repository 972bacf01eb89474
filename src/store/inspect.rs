//! Runs the `check` rules over the office's files: reads and parses in parallel, places every
//! issue at its file, line and column, and keeps going past bad files.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use git2::{ObjectType, Oid};
use rayon::prelude::*;

use crate::check::finding::{severity_of, Finding, Issue};
use crate::check::locate::locate;
use crate::check::rules::{check_claim, check_office, check_policy, OfficeIndex};
use crate::domain::claim::{Claim, LineOfBusiness};
use crate::domain::office::Office;
use crate::domain::policy::Policy;
use crate::store::files::{
    claim_files, parse_yaml, policy_files, read_record, LoadFailure, AUTHORITY_FILE,
};
use crate::store::git::object_id;
use crate::store::read_cache::{office_version, Clean, CleanClaims, ReadCache};

/// Which files to check.
pub struct Selection {
    pub authority: bool,
    pub policies: Vec<String>,
    pub claims: Vec<String>,
    /// The whole office: `claims` lists every claim file, and symbolic links committed where
    /// the tool writes are findings (F006).
    pub whole: bool,
}

impl Selection {
    pub fn everything(root: &Path) -> Selection {
        Selection {
            authority: true,
            policies: policy_files(root),
            claims: claim_files(root),
            whole: true,
        }
    }

    pub fn file_count(&self) -> usize {
        usize::from(self.authority) + self.policies.len() + self.claims.len()
    }
}

fn place(path: &str, text: &str, claim: Option<&str>, issue: Issue) -> Finding {
    let (line, column) = issue.field.as_deref().map_or((1, 1), |f| locate(text, f));
    Finding {
        code: issue.code,
        severity: severity_of(issue.code),
        file: path.to_string(),
        line,
        column,
        claim: claim.map(str::to_string),
        field: issue.field,
        message: issue.message,
    }
}

fn failed(path: &str, claim: Option<&str>, f: LoadFailure) -> Finding {
    Finding {
        code: f.issue.code,
        severity: severity_of(f.issue.code),
        file: path.to_string(),
        line: f.line,
        column: f.column,
        claim: claim.map(str::to_string),
        field: None,
        message: f.issue.message,
    }
}

/// A record's text; a file that cannot be read as one (missing, not a regular file, beyond
/// the bounds, not text) is a finding naming it.
fn read(root: &Path, rel: &str) -> Result<String, Box<Finding>> {
    read_record(&root.join(rel)).map_err(|f| Box::new(failed(rel, None, f)))
}

/// A denied claim's letter, read from its folder: on file (D002) and holding every element
/// the law asks of it (D004). With the issues, the letter read and its blob id (what a clean
/// verdict rests on besides the claim).
fn check_denial_letter(
    root: &Path,
    rel: &str,
    c: &Claim,
    office: Option<&Office>,
) -> (Vec<Issue>, Option<(String, Oid)>) {
    let (Some(d), Some(office)) = (&c.denial, office) else {
        return (Vec::new(), None);
    };
    let Some(letter) = d.letter.as_deref().filter(|l| !l.trim().is_empty()) else {
        return (Vec::new(), None); // no letter at all: D002 from the record rules
    };
    if c.status != crate::domain::lifecycle::Status::Denied {
        return (Vec::new(), None);
    }
    let path = format!("{}/{letter}", rel.trim_end_matches(".yaml"));
    match crate::store::input::read_text(&root.join(&path), crate::bounds::MAX_RECORD_BYTES) {
        Err(crate::store::input::ReadError::Missing) => (
            vec![Issue::at(
                "D002",
                "denial.letter",
                format!("the denial letter {path} is not on file"),
            )],
            None,
        ),
        Err(e) => (
            vec![Issue::at(
                "D002",
                "denial.letter",
                format!("the denial letter {path} cannot be read: {e}"),
            )],
            None,
        ),
        Ok(text) => {
            let missing = crate::domain::denial::missing_elements(&text, c, office);
            let read = object_id(ObjectType::Blob, text.as_bytes())
                .ok()
                .map(|id| (path.clone(), id));
            if missing.is_empty() {
                (Vec::new(), read)
            } else {
                let issue = Issue::at(
                    "D004",
                    "denial.letter",
                    format!("{path} lacks: {}", missing.join("; ")),
                );
                (vec![issue], read)
            }
        }
    }
}

/// `authority.yaml` read and checked: the office (when it parses) and its findings (when it is
/// selected), and its blob id (when it can be read).
fn check_authority(root: &Path, sel: &Selection) -> (Option<Office>, Vec<Finding>, Option<Oid>) {
    let text = match read(root, AUTHORITY_FILE) {
        Err(f) => return (None, if sel.authority { vec![*f] } else { vec![] }, None),
        Ok(text) => text,
    };
    let blob = object_id(ObjectType::Blob, text.as_bytes()).ok();
    match parse_yaml::<Office>(&text) {
        Ok(o) => {
            let found = if sel.authority {
                check_office(&o)
                    .into_iter()
                    .map(|i| place(AUTHORITY_FILE, &text, None, i))
                    .collect()
            } else {
                vec![]
            };
            (Some(o), found, blob)
        }
        Err(f) => {
            let found = if sel.authority {
                vec![failed(AUTHORITY_FILE, None, f)]
            } else {
                vec![]
            };
            (None, found, blob)
        }
    }
}

/// Every policy file read and parsed: each policy's line of business by number (what claims'
/// rules need), and the findings of those in `reported`.
fn read_policies(
    root: &Path,
    files: &[String],
    reported: &HashSet<&str>,
) -> (HashMap<String, LineOfBusiness>, Vec<Finding>) {
    type PolicyResult = (Option<(String, LineOfBusiness)>, Vec<Finding>);
    let results: Vec<PolicyResult> = files
        .par_iter()
        .map(|rel| {
            let report = reported.contains(rel.as_str());
            let text = match read(root, rel) {
                Ok(t) => t,
                Err(f) => return (None, if report { vec![*f] } else { vec![] }),
            };
            match parse_yaml::<Policy>(&text) {
                Ok(p) => {
                    let found = if report {
                        check_policy(&p, rel)
                            .into_iter()
                            .map(|i| place(rel, &text, None, i))
                            .collect()
                    } else {
                        vec![]
                    };
                    (Some((p.number, p.lob)), found)
                }
                Err(f) => (
                    None,
                    if report {
                        vec![failed(rel, None, f)]
                    } else {
                        vec![]
                    },
                ),
            }
        })
        .collect();
    let mut policies = HashMap::new();
    let mut findings = Vec::new();
    for (entry, found) in results {
        if let Some((n, l)) = entry {
            policies.insert(n, l);
        }
        findings.extend(found);
    }
    (policies, findings)
}

/// The version of the office a claim's verdict rests on (see [`office_version`]): `None` when
/// `authority.yaml` or a policy file cannot be read (then no verdict is kept or trusted).
fn version_now(
    cache: &ReadCache,
    root: &Path,
    authority: Option<Oid>,
    policies: &[String],
) -> Option<Oid> {
    let blobs: Option<Vec<(String, Oid)>> = policies
        .par_iter()
        .map(|rel| cache.blob_now(root, rel).map(|id| (rel.clone(), id)))
        .collect();
    Some(office_version(authority?, &blobs?))
}

/// What a claim's check gave: its id (when it parses), its findings, and its verdict to keep
/// when it is clean.
type ClaimResult = (Option<String>, Vec<Finding>, Option<Clean>);

/// Checks the selected files; findings sorted by file, line and column.
pub fn check_files(root: &Path, sel: &Selection) -> Vec<Finding> {
    let cache = ReadCache::for_office(root);
    let (office, mut findings, authority) = check_authority(root, sel);
    let tz = office
        .as_ref()
        .and_then(|o| o.office.timezone.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(chrono_tz::UTC);

    let policy_paths = policy_files(root);
    let version = version_now(&cache, root, authority, &policy_paths);
    let known = version
        .and_then(|v| cache.clean_claims(v))
        .unwrap_or_default();
    // Every policy is read for the index; only the selected ones are reported on. When every
    // policy file was found clean at this very version, none is read unless a claim needs them.
    let selected: HashSet<&str> = sel.policies.iter().map(String::as_str).collect();
    let policies: OnceLock<HashMap<String, LineOfBusiness>> = OnceLock::new();
    let mut policies_clean = known.policies_clean;
    if !known.policies_clean {
        let (index, found) = read_policies(root, &policy_paths, &selected);
        if policy_paths.iter().all(|p| selected.contains(p.as_str())) {
            policies_clean = found.is_empty();
        }
        findings.extend(found);
        let _ = policies.set(index);
    }
    // Selected policy paths that are not in policies/ (a stray file given on the command line).
    for rel in &sel.policies {
        if !root.join(rel).is_file() {
            findings.push(*read(root, rel).expect_err("missing file"));
        }
    }

    let listed;
    let all_claims = if sel.whole {
        &sel.claims
    } else {
        listed = claim_files(root);
        &listed
    };
    let claim_ids: HashSet<String> = all_claims
        .iter()
        .filter_map(|p| p.rsplit('/').next())
        .map(|f| f.trim_end_matches(".yaml").to_string())
        .collect();
    let nothing_reported = HashSet::new();
    let issues_of = |c: &Claim, rel: &str| {
        let policies =
            policies.get_or_init(|| read_policies(root, &policy_paths, &nothing_reported).0);
        let ix = OfficeIndex {
            office: office.as_ref(),
            tz,
            policies,
            claim_ids: &claim_ids,
        };
        let mut issues = check_claim(c, rel, &ix);
        let (more, letter) = check_denial_letter(root, rel, c, office.as_ref());
        issues.extend(more);
        (issues, letter)
    };
    // A claim found clean at this version, still that blob, its letter still that blob and
    // the claims it names still here: clean now, not even decoded.
    let still_clean = |rel: &str, blob: Oid| {
        let clean = known.claims.get(rel).filter(|c| c.blob() == blob)?;
        let letter_same = clean
            .letter_blob()
            .is_none_or(|(path, id)| cache.blob_now(root, path) == Some(id));
        let names_here = clean.names.iter().all(|n| claim_ids.contains(n));
        (letter_same && names_here).then(|| {
            cache.in_use(blob);
            let id = rel
                .rsplit('/')
                .next()
                .unwrap_or(rel)
                .trim_end_matches(".yaml");
            (Some(id.to_string()), Vec::new(), Some(clean.clone()))
        })
    };
    let claim_results: Vec<ClaimResult> = sel
        .claims
        .par_iter()
        .map(|rel| {
            // A file git's index vouches for is read only when a finding needs its lines.
            let vouched = cache.unchanged_blob(root, rel);
            if let Some(done) = vouched.and_then(|b| still_clean(rel, b)) {
                return done;
            }
            let mut text = None;
            let (blob, c) = match vouched.and_then(|b| cache.recorded(b).map(|c| (b, c))) {
                Some(known) => known,
                None => {
                    let t = match read(root, rel) {
                        Ok(t) => t,
                        Err(f) => return (None, vec![*f], None),
                    };
                    let blob =
                        object_id(ObjectType::Blob, t.as_bytes()).expect("a SHA-1 is an object id");
                    if let Some(done) = still_clean(rel, blob) {
                        return done;
                    }
                    match cache.claim_of_blob(blob, &t) {
                        Ok(c) => {
                            text = Some(t);
                            (blob, c)
                        }
                        Err(f) => return (None, vec![failed(rel, None, f)], None),
                    }
                }
            };
            let (issues, letter) = issues_of(&c, rel);
            if issues.is_empty() {
                let names = c.merged_into.iter().chain(&c.merged).cloned().collect();
                return (
                    Some(c.id),
                    Vec::new(),
                    Some(Clean::new(blob, letter, names)),
                );
            }
            let text = match text.map_or_else(|| read(root, rel), Ok) {
                Ok(t) => t,
                Err(f) => return (None, vec![*f], None),
            };
            let found = issues
                .into_iter()
                .map(|i| place(rel, &text, Some(&c.id), i))
                .collect();
            (Some(c.id), found, None)
        })
        .collect();
    if sel.claims.len() == all_claims.len() {
        cache.tidy();
    }
    let mut clean = CleanClaims {
        policies_clean,
        claims: known.claims.clone(),
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    for (rel, (id, found, verdict)) in sel.claims.iter().zip(claim_results) {
        findings.extend(found);
        match verdict {
            Some(v) => clean.claims.insert(rel.clone(), v),
            None => clean.claims.remove(rel),
        };
        if let Some(id) = id {
            if let Some(other) = seen.insert(id.clone(), rel.clone()) {
                findings.push(Finding {
                    code: "F004",
                    severity: severity_of("F004"),
                    file: rel.clone(),
                    line: 1,
                    column: 1,
                    claim: Some(id.clone()),
                    field: Some("id".into()),
                    message: format!("claim id `{id}` is also used by {other}"),
                });
            }
        }
    }
    if let Some(version) = version {
        let here: HashSet<&str> = all_claims.iter().map(String::as_str).collect();
        clean.claims.retain(|rel, _| here.contains(rel.as_str()));
        if clean != known {
            cache.keep_clean(version, &clean);
        }
    }
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
    if sel.whole {
        findings.extend(cache.committed_links(root).into_iter().map(|path| Finding {
            code: "F006",
            severity: severity_of("F006"),
            message: format!(
                "{path} is a symbolic link committed where the tool writes; replace it with a plain folder or file"
            ),
            file: path,
            line: 1,
            column: 1,
            claim: None,
            field: None,
        }));
    }
    findings
}
