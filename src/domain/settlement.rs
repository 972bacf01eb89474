//! Settlement calculation, line by line, in decimal money. Pure.
//!
//! The order is the one property and casualty adjusters use: the loss on the agreed basis
//! (actual cash value = replacement cost less depreciation; replacement cost; injury = medical
//! specials plus general damages; or an agreed figure), less the coinsurance penalty where the
//! policy has a coinsurance clause and the property was underinsured (loss × carried ÷
//! required, required = the clause's percentage of the property's value at the time of loss),
//! less the deductible, capped at the sublimit or limit that applies, less what was already
//! paid; never below zero.
//!
//! Rounding: every line is rounded to the cent, half away from zero (1.005 → 1.01), and the
//! next line is computed from the rounded figure, so the lines shown always add up.

use rust_decimal::{Decimal, RoundingStrategy};

use super::claim::{CalculationLine, SettlementBasis};
use super::money::Money;

/// The loss on its basis.
#[derive(Clone, Debug, PartialEq)]
pub enum Loss {
    ActualCashValue {
        replacement_cost: Money,
        depreciation: Money,
    },
    ReplacementCost {
        replacement_cost: Money,
    },
    Injury {
        medical_specials: Money,
        general_damages: Money,
    },
    Agreed {
        amount: Money,
    },
}

impl Loss {
    pub fn basis(&self) -> SettlementBasis {
        match self {
            Loss::ActualCashValue { .. } => SettlementBasis::ActualCashValue,
            Loss::ReplacementCost { .. } => SettlementBasis::ReplacementCost,
            Loss::Injury { .. } => SettlementBasis::Injury,
            Loss::Agreed { .. } => SettlementBasis::Agreed,
        }
    }
}

/// The property's coinsurance clause and values.
#[derive(Clone, Debug, PartialEq)]
pub struct Coinsurance {
    /// The clause's percentage (e.g. 80).
    pub percent: u32,
    /// The coverage limit carried.
    pub carried: Money,
    /// The property's value at the time of loss.
    pub property_value: Money,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    pub deductible: Money,
    /// The limit of the coverage, and a sublimit if one applies (the lower caps).
    pub limit: Option<Money>,
    pub sublimit: Option<(String, Money)>,
    pub coinsurance: Option<Coinsurance>,
    pub prior_payments: Money,
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn money(d: Decimal) -> Money {
    Money::from_decimal(cents(d))
}

/// The calculation lines and the amount payable.
pub fn calculate(loss: &Loss, t: &Terms) -> Result<(Vec<CalculationLine>, Money), String> {
    let mut lines = Vec::new();
    let mut line = |label: String, d: Decimal| {
        lines.push(CalculationLine {
            label,
            amount: money(d),
        });
        cents(d)
    };
    for (what, m) in [
        ("deductible", t.deductible),
        ("prior payments", t.prior_payments),
    ] {
        if m.is_negative() {
            return Err(format!("the {what} must not be negative"));
        }
    }
    let mut amount = match loss {
        Loss::ActualCashValue {
            replacement_cost,
            depreciation,
        } => {
            if depreciation.as_decimal() > replacement_cost.as_decimal() {
                return Err("depreciation cannot exceed the replacement cost".into());
            }
            line("Replacement cost".into(), replacement_cost.as_decimal());
            line("Less depreciation".into(), -depreciation.as_decimal());
            line(
                "Actual cash value".into(),
                replacement_cost.as_decimal() - depreciation.as_decimal(),
            )
        }
        Loss::ReplacementCost { replacement_cost } => {
            line("Replacement cost".into(), replacement_cost.as_decimal())
        }
        Loss::Injury {
            medical_specials,
            general_damages,
        } => {
            line("Medical specials".into(), medical_specials.as_decimal());
            line("General damages".into(), general_damages.as_decimal());
            line(
                "Injury damages".into(),
                medical_specials.as_decimal() + general_damages.as_decimal(),
            )
        }
        Loss::Agreed { amount } => line("Agreed amount".into(), amount.as_decimal()),
    };
    if amount.is_sign_negative() {
        return Err("the loss must not be negative".into());
    }
    if let Some(c) = &t.coinsurance {
        let required =
            cents(c.property_value.as_decimal() * Decimal::from(c.percent) / Decimal::from(100));
        if required.is_zero() {
            return Err("the property value for coinsurance must be more than zero".into());
        }
        if c.carried.as_decimal() < required {
            let payable = cents(amount * c.carried.as_decimal() / required);
            line(
                format!(
                    "Less coinsurance penalty ({}% clause: {} carried of {} required)",
                    c.percent,
                    c.carried,
                    money(required)
                ),
                payable - amount,
            );
            amount = payable;
        }
    }
    if !t.deductible.is_zero() {
        line("Less deductible".into(), -t.deductible.as_decimal());
        amount = (amount - t.deductible.as_decimal()).max(Decimal::ZERO);
    }
    let cap = match (&t.sublimit, t.limit) {
        (Some((name, s)), Some(l)) if s.as_decimal() < l.as_decimal() => {
            Some((format!("{name} sublimit"), *s))
        }
        (Some((name, s)), None) => Some((format!("{name} sublimit"), *s)),
        (_, Some(l)) => Some(("policy limit".to_string(), l)),
        (None, None) => None,
    };
    if let Some((what, c)) = cap {
        if amount > c.as_decimal() {
            line(
                format!("Capped at the {what} of {c}"),
                c.as_decimal() - amount,
            );
            amount = c.as_decimal();
        }
    }
    if !t.prior_payments.is_zero() {
        line("Less prior payments".into(), -t.prior_payments.as_decimal());
        amount = (amount - t.prior_payments.as_decimal()).max(Decimal::ZERO);
    }
    let payable = line("Payable".into(), amount);
    Ok((lines, money(payable)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn terms(deductible: &str) -> Terms {
        Terms {
            deductible: m(deductible),
            limit: None,
            sublimit: None,
            coinsurance: None,
            prior_payments: m("0.00"),
        }
    }

    fn shown(lines: &[CalculationLine]) -> Vec<(String, String)> {
        lines
            .iter()
            .map(|l| (l.label.clone(), l.amount.to_string()))
            .collect()
    }

    #[test]
    fn actual_cash_value_less_deductible() {
        let loss = Loss::ActualCashValue {
            replacement_cost: m("12400.00"),
            depreciation: m("3250.00"),
        };
        let (lines, pay) = calculate(&loss, &terms("500.00")).unwrap();
        assert_eq!(
            shown(&lines),
            vec![
                ("Replacement cost".into(), "12400.00".into()),
                ("Less depreciation".into(), "-3250.00".into()),
                ("Actual cash value".into(), "9150.00".into()),
                ("Less deductible".into(), "-500.00".into()),
                ("Payable".into(), "8650.00".into()),
            ]
        );
        assert_eq!(pay, m("8650.00"));
    }

    #[test]
    fn coinsurance_penalty_then_deductible_then_limit() {
        // The textbook case: $400,000 building, 80% clause, $240,000 carried (required
        // $320,000), $100,000 loss, $1,000 deductible: 100,000 x 240/320 = 75,000 - 1,000.
        let t = Terms {
            deductible: m("1000.00"),
            limit: Some(m("240000.00")),
            sublimit: None,
            coinsurance: Some(Coinsurance {
                percent: 80,
                carried: m("240000.00"),
                property_value: m("400000.00"),
            }),
            prior_payments: m("0.00"),
        };
        let loss = Loss::ReplacementCost {
            replacement_cost: m("100000.00"),
        };
        let (lines, pay) = calculate(&loss, &t).unwrap();
        assert_eq!(lines[1].amount, m("-25000.00"));
        assert!(lines[1]
            .label
            .contains("80% clause: 240000.00 carried of 320000.00 required"));
        assert_eq!(pay, m("74000.00"));
        // Insured to value: no penalty line at all.
        let mut full = t.clone();
        full.coinsurance.as_mut().unwrap().carried = m("320000.00");
        let (lines, pay) = calculate(&loss, &full).unwrap();
        assert!(lines.iter().all(|l| !l.label.contains("coinsurance")));
        assert_eq!(pay, m("99000.00"));
    }

    #[test]
    fn sublimit_caps_before_prior_payments_and_rounding_is_half_away_from_zero() {
        let t = Terms {
            deductible: m("1000.00"),
            limit: Some(m("295000.00")),
            sublimit: Some(("mold".into(), m("10000.00"))),
            coinsurance: None,
            prior_payments: m("2500.00"),
        };
        let loss = Loss::ReplacementCost {
            replacement_cost: m("18000.00"),
        };
        let (lines, pay) = calculate(&loss, &t).unwrap();
        assert_eq!(lines[2].label, "Capped at the mold sublimit of 10000.00");
        assert_eq!(lines[2].amount, m("-7000.00"));
        assert_eq!(pay, m("7500.00"));

        // 1,000.00 x 240,000 / 320,001 = 749.9976... -> 750.00
        let t = Terms {
            deductible: m("0.00"),
            limit: None,
            sublimit: None,
            coinsurance: Some(Coinsurance {
                percent: 100,
                carried: m("240000.00"),
                property_value: m("320001.00"),
            }),
            prior_payments: m("0.00"),
        };
        let (_, pay) = calculate(
            &Loss::Agreed {
                amount: m("1000.00"),
            },
            &t,
        )
        .unwrap();
        assert_eq!(pay, m("750.00"));
    }

    #[test]
    fn injury_and_never_below_zero() {
        let loss = Loss::Injury {
            medical_specials: m("8412.37"),
            general_damages: m("15000.00"),
        };
        let mut t = terms("0.00");
        t.prior_payments = m("30000.00");
        let (lines, pay) = calculate(&loss, &t).unwrap();
        assert_eq!(lines[2].amount, m("23412.37"));
        assert_eq!(pay, m("0.00"));
        let bad = Loss::ActualCashValue {
            replacement_cost: m("100.00"),
            depreciation: m("200.00"),
        };
        assert!(calculate(&bad, &terms("0.00")).is_err());
    }
}
