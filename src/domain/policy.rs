//! Policy files: `policies/<NUMBER>.yaml`, hand-edited or imported, read by triage.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::claim::{LineOfBusiness, Party};
use super::money::Money;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    Active,
    Cancelled,
    Lapsed,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimsMade {
    pub retroactive_date: Option<NaiveDate>,
    /// Extended reporting period after expiry, in days.
    #[serde(default)]
    pub extended_reporting_days: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SublimitSpec {
    pub name: String,
    #[serde(default)]
    pub perils: Vec<String>,
    pub amount: Money,
    pub provision: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub peril: String,
    pub provision: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub id: String,
    pub section: String,
    pub page: u32,
    pub title: String,
    /// The form's wording: the same few forms' text recurs across an office's policies, so
    /// a loaded office shares one copy of each (see [`share_provision_language`]).
    pub language: std::sync::Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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

/// What a claim says that can identify its policy.
#[derive(Debug, Default)]
pub struct PolicyKeys<'a> {
    pub number: Option<&'a str>,
    pub insured_name: Option<&'a str>,
    pub vins: Vec<&'a str>,
    pub address: Option<&'a str>,
    /// The line of business the report is for, when it says: only policies of that line
    /// answer a lookup by insured name, VIN or address (a number is the report's own word,
    /// and stands whatever its line).
    pub line: Option<super::claim::LineOfBusiness>,
}

/// The policy a claim is filed under, and how it was found: by number, else by insured name,
/// VIN or property address — each of those only when exactly one policy matches.
pub fn find_policy<'p>(
    keys: &PolicyKeys,
    policies: &'p std::collections::HashMap<String, Policy>,
) -> Option<(&'p Policy, &'static str)> {
    let blank = |s: &&str| s.trim().is_empty();
    if let Some(n) = keys.number.filter(|n| !blank(n)) {
        let n = n.trim();
        return policies
            .get(n)
            .or_else(|| policies.values().find(|p| p.number.eq_ignore_ascii_case(n)))
            .map(|p| (p, "number"));
    }
    let unique = |pred: &dyn Fn(&Policy) -> bool| -> Option<&'p Policy> {
        let mut hits = policies
            .values()
            .filter(|p| keys.line.is_none_or(|l| l == p.lob) && pred(p));
        let first = hits.next()?;
        hits.next().is_none().then_some(first)
    };
    if let Some(name) = keys.insured_name.filter(|n| !blank(n)) {
        let name = name.trim();
        if let Some(p) = unique(&|p: &Policy| {
            p.insured
                .name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
        }) {
            return Some((p, "insured name"));
        }
    }
    for vin in keys.vins.iter().filter(|v| !blank(v)) {
        let vin = vin.trim().to_ascii_uppercase();
        if let Some(p) = unique(&|p: &Policy| {
            p.vehicles
                .iter()
                .any(|pv| pv.vin.trim().eq_ignore_ascii_case(&vin))
        }) {
            return Some((p, "VIN"));
        }
    }
    if let Some(addr) = keys.address.filter(|a| !blank(a)) {
        let want = normalize_address(addr);
        if let Some(p) = unique(&|p: &Policy| {
            p.locations
                .iter()
                .map(|l| l.address.as_str())
                .chain(p.insured.address.as_deref())
                .any(|a| normalize_address(a) == want)
        }) {
            return Some((p, "property address"));
        }
    }
    None
}

/// An address reduced for comparison: lower case, punctuation dropped, common street words
/// abbreviated (`11842 Coldwater Creek Lane, Frisco` = `11842 coldwater creek ln frisco`).
pub fn normalize_address(a: &str) -> String {
    let lowered: String = a
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    lowered
        .split_whitespace()
        .map(|w| match w {
            "street" => "st",
            "avenue" => "ave",
            "drive" => "dr",
            "road" => "rd",
            "lane" => "ln",
            "boulevard" => "blvd",
            "court" => "ct",
            "place" => "pl",
            "parkway" => "pkwy",
            "highway" => "hwy",
            "suite" => "ste",
            "apartment" => "apt",
            "north" => "n",
            "south" => "s",
            "east" => "e",
            "west" => "w",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes every provision whose wording is word for word another's share that one copy: an
/// office of thousands of policies written on a few standard forms holds each form's text once.
pub fn share_provision_language<'p>(policies: impl IntoIterator<Item = &'p mut Policy>) {
    let mut seen: std::collections::HashSet<std::sync::Arc<str>> = Default::default();
    for policy in policies {
        for p in &mut policy.provisions {
            match seen.get(&p.language) {
                Some(shared) => p.language = shared.clone(),
                None => {
                    seen.insert(p.language.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn sample() -> Policy {
        let text = include_str!("../../policies/HO-TX-2026-60254.yaml");
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn the_same_wording_is_held_once_and_reads_the_same() {
        let (mut a, mut b) = (sample(), sample());
        b.provisions[0].language = "Wording of another form".into();
        let before: Vec<Policy> = vec![a.clone(), b.clone()];
        assert!(!Arc::ptr_eq(
            &a.provisions[1].language,
            &b.provisions[1].language
        ));
        share_provision_language([&mut a, &mut b]);
        assert_eq!(vec![a.clone(), b.clone()], before);
        assert!(Arc::ptr_eq(
            &a.provisions[1].language,
            &b.provisions[1].language
        ));
        assert!(!Arc::ptr_eq(
            &a.provisions[0].language,
            &b.provisions[0].language
        ));
    }
}
