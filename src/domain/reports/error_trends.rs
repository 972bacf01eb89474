//! Error trends: the findings of `claims check` and `claims audit` replayed over the history,
//! counted by code, month and person — the recurring errors a lead clerk reports. The store
//! replays the history; this counts what it found.

use std::collections::BTreeMap;

use super::{Sheet, Value};
use crate::check::finding::{code_doc, severity_of};

/// One finding a commit brought: `check` (a claim the commit wrote breaks a rule) or `audit`
/// (the commit itself breaks one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// `YYYY-MM` of the commit (office time).
    pub month: String,
    pub code: String,
    /// The commit's author (their email).
    pub person: String,
    pub source: &'static str,
}

/// Counts by month, code and person, most recent month first; the footer names the codes
/// that recur most.
pub fn trends(found: &[Found]) -> Sheet {
    let mut counts: BTreeMap<(&str, &str, &str, &str), u64> = BTreeMap::new();
    let mut by_code: BTreeMap<&str, u64> = BTreeMap::new();
    for f in found {
        *counts
            .entry((&f.month, f.source, &f.code, &f.person))
            .or_default() += 1;
        *by_code.entry(&f.code).or_default() += 1;
    }
    let mut sheet = Sheet::new([
        "month", "source", "code", "severity", "person", "findings", "what",
    ]);
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.0 .0.cmp(a.0 .0).then(a.0.cmp(&b.0)));
    for ((month, source, code, person), n) in rows {
        sheet.push(vec![
            Value::text(month),
            Value::text(source),
            Value::text(code),
            Value::text(severity_of(code).as_str()),
            Value::text(person),
            Value::Count(n),
            Value::text(code_doc(code).map_or("", |d| d.title)),
        ]);
    }
    let mut top: Vec<(&str, u64)> = by_code.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    sheet.footer.push(if top.is_empty() {
        "no findings in the history".to_string()
    } else {
        format!(
            "{} findings; most frequent: {}",
            found.len(),
            top.iter()
                .take(5)
                .map(|(c, n)| format!("{c} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_counted_by_month_code_and_person() {
        let f = |month: &str, code: &str, person: &str| Found {
            month: month.into(),
            code: code.into(),
            person: person.into(),
            source: "check",
        };
        let s = trends(&[
            f("2026-10", "E002", "mdelgado@harborpoint.example"),
            f("2026-11", "E002", "mdelgado@harborpoint.example"),
            f("2026-11", "E002", "mdelgado@harborpoint.example"),
            f("2026-11", "W001", "tbrooks@harborpoint.example"),
        ]);
        let shown = s.shown();
        assert_eq!(shown.len(), 3);
        assert_eq!(shown[0][0], "2026-11");
        assert_eq!(shown[0][2], "E002");
        assert_eq!(shown[0][5], "2");
        assert!(s.footer[0].contains("E002 (3)"), "{}", s.footer[0]);
    }
}
