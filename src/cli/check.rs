//! `claims check [PATH...]`: validate records; every finding in one run.

use std::path::{Path, PathBuf};

use super::findings::print_findings;
use super::output::Format;
use super::Globals;
use crate::error::{Error, Result};
use crate::store::files::{find_office_root, AUTHORITY_FILE};
use crate::store::inspect::{check_files, Selection};

/// Validate claims, policies and authority.yaml: syntax, unknown fields, required FNOL facts,
/// references, ids and folders, lifecycle, money. Exits 1 when any error is found.
///
/// Formats: text (`path:line:col: error[CODE]: message`), json, github (Actions annotations).
/// `claims explain CODE` describes a code.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to check (default: the whole office).
    pub paths: Vec<PathBuf>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let format = g.format_among(Format::Text, &[Format::Text, Format::Json, Format::Github])?;
    let root = find_office_root(g.repo.as_deref())?;
    let sel = if args.paths.is_empty() {
        Selection::everything(&root)
    } else {
        select(&root, &args.paths)?
    };
    let findings = check_files(&root, &sel);
    let errors = print_findings(
        format,
        &findings,
        ("files", sel.file_count()),
        Default::default(),
    );
    let warnings = findings
        .iter()
        .filter(|f| f.severity == crate::check::finding::Severity::Warning)
        .count();
    g.say(format!(
        "checked {}: {}, {}",
        super::counted(sel.file_count(), "file"),
        super::counted(errors, "error"),
        super::counted(warnings, "warning")
    ));
    Ok(if errors > 0 || (args.strict && warnings > 0) {
        1
    } else {
        0
    })
}

/// Maps user paths (files or folders, relative to the current directory) onto office files.
fn select(root: &Path, paths: &[PathBuf]) -> Result<Selection> {
    let root_abs = root
        .canonicalize()
        .map_err(|e| Error::io(root.display(), e))?;
    let mut sel = Selection {
        authority: false,
        policies: Vec::new(),
        claims: Vec::new(),
        whole: false,
    };
    for p in paths {
        let abs = p
            .canonicalize()
            .map_err(|e| Error::refused(format!("{}: {e}", p.display())))?;
        let rel = abs.strip_prefix(&root_abs).map_err(|_| {
            Error::refused(format!(
                "{} is outside the office at {}",
                p.display(),
                root.display()
            ))
        })?;
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        let files: Vec<String> = if abs.is_dir() {
            walkdir::WalkDir::new(&abs)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| {
                    e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml")
                })
                .filter_map(|e| {
                    e.path()
                        .strip_prefix(&root_abs)
                        .ok()
                        .map(|r| r.to_string_lossy().replace('\\', "/"))
                })
                .collect()
        } else {
            vec![rel_s]
        };
        for f in files {
            if f == AUTHORITY_FILE {
                sel.authority = true;
            } else if f.starts_with("policies/") {
                sel.policies.push(f);
            } else if f.starts_with("claims/")
                && !f.contains("/letters/")
                && !f.contains("/attachments/")
            {
                sel.claims.push(f);
            } else if !abs.is_dir() {
                return Err(Error::refused(format!(
                    "{} is not an office record (authority.yaml, policies/*.yaml or claims/YYYY/MM/*.yaml)",
                    p.display()
                )));
            }
        }
    }
    sel.policies.sort();
    sel.policies.dedup();
    sel.claims.sort();
    sel.claims.dedup();
    Ok(sel)
}
