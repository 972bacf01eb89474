//! `claims`: insurance claims handling where every record is YAML in git and every change
//! is one signed commit.
//!
//! `domain` is the pure core (no I/O); `store` reads and writes the office repository;
//! `cli` is the command-line layer.

pub mod audit;
pub mod bounds;
pub mod check;
pub mod cli;
pub mod domain;
pub mod error;
pub mod export;
pub mod intake;
pub mod letters;
pub mod smtp;
pub mod store;
pub mod synthetic;
pub mod workflow;
