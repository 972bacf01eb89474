//! The phone channel of FNOL intake: the CSR's phone script.
//!
//! [`phone_script`] asks, one plain question at a time, for every fact the line of business
//! requires (the reference is [`crate::domain::fnol::missing_facts`]), validates each answer
//! as it comes, asks the follow-ups an answer calls for, shows a summary and asks for
//! confirmation. It talks through a [`Prompter`]; [`LinePrompter`] reads lines, so it works
//! the same in a terminal and with answers piped on stdin.
//!
//! In interactive mode an invalid answer is re-asked with the reason; otherwise (piped
//! answers) it is an error naming the question, so that scripts fail loudly.

mod parse;
mod summary;
#[cfg(test)]
mod tests;

use std::io::{BufRead, IsTerminal, Read, Write};

use chrono::NaiveDate;

use crate::domain::claim::{Channel, LineOfBusiness, Party};
use crate::domain::fnol::{
    AutoFacts, Employee, InjuredPerson, LiabilityFacts, OtherParty, PropertyFacts, Vehicle,
    Witness, WorkersCompFacts,
};
use crate::domain::vin::{Vin, VinError};
use crate::intake::draft::Draft;

pub use summary::summary_lines;

/// The conversation with the CSR.
pub trait Prompter {
    /// Asks one question (with an optional hint on the expected form) and returns the
    /// answer without its line ending; `None` when the input has ended.
    fn ask(&mut self, question: &str, help: Option<&str>) -> std::io::Result<Option<String>>;
    /// Tells the CSR something (a reason, a warning, the summary).
    fn say(&mut self, text: &str) -> std::io::Result<()>;
    /// A person is answering: invalid answers are re-asked instead of failing the script.
    fn interactive(&self) -> bool;
}

/// A [`Prompter`] that writes questions to `W` (stderr in the CLI) and reads one answer per
/// line from `R` (stdin). Not interactive, it echoes each answer after its question so that
/// the transcript of a piped session reads like the conversation.
pub struct LinePrompter<R: BufRead, W: Write> {
    reader: R,
    writer: W,
    interactive: bool,
    /// Answers read so far (for the line an error names).
    line: usize,
}

impl<R: BufRead, W: Write> LinePrompter<R, W> {
    pub fn new(reader: R, writer: W, interactive: bool) -> Self {
        LinePrompter {
            reader,
            writer,
            interactive,
            line: 0,
        }
    }

    /// The reader and writer back (tests read the transcript from the writer).
    pub fn into_parts(self) -> (R, W) {
        (self.reader, self.writer)
    }
}

impl LinePrompter<std::io::StdinLock<'static>, std::io::Stderr> {
    /// Questions on stderr, answers from stdin; interactive when stdin is a terminal.
    pub fn stdio() -> Self {
        let stdin = std::io::stdin();
        let interactive = stdin.is_terminal();
        LinePrompter::new(stdin.lock(), std::io::stderr(), interactive)
    }
}

impl<R: BufRead, W: Write> Prompter for LinePrompter<R, W> {
    fn ask(&mut self, question: &str, help: Option<&str>) -> std::io::Result<Option<String>> {
        match help {
            Some(h) => write!(self.writer, "{question} [{h}] "),
            None => write!(self.writer, "{question} "),
        }?;
        self.writer.flush()?;
        // One answer is one field: read no further than its bound (and a byte for the line
        // ending), and it must be text.
        let mut line = Vec::new();
        let limit = crate::bounds::MAX_FIELD_BYTES as u64 + 2;
        if (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut line)?
            == 0
        {
            writeln!(self.writer)?;
            return Ok(None);
        }
        self.line += 1;
        let n = self.line;
        let bad = |why: String| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {n} of the answers, the answer to \"{question}\": {why}"),
            )
        };
        if line.len() as u64 == limit && !line.ends_with(b"\n") {
            return Err(bad(
                crate::bounds::Bad::FieldTooLong { size: line.len() }.to_string()
            ));
        }
        while line.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            line.pop();
        }
        let answer = crate::bounds::text(&line)
            .and_then(|t| crate::bounds::field(t).map(|()| t.to_string()))
            .map_err(|b| bad(b.to_string()))?;
        if !self.interactive {
            writeln!(self.writer, "{answer}")?;
        }
        Ok(Some(answer))
    }

    fn say(&mut self, text: &str) -> std::io::Result<()> {
        writeln!(self.writer, "{text}")?;
        self.writer.flush()
    }

    fn interactive(&self) -> bool {
        self.interactive
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PhoneError {
    #[error("intake cancelled: the claim was not saved")]
    Cancelled,
    #[error("the answers ended before the question \"{question}\"")]
    InputEnded { question: String },
    #[error("invalid answer {answer:?} to \"{question}\": {reason}")]
    Invalid {
        question: String,
        answer: String,
        reason: String,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

type Result<T> = std::result::Result<T, PhoneError>;

const DATE_HELP: &str = "YYYY-MM-DD or MM/DD/YYYY";
const TIME_HELP: &str = "HH:MM, or like 5:30 pm";
const YN_HELP: &str = "y/n";
const PHONE_HELP: &str = "10-digit US number";
const CONTACT_HELP: &str = "phone or e-mail";
const OPTIONAL_HELP: &str = "optional, Enter to skip";
/// The most people or vehicles the script takes one by one; more go in the notes.
const MAX_COUNT: usize = 20;

/// Runs the phone script and returns the draft the CSR confirmed: channel phone, source
/// `"phone"`. `lob` skips the line-of-business question.
pub fn phone_script(lob: Option<LineOfBusiness>, p: &mut dyn Prompter) -> Result<Draft> {
    let mut s = Script { p };
    let mut draft = Draft {
        channel: Some(Channel::Phone),
        source: "phone".to_string(),
        ..Draft::default()
    };
    s.say("First notice of loss by phone. Answer each question and press Enter.")?;
    if s.p.interactive() {
        s.say("Type ? for help on a question.")?;
    }

    // The caller.
    let reporter_name = s.text("Your name (the person reporting the loss)?")?;
    let reporter_phone = s.phone("Best phone number to reach you?")?;
    let relationship = s.text_help(
        "Your relationship to the insured?",
        "e.g. insured, spouse, agent, employer, claimant",
    )?;
    draft.reporter = Some(Party {
        name: Some(reporter_name),
        relationship: Some(relationship),
        phone: Some(reporter_phone),
        ..Party::default()
    });

    let lob = match lob {
        Some(l) => l,
        None => {
            let menu: Vec<String> = LineOfBusiness::ALL
                .iter()
                .enumerate()
                .map(|(i, l)| format!("  {}) {}", i + 1, l.as_str().replace('_', " ")))
                .collect();
            s.say(&format!("Lines of business:\n{}", menu.join("\n")))?;
            s.valid(
                "Which line of business is the claim under?",
                Some("number or name"),
                parse::line_of_business,
            )?
        }
    };
    draft.lob = Some(lob);

    // The policy.
    draft.policy_number = s.optional("Policy number?", Some("Enter if unknown"))?;
    if draft.policy_number.is_none() {
        draft.insured = Some(Party {
            name: Some(s.text("Then the insured's full name (person or business)?")?),
            ..Party::default()
        });
    }
    draft.jurisdiction = s.optional_valid(
        "State where the loss happened?",
        Some("two letters, Enter if unknown"),
        parse::state,
    )?;

    match lob {
        LineOfBusiness::PersonalAuto | LineOfBusiness::CommercialAuto => {
            auto(&mut s, &mut draft, lob)?
        }
        LineOfBusiness::Property => property(&mut s, &mut draft)?,
        LineOfBusiness::GeneralLiability | LineOfBusiness::ProfessionalLiability => {
            liability(&mut s, &mut draft)?
        }
        LineOfBusiness::WorkersComp => workers_comp(&mut s, &mut draft)?,
    }

    if let Some(note) = s.optional(
        "Anything else the adjuster should know?",
        Some(OPTIONAL_HELP),
    )? {
        draft.notes.push(note);
    }

    let mut summary = vec!["Summary of the claim:".to_string()];
    summary.extend(summary_lines(&draft).into_iter().map(|l| format!("  {l}")));
    s.say(&summary.join("\n"))?;
    if !s.yes_no("Save this claim? (y/n)")? {
        s.say("Not saved.")?;
        return Err(PhoneError::Cancelled);
    }
    Ok(draft)
}

fn auto(s: &mut Script<'_>, draft: &mut Draft, lob: LineOfBusiness) -> Result<()> {
    draft.loss.date = Some(s.date("Date of the accident?")?);
    draft.loss.time = Some(s.time("Time of the accident?")?);
    draft.loss.location = Some(s.text_help(
        "Where did it happen?",
        "street address or intersection, city, state",
    )?);
    draft.loss.description = Some(s.text("What happened, in a few words?")?);
    let mut facts = AutoFacts {
        police_report: s.optional("Police report number?", Some("Enter if there is none"))?,
        ..AutoFacts::default()
    };

    let n = s.count("How many of the insured's vehicles were involved?", 1)?;
    for i in 1..=n {
        let of = if n > 1 {
            format!(" {i}")
        } else {
            String::new()
        };
        let mut v = Vehicle {
            year: Some(s.valid(
                &format!("Vehicle{of}: model year?"),
                None,
                parse::model_year,
            )?),
            make: Some(s.text(&format!("Vehicle{of}: make?"))?),
            model: Some(s.text(&format!("Vehicle{of}: model?"))?),
            ..Vehicle::default()
        };
        let (vin, overridden) = s.vin(&format!("Vehicle{of}: VIN?"))?;
        v.vin = Some(vin);
        v.vin_check_overridden = overridden;
        draft.vin_override |= overridden;
        v.damage = Some(s.text(&format!("Vehicle{of}: describe the damage?"))?);
        facts.vehicles.push(v);
    }
    facts.glass_only = s.yes_no("Is the damage to glass only (windshield, windows)? (y/n)")?;
    if lob == LineOfBusiness::PersonalAuto {
        facts.business_use =
            s.yes_no("Was the vehicle being used for business at the time? (y/n)")?;
    }

    if s.yes_no("Were any other drivers or vehicles involved? (y/n)")? {
        let n = s.count("How many other parties?", 1)?;
        for i in 1..=n {
            let who = format!("Other party {i}");
            facts.other_parties.push(OtherParty {
                name: Some(s.text(&format!("{who}: name?"))?),
                contact: Some(
                    s.contact(&format!("{who}: phone or e-mail?"))?
                        .as_str()
                        .into(),
                ),
                carrier: s.optional(
                    &format!("{who}: insurance company?"),
                    Some("Enter if unknown"),
                )?,
                policy_number: s
                    .optional(&format!("{who}: policy number?"), Some("Enter if unknown"))?,
                vehicle: s.optional(
                    &format!("{who}: vehicle (year, make, model)?"),
                    Some("Enter if none or unknown"),
                )?,
                ..Default::default()
            });
        }
    }

    if s.yes_no("Was anyone hurt? (y/n)")? {
        let n = s.count("How many people were hurt?", 1)?;
        for i in 1..=n {
            let who = format!("Injured person {i}");
            facts.injured.push(InjuredPerson {
                name: Some(s.text(&format!("{who}: name?"))?),
                contact: Some(
                    s.contact(&format!("{who}: phone or e-mail?"))?
                        .as_str()
                        .into(),
                ),
                description: Some(s.text(&format!("{who}: what are the injuries?"))?),
                catastrophic: s.yes_no(&format!(
                    "{who}: is the injury life-altering (spinal, brain, amputation, severe \
                     burns)? (y/n)"
                ))?,
                ..Default::default()
            });
        }
        facts.fatality = s.yes_no("Was anyone killed? (y/n)")?;
        if facts.fatality {
            draft.loss.keywords.push("fatality".to_string());
        }
    }

    facts.witnesses = s.witnesses()?;
    draft.auto = Some(facts);
    Ok(())
}

fn property(s: &mut Script<'_>, draft: &mut Draft) -> Result<()> {
    let occurred = s.date("Date the loss happened?")?;
    draft.loss.date = Some(occurred);
    let discovered = s.valid("Date the loss was discovered?", Some(DATE_HELP), |a| {
        let d = parse::date(a)?;
        if d < occurred {
            return Err(format!(
                "it cannot be discovered before it happened ({occurred})"
            ));
        }
        Ok(d)
    })?;
    let discovered_at = s.time("Time it was discovered?")?;
    s.say("Types of loss: 1) fire 2) water 3) wind 4) theft 5) vandalism 6) other")?;
    let loss_type = s.valid(
        "What type of loss?",
        Some("number or name"),
        parse::property_loss_type,
    )?;
    draft.loss.cause = Some(parse::property_loss_type_name(loss_type).to_string());
    let address = s.text("Address of the damaged property?")?;
    draft.loss.location = Some(address.clone());
    draft.loss.description = Some(s.text("What happened, in a few words?")?);
    let damage = s.text("Describe the damage?")?;
    let emergency = s.yes_no("Are emergency or temporary repairs needed? (y/n)")?;
    let emergency_repairs = if emergency {
        Some(s.text_help(
            "What emergency repairs were made, by whom?",
            "e.g. roof tarped by Acme Roofing; or none yet",
        )?)
    } else {
        None
    };
    let public_adjuster = s.yes_no("Has the insured hired a public adjuster? (y/n)")?;
    let mortgagee = s.text_help("Mortgage company or lienholder?", "name, or none")?;
    let estimated_loss = s.optional_valid(
        "Estimated amount of the loss, in dollars?",
        Some("Enter if unknown"),
        parse::money,
    )?;
    let displaced = !s.yes_no("Can the insured still live in (or use) the property? (y/n)")?;
    draft.property = Some(PropertyFacts {
        discovered_on: Some(discovered),
        discovered_at: Some(discovered_at),
        loss_type: Some(loss_type),
        property_address: Some(address),
        damage_description: Some(damage),
        emergency_repairs_needed: Some(emergency),
        emergency_repairs,
        public_adjuster: Some(public_adjuster),
        mortgagee: Some(if mortgagee.eq_ignore_ascii_case("none") {
            "none".to_string()
        } else {
            mortgagee
        }),
        estimated_loss,
        displaced,
    });
    Ok(())
}

fn liability(s: &mut Script<'_>, draft: &mut Draft) -> Result<()> {
    let incident = s.date("Date of the incident?")?;
    draft.loss.date = Some(incident);
    let received = s.valid(
        "Date the claim was received (first made against the insured)?",
        Some(DATE_HELP),
        |a| {
            let d = parse::date(a)?;
            if d < incident {
                return Err(format!("that is before the incident ({incident})"));
            }
            Ok(d)
        },
    )?;
    draft.loss.location = s.optional("Where did the incident happen?", Some(OPTIONAL_HELP))?;
    draft.loss.description = Some(s.text("What happened, in a few words?")?);
    let mut claimant = Party {
        name: Some(s.text("Claimant's name?")?),
        ..Party::default()
    };
    match s.contact("Claimant's phone or e-mail?")? {
        parse::Contact::Phone(p) => claimant.phone = Some(p),
        parse::Contact::Email(e) => claimant.email = Some(e),
    }
    let allegation = s.text("What does the claimant allege (the act, error or injury)?")?;
    let bodily_injury = s.yes_no("Does the claim involve a bodily injury? (y/n)")?;
    let litigation = s.yes_no("Has a lawsuit been filed? (y/n)")?;
    let represented = s.yes_no("Is the claimant represented by a lawyer? (y/n)")?;
    let attorney = if represented {
        let mut a = Party {
            name: Some(s.text("Attorney's name (and firm)?")?),
            ..Party::default()
        };
        match s.contact("Attorney's phone or e-mail?")? {
            parse::Contact::Phone(p) => a.phone = Some(p),
            parse::Contact::Email(e) => a.email = Some(e),
        }
        s.say(
            "NOTE: the claimant is represented by a lawyer; this claim is flagged for \
             escalation to a supervisor at once.",
        )?;
        draft
            .notes
            .push("Claimant represented by counsel: escalate at once.".to_string());
        Some(a)
    } else {
        None
    };
    let prior_notice = s.yes_no("Did the insured have notice of this claim before today? (y/n)")?;
    draft.liability = Some(LiabilityFacts {
        claim_received_on: Some(received),
        claimant: Some(claimant),
        allegation: Some(allegation),
        represented: Some(represented),
        attorney,
        prior_notice: Some(prior_notice),
        litigation,
        bodily_injury,
    });
    Ok(())
}

fn workers_comp(s: &mut Script<'_>, draft: &mut Draft) -> Result<()> {
    draft.loss.date = Some(s.date("Date of the injury?")?);
    draft.loss.time = Some(s.time("Time of the injury?")?);
    draft.loss.location = Some(s.text("Where did the injury happen?")?);
    let employee = Employee {
        name: Some(s.text("Employee's name?")?),
        id: Some(s.text("Employee ID?")?),
        job_title: Some(s.text("Employee's job title?")?),
        ..Default::default()
    };
    let how = s.text("How did the injury happen?")?;
    draft.loss.description = Some(how.clone());
    let body_parts = s.valid(
        "Which body parts were injured?",
        Some("separate with commas"),
        parse::list,
    )?;
    let medical_treatment = s.yes_no("Has the employee had medical treatment? (y/n)")?;
    let (treatment_facility, treating_physician) = if medical_treatment {
        (
            Some(s.text("Where was the employee treated (clinic or hospital)?")?),
            Some(s.text("Treating physician's name?")?),
        )
    } else {
        (None, None)
    };
    let fatality = s.yes_no("Did the employee die of the injury? (y/n)")?;
    if fatality {
        draft.loss.keywords.push("fatality".to_string());
    }
    let witnesses = s.witnesses()?;
    let return_to_work_expected = s.yes_no("Is the employee expected to return to work? (y/n)")?;
    draft.workers_comp = Some(WorkersCompFacts {
        employee: Some(employee),
        how_it_happened: Some(how),
        body_parts,
        medical_treatment: Some(medical_treatment),
        treatment_facility,
        treating_physician,
        witnesses,
        return_to_work_expected: Some(return_to_work_expected),
        fatality,
    });
    Ok(())
}

/// The question-asking machinery: validation, re-asking, failing loudly when piped.
struct Script<'a> {
    p: &'a mut dyn Prompter,
}

impl Script<'_> {
    fn say(&mut self, text: &str) -> Result<()> {
        Ok(self.p.say(text)?)
    }

    /// Asks until `parse` accepts the (trimmed) answer; not interactive, the first refusal
    /// is an error naming the question.
    fn valid<T>(
        &mut self,
        question: &str,
        help: Option<&str>,
        parse: impl Fn(&str) -> std::result::Result<T, String>,
    ) -> Result<T> {
        loop {
            let answer = self
                .p
                .ask(question, help)?
                .ok_or_else(|| PhoneError::InputEnded {
                    question: question.to_string(),
                })?;
            let trimmed = answer.trim();
            if self.p.interactive() && trimmed == "?" {
                let h = help.unwrap_or("answer in plain words");
                self.say(&format!("  {h}"))?;
                continue;
            }
            match parse(trimmed) {
                Ok(v) => return Ok(v),
                Err(reason) if self.p.interactive() => {
                    self.say(&format!("  Sorry: {reason}. Please try again."))?;
                }
                Err(reason) => {
                    return Err(PhoneError::Invalid {
                        question: question.to_string(),
                        answer,
                        reason,
                    })
                }
            }
        }
    }

    /// A blank answer is `None`; anything else must pass `parse`.
    fn optional_valid<T>(
        &mut self,
        question: &str,
        help: Option<&str>,
        parse: impl Fn(&str) -> std::result::Result<T, String>,
    ) -> Result<Option<T>> {
        self.valid(question, help, |a| {
            if a.is_empty() {
                Ok(None)
            } else {
                parse(a).map(Some)
            }
        })
    }

    fn text(&mut self, question: &str) -> Result<String> {
        self.valid(question, None, required)
    }

    fn text_help(&mut self, question: &str, help: &str) -> Result<String> {
        self.valid(question, Some(help), required)
    }

    fn optional(&mut self, question: &str, help: Option<&str>) -> Result<Option<String>> {
        self.optional_valid(question, help, |a| Ok(a.to_string()))
    }

    fn yes_no(&mut self, question: &str) -> Result<bool> {
        let help = (!question.ends_with(')')).then_some(YN_HELP);
        self.valid(question, help, parse::yes_no)
    }

    fn date(&mut self, question: &str) -> Result<NaiveDate> {
        self.valid(question, Some(DATE_HELP), parse::date)
    }

    fn time(&mut self, question: &str) -> Result<String> {
        self.valid(question, Some(TIME_HELP), parse::time)
    }

    fn phone(&mut self, question: &str) -> Result<String> {
        self.valid(question, Some(PHONE_HELP), parse::phone)
    }

    fn contact(&mut self, question: &str) -> Result<parse::Contact> {
        self.valid(question, Some(CONTACT_HELP), parse::contact)
    }

    fn count(&mut self, question: &str, min: usize) -> Result<usize> {
        self.valid(question, None, |a| parse::count(a, min, MAX_COUNT))
    }

    fn witnesses(&mut self) -> Result<Vec<Witness>> {
        let mut out = Vec::new();
        if self.yes_no("Were there any witnesses? (y/n)")? {
            let n = self.count("How many witnesses?", 1)?;
            for i in 1..=n {
                let who = format!("Witness {i}");
                out.push(Witness {
                    name: Some(self.text(&format!("{who}: name?"))?),
                    contact: Some(
                        self.contact(&format!("{who}: phone or e-mail?"))?
                            .as_str()
                            .into(),
                    ),
                });
            }
        }
        Ok(out)
    }

    /// A VIN, checked with [`Vin::parse`]. A wrong check digit is explained and accepted only
    /// on an explicit "y" to "Use it anyway?"; returns the VIN and whether it was overridden.
    fn vin(&mut self, question: &str) -> Result<(String, bool)> {
        loop {
            let (vin, check_error) =
                self.valid(question, Some("17 characters"), |a| match Vin::parse(a) {
                    Ok(v) => Ok((v.into_string(), None)),
                    Err(e @ VinError::CheckDigit { .. }) => Vin::parse_unchecked_digit(a)
                        .map(|v| (v.into_string(), Some(e)))
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                })?;
            let Some(err) = check_error else {
                return Ok((vin, false));
            };
            self.say(&format!(
                "  The check digit of {vin} does not verify: {err}. A few real vehicles carry \
                 such a VIN."
            ))?;
            let accept = self.valid("Use it anyway? (y/N)", None, |a| {
                if a.is_empty() {
                    Ok(false)
                } else {
                    parse::yes_no(a)
                }
            })?;
            if accept {
                return Ok((vin, true));
            }
            if !self.p.interactive() {
                return Err(PhoneError::Invalid {
                    question: question.to_string(),
                    answer: vin,
                    reason: err.to_string(),
                });
            }
        }
    }
}

fn required(a: &str) -> std::result::Result<String, String> {
    if a.is_empty() {
        Err("an answer is needed".to_string())
    } else {
        Ok(a.to_string())
    }
}
