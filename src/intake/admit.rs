//! Admission: a [`Draft`] from any channel becomes a [`Claim`] — pure, no I/O.
//!
//! Admission finds the policy (by number, else by insured name, VIN or property address) and
//! fills the insured, agent and jurisdiction from it; validates VINs, the loss time and the
//! loss date; draws the claim id; decides the status (`incomplete` with the list of missing
//! facts, or `reported`); records the intake event, the notes and the attachments; and warns
//! about possible duplicates without refusing them.

use std::collections::HashMap;

use chrono::{Datelike, NaiveTime};

use super::draft::Draft;
use crate::domain::claim::{
    Attachment, Channel, Claim, LineOfBusiness, Note, Party, SlaEvents, Timestamp,
};
use crate::domain::claim_id::ClaimId;
use crate::domain::fnol::missing_facts;
use crate::domain::lifecycle::Status;
use crate::domain::office::Office;
use crate::domain::policy::{Policy, PolicyKeys};

/// What admission needs besides the draft. Built once per command (policies are read once).
pub struct AdmitContext<'a> {
    pub office: &'a Office,
    pub tz: chrono_tz::Tz,
    pub now: Timestamp,
    /// The acting person's email (the intake event and notes are theirs).
    pub actor: &'a str,
    /// Policies by number.
    pub policies: &'a HashMap<String, Policy>,
    /// Policy number → line of business, as `claims check` reads them.
    pub policy_lines: &'a HashMap<String, LineOfBusiness>,
    /// Existing claims, for duplicate warnings.
    pub existing: &'a KnownClaims,
    /// Refuse a draft that lacks required facts (web forms, CSV rows) instead of holding it
    /// as `incomplete` (email, phone): each missing fact becomes a [`FieldError`].
    pub require_complete: bool,
}

pub use crate::domain::same_loss::{KnownClaims, LossPrint};

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

/// What admission found wrong, or worth saying, about a draft.
pub(super) struct Findings {
    /// Why the notice cannot be admitted.
    pub errors: Vec<FieldError>,
    /// For the person running intake.
    pub warnings: Vec<String>,
    /// Kept on the claim as notes (`[intake] ...`), for whoever works it next.
    pub notes: Vec<String>,
    /// Held for a person: incomplete even when nothing required is missing.
    pub hold: bool,
    /// The channel holds what it cannot use (email, phone) instead of refusing it.
    lenient: bool,
}

impl Findings {
    /// A reported fact admission cannot use. A notice that must be complete (web form, CSV
    /// row) is refused for it; a notice held for a person (email, phone) is not: the fact is
    /// set aside in a note, the claim is held, and `true` tells the caller to drop the fact.
    pub fn unusable(&mut self, field: &str, why: String) -> bool {
        if self.lenient {
            self.warnings
                .push(format!("{field}: {why}; set aside for the CSR"));
            self.notes
                .push(format!("[intake] {field} set aside: {why}."));
            self.hold = true;
            true
        } else {
            self.errors.push(FieldError::new(field, why));
            false
        }
    }

    /// The notice is held for a person rather than refused for what it says.
    pub fn is_lenient(&self) -> bool {
        self.lenient
    }

    /// Said to the user and kept on the claim.
    pub fn remark(&mut self, text: String) {
        self.notes.push(format!("[intake] {text}."));
        self.warnings.push(text);
    }
}

/// Turns a draft into a new claim, or lists every reason it cannot be one.
///
/// A notice that must be complete (web form, CSV row) is refused for any fact that is wrong
/// or missing. A notice held for a person (email, phone) is never refused for what it says:
/// a fact that cannot be used is set aside in a note and the claim waits as incomplete for
/// the CSR. Either way the claim admitted is one `claims check` accepts: admission ends by
/// running check's own rules on it.
pub fn admit(
    draft: Draft,
    ctx: &AdmitContext,
    rng: &mut impl rand::RngCore,
) -> Result<Admitted, Vec<FieldError>> {
    let mut draft = draft;
    let out_of_bounds = field_bounds(&draft);
    if !out_of_bounds.is_empty() {
        return Err(out_of_bounds);
    }
    let mut f = Findings {
        errors: Vec::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
        hold: draft.hold_for_review,
        lenient: !ctx.require_complete,
    };

    // When the notice arrived: never after it was taken in (a sender's clock can be wrong).
    let mut received_at = draft.received_at.unwrap_or(ctx.now);
    if received_at > ctx.now {
        let why = format!(
            "the notice is dated {}, after it was taken in ({}); it is received when taken in",
            received_at.to_rfc3339(),
            ctx.now.to_rfc3339()
        );
        if f.unusable("received_at", why) {
            received_at = ctx.now;
        }
    }
    let received_local = received_at.with_timezone(&ctx.tz).date_naive();

    // The policy, and the line of business it is for.
    let found = find_policy(&draft, ctx.policies);
    if let (Some(n), None) = (draft.policy_number.as_deref().filter(|n| !blank(n)), &found) {
        f.warnings
            .push(format!("policy {n} is not on file (triage will decide)"));
    }
    let mut policy = found.as_ref().map(|(p, _)| *p);
    if let (Some(p), Some(lob)) = (policy, draft.lob) {
        if lob != p.lob {
            let why = format!(
                "the report says {lob} but policy {} is a {} policy",
                p.number, p.lob
            );
            if f.lenient {
                // Not filed under a policy of another line: the CSR finds the right one.
                f.remark(format!(
                    "Manual lookup: {why}, so the claim is not filed under it; confirm the \
                     policy and the line of business with the insured, then complete the claim"
                ));
                f.hold = true;
                draft.policy_number = None;
                policy = None;
            } else {
                f.errors.push(FieldError::new(
                    "lob",
                    format!("{why}: correct the line of business or the policy number"),
                ));
            }
        }
    }
    if let Some(p) = policy {
        // The number as the policy file writes it, which is how check finds it.
        draft.policy_number = Some(p.number.clone());
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
    }

    let lob = draft.lob;
    if lob.is_none() {
        f.errors.push(FieldError::new(
            "lob",
            format!(
                "the line of business is not known and no policy was found to tell it (one of: {})",
                LineOfBusiness::ALL.map(|l| l.as_str()).join(", ")
            ),
        ));
    }
    let jurisdiction = jurisdiction(&mut draft, &mut f);
    let channel = draft.channel.unwrap_or(Channel::Web);

    // Dates and times.
    if let Some(t) = draft.loss.time.clone().filter(|t| !blank(t)) {
        match parse_hhmm(&t) {
            Some(norm) => draft.loss.time = Some(norm),
            None => {
                let why = format!("`{t}` is not a time of day as HH:MM (24-hour, e.g. 14:30)");
                if f.unusable("loss.time", why) {
                    draft.loss.time = None;
                }
            }
        }
    }
    if let Some(p) = draft.property.as_mut() {
        if let Some(t) = p.discovered_at.clone().filter(|t| !blank(t)) {
            match parse_hhmm(&t) {
                Some(norm) => p.discovered_at = Some(norm),
                None => {
                    let why = format!("`{t}` is not a time of day as HH:MM (24-hour, e.g. 22:15)");
                    if f.unusable("property.discovered_at", why) {
                        p.discovered_at = None;
                    }
                }
            }
        }
    }
    if let Some(d) = draft.loss.date {
        if d > received_local {
            let why =
                format!("the loss date {d} is after the notice was received ({received_local})");
            if f.unusable("loss.date", why) {
                draft.loss.date = None;
            }
        }
    }

    // Vehicles: the VIN's check digit and model year; glass only, one meaning.
    if let Some(auto) = draft.auto.as_mut() {
        let latest = received_local.year() + 1;
        super::vehicles::review(auto, draft.vin_override, latest, &mut f);
        super::vehicles::settle_glass(&mut draft.loss, auto, &mut f);
    }

    let Some(lob) = lob else {
        return Err(f.errors);
    };

    // The id.
    let prefix = ctx.office.office.claim_id_prefix.as_str();
    let id = match ClaimId::try_generate(prefix, received_local, rng) {
        Ok(id) => id,
        Err(e) => {
            f.errors.push(FieldError::new("id", e.to_string()));
            return Err(f.errors);
        }
    };
    let folder = ctx.office.claim_folder(&id);

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
        .chain(&f.notes)
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
        source: None,
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
        possible_duplicates: Vec::new(),
        gained: Vec::new(),
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
        diary: Vec::new(),
        reviews: Vec::new(),
        history: Vec::new(),
    };
    let missing = missing_facts(&claim);
    if ctx.require_complete {
        for m in &missing {
            f.errors.push(FieldError::new(
                m.clone(),
                format!("required for a {lob} claim"),
            ));
        }
    }
    if !f.errors.is_empty() {
        return Err(f.errors);
    }
    let status = if missing.is_empty() && !f.hold {
        Status::Reported
    } else {
        Status::Incomplete
    };
    if status == Status::Incomplete {
        claim.missing = missing;
    }
    claim.record_event(event_at, ctx.actor, "intake", status);

    // Intake never writes what its own check rejects.
    let rejected = check_rejects(&claim, ctx);
    if !rejected.is_empty() {
        return Err(rejected);
    }

    let mut warnings = f.warnings;
    warnings.extend(duplicate_warnings(&claim, ctx.existing));
    Ok(Admitted {
        claim,
        files,
        warnings,
        policy_found_by: found.filter(|_| policy.is_some()).map(|(_, how)| how),
    })
}

/// The claim's state: as reported, else the policy's (already filled in), else one read from
/// the notice's text. A notice held for a person may leave it unknown (`missing` lists it).
fn jurisdiction(draft: &mut Draft, f: &mut Findings) -> String {
    let given = draft
        .jurisdiction
        .as_deref()
        .map(str::trim)
        .filter(|j| !j.is_empty())
        .or_else(|| {
            draft
                .jurisdiction_read
                .as_deref()
                .map(str::trim)
                .filter(|j| !j.is_empty())
        })
        .map(str::to_ascii_uppercase);
    match given {
        Some(j) if crate::check::rules::is_us_state(&j) => j,
        Some(j) => {
            f.unusable(
                "jurisdiction",
                format!("`{j}` is not a US state postal code"),
            );
            String::new()
        }
        None => {
            if !f.lenient {
                f.errors.push(FieldError::new(
                    "jurisdiction",
                    "no jurisdiction given and no policy found to take it from",
                ));
            }
            String::new()
        }
    }
}

/// Every error `claims check` would report on the admitted claim, as field errors.
fn check_rejects(claim: &Claim, ctx: &AdmitContext) -> Vec<FieldError> {
    let no_ids = Default::default();
    let ix = crate::check::rules::OfficeIndex {
        office: Some(ctx.office),
        tz: ctx.tz,
        policies: ctx.policy_lines,
        claim_ids: &no_ids,
    };
    let path = claim
        .id
        .parse::<ClaimId>()
        .map(|i| ctx.office.claim_file(&i))
        .unwrap_or_default();
    crate::check::rules::check_claim(claim, &path, &ix)
        .into_iter()
        .filter(|i| {
            crate::check::finding::severity_of(i.code) == crate::check::finding::Severity::Error
        })
        .map(|i| {
            FieldError::new(
                i.field.clone().unwrap_or_else(|| "claim".into()),
                format!(
                    "`claims check` would reject it: error[{}] {}",
                    i.code, i.message
                ),
            )
        })
        .collect()
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
        line: draft.lob,
    };
    crate::domain::policy::find_policy(&keys, policies)
}

/// Every reported fact of the draft within the bounds of one field
/// ([`crate::bounds::field`]: at most 64 KiB, no NUL or other control character); each one
/// that is not is an error naming the field, whatever the channel.
pub fn field_bounds(d: &Draft) -> Vec<FieldError> {
    fn walk(path: &str, v: &serde_json::Value, out: &mut Vec<FieldError>) {
        match v {
            serde_json::Value::String(s) => {
                if let Err(b) = crate::bounds::field(s) {
                    out.push(FieldError::new(path, b.to_string()));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), x, out);
                }
            }
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    walk(&format!("{path}.{k}"), x, out);
                }
            }
            _ => {}
        }
    }
    fn value(v: impl serde::Serialize) -> serde_json::Value {
        serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
    }
    let sections = [
        ("jurisdiction", value(&d.jurisdiction)),
        ("jurisdiction", value(&d.jurisdiction_read)),
        ("policy_number", value(&d.policy_number)),
        ("insured", value(&d.insured)),
        ("agent", value(&d.agent)),
        ("reporter", value(&d.reporter)),
        ("loss", value(&d.loss)),
        ("auto", value(&d.auto)),
        ("property", value(&d.property)),
        ("liability", value(&d.liability)),
        ("workers_comp", value(&d.workers_comp)),
        ("notes", value(&d.notes)),
    ];
    let mut out = Vec::new();
    for (path, v) in &sections {
        walk(path, v, &mut out);
    }
    out
}

/// A safe file name: letters and digits of any script (with their accents), `.`, `-`, `_`;
/// anything else (path separators, control characters, spaces, what file systems refuse)
/// becomes `-`; no leading dot, no path parts; at most
/// [`crate::bounds::MAX_FILE_NAME_BYTES`] (a longer one is cut, keeping its extension, see
/// [`crate::bounds::cut_file_name`]).
pub fn sanitize_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut s: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '.' | '-' | '_') {
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
    crate::bounds::cut_file_name(&s)
}

/// A combining mark (the accent of a decomposed letter, as macOS names files).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// `name`, or `stem-2.ext`, `stem-3.ext`... when a file by that name is taken (the stem cut
/// so that the name stays within [`crate::bounds::MAX_FILE_NAME_BYTES`]).
pub fn unique_name(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|n| {
            let suffix = format!("-{n}{ext}");
            let room = crate::bounds::MAX_FILE_NAME_BYTES.saturating_sub(suffix.len());
            format!("{}{suffix}", crate::bounds::cut_at_char(stem, room))
        })
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

/// How many possible duplicates of one notice are named each in a warning of their own; the
/// rest are named together in one more (a batch of one loss reported a thousand times warns a
/// few times per row, not once per pair).
pub const MAX_DUPLICATE_WARNINGS: usize = 3;
/// How many more claims that last warning names before it only counts them.
const MAX_NAMED_DUPLICATES: usize = 5;

/// The known claims that may be the same loss as `claim`, in words (an intake warns; triage
/// decides): the most likely first, at most [`MAX_DUPLICATE_WARNINGS`] each in its own
/// warning, then one warning for the rest.
pub fn duplicate_warnings(claim: &Claim, existing: &KnownClaims) -> Vec<String> {
    let mut found = existing.same_loss(&LossPrint::of(claim));
    // The strongest first; among equals, in the order they are known.
    found.sort_by_key(|f| std::cmp::Reverse(f.1.strength));
    let mut out: Vec<String> = found
        .iter()
        .take(MAX_DUPLICATE_WARNINGS)
        .map(|(k, l)| {
            format!(
                "{} duplicate of {}: {}",
                l.strength.as_str(),
                k.id,
                l.reasons.join(", ")
            )
        })
        .collect();
    let rest = &found[found.len().min(MAX_DUPLICATE_WARNINGS)..];
    if !rest.is_empty() {
        let mut named: Vec<&str> = rest
            .iter()
            .take(MAX_NAMED_DUPLICATES)
            .map(|(k, _)| k.id.as_str())
            .collect();
        let others = rest.len() - named.len();
        let list = if others > 0 {
            format!("{} and {others} other(s)", named.join(", "))
        } else if named.len() > 1 {
            let last = named.pop().unwrap_or_default();
            format!("{} and {last}", named.join(", "))
        } else {
            named.join("")
        };
        out.push(format!(
            "possibly the same loss as {} more claim(s): {list}",
            rest.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fnol::{AutoFacts, Employee, LossFacts, Vehicle, WorkersCompFacts};
    use crate::domain::vin::Vin;
    use crate::intake::draft::DraftAttachment;
    use chrono::NaiveDate;
    use rand::SeedableRng;

    /// A person of the sample office (the intake's notes and event are theirs).
    const CSR: &str = "mdelgado@harborpoint.example";

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
                    ..Vehicle::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    struct Fx {
        office: Office,
        policies: HashMap<String, Policy>,
        lines: HashMap<String, LineOfBusiness>,
        existing: KnownClaims,
    }

    impl Fx {
        fn new() -> Fx {
            let policies = policies();
            Fx {
                office: office(),
                lines: policies.iter().map(|(n, p)| (n.clone(), p.lob)).collect(),
                policies,
                existing: KnownClaims::default(),
            }
        }
        fn ctx(&self, require_complete: bool) -> AdmitContext<'_> {
            AdmitContext {
                office: &self.office,
                tz: chrono_tz::America::Chicago,
                now: now(),
                actor: CSR,
                policies: &self.policies,
                policy_lines: &self.lines,
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
        assert_eq!(c.history[0].by, CSR);
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
            .filter(|p| p.lob == LineOfBusiness::PersonalAuto)
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
    fn no_policy_and_no_jurisdiction_is_refused_on_a_form_and_missing_on_a_held_notice() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.policy_number = Some("NOPE-1".into());
        let errs = admit(dr.clone(), &fx.ctx(true), &mut rng()).unwrap_err();
        assert!(errs.iter().any(|e| e.field == "jurisdiction"), "{errs:?}");
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.status, Status::Incomplete);
        assert_eq!(a.claim.jurisdiction, "");
        assert_eq!(a.claim.missing, ["jurisdiction"]);
        // A state read from the text serves when nothing better says it.
        let mut dr = auto_draft();
        dr.policy_number = Some("NOPE-1".into());
        dr.jurisdiction_read = Some("tx".into());
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.jurisdiction, "TX");
        let mut dr = auto_draft();
        dr.policy_number = Some("NOPE-1".into());
        dr.jurisdiction = Some("il".into());
        let a = admit(dr, &fx.ctx(true), &mut rng()).unwrap();
        assert_eq!(a.claim.jurisdiction, "IL");
        assert!(a.warnings.iter().any(|w| w.contains("not on file")));
        // The policy's state beats one read from the text.
        let mut dr = auto_draft();
        dr.jurisdiction_read = Some("TX".into());
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.jurisdiction, "IL");
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
        let errs = admit(dr.clone(), &fx.ctx(true), &mut rng()).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "auto.vehicles[0].vin");
        assert!(
            errs[0].message.contains("--accept-vin"),
            "{}",
            errs[0].message
        );
        // Held for a person: set aside in a note, the VIN missing.
        let a = admit(dr.clone(), &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.missing, ["auto.vehicles[0].vin"]);
        assert!(a.claim.notes[0].text.contains(&bad), "{:?}", a.claim.notes);
        dr.vin_override = true;
        let a = admit(dr.clone(), &fx.ctx(true), &mut rng()).unwrap();
        let v = &a.claim.auto.as_ref().unwrap().vehicles[0];
        assert!(v.vin_check_overridden);
        assert_eq!(v.vin.as_deref(), Some(bad.as_str()));
        // The override is recorded only where it was needed.
        let mut dr2 = auto_draft();
        dr2.vin_override = true;
        dr2.auto.as_mut().unwrap().vehicles[0].vin_check_overridden = true;
        let a = admit(dr2, &fx.ctx(true), &mut rng()).unwrap();
        assert!(!a.claim.auto.unwrap().vehicles[0].vin_check_overridden);
        // The override never excuses a wrong length.
        dr.auto.as_mut().unwrap().vehicles[0].vin = Some("1234".into());
        let errs = admit(dr, &fx.ctx(true), &mut rng()).unwrap_err();
        assert!(errs[0].message.contains("17 characters"));
    }

    #[test]
    fn bad_time_and_future_loss_date_are_refused_on_a_form_and_set_aside_on_a_held_notice() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.loss.time = Some("quarter past".into());
        dr.loss.date = Some(d("2026-11-21"));
        let errs = admit(dr.clone(), &fx.ctx(true), &mut rng()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["loss.time", "loss.date"]);
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.status, Status::Incomplete);
        assert_eq!(a.claim.missing, ["loss.date", "loss.time"]);
        let notes: Vec<&str> = a.claim.notes.iter().map(|n| n.text.as_str()).collect();
        assert!(
            notes[0].contains("quarter past") && notes[1].contains("2026-11-21"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_notice_dated_after_it_was_taken_in_is_received_when_taken_in() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.received_at = Some(now() + chrono::Duration::hours(3));
        let errs = admit(dr.clone(), &fx.ctx(true), &mut rng()).unwrap_err();
        assert_eq!(errs[0].field, "received_at");
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.received_at, now());
        assert!(a.claim.notes[0].text.contains("received_at set aside"));
    }

    #[test]
    fn a_report_of_another_line_than_its_policy_is_refused_on_a_form_and_held_for_manual_lookup_otherwise(
    ) {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.lob = Some(LineOfBusiness::Property);
        dr.property = Some(crate::domain::fnol::PropertyFacts::default());
        let errs = admit(dr.clone(), &fx.ctx(true), &mut rng()).unwrap_err();
        let lob = errs.iter().find(|e| e.field == "lob").unwrap();
        assert!(
            lob.message.contains("PAU-IL-2026-20931") && lob.message.contains("personal_auto"),
            "{}",
            lob.message
        );
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.status, Status::Incomplete);
        assert_eq!(
            a.claim.policy_number, None,
            "not filed under another line's policy"
        );
        assert!(a.claim.insured.is_none(), "nor given that policy's insured");
        assert!(a.claim.missing.contains(&"policy_number".to_string()));
        assert!(a.claim.missing.contains(&"jurisdiction".to_string()));
        assert!(a.policy_found_by.is_none());
        let note = &a.claim.notes.last().unwrap().text;
        assert!(
            note.contains("Manual lookup") && note.contains("PAU-IL-2026-20931"),
            "{note}"
        );
        // A lookup by name finds only policies of the report's line.
        let dr = Draft {
            lob: Some(LineOfBusiness::Property),
            insured: Some(Party {
                name: Some("Kevin and Laura Novak".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let a = admit(dr, &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.policy_number, None);
    }

    #[test]
    fn a_policy_number_typed_another_way_is_filed_as_the_policy_writes_it() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.policy_number = Some("pau-il-2026-20931".into());
        let a = admit(dr, &fx.ctx(true), &mut rng()).unwrap();
        assert_eq!(a.claim.policy_number.as_deref(), Some("PAU-IL-2026-20931"));
    }

    #[test]
    fn a_loss_caused_by_glass_is_glass_only_and_glass_only_is_caused_by_glass() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.loss.cause = Some(" Glass ".into());
        let a = admit(dr, &fx.ctx(true), &mut rng()).unwrap();
        assert!(a.claim.is_glass_only());
        assert_eq!(a.claim.loss.cause.as_deref(), Some("glass"));
        let mut dr = auto_draft();
        dr.loss.cause = None;
        dr.auto.as_mut().unwrap().glass_only = true;
        let a = admit(dr, &fx.ctx(true), &mut rng()).unwrap();
        assert_eq!(a.claim.loss.cause.as_deref(), Some("glass"));
        // Someone hurt: not glass only, whatever was ticked.
        let mut dr = auto_draft();
        let auto = dr.auto.as_mut().unwrap();
        auto.glass_only = true;
        auto.injured.push(crate::domain::fnol::InjuredPerson {
            name: Some("Ann Lee".into()),
            contact: Some("(630) 555-0101".into()),
            description: Some("cut by glass".into()),
            catastrophic: false,
            ..Default::default()
        });
        let a = admit(dr, &fx.ctx(true), &mut rng()).unwrap();
        assert!(!a.claim.is_glass_only());
        assert!(a.warnings.iter().any(|w| w.contains("injury claim")));
    }

    #[test]
    fn a_vin_of_another_model_year_than_reported_is_warned_about_and_noted() {
        let fx = Fx::new();
        let mut dr = auto_draft();
        dr.auto.as_mut().unwrap().vehicles[0].year = Some(2015); // the VIN says 2012
        let a = admit(dr, &fx.ctx(true), &mut rng()).unwrap();
        let w = a
            .warnings
            .iter()
            .find(|w| w.contains("model year"))
            .unwrap();
        assert!(w.contains("2012") && w.contains("2015"), "{w}");
        assert!(a
            .claim
            .notes
            .iter()
            .any(|n| n.text.contains("not the reported 2015")));
        // No year on a held notice: the VIN's, noted.
        let mut dr = auto_draft();
        dr.auto.as_mut().unwrap().vehicles[0].year = None;
        let a = admit(dr.clone(), &fx.ctx(false), &mut rng()).unwrap();
        assert_eq!(a.claim.auto.as_ref().unwrap().vehicles[0].year, Some(2012));
        assert!(a.claim.notes[0].text.contains("read from the VIN"));
        // On a form the year is the reporter's to give.
        let errs = admit(dr, &fx.ctx(true), &mut rng()).unwrap_err();
        assert_eq!(errs[0].field, "auto.vehicles[0].year");
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
            LossPrint {
                id: "CLM-2611-AAAA-AAAA".into(),
                policy_number: Some("PAU-IL-2026-20931".into()),
                loss_date: Some(d("2026-11-17")),
                lob: Some(LineOfBusiness::PersonalAuto),
                employee_id: None,
                ..LossPrint::default()
            },
            LossPrint {
                id: "CLM-2611-BBBB-BBBB".into(),
                policy_number: Some("PAU-IL-2026-20931".into()),
                loss_date: Some(d("2026-11-15")),
                lob: Some(LineOfBusiness::PersonalAuto),
                employee_id: None,
                ..LossPrint::default()
            },
            LossPrint {
                id: "CLM-2611-CCCC-CCCC".into(),
                policy_number: Some("WC-OTHER".into()),
                loss_date: Some(d("2026-11-12")),
                lob: Some(LineOfBusiness::WorkersComp),
                employee_id: Some("E-77".into()),
                ..LossPrint::default()
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
        fx.existing = vec![LossPrint {
            id: "CLM-2611-DDDD-DDDD".into(),
            policy_number: Some("WC-TX-2026-30118".into()),
            loss_date: Some(d("2026-11-18")),
            lob: Some(LineOfBusiness::WorkersComp),
            employee_id: Some("E-12".into()),
            ..LossPrint::default()
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
