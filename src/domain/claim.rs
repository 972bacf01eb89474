//! The claim record: one YAML file per claim, written by the tool in one canonical form.
//!
//! Field order here is the key order in the file. Optional facts are `Option` so that an
//! incomplete intake or a hand edit still loads; `claims check` reports what is missing.

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::exposure::Exposure;
use super::fnol::{AutoFacts, LiabilityFacts, LossFacts, PropertyFacts, WorkersCompFacts};
use super::intake_source::IntakeSource;
use super::lifecycle::Status;
use super::money::Money;

pub type Timestamp = DateTime<FixedOffset>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    pub lob: LineOfBusiness,
    /// US state (two-letter postal code) whose claim-handling rules apply; empty only on an
    /// incomplete intake that could not tell it (`missing` then lists `jurisdiction`).
    pub jurisdiction: String,
    pub channel: Channel,
    pub received_at: Timestamp,
    /// Where the tool took the notice in from (the file and row, the email's Message-ID) and
    /// the fingerprint of that input; none on claims taken in before intake recorded it.
    pub source: Option<IntakeSource>,
    pub status: Status,
    pub policy_number: Option<String>,
    pub insured: Option<Party>,
    pub agent: Option<Party>,
    pub reporter: Option<Party>,
    pub loss: LossFacts,
    pub auto: Option<AutoFacts>,
    pub property: Option<PropertyFacts>,
    pub liability: Option<LiabilityFacts>,
    pub workers_comp: Option<WorkersCompFacts>,
    /// FNOL facts still missing (field paths), for an incomplete intake.
    #[serde(default)]
    pub missing: Vec<String>,
    /// Set on a duplicate that was folded into another claim.
    pub merged_into: Option<String>,
    /// Claims folded into this one.
    #[serde(default)]
    pub merged: Vec<String>,
    /// Earlier claims this notice may be the same loss as, found at triage: the review queue
    /// until a person merges it or keeps the two apart.
    #[serde(default)]
    pub possible_duplicates: Vec<PossibleDuplicate>,
    /// What the reports merged into this claim added to it, so that a merge can be undone.
    #[serde(default)]
    pub gained: Vec<Gain>,
    pub triage: Option<Triage>,
    /// Set when routing found nobody available: the claim waits in the escalation queue.
    pub escalation: Option<Escalation>,
    pub assignment: Option<Assignment>,
    #[serde(default)]
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub reserves: Vec<ReserveChange>,
    /// Demands, offers, counter-offers and the agreement, before and after a settlement.
    #[serde(default)]
    pub negotiation: Vec<NegotiationStep>,
    pub settlement: Option<Settlement>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    pub subrogation: Option<Subrogation>,
    pub denial: Option<Denial>,
    /// How the claim was closed, while it is (paid, or without payment and why).
    pub closure: Option<Closure>,
    /// Every time the claim was reopened after it was closed or denied, oldest first.
    #[serde(default)]
    pub reopenings: Vec<Reopening>,
    #[serde(default)]
    pub sla: SlaEvents,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub letters: Vec<Letter>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Follow-ups the handlers set themselves ("review every 14 days", "call the body shop on
    /// the 3rd"), oldest first; done ones stay as the record of the follow-up.
    #[serde(default)]
    pub diary: Vec<DiaryEntry>,
    /// Quality-control reviews of the file (`claims review`), oldest first.
    #[serde(default)]
    pub reviews: Vec<QcReview>,
    /// Every status change, oldest first; `status` must equal the last one's.
    #[serde(default)]
    pub history: Vec<Event>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LineOfBusiness {
    PersonalAuto,
    CommercialAuto,
    Property,
    GeneralLiability,
    ProfessionalLiability,
    WorkersComp,
}

impl LineOfBusiness {
    pub const ALL: [LineOfBusiness; 6] = [
        LineOfBusiness::PersonalAuto,
        LineOfBusiness::CommercialAuto,
        LineOfBusiness::Property,
        LineOfBusiness::GeneralLiability,
        LineOfBusiness::ProfessionalLiability,
        LineOfBusiness::WorkersComp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineOfBusiness::PersonalAuto => "personal_auto",
            LineOfBusiness::CommercialAuto => "commercial_auto",
            LineOfBusiness::Property => "property",
            LineOfBusiness::GeneralLiability => "general_liability",
            LineOfBusiness::ProfessionalLiability => "professional_liability",
            LineOfBusiness::WorkersComp => "workers_comp",
        }
    }

    pub fn parse(s: &str) -> Option<LineOfBusiness> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        LineOfBusiness::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn is_auto(self) -> bool {
        matches!(
            self,
            LineOfBusiness::PersonalAuto | LineOfBusiness::CommercialAuto
        )
    }

    pub fn is_liability(self) -> bool {
        matches!(
            self,
            LineOfBusiness::GeneralLiability | LineOfBusiness::ProfessionalLiability
        )
    }

    pub fn is_commercial(self) -> bool {
        !matches!(
            self,
            LineOfBusiness::PersonalAuto | LineOfBusiness::Property
        )
    }
}

impl std::fmt::Display for LineOfBusiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Web,
    Email,
    Mobile,
    Batch,
}

/// A person or organisation on the claim: insured, agent, reporter, claimant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub name: Option<String>,
    /// Agency, employer or firm.
    pub organization: Option<String>,
    /// How the reporter relates to the loss (insured, spouse, attorney, agent, ...).
    pub relationship: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    pub at: Timestamp,
    pub by: String,
    pub coverage: CoverageOutcome,
    #[serde(default)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub conditions: Vec<ConditionFlag>,
    pub deductible: Option<Money>,
    pub sublimit: Option<Sublimit>,
    pub priority: Priority,
    #[serde(default)]
    pub priority_reasons: Vec<String>,
    /// When the claim must be with an adjuster, from the priority.
    pub assign_by: Option<Timestamp>,
    pub catastrophe: Option<String>,
    /// The policy coverage was verified against (a claim whose policy number is corrected
    /// afterwards is triaged again).
    pub policy: Option<String>,
    /// Escalated at once (represented claimant, fatality, litigation).
    #[serde(default)]
    pub escalated: bool,
}

impl Triage {
    /// A triage that verified no policy (none found, or the notice is another claim's
    /// duplicate): its outcome, the one reason, and the priority the facts score.
    pub fn unverified(
        at: Timestamp,
        by: String,
        coverage: CoverageOutcome,
        reason: String,
        (priority, priority_reasons): (Priority, Vec<String>),
    ) -> Triage {
        Triage {
            at,
            by,
            coverage,
            reasons: vec![reason],
            conditions: vec![],
            deductible: None,
            sublimit: None,
            priority,
            priority_reasons,
            assign_by: None,
            catastrophe: None,
            policy: None,
            escalated: false,
        }
    }
}

/// An earlier claim a notice may be the same loss as, and what a person decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PossibleDuplicate {
    /// The earlier claim.
    pub of: String,
    /// The facts the two reports share, and what neither tells.
    #[serde(default)]
    pub reasons: Vec<String>,
    pub found_at: Timestamp,
    pub decision: Option<DuplicateDecision>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateDecision {
    pub at: Timestamp,
    pub by: String,
    /// `merged` or `separate`.
    pub outcome: String,
    pub note: Option<String>,
}

/// One fact a merged report added to this claim: the field (`auto.fatality`, `auto.injured`),
/// the value it brought and, for a field it set, the value it replaced (JSON text).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gain {
    /// The merged claim the fact came from.
    pub from: String,
    pub fact: String,
    pub value: String,
    /// `set`: the field was given this value; `added`: the value was appended to the list.
    pub how: String,
    pub was: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoverageOutcome {
    Confirmed,
    InQuestion,
    PotentiallyNone,
    Duplicate,
    PolicyNotFound,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Critical,
    High,
    Standard,
    Low,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Critical => "critical",
            Priority::High => "high",
            Priority::Standard => "standard",
            Priority::Low => "low",
        }
    }
}

/// A policy condition that puts coverage in question, with the provision it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionFlag {
    pub code: String,
    pub description: String,
    pub provision: Option<ProvisionRef>,
}

/// A policy provision quoted on a claim: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionRef {
    pub id: Option<String>,
    pub section: String,
    pub page: u32,
    pub title: Option<String>,
    pub language: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sublimit {
    pub name: String,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Where the claim was routed: in_house, senior, bi_team, tpa, vendor, wc, cat, counsel.
    pub destination: String,
    /// The handling adjuster (an email in authority.yaml), if a person holds it.
    pub adjuster: Option<String>,
    /// An outside handler (TPA, vendor network, counsel firm) when no staff member holds it.
    pub handler: Option<String>,
    pub at: Timestamp,
    pub by: String,
    pub contact_by: Option<Timestamp>,
    pub rule: Option<String>,
    pub override_reason: Option<String>,
}

/// Routing found a rule for the claim but nobody able to take it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    pub at: Timestamp,
    pub by: String,
    pub rule: String,
    pub reason: String,
    /// The assignment deadline the supervisor has to meet by override.
    pub assign_by: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub name: String,
    pub status: ItemStatus,
    pub due: Option<NaiveDate>,
    pub done_at: Option<Timestamp>,
    pub by: Option<String>,
    pub waived_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    /// What the document is needed for (coverage, damages, injury, payment, ...).
    pub required_for: Option<String>,
    pub status: ItemStatus,
    pub due: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    /// The attached file, relative to the claim's folder.
    pub file: Option<String>,
    pub waived_reason: Option<String>,
}

/// Status of a task or a document on the checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Open,
    Requested,
    Received,
    Done,
    Waived,
}

impl ItemStatus {
    pub fn is_outstanding(self) -> bool {
        matches!(self, ItemStatus::Open | ItemStatus::Requested)
    }
}

/// Whether a money change took effect or waits for someone with more authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    Effective,
    Pending,
    Rejected,
}

/// Who approved a change that needed more authority than its requester held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub by: String,
    pub role: String,
    pub at: Timestamp,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReserveChange {
    pub at: Timestamp,
    pub by: String,
    pub role: String,
    /// The reserve after this change (not the difference).
    pub amount: Money,
    pub previous: Money,
    pub reason: String,
    /// The adjuster's note explaining the basis of the figure.
    pub note: Option<String>,
    /// The policy limit this reserve is above, flagged when it was set (`claims check` M006).
    pub above_limit: Option<PolicyLimit>,
    pub state: ApprovalState,
    /// The authority this change needed (role and limit), recorded for the auditor.
    pub authority: Option<AuthorityUsed>,
    pub approval: Option<Approval>,
}

/// The limit of insurance that caps what a claim can pay: a coverage's limit, or a sublimit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyLimit {
    /// What it is, in words: `collision limit`, `mold sublimit`.
    pub name: String,
    pub amount: Money,
}

impl std::fmt::Display for PolicyLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} of {}", self.name, self.amount)
    }
}

/// The authority a money change needed and which role's limit covered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityUsed {
    pub claim_type: String,
    pub required_role: String,
    /// The limit of the role that covered it; none = unlimited.
    pub limit: Option<Money>,
    /// A second person's review the matrix requires on top (e.g. manager on injury claims).
    pub review_by_role: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    pub basis: SettlementBasis,
    /// What it settles (the exposure); it decides who gives the release.
    pub exposure: Option<Exposure>,
    /// The calculation, line by line, as shown to the user.
    #[serde(default)]
    pub calculation: Vec<CalculationLine>,
    /// What the settlement pays, after the payments already made (`paid_before`).
    pub amount: Money,
    /// Payments made on the claim before this settlement; with `amount`, its total.
    pub paid_before: Option<Money>,
    pub proposed_by: String,
    pub proposed_at: Timestamp,
    pub state: ApprovalState,
    pub authority: Option<AuthorityUsed>,
    pub approval: Option<Approval>,
    pub release: Option<Release>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettlementBasis {
    ActualCashValue,
    ReplacementCost,
    Injury,
    Agreed,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculationLine {
    pub label: String,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NegotiationStep {
    pub on: NaiveDate,
    /// demand, offer, counter, or agreed (the figure both sides accepted)
    pub kind: String,
    pub party: String,
    pub amount: Money,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// general (a third party's injury or damages), property (a third party's property),
    /// first_party (the insured's own loss, released to the insurer), workers_comp
    pub kind: String,
    pub letter: String,
    /// Who gives up the claim, as the letter names them, and where their facts are kept
    /// (`auto.injured[0]`, `liability.claimant`, `workers_comp.employee`, `insured`).
    pub releasor: Option<String>,
    pub releasor_field: Option<String>,
    /// Whom the release discharges.
    pub releasee: Option<String>,
    pub signed_by: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub at: Timestamp,
    pub by: String,
    pub role: String,
    /// What it pays for; it decides whether a lienholder or mortgagee is co-payee.
    pub exposure: Option<Exposure>,
    pub payee: String,
    pub co_payee: Option<String>,
    pub method: PaymentMethod,
    pub reference: String,
    pub amount: Money,
    pub state: ApprovalState,
    pub authority: Option<AuthorityUsed>,
    pub approval: Option<Approval>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Check,
    Ach,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subrogation {
    pub target: String,
    pub carrier: Option<String>,
    pub amount_paid: Money,
    pub flagged_at: Timestamp,
    pub by: String,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Denial {
    /// lapsed, cancelled, excluded_peril, condition_notice, condition_cooperation,
    /// condition_fraud, limit_exhausted, location_not_covered
    pub trigger: String,
    #[serde(default)]
    pub provisions: Vec<ProvisionRef>,
    pub explanation: String,
    pub recommended_by: String,
    pub recommended_at: Timestamp,
    pub compliance_review: Option<Approval>,
    pub approval: Option<Approval>,
    pub letter: Option<String>,
    #[serde(default)]
    pub delivery: Vec<Delivery>,
    pub retention_until: Option<NaiveDate>,
}

/// How and when a letter went out: the one delivery record, on any letter of the claim
/// (`letters[].delivery`) and on the denial (`denial.delivery`). See [`super::delivery`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Who it went to: the letter's addressee (insured, agent, reporter, ...), or whoever got
    /// a copy.
    pub to: String,
    pub method: DeliveryMethod,
    /// Certified mail: the tracking number.
    pub tracking_number: Option<String>,
    /// Email: the Message-ID of the message that carried it.
    pub message_id: Option<String>,
    /// Other ways: the fax confirmation, the portal's receipt, who signed for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub on: NaiveDate,
}

/// The ways a claims office sends a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    /// Certified mail, return receipt requested (with its tracking number).
    CertifiedMail,
    /// Email (with the Message-ID).
    Electronic,
    FirstClassMail,
    HandDelivery,
    Fax,
    /// Posted to the insured's or agent's portal.
    Portal,
}

/// How a claim was closed: the record regulators' closed-claim counts read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub at: Timestamp,
    pub by: String,
    pub outcome: ClosureOutcome,
    /// Why it closed without payment.
    pub reason: Option<NoPaymentReason>,
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosureOutcome {
    /// The settlement paid in full.
    Paid,
    WithoutPayment,
}

/// Why a claim closed without payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoPaymentReason {
    /// The claimant or insured withdrew it.
    Withdrawn,
    /// The loss is less than the deductible (the insured's own loss).
    BelowDeductible,
    /// No damage or injury was found.
    NoDamages,
    /// The insured is not liable to the claimant (a claim against the insured).
    NoLiability,
    /// The claimant stopped answering and did not pursue it.
    NoResponse,
    /// Another insurer or party paid it.
    PaidByOther,
    /// Reported for the record only; no claim was made.
    RecordOnly,
    /// Anything else: the note says what.
    Other,
}

impl NoPaymentReason {
    pub const ALL: [NoPaymentReason; 8] = [
        NoPaymentReason::Withdrawn,
        NoPaymentReason::BelowDeductible,
        NoPaymentReason::NoDamages,
        NoPaymentReason::NoLiability,
        NoPaymentReason::NoResponse,
        NoPaymentReason::PaidByOther,
        NoPaymentReason::RecordOnly,
        NoPaymentReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoPaymentReason::Withdrawn => "withdrawn",
            NoPaymentReason::BelowDeductible => "below_deductible",
            NoPaymentReason::NoDamages => "no_damages",
            NoPaymentReason::NoLiability => "no_liability",
            NoPaymentReason::NoResponse => "no_response",
            NoPaymentReason::PaidByOther => "paid_by_other",
            NoPaymentReason::RecordOnly => "record_only",
            NoPaymentReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<NoPaymentReason> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        NoPaymentReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A claim reopened after it was closed or denied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reopening {
    pub at: Timestamp,
    pub by: String,
    /// The status it was reopened from: closed or denied.
    pub from: Status,
    /// new_information, supplemental_damage, reinvestigation, payment_issue, litigation, other
    pub reason: String,
    pub note: Option<String>,
    /// The closure it undid.
    pub closure: Option<Closure>,
}

/// The events SLA clocks start and stop on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaEvents {
    pub acknowledged_at: Option<Timestamp>,
    pub proof_of_loss_at: Option<Timestamp>,
    pub all_items_received_at: Option<Timestamp>,
    /// Coverage accepted or denied: the coverage decision, whichever way it went.
    pub coverage_decided_at: Option<Timestamp>,
    /// Coverage accepted (`claims accept`).
    pub coverage_accepted_at: Option<Timestamp>,
    pub settlement_agreed_at: Option<Timestamp>,
    pub paid_at: Option<Timestamp>,
    #[serde(default)]
    pub status_letters: Vec<Timestamp>,
    #[serde(default)]
    pub inquiries: Vec<Inquiry>,
}

impl SlaEvents {
    pub fn is_empty(&self) -> bool {
        *self == SlaEvents::default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inquiry {
    pub received_at: Timestamp,
    pub from: String,
    pub subject: String,
    pub answered_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Path relative to the claim's folder, e.g. attachments/photo-1.jpg
    pub file: String,
    pub kind: Option<String>,
    pub received_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// The template it was generated from.
    pub template: String,
    /// Path relative to the claim's folder, e.g. letters/acknowledgment.txt
    pub file: String,
    pub to: String,
    pub at: Timestamp,
    /// How it went out; a letter without one is listed by `claims letter undelivered`. (The
    /// denial letter's deliveries are the denial's own: `denial.delivery`.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery: Vec<Delivery>,
}

/// A follow-up on the claim's diary: what to do and by when; a repeating one is set again
/// `every_days` after it is done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiaryEntry {
    pub what: String,
    pub due: NaiveDate,
    /// Calendar days from one completion to the next due date, for a repeating review.
    pub every_days: Option<u32>,
    /// Whose follow-up it is (an email in authority.yaml): the handling adjuster unless set.
    pub owner: String,
    pub set_by: String,
    pub set_at: Timestamp,
    pub done_at: Option<Timestamp>,
    pub done_by: Option<String>,
    pub done_note: Option<String>,
}

impl DiaryEntry {
    pub fn is_open(&self) -> bool {
        self.done_at.is_none()
    }
}

/// A quality-control review of the claim file: who reviewed it when, and whether it passed;
/// a failed one names what was wrong by code (`QC-LATE-CONTACT`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QcReview {
    pub at: Timestamp,
    pub by: String,
    pub result: QcResult,
    /// What failed: uppercase letters, digits and dashes, at most 40 characters each.
    #[serde(default)]
    pub codes: Vec<String>,
    pub note: Option<String>,
    /// The sample the file was drawn in, as `claims sample` words it (`seed=42 size=10
    /// status=closed`).
    pub sample: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QcResult {
    Pass,
    Fail,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub at: Timestamp,
    pub by: String,
    pub text: String,
}

/// One step of the claim's life: what happened and the status it left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub at: Timestamp,
    pub by: String,
    pub event: String,
    pub status: Status,
}

impl Settlement {
    /// What the claim pays in all under this settlement: its amount and what was paid before.
    pub fn total(&self) -> Money {
        self.amount + self.paid_before.unwrap_or(Money::ZERO)
    }
}

impl Claim {
    /// The reserve in effect: the amount of the last effective change.
    pub fn effective_reserve(&self) -> Money {
        self.reserves
            .iter()
            .rev()
            .find(|r| r.state == ApprovalState::Effective)
            .map(|r| r.amount)
            .unwrap_or(Money::ZERO)
    }

    /// Total of payments that took effect.
    pub fn paid(&self) -> Money {
        self.payments
            .iter()
            .filter(|p| p.state == ApprovalState::Effective)
            .map(|p| p.amount)
            .sum()
    }

    /// When the claim was closed or denied, while it is: the event that first left it in that
    /// status since it was last reopened (a closed claim's `closure`, where it has one).
    pub fn closed_at(&self) -> Option<Timestamp> {
        use super::lifecycle::Status;
        if !matches!(self.status, Status::Closed | Status::Denied) {
            return None;
        }
        if let (Status::Closed, Some(c)) = (self.status, &self.closure) {
            return Some(c.at);
        }
        self.history
            .iter()
            .rev()
            .take_while(|e| e.status == self.status)
            .last()
            .map(|e| e.at)
    }

    pub fn adjuster(&self) -> Option<&str> {
        self.assignment.as_ref().and_then(|a| a.adjuster.as_deref())
    }

    /// A glass-only auto loss (`auto.glass_only`): the one fact priority, routing and the
    /// investigation checklists read. Intake sets it the same way whatever the channel (a
    /// loss cause of `glass` is glass only; see [`crate::intake::admit`]).
    pub fn is_glass_only(&self) -> bool {
        self.auto.as_ref().is_some_and(|a| a.glass_only)
    }

    /// Who handles the claim: the assigned adjuster, else the outside handler.
    pub fn handled_by(&self) -> Option<&str> {
        self.adjuster()
            .or_else(|| self.assignment.as_ref().and_then(|a| a.handler.as_deref()))
    }

    /// A commercial loss: a commercial line, or an insured that is an organization (a
    /// business's property). Priority and routing use this one definition.
    pub fn is_commercial(&self) -> bool {
        self.lob.is_commercial()
            || self
                .insured
                .as_ref()
                .and_then(|p| p.organization.as_deref())
                .is_some_and(|o| !o.trim().is_empty())
    }

    /// The loss as reported: the property estimate, else the vehicle damage estimate.
    pub fn estimated_loss(&self) -> Option<Money> {
        self.property
            .as_ref()
            .and_then(|p| p.estimated_loss)
            .or(self.auto.as_ref().and_then(|a| a.estimated_loss))
    }

    pub fn priority(&self) -> Option<Priority> {
        self.triage.as_ref().map(|t| t.priority)
    }

    /// Records a status change with its event; the caller has checked it is legal.
    pub fn record_event(&mut self, at: Timestamp, by: &str, event: &str, status: Status) {
        self.status = status;
        self.history.push(Event {
            at,
            by: by.to_string(),
            event: event.to_string(),
            status,
        });
    }
}
