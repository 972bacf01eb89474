//! Validation of single answers in the phone script. Each parser takes the trimmed answer and
//! returns the normalised value, or the reason (plain words, for the caller) it is refused.

use chrono::{Datelike, Local, NaiveDate};

use crate::domain::claim::LineOfBusiness;
use crate::domain::fnol::PropertyLossType;
use crate::domain::money::Money;

/// `YYYY-MM-DD` or `MM/DD/YYYY` (also `M/D/YYYY`); not in the future (one day of slack for
/// time zones) and not before 1900.
pub fn date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    let parsed = if s.contains('/') {
        NaiveDate::parse_from_str(s, "%m/%d/%Y").ok().filter(|_| {
            // chrono accepts a 2-digit year for %Y; insist on four digits.
            s.rsplit('/').next().is_some_and(|y| y.len() == 4)
        })
    } else {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    };
    let d = parsed.ok_or_else(|| {
        "not a date: use YYYY-MM-DD (2024-03-15) or MM/DD/YYYY (03/15/2024)".to_string()
    })?;
    let latest = Local::now().date_naive() + chrono::Days::new(1);
    if d > latest {
        return Err(format!("{d} is in the future"));
    }
    if d.year() < 1900 {
        return Err(format!("{d} is too far in the past"));
    }
    Ok(d)
}

/// `HH:MM` (24-hour), `H:MM am/pm`, `5pm`, `1730`; normalised to `HH:MM`.
pub fn time(s: &str) -> Result<String, String> {
    let bad =
        || format!("not a time: use HH:MM on the 24-hour clock (17:30) or 5:30 pm, not {s:?}");
    let compact: String = s
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    let (body, meridiem) = if let Some(b) = compact.strip_suffix("am").or(compact.strip_suffix('a'))
    {
        (b, Some(false))
    } else if let Some(b) = compact.strip_suffix("pm").or(compact.strip_suffix('p')) {
        (b, Some(true))
    } else {
        (compact.as_str(), None)
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if meridiem.is_some() && (1..=2).contains(&body.len()) => (body, "00"),
        None if meridiem.is_none() && body.len() == 4 => body.split_at(2),
        None => return Err(bad()),
    };
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m > 59 {
        return Err(bad());
    }
    let h = match meridiem {
        None if h <= 23 => h,
        Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
        _ => return Err(bad()),
    };
    Ok(format!("{h:02}:{m:02}"))
}

/// Y/N.
pub fn yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(true),
        "n" | "no" => Ok(false),
        _ => Err("answer y (yes) or n (no)".to_string()),
    }
}

/// A US phone number: 10 digits (a leading 1 or +1 allowed), normalised to
/// `+1 312 555 0134`.
pub fn phone(s: &str) -> Result<String, String> {
    let s = s.trim();
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_digit() || " -.()+".contains(*c)))
    {
        return Err(format!(
            "'{c}' does not belong in a phone number: give the 10-digit US number"
        ));
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        10 => &digits[..],
        n => {
            return Err(format!(
                "a US phone number has 10 digits (area code first), this one has {n}"
            ))
        }
    };
    let (area, rest) = digits.split_at(3);
    let (exchange, line) = rest.split_at(3);
    if area.starts_with(['0', '1']) {
        return Err(format!("area code {area} cannot start with 0 or 1"));
    }
    if exchange.starts_with(['0', '1']) {
        return Err(format!("the exchange {exchange} cannot start with 0 or 1"));
    }
    Ok(format!("+1 {area} {exchange} {line}"))
}

/// An e-mail address: one `@`, something before it, a dotted domain after it, no spaces.
pub fn email(s: &str) -> Result<String, String> {
    let s = s.trim();
    let bad = |why: &str| format!("not an e-mail address ({why})");
    if s.chars().any(char::is_whitespace) {
        return Err(bad("it contains a space"));
    }
    let (local, domain) = s.split_once('@').ok_or_else(|| bad("no @"))?;
    if local.is_empty() || domain.contains('@') {
        return Err(bad("it needs exactly one @ with a name before it"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Err(bad("the part after @ must be a domain like example.com"));
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// How to reach someone: an e-mail address if the answer has an `@`, else a US phone number.
pub enum Contact {
    Phone(String),
    Email(String),
}

impl Contact {
    pub fn as_str(&self) -> &str {
        match self {
            Contact::Phone(s) | Contact::Email(s) => s,
        }
    }
}

pub fn contact(s: &str) -> Result<Contact, String> {
    if s.contains('@') {
        email(s).map(Contact::Email)
    } else {
        phone(s)
            .map(Contact::Phone)
            .map_err(|e| format!("{e} (or give an e-mail address)"))
    }
}

/// A whole number in `min..=max`.
pub fn count(s: &str, min: usize, max: usize) -> Result<usize, String> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("give a number from {min} to {max}"))?;
    if n < min || n > max {
        return Err(format!("give a number from {min} to {max}"));
    }
    Ok(n)
}

/// A model year: four digits, 1900 to next year + 1 (new models go on sale early).
pub fn model_year(s: &str) -> Result<i32, String> {
    let max = Local::now().year() + 2;
    let y: i32 = s
        .trim()
        .parse()
        .ok()
        .filter(|y| (1900..=max).contains(y))
        .ok_or_else(|| format!("give the model year, four digits from 1900 to {max}"))?;
    Ok(y)
}

/// Money: `1250`, `1,250.00`, `$1,250.00`; not negative.
pub fn money(s: &str) -> Result<Money, String> {
    let m: Money = s.trim().parse().map_err(|e| format!("{e}"))?;
    if m.is_negative() {
        return Err("the amount cannot be negative".to_string());
    }
    Ok(m)
}

/// A two-letter US state or territory code.
pub fn state(s: &str) -> Result<String, String> {
    const STATES: &[&str] = &[
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
        "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
        "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
    ];
    let up = s.trim().to_ascii_uppercase();
    if STATES.contains(&up.as_str()) {
        Ok(up)
    } else {
        Err("give the two-letter state code (IL, TX, NY, ...)".to_string())
    }
}

/// A line of business by menu number (1-based, in [`LineOfBusiness::ALL`] order) or name.
pub fn line_of_business(s: &str) -> Result<LineOfBusiness, String> {
    let t = s.trim().to_ascii_lowercase().replace('\'', "");
    if let Ok(n) = t.parse::<usize>() {
        return n
            .checked_sub(1)
            .and_then(|i| LineOfBusiness::ALL.get(i).copied())
            .ok_or_else(|| format!("pick a number from 1 to {}", LineOfBusiness::ALL.len()));
    }
    let t = t.replace("compensation", "comp");
    let alias = match t.as_str() {
        "wc" | "workers comp" | "workers_comp" | "workerscomp" => Some(LineOfBusiness::WorkersComp),
        "gl" => Some(LineOfBusiness::GeneralLiability),
        "pl" | "e&o" | "errors and omissions" => Some(LineOfBusiness::ProfessionalLiability),
        "home" | "homeowners" => Some(LineOfBusiness::Property),
        _ => None,
    };
    if let Some(l) = alias.or_else(|| LineOfBusiness::parse(&t)) {
        return Ok(l);
    }
    if t == "auto" || t == "liability" {
        return Err(format!(
            "{t}: personal or commercial? pick a number from the list"
        ));
    }
    Err("pick a number from the list or type a name such as personal_auto".to_string())
}

/// A property loss type by menu number (1-based) or name.
pub fn property_loss_type(s: &str) -> Result<PropertyLossType, String> {
    use PropertyLossType::*;
    const TYPES: [PropertyLossType; 6] = [Fire, Water, Wind, Theft, Vandalism, Other];
    let t = s.trim().to_ascii_lowercase();
    if let Ok(n) = t.parse::<usize>() {
        return n
            .checked_sub(1)
            .and_then(|i| TYPES.get(i).copied())
            .ok_or_else(|| "pick a number from 1 to 6".to_string());
    }
    TYPES
        .into_iter()
        .find(|ty| property_loss_type_name(*ty) == t)
        .ok_or_else(|| "one of fire, water, wind, theft, vandalism, other".to_string())
}

pub fn property_loss_type_name(t: PropertyLossType) -> &'static str {
    match t {
        PropertyLossType::Fire => "fire",
        PropertyLossType::Water => "water",
        PropertyLossType::Wind => "wind",
        PropertyLossType::Theft => "theft",
        PropertyLossType::Vandalism => "vandalism",
        PropertyLossType::Other => "other",
    }
}

/// A comma-separated list with at least one item.
pub fn list(s: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = s
        .split([',', ';'])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if items.is_empty() {
        return Err("give at least one, separated by commas".to_string());
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        assert_eq!(date("2024-03-15"), Ok(d));
        assert_eq!(date("03/15/2024"), Ok(d));
        assert_eq!(date("3/15/2024"), Ok(d));
        assert!(date("15/03/2024").is_err());
        assert!(date("03/15/24").is_err());
        assert!(date("2024-02-30").is_err());
        assert!(date("2999-01-01").unwrap_err().contains("future"));
        assert!(date("yesterday").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(time("17:30").unwrap(), "17:30");
        assert_eq!(time("5:30 pm").unwrap(), "17:30");
        assert_eq!(time("5:30 P.M.").unwrap(), "17:30");
        assert_eq!(time("12:05 am").unwrap(), "00:05");
        assert_eq!(time("12 pm").unwrap(), "12:00");
        assert_eq!(time("9am").unwrap(), "09:00");
        assert_eq!(time("0815").unwrap(), "08:15");
        assert_eq!(time("7:05").unwrap(), "07:05");
        assert!(time("24:00").is_err());
        assert!(time("13:00 pm").is_err());
        assert!(time("5:3").is_err());
        assert!(time("noon").is_err());
    }

    #[test]
    fn phones_and_emails() {
        assert_eq!(phone("(312) 555-0134").unwrap(), "+1 312 555 0134");
        assert_eq!(phone("+1 312.555.0134").unwrap(), "+1 312 555 0134");
        assert_eq!(phone("13125550134").unwrap(), "+1 312 555 0134");
        assert!(phone("555-0134").unwrap_err().contains("7"));
        assert!(phone("012 555 0134").is_err());
        assert!(phone("312 555 01x4").is_err());
        assert_eq!(email("Ann@Example.COM").unwrap(), "Ann@example.com");
        assert!(email("ann@example").is_err());
        assert!(email("ann example.com").is_err());
        assert!(matches!(contact("a@b.co"), Ok(Contact::Email(_))));
        assert!(matches!(contact("312 555 0134"), Ok(Contact::Phone(_))));
    }

    #[test]
    fn menus_and_numbers() {
        assert_eq!(line_of_business("1"), Ok(LineOfBusiness::PersonalAuto));
        assert_eq!(line_of_business("6"), Ok(LineOfBusiness::WorkersComp));
        assert_eq!(
            line_of_business("Workers' Compensation"),
            Ok(LineOfBusiness::WorkersComp)
        );
        assert_eq!(
            line_of_business("general liability"),
            Ok(LineOfBusiness::GeneralLiability)
        );
        assert!(line_of_business("7").is_err());
        assert!(line_of_business("auto").is_err());
        assert_eq!(property_loss_type("2"), Ok(PropertyLossType::Water));
        assert_eq!(property_loss_type("Theft"), Ok(PropertyLossType::Theft));
        assert!(property_loss_type("flood").is_err());
        assert_eq!(count("2", 1, 20), Ok(2));
        assert!(count("0", 1, 20).is_err());
        assert!(count("two", 1, 20).is_err());
        assert_eq!(money("$1,250.50").unwrap().to_string(), "1250.50");
        assert!(money("12.345").is_err());
        assert!(money("-5").is_err());
        assert_eq!(state("il").unwrap(), "IL");
        assert!(state("XX").is_err());
        assert_eq!(
            list("neck, lower back,").unwrap(),
            vec!["neck".to_string(), "lower back".to_string()]
        );
    }
}
