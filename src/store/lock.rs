//! The office lock: an exclusive `flock` on `<gitdir>/claims.lock`, held while the branch
//! moves and the working tree and index are brought in line with it, and while a command
//! checks for uncommitted edits (so it never sees another writer half-way). Released on drop
//! (and by the system when the process dies), so a lock file left behind is harmless.
//!
//! A command that finds the lock held waits for it, and after [`PATIENCE`] says once on
//! stderr whom it is waiting for (the holder writes its pid into the file).

use std::fs;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::Repository;

use super::git::CommitError;
use super::nofollow;

/// How long a command waits for the lock before it says it is waiting.
pub const PATIENCE: Duration = Duration::from_secs(2);

pub(crate) struct RepoLock {
    _file: fs::File,
}

fn lock_path(repo: &Repository) -> PathBuf {
    repo.path().join("claims.lock")
}

fn open(path: &Path) -> Result<fs::File, CommitError> {
    let io = |e| CommitError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    nofollow::refuse_link(path).map_err(io)?;
    nofollow::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
        .map_err(io)
}

impl RepoLock {
    /// Waits for the lock (saying so after [`PATIENCE`]).
    pub(crate) fn acquire(repo: &Repository) -> Result<RepoLock, CommitError> {
        let path = lock_path(repo);
        let mut file = open(&path)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < PATIENCE => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    eprintln!(
                        "waiting for another claims command (pid {}?) holding .git/claims.lock...",
                        holder(&mut file)
                    );
                    file.lock().map_err(|e| CommitError::Io {
                        path: path.clone(),
                        source: e,
                    })?;
                    break;
                }
                Err(fs::TryLockError::Error(e)) => return Err(CommitError::Io { path, source: e }),
            }
        }
        Ok(RepoLock::held(file))
    }

    /// The lock if it is free now; `Err(pid)` (as the holder wrote it) if another process
    /// holds it.
    pub(crate) fn try_acquire(repo: &Repository) -> Result<Result<RepoLock, String>, CommitError> {
        let path = lock_path(repo);
        let mut file = open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Ok(RepoLock::held(file))),
            Err(fs::TryLockError::WouldBlock) => Ok(Err(holder(&mut file))),
            Err(fs::TryLockError::Error(e)) => Err(CommitError::Io { path, source: e }),
        }
    }

    fn held(mut file: fs::File) -> RepoLock {
        // Who holds it, for whoever waits (best effort: the lock is the flock, not this).
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| write!(file, "{}", std::process::id()));
        RepoLock { _file: file }
    }
}

/// The pid the lock's holder wrote, or "?".
fn holder(file: &mut fs::File) -> String {
    let mut s = String::new();
    let _ = file
        .rewind()
        .and_then(|_| file.take(32).read_to_string(&mut s));
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.to_string()
    } else {
        "?".to_string()
    }
}
