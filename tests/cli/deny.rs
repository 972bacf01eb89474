use crate::common::people::{COMPLIANCE, MANAGER, RECOMMENDER, SUPERVISOR};
use crate::common::Office;
use claims::domain::lifecycle::Status;

const WATER_CLAIM: &str = "CLM-2610-RBZJ-DXFA"; // denial recommended by sokafor (NY)
const FALL_CLAIM: &str = "CLM-2610-8XQQ-T1SD"; // investigating; represented, bodily injury (NY)

fn status_of(o: &Office, id: &str) -> Status {
    o.claim_where(|c| c.id == id).1.status
}

#[test]
fn recommended_denial_is_approved_written_delivered_and_closed_with_retention() {
    let o = Office::example();
    // The recommender's role cannot approve denials at all.
    let before = o.head();
    let (_, err) = o.expect(1, &["--as", RECOMMENDER, "deny", "approve", WATER_CLAIM]);
    assert!(err.contains("may not approve denials"), "{err}");
    assert_eq!(o.head(), before, "nothing committed");

    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "deny",
            "approve",
            WATER_CLAIM,
            "--note",
            "Cancellation confirmed",
        ],
    );
    assert_eq!(status_of(&o, WATER_CLAIM), Status::DenialApproved);
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Command: deny approve"), "{trailers}");
    assert!(trailers.contains(&format!("Recommended-By: {RECOMMENDER}")));

    // Delivery before the letter exists is refused.
    let (_, err) = o.expect(
        1,
        &[
            "deny",
            "deliver",
            WATER_CLAIM,
            "--to",
            "insured",
            "--tracking",
            "9407 1118 9956",
        ],
    );
    assert!(err.contains("write the denial letter first"), "{err}");

    o.expect(
        0,
        &["deny", "letter", WATER_CLAIM, "--method", "certified-mail"],
    );
    let rel = format!("claims/2026/10/{WATER_CLAIM}/letters/denial.txt");
    let letter = o.read(&rel);
    for element in [
        "Certified mail, return receipt requested",
        "Dear Benjamin Adler:",
        // the loss as reported
        "The supply line to the second-floor toilet burst overnight",
        // the provision: section, page and language, from the policy file
        "Sections I and II - Conditions, C.5 Cancellation (page 19)",
        "coverage ends at 12:01 a.m. on the cancellation date",
        // why it is not covered
        "The water loss of 2026-10-14 occurred after coverage ended.",
        // the right to reinvestigation, and the NY department's contact
        "Right to reinvestigation",
        "New York State Department of Financial Services, Consumer Assistance Unit",
        "1-800-342-3736",
        // the handling adjuster
        "Samuel Okafor",
        "(214) 555-0174",
        "cc: Rachel Stein, Empire Brokerage Associates",
    ] {
        assert!(
            letter.contains(element),
            "letter lacks `{element}`:\n{letter}"
        );
    }
    let claim = o.claim_where(|c| c.id == WATER_CLAIM).1;
    assert_eq!(
        claim.denial.as_ref().unwrap().letter.as_deref(),
        Some("letters/denial.txt")
    );

    o.expect(
        0,
        &[
            "deny",
            "deliver",
            WATER_CLAIM,
            "--to",
            "insured",
            "--tracking",
            "9407111899562481759999",
        ],
    );
    // The agent has not had it yet: approved, not yet denied.
    assert_eq!(status_of(&o, WATER_CLAIM), Status::DenialApproved);
    o.expect(
        0,
        &[
            "deny",
            "deliver",
            WATER_CLAIM,
            "--to",
            "agent",
            "--message-id",
            "<CLM-2610-RBZJ-DXFA.denial@harborpoint.example>",
        ],
    );
    let claim = o.claim_where(|c| c.id == WATER_CLAIM).1;
    assert_eq!(claim.status, Status::Denied);
    let d = claim.denial.unwrap();
    assert_eq!(d.delivery.len(), 2);
    // NY: the office keeps denied files 8 years (authority.yaml), from the delivery date.
    assert_eq!(d.retention_until.unwrap().to_string(), "2034-11-20");
    assert!(claim.sla.coverage_decided_at.is_some());

    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn self_approval_is_refused_and_a_required_review_comes_first() {
    let o = Office::example();
    // A supervisor recommends: the claimant is represented and injured.
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SUPERVISOR,
            "deny",
            "recommend",
            FALL_CLAIM,
            "--trigger",
            "condition_notice",
            "--provision",
            "GL-IV2",
            "--explanation",
            "Notice came too late.",
        ],
    );
    assert!(err.contains("within the policy's 30-day window"), "{err}");
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SUPERVISOR,
            "deny",
            "recommend",
            FALL_CLAIM,
            "--trigger",
            "condition_cooperation",
            "--provision",
            "GL-Z9",
            "--explanation",
            "x",
        ],
    );
    assert!(err.contains("no provision `GL-Z9`"), "{err}");
    o.expect(
        0,
        &[
            "--as", SUPERVISOR, "deny", "recommend", FALL_CLAIM, "--trigger", "condition_cooperation",
            "--provision", "GL-IV2", "--explanation",
            "The insured refused three written requests for the surveillance video and the cleaning log.",
        ],
    );
    assert_eq!(status_of(&o, FALL_CLAIM), Status::DenialRecommended);
    let body = o.git_ok(&["log", "-1", "--format=%B"]);
    assert!(
        body.contains("Compliance or counsel review required"),
        "{body}"
    );

    let before = o.head();
    let (_, err) = o.expect(1, &["--as", SUPERVISOR, "deny", "approve", FALL_CLAIM]);
    assert!(err.contains("another supervisor must approve"), "{err}");
    let (_, err) = o.expect(1, &["--as", MANAGER, "deny", "approve", FALL_CLAIM]);
    assert!(err.contains("review must be recorded first"), "{err}");
    assert!(
        err.contains("represented") && err.contains("bodily injury"),
        "{err}"
    );
    assert_eq!(o.head(), before, "refusals commit nothing");

    o.expect(
        0,
        &[
            "--as",
            COMPLIANCE,
            "deny",
            "review",
            FALL_CLAIM,
            "--note",
            "Counsel concurs; cooperation clause breach documented",
        ],
    );
    o.expect(0, &["--as", MANAGER, "deny", "approve", FALL_CLAIM]);
    let claim = o.claim_where(|c| c.id == FALL_CLAIM).1;
    assert_eq!(claim.status, Status::DenialApproved);
    let d = claim.denial.unwrap();
    assert_eq!(d.compliance_review.unwrap().by, COMPLIANCE);
    assert_eq!(d.approval.unwrap().by, MANAGER);
    o.assert_sound();
}

#[test]
fn a_letter_that_would_miss_an_element_is_refused_and_nothing_written() {
    let o = Office::example();
    o.expect(0, &["--as", SUPERVISOR, "deny", "approve", WATER_CLAIM]);

    // The office's template (as committed by the manager) lost its reinvestigation paragraph.
    let template = o.read("templates/denial.txt.j2");
    let broken = template.replace("Right to reinvestigation", "Questions");
    let broken = broken.replace("reinvestigate", "look at");
    std::fs::write(o.root.join("templates/denial.txt.j2"), &broken).unwrap();
    o.commit_as(MANAGER, "Shorter denial letter");
    let before = o.head();
    let (_, err) = o.expect(
        1,
        &["deny", "letter", WATER_CLAIM, "--method", "electronic"],
    );
    assert!(
        err.contains("the right to ask for reinvestigation"),
        "{err}"
    );
    assert_eq!(o.head(), before);
    std::fs::write(o.root.join("templates/denial.txt.j2"), &template).unwrap();
    o.commit_as(MANAGER, "Denial letter as it was");

    // No insurance department on file for the claim's state.
    let authority = o.read("authority.yaml");
    let without_ny = authority.replace(
        "- state: NY\n      name: New York",
        "- state: NJ\n      name: New York",
    );
    assert_ne!(without_ny, authority);
    std::fs::write(o.root.join("authority.yaml"), &without_ny).unwrap();
    o.commit_as(MANAGER, "Departments: NJ");
    let before = o.head();
    let (_, err) = o.expect(
        1,
        &["deny", "letter", WATER_CLAIM, "--method", "electronic"],
    );
    assert!(err.contains("no insurance department for NY"), "{err}");

    assert_eq!(o.head(), before);
    assert!(!o
        .root
        .join(format!("claims/2026/10/{WATER_CLAIM}/letters"))
        .exists());
    o.assert_sound();
}

#[test]
fn check_catches_hand_edited_denials() {
    let o = Office::example();
    let (rel, _) = o.claim_where(|c| c.id == WATER_CLAIM);
    // Someone marks the recommended denial as denied by hand, skipping approval and delivery.
    let text = o
        .read(&rel)
        .replace("status: denial_recommended", "status: denied");
    std::fs::write(o.root.join(&rel), text).unwrap();
    let (out, _) = o.expect(1, &["check", &rel]);
    assert!(out.contains("error[D001]"), "{out}");
    assert!(out.contains("error[D002]"), "{out}");
    assert!(out.contains("error[D003]"), "{out}");
    o.git_ok(&["checkout", "--", &rel]);

    // The sample's denied claim: its letter edited to drop the department's contact.
    let letter = "claims/2026/08/CLM-2608-JN8S-QVEH/letters/denial.txt";
    o.expect(0, &["check"]);
    let text = o.read(letter).replace("1-800-927-4357", "");
    std::fs::write(o.root.join(letter), text).unwrap();
    let (out, _) = o.expect(1, &["check"]);
    assert!(out.contains("error[D004]"), "{out}");
    assert!(
        out.contains("the state insurance department's contact"),
        "{out}"
    );
}
