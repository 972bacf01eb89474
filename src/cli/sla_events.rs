//! Commands that record the events SLA clocks start and stop on, each one signed commit:
//! `claims inquiry`, `claims answer`, `claims proof-of-loss`, `claims acknowledge`.

use super::Globals;
use crate::error::Result;
use crate::workflow::sla_events::{Acknowledge, AnswerInquiry, ProofOfLoss, RecordInquiry};
use crate::workflow::{parse_claim_id, Command};

/// Record an inquiry from the insured (starts an inquiry clock), or answer one with --answer.
#[derive(clap::Args, Debug)]
pub struct InquiryArgs {
    pub id: String,
    /// Who asked (name, firm).
    #[arg(long, required_unless_present = "answer", conflicts_with = "answer")]
    pub from: Option<String>,
    /// What they asked about.
    #[arg(long, required_unless_present = "answer", conflicts_with = "answer")]
    pub subject: Option<String>,
    /// Instead of recording one: mark inquiry N (1-based, as in sla-report's `inquiry#N`)
    /// answered.
    #[arg(long, value_name = "N")]
    pub answer: Option<usize>,
    /// When it arrived (or was answered); default now. YYYY-MM-DD[ HH:MM] in the office time
    /// zone, or RFC 3339.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
}

/// Mark an inquiry answered (stops its clock): inquiry N, or the oldest open one.
#[derive(clap::Args, Debug)]
pub struct AnswerArgs {
    pub id: String,
    /// Which inquiry (1-based, as in sla-report's `inquiry#N`); default the oldest open one.
    #[arg(long, value_name = "N")]
    pub inquiry: Option<usize>,
    /// When it was answered; default now.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
}

/// Record that proof of loss was received (starts the payment clock where the rule says so).
#[derive(clap::Args, Debug)]
pub struct ProofOfLossArgs {
    pub id: String,
    /// When it was received; default now.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
}

/// Record an acknowledgment sent to the insured outside the tool (stops the acknowledgment
/// clock); the how goes into a note on the claim.
#[derive(clap::Args, Debug)]
pub struct AcknowledgeArgs {
    pub id: String,
    /// How it was sent: "phone call to the insured", "email from the shared mailbox", ...
    #[arg(long)]
    pub how: String,
    /// When it was sent; default now.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
}

pub fn run_inquiry(g: &Globals, args: InquiryArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    if let Some(n) = args.answer {
        return super::run_one(
            g,
            Command::Answer(AnswerInquiry {
                id,
                inquiry: Some(n),
                at: args.at,
            }),
        );
    }
    super::run_one(
        g,
        Command::Inquiry(RecordInquiry {
            id,
            from: args.from.unwrap_or_default(),
            subject: args.subject.unwrap_or_default(),
            at: args.at,
        }),
    )
}

pub fn run_answer(g: &Globals, args: AnswerArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    super::run_one(
        g,
        Command::Answer(AnswerInquiry {
            id,
            inquiry: args.inquiry,
            at: args.at,
        }),
    )
}

pub fn run_proof_of_loss(g: &Globals, args: ProofOfLossArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    super::run_one(g, Command::ProofOfLoss(ProofOfLoss { id, at: args.at }))
}

pub fn run_acknowledge(g: &Globals, args: AcknowledgeArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    super::run_one(
        g,
        Command::Acknowledge(Acknowledge {
            id,
            how: args.how,
            at: args.at,
        }),
    )
}
