use crate::common::Office;
use claims::domain::lifecycle::Status;

const HEADER: &str = "claim,lob,jurisdiction,priority,adjuster,clock,rule,start,due,alert,done,status,business_days_left";

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>().join(","), HEADER);
    r.records().map(|x| x.unwrap()).collect()
}

/// The report rows of one claim (CSV, `--all`, as of a date).
fn clocks_of(o: &Office, id: &str, as_of: &str) -> Vec<csv::StringRecord> {
    let (out, _) = o.expect(
        0,
        &["sla-report", "--all", "--as-of", as_of, "--format", "csv"],
    );
    csv_rows(&out).into_iter().filter(|r| &r[0] == id).collect()
}

#[test]
fn sla_report_with_as_of_is_reproducible() {
    let o = Office::example();
    for format in ["table", "csv", "json"] {
        let args = ["sla-report", "--as-of", "2026-11-20", "--format", format];
        let (a, _) = o.expect(0, &args);
        let (b, _) = o.expect(0, &args);
        assert_eq!(a, b, "{format} output differs between runs");
        assert!(!a.is_empty());
    }
    // A different clock (CLAIMS_NOW) does not change an --as-of report.
    let args = ["sla-report", "--as-of", "2026-11-20", "--all"];
    let (a, _) = o.expect(0, &args);
    let later = o
        .cmd(&args)
        .env("CLAIMS_NOW", "2027-03-01T09:00:00-06:00")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&later.stdout), a);
    // The table ends with the summary by status and adjuster.
    assert!(a.contains("clocks as of 2026-11-20:"), "{a}");
    assert!(a.contains("adjuster") && a.contains("(unassigned)"), "{a}");
}

#[test]
fn sla_report_csv_is_a_header_and_rows_only() {
    let o = Office::example();
    let (out, _) = o.expect(
        0,
        &[
            "sla-report",
            "--as-of",
            "2026-11-20",
            "--all",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.lines().next(), Some(HEADER));
    let rows = csv_rows(&out);
    assert!(rows.len() > 10, "{out}");
    // Nothing but the header and the rows: one line each (no summary, no blank lines).
    assert_eq!(out.lines().count(), rows.len() + 1, "{out}");
    for r in &rows {
        assert_eq!(r.len(), 13);
        for i in [7, 8, 9, 10] {
            if !r[i].is_empty() {
                chrono::NaiveDate::parse_from_str(&r[i], "%Y-%m-%d")
                    .unwrap_or_else(|_| panic!("not an ISO date: {:?}", &r[i]));
            }
        }
        assert!(
            ["open", "at_risk", "breached", "met"].contains(&&r[11]),
            "{r:?}"
        );
        r[12].parse::<i64>().unwrap();
    }
    // The state rules cite their sources.
    assert!(rows.iter().any(|r| r[6].starts_with("Tex. Ins. Code")));
    // Default view: running clocks of open claims only.
    let (out, _) = o.expect(
        0,
        &["sla-report", "--as-of", "2026-11-20", "--format", "csv"],
    );
    for r in csv_rows(&out) {
        assert!(
            r[10].is_empty(),
            "a stopped clock in the default view: {r:?}"
        );
        assert_ne!(&r[11], "met");
    }
}

#[test]
fn fail_on_breach_and_alert_exit_codes() {
    let o = Office::example();
    // On 2026-11-20 the sample office has breached clocks (e.g. the CA workers' comp claim's
    // coverage decision, due 2026-10-21).
    let (_, err) = o.expect(
        1,
        &["sla-report", "--as-of", "2026-11-20", "--fail-on", "breach"],
    );
    assert!(err.contains("breached"), "{err}");
    o.expect(
        1,
        &[
            "sla-report",
            "--as-of",
            "2026-11-20",
            "--fail-on",
            "breach",
            "--format",
            "csv",
        ],
    );
    // On 2026-09-01 nothing running was overdue yet, nor at its alert date.
    o.expect(
        0,
        &["sla-report", "--as-of", "2026-09-01", "--fail-on", "breach"],
    );
    o.expect(
        0,
        &["sla-report", "--as-of", "2026-09-01", "--fail-on", "alert"],
    );
    // Without --fail-on, breaches are reported but the exit code is 0.
    o.expect(0, &["sla-report", "--as-of", "2026-11-20"]);
}

#[test]
fn acknowledge_stops_the_acknowledgment_clock_in_one_signed_commit() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.sla.acknowledged_at.is_none() && c.status.is_open());
    let before = o.head();
    let rows = clocks_of(&o, &claim.id, "2026-11-21");
    let ack = rows.iter().find(|r| &r[5] == "acknowledgment").unwrap();
    assert_eq!(&ack[11], "open", "{ack:?}");
    // The sample claim arrived after the suite's fixed clock: act the next morning.
    let out = o
        .cmd(&[
            "acknowledge",
            &claim.id,
            "--how",
            "Phone call to the insured; email follow-up",
        ])
        .env("CLAIMS_NOW", "2026-11-21T09:00:00-06:00")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        o.git_ok(&["rev-list", &format!("{before}..HEAD")])
            .lines()
            .count(),
        1
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Command: acknowledge"), "{trailers}");
    assert!(trailers.contains("Clock: acknowledgment"), "{trailers}");
    let text = o.read(&rel);
    assert!(
        text.contains("acknowledged_at: 2026-11-21T09:00:00-06:00"),
        "{text}"
    );
    assert!(text.contains("Phone call to the insured"), "{text}");
    let rows = clocks_of(&o, &claim.id, "2026-11-21");
    let ack = rows.iter().find(|r| &r[5] == "acknowledgment").unwrap();
    assert_eq!(&ack[11], "met", "{ack:?}");
    assert_eq!(&ack[10], "2026-11-21");
    // A second acknowledgment is refused and writes nothing.
    let head = o.head();
    let again = o
        .cmd(&["acknowledge", &claim.id, "--how", "again"])
        .env("CLAIMS_NOW", "2026-11-21T10:00:00-06:00")
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(o.head(), head);
    o.assert_sound();
}

#[test]
fn inquiry_and_answer_round_trip() {
    let o = Office::example();
    let (rel, claim) = o.claim_where(|c| c.status == Status::Investigating);
    let n = claim.sla.inquiries.len() + 1;
    let clock = format!("inquiry#{n}");
    // --dry-run writes nothing.
    let head = o.head();
    o.expect(
        0,
        &[
            "--dry-run",
            "inquiry",
            &claim.id,
            "--from",
            "Dana Ruiz (insured)",
            "--subject",
            "When will the adjuster call?",
        ],
    );
    assert_eq!(o.head(), head);
    o.expect(
        0,
        &[
            "inquiry",
            &claim.id,
            "--from",
            "Dana Ruiz (insured)",
            "--subject",
            "When will the adjuster call?",
            "--at",
            "2026-11-19 09:30",
        ],
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains(&format!("Clock: {clock}")), "{trailers}");
    let rows = clocks_of(&o, &claim.id, "2026-11-20");
    let q = rows.iter().find(|r| r[5] == *clock).expect("inquiry clock");
    // Received Thu Nov 19: 10 business days = Fri 20, Mon 23, Tue 24, Wed 25, (Thu 26
    // Thanksgiving), Fri 27, Mon 30, Tue Dec 1, Wed 2, Thu 3, Fri 4 → 2026-12-04 (office
    // default), or 15 calendar days (CA) → 2026-12-04 as well.
    assert_eq!((&q[7], &q[8], &q[11]), ("2026-11-19", "2026-12-04", "open"));
    // Answer the oldest open one (ours, if the claim had none open).
    o.expect(0, &["answer", &claim.id, "--inquiry", &n.to_string()]);
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Command: answer"), "{trailers}");
    let rows = clocks_of(&o, &claim.id, "2026-11-20");
    let q = rows.iter().find(|r| r[5] == *clock).unwrap();
    assert_eq!((&q[10], &q[11]), ("2026-11-20", "met"));
    assert!(o.read(&rel).contains("When will the adjuster call?"));
    // Answering it again, or one that does not exist, is refused.
    o.expect(1, &["inquiry", &claim.id, "--answer", &n.to_string()]);
    o.expect(1, &["answer", &claim.id, "--inquiry", "99"]);
    // An inquiry dated in the future is refused.
    o.expect(
        1,
        &[
            "inquiry",
            &claim.id,
            "--from",
            "X",
            "--subject",
            "Y",
            "--at",
            "2027-01-05",
        ],
    );
    o.assert_sound();
}

#[test]
fn proof_of_loss_starts_the_payment_clock() {
    let o = Office::example();
    let (_, claim) = o.claim_where(|c| {
        c.status.is_open() && c.sla.proof_of_loss_at.is_none() && c.jurisdiction == "IL"
    });
    o.expect(
        0,
        &[
            "proof-of-loss",
            &claim.id,
            "--at",
            "2026-11-20T08:00:00-06:00",
        ],
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Clock: payment"), "{trailers}");
    let rows = clocks_of(&o, &claim.id, "2026-11-20");
    let p = rows.iter().find(|r| &r[5] == "payment").unwrap();
    // Office default, 15 business days from Fri Nov 20: 23, 24, 25, 27, 30, Dec 1, 2, 3, 4,
    // 7, 8, 9, 10, 11, 14 → 2026-12-14.
    assert_eq!((&p[7], &p[8], &p[11]), ("2026-11-20", "2026-12-14", "open"));
    o.expect(1, &["proof-of-loss", &claim.id]);
    o.assert_sound();
}

#[test]
fn csv_into_a_closed_pipe_is_not_an_error() {
    let o = Office::example();
    let bin = env!("CARGO_BIN_EXE_claims");
    let status = std::process::Command::new("bash")
        .current_dir(&o.root)
        .env("HOME", &o.home)
        .env("CLAIMS_NOW", crate::common::NOW)
        .env_remove("CLAIMS_REPO")
        .args([
            "-o",
            "pipefail",
            "-c",
            &format!("'{bin}' sla-report --all --format csv | head -1"),
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&status.stdout).trim(), HEADER);
}

#[test]
fn an_unreadable_claim_file_is_reported_and_fails_the_gate() {
    let o = Office::example();
    let (rel, _) = o.claim_where(|c| c.status.is_open());
    std::fs::write(o.root.join(&rel), "id: [broken\n").unwrap();
    let (out, err) = o.expect(
        0,
        &["sla-report", "--as-of", "2026-09-01", "--format", "csv"],
    );
    assert!(
        err.contains(&rel) && err.contains("does not parse"),
        "{err}"
    );
    assert!(!out.contains("warning"), "{out}");
    o.expect(
        1,
        &["sla-report", "--as-of", "2026-09-01", "--fail-on", "breach"],
    );
}
