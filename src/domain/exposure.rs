//! Exposures: what a payment pays for, or a settlement settles — the insured's vehicle, the
//! dwelling, contents, additional living expense, a third party's injury, a worker's wage
//! loss. The exposure decides who may be a co-payee (a lienholder or mortgagee only on the
//! property they hold an interest in) and, for a settlement, who gives the release. Pure.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::authority::has_bodily_injury;
use super::claim::{Claim, LineOfBusiness, Settlement, SettlementBasis};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    /// Physical damage to the insured's vehicle (collision, comprehensive, total loss).
    Vehicle,
    /// The insured's loss of use of the vehicle (rental reimbursement, transportation).
    Rental,
    /// The insured dwelling (homeowners Coverage A).
    Dwelling,
    /// The insured building (commercial property).
    Building,
    /// Personal property, or business personal property.
    Contents,
    /// Additional living expense while the home cannot be lived in (loss of use).
    AdditionalLivingExpense,
    /// Business income and extra expense.
    BusinessIncome,
    /// Injury to someone other than the insured, under a liability coverage.
    BodilyInjury,
    /// Medical bills: auto or general liability medical payments, workers' comp medical.
    Medical,
    /// Workers' compensation wage-loss benefits.
    Indemnity,
    /// Damage to property of someone other than the insured.
    ThirdPartyProperty,
    /// Other damages owed to a third party (a professional's error, a liability award).
    LiabilityDamages,
}

/// Whose interest, besides the payee's, the exposure's property carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecuredInterest {
    /// The lienholder of the insured vehicle.
    Lienholder,
    /// The mortgagee of the insured dwelling or building.
    Mortgagee,
}

impl SecuredInterest {
    pub fn as_str(self) -> &'static str {
        match self {
            SecuredInterest::Lienholder => "lienholder",
            SecuredInterest::Mortgagee => "mortgagee",
        }
    }
}

impl Exposure {
    pub const ALL: [Exposure; 12] = [
        Exposure::Vehicle,
        Exposure::Rental,
        Exposure::Dwelling,
        Exposure::Building,
        Exposure::Contents,
        Exposure::AdditionalLivingExpense,
        Exposure::BusinessIncome,
        Exposure::BodilyInjury,
        Exposure::Medical,
        Exposure::Indemnity,
        Exposure::ThirdPartyProperty,
        Exposure::LiabilityDamages,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Vehicle => "vehicle",
            Exposure::Rental => "rental",
            Exposure::Dwelling => "dwelling",
            Exposure::Building => "building",
            Exposure::Contents => "contents",
            Exposure::AdditionalLivingExpense => "additional_living_expense",
            Exposure::BusinessIncome => "business_income",
            Exposure::BodilyInjury => "bodily_injury",
            Exposure::Medical => "medical",
            Exposure::Indemnity => "indemnity",
            Exposure::ThirdPartyProperty => "third_party_property",
            Exposure::LiabilityDamages => "liability_damages",
        }
    }

    /// What it pays for, as a letter says it.
    pub fn in_words(self) -> &'static str {
        match self {
            Exposure::Vehicle => "physical damage to the vehicle",
            Exposure::Rental => "loss of use of the vehicle",
            Exposure::Dwelling => "damage to the dwelling",
            Exposure::Building => "damage to the building",
            Exposure::Contents => "loss of or damage to personal property",
            Exposure::AdditionalLivingExpense => "additional living expense",
            Exposure::BusinessIncome => "business income and extra expense",
            Exposure::BodilyInjury => "bodily injury",
            Exposure::Medical => "medical expenses",
            Exposure::Indemnity => "wage-loss benefits",
            Exposure::ThirdPartyProperty => "damage to property",
            Exposure::LiabilityDamages => "damages",
        }
    }

    /// `dwelling`, `Additional-Living-Expense`, `additional living expense`.
    pub fn parse(s: &str) -> Option<Exposure> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Exposure::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The lines of business a claim of which can have this exposure.
    pub fn lines(self) -> &'static [LineOfBusiness] {
        use LineOfBusiness::*;
        match self {
            Exposure::Vehicle | Exposure::Rental => &[PersonalAuto, CommercialAuto],
            Exposure::Dwelling
            | Exposure::Building
            | Exposure::Contents
            | Exposure::AdditionalLivingExpense
            | Exposure::BusinessIncome => &[Property],
            Exposure::BodilyInjury | Exposure::ThirdPartyProperty => {
                &[PersonalAuto, CommercialAuto, GeneralLiability]
            }
            Exposure::Medical => &[PersonalAuto, CommercialAuto, GeneralLiability, WorkersComp],
            Exposure::Indemnity => &[WorkersComp],
            Exposure::LiabilityDamages => &[GeneralLiability, ProfessionalLiability],
        }
    }

    /// The exposures a claim on `lob` can have.
    pub fn of_line(lob: LineOfBusiness) -> Vec<Exposure> {
        Exposure::ALL
            .into_iter()
            .filter(|e| e.lines().contains(&lob))
            .collect()
    }

    /// `--for X` on a claim of `lob`: the exposure, or why it is not one of that line.
    pub fn for_line(s: &str, lob: LineOfBusiness) -> Result<Exposure, String> {
        let names = || {
            Exposure::of_line(lob)
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let e = Exposure::parse(s).ok_or_else(|| {
            format!(
                "--for `{s}` is not an exposure (for a {lob} claim: {})",
                names()
            )
        })?;
        if !e.lines().contains(&lob) {
            return Err(format!(
                "--for {} is not an exposure of a {lob} claim (one of: {})",
                e.as_str(),
                names()
            ));
        }
        Ok(e)
    }

    /// The secured creditor whose interest is in the property this exposure pays for: the
    /// lienholder in the insured vehicle, the mortgagee in the dwelling or building. Nobody
    /// else's — not on injury, medical, wage loss, living expense, contents, loss of use or
    /// anything owed to a third party.
    pub fn secured_interest(self) -> Option<SecuredInterest> {
        match self {
            Exposure::Vehicle => Some(SecuredInterest::Lienholder),
            Exposure::Dwelling | Exposure::Building => Some(SecuredInterest::Mortgagee),
            _ => None,
        }
    }
}

impl Exposure {
    /// The insured's own property: the deductible is taken from what is paid for it (never
    /// from what is owed to an injured person or a third party).
    pub fn takes_the_deductible(self) -> bool {
        matches!(
            self,
            Exposure::Vehicle | Exposure::Dwelling | Exposure::Building | Exposure::Contents
        )
    }

    /// Owed for injury: settled on injury damages (medical specials and general damages).
    pub fn is_injury(self) -> bool {
        matches!(
            self,
            Exposure::BodilyInjury | Exposure::Medical | Exposure::Indemnity
        )
    }

    /// What a settlement on `basis` settles when the adjuster does not say: a worker's wage
    /// loss, a professional's error, the claimant's injury (or property, with no injury) under
    /// general liability, the dwelling (or, for an organization, the building), and on auto
    /// the injury when the basis is injury damages (or an agreed figure on a claim with injured
    /// people), else the insured vehicle.
    pub fn settled_by_default(claim: &Claim, basis: SettlementBasis) -> Exposure {
        let injury = basis == SettlementBasis::Injury
            || (basis == SettlementBasis::Agreed && has_bodily_injury(claim));
        match claim.lob {
            LineOfBusiness::WorkersComp => Exposure::Indemnity,
            LineOfBusiness::ProfessionalLiability => Exposure::LiabilityDamages,
            LineOfBusiness::GeneralLiability => {
                if injury || claim.liability.as_ref().is_some_and(|l| l.bodily_injury) {
                    Exposure::BodilyInjury
                } else {
                    Exposure::ThirdPartyProperty
                }
            }
            LineOfBusiness::Property => {
                let organization = claim
                    .insured
                    .as_ref()
                    .and_then(|p| p.organization.as_deref())
                    .is_some_and(|o| !o.trim().is_empty());
                if organization {
                    Exposure::Building
                } else {
                    Exposure::Dwelling
                }
            }
            LineOfBusiness::PersonalAuto | LineOfBusiness::CommercialAuto => {
                if injury {
                    Exposure::BodilyInjury
                } else {
                    Exposure::Vehicle
                }
            }
        }
    }
}

/// What a settlement settles: as recorded, or (a settlement recorded before exposures were)
/// what one on its basis settles by default.
pub fn settled_by(claim: &Claim, settlement: &Settlement) -> Exposure {
    settlement
        .exposure
        .unwrap_or_else(|| Exposure::settled_by_default(claim, settlement.basis))
}

impl std::fmt::Display for Exposure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_line_has_exposures() {
        for e in Exposure::ALL {
            assert_eq!(Exposure::parse(e.as_str()), Some(e));
            let yaml = serde_yaml::to_string(&e).unwrap();
            assert_eq!(yaml.trim(), e.as_str());
        }
        assert_eq!(
            Exposure::parse("Additional living-expense"),
            Some(Exposure::AdditionalLivingExpense)
        );
        for lob in LineOfBusiness::ALL {
            assert!(!Exposure::of_line(lob).is_empty(), "{lob}");
        }
    }

    #[test]
    fn only_the_vehicle_the_dwelling_and_the_building_carry_a_secured_interest() {
        let secured: Vec<_> = Exposure::ALL
            .into_iter()
            .filter_map(|e| e.secured_interest().map(|i| (e, i)))
            .collect();
        assert_eq!(
            secured,
            vec![
                (Exposure::Vehicle, SecuredInterest::Lienholder),
                (Exposure::Dwelling, SecuredInterest::Mortgagee),
                (Exposure::Building, SecuredInterest::Mortgagee),
            ]
        );
    }

    #[test]
    fn an_exposure_must_be_one_of_the_claims_line() {
        assert_eq!(
            Exposure::for_line("dwelling", LineOfBusiness::Property),
            Ok(Exposure::Dwelling)
        );
        let e = Exposure::for_line("dwelling", LineOfBusiness::PersonalAuto).unwrap_err();
        assert!(
            e.contains("--for dwelling is not an exposure of a personal_auto claim")
                && e.contains("vehicle, rental, bodily_injury, medical, third_party_property"),
            "{e}"
        );
        let e = Exposure::for_line("roof", LineOfBusiness::Property).unwrap_err();
        assert!(e.contains("--for `roof` is not an exposure"), "{e}");
    }
}
