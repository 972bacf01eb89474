//! `claims assign ID... | --pending`: routing by authority.yaml's rules and workload balancing,
//! or a supervisor's override (`--to PERSON --reason TEXT`) — one signed commit per claim.
//!
//! Assignment sets the contact-by deadline, puts the claim type's tasks and document checklist
//! on the claim, and writes the notices into the claim's letters/ (committed with it) and, for
//! every addressee with an email, as `.eml` files in the outbox once the commit is made. When
//! nobody holding the rule's specialty is available the claim goes to the escalation queue and
//! the supervisors are told.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::{Assignment, Claim, Escalation, Timestamp};
use crate::domain::claim_id::ClaimId;
use crate::domain::investigation::add_checklist;
use crate::domain::lifecycle::Status;
use crate::domain::office::{Contact, Office, Permission, Person, RoutingRule};
use crate::domain::routing::{availability, contact_by, nobody_available, pick, route};
use crate::domain::routing::{supervisors, Workload};
use crate::error::{Error, Result};
use crate::letters::LetterTemplates;
use crate::store::files::{load_claims, load_templates, parse_claim_id};
use crate::store::outbox::{deliver, Email};

mod notices;
use crate::store::session::{ClaimChange, Session};
use notices::Notices;

/// Route claims to adjusters (or outside handlers) and tell everyone concerned.
///
/// Each claim goes by the first routing rule of authority.yaml that matches it; a rule with a
/// specialty picks the available person holding it with the fewest open claims. `--to` and
/// `--reason` (a supervisor's override) assign or reassign one claim to a named person.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Claims to assign (triaged; with --to also assigned or under investigation).
    #[arg(required_unless_present = "pending", conflicts_with = "pending")]
    pub ids: Vec<String>,
    /// Every triaged claim waiting for an adjuster (escalated ones too), earliest deadline first.
    #[arg(long)]
    pub pending: bool,
    /// Supervisor override: assign to this person (email in authority.yaml).
    #[arg(long, value_name = "PERSON", requires = "reason")]
    pub to: Option<String>,
    /// Why the override (recorded on the claim and in the commit).
    #[arg(long, value_name = "TEXT", requires = "to")]
    pub reason: Option<String>,
    /// Where the .eml notices go (default: outbox/ at the office root).
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    outcome: String,
    rule: String,
    destination: String,
    handler: String,
    open_claims: String,
    contact_by: String,
    notices: Vec<String>,
}

struct Context<'a> {
    session: &'a Session,
    office: &'a Office,
    claims: HashMap<String, Claim>,
    templates: LetterTemplates,
    calendar: BusinessCalendar,
    actor: Person,
    workload: RefCell<Workload>,
    /// Notices to write to the outbox once their commits are made.
    mail: RefCell<Vec<Email>>,
    show_dry_runs: bool,
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

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let session = super::open_session(
        g,
        if args.to.is_some() {
            Permission::AssignOverride
        } else {
            Permission::Assign
        },
        if args.to.is_some() {
            "override an assignment"
        } else {
            "assign claims"
        },
    )?;
    let root = session.ws.root.clone();
    let office = &session.ws.office;
    let all = load_claims(&root);
    let workload = Workload::count(all.iter());
    let claims: HashMap<String, Claim> = all.into_iter().map(|c| (c.id.clone(), c)).collect();
    let targets = targets(&args, &claims)?;
    let overriding = match &args.to {
        Some(to) => Some((
            override_person(office, to)?,
            args.reason.clone().unwrap_or_default(),
        )),
        None => None,
    };
    if overriding.is_some() && targets.len() != 1 {
        return Err(Error::usage("--to assigns one claim at a time"));
    }
    let ctx = Context {
        session: &session,
        office,
        claims,
        templates: load_templates(&root)?,
        calendar: BusinessCalendar::new(office.calendar.clone()),
        actor: office
            .person(&session.actor.email)
            .cloned()
            .expect("the session's actor is in authority.yaml"),
        workload: RefCell::new(workload),
        mail: RefCell::new(Vec::new()),
        show_dry_runs: format == Format::Table && !g.quiet,
    };
    let (rows, refused) = super::each_claim(g, &session, &targets, |id| {
        let over = overriding.as_ref().map(|(p, r)| (*p, r.as_str()));
        assign_one(g, &ctx, id, over)
    })?;
    let outbox = args.outbox.clone().unwrap_or_else(|| root.join("outbox"));
    let mail = ctx.mail.take();
    let written = if g.dry_run {
        vec![]
    } else {
        deliver(&outbox, &office.office, &mail).map_err(|e| {
            Error::environment(format!(
                "the assignments are committed, but a notice could not be written to the outbox: {}",
                e.message
            ))
        })?
    };
    print_rows(format, &rows);
    let escalated = rows.iter().filter(|r| r.outcome != "assigned").count();
    g.say(format!(
        "{} {} claim{}{}{}{}",
        if g.dry_run {
            "would assign"
        } else {
            "assigned"
        },
        rows.len() - escalated,
        if rows.len() - escalated == 1 { "" } else { "s" },
        if escalated > 0 {
            format!(", {escalated} escalated (nobody available)")
        } else {
            String::new()
        },
        if refused > 0 {
            format!(", {refused} refused (left as they were)")
        } else {
            String::new()
        },
        if written.is_empty() {
            String::new()
        } else {
            format!("; {} notice(s) in {}", written.len(), outbox.display())
        }
    ));
    Ok(if refused > 0 { 1 } else { 0 })
}

fn print_rows(format: Format, rows: &[Row]) {
    let mut out = Out::new();
    Rows {
        headers: &[
            "id",
            "outcome",
            "rule",
            "destination",
            "handler",
            "open_claims",
            "contact_by",
            "notices",
        ],
        rows,
        cells: &|r: &Row| {
            vec![
                r.id.clone(),
                r.outcome.clone(),
                r.rule.clone(),
                r.destination.clone(),
                r.handler.clone(),
                r.open_claims.clone(),
                r.contact_by.clone(),
                r.notices.join(", "),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
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

/// The claims to assign, checked before anything is written.
fn targets(args: &Args, claims: &HashMap<String, Claim>) -> Result<Vec<ClaimId>> {
    if args.pending {
        let mut waiting: Vec<&Claim> = claims
            .values()
            .filter(|c| c.status == Status::Triaged)
            .collect();
        waiting.sort_by_key(|c| {
            (
                c.triage.as_ref().and_then(|t| t.assign_by),
                c.received_at,
                c.id.clone(),
            )
        });
        return waiting.iter().map(|c| parse_claim_id(&c.id)).collect();
    }
    let mut out = Vec::new();
    for raw in &args.ids {
        let id = parse_claim_id(raw)?;
        let claim = claims
            .get(id.as_str())
            .ok_or_else(|| Error::refused(format!("no claim {id}")))?;
        let allowed: &[Status] = if args.to.is_some() {
            &[Status::Triaged, Status::Assigned, Status::Investigating]
        } else {
            &[Status::Triaged]
        };
        if !allowed.contains(&claim.status) {
            return Err(match (claim.status, claim.handled_by()) {
                (Status::Assigned | Status::Investigating, Some(who)) => Error::refused(format!(
                    "{id} is already assigned to {who}"
                ))
                .hint("a supervisor reassigns with `claims assign ID --to PERSON --reason TEXT`"),
                (status, _) => Error::refused(format!(
                    "{id} is {status}: only triaged claims are assigned (`claims triage {id}` first)"
                )),
            });
        }
        out.push(id);
    }
    Ok(out)
}

fn assign_one(
    g: &Globals,
    ctx: &Context,
    id: &ClaimId,
    over: Option<(&Person, &str)>,
) -> Result<Row> {
    let claim = ctx.claims.get(id.as_str()).expect("a target");
    let today = ctx
        .session
        .now()?
        .with_timezone(&ctx.session.ws.tz)
        .date_naive();
    let decision = decide(ctx, claim, over, today)?;
    if let (Decision::Escalate { rule, reason }, Some(e)) = (&decision, &claim.escalation) {
        if e.reason == *reason {
            return Ok(Row {
                id: id.to_string(),
                outcome: "still escalated".into(),
                rule: rule.name.clone(),
                destination: rule.destination.clone(),
                handler: String::new(),
                open_claims: String::new(),
                contact_by: String::new(),
                notices: vec![],
            });
        }
    }
    if let (
        Decision::Assign {
            taker: Taker::Person(p),
            ..
        },
        Some((_, _)),
    ) = (&decision, over)
    {
        let open = ctx.workload.borrow().open(&p.email);
        if let Some(why) = availability(ctx.office, p, open, today) {
            g.say(format!(
                "warning: {id}: {} is {why}; assigned by override",
                p.name
            ));
        }
    }
    let mut row: Option<Row> = None;
    let mut mail: Vec<Email> = Vec::new();
    let done = ctx
        .session
        .change_claim(id, "assign", g.dry_run, |claim, now| {
            let (change, r, m) = apply(ctx, &decision, claim, now)?;
            row = Some(r);
            mail = m;
            Ok(change)
        })?;
    if done.commit.is_some() || ctx.show_dry_runs {
        super::update::report(g, &done);
    }
    if let Decision::Assign {
        taker: Taker::Person(p),
        ..
    } = &decision
    {
        let mut w = ctx.workload.borrow_mut();
        if let Some(before) = claim.adjuster() {
            w.remove(before);
        }
        w.add(&p.email);
    }
    ctx.mail.borrow_mut().extend(mail);
    let mut row = row.expect("an assigned claim has its row");
    if let Decision::Assign {
        taker: Taker::Person(p),
        ..
    } = &decision
    {
        row.open_claims = ctx.workload.borrow().open(&p.email).to_string();
    }
    Ok(row)
}

/// Routing (or the override) for the claim as loaded.
fn decide<'o>(
    ctx: &'o Context,
    claim: &Claim,
    over: Option<(&'o Person, &str)>,
    today: chrono::NaiveDate,
) -> Result<Decision<'o>> {
    let rule = route(claim, ctx.office);
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
        (Some(s), _) => match pick(ctx.office, s, &ctx.workload.borrow(), today) {
            Ok(p) => Taker::Person(p),
            Err(why) => {
                return Ok(Decision::Escalate {
                    rule,
                    reason: nobody_available(s, &why),
                })
            }
        },
        (None, Some(h)) => Taker::Outside(contact(ctx.office, h, &rule.name)?),
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

/// The change to the claim as it stands at the branch tip, its row, and its outbox mail.
fn apply(
    ctx: &Context,
    decision: &Decision,
    claim: &mut Claim,
    now: Timestamp,
) -> Result<(ClaimChange, Row, Vec<Email>)> {
    let mut notices = Notices::new(ctx, now);
    let by = ctx.actor.email.clone();
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
            for s in supervisors(ctx.office) {
                notices.supervisor(claim, s, &rule.name, reason, assign_by, true)?;
            }
            let (files, mail, sent) = notices.finish();
            let mut change = ClaimChange::new(format!("assign {}: escalated, {reason}", claim.id))
                .trailer("Outcome", "escalated")
                .trailer("Rule", rule.name.clone());
            change.files = files;
            let row = Row {
                id: claim.id.clone(),
                outcome: "escalated".into(),
                rule: rule.name.clone(),
                destination: rule.destination.clone(),
                handler: String::new(),
                open_claims: String::new(),
                contact_by: assign_by.map(|t| t.to_rfc3339()).unwrap_or_default(),
                notices: sent,
            };
            Ok((change, row, mail))
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
                &ctx.office.priority.contact_within,
                &ctx.calendar,
                ctx.session.ws.tz,
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
            let today = now.with_timezone(&ctx.session.ws.tz).date_naive();
            add_checklist(claim, ctx.office, today, &ctx.calendar);
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
                        for s in supervisors(ctx.office) {
                            notices.supervisor(claim, s, &rule.name, &why, None, false)?;
                        }
                    } else {
                        let c = contact(ctx.office, n, &rule.name)?;
                        notices.counsel(claim, c, &handler_party, &rule.name)?;
                    }
                }
            }
            let (files, mail, sent) = notices.finish();
            let mut change = ClaimChange::new(match override_reason {
                Some(r) => format!("assign {}: {name} by override ({r})", claim.id),
                None => format!("assign {}: {name} by rule {rule_name}", claim.id),
            })
            .trailer("Rule", rule_name.clone())
            .trailer("Destination", destination.clone());
            if let Some(a) = &adjuster {
                change = change.trailer("Adjuster", a.clone());
            }
            if let Some(h) = &handler {
                change = change.trailer("Handler", h.clone());
            }
            if let Some(p) = &previous {
                change = change.trailer("Previous-Adjuster", p.clone());
            }
            if let Some(r) = override_reason {
                change = change.trailer("Override-Reason", r.clone());
            }
            change.files = files;
            let row = Row {
                id: claim.id.clone(),
                outcome: "assigned".into(),
                rule: rule_name,
                destination: destination.clone(),
                handler: adjuster.or(handler).unwrap_or_default(),
                open_claims: String::new(),
                contact_by: due.to_rfc3339(),
                notices: sent,
            };
            Ok((change, row, mail))
        }
    }
}
