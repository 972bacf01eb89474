//! The outbox: notices as RFC 5322 `.eml` files in a folder any mail transport can pick up
//! (`outbox/` at the office root unless told otherwise; git ignores it). A message is written
//! under a temporary name and renamed, so a transport never sees half a file.

use std::path::{Path, PathBuf};

use mail_builder::MessageBuilder;

use crate::domain::claim::Timestamp;
use crate::domain::office::OfficeInfo;
use crate::error::{Error, Result};

/// One notice to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Email {
    /// `CLAIM-ID-LETTER.eml`, unique because letter files are unique per claim.
    pub file_name: String,
    pub claim_id: String,
    pub to_name: String,
    pub to_email: String,
    /// Where replies should go (the adjuster), if not the office.
    pub reply_to: Option<(String, String)>,
    pub subject: String,
    pub body: String,
    pub at: Timestamp,
}

impl Email {
    /// The outbox file name for the letter `letters/NAME.txt` of a claim.
    pub fn file_name_for(claim_id: &str, letter_file: &str) -> String {
        let stem = Path::new(letter_file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("notice");
        format!("{claim_id}-{stem}.eml")
    }

    /// The message, from the office's address.
    pub fn to_bytes(&self, office: &OfficeInfo) -> Result<Vec<u8>> {
        let from_addr = office
            .email
            .clone()
            .unwrap_or_else(|| "claims@localhost".into());
        let domain = from_addr
            .rsplit_once('@')
            .map(|(_, d)| d.to_string())
            .unwrap_or_else(|| "localhost".into());
        let stem = self.file_name.trim_end_matches(".eml");
        let mut m = MessageBuilder::new()
            .from((office.name.clone(), from_addr))
            .to((self.to_name.clone(), self.to_email.clone()))
            .subject(self.subject.clone())
            .date(self.at.timestamp())
            .message_id(format!("{stem}.{}@{domain}", self.at.timestamp()))
            .header(
                "X-Claim-Id",
                mail_builder::headers::raw::Raw::new(self.claim_id.clone()),
            )
            .text_body(self.body.clone());
        if let Some((name, addr)) = &self.reply_to {
            m = m.reply_to((name.clone(), addr.clone()));
        }
        m.write_to_vec()
            .map_err(|e| Error::environment(format!("cannot compose {}: {e}", self.file_name)))
    }
}

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
