//! Batches are idempotent (issue 18): every intake commit records where its notice came from
//! (file and row, or the email's Message-ID) and a fingerprint of it, and taking in the same
//! CSV, inbox, payload or call again lands each item once and reports the rest as already
//! imported — exit 0, nothing committed for them. `claims show` and `claims log` say where a
//! claim came from, and the audit stays clean.

use crate::common::people::CSR;
use crate::common::{caught, Office};

fn data(name: &str) -> String {
    format!("{}/tests/data/intake/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn email(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/email")
        .join(name)
}

fn commits(o: &Office) -> usize {
    o.git_ok(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

/// `claims --as CSR --format json intake ARGS...` exiting 0: the report.
fn intake(o: &Office, args: &[&str]) -> serde_json::Value {
    let mut full = vec!["--as", CSR, "--format", "json", "intake"];
    full.extend_from_slice(args);
    let (out, err) = o.expect(0, &full);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"))
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The already-imported entries of a report as (row, claim) pairs.
fn already(report: &serde_json::Value) -> Vec<(Option<u64>, Option<String>)> {
    report["already_imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["row"].as_u64(), a["claim"].as_str().map(str::to_string)))
        .collect()
}

/// (row, claim) for claims taken in from rows 2, 3, ... of a file.
fn rows_from_2(created: &[String]) -> Vec<(Option<u64>, Option<String>)> {
    (2..)
        .zip(created)
        .map(|(r, id)| (Some(r), Some(id.clone())))
        .collect()
}

/// batch-good.csv's rows, header first, as written.
fn good_rows() -> Vec<csv::StringRecord> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(data("batch-good.csv"))
        .unwrap();
    r.records().map(Result::unwrap).collect()
}

fn write_csv(path: &std::path::Path, rows: &[csv::StringRecord]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn the_same_csv_again_lands_nothing_and_says_which_claim_each_row_is() {
    let o = Office::example();
    let first = intake(&o, &["--csv", &data("batch-good.csv")]);
    let created = ids(&first["created"]);
    assert_eq!(created.len(), 4, "{first}");
    assert_eq!(already(&first), []);
    let before = commits(&o);

    // Again, as a person reads it: every row named with its claim, exit 0.
    let (out, err) = o.expect(
        0,
        &["--as", CSR, "intake", "--csv", &data("batch-good.csv")],
    );
    assert_eq!(out, "", "no claims to list");
    for (row, id) in (2..).zip(&created) {
        assert!(
            err.contains(&format!(
                "batch-good.csv: row {row}: already imported as {id}\n"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("created 0 claim(s), 4 already imported"),
        "{err}"
    );
    assert_eq!(commits(&o), before, "nothing committed");

    // And as a script reads it.
    let again = intake(&o, &["--csv", &data("batch-good.csv")]);
    assert_eq!(ids(&again["created"]), Vec::<String>::new());
    assert_eq!(already(&again), rows_from_2(&created));
    assert_eq!(again["already_imported"][0]["source"], "batch-good.csv");
    assert_eq!(again["already_imported"][0]["differs"], false);
    assert_eq!(commits(&o), before);
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// An operator's batch was killed after the first rows landed: the same file again lands
/// exactly the rows that had not.
#[test]
fn a_batch_run_again_after_a_partial_import_lands_only_the_rest() {
    let o = Office::example();
    let rows = good_rows();
    let path = o.root.join("../fnol-batch.csv");
    write_csv(&path, &rows[..3]); // the header and the first two rows landed
    let part = intake(&o, &["--csv", path.to_str().unwrap()]);
    let landed = ids(&part["created"]);
    assert_eq!(landed.len(), 2);
    let before = commits(&o);

    write_csv(&path, &rows);
    let rest = intake(&o, &["--csv", path.to_str().unwrap()]);
    let new = ids(&rest["created"]);
    assert_eq!(new.len(), 2, "{rest}");
    assert_eq!(
        commits(&o),
        before + 2,
        "one commit for each row that had not landed"
    );
    assert_eq!(
        already(&rest),
        [
            (Some(2), Some(landed[0].clone())),
            (Some(3), Some(landed[1].clone()))
        ]
    );
    // The rows that landed now are rows 4 and 5 of the file, and say so.
    for (id, row) in new.iter().zip([4, 5]) {
        let (_, c) = o.claim_where(|c| &c.id == id);
        let s = c.source.unwrap();
        assert_eq!(s.file.as_deref(), Some("fnol-batch.csv"));
        assert_eq!(s.row, Some(row));
    }
    // A third time: nothing.
    let third = intake(&o, &["--csv", path.to_str().unwrap()]);
    assert_eq!(ids(&third["created"]).len(), 0);
    assert_eq!(already(&third).len(), 4);
    assert_eq!(commits(&o), before + 2);
    o.assert_sound();
}

/// The same rows saved by Excel ("CSV UTF-8": a byte-order mark, CRLF line endings), with
/// every cell quoted, the columns in another order and under another file name, are the
/// same rows.
#[test]
fn crlf_excel_and_reordered_copies_of_a_batch_are_the_same_rows() {
    let o = Office::example();
    let rows = good_rows();
    let lf = o.root.join("../export.csv");
    write_csv(&lf, &rows);
    let first = intake(&o, &["--csv", lf.to_str().unwrap()]);
    let created = ids(&first["created"]);
    assert_eq!(created.len(), 4);
    let before = commits(&o);

    // Excel's copy: BOM, CRLF, quotes everywhere, the columns reversed.
    let excel = o.root.join("../export (Excel).csv");
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in &rows {
        let reversed: Vec<&str> = r.iter().rev().collect();
        w.write_record(&reversed).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    assert!(bytes.windows(2).any(|p| p == b"\r\n"));
    std::fs::write(&excel, bytes).unwrap();
    let again = intake(&o, &["--csv", excel.to_str().unwrap()]);
    assert_eq!(ids(&again["created"]).len(), 0, "{again}");
    assert_eq!(already(&again), rows_from_2(&created));
    assert_eq!(commits(&o), before);

    // The repository's own CRLF batch (Python's csv module, with a BOM): its valid rows land
    // once, whichever way it is read again.
    let crlf = intake(&o, &["--csv", &data("batch-crlf.csv"), "--skip-invalid"]);
    assert_eq!(ids(&crlf["created"]).len(), 2, "{crlf}");
    let text = std::fs::read_to_string(data("batch-crlf.csv")).unwrap();
    let unix = o.root.join("../batch-unix.csv");
    std::fs::write(
        &unix,
        text.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
    )
    .unwrap();
    let (out, err) = o.expect(
        1,
        &[
            "--format",
            "json",
            "intake",
            "--csv",
            unix.to_str().unwrap(),
            "--skip-invalid",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(already(&report).len(), 2, "{out}");
    assert!(
        err.contains("every new notice was invalid (2 skipped, 2 already imported)"),
        "{err}"
    );
    assert_eq!(commits(&o), before + 2);
    o.assert_sound();
}

#[test]
fn the_same_row_twice_in_one_file_lands_once() {
    let o = Office::example();
    let rows = good_rows();
    let path = o.root.join("../twice.csv");
    // Rows 2 and 4 are the same notice; row 3 another.
    write_csv(
        &path,
        &[
            rows[0].clone(),
            rows[1].clone(),
            rows[2].clone(),
            rows[1].clone(),
        ],
    );
    let before = commits(&o);
    let (out, err) = o.expect(0, &["--as", CSR, "intake", "--csv", path.to_str().unwrap()]);
    assert_eq!(commits(&o), before + 2);
    let (_, first) = o.claim_where(|c| c.source.as_ref().and_then(|s| s.row) == Some(2));
    assert!(out.contains(&first.id), "{out}");
    assert!(
        err.contains(&format!(
            "twice.csv: row 4: already imported as {} (the same as row 2)",
            first.id
        )),
        "{err}"
    );
    assert!(
        err.contains("created 2 claim(s), 1 already imported"),
        "{err}"
    );
    // Refused for another row, the repeat still names the row it repeats; nothing written.
    let mut bad = rows[3]
        .clone()
        .iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    let date = rows[0].iter().position(|h| h == "loss_date").unwrap();
    bad[date] = "11/31/2026".into();
    let bad = csv::StringRecord::from(bad);
    write_csv(&path, &[rows[0].clone(), bad.clone(), bad]);
    let (out, err) = o.expect(
        1,
        &[
            "--format",
            "json",
            "intake",
            "--csv",
            path.to_str().unwrap(),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["already_imported"][0]["same_as"], "row 2", "{out}");
    assert_eq!(
        report["already_imported"][0]["claim"],
        serde_json::Value::Null
    );
    assert!(
        err.contains("nothing was written, 1 already imported"),
        "{err}"
    );
    assert_eq!(commits(&o), before + 2);
    o.assert_sound();
}

/// The same inbox twice lands nothing new. A message sent again with the same Message-ID is
/// the message already taken in — a re-sent copy with another body is a person's to read, so
/// it is warned about, not taken in as a second claim. A message without a Message-ID is
/// known by its fingerprint.
#[test]
fn the_same_inbox_twice_and_a_message_sent_again() {
    let o = Office::example();
    let inbox = o.root.join("../inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    for f in [
        "auto-plain.eml",
        "property-html-qp.eml",
        "auto-mixed-pdf.eml",
    ] {
        std::fs::copy(email(f), inbox.join(f)).unwrap();
    }
    let first = intake(&o, &["--email", inbox.to_str().unwrap()]);
    let created = ids(&first["created"]);
    assert_eq!(created.len(), 3, "{first}");
    let before = commits(&o);
    let (_, plain) = o.claim_where(|c| {
        c.source.as_ref().and_then(|s| s.file.as_deref()) == Some("auto-plain.eml")
    });
    let source = plain.source.clone().unwrap();
    assert_eq!(
        source.message_id.as_deref(),
        Some("20261103091400.4411@example.com")
    );
    assert_eq!(source.row, None);
    // The fingerprint is the kept original's SHA-256.
    let folder = format!("{}/attachments/original.eml", plain.id);
    let original = o
        .claims()
        .into_iter()
        .find(|(_, c)| c.id == plain.id)
        .map(|(rel, _)| rel.replace(&format!("{}.yaml", plain.id), &folder))
        .unwrap();
    let sha = std::process::Command::new("sha256sum")
        .arg(o.root.join(&original))
        .output()
        .unwrap();
    let sha = String::from_utf8_lossy(&sha.stdout);
    assert_eq!(
        source.fingerprint.as_str(),
        format!("sha256:{}", sha.split_whitespace().next().unwrap())
    );
    let trailers = o.git_ok(&[
        "log",
        "--format=%(trailers)",
        &format!("--grep=^Claim: {}$", plain.id),
    ]);
    assert!(
        trailers.contains("Message-Id: <20261103091400.4411@example.com>\n"),
        "{trailers}"
    );
    assert!(trailers.contains("Source: auto-plain.eml\n"), "{trailers}");

    // The same inbox again.
    let (_, err) = o.expect(
        0,
        &["--as", CSR, "intake", "--email", inbox.to_str().unwrap()],
    );
    assert!(
        err.contains(&format!(
            "auto-plain.eml: message <20261103091400.4411@example.com>: already imported as {}\n",
            plain.id
        )),
        "{err}"
    );
    assert!(
        err.contains("created 0 claim(s), 3 already imported"),
        "{err}"
    );
    assert_eq!(commits(&o), before);

    // The same message sent again, its body corrected: the same Message-ID.
    let text = std::fs::read_to_string(email("auto-plain.eml")).unwrap();
    let resent = o.root.join("../resent.eml");
    let corrected = text.replacen(
        "Hello,",
        "Hello again (a correction: it was the left lane),",
        1,
    );
    assert_ne!(corrected, text);
    std::fs::write(&resent, corrected).unwrap();
    let (out, _) = o.expect(
        0,
        &[
            "--as",
            CSR,
            "--format",
            "json",
            "intake",
            "--email",
            resent.to_str().unwrap(),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["already_imported"][0]["claim"], plain.id.as_str());
    assert_eq!(report["already_imported"][0]["differs"], true);
    assert_eq!(
        report["already_imported"][0]["message_id"],
        "20261103091400.4411@example.com"
    );
    let (_, err_text) = o.expect(
        0,
        &["--as", CSR, "intake", "--email", resent.to_str().unwrap()],
    );
    assert!(
        err_text.contains(&format!(
            "warning: resent.eml: message <20261103091400.4411@example.com>: already imported as {} (this copy differs from the message taken in",
            plain.id
        )),
        "{err_text}"
    );
    assert_eq!(commits(&o), before);

    // Without a Message-ID: the fingerprint tells it.
    let bare = o.root.join("../no-id.eml");
    let no_id: String = text
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("message-id:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&bare, &no_id).unwrap();
    let once = intake(&o, &["--email", bare.to_str().unwrap()]);
    let id = ids(&once["created"]).pop().expect("a message of its own");
    let (_, c) = o.claim_where(|c| c.id == id);
    assert_eq!(c.source.as_ref().unwrap().message_id, None);
    let twice = intake(&o, &["--email", bare.to_str().unwrap()]);
    assert_eq!(already(&twice), [(None, Some(id.clone()))]);
    assert_eq!(commits(&o), before + 1);
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// A web payload submitted twice (the second time re-serialized by a gateway: other key
/// order and spacing) is one claim.
#[test]
fn a_payload_sent_twice_is_one_claim() {
    let o = Office::example();
    let first = intake(&o, &["--file", &data("web-auto.json")]);
    let id = ids(&first["created"]).pop().unwrap();
    let before = commits(&o);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("web-auto.json")).unwrap()).unwrap();
    let copy = o.root.join("../submission-2.json");
    std::fs::write(&copy, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let (_, err) = o.expect(
        0,
        &["--as", CSR, "intake", "--file", copy.to_str().unwrap()],
    );
    assert!(
        err.contains(&format!("submission-2.json: already imported as {id}")),
        "{err}"
    );
    assert_eq!(commits(&o), before);
    let (_, c) = o.claim_where(|c| c.id == id);
    let s = c.source.unwrap();
    assert_eq!(
        s.file.as_deref(),
        Some("web-auto.json"),
        "the file's own name, no folders"
    );
    assert_eq!(
        serde_json::to_value(s.via).unwrap(),
        serde_json::json!("file")
    );
    o.assert_sound();
}

#[test]
fn show_and_log_say_where_a_claim_came_from() {
    let o = Office::example();
    let report = intake(&o, &["--csv", &data("batch-good.csv")]);
    let id = ids(&report["created"])[1].clone(); // row 3
    let (_, c) = o.claim_where(|c| c.id == id);
    let fingerprint = c.source.as_ref().unwrap().fingerprint.to_string();

    let (show, _) = o.expect(0, &["show", &id]);
    let line = show
        .lines()
        .find(|l| l.starts_with("source "))
        .unwrap_or_else(|| panic!("{show}"));
    assert!(
        line.ends_with(&format!("batch-good.csv row 3 ({})", &fingerprint[..19])),
        "{line}"
    );
    let (yaml, _) = o.expect(0, &["--format", "yaml", "show", &id]);
    assert!(
        yaml.contains(&format!(
            "source:\n  via: csv\n  file: batch-good.csv\n  row: 3\n  fingerprint: {fingerprint}\n"
        )),
        "{yaml}"
    );

    let (log, _) = o.expect(0, &["--format", "csv", "log", &id]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines[0],
        "when,who,role,command,amount,signature,commit,subject,source"
    );
    assert!(
        lines[1].ends_with(&format!(
            ",intake {id}: property reported via batch,batch-good.csv row 3 ({})",
            &fingerprint[..19]
        )),
        "{log}"
    );
    let (json, _) = o.expect(0, &["--format", "json", "log", &id]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        rows[0]["source"],
        format!("batch-good.csv row 3 ({})", &fingerprint[..19])
    );
    // The commit's trailers, for scripts.
    let trailers = o.git_ok(&[
        "log",
        "--format=%(trailers)",
        &format!("--grep=^Claim: {id}$"),
    ]);
    assert!(
        trailers.contains("Source: batch-good.csv row 3\n"),
        "{trailers}"
    );
    assert!(
        trailers.contains(&format!("Fingerprint: {fingerprint}\n")),
        "{trailers}"
    );
    assert!(
        trailers.contains(&format!(
            "Args: --via csv --source batch-good.csv --row 3 --fingerprint {fingerprint}\n"
        )),
        "{trailers}"
    );
    // A claim from before sources were recorded shows none.
    let (show, _) = o.expect(0, &["show", "CLM-2610-VH4E-J57R"]);
    assert!(show.lines().any(|l| l.trim_end() == "source"), "{show}");
}

/// The record of where a claim came from is replayed like everything else: a claim whose
/// source is not what its commit's arguments say is not what the command makes (A010), and
/// a commit that takes in an item already on a claim is one the tool refuses (A009).
#[test]
fn the_audit_refuses_a_forged_source_and_an_item_taken_in_twice() {
    let o = Office::example();
    intake(&o, &["--file", &data("web-auto.json")]);
    let message = o.git_ok(&["log", "-1", "--format=%B"]);
    o.git_ok(&["reset", "-q", "--soft", "HEAD~1"]);
    let (rel, _) = o.claim_where(|c| c.source.is_some());
    let text = o.read(&rel);
    assert!(text.contains("file: web-auto.json"), "{text}");
    std::fs::write(
        o.root.join(&rel),
        text.replacen("file: web-auto.json", "file: portal-export.json", 1),
    )
    .unwrap();
    o.commit_as(CSR, &message);
    caught(&o, "A010", "differs");

    // The same payload taken in twice: the second commit made by hand, on top of the first.
    let o = Office::example();
    intake(&o, &["--file", &data("web-auto.json")]);
    let message = o.git_ok(&["log", "-1", "--format=%B"]);
    let (rel, first) = o.claim_where(|c| c.source.is_some());
    let text = o.read(&rel);
    o.git_ok(&["reset", "-q", "--hard", "HEAD~1"]);
    let second = ids(&intake(&o, &["--file", &data("web-auto.json")])["created"])
        .pop()
        .unwrap();
    assert_ne!(second, first.id);
    std::fs::create_dir_all(o.root.join(&rel).parent().unwrap()).unwrap();
    std::fs::write(o.root.join(&rel), text).unwrap();
    o.commit_as(CSR, &message);
    caught(&o, "A009", &format!("already imported as {second}"));
}

/// `claims check` reads the new field, and a hand-edited fingerprint that is none is bad
/// input named by file and line.
#[test]
fn check_reads_the_source_and_names_a_fingerprint_that_is_none() {
    let o = Office::example();
    intake(&o, &["--file", &data("web-auto.json")]);
    o.expect(0, &["check"]);
    let (rel, c) = o.claim_where(|c| c.source.is_some());
    let fingerprint = c.source.unwrap().fingerprint.to_string();
    let text = o.read(&rel);
    std::fs::write(o.root.join(&rel), text.replace(&fingerprint, "sha256:1234")).unwrap();
    let (out, err) = o.expect(1, &["check"]);
    let line = crate::common::line_of(&text, "source:");
    assert!(
        out.contains(&format!("{rel}:{}:", line + 1)) && out.contains("error[Y003]: source:"),
        "{out}\n{err}"
    );
    assert!(out.contains("`sha256:1234` is not a fingerprint"), "{out}");
}
