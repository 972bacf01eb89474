//! `claims report KIND`: claims analytics and regulatory reports, from the claim records and
//! the history (see [`crate::domain::reports`] for the definitions).

use chrono::{Datelike, NaiveDate};

use super::output::{table, Format, Out};
use super::progress::Progress;
use super::Globals;
use crate::domain::claim::Claim;
use crate::domain::reports::claim_activity::ClaimActivity;
use crate::domain::reports::closing::{ClosingRatio, Productivity};
use crate::domain::reports::cycle_times::CycleTimes;
use crate::domain::reports::error_trends::{trends, Found};
use crate::domain::reports::inventory::Aging;
use crate::domain::reports::loss_triangles::LossTriangle;
use crate::domain::reports::reserve_development::ReserveDevelopment;
use crate::domain::reports::{By, Period, Scope, Sheet, Tally};
use crate::error::{Error, Result};
use crate::store::files::{claim_files, each_claim};
use crate::store::session::{office_now, Workspace};

/// Claims analytics and regulatory reports, computed from the claim records and the history.
///
/// Every figure comes from the records (each carries its own dated events, and `claims audit`
/// proves every date is its commit's) and, for touches and error trends, from the history.
/// Days are calendar days in the office's time zone. A reopened claim counts as a new claim,
/// or as the same claim (`reporting.reopened` in authority.yaml); a claim counts once, or once
/// per claimant (`reporting.count`); a notice merged into another claim is never counted on
/// its own. A claim closes when it is closed or denied, with payment when any payment took
/// effect by then.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
}

/// The dates and groups every report takes.
#[derive(clap::Args, Debug, Clone)]
pub struct Common {
    /// The report's date: steps after it have not happened (default: today, office time).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// The first day of the period counted (default: January 1 of the report's year).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// The last day of the period counted (default: the report's date).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
    /// Group the rows by line, state or adjuster (repeat or comma-separate for several).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        global = true,
        value_name = "GROUP"
    )]
    pub by: Vec<Group>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Group {
    Line,
    State,
    Adjuster,
}

#[derive(clap::Subcommand, Debug)]
pub enum Kind {
    /// Open claims by age as of the date: 0-30, 31-60, 61-90, 91-180, 181-365 and over 365
    /// days since notice (or reopening), with the median age (`reporting.aging_days`).
    Inventory(Common),
    /// Lags and cycle times of the claims reported in the period, in days: loss to reported,
    /// reported to first contact (acknowledgment or a first-contact task), to the coverage
    /// decision, to the first payment (claims with one), to the first closing; count, median
    /// and mean of each.
    Lags(Common),
    /// Claims opened and closed in the period (with and without payment) and the closing
    /// ratio: closed ÷ opened.
    Closing(Common),
    /// Each adjuster's months: caseload at the month's end, opened, closed, and touches (their
    /// commits that changed a claim, from the history).
    Productivity(Common),
    /// Every reserve change in the period, with flags: stair-stepping (`reporting.stair_steps`
    /// increases in a row with no document, attachment, task, inquiry or negotiation step
    /// between them) and jumps (more than `reporting.jump_percent` over the reserve
    /// `reporting.jump_days` days before).
    Reserves {
        #[command(flatten)]
        common: Common,
        /// Only the claims with a flag.
        #[arg(long)]
        flagged: bool,
    },
    /// Annual claims activity by state and line, in the shape of the NAIC Market Conduct
    /// Annual Statement: open at the start, opened, closed with and without payment, median
    /// days to final payment, closed within 0-30 ... over 365 days, open at the end, suits
    /// opened and closed.
    Activity {
        #[command(flatten)]
        common: Common,
        /// The calendar year (instead of --from/--to).
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
    },
    /// Loss triangle data, long form (CSV by default): one row per claim and valuation date
    /// (month, quarter or year ends, `reporting.triangle_valuation`) with cumulative paid,
    /// case reserve, incurred and the reported / closed with pay / closed without pay / open
    /// counts; loads as chainladder.Triangle(df, origin="accident_date",
    /// development="valuation_date", columns=[...], cumulative=True).
    Triangles(Common),
    /// Error trends: the findings `claims check` (claim rules, on each version a commit wrote)
    /// and `claims audit` (each commit) make over the history, by month, code and person.
    Errors {
        #[command(flatten)]
        common: Common,
        /// Which findings: check, audit, or both.
        #[arg(long, value_enum, default_value_t = Source::Both)]
        source: Source,
    },
    /// One self-contained HTML page of charts (no scripts, no network): open inventory over
    /// time, aging, SLA status by adjuster, cycle-time trend, reserve development of the
    /// largest claims.
    Dashboard {
        #[command(flatten)]
        common: Common,
        /// Where to write the page.
        #[arg(long, value_name = "FILE")]
        html: std::path::PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    Check,
    Audit,
    Both,
}

impl Kind {
    fn common(&self) -> &Common {
        match self {
            Kind::Inventory(c)
            | Kind::Lags(c)
            | Kind::Closing(c)
            | Kind::Productivity(c)
            | Kind::Triangles(c) => c,
            Kind::Reserves { common, .. }
            | Kind::Activity { common, .. }
            | Kind::Errors { common, .. }
            | Kind::Dashboard { common, .. } => common,
        }
    }
}

/// The scope of a report from its options and the office.
pub fn scope_of(ws: &Workspace, common: &Common, year: Option<i32>) -> Result<Scope> {
    let today = office_now(ws.tz)?.date_naive();
    let period = match year {
        Some(y) => Period::year(y).ok_or_else(|| Error::usage(format!("--year {y} is no year")))?,
        None => {
            let to = common.to.or(common.as_of).unwrap_or(today);
            let from = common
                .from
                .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).expect("Jan 1"));
            Period { from, to }
        }
    };
    if period.from > period.to {
        return Err(Error::usage(format!(
            "--from {} is after --to {}",
            period.from, period.to
        )));
    }
    let as_of = common
        .as_of
        .unwrap_or(if year.is_some() || common.to.is_some() {
            period.to
        } else {
            today
        });
    let by = common
        .by
        .iter()
        .map(|g| match g {
            Group::Line => By::Line,
            Group::State => By::State,
            Group::Adjuster => By::Adjuster,
        })
        .collect();
    Ok(Scope {
        settings: ws.office.reporting.clone().unwrap_or_default(),
        tz: ws.tz,
        as_of,
        period,
        by,
    })
}

/// Feeds every readable claim to `add`, with a progress bar, warning of files that do not
/// parse (they are not in the report).
pub fn read_claims(g: &Globals, ws: &Workspace, mut add: impl FnMut(&Claim)) {
    let bar = Progress::start(g, "report", claim_files(&ws.root).len());
    let skipped = each_claim(&ws.root, |c| {
        add(c);
        bar.step();
    });
    drop(bar);
    for (path, f) in &skipped {
        super::warn(&format!(
            "{path}:{}:{}: error[{}]: {}; not in the report (run `claims check {path}`)",
            f.line, f.column, f.issue.code, f.issue.message
        ));
    }
}

fn tally(g: &Globals, ws: &Workspace, mut t: impl Tally) -> Sheet {
    read_claims(g, ws, |c| t.add(c));
    t.finish()
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let ws = Workspace::open(g.repo.as_deref())?;
    let year = match &args.kind {
        Kind::Activity { year, .. } => *year,
        _ => None,
    };
    let scope = scope_of(&ws, args.kind.common(), year)?;
    let default = match args.kind {
        Kind::Triangles(_) => Format::Csv,
        _ => Format::Table,
    };
    let format = g.format_among(default, &[Format::Table, Format::Csv, Format::Json])?;
    let sheet = match &args.kind {
        Kind::Inventory(_) => tally(g, &ws, Aging::new(&scope)),
        Kind::Lags(_) => tally(g, &ws, CycleTimes::new(&scope)),
        Kind::Closing(_) => tally(g, &ws, ClosingRatio::new(&scope)),
        Kind::Productivity(_) => {
            let repo = crate::store::files::open_repository(&ws.root)?;
            let touches = crate::store::activity::touches(&repo, ws.tz)?;
            tally(g, &ws, Productivity::new(&scope, &touches))
        }
        Kind::Reserves { flagged, .. } => tally(g, &ws, ReserveDevelopment::new(&scope, *flagged)),
        Kind::Activity { .. } => tally(g, &ws, ClaimActivity::new(&scope)),
        Kind::Triangles(_) => tally(g, &ws, LossTriangle::new(&scope)),
        Kind::Errors { source, .. } => trends(&errors_found(g, &ws, &scope, *source)?),
        Kind::Dashboard { html, .. } => {
            let page = super::dashboard::page(g, &ws, &scope)?;
            std::fs::write(html, page).map_err(|e| Error::io(html.display(), e))?;
            g.say(format!("wrote {}", html.display()));
            return Ok(0);
        }
    };
    print(&sheet, format);
    Ok(0)
}

/// The findings of the history in the period.
fn errors_found(g: &Globals, ws: &Workspace, scope: &Scope, source: Source) -> Result<Vec<Found>> {
    let repo = crate::store::files::open_repository(&ws.root)?;
    let mut found = Vec::new();
    if source != Source::Audit {
        let policies = crate::store::files::load_policies(&ws.root)
            .into_iter()
            .map(|(n, p)| (n, p.lob))
            .collect();
        found.extend(crate::store::activity::check_findings(
            &repo, ws.tz, &ws.office, &policies,
        )?);
    }
    if source != Source::Check {
        let bar = Progress::open(g, "audit");
        let report = crate::audit::audit_watched(&repo, None, &bar)
            .map_err(|e| Error::environment(format!("reading the history: {}", e.message())))?;
        drop(bar);
        for j in report.commits.iter().filter(|j| !j.findings.is_empty()) {
            let Ok(commit) = git2::Oid::from_str(&j.commit).and_then(|id| repo.find_commit(id))
            else {
                continue;
            };
            let (person, month) = crate::store::activity::author_month(&commit, ws.tz);
            found.extend(j.findings.iter().map(|f| Found {
                month: month.clone(),
                code: f.code.to_string(),
                person: person.clone(),
                source: "audit",
            }));
        }
    }
    let months: Vec<String> = scope
        .period
        .months()
        .iter()
        .map(|(f, _)| f.format("%Y-%m").to_string())
        .collect();
    // Notes (a commit judged by the rules of its time) are no errors.
    found.retain(|f| {
        months.contains(&f.month)
            && crate::check::finding::severity_of(&f.code) != crate::check::finding::Severity::Note
    });
    Ok(found)
}

/// A sheet as a table (with its footer), CSV or JSON.
pub fn print(sheet: &Sheet, format: Format) {
    let mut out = Out::new();
    match format {
        Format::Json => {
            out.line(&serde_json::to_string_pretty(&sheet.json()).expect("json"));
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&sheet.headers).expect("csv in memory");
            for r in sheet.shown() {
                w.write_record(r).expect("csv in memory");
            }
            out.write_str(&String::from_utf8(w.into_inner().expect("csv flush")).expect("utf-8"));
        }
        _ => {
            let headers: Vec<&str> = sheet.headers.iter().map(String::as_str).collect();
            out.write_str(&table(&headers, &sheet.shown()));
            for line in &sheet.footer {
                out.line("");
                out.line(line);
            }
        }
    }
    out.flush();
}
