//! What `claims check` found clean, kept so that a check of an office where nothing changed
//! need not decode a single claim: one entry (`read-cache/clean-VERSION`) per version of the
//! office — the bytes of `authority.yaml` and the blob of every policy file, so every fact a
//! claim's rules read besides the claim itself — listing each claim file the rules found
//! nothing wrong with, by path and blob id, with what else its verdict rested on: the blob of
//! the denial letter it names, the claims it says it was merged with or into.
//!
//! A claim counts as clean without being read only when its file is still that blob, its
//! letter still that blob and every claim it names still in the office; anything else is checked
//! as if there were no entry. The entry is checked like every record of the cache (this build,
//! this version, its checksum), so a damaged or stale one costs time, never a finding.

use std::collections::HashMap;

use git2::{ObjectType, Oid};
use serde::{Deserialize, Serialize};

use crate::store::git::object_id;

/// The name of an entry, before the office version it is for.
pub(super) const CLEAN: &str = "clean-";

/// A claim file the rules found nothing wrong with, and what that rested on besides its bytes.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
pub struct Clean {
    blob: [u8; 20],
    /// The denial letter the claim names (its path) and the blob it was.
    pub letter: Option<(String, [u8; 20])>,
    /// The claims it names as merged into it or it into.
    pub names: Vec<String>,
}

impl Clean {
    pub fn new(blob: Oid, letter: Option<(String, Oid)>, names: Vec<String>) -> Clean {
        Clean {
            blob: bytes(blob),
            letter: letter.map(|(p, id)| (p, bytes(id))),
            names,
        }
    }

    pub fn blob(&self) -> Oid {
        oid(&self.blob)
    }

    pub fn letter_blob(&self) -> Option<(&str, Oid)> {
        self.letter.as_ref().map(|(p, id)| (p.as_str(), oid(id)))
    }
}

/// Every clean claim file of one version of the office, by path.
#[derive(Serialize, Deserialize, Default, Clone, PartialEq, Debug)]
pub struct CleanClaims {
    /// Whether, at this version, `authority.yaml` and every policy file were found clean too
    /// (then a check need not parse the policies unless a claim needs them).
    pub policies_clean: bool,
    pub claims: HashMap<String, Clean>,
}

/// The version of the office a verdict rests on: `authority.yaml`'s blob and each policy file's
/// path and blob (in any order; sorted here).
pub fn office_version(authority: Oid, policies: &[(String, Oid)]) -> Oid {
    let mut sorted: Vec<&(String, Oid)> = policies.iter().collect();
    sorted.sort();
    let mut text = format!("authority.yaml {authority}\n");
    for (path, id) in sorted {
        text.push_str(&format!("{path} {id}\n"));
    }
    object_id(ObjectType::Blob, text.as_bytes()).expect("a SHA-1 is an object id")
}

fn bytes(id: Oid) -> [u8; 20] {
    id.as_bytes().try_into().expect("a SHA-1 is 20 bytes")
}

fn oid(b: &[u8; 20]) -> Oid {
    Oid::from_bytes(b).expect("20 bytes are an object id")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    #[test]
    fn the_version_changes_with_any_policy_or_the_authority_and_not_with_order() {
        let a = vec![
            ("policies/A.yaml".to_string(), id(1)),
            ("policies/B.yaml".into(), id(2)),
        ];
        let b: Vec<_> = a.iter().rev().cloned().collect();
        assert_eq!(office_version(id(9), &a), office_version(id(9), &b));
        assert_ne!(office_version(id(9), &a), office_version(id(8), &a));
        let mut c = a.clone();
        c[1].1 = id(3);
        assert_ne!(office_version(id(9), &a), office_version(id(9), &c));
        let mut d = a.clone();
        d[1].0 = "policies/C.yaml".into();
        assert_ne!(office_version(id(9), &a), office_version(id(9), &d));
        assert_ne!(office_version(id(9), &a), office_version(id(9), &a[..1]));
    }
}
