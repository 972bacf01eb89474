//! The remote is the gate: `claims hooks install --server` and the pre-receive hook it
//! installs. A push is taken whole or not at all; it is refused when it deletes or rewrites a
//! branch, moves or deletes a checkpoint tag, pushes a replace ref or a ref outside branches and
//! tags, or brings a commit the audit reports an error for. What git shows the pusher as
//! `remote:` lines is what this prints on stderr.
//!
//! Git runs the hook with the pushed objects in quarantine; [`crate::store::bare`] makes them
//! readable. Refs cannot be written from there, so the gate records no checkpoint.

use std::io::BufRead;

use git2::{Oid, Repository};

use super::{refuse_foreign, write_executable, MARK};
use crate::cli::findings::text_line;
use crate::cli::{counted, Globals};
use crate::error::{Error, Result};

/// Writes `hooks/pre-receive` (running this binary's `hooks pre-receive`) and has git itself
/// refuse non-fast-forward updates too, should the hook ever be bypassed.
pub fn install(g: &Globals, force: bool) -> Result<i32> {
    let repo = crate::cli::office_repository(g)?;
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| Error::io("the claims binary", e))?;
    let path = repo.path().join("hooks").join("pre-receive");
    std::fs::create_dir_all(repo.path().join("hooks")).map_err(|e| Error::io(path.display(), e))?;
    refuse_foreign(&path, force)?;
    write_executable(&path, &script(&exe.to_string_lossy()))?;
    repo.config()?
        .open_level(git2::ConfigLevel::Local)?
        .set_bool("receive.denyNonFastForwards", true)?;
    g.say(format!("installed {}", path.display()));
    g.say(format!(
        "every push is now audited by {} before it is accepted",
        exe.display()
    ));
    if !repo.is_bare() {
        g.say("note: this repository has a working tree; the office's shared one is usually bare (`git init --bare`)");
    }
    Ok(0)
}

/// The hook: a few lines of shell that hand git's input to `claims hooks pre-receive`.
fn script(exe: &str) -> String {
    format!(
        "#!/bin/sh\n{MARK} --server\n# The remote is the gate: every push is audited before git accepts it.\nexec {} hooks pre-receive\n",
        shell_quoted(exe)
    )
}

fn shell_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One line of git's pre-receive input: a ref moving from `old` to `new` (zero: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    pub old: Oid,
    pub new: Oid,
    pub name: String,
}

impl RefUpdate {
    /// `OLD NEW REFNAME`.
    pub fn parse(line: &str) -> Result<RefUpdate> {
        let mut parts = line.split_whitespace();
        let (Some(old), Some(new), Some(name), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::usage(format!(
                "pre-receive: expected `OLD NEW REF`, got `{line}`"
            )));
        };
        let oid = |s: &str| {
            Oid::from_str(s)
                .map_err(|_| Error::usage(format!("pre-receive: `{s}` is not an object id")))
        };
        Ok(RefUpdate {
            old: oid(old)?,
            new: oid(new)?,
            name: name.to_string(),
        })
    }
}

/// Why `u` may not happen whatever its commits hold, if it may not. `office` is the branch the
/// repository's HEAD names.
pub fn refusal(repo: &Repository, u: &RefUpdate, office: Option<&str>) -> Option<String> {
    let name = &u.name;
    if name.starts_with("refs/replace/") {
        return Some(format!(
            "refusing {name}: replace refs make git show other commits than the history holds"
        ));
    }
    if name.starts_with("refs/tags/claims/checkpoint/") {
        return (!u.old.is_zero()).then(|| {
            format!("refusing to delete or move {name}: checkpoints are how a rewritten history is found")
        });
    }
    if name.starts_with("refs/tags/") {
        return None;
    }
    if !name.starts_with("refs/heads/") {
        return Some(format!(
            "refusing {name}: the office's repository takes branches and tags only"
        ));
    }
    let which = if Some(name.as_str()) == office {
        format!("{name}, the office branch")
    } else {
        name.clone()
    };
    if u.new.is_zero() {
        return Some(format!(
            "refusing to delete {which}: the office's history is kept"
        ));
    }
    if u.old.is_zero() || u.old == u.new {
        return None;
    }
    match repo.graph_descendant_of(u.new, u.old) {
        Ok(true) => None,
        Ok(false) => Some(format!(
            "refusing to rewrite {which} (not a fast-forward: {} does not build on {}): audited history is never replaced; fetch, build on it, and push again",
            short(u.new),
            short(u.old)
        )),
        Err(e) => Some(format!(
            "cannot read the commits pushed to {which}: {}",
            e.message()
        )),
    }
}

/// The commits a push brings: every new tip, less what the branches and tags already hold (all
/// of which came through this gate, or were there before it).
fn tips_and_known(repo: &Repository, updates: &[RefUpdate]) -> Result<(Vec<Oid>, Vec<Oid>)> {
    let commit = |id: Oid| repo.find_object(id, None).and_then(|o| o.peel_to_commit());
    let mut tips = Vec::new();
    for u in updates.iter().filter(|u| !u.new.is_zero()) {
        match commit(u.new) {
            Ok(c) => tips.push(c.id()),
            // A tag of something else (a blob, a tree) brings no commit.
            Err(_) if u.name.starts_with("refs/tags/") => {}
            Err(e) => {
                return Err(Error::environment(format!(
                    "cannot read {} of {}: {}",
                    short(u.new),
                    u.name,
                    e.message()
                )))
            }
        }
    }
    let mut known = Vec::new();
    for r in repo.references()? {
        let r = r?;
        let shared = r
            .name()
            .is_ok_and(|n| n.starts_with("refs/heads/") || n.starts_with("refs/tags/"));
        if let (true, Ok(c)) = (shared, r.peel_to_commit()) {
            known.push(c.id());
        }
    }
    Ok((tips, known))
}

/// `claims hooks pre-receive`: judges the push git describes on stdin; exit 1 refuses it.
pub fn run(g: &Globals) -> Result<i32> {
    let repo = crate::cli::office_repository(g)?;
    let mut updates = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| Error::io("git's pre-receive input", e))?;
        if !line.trim().is_empty() {
            updates.push(RefUpdate::parse(&line)?);
        }
    }
    let office = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string));
    let refused: Vec<String> = updates
        .iter()
        .filter_map(|u| refusal(&repo, u, office.as_deref()))
        .collect();
    if !refused.is_empty() {
        for r in &refused {
            eprintln!("claims: {r}");
        }
        eprintln!("claims: push refused; nothing was changed");
        return Ok(1);
    }
    let (tips, known) = tips_and_known(&repo, &updates)?;
    let report = crate::audit::audit_new(&repo, &tips, &known)
        .map_err(|e| Error::environment(format!("cannot audit the push: {}", e.message())))?;
    for f in &report.findings {
        eprintln!("claims: {}", text_line(f));
    }
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == crate::check::finding::Severity::Error)
        .count();
    let summary = format!(
        "audited {}: {}, {}",
        counted(report.commits.len(), "pushed commit"),
        counted(errors, "error"),
        counted(report.findings.len() - errors, "other finding")
    );
    if errors > 0 {
        eprintln!("claims: {summary}");
        eprintln!("claims: push refused; nothing was changed (`claims audit` in your clone shows the same)");
        return Ok(1);
    }
    g.say(format!("claims: {summary}; accepted"));
    Ok(0)
}

fn short(id: Oid) -> String {
    id.to_string()[..12].to_string()
}
