//! Field paths into a claim (`loss.date`, `auto.vehicles[0].vin`) and setting them from
//! text: shared by `claims update` (corrections) and `claims complete` (completing an
//! incomplete intake).

use serde_json::Value;

use crate::domain::claim::Claim;
use crate::error::{Error, Result};

/// Top-level fields a correction may touch.
pub const CORRECTABLE: &[&str] = &[
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

/// Parses `FIELD=VALUE` arguments, refusing fields outside [`CORRECTABLE`].
pub fn parse_sets(args: &[String], doing: &str) -> Result<Vec<(String, String)>> {
    let mut sets = Vec::new();
    for s in args {
        let (field, value) = s
            .split_once('=')
            .ok_or_else(|| Error::usage(format!("--set `{s}` is not FIELD=VALUE")))?;
        let field = field.trim();
        let root = field.split(['.', '[']).next().unwrap_or("");
        if !CORRECTABLE.contains(&root) {
            return Err(Error::refused(format!(
                "`{field}` cannot be {doing} (settable: {})",
                CORRECTABLE.join(", ")
            ))
            .hint("status, money, approvals, triage and assignment change only through their own commands"));
        }
        sets.push((field.to_string(), value.to_string()));
    }
    Ok(sets)
}

pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn segments(path: &str) -> Result<Vec<Seg>> {
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
pub fn apply_set(claim: &mut Claim, field: &str, value: &str) -> Result<String> {
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
        // Y/N facts are spoken as yes and no, as the phone script and CSV columns take them.
        match value.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => c.push(Value::Bool(true)),
            "n" | "no" => c.push(Value::Bool(false)),
            _ => {}
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

pub fn walk<'a>(mut v: &'a mut Value, segs: &[Seg], field: &str) -> Result<&'a mut Value> {
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
