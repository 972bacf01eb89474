//! `claims intake` (web/mobile payload, CSV batch), `claims queue` and `claims complete`.

use crate::common::Office;
use claims::domain::claim::Channel;
use claims::domain::lifecycle::Status;

fn data(name: &str) -> String {
    format!("{}/tests/data/intake/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn commits_since(o: &Office, base: &str) -> usize {
    o.git_ok(&["rev-list", &format!("{base}..HEAD")])
        .lines()
        .count()
}

#[test]
fn web_payload_with_two_photos_is_one_signed_commit_with_attachments() {
    let o = Office::example();
    let base = o.head();
    let (out, _) = o.expect(
        0,
        &[
            "intake",
            "--file",
            &data("web-auto.json"),
            "--attach",
            &data("photo-front.jpg"),
            "--attach",
            &data("photo-side.jpg"),
        ],
    );
    assert_eq!(commits_since(&o, &base), 1);
    let (rel, claim) = o.claim_where(|c| {
        c.policy_number.as_deref() == Some("PAU-TX-2026-10482")
            && c.loss.date.map(|d| d.to_string()) == Some("2026-11-10".into())
    });
    assert!(out.contains(&claim.id), "{out}");
    assert_eq!(claim.status, Status::Reported);
    assert_eq!(claim.channel, Channel::Web);
    assert_eq!(claim.jurisdiction, "TX", "jurisdiction from the policy");
    assert!(
        claim.insured.as_ref().unwrap().name.is_some(),
        "insured from the policy"
    );
    assert!(claim.agent.is_some(), "agent from the policy");
    assert_eq!(claim.history[0].event, "intake");
    let files: Vec<_> = claim.attachments.iter().map(|a| a.file.as_str()).collect();
    assert_eq!(
        files,
        ["attachments/photo-front.jpg", "attachments/photo-side.jpg"]
    );
    let folder = rel.trim_end_matches(".yaml");
    let in_commit = o.git_ok(&["show", "--name-only", "--format=", "HEAD"]);
    for f in &files {
        let path = format!("{folder}/{f}");
        assert!(
            in_commit.contains(&path),
            "{path} not in the commit:\n{in_commit}"
        );
        assert!(o.root.join(&path).is_file());
    }
    assert_eq!(
        o.read(&format!("{folder}/attachments/photo-side.jpg")),
        std::fs::read_to_string(data("photo-side.jpg")).unwrap()
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    for t in [
        format!("Claim: {}", claim.id),
        "Command: intake".into(),
        "Channel: web".into(),
        "Role: ".into(),
        "Actor: ".into(),
    ] {
        assert!(trailers.contains(&t), "{t} missing in\n{trailers}");
    }
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn mobile_payload_finds_the_policy_by_property_address() {
    let o = Office::example();
    o.expect(0, &["intake", "--file", &data("mobile-property.yaml")]);
    let (_, claim) = o.claim_where(|c| {
        c.loss.description.as_deref() == Some("Supply line under the upstairs sink burst")
    });
    assert_eq!(claim.channel, Channel::Mobile);
    assert_eq!(claim.policy_number.as_deref(), Some("HO-TX-2026-60254"));
    assert_eq!(claim.status, Status::Reported);
    o.assert_sound();
}

#[test]
fn payload_missing_fields_is_refused_with_the_full_list_and_nothing_written() {
    let o = Office::example();
    let base = o.head();
    let (_, err) = o.expect(1, &["intake", "--file", &data("web-missing.yaml")]);
    for f in [
        "loss.description",
        "loss.time",
        "loss.location",
        "auto.vehicles[0].year",
        "auto.vehicles[0].model",
        "auto.vehicles[0].vin",
        "auto.vehicles[0].damage",
    ] {
        assert!(
            err.contains(&format!("{f}: required")),
            "{f} not listed:\n{err}"
        );
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(o.head(), base);
    o.assert_sound();
}

#[test]
fn csv_with_bad_rows_commits_nothing_and_names_row_and_column() {
    let o = Office::example();
    let base = o.head();
    let before = o.claims().len();
    // batch.csv has CRLF line endings: rows are still the file's lines (the header is 1).
    let (_, err) = o.expect(1, &["intake", "--csv", &data("batch.csv")]);
    assert!(err.contains("row 4, column loss_date"), "{err}");
    assert!(err.contains("row 4, column public_adjuster"), "{err}");
    assert!(err.contains("row 6, column vehicle1_vin"), "{err}");
    assert!(err.contains("--accept-vin"), "{err}");
    assert_eq!(o.head(), base);
    assert_eq!(o.claims().len(), before);

    let (_, err) = o.expect(1, &["intake", "--csv", &data("batch-unknown-column.csv")]);
    assert!(err.contains("row 1, column colour"), "{err}");
    assert_eq!(o.head(), base);
    o.assert_sound();
}

#[test]
fn csv_skip_invalid_lands_the_good_rows_one_commit_each() {
    let o = Office::example();
    let base = o.head();
    let before = o.claims().len();
    let (out, err) = o.expect(
        0,
        &["intake", "--csv", &data("batch.csv"), "--skip-invalid"],
    );
    assert!(err.contains("skipped 2"), "{err}");
    assert_eq!(commits_since(&o, &base), 4);
    let claims = o.claims();
    assert_eq!(claims.len(), before + 4);
    let new: Vec<_> = claims
        .iter()
        .map(|(_, c)| c)
        .filter(|c| c.channel == Channel::Batch)
        .collect();
    assert_eq!(new.len(), 4);
    for c in &new {
        assert!(out.contains(&c.id), "{out}");
        assert_eq!(c.status, Status::Reported, "{}", c.id);
    }
    let auto = new.iter().find(|c| c.lob.is_auto()).unwrap();
    let a = auto.auto.as_ref().unwrap();
    assert_eq!(a.vehicles.len(), 1);
    assert_eq!(a.injured[0].description.as_deref(), Some("neck pain"));
    assert_eq!(a.witnesses.len(), 1);
    let wc = new
        .iter()
        .find(|c| c.workers_comp.is_some())
        .unwrap()
        .workers_comp
        .as_ref()
        .unwrap();
    assert_eq!(wc.body_parts, ["left wrist", "lower back"]);
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Channel: batch"), "{trailers}");
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn wrong_vin_check_digit_is_refused_unless_accepted_explicitly() {
    let o = Office::example();
    let base = o.head();
    let (_, err) = o.expect(1, &["intake", "--file", &data("bad-vin.json")]);
    assert!(err.contains("auto.vehicles[0].vin"), "{err}");
    assert!(err.contains("--accept-vin"), "{err}");
    assert_eq!(o.head(), base);
    o.expect(
        0,
        &["intake", "--file", &data("bad-vin.json"), "--accept-vin"],
    );
    let (_, claim) = o.claim_where(|c| {
        c.auto
            .as_ref()
            .is_some_and(|a| a.vehicles.iter().any(|v| v.vin_check_overridden))
    });
    assert_eq!(
        claim.auto.unwrap().vehicles[0].vin.as_deref(),
        Some("5NPEB4AC1DH571382")
    );
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn a_possible_duplicate_is_warned_about_but_not_refused() {
    let o = Office::example();
    let base = o.head();
    let (_, err) = o.expect(0, &["intake", "--file", &data("duplicate.yaml")]);
    assert!(err.contains("possible duplicate of CLM-"), "{err}");
    assert_eq!(commits_since(&o, &base), 1);
    o.assert_sound();
}

#[test]
fn quiet_keeps_the_claims_made_and_drops_the_warnings() {
    let o = Office::example();
    let base = o.head();
    let args = ["--dry-run", "intake", "--file", &data("duplicate.yaml")];
    let (out, err) = o.expect(0, &args);
    assert!(err.contains("possible duplicate of CLM-"), "{err}");
    assert!(out.contains("--- diff"), "{out}");
    let (quiet_out, quiet_err) = o.expect(0, &[&["--quiet"][..], &args].concat());
    assert!(!quiet_err.contains("warning"), "{quiet_err}");
    // The data stays: the claim that would be made, with its count of warnings.
    let row = quiet_out.lines().last().unwrap_or_default();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert!(cells[0].starts_with("CLM-"), "{quiet_out}");
    assert_eq!(
        cells[1..],
        ["personal_auto", "reported", "PAU-IL-2026-20931", "0", "1"]
    );
    assert_eq!(o.head(), base);
}

#[test]
fn queue_shows_incomplete_intakes_and_complete_moves_them_to_reported() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.status == Status::Incomplete && !c.missing.is_empty());
    let (out, _) = o.expect(0, &["queue"]);
    assert!(out.contains(&claim.id), "{out}");
    for m in &claim.missing {
        assert!(out.contains(m.as_str()), "{m} not shown:\n{out}");
    }
    let (json, _) = o.expect(0, &["queue", "incomplete", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == claim.id.as_str()));
    o.expect(2, &["queue", "nonsense"]);

    // A reported claim cannot be "completed".
    let (_, reported) = o.claim_where(|c| c.status == Status::Reported);
    let (_, err) = o.expect(1, &["complete", &reported.id, "--set", "loss.time=10:00"]);
    assert!(err.contains("not incomplete"), "{err}");
    if claim.missing.iter().any(|m| m == "loss.time") {
        let (_, err) = o.expect(1, &["complete", &claim.id, "--set", "loss.time=noonish"]);
        assert!(err.contains("HH:MM"), "{err}");
    }

    // Fill the facts one at a time: still incomplete, then reported.
    let values = |m: &str| -> String {
        match m {
            "loss.time" => "07:45".into(),
            m if m.ends_with(".vin") => "4T1BB3EK5AU118081".into(),
            m if m.ends_with(".year") => "2010".into(),
            _ => "given on the call".into(),
        }
    };
    let mut missing = claim.missing.clone();
    let base = o.head();
    while let Some(m) = missing.pop() {
        let set = format!("{m}={}", values(&m));
        o.expect(0, &["complete", &claim.id, "--set", &set]);
        let now: claims::domain::claim::Claim = serde_yaml::from_str(&o.read(&rel)).unwrap();
        if missing.is_empty() {
            assert_eq!(now.status, Status::Reported);
            assert!(now.missing.is_empty());
            assert_eq!(now.history.last().unwrap().event, "completed");
        } else {
            assert_eq!(now.status, Status::Incomplete);
            assert_eq!(now.missing, missing);
        }
    }
    assert_eq!(commits_since(&o, &base), claim.missing.len());
    let (out, _) = o.expect(0, &["queue"]);
    assert!(!out.contains(&claim.id), "{out}");
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn dry_run_writes_nothing_on_every_form() {
    let o = Office::example();
    let base = o.head();
    let (out, _) = o.expect(
        0,
        &[
            "--dry-run",
            "intake",
            "--file",
            &data("web-auto.json"),
            "--attach",
            &data("photo-front.jpg"),
        ],
    );
    assert!(out.contains("dry run: nothing was written"), "{out}");
    assert!(out.contains("Command: intake"), "{out}");
    o.expect(
        0,
        &["--dry-run", "intake", "--csv", &data("batch-good.csv")],
    );
    assert_eq!(o.head(), base);
    o.assert_sound();
}

#[test]
fn json_output_lists_created_ids_warnings_and_errors() {
    let o = Office::example();
    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "json",
            "intake",
            "--csv",
            &data("batch-good.csv"),
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["created"].as_array().unwrap().len(), 4);
    assert!(v["warnings"].is_array());
    assert!(v["errors"].as_array().unwrap().is_empty());

    let (out, _) = o.expect(
        1,
        &["--format", "json", "intake", "--csv", &data("batch.csv")],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["created"].as_array().unwrap().is_empty());
    let errors = v["errors"].as_array().unwrap();
    assert!(errors
        .iter()
        .any(|e| e["row"] == 6 && e["column"] == "vehicle1_vin"));
    // The batch's auto row duplicates the one just committed (same policy, loss date).
    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "json",
            "--dry-run",
            "intake",
            "--file",
            &data("duplicate.yaml"),
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["dry_run"], true);
    assert!(!v["warnings"].as_array().unwrap().is_empty(), "{out}");
    o.assert_sound();
}

/// The phone script with answers piped on stdin, as a CSR's script or a test harness feeds
/// it: an auto claim with an injured person becomes one signed commit.
#[test]
fn phone_script_with_piped_answers_creates_an_auto_claim_with_an_injury() {
    let o = crate::common::Office::example();
    let csr = o.person("csr");
    let answers = [
        "Ann Smith",
        "(312) 555-0134",
        "insured",
        "PAU-IL-2026-20931",
        "il",
        "11/10/2026",
        "5:30 pm",
        "N Clark St & W Division St, Chicago, IL",
        "Rear-ended at a red light",
        "CPD-26-118877",
        "1",
        "2010",
        "Toyota",
        "Camry",
        "4T1BB3EK5AU118081",
        "Rear bumper and trunk crushed",
        "n",
        "n",
        "y",
        "1",
        "Bob Jones",
        "bob@example.com",
        "Acme Mutual",
        "AM-555",
        "2015 Honda Civic",
        "y",
        "1",
        "Ann Smith",
        "312-555-0134",
        "Whiplash, neck pain",
        "n",
        "n",
        "yes",
        "1",
        "Carl Diaz",
        "773 555 0199",
        "",
        "y",
    ];
    let call = || {
        o.piped(
            &[
                "--as",
                &csr,
                "--format",
                "json",
                "intake",
                "--interactive",
                "--lob",
                "personal_auto",
            ],
            (answers.join("\n") + "\n").as_bytes(),
        )
    };
    let out = call();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = report["created"][0].as_str().unwrap().to_string();
    let (_, claim) = o.claim_where(|c| c.id == id);
    assert_eq!(claim.channel, claims::domain::claim::Channel::Phone);
    assert_eq!(claim.status, claims::domain::lifecycle::Status::Reported);
    let auto = claim.auto.as_ref().unwrap();
    assert_eq!(auto.injured.len(), 1);
    assert_eq!(
        auto.injured[0].description.as_deref(),
        Some("Whiplash, neck pain")
    );
    assert_eq!(auto.vehicles[0].vin.as_deref(), Some("4T1BB3EK5AU118081"));
    assert!(stderr.contains("Save this claim?"), "{stderr}");
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Channel: phone"), "{trailers}");
    assert!(trailers.contains("Source: phone script\n"), "{trailers}");
    assert_eq!(claim.source.as_ref().unwrap().file, None);

    // The same answers piped again are the same call: already taken in, nothing written.
    let head = o.head();
    let again = call();
    assert!(again.status.success());
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["created"], serde_json::json!([]));
    assert_eq!(report["already_imported"][0]["claim"], id.as_str());
    assert_eq!(
        report["already_imported"][0]["message"],
        format!("phone script: already imported as {id}")
    );
    assert_eq!(o.head(), head);
    o.assert_sound();
}

/// An invalid piped answer fails loudly, naming the question; nothing is written.
#[test]
fn phone_script_refuses_an_invalid_piped_answer() {
    let o = crate::common::Office::example();
    let head = o.head();
    let out = o.piped(
        &["intake", "--interactive", "--lob", "personal_auto"],
        b"Ann Smith\n(312) 555-0134\ninsured\nPAU-IL-2026-20931\nIL\n2026-13-45\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2026-13-45") && stderr.contains("Date"),
        "{stderr}"
    );
    assert_eq!(o.head(), head);
}

/// Emails of three shapes (plain text; HTML-only quoted-printable; multipart with a PDF and an
/// RFC 2047 subject) become incomplete claims that keep the original message and attachments.
#[test]
fn emails_become_incomplete_claims_with_the_original_message_kept() {
    let o = crate::common::Office::example();
    let csr = o.person("csr");
    let dir = o.root.parent().unwrap().join("inbox");
    std::fs::create_dir_all(&dir).unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/email");
    for f in [
        "auto-plain.eml",
        "property-html-qp.eml",
        "auto-mixed-pdf.eml",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let (out, _) = o.expect(
        0,
        &[
            "--as",
            &csr,
            "--format",
            "json",
            "intake",
            "--email",
            dir.to_str().unwrap(),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let created: Vec<String> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(created.len(), 3, "{out}");
    for id in &created {
        let (rel, c) = o.claim_where(|c| &c.id == id);
        assert_eq!(c.status, claims::domain::lifecycle::Status::Incomplete);
        assert_eq!(c.channel, claims::domain::claim::Channel::Email);
        let folder = rel.trim_end_matches(".yaml");
        assert!(
            o.root
                .join(folder)
                .join("attachments/original.eml")
                .is_file(),
            "{id} keeps the original message"
        );
    }
    // The multipart message's PDF is kept byte for byte.
    let pdf = std::fs::read(src.join("police-report.pdf")).unwrap();
    let with_pdf = created
        .iter()
        .map(|id| o.claim_where(|c| &c.id == id))
        .find(|(_, c)| {
            c.attachments
                .iter()
                .any(|a| a.file.ends_with("police-report.pdf"))
        })
        .expect("the PDF attachment is listed");
    assert_eq!(
        std::fs::read(
            o.root
                .join(with_pdf.0.trim_end_matches(".yaml"))
                .join("attachments/police-report.pdf")
        )
        .unwrap(),
        pdf
    );
    // They wait in the completion queue.
    let (queue, _) = o.expect(0, &["queue", "--format", "csv"]);
    for id in &created {
        assert!(queue.contains(id.as_str()), "{queue}");
    }
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// Python's csv module and Excel write CRLF line endings (and Excel's "CSV UTF-8" a
/// byte-order mark before the header): the rows the errors name are still the file's rows.
#[test]
fn a_crlf_batch_written_by_pythons_csv_module_names_the_rows_of_the_file() {
    let o = Office::example();
    let base = o.head();
    let (out, err) = o.expect(
        1,
        &[
            "--format",
            "json",
            "intake",
            "--csv",
            &data("batch-crlf.csv"),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut named: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    named.sort();
    named.dedup();
    assert_eq!(
        named,
        [
            (4, "loss_date".to_string()),
            (5, "vehicle1_vin".to_string())
        ],
        "{out}\n{err}"
    );
    assert_eq!(o.head(), base);

    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "json",
            "intake",
            "--csv",
            &data("batch-crlf.csv"),
            "--skip-invalid",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["created"].as_array().unwrap().len(), 2, "{out}");
    assert_eq!(commits_since(&o, &base), 2);
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// `--skip-invalid` commits what is valid; when nothing is, the batch failed: exit 1 with
/// the reason, nothing written.
#[test]
fn skip_invalid_that_skips_every_row_creates_nothing_and_exits_1() {
    let o = Office::example();
    let base = o.head();
    let path = o.root.join("../all-bad.csv");
    std::fs::write(
        &path,
        "lob,policy_number,loss_date\n\
         property,HO-TX-2026-60254,11/02/2026\n\
         personal_auto,PAU-IL-2026-20931,2026-11-01\n",
    )
    .unwrap();
    let (_, err) = o.expect(
        1,
        &["intake", "--csv", path.to_str().unwrap(), "--skip-invalid"],
    );
    assert!(err.contains("row 2, column loss_date"), "{err}");
    assert!(
        err.contains("every notice was invalid (2 skipped); nothing was written"),
        "{err}"
    );
    assert!(!err.contains("created 0"), "{err}");
    assert_eq!(o.head(), base);
    o.assert_sound();
}
