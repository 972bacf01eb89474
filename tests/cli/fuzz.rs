//! Fuzz targets (issue 18), with proptest: claim YAML, CSV batches, email, web payloads. Each
//! input goes through the real parsers and what the tool does next with what they return
//! (the claim rules and the canonical writer; admission of every draft). None may panic, and
//! none may take longer than a second on an input under 1 MB.
//!
//! Inputs are the project's own samples mutated: bytes flipped, tokens of the format inserted
//! (brackets, quotes, MIME boundaries, encodings, NULs, bytes that are not UTF-8), spans
//! deleted or repeated thousands of times (deep nesting, long fields, many parts).
//!
//! - `cargo test` runs a few cases of each target, and replays the corpus
//!   (`tests/data/fuzz/<target>/`: the hostile inputs of the issue and what fuzzing found)
//!   through the targets and through the CLI.
//! - `make fuzz` runs each target for `FUZZ_SECONDS` (default 60) and writes every input that
//!   fails into the corpus as `found-<hash>`, then fails naming them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestError, TestRunner};

use claims::domain::claim::{Claim, LineOfBusiness};
use claims::domain::office::Office as OfficeFile;
use claims::domain::policy::Policy;
use claims::intake::admit::{admit, AdmitContext, KnownClaims};
use claims::intake::draft::Draft;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The largest input a target is given.
const MAX_INPUT: usize = 1 << 20;

/// The slowest an input may be: a second when fuzzing (`make fuzz`, a release build); in the
/// ordinary suite, which may be a debug build on a busy machine, a watchdog of ten.
fn time_limit() -> Duration {
    if std::env::var_os("FUZZ_SECONDS").is_some() {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(10)
    }
}

// ------------------------------------------------------------------------------------------
// The targets: the real parsers, then what the tool does with their result.
// ------------------------------------------------------------------------------------------

struct Sample {
    office: OfficeFile,
    tz: chrono_tz::Tz,
    policies: HashMap<String, Policy>,
    lines: HashMap<String, LineOfBusiness>,
    known: KnownClaims,
}

fn sample() -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    S.get_or_init(|| {
        let root = Path::new(ROOT);
        let office = claims::store::files::load_office(root).unwrap();
        let tz = office.office.timezone.parse().unwrap();
        let policies = claims::store::files::load_policies(root);
        let lines = policies.iter().map(|(n, p)| (n.clone(), p.lob)).collect();
        Sample {
            office,
            tz,
            policies,
            lines,
            known: KnownClaims::default(),
        }
    })
}

/// Admission of a draft, as every channel ends: an admitted claim is written canonically.
fn admit_draft(draft: Draft, require_complete: bool) {
    let s = sample();
    let ctx = AdmitContext {
        office: &s.office,
        tz: s.tz,
        now: chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00-06:00").unwrap(),
        actor: "mdelgado@harborpoint.example",
        policies: &s.policies,
        policy_lines: &s.lines,
        existing: &s.known,
        require_complete,
    };
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(18);
    if let Ok(a) = admit(draft, &ctx, &mut rng) {
        let _ = claims::domain::yaml::to_canonical_yaml(&a.claim);
    }
}

/// A claim file as `claims check` reads it: text, the bounded parser, the claim rules, and
/// the canonical writer's round trip.
pub fn claim_yaml(bytes: &[u8]) {
    let Ok(text) = claims::bounds::text(bytes) else {
        return;
    };
    let Ok(claim) = claims::store::files::parse_yaml::<Claim>(text) else {
        return;
    };
    let s = sample();
    let ids = Default::default();
    let ix = claims::check::rules::OfficeIndex {
        office: Some(&s.office),
        tz: s.tz,
        policies: &s.lines,
        claim_ids: &ids,
    };
    let _ = claims::check::rules::check_claim(&claim, "claims/2026/11/x.yaml", &ix);
    if let Ok(out) = claims::domain::yaml::to_canonical_yaml(&claim) {
        let _ = claims::store::files::parse_yaml::<Claim>(&out);
    }
}

/// A CSV batch: every row's draft admitted.
pub fn csv(bytes: &[u8]) {
    if let Ok(rows) = claims::intake::csv_batch::parse_csv(bytes) {
        for row in rows {
            if let Ok(d) = row.draft {
                admit_draft(*d, true);
            }
        }
    }
}

/// An email message, admitted as the email channel does (held when incomplete).
pub fn email(bytes: &[u8]) {
    if let Ok(d) = claims::intake::email::draft_from_eml(bytes, "fuzz.eml") {
        admit_draft(d, false);
    }
}

/// A web payload, as JSON and as YAML.
pub fn payload(bytes: &[u8]) {
    let Ok(text) = claims::bounds::text(bytes) else {
        return;
    };
    for name in ["fuzz.json", "fuzz.yaml"] {
        if let Ok(p) = claims::intake::payload::Payload::parse(name, text) {
            admit_draft(p.into_draft(name), true);
        }
    }
}

// ------------------------------------------------------------------------------------------
// Inputs: the samples, mutated.
// ------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, Vec<u8>),
    Byte(usize, u8),
    Delete(usize, usize),
    /// Repeat the span at (start, length) this many times.
    Repeat(usize, usize, usize),
}

fn edits(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<Edit>> {
    let token = prop_oneof![
        4 => proptest::sample::select(tokens).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..8),
    ];
    let edit = prop_oneof![
        4 => (any::<usize>(), token).prop_map(|(at, t)| Edit::Insert(at, t)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Byte(at, b)),
        1 => (any::<usize>(), 1usize..64).prop_map(|(at, n)| Edit::Delete(at, n)),
        1 => (any::<usize>(), 1usize..8, prop_oneof![2usize..64, 1000usize..50_000])
            .prop_map(|(at, n, times)| Edit::Repeat(at, n, times)),
    ];
    proptest::collection::vec(edit, 0..8)
}

fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for e in edits {
        let at = |i: usize, v: &Vec<u8>| if v.is_empty() { 0 } else { i % (v.len() + 1) };
        match e {
            Edit::Insert(i, t) => {
                let i = at(*i, &v);
                v.splice(i..i, t.iter().copied());
            }
            Edit::Byte(i, b) if !v.is_empty() => {
                let i = i % v.len();
                v[i] = *b;
            }
            Edit::Delete(i, n) => {
                let i = at(*i, &v);
                let end = (i + n).min(v.len());
                v.drain(i..end);
            }
            Edit::Repeat(i, n, times) => {
                let i = at(*i, &v);
                let end = (i + n).min(v.len());
                let span = v[i..end].to_vec();
                let room = MAX_INPUT.saturating_sub(v.len()) / span.len().max(1);
                let copies = (*times).min(room);
                let more: Vec<u8> = span
                    .iter()
                    .copied()
                    .cycle()
                    .take(span.len() * copies)
                    .collect();
                v.splice(end..end, more);
            }
            Edit::Byte(..) => {}
        }
        v.truncate(MAX_INPUT);
    }
    v
}

fn files_in(dir: &str, ext: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(Path::new(ROOT).join(dir))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| ext.contains(&x))
        })
        .collect();
    out.sort();
    out
}

fn read_all(paths: Vec<PathBuf>) -> Vec<Vec<u8>> {
    paths
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// A fuzz target: its corpus folder, the samples its inputs grow from, the tokens of its
/// format, and the function under test.
pub struct Target {
    pub name: &'static str,
    pub ext: &'static str,
    seeds: fn() -> Vec<Vec<u8>>,
    tokens: &'static [&'static [u8]],
    pub run: fn(&[u8]),
}

const YAML_TOKENS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"- ",
    b": ",
    b"? ",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"!!binary ",
    b"!!str ",
    b"!x ",
    b"'",
    b"\"",
    b"|\n",
    b">-\n",
    b"\n  ",
    b"\n",
    b"\t",
    b"# ",
    b"---\n",
    b"...\n",
    b"\0",
    b"\xff",
    b"\xc3",
    b"99999999999999999999999",
    b"1e400",
    b"-0.001",
    b"~",
    b"null",
    b"2026-02-30",
    b"\\u0000",
    b"%YAML 1.1\n",
];
const CSV_TOKENS: &[&[u8]] = &[
    b",",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xe9",
    b"vehicle99999999999999999999_vin",
    b"vehicle0_vin",
    b"injured3_name",
    b"Y",
    b"N",
    b"maybe",
    b"2026-02-30",
    b"25:99",
    b"1e400",
    b"-0.001",
    b"99999999999999.99",
    b"personal_auto",
    b"property",
    b"workers_comp",
    b"glass",
    b"5XYKTCA62DG346197",
    b";",
];
const EMAIL_TOKENS: &[&[u8]] = &[
    b"\r\n",
    b"\r\n\r\n",
    b"\n",
    b"--b1\r\n",
    b"--b1--\r\n",
    b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n",
    b"Content-Type: message/rfc822\r\n",
    b"Content-Type: text/html; charset=utf-8\r\n",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n",
    b"Content-Disposition: attachment; filename=\"",
    b"=?utf-8?B?",
    b"=?iso-8859-1?Q?",
    b"?=",
    b"=00",
    b"=\r\n",
    b"=FF",
    b"From: ",
    b"Date: ",
    b"Subject: ",
    b"FW: ",
    b"---------- Forwarded message ---------\n",
    b"-----Original Message-----\n",
    b"Begin forwarded message:\n",
    b"VIN ",
    b"1HGCM82633A004352",
    b"policy ",
    b"PAU-IL-2026-20931",
    b"(630) 555-0177",
    b"yesterday at 5:30 pm",
    b"nobody was hurt",
    b"Dr. ",
    b"Employee: ",
    b"\0",
    b"\xff",
    b"\xc3",
    b"<html><body>",
    b"<p>",
    b"&amp;",
    b"<br>",
    b"</",
    b"Austin, TX",
    b"        ",
];
const JSON_TOKENS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"\\u0000",
    b"\\ud800",
    b"\\",
    b":",
    b",",
    b"null",
    b"1e999",
    b"-0",
    b"99999999999999999999",
    b"\"lob\": \"property\"",
    b"\"auto\": {}",
    b"\"vin\": \"",
    b"\0",
    b"\xff",
    b"- ",
    b": ",
    b"&a ",
    b"*a",
    b"\n",
];

fn claim_seeds() -> Vec<Vec<u8>> {
    read_all(files_in("claims", &["yaml"]))
}
fn csv_seeds() -> Vec<Vec<u8>> {
    read_all(files_in("tests/data/intake", &["csv"]))
}
fn email_seeds() -> Vec<Vec<u8>> {
    read_all(files_in("tests/data/email", &["eml"]))
}
fn payload_seeds() -> Vec<Vec<u8>> {
    read_all(files_in("tests/data/intake", &["json", "yaml"]))
}

pub const TARGETS: &[Target] = &[
    Target {
        name: "claim_yaml",
        ext: "yaml",
        seeds: claim_seeds,
        tokens: YAML_TOKENS,
        run: claim_yaml,
    },
    Target {
        name: "csv",
        ext: "csv",
        seeds: csv_seeds,
        tokens: CSV_TOKENS,
        run: csv,
    },
    Target {
        name: "email",
        ext: "eml",
        seeds: email_seeds,
        tokens: EMAIL_TOKENS,
        run: email,
    },
    Target {
        name: "payload",
        ext: "json",
        seeds: payload_seeds,
        tokens: JSON_TOKENS,
        run: payload,
    },
];

fn target(name: &str) -> &'static Target {
    TARGETS.iter().find(|t| t.name == name).unwrap()
}

/// Runs `t` on `cases` mutated inputs; the failing input (shrunk), if any, with why.
fn run_cases(t: &'static Target, cases: u32) -> Option<(Vec<u8>, String)> {
    let seeds = (t.seeds)();
    let strategy = (0..seeds.len(), edits(t.tokens));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    });
    let limit = time_limit();
    let result = runner.run(&strategy, |(i, e)| {
        let input = apply(&seeds[i], &e);
        let start = Instant::now();
        (t.run)(&input);
        let took = start.elapsed();
        prop_assert!(
            took < limit,
            "{} took {took:?} on {} bytes",
            t.name,
            input.len()
        );
        Ok(())
    });
    match result {
        Ok(()) => None,
        Err(TestError::Fail(why, (i, e))) => Some((apply(&seeds[i], &e), why.to_string())),
        Err(TestError::Abort(why)) => Some((Vec::new(), why.to_string())),
    }
}

/// Writes a failing input into the target's corpus; its path.
fn keep(t: &Target, input: &[u8]) -> PathBuf {
    use sha1::Digest;
    let hash: String = sha1::Sha1::digest(input)[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = Path::new(ROOT)
        .join("tests/data/fuzz")
        .join(t.name)
        .join(format!("found-{hash}.{}", t.ext));
    std::fs::write(&path, input).unwrap();
    path
}

fn check_target(name: &str) {
    let t = target(name);
    if let Some((input, why)) = run_cases(t, 48) {
        panic!("{name}: {why}; input kept as {}", keep(t, &input).display());
    }
}

#[test]
fn fuzz_claim_yaml_briefly() {
    check_target("claim_yaml");
}

#[test]
fn fuzz_csv_briefly() {
    check_target("csv");
}

#[test]
fn fuzz_email_briefly() {
    check_target("email");
}

#[test]
fn fuzz_payload_briefly() {
    check_target("payload");
}

/// `make fuzz`: every target for `FUZZ_SECONDS` each (default 60), in rounds of 256 cases;
/// prints the cases run, keeps every failing input in the corpus and fails naming them.
#[test]
#[ignore = "runs for minutes: `make fuzz`"]
fn fuzz_for_a_while() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let only = std::env::var("FUZZ_TARGET").ok().filter(|s| !s.is_empty());
    let mut found = Vec::new();
    for t in TARGETS {
        if only.as_deref().is_some_and(|o| o != t.name) {
            continue;
        }
        let start = Instant::now();
        let mut cases = 0u64;
        while start.elapsed() < Duration::from_secs(seconds) {
            if let Some((input, why)) = run_cases(t, 256) {
                let path = keep(t, &input);
                eprintln!("fuzz {}: {why}: kept {}", t.name, path.display());
                found.push(path);
            }
            cases += 256;
        }
        eprintln!(
            "fuzz {}: {cases} cases in {:.1} s ({:.0}/s)",
            t.name,
            start.elapsed().as_secs_f64(),
            cases as f64 / start.elapsed().as_secs_f64()
        );
    }
    assert!(found.is_empty(), "fuzzing found: {found:?}");
}

// ------------------------------------------------------------------------------------------
// The corpus, replayed.
// ------------------------------------------------------------------------------------------

fn corpus(name: &str) -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join("tests/data/fuzz").join(name);
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

#[test]
fn the_corpus_replays_through_the_targets_in_time() {
    for t in TARGETS {
        let files = corpus(t.name);
        assert!(!files.is_empty(), "{} has no corpus", t.name);
        for f in files {
            let input = std::fs::read(&f).unwrap();
            let start = Instant::now();
            (t.run)(&input);
            assert!(
                start.elapsed() < time_limit(),
                "{} took {:?}",
                f.display(),
                start.elapsed()
            );
        }
    }
}

/// Through the CLI: each corpus file is refused (exit 1) or taken (exit 0), never a crash
/// (101), a signal or an environment failure (3), and within the watchdog.
#[test]
fn the_corpus_replays_through_the_cli() {
    let o = crate::common::Office::example();
    let rel = "claims/2026/11/CLM-2611-FUZZ-0001.yaml";
    for f in corpus("claim_yaml") {
        std::fs::copy(&f, o.root.join(rel)).unwrap();
        for args in [
            &["check", rel][..],
            &["list"],
            &["show", "CLM-2611-FUZZ-0001"],
        ] {
            let out = within(&o, args);
            assert!(
                matches!(out, Some(0 | 1)),
                "{} {args:?}: exit {out:?}",
                f.display()
            );
        }
    }
    std::fs::remove_file(o.root.join(rel)).unwrap();
    for (target, flag) in [
        ("csv", "--csv"),
        ("email", "--email"),
        ("payload", "--file"),
    ] {
        for f in corpus(target) {
            let p = f.to_str().unwrap();
            let out = within(&o, &["--dry-run", "intake", flag, p]);
            assert!(matches!(out, Some(0 | 1)), "{p}: exit {out:?}");
        }
    }
    o.assert_sound();
}

/// The exit code of `claims ARGS` (None: killed by a signal), with the watchdog.
fn within(o: &crate::common::Office, args: &[&str]) -> Option<i32> {
    o.run_within(10, args).0
}

/// The cheap depth bound never underestimates what the YAML parser counts.
#[test]
fn the_cheap_depth_bound_is_an_upper_bound() {
    let seeds = claim_seeds();
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(0..seeds.len(), edits(YAML_TOKENS)), |(i, e)| {
            let input = apply(&seeds[i], &e);
            let bound = claims::bounds::depth_bound(&input);
            prop_assert!(claims::bounds::yaml_depth_at_most(&input, bound).is_ok());
            Ok(())
        })
        .unwrap();
}
