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

/// One clock's (start, due, alert, done, status) in the `--all` report as of a date.
fn clock(o: &Office, id: &str, name: &str, as_of: &str) -> Option<[String; 5]> {
    clocks_of(o, id, as_of)
        .into_iter()
        .find(|r| &r[5] == name)
        .map(|r| [7, 8, 9, 10, 11].map(|i| r[i].to_string()))
}

fn owned(v: [&str; 5]) -> Option<[String; 5]> {
    Some(v.map(str::to_string))
}

#[test]
fn accepting_coverage_in_texas_starts_the_five_business_day_payment_clock() {
    use crate::common::people::{MANAGER, SENIOR};
    let o = Office::example();
    let truck = "CLM-2611-33T6-3CJ0"; // TX commercial auto, assigned to Angela Martinez
    assert_eq!(clock(&o, truck, "payment", "2026-11-20"), None);
    o.expect(
        0,
        &["--as", SENIOR, "accept", truck, "--at", "2026-11-20 09:30"],
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Command: accept")
            && trailers.contains("Clock: coverage_decision")
            && trailers.contains("At: 2026-11-20T09:30:00-06:00"),
        "{trailers}"
    );
    let c = o.claim_where(|c| c.id == truck).1;
    assert_eq!(c.sla.coverage_accepted_at, c.sla.coverage_decided_at);
    // Tex. Ins. Code §542.057(a): 5 business days from acceptance; Thanksgiving (Nov 26) is
    // not one: 23, 24, 25, 27, 30 → Nov 30; the alert after 3, Nov 25.
    let rows = clocks_of(&o, truck, "2026-11-20");
    let p = rows.iter().find(|r| &r[5] == "payment").unwrap();
    assert_eq!(&p[6], "Tex. Ins. Code §542.057(a)");
    assert_eq!(
        clock(&o, truck, "payment", "2026-11-20"),
        owned(["2026-11-20", "2026-11-30", "2026-11-25", "", "open"])
    );
    assert_eq!(&p[12], "5");
    assert_eq!(
        clock(&o, truck, "payment", "2026-11-25").unwrap()[4],
        "at_risk"
    );
    assert_eq!(
        clock(&o, truck, "payment", "2026-12-01").unwrap()[4],
        "breached"
    );
    // Accepted once.
    let head = o.head();
    let (_, err) = o.expect(1, &["--as", SENIOR, "accept", truck]);
    assert!(
        err.contains("coverage was already accepted at 2026-11-20T09:30:00-06:00"),
        "{err}"
    );
    assert_eq!(o.head(), head);

    // Paid the same day: the clock is met.
    o.reserve(0, SENIOR, truck, "8000.00", "ER bill 2,850.00");
    o.expect(0, &["--as", MANAGER, "approve", truck]);
    o.expect(
        0,
        &[
            "--as",
            MANAGER,
            "pay",
            truck,
            "--amount",
            "2850.00",
            "--for",
            "medical",
            "--payee",
            "JPS Health Network",
            "--method",
            "check",
            "--reference",
            "CHK-3001",
        ],
    );
    assert_eq!(
        clock(&o, truck, "payment", "2026-11-20"),
        owned([
            "2026-11-20",
            "2026-11-30",
            "2026-11-25",
            "2026-11-20",
            "met"
        ])
    );
    o.assert_sound();
}

#[test]
fn accepting_coverage_in_california_stops_the_decision_clock_and_starts_payment() {
    use crate::common::people::SENIOR;
    let o = Office::example();
    let wc = "CLM-2609-EZDS-G36W"; // CA workers' comp, proof of claim 2026-09-11
    assert_eq!(
        clock(&o, wc, "coverage_decision", "2026-11-20"),
        owned(["2026-09-11", "2026-10-21", "2026-10-11", "", "breached"])
    );
    o.expect(
        0,
        &["--as", SENIOR, "accept", wc, "--at", "2026-11-18 15:00"],
    );
    // The decision, late, stops its clock; Cal. Code Regs. tit. 10, §2695.7(h): payment within
    // 30 calendar days of acceptance (alert after 20).
    assert_eq!(
        clock(&o, wc, "coverage_decision", "2026-11-20"),
        owned([
            "2026-09-11",
            "2026-10-21",
            "2026-10-11",
            "2026-11-18",
            "breached"
        ])
    );
    // Temporary disability paid since September does not stop it: the first payment after
    // acceptance does.
    assert_eq!(
        clock(&o, wc, "payment", "2026-11-20"),
        owned(["2026-11-18", "2026-12-18", "2026-12-08", "", "open"])
    );
    // The default view (running clocks only) now lists the payment clock, not the decision.
    let (out, _) = o.expect(
        0,
        &["sla-report", "--as-of", "2026-11-20", "--format", "csv"],
    );
    let running: Vec<String> = csv_rows(&out)
        .into_iter()
        .filter(|r| &r[0] == wc)
        .map(|r| r[5].to_string())
        .collect();
    assert_eq!(running, vec!["payment".to_string()], "{out}");
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "pay",
            wc,
            "--amount",
            "1286.66",
            "--for",
            "indemnity",
            "--payee",
            "Luis Ortega",
            "--method",
            "ach",
            "--reference",
            "ACH 2026112000077",
        ],
    );
    assert_eq!(
        clock(&o, wc, "payment", "2026-11-20"),
        owned([
            "2026-11-18",
            "2026-12-18",
            "2026-12-08",
            "2026-11-20",
            "met"
        ])
    );
    o.assert_sound();
}

#[test]
fn where_payment_runs_from_proof_of_loss_acceptance_stops_only_the_decision_clock() {
    use crate::common::people::{CSR, MANAGER};
    let o = Office::example();
    let fire = "CLM-2610-VA8H-T6J7"; // IL commercial property, coverage in question at triage
    let head = o.head();
    let (_, err) = o.expect(1, &["--as", CSR, "accept", fire]);
    assert!(err.contains("may not accept coverage"), "{err}");
    let (_, err) = o.expect(1, &["--as", MANAGER, "accept", fire]);
    assert!(
        err.contains(
            "coverage was in_question at triage: --note must say how the question was resolved"
        ),
        "{err}"
    );
    let (_, err) = o.expect(1, &["--as", MANAGER, "accept", "CLM-2611-FS2R-811K"]);
    assert!(
        err.contains("is reported: coverage is accepted on a claim an adjuster is handling"),
        "{err}"
    );
    assert_eq!(o.head(), head, "nothing written");

    o.expect(
        0,
        &[
            "--as",
            MANAGER,
            "accept",
            fire,
            "--note",
            "Fire marshal's report: electrical fault, no vacancy; the condition does not apply",
        ],
    );
    let c = o.claim_where(|c| c.id == fire).1;
    assert!(c
        .notes
        .last()
        .unwrap()
        .text
        .starts_with("Coverage accepted: Fire marshal's report"));
    // Office standard: the decision within 45 days of receipt (Oct 6 → Nov 20), met today.
    assert_eq!(
        clock(&o, fire, "coverage_decision", "2026-11-20"),
        owned([
            "2026-10-06",
            "2026-11-20",
            "2026-11-10",
            "2026-11-20",
            "met"
        ])
    );
    // The office standard counts payment from proof of loss, not from acceptance.
    assert_eq!(clock(&o, fire, "payment", "2026-11-20"), None);
    o.expect(0, &["proof-of-loss", fire]);
    assert_eq!(
        clock(&o, fire, "payment", "2026-11-20").unwrap()[0],
        "2026-11-20"
    );
    o.assert_sound();
}

#[test]
fn a_settlement_agreement_starts_the_new_york_payment_clock() {
    use crate::common::people::{COMMITTEE, SENIOR};
    let o = Office::example();
    let fall = "CLM-2610-8XQQ-T1SD"; // NY general liability, represented claimant
    assert_eq!(clock(&o, fall, "payment", "2026-11-20"), None);
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "negotiate",
            fall,
            "--kind",
            "agreed",
            "--party",
            "Jonathan Levin for Denise Carter",
            "--amount",
            "40000.00",
            "--on",
            "2026-11-19",
        ],
    );
    // 11 NYCRR 216.6(g): 5 business days from the agreement (Thanksgiving skipped): 20, 23,
    // 24, 25, 27 → Nov 27; the alert after 3, Nov 24.
    let rows = clocks_of(&o, fall, "2026-11-20");
    let p = rows.iter().find(|r| &r[5] == "payment").unwrap();
    assert_eq!(&p[6], "11 NYCRR 216.6(g) (Regulation 64)");
    assert_eq!(
        clock(&o, fall, "payment", "2026-11-20"),
        owned(["2026-11-19", "2026-11-27", "2026-11-24", "", "open"])
    );
    // A revised figure the next day does not restart the clock.
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "negotiate",
            fall,
            "--kind",
            "agreed",
            "--party",
            "Jonathan Levin for Denise Carter",
            "--amount",
            "41000.00",
        ],
    );
    assert_eq!(
        clock(&o, fall, "payment", "2026-11-20").unwrap()[0],
        "2026-11-19"
    );
    // A represented claimant's file is litigated: the committee approves and pays.
    o.expect(0, &["--as", COMMITTEE, "approve", fall]);
    o.expect(
        0,
        &[
            "--as",
            COMMITTEE,
            "pay",
            fall,
            "--amount",
            "41000.00",
            "--for",
            "bodily_injury",
            "--payee",
            "Denise Carter",
            "--co-payee",
            "Levin & Marks LLP",
            "--method",
            "check",
            "--reference",
            "CHK-4100",
        ],
    );
    assert_eq!(
        clock(&o, fall, "payment", "2026-11-20"),
        owned([
            "2026-11-19",
            "2026-11-27",
            "2026-11-24",
            "2026-11-20",
            "met"
        ])
    );
    o.assert_sound();
}
