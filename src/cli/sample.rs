//! `claims sample --size N | --percent P [--seed S] [filters]`: a reproducible random sample
//! of claims for quality control ([`crate::domain::qc`] draws it).

use rust_decimal::Decimal;
use serde::Serialize;

use super::list::{Filter, Filters};
use super::output::{cell, Format, Out, Rows};
use super::Globals;
use crate::domain::claim::Claim;
use crate::domain::claim_summary::ClaimSummary;
use crate::domain::qc::{sample, sample_spec, SampleSize};
use crate::error::{Error, Result};
use crate::store::session::{office_now, Workspace};

/// Draw a reproducible random sample of claims for quality control. The same seed and filters
/// over the same claims draw the same sample, on any machine. The claims that pass the filters
/// are sorted by id and drawn from with the seed; without --seed one is chosen and printed.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// How many claims to draw (all of them when fewer pass the filters).
    #[arg(long, value_name = "N", required_unless_present = "percent")]
    pub size: Option<usize>,
    /// What share of the claims to draw, in percent (rounded up: 10 of 41 claims draws 5).
    #[arg(long, value_name = "P", conflicts_with = "size")]
    pub percent: Option<Decimal>,
    /// The seed to draw with (default: one from the clock, printed so it can be drawn again).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub filter: Filters,
}

#[derive(Serialize)]
struct Row {
    id: String,
    lob: String,
    state: String,
    status: String,
    adjuster: Option<String>,
    closed: Option<String>,
}

#[derive(Serialize)]
struct Report<'a> {
    population: usize,
    size: usize,
    seed: u64,
    filters: std::collections::BTreeMap<String, String>,
    /// What `claims review --sample` records.
    spec: String,
    redraw: String,
    claims: &'a [Row],
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let size = match (args.size, args.percent) {
        (Some(n), _) => SampleSize::Count(n),
        (None, Some(p)) => SampleSize::Percent(p),
        (None, None) => return Err(Error::usage("give --size N or --percent P")),
    };
    size.validate().map_err(Error::usage)?;
    let filter = args.filter.resolve()?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let chosen = args.seed.is_none();
    let seed = match args.seed {
        Some(s) => s,
        None => clock_seed(ws.tz)?,
    };
    let claims = super::readable_claims(&ws.root);
    let (population, drawn) = draw_from(&claims, &filter, size, seed);
    let rows: Vec<Row> = drawn
        .iter()
        .map(|c| Row {
            id: c.id.clone(),
            lob: crate::workflow::plain(&c.lob),
            state: c.jurisdiction.clone(),
            status: c.status.to_string(),
            adjuster: c.handled_by().map(str::to_string),
            closed: c.closed_at().map(|t| t.date_naive().to_string()),
        })
        .collect();
    let given = args.filter.given();
    let spec = sample_spec(seed, size, &given);
    let redraw = redraw_command(seed, size, &given);
    let mut out = Out::new();
    if format == Format::Json {
        let report = Report {
            population,
            size: rows.len(),
            seed,
            filters: given.iter().cloned().collect(),
            spec: spec.clone(),
            redraw: redraw.clone(),
            claims: &rows,
        };
        out.line(&serde_json::to_string_pretty(&report).expect("the report serializes"));
        out.flush();
    } else {
        Rows {
            headers: &["id", "lob", "state", "status", "adjuster", "closed"],
            rows: &rows,
            cells: &|r: &Row| {
                vec![
                    r.id.clone(),
                    r.lob.clone(),
                    r.state.clone(),
                    r.status.clone(),
                    cell(r.adjuster.as_ref()),
                    cell(r.closed.as_ref()),
                ]
            },
        }
        .print(format, &mut out);
    }
    let filters = if given.is_empty() {
        "none (every claim)".to_string()
    } else {
        given
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    g.say(format!(
        "sampled {} of {} claims (seed {seed}{}; filters: {filters})",
        rows.len(),
        population,
        if chosen {
            ", chosen from the clock"
        } else {
            ""
        },
    ));
    g.say(format!("draw it again: {redraw}"));
    g.say(format!(
        "record a review: claims review ID --pass | --fail CODE --note TEXT --sample \"{spec}\""
    ));
    if chosen && g.quiet {
        super::progress::say_line(&format!("seed {seed}"));
    }
    Ok(0)
}

/// The claims that pass `filter`, sorted by id, and the sample drawn from them: (how many
/// passed, the sample).
pub(crate) fn draw_from<'c>(
    claims: &'c [Claim],
    filter: &Filter,
    size: SampleSize,
    seed: u64,
) -> (usize, Vec<&'c Claim>) {
    let mut population: Vec<&Claim> = claims
        .iter()
        .filter(|c| filter.matches(&ClaimSummary::of(c)))
        .collect();
    population.sort_by(|a, b| a.id.cmp(&b.id));
    (population.len(), sample(&population, size, seed))
}

/// The sample a spec (as `claims sample` prints it: `seed=42 size=10 status=closed`) draws
/// from `claims` today; None when the spec cannot be read back.
pub(crate) fn drawn_by_spec<'c>(claims: &'c [Claim], spec: &str) -> Option<Vec<&'c Claim>> {
    let s = crate::domain::qc::parse_spec(spec)?;
    let filter = Filters::from_given(&s.filters).ok()?.resolve().ok()?;
    Some(draw_from(claims, &filter, s.size, s.seed).1)
}

/// A seed from the clock: the office time to the nanosecond, mixed (SplitMix64's finalizer)
/// and kept to six digits so a person can read it out; a fixed `CLAIMS_NOW` gives a fixed seed.
fn clock_seed(tz: chrono_tz::Tz) -> Result<u64> {
    let now = office_now(tz)?;
    let nanos = now.timestamp_nanos_opt().unwrap_or_else(|| now.timestamp());
    let mut z = (nanos as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    Ok((z ^ (z >> 31)) % 1_000_000)
}

/// The command line that draws the same sample: `claims sample --seed S --size N --status closed`.
fn redraw_command(seed: u64, size: SampleSize, given: &[(String, String)]) -> String {
    let mut words = vec!["claims".to_string(), "sample".into()];
    words.push(format!("--seed {seed}"));
    words.push(match size {
        SampleSize::Count(n) => format!("--size {n}"),
        SampleSize::Percent(p) => format!("--percent {}", p.normalize()),
    });
    words.extend(
        given
            .iter()
            .map(|(k, v)| format!("--{k} {}", shell_word(v))),
    );
    words.join(" ")
}

/// A word as a POSIX shell reads it back: bare when it is plain, else in single quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redraw_command_reads_back_in_a_shell() {
        let given = vec![
            ("status".to_string(), "closed".to_string()),
            ("agent".to_string(), "O'Neil Agency".to_string()),
        ];
        assert_eq!(
            redraw_command(42, SampleSize::Count(10), &given),
            r"claims sample --seed 42 --size 10 --status closed --agent 'O'\''Neil Agency'"
        );
    }
}
