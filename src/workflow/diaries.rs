//! Diaries: the follow-ups a handler sets on a claim and works off.
//!
//! - `claims diary add ID --what TEXT (--on DATE | --in DAYS) [--every DAYS] [--owner EMAIL]`
//! - `claims diary done ID N [--note TEXT]`: the N-th entry (as `claims show` numbers them)
//!   is done; a repeating one is set again `--every` days after today.

use chrono::{Duration, NaiveDate};

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim::DiaryEntry;
use crate::domain::claim_id::ClaimId;
use crate::error::{Error, Result};

/// When a diary entry is due: a date, or some days from the day it is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    On(NaiveDate),
    In(u32),
}

/// `claims diary add`.
#[derive(Clone, Debug, PartialEq)]
pub struct SetDiary {
    pub id: ClaimId,
    pub what: String,
    pub due: Due,
    pub every_days: Option<u32>,
    pub owner: Option<String>,
}

/// The longest a follow-up may be put off or repeat: a diary is for weeks, not decades.
const MAX_DAYS: u32 = 366;

impl SetDiary {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).flag("what", &self.what);
        match &self.due {
            Due::On(d) => r.flag("on", d.to_string()),
            Due::In(n) => r.flag("in", n.to_string()),
        };
        r.opt("every", &self.every_days.map(|n| n.to_string()))
            .opt("owner", &self.owner);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<SetDiary, String> {
        let id = super::claim_id(r)?;
        let what = r.required("what")?;
        let on = super::date(r.optional("on")?, "on")?;
        let days = |s: Option<String>, flag: &str| {
            s.map(|s| {
                s.parse::<u32>()
                    .map_err(|_| format!("--{flag} `{s}` is not a number of days"))
            })
            .transpose()
        };
        let within = days(r.optional("in")?, "in")?;
        let due = match (on, within) {
            (Some(d), None) => Due::On(d),
            (None, Some(n)) => Due::In(n),
            _ => return Err("give --on DATE or --in DAYS".into()),
        };
        Ok(SetDiary {
            id,
            what,
            due,
            every_days: days(r.optional("every")?, "every")?,
            owner: r.optional("owner")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let what = self.what.trim().to_string();
        if what.is_empty() {
            return Err(Error::refused("--what must say what to follow up"));
        }
        for n in [
            self.every_days,
            match self.due {
                Due::In(n) => Some(n),
                Due::On(_) => None,
            },
        ]
        .into_iter()
        .flatten()
        {
            if n == 0 || n > MAX_DAYS {
                return Err(Error::refused(format!(
                    "{n} days: a diary is set 1 to {MAX_DAYS} days ahead"
                )));
            }
        }
        let today = desk.today();
        let due = match self.due {
            Due::On(d) if d < today => {
                return Err(Error::refused(format!(
                    "--on {d} is in the past (today is {today})"
                )))
            }
            Due::On(d) => d,
            Due::In(n) => today + Duration::days(n as i64),
        };
        if let Some(o) = &self.owner {
            if desk.office.person(o).is_none_or(|p| !p.active) {
                return Err(Error::refused(format!(
                    "--owner {o} is not an active person in authority.yaml"
                )));
            }
        }
        desk.edit(&self.id, |claim| {
            if claim.status.is_final() {
                return Err(Error::refused(format!(
                    "{} is {}: a closed file has no follow-ups (reopen it first)",
                    claim.id, claim.status
                )));
            }
            let owner = self
                .owner
                .clone()
                .or_else(|| claim.adjuster().map(str::to_string))
                .unwrap_or_else(|| desk.actor.email.clone());
            claim.diary.push(DiaryEntry {
                what: what.clone(),
                due,
                every_days: self.every_days,
                owner: owner.clone(),
                set_by: desk.actor.email.clone(),
                set_at: desk.now,
                done_at: None,
                done_by: None,
                done_note: None,
            });
            let repeat = self
                .every_days
                .map(|n| format!(", then every {n} days"))
                .unwrap_or_default();
            Ok(Edit::new(format!(
                "diary {}: {what} by {due}{repeat} ({owner})",
                claim.id
            )))
        })
    }
}

/// `claims diary done`.
#[derive(Clone, Debug, PartialEq)]
pub struct DiaryDone {
    pub id: ClaimId,
    /// 1-based, in the claim's diary order.
    pub entry: usize,
    pub note: Option<String>,
}

impl DiaryDone {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .positional(self.entry.to_string())
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<DiaryDone, String> {
        let id = super::claim_id(r)?;
        let n = r.positional("entry")?;
        Ok(DiaryDone {
            id,
            entry: n
                .parse()
                .map_err(|_| format!("`{n}` is not a diary entry number"))?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let note = super::given(&self.note);
        desk.edit(&self.id, |claim| {
            let count = claim.diary.len();
            let entry = self
                .entry
                .checked_sub(1)
                .and_then(|i| claim.diary.get_mut(i))
                .ok_or_else(|| {
                    Error::refused(format!(
                        "{} has no diary entry {} (it has {count}; `claims show {}` lists them)",
                        self.id, self.entry, self.id
                    ))
                })?;
            if let Some(at) = entry.done_at {
                return Err(Error::refused(format!(
                    "diary entry {} of {} was done already, on {}",
                    self.entry,
                    self.id,
                    at.with_timezone(&desk.tz).date_naive()
                )));
            }
            entry.done_at = Some(desk.now);
            entry.done_by = Some(desk.actor.email.clone());
            entry.done_note = note.clone();
            let what = entry.what.clone();
            let next = entry.every_days.map(|n| DiaryEntry {
                due: desk.today() + Duration::days(n as i64),
                set_by: desk.actor.email.clone(),
                set_at: desk.now,
                done_at: None,
                done_by: None,
                done_note: None,
                ..entry.clone()
            });
            let mut subject = format!("diary done {}: {what}", claim.id);
            if let Some(n) = next {
                subject.push_str(&format!(" (next by {})", n.due));
                claim.diary.push(n);
            }
            Ok(Edit::new(subject))
        })
    }
}

/// The diary entries due by `as_of` (inclusive) that nobody has done.
pub fn due_by(
    diary: &[DiaryEntry],
    as_of: NaiveDate,
) -> impl Iterator<Item = (usize, &DiaryEntry)> {
    diary
        .iter()
        .enumerate()
        .filter(move |(_, e)| e.is_open() && e.due <= as_of)
        .map(|(i, e)| (i + 1, e))
}
