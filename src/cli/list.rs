//! `claims list`: many claims, filtered.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::output::{cell, Format, Out, Rows};
use super::Globals;
use crate::domain::claim::{Claim, LineOfBusiness};
use crate::domain::claim_summary::{AgentNames, ClaimSummary};
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::error::{Error, Result};
use crate::store::files::find_office_root;

/// List claims, newest first, filtered by status, line, state, people or dates. The filters:
/// status, line of business, state, adjuster, agent, and the dates received and closed.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub filter: Filters,
}

/// The filters `claims list` and `claims sample` read claims by.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Filters {
    /// Only claims in this status (reported, triaged, assigned, ..., or `open`).
    #[arg(long)]
    pub status: Option<String>,
    /// Only this line of business (personal_auto, property, workers_comp, ...).
    #[arg(long)]
    pub lob: Option<String>,
    /// Only claims whose rules are this state's (jurisdiction: TX, CA, ...).
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    /// Only claims assigned to this person (email).
    #[arg(long)]
    pub adjuster: Option<String>,
    /// Only the claims of this agent: their email, or a part of their name or agency.
    #[arg(long, value_name = "EMAIL|NAME")]
    pub agent: Option<String>,
    /// Only claims received on or after this date (office time).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub received_from: Option<NaiveDate>,
    /// Only claims received on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub received_to: Option<NaiveDate>,
    /// Only claims closed or denied on or after this date (and still so).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub closed_from: Option<NaiveDate>,
    /// Only claims closed or denied on or before this date (and still so).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub closed_to: Option<NaiveDate>,
}

/// [`Filters`] checked: what each claim is held to.
pub struct Filter {
    given: Filters,
    status: Option<Status>,
    only_open: bool,
    lob: Option<LineOfBusiness>,
}

impl Filters {
    /// Refuses an unknown status or line of business.
    pub fn resolve(&self) -> Result<Filter> {
        let status = match self.status.as_deref() {
            None | Some("open") => None,
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                Error::usage(format!(
                    "unknown status `{s}` (one of: open, {})",
                    Status::ALL.map(|s| s.as_str()).join(", ")
                ))
            })?),
        };
        Ok(Filter {
            status,
            only_open: self.status.as_deref() == Some("open"),
            lob: self.lob.as_deref().map(super::parse_lob).transpose()?,
            given: self.clone(),
        })
    }

    /// The filters that [`Filters::given`] names, read back (a sample's spec).
    pub fn from_given(given: &[(String, String)]) -> Result<Filters> {
        let mut f = Filters::default();
        for (k, v) in given {
            let date = |v: &str| {
                v.parse::<NaiveDate>()
                    .map_err(|_| Error::usage(format!("{k}={v}: not a date (YYYY-MM-DD)")))
            };
            match k.as_str() {
                "status" => f.status = Some(v.clone()),
                "lob" => f.lob = Some(v.clone()),
                "state" => f.state = Some(v.clone()),
                "adjuster" => f.adjuster = Some(v.clone()),
                "agent" => f.agent = Some(v.clone()),
                "received-from" => f.received_from = Some(date(v)?),
                "received-to" => f.received_to = Some(date(v)?),
                "closed-from" => f.closed_from = Some(date(v)?),
                "closed-to" => f.closed_to = Some(date(v)?),
                other => return Err(Error::usage(format!("`{other}` is not a filter"))),
            }
        }
        Ok(f)
    }

    /// The filters given, as (flag, value) in the order of the help.
    pub fn given(&self) -> Vec<(String, String)> {
        let dates = [
            ("received-from", self.received_from),
            ("received-to", self.received_to),
            ("closed-from", self.closed_from),
            ("closed-to", self.closed_to),
        ];
        [
            ("status", self.status.clone()),
            ("lob", self.lob.clone()),
            ("state", self.state.clone()),
            ("adjuster", self.adjuster.clone()),
            ("agent", self.agent.clone()),
        ]
        .into_iter()
        .chain(dates.map(|(k, d)| (k, d.map(|d| d.to_string()))))
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect()
    }
}

impl Filter {
    pub fn matches(&self, c: &ClaimSummary) -> bool {
        let f = &self.given;
        let within = |d: Option<NaiveDate>, from: Option<NaiveDate>, to: Option<NaiveDate>| {
            (from.is_none() && to.is_none())
                || d.is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t))
        };
        self.status.is_none_or(|s| c.status == s)
            && (!self.only_open || c.status.is_open())
            && self.lob.is_none_or(|l| c.lob == l)
            && f.state
                .as_deref()
                .is_none_or(|s| c.jurisdiction.eq_ignore_ascii_case(s.trim()))
            && f.adjuster.as_deref().is_none_or(|a| {
                c.adjuster
                    .as_ref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(a))
            })
            && f.agent
                .as_deref()
                .is_none_or(|a| c.agent.as_ref().is_some_and(|n| n.answer_to(a)))
            && within(
                Some(c.received_at.date_naive()),
                f.received_from,
                f.received_to,
            )
            && within(
                c.closed_at.map(|t| t.date_naive()),
                f.closed_from,
                f.closed_to,
            )
    }
}

/// Whether `query` names the claim's agent: their email exactly, or a part of their name or
/// agency (letter case aside).
pub(crate) fn agent_matches(claim: &Claim, query: &str) -> bool {
    claim
        .agent
        .as_ref()
        .is_some_and(|a| AgentNames::of(a).answer_to(query))
}

#[derive(Serialize)]
struct Row {
    id: String,
    status: Status,
    lob: LineOfBusiness,
    jurisdiction: String,
    received: String,
    policy: Option<String>,
    insured: Option<String>,
    agent: Option<String>,
    priority: Option<String>,
    adjuster: Option<String>,
    reserve: Money,
    paid: Money,
}

fn row_of(c: &ClaimSummary) -> Row {
    Row {
        id: c.id.clone(),
        status: c.status,
        lob: c.lob,
        jurisdiction: c.jurisdiction.clone(),
        received: c.received_at.date_naive().to_string(),
        policy: c.policy_number.clone(),
        insured: c.insured.clone(),
        agent: c
            .agent
            .as_ref()
            .and_then(|p| p.name.clone().or(p.email.clone())),
        priority: c.priority.map(|p| p.as_str().to_string()),
        adjuster: c.adjuster.clone(),
        reserve: c.reserve,
        paid: c.paid,
    }
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let root = find_office_root(g.repo.as_deref())?;
    let filter = args.filter.resolve()?;
    // Only each listed claim's row is kept, never the claims themselves.
    let mut rows: Vec<(DateTime<FixedOffset>, Row)> = Vec::new();
    super::each_readable_claim_summary(&root, |c| {
        if filter.matches(c) {
            rows.push((c.received_at, row_of(c)));
        }
    });
    rows.sort_by(|(a, ra), (b, rb)| b.cmp(a).then(ra.id.cmp(&rb.id)));
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    let mut out = Out::new();
    Rows {
        headers: &[
            "id", "status", "lob", "state", "received", "policy", "insured", "agent", "priority",
            "adjuster", "reserve", "paid",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.id.clone(),
                r.status.to_string(),
                crate::workflow::plain(&r.lob),
                r.jurisdiction.clone(),
                r.received.clone(),
                cell(r.policy.as_ref()),
                cell(r.insured.as_ref()),
                cell(r.agent.as_ref()),
                cell(r.priority.as_ref()),
                cell(r.adjuster.as_ref()),
                r.reserve.to_string(),
                r.paid.to_string(),
            ]
        },
    }
    .print(format, &mut out);
    g.say(format!("{} claims", rows.len()));
    Ok(0)
}
