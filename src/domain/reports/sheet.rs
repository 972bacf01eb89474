//! A report's figures as one sheet: named columns and typed cells, which the command line
//! prints as a table, CSV (one header row, ISO dates, plain decimals) or JSON (one object per
//! row, numbers as numbers).

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Count(u64),
    /// Days, or a share: printed with `places` decimals.
    Number(f64, u8),
    Money(Decimal),
    Date(NaiveDate),
    Empty,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    /// A number of days (one decimal), empty when there is none.
    pub fn days(v: Option<f64>) -> Value {
        v.map_or(Value::Empty, |d| Value::Number(d, 1))
    }

    /// A ratio (three decimals), empty when there is none.
    pub fn ratio(v: Option<f64>) -> Value {
        v.map_or(Value::Empty, |d| Value::Number(d, 3))
    }

    pub fn date(d: Option<NaiveDate>) -> Value {
        d.map_or(Value::Empty, Value::Date)
    }

    /// The cell as CSV and the table show it.
    pub fn show(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Count(n) => n.to_string(),
            Value::Number(v, places) => format!("{v:.*}", usize::from(*places)),
            Value::Money(m) => format!("{:.2}", m.round_dp(2)),
            Value::Date(d) => d.to_string(),
            Value::Empty => String::new(),
        }
    }

    /// The cell in JSON.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Value::Text(s) => s.clone().into(),
            Value::Count(n) => (*n).into(),
            // The same figure the table and CSV show.
            Value::Number(..) => self
                .show()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Money(m) => {
                serde_json::from_str(&format!("{:.2}", m.round_dp(2))).unwrap_or_default()
            }
            Value::Date(d) => d.to_string().into(),
            Value::Empty => serde_json::Value::Null,
        }
    }

    /// The cell as a number, for charts (none for text and empty cells).
    pub fn number(&self) -> Option<f64> {
        use rust_decimal::prelude::ToPrimitive;
        match self {
            Value::Count(n) => Some(*n as f64),
            Value::Number(v, _) => Some(*v),
            Value::Money(m) => m.to_f64(),
            _ => None,
        }
    }
}

/// A report: its columns, its rows, and lines said under the table (totals, definitions).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub footer: Vec<String>,
}

impl Sheet {
    pub fn new(headers: impl IntoIterator<Item = impl Into<String>>) -> Sheet {
        Sheet {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            footer: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.headers.len(), "a row has every column");
        self.rows.push(row);
    }

    /// The column named `header`.
    pub fn column(&self, header: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == header)
    }

    /// Every row as strings, for tables and CSV.
    pub fn shown(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(Value::show).collect())
            .collect()
    }

    /// One JSON object per row.
    pub fn json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        self.headers
                            .iter()
                            .cloned()
                            .zip(r.iter().map(Value::json))
                            .collect(),
                    )
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_show_plainly_and_in_json_as_numbers() {
        let mut s = Sheet::new(["claim", "days", "paid", "on"]);
        s.push(vec![
            Value::text("CLM-1"),
            Value::days(Some(12.25)),
            Value::Money(Decimal::new(125050, 2)),
            Value::date(None),
        ]);
        assert_eq!(s.shown()[0], ["CLM-1", "12.2", "1250.50", ""]);
        assert_eq!(
            s.json().to_string(),
            r#"[{"claim":"CLM-1","days":12.2,"on":null,"paid":1250.5}]"#
        );
    }
}
