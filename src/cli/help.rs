//! `claims --help` in the order work is done — commands grouped under the seed's workflow
//! headings — and `claims help [workflow | COMMAND...]`.

use super::color::{paint, HEADING};
use super::output::{fit_width, Out};
use crate::error::{Error, Result};

/// The headings of `claims --help`, in the order a claim meets them, and their commands.
pub const GROUPS: &[(&str, &[&str])] = &[
    ("Intake", &["intake", "complete", "queue"]),
    ("Triage", &["triage", "merge", "unmerge", "keep-separate"]),
    ("Assignment", &["assign", "workload"]),
    (
        "Investigation",
        &["task", "document", "overdue", "note", "update"],
    ),
    (
        "Reserves and settlement",
        &[
            "reserve",
            "approve",
            "accept",
            "settle",
            "negotiate",
            "release",
            "pay",
            "payments",
            "subrogation",
        ],
    ),
    ("Denial", &["deny", "letter"]),
    (
        "Status and SLA",
        &[
            "acknowledge",
            "inquiry",
            "answer",
            "proof-of-loss",
            "status-update",
            "agent-report",
            "diary",
            "outbox",
            "sla-report",
            "close",
            "reopen",
            "closed",
        ],
    ),
    (
        "Records",
        &["show", "list", "log", "export", "explain", "report"],
    ),
    (
        "Office and audit",
        &[
            "init",
            "join",
            "clone",
            "sync",
            "check",
            "audit",
            "sample",
            "review",
            "doctor",
            "repair",
            "authority",
            "keys",
            "migrate",
            "hooks",
            "spec",
            "schema",
            "completions",
            "man",
            "help",
        ],
    ),
];

/// The one-screen map of a claim's life that `claims help workflow` prints.
pub const WORKFLOW: &str = "\
The life of a claim, and the command for each step (`claims help COMMAND` for its options):

 Intake         claims intake --csv F.csv | --email F.eml | --interactive | --file F.yaml
                claims complete ID FIELD=VALUE ...       an incomplete email notice -> reported
 Triage         claims triage --pending                  coverage, priority  -> triaged
                claims merge | keep-separate             a possible duplicate (queue duplicates)
 Assignment     claims assign --pending                  to an adjuster      -> assigned
 Investigation  claims task ID | document ID | note ID   -> investigating; claims overdue
 Reserves       claims reserve ID --amount N --reason R --note TEXT
                claims approve ID                        what waits above someone's authority
 Coverage       claims accept ID                         coverage accepted (payment clock)
 Settlement     claims settle ID --basis B               -> settlement_pending
                claims release ID, claims pay ID ...     -> settled
 Denial         claims deny recommend|review|approve|letter|deliver ID
                                                         -> denial_recommended -> denied
 Closing        claims close ID, claims reopen ID        -> closed
 SLA clocks     claims acknowledge | inquiry | answer | proof-of-loss ID; claims sla-report
 Keeping told   claims status-update ID --to insured|agent|claimant; --due; agent-report A
                claims diary add|done ID; claims diary [--no-diary|--inactive N]
 Letters        claims letter undelivered; claims outbox send
 Work queues    claims queue NAME                        incomplete, approvals, duplicates, ...
 Records        claims show ID, claims list, claims log ID
 Reports, QC    claims report KIND; claims sample --size N --seed S; claims review ID
 The office     claims check, audit, doctor, sync; claims export ID --to DIR (examiner)
";

/// The first sentence of a command's about, for the one line it gets in the grouped help.
fn summary(cmd: &clap::Command) -> String {
    let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    let first = about.split_once(". ").map(|(s, _)| s).unwrap_or(&about);
    first.trim_end_matches('.').replace('\n', " ")
}

/// The commands of `root` under their headings, one line each, at most `width` wide; any
/// command no heading names comes last, under "Other commands".
pub fn grouped(root: &clap::Command, width: usize) -> String {
    let visible: Vec<&clap::Command> = root
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .collect();
    let name_width = visible
        .iter()
        .map(|c| c.get_name().len())
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    let line = |s: &mut String, c: &clap::Command| {
        let room = width.saturating_sub(name_width + 4).max(20);
        s.push_str(&format!(
            "  {:name_width$}  {}\n",
            c.get_name(),
            fit_width(&summary(c), room)
        ));
    };
    let mut listed = Vec::new();
    for (heading, names) in GROUPS {
        let cmds: Vec<&&clap::Command> = names
            .iter()
            .filter_map(|n| visible.iter().find(|c| c.get_name() == *n))
            .collect();
        if cmds.is_empty() {
            continue;
        }
        s.push_str(&paint(true, HEADING, &format!("{heading}:")));
        s.push('\n');
        for c in cmds {
            line(&mut s, c);
            listed.push(c.get_name());
        }
        s.push('\n');
    }
    let others: Vec<&&clap::Command> = visible
        .iter()
        .filter(|c| !listed.contains(&c.get_name()))
        .collect();
    if !others.is_empty() {
        s.push_str(&paint(true, HEADING, "Other commands:"));
        s.push('\n');
        for c in others {
            line(&mut s, c);
        }
        s.push('\n');
    }
    s
}

/// The width help is drawn at: the table width (COLUMNS or the terminal), at most 100; 100
/// when neither says.
fn help_width() -> usize {
    super::output::table_width()
        .map(usize::from)
        .unwrap_or(100)
        .min(100)
}

/// `root` with its commands listed in [`grouped`] order in place of clap's flat list.
pub fn with_grouped_help(root: clap::Command) -> clap::Command {
    let groups = grouped(&root, help_width());
    // The template's own text cannot hold a `{`: clap would read it as a tag.
    let groups = groups.replace('{', "(").replace('}', ")");
    root.help_template(format!(
        "{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{groups}{options}:\n{{options}}{{after-help}}",
        options = paint(true, HEADING, "Options")
    ))
    .after_help("`claims help workflow` maps a claim's life to these commands; `claims help COMMAND` (or `claims COMMAND --help`) tells one command's options.")
}

/// `claims help [workflow | COMMAND...]`: what each command does, or the lifecycle map.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// `workflow` for the map of a claim's life, or a command (and subcommand) to explain.
    #[arg(value_name = "TOPIC")]
    pub topic: Vec<String>,
}

pub fn run(a: Args) -> Result<i32> {
    let mut root = with_grouped_help(<super::Cli as clap::CommandFactory>::command());
    root.build();
    if a.topic.first().map(String::as_str) == Some("workflow") && a.topic.len() == 1 {
        let mut out = Out::new();
        out.write_str(WORKFLOW);
        out.flush();
        return Ok(0);
    }
    let mut cmd = &mut root;
    for (i, name) in a.topic.iter().enumerate() {
        cmd = match cmd.find_subcommand_mut(name) {
            Some(c) => c,
            None => {
                return Err(Error::usage(format!(
                    "no command `{}`",
                    a.topic[..=i].join(" ")
                ))
                .hint("`claims --help` lists the commands; `claims help workflow` maps them to a claim's life"))
            }
        };
    }
    let text = cmd.render_long_help();
    let text = if super::color::on_stdout() {
        text.ansi().to_string()
    } else {
        text.to_string()
    };
    let mut out = Out::new();
    out.write_str(&text);
    out.flush();
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_heading() {
        let root = <crate::cli::Cli as clap::CommandFactory>::command();
        let text = grouped(&root, 100);
        assert!(!text.contains("Other commands"), "{text}");
        for c in root.get_subcommands().filter(|c| !c.is_hide_set()) {
            let named = GROUPS
                .iter()
                .filter(|(_, n)| n.contains(&c.get_name()))
                .count();
            assert_eq!(named, 1, "{} is under {named} headings", c.get_name());
        }
    }

    #[test]
    fn summaries_fit_the_width() {
        let root = <crate::cli::Cli as clap::CommandFactory>::command();
        for line in grouped(&root, 80).lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
        }
        assert_eq!(fit_width("abcdef", 4), "abc…");
        assert_eq!(fit_width("abc", 4), "abc");
    }

    #[test]
    fn the_workflow_map_fits_one_screen() {
        assert!(WORKFLOW.lines().count() <= 24);
        assert!(WORKFLOW.lines().all(|l| l.chars().count() <= 100));
    }
}
