use std::collections::{BTreeMap, BTreeSet};

use crate::common::Office;

/// Every claim and policy file of a generated office: path → contents.
fn records(root: &std::path::Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for dir in ["claims", "policies"] {
        for e in walkdir::WalkDir::new(root.join(dir)) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                out.insert(rel, std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
fn a_generated_office_is_valid_varied_signed_and_the_same_for_the_same_seed() {
    let o = Office::example();
    let args = |dir: &str, seed: &str| {
        vec![
            "generate-office".to_string(),
            o.root.join("..").join(dir).to_string_lossy().to_string(),
            "--claims".into(),
            "400".into(),
            "--policies".into(),
            "60".into(),
            "--people".into(),
            "24".into(),
            "--seed".into(),
            seed.into(),
        ]
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        o.expect(0, &a)
    };
    let (_, err) = run(args("gen-a", "11"));
    assert!(
        err.contains("384 new claims, 46 new policies, 24 people (seed 11)"),
        "{err}"
    );
    let a = o.root.join("../gen-a");

    // Valid: claims check finds nothing; the one commit verifies with plain git.
    let check = o.cmd(&["check"]).current_dir(&a).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let verify = o.git(&["-C", a.to_str().unwrap(), "verify-commit", "HEAD"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let log = o.git_ok(&[
        "-C",
        a.to_str().unwrap(),
        "log",
        "--format=%(trailers:key=Command,valueonly)",
    ]);
    assert_eq!(
        log.split_whitespace().collect::<Vec<_>>(),
        ["generate-office", "init"]
    );

    // Varied: every line of business, the stages of the lifecycle, two years of receipts.
    let (csv, _) = {
        let out = o
            .cmd(&["--format", "csv", "list"])
            .current_dir(&a)
            .output()
            .unwrap();
        (String::from_utf8(out.stdout).unwrap(), ())
    };
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 400);
    let statuses: BTreeSet<&str> = rows.iter().map(|r| r[1]).collect();
    for s in [
        "reported",
        "triaged",
        "assigned",
        "investigating",
        "settlement_pending",
        "settled",
        "closed",
        "denial_recommended",
        "denied",
    ] {
        assert!(statuses.contains(s), "no {s} claim: {statuses:?}");
    }
    let lines: BTreeSet<&str> = rows.iter().map(|r| r[2]).collect();
    assert_eq!(lines.len(), 6, "{lines:?}");
    let years: BTreeSet<&str> = rows.iter().map(|r| &r[4][..4]).collect();
    assert!(
        years.contains("2025") && years.contains("2026"),
        "{years:?}"
    );
    // 24 people, each with a key.
    let office: claims::domain::office::Office =
        serde_yaml::from_str(&std::fs::read_to_string(a.join("authority.yaml")).unwrap()).unwrap();
    assert_eq!(office.people.len(), 24);
    assert!(office
        .people
        .iter()
        .filter(|p| p.active)
        .all(|p| p.signing_key.is_some()));

    // Deterministic: the same seed makes the same records; another seed, others.
    run(args("gen-b", "11"));
    assert_eq!(records(&a), records(&o.root.join("../gen-b")));
    run(args("gen-c", "12"));
    assert_ne!(records(&a), records(&o.root.join("../gen-c")));
}
