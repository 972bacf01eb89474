//! SLA rules as data: office defaults and state overrides, in authority.yaml.
//!
//! A clock starts on one claim event and stops on another; it is due a number of business or
//! calendar days after the start, with an alert some days before. A periodic clock (`every`)
//! is due again after each status letter until it stops. A state's rule for the same clock
//! (and line of business, when it names lines) replaces the office default.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::claim::LineOfBusiness;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaRules {
    #[serde(default)]
    pub defaults: Vec<ClockRule>,
    #[serde(default)]
    pub states: Vec<StateRules>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateRules {
    pub state: String,
    pub rules: Vec<ClockRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockRule {
    /// acknowledgment, coverage_decision, payment, inquiry, status_letter
    pub clock: String,
    pub start: ClockEvent,
    pub stop: ClockEvent,
    pub due: u32,
    /// Alert this many units after the start (before the due date).
    pub alert: Option<u32>,
    pub unit: DayUnit,
    /// A periodic clock (status letters): after each `start`-to-`due` period, the next is due
    /// this many units after the letter that ended it, until the `stop` event. The alert comes
    /// as many units before each due date as the first period's does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<u32>,
    /// Lines of business the rule applies to; empty = all.
    #[serde(default)]
    pub lob: Vec<LineOfBusiness>,
    /// The regulation the figure comes from.
    pub source: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockEvent {
    Received,
    Acknowledged,
    ProofOfLoss,
    AllItemsReceived,
    CoverageDecided,
    /// Coverage accepted (`claims accept`): a decision in the insured's favour.
    CoverageAccepted,
    SettlementAgreed,
    Paid,
    InquiryReceived,
    InquiryAnswered,
    StatusLetter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    BusinessDays,
    CalendarDays,
}
