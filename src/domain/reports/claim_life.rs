//! A claim's life as the reports count it: its spells from notice (or a reopening) to a
//! closing, read from the status history the record carries.

use chrono::NaiveDate;

use super::{day, Reopened};
use crate::domain::claim::{ApprovalState, Claim, Timestamp};
use crate::domain::lifecycle::Status;

/// How a spell ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closing {
    pub at: Timestamp,
    pub on: NaiveDate,
    /// A payment took effect on the claim by then.
    pub with_payment: bool,
    /// The last payment that took effect by then.
    pub last_payment: Option<NaiveDate>,
    /// Closed by a denial (rather than `claims close`).
    pub denied: bool,
}

/// From notice (or a reopening) to a closing, or to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spell {
    pub opened_at: Timestamp,
    pub opened: NaiveDate,
    pub closing: Option<Closing>,
}

impl Spell {
    /// Open at the end of `d`.
    pub fn open_on(&self, d: NaiveDate) -> bool {
        self.opened <= d && self.closing.is_none_or(|c| c.on > d)
    }

    /// Closed on or before `d`.
    pub fn closed_by(&self, d: NaiveDate) -> Option<Closing> {
        self.closing.filter(|c| c.on <= d)
    }
}

fn is_closed(s: Status) -> bool {
    matches!(s, Status::Closed | Status::Denied)
}

fn closing(c: &Claim, at: Timestamp, denied: bool, tz: chrono_tz::Tz) -> Closing {
    let paid: Vec<Timestamp> = c
        .payments
        .iter()
        .filter(|p| p.state == ApprovalState::Effective && p.at <= at)
        .map(|p| p.at)
        .collect();
    Closing {
        at,
        on: day(at, tz),
        with_payment: !paid.is_empty(),
        last_payment: paid.iter().max().map(|t| day(*t, tz)),
        denied,
    }
}

/// The claim's spells, oldest first; none for a notice merged into another claim.
pub fn spells(c: &Claim, tz: chrono_tz::Tz, reopened: Reopened) -> Vec<Spell> {
    if c.status == Status::Merged || c.merged_into.is_some() {
        return Vec::new();
    }
    let open = |at: Timestamp| Spell {
        opened_at: at,
        opened: day(at, tz),
        closing: None,
    };
    let mut spells = vec![open(c.received_at)];
    let mut closed = false;
    for e in &c.history {
        let now_closed = is_closed(e.status);
        if now_closed && !closed {
            let last = spells.last_mut().expect("a spell");
            last.closing = Some(closing(c, e.at, e.status == Status::Denied, tz));
        } else if closed && !now_closed {
            spells.push(open(e.at));
        }
        closed = now_closed;
    }
    // A record whose history does not end on its status (written by hand): its status wins.
    if !is_closed(c.status) {
        if let Some(last) = spells.last_mut() {
            last.closing = None;
        }
    }
    match reopened {
        Reopened::NewClaim => spells,
        Reopened::SameClaim => {
            let last = spells.last().and_then(|s| s.closing);
            vec![Spell {
                closing: last,
                ..open(c.received_at)
            }]
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::claim::Event;

    pub fn at(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    pub fn event(c: &mut Claim, when: &str, status: Status) {
        c.history.push(Event {
            at: at(when),
            by: "lpark@harborpoint.example".into(),
            event: "step".into(),
            status,
        });
        c.status = status;
    }

    pub fn claim(received: &str) -> Claim {
        let mut c: Claim = serde_yaml::from_str(include_str!(
            "../../../claims/2026/11/CLM-2611-YFNF-X1DT.yaml"
        ))
        .expect("the sample claim parses");
        c.received_at = at(received);
        c.history.clear();
        c.payments.clear();
        c.reserves.clear();
        c.closure = None;
        c.reopenings.clear();
        c.status = Status::Reported;
        c
    }

    #[test]
    fn a_reopened_claim_has_two_spells_or_one() {
        let tz = chrono_tz::America::Chicago;
        let mut c = claim("2026-01-30T23:30:00-06:00");
        event(&mut c, "2026-01-30T23:30:00-06:00", Status::Reported);
        event(&mut c, "2026-03-02T09:00:00-06:00", Status::Closed);
        event(&mut c, "2026-04-01T09:00:00-05:00", Status::Investigating);
        event(&mut c, "2026-05-01T09:00:00-05:00", Status::Closed);
        let s = spells(&c, tz, Reopened::NewClaim);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].opened, NaiveDate::from_ymd_opt(2026, 1, 30).unwrap());
        assert_eq!(
            s[0].closing.unwrap().on,
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        assert_eq!(s[1].opened, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
        let one = spells(&c, tz, Reopened::SameClaim);
        assert_eq!(one.len(), 1);
        assert_eq!(
            one[0].closing.unwrap().on,
            NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
        );
        assert!(!one[0].open_on(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()));
        assert!(one[0].open_on(NaiveDate::from_ymd_opt(2026, 4, 30).unwrap()));
    }

    #[test]
    fn a_merged_notice_is_no_claim_of_its_own() {
        let mut c = claim("2026-01-30T10:00:00-06:00");
        event(&mut c, "2026-01-31T10:00:00-06:00", Status::Merged);
        assert!(spells(&c, chrono_tz::America::Chicago, Reopened::NewClaim).is_empty());
    }
}
