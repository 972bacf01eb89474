//! Intake: a First Notice of Loss becomes a claim, and an incomplete one is completed.
//!
//! Every channel (phone script, web or mobile payload, email, CSV row) gives a draft, and
//! [`admit`](crate::intake::admit::admit) makes it a claim: policy lookup, validation, a
//! random id. That draw is not repeatable, so a first notice is not replayed from its
//! arguments: its commit is sound when the claim it adds is an admissible first notice for the
//! actor's role — a new file, status reported or incomplete, its only event the actor's
//! intake, no money, no decisions, no approvals — which [`FirstNotice::apply`] checks for the
//! tool and the audit alike.

use super::args::{Reader, Recorder};
use super::change::{Change, File};
use super::desk::Desk;
use super::fields::{apply_set, parse_sets};
use crate::check::finding::{severity_of, Severity};
use crate::check::rules::{check_claim, OfficeIndex};
use crate::domain::claim::{Channel, Claim, LineOfBusiness, Note, SlaEvents};
use crate::domain::claim_id::ClaimId;
use crate::domain::fnol::missing_facts;
use crate::domain::intake_source::{IntakeSource, SourceIndex, Via};
use crate::domain::lifecycle::Status;
use crate::domain::vin::Vin;
use crate::error::{Error, Result};
use crate::intake::admit::{admit, parse_hhmm, AdmitContext, Admitted, FieldError, KnownClaims};
use crate::intake::draft::Draft;

pub fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Phone => "phone",
        Channel::Web => "web",
        Channel::Email => "email",
        Channel::Mobile => "mobile",
        Channel::Batch => "batch",
    }
}

/// Admits a draft at `desk`, checked for duplicates against `existing` (the office's claims
/// and the batch's earlier ones): an admitted claim or the field errors that keep it out. An
/// admitted claim's print joins `existing`, for the notices after it.
pub fn admit_one(
    desk: &Desk,
    draft: Draft,
    existing: &mut KnownClaims,
    require_complete: bool,
    rng: &mut impl rand::RngCore,
) -> std::result::Result<Admitted, Vec<FieldError>> {
    let ctx = AdmitContext {
        office: desk.office,
        tz: desk.tz,
        now: desk.now,
        actor: &desk.actor.email,
        policies: desk.records.policies(),
        policy_lines: desk.records.policy_lines(),
        existing,
        require_complete,
    };
    let admitted = admit(draft, &ctx, rng);
    if let Ok(a) = &admitted {
        existing.push(crate::domain::same_loss::LossPrint::of(&a.claim));
    }
    admitted
}

/// The office's claims, as duplicate detection knows them, at `desk`.
pub fn known_claims(desk: &Desk) -> Result<KnownClaims> {
    Ok(desk.records.register()?.known().clone())
}

/// Where a first notice came from, as its commit records it.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Recorded on the claim (`source:`) and in the commit: `--via V [--source FILE]
    /// [--row N] [--message-id ID] --fingerprint F`, with the trailers `Source:`,
    /// `Message-Id:` and `Fingerprint:`.
    Source(IntakeSource),
    /// A commit made before intake recorded sources: the input's name and row only
    /// (`--source NAME [--row N]`); its claim records none.
    Named { name: String, row: Option<usize> },
}

/// A first notice to commit: the admitted claim, the files that came with it, and where it
/// came from (recorded as the command's arguments, and written on the claim).
#[derive(Clone, Debug, PartialEq)]
pub struct FirstNotice {
    pub origin: Origin,
    pub claim: Claim,
    /// The attachments, repository-relative.
    pub files: Vec<File>,
}

/// What intake makes of an item before admitting it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Not taken in before: to admit.
    New,
    /// Already on a claim of the office (`same_content` false: the same Message-ID, another
    /// message).
    Imported { claim: String, same_content: bool },
    /// The same as an earlier item of this batch (its index), which alone is taken in.
    Repeats { earlier: usize, same_content: bool },
}

/// Which of a batch's items are already in the office — by Message-ID, else by fingerprint,
/// looked up in the register — or repeat an earlier item of the batch (`None`: an item that
/// could not be read, which is new).
pub fn seen_before(desk: &Desk, sources: &[Option<&IntakeSource>]) -> Result<Vec<Seen>> {
    let office = desk.records.register()?.imported();
    let mut batch: SourceIndex<usize> = SourceIndex::default();
    let mut out = Vec::with_capacity(sources.len());
    for (i, source) in sources.iter().enumerate() {
        let Some(s) = source else {
            out.push(Seen::New);
            continue;
        };
        out.push(if let Some(p) = office.find(s) {
            Seen::Imported {
                claim: p.at.clone(),
                same_content: p.same_content,
            }
        } else if let Some(p) = batch.find(s) {
            Seen::Repeats {
                earlier: *p.at,
                same_content: p.same_content,
            }
        } else {
            batch.add(i, s);
            Seen::New
        });
    }
    Ok(out)
}

/// An item already taken in, as the tool says it: `batch.csv: row 12: already imported as
/// CLM-...`.
pub fn already_imported(source: &IntakeSource, claim: &str, same_content: bool) -> String {
    let mut s = format!("{}: already imported as {claim}", source.item());
    if !same_content {
        s.push_str(&format!(
            " (this copy differs from the message taken in: if it corrects the notice, add what it says to {claim} with `claims complete`, `claims update` or `claims note`)"
        ));
    }
    s
}

impl Origin {
    /// Where an intake commit's notice came from, by its `Args:` trailer.
    pub fn recorded(args: &str) -> std::result::Result<Origin, String> {
        let mut r = Reader::parse(args)?;
        let via = r.optional("via")?;
        let row = r
            .optional("row")?
            .map(|n| {
                n.parse()
                    .map_err(|_| format!("--row `{n}` is not a number"))
            })
            .transpose()?;
        let origin = match via {
            Some(v) => Origin::Source(IntakeSource {
                via: Via::parse(&v).ok_or_else(|| format!("--via `{v}` is not an intake input"))?,
                file: r.optional("source")?,
                row,
                message_id: r.optional("message-id")?,
                fingerprint: r.required("fingerprint")?.parse()?,
            }),
            None => Origin::Named {
                name: r.required("source")?,
                row,
            },
        };
        r.done()?;
        Ok(origin)
    }

    /// As a person reads it: `batch.csv row 12 (sha256:...)`, or the name and row of an
    /// earlier commit.
    pub fn describe(&self) -> String {
        match self {
            Origin::Source(s) => s.describe(),
            Origin::Named { name, row: Some(r) } => format!("{name} row {r}"),
            Origin::Named { name, row: None } => name.clone(),
        }
    }
}

impl FirstNotice {
    pub fn record(&self, r: &mut Recorder) {
        match &self.origin {
            Origin::Source(s) => {
                r.flag("via", s.via.as_str())
                    .opt("source", &s.file)
                    .opt("row", &s.row)
                    .opt("message-id", &s.message_id)
                    .flag("fingerprint", &s.fingerprint);
            }
            Origin::Named { name, row } => {
                r.flag("source", name).opt("row", row);
            }
        }
    }

    /// The recorded notice of a commit: where it came from by the arguments, the claim and
    /// its attachments from the commit itself.
    pub fn recorded(
        args: &str,
        claim: Claim,
        files: Vec<File>,
    ) -> std::result::Result<FirstNotice, String> {
        Ok(FirstNotice {
            origin: Origin::recorded(args)?,
            claim,
            files,
        })
    }

    /// The notice's commit, once it is shown to be an admissible first notice.
    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let mut claim = self.claim.clone();
        claim.source = match &self.origin {
            Origin::Source(s) => Some(s.clone()),
            Origin::Named { .. } => None,
        };
        let claim = &claim;
        let id: ClaimId = claim
            .id
            .parse()
            .map_err(|e| Error::refused(format!("claim id `{}`: {e}", claim.id)))?;
        if id.as_str() != claim.id {
            return Err(Error::refused(format!(
                "claim id `{}` is not written the canonical way ({id})",
                claim.id
            )));
        }
        if desk.records.claim(&id)?.is_some()
            || desk
                .records
                .file(&id.file_path(desk.office.claim_folders()))?
                .is_some()
        {
            return Err(Error::refused(format!("claim {id} already exists")));
        }
        if let Origin::Source(s) = &self.origin {
            // Each item lands once: by the tool, and by the audit judging its commit.
            if let Some(p) = desk.records.register()?.imported().find(s) {
                return Err(Error::refused(already_imported(s, p.at, p.same_content)));
            }
        }
        admissible(desk, claim, &self.files)?;
        let mut change = Change::new(
            format!(
                "intake {}: {} {} via {}",
                claim.id,
                claim.lob,
                claim.status,
                channel_name(claim.channel)
            ),
            desk,
        );
        change.claim = Some(claim.id.clone());
        change
            .trailers
            .push(("Channel".into(), channel_name(claim.channel).into()));
        change
            .trailers
            .push(("Status".into(), claim.status.as_str().into()));
        if let Some(p) = &claim.policy_number {
            change.trailers.push(("Policy".into(), p.clone()));
        }
        if let Some(s) = &claim.source {
            change.trailers.push(("Source".into(), s.place()));
            if let Some(m) = &s.message_id {
                change
                    .trailers
                    .push(("Message-Id".into(), format!("<{m}>")));
            }
            change
                .trailers
                .push(("Fingerprint".into(), s.fingerprint.to_string()));
        }
        change.write_claim(
            &id.file_path(desk.office.claim_folders()),
            None,
            claim.clone(),
        )?;
        change.files.extend(self.files.iter().cloned());
        Ok(change)
    }
}

/// A new claim as only a first notice can be: what intake writes and nothing more.
fn admissible(desk: &Desk, claim: &Claim, files: &[File]) -> Result<()> {
    let refuse = |why: String| {
        Err(Error::refused(format!(
            "{} is not an admissible first notice: {why}",
            claim.id
        )))
    };
    if !claim.status.is_initial() {
        return refuse(format!(
            "a new claim is reported or incomplete, not {}",
            claim.status
        ));
    }
    if claim.received_at > desk.now {
        return refuse(format!(
            "received {} is after the notice was taken ({})",
            claim.received_at.to_rfc3339(),
            desk.now.to_rfc3339()
        ));
    }
    let prefix = &desk.office.office.claim_id_prefix;
    if !claim.id.starts_with(&format!("{prefix}-")) {
        return refuse(format!("the office's claim ids start with {prefix}-"));
    }
    match claim.history.as_slice() {
        [e] if e.event == "intake"
            && e.status == claim.status
            && e.by.eq_ignore_ascii_case(&desk.actor.email)
            && e.at <= desk.now => {}
        _ => {
            return refuse(format!(
                "its history must be one intake event by {} at or before {}",
                desk.actor.email,
                desk.now.to_rfc3339()
            ))
        }
    }
    let decided: Vec<&str> = [
        ("merged_into", claim.merged_into.is_some()),
        ("merged", !claim.merged.is_empty()),
        ("triage", claim.triage.is_some()),
        ("escalation", claim.escalation.is_some()),
        ("assignment", claim.assignment.is_some()),
        ("tasks", !claim.tasks.is_empty()),
        ("documents", !claim.documents.is_empty()),
        ("reserves", !claim.reserves.is_empty()),
        ("settlement", claim.settlement.is_some()),
        ("payments", !claim.payments.is_empty()),
        ("subrogation", claim.subrogation.is_some()),
        ("denial", claim.denial.is_some()),
        ("sla", claim.sla != SlaEvents::default()),
        ("letters", !claim.letters.is_empty()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    if !decided.is_empty() {
        return refuse(format!(
            "a first notice decides nothing, but it has {}",
            decided.join(", ")
        ));
    }
    if let Some(n) = claim
        .notes
        .iter()
        .find(|n: &&Note| !n.by.eq_ignore_ascii_case(&desk.actor.email) || n.at > desk.now)
    {
        return refuse(format!("a note by {} at {}", n.by, n.at.to_rfc3339()));
    }
    // Exactly the files its attachments list, in its own folder.
    let folder = format!(
        "{}/",
        claim
            .id
            .parse::<ClaimId>()
            .map(|i| i.folder(desk.office.claim_folders()))
            .unwrap_or_default()
    );
    let mut listed: Vec<String> = claim
        .attachments
        .iter()
        .map(|a| format!("{folder}{}", a.file))
        .collect();
    listed.sort();
    let mut given: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    given.sort();
    if listed != given
        || claim
            .attachments
            .iter()
            .any(|a| !a.file.starts_with("attachments/"))
    {
        return refuse(format!(
            "its files must be exactly the attachments it lists under {folder}attachments/"
        ));
    }
    // The record itself must be sound: a first notice is nothing `claims check` rejects.
    let no_ids = Default::default();
    let ix = OfficeIndex {
        office: Some(desk.office),
        tz: desk.tz,
        policies: desk.records.policy_lines(),
        claim_ids: &no_ids,
    };
    let path = claim
        .id
        .parse::<ClaimId>()
        .map(|i| i.file_path(desk.office.claim_folders()))
        .unwrap_or_default();
    let structural: Vec<String> = check_claim(claim, &path, &ix)
        .into_iter()
        .filter(|i| severity_of(i.code) == Severity::Error)
        .map(|i| format!("{}: {}", i.code, i.message))
        .collect();
    if !structural.is_empty() {
        return refuse(structural.join("; "));
    }
    Ok(())
}

/// `claims complete ID --set FIELD=VALUE... [--lob L] [--accept-vin]`: fills the missing facts
/// of an incomplete intake; when nothing is missing any more the claim moves to `reported`.
#[derive(Clone, Debug, PartialEq)]
pub struct Complete {
    pub id: ClaimId,
    pub sets: Vec<String>,
    pub lob: Option<String>,
    pub accept_vin: bool,
}

impl Complete {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .each("set", &self.sets)
            .opt("lob", &self.lob)
            .switch("accept-vin", self.accept_vin);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Complete, String> {
        Ok(Complete {
            id: super::claim_id(r)?,
            sets: r.all("set")?,
            lob: r.optional("lob")?,
            accept_vin: r.switch("accept-vin")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let sets = parse_sets(&self.sets, "set with complete")?;
        let lob = self
            .lob
            .as_deref()
            .map(|s| {
                LineOfBusiness::parse(s).ok_or_else(|| {
                    Error::usage(format!(
                        "unknown line of business `{s}` (one of: {})",
                        LineOfBusiness::ALL.map(|l| l.as_str()).join(", ")
                    ))
                })
            })
            .transpose()?;
        let by = &desk.actor.email;
        desk.edit(&self.id, |claim| {
            if claim.status != Status::Incomplete {
                return Err(Error::refused(format!(
                    "{} is {}, not incomplete; correct a reported claim with `claims update`",
                    claim.id, claim.status
                )));
            }
            let mut changes = Vec::new();
            if let Some(l) = lob {
                changes.push(format!("lob: {} -> {l}", claim.lob));
                claim.lob = l;
            }
            for (field, value) in &sets {
                let old = apply_set(claim, field, value)?;
                changes.push(format!(
                    "{field}: {old} -> {}",
                    if value.is_empty() { "(removed)" } else { value }
                ));
            }
            // A state as the CSR typed it: `tx` is TX.
            claim.jurisdiction = claim.jurisdiction.trim().to_ascii_uppercase();
            if let Some(t) = claim.loss.time.clone().filter(|t| !t.trim().is_empty()) {
                claim.loss.time = Some(parse_hhmm(&t).ok_or_else(|| {
                    Error::refused(format!(
                        "loss.time: `{t}` is not a time of day as HH:MM (24-hour, e.g. 14:30)"
                    ))
                })?);
            }
            if let Some(auto) = claim.auto.as_mut() {
                for (i, v) in auto.vehicles.iter_mut().enumerate() {
                    let Some(raw) = v.vin.clone().filter(|s| !s.trim().is_empty()) else {
                        continue;
                    };
                    let parsed = if self.accept_vin || v.vin_check_overridden {
                        Vin::parse_unchecked_digit(&raw)
                    } else {
                        Vin::parse(&raw)
                    };
                    match parsed {
                        Ok(vin) => {
                            if vin.validate().is_err() {
                                v.vin_check_overridden = true;
                            }
                            v.vin = Some(vin.into_string());
                        }
                        Err(e) => {
                            return Err(Error::refused(format!(
                                "auto.vehicles[{i}].vin: VIN `{raw}`: {e}"
                            ))
                            .hint("if the vehicle really carries this VIN, pass --accept-vin"))
                        }
                    }
                }
            }
            let missing = missing_facts(claim);
            let subject = if missing.is_empty() {
                claim.missing.clear();
                claim.record_event(desk.now, by, "completed", Status::Reported);
                format!("complete {}: reported", claim.id)
            } else {
                let s = format!("complete {}: {} still missing", claim.id, missing.len());
                claim.missing = missing;
                s
            };
            if !changes.is_empty() {
                claim.notes.push(Note {
                    at: desk.now,
                    by: by.clone(),
                    text: format!("Completed: {}", changes.join("; ")),
                });
            }
            let mut edit = super::Edit::new(subject);
            if !changes.is_empty() {
                edit.body = Some(changes.join("\n"));
            }
            edit = edit.trailer("Status", claim.status.as_str());
            for (field, _) in &sets {
                edit = edit.trailer("Field", field.clone());
            }
            Ok(edit)
        })
    }
}
