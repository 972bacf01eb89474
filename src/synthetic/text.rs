//! Text transforms that turn a sample record into a new one: every date moved by the same
//! number of days, and names, ids and addresses swapped all at once (so one replacement never
//! rewrites another's result). Pure.

use chrono::{Duration, NaiveDate};

/// Moves every `YYYY-MM-DD` in `text` (dates, and the date part of timestamps) by `days`.
/// Digit runs longer than a date (policy numbers, ids) are left alone.
pub fn shift_dates(text: &str, days: i64) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    while i + 10 <= b.len() {
        let shape = (0..4).all(|k| digit(i + k))
            && b[i + 4] == b'-'
            && digit(i + 5)
            && digit(i + 6)
            && b[i + 7] == b'-'
            && digit(i + 8)
            && digit(i + 9);
        let bounded = (i == 0 || !(digit(i - 1) || b[i - 1] == b'-')) && !digit(i + 10);
        if shape && bounded {
            if let Ok(d) = NaiveDate::parse_from_str(&text[i..i + 10], "%Y-%m-%d") {
                out.push_str(&text[last..i]);
                out.push_str(&(d + Duration::days(days)).format("%Y-%m-%d").to_string());
                i += 10;
                last = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[last..]);
    out
}

/// Replaces every `from` with its `to`, all at once: no replacement sees another's output.
pub fn replace_all(text: &str, pairs: &[(String, String)]) -> String {
    let pairs: Vec<&(String, String)> = pairs.iter().filter(|(f, _)| !f.is_empty()).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'scan: while i < text.len() {
        // The longest `from` starting here wins.
        let mut best: Option<&(String, String)> = None;
        for p in &pairs {
            if text[i..].starts_with(p.0.as_str()) && best.is_none_or(|b| p.0.len() > b.0.len()) {
                best = Some(p);
            }
        }
        if let Some((from, to)) = best {
            out.push_str(to);
            i += from.len();
            continue 'scan;
        }
        let ch = text[i..].chars().next().expect("inside the text");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

const FIRST: &[&str] = &[
    "Aaron", "Adriana", "Alicia", "Andre", "Beatriz", "Brian", "Carmen", "Chloe", "Daniel",
    "Deborah", "Elena", "Ethan", "Fatima", "Gabriel", "Grace", "Hector", "Imani", "Isaac",
    "Jasmine", "Jonah", "Keisha", "Kenji", "Laura", "Luis", "Maya", "Mohammed", "Nadia", "Nathan",
    "Olivia", "Omar", "Patricia", "Rafael", "Rebecca", "Samuel", "Sofia", "Tariq", "Teresa",
    "Victor", "Wei", "Yolanda",
];
const LAST: &[&str] = &[
    "Abernathy",
    "Alvarez",
    "Bennett",
    "Chen",
    "Coleman",
    "Dawson",
    "Delgado",
    "Edwards",
    "Fischer",
    "Garcia",
    "Haddad",
    "Hughes",
    "Iverson",
    "Jackson",
    "Kaplan",
    "Kowalski",
    "Lee",
    "Lindqvist",
    "Martin",
    "Mendoza",
    "Nakamura",
    "Nguyen",
    "Okonkwo",
    "Ortiz",
    "Patel",
    "Quinn",
    "Ramirez",
    "Reyes",
    "Sato",
    "Schmidt",
    "Shapiro",
    "Thompson",
    "Underwood",
    "Vargas",
    "Washington",
    "Weiss",
    "Xu",
    "Yamamoto",
    "Young",
    "Zimmerman",
];
const TRADE: &[&str] = &[
    "Apex",
    "Bluebonnet",
    "Cedar Ridge",
    "Delta",
    "Evergreen",
    "Frontier",
    "Granite",
    "Harbor",
    "Ironwood",
    "Keystone",
    "Lakeside",
    "Meridian",
    "Northgate",
    "Oakmont",
    "Pioneer",
    "Redwood",
    "Summit",
    "Trinity",
    "Union Square",
    "Westfield",
];
const KIND: &[&str] = &[
    "Logistics",
    "Dental Group",
    "Builders",
    "Cold Storage",
    "Fitness",
    "Accounting Partners",
    "Landscape Supply",
    "Mechanical Services",
    "Packing Co.",
    "Medical Imaging",
];
const ENTITY: &[&str] = &["LLC", "Inc.", "LLP", "Co."];

/// A person's name from `n` (any number: the caller's random draw).
pub fn person_name(n: u64) -> String {
    let first = FIRST[(n % FIRST.len() as u64) as usize];
    let last = LAST[((n / FIRST.len() as u64) % LAST.len() as u64) as usize];
    format!("{first} {last}")
}

/// A business name from `n`.
pub fn business_name(n: u64) -> String {
    let t = TRADE[(n % TRADE.len() as u64) as usize];
    let k = KIND[((n / 20) % KIND.len() as u64) as usize];
    let e = ENTITY[((n / 200) % ENTITY.len() as u64) as usize];
    format!("{t} {k} {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_and_numbers_that_only_look_alike_stay() {
        let text = "received_at: 2026-10-15T09:40:00-05:00\npolicy: HO-NY-2025-62201\nid: CLM-2610-RBZJ\non: 2026-12-31\nrun 12026-01-01 and 2026-01-012";
        assert_eq!(
            shift_dates(text, 1),
            "received_at: 2026-10-16T09:40:00-05:00\npolicy: HO-NY-2025-62201\nid: CLM-2610-RBZJ\non: 2027-01-01\nrun 12026-01-01 and 2026-01-012"
        );
        assert_eq!(shift_dates("2024-03-01", -1), "2024-02-29");
    }

    #[test]
    fn replacements_happen_at_once_longest_first() {
        let pairs = vec![
            ("lpark@x".to_string(), "mwebb@x".to_string()),
            ("mwebb@x".to_string(), "lpark@x".to_string()),
            ("Park".to_string(), "Webb".to_string()),
            ("Linda Park".to_string(), "Ana Ruiz".to_string()),
        ];
        assert_eq!(
            replace_all("lpark@x and mwebb@x; Linda Park, Park", &pairs),
            "mwebb@x and lpark@x; Ana Ruiz, Webb"
        );
    }

    #[test]
    fn names_are_spread_and_deterministic() {
        assert_eq!(person_name(0), "Aaron Abernathy");
        assert_eq!(person_name(41), "Adriana Alvarez");
        assert_ne!(person_name(7), person_name(8));
        assert_eq!(business_name(0), "Apex Logistics LLC");
    }
}
