use crate::common::people::{MANAGER, SENIOR, STAFF};
use crate::common::Office;
use claims::domain::claim::ApprovalState;

const AUTO: &str = "CLM-2610-VH4E-J57R"; // settlement pending, auto physical damage, reserve 9800.00

fn claim(o: &Office) -> claims::domain::claim::Claim {
    o.claim_where(|c| c.id == AUTO).1
}

#[test]
fn authority_prints_the_matrix() {
    let o = Office::example();
    let (csv, _) = o.expect(0, &["--format", "csv", "authority"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "kind,claim_type,role,up_to,unlimited,review_by");
    assert!(
        lines.contains(&"reserve,auto_physical_damage,staff_adjuster,10000.00,no,"),
        "{csv}"
    );
    assert!(
        lines.contains(&"reserve,bodily_injury,senior_adjuster,250000.00,no,manager"),
        "{csv}"
    );
    assert!(
        lines.contains(&"settlement,auto_physical_damage,committee,,yes,"),
        "{csv}"
    );
}

/// A money column holds amounts a spreadsheet can add up: no words in it. No limit is an
/// empty `up_to` with `unlimited` saying so (null and true in JSON).
#[test]
fn the_authority_matrix_money_column_holds_only_amounts_and_unlimited_is_its_own_column() {
    let o = Office::example();
    let (csv, _) = o.expect(0, &["--format", "csv", "authority"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (up_to, unlimited) = (col("up_to"), col("unlimited"));
    let (mut amounts, mut open) = (0, 0);
    for record in reader.records() {
        let record = record.unwrap();
        match (&record[up_to], &record[unlimited]) {
            ("", "yes") => open += 1,
            (amount, "no") => {
                let m: claims::domain::money::Money = amount
                    .parse()
                    .unwrap_or_else(|e| panic!("up_to `{amount}` is not an amount: {e}"));
                assert!(!m.is_negative(), "{amount}");
                amounts += 1;
            }
            other => panic!("up_to and unlimited disagree: {other:?} in {record:?}"),
        }
    }
    assert!(amounts > 0 && open > 0, "{csv}");

    let (json, _) = o.expect(0, &["--format", "json", "authority"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    for r in rows.as_array().unwrap() {
        assert_eq!(r["up_to"].is_null(), r["unlimited"] == true, "{r}");
        if let Some(a) = r["up_to"].as_str() {
            assert!(a.parse::<claims::domain::money::Money>().is_ok(), "{r}");
        }
    }
}

#[test]
fn a_reserve_above_authority_waits_for_a_second_person_with_enough_authority() {
    let o = Office::example();
    // Within the staff limit: effective at once.
    o.reserve(
        0,
        STAFF,
        AUTO,
        "9950.00",
        "Repair estimate and storage invoices received",
    );
    let r = claim(&o).reserves.last().unwrap().clone();
    assert_eq!(
        (r.state, r.previous.to_string(), r.amount.to_string()),
        (ApprovalState::Effective, "9800.00".into(), "9950.00".into())
    );
    assert_eq!(r.authority.unwrap().required_role, "staff_adjuster");

    // Above it: pending, in the approvals queue; the reserve in effect is unchanged.
    o.expect(
        0,
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
    let c = claim(&o);
    assert_eq!(c.reserves.last().unwrap().state, ApprovalState::Pending);
    assert_eq!(c.effective_reserve().to_string(), "9950.00");
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "approvals"]);
    assert!(
        queue.contains(&format!("{AUTO},"))
            && queue.contains("reserve 9950.00 -> 45000.00 by jwhitfield"),
        "{queue}"
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Amount: 45000.00")
            && trailers.contains("State: pending")
            && trailers.contains("Authority: senior_adjuster"),
        "{trailers}"
    );
    // Only one pending change at a time.
    let (_, err) = o.reserve(
        1,
        STAFF,
        AUTO,
        "46000.00",
        "Repair estimate and storage invoices received",
    );
    assert!(err.contains("waiting for approval"), "{err}");

    // The requester cannot approve (his role lacks it anyway); a senior adjuster can.
    let before = o.head();
    let (_, err) = o.expect(1, &["--as", STAFF, "approve", AUTO]);
    assert!(err.contains("may not approve"), "{err}");
    assert_eq!(o.head(), before);
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "approve",
            AUTO,
            "--note",
            "Storage invoices seen",
        ],
    );
    let c = claim(&o);
    let r = c.reserves.last().unwrap();
    assert_eq!(r.state, ApprovalState::Effective);
    assert_eq!(r.approval.as_ref().unwrap().by, SENIOR);
    assert_eq!(c.effective_reserve().to_string(), "45000.00");
    // The sample's settlement proposal waits too; approving again takes it, then nothing waits.
    let (_, err) = o.expect(0, &["--as", SENIOR, "approve", AUTO]);
    assert!(err.contains("settlement 9787.88"), "{err}");
    let (_, err) = o.expect(1, &["--as", SENIOR, "approve", AUTO]);
    assert!(err.contains("nothing is waiting for approval"), "{err}");

    // A senior adjuster's own request above his limit needs someone else, with more authority.
    o.reserve(
        0,
        SENIOR,
        AUTO,
        "60000.00",
        "Repair estimate and storage invoices received",
    );
    let (_, err) = o.expect(1, &["--as", SENIOR, "approve", AUTO]);
    assert!(err.contains("a second person must approve"), "{err}");
    o.expect(0, &["--as", MANAGER, "approve", AUTO]);
    assert_eq!(claim(&o).effective_reserve().to_string(), "60000.00");

    // Bad input names the field and writes nothing.
    let before = o.head();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            STAFF,
            "reserve",
            AUTO,
            "--amount",
            "ten",
            "--reason",
            "new_information",
            "--note",
            "Repair estimate and storage invoices received",
        ],
    );
    assert!(err.contains("--amount `ten`"), "{err}");
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            STAFF,
            "reserve",
            AUTO,
            "--amount",
            "100.00",
            "--reason",
            "hunch",
            "--note",
            "Basis noted on the file",
        ],
    );
    assert!(err.contains("--reason `hunch` is not one of"), "{err}");
    assert_eq!(o.head(), before);
    o.expect(0, &["check"]);
    o.expect(0, &["audit"]);
    o.assert_sound();
}

#[test]
fn payments_stay_within_the_reserve_name_the_lienholder_and_export() {
    let o = Office::example();
    let paid_before = claim(&o).paid();
    let reserve = claim(&o).effective_reserve();
    // Beyond the effective reserve: refused.
    let over = (reserve.as_decimal() - paid_before.as_decimal() + rust_decimal::Decimal::new(1, 2))
        .to_string();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            STAFF,
            "pay",
            AUTO,
            "--amount",
            &over,
            "--for",
            "vehicle",
            "--payee",
            "Laura Novak",
            "--method",
            "check",
            "--reference",
            "CHK-1001",
        ],
    );
    assert!(err.contains("beyond the effective reserve"), "{err}");

    // Within it and within the staff settlement limit: effective, lienholder as co-payee.
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
            "Laura Novak",
            "--method",
            "ach",
            "--reference",
            "ACH-7781",
        ],
    );
    let p = claim(&o).payments.last().unwrap().clone();
    assert_eq!(p.state, ApprovalState::Effective);
    assert_eq!(p.co_payee.as_deref(), Some("BMO Harris Bank N.A."));

    // The payments export for the payment department.
    let (csv, _) = o.expect(0, &["--format", "csv", "payments"]);
    assert!(
        csv.starts_with("claim,date,payee,co_payee,exposure,method,reference,amount,state,by\n"),
        "{csv}"
    );
    assert!(csv.contains(&format!("{AUTO},2026-11-20,Laura Novak,BMO Harris Bank N.A.,vehicle,ach,ACH-7781,500.00,effective,{STAFF}")), "{csv}");
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn settlement_is_calculated_line_by_line_and_waits_for_authority() {
    let o = Office::example();
    let id = "CLM-2611-33T6-3CJ0"; // commercial auto collision, assigned, deductible 1000.00
    let (out, _) = o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "--format",
            "csv",
            "settle",
            id,
            "--basis",
            "acv",
            "--replacement-cost",
            "14200.00",
            "--depreciation",
            "3100.00",
        ],
    );
    assert_eq!(
        out,
        "line,amount\nReplacement cost,14200.00\nLess depreciation,-3100.00\nActual cash value,11100.00\nLess deductible,-1000.00\nPayable,10100.00\n"
    );
    let c = o.claim_where(|c| c.id == id).1;
    assert_eq!(
        c.status,
        claims::domain::lifecycle::Status::SettlementPending
    );
    let s = c.settlement.unwrap();
    assert_eq!(s.amount.to_string(), "10100.00");
    assert_eq!(s.calculation.len(), 5);
    let waiting = s.state == ApprovalState::Pending;
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "approvals"]);
    assert_eq!(
        queue.contains(&format!("settlement 10100.00 by {SENIOR}")),
        waiting,
        "{queue}"
    );
    if waiting {
        let (_, err) = o.expect(1, &["--as", SENIOR, "approve", id]);
        assert!(err.contains("a second person must approve"), "{err}");
        o.expect(0, &["--as", MANAGER, "approve", id]);
    }
    let s = o.claim_where(|c| c.id == id).1.settlement.unwrap();
    assert_eq!(s.state, ApprovalState::Effective);

    // Negotiation is logged on the settlement file; bad input writes nothing.
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "negotiate",
            id,
            "--kind",
            "demand",
            "--party",
            "claimant's attorney",
            "--amount",
            "15000.00",
            "--on",
            "2026-11-19",
        ],
    );
    let before = o.head();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SENIOR,
            "negotiate",
            id,
            "--kind",
            "bribe",
            "--party",
            "x",
            "--amount",
            "1.00",
        ],
    );
    assert!(
        err.contains("not demand, offer, counter or agreed"),
        "{err}"
    );
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            SENIOR,
            "settle",
            id,
            "--basis",
            "acv",
            "--replacement-cost",
            "100.00",
        ],
    );
    assert!(err.contains("--depreciation is required"), "{err}");
    assert_eq!(o.head(), before);
    let c = o.claim_where(|c| c.id == id).1;
    assert_eq!(c.negotiation[0].kind, "demand");
    assert_eq!(c.negotiation[0].amount.to_string(), "15000.00");
    o.expect(0, &["check"]);
    o.expect(0, &["audit"]);
    o.assert_sound();
}

/// Runs `args` as `who`; if the change waits for approval, the manager approves it.
fn with_approval(o: &Office, who: &str, args: &[&str], id: &str) {
    let mut full = vec!["--as", who];
    full.extend_from_slice(args);
    o.expect(0, &full);
    let (queue, _) = o.expect(0, &["--format", "csv", "queue", "approvals"]);
    if queue.lines().any(|l| l.starts_with(&format!("{id},"))) {
        o.expect(0, &["--as", MANAGER, "approve", id]);
    }
}

#[test]
fn a_paid_claim_closes_after_its_release_and_checklist_and_subrogation_is_listed() {
    let o = Office::example();
    let id = "CLM-2611-33T6-3CJ0"; // commercial auto with an injured claimant, open tasks
    with_approval(
        &o,
        SENIOR,
        &[
            "reserve",
            id,
            "--amount",
            "12000.00",
            "--reason",
            "new_information",
            "--note",
            "Repair estimate and storage invoices received",
        ],
        id,
    );
    with_approval(
        &o,
        SENIOR,
        &[
            "settle",
            id,
            "--basis",
            "injury",
            "--medical",
            "4200.00",
            "--general-damages",
            "5800.00",
        ],
        id,
    );

    // Not paid yet: it cannot close.
    let (_, err) = o.expect(1, &["--as", SENIOR, "close", id]);
    assert!(err.contains("pay the rest first"), "{err}");
    with_approval(
        &o,
        SENIOR,
        &[
            "pay",
            id,
            "--amount",
            "10000.00",
            "--for",
            "bodily_injury",
            "--payee",
            "Christine Yates",
            "--method",
            "check",
            "--reference",
            "CHK-2201",
        ],
        id,
    );

    // Bodily injury: the general release, written from the template, then signed.
    let (_, err) = o.expect(1, &["--as", SENIOR, "close", id]);
    assert!(err.contains("release is not signed"), "{err}");
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "update",
            id,
            "--set",
            "auto.injured[0].address=4417 Wedgmont Circle, Fort Worth, TX 76133",
            "--reason",
            "Claimant gave her address on the call",
        ],
    );
    o.expect(0, &["--as", SENIOR, "release", id]);
    let c = o.claim_where(|c| c.id == id).1;
    let r = c.settlement.as_ref().unwrap().release.clone().unwrap();
    assert_eq!(r.kind, "general");
    let text = o.read(&format!("claims/2026/11/{id}/{}", r.letter));
    assert!(
        text.contains("RELEASE OF ALL CLAIMS") && text.contains("$10,000.00"),
        "{text}"
    );
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "release",
            id,
            "--signed-by",
            "Christine Yates",
            "--on",
            "2026-11-20",
        ],
    );

    // Outstanding tasks block closing until each is done or waived with a reason.
    let (_, err) = o.expect(1, &["--as", SENIOR, "close", id]);
    assert!(
        err.contains("outstanding: task `Contact the injured claimant within 24 hours`"),
        "{err}"
    );
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "close",
            id,
            "--waive",
            "Contact the injured claimant within 24 hours=Settled through counsel",
            "--waive",
            "Recorded statement of the employee driver=Liability accepted",
            "--waive",
            "Order the police report=Not needed after settlement",
        ],
    );
    let c = o.claim_where(|c| c.id == id).1;
    assert_eq!(c.status, claims::domain::lifecycle::Status::Closed);
    assert!(c.tasks.iter().all(|t| t.waived_reason.is_some()));

    // Subrogation against the party who caused it.
    o.expect(
        0,
        &[
            "--as",
            SENIOR,
            "subrogation",
            id,
            "--target",
            "Lone Star Freight LLC",
            "--carrier",
            "Progressive Commercial",
        ],
    );
    let (csv, _) = o.expect(0, &["--format", "csv", "subrogation", "--list"]);
    assert!(
        csv.contains(&format!(
            "{id},Lone Star Freight LLC,Progressive Commercial,10000.00,2026-11-20,open"
        )),
        "{csv}"
    );
    o.expect(0, &["check"]);
    o.expect(0, &["audit"]);
    o.assert_sound();
}

#[test]
fn band_edges_and_the_mortgagee_on_a_property_payment() {
    let o = Office::example();
    // Exactly at the staff limit (10,000.00 on auto physical damage): within authority.
    o.reserve(
        0,
        STAFF,
        AUTO,
        "10000.00",
        "Repair estimate and storage invoices received",
    );
    let r = claim(&o).reserves.last().unwrap().clone();
    assert_eq!(r.state, ApprovalState::Effective);
    assert_eq!(r.authority.unwrap().limit.unwrap().to_string(), "10000.00");
    // One cent over: it needs a senior adjuster.
    o.reserve(
        0,
        STAFF,
        AUTO,
        "10000.01",
        "Repair estimate and storage invoices received",
    );
    let r = claim(&o).reserves.last().unwrap().clone();
    assert_eq!(r.state, ApprovalState::Pending);
    assert_eq!(r.authority.unwrap().required_role, "senior_adjuster");

    // A payment on the mortgaged commercial property names the mortgagee as co-payee.
    let property = "CLM-2610-VA8H-T6J7";
    o.expect(
        0,
        &[
            "--as",
            MANAGER,
            "pay",
            property,
            "--amount",
            "25000.00",
            "--for",
            "building",
            "--payee",
            "Prairie Cold Storage, Inc.",
            "--method",
            "check",
            "--reference",
            "CHK-105400",
        ],
    );
    let p = o
        .claim_where(|c| c.id == property)
        .1
        .payments
        .last()
        .unwrap()
        .clone();
    assert_eq!(p.co_payee.as_deref(), Some("Old National Bank"));
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Co-Payee: Old National Bank"),
        "{trailers}"
    );
    assert!(
        trailers.contains("Authority: ") && trailers.contains("Amount: 25000.00"),
        "{trailers}"
    );
    o.assert_sound();
}

#[test]
fn bad_amounts_are_refused_naming_the_flag_and_nothing_is_written() {
    let o = Office::example();
    let head = o.head();
    for (args, says) in [
        (
            vec![
                "reserve",
                AUTO,
                "--amount=-5.00",
                "--reason",
                "new_information",
                "--note",
                "Repair estimate and storage invoices received",
            ],
            "--amount must not be negative",
        ),
        (
            vec![
                "reserve",
                AUTO,
                "--amount",
                "12,5O0",
                "--reason",
                "new_information",
                "--note",
                "Repair estimate and storage invoices received",
            ],
            "--amount `12,5O0`",
        ),
        (
            vec![
                "pay",
                AUTO,
                "--amount",
                "0.00",
                "--for",
                "vehicle",
                "--payee",
                "Kevin Novak",
                "--method",
                "check",
                "--reference",
                "CHK-1",
            ],
            "--amount must be more than zero",
        ),
        (
            vec!["settle", AUTO, "--basis", "acv", "--replacement-cost=-1"],
            "--replacement-cost must not be negative",
        ),
    ] {
        let mut full = vec!["--as", SENIOR];
        full.extend(args);
        let (_, err) = o.expect(1, &full);
        assert!(err.contains(says), "{full:?}: {err}");
    }
    assert_eq!(o.head(), head);
}

#[test]
fn every_reserve_change_carries_the_adjusters_note_on_its_basis() {
    let o = Office::example();
    let head = o.head();
    // No note at all: a usage error; a blank one: refused, naming the flag.
    let (_, err) = o.expect(
        2,
        &[
            "--as",
            STAFF,
            "reserve",
            AUTO,
            "--amount",
            "9900.00",
            "--reason",
            "new_information",
        ],
    );
    assert!(err.contains("--note"), "{err}");
    let (_, err) = o.reserve(1, STAFF, AUTO, "9900.00", "  ");
    assert!(
        err.contains("--note is required: the adjuster's note explaining the basis"),
        "{err}"
    );
    assert_eq!(o.head(), head, "nothing written");

    o.reserve(
        0,
        STAFF,
        AUTO,
        "9900.00",
        "Storage at the salvage yard since 10/28, 100.00",
    );
    let r = claim(&o).reserves.last().unwrap().clone();
    assert_eq!(
        r.note.as_deref(),
        Some("Storage at the salvage yard since 10/28, 100.00")
    );
    assert_eq!(r.above_limit, None, "within the comprehensive limit");
    let args = o.git_ok(&["log", "-1", "--format=%(trailers:key=Args,valueonly)"]);
    assert!(
        args.contains("--note \"Storage at the salvage yard since 10/28, 100.00\""),
        "{args}"
    );
    o.assert_sound();
}

#[test]
fn a_reserve_above_the_policy_limit_is_flagged_naming_the_limit() {
    let o = Office::example();
    // The deer strike is answered by the comprehensive coverage, limit 100,000.00. The manager's
    // reserve authority on auto physical damage is unlimited: the reserve takes effect, flagged.
    let (_, err) = o.reserve(
        0,
        MANAGER,
        AUTO,
        "120000.00",
        "Demand from the salvage yard for storage and a disputed valuation",
    );
    assert!(
        err.contains("warning: CLM-2610-VH4E-J57R: the reserve of 120000.00 is above the comprehensive limit of 100000.00 on policy PAU-IL-2026-20931"),
        "{err}"
    );
    let r = claim(&o).reserves.last().unwrap().clone();
    assert_eq!(r.state, ApprovalState::Effective);
    let limit = r.above_limit.unwrap();
    assert_eq!(
        (limit.name.as_str(), limit.amount.to_string().as_str()),
        ("comprehensive limit", "100000.00")
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Above-Limit: comprehensive limit 100000.00"),
        "{trailers}"
    );

    // `claims check` reports it as a warning naming the limit; --strict fails on it.
    let (out, _) = o.expect(0, &["check"]);
    let line = out
        .lines()
        .find(|l| l.contains("warning[M006]"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("CLM-2610-VH4E-J57R.yaml")
            && line.contains("the reserve of 120000.00 is above the comprehensive limit of 100000.00 on policy PAU-IL-2026-20931"),
        "{line}"
    );
    o.expect(1, &["check", "--strict"]);

    // Brought back within the limit, the flag goes with it.
    let (_, err) = o.reserve(
        0,
        MANAGER,
        AUTO,
        "9800.00",
        "Storage dispute settled with the yard",
    );
    assert!(!err.contains("warning"), "{err}");
    let (out, _) = o.expect(0, &["check"]);
    assert!(!out.contains("M006"), "{out}");
    o.assert_sound();
}

/// `claims pay` as `who`, for `exposure`; returns (exit code, stderr).
fn pay(
    o: &Office,
    who: &str,
    id: &str,
    exposure: &str,
    amount: &str,
    payee: &str,
    extra: &[&str],
) -> (i32, String) {
    let mut args = vec![
        "--as",
        who,
        "pay",
        id,
        "--amount",
        amount,
        "--for",
        exposure,
        "--payee",
        payee,
        "--method",
        "check",
        "--reference",
        "CHK-1",
    ];
    args.extend_from_slice(extra);
    let out = o.run(&args);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn last_payment(o: &Office, id: &str) -> claims::domain::claim::Payment {
    o.claim_where(|c| c.id == id)
        .1
        .payments
        .last()
        .unwrap()
        .clone()
}

#[test]
fn the_lienholder_is_co_payee_only_on_payments_for_the_insured_vehicle() {
    let o = Office::example();
    // Rental reimbursement is the insured's loss of use: BMO Harris holds no interest in it.
    assert_eq!(
        pay(&o, STAFF, AUTO, "rental", "300.00", "Laura Novak", &[]).0,
        0
    );
    let p = last_payment(&o, AUTO);
    assert_eq!(
        (p.exposure.map(|e| e.as_str()), p.co_payee.as_deref()),
        (Some("rental"), None)
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(
        trailers.contains("Exposure: rental") && !trailers.contains("Co-Payee"),
        "{trailers}"
    );
    // Naming the lienholder on it anyway is refused, and nothing is written.
    let head = o.head();
    let (code, err) = pay(
        &o,
        STAFF,
        AUTO,
        "rental",
        "300.00",
        "Laura Novak",
        &["--co-payee", "BMO Harris Bank N.A."],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("--co-payee BMO Harris Bank N.A.: the lienholder on file holds an interest in the insured vehicle, not in a payment for rental"),
        "{err}"
    );
    // An exposure the line does not have names the flag and the exposures it does have.
    let (code, err) = pay(&o, STAFF, AUTO, "dwelling", "300.00", "Laura Novak", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("--for dwelling is not an exposure of a personal_auto claim (one of: vehicle, rental, bodily_injury, medical, third_party_property)"),
        "{err}"
    );
    assert_eq!(o.head(), head);

    // The vehicle: the lienholder is co-payee; the lien payoff check to the bank itself has
    // no co-payee.
    assert_eq!(
        pay(&o, STAFF, AUTO, "vehicle", "500.00", "Laura Novak", &[]).0,
        0
    );
    assert_eq!(
        last_payment(&o, AUTO).co_payee.as_deref(),
        Some("BMO Harris Bank N.A.")
    );
    assert_eq!(
        pay(
            &o,
            STAFF,
            AUTO,
            "vehicle",
            "4212.37",
            "BMO Harris Bank N.A.",
            &[]
        )
        .0,
        0
    );
    assert_eq!(last_payment(&o, AUTO).co_payee, None);

    // The commercial truck carries Ford Motor Credit's lien; the injured claimant's payment
    // never names it, the truck's repair does.
    let truck = "CLM-2611-33T6-3CJ0";
    with_approval(
        &o,
        SENIOR,
        &[
            "reserve",
            truck,
            "--amount",
            "20000.00",
            "--reason",
            "new_information",
            "--note",
            "ER bill 2,850.00; truck repair estimate 6,900.00",
        ],
        truck,
    );
    assert_eq!(
        pay(
            &o,
            SENIOR,
            truck,
            "bodily_injury",
            "2850.00",
            "Christine Yates",
            &[]
        )
        .0,
        0
    );
    let p = last_payment(&o, truck);
    assert_eq!(
        (p.exposure.map(|e| e.as_str()), p.co_payee.as_deref()),
        (Some("bodily_injury"), None)
    );
    assert_eq!(
        pay(
            &o,
            SENIOR,
            truck,
            "vehicle",
            "5900.00",
            "Lone Star Mechanical Services LLC",
            &[]
        )
        .0,
        0
    );
    assert_eq!(
        last_payment(&o, truck).co_payee.as_deref(),
        Some("Ford Motor Credit Company LLC")
    );
    let (csv, _) = o.expect(0, &["--format", "csv", "payments"]);
    assert!(
        csv.contains(&format!(
            "{truck},2026-11-20,Christine Yates,,bodily_injury,check,"
        )),
        "{csv}"
    );
    o.assert_sound();
}

#[test]
fn the_mortgagee_is_co_payee_only_on_payments_for_the_building() {
    let o = Office::example();
    let property = "CLM-2610-VA8H-T6J7"; // commercial property, Old National Bank mortgagee
    let insured = "Prairie Cold Storage, Inc.";
    for exposure in ["contents", "business_income"] {
        assert_eq!(
            pay(&o, MANAGER, property, exposure, "1000.00", insured, &[]).0,
            0
        );
        assert_eq!(last_payment(&o, property).co_payee, None, "{exposure}");
    }
    assert_eq!(
        pay(&o, MANAGER, property, "building", "1000.00", insured, &[]).0,
        0
    );
    assert_eq!(
        last_payment(&o, property).co_payee.as_deref(),
        Some("Old National Bank")
    );
    let head = o.head();
    let (code, err) = pay(
        &o,
        MANAGER,
        property,
        "contents",
        "1000.00",
        insured,
        &["--co-payee", "old national bank"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the mortgagee on file holds an interest in the dwelling or building, not in a payment for contents"),
        "{err}"
    );
    assert_eq!(o.head(), head);
    // Another co-payee (the contractor, with the insured's consent) is the adjuster's call.
    assert_eq!(
        pay(
            &o,
            MANAGER,
            property,
            "contents",
            "1000.00",
            insured,
            &["--co-payee", "Joliet Refrigeration Service"],
        )
        .0,
        0
    );
    assert_eq!(
        last_payment(&o, property).co_payee.as_deref(),
        Some("Joliet Refrigeration Service")
    );
    o.assert_sound();
}
