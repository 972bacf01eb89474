//! Money: `rust_decimal` with exactly two places, never floating point.
//!
//! Claim files write money as a plain decimal (`1250.00`); JSON output carries it as a string
//! (`"1250.00"`) so no consumer reads it through a float.

use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// The newtype-struct name the canonical YAML writer recognises to write a scalar unquoted.
/// Other serializers see only the inner string.
pub const PLAIN_SCALAR: &str = "$claims::PlainScalar";

/// An amount of money in the office currency, always held to two decimal places.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("`{0}` is not an amount of money (expected digits with up to two decimal places, e.g. 1250.00)")]
    NotANumber(String),
    #[error("`{0}` has more than two decimal places (amounts are in cents)")]
    TooPrecise(String),
    #[error("`{0}` is more than any claim holds (at most 999999999999.99)")]
    TooLarge(String),
}

/// The largest amount a record holds: sums of thousands of them stay exact in a decimal.
fn within_bounds(d: Decimal, s: &str) -> Result<Decimal, MoneyError> {
    if d.abs() > Decimal::new(99_999_999_999_999, 2) {
        return Err(MoneyError::TooLarge(s.to_string()));
    }
    Ok(d)
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Wraps a decimal that is already known to be in cents. Rounds half away from zero
    /// (the usual rule for currency) if it is not.
    pub fn from_decimal(d: Decimal) -> Money {
        Money(round_cents(d))
    }

    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn max(self, other: Money) -> Money {
        if self >= other {
            self
        } else {
            other
        }
    }

    pub fn min(self, other: Money) -> Money {
        if self <= other {
            self
        } else {
            other
        }
    }
}

/// Rounds to cents, half away from zero. Every calculation that can produce fractions of a
/// cent (depreciation, coinsurance ratios) goes through here exactly once, at the line it
/// produces.
pub fn round_cents(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Accepts `1250`, `1250.5`, `1,250.00`, `$1,250.00`; refuses fractions of a cent.
    fn from_str(s: &str) -> Result<Money, MoneyError> {
        let cleaned: String = s
            .trim()
            .trim_start_matches('$')
            .chars()
            .filter(|c| *c != ',' && *c != '_')
            .collect();
        let negative_dollar = s.trim().starts_with("-$");
        let cleaned = if negative_dollar {
            format!("-{}", cleaned.trim_start_matches("-$"))
        } else {
            cleaned
        };
        if cleaned.is_empty()
            || !cleaned
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(MoneyError::NotANumber(s.to_string()));
        }
        let d = Decimal::from_str(&cleaned).map_err(|_| MoneyError::NotANumber(s.to_string()))?;
        if d.normalize().scale() > 2 {
            return Err(MoneyError::TooPrecise(s.to_string()));
        }
        Ok(Money(round_cents(within_bounds(d, s)?)))
    }
}

impl Money {
    /// The amount as a letter writes it: thousands grouped by commas (`9,787.88`).
    pub fn grouped(&self) -> String {
        let plain = self.to_string();
        let (sign, digits) = plain
            .strip_prefix('-')
            .map_or(("", plain.as_str()), |d| ("-", d));
        let (whole, cents) = digits.split_once('.').unwrap_or((digits, "00"));
        let mut out = String::with_capacity(plain.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}.{cents}")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.0;
        d.rescale(2);
        write!(f, "{d}")
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// In a file an amount is a plain decimal with at most two places (`1250.00`); YAML reads it as
/// a number, JSON output carries it as a string.
impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount of money: a plain decimal with at most two places, e.g. 1250.00",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]{1,2})?$" }
            ]
        })
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(PLAIN_SCALAR, &self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        struct MoneyVisitor;
        impl de::Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount of money such as 1250.00")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::from_str(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                within_bounds(Decimal::from(v), &v.to_string())
                    .map(|d| Money(round_cents(d)))
                    .map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                within_bounds(Decimal::from(v), &v.to_string())
                    .map(|d| Money(round_cents(d)))
                    .map_err(E::custom)
            }
            // YAML and JSON readers hand plain numbers over as f64. The shortest decimal
            // form of an f64 round-trips, so re-reading that text recovers the exact amount
            // the file held (for any amount below 10^13 with at most two decimal places).
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!("`{v}` is not an amount of money")));
                }
                Money::from_str(&format!("{v}")).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(MoneyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_group_thousands() {
        let g = |s: &str| s.parse::<Money>().unwrap().grouped();
        assert_eq!(g("9787.88"), "9,787.88");
        assert_eq!(g("0.5"), "0.50");
        assert_eq!(g("999"), "999.00");
        assert_eq!(g("1000"), "1,000.00");
        assert_eq!(g("325000.00"), "325,000.00");
        assert_eq!(g("-1234567.8"), "-1,234,567.80");
    }

    #[test]
    fn amounts_beyond_a_trillion_are_refused() {
        assert!("999999999999.99".parse::<Money>().is_ok());
        assert!(matches!(
            "1000000000000.00".parse::<Money>(),
            Err(MoneyError::TooLarge(_))
        ));
        assert!("792281625142643375935439503.35".parse::<Money>().is_err());
        assert!(serde_yaml::from_str::<Money>("1000000000000").is_err());
    }

    #[test]
    fn parses_and_prints_two_places() {
        assert_eq!(Money::from_str("1250").unwrap().to_string(), "1250.00");
        assert_eq!(Money::from_str("$1,250.5").unwrap().to_string(), "1250.50");
        assert_eq!(Money::from_str("-$20").unwrap().to_string(), "-20.00");
        assert_eq!(Money::from_str("0").unwrap().to_string(), "0.00");
    }

    #[test]
    fn refuses_fractions_of_a_cent_and_garbage() {
        assert_eq!(
            Money::from_str("12.345"),
            Err(MoneyError::TooPrecise("12.345".into()))
        );
        assert!(Money::from_str("12.340").is_ok());
        assert!(Money::from_str("abc").is_err());
        assert!(Money::from_str("").is_err());
        assert!(Money::from_str("1e5").is_err());
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_cents(Decimal::new(12345, 3)).to_string(), "12.35");
        assert_eq!(round_cents(Decimal::new(-12345, 3)).to_string(), "-12.35");
        assert_eq!(round_cents(Decimal::new(12344, 3)).to_string(), "12.34");
    }

    #[test]
    fn reads_yaml_numbers_and_strings_exactly() {
        #[derive(Deserialize)]
        struct R {
            a: Money,
            b: Money,
            c: Money,
        }
        let r: R = serde_yaml::from_str("a: 1250.10\nb: '99.99'\nc: 12345678901.23\n").unwrap();
        assert_eq!(r.a.to_string(), "1250.10");
        assert_eq!(r.b.to_string(), "99.99");
        assert_eq!(r.c.to_string(), "12345678901.23");
        let j: R = serde_json::from_str(r#"{"a": 0.1, "b": "7", "c": 3}"#).unwrap();
        assert_eq!(j.a.to_string(), "0.10");
        assert_eq!(serde_json::to_string(&j.b).unwrap(), "\"7.00\"");
    }
}
