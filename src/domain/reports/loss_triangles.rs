//! Loss triangles in long form: one row per claim and valuation date, each claim valued as
//! it stood at the end of that day — cumulative paid, case reserve (the reserve in effect
//! less what was paid), incurred (paid plus case), and the claim counts actuaries develop
//! (reported, closed with payment, closed without payment, open). The valuation dates are the
//! ends of each month, quarter or year (`reporting.triangle_valuation`) from the claim's
//! notice to the report's date.
//!
//! The columns load as `chainladder.Triangle(df, origin="accident_date",
//! development="valuation_date", columns=[...], cumulative=True)`.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::claim_life::spells;
use super::{count_of, day, ReportingSettings, Scope, Sheet, Tally, Valuation, Value};
use crate::domain::claim::{ApprovalState, Claim};

pub const HEADERS: [&str; 13] = [
    "claim",
    "line",
    "state",
    "accident_date",
    "report_date",
    "valuation_date",
    "paid",
    "case_reserve",
    "incurred",
    "reported",
    "closed_with_pay",
    "closed_without_pay",
    "open",
];

/// The end of the valuation period `d` falls in.
pub fn period_end(d: NaiveDate, v: Valuation) -> NaiveDate {
    let (y, m) = (d.year(), d.month());
    let last_month = match v {
        Valuation::Month => m,
        Valuation::Quarter => m.div_ceil(3) * 3,
        Valuation::Year => 12,
    };
    let first_of_next = if last_month == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, last_month + 1, 1)
    }
    .expect("a valid date");
    first_of_next.pred_opt().expect("a day before")
}

/// The valuation dates from `first` to `last`: each period end, and `last` itself when it
/// ends no period.
pub fn valuation_dates(first: NaiveDate, last: NaiveDate, v: Valuation) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = period_end(first, v);
    while d <= last {
        out.push(d);
        d = period_end(d.succ_opt().expect("a day after"), v);
    }
    if out.last() != Some(&last) && first <= last {
        out.push(last);
    }
    out
}

/// The rows of one claim.
pub fn rows_of(
    c: &Claim,
    settings: &ReportingSettings,
    tz: chrono_tz::Tz,
    as_of: NaiveDate,
) -> Vec<Vec<Value>> {
    let life = spells(c, tz, settings.reopened);
    if life.is_empty() {
        return Vec::new();
    }
    let reported = day(c.received_at, tz);
    let accident = c.loss.date.filter(|d| *d <= reported).unwrap_or(reported);
    let n = count_of(c, settings.count);
    valuation_dates(reported, as_of, settings.triangle_valuation)
        .into_iter()
        .map(|v| {
            let paid: Decimal = c
                .payments
                .iter()
                .filter(|p| p.state == ApprovalState::Effective && day(p.at, tz) <= v)
                .map(|p| p.amount.as_decimal())
                .sum();
            let reserve = c
                .reserves
                .iter()
                .rfind(|r| r.state == ApprovalState::Effective && day(r.at, tz) <= v)
                .map_or(Decimal::ZERO, |r| r.amount.as_decimal());
            let case = (reserve - paid).max(Decimal::ZERO);
            let spell = life.iter().rev().find(|s| s.opened <= v);
            let closing = spell.and_then(|s| s.closed_by(v));
            let open = spell.is_some_and(|s| s.open_on(v));
            vec![
                Value::text(c.id.clone()),
                Value::text(c.lob.as_str()),
                Value::text(c.jurisdiction.clone()),
                Value::Date(accident),
                Value::Date(reported),
                Value::Date(v),
                Value::Money(paid),
                Value::Money(case),
                Value::Money(paid + case),
                Value::Count(n),
                Value::Count(if closing.is_some_and(|k| k.with_payment) {
                    n
                } else {
                    0
                }),
                Value::Count(if closing.is_some_and(|k| !k.with_payment) {
                    n
                } else {
                    0
                }),
                Value::Count(if open { n } else { 0 }),
            ]
        })
        .collect()
}

/// The long triangle of every claim, as of the report's date, claim by claim.
pub struct LossTriangle<'s> {
    scope: &'s Scope,
    rows: Vec<(String, Vec<Vec<Value>>)>,
}

impl<'s> LossTriangle<'s> {
    pub fn new(scope: &'s Scope) -> LossTriangle<'s> {
        LossTriangle {
            scope,
            rows: Vec::new(),
        }
    }
}

impl Tally for LossTriangle<'_> {
    fn add(&mut self, c: &Claim) {
        let s = self.scope;
        let rows = rows_of(c, &s.settings, s.tz, s.as_of);
        if !rows.is_empty() {
            self.rows.push((c.id.clone(), rows));
        }
    }

    fn finish(mut self) -> Sheet {
        let mut sheet = Sheet::new(HEADERS);
        self.rows.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, rows) in self.rows {
            for row in rows {
                sheet.push(row);
            }
        }
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn valuations_fall_on_period_ends_and_the_report_date() {
        assert_eq!(
            period_end(d(2026, 11, 20), Valuation::Quarter),
            d(2026, 12, 31)
        );
        assert_eq!(period_end(d(2026, 2, 3), Valuation::Month), d(2026, 2, 28));
        assert_eq!(
            valuation_dates(d(2026, 8, 15), d(2027, 2, 1), Valuation::Quarter),
            [d(2026, 9, 30), d(2026, 12, 31), d(2027, 2, 1)]
        );
        assert_eq!(
            valuation_dates(d(2026, 8, 15), d(2026, 12, 31), Valuation::Quarter),
            [d(2026, 9, 30), d(2026, 12, 31)]
        );
    }
}
