//! `claims review ID --pass | --fail CODE... [--note TEXT] [--sample SPEC]`: a quality-control
//! review of a claim file (one signed commit); `claims review --summary`: the reviews
//! recorded, the error rate and its 95% Wilson interval, the failures by code.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::claim::{Claim, QcResult, QcReview};
use crate::domain::qc::{spec_seed, wilson, Z95};
use crate::error::{Error, Result};
use crate::store::session::Workspace;
use crate::workflow::qc::Review;
use crate::workflow::{parse_claim_id, Command};

/// Record a quality-control review of a claim file, or summarize the reviews. A review passes
/// the file or fails it with codes (one signed commit); --summary gives the reviews recorded:
/// passed, failed, the error rate with its 95% confidence interval, the failures by code.
/// Nobody reviews a file they handle.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The claim reviewed.
    #[arg(required_unless_present = "summary")]
    pub id: Option<String>,
    /// The file passed.
    #[arg(long, conflicts_with = "fail")]
    pub pass: bool,
    /// The file failed on this code (QC-LATE-CONTACT: uppercase letters, digits, dashes); repeat
    /// for several.
    #[arg(long, value_name = "CODE")]
    pub fail: Vec<String>,
    /// What the reviewer found (required with --fail).
    #[arg(long)]
    pub note: Option<String>,
    /// The sample the file was drawn in, as `claims sample` prints it ("seed=42 size=10 ...").
    #[arg(long, value_name = "SPEC")]
    pub sample: Option<String>,
    /// Instead: the reviews recorded, their error rate and its 95% confidence interval.
    #[arg(long, conflicts_with_all = ["id", "pass", "fail", "note", "sample"])]
    pub summary: bool,
    /// Only the reviews of the sample drawn with this seed.
    #[arg(long, value_name = "S", requires = "summary", conflicts_with_all = ["from", "to"])]
    pub sample_seed: Option<u64>,
    /// Only reviews made on or after this date (office time).
    #[arg(long, value_name = "YYYY-MM-DD", requires = "summary")]
    pub from: Option<NaiveDate>,
    /// Only reviews made on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "summary")]
    pub to: Option<NaiveDate>,
    /// One row per fail code: how many files failed on it, and its rate and interval.
    #[arg(long, requires = "summary")]
    pub by_code: bool,
}

pub fn run(g: &Globals, a: Args) -> Result<i32> {
    if a.summary {
        return summary(g, &a);
    }
    let id = a.id.as_deref().unwrap_or_default();
    if !a.pass && a.fail.is_empty() {
        return Err(Error::usage("give --pass or --fail CODE"));
    }
    super::run_one(
        g,
        Command::Review(Review {
            id: parse_claim_id(id)?,
            fail: a.fail,
            note: a.note,
            sample: a.sample,
        }),
    )
}

#[derive(Serialize)]
struct Totals {
    reviewed: u64,
    passed: u64,
    failed: u64,
    error_rate: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
}

#[derive(Serialize)]
struct CodeRow {
    code: String,
    failed: u64,
    reviewed: u64,
    rate: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
}

/// The reviewed files (of `selected`) that the sample their review names does not draw from
/// `claims` today; a spec that cannot be read back is left alone.
fn not_drawn<'a>(claims: &[Claim], selected: &[(&'a str, &QcReview)]) -> Vec<&'a str> {
    let mut drawn: HashMap<&str, Option<HashSet<String>>> = HashMap::new();
    let mut outside = Vec::new();
    for (id, r) in selected {
        let Some(spec) = r.sample.as_deref() else {
            continue;
        };
        let ids = drawn.entry(spec).or_insert_with(|| {
            super::sample::drawn_by_spec(claims, spec)
                .map(|sample| sample.into_iter().map(|c| c.id.clone()).collect())
        });
        if ids.as_ref().is_some_and(|ids| !ids.contains(*id)) {
            outside.push(*id);
        }
    }
    outside
}

/// `7.50%`, or empty.
fn percent(x: Option<f64>) -> String {
    x.map(|x| format!("{:.2}%", x * 100.0)).unwrap_or_default()
}

fn summary(g: &Globals, a: &Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let day = |r: &QcReview| r.at.with_timezone(&ws.tz).date_naive();
    let wanted = |r: &QcReview| {
        a.sample_seed
            .is_none_or(|s| r.sample.as_deref().and_then(spec_seed) == Some(s))
            && a.from.is_none_or(|f| day(r) >= f)
            && a.to.is_none_or(|t| day(r) <= t)
    };
    // One verdict per file: its latest review among those selected.
    let claims = super::readable_claims(&ws.root);
    let selected: Vec<(&str, &QcReview)> = claims
        .iter()
        .filter_map(|c| {
            c.reviews
                .iter()
                .rev()
                .find(|r| wanted(r))
                .map(|r| (c.id.as_str(), r))
        })
        .collect();
    if a.sample_seed.is_some() {
        let outside = not_drawn(&claims, &selected);
        if !outside.is_empty() {
            super::warn(&format!(
                "{} not in the sample its review names, as `claims sample` draws it now (drawn in another sample, or the claims have changed since): {}",
                super::counted(outside.len(), "reviewed file is"),
                outside.join(", ")
            ));
        }
    }
    let latest: Vec<&QcReview> = selected.iter().map(|(_, r)| *r).collect();
    let reviewed = latest.len() as u64;
    let failed = latest.iter().filter(|r| r.result == QcResult::Fail).count() as u64;
    let interval = wilson(failed, reviewed, Z95);
    let rate = (reviewed > 0).then(|| failed as f64 / reviewed as f64);
    let mut out = Out::new();
    if a.by_code {
        let mut by: BTreeMap<&str, u64> = BTreeMap::new();
        for r in &latest {
            for c in &r.codes {
                *by.entry(c.as_str()).or_default() += 1;
            }
        }
        let mut rows: Vec<CodeRow> = by
            .into_iter()
            .map(|(code, n)| {
                let ci = wilson(n, reviewed, Z95);
                CodeRow {
                    code: code.to_string(),
                    failed: n,
                    reviewed,
                    rate: Some(n as f64 / reviewed as f64),
                    ci95_low: ci.map(|c| c.0),
                    ci95_high: ci.map(|c| c.1),
                }
            })
            .collect();
        rows.sort_by(|x, y| y.failed.cmp(&x.failed).then(x.code.cmp(&y.code)));
        Rows {
            headers: &[
                "code",
                "failed",
                "reviewed",
                "rate",
                "ci95_low",
                "ci95_high",
            ],
            rows: &rows,
            cells: &|r: &CodeRow| {
                vec![
                    r.code.clone(),
                    r.failed.to_string(),
                    r.reviewed.to_string(),
                    percent(r.rate),
                    percent(r.ci95_low),
                    percent(r.ci95_high),
                ]
            },
        }
        .print(format, &mut out);
    } else {
        let totals = [Totals {
            reviewed,
            passed: reviewed - failed,
            failed,
            error_rate: rate,
            ci95_low: interval.map(|c| c.0),
            ci95_high: interval.map(|c| c.1),
        }];
        Rows {
            headers: &[
                "reviewed",
                "passed",
                "failed",
                "error_rate",
                "ci95_low",
                "ci95_high",
            ],
            rows: &totals,
            cells: &|t: &Totals| {
                vec![
                    t.reviewed.to_string(),
                    t.passed.to_string(),
                    t.failed.to_string(),
                    percent(t.error_rate),
                    percent(t.ci95_low),
                    percent(t.ci95_high),
                ]
            },
        }
        .print(format, &mut out);
    }
    let which = match (a.sample_seed, a.from, a.to) {
        (Some(s), _, _) => format!(" of the sample drawn with seed {s}"),
        (None, None, None) => String::new(),
        (None, f, t) => format!(
            " {}",
            [f.map(|f| format!("from {f}")), t.map(|t| format!("to {t}"))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    g.say(match interval {
        Some((lo, hi)) => format!(
            "{} reviewed{which}: {} passed, {failed} failed; error rate {} (95% Wilson interval {} to {}); each file counts once, by its latest review",
            super::counted(reviewed as usize, "file"),
            reviewed - failed,
            percent(rate),
            percent(Some(lo)),
            percent(Some(hi))
        ),
        None => format!("no reviews recorded{which}"),
    });
    Ok(0)
}
