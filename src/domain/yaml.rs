//! Canonical YAML writer.
//!
//! Every record the tool writes goes through [`to_canonical_yaml`], so a record has exactly
//! one textual form: block style, two-space indent, keys in serialization (struct field)
//! order, no `null`s, no empty collections, strings quoted only when they must be.
//! Reading is done by `serde_yaml` (`yaml_serde`); this module only writes.
//!
//! Layout:
//! - struct/map: block mapping; a `None`/unit value, an empty sequence or an empty map omits
//!   its key entirely;
//! - sequence: `- ` items at the owning key's indent + 2 (`key:\n  - item`); an item that is a
//!   mapping or sequence starts on the dash line (`- name: X\n  role: Y`);
//! - enum: unit variant → its name as a string; newtype/tuple/struct variant → a one-key
//!   mapping `variant: value` (an empty payload is written `{}` / `[]` here, never omitted);
//! - bool → `true`/`false`; integers plain; floats are refused;
//! - [`PLAIN_SCALAR`] newtypes (money) → the inner string verbatim, validated;
//! - strings → plain, literal block (`|-`, `|`, `|+`) or double-quoted; see [`scalar_style`].

use std::fmt::{self, Display};

use serde::ser::{self, Serialize};

/// Newtype-struct name that asks the writer to emit the wrapped string verbatim (unquoted).
///
/// `Money` serializes as `serializer.serialize_newtype_struct(PLAIN_SCALAR, "1250.00")`;
/// other serializers (e.g. `serde_json`) just see the inner string. The string must match
/// `-?[0-9]+(\.[0-9]+)?`.
pub use crate::domain::money::PLAIN_SCALAR;

/// Simple keys in YAML may not exceed 1024 characters; stay well below.
const MAX_KEY_CHARS: usize = 1000;

/// Why a value cannot be written as canonical YAML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum YamlWriteError {
    /// `f32`/`f64` values are refused: money and quantities must be decimals.
    #[error("floating-point value {0} cannot be written; use a decimal type")]
    Float(String),
    /// The document root must be a struct or map.
    #[error("the top-level value must be a struct or map, not {0}")]
    TopLevelNotMapping(&'static str),
    /// A map key, or the payload of a [`PLAIN_SCALAR`] newtype, was not a string.
    #[error("{context} must be a string, not {found}")]
    NotAString {
        context: &'static str,
        found: &'static str,
    },
    /// A map key is too long to be written as a YAML simple key.
    #[error("map key is too long ({0} characters)")]
    KeyTooLong(usize),
    /// A [`PLAIN_SCALAR`] payload is not of the form `-?[0-9]+(\.[0-9]+)?`.
    #[error("{0:?} is not a valid plain scalar (expected -?[0-9]+(.[0-9]+)?)")]
    InvalidPlainScalar(String),
    /// `None`/unit where it cannot be omitted (a sequence item or an enum payload).
    #[error("a null/unit value cannot be written in a sequence or as an enum payload")]
    NullNotRepresentable,
    /// Raw byte arrays have no canonical form.
    #[error("byte arrays cannot be written")]
    Bytes,
    /// An error raised by a `Serialize` implementation.
    #[error("{0}")]
    Custom(String),
}

impl ser::Error for YamlWriteError {
    fn custom<T: Display>(msg: T) -> Self {
        YamlWriteError::Custom(msg.to_string())
    }
}

type Result<T, E = YamlWriteError> = std::result::Result<T, E>;

/// Serialize `value` (a struct or map) to its canonical YAML document.
///
/// The result has no `---` header and ends with exactly one newline (unless the last value
/// is a `|+` block scalar, whose trailing blank lines are content). An empty struct is `{}\n`.
pub fn to_canonical_yaml<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = String::with_capacity(1024);
    let emitted = value.serialize(ValueSer {
        out: &mut out,
        place: Place::Top,
    })?;
    match emitted {
        Emitted::Written => {}
        Emitted::EmptyMap => out.push_str("{}\n"),
        Emitted::Null => return Err(YamlWriteError::TopLevelNotMapping("null/unit")),
        Emitted::EmptySeq => return Err(YamlWriteError::TopLevelNotMapping("a sequence")),
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// String classification
// ---------------------------------------------------------------------------------------------

/// How a string value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// Literal block scalar `|` with chomping indicator.
    Literal,
    /// Double-quoted with escapes.
    DoubleQuoted,
}

/// Choose the style for a string value (map keys use only plain or double-quoted).
pub(crate) fn scalar_style(s: &str) -> ScalarStyle {
    if is_plain_safe(s) {
        ScalarStyle::Plain
    } else if is_literal_safe(s) {
        ScalarStyle::Literal
    } else {
        ScalarStyle::DoubleQuoted
    }
}

/// Characters the YAML reader accepts raw and that are not line breaks, BOM or tab.
fn is_plain_char(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7E}'
        | '\u{A0}'..='\u{2027}'
        | '\u{202A}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FEFE}'
        | '\u{FF00}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Indicator characters that may not start a plain scalar.
const INDICATORS: &str = "-?:,[]{}#&*!|>'\"%@`";

/// Words that YAML 1.1 or 1.2 resolves to null/bool (compared case-insensitively), plus the
/// YAML 1.1 merge and value keys.
const RESERVED: &[&str] = &[
    "null", "~", "true", "false", "yes", "no", "y", "n", "on", "off", "<<", "=",
];

fn is_plain_safe(s: &str) -> bool {
    if is_iso_date_or_datetime(s) {
        return true;
    }
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let last = s.chars().next_back().unwrap_or(first);
    if first.is_whitespace() || last.is_whitespace() {
        return false;
    }
    if !s.chars().all(is_plain_char) {
        return false;
    }
    if INDICATORS.contains(first) {
        // `-x` is a plain scalar; `-`, `- x` and `--- x` are not.
        let second = chars.next();
        if first != '-' || second.is_none() || second == Some(' ') {
            return false;
        }
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if RESERVED.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return false;
    }
    if looks_numeric(s) || looks_like_timestamp(s) {
        return false;
    }
    true
}

/// Conservative: anything a YAML 1.1 or 1.2 resolver (or Rust's float parser) might read as a
/// number. After an optional sign: `.inf`/`.nan`/`inf`/`nan`/`infinity` in any case, or a
/// string starting with a digit or `.` made only of hex digits and `xXoO_.:` (plus `+`/`-`
/// right after an `e`/`E`), containing a digit. Covers `0x1F`, `0o17`, `0b101`, `1e3`, `.5`, `1_000`, `17:45`, `1:30:00`, `+1`.
fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    if [".inf", ".nan", "inf", "nan", "infinity", ".infinity"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(t))
    {
        return true;
    }
    let Some(first) = t.chars().next() else {
        return false;
    };
    let b = t.as_bytes();
    (first.is_ascii_digit() || first == '.')
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().enumerate().all(|(i, &c)| match c {
            // Signs inside a number only follow an exponent marker (`1e-3`).
            b'+' | b'-' => i > 0 && matches!(b[i - 1], b'e' | b'E'),
            _ => c.is_ascii_hexdigit() || b"xXoO_.:".contains(&c),
        })
}

/// Starts like a YAML 1.1 timestamp (`dddd-d`) but is not one of the ISO forms we write plain.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 6 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

fn two_digits(b: &[u8]) -> Option<u32> {
    match b {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        }
        _ => None,
    }
}

/// `YYYY-MM-DD` (a real calendar date) or `YYYY-MM-DDTHH:MM:SS[.f+][Z|±HH:MM]`.
pub(crate) fn is_iso_date_or_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 10 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let year = b[..4]
        .iter()
        .fold(0i32, |acc, d| acc * 10 + i32::from(d - b'0'));
    let (Some(month), Some(day)) = (two_digits(&b[5..7]), two_digits(&b[8..10])) else {
        return false;
    };
    if chrono::NaiveDate::from_ymd_opt(year, month, day).is_none() {
        return false;
    }
    let rest = &b[10..];
    if rest.is_empty() {
        return true;
    }
    if rest.len() < 9 || rest[0] != b'T' || rest[3] != b':' || rest[6] != b':' {
        return false;
    }
    match (
        two_digits(&rest[1..3]),
        two_digits(&rest[4..6]),
        two_digits(&rest[7..9]),
    ) {
        (Some(h), Some(m), Some(sec)) if h < 24 && m < 60 && sec < 60 => {}
        _ => return false,
    }
    let mut tail = &rest[9..];
    if let Some(frac) = tail.strip_prefix(b".") {
        let n = frac.iter().take_while(|d| d.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        tail = &frac[n..];
    }
    match tail {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => matches!(
            (two_digits(&[*h1, *h2]), two_digits(&[*m1, *m2])),
            (Some(h), Some(m)) if h < 24 && m < 60
        ),
        _ => false,
    }
}

/// Multi-line strings that survive a literal block scalar unchanged.
fn is_literal_safe(s: &str) -> bool {
    if !s.contains('\n') || !s.chars().all(|c| c == '\n' || is_plain_char(c)) {
        return false;
    }
    let body = s.trim_end_matches('\n');
    // The first non-empty line fixes the indentation: it must not start with a space.
    match body.split('\n').find(|l| !l.is_empty()) {
        Some(line) => !line.starts_with(' '),
        None => false,
    }
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_plain_char(c) => out.push(c),
            c => {
                use fmt::Write;
                // Only BMP code points reach here (all of planes 1-16 are printable).
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
        }
    }
    out.push('"');
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Write a map key (plain or double-quoted, never a block scalar).
fn write_key(out: &mut String, key: &str) -> Result<()> {
    let start = out.len();
    if is_plain_safe(key) {
        out.push_str(key);
    } else {
        write_double_quoted(out, key);
    }
    let written = out[start..].chars().count();
    if written > MAX_KEY_CHARS {
        out.truncate(start);
        return Err(YamlWriteError::KeyTooLong(written));
    }
    Ok(())
}

/// `-?[0-9]+(\.[0-9]+)?`
fn is_valid_plain_scalar(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

// ---------------------------------------------------------------------------------------------
// The serializer
// ---------------------------------------------------------------------------------------------

/// What serializing one value produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emitted {
    /// Something was written.
    Written,
    /// `None` or unit: nothing written.
    Null,
    /// A map/struct with no (non-omitted) entries; output must be rolled back by the caller.
    EmptyMap,
    /// An empty sequence; output must be rolled back by the caller.
    EmptySeq,
}

/// Where the value being serialized goes.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// The document root.
    Top,
    /// After `key:`, where the key starts at column `indent`.
    MapValue { indent: usize },
    /// After `- `, where the dash is at column `indent`.
    SeqItem { indent: usize },
}

/// After a sequence item or enum payload at `mark`: turn an empty result into `{}`/`[]`
/// (these positions cannot omit), and refuse null.
fn explicit_empty(out: &mut String, mark: usize, emitted: Emitted, sep: &str) -> Result<()> {
    let flow = match emitted {
        Emitted::Written => return Ok(()),
        Emitted::Null => return Err(YamlWriteError::NullNotRepresentable),
        Emitted::EmptyMap => "{}",
        Emitted::EmptySeq => "[]",
    };
    out.truncate(mark);
    out.push_str(sep);
    out.push_str(flow);
    out.push('\n');
    Ok(())
}

struct ValueSer<'a> {
    out: &'a mut String,
    place: Place,
}

impl<'a> ValueSer<'a> {
    /// Write the separator before a scalar; returns the indent for block-scalar content.
    fn lead(&mut self, what: &'static str) -> Result<usize> {
        match self.place {
            Place::Top => Err(YamlWriteError::TopLevelNotMapping(what)),
            Place::MapValue { indent } => {
                self.out.push(' ');
                Ok(indent + 2)
            }
            Place::SeqItem { indent } => Ok(indent + 2),
        }
    }

    fn raw_scalar(mut self, text: &str, what: &'static str) -> Result<Emitted> {
        self.lead(what)?;
        self.out.push_str(text);
        self.out.push('\n');
        Ok(Emitted::Written)
    }

    fn string(mut self, s: &str) -> Result<Emitted> {
        let content_indent = self.lead("a string")?;
        match scalar_style(s) {
            ScalarStyle::Plain => self.out.push_str(s),
            ScalarStyle::DoubleQuoted => write_double_quoted(self.out, s),
            ScalarStyle::Literal => {
                let body = s.trim_end_matches('\n');
                let trailing = s.len() - body.len();
                self.out.push_str(match trailing {
                    0 => "|-",
                    1 => "|",
                    _ => "|+",
                });
                for line in body.split('\n') {
                    self.out.push('\n');
                    if !line.is_empty() {
                        push_indent(self.out, content_indent);
                        self.out.push_str(line);
                    }
                }
                for _ in 1..trailing {
                    self.out.push('\n');
                }
            }
        }
        self.out.push('\n');
        Ok(Emitted::Written)
    }

    fn begin_map(self) -> MapSer<'a> {
        let (indent, inline_first) = match self.place {
            Place::Top => (0, false),
            Place::MapValue { indent } => {
                self.out.push('\n');
                (indent + 2, false)
            }
            Place::SeqItem { indent } => (indent + 2, true),
        };
        MapSer {
            out: self.out,
            indent,
            inline_first,
            written: 0,
            entry_mark: 0,
        }
    }

    fn begin_seq(self) -> Result<SeqSer<'a>> {
        let (dash_indent, inline_first) = match self.place {
            Place::Top => return Err(YamlWriteError::TopLevelNotMapping("a sequence")),
            Place::MapValue { indent } => {
                self.out.push('\n');
                (indent + 2, false)
            }
            Place::SeqItem { indent } => (indent + 2, true),
        };
        Ok(SeqSer {
            out: self.out,
            dash_indent,
            inline_first,
            count: 0,
        })
    }

    /// Start the one-key mapping of a non-unit enum variant; returns the output, the indent
    /// of the variant key, and the position right after `variant:`.
    fn begin_variant(self, variant: &str) -> Result<(&'a mut String, usize, usize)> {
        let mut map = self.begin_map();
        map.start_entry(variant)?;
        let mark = map.out.len();
        Ok((map.out, map.indent, mark))
    }
}

impl<'a> ser::Serializer for ValueSer<'a> {
    type Ok = Emitted;
    type Error = YamlWriteError;
    type SerializeSeq = SeqSer<'a>;
    type SerializeTuple = SeqSer<'a>;
    type SerializeTupleStruct = SeqSer<'a>;
    type SerializeTupleVariant = VariantSeqSer<'a>;
    type SerializeMap = MapSer<'a>;
    type SerializeStruct = MapSer<'a>;
    type SerializeStructVariant = VariantMapSer<'a>;

    fn serialize_bool(self, v: bool) -> Result<Emitted> {
        self.raw_scalar(if v { "true" } else { "false" }, "a bool")
    }
    fn serialize_i8(self, v: i8) -> Result<Emitted> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Emitted> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Emitted> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Emitted> {
        self.raw_scalar(&v.to_string(), "an integer")
    }
    fn serialize_i128(self, v: i128) -> Result<Emitted> {
        self.raw_scalar(&v.to_string(), "an integer")
    }
    fn serialize_u8(self, v: u8) -> Result<Emitted> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Emitted> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Emitted> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Emitted> {
        self.raw_scalar(&v.to_string(), "an integer")
    }
    fn serialize_u128(self, v: u128) -> Result<Emitted> {
        self.raw_scalar(&v.to_string(), "an integer")
    }
    fn serialize_f32(self, v: f32) -> Result<Emitted> {
        Err(YamlWriteError::Float(v.to_string()))
    }
    fn serialize_f64(self, v: f64) -> Result<Emitted> {
        Err(YamlWriteError::Float(v.to_string()))
    }
    fn serialize_char(self, v: char) -> Result<Emitted> {
        self.string(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Emitted> {
        self.string(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Emitted> {
        Err(YamlWriteError::Bytes)
    }
    fn serialize_none(self) -> Result<Emitted> {
        Ok(Emitted::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Emitted> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Emitted> {
        Ok(Emitted::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Emitted> {
        Ok(Emitted::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Emitted> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Emitted> {
        if name == PLAIN_SCALAR {
            let s = value.serialize(StrCapture {
                context: "a plain scalar",
            })?;
            if !is_valid_plain_scalar(&s) {
                return Err(YamlWriteError::InvalidPlainScalar(s));
            }
            self.raw_scalar(&s, "a plain scalar")
        } else {
            value.serialize(self)
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Emitted> {
        let (out, indent, mark) = self.begin_variant(variant)?;
        let emitted = value.serialize(ValueSer {
            out: &mut *out,
            place: Place::MapValue { indent },
        })?;
        explicit_empty(out, mark, emitted, " ")?;
        Ok(Emitted::Written)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqSer<'a>> {
        self.begin_seq()
    }
    fn serialize_tuple(self, _len: usize) -> Result<SeqSer<'a>> {
        self.begin_seq()
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<SeqSer<'a>> {
        self.begin_seq()
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantSeqSer<'a>> {
        let (out, indent, mark) = self.begin_variant(variant)?;
        let seq = ValueSer {
            out,
            place: Place::MapValue { indent },
        }
        .begin_seq()?;
        Ok(VariantSeqSer { seq, mark })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapSer<'a>> {
        Ok(self.begin_map())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapSer<'a>> {
        Ok(self.begin_map())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantMapSer<'a>> {
        let (out, indent, mark) = self.begin_variant(variant)?;
        let map = ValueSer {
            out,
            place: Place::MapValue { indent },
        }
        .begin_map();
        Ok(VariantMapSer { map, mark })
    }
}

/// A block mapping in progress.
struct MapSer<'a> {
    out: &'a mut String,
    /// Column of the keys.
    indent: usize,
    /// The first written key goes on the current line (after a sequence dash).
    inline_first: bool,
    /// Entries written (not omitted) so far.
    written: usize,
    /// Output length before the current entry's key, for rolling back omitted entries.
    entry_mark: usize,
}

impl MapSer<'_> {
    fn start_entry(&mut self, key: &str) -> Result<()> {
        self.entry_mark = self.out.len();
        if !(self.inline_first && self.written == 0) {
            push_indent(self.out, self.indent);
        }
        write_key(self.out, key)?;
        self.out.push(':');
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let emitted = value.serialize(ValueSer {
            out: &mut *self.out,
            place: Place::MapValue {
                indent: self.indent,
            },
        })?;
        if emitted == Emitted::Written {
            self.written += 1;
        } else {
            self.out.truncate(self.entry_mark);
        }
        Ok(())
    }

    fn finish(self) -> Emitted {
        if self.written == 0 {
            Emitted::EmptyMap
        } else {
            Emitted::Written
        }
    }
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = Emitted;
    type Error = YamlWriteError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let key = key.serialize(StrCapture {
            context: "a map key",
        })?;
        self.start_entry(&key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.value(value)
    }
    fn end(self) -> Result<Emitted> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for MapSer<'_> {
    type Ok = Emitted;
    type Error = YamlWriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<()> {
        self.start_entry(key)?;
        self.value(v)
    }
    fn end(self) -> Result<Emitted> {
        Ok(self.finish())
    }
}

/// A block sequence in progress.
struct SeqSer<'a> {
    out: &'a mut String,
    /// Column of the dashes.
    dash_indent: usize,
    /// The first item goes on the current line (after an outer sequence dash).
    inline_first: bool,
    count: usize,
}

impl SeqSer<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        if !(self.inline_first && self.count == 0) {
            push_indent(self.out, self.dash_indent);
        }
        self.out.push_str("- ");
        let mark = self.out.len();
        let emitted = value.serialize(ValueSer {
            out: &mut *self.out,
            place: Place::SeqItem {
                indent: self.dash_indent,
            },
        })?;
        explicit_empty(self.out, mark, emitted, "")?;
        self.count += 1;
        Ok(())
    }

    fn finish(self) -> Emitted {
        if self.count == 0 {
            Emitted::EmptySeq
        } else {
            Emitted::Written
        }
    }
}

impl ser::SerializeSeq for SeqSer<'_> {
    type Ok = Emitted;
    type Error = YamlWriteError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<Emitted> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for SeqSer<'_> {
    type Ok = Emitted;
    type Error = YamlWriteError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<Emitted> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for SeqSer<'_> {
    type Ok = Emitted;
    type Error = YamlWriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<Emitted> {
        Ok(self.finish())
    }
}

/// `variant:` followed by a block sequence.
struct VariantSeqSer<'a> {
    seq: SeqSer<'a>,
    /// Output length right after `variant:`.
    mark: usize,
}

impl ser::SerializeTupleVariant for VariantSeqSer<'_> {
    type Ok = Emitted;
    type Error = YamlWriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.seq.element(value)
    }
    fn end(self) -> Result<Emitted> {
        let mark = self.mark;
        let empty = self.seq.count == 0;
        if empty {
            explicit_empty(self.seq.out, mark, Emitted::EmptySeq, " ")?;
        }
        Ok(Emitted::Written)
    }
}

/// `variant:` followed by a block mapping.
struct VariantMapSer<'a> {
    map: MapSer<'a>,
    /// Output length right after `variant:`.
    mark: usize,
}

impl ser::SerializeStructVariant for VariantMapSer<'_> {
    type Ok = Emitted;
    type Error = YamlWriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<()> {
        self.map.start_entry(key)?;
        self.map.value(v)
    }
    fn end(self) -> Result<Emitted> {
        if self.map.written == 0 {
            explicit_empty(self.map.out, self.mark, Emitted::EmptyMap, " ")?;
        }
        Ok(Emitted::Written)
    }
}

// ---------------------------------------------------------------------------------------------
// String capture (map keys and plain-scalar payloads)
// ---------------------------------------------------------------------------------------------

/// Accepts only string-like values (str, char, unit variant, newtype around those).
struct StrCapture {
    context: &'static str,
}

impl StrCapture {
    fn reject<T>(&self, found: &'static str) -> Result<T> {
        Err(YamlWriteError::NotAString {
            context: self.context,
            found,
        })
    }
}

impl ser::Serializer for StrCapture {
    type Ok = String;
    type Error = YamlWriteError;
    type SerializeSeq = ser::Impossible<String, YamlWriteError>;
    type SerializeTuple = ser::Impossible<String, YamlWriteError>;
    type SerializeTupleStruct = ser::Impossible<String, YamlWriteError>;
    type SerializeTupleVariant = ser::Impossible<String, YamlWriteError>;
    type SerializeMap = ser::Impossible<String, YamlWriteError>;
    type SerializeStruct = ser::Impossible<String, YamlWriteError>;
    type SerializeStructVariant = ser::Impossible<String, YamlWriteError>;

    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_owned())
    }
    fn serialize_char(self, v: char) -> Result<String> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String> {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result<String> {
        self.reject("a bool")
    }
    fn serialize_i8(self, _v: i8) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_i16(self, _v: i16) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_i32(self, _v: i32) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_i64(self, _v: i64) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_i128(self, _v: i128) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_u8(self, _v: u8) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_u16(self, _v: u16) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_u32(self, _v: u32) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_u64(self, _v: u64) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_u128(self, _v: u128) -> Result<String> {
        self.reject("an integer")
    }
    fn serialize_f32(self, _v: f32) -> Result<String> {
        self.reject("a float")
    }
    fn serialize_f64(self, _v: f64) -> Result<String> {
        self.reject("a float")
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String> {
        self.reject("bytes")
    }
    fn serialize_none(self) -> Result<String> {
        self.reject("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String> {
        self.reject("an option")
    }
    fn serialize_unit(self) -> Result<String> {
        self.reject("unit")
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String> {
        self.reject("unit")
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String> {
        self.reject("an enum variant with data")
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        self.reject("a sequence")
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        self.reject("a sequence")
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.reject("a sequence")
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.reject("an enum variant with data")
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        self.reject("a map")
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        self.reject("a struct")
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.reject("an enum variant with data")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::str::FromStr;

    use chrono::{DateTime, FixedOffset, NaiveDate};
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::*;

    /// Test stand-in for the domain `Money`: two decimal places, written via [`PLAIN_SCALAR`],
    /// read from a YAML number or string.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Money(Decimal);

    impl Money {
        fn new(s: &str) -> Self {
            Money(Decimal::from_str(s).unwrap())
        }
    }

    impl Serialize for Money {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_newtype_struct(PLAIN_SCALAR, &format!("{:.2}", self.0))
        }
    }

    impl<'de> Deserialize<'de> for Money {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Money;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a decimal amount")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                    Decimal::from_str(v).map(Money).map_err(E::custom)
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Money, E> {
                    self.visit_str(&v.to_string())
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
                    Ok(Money(Decimal::from(v)))
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                    Ok(Money(Decimal::from(v)))
                }
            }
            deserializer.deserialize_any(V)
        }
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum ClaimStatus {
        Open,
        UnderReview,
        Closed,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum PartyRole {
        Claimant,
        Insured,
        ThirdParty,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Decision {
        Pending,
        Approved {
            amount: Money,
            approved_on: NaiveDate,
        },
        Denied(String),
        Split(Money, Money),
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Party {
        name: String,
        role: PartyRole,
        contact: Option<String>,
        #[serde(default)]
        phones: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct LineItem {
        code: String,
        amount: Money,
        note: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Claim {
        id: String,
        policy: String,
        status: ClaimStatus,
        reported_on: NaiveDate,
        loss_at: DateTime<FixedOffset>,
        closed_on: Option<NaiveDate>,
        adjuster: Option<String>,
        description: String,
        reserve: Money,
        deductible: Option<Money>,
        vehicle_year: u16,
        total_loss: bool,
        #[serde(default)]
        parties: Vec<Party>,
        #[serde(default)]
        lines: Vec<LineItem>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        labels: BTreeMap<String, String>,
        #[serde(deserialize_with = "serde_yaml::with::singleton_map::deserialize")]
        decision: Decision,
        #[serde(
            default,
            deserialize_with = "serde_yaml::with::singleton_map_recursive::deserialize"
        )]
        history: Vec<Decision>,
    }

    fn sample_claim() -> Claim {
        Claim {
            id: "CLM-2026-0042".into(),
            policy: "PA-100234".into(),
            status: ClaimStatus::UnderReview,
            reported_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            loss_at: DateTime::parse_from_rfc3339("2026-11-01T17:45:00-08:00").unwrap(),
            closed_on: None,
            adjuster: Some("O'Brien".into()),
            description: "Rear-ended at a light on Main St.\nOther driver: admitted fault.\n"
                .into(),
            reserve: Money::new("1250"),
            deductible: None,
            vehicle_year: 2019,
            total_loss: false,
            parties: vec![
                Party {
                    name: "Dana Whitfield".into(),
                    role: PartyRole::Insured,
                    contact: Some("+1 415 555 0134".into()),
                    phones: vec!["415-555-0134".into(), "94110".into()],
                },
                Party {
                    name: "Acme Towing, Inc.".into(),
                    role: PartyRole::ThirdParty,
                    contact: None,
                    phones: vec![],
                },
            ],
            lines: vec![
                LineItem {
                    code: "repair".into(),
                    amount: Money::new("1180.5"),
                    note: Some("estimate #2: body shop".into()),
                },
                LineItem {
                    code: "towing".into(),
                    amount: Money::new("-5.10"),
                    note: None,
                },
            ],
            tags: vec![],
            labels: BTreeMap::from([
                ("region".to_string(), "west".to_string()),
                ("yes".to_string(), "no".to_string()),
            ]),
            decision: Decision::Approved {
                amount: Money::new("0"),
                approved_on: NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
            },
            history: vec![
                Decision::Pending,
                Decision::Denied("late notice".into()),
                Decision::Split(Money::new("10"), Money::new("20.25")),
            ],
        }
    }

    const SAMPLE_YAML: &str = r#"id: CLM-2026-0042
policy: PA-100234
status: under_review
reported_on: 2026-11-02
loss_at: 2026-11-01T17:45:00-08:00
adjuster: O'Brien
description: |
  Rear-ended at a light on Main St.
  Other driver: admitted fault.
reserve: 1250.00
vehicle_year: 2019
total_loss: false
parties:
  - name: Dana Whitfield
    role: insured
    contact: +1 415 555 0134
    phones:
      - 415-555-0134
      - "94110"
  - name: Acme Towing, Inc.
    role: third_party
lines:
  - code: repair
    amount: 1180.50
    note: "estimate #2: body shop"
  - code: towing
    amount: -5.10
labels:
  region: west
  "yes": "no"
decision:
  approved:
    amount: 0.00
    approved_on: 2026-11-05
history:
  - pending
  - denied: late notice
  - split:
      - 10.00
      - 20.25
"#;

    fn round_trip<T>(value: &T) -> String
    where
        T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug,
    {
        let text = to_canonical_yaml(value).unwrap();
        let back: T = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("re-read failed: {e}\n---\n{text}"));
        assert_eq!(&back, value, "round trip changed the value:\n{text}");
        assert_eq!(
            to_canonical_yaml(&back).unwrap(),
            text,
            "second write differs"
        );
        text
    }

    #[test]
    fn sample_claim_exact_document() {
        let text = to_canonical_yaml(&sample_claim()).unwrap();
        assert_eq!(text, SAMPLE_YAML, "\n{text}");
    }

    #[test]
    fn sample_claim_round_trips() {
        let claim = sample_claim();
        round_trip(&claim);
        // Re-reading the snapshot gives the same claim.
        let read: Claim = serde_yaml::from_str(SAMPLE_YAML).unwrap();
        assert_eq!(read, claim);
    }

    #[test]
    fn sparse_claim_round_trips() {
        let mut claim = sample_claim();
        claim.parties.clear();
        claim.lines.clear();
        claim.labels.clear();
        claim.history.clear();
        claim.adjuster = None;
        claim.closed_on = Some(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap());
        claim.deductible = Some(Money::new("500"));
        claim.decision = Decision::Denied(String::new());
        claim.description = "one line".into();
        let text = round_trip(&claim);
        assert!(!text.contains("parties"), "{text}");
        assert!(!text.contains("null"), "{text}");
        assert!(text.contains("closed_on: 2027-01-31\n"), "{text}");
        assert!(text.contains("deductible: 500.00\n"), "{text}");
        assert!(text.contains("decision:\n  denied: \"\"\n"), "{text}");
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"));
    }

    #[test]
    fn money_is_unquoted() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct M {
            a: Money,
            b: Money,
            c: Money,
            #[serde(default)]
            list: Vec<Money>,
        }
        let m = M {
            a: Money::new("0.00"),
            b: Money::new("1250.00"),
            c: Money::new("-5.10"),
            list: vec![Money::new("1"), Money::new("-0.5")],
        };
        let text = round_trip(&m);
        assert_eq!(
            text,
            "a: 0.00\nb: 1250.00\nc: -5.10\nlist:\n  - 1.00\n  - -0.50\n"
        );
        // Other serializers just see the string.
        assert_eq!(
            serde_json::to_string(&m.b).unwrap(),
            "\"1250.00\"".to_string()
        );
    }

    #[test]
    fn plain_scalar_is_validated() {
        struct Raw(&'static str);
        impl Serialize for Raw {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_newtype_struct(PLAIN_SCALAR, self.0)
            }
        }
        for ok in ["0", "12", "-5.10", "1250.00", "007"] {
            let text = to_canonical_yaml(&BTreeMap::from([("v", Raw(ok))])).unwrap();
            assert_eq!(text, format!("v: {ok}\n"));
        }
        for bad in [
            "", "-", "1.", ".5", "1e3", "+1", "1,000", "abc", "1.2.3", " 1", "1 ", "--1", "0x1F",
        ] {
            let err = to_canonical_yaml(&BTreeMap::from([("v", Raw(bad))])).unwrap_err();
            assert_eq!(err, YamlWriteError::InvalidPlainScalar(bad.to_string()));
        }
        struct NotStr;
        impl Serialize for NotStr {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_newtype_struct(PLAIN_SCALAR, &12u32)
            }
        }
        assert!(matches!(
            to_canonical_yaml(&BTreeMap::from([("v", NotStr)])),
            Err(YamlWriteError::NotAString { .. })
        ));
    }

    #[test]
    fn rejections() {
        #[derive(Serialize)]
        struct F {
            x: f64,
        }
        assert!(matches!(
            to_canonical_yaml(&F { x: 1.5 }),
            Err(YamlWriteError::Float(_))
        ));
        assert!(matches!(
            to_canonical_yaml("text"),
            Err(YamlWriteError::TopLevelNotMapping(_))
        ));
        assert!(matches!(
            to_canonical_yaml(&vec![1, 2]),
            Err(YamlWriteError::TopLevelNotMapping(_))
        ));
        assert!(matches!(
            to_canonical_yaml(&None::<BTreeMap<String, String>>),
            Err(YamlWriteError::TopLevelNotMapping(_))
        ));
        assert!(matches!(
            to_canonical_yaml(&BTreeMap::from([(1u32, "a")])),
            Err(YamlWriteError::NotAString { .. })
        ));
        assert_eq!(
            to_canonical_yaml(&BTreeMap::from([("v", vec![Some(1), None])])),
            Err(YamlWriteError::NullNotRepresentable)
        );
        let long = "k".repeat(MAX_KEY_CHARS + 1);
        assert!(matches!(
            to_canonical_yaml(&BTreeMap::from([(long, 1)])),
            Err(YamlWriteError::KeyTooLong(_))
        ));
    }

    #[test]
    fn empty_and_nested_shapes() {
        #[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
        struct Inner {
            a: Option<String>,
            #[serde(default)]
            b: Vec<u32>,
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        #[serde(rename_all = "snake_case")]
        enum E {
            Unit,
            Wrap(Inner),
            List(Vec<u32>),
            Tuple(u8, u8),
            Fields { x: Option<u8> },
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Outer {
            #[serde(default)]
            inner: Inner,
            #[serde(default)]
            grid: Vec<Vec<u32>>,
            #[serde(default)]
            items: Vec<Inner>,
            #[serde(
                default,
                deserialize_with = "serde_yaml::with::singleton_map_recursive::deserialize"
            )]
            es: Vec<E>,
            #[serde(default)]
            unit: (),
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Empty {}
        assert_eq!(to_canonical_yaml(&Empty {}).unwrap(), "{}\n");
        assert_eq!(
            to_canonical_yaml(&Outer {
                inner: Inner::default(),
                grid: vec![],
                items: vec![],
                es: vec![],
                unit: (),
            })
            .unwrap(),
            "{}\n"
        );
        let outer = Outer {
            inner: Inner {
                a: None,
                b: vec![1],
            },
            grid: vec![vec![1, 2], vec![], vec![3]],
            items: vec![
                Inner::default(),
                Inner {
                    a: None,
                    b: vec![4, 5],
                },
                Inner {
                    a: Some("multi\nline".into()),
                    b: vec![],
                },
            ],
            es: vec![
                E::Unit,
                E::Wrap(Inner::default()),
                E::List(vec![]),
                E::List(vec![7]),
                E::Tuple(1, 2),
                E::Fields { x: None },
                E::Fields { x: Some(3) },
            ],
            unit: (),
        };
        let text = round_trip(&outer);
        assert_eq!(
            text,
            "inner:
  b:
    - 1
grid:
  - - 1
    - 2
  - []
  - - 3
items:
  - {}
  - b:
      - 4
      - 5
  - a: |-
      multi
      line
es:
  - unit
  - wrap: {}
  - list: []
  - list:
      - 7
  - tuple:
      - 1
      - 2
  - fields: {}
  - fields:
      x: 3
"
        );
    }

    /// yaml_serde reads enums with data from `!variant` tags by default; our one-key mapping
    /// form needs `deserialize_with = singleton_map[_recursive]::deserialize` on the field.
    /// (Do not use `with = singleton_map` for writing: it routes payloads through
    /// `serde_yaml::Value`, which turns money into quoted strings.)
    #[test]
    fn data_enums_need_singleton_map_on_read() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Plain {
            decision: Decision,
        }
        let text = to_canonical_yaml(&Plain {
            decision: Decision::Denied("late".into()),
        })
        .unwrap();
        assert_eq!(text, "decision:\n  denied: late\n");
        assert!(serde_yaml::from_str::<Plain>(&text).is_err());

        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Annotated {
            #[serde(deserialize_with = "serde_yaml::with::singleton_map::deserialize")]
            decision: Decision,
        }
        round_trip(&Annotated {
            decision: Decision::Denied("late".into()),
        });
    }

    #[test]
    fn literal_block_chomping() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct S {
            a: String,
            b: String,
            c: String,
            #[serde(default)]
            v: Vec<String>,
        }
        let s = S {
            a: "x\n  indented\n\nafter blank".into(),
            b: "one\n".into(),
            c: "keep\n\n".into(),
            v: vec!["in\nseq\n".into()],
        };
        let text = round_trip(&s);
        assert_eq!(
            text,
            "a: |-\n  x\n    indented\n\n  after blank\nb: |\n  one\nc: |+\n  keep\n\nv:\n  - |\n    in\n    seq\n"
        );
    }

    // --- string round-trip property -----------------------------------------------------------

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        s: String,
        o: Option<String>,
        #[serde(default)]
        list: Vec<String>,
        #[serde(default)]
        map: BTreeMap<String, u32>,
    }

    fn check_string(s: &str) {
        let holder = Holder {
            s: s.to_owned(),
            o: Some(s.to_owned()),
            list: vec![s.to_owned(), "x".to_owned(), s.to_owned()],
            map: BTreeMap::from([(s.to_owned(), 1), ("k".to_owned(), 2)]),
        };
        let text = to_canonical_yaml(&holder).unwrap();
        let back: Holder = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{s:?} failed to re-read: {e}\n---\n{text}"));
        assert_eq!(back, holder, "{s:?} changed:\n{text}");
        assert_eq!(to_canonical_yaml(&back).unwrap(), text);
        // Read untyped, the scalar must still be a string (not a number/bool/null).
        let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(
            value.get("s"),
            Some(&serde_yaml::Value::String(s.to_owned())),
            "{s:?} re-read untyped differently:\n{text}"
        );
        assert_eq!(
            value.get("list").and_then(|l| l.get(0)),
            Some(&serde_yaml::Value::String(s.to_owned())),
            "{s:?} in a list re-read untyped differently:\n{text}"
        );
        assert!(
            !text.starts_with("---") && text.ends_with('\n'),
            "{s:?}: {text}"
        );
    }

    const TRICKY: &[&str] = &[
        "",
        " ",
        " x",
        "x ",
        "yes",
        "No",
        "NO",
        "y",
        "N",
        "on",
        "Off",
        "true",
        "False",
        "null",
        "NULL",
        "~",
        "<<",
        "=",
        "123",
        "0123",
        "-0123",
        "1e3",
        "1E+3",
        "0x1F",
        "0o17",
        "0b101",
        ".5",
        "5.",
        "-1",
        "+1",
        "1_000",
        "17:45",
        "1:30:00",
        ".inf",
        "-.Inf",
        ".NaN",
        "inf",
        "nan",
        "infinity",
        "a: b",
        "a:b",
        "a #b",
        "a#b",
        "#x",
        "- x",
        "-x",
        "-",
        "--",
        "---",
        "--- x",
        "...",
        "?",
        "? x",
        "?x",
        ":x",
        "[a]",
        "{a}",
        "a,b",
        "*a",
        "&a",
        "!a",
        "!!str",
        "%a",
        "@a",
        "`a",
        "|",
        ">",
        "'q'",
        "\"q\"",
        "tab\tin",
        "\t",
        "multi\nline",
        "multi\nline\n",
        "trailing\n\n",
        "\n",
        "\n\n",
        "\nleading newline",
        "\n  indented after newline",
        " leading\nspace",
        "a\n b",
        "a \nb",
        "a\n \nb",
        "a\n  ",
        "# not a comment\nline",
        "- item\n- item",
        "line\n---\nline",
        "unicode é ü 中文 🚗",
        "\u{7}",
        "\u{0}",
        "\u{1b}[0m",
        "\u{7f}",
        "\u{85}",
        "a\u{85}b",
        "\u{a0}",
        "a\u{a0}b",
        "a\u{2028}b",
        "a\u{2029}b",
        "\u{feff}bom",
        "a\u{fffe}b",
        "\u{10ffff}",
        "a\r\nb",
        "a\rb",
        "C:\\path",
        "\\",
        "key:",
        "https://x.y/z?q=1#f",
        "O'Brien",
        "say \"hi\"",
        "2026-11-02",
        "2026-13-45",
        "2026-02-30",
        "2026-11-02T09:14:00-08:00",
        "2026-11-02T09:14:00Z",
        "2026-11-02T09:14:00.123456Z",
        "2026-11-02T09:14:00",
        "2026-11-02 09:14:00",
        "2026-11-02t09:14:00Z",
        "2026-1-2",
        "Main St, Suite 5",
        "PA-100234",
        "+1 415 555 0134",
        "94110",
        "415-555-0134",
        "1-2",
        "1e-3",
        "1.5E+10",
        "12e",
        "-0x1F",
        "0x-1",
        "+-1",
        "123 Main St",
        "1st",
        "e1",
        "A1",
    ];

    #[test]
    fn tricky_strings_round_trip() {
        for s in TRICKY {
            check_string(s);
        }
        check_string(&"x".repeat(300));
        check_string(&"long line ".repeat(50));
    }

    #[test]
    fn quoting_choices() {
        let style = |s: &str| scalar_style(s);
        for plain in [
            "2026-11-02",
            "2026-11-02T09:14:00-08:00",
            "2026-11-02T09:14:00.5Z",
            "PA-100234",
            "415-555-0134",
            "Main St, Suite 5",
            "O'Brien",
            "-x",
            "C:\\path",
            "https://x.y/z?q=1#f",
            "unicode é ü 中文 🚗",
        ] {
            assert_eq!(style(plain), ScalarStyle::Plain, "{plain:?}");
        }
        for quoted in [
            "",
            "1e-3",
            "-0x1F",
            "yes",
            "No",
            "null",
            "~",
            "123",
            "0123",
            "1e3",
            "0x1F",
            ".5",
            "-1",
            "+1",
            "17:45",
            "a: b",
            "a #b",
            "#x",
            "- x",
            "[a]",
            "2026-13-45",
            "2026-11-02 09:14",
            "key:",
            "tab\tin",
            "\u{7}",
            "a\r\nb",
            " leading\nspace",
        ] {
            assert_eq!(style(quoted), ScalarStyle::DoubleQuoted, "{quoted:?}");
        }
        for literal in ["multi\nline", "multi\nline\n", "trailing\n\n"] {
            assert_eq!(style(literal), ScalarStyle::Literal, "{literal:?}");
        }
        let mut out = String::new();
        write_double_quoted(&mut out, "a\"b\\c\nd\te\u{7}f\u{85}");
        assert_eq!(out, r#""a\"b\\c\nd\te\u0007f\u0085""#);
    }

    /// SplitMix64: a tiny fixed-seed generator so the corpus is identical on every run.
    struct SplitMix(u64);
    impl SplitMix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn random_risky_strings_round_trip() {
        const PIECES: &[&str] = &[
            " ",
            "  ",
            "\t",
            "\n",
            "\n\n",
            "\r",
            "\r\n",
            ":",
            ": ",
            "#",
            " #",
            "-",
            "- ",
            "?",
            ",",
            "[",
            "]",
            "{",
            "}",
            "&",
            "*",
            "!",
            "|",
            ">",
            "'",
            "\"",
            "%",
            "@",
            "`",
            "\\",
            ".",
            "0",
            "1",
            "9",
            "e",
            "E",
            "x",
            "o",
            "b",
            "+",
            "_",
            "a",
            "Z",
            "T",
            "y",
            "n",
            "~",
            "é",
            "中",
            "🚗",
            "\u{0}",
            "\u{7}",
            "\u{1b}",
            "\u{7f}",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{feff}",
            "\u{fffd}",
            "yes",
            "null",
            "true",
            "No",
            "2026-11-02",
            "T09:14:00",
            "-08:00",
            "---",
            "...",
            "<<",
            "0x",
            "1e3",
            ".inf",
            "17:45",
            "=",
            "\\n",
            "\\u0041",
        ];
        let mut rng = SplitMix(0x00C1_A1A5_2026_1102);
        for _ in 0..4000 {
            let n = rng.below(7);
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(PIECES[rng.below(PIECES.len())]);
            }
            check_string(&s);
        }
    }
}
