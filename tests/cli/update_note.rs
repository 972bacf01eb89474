use crate::common::Office;
use claims::domain::lifecycle::Status;

#[test]
fn note_and_update_make_one_signed_commit_each_with_trailers() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.status == Status::Investigating);
    let before = o.head();
    let csr = o.person("csr");
    o.expect(
        0,
        &[
            "note",
            &claim.id,
            "Called the insured; photos promised by Friday",
        ],
    );
    o.expect(
        0,
        &[
            "--as",
            &csr,
            "update",
            &claim.id,
            "--set",
            "insured.phone=+1 312 555 0199",
            "--reason",
            "New number given on the call",
        ],
    );
    let commits = o.git_ok(&["rev-list", &format!("{before}..HEAD")]);
    assert_eq!(commits.lines().count(), 2, "exactly one commit per command");
    let trailers = o.git_ok(&["log", "-2", "--format=%(trailers)%x00"]);
    let mut parts = trailers.split('\0');
    let update = parts.next().unwrap();
    let note = parts.next().unwrap();
    assert!(update.contains(&format!("Claim: {}", claim.id)), "{update}");
    assert!(update.contains("Command: update"));
    assert!(update.contains(&format!("Actor: {csr}")));
    assert!(update.contains("Role: csr"));
    assert!(update.contains("Reason: New number given on the call"));
    assert!(update.contains("Field: insured.phone"));
    assert!(note.contains("Command: note"), "{note}");
    // The author is the acting person, and the signature is theirs (allowed signers).
    let author = o.git_ok(&["log", "-1", "--format=%ae"]);
    assert_eq!(author.trim(), csr);
    let verify = o.git(&["verify-commit", "HEAD"]);
    assert!(String::from_utf8_lossy(&verify.stderr)
        .contains(&format!("Good \"git\" signature for {csr}")));
    // The file changed as asked, with the correction noted on the claim.
    let text = o.read(&rel);
    assert!(text.contains("phone: +1 312 555 0199"), "{text}");
    assert!(text.contains("Correction: insured.phone:"), "{text}");
    assert!(text.contains("Called the insured; photos promised by Friday"));
    o.assert_sound();
}

#[test]
fn update_refuses_fields_that_have_their_own_commands_and_bad_values() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| !c.reserves.is_empty());
    let before = o.read(&rel);
    let head = o.head();
    let (_, err) = o.expect(
        1,
        &[
            "update",
            &claim.id,
            "--set",
            "reserves[0].amount=1.00",
            "--reason",
            "x",
        ],
    );
    assert!(err.contains("cannot be corrected with update"), "{err}");
    let (_, err) = o.expect(
        1,
        &[
            "update",
            &claim.id,
            "--set",
            "status=closed",
            "--reason",
            "x",
        ],
    );
    assert!(err.contains("cannot be corrected"), "{err}");
    let (_, err) = o.expect(
        1,
        &[
            "update",
            &claim.id,
            "--set",
            "loss.date=yesterday",
            "--reason",
            "x",
        ],
    );
    assert!(err.contains("loss.date"), "{err}");
    assert_eq!(o.read(&rel), before);
    assert_eq!(o.head(), head);
}

#[test]
fn update_that_would_break_a_rule_is_refused_with_the_finding() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.lob.is_auto() && c.status != Status::Incomplete);
    let before = o.read(&rel);
    let (_, err) = o.expect(
        1,
        &[
            "update",
            &claim.id,
            "--set",
            "auto.vehicles[0].vin=1FMCU14T4JU402061",
            "--reason",
            "typo",
        ],
    );
    assert!(err.contains("N002"), "{err}");
    assert_eq!(o.read(&rel), before);
}

#[test]
fn dry_run_prints_the_change_and_writes_nothing() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.status == Status::Investigating);
    let head = o.head();
    let before = o.read(&rel);
    let (out, _) = o.expect(0, &["--dry-run", "note", &claim.id, "Dry run note"]);
    assert!(out.contains("dry run: nothing was written"));
    assert!(
        out.contains("+  text: Dry run note") || out.contains("Dry run note"),
        "{out}"
    );
    assert!(out.contains(&format!("Claim: {}", claim.id)), "{out}");
    assert_eq!(o.head(), head);
    assert_eq!(o.read(&rel), before);
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "");
}

#[test]
fn hand_edited_claim_is_not_overwritten() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.status == Status::Investigating);
    let path = o.root.join(&rel);
    let hand = o
        .read(&rel)
        .replacen("\nchannel:", "\n# reviewed by hand\nchannel:", 1);
    std::fs::write(&path, &hand).unwrap();
    let head = o.head();
    let (_, err) = o.expect(1, &["note", &claim.id, "should not land"]);
    assert!(err.contains("uncommitted edits"), "{err}");
    assert_eq!(o.read(&rel), hand, "the hand edit is kept");
    assert_eq!(o.head(), head);
}

#[test]
fn signing_failure_changes_nothing_and_exits_3_with_a_fix() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.status == Status::Investigating);
    let key = o.git_ok(&["config", "user.signingkey"]);
    std::fs::remove_file(key.trim()).unwrap();
    let head = o.head();
    let before = o.read(&rel);
    let index_before = std::fs::read(o.root.join(".git/index")).unwrap();
    let (_, err) = o.expect(3, &["note", &claim.id, "never written"]);
    assert!(
        err.contains(key.trim()),
        "the message names the missing key: {err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(o.head(), head);
    assert_eq!(o.read(&rel), before);
    assert_eq!(
        std::fs::read(o.root.join(".git/index")).unwrap(),
        index_before
    );
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "");
}

#[test]
fn two_processes_racing_on_different_claims_both_land() {
    let o = Office::example();
    let investigating: Vec<_> = o
        .claims()
        .into_iter()
        .filter(|(_, c)| c.status.is_open() && c.status != Status::Incomplete)
        .take(2)
        .collect();
    assert_eq!(investigating.len(), 2);
    let head = o.head();
    let rounds = 8;
    let children: Vec<_> = investigating
        .iter()
        .map(|(_, c)| {
            let id = c.id.clone();
            let mut cmds = Vec::new();
            for i in 0..rounds {
                cmds.push((id.clone(), format!("+1 312 555 01{i:02}")));
            }
            (id, cmds)
        })
        .collect();
    std::thread::scope(|s| {
        for (_, cmds) in &children {
            let o = &o;
            s.spawn(move || {
                for (id, phone) in cmds {
                    let out = o.run(&[
                        "update",
                        id,
                        "--set",
                        &format!("insured.phone={phone}"),
                        "--reason",
                        "race test",
                    ]);
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            });
        }
    });
    let new: Vec<String> = o
        .git_ok(&["rev-list", &format!("{head}..HEAD")])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(new.len(), 2 * rounds, "every update landed");
    let merges = o.git_ok(&["rev-list", "--merges", "HEAD"]);
    assert_eq!(merges, "", "history is linear");
    for (rel, c) in &investigating {
        let text = o.read(rel);
        assert!(
            text.contains(&format!("phone: +1 312 555 01{:02}", rounds - 1)),
            "{} lost its last update",
            c.id
        );
    }
    o.assert_sound();
}

#[test]
fn acting_as_someone_without_a_configured_key_is_refused() {
    let o = Office::example();
    let (_, claim) = o.claim_where(|c| c.status == Status::Investigating);
    let csr = o.person("csr");
    o.git_ok(&["config", "--unset", &format!("claims.{csr}.signingkey")]);
    let head = o.head();
    let (_, err) = o.expect(3, &["--as", &csr, "note", &claim.id, "signed by whom?"]);
    assert!(
        err.contains(&format!("no signing key configured for {csr}")),
        "{err}"
    );
    assert_eq!(o.head(), head);
}

#[test]
fn yes_and_no_set_y_n_facts() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.property.is_some() && c.status != Status::Incomplete);
    o.expect(
        0,
        &[
            "update",
            &claim.id,
            "--set",
            "property.public_adjuster=yes",
            "--set",
            "property.emergency_repairs_needed=No",
            "--reason",
            "Confirmed on the call",
        ],
    );
    let text = o.read(&rel);
    assert!(text.contains("public_adjuster: true"), "{text}");
    assert!(text.contains("emergency_repairs_needed: false"), "{text}");
}
