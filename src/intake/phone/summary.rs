//! The read-back at the end of the phone script: one line per captured fact.

use crate::domain::claim::Party;
use crate::intake::draft::Draft;

use super::parse::property_loss_type_name;

/// Every fact in the draft, one `label: value` line each, in the order the script asks.
pub fn summary_lines(d: &Draft) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            out.push(format!("{label}: {v}"));
        }
    };
    let yn = |b: bool| Some(if b { "yes" } else { "no" }.to_string());
    let opt_yn = |b: Option<bool>| b.and_then(yn);

    if let Some(r) = &d.reporter {
        line("Reporter", party(r));
    }
    line(
        "Line of business",
        d.lob.map(|l| l.as_str().replace('_', " ")),
    );
    line("Policy number", d.policy_number.clone());
    if let Some(i) = &d.insured {
        line("Insured", party(i));
    }
    line("State", d.jurisdiction.clone());
    line("Date of loss", d.loss.date.map(|x| x.to_string()));
    line("Time of loss", d.loss.time.clone());
    line("Location", d.loss.location.clone());
    line("What happened", d.loss.description.clone());
    line("Cause", d.loss.cause.clone());

    if let Some(a) = &d.auto {
        line(
            "Police report",
            a.police_report.clone().or(Some("none".into())),
        );
        for (i, v) in a.vehicles.iter().enumerate() {
            let n = i + 1;
            line(&format!("Vehicle {n}"), Some(v.description()));
            let vin = v.vin.clone().map(|vin| {
                if v.vin_check_overridden {
                    format!("{vin} (check digit does not verify; accepted by the CSR)")
                } else {
                    vin
                }
            });
            line(&format!("Vehicle {n} VIN"), vin);
            line(&format!("Vehicle {n} damage"), v.damage.clone());
        }
        line("Glass only", yn(a.glass_only));
        if d.lob == Some(crate::domain::claim::LineOfBusiness::PersonalAuto) {
            line("Business use", yn(a.business_use));
        }
        if a.other_parties.is_empty() {
            line("Other parties", Some("none".into()));
        }
        for (i, p) in a.other_parties.iter().enumerate() {
            let mut parts: Vec<String> = [p.name.clone(), p.contact.clone()]
                .into_iter()
                .flatten()
                .collect();
            if let Some(c) = &p.carrier {
                parts.push(format!("insured with {c}"));
            }
            if let Some(n) = &p.policy_number {
                parts.push(format!("policy {n}"));
            }
            if let Some(v) = &p.vehicle {
                parts.push(format!("vehicle {v}"));
            }
            line(&format!("Other party {}", i + 1), Some(parts.join(", ")));
        }
        if a.injured.is_empty() {
            line("Injured", Some("nobody".into()));
        }
        for (i, p) in a.injured.iter().enumerate() {
            let mut parts: Vec<String> = [p.name.clone(), p.contact.clone(), p.description.clone()]
                .into_iter()
                .flatten()
                .collect();
            if p.catastrophic {
                parts.push("LIFE-ALTERING".into());
            }
            line(&format!("Injured {}", i + 1), Some(parts.join(", ")));
        }
        if !a.injured.is_empty() {
            line("Fatality", yn(a.fatality));
        }
        witnesses(&mut line, &a.witnesses);
    }

    if let Some(p) = &d.property {
        line("Discovered on", p.discovered_on.map(|x| x.to_string()));
        line("Discovered at", p.discovered_at.clone());
        line(
            "Type of loss",
            p.loss_type.map(|t| property_loss_type_name(t).to_string()),
        );
        line("Property address", p.property_address.clone());
        line("Damage", p.damage_description.clone());
        line(
            "Emergency repairs needed",
            opt_yn(p.emergency_repairs_needed),
        );
        line("Emergency repairs made", p.emergency_repairs.clone());
        line("Public adjuster", opt_yn(p.public_adjuster));
        line("Mortgage company or lienholder", p.mortgagee.clone());
        line("Estimated loss", p.estimated_loss.map(|m| format!("${m}")));
        line("Insured displaced", yn(p.displaced));
    }

    if let Some(l) = &d.liability {
        line(
            "Claim received on",
            l.claim_received_on.map(|x| x.to_string()),
        );
        if let Some(c) = &l.claimant {
            line("Claimant", party(c));
        }
        line("Allegation", l.allegation.clone());
        line("Bodily injury", yn(l.bodily_injury));
        line("Lawsuit filed", yn(l.litigation));
        line(
            "Represented by a lawyer",
            l.represented.map(|r| {
                if r {
                    "YES - flagged for escalation".to_string()
                } else {
                    "no".to_string()
                }
            }),
        );
        if let Some(a) = &l.attorney {
            line("Attorney", party(a));
        }
        line("Prior notice", opt_yn(l.prior_notice));
    }

    if let Some(w) = &d.workers_comp {
        if let Some(e) = &w.employee {
            line("Employee", e.name.clone());
            line("Employee ID", e.id.clone());
            line("Job title", e.job_title.clone());
        }
        line("How it happened", w.how_it_happened.clone());
        line("Body parts", Some(w.body_parts.join(", ")));
        line("Medical treatment", opt_yn(w.medical_treatment));
        line("Treated at", w.treatment_facility.clone());
        line("Treating physician", w.treating_physician.clone());
        line("Fatality", yn(w.fatality));
        witnesses(&mut line, &w.witnesses);
        line("Return to work expected", opt_yn(w.return_to_work_expected));
    }

    for n in &d.notes {
        line("Note", Some(n.clone()));
    }
    out
}

fn witnesses(line: &mut impl FnMut(&str, Option<String>), ws: &[crate::domain::fnol::Witness]) {
    if ws.is_empty() {
        line("Witnesses", Some("none".into()));
    }
    for (i, w) in ws.iter().enumerate() {
        let parts: Vec<String> = [w.name.clone(), w.contact.clone()]
            .into_iter()
            .flatten()
            .collect();
        line(&format!("Witness {}", i + 1), Some(parts.join(", ")));
    }
}

fn party(p: &Party) -> Option<String> {
    let mut parts: Vec<String> = [p.name.clone(), p.organization.clone()]
        .into_iter()
        .flatten()
        .collect();
    if let Some(r) = &p.relationship {
        parts.push(format!("({r})"));
    }
    parts.extend(
        [p.phone.clone(), p.email.clone(), p.address.clone()]
            .into_iter()
            .flatten(),
    );
    (!parts.is_empty()).then(|| parts.join(", ").replace(", (", " ("))
}
