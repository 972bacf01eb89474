//! Output formats: aligned tables for people, CSV for analysts, JSON for scripts. Data goes
//! to stdout and nothing else does; a closed pipe (`| head`) ends the program quietly.

use std::io::{self, Write};

use clap::ValueEnum;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// The record as its YAML file (show only).
    Yaml,
    /// Findings as `path:line:col: error[CODE]: message` (check, audit).
    Text,
    /// Findings as GitHub Actions annotations (check, audit).
    Github,
}

/// Writes to stdout; on a closed pipe exits 0 at once (a reader that stopped early is not an
/// error), on any other failure exits 3.
pub struct Out {
    inner: io::BufWriter<io::StdoutLock<'static>>,
}

impl Default for Out {
    fn default() -> Self {
        Out::new()
    }
}

impl Out {
    pub fn new() -> Out {
        Out {
            inner: io::BufWriter::new(io::stdout().lock()),
        }
    }

    pub fn write_str(&mut self, s: &str) {
        let r = self.inner.write_all(s.as_bytes());
        handle(r);
    }

    pub fn line(&mut self, s: &str) {
        self.write_str(s);
        self.write_str("\n");
    }

    pub fn flush(&mut self) {
        handle(self.inner.flush());
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        let _ = self.inner.flush();
    }
}

fn handle(r: io::Result<()>) {
    if let Err(e) = r {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing output: {e}");
        std::process::exit(3);
    }
}

/// Rows with a fixed set of columns, printable in every format.
pub struct Rows<'a, T> {
    pub headers: &'a [&'a str],
    pub rows: &'a [T],
    pub cells: &'a dyn Fn(&T) -> Vec<String>,
}

impl<T: Serialize> Rows<'_, T> {
    pub fn print(&self, format: Format, out: &mut Out) {
        match format {
            Format::Json => {
                let text = serde_json::to_string_pretty(self.rows).expect("rows serialize");
                out.line(&text);
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(self.headers).expect("csv in memory");
                for r in self.rows {
                    w.write_record((self.cells)(r)).expect("csv in memory");
                }
                out.write_str(
                    &String::from_utf8(w.into_inner().expect("csv flush")).expect("utf-8"),
                );
            }
            _ => {
                let body: Vec<Vec<String>> = self.rows.iter().map(|r| (self.cells)(r)).collect();
                out.write_str(&table(self.headers, &body));
            }
        }
        out.flush();
    }
}

/// An aligned plain-text table with a header rule.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
    }
    let mut s = String::new();
    let line = |s: &mut String, cells: Vec<&str>| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            l.push_str(c);
            if i + 1 < cells.len() {
                l.push_str(&" ".repeat(widths[i] - c.chars().count()));
            }
        }
        s.push_str(l.trim_end());
        s.push('\n');
    };
    line(&mut s, headers.to_vec());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut s, rule.iter().map(String::as_str).collect());
    for r in rows {
        line(&mut s, r.iter().map(String::as_str).collect());
    }
    s
}

/// Optional text for a cell.
pub fn cell(v: Option<impl ToString>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_aligns_columns() {
        let t = super::table(
            &["id", "status"],
            &[
                vec!["A-1".into(), "reported".into()],
                vec!["LONGER-ID".into(), "x".into()],
            ],
        );
        assert_eq!(
            t,
            "id         status\n---------  --------\nA-1        reported\nLONGER-ID  x\n"
        );
    }
}
