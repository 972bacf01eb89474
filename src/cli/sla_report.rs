//! `claims sla-report`: every SLA clock of every claim, as of a date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::output::{cell, table, Format, Out, Rows};
use super::Globals;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::Claim;
use crate::domain::sla::{clocks, open_as_of, ClockStatus, SlaContext};
use crate::error::Result;
use crate::store::files::{each_claim_drawn, LoadFailure, Reading};
use crate::store::read_cache::reading_key;
use crate::store::session::{office_now, Workspace};

/// Every SLA clock of every open claim: start, due, alert, done, and met / open / at risk /
/// breached as of a date.
///
/// One row per running clock of an open claim; `--all` adds stopped clocks (met or breached)
/// and the history of closed, denied and merged claims. CSV has a header row and ISO dates,
/// nothing else; the table ends with counts by status and by adjuster.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The date to report as of (YYYY-MM-DD; default: today in the office time zone).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Include met and breached clocks, and closed, denied and merged claims.
    #[arg(long)]
    pub all: bool,
    /// Exit 1 when any reported clock is at risk or breached (`alert`) or breached (`breach`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Alert,
    Breach,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Row {
    pub claim: String,
    pub lob: String,
    pub jurisdiction: String,
    pub priority: Option<String>,
    pub adjuster: Option<String>,
    pub clock: String,
    pub rule: String,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub alert: Option<NaiveDate>,
    pub done: Option<NaiveDate>,
    pub status: ClockStatus,
    pub business_days_left: Option<i64>,
}

/// The name of the read cache's entry of the report's rows.
const ROWS: &str = "sla-report-rows-";

pub const HEADERS: &[&str] = &[
    "claim",
    "lob",
    "jurisdiction",
    "priority",
    "adjuster",
    "clock",
    "rule",
    "start",
    "due",
    "alert",
    "done",
    "status",
    "business_days_left",
];

/// The report's rows for one claim as of `as_of` (none when it was closed by then, unless
/// `all`).
fn rows_of(c: &Claim, ctx: &SlaContext, as_of: NaiveDate, all: bool) -> Vec<Row> {
    if !(all || open_as_of(c, ctx.tz, as_of)) {
        return Vec::new();
    }
    clocks(c, ctx, as_of)
        .into_iter()
        .filter(|k| k.status != ClockStatus::NotStarted && (all || k.is_running()))
        .map(|k| Row {
            claim: c.id.clone(),
            lob: c.lob.as_str().to_string(),
            jurisdiction: c.jurisdiction.clone(),
            priority: c.priority().map(|p| p.as_str().to_string()),
            adjuster: c.adjuster().map(str::to_string),
            clock: k.clock,
            rule: k.rule_source,
            start: k.start,
            due: k.due,
            alert: k.alert,
            done: k.done,
            status: k.status,
            business_days_left: k.business_days_left,
        })
        .collect()
}

fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|a, b| (a.due, &a.claim, &a.clock).cmp(&(b.due, &b.claim, &b.clock)));
}

/// The rows for every claim file under `root`, read and parsed in parallel, each claim dropped
/// as soon as its clocks are computed (50,000 claims held at once would take gigabytes), or
/// taken from the read cache where it kept the rows of the same file for the same settings,
/// date and `all`; and the files that do not parse.
fn report_rows_from_files(
    root: &std::path::Path,
    ctx: &SlaContext,
    as_of: NaiveDate,
    all: bool,
) -> (Vec<Row>, Vec<(String, LoadFailure)>) {
    let mut inputs = b"sla-report rows\n".to_vec();
    inputs.extend(ctx.settings_bytes());
    inputs.extend(format!("\n{as_of}\n{all}").bytes());
    let key = reading_key(&inputs);
    let reading = Reading {
        kind: ROWS,
        key: &key,
        draw: |c: &Claim| (c.id.clone(), rows_of(c, ctx, as_of, all)),
        claim_id: |(id, _): &(String, Vec<Row>)| id.as_str(),
    };
    let mut rows = Vec::new();
    let mut unreadable = each_claim_drawn(root, reading, |(_, r)| rows.extend_from_slice(r));
    unreadable.sort_by(|a, b| a.0.cmp(&b.0));
    sort_rows(&mut rows);
    (rows, unreadable)
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let as_of = match args.as_of {
        Some(d) => d,
        None => office_now(ws.tz)?.date_naive(),
    };
    let calendar = BusinessCalendar::new(ws.office.calendar.clone());
    let ctx = SlaContext::of(&ws.office, &calendar, ws.tz);
    // Claim files that do not parse cannot be reported on: say so, rather than let a broken
    // file hide a breached clock.
    let (rows, unreadable) = report_rows_from_files(&ws.root, &ctx, as_of, args.all);
    for (p, f) in &unreadable {
        super::warn(&format!(
            "{p} does not parse ({}:{}: error[{}]: {}); its clocks are not in the report (run `claims check {p}`)",
            f.line, f.column, f.issue.code, f.issue.message
        ));
    }
    let mut out = Out::new();
    Rows {
        headers: HEADERS,
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.claim.clone(),
                r.lob.clone(),
                r.jurisdiction.clone(),
                cell(r.priority.as_ref()),
                cell(r.adjuster.as_ref()),
                r.clock.clone(),
                r.rule.clone(),
                cell(r.start),
                cell(r.due),
                cell(r.alert),
                cell(r.done),
                r.status.to_string(),
                cell(r.business_days_left),
            ]
        },
    }
    .print(format, &mut out);
    if format == Format::Table {
        out.write_str(&summary(&rows, as_of));
        out.flush();
    }
    let failing = |s: ClockStatus| match args.fail_on {
        None => false,
        Some(FailOn::Breach) => s == ClockStatus::Breached,
        Some(FailOn::Alert) => matches!(s, ClockStatus::Breached | ClockStatus::AtRisk),
    };
    let failed = rows.iter().filter(|r| failing(r.status)).count();
    if args.fail_on.is_some() && !unreadable.is_empty() {
        g.say(format!(
            "{} claim file{} could not be read, so the report cannot vouch for them",
            unreadable.len(),
            if unreadable.len() == 1 { "" } else { "s" }
        ));
        return Ok(1);
    }
    if failed > 0 {
        g.say(format!(
            "{failed} clock{} {} as of {as_of}",
            if failed == 1 { "" } else { "s" },
            match args.fail_on {
                Some(FailOn::Breach) => "breached",
                _ => "at risk or breached",
            }
        ));
        return Ok(1);
    }
    Ok(0)
}

/// Counts by status and by adjuster, for the table view.
fn summary(rows: &[Row], as_of: NaiveDate) -> String {
    let statuses = [
        ClockStatus::Open,
        ClockStatus::AtRisk,
        ClockStatus::Breached,
        ClockStatus::Met,
    ];
    let count = |rs: &[&Row], s: ClockStatus| rs.iter().filter(|r| r.status == s).count();
    let all: Vec<&Row> = rows.iter().collect();
    let mut s = format!("\n{} clocks as of {as_of}: ", rows.len());
    s.push_str(
        &statuses
            .iter()
            .map(|st| format!("{} {}", count(&all, *st), st))
            .collect::<Vec<_>>()
            .join(", "),
    );
    s.push_str("\n\n");
    let mut by: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by.entry(
            r.adjuster
                .clone()
                .unwrap_or_else(|| "(unassigned)".to_string()),
        )
        .or_default()
        .push(r);
    }
    let mut headers = vec!["adjuster"];
    headers.extend(statuses.iter().map(|s| s.as_str()));
    headers.push("total");
    let body: Vec<Vec<String>> = by
        .iter()
        .map(|(a, rs)| {
            let mut line = vec![a.clone()];
            line.extend(statuses.iter().map(|s| count(rs, *s).to_string()));
            line.push(rs.len().to_string());
            line
        })
        .collect();
    s.push_str(&table(&headers, &body));
    s
}
