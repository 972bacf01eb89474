//! Reserve development: every change of every claim's reserve over time, and the two
//! patterns a reserve review looks for:
//! - stair-stepping: `reporting.stair_steps` increases in a row with no new information on
//!   the file between one and the next (no document or attachment received, no task done, no
//!   inquiry, no negotiation step) — the reserve was set too low and is being walked up;
//! - a jump: an increase of more than `reporting.jump_percent` over the reserve
//!   `reporting.jump_days` days before (a first reserve is no jump).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{day, ReportingSettings, Scope, Sheet, Tally, Value};
use crate::domain::claim::{ApprovalState, Claim, ReserveChange, Timestamp};

pub const STAIR_STEP: &str = "stair_stepping";
pub const JUMP: &str = "jump";

/// Anything new on the file after `after` and up to `upto`.
fn new_information(c: &Claim, after: Timestamp, upto: Timestamp, tz: chrono_tz::Tz) -> bool {
    let (from, to) = (day(after, tz), day(upto, tz));
    let in_days = |d: NaiveDate| from < d && d <= to;
    let in_time = |t: Timestamp| after < t && t <= upto;
    c.documents
        .iter()
        .filter_map(|d| d.received_on)
        .any(in_days)
        || c.attachments.iter().any(|a| in_time(a.received_at))
        || c.tasks.iter().filter_map(|t| t.done_at).any(in_time)
        || c.sla.inquiries.iter().any(|q| in_time(q.received_at))
        || c.negotiation.iter().any(|n| in_days(n.on))
}

/// The effective reserve just before `t`.
fn reserve_before(changes: &[&ReserveChange], t: Timestamp) -> Decimal {
    changes
        .iter()
        .rev()
        .find(|r| r.at <= t)
        .map_or(Decimal::ZERO, |r| r.amount.as_decimal())
}

/// The flags of each effective change of `c`, in order.
pub fn flags(c: &Claim, settings: &ReportingSettings, tz: chrono_tz::Tz) -> Vec<Vec<&'static str>> {
    let changes: Vec<&ReserveChange> = c
        .reserves
        .iter()
        .filter(|r| r.state == ApprovalState::Effective)
        .collect();
    let mut out = vec![Vec::new(); changes.len()];
    let mut run = 0u32;
    for (i, r) in changes.iter().enumerate() {
        // Setting the first reserve is no increase.
        let up = r.amount > r.previous && !r.previous.is_zero();
        run = match (up, i.checked_sub(1).map(|j| changes[j])) {
            (false, _) => 0,
            (true, Some(prev)) if run > 0 && !new_information(c, prev.at, r.at, tz) => run + 1,
            (true, _) => 1,
        };
        if run >= settings.stair_steps {
            out[i].push(STAIR_STEP);
        }
        if up {
            let window = r.at - chrono::Duration::days(i64::from(settings.jump_days));
            let base = reserve_before(&changes[..i], window);
            let limit =
                base * (Decimal::ONE + Decimal::from(settings.jump_percent) / Decimal::from(100));
            if base > Decimal::ZERO && r.amount.as_decimal() > limit {
                out[i].push(JUMP);
            }
        }
    }
    out
}

/// One row per reserve change in the period, claim by claim (`flagged`: only the changes of
/// claims with a flag).
pub struct ReserveDevelopment<'s> {
    scope: &'s Scope,
    flagged_only: bool,
    rows: Vec<(String, Vec<Value>)>,
    flagged: usize,
}

impl<'s> ReserveDevelopment<'s> {
    pub fn new(scope: &'s Scope, flagged_only: bool) -> ReserveDevelopment<'s> {
        ReserveDevelopment {
            scope,
            flagged_only,
            rows: Vec::new(),
            flagged: 0,
        }
    }
}

impl Tally for ReserveDevelopment<'_> {
    fn add(&mut self, c: &Claim) {
        let s = self.scope;
        if c.reserves.is_empty() {
            return;
        }
        let effective_flags = flags(c, &s.settings, s.tz);
        let has_flag = effective_flags.iter().any(|f| !f.is_empty());
        if self.flagged_only && !has_flag {
            return;
        }
        self.flagged += usize::from(has_flag);
        let mut effective = effective_flags.into_iter();
        for r in &c.reserves {
            let f = if r.state == ApprovalState::Effective {
                effective.next().unwrap_or_default()
            } else {
                Vec::new()
            };
            if !s.period.contains(day(r.at, s.tz)) {
                continue;
            }
            let (was, now) = (r.previous.as_decimal(), r.amount.as_decimal());
            let pct = (was > Decimal::ZERO).then(|| {
                use rust_decimal::prelude::ToPrimitive;
                ((now - was) / was * Decimal::from(100))
                    .to_f64()
                    .unwrap_or(0.0)
            });
            let row = vec![
                Value::text(c.id.clone()),
                Value::Date(day(r.at, s.tz)),
                Value::Money(was),
                Value::Money(now),
                Value::Money(now - was),
                Value::days(pct),
                Value::text(f.join(" ")),
                Value::text(match r.state {
                    ApprovalState::Effective => "effective",
                    ApprovalState::Pending => "pending",
                    ApprovalState::Rejected => "rejected",
                }),
                Value::text(c.lob.as_str()),
                Value::text(c.jurisdiction.clone()),
                Value::text(c.handled_by().unwrap_or("")),
                Value::text(r.by.clone()),
                Value::text(r.reason.clone()),
            ];
            self.rows.push((c.id.clone(), row));
        }
    }

    fn finish(mut self) -> Sheet {
        let s = self.scope;
        let mut sheet = Sheet::new(HEADERS);
        // Claim by claim, each claim's changes in the order they were made.
        self.rows.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, row) in self.rows {
            sheet.push(row);
        }
        sheet.footer.push(format!(
            "{} changes; {} flagged (stair-stepping: {} increases in a row without new information; jump: over {}% in {} days)",
            sheet.rows.len(),
            if self.flagged == 1 { "1 claim".to_string() } else { format!("{} claims", self.flagged) },
            s.settings.stair_steps,
            s.settings.jump_percent,
            s.settings.jump_days
        ));
        sheet
    }
}

/// The columns, the ones a reviewer reads first leftmost (a narrow table keeps them).
pub const HEADERS: [&str; 13] = [
    "claim",
    "on",
    "previous",
    "reserve",
    "change",
    "change_percent",
    "flags",
    "state_of_change",
    "line",
    "state",
    "adjuster",
    "by",
    "reason",
];

#[cfg(test)]
mod tests {
    use super::super::claim_life::tests::{at, claim};
    use super::*;
    use crate::domain::claim::{Document, ItemStatus};
    use crate::domain::money::Money;

    fn reserve(c: &mut Claim, when: &str, amount: &str) {
        let previous = c.effective_reserve();
        c.reserves.push(ReserveChange {
            at: at(when),
            by: "praman@harborpoint.example".into(),
            role: "staff_adjuster".into(),
            amount: amount.parse::<Money>().unwrap(),
            previous,
            reason: "adjustment".into(),
            note: None,
            above_limit: None,
            state: ApprovalState::Effective,
            authority: None,
            approval: None,
        });
    }

    #[test]
    fn three_increases_without_news_are_stair_stepping_and_a_doubling_is_a_jump() {
        let tz = chrono_tz::America::Chicago;
        let mut c = claim("2026-01-02T10:00:00-06:00");
        reserve(&mut c, "2026-01-05T10:00:00-06:00", "1000.00");
        reserve(&mut c, "2026-02-20T10:00:00-06:00", "1200.00");
        reserve(&mut c, "2026-04-10T10:00:00-05:00", "1400.00");
        reserve(&mut c, "2026-06-01T10:00:00-05:00", "1600.00");
        let s = ReportingSettings::default();
        assert_eq!(
            flags(&c, &s, tz),
            [vec![], vec![], vec![], vec![STAIR_STEP]]
        );
        // An estimate received between the third and the fourth: the run starts again.
        c.documents.push(Document {
            name: "Repair estimate".into(),
            required_for: None,
            status: ItemStatus::Received,
            due: None,
            received_on: NaiveDate::from_ymd_opt(2026, 5, 1),
            file: None,
            waived_reason: None,
        });
        assert!(flags(&c, &s, tz).iter().all(|f| f.is_empty()));
        // 1600 to 5000 within 30 days: more than 50%.
        reserve(&mut c, "2026-06-20T10:00:00-05:00", "5000.00");
        assert_eq!(flags(&c, &s, tz)[4], vec![JUMP]);
    }
}
