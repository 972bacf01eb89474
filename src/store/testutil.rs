//! Hermetic test repositories: real `git`, no global or system configuration, a generated
//! Ed25519 signing key and an allowed-signers file so plain `git verify-commit` works.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::git::Identity;
use super::signing::{allowed_signers, generate_ed25519_key, signer_from_git_config, Signer};

pub const EMAIL: &str = "jane@example.com";

/// A `git` command isolated from the user's configuration.
pub fn git_cmd(dir: &Path, home: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", home)
        .env("GNUPGHOME", home.join(".gnupg"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_AUTHOR_DATE")
        .env_remove("GIT_COMMITTER_DATE");
    c
}

pub struct TestRepo {
    _dir: tempfile::TempDir,
    pub home: PathBuf,
    pub root: PathBuf,
    pub key: PathBuf,
    pub public: String,
}

impl TestRepo {
    /// `git init -b main` with SSH signing configured; no commits yet.
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&root).unwrap();
        let key = home.join(".ssh").join("id_ed25519");
        let public = generate_ed25519_key(&key, EMAIL).unwrap();
        let allowed = home.join("allowed_signers");
        std::fs::write(&allowed, allowed_signers(&[(EMAIL.into(), public.clone())])).unwrap();
        let t = TestRepo {
            _dir: dir,
            home,
            root,
            key,
            public,
        };
        t.git_ok(&["init", "-q", "-b", "main"]);
        t.git_ok(&["config", "user.name", "Jane Adjuster"]);
        t.git_ok(&["config", "user.email", EMAIL]);
        t.git_ok(&["config", "gpg.format", "ssh"]);
        t.git_ok(&["config", "user.signingkey", t.key.to_str().unwrap()]);
        t.git_ok(&[
            "config",
            "gpg.ssh.allowedSignersFile",
            allowed.to_str().unwrap(),
        ]);
        t
    }

    pub fn git(&self, args: &[&str]) -> Output {
        git_cmd(&self.root, &self.home).args(args).output().unwrap()
    }

    /// Run git, panic with its stderr on failure, return stdout.
    pub fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn open(&self) -> git2::Repository {
        git2::Repository::open(&self.root).unwrap()
    }

    /// The repository-local configuration only (hermetic).
    pub fn config(&self) -> git2::Config {
        git2::Config::open(&self.root.join(".git").join("config")).unwrap()
    }

    pub fn signer(&self) -> Box<dyn Signer> {
        signer_from_git_config(&self.config(), None).unwrap()
    }

    pub fn identity() -> Identity {
        Identity {
            name: "Jane Adjuster".into(),
            email: EMAIL.into(),
            when: chrono::DateTime::parse_from_rfc3339("2026-11-03T09:30:00-05:00").unwrap(),
            landed: None,
        }
    }
}
