//! `claims letter`: the delivery record of the letters the office writes — record how one
//! went out (`deliver`, one signed commit), and list those with no delivery recorded
//! (`undelivered`).

use clap::Subcommand;
use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::delivery;
use crate::error::Result;
use crate::store::session::Workspace;
use crate::workflow::{delivery::Deliver, parse_claim_id, Command};

/// Letters and their delivery: record how a letter went out; list the ones with no record.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub step: Step,
}

#[derive(Subcommand, Debug)]
pub enum Step {
    /// Record how a letter of the claim went out (any letter: acknowledgment, reservation of
    /// rights, status update, release, denial...). For the denial letter this is the same as
    /// `claims deny deliver`.
    Deliver(DeliverArgs),
    /// List the letters with no delivery to their addressee recorded, oldest first.
    Undelivered(UndeliveredArgs),
}

#[derive(clap::Args, Debug)]
pub struct DeliverArgs {
    pub id: String,
    /// The letter's file on the claim (letters/acknowledgment.txt, or just acknowledgment).
    pub letter: String,
    /// Certified mail: the tracking number.
    #[arg(long, conflicts_with_all = ["message_id", "method"])]
    pub tracking: Option<String>,
    /// Email: the Message-ID of the message that carried it.
    #[arg(long, conflicts_with = "method")]
    pub message_id: Option<String>,
    /// Another way: first-class-mail, hand-delivery, fax or portal.
    #[arg(long, value_name = "WAY", required_unless_present_any = ["tracking", "message_id"])]
    pub method: Option<String>,
    /// With --method: the fax confirmation, the portal's receipt, who signed for it.
    #[arg(long, requires = "method")]
    pub reference: Option<String>,
    /// Who it went to, when not the letter's addressee (a copy to the agent).
    #[arg(long)]
    pub to: Option<String>,
    /// The date it went out; default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
}

#[derive(clap::Args, Debug)]
pub struct UndeliveredArgs {
    /// Only letters to this addressee (insured, agent, reporter, adjuster, ...).
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Serialize)]
struct Row {
    claim: String,
    status: String,
    letter: String,
    template: String,
    to: String,
    written: String,
    days: i64,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    match args.step {
        Step::Deliver(a) => super::run_one(
            g,
            Command::LetterDeliver(Deliver {
                id: parse_claim_id(&a.id)?,
                letter: a.letter,
                to: a.to,
                tracking: a.tracking,
                message_id: a.message_id,
                method: a.method,
                reference: a.reference,
                on: a.on,
            }),
        ),
        Step::Undelivered(a) => undelivered(g, a),
    }
}

fn undelivered(g: &Globals, args: UndeliveredArgs) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let ws = Workspace::open(g.repo.as_deref())?;
    let today = ws.now()?.date_naive();
    let to = args.to.map(|t| t.trim().to_ascii_lowercase());
    let claims = super::readable_claims(&ws.root);
    let mut rows: Vec<Row> = claims
        .iter()
        .flat_map(|c| delivery::undelivered(c).into_iter().map(move |l| (c, l)))
        .filter(|(_, l)| to.as_deref().is_none_or(|t| l.to == t))
        .map(|(c, l)| Row {
            claim: c.id.clone(),
            status: c.status.to_string(),
            letter: l.file.clone(),
            template: l.template.clone(),
            to: l.to.clone(),
            written: l.at.date_naive().to_string(),
            days: (today - l.at.date_naive()).num_days(),
        })
        .collect();
    rows.sort_by(|a, b| {
        a.written
            .cmp(&b.written)
            .then_with(|| a.claim.cmp(&b.claim))
            .then_with(|| a.letter.cmp(&b.letter))
    });
    let mut out = Out::new();
    Rows {
        headers: &[
            "claim", "status", "letter", "template", "to", "written", "days",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.claim.clone(),
                r.status.clone(),
                r.letter.clone(),
                r.template.clone(),
                r.to.clone(),
                r.written.clone(),
                r.days.to_string(),
            ]
        },
    }
    .print(format, &mut out);
    g.say(format!(
        "{} without a delivery record (record one with `claims letter deliver ID LETTER ...`)",
        super::counted(rows.len(), "letter")
    ));
    Ok(0)
}
