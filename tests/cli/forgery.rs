//! The forgery suite: histories forged with plain git and real keys, as an attacker with
//! write access and a valid key of their own would make them. `claims audit` must exit 1 and
//! name each forgery with its code; the tool's own history stays clean (the control).

use crate::common::people::{COMMITTEE, CSR, MANAGER, RECOMMENDER, SENIOR, STAFF, SUPERVISOR};
use crate::common::{caught, forged, Office};

const AUTO: &str = "CLM-2610-VH4E-J57R"; // settlement pending, jwhitfield's (IL)
const AUTO_FILE: &str = "claims/2026/10/CLM-2610-VH4E-J57R.yaml";
const WATER: &str = "CLM-2610-RBZJ-DXFA"; // denial recommended by sokafor (NY)
const WATER_FILE: &str = "claims/2026/10/CLM-2610-RBZJ-DXFA.yaml";
const REPORTED: &str = "CLM-2611-FS2R-811K";

fn edit(o: &Office, rel: &str, from: &str, to: &str) {
    let text = o.read(rel);
    assert!(text.contains(from), "{rel} lacks `{from}`");
    std::fs::write(o.root.join(rel), text.replacen(from, to, 1)).unwrap();
}

/// The tool's last commit taken back (files kept in the working tree) and its message.
fn undo_last(o: &Office) -> String {
    let message = o.git_ok(&["log", "-1", "--format=%B"]);
    o.git_ok(&["reset", "-q", "--soft", "HEAD~1"]);
    message
}

/// The tool's message with `from` replaced by `to`.
fn reworded(message: &str, from: &str, to: &str) -> String {
    assert!(message.contains(from), "{message} lacks {from}");
    message.replacen(from, to, 1)
}

/// The tool's last commit taken back and committed again, signed by `to` as its own: the
/// message's actor and role (`from`'s) reworded to `to`'s.
fn resigned_as(o: &Office, from: (&str, &str), to: (&str, &str)) {
    let message = undo_last(o);
    let message = reworded(
        &message,
        &format!("Actor: {}", from.0),
        &format!("Actor: {}", to.0),
    );
    let message = reworded(
        &message,
        &format!("Role: {}", from.1),
        &format!("Role: {}", to.1),
    );
    o.commit_as(to.0, &message);
}

fn stray_key(o: &Office) -> String {
    let path = o.home.join("mallory_key");
    if !path.exists() {
        let out = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "mallory", "-f"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    path.to_string_lossy().to_string()
}

// --- signatures -----------------------------------------------------------------------------

#[test]
fn unsigned_wrong_signer_unknown_key_and_unknown_author() {
    let o = Office::example();
    edit(&o, WATER_FILE, "burst overnight", "burst during the night");
    o.hand_commit(CSR, None, "Wording");
    caught(&o, "A001", "is not signed");

    let o = Office::example();
    edit(&o, WATER_FILE, "burst overnight", "burst during the night");
    o.hand_commit(CSR, Some(&o.key_of(SUPERVISOR)), "Wording");
    caught(
        &o,
        "A003",
        &format!("names {CSR} but was signed with the key of {SUPERVISOR}"),
    );

    let o = Office::example();
    edit(&o, WATER_FILE, "burst overnight", "burst during the night");
    o.hand_commit(CSR, Some(&stray_key(&o)), "Wording");
    caught(&o, "A003", "a key no one in authority.yaml holds");

    let o = Office::example();
    edit(&o, WATER_FILE, "burst overnight", "burst during the night");
    o.hand_commit("mallory@evil.example", Some(&stray_key(&o)), "Wording");
    caught(
        &o,
        "A003",
        "mallory@evil.example is not a person in authority.yaml",
    );
}

#[test]
fn a_signed_commit_whose_content_was_changed_after_signing() {
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    // Rewrite the commit object's message by hand, keeping its signature.
    let raw = o.git_ok(&["cat-file", "commit", "HEAD"]);
    let tampered = raw.replace("Called the body shop", "Called the body shop twice");
    let path = o.home.join("tampered");
    std::fs::write(&path, tampered).unwrap();
    let id = o.git_ok(&["hash-object", "-t", "commit", "-w", path.to_str().unwrap()]);
    o.git_ok(&["update-ref", "HEAD", id.trim()]);
    caught(&o, "A002", "does not verify");
}

// --- forged and doubled tool trailers ---------------------------------------------------------

#[test]
fn a_staff_adjuster_forges_an_effective_reserve_with_a_senior_limit() {
    let o = Office::example();
    o.reserve(
        0,
        STAFF,
        AUTO,
        "45000.00",
        "Repair estimate and storage invoices received",
    );
    let message = undo_last(&o);
    // What the tool wrote: pending, needing a senior adjuster. The forger makes it effective
    // and records the senior's 50,000 limit as if it covered him.
    let text = o.read(AUTO_FILE);
    let new = text.find("    amount: 45000.00").unwrap();
    let at = text[..new].rfind("  - at: ").unwrap();
    let (head, last) = text.split_at(at);
    let forged = last
        .replacen("state: pending", "state: effective", 1)
        .replacen(
            "required_role: senior_adjuster",
            "required_role: staff_adjuster",
            1,
        );
    assert_ne!(forged, last);
    std::fs::write(o.root.join(AUTO_FILE), format!("{head}{forged}")).unwrap();
    let message = reworded(&message, "(pending approval)", "(effective)");
    let message = reworded(&message, "State: pending", "State: effective");
    o.commit_as(STAFF, &message);
    caught(&o, "A010", "state: effective");
}

#[test]
fn an_approval_in_another_persons_name() {
    let o = Office::example();
    o.reserve(
        0,
        STAFF,
        AUTO,
        "45000.00",
        "Repair estimate and storage invoices received",
    );
    o.expect(0, &["--as", SENIOR, "approve", AUTO, "--note", "seen"]);
    let message = undo_last(&o);
    // The staff adjuster commits the senior's approval himself (the file as the tool made it).
    o.commit_as(
        STAFF,
        &reworded(
            &message,
            &format!("Actor: {SENIOR}"),
            &format!("Actor: {STAFF}"),
        ),
    );
    caught(&o, "A009", "may not approve changes above authority");
}

#[test]
fn doubled_missing_and_unknown_trailers() {
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    o.commit_as(
        MANAGER,
        &format!(
            "{}Actor: {COMMITTEE}\n",
            message.trim_end().to_string() + "\n"
        ),
    );
    caught(&o, "A012", "2 `Actor:` trailers");

    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    let without: String = message
        .lines()
        .filter(|l| !l.starts_with("Args:"))
        .collect::<Vec<_>>()
        .join("\n");
    o.commit_as(MANAGER, &without);
    caught(&o, "A012", "0 `Args:` trailers");

    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    o.commit_as(
        MANAGER,
        &reworded(&message, "Command: note", "Command: bless"),
    );
    caught(&o, "A012", "`bless` is not a command");

    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    o.commit_as(
        MANAGER,
        &reworded(
            &message,
            "\"Called the body shop\"",
            "\"Called the body shop\" --urgent",
        ),
    );
    caught(&o, "A012", "unexpected --urgent");
}

#[test]
fn a_commit_that_says_note_but_does_more() {
    // A note's trailers on a commit that also closes the claim.
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    edit(
        &o,
        AUTO_FILE,
        "status: settlement_pending",
        "status: closed",
    );
    o.commit_as(MANAGER, &message);
    caught(&o, "A010", "status: closed");

    // ... and one that changes another claim besides.
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    edit(&o, WATER_FILE, "burst overnight", "burst during the night");
    o.commit_as(MANAGER, &message);
    caught(&o, "A010", &format!("also changes {WATER_FILE}"));

    // ... and one whose Actor trailer names someone else than its signer.
    let o = Office::example();
    o.expect(0, &["--as", CSR, "note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    o.commit_as(
        CSR,
        &reworded(
            &message,
            &format!("Actor: {CSR}"),
            &format!("Actor: {MANAGER}"),
        ),
    );
    caught(&o, "A010", "its message differs");

    // ... and one whose note is dated otherwise than the commit.
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Called the body shop"]);
    let message = undo_last(&o);
    let text = o.read(AUTO_FILE);
    let at = text.rfind("2026-11-20T10:00:00-06:00").unwrap();
    std::fs::write(
        o.root.join(AUTO_FILE),
        format!(
            "{}2026-11-02T10:00:00-06:00{}",
            &text[..at],
            &text[at + 25..]
        ),
    )
    .unwrap();
    o.commit_as(MANAGER, &message);
    caught(&o, "A010", "2026-11-02T10:00:00-06:00");
}

#[test]
fn a_command_the_author_may_not_run() {
    let o = Office::example();
    o.expect(0, &["--as", SUPERVISOR, "triage", REPORTED]);
    // The CSR signs the supervisor's triage as her own.
    resigned_as(&o, (SUPERVISOR, "supervisor"), (CSR, "csr"));
    caught(&o, "A009", &format!("{CSR} (csr) may not triage claims"));
}

// --- hand edits of the record -------------------------------------------------------------------

#[test]
fn hand_edits_of_money_status_approvals_and_ids() {
    let o = Office::example();
    edit(
        &o,
        AUTO_FILE,
        "    amount: 9800.00\n    previous: 6500.00",
        "    amount: 45000.00\n    previous: 6500.00",
    );
    o.commit_as(STAFF, "Reserve");
    caught(&o, "A005", "money");

    // Self-approval written by hand.
    let o = Office::example();
    let text = o
        .read(WATER_FILE)
        .replace("status: denial_recommended", "status: denial_approved")
        .replace(
            "  recommended_at: 2026-11-18T10:15:00-06:00\n",
            "  recommended_at: 2026-11-18T10:15:00-06:00\n  approval:\n    by: sokafor@harborpoint.example\n    role: senior_adjuster\n    at: 2026-11-19T09:00:00-06:00\n",
        );
    std::fs::write(o.root.join(WATER_FILE), text).unwrap();
    o.commit_as(RECOMMENDER, "Approve");
    caught(&o, "A006", "(D001)");

    // A claim created by hand, and one deleted.
    let o = Office::example();
    let text = o.read(AUTO_FILE).replace(AUTO, "CLM-2610-ZZZZ-ZZZZ");
    std::fs::write(o.root.join("claims/2026/10/CLM-2610-ZZZZ-ZZZZ.yaml"), text).unwrap();
    o.commit_as(CSR, "New claim");
    caught(&o, "A005", "a claim created by hand");
    let o = Office::example();
    std::fs::remove_file(o.root.join(AUTO_FILE)).unwrap();
    o.commit_as(MANAGER, "Gone");
    caught(&o, "A005", "a claim deleted by hand");

    // A letter of record rewritten.
    let o = Office::example();
    let letter = "claims/2026/08/CLM-2608-JN8S-QVEH/letters/denial.txt";
    edit(&o, letter, "Dear", "Hello");
    o.commit_as(MANAGER, "Nicer letter");
    caught(&o, "A005", "letters and attachments");

    // A note slipped in under another person's name.
    let o = Office::example();
    let text = o.read(AUTO_FILE);
    let notes = text.find("notes:\n").unwrap() + "notes:\n".len();
    let forged = format!(
        "{}  - at: 2026-11-19T09:00:00-06:00\n    by: {SENIOR}\n    text: Approved the total loss by phone\n{}",
        &text[..notes],
        &text[notes..]
    );
    std::fs::write(o.root.join(AUTO_FILE), forged).unwrap();
    o.commit_as(STAFF, "Note");
    caught(&o, "A005", "notes attributed to others");
}

// --- authority.yaml -----------------------------------------------------------------------------

fn authority_edit(o: &Office, from: &str, to: &str) {
    edit(o, "authority.yaml", from, to);
}

#[test]
fn authority_changes_by_the_unentitled_or_the_self_interested() {
    // A CSR gives her own role triage.
    let o = Office::example();
    authority_edit(
        &o,
        "can: [intake, note, update]",
        "can: [intake, note, update, triage]",
    );
    o.commit_as(CSR, "More to do");
    caught(&o, "A008", "may not change authority.yaml");
    caught(&o, "A007", "role csr: may now triage");

    // The manager alone changes a role's rank, removes a person, adds one, changes a review.
    for (from, to, words) in [
        (
            "    title: Staff Adjuster\n    rank: 2",
            "    title: Staff Adjuster\n    rank: 3",
            "rank 2 -> 3",
        ),
        (
            "  - email: tbrooks@harborpoint.example\n",
            "  - email: tbrooks-gone@harborpoint.example\n",
            "tbrooks@harborpoint.example: removed",
        ),
        (
            "      review_by: manager\n    - claim_type: workers_comp",
            "    - claim_type: workers_comp",
            "review on bodily_injury claims: manager -> none",
        ),
    ] {
        let o = Office::example();
        authority_edit(&o, from, to);
        o.commit_as(MANAGER, "Tidy");
        caught(&o, "A008", words);
    }

    // A supervisor adds a person.
    let o = Office::example();
    authority_edit(
        &o,
        "people:\n",
        "people:\n  - email: friend@harborpoint.example\n    name: A Friend\n    role: supervisor\n",
    );
    o.commit_as(SUPERVISOR, "Help");
    caught(
        &o,
        "A008",
        "friend@harborpoint.example: added as supervisor",
    );

    // The manager raises the manager's own limit.
    let o = Office::example();
    authority_edit(
        &o,
        "        - role: manager\n          up_to: 500000.00",
        "        - role: manager\n          up_to: 900000.00",
    );
    o.commit_as(MANAGER, "Room");
    caught(
        &o,
        "A007",
        "manager role's reserve authority on property claims",
    );

    // The staff adjuster changes his own key by hand.
    let o = Office::example();
    let key = std::fs::read_to_string(format!("{}.pub", stray_key(&o))).unwrap();
    let key: String = key.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let text = o.read("authority.yaml");
    let at = text.find(&format!("- email: {STAFF}")).unwrap();
    let k = at + text[at..].find("signing_key: ").unwrap() + "signing_key: ".len();
    let end = k + text[k..].find('\n').unwrap();
    std::fs::write(
        o.root.join("authority.yaml"),
        format!("{}{key}{}", &text[..k], &text[end..]),
    )
    .unwrap();
    o.commit_as(STAFF, "My new key");
    caught(&o, "A007", &format!("{STAFF}: signing key changed"));
}

#[test]
fn a_key_swap_in_two_commits() {
    // The CSR puts her own key in the manager's entry, then signs as the manager.
    let o = Office::example();
    let csr_key = std::fs::read_to_string(format!("{}.pub", o.key_of(CSR))).unwrap();
    let csr_key: String = csr_key
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let text = o.read("authority.yaml");
    let at = text.find(&format!("- email: {MANAGER}")).unwrap();
    let k = at + text[at..].find("signing_key: ").unwrap() + "signing_key: ".len();
    let end = k + text[k..].find('\n').unwrap();
    std::fs::write(
        o.root.join("authority.yaml"),
        format!("{}{csr_key}{}", &text[..k], &text[end..]),
    )
    .unwrap();
    o.commit_as(CSR, "Fix key");
    edit(
        &o,
        AUTO_FILE,
        "    amount: 9800.00\n    previous: 6500.00",
        "    amount: 95000.00\n    previous: 6500.00",
    );
    o.hand_commit(MANAGER, Some(&o.key_of(CSR)), "Reserve as the manager");
    caught(&o, "A008", &format!("{MANAGER}: signing key changed"));
    caught(&o, "A003", &format!("names {MANAGER}"));
}

#[test]
fn proposals_written_or_approved_by_hand() {
    let o = Office::example();
    std::fs::create_dir_all(o.root.join("proposals/authority")).unwrap();
    std::fs::write(
        o.root.join("proposals/authority/AUTH-0000000000.yaml"),
        "id: x\n",
    )
    .unwrap();
    o.commit_as(MANAGER, "Proposal");
    caught(&o, "A008", "is written by `claims authority`");

    // The proposer approves his own proposal, forging the approval commit.
    let o = Office::example();
    let text = o.read("authority.yaml");
    let at = text.find(&format!("- email: {CSR}")).unwrap();
    let promoted = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("role: csr", "role: staff_adjuster", 1)
    );
    std::fs::write(o.root.join("authority.yaml"), promoted).unwrap();
    o.expect(0, &["authority", "propose", "--reason", "Licensed"]);
    let id = o
        .git_ok(&["log", "-1", "--format=%(trailers:key=Proposal,valueonly)"])
        .trim()
        .to_string();
    o.expect(0, &["--as", COMMITTEE, "authority", "approve", &id]);
    resigned_as(&o, (COMMITTEE, "committee"), (MANAGER, "manager"));
    caught(&o, "A009", "a second manager approves it");
}

#[test]
fn a_proposal_written_by_hand_cannot_be_approved_later() {
    let o = Office::example();
    let text = o.read("authority.yaml");
    let at = text.find(&format!("- email: {CSR}")).unwrap();
    let promoted = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("role: csr", "role: staff_adjuster", 1)
    );
    std::fs::write(o.root.join("authority.yaml"), promoted).unwrap();
    o.expect(0, &["authority", "propose", "--reason", "Licensed"]);
    let id = o
        .git_ok(&["log", "-1", "--format=%(trailers:key=Proposal,valueonly)"])
        .trim()
        .to_string();
    // The same proposal, committed by hand: no `authority propose` wrote it.
    undo_last(&o);
    o.commit_as(MANAGER, "Propose a promotion");
    o.expect(0, &["--as", COMMITTEE, "authority", "approve", &id]);
    let findings = forged(&o);
    assert!(
        findings
            .iter()
            .any(|(c, m)| c == "A008" && m.contains("approves") && m.contains("written by hand")),
        "{findings:?}"
    );
}

// --- policies, templates, other files ---------------------------------------------------------

#[test]
fn policies_templates_and_other_files() {
    // A policy limit raised to 99,999,999 by an unsigned, unknown author.
    let o = Office::example();
    let policy = "policies/PAU-IL-2026-20931.yaml";
    let text = o.read(policy);
    let at = text.find("limit: ").unwrap() + "limit: ".len();
    let end = at + text[at..].find('\n').unwrap();
    std::fs::write(
        o.root.join(policy),
        format!("{}99999999.00{}", &text[..at], &text[end..]),
    )
    .unwrap();
    o.hand_commit("mallory@evil.example", None, "Limits");
    caught(&o, "A001", "is not signed");
    caught(&o, "A016", "without the manage_policies permission");

    // The same by a staff adjuster with his own key.
    let o = Office::example();
    let text = o.read(policy);
    std::fs::write(
        o.root.join(policy),
        format!("{}99999999.00{}", &text[..at], &text[end..]),
    )
    .unwrap();
    o.commit_as(STAFF, "Limits");
    caught(&o, "A016", "without the manage_policies permission");

    // A template rewritten by a CSR.
    let o = Office::example();
    edit(
        &o,
        "templates/denial.txt.j2",
        "Right to reinvestigation",
        "Questions",
    );
    o.commit_as(CSR, "Template");
    caught(&o, "A017", "without the manage_templates permission");

    // A symbolic link committed into a claim's folder.
    let o = Office::example();
    std::fs::create_dir_all(o.root.join("claims/2026/10/CLM-2610-VH4E-J57R")).unwrap();
    std::os::unix::fs::symlink(
        "/etc",
        o.root.join("claims/2026/10/CLM-2610-VH4E-J57R/letters"),
    )
    .unwrap();
    o.commit_as(MANAGER, "Link");
    caught(&o, "A015", "symbolic link");

    // Another file, signed by a person of the office: a warning only.
    let o = Office::example();
    std::fs::write(o.root.join("README.txt"), "Office handbook\n").unwrap();
    o.commit_as(MANAGER, "Handbook");
    let (out, _) = o.expect(0, &["audit", "--full", "--no-checkpoint"]);
    assert!(out.contains("warning[A014]"), "{out}");
}

// --- private keys -------------------------------------------------------------------------------

#[test]
fn private_keys_are_never_committed_and_always_found() {
    let o = Office::example();
    let key = o.key_of(CSR);
    // The tool refuses to attach one...
    o.expect(0, &["--as", SUPERVISOR, "triage", REPORTED]);
    o.expect(0, &["--as", SUPERVISOR, "assign", REPORTED]);
    let before = o.head();
    let adjuster = o
        .claim_where(|c| c.id == REPORTED)
        .1
        .adjuster()
        .unwrap()
        .to_string();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            &adjuster,
            "document",
            REPORTED,
            "photos",
            "--received",
            "--file",
            &key,
        ],
    );
    assert!(
        err.contains("private key material is never committed"),
        "{err}"
    );
    // ... or to put one in a note.
    let text = std::fs::read_to_string(&key).unwrap();
    let (_, err) = o.expect(1, &["note", AUTO, &format!("my key:\n{text}")]);
    assert!(err.contains("private key"), "{err}");
    assert_eq!(o.head(), before);

    // The audit finds one committed by hand, in an attachment or base64 in an email.
    std::fs::create_dir_all(o.root.join("claims/2026/10/CLM-2610-VH4E-J57R/attachments")).unwrap();
    std::fs::copy(
        &key,
        o.root
            .join("claims/2026/10/CLM-2610-VH4E-J57R/attachments/photo.jpg"),
    )
    .unwrap();
    o.commit_as(MANAGER, "Photo");
    caught(
        &o,
        "A013",
        "an OpenSSH private key in claims/2026/10/CLM-2610-VH4E-J57R/attachments/photo.jpg",
    );
    let out = o.run(&["audit", "--full", "--no-checkpoint"]);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(text.lines().nth(1).unwrap()),
        "the key itself is never printed"
    );
}

// --- rewritten history and merges ----------------------------------------------------------------

#[test]
fn a_rewritten_resigned_history_fails_against_its_checkpoint() {
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Payment promised Friday"]);
    o.expect(0, &["note", AUTO, "Insured disputes the total loss value"]);
    let (_, err) = o.expect(0, &["audit"]);
    assert!(err.contains("checkpoint claims/checkpoint/"), "{err}");
    // The dispute is erased: history rewritten and re-signed by the tool itself.
    o.git_ok(&["reset", "-q", "--hard", "HEAD~1"]);
    o.expect(0, &["note", AUTO, "Insured accepts the total loss value"]);
    let (out, _) = o.expect(1, &["audit"]);
    assert!(out.contains("error[A018]"), "{out}");
    assert!(out.contains("history rewritten"), "{out}");
    assert!(
        out.contains("note CLM-2610-VH4E-J57R: Insured disputes"),
        "{out}"
    );
    // A forged checkpoint (signed by someone whose role may not audit) is ignored.
    o.git_ok(&[
        "-c",
        &format!("user.signingkey={}", o.key_of(CSR)),
        "-c",
        &format!("user.email={CSR}"),
        "tag",
        "-s",
        "-m",
        "ok",
        "claims/checkpoint/20991231T000000Z-forged",
    ]);
    let (out, _) = o.expect(1, &["audit"]);
    assert!(out.contains("warning[A022]"), "{out}");
    assert!(out.contains("may not record checkpoints"), "{out}");
}

#[test]
fn the_pre_push_hook_refuses_a_force_push_and_a_deleted_branch() {
    let o = Office::example();
    o.expect(0, &["hooks", "install"]);
    let remote = o.root.join("../remote.git");
    o.git_ok(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    o.git_ok(&["remote", "add", "origin", remote.to_str().unwrap()]);
    o.expect(0, &["note", AUTO, "First"]);
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_claims"))
        .parent()
        .unwrap()
        .to_path_buf();
    let push = |args: &[&str]| {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(&o.root)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("HOME", &o.home)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("CLAIMS_NOW", crate::common::NOW)
            .args(args);
        cmd.output().unwrap()
    };
    assert!(push(&["push", "-q", "origin", "HEAD:main"])
        .status
        .success());
    o.git_ok(&["reset", "-q", "--hard", "HEAD~1"]);
    o.expect(0, &["note", AUTO, "Second"]);
    let out = push(&["push", "-q", "-f", "origin", "HEAD:main"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a fast-forward"),
        "{out:?}"
    );
    let out = push(&["push", "-q", "origin", ":main"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refusing to delete"),
        "{out:?}"
    );
}

#[test]
fn a_merge_commit_that_hides_a_change() {
    let o = Office::example();
    o.git_ok(&["branch", "side"]);
    o.expect(0, &["note", AUTO, "On main"]);
    o.git_ok(&["checkout", "-q", "side"]);
    o.expect(0, &["note", WATER, "On the side"]);
    o.git_ok(&["checkout", "-q", "main"]);
    o.git_ok(&[
        "-c",
        &format!("user.signingkey={}", o.key_of(MANAGER)),
        "merge",
        "-q",
        "-S",
        "--no-ff",
        "--no-commit",
        "side",
    ]);
    // The merge also raises a reserve, in neither parent.
    edit(
        &o,
        AUTO_FILE,
        "    amount: 9800.00\n    previous: 6500.00",
        "    amount: 45000.00\n    previous: 6500.00",
    );
    o.git_ok(&["add", "-A"]);
    o.git_ok(&[
        "-c",
        &format!("user.signingkey={}", o.key_of(MANAGER)),
        "commit",
        "-q",
        "-S",
        "-m",
        "Merge side",
    ]);
    caught(&o, "A021", "holds a version of it neither side has");
}

// --- the control -------------------------------------------------------------------------------

#[test]
fn the_tools_own_history_is_clean() {
    let o = Office::example();
    o.expect(0, &["--as", SUPERVISOR, "triage", "--pending"]);
    o.expect(0, &["--as", SUPERVISOR, "assign", "--pending"]);
    o.reserve(
        0,
        STAFF,
        AUTO,
        "45000.00",
        "Repair estimate and storage invoices received",
    );
    o.expect(0, &["--as", SENIOR, "approve", AUTO]);
    o.expect(0, &["--as", SUPERVISOR, "deny", "approve", WATER]);
    let (out, _) = o.expect(0, &["audit", "--full"]);
    assert_eq!(out, "");
    o.assert_sound();
}

// --- found by an independent attack on the audit -------------------------------------------------

/// `git` in the office with the hermetic environment and the commit times set to `when`.
fn git_at(o: &Office, when: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = o.git_cmd(args);
    cmd.env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when);
    cmd.output().unwrap()
}

#[test]
fn a_second_first_commit_merged_in_is_refused() {
    // A staff adjuster builds a history of his own (in which he governs) holding a claim with
    // a payment approved in the manager's name, and merges it into the office.
    let o = Office::example();
    let fabricated = o.read(AUTO_FILE).replace(AUTO, "CLM-2610-QQQQ-QQQQ");
    o.git_ok(&["checkout", "-q", "--orphan", "import"]);
    std::fs::write(
        o.root.join("claims/2026/10/CLM-2610-QQQQ-QQQQ.yaml"),
        fabricated,
    )
    .unwrap();
    o.commit_as(STAFF, "import");
    o.git_ok(&["checkout", "-q", "main"]);
    o.git_ok(&[
        "-c",
        &format!("user.signingkey={}", o.key_of(STAFF)),
        "-c",
        &format!("user.email={STAFF}"),
        "merge",
        "-q",
        "-S",
        "--no-edit",
        "--allow-unrelated-histories",
        "import",
    ]);
    caught(&o, "A021", "shares no commit with the office's");
}

#[test]
fn a_retired_key_and_a_departed_person_cannot_come_in_by_a_side_branch() {
    let o = Office::example();
    let base = o.head();
    let leaked = o.home.join("leaked");
    std::fs::copy(o.key_of(SENIOR), &leaked).unwrap();
    o.expect(0, &["--as", SENIOR, "keys", "rotate", "--generate"]);
    // Work forked before the rotation, signed with the retired key, merged in afterwards.
    o.git_ok(&["checkout", "-q", "-b", "side", &base]);
    o.git_ok(&[
        "config",
        &format!("claims.{SENIOR}.signingkey"),
        leaked.to_str().unwrap(),
    ]);
    o.expect(0, &["--as", SENIOR, "note", AUTO, "From the old branch"]);
    o.git_ok(&[
        "-c",
        &format!("user.signingkey={}", leaked.display()),
        "-c",
        &format!("user.email={SENIOR}"),
        "merge",
        "-q",
        "-S",
        "--no-edit",
        "main",
    ]);
    o.git_ok(&["checkout", "-q", "main"]);
    o.git_ok(&["merge", "-q", "--ff-only", "side"]);
    caught(&o, "A003", "by the authority.yaml of the line it joins");
}

#[test]
fn a_matrix_with_a_limit_given_twice_is_invalid() {
    let o = Office::example();
    authority_edit(
        &o,
        "        - role: staff_adjuster\n          up_to: 10000.00\n",
        "        - role: staff_adjuster\n          up_to: 9000000.00\n        - role: staff_adjuster\n          up_to: 10000.00\n",
    );
    o.commit_as(MANAGER, "Tidy the matrix");
    caught(&o, "A008", "authority.yaml is left invalid");
    // And the tool refuses to propose it.
    o.git_ok(&["reset", "-q", "--soft", "HEAD~1"]);
    let (_, err) = o.expect(1, &["authority", "propose", "--reason", "tidy"]);
    assert!(err.contains("has two reserve limits"), "{err}");
}

#[test]
fn replace_refs_a_blessed_checkpoint_and_a_fake_one() {
    // git replace: git would show another commit than the history holds.
    let o = Office::example();
    o.expect(0, &["note", AUTO, "One"]);
    let one = o.head();
    o.expect(0, &["note", AUTO, "Two"]);
    o.git_ok(&["replace", &o.head(), &one]);
    caught(&o, "A024", "replace refs");

    // A supervisor forges a reserve approval by hand and tags a "checkpoint" over it: this
    // clone's routine audit still audits the forgery (only its own audits let it start later).
    let o = Office::example();
    edit(
        &o,
        AUTO_FILE,
        "    amount: 9800.00\n    previous: 6500.00",
        "    amount: 45000.00\n    previous: 6500.00",
    );
    o.commit_as(SUPERVISOR, "Approved");
    let tag = format!("claims/checkpoint/20261120T170000Z-{}", &o.head()[..12]);
    o.git_ok(&[
        "-c",
        &format!("user.signingkey={}", o.key_of(SUPERVISOR)),
        "-c",
        &format!("user.email={SUPERVISOR}"),
        "tag",
        "-s",
        "-m",
        "claims audit: verified",
        &tag,
    ]);
    o.expect(0, &["note", AUTO, "Later work"]);
    let (out, _) = o.expect(1, &["audit"]);
    assert!(out.contains("error[A005]"), "{out}");

    // A tag on something that is no commit does not crash the audit.
    let o = Office::example();
    let blob = o.git_ok(&["rev-parse", "HEAD:authority.yaml"]);
    o.git_ok(&["tag", "-a", "-m", "x", "claims/checkpoint/x", blob.trim()]);
    let (out, _) = o.expect(0, &["audit", "--no-checkpoint"]);
    assert!(out.contains("warning[A022]"), "{out}");
}

#[test]
fn a_commit_dated_back_is_refused_and_reported() {
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Today"]);
    // The tool refuses a clock set back...
    let out = o
        .cmd(&["note", AUTO, "Backdated"])
        .env("CLAIMS_NOW", "2026-10-01T10:00:00-05:00")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("before the commit it builds on"));
    // ... and the audit a commit dated back with plain git.
    edit(&o, WATER_FILE, "burst overnight", "burst during the night");
    o.git_ok(&["add", "-A"]);
    let key = o.key_of(MANAGER);
    let out = git_at(
        &o,
        "2026-10-01T10:00:00-05:00",
        &[
            "-c",
            &format!("user.signingkey={key}"),
            "commit",
            "-q",
            "-S",
            "-m",
            "Wording",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    caught(&o, "A023", "before the commit it builds on");
}

#[test]
fn an_approval_after_the_claim_was_reclassified_needs_what_the_request_needed() {
    let o = Office::example();
    // The GL claim's pending reserve was recorded as needing the committee (litigated).
    let claim = "CLM-2610-8XQQ-T1SD";
    let (_, err) = o.expect(1, &["approve", claim]);
    assert!(err.contains("needs committee"), "{err}");
    o.expect(
        0,
        &[
            "update",
            claim,
            "--set",
            "liability.represented=false",
            "--set",
            "liability.litigation=false",
            "--reason",
            "recorded in error",
        ],
    );
    let (_, err) = o.expect(1, &["approve", claim]);
    assert!(err.contains("committee"), "{err}");
}

#[test]
fn trailers_git_reads_that_a_strict_reader_would_not() {
    let o = Office::example();
    edit(&o, AUTO_FILE, "state: pending", "state: effective");
    o.hand_commit(
        STAFF,
        Some(&o.key_of(STAFF)),
        &format!("approve {AUTO}: settlement\n\nClaim:{AUTO}\nCommand:approve\nArgs:{AUTO}\nActor:{SENIOR}\nRole:senior_adjuster"),
    );
    let out = o.run(&["audit", "--full", "--no-checkpoint"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn keys_gzipped_or_escaped_and_git_control_files() {
    let o = Office::example();
    o.expect(0, &["--as", SUPERVISOR, "triage", REPORTED]);
    o.expect(0, &["--as", SUPERVISOR, "assign", REPORTED]);
    let adjuster = o
        .claim_where(|c| c.id == REPORTED)
        .1
        .adjuster()
        .unwrap()
        .to_string();
    let key = std::fs::read(o.key_of(MANAGER)).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &key).unwrap();
    let gz_path = o.home.join("odometer.pdf.gz");
    std::fs::write(&gz_path, gz.finish().unwrap()).unwrap();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            &adjuster,
            "document",
            REPORTED,
            "photos",
            "--received",
            "--file",
            gz_path.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("private key material is never committed"),
        "{err}"
    );

    // The key as an escaped YAML string in a note, by hand.
    let o = Office::example();
    let text = String::from_utf8(std::fs::read(o.key_of(MANAGER)).unwrap()).unwrap();
    let escaped: String = text.replace('-', "\\x2D").replace('\n', "\\n");
    let claim = o.read(AUTO_FILE);
    let notes = claim.find("notes:\n").unwrap() + "notes:\n".len();
    std::fs::write(
        o.root.join(AUTO_FILE),
        format!(
            "{}  - at: 2026-11-20T10:00:00-06:00\n    by: {MANAGER}\n    text: \"{escaped}\"\n{}",
            &claim[..notes],
            &claim[notes..]
        ),
    )
    .unwrap();
    o.commit_as(MANAGER, "Note");
    caught(&o, "A013", "private key");

    // .mailmap shows another person as author in plain git log.
    let o = Office::example();
    std::fs::write(
        o.root.join(".mailmap"),
        format!("Angela Martinez <{SENIOR}> <{STAFF}>\n"),
    )
    .unwrap();
    o.commit_as(STAFF, "housekeeping");
    caught(&o, "A015", "changes how git shows");
}

#[test]
fn the_hook_keeps_checkpoints_and_refuses_replace_refs() {
    let o = Office::example();
    o.expect(0, &["hooks", "install"]);
    let remote = o.root.join("../remote.git");
    o.git_ok(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    o.git_ok(&["remote", "add", "origin", remote.to_str().unwrap()]);
    o.expect(0, &["audit"]);
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_claims"))
        .parent()
        .unwrap()
        .to_path_buf();
    let push = |args: &[&str]| {
        let mut cmd = o.git_cmd(args);
        cmd.env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        );
        cmd.output().unwrap()
    };
    assert!(
        push(&["push", "-q", "--follow-tags", "origin", "HEAD:main"])
            .status
            .success()
    );
    let tag = o.git_ok(&["tag", "-l", "claims/checkpoint/*"]);
    let tag = tag.trim();
    assert!(!tag.is_empty());
    let out = push(&["push", "-q", "origin", &format!(":refs/tags/{tag}")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("checkpoints are how a rewritten history is found"));
}

#[test]
fn amounts_signers_lines_notes_spaces_and_modes() {
    let o = Office::example();
    // No amount beyond a trillion (sums of them stay exact).
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            COMMITTEE,
            "reserve",
            AUTO,
            "--amount",
            "792281625142643375935439503.35",
            "--reason",
            "other",
            "--note",
            "x",
        ],
    );
    assert!(err.contains("more than any claim holds"), "{err}");

    // A signing program that signs with another key than the one configured.
    let script = o.home.join("sign.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nskip=0; for a in \"$@\"; do shift; if [ $skip = 1 ]; then skip=0; continue; fi\n  case \"$a\" in -f) skip=1; continue;; -U) continue;; esac; set -- \"$@\" \"$a\"; done\nexec ssh-keygen \"$@\" -f {}\n",
            o.key_of(SENIOR)
        ),
    )
    .unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&script).unwrap().permissions(),
        0o755,
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let before = o.head();
    let public = std::fs::read_to_string(format!("{}.pub", o.key_of(STAFF))).unwrap();
    let literal: String = public
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    o.git_ok(&["config", "gpg.ssh.program", script.to_str().unwrap()]);
    o.git_ok(&[
        "config",
        &format!("claims.{STAFF}.signingkey"),
        &format!("key::{literal}"),
    ]);
    let out = o.run(&["--as", STAFF, "note", AUTO, "signed by whom?"]);
    assert_ne!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("signed with another key"),
        "{out:?}"
    );
    assert_eq!(o.head(), before);
    o.git_ok(&["config", "--unset", "gpg.ssh.program"]);

    // A line of business changed by hand into one its policy does not have.
    let o = Office::example();
    edit(
        &o,
        "claims/2026/11/CLM-2611-YFNF-X1DT.yaml",
        "lob: personal_auto",
        "lob: property",
    );
    o.commit_as(STAFF, "Fix the line");
    caught(&o, "A005", "leaves the claim invalid");

    // Another person's note reworded.
    let o = Office::example();
    o.expect(
        0,
        &[
            "note",
            AUTO,
            "Do not pay until the senior adjuster approves.",
        ],
    );
    edit(
        &o,
        AUTO_FILE,
        "text: Do not pay until the senior adjuster approves.",
        "text: Approved by phone; pay now.",
    );
    o.commit_as(STAFF, "typo");
    caught(&o, "A005", "notes attributed to others");

    // Two spaces in a note replay exactly; an executable bit set by hand is the hand edit's
    // finding only, not the next command's.
    let o = Office::example();
    o.expect(0, &["note", AUTO, "Insured called.  Call back after 5pm."]);
    let path = o.root.join(AUTO_FILE);
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    o.commit_as(STAFF, "x");
    o.expect(0, &["note", AUTO, "After the mode change"]);
    let found = forged(&o);
    assert_eq!(
        found
            .iter()
            .filter(|(c, _)| c.starts_with('A') && c != "A004")
            .count(),
        1,
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(c, m)| c == "A015" && m.contains("executable")),
        "{found:?}"
    );
}

// --- the judgment commands: merges, acceptance, releases, closing and reopening ----------------

/// The relative path of claim `id`'s file.
fn file_of(o: &Office, id: &str) -> String {
    o.claim_where(|c| c.id == id).0
}

/// Two web reports of the fleet's F-150 on one day whose places read differently: a possible
/// duplicate (`b` of `a`) for a person to decide; `b` reports a fatality.
fn possible_pair(o: &Office) -> (String, String) {
    use crate::duplicates::{truck, F150};
    let a = o.intake_payload(&truck(
        "2026-11-19T08:00:00-06:00",
        F150,
        "I-35 at exit 240, Austin, TX",
        "Rear-ended a van",
        false,
    ));
    let b = o.intake_payload(&truck(
        "2026-11-19T10:00:00-06:00",
        F150,
        "IH-35 northbound, Austin, TX",
        "Truck hit a van; the van's driver died",
        true,
    ));
    for id in [&a, &b] {
        o.expect(0, &["--as", SUPERVISOR, "triage", id]);
    }
    (a, b)
}

#[test]
fn a_merge_by_a_csr_and_a_merge_that_drops_the_fatality() {
    let merge = |o: &Office, a: &str, b: &str| {
        o.expect(
            0,
            &[
                "--as",
                SUPERVISOR,
                "merge",
                b,
                "--into",
                a,
                "--note",
                "One impact on the dashcam",
            ],
        );
    };
    // The supervisor's merge signed by a CSR as her own.
    let o = Office::example();
    let (a, b) = possible_pair(&o);
    merge(&o, &a, &b);
    resigned_as(&o, (SUPERVISOR, "supervisor"), (CSR, "csr"));
    caught(&o, "A009", &format!("{CSR} (csr) may not"));

    // The merge as the tool makes it, but the surviving claim loses the fatality it gained.
    let o = Office::example();
    let (a, b) = possible_pair(&o);
    merge(&o, &a, &b);
    let message = undo_last(&o);
    let rel = file_of(&o, &a);
    assert!(
        o.read(&rel).contains("priority: critical"),
        "{}",
        o.read(&rel)
    );
    edit(&o, &rel, "priority: critical", "priority: high");
    o.commit_as(SUPERVISOR, &message);
    caught(&o, "A010", "priority: critical");

    // An unmerge that keeps the fatality on the claim it came back from.
    let o = Office::example();
    let (a, b) = possible_pair(&o);
    merge(&o, &a, &b);
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "unmerge",
            &b,
            "--note",
            "Two vans after all",
        ],
    );
    let message = undo_last(&o);
    let rel = file_of(&o, &a);
    let text = o.read(&rel);
    assert!(!text.contains("priority: critical"), "{text}");
    let restored = text
        .lines()
        .find(|l| l.starts_with("  priority: "))
        .unwrap();
    edit(&o, &rel, restored, "  priority: critical");
    o.commit_as(SUPERVISOR, &message);
    caught(&o, "A010", &rel);
}

#[test]
fn a_coverage_acceptance_dated_back_and_one_by_a_csr() {
    let truck = "CLM-2611-33T6-3CJ0";
    let accept = |o: &Office| {
        o.expect(
            0,
            &["--as", SENIOR, "accept", truck, "--at", "2026-11-20 09:30"],
        );
    };
    // The file says acceptance a week earlier than the command recorded: the Texas payment
    // clock would seem to have started (and been met) before it did.
    let o = Office::example();
    accept(&o);
    let message = undo_last(&o);
    let rel = file_of(&o, truck);
    let text = o.read(&rel);
    assert_eq!(
        text.matches("2026-11-20T09:30:00-06:00").count(),
        2,
        "{text}"
    );
    std::fs::write(
        o.root.join(&rel),
        text.replace("2026-11-20T09:30:00-06:00", "2026-11-13T09:30:00-06:00"),
    )
    .unwrap();
    o.commit_as(SENIOR, &message);
    caught(&o, "A010", "2026-11-13T09:30:00-06:00");

    // A CSR may not decide coverage.
    let o = Office::example();
    accept(&o);
    resigned_as(&o, (SENIOR, "senior_adjuster"), (CSR, "csr"));
    caught(&o, "A009", &format!("{CSR} (csr) may not"));
}

#[test]
fn a_release_recorded_as_signed_by_someone_who_is_not_the_releasor() {
    // The deer strike's first-party release is the two named insureds'; one of them alone
    // does not give it, whatever the commit says.
    let o = Office::example();
    o.expect(0, &["--as", SENIOR, "approve", AUTO]);
    o.expect(0, &["--as", STAFF, "release", AUTO]);
    o.expect(
        0,
        &[
            "--as",
            STAFF,
            "release",
            AUTO,
            "--signed-by",
            "Kevin and Laura Novak",
            "--on",
            "2026-11-20",
        ],
    );
    let message = undo_last(&o);
    edit(
        &o,
        AUTO_FILE,
        "signed_by: Kevin and Laura Novak",
        "signed_by: Laura Novak",
    );
    let message = message.replace("Kevin and Laura Novak", "Laura Novak");
    o.commit_as(STAFF, &message);
    caught(&o, "A009", "the release is given by Kevin and Laura Novak");
}

#[test]
fn a_closing_without_payment_by_hand_and_a_reopening_by_a_staff_adjuster() {
    let truck = "CLM-2611-33T6-3CJ0";
    // A claim closed without payment by a plain edit of its status.
    let o = Office::example();
    let rel = file_of(&o, truck);
    edit(&o, &rel, "status: assigned", "status: closed");
    o.commit_as(SENIOR, "Close the withdrawn claim");
    caught(&o, "A005", "hand edit of status");

    // The tool's closing, with a reason the commit does not record.
    let o = Office::example();
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "close",
            truck,
            "--without-payment",
            "withdrawn",
            "--note",
            "Withdrawn by letter of 11/19",
        ],
    );
    let message = undo_last(&o);
    edit(&o, &rel, "withdrawn", "no_liability");
    o.commit_as(SENIOR, &message);
    caught(&o, "A010", "no_liability");

    // A reopening signed by a staff adjuster, who may not reopen a closed claim.
    let o = Office::example();
    let closed = "CLM-2610-S9B8-YM57";
    o.expect(
        0,
        &[
            "--as",
            MANAGER,
            "reopen",
            closed,
            "--reason",
            "supplemental_damage",
            "--note",
            "Hidden damage",
        ],
    );
    resigned_as(&o, (MANAGER, "manager"), (STAFF, "staff_adjuster"));
    caught(&o, "A009", &format!("{STAFF} (staff_adjuster) may not"));
}
