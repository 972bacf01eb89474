//! SLA clock arithmetic: from a claim, the office's rules and its business calendar, every
//! clock's start, due and alert dates, when it stopped, and its status as of a given date.
//!
//! Pure: no I/O, no clock of its own (the caller passes the as-of date).
//!
//! Choices made here (documented in docs/sla.md):
//! - Dates are taken in the office time zone: a claim received at 22:30 Chicago time on a
//!   Friday starts its clocks on that Friday, whatever the UTC date.
//! - Business-day rules count from the day after the start (`add_business_days`): received on
//!   Friday, 1 business day is due the next business Monday.
//! - Calendar-day rules add plain days; a due date that lands on a weekend or holiday stays
//!   where it lands (no roll forward). The regulations the sample office cites count calendar
//!   days without a roll-forward clause, and an earlier date is the safe reading.
//! - A clock is met when it stopped on or before its due date, breached when it stopped after
//!   it; a running clock is breached once the as-of date is past due, at risk from its alert
//!   date, open before that.
//! - On a closed, denied or merged claim a clock that never stopped stopped running when the
//!   claim closed: breached if it closed after the due date, otherwise not reported.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::BusinessCalendar;
use super::claim::{ApprovalState, Claim, LineOfBusiness, Priority, Timestamp};
use super::office::AssignWithin;
use super::sla_rules::{ClockEvent, ClockRule, DayUnit, SlaRules};

/// Where a clock stands as of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Still running, before its alert date.
    Open,
    /// Still running, on or after its alert date, not yet past due.
    AtRisk,
    /// Past due: stopped after the due date, or still running after it.
    Breached,
    /// Stopped on or before the due date.
    Met,
    /// The start event has not happened.
    NotStarted,
}

impl ClockStatus {
    pub const ALL: [ClockStatus; 5] = [
        ClockStatus::Open,
        ClockStatus::AtRisk,
        ClockStatus::Breached,
        ClockStatus::Met,
        ClockStatus::NotStarted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClockStatus::Open => "open",
            ClockStatus::AtRisk => "at_risk",
            ClockStatus::Breached => "breached",
            ClockStatus::Met => "met",
            ClockStatus::NotStarted => "not_started",
        }
    }
}

impl std::fmt::Display for ClockStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One clock on one claim.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Clock {
    /// acknowledgment, coverage_decision, payment, assignment, `inquiry#N` (1-based), ...
    pub clock: String,
    /// The regulation or office standard the rule comes from.
    pub rule_source: String,
    /// The jurisdiction whose rule applied; none for an office default.
    pub rule_state: Option<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub alert: Option<NaiveDate>,
    pub done: Option<NaiveDate>,
    pub status: ClockStatus,
    /// Business days from the as-of date (or the stop date, once stopped) to the due date;
    /// negative when overdue. None when not started.
    pub business_days_left: Option<i64>,
}

impl Clock {
    /// Still running (not stopped, started).
    pub fn is_running(&self) -> bool {
        self.done.is_none() && self.status != ClockStatus::NotStarted
    }
}

/// What the arithmetic needs from the office.
#[derive(Clone, Copy)]
pub struct SlaContext<'a> {
    pub rules: &'a SlaRules,
    pub calendar: &'a BusinessCalendar,
    pub tz: chrono_tz::Tz,
    /// `priority.assign_within`, for the assignment clock.
    pub assign_within: Option<&'a AssignWithin>,
}

impl<'a> SlaContext<'a> {
    /// The office's rules, on its calendar and in its time zone.
    pub fn of(
        office: &'a super::office::Office,
        calendar: &'a BusinessCalendar,
        tz: chrono_tz::Tz,
    ) -> SlaContext<'a> {
        SlaContext {
            rules: &office.sla,
            calendar,
            tz,
            assign_within: Some(&office.priority.assign_within),
        }
    }
}

impl SlaContext<'_> {
    /// Every setting a claim's clocks rest on besides the claim and the date, as bytes: equal
    /// bytes, equal clocks (the rules, the calendar's settings, the time zone, the assignment
    /// windows).
    pub fn settings_bytes(&self) -> Vec<u8> {
        let settings = (
            self.rules,
            self.calendar.config(),
            self.tz.name(),
            self.assign_within,
        );
        serde_json::to_vec(&settings).expect("settings serialize")
    }
}

/// A rule chosen for a claim, with the state it came from (none = office default).
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedRule<'a> {
    pub rule: &'a ClockRule,
    pub state: Option<&'a str>,
}

/// The rules that apply to a claim in `jurisdiction` on line `lob`: every office default,
/// each replaced by the state's rule for the same clock when there is one (a rule naming the
/// claim's line beats one for all lines), plus state clocks the defaults lack.
pub fn rules_for<'a>(
    rules: &'a SlaRules,
    jurisdiction: &str,
    lob: LineOfBusiness,
) -> Vec<AppliedRule<'a>> {
    let mut state_rules: Vec<AppliedRule<'a>> = Vec::new();
    for s in rules
        .states
        .iter()
        .filter(|s| s.state.eq_ignore_ascii_case(jurisdiction.trim()))
    {
        for r in s
            .rules
            .iter()
            .filter(|r| r.lob.is_empty() || r.lob.contains(&lob))
        {
            match state_rules.iter_mut().find(|a| a.rule.clock == r.clock) {
                // A line-specific rule beats one for all lines; otherwise the first wins.
                Some(a) if a.rule.lob.is_empty() && !r.lob.is_empty() => a.rule = r,
                Some(_) => {}
                None => state_rules.push(AppliedRule {
                    rule: r,
                    state: Some(s.state.as_str()),
                }),
            }
        }
    }
    let mut out: Vec<AppliedRule<'a>> = Vec::new();
    for d in &rules.defaults {
        if out.iter().any(|a| a.rule.clock == d.clock) {
            continue;
        }
        match state_rules.iter().position(|a| a.rule.clock == d.clock) {
            Some(i) => out.push(state_rules.remove(i)),
            None => out.push(AppliedRule {
                rule: d,
                state: None,
            }),
        }
    }
    out.extend(state_rules);
    out
}

/// Every clock of the claim as of `as_of` (a date in the office time zone), not-started ones
/// included; the caller filters.
///
/// `--as-of` is a look back as well as forward: events dated after `as_of` (in the office
/// time zone) are treated as not yet happened, and a claim closed after it as still open.
pub fn clocks(claim: &Claim, ctx: &SlaContext, as_of: NaiveDate) -> Vec<Clock> {
    let closed_on = closed_on(claim, ctx.tz).filter(|d| *d <= as_of);
    let mut out = Vec::new();
    if let (Some(triage), Some(within)) = (&claim.triage, ctx.assign_within) {
        if local_date(claim.received_at, ctx.tz) <= as_of {
            out.push(assignment_clock(claim, triage.priority, within, ctx, as_of));
        }
    }
    for applied in rules_for(ctx.rules, &claim.jurisdiction, claim.lob) {
        let rule = applied.rule;
        let source = rule.source.clone().unwrap_or_else(|| match applied.state {
            Some(s) => format!("{s} rule"),
            None => "Office standard".into(),
        });
        let state = applied.state.map(str::to_string);
        if rule.start == ClockEvent::InquiryReceived {
            for (i, q) in claim.sla.inquiries.iter().enumerate() {
                let start = Some(q.received_at);
                let stop = if rule.stop == ClockEvent::InquiryAnswered {
                    q.answered_at
                } else {
                    event_at(claim, rule.stop, start)
                };
                out.push(figure(
                    format!("{}#{}", rule.clock, i + 1),
                    &source,
                    &state,
                    rule,
                    start,
                    stop,
                    ctx,
                    as_of,
                ));
            }
            continue;
        }
        let start = event_at(claim, rule.start, None);
        let stop = event_at(claim, rule.stop, start);
        if let Some(every) = rule.every {
            out.push(periodic(
                rule.clock.clone(),
                &source,
                &state,
                rule,
                every,
                (start, stop),
                &claim.sla.status_letters,
                ctx,
                as_of,
            ));
            continue;
        }
        out.push(figure(
            rule.clock.clone(),
            &source,
            &state,
            rule,
            start,
            stop,
            ctx,
            as_of,
        ));
    }
    if let Some(closed) = closed_on {
        // A closed claim owes nothing more: an unstopped clock is history only if it was
        // already overdue when the claim closed.
        out.retain_mut(|c| {
            if c.done.is_some() {
                return true;
            }
            match c.due {
                Some(due) if closed > due => {
                    c.status = ClockStatus::Breached;
                    c.business_days_left = Some(ctx.calendar.business_days_between(closed, due));
                    true
                }
                _ => false,
            }
        });
    }
    out
}

/// Open as of `as_of`: not in a final status, or reached it after that date.
pub fn open_as_of(claim: &Claim, tz: chrono_tz::Tz, as_of: NaiveDate) -> bool {
    closed_on(claim, tz).is_none_or(|d| d > as_of)
}

/// The date a final (closed, denied, merged) claim reached that status.
pub fn closed_on(claim: &Claim, tz: chrono_tz::Tz) -> Option<NaiveDate> {
    if !claim.status.is_final() {
        return None;
    }
    let at = claim
        .history
        .iter()
        .rev()
        .find(|e| e.status == claim.status)
        .map(|e| e.at)
        .unwrap_or(claim.received_at);
    Some(local_date(at, tz))
}

/// When a claim event happened. `after`: for a stop event that can repeat (status letters,
/// payments), the first occurrence at or after the clock's start.
pub fn event_at(claim: &Claim, event: ClockEvent, after: Option<Timestamp>) -> Option<Timestamp> {
    let sla = &claim.sla;
    match event {
        ClockEvent::Received => Some(claim.received_at),
        ClockEvent::Acknowledged => sla.acknowledged_at,
        ClockEvent::ProofOfLoss => sla.proof_of_loss_at,
        ClockEvent::AllItemsReceived => sla.all_items_received_at,
        ClockEvent::CoverageDecided => sla.coverage_decided_at,
        ClockEvent::CoverageAccepted => sla.coverage_accepted_at,
        ClockEvent::SettlementAgreed => sla.settlement_agreed_at,
        // As a stop: the first payment on or after the clock's start — an advance made before
        // proof of loss or acceptance does not pay what is owed after it.
        ClockEvent::Paid => {
            let paid = claim
                .payments
                .iter()
                .filter(|p| p.state == ApprovalState::Effective)
                .map(|p| p.at);
            match after {
                Some(start) => paid
                    .filter(|t| *t >= start)
                    .min()
                    .or(sla.paid_at.filter(|t| *t >= start)),
                None => sla.paid_at.or_else(|| paid.min()),
            }
        }
        // One inquiry clock per inquiry is built by the caller; as a plain event, the latest.
        ClockEvent::InquiryReceived => sla.inquiries.iter().map(|q| q.received_at).max(),
        ClockEvent::InquiryAnswered => sla.inquiries.iter().filter_map(|q| q.answered_at).max(),
        ClockEvent::StatusLetter => match after {
            Some(start) => sla
                .status_letters
                .iter()
                .copied()
                .filter(|t| *t >= start)
                .min(),
            None => sla.status_letters.iter().copied().max(),
        },
    }
}

fn local_date(t: Timestamp, tz: chrono_tz::Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// Due date of `n` units after `start`.
pub fn add_units(cal: &BusinessCalendar, start: NaiveDate, n: u32, unit: DayUnit) -> NaiveDate {
    match unit {
        DayUnit::BusinessDays => cal.add_business_days(start, n),
        DayUnit::CalendarDays => cal.add_calendar_days(start, n),
    }
}

#[allow(clippy::too_many_arguments)]
fn figure(
    clock: String,
    source: &str,
    state: &Option<String>,
    rule: &ClockRule,
    start: Option<Timestamp>,
    stop: Option<Timestamp>,
    ctx: &SlaContext,
    as_of: NaiveDate,
) -> Clock {
    let cal = ctx.calendar;
    let Some(start) = start.map(|t| local_date(t, ctx.tz)).filter(|d| *d <= as_of) else {
        return Clock {
            clock,
            rule_source: source.to_string(),
            rule_state: state.clone(),
            start: None,
            due: None,
            alert: None,
            done: None,
            status: ClockStatus::NotStarted,
            business_days_left: None,
        };
    };
    let due = add_units(cal, start, rule.due, rule.unit);
    let alert = rule
        .alert
        .map(|a| add_units(cal, start, a.min(rule.due), rule.unit))
        .unwrap_or(due);
    let done = stop.map(|t| local_date(t, ctx.tz)).filter(|d| *d <= as_of);
    let (status, left) = status_of(cal, due, alert, done, as_of);
    Clock {
        clock,
        rule_source: source.to_string(),
        rule_state: state.clone(),
        start: Some(start),
        due: Some(due),
        alert: Some(alert),
        done,
        status,
        business_days_left: Some(left),
    }
}

/// A periodic clock (status letters while a claim is undecided): the first period runs from
/// the start event for `rule.due` units; each letter sent after the start ends its period and
/// starts the next, due `every` units after the letter. The clock shows the period running as
/// of `as_of`. Once the stop event happens it is met, unless a letter (or the stop itself)
/// came after the due date of its period: a missed letter stays a breach in the record.
#[allow(clippy::too_many_arguments)]
fn periodic(
    clock: String,
    source: &str,
    state: &Option<String>,
    rule: &ClockRule,
    every: u32,
    (start, stop): (Option<Timestamp>, Option<Timestamp>),
    letters: &[Timestamp],
    ctx: &SlaContext,
    as_of: NaiveDate,
) -> Clock {
    let cal = ctx.calendar;
    let first = figure(clock, source, state, rule, start, None, ctx, as_of);
    let (Some(begun), Some(mut due)) = (first.start, first.due) else {
        return first;
    };
    let lead = rule.due - rule.alert.unwrap_or(rule.due).min(rule.due);
    let alert_for = |period_start: NaiveDate, length: u32| {
        add_units(cal, period_start, length.saturating_sub(lead), rule.unit)
    };
    let mut period_start = begun;
    let mut alert = first.alert.unwrap_or(due);
    let mut late = false;
    let stopped = stop
        .map(|t| local_date(t, ctx.tz))
        .filter(|d| *d <= as_of && *d >= begun);
    let mut sent: Vec<NaiveDate> = letters
        .iter()
        .map(|t| local_date(*t, ctx.tz))
        .filter(|d| *d >= begun && *d <= as_of && stopped.is_none_or(|s| *d <= s))
        .collect();
    sent.sort();
    for letter in sent {
        late |= letter > due;
        period_start = letter;
        due = add_units(cal, letter, every, rule.unit);
        alert = alert_for(letter, every);
    }
    let (mut status, left) = status_of(cal, due, alert, stopped, as_of);
    if late && stopped.is_some() {
        status = ClockStatus::Breached;
    }
    Clock {
        start: Some(period_start),
        due: Some(due),
        alert: Some(alert),
        done: stopped,
        status,
        business_days_left: Some(left),
        ..first
    }
}

/// Status and business days left (from the stop date when stopped, else from `as_of`).
pub fn status_of(
    cal: &BusinessCalendar,
    due: NaiveDate,
    alert: NaiveDate,
    done: Option<NaiveDate>,
    as_of: NaiveDate,
) -> (ClockStatus, i64) {
    match done {
        Some(d) => {
            let left = cal.business_days_between(d, due);
            if d <= due {
                (ClockStatus::Met, left)
            } else {
                (ClockStatus::Breached, left)
            }
        }
        None => {
            let left = cal.business_days_between(as_of, due);
            let status = if as_of > due {
                ClockStatus::Breached
            } else if as_of >= alert {
                ClockStatus::AtRisk
            } else {
                ClockStatus::Open
            };
            (status, left)
        }
    }
}

/// Business days a claim of priority `p` (not critical) may wait for an adjuster.
fn business_days_to_assign(p: Priority, within: &AssignWithin) -> u32 {
    match p {
        Priority::High => within.high_business_days,
        Priority::Standard => within.standard_business_days,
        _ => within.low_business_days,
    }
}

/// The day a claim received on `received` must be with an adjuster, for a priority counted in
/// business days (high, standard, low). Received on a closed day, the next business day counts
/// as day 0.
pub fn assignment_due_date(
    cal: &BusinessCalendar,
    received: NaiveDate,
    p: Priority,
    within: &AssignWithin,
) -> NaiveDate {
    let n = business_days_to_assign(p, within);
    let first = cal.next_business_day_on_or_after(received);
    if first > received && n > 0 {
        cal.add_business_days(first, n)
    } else {
        cal.add_business_days(received, n).max(first)
    }
}

/// Assignment by priority: critical within `critical_hours` of receipt, high the same
/// business day (0), standard and low within their business days; stopped by assignment.
fn assignment_clock(
    claim: &Claim,
    priority: Priority,
    within: &AssignWithin,
    ctx: &SlaContext,
    as_of: NaiveDate,
) -> Clock {
    let cal = ctx.calendar;
    let received = local_date(claim.received_at, ctx.tz);
    let stop = claim
        .assignment
        .as_ref()
        .map(|a| a.at)
        .filter(|t| local_date(*t, ctx.tz) <= as_of);
    let done = stop.map(|t| local_date(t, ctx.tz));
    let (due, source, hours_breach) = match priority {
        Priority::Critical => {
            let due_at = claim.received_at + Duration::hours(within.critical_hours as i64);
            (
                local_date(due_at, ctx.tz),
                format!(
                    "priority.assign_within: critical {} hours",
                    within.critical_hours
                ),
                stop.map(|s| s > due_at),
            )
        }
        p => {
            let n = business_days_to_assign(p, within);
            let due = assignment_due_date(cal, received, p, within);
            (
                due,
                format!(
                    "priority.assign_within: {} {n} business day{}",
                    p.as_str(),
                    if n == 1 { "" } else { "s" }
                ),
                None,
            )
        }
    };
    let (mut status, left) = status_of(cal, due, due, done, as_of);
    if hours_breach == Some(true) {
        status = ClockStatus::Breached;
    }
    Clock {
        clock: "assignment".into(),
        rule_source: source,
        rule_state: None,
        start: Some(received),
        due: Some(due),
        alert: Some(due),
        done,
        status,
        business_days_left: Some(left),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::CalendarConfig;
    use crate::domain::sla_rules::StateRules;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The sample office's calendar: federal holidays plus 2026-12-24 and 2026-12-31.
    fn sample_calendar() -> BusinessCalendar {
        BusinessCalendar::new(CalendarConfig {
            federal_holidays: true,
            closures: vec![d(2026, 12, 24), d(2026, 12, 31)],
        })
    }

    /// The sample office's rules, read from this repository's authority.yaml.
    fn sample_rules() -> SlaRules {
        let text = include_str!("../../authority.yaml");
        let office: crate::domain::office::Office = serde_yaml::from_str(text).unwrap();
        office.sla
    }

    fn rule(clock: &str, start: ClockEvent, stop: ClockEvent, due: u32, alert: u32) -> ClockRule {
        ClockRule {
            clock: clock.into(),
            start,
            stop,
            due,
            alert: Some(alert),
            unit: DayUnit::BusinessDays,
            every: None,
            lob: vec![],
            source: Some("Office standard".into()),
        }
    }

    #[test]
    fn california_status_letters_every_30_days_until_the_decision() {
        // Proof of loss Thu 2026-10-01. §2695.7(c)(1): the first notice by day 40 (Tue Nov
        // 10), alert day 33 (Tue Nov 3). A letter on Mon Nov 9 starts the next period: due
        // 30 calendar days later, Wed Dec 9 (alert Dec 2). The letter of Wed Nov 25 (early)
        // moves it to Fri Dec 25, Christmas: calendar days do not roll forward, so the letter
        // is due on the holiday, and by business days it is 2 away on Mon Dec 21 (Tue 22, Wed
        // 23; the office is closed Dec 24 and 25).
        let rules = sample_rules();
        let cal = sample_calendar();
        let base = "sla:\n  proof_of_loss_at: 2026-10-01T09:00:00-05:00\n";
        let c = claim("CA", "property", "2026-09-28T09:00:00-05:00", base);
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 11, 4));
        let s = find(&cs, "status_letter");
        assert_eq!(s.rule_source, "Cal. Code Regs. tit. 10, §2695.7(c)(1)");
        assert_eq!(
            (s.start, s.due, s.alert, s.status),
            (
                Some(d(2026, 10, 1)),
                Some(d(2026, 11, 10)),
                Some(d(2026, 11, 3)),
                ClockStatus::AtRisk
            )
        );

        let sent = |letters: &str| {
            claim(
                "CA",
                "property",
                "2026-09-28T09:00:00-05:00",
                &format!("{base}  status_letters: [{letters}]\n"),
            )
        };
        let c = sent("2026-11-09T10:00:00-06:00");
        let s = find(
            &clocks(&c, &ctx(&rules, &cal), d(2026, 11, 20)),
            "status_letter",
        )
        .clone();
        assert_eq!(
            (s.start, s.due, s.alert, s.status),
            (
                Some(d(2026, 11, 9)),
                Some(d(2026, 12, 9)),
                Some(d(2026, 12, 2)),
                ClockStatus::Open
            )
        );
        let c = sent("2026-11-09T10:00:00-06:00, 2026-11-25T10:00:00-06:00");
        let s = find(
            &clocks(&c, &ctx(&rules, &cal), d(2026, 12, 21)),
            "status_letter",
        )
        .clone();
        assert_eq!(s.due, Some(d(2026, 12, 25)));
        assert_eq!(s.status, ClockStatus::AtRisk);
        assert_eq!(s.business_days_left, Some(2));
        // Nothing sent by Dec 28: past due.
        let s = find(
            &clocks(&c, &ctx(&rules, &cal), d(2026, 12, 28)),
            "status_letter",
        )
        .clone();
        assert_eq!(s.status, ClockStatus::Breached);

        // Decided on Dec 15: met, the clock stops.
        let decided = claim(
            "CA",
            "property",
            "2026-09-28T09:00:00-05:00",
            &format!(
                "{base}  coverage_decided_at: 2026-12-15T10:00:00-06:00\n  status_letters: \
                 [2026-11-09T10:00:00-06:00, 2026-11-25T10:00:00-06:00]\n"
            ),
        );
        let s = find(
            &clocks(&decided, &ctx(&rules, &cal), d(2027, 1, 5)),
            "status_letter",
        )
        .clone();
        assert_eq!(
            (s.done, s.status),
            (Some(d(2026, 12, 15)), ClockStatus::Met)
        );
        // A letter that came late stays a breach once the clock stops.
        let late = claim(
            "CA",
            "property",
            "2026-09-28T09:00:00-05:00",
            &format!(
                "{base}  coverage_decided_at: 2026-12-15T10:00:00-06:00\n  status_letters: \
                 [2026-11-12T10:00:00-06:00]\n"
            ),
        );
        let s = find(
            &clocks(&late, &ctx(&rules, &cal), d(2027, 1, 5)),
            "status_letter",
        )
        .clone();
        assert_eq!(s.status, ClockStatus::Breached);
    }

    #[test]
    fn office_status_letters_start_at_receipt() {
        let rules = sample_rules();
        let cal = sample_calendar();
        // Illinois has no rule of its own: the office's 30 days from receipt (Nov 2 + 30 =
        // Dec 2), alert at 25 (Nov 27).
        let c = claim("IL", "personal_auto", "2026-11-02T09:00:00-06:00", "");
        let s = find(
            &clocks(&c, &ctx(&rules, &cal), d(2026, 11, 30)),
            "status_letter",
        )
        .clone();
        assert_eq!(s.rule_source, "Office standard");
        assert_eq!(
            (s.due, s.alert, s.status),
            (
                Some(d(2026, 12, 2)),
                Some(d(2026, 11, 27)),
                ClockStatus::AtRisk
            )
        );
    }

    fn claim(jurisdiction: &str, lob: &str, received_at: &str, extra: &str) -> Claim {
        let yaml = format!(
            "id: CLM-2611-7K3F-QM2X\nlob: {lob}\njurisdiction: {jurisdiction}\nchannel: phone\n\
             received_at: {received_at}\nstatus: investigating\nloss: {{}}\n{extra}"
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    fn ctx<'a>(rules: &'a SlaRules, cal: &'a BusinessCalendar) -> SlaContext<'a> {
        SlaContext {
            rules,
            calendar: cal,
            tz: chrono_tz::America::Chicago,
            assign_within: None,
        }
    }

    fn find<'a>(cs: &'a [Clock], name: &str) -> &'a Clock {
        cs.iter()
            .find(|c| c.clock == name)
            .unwrap_or_else(|| panic!("no clock {name} in {cs:#?}"))
    }

    #[test]
    fn thanksgiving_week_acknowledgment() {
        // Received Friday 2026-11-20. Business days after it: Mon 23 (1), Tue 24 (2),
        // Wed 25 (3), Thu 26 Thanksgiving (closed), Fri 27 (4; the day after Thanksgiving is
        // not a federal holiday), Mon 30 (5), Tue Dec 1 (6), Wed 2 (7), Thu 3 (8), Fri 4 (9),
        // Mon 7 (10). Due 2026-12-07; alert on day 7 = 2026-12-02.
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim("IL", "personal_auto", "2026-11-20T10:00:00-06:00", "");
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 11, 20));
        let ack = find(&cs, "acknowledgment");
        assert_eq!(ack.start, Some(d(2026, 11, 20)));
        assert_eq!(ack.due, Some(d(2026, 12, 7)));
        assert_eq!(ack.alert, Some(d(2026, 12, 2)));
        assert_eq!(ack.rule_source, "Office standard");
        assert_eq!(ack.rule_state, None);
        // Coverage decision, office default 45 calendar days: Nov 20 + 10 = Nov 30,
        // + 31 = Dec 31 (41), + 4 = 2027-01-04 (45). Alert day 35: Nov 30 + 25 = Dec 25,
        // a holiday, and it stays there (calendar days do not roll forward).
        let cov = find(&cs, "coverage_decision");
        assert_eq!(cov.due, Some(d(2027, 1, 4)));
        assert_eq!(cov.alert, Some(d(2026, 12, 25)));
    }

    #[test]
    fn saturday_july_fourth_observed_on_friday() {
        // Received Wed 2026-07-01. July 4 is a Saturday, observed Friday July 3.
        // Thu Jul 2 (1), Fri 3 closed, Mon 6 (2), Tue 7 (3), Wed 8 (4), Thu 9 (5), Fri 10 (6),
        // Mon 13 (7), Tue 14 (8), Wed 15 (9), Thu 16 (10). Due 2026-07-16, alert 2026-07-13.
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim("IL", "property", "2026-07-01T09:00:00-05:00", "");
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 7, 1));
        let ack = find(&cs, "acknowledgment");
        assert_eq!(ack.due, Some(d(2026, 7, 16)));
        assert_eq!(ack.alert, Some(d(2026, 7, 13)));
        assert!(!cal.is_business_day(d(2026, 7, 3)));
    }

    #[test]
    fn year_end_with_office_closures() {
        // Received Fri 2026-12-18. Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 office closure,
        // Fri 25 Christmas, Mon 28 (4), Tue 29 (5), Wed 30 (6), Thu 31 office closure,
        // Fri 2027-01-01 New Year's Day, Mon Jan 4 (7), Tue 5 (8), Wed 6 (9), Thu 7 (10).
        // Due 2027-01-07; alert on day 7 = 2027-01-04.
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim("IL", "property", "2026-12-18T11:00:00-06:00", "");
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 12, 18));
        let ack = find(&cs, "acknowledgment");
        assert_eq!(ack.due, Some(d(2027, 1, 7)));
        assert_eq!(ack.alert, Some(d(2027, 1, 4)));
        // Federal holidays only (Dec 24 and 31 open): 21, 22, 23, 24 (4), 28 (5), 29 (6),
        // 30 (7), 31 (8), Jan 4 (9), Jan 5 (10).
        let federal = BusinessCalendar::default();
        let cs = clocks(&c, &ctx(&rules, &federal), d(2026, 12, 18));
        assert_eq!(find(&cs, "acknowledgment").due, Some(d(2027, 1, 5)));
        assert_eq!(find(&cs, "acknowledgment").alert, Some(d(2026, 12, 30)));
    }

    #[test]
    fn juneteenth() {
        // Received Wed 2026-06-17; Juneteenth is Friday June 19.
        // Thu 18 (1), Fri 19 closed, Mon 22 (2), Tue 23 (3), Wed 24 (4), Thu 25 (5),
        // Fri 26 (6), Mon 29 (7), Tue 30 (8), Wed Jul 1 (9), Thu Jul 2 (10).
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim("IL", "property", "2026-06-17T15:00:00-05:00", "");
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 6, 17));
        let ack = find(&cs, "acknowledgment");
        assert_eq!(ack.due, Some(d(2026, 7, 2)));
        assert_eq!(ack.alert, Some(d(2026, 6, 29)));
    }

    #[test]
    fn start_date_is_the_office_date_not_utc() {
        // 2026-11-21T04:30Z is Friday Nov 20, 22:30 in Chicago: same dates as received Friday.
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim("IL", "property", "2026-11-21T04:30:00Z", "");
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 11, 20));
        let ack = find(&cs, "acknowledgment");
        assert_eq!(ack.start, Some(d(2026, 11, 20)));
        assert_eq!(ack.due, Some(d(2026, 12, 7)));
    }

    #[test]
    fn texas_rule_overrides_the_default_coverage_clock() {
        // TX: decide within 15 business days after all requested items arrive.
        // Items in Mon 2026-11-16: Tue 17 (1), Wed 18 (2), Thu 19 (3), Fri 20 (4), Mon 23 (5),
        // Tue 24 (6), Wed 25 (7), Thu 26 Thanksgiving, Fri 27 (8), Mon 30 (9), Tue Dec 1 (10),
        // Wed 2 (11), Thu 3 (12), Fri 4 (13), Mon 7 (14), Tue 8 (15). Due 2026-12-08, alert
        // (day 10) 2026-12-01.
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim(
            "TX",
            "property",
            "2026-11-02T09:00:00-06:00",
            "sla:\n  all_items_received_at: 2026-11-16T09:00:00-06:00\n",
        );
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 11, 20));
        let covs: Vec<_> = cs
            .iter()
            .filter(|c| c.clock == "coverage_decision")
            .collect();
        assert_eq!(covs.len(), 1, "the state rule replaces the default");
        let cov = covs[0];
        assert_eq!(cov.rule_source, "Tex. Ins. Code §542.056(a)");
        assert_eq!(cov.rule_state.as_deref(), Some("TX"));
        assert_eq!(cov.start, Some(d(2026, 11, 16)));
        assert_eq!(cov.due, Some(d(2026, 12, 8)));
        assert_eq!(cov.alert, Some(d(2026, 12, 1)));
        assert_eq!(cov.status, ClockStatus::Open);
        // Business days left from Fri Nov 20 to Tue Dec 8: 23, 24, 25, 27, 30, 1, 2, 3, 4,
        // 7, 8 = 11.
        assert_eq!(cov.business_days_left, Some(11));
        // Without all items received, the TX clock has not started (and the default's
        // received-based one does not apply).
        let c = claim("TX", "property", "2026-11-02T09:00:00-06:00", "");
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 11, 20));
        assert_eq!(
            find(&cs, "coverage_decision").status,
            ClockStatus::NotStarted
        );
    }

    #[test]
    fn california_acknowledgment_counts_calendar_days() {
        // CA: 15 calendar days from receipt. Fri 2026-11-20 + 15 = Sat 2026-12-05, which
        // stays a Saturday (no roll forward). Alert day 10 = Mon 2026-11-30.
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim("CA", "personal_auto", "2026-11-20T10:00:00-06:00", "");
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 11, 20));
        let ack = find(&cs, "acknowledgment");
        assert_eq!(ack.due, Some(d(2026, 12, 5)));
        assert_eq!(ack.alert, Some(d(2026, 11, 30)));
        assert_eq!(ack.rule_source, "Cal. Code Regs. tit. 10, §2695.5(e)(1)");
    }

    #[test]
    fn florida_rules_apply_to_property_only() {
        let rules = sample_rules();
        let cal = sample_calendar();
        let prop = claim("FL", "property", "2026-11-20T10:00:00-06:00", "");
        let auto = claim("FL", "personal_auto", "2026-11-20T10:00:00-06:00", "");
        let cx = ctx(&rules, &cal);
        // Property: 7 calendar days, Nov 20 + 7 = Nov 27.
        let p = clocks(&prop, &cx, d(2026, 11, 20));
        assert_eq!(find(&p, "acknowledgment").due, Some(d(2026, 11, 27)));
        // Auto: the office default (10 business days, Dec 7, as in the Thanksgiving test).
        let a = clocks(&auto, &cx, d(2026, 11, 20));
        assert_eq!(find(&a, "acknowledgment").due, Some(d(2026, 12, 7)));
        assert_eq!(find(&a, "acknowledgment").rule_source, "Office standard");
    }

    #[test]
    fn line_specific_state_rule_beats_an_all_lines_one() {
        let mut wc = rule(
            "acknowledgment",
            ClockEvent::Received,
            ClockEvent::Acknowledged,
            3,
            2,
        );
        wc.lob = vec![LineOfBusiness::WorkersComp];
        wc.source = Some("WC rule".into());
        let mut all = rule(
            "acknowledgment",
            ClockEvent::Received,
            ClockEvent::Acknowledged,
            5,
            4,
        );
        all.source = Some("All lines".into());
        let rules = SlaRules {
            defaults: vec![rule(
                "acknowledgment",
                ClockEvent::Received,
                ClockEvent::Acknowledged,
                10,
                7,
            )],
            states: vec![StateRules {
                state: "NJ".into(),
                rules: vec![all, wc],
            }],
        };
        let got = rules_for(&rules, "NJ", LineOfBusiness::WorkersComp);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rule.source.as_deref(), Some("WC rule"));
        let got = rules_for(&rules, "nj", LineOfBusiness::Property);
        assert_eq!(got[0].rule.source.as_deref(), Some("All lines"));
        let got = rules_for(&rules, "IL", LineOfBusiness::Property);
        assert_eq!(got[0].rule.due, 10);
        assert_eq!(got[0].state, None);
    }

    #[test]
    fn status_at_several_dates() {
        // Acknowledgment received Fri 2026-11-20: due Mon Dec 7, alert Wed Dec 2 (see the
        // Thanksgiving test).
        let rules = sample_rules();
        let cal = sample_calendar();
        let cx = ctx(&rules, &cal);
        let c = claim("IL", "property", "2026-11-20T10:00:00-06:00", "");
        let at = |as_of: NaiveDate| find(&clocks(&c, &cx, as_of), "acknowledgment").clone();
        // Mon Nov 30: open; business days left = Dec 1, 2, 3, 4, 7 = 5.
        let a = at(d(2026, 11, 30));
        assert_eq!(
            (a.status, a.business_days_left),
            (ClockStatus::Open, Some(5))
        );
        // Tue Dec 1, the day before the alert: still open, 4 left.
        assert_eq!(at(d(2026, 12, 1)).status, ClockStatus::Open);
        // Wed Dec 2 (alert day): at risk, 3 left (3, 4, 7).
        let a = at(d(2026, 12, 2));
        assert_eq!(
            (a.status, a.business_days_left),
            (ClockStatus::AtRisk, Some(3))
        );
        // Mon Dec 7 (due day): at risk, 0 left.
        let a = at(d(2026, 12, 7));
        assert_eq!(
            (a.status, a.business_days_left),
            (ClockStatus::AtRisk, Some(0))
        );
        // Tue Dec 8: breached, 1 business day overdue.
        let a = at(d(2026, 12, 8));
        assert_eq!(
            (a.status, a.business_days_left),
            (ClockStatus::Breached, Some(-1))
        );
        // Sat Dec 12: breached, overdue by Dec 8, 9, 10, 11 = 4.
        assert_eq!(at(d(2026, 12, 12)).business_days_left, Some(-4));

        // Acknowledged on the due day: met, whatever the as-of date.
        let met = claim(
            "IL",
            "property",
            "2026-11-20T10:00:00-06:00",
            "sla:\n  acknowledged_at: 2026-12-07T16:59:00-06:00\n",
        );
        for as_of in [d(2026, 12, 7), d(2027, 3, 1)] {
            let a = find(&clocks(&met, &cx, as_of), "acknowledgment").clone();
            assert_eq!((a.status, a.done), (ClockStatus::Met, Some(d(2026, 12, 7))));
            assert_eq!(a.business_days_left, Some(0));
        }
        // Acknowledged the day after: breached, one day late.
        let late = claim(
            "IL",
            "property",
            "2026-11-20T10:00:00-06:00",
            "sla:\n  acknowledged_at: 2026-12-08T08:00:00-06:00\n",
        );
        let a = find(&clocks(&late, &cx, d(2026, 12, 20)), "acknowledgment").clone();
        assert_eq!(
            (a.status, a.business_days_left),
            (ClockStatus::Breached, Some(-1))
        );
    }

    #[test]
    fn events_after_the_as_of_date_have_not_happened_yet() {
        // Acknowledged Dec 8 (a day late). As of Dec 3 the clock was still running (at risk,
        // alert Dec 2); as of Dec 8 it is breached and stopped.
        let rules = sample_rules();
        let cal = sample_calendar();
        let cx = ctx(&rules, &cal);
        let c = claim(
            "IL",
            "property",
            "2026-11-20T10:00:00-06:00",
            "sla:\n  acknowledged_at: 2026-12-08T08:00:00-06:00\n",
        );
        let a = find(&clocks(&c, &cx, d(2026, 12, 3)), "acknowledgment").clone();
        assert_eq!((a.status, a.done), (ClockStatus::AtRisk, None));
        let a = find(&clocks(&c, &cx, d(2026, 12, 8)), "acknowledgment").clone();
        assert_eq!(
            (a.status, a.done),
            (ClockStatus::Breached, Some(d(2026, 12, 8)))
        );
        // Before receipt nothing has started.
        let a = find(&clocks(&c, &cx, d(2026, 11, 19)), "acknowledgment").clone();
        assert_eq!(a.status, ClockStatus::NotStarted);
    }

    #[test]
    fn one_clock_per_inquiry() {
        // Inquiry 1 received Mon 2026-11-09, answered Wed Nov 11: due 10 business days later
        // (10, 11 Veterans Day closed, 12, 13, 16, 17, 18, 19, 20, 23, 24 = Tue Nov 24).
        // Inquiry 2 received Fri Nov 20, open: due Mon Dec 7.
        let rules = sample_rules();
        let cal = sample_calendar();
        let c = claim(
            "IL",
            "property",
            "2026-11-02T09:00:00-06:00",
            "sla:\n  inquiries:\n    - received_at: 2026-11-09T09:30:00-06:00\n      from: A\n      subject: S\n      answered_at: 2026-11-11T14:00:00-06:00\n    - received_at: 2026-11-20T09:30:00-06:00\n      from: B\n      subject: T\n",
        );
        let cs = clocks(&c, &ctx(&rules, &cal), d(2026, 11, 20));
        let one = find(&cs, "inquiry#1");
        assert_eq!(one.due, Some(d(2026, 11, 24)));
        assert_eq!(one.status, ClockStatus::Met);
        let two = find(&cs, "inquiry#2");
        assert_eq!(two.due, Some(d(2026, 12, 7)));
        assert_eq!(two.status, ClockStatus::Open);
    }

    #[test]
    fn assignment_clock_by_priority() {
        let rules = sample_rules();
        let cal = sample_calendar();
        let within = AssignWithin {
            critical_hours: 2,
            high_business_days: 0,
            standard_business_days: 1,
            low_business_days: 2,
        };
        let mut cx = ctx(&rules, &cal);
        cx.assign_within = Some(&within);
        let triage = |p: &str| {
            format!("triage:\n  at: 2026-11-20T10:00:00-06:00\n  by: a@b.c\n  coverage: confirmed\n  priority: {p}\n")
        };
        // Standard, received Fri Nov 20: due next business day, Mon Nov 23.
        let c = claim(
            "IL",
            "property",
            "2026-11-20T10:00:00-06:00",
            &triage("standard"),
        );
        let a = find(&clocks(&c, &cx, d(2026, 11, 20)), "assignment").clone();
        assert_eq!(
            (a.due, a.status),
            (Some(d(2026, 11, 23)), ClockStatus::Open)
        );
        // High, received Sat Nov 21: same business day = Mon Nov 23.
        let c = claim(
            "IL",
            "property",
            "2026-11-21T10:00:00-06:00",
            &triage("high"),
        );
        let a = find(&clocks(&c, &cx, d(2026, 11, 21)), "assignment").clone();
        assert_eq!(a.due, Some(d(2026, 11, 23)));
        // Low, received Wed Nov 25: Thu 26 Thanksgiving, Fri 27 (1), Mon 30 (2). Unassigned
        // on Mon Nov 30 it is at risk (due today); on Tue Dec 1, breached.
        let c = claim(
            "IL",
            "property",
            "2026-11-25T10:00:00-06:00",
            &triage("low"),
        );
        let a = find(&clocks(&c, &cx, d(2026, 11, 30)), "assignment").clone();
        assert_eq!(
            (a.due, a.status),
            (Some(d(2026, 11, 30)), ClockStatus::AtRisk)
        );
        let a = find(&clocks(&c, &cx, d(2026, 12, 1)), "assignment").clone();
        assert_eq!(a.status, ClockStatus::Breached);
        // Critical, received 10:00, assigned 13:00 the same day: breached by the hour.
        let c = claim(
            "IL",
            "property",
            "2026-11-20T10:00:00-06:00",
            &format!("{}assignment:\n  destination: in_house\n  at: 2026-11-20T13:00:00-06:00\n  by: a@b.c\n", triage("critical")),
        );
        let a = find(&clocks(&c, &cx, d(2026, 11, 20)), "assignment").clone();
        assert_eq!(
            (a.due, a.status),
            (Some(d(2026, 11, 20)), ClockStatus::Breached)
        );
    }

    #[test]
    fn closed_claims_keep_only_history() {
        let rules = sample_rules();
        let cal = sample_calendar();
        let cx = ctx(&rules, &cal);
        // Closed on Nov 23, never acknowledged: acknowledgment (due Dec 7) not reported.
        let mut c = claim(
            "IL",
            "property",
            "2026-11-20T10:00:00-06:00",
            "history:\n  - at: 2026-11-23T10:00:00-06:00\n    by: a@b.c\n    event: close\n    status: closed\n",
        );
        c.status = crate::domain::lifecycle::Status::Closed;
        let cs = clocks(&c, &cx, d(2027, 2, 1));
        assert!(cs.iter().all(|c| c.clock != "acknowledgment"), "{cs:#?}");
        // Closed on Dec 10, never acknowledged: breached history.
        c.history[0].at = "2026-12-10T10:00:00-06:00".parse().unwrap();
        let cs = clocks(&c, &cx, d(2027, 2, 1));
        assert_eq!(find(&cs, "acknowledgment").status, ClockStatus::Breached);
    }
}
