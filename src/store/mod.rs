//! The store: the office repository on disk and in git.

pub mod activity;
pub mod bare;
pub mod batch;
pub mod checkpoint;
pub mod durable;
pub mod files;
pub mod git;
pub mod input;
pub mod inspect;
pub mod journal;
pub mod landing;
pub mod lock;
pub mod nofollow;
pub mod notices;
pub mod office_init;
pub mod outbox;
pub mod pack;
pub mod session;
pub mod signing;
pub mod snapshot;
pub mod sync;

#[cfg(test)]
pub(crate) mod testutil;
