//! `claims init DIR [--example]`: a new office repository.

use std::path::PathBuf;

use super::Globals;
use crate::error::Result;
use crate::store::office_init::{init_office, InitRequest};

/// Create a new claims office: a git repository with authority.yaml, policies/, claims/ and
/// templates/, and a signing setup plain git verifies. Without a signing key configured in
/// git, an Ed25519 key is generated outside the repository (CLAIMS_KEY_DIR, default
/// ~/.config/claims/keys) and registered on your person in authority.yaml.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub dir: PathBuf,
    /// Add the sample office: people (each with a generated key; act as one with --as EMAIL),
    /// policies and claims across the lifecycle.
    #[arg(long)]
    pub example: bool,
    /// Your name (default: git's user.name).
    #[arg(long)]
    pub name: Option<String>,
    /// Your email (default: git's user.email); with --example, the sample person to act as.
    #[arg(long)]
    pub email: Option<String>,
    /// The office's name (default: the folder's name).
    #[arg(long)]
    pub office_name: Option<String>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let report = init_office(&InitRequest {
        dir: args.dir,
        example: args.example,
        name: args.name,
        email: args.email,
        office_name: args.office_name,
    })?;
    g.say(format!("created the office at {}", report.root.display()));
    g.say(format!(
        "acting as {} (commit {})",
        report.actor,
        &report.commit.to_string()[..12]
    ));
    for (email, path, fresh) in &report.keys {
        if *fresh {
            g.say(format!(
                "  generated signing key for {email}: {}",
                path.display()
            ));
        }
    }
    g.say(format!(
        "next: cd {} && claims check",
        report.root.display()
    ));
    Ok(0)
}
