//! The claim lifecycle: statuses and the legal moves between them.
//!
//! reported → triaged → assigned → investigating → (settlement pending → settled → closed) or
//! (denial recommended → denial approved → denied). Side states: incomplete (an email FNOL
//! awaiting completion), merged (a duplicate folded into another claim), no policy found.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Incomplete,
    Reported,
    NoPolicyFound,
    Triaged,
    Assigned,
    Investigating,
    SettlementPending,
    Settled,
    Closed,
    DenialRecommended,
    DenialApproved,
    Denied,
    Merged,
}

impl Status {
    pub const ALL: [Status; 13] = [
        Status::Incomplete,
        Status::Reported,
        Status::NoPolicyFound,
        Status::Triaged,
        Status::Assigned,
        Status::Investigating,
        Status::SettlementPending,
        Status::Settled,
        Status::Closed,
        Status::DenialRecommended,
        Status::DenialApproved,
        Status::Denied,
        Status::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Incomplete => "incomplete",
            Status::Reported => "reported",
            Status::NoPolicyFound => "no_policy_found",
            Status::Triaged => "triaged",
            Status::Assigned => "assigned",
            Status::Investigating => "investigating",
            Status::SettlementPending => "settlement_pending",
            Status::Settled => "settled",
            Status::Closed => "closed",
            Status::DenialRecommended => "denial_recommended",
            Status::DenialApproved => "denial_approved",
            Status::Denied => "denied",
            Status::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Statuses a claim may enter at First Notice of Loss.
    pub fn is_initial(self) -> bool {
        matches!(self, Status::Reported | Status::Incomplete)
    }

    /// Closed for good: no SLA clock runs, nothing is owed.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Denied | Status::Merged)
    }

    /// Open claims count toward an adjuster's workload and appear in SLA reports.
    pub fn is_open(self) -> bool {
        !self.is_final()
    }

    /// With an adjuster, from assignment until the claim closes: the statuses in which coverage
    /// is decided, negotiated and paid.
    pub fn is_with_adjuster(self) -> bool {
        matches!(
            self,
            Status::Assigned | Status::Investigating | Status::SettlementPending | Status::Settled
        )
    }

    /// The statuses a claim may move to from this one.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Incomplete => &[Reported, Merged],
            Reported => &[Triaged, NoPolicyFound, Merged, Incomplete],
            NoPolicyFound => &[Reported, Triaged, Merged],
            // Triaged again when its policy number was corrected before assignment; closed
            // without payment: withdrawn, record only, below the deductible, ...
            Triaged => &[Triaged, Assigned, Merged, Closed],
            Assigned => &[
                Assigned,
                Investigating,
                DenialRecommended,
                SettlementPending,
                Merged,
                Closed,
            ],
            Investigating => &[
                Assigned,
                SettlementPending,
                DenialRecommended,
                Closed,
                Merged,
            ],
            SettlementPending => &[Investigating, Settled, Closed],
            Settled => &[Closed, SettlementPending],
            // Reopened.
            Closed => &[Investigating],
            DenialRecommended => &[DenialApproved, Investigating],
            DenialApproved => &[Denied, Investigating],
            Denied => &[Investigating],
            // Unmerged: back to where the notice stood (reported, when merged at triage).
            Merged => &[
                Incomplete,
                Reported,
                NoPolicyFound,
                Triaged,
                Assigned,
                Investigating,
            ],
        }
    }

    pub fn can_move_to(self, to: Status) -> bool {
        self.next().contains(&to)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_reachable_from_an_initial_one() {
        let mut seen = vec![Status::Reported, Status::Incomplete];
        let mut i = 0;
        while i < seen.len() {
            for n in seen[i].next() {
                if !seen.contains(n) {
                    seen.push(*n);
                }
            }
            i += 1;
        }
        for s in Status::ALL {
            assert!(seen.contains(&s), "{s} unreachable");
        }
    }

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            let yaml = serde_yaml::to_string(&s).unwrap();
            assert_eq!(yaml.trim(), s.as_str());
        }
    }

    #[test]
    fn denial_needs_approval_first() {
        assert!(!Status::DenialRecommended.can_move_to(Status::Denied));
        assert!(Status::DenialApproved.can_move_to(Status::Denied));
        assert!(!Status::Reported.can_move_to(Status::Settled));
    }
}
