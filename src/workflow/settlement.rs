//! Settlement: the amount calculated on its basis within settlement authority, the
//! negotiation on file, payments within the reserve and the settlement, and the subrogation
//! flag. (The release is in [`super::release`], closing and reopening in [`super::closing`].)

use chrono::NaiveDate;

use super::args::{Reader, Recorder};
use super::change::{Change, Edit};
use super::desk::Desk;
use super::reserves::money;
use crate::domain::authority::{self, Kind, Needed};
use crate::domain::claim::{
    ApprovalState, CalculationLine, Claim, LineOfBusiness, NegotiationStep, Note, Payment,
    PaymentMethod, Settlement, SettlementBasis, Subrogation,
};
use crate::domain::claim_id::ClaimId;
use crate::domain::coverage::{applicable_limit, claim_perils, covering};
use crate::domain::exposure::{Exposure, SecuredInterest};
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::domain::policy::Policy;
use crate::domain::settlement::{calculate, Coinsurance, Loss, Terms};
use crate::error::{Error, Result};

/// The basis a settlement is calculated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Acv,
    Rcv,
    Injury,
    Agreed,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Acv => "acv",
            Basis::Rcv => "rcv",
            Basis::Injury => "injury",
            Basis::Agreed => "agreed",
        }
    }

    pub fn parse(s: &str) -> Option<Basis> {
        [Basis::Acv, Basis::Rcv, Basis::Injury, Basis::Agreed]
            .into_iter()
            .find(|b| b.as_str() == s.trim())
    }
}

/// `claims settle ID --basis B [amounts]`: the loss on its basis, less any coinsurance
/// penalty, the deductible on the claim (from triage), capped at the sublimit or coverage
/// limit, less prior payments.
#[derive(Clone, Debug, PartialEq)]
pub struct Settle {
    pub id: ClaimId,
    pub basis: Basis,
    pub replacement_cost: Option<String>,
    pub depreciation: Option<String>,
    pub medical: Option<String>,
    pub general_damages: Option<String>,
    pub amount: Option<String>,
    pub property_value: Option<String>,
    /// What it settles, as typed (default: what the settlement settled before, else the
    /// claim's usual exposure for the basis).
    pub exposure: Option<String>,
}

fn required_money(flag: &str, v: &Option<String>) -> Result<Money> {
    let s = v
        .as_deref()
        .ok_or_else(|| Error::refused(format!("--{flag} is required for this basis")))?;
    money(flag, s)
}

impl Settle {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("basis", self.basis.as_str())
            .opt("replacement-cost", &self.replacement_cost)
            .opt("depreciation", &self.depreciation)
            .opt("medical", &self.medical)
            .opt("general-damages", &self.general_damages)
            .opt("amount", &self.amount)
            .opt("property-value", &self.property_value)
            .opt("for", &self.exposure);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Settle, String> {
        let id = super::claim_id(r)?;
        let b = r.required("basis")?;
        Ok(Settle {
            id,
            basis: Basis::parse(&b).ok_or_else(|| format!("--basis `{b}` is not known"))?,
            replacement_cost: r.optional("replacement-cost")?,
            depreciation: r.optional("depreciation")?,
            medical: r.optional("medical")?,
            general_damages: r.optional("general-damages")?,
            amount: r.optional("amount")?,
            property_value: r.optional("property-value")?,
            exposure: r.optional("for")?,
        })
    }

    fn loss(&self) -> Result<Loss> {
        Ok(match self.basis {
            Basis::Acv => Loss::ActualCashValue {
                replacement_cost: required_money("replacement-cost", &self.replacement_cost)?,
                depreciation: required_money("depreciation", &self.depreciation)?,
            },
            Basis::Rcv => Loss::ReplacementCost {
                replacement_cost: required_money("replacement-cost", &self.replacement_cost)?,
            },
            Basis::Injury => Loss::Injury {
                medical_specials: required_money("medical", &self.medical)?,
                general_damages: required_money("general-damages", &self.general_damages)?,
            },
            Basis::Agreed => Loss::Agreed {
                amount: required_money("amount", &self.amount)?,
            },
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let loss = self.loss()?;
        let property_value = self
            .property_value
            .is_some()
            .then(|| required_money("property-value", &self.property_value))
            .transpose()?;
        desk.edit(&self.id, |claim| {
            open_to_settle(claim)?;
            let exposure = settled_exposure(claim, self.exposure.as_deref(), loss.basis())?;
            if !basis_fits(self.basis, exposure) {
                return Err(Error::refused(format!(
                    "--basis {} does not settle {exposure}: injury damages are settled on --basis injury (or agreed), property on acv, rcv or agreed",
                    self.basis.as_str()
                )));
            }
            let policy = desk.policy_of(claim).ok_or_else(|| {
                Error::refused(format!("{}: its policy is not in policies/", claim.id))
            })?;
            let coverage = covering(policy, &claim_perils(claim));
            let triage = claim.triage.as_ref();
            // The deductible is the insured's share of its own loss: never taken from what is
            // owed to an injured person or a third party.
            let deductible = if exposure.takes_the_deductible() {
                triage
                    .and_then(|t| t.deductible)
                    .or(coverage.map(|c| c.deductible))
                    .unwrap_or(Money::ZERO)
            } else {
                Money::ZERO
            };
            let coinsurance = match (coverage.and_then(|c| c.coinsurance_percent), property_value) {
                (Some(percent), Some(value)) => Some(Coinsurance {
                    percent,
                    carried: coverage.expect("a coverage").limit,
                    property_value: value,
                }),
                (Some(p), None) if self.basis != Basis::Injury => {
                    return Err(Error::refused(format!(
                        "the coverage has a {p}% coinsurance clause: give --property-value (the property's value at the time of loss)"
                    )))
                }
                _ => None,
            };
            let terms = Terms {
                deductible,
                limit: coverage.map(|c| c.limit).filter(|l| !l.is_zero()),
                sublimit: triage
                    .and_then(|t| t.sublimit.clone())
                    .map(|s| (s.name, s.amount)),
                coinsurance,
                prior_payments: claim.paid(),
            };
            let (lines, payable) = calculate(&loss, &terms).map_err(Error::refused)?;
            let needed = propose(desk, claim, loss.basis(), exposure, lines, payable)?;
            Ok(proposed(
                Edit::new(format!("settle {}: {payable} ({})", claim.id, in_effect(&needed)))
                    .trailer("Amount", payable.to_string())
                    .trailer("Basis", self.basis.as_str()),
                exposure,
                &needed,
            ))
        })
    }
}

/// Injury damages settle an injury, a loss of property settles property; an agreed figure,
/// and a third party's damages, settle either.
fn basis_fits(basis: Basis, exposure: Exposure) -> bool {
    match basis {
        Basis::Agreed => true,
        Basis::Injury => exposure.is_injury() || exposure == Exposure::LiabilityDamages,
        Basis::Acv | Basis::Rcv => !exposure.is_injury(),
    }
}

/// A settlement can be proposed, or revised, on a claim being handled whose release is not
/// signed yet (a signed release is final).
fn open_to_settle(claim: &Claim) -> Result<()> {
    if !claim.status.is_with_adjuster() {
        return Err(Error::refused(format!(
            "{} is {}: nothing to settle",
            claim.id, claim.status
        )));
    }
    if let Some(r) = claim.settlement.as_ref().and_then(|s| s.release.as_ref()) {
        if let (Some(by), Some(on)) = (&r.signed_by, r.signed_on) {
            return Err(Error::refused(format!(
                "{}: the release was signed by {by} on {on}; the settlement is final",
                claim.id
            )));
        }
    }
    Ok(())
}

/// `--for EXPOSURE` of a settlement, else the one the settlement already settles, else what a
/// settlement on this claim settles by default.
fn settled_exposure(
    claim: &Claim,
    given: Option<&str>,
    basis: SettlementBasis,
) -> Result<Exposure> {
    match given {
        Some(e) => Exposure::for_line(e, claim.lob).map_err(Error::refused),
        None => Ok(claim
            .settlement
            .as_ref()
            .and_then(|s| s.exposure)
            .unwrap_or_else(|| Exposure::settled_by_default(claim, basis))),
    }
}

/// Makes the calculation the claim's settlement — replacing any before it, whose unsigned
/// release is withdrawn — effective within the actor's settlement authority for its total
/// (what it pays with the payments already made), otherwise pending approval.
fn propose(
    desk: &Desk,
    claim: &mut Claim,
    basis: SettlementBasis,
    exposure: Exposure,
    calculation: Vec<CalculationLine>,
    amount: Money,
) -> Result<Needed> {
    let (by, role) = (&desk.actor.email, &desk.actor.role);
    let paid_before = claim.paid();
    let needed = authority::needed(
        claim,
        desk.office,
        Kind::Settlement,
        amount + paid_before,
        role,
    )
    .map_err(Error::refused)?;
    let (state, approval) = authority::start(&needed);
    if let Some(r) = claim.settlement.as_ref().and_then(|s| s.release.as_ref()) {
        claim.notes.push(Note {
            at: desk.now,
            by: by.clone(),
            text: format!(
                "The unsigned release {} is withdrawn: the settlement is revised",
                r.letter
            ),
        });
    }
    claim.settlement = Some(Settlement {
        basis,
        exposure: Some(exposure),
        calculation,
        amount,
        paid_before: (!paid_before.is_zero()).then_some(paid_before),
        proposed_by: by.clone(),
        proposed_at: desk.now,
        state,
        authority: Some(needed.used.clone()),
        approval,
        release: None,
    });
    if claim.status != Status::SettlementPending {
        claim.record_event(desk.now, by, "settle", Status::SettlementPending);
    }
    Ok(needed)
}

fn in_effect(needed: &Needed) -> &'static str {
    if needed.effective {
        "effective"
    } else {
        "pending approval"
    }
}

/// The trailers every settlement proposal carries after its own.
fn proposed(edit: Edit, exposure: Exposure, needed: &Needed) -> Edit {
    edit.trailer("Exposure", exposure.as_str())
        .trailer("Authority", needed.used.required_role.clone())
        .trailer(
            "State",
            if needed.effective {
                "effective"
            } else {
                "pending"
            },
        )
}

const NEGOTIATION_KINDS: [&str; 4] = ["demand", "offer", "counter", "agreed"];

/// `claims negotiate ID --kind demand|offer|counter|agreed --party WHO --amount A [--on DATE]
/// [--for EXPOSURE] [--note TEXT]`: a step of the negotiation, before or after a settlement is
/// proposed. The agreed figure becomes the settlement (what the claim pays in all, net of the
/// deductible, the payments already made included), through the settlement authority again.
#[derive(Clone, Debug, PartialEq)]
pub struct Negotiate {
    pub id: ClaimId,
    pub kind: String,
    pub party: String,
    pub amount: String,
    pub on: Option<NaiveDate>,
    /// For an agreement: what it settles.
    pub exposure: Option<String>,
    pub note: Option<String>,
}

impl Negotiate {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("kind", &self.kind)
            .flag("party", &self.party)
            .flag("amount", &self.amount)
            .opt("on", &self.on)
            .opt("for", &self.exposure)
            .opt("note", &self.note);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Negotiate, String> {
        Ok(Negotiate {
            id: super::claim_id(r)?,
            kind: r.required("kind")?,
            party: r.required("party")?,
            amount: r.required("amount")?,
            on: super::date(r.optional("on")?, "on")?,
            exposure: r.optional("for")?,
            note: r.optional("note")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let kind = self.kind.trim().to_ascii_lowercase();
        if !NEGOTIATION_KINDS.contains(&kind.as_str()) {
            return Err(Error::refused(format!(
                "--kind `{}` is not demand, offer, counter or agreed",
                self.kind
            )));
        }
        if kind != "agreed" && self.exposure.is_some() {
            return Err(Error::refused(
                "--for names what an agreement settles: it goes with --kind agreed",
            ));
        }
        let value = money("amount", &self.amount)?;
        let party = self.party.trim().to_string();
        if party.is_empty() {
            return Err(Error::refused("--party must name who made it"));
        }
        desk.edit(&self.id, |claim| {
            let on = self.on.unwrap_or_else(|| desk.today());
            if on > desk.today() {
                return Err(Error::refused(format!("--on {on} is in the future")));
            }
            if on < claim.received_at.with_timezone(&desk.tz).date_naive() {
                return Err(Error::refused(format!(
                    "--on {on} is before the claim was received"
                )));
            }
            if !claim.status.is_with_adjuster() {
                return Err(Error::refused(format!(
                    "{} is {}: no negotiation on it",
                    claim.id, claim.status
                )));
            }
            claim.negotiation.push(NegotiationStep {
                on,
                kind: kind.clone(),
                party: party.clone(),
                amount: value,
                note: self.note.clone().filter(|n| !n.trim().is_empty()),
            });
            if kind != "agreed" {
                return Ok(Edit::new(format!(
                    "negotiate {}: {kind} {value} from {party}",
                    claim.id
                ))
                .trailer("Amount", value.to_string())
                .trailer("Kind", kind.clone()));
            }
            open_to_settle(claim)?;
            let exposure =
                settled_exposure(claim, self.exposure.as_deref(), SettlementBasis::Agreed)?;
            if let Some(limit) =
                applicable_limit(claim, desk.policy_of(claim)).filter(|l| value > l.amount)
            {
                return Err(Error::refused(format!(
                    "the agreed {value} is above {limit}: the claim cannot pay more than the limit"
                )));
            }
            let paid = claim.paid();
            if value < paid {
                return Err(Error::refused(format!(
                    "the agreed {value} is less than the {paid} already paid on the claim"
                )));
            }
            let terms = Terms {
                deductible: Money::ZERO,
                limit: None,
                sublimit: None,
                coinsurance: None,
                prior_payments: paid,
            };
            let (mut lines, payable) =
                calculate(&Loss::Agreed { amount: value }, &terms).map_err(Error::refused)?;
            lines[0].label = format!("Agreed with {party} on {on}");
            // The first agreement starts the clock (NY: pay within 5 business days of it); a
            // revised figure does not give the insurer more time.
            if claim.sla.settlement_agreed_at.is_none() {
                claim.sla.settlement_agreed_at = Some(if on == desk.today() {
                    desk.now
                } else {
                    super::sla_events::parse_at(&on.to_string(), desk.tz)?
                });
            }
            let needed = propose(
                desk,
                claim,
                SettlementBasis::Agreed,
                exposure,
                lines,
                payable,
            )?;
            Ok(proposed(
                Edit::new(format!(
                    "negotiate {}: agreed {value} with {party} ({})",
                    claim.id,
                    in_effect(&needed)
                ))
                .trailer("Amount", value.to_string())
                .trailer("Kind", kind.clone()),
                exposure,
                &needed,
            ))
        })
    }
}

/// The secured creditor on file: the insured vehicle's lienholder (the policy's schedule, by
/// the claim's VINs), or the insured property's mortgagee (the report, else the policy's
/// location).
pub fn secured_party_on_file(
    claim: &Claim,
    policy: Option<&Policy>,
    interest: SecuredInterest,
) -> Option<String> {
    let none = |s: &String| s.trim().is_empty() || s.trim().eq_ignore_ascii_case("none");
    match interest {
        SecuredInterest::Mortgagee if claim.lob == LineOfBusiness::Property => claim
            .property
            .as_ref()
            .and_then(|p| p.mortgagee.clone())
            .filter(|m| !none(m))
            .or_else(|| policy.and_then(|p| p.locations.iter().find_map(|l| l.mortgagee.clone()))),
        SecuredInterest::Lienholder if claim.lob.is_auto() => {
            let vins: Vec<String> = claim
                .auto
                .iter()
                .flat_map(|a| a.vehicles.iter().filter_map(|v| v.vin.clone()))
                .collect();
            policy.and_then(|p| {
                p.vehicles
                    .iter()
                    .filter(|v| vins.iter().any(|x| x.eq_ignore_ascii_case(&v.vin)))
                    .find_map(|v| v.lienholder.clone())
            })
        }
        _ => None,
    }
}

/// The co-payee of a payment for `exposure`: the one given (`none` for none), else the secured
/// creditor on file with an interest in what it pays for (unless that creditor is the payee).
/// A lienholder or mortgagee is never put on a payment for anything else: refused.
fn co_payee_for(
    claim: &Claim,
    policy: Option<&Policy>,
    exposure: Exposure,
    payee: &str,
    given: Option<&str>,
) -> Result<Option<String>> {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    match given.map(str::trim) {
        Some(c) if c.eq_ignore_ascii_case("none") => Ok(None),
        Some(c) => {
            for interest in [SecuredInterest::Lienholder, SecuredInterest::Mortgagee] {
                if exposure.secured_interest() == Some(interest) {
                    continue;
                }
                if let Some(holder) =
                    secured_party_on_file(claim, policy, interest).filter(|h| same(h, c))
                {
                    let held = match interest {
                        SecuredInterest::Lienholder => "the insured vehicle",
                        SecuredInterest::Mortgagee => "the dwelling or building",
                    };
                    return Err(Error::refused(format!(
                        "--co-payee {holder}: the {} on file holds an interest in {held}, not in a payment for {exposure}",
                        interest.as_str()
                    )));
                }
            }
            Ok(Some(c.to_string()))
        }
        None => Ok(exposure
            .secured_interest()
            .and_then(|i| secured_party_on_file(claim, policy, i))
            .filter(|h| !same(h, payee))),
    }
}

/// `claims pay ID --amount A --for EXPOSURE --payee WHO --method check|ach --reference REF
/// [--co-payee WHO]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pay {
    pub id: ClaimId,
    pub amount: String,
    /// What it pays for, as typed (checked against the claim's line).
    pub exposure: String,
    pub payee: String,
    pub method: PaymentMethod,
    pub reference: String,
    pub co_payee: Option<String>,
}

fn method_name(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Check => "check",
        PaymentMethod::Ach => "ach",
    }
}

impl Pay {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("amount", &self.amount)
            .flag("for", &self.exposure)
            .flag("payee", &self.payee)
            .flag("method", method_name(self.method))
            .flag("reference", &self.reference)
            .opt("co-payee", &self.co_payee);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<Pay, String> {
        let id = super::claim_id(r)?;
        let amount = r.required("amount")?;
        let exposure = r.required("for")?;
        let payee = r.required("payee")?;
        let m = r.required("method")?;
        let method = match m.as_str() {
            "check" => PaymentMethod::Check,
            "ach" => PaymentMethod::Ach,
            other => return Err(format!("--method `{other}` is not check or ach")),
        };
        Ok(Pay {
            id,
            amount,
            exposure,
            payee,
            method,
            reference: r.required("reference")?,
            co_payee: r.optional("co-payee")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let amount = money("amount", &self.amount)?;
        if amount.is_zero() {
            return Err(Error::refused("--amount must be more than zero"));
        }
        for (name, v) in [("--payee", &self.payee), ("--reference", &self.reference)] {
            if v.trim().is_empty() {
                return Err(Error::refused(format!("{name} must not be empty")));
            }
        }
        let (payee, reference) = (
            self.payee.trim().to_string(),
            self.reference.trim().to_string(),
        );
        let (by, role) = (&desk.actor.email, &desk.actor.role);
        desk.edit(&self.id, |claim| {
            if !claim.status.is_with_adjuster() {
                return Err(Error::refused(format!(
                    "{} is {}: no payments",
                    claim.id, claim.status
                )));
            }
            let reserve = claim.effective_reserve();
            let pending: Money = claim
                .payments
                .iter()
                .filter(|p| p.state == ApprovalState::Pending)
                .map(|p| p.amount)
                .sum();
            let committed = claim.paid() + pending;
            if committed + amount > reserve {
                return Err(Error::refused(format!(
                    "{amount} would bring payments to {}, beyond the effective reserve of {reserve}; raise the reserve first (`claims reserve`)",
                    committed + amount
                )));
            }
            if let Some(s) = claim
                .settlement
                .as_ref()
                .filter(|s| s.state == ApprovalState::Effective)
            {
                if committed + amount > s.total() {
                    return Err(Error::refused(format!(
                        "{amount} would bring payments to {}, more than the settlement of {}",
                        committed + amount,
                        s.total()
                    )));
                }
            }
            let exposure = Exposure::for_line(&self.exposure, claim.lob).map_err(Error::refused)?;
            let needed = authority::needed(claim, desk.office, Kind::Settlement, amount, role)
                .map_err(Error::refused)?;
            let co_payee = co_payee_for(
                claim,
                desk.policy_of(claim),
                exposure,
                &payee,
                self.co_payee.as_deref(),
            )?;
            let (state, approval) = authority::start(&needed);
            claim.payments.push(Payment {
                at: desk.now,
                by: by.clone(),
                role: role.clone(),
                exposure: Some(exposure),
                payee: payee.clone(),
                co_payee: co_payee.clone(),
                method: self.method,
                reference: reference.clone(),
                amount,
                state,
                authority: Some(needed.used.clone()),
                approval,
            });
            if needed.effective && claim.sla.paid_at.is_none() {
                claim.sla.paid_at = Some(desk.now);
            }
            let mut edit = Edit::new(format!(
                "pay {}: {amount} to {payee}{} for {exposure}{}",
                claim.id,
                co_payee
                    .as_deref()
                    .map(|c| format!(" and {c}"))
                    .unwrap_or_default(),
                if needed.effective {
                    ""
                } else {
                    " (pending approval)"
                }
            ))
            .trailer("Amount", amount.to_string())
            .trailer("Exposure", exposure.as_str())
            .trailer("Payee", payee.clone())
            .trailer("Reference", reference.clone())
            .trailer("Authority", needed.used.required_role.clone())
            .trailer(
                "State",
                if needed.effective {
                    "effective"
                } else {
                    "pending"
                },
            );
            if let Some(c) = co_payee {
                edit = edit.trailer("Co-Payee", c);
            }
            Ok(edit)
        })
    }
}

/// `claims subrogation ID --target WHO [--carrier C]`: another party caused the loss.
#[derive(Clone, Debug, PartialEq)]
pub struct FlagSubrogation {
    pub id: ClaimId,
    pub target: String,
    pub carrier: Option<String>,
}

impl FlagSubrogation {
    pub fn record(&self, r: &mut Recorder) {
        r.positional(&self.id)
            .flag("target", &self.target)
            .opt("carrier", &self.carrier);
    }

    pub fn decode(r: &mut Reader) -> std::result::Result<FlagSubrogation, String> {
        Ok(FlagSubrogation {
            id: super::claim_id(r)?,
            target: r.required("target")?,
            carrier: r.optional("carrier")?,
        })
    }

    pub fn apply(&self, desk: &Desk) -> Result<Change> {
        let target = self.target.trim().to_string();
        if target.is_empty() {
            return Err(Error::refused(
                "--target must name the party who caused the loss",
            ));
        }
        desk.edit(&self.id, |claim| {
            claim.subrogation = Some(Subrogation {
                target: target.clone(),
                carrier: self.carrier.clone().filter(|c| !c.trim().is_empty()),
                amount_paid: claim.paid(),
                flagged_at: desk.now,
                by: desk.actor.email.clone(),
                status: "open".into(),
            });
            Ok(
                Edit::new(format!("subrogation {}: against {target}", claim.id))
                    .trailer("Target", target.clone())
                    .trailer("Amount", claim.paid().to_string()),
            )
        })
    }
}
