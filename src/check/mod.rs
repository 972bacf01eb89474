//! The `check` stage: findings and the rules that produce them. Pure; the store reads files.

pub mod finding;
pub mod locate;
pub mod rules;
