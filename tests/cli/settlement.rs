//! Settlement judgment: negotiation before and after a settlement, the agreed figure through
//! the authority matrix, revisions.

use crate::common::people::{MANAGER, SENIOR, STAFF};
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
