//! Annual claims activity in the shape of the NAIC Market Conduct Annual Statement's claims
//! schedule, per state and line: open at the start of the period, opened in it, closed with
//! and without payment, the median days from notice to final payment, the closed claims by
//! how long they took (notice to closing, `reporting.closed_within_days`), open at the end,
//! and suits opened and closed.
//!
//! A suit is a claim with a lawsuit on file (`liability.litigation`): opened the day it was
//! reported with one, or the day a correction recorded one; closed the day the claim closed.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::claim_life::spells;
use super::{band_names, band_of, count_of, day, days, median, Scope, Sheet, Tally, Value};
use crate::domain::claim::Claim;

/// The day a lawsuit was on file, when one is.
pub fn suit_opened(c: &Claim, tz: chrono_tz::Tz) -> Option<NaiveDate> {
    if !c.liability.as_ref().is_some_and(|l| l.litigation) {
        return None;
    }
    let corrected = c.notes.iter().find(|n| {
        n.text.starts_with("Correction:")
            && n.text.contains("liability.litigation:")
            && n.text
                .split("liability.litigation:")
                .nth(1)
                .and_then(|rest| rest.split("->").nth(1))
                .is_some_and(|v| {
                    let v = v.trim_start().to_ascii_lowercase();
                    v.starts_with("true") || v.starts_with("yes") || v.starts_with('y')
                })
    });
    Some(day(corrected.map_or(c.received_at, |n| n.at), tz))
}

#[derive(Default)]
struct Tally_ {
    open_start: u64,
    opened: u64,
    with_payment: u64,
    without_payment: u64,
    to_final_payment: Vec<i64>,
    within: Vec<u64>,
    open_end: u64,
    suits_opened: u64,
    suits_closed: u64,
}

/// The schedule for the period, one row per state and line.
pub struct ClaimActivity<'s> {
    scope: &'s Scope,
    groups: BTreeMap<(String, String), Tally_>,
}

impl<'s> ClaimActivity<'s> {
    pub fn new(scope: &'s Scope) -> ClaimActivity<'s> {
        ClaimActivity {
            scope,
            groups: BTreeMap::new(),
        }
    }
}

impl Tally for ClaimActivity<'_> {
    fn add(&mut self, c: &Claim) {
        let s = self.scope;
        let (period, settings) = (s.period, &s.settings);
        let before = period.from.pred_opt().expect("a day before");
        let life = spells(c, s.tz, settings.reopened);
        if life.is_empty() {
            return;
        }
        let n = count_of(c, settings.count);
        let bands = settings.closed_within_days.len() + 1;
        let t = self
            .groups
            .entry((c.jurisdiction.clone(), c.lob.as_str().to_string()))
            .or_insert_with(|| Tally_ {
                within: vec![0; bands],
                ..Default::default()
            });
        for sp in &life {
            if sp.open_on(before) {
                t.open_start += n;
            }
            if period.contains(sp.opened) {
                t.opened += n;
            }
            if sp.open_on(period.to) {
                t.open_end += n;
            }
            let Some(k) = sp.closing.filter(|k| period.contains(k.on)) else {
                continue;
            };
            if k.with_payment {
                t.with_payment += n;
                if let Some(paid) = k.last_payment {
                    t.to_final_payment
                        .extend(std::iter::repeat_n(days(sp.opened, paid), n as usize));
                }
            } else {
                t.without_payment += n;
            }
            t.within[band_of(&settings.closed_within_days, days(sp.opened, k.on))] += n;
        }
        if let Some(on) = suit_opened(c, s.tz) {
            if period.contains(on) {
                t.suits_opened += 1;
            }
            let closed = life.last().and_then(|sp| sp.closing).map(|k| k.on);
            if closed.is_some_and(|d| d >= on && period.contains(d)) {
                t.suits_closed += 1;
            }
        }
    }

    fn finish(self) -> Sheet {
        let s = self.scope;
        let bands = band_names(&s.settings.closed_within_days);
        let mut headers: Vec<String> = [
            "state",
            "line",
            "open_at_start",
            "opened",
            "closed_with_payment",
            "closed_without_payment",
            "median_days_to_final_payment",
        ]
        .map(String::from)
        .to_vec();
        headers.extend(
            bands
                .iter()
                .map(|b| format!("closed_{}_days", b.replace(' ', "_"))),
        );
        headers.extend(["open_at_end", "suits_opened", "suits_closed"].map(String::from));
        let mut sheet = Sheet::new(headers);
        for ((state, line), t) in &self.groups {
            let mut row = vec![
                Value::text(state.clone()),
                Value::text(line.clone()),
                Value::Count(t.open_start),
                Value::Count(t.opened),
                Value::Count(t.with_payment),
                Value::Count(t.without_payment),
                Value::days(median(&t.to_final_payment)),
            ];
            row.extend(t.within.iter().map(|n| Value::Count(*n)));
            row.extend([
                Value::Count(t.open_end),
                Value::Count(t.suits_opened),
                Value::Count(t.suits_closed),
            ]);
            sheet.push(row);
        }
        sheet.footer.push(format!(
            "claims activity {} to {} ({} counting, a reopened claim counted as {})",
            s.period.from,
            s.period.to,
            match s.settings.count {
                super::Counting::PerClaim => "per claim",
                super::Counting::PerClaimant => "per claimant",
            },
            match s.settings.reopened {
                super::Reopened::NewClaim => "a new claim",
                super::Reopened::SameClaim => "the same claim",
            }
        ));
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::super::claim_life::tests::{at, claim, event};
    use super::*;
    use crate::domain::claim::{ApprovalState, Payment, PaymentMethod};
    use crate::domain::lifecycle::Status;
    use crate::domain::money::Money;

    #[test]
    fn the_year_balances_and_bands_closings() {
        let mut scope = super::super::tests::scope(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        scope.period = super::super::Period::year(2026).unwrap();
        // Open at the start, closed with payment 40 days later.
        let mut a = claim("2025-12-22T10:00:00-06:00");
        a.payments.push(Payment {
            at: at("2026-01-20T10:00:00-06:00"),
            by: "x".into(),
            role: "x".into(),
            exposure: None,
            payee: "Insured".into(),
            co_payee: None,
            method: PaymentMethod::Check,
            reference: "1".into(),
            amount: "10.00".parse::<Money>().unwrap(),
            state: ApprovalState::Effective,
            authority: None,
            approval: None,
        });
        event(&mut a, "2026-01-31T10:00:00-06:00", Status::Closed);
        // Opened in the year and still open.
        let b = claim("2026-06-01T10:00:00-05:00");
        // Opened and denied within 30 days.
        let mut c = claim("2026-07-01T10:00:00-05:00");
        event(&mut c, "2026-07-31T10:00:00-05:00", Status::Denied);
        let s = ClaimActivity::new(&scope).over(&[a, b, c]);
        let row = &s.shown()[0];
        let col = |h: &str| row[s.column(h).unwrap()].clone();
        assert_eq!(col("open_at_start"), "1");
        assert_eq!(col("opened"), "2");
        assert_eq!(col("closed_with_payment"), "1");
        assert_eq!(col("closed_without_payment"), "1");
        assert_eq!(col("median_days_to_final_payment"), "29.0");
        assert_eq!(col("closed_0-30_days"), "1");
        assert_eq!(col("closed_31-60_days"), "1");
        assert_eq!(col("open_at_end"), "1");
    }
}
