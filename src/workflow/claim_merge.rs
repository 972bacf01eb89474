//! Three-way merge of one claim file, for people who reconcile desks with plain `git pull`:
//! what `claims merge-file` (the git merge driver) writes and what `claims audit` accepts in a
//! merge commit. No I/O: (base, ours, theirs) → the canonical file, or the fields in conflict.
//!
//! - The claim's records that only grow (notes, tasks, documents, letters, attachments,
//!   negotiation steps, inquiries, diary entries, QC reviews) are a union by entry: the base's
//!   entries, then ours' new ones, then theirs' new ones that ours did not add. An entry changed on one side only
//!   (a task completed, a document received) takes that side's version.
//! - The ledgers (status history, reserve changes, payments, reopenings, merges) each follow
//!   from the one before: two desks adding to one at once would give a sequence no command
//!   made (a reserve change whose `previous` is not the reserve, a second payment nobody
//!   checked against the first), so that is a conflict, as is any decision (status, triage,
//!   assignment, settlement, denial, closure, SLA events) both sides changed differently.
//! - Every other field merges three-way, field by field: a conflict only where both sides
//!   changed it to different values.
//! - A result `claims check` would reject for a reason neither side had is a conflict too.
//!
//! Conflicts are for `claims sync`, which replays one desk's commands on the other's.

use serde_json::{Map, Value};

use crate::check::finding::{severity_of, Severity};
use crate::check::rules::{check_claim, OfficeIndex};
use crate::domain::claim::Claim;
use crate::domain::yaml::to_canonical_yaml;
use crate::store::files::parse_yaml;

/// A field both sides changed in ways the merge may not combine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeConflict {
    /// Where: `loss.description`, `reserves`, `tasks[2]`, or `the file`.
    pub field: String,
    pub why: String,
}

impl std::fmt::Display for MergeConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.why)
    }
}

/// How the merge treats a field, by its path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Three-way, field by field; a list as one value.
    Facts,
    /// A list that only grows: union by entry.
    Record,
    /// A list whose entries follow from the ones before: one side may add to it.
    Ledger,
    /// A decision or a value derived from the claim's records: one side may change it.
    Decision,
}

fn kind(path: &str) -> Kind {
    match path {
        "notes"
        | "tasks"
        | "documents"
        | "letters"
        | "diary"
        | "reviews"
        | "attachments"
        | "negotiation"
        | "possible_duplicates"
        | "sla.status_letters"
        | "sla.inquiries" => Kind::Record,
        "history" | "reserves" | "payments" | "reopenings" | "gained" | "merged" => Kind::Ledger,
        "status" | "triage" | "escalation" | "assignment" | "settlement" | "subrogation"
        | "denial" | "closure" | "merged_into" | "missing" | "source" => Kind::Decision,
        p if p.starts_with("sla.") => Kind::Decision,
        _ => Kind::Facts,
    }
}

const SYNC: &str = "the commands derive it from the claim's other records, so no merge of the two is one a command would make; use `claims sync`, which replays your commands on theirs";

/// Merges two edits (`ours`, `theirs`) of the claim file at `path` whose common ancestor is
/// `base`: the merged file in the tool's canonical form, or every field in conflict.
pub fn merge_claim(
    path: &str,
    base: &str,
    ours: &str,
    theirs: &str,
) -> Result<String, Vec<MergeConflict>> {
    let parse = |side: &str, text: &str| -> Result<(Claim, Value), Vec<MergeConflict>> {
        let claim = parse_yaml::<Claim>(text).map_err(|f| {
            vec![MergeConflict {
                field: "the file".into(),
                why: format!(
                    "{side} is not a valid claim ({}:{}: {} {})",
                    f.line, f.column, f.issue.code, f.issue.message
                ),
            }]
        })?;
        let value = serde_json::to_value(&claim).map_err(|e| {
            vec![MergeConflict {
                field: "the file".into(),
                why: format!("{side}: {e}"),
            }]
        })?;
        Ok((claim, value))
    };
    let (_, o) = parse("the common ancestor", base)?;
    let (ours_claim, a) = parse("ours", ours)?;
    let (theirs_claim, b) = parse("theirs", theirs)?;
    let mut conflicts = Vec::new();
    let merged = merge_value("", &o, &a, &b, &mut conflicts);
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let invalid = |why: String| {
        vec![MergeConflict {
            field: "the file".into(),
            why,
        }]
    };
    let claim: Claim = serde_json::from_value(merged)
        .map_err(|e| invalid(format!("the merge is not a claim: {e}")))?;
    let new_errors = introduced_errors(path, &claim, &[&ours_claim, &theirs_claim]);
    if !new_errors.is_empty() {
        return Err(new_errors
            .into_iter()
            .map(|(field, why)| MergeConflict {
                field,
                why: format!("the merge would leave the claim invalid ({why}); use `claims sync`"),
            })
            .collect());
    }
    to_canonical_yaml(&claim).map_err(|e| invalid(format!("the merge cannot be written: {e}")))
}

/// `claims check` errors of `merged` that none of `sides` has: (field, `CODE message`).
fn introduced_errors(path: &str, merged: &Claim, sides: &[&Claim]) -> Vec<(String, String)> {
    let no_policies = Default::default();
    let no_ids = Default::default();
    let ix = OfficeIndex {
        office: None,
        tz: chrono_tz::UTC,
        policies: &no_policies,
        claim_ids: &no_ids,
    };
    let had: Vec<_> = sides
        .iter()
        .flat_map(|c| check_claim(c, path, &ix))
        .map(|i| (i.code, i.field))
        .collect();
    check_claim(merged, path, &ix)
        .into_iter()
        .filter(|i| severity_of(i.code) == Severity::Error)
        .filter(|i| !had.contains(&(i.code, i.field.clone())))
        .map(|i| {
            (
                i.field.unwrap_or_else(|| "the file".into()),
                format!("{} {}", i.code, i.message),
            )
        })
        .collect()
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn merge_value(
    path: &str,
    o: &Value,
    a: &Value,
    b: &Value,
    conflicts: &mut Vec<MergeConflict>,
) -> Value {
    if a == b || b == o {
        return a.clone();
    }
    if a == o {
        return b.clone();
    }
    match (kind(path), o, a, b) {
        (Kind::Facts, Value::Object(o), Value::Object(a), Value::Object(b)) => {
            Value::Object(merge_fields(path, o, a, b, conflicts))
        }
        (k @ (Kind::Record | Kind::Ledger), o, a, b) => {
            let empty = Vec::new();
            let list = |v: &'_ Value| -> Vec<Value> { v.as_array().unwrap_or(&empty).clone() };
            merge_entries(path, k, &list(o), &list(a), &list(b), conflicts)
        }
        (k, ..) => {
            conflicts.push(MergeConflict {
                field: path.to_string(),
                why: if k == Kind::Decision {
                    format!("both sides changed it; {SYNC}")
                } else {
                    format!("both sides changed it: ours {a}, theirs {b}")
                },
            });
            a.clone()
        }
    }
}

fn merge_fields(
    path: &str,
    o: &Map<String, Value>,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    conflicts: &mut Vec<MergeConflict>,
) -> Map<String, Value> {
    let keys = a.keys().chain(b.keys()).chain(o.keys());
    let mut out = Map::new();
    let null = Value::Null;
    for key in keys {
        if out.contains_key(key) {
            continue;
        }
        let get = |m: &'_ Map<String, Value>| m.get(key).unwrap_or(&null).clone();
        let v = merge_value(&join(path, key), &get(o), &get(a), &get(b), conflicts);
        out.insert(key.clone(), v);
    }
    out
}

/// A list that only grows: the base's entries (each as the side that changed it left it),
/// then ours' new entries, then theirs' new entries that ours did not add.
fn merge_entries(
    path: &str,
    k: Kind,
    o: &[Value],
    a: &[Value],
    b: &[Value],
    conflicts: &mut Vec<MergeConflict>,
) -> Value {
    let mut conflict = |field: String, why: String| conflicts.push(MergeConflict { field, why });
    if a.len() < o.len() || b.len() < o.len() {
        conflict(
            path.to_string(),
            "an entry was removed on one side; the claim's records only grow".into(),
        );
        return Value::Array(a.to_vec());
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    for (i, base) in o.iter().enumerate() {
        let entry = if a[i] == b[i] || b[i] == *base {
            a[i].clone()
        } else if a[i] == *base {
            b[i].clone()
        } else {
            let name = base.get("name").and_then(Value::as_str);
            conflict(
                format!("{path}[{i}]"),
                format!(
                    "both sides changed {}, differently",
                    name.map_or("this entry".to_string(), |n| format!("`{n}`"))
                ),
            );
            a[i].clone()
        };
        out.push(entry);
    }
    let ours_added = &a[o.len()..];
    let theirs_added: Vec<&Value> = b[o.len()..]
        .iter()
        .filter(|e| !ours_added.contains(e))
        .collect();
    if k == Kind::Ledger && !ours_added.is_empty() && !theirs_added.is_empty() {
        conflict(path.to_string(), format!("both sides added to it; {SYNC}"));
    }
    out.extend(ours_added.iter().cloned());
    out.extend(theirs_added.into_iter().cloned());
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "claims/2026/10/CLM-2610-RBZJ-DXFA.yaml";

    fn sample() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/claims/2026/10/CLM-2610-RBZJ-DXFA.yaml"
        ))
        .unwrap()
    }

    fn claim(text: &str) -> Claim {
        parse_yaml(text).unwrap()
    }

    fn text(c: &Claim) -> String {
        to_canonical_yaml(c).unwrap()
    }

    fn with(base: &str, edit: impl FnOnce(&mut Claim)) -> String {
        let mut c = claim(base);
        edit(&mut c);
        text(&c)
    }

    fn note(c: &mut Claim, by: &str, words: &str) {
        let at = c.received_at;
        c.notes.push(crate::domain::claim::Note {
            at,
            by: by.into(),
            text: words.into(),
        });
    }

    fn fields(r: Result<String, Vec<MergeConflict>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|c| c.field).collect()
    }

    #[test]
    fn notes_added_on_both_sides_are_a_union_ours_first() {
        let base = sample();
        let ours = with(&base, |c| note(c, "a@x", "Called the insured"));
        let theirs = with(&base, |c| note(c, "b@x", "Photos received"));
        let merged = claim(&merge_claim(PATH, &base, &ours, &theirs).unwrap());
        let n = claim(&base).notes.len();
        let added: Vec<&str> = merged.notes[n..].iter().map(|x| x.text.as_str()).collect();
        assert_eq!(added, ["Called the insured", "Photos received"]);
        // The same note on both sides is kept once.
        let merged = claim(&merge_claim(PATH, &base, &ours, &ours).unwrap());
        assert_eq!(merged.notes.len(), n + 1);
    }

    #[test]
    fn an_entry_changed_on_one_side_takes_that_sides_version() {
        let base = with(&sample(), |c| {
            c.tasks.push(crate::domain::claim::Task {
                name: "Inspect the vehicle".into(),
                status: crate::domain::claim::ItemStatus::Open,
                due: None,
                done_at: None,
                by: None,
                waived_reason: None,
            })
        });
        let ours = with(&base, |c| note(c, "a@x", "Booked the appraiser"));
        let theirs = with(&base, |c| {
            let t = c.tasks.last_mut().unwrap();
            t.status = crate::domain::claim::ItemStatus::Done;
            t.by = Some("b@x".into());
        });
        let merged = claim(&merge_claim(PATH, &base, &ours, &theirs).unwrap());
        let task = merged.tasks.last().unwrap();
        assert_eq!(task.status, crate::domain::claim::ItemStatus::Done);
        assert_eq!(merged.notes.last().unwrap().text, "Booked the appraiser");

        // Changed differently on both sides: a conflict naming the entry.
        let ours = with(&base, |c| {
            c.tasks.last_mut().unwrap().waived_reason = Some("not needed".into());
        });
        let f = fields(merge_claim(PATH, &base, &ours, &theirs));
        assert_eq!(f, [format!("tasks[{}]", claim(&base).tasks.len() - 1)]);
    }

    #[test]
    fn a_fact_changed_on_both_sides_differently_is_a_conflict_and_alike_is_not() {
        let base = sample();
        let ours = with(&base, |c| c.jurisdiction = "IL".into());
        let theirs = with(&base, |c| c.jurisdiction = "WI".into());
        let r = merge_claim(PATH, &base, &ours, &theirs).unwrap_err();
        assert_eq!(r[0].field, "jurisdiction");
        assert!(
            r[0].why.contains("\"IL\"") && r[0].why.contains("\"WI\""),
            "{r:?}"
        );
        assert_eq!(merge_claim(PATH, &base, &ours, &ours).unwrap(), ours);
        // Different fields of one record merge field by field.
        let theirs = with(&base, |c| c.channel = crate::domain::claim::Channel::Email);
        let merged = claim(&merge_claim(PATH, &base, &ours, &theirs).unwrap());
        assert_eq!(merged.jurisdiction, "IL");
        assert_eq!(merged.channel, crate::domain::claim::Channel::Email);
    }

    #[test]
    fn ledgers_and_decisions_changed_on_both_sides_are_for_claims_sync() {
        let base = sample();
        let c = claim(&base);
        assert!(!c.history.is_empty());
        let step = |by: &str| {
            with(&base, |c| {
                let mut e = c.history.last().unwrap().clone();
                e.by = by.into();
                c.history.push(e);
            })
        };
        let r = merge_claim(PATH, &base, &step("a@x"), &step("b@x")).unwrap_err();
        assert_eq!(r[0].field, "history");
        assert!(r[0].why.contains("claims sync"), "{r:?}");
        // One side only: taken.
        let ours = step("a@x");
        assert_eq!(merge_claim(PATH, &base, &ours, &base).unwrap(), ours);
    }

    #[test]
    fn the_result_is_canonical_and_the_same_however_it_is_reached() {
        let base = sample();
        let ours = with(&base, |c| note(c, "a@x", "One"));
        let theirs = with(&base, |c| c.channel = crate::domain::claim::Channel::Email);
        let merged = merge_claim(PATH, &base, &ours, &theirs).unwrap();
        assert_eq!(text(&claim(&merged)), merged);
        assert_eq!(merge_claim(PATH, &base, &theirs, &ours).unwrap(), merged);
        // A side written out of canonical form merges to the canonical form.
        let loose = format!("# a comment\n{ours}");
        assert_eq!(merge_claim(PATH, &base, &loose, &theirs).unwrap(), merged);
    }

    #[test]
    fn a_side_that_is_no_claim_is_a_conflict() {
        let base = sample();
        let f = fields(merge_claim(PATH, &base, "<<<<<<< ours\n", &base));
        assert_eq!(f, ["the file"]);
    }
}
