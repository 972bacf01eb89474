//! One error type for the whole tool; its kind picks the exit code.
//!
//! 1: the records are invalid or the operation was refused (authority, illegal transition,
//! bad input); 2: usage; 3: environment (git, signing, I/O).

use std::fmt;

use crate::store::git::CommitError;
use crate::store::signing::SignError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input, a refused operation, invalid records.
    Refused,
    Usage,
    Environment,
}

impl ErrorKind {
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Refused => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Environment => 3,
        }
    }
}

#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// Lines printed under the message: how to fix it.
    pub hints: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The message and its hints on one line (`message; hint; hint`).
    pub fn one_line(&self) -> String {
        let mut s = self.message.clone();
        for h in &self.hints {
            s.push_str("; ");
            s.push_str(h);
        }
        s
    }

    pub fn refused(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Refused,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Usage,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn environment(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Environment,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hints.push(hint.into());
        self
    }

    /// An I/O failure on a named file.
    pub fn io(path: impl fmt::Display, e: std::io::Error) -> Error {
        Error::environment(format!("{path}: {e}"))
    }

    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Error {
        Error::environment(format!("git: {}", e.message()))
    }
}

impl From<SignError> for Error {
    fn from(e: SignError) -> Error {
        let mut err = Error::environment(format!("signing failed: {e}"));
        if matches!(e, SignError::NoKey | SignError::KeyFileMissing { .. }) {
            err = err.hint("set a key: `git config user.signingkey ~/.ssh/id_ed25519` and `git config gpg.format ssh`")
                .hint("then register its public key as your signing_key in authority.yaml (a signed commit by a supervisor)");
        }
        err
    }
}

impl From<CommitError> for Error {
    fn from(e: CommitError) -> Error {
        match e {
            CommitError::Refused(msg) => Error::refused(msg),
            CommitError::Sign(s) => Error::from(s),
            CommitError::Uncommitted { path } => Error::refused(format!(
                "{path} has uncommitted edits; the tool will not overwrite them"
            ))
            .hint(format!(
                "review them with `git diff HEAD -- {path}`, then commit them, or discard them with `git checkout HEAD -- {path}`"
            )),
            other => Error::environment(other.to_string()),
        }
    }
}
