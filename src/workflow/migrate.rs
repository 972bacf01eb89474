//! `claims migrate --to shard|month`: refile every claim of the office the other way
//! ([`ClaimFolders`]), in one commit that also changes authority.yaml's
//! `office.claim_folders` — so the setting and where the claims are never disagree, and the
//! audit replays the move like any other command.
//!
//! Only a person who may manage authority.yaml migrates (it is one of the office's settings).
//! Nothing in a claim changes: each claim's file and every file of its folder (letters,
//! attachments) moves with the same bytes. A claim that is not where the office files it now
//! stops the migration (`claims check` names it, F002): moving it would hide that it was
//! misfiled.

use super::args::{Reader, Recorder};
use super::authority::AUTHORITY_FILE;
use super::change::{Change, File};
use super::desk::Desk;
use super::governance::may_manage;
use crate::domain::claim_id::{claim_in_path, ClaimFolders, ClaimId, ClaimPath};
use crate::error::{Error, Result};

/// `claims migrate --to FOLDERS`.
#[derive(Clone, Debug, PartialEq)]
pub struct Migrate {
    pub to: ClaimFolders,
}

impl Migrate {
    pub fn record(&self, r: &mut Recorder) {
        r.flag("to", self.to);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Migrate, String> {
        Ok(Migrate {
            to: r.required("to")?.parse()?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let who = &desk.actor.email;
        if !may_manage(desk.office, who) {
            return Err(Error::refused(format!(
                "{who} ({}) may not migrate the office's claim folders: it changes authority.yaml, \
                 which takes the manage_authority permission",
                desk.actor.role
            )));
        }
        let from = desk.office.claim_folders();
        if from == self.to {
            return Err(Error::refused(format!(
                "the office already files its claims by {} (authority.yaml's office.claim_folders)",
                self.to
            )));
        }
        let authority = desk
            .records
            .file(AUTHORITY_FILE)?
            .ok_or_else(|| Error::refused("there is no authority.yaml on the branch"))?;
        let authority = String::from_utf8(authority)
            .map_err(|_| Error::refused("authority.yaml is not UTF-8"))?;
        let edited = set_claim_folders(&authority, self.to).ok_or_else(|| {
            Error::refused(
                "authority.yaml's `office:` block is not written so that migrate can add one line \
                 to it (a top-level `office:` followed by indented settings)",
            )
        })?;
        let mut wanted = desk.office.clone();
        wanted.office.claim_folders = self.to;
        if crate::store::files::parse_office(&edited).ok().as_ref() != Some(&wanted) {
            return Err(Error::refused(
                "authority.yaml would read differently after adding `claim_folders`; \
                 nothing was changed",
            ));
        }

        let mut moved: Vec<(String, String, Vec<u8>)> = Vec::new();
        let mut claims = 0usize;
        for (path, bytes) in desk.records.files_under("claims")? {
            let Some((name, kind)) = claim_in_path(&path) else {
                continue; // not a claim's (a README of the folder): it stays
            };
            let id: ClaimId = name.parse().map_err(|e| {
                Error::refused(format!("{path}: not filed under a claim id: {e}"))
                    .hint("`claims check` lists what to mend before migrating")
            })?;
            let (old, new) = match kind {
                ClaimPath::Record => (id.file_path(from), id.file_path(self.to)),
                ClaimPath::InFolder => (id.folder(from), id.folder(self.to)),
            };
            let rest = match kind {
                ClaimPath::Record => (path == old).then_some(""),
                ClaimPath::InFolder => path.strip_prefix(&old).filter(|r| r.starts_with('/')),
            };
            let Some(rest) = rest else {
                return Err(Error::refused(format!(
                    "{path} is not where the office files claim {id} ({}); nothing was moved",
                    id.parent(from)
                ))
                .hint("`claims check` reports it (F002); move it where it belongs first"));
            };
            if kind == ClaimPath::Record {
                claims += 1;
            }
            moved.push((path.clone(), format!("{new}{rest}"), bytes));
        }
        let files = moved.len();
        let mut change = Change::new(
            format!(
                "migrate: claims filed by {} ({claims} claims, {files} files moved)",
                self.to
            ),
            desk,
        );
        change.body = Some(format!(
            "authority.yaml: office.claim_folders {from} -> {}\n\
             Every claim's file and folder moves, with the same content, from {} to {}.",
            self.to,
            example(from),
            example(self.to)
        ));
        change
            .trailers
            .push(("Claims-Moved".into(), claims.to_string()));
        change
            .files
            .push(File::derived(AUTHORITY_FILE, edited.into_bytes()));
        for (old, new, bytes) in moved {
            change.files.push(File::deleted(old));
            change.files.push(File::derived(new, bytes));
        }
        change.facts.push(("claims_moved", claims.to_string()));
        change.facts.push(("files_moved", files.to_string()));
        Ok(change)
    }
}

fn example(folders: ClaimFolders) -> &'static str {
    match folders {
        ClaimFolders::Month => "claims/YYYY/MM/ID.yaml",
        ClaimFolders::Shard => "claims/YYYY/MM/XX/ID.yaml",
    }
}

/// authority.yaml's text with `office.claim_folders` set to `to`, every other line as it was
/// (comments and order kept): the setting's line replaced, or added as the first line of the
/// top-level `office:` block. `None` when there is no such block to add it to.
pub fn set_claim_folders(text: &str, to: ClaimFolders) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = lines
        .iter()
        .position(|l| l.trim_end() == "office:" || l.starts_with("office: #"))?;
    let body = lines[start + 1..]
        .iter()
        .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?
        + start
        + 1;
    let indent: String = lines[body].chars().take_while(|c| *c == ' ').collect();
    if indent.is_empty() {
        return None;
    }
    let line = format!("{indent}claim_folders: {to}\n");
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let end = lines[body..]
        .iter()
        .position(|l| !l.trim().is_empty() && !l.starts_with(' ') && !l.starts_with('#'))
        .map_or(lines.len(), |n| n + body);
    match (body..end).find(|&i| {
        lines[i]
            .strip_prefix(indent.as_str())
            .is_some_and(|rest| rest.starts_with("claim_folders:"))
    }) {
        Some(i) => out[i] = line,
        None => out.insert(body, line),
    }
    Some(out.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_is_added_to_the_office_block_and_nothing_else_moves() {
        let text = "# Harbor Point\noffice:\n  # who we are\n  name: Harbor Point\n  timezone: America/Chicago\nroles: []\n";
        let shard = set_claim_folders(text, ClaimFolders::Shard).unwrap();
        assert_eq!(
            shard,
            "# Harbor Point\noffice:\n  # who we are\n  claim_folders: shard\n  name: Harbor Point\n  timezone: America/Chicago\nroles: []\n"
        );
        let back = set_claim_folders(&shard, ClaimFolders::Month).unwrap();
        assert_eq!(
            back,
            shard.replace("claim_folders: shard", "claim_folders: month")
        );
        assert_eq!(set_claim_folders("roles: []\n", ClaimFolders::Shard), None);
        assert_eq!(
            set_claim_folders("office: {name: x}\n", ClaimFolders::Shard),
            None
        );
    }

    #[test]
    fn the_sample_office_reads_the_same_but_for_the_setting() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/authority.yaml"))
            .unwrap();
        let before = crate::store::files::parse_office(&text).unwrap();
        let after = crate::store::files::parse_office(
            &set_claim_folders(&text, ClaimFolders::Shard).unwrap(),
        )
        .unwrap();
        let mut want = before.clone();
        want.office.claim_folders = ClaimFolders::Shard;
        assert_eq!(after, want);
        assert_ne!(after, before);
    }
}
