//! Status updates, the periodic status-letter clock, the agent's desk and diaries.

use crate::common::people::{CSR, MANAGER, SENIOR};
use crate::common::Office;
use claims::domain::claim::Claim;

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

/// Runs at a later office time (a status update is written on a day after the sample's).
fn at(o: &Office, now: &str, code: i32, args: &[&str]) -> (String, String) {
    let out = o.cmd(args).env("CLAIMS_NOW", now).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}\n{stdout}\n{stderr}"
    );
    (stdout, stderr)
}

fn csv(text: &str) -> Vec<std::collections::HashMap<String, String>> {
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

const TEXAS_TRUCK: &str = "CLM-2611-33T6-3CJ0";
const SLIP: &str = "CLM-2610-8XQQ-T1SD";
const COLD_STORAGE: &str = "CLM-2610-VA8H-T6J7";

#[test]
fn a_status_letter_to_the_insured_says_where_the_claim_stands() {
    let o = Office::example();
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "document",
            TEXAS_TRUCK,
            "Repair invoice",
            "--request",
            "--due",
            "2026-12-04",
        ],
    );
    let (out, _) = o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "--format",
            "csv",
            "status-update",
            TEXAS_TRUCK,
            "--to",
            "insured",
            "--note",
            "We expect the inspection report this week.",
        ],
    );
    let rows = csv(&out);
    assert_eq!(rows[0]["to"], "insured");
    assert_eq!(rows[0]["email"], "office@lonestarmech.example");
    let c = claim(&o, TEXAS_TRUCK);
    let letter = c.letters.last().unwrap();
    assert_eq!(
        (letter.template.as_str(), letter.to.as_str()),
        ("status_update", "insured")
    );
    let text = o.read(&format!("claims/2026/11/{TEXAS_TRUCK}/{}", letter.file));
    for needle in [
        "Re: Status of claim CLM-2611-33T6-3CJ0",
        "Status: assigned to an adjuster",
        "2026-11-19: claim received",
        "2026-11-20: assigned to an adjuster",
        "Next steps:",
        "Documents we still need:\n  - Repair invoice (by 2026-12-04)",
        "We expect the inspection report this week.",
        "Please contact Angela Martinez at (214) 555-0171 or amartinez@harborpoint.example",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}:\n{text}");
    }
    // The insured's company name is not printed twice, and the adjuster's own task list
    // (with the office's internal dates) stays off the letter.
    assert_eq!(
        text.matches("Lone Star Mechanical Services LLC\n").count(),
        2,
        "{text}"
    );
    assert!(!text.contains("Order the police report"), "{text}");
    // Recorded: the event, the clock's letter, the outbox message.
    let last = c.history.last().unwrap();
    assert_eq!(last.event, "status_update_insured");
    assert_eq!(c.sla.status_letters.len(), 1);
    let eml = o
        .root
        .join(format!("outbox/{TEXAS_TRUCK}-status_update.eml"));
    let msg = std::fs::read(&eml).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&msg).unwrap();
    assert_eq!(msg.subject(), Some("Status of claim CLM-2611-33T6-3CJ0"));
    assert_eq!(
        msg.reply_to().unwrap().first().unwrap().address(),
        Some("amartinez@harborpoint.example")
    );

    // The second letter tells only what happened since the first.
    at(
        &o,
        "2026-11-23T10:00:00-06:00",
        0,
        &[
            "--as",
            SENIOR,
            "document",
            TEXAS_TRUCK,
            "Repair invoice",
            "--received",
        ],
    );
    at(
        &o,
        "2026-11-24T10:00:00-06:00",
        0,
        &["--as", CSR, "status-update", TEXAS_TRUCK, "--to", "insured"],
    );
    let c = claim(&o, TEXAS_TRUCK);
    let second = o.read(&format!(
        "claims/2026/11/{TEXAS_TRUCK}/{}",
        c.letters.last().unwrap().file
    ));
    assert!(
        second.contains("Since our last update of 2026-11-20:\n")
            && second.contains("  - 2026-11-23: received: Repair invoice\n"),
        "{second}"
    );
    assert!(!second.contains("claim received"), "{second}");
    assert!(!second.contains("Documents we still need"), "{second}");
    o.expect(0, &["audit"]);
}

#[test]
fn a_represented_claimant_is_written_to_through_counsel_and_told_no_evidence() {
    let o = Office::example();
    let (out, _) = o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "--format",
            "csv",
            "status-update",
            SLIP,
            "--to",
            "claimant",
        ],
    );
    assert_eq!(csv(&out)[0]["email"], "jlevin@levinmarks.example");
    let c = claim(&o, SLIP);
    let text = o.read(&format!(
        "claims/2026/10/{SLIP}/{}",
        c.letters.last().unwrap().file
    ));
    assert!(text.contains("Dear Jonathan Levin:"), "{text}");
    assert!(
        !text.contains("CCTV"),
        "the defense's evidence went to the claimant's lawyer:\n{text}"
    );
    assert!(!text.contains("received:"), "{text}");
    // The claimant is who the written status is owed to on a liability claim.
    assert_eq!(c.sla.status_letters.len(), 1);
    // A courtesy copy to the agent does not count for the clock.
    o.expect(0, &["--as", SENIOR, "status-update", SLIP, "--to", "agent"]);
    assert_eq!(claim(&o, SLIP).sla.status_letters.len(), 1);
    // Refusals: nobody to write to, a merged claim.
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            CSR,
            "status-update",
            "CLM-2611-EYM4-VVH1",
            "--to",
            "agent",
        ],
    );
    assert!(err.contains("has no agent with a name on file"), "{err}");
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            CSR,
            "status-update",
            "CLM-2608-ZZEQ-KSGY",
            "--to",
            "insured",
        ],
    );
    assert!(err.contains("was merged into"), "{err}");
}

#[test]
fn status_update_due_writes_what_the_clock_asks_and_then_nothing() {
    let o = Office::example();
    let report = |as_of: &str| {
        let (out, _) = o.expect(
            0,
            &["sla-report", "--all", "--as-of", as_of, "--format", "csv"],
        );
        csv(&out)
            .into_iter()
            .filter(|r| r["clock"] == "status_letter")
            .map(|r| (r["claim"].clone(), r["status"].clone(), r["due"].clone()))
            .collect::<Vec<_>>()
    };
    let before = report("2026-11-20");
    let cold = before.iter().find(|r| r.0 == COLD_STORAGE).unwrap();
    // Received 2026-10-06 in Illinois: the office's 30 days, due 2026-11-05, past.
    assert_eq!(
        (cold.1.as_str(), cold.2.as_str()),
        ("breached", "2026-11-05")
    );
    let (out, err) = o.expect(
        0,
        &["--as", SENIOR, "--format", "csv", "status-update", "--due"],
    );
    let written: Vec<(String, String)> = csv(&out)
        .into_iter()
        .map(|r| (r["id"].clone(), r["to"].clone()))
        .collect();
    assert!(
        written.contains(&(COLD_STORAGE.to_string(), "insured".to_string())),
        "{written:?}"
    );
    assert!(
        written.contains(&(SLIP.to_string(), "claimant".to_string())),
        "{written:?}"
    );
    assert!(
        err.contains(&format!("wrote {} status letters", written.len())),
        "{err}"
    );
    // Every one of them is now open again, due 30 days after today's letter.
    let after = report("2026-11-20");
    for (id, _) in &written {
        let r = after.iter().find(|r| &r.0 == id).unwrap();
        assert_eq!((r.1.as_str(), r.2.as_str()), ("open", "2026-12-20"), "{id}");
    }
    let (out, _) = o.expect(
        0,
        &["--as", SENIOR, "--format", "csv", "status-update", "--due"],
    );
    assert_eq!(csv(&out).len(), 0, "{out}");
    o.expect(0, &["audit"]);
}

#[test]
fn the_agents_desk_lists_their_clients_claims() {
    let o = Office::example();
    let (out, _) = o.expect(0, &["list", "--agent", "carla", "--format", "csv"]);
    let listed = csv(&out);
    assert!(!listed.is_empty());
    assert!(
        listed.iter().all(|r| r["agent"] == "Carla Mendoza"),
        "{out}"
    );
    let (out, err) = o.expect(0, &["agent-report", "Carla Mendoza", "--format", "csv"]);
    let rows = csv(&out);
    let open: Vec<&String> = listed
        .iter()
        .filter(|r| !["closed", "denied", "merged"].contains(&r["status"].as_str()))
        .map(|r| &r["id"])
        .collect();
    assert_eq!(rows.len(), open.len(), "{out}");
    let truck = rows.iter().find(|r| r["claim"] == TEXAS_TRUCK).unwrap();
    assert_eq!(truck["status"], "assigned to an adjuster");
    assert_eq!(truck["adjuster"], "Angela Martinez");
    assert_eq!(truck["adjuster_phone"], "(214) 555-0171");
    assert_eq!(truck["next_step"], "The adjuster will be in touch shortly.");
    assert!(err.contains("of Carla Mendoza's clients"), "{err}");
    // After a status update the agent sees when the client was last written to.
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "status-update",
            TEXAS_TRUCK,
            "--to",
            "insured",
        ],
    );
    let (out, _) = o.expect(0, &["agent-report", "Carla", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let truck = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["claim"] == TEXAS_TRUCK)
        .unwrap();
    assert_eq!(truck["last_update"], "2026-11-20");
    let (_, err) = o.expect(1, &["agent-report", "nobody-like-this"]);
    assert!(err.contains("no claim has an agent matching"), "{err}");
}

#[test]
fn diaries_come_due_repeat_and_show_neglected_files() {
    let o = Office::example();
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "diary",
            "add",
            TEXAS_TRUCK,
            "--what",
            "Review the file",
            "--in",
            "14",
            "--every",
            "14",
        ],
    );
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "diary",
            "add",
            TEXAS_TRUCK,
            "--what",
            "Call the body shop",
            "--on",
            "2026-12-03",
        ],
    );
    let due = |as_of: &str| {
        let (out, _) = o.expect(0, &["diary", "--as-of", as_of, "--format", "csv"]);
        csv(&out)
            .into_iter()
            .map(|r| (r["entry"].clone(), r["what"].clone(), r["due"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(due("2026-12-02"), vec![]);
    assert_eq!(
        due("2026-12-04"),
        vec![
            (
                "1".to_string(),
                "Review the file".to_string(),
                "2026-12-04".to_string()
            ),
            (
                "2".to_string(),
                "Call the body shop".to_string(),
                "2026-12-03".to_string()
            )
        ]
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
    );
    // Done on the 4th: the review is set again 14 days on; the call stays due.
    at(
        &o,
        "2026-12-04T09:00:00-06:00",
        0,
        &[
            "--as",
            SENIOR,
            "diary",
            "done",
            TEXAS_TRUCK,
            "1",
            "--note",
            "Reviewed; waiting on the estimate",
        ],
    );
    assert_eq!(
        due("2026-12-18"),
        vec![
            (
                "2".to_string(),
                "Call the body shop".to_string(),
                "2026-12-03".to_string()
            ),
            (
                "3".to_string(),
                "Review the file".to_string(),
                "2026-12-18".to_string()
            ),
        ]
    );
    let later = "2026-12-04T10:00:00-06:00";
    let (_, err) = at(
        &o,
        later,
        1,
        &["--as", SENIOR, "diary", "done", TEXAS_TRUCK, "1"],
    );
    assert!(err.contains("was done already"), "{err}");
    let (_, err) = at(
        &o,
        later,
        1,
        &["--as", SENIOR, "diary", "done", TEXAS_TRUCK, "9"],
    );
    assert!(err.contains("has no diary entry 9"), "{err}");

    // Open claims with no open diary: every open one but the truck.
    let (out, _) = o.expect(0, &["diary", "--no-diary", "--format", "csv"]);
    let ids: Vec<String> = csv(&out).into_iter().map(|r| r["claim"].clone()).collect();
    assert!(!ids.contains(&TEXAS_TRUCK.to_string()), "{ids:?}");
    assert!(ids.contains(&COLD_STORAGE.to_string()), "{ids:?}");

    // No activity in 10 days, from the history: the truck was worked on today; the cold
    // storage claim's last commit is the sample's, and a note now takes it off the list.
    let inactive = |o: &Office| {
        let (out, _) = at(
            o,
            "2026-12-05T09:00:00-06:00",
            0,
            &["diary", "--inactive", "10", "--format", "csv"],
        );
        csv(&out)
    };
    let rows = inactive(&o);
    assert!(rows.iter().all(|r| r["claim"] != TEXAS_TRUCK), "{rows:?}");
    let cold = rows.iter().find(|r| r["claim"] == COLD_STORAGE).unwrap();
    let last = o.git_ok(&[
        "log",
        "-1",
        "--format=%cs",
        "--",
        &format!("claims/2026/10/{COLD_STORAGE}.yaml"),
    ]);
    assert_eq!(cold["last_activity"], last.trim());
    at(
        &o,
        "2026-12-05T08:00:00-06:00",
        0,
        &["--as", MANAGER, "note", COLD_STORAGE, "Called the insured"],
    );
    assert!(inactive(&o).iter().all(|r| r["claim"] != COLD_STORAGE));
    o.expect(0, &["audit"]);
}
