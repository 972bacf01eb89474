//! Checkpoints: the tips `claims audit` verified, kept where the history cannot quietly drop
//! them. Each clean audit of the branch records its tip in `refs/claims/audited` (this clone's
//! own memory) and, when the auditor signs as a person whose role may `audit`, as a signed
//! annotated tag `claims/checkpoint/<time>-<commit>` — a tag travels with the branch
//! (`git push --follow-tags`, fetched with the commits it points to), so every clone learns
//! which histories were verified, and `git verify-tag` checks it.

use git2::{ObjectType, Oid, Repository};

use super::git::Identity;
use super::signing::Signer;
use crate::error::Result;

pub const LOCAL: &str = "refs/claims/audited";
pub const TAGS: &str = "refs/tags/claims/checkpoint/";

/// A checkpoint as found in the repository.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    /// `refs/claims/audited` or the tag's ref name.
    pub name: String,
    pub commit: Oid,
    /// For a tag: the tagger, when, and the signature over the tag's content.
    pub signed: Option<Signed>,
}

#[derive(Clone, Debug)]
pub struct Signed {
    pub tagger: String,
    pub when: git2::Time,
    pub payload: Vec<u8>,
    /// The armored signature, if the tag carries one.
    pub signature: Option<String>,
}

/// Every checkpoint the repository holds: the local one, then the tags, oldest first.
pub fn checkpoints(repo: &Repository) -> Result<Vec<Checkpoint>> {
    let mut out = Vec::new();
    if let Ok(r) = repo.find_reference(LOCAL) {
        if let Some(id) = r.target() {
            out.push(Checkpoint {
                name: LOCAL.into(),
                commit: id,
                signed: None,
            });
        }
    }
    let mut tags = Vec::new();
    for r in repo.references_glob(&format!("{TAGS}*"))? {
        let r = r?;
        let (Some(name), Some(id)) = (r.name().ok().map(str::to_string), r.target()) else {
            continue;
        };
        let odb = repo.odb()?;
        let Ok(object) = odb.read(id) else { continue };
        if object.kind() != ObjectType::Tag {
            // A lightweight tag signs nothing: it counts as unsigned.
            tags.push(Checkpoint {
                name,
                commit: id,
                signed: None,
            });
            continue;
        }
        let data = object.data().to_vec();
        let tag = repo.find_tag(id)?;
        let tagger = tag.tagger();
        let at = [
            &b"-----BEGIN SSH SIGNATURE-----"[..],
            b"-----BEGIN PGP SIGNATURE-----",
        ]
        .iter()
        .filter_map(|m| memchr::memmem::rfind(&data, m))
        .max();
        tags.push(Checkpoint {
            name,
            commit: tag.target_id(),
            signed: Some(Signed {
                tagger: tagger
                    .as_ref()
                    .and_then(|t| t.email().ok().map(str::to_string))
                    .unwrap_or_default(),
                when: tagger.as_ref().map_or(git2::Time::new(0, 0), |t| t.when()),
                payload: data[..at.unwrap_or(data.len())].to_vec(),
                signature: at.map(|i| String::from_utf8_lossy(&data[i..]).trim_end().to_string()),
            }),
        });
    }
    tags.sort_by_key(|c| c.signed.as_ref().map_or(0, |s| s.when.seconds()));
    out.extend(tags);
    Ok(out)
}

/// Remembers `commit` as audited in this clone.
pub fn record_local(repo: &Repository, commit: Oid) -> Result<()> {
    repo.reference(LOCAL, commit, true, "claims audit: verified")?;
    Ok(())
}

/// Records `commit` as audited in a signed annotated tag; returns the tag's name. A tag on
/// that commit already there is kept.
pub fn record_signed(
    repo: &Repository,
    commit: Oid,
    signer: &dyn Signer,
    who: &Identity,
    message: &str,
) -> Result<String> {
    for c in checkpoints(repo)? {
        if c.commit == commit && c.signed.is_some() {
            return Ok(c.name.trim_start_matches("refs/tags/").to_string());
        }
    }
    let stamp = who
        .when
        .with_timezone(&chrono::Utc)
        .format("%Y%m%dT%H%M%SZ");
    let short = &commit.to_string()[..12];
    let name = format!("claims/checkpoint/{stamp}-{short}");
    let offset = who.when.offset().local_minus_utc() / 60;
    let (sign, offset) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    let mut payload = format!(
        "object {commit}\ntype commit\ntag {name}\ntagger {} <{}> {} {sign}{:02}{:02}\n\n{}\n",
        who.name,
        who.email,
        who.when.timestamp(),
        offset / 60,
        offset % 60,
        message.trim_end()
    );
    let signature = signer.sign(payload.as_bytes())?;
    payload.push_str(&signature);
    payload.push('\n');
    let id = repo.odb()?.write(ObjectType::Tag, payload.as_bytes())?;
    repo.reference(
        &format!("refs/tags/{name}"),
        id,
        false,
        "claims audit: checkpoint",
    )?;
    Ok(name)
}
