//! Who a message names and how to reach them: the writer, the other driver, a witness, the
//! claimant, and for workers' compensation the employee; and the state a place is in.
//!
//! A phone number belongs to the party its clause names — "the other driver's number is
//! ...", "a witness, Ann Lee, can be reached at ...", "you can reach me at ..." — and a number
//! whose clause names nobody (a signature line, `Phone: ...`) is the writer's.

use crate::domain::claim::Party;
use crate::domain::fnol::{Employee, OtherParty, Witness};

use super::{as_name, find_word_from, truncate_chars, unwrap_lines, US_STATES};

/// Whose a phone number is, by the words of its clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Whose {
    OtherParty,
    Witness,
    Claimant,
    Writer,
    Unsaid,
}

/// Words that name the other party to an auto loss.
const OTHER_PARTY: &[&str] = &[
    "other driver",
    "other party",
    "other vehicle",
    "other car",
    "other motorist",
    "driver who hit",
    "at-fault driver",
    "at fault driver",
];
const WITNESS: &[&str] = &["witness", "witnessed", "bystander"];
/// Who claims against the insured (liability).
const CLAIMANT: &[&str] = &[
    "claimant", "customer", "member", "guest", "visitor", "patron", "tenant", "client",
];
/// The writer speaking of themselves.
const WRITER: &[&str] = &["me", "my", "i", "i'm", "myself", "us", "our", "we", "mine"];

/// The contacts one text gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contacts {
    /// The writer's number: first-person clauses, else one whose clause names nobody.
    pub writer_phone: Option<String>,
    pub other_party: Option<OtherParty>,
    pub witness: Option<Witness>,
    pub claimant: Option<Party>,
}

/// Reads the contacts of `text`. Only a liability notice has a claimant (elsewhere "our
/// customer" is no party to the loss).
pub fn contacts(text: &str, liability: bool) -> Contacts {
    let text = unwrap_lines(text);
    let lower = text.to_ascii_lowercase();
    let mut c = Contacts::default();
    let mut unsaid = None;
    let mut other_phone = None;
    let mut witness_phone = None;
    let mut claimant_phone = None;
    for (at, phone) in phones(&text) {
        let clause = clause_around(&lower, at);
        let slot = match whose(clause, liability) {
            Whose::OtherParty => &mut other_phone,
            Whose::Witness => &mut witness_phone,
            Whose::Claimant => &mut claimant_phone,
            Whose::Writer => &mut c.writer_phone,
            Whose::Unsaid => &mut unsaid,
        };
        slot.get_or_insert(phone);
    }
    if c.writer_phone.is_none() {
        c.writer_phone = unsaid;
    }
    let other = OtherParty {
        name: named_after(&text, OTHER_PARTY),
        contact: other_phone,
        vehicle: other_vehicle(&text),
        ..OtherParty::default()
    };
    if other != OtherParty::default() {
        c.other_party = Some(other);
    }
    let witness_name = named_after(&text, WITNESS);
    if witness_name.is_some() || witness_phone.is_some() {
        c.witness = Some(Witness {
            name: witness_name,
            contact: witness_phone,
        });
    }
    let claimant_name = liability.then(|| named_after(&text, CLAIMANT)).flatten();
    if claimant_name.is_some() || claimant_phone.is_some() {
        c.claimant = Some(Party {
            name: claimant_name,
            phone: claimant_phone,
            ..Party::default()
        });
    }
    c
}

fn whose(clause: &str, liability: bool) -> Whose {
    let any = |words: &[&str]| words.iter().any(|w| find_word_from(clause, w, 0).is_some());
    if any(OTHER_PARTY) {
        Whose::OtherParty
    } else if any(WITNESS) {
        Whose::Witness
    } else if liability && any(CLAIMANT) {
        Whose::Claimant
    } else if any(WRITER) || clause.contains("you can reach") || clause.contains("call back") {
        Whose::Writer
    } else {
        Whose::Unsaid
    }
}

/// The clause of `lower` that holds byte `at`: between sentence ends, `;` and paragraph
/// breaks.
fn clause_around(lower: &str, at: usize) -> &str {
    let is_end = |c: char| matches!(c, ';' | '!' | '?' | '\n');
    let start = lower[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_end(c) || (c == '.' && lower[i + 1..].starts_with(' ')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = lower[at..]
        .char_indices()
        .find(|&(i, c)| is_end(c) || (c == '.' && lower[at + i + 1..].starts_with([' ', '\n'])))
        .map_or(lower.len(), |(i, _)| at + i);
    &lower[start..end]
}

/// US phone numbers and where each starts: a run of digits and the separators
/// `( ) - . space +`, not glued to a letter or digit, holding 10 digits (or 11 starting with
/// 1): `(217) 555-0142`, `713.555.0199`, `+1 512 555 0100`, `5125550100`. Written back as
/// `217-555-0142`.
pub fn phones(text: &str) -> Vec<(usize, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let boundary = i == 0 || !chars[i - 1].1.is_alphanumeric();
        if (c.is_ascii_digit() || c == '(' || c == '+') && boundary {
            let mut j = i;
            let mut digits = String::new();
            let mut last_digit = i;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    digits.push(d);
                    last_digit = j;
                } else if !matches!(d, '(' | ')' | '-' | '.' | ' ' | '+') {
                    break;
                }
                if digits.len() > 11 {
                    break;
                }
                j += 1;
            }
            let glued = chars
                .get(last_digit + 1)
                .is_some_and(|(_, c)| c.is_alphanumeric() || *c == '/' || *c == ':');
            let digits = match digits.len() {
                11 if digits.starts_with('1') => digits[1..].to_string(),
                10 => digits,
                _ => String::new(),
            };
            if !digits.is_empty() && !glued && !digits.starts_with(['0', '1']) {
                out.push((
                    chars[i].0,
                    format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]),
                ));
                i = last_digit + 1;
                continue;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// A name written right after one of `words`: "the other driver, Greg Palmer, ...", "a
/// witness (Ann Lee)", "the other driver's name is Greg Palmer", "our customer Dana Kim".
fn named_after(text: &str, words: &[&str]) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for w in words {
        let mut from = 0;
        while let Some(at) = find_word_from(&lower, w, from) {
            from = at + w.len();
            let mut rest = &text[from..];
            for lead in [
                "'s name is ",
                "\u{2019}s name is ",
                "'s name was ",
                " named ",
                " name is ",
                " is ",
                " was ",
                ", ",
                " (",
                ": ",
                " ",
            ] {
                if let Some(r) = rest.strip_prefix(lead) {
                    rest = r;
                    break;
                }
            }
            let clause = rest.split(['(', ')', ';', ':', '\n']).next().unwrap_or("");
            if let Some(name) = as_name(clause) {
                return Some(name);
            }
        }
    }
    None
}

/// The other party's vehicle: "was in a grey Nissan Altima", "driving a blue pickup".
fn other_vehicle(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = OTHER_PARTY
        .iter()
        .filter_map(|w| find_word_from(&lower, w, 0))
        .min()?;
    let sentence_end = lower[at..]
        .find([';', '.', '\n'])
        .map_or(lower.len(), |i| at + i);
    for lead in [" driving a ", " driving an ", " in a ", " in an "] {
        if let Some(i) = lower[at..sentence_end].find(lead) {
            let start = at + i + lead.len();
            let phrase = text[start..sentence_end]
                .split([',', ')'])
                .next()
                .unwrap_or("")
                .trim();
            if !phrase.is_empty() {
                return Some(truncate_chars(phrase, 60));
            }
        }
    }
    None
}

/// The injured employee of a workers' compensation notice: labelled lines (`Employee:`,
/// `Employee ID:`, `Job title:`, `Position:`, ...) first, then as written in a sentence
/// ("our employee, José Peña (ID E-2207), a sheet metal installer, ...", "employee #4471",
/// "works as a forklift operator").
pub fn employee(text: &str) -> Option<Employee> {
    const NAME: &[&str] = &[
        "employee name:",
        "name of employee:",
        "injured employee:",
        "injured worker:",
        "employee:",
        "worker:",
    ];
    const ID: &[&str] = &[
        "employee id:",
        "employee #:",
        "employee number:",
        "employee no.:",
        "employee no:",
        "badge number:",
        "id:",
    ];
    const TITLE: &[&str] = &["job title:", "title:", "position:", "occupation:", "job:"];
    let mut e = Employee::default();
    for line in text.lines() {
        let trimmed = line.trim();
        let lower = trimmed.to_ascii_lowercase();
        let value = |labels: &[&str]| {
            labels
                .iter()
                .find(|l| lower.starts_with(*l))
                .map(|l| trimmed[l.len()..].trim())
                .filter(|v| !v.is_empty())
        };
        if let Some(v) = value(ID) {
            e.id.get_or_insert_with(|| id_token(v).unwrap_or(v).to_string());
        } else if let Some(v) = value(TITLE) {
            e.job_title
                .get_or_insert_with(|| truncate_chars(v.trim_end_matches('.'), 60));
        } else if let Some(v) = value(NAME) {
            if let Some(n) = as_name(v) {
                e.name.get_or_insert(n);
            }
        }
    }
    let flat = unwrap_lines(text);
    let lower = flat.to_ascii_lowercase();
    if e.name.is_none() {
        e.name = named_after(
            &flat,
            &["our employee", "employee", "injured worker", "worker"],
        );
    }
    if e.id.is_none() {
        for cue in [
            "employee id",
            "employee #",
            "employee number",
            "employee no",
            "(id",
            "id #",
            "id number",
        ] {
            let mut from = 0;
            while let Some(i) = lower[from..].find(cue) {
                let after = &flat[from + i + cue.len()..];
                let token = after
                    .trim_start_matches([' ', ':', '#', '.'])
                    .trim_start_matches("is ")
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                if let Some(id) = id_token(token) {
                    e.id = Some(id.to_string());
                    break;
                }
                from += i + cue.len();
            }
            if e.id.is_some() {
                break;
            }
        }
    }
    if e.job_title.is_none() {
        e.job_title = job_title(&flat, e.name.as_deref());
    }
    (e != Employee::default()).then_some(e)
}

/// The treating physician: "Dr. Amy Chen", "Dr Amy Chen".
pub fn physician(text: &str) -> Option<String> {
    let flat = unwrap_lines(text);
    for cue in ["Dr. ", "Dr "] {
        for (i, _) in flat.match_indices(cue) {
            if let Some(name) = as_name(&flat[i + cue.len()..]) {
                return Some(format!("Dr. {name}"));
            }
        }
    }
    None
}

/// An id as written: letters, digits and `-`, with at least one digit (`E-2207`, `4471`).
fn id_token(t: &str) -> Option<&str> {
    let t = t.trim_end_matches([',', '.', ';', ')', ':']);
    (t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && t.len() <= 20)
        .then_some(t)
}

/// "works as a forklift operator", "job title is X", or the apposition after the employee's
/// name ("José Peña, a sheet metal installer, ...").
fn job_title(flat: &str, name: Option<&str>) -> Option<String> {
    let lower = flat.to_ascii_lowercase();
    let phrase = |start: usize| -> Option<String> {
        let rest = &flat[start..];
        let end = rest.find([',', '.', ';', '(', '\n']).unwrap_or(rest.len());
        let p = rest[..end].trim();
        (!p.is_empty() && p.split_whitespace().count() <= 5).then(|| p.to_string())
    };
    for cue in [
        "works as an ",
        "works as a ",
        "working as an ",
        "working as a ",
        "job title is ",
        "position is ",
        "employed as an ",
        "employed as a ",
    ] {
        if let Some(i) = lower.find(cue) {
            if let Some(p) = phrase(i + cue.len()) {
                return Some(p);
            }
        }
    }
    let name = name?;
    let i = flat.find(name)? + name.len();
    let rest = &flat[i..];
    // Skip "(ID E-2207)" after the name.
    let rest = match rest.trim_start().strip_prefix('(') {
        Some(r) => r.split_once(')').map_or("", |(_, after)| after),
        None => rest,
    };
    let lead = [", a ", ", an ", " is a ", " is an "]
        .iter()
        .find(|l| rest.to_ascii_lowercase().starts_with(*l))?;
    let start = flat.len() - rest.len() + lead.len();
    phrase(start)
}

/// The first US state a text names after a place: `Austin, TX`, `Austin, TX 78704`,
/// `Plano, Texas`, or a `State: TX` line.
pub fn state_in(text: &str) -> Option<String> {
    for line in text.lines() {
        let l = line.trim();
        if let Some(v) = l
            .strip_prefix("State:")
            .or_else(|| l.strip_prefix("state:"))
        {
            let v = v.trim().to_ascii_uppercase();
            if US_STATES.contains(&v.as_str()) {
                return Some(v);
            }
        }
    }
    let flat = unwrap_lines(text);
    let bytes = flat.as_bytes();
    let mut found: Vec<(usize, String)> = Vec::new();
    for (i, _) in flat.match_indices(", ") {
        let after_place = flat[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphabetic());
        if !after_place {
            continue;
        }
        let start = i + 2;
        let code = flat.get(start..start + 2).unwrap_or("");
        let ends = bytes
            .get(start + 2)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if ends && US_STATES.contains(&code) {
            found.push((start, code.to_string()));
            continue;
        }
        let rest = &flat[start..];
        if let Some((_, code)) = STATE_NAMES.iter().find(|(n, _)| {
            rest.starts_with(n)
                && rest[n.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        }) {
            found.push((start, code.to_string()));
        }
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, s)| s)
}

const STATE_NAMES: &[(&str, &str)] = &[
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("District of Columbia", "DC"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_belongs_to_the_party_its_sentence_names() {
        let c = contacts(
            "The other driver, Greg Palmer, was in a grey Nissan Altima; the other \
             driver's number is (630) 555-0188. A witness, Ann Lee, saw it all: (630) \
             555-0177.\n\nYou can reach me at (630) 555-0123.",
            false,
        );
        assert_eq!(c.writer_phone.as_deref(), Some("630-555-0123"));
        let other = c.other_party.unwrap();
        assert_eq!(other.name.as_deref(), Some("Greg Palmer"));
        assert_eq!(other.contact.as_deref(), Some("630-555-0188"));
        assert_eq!(other.vehicle.as_deref(), Some("grey Nissan Altima"));
        let w = c.witness.unwrap();
        assert_eq!(w.name.as_deref(), Some("Ann Lee"));
        assert_eq!(w.contact.as_deref(), Some("630-555-0177"));
    }

    #[test]
    fn an_unmarked_number_is_the_writers_and_the_order_does_not_matter() {
        let c = contacts(
            "(512) 555-0188 is the other driver's cell.\n\nThanks,\nAl Ruiz\n512-555-0100",
            false,
        );
        assert_eq!(c.writer_phone.as_deref(), Some("512-555-0100"));
        assert_eq!(
            c.other_party.unwrap().contact.as_deref(),
            Some("512-555-0188")
        );
        let c = contacts("Call me at 217.555.0142", false);
        assert_eq!(c.writer_phone.as_deref(), Some("217-555-0142"));
        assert!(c.other_party.is_none() && c.witness.is_none());
        let text = "The customer, Dana Kim, left her number: (914) 555-0111.";
        let c = contacts(text, true);
        let claimant = c.claimant.unwrap();
        assert_eq!(claimant.name.as_deref(), Some("Dana Kim"));
        assert_eq!(claimant.phone.as_deref(), Some("914-555-0111"));
        assert_eq!(c.writer_phone, None);
        // Outside a liability claim a customer is no party: the number is the writer's.
        let c = contacts(
            "As a customer for years, you can reach me at 914-555-0111.",
            false,
        );
        assert_eq!(c.writer_phone.as_deref(), Some("914-555-0111"));
        assert!(c.claimant.is_none());
    }

    #[test]
    fn phones_are_found_with_their_positions() {
        let found = phones("call (217) 555-0142 or +1 512 555 0100; VIN 1C4GJWAG3DL544796");
        let numbers: Vec<&str> = found.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(numbers, ["217-555-0142", "512-555-0100"]);
        assert_eq!(found[0].0, 5);
        assert!(phones("policy PAU-IL-2026-20931 on 11/02/2026").is_empty());
    }

    #[test]
    fn the_employee_is_read_from_labels_or_sentences() {
        let e = employee(
            "Employee: José Peña\nEmployee ID: E-2207\nJob title: Sheet metal installer\n",
        )
        .unwrap();
        assert_eq!(e.name.as_deref(), Some("José Peña"));
        assert_eq!(e.id.as_deref(), Some("E-2207"));
        assert_eq!(e.job_title.as_deref(), Some("Sheet metal installer"));
        let e = employee("Our employee, Dana Ortiz (ID 4471), a forklift operator, hurt her back.")
            .unwrap();
        assert_eq!(e.name.as_deref(), Some("Dana Ortiz"));
        assert_eq!(e.id.as_deref(), Some("4471"));
        assert_eq!(e.job_title.as_deref(), Some("forklift operator"));
        let e = employee("Mark Hill, employee #5120, works as a welder at our plant.").unwrap();
        assert_eq!(e.id.as_deref(), Some("5120"));
        assert_eq!(e.job_title.as_deref(), Some("welder at our plant"));
        assert_eq!(employee("The roof leaks."), None);
    }

    #[test]
    fn the_treating_physician_is_the_doctor_named() {
        assert_eq!(
            physician("where Dr. Amy Chen closed the cut").as_deref(),
            Some("Dr. Amy Chen")
        );
        assert_eq!(physician("no doctor yet"), None);
    }

    #[test]
    fn a_state_is_read_after_a_place() {
        assert_eq!(
            state_in("at 2208 Barton Hills Dr, Austin, TX 78704").as_deref(),
            Some("TX")
        );
        assert_eq!(
            state_in("near Spring Creek Parkway, Plano,\nTX. VIN").as_deref(),
            Some("TX")
        );
        assert_eq!(
            state_in("we live in Plano, Texas now").as_deref(),
            Some("TX")
        );
        assert_eq!(state_in("State: il\n").as_deref(), Some("IL"));
        assert_eq!(state_in("Thanks, OKAY then"), None);
        assert_eq!(state_in("Hi, I was hit"), None);
    }
}
