//! Nothing lost, nothing half-made: a kill at every step of a change, a full disk, four writers
//! on one claim, links planted in the working tree. After any interruption the next command
//! finds the office consistent (or makes it so, saying what it did), and a command whose
//! commit landed never reports failure.

use std::path::Path;
use std::process::Output;

use crate::common::people::{CSR, SENIOR, STAFF, SUPERVISOR};
use crate::common::Office;

pub(crate) const BATCH: &str = "../fnol/batch-good.csv";
const ROWS: usize = 4;

/// The example office with the good CSV batch beside it.
pub(crate) fn office() -> Office {
    let o = Office::example();
    let dir = o.root.join("../fnol");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/intake/batch-good.csv"),
        dir.join("batch-good.csv"),
    )
    .unwrap();
    o
}

fn commits(o: &Office) -> usize {
    o.git_ok(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

/// Runs the command with the process stopped dead at the fault point `point`.
pub(crate) fn killed_at(o: &Office, point: &str, args: &[&str]) -> Output {
    let out = o.cmd(args).env("CLAIMS_FAULT", point).output().unwrap();
    assert_eq!(
        out.status.code(),
        None,
        "not stopped at {point}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub(crate) fn porcelain(o: &Office) -> String {
    o.git_ok(&["status", "--porcelain", "--untracked-files=all"])
}

/// Skips (visibly) where the build has no fault points: release builds without the
/// `fault-injection` feature.
pub(crate) fn has_fault_points() -> bool {
    if !claims::store::durable::HAS_FAULT_POINTS {
        eprintln!(
            "skipped: this build has no fault points (`cargo test` in debug, or --features fault-injection)"
        );
    }
    claims::store::durable::HAS_FAULT_POINTS
}

#[test]
fn a_batch_killed_at_every_step_is_finished_or_undone_by_the_next_command() {
    if !has_fault_points() {
        return;
    }
    // (point, whether the commits have landed when the process dies there)
    for (point, landed) in [
        ("objects-written", false),
        ("journal-written", false),
        ("branch-moved", true),
        ("worktree-file#1", true),
        ("worktree-file#3", true),
        ("index-written", true),
    ] {
        let o = office();
        let before = commits(&o);
        killed_at(&o, point, &["--as", CSR, "intake", "--csv", BATCH]);
        let expected = before + if landed { ROWS } else { 0 };
        assert_eq!(commits(&o), expected, "{point}");
        // The next command, whatever it is, finds the office in line and says what it did.
        let (_, err) = o.expect(0, &["check"]);
        if point == "objects-written" {
            // Nothing was in flight yet: only unreferenced objects, for git's gc.
            assert!(!err.contains("warning:"), "{point}: {err}");
        } else if landed {
            assert!(
                err.contains(&format!("warning: repaired: an interrupted change ({}) had landed; brought {ROWS} files and the index up to date", &o.head()[..12])),
                "{point}: {err}"
            );
        } else {
            assert!(
                err.contains("warning: repaired: an interrupted change")
                    && err.contains("had not landed; nothing of it was kept"),
                "{point}: {err}"
            );
        }
        assert_eq!(
            porcelain(&o),
            "",
            "{point}: the working tree is not in line"
        );
        assert!(!o
            .root
            .join(".git/claims-journal")
            .read_dir()
            .unwrap()
            .any(|_| true));
        // Nothing was half-made: commands that change claims work at once (no false
        // "uncommitted edits"), and the history is sound.
        // Running the batch again lands exactly the rows that had not landed.
        let (_, err) = o.expect(0, &["--as", CSR, "intake", "--csv", BATCH]);
        assert_eq!(err.contains("already imported"), landed, "{point}: {err}");
        assert_eq!(commits(&o), before + ROWS, "{point}");
        o.expect(0, &["--as", SUPERVISOR, "triage", "--pending"]);
        assert_eq!(o.claims().len(), 16 + ROWS, "{point}");
        o.assert_sound();
    }
}

/// A batch's files reach the disk by one sync of the whole file system before any takes its
/// place, and their renames by a second before the journal goes — never one fsync per file.
#[cfg(target_os = "linux")]
#[test]
fn a_batch_flushes_its_files_before_they_take_their_place_and_before_the_journal_goes() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    let log = o.root.join("../fsync.log");
    let out = o
        .cmd(&["--as", CSR, "intake", "--csv", BATCH])
        .env("CLAIMS_FSYNC_LOG", &log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let syncfs = format!("syncfs {}", o.root.display());
    let flushes: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_end_matches('/') == syncfs)
        .collect();
    let removed = lines
        .iter()
        .position(|l| l.starts_with("removed ") && l.contains("claims-journal"))
        .expect(&log);
    assert_eq!(flushes.len(), 2, "{log}");
    assert!(flushes[1] < removed, "{log}");
    assert!(!log.contains(".claims-tmp-"), "a file fsynced alone: {log}");
    assert_eq!(porcelain(&o), "");
    assert_eq!(o.claims().len(), 16 + ROWS);
}

#[test]
fn notices_of_a_killed_batch_reach_the_outbox_once() {
    if !has_fault_points() {
        return;
    }
    for point in [
        "journal-written",
        "branch-moved",
        "index-written",
        "outbox-file#1",
    ] {
        let o = office();
        o.expect(0, &["--as", CSR, "intake", "--csv", BATCH]);
        o.expect(0, &["--as", SUPERVISOR, "triage", "--pending"]);
        let outbox = |o: &Office| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(o.root.join("outbox"))
                .map(|d| {
                    d.flatten()
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            names
        };
        let had = outbox(&o);
        killed_at(&o, point, &["--as", SUPERVISOR, "assign", "--pending"]);
        o.expect(0, &["list"]);
        if point == "journal-written" {
            assert_eq!(outbox(&o), had, "no notice of a change that did not land");
            o.expect(0, &["--as", SUPERVISOR, "assign", "--pending"]);
        }
        let now = outbox(&o);
        assert!(now.len() > had.len(), "{point}: {now:?}");
        assert!(
            now.iter()
                .all(|n| n.ends_with(".eml") && !n.starts_with('.')),
            "{point}: a temporary file was left: {now:?}"
        );
        // Assigning again assigns nothing and writes nothing.
        let (_, err) = o.expect(0, &["--as", SUPERVISOR, "assign", "--pending"]);
        assert!(err.contains("assigned 0 claims"), "{point}: {err}");
        assert_eq!(outbox(&o), now, "{point}");
        o.assert_sound();
    }
}

#[test]
fn claims_repair_brings_files_left_behind_up_to_date_and_leaves_hand_edits() {
    let o = office();
    o.expect(0, &["--as", CSR, "intake", "--csv", BATCH]);
    // As an interruption without a journal leaves it (an older version of the tool, a
    // `git update-ref` by hand): the branch ahead of the index and working tree.
    o.git_ok(&["read-tree", "HEAD~2"]);
    o.git_ok(&["checkout-index", "--all", "--force"]);
    o.git_ok(&["clean", "-fdq", "claims"]);
    assert!(!porcelain(&o).is_empty());
    // One of them written by hand meanwhile: not ours to overwrite.
    let changed = o.git_ok(&["diff", "--name-only", "HEAD~2", "HEAD"]);
    let changed: Vec<&str> = changed.lines().collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    let edited = "# a claim typed in by hand\n";
    std::fs::write(o.root.join(changed[0]), edited).unwrap();

    let (_, err) = o.expect(0, &["repair"]);
    assert!(err.contains(&format!("updated {}", changed[1])), "{err}");
    assert!(
        err.contains("brought 1 file up to date with the branch"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "left {} as it is: it has edits nobody committed",
            changed[0]
        )),
        "{err}"
    );
    assert_eq!(o.read(changed[0]), edited);
    let status = porcelain(&o);
    assert!(status.lines().all(|l| l.ends_with(changed[0])), "{status}");
    // Run again: nothing more to do, the hand edit still left.
    let (_, err) = o.expect(0, &["repair"]);
    assert!(
        err.contains(&format!("left {} as it is", changed[0])),
        "{err}"
    );
    assert_eq!(o.read(changed[0]), edited);
}

#[test]
fn claims_repair_leaves_a_file_put_back_to_an_earlier_version_by_hand() {
    let o = Office::example();
    let id = "CLM-2610-VH4E-J57R";
    o.expect(0, &["note", id, "first"]);
    o.expect(0, &["note", id, "second"]);
    let file = o.git_ok(&["diff", "--name-only", "HEAD~1", "HEAD"]);
    let file = file.trim();
    // The clock's second must move on from the branch's last move, as it does for a person.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // Someone takes the second note back by hand and stages it: the content is one the
    // history knows (the tip before), but nobody's command was interrupted.
    o.git_ok(&["checkout", "HEAD~1", "--", file]);
    let put_back = o.read(file);
    assert!(!put_back.contains("second"), "{put_back}");

    let (_, err) = o.expect(0, &["repair"]);
    assert!(
        err.contains(&format!(
            "left {file} as it is: it has edits nobody committed"
        )),
        "{err}"
    );
    assert_eq!(o.read(file), put_back);
    let staged = o.git_ok(&["diff", "--cached", "--name-only"]);
    assert_eq!(staged.trim(), file, "the staged edit is still staged");
}

#[test]
fn four_writers_on_one_claim_all_land() {
    let o = Office::example();
    let before = commits(&o);
    let id = "CLM-2610-VH4E-J57R";
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let cmds: Vec<_> = (0..100)
                .map(|i| o.cmd(&["note", id, &format!("writer {w} note {i}")]))
                .collect();
            std::thread::spawn(move || {
                cmds.into_iter()
                    .map(|mut c| c.output().unwrap())
                    .filter(|out| !out.status.success())
                    .map(|out| String::from_utf8_lossy(&out.stderr).to_string())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let refused: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        refused.is_empty(),
        "{} refused: {:?}",
        refused.len(),
        &refused[..refused.len().min(3)]
    );
    assert_eq!(commits(&o), before + 400);
    assert_eq!(o.git_ok(&["rev-list", "--merges", "HEAD"]), "", "a merge");
    let c = o.claim_where(|c| c.id == id).1;
    for w in 0..4 {
        for i in [0, 57, 99] {
            let text = format!("writer {w} note {i}");
            assert!(c.notes.iter().any(|n| n.text == text), "{text} lost");
        }
    }
    o.assert_sound();
}

/// Starts a batch held at the point where its objects are written, before its branch moves;
/// returns once it waits there.
fn batch_held(o: &Office, gate: &Path, args: &[&str]) -> std::process::Child {
    let child = o
        .cmd(args)
        .env(
            "CLAIMS_PAUSE",
            format!("objects-written={}", gate.display()),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !gate.exists() {
        assert!(
            std::time::Instant::now() < until,
            "the batch never reached its objects"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

/// Lets a batch held by [`batch_held`] go on, and waits for it.
fn released(gate: &Path, batch: std::process::Child) -> Output {
    std::fs::remove_file(gate).unwrap();
    batch.wait_with_output().unwrap()
}

const TRIAGE_PENDING: &[&str] = &["--as", SUPERVISOR, "--format", "csv", "triage", "--pending"];

fn reported(o: &Office) -> Vec<String> {
    o.claims()
        .into_iter()
        .filter(|(_, c)| c.status == claims::domain::lifecycle::Status::Reported)
        .map(|(_, c)| c.id)
        .collect()
}

#[test]
fn a_batch_overtaken_by_another_writer_is_worked_again_on_top_from_its_commits() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    o.expect(0, &["--as", CSR, "intake", "--csv", BATCH]);
    let waiting = reported(&o);
    assert!(waiting.len() > ROWS, "{waiting:?}");
    let gate = o.root.join("../gate");
    let batch = batch_held(&o, &gate, TRIAGE_PENDING);
    // Meanwhile, another writer: a note on a claim the batch does not touch.
    let other = "CLM-2610-VH4E-J57R";
    assert!(!waiting.iter().any(|id| id == other));
    o.expect(0, &["note", other, "Called the body shop"]);
    let theirs = o.head();
    let out = released(&gate, batch);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Every claim triaged, each by its own commit, on top of the other writer's, which stays.
    assert_eq!(reported(&o), Vec::<String>::new());
    let batch_commits = o.git_ok(&["rev-list", "--reverse", &format!("{theirs}..HEAD")]);
    let first = batch_commits.lines().next().expect("the batch's commits");
    assert_eq!(
        o.git_ok(&["rev-parse", &format!("{first}^")]).trim(),
        theirs
    );
    let subjects = o.git_ok(&["log", "--format=%s", &format!("{theirs}..HEAD")]);
    for id in &waiting {
        assert!(
            subjects.contains(&format!("triage {id}")),
            "{id} not triaged:\n{subjects}"
        );
    }
    let notes = o.claim_where(|c| c.id == other).1.notes;
    assert!(notes.iter().any(|n| n.text == "Called the body shop"));
    assert_eq!(o.git_ok(&["rev-list", "--merges", "HEAD"]), "", "a merge");
    o.assert_sound();
    // Each commit is what its recorded command makes of its very parent.
    o.expect(0, &["audit", "--full"]);
}

#[test]
fn an_intake_batch_overtaken_by_another_writer_lands_whole_on_top() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    let gate = o.root.join("../gate");
    let batch = batch_held(&o, &gate, &["--as", CSR, "intake", "--csv", BATCH]);
    o.expect(0, &["note", "CLM-2610-VH4E-J57R", "Called the body shop"]);
    let theirs = o.head();
    let out = released(&gate, batch);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        o.git_ok(&["rev-list", "--count", &format!("{theirs}..HEAD")])
            .trim(),
        ROWS.to_string()
    );
    o.assert_sound();
    o.expect(0, &["audit", "--full"]);
}

#[test]
fn a_batch_overtaken_on_one_of_its_claims_commits_nothing() {
    if !has_fault_points() {
        return;
    }
    let o = office();
    o.expect(0, &["--as", CSR, "intake", "--csv", BATCH]);
    let waiting = reported(&o);
    let before = o.head();
    let gate = o.root.join("../gate");
    let batch = batch_held(&o, &gate, TRIAGE_PENDING);
    // Meanwhile, another writer triages one of the batch's claims.
    o.expect(0, &["--as", SUPERVISOR, "triage", &waiting[0]]);
    let theirs = o.head();
    let out = released(&gate, batch);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("nothing from the batch was committed, run it again"),
        "{err}"
    );
    assert_eq!(o.head(), theirs);
    assert_eq!(
        o.git_ok(&["rev-list", "--count", &format!("{before}..HEAD")])
            .trim(),
        "1"
    );
    o.assert_sound();
    // Run again, it triages the rest.
    o.expect(0, &["--as", SUPERVISOR, "triage", "--pending"]);
    assert_eq!(reported(&o), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn the_tool_never_writes_through_a_link_in_the_office() {
    use std::os::unix::fs::symlink;
    let id = "CLM-2610-VH4E-J57R";
    let elsewhere = |o: &Office| {
        let d = o.root.join("../elsewhere");
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let untouched = |o: &Office, d: &Path| {
        assert_eq!(
            std::fs::read_dir(d).unwrap().count(),
            0,
            "written through the link"
        );
        let _ = o;
    };

    // The month folder a claim lives in, replaced by a link to a copy of it elsewhere.
    let o = office();
    let head = o.head();
    let (rel, _) = o.claim_where(|c| c.id == id);
    let month = o.root.join(Path::new(&rel).parent().unwrap());
    let copy = o.root.join("../month-copy");
    std::fs::rename(&month, &copy).unwrap();
    symlink(&copy, &month).unwrap();
    let file = copy.join(Path::new(&rel).file_name().unwrap());
    let was = std::fs::read(&file).unwrap();
    let (_, err) = o.expect(1, &["note", id, "Called the body shop"]);
    assert!(
        err.contains(&format!("{} is a symbolic link: the tool never writes through a link inside the office; nothing was changed", Path::new(&rel).parent().unwrap().display())),
        "{err}"
    );
    assert_eq!(o.head(), head);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        was,
        "written through the link"
    );

    // A claim's attachments and letters folders as links.
    for folder in ["attachments", "letters"] {
        let o = office();
        // The deer strike's settlement approved: its release is the letter to write.
        o.expect(0, &["--as", SENIOR, "approve", id]);
        let (rel, _) = o.claim_where(|c| c.id == id);
        let dir = o.root.join(rel.trim_end_matches(".yaml")).join(folder);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
        let d = elsewhere(&o);
        symlink(&d, &dir).unwrap();
        let head = o.head();
        let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/intake/photo-front.jpg");
        let args: Vec<String> = if folder == "attachments" {
            ["document", id, "odometer", "--received", "--file"]
                .iter()
                .map(|s| s.to_string())
                .chain([photo.to_string_lossy().to_string()])
                .collect()
        } else {
            ["--as", STAFF, "release", id]
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = o.run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{folder}: {err}");
        assert!(err.contains("is a symbolic link"), "{folder}: {err}");
        assert_eq!(o.head(), head, "{folder}");
        untouched(&o, &d);
    }

    // An outbox link committed into the repository, on a fresh clone.
    let o = office();
    o.expect(0, &["--as", CSR, "intake", "--csv", BATCH]);
    o.expect(0, &["--as", SUPERVISOR, "triage", "--pending"]);
    let d = elsewhere(&o);
    let _ = std::fs::remove_dir_all(o.root.join("outbox"));
    symlink(&d, o.root.join("outbox")).unwrap();
    o.git_ok(&["add", "-f", "outbox"]);
    o.git_ok(&["-c", "commit.gpgsign=false", "commit", "-qm", "An outbox"]);
    let head = o.head();
    let (_, err) = o.expect(1, &["--as", SUPERVISOR, "assign", "--pending"]);
    assert!(err.contains("outbox is a symbolic link"), "{err}");
    assert_eq!(o.head(), head);
    untouched(&o, &d);
    // ... and `claims check` names it.
    let (out, _) = o.expect(1, &["check"]);
    assert!(out.contains("outbox"), "{out}");
}

/// A small tmpfs mounted for the test, unmounted when dropped; None (the test skips, saying
/// so) where this machine does not let the test mount one (not root, no mount namespace).
#[cfg(target_os = "linux")]
struct SmallDisk {
    dir: tempfile::TempDir,
}

#[cfg(target_os = "linux")]
impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a small tmpfs here (needs root); the full-disk test did not run");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk but for `spare` bytes.
    fn fill_but(&self, spare: u64) {
        let free = fs_free(self.path());
        let filler = self.path().join("filler");
        let f = std::fs::File::create(&filler).unwrap();
        f.set_len(0).unwrap();
        use std::io::Write;
        let mut w = std::io::BufWriter::new(f);
        let chunk = vec![0u8; 4096];
        let mut left = free.saturating_sub(spare);
        while left > 0 {
            let n = left.min(4096) as usize;
            if w.write_all(&chunk[..n]).is_err() {
                break;
            }
            left -= n as u64;
        }
        let _ = w.flush();
    }

    fn free_up(&self) {
        std::fs::remove_file(self.path().join("filler")).unwrap();
    }
}

#[cfg(target_os = "linux")]
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[cfg(target_os = "linux")]
fn fs_free(path: &Path) -> u64 {
    let out = std::process::Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// A CSV batch of `n` distinct personal auto reports (the good batch's first row, each with
/// its own description).
fn many_reports(n: usize, tag: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/intake/batch-good.csv"),
    )
    .unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let first = r.records().next().unwrap().unwrap();
    let col = header.iter().position(|h| h == "loss_description").unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for i in 0..n {
        let row: Vec<String> = first
            .iter()
            .enumerate()
            .map(|(k, v)| {
                if k == col {
                    format!("{v} ({tag} {i})")
                } else {
                    v.to_string()
                }
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_disk_that_fills_up_after_the_commit_landed_is_a_warning_and_the_next_command_finishes() {
    const N: usize = 200;
    let Some(disk) = SmallDisk::mount("24m") else {
        return;
    };
    let o = Office::example_in(disk.path());
    let csv = disk.path().join("reports.csv");
    std::fs::write(&csv, many_reports(N, "report")).unwrap();
    let csv = csv.to_string_lossy().to_string();
    let before = commits(&o);

    // What the batch's pack takes, measured on a copy of the office on this very disk.
    let pack_size = {
        let copy = disk.path().join("measure");
        let out = std::process::Command::new("cp")
            .args(["-a"])
            .arg(o.root.parent().unwrap())
            .arg(&copy)
            .status()
            .unwrap();
        assert!(out.success());
        let packs = |root: &Path| -> u64 {
            std::fs::read_dir(root.join(".git/objects/pack"))
                .map(|d| d.flatten().map(|e| e.metadata().unwrap().len()).sum())
                .unwrap_or(0)
        };
        let root = copy.join("office");
        let was = packs(&root);
        let st = o
            .cmd(&["--as", CSR, "intake", "--csv", &csv])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        let grown = packs(&root) - was;
        std::fs::remove_dir_all(&copy).unwrap();
        grown
    };

    // Room for the pack and the journal, not for the claim files.
    disk.fill_but(pack_size + 96 * 1024);
    let out = o.run(&["--as", CSR, "intake", "--csv", &csv]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a batch that landed must not fail: {err}"
    );
    assert!(
        err.contains("landed, but updating the working tree and index failed")
            && err.contains("No space left on device")
            && err.contains("the next claims command finishes it (or run `claims repair`)"),
        "{err}"
    );
    assert_eq!(commits(&o), before + N);

    disk.free_up();
    let (_, err) = o.expect(0, &["check"]);
    assert!(err.contains("had landed; brought"), "{err}");
    assert_eq!(porcelain(&o), "");
    assert_eq!(o.claims().len(), 16 + N);
    // The script that retries lands nothing twice.
    let head = o.head();
    let (_, err) = o.expect(0, &["--as", CSR, "intake", "--csv", &csv]);
    assert!(err.contains("row 201: already imported as CLM-"), "{err}");
    assert_eq!(o.head(), head);

    // A disk already full: nothing changes, exit 3, and nothing is left half-made.
    let other = disk.path().join("more.csv");
    std::fs::write(&other, many_reports(N, "later report")).unwrap();
    disk.fill_but(0);
    let out = o.run(&["--as", CSR, "intake", "--csv", &other.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(o.head(), head);
    disk.free_up();
    let (_, err) = o.expect(0, &["check"]);
    assert!(!err.contains("warning:"), "{err}");
    assert_eq!(porcelain(&o), "");
    o.assert_sound();
}
