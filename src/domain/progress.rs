//! Where a claim stands, in the words the people outside the office read: its status as a
//! status letter says it, what happened since a date, what comes next, and the documents still
//! needed. One reading for the status letter and for the agent's desk, so both say the same.
//!
//! Internal steps stay internal: a recommended or approved denial reads as "under review"
//! until the denial letter goes out, and notes are never quoted.

use chrono::NaiveDate;
use serde::Serialize;

use super::claim::{ApprovalState, Claim, Timestamp};
use super::lifecycle::Status;
use super::sla::{Clock, ClockStatus};

/// The status in a letter's words.
pub fn status_words(claim: &Claim) -> &'static str {
    match claim.status {
        Status::Incomplete => "received; some details of the loss are still missing",
        Status::Reported => "received",
        Status::NoPolicyFound => "under review: we are confirming the policy",
        Status::Triaged => "under review",
        Status::Assigned => "assigned to an adjuster",
        Status::Investigating => "under investigation",
        Status::SettlementPending => "settlement being finalized",
        Status::Settled => "settled",
        Status::Closed => "closed",
        Status::DenialRecommended | Status::DenialApproved => "under review",
        Status::Denied => "denied",
        Status::Merged => "combined with another claim for the same loss",
    }
}

/// One thing that happened on the claim, dated in the office's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Happened {
    pub on: NaiveDate,
    pub what: String,
}

/// What happened on the claim after `after` (everything, when `None`), oldest first: the
/// steps of its history an outsider is told of, payments made, and — when `documents` — the
/// documents received (never to a third party's side, who is not told what evidence the
/// insured's defense holds).
pub fn since(
    claim: &Claim,
    after: Option<Timestamp>,
    tz: chrono_tz::Tz,
    documents: bool,
) -> Vec<Happened> {
    let later = |t: &Timestamp| after.is_none_or(|a| *t > a);
    let day = |t: &Timestamp| t.with_timezone(&tz).date_naive();
    let mut out: Vec<(Timestamp, String)> = claim
        .history
        .iter()
        .filter(|e| later(&e.at))
        .filter_map(|e| told(&e.event).map(|w| (e.at, w.to_string())))
        .collect();
    out.extend(
        claim
            .payments
            .iter()
            .filter(|p| p.state == ApprovalState::Effective && later(&p.at))
            .map(|p| (p.at, format!("payment of ${} issued", p.amount.grouped()))),
    );
    let after_day = after.map(|a| day(&a));
    let mut happened: Vec<Happened> = out
        .into_iter()
        .map(|(at, what)| Happened { on: day(&at), what })
        .collect();
    happened.extend(
        claim
            .documents
            .iter()
            .filter_map(|d| d.received_on.map(|on| (on, d)))
            .filter(|(on, _)| documents && after_day.is_none_or(|a| *on > a))
            .map(|(on, d)| Happened {
                on,
                what: format!("received: {}", d.name),
            }),
    );
    happened.sort_by_key(|h| h.on);
    happened.dedup();
    happened
}

/// The history events an outsider is told of, in their words; `None` for internal steps
/// (denial recommendations and reviews, merges of other reports, letters recorded).
fn told(event: &str) -> Option<&'static str> {
    Some(match event {
        e if e == "intake" || e.starts_with("intake_") => "claim received",
        "completed" => "report of the loss completed",
        "triage" => "coverage reviewed against the policy",
        e if e.starts_with("assign") => "assigned to an adjuster",
        "investigate" => "investigation begun",
        "settle" => "settlement reached",
        "close" => "claim closed",
        "reopen" => "claim reopened",
        "deny" => "claim denied (see our letter)",
        _ => return None,
    })
}

/// What comes next, in order: missing details, the next step of the claim's stage, and the
/// decision or payment the running clocks promise. The adjuster's own task list stays off:
/// it is the office's working checklist, with the office's internal dates.
pub fn next_steps(claim: &Claim, clocks: &[Clock]) -> Vec<String> {
    let mut out = Vec::new();
    if claim.status == Status::Incomplete && !claim.missing.is_empty() {
        out.push(format!(
            "We need these details of the loss: {}.",
            claim.missing.join(", ").replace('_', " ")
        ));
    }
    let due = |name: &str| {
        clocks
            .iter()
            .find(|c| c.clock == name && c.is_running() && c.status != ClockStatus::Met)
            .and_then(|c| c.due)
    };
    match claim.status {
        Status::Reported | Status::Triaged | Status::NoPolicyFound => {
            out.push("The claim will be assigned to an adjuster.".to_string())
        }
        Status::Assigned => out.push("The adjuster will be in touch shortly.".to_string()),
        Status::SettlementPending => {
            out.push("The settlement is being finalized for payment.".to_string())
        }
        Status::Settled => out.push(match due("payment") {
            Some(d) => format!("Payment will be issued by {d}."),
            None => "Payment will be issued.".to_string(),
        }),
        Status::Closed | Status::Denied | Status::Merged => {
            return out;
        }
        _ => {}
    }
    if matches!(
        claim.status,
        Status::Assigned
            | Status::Investigating
            | Status::DenialRecommended
            | Status::DenialApproved
    ) && claim.sla.coverage_decided_at.is_none()
    {
        out.push(match due("coverage_decision") {
            Some(d) => format!("We will decide coverage by {d}."),
            None => "We will decide coverage once the investigation is complete.".to_string(),
        });
    }
    out
}

/// A document still needed: requested or on the checklist, not received or waived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Needed {
    pub name: String,
    pub due: Option<NaiveDate>,
}

pub fn documents_needed(claim: &Claim) -> Vec<Needed> {
    claim
        .documents
        .iter()
        .filter(|d| d.status.is_outstanding())
        .map(|d| Needed {
            name: d.name.clone(),
            due: d.due,
        })
        .collect()
}

/// When anyone outside the office was last written to about the claim (a letter of any
/// kind), if ever.
pub fn last_written(claim: &Claim) -> Option<Timestamp> {
    claim.letters.iter().map(|l| l.at).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(extra: &str) -> Claim {
        let yaml = format!(
            "id: CLM-2611-7K3F-QM2X\nlob: property\njurisdiction: IL\nchannel: phone\n\
             received_at: 2026-11-02T09:00:00-06:00\nstatus: investigating\nloss: {{}}\n{extra}"
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    #[test]
    fn an_outsider_is_told_what_happened_but_not_the_internal_steps() {
        let c = claim(
            "history:\n\
             - {at: 2026-11-02T09:00:00-06:00, by: a@x, event: intake, status: reported}\n\
             - {at: 2026-11-03T09:00:00-06:00, by: a@x, event: triage, status: triaged}\n\
             - {at: 2026-11-04T09:00:00-06:00, by: a@x, event: recommend_denial, status: denial_recommended}\n\
             documents:\n\
             - {name: Repair estimate, status: received, received_on: 2026-11-05}\n\
             - {name: Photos, status: requested, due: 2026-11-20}\n",
        );
        let tz = chrono_tz::America::Chicago;
        let all = since(&c, None, tz, true);
        assert_eq!(since(&c, None, tz, false).len(), 2);
        let words: Vec<&str> = all.iter().map(|h| h.what.as_str()).collect();
        assert_eq!(
            words,
            [
                "claim received",
                "coverage reviewed against the policy",
                "received: Repair estimate"
            ]
        );
        let after: Timestamp = "2026-11-03T12:00:00-06:00".parse().unwrap();
        let later = since(&c, Some(after), tz, true);
        assert_eq!(later.len(), 1, "{later:?}");
        assert_eq!(
            documents_needed(&c),
            [Needed {
                name: "Photos".into(),
                due: NaiveDate::from_ymd_opt(2026, 11, 20)
            }]
        );
    }

    #[test]
    fn a_recommended_denial_reads_as_under_review() {
        let mut c = claim("");
        c.status = Status::DenialRecommended;
        assert_eq!(status_words(&c), "under review");
        assert!(next_steps(&c, &[])
            .iter()
            .any(|s| s.starts_with("We will decide coverage")));
    }
}
