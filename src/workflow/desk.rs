//! The desk a command is worked at: the office as it stood at the parent commit (authority.yaml,
//! policies, templates, every claim), who is acting, and the time. Commands read nothing else.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::change::{Change, ClaimEdit, Edit, File};
use super::register::Register;
use crate::check::finding::{severity_of, Severity};
use crate::check::rules::{check_claim, OfficeIndex};
use crate::domain::calendar::BusinessCalendar;
use crate::domain::claim::{Claim, LineOfBusiness, Timestamp};
use crate::domain::claim_id::ClaimId;
use crate::domain::office::{Office, Permission, Person, Role};
use crate::domain::policy::Policy;
use crate::domain::yaml::to_canonical_yaml;
use crate::error::{Error, Result};
use crate::letters::LetterTemplates;

/// The files of the office at the parent commit, as a command may read them. The store reads
/// them from git; tests can hold them in memory.
pub trait Records {
    /// The claim file at `id.file_path(self.office.claim_folders())`, parsed; `None` when there is none.
    fn claim(&self, id: &ClaimId) -> Result<Option<Claim>>;
    /// Every policy in policies/ that parses, by number.
    fn policies(&self) -> &HashMap<String, Policy>;
    /// Policy number → line of business (for the claim rules).
    fn policy_lines(&self) -> &HashMap<String, LineOfBusiness>;
    /// templates/*.txt.j2, parsed.
    fn templates(&self) -> Result<&LetterTemplates>;
    /// Every claim's standing, for duplicates and caseloads.
    fn register(&self) -> Result<&Register>;
    /// Any other file's bytes (authority.yaml's own text, a proposal).
    fn file(&self, path: &str) -> Result<Option<Vec<u8>>>;
    /// Every file at any depth under `folder`, with its bytes, sorted by path.
    fn files_under(&self, folder: &str) -> Result<Vec<(String, Vec<u8>)>>;
}

/// Where and by whom a command is worked.
pub struct Desk<'a> {
    pub office: &'a Office,
    pub tz: chrono_tz::Tz,
    pub calendar: &'a BusinessCalendar,
    pub actor: &'a Person,
    pub role: &'a Role,
    pub now: Timestamp,
    pub records: &'a dyn Records,
}

impl<'a> Desk<'a> {
    /// The desk of the person `email` of `office`, who must be an active person with a role.
    pub fn new(
        office: &'a Office,
        calendar: &'a BusinessCalendar,
        email: &str,
        now: Timestamp,
        records: &'a dyn Records,
    ) -> Result<Desk<'a>> {
        let tz = office_zone(office)?;
        let actor = office.person(email).ok_or_else(|| {
            Error::refused(format!(
                "{email} is not a person in authority.yaml, so they hold no authority here"
            ))
            .hint("a manager adds people to authority.yaml (`claims authority propose`)")
        })?;
        if !actor.active {
            return Err(Error::refused(format!(
                "{email} is no longer active in authority.yaml"
            )));
        }
        let role = office.role(&actor.role).ok_or_else(|| {
            Error::refused(format!(
                "{email}'s role `{}` is not among authority.yaml's roles",
                actor.role
            ))
        })?;
        Ok(Desk {
            office,
            tz,
            calendar,
            actor,
            role,
            now,
            records,
        })
    }

    /// The day it is in the office.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    /// Refuses unless the actor's role grants `what`.
    pub fn require(&self, what: Permission, doing: &str) -> Result<()> {
        if self.role.can.contains(&what) {
            return Ok(());
        }
        Err(Error::refused(format!(
            "{} ({}) may not {doing}: the role lacks the `{}` permission in authority.yaml",
            self.actor.email,
            self.actor.role,
            what.as_str()
        )))
    }

    /// The claim as it stands at the parent; refused when there is none.
    pub fn claim(&self, id: &ClaimId) -> Result<Claim> {
        self.records.claim(id)?.ok_or_else(|| {
            Error::refused(format!(
                "no claim {id} (no file {} on the branch)",
                id.file_path(self.office.claim_folders())
            ))
        })
    }

    /// Changes one claim: `edit` works on a copy of it as it stands at the parent; the result
    /// must keep every claim rule the original kept, and becomes the claim's canonical file
    /// followed by the edit's other files.
    pub fn edit(
        &self,
        id: &ClaimId,
        edit: impl FnOnce(&mut Claim) -> Result<Edit>,
    ) -> Result<Change> {
        let before = self.claim(id)?;
        let mut after = before.clone();
        let e = edit(&mut after)?;
        let mut change = Change::new(e.subject, self);
        change.claim = Some(id.to_string());
        change.body = e.body;
        change.trailers = e.trailers;
        change.mail = e.mail;
        change.facts = e.facts;
        change.warnings = e.warnings;
        self.keep_rules(&before, &after, &id.file_path(self.office.claim_folders()))?;
        change.write_claim(
            &id.file_path(self.office.claim_folders()),
            Some(before),
            after,
        )?;
        change.files.extend(e.files);
        Ok(change)
    }

    /// The policy the claim is filed under, when policies/ holds it.
    pub fn policy_of(&self, claim: &Claim) -> Option<&'a Policy> {
        claim
            .policy_number
            .as_ref()
            .and_then(|n| self.records.policies().get(n))
    }

    /// A change may not introduce claim-rule violations (errors) the claim did not already
    /// have; a warning it raises (a reserve above the policy limit) is the command's to report.
    pub fn keep_rules(&self, before: &Claim, after: &Claim, path: &str) -> Result<()> {
        let no_ids = Default::default();
        let ix = OfficeIndex {
            office: Some(self.office),
            tz: self.tz,
            policies: self.records.policy_lines(),
            claim_ids: &no_ids,
        };
        let old: Vec<_> = check_claim(before, path, &ix)
            .into_iter()
            .map(|i| (i.code, i.field))
            .collect();
        let new: Vec<_> = check_claim(after, path, &ix)
            .into_iter()
            .filter(|i| {
                i.code != "R004"
                    && severity_of(i.code) == Severity::Error
                    && !old.contains(&(i.code, i.field.clone()))
            })
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let mut e = Error::refused(format!(
            "the change would leave {path} invalid; nothing was written"
        ));
        for i in new {
            e = e.hint(format!(
                "error[{}] {}: {}",
                i.code,
                i.field.as_deref().unwrap_or("-"),
                i.message
            ));
        }
        Err(e)
    }
}

/// The office's time zone, refused when authority.yaml names none that exists.
pub fn office_zone(office: &Office) -> Result<chrono_tz::Tz> {
    office
        .office
        .timezone
        .parse::<chrono_tz::Tz>()
        .map_err(|_| {
            Error::refused(format!(
                "authority.yaml: office.timezone `{}` is not an IANA time zone",
                office.office.timezone
            ))
        })
}

impl Change {
    /// Adds the canonical file of `after` at `path` (and what the register needs to follow it).
    pub fn write_claim(&mut self, path: &str, before: Option<Claim>, after: Claim) -> Result<()> {
        let text = to_canonical_yaml(&after)
            .map_err(|e| Error::refused(format!("cannot write {path}: {e}")))?;
        // Never write a record the readers would refuse.
        crate::bounds::check_size(text.len() as u64, crate::bounds::MAX_RECORD_BYTES).map_err(
            |b| match b {
                crate::bounds::Bad::TooLarge { size, limit } => Error::refused(format!(
                    "cannot write {path}: the claim file would be {}, more than the {} this tool reads",
                    crate::bounds::size_words(size),
                    crate::bounds::size_words(limit)
                )),
                other => Error::refused(format!("cannot write {path}: {other}")),
            },
        )?;
        self.files.push(File::derived(path, text.into_bytes()));
        self.claims.push(ClaimEdit {
            path: path.to_string(),
            before,
            after: Some(after),
        });
        Ok(())
    }
}
