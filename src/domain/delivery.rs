//! Delivery records: how and when each letter the office writes went out — certified mail
//! with its tracking number, email with its Message-ID, or first-class mail, hand delivery,
//! fax or the portal. One record ([`Delivery`]) serves every letter; the denial letter's
//! deliveries are the denial's own (`denial.delivery`), because they decide the denial, and
//! recording one goes through [`super::denial::record_delivery`] whichever command asks.
//!
//! Pure: the caller reads the claim and writes the result.

use chrono::NaiveDate;

use super::claim::{Claim, Letter, Timestamp};
pub use super::claim::{Delivery, DeliveryMethod};
use super::office::DenialSettings;

impl DeliveryMethod {
    pub const ALL: [DeliveryMethod; 6] = [
        DeliveryMethod::CertifiedMail,
        DeliveryMethod::Electronic,
        DeliveryMethod::FirstClassMail,
        DeliveryMethod::HandDelivery,
        DeliveryMethod::Fax,
        DeliveryMethod::Portal,
    ];

    /// The name in the claim file (`certified_mail`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMethod::CertifiedMail => "certified_mail",
            DeliveryMethod::Electronic => "electronic",
            DeliveryMethod::FirstClassMail => "first_class_mail",
            DeliveryMethod::HandDelivery => "hand_delivery",
            DeliveryMethod::Fax => "fax",
            DeliveryMethod::Portal => "portal",
        }
    }

    /// A method as typed: `first-class-mail` or `first_class_mail`; `email` for electronic.
    pub fn parse(s: &str) -> Option<DeliveryMethod> {
        let s = s.trim().replace('-', "_").to_ascii_lowercase();
        if s == "email" {
            return Some(DeliveryMethod::Electronic);
        }
        DeliveryMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn names() -> String {
        DeliveryMethod::ALL
            .map(|m| m.as_str().replace('_', "-"))
            .join(", ")
    }
}

/// What shows a letter went out: the way, and what proves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    CertifiedMail {
        tracking_number: String,
    },
    Electronic {
        message_id: String,
    },
    /// First-class mail, hand delivery, fax or the portal, with a reference where there is one.
    Other {
        method: DeliveryMethod,
        reference: Option<String>,
    },
}

impl Sent {
    pub fn method(&self) -> DeliveryMethod {
        match self {
            Sent::CertifiedMail { .. } => DeliveryMethod::CertifiedMail,
            Sent::Electronic { .. } => DeliveryMethod::Electronic,
            Sent::Other { method, .. } => *method,
        }
    }

    /// The tracking number, Message-ID or other reference.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Sent::CertifiedMail { tracking_number } => Some(tracking_number),
            Sent::Electronic { message_id } => Some(message_id),
            Sent::Other { reference, .. } => reference.as_deref(),
        }
    }

    /// The record of this delivery to `to` on `on`; refused when the proof is blank.
    pub fn record(self, to: &str, on: NaiveDate) -> Result<Delivery, String> {
        let trimmed = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut d = Delivery {
            to: to.to_string(),
            method: self.method(),
            tracking_number: None,
            message_id: None,
            reference: None,
            on,
        };
        match self {
            Sent::CertifiedMail { tracking_number } => {
                d.tracking_number = Some(
                    trimmed(tracking_number)
                        .ok_or("a tracking number or message id must not be empty")?,
                );
            }
            Sent::Electronic { message_id } => {
                d.message_id = Some(
                    trimmed(message_id)
                        .ok_or("a tracking number or message id must not be empty")?,
                );
            }
            Sent::Other { method, reference } => {
                if matches!(
                    method,
                    DeliveryMethod::CertifiedMail | DeliveryMethod::Electronic
                ) {
                    return Err(format!(
                        "{} is recorded with its tracking number or message id",
                        method.as_str()
                    ));
                }
                d.reference = reference.and_then(trimmed);
            }
        }
        Ok(d)
    }
}

/// The letter of `claim` filed as `file` (`letters/acknowledgment.txt`; the `letters/` and
/// `.txt` may be left off).
pub fn find_letter<'c>(claim: &'c Claim, file: &str) -> Result<&'c Letter, String> {
    let file = file.trim();
    let wanted = [
        file.to_string(),
        format!("letters/{file}"),
        format!("letters/{file}.txt"),
    ];
    claim
        .letters
        .iter()
        .find(|l| wanted.contains(&l.file))
        .ok_or_else(|| {
            let files: Vec<&str> = claim.letters.iter().map(|l| l.file.as_str()).collect();
            format!(
                "{} has no letter {file} (its letters: {})",
                claim.id,
                if files.is_empty() {
                    "none".to_string()
                } else {
                    files.join(", ")
                }
            )
        })
}

/// Whether `letter` is the claim's denial letter, whose deliveries the denial records.
fn is_denial_letter(claim: &Claim, letter: &Letter) -> bool {
    claim
        .denial
        .as_ref()
        .and_then(|d| d.letter.as_deref())
        .is_some_and(|f| f == letter.file)
}

/// The deliveries recorded for `letter`: its own, or the denial's for the denial letter.
pub fn deliveries<'c>(claim: &'c Claim, letter: &'c Letter) -> &'c [Delivery] {
    match &claim.denial {
        Some(d) if is_denial_letter(claim, letter) => &d.delivery,
        _ => &letter.delivery,
    }
}

/// Whether the letter reached its addressee (a copy to someone else does not count).
pub fn is_delivered(claim: &Claim, letter: &Letter) -> bool {
    deliveries(claim, letter).iter().any(|d| d.to == letter.to)
}

/// The claim's letters with no delivery to their addressee recorded, oldest first.
pub fn undelivered(claim: &Claim) -> Vec<&Letter> {
    let mut out: Vec<&Letter> = claim
        .letters
        .iter()
        .filter(|l| !is_delivered(claim, l))
        .collect();
    out.sort_by_key(|l| l.at);
    out
}

/// The letter (by file) whose delivery by email carried `message_id`, if it is recorded.
pub fn recorded_message<'c>(
    claim: &'c Claim,
    file: &str,
    message_id: &str,
) -> Option<&'c Delivery> {
    let letter = find_letter(claim, file).ok()?;
    deliveries(claim, letter)
        .iter()
        .find(|d| d.message_id.as_deref() == Some(message_id))
}

/// Records that the letter `file` went to `to` (default: its addressee) on `on`. The denial
/// letter's delivery is the denial's (and may deny the claim); any other letter keeps its own.
/// Returns who it went to. Refused, in words a clerk can act on, for an unknown letter, a date
/// before the letter was written, or a tracking number or Message-ID already recorded.
#[allow(clippy::too_many_arguments)]
pub fn record(
    claim: &mut Claim,
    settings: Option<&DenialSettings>,
    file: &str,
    to: Option<&str>,
    sent: Sent,
    on: NaiveDate,
    by: &str,
    at: Timestamp,
) -> Result<String, String> {
    let letter = find_letter(claim, file)?;
    let to = to
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| letter.to.clone());
    if is_denial_letter(claim, letter) {
        if matches!(sent, Sent::Other { .. }) {
            return Err(
                "a denial letter goes by certified mail (--tracking) or electronically (--message-id)"
                    .into(),
            );
        }
        super::denial::record_delivery(claim, settings, &to, sent, on, by, at)?;
        return Ok(to);
    }
    let written = letter.at.date_naive();
    if on < written {
        return Err(format!(
            "{} was written on {written}: it cannot have gone out on {on}",
            letter.file
        ));
    }
    let method = sent.method();
    let reference = sent.reference().map(|r| r.trim().to_string());
    if let Some(r) = reference.as_deref().filter(|_| {
        matches!(
            method,
            DeliveryMethod::CertifiedMail | DeliveryMethod::Electronic
        )
    }) {
        let same = letter
            .delivery
            .iter()
            .any(|d| d.tracking_number.as_deref() == Some(r) || d.message_id.as_deref() == Some(r));
        if same {
            return Err(format!("{} already records delivery {r}", letter.file));
        }
    }
    let record = sent.record(&to, on)?;
    let file = letter.file.clone();
    let letter = claim
        .letters
        .iter_mut()
        .find(|l| l.file == file)
        .expect("found above");
    letter.delivery.push(record);
    claim.record_event(at, by, "deliver_letter", claim.status);
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::Status;

    fn claim() -> Claim {
        serde_yaml::from_str(include_str!("../../claims/2026/08/CLM-2608-JN8S-QVEH.yaml")).unwrap()
    }

    fn at() -> Timestamp {
        "2026-11-20T10:00:00-06:00".parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn methods_read_as_typed_and_as_filed() {
        for m in DeliveryMethod::ALL {
            assert_eq!(DeliveryMethod::parse(m.as_str()), Some(m));
            assert_eq!(
                DeliveryMethod::parse(&m.as_str().replace('_', "-")),
                Some(m)
            );
            assert_eq!(crate::workflow::plain(&m), m.as_str());
        }
        assert_eq!(
            DeliveryMethod::parse("Email"),
            Some(DeliveryMethod::Electronic)
        );
        assert_eq!(DeliveryMethod::parse("pigeon"), None);
    }

    #[test]
    fn a_letter_records_its_delivery_once_and_leaves_the_undelivered_list() {
        let mut c = claim();
        let first = undelivered(&c).first().map(|l| l.file.clone()).unwrap();
        assert_eq!(first, "letters/acknowledgment.txt");
        let before = undelivered(&c).len();
        let sent = Sent::Electronic {
            message_id: "<a@x>".into(),
        };
        let to = record(
            &mut c,
            None,
            "acknowledgment",
            None,
            sent.clone(),
            day("2026-08-25"),
            "jw@x",
            at(),
        )
        .unwrap();
        assert_eq!(to, "insured");
        let l = find_letter(&c, "letters/acknowledgment.txt").unwrap();
        assert_eq!(l.delivery[0].message_id.as_deref(), Some("<a@x>"));
        assert_eq!(l.delivery[0].method, DeliveryMethod::Electronic);
        assert_eq!(undelivered(&c).len(), before - 1);
        assert!(recorded_message(&c, "letters/acknowledgment.txt", "<a@x>").is_some());
        assert_eq!(c.history.last().unwrap().event, "deliver_letter");

        let e = record(
            &mut c,
            None,
            "acknowledgment",
            None,
            sent,
            day("2026-08-25"),
            "jw@x",
            at(),
        )
        .unwrap_err();
        assert!(e.contains("already records delivery <a@x>"), "{e}");
        let e = record(
            &mut c,
            None,
            "letters/nope.txt",
            None,
            Sent::Other {
                method: DeliveryMethod::Fax,
                reference: None,
            },
            day("2026-08-25"),
            "jw@x",
            at(),
        )
        .unwrap_err();
        assert!(
            e.contains("no letter letters/nope.txt") && e.contains("acknowledgment"),
            "{e}"
        );
    }

    #[test]
    fn a_copy_to_someone_else_does_not_deliver_the_letter_and_dates_must_follow_it() {
        let mut c = claim();
        let e = record(
            &mut c,
            None,
            "acknowledgment",
            None,
            Sent::Other {
                method: DeliveryMethod::FirstClassMail,
                reference: None,
            },
            day("2026-01-01"),
            "jw@x",
            at(),
        )
        .unwrap_err();
        assert!(e.contains("cannot have gone out on 2026-01-01"), "{e}");
        record(
            &mut c,
            None,
            "acknowledgment",
            Some("Agent"),
            Sent::Other {
                method: DeliveryMethod::Fax,
                reference: Some(" 555-0100 ok ".into()),
            },
            day("2026-08-25"),
            "jw@x",
            at(),
        )
        .unwrap();
        let l = find_letter(&c, "acknowledgment").unwrap();
        assert_eq!(l.delivery[0].to, "agent");
        assert_eq!(l.delivery[0].reference.as_deref(), Some("555-0100 ok"));
        assert!(!is_delivered(&c, l));
    }

    #[test]
    fn the_denial_letter_is_delivered_through_the_denial() {
        let mut c = claim();
        assert_eq!(c.status, Status::Denied);
        let denial = c.denial.as_ref().unwrap();
        let file = denial.letter.clone().unwrap();
        let letter = find_letter(&c, &file).unwrap();
        assert_eq!(deliveries(&c, letter).len(), denial.delivery.len());
        assert!(is_delivered(&c, letter));
        assert!(!undelivered(&c).iter().any(|l| l.file == file));
        // Already denied: the denial refuses another delivery, and other ways are not for it.
        let e = record(
            &mut c,
            None,
            &file,
            None,
            Sent::CertifiedMail {
                tracking_number: "1".into(),
            },
            day("2026-08-28"),
            "jw@x",
            at(),
        )
        .unwrap_err();
        assert!(e.contains("is denied"), "{e}");
        let e = record(
            &mut c,
            None,
            &file,
            None,
            Sent::Other {
                method: DeliveryMethod::HandDelivery,
                reference: None,
            },
            day("2026-08-28"),
            "jw@x",
            at(),
        )
        .unwrap_err();
        assert!(e.contains("certified mail"), "{e}");
    }

    #[test]
    fn blank_proof_is_refused() {
        let e = Sent::CertifiedMail {
            tracking_number: " ".into(),
        }
        .record("insured", day("2026-08-25"))
        .unwrap_err();
        assert!(e.contains("must not be empty"), "{e}");
        assert!(Sent::Other {
            method: DeliveryMethod::Electronic,
            reference: None
        }
        .record("insured", day("2026-08-25"))
        .is_err());
    }
}
