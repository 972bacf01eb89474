use std::collections::HashMap;

use crate::common::Office;
use claims::domain::claim::{Claim, CoverageOutcome, Priority};
use claims::domain::lifecycle::Status;

/// One CSV row per situation triage must tell apart: its name and its cells by column (the
/// columns of tests/data/intake/batch-good.csv, and bodily_injury).
const ROWS: &[(&str, &[(&str, &str)])] = &[
    (
        "injured driver",
        &[
            ("lob", "personal_auto"),
            ("policy_number", "PAU-IL-2026-20931"),
            ("reporter_name", "Laura Novak"),
            ("reporter_phone", "(630) 555-0122"),
            ("loss_date", "2026-11-09"),
            ("loss_time", "08:15"),
            ("loss_location", "Route 59 and 75th St, Naperville, IL"),
            ("loss_description", "Hit by a car running the light"),
            ("loss_cause", "collision"),
            ("vehicle1_year", "2010"),
            ("vehicle1_make", "Toyota"),
            ("vehicle1_model", "Camry"),
            ("vehicle1_vin", "4T1BB3EK5AU118081"),
            ("vehicle1_damage", "front end"),
            ("injured1_name", "Laura Novak"),
            ("injured1_contact", "(630) 555-0122"),
            ("injured1_description", "neck pain"),
        ],
    ),
    (
        "same accident again",
        &[
            ("lob", "personal_auto"),
            ("policy_number", "PAU-IL-2026-20931"),
            ("reporter_name", "Dan Novak"),
            ("reporter_phone", "(630) 555-0123"),
            ("loss_date", "2026-11-09"),
            ("loss_time", "08:20"),
            ("loss_location", "Route 59, Naperville, IL"),
            ("loss_description", "Our Camry was hit at Route 59"),
            ("loss_cause", "collision"),
            ("vehicle1_year", "2010"),
            ("vehicle1_make", "Toyota"),
            ("vehicle1_model", "Camry"),
            ("vehicle1_vin", "4T1BB3EK5AU118081"),
            ("vehicle1_damage", "front end"),
            ("injured1_name", "Laura Novak"),
            ("injured1_contact", "(630) 555-0122"),
            ("injured1_description", "neck pain"),
        ],
    ),
    (
        "vacant house in the hail",
        &[
            ("lob", "property"),
            ("policy_number", "HO-TX-2026-60254"),
            ("loss_date", "2026-05-14"),
            (
                "loss_description",
                "Hail broke the windows of the vacant rental house",
            ),
            ("loss_cause", "hail"),
            ("discovered_on", "2026-05-14"),
            ("loss_type", "wind"),
            (
                "property_address",
                "11842 Coldwater Creek Lane, Frisco, TX 75035",
            ),
            ("damage_description", "Broken windows and torn screens"),
            ("emergency_repairs_needed", "N"),
            ("public_adjuster", "N"),
            ("mortgagee", "Frisco Home Lending"),
            ("estimated_loss", "18500.00"),
        ],
    ),
    (
        "after the cancellation",
        &[
            ("lob", "property"),
            ("policy_number", "HO-NY-2025-62201"),
            ("loss_date", "2026-09-02"),
            ("loss_description", "Kitchen fire from a toaster oven"),
            ("loss_cause", "fire"),
            ("discovered_on", "2026-09-02"),
            ("loss_type", "fire"),
            ("property_address", "87 Harvard Street, Rochester, NY 14607"),
            ("damage_description", "Kitchen cabinets burned"),
            ("emergency_repairs_needed", "N"),
            ("public_adjuster", "N"),
            ("mortgagee", "ESL Federal Credit Union"),
            ("estimated_loss", "9000.00"),
        ],
    ),
    (
        "unknown policy",
        &[
            ("lob", "personal_auto"),
            ("jurisdiction", "TX"),
            ("policy_number", "PAU-TX-2099-00000"),
            ("reporter_name", "Rita Gomez"),
            ("reporter_phone", "(214) 555-0199"),
            ("loss_date", "2026-11-17"),
            ("loss_time", "17:00"),
            ("loss_location", "I-35E, Dallas, TX"),
            ("loss_description", "Rear-ended in traffic"),
            ("loss_cause", "collision"),
            ("vehicle1_year", "2001"),
            ("vehicle1_make", "Saturn"),
            ("vehicle1_model", "SL"),
            ("vehicle1_vin", "1G8ZF52801Z322733"),
            ("vehicle1_damage", "rear bumper"),
        ],
    ),
    (
        "windshield",
        &[
            ("lob", "personal_auto"),
            ("policy_number", "PAU-TX-2026-10482"),
            ("reporter_name", "Sandra Whitaker"),
            ("reporter_phone", "(972) 555-0186"),
            ("loss_date", "2026-11-16"),
            ("loss_time", "12:00"),
            ("loss_location", "Plano, TX"),
            ("loss_description", "Rock chip cracked the windshield"),
            ("loss_cause", "glass"),
            ("vehicle1_year", "2013"),
            ("vehicle1_make", "Hyundai"),
            ("vehicle1_model", "Elantra"),
            ("vehicle1_vin", "5NPEB4AC9DH571382"),
            ("vehicle1_damage", "windshield"),
        ],
    ),
    (
        "house fire",
        &[
            ("lob", "property"),
            ("policy_number", "HO-FL-2026-61720"),
            ("loss_date", "2026-11-15"),
            ("loss_description", "The house burned down"),
            ("loss_cause", "fire"),
            ("discovered_on", "2026-11-15"),
            ("loss_type", "fire"),
            (
                "property_address",
                "1564 Sunset Point Road, Clearwater, FL 33755",
            ),
            ("damage_description", "Total loss of the dwelling"),
            ("emergency_repairs_needed", "Y"),
            ("public_adjuster", "N"),
            ("mortgagee", "Truist Bank"),
            ("estimated_loss", "300000.00"),
        ],
    ),
    (
        "hurt at work",
        &[
            ("lob", "workers_comp"),
            ("policy_number", "WC-TX-2026-30118"),
            ("loss_date", "2026-11-16"),
            ("loss_time", "10:40"),
            ("loss_description", "Fell from a ladder"),
            ("employee_name", "Jorge Ruiz"),
            ("employee_id", "E-1042"),
            ("job_title", "HVAC technician"),
            ("how_it_happened", "Ladder slipped on a wet floor"),
            ("body_parts", "left wrist"),
            ("medical_treatment", "yes"),
            ("treatment_facility", "Baylor Scott & White, Frisco"),
            ("treating_physician", "Dr. Amy Chen"),
            ("return_to_work_expected", "Y"),
        ],
    ),
    (
        "lawyer letter",
        &[
            ("lob", "general_liability"),
            ("policy_number", "GL-NY-2026-80412"),
            ("loss_date", "2026-11-10"),
            ("loss_description", "Member slipped near the pool"),
            ("loss_cause", "slip_and_fall"),
            ("claim_received_on", "2026-11-12"),
            ("claimant_name", "Dana Kim"),
            ("claimant_phone", "(914) 555-0111"),
            ("allegation", "Wet floor without a sign; broken wrist"),
            ("represented", "yes"),
            ("prior_notice", "false"),
            ("bodily_injury", "yes"),
        ],
    ),
];

/// Intake of every row in one batch; the new claims by situation.
fn office_with_new_claims() -> (Office, HashMap<&'static str, String>) {
    let o = Office::example();
    let ids = o.intake_rows(ROWS);
    (o, ids)
}

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

#[test]
fn pending_triage_sorts_every_claim_into_its_outcome_and_priority() {
    let (o, ids) = office_with_new_claims();
    let before = o.head();
    let (out, err) = o.expect(0, &["--format", "json", "triage", "--pending"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["id"] == ids[name].as_str())
            .unwrap_or_else(|| panic!("no row for {name}: {out}\n{err}"))
            .clone()
    };
    let outcome = |name: &str| {
        let c = claim(&o, &ids[name]);
        let t = c
            .triage
            .clone()
            .unwrap_or_else(|| panic!("{name} not triaged"));
        (c.status, t.coverage, t.priority)
    };

    // The same accident reported twice: the later report merges into the earlier (reports
    // received in the same second, as in one CSV batch, go by claim id).
    let (first, second) = (
        claim(&o, &ids["injured driver"]),
        claim(&o, &ids["same accident again"]),
    );
    let (a, b) = if first.status == Status::Merged {
        (second, first)
    } else {
        (first, second)
    };
    assert!(a.id < b.id);
    assert_eq!(b.status, Status::Merged);

    // Coverage confirmed, each priority from the facts.
    assert_eq!(
        (
            a.status,
            a.triage.as_ref().unwrap().coverage,
            a.triage.as_ref().unwrap().priority
        ),
        (Status::Triaged, CoverageOutcome::Confirmed, Priority::High)
    );
    assert_eq!(
        outcome("windshield"),
        (Status::Triaged, CoverageOutcome::Confirmed, Priority::Low)
    );
    assert_eq!(row("windshield")["deductible"], "250.00");
    assert_eq!(
        outcome("house fire"),
        (
            Status::Triaged,
            CoverageOutcome::Confirmed,
            Priority::Critical
        )
    );
    assert_eq!(
        outcome("hurt at work"),
        (Status::Triaged, CoverageOutcome::Confirmed, Priority::High)
    );
    let gl = claim(&o, &ids["lawyer letter"]);
    let t = gl.triage.unwrap();
    assert_eq!(
        (t.coverage, t.priority, t.escalated),
        (CoverageOutcome::Confirmed, Priority::High, true)
    );
    // The assignment deadline of a critical claim: two hours after it came in.
    let fire = claim(&o, &ids["house fire"]);
    assert_eq!(
        fire.triage.unwrap().assign_by.unwrap(),
        fire.received_at + chrono::Duration::hours(2)
    );

    // Coverage in question: standard priority, catastrophe code, reservation of rights.
    assert_eq!(
        outcome("vacant house in the hail"),
        (
            Status::Triaged,
            CoverageOutcome::InQuestion,
            Priority::Standard
        )
    );
    let r = row("vacant house in the hail");
    assert_eq!(r["catastrophe"], "CAT-2026-TXHAIL");
    assert_eq!(r["conditions"][0], "vacancy");
    let hail = claim(&o, &ids["vacant house in the hail"]);
    let letter = o.read(&format!(
        "claims/2026/11/{}/letters/reservation_of_rights.txt",
        hail.id
    ));
    let lower = letter.to_ascii_lowercase();
    assert!(letter.contains("Re: RESERVATION OF RIGHTS"), "{letter}");
    assert!(
        letter.contains(&format!("Claim {}, policy HO-TX-2026-60254", hail.id)),
        "{letter}"
    );
    assert!(
        letter.contains("vacant"),
        "the condition is named:\n{letter}"
    );
    assert!(
        letter.contains("Section I - Perils Insured Against, A.2.b (page 8) - Vacancy:"),
        "{letter}"
    );
    assert!(
        lower.contains("if the dwelling has been vacant for more than 60 consecutive days"),
        "{letter}"
    );
    assert!(
        letter.contains("full reservation of\nour rights"),
        "{letter}"
    );
    assert_eq!(
        hail.letters.last().unwrap().template,
        "reservation_of_rights"
    );

    // Potentially no coverage: the coverage-review queue.
    assert_eq!(
        outcome("after the cancellation").1,
        CoverageOutcome::PotentiallyNone
    );
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "coverage-review"]);
    assert!(queue.contains(&ids["after the cancellation"]), "{queue}");
    assert!(queue.contains("cancelled effective 2026-09-01"), "{queue}");

    // No policy: a request for policy information, and the manual-lookup queue.
    let lost = claim(&o, &ids["unknown policy"]);
    assert_eq!(lost.status, Status::NoPolicyFound);
    let request = o.read(&format!(
        "claims/2026/11/{}/letters/policy_information_request.txt",
        lost.id
    ));
    assert!(
        request.contains("policy number PAU-TX-2099-00000"),
        "{request}"
    );
    assert!(
        request.contains("2001 Saturn SL, VIN 1G8ZF52801Z322733"),
        "{request}"
    );
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "manual-lookup"]);
    assert!(queue.contains(&lost.id), "{queue}");

    // The duplicate points to the original, which gained its facts.
    assert_eq!(b.merged_into.as_deref(), Some(a.id.as_str()));
    assert_eq!(b.triage.unwrap().coverage, CoverageOutcome::Duplicate);
    assert!(
        a.notes
            .iter()
            .any(|n| n.text.contains(&format!("Duplicate report {} ", b.id))
                && n.text.contains(b.loss.description.as_deref().unwrap())),
        "{:?}",
        a.notes
    );
    let merged_row = rows.iter().find(|r| r["id"] == b.id.as_str()).unwrap();
    assert_eq!(merged_row["next"], format!("merged into {}", a.id));

    // One signed commit per claim (the sample office's own reported claim was pending too);
    // the merge is one commit too, changing both files; nothing else; all sound.
    assert_eq!(rows.len(), ROWS.len() + 1);
    let commits = o.git_ok(&["rev-list", &format!("{before}..HEAD")]);
    assert_eq!(commits.lines().count(), ROWS.len() + 1);
    let merge = o.git_ok(&[
        "log",
        "-1",
        "--format=%H",
        "--grep",
        &format!("merged into {}", a.id),
        &format!("{before}..HEAD"),
    ]);
    let files = o.git_ok(&["show", "--format=", "--name-only", merge.trim()]);
    assert!(
        files.contains(&format!("{}.yaml", a.id)) && files.contains(&format!("{}.yaml", b.id)),
        "{files}"
    );
    o.expect(0, &["check"]);
    o.assert_sound();

    // Nothing is pending any more.
    let (out, _) = o.expect(0, &["--format", "json", "triage", "--pending"]);
    assert_eq!(out.trim(), "[]");
}

#[test]
fn triage_of_named_claims_refuses_those_past_triage_and_dry_run_writes_nothing() {
    let o = Office::example();
    let (_, assigned) = o.claim_where(|c| c.status == Status::Assigned);
    let before = o.head();
    let (_, err) = o.expect(1, &["triage", &assigned.id]);
    assert!(err.contains("only reported claims"), "{err}");
    let (_, reported) = o.claim_where(|c| c.status == Status::Reported);
    let (out, _) = o.expect(0, &["--dry-run", "triage", &reported.id]);
    assert!(out.contains("dry run: nothing was written"), "{out}");
    assert!(out.contains("coverage: confirmed"), "{out}");
    assert_eq!(o.head(), before);
    o.expect(0, &["triage", &reported.id]);
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Command: triage"), "{trailers}");
    assert!(trailers.contains("Outcome: confirmed"), "{trailers}");
    assert!(trailers.contains("Priority: standard"), "{trailers}");
    o.assert_sound();
}

/// A web report of a fire at the Santiago home (FL homeowners), with the estimate given.
fn house_fire(estimate: &str) -> serde_json::Value {
    serde_json::json!({
        "lob": "property",
        "policy_number": "HO-FL-2026-61720",
        "received_at": "2026-11-19T08:00:00-05:00",
        "insured": { "name": "Gloria Santiago", "phone": "(727) 555-0999" },
        "reporter": { "name": "Gloria Santiago", "relationship": "insured", "phone": "(727) 555-0999" },
        "loss": { "date": "2026-11-18", "time": "22:10", "location": "1564 Sunset Point Road, Clearwater, FL 33755",
                  "description": "Kitchen fire spread to the roof", "cause": "fire" },
        "property": {
            "discovered_on": "2026-11-18", "discovered_at": "22:15", "loss_type": "fire",
            "property_address": "1564 Sunset Point Road, Clearwater, FL 33755",
            "damage_description": "Kitchen destroyed, roof open to the weather",
            "emergency_repairs_needed": true,
            "emergency_repairs": "Roof tarped by Gulf Roofing the next morning, $1,450",
            "public_adjuster": true, "mortgagee": "none", "estimated_loss": estimate, "displaced": true
        }
    })
}

#[test]
fn a_critical_claim_reaches_a_senior_adjuster_and_a_public_adjuster_changes_handling() {
    let o = Office::example();
    let id = o.intake_payload(&house_fire("310000.00"));
    o.expect(
        0,
        &["--as", crate::common::people::SUPERVISOR, "triage", &id],
    );
    let c = claim(&o, &id);
    assert_eq!(c.triage.as_ref().unwrap().priority, Priority::Critical);
    // The insured is the policy's named insured; what the report said differently is noted.
    let insured = c.insured.as_ref().unwrap();
    assert_eq!(insured.name.as_deref(), Some("Gloria Santiago"));
    assert_ne!(insured.phone.as_deref(), Some("(727) 555-0999"));
    assert!(
        c.notes
            .iter()
            .any(|n| n.text.contains("phone (727) 555-0999")),
        "{:?}",
        c.notes
    );
    let p = c.property.as_ref().unwrap();
    assert_eq!(p.discovered_at.as_deref(), Some("22:15"));

    o.expect(
        0,
        &["--as", crate::common::people::SUPERVISOR, "assign", &id],
    );
    let c = claim(&o, &id);
    let adjuster = c.adjuster().unwrap().to_string();
    let authority = o.read("authority.yaml");
    let office: claims::domain::office::Office = serde_yaml::from_str(&authority).unwrap();
    let role = &office.person(&adjuster).unwrap().role;
    assert!(
        office.role(role).unwrap().rank >= office.role("senior_adjuster").unwrap().rank,
        "a critical claim went to {adjuster} ({role})"
    );
    let tasks: Vec<&str> = c.tasks.iter().map(|t| t.name.as_str()).collect();
    assert!(
        tasks
            .iter()
            .any(|t| t.starts_with("Public adjuster's letter of representation")),
        "{tasks:?}"
    );
    assert!(
        tasks
            .iter()
            .any(|t| t.starts_with("Emergency repairs documented")),
        "{tasks:?}"
    );
    o.assert_sound();
}

#[test]
fn a_claim_whose_policy_number_was_corrected_is_triaged_again() {
    let o = Office::example();
    let mut report = house_fire("40000.00");
    report["policy_number"] = "HO-NY-2025-62201".into();
    let id = o.intake_payload(&report);
    o.expect(
        0,
        &["--as", crate::common::people::SUPERVISOR, "triage", &id],
    );
    let c = claim(&o, &id);
    assert_eq!(
        c.triage.as_ref().unwrap().coverage,
        CoverageOutcome::PotentiallyNone
    );
    // Not again without a correction.
    o.expect(
        1,
        &["--as", crate::common::people::SUPERVISOR, "triage", &id],
    );
    o.expect(
        0,
        &[
            "update",
            &id,
            "--set",
            "policy_number=HO-FL-2026-61720",
            "--reason",
            "The caller read out the number of her old New York policy",
        ],
    );
    o.expect(
        0,
        &["--as", crate::common::people::SUPERVISOR, "triage", &id],
    );
    let c = claim(&o, &id);
    let t = c.triage.as_ref().unwrap();
    assert_eq!(t.coverage, CoverageOutcome::Confirmed, "{:?}", t.reasons);
    assert_eq!(t.policy.as_deref(), Some("HO-FL-2026-61720"));
    assert_eq!(
        c.insured.as_ref().unwrap().name.as_deref(),
        Some("Gloria Santiago")
    );
    o.assert_sound();
}
