//! `claims migrate`: refiling an office's claims by shard (claims/YYYY/MM/XX/ID.yaml) and back,
//! in one audited commit — checked with plain git, the audit, and every reader; and the ways
//! around it (a hand edit of the setting, a hand move, a doctored migrate commit) caught.

use std::collections::BTreeMap;

use crate::common::people::{CSR, MANAGER, STAFF};
use crate::common::{caught, Office};

const WATER: &str = "CLM-2610-RBZJ-DXFA";
const DENIED: &str = "CLM-2608-JN8S-QVEH"; // has letters/denial.txt

/// Every file under claims/ at HEAD with its blob id, by plain git.
fn claims_tree(o: &Office) -> BTreeMap<String, String> {
    o.git_ok(&["ls-tree", "-r", "HEAD", "--", "claims"])
        .lines()
        .map(|l| {
            let (meta, path) = l.split_once('\t').unwrap();
            (
                path.to_string(),
                meta.split(' ').nth(2).unwrap().to_string(),
            )
        })
        .collect()
}

/// Where a claim path goes when filed by shard: the folder after the month is the two
/// characters after the id's date (worked out here, not by the tool).
fn by_shard(path: &str) -> String {
    let parts: Vec<&str> = path.splitn(4, '/').collect();
    let id = parts[3].split(['/', '.']).next().unwrap();
    let shard = &id[id.len() - 9..id.len() - 7];
    format!("claims/{}/{}/{shard}/{}", parts[1], parts[2], parts[3])
}

fn commits(o: &Office) -> usize {
    o.git_ok(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn migrating_moves_every_claim_in_one_signed_commit_and_the_office_works_on() {
    let o = Office::example();
    let before = claims_tree(&o);
    let list_before = o.expect(0, &["--format", "csv", "list"]).0;
    let sla_before = o.expect(0, &["--format", "csv", "sla-report", "--all"]).0;
    let n = commits(&o);

    let (out, _) = o.expect(0, &["--as", MANAGER, "--dry-run", "migrate"]);
    assert!(out.contains("would move 16 claims (21 files)"), "{out}");
    assert_eq!(commits(&o), n, "a dry run commits nothing");

    let (_, err) = o.expect(0, &["--as", MANAGER, "migrate", "--to", "shard"]);
    assert!(
        err.contains("migrate: claims filed by shard (16 claims, 21 files moved)"),
        "{err}"
    );
    assert_eq!(commits(&o), n + 1, "one commit");
    // Plain git: every file is where the shard says, with the very same bytes, and nothing
    // else under claims/ is left.
    let after = claims_tree(&o);
    let expected: BTreeMap<String, String> = before
        .iter()
        .map(|(p, b)| (by_shard(p), b.clone()))
        .collect();
    assert_eq!(after, expected);
    let status = o.git_ok(&["show", "-M", "--name-status", "--format=", "HEAD"]);
    assert_eq!(
        status.lines().filter(|l| l.starts_with("R100\t")).count(),
        21,
        "{status}"
    );
    assert!(status.lines().any(|l| l == "M\tauthority.yaml"), "{status}");
    assert!(o
        .read("authority.yaml")
        .contains("\n  claim_folders: shard\n"));
    assert!(!o.root.join("claims/2026/10").read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".yaml")));

    // Every reader finds the claims where they are now, and says what it said before.
    o.expect(0, &["check"]);
    assert_eq!(o.expect(0, &["--format", "csv", "list"]).0, list_before);
    assert_eq!(
        o.expect(0, &["--format", "csv", "sla-report", "--all"]).0,
        sla_before
    );
    let (shown, _) = o.expect(0, &["--format", "yaml", "show", DENIED]);
    assert_eq!(shown, o.read(&format!("claims/2026/08/JN/{DENIED}.yaml")));
    let (log, _) = o.expect(0, &["--format", "csv", "log", DENIED]);
    assert!(log.contains(",migrate,"), "{log}");

    // New work lands by shard: an intake, a note on a moved claim.
    let csv = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/intake/batch-good.csv"
    );
    let (out, _) = o.expect(
        0,
        &["--as", CSR, "--format", "json", "intake", "--csv", csv],
    );
    let made: serde_json::Value = serde_json::from_str(&out).unwrap();
    for id in made["created"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        let path = format!("claims/2026/11/{}/{id}.yaml", &id[9..11]);
        assert!(o.root.join(&path).is_file(), "{path}");
    }
    o.expect(
        0,
        &["--as", STAFF, "note", WATER, "Called the insured back"],
    );
    assert!(o
        .read(&format!("claims/2026/10/RB/{WATER}.yaml"))
        .contains("Called the insured back"));
    o.expect(0, &["check"]);
    o.assert_sound();

    // And back: the original claims are where they were, with the same bytes.
    o.expect(0, &["--as", MANAGER, "migrate", "--to", "month"]);
    let back = claims_tree(&o);
    for path in before.keys() {
        assert!(back.contains_key(path), "{path} not back");
    }
    assert!(back.keys().all(|p| !p.contains("/RB/")));
    o.expect(0, &["check"]);
    o.assert_sound();
}

#[test]
fn only_a_manager_migrates_and_a_refused_migration_writes_nothing() {
    let o = Office::example();
    let head = o.head();
    let (_, err) = o.expect(1, &["--as", STAFF, "migrate"]);
    assert!(err.contains("may not migrate"), "{err}");
    let (_, err) = o.expect(1, &["--as", MANAGER, "migrate", "--to", "month"]);
    assert!(err.contains("already files its claims by month"), "{err}");
    // The setting cannot be changed on its own through a proposal either.
    let text =
        o.read("authority.yaml")
            .replacen("office:\n", "office:\n  claim_folders: shard\n", 1);
    let proposed = o.scratch().join("proposed.yaml");
    std::fs::write(&proposed, text).unwrap();
    let (_, err) = o.expect(
        1,
        &[
            "--as",
            MANAGER,
            "authority",
            "propose",
            proposed.to_str().unwrap(),
            "--reason",
            "faster",
        ],
    );
    assert!(err.contains("claims migrate --to shard"), "{err}");
    // A claim filed in the wrong month stops the migration, naming it.
    let wrong = format!("claims/2026/09/{WATER}.yaml");
    o.git_ok(&["mv", &format!("claims/2026/10/{WATER}.yaml"), &wrong]);
    o.commit_as(MANAGER, "misfile by hand");
    let head = {
        assert_ne!(o.head(), head);
        o.head()
    };
    let (_, err) = o.expect(1, &["--as", MANAGER, "migrate"]);
    assert!(err.contains(&wrong) && err.contains("F002"), "{err}");
    assert_eq!(o.head(), head, "nothing committed");
    assert_eq!(o.git_ok(&["status", "--porcelain"]), "");
}

#[test]
fn the_setting_changed_by_hand_is_caught() {
    let o = Office::example();
    let text =
        o.read("authority.yaml")
            .replacen("office:\n", "office:\n  claim_folders: shard\n", 1);
    std::fs::write(o.root.join("authority.yaml"), text).unwrap();
    o.commit_as(MANAGER, "file by shard");
    caught(&o, "A008", "claims migrate --to shard");
    // Every claim is now where the office does not look for it: check names each.
    let (out, _) = o.expect(1, &["check"]);
    assert!(
        out.contains("F002") && out.contains("claims/2026/10/RB/"),
        "{out}"
    );
}

#[test]
fn claims_moved_by_hand_are_caught() {
    let o = Office::example();
    // The manager does what migrate does, with plain git: the setting and every move.
    let text =
        o.read("authority.yaml")
            .replacen("office:\n", "office:\n  claim_folders: shard\n", 1);
    std::fs::write(o.root.join("authority.yaml"), text).unwrap();
    for path in claims_tree(&o).keys() {
        let to = by_shard(path);
        std::fs::create_dir_all(o.root.join(&to).parent().unwrap()).unwrap();
        o.git_ok(&["mv", path, &to]);
    }
    o.commit_as(MANAGER, "migrate by hand");
    o.expect(0, &["check"]);
    caught(&o, "A008", "moves every claim");
}

#[test]
fn a_doctored_migrate_commit_is_caught() {
    let o = Office::example();
    o.expect(0, &["--as", MANAGER, "migrate"]);
    // The same commit (message, trailers, signer) with one claim's words changed on the way.
    let path = format!("claims/2026/10/RB/{WATER}.yaml");
    let text = o.read(&path);
    let changed = text.replacen("description: ", "description: Not ", 1);
    assert_ne!(changed, text);
    std::fs::write(o.root.join(&path), changed).unwrap();
    o.git_ok(&["add", "-A"]);
    let message = o.git_ok(&["log", "-1", "--format=%B"]);
    let key = o.key_of(MANAGER);
    o.git_ok(&[
        "-c",
        &format!("user.email={MANAGER}"),
        "-c",
        "user.name=Thomas Reilly",
        "-c",
        &format!("user.signingkey={key}"),
        "commit",
        "-q",
        "-S",
        "--amend",
        "-m",
        message.trim_end(),
    ]);
    caught(&o, "A010", "");
}

#[test]
fn a_desk_that_has_not_synced_lands_its_work_after_the_migration() {
    let o = Office::example();
    let bare = o.scratch().join("remote.git");
    let out = o.git(&["clone", "--quiet", "--bare", ".", bare.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let desk = |name: &str, email: &str| {
        let dir = o.scratch().join(name);
        o.expect(
            0,
            &[
                "clone",
                bare.to_str().unwrap(),
                dir.to_str().unwrap(),
                "--email",
                email,
            ],
        );
        o.at(dir)
    };
    let manager = desk("manager", MANAGER);
    let adjuster = desk("adjuster", STAFF);
    adjuster.expect(0, &["note", WATER, "Mitigation vendor on site"]);
    manager.expect(0, &["migrate"]);
    manager.expect(0, &["sync"]);
    // The adjuster's note was made on the claim's old file; synced, it is made again on the
    // migrated office, where the claim is filed by shard.
    adjuster.expect(0, &["sync"]);
    let moved = format!("claims/2026/10/RB/{WATER}.yaml");
    assert!(adjuster.read(&moved).contains("Mitigation vendor on site"));
    assert!(!adjuster
        .root
        .join(format!("claims/2026/10/{WATER}.yaml"))
        .exists());
    adjuster.expect(0, &["check"]);
    adjuster.assert_sound();
}
