//! The bounds on what the tool reads. Input is hostile until validated: every file, payload,
//! batch, message and answer is held to a size, a nesting depth, field lengths and plain text
//! (UTF-8 without NUL or other control characters) before a parser sees it, so that a hostile
//! input is refused in milliseconds, naming where it went wrong, instead of stalling or
//! crashing the readers. Pure functions of their input; the reading is in
//! `store::input` (files a user names) and `store::files` (the office's own files).
//!
//! The limits, and why:
//! - [`MAX_RECORD_BYTES`] (2 MiB) for claim files, policies, authority.yaml and proposals: the
//!   sample claims are 1–8 KB and a claim of ten thousand notes fits; the tool refuses to
//!   write a claim past it, so it never writes what it would refuse to read.
//! - [`MAX_PAYLOAD_BYTES`] (1 MiB) for a web or mobile payload (its photos come as files).
//! - [`MAX_CSV_BYTES`] (64 MiB) for a batch: ten thousand rows are about 10 MB.
//! - [`MAX_EMAIL_BYTES`] (50 MiB) for one .eml: mail servers refuse messages of 25–50 MB.
//! - [`MAX_ATTACHMENT_BYTES`] (50 MiB) for an attached file: git hosts warn on files of 50 MB
//!   and refuse them at 100 MB, and every clone of the office carries it.
//! - [`MAX_DEPTH`] (64) levels of nesting: claim files nest six deep; the YAML reader's own
//!   limit (128) applies only after it has read the whole document, which for flow
//!   collections (`[[[[...`) takes time quadratic in the depth.
//! - [`MAX_FIELD_BYTES`] (64 KiB) for one field of a notice (a CSV cell, a payload's string, a
//!   phone answer, a note from stdin): thirty pages of text.
//! - [`MAX_FILE_NAME_BYTES`] (100) for an attachment's stored name: well under the 255 bytes a
//!   file system allows per name, and with `claims/YYYY/MM/XX/<ID>/attachments/` (49 bytes
//!   by shard, 46 by month) the path in the repository stays under 150 bytes, so a checkout is possible on systems
//!   that limit the whole path to 260.

use std::fmt;

pub const MAX_RECORD_BYTES: u64 = 2 << 20;
pub const MAX_PAYLOAD_BYTES: u64 = 1 << 20;
pub const MAX_CSV_BYTES: u64 = 64 << 20;
pub const MAX_EMAIL_BYTES: u64 = 50 << 20;
pub const MAX_ATTACHMENT_BYTES: u64 = 50 << 20;
pub const MAX_DEPTH: usize = 64;
pub const MAX_FIELD_BYTES: usize = 64 << 10;
pub const MAX_FILE_NAME_BYTES: usize = 100;
/// The longest extension a cut name keeps (`.jpeg`, `.docx`, `.tar.gz` fit).
const MAX_EXTENSION_BYTES: usize = 12;

/// A place in a text: 0-based byte offset, 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` of `bytes`, which are valid UTF-8 before it.
    pub fn at(bytes: &[u8], offset: usize) -> Position {
        let before = &bytes[..offset.min(bytes.len())];
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let line = 1 + memchr::memchr_iter(b'\n', before).count();
        // Characters, not bytes: count the bytes that start one.
        let column = 1 + before[line_start..]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count();
        Position {
            offset,
            line,
            column,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} (byte offset {})",
            self.line, self.column, self.offset
        )
    }
}

/// Why an input is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bad {
    /// Bytes that are not UTF-8.
    NotUtf8 { at: Position, byte: u8 },
    /// A NUL byte or another control character (anything below U+0020 but tab, LF and CR).
    Control { at: Position, code: u32 },
    /// Larger than the limit for its kind.
    TooLarge { size: u64, limit: u64 },
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep { at: Position },
    /// One field longer than [`MAX_FIELD_BYTES`].
    FieldTooLong { size: usize },
}

impl Bad {
    /// Where in the text, when the problem is at a place.
    pub fn position(&self) -> Option<Position> {
        match self {
            Bad::NotUtf8 { at, .. } | Bad::Control { at, .. } | Bad::TooDeep { at } => Some(*at),
            Bad::TooLarge { .. } | Bad::FieldTooLong { .. } => None,
        }
    }

    /// In words without the line and column, for a finding that prints them itself.
    pub fn brief(&self) -> String {
        match self {
            Bad::NotUtf8 { at, byte } => {
                format!(
                    "not UTF-8 text: byte 0x{byte:02x} (byte offset {})",
                    at.offset
                )
            }
            Bad::Control { at, code: 0 } => format!("a NUL byte (byte offset {})", at.offset),
            Bad::Control { at, code } => format!(
                "a control character (U+{code:04X}) (byte offset {})",
                at.offset
            ),
            Bad::TooDeep { .. } => format!("nested deeper than {MAX_DEPTH} levels"),
            other => other.to_string(),
        }
    }

    /// The finding code `claims check` reports it under: Y005 for text that is not text, Y004
    /// for the bounds.
    pub fn code(&self) -> &'static str {
        match self {
            Bad::NotUtf8 { .. } | Bad::Control { .. } => "Y005",
            _ => "Y004",
        }
    }
}

impl fmt::Display for Bad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bad::NotUtf8 { at, byte } => {
                write!(f, "not UTF-8 text: byte 0x{byte:02x} at {at}")
            }
            Bad::Control { at, code: 0 } => write!(f, "a NUL byte at {at}"),
            Bad::Control { at, code } => {
                write!(f, "a control character (U+{code:04X}) at {at}")
            }
            Bad::TooLarge { size, limit } => {
                // Both in bytes when the rounded figures would read the same (66,000 bytes
                // is not "64 KiB is more than 64 KiB").
                let (s, l) = (size_words(*size), size_words(*limit));
                let (s, l) = if s == l {
                    (format!("{size} bytes"), format!("{limit} bytes"))
                } else {
                    (s, l)
                };
                write!(f, "{s} is too large: the most this tool reads here is {l}")
            }
            Bad::TooDeep { at } => {
                write!(f, "nested deeper than {MAX_DEPTH} levels at {at}")
            }
            Bad::FieldTooLong { size } => write!(
                f,
                "{} is too long: a field may be at most {}",
                size_words(*size as u64),
                size_words(MAX_FIELD_BYTES as u64)
            ),
        }
    }
}

/// `1536` → "1.5 KiB"; sizes under 1 KiB in bytes.
pub fn size_words(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    let text = format!("{v:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text} {}", UNITS[unit])
}

/// Refuses `size` over `limit`.
pub fn check_size(size: u64, limit: u64) -> Result<(), Bad> {
    if size > limit {
        Err(Bad::TooLarge { size, limit })
    } else {
        Ok(())
    }
}

/// The bytes as text: UTF-8, with no NUL or other control character but tab, LF and CR.
pub fn text(bytes: &[u8]) -> Result<&str, Bad> {
    let s = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        Bad::NotUtf8 {
            at: Position::at(bytes, offset),
            byte: bytes[offset],
        }
    })?;
    no_controls(s)?;
    Ok(s)
}

/// Refuses a NUL or another control character (below U+0020, but tab, LF and CR).
pub fn no_controls(s: &str) -> Result<(), Bad> {
    match s
        .bytes()
        .position(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        None => Ok(()),
        Some(offset) => Err(Bad::Control {
            at: Position::at(s.as_bytes(), offset),
            code: u32::from(s.as_bytes()[offset]),
        }),
    }
}

/// One field of a notice: at most [`MAX_FIELD_BYTES`], and text (see [`no_controls`]; a
/// position is within the field).
pub fn field(s: &str) -> Result<(), Bad> {
    if s.len() > MAX_FIELD_BYTES {
        return Err(Bad::FieldTooLong { size: s.len() });
    }
    no_controls(s)
}

/// A YAML document within the bounds for a record: at most `limit` bytes and at most
/// [`MAX_DEPTH`] levels deep. Cheap for the files the tool writes (one pass over the
/// bytes); the YAML parser's own events decide when that pass cannot rule deep nesting out.
pub fn yaml(text: &str, limit: u64) -> Result<(), Bad> {
    check_size(text.len() as u64, limit)?;
    if depth_bound(text.as_bytes()) <= MAX_DEPTH {
        return Ok(());
    }
    yaml_depth(text.as_bytes())
}

/// An upper bound on a YAML document's nesting depth from its bytes alone. Every flow
/// collection opens with `[` or `{`. A block collection starts within its line's leading
/// run of spaces and indicators (`-`, `?`, `:`), at a column greater than its parent's, or
/// the same column where a sequence is a mapping's value: so block collections nest at most
/// twice the longest such run, plus one.
pub fn depth_bound(bytes: &[u8]) -> usize {
    let flow = bytes.iter().filter(|b| matches!(b, b'[' | b'{')).count();
    let mut run = 0;
    let mut longest = 0;
    let mut leading = true;
    for &b in bytes {
        if b == b'\n' {
            run = 0;
            leading = true;
        } else if leading && matches!(b, b' ' | b'-' | b'?' | b':') {
            run += 1;
            longest = longest.max(run);
        } else {
            leading = false;
        }
    }
    flow + 2 * (longest + 1)
}

/// The exact depth check: the YAML parser's events (`libyaml`, the parser `serde_yaml` reads
/// with), stopped at the first collection deeper than [`MAX_DEPTH`]. A syntax error ends the
/// check without a finding: the deserializer reports it, at the same place.
pub fn yaml_depth(bytes: &[u8]) -> Result<(), Bad> {
    yaml_depth_at_most(bytes, MAX_DEPTH)
}

/// [`yaml_depth`] with another limit (`TooDeep` says where the first collection deeper than
/// `limit` starts).
pub fn yaml_depth_at_most(bytes: &[u8], limit: usize) -> Result<(), Bad> {
    use libyaml_rs as sys;
    use std::mem::MaybeUninit;

    let mut parser: Box<MaybeUninit<sys::yaml_parser_t>> = Box::new(MaybeUninit::uninit());
    let p = parser.as_mut_ptr();
    // SAFETY: the parser is initialised before use and deleted once, below; it stays in its
    // box (libyaml keeps a pointer to it) and reads `bytes`, which outlive it. Each event is
    // deleted once, after its type and mark are read.
    unsafe {
        if sys::yaml_parser_initialize(p).fail {
            return Ok(());
        }
        sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
        sys::yaml_parser_set_input_string(p, bytes.as_ptr(), bytes.len() as u64);
        let mut depth = 0usize;
        let result = loop {
            let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
            if sys::yaml_parser_parse(p, event.as_mut_ptr()).fail {
                break Ok(());
            }
            let event = event.assume_init_mut();
            let kind = event.type_;
            let mark = event.start_mark;
            sys::yaml_event_delete(event);
            match kind {
                sys::YAML_SEQUENCE_START_EVENT | sys::YAML_MAPPING_START_EVENT => {
                    depth += 1;
                    if depth > limit {
                        break Err(Bad::TooDeep {
                            at: Position::at(bytes, mark.index as usize),
                        });
                    }
                }
                sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => {
                    depth = depth.saturating_sub(1)
                }
                sys::YAML_STREAM_END_EVENT => break Ok(()),
                _ => {}
            }
        };
        sys::yaml_parser_delete(p);
        result
    }
}

/// `s` cut to at most `max` bytes, at a character boundary.
pub fn cut_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A file name cut to [`MAX_FILE_NAME_BYTES`]: the stem shortened at a character boundary,
/// the extension kept (up to 12 bytes), and eight hex digits of the whole name's SHA-1 before
/// it, so that two long names that share their first hundred bytes stay two names.
/// A name within the limit is returned as it is.
pub fn cut_file_name(name: &str) -> String {
    if name.len() <= MAX_FILE_NAME_BYTES {
        return name.to_string();
    }
    use sha1::Digest;
    let digest = sha1::Sha1::digest(name.as_bytes());
    let tag: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() && !e.is_empty() && e.len() <= MAX_EXTENSION_BYTES => {
            (s, format!(".{e}"))
        }
        _ => (name, String::new()),
    };
    let room = MAX_FILE_NAME_BYTES - ext.len() - tag.len() - 1;
    format!("{}-{tag}{ext}", cut_at_char(stem, room))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let t = b"ab\nc\xc3\xa9\xffx";
        assert_eq!(
            Position::at(t, 6),
            Position {
                offset: 6,
                line: 2,
                column: 3
            }
        );
    }

    #[test]
    fn text_names_the_bad_byte_and_where() {
        let e = text(b"ok\nbad \xe9 here").unwrap_err();
        assert_eq!(
            e.to_string(),
            "not UTF-8 text: byte 0xe9 at line 2, column 5 (byte offset 7)"
        );
        assert_eq!(
            text(b"a\0b").unwrap_err().to_string(),
            "a NUL byte at line 1, column 2 (byte offset 1)"
        );
        assert_eq!(text(b"tab\tand\r\nlines").unwrap(), "tab\tand\r\nlines");
        assert!(matches!(
            text(b"bell\x07"),
            Err(Bad::Control { code: 7, .. })
        ));
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_the_first_level_too_deep() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = yaml(&deep, 1 << 20).unwrap_err();
        assert_eq!(
            e,
            Bad::TooDeep {
                at: Position {
                    offset: 64,
                    line: 1,
                    column: 65
                }
            }
        );
        let fine = "[".repeat(64) + &"]".repeat(64);
        assert_eq!(yaml(&fine, 1 << 20), Ok(()));
    }

    #[test]
    fn deep_block_nesting_is_refused_too() {
        let deep: String = (0..70).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(matches!(yaml(&deep, 1 << 20), Err(Bad::TooDeep { .. })));
        let compact = "- ".repeat(70) + "x\n";
        assert!(matches!(yaml(&compact, 1 << 20), Err(Bad::TooDeep { .. })));
    }

    #[test]
    fn brackets_in_strings_are_not_nesting() {
        // The cheap bound counts them; the parser's events do not.
        let note = format!("notes:\n  - text: \"{}\"\n", "[".repeat(500));
        assert!(depth_bound(note.as_bytes()) > MAX_DEPTH);
        assert_eq!(yaml(&note, 1 << 20), Ok(()));
    }

    #[test]
    fn size_is_refused_before_anything_else() {
        assert_eq!(
            yaml("a: b\n", 4).unwrap_err().to_string(),
            "5 bytes is too large: the most this tool reads here is 4 bytes"
        );
        assert_eq!(size_words(3 << 20), "3 MiB");
        assert_eq!(size_words(1536), "1.5 KiB");
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension_and_apart() {
        let a = format!("{}1.jpg", "x".repeat(300));
        let b = format!("{}2.jpg", "x".repeat(300));
        let (ca, cb) = (cut_file_name(&a), cut_file_name(&b));
        assert!(ca.len() <= MAX_FILE_NAME_BYTES && cb.len() <= MAX_FILE_NAME_BYTES);
        assert!(ca.ends_with(".jpg") && cb.ends_with(".jpg"));
        assert_ne!(ca, cb);
        assert_eq!(cut_file_name("photo.jpg"), "photo.jpg");
        // Never inside a character.
        let wide = "é".repeat(200) + ".pdf";
        let cut = cut_file_name(&wide);
        assert!(cut.len() <= MAX_FILE_NAME_BYTES && cut.ends_with(".pdf"));
        assert!(cut.starts_with("éé"));
        // An extension too long to be one is part of the stem.
        let odd = format!("a.{}", "b".repeat(200));
        assert!(cut_file_name(&odd).len() <= MAX_FILE_NAME_BYTES);
    }
}
