//! `claims pay ID ...`: issue a payment within the effective reserve and the settlement
//! authority; `claims payments`: the export for the payment department.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::update::report;
use super::Globals;
use crate::domain::authority::{self, Kind};
use crate::domain::claim::{ApprovalState, Claim, LineOfBusiness, Payment, PaymentMethod};
use crate::domain::money::Money;
use crate::domain::office::Permission;
use crate::domain::policy::Policy;
use crate::error::{Error, Result};
use crate::store::files::{find_office_root, load_claims, load_policies, parse_claim_id};
use crate::store::session::ClaimChange;

/// Issue a payment: check or ACH, payee, reference. The mortgagee (property) or lienholder
/// (auto) on file is added as co-payee. Refused beyond the effective reserve; above the payer's
/// settlement authority it waits for `claims approve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    #[arg(long)]
    pub amount: String,
    #[arg(long)]
    pub payee: String,
    #[arg(long, value_enum)]
    pub method: Method,
    /// Check number or ACH trace number.
    #[arg(long)]
    pub reference: String,
    /// Co-payee instead of the one on file ("none" for none).
    #[arg(long)]
    pub co_payee: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Check,
    Ach,
}

/// The mortgagee or lienholder with an interest in the payment, from the claim or the policy.
pub fn co_payee_on_file(claim: &Claim, policy: Option<&Policy>) -> Option<String> {
    let none = |s: &String| s.trim().is_empty() || s.trim().eq_ignore_ascii_case("none");
    match claim.lob {
        LineOfBusiness::Property => claim
            .property
            .as_ref()
            .and_then(|p| p.mortgagee.clone())
            .filter(|m| !none(m))
            .or_else(|| policy.and_then(|p| p.locations.iter().find_map(|l| l.mortgagee.clone()))),
        l if l.is_auto() => {
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

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let amount = super::money_flag("amount", &args.amount)?;
    if amount.is_zero() {
        return Err(Error::refused("--amount must be more than zero"));
    }
    for (name, v) in [("--payee", &args.payee), ("--reference", &args.reference)] {
        if v.trim().is_empty() {
            return Err(Error::refused(format!("{name} must not be empty")));
        }
    }
    let id = parse_claim_id(&args.id)?;
    let session = super::open_session(g, Permission::Pay, "issue payments")?;
    let office = session.ws.office.clone();
    let policies = load_policies(&session.ws.root);
    let (by, role) = (session.actor.email.clone(), session.actor.role.clone());
    let done = session.change_claim(&id, "pay", g.dry_run, |claim, now| {
        if !matches!(
            claim.status,
            crate::domain::lifecycle::Status::Assigned
                | crate::domain::lifecycle::Status::Investigating
                | crate::domain::lifecycle::Status::SettlementPending
                | crate::domain::lifecycle::Status::Settled
        ) {
            return Err(Error::refused(format!("{} is {}: no payments", claim.id, claim.status)));
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
            if committed + amount > s.amount {
                return Err(Error::refused(format!(
                    "{amount} would bring payments to {}, more than the settlement of {}",
                    committed + amount,
                    s.amount
                )));
            }
        }
        let needed = authority::needed(claim, &office, Kind::Settlement, amount, &role)
            .map_err(Error::refused)?;
        let policy = claim.policy_number.as_ref().and_then(|n| policies.get(n));
        let co_payee = match &args.co_payee {
            Some(c) if c.trim().eq_ignore_ascii_case("none") => None,
            Some(c) => Some(c.trim().to_string()),
            None => co_payee_on_file(claim, policy),
        };
        let (state, approval) = authority::start(&needed);
        claim.payments.push(Payment {
            at: now,
            by: by.clone(),
            role: role.clone(),
            payee: args.payee.trim().to_string(),
            co_payee: co_payee.clone(),
            method: match args.method {
                Method::Check => PaymentMethod::Check,
                Method::Ach => PaymentMethod::Ach,
            },
            reference: args.reference.trim().to_string(),
            amount,
            state,
            authority: Some(needed.used.clone()),
            approval,
        });
        if needed.effective && claim.sla.paid_at.is_none() {
            claim.sla.paid_at = Some(now);
        }
        let mut change = ClaimChange::new(format!(
            "pay {}: {amount} to {}{}{}",
            claim.id,
            args.payee.trim(),
            co_payee.as_deref().map(|c| format!(" and {c}")).unwrap_or_default(),
            if needed.effective { "" } else { " (pending approval)" }
        ))
        .trailer("Amount", amount.to_string())
        .trailer("Payee", args.payee.trim())
        .trailer("Reference", args.reference.trim())
        .trailer("Authority", needed.used.required_role.clone())
        .trailer("State", if needed.effective { "effective" } else { "pending" });
        if let Some(c) = co_payee {
            change = change.trailer("Co-Payee", c);
        }
        Ok(change)
    })?;
    report(g, &done);
    Ok(0)
}

/// Every payment in the office, for the payment department.
#[derive(clap::Args, Debug)]
pub struct PaymentsArgs {
    /// Only payments in this state: effective, pending.
    #[arg(long)]
    pub state: Option<String>,
}

#[derive(Serialize)]
struct Row {
    claim: String,
    date: String,
    payee: String,
    co_payee: String,
    method: String,
    reference: String,
    amount: String,
    state: String,
    by: String,
}

pub fn run_payments(g: &Globals, args: PaymentsArgs) -> Result<i32> {
    let format = g.format_among(Format::Table, &[Format::Table, Format::Csv, Format::Json])?;
    let root = find_office_root(g.repo.as_deref())?;
    let mut rows = Vec::new();
    for c in load_claims(&root) {
        for p in &c.payments {
            let state = super::show::serde_plain(&p.state);
            if args.state.as_deref().is_some_and(|s| s != state) {
                continue;
            }
            rows.push(Row {
                claim: c.id.clone(),
                date: p.at.date_naive().to_string(),
                payee: p.payee.clone(),
                co_payee: p.co_payee.clone().unwrap_or_default(),
                method: super::show::serde_plain(&p.method),
                reference: p.reference.clone(),
                amount: p.amount.to_string(),
                state,
                by: p.by.clone(),
            });
        }
    }
    rows.sort_by(|a, b| (&a.date, &a.claim).cmp(&(&b.date, &b.claim)));
    let mut out = Out::new();
    Rows {
        headers: &[
            "claim",
            "date",
            "payee",
            "co_payee",
            "method",
            "reference",
            "amount",
            "state",
            "by",
        ],
        rows: &rows,
        cells: &|r: &Row| {
            vec![
                r.claim.clone(),
                r.date.clone(),
                r.payee.clone(),
                r.co_payee.clone(),
                r.method.clone(),
                r.reference.clone(),
                r.amount.clone(),
                r.state.clone(),
                r.by.clone(),
            ]
        },
    }
    .print(format, &mut out);
    out.flush();
    Ok(0)
}
