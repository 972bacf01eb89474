//! Vehicle identification numbers (49 CFR 565).
//!
//! A [`Vin`] is always 17 upper-case characters from the VIN alphabet (digits and letters
//! other than I, O and Q). Its check digit (position 9) is correct unless the value was made
//! with [`Vin::parse_unchecked_digit`], the user's explicit override for the real vehicles
//! (some non-US market and a few recent models) whose VIN fails the check.
//!
//! `Vin` has no serde implementation on purpose: the claim record stores the VIN as a plain
//! `String`, so a hand-edited file with a mistyped VIN still loads, and the record checker
//! reports the problem by calling [`Vin::parse`] (or [`Vin::parse_unchecked_digit`] when the
//! claim records the override) and showing the [`VinError`].

use std::fmt;
use std::str::FromStr;

/// The number of characters in a VIN.
pub const VIN_LENGTH: usize = 17;

/// Weights of the 17 positions for the check digit (position 9 weighs 0).
const WEIGHTS: [u32; VIN_LENGTH] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// Why a string is not an acceptable VIN. The messages are meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VinError {
    /// Not 17 characters (after trimming surrounding spaces).
    #[error("a VIN has 17 characters, this one has {found}")]
    Length { found: usize },
    /// A character outside the VIN alphabet; `position` counts from 1.
    #[error(
        "character '{character}' at position {position} is not allowed in a VIN{}",
        illegal_hint(*.character)
    )]
    IllegalCharacter { position: usize, character: char },
    /// Position 9 does not match the check digit computed from the other 16 characters.
    #[error(
        "check digit (position 9) is '{found}' but the other characters give '{expected}': \
         look for a typo, or record the VIN with the check-digit override if the vehicle \
         really carries this number"
    )]
    CheckDigit { expected: char, found: char },
}

fn illegal_hint(c: char) -> &'static str {
    match c {
        'I' | 'i' => " (the letter I is never used; did you mean the digit 1?)",
        'O' | 'o' | 'Q' | 'q' => " (the letters O and Q are never used; did you mean the digit 0?)",
        _ => " (only digits and the letters A-Z except I, O and Q)",
    }
}

/// A vehicle identification number: 17 characters, upper case, validated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Vin(String);

/// The value a character contributes to the check-digit sum, or `None` if it is not in the
/// VIN alphabet.
fn transliterate(c: char) -> Option<u32> {
    Some(match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => return None,
    })
}

/// The check digit of 17 characters already known to be in the VIN alphabet.
fn compute_check_digit(vin: &str) -> char {
    let sum: u32 = vin
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| transliterate(c).unwrap_or(0) * w)
        .sum();
    match sum % 11 {
        10 => 'X',
        d => char::from_digit(d, 10).unwrap_or('0'),
    }
}

impl Vin {
    /// Parses a VIN: trims surrounding whitespace, upper-cases, then checks the length, the
    /// alphabet and the check digit, in that order.
    pub fn parse(s: &str) -> Result<Vin, VinError> {
        let vin = Self::parse_unchecked_digit(s)?;
        vin.validate()?;
        Ok(vin)
    }

    /// Like [`Vin::parse`] but accepts a wrong check digit: the user's explicit override for a
    /// real vehicle whose VIN fails the check. Length and alphabet are still required.
    pub fn parse_unchecked_digit(s: &str) -> Result<Vin, VinError> {
        let upper = s.trim().to_uppercase();
        let found = upper.chars().count();
        if found != VIN_LENGTH {
            return Err(VinError::Length { found });
        }
        if let Some((i, character)) = upper
            .chars()
            .enumerate()
            .find(|&(_, c)| transliterate(c).is_none())
        {
            return Err(VinError::IllegalCharacter {
                position: i + 1,
                character,
            });
        }
        Ok(Vin(upper))
    }

    /// Checks the check digit (position 9). Always `Ok` for a VIN made by [`Vin::parse`]; for
    /// one made by [`Vin::parse_unchecked_digit`] it says whether the override was needed.
    pub fn validate(&self) -> Result<(), VinError> {
        let expected = compute_check_digit(&self.0);
        let found = self.0.as_bytes()[8] as char;
        if expected == found {
            Ok(())
        } else {
            Err(VinError::CheckDigit { expected, found })
        }
    }

    /// The VIN as written: 17 upper-case characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The world manufacturer identifier: the first three characters.
    pub fn wmi(&self) -> &str {
        &self.0[..3]
    }

    /// The model-year code at position 10 and the years it can stand for, earliest first
    /// (the code repeats every 30 years: A is 1980 and 2010, Y is 2000 and 2030, 1-9 are
    /// 2001-2009 and 2031-2039); `None` for a code that is never used (I, O, Q, U, Z, 0).
    fn model_year_code(&self) -> Option<(char, i32)> {
        const CODES: &[u8; 30] = b"ABCDEFGHJKLMNPRSTVWXY123456789";
        let code = self.0.as_bytes()[9];
        let index = CODES.iter().position(|&c| c == code)?;
        Some((code as char, 1980 + index as i32))
    }

    /// The model year encoded at position 10, for a vehicle reported when `latest` is the
    /// latest model year on sale (next year: a vehicle is never more than one model year
    /// ahead of the calendar), or `None` for a code that is never used.
    ///
    /// Which 30-year cycle: as NHTSA decodes passenger cars, MPVs and light trucks (49 CFR
    /// 565.15), a digit at position 7 selects 1980-2009 and a letter 2010-2039, and that rule
    /// is followed where it can apply. It cannot where it gives a year after `latest` (heavier
    /// vehicles and some makers outside North America do not follow it); then the code's year
    /// is the nearest one not after `latest`.
    pub fn model_year(&self, latest: i32) -> Option<i32> {
        let (_, earliest) = self.model_year_code()?;
        let by_position_7 = if self.0.as_bytes()[6].is_ascii_alphabetic() {
            earliest + 30
        } else {
            earliest
        };
        if by_position_7 <= latest {
            return Some(by_position_7);
        }
        (latest >= earliest).then(|| earliest + (latest - earliest) / 30 * 30)
    }

    /// Why the vehicle reported as model year `reported` does not match this VIN, or `None`
    /// when it does (or the VIN carries no model-year code). `latest` as for
    /// [`Vin::model_year`]. The message names the code, the year it decodes to and, when the
    /// reported year is the code's year in the other 30-year cycle, says so.
    pub fn model_year_mismatch(&self, reported: i32, latest: i32) -> Option<String> {
        let decoded = self.model_year(latest)?;
        if decoded == reported {
            return None;
        }
        let (code, _) = self.model_year_code()?;
        let same_code = (reported - decoded) % 30 == 0;
        Some(if same_code {
            format!(
                "VIN {} is model year {decoded} (position 10 '{code}' is {} or {}, and position 7 \
                 gives {decoded}), not the reported {reported}: confirm the year and the VIN",
                self.0,
                decoded.min(reported),
                decoded.max(reported)
            )
        } else {
            format!(
                "VIN {} is model year {decoded} (position 10 '{code}'), not the reported \
                 {reported}: confirm the year and the VIN",
                self.0
            )
        })
    }

    /// Consumes the VIN, returning its string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl FromStr for Vin {
    type Err = VinError;

    /// Same as [`Vin::parse`].
    fn from_str(s: &str) -> Result<Vin, VinError> {
        Vin::parse(s)
    }
}

impl fmt::Display for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Vin {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Row {
        vin: String,
        model_year: i32,
        make: String,
        model: String,
    }

    fn real_vins() -> Vec<Row> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/real-vins.csv");
        let mut reader = csv::Reader::from_path(path).expect("open tests/data/real-vins.csv");
        let rows: Vec<Row> = reader
            .deserialize()
            .collect::<Result<_, _>>()
            .expect("parse real-vins.csv");
        assert_eq!(rows.len(), 397, "the sample holds 397 VINs");
        rows
    }

    #[test]
    fn every_real_vin_passes_the_check() {
        for row in real_vins() {
            let vin = Vin::parse(&row.vin)
                .unwrap_or_else(|e| panic!("{} ({} {}): {e}", row.vin, row.make, row.model));
            assert_eq!(vin.as_str(), row.vin);
        }
    }

    #[test]
    fn every_real_vin_decodes_its_model_year() {
        // All 397 rows follow the position-7 rule, so no row is exempted.
        for row in real_vins() {
            let vin = Vin::parse(&row.vin).unwrap();
            assert_eq!(
                vin.model_year(2027),
                Some(row.model_year),
                "{} ({} {})",
                row.vin,
                row.make,
                row.model
            );
            assert_eq!(vin.model_year_mismatch(row.model_year, 2027), None);
        }
    }

    #[test]
    fn notes_examples_pass() {
        let honda = Vin::parse("JH4KA453XKC037671").unwrap();
        assert_eq!(honda.wmi(), "JH4");
        // Position 10 'K' is 1989 or 2019; position 7 '5' is a digit: 1989.
        assert_eq!(honda.model_year(2027), Some(1989));
        let ford = Vin::parse("1FMCU14T3JU402061").unwrap();
        assert_eq!(ford.wmi(), "1FM");
        assert_eq!(ford.model_year(2027), Some(1988));
    }

    #[test]
    fn trims_and_upper_cases() {
        let vin = Vin::parse("  jh4ka453xkc037671\n").unwrap();
        assert_eq!(vin.to_string(), "JH4KA453XKC037671");
        assert_eq!(
            "1fmcu14t3ju402061".parse::<Vin>().unwrap().as_str(),
            "1FMCU14T3JU402061"
        );
    }

    #[test]
    fn one_character_change_fails_the_check_digit() {
        // Position 11 'C' (value 3, weight 8) becomes 'D' (value 4): the sum grows by 8, so
        // the check digit becomes (10 + 8) mod 11 = 7 instead of X.
        let err = Vin::parse("JH4KA453XKD037671").unwrap_err();
        assert_eq!(
            err,
            VinError::CheckDigit {
                expected: '7',
                found: 'X'
            }
        );
        let message = err.to_string();
        assert!(
            message.contains("'7'") && message.contains("'X'"),
            "{message}"
        );
        assert!(message.contains("position 9"), "{message}");

        // Changing the check digit itself.
        assert_eq!(
            Vin::parse("1FMCU14T4JU402061").unwrap_err(),
            VinError::CheckDigit {
                expected: '3',
                found: '4'
            }
        );
    }

    #[test]
    fn every_single_substitution_of_a_valid_vin_is_caught() {
        // Weights are non-zero and below 11 except at position 9, and value changes within the
        // alphabet are below 11, so any change of one character (other than to a letter of
        // the same value) breaks the check.
        let valid = "1FMCU14T3JU402061";
        let alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
        for (i, original) in valid.chars().enumerate() {
            for c in alphabet.chars() {
                if c == original || transliterate(c) == transliterate(original) {
                    continue;
                }
                let mut changed: Vec<char> = valid.chars().collect();
                changed[i] = c;
                let changed: String = changed.into_iter().collect();
                assert!(
                    matches!(Vin::parse(&changed), Err(VinError::CheckDigit { .. })),
                    "{changed}"
                );
            }
        }
    }

    #[test]
    fn override_accepts_a_bad_check_digit_only() {
        let vin = Vin::parse_unchecked_digit("JH4KA453XKD037671").unwrap();
        assert_eq!(vin.as_str(), "JH4KA453XKD037671");
        assert!(matches!(vin.validate(), Err(VinError::CheckDigit { .. })));
        assert!(Vin::parse_unchecked_digit("JH4KA453XKC03767").is_err());
        assert!(Vin::parse_unchecked_digit("JH4KA453XKC03767O").is_err());
        assert!(Vin::parse("JH4KA453XKC037671").unwrap().validate().is_ok());
    }

    #[test]
    fn rejects_i_o_q_with_position() {
        for (input, position, character) in [
            ("JH4KA453XKC03767I", 17, 'I'),
            ("JH4KA453XKC0376O1", 16, 'O'),
            ("QH4KA453XKC037671", 1, 'Q'),
            ("JH4KA-53XKC037671", 6, '-'),
            ("JH4KA 53XKC037671", 6, ' '),
            ("JH4KA453XKC03767é", 17, 'É'),
        ] {
            let err = Vin::parse(input).unwrap_err();
            assert_eq!(
                err,
                VinError::IllegalCharacter {
                    position,
                    character
                },
                "{input}"
            );
            assert!(err.to_string().contains(&format!("position {position}")));
        }
        assert!(Vin::parse("JH4KA453XKC0376O1")
            .unwrap_err()
            .to_string()
            .contains("digit 0"));
    }

    #[test]
    fn rejects_wrong_length() {
        assert_eq!(
            Vin::parse("JH4KA453XKC03767").unwrap_err(),
            VinError::Length { found: 16 }
        );
        assert_eq!(
            Vin::parse("JH4KA453XKC0376711").unwrap_err(),
            VinError::Length { found: 18 }
        );
        assert_eq!(
            Vin::parse("   ").unwrap_err(),
            VinError::Length { found: 0 }
        );
        assert_eq!(
            Vin::parse("JH4KA453XKC037671").map(|v| v.into_string()),
            Ok("JH4KA453XKC037671".to_string())
        );
        assert!(Vin::parse("JH4KA453XKC03767")
            .unwrap_err()
            .to_string()
            .contains("17 characters"));
    }

    #[test]
    fn model_year_follows_position_7_where_it_can_else_the_nearest_year_not_after_next_year() {
        let with = |pos7: char, pos10: char| {
            let mut chars: Vec<char> = "1FMCU14T3JU402061".chars().collect();
            chars[6] = pos7;
            chars[9] = pos10;
            Vin::parse_unchecked_digit(&chars.into_iter().collect::<String>()).unwrap()
        };
        // Position 7 picks the cycle.
        assert_eq!(with('4', 'A').model_year(2040), Some(1980));
        assert_eq!(with('A', 'A').model_year(2040), Some(2010));
        assert_eq!(with('4', 'Y').model_year(2040), Some(2000));
        assert_eq!(with('A', 'Y').model_year(2040), Some(2030));
        assert_eq!(with('4', '1').model_year(2040), Some(2001));
        assert_eq!(with('4', '9').model_year(2040), Some(2009));
        assert_eq!(with('Z', '9').model_year(2040), Some(2039));
        assert_eq!(with('A', 'S').model_year(2027), Some(2025));
        assert_eq!(
            with('A', 'V').model_year(2027),
            Some(2027),
            "next year's models"
        );
        // A year after next year cannot be: position 7 does not apply (a heavy truck), and the
        // nearest year not after next year is taken.
        assert_eq!(with('A', 'Y').model_year(2027), Some(2000));
        assert_eq!(with('Z', '9').model_year(2027), Some(2009));
        assert_eq!(with('A', 'W').model_year(2027), Some(1998));
        // Before the code's first year there is no model year to give.
        assert_eq!(with('4', 'B').model_year(1980), None);
        for unused in ['U', 'Z', '0'] {
            assert_eq!(with('A', unused).model_year(2027), None);
        }
    }

    #[test]
    fn a_reported_year_other_than_the_vins_is_a_mismatch_naming_both() {
        let jeep = Vin::parse("1C4GJWAG3DL544796").unwrap(); // a 2013 Jeep Wrangler
        assert_eq!(jeep.model_year(2027), Some(2013));
        assert_eq!(jeep.model_year_mismatch(2013, 2027), None);
        let m = jeep.model_year_mismatch(2015, 2027).unwrap();
        assert!(
            m.contains("model year 2013") && m.contains("'D'") && m.contains("2015"),
            "{m}"
        );
        // The same code 30 years apart: the message says both years.
        let m = jeep.model_year_mismatch(1983, 2027).unwrap();
        assert!(m.contains("1983 or 2013"), "{m}");
        let unused = Vin::parse_unchecked_digit("1C4GJWAG3ZL544796").unwrap();
        assert_eq!(unused.model_year_mismatch(2013, 2027), None);
    }
}
