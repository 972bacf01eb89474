//! The register: what a command needs to know about every other claim in the office — the
//! keys duplicate detection compares, each claim's status and when it came in, and the open
//! caseload of every adjuster, and where each claim was taken in from (to tell an input already
//! imported). Built once from the claims at a commit and kept up to date
//! change by change, so a batch of thousands of commands (and the audit replaying them) never
//! reads the whole office again.

use std::collections::HashMap;

use crate::domain::claim::{Claim, Timestamp};
use crate::domain::intake_source::{IntakeSource, SourceIndex};
use crate::domain::lifecycle::Status;
use crate::domain::routing::Workload;
use crate::domain::same_loss::{KnownClaims, LossPrint};

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
    imported: SourceIndex<String>,
}

/// What the register keeps of one claim (a few fields of a file of many).
#[derive(Clone, Debug)]
pub struct Entry {
    key: LossPrint,
    standing: Standing,
    /// The adjuster whose open caseload it counts in.
    open_with: Option<String>,
    source: Option<IntakeSource>,
}

impl Entry {
    pub fn of(c: &Claim) -> Entry {
        Entry {
            key: LossPrint::of(c),
            standing: Standing {
                status: c.status,
                received_at: c.received_at,
            },
            open_with: c
                .status
                .is_open()
                .then(|| c.adjuster().map(str::to_string))
                .flatten(),
            source: c.source.clone(),
        }
    }
}

impl Register {
    pub fn of<'a>(claims: impl IntoIterator<Item = &'a Claim>) -> Register {
        Register::of_entries(claims.into_iter().map(Entry::of))
    }

    /// The register of claims read one by one into entries (each file dropped once read).
    pub fn of_entries(entries: impl IntoIterator<Item = Entry>) -> Register {
        let mut r = Register::default();
        for e in entries {
            r.add(e);
        }
        r
    }

    fn add(&mut self, e: Entry) {
        if let Some(a) = &e.open_with {
            self.workload.add(a);
        }
        if let Some(s) = &e.source {
            self.imported.add(e.key.id.clone(), s);
        }
        self.standing.insert(e.key.id.clone(), e.standing);
        self.known.push(e.key);
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
            if let Some(s) = &b.source {
                self.imported.remove(&b.id, s);
            }
            self.known.remove(&b.id);
            self.standing.remove(&b.id);
        }
        if let Some(c) = after {
            self.add(Entry::of(c));
        }
    }

    /// Every claim's loss print, to tell whether a notice is the same loss.
    pub fn known(&self) -> &KnownClaims {
        &self.known
    }

    /// Where each claim was taken in from: its input's fingerprint and Message-ID.
    pub fn imported(&self) -> &SourceIndex<String> {
        &self.imported
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
