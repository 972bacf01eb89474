//! Commands that record the events SLA clocks start and stop on, each one signed commit:
//! `claims inquiry`, `claims answer`, `claims proof-of-loss`, `claims acknowledge`.

use super::sla_report::parse_at;
use super::{open_session as open, Globals};
use crate::domain::claim::{Claim, Inquiry, Note, Timestamp};
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;
use crate::store::session::{ClaimChange, Session};

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

/// Resolves `--at` against the commit's clock and checks it is neither in the future nor
/// before the claim was received.
fn when(at: &Option<Timestamp>, claim: &Claim, now: Timestamp) -> Result<Timestamp> {
    let t = at.unwrap_or(now);
    if t > now {
        return Err(Error::refused(format!(
            "--at {} is in the future (now is {})",
            t.to_rfc3339(),
            now.to_rfc3339()
        )));
    }
    if t < claim.received_at {
        return Err(Error::refused(format!(
            "--at {} is before the claim was received ({})",
            t.to_rfc3339(),
            claim.received_at.to_rfc3339()
        )));
    }
    Ok(t)
}

fn at_arg(session: &Session, at: Option<&str>) -> Result<Option<Timestamp>> {
    at.map(|s| parse_at(s, session.ws.tz)).transpose()
}

pub fn run_inquiry(g: &Globals, args: InquiryArgs) -> Result<i32> {
    if let Some(n) = args.answer {
        return run_answer(
            g,
            AnswerArgs {
                id: args.id,
                inquiry: Some(n),
                at: args.at,
            },
        );
    }
    let from = args.from.unwrap_or_default().trim().to_string();
    let subject = args.subject.unwrap_or_default().trim().to_string();
    if from.is_empty() || subject.is_empty() {
        return Err(Error::refused("--from and --subject must not be empty"));
    }
    let id = parse_claim_id(&args.id)?;
    let session = open(g, Permission::Note, "record inquiries")?;
    let at = at_arg(&session, args.at.as_deref())?;
    let done = session.change_claim(&id, "inquiry", g.dry_run, |claim, now| {
        let t = when(&at, claim, now)?;
        claim.sla.inquiries.push(Inquiry {
            received_at: t,
            from: from.clone(),
            subject: subject.clone(),
            answered_at: None,
        });
        let n = claim.sla.inquiries.len();
        Ok(
            ClaimChange::new(format!("inquiry {}: #{n} from {from}: {subject}", claim.id))
                .trailer("Clock", format!("inquiry#{n}"))
                .trailer("At", t.to_rfc3339()),
        )
    })?;
    super::update::report(g, &done);
    Ok(0)
}

pub fn run_answer(g: &Globals, args: AnswerArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    let session = open(g, Permission::Note, "answer inquiries")?;
    let at = at_arg(&session, args.at.as_deref())?;
    let done = session.change_claim(&id, "answer", g.dry_run, |claim, now| {
        let t = when(&at, claim, now)?;
        let count = claim.sla.inquiries.len();
        let n = match args.inquiry {
            Some(n) => {
                if n == 0 || n > count {
                    return Err(Error::refused(format!(
                        "{} has {count} inquir{}; there is no inquiry {n}",
                        claim.id,
                        if count == 1 { "y" } else { "ies" }
                    )));
                }
                n
            }
            None => {
                claim
                    .sla
                    .inquiries
                    .iter()
                    .position(|q| q.answered_at.is_none())
                    .ok_or_else(|| {
                        Error::refused(format!("{} has no unanswered inquiry", claim.id))
                    })?
                    + 1
            }
        };
        let q = &mut claim.sla.inquiries[n - 1];
        if let Some(prev) = q.answered_at {
            return Err(Error::refused(format!(
                "inquiry {n} on {} was already answered at {}",
                claim.id,
                prev.to_rfc3339()
            )));
        }
        if t < q.received_at {
            return Err(Error::refused(format!(
                "the answer ({}) would come before inquiry {n} arrived ({})",
                t.to_rfc3339(),
                q.received_at.to_rfc3339()
            )));
        }
        q.answered_at = Some(t);
        let subject = q.subject.clone();
        Ok(
            ClaimChange::new(format!("answer {}: inquiry #{n}: {subject}", claim.id))
                .trailer("Clock", format!("inquiry#{n}"))
                .trailer("At", t.to_rfc3339()),
        )
    })?;
    super::update::report(g, &done);
    Ok(0)
}

pub fn run_proof_of_loss(g: &Globals, args: ProofOfLossArgs) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    let session = open(g, Permission::Investigate, "record proof of loss")?;
    let at = at_arg(&session, args.at.as_deref())?;
    let done = session.change_claim(&id, "proof-of-loss", g.dry_run, |claim, now| {
        let t = when(&at, claim, now)?;
        if let Some(prev) = claim.sla.proof_of_loss_at {
            return Err(Error::refused(format!(
                "{} already has proof of loss received at {}",
                claim.id,
                prev.to_rfc3339()
            )));
        }
        claim.sla.proof_of_loss_at = Some(t);
        Ok(
            ClaimChange::new(format!("proof-of-loss {}: received", claim.id))
                .trailer("Clock", "payment")
                .trailer("At", t.to_rfc3339()),
        )
    })?;
    super::update::report(g, &done);
    Ok(0)
}

pub fn run_acknowledge(g: &Globals, args: AcknowledgeArgs) -> Result<i32> {
    let how = args.how.trim().to_string();
    if how.is_empty() {
        return Err(Error::refused(
            "--how must say how the acknowledgment was sent",
        ));
    }
    let id = parse_claim_id(&args.id)?;
    let session = open(g, Permission::Note, "record acknowledgments")?;
    let by = session.actor.email.clone();
    let at = at_arg(&session, args.at.as_deref())?;
    let done = session.change_claim(&id, "acknowledge", g.dry_run, |claim, now| {
        let t = when(&at, claim, now)?;
        if let Some(prev) = claim.sla.acknowledged_at {
            return Err(Error::refused(format!(
                "{} was already acknowledged at {}",
                claim.id,
                prev.to_rfc3339()
            )));
        }
        claim.sla.acknowledged_at = Some(t);
        claim.notes.push(Note {
            at: now,
            by: by.clone(),
            text: format!(
                "Acknowledgment sent outside the tool at {}: {how}",
                t.to_rfc3339()
            ),
        });
        Ok(ClaimChange::new(format!("acknowledge {}: {how}", claim.id))
            .trailer("Clock", "acknowledgment")
            .trailer("At", t.to_rfc3339()))
    })?;
    super::update::report(g, &done);
    Ok(0)
}
