//! Durability: what must be on disk before the branch may point at it, and the named points at
//! which a test build stops the process to prove a crash there is repaired.

use std::path::Path;
use std::sync::Once;

/// Makes libgit2 fsync every object, pack and ref file it writes (and their folders), once
/// per process: a commit the branch points to must survive a power loss.
pub fn fsync_git_writes() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: a documented libgit2 option taking one int; set before any repository
        // writes in this process.
        unsafe {
            libgit2_sys::git_libgit2_opts(
                libgit2_sys::GIT_OPT_ENABLE_FSYNC_GITDIR as std::ffi::c_int,
                1 as std::ffi::c_int,
            );
        }
    });
}

/// Flushes a folder's entries (a file just created or renamed in it) to disk.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()?;
    }
    trace("fsync", dir);
    Ok(())
}

/// Flushes everything written to the file system that holds `dir` (Linux's `syncfs`): one
/// call for a batch's thousands of files. `Ok(false)` where the system has no such call (the
/// caller then flushes file by file).
pub fn sync_file_system(dir: &Path) -> std::io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let folder = std::fs::File::open(dir)?;
        // SAFETY: syncfs takes an open descriptor, which `folder` holds for the call.
        if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        trace("syncfs", dir);
        Ok(true)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        Ok(false)
    }
}

/// Flushes an open file's bytes to disk.
pub fn sync_file(file: &std::fs::File, path: &Path) -> std::io::Result<()> {
    file.sync_all()?;
    trace("fsync", path);
    Ok(())
}

/// In a test build, `CLAIMS_FSYNC_LOG=FILE` appends `WHAT PATH` lines to FILE for every
/// fsync and every journal removed, so a test can check the order.
pub fn trace(what: &str, path: &Path) {
    #[cfg(any(debug_assertions, feature = "fault-injection"))]
    if let Some(log) = std::env::var_os("CLAIMS_FSYNC_LOG") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(f, "{what} {}", path.display());
        }
    }
    #[cfg(not(any(debug_assertions, feature = "fault-injection")))]
    let _ = (what, path);
}

/// A named point in the store where a test build stops the process dead, as `kill -9` or a
/// power loss would: `CLAIMS_FAULT=NAME` stops at the first time the point is reached,
/// `CLAIMS_FAULT=NAME#N` at the Nth. The points, in the order a change reaches them:
///
/// - `objects-written`: the commit's objects (or a batch's pack) are in the database;
/// - `journal-written`: the journal of the change in flight and the outbox's temporary files
///   are on disk;
/// - `branch-moved`: the branch points to the new commit;
/// - `worktree-file`: after each working-tree file is written or removed;
/// - `index-written`: the index is up to date;
/// - `outbox-file`: after each notice is moved into the outbox.
///
/// `CLAIMS_PAUSE=NAME=FILE` instead holds the process at the first time it reaches the point:
/// it creates FILE and waits (up to a minute) until FILE is removed — so a test can let
/// another writer in at that very moment.
///
/// Release builds have no points (the variables are ignored) unless built with the
/// `fault-injection` feature.
#[inline]
pub fn point(name: &str) {
    #[cfg(any(debug_assertions, feature = "fault-injection"))]
    stop_if_asked(name);
    #[cfg(not(any(debug_assertions, feature = "fault-injection")))]
    let _ = name;
}

#[cfg(any(debug_assertions, feature = "fault-injection"))]
fn stop_if_asked(name: &str) {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    static HITS: AtomicU64 = AtomicU64::new(0);
    static PAUSED: AtomicBool = AtomicBool::new(false);
    if let Some((wanted, file)) = std::env::var("CLAIMS_PAUSE")
        .ok()
        .as_deref()
        .and_then(|s| s.split_once('='))
    {
        if wanted == name
            && !PAUSED.swap(true, Ordering::SeqCst)
            && std::fs::write(file, name).is_ok()
        {
            let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while Path::new(file).exists() && std::time::Instant::now() < until {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
    let Ok(spec) = std::env::var("CLAIMS_FAULT") else {
        return;
    };
    let (wanted, nth) = match spec.split_once('#') {
        Some((n, k)) => (n, k.parse::<u64>().unwrap_or(1)),
        None => (spec.as_str(), 1),
    };
    if wanted != name {
        return;
    }
    if HITS.fetch_add(1, Ordering::SeqCst) + 1 == nth {
        // Nothing flushed, nothing unwound: what a kill -9 leaves.
        std::process::abort();
    }
}

/// Whether this build has the fault points (tests that need them skip otherwise).
pub const HAS_FAULT_POINTS: bool = cfg!(any(debug_assertions, feature = "fault-injection"));
