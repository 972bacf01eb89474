//! `claims workload`: open claims per person (and, with `--by-specialty`, per specialty) and
//! whether routing would give each person another claim today.

use std::collections::BTreeMap;

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::routing::{availability, Workload};
use crate::error::Result;
use crate::store::session::Workspace;

/// Open claims per adjuster and specialty, and who is available for routing today.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// One row per specialty instead of per person.
    #[arg(long)]
    pub by_specialty: bool,
    /// Only people holding this specialty.
    #[arg(long, value_name = "NAME")]
    pub specialty: Option<String>,
}

#[derive(Serialize)]
struct PersonRow {
    email: String,
    name: String,
    role: String,
    specialties: Vec<String>,
    open_claims: u32,
    max_open_claims: Option<u32>,
    available: String,
}

#[derive(Serialize)]
struct SpecialtyRow {
    specialty: String,
    people: usize,
    available: usize,
    open_claims: u32,
    capacity_left: String,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let today = ws.now()?.date_naive();
    let claims = super::readable_claims(&ws.root);
    let load = Workload::count(claims.iter());
    let office = &ws.office;
    let people: Vec<PersonRow> = office
        .people
        .iter()
        .filter(|p| !p.specialties.is_empty() || load.open(&p.email) > 0)
        .filter(|p| {
            args.specialty
                .as_ref()
                .is_none_or(|s| p.specialties.contains(s))
        })
        .map(|p| {
            let open = load.open(&p.email);
            PersonRow {
                email: p.email.clone(),
                name: p.name.clone(),
                role: p.role.clone(),
                specialties: p.specialties.clone(),
                open_claims: open,
                max_open_claims: p.max_open_claims,
                available: availability(office, p, open, today)
                    .map_or("yes".to_string(), |why| why.to_string()),
            }
        })
        .collect();
    let mut out = Out::new();
    if args.by_specialty {
        let mut by: BTreeMap<&str, SpecialtyRow> = BTreeMap::new();
        for row in &people {
            for s in &row.specialties {
                let e = by.entry(s.as_str()).or_insert_with(|| SpecialtyRow {
                    specialty: s.clone(),
                    people: 0,
                    available: 0,
                    open_claims: 0,
                    capacity_left: String::new(),
                });
                e.people += 1;
                e.open_claims += row.open_claims;
                if row.available == "yes" {
                    e.available += 1;
                }
            }
        }
        for (s, e) in by.iter_mut() {
            let left: Option<u32> = people
                .iter()
                .filter(|r| r.available == "yes" && r.specialties.iter().any(|x| x == s))
                .map(|r| r.max_open_claims.map(|m| m.saturating_sub(r.open_claims)))
                .sum();
            e.capacity_left = left.map_or("unlimited".into(), |n| n.to_string());
        }
        let rows: Vec<SpecialtyRow> = by.into_values().collect();
        Rows {
            headers: &[
                "specialty",
                "people",
                "available",
                "open_claims",
                "capacity_left",
            ],
            rows: &rows,
            cells: &|r: &SpecialtyRow| {
                vec![
                    r.specialty.clone(),
                    r.people.to_string(),
                    r.available.to_string(),
                    r.open_claims.to_string(),
                    r.capacity_left.clone(),
                ]
            },
        }
        .print(format, &mut out);
    } else {
        Rows {
            headers: &[
                "email",
                "name",
                "role",
                "specialties",
                "open_claims",
                "max_open_claims",
                "available",
            ],
            rows: &people,
            cells: &|r: &PersonRow| {
                vec![
                    r.email.clone(),
                    r.name.clone(),
                    r.role.clone(),
                    r.specialties.join(", "),
                    r.open_claims.to_string(),
                    r.max_open_claims
                        .map_or("unlimited".into(), |m| m.to_string()),
                    r.available.clone(),
                ]
            },
        }
        .print(format, &mut out);
    }
    out.flush();
    Ok(0)
}
