use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use claims::domain::claim::Claim;
use claims::domain::yaml::to_canonical_yaml;

/// The fixed clock every test runs at (office time, America/Chicago).
pub const NOW: &str = "2026-11-20T10:00:00-06:00";

/// The example office's people (authority.yaml), by what the tests need them for.
pub mod people {
    pub const COMMITTEE: &str = "cvoss@harborpoint.example";
    pub const COMPLIANCE: &str = "rgallagher@harborpoint.example";
    pub const CSR: &str = "mdelgado@harborpoint.example";
    pub const CSR2: &str = "tbrooks@harborpoint.example";
    pub const MANAGER: &str = "treilly@harborpoint.example";
    pub const RECOMMENDER: &str = "sokafor@harborpoint.example";
    pub const SENIOR: &str = "amartinez@harborpoint.example";
    pub const STAFF: &str = "jwhitfield@harborpoint.example";
    pub const SUPERVISOR: &str = "lpark@harborpoint.example";
    pub const WEBB: &str = "mwebb@harborpoint.example";
}

pub struct Office {
    _tmp: std::sync::Arc<tempfile::TempDir>,
    pub root: PathBuf,
    pub home: PathBuf,
}

fn hermetic(cmd: &mut Command, home: &Path) {
    cmd.env("HOME", home)
        .env("CLAIMS_KEY_DIR", home.join("keys"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("CLAIMS_NOW", NOW)
        // Commits made with plain git carry the same clock as the tool's.
        .env("GIT_AUTHOR_DATE", NOW)
        .env("GIT_COMMITTER_DATE", NOW)
        // Tables, colors and progress as a script sees them, whatever the terminal running the
        // tests says.
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("CLAIMS_REPO")
        .env_remove("CLAIMS_AS")
        .env_remove("CLAIMS_FAULT")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
}

impl Office {
    /// A fresh `claims init office --example` in a temporary folder.
    pub fn example() -> Office {
        Office::example_in(&std::env::temp_dir())
    }

    /// [`Office::example`] in a temporary folder inside `parent` (a small filesystem, say).
    pub fn example_in(parent: &Path) -> Office {
        let tmp = tempfile::tempdir_in(parent).unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_claims"));
        hermetic(&mut cmd, &home);
        let out = cmd
            .current_dir(tmp.path())
            .args(["init", "office", "--example"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let root = tmp.path().join("office");
        Office {
            _tmp: std::sync::Arc::new(tmp),
            root,
            home,
        }
    }

    /// The folder the office's temporary files live in (beside the office).
    pub fn scratch(&self) -> PathBuf {
        self._tmp.path().to_path_buf()
    }

    /// Another working copy of the same office (a clone at `root`), with the same keys and
    /// clock.
    pub fn at(&self, root: PathBuf) -> Office {
        Office {
            _tmp: self._tmp.clone(),
            root,
            home: self.home.clone(),
        }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_claims"));
        hermetic(&mut cmd, &self.home);
        cmd.current_dir(&self.root).args(args);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs with `input` piped on stdin (the phone script's answers), whatever the exit code.
    pub fn piped(&self, args: &[&str], input: &[u8]) -> Output {
        use std::io::Write;
        let mut child = self
            .cmd(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    }

    /// `claims --as WHO reserve ID --amount AMOUNT --reason new_information --note NOTE`,
    /// expecting exit `code`.
    pub fn reserve(
        &self,
        code: i32,
        who: &str,
        id: &str,
        amount: &str,
        note: &str,
    ) -> (String, String) {
        self.expect(
            code,
            &[
                "--as",
                who,
                "reserve",
                id,
                "--amount",
                amount,
                "--reason",
                "new_information",
                "--note",
                note,
            ],
        )
    }

    /// Runs `claims ARGS` with a watchdog: it must finish within `secs` seconds (generous:
    /// it guards against a stall, it does not measure speed). The exit code (None: killed by
    /// a signal), stdout and stderr.
    pub fn run_within(&self, secs: u64, args: &[&str]) -> (Option<i32>, String, String) {
        let mut child = self
            .cmd(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Read as it comes, so that a full pipe never holds the command up.
        let drain = |mut r: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                let _ = r.read_to_end(&mut v);
                String::from_utf8_lossy(&v).to_string()
            })
        };
        let so = drain(Box::new(child.stdout.take().unwrap()));
        let se = drain(Box::new(child.stderr.take().unwrap()));
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > std::time::Duration::from_secs(secs) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("claims {args:?} did not finish within {secs} s");
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        (status.code(), so.join().unwrap(), se.join().unwrap())
    }

    /// [`Office::expect`], with the watchdog of [`Office::run_within`].
    pub fn expect_within(&self, secs: u64, code: i32, args: &[&str]) -> (String, String) {
        let (status, so, se) = self.run_within(secs, args);
        assert_eq!(
            status,
            Some(code),
            "claims {args:?}\nstdout:\n{so}\nstderr:\n{se}"
        );
        (so, se)
    }

    /// Runs `claims ARGS` with `input` on stdin.
    pub fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        use std::io::Write;
        let mut child = self
            .cmd(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs and asserts the exit code; returns (stdout, stderr).
    pub fn expect(&self, code: i32, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let (so, se) = (
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        );
        assert_eq!(
            out.status.code(),
            Some(code),
            "claims {args:?}\nstdout:\n{so}\nstderr:\n{se}"
        );
        (so, se)
    }

    pub fn git(&self, args: &[&str]) -> Output {
        self.git_cmd(args).output().unwrap()
    }

    /// `git` in the office, hermetic, not yet run.
    pub fn git_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home);
        cmd.current_dir(&self.root).args(args);
        cmd
    }

    pub fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// Claim files as (repository-relative path, parsed claim).
    pub fn claims(&self) -> Vec<(String, Claim)> {
        let mut out = Vec::new();
        // claims/YYYY/MM/ID.yaml, or claims/YYYY/MM/XX/ID.yaml in an office filing by shard.
        for entry in walkdir::WalkDir::new(self.root.join("claims"))
            .min_depth(3)
            .max_depth(4)
        {
            let entry = entry.unwrap();
            let in_shard = entry.depth() == 4
                && entry
                    .path()
                    .parent()
                    .and_then(|p| p.file_name())
                    .is_some_and(|n| n.len() == 2);
            if (entry.depth() == 3 || in_shard)
                && entry.path().extension().is_some_and(|e| e == "yaml")
            {
                let rel = entry
                    .path()
                    .strip_prefix(&self.root)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                let claim: Claim =
                    serde_yaml::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
                out.push((rel, claim));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The first claim matching `pred`.
    pub fn claim_where(&self, pred: impl Fn(&Claim) -> bool) -> (String, Claim) {
        self.claims()
            .into_iter()
            .find(|(_, c)| pred(c))
            .expect("a sample claim matching the test's needs")
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    /// The email of the first active person with this role in the sample office.
    pub fn person(&self, role: &str) -> String {
        let office: claims::domain::office::Office =
            serde_yaml::from_str(&self.read("authority.yaml")).unwrap();
        office
            .people
            .iter()
            .find(|p| p.role == role && p.active)
            .map(|p| p.email.clone())
            .unwrap()
    }

    /// Takes in one CSV batch with a row per situation — (name, cells by column of
    /// tests/data/intake/batch-good.csv, plus bodily_injury) — and returns the new claim ids
    /// by situation.
    pub fn intake_rows(
        &self,
        rows: &[(&'static str, &[(&str, &str)])],
    ) -> std::collections::HashMap<&'static str, String> {
        let path = self.root.join("../fnol.csv");
        std::fs::write(&path, fnol_csv(rows)).unwrap();
        let (out, _) = self.expect(
            0,
            &[
                "--format",
                "json",
                "intake",
                "--csv",
                path.to_str().unwrap(),
            ],
        );
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let created = report["created"].as_array().unwrap();
        assert_eq!(created.len(), rows.len(), "{out}");
        rows.iter()
            .zip(created)
            .map(|(r, id)| (r.0, id.as_str().unwrap().to_string()))
            .collect()
    }

    /// Takes in one web-form payload (JSON); the new claim's id.
    pub fn intake_payload(&self, payload: &serde_json::Value) -> String {
        let path = self
            .root
            .join(format!("../payload-{}.json", self.claims().len()));
        std::fs::write(&path, payload.to_string()).unwrap();
        let (out, err) = self.expect(
            0,
            &[
                "--format",
                "json",
                "intake",
                "--file",
                path.to_str().unwrap(),
            ],
        );
        let r: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}\n{err}"));
        r["created"][0].as_str().unwrap().to_string()
    }

    /// The private key `claims init --example` made for `email`.
    pub fn key_of(&self, email: &str) -> String {
        self.git_ok(&["config", "--get", &format!("claims.{email}.signingkey")])
            .trim()
            .to_string()
    }

    /// Everything in the working tree committed with plain git, as `author`, signed with
    /// `key` (None: unsigned).
    pub fn hand_commit(&self, author: &str, key: Option<&str>, message: &str) {
        self.git_ok(&["add", "-A"]);
        let mut args = vec![
            "-c".to_string(),
            format!("user.email={author}"),
            "-c".into(),
            "user.name=Someone".into(),
        ];
        match key {
            Some(k) => args.extend([
                "-c".into(),
                format!("user.signingkey={k}"),
                "commit".into(),
                "-q".into(),
                "-S".into(),
            ]),
            None => args.extend(["commit".into(), "-q".into(), "--no-gpg-sign".into()]),
        }
        args.extend(["-m".into(), message.into()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.git_ok(&args);
    }

    /// Everything in the working tree committed with plain git by `author`, with their key.
    pub fn commit_as(&self, author: &str, message: &str) {
        self.hand_commit(author, Some(&self.key_of(author)), message);
    }

    pub fn head(&self) -> String {
        self.git_ok(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Every commit verifies with plain git, the repository is consistent and the working
    /// tree is clean, and every claim file is in canonical form (the round-trip guard).
    pub fn assert_sound(&self) {
        for commit in self.git_ok(&["rev-list", "HEAD"]).lines() {
            let v = self.git(&["verify-commit", commit]);
            assert!(
                v.status.success(),
                "commit {commit} does not verify: {}",
                String::from_utf8_lossy(&v.stderr)
            );
        }
        self.git_ok(&["fsck", "--strict", "--no-progress"]);
        assert_eq!(
            self.git_ok(&["status", "--porcelain"]),
            "",
            "working tree not clean"
        );
        for (rel, claim) in self.claims() {
            assert_eq!(
                to_canonical_yaml(&claim).unwrap(),
                self.read(&rel),
                "{rel} is not in canonical form"
            );
        }
        self.assert_replays();
    }

    /// The whole history audits without an error, and every commit the tool made replays:
    /// its command, run again on its parent, gives the very same commit.
    pub fn assert_replays(&self) {
        let (json, err) = self.full_audit_json();
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(report["errors"], 0, "{json}\n{err}");
        for v in report["verdicts"].as_array().unwrap() {
            let verdict = v["verdict"].as_str().unwrap();
            match v["command"].as_str() {
                Some("init") => assert_eq!(verdict, "founding", "{v}"),
                Some(_) => assert_eq!(verdict, "replayed", "{v}\n{json}"),
                None => assert_eq!(verdict, "hand_edit", "{v}"),
            }
        }
    }

    /// `claims --format json audit --full --no-checkpoint` (stdout, stderr), whatever the exit
    /// code. The audit is made one commit after another (histories this small always are) and
    /// in stretches of one and of three commits on several threads (as a long history is);
    /// all must say exactly the same.
    pub fn full_audit_json(&self) -> (String, String) {
        let args = ["--format", "json", "audit", "--full", "--no-checkpoint"];
        let audit = |stretch: &str| {
            let out = self
                .cmd(&args)
                .env("CLAIMS_AUDIT_STRETCH", stretch)
                .output()
                .unwrap();
            let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
            (text(&out.stdout), text(&out.stderr), out.status.code())
        };
        let one_by_one = audit("1000000");
        for stretch in ["1", "3"] {
            let stretched = audit(stretch);
            assert_eq!(
                (&one_by_one.0, one_by_one.2),
                (&stretched.0, stretched.2),
                "the audit in stretches of {stretch} differs from the audit one commit after another"
            );
        }
        (one_by_one.0, one_by_one.1)
    }
}

/// The findings of `claims audit --full` (which must exit 1): (code, message) pairs.
pub fn forged(o: &Office) -> Vec<(String, String)> {
    let (json, err) = o.full_audit_json();
    let report: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}{err}"));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts the audit exits 1 and reports `code` with a message containing `words`.
pub fn caught(o: &Office, code: &str, words: &str) {
    let out = o.run(&["audit", "--full", "--no-checkpoint"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(1),
        "audit passed a forgery:\n{text}"
    );
    assert!(
        forged(o)
            .iter()
            .any(|(c, m)| c == code && m.contains(words)),
        "no {code} saying `{words}` in:\n{text}"
    );
}

/// 1-based line of the first line containing `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` not in text"))
}

/// A CSV batch in the columns of tests/data/intake/batch-good.csv (and bodily_injury), one row
/// per (name, cells by column).
fn fnol_csv(rows: &[(&str, &[(&str, &str)])]) -> String {
    let good = include_str!("../data/intake/batch-good.csv");
    let mut header: Vec<&str> = good.lines().next().unwrap().split(',').collect();
    header.push("bodily_injury");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for (name, cells) in rows {
        for (col, _) in cells.iter() {
            assert!(header.contains(col), "{name}: no column {col}");
        }
        let record: Vec<&str> = header
            .iter()
            .map(|h| cells.iter().find(|(c, _)| c == h).map_or("", |(_, v)| *v))
            .collect();
        w.write_record(&record).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}
