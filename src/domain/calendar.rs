//! Business days for claim deadlines: weekends, US federal holidays (as observed, via
//! `bdays::calendars::us::USSettlement`) and the office's own closures.
//!
//! Deadline clocks run for every open claim in a report, so [`BusinessCalendar`] precomputes
//! a bitset of business days and a running count over [`CACHE_FIRST_YEAR`]..=
//! [`CACHE_LAST_YEAR`]; dates outside that range are computed day by day (same answers,
//! slower).

use std::fmt;

use bdays::calendars::us::USSettlement;
use bdays::HolidayCalendar;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// First year held in the precomputed cache.
pub const CACHE_FIRST_YEAR: i32 = 2000;
/// Last year held in the precomputed cache.
pub const CACHE_LAST_YEAR: i32 = 2040;

/// The office's holiday settings, as written in `authority.yaml`.
///
/// ```yaml
/// federal_holidays: true      # optional, default true
/// closures: [2026-11-27, 2026-12-24]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    /// Close on US federal holidays, shifted to the observed day (Saturday to the Friday
    /// before, Sunday to the Monday after), Juneteenth from 2021.
    #[serde(default = "default_true")]
    pub federal_holidays: bool,
    /// Extra days the office is closed (any weekday; weekends are always closed).
    #[serde(default)]
    pub closures: Vec<NaiveDate>,
}

fn default_true() -> bool {
    true
}

impl Default for CalendarConfig {
    /// Federal holidays, no extra closures.
    fn default() -> Self {
        CalendarConfig {
            federal_holidays: true,
            closures: Vec::new(),
        }
    }
}

/// Answers business-day questions for one office. Business days are Monday to Friday,
/// except federal holidays (if enabled) and the configured closures.
#[derive(Clone)]
pub struct BusinessCalendar {
    config: CalendarConfig,
    /// Sorted, deduplicated closures.
    closures: Vec<NaiveDate>,
    /// First day of the cache.
    first: NaiveDate,
    /// Last day of the cache.
    last: NaiveDate,
    /// Bit `i` set when `first + i` is a business day.
    bits: Vec<u64>,
    /// `counts[i]` = business days in `[first, first + i]`.
    counts: Vec<u32>,
}

impl fmt::Debug for BusinessCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BusinessCalendar")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Default for BusinessCalendar {
    /// Federal holidays, no extra closures.
    fn default() -> Self {
        BusinessCalendar::new(CalendarConfig::default())
    }
}

impl BusinessCalendar {
    /// Builds the calendar and its cache (about 15,000 days; well under a millisecond's
    /// worth of work per year).
    pub fn new(config: CalendarConfig) -> BusinessCalendar {
        let mut closures = config.closures.clone();
        closures.sort_unstable();
        closures.dedup();
        let first = ymd(CACHE_FIRST_YEAR, 1, 1);
        let last = ymd(CACHE_LAST_YEAR, 12, 31);
        let mut calendar = BusinessCalendar {
            config,
            closures,
            first,
            last,
            bits: Vec::new(),
            counts: Vec::new(),
        };
        let len = (last - first).num_days() as usize + 1;
        let mut bits = vec![0u64; len.div_ceil(64)];
        let mut counts = Vec::with_capacity(len);
        let mut running = 0u32;
        for (i, day) in first.iter_days().take(len).enumerate() {
            if calendar.compute_is_business_day(day) {
                bits[i / 64] |= 1 << (i % 64);
                running += 1;
            }
            counts.push(running);
        }
        calendar.bits = bits;
        calendar.counts = counts;
        calendar
    }

    /// The settings this calendar was built from.
    pub fn config(&self) -> &CalendarConfig {
        &self.config
    }

    /// Monday to Friday, not a federal holiday (if enabled), not an office closure.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        match self.index(date) {
            Some(i) => self.bits[i / 64] & (1 << (i % 64)) != 0,
            None => self.compute_is_business_day(date),
        }
    }

    /// The `n`th business day after `start` (`start` itself is not counted: Friday + 1 is the
    /// next business Monday). `n = 0` returns `start` unchanged. Saturates at the last date
    /// chrono can represent.
    pub fn add_business_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return start;
        }
        let (mut date, mut remaining) = (start, n);
        if let Some(i) = self.index(start) {
            let target = self.counts[i] as u64 + n as u64;
            let tail = &self.counts[i + 1..];
            let j = tail.partition_point(|&c| (c as u64) < target);
            if j < tail.len() {
                return self.first + Days::new((i + 1 + j) as u64);
            }
            // Runs past the cache: continue from its last day.
            remaining = (target - *self.counts.last().unwrap_or(&0) as u64) as u32;
            date = self.last;
        }
        while remaining > 0 {
            match date.succ_opt() {
                Some(next) => date = next,
                None => return date,
            }
            if self.is_business_day(date) {
                remaining -= 1;
            }
        }
        date
    }

    /// Business days in `(from, to]` when `to > from`; minus the business days in `(to, from]`
    /// when `to < from`; 0 when equal. So `business_days_between(d, add_business_days(d, n))`
    /// is `n`.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to >= from {
            self.count(from, to)
        } else {
            -self.count(to, from)
        }
    }

    /// `date` if it is a business day, otherwise the next one.
    pub fn next_business_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut date = date;
        while !self.is_business_day(date) {
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        date
    }

    /// `date` plus `n` calendar days (saturates at the last date chrono can represent). The
    /// result may fall on a weekend or holiday; combine with
    /// [`BusinessCalendar::next_business_day_on_or_after`] where a rule says so.
    pub fn add_calendar_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        date.checked_add_days(Days::new(n as u64))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Why a weekday is closed: the federal holiday's name (with "(observed)" when it is the
    /// shifted day) if federal holidays are enabled, or "Office closure". `None` for business
    /// days and for plain weekends.
    pub fn holiday_name(&self, date: NaiveDate) -> Option<&'static str> {
        if self.config.federal_holidays {
            if let Some(name) = federal_holiday_name(date) {
                return Some(name);
            }
        }
        if self.closures.binary_search(&date).is_ok() {
            return Some("Office closure");
        }
        None
    }

    fn index(&self, date: NaiveDate) -> Option<usize> {
        if date < self.first || date > self.last {
            None
        } else {
            Some((date - self.first).num_days() as usize)
        }
    }

    /// The uncached rule.
    fn compute_is_business_day(&self, date: NaiveDate) -> bool {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        if self.config.federal_holidays && USSettlement.is_holiday(date) {
            return false;
        }
        self.closures.binary_search(&date).is_err()
    }

    /// Business days in `(lo, hi]`, `lo <= hi`.
    fn count(&self, lo: NaiveDate, hi: NaiveDate) -> i64 {
        let mut total = 0i64;
        // Cached part: (max(lo, first - 1), min(hi, last)].
        let before_first = self.first.pred_opt().unwrap_or(self.first);
        let cached_lo = lo.max(before_first);
        let cached_hi = hi.min(self.last);
        if cached_lo < cached_hi {
            let running = |d: NaiveDate| self.index(d).map_or(0, |i| self.counts[i] as i64);
            total += running(cached_hi) - running(cached_lo);
        }
        // Before the cache: (lo, min(hi, first - 1)].
        total += self.count_slowly(lo, hi.min(before_first));
        // After the cache: (max(lo, last), hi].
        total += self.count_slowly(lo.max(self.last), hi);
        total
    }

    fn count_slowly(&self, lo: NaiveDate, hi: NaiveDate) -> i64 {
        let mut total = 0;
        let mut day = lo;
        while day < hi {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
            if self.is_business_day(day) {
                total += 1;
            }
        }
        total
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar constant")
}

/// The `nth` (1-based) `weekday` of a month, or the last one when `nth` is 0.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, nth: u8) -> NaiveDate {
    if nth == 0 {
        let next_month = if month == 12 {
            ymd(year + 1, 1, 1)
        } else {
            ymd(year, month + 1, 1)
        };
        let mut d = next_month.pred_opt().unwrap_or(next_month);
        while d.weekday() != weekday {
            d = d.pred_opt().unwrap_or(d);
        }
        d
    } else {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth)
            .expect("every month has a 4th weekday")
    }
}

/// The federal holidays of `year` (5 U.S.C. 6103) on their actual dates, with the name used
/// on the actual day and on the observed day.
fn federal_holidays_of(year: i32) -> Vec<(NaiveDate, &'static str, &'static str)> {
    use Weekday::{Mon, Thu};
    let mut days = vec![(
        ymd(year, 1, 1),
        "New Year's Day",
        "New Year's Day (observed)",
    )];
    if year >= 1986 {
        days.push((
            nth_weekday(year, 1, Mon, 3),
            "Birthday of Martin Luther King, Jr.",
            "Birthday of Martin Luther King, Jr.",
        ));
    }
    days.push((
        nth_weekday(year, 2, Mon, 3),
        "Washington's Birthday",
        "Washington's Birthday",
    ));
    days.push((nth_weekday(year, 5, Mon, 0), "Memorial Day", "Memorial Day"));
    if year >= 2021 {
        days.push((
            ymd(year, 6, 19),
            "Juneteenth National Independence Day",
            "Juneteenth National Independence Day (observed)",
        ));
    }
    days.push((
        ymd(year, 7, 4),
        "Independence Day",
        "Independence Day (observed)",
    ));
    days.push((nth_weekday(year, 9, Mon, 1), "Labor Day", "Labor Day"));
    days.push((
        nth_weekday(year, 10, Mon, 2),
        "Columbus Day",
        "Columbus Day",
    ));
    days.push((ymd(year, 11, 11), "Veterans Day", "Veterans Day (observed)"));
    days.push((
        nth_weekday(year, 11, Thu, 4),
        "Thanksgiving Day",
        "Thanksgiving Day",
    ));
    days.push((
        ymd(year, 12, 25),
        "Christmas Day",
        "Christmas Day (observed)",
    ));
    days
}

/// The federal holiday observed on `date`, if any. Written independently of `bdays` (the
/// tests check that the two agree on every day of the cache range).
fn federal_holiday_name(date: NaiveDate) -> Option<&'static str> {
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return None;
    }
    // Next year's New Year's Day can be observed on December 31.
    for year in [date.year(), date.year() + 1] {
        for (actual, name, observed_name) in federal_holidays_of(year) {
            let observed = match actual.weekday() {
                Weekday::Sat => actual.pred_opt()?,
                Weekday::Sun => actual.succ_opt()?,
                _ => actual,
            };
            if observed == date {
                return Some(if observed == actual {
                    name
                } else {
                    observed_name
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn federal() -> BusinessCalendar {
        BusinessCalendar::default()
    }

    #[test]
    fn friday_plus_one_is_monday() {
        let cal = federal();
        // Fri Nov 6 2026 + 1 = Mon Nov 9 2026 (Nov 7-8 weekend).
        assert_eq!(cal.add_business_days(d(2026, 11, 6), 1), d(2026, 11, 9));
        // Saturday + 1 = Monday as well; + 0 leaves the date alone.
        assert_eq!(cal.add_business_days(d(2026, 11, 7), 1), d(2026, 11, 9));
        assert_eq!(cal.add_business_days(d(2026, 11, 7), 0), d(2026, 11, 7));
    }

    #[test]
    fn thanksgiving_week_2026() {
        let cal = federal();
        // Nov 1 2026 is a Sunday, so the Thursdays are 5, 12, 19, 26: Thanksgiving = Nov 26.
        assert!(!cal.is_business_day(d(2026, 11, 26)));
        assert_eq!(cal.holiday_name(d(2026, 11, 26)), Some("Thanksgiving Day"));
        // The Friday after is not a federal holiday.
        assert!(cal.is_business_day(d(2026, 11, 27)));
        assert_eq!(cal.holiday_name(d(2026, 11, 27)), None);
        // Wed Nov 25 + 1 = Fri Nov 27.
        assert_eq!(cal.add_business_days(d(2026, 11, 25), 1), d(2026, 11, 27));
        assert_eq!(
            cal.next_business_day_on_or_after(d(2026, 11, 26)),
            d(2026, 11, 27)
        );
    }

    #[test]
    fn ten_business_days_across_thanksgiving() {
        // From Mon Nov 16 2026: Tue 17 (1), Wed 18 (2), Thu 19 (3), Fri 20 (4), Mon 23 (5),
        // Tue 24 (6), Wed 25 (7), Thu 26 Thanksgiving skipped, Fri 27 (8), Mon 30 (9),
        // Tue Dec 1 (10).
        let cal = federal();
        assert_eq!(cal.add_business_days(d(2026, 11, 16), 10), d(2026, 12, 1));
        assert_eq!(
            cal.business_days_between(d(2026, 11, 16), d(2026, 12, 1)),
            10
        );
        // An office that also closes the Friday after Thanksgiving lands one day later:
        // Fri 27 skipped too, so Mon 30 (8), Tue Dec 1 (9), Wed Dec 2 (10).
        let closed_friday = BusinessCalendar::new(CalendarConfig {
            federal_holidays: true,
            closures: vec![d(2026, 11, 27)],
        });
        assert_eq!(
            closed_friday.add_business_days(d(2026, 11, 16), 10),
            d(2026, 12, 2)
        );
    }

    #[test]
    fn independence_day_2026_observed_on_friday() {
        let cal = federal();
        // Sat Jul 4 2026 is observed on Fri Jul 3.
        assert!(!cal.is_business_day(d(2026, 7, 3)));
        assert_eq!(
            cal.holiday_name(d(2026, 7, 3)),
            Some("Independence Day (observed)")
        );
        // Thu Jul 2 + 1 = Mon Jul 6.
        assert_eq!(cal.add_business_days(d(2026, 7, 2), 1), d(2026, 7, 6));
        // Sun Jul 4 2021 was observed on Mon Jul 5 2021.
        assert!(!cal.is_business_day(d(2021, 7, 5)));
    }

    #[test]
    fn juneteenth() {
        let cal = federal();
        // Fri Jun 19 2026: a holiday on the day.
        assert!(!cal.is_business_day(d(2026, 6, 19)));
        // Sat Jun 19 2021: observed Fri Jun 18 2021.
        assert!(!cal.is_business_day(d(2021, 6, 18)));
        // Fri Jun 19 2020: before the holiday existed, a business day.
        assert!(cal.is_business_day(d(2020, 6, 19)));
        assert_eq!(cal.holiday_name(d(2020, 6, 19)), None);
    }

    #[test]
    fn year_end() {
        let cal = federal();
        // Fri Dec 25 2026: Christmas on the day; Thu Dec 24 2026 is a business day.
        assert!(!cal.is_business_day(d(2026, 12, 25)));
        assert!(cal.is_business_day(d(2026, 12, 24)));
        // Fri Jan 1 2027: New Year's Day on the day; Thu Dec 31 2026 is a business day.
        assert!(!cal.is_business_day(d(2027, 1, 1)));
        assert!(cal.is_business_day(d(2026, 12, 31)));
        // Thu Dec 24 2026 + 1 = Mon Dec 28 (25 holiday, 26-27 weekend).
        assert_eq!(cal.add_business_days(d(2026, 12, 24), 1), d(2026, 12, 28));
        // Sat Jan 1 2028 is observed on Fri Dec 31 2027.
        assert!(!cal.is_business_day(d(2027, 12, 31)));
        assert_eq!(
            cal.holiday_name(d(2027, 12, 31)),
            Some("New Year's Day (observed)")
        );
        // Thu Dec 30 2027 + 1 = Mon Jan 3 2028.
        assert_eq!(cal.add_business_days(d(2027, 12, 30), 1), d(2028, 1, 3));
        // Sat Dec 25 2021 observed Fri Dec 24 2021; Sat Jan 1 2022 observed Fri Dec 31 2021.
        assert!(!cal.is_business_day(d(2021, 12, 24)));
        assert!(!cal.is_business_day(d(2021, 12, 31)));
        // Sat Nov 11 2023 (Veterans Day) observed Fri Nov 10 2023.
        assert!(!cal.is_business_day(d(2023, 11, 10)));
    }

    #[test]
    fn custom_closure() {
        let cal = BusinessCalendar::new(CalendarConfig {
            federal_holidays: true,
            closures: vec![d(2026, 3, 11), d(2026, 3, 11)],
        });
        // Wed Mar 11 2026 closed: Tue Mar 10 + 1 = Thu Mar 12.
        assert!(!cal.is_business_day(d(2026, 3, 11)));
        assert_eq!(cal.holiday_name(d(2026, 3, 11)), Some("Office closure"));
        assert_eq!(cal.add_business_days(d(2026, 3, 10), 1), d(2026, 3, 12));
        assert_eq!(cal.business_days_between(d(2026, 3, 10), d(2026, 3, 12)), 1);
        assert!(federal().is_business_day(d(2026, 3, 11)));
    }

    #[test]
    fn business_days_between_across_a_holiday() {
        let cal = federal();
        // (Wed Nov 25, Mon Nov 30 2026]: Thu 26 holiday, Fri 27 yes, Sat/Sun no, Mon 30 yes.
        assert_eq!(
            cal.business_days_between(d(2026, 11, 25), d(2026, 11, 30)),
            2
        );
        assert_eq!(
            cal.business_days_between(d(2026, 11, 30), d(2026, 11, 25)),
            -2
        );
        assert_eq!(
            cal.business_days_between(d(2026, 11, 26), d(2026, 11, 26)),
            0
        );
        // (Fri Jul 2 2021, Tue Jul 6 2021]: Mon Jul 5 observed Independence Day, Tue 6: 1.
        assert_eq!(cal.business_days_between(d(2021, 7, 2), d(2021, 7, 6)), 1);
    }

    #[test]
    fn without_federal_holidays_only_weekends_and_closures() {
        let cal = BusinessCalendar::new(CalendarConfig {
            federal_holidays: false,
            closures: vec![],
        });
        assert!(cal.is_business_day(d(2026, 11, 26)));
        assert_eq!(cal.holiday_name(d(2026, 11, 26)), None);
        assert_eq!(cal.add_business_days(d(2026, 11, 16), 10), d(2026, 11, 30));
    }

    #[test]
    fn calendar_days() {
        let cal = federal();
        assert_eq!(cal.add_calendar_days(d(2026, 11, 16), 45), d(2026, 12, 31));
        assert_eq!(cal.add_calendar_days(d(2026, 11, 16), 0), d(2026, 11, 16));
        assert_eq!(cal.add_calendar_days(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn bdays_agrees_with_an_independent_federal_calendar() {
        // Every weekday of the cache range and a few years either side: bdays' USSettlement
        // against the rules written out in `federal_holidays_of`.
        let mut holidays = 0;
        for day in d(1995, 1, 1)
            .iter_days()
            .take_while(|&x| x <= d(2045, 12, 31))
        {
            if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            let ours = federal_holiday_name(day).is_some();
            assert_eq!(USSettlement.is_holiday(day), ours, "{day}");
            holidays += ours as u32;
        }
        // 51 years x 10 holidays + 25 Juneteenths (2021-2045), each observed on a weekday.
        assert_eq!(holidays, 51 * 10 + 25);
    }

    #[test]
    fn cache_matches_uncached_rule_and_fallback() {
        let cal = BusinessCalendar::new(CalendarConfig {
            federal_holidays: true,
            closures: vec![d(1999, 12, 30), d(2026, 11, 27), d(2041, 1, 2)],
        });
        for day in d(2000, 1, 1)
            .iter_days()
            .take_while(|&x| x <= d(2040, 12, 31))
        {
            assert_eq!(cal.is_business_day(day), cal.compute_is_business_day(day));
        }
        // Step-by-step reference, independent of the cache.
        let naive_add = |mut date: NaiveDate, mut n: u32| {
            while n > 0 {
                date = date.succ_opt().unwrap();
                if cal.compute_is_business_day(date) {
                    n -= 1;
                }
            }
            date
        };
        for start in [
            d(1999, 12, 20),
            d(1999, 12, 31),
            d(2000, 1, 1),
            d(2026, 11, 16),
            d(2040, 12, 20),
            d(2040, 12, 31),
            d(2041, 1, 1),
            d(2060, 6, 1),
        ] {
            for n in [0, 1, 2, 5, 10, 15, 45, 300] {
                let end = cal.add_business_days(start, n);
                assert_eq!(end, naive_add(start, n), "{start} + {n}");
                assert_eq!(cal.business_days_between(start, end), n as i64);
                assert_eq!(cal.business_days_between(end, start), -(n as i64));
            }
        }
        // Spanning the whole cache and beyond on both sides.
        let (a, b) = (d(1998, 6, 1), d(2042, 6, 1));
        let slow = cal.count_slowly(a, b);
        assert_eq!(cal.business_days_between(a, b), slow);
        assert!(slow > 11_000);
    }

    #[test]
    fn config_serde() {
        let config: CalendarConfig = serde_yaml::from_str("closures: [2026-11-27]").unwrap();
        assert_eq!(
            config,
            CalendarConfig {
                federal_holidays: true,
                closures: vec![d(2026, 11, 27)],
            }
        );
        let config: CalendarConfig = serde_yaml::from_str("federal_holidays: false").unwrap();
        assert!(!config.federal_holidays && config.closures.is_empty());
        assert!(serde_yaml::from_str::<CalendarConfig>("closure: [2026-11-27]").is_err());
        let yaml = serde_yaml::to_string(&CalendarConfig::default()).unwrap();
        assert_eq!(
            serde_yaml::from_str::<CalendarConfig>(&yaml).unwrap(),
            CalendarConfig::default()
        );
    }
}
