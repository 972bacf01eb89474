//! The domain core: records, rules and calculations. No I/O here.

pub mod authority;
pub mod authority_file;
pub mod calendar;
pub mod claim;
pub mod claim_id;
pub mod coverage;
pub mod denial;
pub mod exposure;
pub mod fnol;
pub mod intake_source;
pub mod investigation;
pub mod lifecycle;
pub mod money;
pub mod office;
pub mod policy;
pub mod priority;
pub mod release;
pub mod routing;
pub mod same_loss;
pub mod secrets;
pub mod settlement;
pub mod sla;
pub mod sla_rules;
pub mod spec;
pub mod vin;
pub mod yaml;
