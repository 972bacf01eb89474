//! `claims report`: each report's figures against a small office computed by hand (dates
//! across month ends, the year end and holidays, in office time), against a second
//! computation in Python (PyYAML and pandas) over a generated office, the triangle loaded by
//! chainladder, and the dashboard rendered by headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::common::Office;

const BASE: &str = "claims/2026/11/CLM-2611-YFNF-X1DT.yaml";

/// A claim written by hand from the sample's: `set` replaces top-level fields.
fn write_claim(o: &Office, base: &str, id: &str, set: Value) {
    let mut c: serde_json::Map<String, Value> = serde_yaml::from_str(base).unwrap();
    for k in [
        "history",
        "payments",
        "reserves",
        "closure",
        "sla",
        "tasks",
        "documents",
    ] {
        c.remove(k);
    }
    c.insert("id".into(), id.into());
    for (k, v) in set.as_object().unwrap() {
        c.insert(k.clone(), v.clone());
    }
    let month = &id[4..8];
    let dir = o
        .root
        .join(format!("claims/20{}/{}", &month[..2], &month[2..]));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{id}.yaml")),
        serde_yaml::to_string(&c).unwrap(),
    )
    .unwrap();
}

fn event(at: &str, status: &str) -> Value {
    json!({"at": at, "by": "lpark@harborpoint.example", "event": "step", "status": status})
}

fn payment(at: &str, amount: &str) -> Value {
    json!({"at": at, "by": "lpark@harborpoint.example", "role": "supervisor", "payee": "Insured",
           "method": "check", "reference": "100", "amount": amount, "state": "effective"})
}

fn reserve(at: &str, previous: &str, amount: &str) -> Value {
    json!({"at": at, "by": "praman@harborpoint.example", "role": "staff_adjuster", "amount": amount,
           "previous": previous, "reason": "adjustment", "state": "effective"})
}

/// Four claims whose figures are worked out in the comments.
fn hand_office() -> Office {
    let o = Office::example();
    let base = o.read(BASE);
    std::fs::remove_dir_all(o.root.join("claims")).unwrap();
    // A: reported at 23:30 on New Year's Eve office time (already Jan 1 in UTC, a holiday);
    // paid Jan 30, closed Feb 2: 33 days, 30 to the final payment.
    write_claim(
        &o,
        &base,
        "CLM-2512-AAAA-0001",
        json!({"received_at": "2025-12-31T23:30:00-06:00", "status": "closed", "jurisdiction": "TX",
               "lob": "personal_auto", "loss": {"date": "2025-12-30", "description": "hit"},
               "sla": {"acknowledged_at": "2026-01-02T09:00:00-06:00"},
               "reserves": [reserve("2026-01-02T09:30:00-06:00", "0.00", "1000.00"),
                            reserve("2026-02-02T10:00:00-06:00", "1000.00", "500.00")],
               "payments": [payment("2026-01-30T10:00:00-06:00", "500.00")],
               "history": [event("2025-12-31T23:30:00-06:00", "reported"),
                           event("2026-02-02T10:00:00-06:00", "closed")]}),
    );
    // B: reported Nov 30, open; reserve walked up three times with nothing new on file.
    write_claim(
        &o,
        &base,
        "CLM-2611-BBBB-0002",
        json!({"received_at": "2026-11-30T17:00:00-06:00", "status": "investigating",
               "jurisdiction": "TX", "lob": "property", "loss": {"date": "2026-11-29", "description": "roof"},
               "reserves": [reserve("2026-12-01T09:00:00-06:00", "0.00", "5000.00"),
                            reserve("2026-12-15T09:00:00-06:00", "5000.00", "5500.00"),
                            reserve("2026-12-28T09:00:00-06:00", "5500.00", "6000.00"),
                            reserve("2027-01-02T09:00:00-06:00", "6000.00", "6600.00")],
               "history": [event("2026-11-30T17:00:00-06:00", "reported"),
                           event("2026-12-01T09:00:00-06:00", "investigating")]}),
    );
    // C: reported June 30 late evening (July 1 in UTC), denied July 31: 31 days, not 30.
    write_claim(
        &o,
        &base,
        "CLM-2606-CCCC-0003",
        json!({"received_at": "2026-06-30T23:59:00-05:00", "status": "denied", "jurisdiction": "CA",
               "lob": "general_liability", "loss": {"date": "2026-06-20", "description": "fall"},
               "history": [event("2026-06-30T23:59:00-05:00", "reported"),
                           event("2026-07-31T12:00:00-05:00", "denied")]}),
    );
    // D: reported on New Year's Eve 2026, open.
    write_claim(
        &o,
        &base,
        "CLM-2612-DDDD-0004",
        json!({"received_at": "2026-12-31T10:00:00-06:00", "status": "reported", "jurisdiction": "TX",
               "lob": "personal_auto", "loss": {"date": "2026-12-31", "description": "hail"},
               "history": [event("2026-12-31T10:00:00-06:00", "reported")]}),
    );
    o
}

fn csv_of(o: &Office, args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["--format", "csv"]);
    let (out, _) = o.expect(0, &all);
    out.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn each_report_matches_the_figures_worked_by_hand() {
    let o = hand_office();
    let as_of = ["--as-of", "2027-01-04"];

    // Open on Jan 4: B (35 days) and D (4 days).
    let aging = csv_of(&o, &["inventory", as_of[0], as_of[1]]);
    assert_eq!(
        aging,
        [
            vec![
                "0-30",
                "31-60",
                "61-90",
                "91-180",
                "181-365",
                "over 365",
                "open",
                "median_age_days"
            ],
            vec!["1", "1", "0", "0", "0", "0", "2", "19.5"]
        ]
    );
    // By state: B and D are both Texas.
    let by_state = csv_of(&o, &["inventory", "--as-of", "2027-01-04", "--by", "state"]);
    assert_eq!(by_state[1][0], "TX");
    assert_eq!(by_state.len(), 2);

    // 2026: B, C, D opened (A on New Year's Eve 2025, office time); A closed with payment,
    // C without.
    let closing = csv_of(
        &o,
        &["closing", "--from", "2026-01-01", "--to", "2026-12-31"],
    );
    assert_eq!(closing[1], ["3", "2", "1", "1", "0.667"]);

    // The 2026 activity by state and line.
    let activity = csv_of(&o, &["activity", "--year", "2026"]);
    let h = &activity[0];
    let row = |state: &str, line: &str| -> std::collections::HashMap<String, String> {
        let r = activity
            .iter()
            .find(|r| r[0] == state && r[1] == line)
            .unwrap_or_else(|| panic!("no row {state} {line}: {activity:?}"));
        h.iter().cloned().zip(r.iter().cloned()).collect()
    };
    let tx = row("TX", "personal_auto");
    assert_eq!(tx["open_at_start"], "1");
    assert_eq!(tx["opened"], "1");
    assert_eq!(tx["closed_with_payment"], "1");
    assert_eq!(tx["median_days_to_final_payment"], "30.0");
    assert_eq!(tx["closed_31-60_days"], "1");
    assert_eq!(tx["open_at_end"], "1");
    let ca = row("CA", "general_liability");
    assert_eq!(ca["closed_without_payment"], "1");
    assert_eq!(ca["closed_0-30_days"], "0", "June 30 to July 31 is 31 days");
    assert_eq!(ca["closed_31-60_days"], "1");
    assert_eq!(row("TX", "property")["open_at_end"], "1");

    // Lags of the claims reported in 2025 (only A): loss a day before, contact 2 days
    // after, first payment 30, closed 33.
    let lags = csv_of(
        &o,
        &[
            "lags",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--as-of",
            "2027-01-04",
        ],
    );
    let median = |m: &str| lags.iter().find(|r| r[0] == m).unwrap()[2].clone();
    assert_eq!(median("loss_to_reported"), "1.0");
    assert_eq!(median("reported_to_first_contact"), "2.0");
    assert_eq!(median("reported_to_first_payment"), "30.0");
    assert_eq!(median("reported_to_closed"), "33.0");

    // B's fourth change completes three increases with nothing new: stair-stepping.
    let reserves = csv_of(
        &o,
        &[
            "reserves",
            "--flagged",
            "--from",
            "2026-01-01",
            "--to",
            "2027-01-04",
        ],
    );
    let flags = reserves[0].iter().position(|c| c == "flags").unwrap();
    let b: Vec<&Vec<String>> = reserves
        .iter()
        .filter(|r| r[0] == "CLM-2611-BBBB-0002")
        .collect();
    assert_eq!(b.len(), 4);
    assert_eq!(b[3][flags], "stair_stepping");
    assert!(b[..3].iter().all(|r| r[flags].is_empty()));
    assert!(
        reserves.iter().all(|r| r[0] != "CLM-2512-AAAA-0001"),
        "A has no flag: {reserves:?}"
    );

    // A's triangle: valued at each quarter's end from its notice, and on the report's date.
    let tri = csv_of(&o, &["triangles", "--as-of", "2027-01-04"]);
    let a: Vec<&Vec<String>> = tri
        .iter()
        .filter(|r| r[0] == "CLM-2512-AAAA-0001")
        .collect();
    let dates: Vec<&str> = a.iter().map(|r| r[5].as_str()).collect();
    assert_eq!(
        dates,
        [
            "2025-12-31",
            "2026-03-31",
            "2026-06-30",
            "2026-09-30",
            "2026-12-31",
            "2027-01-04"
        ]
    );
    // Dec 31 2025: reported, nothing reserved or paid yet; Mar 31: paid 500, closed with pay.
    assert_eq!(a[0][6..], ["0.00", "0.00", "0.00", "1", "0", "0", "1"]);
    assert_eq!(a[1][6..], ["500.00", "0.00", "500.00", "1", "1", "0", "0"]);
    // JSON carries the same figures as numbers.
    let (json, _) = o.expect(
        0,
        &[
            "report",
            "closing",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["opened"], 3);
    assert_eq!(v[0]["closing_ratio"], 0.667);
}

#[test]
fn office_choices_change_the_counts_they_name() {
    let o = hand_office();
    // Reopen C in August and close it again in September.
    let path = o.root.join("claims/2026/06/CLM-2606-CCCC-0003.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut c: serde_json::Map<String, Value> = serde_yaml::from_str(&text).unwrap();
    let h = c.get_mut("history").unwrap().as_array_mut().unwrap();
    h.push(event("2026-08-10T09:00:00-05:00", "investigating"));
    h.push(event("2026-09-10T09:00:00-05:00", "closed"));
    c.insert("status".into(), "closed".into());
    std::fs::write(&path, serde_yaml::to_string(&c).unwrap()).unwrap();
    let count = |o: &Office| {
        csv_of(
            o,
            &["closing", "--from", "2026-01-01", "--to", "2026-12-31"],
        )[1]
        .clone()
    };
    // A new claim: the reopening opens one and closes it (4 opened, 3 closed).
    assert_eq!(count(&o)[..2], ["4", "3"]);
    // The same claim: opened once, closed once (its last closing).
    let yaml = o.read("authority.yaml") + "\nreporting:\n  reopened: same_claim\n";
    std::fs::write(o.root.join("authority.yaml"), yaml).unwrap();
    assert_eq!(count(&o)[..2], ["3", "2"]);
    // Settings are checked: bands out of order are refused by `claims check`.
    let yaml = o.read("authority.yaml") + "  aging_days: [60, 30]\n";
    std::fs::write(o.root.join("authority.yaml"), yaml).unwrap();
    let (out, _) = o.expect(1, &["check", "authority.yaml"]);
    assert!(out.contains("reporting.aging_days"), "{out}");
}

/// The Python of the test tools (`make test-tools`: a virtual environment with PyYAML, pandas
/// and chainladder), or None with the reason.
fn python() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let py = std::env::var_os("CLAIMS_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".test-tools/venv/bin/python"));
    let ok = Command::new(&py)
        .args(["-c", "import yaml, pandas"])
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(py)
    } else {
        Err(format!(
            "{} has no pandas and PyYAML (run `make test-tools`)",
            py.display()
        ))
    }
}

/// One generated office of 400 claims, made once for the tests that only read it.
fn generated() -> &'static Office {
    static OFFICE: std::sync::OnceLock<Office> = std::sync::OnceLock::new();
    OFFICE.get_or_init(|| {
        // Under target/tmp: a static is never dropped, so its folder outlives the tests.
        let o = Office::example_in(Path::new(env!("CARGO_TARGET_TMPDIR")));
        let dir = o.scratch().join("generated");
        o.expect(
            0,
            &["generate-office", dir.to_str().unwrap(), "--claims", "400"],
        );
        o.at(dir)
    })
}

#[test]
fn reports_agree_with_a_second_computation_in_pandas() {
    let py = match python() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("SKIPPED reports_agree_with_a_second_computation_in_pandas: {why}");
            return;
        }
    };
    let o = generated();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reports/independent.py");
    let out = Command::new(&py)
        .arg(&script)
        .args([o.root.to_str().unwrap(), "2026-11-20", "2026"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = |args: &[&str]| -> Value {
        let mut all = vec!["report"];
        all.extend_from_slice(args);
        all.extend(["--format", "json"]);
        serde_json::from_str(&o.expect(0, &all).0).unwrap()
    };
    let aging = ours(&["inventory", "--as-of", "2026-11-20"]);
    assert!(
        theirs["aging"]["open"].as_u64().unwrap() > 50,
        "a real office: {theirs}"
    );
    assert_eq!(aging[0], theirs["aging"], "aging");
    let closing = ours(&["closing", "--from", "2026-01-01", "--to", "2026-11-20"]);
    for k in [
        "opened",
        "closed",
        "closed_with_payment",
        "closed_without_payment",
    ] {
        assert_eq!(closing[0][k], theirs["closing"][k], "{k}");
    }
    let activity = ours(&["activity", "--year", "2026"]);
    let theirs_activity = theirs["activity"].as_array().unwrap();
    assert_eq!(activity.as_array().unwrap().len(), theirs_activity.len());
    for t in theirs_activity {
        let r = activity
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["state"] == t["state"] && r["line"] == t["line"])
            .unwrap();
        for (k, v) in t.as_object().unwrap() {
            assert_eq!(&r[k], v, "{} {} {k}", t["state"], t["line"]);
        }
    }
}

#[test]
fn the_triangle_loads_in_chainladder() {
    let o = generated();
    let (csv, _) = o.expect(0, &["report", "triangles", "--as-of", "2026-11-20"]);
    // The long format chainladder documents: one row per origin and development date.
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "claim,line,state,accident_date,report_date,valuation_date,paid,case_reserve,incurred,reported,closed_with_pay,closed_without_pay,open"
    );
    let file = o.scratch().join("triangle.csv");
    std::fs::write(&file, &csv).unwrap();
    let py = match python() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("SKIPPED loading the triangle in chainladder: {why}");
            return;
        }
    };
    let has_cl = Command::new(&py)
        .args(["-c", "import chainladder"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_cl {
        eprintln!(
            "SKIPPED loading the triangle in chainladder: chainladder is not installed in {}",
            py.display()
        );
        return;
    }
    let script = r#"
import sys, pandas as pd, chainladder as cl
df = pd.read_csv(sys.argv[1])
tri = cl.Triangle(df, origin="accident_date", development="valuation_date",
                  columns=["paid", "incurred", "reported", "open"], cumulative=True)
latest = df[df.valuation_date == df.valuation_date.max()]
# The latest diagonal of the triangle sums to the latest valuation of every claim.
print(round(float(tri["paid"].latest_diagonal.sum()), 2), round(float(latest.paid.sum()), 2))
print(tri.shape[1], tri.shape[2] > 1)
"#;
    let out = Command::new(&py)
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let sums: Vec<&str> = lines.next().unwrap().split(' ').collect();
    assert_eq!(sums[0], sums[1], "{text}");
    assert_ne!(sums[0], "0.0", "{text}");
    assert_eq!(lines.next().unwrap(), "4 True", "{text}");
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        })
}

#[test]
fn the_dashboard_is_one_page_of_charts_that_chromium_renders() {
    let o = Office::example();
    let page = o.scratch().join("dashboard.html");
    let (_, err) = o.expect(
        0,
        &[
            "report",
            "dashboard",
            "--html",
            page.to_str().unwrap(),
            "--from",
            "2026-08-01",
            "--as-of",
            "2026-11-20",
        ],
    );
    assert!(err.contains("wrote"), "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained and readable without JavaScript.
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no network"
    );
    let svgs: Vec<&str> = html
        .match_indices("<svg")
        .map(|(i, _)| &html[i..i + html[i..].find("</svg>").unwrap() + 6])
        .collect();
    assert_eq!(svgs.len(), 5, "five charts");
    for svg in &svgs {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("an SVG does not parse: {e}"));
    }
    for title in [
        "Open inventory over time",
        "Aging of open claims",
        "SLA status by adjuster",
        "Cycle time trend",
        "Reserve development of the largest claims",
    ] {
        assert!(html.contains(title), "{title}");
    }
    // The largest reserve of the sample office is its commercial property loss.
    assert!(html.contains("CLM-2610-VA8H-T6J7"));

    let Some(browser) = chromium() else {
        eprintln!("SKIPPED rendering the dashboard: no chromium on PATH (run `make test-tools`)");
        return;
    };
    let shot = o.scratch().join("dashboard.png");
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1400,2200",
            &format!("--user-data-dir={}", o.scratch().join("chromium").display()),
            &format!("--screenshot={}", shot.display()),
            &format!("file://{}", page.display()),
        ])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(!log.contains("CONSOLE"), "console messages: {log}");
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    assert!(
        png.len() > 50_000,
        "a screenshot with charts in it ({} bytes)",
        png.len()
    );
}

/// `claims ARGS` as if run at `when` (office time), expecting exit 0.
fn run_at(o: &Office, when: &str, args: &[&str]) {
    let out = o.cmd(args).env("CLAIMS_NOW", when).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The working tree committed with plain git by `author` with their own key, dated `when`.
fn hand_commit_at(o: &Office, author: &str, when: &str, message: &str) {
    o.git_ok(&["add", "-A"]);
    let key = format!("user.signingkey={}", o.key_of(author));
    let email = format!("user.email={author}");
    let out = o
        .git_cmd(&[
            "-c", &email, "-c", &key, "commit", "-q", "-S", "-m", message,
        ])
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn touches_and_error_trends_come_from_who_committed_what_and_when() {
    use crate::common::people::{MANAGER, SENIOR, STAFF};
    let o = Office::example();
    let claim = "CLM-2611-FS2R-811K";
    // Whitfield twice in January, the second on the 31st at 8 pm (February 1 in UTC).
    run_at(
        &o,
        "2027-01-05T10:00:00-06:00",
        &["--as", STAFF, "note", claim, "Called back"],
    );
    run_at(
        &o,
        "2027-01-31T20:00:00-06:00",
        &["--as", STAFF, "note", claim, "Left voicemail"],
    );
    // Martinez once with the tool, then once by hand: a merge into a claim that is not there.
    run_at(
        &o,
        "2027-02-01T09:00:00-06:00",
        &["--as", SENIOR, "note", claim, "Inspection booked"],
    );
    let path = o.root.join("claims/2026/11/CLM-2611-FS2R-811K.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}merged_into: CLM-2611-ZZZZ-ZZZZ\n")).unwrap();
    hand_commit_at(&o, SENIOR, "2027-02-10T11:00:00-06:00", "merge by hand");
    // Whitfield again in March: the claim still carries the bad reference, which is not
    // Whitfield's error and not a second one.
    run_at(
        &o,
        "2027-03-02T10:00:00-06:00",
        &["--as", STAFF, "note", claim, "Reviewed file"],
    );

    let rows = csv_of(
        &o,
        &["productivity", "--from", "2026-11-01", "--to", "2027-03-31"],
    );
    assert_eq!(rows[0][5], "touches");
    let touches = |who: &str, month: &str| {
        rows.iter()
            .find(|r| r[0] == who && r[1] == month)
            .map(|r| r[5].clone())
    };
    assert_eq!(touches(STAFF, "2027-01").as_deref(), Some("2"));
    assert_eq!(touches(STAFF, "2027-02").as_deref(), Some("0"));
    assert_eq!(touches(STAFF, "2027-03").as_deref(), Some("1"));
    assert_eq!(touches(SENIOR, "2027-02").as_deref(), Some("2"));
    // The office's founding commit, by the manager who opened it.
    assert_eq!(touches(MANAGER, "2026-11").as_deref(), Some("1"));
    let all: usize = rows[1..]
        .iter()
        .map(|r| r[5].parse::<usize>().unwrap())
        .sum();
    assert_eq!(all, 6, "{rows:?}");

    // The check findings: one R004, in February, Martinez's; nothing from the founding commit.
    let errors = csv_of(
        &o,
        &[
            "errors",
            "--source",
            "check",
            "--from",
            "2026-11-01",
            "--to",
            "2027-03-31",
        ],
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        errors[1][..6],
        ["2027-02", "check", "R004", "error", SENIOR, "1"]
    );
    // The audit findings: the hand edit, in the same month, by the same person.
    let audit = csv_of(
        &o,
        &[
            "errors",
            "--source",
            "audit",
            "--from",
            "2026-11-01",
            "--to",
            "2027-03-31",
        ],
    );
    assert!(audit.len() > 1, "{audit:?}");
    for r in &audit[1..] {
        assert_eq!(
            (r[0].as_str(), r[4].as_str()),
            ("2027-02", SENIOR),
            "{audit:?}"
        );
    }
}
