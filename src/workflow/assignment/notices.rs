//! The notices an assignment writes: to the adjuster (or outside handler), the insured, the
//! agent, defense counsel and the supervisors — each a letter in the claim's letters/ and,
//! where the addressee has an email, a message for the outbox.

use serde_json::{json, Value};

use super::Taker;
use crate::domain::claim::{Claim, ItemStatus, Timestamp};
use crate::domain::office::{Contact, Person};
use crate::error::{Error, Result};
use crate::letters::{addressee, recipient_of, Email};
use crate::workflow::{Desk, File};

/// The letters one assignment writes: each rendered, recorded on the claim, filed under its
/// letters/, and mailed where the addressee has an email.
pub(super) struct Notices<'c> {
    desk: &'c Desk<'c>,
    now: Timestamp,
    files: Vec<File>,
    mail: Vec<Email>,
    sent: Vec<String>,
}

impl<'c> Notices<'c> {
    pub(super) fn new(desk: &'c Desk<'c>) -> Notices<'c> {
        Notices {
            desk,
            now: desk.now,
            files: vec![],
            mail: vec![],
            sent: vec![],
        }
    }

    fn today(&self) -> String {
        self.now.date_naive().to_string()
    }

    fn local(&self, t: Timestamp) -> String {
        t.with_timezone(&self.desk.tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    }

    /// Renders `template`, files it as a letter to `to`, and queues the email.
    fn send(
        &mut self,
        claim: &mut Claim,
        template: &str,
        to: &str,
        context: Value,
        envelope: Envelope,
    ) -> Result<()> {
        let Envelope {
            email,
            subject,
            reply_to,
        } = envelope;
        let text = self
            .desk
            .records
            .templates()?
            .render(template, &context)
            .map_err(|e| {
                Error::refused(format!(
                    "{}: the {} notice cannot be written: {e}",
                    claim.id,
                    template.replace('_', " ")
                ))
            })?;
        let (file, letter) = crate::workflow::file_letter(
            self.desk.office.claim_folders(),
            claim,
            template,
            to,
            self.now,
            text.clone(),
        )?;
        if let Some(to_addr) = email.filter(|(_, a)| !a.trim().is_empty()) {
            self.mail.push(Email::of_letter(
                &claim.id, &file, to_addr, reply_to, subject, text, self.now,
            ));
            self.sent.push(format!("{to} (email)"));
        } else {
            self.sent.push(format!("{to} (letter)"));
        }
        self.files.push(letter);
        Ok(())
    }

    pub(super) fn adjuster(
        &mut self,
        claim: &mut Claim,
        taker: &Taker,
        handler: &Value,
        rule: &str,
        override_reason: &Option<String>,
        due: Timestamp,
    ) -> Result<()> {
        let triage = claim.triage.clone().expect("a triaged claim");
        let ctx = json!({
            "office": self.desk.office.office,
            "today": self.today(),
            "adjuster": handler,
            "assigned_by": self.desk.actor,
            "claim": claim,
            "insured": claim.insured,
            "coverage": {
                "outcome": triage.coverage,
                "reasons": triage.reasons,
                "deductible": triage.deductible,
                "conditions": triage.conditions.iter().map(|c| c.description.clone()).collect::<Vec<_>>(),
            },
            "priority": triage.priority.as_str(),
            "contact_by": self.local(due),
            "rule": rule,
            "override_reason": override_reason,
            "tasks": claim.tasks.iter().filter(|t| t.status.is_outstanding()).collect::<Vec<_>>(),
            "documents": claim.documents.iter().filter(|d| d.status.is_outstanding()).collect::<Vec<_>>(),
        });
        let (label, email) = match taker {
            Taker::Person(p) => ("adjuster", Some((p.name.clone(), p.email.clone()))),
            Taker::Outside(c) => ("handler", c.email.clone().map(|e| (c.name.clone(), e))),
        };
        let subject = format!(
            "New assignment {} ({} priority)",
            claim.id,
            triage.priority.as_str()
        );
        self.send(
            claim,
            "assignment_notice",
            label,
            ctx,
            Envelope {
                email,
                subject,
                reply_to: None,
            },
        )
    }

    pub(super) fn insured(
        &mut self,
        claim: &mut Claim,
        handler: &Value,
        due: Timestamp,
    ) -> Result<()> {
        let Some(party) = addressee(claim).cloned() else {
            return Err(Error::refused(format!(
                "{} names neither insured nor reporter to acknowledge",
                claim.id
            )));
        };
        let received_on = claim
            .received_at
            .with_timezone(&self.desk.tz)
            .date_naive()
            .to_string();
        let documents: Vec<Value> = claim
            .documents
            .iter()
            .filter(|d| d.status == ItemStatus::Requested)
            .map(|d| json!({"name": d.name, "due": d.due}))
            .collect();
        let ctx = json!({
            "office": self.desk.office.office,
            "today": self.today(),
            "recipient": recipient_of(&party),
            "received_on": received_on,
            "claim": claim,
            "adjuster": handler,
            "contact_by": self.local(due),
            "documents": documents,
        });
        let email = party
            .email
            .clone()
            .map(|e| (party.name.clone().unwrap_or_default(), e));
        let subject = format!("Claim {}: we received your claim", claim.id);
        let reply_to = reply_to(handler);
        self.send(
            claim,
            "acknowledgment",
            "insured",
            ctx,
            Envelope {
                email,
                subject,
                reply_to,
            },
        )
    }

    pub(super) fn agent(
        &mut self,
        claim: &mut Claim,
        handler: &Value,
        due: Timestamp,
    ) -> Result<()> {
        let Some(agent) = claim.agent.clone().filter(|a| a.name.is_some()) else {
            return Ok(());
        };
        let outcome = claim
            .triage
            .as_ref()
            .map(|t| crate::workflow::plain(&t.coverage))
            .unwrap_or_default();
        let name = handler["name"].as_str().unwrap_or_default().to_string();
        let summary = format!(
            "We received the claim on {} and assigned it to {name} on {}. Coverage at triage: {}.",
            claim.received_at.with_timezone(&self.desk.tz).date_naive(),
            self.today(),
            outcome.replace('_', " ")
        );
        let mut next = vec![format!(
            "{name} will contact the insured by {}.",
            self.local(due)
        )];
        let asked: Vec<String> = claim
            .documents
            .iter()
            .filter(|d| d.status == ItemStatus::Requested)
            .map(|d| d.name.clone())
            .collect();
        if !asked.is_empty() {
            next.push(format!(
                "We have asked the insured for: {}.",
                asked.join("; ")
            ));
        }
        let ctx = json!({
            "office": self.desk.office.office,
            "today": self.today(),
            "recipient": {
                "name": agent.name,
                "organization": agent.organization,
                "address": agent.email,
            },
            "to_agent": true,
            // Offices' templates written before `recipient` print the agent's fields.
            "agent": agent,
            "insured_name": crate::letters::insured_name(claim),
            "claim": claim,
            "status": "assigned for investigation",
            "summary": summary,
            "next_steps": next,
            "adjuster": handler,
        });
        let email = agent
            .email
            .clone()
            .map(|e| (agent.name.clone().unwrap_or_default(), e));
        let subject = crate::letters::status_subject(claim, true);
        let reply_to = reply_to(handler);
        self.send(
            claim,
            "status_update",
            "agent",
            ctx,
            Envelope {
                email,
                subject,
                reply_to,
            },
        )
    }

    pub(super) fn counsel(
        &mut self,
        claim: &mut Claim,
        contact: &Contact,
        handler: &Value,
        rule: &str,
    ) -> Result<()> {
        let mut reasons = Vec::new();
        if let Some(l) = &claim.liability {
            if l.represented == Some(true) {
                reasons.push("the claimant is represented by an attorney".to_string());
            }
            if l.litigation {
                reasons.push("a lawsuit has been filed".to_string());
            }
        }
        if reasons.is_empty() {
            reasons.push(format!("routing rule \"{rule}\" asks that you be told"));
        }
        let ctx = json!({
            "office": self.desk.office.office,
            "today": self.today(),
            "contact": contact,
            "claim": claim,
            "insured": claim.insured,
            "adjuster": handler,
            "reasons": reasons,
        });
        let email = contact.email.clone().map(|e| (contact.name.clone(), e));
        let subject = format!(
            "Notice of claim {} against {}",
            claim.id,
            claim
                .insured
                .as_ref()
                .and_then(|p| p.name.clone())
                .unwrap_or_else(|| "our insured".into())
        );
        let reply_to = reply_to(handler);
        self.send(
            claim,
            "counsel_notice",
            &contact.id,
            ctx,
            Envelope {
                email,
                subject,
                reply_to,
            },
        )
    }

    pub(super) fn supervisor(
        &mut self,
        claim: &mut Claim,
        supervisor: &Person,
        rule: &str,
        reason: &str,
        assign_by: Option<Timestamp>,
        escalation: bool,
    ) -> Result<()> {
        let action = if escalation {
            format!(
                "assign it with `claims assign {} --to PERSON --reason TEXT`, or free up an adjuster and run `claims assign --pending`",
                claim.id
            )
        } else {
            format!("follow the claim with `claims show {}`", claim.id)
        };
        let ctx = json!({
            "office": self.desk.office.office,
            "today": self.today(),
            "supervisor": supervisor,
            "claim": claim,
            "priority": claim.priority().map(|p| p.as_str()).unwrap_or("standard"),
            "assign_by": assign_by.map(|t| self.local(t)),
            "rule": rule,
            "reason": reason,
            "action": action,
        });
        let subject = if escalation {
            format!("Escalation: no adjuster available for claim {}", claim.id)
        } else {
            format!("Claim {} routed by rule {rule}", claim.id)
        };
        let email = Some((supervisor.name.clone(), supervisor.email.clone()));
        self.send(
            claim,
            "supervisor_notice",
            "supervisor",
            ctx,
            Envelope {
                email,
                subject,
                reply_to: None,
            },
        )
    }

    pub(super) fn finish(self) -> (Vec<File>, Vec<Email>, Vec<String>) {
        (self.files, self.mail, self.sent)
    }
}

/// Who an email goes to, its subject, and where replies go.
struct Envelope {
    email: Option<(String, String)>,
    subject: String,
    reply_to: Option<(String, String)>,
}

fn reply_to(handler: &Value) -> Option<(String, String)> {
    Some((
        handler["name"].as_str()?.to_string(),
        handler["email"].as_str()?.to_string(),
    ))
}
