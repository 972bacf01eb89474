//! Runs the CSR phone script on this terminal (questions on stderr, answers from stdin) and
//! prints the confirmed draft's facts as JSON on stdout. Answers may be piped in.
//!
//! `cargo run --example phone_script -- [LINE_OF_BUSINESS]`

use claims::domain::claim::LineOfBusiness;
use claims::intake::phone::{phone_script, LinePrompter};

fn main() {
    let lob = std::env::args().nth(1).map(|a| {
        LineOfBusiness::parse(&a).unwrap_or_else(|| {
            eprintln!("unknown line of business {a:?}");
            std::process::exit(2)
        })
    });
    let mut prompter = LinePrompter::stdio();
    match phone_script(lob, &mut prompter) {
        Ok(d) => {
            let json = serde_json::json!({
                "lob": d.lob,
                "channel": d.channel,
                "source": d.source,
                "jurisdiction": d.jurisdiction,
                "policy_number": d.policy_number,
                "insured": d.insured,
                "reporter": d.reporter,
                "loss": d.loss,
                "auto": d.auto,
                "property": d.property,
                "liability": d.liability,
                "workers_comp": d.workers_comp,
                "vin_override": d.vin_override,
                "notes": d.notes,
            });
            println!("{}", serde_json::to_string_pretty(&json).unwrap());
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
