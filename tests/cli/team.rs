//! One office, many desks: clones of a shared bare remote, each set up for one person with
//! `claims clone`, working and syncing in turns (`claims sync`). Everything a user would check
//! with plain git is checked with plain git.

use std::path::Path;

use crate::common::people::{CSR, SENIOR, STAFF, SUPERVISOR};
use crate::common::Office;

const AUTO: &str = "CLM-2610-VH4E-J57R"; // settlement pending, jwhitfield's (IL)
const TRUCK: &str = "CLM-2611-33T6-3CJ0"; // TX commercial auto, assigned, open tasks

/// The example office pushed to a bare repository beside it; returns the remote's path.
fn remote_of(o: &Office) -> std::path::PathBuf {
    let bare = o.scratch().join("remote.git");
    let out = o.git(&["clone", "--quiet", "--bare", ".", bare.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    bare
}

/// `claims clone REMOTE DIR --email EMAIL`: one person's desk.
fn desk(o: &Office, remote: &Path, name: &str, email: &str) -> Office {
    let dir = o.scratch().join(name);
    let (out, err) = o.expect(
        0,
        &[
            "clone",
            remote.to_str().unwrap(),
            dir.to_str().unwrap(),
            "--email",
            email,
        ],
    );
    assert!(err.contains("ready: authority.yaml lists"), "{err}");
    assert!(out.starts_with("ssh-ed25519 "), "{out}");
    o.at(dir)
}

fn note(d: &Office, id: &str, text: &str) {
    d.expect(0, &["note", id, text]);
}

fn sync(d: &Office) -> String {
    d.expect(0, &["sync"]).1
}

fn notes_of(d: &Office, id: &str) -> Vec<String> {
    d.claim_where(|c| c.id == id)
        .1
        .notes
        .iter()
        .map(|n| n.text.clone())
        .collect()
}

/// Every commit on the remote's branch, from a fresh clone: verifies with plain git, audits
/// clean, checks clean, and replays.
fn assert_remote_sound(o: &Office, remote: &Path, name: &str) -> Office {
    let fresh = desk(o, remote, name, SENIOR);
    fresh.expect(0, &["check"]);
    fresh.assert_sound();
    fresh
}

#[test]
fn three_desks_work_in_turns_and_every_change_lands_once() {
    let o = Office::example();
    let remote = remote_of(&o);
    // The remote is the gate: every push is audited there.
    let (_, err) = o
        .at(remote.clone())
        .expect(0, &["hooks", "install", "--server"]);
    assert!(err.contains("pre-receive"), "{err}");
    let csr = desk(&o, &remote, "csr", CSR);
    let adjuster = desk(&o, &remote, "adjuster", STAFF);
    let supervisor = desk(&o, &remote, "supervisor", SUPERVISOR);
    // A fresh clone verifies with plain git once set up.
    let v = csr.git(&["verify-commit", "HEAD"]);
    assert!(v.status.success(), "{v:?}");

    // Round 1: notes on the same claim from two desks, a first notice from the third; the
    // desks sync in turns, each after the others moved the remote.
    note(&adjuster, AUTO, "Called the body shop: parts on order");
    note(
        &supervisor,
        AUTO,
        "Reviewed the file: storage charges to be watched",
    );
    let reported = csr.intake_payload(&crate::duplicates::truck(
        "2026-11-20T09:00:00-06:00",
        crate::duplicates::F150,
        "I-35 at exit 40, Fort Worth",
        "Rear-ended in slow traffic",
        false,
    ));
    let err = sync(&adjuster);
    assert!(err.contains("pushed 1 commit"), "{err}");
    let err = sync(&supervisor);
    assert!(err.contains("received 1 commit"), "{err}");
    assert!(err.contains("worked again on origin/main"), "{err}");
    assert!(err.contains("pushed 1 commit"), "{err}");
    let err = sync(&csr);
    assert!(err.contains("received 2 commits"), "{err}");
    assert!(err.contains("pushed 1 commit"), "{err}");
    for d in [&adjuster, &supervisor] {
        let err = sync(d);
        assert!(err.contains("received"), "{err}");
    }

    // Round 2: a reserve above the adjuster's authority, approved from another desk.
    adjuster.reserve(0, STAFF, AUTO, "45000.00", "Rental and storage mounting");
    note(&supervisor, AUTO, "Asked for the storage invoices");
    sync(&supervisor);
    sync(&adjuster);
    sync(&supervisor);
    supervisor.expect(0, &["approve", AUTO, "--note", "Storage invoices seen"]);
    note(&adjuster, AUTO, "Rental extended a week");
    sync(&adjuster);
    sync(&supervisor);
    for d in [&csr, &adjuster, &supervisor] {
        sync(d);
    }

    // Every desk holds the same history, and every change in it once.
    let heads: Vec<String> = [&csr, &adjuster, &supervisor]
        .iter()
        .map(|d| d.head())
        .collect();
    assert!(heads.iter().all(|h| *h == heads[0]), "{heads:?}");
    let notes = notes_of(&supervisor, AUTO);
    for text in [
        "Called the body shop: parts on order",
        "Reviewed the file: storage charges to be watched",
        "Asked for the storage invoices",
        "Rental extended a week",
    ] {
        assert_eq!(
            notes.iter().filter(|n| n.contains(text)).count(),
            1,
            "{text}: {notes:?}"
        );
    }
    let c = supervisor.claim_where(|c| c.id == AUTO).1;
    assert_eq!(c.effective_reserve().to_string(), "45000.00");
    assert!(supervisor.claims().iter().any(|(_, c)| c.id == reported));
    // Ids are unique (a clone never overwrote another's claim).
    let ids: Vec<String> = supervisor.claims().into_iter().map(|(_, c)| c.id).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len());

    // The remote is sound: plain git verifies every commit of a fresh clone, the audit
    // replays every command.
    assert_remote_sound(&o, &remote, "fresh");
}

#[test]
fn a_command_that_no_longer_applies_is_kept_aside_with_the_reason_and_can_be_dropped() {
    let o = Office::example();
    let remote = remote_of(&o);
    o.at(remote.clone())
        .expect(0, &["hooks", "install", "--server"]);
    let a = desk(&o, &remote, "a", SENIOR);
    let b = desk(&o, &remote, "b", SUPERVISOR);
    let close = |d: &Office, why: &str| {
        d.expect(
            0,
            &[
                "close",
                TRUCK,
                "--without-payment",
                why,
                "--note",
                "Ms. Yates withdrew her claim by letter of 11/19",
            ],
        );
    };
    close(&a, "withdrawn");
    close(&b, "withdrawn");
    note(&b, AUTO, "Spoke to the insured about the rental");
    sync(&a);
    let err = sync(&b);
    // B's close no longer applies; B's note does.
    assert!(err.contains("warning: kept aside"), "{err}");
    assert!(err.contains(&format!("close {TRUCK}")), "{err}");
    assert!(err.contains("pushed 1 commit"), "{err}");
    let (out, _) = b.expect(0, &["--format", "json", "sync", "--kept"]);
    let kept: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kept = kept.as_array().unwrap();
    assert_eq!(kept.len(), 1, "{out}");
    assert_eq!(kept[0]["command"], "close");
    assert_eq!(kept[0]["claim"], TRUCK);
    assert_eq!(kept[0]["author"], SUPERVISOR);
    assert!(!kept[0]["reason"].as_str().unwrap().is_empty(), "{out}");
    // The kept commit is still in the clone (a ref keeps it), never on the remote.
    let commit = kept[0]["commit"].as_str().unwrap().to_string();
    b.git_ok(&["cat-file", "-e", &commit]);
    let on_remote = b.git(&["merge-base", "--is-ancestor", &commit, "origin/main"]);
    assert!(!on_remote.status.success());
    // Redoing it now is refused for the same reason, and it stays kept.
    let (_, err) = b.expect(1, &["sync", "--redo", &commit[..10]]);
    assert!(err.contains("error:"), "{err}");
    assert_eq!(
        b.expect(0, &["--format", "csv", "sync", "--kept"])
            .0
            .lines()
            .count(),
        2
    );
    // Dropped: gone from the list.
    let (_, err) = b.expect(0, &["sync", "--drop", &commit[..10]]);
    assert!(err.contains("dropped"), "{err}");
    let (_, err) = b.expect(0, &["sync", "--kept"]);
    assert!(err.contains("no command is kept aside"), "{err}");

    // Both sides agree: one close (A's), B's note.
    sync(&a);
    assert_eq!(a.head(), b.head());
    let truck = a.claim_where(|c| c.id == TRUCK).1;
    assert_eq!(truck.status.to_string(), "closed");
    assert!(notes_of(&a, AUTO)
        .iter()
        .any(|n| n.contains("Spoke to the insured about the rental")));
    assert_remote_sound(&o, &remote, "fresh");
}

#[test]
fn sync_fast_forwards_pushes_and_says_when_nothing_is_new() {
    let o = Office::example();
    let remote = remote_of(&o);
    let a = desk(&o, &remote, "a", STAFF);
    let b = desk(&o, &remote, "b", SUPERVISOR);
    let err = sync(&a);
    assert!(err.contains("up to date with origin/main"), "{err}");
    note(&a, AUTO, "First call made");
    let err = sync(&a);
    assert!(err.contains("pushed 1 commit to origin/main"), "{err}");
    // B has nothing of its own: it takes A's work (working tree and index included).
    let err = sync(&b);
    assert!(err.contains("received 1 commit"), "{err}");
    assert!(err.contains("nothing of yours to push"), "{err}");
    assert_eq!(a.head(), b.head());
    assert_eq!(b.git_ok(&["status", "--porcelain"]), "");
    assert!(notes_of(&b, AUTO)
        .iter()
        .any(|n| n.contains("First call made")));
    // A hand edit of a file the remote's work changes stops the sync, nothing changed.
    note(&a, AUTO, "Second call made");
    sync(&a);
    let file = b.claim_where(|c| c.id == AUTO).0;
    let path = b.root.join(&file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}# scribble\n")).unwrap();
    let before = b.head();
    let (_, err) = b.expect(1, &["sync"]);
    assert!(err.contains("has uncommitted edits"), "{err}");
    assert_eq!(b.head(), before);
}

#[test]
fn a_push_the_remote_refuses_keeps_the_work_here_and_says_why() {
    let o = Office::example();
    let remote = remote_of(&o);
    let a = desk(&o, &remote, "a", STAFF);
    // A remote that refuses every push (as a server's gate would refuse one).
    let hook = remote.join("hooks").join("pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'office gate: closed for the night' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    note(&a, AUTO, "Called the insured");
    let head = a.head();
    let (_, err) = a.expect(1, &["sync"]);
    assert!(err.contains("the push to origin/main was refused"), "{err}");
    assert!(err.contains("closed for the night"), "{err}");
    assert!(err.contains("nothing was lost"), "{err}");
    assert_eq!(a.head(), head);
}

#[test]
fn joining_as_someone_the_office_does_not_list_makes_a_key_and_says_what_to_do() {
    let o = Office::example();
    let remote = remote_of(&o);
    let dir = o.scratch().join("newcomer");
    let (out, err) = o.expect(
        0,
        &[
            "clone",
            remote.to_str().unwrap(),
            dir.to_str().unwrap(),
            "--email",
            "newhire@harborpoint.example",
        ],
    );
    assert!(out.starts_with("ssh-ed25519 "), "{out}");
    assert!(err.contains("(made now)"), "{err}");
    assert!(err.contains("is not in authority.yaml yet"), "{err}");
    let d = o.at(dir);
    // Plain git verifies the office's history with the allowed-signers file join wrote.
    for c in d.git_ok(&["rev-list", "HEAD"]).lines() {
        let v = d.git(&["verify-commit", c]);
        assert!(v.status.success(), "{c}: {v:?}");
    }
    // The newcomer cannot work yet: the office refuses who it does not list.
    let (_, err) = d.expect(1, &["note", AUTO, "Hello"]);
    assert!(err.contains("is not a person in authority.yaml"), "{err}");
}

#[test]
fn work_kept_in_a_clone_for_more_than_a_week_is_not_taken_on_its_word() {
    let o = Office::example();
    // A commit made with plain git whose author date is set back 8 days (committer now).
    let out = o
        .git_cmd(&[
            "-c",
            &format!("user.signingkey={}", o.key_of(STAFF)),
            "-c",
            &format!("user.email={STAFF}"),
            "commit",
            "-q",
            "-S",
            "--allow-empty",
            "-m",
            "Wording",
        ])
        .env("GIT_AUTHOR_DATE", "2026-11-12T10:00:00-06:00")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    crate::common::caught(&o, "A023", "not taken on its word");
}

#[test]
fn a_sync_killed_half_way_is_finished_by_the_next_one_and_lands_each_command_once() {
    // Killed before the sync's own move onto the remote's tip, right after it, and right
    // after each of B's notes landed again there.
    for fault in [
        "journal-written#1",
        "branch-moved#1",
        "branch-moved#2",
        "branch-moved#3",
    ] {
        let o = Office::example();
        let remote = remote_of(&o);
        let a = desk(&o, &remote, "a", STAFF);
        let b = desk(&o, &remote, "b", SUPERVISOR);
        note(&a, AUTO, "From desk A");
        sync(&a);
        for text in ["First from B", "Second from B", "Third from B"] {
            note(&b, AUTO, text);
        }
        let out = b
            .cmd(&["sync"])
            .env("CLAIMS_FAULT", fault)
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{fault}: {out:?}");
        let err = sync(&b);
        assert!(err.contains("pushed"), "{fault}: {err}");
        let notes = notes_of(&b, AUTO);
        for text in [
            "From desk A",
            "First from B",
            "Second from B",
            "Third from B",
        ] {
            assert_eq!(
                notes.iter().filter(|n| n.contains(text)).count(),
                1,
                "{fault}: {text}: {notes:?}"
            );
        }
        sync(&a);
        assert_eq!(a.head(), b.head(), "{fault}");
        assert_remote_sound(&o, &remote, "fresh");
    }
}
