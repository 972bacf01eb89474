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
            "- Release by the person giving up the claim: the injured claimant (never the insured)"
        ),
        "{md}"
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
