//! First Notice of Loss facts, and which of them each line of business requires.
//!
//! The facts are optional in the types so that an incomplete report still loads;
//! [`missing_facts`] lists what a line of business requires and the report lacks, as field
//! paths (`auto.vehicles[0].vin`) that intake, completion and `claims check` all use.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::claim::{Claim, LineOfBusiness, Party};

/// Facts every line of business has: when, where, what happened, and the cause (peril).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LossFacts {
    /// Date of loss, incident or injury.
    pub date: Option<NaiveDate>,
    /// Local time of the loss, `HH:MM`.
    pub time: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
    /// The peril or cause (collision, fire, water, wind, theft, glass, slip_and_fall, ...).
    pub cause: Option<String>,
    /// Words found in the report that describe damage or injury (fatality, burn, ...).
    #[serde(default)]
    pub keywords: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoFacts {
    pub police_report: Option<String>,
    #[serde(default)]
    pub vehicles: Vec<Vehicle>,
    #[serde(default)]
    pub other_parties: Vec<OtherParty>,
    #[serde(default)]
    pub injured: Vec<InjuredPerson>,
    #[serde(default)]
    pub witnesses: Vec<Witness>,
    #[serde(default)]
    pub fatality: bool,
    /// Glass-only damage (windshield), routed to the glass vendor where allowed.
    #[serde(default)]
    pub glass_only: bool,
    /// The vehicle was in business use at the time (a personal-auto condition).
    #[serde(default)]
    pub business_use: bool,
    /// The reporter's (or a shop's) estimate of the vehicle damage, used for routing.
    pub estimated_loss: Option<super::money::Money>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    pub year: Option<i32>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub vin: Option<String>,
    /// The licence plate (with its state, as reported).
    pub plate: Option<String>,
    pub damage: Option<String>,
    /// The user accepted a VIN whose check digit does not verify (some real VINs fail).
    #[serde(default)]
    pub vin_check_overridden: bool,
}

impl Vehicle {
    /// Year, make and model as far as they are known: `2013 Jeep Wrangler Sport`.
    pub fn description(&self) -> String {
        [
            self.year.map(|y| y.to_string()),
            self.make.clone(),
            self.model.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherParty {
    pub name: Option<String>,
    pub contact: Option<String>,
    pub carrier: Option<String>,
    pub policy_number: Option<String>,
    pub vehicle: Option<String>,
    /// Postal address (a release names it).
    pub address: Option<String>,
    /// Someone who acts for them (attorney, guardian): may sign their release.
    pub representative: Option<Party>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InjuredPerson {
    pub name: Option<String>,
    pub contact: Option<String>,
    pub description: Option<String>,
    /// Life-altering injury (spinal, brain, amputation, severe burns).
    #[serde(default)]
    pub catastrophic: bool,
    /// Postal address (a release names it).
    pub address: Option<String>,
    /// Someone who acts for them (attorney, guardian, estate): may sign their release.
    pub representative: Option<Party>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Witness {
    pub name: Option<String>,
    pub contact: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PropertyLossType {
    Fire,
    Water,
    Wind,
    Theft,
    Vandalism,
    Other,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyFacts {
    pub discovered_on: Option<NaiveDate>,
    /// Local time the loss was discovered, `HH:MM`.
    pub discovered_at: Option<String>,
    pub loss_type: Option<PropertyLossType>,
    /// Address of the damaged property.
    pub property_address: Option<String>,
    pub damage_description: Option<String>,
    pub emergency_repairs_needed: Option<bool>,
    /// What emergency repairs were made (tarp, water extraction, board-up), by whom, at what
    /// cost: documented, since the policy asks the insured to protect the property.
    pub emergency_repairs: Option<String>,
    /// A public adjuster represents the insured: the office deals with them.
    pub public_adjuster: Option<bool>,
    /// Mortgage company or lienholder, if any ("none" when the reporter said there is none).
    pub mortgagee: Option<String>,
    /// The reporter's estimate of the loss, used for priority.
    pub estimated_loss: Option<super::money::Money>,
    /// The insured cannot live in the home (additional living expense).
    #[serde(default)]
    pub displaced: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiabilityFacts {
    /// When the claim was first made against the insured (claims-made policies).
    pub claim_received_on: Option<NaiveDate>,
    pub claimant: Option<Party>,
    /// The alleged act, error or injury.
    pub allegation: Option<String>,
    /// Claimant represented by a lawyer: escalate at once.
    pub represented: Option<bool>,
    pub attorney: Option<Party>,
    /// The insured had prior notice of this claim.
    pub prior_notice: Option<bool>,
    /// A suit has been filed.
    #[serde(default)]
    pub litigation: bool,
    #[serde(default)]
    pub bodily_injury: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkersCompFacts {
    pub employee: Option<Employee>,
    /// How the injury happened.
    pub how_it_happened: Option<String>,
    #[serde(default)]
    pub body_parts: Vec<String>,
    pub medical_treatment: Option<bool>,
    pub treatment_facility: Option<String>,
    pub treating_physician: Option<String>,
    #[serde(default)]
    pub witnesses: Vec<Witness>,
    pub return_to_work_expected: Option<bool>,
    #[serde(default)]
    pub fatality: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Employee {
    pub name: Option<String>,
    pub id: Option<String>,
    pub job_title: Option<String>,
    /// Postal address (a release names it).
    pub address: Option<String>,
    /// Someone who acts for them (the employee's attorney): may sign their release.
    pub representative: Option<Party>,
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// The FNOL facts this claim's line of business requires and the claim lacks, as field paths.
pub fn missing_facts(claim: &Claim) -> Vec<String> {
    let mut missing = Vec::new();
    let mut need = |cond: bool, path: &str| {
        if cond {
            missing.push(path.to_string());
        }
    };
    let loss = &claim.loss;
    need(loss.date.is_none(), "loss.date");
    need(blank(&loss.description), "loss.description");
    need(
        blank(&claim.policy_number) && claim.insured.as_ref().is_none_or(|p| blank(&p.name)),
        "policy_number",
    );
    // The state whose rules govern the claim; an email may not say it.
    need(claim.jurisdiction.trim().is_empty(), "jurisdiction");
    match claim.lob {
        LineOfBusiness::PersonalAuto | LineOfBusiness::CommercialAuto => {
            need(blank(&loss.time), "loss.time");
            need(blank(&loss.location), "loss.location");
            match &claim.auto {
                None => need(true, "auto.vehicles"),
                Some(auto) => {
                    need(auto.vehicles.is_empty(), "auto.vehicles");
                    for (i, v) in auto.vehicles.iter().enumerate() {
                        need(v.year.is_none(), &format!("auto.vehicles[{i}].year"));
                        need(blank(&v.make), &format!("auto.vehicles[{i}].make"));
                        need(blank(&v.model), &format!("auto.vehicles[{i}].model"));
                        need(blank(&v.vin), &format!("auto.vehicles[{i}].vin"));
                        need(blank(&v.damage), &format!("auto.vehicles[{i}].damage"));
                    }
                    for (i, p) in auto.other_parties.iter().enumerate() {
                        need(blank(&p.name), &format!("auto.other_parties[{i}].name"));
                        need(
                            blank(&p.contact),
                            &format!("auto.other_parties[{i}].contact"),
                        );
                    }
                    for (i, p) in auto.injured.iter().enumerate() {
                        need(blank(&p.name), &format!("auto.injured[{i}].name"));
                        need(blank(&p.contact), &format!("auto.injured[{i}].contact"));
                        need(
                            blank(&p.description),
                            &format!("auto.injured[{i}].description"),
                        );
                    }
                    for (i, w) in auto.witnesses.iter().enumerate() {
                        need(blank(&w.name), &format!("auto.witnesses[{i}].name"));
                        need(blank(&w.contact), &format!("auto.witnesses[{i}].contact"));
                    }
                }
            }
        }
        LineOfBusiness::Property => match &claim.property {
            None => need(true, "property"),
            Some(p) => {
                need(p.discovered_on.is_none(), "property.discovered_on");
                need(p.loss_type.is_none(), "property.loss_type");
                need(blank(&p.property_address), "property.property_address");
                need(blank(&p.damage_description), "property.damage_description");
                need(
                    p.emergency_repairs_needed.is_none(),
                    "property.emergency_repairs_needed",
                );
                need(p.public_adjuster.is_none(), "property.public_adjuster");
                need(blank(&p.mortgagee), "property.mortgagee");
            }
        },
        LineOfBusiness::GeneralLiability | LineOfBusiness::ProfessionalLiability => {
            match &claim.liability {
                None => need(true, "liability"),
                Some(l) => {
                    need(l.claim_received_on.is_none(), "liability.claim_received_on");
                    let claimant = l.claimant.as_ref();
                    need(
                        claimant.is_none_or(|c| blank(&c.name)),
                        "liability.claimant.name",
                    );
                    need(
                        claimant.is_none_or(|c| blank(&c.phone) && blank(&c.email)),
                        "liability.claimant.phone",
                    );
                    need(blank(&l.allegation), "liability.allegation");
                    need(l.represented.is_none(), "liability.represented");
                    need(l.prior_notice.is_none(), "liability.prior_notice");
                }
            }
        }
        LineOfBusiness::WorkersComp => {
            need(blank(&loss.time), "loss.time");
            match &claim.workers_comp {
                None => need(true, "workers_comp"),
                Some(w) => {
                    let e = w.employee.as_ref();
                    need(
                        e.is_none_or(|e| blank(&e.name)),
                        "workers_comp.employee.name",
                    );
                    need(e.is_none_or(|e| blank(&e.id)), "workers_comp.employee.id");
                    need(
                        e.is_none_or(|e| blank(&e.job_title)),
                        "workers_comp.employee.job_title",
                    );
                    need(blank(&w.how_it_happened), "workers_comp.how_it_happened");
                    need(w.body_parts.is_empty(), "workers_comp.body_parts");
                    need(
                        w.medical_treatment.is_none(),
                        "workers_comp.medical_treatment",
                    );
                    if w.medical_treatment == Some(true) {
                        need(
                            blank(&w.treatment_facility),
                            "workers_comp.treatment_facility",
                        );
                        need(
                            blank(&w.treating_physician),
                            "workers_comp.treating_physician",
                        );
                    }
                    need(
                        w.return_to_work_expected.is_none(),
                        "workers_comp.return_to_work_expected",
                    );
                }
            }
        }
    }
    missing
}

/// The facts section that belongs to a line of business, for messages and sample payloads.
pub fn facts_section(lob: LineOfBusiness) -> &'static str {
    match lob {
        LineOfBusiness::PersonalAuto | LineOfBusiness::CommercialAuto => "auto",
        LineOfBusiness::Property => "property",
        LineOfBusiness::GeneralLiability | LineOfBusiness::ProfessionalLiability => "liability",
        LineOfBusiness::WorkersComp => "workers_comp",
    }
}
