//! The remote is the gate: a bare repository with `claims hooks install --server` takes the
//! office's own work and refuses, with a message the pusher sees, what the audit would not
//! pass — pushed with plain git from a clone.

use std::path::PathBuf;

use super::common::people::{MANAGER, STAFF};
use super::common::Office;

const CLAIM: &str = "CLM-2610-VH4E-J57R";
const CLAIM_FILE: &str = "claims/2026/10/CLM-2610-VH4E-J57R.yaml";

/// An example office pushed to a bare repository (`origin`) that has the server hook.
struct Gate {
    office: Office,
    bare: PathBuf,
}

impl Gate {
    fn new() -> Gate {
        let office = Office::example();
        let bare = office.root.parent().unwrap().join("remote.git");
        let bare_path = bare.to_str().unwrap();
        office.git_ok(&["init", "-q", "--bare", "-b", "main", bare_path]);
        office.git_ok(&["remote", "add", "origin", bare_path]);
        office.git_ok(&["push", "-q", "origin", "main"]);
        let gate = Gate { office, bare };
        // As on the server: in the bare repository itself, which has no authority.yaml on disk.
        let out = gate.in_bare(&["hooks", "install", "--server"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("installed"),
            "{}",
            text(&out.stderr)
        );
        gate
    }

    /// `claims ARGS` run in the bare repository.
    fn in_bare(&self, args: &[&str]) -> std::process::Output {
        self.office
            .cmd(args)
            .current_dir(&self.bare)
            .output()
            .unwrap()
    }

    /// `git push ARGS` from the clone: (accepted, what the pusher sees on stderr).
    fn push(&self, args: &[&str]) -> (bool, String) {
        let mut all = vec!["push"];
        all.extend_from_slice(args);
        let out = self.office.git(&all);
        (out.status.success(), text(&out.stderr))
    }

    /// Where the bare repository's office branch is.
    fn remote_main(&self) -> String {
        let out = std::process::Command::new("git")
            .arg("--git-dir")
            .arg(&self.bare)
            .args(["rev-parse", "refs/heads/main"])
            .output()
            .unwrap();
        text(&out.stdout).trim().to_string()
    }

    /// Asserts a push is refused, the branch unmoved, and the pusher told `words` (each).
    fn refused(&self, args: &[&str], words: &[&str]) -> String {
        let before = self.remote_main();
        let (accepted, said) = self.push(args);
        assert!(!accepted, "the push was accepted:\n{said}");
        assert_eq!(self.remote_main(), before, "the branch moved:\n{said}");
        for w in words {
            assert!(said.contains(w), "the pusher was not told `{w}`:\n{said}");
        }
        assert!(
            said.contains("remote: claims: push refused"),
            "no refusal shown:\n{said}"
        );
        said
    }

    /// The last commit taken back (kept in the working tree) for the next test step.
    fn drop_last(&self) {
        self.office.git_ok(&["reset", "-q", "--hard", "HEAD~1"]);
    }

    /// The claim's first reserve amount raised in the working tree, by hand.
    fn raise_reserve_by_hand(&self) {
        let path = self.office.root.join(CLAIM_FILE);
        let before = std::fs::read_to_string(&path).unwrap();
        let after = before.replacen("amount: 6500.00", "amount: 16500.00", 1);
        assert_ne!(before, after);
        std::fs::write(&path, after).unwrap();
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

#[test]
fn an_unsigned_hand_edit_of_a_reserve_is_refused_naming_the_commit() {
    let g = Gate::new();
    g.raise_reserve_by_hand();
    g.office.hand_commit(STAFF, None, "raise the reserve");
    let commit = g.office.head()[..12].to_string();
    let said = g.refused(
        &["origin", "main"],
        &[
            &format!("error[A001]: commit {commit} (raise the reserve) is not signed"),
            &format!("error[A005]: commit {commit} by {STAFF}: hand edit of money"),
            CLAIM,
        ],
    );
    assert!(said.contains("remote: "), "{said}");
}

#[test]
fn a_commit_signed_with_another_persons_key_is_refused() {
    let g = Gate::new();
    g.raise_reserve_by_hand();
    let managers_key = g.office.key_of(MANAGER);
    g.office
        .hand_commit(STAFF, Some(&managers_key), "raise the reserve");
    let commit = g.office.head()[..12].to_string();
    g.refused(
        &["origin", "main"],
        &[&format!(
            "error[A003]: commit {commit} names {STAFF} but was signed with the key of {MANAGER}"
        )],
    );
}

#[test]
fn a_force_push_rewriting_history_is_refused() {
    let g = Gate::new();
    g.office.expect(0, &["note", CLAIM, "Called the insured"]);
    let (accepted, said) = g.push(&["origin", "main"]);
    assert!(accepted, "{said}");
    // The note taken back and another made in its place: the same office, a rewritten branch.
    g.drop_last();
    g.office.expect(0, &["note", CLAIM, "Called the agent"]);
    g.refused(
        &["--force", "origin", "main"],
        &["refusing to rewrite refs/heads/main, the office branch (not a fast-forward"],
    );
}

#[test]
fn deleting_the_office_branch_or_a_checkpoint_is_refused() {
    let g = Gate::new();
    g.refused(
        &["origin", ":main"],
        &["refusing to delete refs/heads/main, the office branch"],
    );
    let tag = "refs/tags/claims/checkpoint/20261120T160000Z-test";
    g.office.git_ok(&["update-ref", tag, "HEAD"]);
    let (accepted, said) = g.push(&["origin", tag]);
    assert!(accepted, "a new checkpoint tag is refused:\n{said}");
    g.refused(
        &["origin", &format!(":{tag}")],
        &["refusing to delete or move refs/tags/claims/checkpoint/"],
    );
}

#[test]
fn the_offices_own_work_is_accepted_and_moves_the_branch() {
    let g = Gate::new();
    let before = g.remote_main();
    g.office
        .expect(0, &["note", CLAIM, "Storage invoices received"]);
    g.office
        .reserve(0, STAFF, CLAIM, "9000.00", "Storage invoices through 11/30");
    let (accepted, said) = g.push(&["origin", "main"]);
    assert!(accepted, "{said}");
    assert!(
        said.contains(
            "remote: claims: audited 2 pushed commits: 0 errors, 0 other findings; accepted"
        ),
        "{said}"
    );
    assert_ne!(g.remote_main(), before);
    assert_eq!(g.remote_main(), g.office.head());
    // The bare repository audits as an office too, history only.
    let out = g.in_bare(&["audit", "--full", "--no-checkpoint"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("audited 3 commits: 0 errors, 0 warnings"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_new_branch_is_audited_where_it_leaves_the_known_history() {
    let g = Gate::new();
    g.office.git_ok(&["checkout", "-q", "-b", "review"]);
    g.office.expect(0, &["note", CLAIM, "For review"]);
    let (accepted, said) = g.push(&["origin", "review"]);
    assert!(accepted, "{said}");
    assert!(said.contains("audited 1 pushed commit:"), "{said}");
    g.raise_reserve_by_hand();
    g.office.hand_commit(STAFF, None, "raise the reserve");
    g.refused(&["origin", "review:sneaky"], &["error[A001]"]);
}

/// During pre-receive the pushed objects are only in git's quarantine; libgit2 does not look
/// there by itself. The same hook without the variables that name it cannot read the push.
#[test]
fn the_gate_reads_the_pushed_objects_in_gits_quarantine() {
    let g = Gate::new();
    let hook = g.bare.join("hooks/pre-receive");
    let real = std::fs::read_to_string(&hook).unwrap();
    let blind = real.replace(
        "exec ",
        "unset GIT_OBJECT_DIRECTORY GIT_QUARANTINE_PATH GIT_ALTERNATE_OBJECT_DIRECTORIES\nexec ",
    );
    std::fs::write(&hook, blind).unwrap();
    g.office.expect(0, &["note", CLAIM, "Called the insured"]);
    g.refused(&["origin", "main"], &["cannot read the commits pushed"]);
    std::fs::write(&hook, real).unwrap();
    let (accepted, said) = g.push(&["origin", "main"]);
    assert!(accepted, "{said}");
}

/// The steps' `run` lines of a GitHub job, or a GitLab job's `script`.
fn commands(job: &serde_yaml::Value, key: &str) -> Vec<String> {
    job[key]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s.get("run").unwrap_or(s).as_str().map(str::to_string))
        .collect()
}

#[test]
fn init_ci_github_writes_a_workflow_that_checks_and_audits_the_whole_history() {
    let o = Office::example();
    let (_, err) = o.expect(0, &["init", "--ci", "github"]);
    assert!(err.contains("wrote .github/workflows/claims.yml"), "{err}");
    let text = o.read(".github/workflows/claims.yml");
    let y: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let on = &y["on"];
    assert!(
        on.get("push").is_some() && on.get("pull_request").is_some(),
        "{text}"
    );
    let job = &y["jobs"]["gates"];
    assert_eq!(job["env"]["CLAIMS_TOOL_GIT"], "${{ vars.CLAIMS_TOOL_GIT }}");
    let checkout = &job["steps"][0];
    assert_eq!(checkout["uses"], "actions/checkout@v4");
    assert_eq!(checkout["with"]["fetch-depth"], 0, "{text}");
    let runs = commands(job, "steps");
    for want in [
        "cargo install --locked --git \"$CLAIMS_TOOL_GIT\" claims",
        "claims check --format github",
        "claims audit --format github --no-checkpoint",
    ] {
        assert!(runs.iter().any(|r| r == want), "no `{want}` in {runs:?}");
    }
    // Again: the same file is left as it is; a different one is not replaced.
    o.expect(0, &["init", "--ci", "github"]);
    o.expect(
        1,
        &[
            "init",
            "--ci",
            "github",
            "--tool",
            "https://git.example/claims.git",
        ],
    );
}

#[test]
fn init_ci_gitlab_writes_a_job_for_pushes_and_merge_requests() {
    let o = Office::example();
    let url = "https://git.example/office tools/claims.git";
    o.expect(0, &["init", "--ci", "gitlab", "--tool", url]);
    let text = o.read(".gitlab-ci.yml");
    let y: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let job = &y["claims"];
    assert_eq!(job["variables"]["GIT_DEPTH"], "0", "{text}");
    assert_eq!(job["variables"]["CLAIMS_TOOL_GIT"], url, "{text}");
    let rules: Vec<&str> = job["rules"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| r["if"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"$CI_PIPELINE_SOURCE == \"merge_request_event\""),
        "{rules:?}"
    );
    assert!(rules.contains(&"$CI_COMMIT_BRANCH"), "{rules:?}");
    assert_eq!(
        commands(job, "script")[1..],
        ["claims check", "claims audit --no-checkpoint"]
    );
    // A new office can have its job from the start.
    let dir = o.root.parent().unwrap().join("second");
    o.expect(
        0,
        &["init", dir.to_str().unwrap(), "--example", "--ci", "gitlab"],
    );
    assert!(dir.join(".gitlab-ci.yml").is_file());
}
