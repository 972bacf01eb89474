//! Lags and cycle times: how long each step of a claim took, in calendar days, over the
//! claims reported in a period.
//!
//! - loss → reported: the date of loss to the notice;
//! - reported → first contact: the notice to the acknowledgment or the first completed
//!   contact task (`reporting.first_contact_tasks`), whichever came first;
//! - reported → coverage decision: to coverage accepted or denied;
//! - reported → first payment: to the first payment that took effect (claims with a payment
//!   only);
//! - reported → closed: to the first closing.
//!
//! A step counts when it happened on or before the report's date.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::claim_life::spells;
use super::{day, days, group_of, mean, median, ReportingSettings, Scope, Sheet, Tally, Value};
use crate::domain::claim::{ApprovalState, Claim, ItemStatus, Timestamp};

pub const MEASURES: [&str; 5] = [
    "loss_to_reported",
    "reported_to_first_contact",
    "reported_to_coverage_decision",
    "reported_to_first_payment",
    "reported_to_closed",
];

/// When the insured or claimant was first contacted.
pub fn first_contact(c: &Claim, settings: &ReportingSettings) -> Option<Timestamp> {
    let tasks = c.tasks.iter().filter(|t| {
        t.status == ItemStatus::Done
            && settings
                .first_contact_tasks
                .iter()
                .any(|n| n.eq_ignore_ascii_case(t.name.trim()))
    });
    tasks
        .filter_map(|t| t.done_at)
        .chain(c.sla.acknowledged_at)
        .min()
}

/// The five lags of one claim as of `as_of` (None where the step has not happened).
pub fn lags(
    c: &Claim,
    settings: &ReportingSettings,
    tz: chrono_tz::Tz,
    as_of: NaiveDate,
) -> [Option<i64>; 5] {
    let reported = day(c.received_at, tz);
    let since = |t: Option<Timestamp>| {
        t.map(|t| day(t, tz))
            .filter(|d| *d <= as_of)
            .map(|d| days(reported, d))
    };
    let first_payment = c
        .payments
        .iter()
        .filter(|p| p.state == ApprovalState::Effective)
        .map(|p| p.at)
        .min();
    let closed = spells(c, tz, super::Reopened::NewClaim)
        .first()
        .and_then(|s| s.closing)
        .map(|k| k.at);
    [
        c.loss
            .date
            .filter(|d| *d <= reported)
            .map(|d| days(d, reported)),
        since(first_contact(c, settings)),
        since(c.sla.coverage_decided_at),
        since(first_payment),
        since(closed),
    ]
}

/// One row per group and measure over the claims reported in the period: how many had the
/// step by the report's date, the median and the mean.
pub struct CycleTimes<'s> {
    scope: &'s Scope,
    groups: BTreeMap<Vec<String>, [Vec<i64>; 5]>,
    reported: usize,
}

impl<'s> CycleTimes<'s> {
    pub fn new(scope: &'s Scope) -> CycleTimes<'s> {
        CycleTimes {
            scope,
            groups: BTreeMap::new(),
            reported: 0,
        }
    }
}

impl Tally for CycleTimes<'_> {
    fn add(&mut self, c: &Claim) {
        let s = self.scope;
        if spells(c, s.tz, s.settings.reopened).is_empty()
            || !s.period.contains(day(c.received_at, s.tz))
        {
            return;
        }
        self.reported += 1;
        let values = self.groups.entry(group_of(c, &s.by)).or_default();
        for (v, lag) in values.iter_mut().zip(lags(c, &s.settings, s.tz, s.as_of)) {
            v.extend(lag);
        }
    }

    fn finish(self) -> Sheet {
        let s = self.scope;
        let mut headers: Vec<String> = s.by.iter().map(|b| b.header().to_string()).collect();
        headers.extend(["measure", "claims", "median_days", "mean_days"].map(String::from));
        let mut sheet = Sheet::new(headers);
        for (key, values) in &self.groups {
            for (measure, v) in MEASURES.iter().zip(values) {
                let mut row: Vec<Value> = key.iter().map(|k| Value::text(k.clone())).collect();
                row.extend([
                    Value::text(*measure),
                    Value::Count(v.len() as u64),
                    Value::days(median(v)),
                    Value::days(mean(v)),
                ]);
                sheet.push(row);
            }
        }
        sheet.footer.push(format!(
            "{} claims reported {} to {}, their steps as of {}; calendar days",
            self.reported, s.period.from, s.period.to, s.as_of
        ));
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::super::claim_life::tests::{at, claim, event};
    use super::*;
    use crate::domain::claim::{Payment, PaymentMethod, Task};
    use crate::domain::lifecycle::Status;
    use crate::domain::money::Money;

    fn pay(c: &mut Claim, when: &str) {
        c.payments.push(Payment {
            at: at(when),
            by: "lpark@harborpoint.example".into(),
            role: "supervisor".into(),
            exposure: None,
            payee: "Insured".into(),
            co_payee: None,
            method: PaymentMethod::Check,
            reference: "1".into(),
            amount: "100.00".parse::<Money>().unwrap(),
            state: ApprovalState::Effective,
            authority: None,
            approval: None,
        });
    }

    #[test]
    fn each_step_is_counted_from_the_notice() {
        let tz = chrono_tz::America::Chicago;
        let mut c = claim("2026-12-23T16:00:00-06:00");
        c.loss.date = NaiveDate::from_ymd_opt(2026, 12, 20);
        c.sla.acknowledged_at = Some(at("2026-12-28T09:00:00-06:00"));
        c.tasks.push(Task {
            name: "Insured contacted".into(),
            status: ItemStatus::Done,
            due: None,
            done_at: Some(at("2026-12-26T09:00:00-06:00")),
            by: None,
            waived_reason: None,
        });
        c.sla.coverage_decided_at = Some(at("2027-01-04T09:00:00-06:00"));
        pay(&mut c, "2027-01-15T09:00:00-06:00");
        event(&mut c, "2027-01-20T09:00:00-06:00", Status::Closed);
        let s = &Default::default();
        assert_eq!(
            lags(&c, s, tz, NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()),
            [Some(3), Some(3), Some(12), Some(23), Some(28)]
        );
        // As of Jan 10 the payment and the closing have not happened.
        assert_eq!(
            lags(&c, s, tz, NaiveDate::from_ymd_opt(2027, 1, 10).unwrap()),
            [Some(3), Some(3), Some(12), None, None]
        );
    }
}
