//! Files a user names (a payload, a batch, a message or a folder of them, an attachment, a
//! proposal, a key) and the office's own files: what kind of file it is is checked before it
//! is opened, it is opened without blocking, and it is read no further than its bound. A
//! FIFO, a device, a socket or a folder where a file is wanted, a missing file, one too large
//! or one that is not text are bad input (exit 1); only a failure of the machine itself (a
//! read error, no permission) is an environment failure (exit 3).

use std::io::Read;
use std::path::Path;

use crate::bounds::{self, Bad};
use crate::error::{Error, Result};

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// There is no such file.
    Missing,
    /// A folder, a FIFO, a socket or a device.
    NotAFile(&'static str),
    /// Too large, or not text.
    Bounds(Bad),
    /// The machine failed to read it.
    Io(std::io::Error),
}

impl ReadError {
    /// The error for a file named `name`: bad input is refused, the machine's failure is an
    /// environment failure.
    pub fn into_error(self, name: impl std::fmt::Display) -> Error {
        match self {
            ReadError::Io(e) => Error::io(name, e),
            bad => Error::refused(format!("{name}: {bad}")),
        }
    }

    /// The finding code `claims check` reports it under.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Bounds(b) => b.code(),
            _ => "Y001",
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing => f.write_str("no such file"),
            ReadError::NotAFile(kind) => write!(f, "is {kind}, not a regular file"),
            ReadError::Bounds(b) => write!(f, "{b}"),
            ReadError::Io(e) => write!(f, "cannot read the file: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<Bad> for ReadError {
    fn from(b: Bad) -> ReadError {
        ReadError::Bounds(b)
    }
}

/// What a file system entry is, in words, when it is not a regular file.
fn not_a_file(t: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a folder")
    } else if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_char_device() || t.is_block_device() {
        Some("a device")
    } else {
        Some("not a regular file")
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read_bytes(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let meta = std::fs::metadata(path).map_err(missing_or_io)?;
    if let Some(kind) = not_a_file(meta.file_type()) {
        return Err(ReadError::NotAFile(kind));
    }
    bounds::check_size(meta.len(), limit)?;
    // Opened without blocking: a FIFO put in its place since would otherwise wait for a
    // writer. Checked again on the open file.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(missing_or_io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = not_a_file(meta.file_type()) {
        return Err(ReadError::NotAFile(kind));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    bounds::check_size(bytes.len() as u64, limit)?;
    Ok(bytes)
}

/// The text of the regular file at `path`: at most `limit` bytes of UTF-8 without NUL or
/// other control characters (a bad byte is named with its line, column and offset).
pub fn read_text(path: &Path, limit: u64) -> std::result::Result<String, ReadError> {
    let bytes = read_bytes(path, limit)?;
    bounds::text(&bytes)?;
    Ok(String::from_utf8(bytes).expect("checked as text"))
}

fn missing_or_io(e: std::io::Error) -> ReadError {
    match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => ReadError::Missing,
        _ => ReadError::Io(e),
    }
}

/// A file the user named, as bytes; refused (exit 1) unless it is a regular file within
/// `limit`.
pub fn user_file(path: &Path, limit: u64) -> Result<Vec<u8>> {
    read_bytes(path, limit).map_err(|e| e.into_error(path.display()))
}

/// A file the user named, as text; refused (exit 1) unless it is a regular file of UTF-8
/// text within `limit`.
pub fn user_text(path: &Path, limit: u64) -> Result<String> {
    read_text(path, limit).map_err(|e| e.into_error(path.display()))
}

/// Standard input as text, at most `limit` bytes; `what` names it in errors.
pub fn stdin_text(what: &str, limit: u64) -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(what, e))?;
    bounds::check_size(bytes.len() as u64, limit)
        .and_then(|()| bounds::text(&bytes).map(|_| ()))
        .map_err(|b| Error::refused(format!("{what}: {b}")))?;
    Ok(String::from_utf8(bytes).expect("checked as text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.jpg");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = user_file(&fifo, 100).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(e
            .message
            .ends_with("is a FIFO (named pipe), not a regular file"));
        let e = user_file(dir.path(), 100).unwrap_err();
        assert!(e.message.ends_with("is a folder, not a regular file"));
        let e = user_file(&dir.path().join("nope"), 100).unwrap_err();
        assert_eq!(
            (e.exit_code(), e.message.ends_with("no such file")),
            (1, true)
        );
    }

    #[test]
    fn a_file_past_its_bound_is_refused_and_text_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x.csv");
        std::fs::write(&f, b"abcdef").unwrap();
        assert_eq!(user_file(&f, 6).unwrap(), b"abcdef");
        let e = user_file(&f, 5).unwrap_err();
        assert!(e.message.contains("6 bytes is too large"), "{}", e.message);
        std::fs::write(&f, b"ok\n\xff").unwrap();
        let e = user_text(&f, 100).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(e
            .message
            .contains("byte 0xff at line 2, column 1 (byte offset 3)"));
    }
}
