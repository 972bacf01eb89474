//! The release of an approved settlement: written from the office's template for the kind of
//! release the line and the exposure take, naming the releasor and the releasee
//! ([`crate::domain::release`]), then recorded signed — by the releasor, or a representative
//! of theirs on file.

use chrono::NaiveDate;

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use super::settlement::secured_party_on_file;
use crate::domain::claim::{ApprovalState, Claim, Release};
use crate::domain::claim_id::ClaimId;
use crate::domain::exposure::{settled_by, Exposure};
use crate::domain::release::{release_parties, ReleaseKind, ReleaseParties};
use crate::error::{Error, Result};

/// `claims release ID [--claimant NAME]` writes the release; `claims release ID --signed-by
/// NAME --on DATE` records it signed.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteRelease {
    pub id: ClaimId,
    /// Whose release it is, where the file lists several (injured people, other drivers).
    pub claimant: Option<String>,
    pub signed_by: Option<String>,
    pub on: Option<NaiveDate>,
}

impl WriteRelease {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .opt("claimant", &self.claimant)
            .opt("signed-by", &self.signed_by)
            .opt("on", &self.on);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<WriteRelease, String> {
        Ok(WriteRelease {
            id: super::claim_id(r)?,
            claimant: r.optional("claimant")?,
            signed_by: r.optional("signed-by")?,
            on: super::date(r.optional("on")?, "on")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        desk.edit(&self.id, |claim| {
            let Some(s) = claim
                .settlement
                .as_ref()
                .filter(|s| s.state == ApprovalState::Effective)
            else {
                return Err(Error::refused(format!(
                    "{} has no approved settlement to release",
                    claim.id
                )));
            };
            let exposure = settled_by(claim, s);
            match &self.signed_by {
                Some(who) => {
                    if self.claimant.is_some() {
                        return Err(Error::usage(
                            "--claimant chooses whose release is written; the signature is the releasor's",
                        ));
                    }
                    sign(desk, claim, exposure, who.trim(), self.on)
                }
                None => write(desk, claim, exposure, self.claimant.as_deref()),
            }
        })
    }
}

/// The parties as the claim stands, or why the file cannot name them.
fn parties(claim: &Claim, exposure: Exposure, claimant: Option<&str>) -> Result<ReleaseParties> {
    release_parties(claim, exposure, claimant).map_err(Error::refused)
}

fn write(
    desk: &Desk,
    claim: &mut Claim,
    exposure: Exposure,
    claimant: Option<&str>,
) -> Result<Edit> {
    let s = claim.settlement.as_ref().expect("an approved settlement");
    if s.release.is_some() {
        return Err(Error::refused(format!(
            "{} already has its release",
            claim.id
        )));
    }
    let p = parties(claim, exposure, claimant)?;
    let missing = p.missing();
    if !missing.is_empty() {
        let what: Vec<String> = missing
            .iter()
            .map(|(field, what)| format!("{what} (`{field}`)"))
            .collect();
        let mut e = Error::refused(format!(
            "{}: the {} release needs {}, which the claim lacks; nothing was written",
            claim.id,
            p.kind.as_str().replace('_', " "),
            what.join(" and ")
        ));
        for (field, _) in &missing {
            e = e.hint(format!(
                "record it: `claims update {} --set {field}=\"...\" --reason \"...\"`",
                claim.id
            ));
        }
        return Err(e);
    }
    let templates = desk.records.templates()?;
    let kind = p.kind.as_str();
    let state_template = format!("release_{kind}_{}", claim.jurisdiction.to_ascii_lowercase());
    let template = if templates.has(&state_template) {
        state_template
    } else {
        format!("release_{kind}")
    };
    let representative = p.releasor.representatives.first().cloned();
    let releasor = serde_json::json!({
        "name": p.releasor.name,
        "address": p.releasor.address,
        "role": p.releasor.role,
    });
    let secured_party = exposure
        .secured_interest()
        .and_then(|i| secured_party_on_file(claim, desk.policy_of(claim), i));
    let ctx = serde_json::json!({
        "office": desk.office.office,
        "today": desk.today().to_string(),
        "claim": claim,
        "amount": s.total().to_string(),
        "paid_before": s.paid_before.map(|m| m.to_string()),
        "exposure": exposure.in_words(),
        "state": claim.jurisdiction,
        "releasor": releasor,
        "releasee": { "name": p.releasee, "role": p.releasee_role },
        "representative": representative,
        "secured_party": secured_party,
        "property_description": property_description(claim, &p, exposure),
        // The names the office's older templates use.
        "claimant": releasor,
        "attorney": representative,
    });
    let text = templates
        .render(&template, &ctx)
        .map_err(|e| Error::refused(format!("the release cannot be written: {e}")))?;
    let releasor_name = p.releasor.name.clone().unwrap_or_default();
    let (file, letter) = super::file_letter(
        desk.office.claim_folders(),
        claim,
        &template,
        "releasor",
        desk.now,
        text,
    )?;
    claim.settlement.as_mut().expect("checked").release = Some(Release {
        kind: kind.to_string(),
        letter: file,
        releasor: Some(releasor_name.clone()),
        releasor_field: Some(p.releasor.field.clone()),
        releasee: Some(p.releasee.clone()),
        signed_by: None,
        signed_on: None,
    });
    let mut edit = Edit::new(format!(
        "release {}: {} release for {releasor_name} to sign",
        claim.id,
        kind.replace('_', " ")
    ))
    .trailer("Releasor", releasor_name)
    .trailer("Releasee", p.releasee);
    edit.files.push(letter);
    Ok(edit)
}

/// What the release is for, in words: the vehicle or property it pays for.
fn property_description(claim: &Claim, p: &ReleaseParties, exposure: Exposure) -> Option<String> {
    let auto = claim.auto.as_ref();
    match exposure {
        Exposure::ThirdPartyProperty if claim.lob.is_auto() => {
            let i: usize = p
                .releasor
                .field
                .strip_prefix("auto.other_parties[")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|n| n.parse().ok())?;
            auto.and_then(|a| a.other_parties.get(i))
                .and_then(|o| o.vehicle.clone())
        }
        Exposure::ThirdPartyProperty => claim.liability.as_ref().and_then(|l| l.allegation.clone()),
        Exposure::Vehicle | Exposure::Rental => auto
            .and_then(|a| a.vehicles.first())
            .map(|v| v.description()),
        _ => claim
            .property
            .as_ref()
            .and_then(|p| p.property_address.clone())
            .map(|a| format!("the property at {a}")),
    }
    .filter(|d| !d.trim().is_empty())
}

fn sign(
    desk: &Desk,
    claim: &mut Claim,
    exposure: Exposure,
    who: &str,
    on: Option<NaiveDate>,
) -> Result<Edit> {
    let on = on.ok_or_else(|| Error::usage("--signed-by needs --on DATE"))?;
    if on > desk.today() {
        return Err(Error::refused(format!("--on {on} is in the future")));
    }
    let s = claim.settlement.as_ref().expect("an approved settlement");
    let Some(r) = s.release.as_ref() else {
        return Err(Error::refused(format!(
            "{} has no release written yet (`claims release {}`)",
            claim.id, claim.id
        )));
    };
    if let (Some(by), Some(when)) = (&r.signed_by, r.signed_on) {
        return Err(Error::refused(format!(
            "{}: the release was already signed by {by} on {when}",
            claim.id
        )));
    }
    let written = claim
        .letters
        .iter()
        .find(|l| l.file == r.letter)
        .map(|l| l.at.with_timezone(&desk.tz).date_naive());
    if let Some(w) = written.filter(|w| on < *w) {
        return Err(Error::refused(format!(
            "--on {on} is before the release was written ({w})"
        )));
    }
    // The releasor the letter names; their representatives as the file stands now.
    let p = parties(claim, exposure, r.releasor.as_deref())?;
    let releasor = &p.releasor;
    if !releasor.may_be_signed_by(who) {
        let name = releasor.name.as_deref().unwrap_or("the releasor");
        let reps: Vec<&str> = releasor
            .representatives
            .iter()
            .filter_map(|r| r.name.as_deref())
            .collect();
        let hint = match p.kind {
            ReleaseKind::FirstParty => format!(
                "where the insured is an organization, the person who signs for it is the one the claim records reporting for it (`claims update {} --set reporter.name=...`)",
                claim.id
            ),
            _ => {
                let field = if releasor.field == "liability.claimant" {
                    "liability.attorney".to_string()
                } else {
                    format!("{}.representative", releasor.field)
                };
                format!(
                    "a representative who signs for them is recorded first: `claims update {} --set {field}.name=\"...\" --reason \"...\"`",
                    claim.id
                )
            }
        };
        return Err(Error::refused(format!(
            "--signed-by {who}: the release is given by {name} ({}){}; they sign it, or someone on file who acts for them",
            releasor.role,
            if reps.is_empty() {
                String::new()
            } else {
                format!(", represented by {}", reps.join(", "))
            }
        ))
        .hint(hint));
    }
    let signer = match releasor.representative(who) {
        Some(rep) if releasor.name.as_deref() != Some(who) => format!(
            "{who}{} for {}",
            rep.relationship
                .as_deref()
                .map(|r| format!(", {r},"))
                .unwrap_or_default(),
            releasor.name.as_deref().unwrap_or("the releasor")
        ),
        _ => who.to_string(),
    };
    let r = claim
        .settlement
        .as_mut()
        .and_then(|s| s.release.as_mut())
        .expect("checked above");
    r.signed_by = Some(who.to_string());
    r.signed_on = Some(on);
    Ok(
        Edit::new(format!("release {}: signed by {signer} on {on}", claim.id))
            .trailer("Signed-By", who),
    )
}
