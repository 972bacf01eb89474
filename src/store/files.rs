//! The office repository on disk: finding it, reading authority.yaml, policies and claims.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use git2::Oid;
use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::input::{self, ReadError};
use super::read_cache::{reading_key, Drawn, ReadCache, SUMMARIES};
use crate::bounds::{Bad, MAX_RECORD_BYTES};
use crate::check::finding::Issue;
use crate::domain::claim::Claim;
use crate::domain::claim_id::{is_shard_name, ClaimFolders, ClaimId};
use crate::domain::claim_summary::ClaimSummary;
use crate::domain::office::Office;
use crate::domain::policy::Policy;
use crate::error::{Error, Result};

pub const AUTHORITY_FILE: &str = "authority.yaml";

/// Finds the office: `--repo`, else `CLAIMS_REPO` (clap fills both into `explicit`), else the
/// nearest folder at or above the current one holding authority.yaml.
pub fn find_office_root(explicit: Option<&Path>) -> Result<PathBuf> {
    // An authority.yaml that is there but is no regular file (a FIFO, a device, a folder, a
    // link to one of those or to nothing) is said to be so, not taken for a missing one.
    let not_regular = |file: &Path| -> Option<Error> {
        let meta = std::fs::symlink_metadata(file).ok()?;
        let what = match std::fs::metadata(file) {
            Ok(m) if m.is_file() => return None,
            Ok(m) if m.is_dir() => "a folder",
            Ok(_) => "a FIFO, socket or device",
            Err(_) if meta.file_type().is_symlink() => "a link to nothing",
            Err(_) => "unreadable",
        };
        Some(
            Error::refused(format!(
                "{} is not a regular file ({what}): the office's {AUTHORITY_FILE} must be one",
                file.display()
            ))
            .hint(format!(
                "replace it with the office's {AUTHORITY_FILE} file"
            )),
        )
    };
    if let Some(dir) = explicit {
        if dir.join(AUTHORITY_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        if let Some(e) = not_regular(&dir.join(AUTHORITY_FILE)) {
            return Err(e);
        }
        return Err(Error::refused(format!(
            "{} is not a claims office (no {AUTHORITY_FILE})",
            dir.display()
        ))
        .hint("create one with `claims init DIR` (or `claims init DIR --example`)"));
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io("current directory", e))?;
    for dir in cwd.ancestors() {
        if dir.join(AUTHORITY_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        if let Some(e) = not_regular(&dir.join(AUTHORITY_FILE)) {
            return Err(e);
        }
    }
    Err(Error::refused(format!(
        "no claims office here: no {AUTHORITY_FILE} in {} or any folder above it",
        cwd.display()
    ))
    .hint("pass --repo DIR, set CLAIMS_REPO, or create one with `claims init DIR --example`"))
}

/// Why a file did not load: the issue (with its code) and where in the file.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    pub issue: Issue,
    pub line: usize,
    pub column: usize,
}

impl LoadFailure {
    /// A file beyond the bounds, or not text: Y004 or Y005, at its place when it has one.
    pub fn bad(b: &Bad) -> LoadFailure {
        let (line, column) = b.position().map_or((1, 1), |p| (p.line, p.column));
        LoadFailure {
            issue: Issue::file(b.code(), b.brief()),
            line,
            column,
        }
    }

    fn unread(e: &ReadError) -> LoadFailure {
        match e {
            ReadError::Bounds(b) => LoadFailure::bad(b),
            other => LoadFailure {
                issue: Issue::file(other.code(), other.to_string()),
                line: 1,
                column: 1,
            },
        }
    }
}

/// Parses a YAML record (a claim, a policy, authority.yaml, a proposal) into `T`: refused
/// past [`MAX_RECORD_BYTES`] or [`crate::bounds::MAX_DEPTH`] levels of nesting (Y004) before
/// the YAML reader sees it, else a failure classified as syntax (Y001), unknown field (Y002)
/// or a bad value (Y003), with its position.
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> std::result::Result<T, LoadFailure> {
    parse_yaml_within(text, MAX_RECORD_BYTES)
}

/// [`parse_yaml`] for a document whose size limit is `limit` bytes.
pub fn parse_yaml_within<T: DeserializeOwned>(
    text: &str,
    limit: u64,
) -> std::result::Result<T, LoadFailure> {
    if let Err(b) = crate::bounds::yaml(text, limit) {
        return Err(LoadFailure::bad(&b));
    }
    if text.starts_with('\u{feff}') {
        // Windows editors save one; the YAML reader would take it for part of the first key.
        return Err(LoadFailure {
            issue: Issue::file(
                "Y005",
                "the file starts with a byte-order mark (U+FEFF): save it as UTF-8 without one"
                    .to_string(),
            ),
            line: 1,
            column: 1,
        });
    }
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = e.to_string();
        let code = if message.contains("unknown field") {
            "Y002"
        } else if serde_yaml::from_str::<serde_yaml::Value>(text).is_err() {
            "Y001"
        } else {
            "Y003"
        };
        // yaml_serde appends " at line L column C"; the position is printed separately.
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        LoadFailure {
            issue: Issue::file(code, message),
            line,
            column,
        }
    })
}

/// A file of the office (authority.yaml, a template, a proposal) as text: a regular file of
/// UTF-8 text within [`MAX_RECORD_BYTES`], or refused naming it.
pub fn read_text(path: &Path) -> Result<String> {
    input::read_text(path, MAX_RECORD_BYTES).map_err(|e| e.into_error(path.display()))
}

/// A record's text, or why it cannot be read as one (for the readers that keep going).
pub fn read_record(path: &Path) -> std::result::Result<String, LoadFailure> {
    input::read_text(path, MAX_RECORD_BYTES).map_err(|e| LoadFailure::unread(&e))
}

/// Loads authority.yaml; a broken file is a refusal naming the file, line and problem.
/// The office's git repository.
pub fn open_repository(root: &Path) -> Result<git2::Repository> {
    super::bare::open(root).map_err(|e| {
        Error::environment(format!(
            "{} is not a git repository: {}",
            root.display(),
            e.message()
        ))
    })
}

pub fn load_office(root: &Path) -> Result<Office> {
    let path = root.join(AUTHORITY_FILE);
    let text = read_text(&path)?;
    parse_office(&text)
}

pub fn parse_office(text: &str) -> Result<Office> {
    parse_yaml::<Office>(text).map_err(|f| {
        Error::refused(format!(
            "{AUTHORITY_FILE}:{}:{}: error[{}]: {}",
            f.line, f.column, f.issue.code, f.issue.message
        ))
        .hint("`claims check` lists every problem in the office's files")
    })
}

/// The office's letter templates, `templates/*.txt.j2`, parsed; a syntax error names the file
/// and line.
pub fn load_templates(root: &Path) -> Result<crate::letters::LetterTemplates> {
    let dir = root.join("templates");
    let mut sources = Vec::new();
    if dir.is_dir() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(dir.display(), e))? {
            let path = entry.map_err(|e| Error::io(dir.display(), e))?.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".txt.j2"))
            else {
                continue;
            };
            sources.push((name.to_string(), read_text(&path)?));
        }
    }
    crate::letters::LetterTemplates::new(sources).map_err(|e| Error::refused(e.to_string()))
}

/// Every `.yaml` file where claim files lie — `claims/YYYY/MM/` (by month) and
/// `claims/YYYY/MM/XX/` (by shard) — as repository-relative paths, sorted; never the files in
/// a claim's own folder. Both places are read whichever way the office files claims, so a
/// claim filed the other way is read, and `claims check` names where it belongs.
pub fn claim_files(root: &Path) -> Vec<String> {
    // Folders are listed, never stat'ed or opened beyond what holds claims: a claim's own
    // folder is named in its month's listing and left alone.
    fn folders(dir: &Path) -> impl Iterator<Item = (String, PathBuf, std::fs::FileType)> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                Some((name, e.path(), e.file_type().ok()?))
            })
    }
    let is_claim = |name: &str, kind: &std::fs::FileType| {
        kind.is_file() && Path::new(name).extension().is_some_and(|x| x == "yaml")
    };
    let mut out = Vec::new();
    for (year, year_path, kind) in folders(&root.join("claims")) {
        if !kind.is_dir() {
            continue;
        }
        for (month, month_path, kind) in folders(&year_path) {
            if !kind.is_dir() {
                continue;
            }
            for (name, path, kind) in folders(&month_path) {
                if is_claim(&name, &kind) {
                    out.push(format!("claims/{year}/{month}/{name}"));
                } else if kind.is_dir() && is_shard_name(&name) {
                    for (file, _, kind) in folders(&path) {
                        if is_claim(&file, &kind) {
                            out.push(format!("claims/{year}/{month}/{name}/{file}"));
                        }
                    }
                }
            }
        }
    }
    out.sort();
    out
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    path.strip_prefix(root)
        .ok()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
}

/// Every `.yaml` file directly in `policies/`.
pub fn policy_files(root: &Path) -> Vec<String> {
    yaml_files_under(root, "policies", 1)
}

fn yaml_files_under(root: &Path, folder: &str, depth: usize) -> Vec<String> {
    let base = root.join(folder);
    let mut out: Vec<String> = walkdir::WalkDir::new(&base)
        .min_depth(depth)
        .max_depth(depth)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml"))
        .filter_map(|e| relative(root, e.path()))
        .collect();
    out.sort();
    out
}

/// A parsed file, or why it would not parse, with its text (for placing findings at lines).
pub struct Loaded<T> {
    pub path: String,
    pub text: String,
    pub value: std::result::Result<T, LoadFailure>,
}

/// Reads and parses files in parallel.
pub fn load_all<T: DeserializeOwned + Send>(root: &Path, paths: &[String]) -> Vec<Loaded<T>> {
    paths
        .par_iter()
        .map(|p| match read_record(&root.join(p)) {
            Ok(text) => {
                let value = parse_yaml::<T>(&text);
                Loaded {
                    path: p.clone(),
                    text,
                    value,
                }
            }
            Err(f) => Loaded {
                path: p.clone(),
                text: String::new(),
                value: Err(f),
            },
        })
        .collect()
}

/// Every policy that parses, by number.
pub fn load_policies(root: &Path) -> HashMap<String, Policy> {
    load_all::<Policy>(root, &policy_files(root))
        .into_iter()
        .filter_map(|l| l.value.ok())
        .map(|p| (p.number.clone(), p))
        .collect()
}

/// Every claim that parses. Files that do not parse are skipped (`claims check` reports them).
pub fn load_claims(root: &Path) -> Vec<Claim> {
    load_claims_skipping(root).0
}

/// Every claim that parses, and the files that do not, with why (the reading commands warn
/// of them and go on).
pub fn load_claims_skipping(root: &Path) -> (Vec<Claim>, Vec<(String, LoadFailure)>) {
    let cache = ReadCache::for_office(root);
    let loaded: Vec<(String, std::result::Result<Claim, LoadFailure>)> = claim_files(root)
        .into_par_iter()
        .map(|p| {
            let c = cache.claim_file(root, &p);
            (p, c)
        })
        .collect();
    cache.tidy();
    let mut claims = Vec::new();
    let mut skipped = Vec::new();
    for (path, c) in loaded {
        match c {
            Ok(c) => claims.push(c),
            Err(f) => skipped.push((path, f)),
        }
    }
    (claims, skipped)
}

/// Calls `f` with every claim that parses, a few thousand read and parsed at a time in
/// parallel, so the office is never held whole; returns the files that do not parse.
pub fn each_claim(root: &Path, mut f: impl FnMut(&Claim)) -> Vec<(String, LoadFailure)> {
    let cache = ReadCache::for_office(root);
    let mut skipped = Vec::new();
    for chunk in claim_files(root).chunks(4096) {
        let parsed: Vec<(&String, std::result::Result<Claim, LoadFailure>)> = chunk
            .par_iter()
            .map(|p| (p, cache.claim_file(root, p)))
            .collect();
        for (p, c) in parsed {
            match c {
                Ok(c) => f(&c),
                Err(e) => skipped.push((p.clone(), e)),
            }
        }
    }
    cache.tidy();
    skipped
}

/// Calls `f` with the summary of every claim file of the office, in the order of
/// [`claim_files`]; returns the files that could not be read. A file the read cache kept a
/// summary of, that git's index vouches is still the blob it was drawn from, is not read.
pub fn each_claim_summary(root: &Path, f: impl FnMut(&ClaimSummary)) -> Vec<(String, LoadFailure)> {
    let key = reading_key(b"claim summaries");
    let reading = Reading {
        kind: SUMMARIES,
        key: &key,
        draw: ClaimSummary::of,
        claim_id: |s: &ClaimSummary| s.id.as_str(),
    };
    each_claim_drawn(root, reading, f)
}

/// A pure reading of claim files whose result for each file the read cache may keep: `draw`
/// makes it from the claim, and `key` names every other input it rests on (see
/// [`reading_key`]); `claim_id` says which claim a kept result was drawn from.
pub struct Reading<'a, T, D> {
    pub kind: &'static str,
    pub key: &'a Oid,
    pub draw: D,
    pub claim_id: fn(&T) -> &str,
}

/// Calls `f` with what `reading` draws from every claim file of the office, in the order of
/// [`claim_files`]; returns the files that could not be read. A file the read cache kept the
/// result of under the same key, that git's index vouches is still the blob it was drawn from,
/// and that is named for the claim it was drawn from, is not read.
pub fn each_claim_drawn<T, D>(
    root: &Path,
    reading: Reading<T, D>,
    mut f: impl FnMut(&T),
) -> Vec<(String, LoadFailure)>
where
    T: serde::Serialize + DeserializeOwned + Send + Sync,
    D: Fn(&Claim) -> T + Sync,
{
    enum Got<'a, T> {
        Kept(&'a T),
        Drawn(Option<Oid>, Box<T>),
        Failed(LoadFailure),
    }
    let cache = ReadCache::for_office(root);
    let mut kept: Drawn<T> = cache.drawn(reading.kind, reading.key);
    let files = claim_files(root);
    let mut drawn = Vec::new();
    let mut skipped = Vec::new();
    for chunk in files.chunks(4096) {
        let got: Vec<Got<T>> = chunk
            .par_iter()
            .map(|rel| {
                let vouched = cache.unchanged_blob(root, rel);
                // Still the blob it was drawn from, and of the claim the file is named for.
                if let Some((blob, t)) = kept.get(rel) {
                    let stem = rel.strip_suffix(".yaml").and_then(|r| r.rsplit('/').next());
                    let named = stem == Some((reading.claim_id)(t));
                    if named && vouched.is_some_and(|v| v.as_bytes() == blob) {
                        cache.in_use(vouched.expect("vouched for"));
                        return Got::Kept(t);
                    }
                }
                match cache.claim_file_and_blob(root, rel) {
                    Ok((blob, c)) => Got::Drawn(blob, Box::new((reading.draw)(&c))),
                    Err(e) => Got::Failed(e),
                }
            })
            .collect();
        for (rel, got) in chunk.iter().zip(got) {
            match got {
                Got::Kept(t) => f(t),
                Got::Drawn(blob, t) => {
                    f(&t);
                    drawn.extend(blob.map(|b| (rel.clone(), b, *t)));
                }
                Got::Failed(e) => skipped.push((rel.clone(), e)),
            }
        }
    }
    let gone = kept.len() + drawn.len() > files.len();
    if gone {
        let here: HashSet<&str> = files.iter().map(String::as_str).collect();
        kept.retain(|rel, _| here.contains(rel.as_str()));
    }
    if gone || !drawn.is_empty() {
        for (rel, blob, t) in drawn {
            let mut id = [0; 20];
            id.copy_from_slice(blob.as_bytes());
            kept.insert(rel, (id, t));
        }
        cache.keep_drawn(reading.kind, reading.key, &kept);
    }
    cache.tidy();
    skipped
}

/// Parses a claim id given by a user, with a usage-friendly refusal.
pub fn parse_claim_id(s: &str) -> Result<ClaimId> {
    s.trim()
        .parse::<ClaimId>()
        .map_err(|e| Error::refused(format!("`{s}` is not a claim id: {e}")))
}

/// Reads one claim by id from the working tree: only its own file, never the others — filed
/// by shard or by month, whichever is there (a read needs no office settings).
pub fn read_claim(root: &Path, id: &ClaimId) -> Result<(String, Claim)> {
    let shard = id.file_path(ClaimFolders::Shard);
    let rel = if root.join(&shard).is_file() {
        shard
    } else {
        id.file_path(ClaimFolders::Month)
    };
    let path = root.join(&rel);
    let text = match input::read_text(&path, MAX_RECORD_BYTES) {
        Ok(t) => t,
        Err(ReadError::Missing) => {
            return Err(Error::refused(format!("no claim {id} (no file {rel})")))
        }
        Err(e) => return Err(e.into_error(&rel)),
    };
    let claim = parse_claim_text(&rel, &text)?;
    Ok((rel, claim))
}

pub fn parse_claim_text(rel: &str, text: &str) -> Result<Claim> {
    parse_yaml::<Claim>(text).map_err(|f| {
        Error::refused(format!(
            "{rel}:{}:{}: error[{}]: {}",
            f.line, f.column, f.issue.code, f.issue.message
        ))
    })
}

/// The folders and files the tool writes into (or reads its settings from): a symbolic link
/// committed there would let a change write outside the office.
pub const TOOL_OWNED: &[&str] = &["claims", "policies", "templates", "outbox", AUTHORITY_FILE];

/// Symbolic links git tracks (in the index) at or under the tool-owned paths.
pub fn committed_links(root: &Path) -> Vec<String> {
    let Ok(repo) = git2::Repository::open(root) else {
        return Vec::new();
    };
    let Ok(index) = repo.index() else {
        return Vec::new();
    };
    tool_owned_links(&index)
}

/// The symbolic links `index` lists at or under the tool-owned paths.
pub fn tool_owned_links(index: &git2::Index) -> Vec<String> {
    index
        .iter()
        .filter(|e| e.mode == 0o120000)
        .filter_map(|e| String::from_utf8(e.path).ok())
        .filter(|p| {
            TOOL_OWNED
                .iter()
                .any(|t| p == t || p.strip_prefix(t).is_some_and(|r| r.starts_with('/')))
        })
        .collect()
}
