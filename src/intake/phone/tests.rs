use super::*;
use crate::domain::claim::Channel;
use crate::domain::fnol::PropertyLossType;

const VIN: &str = "1FMCU14T3JU402061";
/// The same VIN with a wrong check digit (position 9).
const BAD_VIN: &str = "1FMCU14T4JU402061";

fn run(
    lob: Option<LineOfBusiness>,
    answers: &[&str],
    interactive: bool,
) -> (std::result::Result<Draft, PhoneError>, String) {
    let input = answers.join("\n") + "\n";
    let mut p = LinePrompter::new(input.as_bytes(), Vec::new(), interactive);
    let result = phone_script(lob, &mut p);
    let (_, out) = p.into_parts();
    (result, String::from_utf8(out).unwrap())
}

fn caller() -> Vec<&'static str> {
    vec!["Ann Smith", "(312) 555-0134", "insured"]
}

/// An auto claim: one vehicle, another driver, one injured person, one witness.
fn auto_answers(vin: &str) -> Vec<String> {
    let mut a: Vec<&str> = caller();
    a.extend([
        "PA-100234",
        "il",
        "03/15/2024",
        "5:30 pm",
        "N Clark St & W Division St, Chicago, IL",
        "Rear-ended at a red light",
        "CPD-24-118877",
        "1",
        "2018",
        "Ford",
        "Escape",
        vin,
    ]);
    let mut a: Vec<String> = a.into_iter().map(String::from).collect();
    a.extend(
        [
            "Rear bumper and tailgate crushed",
            "n",
            "n",
            "y",
            "1",
            "Bob Jones",
            "bob@example.com",
            "Acme Mutual",
            "AM-555",
            "2015 Honda Civic",
            "y",
            "1",
            "Ann Smith",
            "312-555-0134",
            "Whiplash, neck pain",
            "n",
            "n",
            "yes",
            "1",
            "Carl Diaz",
            "773 555 0199",
            "",
            "y",
        ]
        .map(String::from),
    );
    a
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn auto_claim_with_an_injury() {
    let answers = auto_answers(VIN);
    let (draft, transcript) = run(Some(LineOfBusiness::PersonalAuto), &strs(&answers), false);
    let d = draft.unwrap_or_else(|e| panic!("{e}\n{transcript}"));
    assert_eq!(d.channel, Some(Channel::Phone));
    assert_eq!(d.source, "phone");
    assert_eq!(d.lob, Some(LineOfBusiness::PersonalAuto));
    assert_eq!(d.policy_number.as_deref(), Some("PA-100234"));
    assert_eq!(d.jurisdiction.as_deref(), Some("IL"));
    let r = d.reporter.as_ref().unwrap();
    assert_eq!(r.name.as_deref(), Some("Ann Smith"));
    assert_eq!(r.phone.as_deref(), Some("+1 312 555 0134"));
    assert_eq!(r.relationship.as_deref(), Some("insured"));
    assert_eq!(d.loss.date, NaiveDate::from_ymd_opt(2024, 3, 15));
    assert_eq!(d.loss.time.as_deref(), Some("17:30"));
    assert!(d.loss.location.as_deref().unwrap().contains("Clark"));
    assert_eq!(
        d.loss.description.as_deref(),
        Some("Rear-ended at a red light")
    );
    let a = d.auto.as_ref().unwrap();
    assert_eq!(a.police_report.as_deref(), Some("CPD-24-118877"));
    assert_eq!(a.vehicles.len(), 1);
    let v = &a.vehicles[0];
    assert_eq!(v.year, Some(2018));
    assert_eq!(v.make.as_deref(), Some("Ford"));
    assert_eq!(v.model.as_deref(), Some("Escape"));
    assert_eq!(v.vin.as_deref(), Some(VIN));
    assert!(!v.vin_check_overridden && !d.vin_override);
    assert_eq!(
        v.damage.as_deref(),
        Some("Rear bumper and tailgate crushed")
    );
    assert_eq!(a.other_parties.len(), 1);
    let o = &a.other_parties[0];
    assert_eq!(o.name.as_deref(), Some("Bob Jones"));
    assert_eq!(o.contact.as_deref(), Some("bob@example.com"));
    assert_eq!(o.carrier.as_deref(), Some("Acme Mutual"));
    assert_eq!(o.policy_number.as_deref(), Some("AM-555"));
    assert_eq!(o.vehicle.as_deref(), Some("2015 Honda Civic"));
    assert_eq!(a.injured.len(), 1);
    let i = &a.injured[0];
    assert_eq!(i.name.as_deref(), Some("Ann Smith"));
    assert_eq!(i.contact.as_deref(), Some("+1 312 555 0134"));
    assert_eq!(i.description.as_deref(), Some("Whiplash, neck pain"));
    assert!(!a.fatality && !i.catastrophic);
    assert_eq!(a.witnesses.len(), 1);
    assert_eq!(a.witnesses[0].contact.as_deref(), Some("+1 773 555 0199"));
    assert!(d.notes.is_empty());
    // The summary was read back, one fact a line, before the confirmation.
    let summary = transcript.find("Summary of the claim:").unwrap();
    let confirm = transcript.find("Save this claim? (y/n)").unwrap();
    assert!(summary < confirm);
    for fact in [
        "Vehicle 1 VIN: 1FMCU14T3JU402061",
        "Injured 1: Ann Smith, +1 312 555 0134, Whiplash, neck pain",
        "Time of loss: 17:30",
        "Police report: CPD-24-118877",
    ] {
        assert!(
            transcript.contains(fact),
            "{fact} missing from\n{transcript}"
        );
    }
}

#[test]
fn line_of_business_menu_when_not_given() {
    let mut answers = auto_answers(VIN);
    answers.insert(3, "personal auto".into());
    let (draft, _) = run(None, &strs(&answers), false);
    assert_eq!(draft.unwrap().lob, Some(LineOfBusiness::PersonalAuto));
    let mut answers = auto_answers(VIN);
    answers.insert(3, "2".into());
    answers.remove(18); // commercial auto is not asked about business use
    let (draft, t) = run(None, &strs(&answers), false);
    assert_eq!(draft.unwrap().lob, Some(LineOfBusiness::CommercialAuto));
    assert!(!t.contains("used for business"));
}

#[test]
fn liability_claim_with_a_represented_claimant() {
    let mut a = caller();
    a.extend([
        "",
        "Bright Dental LLC",
        "",
        "2024-01-10",
        "2024-02-01",
        "",
        "Patient says a crown was fitted badly",
        "Dana Whitfield",
        "dana.w@example.org",
        "Negligent dental work causing an infection",
        "y",
        "n",
        "yes",
        "Lee Park, Park & Gray LLP",
        "(415) 555-0177",
        "n",
        "",
        "y",
    ]);
    let (draft, transcript) = run(Some(LineOfBusiness::ProfessionalLiability), &a, false);
    let d = draft.unwrap_or_else(|e| panic!("{e}\n{transcript}"));
    assert_eq!(d.policy_number, None);
    assert_eq!(
        d.insured.as_ref().unwrap().name.as_deref(),
        Some("Bright Dental LLC")
    );
    assert_eq!(d.jurisdiction, None);
    let l = d.liability.as_ref().unwrap();
    assert_eq!(l.claim_received_on, NaiveDate::from_ymd_opt(2024, 2, 1));
    assert_eq!(d.loss.date, NaiveDate::from_ymd_opt(2024, 1, 10));
    let c = l.claimant.as_ref().unwrap();
    assert_eq!(c.name.as_deref(), Some("Dana Whitfield"));
    assert_eq!(c.email.as_deref(), Some("dana.w@example.org"));
    assert_eq!(
        l.allegation.as_deref(),
        Some("Negligent dental work causing an infection")
    );
    assert!(l.bodily_injury && !l.litigation);
    assert_eq!(l.represented, Some(true));
    let att = l.attorney.as_ref().unwrap();
    assert_eq!(att.name.as_deref(), Some("Lee Park, Park & Gray LLP"));
    assert_eq!(att.phone.as_deref(), Some("+1 415 555 0177"));
    assert_eq!(l.prior_notice, Some(false));
    assert!(
        transcript.contains("flagged for escalation"),
        "{transcript}"
    );
    assert!(d.notes.iter().any(|n| n.contains("escalate")));
    assert!(transcript.contains("Represented by a lawyer: YES - flagged for escalation"));
}

#[test]
fn property_claim() {
    let mut a = caller();
    a.extend([
        "HO-77812",
        "TX",
        "2024-05-01",
        "2024-05-03",
        "18:30",
        "2",
        "14 Elm St, Austin, TX 78701",
        "A pipe burst under the kitchen sink while we were away",
        "Kitchen floor and cabinets soaked",
        "y",
        "Water extracted by DryFast Restoration, $1,200",
        "n",
        "None",
        "$12,500",
        "y",
        "",
        "y",
    ]);
    let (draft, transcript) = run(Some(LineOfBusiness::Property), &a, false);
    let d = draft.unwrap_or_else(|e| panic!("{e}\n{transcript}"));
    let p = d.property.unwrap();
    assert_eq!(p.discovered_on, NaiveDate::from_ymd_opt(2024, 5, 3));
    assert_eq!(p.discovered_at.as_deref(), Some("18:30"));
    assert_eq!(
        p.emergency_repairs.as_deref(),
        Some("Water extracted by DryFast Restoration, $1,200")
    );
    assert_eq!(p.loss_type, Some(PropertyLossType::Water));
    assert_eq!(
        p.property_address.as_deref(),
        Some("14 Elm St, Austin, TX 78701")
    );
    assert_eq!(p.emergency_repairs_needed, Some(true));
    assert_eq!(p.public_adjuster, Some(false));
    assert_eq!(p.mortgagee.as_deref(), Some("none"));
    assert_eq!(p.estimated_loss.unwrap().to_string(), "12500.00");
    assert!(!p.displaced);
    assert_eq!(d.loss.cause.as_deref(), Some("water"));
}

#[test]
fn workers_comp_claim() {
    let mut a = caller();
    a[2] = "employer (HR manager)";
    a.extend([
        "WC-4410",
        "",
        "2024-06-12",
        "08:15",
        "Loading dock, 900 W Lake St, Chicago",
        "Maria Lopez",
        "E-20931",
        "Warehouse associate",
        "Lifting a box off a pallet she felt a pull in her back",
        "lower back, left shoulder",
        "y",
        "Northside Urgent Care",
        "Dr. Raj Patel",
        "n",
        "n",
        "y",
        "",
        "y",
    ]);
    let (draft, transcript) = run(Some(LineOfBusiness::WorkersComp), &a, false);
    let d = draft.unwrap_or_else(|e| panic!("{e}\n{transcript}"));
    let w = d.workers_comp.unwrap();
    let e = w.employee.unwrap();
    assert_eq!(e.id.as_deref(), Some("E-20931"));
    assert_eq!(w.body_parts, vec!["lower back", "left shoulder"]);
    assert_eq!(w.medical_treatment, Some(true));
    assert_eq!(w.treating_physician.as_deref(), Some("Dr. Raj Patel"));
    assert!(w.witnesses.is_empty());
    assert_eq!(w.return_to_work_expected, Some(true));
    assert_eq!(d.loss.time.as_deref(), Some("08:15"));
    assert_eq!(
        d.loss.description.as_deref(),
        Some("Lifting a box off a pallet she felt a pull in her back")
    );
}

#[test]
fn bad_vin_check_digit_accepted_only_on_yes() {
    let mut answers = auto_answers(BAD_VIN);
    let at = answers.iter().position(|a| a == BAD_VIN).unwrap();
    answers.insert(at + 1, "y".into());
    let (draft, transcript) = run(Some(LineOfBusiness::PersonalAuto), &strs(&answers), false);
    let d = draft.unwrap_or_else(|e| panic!("{e}\n{transcript}"));
    assert!(d.vin_override);
    let v = &d.auto.unwrap().vehicles[0];
    assert_eq!(v.vin.as_deref(), Some(BAD_VIN));
    assert!(v.vin_check_overridden);
    assert!(transcript.contains("check digit"));
    assert!(transcript.contains("Use it anyway? (y/N)"));

    // Refusing the override in a piped session fails naming the VIN question.
    answers[at + 1] = "n".into();
    let (draft, _) = run(Some(LineOfBusiness::PersonalAuto), &strs(&answers), false);
    match draft {
        Err(PhoneError::Invalid { question, .. }) => assert_eq!(question, "Vehicle: VIN?"),
        other => panic!("{other:?}"),
    }

    // Interactively, "n" asks for the VIN again.
    answers[at + 1] = "n".into();
    answers.insert(at + 2, VIN.into());
    let (draft, _) = run(Some(LineOfBusiness::PersonalAuto), &strs(&answers), true);
    let d = draft.unwrap();
    assert!(!d.vin_override);
    assert_eq!(d.auto.unwrap().vehicles[0].vin.as_deref(), Some(VIN));
}

#[test]
fn invalid_date_when_piped_names_the_question() {
    let mut answers = auto_answers(VIN);
    answers[5] = "2024-13-45".into();
    let (draft, _) = run(Some(LineOfBusiness::PersonalAuto), &strs(&answers), false);
    match draft {
        Err(e @ PhoneError::Invalid { .. }) => {
            let PhoneError::Invalid {
                question, answer, ..
            } = &e
            else {
                unreachable!()
            };
            assert_eq!(question, "Date of the accident?");
            assert_eq!(answer, "2024-13-45");
            assert!(e.to_string().contains("Date of the accident?"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_answers_are_asked_again_when_interactive() {
    let mut answers = auto_answers(VIN);
    answers.insert(5, "yesterday".into());
    answers.insert(1, "555-0134".into());
    let (draft, transcript) = run(Some(LineOfBusiness::PersonalAuto), &strs(&answers), true);
    let d = draft.unwrap_or_else(|e| panic!("{e}\n{transcript}"));
    assert_eq!(d.loss.date, NaiveDate::from_ymd_opt(2024, 3, 15));
    assert!(transcript.contains("Sorry: not a date"), "{transcript}");
    assert!(transcript.contains("Sorry: a US phone number has 10 digits"));
}

#[test]
fn no_at_confirmation_cancels() {
    let mut answers = auto_answers(VIN);
    *answers.last_mut().unwrap() = "n".into();
    let (draft, _) = run(Some(LineOfBusiness::PersonalAuto), &strs(&answers), false);
    assert!(matches!(draft, Err(PhoneError::Cancelled)), "{draft:?}");
}

#[test]
fn input_ending_early_names_the_next_question() {
    let (draft, _) = run(Some(LineOfBusiness::PersonalAuto), &caller(), false);
    match draft {
        Err(PhoneError::InputEnded { question }) => assert_eq!(question, "Policy number?"),
        other => panic!("{other:?}"),
    }
}
