//! `claims explain CODE`: the long description of a finding code.

use super::output::Out;
use super::Globals;
use crate::check::finding::{code_doc, CODES};
use crate::error::{Error, Result};

/// Explain a finding code from `claims check` or `claims audit` (all codes when none given).
#[derive(clap::Args, Debug)]
pub struct Args {
    pub code: Option<String>,
}

pub fn run(_g: &Globals, args: Args) -> Result<i32> {
    let mut out = Out::new();
    match args.code {
        Some(code) => {
            let doc = code_doc(&code)
                .ok_or_else(|| Error::usage(format!("unknown finding code `{code}`")))?;
            out.line(&format!(
                "{} ({}): {}",
                doc.code,
                doc.severity.as_str(),
                doc.title
            ));
            out.line("");
            out.line(doc.explanation);
        }
        None => {
            for d in CODES {
                out.line(&format!(
                    "{}  {:7}  {}",
                    d.code,
                    d.severity.as_str(),
                    d.title
                ));
            }
        }
    }
    Ok(0)
}
