//! `claims update ID --set FIELD=VALUE... --reason TEXT`: a clerk's data-integrity correction.
//!
//! Only reported facts can be corrected this way (loss facts, parties, policy number, line
//! facts). Status, money, approvals, triage and assignment each have their own command, whose
//! authority rules a correction must not bypass.

use serde_json::Value;

use super::Globals;
use crate::domain::claim::{Claim, Note};
use crate::domain::fnol::missing_facts;
use crate::domain::lifecycle::Status;
use crate::domain::office::Permission;
use crate::error::{Error, Result};
use crate::store::files::parse_claim_id;
use crate::store::session::{ClaimChange, Committed, Session, Workspace};

/// Correct reported facts on a claim (one signed commit, with the reason on the claim).
///
/// Fields are paths into the claim file: `loss.date=2026-10-30`, `insured.phone="+1 312 555
/// 0100"`, `auto.vehicles[0].vin=1FMCU14T3JU402061`. An empty value removes the fact.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    /// FIELD=VALUE; repeat for several fields.
    #[arg(long = "set", value_name = "FIELD=VALUE", required = true)]
    pub set: Vec<String>,
    /// Why the record was wrong (kept on the claim and in the commit).
    #[arg(long)]
    pub reason: String,
}

/// Top-level fields a correction may touch.
const CORRECTABLE: &[&str] = &[
    "lob",
    "jurisdiction",
    "channel",
    "policy_number",
    "insured",
    "agent",
    "reporter",
    "loss",
    "auto",
    "property",
    "liability",
    "workers_comp",
];

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    if args.reason.trim().is_empty() {
        return Err(Error::refused("--reason must say why the record was wrong"));
    }
    let mut sets = Vec::new();
    for s in &args.set {
        let (field, value) = s
            .split_once('=')
            .ok_or_else(|| Error::usage(format!("--set `{s}` is not FIELD=VALUE")))?;
        let field = field.trim();
        let root = field.split(['.', '[']).next().unwrap_or("");
        if !CORRECTABLE.contains(&root) {
            return Err(Error::refused(format!(
                "`{field}` cannot be corrected with update (correctable: {})",
                CORRECTABLE.join(", ")
            ))
            .hint("status, money, approvals, triage and assignment change only through their own commands"));
        }
        sets.push((field.to_string(), value.to_string()));
    }
    let id = parse_claim_id(&args.id)?;
    let session = Session::open(Workspace::open(g.repo.as_deref())?, g.as_email.as_deref())?;
    session.require(Permission::Update, "correct claim records")?;
    let by = session.actor.email.clone();
    let reason = args.reason.trim().to_string();
    let done = session.change_claim(&id, "update", g.dry_run, |claim, now| {
        let mut changes = Vec::new();
        for (field, value) in &sets {
            let old = apply_set(claim, field, value)?;
            changes.push(format!(
                "{field}: {old} -> {}",
                if value.is_empty() { "(removed)" } else { value }
            ));
        }
        if claim.status == Status::Incomplete {
            claim.missing = missing_facts(claim);
        }
        claim.notes.push(Note {
            at: now,
            by: by.clone(),
            text: format!("Correction: {}. Reason: {reason}", changes.join("; ")),
        });
        let mut change = ClaimChange::new(format!(
            "update {}: {}",
            claim.id,
            sets.iter()
                .map(|s| s.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        change.body = Some(changes.join("\n"));
        change = change.trailer("Reason", reason.clone());
        for (field, _) in &sets {
            change = change.trailer("Field", field.clone());
        }
        Ok(change)
    })?;
    report(g, &done);
    Ok(0)
}

enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Result<Vec<Seg>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if key.is_empty() {
            return Err(Error::usage(format!("`{path}` is not a field path")));
        }
        out.push(Seg::Key(key.to_string()));
        if !rest.is_empty() {
            for idx in format!("[{rest}").split('[').filter(|s| !s.is_empty()) {
                let n = idx
                    .strip_suffix(']')
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| Error::usage(format!("`{path}`: bad index `[{idx}`")))?;
                out.push(Seg::Index(n));
            }
        }
    }
    Ok(out)
}

/// Sets one field, returning the old value as text. The value is taken as text first and,
/// if the field is not text, as a YAML scalar (number, true/false, date).
fn apply_set(claim: &mut Claim, field: &str, value: &str) -> Result<String> {
    let segs = segments(field)?;
    let mut doc = serde_json::to_value(&*claim).map_err(|e| Error::refused(e.to_string()))?;
    let slot = walk(&mut doc, &segs, field)?;
    let old = match &*slot {
        Value::Null => "(none)".to_string(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let candidates: Vec<Value> = if value.is_empty() {
        vec![Value::Null]
    } else {
        let mut c = vec![Value::String(value.to_string())];
        if let Ok(v) = serde_yaml::from_str::<Value>(value) {
            c.push(v);
        }
        c
    };
    let mut last_err = String::new();
    for candidate in candidates {
        let mut trial = doc.clone();
        *walk(&mut trial, &segs, field)? = candidate;
        match serde_json::from_value::<Claim>(trial) {
            Ok(updated) => {
                *claim = updated;
                return Ok(old);
            }
            Err(e) => last_err = e.to_string(),
        }
    }
    Err(Error::refused(format!(
        "`{field}` cannot be `{value}`: {last_err}"
    )))
}

fn walk<'a>(mut v: &'a mut Value, segs: &[Seg], field: &str) -> Result<&'a mut Value> {
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if v.is_null() {
                    *v = Value::Object(Default::default());
                }
                let obj = v.as_object_mut().ok_or_else(|| {
                    Error::refused(format!("`{field}`: `{k}` is not inside a section"))
                })?;
                v = obj.entry(k.clone()).or_insert(Value::Null);
            }
            Seg::Index(n) => {
                if v.is_null() {
                    *v = Value::Array(Vec::new());
                }
                let arr = v
                    .as_array_mut()
                    .ok_or_else(|| Error::refused(format!("`{field}`: [{n}] applies to a list")))?;
                if *n == arr.len() {
                    arr.push(Value::Null);
                }
                let len = arr.len();
                v = arr.get_mut(*n).ok_or_else(|| {
                    Error::refused(format!(
                        "`{field}`: the list has {len} entries; index {n} is beyond the next one"
                    ))
                })?;
            }
        }
    }
    Ok(v)
}

/// Prints what a change did (or would do, on a dry run).
pub fn report(g: &Globals, done: &Committed) {
    match done.commit {
        Some(oid) => g.say(format!(
            "{} {}",
            &oid.to_string()[..12],
            done.message.lines().next().unwrap_or("")
        )),
        None => {
            let mut out = super::output::Out::new();
            out.line("dry run: nothing was written");
            out.line(&format!("files: {}", done.files.join(", ")));
            out.line("--- diff");
            let before = done.before.as_deref().unwrap_or("");
            let diff = similar::TextDiff::from_lines(before, &done.after);
            out.write_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&done.path, &done.path)
                    .to_string(),
            );
            out.line("--- commit message");
            out.write_str(&done.message);
        }
    }
}
