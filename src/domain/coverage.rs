//! Coverage verification at triage: the claim read against its policy file.
//!
//! In force on the date of loss (inside the term, not cancelled or lapsed before it), the line
//! of business and the cause of loss covered and not excluded, the deductible and any
//! sublimit that applies, and the conditions that put coverage in question. Pure.

use chrono::NaiveDate;

use super::claim::{
    Claim, ConditionFlag, CoverageOutcome, LineOfBusiness, PolicyLimit, ProvisionRef, Sublimit,
};
use super::money::Money;
use super::policy::{Policy, PolicyStatus};

/// What verification found.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub outcome: CoverageOutcome,
    /// Why, in words for the file and the adjuster.
    pub reasons: Vec<String>,
    pub conditions: Vec<ConditionFlag>,
    pub deductible: Option<Money>,
    pub sublimit: Option<Sublimit>,
}

/// Days a dwelling may stand vacant before the vacancy condition applies.
const VACANCY_DAYS: i64 = 60;

/// The perils a claim's loss stands for: its cause, and what its line implies (a work injury
/// for workers' compensation, bodily injury or property damage for liability).
pub fn claim_perils(claim: &Claim) -> Vec<String> {
    let mut perils = Vec::new();
    if let Some(c) = claim.loss.cause.as_deref().filter(|c| !c.trim().is_empty()) {
        perils.push(c.trim().to_ascii_lowercase());
    }
    match claim.lob {
        LineOfBusiness::WorkersComp => perils.push("occupational_injury".into()),
        LineOfBusiness::GeneralLiability
        | LineOfBusiness::CommercialAuto
        | LineOfBusiness::PersonalAuto => {
            let injured = claim.liability.as_ref().is_some_and(|l| l.bodily_injury)
                || claim.auto.as_ref().is_some_and(|a| !a.injured.is_empty());
            if injured {
                perils.push("bodily_injury".into());
            }
            if claim.lob == LineOfBusiness::GeneralLiability && !injured {
                perils.push("property_damage".into());
            }
        }
        LineOfBusiness::ProfessionalLiability => perils.push("professional_error".into()),
        _ => {}
    }
    perils
}

/// Verifies `claim` against `policy` (found for it already).
pub fn verify(claim: &Claim, policy: &Policy) -> Verdict {
    let mut v = Verdict {
        outcome: CoverageOutcome::Confirmed,
        reasons: Vec::new(),
        conditions: Vec::new(),
        deductible: None,
        sublimit: None,
    };
    let none = |v: &mut Verdict, why: String| {
        v.outcome = CoverageOutcome::PotentiallyNone;
        v.reasons.push(why);
    };
    let Some(loss) = claim.loss.date else {
        none(
            &mut v,
            "the claim has no date of loss to verify coverage on".into(),
        );
        return v;
    };
    let n = &policy.number;

    // In force on the date of loss — for claims-made cover, on the date the claim was first
    // made (an act before the term is covered back to the retroactive date; a claim made
    // outside the term is a condition, below).
    let trigger = match &policy.claims_made {
        Some(_) => claim_made_on(claim),
        None => loss,
    };
    if policy.claims_made.is_none() && (loss < policy.effective || loss > policy.expires) {
        none(
            &mut v,
            format!(
                "loss date {loss} is outside the policy term {} to {}",
                policy.effective, policy.expires
            ),
        );
    }
    if let Some(c) = policy.cancelled_on.filter(|c| *c <= trigger) {
        none(
            &mut v,
            format!("policy {n} was cancelled effective {c}, on or before {trigger}"),
        );
    }
    if let Some(l) = policy.lapsed_on.filter(|l| *l <= trigger) {
        none(
            &mut v,
            format!("policy {n} lapsed on {l}, on or before {trigger}"),
        );
    }
    if policy.status == PolicyStatus::Cancelled && policy.cancelled_on.is_none()
        || policy.status == PolicyStatus::Lapsed && policy.lapsed_on.is_none()
    {
        none(
            &mut v,
            format!("policy {n} is {:?} with no date on file", policy.status).to_lowercase(),
        );
    }

    // Line of business and peril.
    if policy.lob != claim.lob {
        none(
            &mut v,
            format!(
                "the claim is {} but policy {n} is {}",
                claim.lob, policy.lob
            ),
        );
    }
    let perils = claim_perils(claim);
    let cause = perils.first().cloned().unwrap_or_default();
    if let Some(x) = policy
        .exclusions
        .iter()
        .find(|x| perils.iter().any(|p| p.eq_ignore_ascii_case(&x.peril)))
    {
        let cite = cite(policy, &x.provision);
        none(
            &mut v,
            format!("{} is excluded by {cite}", x.peril.replace('_', " ")),
        );
    }
    let coverage = covering(policy, &perils);
    match coverage {
        None => none(
            &mut v,
            format!(
                "no coverage of policy {n} answers the cause of loss `{}`",
                if cause.is_empty() { "unknown" } else { &cause }
            ),
        ),
        Some(c) => {
            v.deductible = Some(c.deductible);
            if let Some(s) = c
                .sublimits
                .iter()
                .find(|s| s.perils.iter().any(|sp| perils.iter().any(|p| p == sp)))
            {
                v.sublimit = Some(Sublimit {
                    name: s.name.clone(),
                    amount: s.amount,
                });
                v.reasons.push(format!(
                    "{} sublimit of {} applies{}",
                    s.name.replace('_', " "),
                    s.amount,
                    s.provision
                        .as_deref()
                        .map(|p| format!(" ({})", cite(policy, p)))
                        .unwrap_or_default()
                ));
            }
            v.reasons.push(format!(
                "{} covers {} with a deductible of {}",
                c.description.clone().unwrap_or_else(|| c.code.clone()),
                if cause.is_empty() {
                    "the loss".to_string()
                } else {
                    cause.replace('_', " ")
                },
                c.deductible
            ));
        }
    }
    if v.outcome == CoverageOutcome::PotentiallyNone {
        return v;
    }

    // Conditions that put coverage in question.
    v.conditions = conditions(claim, policy, loss);
    if !v.conditions.is_empty() {
        v.outcome = CoverageOutcome::InQuestion;
        for c in &v.conditions {
            v.reasons.push(format!("condition: {}", c.description));
        }
    } else {
        v.reasons
            .insert(0, format!("policy {n} was in force on {loss}"));
    }
    v
}

/// When a liability claim was first made against the insured (else when it reached us).
fn claim_made_on(claim: &Claim) -> NaiveDate {
    claim
        .liability
        .as_ref()
        .and_then(|l| l.claim_received_on)
        .unwrap_or_else(|| claim.received_at.date_naive())
}

/// The coverage that answers one of `perils`: its own perils and those of its sublimits (mold
/// under the dwelling) count.
pub fn covering<'p>(policy: &'p Policy, perils: &[String]) -> Option<&'p super::policy::Coverage> {
    policy.coverages.iter().find(|c| {
        c.perils
            .iter()
            .chain(c.sublimits.iter().flat_map(|s| s.perils.iter()))
            .any(|cp| perils.iter().any(|p| p == cp))
    })
}

/// The limit that caps what the claim can pay: the limit of the coverage that answers the
/// claim's perils — or the sublimit triage found, when the claim's cause of loss is one of that
/// sublimit's perils (the whole loss is mold, say). A sublimit that caps only part of a loss
/// (the spoilage in a fire) does not cap the claim. None without the policy file, or when the
/// policy states none (statutory workers' compensation is written with a limit of zero).
pub fn applicable_limit(claim: &Claim, policy: Option<&Policy>) -> Option<PolicyLimit> {
    let coverage = covering(policy?, &claim_perils(claim))?;
    let cause = claim
        .loss
        .cause
        .as_deref()
        .map(|c| c.trim().to_ascii_lowercase());
    let sublimit = claim
        .triage
        .as_ref()
        .and_then(|t| t.sublimit.as_ref())
        .filter(|s| {
            coverage.sublimits.iter().any(|spec| {
                spec.name == s.name && spec.perils.iter().any(|p| Some(p) == cause.as_ref())
            })
        })
        .map(|s| PolicyLimit {
            name: format!("{} sublimit", s.name.replace('_', " ")),
            amount: s.amount,
        });
    let limit = (!coverage.limit.is_zero()).then(|| PolicyLimit {
        name: format!("{} limit", coverage.code.replace('_', " ")),
        amount: coverage.limit,
    });
    match (sublimit, limit) {
        (Some(s), Some(l)) if l.amount <= s.amount => Some(l),
        (Some(s), _) => Some(s),
        (None, l) => l,
    }
}

fn cite(policy: &Policy, provision: &str) -> String {
    match policy.provision(provision) {
        Some(p) => format!("{} (page {})", p.section, p.page),
        None => format!("provision {provision}"),
    }
}

fn provision_ref(policy: &Policy, id: &str) -> Option<ProvisionRef> {
    policy.provision(id).map(|p| ProvisionRef {
        id: Some(p.id.clone()),
        section: p.section.clone(),
        page: p.page,
        title: Some(p.title.clone()),
        language: p.language.to_string(),
    })
}

/// The standard conditions triage checks, then those the policy declares with keywords.
fn conditions(claim: &Claim, policy: &Policy, loss: NaiveDate) -> Vec<ConditionFlag> {
    let mut out: Vec<ConditionFlag> = Vec::new();
    let declared = |code: &str| policy.conditions.iter().find(|c| c.code == code);
    let mut flag = |code: &str, description: String| {
        if out.iter().any(|f| f.code == code) {
            return;
        }
        let provision = declared(code).and_then(|c| provision_ref(policy, &c.provision));
        out.push(ConditionFlag {
            code: code.to_string(),
            description,
            provision,
        });
    };
    let text = format!(
        "{} {} {}",
        claim.loss.description.as_deref().unwrap_or(""),
        claim
            .property
            .as_ref()
            .and_then(|p| p.damage_description.as_deref())
            .unwrap_or(""),
        claim.loss.keywords.join(" ")
    )
    .to_lowercase();

    // Vacancy (property): the insured location vacant long enough before the loss.
    if claim.lob == LineOfBusiness::Property {
        for l in &policy.locations {
            let since = l.vacant_since.map(|d| (loss - d).num_days());
            if l.vacant && since.is_none_or(|days| days > VACANCY_DAYS) {
                flag(
                    "vacancy",
                    format!(
                        "{} was vacant{} before the loss",
                        l.address,
                        l.vacant_since
                            .map(|d| format!(" since {d}"))
                            .unwrap_or_default()
                    ),
                );
            }
        }
    }
    // Business use of a personal auto.
    if claim.lob == LineOfBusiness::PersonalAuto {
        let declared_business = policy.vehicles.iter().any(|v| {
            v.usage == "business"
                && claim.auto.as_ref().is_some_and(|a| {
                    a.vehicles
                        .iter()
                        .any(|cv| cv.vin.as_deref() == Some(&v.vin))
                })
        });
        if declared_business || claim.auto.as_ref().is_some_and(|a| a.business_use) {
            flag(
                "business_use",
                "the vehicle was in business use, which a personal auto policy may not cover"
                    .into(),
            );
        }
    }
    // A vehicle the auto policy does not list: covered, if at all, only as a newly acquired,
    // substitute or non-owned auto — in question, not confirmed.
    if matches!(
        claim.lob,
        LineOfBusiness::PersonalAuto | LineOfBusiness::CommercialAuto
    ) && !policy.vehicles.is_empty()
    {
        for cv in claim.auto.iter().flat_map(|a| a.vehicles.iter()) {
            let Some(vin) = cv.vin.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            if !policy
                .vehicles
                .iter()
                .any(|v| v.vin.eq_ignore_ascii_case(vin))
            {
                flag(
                    "unlisted_vehicle",
                    format!(
                        "{} (VIN {vin}) is not a vehicle listed on policy {}: covered only as a newly acquired, substitute or non-owned auto",
                        match cv.description() {
                            d if d.is_empty() => "the vehicle".to_string(),
                            d => d,
                        },
                        policy.number
                    ),
                );
            }
        }
    }
    // Prior notice of the claim (liability): documented for the coverage determination.
    if claim
        .liability
        .as_ref()
        .is_some_and(|l| l.prior_notice == Some(true))
    {
        flag(
            "prior_notice",
            "the insured had prior notice of this claim: whether it was known before the policy began, or reported under an earlier policy, decides coverage".into(),
        );
    }
    // Claims-made: the claim must be first made within the period (plus any extended period).
    if let Some(cm) = &policy.claims_made {
        let made = claim_made_on(claim);
        let last = policy.expires + chrono::Days::new(u64::from(cm.extended_reporting_days));
        if made < policy.effective || made > last {
            flag(
                "claims_made_reporting",
                format!(
                    "claims-made policy: the claim was first made on {made}, outside the period {} to {last}",
                    policy.effective
                ),
            );
        }
        if let Some(retro) = cm.retroactive_date.filter(|r| loss < *r) {
            flag(
                "claims_made_retroactive",
                format!("the act on {loss} precedes the retroactive date {retro}"),
            );
        }
    }
    // Late notice beyond the policy's window (for claims-made cover, reporting within the
    // period is the test instead, above).
    if let Some(window) = policy
        .notice_window_days
        .filter(|_| policy.claims_made.is_none())
    {
        let days = (claim.received_at.date_naive() - loss).num_days();
        if days > i64::from(window) {
            flag(
                "late_notice",
                format!("reported {days} days after the loss; the policy asks for notice within {window} days"),
            );
        }
    }
    // Conditions the policy declares, raised by words in the report.
    for c in &policy.conditions {
        if c.keywords.iter().any(|k| text.contains(&k.to_lowercase())) {
            flag(&c.code, c.description.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::PolicyStatus;

    /// The sample NY water claim (loss 2026-10-14, reported 2026-10-15) against its homeowners
    /// policy, made active again (the sample cancels it).
    fn fixture() -> (Claim, Policy) {
        let claim: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml"))
                .unwrap();
        let mut policy: Policy =
            serde_yaml::from_str(include_str!("../../policies/HO-NY-2025-62201.yaml")).unwrap();
        policy.status = PolicyStatus::Active;
        policy.cancelled_on = None;
        (claim, policy)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn in_force_through_the_expiry_date_and_not_from_the_cancellation_date() {
        let (claim, mut policy) = fixture();
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::Confirmed, "{:?}", v.reasons);
        assert_eq!(v.deductible, Some("1000.00".parse().unwrap()));
        assert!(v.reasons[0].contains("was in force on 2026-10-14"));

        // Loss on the expiry date: covered. The day after: outside the term.
        policy.expires = d("2026-10-14");
        assert_eq!(verify(&claim, &policy).outcome, CoverageOutcome::Confirmed);
        policy.expires = d("2026-10-13");
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::PotentiallyNone);
        assert!(
            v.reasons[0].contains("outside the policy term"),
            "{:?}",
            v.reasons
        );

        // Cancelled the day before the loss (coverage ends at the start of that day): none.
        // Cancelled the day after: the loss was still covered.
        let (claim, mut policy) = fixture();
        policy.cancelled_on = Some(d("2026-10-13"));
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::PotentiallyNone);
        assert!(v.reasons[0].contains("cancelled effective 2026-10-13, on or before 2026-10-14"));
        policy.cancelled_on = Some(d("2026-10-14"));
        assert_eq!(
            verify(&claim, &policy).outcome,
            CoverageOutcome::PotentiallyNone
        );
        policy.cancelled_on = Some(d("2026-10-15"));
        assert_eq!(verify(&claim, &policy).outcome, CoverageOutcome::Confirmed);

        let (claim, mut policy) = fixture();
        policy.lapsed_on = Some(d("2026-10-01"));
        assert_eq!(
            verify(&claim, &policy).outcome,
            CoverageOutcome::PotentiallyNone
        );
    }

    #[test]
    fn excluded_and_uncovered_perils_and_a_sublimit() {
        let (mut claim, policy) = fixture();
        claim.loss.cause = Some("flood".into());
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::PotentiallyNone);
        assert!(
            v.reasons
                .iter()
                .any(|r| r == "flood is excluded by Section I - Exclusions, A.3 Water (page 10)"),
            "{:?}",
            v.reasons
        );

        claim.loss.cause = Some("meteor".into());
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::PotentiallyNone);
        assert!(v.reasons[0].contains("answers the cause of loss `meteor`"));

        // Mold is answered by the dwelling coverage, up to its sublimit.
        claim.loss.cause = Some("mold".into());
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::Confirmed, "{:?}", v.reasons);
        let s = v.sublimit.unwrap();
        assert_eq!(
            (s.name.as_str(), s.amount.to_string().as_str()),
            ("mold", "10000.00")
        );
        assert!(v
            .reasons
            .iter()
            .any(|r| r.contains("mold sublimit of 10000.00 applies")));

        // A line of business other than the policy's.
        let (mut claim, policy) = fixture();
        claim.lob = LineOfBusiness::PersonalAuto;
        assert_eq!(
            verify(&claim, &policy).outcome,
            CoverageOutcome::PotentiallyNone
        );
    }

    #[test]
    fn conditions_put_coverage_in_question_with_their_provision() {
        // Late notice: reported beyond the 60-day window.
        let (mut claim, policy) = fixture();
        claim.loss.date = Some(d("2026-08-01"));
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::InQuestion);
        let c = &v.conditions[0];
        assert_eq!(c.code, "late_notice");
        assert!(c.description.contains("reported 75 days after the loss"));
        assert_eq!(
            c.provision.as_ref().unwrap().section,
            "Section I - Conditions, B.2 Duties After Loss"
        );

        // Vacancy: the insured location vacant for more than 60 days.
        let (claim, mut policy) = fixture();
        policy.locations[0].vacant = true;
        policy.locations[0].vacant_since = Some(d("2026-07-01"));
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::InQuestion);
        assert_eq!(v.conditions[0].code, "vacancy");
        assert_eq!(v.conditions[0].provision.as_ref().unwrap().page, 8);
        policy.locations[0].vacant_since = Some(d("2026-09-01"));
        assert_eq!(verify(&claim, &policy).outcome, CoverageOutcome::Confirmed);

        // A condition the policy declares, raised by words in the report.
        let (mut claim, policy) = fixture();
        claim.loss.description = Some("Nobody living there since spring; pipe burst".into());
        let v = verify(&claim, &policy);
        assert_eq!(v.conditions[0].code, "vacancy", "{:?}", v.conditions);
    }

    #[test]
    fn business_use_and_claims_made_reporting() {
        let mut auto: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/11/CLM-2611-YFNF-X1DT.yaml"))
                .unwrap();
        let policy: Policy =
            serde_yaml::from_str(include_str!("../../policies/PAU-TX-2026-10482.yaml")).unwrap();
        assert_eq!(verify(&auto, &policy).outcome, CoverageOutcome::Confirmed);
        auto.auto.as_mut().unwrap().business_use = true;
        let v = verify(&auto, &policy);
        assert_eq!(v.outcome, CoverageOutcome::InQuestion);
        assert_eq!(v.conditions[0].code, "business_use");

        let pl: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/09/CLM-2609-8VDW-5NMT.yaml"))
                .unwrap();
        let mut policy: Policy =
            serde_yaml::from_str(include_str!("../../policies/PL-IL-2026-90215.yaml")).unwrap();
        let before = verify(&pl, &policy);
        assert!(before
            .conditions
            .iter()
            .all(|c| !c.code.starts_with("claims_made")));
        assert_eq!(
            before.outcome,
            CoverageOutcome::Confirmed,
            "{:?}",
            before.reasons
        );
        // The claim was first made on 2026-09-17: after a period ending 2026-08-31 with no
        // extended reporting period.
        policy.claims_made.as_mut().unwrap().extended_reporting_days = 0;
        policy.expires = d("2026-08-31");
        policy.effective = d("2025-09-01");
        let v = verify(&pl, &policy);
        assert!(
            v.conditions
                .iter()
                .any(|c| c.code == "claims_made_reporting"),
            "{:?}",
            v.conditions
        );
    }

    #[test]
    fn a_vehicle_the_auto_policy_does_not_list_puts_coverage_in_question() {
        let mut claim: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/11/CLM-2611-YFNF-X1DT.yaml"))
                .unwrap();
        let policy: Policy =
            serde_yaml::from_str(include_str!("../../policies/PAU-TX-2026-10482.yaml")).unwrap();
        assert_eq!(verify(&claim, &policy).outcome, CoverageOutcome::Confirmed);
        let v = &mut claim.auto.as_mut().unwrap().vehicles[0];
        v.vin = Some("1HGCM82633A004352".into());
        v.make = Some("Honda".into());
        v.model = Some("Accord".into());
        v.year = Some(2003);
        let verdict = verify(&claim, &policy);
        assert_eq!(verdict.outcome, CoverageOutcome::InQuestion, "{verdict:?}");
        let flag = &verdict.conditions[0];
        assert_eq!(flag.code, "unlisted_vehicle");
        assert!(flag
            .description
            .contains("2003 Honda Accord (VIN 1HGCM82633A004352)"));
        assert_eq!(
            flag.provision.as_ref().unwrap().id.as_deref(),
            Some("PA-DEF-J")
        );
    }

    #[test]
    fn prior_notice_is_documented_for_the_coverage_determination() {
        let mut claim: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/10/CLM-2610-8XQQ-T1SD.yaml"))
                .unwrap();
        let policy: Policy =
            serde_yaml::from_str(include_str!("../../policies/GL-NY-2026-80412.yaml")).unwrap();
        claim.liability.as_mut().unwrap().prior_notice = Some(false);
        let before = verify(&claim, &policy);
        assert!(before.conditions.iter().all(|c| c.code != "prior_notice"));
        claim.liability.as_mut().unwrap().prior_notice = Some(true);
        let v = verify(&claim, &policy);
        assert_eq!(v.outcome, CoverageOutcome::InQuestion, "{v:?}");
        let flag = v
            .conditions
            .iter()
            .find(|c| c.code == "prior_notice")
            .unwrap();
        assert_eq!(
            flag.provision.as_ref().unwrap().id.as_deref(),
            Some("GL-A1D")
        );
    }

    #[test]
    fn the_applicable_limit_is_the_coverage_limit_or_the_sublimit_of_the_whole_loss() {
        let (mut claim, policy) = fixture();
        let limit = applicable_limit(&claim, Some(&policy)).unwrap();
        assert_eq!(limit.to_string(), "the dwelling limit of 295000.00");
        // Triage found the mold sublimit: it caps the claim.
        claim.loss.cause = Some("mold".into());
        let v = verify(&claim, &policy);
        let mut triage: crate::domain::claim::Triage = serde_yaml::from_str(
            "at: 2026-10-15T11:00:00-05:00\nby: x\ncoverage: confirmed\npriority: standard\n",
        )
        .unwrap();
        triage.sublimit = v.sublimit;
        claim.triage = Some(triage);
        let limit = applicable_limit(&claim, Some(&policy)).unwrap();
        assert_eq!(limit.to_string(), "the mold sublimit of 10000.00");
        // A loss of another cause with some mold in it: the sublimit caps only that part.
        claim.loss.cause = Some("water".into());
        let limit = applicable_limit(&claim, Some(&policy)).unwrap();
        assert_eq!(limit.to_string(), "the dwelling limit of 295000.00");
        // Without the policy file nothing is known.
        assert_eq!(applicable_limit(&claim, None), None);
        // A coverage written with a zero limit (statutory workers' compensation) states none.
        let (claim, mut policy) = fixture();
        for c in &mut policy.coverages {
            c.limit = crate::domain::money::Money::ZERO;
        }
        assert_eq!(applicable_limit(&claim, Some(&policy)), None);
    }
}
