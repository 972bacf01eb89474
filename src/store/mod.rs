//! The store: the office repository on disk and in git.

pub mod git;
pub mod signing;
pub mod yaml;

#[cfg(test)]
pub(crate) mod testutil;
