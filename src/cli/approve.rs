//! `claims approve ID`: approve what is waiting on a claim — a pending reserve change or
//! payment (by someone whose authority covers it, never the requester), or a recommended
//! denial (as `claims deny approve`).

use super::Globals;
use crate::error::Result;
use crate::workflow::reserves::Approve;
use crate::workflow::{parse_claim_id, Command};

/// Approve what waits on a claim: a pending reserve change or payment, or a recommended denial.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    super::run_one(
        g,
        Command::Approve(Approve {
            id,
            note: args.note,
        }),
    )
}
