//! Settlement judgment: negotiation before and after a settlement, the agreed figure through
//! the authority matrix, revisions.

use crate::common::people::{COMMITTEE, CSR, MANAGER, SENIOR, STAFF};
use crate::common::Office;
use claims::domain::claim::{ApprovalState, Claim};
use claims::domain::lifecycle::Status;

const TRUCK: &str = "CLM-2611-33T6-3CJ0"; // TX commercial auto; the truck rear-ended Christine Yates
const AUTO: &str = "CLM-2610-VH4E-J57R"; // IL deer strike, settlement pending approval

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

fn lines(c: &Claim) -> Vec<(String, String)> {
    c.settlement
        .as_ref()
        .unwrap()
        .calculation
        .iter()
        .map(|l| (l.label.clone(), l.amount.to_string()))
        .collect()
}

fn negotiate(
    o: &Office,
    who: &str,
    id: &str,
    kind: &str,
    party: &str,
    amount: &str,
    extra: &[&str],
) -> (String, String) {
    let mut args = vec![
        "--as",
        who,
        "negotiate",
        id,
        "--kind",
        kind,
        "--party",
        party,
        "--amount",
        amount,
    ];
    args.extend_from_slice(extra);
    o.expect(0, &args)
}

#[test]
fn negotiation_can_precede_the_settlement_and_the_agreed_figure_needs_settlement_authority() {
    let o = Office::example();
    negotiate(
        &o,
        SENIOR,
        TRUCK,
        "demand",
        "Christine Yates",
        "25000.00",
        &["--on", "2026-11-19"],
    );
    let c = claim(&o, TRUCK);
    assert_eq!(c.negotiation.len(), 1);
    assert!(c.settlement.is_none(), "a demand is no settlement");
    assert_eq!(c.status, Status::Assigned);
    negotiate(
        &o,
        SENIOR,
        TRUCK,
        "offer",
        "Angela Martinez for the insurer",
        "8000.00",
        &[],
    );
    negotiate(
        &o,
        SENIOR,
        TRUCK,
        "counter",
        "Christine Yates",
        "15000.00",
        &[],
    );

    // The agreed figure becomes the settlement; a bodily injury settlement needs a manager.
    let (_, err) = negotiate(
        &o,
        SENIOR,
        TRUCK,
        "agreed",
        "Christine Yates",
        "12000.00",
        &[],
    );
    assert!(
        err.contains(
            "negotiate CLM-2611-33T6-3CJ0: agreed 12000.00 with Christine Yates (pending approval)"
        ),
        "{err}"
    );
    let c = claim(&o, TRUCK);
    assert_eq!(c.status, Status::SettlementPending);
    assert_eq!(c.negotiation.len(), 4);
    let s = c.settlement.clone().unwrap();
    assert_eq!(
        (
            s.amount.to_string(),
            s.state,
            s.exposure.map(|e| e.as_str()),
            s.authority.as_ref().unwrap().required_role.as_str()
        ),
        (
            "12000.00".to_string(),
            ApprovalState::Pending,
            Some("bodily_injury"),
            "manager"
        )
    );
    assert_eq!(
        lines(&c),
        vec![
            (
                "Agreed with Christine Yates on 2026-11-20".into(),
                "12000.00".into()
            ),
            ("Payable".into(), "12000.00".into()),
        ]
    );
    assert_eq!(
        c.sla.settlement_agreed_at.map(|t| t.to_rfc3339()),
        Some("2026-11-20T10:00:00-06:00".into())
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    for t in [
        "Command: negotiate",
        "Kind: agreed",
        "Amount: 12000.00",
        "Exposure: bodily_injury",
        "Authority: manager",
        "State: pending",
    ] {
        assert!(trailers.contains(t), "{t}: {trailers}");
    }
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "approvals"]);
    assert!(
        queue.contains(&format!("settlement 12000.00 by {SENIOR}")),
        "{queue}"
    );
    let (_, err) = o.expect(1, &["--as", SENIOR, "approve", TRUCK]);
    assert!(err.contains("a second person must approve"), "{err}");
    o.expect(0, &["--as", MANAGER, "approve", TRUCK]);
    assert_eq!(
        claim(&o, TRUCK).settlement.unwrap().state,
        ApprovalState::Effective
    );

    // Bad input names the flag; nothing is written.
    let head = o.head();
    for (args, says) in [
        (
            vec![
                "--kind",
                "agreed",
                "--party",
                "Christine Yates",
                "--amount",
                "12000.00",
                "--for",
                "dwelling",
            ],
            "--for dwelling is not an exposure of a commercial_auto claim",
        ),
        (
            vec![
                "--kind", "offer", "--party", "us", "--amount", "9000.00", "--for", "vehicle",
            ],
            "--for names what an agreement settles: it goes with --kind agreed",
        ),
        (
            vec![
                "--kind",
                "demand",
                "--party",
                "Christine Yates",
                "--amount",
                "9000.00",
                "--on",
                "2026-11-01",
            ],
            "--on 2026-11-01 is before the claim was received",
        ),
        (
            vec![
                "--kind",
                "agreed",
                "--party",
                "Christine Yates",
                "--amount",
                "1500000.00",
            ],
            "the agreed 1500000.00 is above the auto liability limit of 1000000.00",
        ),
        (
            vec!["--kind", "agreed", "--party", " ", "--amount", "100.00"],
            "--party must name who made it",
        ),
    ] {
        let mut full = vec!["--as", SENIOR, "negotiate", TRUCK];
        full.extend(args);
        let (_, err) = o.expect(1, &full);
        assert!(err.contains(says), "{full:?}: {err}");
    }
    assert_eq!(o.head(), head);
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn a_revised_agreement_goes_through_authority_again_and_counts_what_was_paid() {
    let o = Office::example();
    // The sample's settlement (9787.88, above the staff adjuster's 7500.00) approved.
    o.expect(0, &["--as", SENIOR, "approve", AUTO]);
    assert_eq!(
        claim(&o, AUTO).settlement.unwrap().state,
        ApprovalState::Effective
    );
    o.expect(
        0,
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
            "Kevin and Laura Novak",
            "--method",
            "ach",
            "--reference",
            "ACH-7781",
        ],
    );
    // The insureds' receipts for the timing chain move the figure: a total of 10150.00, the
    // 500.00 advance included — beyond the staff adjuster's authority again.
    let (_, err) = negotiate(
        &o,
        STAFF,
        AUTO,
        "agreed",
        "Kevin and Laura Novak",
        "10150.00",
        &["--note", "timing chain allowed on the August receipts"],
    );
    assert!(err.contains("(pending approval)"), "{err}");
    let c = claim(&o, AUTO);
    let s = c.settlement.clone().unwrap();
    assert_eq!(
        (
            s.amount.to_string(),
            s.paid_before.map(|m| m.to_string()),
            s.total().to_string(),
            s.state,
            s.authority.unwrap().required_role
        ),
        (
            "9650.00".to_string(),
            Some("500.00".to_string()),
            "10150.00".to_string(),
            ApprovalState::Pending,
            "senior_adjuster".to_string()
        )
    );
    assert_eq!(
        lines(&c),
        vec![
            (
                "Agreed with Kevin and Laura Novak on 2026-11-20".into(),
                "10150.00".into()
            ),
            ("Less prior payments".into(), "-500.00".into()),
            ("Payable".into(), "9650.00".into()),
        ]
    );
    // The first agreement (2026-11-06) still starts the payment clock.
    assert_eq!(
        c.sla.settlement_agreed_at.map(|t| t.to_rfc3339()),
        Some("2026-11-06T15:40:00-06:00".into())
    );
    o.expect(0, &["--as", SENIOR, "approve", AUTO]);

    // Paid up to the settlement's total, and not a cent beyond it.
    o.expect(
        0,
        &[
            "--as",
            MANAGER,
            "reserve",
            AUTO,
            "--amount",
            "10200.00",
            "--reason",
            "settlement_negotiation",
            "--note",
            "Agreed total 10150.00 and 50.00 storage",
        ],
    );
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "pay",
            AUTO,
            "--amount",
            "9650.00",
            "--for",
            "vehicle",
            "--payee",
            "Kevin and Laura Novak",
            "--method",
            "check",
            "--reference",
            "CHK-1002",
        ],
    );
    let head = o.head();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SENIOR,
            "pay",
            AUTO,
            "--amount",
            "0.01",
            "--for",
            "vehicle",
            "--payee",
            "Kevin and Laura Novak",
            "--method",
            "check",
            "--reference",
            "CHK-1003",
        ],
    );
    assert!(
        err.contains("more than the settlement of 10150.00"),
        "{err}"
    );
    assert_eq!(o.head(), head);
    o.expect(0, &["check"]);
    o.assert_sound();
}

/// `claims update ID --set FIELD=VALUE... --reason ...` as the CSR.
fn record(o: &Office, id: &str, sets: &[&str]) {
    let mut args = vec!["--as", CSR, "update", id];
    for set in sets {
        args.extend(["--set", set]);
    }
    args.extend(["--reason", "Given on the call"]);
    o.expect(0, &args);
}

/// The release's record and its letter.
fn release(o: &Office, id: &str) -> (claims::domain::claim::Release, String) {
    let c = claim(o, id);
    let r = c.settlement.unwrap().release.unwrap();
    let (year, month) = (&id[4..6], &id[6..8]);
    let text = o.read(&format!("claims/20{year}/{month}/{id}/{}", r.letter));
    (r, text)
}

fn sign(o: &Office, who: &str, id: &str, signer: &str) -> (i32, String) {
    let out = o.run(&[
        "--as",
        who,
        "release",
        id,
        "--signed-by",
        signer,
        "--on",
        "2026-11-20",
    ]);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn the_injured_claimant_signs_the_bodily_injury_release_never_the_insured() {
    let o = Office::example();
    o.reserve(
        0,
        SENIOR,
        TRUCK,
        "12000.00",
        "ER bill 2,850.00; six weeks of therapy",
    );
    o.expect(0, &["--as", MANAGER, "approve", TRUCK]);
    negotiate(
        &o,
        SENIOR,
        TRUCK,
        "agreed",
        "Christine Yates",
        "10000.00",
        &[],
    );
    o.expect(0, &["--as", MANAGER, "approve", TRUCK]);

    // The release needs the claimant's address, which the phone intake did not take.
    let head = o.head();
    let (_, err) = o.expect(1, &["--as", SENIOR, "release", TRUCK]);
    assert!(
        err.contains("the general release needs the injured claimant's address (`auto.injured[0].address`), which the claim lacks; nothing was written"),
        "{err}"
    );
    assert!(
        err.contains("hint: record it: `claims update CLM-2611-33T6-3CJ0 --set auto.injured[0].address=\"...\" --reason \"...\"`"),
        "{err}"
    );
    assert_eq!(o.head(), head);
    record(
        &o,
        TRUCK,
        &["auto.injured[0].address=4417 Wedgmont Circle, Fort Worth, TX 76133"],
    );

    let (_, err) = o.expect(0, &["--as", SENIOR, "release", TRUCK]);
    assert!(
        err.contains("release CLM-2611-33T6-3CJ0: general release for Christine Yates to sign"),
        "{err}"
    );
    let (r, text) = release(&o, TRUCK);
    assert_eq!(
        (
            r.kind.as_str(),
            r.releasor.as_deref(),
            r.releasor_field.as_deref(),
            r.releasee.as_deref()
        ),
        (
            "general",
            Some("Christine Yates"),
            Some("auto.injured[0]"),
            Some("Lone Star Mechanical Services LLC")
        )
    );
    assert!(
        text.contains("I, Christine Yates, of 4417 Wedgmont Circle, Fort Worth, TX 76133, release and forever discharge")
            && text.contains("Lone Star Mechanical Services LLC, its owners, employees and insurers")
            && text.contains("$10,000.00")
            && text.contains("        Christine Yates\n"),
        "{text}"
    );
    assert!(!text.contains("I, Lone Star"), "{text}");
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Releasor: Christine Yates")
            && trailers.contains("Releasee: Lone Star Mechanical Services LLC"),
        "{trailers}"
    );

    // Neither the insured nor its people sign the claimant's release.
    let head = o.head();
    for signer in ["Lone Star Mechanical Services LLC", "Dale Prewitt"] {
        let (code, err) = sign(&o, SENIOR, TRUCK, signer);
        assert_eq!(code, 1, "{signer}: {err}");
        assert!(
            err.contains(&format!("--signed-by {signer}: the release is given by Christine Yates (the injured claimant)")),
            "{err}"
        );
        assert!(
            err.contains("--set auto.injured[0].representative.name="),
            "{err}"
        );
    }
    let out = o.run(&[
        "--as",
        SENIOR,
        "release",
        TRUCK,
        "--signed-by",
        "Christine Yates",
        "--on",
        "2026-11-19",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--on 2026-11-19 is before the release was written (2026-11-20)"),
        "{out:?}"
    );
    assert_eq!(o.head(), head);

    // Her attorney, once on file, signs for her.
    record(
        &o,
        TRUCK,
        &[
            "auto.injured[0].representative.name=Ray Dunn",
            "auto.injured[0].representative.relationship=claimant's attorney",
        ],
    );
    let (code, err) = sign(&o, SENIOR, TRUCK, "ray dunn");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("release CLM-2611-33T6-3CJ0: signed by ray dunn, claimant's attorney, for Christine Yates on 2026-11-20"),
        "{err}"
    );
    let (code, err) = sign(&o, SENIOR, TRUCK, "Christine Yates");
    assert_eq!(code, 1);
    assert!(
        err.contains("the release was already signed by ray dunn on 2026-11-20"),
        "{err}"
    );
    // A signed release is final: the settlement can no longer be revised.
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SENIOR,
            "negotiate",
            TRUCK,
            "--kind",
            "agreed",
            "--party",
            "Christine Yates",
            "--amount",
            "11000.00",
        ],
    );
    assert!(
        err.contains("the release was signed by ray dunn on 2026-11-20; the settlement is final"),
        "{err}"
    );
    o.assert_sound();
}

#[test]
fn the_other_driver_signs_the_property_damage_release() {
    let o = Office::example();
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "settle",
            TRUCK,
            "--basis",
            "agreed",
            "--amount",
            "6200.00",
            "--for",
            "third_party_property",
        ],
    );
    o.expect(0, &["--as", MANAGER, "approve", TRUCK]);
    let s = claim(&o, TRUCK).settlement.unwrap();
    // Owed to a third party: the insured's 1,000.00 deductible is not taken from it.
    assert_eq!(s.amount.to_string(), "6200.00");
    let (_, err) = o.expect(1, &["--as", SENIOR, "release", TRUCK]);
    assert!(
        err.contains("the property release needs the owner of the damaged property's address (`auto.other_parties[0].address`)"),
        "{err}"
    );
    record(
        &o,
        TRUCK,
        &["auto.other_parties[0].address=4417 Wedgmont Circle, Fort Worth, TX 76133"],
    );
    o.expect(0, &["--as", SENIOR, "release", TRUCK]);
    let (r, text) = release(&o, TRUCK);
    assert_eq!(r.kind, "property");
    assert!(
        text.contains("Christine Yates, of 4417 Wedgmont Circle, Fort Worth, TX 76133, release and discharge Lone Star Mechanical Services LLC")
            && text.contains("  2021 Toyota Corolla LE, gray"),
        "{text}"
    );
    assert_eq!(sign(&o, SENIOR, TRUCK, "Christine Yates").0, 0);
    o.assert_sound();
}

#[test]
fn the_employee_signs_the_workers_comp_release_not_the_employer() {
    let o = Office::example();
    let wc = "CLM-2609-EZDS-G36W"; // CA workers' comp, Luis Ortega of Central Valley Packing
    negotiate(&o, SENIOR, wc, "agreed", "Luis Ortega", "15000.00", &[]);
    let s = claim(&o, wc).settlement.unwrap();
    assert_eq!(
        (
            s.exposure.map(|e| e.as_str()),
            s.state,
            s.total().to_string()
        ),
        (
            Some("indemnity"),
            ApprovalState::Effective,
            "15000.00".into()
        )
    );
    let (_, err) = o.expect(1, &["--as", SENIOR, "release", wc]);
    assert!(
        err.contains("the workers comp release needs the employee's address (`workers_comp.employee.address`)"),
        "{err}"
    );
    record(
        &o,
        wc,
        &["workers_comp.employee.address=1187 West Olive Avenue, Fresno, CA 93728"],
    );
    o.expect(0, &["--as", SENIOR, "release", wc]);
    let (r, text) = release(&o, wc);
    assert_eq!(
        (
            r.kind.as_str(),
            r.releasor.as_deref(),
            r.releasee.as_deref()
        ),
        (
            "workers_comp",
            Some("Luis Ortega"),
            Some("Central Valley Packing Co.")
        )
    );
    assert!(
        text.contains("COMPROMISE AND RELEASE OF WORKERS' COMPENSATION CLAIM")
            && text.contains(
                "I, Luis Ortega, of 1187 West Olive Avenue, Fresno, CA 93728, the employee"
            )
            && text.contains("Central Valley Packing Co., my employer")
            && text.contains("(including 2,985.32 in benefits already paid)"),
        "{text}"
    );
    let (code, err) = sign(&o, SENIOR, wc, "Central Valley Packing Co.");
    assert_eq!(code, 1);
    assert!(
        err.contains("the release is given by Luis Ortega (the employee)")
            && err.contains("--set workers_comp.employee.representative.name="),
        "{err}"
    );
    assert_eq!(sign(&o, SENIOR, wc, "Luis Ortega").0, 0);
    o.assert_sound();
}

#[test]
fn the_insured_releases_the_insurer_on_its_own_loss() {
    let o = Office::example();
    // The deer strike: the sample's settlement, approved.
    o.expect(0, &["--as", SENIOR, "approve", AUTO]);
    o.expect(0, &["--as", STAFF, "release", AUTO]);
    let (r, text) = release(&o, AUTO);
    assert_eq!(
        (
            r.kind.as_str(),
            r.releasor.as_deref(),
            r.releasee.as_deref()
        ),
        (
            "first_party",
            Some("Kevin and Laura Novak"),
            Some("the insurer of policy PAU-IL-2026-20931")
        )
    );
    assert!(
        text.contains("I (we), Kevin and Laura Novak,")
            && text.contains("for physical damage to the vehicle under policy PAU-IL-2026-20931")
            && text.contains("and release the insurer of policy PAU-IL-2026-20931 and Harbor Point Claims Services,")
            && text.contains("Payment will be made to me (us) and to BMO Harris Bank N.A., as their interests appear."),
        "{text}"
    );
    // Both named insureds sign.
    let (code, err) = sign(&o, STAFF, AUTO, "Laura Novak");
    assert_eq!(code, 1);
    assert!(
        err.contains("the release is given by Kevin and Laura Novak (the insured)"),
        "{err}"
    );
    assert_eq!(sign(&o, STAFF, AUTO, "Kevin and Laura Novak").0, 0);

    // An organization signs by the person the claim records acting for it.
    let fire = "CLM-2610-VA8H-T6J7";
    negotiate(
        &o,
        MANAGER,
        fire,
        "agreed",
        "Prairie Cold Storage, Inc.",
        "300000.00",
        &["--for", "building"],
    );
    o.expect(0, &["--as", COMMITTEE, "approve", fire]);
    o.expect(0, &["--as", MANAGER, "release", fire]);
    let (r, text) = release(&o, fire);
    assert_eq!(r.releasor.as_deref(), Some("Prairie Cold Storage, Inc."));
    assert!(
        text.contains("(including 68,420.35 already paid)")
            && text.contains("Payment will be made to me (us) and to Old National Bank"),
        "{text}"
    );
    let (code, err) = sign(&o, MANAGER, fire, "Gary Lindqvist");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("signed by Gary Lindqvist, facilities director (insured), for Prairie Cold Storage, Inc."),
        "{err}"
    );
    o.assert_sound();
}
