//! `claims export`: the examiner's claim file — the record, letters and attachments as
//! committed, a dated timeline, and the signed history checked as the audit checks it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::common::people::{CSR, MANAGER};
use crate::common::Office;

const ROOF: &str = "CLM-2611-FS2R-811K";
const RECORD: &str = "claims/2026/11/CLM-2611-FS2R-811K.yaml";
const FOLDER: &str = "claims/2026/11/CLM-2611-FS2R-811K";

fn csv(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            headers
                .iter()
                .zip(x.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Runs at a later office time.
fn at(o: &Office, now: &str, args: &[&str]) {
    let out = o.cmd(args).env("CLAIMS_NOW", now).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The roof claim taken through triage, assignment, a reserve and a status letter.
fn worked_claim() -> (Office, String) {
    let o = Office::example();
    o.expect(0, &["triage", ROOF]);
    o.expect(0, &["assign", ROOF]);
    let adjuster = o
        .claim_where(|c| c.id == ROOF)
        .1
        .adjuster()
        .unwrap()
        .to_string();
    at(
        &o,
        "2026-11-20T11:00:00-06:00",
        &[
            "--as",
            &adjuster,
            "reserve",
            ROOF,
            "--amount",
            "12000.00",
            "--reason",
            "new_information",
            "--note",
            "Roofer's estimate",
        ],
    );
    at(
        &o,
        "2026-11-20T12:00:00-06:00",
        &[
            "--as",
            &adjuster,
            "status-update",
            ROOF,
            "--to",
            "insured",
            "--note",
            "Inspection on Monday",
        ],
    );
    (o, adjuster)
}

/// Every file under `dir`, by path relative to it.
fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// What `git log` lists for the claim, oldest first.
fn git_log(o: &Office) -> Vec<String> {
    let mut v: Vec<String> = o
        .git_ok(&["log", "--format=%H", "--", RECORD, &format!("{FOLDER}/")])
        .lines()
        .map(str::to_string)
        .collect();
    v.reverse();
    v
}

fn export_to(o: &Office, name: &str) -> (PathBuf, String) {
    let dest = o.root.join("..").join(name);
    let (_, err) = o.expect(0, &["export", ROOF, "--to", dest.to_str().unwrap()]);
    (dest, err)
}

#[test]
fn a_claim_file_holds_the_record_its_letters_a_timeline_and_the_signed_history() {
    let (o, adjuster) = worked_claim();
    let (dest, _) = export_to(&o, "examiner");
    let files = files_in(&dest);
    let claim_dir = |f: &str| format!("{ROOF}/{f}");
    for f in [
        "README.txt".to_string(),
        claim_dir("README.txt"),
        claim_dir("record.yaml"),
        claim_dir("timeline.csv"),
        claim_dir("timeline.txt"),
        claim_dir("history.csv"),
        claim_dir("history.txt"),
        claim_dir("allowed_signers"),
    ] {
        assert!(
            files.contains_key(&f),
            "{f} missing from {:?}",
            files.keys()
        );
    }
    // The record as committed, and every letter of the claim's folder, byte for byte.
    let committed = o.git_ok(&["show", &format!("HEAD:{RECORD}")]);
    assert_eq!(files[&claim_dir("record.yaml")], committed.as_bytes());
    let tracked = o.git_ok(&["ls-files", &format!("{FOLDER}/")]);
    assert!(tracked.lines().count() >= 3, "{tracked}");
    for path in tracked.lines() {
        let rel = path.strip_prefix(&format!("{FOLDER}/")).unwrap();
        assert_eq!(
            files[&claim_dir(rel)],
            std::fs::read(o.root.join(path)).unwrap(),
            "{rel}"
        );
    }

    // The timeline: each step with its date, in time order.
    let timeline = csv(std::str::from_utf8(&files[&claim_dir("timeline.csv")]).unwrap());
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = timeline
        .iter()
        .filter(|r| r["when"].contains('T'))
        .map(|r| chrono::DateTime::parse_from_rfc3339(&r["when"]).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let row = |what: &str| {
        timeline
            .iter()
            .position(|r| r["what"] == what)
            .unwrap_or_else(|| panic!("no `{what}` in {timeline:#?}"))
    };
    let (received, triage, assigned, reserve, letter) = (
        row("received"),
        row("triage"),
        row("assigned"),
        row("reserve changed"),
        timeline
            .iter()
            .position(|r| {
                r["what"] == "letter written: status_update"
                    && r["detail"].starts_with("to insured")
            })
            .unwrap(),
    );
    assert!(received < triage && triage < assigned && assigned < reserve && reserve < letter);
    assert_eq!(timeline[received]["when"], "2026-11-19T15:10:00-06:00");
    assert_eq!(timeline[triage]["when"], "2026-11-20T10:00:00-06:00");
    assert!(timeline[triage]["detail"].contains("coverage confirmed"));
    assert_eq!(
        timeline[assigned]["detail"].split(';').next().unwrap(),
        format!("to {adjuster}")
    );
    assert_eq!(timeline[reserve]["when"], "2026-11-20T11:00:00-06:00");
    assert_eq!(timeline[reserve]["by"], adjuster);
    assert!(timeline[reserve]["detail"].starts_with("0.00 -> 12000.00"));
    assert!(timeline[reserve]["detail"].contains("Roofer's estimate"));
    assert_eq!(timeline[letter]["when"], "2026-11-20T12:00:00-06:00");
    let text = String::from_utf8(files[&claim_dir("timeline.txt")].clone()).unwrap();
    assert!(
        text.contains("2026-11-20 11:00 CST  reserve changed"),
        "{text}"
    );

    // The history: exactly the commits plain git lists for the claim, each good.
    let history = csv(std::str::from_utf8(&files[&claim_dir("history.csv")]).unwrap());
    let commits: Vec<String> = history.iter().map(|r| r["commit"].clone()).collect();
    assert_eq!(commits, git_log(&o));
    assert_eq!(
        commits.len(),
        5,
        "init, triage, assign, reserve, status letter"
    );
    for r in &history {
        assert!(
            r["signature"].starts_with(&format!(
                "good (signer {}, key ED25519 SHA256:",
                r["signer"]
            )),
            "{r:?}"
        );
    }
    assert_eq!(history[0]["audit"], "founding");
    for r in &history[1..] {
        assert_eq!(r["audit"], "replayed", "{r:?}");
    }
    assert_eq!(history[3]["command"], "reserve");
    assert!(history[3]["author"].contains(&adjuster));

    // The READMEs: who exported, the claim's summary, how to verify with plain git.
    let readme = String::from_utf8(files[&claim_dir("README.txt")].clone()).unwrap();
    for words in [
        "Office:        Harbor Point Claims Services",
        "Exported by:   Thomas Reilly <treilly@harborpoint.example>, manager",
        "Status:        assigned",
        "State:         FL",
        "Line:          property",
        "verify-commit",
        "--show-signature",
        "letters/status_update",
    ] {
        assert!(readme.contains(words), "{words} missing from\n{readme}");
    }
    let index = String::from_utf8(files["README.txt"].clone()).unwrap();
    assert!(
        index.contains(&format!("claims export {ROOF} --to")),
        "{index}"
    );
    assert!(index.contains(ROOF));
    // Plain git verifies the history with the allowed_signers the export carries.
    let signers = dest.join(ROOF).join("allowed_signers");
    for c in &commits {
        o.git_ok(&[
            "-c",
            &format!("gpg.ssh.allowedSignersFile={}", signers.display()),
            "verify-commit",
            c,
        ]);
    }
    // A reading command: nothing committed.
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "");
    assert_eq!(commits.last().unwrap(), &o.head());
}

#[test]
fn a_commit_made_by_hand_is_marked_not_good() {
    let (o, _) = worked_claim();
    let path = o.root.join(RECORD);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Roofer's estimate", "The roofer's estimate"),
    )
    .unwrap();
    o.hand_commit(MANAGER, None, "fix a word");
    std::fs::write(o.root.join(FOLDER).join("letters/extra.txt"), "planted\n").unwrap();
    // Signed, but with another person's key.
    o.hand_commit(MANAGER, Some(&o.key_of(CSR)), "add a letter");
    // A commit elsewhere is not the claim's.
    std::fs::write(o.root.join("policies/README.md"), "x\n").unwrap();
    o.commit_as(MANAGER, "unrelated");

    let (dest, err) = export_to(&o, "examiner");
    assert!(
        err.contains("2 of its 7 commits do not have a good signature"),
        "{err}"
    );
    assert!(err.contains("the audit fails 2 of its 7 commits"), "{err}");
    let history = csv(&std::fs::read_to_string(dest.join(ROOF).join("history.csv")).unwrap());
    let commits: Vec<String> = history.iter().map(|r| r["commit"].clone()).collect();
    assert_eq!(commits, git_log(&o));
    let (unsigned, wrong) = (&history[5], &history[6]);
    assert_eq!(unsigned["subject"], "fix a word");
    assert_eq!(unsigned["command"], "(hand edit)");
    assert_eq!(unsigned["signature"], "unsigned");
    assert_eq!(unsigned["signer"], "");
    assert!(
        unsigned["audit"].starts_with("failed (A001 error"),
        "{unsigned:?}"
    );
    assert!(
        wrong["audit"].starts_with("failed (A003 error"),
        "{wrong:?}"
    );
    assert_eq!(wrong["subject"], "add a letter");
    assert!(
        wrong["signature"].starts_with("wrong key (names treilly@harborpoint.example but was signed with the key of mdelgado@harborpoint.example"),
        "{wrong:?}"
    );
    assert!(history[..5]
        .iter()
        .all(|r| r["signature"].starts_with("good")));
    let txt = std::fs::read_to_string(dest.join(ROOF).join("history.txt")).unwrap();
    assert!(
        txt.contains("7 commits, 5 with a good signature, 2 NOT GOOD"),
        "{txt}"
    );
    assert!(txt.contains("error[A001]: commit"), "{txt}");
    let index = std::fs::read_to_string(dest.join("README.txt")).unwrap();
    assert!(
        index.contains("7 commits (2 not good, 2 failed by the audit)"),
        "{index}"
    );
    // The planted letter is in the claim's folder at HEAD, so it is in the file too.
    assert!(dest.join(ROOF).join("letters/extra.txt").is_file());
}

/// The names in the office's parent folder, sorted.
fn beside(o: &Office) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(o.root.join(".."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn an_unknown_claim_is_refused_and_nothing_is_written() {
    let o = Office::example();
    let before = beside(&o);
    let dest = o.root.join("../examiner");
    let (_, err) = o.expect(
        1,
        &[
            "export",
            ROOF,
            "CLM-2611-7K3F-QM2X",
            "--to",
            dest.to_str().unwrap(),
        ],
    );
    assert!(err.contains("no claim CLM-2611-7K3F-QM2X"), "{err}");
    let zip = o.root.join("../examiner.zip");
    o.expect(
        1,
        &[
            "export",
            "CLM-2611-7K3F-QM2X",
            "--zip",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(beside(&o), before, "nothing left next to the destination");
}

#[test]
fn a_destination_that_is_there_is_refused_and_left_alone() {
    let o = Office::example();
    let dest = o.root.join("../examiner");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("notes.txt"), "mine").unwrap();
    let (_, err) = o.expect(1, &["export", ROOF, "--to", dest.to_str().unwrap()]);
    assert!(err.contains("exists and is not empty"), "{err}");
    assert_eq!(files_in(&dest).len(), 1);
    let zip = o.root.join("../examiner.zip");
    std::fs::write(&zip, "mine").unwrap();
    let (_, err) = o.expect(1, &["export", ROOF, "--zip", zip.to_str().unwrap()]);
    assert!(err.contains("exists"), "{err}");
    assert_eq!(std::fs::read(&zip).unwrap(), b"mine");
    // An empty folder is taken.
    let empty = o.root.join("../empty");
    std::fs::create_dir(&empty).unwrap();
    o.expect(0, &["export", ROOF, "--to", empty.to_str().unwrap()]);
    assert!(empty.join(ROOF).join("record.yaml").is_file());
    // One of --to and --zip.
    o.expect(2, &["export", ROOF]);
}

#[test]
fn a_link_in_the_claims_folder_is_not_followed() {
    let o = Office::example();
    let letters = o.root.join("claims/2026/08/CLM-2608-JN8S-QVEH/letters");
    std::os::unix::fs::symlink("/etc/passwd", letters.join("passwd.txt")).unwrap();
    o.commit_as(MANAGER, "a link");
    let dest = o.root.join("../examiner");
    let (_, err) = o.expect(
        1,
        &[
            "export",
            "CLM-2608-JN8S-QVEH",
            "--to",
            dest.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("letters/passwd.txt is a symbolic link"),
        "{err}"
    );
    assert!(!dest.exists());
}

#[test]
fn a_zip_export_holds_the_same_files() {
    let (o, _) = worked_claim();
    let (dest, _) = export_to(&o, "examiner");
    let zip_path = o.root.join("../examiner.zip");
    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "csv",
            "export",
            ROOF,
            "--zip",
            zip_path.to_str().unwrap(),
        ],
    );
    let rows = csv(&out);
    assert_eq!(rows[0]["claim"], ROOF);
    assert_eq!(rows[0]["commits"], "5");
    assert_eq!(rows[0]["not_good"], "0");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut in_zip = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        in_zip.insert(f.name().unwrap().to_string(), bytes);
    }
    // The same files; the index names the command line that made it.
    let mut in_dir = files_in(&dest);
    let (zip_index, dir_index) = (
        in_zip.remove("README.txt").unwrap(),
        in_dir.remove("README.txt").unwrap(),
    );
    assert_eq!(in_zip, in_dir);
    let (zip_index, dir_index) = (
        String::from_utf8(zip_index).unwrap(),
        String::from_utf8(dir_index).unwrap(),
    );
    assert!(zip_index.contains("--zip"), "{zip_index}");
    assert_eq!(
        zip_index
            .replace(zip_path.to_str().unwrap(), "D")
            .replace("--zip", "--to")
            .replace("--format csv ", ""),
        dir_index.replace(dest.to_str().unwrap(), "D")
    );
}

#[test]
fn the_history_through_merges_is_what_git_log_lists() {
    let o = Office::example();
    let other = "CLM-2608-JN8S-QVEH";
    // A side line touches the claim; the main line only another one.
    o.git_ok(&["checkout", "-q", "-b", "side"]);
    o.expect(0, &["note", ROOF, "Called the roofer"]);
    o.git_ok(&["checkout", "-q", "main"]);
    o.expect(0, &["note", other, "Filed the denial"]);
    o.git_ok(&["merge", "-q", "--no-ff", "-S", "-m", "merge side", "side"]);
    // Then both lines touch it, and the merge holds both notes.
    o.git_ok(&["checkout", "-q", "side"]);
    o.expect(0, &["note", ROOF, "Roofer booked for Monday"]);
    o.git_ok(&["checkout", "-q", "main"]);
    o.expect(0, &["note", ROOF, "Insured confirmed Monday"]);
    o.git_ok(&[
        "merge",
        "-q",
        "--no-ff",
        "-S",
        "-m",
        "merge side again",
        "side",
    ]);
    let merged = o.read(RECORD);
    assert!(merged.contains("Roofer booked") && merged.contains("Insured confirmed"));

    let (dest, _) = export_to(&o, "examiner");
    let history = csv(&std::fs::read_to_string(dest.join(ROOF).join("history.csv")).unwrap());
    let commits: Vec<String> = history.iter().map(|r| r["commit"].clone()).collect();
    let mut listed = git_log(&o);
    let mut ours = commits.clone();
    // Oldest first for both; the two may order the lines' commits differently.
    listed.sort();
    ours.sort();
    assert_eq!(ours, listed);
    let subjects: Vec<&str> = history.iter().map(|r| r["subject"].as_str()).collect();
    assert!(subjects.contains(&"merge side again"), "{subjects:?}");
    assert!(!subjects.contains(&"merge side"), "{subjects:?}");
    assert!(
        history.iter().all(|r| r["signature"].starts_with("good")),
        "{history:?}"
    );
}

#[test]
fn a_key_slipped_into_authority_by_hand_blesses_nothing() {
    let o = Office::example();
    let office: claims::domain::office::Office =
        serde_yaml::from_str(&o.read("authority.yaml")).unwrap();
    let key = |email: &str| office.person(email).unwrap().signing_key.clone().unwrap();
    let (manager_key, csr_key) = (key(MANAGER), key(CSR));
    // The CSR, who may not change authority.yaml, gives the manager's entry their own key...
    let text = o.read("authority.yaml");
    assert!(text.contains(manager_key.trim()));
    std::fs::write(
        o.root.join("authority.yaml"),
        text.replacen(manager_key.trim(), csr_key.trim(), 1),
    )
    .unwrap();
    o.commit_as(CSR, "a new key for the manager");
    // ...then signs a change of the claim in the manager's name with it.
    let path = o.root.join(RECORD);
    let record = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        record.replace("status: reported", "status: reported\n"),
    )
    .unwrap();
    std::fs::create_dir_all(o.root.join(FOLDER)).unwrap();
    std::fs::write(o.root.join(FOLDER).join("note.txt"), "approved\n").unwrap();
    o.hand_commit(MANAGER, Some(&o.key_of(CSR)), "approve");
    // Against authority.yaml as it now reads, the signature checks out...
    let signers = o.root.join("../signers");
    std::fs::write(
        &signers,
        format!("{MANAGER} namespaces=\"git\" {}\n", csr_key.trim()),
    )
    .unwrap();
    o.git_ok(&[
        "-c",
        &format!("gpg.ssh.allowedSignersFile={}", signers.display()),
        "verify-commit",
        "HEAD",
    ]);
    // ...but the change of authority.yaml never took effect, so the export, as the audit, says no.
    let (dest, err) = export_to(&o, "examiner");
    assert!(
        err.contains("1 of its 2 commits do not have a good signature"),
        "{err}"
    );
    let history = csv(&std::fs::read_to_string(dest.join(ROOF).join("history.csv")).unwrap());
    let last = history.last().unwrap();
    assert_eq!(last["subject"], "approve");
    assert!(last["signature"].starts_with("wrong key ("), "{last:?}");
    assert!(last["audit"].starts_with("failed (A003 error"), "{last:?}");
}

#[test]
fn ids_come_from_stdin_too_and_each_claim_once() {
    let o = Office::example();
    let dest = o.root.join("../examiner");
    let out = o.run_with_stdin(
        &[
            "--format",
            "csv",
            "export",
            "-",
            ROOF,
            "--to",
            dest.to_str().unwrap(),
        ],
        format!("{ROOF}\nclm-2608-jn8s-qveh\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows = csv(&String::from_utf8(out.stdout).unwrap());
    let claims: Vec<&str> = rows.iter().map(|r| r["claim"].as_str()).collect();
    assert_eq!(claims, [ROOF, "CLM-2608-JN8S-QVEH"]);
    let index = std::fs::read_to_string(dest.join("README.txt")).unwrap();
    assert!(index.contains("2 claims, one folder each"), "{index}");
    assert!(dest.join("CLM-2608-JN8S-QVEH/letters/denial.txt").is_file());
}

#[test]
fn a_drawn_sample_exports_the_claims_it_draws() {
    let o = Office::example();
    let (json, _) = o.expect(
        0,
        &["--format", "json", "sample", "--size", "3", "--seed", "7"],
    );
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let spec = report["spec"].as_str().unwrap().to_string();
    let drawn: Vec<String> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(drawn.len(), 3);
    let dest = o.root.join("../sample-file");
    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "csv",
            "export",
            "--sample",
            &spec,
            "--to",
            dest.to_str().unwrap(),
        ],
    );
    let claims: Vec<String> = csv(&out).iter().map(|r| r["claim"].clone()).collect();
    assert_eq!(claims, drawn);
    for id in &drawn {
        assert!(dest.join(id).join("history.csv").is_file(), "{id}");
    }
    // A spec that is not one is refused, and nothing is written.
    let other = o.root.join("../no-sample");
    o.expect(
        2,
        &[
            "export",
            "--sample",
            "size=3",
            "--to",
            other.to_str().unwrap(),
        ],
    );
    assert!(!other.exists());
}
