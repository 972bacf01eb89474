//! Admission: a [`Draft`] from any channel becomes a [`Claim`] — pure, no I/O.
//!
//! Admission finds the policy (by number, else by insured name, VIN or property address) and
//! fills the insured, agent and jurisdiction from it; validates VINs, the loss time and the
//! loss date; draws the claim id; decides the status (`incomplete` with the list of missing
//! facts, or `reported`); records the intake event, the notes and the attachments; and warns
//! about possible duplicates without refusing them.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveTime};

use super::draft::Draft;
use crate::domain::claim::{
    Attachment, Channel, Claim, LineOfBusiness, Note, Party, SlaEvents, Timestamp,
};
use crate::domain::claim_id::ClaimId;
use crate::domain::fnol::missing_facts;
use crate::domain::lifecycle::Status;
use crate::domain::office::Office;
use crate::domain::policy::{Policy, PolicyKeys};
use crate::domain::vin::{Vin, VinError};

/// What admission needs besides the draft. Built once per command (policies are read once).
pub struct AdmitContext<'a> {
    pub office: &'a Office,
    pub tz: chrono_tz::Tz,
    pub now: Timestamp,
    /// The acting person's email (the intake event and notes are theirs).
    pub actor: &'a str,
    /// Policies by number.
    pub policies: &'a HashMap<String, Policy>,
    /// Existing claims, for duplicate warnings.
    pub existing: &'a KnownClaims,
    /// Refuse a draft that lacks required facts (web forms, CSV rows) instead of holding it
    /// as `incomplete` (email, phone): each missing fact becomes a [`FieldError`].
    pub require_complete: bool,
}

/// What duplicate detection compares: one per existing claim.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub id: String,
    pub policy_number: Option<String>,
    pub loss_date: Option<NaiveDate>,
    pub lob: LineOfBusiness,
    /// Workers' compensation: the injured employee's id.
    pub employee_id: Option<String>,
}

impl DuplicateKey {
    pub fn of(claim: &Claim) -> DuplicateKey {
        DuplicateKey {
            id: claim.id.clone(),
            policy_number: claim.policy_number.clone(),
            loss_date: claim.loss.date,
            lob: claim.lob,
            employee_id: claim
                .workers_comp
                .as_ref()
                .and_then(|w| w.employee.as_ref())
                .and_then(|e| e.id.clone()),
        }
    }
}

/// The claims already in the office (and admitted so far in a batch), indexed by policy number
/// and by employee — the only two ways a claim can be a possible duplicate of another — and
/// within each by loss date, since only losses days apart are duplicates. A claim's key is
/// replaced when the claim changes ([`KnownClaims::push`] again) or dropped ([`KnownClaims::remove`]).
#[derive(Clone, Debug, Default)]
pub struct KnownClaims {
    keys: HashMap<String, DuplicateKey>,
    by_policy: HashMap<String, BTreeSet<(NaiveDate, String)>>,
    by_employee: HashMap<String, BTreeSet<(NaiveDate, String)>>,
}

/// Days apart two losses may be and still be the same: same policy, same employee.
const POLICY_WINDOW: i64 = 1;
const EMPLOYEE_WINDOW: i64 = 7;

fn policy_index(key: &DuplicateKey) -> Option<(String, NaiveDate)> {
    Some((
        key.policy_number.as_ref()?.to_ascii_uppercase(),
        key.loss_date?,
    ))
}

fn employee_index(key: &DuplicateKey) -> Option<(String, NaiveDate)> {
    Some((
        key.employee_id.as_ref()?.trim().to_ascii_uppercase(),
        key.loss_date?,
    ))
}

impl KnownClaims {
    /// Adds a claim's key, replacing the one it had.
    pub fn push(&mut self, key: DuplicateKey) {
        self.remove(&key.id);
        let entry = |(k, d): (String, NaiveDate), index: &mut HashMap<_, BTreeSet<_>>| {
            index.entry(k).or_default().insert((d, key.id.clone()));
        };
        if let Some(at) = policy_index(&key) {
            entry(at, &mut self.by_policy);
        }
        if let Some(at) = employee_index(&key) {
            entry(at, &mut self.by_employee);
        }
        self.keys.insert(key.id.clone(), key);
    }

    pub fn remove(&mut self, id: &str) {
        let Some(old) = self.keys.remove(id) else {
            return;
        };
        let drop = |(k, d): (String, NaiveDate), index: &mut HashMap<String, BTreeSet<_>>| {
            if let Some(set) = index.get_mut(&k) {
                set.remove(&(d, old.id.clone()));
                if set.is_empty() {
                    index.remove(&k);
                }
            }
        };
        if let Some(at) = policy_index(&old) {
            drop(at, &mut self.by_policy);
        }
        if let Some(at) = employee_index(&old) {
            drop(at, &mut self.by_employee);
        }
    }

    /// The claims sharing `key`'s policy or employee with a loss close to its own, by id.
    fn candidates(&self, key: &DuplicateKey) -> impl Iterator<Item = &DuplicateKey> {
        fn near<'k>(
            index: &'k HashMap<String, BTreeSet<(NaiveDate, String)>>,
            at: Option<(String, NaiveDate)>,
            days: i64,
            ids: &mut BTreeSet<&'k String>,
        ) {
            let Some((k, date)) = at else { return };
            if let Some(set) = index.get(&k) {
                let from = (date - chrono::Duration::days(days), String::new());
                let to = date + chrono::Duration::days(days);
                ids.extend(
                    set.range(from..)
                        .take_while(|(d, _)| *d <= to)
                        .map(|(_, id)| id),
                );
            }
        }
        let mut ids = BTreeSet::new();
        near(&self.by_policy, policy_index(key), POLICY_WINDOW, &mut ids);
        near(
            &self.by_employee,
            employee_index(key),
            EMPLOYEE_WINDOW,
            &mut ids,
        );
        ids.into_iter().filter_map(|id| self.keys.get(id))
    }
}

impl From<Vec<DuplicateKey>> for KnownClaims {
    fn from(keys: Vec<DuplicateKey>) -> KnownClaims {
        let mut known = KnownClaims::default();
        for k in keys {
            known.push(k);
        }
        known
    }
}

/// Why a draft cannot be admitted: the field (a claim field path) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A file to write beside the claim, relative to the repository root.
#[derive(Clone, Debug, PartialEq)]
pub struct AttachmentFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// An admitted draft: the new claim, the files to write with it, and warnings for the user.
#[derive(Clone, Debug)]
pub struct Admitted {
    pub claim: Claim,
    pub files: Vec<AttachmentFile>,
    pub warnings: Vec<String>,
    /// How the policy was found (`number`, `insured name`, `VIN`, `property address`).
    pub policy_found_by: Option<&'static str>,
}

/// Turns a draft into a new claim, or lists every reason it cannot be one.
pub fn admit(
    draft: Draft,
    ctx: &AdmitContext,
    rng: &mut impl rand::RngCore,
) -> Result<Admitted, Vec<FieldError>> {
    let mut draft = draft;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();

    // The policy.
    let found = find_policy(&draft, ctx.policies);
    if let (Some(n), None) = (&draft.policy_number, &found) {
        warnings.push(format!("policy {n} is not on file (triage will decide)"));
    }
    let policy = found.as_ref().map(|(p, _)| *p);
    if let Some(p) = policy {
        if draft.policy_number.as_deref().is_none_or(blank) {
            draft.policy_number = Some(p.number.clone());
        }
        draft.insured = Some(merge_party(draft.insured.take(), &p.insured));
        if let Some(agent) = &p.agent {
            draft.agent = Some(merge_party(draft.agent.take(), agent));
        }
        if draft.jurisdiction.as_deref().is_none_or(blank) {
            draft.jurisdiction = Some(p.jurisdiction.clone());
        }
        if draft.lob.is_none() {
            draft.lob = Some(p.lob);
        }
        if let Some(lob) = draft.lob {
            if lob != p.lob {
                warnings.push(format!(
                    "the report says {lob} but policy {} is {}",
                    p.number, p.lob
                ));
            }
        }
    }

    let lob = draft.lob;
    if lob.is_none() {
        errors.push(FieldError::new(
            "lob",
            format!(
                "the line of business is not known and no policy was found to tell it (one of: {})",
                LineOfBusiness::ALL.map(|l| l.as_str()).join(", ")
            ),
        ));
    }
    let jurisdiction = match draft.jurisdiction.as_deref().map(str::trim) {
        Some(j) if !j.is_empty() => {
            let j = j.to_ascii_uppercase();
            if !crate::check::rules::is_us_state(&j) {
                errors.push(FieldError::new(
                    "jurisdiction",
                    format!("`{j}` is not a US state postal code"),
                ));
            }
            j
        }
        _ => {
            errors.push(FieldError::new(
                "jurisdiction",
                "no jurisdiction given and no policy found to take it from",
            ));
            String::new()
        }
    };
    let channel = draft.channel.unwrap_or(Channel::Web);

    // Dates and times.
    let received_at = draft.received_at.unwrap_or(ctx.now);
    let received_local = received_at.with_timezone(&ctx.tz).date_naive();
    if let Some(t) = draft.loss.time.as_deref().filter(|t| !blank(t)) {
        match parse_hhmm(t) {
            Some(norm) => draft.loss.time = Some(norm),
            None => errors.push(FieldError::new(
                "loss.time",
                format!("`{t}` is not a time of day as HH:MM (24-hour, e.g. 14:30)"),
            )),
        }
    }
    if let Some(d) = draft.loss.date {
        if d > received_local {
            errors.push(FieldError::new(
                "loss.date",
                format!("the loss date {d} is after the notice was received ({received_local})"),
            ));
        }
    }

    // VINs.
    if let Some(auto) = draft.auto.as_mut() {
        for (i, v) in auto.vehicles.iter_mut().enumerate() {
            let Some(raw) = v.vin.clone().filter(|s| !blank(s)) else {
                continue;
            };
            let field = format!("auto.vehicles[{i}].vin");
            if draft.vin_override {
                match Vin::parse_unchecked_digit(&raw) {
                    Ok(vin) => {
                        if vin.validate().is_err() {
                            v.vin_check_overridden = true;
                            warnings.push(format!(
                                "{field}: VIN {} fails its check digit; recorded as given (--accept-vin)",
                                vin.as_str()
                            ));
                        }
                        v.vin = Some(vin.into_string());
                    }
                    Err(e) => errors.push(FieldError::new(field, format!("VIN `{raw}`: {e}"))),
                }
            } else {
                match Vin::parse(&raw) {
                    Ok(vin) => v.vin = Some(vin.into_string()),
                    Err(e @ VinError::CheckDigit { .. }) => errors.push(FieldError::new(
                        field,
                        format!(
                            "VIN `{raw}`: {e}; if the vehicle really carries this VIN, pass --accept-vin"
                        ),
                    )),
                    Err(e) => errors.push(FieldError::new(field, format!("VIN `{raw}`: {e}"))),
                }
            }
        }
    }

    let Some(lob) = lob else {
        return Err(errors);
    };

    // The id.
    let prefix = ctx.office.office.claim_id_prefix.as_str();
    let id = match ClaimId::try_generate(prefix, received_local, rng) {
        Ok(id) => id,
        Err(e) => {
            errors.push(FieldError::new("id", e.to_string()));
            return Err(errors);
        }
    };
    let folder = id.folder();

    // Attachments.
    let mut files = Vec::new();
    let mut attachments = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for a in std::mem::take(&mut draft.attachments) {
        let name = unique_name(&sanitize_file_name(&a.file_name), &taken);
        taken.push(name.clone());
        let rel = format!("attachments/{name}");
        files.push(AttachmentFile {
            path: format!("{folder}/{rel}"),
            bytes: a.bytes,
        });
        attachments.push(Attachment {
            file: rel,
            kind: a.kind.or_else(|| guess_kind(&name).map(str::to_string)),
            received_at,
        });
    }

    let event_at = received_at.max(ctx.now);
    let notes = draft
        .notes
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| Note {
            at: event_at,
            by: ctx.actor.to_string(),
            text: t.to_string(),
        })
        .collect();

    let mut claim = Claim {
        id: id.as_str().to_string(),
        lob,
        jurisdiction,
        channel,
        received_at,
        status: Status::Reported,
        policy_number: draft.policy_number.filter(|s| !blank(s)),
        insured: draft.insured,
        agent: draft.agent,
        reporter: draft.reporter,
        loss: draft.loss,
        auto: draft.auto,
        property: draft.property,
        liability: draft.liability,
        workers_comp: draft.workers_comp,
        missing: Vec::new(),
        merged_into: None,
        merged: Vec::new(),
        triage: None,
        escalation: None,
        assignment: None,
        tasks: Vec::new(),
        documents: Vec::new(),
        reserves: Vec::new(),
        negotiation: Vec::new(),
        settlement: None,
        payments: Vec::new(),
        subrogation: None,
        denial: None,
        closure: None,
        reopenings: Vec::new(),
        sla: SlaEvents::default(),
        attachments,
        letters: Vec::new(),
        notes,
        history: Vec::new(),
    };
    let missing = missing_facts(&claim);
    if ctx.require_complete {
        for m in &missing {
            errors.push(FieldError::new(
                m.clone(),
                format!("required for a {lob} claim"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let status = if missing.is_empty() && !draft.hold_for_review {
        Status::Reported
    } else {
        Status::Incomplete
    };
    if status == Status::Incomplete {
        claim.missing = missing;
    }
    claim.record_event(event_at, ctx.actor, "intake", status);

    warnings.extend(duplicate_warnings(&claim, ctx.existing));
    Ok(Admitted {
        claim,
        files,
        warnings,
        policy_found_by: found.map(|(_, how)| how),
    })
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// `H:MM` or `HH:MM` (24-hour) → `HH:MM`.
pub fn parse_hhmm(t: &str) -> Option<String> {
    NaiveTime::parse_from_str(t.trim(), "%H:%M")
        .ok()
        .map(|t| t.format("%H:%M").to_string())
}

/// The draft's party with blanks filled from the policy's.
fn merge_party(draft: Option<Party>, policy: &Party) -> Party {
    let mut p = draft.unwrap_or_default();
    let fill = |slot: &mut Option<String>, from: &Option<String>| {
        if slot.as_deref().is_none_or(blank) {
            slot.clone_from(from);
        }
    };
    fill(&mut p.name, &policy.name);
    fill(&mut p.organization, &policy.organization);
    fill(&mut p.phone, &policy.phone);
    fill(&mut p.email, &policy.email);
    fill(&mut p.address, &policy.address);
    p
}

/// The policy the draft is filed under, and how it was found.
fn find_policy<'p>(
    draft: &Draft,
    policies: &'p HashMap<String, Policy>,
) -> Option<(&'p Policy, &'static str)> {
    let keys = PolicyKeys {
        number: draft.policy_number.as_deref(),
        insured_name: draft.insured.as_ref().and_then(|p| p.name.as_deref()),
        vins: draft
            .auto
            .iter()
            .flat_map(|a| a.vehicles.iter().filter_map(|v| v.vin.as_deref()))
            .collect(),
        address: draft
            .property
            .as_ref()
            .and_then(|p| p.property_address.as_deref()),
    };
    crate::domain::policy::find_policy(&keys, policies)
}

/// A safe file name: letters, digits, `.`, `-`, `_`; anything else becomes `-`; no leading
/// dot, no path parts.
pub fn sanitize_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut s: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    while s.starts_with('.') || s.starts_with('-') {
        s.remove(0);
    }
    if s.is_empty() {
        s = "attachment".into();
    }
    s
}

/// `name`, or `stem-2.ext`, `stem-3.ext`... when a file by that name is taken.
pub fn unique_name(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|c| !taken.contains(c))
        .unwrap_or_default()
}

fn guess_kind(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" | "png" | "heic" | "gif" | "webp" => "photo",
        "pdf" | "doc" | "docx" | "txt" => "document",
        "eml" => "email",
        "mp4" | "mov" => "video",
        _ => return None,
    })
}

/// Possible duplicates among `existing`: the same policy with a loss date within a day, or
/// for workers' compensation the same employee with an injury date within a week.
pub fn duplicate_warnings(claim: &Claim, existing: &KnownClaims) -> Vec<String> {
    duplicates(claim, existing)
        .into_iter()
        .map(|(_, why)| why)
        .collect()
}

/// The known claims `claim` may duplicate, each with why.
pub fn duplicates<'k>(claim: &Claim, existing: &'k KnownClaims) -> Vec<(&'k DuplicateKey, String)> {
    let mut out = Vec::new();
    let Some(date) = claim.loss.date else {
        return out;
    };
    let key = DuplicateKey::of(claim);
    for e in existing.candidates(&key) {
        if e.id == claim.id {
            continue;
        }
        let Some(d) = e.loss_date else { continue };
        let days = (d - date).num_days().abs();
        if claim.lob == LineOfBusiness::WorkersComp && e.lob == LineOfBusiness::WorkersComp {
            // One employer's policy covers every employee: two injuries on one day under it
            // are two claims. Only the same employee within a week is a likely duplicate.
            if let (Some(a), Some(b)) = (&key.employee_id, &e.employee_id) {
                if a.trim().eq_ignore_ascii_case(b.trim()) && days <= EMPLOYEE_WINDOW {
                    out.push((
                        e,
                        format!(
                            "possible duplicate of {}: same employee {a}, injury dates {d} and {date}",
                            e.id
                        ),
                    ));
                }
                continue;
            }
        }
        if let (Some(a), Some(b)) = (&key.policy_number, &e.policy_number) {
            if a.eq_ignore_ascii_case(b) && days <= POLICY_WINDOW {
                out.push((
                    e,
                    format!(
                        "possible duplicate of {}: same policy {a}, loss dates {d} and {date}",
                        e.id
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fnol::{AutoFacts, Employee, LossFacts, Vehicle, WorkersCompFacts};
    use crate::intake::draft::DraftAttachment;
    use rand::SeedableRng;

    fn office() -> Office {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/authority.yaml"))
            .unwrap();
        crate::store::files::parse_office(&text).unwrap()
    }

    fn policies() -> HashMap<String, Policy> {
        crate::store::files::load_policies(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    fn now() -> Timestamp {
        chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00-06:00").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const GOOD_VIN: &str = "4T1BF1FK5CU123456";

    fn vin_with_check(v: &str) -> String {
        // Recompute: find the digit at position 9 that validates.
        for c in "0123456789X".chars() {
            let mut s: Vec<char> = v.chars().collect();
            s[8] = c;
            let s: String = s.into_iter().collect();
            if Vin::parse(&s).is_ok() {
                return s;
            }
        }
        unreachable!()
    }

    fn auto_draft() -> Draft {
        Draft {
            lob: Some(LineOfBusiness::PersonalAuto),
            channel: Some(Channel::Web),
            policy_number: Some("PAU-IL-2026-20931".into()),
            loss: LossFacts {
                date: Some(d("2026-11-18")),
                time: Some("7:45".into()),
                location: Some("Ogden Ave and Washington St, Naperville".into()),
                description: Some("Rear-ended at a light".into()),
                cause: Some("collision".into()),
                keywords: vec![],
            },
            auto: Some(AutoFacts {
                vehicles: vec![Vehicle {
                    year: Some(2012),
                    make: Some("Toyota".into()),
                    model: Some("Camry".into()),
                    vin: Some(vin_with_check(GOOD_VIN).to_lowercase()),
                    damage: Some("rear bumper".into()),
                    vin_check_overridden: false,
                }],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    struct Fx {
        office: Office,
        policies: HashMap<String, Policy>,
        existing: KnownClaims,
    }

    impl Fx {
        fn new() -> Fx {
            Fx {
                office: office(),
                policies: policies(),
                existing: KnownClaims::default(),
            }
        }
        fn ctx(&self, require_complete: bool) -> AdmitContext<'_> {
            AdmitContext {
                office: &self.office,
                tz: chrono_tz::America::Chicago,
                now: now(),
                actor: "csr@example.com",
                policies: &self.policies,
                existing: &self.existing,
                require_complete,
            }
        }
    }

    fn rng() -> rand::rngs::StdRng {
        rand::rngs::StdRng::seed_from_u64(7)
    }

    #[test]
    fn complete_draft_is_reported_with_policy_parties_filled() {
        let fx = Fx::new();
        let a = admit(auto_draft(), &fx.ctx(true), &mut rng()).unwrap();
        let c = &a.claim;
        assert_eq!(c.status, Status::Reported);
        assert!(c.missing.is_empty());
        assert!(c.id.starts_with("CLM-2611-"), "{}", c.id);
        assert_eq!(c.jurisdiction, "IL");
        assert_eq!(
            c.insured.as_ref().unwrap().name.as_deref(),
            Some("Kevin and Laura Novak")
        );
        assert_eq!(
            c.agent.as_ref().unwrap().name.as_deref(),
            Some("Daniel Kowalski")
        );
        assert_eq!(c.loss.time.as_deref(), Some("07:45"));
        assert_eq!(c.history.len(), 1);
        assert_eq!(c.history[0].event, "intake");
        assert_eq!(c.history[0].by, "csr@example.com");
        assert_eq!(a.policy_found_by, Some("number"));
        // VIN upper-cased to canonical form.
        let vin = c.auto.as_ref().unwrap().vehicles[0].vin.clone().unwrap();
        assert_eq!(vin, vin.to_uppercase());
    }

    #[test]
    fn policy_found_by_insured_name_vin_and_address() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.policy_number = None;
        dr.jurisdiction = None;
        dr.insured = Some(Party {
            name: Some("kevin AND laura novak".into()),
            ..Default::default()
        });
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.policy_number.as_deref(), Some("PAU-IL-2026-20931"));
        assert_eq!(a.policy_found_by, Some("insured name"));

        let (number, vin) = fx
            .policies
            .values()
            .find_map(|p| {
                p.vehicles
                    .first()
                    .map(|v| (p.number.clone(), v.vin.clone()))
            })
            .unwrap();
        let mut dr = auto_draft();
        dr.policy_number = None;
        dr.vin_override = true;
        dr.auto.as_mut().unwrap().vehicles[0].vin = Some(vin);
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.policy_number.as_deref(), Some(number.as_str()));
        assert_eq!(a.policy_found_by, Some("VIN"));

        let dr = Draft {
            lob: Some(LineOfBusiness::Property),
            property: Some(crate::domain::fnol::PropertyFacts {
                property_address: Some("11842 coldwater creek ln. frisco TX 75035".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.policy_number.as_deref(), Some("HO-TX-2026-60254"));
        assert_eq!(a.policy_found_by, Some("property address"));
        assert_eq!(a.claim.jurisdiction, "TX");
    }

    #[test]
    fn no_policy_and_no_jurisdiction_is_an_error() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.policy_number = Some("NOPE-1".into());
        let errs = admit(dr, &fx.ctx(false), &mut rng()).unwrap_err();
        assert!(errs.iter().any(|e| e.field == "jurisdiction"), "{errs:?}");
        let mut dr = auto_draft();
        dr.policy_number = Some("NOPE-1".into());
        dr.jurisdiction = Some("il".into());
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.jurisdiction, "IL");
        assert!(a.warnings.iter().any(|w| w.contains("not on file")));
    }

    #[test]
    fn bad_check_digit_refused_naming_the_flag_unless_overridden() {
        let fx = Fx::new();
        let good = vin_with_check(GOOD_VIN);
        let mut bad: Vec<char> = good.chars().collect();
        bad[8] = if bad[8] == '1' { '2' } else { '1' };
        let bad: String = bad.into_iter().collect();
        let mut dr = auto_draft();
        dr.auto.as_mut().unwrap().vehicles[0].vin = Some(bad.clone());
        let errs = admit(dr.clone(), &fx.ctx(false), &mut rng()).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "auto.vehicles[0].vin");
        assert!(
            errs[0].message.contains("--accept-vin"),
            "{}",
            errs[0].message
        );
        dr.vin_override = true;
        let a = admit(dr.clone(), &fx.ctx(false), &mut rng()).unwrap();
        let v = &a.claim.auto.as_ref().unwrap().vehicles[0];
        assert!(v.vin_check_overridden);
        assert_eq!(v.vin.as_deref(), Some(bad.as_str()));
        // The override never excuses a wrong length.
        dr.auto.as_mut().unwrap().vehicles[0].vin = Some("1234".into());
        let errs = admit(dr, &fx.ctx(false), &mut rng()).unwrap_err();
        assert!(errs[0].message.contains("17 characters"));
    }

    #[test]
    fn bad_time_and_future_loss_date_are_errors() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.loss.time = Some("quarter past".into());
        dr.loss.date = Some(d("2026-11-21"));
        let errs = admit(dr, &fx.ctx(false), &mut rng()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["loss.time", "loss.date"]);
    }

    #[test]
    fn missing_facts_make_it_incomplete_or_errors_when_required() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.loss.location = None;
        dr.auto.as_mut().unwrap().vehicles[0].make = None;
        let a = admit(dr.clone(), &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.status, Status::Incomplete);
        assert_eq!(a.claim.missing, ["loss.location", "auto.vehicles[0].make"]);
        assert_eq!(a.claim.history[0].status, Status::Incomplete);
        let errs = admit(dr, &fx.ctx(true), &mut rng()).unwrap_err();
        assert_eq!(errs.len(), 2);
        // Held for review even when complete.
        let mut dr = auto_draft();
        dr.hold_for_review = true;
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.status, Status::Incomplete);
        assert!(a.claim.missing.is_empty());
    }

    #[test]
    fn unknown_lob_without_policy_is_an_error() {
        let fx = Fx::new();
        let dr = Draft {
            jurisdiction: Some("TX".into()),
            ..Default::default()
        };
        let errs = admit(dr, &fx.ctx(false), &mut rng()).unwrap_err();
        assert!(errs.iter().any(|e| e.field == "lob"));
    }

    #[test]
    fn attachments_are_sanitised_and_deduplicated_and_notes_kept() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.notes = vec!["Caller was calm".into(), "  ".into()];
        for name in ["../front photo.jpg", "front photo.jpg", ".hidden"] {
            dr.attachments.push(DraftAttachment {
                file_name: name.into(),
                kind: None,
                bytes: b"x".to_vec(),
            });
        }
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        let names: Vec<_> = a
            .claim
            .attachments
            .iter()
            .map(|x| x.file.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "attachments/front-photo.jpg",
                "attachments/front-photo-2.jpg",
                "attachments/hidden"
            ]
        );
        assert_eq!(a.claim.attachments[0].kind.as_deref(), Some("photo"));
        assert!(a.files[0]
            .path
            .starts_with(&format!("claims/2026/11/{}/attachments/", a.claim.id)));
        assert_eq!(a.claim.notes.len(), 1);
        assert_eq!(a.claim.notes[0].text, "Caller was calm");
    }

    #[test]
    fn duplicates_warn_by_policy_within_a_day_and_wc_employee_within_a_week() {
        let mut fx = Fx::new();
        fx.existing = vec![
            DuplicateKey {
                id: "CLM-2611-AAAA-AAAA".into(),
                policy_number: Some("PAU-IL-2026-20931".into()),
                loss_date: Some(d("2026-11-17")),
                lob: LineOfBusiness::PersonalAuto,
                employee_id: None,
            },
            DuplicateKey {
                id: "CLM-2611-BBBB-BBBB".into(),
                policy_number: Some("PAU-IL-2026-20931".into()),
                loss_date: Some(d("2026-11-15")),
                lob: LineOfBusiness::PersonalAuto,
                employee_id: None,
            },
            DuplicateKey {
                id: "CLM-2611-CCCC-CCCC".into(),
                policy_number: Some("WC-OTHER".into()),
                loss_date: Some(d("2026-11-12")),
                lob: LineOfBusiness::WorkersComp,
                employee_id: Some("E-77".into()),
            },
        ]
        .into();
        let a = admit(auto_draft(), &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
        assert!(a.warnings[0].contains("CLM-2611-AAAA-AAAA"));

        let wc = Draft {
            lob: Some(LineOfBusiness::WorkersComp),
            jurisdiction: Some("TX".into()),
            loss: LossFacts {
                date: Some(d("2026-11-18")),
                ..Default::default()
            },
            workers_comp: Some(WorkersCompFacts {
                employee: Some(Employee {
                    id: Some("e-77".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let a = admit(wc.clone(), &fx.ctx(false), &mut rng()).unwrap();
        assert!(
            a.warnings.iter().any(|w| w.contains("CLM-2611-CCCC-CCCC")),
            "{:?}",
            a.warnings
        );

        // Another employee hurt the same day under the same employer's policy: two claims,
        // not a duplicate.
        fx.existing = vec![DuplicateKey {
            id: "CLM-2611-DDDD-DDDD".into(),
            policy_number: Some("WC-TX-2026-30118".into()),
            loss_date: Some(d("2026-11-18")),
            lob: LineOfBusiness::WorkersComp,
            employee_id: Some("E-12".into()),
        }]
        .into();
        let mut other = wc;
        other.policy_number = Some("WC-TX-2026-30118".into());
        let a = admit(other, &fx.ctx(false), &mut rng()).unwrap();
        assert!(
            a.warnings.iter().all(|w| !w.contains("DDDD")),
            "{:?}",
            a.warnings
        );
    }

    #[test]
    fn addresses_normalise() {
        assert_eq!(
            crate::domain::policy::normalize_address("2201 Dallas Parkway, Suite 310"),
            crate::domain::policy::normalize_address("2201 dallas pkwy ste. 310")
        );
    }
}
