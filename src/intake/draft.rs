//! What every intake channel (phone script, web/mobile payload, email, CSV row) produces: the
//! reported facts, not yet a claim. Admission gives it an id, finds its policy and decides
//! whether it is complete.

use chrono::{DateTime, FixedOffset};

use crate::domain::claim::{Channel, LineOfBusiness, Party};
use crate::domain::fnol::{AutoFacts, LiabilityFacts, LossFacts, PropertyFacts, WorkersCompFacts};

#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// None when the channel could not tell (an email that names no line); admission
    /// then holds the claim as incomplete with `lob` missing.
    pub lob: Option<LineOfBusiness>,
    pub channel: Option<Channel>,
    /// When the notice arrived (an email's Date header); None = now.
    pub received_at: Option<DateTime<FixedOffset>>,
    pub jurisdiction: Option<String>,
    /// A state read from the notice's free text (an email's "Austin, TX"): the claim's
    /// jurisdiction only when neither the report nor a policy on file gives one.
    pub jurisdiction_read: Option<String>,
    pub policy_number: Option<String>,
    pub insured: Option<Party>,
    pub agent: Option<Party>,
    pub reporter: Option<Party>,
    pub loss: LossFacts,
    pub auto: Option<AutoFacts>,
    pub property: Option<PropertyFacts>,
    pub liability: Option<LiabilityFacts>,
    pub workers_comp: Option<WorkersCompFacts>,
    /// Files that arrived with the notice: (file name, bytes). Stored under the claim's
    /// attachments/ folder.
    pub attachments: Vec<DraftAttachment>,
    /// Free text for the claim's notes (e.g. an email's body, a CSR's remarks).
    pub notes: Vec<String>,
    /// The user explicitly accepted VINs whose check digit fails.
    pub vin_override: bool,
    /// Hold for a person even if nothing required is missing (email intakes).
    pub hold_for_review: bool,
    /// Where the draft came from, for messages ("row 7", "message.eml").
    pub source: String,
    /// An email's Message-ID header, as written: what identifies the message when it comes again.
    pub message_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct DraftAttachment {
    pub file_name: String,
    pub kind: Option<String>,
    pub bytes: Vec<u8>,
}
