//! `claims release`, `claims close`, `claims reopen`, `claims closed`, `claims subrogation`:
//! the end of a claim, paid or not, and its reopening.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::lifecycle::Status;
use crate::error::Result;
use crate::store::files::find_office_root;
use crate::workflow::closing::{Close, Reopen};
use crate::workflow::release::WriteRelease;
use crate::workflow::settlement::FlagSubrogation;
use crate::workflow::{parse_claim_id, Command};

/// Write the release for the approved settlement, or record it as signed with --signed-by and
/// --on. The release is given by the person who gives up the claim — the injured claimant on
/// a third-party injury claim (never the insured), the owner of a third party's damaged
/// property, the employee on a workers' comp settlement (not the employer), the insured on its
/// own loss (releasing the insurer) — from `templates/release_KIND.txt.j2` (general, property,
/// workers_comp, first_party; `release_KIND_STATE` where the office has state wording).
#[derive(clap::Args, Debug)]
pub struct ReleaseArgs {
    pub id: String,
    /// Whose release it is, where the claim lists several injured people or other drivers.
    #[arg(long, conflicts_with = "signed_by")]
    pub claimant: Option<String>,
    /// Record the release as signed by this person: the releasor, or a representative of
    /// theirs on file (attorney, guardian; for an organization, the person reporting for it).
    #[arg(long, requires = "on")]
    pub signed_by: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
}

pub fn run_release(g: &Globals, a: ReleaseArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    super::run_one(
        g,
        Command::Release(WriteRelease {
            id,
            claimant: a.claimant,
            signed_by: a.signed_by,
            on: a.on,
        }),
    )
}

/// Close a claim. Paid: the settlement paid in full, its release signed where the claim was
/// against the insured or the employer, and no task or document outstanding — or each waived
/// with a reason (`--waive "NAME=REASON"`). Without payment (`--without-payment REASON`):
/// nothing paid, nothing waiting for approval; what is open on the checklist is waived with
/// the reason. Either way the reserve not paid is released.
#[derive(clap::Args, Debug)]
pub struct CloseArgs {
    pub id: String,
    #[arg(long = "waive", value_name = "NAME=REASON")]
    pub waive: Vec<String>,
    /// Close with nothing paid: withdrawn, below_deductible, no_damages, no_liability,
    /// no_response, paid_by_other, record_only, other (with --note).
    #[arg(long, value_name = "REASON")]
    pub without_payment: Option<String>,
    /// What the file should say about the closing.
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run_close(g: &Globals, a: CloseArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    super::run_one(
        g,
        Command::Close(Close {
            id,
            waive: a.waive,
            without_payment: a.without_payment,
            note: a.note,
        }),
    )
}

/// Reopen a closed or denied claim: it goes back to investigating, with the reason recorded
/// on the claim. A closed claim reopens by someone who may approve; a denied one by someone
/// who may approve denials.
#[derive(clap::Args, Debug)]
pub struct ReopenArgs {
    pub id: String,
    /// new_information, supplemental_damage, reinvestigation, payment_issue, litigation, other
    #[arg(long)]
    pub reason: String,
    /// What happened (required with --reason other).
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run_reopen(g: &Globals, a: ReopenArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    super::run_one(
        g,
        Command::Reopen(Reopen {
            id,
            reason: a.reason,
            note: a.note,
        }),
    )
}

/// Closed claims: when, paid or without payment and why, what was paid, and how often each
/// was reopened — the counts regulators ask for (`--format csv` for a spreadsheet).
#[derive(clap::Args, Debug)]
pub struct ClosedArgs {
    /// Closed on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<chrono::NaiveDate>,
    /// Closed on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<chrono::NaiveDate>,
    /// Only claims closed without payment.
    #[arg(long)]
    pub without_payment: bool,
}

#[derive(Serialize)]
struct ClosedRow {
    claim: String,
    lob: String,
    jurisdiction: String,
    closed: String,
    outcome: String,
    reason: String,
    paid: String,
    by: String,
    reopened: usize,
}

pub fn run_closed(g: &Globals, a: ClosedArgs) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let root = find_office_root(g.repo.as_deref())?;
    let mut rows: Vec<ClosedRow> = super::readable_claims(&root)
        .into_iter()
        .filter(|c| c.status == Status::Closed)
        .filter_map(|c| {
            let (closed, by, outcome, reason) = match &c.closure {
                Some(x) => (
                    x.at.date_naive(),
                    x.by.clone(),
                    crate::workflow::plain(&x.outcome),
                    x.reason.map(|r| r.as_str().to_string()).unwrap_or_default(),
                ),
                // Closed before the tool recorded how: the last close event, paid or not.
                None => {
                    let e = c
                        .history
                        .iter()
                        .rev()
                        .find(|e| e.status == Status::Closed)?;
                    let outcome = if c.paid().is_zero() {
                        "without_payment"
                    } else {
                        "paid"
                    };
                    (
                        e.at.date_naive(),
                        e.by.clone(),
                        outcome.into(),
                        String::new(),
                    )
                }
            };
            if a.from.is_some_and(|f| closed < f) || a.to.is_some_and(|t| closed > t) {
                return None;
            }
            if a.without_payment && outcome != "without_payment" {
                return None;
            }
            Some(ClosedRow {
                claim: c.id.clone(),
                lob: c.lob.to_string(),
                jurisdiction: c.jurisdiction.clone(),
                closed: closed.to_string(),
                outcome,
                reason,
                paid: c.paid().to_string(),
                by,
                reopened: c.reopenings.len(),
            })
        })
        .collect();
    rows.sort_by(|x, y| (&x.closed, &x.claim).cmp(&(&y.closed, &y.claim)));
    let mut out = Out::new();
    Rows {
        headers: &[
            "claim",
            "lob",
            "jurisdiction",
            "closed",
            "outcome",
            "reason",
            "paid",
            "by",
            "reopened",
        ],
        rows: &rows,
        cells: &|r: &ClosedRow| {
            vec![
                r.claim.clone(),
                r.lob.clone(),
                r.jurisdiction.clone(),
                r.closed.clone(),
                r.outcome.clone(),
                r.reason.clone(),
                r.paid.clone(),
                r.by.clone(),
                r.reopened.to_string(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    let without = rows
        .iter()
        .filter(|r| r.outcome == "without_payment")
        .count();
    g.say(format!(
        "{}: {} paid, {without} without payment",
        super::counted(rows.len(), "closed claim"),
        rows.len() - without
    ));
    Ok(0)
}

/// Flag a claim for subrogation (another party caused the loss), or list flagged claims.
#[derive(clap::Args, Debug)]
pub struct SubrogationArgs {
    /// The claim to flag (omit with --list).
    #[arg(required_unless_present = "list")]
    pub id: Option<String>,
    /// The party who caused the loss.
    #[arg(long, required_unless_present = "list")]
    pub target: Option<String>,
    /// Their insurer.
    #[arg(long)]
    pub carrier: Option<String>,
    /// List every claim flagged for subrogation.
    #[arg(long, conflicts_with_all = ["id", "target"])]
    pub list: bool,
}

#[derive(Serialize)]
struct Row {
    claim: String,
    target: String,
    carrier: String,
    amount_paid: String,
    flagged: String,
    status: String,
}

pub fn run_subrogation(g: &Globals, a: SubrogationArgs) -> Result<i32> {
    if a.list {
        let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
        let root = find_office_root(g.repo.as_deref())?;
        let mut rows: Vec<Row> = super::readable_claims(&root)
            .into_iter()
            .filter_map(|c| {
                let s = c.subrogation.as_ref()?;
                Some(Row {
                    claim: c.id.clone(),
                    target: s.target.clone(),
                    carrier: s.carrier.clone().unwrap_or_default(),
                    amount_paid: c.paid().max(s.amount_paid).to_string(),
                    flagged: s.flagged_at.date_naive().to_string(),
                    status: s.status.clone(),
                })
            })
            .collect();
        rows.sort_by(|x, y| x.claim.cmp(&y.claim));
        let mut out = Out::new();
        Rows {
            headers: &[
                "claim",
                "target",
                "carrier",
                "amount_paid",
                "flagged",
                "status",
            ],
            rows: &rows,
            cells: &|r: &Row| {
                vec![
                    r.claim.clone(),
                    r.target.clone(),
                    r.carrier.clone(),
                    r.amount_paid.clone(),
                    r.flagged.clone(),
                    r.status.clone(),
                ]
            },
        }
        .print(format, &mut out);
        out.flush();
        return Ok(0);
    }
    let id = parse_claim_id(a.id.as_deref().expect("clap requires it"))?;
    super::run_one(
        g,
        Command::Subrogation(FlagSubrogation {
            id,
            target: a.target.unwrap_or_default(),
            carrier: a.carrier,
        }),
    )
}
