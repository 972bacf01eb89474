//! Where a claim came from: the intake input it was taken in from (a CSV file's row, an email
//! message, a web or mobile payload file, the phone script) and a fingerprint of that input,
//! so that taking in the same input again lands nothing new. No I/O here.
//!
//! The fingerprint is `sha256:` and the SHA-256 (hex) of the item's canonical bytes:
//! - a CSV row: the JSON array of `[column, value]` pairs of its non-empty cells, sorted,
//!   compact (`[["lob","property"],["loss_date","2026-11-18"]]`); cells trimmed, line endings
//!   inside a cell as `\n`. The same row fingerprints the same whatever the file's line
//!   endings, byte-order mark, column order, quoting or empty columns, and whatever file it is in;
//! - an email: the raw message, byte for byte — the very file kept as
//!   `attachments/original.eml`, so `sha256sum` of that file gives it;
//! - a web or mobile payload: the document as canonical JSON (object keys sorted, compact),
//!   so a JSON or YAML rendering of the same submission, pretty or not, is the same;
//! - the phone script: the JSON array of `[question, answer]` pairs as asked and answered.
//!
//! An email is identified by its Message-ID first (RFC 5322 makes it unique per message), by
//! its fingerprint when it has none.

use std::collections::HashMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The intake input a claim was taken in from: the `claims intake` option that read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// A row of a CSV batch (`--csv`).
    Csv,
    /// An email message (`--email`).
    Email,
    /// A web form or mobile app payload (`--file`).
    File,
    /// The CSR's phone script (`--interactive`).
    Phone,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Csv => "csv",
            Via::Email => "email",
            Via::File => "file",
            Via::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Via> {
        [Via::Csv, Via::Email, Via::File, Via::Phone]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// `sha256:` and 64 lower-case hex digits: the SHA-256 of an input item's canonical bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fingerprint(String);

const SHA256: &str = "sha256:";

impl Fingerprint {
    /// The fingerprint of `bytes`.
    pub fn of(bytes: &[u8]) -> Fingerprint {
        let digest = Sha256::digest(bytes);
        let mut s = String::with_capacity(SHA256.len() + 64);
        s.push_str(SHA256);
        for b in digest {
            s.push_str(&format!("{b:02x}"));
        }
        Fingerprint(s)
    }

    /// The fingerprint of a JSON value in its canonical form (see [`canonical_json`]).
    pub fn of_json(value: &serde_json::Value) -> Fingerprint {
        Fingerprint::of(&canonical_json(value))
    }

    /// The fingerprint of a CSV row: its non-empty (column, value) cells.
    pub fn of_cells<'a>(cells: impl IntoIterator<Item = (&'a str, &'a str)>) -> Fingerprint {
        let mut pairs: Vec<(String, String)> = cells
            .into_iter()
            .map(|(c, v)| (c.trim().to_string(), v.trim().replace("\r\n", "\n")))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        pairs.sort();
        let value = serde_json::Value::Array(
            pairs
                .into_iter()
                .map(|(c, v)| serde_json::json!([c, v]))
                .collect(),
        );
        Fingerprint::of_json(&value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `sha256:` and the first 12 hex digits, as a person reads it.
    pub fn short(&self) -> &str {
        &self.0[..SHA256.len() + 12]
    }
}

impl TryFrom<String> for Fingerprint {
    type Error = String;
    fn try_from(s: String) -> Result<Fingerprint, String> {
        let hex = s.strip_prefix(SHA256).unwrap_or("");
        if hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(Fingerprint(s))
        } else {
            Err(format!(
                "`{s}` is not a fingerprint (sha256: and 64 lower-case hex digits)"
            ))
        }
    }
}

impl std::str::FromStr for Fingerprint {
    type Err = String;
    fn from_str(s: &str) -> Result<Fingerprint, String> {
        Fingerprint::try_from(s.to_string())
    }
}

impl From<Fingerprint> for String {
    fn from(f: Fingerprint) -> String {
        f.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonSchema for Fingerprint {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Fingerprint".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "sha256: and the SHA-256 (64 lower-case hex digits) of the input item's canonical bytes",
            "type": "string",
            "pattern": "^sha256:[0-9a-f]{64}$"
        })
    }
}

/// A JSON value's canonical bytes: compact, object keys sorted at every level.
pub fn canonical_json(value: &serde_json::Value) -> Vec<u8> {
    fn sorted(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = serde_json::Map::new();
                for k in keys {
                    out.insert(k.clone(), sorted(&map[k]));
                }
                serde_json::Value::Object(out)
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(sorted).collect())
            }
            other => other.clone(),
        }
    }
    serde_json::to_vec(&sorted(value)).expect("a JSON value serializes")
}

/// A Message-ID as a claim records it: without its angle brackets, or `None` when the header
/// holds no usable id (empty, spaces or control characters, longer than 250 characters) — such
/// a message is identified by its fingerprint alone.
pub fn message_id(raw: &str) -> Option<String> {
    let id = raw.trim();
    let id = id.strip_prefix('<').unwrap_or(id);
    let id = id.strip_suffix('>').unwrap_or(id);
    let usable = !id.is_empty()
        && id.len() <= 250
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    usable.then(|| id.to_string())
}

/// Where a claim came from, as the claim records it (`source:`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeSource {
    /// The intake input: csv, email, file (a web or mobile payload) or phone (the script).
    pub via: Via,
    /// The input file's own name, as the user gave it, without its folders.
    pub file: Option<String>,
    /// A CSV row: the line of the file it starts on (the header is row 1).
    pub row: Option<usize>,
    /// An email's Message-ID, without its angle brackets.
    pub message_id: Option<String>,
    /// The SHA-256 of the input item's canonical bytes.
    pub fingerprint: Fingerprint,
}

impl IntakeSource {
    /// Where it came from, as a person reads it: `batch.csv row 12`, `notice.eml`,
    /// `web-auto.json`, `phone script`.
    pub fn place(&self) -> String {
        match (self.via, &self.file, self.row) {
            (Via::Phone, _, _) => "phone script".into(),
            (_, Some(f), Some(r)) => format!("{f} row {r}"),
            (_, Some(f), None) => f.clone(),
            (via, None, Some(r)) => format!("{} row {r}", via.as_str()),
            (via, None, None) => via.as_str().into(),
        }
    }

    /// The item as the tool names it in a message: `batch.csv: row 12`,
    /// `notice.eml: message <id>`, `web-auto.json`, `phone script`.
    pub fn item(&self) -> String {
        match (&self.file, &self.message_id, self.row) {
            (Some(f), Some(id), _) => format!("{f}: message <{id}>"),
            (Some(f), None, Some(r)) => format!("{f}: row {r}"),
            _ => self.place(),
        }
    }

    /// The whole record on one line: place, Message-ID and short fingerprint.
    pub fn describe(&self) -> String {
        let mut s = self.place();
        if let Some(id) = &self.message_id {
            s.push_str(&format!(", message <{id}>"));
        }
        s.push_str(&format!(" ({})", self.fingerprint.short()));
        s
    }
}

/// An item found already taken in: where (a claim id, or an earlier item of the same batch),
/// and whether its content is the same (`false`: the same Message-ID, another message body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prior<T> {
    pub at: T,
    pub same_content: bool,
}

/// Taken-in items by fingerprint and by Message-ID, each with where it went (a claim id in
/// the office's register; an item's place in a batch). Lookups are hash lookups, so a batch
/// of thousands of rows against an office of hundreds of thousands of claims stays fast.
#[derive(Clone, Debug)]
pub struct SourceIndex<T> {
    by_fingerprint: HashMap<Fingerprint, Vec<T>>,
    by_message_id: HashMap<String, Vec<T>>,
}

impl<T> Default for SourceIndex<T> {
    fn default() -> Self {
        SourceIndex {
            by_fingerprint: HashMap::new(),
            by_message_id: HashMap::new(),
        }
    }
}

impl<T: Clone + PartialEq> SourceIndex<T> {
    pub fn add(&mut self, at: T, source: &IntakeSource) {
        if let Some(id) = &source.message_id {
            self.by_message_id
                .entry(id.clone())
                .or_default()
                .push(at.clone());
        }
        self.by_fingerprint
            .entry(source.fingerprint.clone())
            .or_default()
            .push(at);
    }

    pub fn remove(&mut self, at: &T, source: &IntakeSource) {
        fn drop_from<K: std::hash::Hash + Eq, T: PartialEq>(
            map: &mut HashMap<K, Vec<T>>,
            key: &K,
            at: &T,
        ) {
            if let Some(v) = map.get_mut(key) {
                v.retain(|x| x != at);
                if v.is_empty() {
                    map.remove(key);
                }
            }
        }
        if let Some(id) = &source.message_id {
            drop_from(&mut self.by_message_id, id, at);
        }
        drop_from(&mut self.by_fingerprint, &source.fingerprint, at);
    }

    /// Where `source`'s item was already taken in: the same message (its Message-ID), else the
    /// same content (its fingerprint); the earliest added first.
    pub fn find(&self, source: &IntakeSource) -> Option<Prior<&T>> {
        let same_content = self.by_fingerprint.get(&source.fingerprint);
        if let Some(at) = source
            .message_id
            .as_ref()
            .and_then(|id| self.by_message_id.get(id))
            .and_then(|v| v.first())
        {
            return Some(Prior {
                at,
                same_content: same_content.is_some_and(|v| v.contains(at)),
            });
        }
        same_content.and_then(|v| v.first()).map(|at| Prior {
            at,
            same_content: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(&str, &str)]) -> IntakeSource {
        IntakeSource {
            via: Via::Csv,
            file: Some("batch.csv".into()),
            row: Some(2),
            message_id: None,
            fingerprint: Fingerprint::of_cells(cells.iter().copied()),
        }
    }

    #[test]
    fn a_rows_fingerprint_ignores_order_empty_cells_spaces_and_line_endings() {
        let a = Fingerprint::of_cells([("lob", "property"), ("notes", "a\r\nb"), ("x", "")]);
        let b = Fingerprint::of_cells([(" notes", "a\nb "), ("lob", "property")]);
        assert_eq!(a, b);
        assert_ne!(a, Fingerprint::of_cells([("lob", "property")]));
        // The column matters, not only the values.
        assert_ne!(
            Fingerprint::of_cells([("insured_name", "Ann")]),
            Fingerprint::of_cells([("reporter_name", "Ann")])
        );
        assert_eq!(
            a.as_str(),
            Fingerprint::of(br#"[["lob","property"],["notes","a\nb"]]"#).as_str()
        );
    }

    #[test]
    fn fingerprints_are_sha256_hex_and_nothing_else_parses() {
        // sha256 of the empty string.
        assert_eq!(
            Fingerprint::of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(Fingerprint::of(b"").short(), "sha256:e3b0c44298fc");
        let f: Fingerprint = Fingerprint::of(b"x").as_str().parse().unwrap();
        assert_eq!(f, Fingerprint::of(b"x"));
        for bad in [
            "",
            "sha256:",
            "md5:abc",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        ] {
            assert!(bad.parse::<Fingerprint>().is_err(), "{bad}");
        }
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{ "b": 1, "a": {"y": [2, {"d": 1, "c": 0}], "x": null} }"#)
                .unwrap();
        assert_eq!(
            String::from_utf8(canonical_json(&a)).unwrap(),
            r#"{"a":{"x":null,"y":[2,{"c":0,"d":1}]},"b":1}"#
        );
    }

    #[test]
    fn message_ids_lose_their_brackets_and_unusable_ones_are_none() {
        assert_eq!(
            message_id(" <CAF1@mail.example> ").as_deref(),
            Some("CAF1@mail.example")
        );
        assert_eq!(message_id("a@b").as_deref(), Some("a@b"));
        for bad in ["", "<>", "a b@c", "a\u{7}@b", &"x".repeat(251)] {
            assert_eq!(message_id(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_item_is_found_by_message_id_first_then_by_fingerprint() {
        let mut ix: SourceIndex<String> = SourceIndex::default();
        let first = IntakeSource {
            via: Via::Email,
            file: Some("a.eml".into()),
            row: None,
            message_id: Some("m1@x".into()),
            fingerprint: Fingerprint::of(b"message one"),
        };
        ix.add("CLM-A".into(), &first);
        let csv = row(&[("lob", "property")]);
        ix.add("CLM-B".into(), &csv);

        let same = ix.find(&first).unwrap();
        assert_eq!((same.at.as_str(), same.same_content), ("CLM-A", true));
        // The same Message-ID, another body: found, not the same content.
        let resent = IntakeSource {
            fingerprint: Fingerprint::of(b"message one, corrected"),
            ..first.clone()
        };
        let found = ix.find(&resent).unwrap();
        assert_eq!((found.at.as_str(), found.same_content), ("CLM-A", false));
        // The same row in another file, at another row: the content decides.
        let elsewhere = IntakeSource {
            file: Some("other.csv".into()),
            row: Some(40),
            ..csv.clone()
        };
        assert_eq!(ix.find(&elsewhere).unwrap().at, "CLM-B");
        assert!(ix.find(&row(&[("lob", "workers_comp")])).is_none());

        ix.remove(&"CLM-A".to_string(), &first);
        assert!(ix.find(&first).is_none());
        assert!(ix.find(&csv).is_some());
    }

    #[test]
    fn places_and_items_read_as_a_person_says_them() {
        let r = row(&[("lob", "property")]);
        assert_eq!(r.place(), "batch.csv row 2");
        assert_eq!(r.item(), "batch.csv: row 2");
        let m = IntakeSource {
            via: Via::Email,
            file: Some("a.eml".into()),
            row: None,
            message_id: Some("m1@x".into()),
            fingerprint: Fingerprint::of(b""),
        };
        assert_eq!(m.item(), "a.eml: message <m1@x>");
        assert_eq!(m.describe(), "a.eml, message <m1@x> (sha256:e3b0c44298fc)");
        let p = IntakeSource {
            via: Via::Phone,
            file: None,
            row: None,
            message_id: None,
            fingerprint: Fingerprint::of(b""),
        };
        assert_eq!(p.item(), "phone script");
    }
}
