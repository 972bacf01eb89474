//! `claims release`, `claims close`, `claims subrogation`: the end of a paid claim.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::error::Result;
use crate::store::files::{find_office_root, load_claims};
use crate::workflow::release::WriteRelease;
use crate::workflow::settlement::{Close, FlagSubrogation};
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

/// Close a paid claim: the settlement paid in full, its release signed, and no task or document
/// outstanding — or each waived with a reason (`--waive "NAME=REASON"`).
#[derive(clap::Args, Debug)]
pub struct CloseArgs {
    pub id: String,
    #[arg(long = "waive", value_name = "NAME=REASON")]
    pub waive: Vec<String>,
}

pub fn run_close(g: &Globals, a: CloseArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    super::run_one(g, Command::Close(Close { id, waive: a.waive }))
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
        let mut rows: Vec<Row> = load_claims(&root)
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
