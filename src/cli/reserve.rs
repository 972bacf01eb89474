//! `claims reserve ID --amount A --reason R --note N`: set the reserve, within the authority
//! matrix, with the adjuster's note on its basis.

use super::Globals;
use crate::error::Result;
use crate::workflow::reserves::SetReserve;
use crate::workflow::{parse_claim_id, Command};

/// Set a claim's reserve (the amount after the change). Within the actor's authority it takes
/// effect; above it — or where the matrix wants a second review — it is pending, in
/// `claims queue approvals`, until `claims approve`. A reserve above the policy's applicable
/// limit is flagged (a warning naming the limit, and `claims check` M006).
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// The reserve after the change, e.g. 12500.00.
    #[arg(long)]
    pub amount: String,
    /// new_information, coverage_clarification, medical_update, settlement_negotiation, other
    #[arg(long)]
    pub reason: String,
    /// The adjuster's note explaining the basis of the figure (estimates, bills, valuation).
    #[arg(long)]
    pub note: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    super::run_one(
        g,
        Command::Reserve(SetReserve {
            id,
            amount: args.amount,
            reason: args.reason,
            note: Some(args.note),
        }),
    )
}
