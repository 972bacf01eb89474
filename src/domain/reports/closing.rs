//! The closing ratio (claims closed in a period ÷ claims opened in it) and each adjuster's
//! month: caseload at the month's end, claims opened to them and closed by them in it, and
//! their touches (commits that changed a claim, counted from the history by the caller).

use std::collections::{BTreeMap, HashMap};

use super::claim_life::spells;
use chrono::NaiveDate;

use super::{count_of, day, group_of, Scope, Sheet, Tally, Value};
use crate::domain::claim::Claim;

/// Opened, closed (with and without payment) and the ratio in the period, one row per group.
pub struct ClosingRatio<'s> {
    scope: &'s Scope,
    groups: BTreeMap<Vec<String>, [u64; 4]>,
}

impl<'s> ClosingRatio<'s> {
    pub fn new(scope: &'s Scope) -> ClosingRatio<'s> {
        ClosingRatio {
            scope,
            groups: BTreeMap::new(),
        }
    }
}

impl Tally for ClosingRatio<'_> {
    fn add(&mut self, c: &Claim) {
        let s = self.scope;
        let n = count_of(c, s.settings.count);
        for sp in spells(c, s.tz, s.settings.reopened) {
            let opened = s.period.contains(sp.opened);
            let closed = sp.closing.filter(|k| s.period.contains(k.on));
            if !opened && closed.is_none() {
                continue;
            }
            let g = self.groups.entry(group_of(c, &s.by)).or_default();
            if opened {
                g[0] += n;
            }
            if let Some(k) = closed {
                g[1] += n;
                g[if k.with_payment { 2 } else { 3 }] += n;
            }
        }
    }

    fn finish(self) -> Sheet {
        let s = self.scope;
        let mut headers: Vec<String> = s.by.iter().map(|b| b.header().to_string()).collect();
        headers.extend(
            [
                "opened",
                "closed",
                "closed_with_payment",
                "closed_without_payment",
                "closing_ratio",
            ]
            .map(String::from),
        );
        let mut sheet = Sheet::new(headers);
        let mut total = [0u64; 4];
        for (key, g) in &self.groups {
            let mut row: Vec<Value> = key.iter().map(|k| Value::text(k.clone())).collect();
            row.extend(g.iter().map(|n| Value::Count(*n)));
            row.push(Value::ratio(ratio(g[1], g[0])));
            sheet.push(row);
            for (t, n) in total.iter_mut().zip(g) {
                *t += n;
            }
        }
        sheet.footer.push(format!(
            "{} to {}: {} opened, {} closed; closing ratio {}",
            s.period.from,
            s.period.to,
            total[0],
            total[1],
            ratio(total[1], total[0]).map_or("-".into(), |r| format!("{r:.3}"))
        ));
        sheet
    }
}

fn ratio(closed: u64, opened: u64) -> Option<f64> {
    (opened > 0).then(|| closed as f64 / opened as f64)
}

/// Each adjuster's months in the period: caseload at the month's end, claims opened and
/// closed in it, and touches. A claim counts for the adjuster it is assigned to now, from the
/// day it was assigned to them; `touches` maps (person, `YYYY-MM`) to the commits they made
/// that changed a claim (read from the history by the caller).
pub struct Productivity<'s> {
    scope: &'s Scope,
    months: Vec<(NaiveDate, NaiveDate)>,
    rows: BTreeMap<(String, String), [u64; 4]>,
}

impl<'s> Productivity<'s> {
    pub fn new(scope: &'s Scope, touches: &HashMap<(String, String), u64>) -> Productivity<'s> {
        let months = scope.period.months();
        let mut rows: BTreeMap<(String, String), [u64; 4]> = BTreeMap::new();
        for ((person, month), n) in touches {
            let inside = months
                .iter()
                .any(|(f, _)| f.format("%Y-%m").to_string() == *month);
            if inside {
                rows.entry((person.clone(), month.clone())).or_default()[3] += n;
            }
        }
        Productivity {
            scope,
            months,
            rows,
        }
    }
}

impl Tally for Productivity<'_> {
    fn add(&mut self, c: &Claim) {
        let s = self.scope;
        let (Some(assignment), Some(adjuster)) = (c.assignment.as_ref(), c.handled_by()) else {
            return;
        };
        let assigned = day(assignment.at, s.tz);
        let n = count_of(c, s.settings.count);
        let life = spells(c, s.tz, s.settings.reopened);
        for (first, last) in &self.months {
            if assigned > *last {
                continue;
            }
            let in_month = |d: NaiveDate| *first <= d && d <= *last;
            let caseload = life.iter().any(|sp| sp.open_on(*last));
            let opened = life.iter().filter(|sp| in_month(sp.opened)).count() as u64;
            let closed = life
                .iter()
                .filter(|sp| sp.closing.is_some_and(|k| in_month(k.on)))
                .count() as u64;
            if !caseload && opened == 0 && closed == 0 {
                continue;
            }
            let month = first.format("%Y-%m").to_string();
            let r = self.rows.entry((adjuster.to_string(), month)).or_default();
            r[0] += u64::from(caseload) * n;
            r[1] += opened * n;
            r[2] += closed * n;
        }
    }

    fn finish(self) -> Sheet {
        let mut sheet = Sheet::new([
            "adjuster", "month", "caseload", "opened", "closed", "touches",
        ]);
        for ((person, month), r) in &self.rows {
            sheet.push(vec![
                Value::text(person.clone()),
                Value::text(month.clone()),
                Value::Count(r[0]),
                Value::Count(r[1]),
                Value::Count(r[2]),
                Value::Count(r[3]),
            ]);
        }
        sheet.footer.push(
            "caseload: open at the month's end; touches: commits by the person that changed a claim"
                .into(),
        );
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::super::claim_life::tests::{claim, event};
    use super::*;
    use crate::domain::lifecycle::Status;

    #[test]
    fn the_ratio_is_closed_over_opened_in_the_period() {
        let mut a = claim("2025-12-31T20:00:00-06:00"); // opened in 2025 (office time)
        event(&mut a, "2026-01-05T10:00:00-06:00", Status::Closed);
        let b = claim("2026-01-02T10:00:00-06:00");
        let mut c = claim("2026-01-03T10:00:00-06:00");
        event(&mut c, "2026-02-01T10:00:00-06:00", Status::Denied);
        let scope = super::super::tests::scope(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
        let s = ClosingRatio::new(&scope).over(&[a, b, c]);
        // Opened b and c; closed a (without payment).
        assert_eq!(s.shown(), [["2", "1", "0", "1", "0.500"]]);
    }
}
