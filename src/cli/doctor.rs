//! `claims doctor`: is this desk set up to work? Each check is a real one — git is run, the
//! acting person's key signs a throw-away payload, files are read — and each that fails says
//! how to fix it. It changes nothing of its own; opening the office does what it does for
//! every command (finishing an interrupted one, rewriting the allowed-signers file from
//! authority.yaml), and that file is checked before.

use serde::Serialize;

use super::output::{table, Format, Out, Rows};
use super::Globals;
use crate::error::Result;

/// Check this desk's setup: git's version, the office's own settings (authority.yaml), the
/// signing setup of the acting person, the allowed-signers file, the hooks and the remote;
/// each with how to fix it. Exits 1 when a check fails (warnings do not).
#[derive(clap::Args, Debug)]
pub struct Args {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Ok,
    Warning,
    Failed,
    Skipped,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Serialize)]
struct Check {
    check: &'static str,
    status: Status,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

fn ok(check: &'static str, detail: impl Into<String>) -> Check {
    Check {
        check,
        status: Status::Ok,
        detail: detail.into(),
        fix: None,
    }
}

fn bad(check: &'static str, status: Status, detail: impl Into<String>, fix: &str) -> Check {
    Check {
        check,
        status,
        detail: detail.into(),
        fix: Some(fix.to_string()),
    }
}

/// SSH signatures that plain git verifies need git 2.34 or later.
const GIT_AT_LEAST: (u32, u32) = (2, 34);

fn git_version() -> Check {
    let out = std::process::Command::new("git").arg("--version").output();
    let text = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        Ok(o) => {
            return bad(
                "git",
                Status::Failed,
                format!(
                    "`git --version` failed: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ),
                "install git 2.34 or later",
            )
        }
        Err(e) => {
            return bad(
                "git",
                Status::Failed,
                format!("cannot run git: {e}"),
                "install git 2.34 or later and put it on PATH",
            )
        }
    };
    let version: Vec<u32> = text
        .split_whitespace()
        .nth(2)
        .unwrap_or("")
        .split('.')
        .take(2)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    match version[..] {
        [major, minor] if (major, minor) >= GIT_AT_LEAST => ok("git", text),
        _ => bad(
            "git",
            Status::Failed,
            format!("{text}: older than {}.{}", GIT_AT_LEAST.0, GIT_AT_LEAST.1),
            "install git 2.34 or later: earlier versions cannot verify the office's SSH signatures",
        ),
    }
}

fn checks(g: &Globals) -> Vec<Check> {
    let mut all = vec![git_version()];
    const LATER: [&str; 5] = [
        "signing",
        "allowed signers",
        "hooks",
        "merge driver",
        "remote",
    ];
    let skip_rest = |all: &mut Vec<Check>, why: &str| {
        for c in LATER {
            all.push(Check {
                check: c,
                status: Status::Skipped,
                detail: why.to_string(),
                fix: None,
            });
        }
    };
    let ws = match crate::store::session::Workspace::open(g.repo.as_deref()) {
        Ok(ws) => ws,
        Err(e) => {
            all.push(bad(
                "office settings",
                Status::Failed,
                e.one_line(),
                "run inside the office's clone (or pass --repo DIR); `claims check authority.yaml` tells what is wrong with the file",
            ));
            skip_rest(&mut all, "needs the office");
            return all;
        }
    };
    all.push(ok(
        "office settings",
        format!(
            "authority.yaml parses: {}, {} people, time zone {}",
            ws.office.office.name,
            ws.office.people.len(),
            ws.tz
        ),
    ));
    let repo = match crate::store::files::open_repository(&ws.root) {
        Ok(r) => r,
        Err(e) => {
            all.push(bad(
                "signing",
                Status::Failed,
                e.one_line(),
                "the office folder must be a git clone",
            ));
            return all;
        }
    };
    // Before a session is opened: opening one writes the allowed-signers file.
    all.push(allowed_signers(&repo, &ws.office));
    all.push(signing(g));
    all.push(hooks(&repo));
    all.push(merge_driver(&repo));
    all.push(remote(&repo));
    all
}

fn allowed_signers(repo: &git2::Repository, office: &crate::domain::office::Office) -> Check {
    const NAME: &str = "allowed signers";
    let path = crate::store::session::allowed_signers_path(repo);
    let configured = repo
        .config()
        .and_then(|c| c.get_string("gpg.ssh.allowedSignersFile"))
        .ok();
    let fix = "run any change as yourself (`claims note ...`) or `claims join`: the tool writes the file from authority.yaml and points git at it";
    match std::fs::read_to_string(&path) {
        Err(e) => bad(
            NAME,
            Status::Failed,
            format!("{}: {e}", path.display()),
            fix,
        ),
        Ok(text) if text != crate::store::session::allowed_signers_for(office) => bad(
            NAME,
            Status::Failed,
            format!(
                "{} does not list the keys of authority.yaml",
                path.display()
            ),
            fix,
        ),
        Ok(_) if configured.as_deref() != Some(&*path.to_string_lossy()) => bad(
            NAME,
            Status::Failed,
            format!(
                "git's gpg.ssh.allowedSignersFile is {}, not {}",
                configured.as_deref().unwrap_or("unset"),
                path.display()
            ),
            &format!("git config gpg.ssh.allowedSignersFile {}", path.display()),
        ),
        Ok(_) => ok(
            NAME,
            format!(
                "{} matches authority.yaml; git verifies with it",
                path.display()
            ),
        ),
    }
}

fn signing(g: &Globals) -> Check {
    const NAME: &str = "signing";
    let session = match crate::store::session::Session::open(
        g.repo.as_deref(),
        g.as_email.as_deref(),
    ) {
        Ok(s) => s,
        Err(e) => {
            let fix = e.hints.first().cloned().unwrap_or_else(|| {
                "`git config user.email` must be a person of authority.yaml, and `git config user.signingkey` (or claims.EMAIL.signingkey) their key".into()
            });
            return bad(NAME, Status::Failed, e.message, &fix);
        }
    };
    match session.probe_signing() {
        Ok(()) => ok(
            NAME,
            format!(
                "{} ({}) signs with the key authority.yaml lists",
                session.actor.email, session.actor.role
            ),
        ),
        Err(e) => bad(
            NAME,
            Status::Failed,
            format!("{}: {}", session.actor.email, e.message),
            &e.hints.first().cloned().unwrap_or_else(|| {
                "check the key file named by `git config user.signingkey` (its permissions, its passphrase: ssh-agent)".into()
            }),
        ),
    }
}

fn hooks(repo: &git2::Repository) -> Check {
    const NAME: &str = "hooks";
    let dir = repo.path().join("hooks");
    let missing: Vec<&str> = ["pre-commit", "pre-push"]
        .into_iter()
        .filter(|h| {
            !std::fs::read_to_string(dir.join(h)).is_ok_and(|t| t.contains(super::hooks::MARK))
        })
        .collect();
    if missing.is_empty() {
        ok(NAME, "pre-commit (check) and pre-push (audit) installed")
    } else {
        bad(
            NAME,
            Status::Warning,
            format!("not installed: {}", missing.join(", ")),
            "claims hooks install (commits are then checked and pushes audited before they leave)",
        )
    }
}

fn merge_driver(repo: &git2::Repository) -> Check {
    const NAME: &str = "merge driver";
    let driver = repo
        .config()
        .and_then(|c| c.get_string("merge.claims.driver"))
        .ok();
    match driver {
        Some(d) if d.contains("merge-file") => {
            ok(NAME, "plain `git pull` merges two edits of one claim")
        }
        _ => bad(
            NAME,
            Status::Warning,
            "merge.claims.driver is not set in this clone",
            "claims hooks install (or claims join) registers it",
        ),
    }
}

fn remote(repo: &git2::Repository) -> Check {
    const NAME: &str = "remote";
    let names: Vec<String> = repo
        .remotes()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.ok().flatten().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let Some(name) = names
        .iter()
        .find(|n| *n == "origin")
        .or(names.first())
        .cloned()
    else {
        return bad(
            NAME,
            Status::Warning,
            "none: this desk works alone",
            "to share the office: git remote add origin URL, then claims sync",
        );
    };
    let url = repo
        .find_remote(&name)
        .ok()
        .and_then(|r| r.url().ok().map(str::to_string))
        .unwrap_or_default();
    let local = !url.contains("://") && !url.contains(':');
    let path = url.strip_prefix("file://").unwrap_or(&url);
    if (local || url.starts_with("file://")) && !std::path::Path::new(path).exists() {
        return bad(
            NAME,
            Status::Failed,
            format!("{name} is {url}, which does not exist"),
            &format!("git remote set-url {name} PATH-OR-URL"),
        );
    }
    ok(
        NAME,
        format!(
            "{name} is {url}{}",
            if local || url.starts_with("file://") {
                ""
            } else {
                " (not contacted: `claims sync` does)"
            }
        ),
    )
}

pub fn run(g: &Globals, _args: Args) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let all = checks(g);
    let failed = all.iter().filter(|c| c.status == Status::Failed).count();
    let mut out = Out::new();
    match format {
        Format::Table => {
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|c| vec![c.check.into(), c.status.as_str().into(), c.detail.clone()])
                .collect();
            out.write_str(&table(&["check", "status", "detail"], &rows));
            for c in all.iter().filter(|c| c.fix.is_some()) {
                out.line(&format!(
                    "fix {}: {}",
                    c.check,
                    c.fix.as_deref().unwrap_or_default()
                ));
            }
        }
        _ => Rows {
            headers: &["check", "status", "detail", "fix"],
            rows: &all,
            cells: &|c: &Check| {
                vec![
                    c.check.into(),
                    c.status.as_str().into(),
                    c.detail.clone(),
                    c.fix.clone().unwrap_or_default(),
                ]
            },
        }
        .print(format, &mut out),
    }
    out.flush();
    g.say(if failed == 0 {
        "doctor: this desk is ready".to_string()
    } else {
        format!("doctor: {} failed", super::counted(failed, "check"))
    });
    Ok(if failed > 0 { 1 } else { 0 })
}
