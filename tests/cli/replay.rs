//! Every command that changes records, run for real against the example office, and then the
//! proof that each of its commits replays: `claims audit --full` runs the command again on the
//! commit's parent and gets the very same commit, for every command the workflow knows.

use std::collections::BTreeMap;

use crate::common::people::{
    COMMITTEE, COMPLIANCE, CSR, CSR2, MANAGER, SENIOR, STAFF, SUPERVISOR, WEBB,
};
use crate::common::Office;
use claims::domain::lifecycle::Status;
use claims::workflow::Command;

/// The sample office's claims used here.
const WATER: &str = "CLM-2611-FS2R-811K"; // reported property claim (FL)
const INCOMPLETE: &str = "CLM-2611-EYM4-VVH1"; // incomplete personal auto intake (IL)
const AUTO: &str = "CLM-2610-VH4E-J57R"; // settlement pending, auto physical damage
const COMMERCIAL: &str = "CLM-2611-33T6-3CJ0"; // assigned commercial auto, injured claimant
const PROPERTY: &str = "CLM-2610-VA8H-T6J7"; // investigating commercial property (IL)
const RECOMMENDED: &str = "CLM-2610-RBZJ-DXFA"; // denial recommended (NY)
const FALL: &str = "CLM-2610-8XQQ-T1SD"; // investigating GL, represented, bodily injury (NY)

fn data(name: &str) -> String {
    format!("{}/tests/data/intake/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `args` (exit 0) and checks that it made at least one commit and that every commit it
/// made carries `Command: {command}`; returns (stdout, stderr).
fn step(o: &Office, command: &str, args: &[&str]) -> (String, String) {
    let before = o.head();
    let out = o.expect(0, args);
    let made = o.git_ok(&[
        "log",
        "--format=%(trailers:key=Command,valueonly,separator=%x2C)",
        &format!("{before}..HEAD"),
    ]);
    let commands: Vec<&str> = made.lines().filter(|l| !l.is_empty()).collect();
    assert!(!commands.is_empty(), "claims {args:?} made no commit");
    assert!(
        commands.iter().all(|c| *c == command),
        "claims {args:?} made commits {commands:?}, not all `{command}`"
    );
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "", "{args:?}");
    out
}

/// Runs `args` as `who` and, if the claim then waits in the approvals queue, has the manager
/// approve it.
fn with_approval(o: &Office, who: &str, command: &str, args: &[&str], id: &str) {
    let mut full = vec!["--as", who];
    full.extend_from_slice(args);
    step(o, command, &full);
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "approvals"]);
    if queue.lines().any(|l| l.starts_with(&format!("{id},"))) {
        step(o, "approve", &["--as", MANAGER, "approve", id]);
    }
}

/// Duplicate reports: one kept apart by a person, one merged by a person and unmerged again.
fn duplicates(o: &Office) {
    use crate::duplicates::{truck, F150};
    let first = o.intake_payload(&truck(
        "2026-11-19T08:00:00-06:00",
        F150,
        "I-35 at exit 240, Austin, TX",
        "Rear-ended a van",
        false,
    ));
    let second = o.intake_payload(&truck(
        "2026-11-19T10:00:00-06:00",
        F150,
        "IH-35 northbound, Austin, TX",
        "Truck hit from behind",
        false,
    ));
    for id in [&first, &second] {
        step(o, "triage", &["--as", SUPERVISOR, "triage", id]);
    }
    step(
        o,
        "keep-separate",
        &[
            "--as",
            SUPERVISOR,
            "keep-separate",
            &second,
            "--from",
            &first,
            "--note",
            "Two stops",
        ],
    );
    step(
        o,
        "merge",
        &[
            "--as",
            SUPERVISOR,
            "merge",
            &second,
            "--into",
            &first,
            "--note",
            "One stop after all",
        ],
    );
    step(
        o,
        "unmerge",
        &[
            "--as",
            SUPERVISOR,
            "unmerge",
            &second,
            "--note",
            "Two stops: the dashcam shows both",
        ],
    );
}

fn status_of(o: &Office, id: &str) -> Status {
    o.claim_where(|c| c.id == id).1.status
}

/// Intake (CSV batch and web payload with a photo), completion, acknowledgment, triage,
/// assignment (routing and override), tasks, documents, notes, corrections and SLA events.
fn intake_to_investigation(o: &Office) {
    let (out, _) = step(
        o,
        "intake",
        &[
            "--format",
            "json",
            "intake",
            "--csv",
            &data("batch-good.csv"),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["created"].as_array().unwrap().len(), 4, "{out}");

    let (out, _) = step(
        o,
        "intake",
        &[
            "--as",
            CSR,
            "--format",
            "json",
            "intake",
            "--file",
            &data("web-auto.json"),
            "--attach",
            &data("photo-front.jpg"),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let web = report["created"][0].as_str().unwrap().to_string();
    let files = o.git_ok(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        files.contains(&format!("{web}/attachments/photo-front.jpg")),
        "{files}"
    );

    // An email notice, and the same batch again (nothing lands). Where each claim came from
    // is on the claim and in its commit's arguments, and replays with them.
    let eml = format!(
        "{}/tests/data/email/auto-plain.eml",
        env!("CARGO_MANIFEST_DIR")
    );
    step(o, "intake", &["--as", CSR, "intake", "--email", &eml]);
    let args = o.git_ok(&["log", "-1", "--format=%(trailers:key=Args,valueonly)"]);
    assert!(
        args.starts_with("--via email --source auto-plain.eml --message-id 20261103091400.4411@example.com --fingerprint sha256:"),
        "{args}"
    );
    let head = o.head();
    o.expect(0, &["intake", "--csv", &data("batch-good.csv")]);
    assert_eq!(o.head(), head, "the same batch again commits nothing");
    let (_, c) = o.claim_where(|c| c.id == web);
    let source = c.source.expect("the payload's source");
    assert_eq!(source.file.as_deref(), Some("web-auto.json"));
    assert_eq!(source.row, None);
    assert!(o
        .claims()
        .iter()
        .any(|(_, c)| c.source.as_ref().and_then(|s| s.row) == Some(5)));

    // The incomplete sample intake, one missing fact at a time, until it is reported.
    let mut missing = o.claim_where(|c| c.id == INCOMPLETE).1.missing;
    assert!(!missing.is_empty());
    while let Some(m) = missing.pop() {
        let value = match m.as_str() {
            "loss.time" => "07:45".to_string(),
            m if m.ends_with(".vin") => "4T1BB3EK5AU118081".into(),
            m if m.ends_with(".year") => "2010".into(),
            _ => "given on the call".into(),
        };
        step(
            o,
            "complete",
            &[
                "--as",
                CSR,
                "complete",
                INCOMPLETE,
                "--set",
                &format!("{m}={value}"),
            ],
        );
    }
    assert_eq!(status_of(o, INCOMPLETE), Status::Reported);

    step(
        o,
        "acknowledge",
        &[
            "--as",
            CSR,
            "acknowledge",
            &web,
            "--how",
            "Phone call to the insured; email follow-up",
        ],
    );
    assert!(o
        .claim_where(|c| c.id == web)
        .1
        .sla
        .acknowledged_at
        .is_some());

    // Triage: one named claim, then everything pending.
    step(o, "triage", &["--as", SUPERVISOR, "triage", WATER]);
    step(o, "triage", &["--as", SUPERVISOR, "triage", "--pending"]);
    assert!(o.claims().iter().all(|(_, c)| c.status != Status::Reported));

    // Assignment: routing of everything triaged, then the supervisor's override.
    step(o, "assign", &["--as", SUPERVISOR, "assign", "--pending"]);
    assert_eq!(status_of(o, WATER), Status::Assigned);
    step(
        o,
        "assign",
        &[
            "--as",
            SUPERVISOR,
            "assign",
            WATER,
            "--to",
            WEBB,
            "--reason",
            "water intrusion under slab; Webb handled the neighbour's claim",
        ],
    );
    let a = o.claim_where(|c| c.id == WATER).1.assignment.unwrap();
    assert_eq!(a.adjuster.as_deref(), Some(WEBB));

    // Tasks: done (the investigation starts), waived, added.
    step(
        o,
        "task",
        &["--as", WEBB, "task", WATER, "insured contacted", "--done"],
    );
    assert_eq!(status_of(o, WATER), Status::Investigating);
    step(
        o,
        "task",
        &[
            "--as",
            WEBB,
            "task",
            WATER,
            "mortgagee notified",
            "--waive",
            "The mortgagee was told by the insured's agent",
        ],
    );
    step(
        o,
        "task",
        &[
            "--as",
            WEBB,
            "task",
            WATER,
            "Re-inspect after the slab repair",
            "--add",
            "--due",
            "2026-12-15",
        ],
    );

    // Documents: one received with its file, one waived, one newly requested.
    let pdf = o.root.join("../estimate-acme.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 estimate").unwrap();
    step(
        o,
        "document",
        &[
            "--as",
            WEBB,
            "document",
            WATER,
            "estimate (1",
            "--received",
            "--file",
            pdf.to_str().unwrap(),
            "--on",
            "2026-11-19",
        ],
    );
    let files = o.git_ok(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        files.contains(&format!("{WATER}/attachments/estimate-acme.pdf")),
        "{files}"
    );
    step(
        o,
        "document",
        &[
            "--as",
            WEBB,
            "document",
            WATER,
            "photos",
            "--waive",
            "adjuster photographed at inspection",
        ],
    );
    step(
        o,
        "document",
        &[
            "--as",
            WEBB,
            "document",
            WATER,
            "Plumber's invoice",
            "--request",
            "--for",
            "the cause of loss",
            "--due",
            "2026-12-18",
        ],
    );

    // Keeping everyone informed: a status letter, a diary set and worked off.
    step(
        o,
        "status-update",
        &[
            "status-update",
            WATER,
            "--to",
            "insured",
            "--note",
            "The field adjuster will call you.",
        ],
    );
    step(
        o,
        "diary add",
        &[
            "diary",
            "add",
            WATER,
            "--what",
            "Review the file",
            "--in",
            "7",
            "--every",
            "7",
        ],
    );
    step(o, "diary done", &["diary", "done", WATER, "1"]);

    // Quality control: a review of the file by someone who does not handle it.
    step(
        o,
        "review",
        &[
            "--as",
            COMPLIANCE,
            "review",
            WATER,
            "--fail",
            "QC-LATE-CONTACT",
            "--note",
            "First contact after the deadline",
            "--sample",
            "seed=42 size=5",
        ],
    );

    // A note and a correction.
    step(
        o,
        "note",
        &[
            "note",
            WATER,
            "Called the insured; photos promised by Friday",
        ],
    );
    step(
        o,
        "update",
        &[
            "--as",
            CSR,
            "update",
            PROPERTY,
            "--set",
            "insured.phone=+1 312 555 0199",
            "--reason",
            "Insured gave a new number on the call",
        ],
    );

    // SLA events: an inquiry and its answer, a proof of loss.
    step(
        o,
        "inquiry",
        &[
            "inquiry",
            PROPERTY,
            "--from",
            "Gary Lindqvist (insured)",
            "--subject",
            "When will the adjuster call?",
            "--at",
            "2026-11-19 09:30",
        ],
    );
    let n = o.claim_where(|c| c.id == PROPERTY).1.sla.inquiries.len();
    step(
        o,
        "answer",
        &["answer", PROPERTY, "--inquiry", &n.to_string()],
    );
    let (_, pol) = o.claim_where(|c| {
        c.status == Status::Investigating
            && c.sla.proof_of_loss_at.is_none()
            && c.jurisdiction == "IL"
    });
    step(
        o,
        "proof-of-loss",
        &[
            "proof-of-loss",
            &pol.id,
            "--at",
            "2026-11-20T08:00:00-06:00",
        ],
    );
}

/// Reserves (effective and pending, approved), payments, a settlement through negotiation,
/// release, close and subrogation.
fn money(o: &Office) {
    step(
        o,
        "reserve",
        &[
            "--as",
            STAFF,
            "reserve",
            AUTO,
            "--amount",
            "9950.00",
            "--reason",
            "new_information",
            "--note",
            "Repair estimate and storage invoices received",
        ],
    );
    step(
        o,
        "reserve",
        &[
            "--as",
            STAFF,
            "reserve",
            AUTO,
            "--amount",
            "45000.00",
            "--reason",
            "other",
            "--note",
            "Rental and storage mounting",
        ],
    );
    // The pending reserve, then the sample's pending settlement.
    step(
        o,
        "approve",
        &[
            "--as",
            SENIOR,
            "approve",
            AUTO,
            "--note",
            "Storage invoices seen",
        ],
    );
    let (_, err) = step(o, "approve", &["--as", SENIOR, "approve", AUTO]);
    assert!(err.contains("settlement 9787.88"), "{err}");
    step(
        o,
        "pay",
        &[
            "--as",
            STAFF,
            "pay",
            AUTO,
            "--amount",
            "500.00",
            "--for",
            "vehicle",
            "--payee",
            "Laura Novak",
            "--method",
            "ach",
            "--reference",
            "ACH-7781",
        ],
    );

    // The commercial auto claim from coverage acceptance and reserve to subrogation.
    step(
        o,
        "accept",
        &[
            "--as",
            SENIOR,
            "accept",
            COMMERCIAL,
            "--at",
            "2026-11-20 09:30",
        ],
    );
    with_approval(
        o,
        SENIOR,
        "reserve",
        &[
            "reserve",
            COMMERCIAL,
            "--amount",
            "12000.00",
            "--reason",
            "new_information",
            "--note",
            "ER bill 2,850.00 and six weeks of physical therapy",
        ],
        COMMERCIAL,
    );
    // A demand before any settlement; the settlement calculated, then revised to the figure
    // agreed with the claimant, each through the settlement authority.
    step(
        o,
        "negotiate",
        &[
            "--as",
            SENIOR,
            "negotiate",
            COMMERCIAL,
            "--kind",
            "demand",
            "--party",
            "Christine Yates",
            "--amount",
            "15000.00",
            "--on",
            "2026-11-19",
        ],
    );
    with_approval(
        o,
        SENIOR,
        "settle",
        &[
            "settle",
            COMMERCIAL,
            "--basis",
            "injury",
            "--medical",
            "4200.00",
            "--general-damages",
            "5800.00",
        ],
        COMMERCIAL,
    );
    with_approval(
        o,
        SENIOR,
        "negotiate",
        &[
            "negotiate",
            COMMERCIAL,
            "--kind",
            "agreed",
            "--party",
            "Christine Yates",
            "--amount",
            "10500.00",
            "--note",
            "Accepted by phone",
        ],
        COMMERCIAL,
    );
    with_approval(
        o,
        SENIOR,
        "pay",
        &[
            "pay",
            COMMERCIAL,
            "--amount",
            "10500.00",
            "--for",
            "bodily_injury",
            "--payee",
            "Christine Yates",
            "--method",
            "check",
            "--reference",
            "CHK-2201",
        ],
        COMMERCIAL,
    );
    step(
        o,
        "update",
        &[
            "--as",
            SENIOR,
            "update",
            COMMERCIAL,
            "--set",
            "auto.injured[0].address=4417 Wedgmont Circle, Fort Worth, TX 76133",
            "--reason",
            "Claimant gave her address on the call",
        ],
    );
    step(o, "release", &["--as", SENIOR, "release", COMMERCIAL]);
    step(
        o,
        "release",
        &[
            "--as",
            SENIOR,
            "release",
            COMMERCIAL,
            "--signed-by",
            "Christine Yates",
            "--on",
            "2026-11-20",
        ],
    );
    step(
        o,
        "close",
        &[
            "--as",
            SENIOR,
            "close",
            COMMERCIAL,
            "--waive",
            "Contact the injured claimant within 24 hours=Settled through counsel",
            "--waive",
            "Recorded statement of the employee driver=Liability accepted",
            "--waive",
            "Order the police report=Not needed after settlement",
        ],
    );
    assert_eq!(status_of(o, COMMERCIAL), Status::Closed);
    step(
        o,
        "subrogation",
        &[
            "--as",
            SENIOR,
            "subrogation",
            COMMERCIAL,
            "--target",
            "Lone Star Freight LLC",
            "--carrier",
            "Progressive Commercial",
        ],
    );
}

/// A claim closed without payment, with its reason, and reopened.
fn closing(o: &Office) {
    step(
        o,
        "close",
        &[
            "--as",
            WEBB,
            "close",
            WATER,
            "--without-payment",
            "no_damages",
            "--note",
            "The plumber found a failed supply line; no damage to the slab or the finishes",
        ],
    );
    assert_eq!(status_of(o, WATER), Status::Closed);
    step(
        o,
        "reopen",
        &[
            "--as",
            SUPERVISOR,
            "reopen",
            WATER,
            "--reason",
            "supplemental_damage",
            "--note",
            "Mold found behind the vanity",
        ],
    );
    assert_eq!(status_of(o, WATER), Status::Investigating);
}

/// The denial path: the sample's recommended denial approved with `approve`, written and
/// delivered; a new recommendation reviewed by compliance and approved with `deny approve`.
fn denials(o: &Office) {
    step(
        o,
        "approve",
        &[
            "--as",
            SUPERVISOR,
            "approve",
            RECOMMENDED,
            "--note",
            "Cancellation confirmed",
        ],
    );
    assert_eq!(status_of(o, RECOMMENDED), Status::DenialApproved);
    step(
        o,
        "deny letter",
        &["deny", "letter", RECOMMENDED, "--method", "certified-mail"],
    );
    step(
        o,
        "deny deliver",
        &[
            "deny",
            "deliver",
            RECOMMENDED,
            "--to",
            "insured",
            "--tracking",
            "9407111899562481759999",
        ],
    );
    // The denial letter's delivery through `letter deliver` is the denial's own: it denies.
    step(
        o,
        "letter deliver",
        &[
            "letter",
            "deliver",
            RECOMMENDED,
            "letters/denial.txt",
            "--to",
            "agent",
            "--message-id",
            "<CLM-2610-RBZJ-DXFA.denial@harborpoint.example>",
        ],
    );
    assert_eq!(status_of(o, RECOMMENDED), Status::Denied);
    // Reinvestigation: the denial reopened by a supervisor.
    step(
        o,
        "reopen",
        &[
            "--as",
            SUPERVISOR,
            "reopen",
            RECOMMENDED,
            "--reason",
            "reinvestigation",
            "--note",
            "The insured disputes the cancellation date",
        ],
    );
    assert_eq!(status_of(o, RECOMMENDED), Status::Investigating);

    step(
        o,
        "deny recommend",
        &[
            "--as", SUPERVISOR, "deny", "recommend", FALL, "--trigger", "condition_cooperation",
            "--provision", "GL-IV2", "--explanation",
            "The insured refused three written requests for the surveillance video and the cleaning log.",
        ],
    );
    step(
        o,
        "deny review",
        &[
            "--as",
            COMPLIANCE,
            "deny",
            "review",
            FALL,
            "--note",
            "Counsel concurs; cooperation clause breach documented",
        ],
    );
    step(
        o,
        "deny approve",
        &["--as", MANAGER, "deny", "approve", FALL],
    );
    assert_eq!(status_of(o, FALL), Status::DenialApproved);
}

/// `text` with `email`'s role changed from `from` to `to`.
fn change_role(text: &str, email: &str, from: &str, to: &str) -> String {
    let at = text.find(&format!("- email: {email}")).unwrap();
    let changed = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen(&format!("role: {from}"), &format!("role: {to}"), 1)
    );
    assert_ne!(changed, text);
    changed
}

/// The id of the only proposal waiting.
fn waiting_proposal(o: &Office) -> String {
    let (list, _) = o.expect(0, &["--format", "json", "authority", "proposals"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    list[0]["id"].as_str().unwrap().to_string()
}

/// Key rotation, a setting that takes effect at once, a governed change rejected and one
/// approved by a second manager.
fn governance(o: &Office) {
    let (_, err) = step(
        o,
        "keys rotate",
        &["--as", STAFF, "keys", "rotate", "--generate"],
    );
    assert!(err.contains("now signs with"), "{err}");
    step(
        o,
        "note",
        &["--as", STAFF, "note", AUTO, "Signed with the rotated key"],
    );

    let original = o.read("authority.yaml");
    let settings = original.replacen("phone: (214) 555-0140", "phone: (214) 555-0141", 1);
    assert_ne!(settings, original);
    std::fs::write(o.root.join("authority.yaml"), &settings).unwrap();
    step(
        o,
        "authority propose",
        &["authority", "propose", "--reason", "New switchboard number"],
    );
    assert_eq!(o.read("authority.yaml"), settings, "in effect at once");

    // A governed change, withdrawn by its proposer.
    let promote_tyler = change_role(&settings, CSR2, "csr", "staff_adjuster");
    std::fs::write(o.root.join("authority.yaml"), &promote_tyler).unwrap();
    let (_, err) = step(
        o,
        "authority propose",
        &[
            "authority",
            "propose",
            "--reason",
            "Tyler passed his adjuster licence",
        ],
    );
    assert!(err.contains("waits for a second manager"), "{err}");
    assert_eq!(o.read("authority.yaml"), settings, "not in effect yet");
    let id = waiting_proposal(o);
    step(
        o,
        "authority reject",
        &[
            "authority",
            "reject",
            &id,
            "--reason",
            "The licence is not issued yet",
        ],
    );
    assert_eq!(o.read("authority.yaml"), settings);

    // A governed change, approved by the committee (the second manager).
    let promote_maria = change_role(&settings, CSR, "csr", "staff_adjuster");
    std::fs::write(o.root.join("authority.yaml"), &promote_maria).unwrap();
    step(
        o,
        "authority propose",
        &[
            "authority",
            "propose",
            "--reason",
            "Maria passed her adjuster licence",
        ],
    );
    let id = waiting_proposal(o);
    step(
        o,
        "authority approve",
        &[
            "--as",
            COMMITTEE,
            "authority",
            "approve",
            &id,
            "--note",
            "Licence seen",
        ],
    );
    assert_eq!(
        o.read("authority.yaml"),
        promote_maria,
        "exactly as proposed"
    );
}

#[test]
fn every_command_that_changes_records_replays_in_the_audit() {
    let o = Office::example();
    intake_to_investigation(&o);
    money(&o);
    closing(&o);
    denials(&o);
    governance(&o);
    duplicates(&o);
    // The office refiled by shard, and a change after it lands in the new folders.
    step(
        &o,
        "migrate",
        &["--as", MANAGER, "migrate", "--to", "shard"],
    );
    step(
        &o,
        "note",
        &["--as", SUPERVISOR, "note", PROPERTY, "Refiled by shard"],
    );
    o.expect(0, &["check"]);

    let (json, err) = o.full_audit_json();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["errors"], 0, "{json}\n{err}");
    let verdicts = report["verdicts"].as_array().unwrap();
    let mut replayed: BTreeMap<&str, usize> = BTreeMap::new();
    for v in verdicts {
        let verdict = v["verdict"].as_str().unwrap();
        match v["command"].as_str() {
            Some("init") => assert_eq!(verdict, "founding", "{v}"),
            Some(command) => {
                assert_eq!(verdict, "replayed", "{v}\n{err}");
                *replayed.entry(command).or_default() += 1;
            }
            None => panic!("a commit the tool did not make: {v}"),
        }
    }
    let commits = o.git_ok(&["rev-list", "--count", "HEAD"]);
    assert_eq!(
        verdicts.len(),
        commits.trim().parse::<usize>().unwrap(),
        "a verdict for every commit"
    );
    for name in Command::NAMES {
        assert!(
            replayed.contains_key(name),
            "no `{name}` commit replayed: {replayed:?}"
        );
    }
    assert!(
        replayed.keys().all(|k| Command::NAMES.contains(k)),
        "{replayed:?}"
    );
    o.assert_sound();
}
