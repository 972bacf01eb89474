//! The journal and the lock under attack: notices the mail transport took, hand edits during
//! recovery, a truncated or planted journal, links in `.git`, a lock held by a live process,
//! a read-only office, a stale `.git/index.lock`, CRLF checkouts.

use std::path::{Path, PathBuf};

use crate::common::people::{CSR, SUPERVISOR};
use crate::common::Office;
use crate::crash::{has_fault_points, killed_at, office, porcelain, BATCH};

const ID: &str = "CLM-2610-VH4E-J57R";

fn journals(o: &Office) -> Vec<PathBuf> {
    std::fs::read_dir(o.root.join(".git/claims-journal"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn outbox(o: &Office) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(o.root.join("outbox"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn claim_path(o: &Office) -> String {
    o.claim_where(|c| c.id == ID).0
}

/// Holds `.git/claims.lock` as another claims command would (its pid in the file).
fn hold_lock(o: &Office) -> std::fs::File {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(o.root.join(".git/claims.lock"))
        .unwrap();
    f.lock().unwrap();
    write!(f, "{}", std::process::id()).unwrap();
    f
}

#[test]
fn crash_notices_the_transport_took_do_not_stick_the_outbox() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    o.expect(0, &["--as", CSR, "intake", "--csv", BATCH]);
    o.expect(0, &["--as", SUPERVISOR, "triage", "--pending"]);
    for n in outbox(&o) {
        std::fs::remove_file(o.root.join("outbox").join(n)).unwrap();
    }
    killed_at(
        &o,
        "outbox-file#1",
        &["--as", SUPERVISOR, "assign", "--pending"],
    );
    // The transport sends the notice moved into place and removes it.
    let delivered: Vec<String> = outbox(&o)
        .into_iter()
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(delivered.len(), 1, "{:?}", outbox(&o));
    std::fs::remove_file(o.root.join("outbox").join(&delivered[0])).unwrap();
    let (_, err) = o.expect(0, &["list"]);
    assert!(err.contains("had been delivered before"), "{err}");
    assert!(journals(&o).is_empty(), "the journal stayed");
    let left = outbox(&o);
    assert!(
        !left.is_empty() && left.iter().all(|n| !n.starts_with('.')),
        "{left:?}"
    );
    let (_, err) = o.expect(0, &["repair"]);
    assert!(err.contains("in line with the branch"), "{err}");
}

#[test]
fn crash_recovery_stages_the_tip_for_a_hand_edited_file() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    let rel = claim_path(&o);
    killed_at(&o, "branch-moved", &["note", ID, "landed"]);
    let mut text = o.read(&rel);
    text.push_str("# my hand edit\n");
    std::fs::write(o.root.join(&rel), &text).unwrap();
    let (_, err) = o.expect(0, &["list"]);
    assert!(
        err.contains(&format!(
            "{rel} was edited after the interrupted change; left as it is, so it differs from HEAD"
        )),
        "{err}"
    );
    assert_eq!(o.read(&rel), text);
    assert_eq!(o.git_ok(&["diff", "--cached", "--name-only"]), "");
    let diff = o.git_ok(&["diff", "--", &rel]);
    assert!(diff.contains("+# my hand edit"), "{diff}");
}

#[test]
fn crash_a_truncated_journal_of_a_landed_change_is_repaired_from_the_reflog() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    killed_at(&o, "branch-moved", &["note", ID, "landed"]);
    let j = journals(&o);
    assert_eq!(j.len(), 1);
    let bytes = std::fs::read(&j[0]).unwrap();
    std::fs::write(&j[0], &bytes[..40]).unwrap();
    let (_, err) = o.expect(0, &["list"]);
    assert!(
        err.contains("could not be read")
            && err.contains("the change had landed")
            && err.contains("1 file brought up to date"),
        "{err}"
    );
    assert_eq!(porcelain(&o), "");
    assert!(journals(&o).is_empty());
    o.expect(0, &["note", ID, "next"]);
    // A truncated journal of a change that did not land goes, saying so.
    killed_at(&o, "journal-written", &["note", ID, "not landed"]);
    let j = journals(&o);
    std::fs::write(&j[0], b"{\"branch\":").unwrap();
    let (_, err) = o.expect(0, &["list"]);
    assert!(
        err.contains("written only in part") && err.contains("had not landed"),
        "{err}"
    );
    assert_eq!(porcelain(&o), "");
}

#[test]
fn crash_files_and_index_are_fsynced_before_the_journal_goes() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    let rel = claim_path(&o);
    let log = o.root.join("../fsync.log");
    let out = o
        .cmd(&["note", ID, "synced"])
        .env("CLAIMS_FSYNC_LOG", &log)
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let at = |pred: &dyn Fn(&str) -> bool| lines.iter().position(|l| pred(l));
    let folder = o.root.join(Path::new(&rel).parent().unwrap());
    let removed = at(&|l| l.starts_with("removed ") && l.contains("claims-journal")).expect(&log);
    let file =
        at(&|l| l.starts_with(&format!("fsync {}/.claims-tmp-", folder.display()))).expect(&log);
    let dir = at(&|l| l == format!("fsync {}", folder.display())).expect(&log);
    let index = at(&|l| l == format!("fsync {}", o.root.join(".git/index").display())).expect(&log);
    assert!(file < dir && dir < removed && index < removed, "{log}");
}

#[test]
fn crash_a_held_lock_is_waited_for_out_loud_and_readers_do_not_wait() {
    let o = office();
    let held = hold_lock(&o);
    let child = o
        .cmd(&["note", ID, "after the wait"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(3500));
    drop(held);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let msg = format!(
        "waiting for another claims command (pid {}?) holding .git/claims.lock...",
        std::process::id()
    );
    assert_eq!(err.matches(&msg).count(), 1, "{err}");
    // A reader with no journal needs no lock; with one, it reads without repairing.
    let _held = hold_lock(&o);
    o.expect_within(10, 0, &["list"]);
    if has_fault_points() {
        drop(_held);
        killed_at(&o, "branch-moved", &["note", ID, "landed"]);
        let _held = hold_lock(&o);
        let (_, err) = o.expect_within(10, 0, &["list"]);
        assert!(err.contains("without repairing first"), "{err}");
        assert_eq!(journals(&o).len(), 1);
    }
}

/// A journal planted by someone else, naming `mail` as (tmp, path) and `paths`.
fn plant(o: &Office, mail: &[(&Path, &Path)], paths: &[&str]) -> PathBuf {
    let head = o.head();
    let branch = o.git_ok(&["symbolic-ref", "HEAD"]).trim().to_string();
    let j = serde_json::json!({
        "branch": branch, "old": null, "new": head, "paths": paths,
        "mail": mail.iter().map(|(t, p)| serde_json::json!({"tmp": t, "path": p})).collect::<Vec<_>>(),
    });
    let dir = o.root.join(".git/claims-journal");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{head}.json"));
    std::fs::write(&file, j.to_string()).unwrap();
    file
}

#[cfg(unix)]
#[test]
fn crash_a_planted_journal_and_links_in_dot_git_are_refused() {
    use std::os::unix::fs::symlink;
    let o = office();
    let x = o.root.join("../x");
    std::fs::create_dir_all(&x).unwrap();
    std::fs::write(x.join("victim"), "precious").unwrap();
    std::fs::write(x.join("attacker"), "evil").unwrap();
    let file = plant(&o, &[(&x.join("attacker"), &x.join("victim"))], &[]);
    let (_, err) = o.expect(0, &["list"]);
    assert!(
        err.contains("refused the journal") && err.contains("outbox"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(x.join("victim")).unwrap(),
        "precious"
    );
    assert!(file.exists(), "left for the user");
    let (_, err) = o.expect(3, &["repair"]);
    assert!(
        err.contains("could not finish 1 interrupted change"),
        "{err}"
    );
    std::fs::remove_file(&file).unwrap();
    for bad in ["../outside.yaml", "/etc/passwd", ".git/config"] {
        let file = plant(&o, &[], &[bad]);
        let (_, err) = o.expect(0, &["list"]);
        assert!(err.contains("refused the journal"), "{bad}: {err}");
        std::fs::remove_file(&file).unwrap();
    }

    // Links where the tool keeps its own files are not followed.
    let target = x.join("signers");
    std::fs::write(&target, "mine").unwrap();
    let signers = o.root.join(".git/claims/allowed_signers");
    std::fs::remove_file(&signers).unwrap();
    symlink(&target, &signers).unwrap();
    let head = o.head();
    let (_, err) = o.expect(3, &["note", ID, "x"]);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    std::fs::remove_file(&signers).unwrap();

    let lock = o.root.join(".git/claims.lock");
    let _ = std::fs::remove_file(&lock);
    symlink(x.join("lock"), &lock).unwrap();
    o.expect(3, &["note", ID, "x"]);
    assert!(!x.join("lock").exists());
    std::fs::remove_file(&lock).unwrap();

    let jdir = o.root.join(".git/claims-journal");
    let _ = std::fs::remove_dir_all(&jdir);
    std::fs::create_dir_all(x.join("j")).unwrap();
    symlink(x.join("j"), &jdir).unwrap();
    let (_, err) = o.expect(3, &["note", ID, "x"]);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_dir(x.join("j")).unwrap().count(), 0);
    assert_eq!(o.head(), head);
}

#[cfg(target_os = "linux")]
#[test]
fn crash_a_read_only_office_with_a_journal_can_still_be_read() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    killed_at(&o, "branch-moved", &["note", ID, "landed"]);
    let ro = o.root.join("../ro");
    std::fs::create_dir_all(&ro).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["--bind", "-o", "ro"])
        .arg(&o.root)
        .arg(&ro)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot bind-mount read-only here (needs root)");
        return;
    }
    let out = o.cmd(&["list"]).current_dir(&ro).output().unwrap();
    let _ = std::process::Command::new("umount")
        .arg("-l")
        .arg(&ro)
        .status();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("cannot be written here"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).is_empty());
}

#[test]
fn crash_a_stale_index_lock_is_named_once_and_is_no_edit_of_anyones() {
    let o = office();
    let lock = o.root.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let (_, err) = o.expect(0, &["note", ID, "first"]);
    assert!(
        err.contains("if no git command is running, remove .git/index.lock"),
        "{err}"
    );
    let out = o.run(&["note", ID, "second"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("remove .git/index.lock").count(), 1, "{err}");
    assert!(!err.contains("uncommitted edits"), "{err}");
    assert!(err.contains("could not be finished"), "{err}");
    std::fs::remove_file(&lock).unwrap();
    let (_, err) = o.expect(0, &["list"]);
    assert!(err.contains("had landed"), "{err}");
    assert_eq!(porcelain(&o), "");
    o.expect(0, &["note", ID, "second"]);
}

#[test]
fn crash_temporary_notices_no_journal_names_are_removed_by_repair() {
    let o = office();
    let dir = o.root.join("outbox");
    std::fs::create_dir_all(&dir).unwrap();
    for n in [".CLM-1-ack.eml.0123456789ab.tmp", ".CLM-2-ack.eml.tmp"] {
        std::fs::write(dir.join(n), "half").unwrap();
    }
    std::fs::write(dir.join("CLM-3-ack.eml"), "a notice").unwrap();
    let (_, err) = o.expect(0, &["repair"]);
    assert!(err.contains("removed 2 temporary notices"), "{err}");
    assert_eq!(outbox(&o), ["CLM-3-ack.eml"]);
}

#[test]
fn crash_a_crlf_checkout_is_no_uncommitted_edit() {
    let o = office();
    let rel = claim_path(&o);
    o.git_ok(&["config", "core.autocrlf", "true"]);
    std::fs::remove_file(o.root.join(&rel)).unwrap();
    o.git_ok(&["checkout", "--", &rel]);
    assert!(o.read(&rel).contains("\r\n"));
    assert_eq!(porcelain(&o), "");
    o.expect(0, &["note", ID, "on Windows"]);
    let (_, err) = o.expect(0, &["note", ID, "again"]);
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(porcelain(&o), "");
}
