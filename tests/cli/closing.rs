//! Closing without payment, with the reason regulators count, and reopening.

use crate::common::people::{COMMITTEE, MANAGER, SENIOR, STAFF, SUPERVISOR};
use crate::common::Office;
use claims::domain::claim::{Claim, ClosureOutcome, ItemStatus, NoPaymentReason};
use claims::domain::lifecycle::Status;

const TRUCK: &str = "CLM-2611-33T6-3CJ0"; // TX commercial auto, assigned, open tasks
const FALL: &str = "CLM-2610-8XQQ-T1SD"; // NY general liability, a reserve increase pending
const DENIED: &str = "CLM-2608-JN8S-QVEH"; // CA personal auto, denied (lapsed policy)

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

fn close_withdrawn(o: &Office) {
    let (_, err) = o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "close",
            TRUCK,
            "--without-payment",
            "withdrawn",
            "--note",
            "Ms. Yates withdrew her claim by letter of 11/19",
        ],
    );
    assert!(
        err.contains("close CLM-2611-33T6-3CJ0: without payment (withdrawn)"),
        "{err}"
    );
}

#[test]
fn a_claim_closes_without_payment_with_the_reason_regulators_count() {
    let o = Office::example();
    let head = o.head();
    for (id, args, says) in [
        (
            TRUCK,
            vec!["--without-payment", "abandoned"],
            "--without-payment `abandoned` is not one of: withdrawn, below_deductible, no_damages, no_liability, no_response, paid_by_other, record_only, other",
        ),
        (
            TRUCK,
            vec!["--without-payment", "other"],
            "--without-payment other needs --note saying why",
        ),
        (
            "CLM-2609-EZDS-G36W",
            vec!["--without-payment", "no_liability"],
            "no_liability closes a claim against the insured; a workers_comp claim that is not owed is denied",
        ),
        (
            "CLM-2609-EZDS-G36W",
            vec!["--without-payment", "withdrawn"],
            "has 2985.32 paid: it closes as paid once its settlement is",
        ),
        (
            FALL,
            vec!["--without-payment", "below_deductible"],
            "below_deductible: CLM-2610-8XQQ-T1SD has no deductible on file",
        ),
        (
            "CLM-2610-VH4E-J57R",
            vec!["--without-payment", "withdrawn"],
            "has a change waiting for approval",
        ),
        (
            "CLM-2611-FS2R-811K",
            vec!["--without-payment", "record_only"],
            "is reported: a claim closes without payment once triaged",
        ),
    ] {
        let mut full = vec!["--as", SENIOR, "close", id];
        full.extend(args);
        let (_, err) = o.expect(1, &full);
        assert!(err.contains(says), "{full:?}: {err}");
    }
    assert_eq!(o.head(), head, "nothing written");

    close_withdrawn(&o);
    let c = claim(&o, TRUCK);
    assert_eq!(c.status, Status::Closed);
    let x = c.closure.clone().unwrap();
    assert_eq!(
        (x.outcome, x.reason, x.note.as_deref()),
        (
            ClosureOutcome::WithoutPayment,
            Some(NoPaymentReason::Withdrawn),
            Some("Ms. Yates withdrew her claim by letter of 11/19")
        )
    );
    // Nothing more is owed on a withdrawn claim: its open checklist is waived with the reason.
    assert!(c.tasks.iter().all(|t| t.status == ItemStatus::Waived
        && t.waived_reason.as_deref() == Some("closed without payment: withdrawn")));
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Command: close")
            && trailers.contains("Outcome: without_payment")
            && trailers.contains("Reason: withdrawn"),
        "{trailers}"
    );

    // A closed claim carries no reserve: the slip-and-fall's is released. (Its pending
    // increase is decided first: nothing may wait for approval on a claim that closes.)
    o.expect(0, &["--as", COMMITTEE, "approve", FALL]);
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "close",
            FALL,
            "--without-payment",
            "no_liability",
            "--note",
            "The CCTV shows the wet-floor sign in place; counsel agrees",
        ],
    );
    let c = claim(&o, FALL);
    let r = c.reserves.last().unwrap();
    assert_eq!(
        (
            r.amount.to_string(),
            r.previous.to_string(),
            r.reason.as_str(),
            r.note.as_deref()
        ),
        (
            "0.00".to_string(),
            "110000.00".to_string(),
            "claim_closed",
            Some("Reserve closed with the claim, without payment (no liability)")
        )
    );
    assert!(c.effective_reserve().is_zero());
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Amount: 0.00") && trailers.contains("Previous: 110000.00"),
        "{trailers}"
    );

    // The closed-claims report counts them by outcome and reason.
    let (csv, err) = o.expect(0, &["--format", "csv", "closed"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "claim,lob,jurisdiction,closed,outcome,reason,paid,by,reopened"
    );
    assert!(
        rows.contains(&"CLM-2609-PXBB-KSGB,general_liability,CA,2026-09-30,paid,,3412.60,dfontaine@harborpoint.example,0"),
        "{csv}"
    );
    assert!(
        rows.contains(&"CLM-2611-33T6-3CJ0,commercial_auto,TX,2026-11-20,without_payment,withdrawn,0.00,amartinez@harborpoint.example,0"),
        "{csv}"
    );
    assert!(
        err.contains("4 closed claims: 2 paid, 2 without payment"),
        "{err}"
    );
    let (csv, _) = o.expect(
        0,
        &[
            "--format",
            "csv",
            "closed",
            "--without-payment",
            "--from",
            "2026-11-01",
        ],
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains(",no_liability,"), "{csv}");
    let (show, _) = o.expect(0, &["show", TRUCK]);
    assert!(
        show.contains("2026-11-20 without payment (withdrawn)"),
        "{show}"
    );
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn a_closed_claim_reopens_with_its_reason_as_an_event_on_the_claim() {
    let o = Office::example();
    close_withdrawn(&o);
    let head = o.head();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            STAFF,
            "reopen",
            TRUCK,
            "--reason",
            "new_information",
        ],
    );
    assert!(err.contains("may not reopen a closed claim"), "{err}");
    let (_, err) = o.expect(1, &["--as", SENIOR, "reopen", TRUCK, "--reason", "whim"]);
    assert!(
        err.contains("--reason `whim` is not one of: new_information, supplemental_damage, reinvestigation, payment_issue, litigation, other"),
        "{err}"
    );
    assert_eq!(o.head(), head);

    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "reopen",
            TRUCK,
            "--reason",
            "new_information",
            "--note",
            "Attorney letter of 11/20: she is treating again",
        ],
    );
    let c = claim(&o, TRUCK);
    assert_eq!(c.status, Status::Investigating);
    assert_eq!(c.history.last().unwrap().event, "reopen");
    assert!(c.closure.is_none());
    let r = &c.reopenings[0];
    assert_eq!(
        (
            r.from,
            r.reason.as_str(),
            r.closure.as_ref().and_then(|x| x.reason)
        ),
        (
            Status::Closed,
            "new_information",
            Some(NoPaymentReason::Withdrawn)
        )
    );
    assert_eq!(
        c.notes.last().unwrap().text,
        "Reopened (new information): Attorney letter of 11/20: she is treating again"
    );
    let (csv, _) = o.expect(0, &["--format", "csv", "closed"]);
    assert!(!csv.contains(TRUCK), "{csv}");
    let (show, _) = o.expect(0, &["show", TRUCK]);
    assert!(
        show.contains("1 time(s), last 2026-11-20 (new information)"),
        "{show}"
    );
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SENIOR,
            "reopen",
            TRUCK,
            "--reason",
            "new_information",
        ],
    );
    assert!(
        err.contains("is investigating: only a closed or denied claim reopens"),
        "{err}"
    );
    // Reopened, it is handled again: a reserve with its note.
    o.reserve(
        0,
        SENIOR,
        TRUCK,
        "5000.00",
        "Treating with a chiropractor since 11/18",
    );
    o.expect(0, &["--as", MANAGER, "approve", TRUCK]);

    // A paid claim reopens for damage found later; its paid closure stays on record.
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "reopen",
            "CLM-2609-PXBB-KSGB",
            "--reason",
            "supplemental_damage",
        ],
    );
    let c = claim(&o, "CLM-2609-PXBB-KSGB");
    assert_eq!(
        c.reopenings[0].closure.as_ref().map(|x| x.outcome),
        Some(ClosureOutcome::Paid)
    );
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn a_reversed_denial_reopens_and_coverage_is_then_accepted() {
    let o = Office::example();
    // Undoing a denial takes someone who may approve denials.
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SENIOR,
            "reopen",
            DENIED,
            "--reason",
            "reinvestigation",
        ],
    );
    assert!(err.contains("may not reopen a denied claim"), "{err}");
    o.expect(
        0,
        &[
            "--as",
            SUPERVISOR,
            "reopen",
            DENIED,
            "--reason",
            "reinvestigation",
            "--note",
            "The insured produced the bank's proof of the renewal payment",
        ],
    );
    let c = claim(&o, DENIED);
    assert_eq!(
        (c.status, c.reopenings[0].from),
        (Status::Investigating, Status::Denied)
    );
    // Triaged as potentially not covered: a staff adjuster may not accept it.
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            STAFF,
            "accept",
            DENIED,
            "--note",
            "Renewal paid on time",
        ],
    );
    assert!(
        err.contains("may not accept coverage on a claim triaged as potentially not covered"),
        "{err}"
    );
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "accept",
            DENIED,
            "--note",
            "Renewal payment posted 08/01, before the loss",
        ],
    );
    let c = claim(&o, DENIED);
    // The first decision (the denial) still dates the decision clock; acceptance starts
    // California's 30-day payment clock.
    assert_eq!(
        c.sla.coverage_decided_at.map(|t| t.to_rfc3339()),
        Some("2026-08-27T16:20:00-05:00".into())
    );
    let (out, _) = o.expect(
        0,
        &["sla-report", "--as-of", "2026-11-20", "--format", "csv"],
    );
    assert!(
        out.lines().any(|l| l.starts_with(DENIED)
            && l.contains(
                ",payment,\"Cal. Code Regs. tit. 10, §2695.7(h)\",2026-11-20,2026-12-20,"
            )),
        "{out}"
    );
    o.assert_sound();
}
