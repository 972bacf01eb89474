//! The domain core: records, rules and calculations. No I/O here.
