//! The vehicles of an auto notice at admission, whatever the channel: each VIN's check digit
//! and model year, and whether the loss is glass only — one fact, set one way.

use super::admit::Findings;
use crate::domain::fnol::{AutoFacts, LossFacts};
use crate::domain::vin::{Vin, VinError};

/// Checks each vehicle's VIN and writes it in canonical form. A wrong check digit is refused
/// unless the user accepted it (`--accept-vin`: the vehicle records the override); a VIN
/// whose model-year code (position 10) says another year than the reported one is a warning
/// kept on the claim, since the vehicle or the year was misreported. A notice held for a
/// person that gives no year takes the VIN's, and says so. `latest` is the latest model year
/// on sale when the notice came (next year).
pub(super) fn review(auto: &mut AutoFacts, accept_vin: bool, latest: i32, f: &mut Findings) {
    for (i, v) in auto.vehicles.iter_mut().enumerate() {
        let Some(raw) = v.vin.clone().filter(|s| !s.trim().is_empty()) else {
            continue;
        };
        let field = format!("auto.vehicles[{i}].vin");
        let parsed = if accept_vin {
            Vin::parse_unchecked_digit(&raw)
        } else {
            Vin::parse(&raw)
        };
        let vin = match parsed {
            Ok(vin) => vin,
            Err(e) => {
                let why = match e {
                    VinError::CheckDigit { .. } => format!(
                        "VIN `{raw}`: {e}; if the vehicle really carries this VIN, pass --accept-vin"
                    ),
                    e => format!("VIN `{raw}`: {e}"),
                };
                if f.unusable(&field, why) {
                    v.vin = None;
                    v.vin_check_overridden = false;
                }
                continue;
            }
        };
        // The override is recorded only where it was needed.
        v.vin_check_overridden = vin.validate().is_err();
        if v.vin_check_overridden {
            f.warnings.push(format!(
                "{field}: VIN {} fails its check digit; recorded as given (--accept-vin)",
                vin.as_str()
            ));
        }
        match v.year {
            Some(year) => {
                if let Some(why) = vin.model_year_mismatch(year, latest) {
                    f.remark(format!("auto.vehicles[{i}]: {why}"));
                }
            }
            None if f.is_lenient() => {
                if let Some(year) = vin.model_year(latest) {
                    v.year = Some(year);
                    f.notes.push(format!(
                        "[intake] auto.vehicles[{i}].year {year} was read from the VIN {} \
                         (position 10); confirm it with the reporter.",
                        vin.as_str()
                    ));
                }
            }
            None => {}
        }
        v.vin = Some(vin.into_string());
    }
}

/// Glass only has one meaning: `auto.glass_only`. A loss whose cause is glass is glass only,
/// and a glass-only loss with no cause given has the cause `glass` (the peril the policy's
/// glass coverage answers). A loss in which someone was hurt is not glass only, whatever the
/// notice ticked: it is an injury claim.
pub(super) fn settle_glass(loss: &mut LossFacts, auto: &mut AutoFacts, f: &mut Findings) {
    let cause = loss.cause.as_deref().map(str::trim).unwrap_or("");
    if cause.eq_ignore_ascii_case("glass") {
        loss.cause = Some("glass".to_string());
        auto.glass_only = true;
    } else if cause.is_empty() && auto.glass_only {
        loss.cause = Some("glass".to_string());
    }
    if auto.glass_only && (!auto.injured.is_empty() || auto.fatality) {
        auto.glass_only = false;
        f.remark(
            "auto.glass_only: reported as glass only, but someone was hurt; handled as an \
             injury claim, not glass only"
                .to_string(),
        );
    }
}
