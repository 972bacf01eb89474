//! Two desks, one remote, plain `git pull`: the claim merge driver (`claims merge-file`)
//! merges two edits of one claim, and the audit accepts exactly what it merges.

use std::path::PathBuf;
use std::process::Output;

use crate::common::people::{MANAGER, SUPERVISOR};
use crate::common::Office;

const CLAIM: &str = "CLM-2610-VH4E-J57R";
const CLAIM_FILE: &str = "claims/2026/10/CLM-2610-VH4E-J57R.yaml";

/// One person's clone of the office's remote, with their key, as a user sets it up.
struct Desk<'a> {
    office: &'a Office,
    dir: PathBuf,
}

impl Desk<'_> {
    fn git(&self, args: &[&str]) -> Output {
        let bin = std::path::Path::new(env!("CARGO_BIN_EXE_claims"))
            .parent()
            .unwrap()
            .to_path_buf();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = self.office.git_cmd(args);
        cmd.current_dir(&self.dir).env("PATH", path);
        cmd.output().unwrap()
    }

    fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn claims(&self, code: i32, args: &[&str]) -> (String, String) {
        let out = self
            .office
            .cmd(args)
            .current_dir(&self.dir)
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
        assert_eq!(out.status.code(), Some(code), "claims {args:?}: {out:?}");
        (text(&out.stdout), text(&out.stderr))
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap()
    }

    /// `git pull --no-rebase` with a merge commit signed by the desk's key.
    fn pull(&self, extra: &[&str]) -> Output {
        let mut args = vec!["-c", "commit.gpgsign=true", "pull", "-q", "--no-rebase"];
        args.extend(extra);
        args.extend(["origin", "main"]);
        self.git(&args)
    }

    /// Clean `claims check` and `claims audit` of the whole history.
    fn assert_clean(&self) {
        self.claims(0, &["check"]);
        self.claims(0, &["audit", "--full", "--no-checkpoint"]);
    }
}

/// The example office pushed to a bare remote, and a clone of it for each of `people`.
fn desks<'a>(o: &'a Office, people: &[&str]) -> Vec<Desk<'a>> {
    let remote = o.root.join("../remote.git");
    o.git_ok(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    o.git_ok(&["push", "-q", remote.to_str().unwrap(), "HEAD:main"]);
    people
        .iter()
        .map(|email| {
            let dir = o.root.join(format!("../desk-{email}"));
            o.git_ok(&[
                "clone",
                "-q",
                "-b",
                "main",
                remote.to_str().unwrap(),
                dir.to_str().unwrap(),
            ]);
            let desk = Desk { office: o, dir };
            let key = o.key_of(email);
            for (k, v) in [
                ("user.email", *email),
                ("user.name", *email),
                ("gpg.format", "ssh"),
                ("user.signingkey", key.as_str()),
            ] {
                desk.git_ok(&["config", k, v]);
            }
            let (_, err) = desk.claims(0, &["hooks", "install"]);
            assert!(err.contains("merge driver"), "{err}");
            desk
        })
        .collect()
}

#[test]
fn init_and_hooks_register_the_claim_merge_driver() {
    let o = Office::example();
    assert_eq!(o.read(".gitattributes"), "claims/**/*.yaml merge=claims\n");
    let driver = o.git_ok(&["config", "--get", "merge.claims.driver"]);
    let bin = std::fs::canonicalize(env!("CARGO_BIN_EXE_claims")).unwrap();
    assert_eq!(
        driver.trim(),
        format!("{} merge-file %O %A %B %P", bin.display())
    );
    o.git_ok(&["config", "--unset", "merge.claims.driver"]);
    o.expect(0, &["hooks", "install"]);
    assert_eq!(
        o.git_ok(&["config", "--get", "merge.claims.driver"]),
        driver
    );
    o.assert_sound();
}

#[test]
fn plain_git_pull_merges_two_desks_notes_on_one_claim() {
    let o = Office::example();
    let d = desks(&o, &[MANAGER, SUPERVISOR]);
    d[0].claims(0, &["note", CLAIM, "Called the insured about the rental"]);
    d[0].git_ok(&["push", "-q", "origin", "HEAD:main"]);
    d[1].claims(0, &["note", CLAIM, "Body shop sent the supplement"]);
    let out = d[1].pull(&[]);
    assert!(out.status.success(), "{out:?}");

    let merged = d[1].read(CLAIM_FILE);
    // Ours (the desk that pulls) first, then theirs.
    let ours = merged.find("Body shop sent the supplement").unwrap();
    let theirs = merged.find("Called the insured about the rental").unwrap();
    assert!(ours < theirs, "{merged}");
    // One merge commit, signed by the desk that made it (the audit verifies it).
    assert_eq!(
        d[1].git_ok(&["rev-list", "--count", "--merges", "HEAD"]),
        "1\n"
    );
    d[1].assert_clean();

    // The pre-push audit lets it through; the other desk fast-forwards to the same bytes.
    d[1].git_ok(&["push", "-q", "origin", "HEAD:main"]);
    d[0].git_ok(&["pull", "-q", "--ff-only", "origin", "main"]);
    assert_eq!(d[0].read(CLAIM_FILE), merged);
    d[0].assert_clean();
}

#[test]
fn the_same_fact_changed_differently_on_two_desks_is_a_conflict() {
    let o = Office::example();
    let d = desks(&o, &[MANAGER, SUPERVISOR]);
    let update = |desk: &Desk, phone: &str| {
        desk.claims(
            0,
            &[
                "update",
                CLAIM,
                "--set",
                &format!("insured.phone={phone}"),
                "--reason",
                "insured called with a new number",
            ],
        );
    };
    update(&d[0], "+1 312 555 0101");
    d[0].git_ok(&["push", "-q", "origin", "HEAD:main"]);
    update(&d[1], "+1 312 555 0199");
    let ours = d[1].read(CLAIM_FILE);
    let out = d[1].pull(&[]);
    assert!(!out.status.success(), "{out:?}");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains(&format!("cannot merge {CLAIM_FILE}")),
        "{said}"
    );
    assert!(said.contains("insured.phone"), "{said}");
    assert!(said.contains("claims sync"), "{said}");
    assert!(said.contains("CONFLICT"), "{said}");
    d[1].git_ok(&["merge", "--abort"]);
    assert_eq!(d[1].read(CLAIM_FILE), ours);
}

#[test]
fn a_merge_commit_with_a_hand_edit_is_reported() {
    let o = Office::example();
    let d = desks(&o, &[MANAGER, SUPERVISOR]);
    d[0].claims(0, &["note", CLAIM, "Called the insured"]);
    d[0].git_ok(&["push", "-q", "origin", "HEAD:main"]);
    d[1].claims(0, &["note", CLAIM, "Supplement received"]);
    let out = d[1].pull(&["--no-commit"]);
    assert!(out.status.success(), "{out:?}");
    // The merge also raises a reserve (within the adjuster's limit, so the pre-commit check
    // passes it), which neither desk did.
    let text = d[1].read(CLAIM_FILE);
    let from = "    amount: 9800.00\n    previous: 6500.00";
    assert!(text.contains(from), "{text}");
    std::fs::write(
        d[1].dir.join(CLAIM_FILE),
        text.replacen(from, "    amount: 9900.00\n    previous: 6500.00", 1),
    )
    .unwrap();
    d[1].git_ok(&["add", "-A"]);
    d[1].git_ok(&["commit", "-q", "-S", "-m", "Merge origin/main"]);
    let (json, _) = d[1].claims(
        1,
        &["--format", "json", "audit", "--full", "--no-checkpoint"],
    );
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["code"] == "A021"
            && f["file"] == CLAIM_FILE
            && f["message"]
                .as_str()
                .unwrap()
                .contains("nor the claim merge of the two")),
        "{json}"
    );
}
