//! Commit signing, the way git itself signs.
//!
//! Every commit the tool makes is signed with the actor's key, honouring git's own
//! configuration (`gpg.format`, `user.signingkey`, `gpg.program`, `gpg.ssh.program`), so that
//! plain `git verify-commit` accepts it.
//!
//! - [`SshKeyFileSigner`]: in-process Ed25519 SSHSIG (namespace `git`, SHA-512) from an
//!   unencrypted OpenSSH private key file. Byte-identical to `ssh-keygen -Y sign -n git`.
//! - [`SshKeygenSigner`]: `ssh-keygen -Y sign -n git -f KEY [-U]` subprocess, for encrypted
//!   keys, FIDO `sk-` keys, non-Ed25519 keys and keys held by an ssh-agent.
//! - [`GpgSigner`]: `gpg --status-fd=2 -bsau KEYID`, as git does.
//!
//! A signer returns the armored signature exactly as it goes into the `gpgsig` header: without
//! the trailing newline.

use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use crate::domain::office::SigningKey;

/// The SSHSIG namespace git uses for commits and tags.
pub const GIT_NAMESPACE: &str = "git";

const SETUP_HINT: &str = "set one up with:\n  \
     git config user.signingkey ~/.ssh/id_ed25519\n  \
     git config gpg.format ssh\n\
     (or run `claims init`, which creates a key for a new office)";

/// Errors from signing and verifying.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("no signing key is configured: every change is a signed commit, so {SETUP_HINT}")]
    NoKey,

    #[error(
        "signing key file {path} does not exist; check `git config user.signingkey` \
         (or create a key with `claims init` / `ssh-keygen -t ed25519 -f {path}`)"
    )]
    KeyFileMissing { path: PathBuf },

    #[error(
        "cannot read signing key file {path}: {source}; check its permissions \
         or point `git config user.signingkey` at a readable key"
    )]
    KeyFileUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("signing key file {path} is not a valid OpenSSH key: {reason}")]
    KeyFileInvalid { path: PathBuf, reason: String },

    #[error(
        "signing key file {path} cannot be used in-process ({reason}); \
         it needs `ssh-keygen` (use SshKeygenSigner)"
    )]
    KeyNeedsSshKeygen { path: PathBuf, reason: String },

    #[error("a signing key already exists at {path}; refusing to overwrite it")]
    KeyExists { path: PathBuf },

    #[error("gpg.format = {0} is not supported; use `git config gpg.format ssh` or `openpgp`")]
    UnsupportedFormat(String),

    #[error("cannot run signing program `{program}`: {source}; check that it is installed (or set {config_key})")]
    ProgramNotFound {
        program: String,
        config_key: &'static str,
        source: std::io::Error,
    },

    #[error("signing with `{program}` failed: {detail}")]
    ProgramFailed { program: String, detail: String },

    #[error("signing failed: {0}")]
    Crypto(String),

    #[error("invalid SSH public key `{key}`: {reason}")]
    InvalidPublicKey { key: String, reason: String },

    #[error("invalid SSH signature: {0}")]
    InvalidSignature(String),

    #[error("the signature was made by a different key ({actual}), not {expected}")]
    WrongKey { expected: String, actual: String },

    #[error("the signature has namespace `{0}`, expected `git`")]
    WrongNamespace(String),

    #[error("the signature does not match the signed data (tampered or wrong payload)")]
    BadSignature,

    #[error("i/o error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Something that signs a commit buffer the way git would.
pub trait Signer: Send + Sync {
    /// Sign `payload` (the commit buffer) and return the armored signature exactly as it goes
    /// into the `gpgsig` header, without a trailing newline.
    fn sign(&self, payload: &[u8]) -> Result<String, SignError>;
    /// Human-readable description of the key and method, for messages.
    fn describe(&self) -> String;
    /// The public keys this signer signs as (an OpenPGP key may sign with a subkey: its
    /// primary and subkey fingerprints), to be checked against authority.yaml before signing.
    fn keys(&self) -> Result<Vec<SigningKey>, SignError>;
}

/// An SSH public key as authority.yaml spells it (no comment).
fn ssh_key(key: &PublicKey) -> SigningKey {
    SigningKey::Ssh(key_text(key.key_data()))
}

fn strip_trailing_newlines(mut s: String) -> String {
    while s.ends_with('\n') || s.ends_with('\r') {
        s.pop();
    }
    s
}

// ---------------------------------------------------------------------------------------------
// In-process SSH signing
// ---------------------------------------------------------------------------------------------

/// In-process Ed25519 SSHSIG signer (namespace `git`, SHA-512) from an unencrypted OpenSSH
/// private key file. The key is loaded once, at construction.
pub struct SshKeyFileSigner {
    path: PathBuf,
    key: PrivateKey,
}

impl std::fmt::Debug for SshKeyFileSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshKeyFileSigner")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SshKeyFileSigner {
    /// Load an unencrypted Ed25519 OpenSSH private key. Encrypted keys, FIDO `sk-` keys and
    /// other algorithms give [`SignError::KeyNeedsSshKeygen`]: use [`SshKeygenSigner`].
    pub fn from_file(path: &Path) -> Result<Self, SignError> {
        let text = read_key_file(path)?;
        let key =
            PrivateKey::from_openssh(text.as_bytes()).map_err(|e| SignError::KeyFileInvalid {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Self::from_private_key(path, key)
    }

    fn from_private_key(path: &Path, key: PrivateKey) -> Result<Self, SignError> {
        let needs = |reason: &str| SignError::KeyNeedsSshKeygen {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        if key.is_encrypted() {
            return Err(needs("the key is passphrase-protected"));
        }
        match key.algorithm() {
            Algorithm::Ed25519 => {}
            Algorithm::SkEd25519 | Algorithm::SkEcdsaSha2NistP256 => {
                return Err(needs("FIDO security-key (sk-) keys need the authenticator"))
            }
            other => {
                return Err(needs(&format!(
                    "{other} keys are signed by ssh-keygen; only Ed25519 is signed in-process"
                )))
            }
        }
        Ok(SshKeyFileSigner {
            path: path.to_path_buf(),
            key,
        })
    }

    /// The public key line (`ssh-ed25519 AAAA... comment`).
    pub fn public_key_line(&self) -> String {
        self.key.public_key().to_openssh().unwrap_or_default()
    }
}

impl Signer for SshKeyFileSigner {
    fn sign(&self, payload: &[u8]) -> Result<String, SignError> {
        let sig = self
            .key
            .sign(GIT_NAMESPACE, HashAlg::Sha512, payload)
            .map_err(|e| SignError::Crypto(e.to_string()))?;
        let pem = sig
            .to_pem(LineEnding::LF)
            .map_err(|e| SignError::Crypto(e.to_string()))?;
        Ok(strip_trailing_newlines(pem))
    }

    fn describe(&self) -> String {
        format!("ssh key {} (in-process)", self.path.display())
    }

    fn keys(&self) -> Result<Vec<SigningKey>, SignError> {
        Ok(vec![ssh_key(self.key.public_key())])
    }
}

fn read_key_file(path: &Path) -> Result<String, SignError> {
    match fs::read_to_string(path) {
        Ok(t) => Ok(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(SignError::KeyFileMissing {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(SignError::KeyFileUnreadable {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// ssh-keygen subprocess
// ---------------------------------------------------------------------------------------------

/// How [`SshKeygenSigner`] names its key.
#[derive(Debug, Clone)]
enum KeygenKey {
    /// `-f PATH` (private key, or public key whose private half is in the agent).
    File(PathBuf),
    /// A literal public key line; written to a temporary file and used with `-U` (agent).
    Literal(String),
}

/// `ssh-keygen -Y sign -n git -f KEY [-U]` subprocess signer (honours `gpg.ssh.program`).
#[derive(Debug, Clone)]
pub struct SshKeygenSigner {
    program: String,
    key: KeygenKey,
    /// The public key it signs as (read once).
    public: std::sync::OnceLock<Result<Vec<SigningKey>, String>>,
}

impl SshKeygenSigner {
    /// Sign with the key in `path` (a private key file, or a `.pub` file whose private key is
    /// held by ssh-agent). `program` defaults to `ssh-keygen`.
    pub fn with_key_file(path: &Path, program: Option<&str>) -> Self {
        SshKeygenSigner {
            program: program.unwrap_or("ssh-keygen").to_string(),
            key: KeygenKey::File(path.to_path_buf()),
            public: Default::default(),
        }
    }

    /// Sign with the agent-held key whose public key line is `public_key` (`ssh-ed25519 AAAA...`,
    /// optionally prefixed with `key::`), like git does with `-U`.
    pub fn with_agent_key(public_key: &str, program: Option<&str>) -> Self {
        let line = public_key
            .strip_prefix("key::")
            .unwrap_or(public_key)
            .trim();
        SshKeygenSigner {
            program: program.unwrap_or("ssh-keygen").to_string(),
            key: KeygenKey::Literal(line.to_string()),
            public: Default::default(),
        }
    }
}

impl Signer for SshKeygenSigner {
    fn sign(&self, payload: &[u8]) -> Result<String, SignError> {
        // Keep the temporary key file alive for the duration of the call.
        let mut _tmp: Option<tempfile::NamedTempFile> = None;
        let mut cmd = Command::new(&self.program);
        cmd.args(["-Y", "sign", "-n", GIT_NAMESPACE, "-f"]);
        match &self.key {
            KeygenKey::File(p) => {
                if !p.exists() {
                    return Err(SignError::KeyFileMissing { path: p.clone() });
                }
                cmd.arg(p);
            }
            KeygenKey::Literal(line) => {
                let mut f = tempfile::Builder::new()
                    .prefix(".git_signing_key_tmp")
                    .tempfile()
                    .map_err(|e| SignError::Io {
                        path: std::env::temp_dir(),
                        source: e,
                    })?;
                writeln!(f, "{line}").map_err(|e| SignError::Io {
                    path: f.path().to_path_buf(),
                    source: e,
                })?;
                cmd.arg(f.path()).arg("-U");
                _tmp = Some(f);
            }
        }
        let out = run_with_stdin(&mut cmd, &self.program, "gpg.ssh.program", payload)?;
        if !out.status.success() {
            return Err(SignError::ProgramFailed {
                program: self.program.clone(),
                detail: format!(
                    "{} ({})",
                    String::from_utf8_lossy(&out.stderr).trim(),
                    out.status
                ),
            });
        }
        let text = String::from_utf8(out.stdout).map_err(|_| SignError::ProgramFailed {
            program: self.program.clone(),
            detail: "signature output is not text".into(),
        })?;
        if !text.contains("-----BEGIN SSH SIGNATURE-----") {
            return Err(SignError::ProgramFailed {
                program: self.program.clone(),
                detail: format!(
                    "no SSH signature in its output; stderr: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            });
        }
        let signature = strip_trailing_newlines(text);
        // A signing program can sign with any key: take only a signature by the key it was
        // given.
        let made = SigningKey::Ssh(ssh_signature_public_key(&signature)?);
        if !self.keys()?.contains(&made) {
            return Err(SignError::ProgramFailed {
                program: self.program.clone(),
                detail: format!(
                    "it signed with another key than the one configured ({})",
                    match made {
                        SigningKey::Ssh(k) | SigningKey::OpenPgp(k) => k,
                    }
                ),
            });
        }
        Ok(signature)
    }

    fn describe(&self) -> String {
        self.describe_key()
    }

    fn keys(&self) -> Result<Vec<SigningKey>, SignError> {
        self.public
            .get_or_init(|| self.read_keys().map_err(|e| e.to_string()))
            .clone()
            .map_err(SignError::Crypto)
    }
}

impl SshKeygenSigner {
    fn read_keys(&self) -> Result<Vec<SigningKey>, SignError> {
        let public = match &self.key {
            KeygenKey::Literal(line) => parse_public_key(line)?,
            KeygenKey::File(p) => {
                let text = read_key_file(p)?;
                let invalid = |reason: String| SignError::KeyFileInvalid {
                    path: p.clone(),
                    reason,
                };
                if text.contains("PRIVATE KEY-----") {
                    // The public half of an OpenSSH private key is readable without its
                    // passphrase.
                    PrivateKey::from_openssh(text.as_bytes())
                        .map(|k| k.public_key().clone())
                        .map_err(|e| invalid(e.to_string()))?
                } else {
                    PublicKey::from_openssh(text.trim()).map_err(|e| invalid(e.to_string()))?
                }
            }
        };
        Ok(vec![ssh_key(&public)])
    }

    fn describe_key(&self) -> String {
        match &self.key {
            KeygenKey::File(p) => format!("ssh key {} (via {})", p.display(), self.program),
            KeygenKey::Literal(l) => {
                let short: String = l.chars().take(40).collect();
                format!("ssh-agent key {short}... (via {})", self.program)
            }
        }
    }
}

/// Run `cmd` with `input` on stdin, capturing stdout and stderr. Stdin is written on a
/// separate thread so a large payload cannot deadlock against a full output pipe.
fn run_with_stdin(
    cmd: &mut Command,
    program: &str,
    config_key: &'static str,
    input: &[u8],
) -> Result<std::process::Output, SignError> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| SignError::ProgramNotFound {
        program: program.to_string(),
        config_key,
        source: e,
    })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let r = stdin.write_all(&data);
        drop(stdin);
        r
    });
    let out = child
        .wait_with_output()
        .map_err(|e| SignError::ProgramFailed {
            program: program.to_string(),
            detail: e.to_string(),
        })?;
    match writer.join() {
        Ok(Ok(())) => {}
        // A program that exits without reading all input fails below with its own message.
        Ok(Err(e)) if out.status.success() => {
            return Err(SignError::ProgramFailed {
                program: program.to_string(),
                detail: format!("writing the payload: {e}"),
            })
        }
        _ => {}
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// gpg
// ---------------------------------------------------------------------------------------------

/// OpenPGP signer: `gpg --status-fd=2 -bsau KEYID` (honours `gpg.program`).
#[derive(Debug, Clone)]
pub struct GpgSigner {
    program: String,
    key_id: String,
    fingerprints: std::sync::OnceLock<Result<Vec<SigningKey>, String>>,
}

impl GpgSigner {
    /// `program` defaults to `gpg`.
    pub fn new(key_id: &str, program: Option<&str>) -> Self {
        GpgSigner {
            program: program.unwrap_or("gpg").to_string(),
            key_id: key_id.to_string(),
            fingerprints: Default::default(),
        }
    }
}

impl Signer for GpgSigner {
    fn sign(&self, payload: &[u8]) -> Result<String, SignError> {
        let mut cmd = Command::new(&self.program);
        cmd.args(["--status-fd=2", "-bsau", &self.key_id]);
        let out = run_with_stdin(&mut cmd, &self.program, "gpg.program", payload)?;
        let status = String::from_utf8_lossy(&out.stderr);
        // git checks for this exact status line.
        let created = status.starts_with("[GNUPG:] SIG_CREATED ")
            || status.contains("\n[GNUPG:] SIG_CREATED ");
        if !out.status.success() || !created {
            let detail: Vec<&str> = status
                .lines()
                .filter(|l| !l.starts_with("[GNUPG:]"))
                .collect();
            return Err(SignError::ProgramFailed {
                program: self.program.clone(),
                detail: format!(
                    "no signature created with key {} ({}): {}",
                    self.key_id,
                    out.status,
                    detail.join("; ").trim()
                ),
            });
        }
        let text = String::from_utf8(out.stdout).map_err(|_| SignError::ProgramFailed {
            program: self.program.clone(),
            detail: "signature output is not text".into(),
        })?;
        // Only a signature by the configured key (the status line ends with its fingerprint).
        let made = status
            .lines()
            .find_map(|l| l.strip_prefix("[GNUPG:] SIG_CREATED "))
            .and_then(|l| l.split_whitespace().last())
            .map(|f| SigningKey::OpenPgp(f.to_ascii_uppercase()));
        if made.is_none_or(|m| !self.keys().is_ok_and(|k| k.contains(&m))) {
            return Err(SignError::ProgramFailed {
                program: self.program.clone(),
                detail: format!("it did not sign with key {}", self.key_id),
            });
        }
        // gpg may emit CRLF on some platforms; git strips the CRs.
        Ok(strip_trailing_newlines(text.replace("\r\n", "\n")))
    }

    fn keys(&self) -> Result<Vec<SigningKey>, SignError> {
        self.fingerprints
            .get_or_init(|| self.list_keys().map_err(|e| e.to_string()))
            .clone()
            .map_err(SignError::Crypto)
    }

    fn describe(&self) -> String {
        format!("OpenPGP key {} (via {})", self.key_id, self.program)
    }
}

impl GpgSigner {
    fn list_keys(&self) -> Result<Vec<SigningKey>, SignError> {
        let out = Command::new(&self.program)
            .args([
                "--batch",
                "--with-colons",
                "--list-secret-keys",
                "--",
                &self.key_id,
            ])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| SignError::ProgramNotFound {
                program: self.program.clone(),
                config_key: "gpg.program",
                source: e,
            })?;
        if !out.status.success() {
            return Err(SignError::ProgramFailed {
                program: self.program.clone(),
                detail: format!("no secret key {} ({})", self.key_id, out.status),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("fpr:"))
            .filter_map(|l| l.split(':').find(|f| f.len() >= 32))
            .map(|f| SigningKey::OpenPgp(f.to_ascii_uppercase()))
            .collect())
    }
}

// ---------------------------------------------------------------------------------------------
// From git configuration
// ---------------------------------------------------------------------------------------------

fn config_string(config: &git2::Config, name: &str) -> Option<String> {
    config
        .get_string(name)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn expand_home(path: &str) -> PathBuf {
    if path == "~" {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home);
        }
    }
    if let Some(rest) = path.strip_prefix("~/") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    PathBuf::from(path)
}

fn is_literal_ssh_key(key: &str) -> bool {
    key.starts_with("key::")
        || key.starts_with("ssh-")
        || key.starts_with("sk-ssh-")
        || key.starts_with("ecdsa-sha2-")
        || key.starts_with("sk-ecdsa-")
}

/// The best signer for an SSH key given as a path: in-process for an unencrypted Ed25519
/// private key (also when `path` is the `.pub` and its private half sits next to it), else
/// `ssh-keygen`.
pub fn ssh_signer_for_path(
    path: &Path,
    ssh_program: Option<&str>,
) -> Result<Box<dyn Signer>, SignError> {
    let text = read_key_file(path)?;
    if text.contains("PRIVATE KEY-----") {
        let key =
            PrivateKey::from_openssh(text.as_bytes()).map_err(|e| SignError::KeyFileInvalid {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        return match SshKeyFileSigner::from_private_key(path, key) {
            Ok(s) => Ok(Box::new(s)),
            Err(SignError::KeyNeedsSshKeygen { .. }) => {
                Ok(Box::new(SshKeygenSigner::with_key_file(path, ssh_program)))
            }
            Err(e) => Err(e),
        };
    }
    // A public key: the private half is next to it (fast path) or in the agent.
    let public = PublicKey::from_openssh(text.trim()).map_err(|e| SignError::KeyFileInvalid {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if let Some(private_path) = path
        .to_str()
        .and_then(|s| s.strip_suffix(".pub"))
        .map(PathBuf::from)
    {
        if let Ok(ptext) = fs::read_to_string(&private_path) {
            if let Ok(key) = PrivateKey::from_openssh(ptext.as_bytes()) {
                if key.public_key().key_data() == public.key_data() {
                    if let Ok(s) = SshKeyFileSigner::from_private_key(&private_path, key) {
                        return Ok(Box::new(s));
                    }
                }
            }
        }
    }
    Ok(Box::new(SshKeygenSigner::with_key_file(path, ssh_program)))
}

/// Build the signer git would use from its configuration: `gpg.format` (`openpgp` default,
/// `ssh`; `x509` is unsupported), `user.signingkey` (or `key_override`), `gpg.program`
/// (`gpg.openpgp.program` first), `gpg.ssh.program`.
pub fn signer_from_git_config(
    config: &git2::Config,
    key_override: Option<&str>,
) -> Result<Box<dyn Signer>, SignError> {
    let format = config_string(config, "gpg.format").unwrap_or_else(|| "openpgp".to_string());
    let key = key_override
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .or_else(|| config_string(config, "user.signingkey"))
        .ok_or(SignError::NoKey)?;
    match format.to_ascii_lowercase().as_str() {
        "openpgp" => {
            let program = config_string(config, "gpg.openpgp.program")
                .or_else(|| config_string(config, "gpg.program"));
            Ok(Box::new(GpgSigner::new(&key, program.as_deref())))
        }
        "ssh" => {
            let program = config_string(config, "gpg.ssh.program");
            if is_literal_ssh_key(&key) {
                Ok(Box::new(SshKeygenSigner::with_agent_key(
                    &key,
                    program.as_deref(),
                )))
            } else {
                ssh_signer_for_path(&expand_home(&key), program.as_deref())
            }
        }
        other => Err(SignError::UnsupportedFormat(other.to_string())),
    }
}

// ---------------------------------------------------------------------------------------------
// Keys, allowed signers, verification
// ---------------------------------------------------------------------------------------------

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SignError + '_ {
    move |e| SignError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Generate a new Ed25519 key: the private key at `private_path` (mode 0600) and the public
/// key at `<private_path>.pub`, creating parent folders (mode 0700). Refuses to overwrite an
/// existing key. Returns the public key line `ssh-ed25519 AAAA... comment`.
pub fn generate_ed25519_key(private_path: &Path, comment: &str) -> Result<String, SignError> {
    let pub_path = PathBuf::from(format!("{}.pub", private_path.display()));
    for p in [private_path, pub_path.as_path()] {
        if p.exists() {
            return Err(SignError::KeyExists {
                path: p.to_path_buf(),
            });
        }
    }
    if let Some(parent) = private_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            let mut b = fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(parent).map_err(io_err(parent))?;
        }
    }
    let mut key = PrivateKey::random(&mut rand::rngs::OsRng, Algorithm::Ed25519)
        .map_err(|e| SignError::Crypto(e.to_string()))?;
    key.set_comment(comment);
    let pem = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| SignError::Crypto(e.to_string()))?;
    let public_line = key
        .public_key()
        .to_openssh()
        .map_err(|e| SignError::Crypto(e.to_string()))?;

    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(private_path).map_err(io_err(private_path))?;
    f.write_all(pem.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(io_err(private_path))?;
    fs::write(&pub_path, format!("{public_line}\n")).map_err(io_err(&pub_path))?;
    Ok(public_line)
}

/// The contents of a `gpg.ssh.allowedSignersFile` for `(email, public key line)` entries:
/// `jane@example.com namespaces="git" ssh-ed25519 AAAA...`, one per line.
pub fn allowed_signers(entries: &[(String, String)]) -> String {
    let mut out = String::new();
    for (email, key) in entries {
        let key = key.trim();
        let key = key.strip_prefix("key::").unwrap_or(key);
        let _ = writeln!(out, "{} namespaces=\"git\" {}", email.trim(), key);
    }
    out
}

fn parse_public_key(line: &str) -> Result<PublicKey, SignError> {
    let l = line.trim();
    let l = l.strip_prefix("key::").unwrap_or(l);
    PublicKey::from_openssh(l).map_err(|e| SignError::InvalidPublicKey {
        key: line.chars().take(60).collect(),
        reason: e.to_string(),
    })
}

fn parse_signature(armored: &str) -> Result<SshSig, SignError> {
    SshSig::from_pem(armored.trim().as_bytes())
        .map_err(|e| SignError::InvalidSignature(e.to_string()))
}

fn key_text(key: &ssh_key::public::KeyData) -> String {
    PublicKey::new(key.clone(), "")
        .to_openssh()
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| "<unencodable key>".into())
}

/// Verify an armored SSHSIG (namespace `git`) over `signed_data` against `public_key_line`
/// (`ssh-ed25519 AAAA... [comment]`), in-process.
pub fn verify_ssh_signature(
    signature_armored: &str,
    signed_data: &[u8],
    public_key_line: &str,
) -> Result<(), SignError> {
    let sig = parse_signature(signature_armored)?;
    let key = parse_public_key(public_key_line)?;
    if sig.public_key() != key.key_data() {
        return Err(SignError::WrongKey {
            expected: key_text(key.key_data()),
            actual: key_text(sig.public_key()),
        });
    }
    if sig.namespace() != GIT_NAMESPACE {
        return Err(SignError::WrongNamespace(sig.namespace().to_string()));
    }
    key.verify(GIT_NAMESPACE, signed_data, &sig)
        .map_err(|_| SignError::BadSignature)
}

/// The public key (OpenSSH format, no comment: `ssh-ed25519 AAAA...`) that made an armored
/// SSHSIG, to tell who signed. Does not verify the signature.
pub fn ssh_signature_public_key(signature_armored: &str) -> Result<String, SignError> {
    let sig = parse_signature(signature_armored)?;
    Ok(key_text(sig.public_key()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::git::{commit_change, FileChange, Prepared};
    use crate::store::testutil::{git_cmd, TestRepo, EMAIL};

    const PAYLOAD: &[u8] = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
        author Jane <jane@example.com> 1700000000 +0000\n\
        committer Jane <jane@example.com> 1700000000 +0000\n\nHello\n";

    fn ssh_keygen_sign(key: &Path, payload: &[u8]) -> String {
        let mut cmd = Command::new("ssh-keygen");
        cmd.args(["-Y", "sign", "-n", "git", "-f"]).arg(key);
        let out = run_with_stdin(&mut cmd, "ssh-keygen", "gpg.ssh.program", payload).unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn in_process_signature_is_byte_identical_to_ssh_keygen() {
        let t = TestRepo::new();
        let signer = SshKeyFileSigner::from_file(&t.key).unwrap();
        let ours = signer.sign(PAYLOAD).unwrap();
        let theirs = ssh_keygen_sign(&t.key, PAYLOAD);
        assert_eq!(format!("{ours}\n"), theirs);
        assert!(!ours.ends_with('\n'));
        // The subprocess signer gives the same text too.
        let sub = SshKeygenSigner::with_key_file(&t.key, None)
            .sign(PAYLOAD)
            .unwrap();
        assert_eq!(sub, ours);
        verify_ssh_signature(&ours, PAYLOAD, &t.public).unwrap();
        assert_eq!(signer.public_key_line(), t.public);
    }

    #[test]
    fn generated_key_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/deep/id_ed25519");
        let line = generate_ed25519_key(&path, "jane@example.com").unwrap();
        assert!(line.starts_with("ssh-ed25519 AAAA"), "{line}");
        assert!(line.ends_with(" jane@example.com"));
        let pub_text = fs::read_to_string(format!("{}.pub", path.display())).unwrap();
        assert_eq!(pub_text, format!("{line}\n"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        // ssh-keygen agrees on the public key.
        let out = Command::new("ssh-keygen")
            .arg("-y")
            .arg("-f")
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), line);
        // Never overwrites.
        assert!(matches!(
            generate_ed25519_key(&path, "x"),
            Err(SignError::KeyExists { .. })
        ));
    }

    #[test]
    fn allowed_signers_lines() {
        let s = allowed_signers(&[
            ("jane@example.com".into(), "ssh-ed25519 AAAAC3 jane".into()),
            ("joe@example.com".into(), "key::ssh-ed25519 AAAAC4".into()),
        ]);
        assert_eq!(
            s,
            "jane@example.com namespaces=\"git\" ssh-ed25519 AAAAC3 jane\n\
             joe@example.com namespaces=\"git\" ssh-ed25519 AAAAC4\n"
        );
    }

    #[test]
    fn verify_rejects_other_key_and_namespace() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let _pa = generate_ed25519_key(&a, "a").unwrap();
        let pb = generate_ed25519_key(&b, "b").unwrap();
        let sig = SshKeyFileSigner::from_file(&a)
            .unwrap()
            .sign(PAYLOAD)
            .unwrap();
        assert!(matches!(
            verify_ssh_signature(&sig, PAYLOAD, &pb),
            Err(SignError::WrongKey { .. })
        ));
        let key = PrivateKey::from_openssh(fs::read_to_string(&b).unwrap()).unwrap();
        let file_sig = key
            .sign("file", HashAlg::Sha512, PAYLOAD)
            .unwrap()
            .to_pem(LineEnding::LF)
            .unwrap();
        assert!(matches!(
            verify_ssh_signature(&file_sig, PAYLOAD, &pb),
            Err(SignError::WrongNamespace(_))
        ));
        assert!(matches!(
            verify_ssh_signature("garbage", PAYLOAD, &pb),
            Err(SignError::InvalidSignature(_))
        ));
        assert!(matches!(
            verify_ssh_signature(&sig, PAYLOAD, "ssh-ed25519 notbase64"),
            Err(SignError::InvalidPublicKey { .. })
        ));
    }

    fn config_with(entries: &[(&str, &str)]) -> (tempfile::TempDir, git2::Config) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "").unwrap();
        let mut c = git2::Config::open(&path).unwrap();
        for (k, v) in entries {
            c.set_str(k, v).unwrap();
        }
        (dir, c)
    }

    #[test]
    fn config_selects_signers_and_explains_errors() {
        let t = TestRepo::new();
        let key = t.key.to_str().unwrap();

        let (_d, c) = config_with(&[("gpg.format", "ssh")]);
        let err = signer_from_git_config(&c, None).err().unwrap();
        assert!(matches!(err, SignError::NoKey));
        let msg = err.to_string();
        assert!(
            msg.contains("git config user.signingkey ~/.ssh/id_ed25519"),
            "{msg}"
        );
        assert!(msg.contains("git config gpg.format ssh"), "{msg}");
        assert!(msg.contains("claims init"), "{msg}");

        // Private key path: in-process; override wins over config.
        let (_d, c) = config_with(&[("gpg.format", "ssh"), ("user.signingkey", "/nonexistent")]);
        let s = signer_from_git_config(&c, Some(key)).unwrap();
        assert!(s.describe().contains("in-process"), "{}", s.describe());

        // .pub path with the private key next to it: still in-process.
        let pub_path = format!("{key}.pub");
        let (_d, c) = config_with(&[("gpg.format", "ssh"), ("user.signingkey", &pub_path)]);
        let s = signer_from_git_config(&c, None).unwrap();
        assert!(s.describe().contains("in-process"), "{}", s.describe());
        verify_ssh_signature(&s.sign(PAYLOAD).unwrap(), PAYLOAD, &t.public).unwrap();

        // Literal key: agent via ssh-keygen -U, honouring gpg.ssh.program.
        let literal = format!("key::{}", t.public);
        let (_d, c) = config_with(&[
            ("gpg.format", "ssh"),
            ("user.signingkey", &literal),
            ("gpg.ssh.program", "/opt/my-ssh-keygen"),
        ]);
        let s = signer_from_git_config(&c, None).unwrap();
        assert!(s.describe().contains("ssh-agent"), "{}", s.describe());
        assert!(s.describe().contains("/opt/my-ssh-keygen"));
        let err = s.sign(PAYLOAD).unwrap_err();
        assert!(err.to_string().contains("/opt/my-ssh-keygen"), "{err}");

        // Missing key file: names the path and the fix.
        let (_d, c) = config_with(&[("gpg.format", "ssh"), ("user.signingkey", "/no/such/key")]);
        let err = signer_from_git_config(&c, None).err().unwrap();
        assert!(matches!(err, SignError::KeyFileMissing { .. }));
        let msg = err.to_string();
        assert!(
            msg.contains("/no/such/key") && msg.contains("user.signingkey"),
            "{msg}"
        );

        // Not a key.
        let junk = t.home.join("junk");
        fs::write(&junk, "hello").unwrap();
        let (_d, c) = config_with(&[("gpg.format", "ssh")]);
        let err = signer_from_git_config(&c, junk.to_str()).err().unwrap();
        assert!(matches!(err, SignError::KeyFileInvalid { .. }), "{err}");

        // x509 is not supported; openpgp is the default and honours gpg.program.
        let (_d, c) = config_with(&[("gpg.format", "x509"), ("user.signingkey", "X")]);
        assert!(matches!(
            signer_from_git_config(&c, None).err().unwrap(),
            SignError::UnsupportedFormat(_)
        ));
        let (_d, c) = config_with(&[("user.signingkey", "ABCD"), ("gpg.program", "gpg2")]);
        let s = signer_from_git_config(&c, None).unwrap();
        assert_eq!(s.describe(), "OpenPGP key ABCD (via gpg2)");
    }

    #[test]
    fn encrypted_key_falls_back_to_ssh_keygen() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("enc");
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "secret", "-C", "enc", "-f"])
            .arg(&key)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(matches!(
            SshKeyFileSigner::from_file(&key),
            Err(SignError::KeyNeedsSshKeygen { .. })
        ));
        let s = ssh_signer_for_path(&key, None).unwrap();
        assert!(s.describe().contains("via ssh-keygen"), "{}", s.describe());
        // Public key only, no agent: ssh-keygen is used (and fails without an agent).
        fs::remove_file(&key).unwrap();
        let s = ssh_signer_for_path(&dir.path().join("enc.pub"), None).unwrap();
        assert!(s.describe().contains("via ssh-keygen"), "{}", s.describe());
    }

    #[test]
    fn gpg_signed_commit_verifies() {
        let t = TestRepo::new();
        let gnupg = t.home.join(".gnupg");
        let mut b = fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&gnupg).unwrap();
        // gpg starts an agent for this GNUPGHOME: stop it when the test ends, however it ends.
        struct StopAgent(PathBuf);
        impl Drop for StopAgent {
            fn drop(&mut self) {
                let _ = Command::new("gpgconf")
                    .env("GNUPGHOME", &self.0)
                    .args(["--kill", "all"])
                    .output();
            }
        }
        let _stop = StopAgent(gnupg.clone());
        let gen = Command::new("gpg")
            .env("GNUPGHOME", &gnupg)
            .args(["--batch", "--passphrase", "", "--quick-gen-key"])
            .arg(format!("Jane Adjuster <{EMAIL}>"))
            .args(["ed25519", "sign", "never"])
            .output();
        let ok = matches!(&gen, Ok(o) if o.status.success());
        if !ok {
            eprintln!("skipping gpg test: cannot generate a gpg key here: {gen:?}");
            return;
        }
        // gpg must see the temporary GNUPGHOME: use a wrapper program, as gpg.program allows.
        let wrapper = t.home.join("gpg-wrapper");
        fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nGNUPGHOME='{}' exec gpg \"$@\"\n",
                gnupg.display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).unwrap();
        }
        t.git_ok(&["config", "gpg.format", "openpgp"]);
        t.git_ok(&["config", "user.signingkey", EMAIL]);
        t.git_ok(&["config", "gpg.program", wrapper.to_str().unwrap()]);
        let signer = t.signer();
        assert!(signer.describe().starts_with("OpenPGP key"));
        let repo = t.open();
        commit_change(
            &repo,
            &crate::store::testutil::TestRepo::identity(),
            signer.as_ref(),
            |_| {
                Ok(Prepared {
                    changes: vec![FileChange {
                        path: "a.txt".into(),
                        content: Some(b"a\n".to_vec()),
                    }],
                    message: "gpg".into(),
                    ..Default::default()
                })
            },
        )
        .unwrap();
        let out = git_cmd(&t.root, &t.home)
            .args(["verify-commit", "HEAD"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(t.git_ok(&["status", "--porcelain"]), "");

        // An unknown key id fails cleanly with gpg's explanation.
        let bad = GpgSigner::new("nobody@example.invalid", wrapper.to_str());
        let err = bad.sign(PAYLOAD).unwrap_err();
        assert!(matches!(err, SignError::ProgramFailed { .. }), "{err}");
    }
}
