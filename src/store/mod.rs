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
pub mod read_cache;
pub mod session;
pub mod signing;
pub mod snapshot;
pub mod sync;

#[cfg(test)]
pub(crate) mod testutil;

/// Bounds how much of the office's packfiles libgit2 keeps mapped into memory, once per
/// process, before any repository is opened. By default it maps each pack whole (in windows of
/// 1 GB, up to 8 GB in all), and every page the kernel reads ahead around an object it looks up
/// stays mapped — so a batch that reads 10,000 claims scattered over a 700 MB history counts
/// most of that history in its memory. In windows of 8 MB, at most 64 MB mapped at a time,
/// libgit2 unmaps the least recently used window first.
pub fn bound_mapped_packs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: documented libgit2 global options, set before any repository is opened and
        // while no other thread uses libgit2.
        unsafe {
            let _ = git2::opts::set_mwindow_size(8 << 20);
            let _ = git2::opts::set_mwindow_mapped_limit(64 << 20);
        }
    });
}
