//! `claims complete ID --set FIELD=VALUE...`: fill the missing facts of an incomplete intake;
//! when nothing is missing any more the claim moves to `reported` (event `completed`).

use super::Globals;
use crate::error::Result;
use crate::workflow::intake::Complete;
use crate::workflow::{parse_claim_id, Command};

/// Complete an incomplete intake (one signed commit). Fields are paths into the claim, as
/// `claims queue` lists them: `loss.time=07:45`, `auto.vehicles[0].vin=...`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// FIELD=VALUE; repeat for several fields.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Set the line of business (when the notice did not tell it correctly).
    #[arg(long)]
    pub lob: Option<String>,
    /// Accept VINs whose check digit fails (recorded on the vehicle as overridden).
    #[arg(long)]
    pub accept_vin: bool,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    let session = super::session(g)?;
    let done = session.run(
        &Command::Complete(Complete {
            id,
            sets: args.set,
            lob: args.lob,
            accept_vin: args.accept_vin,
        }),
        g.dry_run,
    )?;
    super::update::report(g, &done);
    if let Some(c) = done.claim().filter(|c| !c.missing.is_empty()) {
        g.say(format!(
            "{} is still incomplete; missing: {}",
            c.id,
            c.missing.join(", ")
        ));
    }
    Ok(0)
}
