//! The domain core: records, rules and calculations. No I/O here.

pub mod calendar;
pub mod claim_id;
pub mod vin;
