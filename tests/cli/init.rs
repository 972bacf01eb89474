use crate::common::Office;

#[test]
fn example_office_is_signed_verifiable_and_valid() {
    let o = Office::example();
    // The initial commit is signed by the sample manager and carries trailers.
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Command: init"), "{trailers}");
    assert!(trailers.contains("Role: manager"), "{trailers}");
    // Each sample person has a key registered in authority.yaml and in the repo config.
    let authority = o.read("authority.yaml");
    assert!(
        authority.matches("signing_key: ssh-ed25519 ").count() >= 8,
        "{authority}"
    );
    let csr = o.person("csr");
    let key = o.git_ok(&["config", &format!("claims.{csr}.signingkey")]);
    assert!(std::path::Path::new(key.trim()).is_file());
    assert!(
        !key.trim().starts_with(o.root.to_str().unwrap()),
        "keys live outside the repository"
    );
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn plain_init_generates_and_registers_a_key() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Office::example();
    let dir = tmp.path().join("newoffice");
    o.expect(
        0,
        &[
            "init",
            dir.to_str().unwrap(),
            "--email",
            "ana@tpa.example",
            "--name",
            "Ana Ruiz",
        ],
    );
    let authority = std::fs::read_to_string(dir.join("authority.yaml")).unwrap();
    assert!(authority.contains("email: ana@tpa.example"));
    assert!(authority.contains("signing_key: ssh-ed25519 "));
    let key = o
        .home
        .join("keys")
        .join("ana@tpa.example")
        .join("id_ed25519");
    assert!(key.is_file(), "key generated outside the repository");
    let out = std::process::Command::new("git")
        .current_dir(&dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["verify-commit", "HEAD"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = o
        .cmd(&["check", "--repo", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // A second init in the same place is refused.
    o.expect(
        1,
        &["init", dir.to_str().unwrap(), "--email", "ana@tpa.example"],
    );
    // A new office files its claims by shard: a first notice lands in claims/YYYY/MM/XX/.
    assert!(authority.contains("claim_folders: shard"), "{authority}");
    let sample = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/intake/batch-good.csv"),
    )
    .unwrap();
    let mut lines = sample.lines();
    let csv = tmp.path().join("one.csv");
    let row = lines
        .nth(1)
        .unwrap()
        .replacen("personal_auto,,", "personal_auto,IL,", 1);
    std::fs::write(&csv, format!("{}\n{row}\n", sample.lines().next().unwrap())).unwrap();
    let at = o.at(dir.clone());
    at.expect(
        0,
        &[
            "--as",
            "ana@tpa.example",
            "intake",
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    let files = at.git(&["ls-files", "claims"]);
    let files = String::from_utf8_lossy(&files.stdout);
    let claim = files.lines().find(|f| f.ends_with(".yaml")).unwrap();
    let parts: Vec<&str> = claim.split('/').collect();
    let id = parts[4].trim_end_matches(".yaml");
    assert_eq!(parts.len(), 5, "{claim}");
    assert_eq!(
        parts[3],
        &id[9..11],
        "{claim}: the shard is the id's first random characters"
    );
    at.expect(0, &["check"]);
}

#[test]
fn usage_errors_exit_2_and_missing_office_exits_1() {
    let o = Office::example();
    o.expect(2, &["list", "--no-such-flag"]);
    o.expect(2, &["list", "--status", "sideways"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = o.cmd(&["list"]).current_dir(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no claims office here"));
}
