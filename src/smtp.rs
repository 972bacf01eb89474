//! The office's mail server, through lettre's blocking SMTP transport (TLS by rustls): a
//! queued message goes as the bytes it is, with an envelope from its own headers.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use crate::domain::office::{SmtpSettings, SmtpTls};
use crate::error::{Error, Result};
use crate::letters::Outgoing;

/// A connection plan to the office's mail server.
pub struct Mailer {
    transport: SmtpTransport,
    from: Option<Address>,
    /// `smtp.example.com:587 (starttls)`, for reports.
    pub describe: String,
}

impl Mailer {
    /// The mailer for `settings`, with the credentials read from the variables they name
    /// (`env` looks one up: `std::env::var` outside tests). Refused for settings that are
    /// wrong; an environment failure when a named variable is not set.
    pub fn new(settings: &SmtpSettings, env: impl Fn(&str) -> Option<String>) -> Result<Mailer> {
        let problems = settings.problems();
        if !problems.is_empty() {
            return Err(Error::refused(format!(
                "authority.yaml: {}",
                problems.join("; ")
            )));
        }
        let server = settings.server.trim();
        let port = settings.port();
        let tls = || {
            TlsParameters::new(server.to_string())
                .map_err(|e| Error::environment(format!("cannot set up TLS for {server}: {e}")))
        };
        let mut builder = SmtpTransport::builder_dangerous(server)
            .port(port)
            .timeout(Some(Duration::from_secs(30)))
            .tls(match settings.tls {
                SmtpTls::None => Tls::None,
                SmtpTls::Starttls => Tls::Required(tls()?),
                SmtpTls::Tls => Tls::Wrapper(tls()?),
            });
        if let (Some(user), Some(pass)) = (&settings.username_env, &settings.password_env) {
            let read = |name: &str, field: &str| {
                env(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                    Error::environment(format!(
                        "the environment variable {name} (authority.yaml smtp.{field}) is not set"
                    ))
                })
            };
            builder = builder.credentials(Credentials::new(
                read(user, "username_env")?,
                read(pass, "password_env")?,
            ));
        }
        let from = settings
            .from
            .as_deref()
            .map(|f| {
                f.trim()
                    .parse::<Address>()
                    .map_err(|e| Error::refused(format!("authority.yaml smtp.from `{f}`: {e}")))
            })
            .transpose()?;
        let mode = match settings.tls {
            SmtpTls::None => "none",
            SmtpTls::Starttls => "starttls",
            SmtpTls::Tls => "tls",
        };
        Ok(Mailer {
            transport: builder.build(),
            from,
            describe: format!("{server}:{port} ({mode})"),
        })
    }

    /// Hands `bytes` to the server for the envelope of `msg`; the server's reply when it
    /// accepts, its refusal or the connection's failure in words when not.
    pub fn send(&self, msg: &Outgoing, bytes: &[u8]) -> std::result::Result<String, String> {
        let parse = |a: &str| {
            a.parse::<Address>()
                .map_err(|e| format!("`{a}` is not an address: {e}"))
        };
        let from = match &self.from {
            Some(f) => f.clone(),
            None => parse(&msg.from)?,
        };
        let to = msg
            .recipients
            .iter()
            .map(|r| parse(r))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let envelope = Envelope::new(Some(from), to).map_err(|e| e.to_string())?;
        let reply = self
            .transport
            .send_raw(&envelope, bytes)
            .map_err(|e| format!("{} refused or failed: {e}", self.describe))?;
        Ok(reply
            .message()
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_string())
    }
}
