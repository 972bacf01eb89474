//! The commands that change authority.yaml, under the rules of [`super::governance`]:
//!
//! - `claims authority propose`: a manager's edit of the file. Settings alone (or anything, in
//!   an office with a single manager) take effect at once; a change to people, roles, the
//!   matrix or governance waits as a proposal under `proposals/authority/` for a second
//!   manager;
//! - `claims authority approve ID`: that second manager applies it, exactly as proposed, if
//!   authority.yaml has not changed since;
//! - `claims authority reject ID`: the proposer or a manager withdraws it;
//! - `claims keys rotate`: a person replaces their own signing key, signing with the old one;
//!   the old key stays on file as retired, so their earlier commits still verify.

use serde::{Deserialize, Serialize};

use super::args::{Reader, Recorder};
use super::change::{Change, File};
use super::desk::Desk;
use super::governance::{differences, may_manage, own_interest, single_manager, Difference};
use crate::domain::claim::Timestamp;
use crate::domain::office::{parse_signing_key, Office};
use crate::domain::yaml::to_canonical_yaml;
use crate::error::{Error, Result};

pub const AUTHORITY_FILE: &str = "authority.yaml";
pub const PROPOSALS: &str = "proposals/authority";

/// A change to authority.yaml waiting for a second manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub id: String,
    pub proposed_by: String,
    pub proposed_at: Timestamp,
    pub reason: String,
    /// The git blob id of the authority.yaml it changes: it applies to that version only.
    pub base: String,
    /// What it changes, for the reader.
    pub changes: Vec<String>,
    /// The whole proposed authority.yaml.
    pub authority_yaml: String,
}

impl Proposal {
    pub fn path_of(id: &str) -> String {
        format!("{PROPOSALS}/{id}.yaml")
    }

    /// A proposal file, read within the bounds of every record.
    pub fn parse(bytes: &[u8]) -> std::result::Result<Proposal, String> {
        let text = crate::bounds::text(bytes).map_err(|b| b.to_string())?;
        crate::store::files::parse_yaml(text).map_err(|f| {
            format!(
                "{}:{}: error[{}]: {}",
                f.line, f.column, f.issue.code, f.issue.message
            )
        })
    }
}

/// The id git gives a file's content (its blob id), in hex.
pub fn blob_id(bytes: &[u8]) -> String {
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn current(desk: &Desk) -> Result<Vec<u8>> {
    desk.records
        .file(AUTHORITY_FILE)?
        .ok_or_else(|| Error::refused("there is no authority.yaml on the branch"))
}

fn refuse_own(before: &Office, after: &Office, who: &str, doing: &str) -> Result<()> {
    let own = own_interest(before, after, who);
    if own.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "{who} may not {doing} a change to their own authority: {}",
        own.join("; ")
    ))
    .hint("another manager proposes it; a signing key is replaced with `claims keys rotate`"))
}

fn listed(diffs: &[Difference]) -> Vec<String> {
    diffs.iter().map(|d| d.text.clone()).collect()
}

/// `claims authority propose [FILE] --reason TEXT`.
#[derive(Clone, Debug, PartialEq)]
pub struct Propose {
    pub reason: String,
    /// The proposed authority.yaml (brought by the user; the commit carries it).
    pub text: String,
}

impl Propose {
    pub fn record(&self, r: &mut Recorder) {
        r.flag("reason", &self.reason);
    }

    /// The recorded command: the proposed text is the proposal the commit adds, or else the
    /// authority.yaml it commits.
    pub fn recorded(
        args: &str,
        proposal: Option<&[u8]>,
        authority: Option<&[u8]>,
    ) -> std::result::Result<Propose, String> {
        let mut r = Reader::parse(args)?;
        let reason = r.required("reason")?;
        r.done()?;
        let text = match proposal {
            Some(bytes) => {
                let p = Proposal::parse(bytes)
                    .map_err(|e| format!("the proposal does not read: {e}"))?;
                p.authority_yaml
            }
            None => String::from_utf8(authority.ok_or("no authority.yaml")?.to_vec())
                .map_err(|_| "authority.yaml is not UTF-8".to_string())?,
        };
        Ok(Propose { reason, text })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            return Err(Error::refused(
                "--reason must say why authority.yaml changes",
            ));
        }
        let who = &desk.actor.email;
        let before = desk.office;
        if !may_manage(before, who) {
            return Err(Error::refused(format!(
                "{who} ({}) may not change authority.yaml: it takes the manage_authority permission",
                desk.actor.role
            )));
        }
        let after = crate::store::files::parse_office(&self.text)?;
        let issues = crate::check::rules::check_office(&after);
        if let Some(i) = issues.first() {
            return Err(Error::refused(format!(
                "the proposed authority.yaml is not valid: error[{}] {}",
                i.code, i.message
            ))
            .hint("`claims check authority.yaml` lists every problem"));
        }
        if let Some(why) = super::governance::moves_claims(before, &after) {
            return Err(Error::refused(why));
        }
        let diffs = differences(before, &after);
        if diffs.is_empty() {
            return Err(Error::refused(
                "the proposed authority.yaml changes nothing",
            ));
        }
        refuse_own(before, &after, who, "propose")?;
        let base = current(desk)?;
        let governed = diffs.iter().any(Difference::governed);
        let mut change = Change::new(String::new(), desk);
        change.body = Some(listed(&diffs).join("\n"));
        if !governed || single_manager(before) {
            change.subject = format!("authority: {reason}");
            change
                .trailers
                .push(("Changes".into(), diffs.len().to_string()));
            change.files.push(File::derived(
                AUTHORITY_FILE,
                self.text.clone().into_bytes(),
            ));
            return Ok(change);
        }
        let id = format!(
            "AUTH-{}",
            &blob_id(format!("{}\n{}", blob_id(&base), self.text).as_bytes())[..10]
        );
        let proposal = Proposal {
            id: id.clone(),
            proposed_by: who.clone(),
            proposed_at: desk.now,
            reason: reason.clone(),
            base: blob_id(&base),
            changes: listed(&diffs),
            authority_yaml: self.text.clone(),
        };
        let path = Proposal::path_of(&id);
        if desk.records.file(&path)?.is_some() {
            return Err(Error::refused(format!("proposal {id} is waiting already")));
        }
        let yaml = to_canonical_yaml(&proposal)
            .map_err(|e| Error::refused(format!("cannot write {path}: {e}")))?;
        change.subject = format!("authority propose {id}: {reason}");
        change.trailers.push(("Proposal".into(), id));
        change.files.push(File::derived(path, yaml.into_bytes()));
        Ok(change)
    }
}

fn proposal_at(desk: &Desk, id: &str) -> Result<Proposal> {
    let path = Proposal::path_of(id);
    let bytes = desk.records.file(&path)?.ok_or_else(|| {
        Error::refused(format!("no proposal {id} waits (no {path} on the branch)"))
            .hint("`claims authority proposals` lists those waiting")
    })?;
    Proposal::parse(&bytes).map_err(|e| Error::refused(format!("{path} does not read: {e}")))
}

/// `claims authority approve ID [--note TEXT]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApproveProposal {
    pub id: String,
    pub note: Option<String>,
}

impl ApproveProposal {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<ApproveProposal, String> {
        Ok(ApproveProposal {
            id: r.positional("proposal id")?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let p = proposal_at(desk, &self.id)?;
        let who = &desk.actor.email;
        let before = desk.office;
        if !may_manage(before, who) {
            return Err(Error::refused(format!(
                "{who} ({}) may not approve changes to authority.yaml: it takes the manage_authority permission",
                desk.actor.role
            )));
        }
        if p.proposed_by.eq_ignore_ascii_case(who) {
            return Err(Error::refused(format!(
                "{who} proposed {}; a second manager approves it",
                p.id
            )));
        }
        if !may_manage(before, &p.proposed_by) {
            return Err(Error::refused(format!(
                "{} no longer may change authority.yaml; their proposal {} cannot take effect",
                p.proposed_by, p.id
            )));
        }
        if blob_id(&current(desk)?) != p.base {
            return Err(Error::refused(format!(
                "authority.yaml changed since {} was proposed; it would undo that change",
                p.id
            ))
            .hint("reject it and propose it again on the file as it is now"));
        }
        let after = crate::store::files::parse_office(&p.authority_yaml)?;
        refuse_own(before, &after, &p.proposed_by, "propose")?;
        refuse_own(before, &after, who, "approve")?;
        let mut change = Change::new(format!("authority approve {}: {}", p.id, p.reason), desk);
        change.body = Some(
            listed(&differences(before, &after))
                .into_iter()
                .chain(self.note.as_deref().map(|n| format!("Note: {}", n.trim())))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        change.trailers.push(("Proposal".into(), p.id.clone()));
        change
            .trailers
            .push(("Proposed-By".into(), p.proposed_by.clone()));
        change
            .files
            .push(File::derived(AUTHORITY_FILE, p.authority_yaml.into_bytes()));
        change.files.push(File::deleted(Proposal::path_of(&p.id)));
        Ok(change)
    }
}

/// `claims authority reject ID --reason TEXT`.
#[derive(Clone, Debug, PartialEq)]
pub struct RejectProposal {
    pub id: String,
    pub reason: String,
}

impl RejectProposal {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id).flag("reason", &self.reason);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<RejectProposal, String> {
        Ok(RejectProposal {
            id: r.positional("proposal id")?,
            reason: r.required("reason")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let p = proposal_at(desk, &self.id)?;
        let who = &desk.actor.email;
        if !(p.proposed_by.eq_ignore_ascii_case(who) || may_manage(desk.office, who)) {
            return Err(Error::refused(format!(
                "{who} may not reject {}: only its proposer or a manager",
                p.id
            )));
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(Error::refused("--reason must say why"));
        }
        let mut change = Change::new(format!("authority reject {}: {reason}", p.id), desk);
        change.trailers.push(("Proposal".into(), p.id.clone()));
        change.files.push(File::deleted(Proposal::path_of(&p.id)));
        Ok(change)
    }
}

/// `claims keys rotate --key PUBLIC-KEY`: the actor's own new signing key.
#[derive(Clone, Debug, PartialEq)]
pub struct RotateKey {
    pub key: String,
}

impl RotateKey {
    pub fn record(&self, r: &mut Recorder) {
        r.flag("key", &self.key);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<RotateKey, String> {
        Ok(RotateKey {
            key: r.required("key")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let who = &desk.actor.email;
        let new =
            parse_signing_key(&self.key).map_err(|e| Error::refused(format!("--key: {e}")))?;
        let text = match &new {
            crate::domain::office::SigningKey::Ssh(t) => t.clone(),
            crate::domain::office::SigningKey::OpenPgp(f) => format!("openpgp:{f}"),
        };
        let same = |k: &str| parse_signing_key(k).is_ok_and(|k| k == new);
        for p in &desk.office.people {
            let held = p.signing_key.as_deref().is_some_and(same)
                || p.retired_keys.iter().any(|r| same(&r.key));
            if held {
                return Err(Error::refused(if p.email.eq_ignore_ascii_case(who) {
                    format!("{who} has used that key already; a rotation takes a new key")
                } else {
                    format!("that key is {}'s in authority.yaml", p.email)
                }));
            }
        }
        let before = String::from_utf8(current(desk)?)
            .map_err(|_| Error::refused("authority.yaml is not UTF-8"))?;
        let after =
            crate::domain::authority_file::rotate_key(&before, desk.office, who, &text, desk.now)
                .map_err(Error::refused)?;
        let mut change = Change::new(format!("keys rotate: {who}"), desk);
        change.body = Some(format!(
            "{who} signs with a new key from now on; the old one is kept as retired until {}, so earlier commits still verify.",
            desk.now.to_rfc3339()
        ));
        change.trailers.push(("Key".into(), text));
        change
            .files
            .push(File::derived(AUTHORITY_FILE, after.into_bytes()));
        Ok(change)
    }
}
