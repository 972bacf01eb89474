//! The series the dashboard draws: open claims at each month's end, the median days to
//! close by month of closing, SLA clocks by adjuster and status, and how the reserves of the
//! largest claims developed. Same definitions as the reports (one spell, one count).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::claim_life::spells;
use super::{count_of, day, days, median, Scope};
use crate::domain::claim::{ApprovalState, Claim};
use crate::domain::sla::{clocks, ClockStatus, SlaContext};

/// Claims open at each month's end of the period, and the median days from notice to
/// closing of the claims closed in each month.
pub struct Months<'s> {
    scope: &'s Scope,
    ends: Vec<(NaiveDate, NaiveDate)>,
    open: Vec<u64>,
    to_close: Vec<Vec<i64>>,
}

impl<'s> Months<'s> {
    pub fn new(scope: &'s Scope) -> Months<'s> {
        let ends = scope.period.months();
        Months {
            scope,
            open: vec![0; ends.len()],
            to_close: vec![Vec::new(); ends.len()],
            ends,
        }
    }

    pub fn add(&mut self, c: &Claim) {
        let s = self.scope;
        let n = count_of(c, s.settings.count);
        for sp in spells(c, s.tz, s.settings.reopened) {
            for (i, (first, last)) in self.ends.iter().enumerate() {
                let end = (*last).min(s.as_of);
                if *first <= s.as_of && sp.open_on(end) {
                    self.open[i] += n;
                }
                if let Some(k) = sp.closing.filter(|k| *first <= k.on && k.on <= end) {
                    self.to_close[i].push(days(sp.opened, k.on));
                }
            }
        }
    }

    /// (`YYYY-MM`, open at its end) for each month up to the report's date.
    pub fn open(&self) -> Vec<(String, u64)> {
        self.ends
            .iter()
            .zip(&self.open)
            .filter(|((first, _), _)| *first <= self.scope.as_of)
            .map(|((first, _), n)| (first.format("%Y-%m").to_string(), *n))
            .collect()
    }

    /// (`YYYY-MM`, median days to close) for each month with a closing.
    pub fn days_to_close(&self) -> Vec<(String, f64)> {
        self.ends
            .iter()
            .zip(&self.to_close)
            .filter_map(|((first, _), v)| median(v).map(|m| (first.format("%Y-%m").to_string(), m)))
            .collect()
    }
}

/// Running and stopped SLA clocks of open claims, by adjuster and status.
#[derive(Default)]
pub struct SlaByAdjuster {
    pub counts: BTreeMap<String, [u64; 4]>,
}

pub const SLA_STATUSES: [ClockStatus; 4] = [
    ClockStatus::Open,
    ClockStatus::AtRisk,
    ClockStatus::Breached,
    ClockStatus::Met,
];

impl SlaByAdjuster {
    pub fn add(&mut self, c: &Claim, ctx: &SlaContext, as_of: NaiveDate) {
        if c.status.is_final() {
            return;
        }
        let who = c.handled_by().unwrap_or("(unassigned)").to_string();
        for k in clocks(c, ctx, as_of) {
            if let Some(i) = SLA_STATUSES.iter().position(|s| *s == k.status) {
                self.counts.entry(who.clone()).or_default()[i] += 1;
            }
        }
    }
}

/// A claim's reserve change by change: (the day, the reserve from then on).
pub type ReserveSeries = Vec<(NaiveDate, Decimal)>;

/// The reserve of each of the `keep` claims with the largest reserves, change by change.
pub struct LargestReserves {
    keep: usize,
    /// (reserve now, claim, [(date, reserve)]).
    pub claims: Vec<(Decimal, String, ReserveSeries)>,
}

impl LargestReserves {
    pub fn new(keep: usize) -> LargestReserves {
        LargestReserves {
            keep,
            claims: Vec::new(),
        }
    }

    pub fn add(&mut self, c: &Claim, tz: chrono_tz::Tz) {
        let series: ReserveSeries = c
            .reserves
            .iter()
            .filter(|r| r.state == ApprovalState::Effective)
            .map(|r| (day(r.at, tz), r.amount.as_decimal()))
            .collect();
        let Some(top) = series.iter().map(|p| p.1).max() else {
            return;
        };
        self.claims.push((top, c.id.clone(), series));
        self.claims
            .sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.claims.truncate(self.keep);
    }
}

#[cfg(test)]
mod tests {
    use super::super::claim_life::tests::{claim, event};
    use super::*;
    use crate::domain::lifecycle::Status;

    #[test]
    fn open_claims_are_counted_at_each_month_end() {
        let mut scope = super::super::tests::scope(NaiveDate::from_ymd_opt(2026, 3, 15).unwrap());
        scope.period.from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut a = claim("2026-01-10T10:00:00-06:00");
        event(&mut a, "2026-02-09T10:00:00-06:00", Status::Closed);
        let b = claim("2026-02-20T10:00:00-06:00");
        let mut m = Months::new(&scope);
        m.add(&a);
        m.add(&b);
        assert_eq!(
            m.open(),
            [
                ("2026-01".into(), 1),
                ("2026-02".into(), 1),
                ("2026-03".into(), 1)
            ]
        );
        assert_eq!(m.days_to_close(), [("2026-02".into(), 30.0)]);
    }
}
