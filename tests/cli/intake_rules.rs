//! The rules of the trade intake keeps, whatever the channel (issue 17): a record intake
//! writes is one `claims check` accepts; an email is read for what it says — forwarded,
//! denied, addressed to whom — and waits for the CSR rather than being refused; a VIN says
//! its model year; glass only has one meaning; the batch can say what the web form says.

use std::path::{Path, PathBuf};

use crate::common::people::{CSR, MANAGER, SUPERVISOR};
use crate::common::Office;
use claims::domain::claim::{Channel, Claim};
use claims::domain::lifecycle::Status;

fn clients(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/email/clients")
        .join(name)
}

/// Writes `text` beside the office and returns its path.
fn file(o: &Office, name: &str, text: &str) -> String {
    let path = o.root.join("..").join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The created ids of a `--format json` intake report, and its warnings and errors as lines
/// after stderr.
fn report(out: &str, err: &str) -> (Vec<String>, String) {
    let report: serde_json::Value = serde_json::from_str(out).unwrap();
    let created = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let mut said = err.to_string();
    for kind in ["warnings", "errors"] {
        for w in report[kind].as_array().unwrap() {
            said.push_str(&format!("\n{kind}: {}", w["message"].as_str().unwrap()));
        }
    }
    (created, said)
}

/// `claims --format json intake ARGS` as the CSR: (created ids, what it said).
fn intake(o: &Office, code: i32, args: &[&str]) -> (Vec<String>, String) {
    let mut full = vec!["--as", CSR, "--format", "json", "intake"];
    full.extend_from_slice(args);
    let (out, err) = o.expect(code, &full);
    report(&out, &err)
}

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

/// The phone script of tests/cli/intake.rs, an auto claim with one vehicle, one other party,
/// one injured person and one witness, with the policy number, state and model year given.
fn phone_answers(policy: &str, state: &str, year: &str) -> Vec<String> {
    [
        "Ann Smith",
        "(312) 555-0134",
        "insured",
        policy,
        state,
        "11/10/2026",
        "5:30 pm",
        "N Clark St & W Division St, Chicago, IL",
        "Rear-ended at a red light",
        "CPD-26-118877",
        "1",
        year,
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
    ]
    .map(String::from)
    .to_vec()
}

/// Runs the phone script with piped answers: (the new claim's id, what it said).
fn phone(o: &Office, answers: &[String]) -> (String, String) {
    let out = o.piped(
        &[
            "--as",
            CSR,
            "--format",
            "json",
            "intake",
            "--interactive",
            "--lob",
            "personal_auto",
        ],
        (answers.join("\n") + "\n").as_bytes(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    let (ids, said) = report(&String::from_utf8_lossy(&out.stdout), &stderr);
    (ids[0].clone(), said)
}

fn email(from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: claims@harborpoint.example\r\nSubject: {subject}\r\nDate: Wed, 18 Nov 2026 08:30:00 -0600\r\nMessage-ID: <t-{}@x.example>\r\n\r\n{}\r\n",
        subject.len(),
        body.replace('\n', "\r\n")
    )
}

#[test]
fn a_report_whose_line_differs_from_its_policy_is_refused_on_a_form_and_held_for_manual_lookup_on_a_call_or_an_email(
) {
    let o = Office::example();
    // A policy whose number does not tell its line, as many carriers number them.
    let home = o
        .read("policies/HO-TX-2026-60254.yaml")
        .replace("HO-TX-2026-60254", "LP-77120");
    std::fs::write(o.root.join("policies/LP-77120.yaml"), home).unwrap();
    o.commit_as(MANAGER, "policies: LP-77120 (a homeowners policy)");
    let base = o.head();

    // The web form: refused, naming the field, nothing written.
    let payload = file(
        &o,
        "property-on-auto-policy.json",
        r#"{"lob": "property", "policy_number": "PAU-TX-2026-10482",
            "loss": {"date": "2026-11-15", "description": "Hail broke the skylight"},
            "property": {"discovered_on": "2026-11-15", "loss_type": "wind",
                         "property_address": "4821 Preston Meadow Drive, Plano, TX 75093",
                         "damage_description": "skylight", "emergency_repairs_needed": false,
                         "public_adjuster": false, "mortgagee": "none"}}"#,
    );
    let (_, err) = o.expect(1, &["intake", "--file", &payload]);
    assert!(
        err.contains(
            "lob: the report says property but policy PAU-TX-2026-10482 is a personal_auto policy"
        ),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");

    // The batch: refused, naming row and column.
    let csv = file(
        &o,
        "mismatch.csv",
        "lob,policy_number,loss_date,loss_description,discovered_on,loss_type,property_address,damage_description,emergency_repairs_needed,public_adjuster,mortgagee\n\
         property,PAU-IL-2026-20931,2026-11-15,Hail,2026-11-15,wind,\"1318 Hobson Mill Drive, Naperville, IL\",roof,N,N,none\n",
    );
    let (_, err) = o.expect(1, &["intake", "--csv", &csv]);
    assert!(
        err.contains("row 2, column lob: the report says property"),
        "{err}"
    );
    assert_eq!(o.head(), base, "nothing written");

    // The phone call and the email are notices to keep: held for manual lookup, not filed
    // under the other line's policy.
    let (by_phone, err) = phone(&o, &phone_answers("HO-TX-2026-60254", "il", "2010"));
    assert!(err.contains("Manual lookup"), "{err}");
    let mail = file(
        &o,
        "car-on-home-policy.eml",
        &email(
            "Rick Hartman <rick@mailbox.example>",
            "Car accident",
            "My car was rear-ended on Route 9 in Frisco, TX yesterday. Policy LP-77120.\nYou can reach me at 469-555-0107.",
        ),
    );
    let (by_email, err) = intake(&o, 0, &["--email", &mail]);
    assert!(err.contains("Manual lookup"), "{err}");
    for id in [&by_phone, &by_email[0]] {
        let c = claim(&o, id);
        assert_eq!(c.status, Status::Incomplete, "{id}");
        assert_eq!(c.lob, claims::domain::claim::LineOfBusiness::PersonalAuto);
        assert_eq!(c.policy_number, None, "{id}");
        assert!(
            c.notes.iter().any(|n| n.text.contains("Manual lookup")),
            "{:?}",
            c.notes
        );
    }
    o.expect(0, &["check"]);

    // The CSR finds the right policy; a wrong one is still refused.
    let (_, err) = o.expect(
        1,
        &["complete", &by_email[0], "--set", "policy_number=LP-77120"],
    );
    assert!(err.contains("R003"), "{err}");
    o.expect(
        0,
        &[
            "--as",
            CSR,
            "complete",
            &by_email[0],
            "--set",
            "policy_number=PAU-TX-2026-10482",
        ],
    );
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn an_email_whose_policy_is_unknown_or_whose_state_is_only_in_the_text_becomes_an_incomplete_claim_in_the_csr_queue(
) {
    let o = Office::example();
    let base = o.head();
    // Forwarded by the agent (Gmail): policy not on file, the state only in "Austin, TX".
    let (ids, err) = intake(
        &o,
        0,
        &["--email", clients("fwd-inline-gmail.eml").to_str().unwrap()],
    );
    assert!(err.contains("HO-5551209 is not on file"), "{err}");
    let c = claim(&o, &ids[0]);
    assert_eq!(c.status, Status::Incomplete);
    assert_eq!(c.jurisdiction, "TX");
    assert_eq!(c.policy_number.as_deref(), Some("HO-5551209"));
    assert_eq!(
        c.reporter.as_ref().unwrap().name.as_deref(),
        Some("Ray Dorsey")
    );
    // Nothing that tells the state, nor a policy: still a claim to complete.
    let mail = file(
        &o,
        "no-state.eml",
        &email(
            "Pat Moore <pat@mailbox.example>",
            "Water in the basement",
            "A pipe burst in our basement last night and the carpet is soaked. I don't have my policy number handy.\n\nPat Moore",
        ),
    );
    let (more, _) = intake(&o, 0, &["--email", &mail]);
    let c = claim(&o, &more[0]);
    assert_eq!(c.status, Status::Incomplete);
    assert_eq!(c.jurisdiction, "");
    assert!(
        c.missing.contains(&"jurisdiction".to_string()),
        "{:?}",
        c.missing
    );
    assert!(
        c.missing.contains(&"policy_number".to_string()),
        "{:?}",
        c.missing
    );
    let (queue, _) = o.expect(0, &["queue", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&queue).unwrap();
    for id in [&ids[0], &more[0]] {
        assert!(
            rows.as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == id.as_str()),
            "{id} not in the CSR queue: {queue}"
        );
    }
    assert!(queue.contains("jurisdiction"), "{queue}");
    assert_eq!(
        o.git_ok(&["rev-list", "--count", &format!("{base}..HEAD")])
            .trim(),
        "2"
    );
    o.expect(0, &["check"]);
    // The CSR completes the state as typed.
    o.expect(
        0,
        &[
            "--as",
            CSR,
            "complete",
            &more[0],
            "--set",
            "jurisdiction=tx",
        ],
    );
    assert_eq!(claim(&o, &more[0]).jurisdiction, "TX");
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// Messages written by Python's `email` package the way mail clients write them: forwarded
/// as an attachment (Thunderbird), forwarded inline (Gmail), Latin-1 quoted-printable, and
/// Outlook's HTML with an inline image.
#[test]
fn emails_written_by_real_mail_clients_are_read_for_their_writers_facts() {
    let o = Office::example();
    let inbox = o.root.parent().unwrap().join("client-inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    for f in [
        "fwd-attached-rfc822.eml",
        "fwd-inline-gmail.eml",
        "wc-latin1-qp.eml",
        "glass-outlook-related.eml",
    ] {
        std::fs::copy(clients(f), inbox.join(f)).unwrap();
    }
    let (ids, _) = intake(&o, 0, &["--email", inbox.to_str().unwrap()]);
    assert_eq!(ids.len(), 4);
    let claims: Vec<Claim> = ids.iter().map(|id| claim(&o, id)).collect();
    let by_policy = |n: &str| {
        claims
            .iter()
            .find(|c| c.policy_number.as_deref() == Some(n))
            .unwrap_or_else(|| panic!("no claim under {n}"))
    };
    for c in &claims {
        assert_eq!(c.channel, Channel::Email);
        assert_eq!(c.status, Status::Incomplete);
    }

    // Forwarded as an attachment: the insured wrote it; the agent passed it on.
    let fwd = by_policy("PAU-IL-2026-20931");
    let reporter = fwd.reporter.as_ref().unwrap();
    assert_eq!(reporter.name.as_deref(), Some("Laura Novak"));
    assert_eq!(reporter.phone.as_deref(), Some("630-555-0123"));
    assert_eq!(fwd.loss.date.unwrap().to_string(), "2026-11-15");
    let auto = fwd.auto.as_ref().unwrap();
    assert!(auto.injured.is_empty(), "nobody was hurt");
    assert_eq!(
        auto.other_parties[0].contact.as_deref(),
        Some("630-555-0188")
    );
    assert!(fwd
        .notes
        .iter()
        .any(|n| n.text.contains("Forwarded by Daniel Kowalski")));
    assert!(fwd
        .attachments
        .iter()
        .any(|a| a.file.ends_with("Accident-on-Ogden-Ave.eml")));

    // Latin-1 quoted-printable from an employer: the employee as written.
    let wc = by_policy("WC-TX-2026-30118");
    let e = wc.workers_comp.as_ref().unwrap().employee.as_ref().unwrap();
    assert_eq!(e.name.as_deref(), Some("José Peña"));
    assert_eq!(e.id.as_deref(), Some("E-2207"));
    assert_eq!(e.job_title.as_deref(), Some("Sheet metal installer"));

    // Outlook, HTML with its inline image: a glass loss, the image kept.
    let glass = by_policy("PAU-TX-2026-10482");
    assert!(glass.is_glass_only());
    assert!(glass
        .attachments
        .iter()
        .any(|a| a.file == "attachments/image001.png"));
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// The same windshield, reported three ways, is one kind of claim: glass only, low priority,
/// and in Texas (a vendor-direct state) sent to the glass vendor.
#[test]
fn the_same_glass_loss_by_csv_payload_or_email_is_routed_to_the_glass_vendor() {
    let payload = r#"{"lob": "personal_auto", "policy_number": "PAU-TX-2026-10482",
        "reporter": {"name": "Sandra Whitaker", "relationship": "insured", "phone": "(972) 555-0186"},
        "loss": {"date": "2026-11-16", "time": "16:30",
                 "location": "US-75 southbound near Spring Creek Parkway, Plano, TX",
                 "description": "A rock from a gravel truck cracked the windshield"},
        "auto": {"glass_only": true,
                 "vehicles": [{"year": 2013, "make": "Jeep", "model": "Wrangler",
                               "vin": "1C4GJWAG3DL544796", "damage": "windshield crack"}]}}"#;
    let csv = "lob,policy_number,reporter_name,reporter_phone,loss_date,loss_time,loss_location,loss_description,loss_cause,vehicle1_year,vehicle1_make,vehicle1_model,vehicle1_vin,vehicle1_damage\n\
        personal_auto,PAU-TX-2026-10482,Sandra Whitaker,(972) 555-0186,2026-11-16,16:30,\"US-75 southbound near Spring Creek Parkway, Plano, TX\",A rock from a gravel truck cracked the windshield,glass,2013,Jeep,Wrangler,1C4GJWAG3DL544796,windshield crack\n";
    for channel in ["payload", "csv", "email"] {
        let o = Office::example();
        let id = match channel {
            "payload" => intake(&o, 0, &["--file", &file(&o, "glass.json", payload)]).0,
            "csv" => intake(&o, 0, &["--csv", &file(&o, "glass.csv", csv)]).0,
            _ => {
                let ids = intake(
                    &o,
                    0,
                    &[
                        "--email",
                        clients("glass-outlook-related.eml").to_str().unwrap(),
                    ],
                )
                .0;
                // Held for the CSR, who finds nothing missing.
                assert!(claim(&o, &ids[0]).missing.is_empty(), "{channel}");
                o.expect(0, &["--as", CSR, "complete", &ids[0]]);
                ids
            }
        }
        .remove(0);
        let c = claim(&o, &id);
        assert!(c.is_glass_only(), "{channel}: glass only");
        assert_eq!(c.loss.cause.as_deref(), Some("glass"), "{channel}");
        o.expect(0, &["--as", SUPERVISOR, "triage", &id]);
        assert_eq!(
            claim(&o, &id).triage.unwrap().priority,
            claims::domain::claim::Priority::Low,
            "{channel}"
        );
        o.expect(0, &["--as", SUPERVISOR, "assign", &id]);
        let a = claim(&o, &id).assignment.unwrap();
        assert_eq!(
            (a.destination.as_str(), a.handler.as_deref()),
            ("vendor", Some("ClearView Glass Network")),
            "{channel}: {a:?}"
        );
        assert_eq!(a.rule.as_deref(), Some("glass"), "{channel}");
        o.expect(0, &["check"]);
        o.assert_sound();
    }
}

#[test]
fn a_vin_whose_model_year_is_not_the_reported_year_is_warned_about_in_every_channel() {
    let o = Office::example();
    let warned = |err: &str, id: &str, vin: &str, decoded: &str, reported: &str| {
        let said = format!("VIN {vin} is model year {decoded}");
        assert!(err.contains(&said), "{err}");
        assert!(
            err.contains(&format!("not the reported {reported}")),
            "{err}"
        );
        let c = claim(&o, id);
        assert!(
            c.notes.iter().any(|n| n.text.contains(&said)),
            "{id}: {:?}",
            c.notes
        );
    };
    // The web form and the batch: a 2013 Jeep reported as a 2015.
    let payload = file(
        &o,
        "jeep.json",
        r#"{"lob": "personal_auto", "policy_number": "PAU-TX-2026-10482",
            "loss": {"date": "2026-11-12", "time": "08:10", "location": "Preston Rd, Plano, TX",
                     "description": "Backed into a post", "cause": "collision"},
            "auto": {"vehicles": [{"year": 2015, "make": "Jeep", "model": "Wrangler",
                                   "vin": "1C4GJWAG3DL544796", "damage": "tailgate"}]}}"#,
    );
    let (ids, err) = intake(&o, 0, &["--file", &payload]);
    warned(&err, &ids[0], "1C4GJWAG3DL544796", "2013", "2015");
    let csv = file(
        &o,
        "jeep.csv",
        "lob,policy_number,loss_date,loss_time,loss_location,loss_description,vehicle1_year,vehicle1_make,vehicle1_model,vehicle1_vin,vehicle1_damage\n\
         personal_auto,PAU-TX-2026-10482,2026-11-09,09:00,\"Preston Rd, Plano, TX\",Hit a post,2015,Jeep,Wrangler,1C4GJWAG3DL544796,tailgate\n",
    );
    let (ids, err) = intake(&o, 0, &["--csv", &csv]);
    warned(&err, &ids[0], "1C4GJWAG3DL544796", "2013", "2015");
    // The email.
    let mail = file(
        &o,
        "jeep.eml",
        &email(
            "Sandra Whitaker <sandra.whitaker@mailbox.example>",
            "Fender bender",
            "My 2015 Jeep Wrangler, VIN 1C4GJWAG3DL544796, was hit in a parking lot yesterday. Policy PAU-TX-2026-10482.",
        ),
    );
    let (ids, err) = intake(&o, 0, &["--email", &mail]);
    warned(&err, &ids[0], "1C4GJWAG3DL544796", "2013", "2015");
    // The phone: a 2010 Camry given as a 2011.
    let (id, err) = phone(&o, &phone_answers("PAU-IL-2026-20931", "il", "2011"));
    warned(&err, &id, "4T1BB3EK5AU118081", "2010", "2011");
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// A CSV row with the columns beyond the required ones gives the very claim the web form
/// gives for the same report.
#[test]
fn a_csv_row_can_say_every_fact_the_web_form_can_say() {
    let o = Office::example();
    let payload = file(
        &o,
        "full.json",
        r#"{"channel": "web", "lob": "general_liability", "policy_number": "GL-NY-2026-80412",
            "received_at": "2026-11-19T16:45:00-06:00",
            "insured": {"name": "Hudson Valley Fitness LLC", "organization": "Hudson Valley Fitness LLC",
                        "address": "45 Main St, Beacon, NY 12508"},
            "agent": {"name": "Rachel Stein", "email": "rstein@agency.example"},
            "reporter": {"name": "Mia Chen", "organization": "Hudson Valley Fitness LLC",
                         "relationship": "manager", "phone": "(845) 555-0150",
                         "email": "mia@hvfitness.example", "address": "45 Main St, Beacon, NY"},
            "loss": {"date": "2026-11-18", "time": "18:05", "location": "Pool deck",
                     "description": "A member slipped on the wet deck", "cause": "slip_and_fall",
                     "keywords": ["wet floor", "fracture"]},
            "liability": {"claim_received_on": "2026-11-19",
                          "claimant": {"name": "Dana Kim", "phone": "(914) 555-0111",
                                       "email": "dana@mail.example", "address": "9 Elm St, Cold Spring, NY",
                                       "relationship": "member", "organization": "Kim Design"},
                          "allegation": "No wet-floor sign; broken wrist",
                          "represented": true,
                          "attorney": {"name": "Lee Park", "organization": "Park & Rowe LLP",
                                       "phone": "(212) 555-0100", "email": "lpark@parkrowe.example",
                                       "address": "1 Broadway, New York, NY", "relationship": "counsel"},
                          "prior_notice": false, "litigation": false, "bodily_injury": true},
            "notes": ["Photos of the deck to follow"]}"#,
    );
    let csv = file(
        &o,
        "full.csv",
        "channel,lob,policy_number,received_at,insured_name,insured_organization,insured_address,agent_name,agent_email,reporter_name,reporter_organization,reporter_relationship,reporter_phone,reporter_email,reporter_address,loss_date,loss_time,loss_location,loss_description,loss_cause,loss_keywords,claim_received_on,claimant_name,claimant_phone,claimant_email,claimant_address,claimant_relationship,claimant_organization,allegation,represented,attorney_name,attorney_organization,attorney_phone,attorney_email,attorney_address,attorney_relationship,prior_notice,litigation,bodily_injury,notes\n\
         web,general_liability,GL-NY-2026-80412,2026-11-19T16:45:00-06:00,Hudson Valley Fitness LLC,Hudson Valley Fitness LLC,\"45 Main St, Beacon, NY 12508\",Rachel Stein,rstein@agency.example,Mia Chen,Hudson Valley Fitness LLC,manager,(845) 555-0150,mia@hvfitness.example,\"45 Main St, Beacon, NY\",2026-11-18,18:05,Pool deck,A member slipped on the wet deck,slip_and_fall,wet floor; fracture,2026-11-19,Dana Kim,(914) 555-0111,dana@mail.example,\"9 Elm St, Cold Spring, NY\",member,Kim Design,No wet-floor sign; broken wrist,Y,Lee Park,Park & Rowe LLP,(212) 555-0100,lpark@parkrowe.example,\"1 Broadway, New York, NY\",counsel,N,N,Y,Photos of the deck to follow\n",
    );
    let (web, _) = intake(&o, 0, &["--file", &payload]);
    let (batch, _) = intake(&o, 0, &["--csv", &csv]);
    let (a, b) = (claim(&o, &web[0]), claim(&o, &batch[0]));
    assert_eq!(a.channel, b.channel);
    assert_eq!(a.received_at, b.received_at);
    assert_eq!(a.insured, b.insured);
    assert_eq!(a.agent, b.agent);
    assert_eq!(a.reporter, b.reporter);
    assert_eq!(a.loss, b.loss);
    assert_eq!(a.liability, b.liability);
    assert_eq!(
        a.notes.iter().map(|n| &n.text).collect::<Vec<_>>(),
        b.notes.iter().map(|n| &n.text).collect::<Vec<_>>()
    );
    let attorney = b.liability.as_ref().unwrap().attorney.as_ref().unwrap();
    assert_eq!(attorney.organization.as_deref(), Some("Park & Rowe LLP"));
    assert_eq!(b.received_at.to_rfc3339(), "2026-11-19T16:45:00-06:00");
    o.expect(0, &["check"]);
    o.assert_sound();
}
