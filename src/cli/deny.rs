//! `claims deny`: the regulated denial path, one signed commit per step.
//!
//! recommend (adjuster) → review (compliance or counsel, where the office requires it) →
//! approve (a supervisor who did not recommend it) → letter (generated from the office's
//! template, refused if an element would be missing) → deliver (to the insured and the agent;
//! the claim is denied once both have it).

use clap::Subcommand;

use super::Globals;
use crate::error::Result;
use crate::workflow::denial::{self, ApproveDenial, Deliver, Letter, Recommend, Review};
use crate::workflow::{parse_claim_id, Command};

/// Deny a claim: recommend, review, approve, write the letter, record its delivery.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub step: Step,
}

#[derive(Subcommand, Debug)]
pub enum Step {
    /// The adjuster recommends a denial, citing the policy's own provisions.
    Recommend(RecommendArgs),
    /// Compliance or counsel records its review (required first for represented claimants,
    /// bodily injury, or a reserve over the office's threshold).
    Review(ReviewArgs),
    /// A supervisor approves the recommended denial (never the one who recommended it).
    Approve(ApproveArgs),
    /// Write the denial letter from templates/denial.txt.j2 into the claim's letters/.
    Letter(LetterArgs),
    /// Record delivery of the letter to the insured or the agent; with both, the claim is denied.
    Deliver(DeliverArgs),
}

#[derive(clap::Args, Debug)]
pub struct RecommendArgs {
    pub id: String,
    /// lapsed, cancelled, excluded_peril, condition_notice, condition_cooperation,
    /// condition_fraud, limit_exhausted, location_not_covered
    #[arg(long)]
    pub trigger: String,
    /// A provision id from the policy file (section, page and language are quoted from it);
    /// repeat for several.
    #[arg(long = "provision", value_name = "ID")]
    pub provisions: Vec<String>,
    /// Why the loss is not covered under those provisions, in plain words for the insured.
    #[arg(long)]
    pub explanation: String,
    /// limit_exhausted: what has been paid against the limit so far.
    #[arg(long, value_name = "AMOUNT")]
    pub paid_against_limit: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    pub id: String,
    /// What the review found.
    #[arg(long)]
    pub note: String,
}

#[derive(clap::Args, Debug)]
pub struct ApproveArgs {
    pub id: String,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    CertifiedMail,
    Electronic,
}

#[derive(clap::Args, Debug)]
pub struct LetterArgs {
    pub id: String,
    /// How the letter will be sent (printed at its head).
    #[arg(long, value_enum)]
    pub method: Method,
}

#[derive(clap::Args, Debug)]
pub struct DeliverArgs {
    pub id: String,
    /// insured or agent
    #[arg(long)]
    pub to: String,
    /// Certified mail: the tracking number.
    #[arg(
        long,
        conflicts_with = "message_id",
        required_unless_present = "message_id"
    )]
    pub tracking: Option<String>,
    /// Electronic delivery: the message id of the email that carried it.
    #[arg(long)]
    pub message_id: Option<String>,
    /// The date it was sent; default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let command = match args.step {
        Step::Recommend(a) => Command::DenyRecommend(Recommend {
            id: parse_claim_id(&a.id)?,
            trigger: a.trigger,
            provisions: a.provisions,
            explanation: a.explanation,
            paid_against_limit: a.paid_against_limit,
        }),
        Step::Review(a) => Command::DenyReview(Review {
            id: parse_claim_id(&a.id)?,
            note: a.note,
        }),
        Step::Approve(a) => Command::DenyApprove(ApproveDenial {
            id: parse_claim_id(&a.id)?,
            note: a.note,
        }),
        Step::Letter(a) => Command::DenyLetter(Letter {
            id: parse_claim_id(&a.id)?,
            method: match a.method {
                Method::CertifiedMail => denial::Method::CertifiedMail,
                Method::Electronic => denial::Method::Electronic,
            },
        }),
        Step::Deliver(a) => Command::DenyDeliver(Deliver {
            id: parse_claim_id(&a.id)?,
            to: a.to,
            tracking: a.tracking,
            message_id: a.message_id,
            on: a.on,
        }),
    };
    super::run_one(g, command)
}
