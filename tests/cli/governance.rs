//! authority.yaml governed: proposals and a second manager's approval, settings by one
//! manager, nobody's own authority, key rotation with old signatures still verifying.

use crate::common::people::{COMMITTEE, CSR, STAFF, SUPERVISOR};
use crate::common::Office;

fn promote_csr(text: &str) -> String {
    let at = text.find(&format!("- email: {CSR}")).unwrap();
    format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("role: csr", "role: staff_adjuster", 1)
    )
}

#[test]
fn a_role_change_waits_for_a_second_manager_and_then_takes_effect() {
    let o = Office::example();
    let original = o.read("authority.yaml");
    std::fs::write(o.root.join("authority.yaml"), promote_csr(&original)).unwrap();
    let (_, err) = o.expect(
        0,
        &[
            "authority",
            "propose",
            "--reason",
            "Maria passed her adjuster licence",
        ],
    );
    assert!(err.contains("waits for a second manager"), "{err}");
    // Not in effect yet: the file is as committed, the proposal waits.
    assert_eq!(o.read("authority.yaml"), original);
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "");
    let (list, _) = o.expect(0, &["--format", "json", "authority", "proposals"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    assert!(list[0]["changes"][0]
        .as_str()
        .unwrap()
        .contains("role csr -> staff_adjuster"));
    // The proposer cannot approve it; a supervisor may not at all.
    let (_, err) = o.expect(1, &["authority", "approve", &id]);
    assert!(err.contains("a second manager approves it"), "{err}");
    let (_, err) = o.expect(1, &["--as", SUPERVISOR, "authority", "approve", &id]);
    assert!(
        err.contains("may not approve changes to authority.yaml"),
        "{err}"
    );
    o.expect(0, &["--as", COMMITTEE, "authority", "approve", &id]);
    let now = o.read("authority.yaml");
    assert_eq!(
        now,
        promote_csr(&original),
        "exactly as proposed, comments and all"
    );
    // In effect: the CSR may triage now.
    o.expect(0, &["--as", CSR, "triage", "CLM-2611-FS2R-811K"]);
    o.assert_sound();
}

#[test]
fn settings_take_effect_at_once_and_own_authority_is_refused() {
    let o = Office::example();
    let original = o.read("authority.yaml");
    let holidays = original.replacen("phone: (214) 555-0140", "phone: (214) 555-0141", 1);
    std::fs::write(o.root.join("authority.yaml"), &holidays).unwrap();
    let (_, err) = o.expect(
        0,
        &["authority", "propose", "--reason", "New switchboard number"],
    );
    assert!(!err.contains("waits"), "{err}");
    assert_eq!(o.read("authority.yaml"), holidays);

    // The manager raising the manager's own limit: refused, nothing written.
    let before = o.head();
    let raised = holidays.replacen(
        "        - role: manager\n          up_to: 500000.00",
        "        - role: manager\n          up_to: 900000.00",
        1,
    );
    assert_ne!(raised, holidays);
    std::fs::write(o.root.join("authority.yaml"), &raised).unwrap();
    let (_, err) = o.expect(1, &["authority", "propose", "--reason", "More room"]);
    assert!(err.contains("change to their own authority"), "{err}");
    assert!(
        err.contains("manager role's reserve authority on property claims"),
        "{err}"
    );
    assert_eq!(o.head(), before);
    o.git_ok(&["checkout", "--", "authority.yaml"]);

    // A CSR may propose nothing.
    std::fs::write(o.root.join("authority.yaml"), promote_csr(&holidays)).unwrap();
    let (_, err) = o.expect(1, &["--as", CSR, "authority", "propose", "--reason", "me"]);
    assert!(err.contains("may not change authority.yaml"), "{err}");
    o.git_ok(&["checkout", "--", "authority.yaml"]);
    o.assert_sound();
}

#[test]
fn a_rotated_key_signs_from_now_on_and_old_commits_still_verify() {
    let o = Office::example();
    o.expect(
        0,
        &[
            "--as",
            STAFF,
            "note",
            "CLM-2610-VH4E-J57R",
            "Before the rotation",
        ],
    );
    let old_note = o.head();
    let (_, err) = o.expect(0, &["--as", STAFF, "keys", "rotate", "--generate"]);
    assert!(err.contains("now signs with"), "{err}");
    let rotation = o.head();
    let text = o.read("authority.yaml");
    assert!(text.contains("retired_keys:"), "{text}");
    o.expect(
        0,
        &[
            "--as",
            STAFF,
            "note",
            "CLM-2610-VH4E-J57R",
            "After the rotation",
        ],
    );
    // Plain git verifies every commit, the old ones with the retired key.
    for c in [&old_note, &rotation, &o.head()] {
        let v = o.git(&["verify-commit", c]);
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
    o.assert_sound();
    let (json, _) = o.expect(
        0,
        &["--format", "json", "audit", &format!("{old_note}..HEAD")],
    );
    assert!(json.contains("\"command\": \"keys rotate\""), "{json}");
}

#[test]
fn signing_with_another_persons_key_or_an_unknown_key_is_refused() {
    let o = Office::example();
    let before = o.head();
    // Git is set to sign as the CSR with the supervisor's key.
    let supervisor_key = o.key_of(SUPERVISOR);
    o.git_ok(&[
        "config",
        &format!("claims.{CSR}.signingkey"),
        &supervisor_key,
    ]);
    let (_, err) = o.expect(1, &["--as", CSR, "note", "CLM-2610-VH4E-J57R", "x"]);
    assert!(
        err.contains(&format!(
            "is the key of {SUPERVISOR} in authority.yaml, not {CSR}'s"
        )),
        "{err}"
    );
    // A key nobody in authority.yaml holds.
    let stray = o.home.join("stray_key");
    let keygen = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&stray)
        .output()
        .unwrap();
    assert!(keygen.status.success());
    o.git_ok(&["config", "user.signingkey", stray.to_str().unwrap()]);
    let (_, err) = o.expect(1, &["note", "CLM-2610-VH4E-J57R", "x"]);
    assert!(
        err.contains("a key no one in authority.yaml holds"),
        "{err}"
    );
    assert_eq!(o.head(), before);
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "");
}
