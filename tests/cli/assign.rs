use std::collections::HashMap;

use crate::common::people::{STAFF, SUPERVISOR};
use crate::common::{Office, NOW};
use claims::domain::claim::{Claim, ItemStatus};
use claims::domain::lifecycle::Status;

/// The sample's triaged glass claim (Texas, vendor-direct) and its reported water claim.
const GLASS: &str = "CLM-2611-YFNF-X1DT";
const WATER: &str = "CLM-2611-FS2R-811K";

/// New claims, one per routing situation: (name, cells by column).
const ROWS: &[(&str, &[(&str, &str)])] = &[
    (
        "fender bender",
        &[
            ("lob", "personal_auto"),
            ("policy_number", "PAU-TX-2026-10482"),
            ("reporter_name", "Sandra Whitaker"),
            ("reporter_phone", "(972) 555-0186"),
            ("loss_date", "2026-11-12"),
            ("loss_time", "17:40"),
            ("loss_location", "Legacy Dr and Preston Rd, Plano, TX"),
            ("loss_description", "Rear-ended at a red light"),
            ("loss_cause", "collision"),
            ("vehicle1_year", "2013"),
            ("vehicle1_make", "Jeep"),
            ("vehicle1_model", "Wrangler Sport"),
            ("vehicle1_vin", "1C4GJWAG3DL544796"),
            ("vehicle1_damage", "rear bumper"),
            ("estimated_loss", "4200.00"),
        ],
    ),
    (
        "work injury",
        &[
            ("lob", "workers_comp"),
            ("policy_number", "WC-TX-2026-30118"),
            ("loss_date", "2026-11-17"),
            ("loss_time", "10:40"),
            ("loss_description", "Fell from a ladder"),
            ("employee_name", "Jorge Ruiz"),
            ("employee_id", "E-1042"),
            ("job_title", "HVAC technician"),
            ("how_it_happened", "Ladder slipped on a wet floor"),
            ("body_parts", "left wrist; lower back"),
            ("medical_treatment", "yes"),
            ("treatment_facility", "Baylor Scott & White, Frisco"),
            ("treating_physician", "Dr. Amy Chen"),
            ("return_to_work_expected", "Y"),
        ],
    ),
    (
        "represented slip",
        &[
            ("lob", "general_liability"),
            ("policy_number", "GL-NY-2026-80412"),
            ("loss_date", "2026-11-10"),
            ("loss_description", "Member slipped near the pool"),
            ("claim_received_on", "2026-11-18"),
            ("claimant_name", "Dana Kim"),
            ("claimant_phone", "(914) 555-0111"),
            ("allegation", "Wet floor without a sign; broken wrist"),
            ("represented", "yes"),
            ("prior_notice", "false"),
            ("bodily_injury", "true"),
        ],
    ),
];

/// The example office with the rows taken in and every reported claim triaged.
fn triaged_office() -> (Office, HashMap<&'static str, String>) {
    let o = Office::example();
    let mut ids = o.intake_rows(ROWS);
    ids.insert("glass", GLASS.into());
    ids.insert("water", WATER.into());
    o.expect(0, &["--as", SUPERVISOR, "triage", "--pending"]);
    (o, ids)
}

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

/// The outbox message for a claim's letter, parsed: (To address, To name, Subject, body).
fn eml(o: &Office, id: &str, letter: &str) -> (String, String, String, String) {
    let path = o.root.join("outbox").join(format!("{id}-{letter}.eml"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let msg = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    let to = msg.to().unwrap().first().unwrap();
    (
        to.address().unwrap().to_string(),
        to.name().unwrap_or_default().to_string(),
        msg.subject().unwrap().to_string(),
        msg.body_text(0).unwrap().to_string(),
    )
}

#[test]
fn pending_claims_are_routed_balanced_and_everyone_is_told() {
    let (o, ids) = triaged_office();
    let before = o.git_ok(&["rev-list", "--count", "HEAD"]);
    let (out, err) = o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "--format",
            "json",
            "assign",
            "--pending",
        ],
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let by_id: HashMap<String, &serde_json::Value> = rows
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r))
        .collect();
    let routed = |name: &str| {
        let r = by_id[&ids[name]];
        (
            r["rule"].as_str().unwrap().to_string(),
            r["handler"].as_str().unwrap().to_string(),
        )
    };
    // Open claims before: Martinez 2, Osei 1, Whitfield 1, Webb 1, Okafor 2, others 0.
    assert_eq!(
        routed("fender bender"),
        (
            "auto_pd_small".into(),
            "dfontaine@harborpoint.example".into()
        ),
        "auto_pd: Fontaine and Park have none; Fontaine's maximum is the larger"
    );
    assert_eq!(
        routed("work injury"),
        ("workers_comp".into(), "kosei@harborpoint.example".into())
    );
    assert_eq!(
        routed("represented slip"),
        ("represented".into(), "kosei@harborpoint.example".into()),
        "bodily_injury: Osei (2 after the work injury) has fewer than Martinez (2, max 60 < 80)"
    );
    assert_eq!(
        routed("water"),
        ("property_other".into(), "praman@harborpoint.example".into())
    );
    assert_eq!(
        routed("glass"),
        ("glass".into(), "ClearView Glass Network".into())
    );
    assert!(err.contains("assigned 5 claims; 16 notice(s) in"), "{err}");

    // One signed commit per claim, with trailers a script can read.
    let after = o.git_ok(&["rev-list", "--count", "HEAD"]);
    assert_eq!(
        after.trim().parse::<u32>().unwrap() - before.trim().parse::<u32>().unwrap(),
        5
    );
    let trailers = o.git_ok(&[
        "log",
        "-1",
        "--format=%(trailers)",
        "--grep",
        &format!("assign {}", ids["work injury"]),
    ]);
    assert!(trailers.contains("Rule: workers_comp"), "{trailers}");
    assert!(
        trailers.contains("Adjuster: kosei@harborpoint.example"),
        "{trailers}"
    );
    o.assert_sound();

    // The record: assigned, contact-by deadline, checklist, acknowledgment clock stopped.
    let wc = claim(&o, &ids["work injury"]);
    assert_eq!(wc.status, Status::Assigned);
    let a = wc.assignment.as_ref().unwrap();
    assert_eq!(a.by, SUPERVISOR);
    assert_eq!(a.rule.as_deref(), Some("workers_comp"));
    assert_eq!(
        a.contact_by.unwrap().to_rfc3339(),
        "2026-11-23T10:00:00-06:00",
        "high priority: the next business day after Friday"
    );
    assert_eq!(wc.sla.acknowledged_at.unwrap().to_rfc3339(), NOW);
    assert_eq!(wc.tasks[0].name, "Employer contacted");
    assert!(wc.documents.iter().any(
        |d| d.name == "Employer's first report of injury" && d.status == ItemStatus::Requested
    ));

    // The adjuster's notice: summary, policyholder, coverage, priority, deadline, checklist.
    let water = &ids["water"];
    let (to, name, subject, body) = eml(&o, water, "assignment_notice");
    assert_eq!(
        (to.as_str(), name.as_str()),
        ("praman@harborpoint.example", "Priya Raman")
    );
    assert_eq!(
        subject,
        format!("New assignment {water} (standard priority)")
    );
    for needle in [
        "by routing rule \"property_other\"",
        "First contact with the insured is due by 2026-11-23 10:00 CST",
        "Gloria Santiago",
        "Phone:   (727) 555-0135",
        "Outcome: confirmed",
        "Deductible: 2500.00",
        "[ ] Insured contacted (due 2026-11-23)",
        "[ ] Contractor estimate (2 of 2), for damages (due 2026-12-14)",
    ] {
        assert!(
            body.contains(needle),
            "assignment notice lacks {needle}:\n{body}"
        );
    }
    // The same text is the letter on file, committed with the claim.
    let folder = format!("claims/2026/11/{water}");
    assert_eq!(
        o.read(&format!("{folder}/letters/assignment_notice.txt"))
            .trim(),
        body.replace("\r\n", "\n").trim()
    );

    // The insured's acknowledgment names the adjuster, what comes next and what to send.
    let (to, _, subject, body) = eml(&o, water, "acknowledgment");
    assert_eq!(to, "gsantiago@mailbox.example");
    assert_eq!(subject, format!("Claim {water}: we received your claim"));
    for needle in [
        "Dear Gloria Santiago:",
        "assigned to Priya Raman",
        "(214) 555-0162 or praman@harborpoint.example",
        "What happens next: Priya Raman will contact you by 2026-11-23 10:00 CST",
        "Signed sworn proof of loss (by 2027-01-25)",
        "How to send documents: email them to praman@harborpoint.example",
    ] {
        assert!(
            body.contains(needle),
            "acknowledgment lacks {needle}:\n{body}"
        );
    }
    // The agent on the policy gets a status update.
    let (to, _, subject, body) = eml(&o, water, "status_update");
    let agent = claim(&o, water).agent.unwrap();
    assert_eq!(Some(to), agent.email);
    assert_eq!(
        subject,
        format!("Status of claim {water} for Gloria Santiago")
    );
    assert!(
        body.contains("Status: assigned for investigation"),
        "{body}"
    );

    // Represented claimant: defense counsel is told.
    let slip = &ids["represented slip"];
    let (to, name, subject, body) = eml(&o, slip, "counsel_notice");
    assert_eq!(
        (to.as_str(), name.as_str()),
        ("evasquez@vasquezreid.example", "Elena Vasquez")
    );
    assert_eq!(
        subject,
        format!("Notice of claim {slip} against Hudson Valley Fitness LLC")
    );
    assert!(
        body.contains("the claimant is represented by an attorney"),
        "{body}"
    );
    assert!(body.contains("assigned to Kevin Osei"), "{body}");

    // The vendor takes the glass claim: its desk gets the notice.
    let (to, _, _, body) = eml(&o, GLASS, "assignment_notice");
    assert_eq!(to, "claims@clearviewglass.example");
    assert!(body.contains("To:    ClearView Glass Network"), "{body}");

    // The workload follows.
    let (csv, _) = o.expect(0, &["--format", "csv", "workload"]);
    assert!(
        csv.lines().any(
            |l| l.starts_with("kosei@harborpoint.example,Kevin Osei,senior_adjuster,")
                && l.contains(",3,80,yes")
        ),
        "{csv}"
    );
    // Nothing is left to assign.
    let (_, err) = o.expect(0, &["--as", SUPERVISOR, "assign", "--pending"]);
    assert!(err.contains("assigned 0 claims"), "{err}");
}

#[test]
fn a_supervisor_overrides_others_may_not_and_assigned_claims_stay_put() {
    let (o, ids) = triaged_office();
    let water = &ids["water"];
    o.expect(0, &["--as", STAFF, "assign", water]);
    let head = o.head();
    // Assigned already: routing again is refused with the way to reassign.
    let (_, err) = o.expect(1, &["--as", STAFF, "assign", water]);
    assert!(
        err.contains("already assigned to praman@harborpoint.example"),
        "{err}"
    );
    assert!(err.contains("--to PERSON --reason TEXT"), "{err}");
    // A staff adjuster may not override; nobody may assign to a person who left, or to
    // someone who handles no claims.
    for (actor, to, why) in [
        (STAFF, STAFF, "override an assignment"),
        (
            SUPERVISOR,
            "rkline@harborpoint.example",
            "Robert Kline is no longer active",
        ),
        (
            SUPERVISOR,
            "mdelgado@harborpoint.example",
            "does not handle claims",
        ),
    ] {
        let (_, err) = o.expect(
            1,
            &[
                "--as",
                actor,
                "assign",
                water,
                "--to",
                to,
                "--reason",
                "I know the insured",
            ],
        );
        assert!(err.contains(why), "{err}");
    }
    // --to needs --reason (usage).
    o.expect(
        2,
        &[
            "--as",
            SUPERVISOR,
            "assign",
            water,
            "--to",
            "mwebb@harborpoint.example",
        ],
    );
    assert_eq!(o.head(), head, "nothing written by refusals");

    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "assign",
            water,
            "--to",
            "mwebb@harborpoint.example",
            "--reason",
            "water intrusion under slab; Webb handled the neighbour's claim",
        ],
    );
    let c = claim(&o, water);
    let a = c.assignment.unwrap();
    assert_eq!(a.adjuster.as_deref(), Some("mwebb@harborpoint.example"));
    assert_eq!(a.rule.as_deref(), Some("override"));
    assert_eq!(
        a.override_reason.as_deref(),
        Some("water intrusion under slab; Webb handled the neighbour's claim")
    );
    assert_eq!(c.history.last().unwrap().event, "reassign");
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Previous-Adjuster: praman@harborpoint.example"),
        "{trailers}"
    );
    assert!(
        trailers.contains("Override-Reason: water intrusion"),
        "{trailers}"
    );
    let (to, _, subject, body) = eml(&o, water, "assignment_notice-2");
    assert_eq!(to, "mwebb@harborpoint.example");
    assert_eq!(
        subject,
        format!("New assignment {water} (standard priority)")
    );
    assert!(
        body.contains("by supervisor override: water intrusion"),
        "{body}"
    );
    // The checklist is not doubled by a reassignment.
    assert_eq!(
        c.tasks
            .iter()
            .filter(|t| t.name == "Insured contacted")
            .count(),
        1
    );
    o.assert_sound();
    o.expect(0, &["audit"]);
}

#[test]
fn nobody_available_escalates_to_the_supervisor_until_an_override() {
    let (o, ids) = triaged_office();
    // Every property adjuster away this week: a hand edit of authority.yaml, committed.
    let away = "    out_of_office:\n      - from: 2026-11-16\n        to: 2026-11-27\n";
    let text = o
        .read("authority.yaml")
        .replace(
            "    max_open_claims: 90\n",
            &format!("    max_open_claims: 90\n{away}"),
        )
        .replace(
            "    max_open_claims: 25\n",
            &format!("    max_open_claims: 25\n{away}"),
        )
        .replace(
            "      - from: 2026-12-21\n        to: 2026-12-31",
            "      - from: 2026-11-16\n        to: 2026-12-31",
        );
    std::fs::write(o.root.join("authority.yaml"), text).unwrap();
    o.git_ok(&[
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-qam",
        "property desk away",
    ]);

    let water = &ids["water"];
    let (out, err) = o.expect(
        0,
        &["--as", SUPERVISOR, "--format", "csv", "assign", "--pending"],
    );
    assert!(
        out.contains(&format!("{water},escalated,property_other,in_house,")),
        "{out}"
    );
    assert!(
        err.contains("assigned 4 claims, 1 escalated (nobody available)"),
        "{err}"
    );
    let c = claim(&o, water);
    assert_eq!(c.status, Status::Triaged);
    assert!(c.assignment.is_none());
    let e = c.escalation.unwrap();
    assert_eq!(
        e.reason,
        "nobody holding property is available: Priya Raman out of office until 2026-11-27; \
         Linda Park out of office until 2026-11-27; Marcus Webb out of office until 2026-12-31"
    );
    // The supervisor is told, with the deadline and what to do.
    let (to, _, subject, body) = eml(&o, water, "supervisor_notice");
    assert_eq!(to, SUPERVISOR);
    assert_eq!(
        subject,
        format!("Escalation: no adjuster available for claim {water}")
    );
    assert!(
        body.contains("The claim must be with an adjuster by 2026-11-20 17:00 CST"),
        "{body}"
    );
    assert!(
        body.contains(&format!("claims assign {water} --to PERSON --reason TEXT")),
        "{body}"
    );
    // It waits in the escalation queue; retrying changes nothing while nobody is back.
    let (q, _) = o.expect(0, &["--format", "csv", "queue", "escalation"]);
    assert!(
        q.contains(water.as_str()) && q.contains("assign by 2026-11-20 17:00"),
        "{q}"
    );
    let head = o.head();
    let (out, _) = o.expect(
        0,
        &["--as", SUPERVISOR, "--format", "csv", "assign", "--pending"],
    );
    assert!(out.contains(&format!("{water},still escalated,")), "{out}");
    assert_eq!(o.head(), head);
    // The supervisor assigns it by override (someone away, but reachable): a warning, then done.
    let (_, err) = o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "assign",
            water,
            "--to",
            "dfontaine@harborpoint.example",
            "--reason",
            "property desk away; Fontaine covers",
        ],
    );
    assert!(!err.contains("warning"), "Fontaine is available: {err}");
    assert_eq!(claim(&o, water).status, Status::Assigned);
    let (q, _) = o.expect(0, &["--format", "csv", "queue", "escalation"]);
    assert!(!q.contains(water.as_str()), "{q}");
}

#[test]
fn tasks_and_documents_are_tracked_and_overdue_items_listed() {
    let (o, ids) = triaged_office();
    let water = &ids["water"];
    o.expect(0, &["--as", SUPERVISOR, "assign", water]);
    let adjuster = "praman@harborpoint.example";

    o.expect(
        0,
        &[
            "--as",
            adjuster,
            "task",
            water,
            "insured contacted",
            "--done",
        ],
    );
    let c = claim(&o, water);
    assert_eq!(
        c.status,
        Status::Investigating,
        "the first step starts the investigation"
    );
    let t = &c.tasks[0];
    assert_eq!(
        (t.status, t.by.as_deref()),
        (ItemStatus::Done, Some(adjuster))
    );
    assert_eq!(
        o.git_ok(&["log", "-1", "--format=%s"]).trim(),
        format!("task {water}: done: Insured contacted")
    );

    // Ambiguous or unknown names are refused, naming the candidates.
    let head = o.head();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            adjuster,
            "document",
            water,
            "estimate",
            "--received",
        ],
    );
    assert!(
        err.contains(
            "matches several documents: Contractor estimate (1 of 2); Contractor estimate (2 of 2)"
        ),
        "{err}"
    );
    let (_, err) = o.expect(1, &["--as", adjuster, "task", water, "title", "--done"]);
    assert!(err.contains("no task matches \"title\""), "{err}");
    // A CSR does not investigate.
    o.expect(
        1,
        &[
            "--as",
            "mdelgado@harborpoint.example",
            "task",
            water,
            "scope",
            "--done",
        ],
    );
    assert_eq!(o.head(), head);

    // A document received with its file: attached and committed together.
    let pdf = o.root.join("../estimate-acme.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 estimate").unwrap();
    o.expect(
        0,
        &[
            "--as",
            adjuster,
            "document",
            water,
            "estimate (1",
            "--received",
            "--file",
            pdf.to_str().unwrap(),
            "--on",
            "2026-11-19",
        ],
    );
    let c = claim(&o, water);
    let d = c
        .documents
        .iter()
        .find(|d| d.name == "Contractor estimate (1 of 2)")
        .unwrap();
    assert_eq!(d.status, ItemStatus::Received);
    assert_eq!(d.received_on.unwrap().to_string(), "2026-11-19");
    assert_eq!(d.file.as_deref(), Some("attachments/estimate-acme.pdf"));
    assert_eq!(
        o.read(&format!(
            "claims/2026/11/{water}/attachments/estimate-acme.pdf"
        )),
        "%PDF-1.4 estimate"
    );
    let files = o.git_ok(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(files.contains("attachments/estimate-acme.pdf"), "{files}");

    // Waived with a reason; the rest received: all items are in (a clock start in TX and NY).
    o.expect(
        0,
        &[
            "--as",
            adjuster,
            "document",
            water,
            "photos",
            "--waive",
            "adjuster photographed at inspection",
        ],
    );
    for name in ["(2 of 2)", "contents inventory", "proof of loss"] {
        o.expect(
            0,
            &["--as", adjuster, "document", water, name, "--received"],
        );
    }
    let c = claim(&o, water);
    assert!(c.sla.all_items_received_at.is_some());
    assert!(
        c.sla.proof_of_loss_at.is_some(),
        "a signed proof of loss starts its clock"
    );
    let (_, err) = o.expect(
        1,
        &["--as", adjuster, "document", water, "photos", "--received"],
    );
    assert!(err.contains("is already waived"), "{err}");

    // Overdue across the office, by business days late.
    let (csv, _) = o.expect(
        0,
        &[
            "--format",
            "csv",
            "overdue",
            "--as-of",
            "2026-12-08",
            "--adjuster",
            adjuster,
        ],
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "claim,adjuster,kind,name,due,business_days_late");
    assert!(
        lines
            .contains(&format!("{water},{adjuster},task,Mortgagee notified,2026-11-30,6").as_str()),
        "{csv}"
    );
    assert!(
        lines.contains(
            &format!("{water},{adjuster},task,Cause of loss determined,2026-12-07,1").as_str()
        ),
        "{csv}"
    );
    assert!(
        !csv.contains("Insured contacted") && !csv.contains("Contractor estimate"),
        "{csv}"
    );
    o.assert_sound();
}
