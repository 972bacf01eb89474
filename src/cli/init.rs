//! `claims init DIR [--example] [--ci github|gitlab]`: a new office repository; `claims init
//! --ci github|gitlab` in an office adds the CI job that runs its gates.

use std::path::{Path, PathBuf};

use super::ci::{self, Ci};
use super::Globals;
use crate::error::{Error, Result};
use crate::store::office_init::{init_office, InitRequest};

/// Create a new claims office: a git repository with authority.yaml, policies/, claims/ and
/// templates/, and a signing setup plain git verifies. Without a signing key configured in
/// git, an Ed25519 key is generated outside the repository (CLAIMS_KEY_DIR, default
/// ~/.config/claims/keys) and registered on your person in authority.yaml.
///
/// With --ci github|gitlab, also write the CI job that runs `claims check` and `claims audit`
/// (over the whole history) on every push and pull or merge request; without DIR, into the
/// office you are in. Commit it like any other file.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The new office's folder (without it, --ci writes into the current office).
    #[arg(required_unless_present = "ci")]
    pub dir: Option<PathBuf>,
    /// Write the CI job: .github/workflows/claims.yml or .gitlab-ci.yml.
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub ci: Option<Ci>,
    /// The git URL the CI job installs claims from (`cargo install --git URL claims`);
    /// default: the CI variable CLAIMS_TOOL_GIT.
    #[arg(long, requires = "ci", value_name = "URL")]
    pub tool: Option<String>,
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
    let Some(dir) = args.dir else {
        if args.example || args.name.is_some() || args.email.is_some() || args.office_name.is_some()
        {
            return Err(Error::usage("--example, --name, --email and --office-name make a new office: name its folder (claims init DIR)"));
        }
        let root = crate::store::files::find_office_root(g.repo.as_deref())?;
        return write_ci(g, &root, args.ci, args.tool.as_deref());
    };
    let report = init_office(&InitRequest {
        dir,
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
    write_ci(g, &report.root, args.ci, args.tool.as_deref())?;
    g.say(format!(
        "next: cd {} && claims check",
        report.root.display()
    ));
    Ok(0)
}

/// Writes the CI job, if one was asked for, and says how it gets into the history.
fn write_ci(g: &Globals, root: &Path, which: Option<Ci>, tool: Option<&str>) -> Result<i32> {
    let Some(which) = which else {
        return Ok(0);
    };
    ci::write(root, which, tool)?;
    g.say(format!("wrote {}", which.file()));
    if tool.is_none() {
        g.say("  set the CI variable CLAIMS_TOOL_GIT to the git URL of claims (or run again with --tool URL)");
    }
    g.say(format!(
        "  commit it with your key (git add {0} && git commit -S -m \"CI: the office's gates\"); the audit lists it once for review (A014)",
        which.file()
    ));
    Ok(0)
}
