//! Issue 18: bounded, hostile input never stalls, crashes or mis-exits. Every input is held
//! to its bounds and refused with a message naming the file (and row, column or field), exit
//! 1, nothing written; a bad file already committed is reported by `check` and skipped by the
//! readers. Time limits here are watchdogs against a stall, not speed measurements.

use crate::common::Office;

/// A generous watchdog: a refusal takes milliseconds; this only catches a stall.
const WATCHDOG: u64 = 10;

fn corpus(target: &str, name: &str) -> String {
    format!(
        "{}/tests/data/fuzz/{target}/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn intake_data(name: &str) -> String {
    format!("{}/tests/data/intake/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Puts the corpus file in the office as a claim file and commits it with plain git, signed
/// by the manager (a hand edit): the file is in the repository for everyone.
fn commit_claim_file(o: &Office, corpus_name: &str) -> String {
    let rel = "claims/2026/11/CLM-2611-BAD0-0001.yaml";
    std::fs::copy(corpus("claim_yaml", corpus_name), o.root.join(rel)).unwrap();
    o.commit_as(crate::common::people::MANAGER, "a hostile claim file");
    rel.to_string()
}

fn mkfifo(path: &std::path::Path) {
    let out = std::process::Command::new("mkfifo")
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "mkfifo failed");
}

#[test]
fn a_committed_claim_nested_100000_deep_is_reported_by_check_and_skipped_by_readers() {
    let o = Office::example();
    let rel = commit_claim_file(&o, "deep-flow-seq-100000.yaml");

    let (out, err) = o.expect_within(WATCHDOG, 1, &["check"]);
    assert!(
        out.contains(&format!(
            "{rel}:1:65: error[Y004]: nested deeper than 64 levels"
        )),
        "{out}"
    );
    assert!(err.contains("1 error"), "{err}");
    let (out, _) = o.expect_within(WATCHDOG, 1, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["findings"][0]["file"], rel.as_str());
    assert_eq!(report["findings"][0]["code"], "Y004");

    let warning = format!("warning: {rel}:1:65: error[Y004]: nested deeper than 64 levels");
    for args in [
        &["list"][..],
        &["queue"],
        &["workload"],
        &["payments"],
        &["closed"],
        &["overdue"],
    ] {
        let (_, err) = o.expect_within(WATCHDOG, 0, args);
        assert!(err.contains(&warning), "{args:?}: {err}");
    }
    let (out, err) = o.expect_within(WATCHDOG, 0, &["list", "--format", "csv"]);
    assert_eq!(
        out.lines().count(),
        17,
        "the 16 sample claims and the header"
    );
    assert!(err.contains("16 claims"), "{err}");
    let (_, err) = o.expect_within(WATCHDOG, 0, &["sla-report", "--as-of", "2026-11-20"]);
    assert!(
        err.contains(&format!("warning: {rel} does not parse (1:65: error[Y004]")),
        "{err}"
    );
    let (_, err) = o.expect_within(WATCHDOG, 1, &["show", "CLM-2611-BAD0-0001"]);
    assert!(
        err.contains("error[Y004]: nested deeper than 64 levels"),
        "{err}"
    );
    // The audit reads it too (a hand edit it reports), and finishes.
    o.expect_within(WATCHDOG, 1, &["audit", "--no-checkpoint"]);
    // A command that works at the tip reads every claim (duplicates, caseloads) and goes on.
    o.expect_within(WATCHDOG, 0, &["note", "CLM-2611-FS2R-811K", "Called back"]);
}

#[test]
fn a_deep_flow_mapping_and_deep_block_nesting_are_refused_too() {
    let o = Office::example();
    for (name, at) in [
        ("deep-flow-map-20000.yaml", "1:321"),
        ("deep-block-compact-5000.yaml", "1:129"),
    ] {
        let rel = "claims/2026/11/CLM-2611-BAD0-0001.yaml";
        std::fs::copy(corpus("claim_yaml", name), o.root.join(rel)).unwrap();
        let (out, _) = o.expect_within(WATCHDOG, 1, &["check", rel]);
        assert!(
            out.contains(&format!(
                "{rel}:{at}: error[Y004]: nested deeper than 64 levels"
            )),
            "{name}: {out}"
        );
    }
}

#[test]
fn a_claim_file_that_is_not_text_is_y005_with_its_position() {
    let o = Office::example();
    let rel = "claims/2026/11/CLM-2611-YFNF-X1DT.yaml";
    std::fs::copy(corpus("claim_yaml", "not-utf8.yaml"), o.root.join(rel)).unwrap();
    let (out, _) = o.expect_within(WATCHDOG, 1, &["check"]);
    assert!(
        out.contains(&format!("{rel}:9:"))
            && out.contains("error[Y005]: not UTF-8 text: byte 0xe9 (byte offset"),
        "{out}"
    );
    let (_, err) = o.expect(1, &["show", "CLM-2611-YFNF-X1DT"]);
    assert!(err.contains("not UTF-8 text: byte 0xe9"), "{err}");
    std::fs::copy(corpus("claim_yaml", "nul.yaml"), o.root.join(rel)).unwrap();
    let (out, _) = o.expect(1, &["check"]);
    assert!(
        out.contains("error[Y005]: a NUL byte (byte offset"),
        "{out}"
    );
}

#[test]
fn a_claim_file_past_the_size_bound_is_refused_without_being_parsed() {
    let o = Office::example();
    let rel = "claims/2026/11/CLM-2611-YFNF-X1DT.yaml";
    let mut text = o.read(rel);
    text.push_str(&format!("# {}\n", "x".repeat(3 << 20)));
    std::fs::write(o.root.join(rel), text).unwrap();
    let (out, _) = o.expect_within(WATCHDOG, 1, &["check"]);
    assert!(
        out.contains(&format!(
            "{rel}:1:1: error[Y004]: 3 MiB is too large: the most this tool reads here is 2 MiB"
        )),
        "{out}"
    );
    let (_, err) = o.expect(0, &["list"]);
    assert!(
        err.contains(&format!("warning: {rel}:1:1: error[Y004]")),
        "{err}"
    );
}

#[test]
fn deep_payloads_are_refused_naming_the_file_and_nothing_is_written() {
    let o = Office::example();
    let head = o.head();
    let path = corpus("payload", "deep.yaml");
    let (_, err) = o.expect_within(WATCHDOG, 1, &["intake", "--file", &path]);
    assert!(
        err.contains(&format!("{path}:1:65: nested deeper than 64 levels")),
        "{err}"
    );
    // JSON is read as it goes: refused where the value of the wrong shape starts.
    let path = corpus("payload", "deep.json");
    let (_, err) = o.expect_within(WATCHDOG, 1, &["intake", "--file", &path]);
    assert!(err.contains(&format!("error: {path}:1:")), "{err}");
    assert_eq!(o.head(), head);
    o.assert_sound();
}

#[test]
fn payload_text_that_is_not_text_exits_1_naming_the_place() {
    let o = Office::example();
    let head = o.head();
    let path = corpus("payload", "not-utf8.json");
    let (_, err) = o.expect(1, &["intake", "--file", &path]);
    assert!(
        err.contains(&format!(
            "{path}: not UTF-8 text: byte 0xed at line 1, column"
        )),
        "{err}"
    );
    let (_, err) = o.expect(
        1,
        &["intake", "--file", &corpus("payload", "nul-escape.json")],
    );
    assert!(
        err.contains("loss.description: a NUL byte at line 1, column 7 (byte offset 6)"),
        "{err}"
    );
    let (_, err) = o.expect(
        1,
        &["intake", "--file", &corpus("payload", "long-field.json")],
    );
    assert!(
        err.contains("loss.description: 68.4 KiB is too long: a field may be at most 64 KiB"),
        "{err}"
    );
    assert_eq!(o.head(), head);
}

#[test]
fn csv_cells_that_are_not_text_or_too_long_name_the_row_and_column() {
    let o = Office::example();
    let head = o.head();
    for (name, why) in [
        (
            "not-utf8-cell.csv",
            "row 2, column reporter_name: not UTF-8 text: byte 0xe0 at byte 2 of the cell",
        ),
        (
            "nul-cell.csv",
            "row 2, column reporter_name: a NUL byte at byte 3 of the cell",
        ),
        (
            "long-cell.csv",
            "row 2, column vehicle1_damage: 68.4 KiB is too long: a field may be at most 64 KiB",
        ),
    ] {
        let path = corpus("csv", name);
        let (_, err) = o.expect_within(WATCHDOG, 1, &["intake", "--csv", &path]);
        assert!(err.contains(&format!("{path}: {why}")), "{name}: {err}");
        assert!(err.contains("nothing was written"), "{err}");
    }
    let path = corpus("csv", "not-utf8-header.csv");
    let (_, err) = o.expect(1, &["intake", "--csv", &path]);
    assert!(
        err.contains("row 1: header cell 2: not UTF-8 text: byte 0xff at byte 2 of the cell"),
        "{err}"
    );
    assert_eq!(o.head(), head);
}

#[test]
fn a_bad_row_is_skipped_with_skip_invalid_and_the_good_ones_land() {
    let o = Office::example();
    let good = std::fs::read(intake_data("batch-good.csv")).unwrap();
    let mut lines: Vec<Vec<u8>> = good.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    // The second data row's first cell ends in a byte that is not UTF-8.
    let comma = lines[2].iter().position(|b| *b == b',').unwrap();
    lines[2].insert(comma, 0xff);
    let path = o.root.join("../mixed.csv");
    std::fs::write(&path, lines.join(&b'\n')).unwrap();
    let p = path.to_str().unwrap();
    let (_, err) = o.expect(1, &["intake", "--csv", p]);
    assert!(
        err.contains(&format!("{p}: row 3, column lob: not UTF-8 text")),
        "{err}"
    );
    let base = o.head();
    o.expect(0, &["intake", "--csv", p, "--skip-invalid"]);
    let made = o
        .git_ok(&["rev-list", &format!("{base}..HEAD")])
        .lines()
        .count();
    assert_eq!(made, 3, "the three good rows");
    o.assert_sound();
}

#[test]
fn a_fifo_a_folder_or_a_device_as_an_attachment_is_refused_without_blocking() {
    let o = Office::example();
    let head = o.head();
    let fifo = o.root.join("../photo.jpg");
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap();
    let payload = intake_data("web-auto.json");
    let (_, err) = o.expect_within(WATCHDOG, 1, &["intake", "--file", &payload, "--attach", f]);
    assert!(
        err.contains(&format!("{f}: is a FIFO (named pipe), not a regular file")),
        "{err}"
    );
    let dir = o.root.join("..");
    let (_, err) = o.expect(
        1,
        &[
            "intake",
            "--file",
            &payload,
            "--attach",
            dir.to_str().unwrap(),
        ],
    );
    assert!(err.contains("is a folder, not a regular file"), "{err}");
    for args in [
        &["intake", "--file", f][..],
        &["intake", "--csv", f],
        &["intake", "--csv", "/dev/zero"],
        &["intake", "--email", f],
        &["authority", "propose", f, "--reason", "x"],
    ] {
        let (_, err) = o.expect_within(WATCHDOG, 1, args);
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    assert_eq!(o.head(), head);
}

#[test]
fn a_fifo_as_a_document_file_is_refused() {
    let o = Office::example();
    let (_, claim) = o.claim_where(|c| {
        c.documents
            .iter()
            .any(|d| d.status == claims::domain::claim::ItemStatus::Requested)
    });
    let doc = claim
        .documents
        .iter()
        .find(|d| d.status == claims::domain::claim::ItemStatus::Requested)
        .unwrap()
        .name
        .clone();
    let fifo = o.root.join("../scan.pdf");
    mkfifo(&fifo);
    let head = o.head();
    let (_, err) = o.expect_within(
        WATCHDOG,
        1,
        &[
            "--as",
            crate::common::people::WEBB,
            "document",
            &claim.id,
            &doc,
            "--received",
            "--file",
            fifo.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("is a FIFO (named pipe), not a regular file"),
        "{err}"
    );
    assert_eq!(o.head(), head);
}

#[test]
fn a_missing_file_is_bad_input_not_an_environment_failure() {
    let o = Office::example();
    let (_, err) = o.expect(1, &["intake", "--csv", "no-such.csv"]);
    assert!(err.contains("no-such.csv: no such file"), "{err}");
    let (_, err) = o.expect(1, &["intake", "--email", "no-such.eml"]);
    assert!(err.contains("no-such.eml: no such file"), "{err}");
}

/// Takes in one corpus email; the claim it made.
fn intake_email(o: &Office, name: &str) -> claims::domain::claim::Claim {
    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "json",
            "intake",
            "--email",
            &corpus("email", name),
        ],
    );
    let id = serde_json::from_str::<serde_json::Value>(&out).unwrap()["created"][0]
        .as_str()
        .unwrap()
        .to_string();
    o.claim_where(|c| c.id == id).1
}

#[test]
fn email_attachment_names_of_300_bytes_are_cut_keeping_the_extension_and_the_office_clones() {
    let o = Office::example();
    let claim = intake_email(&o, "name-300-bytes.eml");
    let name = claim.attachments[1]
        .file
        .strip_prefix("attachments/")
        .unwrap();
    assert!(name.len() <= 100, "{name}");
    assert!(name.starts_with("pppp") && name.ends_with(".pdf"), "{name}");

    let claim = intake_email(&o, "two-long-names.eml");
    let names: Vec<&str> = claim.attachments[1..]
        .iter()
        .map(|a| a.file.as_str())
        .collect();
    assert_eq!(names.len(), 2);
    assert_ne!(names[0], names[1], "two long names stay two files");
    assert!(names
        .iter()
        .all(|n| n.len() <= "attachments/".len() + 100 && n.ends_with(".pdf")));
    o.assert_sound();
    // Every path in the repository is reasonable, and a clone checks out.
    let longest = o.git_ok(&["ls-files"]).lines().map(str::len).max().unwrap();
    assert!(longest < 150, "a path of {longest} bytes");
    let clone = o.root.join("../clone");
    let out = o.git(&["clone", "-q", ".", clone.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_message_with_a_nul_is_refused_and_one_in_latin1_is_taken() {
    let o = Office::example();
    let nul = corpus("email", "nul.eml");
    let (_, err) = o.expect(1, &["intake", "--email", &nul]);
    assert!(
        err.contains(&format!(
            "error: {nul}: not an email message: a NUL byte at line 11, column 41 (byte offset 312)"
        )),
        "{err}"
    );
    let claim = intake_email(&o, "latin1-8bit.eml");
    assert!(
        claim.notes[0].text.contains("café"),
        "{}",
        claim.notes[0].text
    );
}

#[test]
fn a_piped_answer_that_is_not_text_exits_1_naming_the_question() {
    let o = Office::example();
    let head = o.head();
    let out = o.run_with_stdin(
        &["intake", "--interactive", "--lob", "personal_auto"],
        b"PAU-IL-2026-20931\nLaura \xff Novak\n",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("stdin: line 2 of the answers, the answer to \"")
            && err.contains("not UTF-8 text: byte 0xff at line 1, column 7"),
        "{err}"
    );
    assert_eq!(o.head(), head);
}

#[test]
fn a_note_on_stdin_that_is_not_text_exits_1() {
    let o = Office::example();
    let (_, claim) = o.claim_where(|c| c.status == claims::domain::lifecycle::Status::Reported);
    let head = o.head();
    let out = o.run_with_stdin(&["note", &claim.id, "-"], b"called\0back");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the note on stdin: a NUL byte at line 1, column 7 (byte offset 6)"),
        "{err}"
    );
    assert_eq!(o.head(), head);
}

#[test]
fn command_line_values_are_held_to_the_field_bounds_naming_the_option() {
    let o = Office::example();
    let (_, claim) = o.claim_where(|c| c.status == claims::domain::lifecycle::Status::Reported);
    let head = o.head();
    let escape = "hi \u{1b}[31mRED\u{1b}[0m \u{1b}]0;title\u{7}";
    let (_, err) = o.expect(1, &["note", &claim.id, escape]);
    assert!(
        err.contains("a control character (U+001B) at byte 4 of the value; nothing was written"),
        "{err}"
    );
    let (_, err) = o.expect(
        1,
        &[
            "update",
            &claim.id,
            "--set",
            "insured.phone=555\u{1b}[2J",
            "--reason",
            "r",
        ],
    );
    assert!(
        err.contains("--set: a control character (U+001B) at byte 18 of the value"),
        "{err}"
    );
    let (_, err) = o.expect(
        1,
        &[
            "update",
            &claim.id,
            "--set",
            "insured.phone=555",
            "--reason",
            "wrong\u{8}\u{8}right",
        ],
    );
    assert!(
        err.contains("--reason: a control character (U+0008)"),
        "{err}"
    );
    let long = "w".repeat(100_000);
    let (_, err) = o.expect(1, &["note", &claim.id, &long]);
    assert!(
        err.contains("97.7 KiB is too long: a field may be at most 64 KiB"),
        "{err}"
    );
    assert_eq!(o.head(), head, "nothing was written");
    // Tabs and line endings are text.
    o.expect(
        0,
        &["note", &claim.id, "called back\tat 10:00\nleft a message"],
    );
}

#[test]
fn attachment_names_keep_letters_of_any_script_and_their_extension() {
    let o = Office::example();
    let dir = o.root.join("../named");
    std::fs::create_dir_all(&dir).unwrap();
    let mut args = vec![
        "intake".to_string(),
        "--file".to_string(),
        intake_data("mobile-property.yaml"),
    ];
    for name in [
        "ééé.jpg",
        "üüü.jpg",
        "屋根.png",
        "a\u{301}b.pdf",
        "x:y?.txt",
    ] {
        std::fs::write(dir.join(name), name).unwrap();
        args.push("--attach".into());
        args.push(dir.join(name).to_str().unwrap().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    o.expect(0, &args);
    let (_, claim) = o.claim_where(|c| c.attachments.iter().any(|a| a.file.contains("ééé")));
    let files: Vec<(&str, Option<&str>)> = claim
        .attachments
        .iter()
        .map(|a| (a.file.as_str(), a.kind.as_deref()))
        .collect();
    for (file, kind) in [
        ("attachments/ééé.jpg", "photo"),
        ("attachments/üüü.jpg", "photo"),
        ("attachments/屋根.png", "photo"),
        ("attachments/a\u{301}b.pdf", "document"),
        ("attachments/x-y-.txt", "document"),
    ] {
        assert!(files.contains(&(file, Some(kind))), "{file}: {files:?}");
    }
    o.assert_sound();
}

#[test]
fn a_claim_file_with_a_byte_order_mark_is_said_to_have_one() {
    let o = Office::example();
    let (rel, _) = o.claim_where(|c| c.status == claims::domain::lifecycle::Status::Reported);
    let path = o.root.join(&rel);
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(&path).unwrap());
    std::fs::write(&path, bytes).unwrap();
    let (out, _) = o.expect(1, &["check", &rel]);
    assert!(out.contains("starts with a byte-order mark"), "{out}");
    assert!(!out.contains("missing field"), "{out}");
}

#[test]
fn a_csv_column_given_twice_is_refused_naming_it() {
    let o = Office::example();
    let head = o.head();
    let good = std::fs::read_to_string(intake_data("batch-good.csv")).unwrap();
    let mut lines = good.lines();
    let text = format!(
        "{},lob\n{},property\n",
        lines.next().unwrap(),
        lines.next().unwrap()
    );
    let path = o.root.join("../twice.csv");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    for dry in [true, false] {
        let mut args = vec!["intake", "--csv", p];
        if dry {
            args.insert(0, "--dry-run");
        }
        let (_, err) = o.expect(1, &args);
        assert!(
            err.contains("the header is invalid; nothing was written"),
            "{err}"
        );
        assert!(err.contains("column `lob` appears twice"), "{err}");
    }
    assert_eq!(o.head(), head);
}

#[test]
fn an_authority_yaml_that_is_a_fifo_is_said_not_to_be_a_regular_file() {
    let o = Office::example();
    let dir = o.root.join("../fifo-office");
    std::fs::create_dir_all(&dir).unwrap();
    mkfifo(&dir.join("authority.yaml"));
    let d = dir.to_str().unwrap();
    let (_, err) = o.expect_within(WATCHDOG, 1, &["--repo", d, "list"]);
    assert!(
        err.contains("authority.yaml is not a regular file"),
        "{err}"
    );
    assert!(!err.contains("no authority.yaml"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claims"))
        .arg("list")
        .current_dir(&dir)
        .env("HOME", &o.home)
        .env_remove("CLAIMS_REPO")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("authority.yaml is not a regular file"),
        "{err}"
    );
}

#[test]
fn a_size_refusal_gives_figures_that_differ() {
    let o = Office::example();
    let (_, claim) = o.claim_where(|c| c.status == claims::domain::lifecycle::Status::Reported);
    let head = o.head();
    let out = o.run_with_stdin(&["note", &claim.id, "-"], &vec![b'w'; 66_000]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains("64 KiB is too large: the most this tool reads here is 64 KiB"),
        "{err}"
    );
    assert!(
        err.contains("is too large") || err.contains("is too long"),
        "{err}"
    );
    assert_eq!(o.head(), head);
}

#[test]
fn two_hundred_rows_of_one_loss_warn_a_bounded_number_of_times() {
    let o = Office::example();
    let mut text = String::from("lob,policy_number,reporter_name,reporter_phone,loss_date,loss_description,loss_cause,discovered_on,loss_type,property_address,damage_description,emergency_repairs_needed,public_adjuster,mortgagee,estimated_loss\n");
    for i in 0..200 {
        text.push_str(&format!("property,HO-TX-2026-60254,Emily Hartman,(972) 555-0100,2026-11-15,Hail {i},hail,2026-11-15,wind,\"11842 Coldwater Creek Lane, Frisco, TX 75035\",Shingles row {i},N,N,none,{}.00\n", 1000 + i));
    }
    let path = o.root.join("../same.csv");
    std::fs::write(&path, text).unwrap();
    let (_, err) = o.expect(0, &["--dry-run", "intake", "--csv", path.to_str().unwrap()]);
    let warnings = err.lines().filter(|l| l.starts_with("warning:")).count();
    // At most three named duplicates and one summary per row (and a row's own few), not one per pair (19,900).
    assert!(warnings > 0 && warnings <= 6 * 200, "{warnings} warnings");
    assert!(err.contains("possibly the same loss as"), "{err}");
    assert!(err.contains("would create 200 claim(s)"), "{err}");
}
