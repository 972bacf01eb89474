//! `claims settle ID --basis ...`: the settlement calculated on its basis, line by line, within
//! settlement authority; `claims negotiate ID`: demands, offers, counter-offers and the
//! agreement on file.

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::claim::CalculationLine;
use crate::error::Result;
use crate::workflow::settlement::{self, Negotiate, Settle};
use crate::workflow::{parse_claim_id, Command};

/// Propose the settlement, or revise it: the loss on its basis, less any coinsurance penalty,
/// the deductible on the claim (from triage; only on the insured's own property), capped at the
/// sublimit or coverage limit, less prior payments. Within the actor's settlement authority
/// for its total it is effective; above it, pending `claims approve`. Refused once the release
/// is signed.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    #[arg(long, value_enum)]
    pub basis: Basis,
    /// acv, rcv: the cost to repair or replace.
    #[arg(long)]
    pub replacement_cost: Option<String>,
    /// acv: depreciation taken from the replacement cost.
    #[arg(long)]
    pub depreciation: Option<String>,
    /// injury: medical specials.
    #[arg(long)]
    pub medical: Option<String>,
    /// injury: general damages.
    #[arg(long)]
    pub general_damages: Option<String>,
    /// agreed: the amount agreed.
    #[arg(long)]
    pub amount: Option<String>,
    /// Property with a coinsurance clause: its value at the time of loss.
    #[arg(long)]
    pub property_value: Option<String>,
    /// What it settles (vehicle, dwelling, building, contents, bodily_injury, indemnity,
    /// third_party_property, ...); default: what the settlement settled before, else the
    /// claim's usual exposure (injury damages on an injury claim, the insured's property).
    #[arg(long = "for", value_name = "EXPOSURE")]
    pub exposure: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Acv,
    Rcv,
    Injury,
    Agreed,
}

pub fn run(g: &Globals, a: Args) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    let session = super::session(g)?;
    let done = session.run(
        &Command::Settle(Settle {
            id,
            basis: match a.basis {
                Basis::Acv => settlement::Basis::Acv,
                Basis::Rcv => settlement::Basis::Rcv,
                Basis::Injury => settlement::Basis::Injury,
                Basis::Agreed => settlement::Basis::Agreed,
            },
            replacement_cost: a.replacement_cost,
            depreciation: a.depreciation,
            medical: a.medical,
            general_damages: a.general_damages,
            amount: a.amount,
            property_value: a.property_value,
            exposure: a.exposure,
        }),
        g.dry_run,
    )?;
    let format = g.format_or(Format::Table);
    if !g.quiet && matches!(format, Format::Table | Format::Csv | Format::Json) {
        let lines = done
            .claim()
            .and_then(|c| c.settlement.as_ref())
            .map(|s| s.calculation.clone())
            .unwrap_or_default();
        let mut out = Out::new();
        Rows {
            headers: &["line", "amount"],
            rows: &lines,
            cells: &|l: &CalculationLine| vec![l.label.clone(), l.amount.to_string()],
        }
        .print(format, &mut out);
        out.flush();
    }
    super::update::report(g, &done);
    super::update::warn(g, &done);
    Ok(0)
}

/// Log a demand, an offer or a counter-offer on the claim's file, before or after a
/// settlement is proposed; or the agreed figure (--kind agreed), which becomes the settlement
/// through the settlement authority again and starts the payment clock where it counts from
/// the agreement (NY).
#[derive(clap::Args, Debug)]
pub struct NegotiateArgs {
    pub id: String,
    /// demand (from the claimant), offer (ours), counter, agreed (both sides accepted it: what
    /// the claim pays in all, net of the deductible, payments already made included)
    #[arg(long)]
    pub kind: String,
    /// Who made it (claimant, attorney, us).
    #[arg(long)]
    pub party: String,
    #[arg(long)]
    pub amount: String,
    /// The date it was made; default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
    /// With --kind agreed: what the agreement settles (as `claims settle --for`).
    #[arg(long = "for", value_name = "EXPOSURE")]
    pub exposure: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run_negotiate(g: &Globals, a: NegotiateArgs) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    super::run_one(
        g,
        Command::Negotiate(Negotiate {
            id,
            kind: a.kind,
            party: a.party,
            amount: a.amount,
            on: a.on,
            exposure: a.exposure,
            note: a.note,
        }),
    )
}
