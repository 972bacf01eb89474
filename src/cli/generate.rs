//! `claims generate-office DIR` (hidden): a synthetic office for benchmarks, deterministic from
//! a seed. See [`crate::synthetic`].

use std::path::PathBuf;

use super::Globals;
use crate::error::Result;
use crate::synthetic::{generate, Plan};

/// Make a synthetic office of many claims for benchmarks (deterministic from --seed).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where (a new folder).
    pub dir: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Claims in all (the sample's included).
    #[arg(long, default_value_t = 50_000)]
    pub claims: usize,
    /// Policies in all (the sample's included).
    #[arg(long, default_value_t = 5_000)]
    pub policies: usize,
    /// People in authority.yaml, each with a signing key.
    #[arg(long, default_value_t = 40)]
    pub people: usize,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let bar = super::progress::Progress::start(g, "generate", args.claims);
    let made = generate(
        &Plan {
            dir: args.dir.clone(),
            seed: args.seed,
            claims: args.claims,
            policies: args.policies,
            people: args.people,
        },
        &|| bar.step(),
    )?;
    drop(bar);
    g.say(format!(
        "generated {}: {} new claims, {} new policies, {} people (seed {})",
        args.dir.display(),
        made.claims,
        made.policies,
        made.people,
        args.seed
    ));
    Ok(0)
}
