//! Duplicate reports of one loss: folded into the earlier claim, kept apart, or unfolded.
//!
//! Triage merges a notice that is *likely* the same loss as an earlier open claim (see
//! [`crate::domain::same_loss`]) and records a *possible* one on the notice, for a person:
//! `claims merge ID --into EARLIER` or `claims keep-separate ID --from EARLIER`. A merge
//! keeps the most serious facts of both reports (a fatality, the injured, representation,
//! litigation, the larger estimate) on the earlier claim, records each fact it added, and
//! re-scores its priority; `claims unmerge ID` takes exactly those facts back out and returns
//! the notice to where it stood.

use rust_decimal::Decimal;
use serde_json::Value;

use super::args::{Reader, Recorder};
use super::change::Change;
use super::desk::Desk;
use crate::domain::claim::{
    Claim, CoverageOutcome, DuplicateDecision, Gain, Note, Party, PossibleDuplicate, Timestamp,
    Triage,
};
use crate::domain::claim_id::ClaimId;
use crate::domain::lifecycle::Status;
use crate::domain::priority::{assign_by, escalates, score};
use crate::domain::same_loss::{name_words, LossPrint, Strength};
use crate::error::{Error, Result};

/// `claims merge ID --into EARLIER [--note TEXT]`: a person folds a notice into the claim it
/// reports again.
#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    pub id: ClaimId,
    pub into: ClaimId,
    pub note: Option<String>,
}

impl Merge {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("into", &self.into)
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Merge, String> {
        Ok(Merge {
            id: super::claim_id(r)?,
            into: super::recorded_claim_id(&r.required("into")?)?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        if self.id == self.into {
            return Err(Error::refused(format!(
                "{} cannot be merged into itself",
                self.id
            )));
        }
        let dup = desk.claim(&self.id)?;
        let into = desk.claim(&self.into)?;
        mergeable(&dup, &into)?;
        let mut why = vec![format!("merged by {}", desk.actor.email)];
        if let Some(n) = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            why.push(n.to_string());
        }
        merge(desk, dup, into, Merging::ByHand(why.join(": ")))
    }
}

/// `claims unmerge ID --note TEXT`: the notice was another loss after all.
#[derive(Clone, Debug, PartialEq)]
pub struct Unmerge {
    pub id: ClaimId,
    pub note: String,
}

impl Unmerge {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).flag("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Unmerge, String> {
        Ok(Unmerge {
            id: super::claim_id(r)?,
            note: r.required("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let note = required_note(&self.note, "why the two reports are different losses")?;
        let dup = desk.claim(&self.id)?;
        let Some(into) = dup
            .merged_into
            .clone()
            .filter(|_| dup.status == Status::Merged)
        else {
            return Err(Error::refused(format!(
                "{} is not merged into another claim",
                self.id
            )));
        };
        let into_id = super::parse_claim_id(&into)?;
        let original = desk.claim(&into_id)?;
        let by = &desk.actor.email;

        let mut parted = original.clone();
        take_back(&mut parted, &dup.id)?;
        parted.merged.retain(|m| m != &dup.id);
        parted.notes.push(Note {
            at: desk.now,
            by: by.clone(),
            text: format!("{} unmerged from this claim: {note}", dup.id),
        });
        rescore(desk, &mut parted);

        let mut back = dup.clone();
        back.merged_into = None;
        let was = status_before_merge(&dup);
        // A notice merged at triage was never triaged on its own: it is triaged again.
        let to = if back
            .triage
            .as_ref()
            .is_some_and(|t| t.coverage == CoverageOutcome::Duplicate)
        {
            back.triage = None;
            Status::Reported
        } else {
            was
        };
        decide(&mut back, &into, desk, "separate", Some(note.clone()));
        back.notes.push(Note {
            at: desk.now,
            by: by.clone(),
            text: format!("Unmerged from {into}: {note}"),
        });
        back.record_event(desk.now, by, "unmerge", to);

        let mut change = Change::new(format!("unmerge {}: from {into}", dup.id), desk);
        change.claim = Some(dup.id.clone());
        change.trailers = vec![("Unmerged-From".into(), into.clone())];
        desk.keep_rules(&dup, &back, &self.id.file_path(desk.office.claim_folders()))?;
        desk.keep_rules(
            &original,
            &parted,
            &into_id.file_path(desk.office.claim_folders()),
        )?;
        change.write_claim(
            &self.id.file_path(desk.office.claim_folders()),
            Some(dup),
            back,
        )?;
        change.write_claim(
            &into_id.file_path(desk.office.claim_folders()),
            Some(original),
            parted,
        )?;
        Ok(change)
    }
}

/// `claims keep-separate ID --from EARLIER --note TEXT`: a possible duplicate is its own loss.
#[derive(Clone, Debug, PartialEq)]
pub struct KeepSeparate {
    pub id: ClaimId,
    pub from: ClaimId,
    pub note: String,
}

impl KeepSeparate {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("from", &self.from)
            .flag("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<KeepSeparate, String> {
        Ok(KeepSeparate {
            id: super::claim_id(r)?,
            from: super::recorded_claim_id(&r.required("from")?)?,
            note: r.required("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let note = required_note(&self.note, "what tells the two losses apart")?;
        let from = self.from.to_string();
        desk.edit(&self.id, |claim| {
            if !claim
                .possible_duplicates
                .iter()
                .any(|p| p.of == from && p.decision.is_none())
            {
                return Err(Error::refused(format!(
                    "{} is not waiting for review as a possible duplicate of {from}",
                    claim.id
                ))
                .hint("`claims queue duplicates` lists the possible duplicates to review"));
            }
            decide(claim, &from, desk, "separate", Some(note.clone()));
            Ok(super::Edit::new(format!(
                "keep-separate {}: not a duplicate of {from}",
                claim.id
            ))
            .trailer("Separate-From", from.clone()))
        })
    }
}

fn required_note(note: &str, what: &str) -> Result<String> {
    let n = note.trim();
    if n.is_empty() {
        return Err(Error::refused(format!("--note must say {what}")));
    }
    Ok(n.to_string())
}

/// How a merge came about.
pub enum Merging {
    /// Triage found the notice likely the same loss: the facts it rests on.
    AtTriage(Vec<String>),
    /// A person merged it, and why.
    ByHand(String),
}

/// Only an open notice without money or decisions of its own folds into an open claim of the
/// same line.
fn mergeable(dup: &Claim, into: &Claim) -> Result<()> {
    if dup.status.is_final() {
        return Err(Error::refused(format!(
            "{} is {}: only an open notice is merged",
            dup.id, dup.status
        )));
    }
    if into.status.is_final() {
        return Err(Error::refused(format!(
            "{} is {}: a notice is merged only into an open claim",
            into.id, into.status
        )));
    }
    if dup.lob != into.lob {
        return Err(Error::refused(format!(
            "{} is {} and {} is {}: two lines of business are two claims",
            dup.id, dup.lob, into.id, into.lob
        )));
    }
    let has = [
        (!dup.reserves.is_empty(), "reserves"),
        (!dup.payments.is_empty(), "payments"),
        (dup.settlement.is_some(), "a settlement"),
        (dup.denial.is_some(), "a denial"),
    ];
    if let Some((_, what)) = has.iter().find(|(h, _)| *h) {
        return Err(Error::refused(format!(
            "{} has {what} of its own: a merged notice carries no money or decisions",
            dup.id
        ))
        .hint("a claim that has been handled on its own is not a duplicate report; note the link instead"));
    }
    if !dup.merged.is_empty() {
        return Err(Error::refused(format!(
            "{} has reports merged into it ({}): unmerge them first, or merge the other way",
            dup.id,
            dup.merged.join(", ")
        )));
    }
    Ok(())
}

/// One commit: the earlier claim gains the notice's facts and is re-scored; the notice closes
/// as merged into it.
pub fn merge(desk: &Desk, dup: Claim, original: Claim, how: Merging) -> Result<Change> {
    let by = &desk.actor.email;
    let into = original.id.clone();
    let into_id = super::parse_claim_id(&into)?;
    let dup_id = super::parse_claim_id(&dup.id)?;
    let mut gained = original.clone();
    gain(&mut gained, &dup)?;
    if !gained.merged.contains(&dup.id) {
        gained.merged.push(dup.id.clone());
    }
    gained.notes.push(Note {
        at: desk.now,
        by: by.clone(),
        text: merged_note(&dup),
    });
    if let Some(n) = rescore(desk, &mut gained) {
        gained.notes.push(Note {
            at: desk.now,
            by: by.clone(),
            text: n,
        });
    }

    let mut merged = dup.clone();
    let how_named = match how {
        Merging::AtTriage(_) => "triage",
        Merging::ByHand(_) => "merge",
    };
    let why = match how {
        Merging::AtTriage(reasons) => {
            let why = format!("likely duplicate of {into}: {}", reasons.join(", "));
            merged.triage = Some(Triage::unverified(
                desk.now,
                by.clone(),
                CoverageOutcome::Duplicate,
                why.clone(),
                score(&merged, &desk.office.priority),
            ));
            why
        }
        Merging::ByHand(why) => why,
    };
    decide(&mut merged, &into, desk, "merged", Some(why.clone()));
    merged.merged_into = Some(into.clone());
    merged.record_event(desk.now, by, "merge", Status::Merged);
    desk.keep_rules(
        &dup,
        &merged,
        &dup_id.file_path(desk.office.claim_folders()),
    )?;
    desk.keep_rules(
        &original,
        &gained,
        &into_id.file_path(desk.office.claim_folders()),
    )?;
    let subject = match how_named {
        "triage" => format!("triage {}: duplicate, merged into {into}", dup.id),
        _ => format!("merge {}: merged into {into}", dup.id),
    };
    let mut change = Change::new(subject, desk);
    change.claim = Some(dup.id.clone());
    change.trailers = vec![
        ("Outcome".into(), "duplicate".into()),
        ("Merged-Into".into(), into.clone()),
    ];
    change.body = Some(why);
    change.write_claim(
        &dup_id.file_path(desk.office.claim_folders()),
        Some(dup),
        merged,
    )?;
    change.write_claim(
        &into_id.file_path(desk.office.claim_folders()),
        Some(original),
        gained,
    )?;
    Ok(change)
}

/// Records a person's (or triage's) decision on the possible-duplicate entry for `of`,
/// adding the entry when there was none.
fn decide(claim: &mut Claim, of: &str, desk: &Desk, outcome: &str, note: Option<String>) {
    let decision = DuplicateDecision {
        at: desk.now,
        by: desk.actor.email.clone(),
        outcome: outcome.to_string(),
        note,
    };
    match claim
        .possible_duplicates
        .iter_mut()
        .rev()
        .find(|p| p.of == of && p.decision.is_none())
    {
        Some(p) => p.decision = Some(decision),
        None if outcome == "separate" => claim.possible_duplicates.push(PossibleDuplicate {
            of: of.to_string(),
            reasons: vec![],
            found_at: desk.now,
            decision: Some(decision),
        }),
        None => {}
    }
}

/// The earlier open claims `claim` is likely or possibly the same loss as, strongest and
/// earliest first, leaving out those a person already kept apart from it.
pub fn same_losses(desk: &Desk, claim: &Claim) -> Result<Vec<(String, Strength, Vec<String>)>> {
    let register = desk.records.register()?;
    let mut found: Vec<(Strength, Timestamp, String, Vec<String>)> = register
        .known()
        .same_loss(&LossPrint::of(claim))
        .into_iter()
        .filter(|(k, _)| {
            !claim
                .possible_duplicates
                .iter()
                .any(|p| p.of == k.id && p.decision.is_some())
        })
        .filter_map(|(k, l)| {
            let s = register.standing(&k.id)?;
            (!s.status.is_final() && (s.received_at, &k.id) < (claim.received_at, &claim.id))
                .then(|| (l.strength, s.received_at, k.id.clone(), l.reasons))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    Ok(found
        .into_iter()
        .map(|(strength, _, id, reasons)| (id, strength, reasons))
        .collect())
}

/// The note the earlier claim gets: who reported again, when, how, and what they said.
fn merged_note(dup: &Claim) -> String {
    let reporter = dup
        .reporter
        .as_ref()
        .map(party_line)
        .unwrap_or_else(|| "unknown reporter".into());
    format!(
        "Duplicate report {} (received {} via {}, from {reporter}) merged into this claim: {}",
        dup.id,
        dup.received_at.format("%Y-%m-%d %H:%M"),
        super::intake::channel_name(dup.channel),
        dup.loss.description.as_deref().unwrap_or("no description")
    )
}

fn party_line(p: &Party) -> String {
    [p.name.as_deref(), p.phone.as_deref(), p.email.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Re-scores a triaged claim's priority after its facts changed; the note saying so, when the
/// priority moved.
fn rescore(desk: &Desk, claim: &mut Claim) -> Option<String> {
    let (priority, reasons) = score(claim, &desk.office.priority);
    let due = assign_by(
        claim,
        priority,
        &desk.office.priority,
        desk.calendar,
        desk.tz,
    );
    let unassigned = claim.assignment.is_none();
    let escalated = escalates(claim);
    let t = claim.triage.as_mut()?;
    let was = t.priority;
    t.priority = priority;
    t.priority_reasons = reasons;
    if escalated {
        t.priority_reasons
            .push("represented claimant on a liability claim: escalated".into());
    }
    t.escalated = escalated || priority == crate::domain::claim::Priority::Critical;
    if unassigned && t.assign_by.is_some() {
        t.assign_by = Some(due);
    }
    (was != priority).then(|| {
        format!(
            "Priority re-scored after the merge: {} -> {} ({})",
            was.as_str(),
            priority.as_str(),
            t.priority_reasons.join("; ")
        )
    })
}

// --- the facts a merge carries over, and takes back ---------------------------------------

/// Fields filled from the report when the claim has none.
const FILLS: &[&str] = &[
    "loss.description",
    "loss.location",
    "loss.cause",
    "loss.time",
    "liability.claimant",
    "liability.attorney",
    "auto.police_report",
];
/// Facts that make a loss more serious when either report gives them.
const SERIOUS: &[&str] = &[
    "auto.fatality",
    "workers_comp.fatality",
    "liability.litigation",
    "liability.bodily_injury",
    "liability.represented",
    "property.displaced",
];
/// Estimates: the larger one counts.
const ESTIMATES: &[&str] = &["auto.estimated_loss", "property.estimated_loss"];
/// Lists the report's entries join (people by name, the rest by value).
const LISTS: &[&str] = &[
    "loss.keywords",
    "auto.injured",
    "auto.other_parties",
    "auto.witnesses",
    "auto.vehicles",
    "workers_comp.body_parts",
];

/// Adds to `claim` what the report `dup` knows and it does not, recording each fact.
fn gain(claim: &mut Claim, dup: &Claim) -> Result<()> {
    let theirs = to_json(dup)?;
    let mut mine = to_json(claim)?;
    let mut gains = Vec::new();
    let mut set = |mine: &mut Value, fact: &str, value: &Value| {
        let slot = slot(mine, fact);
        gains.push(Gain {
            from: dup.id.clone(),
            fact: fact.to_string(),
            value: value.to_string(),
            how: "set".into(),
            was: (!slot.is_null()).then(|| slot.to_string()),
        });
        *slot = value.clone();
    };
    for fact in FILLS {
        if let Some(v) = get(&theirs, fact).filter(|v| !blank(v)) {
            if get(&mine, fact).is_none_or(blank) {
                set(&mut mine, fact, v);
            }
        }
    }
    for fact in SERIOUS {
        if get(&theirs, fact) == Some(&Value::Bool(true))
            && get(&mine, fact) != Some(&Value::Bool(true))
        {
            set(&mut mine, fact, &Value::Bool(true));
        }
    }
    for fact in ESTIMATES {
        if let Some(v) = get(&theirs, fact).filter(|v| !v.is_null()) {
            if amount(v) > get(&mine, fact).and_then(amount)
                || get(&mine, fact).is_none_or(Value::is_null)
            {
                set(&mut mine, fact, v);
            }
        }
    }
    // An injured person both report: the catastrophic injury either tells of counts.
    if let (Some(Value::Array(theirs)), Some(Value::Array(mine_injured))) = (
        get(&theirs, "auto.injured"),
        get(&mine, "auto.injured").cloned(),
    ) {
        for (i, m) in mine_injured.iter().enumerate() {
            let catastrophic = theirs.iter().any(|t| {
                same_entry("auto.injured", t, m)
                    && t.get("catastrophic") == Some(&Value::Bool(true))
            });
            if catastrophic && m.get("catastrophic") != Some(&Value::Bool(true)) {
                set(
                    &mut mine,
                    &format!("auto.injured.{i}.catastrophic"),
                    &Value::Bool(true),
                );
            }
        }
    }
    for fact in LISTS {
        let Some(Value::Array(items)) = get(&theirs, fact) else {
            continue;
        };
        for item in items {
            let list = slot(&mut mine, fact);
            if !list.is_array() {
                *list = Value::Array(vec![]);
            }
            let list = list.as_array_mut().expect("an array");
            if list.iter().any(|m| same_entry(fact, item, m)) {
                continue;
            }
            list.push(item.clone());
            gains.push(Gain {
                from: dup.id.clone(),
                fact: fact.to_string(),
                value: item.to_string(),
                how: "added".into(),
                was: None,
            });
        }
    }
    *claim = from_json(mine)?;
    claim.gained.extend(gains);
    Ok(())
}

/// Takes out of `claim` every fact the report `from` added, newest first.
fn take_back(claim: &mut Claim, from: &str) -> Result<()> {
    let (theirs, keep): (Vec<Gain>, Vec<Gain>) =
        claim.gained.drain(..).partition(|g| g.from == from);
    let mut v = to_json(claim)?;
    for g in theirs.iter().rev() {
        let value: Value = serde_json::from_str(&g.value).unwrap_or(Value::Null);
        let slot = slot(&mut v, &g.fact);
        if g.how == "added" {
            if let Some(list) = slot.as_array_mut() {
                if let Some(i) = list.iter().position(|x| *x == value) {
                    list.remove(i);
                }
            }
        } else if *slot == value {
            // Only what is still as the merge left it: a later change stays.
            match &g.was {
                Some(w) => *slot = serde_json::from_str(w).unwrap_or(Value::Null),
                None => unset(&mut v, &g.fact),
            }
        }
    }
    *claim = from_json(v)?;
    claim.gained = keep;
    Ok(())
}

/// Two list entries are one: people by name, anything else by value.
fn same_entry(fact: &str, a: &Value, b: &Value) -> bool {
    if matches!(
        fact,
        "auto.injured" | "auto.other_parties" | "auto.witnesses"
    ) {
        let name = |v: &Value| v.get("name").and_then(Value::as_str).map(name_words);
        return match (name(a), name(b)) {
            (Some(x), Some(y)) if !x.is_empty() => x == y,
            _ => a == b,
        };
    }
    if fact == "auto.vehicles" {
        let vin = |v: &Value| {
            v.get("vin")
                .and_then(Value::as_str)
                .map(str::to_ascii_uppercase)
        };
        if let (Some(x), Some(y)) = (vin(a), vin(b)) {
            return x == y;
        }
    }
    a == b
}

fn amount(v: &Value) -> Option<Decimal> {
    v.as_str().and_then(|s| s.parse().ok())
}

fn blank(v: &Value) -> bool {
    v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty())
}

fn get<'v>(v: &'v Value, fact: &str) -> Option<&'v Value> {
    v.pointer(&format!("/{}", fact.replace('.', "/")))
}

/// The place of `fact` in `v`, making the objects on the way.
fn slot<'v>(v: &'v mut Value, fact: &str) -> &'v mut Value {
    let mut at = v;
    for key in fact.split('.') {
        if at.is_null() {
            *at = Value::Object(Default::default());
        }
        at = match at {
            Value::Array(items) => {
                let i: usize = key.parse().unwrap_or(usize::MAX);
                if i >= items.len() {
                    items.push(Value::Null);
                    let last = items.len() - 1;
                    &mut items[last]
                } else {
                    &mut items[i]
                }
            }
            other => {
                if !other.is_object() {
                    *other = Value::Object(Default::default());
                }
                other
                    .as_object_mut()
                    .expect("an object")
                    .entry(key.to_string())
                    .or_insert(Value::Null)
            }
        };
    }
    at
}

/// Removes `fact` from its object (a field the merge had given a value it lacked).
fn unset(v: &mut Value, fact: &str) {
    let (parent, key) = fact.rsplit_once('.').unwrap_or(("", fact));
    let holder = if parent.is_empty() {
        Some(v)
    } else {
        v.pointer_mut(&format!("/{}", parent.replace('.', "/")))
    };
    if let Some(Value::Object(m)) = holder {
        m.remove(key);
    }
}

fn to_json(c: &Claim) -> Result<Value> {
    serde_json::to_value(c).map_err(|e| Error::refused(format!("{}: {e}", c.id)))
}

fn from_json(v: Value) -> Result<Claim> {
    serde_json::from_value(v).map_err(|e| Error::refused(format!("the merged claim: {e}")))
}

/// The status the notice had before it was merged.
fn status_before_merge(claim: &Claim) -> Status {
    claim
        .history
        .iter()
        .rev()
        .skip_while(|e| e.event != "merge")
        .nth(1)
        .map_or(Status::Reported, |e| e.status)
}
