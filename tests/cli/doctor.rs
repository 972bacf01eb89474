//! `claims doctor`: real checks of a desk's setup, each with its fix; exit 1 when one fails.

use crate::common::{people, Office};

fn row<'a>(out: &'a str, check: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{check} ")))
        .unwrap_or_else(|| panic!("no {check} row in\n{out}"))
}

#[test]
fn a_fresh_office_is_ready_and_says_what_is_missing() {
    let o = Office::example();
    let (out, err) = o.expect(0, &["doctor"]);
    assert!(
        row(&out, "git").contains(" ok ") && row(&out, "git").contains("git version"),
        "{out}"
    );
    assert!(
        row(&out, "office settings").contains("14 people, time zone America/Chicago"),
        "{out}"
    );
    assert!(row(&out, "signing").contains(" ok "), "{out}");
    assert!(
        row(&out, "allowed signers").contains("matches authority.yaml"),
        "{out}"
    );
    assert!(row(&out, "hooks").contains("warning"), "{out}");
    assert!(out.contains("fix hooks: claims hooks install"), "{out}");
    assert!(
        row(&out, "remote").contains("none: this desk works alone"),
        "{out}"
    );
    assert!(err.contains("this desk is ready"), "{err}");
    o.expect(0, &["hooks", "install"]);
    let (out, _) = o.expect(0, &["doctor"]);
    assert!(
        row(&out, "hooks").contains("pre-commit (check) and pre-push (audit) installed"),
        "{out}"
    );
    assert!(!out.contains("fix hooks"), "{out}");
    // JSON for scripts: every check, its status and fix.
    let (json, _) = o.expect(0, &["--format", "json", "doctor"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let checks: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        checks,
        [
            "git",
            "office settings",
            "allowed signers",
            "signing",
            "hooks",
            "merge driver",
            "remote"
        ]
    );
}

#[test]
fn each_broken_part_fails_with_its_fix() {
    let o = Office::example();
    // Someone authority.yaml does not know.
    let (out, _) = o.expect(1, &["--as", "nobody@elsewhere.example", "doctor"]);
    assert!(
        row(&out, "signing").contains("failed") && out.contains("not a person in authority.yaml"),
        "{out}"
    );
    assert!(out.contains("fix signing:"), "{out}");
    // A person with no key configured for them.
    let (out, _) = o.expect(0, &["--as", people::STAFF, "doctor"]);
    assert!(row(&out, "signing").contains(" ok "), "{out}");
    o.git_ok(&[
        "config",
        "--unset",
        &format!("claims.{}.signingkey", people::STAFF),
    ]);
    let (out, _) = o.expect(1, &["--as", people::STAFF, "doctor"]);
    assert!(
        out.contains(&format!("no signing key configured for {}", people::STAFF)),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "fix signing: run `git config claims.{}.signingkey",
            people::STAFF
        )),
        "{out}"
    );
    // An allowed-signers file that no longer lists authority.yaml's keys.
    let allowed = o.root.join(".git/claims/allowed_signers");
    std::fs::write(&allowed, "someone@example.com ssh-ed25519 AAAA\n").unwrap();
    let (out, _) = o.expect(1, &["doctor"]);
    assert!(
        row(&out, "allowed signers").contains("does not list the keys of authority.yaml"),
        "{out}"
    );
    // A remote whose folder is gone.
    o.git_ok(&["remote", "add", "origin", "/nonexistent/office.git"]);
    let (out, _) = o.expect(1, &["doctor"]);
    assert!(
        row(&out, "remote").contains("origin is /nonexistent/office.git, which does not exist"),
        "{out}"
    );
    assert!(
        out.contains("fix remote: git remote set-url origin"),
        "{out}"
    );
}

#[test]
fn outside_an_office_it_says_so() {
    let o = Office::example();
    let elsewhere = o.scratch().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = o.cmd(&["doctor"]).current_dir(&elsewhere).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(row(&text, "office settings").contains("failed"), "{text}");
    assert!(row(&text, "signing").contains("skipped"), "{text}");
    assert!(row(&text, "git").contains(" ok "), "{text}");
}
