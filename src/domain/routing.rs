//! Routing and workload balancing: which rule of authority.yaml a claim falls under, who among
//! the people holding the rule's specialty takes it, and by when they must first call the
//! insured. Pure: the caller counts the workload from the claim files.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone};

use super::authority::has_bodily_injury;
use super::calendar::BusinessCalendar;
use super::claim::{Claim, Priority, Timestamp};
use super::office::{ContactWithin, Office, Permission, Person, RouteWhen, RoutingRule};

impl RouteWhen {
    /// Every condition given holds for the claim. A condition on the estimated loss holds
    /// only where an estimate was reported.
    pub fn holds(&self, claim: &Claim) -> bool {
        let auto = claim.auto.as_ref();
        let property = claim.property.as_ref();
        let is = |want: Option<bool>, actual: bool| want.is_none_or(|w| w == actual);
        let estimate = claim.estimated_loss();
        (self.lob.is_empty() || self.lob.contains(&claim.lob))
            && (self.states.is_empty()
                || self
                    .states
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(&claim.jurisdiction)))
            && is(self.commercial, claim.is_commercial())
            && is(self.glass_only, claim.is_glass_only())
            && is(self.bodily_injury, has_bodily_injury(claim))
            && is(self.represented, is_represented(claim))
            && is(
                self.catastrophe,
                claim
                    .triage
                    .as_ref()
                    .is_some_and(|t| t.catastrophe.is_some()),
            )
            && (self.coverage.is_empty()
                || claim
                    .triage
                    .as_ref()
                    .is_some_and(|t| self.coverage.contains(&t.coverage)))
            && self
                .estimated_loss_under
                .is_none_or(|max| estimate.is_some_and(|e| e < max))
            && self
                .estimated_loss_over
                .is_none_or(|min| estimate.is_some_and(|e| e > min))
            && is(self.mortgagee, has_mortgagee(claim))
            && is(self.displaced, property.is_some_and(|p| p.displaced))
            && is(
                self.public_adjuster,
                property.is_some_and(|p| p.public_adjuster == Some(true)),
            )
            && is(
                self.emergency_repairs,
                property.is_some_and(|p| {
                    p.emergency_repairs_needed == Some(true)
                        || p.emergency_repairs
                            .as_deref()
                            .is_some_and(|r| !r.trim().is_empty())
                }),
            )
            && is(
                self.police_report,
                auto.and_then(|a| a.police_report.as_deref())
                    .is_some_and(|r| !r.trim().is_empty()),
            )
            && is(
                self.other_party,
                auto.is_some_and(|a| !a.other_parties.is_empty()),
            )
    }
}

fn is_represented(claim: &Claim) -> bool {
    claim
        .liability
        .as_ref()
        .is_some_and(|l| l.represented == Some(true) || l.litigation)
}

fn has_mortgagee(claim: &Claim) -> bool {
    claim
        .property
        .as_ref()
        .and_then(|p| p.mortgagee.as_deref())
        .is_some_and(|m| !m.trim().is_empty() && !m.trim().eq_ignore_ascii_case("none"))
}

/// The first routing rule whose conditions hold.
pub fn route<'o>(claim: &Claim, office: &'o Office) -> Option<&'o RoutingRule> {
    office.routing.iter().find(|r| r.when.holds(claim))
}

/// Open claims per adjuster (by lower-case email).
#[derive(Clone, Debug, Default)]
pub struct Workload {
    open: HashMap<String, u32>,
}

impl Workload {
    /// Counts every open claim with an adjuster.
    pub fn count<'a>(claims: impl IntoIterator<Item = &'a Claim>) -> Workload {
        let mut w = Workload::default();
        for c in claims {
            if c.status.is_open() {
                if let Some(a) = c.adjuster() {
                    w.add(a);
                }
            }
        }
        w
    }

    pub fn open(&self, email: &str) -> u32 {
        self.open
            .get(&email.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }

    pub fn add(&mut self, email: &str) {
        *self.open.entry(email.to_ascii_lowercase()).or_default() += 1;
    }

    pub fn remove(&mut self, email: &str) {
        if let Some(n) = self.open.get_mut(&email.to_ascii_lowercase()) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Why a person holding the specialty cannot take a claim now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// Left the office (`active: false`).
    Inactive,
    /// Their role may not investigate claims.
    RoleCannotInvestigate,
    OutOfOffice {
        until: NaiveDate,
    },
    AtCapacity {
        open: u32,
        max: u32,
    },
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::Inactive => f.write_str("no longer active"),
            Unavailable::RoleCannotInvestigate => f.write_str("role may not investigate"),
            Unavailable::OutOfOffice { until } => write!(f, "out of office until {until}"),
            Unavailable::AtCapacity { open, max } => {
                write!(f, "at capacity ({open} of {max} open claims)")
            }
        }
    }
}

/// A person holding a specialty, with their load and whether they can take a claim today.
#[derive(Clone, Debug)]
pub struct Candidate<'o> {
    pub person: &'o Person,
    pub open: u32,
    pub unavailable: Option<Unavailable>,
}

/// Whether `person` can take another claim on `on`, given their open claims.
pub fn availability(
    office: &Office,
    person: &Person,
    open: u32,
    on: NaiveDate,
) -> Option<Unavailable> {
    if !person.active {
        return Some(Unavailable::Inactive);
    }
    if !office.may(&person.email, Permission::Investigate) {
        return Some(Unavailable::RoleCannotInvestigate);
    }
    if let Some(r) = person.out_of_office.iter().find(|r| r.contains(on)) {
        return Some(Unavailable::OutOfOffice { until: r.to });
    }
    match person.max_open_claims {
        Some(max) if open >= max => Some(Unavailable::AtCapacity { open, max }),
        _ => None,
    }
}

/// Everyone holding `specialty`, in the order they would be chosen: available first, then
/// fewest open claims, then the larger maximum, then by email.
pub fn candidates<'o>(
    office: &'o Office,
    specialty: &str,
    workload: &Workload,
    on: NaiveDate,
) -> Vec<Candidate<'o>> {
    candidates_at(office, specialty, None, workload, on)
}

/// Everyone holding `specialty` whose role ranks at least `min_rank`, in the order they would
/// be chosen.
pub fn candidates_at<'o>(
    office: &'o Office,
    specialty: &str,
    min_rank: Option<u8>,
    workload: &Workload,
    on: NaiveDate,
) -> Vec<Candidate<'o>> {
    let ranks = |p: &Person| {
        office
            .role(&p.role)
            .is_some_and(|r| r.rank >= min_rank.unwrap_or(0))
    };
    let mut out: Vec<Candidate> = office
        .people
        .iter()
        .filter(|p| p.specialties.iter().any(|s| s == specialty) && ranks(p))
        .map(|p| {
            let open = workload.open(&p.email);
            Candidate {
                person: p,
                open,
                unavailable: availability(office, p, open, on),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.unavailable.is_some(), a.open)
            .cmp(&(b.unavailable.is_some(), b.open))
            .then_with(|| {
                let max = |c: &Candidate| c.person.max_open_claims.unwrap_or(u32::MAX);
                max(b).cmp(&max(a))
            })
            .then_with(|| a.person.email.cmp(&b.person.email))
    });
    out
}

/// The person who takes the claim, or — nobody being available — why each candidate cannot.
pub fn pick<'o>(
    office: &'o Office,
    specialty: &str,
    workload: &Workload,
    on: NaiveDate,
) -> Result<&'o Person, Vec<Candidate<'o>>> {
    pick_at(office, specialty, None, workload, on)
}

/// [`pick`] among those whose role ranks at least `min_rank` (a senior adjuster or above).
pub fn pick_at<'o>(
    office: &'o Office,
    specialty: &str,
    min_rank: Option<u8>,
    workload: &Workload,
    on: NaiveDate,
) -> Result<&'o Person, Vec<Candidate<'o>>> {
    let all = candidates_at(office, specialty, min_rank, workload, on);
    match all.first() {
        Some(c) if c.unavailable.is_none() => Ok(c.person),
        _ => Err(all),
    }
}

/// The role id whose rank is "senior": a rule with `destination: senior`, and every critical
/// claim, go to a person of this rank or above.
pub const SENIOR_ROLE: &str = "senior_adjuster";

/// The rank a senior adjuster holds in the office (none: the office has no such role).
pub fn senior_rank(office: &Office) -> Option<u8> {
    office.role(SENIOR_ROLE).map(|r| r.rank)
}

/// The sentence an escalation records: the specialty and why nobody holding it can take it.
pub fn nobody_available(specialty: &str, why: &[Candidate]) -> String {
    if why.is_empty() {
        return format!("nobody in authority.yaml holds the specialty {specialty}");
    }
    let each: Vec<String> = why
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.person.name,
                c.unavailable
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| "available".into())
            )
        })
        .collect();
    format!(
        "nobody holding {specialty} is available: {}",
        each.join("; ")
    )
}

/// When the adjuster must first contact the insured: critical claims within hours, others at
/// the same time of day some business days after assignment.
pub fn contact_by(
    assigned: Timestamp,
    priority: Priority,
    within: &ContactWithin,
    cal: &BusinessCalendar,
    tz: chrono_tz::Tz,
) -> Timestamp {
    let days = match priority {
        Priority::Critical => {
            return assigned + chrono::Duration::hours(i64::from(within.critical_hours))
        }
        Priority::High => within.high_business_days,
        Priority::Standard => within.standard_business_days,
        Priority::Low => within.low_business_days,
    };
    let local = assigned.with_timezone(&tz);
    let date = cal.add_business_days(local.date_naive(), days);
    tz.from_local_datetime(&date.and_time(local.time()))
        .earliest()
        .map(|t| t.fixed_offset())
        .unwrap_or(assigned + chrono::Duration::days(i64::from(days)))
}

/// People told when nobody can take a claim (and by rules that `notify: [supervisor]`): the
/// active people whose role may override assignments, supervisors before managers.
pub fn supervisors(office: &Office) -> Vec<&Person> {
    let mut out: Vec<&Person> = office
        .people
        .iter()
        .filter(|p| p.active && office.may(&p.email, Permission::AssignOverride))
        .collect();
    out.sort_by_key(|p| (office.role(&p.role).map_or(u8::MAX, |r| r.rank), &p.email));
    if let Some(first) = out.first().and_then(|p| office.role(&p.role)) {
        let lowest = first.rank;
        out.retain(|p| office.role(&p.role).is_some_and(|r| r.rank == lowest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claim::CoverageOutcome;
    use crate::domain::fnol::InjuredPerson;

    fn office() -> Office {
        serde_yaml::from_str(include_str!("../../authority.yaml")).unwrap()
    }

    fn sample(yaml: &str) -> Claim {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn glass() -> Claim {
        sample(include_str!("../../claims/2026/11/CLM-2611-YFNF-X1DT.yaml"))
    }
    fn auto() -> Claim {
        sample(include_str!("../../claims/2026/10/CLM-2610-VH4E-J57R.yaml"))
    }
    fn home() -> Claim {
        sample(include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml"))
    }
    fn cold_storage() -> Claim {
        sample(include_str!("../../claims/2026/10/CLM-2610-VA8H-T6J7.yaml"))
    }
    fn gym_injury() -> Claim {
        sample(include_str!("../../claims/2026/10/CLM-2610-8XQQ-T1SD.yaml"))
    }
    fn accountants() -> Claim {
        sample(include_str!("../../claims/2026/09/CLM-2609-8VDW-5NMT.yaml"))
    }
    fn packing_plant() -> Claim {
        sample(include_str!("../../claims/2026/09/CLM-2609-EZDS-G36W.yaml"))
    }

    fn confirmed(mut c: Claim) -> Claim {
        c.triage.as_mut().unwrap().coverage = CoverageOutcome::Confirmed;
        c.triage.as_mut().unwrap().catastrophe = None;
        c
    }

    fn rule_for(c: &Claim) -> String {
        route(c, &office()).map(|r| r.name.clone()).unwrap()
    }

    #[test]
    fn each_routing_rule_in_order() {
        // Potentially no coverage goes to coverage counsel before anything else.
        let mut c = confirmed(home());
        c.triage.as_mut().unwrap().coverage = CoverageOutcome::PotentiallyNone;
        assert_eq!(rule_for(&c), "potentially_no_coverage");
        // A represented claimant: a senior adjuster, and defense counsel is told.
        let c = confirmed(gym_injury());
        assert_eq!(rule_for(&c), "represented");
        assert_eq!(
            route(&c, &office()).unwrap().notify,
            vec!["defense_counsel".to_string()]
        );
        // A catastrophe code sends any line to the CAT roster.
        let mut c = confirmed(home());
        c.triage.as_mut().unwrap().catastrophe = Some("CAT-2026-TXHAIL".into());
        assert_eq!(rule_for(&c), "catastrophe");
        // Glass only, where the state lets the vendor handle it end to end.
        assert_eq!(rule_for(&confirmed(glass())), "glass");
        let mut ca = confirmed(glass());
        ca.jurisdiction = "CA".into();
        assert_eq!(
            rule_for(&ca),
            "auto_other",
            "CA is not a vendor-direct state"
        );
        // Any bodily injury: the BI team.
        let mut hurt = confirmed(auto());
        hurt.auto.as_mut().unwrap().injured.push(InjuredPerson {
            name: Some("Ana Ruiz".into()),
            contact: None,
            description: Some("neck pain".into()),
            catastrophic: false,
            ..Default::default()
        });
        assert_eq!(rule_for(&hurt), "bodily_injury");
        assert_eq!(rule_for(&confirmed(packing_plant())), "workers_comp");
        // Commercial property over the threshold: the outside TPA; a home of the same size stays in house.
        assert_eq!(
            rule_for(&confirmed(cold_storage())),
            "commercial_property_large"
        );
        let mut big_home = confirmed(home());
        big_home.property.as_mut().unwrap().estimated_loss = Some("325000.00".parse().unwrap());
        assert_eq!(rule_for(&big_home), "property_other");
        // Personal auto damage under the threshold, then the catch-alls.
        let mut small = confirmed(auto());
        small.auto.as_mut().unwrap().estimated_loss = Some("8400.00".parse().unwrap());
        assert_eq!(rule_for(&small), "auto_pd_small");
        small.auto.as_mut().unwrap().estimated_loss = Some("25000.00".parse().unwrap());
        assert_eq!(
            rule_for(&small),
            "auto_other",
            "the threshold itself is not under"
        );
        let mut gl = confirmed(gym_injury());
        gl.liability.as_mut().unwrap().represented = Some(false);
        gl.liability.as_mut().unwrap().bodily_injury = false;
        assert_eq!(rule_for(&gl), "general_liability_other");
        assert_eq!(
            rule_for(&confirmed(accountants())),
            "professional_liability_other"
        );
    }

    fn loads(pairs: &[(&str, u32)]) -> Workload {
        let mut w = Workload::default();
        for (email, n) in pairs {
            for _ in 0..*n {
                w.add(email);
            }
        }
        w
    }

    #[test]
    fn the_fewest_open_claims_wins_and_ties_break_the_same_way_every_time() {
        let o = office();
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        // auto_pd: Whitfield (max 120), Fontaine (100), Martinez (60), Park (25); Kline left.
        let w = loads(&[
            ("jwhitfield@harborpoint.example", 7),
            ("dfontaine@harborpoint.example", 3),
            ("amartinez@harborpoint.example", 3),
            ("lpark@harborpoint.example", 5),
        ]);
        assert_eq!(
            pick(&o, "auto_pd", &w, day).unwrap().name,
            "Danielle Fontaine"
        );
        let order: Vec<&str> = candidates(&o, "auto_pd", &w, day)
            .iter()
            .map(|c| c.person.name.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "Danielle Fontaine",
                "Angela Martinez",
                "Linda Park",
                "James Whitfield",
                "Robert Kline"
            ],
            "equal loads: the larger maximum first; the inactive last"
        );
        // Fontaine fills up to her maximum: the next fewest takes over.
        let w = loads(&[
            ("jwhitfield@harborpoint.example", 7),
            ("dfontaine@harborpoint.example", 100),
            ("amartinez@harborpoint.example", 3),
            ("lpark@harborpoint.example", 5),
        ]);
        assert_eq!(
            pick(&o, "auto_pd", &w, day).unwrap().name,
            "Angela Martinez"
        );
        // Adding to the workload as a batch assigns moves the next claim on.
        let mut w = loads(&[
            ("praman@harborpoint.example", 2),
            ("mwebb@harborpoint.example", 2),
        ]);
        let first = pick(&o, "property", &w, day).unwrap().email.clone();
        assert_eq!(first, "lpark@harborpoint.example");
        w.add(&first);
        w.add(&first);
        w.add(&first);
        assert_eq!(
            pick(&o, "property", &w, day).unwrap().email,
            "praman@harborpoint.example",
            "Park now has 3; Raman and Webb 2 each, and Raman's maximum (90) is the larger"
        );
    }

    #[test]
    fn nobody_available_explains_each_candidate() {
        let o = office();
        // Marcus Webb, the only cat adjuster, is on holiday leave 2026-12-21..31.
        let leave = NaiveDate::from_ymd_opt(2026, 12, 22).unwrap();
        let why = pick(&o, "cat", &Workload::default(), leave).unwrap_err();
        assert_eq!(
            nobody_available("cat", &why),
            "nobody holding cat is available: Marcus Webb out of office until 2026-12-31"
        );
        let w = loads(&[("kosei@harborpoint.example", 80)]);
        let why = pick(&o, "wc", &w, leave).unwrap_err();
        assert_eq!(
            nobody_available("wc", &why),
            "nobody holding wc is available: Kevin Osei at capacity (80 of 80 open claims)"
        );
        assert_eq!(
            nobody_available("marine", &[]),
            "nobody in authority.yaml holds the specialty marine"
        );
        // Back from leave the next day after it ends.
        let back = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert!(pick(&o, "cat", &Workload::default(), back).is_ok());
    }

    #[test]
    fn first_contact_deadlines_by_priority() {
        let o = office();
        let cal = BusinessCalendar::new(o.calendar.clone());
        let tz: chrono_tz::Tz = "America/Chicago".parse().unwrap();
        let friday: Timestamp = "2026-11-20T10:00:00-06:00".parse().unwrap();
        let by = |p| contact_by(friday, p, &o.priority.contact_within, &cal, tz).to_rfc3339();
        assert_eq!(by(Priority::Critical), "2026-11-20T14:00:00-06:00");
        assert_eq!(by(Priority::High), "2026-11-23T10:00:00-06:00");
        assert_eq!(by(Priority::Standard), "2026-11-23T10:00:00-06:00");
        assert_eq!(by(Priority::Low), "2026-11-24T10:00:00-06:00");
        // Thanksgiving (Thursday 2026-11-26) is not a business day.
        let wednesday: Timestamp = "2026-11-25T16:30:00-06:00".parse().unwrap();
        assert_eq!(
            contact_by(
                wednesday,
                Priority::Standard,
                &o.priority.contact_within,
                &cal,
                tz
            )
            .to_rfc3339(),
            "2026-11-27T16:30:00-06:00"
        );
    }

    #[test]
    fn supervisors_are_the_lowest_rank_that_may_override() {
        let o = office();
        let names: Vec<&str> = supervisors(&o).iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Linda Park"]);
    }

    #[test]
    fn a_senior_destination_reaches_only_a_senior_adjuster_or_above() {
        let o = office();
        let day: NaiveDate = "2026-11-20".parse().unwrap();
        let w = Workload::default();
        let senior = senior_rank(&o);
        assert!(senior.is_some());
        let everyone = candidates(&o, "liability", &w, day);
        let seniors = candidates_at(&o, "liability", senior, &w, day);
        assert!(
            seniors.len() < everyone.len(),
            "liability has a staff adjuster too"
        );
        for c in &seniors {
            let rank = o.role(&c.person.role).unwrap().rank;
            assert!(
                rank >= senior.unwrap(),
                "{} is {}",
                c.person.email,
                c.person.role
            );
        }
        let p = pick_at(&o, "liability", senior, &w, day).unwrap();
        assert!(o.role(&p.role).unwrap().rank >= senior.unwrap());
    }
}
