//! Inventory and aging: the claims open at the end of a day, by how long each has been open
//! (days from its notice, or from its reopening when a reopening counts as a new claim).

use std::collections::BTreeMap;

use super::claim_life::spells;
use super::{band_names, band_of, count_of, days, group_of, median, Scope, Sheet, Tally, Value};
use crate::domain::claim::Claim;

/// Open claims as of the report's date, one row per group, a column per age band, the
/// total and the median age.
pub struct Aging<'s> {
    scope: &'s Scope,
    groups: BTreeMap<Vec<String>, (Vec<u64>, Vec<i64>)>,
}

impl<'s> Aging<'s> {
    pub fn new(scope: &'s Scope) -> Aging<'s> {
        Aging {
            scope,
            groups: BTreeMap::new(),
        }
    }
}

impl Tally for Aging<'_> {
    fn add(&mut self, c: &Claim) {
        let s = self.scope;
        let Some(spell) = spells(c, s.tz, s.settings.reopened)
            .into_iter()
            .find(|sp| sp.open_on(s.as_of))
        else {
            return;
        };
        let age = days(spell.opened, s.as_of);
        let n = count_of(c, s.settings.count);
        let bands = s.settings.aging_days.len() + 1;
        let (counts, ages) = self
            .groups
            .entry(group_of(c, &s.by))
            .or_insert_with(|| (vec![0; bands], Vec::new()));
        counts[band_of(&s.settings.aging_days, age)] += n;
        ages.extend(std::iter::repeat_n(age, n as usize));
    }

    fn finish(self) -> Sheet {
        let s = self.scope;
        let bands = band_names(&s.settings.aging_days);
        let mut headers: Vec<String> = s.by.iter().map(|b| b.header().to_string()).collect();
        headers.extend(bands.iter().cloned());
        headers.extend(["open", "median_age_days"].map(String::from));
        let mut sheet = Sheet::new(headers);
        let mut total = vec![0u64; bands.len()];
        let mut all_ages = Vec::new();
        for (key, (counts, ages)) in &self.groups {
            let mut row: Vec<Value> = key.iter().map(|k| Value::text(k.clone())).collect();
            row.extend(counts.iter().map(|n| Value::Count(*n)));
            row.push(Value::Count(counts.iter().sum()));
            row.push(Value::days(median(ages)));
            sheet.push(row);
            for (t, n) in total.iter_mut().zip(counts) {
                *t += n;
            }
            all_ages.extend(ages.iter().copied());
        }
        sheet.footer.push(format!(
            "{} open as of {} ({}); median age {} days",
            total.iter().sum::<u64>(),
            s.as_of,
            bands
                .iter()
                .zip(&total)
                .map(|(b, n)| format!("{b}: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            median(&all_ages).map_or("-".into(), |m| format!("{m:.1}"))
        ));
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::super::claim_life::tests::{claim, event};
    use super::*;
    use crate::domain::lifecycle::Status;
    use chrono::NaiveDate;

    #[test]
    fn open_claims_fall_in_their_age_band() {
        let as_of = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        // Reported late on Jan 31 office time (Feb 1 UTC): 59 days old on Mar 31.
        let a = claim("2026-01-31T23:00:00-06:00");
        // 61 days: the 61-90 band.
        let b = claim("2026-01-29T10:00:00-06:00");
        // Closed before the day: not open.
        let mut c = claim("2026-01-02T10:00:00-06:00");
        event(&mut c, "2026-03-30T10:00:00-05:00", Status::Closed);
        // Reported after the day: not yet open.
        let d = claim("2026-04-01T10:00:00-05:00");
        let scope = super::super::tests::scope(as_of);
        let s = Aging::new(&scope).over(&[a, b, c, d]);
        assert_eq!(
            s.headers,
            [
                "0-30",
                "31-60",
                "61-90",
                "91-180",
                "181-365",
                "over 365",
                "open",
                "median_age_days"
            ]
        );
        assert_eq!(s.shown(), [["0", "1", "1", "0", "0", "0", "2", "60.0"]]);
    }
}
