//! Color on a terminal: `--color auto|always|never`, with `NO_COLOR` and `CLICOLOR_FORCE`
//! honored in `auto` (anstream decides). Findings, statuses and breaches are colored; piped
//! output never is unless asked with `--color always` or `CLICOLOR_FORCE`.

use anstyle::{AnsiColor, Style};

/// When to color output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum When {
    /// On a terminal, unless NO_COLOR is set (CLICOLOR_FORCE colors a pipe too).
    #[default]
    Auto,
    Always,
    Never,
}

/// Sets the choice for the whole process (anstream's streams and [`on_stdout`] read it).
pub fn init(when: When) {
    anstream::ColorChoice::write_global(match when {
        When::Auto => anstream::ColorChoice::Auto,
        When::Always => anstream::ColorChoice::Always,
        When::Never => anstream::ColorChoice::Never,
    });
}

/// The `--color` of the command line, read before clap parses it (clap colors its own help and
/// errors, which it prints while parsing).
pub fn asked_on_command_line() -> clap::ColorChoice {
    // An argument that is not UTF-8 is not --color (clap says what is wrong with it).
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_str().unwrap_or_default().to_string())
        .collect();
    let mut asked = None;
    for (i, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--color") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        asked = match value {
            Some("always") => Some(clap::ColorChoice::Always),
            Some("never") => Some(clap::ColorChoice::Never),
            Some("auto") => Some(clap::ColorChoice::Auto),
            _ => asked,
        };
    }
    asked.unwrap_or(clap::ColorChoice::Auto)
}

/// Whether what goes to stdout is colored.
pub fn on_stdout() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// Whether what goes to stderr is colored.
pub fn on_stderr() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// `text` in `style` when `colored`, else as it is.
pub fn paint(colored: bool, style: Style, text: &str) -> String {
    if colored && style != Style::new() {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const NOTE: Style = AnsiColor::Cyan.on_default();
pub const GOOD: Style = AnsiColor::Green.on_default();
pub const HEADING: Style = Style::new().bold().underline();

/// The style of a status word in a table (a claim's status, an SLA clock's, a batch row's
/// outcome): breaches and refusals red, what is at risk or waiting yellow, what is done green.
pub fn status_style(word: &str) -> Style {
    match word.trim() {
        "breached" | "denied" | "refused" | "failed" | "no_policy_found" | "kept_aside"
        | "error" => ERROR,
        "at_risk" | "at risk" | "incomplete" | "denial_recommended" | "pending" | "overdue"
        | "warning" => WARNING,
        "met" | "settled" | "closed" | "paid" | "done" | "ok" | "created" | "assigned"
        | "triaged" => GOOD,
        _ => Style::new(),
    }
}

/// The comfy-table color of a status word's style (tables are drawn by comfy-table, which
/// counts the width of a colored cell without its escapes).
pub fn status_cell_color(word: &str) -> Option<comfy_table::Color> {
    let style = status_style(word);
    match style.get_fg_color() {
        Some(anstyle::Color::Ansi(AnsiColor::Red)) => Some(comfy_table::Color::Red),
        Some(anstyle::Color::Ansi(AnsiColor::Yellow)) => Some(comfy_table::Color::Yellow),
        Some(anstyle::Color::Ansi(AnsiColor::Green)) => Some(comfy_table::Color::Green),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_only_when_colored() {
        assert_eq!(paint(false, ERROR, "error"), "error");
        let red = paint(true, ERROR, "error");
        assert!(red.starts_with("\x1b[") && red.contains("error") && red.ends_with("\x1b[0m"));
        assert_eq!(paint(true, Style::new(), "plain"), "plain");
    }

    #[test]
    fn breaches_are_red_and_met_clocks_green() {
        assert_eq!(status_cell_color("breached"), Some(comfy_table::Color::Red));
        assert_eq!(
            status_cell_color("at_risk"),
            Some(comfy_table::Color::Yellow)
        );
        assert_eq!(status_cell_color("met"), Some(comfy_table::Color::Green));
        assert_eq!(status_cell_color("investigating"), None);
    }
}
