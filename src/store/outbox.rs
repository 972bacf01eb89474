//! The outbox: notices as RFC 5322 `.eml` files in a folder any mail transport can pick up
//! (`outbox/` at the office root unless told otherwise; git ignores it). A message is written
//! under a temporary name and renamed, so a transport never sees half a file.

use std::path::{Path, PathBuf};

use crate::domain::office::OfficeInfo;
use crate::error::{Error, Result};
pub use crate::letters::Email;

/// Writes the messages into `dir` (created if needed). Returns the paths written.
pub fn deliver(dir: &Path, office: &OfficeInfo, emails: &[Email]) -> Result<Vec<PathBuf>> {
    if emails.is_empty() {
        return Ok(vec![]);
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    let mut written = Vec::with_capacity(emails.len());
    for e in emails {
        let bytes = e.to_bytes(office)?;
        let path = dir.join(&e.file_name);
        let tmp = dir.join(format!(".{}.tmp", e.file_name));
        std::fs::write(&tmp, &bytes).map_err(|err| Error::io(tmp.display(), err))?;
        std::fs::rename(&tmp, &path).map_err(|err| Error::io(path.display(), err))?;
        written.push(path);
    }
    Ok(written)
}

/// The messages waiting in `dir`, by name: its `*.eml` files (not the tool's temporary
/// `.NAME.eml.tmp` ones, nor those moved into `sent/`). None when there is no outbox yet.
pub fn queued(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(Error::io(dir.display(), e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir.display(), e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        if is_file && name.ends_with(".eml") && !name.starts_with('.') {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// The note beside a queued message: `NAME.eml.sending` while it is being handed to the
/// server, `NAME.eml.failed` with the reason the last try failed.
pub fn note_path(message: &Path, kind: &str) -> PathBuf {
    let mut name = message.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{kind}"));
    message.with_file_name(name)
}

/// Writes the note `kind` beside `message` (by rename, so it is whole or absent).
pub fn write_note(message: &Path, kind: &str, text: &str) -> Result<()> {
    let path = note_path(message, kind);
    let tmp = message.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    std::fs::write(&tmp, text).map_err(|e| Error::io(tmp.display(), e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display(), e))
}

/// The note `kind` beside `message`, if there is one.
pub fn read_note(message: &Path, kind: &str) -> Option<String> {
    std::fs::read_to_string(note_path(message, kind)).ok()
}

/// Removes the note `kind` beside `message`, if there is one.
pub fn remove_note(message: &Path, kind: &str) -> Result<()> {
    let path = note_path(message, kind);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path.display(), e)),
        _ => Ok(()),
    }
}

/// Moves a message that went out into `sent/` beside it (created if needed) and removes its
/// notes. Returns where it is now.
pub fn move_to_sent(message: &Path) -> Result<PathBuf> {
    let dir = message
        .parent()
        .expect("a queued message has a folder")
        .join("sent");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    let to = dir.join(message.file_name().expect("a queued message has a name"));
    std::fs::rename(message, &to).map_err(|e| Error::io(to.display(), e))?;
    remove_note(message, "failed")?;
    remove_note(message, "sending")?;
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_parses_back_with_its_headers_and_body() {
        let office = OfficeInfo {
            name: "Harbor Point Claims Services".into(),
            timezone: "America/Chicago".into(),
            claim_id_prefix: "CLM".into(),
            address: None,
            phone: None,
            email: Some("claims@harborpoint.example".into()),
            currency: "USD".into(),
            claim_folders: Default::default(),
        };
        let e = Email {
            file_name: Email::file_name_for("CLM-2611-7K3F-QM2X", "letters/acknowledgment-2.txt"),
            claim_id: "CLM-2611-7K3F-QM2X".into(),
            to_name: "Dana Núñez".into(),
            to_email: "dana@example.com".into(),
            reply_to: Some(("James Whitfield".into(), "jw@harborpoint.example".into())),
            subject: "Your claim CLM-2611-7K3F-QM2X".into(),
            body: "Dear Dana Núñez:\n\nWe received your claim.\n".into(),
            at: "2026-11-20T10:00:00-06:00".parse().unwrap(),
        };
        assert_eq!(e.file_name, "CLM-2611-7K3F-QM2X-acknowledgment-2.eml");
        let bytes = e.to_bytes(&office).unwrap();
        let msg = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(msg.subject(), Some("Your claim CLM-2611-7K3F-QM2X"));
        let to = msg.to().unwrap().first().unwrap();
        assert_eq!(to.address(), Some("dana@example.com"));
        assert_eq!(to.name(), Some("Dana Núñez"));
        assert_eq!(
            msg.from().unwrap().first().unwrap().address(),
            Some("claims@harborpoint.example")
        );
        assert_eq!(
            msg.reply_to().unwrap().first().unwrap().address(),
            Some("jw@harborpoint.example")
        );
        assert_eq!(
            msg.header("X-Claim-Id").and_then(|h| h.as_text()),
            Some("CLM-2611-7K3F-QM2X")
        );
        assert!(msg
            .body_text(0)
            .unwrap()
            .contains("We received your claim."));
        assert_eq!(msg.date().unwrap().to_timestamp(), e.at.timestamp());
    }
}
