//! Are two notices one loss? Pure.
//!
//! Two first notices are the same loss when they name the same policy, loss dates at most a
//! day apart, **and** the facts of the loss agree: the same vehicle (VIN or plate), the same
//! place, the same claimant, the same employee (workers' compensation: the same employee id,
//! or the same name, within a week of the injury date). A fact both reports give and that
//! differs (another vehicle, another place, another person, another cause) means two losses;
//! a fleet or an employer's policy has many of those on one day.
//!
//! The verdict has two strengths. A **likely** duplicate shares an identifying fact (vehicle,
//! claimant, employee, or the insured property's address) and differs in none: triage merges
//! it. A **possible** duplicate has nothing that differs but nothing that identifies either
//! (one report is too thin to tell): it goes to the review queue, where a person merges it
//! (`claims merge`) or keeps the two apart (`claims keep-separate`).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::claim::{Claim, LineOfBusiness};

/// Days apart two losses on one policy may be and still be one.
pub const POLICY_WINDOW: i64 = 1;
/// Days apart two reports of one employee's injury may be and still be one.
pub const EMPLOYEE_WINDOW: i64 = 7;

/// The facts of a claim that tell whether another notice is the same loss: what the office's
/// register keeps of every claim.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LossPrint {
    pub id: String,
    pub policy_number: Option<String>,
    pub loss_date: Option<NaiveDate>,
    pub lob: Option<LineOfBusiness>,
    /// The peril, lower case (collision, fire, glass...).
    pub cause: Option<String>,
    /// The insured vehicles' VINs, upper case.
    pub vins: BTreeSet<String>,
    /// The insured vehicles' plates, upper case letters and digits.
    pub plates: BTreeSet<String>,
    /// Where it happened (the property's address for property), as words.
    pub place: Vec<String>,
    /// The claimant of a liability claim, as name words.
    pub claimant: Vec<String>,
    /// Injured people named in an auto report, as name words.
    pub injured: Vec<Vec<String>>,
    /// Workers' compensation: the injured employee's id (upper case) and name words.
    pub employee_id: Option<String>,
    pub employee_name: Vec<String>,
}

impl LossPrint {
    pub fn of(claim: &Claim) -> LossPrint {
        let auto = claim.auto.as_ref();
        let vehicles = auto.into_iter().flat_map(|a| a.vehicles.iter());
        let place = claim
            .property
            .as_ref()
            .and_then(|p| p.property_address.as_deref())
            .filter(|_| claim.lob == LineOfBusiness::Property)
            .or(claim.loss.location.as_deref());
        let employee = claim
            .workers_comp
            .as_ref()
            .and_then(|w| w.employee.as_ref());
        LossPrint {
            id: claim.id.clone(),
            policy_number: claim
                .policy_number
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_ascii_uppercase),
            loss_date: claim.loss.date,
            lob: Some(claim.lob),
            cause: claim
                .property
                .as_ref()
                .and_then(|p| p.loss_type)
                .map(|t| crate::workflow::plain(&t))
                .or_else(|| claim.loss.cause.clone())
                .map(|c| c.trim().to_ascii_lowercase().replace([' ', '-'], "_"))
                .filter(|c| !c.is_empty() && c != "other"),
            vins: vehicles
                .clone()
                .filter_map(|v| v.vin.as_deref())
                .map(|v| v.trim().to_ascii_uppercase())
                .filter(|v| !v.is_empty())
                .collect(),
            plates: vehicles
                .filter_map(|v| v.plate.as_deref())
                .map(|p| {
                    p.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_uppercase()
                })
                .filter(|p| !p.is_empty())
                .collect(),
            place: place.map(place_words).unwrap_or_default(),
            claimant: claim
                .liability
                .as_ref()
                .and_then(|l| l.claimant.as_ref())
                .and_then(|c| c.name.as_deref())
                .map(name_words)
                .unwrap_or_default(),
            injured: auto
                .into_iter()
                .flat_map(|a| a.injured.iter())
                .filter_map(|i| i.name.as_deref())
                .map(name_words)
                .filter(|n| !n.is_empty())
                .collect(),
            employee_id: employee
                .and_then(|e| e.id.as_deref())
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty()),
            employee_name: employee
                .and_then(|e| e.name.as_deref())
                .map(name_words)
                .unwrap_or_default(),
        }
    }
}

/// How sure it is that two notices are one loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Nothing differs, but nothing identifies: a person decides.
    Possible,
    /// An identifying fact agrees and none differs: merged at triage.
    Likely,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Possible => "possible",
            Strength::Likely => "likely",
        }
    }
}

/// The verdict on a pair: how strong, and the facts it rests on.
#[derive(Clone, Debug, PartialEq)]
pub struct Likeness {
    pub strength: Strength,
    pub reasons: Vec<String>,
}

/// What one fact says about a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fact {
    /// Both give it, and it agrees.
    Same,
    /// Both give it, and it differs: two losses.
    Differs,
    /// One report lacks it.
    Unknown,
    /// Both give it, in words that neither match nor tell apart ("I-35 at exit 240" and
    /// "IH-35 northbound"): a person reads them.
    Unclear,
}

/// Whether `notice` and the `earlier` claim are one loss, and why; `None` when they are two.
pub fn compare(notice: &LossPrint, earlier: &LossPrint) -> Option<Likeness> {
    if notice.id == earlier.id {
        return None;
    }
    let (a, b) = (notice.loss_date?, earlier.loss_date?);
    let days = (a - b).num_days().abs();
    let same_policy =
        matches!((&notice.policy_number, &earlier.policy_number), (Some(x), Some(y)) if x == y);
    let both_wc = notice.lob == Some(LineOfBusiness::WorkersComp)
        && earlier.lob == Some(LineOfBusiness::WorkersComp);
    let employee = if both_wc {
        employee_fact(notice, earlier)
    } else {
        Fact::Unknown
    };
    let within = if both_wc && employee == Fact::Same {
        EMPLOYEE_WINDOW
    } else {
        POLICY_WINDOW
    };
    let same_employee_id = both_wc && employee == Fact::Same && notice.employee_id.is_some();
    if days > within || !(same_policy || same_employee_id) {
        return None;
    }
    if notice.lob != earlier.lob {
        return None;
    }

    let vehicle = vehicle_fact(notice, earlier);
    let place = place_fact(&notice.place, &earlier.place);
    let cause = match (&notice.cause, &earlier.cause) {
        (Some(x), Some(y)) if x == y => Fact::Same,
        (Some(_), Some(_)) => Fact::Differs,
        _ => Fact::Unknown,
    };
    let claimant = person_fact(&notice.claimant, &earlier.claimant);
    let facts = [
        (vehicle, "vehicle"),
        (place, "place"),
        (cause, "cause"),
        (claimant, "claimant"),
        (employee, "employee"),
    ];
    if facts.iter().any(|(f, _)| *f == Fact::Differs) {
        return None;
    }

    let mut reasons = Vec::new();
    if same_policy {
        reasons.push(format!(
            "same policy {}",
            notice.policy_number.as_deref().unwrap_or_default()
        ));
    }
    reasons.push(if a == b {
        format!("same loss date {a}")
    } else {
        format!("loss dates {b} and {a}")
    });
    let mut identified = false;
    if vehicle == Fact::Same {
        identified = true;
        reasons.push(match common(&notice.vins, &earlier.vins) {
            Some(v) => format!("same vehicle, VIN {v}"),
            None => format!(
                "same vehicle, plate {}",
                common(&notice.plates, &earlier.plates).unwrap_or_default()
            ),
        });
    }
    if employee == Fact::Same {
        identified = true;
        reasons.push(match (&notice.employee_id, &earlier.employee_id) {
            (Some(x), Some(_)) => format!("same employee id {x}"),
            _ => format!("same employee {}", earlier.employee_name.join(" ")),
        });
    }
    if claimant == Fact::Same {
        identified = true;
        reasons.push(format!("same claimant {}", earlier.claimant.join(" ")));
    }
    if place == Fact::Same {
        // The insured property's address names the loss; a road or a store does not.
        identified |= notice.lob == Some(LineOfBusiness::Property);
        reasons.push(format!("same place ({})", earlier.place.join(" ")));
    }
    if cause == Fact::Same {
        reasons.push(format!(
            "same cause {}",
            notice.cause.as_deref().unwrap_or_default()
        ));
    }
    if let Some(who) = notice
        .injured
        .iter()
        .find(|n| earlier.injured.iter().any(|m| same_person(n, m)))
    {
        reasons.push(format!("same injured person {}", who.join(" ")));
    }
    let strength = if identified && place != Fact::Unclear {
        Strength::Likely
    } else if identified {
        reasons.push(format!(
            "the places read differently (\"{}\" and \"{}\")",
            notice.place.join(" "),
            earlier.place.join(" ")
        ));
        Strength::Possible
    } else {
        let unknown: Vec<&str> = facts
            .iter()
            .filter(|(f, name)| *f == Fact::Unknown && relevant(notice.lob, name))
            .map(|(_, name)| *name)
            .collect();
        if !unknown.is_empty() {
            reasons.push(format!(
                "nothing identifies the loss in both reports ({} not given in one)",
                unknown.join(", ")
            ));
        }
        Strength::Possible
    };
    Some(Likeness { strength, reasons })
}

/// The facts that identify a loss of this line, for the reason of a possible match.
fn relevant(lob: Option<LineOfBusiness>, fact: &str) -> bool {
    use LineOfBusiness::*;
    match lob {
        Some(PersonalAuto | CommercialAuto) => matches!(fact, "vehicle" | "place"),
        Some(Property) => matches!(fact, "place" | "cause"),
        Some(GeneralLiability | ProfessionalLiability) => matches!(fact, "claimant" | "place"),
        Some(WorkersComp) => fact == "employee",
        None => false,
    }
}

fn common(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Option<String> {
    a.intersection(b).next().cloned()
}

fn vehicle_fact(a: &LossPrint, b: &LossPrint) -> Fact {
    if common(&a.vins, &b.vins).is_some() || common(&a.plates, &b.plates).is_some() {
        return Fact::Same;
    }
    let vins = !a.vins.is_empty() && !b.vins.is_empty();
    let plates = !a.plates.is_empty() && !b.plates.is_empty();
    if vins || plates {
        Fact::Differs
    } else {
        Fact::Unknown
    }
}

fn employee_fact(a: &LossPrint, b: &LossPrint) -> Fact {
    match (&a.employee_id, &b.employee_id) {
        (Some(x), Some(y)) => {
            if x == y {
                Fact::Same
            } else {
                Fact::Differs
            }
        }
        _ => person_fact(&a.employee_name, &b.employee_name),
    }
}

fn person_fact(a: &[String], b: &[String]) -> Fact {
    if a.is_empty() || b.is_empty() {
        Fact::Unknown
    } else if same_person(a, b) {
        Fact::Same
    } else {
        Fact::Differs
    }
}

/// One person by name: the same words, or the same last name with first names that agree
/// where one is an initial ("J. Alvarez" and "Jorge Alvarez").
fn same_person(a: &[String], b: &[String]) -> bool {
    if a == b {
        return true;
    }
    let (Some(la), Some(lb)) = (a.last(), b.last()) else {
        return false;
    };
    if la != lb || a.len() < 2 || b.len() < 2 {
        return false;
    }
    let (fa, fb) = (&a[0], &b[0]);
    fa == fb
        || (fa.len() == 1 && fb.starts_with(fa.as_str()))
        || (fb.len() == 1 && fa.starts_with(fb.as_str()))
}

fn place_fact(a: &[String], b: &[String]) -> Fact {
    if a.is_empty() || b.is_empty() {
        return Fact::Unknown;
    }
    if a == b || contains(a, b) || contains(b, a) || within(a, b) || within(b, a) {
        return Fact::Same;
    }
    let number = |w: &[String]| {
        w.first()
            .filter(|x| x.chars().all(|c| c.is_ascii_digit()))
            .cloned()
    };
    match (number(a), number(b)) {
        // Street addresses: the number and the street's first word tell them apart.
        (Some(x), Some(y)) if x != y => Fact::Differs,
        (Some(_), Some(_)) if a.get(1) == b.get(1) => Fact::Same,
        (Some(_), Some(_)) => Fact::Differs,
        _ => {
            let shared = a.iter().filter(|w| b.contains(w)).count();
            if shared == 0 {
                Fact::Differs
            } else {
                Fact::Unclear
            }
        }
    }
}

/// `inner` appears in `outer` as a run of at least two words.
fn contains(outer: &[String], inner: &[String]) -> bool {
    inner.len() >= 2 && outer.windows(inner.len()).any(|w| w == inner)
}

/// Every word of `inner` (at least two) is in `outer`: "Route 59, Naperville" within
/// "Route 59 and 75th St, Naperville".
fn within(outer: &[String], inner: &[String]) -> bool {
    inner.len() >= 2 && inner.iter().all(|w| outer.contains(w))
}

/// A name as lower-case words, without punctuation: "O'Neil, Mary-Ann" → [oneil, mary, ann]
/// (the surname last when written "Last, First").
pub fn name_words(name: &str) -> Vec<String> {
    let (first, last) = match name.split_once(',') {
        Some((last, first)) => (first, last),
        None => (name, ""),
    };
    words(&format!("{first} {last}"), &[])
}

/// A place as lower-case words, with the usual street abbreviations spelled out.
pub fn place_words(place: &str) -> Vec<String> {
    const LONG: &[(&str, &str)] = &[
        ("st", "street"),
        ("ave", "avenue"),
        ("av", "avenue"),
        ("rd", "road"),
        ("blvd", "boulevard"),
        ("dr", "drive"),
        ("ln", "lane"),
        ("hwy", "highway"),
        ("pkwy", "parkway"),
        ("ct", "court"),
        ("pl", "place"),
        ("n", "north"),
        ("s", "south"),
        ("e", "east"),
        ("w", "west"),
        ("ste", "suite"),
    ];
    words(place, LONG)
}

fn words(text: &str, long: &[(&str, &str)]) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/' | '#' | '.'))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .map(|w| {
            long.iter()
                .find(|(s, _)| *s == w)
                .map_or(w, |(_, l)| (*l).to_string())
        })
        .collect()
}

/// The claims already in the office (and admitted so far in a batch), indexed by policy
/// number and by employee id, and within each by loss date — the only ways a notice can be
/// the same loss as another. A claim's print is replaced when the claim changes
/// ([`KnownClaims::push`] again) or dropped ([`KnownClaims::remove`]).
#[derive(Clone, Debug, Default)]
pub struct KnownClaims {
    /// Boxed: a print is a few hundred bytes, the map's table holds room for more than it has.
    prints: HashMap<String, Box<LossPrint>>,
    by_policy: HashMap<String, BTreeSet<(NaiveDate, String)>>,
    by_employee: HashMap<String, BTreeSet<(NaiveDate, String)>>,
}

fn policy_index(p: &LossPrint) -> Option<(String, NaiveDate)> {
    Some((p.policy_number.clone()?, p.loss_date?))
}

fn employee_index(p: &LossPrint) -> Option<(String, NaiveDate)> {
    Some((p.employee_id.clone()?, p.loss_date?))
}

impl KnownClaims {
    /// Adds a claim's print, replacing the one it had.
    pub fn push(&mut self, print: LossPrint) {
        self.remove(&print.id);
        let entry = |(k, d): (String, NaiveDate), index: &mut HashMap<_, BTreeSet<_>>| {
            index.entry(k).or_default().insert((d, print.id.clone()));
        };
        if let Some(at) = policy_index(&print) {
            entry(at, &mut self.by_policy);
        }
        if let Some(at) = employee_index(&print) {
            entry(at, &mut self.by_employee);
        }
        self.prints.insert(print.id.clone(), Box::new(print));
    }

    pub fn remove(&mut self, id: &str) {
        let Some(old) = self.prints.remove(id) else {
            return;
        };
        let drop = |(k, d): (String, NaiveDate), index: &mut HashMap<String, BTreeSet<_>>| {
            if let Some(set) = index.get_mut(&k) {
                set.remove(&(d, old.id.clone()));
                if set.is_empty() {
                    index.remove(&k);
                }
            }
        };
        if let Some(at) = policy_index(&old) {
            drop(at, &mut self.by_policy);
        }
        if let Some(at) = employee_index(&old) {
            drop(at, &mut self.by_employee);
        }
    }

    pub fn get(&self, id: &str) -> Option<&LossPrint> {
        self.prints.get(id).map(|p| &**p)
    }

    /// The known claims that may be the same loss as `print`, each with the verdict.
    pub fn same_loss(&self, print: &LossPrint) -> Vec<(&LossPrint, Likeness)> {
        self.candidates(print)
            .filter_map(|k| compare(print, k).map(|l| (k, l)))
            .collect()
    }

    /// The claims sharing `print`'s policy or employee with a loss within a week of its own.
    fn candidates(&self, print: &LossPrint) -> impl Iterator<Item = &LossPrint> {
        fn near<'k>(
            index: &'k HashMap<String, BTreeSet<(NaiveDate, String)>>,
            at: Option<(String, NaiveDate)>,
            ids: &mut BTreeSet<&'k String>,
        ) {
            let Some((k, date)) = at else { return };
            if let Some(set) = index.get(&k) {
                let from = (
                    date - chrono::Duration::days(EMPLOYEE_WINDOW),
                    String::new(),
                );
                let to = date + chrono::Duration::days(EMPLOYEE_WINDOW);
                ids.extend(
                    set.range(from..)
                        .take_while(|(d, _)| *d <= to)
                        .map(|(_, id)| id),
                );
            }
        }
        let mut ids = BTreeSet::new();
        near(&self.by_policy, policy_index(print), &mut ids);
        near(&self.by_employee, employee_index(print), &mut ids);
        ids.into_iter()
            .filter_map(|id| self.prints.get(id).map(|p| &**p))
    }
}

impl From<Vec<LossPrint>> for KnownClaims {
    fn from(prints: Vec<LossPrint>) -> KnownClaims {
        let mut known = KnownClaims::default();
        for p in prints {
            known.push(p);
        }
        known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(id: &str, lob: LineOfBusiness, date: &str) -> LossPrint {
        LossPrint {
            id: id.into(),
            policy_number: Some("CAU-TX-1".into()),
            loss_date: Some(date.parse().unwrap()),
            lob: Some(lob),
            ..LossPrint::default()
        }
    }

    fn auto(id: &str, date: &str, vin: &str, place: &str) -> LossPrint {
        let mut p = print(id, LineOfBusiness::CommercialAuto, date);
        if !vin.is_empty() {
            p.vins.insert(vin.into());
        }
        p.place = place_words(place);
        p.cause = Some("collision".into());
        p
    }

    #[test]
    fn two_accidents_of_one_fleet_on_one_day_are_two_losses() {
        let a = auto(
            "A",
            "2026-11-18",
            "1FTFW1E50NFA00001",
            "I-35 at exit 240, Austin, TX",
        );
        let b = auto(
            "B",
            "2026-11-18",
            "1FTFW1E50NFA00002",
            "US-290 at Loop 1, Austin, TX",
        );
        assert_eq!(compare(&b, &a), None);
        // The other vehicle alone tells them apart, wherever they were.
        let c = auto("C", "2026-11-18", "1FTFW1E50NFA00002", "");
        assert_eq!(compare(&c, &a), None);
    }

    #[test]
    fn the_same_vehicle_on_the_same_policy_a_day_later_is_likely_the_same_loss() {
        let a = auto(
            "A",
            "2026-11-18",
            "1FTFW1E50NFA00001",
            "I-35 at exit 240, Austin, TX",
        );
        let b = auto("B", "2026-11-19", "1FTFW1E50NFA00001", "");
        let l = compare(&b, &a).unwrap();
        assert_eq!(l.strength, Strength::Likely);
        assert!(
            l.reasons
                .iter()
                .any(|r| r.contains("VIN 1FTFW1E50NFA00001")),
            "{l:?}"
        );
    }

    #[test]
    fn the_same_vehicle_at_places_that_read_differently_is_for_a_person_to_judge() {
        let a = auto(
            "A",
            "2026-11-18",
            "1FTFW1E50NFA00001",
            "I-35 at exit 240, Austin, TX",
        );
        let b = auto(
            "B",
            "2026-11-18",
            "1FTFW1E50NFA00001",
            "IH-35 northbound, Austin, TX",
        );
        let l = compare(&b, &a).unwrap();
        assert_eq!(l.strength, Strength::Possible, "{l:?}");
        assert!(
            l.reasons
                .last()
                .unwrap()
                .contains("places read differently"),
            "{l:?}"
        );
        // A place written shorter, with every word in the other, is the same place.
        let c = auto("C", "2026-11-18", "1FTFW1E50NFA00001", "Exit 240, Austin");
        assert_eq!(compare(&c, &a).unwrap().strength, Strength::Likely);
    }

    #[test]
    fn a_report_too_thin_to_tell_is_only_a_possible_duplicate() {
        let a = auto(
            "A",
            "2026-11-18",
            "1FTFW1E50NFA00001",
            "I-35 at exit 240, Austin, TX",
        );
        let b = auto("B", "2026-11-18", "", "");
        let l = compare(&b, &a).unwrap();
        assert_eq!(l.strength, Strength::Possible);
        assert!(
            l.reasons.last().unwrap().contains("vehicle, place"),
            "{l:?}"
        );
    }

    #[test]
    fn another_cause_or_another_place_is_another_loss() {
        let a = auto("A", "2026-11-18", "", "1200 Main St, Austin, TX");
        let mut b = auto("B", "2026-11-18", "", "1200 Main Street, Austin TX");
        assert_eq!(compare(&b, &a).unwrap().strength, Strength::Possible);
        b.cause = Some("theft".into());
        assert_eq!(compare(&b, &a), None);
        let c = auto("C", "2026-11-18", "", "88 Oak Ave, Austin, TX");
        assert_eq!(compare(&c, &a), None);
    }

    #[test]
    fn two_injured_workers_of_one_employer_are_two_claims_even_without_an_id() {
        let mut a = print("A", LineOfBusiness::WorkersComp, "2026-11-18");
        a.employee_id = Some("E-100".into());
        a.employee_name = name_words("Maria Lopez");
        let mut b = print("B", LineOfBusiness::WorkersComp, "2026-11-18");
        b.employee_name = name_words("Dan Carter");
        assert_eq!(compare(&b, &a), None);
        // The same worker by name, five days later, without an id: one injury.
        let mut c = print("C", LineOfBusiness::WorkersComp, "2026-11-23");
        c.employee_name = name_words("Lopez, Maria");
        let l = compare(&c, &a).unwrap();
        assert_eq!(l.strength, Strength::Likely, "{l:?}");
        // A report naming nobody: a person looks.
        let d = print("D", LineOfBusiness::WorkersComp, "2026-11-18");
        assert_eq!(compare(&d, &a).unwrap().strength, Strength::Possible);
        // Nobody named, five days apart: not the same.
        let e = print("E", LineOfBusiness::WorkersComp, "2026-11-23");
        assert_eq!(compare(&e, &a), None);
    }

    #[test]
    fn the_same_employee_id_within_a_week_is_one_injury_even_under_another_policy_number() {
        let mut a = print("A", LineOfBusiness::WorkersComp, "2026-11-18");
        a.employee_id = Some("E-100".into());
        let mut b = print("B", LineOfBusiness::WorkersComp, "2026-11-24");
        b.employee_id = Some("E-100".into());
        b.policy_number = Some("WC-OTHER".into());
        assert_eq!(compare(&b, &a).unwrap().strength, Strength::Likely);
        b.loss_date = Some("2026-11-26".parse().unwrap());
        assert_eq!(compare(&b, &a), None);
    }

    #[test]
    fn names_agree_by_initial_and_order() {
        assert!(same_person(
            &name_words("J. Alvarez"),
            &name_words("Jorge Alvarez")
        ));
        assert!(same_person(
            &name_words("Alvarez, Jorge"),
            &name_words("jorge alvarez")
        ));
        assert!(!same_person(
            &name_words("Jorge Alvarez"),
            &name_words("Luis Alvarez")
        ));
    }

    #[test]
    fn the_known_claims_find_candidates_by_policy_and_employee() {
        let a = auto("A", "2026-11-18", "1FTFW1E50NFA00001", "");
        let known = KnownClaims::from(vec![a.clone()]);
        let b = auto("B", "2026-11-18", "1FTFW1E50NFA00001", "");
        assert_eq!(known.same_loss(&b).len(), 1);
        let mut other = b.clone();
        other.policy_number = Some("PAU-1".into());
        assert!(known.same_loss(&other).is_empty());
    }
}
