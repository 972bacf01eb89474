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
