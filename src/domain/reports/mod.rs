//! Claims analytics and regulatory reports, computed from the claim records alone (every
//! record carries its own dated events, and `claims audit` proves each date is its commit's)
//! plus, for the figures only the history has (touches, error trends), counts the store reads
//! from it. Pure: the callers read the files and the history.
//!
//! The definitions every report shares:
//! - Days are calendar days between local dates in the office's time zone.
//! - A claim's life is one or more *spells*: from notice (or a reopening) to a closing
//!   (closed, or denied). How a reopened claim counts is the office's choice
//!   (`reporting.reopened`): `new_claim` (each reopening opens a new claim, as the NAIC's
//!   market-conduct statistics count them) or `same_claim` (one claim from notice to its last
//!   closing; a closing a reopening undid is no closing).
//! - A notice merged into another claim is the same loss: it is counted once, under the claim
//!   it was merged into, and never on its own.
//! - A closing is *with payment* when any payment took effect on the claim by then.

pub mod claim_activity;
pub mod claim_life;
pub mod closing;
pub mod cycle_times;
pub mod error_trends;
pub mod inventory;
pub mod loss_triangles;
pub mod over_time;
pub mod reserve_development;
pub mod sheet;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::claim::{Claim, Timestamp};

pub use sheet::{Sheet, Value};

/// A report adding up claims one at a time, so an office of any size is read file by file
/// and never held whole.
pub trait Tally {
    fn add(&mut self, c: &Claim);
    fn finish(self) -> Sheet;

    /// The report over `claims`.
    fn over<'c>(mut self, claims: impl IntoIterator<Item = &'c Claim>) -> Sheet
    where
        Self: Sized,
    {
        for c in claims {
            self.add(c);
        }
        self.finish()
    }
}

/// What every report is computed with.
#[derive(Clone, Debug)]
pub struct Scope {
    pub settings: ReportingSettings,
    pub tz: chrono_tz::Tz,
    /// The report's date: every step after it has not happened yet.
    pub as_of: NaiveDate,
    /// The period counted (opened, closed, reported, changed in it).
    pub period: Period,
    pub by: Vec<By>,
}

/// How a reopened claim counts (`reporting.reopened`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reopened {
    /// Each reopening opens a new claim, closed at the next closing.
    #[default]
    NewClaim,
    /// One claim from its notice to its last closing.
    SameClaim,
}

/// What one claim counts as (`reporting.count`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// One claim, one count.
    #[default]
    PerClaim,
    /// One count for each person making a claim on it: the insured on a first-party claim,
    /// each injured person and the liability claimant, the injured employee.
    PerClaimant,
}

/// How often a loss triangle is valued (`reporting.triangle_valuation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Valuation {
    Month,
    #[default]
    Quarter,
    Year,
}

/// The office's reporting choices (`reporting:` in authority.yaml); every field has the
/// default written beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReportingSettings {
    /// Upper bounds (days) of the age bands of open claims: [30, 60, 90, 180, 365] gives
    /// 0–30, 31–60, 61–90, 91–180, 181–365 and over 365.
    pub aging_days: Vec<u32>,
    /// Upper bounds (days, notice to closing) of the "closed within" bands of the annual
    /// claims activity; the same default.
    pub closed_within_days: Vec<u32>,
    pub reopened: Reopened,
    pub count: Counting,
    /// Tasks whose completion is the first contact with the insured or claimant (besides the
    /// acknowledgment).
    pub first_contact_tasks: Vec<String>,
    /// Stair-stepping: this many reserve increases in a row with no new information between
    /// them (default 3).
    pub stair_steps: u32,
    /// An increase of more than this percent (default 50)...
    pub jump_percent: u32,
    /// ...over the reserve this many days before (default 30).
    pub jump_days: u32,
    pub triangle_valuation: Valuation,
}

impl Default for ReportingSettings {
    fn default() -> Self {
        ReportingSettings {
            aging_days: vec![30, 60, 90, 180, 365],
            closed_within_days: vec![30, 60, 90, 180, 365],
            reopened: Reopened::default(),
            count: Counting::default(),
            first_contact_tasks: [
                "Insured contacted",
                "Claimant contacted",
                "Employer contacted",
                "Injured employee contacted",
            ]
            .map(String::from)
            .to_vec(),
            stair_steps: 3,
            jump_percent: 50,
            jump_days: 30,
            triangle_valuation: Valuation::default(),
        }
    }
}

impl ReportingSettings {
    /// What is wrong with these settings, each naming its field.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (field, bounds) in [
            ("aging_days", &self.aging_days),
            ("closed_within_days", &self.closed_within_days),
        ] {
            if bounds.is_empty() || bounds.windows(2).any(|w| w[0] >= w[1]) {
                out.push(format!(
                    "reporting.{field} must list day counts in increasing order, e.g. [30, 60, 90]"
                ));
            }
        }
        if self.stair_steps < 2 {
            out.push("reporting.stair_steps must be at least 2".into());
        }
        if self.jump_percent == 0 {
            out.push("reporting.jump_percent must be more than 0".into());
        }
        if self.jump_days == 0 {
            out.push("reporting.jump_days must be at least 1".into());
        }
        out
    }
}

/// The names of the bands `bounds` cut days into: `0–30`, `31–60`, ..., `over 365`.
pub fn band_names(bounds: &[u32]) -> Vec<String> {
    let mut names = Vec::with_capacity(bounds.len() + 1);
    let mut low = 0;
    for b in bounds {
        names.push(format!("{low}-{b}"));
        low = b + 1;
    }
    names.push(format!("over {}", bounds.last().copied().unwrap_or(0)));
    names
}

/// The band (index into [`band_names`]) a number of days falls in.
pub fn band_of(bounds: &[u32], days: i64) -> usize {
    bounds
        .iter()
        .position(|b| days <= i64::from(*b))
        .unwrap_or(bounds.len())
}

/// A report's dates, inclusive at both ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// A calendar year.
    pub fn year(y: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(y, 1, 1)?,
            to: NaiveDate::from_ymd_opt(y, 12, 31)?,
        })
    }

    /// The months the period touches: (first day, last day) of each.
    pub fn months(&self) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out = Vec::new();
        let mut first = self.from.with_day(1).expect("day 1");
        while first <= self.to {
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .expect("a later month");
            out.push((first, next.pred_opt().expect("a day before")));
            first = next;
        }
        out
    }
}

/// What the rows of a report are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum By {
    Line,
    State,
    Adjuster,
}

impl By {
    pub fn header(self) -> &'static str {
        match self {
            By::Line => "line",
            By::State => "state",
            By::Adjuster => "adjuster",
        }
    }

    pub fn key(self, c: &Claim) -> String {
        match self {
            By::Line => c.lob.as_str().to_string(),
            By::State => c.jurisdiction.clone(),
            By::Adjuster => c.handled_by().unwrap_or("(unassigned)").to_string(),
        }
    }
}

/// A claim's group: one key per `by`, in order (no keys: one group for all).
pub fn group_of(c: &Claim, by: &[By]) -> Vec<String> {
    by.iter().map(|b| b.key(c)).collect()
}

/// The local date of a time in the office's zone.
pub fn day(t: Timestamp, tz: chrono_tz::Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// Days from one date to another.
pub fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The median of some day counts (the mean of the middle two for an even count).
pub fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    })
}

pub fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() as f64 / values.len() as f64)
}

/// How many the claim counts as under `counting`.
pub fn count_of(c: &Claim, counting: Counting) -> u64 {
    match counting {
        Counting::PerClaim => 1,
        Counting::PerClaimant => claimants(c).max(1),
    }
}

/// The people making a claim on it: the insured on a first-party loss (auto physical damage,
/// property) and each injured person on an auto claim, the liability claimant, the injured
/// employee.
pub fn claimants(c: &Claim) -> u64 {
    use super::claim::LineOfBusiness as L;
    match c.lob {
        L::PersonalAuto | L::CommercialAuto => {
            1 + c.auto.as_ref().map_or(0, |a| a.injured.len() as u64)
        }
        L::Property => 1,
        L::GeneralLiability | L::ProfessionalLiability | L::WorkersComp => 1,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The default settings in Chicago, the year of `as_of` up to it.
    pub fn scope(as_of: NaiveDate) -> Scope {
        Scope {
            settings: ReportingSettings::default(),
            tz: chrono_tz::America::Chicago,
            as_of,
            period: Period {
                from: NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap(),
                to: as_of,
            },
            by: Vec::new(),
        }
    }

    #[test]
    fn bands_cut_days_at_their_upper_bounds() {
        let b = [30, 60, 90, 180, 365];
        assert_eq!(
            band_names(&b),
            ["0-30", "31-60", "61-90", "91-180", "181-365", "over 365"]
        );
        assert_eq!(band_of(&b, 0), 0);
        assert_eq!(band_of(&b, 30), 0);
        assert_eq!(band_of(&b, 31), 1);
        assert_eq!(band_of(&b, 365), 4);
        assert_eq!(band_of(&b, 366), 5);
    }

    #[test]
    fn medians_and_means() {
        assert_eq!(median(&[5, 1, 3]), Some(3.0));
        assert_eq!(median(&[4, 1, 3, 10]), Some(3.5));
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&[1, 2]), Some(1.5));
    }

    #[test]
    fn months_of_a_period_cross_the_year_end() {
        let p = Period {
            from: NaiveDate::from_ymd_opt(2025, 11, 15).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        };
        let m = p.months();
        assert_eq!(m.len(), 3);
        assert_eq!(m[1].1, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        assert_eq!(m[2].0, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    }

    #[test]
    fn settings_refuse_bands_out_of_order() {
        let s = ReportingSettings {
            aging_days: vec![60, 30],
            ..Default::default()
        };
        assert_eq!(s.problems().len(), 1);
        assert!(ReportingSettings::default().problems().is_empty());
    }
}
