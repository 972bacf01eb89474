//! Printing findings — `claims check` and `claims audit` share the format: `text`
//! (`path:line:col: error[CODE]: message [CLAIM]`), `json`, or `github` (Actions annotations).

use serde::Serialize;

use super::output::{Format, Out};
use crate::check::finding::{Finding, Severity};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    /// What was examined: ("files", n) for check, ("commits", n) for audit.
    #[serde(flatten)]
    examined: std::collections::BTreeMap<&'static str, usize>,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
    /// Whatever else the command reports (audit: each commit's verdict).
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Prints `findings` to stdout in `format`; returns how many are errors.
pub fn print_findings(
    format: Format,
    findings: &[Finding],
    examined: (&'static str, usize),
    extra: serde_json::Map<String, serde_json::Value>,
) -> usize {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let mut out = Out::new();
    match format {
        Format::Json => {
            let report = Report {
                version: 1,
                examined: [examined].into_iter().collect(),
                errors,
                warnings,
                findings,
                extra,
            };
            out.line(&serde_json::to_string_pretty(&report).expect("serialize findings"));
        }
        Format::Github => {
            for f in findings {
                let level = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "notice",
                };
                out.line(&format!(
                    "::{level} file={},line={},col={},title={}::{}",
                    f.file,
                    f.line,
                    f.column,
                    f.code,
                    escape_annotation(&f.message)
                ));
            }
        }
        _ => {
            let colored = super::color::on_stdout();
            for f in findings {
                out.line(&painted_line(f, colored));
            }
        }
    }
    out.flush();
    errors
}

/// One finding in the text format: `path:line:col: error[CODE]: message [CLAIM]`.
pub fn text_line(f: &Finding) -> String {
    painted_line(f, false)
}

/// [`text_line`], its severity colored when `colored` (errors red, warnings yellow).
fn painted_line(f: &Finding, colored: bool) -> String {
    use super::color::{paint, ERROR, NOTE, WARNING};
    let style = match f.severity {
        Severity::Error => ERROR,
        Severity::Warning => WARNING,
        Severity::Note => NOTE,
    };
    let claim = f
        .claim
        .as_deref()
        .map(|c| format!(" [{c}]"))
        .unwrap_or_default();
    format!(
        "{}:{}:{}: {}[{}]: {}{claim}",
        f.file,
        f.line,
        f.column,
        paint(colored, style, f.severity.as_str()),
        f.code,
        f.message
    )
}

fn escape_annotation(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
