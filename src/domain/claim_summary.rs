//! A claim's summary: the few facts a claims list filters and shows (its status, line, state,
//! people, dates and money in effect), drawn from the claim by the claim's own rules. Kept by
//! the read cache beside each claim file's blob, so that a list of an office where nothing
//! changed need not decode any claim whole.

use serde::{Deserialize, Serialize};

use super::claim::{Claim, LineOfBusiness, Party, Priority, Timestamp};
use super::lifecycle::Status;
use super::money::Money;

/// What a list knows of a claim. Only [`ClaimSummary::of`] makes one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimSummary {
    pub id: String,
    pub status: Status,
    pub lob: LineOfBusiness,
    pub jurisdiction: String,
    pub received_at: Timestamp,
    /// [`Claim::closed_at`].
    pub closed_at: Option<Timestamp>,
    pub policy_number: Option<String>,
    /// The insured's name.
    pub insured: Option<String>,
    /// The agent's name, organization and email.
    pub agent: Option<AgentNames>,
    pub priority: Option<Priority>,
    /// [`Claim::adjuster`].
    pub adjuster: Option<String>,
    /// [`Claim::effective_reserve`].
    pub reserve: Money,
    /// [`Claim::paid`].
    pub paid: Money,
}

/// How an agent is named on a claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentNames {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub email: Option<String>,
}

impl AgentNames {
    pub fn of(p: &Party) -> AgentNames {
        AgentNames {
            name: p.name.clone(),
            organization: p.organization.clone(),
            email: p.email.clone(),
        }
    }

    /// Whether `query` names this agent: their email exactly, or a part of their name or
    /// agency (letter case aside).
    pub fn answer_to(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        !q.is_empty()
            && (self.email.as_deref().is_some_and(|e| e.to_lowercase() == q)
                || [&self.name, &self.organization]
                    .into_iter()
                    .flatten()
                    .any(|n| n.to_lowercase().contains(&q)))
    }
}

impl ClaimSummary {
    pub fn of(c: &Claim) -> ClaimSummary {
        ClaimSummary {
            id: c.id.clone(),
            status: c.status,
            lob: c.lob,
            jurisdiction: c.jurisdiction.clone(),
            received_at: c.received_at,
            closed_at: c.closed_at(),
            policy_number: c.policy_number.clone(),
            insured: c.insured.as_ref().and_then(|p| p.name.clone()),
            agent: c.agent.as_ref().map(AgentNames::of),
            priority: c.priority(),
            adjuster: c.adjuster().map(str::to_string),
            reserve: c.effective_reserve(),
            paid: c.paid(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agent_answers_to_their_email_or_part_of_a_name() {
        let a = AgentNames {
            name: Some("Dana Whitfield".into()),
            organization: Some("Lone Star Insurance Agency".into()),
            email: Some("dana@lonestar.example".into()),
        };
        assert!(a.answer_to("DANA@lonestar.example"));
        assert!(a.answer_to(" whitfield "));
        assert!(a.answer_to("lone star"));
        assert!(!a.answer_to("dana@lonestar"));
        assert!(!a.answer_to("  "));
    }
}
