//! `claims pay ID --for EXPOSURE ...`: issue a payment within the effective reserve and the
//! settlement authority; `claims payments`: the export for the payment department.

use serde::Serialize;

use super::output::{Format, Out, Rows};
use super::Globals;
use crate::domain::claim::PaymentMethod;
use crate::error::Result;
use crate::store::files::find_office_root;
use crate::workflow::settlement::Pay;
use crate::workflow::{parse_claim_id, Command};

/// Issue a payment for one exposure of the claim: check or ACH, payee, reference. On a
/// payment for the insured vehicle the lienholder on file is added as co-payee, on one for
/// the dwelling or building the mortgagee — never on anything else. Refused beyond the
/// effective reserve; above the payer's settlement authority it waits for `claims approve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub id: String,
    #[arg(long)]
    pub amount: String,
    /// What it pays for: vehicle, rental (auto); dwelling, building, contents,
    /// additional_living_expense, business_income (property); bodily_injury, medical,
    /// third_party_property (auto, general liability); indemnity, medical (workers' comp);
    /// liability_damages (general and professional liability).
    #[arg(long = "for", value_name = "EXPOSURE")]
    pub exposure: String,
    #[arg(long)]
    pub payee: String,
    #[arg(long, value_enum)]
    pub method: Method,
    /// Check number or ACH trace number.
    #[arg(long)]
    pub reference: String,
    /// Co-payee instead of the one on file ("none" for none); a lienholder or mortgagee on
    /// file only on a payment for the property it holds an interest in.
    #[arg(long)]
    pub co_payee: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Check,
    Ach,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let id = parse_claim_id(&args.id)?;
    super::run_one(
        g,
        Command::Pay(Pay {
            id,
            amount: args.amount,
            exposure: args.exposure,
            payee: args.payee,
            method: match args.method {
                Method::Check => PaymentMethod::Check,
                Method::Ach => PaymentMethod::Ach,
            },
            reference: args.reference,
            co_payee: args.co_payee,
        }),
    )
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
    exposure: String,
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
    for c in super::readable_claims(&root) {
        for p in &c.payments {
            let state = crate::workflow::plain(&p.state);
            if args.state.as_deref().is_some_and(|s| s != state) {
                continue;
            }
            rows.push(Row {
                claim: c.id.clone(),
                date: p.at.date_naive().to_string(),
                payee: p.payee.clone(),
                co_payee: p.co_payee.clone().unwrap_or_default(),
                exposure: p
                    .exposure
                    .map(|e| e.as_str().to_string())
                    .unwrap_or_default(),
                method: crate::workflow::plain(&p.method),
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
            "exposure",
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
                r.exposure.clone(),
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
