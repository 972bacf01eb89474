//! Releases: who gives up the claim, and whom it releases. Pure.
//!
//! The releasor is the person whose claim the settlement pays, and who gives it up: the
//! injured claimant on a third-party bodily-injury claim (never the insured), the owner of the
//! damaged property on a third-party property claim, the employee on a workers' compensation
//! settlement (not the employer), and the insured on a first-party claim (its own vehicle,
//! home, building, contents). The releasee is whom that claim was against: the insured (with
//! its employees and insurers), the employer and its insurer, or — first party — the insurer
//! itself.

use super::claim::{Claim, LineOfBusiness, Party};
use super::exposure::Exposure;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseKind {
    /// A third party's injury or other damages: a general release of all claims.
    General,
    /// A third party's damaged property: a release of property damage only.
    Property,
    /// The insured's own loss, released to its insurer.
    FirstParty,
    /// The employee's claim for benefits, released to the employer and its insurer.
    WorkersComp,
}

impl ReleaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseKind::General => "general",
            ReleaseKind::Property => "property",
            ReleaseKind::FirstParty => "first_party",
            ReleaseKind::WorkersComp => "workers_comp",
        }
    }

    /// The release a settlement of `exposure` on a `lob` claim takes.
    pub fn of(lob: LineOfBusiness, exposure: Exposure) -> ReleaseKind {
        if lob == LineOfBusiness::WorkersComp {
            ReleaseKind::WorkersComp
        } else if is_first_party(lob, exposure) {
            ReleaseKind::FirstParty
        } else if exposure == Exposure::ThirdPartyProperty {
            ReleaseKind::Property
        } else {
            ReleaseKind::General
        }
    }

    /// A claim against someone — the insured, the employer — is closed only once its
    /// claimant has signed the release; the insured's own claim closes on payment.
    pub fn must_be_signed(self) -> bool {
        self != ReleaseKind::FirstParty
    }
}

/// The insured's own loss: its vehicle and its use, its home or building and what is in it,
/// its living expense and business income, and medical payments under its own auto policy.
fn is_first_party(lob: LineOfBusiness, e: Exposure) -> bool {
    matches!(
        e,
        Exposure::Vehicle
            | Exposure::Rental
            | Exposure::Dwelling
            | Exposure::Building
            | Exposure::Contents
            | Exposure::AdditionalLivingExpense
            | Exposure::BusinessIncome
    ) || (lob.is_auto() && e == Exposure::Medical)
}

/// A party on the claim file: where its facts are kept and what they say.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyOnFile {
    /// Where its facts are kept: `auto.injured[0]`, `liability.claimant`, `insured`.
    pub field: String,
    /// What it is to the claim: `the injured claimant`.
    pub role: &'static str,
    pub name: Option<String>,
    pub address: Option<String>,
    /// Who may sign for it: its attorney or representative on file; for an organization, the
    /// person the claim records reporting for it.
    pub representatives: Vec<Party>,
}

impl PartyOnFile {
    /// `who` is this party, or someone on file who may sign for it.
    pub fn may_be_signed_by(&self, who: &str) -> bool {
        let who = plain(who);
        self.name.as_deref().is_some_and(|n| plain(n) == who)
            || self
                .representatives
                .iter()
                .filter_map(|r| r.name.as_deref())
                .any(|n| plain(n) == who)
    }

    /// The representative who signs for it, when `who` is one.
    pub fn representative(&self, who: &str) -> Option<&Party> {
        self.representatives
            .iter()
            .find(|r| r.name.as_deref().is_some_and(|n| plain(n) == plain(who)))
    }
}

/// Who gives the release, and whom it releases.
#[derive(Clone, Debug, PartialEq)]
pub struct ReleaseParties {
    pub kind: ReleaseKind,
    pub releasor: PartyOnFile,
    /// Whom it discharges, as the letter names them.
    pub releasee: String,
    /// What the releasee is to the claim: `the insured`, `the employer`, `the insurer`.
    pub releasee_role: &'static str,
}

impl ReleaseParties {
    /// The facts the release needs and the claim lacks: (field, what it is).
    pub fn missing(&self) -> Vec<(String, String)> {
        let r = &self.releasor;
        let mut out = Vec::new();
        if blank(&r.name) {
            out.push((format!("{}.name", r.field), format!("{}'s name", r.role)));
        }
        if blank(&r.address) {
            out.push((
                format!("{}.address", r.field),
                format!("{}'s address", r.role),
            ));
        }
        if self.releasee.is_empty() {
            let (field, what) = match self.kind {
                ReleaseKind::FirstParty => ("policy_number", "the policy number"),
                ReleaseKind::WorkersComp => ("insured.name", "the employer's name"),
                _ => ("insured.name", "the insured's name"),
            };
            out.push((field.to_string(), what.to_string()));
        }
        out
    }
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// A name compared as people write it: case and spacing aside.
fn plain(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn person(p: &Option<Party>) -> Vec<Party> {
    p.iter().filter(|p| !blank(&p.name)).cloned().collect()
}

/// The parties to the release of a settlement of `exposure`. `claimant` chooses whose release
/// it is where the file lists several people with the same standing (injured people, other
/// drivers), by name.
pub fn release_parties(
    claim: &Claim,
    exposure: Exposure,
    claimant: Option<&str>,
) -> Result<ReleaseParties, String> {
    let kind = ReleaseKind::of(claim.lob, exposure);
    let insured = claim.insured.as_ref();
    let insured_name = insured
        .and_then(|p| p.name.clone())
        .filter(|n| !n.trim().is_empty());
    let candidates: Vec<PartyOnFile> = match kind {
        ReleaseKind::FirstParty => {
            // An organization signs by a person: the one the claim records reporting for it.
            let org = insured
                .and_then(|p| p.organization.as_deref().or(p.name.as_deref()))
                .map(plain);
            let reporter = claim.reporter.clone().filter(|r| {
                org.is_some()
                    && insured.is_some_and(|p| p.organization.is_some())
                    && r.organization.as_deref().map(plain) == org
            });
            vec![PartyOnFile {
                field: "insured".into(),
                role: "the insured",
                name: insured_name.clone(),
                address: insured.and_then(|p| p.address.clone()),
                representatives: person(&reporter),
            }]
        }
        ReleaseKind::WorkersComp => {
            let e = claim
                .workers_comp
                .as_ref()
                .and_then(|w| w.employee.as_ref());
            vec![PartyOnFile {
                field: "workers_comp.employee".into(),
                role: "the employee",
                name: e.and_then(|e| e.name.clone()),
                address: e.and_then(|e| e.address.clone()),
                representatives: person(&e.and_then(|e| e.representative.clone())),
            }]
        }
        _ if claim.lob.is_auto() => {
            let auto = claim.auto.as_ref();
            if kind == ReleaseKind::Property {
                auto.map(|a| &a.other_parties[..])
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, p)| PartyOnFile {
                        field: format!("auto.other_parties[{i}]"),
                        role: "the owner of the damaged property",
                        name: p.name.clone(),
                        address: p.address.clone(),
                        representatives: person(&p.representative),
                    })
                    .collect()
            } else {
                auto.map(|a| &a.injured[..])
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, p)| PartyOnFile {
                        field: format!("auto.injured[{i}]"),
                        role: "the injured claimant",
                        name: p.name.clone(),
                        address: p.address.clone(),
                        representatives: person(&p.representative),
                    })
                    .collect()
            }
        }
        _ => {
            let l = claim.liability.as_ref();
            let c = l.and_then(|l| l.claimant.as_ref());
            vec![PartyOnFile {
                field: "liability.claimant".into(),
                role: "the claimant",
                name: c.and_then(|c| c.name.clone()),
                address: c.and_then(|c| c.address.clone()),
                representatives: person(&l.and_then(|l| l.attorney.clone())),
            }]
        }
    };
    let releasor = choose(claim, kind, candidates, claimant)?;
    if kind != ReleaseKind::FirstParty {
        if let (Some(n), Some(i)) = (&releasor.name, &insured_name) {
            if plain(n) == plain(i) {
                return Err(format!(
                    "{n} is the insured: {} gives this release, never the insured",
                    releasor.role
                ));
            }
        }
    }
    let (releasee, releasee_role) = match kind {
        ReleaseKind::FirstParty => (
            claim
                .policy_number
                .as_ref()
                .map(|n| format!("the insurer of policy {n}"))
                .unwrap_or_default(),
            "the insurer",
        ),
        ReleaseKind::WorkersComp => (insured_name.unwrap_or_default(), "the employer"),
        _ => (insured_name.unwrap_or_default(), "the insured"),
    };
    Ok(ReleaseParties {
        kind,
        releasor,
        releasee,
        releasee_role,
    })
}

/// The releasor among the candidates: the one named, or the only one.
fn choose(
    claim: &Claim,
    kind: ReleaseKind,
    candidates: Vec<PartyOnFile>,
    claimant: Option<&str>,
) -> Result<PartyOnFile, String> {
    let names = |c: &[PartyOnFile]| {
        c.iter()
            .map(|p| {
                format!(
                    "{} ({})",
                    p.name.as_deref().unwrap_or("name not recorded"),
                    p.field
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let list = match kind {
        ReleaseKind::Property => "auto.other_parties",
        _ => "auto.injured",
    };
    match claimant {
        Some(who) => candidates
            .iter()
            .find(|p| p.name.as_deref().is_some_and(|n| plain(n) == plain(who)))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "--claimant {who} is not {} on {} (on file: {})",
                    candidates.first().map_or("a claimant", |p| p.role),
                    claim.id,
                    if candidates.is_empty() {
                        "nobody".to_string()
                    } else {
                        names(&candidates)
                    }
                )
            }),
        None => match candidates.len() {
            1 => Ok(candidates.into_iter().next().expect("one")),
            0 => Err(format!(
                "{} records nobody to give this release ({list} is empty): record them with `claims update {} --set {list}[0].name=NAME --reason ...`",
                claim.id, claim.id
            )),
            _ => Err(format!(
                "{} records {} people who could give this release ({}): say whose it is with --claimant NAME",
                claim.id,
                candidates.len(),
                names(&candidates)
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(yaml: &str) -> Claim {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn truck() -> Claim {
        claim(include_str!("../../claims/2026/11/CLM-2611-33T6-3CJ0.yaml"))
    }

    #[test]
    fn the_kind_of_release_follows_the_line_and_the_exposure() {
        use Exposure::*;
        use LineOfBusiness::*;
        for (lob, e, kind) in [
            (CommercialAuto, BodilyInjury, ReleaseKind::General),
            (CommercialAuto, ThirdPartyProperty, ReleaseKind::Property),
            (CommercialAuto, Vehicle, ReleaseKind::FirstParty),
            (PersonalAuto, Medical, ReleaseKind::FirstParty),
            (GeneralLiability, Medical, ReleaseKind::General),
            (GeneralLiability, ThirdPartyProperty, ReleaseKind::Property),
            (
                ProfessionalLiability,
                LiabilityDamages,
                ReleaseKind::General,
            ),
            (Property, Dwelling, ReleaseKind::FirstParty),
            (Property, AdditionalLivingExpense, ReleaseKind::FirstParty),
            (WorkersComp, Indemnity, ReleaseKind::WorkersComp),
            (WorkersComp, Medical, ReleaseKind::WorkersComp),
        ] {
            assert_eq!(ReleaseKind::of(lob, e), kind, "{lob} {e}");
        }
        assert!(!ReleaseKind::FirstParty.must_be_signed());
        assert!(ReleaseKind::WorkersComp.must_be_signed());
    }

    #[test]
    fn the_injured_claimant_gives_the_bodily_injury_release_never_the_insured() {
        let mut c = truck();
        let p = release_parties(&c, Exposure::BodilyInjury, None).unwrap();
        assert_eq!(p.releasor.field, "auto.injured[0]");
        assert_eq!(p.releasor.name.as_deref(), Some("Christine Yates"));
        assert_eq!(p.releasee, "Lone Star Mechanical Services LLC");
        assert_eq!(
            p.missing(),
            vec![(
                "auto.injured[0].address".to_string(),
                "the injured claimant's address".to_string()
            )]
        );
        assert!(p.releasor.may_be_signed_by("  christine   YATES "));
        assert!(!p
            .releasor
            .may_be_signed_by("Lone Star Mechanical Services LLC"));
        // The insured's own driver hurt: not a third party's release to give.
        let mut driver = c.auto.as_ref().unwrap().injured[0].clone();
        driver.name = Some("Lone Star Mechanical Services LLC".into());
        c.auto.as_mut().unwrap().injured = vec![driver];
        let e = release_parties(&c, Exposure::BodilyInjury, None).unwrap_err();
        assert!(
            e.contains("is the insured: the injured claimant gives this release"),
            "{e}"
        );
    }

    #[test]
    fn several_injured_people_need_the_claimant_named() {
        let mut c = truck();
        let mut second = c.auto.as_ref().unwrap().injured[0].clone();
        second.name = Some("Tomas Guerrero".into());
        c.auto.as_mut().unwrap().injured.push(second);
        let e = release_parties(&c, Exposure::BodilyInjury, None).unwrap_err();
        assert!(
            e.contains("records 2 people who could give this release (Christine Yates (auto.injured[0]), Tomas Guerrero (auto.injured[1])): say whose it is with --claimant NAME"),
            "{e}"
        );
        let p = release_parties(&c, Exposure::BodilyInjury, Some("tomas guerrero")).unwrap();
        assert_eq!(p.releasor.field, "auto.injured[1]");
        let e = release_parties(&c, Exposure::BodilyInjury, Some("Ana Ruiz")).unwrap_err();
        assert!(
            e.contains("--claimant Ana Ruiz is not the injured claimant"),
            "{e}"
        );
    }

    #[test]
    fn first_party_the_insured_releases_the_insurer_and_an_organization_signs_by_its_reporter() {
        let c = claim(include_str!("../../claims/2026/10/CLM-2610-VA8H-T6J7.yaml"));
        let p = release_parties(&c, Exposure::Building, None).unwrap();
        assert_eq!(p.kind, ReleaseKind::FirstParty);
        assert_eq!(
            p.releasor.name.as_deref(),
            Some("Prairie Cold Storage, Inc.")
        );
        assert_eq!(p.releasee, "the insurer of policy CPP-IL-2026-70344");
        assert!(p.missing().is_empty());
        assert!(p.releasor.may_be_signed_by("Gary Lindqvist"));
        assert!(!p.releasor.may_be_signed_by("Old National Bank"));
    }
}
