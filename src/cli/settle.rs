//! `claims settle ID --basis ...`: the settlement calculated on its basis, line by line, within
//! settlement authority; `claims negotiate ID`: demands, offers and counter-offers on file.

use super::output::{Format, Out, Rows};
use super::update::report;
use super::Globals;
use crate::domain::authority::{self, Kind};
use crate::domain::claim::{ApprovalState, CalculationLine, NegotiationStep, Settlement};
use crate::domain::coverage::{claim_perils, covering};
use crate::domain::lifecycle::Status;
use crate::domain::money::Money;
use crate::domain::office::Permission;
use crate::domain::settlement::{calculate, Coinsurance, Loss, Terms};
use crate::error::{Error, Result};
use crate::store::files::{load_policies, parse_claim_id};
use crate::store::session::ClaimChange;

/// Propose the settlement: the loss on its basis, less any coinsurance penalty, the deductible
/// on the claim (from triage), capped at the sublimit or coverage limit, less prior payments.
/// Within the actor's settlement authority it is effective; above it, pending `claims approve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    #[arg(long, value_enum)]
    pub basis: Basis,
    /// acv, rcv: the cost to repair or replace.
    #[arg(long)]
    pub replacement_cost: Option<String>,
    /// acv: depreciation taken from the replacement cost.
    #[arg(long)]
    pub depreciation: Option<String>,
    /// injury: medical specials.
    #[arg(long)]
    pub medical: Option<String>,
    /// injury: general damages.
    #[arg(long)]
    pub general_damages: Option<String>,
    /// agreed: the amount agreed.
    #[arg(long)]
    pub amount: Option<String>,
    /// Property with a coinsurance clause: its value at the time of loss.
    #[arg(long)]
    pub property_value: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Acv,
    Rcv,
    Injury,
    Agreed,
}

fn amount(flag: &str, v: &Option<String>) -> Result<Money> {
    let s = v
        .as_deref()
        .ok_or_else(|| Error::refused(format!("--{flag} is required for this basis")))?;
    super::money_flag(flag, s)
}

pub fn run(g: &Globals, a: Args) -> Result<i32> {
    let loss = match a.basis {
        Basis::Acv => Loss::ActualCashValue {
            replacement_cost: amount("replacement-cost", &a.replacement_cost)?,
            depreciation: amount("depreciation", &a.depreciation)?,
        },
        Basis::Rcv => Loss::ReplacementCost {
            replacement_cost: amount("replacement-cost", &a.replacement_cost)?,
        },
        Basis::Injury => Loss::Injury {
            medical_specials: amount("medical", &a.medical)?,
            general_damages: amount("general-damages", &a.general_damages)?,
        },
        Basis::Agreed => Loss::Agreed {
            amount: amount("amount", &a.amount)?,
        },
    };
    let property_value = a
        .property_value
        .is_some()
        .then(|| amount("property-value", &a.property_value))
        .transpose()?;
    let id = parse_claim_id(&a.id)?;
    let session = super::open_session(g, Permission::Settle, "propose settlements")?;
    let office = session.ws.office.clone();
    let policies = load_policies(&session.ws.root);
    let (by, role) = (session.actor.email.clone(), session.actor.role.clone());
    let mut shown: Vec<CalculationLine> = Vec::new();
    let done = session.change_claim(&id, "settle", g.dry_run, |claim, now| {
        if !matches!(claim.status, Status::Assigned | Status::Investigating | Status::SettlementPending) {
            return Err(Error::refused(format!("{} is {}: nothing to settle", claim.id, claim.status)));
        }
        if claim.settlement.as_ref().is_some_and(|s| s.state == ApprovalState::Effective) {
            return Err(Error::refused(format!("{} already has an approved settlement", claim.id)));
        }
        let policy = claim
            .policy_number
            .as_ref()
            .and_then(|n| policies.get(n))
            .ok_or_else(|| Error::refused(format!("{}: its policy is not in policies/", claim.id)))?;
        let coverage = covering(policy, &claim_perils(claim));
        let triage = claim.triage.as_ref();
        // Injury damages are owed to a third party: the insured's deductible is not taken.
        let zero = Money::from_decimal(rust_decimal::Decimal::ZERO);
        let deductible = if a.basis == Basis::Injury {
            zero
        } else {
            triage
                .and_then(|t| t.deductible)
                .or(coverage.map(|c| c.deductible))
                .unwrap_or(zero)
        };
        let coinsurance = match (coverage.and_then(|c| c.coinsurance_percent), property_value) {
            (Some(percent), Some(value)) => Some(Coinsurance {
                percent,
                carried: coverage.expect("a coverage").limit,
                property_value: value,
            }),
            (Some(p), None) if a.basis != Basis::Injury => {
                return Err(Error::refused(format!(
                    "the coverage has a {p}% coinsurance clause: give --property-value (the property's value at the time of loss)"
                )))
            }
            _ => None,
        };
        let terms = Terms {
            deductible,
            limit: coverage.map(|c| c.limit).filter(|l| !l.is_zero()),
            sublimit: triage.and_then(|t| t.sublimit.clone()).map(|s| (s.name, s.amount)),
            coinsurance,
            prior_payments: claim.paid(),
        };
        let (lines, payable) = calculate(&loss, &terms).map_err(Error::refused)?;
        let needed = authority::needed(claim, &office, Kind::Settlement, payable, &role)
            .map_err(Error::refused)?;
        let (state, approval) = authority::start(&needed);
        let negotiation = claim.settlement.take().map(|s| s.negotiation).unwrap_or_default();
        shown = lines.clone();
        claim.settlement = Some(Settlement {
            basis: loss.basis(),
            calculation: lines,
            amount: payable,
            negotiation,
            proposed_by: by.clone(),
            proposed_at: now,
            state,
            authority: Some(needed.used.clone()),
            approval,
            release: None,
        });
        if claim.status != Status::SettlementPending {
            claim.status = Status::SettlementPending;
            claim.record_event(now, &by, "settle", Status::SettlementPending);
        }
        let word = if needed.effective { "effective" } else { "pending approval" };
        Ok(ClaimChange::new(format!("settle {}: {payable} ({word})", claim.id))
            .trailer("Amount", payable.to_string())
            .trailer("Basis", format!("{:?}", a.basis).to_ascii_lowercase())
            .trailer("Authority", needed.used.required_role.clone())
            .trailer("State", if needed.effective { "effective" } else { "pending" }))
    })?;
    let format = g.format_or(Format::Table);
    if !g.quiet && matches!(format, Format::Table | Format::Csv | Format::Json) {
        let mut out = Out::new();
        Rows {
            headers: &["line", "amount"],
            rows: &shown,
            cells: &|l: &CalculationLine| vec![l.label.clone(), l.amount.to_string()],
        }
        .print(format, &mut out);
        out.flush();
    }
    report(g, &done);
    Ok(0)
}

/// Log a demand, an offer or a counter-offer on the claim's settlement file.
#[derive(clap::Args, Debug)]
pub struct NegotiateArgs {
    pub id: String,
    /// demand (from the claimant), offer (ours), counter
    #[arg(long)]
    pub kind: String,
    /// Who made it (claimant, attorney, us).
    #[arg(long)]
    pub party: String,
    #[arg(long)]
    pub amount: String,
    /// The date it was made; default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run_negotiate(g: &Globals, a: NegotiateArgs) -> Result<i32> {
    let kind = a.kind.trim().to_ascii_lowercase();
    if !["demand", "offer", "counter"].contains(&kind.as_str()) {
        return Err(Error::refused(format!(
            "--kind `{}` is not demand, offer or counter",
            a.kind
        )));
    }
    let value = amount("amount", &Some(a.amount.clone()))?;
    let id = parse_claim_id(&a.id)?;
    let session = super::open_session(g, Permission::Settle, "log settlement negotiations")?;
    let done = session.change_claim(&id, "negotiate", g.dry_run, |claim, now| {
        let on = a.on.unwrap_or_else(|| now.date_naive());
        if on > now.date_naive() {
            return Err(Error::refused(format!("--on {on} is in the future")));
        }
        let step = NegotiationStep {
            on,
            kind: kind.clone(),
            party: a.party.trim().to_string(),
            amount: value,
            note: a.note.clone().filter(|n| !n.trim().is_empty()),
        };
        match claim.settlement.as_mut() {
            Some(s) => s.negotiation.push(step),
            None => {
                return Err(Error::refused(format!(
                    "{} has no settlement yet: propose one with `claims settle` first",
                    claim.id
                )))
            }
        }
        Ok(ClaimChange::new(format!(
            "negotiate {}: {kind} {value} from {}",
            claim.id,
            a.party.trim()
        ))
        .trailer("Amount", value.to_string())
        .trailer("Kind", kind.clone()))
    })?;
    report(g, &done);
    Ok(0)
}
