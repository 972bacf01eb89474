//! The web form / mobile app payload: `claims intake --file F.json|F.yaml`.
//!
//! The payload mirrors the claim's FNOL sections, with the same names and shapes as the claim
//! file (see `claims show ID --format yaml`):
//!
//! ```yaml
//! channel: mobile            # web (default) or mobile
//! lob: personal_auto         # personal_auto, commercial_auto, property, general_liability,
//!                            # professional_liability, workers_comp
//! jurisdiction: IL           # optional when the policy is found
//! policy_number: PAU-IL-2026-20931
//! received_at: 2026-11-20T09:30:00-06:00   # optional; default now
//! insured: { name: ..., phone: ..., email: ... }
//! reporter: { name: ..., relationship: spouse, phone: ... }
//! loss: { date: 2026-11-18, time: "07:45", location: ..., description: ..., cause: collision }
//! auto: { police_report: ..., estimated_loss: ..., vehicles: [ { year, make, model, vin, plate, damage } ],
//!         other_parties: [...], injured: [...], witnesses: [...] }
//! property: { discovered_on, loss_type, property_address, damage_description,
//!             emergency_repairs_needed, public_adjuster, mortgagee, estimated_loss }
//! liability: { claim_received_on, claimant: {...}, allegation, represented, attorney,
//!              prior_notice, litigation, bodily_injury }
//! workers_comp: { employee: { name, id, job_title }, how_it_happened, body_parts: [...],
//!                 medical_treatment, treatment_facility, treating_physician, witnesses,
//!                 return_to_work_expected }
//! notes: [ "free text kept on the claim" ]
//! ```
//!
//! Unknown keys are refused (a misspelt field must not vanish silently). A web form must be
//! complete: the command refuses a payload that lacks any fact its line of business requires,
//! listing them all.

use std::path::Path;

use serde::Deserialize;

use super::draft::Draft;
use crate::domain::claim::{Channel, LineOfBusiness, Party, Timestamp};
use crate::domain::fnol::{AutoFacts, LiabilityFacts, LossFacts, PropertyFacts, WorkersCompFacts};
use crate::error::{Error, Result};

/// Where a payload came from: the web form (default) or the mobile app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadChannel {
    #[default]
    Web,
    Mobile,
}

/// A web form or mobile app First Notice of Loss.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// `web` (default) or `mobile`.
    #[serde(default)]
    pub channel: PayloadChannel,
    pub lob: Option<LineOfBusiness>,
    /// US state postal code; taken from the policy when absent.
    pub jurisdiction: Option<String>,
    pub policy_number: Option<String>,
    /// When the form was submitted; default: now.
    pub received_at: Option<Timestamp>,
    pub insured: Option<Party>,
    pub agent: Option<Party>,
    pub reporter: Option<Party>,
    #[serde(default)]
    pub loss: LossFacts,
    pub auto: Option<AutoFacts>,
    pub property: Option<PropertyFacts>,
    pub liability: Option<LiabilityFacts>,
    pub workers_comp: Option<WorkersCompFacts>,
    /// Free text kept as notes on the claim.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Payload {
    /// Parses a payload: JSON for `.json`, YAML for `.yaml`/`.yml`.
    pub fn parse(name: &str, text: &str) -> Result<Payload> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            crate::bounds::check_size(text.len() as u64, crate::bounds::MAX_PAYLOAD_BYTES)
                .map_err(|b| Error::refused(format!("{name}: {b}")))?;
            // serde_json reads as it goes: a value of the wrong shape (deep nesting where a
            // payload has none) is refused where it starts, and it stops at 128 levels.
            serde_json::from_str(text).map_err(|e| {
                Error::refused(format!(
                    "{name}:{}:{}: {}",
                    e.line(),
                    e.column(),
                    strip_position(&e.to_string())
                ))
            })
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            crate::store::files::parse_yaml_within::<Payload>(
                text,
                crate::bounds::MAX_PAYLOAD_BYTES,
            )
            .map_err(|f| {
                Error::refused(format!(
                    "{name}:{}:{}: {}",
                    f.line, f.column, f.issue.message
                ))
            })
        } else {
            Err(Error::usage(format!(
                "{name}: a payload is .json, .yaml or .yml"
            )))
        }
    }

    /// Reads a payload file: a regular file of UTF-8 text within
    /// [`crate::bounds::MAX_PAYLOAD_BYTES`].
    pub fn read(path: &Path) -> Result<Payload> {
        let text = crate::store::input::user_text(path, crate::bounds::MAX_PAYLOAD_BYTES)?;
        Payload::parse(&path.display().to_string(), &text)
    }

    /// The draft admission takes.
    pub fn into_draft(self, source: &str) -> Draft {
        let mut draft = Draft {
            lob: self.lob,
            channel: Some(match self.channel {
                PayloadChannel::Web => Channel::Web,
                PayloadChannel::Mobile => Channel::Mobile,
            }),
            received_at: self.received_at,
            jurisdiction: self.jurisdiction,
            policy_number: self.policy_number,
            insured: self.insured,
            agent: self.agent,
            reporter: self.reporter,
            loss: self.loss,
            auto: self.auto,
            property: self.property,
            liability: self.liability,
            workers_comp: self.workers_comp,
            notes: self.notes,
            source: source.to_string(),
            ..Default::default()
        };
        // The section the line requires, so that admission lists its facts as missing.
        if let Some(lob) = draft.lob {
            if lob.is_auto() && draft.auto.is_none() {
                draft.auto = Some(AutoFacts::default());
            }
        }
        draft
    }
}

fn strip_position(m: &str) -> String {
    match m.find(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_payloads_parse_to_the_same_draft() {
        let json = r#"{"channel":"mobile","lob":"property","policy_number":"HO-TX-2026-60254",
            "loss":{"date":"2026-11-18","description":"Pipe burst"},
            "property":{"loss_type":"water","public_adjuster":false}}"#;
        let yaml = "channel: mobile\nlob: property\npolicy_number: HO-TX-2026-60254\nloss:\n  date: 2026-11-18\n  description: Pipe burst\nproperty:\n  loss_type: water\n  public_adjuster: false\n";
        let a = Payload::parse("a.json", json).unwrap();
        let b = Payload::parse("b.yaml", yaml).unwrap();
        assert_eq!(a, b);
        let d = a.into_draft("a.json");
        assert_eq!(d.channel, Some(Channel::Mobile));
        assert_eq!(d.lob, Some(LineOfBusiness::Property));
    }

    #[test]
    fn unknown_fields_and_other_extensions_are_refused() {
        let e = Payload::parse("a.json", r#"{"lob":"property","colour":"red"}"#).unwrap_err();
        assert!(e.message.contains("colour"), "{}", e.message);
        assert!(e.message.starts_with("a.json:1:"), "{}", e.message);
        let e = Payload::parse("a.yaml", "loss:\n  dat: 2026-01-01\n").unwrap_err();
        assert!(e.message.contains("dat"), "{}", e.message);
        assert!(Payload::parse("a.txt", "{}").is_err());
    }

    #[test]
    fn web_is_the_default_channel() {
        let d = Payload::parse("a.json", r#"{"lob":"personal_auto"}"#)
            .unwrap()
            .into_draft("a.json");
        assert_eq!(d.channel, Some(Channel::Web));
        assert!(d.auto.is_some());
    }
}
