//! `claims spec [workflow|authority]`: the Claims Workflow Specification and the Authority
//! Matrix, as Markdown, from the office's own authority.yaml.

use super::output::Out;
use super::Globals;
use crate::domain::spec;
use crate::error::Result;
use crate::store::files::find_office_root;
use crate::store::files::load_office;

/// Print the Claims Workflow Specification and the Authority Matrix (Markdown), generated from
/// authority.yaml so they never drift from what the tool enforces.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only one of them.
    #[arg(value_enum)]
    pub which: Option<Which>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Workflow,
    Authority,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let office = load_office(&find_office_root(g.repo.as_deref())?)?;
    let mut out = Out::new();
    if args.which != Some(Which::Authority) {
        out.write_str(&spec::workflow(&office));
    }
    if args.which.is_none() {
        out.line("");
    }
    if args.which != Some(Which::Workflow) {
        out.write_str(&spec::authority(&office));
    }
    out.flush();
    Ok(0)
}
