//! Triage priority, its assignment deadline, and catastrophe codes. Pure.
//!
//! Critical: a fatality, a catastrophic injury, a property loss over the critical threshold,
//! litigation. High: any injury, a commercial loss over its threshold, several vehicles.
//! Low: glass only, roadside, a minor property loss. Standard: everything else (property
//! damage only, personal lines under the threshold).

use chrono::{NaiveTime, TimeZone};

use super::calendar::BusinessCalendar;
use super::claim::{Claim, LineOfBusiness, Priority, Timestamp};
use super::office::{Catastrophe, PriorityThresholds};
use super::sla::assignment_due_date;

/// More vehicles than this makes an auto claim high priority.
const SEVERAL_VEHICLES: usize = 2;

/// When a business day ends, for "assigned by the end of the day" deadlines.
const CLOSE_OF_BUSINESS: (u32, u32) = (17, 0);

/// The claim's priority and why.
pub fn score(claim: &Claim, t: &PriorityThresholds) -> (Priority, Vec<String>) {
    let estimate = claim.estimated_loss();
    let mut critical = Vec::new();
    let fatality = claim.auto.as_ref().is_some_and(|a| a.fatality)
        || claim.workers_comp.as_ref().is_some_and(|w| w.fatality);
    if fatality {
        critical.push("a fatality was reported".to_string());
    }
    if claim
        .auto
        .as_ref()
        .is_some_and(|a| a.injured.iter().any(|i| i.catastrophic))
    {
        critical.push("a catastrophic injury was reported".to_string());
    }
    if let Some(e) =
        estimate.filter(|e| claim.lob == LineOfBusiness::Property && *e > t.critical_property_loss)
    {
        critical.push(format!(
            "property loss {e} is over {}",
            t.critical_property_loss
        ));
    }
    if claim.liability.as_ref().is_some_and(|l| l.litigation) {
        critical.push("a lawsuit has been filed".to_string());
    }
    if !critical.is_empty() {
        return (Priority::Critical, critical);
    }

    let mut high = Vec::new();
    let injuries = claim.auto.as_ref().map_or(0, |a| a.injured.len());
    if injuries > 0 {
        high.push(format!("{injuries} injured"));
    }
    if claim.liability.as_ref().is_some_and(|l| l.bodily_injury) {
        high.push("bodily injury is alleged".to_string());
    }
    if claim.lob == LineOfBusiness::WorkersComp {
        high.push("a work injury".to_string());
    }
    if let Some(e) = estimate.filter(|e| claim.is_commercial() && *e > t.commercial_high_loss) {
        high.push(format!(
            "commercial loss {e} is over {}",
            t.commercial_high_loss
        ));
    }
    let vehicles = claim
        .auto
        .as_ref()
        .map_or(0, |a| a.vehicles.len() + a.other_parties.len());
    if vehicles > SEVERAL_VEHICLES {
        high.push(format!("{vehicles} vehicles involved"));
    }
    if !high.is_empty() {
        return (Priority::High, high);
    }

    let cause = claim
        .loss
        .cause
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if claim.is_glass_only() {
        return (Priority::Low, vec!["glass only".to_string()]);
    }
    if matches!(
        cause.as_str(),
        "roadside" | "towing" | "lockout" | "flat_tire"
    ) {
        return (Priority::Low, vec!["roadside service".to_string()]);
    }
    if let Some(e) =
        estimate.filter(|e| claim.lob == LineOfBusiness::Property && *e < t.minor_property_loss)
    {
        return (
            Priority::Low,
            vec![format!(
                "minor property loss {e}, under {}",
                t.minor_property_loss
            )],
        );
    }
    let why = match (estimate, claim.lob) {
        (Some(e), _) if !claim.is_commercial() && e < t.personal_lines_threshold => format!(
            "personal lines, estimated loss {e} is under {}",
            t.personal_lines_threshold
        ),
        _ => "property damage only".to_string(),
    };
    (Priority::Standard, vec![why])
}

/// A represented claimant (or a lawsuit) on a liability claim escalates at once.
pub fn escalates(claim: &Claim) -> bool {
    claim
        .liability
        .as_ref()
        .is_some_and(|l| l.represented == Some(true) || l.litigation)
}

/// When the claim must be with an adjuster: critical within the configured hours of receipt;
/// otherwise by the close of business on the due business day (the same rule the assignment
/// SLA clock uses).
pub fn assign_by(
    claim: &Claim,
    priority: Priority,
    t: &PriorityThresholds,
    cal: &BusinessCalendar,
    tz: chrono_tz::Tz,
) -> Timestamp {
    let within = &t.assign_within;
    if priority == Priority::Critical {
        return claim.received_at + chrono::Duration::hours(i64::from(within.critical_hours));
    }
    let received = claim.received_at.with_timezone(&tz).date_naive();
    let due = assignment_due_date(cal, received, priority, within);
    let close =
        NaiveTime::from_hms_opt(CLOSE_OF_BUSINESS.0, CLOSE_OF_BUSINESS.1, 0).expect("a valid time");
    let local = tz
        .from_local_datetime(&due.and_time(close))
        .earliest()
        .expect("17:00 exists on every day");
    local.fixed_offset()
}

/// The declared catastrophe this loss belongs to: a matching peril, in one of its states (and
/// ZIP areas, where given), on a date inside the event.
pub fn catastrophe<'a>(claim: &Claim, events: &'a [Catastrophe]) -> Option<&'a Catastrophe> {
    let date = claim.loss.date?;
    let cause = claim.loss.cause.as_deref()?.to_ascii_lowercase();
    let place = claim
        .property
        .as_ref()
        .and_then(|p| p.property_address.clone())
        .or_else(|| claim.loss.location.clone())
        .unwrap_or_default();
    let zip = zip_of(&place);
    events.iter().find(|e| {
        e.from <= date
            && date <= e.to
            && e.perils.iter().any(|p| p.eq_ignore_ascii_case(&cause))
            && e.states
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&claim.jurisdiction))
            && (e.zip_prefixes.is_empty()
                || zip
                    .as_deref()
                    .is_some_and(|z| e.zip_prefixes.iter().any(|p| z.starts_with(p.as_str()))))
    })
}

/// The last five-digit group of an address (its ZIP code).
fn zip_of(address: &str) -> Option<String> {
    address
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|w| w.len() == 5)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fnol::{InjuredPerson, OtherParty};
    use crate::domain::office::Office;

    fn office() -> Office {
        serde_yaml::from_str(include_str!("../../authority.yaml")).unwrap()
    }

    fn glass() -> Claim {
        serde_yaml::from_str(include_str!("../../claims/2026/11/CLM-2611-YFNF-X1DT.yaml")).unwrap()
    }

    fn water() -> Claim {
        serde_yaml::from_str(include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml")).unwrap()
    }

    fn injured() -> InjuredPerson {
        InjuredPerson {
            name: Some("Ana Ruiz".into()),
            contact: None,
            description: Some("neck pain".into()),
            catastrophic: false,
            ..Default::default()
        }
    }

    #[test]
    fn every_priority_from_the_facts() {
        let t = office().priority;
        let p = |c: &Claim| score(c, &t).0;

        assert_eq!(p(&glass()), Priority::Low);
        let mut minor = water();
        minor.property.as_mut().unwrap().estimated_loss = Some("1800.00".parse().unwrap());
        assert_eq!(
            score(&minor, &t),
            (
                Priority::Low,
                vec!["minor property loss 1800.00, under 2500.00".into()]
            )
        );

        assert_eq!(
            score(&water(), &t),
            (
                Priority::Standard,
                vec!["personal lines, estimated loss 18500.00 is under 25000.00".into()]
            )
        );

        let mut hurt = glass();
        hurt.auto.as_mut().unwrap().glass_only = false;
        hurt.loss.cause = Some("collision".into());
        hurt.auto.as_mut().unwrap().injured.push(injured());
        assert_eq!(score(&hurt, &t), (Priority::High, vec!["1 injured".into()]));
        let mut pileup = glass();
        pileup.auto.as_mut().unwrap().glass_only = false;
        for _ in 0..2 {
            pileup
                .auto
                .as_mut()
                .unwrap()
                .other_parties
                .push(OtherParty::default());
        }
        assert_eq!(p(&pileup), Priority::High);

        let mut fatal = hurt.clone();
        fatal.auto.as_mut().unwrap().fatality = true;
        assert_eq!(score(&fatal, &t).1[0], "a fatality was reported");
        let mut catastrophic = hurt.clone();
        catastrophic.auto.as_mut().unwrap().injured[0].catastrophic = true;
        assert_eq!(p(&catastrophic), Priority::Critical);
        let mut big = water();
        big.property.as_mut().unwrap().estimated_loss = Some("300000.00".parse().unwrap());
        assert_eq!(
            score(&big, &t),
            (
                Priority::Critical,
                vec!["property loss 300000.00 is over 250000.00".into()]
            )
        );

        let gl: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/10/CLM-2610-8XQQ-T1SD.yaml"))
                .unwrap();
        assert_eq!(p(&gl), Priority::High); // bodily injury alleged
        assert!(escalates(&gl)); // represented
        let mut sued = gl.clone();
        sued.liability.as_mut().unwrap().litigation = true;
        assert_eq!(p(&sued), Priority::Critical);
    }

    #[test]
    fn assignment_deadlines_by_priority_in_business_days() {
        let o = office();
        let cal = BusinessCalendar::new(o.calendar.clone());
        let tz = chrono_tz::America::Chicago;
        let at = |c: &Claim, p: Priority| assign_by(c, p, &o.priority, &cal, tz).to_rfc3339();
        let mut c = glass(); // received Thursday 2026-11-19 07:50 Central
        assert_eq!(at(&c, Priority::Low), "2026-11-23T17:00:00-06:00");
        assert_eq!(at(&c, Priority::Standard), "2026-11-20T17:00:00-06:00");
        assert_eq!(at(&c, Priority::High), "2026-11-19T17:00:00-06:00");
        assert_eq!(at(&c, Priority::Critical), "2026-11-19T09:50:00-06:00");
        // Received the day before Thanksgiving: the next business day is Friday.
        c.received_at = chrono::DateTime::parse_from_rfc3339("2026-11-25T16:00:00-06:00").unwrap();
        assert_eq!(at(&c, Priority::Standard), "2026-11-27T17:00:00-06:00");
        // Received on a Saturday: Monday is day 0 for same-day work.
        c.received_at = chrono::DateTime::parse_from_rfc3339("2026-11-21T09:00:00-06:00").unwrap();
        assert_eq!(at(&c, Priority::High), "2026-11-23T17:00:00-06:00");
    }

    #[test]
    fn catastrophe_codes_by_peril_state_area_and_dates() {
        let o = office();
        let mut c = water();
        c.jurisdiction = "TX".into();
        c.loss.cause = Some("hail".into());
        c.loss.date = Some("2026-05-12".parse().unwrap());
        c.property.as_mut().unwrap().property_address =
            Some("11842 Coldwater Creek Lane, Frisco, TX 75035".into());
        assert_eq!(
            catastrophe(&c, &o.catastrophes).map(|e| e.code.as_str()),
            Some("CAT-2026-TXHAIL")
        );
        let mut later = c.clone();
        later.loss.date = Some("2026-05-15".parse().unwrap());
        assert!(catastrophe(&later, &o.catastrophes).is_none());
        let mut austin = c.clone();
        austin.property.as_mut().unwrap().property_address =
            Some("1 Congress Ave, Austin, TX 78701".into());
        assert!(catastrophe(&austin, &o.catastrophes).is_none());
        let mut water_loss = c.clone();
        water_loss.loss.cause = Some("water".into());
        assert!(catastrophe(&water_loss, &o.catastrophes).is_none());
    }

    #[test]
    fn zip_is_the_last_five_digit_group() {
        assert_eq!(
            zip_of("4821 Preston Meadow Drive, Plano, TX 75093").as_deref(),
            Some("75093")
        );
        assert_eq!(
            zip_of("12345 Main St, Austin, TX 78701-1234").as_deref(),
            Some("78701")
        );
        assert_eq!(zip_of("US-75 near Spring Creek Parkway"), None);
    }

    #[test]
    fn a_commercial_loss_over_its_threshold_is_high_on_every_commercial_line() {
        let t = office().priority;
        let store: Claim =
            serde_yaml::from_str(include_str!("../../claims/2026/10/CLM-2610-VA8H-T6J7.yaml"))
                .unwrap();
        // A business's property under the critical threshold, over the commercial one.
        let mut warehouse = store.clone();
        warehouse.property.as_mut().unwrap().estimated_loss = Some("150000.00".parse().unwrap());
        warehouse.liability = None;
        let (p, why) = score(&warehouse, &t);
        assert_eq!(p, Priority::High, "{why:?}");
        assert!(why[0].starts_with("commercial loss 150000.00"), "{why:?}");
        // Over the critical threshold: a significant property loss, commercial or not.
        assert_eq!(score(&store, &t).0, Priority::Critical);
        // Commercial auto: the reported vehicle-damage estimate counts the same way.
        let mut truck = glass();
        truck.lob = LineOfBusiness::CommercialAuto;
        truck.loss.cause = Some("collision".into());
        let auto = truck.auto.as_mut().unwrap();
        auto.glass_only = false;
        auto.estimated_loss = Some("120000.00".parse().unwrap());
        let (p, why) = score(&truck, &t);
        assert_eq!(p, Priority::High, "{why:?}");
        // A personal auto estimate under the personal-lines threshold is standard.
        let mut car = glass();
        car.loss.cause = Some("collision".into());
        let auto = car.auto.as_mut().unwrap();
        auto.glass_only = false;
        auto.estimated_loss = Some("8000.00".parse().unwrap());
        assert_eq!(
            score(&car, &t),
            (
                Priority::Standard,
                vec!["personal lines, estimated loss 8000.00 is under 25000.00".into()]
            )
        );
    }
}
