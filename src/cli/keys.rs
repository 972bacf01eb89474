//! `claims keys rotate`: replace your own signing key, signing the change with the old one.

use std::path::PathBuf;

use clap::Subcommand;

use super::Globals;
use crate::error::Result;
use crate::workflow::authority::RotateKey;
use crate::workflow::Command;

/// Your signing key in authority.yaml.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Replace your signing key: one commit signed with the key you have now, registering the
    /// new one; the old key stays on file as retired, so your earlier commits still verify
    /// with plain git. Afterwards the tool signs as you with the new key.
    Rotate {
        /// The new key: a private key file (its .pub beside it), a .pub file, or the public
        /// key line itself (`ssh-ed25519 AAAA...`, `openpgp:FINGERPRINT`).
        #[arg(
            long,
            conflicts_with = "generate",
            required_unless_present = "generate"
        )]
        key: Option<String>,
        /// Make a new Ed25519 key in the key folder (CLAIMS_KEY_DIR, ~/.config/claims/keys).
        #[arg(long)]
        generate: bool,
    },
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let Action::Rotate { key, generate } = args.action;
    let session = super::session(g)?;
    let email = session.actor.email.clone();
    // The public key to register, and the private key to sign with from now on (if known).
    let (public, private): (String, Option<PathBuf>) = if generate {
        let stamp = session.now()?.format("%Y%m%d%H%M%S");
        let path = crate::store::office_init::key_dir()?
            .join(&email)
            .join(format!("id_ed25519-{stamp}"));
        let line = crate::store::signing::generate_ed25519_key(&path, &email)?;
        (line, Some(path))
    } else {
        let given = key.expect("clap requires --key or --generate");
        let path = PathBuf::from(&given);
        if path.is_file() {
            let key_limit = crate::bounds::MAX_FIELD_BYTES as u64;
            let text = crate::store::input::user_text(&path, key_limit)?;
            if text.contains("PRIVATE KEY-----") {
                let pub_path = PathBuf::from(format!("{}.pub", path.display()));
                let line = crate::store::input::user_text(&pub_path, key_limit)?;
                (line, Some(path))
            } else {
                let private = given
                    .strip_suffix(".pub")
                    .map(PathBuf::from)
                    .filter(|p| p.is_file());
                (text, private)
            }
        } else {
            (given, None)
        }
    };
    let public: String = public
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let done = session.run(&Command::KeysRotate(RotateKey { key: public }), g.dry_run)?;
    super::update::report(g, &done);
    if done.commit.is_some() {
        match private {
            // The rotation landed: a failure to point git at the new key is a warning.
            Some(p) => match session.use_signing_key(&p) {
                Ok(()) => g.say(format!("{email} now signs with {}", p.display())),
                Err(e) => eprintln!(
                    "warning: the new key is registered, but git could not be pointed at it ({}); run `git config claims.{email}.signingkey {}`",
                    e.message,
                    p.display()
                ),
            },
            None => g.say(format!(
                "registered; point git at the new key before your next change: `git config claims.{email}.signingkey PATH` (or user.signingkey)"
            )),
        }
    }
    Ok(0)
}
