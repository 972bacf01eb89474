//! `claims init`: a new office repository with a working signing setup, and (with
//! `--example`) the sample office with a key for every sample person.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::domain::office::{Office, Person};
use crate::domain::yaml::to_canonical_yaml;
use crate::error::{Error, Result};
use crate::store::files::{parse_office, AUTHORITY_FILE};
use crate::store::git::{commit_change, FileChange, Identity, Prepared};
use crate::store::session::{allowed_signers_for, allowed_signers_path, office_now};
use crate::store::signing::{generate_ed25519_key, SshKeyFileSigner};

static SAMPLE_CLAIMS: Dir = include_dir!("$CARGO_MANIFEST_DIR/claims");
static SAMPLE_POLICIES: Dir = include_dir!("$CARGO_MANIFEST_DIR/policies");
static TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");
const SAMPLE_AUTHORITY: &str = include_str!("../../authority.yaml");

pub struct InitRequest {
    pub dir: PathBuf,
    pub example: bool,
    pub name: Option<String>,
    pub email: Option<String>,
    pub office_name: Option<String>,
}

pub struct InitReport {
    pub root: PathBuf,
    pub actor: String,
    pub commit: git2::Oid,
    /// (email, private key path, generated now)
    pub keys: Vec<(String, PathBuf, bool)>,
}

/// Where generated keys live: `CLAIMS_KEY_DIR`, else `$XDG_CONFIG_HOME/claims/keys`, else
/// `~/.config/claims/keys` — outside any repository.
pub fn key_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("CLAIMS_KEY_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("claims").join("keys"));
    }
    let home = std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .ok_or_else(|| {
            Error::environment("HOME is not set; set CLAIMS_KEY_DIR to say where signing keys go")
        })?;
    Ok(PathBuf::from(home)
        .join(".config")
        .join("claims")
        .join("keys"))
}

/// The person's key under the key folder, generated if it is not there yet.
/// The person's signing key: the SSH key git already signs with (registered as it is), or
/// one made for them under the tool's key folder. Returns its path, its public key and
/// whether it was made now.
pub(crate) fn own_key(email: &str) -> Result<(PathBuf, String, bool)> {
    let global = git2::Config::open_default().ok();
    let global_str = |k: &str| global.as_ref().and_then(|c| c.get_string(k).ok());
    Ok(match global_str("user.signingkey") {
        // The user already signs with git: register that key, generate nothing.
        Some(k) if global_str("gpg.format").as_deref() == Some("ssh") => {
            let pub_path = if k.ends_with(".pub") {
                PathBuf::from(&k)
            } else {
                PathBuf::from(format!("{k}.pub"))
            };
            let public = if k.starts_with("ssh-") || k.starts_with("key::") {
                k.trim_start_matches("key::").to_string()
            } else {
                std::fs::read_to_string(expand_home(&pub_path))
                    .map_err(|e| Error::io(pub_path.display(), e))?
            };
            (PathBuf::from(k), strip_comment(&public), false)
        }
        _ => ensure_key(email)?,
    })
}

pub(crate) fn ensure_key(email: &str) -> Result<(PathBuf, String, bool)> {
    let path = key_dir()?.join(email).join("id_ed25519");
    if path.is_file() {
        let public = std::fs::read_to_string(path.with_extension("pub"))
            .map_err(|e| Error::io(path.with_extension("pub").display(), e))?;
        return Ok((path, strip_comment(&public), false));
    }
    let public = generate_ed25519_key(&path, email)?;
    Ok((path, strip_comment(&public), true))
}

fn strip_comment(line: &str) -> String {
    line.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn dir_files(dir: &Dir, prefix: &str, out: &mut Vec<FileChange>) {
    for f in dir.files() {
        out.push(FileChange {
            path: format!("{prefix}/{}", f.path().to_string_lossy().replace('\\', "/")),
            content: Some(f.contents().to_vec()),
        });
    }
    for d in dir.dirs() {
        dir_files(d, prefix, out);
    }
}

pub fn init_office(req: &InitRequest) -> Result<InitReport> {
    let root = &req.dir;
    if root.join(AUTHORITY_FILE).exists() {
        return Err(Error::refused(format!(
            "{} is already a claims office",
            root.display()
        )));
    }
    std::fs::create_dir_all(root).map_err(|e| Error::io(root.display(), e))?;
    let global = git2::Config::open_default().ok();
    let global_str = |k: &str| global.as_ref().and_then(|c| c.get_string(k).ok());

    let sample = parse_office(SAMPLE_AUTHORITY)?;
    let (office_text, actor, keys): (String, Person, Vec<(String, PathBuf, bool)>) = if req.example
    {
        let mut registered = Vec::new();
        let mut keys = Vec::new();
        for p in sample.people.iter().filter(|p| p.active) {
            let (path, public, fresh) = ensure_key(&p.email)?;
            registered.push((p.email.clone(), public));
            keys.push((p.email.clone(), path, fresh));
        }
        let actor = match req.email.as_deref() {
            Some(e) => sample.person(e).cloned().ok_or_else(|| {
                Error::refused(format!("{e} is not one of the sample office's people"))
            })?,
            None => sample
                .people
                .iter()
                .find(|p| p.role == "manager" && p.active)
                .cloned()
                .ok_or_else(|| Error::environment("the sample office has no manager"))?,
        };
        (
            crate::domain::authority_file::with_signing_keys(SAMPLE_AUTHORITY, &registered),
            actor,
            keys,
        )
    } else {
        let email = req
            .email
            .clone()
            .or_else(|| global_str("user.email"))
            .ok_or_else(|| {
                Error::usage(
                    "who runs this office? give --email (or set `git config --global user.email`)",
                )
            })?;
        let name = req
            .name
            .clone()
            .or_else(|| global_str("user.name"))
            .unwrap_or_else(|| email.clone());
        let (path, public, fresh) = own_key(&email)?;
        let mut office: Office = sample.clone();
        office.office.name = req.office_name.clone().unwrap_or_else(|| {
            root.file_name()
                .map_or("Claims office".into(), |n| n.to_string_lossy().to_string())
        });
        let person = Person {
            email: email.clone(),
            name,
            role: "manager".into(),
            phone: None,
            specialties: Vec::new(),
            max_open_claims: None,
            out_of_office: Vec::new(),
            signing_key: Some(public),
            retired_keys: Vec::new(),
            active: true,
        };
        office.people = vec![person.clone()];
        // A new office files its claims by shard: a month's commits cost the same at 1,000
        // claims as at 50,000 (the sample office and older ones stay by month until
        // `claims migrate --to shard`).
        office.office.claim_folders = crate::domain::claim_id::ClaimFolders::Shard;
        let text = format!(
            "# Office settings: people, roles, authority matrix, routing, priority, SLA rules,\n# holiday calendar. Hand-edited; every change is a signed commit `claims audit` reviews.\n{}",
            to_canonical_yaml(&office).map_err(|e| Error::environment(e.to_string()))?
        );
        (text, person, vec![(email, path, fresh)])
    };
    let office = parse_office(&office_text)?;
    let tz: chrono_tz::Tz = office
        .office
        .timezone
        .parse()
        .map_err(|_| Error::refused("bad office time zone"))?;

    let repo = match git2::Repository::open(root) {
        Ok(r) => r,
        Err(_) => {
            let mut opts = git2::RepositoryInitOptions::new();
            opts.initial_head("main");
            git2::Repository::init_opts(root, &opts)?
        }
    };
    let actor_key = keys
        .iter()
        .find(|(e, _, _)| e.eq_ignore_ascii_case(&actor.email))
        .map(|(_, p, _)| p.clone())
        .ok_or_else(|| Error::environment(format!("no key for {}", actor.email)))?;
    {
        let mut cfg = repo.config()?;
        let local = cfg.open_level(git2::ConfigLevel::Local)?;
        cfg = local;
        cfg.set_str("user.name", &actor.name)?;
        cfg.set_str("user.email", &actor.email)?;
        cfg.set_str("gpg.format", "ssh")?;
        cfg.set_str("user.signingkey", &actor_key.to_string_lossy())?;
        cfg.set_bool("commit.gpgsign", true)?;
        let allowed = allowed_signers_path(&repo);
        cfg.set_str("gpg.ssh.allowedSignersFile", &allowed.to_string_lossy())?;
        if req.example {
            for (email, path, _) in &keys {
                cfg.set_str(
                    &format!("claims.{email}.signingkey"),
                    &path.to_string_lossy(),
                )?;
            }
        }
        if let Some(dir) = allowed.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
        }
        std::fs::write(&allowed, allowed_signers_for(&office))
            .map_err(|e| Error::io(allowed.display(), e))?;
    }
    configure_merge_driver(&repo)?;

    let mut files = vec![FileChange {
        path: AUTHORITY_FILE.into(),
        content: Some(office_text.into_bytes()),
    }];
    dir_files(&TEMPLATES, "templates", &mut files);
    // Notices wait in outbox/ for the mail transport; they are not part of the record.
    files.push(FileChange {
        path: ".gitignore".into(),
        content: Some(b"/outbox\n".to_vec()),
    });
    files.push(FileChange {
        path: ".gitattributes".into(),
        content: Some(MERGE_ATTRIBUTES.as_bytes().to_vec()),
    });
    if req.example {
        dir_files(&SAMPLE_POLICIES, "policies", &mut files);
        dir_files(&SAMPLE_CLAIMS, "claims", &mut files);
    } else {
        files.push(FileChange {
            path: "policies/.gitkeep".into(),
            content: Some(Vec::new()),
        });
        files.push(FileChange {
            path: "claims/.gitkeep".into(),
            content: Some(Vec::new()),
        });
    }
    let signer = SshKeyFileSigner::from_file(&expand_home(&actor_key))?;
    let now = office_now(tz)?;
    let identity = Identity {
        name: actor.name.clone(),
        email: actor.email.clone(),
        when: now,
        landed: None,
    };
    let mut args = crate::workflow::args::Recorder::new();
    args.positional(
        root.file_name()
            .map_or("office".into(), |n| n.to_string_lossy().to_string()),
    )
    .switch("example", req.example);
    let message = format!(
        "init: open the office {}{}\n\nCommand: init\nArgs: {}\nActor: {}\nRole: {}\n",
        office.office.name,
        if req.example { " (example data)" } else { "" },
        args.finish(),
        actor.email,
        actor.role
    );
    let commit = commit_change(&repo, &identity, &signer, |_| {
        Ok(Prepared {
            changes: files.clone(),
            message: message.clone(),
            ..Default::default()
        })
    })?;
    Ok(InitReport {
        root: root.clone(),
        actor: actor.email.clone(),
        commit,
        keys,
    })
}

/// The `.gitattributes` line that hands claim files to the claim-aware merge driver.
pub const MERGE_ATTRIBUTES: &str = "claims/**/*.yaml merge=claims\n";

/// Registers `claims merge-file` as this clone's `merge=claims` driver (local git config), so
/// that a plain `git pull` merges two edits of one claim as `claims audit` accepts. The
/// driver is the running binary by its absolute path, else `claims` on PATH.
pub fn configure_merge_driver(repo: &git2::Repository) -> Result<()> {
    let program = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .map_or_else(
            || "claims".to_string(),
            |p| shell_quoted(&p.to_string_lossy()),
        );
    let mut cfg = repo.config()?.open_level(git2::ConfigLevel::Local)?;
    cfg.set_str(
        "merge.claims.name",
        "claims: merge two edits of one claim file",
    )?;
    cfg.set_str(
        "merge.claims.driver",
        &format!("{program} merge-file %O %A %B %P"),
    )?;
    Ok(())
}

/// `s` as one word for the shell git runs the driver with.
fn shell_quoted(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn expand_home(p: &Path) -> PathBuf {
    match (p.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => p.to_path_buf(),
    }
}

/// How authority.yaml stands toward a person joining a clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Listed, active, with this very key: ready to work, in this role.
    Ready { role: String },
    /// Listed, but with another key (or none).
    OtherKey,
    /// Listed, but no longer active.
    Inactive,
    /// Not listed.
    Absent,
}

/// What [`join_office`] set up.
pub struct Joined {
    pub email: String,
    pub name: Option<String>,
    pub key: PathBuf,
    pub public_key: String,
    pub generated: bool,
    pub standing: Standing,
    /// People in the allowed-signers file written.
    pub signers: usize,
}

/// Sets up a person's clone of an office: their git identity, their signing key (the SSH key
/// git signs with, the one given, or one made for them), commits signed by default, and the
/// allowed-signers file from authority.yaml as the branch has it, so plain `git verify-commit`
/// works on every commit. Writes only the clone's own configuration, never a commit: a new
/// person is added to authority.yaml by a manager, through the governed path.
pub fn join_office(root: &Path, email: Option<&str>, key: Option<&Path>) -> Result<Joined> {
    let repo = crate::store::files::open_repository(root)?;
    let office = crate::store::files::load_office(root)?;
    let global = git2::Config::open_default().ok();
    let email = email
        .map(str::to_string)
        .or_else(|| {
            global
                .as_ref()
                .and_then(|c| c.get_string("user.email").ok())
        })
        .ok_or_else(|| {
            Error::usage("who are you? give --email (the address authority.yaml lists for you)")
        })?;
    let (key, public_key, generated) = match key {
        Some(k) => {
            let pub_path = if k.extension().is_some_and(|e| e == "pub") {
                k.to_path_buf()
            } else {
                PathBuf::from(format!("{}.pub", k.display()))
            };
            let public =
                std::fs::read_to_string(&pub_path).map_err(|e| Error::io(pub_path.display(), e))?;
            let private = PathBuf::from(k.to_string_lossy().trim_end_matches(".pub"));
            (private, strip_comment(&public), false)
        }
        None => own_key(&email)?,
    };
    let person = office.person(&email);
    let standing = match person {
        None => Standing::Absent,
        Some(p) if !p.active => Standing::Inactive,
        Some(p) => {
            let theirs = p
                .signing_key
                .as_deref()
                .and_then(|k| crate::domain::office::parse_signing_key(k).ok());
            let this = crate::domain::office::parse_signing_key(&public_key).ok();
            if theirs.is_some() && theirs == this {
                Standing::Ready {
                    role: p.role.clone(),
                }
            } else {
                Standing::OtherKey
            }
        }
    };
    let name = person.map(|p| p.name.clone());
    let allowed = allowed_signers_path(&repo);
    {
        let cfg = repo.config()?.open_level(git2::ConfigLevel::Local)?;
        let mut cfg = cfg;
        cfg.set_str("user.email", &email)?;
        if let Some(n) = &name {
            cfg.set_str("user.name", n)?;
        }
        cfg.set_str("gpg.format", "ssh")?;
        cfg.set_str("user.signingkey", &key.to_string_lossy())?;
        cfg.set_bool("commit.gpgsign", true)?;
        cfg.set_str("gpg.ssh.allowedSignersFile", &allowed.to_string_lossy())?;
    }
    let signers = allowed_signers_for(&office);
    if let Some(dir) = allowed.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    }
    std::fs::write(&allowed, &signers).map_err(|e| Error::io(allowed.display(), e))?;
    Ok(Joined {
        email,
        name,
        key,
        public_key,
        generated,
        standing,
        signers: signers.lines().filter(|l| !l.trim().is_empty()).count(),
    })
}
