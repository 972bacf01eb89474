//! Assignment: routing by authority.yaml's rules and workload balancing, or a supervisor's
//! override (`--to PERSON --reason TEXT`).
//!
//! Assignment sets the contact-by deadline, puts the claim type's tasks and document checklist
//! on the claim, and writes the notices into the claim's letters/ (committed with it) and, for
//! every addressee with an email, as messages for the outbox once the commit is made. When
//! nobody holding the rule's specialty is available the claim goes to the escalation queue and
//! the supervisors are told.

mod notices;

use serde_json::json;

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use crate::domain::claim::{Assignment, Claim, Escalation, Priority};
use crate::domain::claim_id::ClaimId;
use crate::domain::investigation::add_checklist;
use crate::domain::lifecycle::Status;
use crate::domain::office::{Contact, Office, Permission, Person, RoutingRule};
use crate::domain::routing::{
    availability, contact_by, nobody_available, pick_at, route, senior_rank, supervisors,
};
use crate::error::{Error, Result};
use notices::Notices;

/// `claims assign ID [--to PERSON --reason TEXT]` (and each claim of `claims assign --pending`).
#[derive(Clone, Debug, PartialEq)]
pub struct Assign {
    pub id: ClaimId,
    pub to: Option<String>,
    pub reason: Option<String>,
}

/// Who takes the claim.
enum Taker<'o> {
    Person(&'o Person),
    Outside(&'o Contact),
}

/// What routing decided for one claim.
enum Decision<'o> {
    Assign {
        rule: Option<&'o RoutingRule>,
        destination: String,
        taker: Taker<'o>,
        override_reason: Option<String>,
    },
    Escalate {
        rule: &'o RoutingRule,
        reason: String,
    },
}

impl Assign {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .opt("to", &self.to)
            .opt("reason", &self.reason);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Assign, String> {
        Ok(Assign {
            id: super::claim_id(r)?,
            to: r.optional("to")?,
            reason: r.optional("reason")?,
        })
    }

    pub fn needs(&self) -> (Permission, &'static str) {
        if self.to.is_some() {
            (Permission::AssignOverride, "override an assignment")
        } else {
            (Permission::Assign, "assign claims")
        }
    }

    /// The claim's escalation when routing it again would only escalate it again for the same
    /// reason: (rule, destination). A batch leaves such claims as they are.
    pub fn still_escalated(&self, desk: &Desk) -> Result<Option<(String, String)>> {
        let claim = desk.claim(&self.id)?;
        if self.to.is_some() || claim.status != Status::Triaged {
            return Ok(None);
        }
        let Some(e) = &claim.escalation else {
            return Ok(None);
        };
        Ok(match decide(desk, &claim, None)? {
            Decision::Escalate { rule, reason } if reason == e.reason => {
                Some((rule.name.clone(), rule.destination.clone()))
            }
            _ => None,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let claim = desk.claim(&self.id)?;
        let over = match &self.to {
            Some(to) => {
                let reason = self.reason.as_deref().map(str::trim).unwrap_or_default();
                if reason.is_empty() {
                    return Err(Error::usage("--to needs --reason saying why"));
                }
                Some((override_person(desk.office, to)?, reason.to_string()))
            }
            None if self.reason.is_some() => {
                return Err(Error::usage("--reason goes with --to"));
            }
            None => None,
        };
        let allowed: &[Status] = if over.is_some() {
            &[Status::Triaged, Status::Assigned, Status::Investigating]
        } else {
            &[Status::Triaged]
        };
        if !allowed.contains(&claim.status) {
            return Err(match (claim.status, claim.handled_by()) {
                (Status::Assigned | Status::Investigating, Some(who)) => {
                    Error::refused(format!("{} is already assigned to {who}", self.id)).hint(
                        "a supervisor reassigns with `claims assign ID --to PERSON --reason TEXT`",
                    )
                }
                (status, _) => Error::refused(format!(
                    "{} is {status}: only triaged claims are assigned (`claims triage {}` first)",
                    self.id, self.id
                )),
            });
        }
        let decision = decide(desk, &claim, over.as_ref().map(|(p, r)| (*p, r.as_str())))?;
        let mut warnings = Vec::new();
        if let (
            Decision::Assign {
                taker: Taker::Person(p),
                ..
            },
            Some(_),
        ) = (&decision, &over)
        {
            let open = desk.records.register()?.workload().open(&p.email);
            if let Some(why) = availability(desk.office, p, open, desk.today()) {
                warnings.push(format!(
                    "{}: {} is {why}; assigned by override",
                    self.id, p.name
                ));
            }
        }
        let mut change = desk.edit(&self.id, |claim| assign(desk, &decision, claim))?;
        change.warnings = warnings;
        if let Decision::Assign {
            taker: Taker::Person(p),
            ..
        } = &decision
        {
            let before = desk.records.register()?.workload().open(&p.email);
            let already = claim.status.is_open()
                && claim
                    .adjuster()
                    .is_some_and(|a| a.eq_ignore_ascii_case(&p.email));
            let after = if already { before } else { before + 1 };
            change.facts.push(("open_claims", after.to_string()));
        }
        Ok(change)
    }
}

/// The person an override names: in authority.yaml, active, and able to investigate.
fn override_person<'o>(office: &'o Office, to: &str) -> Result<&'o Person> {
    let p = office.person(to).ok_or_else(|| {
        Error::refused(format!(
            "--to {to}: nobody with that email in authority.yaml"
        ))
    })?;
    if !p.active {
        return Err(Error::refused(format!(
            "--to {to}: {} is no longer active",
            p.name
        )));
    }
    if !office.may(&p.email, Permission::Investigate) {
        return Err(Error::refused(format!(
            "--to {to}: {}'s role ({}) does not handle claims",
            p.name, p.role
        )));
    }
    Ok(p)
}

/// Routing (or the override) for the claim.
fn decide<'o>(
    desk: &'o Desk,
    claim: &Claim,
    over: Option<(&'o Person, &str)>,
) -> Result<Decision<'o>> {
    let office = desk.office;
    let rule = route(claim, office);
    if let Some((person, reason)) = over {
        return Ok(Decision::Assign {
            rule: None,
            destination: rule.map_or("in_house".to_string(), |r| r.destination.clone()),
            taker: Taker::Person(person),
            override_reason: Some(reason.to_string()),
        });
    }
    let rule = rule.ok_or_else(|| {
        Error::refused(format!(
            "{}: no routing rule in authority.yaml matches this {} claim in {}",
            claim.id, claim.lob, claim.jurisdiction
        ))
        .hint("add a catch-all rule for the line at the end of `routing:`")
    })?;
    let taker = match (&rule.specialty, &rule.handler) {
        (Some(s), _) => {
            let workload = desk.records.register()?.workload();
            // A senior destination, and a critical claim, reach a senior adjuster or above.
            let critical = claim.priority() == Some(Priority::Critical);
            let senior = (rule.destination == "senior" || critical)
                .then(|| senior_rank(office))
                .flatten();
            match pick_at(office, s, senior, workload, desk.today()) {
                Ok(p) => Taker::Person(p),
                Err(why) => {
                    let mut reason = nobody_available(s, &why);
                    if senior.is_some() {
                        let what = if critical {
                            "a critical claim"
                        } else {
                            "a senior destination"
                        };
                        reason = format!("{what} needs a senior adjuster or above: {reason}");
                    }
                    return Ok(Decision::Escalate { rule, reason });
                }
            }
        }
        (None, Some(h)) => Taker::Outside(contact(office, h, &rule.name)?),
        (None, None) => {
            return Err(Error::refused(format!(
                "authority.yaml routing rule {} names neither a specialty nor a handler",
                rule.name
            )))
        }
    };
    Ok(Decision::Assign {
        rule: Some(rule),
        destination: rule.destination.clone(),
        taker,
        override_reason: None,
    })
}

fn contact<'o>(office: &'o Office, id: &str, rule: &str) -> Result<&'o Contact> {
    office.contacts.iter().find(|c| c.id == id).ok_or_else(|| {
        Error::refused(format!(
            "authority.yaml routing rule {rule} names {id}, which is not under `contacts:`"
        ))
    })
}

/// The decision applied to the claim, with its notices.
fn assign(desk: &Desk, decision: &Decision, claim: &mut Claim) -> Result<Edit> {
    let mut notices = Notices::new(desk);
    let (by, now) = (desk.actor.email.clone(), desk.now);
    let priority = claim
        .priority()
        .ok_or_else(|| Error::refused(format!("{} has no triage record", claim.id)))?;
    match decision {
        Decision::Escalate { rule, reason } => {
            let assign_by = claim.triage.as_ref().and_then(|t| t.assign_by);
            claim.escalation = Some(Escalation {
                at: now,
                by: by.clone(),
                rule: rule.name.clone(),
                reason: reason.clone(),
                assign_by,
            });
            for s in supervisors(desk.office) {
                notices.supervisor(claim, s, &rule.name, reason, assign_by, true)?;
            }
            let (files, mail, sent) = notices.finish();
            let mut edit = Edit::new(format!("assign {}: escalated, {reason}", claim.id))
                .trailer("Outcome", "escalated")
                .trailer("Rule", rule.name.clone());
            edit.files = files;
            edit.mail = mail;
            edit.facts = vec![
                ("notices", sent.join(", ")),
                ("destination", rule.destination.clone()),
            ];
            Ok(edit)
        }
        Decision::Assign {
            rule,
            destination,
            taker,
            override_reason,
        } => {
            let rule_name = rule.map_or("override".to_string(), |r| r.name.clone());
            let due = contact_by(
                now,
                priority,
                &desk.office.priority.contact_within,
                desk.calendar,
                desk.tz,
            );
            let previous = claim.adjuster().map(str::to_string);
            let (adjuster, handler, name) = match taker {
                Taker::Person(p) => (Some(p.email.clone()), None, p.name.clone()),
                Taker::Outside(c) => (None, Some(c.name.clone()), c.name.clone()),
            };
            claim.assignment = Some(Assignment {
                destination: destination.clone(),
                adjuster: adjuster.clone(),
                handler: handler.clone(),
                at: now,
                by: by.clone(),
                contact_by: Some(due),
                rule: Some(rule_name.clone()),
                override_reason: override_reason.clone(),
            });
            let event = if previous.is_some() || claim.status != Status::Triaged {
                "reassign"
            } else {
                "assign"
            };
            claim.record_event(now, &by, event, Status::Assigned);
            add_checklist(claim, desk.office, desk.today(), desk.calendar);
            let handler_party = match taker {
                Taker::Person(p) => json!({"name": p.name, "phone": p.phone, "email": p.email}),
                Taker::Outside(c) => json!({"name": c.name, "phone": c.phone, "email": c.email}),
            };
            notices.adjuster(
                claim,
                taker,
                &handler_party,
                &rule_name,
                override_reason,
                due,
            )?;
            notices.insured(claim, &handler_party, due)?;
            notices.agent(claim, &handler_party, due)?;
            if claim.sla.acknowledged_at.is_none() {
                claim.sla.acknowledged_at = Some(now);
            }
            if let Some(rule) = rule {
                for n in &rule.notify {
                    if n == "supervisor" {
                        let why = format!(
                            "Routing rule \"{}\" sent claim {} to {name} and asks the supervisor to follow it.",
                            rule.name, claim.id
                        );
                        for s in supervisors(desk.office) {
                            notices.supervisor(claim, s, &rule.name, &why, None, false)?;
                        }
                    } else {
                        let c = contact(desk.office, n, &rule.name)?;
                        notices.counsel(claim, c, &handler_party, &rule.name)?;
                    }
                }
            }
            let (files, mail, sent) = notices.finish();
            let mut edit = Edit::new(match override_reason {
                Some(r) => format!("assign {}: {name} by override ({r})", claim.id),
                None => format!("assign {}: {name} by rule {rule_name}", claim.id),
            })
            .trailer("Rule", rule_name.clone())
            .trailer("Destination", destination.clone());
            if let Some(a) = &adjuster {
                edit = edit.trailer("Adjuster", a.clone());
            }
            if let Some(h) = &handler {
                edit = edit.trailer("Handler", h.clone());
            }
            if let Some(p) = &previous {
                edit = edit.trailer("Previous-Adjuster", p.clone());
            }
            if let Some(r) = override_reason {
                edit = edit.trailer("Override-Reason", r.clone());
            }
            edit.files = files;
            edit.mail = mail;
            edit.facts = vec![("notices", sent.join(", "))];
            Ok(edit)
        }
    }
}
