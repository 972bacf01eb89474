use crate::common::{line_of, Office};
use claims::domain::lifecycle::Status;

#[test]
fn the_sample_office_at_the_project_root_passes() {
    let o = Office::example();
    let root = env!("CARGO_MANIFEST_DIR");
    let (_, err) = o.expect(0, &["check", "--repo", root]);
    assert!(err.contains("0 errors"), "{err}");
}

/// Breaks copies of sample claims in every way the issue lists and expects each finding,
/// with its code and line, in one run.
#[test]
fn broken_files_are_each_reported_with_code_and_line() {
    let o = Office::example();
    let claims = o.claims();
    let auto = claims
        .iter()
        .find(|(_, c)| {
            c.lob.is_auto()
                && c.auto.as_ref().is_some_and(|a| !a.vehicles.is_empty())
                && c.status != Status::Incomplete
        })
        .unwrap();
    let with_reserve = claims
        .iter()
        .find(|(_, c)| !c.reserves.is_empty() && c.id != auto.1.id)
        .unwrap();
    let assigned = claims
        .iter()
        .find(|(_, c)| c.adjuster().is_some() && c.id != auto.1.id && c.id != with_reserve.1.id)
        .unwrap();
    let others: Vec<_> = claims
        .iter()
        .filter(|(_, c)| c.id != auto.1.id && c.id != with_reserve.1.id && c.id != assigned.1.id)
        .take(3)
        .collect();

    // Auto claim without a VIN.
    let text = o.read(&auto.0);
    let vin = auto.1.auto.as_ref().unwrap().vehicles[0]
        .vin
        .clone()
        .unwrap();
    let broken: String = text
        .lines()
        .filter(|l| l.trim() != format!("vin: {vin}"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(o.root.join(&auto.0), &broken).unwrap();

    // Negative reserve.
    let text = o.read(&with_reserve.0);
    let amount = with_reserve.1.reserves[0].amount.to_string();
    let broken = text.replacen(&format!("amount: {amount}"), "amount: -500.00", 1);
    std::fs::write(o.root.join(&with_reserve.0), &broken).unwrap();
    let reserve_line = line_of(&broken, "amount: -500.00");

    // Unknown adjuster.
    let text = o.read(&assigned.0);
    let adj = assigned.1.adjuster().unwrap().to_string();
    let broken = text.replace(
        &format!("adjuster: {adj}"),
        "adjuster: ghost@nowhere.example",
    );
    std::fs::write(o.root.join(&assigned.0), &broken).unwrap();
    let adjuster_line = line_of(&broken, "adjuster: ghost@nowhere.example");

    // Malformed YAML.
    let text = o.read(&others[0].0);
    std::fs::write(
        o.root.join(&others[0].0),
        text.replacen("status:", "status: [unclosed", 1),
    )
    .unwrap();

    // Unknown (misspelled) field.
    let text = o.read(&others[1].0);
    let broken = text.replacen("\nchannel:", "\nchanel:", 1);
    std::fs::write(o.root.join(&others[1].0), &broken).unwrap();
    let unknown_line = line_of(&broken, "chanel:");

    // File name not equal to the id.
    let (rel, _) = others[2];
    let folder = rel.rsplit_once('/').unwrap().0;
    let renamed = format!("{folder}/CLM-2611-0000-0000.yaml");
    std::fs::rename(o.root.join(rel), o.root.join(&renamed)).unwrap();

    let (out, _) = o.expect(1, &["check"]);
    let has = |file: &str, line: Option<usize>, code: &str| {
        let prefix = match line {
            Some(l) => format!("{file}:{l}:"),
            None => format!("{file}:"),
        };
        assert!(
            out.lines()
                .any(|l| l.starts_with(&prefix) && l.contains(&format!("error[{code}]"))),
            "expected {code} at {prefix} in:\n{out}"
        );
    };
    has(&auto.0, None, "N001");
    assert!(out.contains("requires `auto.vehicles[0].vin`"), "{out}");
    has(&with_reserve.0, Some(reserve_line), "M001");
    has(&assigned.0, Some(adjuster_line), "R002");
    has(&others[0].0, None, "Y001");
    has(&others[1].0, Some(unknown_line), "Y002");
    has(&renamed, None, "F001");

    // JSON carries the same code, file, line and claim id.
    let (json, _) = o.expect(1, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], 1);
    let findings = v["findings"].as_array().unwrap();
    let m001 = findings.iter().find(|f| f["code"] == "M001").unwrap();
    assert_eq!(m001["file"], with_reserve.0.as_str());
    assert_eq!(m001["line"], reserve_line);
    assert_eq!(m001["claim"], with_reserve.1.id.as_str());

    // GitHub annotations.
    let (gh, _) = o.expect(1, &["check", "--format", "github"]);
    assert!(
        gh.lines().any(|l| l.starts_with(&format!(
            "::error file={},line={reserve_line},",
            with_reserve.0
        )) && l.contains("title=M001::")),
        "{gh}"
    );

    // Checking only one good file passes.
    let good = claims
        .iter()
        .find(|(p, _)| {
            ![
                &auto.0,
                &with_reserve.0,
                &assigned.0,
                &others[0].0,
                &others[1].0,
                rel,
            ]
            .contains(&p)
        })
        .unwrap();
    o.expect(0, &["check", &good.0]);
}

#[test]
fn every_code_is_explained() {
    let o = Office::example();
    let (out, _) = o.expect(0, &["explain"]);
    for code in ["Y001", "N001", "M001", "R002", "F001"] {
        assert!(out.contains(code));
    }
    let (out, _) = o.expect(0, &["explain", "n002"]);
    assert!(out.contains("check digit"), "{out}");
    o.expect(2, &["explain", "Z999"]);
}

#[test]
fn list_and_show_read_the_office() {
    let o = Office::example();
    let (csv, _) = o.expect(0, &["list", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,status,lob,state,received,policy,insured,agent,priority,adjuster,reserve,paid"
    );
    assert_eq!(lines.count(), o.claims().len());
    let (_, c) = o.claim_where(|c| c.status == Status::Investigating);
    let (only, _) = o.expect(
        0,
        &["list", "--status", "investigating", "--format", "json"],
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&only).unwrap();
    assert!(rows.iter().all(|r| r["status"] == "investigating"));
    assert!(rows.iter().any(|r| r["id"] == c.id.as_str()));
    let (show, _) = o.expect(0, &["show", &c.id.to_lowercase()]);
    assert!(
        show.contains(&c.id) && show.contains("investigating"),
        "{show}"
    );
    let (yaml, _) = o.expect(0, &["show", &c.id, "--format", "yaml"]);
    assert_eq!(yaml, o.read(&o.claim_where(|x| x.id == c.id).0));
    o.expect(1, &["show", "CLM-2611-ZZZZ-ZZZZ"]);
    // A closed pipe is not an error.
    let status = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "set -o pipefail; '{}' list --format csv | head -1 >/dev/null",
                env!("CARGO_BIN_EXE_claims")
            ),
        ])
        .current_dir(&o.root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success());
}
