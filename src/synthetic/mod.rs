//! A synthetic office for benchmarks, deterministic from a seed (`claims generate-office`).
//!
//! It starts from `claims init --example` and grows it: people up to the count asked (each
//! with a generated key, registered in authority.yaml), policies copied from the sample's
//! policies with new numbers, insureds and periods spread over two years, and claims copied
//! from the sample's claims — one per stage of the lifecycle and line of business — with new
//! ids, policies, people of the same role, and every date moved to a received day drawn over
//! the two years before today (older claims mostly closed, recent ones mostly open). Every file
//! is a valid record: `claims check` finds the office clean. One signed commit adds it all.

pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::claim::Claim;
use crate::domain::claim_id::ClaimId;
use crate::domain::lifecycle::Status;
use crate::domain::office::Office;
use crate::domain::policy::Policy;
use crate::domain::yaml::to_canonical_yaml;
use crate::error::{Error, Result};
use crate::store::files::{load_office, parse_claim_text, AUTHORITY_FILE};
use crate::store::office_init::{ensure_key, init_office, InitRequest};
use crate::store::session::{allowed_signers_for, allowed_signers_path, office_now};
use text::{business_name, person_name, replace_all, shift_dates};

/// What to make.
pub struct Plan {
    pub dir: PathBuf,
    pub seed: u64,
    pub claims: usize,
    pub policies: usize,
    pub people: usize,
}

/// What was made.
pub struct Made {
    pub claims: usize,
    pub policies: usize,
    pub people: usize,
}

/// Days of history the office covers.
const SPAN_DAYS: i64 = 730;

/// Roles of the people added to the sample's, in this proportion.
const ROLES: &[(&str, &[&str])] = &[
    ("staff_adjuster", &["auto_pd", "glass"]),
    ("staff_adjuster", &["property"]),
    ("staff_adjuster", &["auto_pd", "liability"]),
    ("senior_adjuster", &["bodily_injury", "liability"]),
    ("staff_adjuster", &["property", "cat"]),
    ("senior_adjuster", &["wc", "bodily_injury"]),
    ("csr", &[]),
    ("staff_adjuster", &["auto_pd"]),
    ("senior_adjuster", &["counsel", "liability", "property"]),
    ("supervisor", &["auto_pd", "property", "liability"]),
];

/// A sample record the generator copies.
struct Sample {
    text: String,
    claim: Claim,
    /// Files under the claim's folder: (path relative to it, bytes).
    folder: Vec<(String, Vec<u8>)>,
    /// Days from receipt to the last event: a copy's receipt is at least this long ago.
    span: i64,
}

/// Makes the office `plan` describes; `step` is told of each claim written (a progress bar).
pub fn generate(plan: &Plan, step: &dyn Fn()) -> Result<Made> {
    init_office(&InitRequest {
        dir: plan.dir.clone(),
        example: true,
        name: None,
        email: None,
        office_name: None,
    })?;
    let root = plan.dir.as_path();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let office = add_people(root, plan.people, &mut rng)?;
    let tz: chrono_tz::Tz = office
        .office
        .timezone
        .parse()
        .map_err(|_| Error::refused("authority.yaml: bad time zone"))?;
    let today = office_now(tz)?.date_naive();

    let policies = sample_policies(root)?;
    let copies = write_policies(root, &policies, plan.policies, today, &mut rng)?;
    let samples = sample_claims(root, tz)?;
    let made = write_claims(
        root,
        &office,
        &samples,
        &copies,
        plan.claims,
        today,
        tz,
        &mut rng,
        step,
    )?;
    let when = office_now(tz)?.to_rfc3339();
    commit(root, plan, made, copies.values().map(Vec::len).sum(), &when)?;
    Ok(Made {
        claims: made,
        policies: copies.values().map(Vec::len).sum(),
        people: office.people.len(),
    })
}

/// People up to `total`, each with a key of their own, written into authority.yaml.
fn add_people(root: &Path, total: usize, rng: &mut StdRng) -> Result<Office> {
    let path = root.join(AUTHORITY_FILE);
    let mut text = std::fs::read_to_string(&path).map_err(|e| Error::io(path.display(), e))?;
    let office = load_office(root)?;
    let mut lines = String::new();
    let mut taken: Vec<String> = office.people.iter().map(|p| p.email.clone()).collect();
    for i in 0..total.saturating_sub(office.people.len()) {
        let (role, specialties) = ROLES[i % ROLES.len()];
        let (name, email) = loop {
            let name = person_name(rng.gen());
            let email = format!(
                "{}@harborpoint.example",
                name.to_lowercase().replace(' ', ".")
            );
            if !taken.contains(&email) {
                break (name, email);
            }
        };
        taken.push(email.clone());
        let (_, public, _) = ensure_key(&email)?;
        lines.push_str(&format!(
            "  - email: {email}\n    signing_key: {public}\n    name: {name}\n    role: {role}\n    phone: (214) 555-{:04}\n",
            2000 + i
        ));
        if !specialties.is_empty() {
            lines.push_str(&format!(
                "    specialties: [{}]\n    max_open_claims: {}\n",
                specialties.join(", "),
                [60, 80, 100, 120][i % 4]
            ));
        }
    }
    let at = text
        .find("\n# ---------------------------------------------------------------------------------------\n# Authority matrix.")
        .ok_or_else(|| Error::environment("authority.yaml: no authority matrix header"))?;
    text.insert_str(
        at + 1,
        &format!("  # Added by claims generate-office\n{lines}\n"),
    );
    std::fs::write(&path, &text).map_err(|e| Error::io(path.display(), e))?;
    let office = load_office(root)?;
    // Let `--as` and git verify the new people, as `claims init --example` does for the sample's.
    let repo = git2::Repository::open(root)?;
    let mut cfg = repo.config()?.open_level(git2::ConfigLevel::Local)?;
    for p in office.people.iter().filter(|p| p.active) {
        let (key, _, _) = ensure_key(&p.email)?;
        cfg.set_str(
            &format!("claims.{}.signingkey", p.email),
            &key.to_string_lossy(),
        )?;
    }
    let allowed = allowed_signers_path(&repo);
    std::fs::write(&allowed, allowed_signers_for(&office))
        .map_err(|e| Error::io(allowed.display(), e))?;
    Ok(office)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path.display(), e))
}

fn sample_policies(root: &Path) -> Result<Vec<(String, Policy)>> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("policies"))
        .map_err(|e| Error::io("policies", e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    for p in paths {
        let text = read(&p)?;
        let policy: Policy = serde_yaml::from_str(&text)
            .map_err(|e| Error::refused(format!("{}: {e}", p.display())))?;
        out.push((text, policy));
    }
    Ok(out)
}

/// A policy copy: its number, its insured, and how many days its dates moved.
#[derive(Clone)]
struct Copy {
    number: String,
    insured: String,
    days: i64,
}

/// `count` policies, spread evenly over the sample policies and over two years; by sample
/// policy number, ordered by how far they moved.
fn write_policies(
    root: &Path,
    samples: &[(String, Policy)],
    count: usize,
    today: NaiveDate,
    rng: &mut StdRng,
) -> Result<HashMap<String, Vec<Copy>>> {
    let mut out: HashMap<String, Vec<Copy>> = HashMap::new();
    for i in 0..count.saturating_sub(samples.len()) {
        let (text, p) = &samples[i % samples.len()];
        // The sample's period, moved to start anywhere from two years before today to today.
        let start =
            today - chrono::Duration::days(SPAN_DAYS + 30 - (i as i64 * SPAN_DAYS) / count as i64);
        let days = (start - p.effective).num_days() + rng.gen_range(-15..=15);
        let mut parts: Vec<&str> = p.number.split('-').collect();
        let year = (p.effective + chrono::Duration::days(days))
            .format("%Y")
            .to_string();
        let serial = format!("{}", 100_000 + i);
        if parts.len() >= 4 {
            parts[2] = &year;
            parts[3] = &serial;
        }
        let number = parts.join("-");
        let old_insured = p.insured.name.clone().unwrap_or_default();
        let insured = if p.insured.organization.is_some() {
            business_name(rng.gen())
        } else {
            person_name(rng.gen())
        };
        let mut pairs = vec![
            (p.number.clone(), number.clone()),
            (old_insured, insured.clone()),
        ];
        if let Some(org) = &p.insured.organization {
            pairs.push((org.clone(), insured.clone()));
        }
        let new_text = shift_dates(&replace_all(text, &pairs), days);
        let path = root.join(Policy::file_path(&number));
        std::fs::write(&path, new_text).map_err(|e| Error::io(path.display(), e))?;
        out.entry(p.number.clone()).or_default().push(Copy {
            number,
            insured,
            days,
        });
    }
    for copies in out.values_mut() {
        copies.sort_by_key(|c| c.days);
    }
    Ok(out)
}

fn sample_claims(root: &Path, tz: chrono_tz::Tz) -> Result<Vec<Sample>> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root.join("claims"))
        .min_depth(3)
        .max_depth(3)
        .sort_by_file_name()
    {
        let e = e.map_err(|e| Error::environment(e.to_string()))?;
        if e.path().extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let text = read(e.path())?;
        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
        let claim = parse_claim_text(&rel.to_string_lossy(), &text)?;
        // A merged duplicate points at a claim its copies would not have.
        if claim.status == Status::Merged {
            continue;
        }
        let mut folder = Vec::new();
        let dir = e.path().with_extension("");
        if dir.is_dir() {
            for f in walkdir::WalkDir::new(&dir).min_depth(1) {
                let f = f.map_err(|e| Error::environment(e.to_string()))?;
                if f.file_type().is_file() {
                    let bytes =
                        std::fs::read(f.path()).map_err(|e| Error::io(f.path().display(), e))?;
                    let rel = f.path().strip_prefix(&dir).unwrap_or(f.path());
                    folder.push((rel.to_string_lossy().replace('\\', "/"), bytes));
                }
            }
        }
        let received = claim.received_at.with_timezone(&tz).date_naive();
        let last = claim
            .history
            .iter()
            .map(|h| h.at.with_timezone(&tz).date_naive())
            .max()
            .unwrap_or(received);
        out.push(Sample {
            span: (last - received).num_days(),
            text,
            claim,
            folder,
        });
    }
    Ok(out)
}

/// Weights of each status among claims received `age` days ago: the old mostly closed, the
/// recent mostly open.
fn stage_weight(status: Status, age: i64) -> u32 {
    use Status::*;
    let (old, mid, new) = match status {
        Closed => (55, 25, 5),
        Denied => (12, 8, 0),
        Settled => (6, 8, 2),
        Investigating => (15, 35, 30),
        SettlementPending => (5, 10, 5),
        DenialRecommended => (2, 4, 5),
        Assigned => (2, 6, 25),
        NoPolicyFound => (1, 2, 5),
        Triaged => (0, 1, 10),
        Reported => (0, 1, 10),
        Incomplete => (0, 0, 5),
        _ => (0, 0, 0),
    };
    match age {
        a if a > 180 => old,
        a if a > 30 => mid,
        _ => new,
    }
}

#[allow(clippy::too_many_arguments)]
fn write_claims(
    root: &Path,
    office: &Office,
    samples: &[Sample],
    copies: &HashMap<String, Vec<Copy>>,
    count: usize,
    today: NaiveDate,
    tz: chrono_tz::Tz,
    rng: &mut StdRng,
    step: &dyn Fn(),
) -> Result<usize> {
    let by_role = |role: &str| -> Vec<String> {
        office
            .people
            .iter()
            .filter(|p| p.active && p.role == role)
            .map(|p| p.email.clone())
            .collect()
    };
    let roles: HashMap<String, Vec<String>> = office
        .roles
        .iter()
        .map(|r| (r.id.clone(), by_role(&r.id)))
        .collect();
    let existing = samples.len() + 1;
    // A stage's weight is shared among the samples at that stage.
    let shares: Vec<u32> = samples
        .iter()
        .map(|s| same_status(samples, s.claim.status))
        .collect();
    let mut made = 0;
    for _ in 0..count.saturating_sub(existing) {
        let age = rng.gen_range(1..=SPAN_DAYS);
        let weights: Vec<u32> = samples
            .iter()
            .zip(&shares)
            .map(|(s, share)| stage_weight(s.claim.status, age) * 12 / share)
            .collect();
        let total: u32 = weights.iter().sum();
        let mut pick = rng.gen_range(0..total.max(1));
        let sample = samples
            .iter()
            .zip(&weights)
            .find(|(_, w)| {
                if pick < **w {
                    true
                } else {
                    pick -= **w;
                    false
                }
            })
            .map(|(s, _)| s)
            .unwrap_or(&samples[0]);
        let received = sample.claim.received_at.with_timezone(&tz).date_naive();
        let target = today - chrono::Duration::days(age.max(sample.span + 1));
        let days = (target - received).num_days();
        write_claim(root, office, sample, copies, &roles, days, tz, rng)?;
        made += 1;
        step();
    }
    Ok(made)
}

fn same_status(samples: &[Sample], status: Status) -> u32 {
    samples
        .iter()
        .filter(|s| s.claim.status == status)
        .count()
        .max(1) as u32
}

#[allow(clippy::too_many_arguments)]
fn write_claim(
    root: &Path,
    office: &Office,
    sample: &Sample,
    copies: &HashMap<String, Vec<Copy>>,
    roles: &HashMap<String, Vec<String>>,
    days: i64,
    tz: chrono_tz::Tz,
    rng: &mut StdRng,
) -> Result<()> {
    let c = &sample.claim;
    let received = (c.received_at + chrono::Duration::days(days))
        .with_timezone(&tz)
        .date_naive();
    let id = ClaimId::generate(&office.office.claim_id_prefix, received, rng);
    let mut pairs = vec![(c.id.clone(), id.to_string())];
    // The policy copy whose period moved closest to the claim's dates.
    if let Some(list) = c.policy_number.as_ref().and_then(|n| copies.get(n)) {
        let near = list.partition_point(|p| p.days < days).min(list.len() - 1);
        let copy = &list[near];
        pairs.push((
            c.policy_number.clone().unwrap_or_default(),
            copy.number.clone(),
        ));
        if let Some(name) = c.insured.as_ref().and_then(|p| p.name.clone()) {
            pairs.push((name, copy.insured.clone()));
        }
    }
    // People of the same role, a different one for each person on the sample.
    let mut used: Vec<String> = Vec::new();
    for p in office.people.iter().filter(|p| p.active) {
        if !sample.text.contains(&p.email) {
            continue;
        }
        let pool: Vec<&String> = roles
            .get(&p.role)
            .map(|v| v.iter().filter(|e| !used.contains(e)).collect())
            .unwrap_or_default();
        let to = if pool.is_empty() {
            p.email.clone()
        } else {
            pool[rng.gen_range(0..pool.len())].clone()
        };
        used.push(to.clone());
        if to != p.email {
            let other = office.person(&to).expect("picked from the office's people");
            pairs.push((p.email.clone(), to.clone()));
            pairs.push((p.name.clone(), other.name.clone()));
            if let (Some(a), Some(b)) = (&p.phone, &other.phone) {
                pairs.push((a.clone(), b.clone()));
            }
        }
    }
    let text = shift_dates(&replace_all(&sample.text, &pairs), days);
    let rel = office.claim_file(&id);
    let mut claim = parse_claim_text(&rel, &text)?;
    // The duplicates folded into the sample are not copied.
    claim.merged.clear();
    let path = root.join(&rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    }
    let yaml = to_canonical_yaml(&claim).map_err(|e| Error::environment(e.to_string()))?;
    std::fs::write(&path, yaml).map_err(|e| Error::io(path.display(), e))?;
    for (file, bytes) in &sample.folder {
        let dest = root.join(office.claim_folder(&id)).join(file);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
        }
        let out = match std::str::from_utf8(bytes) {
            Ok(t) => shift_dates(&replace_all(t, &pairs), days).into_bytes(),
            Err(_) => bytes.clone(),
        };
        std::fs::write(&dest, out).map_err(|e| Error::io(dest.display(), e))?;
    }
    Ok(())
}

/// One signed commit of everything, by the office's actor (git signs with the key
/// `claims init` configured), dated `when` (the office's clock, so a fixed `CLAIMS_NOW` lets
/// the tool's own commits follow it).
fn commit(root: &Path, plan: &Plan, claims: usize, policies: usize, when: &str) -> Result<()> {
    let git = |args: &[&str]| -> Result<()> {
        let out = std::process::Command::new("git")
            .current_dir(root)
            .env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when)
            .args(args)
            .output()
            .map_err(|e| Error::environment(format!("git: {e}")))?;
        if !out.status.success() {
            return Err(Error::environment(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        Ok(())
    };
    let repo = git2::Repository::open(root)?;
    let cfg = repo.config()?;
    let actor = cfg.get_string("user.email").unwrap_or_default();
    let role = load_office(root)?
        .person(&actor)
        .map(|p| p.role.clone())
        .unwrap_or_default();
    git(&["add", "-A"])?;
    let message = format!(
        "generate-office: synthetic office (seed {}): {claims} claims, {policies} policies, {} people\n\nCommand: generate-office\nActor: {actor}\nRole: {role}\n",
        plan.seed, plan.people
    );
    git(&["commit", "-q", "-S", "-m", &message])
}
