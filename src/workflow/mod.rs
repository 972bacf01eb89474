//! The claims workflow as transitions.
//!
//! Every change the tool makes is one [`Command`], and the effect of each is a pure function:
//!
//! ```text
//! (the office at the parent commit, the actor, the time, the arguments) → a Change | a refusal
//! ```
//!
//! The command line parses arguments into a `Command`; the store runs it on the branch tip
//! ([`Desk`]) and commits the [`Change`] it returns as one signed commit, whose trailers record
//! the command and every argument; `claims audit` runs the very same function on every
//! commit's parent and requires the commit to be byte-identical to what it returns. Nothing
//! else decides what a command does.
//!
//! One module per stage of the workflow: intake, triage, assignment, investigation, reserves,
//! settlement, denial, the SLA events, the record itself, and the office's own governance.

pub mod args;
pub mod assignment;
pub mod authority;
pub mod change;
pub mod claim_merge;
pub mod closing;
pub mod coverage_decision;
pub mod delivery;
pub mod denial;
pub mod desk;
pub mod diaries;
pub mod duplicates;
pub mod fields;
pub mod governance;
pub mod intake;
pub mod investigation;
pub mod migrate;
pub mod qc;
pub mod records;
pub mod register;
pub mod release;
pub mod reserves;
pub mod settlement;
pub mod sla_events;
pub mod status_updates;
pub mod triage;

pub use change::{Change, ClaimEdit, Edit, File};
pub use desk::{Desk, Records};
pub use register::Register;

use crate::domain::claim_id::ClaimId;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use args::{Reader, Recorder};

/// Every command that changes records, with its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Intake(Box<intake::FirstNotice>),
    Complete(intake::Complete),
    Triage(triage::TriageClaim),
    Merge(duplicates::Merge),
    Unmerge(duplicates::Unmerge),
    KeepSeparate(duplicates::KeepSeparate),
    Assign(assignment::Assign),
    Task(investigation::TrackTask),
    Document(investigation::TrackDocument),
    Reserve(reserves::SetReserve),
    Approve(reserves::Approve),
    Settle(settlement::Settle),
    Negotiate(settlement::Negotiate),
    Pay(settlement::Pay),
    Release(release::WriteRelease),
    Close(closing::Close),
    Reopen(closing::Reopen),
    Subrogation(settlement::FlagSubrogation),
    DenyRecommend(denial::Recommend),
    DenyReview(denial::Review),
    DenyApprove(denial::ApproveDenial),
    DenyLetter(denial::Letter),
    DenyDeliver(denial::Deliver),
    Inquiry(sla_events::RecordInquiry),
    Answer(sla_events::AnswerInquiry),
    ProofOfLoss(sla_events::ProofOfLoss),
    Acknowledge(sla_events::Acknowledge),
    StatusUpdate(status_updates::StatusUpdate),
    Diary(diaries::SetDiary),
    DiaryDone(diaries::DiaryDone),
    Review(qc::Review),
    Accept(coverage_decision::AcceptCoverage),
    Note(records::AddNote),
    Update(records::Correct),
    AuthorityPropose(authority::Propose),
    AuthorityApprove(authority::ApproveProposal),
    AuthorityReject(authority::RejectProposal),
    KeysRotate(authority::RotateKey),
    LetterDeliver(delivery::Deliver),
    Migrate(migrate::Migrate),
}

/// Calls `$body` with the command's own arguments, whichever command it is.
macro_rules! each_command {
    ($cmd:expr, $a:ident => $body:expr) => {
        match $cmd {
            Command::Intake($a) => $body,
            Command::Complete($a) => $body,
            Command::Triage($a) => $body,
            Command::Merge($a) => $body,
            Command::Unmerge($a) => $body,
            Command::KeepSeparate($a) => $body,
            Command::Assign($a) => $body,
            Command::Task($a) => $body,
            Command::Document($a) => $body,
            Command::Reserve($a) => $body,
            Command::Approve($a) => $body,
            Command::Settle($a) => $body,
            Command::Negotiate($a) => $body,
            Command::Pay($a) => $body,
            Command::Release($a) => $body,
            Command::Close($a) => $body,
            Command::Reopen($a) => $body,
            Command::Subrogation($a) => $body,
            Command::DenyRecommend($a) => $body,
            Command::DenyReview($a) => $body,
            Command::DenyApprove($a) => $body,
            Command::DenyLetter($a) => $body,
            Command::DenyDeliver($a) => $body,
            Command::Inquiry($a) => $body,
            Command::Answer($a) => $body,
            Command::ProofOfLoss($a) => $body,
            Command::Acknowledge($a) => $body,
            Command::StatusUpdate($a) => $body,
            Command::Diary($a) => $body,
            Command::DiaryDone($a) => $body,
            Command::Review($a) => $body,
            Command::Accept($a) => $body,
            Command::Note($a) => $body,
            Command::Update($a) => $body,
            Command::AuthorityPropose($a) => $body,
            Command::AuthorityApprove($a) => $body,
            Command::AuthorityReject($a) => $body,
            Command::KeysRotate($a) => $body,
            Command::LetterDeliver($a) => $body,
            Command::Migrate($a) => $body,
        }
    };
}

impl Command {
    /// Every command's `Command:` trailer, as [`Command::name`] gives them.
    pub const NAMES: [&'static str; 40] = [
        "intake",
        "complete",
        "triage",
        "merge",
        "unmerge",
        "keep-separate",
        "assign",
        "task",
        "document",
        "reserve",
        "approve",
        "settle",
        "negotiate",
        "pay",
        "release",
        "close",
        "reopen",
        "subrogation",
        "deny recommend",
        "deny review",
        "deny approve",
        "deny letter",
        "deny deliver",
        "inquiry",
        "answer",
        "proof-of-loss",
        "acknowledge",
        "status-update",
        "diary add",
        "diary done",
        "review",
        "accept",
        "note",
        "update",
        "authority propose",
        "authority approve",
        "authority reject",
        "keys rotate",
        "letter deliver",
        "migrate",
    ];

    /// The `Command:` trailer.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Intake(_) => "intake",
            Command::Complete(_) => "complete",
            Command::Triage(_) => "triage",
            Command::Merge(_) => "merge",
            Command::Unmerge(_) => "unmerge",
            Command::KeepSeparate(_) => "keep-separate",
            Command::Assign(_) => "assign",
            Command::Task(_) => "task",
            Command::Document(_) => "document",
            Command::Reserve(_) => "reserve",
            Command::Approve(_) => "approve",
            Command::Settle(_) => "settle",
            Command::Negotiate(_) => "negotiate",
            Command::Pay(_) => "pay",
            Command::Release(_) => "release",
            Command::Close(_) => "close",
            Command::Reopen(_) => "reopen",
            Command::Subrogation(_) => "subrogation",
            Command::DenyRecommend(_) => "deny recommend",
            Command::DenyReview(_) => "deny review",
            Command::DenyApprove(_) => "deny approve",
            Command::DenyLetter(_) => "deny letter",
            Command::DenyDeliver(_) => "deny deliver",
            Command::Inquiry(_) => "inquiry",
            Command::Answer(_) => "answer",
            Command::ProofOfLoss(_) => "proof-of-loss",
            Command::Acknowledge(_) => "acknowledge",
            Command::StatusUpdate(_) => "status-update",
            Command::Diary(_) => "diary add",
            Command::DiaryDone(_) => "diary done",
            Command::Review(_) => "review",
            Command::Accept(_) => "accept",
            Command::Note(_) => "note",
            Command::Update(_) => "update",
            Command::AuthorityPropose(_) => "authority propose",
            Command::AuthorityApprove(_) => "authority approve",
            Command::AuthorityReject(_) => "authority reject",
            Command::KeysRotate(_) => "keys rotate",
            Command::LetterDeliver(_) => "letter deliver",
            Command::Migrate(_) => "migrate",
        }
    }

    /// What the actor's role must allow, in words for the refusal. `None`: the command
    /// decides by the claim (`approve` approves money or a denial).
    pub fn needs(&self) -> Option<(Permission, &'static str)> {
        use Permission::*;
        Some(match self {
            Command::Intake(_) => (Intake, "take in new claims"),
            Command::Complete(_) => (Intake, "complete intakes"),
            Command::Triage(_) => (Triage, "triage claims"),
            Command::Merge(_) => (Triage, "merge duplicate reports"),
            Command::Unmerge(_) => (Triage, "unmerge reports"),
            Command::KeepSeparate(_) => (Triage, "review possible duplicates"),
            Command::Assign(a) => a.needs(),
            Command::Task(_) => (Investigate, "track investigation tasks"),
            Command::Document(_) => (Investigate, "track claim documents"),
            Command::Reserve(_) => (Reserve, "set reserves"),
            // They decide by the claim (`approve` approves money or a denial, `reopen` a closed
            // file or a denial) or by the governance rules (who may manage authority.yaml).
            Command::Approve(_)
            | Command::Reopen(_)
            | Command::AuthorityPropose(_)
            | Command::AuthorityApprove(_)
            | Command::AuthorityReject(_)
            | Command::KeysRotate(_)
            | Command::Migrate(_) => return None,
            // Any letter's delivery is a note's work; the denial letter's decides the denial,
            // and needs who may recommend one (see [`delivery::Deliver::apply`]).
            Command::LetterDeliver(_) => return None,
            Command::Settle(_) => (Settle, "propose settlements"),
            Command::Negotiate(_) => (Settle, "log settlement negotiations"),
            Command::Pay(_) => (Pay, "issue payments"),
            Command::Release(_) => (Settle, "write releases"),
            Command::Close(_) => (Settle, "close claims"),
            Command::Subrogation(_) => (Settle, "flag subrogation"),
            Command::DenyRecommend(_) => (RecommendDenial, "recommend denials"),
            Command::DenyReview(_) => (ComplianceReview, "review denials"),
            Command::DenyApprove(_) => (ApproveDenial, "approve denials"),
            Command::DenyLetter(_) => (RecommendDenial, "write denial letters"),
            Command::DenyDeliver(_) => (RecommendDenial, "record denial deliveries"),
            Command::Inquiry(_) => (Note, "record inquiries"),
            Command::Answer(_) => (Note, "answer inquiries"),
            Command::ProofOfLoss(_) => (Investigate, "record proof of loss"),
            Command::Acknowledge(_) => (Note, "record acknowledgments"),
            Command::StatusUpdate(_) => (Note, "send status updates"),
            Command::Diary(_) | Command::DiaryDone(_) => (Note, "keep diaries"),
            Command::Review(_) => (QcReview, "review claim files for quality control"),
            Command::Accept(_) => (Settle, "accept coverage"),
            Command::Note(_) => (Note, "add notes"),
            Command::Update(_) => (Update, "correct claim records"),
        })
    }

    /// The `Args:` trailer.
    pub fn record(&self) -> String {
        let mut r = Recorder::new();
        each_command!(self, a => a.record(&mut r));
        r.finish()
    }

    /// The command a commit records (`Command:` and `Args:` trailers), or why it is none. A
    /// first notice and a proposed authority.yaml are not among them: what the user brought is
    /// read from the commit itself ([`intake::FirstNotice::recorded`],
    /// [`authority::Propose::recorded`]).
    pub fn decode(name: &str, args: &str) -> std::result::Result<Command, String> {
        let mut r = Reader::parse(args)?;
        let command = match name {
            "complete" => Command::Complete(intake::Complete::decode(&mut r)?),
            "triage" => Command::Triage(triage::TriageClaim::decode(&mut r)?),
            "merge" => Command::Merge(duplicates::Merge::decode(&mut r)?),
            "unmerge" => Command::Unmerge(duplicates::Unmerge::decode(&mut r)?),
            "keep-separate" => Command::KeepSeparate(duplicates::KeepSeparate::decode(&mut r)?),
            "assign" => Command::Assign(assignment::Assign::decode(&mut r)?),
            "task" => Command::Task(investigation::TrackTask::decode(&mut r)?),
            "document" => Command::Document(investigation::TrackDocument::decode(&mut r)?),
            "reserve" => Command::Reserve(reserves::SetReserve::decode(&mut r)?),
            "approve" => Command::Approve(reserves::Approve::decode(&mut r)?),
            "settle" => Command::Settle(settlement::Settle::decode(&mut r)?),
            "negotiate" => Command::Negotiate(settlement::Negotiate::decode(&mut r)?),
            "pay" => Command::Pay(settlement::Pay::decode(&mut r)?),
            "release" => Command::Release(release::WriteRelease::decode(&mut r)?),
            "close" => Command::Close(closing::Close::decode(&mut r)?),
            "reopen" => Command::Reopen(closing::Reopen::decode(&mut r)?),
            "subrogation" => Command::Subrogation(settlement::FlagSubrogation::decode(&mut r)?),
            "deny recommend" => Command::DenyRecommend(denial::Recommend::decode(&mut r)?),
            "deny review" => Command::DenyReview(denial::Review::decode(&mut r)?),
            "deny approve" => Command::DenyApprove(denial::ApproveDenial::decode(&mut r)?),
            "deny letter" => Command::DenyLetter(denial::Letter::decode(&mut r)?),
            "deny deliver" => Command::DenyDeliver(denial::Deliver::decode(&mut r)?),
            "inquiry" => Command::Inquiry(sla_events::RecordInquiry::decode(&mut r)?),
            "answer" => Command::Answer(sla_events::AnswerInquiry::decode(&mut r)?),
            "proof-of-loss" => Command::ProofOfLoss(sla_events::ProofOfLoss::decode(&mut r)?),
            "acknowledge" => Command::Acknowledge(sla_events::Acknowledge::decode(&mut r)?),
            "status-update" => Command::StatusUpdate(status_updates::StatusUpdate::decode(&mut r)?),
            "diary add" => Command::Diary(diaries::SetDiary::decode(&mut r)?),
            "diary done" => Command::DiaryDone(diaries::DiaryDone::decode(&mut r)?),
            "review" => Command::Review(qc::Review::decode(&mut r)?),
            "accept" => Command::Accept(coverage_decision::AcceptCoverage::decode(&mut r)?),
            "note" => Command::Note(records::AddNote::decode(&mut r)?),
            "update" => Command::Update(records::Correct::decode(&mut r)?),
            "authority approve" => {
                Command::AuthorityApprove(authority::ApproveProposal::decode(&mut r)?)
            }
            "authority reject" => {
                Command::AuthorityReject(authority::RejectProposal::decode(&mut r)?)
            }
            "keys rotate" => Command::KeysRotate(authority::RotateKey::decode(&mut r)?),
            "letter deliver" => Command::LetterDeliver(delivery::Deliver::decode(&mut r)?),
            "migrate" => Command::Migrate(migrate::Migrate::decode(&mut r)?),
            other => return Err(format!("`{other}` is not a command that changes records")),
        };
        r.done()?;
        Ok(command)
    }

    /// The command's effect at `desk`: its change, or why it is refused.
    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        if let Some((needed, doing)) = self.needs() {
            desk.require(needed, doing)?;
        }
        let mut change = each_command!(self, a => a.apply(desk))?;
        change.command = self.name();
        change.args = self.record();
        Ok(change)
    }
}

/// The claim id a command's first argument names.
pub(crate) fn claim_id(r: &mut Reader) -> std::result::Result<ClaimId, String> {
    recorded_claim_id(&r.positional("claim id")?)
}

/// A claim id as an `Args:` trailer records it (a positional or a flag's value).
pub(crate) fn recorded_claim_id(s: &str) -> std::result::Result<ClaimId, String> {
    s.parse::<ClaimId>()
        .map_err(|e| format!("`{s}` is not a claim id: {e}"))
}

/// A claim id as a user typed it.
pub fn parse_claim_id(s: &str) -> Result<ClaimId> {
    s.trim()
        .parse::<ClaimId>()
        .map_err(|e| Error::refused(format!("`{s}` is not a claim id: {e}")))
}

/// An optional text argument as given, trimmed; `None` when absent or blank.
pub(crate) fn given(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// A unit enum's serde name (`in_question`).
pub fn plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A `--FLAG YYYY-MM-DD` value as recorded.
pub(crate) fn date(
    s: Option<String>,
    flag: &str,
) -> std::result::Result<Option<chrono::NaiveDate>, String> {
    s.map(|s| {
        s.parse()
            .map_err(|_| format!("--{flag} `{s}` is not a date (YYYY-MM-DD)"))
    })
    .transpose()
}

/// Files a generated letter on the claim: records it in `letters` (`letters/TEMPLATE.txt`, or
/// `-2`, `-3`... when the claim has one by that name already) and returns the claim-relative
/// file and the file that writes it into the claim's folder.
pub fn file_letter(
    folders: crate::domain::claim_id::ClaimFolders,
    claim: &mut crate::domain::claim::Claim,
    template: &str,
    to: &str,
    at: crate::domain::claim::Timestamp,
    text: String,
) -> Result<(String, File)> {
    let record = crate::letters::letter_record(&claim.letters, template, to, at);
    let id = parse_claim_id(&claim.id)?;
    let file = File::derived(
        format!("{}/{}", id.folder(folders), record.file),
        text.into_bytes(),
    );
    let name = record.file.clone();
    claim.letters.push(record);
    Ok((name, file))
}

#[cfg(test)]
mod tests {
    use super::Command;

    #[test]
    fn every_name_is_a_command_the_audit_can_read() {
        for name in Command::NAMES {
            // A first notice and a proposal are read from the commit itself.
            if matches!(name, "intake" | "authority propose") {
                continue;
            }
            let refused = Command::decode(name, "").unwrap_err();
            assert!(!refused.contains("is not a command"), "{name}: {refused}");
        }
        assert!(Command::decode("settle-all", "")
            .unwrap_err()
            .contains("is not a command"));
    }
}
