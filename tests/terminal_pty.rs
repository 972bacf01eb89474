//! The tool on a real terminal (a pseudo-terminal, rexpect) and off one: the progress bar of
//! a long batch is drawn on a terminal and never into a pipe; color shows on a terminal
//! unless NO_COLOR says otherwise.
#![cfg(unix)]

#[path = "cli/common.rs"]
#[allow(dead_code)]
mod common;

use common::Office;

/// A CSV batch of `n` distinct auto notices (the columns of batch-good.csv).
fn batch(o: &Office, n: usize) -> String {
    let good = include_str!("data/intake/batch-good.csv");
    let header: Vec<&str> = good.lines().next().unwrap().split(',').collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for i in 0..n {
        let cells: Vec<(&str, String)> = vec![
            ("lob", "personal_auto".into()),
            ("policy_number", "PAU-IL-2026-20931".into()),
            ("reporter_name", "Laura Novak".into()),
            ("reporter_phone", "(630) 555-0122".into()),
            ("loss_date", "2026-11-09".into()),
            ("loss_time", format!("{:02}:{:02}", 8 + i / 60, i % 60)),
            (
                "loss_location",
                format!("{} Route 59, Naperville, IL", 100 + i),
            ),
            ("loss_description", format!("Backed into post number {i}")),
            ("loss_cause", "collision".into()),
            ("vehicle1_year", "2010".into()),
            ("vehicle1_make", "Toyota".into()),
            ("vehicle1_model", "Camry".into()),
            ("vehicle1_vin", "4T1BB3EK5AU118081".into()),
            ("vehicle1_damage", "rear bumper".into()),
        ];
        let record: Vec<String> = header
            .iter()
            .map(|h| {
                cells
                    .iter()
                    .find(|(c, _)| c == h)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        w.write_record(&record).unwrap();
    }
    let path = o.scratch().join(format!("batch-{n}.csv"));
    std::fs::write(&path, w.into_inner().unwrap()).unwrap();
    path.to_string_lossy().to_string()
}

/// Everything the command wrote to the terminal, once it ends.
fn on_a_terminal(cmd: std::process::Command) -> String {
    let mut s = rexpect::session::spawn_command(cmd, Some(120_000)).expect("spawn under a pty");
    s.exp_eof().expect("the command ends")
}

#[test]
fn a_batch_on_a_terminal_shows_a_progress_bar() {
    let o = Office::example();
    let csv = batch(&o, 25);
    let seen = on_a_terminal(o.cmd(&["intake", "--csv", &csv]));
    assert!(seen.contains("/25"), "a bar counting to 25:\n{seen}");
    assert!(seen.contains("intake ["), "{seen}");
    assert_eq!(o.claims().len(), 16 + 25, "{seen}");
    // --quiet: no bar (and no result lines) even on a terminal.
    let o = Office::example();
    let csv = batch(&o, 25);
    let seen = on_a_terminal(o.cmd(&["--quiet", "intake", "--csv", &csv]));
    assert!(!seen.contains("/25"), "{seen}");
    assert_eq!(o.claims().len(), 16 + 25);
}

#[test]
fn a_batch_into_a_pipe_shows_no_progress_bar() {
    let o = Office::example();
    let csv = batch(&o, 25);
    let (out, err) = o.expect(0, &["intake", "--csv", &csv]);
    for text in [&out, &err] {
        assert!(
            !text.contains("/25") && !text.contains('\r') && !text.contains('\x1b'),
            "{text}"
        );
    }
    // What it does say: a line per claim made.
    assert_eq!(
        err.lines().filter(|l| l.contains("intake")).count(),
        25,
        "{err}"
    );
    assert_eq!(o.claims().len(), 16 + 25);
}

#[test]
fn findings_are_colored_on_a_terminal_unless_no_color() {
    let o = Office::example();
    let (path, _) = o.claims().into_iter().next().unwrap();
    let file = o.root.join(&path);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("status:", "status: nonsense\nold_status:", 1),
    )
    .unwrap();
    let colored = on_a_terminal(o.cmd(&["check"]));
    assert!(
        colored.contains("\x1b[") && colored.contains("error"),
        "{colored:?}"
    );
    let mut plain = o.cmd(&["check"]);
    plain.env("NO_COLOR", "1");
    let plain = on_a_terminal(plain);
    assert!(
        plain.contains("error[") && !plain.contains("\x1b["),
        "{plain:?}"
    );
    let never = on_a_terminal(o.cmd(&["--color", "never", "check"]));
    assert!(
        never.contains("error[") && !never.contains("\x1b["),
        "{never:?}"
    );
}

#[test]
fn the_audit_and_a_report_show_their_progress_on_a_terminal() {
    let o = Office::example();
    let seen = on_a_terminal(o.cmd(&["audit", "--full"]));
    assert!(seen.contains("audit ["), "a bar for the audit:\n{seen}");
    let seen = on_a_terminal(o.cmd(&["report", "inventory", "--format", "csv"]));
    assert!(seen.contains("report ["), "a bar for the report:\n{seen}");
    assert!(seen.contains("/16"), "counting the 16 claims:\n{seen}");
    // Into a pipe: none.
    let (out, err) = o.expect(0, &["report", "inventory", "--format", "csv"]);
    assert!(!err.contains('\r') && !out.contains('\r'), "{err}");
}
