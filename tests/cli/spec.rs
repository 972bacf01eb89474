use crate::common::Office;

#[test]
fn spec_is_generated_from_authority_yaml_and_follows_its_changes() {
    let o = Office::example();
    let (md, _) = o.expect(0, &["spec"]);
    assert!(md.starts_with("# Claims Workflow Specification — Harbor Point Claims Services\n"));
    assert!(
        md.contains("\n# Authority Matrix — Harbor Point Claims Services\n"),
        "{md}"
    );
    // Routing, priorities, denial review and clocks come from the office's settings.
    assert!(md.contains("| 4 | glass | glass_only=true, lob=[personal_auto], states=[TX,FL,IL,MO] | vendor | ClearView Glass Network |  |"), "{md}");
    assert!(md.contains("critical (fatality, catastrophic injury, property loss over 250000.00, litigation) — assign within 2 hours"), "{md}");
    assert!(md.contains("Compliance or counsel review first when: a represented claimant; bodily injury; a reserve over 50000.00"), "{md}");
    assert!(md.contains("- acknowledgment: 10 business days (alert after 7) from received until acknowledged — Office standard"), "{md}");
    assert!(md.contains("| auto_physical_damage | up to 10000.00 | up to 50000.00 | up to 100000.00 | any amount |"), "{md}");
    assert!(
        md.contains(
            "general release for a third party's injury (the injured claimant, never the insured)"
        ),
        "{md}"
    );
    // Every seed component, with its actor.
    for needle in [
        "- Settlement value (adjuster, `claims settle`): actual cash value",
        "- Negotiation (adjuster, with the claimant or their attorney",
        "- Payment (adjuster, `claims pay`): check or ACH",
        "- Subrogation (adjuster, `claims subrogation`)",
        "## 7. Status updates and follow-ups",
        "receivers: the insured, the claimant (through their attorney when represented",
        "- Reported by: the insured, the agent of record, a claimant",
        "- status_letter (CA): 40 calendar days (alert after 33) from proof of loss until coverage decided, then every 30 calendar days after each letter — Cal. Code Regs. tit. 10, §2695.7(c)(1)",
        // The authority matrix: triage authority, and no mark with two meanings.
        "## Triage authority",
        "| assign against the rules (`--override`, with a reason) | assign_override | supervisor, manager, committee",
        "| bodily_injury | no authority | up to 250000.00 | inherits up to 250000.00 (as senior_adjuster) | any amount | inherits any amount (as manager) | manager |",
    ] {
        assert!(md.contains(needle), "lacks {needle:?}:\n{md}");
    }
    let matrix = &md[md.find("# Authority Matrix").unwrap()..];
    assert!(
        !matrix.contains("| — |") && !matrix.contains("—|"),
        "{matrix}"
    );
    assert!(
        md.contains("or without payment with a recorded reason (withdrawn, below deductible"),
        "{md}"
    );

    // Change the staff limit: the matrix follows, nothing to keep in step by hand.
    let a = o
        .read("authority.yaml")
        .replacen("up_to: 10000.00", "up_to: 12500.00", 1);
    std::fs::write(o.root.join("authority.yaml"), a).unwrap();
    let (matrix, _) = o.expect(0, &["spec", "authority"]);
    assert!(matrix.starts_with("# Authority Matrix"));
    assert!(
        matrix.contains("| auto_physical_damage | up to 12500.00 |"),
        "{matrix}"
    );
    let (workflow, _) = o.expect(0, &["spec", "workflow"]);
    assert!(!workflow.contains("# Authority Matrix"));
}
