//! Duplicates are the same loss, not the same policy and day: two accidents of one fleet on
//! one day stay two claims; the same truck reported twice merges, keeping the most serious
//! facts, and unmerges back; a report that cannot be told apart waits for a person.

use serde_json::json;

use crate::common::people::SUPERVISOR;
use crate::common::Office;
use claims::domain::claim::{Claim, CoverageOutcome, Priority};
use claims::domain::lifecycle::Status;

const FLEET: &str = "CAU-TX-2026-50017";
pub const F150: &str = "1FTFW1SJ8PL000001";
const F350: &str = "1FTBX3HN8PW000001";

/// A web report of a collision of one of the fleet's trucks on 2026-11-18.
pub fn truck(received: &str, vin: &str, place: &str, what: &str, fatal: bool) -> serde_json::Value {
    let mut injured = vec![];
    if fatal {
        injured.push(json!({ "name": "Ray Dunn", "contact": "(817) 555-0190",
                             "description": "killed at the scene" }));
    }
    json!({
        "lob": "commercial_auto",
        "policy_number": FLEET,
        "received_at": received,
        "reporter": { "name": "Dale Ortiz", "relationship": "fleet manager", "phone": "(817) 555-0104" },
        "loss": { "date": "2026-11-18", "time": "07:40", "location": place,
                  "description": what, "cause": "collision" },
        "auto": {
            "vehicles": [ { "year": 2023, "make": "Ford", "model": if vin == F150 { "F-150" } else { "F-350" },
                            "vin": vin, "damage": "front end" } ],
            "injured": injured,
            "fatality": fatal
        }
    })
}

fn report(o: &Office, payload: serde_json::Value) -> String {
    o.intake_payload(&payload)
}

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

fn triage(o: &Office, id: &str) {
    o.expect(0, &["--as", SUPERVISOR, "triage", id]);
}

#[test]
fn two_accidents_on_one_fleet_policy_the_same_day_stay_two_claims() {
    let o = Office::example();
    let a = report(
        &o,
        truck(
            "2026-11-19T08:00:00-06:00",
            F150,
            "I-35 at exit 240, Austin, TX",
            "Rear-ended a van",
            false,
        ),
    );
    let b = report(
        &o,
        truck(
            "2026-11-19T09:00:00-06:00",
            F350,
            "US-287 at FM 156, Haslet, TX",
            "Head-on collision, the other driver died",
            true,
        ),
    );
    triage(&o, &a);
    triage(&o, &b);
    let (a, b) = (claim(&o, &a), claim(&o, &b));
    assert_eq!(a.status, Status::Triaged);
    assert_eq!(
        b.status,
        Status::Triaged,
        "the fatal collision is its own claim"
    );
    assert_eq!(b.triage.as_ref().unwrap().priority, Priority::Critical);
    assert!(b.merged_into.is_none() && a.merged.is_empty());
    assert!(
        b.possible_duplicates.is_empty(),
        "{:?}",
        b.possible_duplicates
    );
    o.assert_sound();
}

#[test]
fn the_same_truck_reported_twice_merges_keeping_the_fatality_and_unmerges_back() {
    let o = Office::example();
    let a = report(
        &o,
        truck(
            "2026-11-19T08:00:00-06:00",
            F150,
            "I-35 at exit 240, Austin, TX",
            "Rear-ended a van",
            false,
        ),
    );
    let b = report(
        &o,
        truck(
            "2026-11-19T11:00:00-06:00",
            F150,
            "Exit 240, Austin",
            "Our F-150 hit a van on I-35; its passenger died",
            true,
        ),
    );
    triage(&o, &a);
    let before = claim(&o, &a);
    assert_eq!(before.triage.as_ref().unwrap().priority, Priority::Standard);

    // Triage finds the second report likely the same loss, and merges it.
    let (_, err) = o.expect(0, &["--as", SUPERVISOR, "triage", &b]);
    let (orig, dup) = (claim(&o, &a), claim(&o, &b));
    assert_eq!(dup.status, Status::Merged, "{err}");
    assert_eq!(dup.merged_into.as_deref(), Some(a.as_str()));
    let t = dup.triage.as_ref().unwrap();
    assert_eq!(t.coverage, CoverageOutcome::Duplicate);
    assert!(
        t.reasons[0].contains(&format!("same vehicle, VIN {F150}")),
        "{:?}",
        t.reasons
    );
    // The earlier claim keeps the most serious facts of both, and is re-scored.
    let auto = orig.auto.as_ref().unwrap();
    assert!(auto.fatality);
    assert_eq!(auto.injured.len(), 1);
    assert_eq!(orig.triage.as_ref().unwrap().priority, Priority::Critical);
    assert!(
        orig.notes
            .iter()
            .any(|n| n.text.contains("standard -> critical")),
        "{:?}",
        orig.notes
    );
    assert_eq!(orig.merged, vec![b.clone()]);
    // Reports show the notice as merged into its claim.
    let (list, _) = o.expect(0, &["--format", "csv", "list", "--status", "merged"]);
    assert!(list.contains(&b), "{list}");
    let (shown, _) = o.expect(0, &["show", &b]);
    let line = shown
        .lines()
        .find(|l| l.starts_with("merged into"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(line.ends_with(&a), "{line}");

    // A person finds it was another loss: the merge is undone exactly.
    o.expect(1, &["--as", SUPERVISOR, "unmerge", &b, "--note", " "]);
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "unmerge",
            &b,
            "--note",
            "Second report is a different van, on the 19th",
        ],
    );
    let (orig, dup) = (claim(&o, &a), claim(&o, &b));
    let auto = orig.auto.as_ref().unwrap();
    assert!(!auto.fatality && auto.injured.is_empty(), "{auto:?}");
    assert_eq!(orig.triage.as_ref().unwrap().priority, Priority::Standard);
    assert!(orig.merged.is_empty() && orig.gained.is_empty());
    assert_eq!(orig.loss, before.loss);
    assert_eq!(dup.status, Status::Reported);
    assert!(dup.merged_into.is_none() && dup.triage.is_none());

    // Triaged again, it stays its own claim, critical.
    triage(&o, &b);
    let dup = claim(&o, &b);
    assert_eq!(dup.status, Status::Triaged);
    assert_eq!(dup.triage.as_ref().unwrap().priority, Priority::Critical);
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn a_possible_duplicate_waits_in_the_queue_until_a_person_decides() {
    let o = Office::example();
    let a = report(
        &o,
        truck(
            "2026-11-19T08:00:00-06:00",
            F150,
            "I-35 at exit 240, Austin, TX",
            "Rear-ended a van",
            false,
        ),
    );
    let b = report(
        &o,
        truck(
            "2026-11-19T10:00:00-06:00",
            F150,
            "IH-35 northbound, Austin, TX",
            "Truck hit from behind",
            false,
        ),
    );
    let c = report(
        &o,
        truck(
            "2026-11-19T12:00:00-06:00",
            F150,
            "IH 35 frontage road, Austin, TX",
            "Van rear-ended by our truck",
            false,
        ),
    );
    for id in [&a, &b, &c] {
        triage(&o, id);
    }
    let dup = claim(&o, &b);
    assert_eq!(dup.status, Status::Triaged, "not merged without a person");
    assert_eq!(dup.possible_duplicates.len(), 1);
    assert_eq!(dup.possible_duplicates[0].of, a);

    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "duplicates"]);
    let line = queue
        .lines()
        .find(|l| l.starts_with(&b))
        .unwrap_or_else(|| panic!("{queue}"));
    assert!(
        line.contains(&format!("possible duplicate of {a}")),
        "{line}"
    );
    assert!(line.contains("places read differently"), "{line}");
    assert!(queue.contains(&c), "{queue}");

    // Kept apart by a person, with the reason; refused for a claim not in question.
    o.expect(
        1,
        &[
            "--as",
            SUPERVISOR,
            "keep-separate",
            &b,
            "--from",
            &c,
            "--note",
            "x",
        ],
    );
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "keep-separate",
            &b,
            "--from",
            &a,
            "--note",
            "Two stops: a rear-ending at 07:40, then a second one",
        ],
    );
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "duplicates"]);
    assert!(!queue.lines().any(|l| l.starts_with(&b)), "{queue}");

    // Merged by a person.
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "merge",
            &c,
            "--into",
            &a,
            "--note",
            "Same van, same stop",
        ],
    );
    let dup = claim(&o, &c);
    assert_eq!(dup.status, Status::Merged);
    assert_eq!(
        dup.possible_duplicates[0]
            .decision
            .as_ref()
            .unwrap()
            .outcome,
        "merged"
    );
    // The merged notice's own triage stays on its record.
    assert_eq!(
        dup.triage.as_ref().unwrap().coverage,
        CoverageOutcome::Confirmed
    );
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "duplicates"]);
    assert!(!queue.lines().any(|l| l.starts_with(&c)), "{queue}");

    // Nothing merges into a merged notice, nor into itself.
    let head = o.head();
    o.expect(1, &["--as", SUPERVISOR, "merge", &b, "--into", &c]);
    o.expect(1, &["--as", SUPERVISOR, "merge", &b, "--into", &b]);
    assert_eq!(o.head(), head);
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// A workers' compensation report of `employee` (name, id) hurt on `date`.
fn injury(received: &str, date: &str, name: &str, id: &str, fatal: bool) -> serde_json::Value {
    json!({
        "lob": "workers_comp",
        "policy_number": "WC-TX-2026-30118",
        "received_at": received,
        "reporter": { "name": "Pat Gomez", "relationship": "employer", "phone": "(214) 555-0110" },
        "loss": { "date": date, "time": "10:15", "location": "Warehouse 2, Dallas, TX",
                  "description": "Fell from a ladder", "cause": "fall" },
        "workers_comp": {
            "employee": { "name": name, "id": id, "job_title": "Warehouse associate" },
            "how_it_happened": "Ladder slipped", "body_parts": ["back"],
            "medical_treatment": false, "return_to_work_expected": !fatal, "fatality": fatal
        }
    })
}

#[test]
fn two_injured_workers_of_one_employer_stay_two_claims_and_one_worker_reported_twice_is_one() {
    let o = Office::example();
    let a = report(
        &o,
        injury(
            "2026-11-13T11:00:00-06:00",
            "2026-11-13",
            "Maria Lopez",
            "E-100",
            false,
        ),
    );
    let b = report(
        &o,
        injury(
            "2026-11-13T12:00:00-06:00",
            "2026-11-13",
            "Dan Carter",
            "E-200",
            true,
        ),
    );
    // The worker's own report, days later, dates the injury to when the pain began.
    let c = report(
        &o,
        injury(
            "2026-11-19T09:00:00-06:00",
            "2026-11-18",
            "Maria Lopez",
            "E-100",
            false,
        ),
    );
    for id in [&a, &b, &c] {
        triage(&o, id);
    }
    let b = claim(&o, &b);
    assert_eq!(b.status, Status::Triaged);
    assert!(b.possible_duplicates.is_empty());
    assert_eq!(claim(&o, &c).merged_into.as_deref(), Some(a.as_str()));
    o.assert_sound();
}
