//! `claims accept ID`: coverage accepted — the coverage decision in the insured's favour.

use super::Globals;
use crate::error::Result;
use crate::workflow::coverage_decision::AcceptCoverage;
use crate::workflow::{parse_claim_id, Command};

/// Record that coverage is accepted: it stops the coverage-decision clock and, where the
/// state's rule counts payment from acceptance (TX, CA), starts the payment clock. A claim
/// triaged as coverage in question or potentially not covered needs --note saying how the
/// question was resolved, and potentially not covered a person who may `approve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// When the insured was told; default now. YYYY-MM-DD[ HH:MM] in the office time zone, or
    /// RFC 3339.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
    /// Why coverage is accepted (required when triage put it in question).
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(g: &Globals, a: Args) -> Result<i32> {
    let id = parse_claim_id(&a.id)?;
    super::run_one(
        g,
        Command::Accept(AcceptCoverage {
            id,
            at: a.at,
            note: a.note,
        }),
    )
}
