//! Runs the `check` rules over the office's files: reads and parses in parallel, places every
//! issue at its file, line and column, and keeps going past bad files.

use std::collections::{HashMap, HashSet};
use std::path::Path;

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
use crate::store::read_cache::ReadCache;

/// Which files to check.
pub struct Selection {
    pub authority: bool,
    pub policies: Vec<String>,
    pub claims: Vec<String>,
}

impl Selection {
    pub fn everything(root: &Path) -> Selection {
        Selection {
            authority: true,
            policies: policy_files(root),
            claims: claim_files(root),
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

/// Checks the selected files; findings sorted by file, line and column.
/// A denied claim's letter, read from its folder: on file (D002) and holding every element
/// the law asks of it (D004).
fn check_denial_letter(root: &Path, rel: &str, c: &Claim, office: Option<&Office>) -> Vec<Issue> {
    let (Some(d), Some(office)) = (&c.denial, office) else {
        return Vec::new();
    };
    let Some(letter) = d.letter.as_deref().filter(|l| !l.trim().is_empty()) else {
        return Vec::new(); // no letter at all: D002 from the record rules
    };
    if c.status != crate::domain::lifecycle::Status::Denied {
        return Vec::new();
    }
    let path = format!("{}/{letter}", rel.trim_end_matches(".yaml"));
    match crate::store::input::read_text(&root.join(&path), crate::bounds::MAX_RECORD_BYTES) {
        Err(crate::store::input::ReadError::Missing) => vec![Issue::at(
            "D002",
            "denial.letter",
            format!("the denial letter {path} is not on file"),
        )],
        Err(e) => vec![Issue::at(
            "D002",
            "denial.letter",
            format!("the denial letter {path} cannot be read: {e}"),
        )],
        Ok(text) => {
            let missing = crate::domain::denial::missing_elements(&text, c, office);
            if missing.is_empty() {
                Vec::new()
            } else {
                vec![Issue::at(
                    "D004",
                    "denial.letter",
                    format!("{path} lacks: {}", missing.join("; ")),
                )]
            }
        }
    }
}

pub fn check_files(root: &Path, sel: &Selection) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut office: Option<Office> = None;
    match read(root, AUTHORITY_FILE) {
        Err(f) => {
            if sel.authority {
                findings.push(*f);
            }
        }
        Ok(text) => match parse_yaml::<Office>(&text) {
            Ok(o) => {
                if sel.authority {
                    findings.extend(
                        check_office(&o)
                            .into_iter()
                            .map(|i| place(AUTHORITY_FILE, &text, None, i)),
                    );
                }
                office = Some(o);
            }
            Err(f) => {
                if sel.authority {
                    findings.push(failed(AUTHORITY_FILE, None, f));
                }
            }
        },
    }
    let tz = office
        .as_ref()
        .and_then(|o| o.office.timezone.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(chrono_tz::UTC);

    // Every policy is read for the index; only the selected ones are reported on.
    let selected: HashSet<&str> = sel.policies.iter().map(String::as_str).collect();
    type PolicyResult = (Option<(String, LineOfBusiness)>, Vec<Finding>);
    let policy_results: Vec<PolicyResult> = policy_files(root)
        .par_iter()
        .map(|rel| {
            let report = selected.contains(rel.as_str());
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
    let mut policies: HashMap<String, LineOfBusiness> = HashMap::new();
    for (entry, found) in policy_results {
        if let Some((n, l)) = entry {
            policies.insert(n, l);
        }
        findings.extend(found);
    }
    // Selected policy paths that are not in policies/ (a stray file given on the command line).
    for rel in &sel.policies {
        if !root.join(rel).is_file() {
            findings.push(*read(root, rel).expect_err("missing file"));
        }
    }

    let all_claims = claim_files(root);
    let claim_ids: HashSet<String> = all_claims
        .iter()
        .filter_map(|p| p.rsplit('/').next())
        .map(|f| f.trim_end_matches(".yaml").to_string())
        .collect();
    let ix = OfficeIndex {
        office: office.as_ref(),
        tz,
        policies: &policies,
        claim_ids: &claim_ids,
    };
    let cache = ReadCache::for_office(root);
    let claim_results: Vec<(Option<String>, Vec<Finding>)> = sel
        .claims
        .par_iter()
        .map(|rel| {
            let issues_of = |c: &Claim| {
                let mut issues = check_claim(c, rel, &ix);
                issues.extend(check_denial_letter(root, rel, c, office.as_ref()));
                issues
            };
            // A file git's index vouches for is read only when a finding needs its lines.
            let known = cache.unchanged_claim(root, rel).map(|c| {
                let issues = issues_of(&c);
                (c, issues)
            });
            if let Some((c, issues)) = &known {
                if issues.is_empty() {
                    return (Some(c.id.clone()), Vec::new());
                }
            }
            let text = match read(root, rel) {
                Ok(t) => t,
                Err(f) => return (None, vec![*f]),
            };
            let (c, issues) = match known {
                Some(known) => known,
                None => match cache.claim(&text) {
                    Ok(c) => {
                        let issues = issues_of(&c);
                        (c, issues)
                    }
                    Err(f) => return (None, vec![failed(rel, None, f)]),
                },
            };
            let found = issues
                .into_iter()
                .map(|i| place(rel, &text, Some(&c.id), i))
                .collect();
            (Some(c.id), found)
        })
        .collect();
    if sel.claims.len() == all_claims.len() {
        cache.tidy();
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for (rel, (id, found)) in sel.claims.iter().zip(claim_results) {
        findings.extend(found);
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
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
    findings
}
