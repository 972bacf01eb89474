//! Each channel's item as the claim records where it came from: the input file's own name,
//! the row or Message-ID, and the fingerprint of the item's canonical bytes (see
//! [`crate::domain::intake_source`] for what those are). Pure: the callers read the files.

use super::draft::Draft;
use super::email::ORIGINAL_FILE_NAME;
use crate::domain::intake_source::{message_id, Fingerprint, IntakeSource, Via};

/// A file's name as a claim records it: its own name, without the folders of the machine
/// it was read on.
pub fn file_name(given: &str) -> String {
    std::path::Path::new(given)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| given.to_string())
}

/// Row `row` of the CSV file `file`, whose cells fingerprint as `fingerprint`.
pub fn csv_row(file: &str, row: usize, fingerprint: Fingerprint) -> IntakeSource {
    IntakeSource {
        via: Via::Csv,
        file: Some(file_name(file)),
        row: Some(row),
        message_id: None,
        fingerprint,
    }
}

/// The email message `file` became `draft`: identified by its Message-ID, fingerprinted by
/// its raw bytes (the original kept with the claim).
pub fn email(file: &str, draft: &Draft) -> IntakeSource {
    let raw = draft
        .attachments
        .iter()
        .find(|a| a.file_name == ORIGINAL_FILE_NAME)
        .map_or(&[][..], |a| a.bytes.as_slice());
    IntakeSource {
        via: Via::Email,
        file: Some(file_name(file)),
        row: None,
        message_id: draft.message_id.as_deref().and_then(message_id),
        fingerprint: Fingerprint::of(raw),
    }
}

/// The web or mobile payload `file` with text `text`: fingerprinted as canonical JSON of the
/// document (JSON for `.json`, YAML otherwise), or of its text when it is no such document.
pub fn payload(file: &str, text: &str) -> IntakeSource {
    let document: Option<serde_json::Value> = if file.to_ascii_lowercase().ends_with(".json") {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    };
    IntakeSource {
        via: Via::File,
        file: Some(file_name(file)),
        row: None,
        message_id: None,
        fingerprint: document.map_or_else(
            || Fingerprint::of(text.as_bytes()),
            |d| Fingerprint::of_json(&d),
        ),
    }
}

/// The phone script, answered `answers` (question, answer), in the order asked.
pub fn phone(answers: &[(String, String)]) -> IntakeSource {
    let pairs = answers
        .iter()
        .map(|(q, a)| serde_json::json!([q, a.trim()]))
        .collect();
    IntakeSource {
        via: Via::Phone,
        file: None,
        row: None,
        message_id: None,
        fingerprint: Fingerprint::of_json(&serde_json::Value::Array(pairs)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::draft::DraftAttachment;

    #[test]
    fn files_are_named_without_their_folders() {
        assert_eq!(file_name("/home/ann/Downloads/batch.csv"), "batch.csv");
        assert_eq!(file_name("../fnol/inbox/a.eml"), "a.eml");
        assert_eq!(file_name("batch.csv"), "batch.csv");
    }

    #[test]
    fn a_payload_in_json_or_yaml_pretty_or_not_is_one_fingerprint() {
        let compact = payload(
            "/tmp/a.json",
            r#"{"lob":"property","loss":{"date":"2026-11-18","description":"Pipe burst"}}"#,
        );
        let pretty = payload(
            "b.json",
            "{\r\n  \"loss\": { \"description\": \"Pipe burst\", \"date\": \"2026-11-18\" },\r\n  \"lob\": \"property\"\r\n}\r\n",
        );
        let yaml = payload(
            "c.yaml",
            "lob: property\nloss:\n  date: 2026-11-18\n  description: Pipe burst\n",
        );
        assert_eq!(compact.fingerprint, pretty.fingerprint);
        assert_eq!(compact.fingerprint, yaml.fingerprint);
        assert_eq!(compact.file.as_deref(), Some("a.json"));
        assert_ne!(
            compact.fingerprint,
            payload("a.json", r#"{"lob":"property"}"#).fingerprint
        );
    }

    #[test]
    fn an_email_is_its_message_id_and_the_hash_of_the_original() {
        let raw = b"Message-ID: <abc@mail.example>\r\nSubject: Crash\r\n\r\nHello\r\n".to_vec();
        let draft = Draft {
            message_id: Some("abc@mail.example".into()),
            attachments: vec![DraftAttachment {
                file_name: ORIGINAL_FILE_NAME.into(),
                kind: Some("email".into()),
                bytes: raw.clone(),
            }],
            ..Draft::default()
        };
        let s = email("inbox/a.eml", &draft);
        assert_eq!(s.message_id.as_deref(), Some("abc@mail.example"));
        assert_eq!(s.fingerprint, Fingerprint::of(&raw));
        assert_eq!(s.file.as_deref(), Some("a.eml"));
    }

    #[test]
    fn the_same_answers_are_the_same_call() {
        let a = vec![("Your name?".to_string(), "Ann ".to_string())];
        let b = vec![("Your name?".to_string(), "Ann".to_string())];
        assert_eq!(phone(&a), phone(&b));
        assert_ne!(
            phone(&a).fingerprint,
            phone(&[("Your name?".to_string(), "Bob".to_string())]).fingerprint
        );
    }
}
