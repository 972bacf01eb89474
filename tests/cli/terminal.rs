//! The terminal experience: help in workflow order, tables fitted to a width (COLUMNS, as a
//! terminal gives), plain and stable when piped, color only when asked, completions and
//! manual pages. Snapshots are in tests/cli/snapshots/.

use crate::common::Office;
use unicode_width::UnicodeWidthStr;

/// `claims ARGS` with `env` set, expecting exit `code`; (stdout, stderr).
fn expect_with(o: &Office, env: &[(&str, &str)], code: i32, args: &[&str]) -> (String, String) {
    let mut cmd = o.cmd(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let (so, se) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert_eq!(out.status.code(), Some(code), "claims {args:?}\n{so}\n{se}");
    (so, se)
}

fn widest_line(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[test]
fn help_lists_commands_under_workflow_headings() {
    let o = Office::example();
    let (help, _) = o.expect(0, &["--help"]);
    insta::assert_snapshot!("help", help);
    let at = |h: &str| {
        help.find(&format!("\n{h}:\n"))
            .unwrap_or_else(|| panic!("{h}"))
    };
    let order = [
        "Intake",
        "Triage",
        "Assignment",
        "Investigation",
        "Reserves and settlement",
        "Denial",
        "Status and SLA",
        "Records",
        "Office and audit",
    ];
    for w in order.windows(2) {
        assert!(at(w[0]) < at(w[1]), "{} before {}", w[0], w[1]);
    }
    assert!(!help.contains('\x1b'), "no escapes in piped help");
    // `claims help` says the same; `claims help COMMAND` is that command's --help.
    assert_eq!(o.expect(0, &["help"]).0, help);
    assert_eq!(
        o.expect(0, &["help", "triage"]).0,
        o.expect(0, &["triage", "--help"]).0
    );
    let (_, err) = o.expect(2, &["help", "no-such-command"]);
    assert!(err.contains("no command `no-such-command`"), "{err}");
}

#[test]
fn help_workflow_maps_the_lifecycle_on_one_screen() {
    let o = Office::example();
    let (map, _) = o.expect(0, &["help", "workflow"]);
    insta::assert_snapshot!("help_workflow", map);
    assert!(
        map.lines().count() <= 24 && widest_line(&map) <= 100,
        "{map}"
    );
    // Every command the map names exists.
    for line in map.lines() {
        for word in line.split("claims ").skip(1) {
            let cmd = word.split([' ', ',', ';', '|']).next().unwrap();
            if !cmd.is_empty() && cmd != "help" {
                o.expect(0, &[cmd, "--help"]);
            }
        }
    }
}

#[test]
fn list_fits_80_and_100_columns() {
    let o = Office::example();
    for width in ["80", "100"] {
        let (table, _) = expect_with(&o, &[("COLUMNS", width)], 0, &["list"]);
        assert!(widest_line(&table) <= width.parse().unwrap(), "{table}");
        insta::assert_snapshot!(format!("list_at_{width}"), table);
        // One line per claim (and the header, its rule and what was left out).
        assert_eq!(table.lines().count(), 16 + 3, "{table}");
    }
}

#[test]
fn show_wraps_what_happened_at_80_columns() {
    let o = Office::example();
    let (table, _) = expect_with(&o, &[("COLUMNS", "80")], 0, &["show", "CLM-2611-33T6-3CJ0"]);
    assert!(widest_line(&table) <= 80, "{table}");
    insta::assert_snapshot!("show_at_80", table);
    // Piped, the same words on one line each.
    let (plain, _) = o.expect(0, &["show", "CLM-2611-33T6-3CJ0"]);
    let what = plain
        .lines()
        .find(|l| l.starts_with("what happened"))
        .unwrap();
    assert!(what.len() > 150, "{what}");
    let words = |t: &str| {
        t.lines()
            .skip(2)
            .flat_map(str::split_whitespace)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(words(&table), words(&plain));
}

#[test]
fn names_in_any_script_line_up_by_display_width() {
    let o = Office::example();
    let row = |insured: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("lob", "personal_auto"),
            ("policy_number", "PAU-IL-2026-20931"),
            ("insured_name", insured),
            ("reporter_name", insured),
            ("reporter_phone", "(630) 555-0122"),
            ("loss_date", "2026-11-09"),
            ("loss_time", "08:15"),
            ("loss_location", "Route 59 and 75th St, Naperville, IL"),
            ("loss_description", "Hit by a car running the light"),
            ("loss_cause", "collision"),
            ("vehicle1_year", "2010"),
            ("vehicle1_make", "Toyota"),
            ("vehicle1_model", "Camry"),
            ("vehicle1_vin", "4T1BB3EK5AU118081"),
            ("vehicle1_damage", "front end"),
        ]
    };
    let (dana, lee) = (row("Dana Núñez"), row("李小龙"));
    let ids = o.intake_rows(&[("dana", &dana), ("lee", &lee)]);
    // The ids are new each run; the snapshots hold them as placeholders of the same width.
    // The two were received at the same moment: their order is their random ids', so the
    // snapshots hold them in a fixed order.
    let placeholders = |t: String| {
        let t = t
            .replace(&ids["dana"], "CLM-NEW1-DANA-0001")
            .replace(&ids["lee"], "CLM-NEW2-LEEE-0002");
        let mut lines: Vec<&str> = t.lines().collect();
        let new: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].starts_with("CLM-NEW"))
            .collect();
        if lines[new[0]].starts_with("CLM-NEW2") {
            lines.swap(new[0], new[1]);
        }
        lines.join("\n") + "\n"
    };
    let piped = placeholders(o.expect(0, &["list", "--status", "reported"]).0);
    insta::assert_snapshot!("list_non_ascii_piped", piped);
    let fitted = placeholders(
        expect_with(
            &o,
            &[("COLUMNS", "100")],
            0,
            &["list", "--status", "reported"],
        )
        .0,
    );
    insta::assert_snapshot!("list_non_ascii_at_100", fitted);
    assert!(widest_line(&fitted) <= 100, "{fitted}");
    // Each column starts at the same display column on every line, though one name is 10
    // characters of width 10 and the other 3 of width 6: where a line's cells start (a
    // non-space after a space) is the same on each.
    for table in [&piped, &fitted] {
        let starts = |l: &str| -> Vec<usize> {
            let mut at = Vec::new();
            let (mut w, mut prev) = (0, ' ');
            for c in l.chars() {
                if c != ' ' && prev == ' ' {
                    at.push(w);
                }
                w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                prev = c;
            }
            at
        };
        let rule = starts(table.lines().nth(1).unwrap());
        for l in table.lines().skip(2).filter(|l| l.starts_with("CLM-")) {
            let cells = starts(l);
            // A cell of words ("Dana Núñez") starts more than once; each column's start is
            // among the line's starts.
            for col in rule.iter().take(7) {
                assert!(cells.contains(col), "column at {col} in {l:?}\n{table}");
            }
        }
    }
    assert!(
        piped.contains("Dana Núñez") && piped.contains("李小龙"),
        "{piped}"
    );
}

#[test]
fn piped_output_has_no_terminal_formatting() {
    let o = Office::example();
    let (table, _) = o.expect(0, &["list"]);
    assert!(!table.contains('\x1b') && !table.contains('…'), "{table}");
    // Every cell whole, on one line per claim, however wide that is.
    let (csv, _) = o.expect(0, &["--format", "csv", "list"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    for (rec, line) in r.records().zip(table.lines().skip(2)) {
        let rec = rec.unwrap();
        let mut at = 0;
        for cell in rec.iter().filter(|c| !c.is_empty()) {
            let found = line[at..]
                .find(cell)
                .unwrap_or_else(|| panic!("{cell} in {line}"));
            at += found + cell.len();
        }
    }
    assert!(
        widest_line(&table) > 100,
        "the piped table is as wide as its cells"
    );
    // CSV and JSON take no notice of the width.
    for f in ["csv", "json"] {
        let piped = o.expect(0, &["--format", f, "list"]).0;
        let narrow = expect_with(&o, &[("COLUMNS", "40")], 0, &["--format", f, "list"]).0;
        assert_eq!(piped, narrow, "--format {f}");
    }
}

#[test]
fn color_only_when_asked_and_never_with_no_color_or_never() {
    let o = Office::example();
    let forced = expect_with(&o, &[("CLICOLOR_FORCE", "1")], 0, &["list"]).0;
    assert!(forced.contains("\x1b["), "{forced}");
    let always = o.expect(0, &["--color", "always", "list"]).0;
    assert!(always.contains("\x1b["), "{always}");
    // The colored table holds the same words in the same places.
    let strip = |s: &str| {
        let mut out = String::new();
        let mut esc = false;
        for c in s.chars() {
            match (esc, c) {
                (false, '\x1b') => esc = true,
                (true, 'm') => esc = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    };
    let trimmed = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    assert_eq!(trimmed(&strip(&always)), trimmed(&o.expect(0, &["list"]).0));
    let never = expect_with(
        &o,
        &[("CLICOLOR_FORCE", "1")],
        0,
        &["--color", "never", "list"],
    )
    .0;
    assert!(!never.contains('\x1b'), "{never}");
    let no_color = expect_with(&o, &[("NO_COLOR", "1")], 0, &["list"]).0;
    assert!(!no_color.contains('\x1b'), "{no_color}");
}

#[test]
fn completions_for_every_shell_and_a_manual_page_per_command() {
    let o = Office::example();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (script, _) = o.expect(0, &["completions", shell]);
        for word in ["claims", "sla-report", "keep-separate", "--format"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    let (_, err) = o.expect(2, &["completions", "tcsh"]);
    assert!(err.contains("tcsh"), "{err}");
    let (page, _) = o.expect(0, &["man"]);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH claims"),
        "{page}"
    );
    assert!(
        page.contains("sla\\-report") || page.contains("sla-report"),
        "{page}"
    );
    let dir = o.scratch().join("man1");
    let (_, said) = o.expect(0, &["man", "--out", dir.to_str().unwrap()]);
    let pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    for p in [
        "claims.1",
        "claims-list.1",
        "claims-deny.1",
        "claims-deny-approve.1",
    ] {
        assert!(pages.iter().any(|x| x == p), "{p} in {pages:?}");
    }
    assert!(
        !pages.iter().any(|x| x.contains("merge-file")),
        "hidden commands have no page"
    );
    assert!(
        said.contains(&format!("wrote {} manual pages", pages.len())),
        "{said}"
    );
    let list = std::fs::read_to_string(dir.join("claims-list.1")).unwrap();
    assert!(list.contains(".TH claims-list 1"), "{list}");
}

#[test]
fn an_argument_that_is_not_utf8_is_bad_input() {
    use std::os::unix::ffi::OsStrExt;
    let o = Office::example();
    let head = o.head();
    let text = std::ffi::OsStr::from_bytes(b"Called back \xe9t\xe9");
    let out = o
        .cmd(&["note", "CLM-2611-33T6-3CJ0"])
        .arg(text)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("argument 3 (`Called back \u{fffd}t\u{fffd}`) is not UTF-8 text: byte 0xe9 at byte 13 of it; nothing was written"),
        "{err}"
    );
    assert_eq!(o.head(), head, "nothing committed");
    // A control character in an argument is bad input too (issue 18), and usage stays 2.
    o.expect(1, &["note", "CLM-2611-33T6-3CJ0", "a\u{1}b"]);
    o.expect(2, &["note", "--no-such-option"]);
}
