//! The read cache under `.git/claims/read-cache/` (issue 22): what the reading commands say is
//! the same with it, without it, warm, cold, and with every entry damaged, swapped or stale.

use std::path::{Path, PathBuf};

use crate::common::Office;

/// The SLA report of every clock as of a fixed date.
const SLA_ALL: &[&str] = &[
    "sla-report",
    "--all",
    "--as-of",
    "2026-12-01",
    "--format",
    "csv",
];

/// The reading commands, each with arguments that make its output fixed.
const READERS: &[&[&str]] = &[
    &["list", "--format", "csv"],
    SLA_ALL,
    &["check", "--format", "json"],
    &[
        "report",
        "inventory",
        "--as-of",
        "2026-12-01",
        "--format",
        "csv",
    ],
];

/// Each reader's exit code, stdout and stderr.
fn answers(o: &Office, cache: bool) -> Vec<(Option<i32>, String, String)> {
    READERS
        .iter()
        .map(|args| {
            let mut cmd = o.cmd(args);
            if !cache {
                cmd.env("CLAIMS_READ_CACHE", "off");
            }
            let out = cmd.output().unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
        .collect()
}

/// A way to damage a cache entry.
type Damage = dyn Fn(&[u8]) -> Vec<u8>;

fn cache_dir(o: &Office) -> PathBuf {
    o.root.join(".git/claims/read-cache")
}

/// The cache's packs of claim records (`pack-*.rcp`).
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("pack-") && name.ends_with(".rcp")
        })
        .collect();
    out.sort();
    out
}

/// How many records the packs hold (each pack's count, after its magic and build key).
fn records(dir: &Path) -> usize {
    entries(dir)
        .iter()
        .map(|p| {
            let b = std::fs::read(p).unwrap();
            u32::from_le_bytes(b[24..28].try_into().unwrap()) as usize
        })
        .sum()
}

/// A pack whose every row names the blob of the row `to(i)` gives (its record, length and CRC
/// left), the table's own CRC made right again: every claim's entry is another claim's record.
fn misdirected(pack: &[u8], to: impl Fn(usize, usize) -> usize) -> Vec<u8> {
    const HEAD: usize = 32;
    const ROW: usize = 36;
    let count = u32::from_le_bytes(pack[24..28].try_into().unwrap()) as usize;
    let mut out = pack.to_vec();
    let table = HEAD..HEAD + count * ROW;
    let rows: Vec<Vec<u8>> = pack[table.clone()]
        .chunks(ROW)
        .map(<[u8]>::to_vec)
        .collect();
    for (i, row) in out[table.clone()].chunks_mut(ROW).enumerate() {
        row[20..].copy_from_slice(&rows[to(i, count)][20..]);
    }
    let crc = crc32fast::hash(&out[table]);
    out[28..32].copy_from_slice(&crc.to_le_bytes());
    out
}

fn claim_file_count(o: &Office) -> usize {
    o.claims().len()
}

#[test]
fn readers_answer_the_same_with_the_cache_cold_warm_and_without() {
    let o = Office::example();
    let without = answers(&o, false);
    assert!(
        !cache_dir(&o).exists(),
        "CLAIMS_READ_CACHE=off wrote a cache"
    );
    for (code, out, _) in &without {
        assert_eq!(*code, Some(0));
        assert!(!out.is_empty());
    }
    let cold = answers(&o, true);
    assert_eq!(cold, without);
    // One record per claim file, in one pack, inside .git/ (nothing for git to see or commit).
    assert_eq!(entries(&cache_dir(&o)).len(), 1);
    assert_eq!(records(&cache_dir(&o)), claim_file_count(&o));
    let status = o.git(&["status", "--porcelain", "--ignored"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert_eq!(status.trim(), "", "{status}");
    let warm = answers(&o, true);
    assert_eq!(warm, without);
}

#[test]
fn a_damaged_swapped_or_stale_entry_never_changes_an_answer() {
    let o = Office::example();
    let truth = answers(&o, false);
    answers(&o, true);
    let files = entries(&cache_dir(&o));
    assert_eq!(files.len(), 1);
    assert!(records(&cache_dir(&o)) >= 5);
    let originals: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();

    // Each claim's row points at another claim's (valid) record: the next one's, or the first's.
    for (f, orig) in files.iter().zip(&originals) {
        std::fs::write(f, misdirected(orig, |i, n| (i + 1) % n)).unwrap();
    }
    assert_eq!(answers(&o, true), truth, "swapped entries");
    for (f, orig) in files.iter().zip(&originals) {
        std::fs::write(f, misdirected(orig, |_, _| 0)).unwrap();
    }
    assert_eq!(answers(&o, true), truth, "one record everywhere");
    // Garbage, truncated, empty, one flipped bit in the record, another build's header.
    let damage: [&Damage; 5] = [
        &|_| b"not a cache entry at all".to_vec(),
        &|b| b[..b.len() / 2].to_vec(),
        &|_| Vec::new(),
        &|b| {
            let mut b = b.to_vec();
            let last = b.len() - 3;
            b[last] ^= 0x04;
            b
        },
        &|b| {
            let mut b = b.to_vec();
            b[9] = if b[9] == b'0' { b'1' } else { b'0' };
            b
        },
    ];
    for (n, d) in damage.iter().enumerate() {
        for p in entries(&cache_dir(&o)) {
            std::fs::remove_file(p).unwrap();
        }
        for (f, orig) in files.iter().zip(&originals) {
            std::fs::write(f, d(orig)).unwrap();
        }
        assert_eq!(answers(&o, true), truth, "damage {n}");
    }
    // What the damaged pack lacked was packed again: the next reading is warm and still right.
    assert_eq!(answers(&o, true), truth);
    // Deleted outright: rebuilt.
    std::fs::remove_dir_all(cache_dir(&o)).unwrap();
    assert_eq!(answers(&o, true), truth);
    assert_eq!(records(&cache_dir(&o)), claim_file_count(&o));
}

#[test]
fn an_edited_file_is_read_again_and_old_entries_are_tidied_away() {
    let o = Office::example();
    answers(&o, true);
    // A hand edit in the working tree (uncommitted): the readers see it, cache or not.
    let (path, claim) = o.claims().into_iter().next().unwrap();
    let file = o.root.join(&path);
    let text = std::fs::read_to_string(&file).unwrap();
    let name = claim.insured.and_then(|i| i.name).unwrap();
    std::fs::write(&file, text.replace(&name, "Zelda Quarrington")).unwrap();
    let with = answers(&o, true);
    assert_eq!(with, answers(&o, false));
    assert!(with[0].1.contains("Zelda Quarrington"), "{}", with[0].1);
    // Old records (of versions no file holds now) and packs pile up only so far: seventy more
    // packs of the same records, and an earlier build's file-a-record entries.
    let pack = std::fs::read(&entries(&cache_dir(&o))[0]).unwrap();
    for i in 0..70 {
        std::fs::write(cache_dir(&o).join(format!("pack-copy{i:02}.rcp")), &pack).unwrap();
    }
    let dir = cache_dir(&o).join("ff");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..10 {
        std::fs::write(dir.join(format!("{i:038x}")), b"old").unwrap();
    }
    std::fs::write(&file, text.replace(&name, "Zelda Quarrington II")).unwrap();
    assert_eq!(answers(&o, true), answers(&o, false));
    assert_eq!(entries(&cache_dir(&o)).len(), 1);
    let left = records(&cache_dir(&o));
    assert!(left <= claim_file_count(&o) + 2, "{left} records left");
    assert!(!dir.exists(), "an earlier build's entries are removed");
    assert_eq!(answers(&o, true), answers(&o, false));
}

/// A file git's index has seen is not read while its stat data agree; a hand edit that keeps
/// the file's size and puts its modification time back (`touch -r`) is still seen (its change
/// time and the index's own time give it away), by every reader.
#[test]
fn a_hand_edit_that_keeps_size_and_time_is_still_read() {
    let o = Office::example();
    // Plain git's status refreshes the index's stat data for every file, as a user's would.
    o.git(&["status", "--porcelain"]);
    answers(&o, true);
    let (path, claim) = o.claims().into_iter().next().unwrap();
    let file = o.root.join(&path);
    let text = std::fs::read_to_string(&file).unwrap();
    let name = claim.insured.and_then(|i| i.name).unwrap();
    let same_length = format!("{:Q<1$}", "Z", name.len());
    let reference = o.scratch().join("reference");
    let st = std::process::Command::new("cp")
        .arg("-p")
        .arg(&file)
        .arg(&reference)
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::write(&file, text.replace(&name, &same_length)).unwrap();
    let st = std::process::Command::new("touch")
        .arg("-r")
        .arg(&reference)
        .arg(&file)
        .status()
        .unwrap();
    assert!(st.success());
    let (before, after) = (
        std::fs::metadata(&reference).unwrap(),
        std::fs::metadata(&file).unwrap(),
    );
    assert_eq!(before.len(), after.len());
    assert_eq!(before.modified().unwrap(), after.modified().unwrap());
    let with = answers(&o, true);
    assert_eq!(with, answers(&o, false));
    assert!(with[0].1.contains(&same_length), "{}", with[0].1);
    // Put back as it was: read as the committed claim again, cache or not.
    std::fs::write(&file, &text).unwrap();
    let with = answers(&o, true);
    assert_eq!(with, answers(&o, false));
    assert!(with[0].1.contains(&name), "{}", with[0].1);
}

/// A file git converts between the index and the working tree (`ident` here; `filter`,
/// `text`/`eol` alike) is not the blob the index names: with any conversion in the attributes,
/// every file is read.
#[test]
fn a_file_git_converts_is_read_as_the_working_tree_has_it() {
    let o = Office::example();
    let (path, claim) = o.claims().into_iter().next().unwrap();
    let file = o.root.join(&path);
    let name = claim.insured.and_then(|i| i.name).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let marked = format!("\"{name} $Id$\"");
    std::fs::write(
        &file,
        text.replacen(&format!("name: {name}"), &format!("name: {marked}"), 1),
    )
    .unwrap();
    o.git_ok(&["add", &path]);
    o.git_ok(&[
        "-c",
        "user.email=t@example.invalid",
        "-c",
        "user.name=t",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        "an $Id$ in a name",
    ]);
    answers(&o, true);
    std::fs::write(o.root.join(".git/info/attributes"), "*.yaml ident\n").unwrap();
    std::fs::remove_file(&file).unwrap();
    o.git_ok(&["checkout", "--", &path]);
    let on_disk = std::fs::read_to_string(&file).unwrap();
    assert!(on_disk.contains(&format!("{name} $Id: ")), "{on_disk}");
    // The index written again a moment later (as `git status` does), so it vouches for the file.
    std::thread::sleep(std::time::Duration::from_millis(50));
    std::fs::remove_file(o.root.join(".git/index")).unwrap();
    o.git_ok(&["reset", "-q"]);
    o.git_ok(&["status", "--porcelain"]);
    let with = answers(&o, true);
    assert_eq!(with, answers(&o, false));
    assert!(
        with[0].1.contains(&format!("{name} $Id: ")),
        "{}",
        with[0].1
    );
}

/// A command's own reading of each claim it changes decodes the entry a full reading left (the
/// `--pending` choice of claims): the commits it makes are the very same, byte for byte, with
/// the cache warm, with every entry swapped for another claim's, and with no cache at all.
#[test]
fn a_batch_makes_the_very_same_commits_with_the_cache_warm_swapped_or_off() {
    use crate::common::people::{CSR, SUPERVISOR};
    let o = Office::example();
    let csv = o.scratch().join("batch-good.csv");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/intake/batch-good.csv"),
        &csv,
    )
    .unwrap();
    o.expect(0, &["--as", CSR, "intake", "--csv", csv.to_str().unwrap()]);
    answers(&o, true);
    // Two more copies of the office, keys and settings and cache and all.
    let copy = |name: &str| {
        let to = o.scratch().join(name);
        let st = std::process::Command::new("cp")
            .args(["-a"])
            .arg(&o.root)
            .arg(&to)
            .status()
            .unwrap();
        assert!(st.success());
        o.at(to)
    };
    let (off, swapped) = (copy("off"), copy("swapped"));
    assert!(records(&cache_dir(&swapped)) > 5);
    for f in entries(&cache_dir(&swapped)) {
        let pack = std::fs::read(&f).unwrap();
        std::fs::write(&f, misdirected(&pack, |i, n| (i + 1) % n)).unwrap();
    }
    let before = o.head();
    let triage = ["--as", SUPERVISOR, "--format", "csv", "triage", "--pending"];
    let warm = o.run(&triage);
    let mut cmd = off.cmd(&triage);
    let without = cmd.env("CLAIMS_READ_CACHE", "off").output().unwrap();
    let damaged = swapped.run(&triage);
    assert_eq!(
        warm.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&warm.stderr)
    );
    assert_ne!(o.head(), before, "triage made no commit");
    for (name, other, out) in [("off", &off, &without), ("swapped", &swapped, &damaged)] {
        assert_eq!(other.head(), o.head(), "{name}");
        assert_eq!(out.stdout, warm.stdout, "{name}");
        assert_eq!(out.status.code(), warm.status.code(), "{name}");
    }
}

/// `check --format json` with the cache (cold after a change, then warm, when its kept clean
/// verdicts are trusted) and without it: the three must agree. The answer.
fn check_agrees(o: &Office, why: &str) -> String {
    let run = |cache: bool| {
        let mut cmd = o.cmd(&["check", "--format", "json"]);
        if !cache {
            cmd.env("CLAIMS_READ_CACHE", "off");
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let truth = run(false);
    assert_eq!(run(true), truth, "{why}: first run with the cache");
    assert_eq!(run(true), truth, "{why}: warm run");
    truth.1
}

/// The clean verdicts `check` keeps (`clean-*` in the cache folder) rest on the claim's blob,
/// its denial letter's, `authority.yaml`'s, every policy file's and the claims it names: a change
/// to any of them is seen, and put back, the claim is clean again.
#[test]
fn check_sees_every_change_a_kept_clean_verdict_rests_on() {
    let o = Office::example();
    let clean = check_agrees(&o, "as cloned");
    assert!(clean.contains("\"errors\": 0"), "{clean}");
    let verdicts = || -> Vec<PathBuf> {
        std::fs::read_dir(cache_dir(&o))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("clean-")
            })
            .collect()
    };
    assert_eq!(verdicts().len(), 1, "one file of verdicts is kept");
    let edit = |rel: &str, from: &str, to: &str| {
        let file = o.root.join(rel);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&file, text.replace(from, to)).unwrap();
        text
    };
    let finds = |why: &str, code: &str, file: &str| {
        let out = check_agrees(&o, why);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let hit = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == code && f["file"] == file);
        assert!(hit, "{why}: no {code} in {file}: {out}");
    };
    let put_back = |rel: &str, text: &str| {
        std::fs::write(o.root.join(rel), text).unwrap();
        assert_eq!(check_agrees(&o, &format!("{rel} put back")), clean);
    };
    let denied = "claims/2026/08/CLM-2608-JN8S-QVEH.yaml";
    let merged = "claims/2026/08/CLM-2608-ZZEQ-KSGY.yaml";
    let survivor = "claims/2026/08/CLM-2608-FR23-R1AV.yaml";
    let letter = "claims/2026/08/CLM-2608-JN8S-QVEH/letters/denial.txt";

    // The claim itself.
    let was = edit(denied, "\nstatus: denied\n", "\nstatus: settled\n");
    finds("a status edited by hand", "L001", denied);
    put_back(denied, &was);
    // authority.yaml: the claim's adjuster renamed there.
    let was = edit(
        "authority.yaml",
        "sokafor@harborpoint.example",
        "sokafor2@harborpoint.example",
    );
    finds("an adjuster renamed in authority.yaml", "R002", denied);
    put_back("authority.yaml", &was);
    // A policy file: its line changed, then gone.
    let policy = "policies/HO-TX-2026-60254.yaml";
    let was = edit(policy, "lob: property", "lob: personal_auto");
    finds("a policy's line changed", "R003", survivor);
    std::fs::remove_file(o.root.join(policy)).unwrap();
    finds("a policy file deleted", "R001", survivor);
    put_back(policy, &was);
    // The claim a merged claim names, deleted.
    let was = std::fs::read_to_string(o.root.join(survivor)).unwrap();
    std::fs::remove_file(o.root.join(survivor)).unwrap();
    finds("the claim merged into, deleted", "R004", merged);
    put_back(survivor, &was);
    // The denial letter: stripped of what the law asks, then gone.
    let was = std::fs::read_to_string(o.root.join(letter)).unwrap();
    std::fs::write(o.root.join(letter), "Dear Jorge Alvarez: denied.\n").unwrap();
    finds("a denial letter stripped", "D004", denied);
    std::fs::remove_file(o.root.join(letter)).unwrap();
    finds("a denial letter deleted", "D002", denied);
    put_back(letter, &was);

    // Damaged, swapped for garbage or emptied: never a different answer, and written again.
    for damage in [&b"clean verdicts, honest"[..], b""] {
        for f in verdicts() {
            std::fs::write(&f, damage).unwrap();
        }
        assert_eq!(check_agrees(&o, "damaged verdicts"), clean);
    }
    assert_eq!(verdicts().len(), 1);
    // A warm check decodes no claim, yet leaves every claim's record for the other readers.
    // Even when one edit makes that check tidy many packs into one.
    let pack = std::fs::read(&entries(&cache_dir(&o))[0]).unwrap();
    for i in 0..70 {
        std::fs::write(cache_dir(&o).join(format!("pack-copy{i:02}.rcp")), &pack).unwrap();
    }
    let was = edit(denied, "\nstatus: denied\n", "\nstatus: triaged\n");
    finds("an edit with many packs", "L001", denied);
    assert_eq!(entries(&cache_dir(&o)).len(), 1, "the packs were tidied");
    let kept = records(&cache_dir(&o));
    assert!(kept >= claim_file_count(&o), "{kept} records kept");
    put_back(denied, &was);
}

/// The claim summaries a list keeps (`summaries-*`): one file, the magic, build, id and CRC of
/// every entry before its MessagePack body.
/// The one entry of the cache whose name starts with `kind`.
fn entry_of_kind(o: &Office, kind: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(cache_dir(o))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(kind))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

/// Each of `commands` with the cache (first and warm) and without: the same exit code and
/// output; the outputs without, joined.
fn commands_agree(o: &Office, commands: &[&[&str]], why: &str) -> String {
    let mut all = String::new();
    for args in commands {
        let mut off = o.cmd(args);
        let truth = off.env("CLAIMS_READ_CACHE", "off").output().unwrap();
        for run in ["first", "warm"] {
            let with = o.run(args);
            assert_eq!(
                with.status.code(),
                truth.status.code(),
                "{why} {args:?} {run}"
            );
            assert_eq!(
                String::from_utf8_lossy(&with.stdout),
                String::from_utf8_lossy(&truth.stdout),
                "{why} {args:?} {run}"
            );
        }
        all.push_str(&String::from_utf8_lossy(&truth.stdout));
    }
    all
}

/// `list` with a few filters.
const LISTS: &[&[&str]] = &[
    &["list", "--format", "csv"],
    &["list", "--format", "csv", "--status", "denied"],
    &[
        "list",
        "--format",
        "csv",
        "--adjuster",
        "sokafor@harborpoint.example",
    ],
    &["list", "--format", "csv", "--closed-from", "2026-01-01"],
];

/// `sla-report` as of two dates, with and without `--all`: each run keeps its rows under its
/// own key, and the entry of the last one run is the one left.
const SLA_REPORTS: &[&[&str]] = &[
    &["sla-report", "--as-of", "2026-09-01", "--format", "csv"],
    &["sla-report", "--as-of", "2026-12-01", "--format", "csv"],
    SLA_ALL,
];

/// A reading of an office where nothing changed takes each claim's kept result from the entry
/// `kind`; an edit, a new or deleted file, a damaged entry or one with a claim's result in
/// another's place (checksum made right again) never changes what `commands` print.
fn kept_results_are_the_results_from_the_files(kind: &str, commands: &[&[&str]]) {
    let o = Office::example();
    o.git(&["status", "--porcelain"]);
    let truth = commands_agree(&o, commands, "as cloned");
    assert!(truth.contains("CLM-2608-JN8S-QVEH"), "{truth}");
    let file = entry_of_kind(&o, kind);
    let original = std::fs::read(&file).unwrap();
    assert!(original.len() > 48);

    // One claim's result put in another's place, beside the other's blob id.
    const HEAD: usize = 48;
    type Entries = std::collections::HashMap<String, (Vec<u8>, serde_json::Value)>;
    let mut entries: Entries = rmp_serde::from_slice(&original[HEAD..]).unwrap();
    assert_eq!(entries.len(), claim_file_count(&o));
    let again: Entries =
        rmp_serde::from_slice(&rmp_serde::to_vec_named(&entries).unwrap()).unwrap();
    assert_eq!(
        again, entries,
        "the test's own reading of the entry round-trips"
    );
    let mut paths: Vec<String> = entries.keys().cloned().collect();
    paths.sort();
    let (a, b) = (paths[0].clone(), paths[1].clone());
    let sb = entries[&b].1.clone();
    entries.get_mut(&a).unwrap().1 = sb;
    let body = rmp_serde::to_vec_named(&entries).unwrap();
    let mut swapped = original[..HEAD].to_vec();
    swapped[44..48].copy_from_slice(&crc32fast::hash(&body).to_le_bytes());
    swapped.extend_from_slice(&body);
    std::fs::write(&file, &swapped).unwrap();
    assert_eq!(commands_agree(&o, commands, "results swapped"), truth);

    // Garbage, truncated, empty, one flipped bit, another build's.
    let damage: [&Damage; 5] = [
        &|_| b"not results at all".to_vec(),
        &|b| b[..b.len() / 2].to_vec(),
        &|_| Vec::new(),
        &|b| {
            let mut b = b.to_vec();
            let at = b.len() - 5;
            b[at] ^= 0x10;
            b
        },
        &|b| {
            let mut b = b.to_vec();
            b[9] = if b[9] == b'0' { b'1' } else { b'0' };
            b
        },
    ];
    for (n, d) in damage.iter().enumerate() {
        std::fs::write(entry_of_kind(&o, kind), d(&original)).unwrap();
        assert_eq!(commands_agree(&o, commands, &format!("damage {n}")), truth);
    }

    // An edit by hand: that claim's rows change, with the cache or without.
    let denied = "claims/2026/08/CLM-2608-JN8S-QVEH.yaml";
    let text = std::fs::read_to_string(o.root.join(denied)).unwrap();
    std::fs::write(
        o.root.join(denied),
        text.replace("sokafor@harborpoint.example", "lpark@harborpoint.example"),
    )
    .unwrap();
    let edited = commands_agree(&o, commands, "an adjuster edited");
    assert_ne!(edited, truth);
    std::fs::write(o.root.join(denied), &text).unwrap();
    assert_eq!(commands_agree(&o, commands, "put back"), truth);
    // A claim file deleted, then one copied under a new name: gone, then there.
    let gone = "claims/2026/08/CLM-2608-ZZEQ-KSGY.yaml";
    let kept = std::fs::read_to_string(o.root.join(gone)).unwrap();
    std::fs::remove_file(o.root.join(gone)).unwrap();
    assert!(!commands_agree(&o, commands, "deleted").contains("CLM-2608-ZZEQ-KSGY"));
    std::fs::write(o.root.join(gone), &kept).unwrap();
    assert_eq!(commands_agree(&o, commands, "restored"), truth);
}

#[test]
fn a_list_from_kept_summaries_is_the_list_from_the_files() {
    kept_results_are_the_results_from_the_files("summaries-", LISTS);
}

#[test]
fn an_sla_report_from_kept_rows_is_the_report_from_the_files() {
    // One report only: each of the others would replace the entry the test damages.
    kept_results_are_the_results_from_the_files("sla-report-rows-", &SLA_REPORTS[2..]);
}

/// Reports of other dates, with and without `--all`, one after another agree; and when the
/// office's calendar changed, the kept rows rest on the old one, so none is used.
#[test]
fn an_sla_report_follows_its_date_and_a_change_of_the_calendar() {
    let o = Office::example();
    commands_agree(&o, SLA_REPORTS, "as cloned");
    let last = &SLA_REPORTS[2..];
    let before = commands_agree(&o, last, "as cloned");
    let settings = std::fs::read_to_string(o.root.join("authority.yaml")).unwrap();
    let changed = settings.replace("federal_holidays: true", "federal_holidays: false");
    assert_ne!(changed, settings);
    std::fs::write(o.root.join("authority.yaml"), changed).unwrap();
    let after = commands_agree(&o, last, "no federal holidays");
    assert_ne!(after, before, "the dates due move with the holidays");
}
