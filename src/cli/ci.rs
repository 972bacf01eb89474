//! `claims init --ci github|gitlab`: the CI job that runs the office's gates — `claims check`
//! and `claims audit` over the whole history — on every push and pull or merge request.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The CI service the office's shared repository lives on.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ci {
    /// GitHub Actions: .github/workflows/claims.yml
    Github,
    /// GitLab CI: .gitlab-ci.yml
    Gitlab,
}

impl Ci {
    /// Where the job is written, from the office's root.
    pub fn file(self) -> &'static str {
        match self {
            Ci::Github => ".github/workflows/claims.yml",
            Ci::Gitlab => ".gitlab-ci.yml",
        }
    }
}

const GITHUB: &str = r#"# Written by `claims init --ci github`: the office's gates on every push and pull request.
name: claims
on:
  push:
  pull_request:
jobs:
  gates:
    runs-on: ubuntu-latest
    env:
      # Where claims is built from: `cargo install --git` of this URL.
      CLAIMS_TOOL_GIT: @TOOL@
    steps:
      - uses: actions/checkout@v4
        with:
          # The audit reads the whole history, and judges the pushed commits themselves, not
          # the merge commit GitHub makes for a pull request (which nobody signed).
          fetch-depth: 0
          ref: ${{ github.event.pull_request.head.sha || github.sha }}
      - uses: dtolnay/rust-toolchain@stable
      - name: Install claims
        run: cargo install --locked --git "$CLAIMS_TOOL_GIT" claims
      - name: Check the records
        run: claims check --format github
      - name: Audit the history
        run: claims audit --format github --no-checkpoint
"#;

const GITLAB: &str = r#"# Written by `claims init --ci gitlab`: the office's gates on every push and merge request.
claims:
  image: rust:latest
  variables:
    # The audit reads the whole history.
    GIT_DEPTH: "0"
    # Where claims is built from: `cargo install --git` of this URL.
    CLAIMS_TOOL_GIT: @TOOL@
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
  script:
    - cargo install --locked --git "$CLAIMS_TOOL_GIT" claims
    - claims check
    - claims audit --no-checkpoint
"#;

/// The job's text. `tool` is the git URL claims is installed from; without one, the job reads
/// it from the CI service's variable `CLAIMS_TOOL_GIT` (a repository variable on GitHub, a
/// CI/CD variable on GitLab).
pub fn job(ci: Ci, tool: Option<&str>) -> String {
    let (template, from_variable) = match ci {
        Ci::Github => (GITHUB, "${{ vars.CLAIMS_TOOL_GIT }}"),
        Ci::Gitlab => (GITLAB, "$CLAIMS_TOOL_GIT"),
    };
    // A JSON string is a YAML double-quoted scalar: any URL stays one value.
    let value = tool.map_or_else(
        || format!("\"{from_variable}\""),
        |t| serde_json::to_string(t).expect("a string serializes"),
    );
    template.replace("@TOOL@", &value)
}

/// Writes the job into the office at `root`; refuses to replace a different file there.
pub fn write(root: &Path, ci: Ci, tool: Option<&str>) -> Result<PathBuf> {
    let path = root.join(ci.file());
    let text = job(ci, tool);
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == text => return Ok(path),
        Ok(_) => {
            return Err(
                Error::refused(format!("{} exists; nothing was changed", path.display()))
                    .hint("move it aside and run again, or merge the gates into it by hand"),
            )
        }
        Err(_) => {}
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io(path.display(), e))?;
    Ok(path)
}
