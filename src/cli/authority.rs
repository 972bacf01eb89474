//! `claims authority`: the authority matrix of authority.yaml, as a table, CSV or JSON.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::error::Result;
use crate::store::files::{find_office_root, load_office};

/// Print the authority matrix: reserve and settlement limits by claim type and role, and the
/// second review the matrix requires.
#[derive(clap::Args, Debug)]
pub struct Args {}

#[derive(Serialize)]
struct Row {
    kind: &'static str,
    claim_type: String,
    role: String,
    up_to: String,
    review_by: String,
}

pub fn run(g: &Globals, _args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let office = load_office(&find_office_root(g.repo.as_deref())?)?;
    let mut rows = Vec::new();
    for (kind, rules) in [
        ("reserve", &office.authority_matrix.reserve),
        ("settlement", &office.authority_matrix.settlement),
    ] {
        for r in rules {
            for l in &r.limits {
                rows.push(Row {
                    kind,
                    claim_type: r.claim_type.clone(),
                    role: l.role.clone(),
                    up_to: l.up_to.map_or("unlimited".into(), |m| m.to_string()),
                    review_by: r.review_by.clone().unwrap_or_default(),
                });
            }
        }
    }
    let mut out = Out::new();
    Rows {
        headers: &["kind", "claim_type", "role", "up_to", "review_by"],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.kind.to_string(),
                r.claim_type.clone(),
                r.role.clone(),
                r.up_to.clone(),
                r.review_by.clone(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    Ok(0)
}
