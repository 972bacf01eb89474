//! What a command produces: the files of its commit, its commit message, and the notices to
//! send once it is committed.

use super::desk::Desk;
use crate::domain::claim::{Claim, Timestamp};
use crate::letters::Email;

/// One file of a change: written (`content: Some`) or deleted (`None`), by repository-relative,
/// `/`-separated path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub content: Option<Vec<u8>>,
    /// Content the user brought (an attachment, a proposed authority.yaml) rather than content
    /// the command derives: replay takes it from the commit instead of making it again.
    pub supplied: bool,
}

impl File {
    pub fn derived(path: impl Into<String>, content: Vec<u8>) -> File {
        File {
            path: path.into(),
            content: Some(content),
            supplied: false,
        }
    }

    pub fn supplied(path: impl Into<String>, content: Vec<u8>) -> File {
        File {
            path: path.into(),
            content: Some(content),
            supplied: true,
        }
    }

    pub fn deleted(path: impl Into<String>) -> File {
        File {
            path: path.into(),
            content: None,
            supplied: false,
        }
    }
}

/// A claim file a change rewrites: as it stood, and as it will stand.
#[derive(Clone, Debug)]
pub struct ClaimEdit {
    pub path: String,
    pub before: Option<Claim>,
    pub after: Option<Claim>,
}

/// What a command made of one claim: the commit subject, body, trailers after the standard
/// ones, and the files beside the claim's own (letters, attachments).
#[derive(Debug, Default)]
pub struct Edit {
    pub subject: String,
    pub body: Option<String>,
    pub trailers: Vec<(String, String)>,
    pub files: Vec<File>,
    pub mail: Vec<Email>,
    /// Details for the user's report (not committed): `("open_claims", "12")`.
    pub facts: Vec<(&'static str, String)>,
    /// What the user should know (not committed), as [`Change::warnings`].
    pub warnings: Vec<String>,
}

impl Edit {
    pub fn new(subject: impl Into<String>) -> Edit {
        Edit {
            subject: subject.into(),
            ..Edit::default()
        }
    }

    pub fn trailer(mut self, key: &str, value: impl Into<String>) -> Edit {
        self.trailers.push((key.to_string(), value.into()));
        self
    }

    pub fn warning(mut self, text: impl Into<String>) -> Edit {
        self.warnings.push(text.into());
        self
    }
}

/// A command's whole effect: everything its one signed commit holds.
#[derive(Debug)]
pub struct Change {
    /// `reserve`, `deny approve`, ... (the `Command:` trailer).
    pub command: &'static str,
    /// The recorded arguments (the `Args:` trailer).
    pub args: String,
    /// The claim it is about (the `Claim:` trailer), if any.
    pub claim: Option<String>,
    pub subject: String,
    pub body: Option<String>,
    /// Trailers after Claim, Command, Args, Actor and Role.
    pub trailers: Vec<(String, String)>,
    pub files: Vec<File>,
    /// The claim files among `files`, parsed, before and after.
    pub claims: Vec<ClaimEdit>,
    /// Notices for the outbox, sent once the commit is made.
    pub mail: Vec<Email>,
    /// Details for the user's report (not committed): `("open_claims", "12")`.
    pub facts: Vec<(&'static str, String)>,
    /// What the user should know (not committed): a duplicate suspected, an override past
    /// someone's availability.
    pub warnings: Vec<String>,
    pub actor: String,
    pub role: String,
    /// The commit's time (the desk's clock).
    pub at: Timestamp,
}

impl Change {
    pub fn new(subject: impl Into<String>, desk: &Desk) -> Change {
        Change {
            command: "",
            args: String::new(),
            claim: None,
            subject: subject.into(),
            body: None,
            trailers: Vec::new(),
            files: Vec::new(),
            claims: Vec::new(),
            mail: Vec::new(),
            facts: Vec::new(),
            warnings: Vec::new(),
            actor: desk.actor.email.clone(),
            role: desk.actor.role.clone(),
            at: desk.now,
        }
    }

    /// The commit message: subject, body, then the trailers a script reads with
    /// `git log --format='%(trailers)'`. Whitespace inside a trailer value is one space.
    pub fn message(&self) -> String {
        let mut m = one_line(&self.subject);
        if let Some(body) = self
            .body
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        {
            m.push_str("\n\n");
            m.push_str(body);
        }
        m.push_str("\n\n");
        let mut trailers: Vec<(&str, &str)> = Vec::new();
        if let Some(c) = &self.claim {
            trailers.push(("Claim", c));
        }
        trailers.push(("Command", self.command));
        trailers.push(("Args", &self.args));
        trailers.push(("Actor", &self.actor));
        trailers.push(("Role", &self.role));
        trailers.extend(self.trailers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for (k, v) in trailers {
            m.push_str(k);
            m.push_str(": ");
            // The arguments are one line already, written to read back exactly: spaces
            // inside a quoted word are part of it.
            if k == "Args" {
                m.push_str(v);
            } else {
                m.push_str(&one_line(v));
            }
            m.push('\n');
        }
        m
    }

    /// The claim's id and state after the change, for reports.
    pub fn after(&self) -> Option<&Claim> {
        self.claims.first().and_then(|c| c.after.as_ref())
    }

    /// A report detail by name.
    pub fn fact(&self, name: &str) -> Option<&str> {
        self.facts
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
