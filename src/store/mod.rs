//! The store: the office repository on disk and in git.
pub mod yaml;
