//! Quality control of claim files: reproducible samples, reviews as signed commits, and the
//! error rate with its Wilson interval.

use crate::common::people::{COMPLIANCE, CSR, SUPERVISOR};
use crate::common::Office;
use claims::domain::claim::QcResult;

const GLASS: &str = "CLM-2611-YFNF-X1DT"; // triaged personal auto (TX)
const SLIP: &str = "CLM-2610-8XQQ-T1SD"; // investigating GL (NY), amartinez's

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The ids of `claims sample ARGS --format json`, and the report.
fn sample(o: &Office, args: &[&str]) -> (Vec<String>, serde_json::Value) {
    let mut full = vec!["--format", "json", "sample"];
    full.extend_from_slice(args);
    let (out, _) = o.expect(0, &full);
    let report = json(&out);
    let ids = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    (ids, report)
}

#[test]
fn the_same_seed_and_filters_draw_the_same_sample_anywhere() {
    let o = Office::example();
    let (first, report) = sample(&o, &["--size", "5", "--seed", "20261120"]);
    assert_eq!(first.len(), 5);
    assert_eq!(report["population"], 16);
    assert_eq!(report["seed"], 20261120);
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(sorted, first, "the sample is listed by id");
    let (again, _) = sample(&o, &["--size", "5", "--seed", "20261120"]);
    assert_eq!(again, first);

    // A fresh clone of the office draws the very same claims.
    let clone = o.scratch().join("clone");
    o.git_ok(&[
        "clone",
        "-q",
        o.root.to_str().unwrap(),
        clone.to_str().unwrap(),
    ]);
    let (there, _) = sample(&o.at(clone), &["--size", "5", "--seed", "20261120"]);
    assert_eq!(there, first);

    // Another seed, another sample.
    let (other, _) = sample(&o, &["--size", "5", "--seed", "7"]);
    assert_ne!(other, first);

    // The redraw command the report gives draws it again.
    let redraw = report["redraw"].as_str().unwrap();
    assert_eq!(redraw, "claims sample --seed 20261120 --size 5");
    let words: Vec<&str> = redraw.split(' ').skip(1).collect();
    let (out, _) = o.expect(0, &words);
    for id in &first {
        assert!(out.contains(id.as_str()), "{out}");
    }
}

#[test]
fn filters_choose_the_population_and_the_table_says_how_to_redraw() {
    let o = Office::example();
    let (ids, report) = sample(
        &o,
        &["--percent", "50", "--seed", "3", "--lob", "personal_auto"],
    );
    let population = report["population"].as_u64().unwrap();
    let (list, _) = o.expect(0, &["--format", "csv", "list", "--lob", "personal_auto"]);
    assert_eq!(population as usize, list.lines().count() - 1);
    // 50% rounds up.
    assert_eq!(ids.len() as u64, population.div_ceil(2));
    for c in report["claims"].as_array().unwrap() {
        assert_eq!(c["lob"], "personal_auto");
    }
    assert_eq!(report["spec"], "seed=3 percent=50 lob=personal_auto");

    // Closed in a window: only claims closed (or denied) then.
    let (closed, _) = sample(
        &o,
        &[
            "--size",
            "10",
            "--seed",
            "1",
            "--closed-from",
            "2026-09-01",
            "--closed-to",
            "2026-12-31",
        ],
    );
    assert!(!closed.is_empty());
    for id in &closed {
        let c = o.claim_where(|c| &c.id == id).1;
        assert!(matches!(c.status.as_str(), "closed" | "denied"), "{id}");
    }

    // More than there are: every one of them; the table's footer on stderr.
    let (out, err) = o.expect(
        0,
        &["sample", "--size", "100", "--seed", "9", "--state", "tx"],
    );
    let tx = o
        .claims()
        .iter()
        .filter(|(_, c)| c.jurisdiction == "TX")
        .count();
    assert_eq!(out.lines().count(), tx + 2, "{out}");
    assert!(err.contains(&format!(
        "sampled {tx} of {tx} claims (seed 9; filters: state=tx)"
    )));
    assert!(err.contains("draw it again: claims sample --seed 9 --size 100 --state tx"));

    // Without a seed one is chosen and said.
    let (_, err) = o.expect(0, &["sample", "--size", "2"]);
    assert!(err.contains("chosen from the clock"), "{err}");
    o.expect(2, &["sample", "--seed", "1"]);
    o.expect(2, &["sample", "--size", "0"]);
    o.expect(2, &["sample", "--percent", "120"]);
}

#[test]
fn a_review_is_a_signed_commit_the_audit_replays() {
    let o = Office::example();
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "review",
            SLIP,
            "--fail",
            "QC-LATE-CONTACT",
            "--fail",
            "QC-RESERVE-STALE",
            "--note",
            "First contact on day 3; reserve not revisited after the demand",
            "--sample",
            "seed=42 size=5",
        ],
    );
    o.expect(0, &["--as", COMPLIANCE, "review", GLASS, "--pass"]);
    o.git_ok(&["verify-commit", "HEAD"]);
    o.git_ok(&["verify-commit", "HEAD~1"]);
    let trailers = o.git_ok(&["log", "-1", "--skip=1", "--format=%(trailers)"]);
    for t in [
        "Command: review",
        "Review: fail",
        "Fail-Code: QC-LATE-CONTACT",
        "Fail-Code: QC-RESERVE-STALE",
        "Sample: seed=42 size=5",
        "Actor: lpark@harborpoint.example",
    ] {
        assert!(trailers.contains(t), "{t}: {trailers}");
    }
    let c = o.claim_where(|c| c.id == SLIP).1;
    let r = c.reviews.last().unwrap();
    assert_eq!(r.result, QcResult::Fail);
    assert_eq!(r.codes, ["QC-LATE-CONTACT", "QC-RESERVE-STALE"]);
    assert_eq!(r.by, SUPERVISOR);
    assert_eq!(c.history.last().unwrap().event, "qc_review_fail");
    assert_eq!(c.history.last().unwrap().status, c.status);
    let glass = o.claim_where(|c| c.id == GLASS).1;
    assert_eq!(glass.reviews[0].result, QcResult::Pass);
    assert!(glass.reviews[0].codes.is_empty());

    // The summary of that sample: SLIP was drawn in it; a file reviewed under its spec that it
    // does not draw is named.
    let (ids, _) = sample(&o, &["--size", "5", "--seed", "42"]);
    assert!(ids.iter().any(|i| i == SLIP), "{ids:?}");
    let (_, err) = o.expect(0, &["review", "--summary", "--sample-seed", "42"]);
    assert!(!err.contains("warning"), "{err}");
    let outsider = o
        .claims()
        .into_iter()
        .map(|(_, c)| c.id)
        .find(|i| !ids.contains(i))
        .unwrap();
    o.expect(
        0,
        &[
            "--as",
            COMPLIANCE,
            "review",
            &outsider,
            "--pass",
            "--sample",
            "seed=42 size=5",
        ],
    );
    let (_, err) = o.expect(0, &["review", "--summary", "--sample-seed", "42"]);
    assert!(
        err.contains(&format!("warning: 1 reviewed file is not in the sample its review names, as `claims sample` draws it now (drawn in another sample, or the claims have changed since): {outsider}")),
        "{err}"
    );
    assert!(
        err.contains("2 files reviewed of the sample drawn with seed 42"),
        "{err}"
    );

    let (json_out, err) = o.expect(0, &["--format", "json", "audit", "--full"]);
    let report = json(&json_out);
    assert_eq!(report["errors"], 0, "{json_out}\n{err}");
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn nobody_reviews_a_file_they_handle_and_a_csr_reviews_none() {
    let o = Office::example();
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "assign",
            GLASS,
            "--to",
            SUPERVISOR,
            "--reason",
            "Supervisor keeps the file",
        ],
    );
    let head = o.head();
    let (_, err) = o.expect(1, &["--as", SUPERVISOR, "review", GLASS, "--pass"]);
    assert!(
        err.contains("lpark@harborpoint.example handles CLM-2611-YFNF-X1DT"),
        "{err}"
    );
    let (_, err) = o.expect(1, &["--as", CSR, "review", SLIP, "--pass"]);
    assert!(err.contains("lacks the `qc_review` permission"), "{err}");
    // Codes and notes are held to their rules.
    for (args, why) in [
        (&["--fail", "qc-late", "--note", "late"][..], "is not one"),
        (&["--fail", "QC-LATE"][..], "give --note"),
        (
            &["--fail", "QC-A", "--fail", "QC-A", "--note", "x"][..],
            "given twice",
        ),
        (&["--pass", "--sample", "size=3"][..], "names no seed"),
    ] {
        let mut full = vec!["--as", COMPLIANCE, "review", SLIP];
        full.extend_from_slice(args);
        let (_, err) = o.expect(1, &full);
        assert!(err.contains(why), "{args:?}: {err}");
    }
    o.expect(2, &["--as", COMPLIANCE, "review", SLIP]);
    o.expect(
        2,
        &[
            "--as", COMPLIANCE, "review", SLIP, "--pass", "--fail", "QC-A",
        ],
    );
    assert_eq!(o.head(), head, "nothing was committed");
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "");
}

/// `n` more personal auto claims, one CSV batch.
fn more_claims(o: &Office, n: usize) {
    let good = include_str!("../data/intake/batch-good.csv");
    let mut lines = good.lines();
    let header = lines.next().unwrap();
    let row = lines.next().unwrap();
    let mut csv = format!("{header}\n");
    for i in 0..n {
        csv.push_str(&row.replace(
            "Hit by a car running the light",
            &format!("Hit by a car running the light (report {i})"),
        ));
        csv.push('\n');
    }
    let path = o.scratch().join("more.csv");
    std::fs::write(&path, csv).unwrap();
    o.expect(0, &["intake", "--csv", path.to_str().unwrap()]);
}

#[test]
fn the_summary_gives_the_error_rate_and_its_wilson_interval() {
    let o = Office::example();
    more_claims(&o, 24);
    let (ids, report) = sample(&o, &["--size", "40", "--seed", "11"]);
    assert_eq!(report["population"], 40);
    assert_eq!(ids.len(), 40);
    let spec = report["spec"].as_str().unwrap().to_string();
    assert_eq!(spec, "seed=11 size=40");
    // 3 of the 40 fail (one on two codes); the rest pass.
    for (i, id) in ids.iter().enumerate() {
        let mut args = vec!["--as", COMPLIANCE, "review", id, "--sample", &spec];
        match i {
            0 => args.extend(["--fail", "QC-LATE-CONTACT", "--fail", "QC-NO-DIARY"]),
            1 | 2 => args.push("--fail=QC-LATE-CONTACT"),
            _ => args.push("--pass"),
        }
        if i < 3 {
            args.extend(["--note", "Found in QC"]);
        }
        o.expect(0, &args);
    }
    // A review outside the sample (another seed) is not counted with it.
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "review",
            &ids[5],
            "--fail",
            "QC-OTHER",
            "--note",
            "x",
            "--sample",
            "seed=12 size=1",
        ],
    );

    // By hand: p = 3/40 = 7.50%; z = 1.96: centre (0.075 + 1.96²/80) / (1 + 1.96²/40) =
    // 0.112241, half-width 0.086405: [2.58%, 19.86%] (checked with python3 as the roots of
    // (p̂ − p)² = z² p (1 − p) / n).
    let (out, err) = o.expect(
        0,
        &[
            "--format",
            "json",
            "review",
            "--summary",
            "--sample-seed",
            "11",
        ],
    );
    let t = &json(&out)[0];
    assert_eq!(t["reviewed"], 40);
    assert_eq!(t["passed"], 37);
    assert_eq!(t["failed"], 3);
    assert!((t["error_rate"].as_f64().unwrap() - 0.075).abs() < 1e-12);
    assert!(
        (t["ci95_low"].as_f64().unwrap() - 0.025836).abs() < 1e-6,
        "{t}"
    );
    assert!(
        (t["ci95_high"].as_f64().unwrap() - 0.198645).abs() < 1e-6,
        "{t}"
    );
    assert!(
        err.contains("40 files reviewed of the sample drawn with seed 11: 37 passed, 3 failed; error rate 7.50% (95% Wilson interval 2.58% to 19.86%)"),
        "{err}"
    );
    let (table, _) = o.expect(0, &["review", "--summary", "--sample-seed", "11"]);
    let last = table.lines().last().unwrap();
    let cells: Vec<&str> = last.split_whitespace().collect();
    assert_eq!(
        cells,
        ["40", "37", "3", "7.50%", "2.58%", "19.86%"],
        "{table}"
    );

    // By code: QC-LATE-CONTACT on 3 files, QC-NO-DIARY on 1.
    let (csv, _) = o.expect(
        0,
        &[
            "--format",
            "csv",
            "review",
            "--summary",
            "--sample-seed",
            "11",
            "--by-code",
        ],
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "code,failed,reviewed,rate,ci95_low,ci95_high");
    assert_eq!(lines[1], "QC-LATE-CONTACT,3,40,7.50%,2.58%,19.86%");
    assert!(lines[2].starts_with("QC-NO-DIARY,1,40,2.50%,"), "{csv}");
    assert_eq!(lines.len(), 3, "{csv}");

    // Every review, by date: each file once, by its latest review (ids[5] now fails).
    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "json",
            "review",
            "--summary",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-20",
        ],
    );
    let t = &json(&out)[0];
    assert_eq!(t["reviewed"], 40);
    assert_eq!(t["failed"], 4);
    let (out, err) = o.expect(
        0,
        &[
            "--format",
            "json",
            "review",
            "--summary",
            "--from",
            "2026-11-21",
        ],
    );
    assert_eq!(json(&out)[0]["reviewed"], 0);
    assert!(err.contains("no reviews recorded from 2026-11-21"), "{err}");
    o.expect(0, &["check"]);
}

#[test]
fn a_review_is_not_work_on_the_file_for_the_inactivity_view() {
    let o = Office::example();
    let later = "2026-12-05T10:00:00-06:00";
    let run = |args: &[&str]| {
        let out = o
            .cmd(args)
            .env("CLAIMS_NOW", later)
            .env("GIT_AUTHOR_DATE", later)
            .env("GIT_COMMITTER_DATE", later)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    run(&["--as", COMPLIANCE, "review", SLIP, "--pass"]);
    run(&["note", GLASS, "Called the insured"]);
    let (out, _) = o.expect(
        0,
        &[
            "--format",
            "csv",
            "diary",
            "--inactive",
            "10",
            "--as-of",
            "2026-12-10",
        ],
    );
    assert!(out.contains(SLIP), "reviewed, not worked on: {out}");
    assert!(!out.contains(GLASS), "a note is work on the file: {out}");
}

#[test]
fn a_review_written_by_hand_is_a_forgery_the_audit_reports() {
    let o = Office::example();
    let (path, mut c) = o.claim_where(|c| c.id == SLIP);
    c.reviews.push(claims::domain::claim::QcReview {
        at: "2026-11-20T10:00:00-06:00".parse().unwrap(),
        by: COMPLIANCE.into(),
        result: QcResult::Pass,
        codes: vec![],
        note: None,
        sample: None,
    });
    std::fs::write(
        o.root.join(&path),
        claims::domain::yaml::to_canonical_yaml(&c).unwrap(),
    )
    .unwrap();
    o.commit_as(COMPLIANCE, "Passed the file");
    crate::common::caught(&o, "A005", "hand edit of quality-control reviews");
}
