//! Finds the line and column of a field path (`auto.vehicles[0].vin`) in block YAML text,
//! so that findings point at the right line of a hand-edited file.
//!
//! It reads indentation, not a full YAML grammar: enough for the block style the tool writes
//! and people edit. A field that is absent resolves to its nearest present parent.

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            if let Ok(n) = idx.trim_end_matches(']').parse() {
                out.push(Seg::Index(n));
            }
        }
    }
    out
}

/// A line as the walker sees it: indent, and content after the indent.
struct Line<'a> {
    indent: usize,
    content: &'a str,
}

fn significant(raw: &str) -> Option<Line<'_>> {
    let content = raw.trim_start_matches(' ');
    if content.is_empty() || content.starts_with('#') {
        return None;
    }
    Some(Line {
        indent: raw.len() - content.len(),
        content,
    })
}

// Line numbers are the result, so the loops walk indices.
#[allow(clippy::needless_range_loop)]
/// 1-based (line, column) of the field, or of its nearest present parent; (1, 1) when none.
pub fn locate(text: &str, path: &str) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    // The current block: lines [start, end) whose entries sit at `indent`.
    let (mut start, mut end) = (0usize, lines.len());
    let mut indent: Option<usize> = None;
    // Where the current block's first entry starts on a `- ` line, its content column.
    let mut dash_first: Option<usize> = None;
    let mut found = (1usize, 1usize);
    for seg in segments(path) {
        let block_indent = match indent {
            Some(i) => i,
            None => match (start..end).find_map(|i| significant(lines[i])) {
                Some(l) => l.indent,
                None => return found,
            },
        };
        let mut hit = None;
        match seg {
            Seg::Key(key) => {
                for i in start..end {
                    let Some(mut l) = significant(lines[i]) else {
                        continue;
                    };
                    if i == start {
                        if let Some(col) = dash_first {
                            l = Line {
                                indent: col,
                                content: &lines[i][col..],
                            };
                        }
                    }
                    if l.indent < block_indent && i > start {
                        break;
                    }
                    if l.indent == block_indent
                        && l.content
                            .strip_prefix(key)
                            .is_some_and(|r| r.starts_with(':'))
                    {
                        hit = Some((i, l.indent));
                        break;
                    }
                }
                let Some((i, col)) = hit else { return found };
                found = (i + 1, col + 1);
                let next_end = (i + 1..end)
                    .find(|&j| {
                        significant(lines[j]).is_some_and(|l| {
                            l.indent <= col && !l.content.starts_with("- ") || l.indent < col
                        })
                    })
                    .unwrap_or(end);
                start = i + 1;
                end = next_end;
                indent = None;
                dash_first = None;
            }
            Seg::Index(n) => {
                let mut count = 0;
                for i in start..end {
                    let Some(l) = significant(lines[i]) else {
                        continue;
                    };
                    if l.indent < block_indent {
                        break;
                    }
                    if l.indent == block_indent && (l.content.starts_with("- ") || l.content == "-")
                    {
                        if count == n {
                            hit = Some((i, l.indent));
                            break;
                        }
                        count += 1;
                    }
                }
                let Some((i, col)) = hit else { return found };
                found = (i + 1, col + 1);
                let next_end = (i + 1..end)
                    .find(|&j| significant(lines[j]).is_some_and(|l| l.indent <= col))
                    .unwrap_or(end);
                start = i;
                end = next_end;
                indent = Some(col + 2);
                dash_first = Some(col + 2);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::locate;

    const DOC: &str = "\
id: CLM-1
loss:
  date: 2026-11-02
  description: rear-ended
auto:
  vehicles:
    - year: 2019
      make: Honda
      vin: JH4KA453XKC037671
    - year: 2020
      vin: 1FMCU14T3JU402061
  witnesses:
  - name: A
    contact: B
reserves:
- amount: 10.00
";

    #[test]
    fn finds_nested_keys_and_items() {
        assert_eq!(locate(DOC, "id"), (1, 1));
        assert_eq!(locate(DOC, "loss.description"), (4, 3));
        assert_eq!(locate(DOC, "auto.vehicles[0].year"), (7, 7));
        assert_eq!(locate(DOC, "auto.vehicles[0].vin"), (9, 7));
        assert_eq!(locate(DOC, "auto.vehicles[1].vin"), (11, 7));
        assert_eq!(locate(DOC, "auto.witnesses[0].contact"), (14, 5));
        assert_eq!(locate(DOC, "reserves[0].amount"), (16, 3));
    }

    #[test]
    fn absent_fields_point_at_their_parent() {
        assert_eq!(locate(DOC, "auto.vehicles[1].make"), (10, 5));
        assert_eq!(locate(DOC, "auto.police_report"), (5, 1));
        assert_eq!(locate(DOC, "property.loss_type"), (1, 1));
    }
}
