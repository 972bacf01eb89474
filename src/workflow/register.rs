//! The register: what a command needs to know about every other claim in the office — the
//! keys duplicate detection compares, each claim's status and when it came in, and the open
//! caseload of every adjuster. Built once from the claims at a commit and kept up to date
//! change by change, so a batch of thousands of commands (and the audit replaying them) never
//! reads the whole office again.

use std::collections::HashMap;

use crate::domain::claim::{Claim, Timestamp};
use crate::domain::lifecycle::Status;
use crate::domain::routing::Workload;
use crate::intake::admit::{DuplicateKey, KnownClaims};

/// Where a claim stands, as other commands see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    pub status: Status,
    pub received_at: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct Register {
    known: KnownClaims,
    standing: HashMap<String, Standing>,
    workload: Workload,
}

impl Register {
    pub fn of<'a>(claims: impl IntoIterator<Item = &'a Claim>) -> Register {
        let mut r = Register::default();
        for c in claims {
            r.update(None, Some(c));
        }
        r
    }

    /// Takes in one claim's change: `before` as the register knew it, `after` as it is now
    /// (None: the file is gone).
    pub fn update(&mut self, before: Option<&Claim>, after: Option<&Claim>) {
        if let Some(b) = before {
            if b.status.is_open() {
                if let Some(a) = b.adjuster() {
                    self.workload.remove(a);
                }
            }
            self.known.remove(&b.id);
            self.standing.remove(&b.id);
        }
        if let Some(c) = after {
            if c.status.is_open() {
                if let Some(a) = c.adjuster() {
                    self.workload.add(a);
                }
            }
            self.known.push(DuplicateKey::of(c));
            self.standing.insert(
                c.id.clone(),
                Standing {
                    status: c.status,
                    received_at: c.received_at,
                },
            );
        }
    }

    /// Every claim's duplicate-detection key.
    pub fn known(&self) -> &KnownClaims {
        &self.known
    }

    pub fn standing(&self, id: &str) -> Option<&Standing> {
        self.standing.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.standing.contains_key(id)
    }

    pub fn workload(&self) -> &Workload {
        &self.workload
    }
}
