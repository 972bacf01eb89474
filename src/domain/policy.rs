//! Policy files: `policies/<NUMBER>.yaml`, hand-edited or imported, read by triage.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::claim::{LineOfBusiness, Party};
use super::money::Money;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub number: String,
    pub lob: LineOfBusiness,
    /// US state whose law governs the policy.
    pub jurisdiction: String,
    pub insured: Party,
    pub agent: Option<Party>,
    pub effective: NaiveDate,
    /// The policy covers losses up to and including this date.
    pub expires: NaiveDate,
    pub status: PolicyStatus,
    /// For a cancelled policy: coverage ends at the start of this day.
    pub cancelled_on: Option<NaiveDate>,
    /// For a lapsed policy: the date premium went unpaid and coverage ended.
    pub lapsed_on: Option<NaiveDate>,
    /// Claims-made liability policies cover claims first made within the policy period.
    pub claims_made: Option<ClaimsMade>,
    /// Notice must be given within this many days of the loss (late-notice condition).
    pub notice_window_days: Option<u32>,
    #[serde(default)]
    pub coverages: Vec<Coverage>,
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// Conditions the policy declares beyond the standard ones triage checks.
    #[serde(default)]
    pub conditions: Vec<PolicyCondition>,
    #[serde(default)]
    pub provisions: Vec<Provision>,
    #[serde(default)]
    pub vehicles: Vec<InsuredVehicle>,
    #[serde(default)]
    pub locations: Vec<InsuredLocation>,
    /// For workers' compensation: the employees' employer is the insured.
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    Active,
    Cancelled,
    Lapsed,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsMade {
    pub retroactive_date: Option<NaiveDate>,
    /// Extended reporting period after expiry, in days.
    #[serde(default)]
    pub extended_reporting_days: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    pub code: String,
    pub description: Option<String>,
    /// Causes of loss this coverage answers (collision, fire, water, bodily_injury, ...).
    #[serde(default)]
    pub perils: Vec<String>,
    pub limit: Money,
    #[serde(default)]
    pub deductible: Money,
    #[serde(default)]
    pub sublimits: Vec<SublimitSpec>,
    /// Property coinsurance requirement, in percent of insured value (e.g. 80).
    pub coinsurance_percent: Option<u32>,
    /// The provision that grants this coverage.
    pub provision: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SublimitSpec {
    pub name: String,
    #[serde(default)]
    pub perils: Vec<String>,
    pub amount: Money,
    pub provision: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub peril: String,
    pub provision: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyCondition {
    pub code: String,
    pub description: String,
    pub provision: String,
    /// Keywords in the loss report that raise this condition.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// A numbered provision of the policy form, quotable in letters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub id: String,
    pub section: String,
    pub page: u32,
    pub title: String,
    pub language: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsuredVehicle {
    pub year: i32,
    pub make: String,
    pub model: String,
    pub vin: String,
    /// personal or business
    #[serde(default = "default_use")]
    pub usage: String,
    pub lienholder: Option<String>,
}

fn default_use() -> String {
    "personal".into()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsuredLocation {
    pub address: String,
    #[serde(default)]
    pub vacant: bool,
    pub vacant_since: Option<NaiveDate>,
    pub mortgagee: Option<String>,
    pub insured_value: Option<Money>,
}

impl Policy {
    pub fn provision(&self, id: &str) -> Option<&Provision> {
        self.provisions.iter().find(|p| p.id == id)
    }

    /// The file this policy lives in.
    pub fn file_path(number: &str) -> String {
        format!("policies/{number}.yaml")
    }
}
