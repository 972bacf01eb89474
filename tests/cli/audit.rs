use crate::common::people::{CSR, RECOMMENDER, STAFF, SUPERVISOR};
use crate::common::Office;

fn key_of(o: &Office, email: &str) -> String {
    o.key_of(email)
}

fn hand_commit(o: &Office, author: &str, key: Option<&str>, message: &str) {
    o.hand_commit(author, key, message)
}

fn edit(o: &Office, rel: &str, from: &str, to: &str) {
    let text = o.read(rel);
    assert!(text.contains(from), "{rel} lacks `{from}`");
    std::fs::write(o.root.join(rel), text.replacen(from, to, 1)).unwrap();
}

fn audit(o: &Office, code: i32, range: Option<&str>) -> String {
    let mut args = vec!["audit"];
    args.extend(range);
    o.expect(code, &args).0
}

#[test]
fn a_workflow_made_by_the_tool_audits_clean_and_logs_its_steps() {
    let o = Office::example();
    let start = o.head();
    o.expect(0, &["triage", "--pending"]);
    o.expect(
        0,
        &["--as", SUPERVISOR, "deny", "approve", "CLM-2610-RBZJ-DXFA"],
    );
    o.expect(
        0,
        &[
            "deny",
            "letter",
            "CLM-2610-RBZJ-DXFA",
            "--method",
            "certified-mail",
        ],
    );
    o.expect(
        0,
        &[
            "note",
            "CLM-2610-RBZJ-DXFA",
            "Letter mailed from the front desk",
        ],
    );
    let out = audit(&o, 0, None);
    assert_eq!(out, "", "no findings");
    let out = audit(&o, 0, Some(&format!("{start}..HEAD")));
    assert_eq!(out, "");

    let (log, _) = o.expect(0, &["--format", "csv", "log", "CLM-2610-RBZJ-DXFA"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines[0],
        "when,who,role,command,amount,signature,commit,subject,source"
    );
    assert!(lines[1].contains(",init,"), "{log}");
    assert!(
        lines[2].contains(&format!("{SUPERVISOR},supervisor,deny approve,,good,")),
        "{log}"
    );
    assert!(lines[3].contains(",deny letter,,good,"), "{log}");
    assert!(lines[4].contains(",note,,good,"), "{log}");
    assert_eq!(lines.len(), 5);
}

#[test]
fn forged_author_unsigned_and_cosmetic_hand_edits_are_reported() {
    let o = Office::example();
    let rel = "claims/2026/10/CLM-2610-RBZJ-DXFA.yaml";
    // A cosmetic hand edit, properly signed by its author: a warning only.
    edit(
        &o,
        rel,
        "The supply line to the second-floor toilet burst",
        "The supply line to the upstairs toilet burst",
    );
    hand_commit(&o, CSR, Some(&key_of(&o, CSR)), "Fix wording");
    let out = audit(&o, 0, None);
    assert!(out.contains("warning[A004]"), "{out}");
    assert!(
        out.contains("-description: The supply line to the second-floor toilet burst"),
        "{out}"
    );
    o.expect(1, &["audit", "--full", "--strict"]);

    // The author says Maria; the key is Linda's.
    edit(&o, rel, "upstairs toilet", "second-floor toilet");
    hand_commit(&o, CSR, Some(&key_of(&o, SUPERVISOR)), "Wording back");
    let out = audit(&o, 1, None);
    assert!(out.contains("error[A003]"), "{out}");
    assert!(
        out.contains(&format!(
            "names {CSR} but was signed with the key of {SUPERVISOR}"
        )),
        "{out}"
    );

    // No signature at all.
    edit(&o, rel, "second-floor toilet", "toilet");
    hand_commit(&o, CSR, None, "Shorter");
    let (json, _) = o.expect(1, &["--format", "json", "audit", "--full"]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"A001"), "{json}");
    assert_eq!(report["commits"], 4);
}

#[test]
fn hand_edits_of_money_and_approvals_and_beyond_authority_are_errors() {
    let o = Office::example();
    let start = o.head();
    // A staff adjuster raises a reserve far above the staff limit, by hand, signed by himself.
    let rel = "claims/2026/10/CLM-2610-VH4E-J57R.yaml";
    edit(
        &o,
        rel,
        "    amount: 9800.00\n    previous: 6500.00",
        "    amount: 45000.00\n    previous: 6500.00",
    );
    hand_commit(&o, STAFF, Some(&key_of(&o, STAFF)), "Reserve update");
    // The recommender approves his own denial, by hand.
    let rel2 = "claims/2026/10/CLM-2610-RBZJ-DXFA.yaml";
    let text = o
        .read(rel2)
        .replace("status: denial_recommended", "status: denial_approved");
    let text = text.replace(
        "  recommended_at: 2026-11-18T10:15:00-06:00\n",
        "  recommended_at: 2026-11-18T10:15:00-06:00\n  approval:\n    by: sokafor@harborpoint.example\n    role: senior_adjuster\n    at: 2026-11-19T09:00:00-06:00\n",
    );
    std::fs::write(o.root.join(rel2), text).unwrap();
    hand_commit(&o, RECOMMENDER, Some(&key_of(&o, RECOMMENDER)), "Approve");

    let out = audit(&o, 1, Some(&format!("{start}..HEAD")));
    let line_with = |code: &str, claim: &str| {
        out.lines()
            .find(|l| l.contains(code) && l.contains(claim))
            .unwrap_or_else(|| panic!("no {code} for {claim} in:\n{out}"))
            .to_string()
    };
    assert!(line_with("error[A005]", "CLM-2610-VH4E-J57R").contains("amount: 45000.00"));
    assert!(line_with("error[A006]", "CLM-2610-VH4E-J57R").contains("beyond authority (M005)"));
    assert!(line_with("error[A005]", "CLM-2610-RBZJ-DXFA").contains(RECOMMENDER));
    assert!(line_with("error[A006]", "CLM-2610-RBZJ-DXFA").contains("(D001)"));
}

#[test]
fn a_command_beyond_the_actors_role_is_an_error() {
    let o = Office::example();
    let start = o.head();
    // A CSR signs a commit that says it is the tool's triage: her role does not triage.
    std::fs::create_dir_all(o.root.join("claims/2026/11/CLM-2611-FS2R-811K")).unwrap();
    std::fs::write(
        o.root.join("claims/2026/11/CLM-2611-FS2R-811K/note.txt"),
        "triage notes",
    )
    .unwrap();
    hand_commit(
        &o,
        CSR,
        Some(&key_of(&o, CSR)),
        &format!("triage CLM-2611-FS2R-811K\n\nClaim: CLM-2611-FS2R-811K\nCommand: triage\nArgs: CLM-2611-FS2R-811K\nActor: {CSR}\nRole: csr"),
    );
    // A staff adjuster's commit claiming an assignment override.
    std::fs::write(
        o.root.join("claims/2026/11/CLM-2611-FS2R-811K/note2.txt"),
        "override",
    )
    .unwrap();
    hand_commit(
        &o,
        STAFF,
        Some(&key_of(&o, STAFF)),
        &format!("assign CLM-2611-FS2R-811K\n\nClaim: CLM-2611-FS2R-811K\nCommand: assign\nArgs: CLM-2611-FS2R-811K --to {STAFF} --reason mine\nActor: {STAFF}\nRole: staff_adjuster\nOverride-Reason: mine"),
    );
    let out = audit(&o, 1, Some(&format!("{start}..HEAD")));
    assert!(
        out.contains("error[A009]: commit ")
            && out.contains(&format!(
                "`triage` by {CSR}, replayed at its parent, is refused: {CSR} (csr) may not triage claims"
            )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "`assign` by {STAFF}, replayed at its parent, is refused: {STAFF} (staff_adjuster) may not override an assignment"
        )),
        "{out}"
    );
    // The same commands by the tool, by people entitled to them, audit clean.
    o.expect(0, &["--as", SUPERVISOR, "triage", "CLM-2611-FS2R-811K"]);
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "assign",
            "CLM-2611-FS2R-811K",
            "--to",
            STAFF,
            "--reason",
            "covers",
        ],
    );
    let tip = o.head();
    let after = audit(&o, 0, Some(&format!("{tip}~2..{tip}")));
    assert!(!after.contains("A009"), "{after}");
}

#[test]
fn changing_ones_own_key_or_limit_needs_another_signer() {
    let o = Office::example();
    let start = o.head();
    // A supervisor promotes a CSR by hand: she may not govern authority.yaml, and a role
    // change takes a second manager's approval anyway.
    let authority = o.read("authority.yaml");
    let csr_entry = authority.find(&format!("- email: {CSR}")).unwrap();
    let swapped = format!(
        "{}{}",
        &authority[..csr_entry],
        authority[csr_entry..].replacen("role: csr", "role: staff_adjuster", 1)
    );
    std::fs::write(o.root.join("authority.yaml"), &swapped).unwrap();
    hand_commit(
        &o,
        SUPERVISOR,
        Some(&key_of(&o, SUPERVISOR)),
        "Promote Maria",
    );
    let out = audit(&o, 1, Some(&format!("{start}..HEAD")));
    assert!(out.contains("error[A008]"), "{out}");
    assert!(out.contains("may not change authority.yaml"), "{out}");
    assert!(
        out.contains(&format!("{CSR}: role csr -> staff_adjuster")),
        "{out}"
    );
    let start = o.head();

    // The staff adjuster swaps in a new key for himself, signing with his old one.
    let text = o.read("authority.yaml");
    let at = text.find(&format!("- email: {STAFF}")).unwrap();
    let key_at = at + text[at..].find("signing_key: ").unwrap() + "signing_key: ".len();
    let end = key_at + text[key_at..].find('\n').unwrap();
    let new_key =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0vq0X3v0aP7rYbqU3cVq2d8Ew6w3n8q0yqkQq7Xk1B attacker";
    let changed = format!("{}{}{}", &text[..key_at], new_key, &text[end..]);
    std::fs::write(o.root.join("authority.yaml"), changed).unwrap();
    hand_commit(&o, STAFF, Some(&key_of(&o, STAFF)), "Rotate my key");
    let out = audit(&o, 1, Some(&format!("{start}..HEAD")));
    assert!(out.contains("error[A007]"), "{out}");
    assert!(
        out.contains(&format!("{STAFF}: signing key changed")),
        "{out}"
    );

    // The unsound key change never took effect: his next commit, signed with his old key, is
    // still his (the audit judges it by the authority.yaml in effect, not the forged one).
    let rel = "claims/2026/10/CLM-2610-RBZJ-DXFA.yaml";
    edit(&o, rel, "burst overnight", "burst during the night");
    hand_commit(&o, STAFF, Some(&key_of(&o, STAFF)), "Wording");
    let out = audit(&o, 1, Some(&format!("{start}..HEAD")));
    let last = out.lines().last().unwrap();
    assert!(last.contains("warning[A004]"), "{out}");
    assert!(!out.contains("A002") && !out.contains("A003"), "{out}");
}

/// git with the built `claims` first on PATH, as the hooks find it on a user's machine.
fn git_with_claims(o: &Office, args: &[&str]) -> std::process::Output {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_claims"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(&o.root)
        .env("PATH", path)
        .env("HOME", &o.home)
        .env("CLAIMS_KEY_DIR", o.home.join("keys"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("CLAIMS_NOW", crate::common::NOW)
        .args(args);
    cmd.output().unwrap()
}

#[test]
fn hooks_check_before_commit_and_audit_before_push() {
    let o = Office::example();
    std::fs::write(o.root.join(".git/hooks/pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    let (_, err) = o.expect(1, &["hooks", "install"]);
    assert!(err.contains("was not written by claims"), "{err}");
    o.expect(0, &["hooks", "install", "--force"]);
    o.expect(0, &["hooks", "install"]); // its own hooks are replaced freely

    // pre-commit: a claim broken by hand cannot be committed.
    let rel = "claims/2026/10/CLM-2610-RBZJ-DXFA.yaml";
    edit(&o, rel, "jurisdiction: NY", "jurisdiction: ZZ");
    o.git_ok(&["add", rel]);
    let out = git_with_claims(&o, &["commit", "-q", "-m", "oops"]);
    assert!(!out.status.success());
    // git shows a hook's output on stderr.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error[N003]"),
        "{out:?}"
    );
    o.git_ok(&["reset", "-q", "--hard"]);

    // pre-push: an unsigned commit is not pushed.
    let remote = o.root.join("../remote.git");
    o.git_ok(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    o.git_ok(&["remote", "add", "origin", remote.to_str().unwrap()]);
    let out = git_with_claims(&o, &["push", "-q", "origin", "HEAD:main"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    edit(&o, rel, "burst overnight", "burst during the night");
    o.git_ok(&["add", rel]);
    let out = git_with_claims(
        &o,
        &[
            "-c",
            &format!("user.email={CSR}"),
            "commit",
            "-q",
            "--no-gpg-sign",
            "-m",
            "Unsigned wording",
        ],
    );
    assert!(
        out.status.success(),
        "the pre-commit check passes a valid file: {out:?}"
    );
    let out = git_with_claims(&o, &["push", "-q", "origin", "HEAD:main"]);
    assert!(!out.status.success());
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(shown.contains("error[A001]"), "{out:?}");
}
