//! The email channel of FNOL intake: an RFC 5322 message (a `.eml` file) becomes a [`Draft`].
//!
//! MIME is parsed by `mail-parser` (RFC 2047 encoded headers, multipart/alternative and
//! multipart/mixed, quoted-printable and base64 bodies, HTML-only mail converted to text,
//! attachments). What the message says is then read with simple keyword and pattern rules over
//! the subject and the text body; every rule is documented where it is written. The rules
//! only suggest: an email draft is always held for a person (`hold_for_review`), who completes
//! what is missing and corrects what was misread.
//!
//! Everything here is a pure function of its input except [`drafts_from_path`], which reads
//! the `.eml` files it is given.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Weekday};
use mail_parser::{MessageParser, MimeHeaders};

use crate::domain::claim::{Channel, LineOfBusiness, Party};
use crate::domain::fnol::{
    AutoFacts, InjuredPerson, LiabilityFacts, LossFacts, PropertyFacts, PropertyLossType, Vehicle,
    WorkersCompFacts,
};
use crate::domain::vin::{Vin, VIN_LENGTH};

use super::draft::{Draft, DraftAttachment};
use crate::bounds::{Position, MAX_EMAIL_BYTES};
use crate::store::input::{read_bytes, ReadError};

mod forward;
mod negation;
mod parties;

/// The most body text kept in the claim's note, in characters.
pub const NOTE_BODY_LIMIT: usize = 4000;
/// The file name under which the original message is kept with the claim.
pub const ORIGINAL_FILE_NAME: &str = "original.eml";

/// Why a message could not become a draft. Every message names the source (file).
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("{name}: {error}")]
    Read {
        name: String,
        #[source]
        error: ReadError,
    },
    #[error("{name}: not an email message: a NUL byte at {at}")]
    Nul { name: String, at: Position },
    #[error("{name}: the file is empty, not an email message")]
    Empty { name: String },
    #[error("{name}: not an email message (no From, Date or Subject header found)")]
    NotAnEmail { name: String },
}

/// Reads one `.eml` file, or every `.eml` entry (any case of the extension) directly inside a
/// folder, sorted by path, and makes a draft of each. An error reading the folder itself (or
/// no such path) is the outer `Err`; a file that cannot be read (a FIFO, a device, a folder,
/// one larger than [`MAX_EMAIL_BYTES`]) or is not a message is that file's own `Err`, so one
/// bad message does not stop the others. The kind of each file is checked before it is
/// opened, and it is opened without blocking.
#[allow(clippy::type_complexity)]
pub fn drafts_from_path(
    path: &Path,
) -> Result<Vec<(PathBuf, Result<Draft, EmailError>)>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    })?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).map_err(ReadError::Io)? {
            let p = entry.map_err(ReadError::Io)?.path();
            let is_eml = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("eml"));
            if is_eml {
                files.push(p);
            }
        }
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    Ok(files
        .into_iter()
        .map(|p| {
            let name = p.display().to_string();
            let draft = match read_bytes(&p, MAX_EMAIL_BYTES) {
                Ok(raw) => draft_from_raw(raw, &name),
                Err(error) => Err(EmailError::Read { name, error }),
            };
            (p, draft)
        })
        .collect())
}

/// Makes a draft from one raw message. `source_name` names it in messages and in the draft.
///
/// Fills: channel email, `received_at` from the Date header, the reporter, `hold_for_review`,
/// the attachments (the original message as `original.eml`, kind "email", then every
/// attachment of the message), one note with the sender, the subject and the body, and
/// whatever the rules below find: line of business, policy number, a state the text names,
/// date, time, place, cause and damage words of the loss, and the facts of the line of
/// business (vehicles with VIN, the other driver, witnesses, injuries, property loss type and
/// address, the claimant, the employee, ...).
///
/// A forwarded message (attached as `message/rfc822` or inline under a client's header
/// block, see [`forward`]) is the notice: its writer is the reporter and its date anchors
/// "yesterday" in it; the forwarder is named in the note. The reporter is otherwise the
/// sender (From), with the phone number the text gives as theirs.
pub fn draft_from_eml(raw: &[u8], source_name: &str) -> Result<Draft, EmailError> {
    draft_from_raw(raw.to_vec(), source_name)
}

/// [`draft_from_eml`] of a message the draft keeps (as `original.eml`) without a copy.
pub fn draft_from_raw(raw: Vec<u8>, source_name: &str) -> Result<Draft, EmailError> {
    let mut draft = draft_of(&raw, source_name)?;
    draft.attachments[0].bytes = raw;
    Ok(draft)
}

fn draft_of(raw: &[u8], source_name: &str) -> Result<Draft, EmailError> {
    let name = source_name.to_string();
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(EmailError::Empty { name });
    }
    // RFC 5322 text holds no NUL, nor does an 8bit MIME body (RFC 2045, 2.8).
    if let Some(i) = memchr::memchr(0, raw) {
        let at = Position::at(raw, i);
        return Err(EmailError::Nul { name, at });
    }
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| EmailError::NotAnEmail { name: name.clone() })?;
    let from = message.from().and_then(|a| a.first());
    let date = message.date().filter(|d| d.is_valid());
    if from.is_none() && date.is_none() && message.subject().is_none() {
        return Err(EmailError::NotAnEmail { name });
    }

    // A header line is at most 998 characters (RFC 5322, 2.1.1): no longer one is kept.
    let subject = header_text(message.subject().unwrap_or(""));
    let received_at = date.and_then(|d| {
        let secs = (d.tz_hour as i32 * 3600 + d.tz_minute as i32 * 60)
            * if d.tz_before_gmt { -1 } else { 1 };
        let tz = FixedOffset::east_opt(secs)?;
        tz.with_ymd_and_hms(
            d.year as i32,
            d.month as u32,
            d.day as u32,
            d.hour as u32,
            d.minute as u32,
            d.second as u32,
        )
        .single()
    });

    let body = text_of(&message);
    // The notice may be a message forwarded inline, or attached.
    let (own, mut forwarded) = forward::split_inline(&body, &subject);
    for part in message.attachments() {
        if let Some(inner) = part.message() {
            forwarded.extend(forward::attached(inner, &text_of(inner)));
        }
    }

    // Attachments: the original first, then the message's own (names sanitised, unique).
    let mut attachments = vec![DraftAttachment {
        file_name: ORIGINAL_FILE_NAME.to_string(),
        kind: Some("email".to_string()),
        bytes: Vec::new(), // the raw message, put in by `draft_from_raw`
    }];
    for (i, part) in message.attachments().enumerate() {
        let (ctype, subtype) = part
            .content_type()
            .map(|ct| {
                (
                    ct.c_type.to_ascii_lowercase(),
                    ct.c_subtype.as_deref().unwrap_or("").to_ascii_lowercase(),
                )
            })
            .unwrap_or_default();
        let mut file_name = sanitise_file_name(part.attachment_name(), i + 1, &ctype, &subtype);
        let taken = |n: &str| attachments.iter().any(|a| a.file_name == n);
        if taken(&file_name) {
            let (stem, ext) = match file_name.rsplit_once('.') {
                Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
                _ => (file_name.clone(), String::new()),
            };
            let mut n = 2;
            while taken(&format!("{stem}-{n}{ext}")) {
                n += 1;
            }
            file_name = format!("{stem}-{n}{ext}");
        }
        attachments.push(DraftAttachment {
            file_name,
            kind: Some(attachment_kind(&ctype, &subtype).to_string()),
            bytes: Vec::new(), // taken out of the message below
        });
    }

    let from_name = from
        .and_then(|a| a.name())
        .map(header_text)
        .filter(|n| !n.is_empty());
    let from_email = from.and_then(|a| a.address()).map(header_text);

    let notice = Notice {
        subject: &subject,
        own: &own,
        received: received_at.map(|t| t.date_naive()),
        forwarded: &forwarded,
    };
    let facts = extract(&notice);

    // The writer of the notice: the forwarded message's, else the sender.
    let original = forwarded.last();
    let (writer_name, writer_email) = match original {
        Some(o) => (o.from_name.clone(), o.from_email.clone()),
        None => (from_name.clone(), from_email.clone()),
    };
    let reporter = Party {
        name: writer_name.clone().or_else(|| facts.name.clone()),
        email: writer_email.clone(),
        phone: facts.contacts.writer_phone.clone(),
        ..Party::default()
    };

    let sender = match (&from_name, &from_email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => n.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => "unknown sender".to_string(),
    };
    let mut note = format!(
        "Email from {sender}, subject {}:\n\n{}",
        if subject.is_empty() {
            "(none)".to_string()
        } else {
            format!("\"{subject}\"")
        },
        truncate_chars(body.trim(), NOTE_BODY_LIMIT)
    );
    if let Some(o) = original {
        let writer = match (&o.from_name, &o.from_email) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.clone(),
            (None, Some(e)) => e.clone(),
            (None, None) => "an unnamed writer".to_string(),
        };
        let when = o.date.map(|d| format!(" of {d}")).unwrap_or_default();
        note.push_str(&format!(
            "\n\n[intake] Forwarded by {sender}: the notice is the message{when} from {writer}."
        ));
        if !o.text.is_empty() && !body.contains(o.text.as_str()) {
            // An attached message's text is not in the body: keep it with the note.
            note.push_str(&format!(
                "\n\n{}",
                truncate_chars(o.text.trim(), NOTE_BODY_LIMIT)
            ));
        }
    }
    if let (Some(found), Some(writer)) = (&facts.name, &writer_name) {
        if !found.eq_ignore_ascii_case(writer) {
            note.push_str(&format!("\n\n[intake] Name given in the message: {found}"));
        }
    }
    for (candidate, error) in &facts.rejected_vins {
        note.push_str(&format!(
            "\n\n[intake] Possible VIN {candidate} not recorded: {error}"
        ));
    }

    let mut auto = facts.auto.clone();
    if let Some(a) = auto.as_mut() {
        // "I hurt my neck": the writer is the injured person.
        if let (Some(injured), true) = (a.injured.first_mut(), facts.writer_hurt) {
            injured.name.clone_from(&reporter.name);
            injured.contact = reporter.phone.clone().or_else(|| reporter.email.clone());
        }
    }

    // The attachments' bytes, taken out of the parsed message rather than copied (a large
    // message would otherwise be held once more).
    let mut message = message;
    let ids = std::mem::take(&mut message.attachments);
    for (a, id) in attachments[1..].iter_mut().zip(ids) {
        if let Some(part) = message.parts.get_mut(id as usize) {
            a.bytes = owned_contents(std::mem::take(&mut part.body));
        }
    }

    Ok(Draft {
        lob: facts.lob,
        channel: Some(Channel::Email),
        received_at,
        jurisdiction: None,
        jurisdiction_read: facts.jurisdiction.clone(),
        policy_number: facts.policy_number.clone(),
        insured: None,
        agent: None,
        reporter: (reporter != Party::default()).then_some(reporter),
        loss: facts.loss.clone(),
        auto,
        property: facts.property.clone(),
        liability: facts.liability.clone(),
        workers_comp: facts.workers_comp.clone(),
        attachments,
        notes: vec![note],
        vin_override: false,
        hold_for_review: true,
        source: source_name.to_string(),
        message_id: message.message_id().map(str::to_string),
    })
}

/// A part's contents as [`mail_parser::MessagePart::contents`] gives them, owned.
fn owned_contents(body: mail_parser::PartType<'_>) -> Vec<u8> {
    use mail_parser::PartType;
    match body {
        PartType::Text(t) | PartType::Html(t) => t.into_owned().into_bytes(),
        PartType::Binary(b) | PartType::InlineBinary(b) => b.into_owned(),
        PartType::Message(m) => m.raw_message.into_owned(),
        PartType::Multipart(_) => Vec::new(),
    }
}

/// The most of a message's text the rules read (and normalise): a notice says what happened
/// in its first pages; the whole message is kept as `original.eml`.
pub const TEXT_READ_LIMIT: usize = 256 << 10;

/// A message's text: every text/plain body (HTML-only bodies converted to text by
/// mail-parser), joined and normalised; at most [`TEXT_READ_LIMIT`] bytes of it.
fn text_of(message: &mail_parser::Message) -> String {
    use crate::bounds::cut_at_char;
    let mut bodies: Vec<String> = (0..message.text_body_count())
        .filter_map(|i| {
            message
                .body_text(i)
                .map(|t| cut_at_char(&t, TEXT_READ_LIMIT).to_string())
        })
        .collect();
    if bodies.is_empty() {
        bodies = (0..message.html_body_count())
            .filter_map(|i| message.body_html(i))
            .map(|h| {
                mail_parser::decoders::html::html_to_text(cut_at_char(&h, 4 * TEXT_READ_LIMIT))
            })
            .collect();
    }
    let text = bodies.join("\n\n");
    normalise_text(cut_at_char(&text, TEXT_READ_LIMIT))
}

/// A header's decoded text as kept: trimmed, control characters as spaces, at most 998
/// bytes (cut at a character).
fn header_text(s: &str) -> String {
    let s: String = s
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    crate::bounds::cut_at_char(&s, 998).trim_end().to_string()
}

/// Line endings to `\n`, non-breaking spaces to spaces, other control characters (a NUL
/// a quoted-printable `=00` makes) to spaces, trailing spaces removed, runs of blank lines
/// folded.
fn normalise_text(s: &str) -> String {
    let s = s
        .replace("\r\n", "\n")
        .replace(['\r'], "\n")
        .replace('\u{a0}', " ")
        .replace(|c: char| c.is_control() && c != '\n' && c != '\t', " ");
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string()
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A safe file name for an attachment: the last path component of the name the message
/// gives, without control characters or characters that are special on common file
/// systems, without leading dots; `attachment-N.ext` when nothing usable is left.
fn sanitise_file_name(name: Option<&str>, n: usize, ctype: &str, subtype: &str) -> String {
    let cleaned: String = name
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if !cleaned.is_empty() && cleaned != ORIGINAL_FILE_NAME {
        return crate::bounds::cut_file_name(&cleaned);
    }
    if cleaned == ORIGINAL_FILE_NAME {
        return format!("attachment-{n}-{ORIGINAL_FILE_NAME}");
    }
    let ext = match (ctype, subtype) {
        ("application", "pdf") => "pdf",
        ("image", "jpeg") | ("image", "jpg") => "jpg",
        ("image", s) if !s.is_empty() => s,
        ("message", "rfc822") => "eml",
        ("text", "html") => "html",
        ("text", _) => "txt",
        _ => "bin",
    };
    let ext: String = ext.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("attachment-{n}.{ext}")
}

/// The attachment kind recorded on the claim, from the content type: photo, video, audio,
/// email, document (PDF, office documents, text) or file.
fn attachment_kind(ctype: &str, subtype: &str) -> &'static str {
    match ctype {
        "image" => "photo",
        "video" => "video",
        "audio" => "audio",
        "message" => "email",
        "text" => "document",
        "application"
            if subtype == "pdf"
                || subtype == "msword"
                || subtype == "rtf"
                || subtype.contains("officedocument")
                || subtype.contains("opendocument")
                || subtype.contains("ms-excel") =>
        {
            "document"
        }
        _ => "file",
    }
}

// ---------------------------------------------------------------------------------------
// Extraction rules
// ---------------------------------------------------------------------------------------

/// What a message holds: its subject, the sender's own words (reply quotes left out), the
/// day it was received, and the messages it forwards (outermost first).
struct Notice<'a> {
    subject: &'a str,
    own: &'a str,
    received: Option<NaiveDate>,
    forwarded: &'a [forward::Forwarded],
}

impl Notice<'_> {
    /// The texts to read, the notice's own first: the innermost forwarded message (the
    /// writer's), the ones that forwarded it, then the sender's own words; each with the day
    /// it was written.
    fn parts(&self) -> Vec<(String, Option<NaiveDate>)> {
        let own: String = self
            .own
            .lines()
            .filter(|l| !l.trim_start().starts_with('>'))
            .collect::<Vec<_>>()
            .join("\n");
        let mut parts: Vec<(String, Option<NaiveDate>)> = self
            .forwarded
            .iter()
            .rev()
            .map(|f| (f.text.clone(), f.date.or(self.received)))
            .collect();
        parts.push((own, self.received));
        parts
    }

    fn subject(&self) -> &str {
        let inner = self.forwarded.last().and_then(|f| f.subject.as_deref());
        forward::bare_subject(inner.unwrap_or(self.subject))
    }
}

/// What the rules found in a message.
#[derive(Clone, Debug, Default)]
struct Facts {
    lob: Option<LineOfBusiness>,
    policy_number: Option<String>,
    /// A state: the policy number's, else the place of loss's, else the first the text names.
    jurisdiction: Option<String>,
    name: Option<String>,
    /// The writer's phone and the other parties' contacts.
    contacts: parties::Contacts,
    /// The writer speaks of their own injury ("I hurt my neck").
    writer_hurt: bool,
    loss: LossFacts,
    auto: Option<AutoFacts>,
    property: Option<PropertyFacts>,
    liability: Option<LiabilityFacts>,
    workers_comp: Option<WorkersCompFacts>,
    rejected_vins: Vec<(String, String)>,
}

fn extract(notice: &Notice) -> Facts {
    let parts = notice.parts();
    let subject = notice.subject();
    let writer = parts.first().map_or("", |(t, _)| t.as_str());
    let body = parts
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let text = format!("{subject}\n{body}");
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` index `text`.
    let lower = text.to_ascii_lowercase();
    // The first of the notice's texts (then the subject) that says it.
    let first = |rule: &dyn Fn(&str, Option<NaiveDate>) -> Option<String>| {
        parts
            .iter()
            .find_map(|(t, d)| rule(t, *d))
            .or_else(|| rule(subject, notice.received))
    };

    let policy_number = find_policy_number(&text);
    let (vins, rejected_vins) = find_vins(&text);
    let lob = detect_lob(&lower, policy_number.as_deref(), !vins.is_empty());
    let keywords = damage_keywords(&lower);
    let cause = detect_cause(&lower);
    let date = parts
        .iter()
        .find_map(|(t, d)| find_loss_date(t, *d))
        .or_else(|| find_loss_date(subject, notice.received));
    let description = summary(subject, writer);
    let location = first(&|t, _| find_place(t));
    let jurisdiction = policy_number
        .as_deref()
        .and_then(policy_state)
        .or_else(|| location.as_deref().and_then(parties::state_in))
        .or_else(|| parties::state_in(&body));

    // The writer's own text gives their phone; any text may name the other parties.
    let liability = lob.is_some_and(|l| l.is_liability());
    let mut contacts = parties::contacts(writer, liability);
    for (t, _) in parts.iter().skip(1) {
        let more = parties::contacts(t, liability);
        if notice.forwarded.is_empty() {
            contacts.writer_phone = contacts.writer_phone.or(more.writer_phone);
        }
        contacts.other_party = contacts.other_party.or(more.other_party);
        contacts.witness = contacts.witness.or(more.witness);
        contacts.claimant = contacts.claimant.or(more.claimant);
    }

    let loss = LossFacts {
        date,
        time: first(&|t, _| find_time(t)),
        location,
        description,
        cause: cause.map(str::to_string),
        keywords: keywords.clone(),
    };

    let damage_words: Vec<&String> = keywords
        .iter()
        .filter(|k| !matches!(k.as_str(), "injury" | "fatality"))
        .collect();
    let injury = keywords.iter().any(|k| k == "injury");
    let fatality = keywords.iter().any(|k| k == "fatality");
    let hurt = injury_sentences(writer).or_else(|| injury_sentences(&body));
    let writer_hurt = hurt.as_ref().is_some_and(|(_, first_person)| *first_person);

    let auto = lob.filter(|l| l.is_auto()).map(|_| {
        let damage = (!damage_words.is_empty()).then(|| {
            damage_words
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
        let mut vehicles: Vec<Vehicle> = vins
            .iter()
            .map(|v| Vehicle {
                vin: Some(v.to_string()),
                damage: damage.clone(),
                ..Vehicle::default()
            })
            .collect();
        if let Some((year, make, model)) = find_vehicle(&text) {
            if vehicles.is_empty() {
                vehicles.push(Vehicle {
                    damage: damage.clone(),
                    ..Vehicle::default()
                });
            }
            vehicles[0].year = Some(year);
            vehicles[0].make = Some(make);
            vehicles[0].model = model;
        }
        // An injury the writer affirms is an injured person the CSR completes.
        let injured = match (&hurt, injury) {
            (Some((what, _)), true) => vec![InjuredPerson {
                description: Some(what.clone()),
                ..InjuredPerson::default()
            }],
            _ => Vec::new(),
        };
        AutoFacts {
            police_report: find_police_report(&text),
            vehicles,
            other_parties: contacts.other_party.iter().cloned().collect(),
            injured,
            witnesses: contacts.witness.iter().cloned().collect(),
            fatality,
            glass_only: cause == Some("glass"),
            business_use: any_word(&lower, COMMERCIAL_AUTO_WORDS),
            ..AutoFacts::default()
        }
    });

    let property = (lob == Some(LineOfBusiness::Property)).then(|| PropertyFacts {
        discovered_on: date,
        loss_type: cause.map(|c| match c {
            "fire" => PropertyLossType::Fire,
            "water" => PropertyLossType::Water,
            "wind" | "hail" => PropertyLossType::Wind,
            "theft" => PropertyLossType::Theft,
            "vandalism" => PropertyLossType::Vandalism,
            _ => PropertyLossType::Other,
        }),
        property_address: loss.location.clone(),
        damage_description: damage_sentences(writer).or_else(|| damage_sentences(&body)),
        // "can't stay", "hotel", "uninhabitable": the insured is out of the home.
        displaced: affirmed_any(
            &lower,
            &[
                "uninhabitable",
                "can't stay",
                "cannot stay",
                "can't live",
                "cannot live",
                "staying in a hotel",
                "staying at a hotel",
                "had to move out",
            ],
        ),
        ..PropertyFacts::default()
    });

    let liability = lob.filter(|l| l.is_liability()).map(|_| LiabilityFacts {
        allegation: loss.description.clone(),
        claimant: contacts.claimant.clone(),
        // A lawyer in the story: flag representation for escalation; the CSR confirms. Only
        // a denial ("has not hired a lawyer") says no.
        represented: said(
            &lower,
            &[
                "attorney",
                "lawyer",
                "law firm",
                "counsel",
                "legal representation",
            ],
        ),
        litigation: affirmed_any(
            &lower,
            &["lawsuit", "sued", "suing", "summons", "complaint was filed"],
        ),
        bodily_injury: injury,
        ..LiabilityFacts::default()
    });

    let workers_comp = (lob == Some(LineOfBusiness::WorkersComp)).then(|| WorkersCompFacts {
        employee: parties::employee(writer).or_else(|| parties::employee(&body)),
        how_it_happened: loss.description.clone(),
        body_parts: BODY_PARTS
            .iter()
            .filter(|p| find_word(&lower, p).is_some())
            .map(|p| p.to_string())
            .collect(),
        // Treatment words: hospital, urgent care, emergency room, doctor, clinic.
        medical_treatment: said(
            &lower,
            &[
                "hospital",
                "urgent care",
                "emergency room",
                "doctor",
                "clinic",
                "physician",
                "ambulance",
                "stitches",
            ],
        ),
        treating_physician: parties::physician(&body),
        witnesses: contacts.witness.iter().cloned().collect(),
        fatality,
        ..WorkersCompFacts::default()
    });

    Facts {
        lob,
        policy_number,
        jurisdiction,
        name: find_name(writer),
        contacts,
        writer_hurt,
        loss,
        auto,
        property,
        liability,
        workers_comp,
        rejected_vins,
    }
}

/// Some when the writer speaks to it: true for a mention they affirm, false when every
/// mention is denied ("has not hired a lawyer", "did not see a doctor").
fn said(lower: &str, words: &[&str]) -> Option<bool> {
    if affirmed_any(lower, words) {
        Some(true)
    } else if words.iter().any(|w| negation::denied(lower, w)) {
        Some(false)
    } else {
        None
    }
}

fn affirmed_any(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| negation::affirmed(lower, w).is_some())
}

/// The sentences that affirm an injury (at most two, 300 characters), and whether the
/// writer is the one hurt ("I hurt my neck", "I was injured").
fn injury_sentences(text: &str) -> Option<(String, bool)> {
    let mut first_person = false;
    let picked: Vec<String> = sentences(text)
        .into_iter()
        .filter(|s| {
            let lower = s.to_ascii_lowercase();
            let hurt = INJURY_WORDS
                .iter()
                .any(|w| negation::affirmed(&lower, w).is_some());
            if hurt && (find_word(&lower, "i").is_some() || find_word(&lower, "i'm").is_some()) {
                first_person = true;
            }
            hurt
        })
        .take(2)
        .collect();
    (!picked.is_empty()).then(|| (truncate_chars(&picked.join(" "), 300), first_person))
}

/// Finds `word` (lower case) in `lower` at a word boundary, at or after byte `from`.
fn find_word_from(lower: &str, word: &str, from: usize) -> Option<usize> {
    let from = (from..=lower.len()).find(|&i| lower.is_char_boundary(i))?;
    lower[from..]
        .match_indices(word)
        .map(|(i, _)| from + i)
        .find(|&i| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + word.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric())
                && !after.is_some_and(|c| c.is_alphanumeric())
        })
}

/// Finds `word` (lower case, may contain spaces or hyphens) in `lower` at word boundaries:
/// the characters around the match are not letters or digits.
fn find_word(lower: &str, word: &str) -> Option<usize> {
    find_word_from(lower, word, 0)
}

fn any_word(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| find_word(lower, w).is_some())
}

fn count_words(lower: &str, words: &[&str]) -> usize {
    words
        .iter()
        .filter(|w| find_word(lower, w).is_some())
        .count()
}

/// Words that say a vehicle was involved (auto lines).
const AUTO_WORDS: &[&str] = &[
    "car",
    "cars",
    "vehicle",
    "vehicles",
    "auto",
    "automobile",
    "truck",
    "van",
    "suv",
    "pickup",
    "motorcycle",
    "collision",
    "collided",
    "crash",
    "crashed",
    "car accident",
    "rear-ended",
    "rear ended",
    "fender",
    "fender bender",
    "bumper",
    "windshield",
    "windscreen",
    "vin",
    "driver",
    "driving",
    "drove",
    "parked",
    "parking lot",
    "highway",
    "freeway",
    "interstate",
    "intersection",
    "traffic",
    "tow",
    "towed",
    "airbag",
    "airbags",
];

/// Words that make an auto loss commercial (a business vehicle or driver).
const COMMERCIAL_AUTO_WORDS: &[&str] = &[
    "company vehicle",
    "company car",
    "company truck",
    "fleet",
    "delivery truck",
    "delivery van",
    "box truck",
    "semi",
    "tractor-trailer",
    "18-wheeler",
    "our driver",
    "commercial vehicle",
    "commercial auto",
];

/// Words that say a building or its contents were damaged (property).
const PROPERTY_WORDS: &[&str] = &[
    "house",
    "home",
    "homeowner",
    "homeowners",
    "roof",
    "basement",
    "kitchen",
    "ceiling",
    "attic",
    "garage",
    "building",
    "apartment",
    "condo",
    "warehouse",
    "fire",
    "smoke",
    "water damage",
    "water",
    "pipe",
    "pipes",
    "burst",
    "flood",
    "flooded",
    "flooding",
    "leak",
    "leaking",
    "theft",
    "burglary",
    "break-in",
    "broke into",
    "wind",
    "hail",
    "storm",
    "tornado",
    "hurricane",
    "tree fell",
    "mold",
    "sewer backup",
    "property damage",
];

/// Words that say an employee was hurt at work (workers' compensation).
const WORKERS_COMP_WORDS: &[&str] = &[
    "employee",
    "employees",
    "worker",
    "injured at work",
    "hurt at work",
    "on the job",
    "workplace",
    "work injury",
    "workers comp",
    "workers' comp",
    "workers compensation",
    "workers' compensation",
    "job site",
    "jobsite",
    "shift",
    "warehouse floor",
    "forklift",
    "supervisor",
    "osha",
];

/// Words that say a third party claims against the insured business (general liability).
const GENERAL_LIABILITY_WORDS: &[&str] = &[
    "slip and fall",
    "slipped and fell",
    "slipped",
    "tripped",
    "trip and fall",
    "customer",
    "customers",
    "visitor",
    "premises",
    "our store",
    "our restaurant",
    "our shop",
    "liability claim",
    "third party",
    "bodily injury",
    "claimant",
    "wet floor",
    "product liability",
];

/// Words that say a client claims a professional erred (professional liability / E&O).
const PROFESSIONAL_LIABILITY_WORDS: &[&str] = &[
    "malpractice",
    "negligence in services",
    "professional negligence",
    "professional liability",
    "errors and omissions",
    "e&o",
    "client alleges",
    "client claims",
    "our client",
    "engagement",
    "advice",
    "missed deadline",
    "breach of duty",
    "demand letter",
];

/// The line of business by policy-number prefix (the sample office's shapes: `PAU-` personal
/// auto, `CAU-` commercial auto, `HO-` homeowners and `CPP-` commercial property, `GL-`,
/// `PL-`, `WC-`; plus common abbreviations `PA-`, `CA-`, `DP-`, `BOP-`, `EO-`). A known
/// prefix settles the line.
fn lob_from_policy_prefix(number: &str) -> Option<LineOfBusiness> {
    let prefix = number.split('-').next()?;
    Some(match prefix {
        "PAU" | "PA" | "PAP" => LineOfBusiness::PersonalAuto,
        "CAU" | "CA" | "BAP" => LineOfBusiness::CommercialAuto,
        "HO" | "CPP" | "DP" | "BOP" | "PR" | "CP" => LineOfBusiness::Property,
        "GL" | "CGL" => LineOfBusiness::GeneralLiability,
        "PL" | "EO" | "PLI" => LineOfBusiness::ProfessionalLiability,
        "WC" | "WCP" => LineOfBusiness::WorkersComp,
        _ => return None,
    })
}

/// The line of business: a telling policy-number prefix wins; otherwise each line scores
/// one point per distinct keyword of its list found (a valid VIN counts three for auto) and
/// the best score wins, ties broken in the order auto, property, workers' comp, general
/// liability, professional liability. No keyword at all: `None`. An auto loss is commercial
/// when a commercial-vehicle word is found.
fn detect_lob(lower: &str, policy: Option<&str>, has_vin: bool) -> Option<LineOfBusiness> {
    if let Some(lob) = policy.and_then(lob_from_policy_prefix) {
        return Some(lob);
    }
    let auto = count_words(lower, AUTO_WORDS) + if has_vin { 3 } else { 0 };
    let auto_lob = if any_word(lower, COMMERCIAL_AUTO_WORDS) {
        LineOfBusiness::CommercialAuto
    } else {
        LineOfBusiness::PersonalAuto
    };
    let scores = [
        (auto, auto_lob),
        (count_words(lower, PROPERTY_WORDS), LineOfBusiness::Property),
        (
            count_words(lower, WORKERS_COMP_WORDS),
            LineOfBusiness::WorkersComp,
        ),
        (
            count_words(lower, GENERAL_LIABILITY_WORDS),
            LineOfBusiness::GeneralLiability,
        ),
        (
            count_words(lower, PROFESSIONAL_LIABILITY_WORDS),
            LineOfBusiness::ProfessionalLiability,
        ),
    ];
    let mut best: Option<(usize, LineOfBusiness)> = None;
    for (score, lob) in scores {
        if score > 0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, lob));
        }
    }
    best.map(|(_, lob)| lob)
}

/// Damage and injury words (each reported once, in this list's order, as written here);
/// any injury word also adds `injury`, any death word `fatality`.
const DAMAGE_WORDS: &[&str] = &[
    "dent",
    "dented",
    "scratched",
    "shattered",
    "cracked",
    "smashed",
    "crushed",
    "totaled",
    "total loss",
    "flooded",
    "soaked",
    "burned",
    "burnt",
    "smoke",
    "scorched",
    "leak",
    "leaking",
    "mold",
    "broken",
    "collapsed",
    "stolen",
    "missing",
    "vandalized",
    "destroyed",
];
const INJURY_WORDS: &[&str] = &[
    "injured",
    "injury",
    "injuries",
    "hurt",
    "fracture",
    "fractured",
    "broken arm",
    "broken leg",
    "whiplash",
    "concussion",
    "laceration",
    "bleeding",
    "sprain",
    "sprained",
    "ambulance",
    "hospital",
    "hospitalized",
    "neck pain",
    "back pain",
];
const FATALITY_WORDS: &[&str] = &["fatality", "fatal", "killed", "died", "deceased", "death"];

/// A word the writer denies ("nobody was hurt", "nothing was stolen") is not one of them.
fn damage_keywords(lower: &str) -> Vec<String> {
    let mut out: Vec<String> = DAMAGE_WORDS
        .iter()
        .chain(INJURY_WORDS)
        .filter(|w| negation::affirmed(lower, w).is_some())
        .map(|w| w.to_string())
        .collect();
    if affirmed_any(lower, INJURY_WORDS) {
        out.push("injury".to_string());
    }
    if affirmed_any(lower, FATALITY_WORDS) {
        out.push("fatality".to_string());
    }
    out.dedup();
    let mut seen = std::collections::HashSet::new();
    out.retain(|w| seen.insert(w.clone()));
    out
}

/// The cause (peril): each cause scores one point per distinct word found; the best wins,
/// ties in this order. Glass is reported only when no collision word is found (a collision
/// that broke a window is a collision).
const CAUSES: &[(&str, &[&str])] = &[
    (
        "collision",
        &[
            "collision",
            "collided",
            "crash",
            "crashed",
            "rear-ended",
            "rear ended",
            "hit",
            "struck",
            "t-boned",
            "sideswiped",
            "fender bender",
            "car accident",
        ],
    ),
    (
        "fire",
        &["fire", "burned", "burnt", "smoke", "flames", "scorched"],
    ),
    (
        "water",
        &[
            "water",
            "pipe",
            "pipes",
            "burst",
            "leak",
            "leaking",
            "flood",
            "flooded",
            "flooding",
            "sewer backup",
        ],
    ),
    (
        "wind",
        &["wind", "windstorm", "tornado", "hurricane", "tree fell"],
    ),
    ("hail", &["hail", "hailstorm"]),
    (
        "theft",
        &[
            "theft",
            "stolen",
            "stole",
            "burglary",
            "break-in",
            "broke into",
            "robbed",
        ],
    ),
    (
        "vandalism",
        &["vandalism", "vandalized", "graffiti", "keyed"],
    ),
    (
        "glass",
        &[
            "windshield",
            "windscreen",
            "glass",
            "side window",
            "rear window",
        ],
    ),
    (
        "slip_and_fall",
        &[
            "slip and fall",
            "slipped",
            "tripped",
            "trip and fall",
            "fell",
        ],
    ),
];

fn detect_cause(lower: &str) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for (cause, words) in CAUSES {
        let score = count_words(lower, words);
        if score > 0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, cause));
        }
    }
    let cause = best.map(|(_, c)| c)?;
    if cause == "glass" && count_words(lower, CAUSES[0].1) > 0 {
        return Some("collision");
    }
    Some(cause)
}

/// Splits text into tokens with their byte offsets, trimming surrounding punctuation
/// (but not the characters policy numbers, dates and times are made of).
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out.into_iter()
        .filter_map(|(s, t)| {
            let trimmed_start = t.trim_start_matches(['(', '[', '"', '\'', '#', '<', '*']);
            let offset = s + (t.len() - trimmed_start.len());
            let trimmed = trimmed_start
                .trim_end_matches([',', '.', ';', ':', '!', '?', ')', ']', '"', '\'', '>', '*']);
            (!trimmed.is_empty()).then_some((offset, trimmed))
        })
        .collect()
}

/// Policy numbers: 2–4 upper-case letters, an optional two-letter state, then dash-separated
/// digit groups with at least five digits in all (so road names like `US-35` do not match):
/// `PAU-IL-2026-20931`, `GL-NY-2026-80412`, `HO-123456`. The first one found wins.
fn find_policy_number(text: &str) -> Option<String> {
    tokens(text)
        .into_iter()
        .map(|(_, t)| t)
        .find(|t| is_policy_number(t))
        .map(str::to_string)
}

fn is_policy_number(t: &str) -> bool {
    let parts: Vec<&str> = t.split('-').collect();
    if parts.len() < 2 {
        return false;
    }
    let upper = |s: &str| s.chars().all(|c| c.is_ascii_uppercase());
    if !(2..=4).contains(&parts[0].len()) || !upper(parts[0]) {
        return false;
    }
    let mut rest = &parts[1..];
    if rest[0].len() == 2 && upper(rest[0]) {
        rest = &rest[1..];
    }
    !rest.is_empty()
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && rest.iter().map(|p| p.len()).sum::<usize>() >= 5
}

/// The state of a policy number written with one (`PAU-IL-...` → `IL`).
fn policy_state(number: &str) -> Option<String> {
    let state = number.split('-').nth(1)?;
    US_STATES.contains(&state).then(|| state.to_string())
}

const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
];

/// VINs: every 17-character token of the VIN alphabet that passes [`Vin::parse`] (check
/// digit included). A 17-character token right after the word "VIN" that fails is returned
/// with the reason, for the note: an email cannot give the explicit check-digit override.
fn find_vins(text: &str) -> (Vec<Vin>, Vec<(String, String)>) {
    let toks = tokens(text);
    let mut found: Vec<Vin> = Vec::new();
    let mut rejected = Vec::new();
    for (i, (_, t)) in toks.iter().enumerate() {
        if t.chars().count() != VIN_LENGTH || !t.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        match Vin::parse(t) {
            Ok(v) => {
                if !found.contains(&v) {
                    found.push(v);
                }
            }
            Err(e) => {
                let after_label = i > 0 && toks[i - 1].1.eq_ignore_ascii_case("vin")
                    || i > 1 && toks[i - 2].1.eq_ignore_ascii_case("vin");
                if after_label {
                    rejected.push((t.to_string(), e.to_string()));
                }
            }
        }
    }
    (found, rejected)
}

/// Makes a vehicle's model year, make and model: a year (1980–2039) followed by a known make,
/// and the word after it as the model ("my 2019 Honda Civic").
fn find_vehicle(text: &str) -> Option<(i32, String, Option<String>)> {
    const MAKES: &[&str] = &[
        "acura",
        "audi",
        "bmw",
        "buick",
        "cadillac",
        "chevrolet",
        "chevy",
        "chrysler",
        "dodge",
        "fiat",
        "ford",
        "freightliner",
        "gmc",
        "honda",
        "hyundai",
        "infiniti",
        "international",
        "isuzu",
        "jeep",
        "kenworth",
        "kia",
        "lexus",
        "lincoln",
        "mack",
        "mazda",
        "mercedes",
        "mercedes-benz",
        "mini",
        "mitsubishi",
        "nissan",
        "peterbilt",
        "porsche",
        "ram",
        "subaru",
        "tesla",
        "toyota",
        "volkswagen",
        "volvo",
        "vw",
    ];
    let toks = tokens(text);
    for w in toks.windows(3) {
        let year: i32 = match w[0].1.parse() {
            Ok(y) if (1980..=2039).contains(&y) && w[0].1.len() == 4 => y,
            _ => continue,
        };
        if MAKES.contains(&w[1].1.to_ascii_lowercase().as_str()) {
            let model = w[2].1;
            let model = (model.chars().next().is_some_and(|c| c.is_uppercase())
                || model.chars().any(|c| c.is_ascii_digit()))
            .then(|| model.to_string());
            return Some((year, w[1].1.to_string(), model));
        }
    }
    None
}

/// A police report number: the token after "police report" ("number", "no", "#" and "is"
/// skipped) that contains a digit.
fn find_police_report(text: &str) -> Option<String> {
    let toks = tokens(text);
    for (i, w) in toks.windows(2).enumerate() {
        if w[0].1.eq_ignore_ascii_case("police")
            && w[1].1.to_ascii_lowercase().starts_with("report")
        {
            return toks[i + 2..]
                .iter()
                .take(4)
                .map(|(_, t)| *t)
                .find(|t| {
                    t.chars().any(|c| c.is_ascii_digit())
                        && !matches!(t.to_ascii_lowercase().as_str(), "no" | "number" | "is")
                })
                .map(str::to_string);
        }
    }
    None
}

/// A person's name as written: 2–4 words, each starting with an upper-case letter, made of
/// letters, `.`, `'` and `-`.
fn as_name(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', '.', ';', '!']))
        .take_while(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '-'))
        })
        .take(4)
        .collect();
    (words.len() >= 2).then(|| words.join(" "))
}

/// The writer's name: after "my name is" or "this is" (then 2–4 capitalised words), else the
/// first line after a closing ("Thanks,", "Thank you,", "Regards,", "Best regards,",
/// "Sincerely,", "Best,") that looks like a name.
fn find_name(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for intro in ["my name is ", "this is "] {
        for (i, _) in lower.match_indices(intro) {
            let rest = &text[i + intro.len()..];
            let line = rest.lines().next().unwrap_or("");
            let sentence = line.split(['.', ',', ';', '!', '?']).next().unwrap_or("");
            if let Some(name) = as_name(sentence) {
                return Some(name);
            }
        }
    }
    const CLOSINGS: &[&str] = &[
        "thanks",
        "thank you",
        "regards",
        "best regards",
        "kind regards",
        "sincerely",
        "best",
        "cheers",
        "respectfully",
    ];
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let l = line
            .trim()
            .trim_end_matches([',', '.', '!'])
            .to_ascii_lowercase();
        if CLOSINGS.contains(&l.as_str()) {
            if let Some(next) = lines[i + 1..].iter().find(|l| !l.trim().is_empty()) {
                if let Some(name) = as_name(next.trim()) {
                    if name.split_whitespace().count() == next.split_whitespace().count() {
                        return Some(name);
                    }
                }
            }
        }
    }
    None
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month name or its abbreviation (`Nov`, `Nov.`, `Sept`), 1–12. "May" counts only
/// written in full, and "march" only capitalised, to keep verbs out.
fn month_of(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    if lower == "sept" {
        return Some(9);
    }
    if lower == "march" && !word.starts_with('M') {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() == 3 && m.starts_with(&lower) && lower != "may"))
        .map(|i| i as u32 + 1)
        .or_else(|| (lower == "may" && word.starts_with('M')).then_some(5))
}

fn day_of(word: &str) -> Option<u32> {
    let digits = word
        .trim_end_matches(',')
        .trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word.trim_end_matches(',')[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A year written with two or four digits (`26` is 2026).
fn year_of(word: &str) -> Option<i32> {
    let y: i32 = word.parse().ok()?;
    match word.len() {
        2 => Some(2000 + y),
        4 if (1900..=2100).contains(&y) => Some(y),
        _ => None,
    }
}

/// A date written as one token: `2026-11-02` or `11/02/2026`, `11/2/26` (US month first).
fn numeric_date(t: &str) -> Option<NaiveDate> {
    let iso: Vec<&str> = t.split('-').collect();
    if iso.len() == 3 && iso[0].len() == 4 && iso.iter().all(|p| p.parse::<u32>().is_ok()) {
        return NaiveDate::from_ymd_opt(
            iso[0].parse().ok()?,
            iso[1].parse().ok()?,
            iso[2].parse().ok()?,
        );
    }
    let us: Vec<&str> = t.split('/').collect();
    if us.len() == 3 && us[0].len() <= 2 && us[1].len() <= 2 {
        return NaiveDate::from_ymd_opt(year_of(us[2])?, us[0].parse().ok()?, us[1].parse().ok()?);
    }
    None
}

/// The date of loss: the first date in the text that is not after the day the message was
/// received (a later date is an appointment, not the loss). Formats: `2026-11-02`,
/// `11/02/2026`, `11/2/26`, `November 2, 2026`, `Nov 2` and `2 November 2026` (a missing year
/// is the year received, or the year before if that would be in the future), and, relative
/// to the Date header, `today`, `this morning`, `tonight`, `yesterday`, `last night`, and
/// `on/last <weekday>` (the latest such day before the day received).
fn find_loss_date(text: &str, received: Option<NaiveDate>) -> Option<NaiveDate> {
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    let toks = tokens(text);
    let with_year = |month: u32, day: u32, year: Option<i32>| -> Option<NaiveDate> {
        match year {
            Some(y) => NaiveDate::from_ymd_opt(y, month, day),
            None => {
                let r = received?;
                let d = NaiveDate::from_ymd_opt(r.year(), month, day)?;
                if d > r {
                    NaiveDate::from_ymd_opt(r.year() - 1, month, day)
                } else {
                    Some(d)
                }
            }
        }
    };
    for (i, &(pos, t)) in toks.iter().enumerate() {
        if let Some(d) = numeric_date(t) {
            found.push((pos, d));
            continue;
        }
        let next = toks.get(i + 1).map(|(_, t)| *t);
        let after = toks.get(i + 2).map(|(_, t)| *t);
        if let Some(month) = month_of(t) {
            if let Some(day) = next.and_then(day_of) {
                if let Some(d) = with_year(
                    month,
                    day,
                    after
                        .and_then(year_of)
                        .filter(|_| after.is_some_and(|a| a.len() == 4)),
                ) {
                    found.push((pos, d));
                }
            }
        } else if let (Some(day), Some(month)) = (day_of(t), next.and_then(month_of)) {
            if t.chars().all(|c| c.is_ascii_digit()) || t.len() > 2 {
                if let Some(d) = with_year(
                    month,
                    day,
                    after
                        .and_then(year_of)
                        .filter(|_| after.is_some_and(|a| a.len() == 4)),
                ) {
                    found.push((pos, d));
                }
            }
        }
    }
    if let Some(r) = received {
        let lower = text.to_ascii_lowercase();
        let relative: &[(&str, i64)] = &[
            ("today", 0),
            ("this morning", 0),
            ("this afternoon", 0),
            ("this evening", 0),
            ("tonight", 0),
            ("yesterday", 1),
            ("last night", 1),
            ("the day before yesterday", 2),
        ];
        for (phrase, days) in relative {
            if let Some(pos) = find_word(&lower, phrase) {
                found.push((pos, r - Duration::days(*days)));
            }
        }
        const WEEKDAYS: [(&str, Weekday); 7] = [
            ("monday", Weekday::Mon),
            ("tuesday", Weekday::Tue),
            ("wednesday", Weekday::Wed),
            ("thursday", Weekday::Thu),
            ("friday", Weekday::Fri),
            ("saturday", Weekday::Sat),
            ("sunday", Weekday::Sun),
        ];
        for (name, wd) in WEEKDAYS {
            for prefix in ["on ", "last "] {
                let phrase = format!("{prefix}{name}");
                if let Some(pos) = find_word(&lower, &phrase) {
                    let mut d = r - Duration::days(1);
                    while d.weekday() != wd {
                        d -= Duration::days(1);
                    }
                    found.push((pos, d));
                }
            }
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    found
        .iter()
        .find(|(_, d)| received.is_none_or(|r| *d <= r))
        .or(found.first())
        .map(|(_, d)| *d)
}

/// The time of loss as `HH:MM`: `17:45`, `5:30 pm`, `5:30pm`, `5 pm`, `5pm`, `5 p.m.`. The
/// first one found wins; a bare `H:MM` without am/pm is taken as written (24-hour clock).
fn find_time(text: &str) -> Option<String> {
    let toks = tokens(text);
    for (i, &(_, t)) in toks.iter().enumerate() {
        let lower = t.to_ascii_lowercase();
        let next = toks
            .get(i + 1)
            .map(|(_, n)| n.to_ascii_lowercase().replace('.', ""))
            .unwrap_or_default();
        let (clock, meridiem) = if let Some(c) = lower.strip_suffix("am") {
            (c.trim_end_matches('.').to_string(), Some(false))
        } else if let Some(c) = lower.strip_suffix("pm") {
            (c.trim_end_matches('.').to_string(), Some(true))
        } else if let Some(c) = lower.strip_suffix("a.m") {
            (c.to_string(), Some(false))
        } else if let Some(c) = lower.strip_suffix("p.m") {
            (c.to_string(), Some(true))
        } else if next == "am"
            || next == "a" && toks.get(i + 1).is_some_and(|(_, n)| n.starts_with("a.m"))
        {
            (lower.clone(), Some(false))
        } else if next == "pm"
            || next == "p" && toks.get(i + 1).is_some_and(|(_, n)| n.starts_with("p.m"))
        {
            (lower.clone(), Some(true))
        } else {
            (lower.clone(), None)
        };
        let (h, m) = match clock.split_once(':') {
            Some((h, m)) if m.len() == 2 => (h, m),
            Some(_) => continue,
            None if meridiem.is_some() => (clock.as_str(), "00"),
            None => continue,
        };
        let (Ok(mut h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) else {
            continue;
        };
        if m > 59 || h > 23 || (meridiem.is_some() && !(1..=12).contains(&h)) {
            continue;
        }
        match meridiem {
            Some(true) if h < 12 => h += 12,
            Some(false) if h == 12 => h = 0,
            _ => {}
        }
        return Some(format!("{h:02}:{m:02}"));
    }
    None
}

/// Where a clause ends: the place phrase is cut there.
const CLAUSE_ENDS: &[&str] = &[
    " around ",
    " at about ",
    " at approximately ",
    " at around ",
    " when ",
    " while ",
    " and ",
    " because ",
    " on ",
    " yesterday",
    " today",
    " last ",
    " this ",
    " earlier",
    " about ",
    " after ",
    " before ",
];

/// Cuts a phrase at the end of its sentence or clause, and at 120 characters.
fn cut_phrase(s: &str) -> String {
    let mut end = s.find('\n').unwrap_or(s.len());
    for stop in [". ", "; ", "! ", "? ", "(", ":"] {
        if let Some(i) = s[..end].find(stop) {
            end = end.min(i);
        }
    }
    let mut phrase = s[..end].trim_end_matches(['.', ',', ';']).to_string();
    let lower = phrase.to_ascii_lowercase();
    if let Some(i) = CLAUSE_ENDS.iter().filter_map(|c| lower.find(c)).min() {
        phrase.truncate(i);
    }
    let phrase = phrase.trim().trim_end_matches([',', '.']).to_string();
    truncate_chars(&phrase, 120)
}

/// The place of loss, first rule that finds one:
/// 1. a labelled line: `Location:`, `Address:`, `Place of loss:`, `Loss location:`;
/// 2. `intersection of A and B` (kept whole, including the "and");
/// 3. a road: `on I-35 near exit 12`, `on Highway 6`, `on Route 9`, `on US-290` ...;
/// 4. an address after "at" or "located at": a house number then a word (`at 88 Willow
///    Creek Rd, Houston, TX 77002`);
/// 5. `near <place>`.
///
/// The phrase ends at the end of its sentence or at a clause word (" on ", " around ",
/// " when ", ...).
fn find_place(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for label in ["place of loss:", "loss location:", "location:", "address:"] {
        for (i, _) in lower.match_indices(label) {
            let at_line_start = lower[..i]
                .chars()
                .next_back()
                .is_none_or(|c| c == '\n' || c.is_whitespace());
            let rest = text[i + label.len()..].lines().next().unwrap_or("").trim();
            if at_line_start && !rest.is_empty() {
                return Some(truncate_chars(rest, 120));
            }
        }
    }
    // The other rules read paragraphs with their line wraps undone.
    let text = &unwrap_lines(text);
    let lower = text.to_ascii_lowercase();
    if let Some(i) = find_word(&lower, "intersection of") {
        return Some(corner_phrase(&text[i..]));
    }
    // A street corner: "at Ogden Ave and Washington St, Naperville, IL".
    for (i, _) in lower.match_indices(" at ") {
        let rest = &text[i + 4..];
        if is_corner(rest) {
            return Some(corner_phrase(rest));
        }
    }
    const ROADS: &[&str] = &[
        "i-",
        "interstate ",
        "highway ",
        "hwy ",
        "route ",
        "rt ",
        "us-",
        "us ",
        "sr-",
        "sr ",
        "state road ",
        "state route ",
        "loop ",
        "fm ",
    ];
    for (i, _) in lower.match_indices(" on ") {
        let rest = &lower[i + 4..];
        if ROADS.iter().any(|r| {
            rest.starts_with(r) && rest[r.len()..].starts_with(|c: char| c.is_ascii_digit())
        }) {
            // Keep "near ..." with the road: cut only at the sentence end and clause words
            // other than "near".
            return Some(cut_phrase(&text[i + 4..]));
        }
    }
    for (i, _) in lower.match_indices(" at ") {
        let rest = &text[i + 4..];
        let words: Vec<&str> = rest.split_whitespace().take(2).collect();
        if words.len() == 2
            && words[0].chars().next().is_some_and(|c| c.is_ascii_digit())
            && words[0]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && words[1].chars().next().is_some_and(|c| c.is_alphabetic())
            && !matches!(
                words[1].to_ascii_lowercase().trim_end_matches(['.', ',']),
                "am" | "pm" | "a.m" | "p.m" | "o'clock" | "hours" | "mph" | "minutes"
            )
        {
            return Some(cut_phrase(rest));
        }
    }
    if let Some(i) = find_word(&lower, "near") {
        let phrase = cut_phrase(&text[i..]);
        if phrase.len() > 5 {
            return Some(phrase);
        }
    }
    None
}

/// The phrase of a street corner ("A and B, City"): up to the sentence end, keeping the
/// "and" between the streets and cutting at the first clause word after the second.
fn corner_phrase(rest: &str) -> String {
    let end = rest.find(['\n', '.', ';']).unwrap_or(rest.len());
    let mut phrase = rest[..end].to_string();
    let pl = phrase.to_ascii_lowercase();
    let after_and = pl.find(" and ").map(|a| a + 5).unwrap_or(0);
    if let Some(cut) = CLAUSE_ENDS
        .iter()
        .filter(|c| **c != " and ")
        .filter_map(|c| pl[after_and..].find(c).map(|x| x + after_and))
        .min()
    {
        phrase.truncate(cut);
    }
    truncate_chars(phrase.trim().trim_end_matches(','), 120)
}

/// "Ogden Ave and Washington St": one to four capitalised words ending in a street word,
/// "and", then another street.
fn is_corner(rest: &str) -> bool {
    const STREET: &[&str] = &[
        "st",
        "street",
        "ave",
        "avenue",
        "rd",
        "road",
        "blvd",
        "boulevard",
        "dr",
        "drive",
        "ln",
        "lane",
        "pkwy",
        "parkway",
        "hwy",
        "highway",
        "way",
        "ct",
        "court",
        "pl",
        "place",
    ];
    let words: Vec<&str> = rest.split_whitespace().take(10).collect();
    let Some(and) = words.iter().position(|w| *w == "and") else {
        return false;
    };
    let street = |ws: &[&str]| {
        (1..=4).contains(&ws.len())
            && ws.iter().all(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            })
            && ws.iter().any(|w| {
                STREET.contains(&w.trim_end_matches([',', '.']).to_ascii_lowercase().as_str())
            })
    };
    let after: Vec<&str> = words[and + 1..]
        .iter()
        .take_while(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
        .take(4)
        .copied()
        .collect();
    street(&words[..and]) && street(&after)
}

/// Joins the lines of each paragraph with spaces (blank lines stay paragraph breaks).
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Sentences of the body (greeting lines skipped), in order.
fn sentences(body: &str) -> Vec<String> {
    let text: String = body
        .lines()
        .map(str::trim)
        .filter(|l| {
            let lw = l.to_ascii_lowercase();
            !l.is_empty()
                && ![
                    "hi",
                    "hello",
                    "dear",
                    "good morning",
                    "good afternoon",
                    "to whom",
                ]
                .iter()
                .any(|g| lw.starts_with(g) && l.len() < 40)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1).is_none_or(|c| *c == b' ') {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// `loss.description`: the subject, then the body's first two sentences, at most 400
/// characters. None when both are empty.
fn summary(subject: &str, body: &str) -> Option<String> {
    let first: Vec<String> = sentences(body).into_iter().take(2).collect();
    let mut s = subject.trim().to_string();
    if !first.is_empty() {
        if !s.is_empty() {
            s.push_str(": ");
        }
        s.push_str(&first.join(" "));
    }
    (!s.is_empty()).then(|| truncate_chars(&s, 400))
}

/// Property damage description: the (first three) sentences that hold a damage word.
fn damage_sentences(body: &str) -> Option<String> {
    let picked: Vec<String> = sentences(body)
        .into_iter()
        .filter(|s| !damage_keywords(&s.to_ascii_lowercase()).is_empty())
        .take(3)
        .collect();
    (!picked.is_empty()).then(|| truncate_chars(&picked.join(" "), 600))
}

/// Body parts for a workers' compensation injury.
const BODY_PARTS: &[&str] = &[
    "head",
    "neck",
    "back",
    "lower back",
    "shoulder",
    "arm",
    "elbow",
    "wrist",
    "hand",
    "finger",
    "fingers",
    "hip",
    "leg",
    "knee",
    "ankle",
    "foot",
    "toe",
    "eye",
    "chest",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/email")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    #[test]
    fn plain_text_auto_claim() {
        let draft = draft_from_eml(&fixture("auto-plain.eml"), "auto-plain.eml").unwrap();
        assert_eq!(draft.channel, Some(Channel::Email));
        assert!(draft.hold_for_review);
        assert_eq!(draft.source, "auto-plain.eml");
        assert_eq!(draft.lob, Some(LineOfBusiness::PersonalAuto));
        assert_eq!(draft.policy_number.as_deref(), Some("PAU-IL-2026-20931"));
        assert_eq!(draft.jurisdiction_read.as_deref(), Some("IL"));
        assert_eq!(
            draft.received_at.unwrap().to_rfc3339(),
            "2026-11-03T09:14:00-06:00"
        );
        // "yesterday", relative to the Date header.
        assert_eq!(draft.loss.date, Some(d(2026, 11, 2)));
        assert_eq!(draft.loss.time.as_deref(), Some("17:30"));
        assert_eq!(
            draft.loss.location.as_deref(),
            Some("intersection of Oak St and 5th Ave in Springfield")
        );
        assert_eq!(draft.loss.cause.as_deref(), Some("collision"));
        for k in ["dented", "broken", "neck pain", "injury"] {
            assert!(
                draft.loss.keywords.iter().any(|w| w == k),
                "{k}: {:?}",
                draft.loss.keywords
            );
        }
        let reporter = draft.reporter.as_ref().unwrap();
        assert_eq!(reporter.name.as_deref(), Some("Maria Lopez"));
        assert_eq!(reporter.email.as_deref(), Some("maria.lopez@example.com"));
        assert_eq!(reporter.phone.as_deref(), Some("217-555-0142"));
        let auto = draft.auto.as_ref().unwrap();
        assert_eq!(auto.police_report.as_deref(), Some("26-118734"));
        assert_eq!(auto.vehicles.len(), 1);
        let v = &auto.vehicles[0];
        assert_eq!(v.vin.as_deref(), Some("JH4KA453XKC037671"));
        assert_eq!(
            (v.year, v.make.as_deref(), v.model.as_deref()),
            (Some(1989), Some("Acura"), Some("Legend"))
        );
        assert!(v.damage.as_deref().unwrap().contains("dented"));
        assert!(draft.property.is_none());
        assert!(draft
            .loss
            .description
            .as_deref()
            .unwrap()
            .starts_with("Car accident - policy PAU-IL-2026-20931: I was rear-ended"));
        assert_eq!(draft.attachments.len(), 1);
        assert_eq!(draft.attachments[0].file_name, "original.eml");
        assert_eq!(draft.attachments[0].kind.as_deref(), Some("email"));
        assert_eq!(draft.attachments[0].bytes, fixture("auto-plain.eml"));
        assert_eq!(draft.notes.len(), 1);
        assert!(draft.notes[0].starts_with(
            "Email from Maria Lopez <maria.lopez@example.com>, subject \"Car accident - policy PAU-IL-2026-20931\":"
        ), "{}", draft.notes[0]);
        assert!(draft.notes[0].contains("Police report number 26-118734."));
    }

    #[test]
    fn html_only_quoted_printable_property_claim() {
        let draft = draft_from_eml(&fixture("property-html-qp.eml"), "qp.eml").unwrap();
        assert_eq!(draft.lob, Some(LineOfBusiness::Property));
        assert_eq!(draft.policy_number.as_deref(), Some("HO-TX-2026-60254"));
        assert_eq!(draft.jurisdiction_read.as_deref(), Some("TX"));
        assert_eq!(draft.loss.date, Some(d(2026, 11, 1)));
        assert_eq!(draft.loss.cause.as_deref(), Some("water"));
        assert_eq!(
            draft.loss.location.as_deref(),
            Some("88 Willow Creek Rd, Houston, TX 77002")
        );
        let reporter = draft.reporter.as_ref().unwrap();
        assert_eq!(reporter.name.as_deref(), Some("Tom Becker"));
        assert_eq!(reporter.phone.as_deref(), Some("713-555-0199"));
        let p = draft.property.as_ref().unwrap();
        assert_eq!(p.discovered_on, Some(d(2026, 11, 1)));
        assert_eq!(p.loss_type, Some(PropertyLossType::Water));
        assert_eq!(
            p.property_address.as_deref(),
            Some("88 Willow Creek Rd, Houston, TX 77002")
        );
        // Quoted-printable decoded (soft breaks joined, UTF-8 apostrophe), HTML turned to text.
        let damage = p.damage_description.as_deref().unwrap();
        assert!(
            damage.contains("there\u{2019}s a leak into the basement ceiling"),
            "{damage}"
        );
        assert!(!draft.notes[0].contains("<p>"), "{}", draft.notes[0]);
        assert!(draft.notes[0].contains("Willow Creek Rd"));
        for k in ["flooded", "soaked", "leak"] {
            assert!(
                draft.loss.keywords.iter().any(|w| w == k),
                "{k}: {:?}",
                draft.loss.keywords
            );
        }
        assert!(draft.auto.is_none());
    }

    #[test]
    fn multipart_with_pdf_and_encoded_subject() {
        let raw = fixture("auto-mixed-pdf.eml");
        let draft = draft_from_eml(&raw, "mixed.eml").unwrap();
        assert!(
            draft.notes[0]
                .contains("subject \"Accidente en la autopista \u{2013} cami\u{f3}n de reparto\":"),
            "{}",
            draft.notes[0]
        );
        assert!(draft.notes[0]
            .starts_with("Email from Luc\u{ed}a Fern\u{e1}ndez <lucia@fleet.example>"));
        assert_eq!(draft.lob, Some(LineOfBusiness::CommercialAuto));
        assert_eq!(draft.policy_number.as_deref(), Some("CAU-TX-2026-50017"));
        assert_eq!(draft.loss.date, Some(d(2026, 11, 2)));
        assert_eq!(draft.loss.time.as_deref(), Some("17:45"));
        assert_eq!(
            draft.loss.location.as_deref(),
            Some("I-35 near exit 250 in Austin")
        );
        assert_eq!(draft.loss.cause.as_deref(), Some("collision"));
        let reporter = draft.reporter.as_ref().unwrap();
        assert_eq!(reporter.phone.as_deref(), Some("512-555-0100"));
        let auto = draft.auto.as_ref().unwrap();
        assert!(auto.business_use);
        assert!(auto.vehicles.is_empty());
        // Original first, then the attachments in order; names sanitised or made up.
        let names: Vec<_> = draft
            .attachments
            .iter()
            .map(|a| a.file_name.as_str())
            .collect();
        assert_eq!(
            names,
            ["original.eml", "police-report.pdf", "attachment-2.jpg"]
        );
        assert_eq!(draft.attachments[0].bytes, raw);
        assert_eq!(draft.attachments[1].kind.as_deref(), Some("document"));
        assert_eq!(draft.attachments[1].bytes, fixture("police-report.pdf"));
        assert_eq!(draft.attachments[2].kind.as_deref(), Some("photo"));
        assert_eq!(&draft.attachments[2].bytes[..2], &[0xff, 0xd8]);
    }

    #[test]
    fn nothing_recognisable_is_still_a_draft() {
        let draft = draft_from_eml(&fixture("nothing.eml"), "nothing.eml").unwrap();
        assert_eq!(draft.lob, None);
        assert_eq!(draft.policy_number, None);
        assert_eq!(draft.loss.date, None);
        assert_eq!(draft.loss.cause, None);
        assert!(draft.loss.keywords.is_empty());
        assert!(draft.auto.is_none() && draft.property.is_none());
        assert!(draft.hold_for_review);
        let reporter = draft.reporter.unwrap();
        assert_eq!(reporter.email.as_deref(), Some("someone@example.org"));
        assert_eq!(reporter.name, None);
        assert!(draft.notes[0].starts_with("Email from someone@example.org, subject \"Question\":"));
    }

    #[test]
    fn not_an_email_names_the_source() {
        let err = draft_from_eml(b"", "empty.eml").unwrap_err();
        assert!(err.to_string().starts_with("empty.eml:"), "{err}");
        let err = draft_from_eml(b"just some words\nand more\n", "junk.eml").unwrap_err();
        assert!(err.to_string().starts_with("junk.eml:"), "{err}");
    }

    #[test]
    fn folder_gives_every_eml_sorted() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/email");
        let drafts = drafts_from_path(&dir).unwrap();
        let names: Vec<_> = drafts
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "auto-mixed-pdf.eml",
                "auto-plain.eml",
                "nothing.eml",
                "property-html-qp.eml"
            ]
        );
        assert!(drafts.iter().all(|(_, d)| d.is_ok()));
        let one = drafts_from_path(&dir.join("nothing.eml")).unwrap();
        assert_eq!(one.len(), 1);
        assert!(drafts_from_path(&dir.join("no-such.eml")).is_err());
    }

    #[test]
    fn dates() {
        let r = Some(d(2026, 11, 3)); // a Tuesday
        assert_eq!(
            find_loss_date("on 2026-11-02 at noon", r),
            Some(d(2026, 11, 2))
        );
        assert_eq!(find_loss_date("on 11/02/2026", r), Some(d(2026, 11, 2)));
        assert_eq!(find_loss_date("on 11/2/26", r), Some(d(2026, 11, 2)));
        assert_eq!(
            find_loss_date("on November 2, 2026", r),
            Some(d(2026, 11, 2))
        );
        assert_eq!(find_loss_date("on Nov 2nd", r), Some(d(2026, 11, 2)));
        assert_eq!(
            find_loss_date("on 2 November 2026", r),
            Some(d(2026, 11, 2))
        );
        // A missing year that would be in the future is last year.
        assert_eq!(find_loss_date("on Dec 20", r), Some(d(2025, 12, 20)));
        assert_eq!(
            find_loss_date("it happened last night", r),
            Some(d(2026, 11, 2))
        );
        assert_eq!(
            find_loss_date("it happened on Saturday", r),
            Some(d(2026, 10, 31))
        );
        assert_eq!(find_loss_date("last Tuesday", r), Some(d(2026, 10, 27)));
        // A later date (an appointment) loses to an earlier one.
        assert_eq!(
            find_loss_date("inspection on 11/20/2026; the loss was on 10/30/2026", r),
            Some(d(2026, 10, 30))
        );
        assert_eq!(find_loss_date("yesterday", None), None);
        assert_eq!(find_loss_date("you may call me", r), None);
    }

    #[test]
    fn times() {
        assert_eq!(find_time("around 5:30 pm").as_deref(), Some("17:30"));
        assert_eq!(find_time("at 5:30pm.").as_deref(), Some("17:30"));
        assert_eq!(find_time("at 17:45,").as_deref(), Some("17:45"));
        assert_eq!(find_time("about 9 a.m. today").as_deref(), Some("09:00"));
        assert_eq!(find_time("at 12am").as_deref(), Some("00:00"));
        assert_eq!(find_time("at 11pm").as_deref(), Some("23:00"));
        assert_eq!(find_time("nothing 25:99 here"), None);
    }

    #[test]
    fn phones_policies_places() {
        let phone = |t: &str| parties::phones(t).into_iter().next().map(|(_, p)| p);
        assert_eq!(
            phone("call (217) 555-0142").as_deref(),
            Some("217-555-0142")
        );
        assert_eq!(
            phone("call +1 512 555 0100").as_deref(),
            Some("512-555-0100")
        );
        assert_eq!(phone("5125550100").as_deref(), Some("512-555-0100"));
        assert_eq!(phone("VIN JH4KA453XKC037671 on 11/02/2026"), None);
        assert_eq!(phone("policy PAU-IL-2026-20931"), None);
        assert_eq!(
            find_policy_number("policy #GL-NY-2026-80412.").as_deref(),
            Some("GL-NY-2026-80412")
        );
        assert_eq!(
            find_policy_number("policy WC-123456").as_deref(),
            Some("WC-123456")
        );
        assert_eq!(find_policy_number("on US-35 near"), None);
        assert_eq!(
            lob_from_policy_prefix("CPP-IL-2026-70344"),
            Some(LineOfBusiness::Property)
        );
        assert_eq!(
            find_place("Location: 12 Main St, Peoria IL\nmore").as_deref(),
            Some("12 Main St, Peoria IL")
        );
        assert_eq!(
            find_place("It was stolen at 5 pm at 400 Elm Street. Bye").as_deref(),
            Some("400 Elm Street")
        );
    }

    #[test]
    fn line_of_business_by_words() {
        let lob = |s: &str| detect_lob(&s.to_ascii_lowercase(), None, false);
        assert_eq!(
            lob("An employee was injured at work on the job site"),
            Some(LineOfBusiness::WorkersComp)
        );
        assert_eq!(
            lob("A customer had a slip and fall on our premises"),
            Some(LineOfBusiness::GeneralLiability)
        );
        assert_eq!(
            lob("Our client alleges malpractice and errors and omissions"),
            Some(LineOfBusiness::ProfessionalLiability)
        );
        assert_eq!(
            lob("Hail damaged the roof of my house"),
            Some(LineOfBusiness::Property)
        );
        assert_eq!(
            lob("My car windshield is cracked"),
            Some(LineOfBusiness::PersonalAuto)
        );
        assert_eq!(lob("Please call me"), None);
        assert_eq!(detect_cause("my windshield has a crack"), Some("glass"));
    }

    /// Messages written by Python's `email` package as mail clients write them
    /// (tests/data/email/clients/generate.py).
    fn client(name: &str) -> Vec<u8> {
        fixture(&format!("clients/{name}"))
    }

    #[test]
    fn a_message_forwarded_as_an_attachment_is_the_notice_and_its_writer_the_reporter() {
        let raw = client("fwd-attached-rfc822.eml");
        let draft = draft_from_eml(&raw, "fwd.eml").unwrap();
        // Received when the forward came; "yesterday" is the day before the insured wrote.
        assert_eq!(
            draft.received_at.unwrap().to_rfc3339(),
            "2026-11-17T09:05:00-06:00"
        );
        assert_eq!(draft.loss.date, Some(d(2026, 11, 15)));
        assert_eq!(draft.loss.time.as_deref(), Some("07:45"));
        assert_eq!(draft.lob, Some(LineOfBusiness::PersonalAuto));
        assert_eq!(draft.policy_number.as_deref(), Some("PAU-IL-2026-20931"));
        assert_eq!(
            draft.loss.location.as_deref(),
            Some("Ogden Ave and Washington St, Naperville, IL")
        );
        let reporter = draft.reporter.as_ref().unwrap();
        assert_eq!(reporter.name.as_deref(), Some("Laura Novak"));
        assert_eq!(
            reporter.email.as_deref(),
            Some("laura.novak@mailbox.example")
        );
        // Her number, not the agent's in his signature, nor the other driver's.
        assert_eq!(reporter.phone.as_deref(), Some("630-555-0123"));
        let auto = draft.auto.as_ref().unwrap();
        assert_eq!(auto.other_parties.len(), 1);
        let other = &auto.other_parties[0];
        assert_eq!(other.name.as_deref(), Some("Greg Palmer"));
        assert_eq!(other.contact.as_deref(), Some("630-555-0188"));
        assert_eq!(other.vehicle.as_deref(), Some("grey Nissan Altima"));
        // "Nobody was hurt."
        assert!(auto.injured.is_empty(), "{:?}", auto.injured);
        assert!(!draft
            .loss
            .keywords
            .iter()
            .any(|k| k == "injury" || k == "hurt"));
        let v = &auto.vehicles[0];
        assert_eq!(v.vin.as_deref(), Some("4T1BB3EK5AU118081"));
        assert_eq!((v.year, v.make.as_deref()), (Some(2010), Some("Toyota")));
        assert_eq!(auto.police_report.as_deref(), Some("NPD-26-7714"));
        let note = &draft.notes[0];
        assert!(
            note.contains("[intake] Forwarded by Daniel Kowalski <dkowalski@prairieagency.example>: the notice is the message of 2026-11-16 from Laura Novak <laura.novak@mailbox.example>."),
            "{note}"
        );
        assert!(note.contains("Our policy is PAU-IL-2026-20931"), "{note}");
        let names: Vec<_> = draft
            .attachments
            .iter()
            .map(|a| a.file_name.as_str())
            .collect();
        assert_eq!(names, ["original.eml", "Accident on Ogden Ave.eml"]);
        assert_eq!(draft.attachments[1].kind.as_deref(), Some("email"));
    }

    #[test]
    fn an_inline_gmail_forward_is_read_without_its_header_block() {
        let draft = draft_from_eml(&client("fwd-inline-gmail.eml"), "gmail.eml").unwrap();
        let reporter = draft.reporter.as_ref().unwrap();
        assert_eq!(reporter.name.as_deref(), Some("Ray Dorsey"));
        assert_eq!(
            reporter.email.as_deref(),
            Some("ray.dorsey@mailbox.example")
        );
        // "last night" before the Tuesday evening he wrote; the header's 9:12 PM is no
        // time of loss.
        assert_eq!(draft.loss.date, Some(d(2026, 11, 16)));
        assert_eq!(draft.loss.time, None);
        assert_eq!(draft.lob, Some(LineOfBusiness::Property));
        assert_eq!(draft.policy_number.as_deref(), Some("HO-5551209"));
        // The policy number names no state; the text does.
        assert_eq!(draft.jurisdiction_read.as_deref(), Some("TX"));
        let p = draft.property.as_ref().unwrap();
        assert_eq!(
            p.property_address.as_deref(),
            Some("2208 Barton Hills Dr, Austin, TX 78704")
        );
        assert!(!draft.loss.keywords.iter().any(|k| k == "injury"));
        assert!(draft
            .loss
            .description
            .as_deref()
            .unwrap()
            .starts_with("hail damage: "));
    }

    #[test]
    fn a_latin1_quoted_printable_work_injury_names_the_employee() {
        let draft = draft_from_eml(&client("wc-latin1-qp.eml"), "wc.eml").unwrap();
        assert_eq!(draft.lob, Some(LineOfBusiness::WorkersComp));
        assert_eq!(draft.jurisdiction_read.as_deref(), Some("TX"));
        assert_eq!(draft.loss.date, Some(d(2026, 11, 16)));
        assert_eq!(draft.loss.time.as_deref(), Some("14:15"));
        let wc = draft.workers_comp.as_ref().unwrap();
        let e = wc.employee.as_ref().unwrap();
        assert_eq!(e.name.as_deref(), Some("Jos\u{e9} Pe\u{f1}a"));
        assert_eq!(e.id.as_deref(), Some("E-2207"));
        assert_eq!(e.job_title.as_deref(), Some("Sheet metal installer"));
        assert_eq!(wc.body_parts, ["hand"]);
        assert_eq!(wc.medical_treatment, Some(true));
        assert_eq!(wc.treating_physician.as_deref(), Some("Dr. Amy Chen"));
        assert!(draft.notes[0].contains("Work injury report - Jos\u{e9} Pe\u{f1}a"));
    }

    #[test]
    fn an_outlook_html_message_with_an_inline_image_is_a_glass_loss() {
        let draft = draft_from_eml(&client("glass-outlook-related.eml"), "o.eml").unwrap();
        assert_eq!(draft.lob, Some(LineOfBusiness::PersonalAuto));
        assert_eq!(draft.loss.cause.as_deref(), Some("glass"));
        let auto = draft.auto.as_ref().unwrap();
        assert!(auto.glass_only);
        assert!(auto.injured.is_empty());
        let v = &auto.vehicles[0];
        assert_eq!(v.vin.as_deref(), Some("1C4GJWAG3DL544796"));
        assert_eq!(
            (v.year, v.make.as_deref(), v.model.as_deref()),
            (Some(2013), Some("Jeep"), Some("Wrangler"))
        );
        assert_eq!(draft.loss.date, Some(d(2026, 11, 16)));
        assert_eq!(draft.loss.time.as_deref(), Some("16:30"));
        assert_eq!(
            draft.loss.location.as_deref(),
            Some("US-75 southbound near Spring Creek Parkway, Plano, TX")
        );
        assert_eq!(
            draft.reporter.as_ref().unwrap().phone.as_deref(),
            Some("972-555-0186")
        );
        assert!(draft
            .attachments
            .iter()
            .any(|a| a.file_name == "image001.png" && a.kind.as_deref() == Some("photo")));
    }

    #[test]
    fn negations_make_no_injuries_and_a_phone_goes_to_the_party_named() {
        let raw = b"From: Al Ruiz <al@x.example>\r\nSubject: car accident\r\nDate: Tue, 3 Nov 2026 09:00:00 -0600\r\n\r\nMy car was rear-ended on Route 9 yesterday. No injuries. The other driver's number is 512-555-0188; you can reach me at 512-555-0100.\r\n";
        let draft = draft_from_eml(raw, "x.eml").unwrap();
        let auto = draft.auto.as_ref().unwrap();
        assert!(auto.injured.is_empty());
        assert_eq!(
            draft.reporter.unwrap().phone.as_deref(),
            Some("512-555-0100")
        );
        assert_eq!(
            auto.other_parties[0].contact.as_deref(),
            Some("512-555-0188")
        );
        // An injury the writer affirms is an injured person to complete; "I" is the writer.
        let raw = b"From: Al Ruiz <al@x.example>\r\nSubject: car accident\r\nDate: Tue, 3 Nov 2026 09:00:00 -0600\r\n\r\nMy car was rear-ended yesterday and I hurt my neck. Call me at 512-555-0100.\r\n";
        let draft = draft_from_eml(raw, "x.eml").unwrap();
        let injured = &draft.auto.as_ref().unwrap().injured;
        assert_eq!(injured.len(), 1);
        assert_eq!(injured[0].name.as_deref(), Some("Al Ruiz"));
        assert_eq!(injured[0].contact.as_deref(), Some("512-555-0100"));
        assert!(injured[0]
            .description
            .as_deref()
            .unwrap()
            .contains("hurt my neck"));
        // A liability claimant's lawyer, denied: not represented.
        let raw = b"From: Store <s@x.example>\r\nSubject: slip and fall claim\r\nDate: Tue, 3 Nov 2026 09:00:00 -0600\r\n\r\nA customer slipped on our wet floor yesterday. She has not hired a lawyer.\r\n";
        let draft = draft_from_eml(raw, "x.eml").unwrap();
        assert_eq!(draft.liability.unwrap().represented, Some(false));
    }

    #[test]
    fn bad_vin_is_noted_not_recorded() {
        let raw = b"From: a@b.example\r\nSubject: car crash\r\nDate: Tue, 3 Nov 2026 09:00:00 +0000\r\n\r\nMy car was hit. VIN: JH4KA453XKD037671\r\n";
        let draft = draft_from_eml(raw, "x.eml").unwrap();
        assert!(draft.auto.as_ref().unwrap().vehicles.is_empty());
        assert!(
            draft.notes[0].contains("Possible VIN JH4KA453XKD037671 not recorded"),
            "{}",
            draft.notes[0]
        );
    }
}
