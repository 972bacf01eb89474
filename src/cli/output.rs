//! Output formats: aligned tables for people, CSV for analysts, JSON for scripts. Data goes
//! to stdout and nothing else does; a closed pipe (`| head`) ends the program quietly.

use std::io::{self, IsTerminal, Write};

use clap::ValueEnum;
use comfy_table::{
    Cell, ColumnConstraint, ContentArrangement, ContentLineStyle, LineStyle, TableStyle,
};
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

/// Columns whose words are colored on a terminal (see [`super::color::status_style`]).
const STATUS_COLUMNS: [&str; 3] = ["status", "outcome", "sla"];

/// The one look of every table: no borders, a dashed rule under the header, two spaces
/// between columns.
const PLAIN: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::none().junction(' '))
    .header_separator(LineStyle::none().fill('-').junction(' '))
    .content_lines(ContentLineStyle::none().junction(' '));

/// How wide a table may be drawn: `COLUMNS` when it is set to a number (a user or a test
/// asking for a width), else the terminal's width when stdout is a terminal. `None` when
/// stdout is a pipe or a file: the table is then as wide as its cells, nothing wrapped, so
/// scripts see the same text on any terminal.
pub fn table_width() -> Option<u16> {
    let asked = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<u16>().ok())
        .filter(|w| *w > 0);
    if asked.is_some() {
        return asked;
    }
    if io::stdout().is_terminal() {
        return comfy_table::Table::new().width();
    }
    None
}

/// How a table meets a width it does not fit in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// One line per row (a list): a long cell is cut with `…`, and the columns on the right
    /// that find no room are left out, the table saying which.
    OneLine,
    /// Free text (`show`): a long cell wraps at spaces onto more lines.
    Wrap,
}

/// A table of `headers` and `rows` as every list prints it, fitted to [`table_width`].
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    table_at(headers, rows, table_width(), Fit::OneLine)
}

/// A table whose cells are free text (wrapped), fitted to [`table_width`].
pub fn table_wrapped(headers: &[&str], rows: &[Vec<String>]) -> String {
    table_at(headers, rows, table_width(), Fit::Wrap)
}

/// The narrowest a cut column gets: its header, or this many columns if wider.
const NARROWEST: usize = 8;

/// A column whose cells are all at most this wide is never cut.
const WHOLE: usize = 12;

/// How many rows a table draws at a time: a list of 50,000 claims is drawn a slice at a
/// time to the same column widths, so that it never holds comfy-table's cells for every row.
const ROWS_AT_A_TIME: usize = 512;

/// A table drawn by comfy-table. With a `width`, it is fitted as `fit` says, the first column
/// (the id) never cut; without one, each column is as wide as its widest cell and nothing is
/// cut or wrapped. Widths are display widths: a name in Chinese or with accents lines up.
pub fn table_at(headers: &[&str], rows: &[Vec<String>], width: Option<u16>, fit: Fit) -> String {
    table_in_slices(headers, rows, width, fit, ROWS_AT_A_TIME)
}

/// How each column is drawn: its constraint, and the padding on its right.
struct Layout {
    columns: Vec<(ColumnConstraint, u16)>,
    left_out: Vec<String>,
}

/// The widths of the columns, worked out from every row.
fn layout(headers: &[&str], rows: &[Vec<String>], width: Option<u16>, fit: Fit) -> Layout {
    use unicode_width::UnicodeWidthStr;
    let n = headers
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let padding = |i: usize| u16::from(i + 1 < n);
    // The widest cell of each column.
    let widest: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .flat_map(|c| c.lines())
                .map(UnicodeWidthStr::width)
                .chain(headers.get(i).map(|h| h.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let fixed = |w: usize, pad: u16| {
        // comfy-table's widths count the column's padding too.
        ColumnConstraint::Absolute(comfy_table::Width::Fixed(
            u16::try_from(w).unwrap_or(u16::MAX).saturating_add(pad),
        ))
    };
    let Some(w) = width else {
        return Layout {
            columns: (0..n)
                .map(|i| (fixed(widest[i], padding(i)), padding(i)))
                .collect(),
            left_out: Vec::new(),
        };
    };
    // The id, and short cells (dates, amounts, states), are never cut; the others may be cut
    // to their header (or NARROWEST).
    let narrowest: Vec<usize> = (0..n)
        .map(|i| match widest[i] {
            w if i == 0 || w <= WHOLE => w,
            w => w.min(headers.get(i).map_or(0, |h| h.width()).max(NARROWEST)),
        })
        .collect();
    let mut kept = n;
    let room =
        |k: usize, widths: &[usize]| widths[..k].iter().sum::<usize>() + 2 * k.saturating_sub(1);
    if fit == Fit::OneLine {
        while kept > 1 && room(kept, &narrowest) > usize::from(w) {
            kept -= 1;
        }
    }
    // What room is left is shared among the cut columns, a column at a time, each up to its
    // widest.
    let mut given = narrowest.clone();
    let mut spare = usize::from(w).saturating_sub(room(kept, &narrowest));
    while spare > 0 {
        let before = spare;
        for i in 1..kept {
            if spare > 0 && given[i] < widest[i] {
                given[i] += 1;
                spare -= 1;
            }
        }
        if spare == before {
            break;
        }
    }
    let columns = (0..n)
        .map(|i| {
            // The last column shown has no padding (the hidden ones come after it).
            let pad = if i + 1 == kept { 0 } else { padding(i) };
            let c = if i >= kept {
                ColumnConstraint::Hidden
            } else {
                fixed(given[i], pad)
            };
            (c, pad)
        })
        .collect();
    Layout {
        columns,
        left_out: headers.iter().skip(kept).map(|h| h.to_string()).collect(),
    }
}

/// [`table_at`], drawn `at_a_time` rows at a time.
fn table_in_slices(
    headers: &[&str],
    rows: &[Vec<String>],
    width: Option<u16>,
    fit: Fit,
    at_a_time: usize,
) -> String {
    let colored = super::color::on_stdout();
    let plan = layout(headers, rows, width, fit);
    let draw = |slice: &[Vec<String>], with_header: bool| -> String {
        let mut t = comfy_table::Table::new();
        t.force_no_tty()
            .load_style(PLAIN)
            .set_truncation_indicator("…");
        if colored {
            t.enforce_styling();
        }
        if with_header {
            t.set_header(headers.iter().map(|h| {
                let c = Cell::new(h);
                if colored {
                    c.add_attribute(comfy_table::Attribute::Bold)
                } else {
                    c
                }
            }));
        }
        for r in slice {
            let mut row = comfy_table::Row::from(r.iter().enumerate().map(|(i, text)| {
                let c = Cell::new(text);
                let status = headers.get(i).is_some_and(|h| STATUS_COLUMNS.contains(h));
                match super::color::status_cell_color(text) {
                    Some(color) if colored && status => c.fg(color),
                    _ => c,
                }
            }));
            if width.is_some() && fit == Fit::OneLine {
                row.max_height(1);
            }
            t.add_row(row);
        }
        match width {
            Some(w) => t
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w),
            None => t.set_content_arrangement(ContentArrangement::Disabled),
        };
        for (col, (constraint, pad)) in t.column_iter_mut().zip(&plan.columns) {
            col.set_padding((0, *pad));
            col.set_constraint(*constraint);
        }
        t.trim_fmt()
    };
    let mut s = draw(&rows[..rows.len().min(at_a_time)], true);
    s.push('\n');
    for slice in rows.chunks(at_a_time.max(1)).skip(1) {
        s.push_str(&draw(slice, false));
        s.push('\n');
    }
    if !plan.left_out.is_empty() {
        let note = format!(
            "(not shown: {}; --format csv shows all)",
            plan.left_out.join(", ")
        );
        s.push_str(&fit_width(&note, usize::from(width.unwrap_or(u16::MAX))));
        s.push('\n');
    }
    s
}

/// `text` cut to `width` display columns, an ellipsis marking the cut.
pub fn fit_width(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Optional text for a cell.
pub fn cell(v: Option<impl ToString>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_aligns_columns() {
        let t = super::table_at(
            &["id", "status"],
            &[
                vec!["A-1".into(), "reported".into()],
                vec!["LONGER-ID".into(), "x".into()],
            ],
            None,
            super::Fit::OneLine,
        );
        assert_eq!(
            t,
            "id         status\n---------- --------\nA-1        reported\nLONGER-ID  x\n"
        );
    }

    #[test]
    fn a_table_given_a_width_wraps_its_long_cells_to_fit() {
        let long = "the insured backed into a pole in the parking lot of the grocery store and the rear bumper, tailgate and one tail light were damaged";
        let t = super::table_at(
            &["field", "value"],
            &[vec!["what happened".into(), long.into()]],
            Some(60),
            super::Fit::Wrap,
        );
        for line in t.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 60,
                "{line:?}"
            );
        }
        assert!(t.lines().count() > 3, "{t}");
        let words: Vec<&str> = t
            .lines()
            .skip(2)
            .flat_map(|l| l.split_whitespace())
            .collect();
        assert_eq!(words.join(" "), format!("what happened {long}"));
        // Without a width nothing wraps.
        let plain = super::table_at(
            &["field", "value"],
            &[vec!["x".into(), long.into()]],
            None,
            super::Fit::Wrap,
        );
        assert_eq!(plain.lines().count(), 3);
    }

    #[test]
    fn a_long_table_drawn_in_slices_is_the_table_drawn_whole() {
        let rows: Vec<Vec<String>> = (0..1300)
            .map(|i| {
                vec![
                    format!("CLM-{i}"),
                    ["reported", "open", "closed_with_payment"][i % 3].to_string(),
                    "x".repeat(i % 37),
                    if i == 911 {
                        "李小龙 Núñez".into()
                    } else {
                        i.to_string()
                    },
                ]
            })
            .collect();
        let headers = ["id", "status", "description", "n"];
        for width in [None, Some(80), Some(30), Some(12)] {
            for fit in [super::Fit::OneLine, super::Fit::Wrap] {
                let whole = super::table_in_slices(&headers, &rows, width, fit, usize::MAX);
                for at_a_time in [1, 7, 512] {
                    let sliced = super::table_in_slices(&headers, &rows, width, fit, at_a_time);
                    assert!(sliced == whole, "{width:?} {fit:?} {at_a_time}");
                }
                // One line per row fits any width (columns are left out); wrapped text fits
                // where its narrowest columns do.
                if let (Some(w), super::Fit::OneLine) = (width, fit) {
                    for l in whole.lines() {
                        assert!(
                            unicode_width::UnicodeWidthStr::width(l) <= usize::from(w),
                            "{l}"
                        );
                    }
                }
            }
        }
        let empty = super::table_in_slices(&headers, &[], None, super::Fit::OneLine, 1);
        assert_eq!(
            empty,
            "id  status  description  n\n--- ------- ------------ -\n"
        );
    }

    #[test]
    fn columns_line_up_by_display_width() {
        let t = super::table_at(
            &["name", "role"],
            &[
                vec!["李小龙".into(), "adjuster".into()],
                vec!["Dana Núñez".into(), "csr".into()],
            ],
            None,
            super::Fit::OneLine,
        );
        // Where the second column starts on each line (the rule's second run of dashes).
        let second = [" role", " -", " adjuster", " csr"];
        let at: Vec<usize> = t
            .lines()
            .zip(second)
            .map(|(l, cell)| unicode_width::UnicodeWidthStr::width(&l[..l.find(cell).unwrap() + 1]))
            .collect();
        assert_eq!(at, vec![12, 12, 12, 12], "{t}");
    }
}
