//! Quality control of claim files: the reproducible random sample a reviewer works from, the
//! review's fail codes, and the error rate with its confidence interval. No I/O.
//!
//! - [`draw`]: the population is the claims' ids sorted; a seed drives ChaCha8
//!   (`rand_chacha`, the same stream on every platform) through `rand::seq::index::sample`,
//!   whose values rand keeps stable within a version (Cargo.lock pins it; a unit test holds
//!   the numbers, so an upgrade that changes them fails it). Same seed, same population → the
//!   same sample.
//! - [`wilson`]: the Wilson score interval, which stays inside [0, 1] and behaves at the
//!   small counts and low rates a QC sample has (the normal approximation does not).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// How many to draw: a count, or a percentage of the population (rounded up, so that a
/// percentage of a non-empty population is never an empty sample).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleSize {
    Count(usize),
    Percent(Decimal),
}

impl SampleSize {
    /// The number to draw from `population` claims: never more than the population.
    pub fn of(self, population: usize) -> usize {
        let n = match self {
            SampleSize::Count(n) => n,
            SampleSize::Percent(p) => {
                let exact = Decimal::from(population) * p / Decimal::from(100);
                usize::try_from(exact.ceil()).unwrap_or(population)
            }
        };
        n.min(population)
    }

    /// Refuses a size no sample can have: 0, or a percentage outside (0, 100].
    pub fn validate(self) -> Result<(), String> {
        match self {
            SampleSize::Count(0) => Err("--size must be at least 1".into()),
            SampleSize::Percent(p) if p <= Decimal::ZERO || p > Decimal::from(100) => Err(format!(
                "--percent {p} is not a percentage of the population (over 0, at most 100)"
            )),
            _ => Ok(()),
        }
    }
}

/// The positions (0-based, ascending) of the claims drawn from a population of `population`
/// sorted by id: `size` of them, all of them when `size` is larger.
pub fn draw(population: usize, size: usize, seed: u64) -> Vec<usize> {
    let size = size.min(population);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut picked = rand::seq::index::sample(&mut rng, population, size).into_vec();
    picked.sort_unstable();
    picked
}

/// The items of `population` (sorted by the caller, by id) that [`draw`] picks.
pub fn sample<T: Clone>(population: &[T], size: SampleSize, seed: u64) -> Vec<T> {
    draw(population.len(), size.of(population.len()), seed)
        .into_iter()
        .map(|i| population[i].clone())
        .collect()
}

/// The longest fail code.
pub const MAX_CODE_CHARS: usize = 40;

/// Refuses a fail code that is not uppercase letters, digits and dashes (`QC-LATE-CONTACT`),
/// starting with a letter, at most [`MAX_CODE_CHARS`] long.
pub fn validate_code(code: &str) -> Result<(), String> {
    let ok = code.len() <= MAX_CODE_CHARS
        && code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !code.ends_with('-')
        && !code.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "fail code `{code}` is not one: uppercase letters, digits and single dashes, starting with a letter, at most {MAX_CODE_CHARS} characters (QC-LATE-CONTACT)"
        ))
    }
}

/// The sample a review was drawn in, as `claims sample` words it: `seed=N` and the filters
/// (`seed=42 size=10 status=closed`).
pub fn sample_spec(seed: u64, size: SampleSize, filters: &[(String, String)]) -> String {
    let mut words = vec![format!("seed={seed}")];
    words.push(match size {
        SampleSize::Count(n) => format!("size={n}"),
        SampleSize::Percent(p) => format!("percent={}", p.normalize()),
    });
    words.extend(filters.iter().map(|(k, v)| format!("{k}={v}")));
    words.join(" ")
}

/// A sample spec read back: the seed, the size and the filters; `None` when it names no seed
/// or no size. A word without `=` continues the value before it (`agent=Lone Star`).
pub fn parse_spec(spec: &str) -> Option<SampleSpec> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for w in spec.split_whitespace() {
        match (w.split_once('='), pairs.last_mut()) {
            (Some((k, v)), _) => pairs.push((k.to_string(), v.to_string())),
            (None, Some((_, v))) => {
                v.push(' ');
                v.push_str(w);
            }
            (None, None) => return None,
        }
    }
    let mut seed = None;
    let mut size = None;
    let mut filters = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "seed" => seed = Some(v.parse().ok()?),
            "size" => size = Some(SampleSize::Count(v.parse().ok()?)),
            "percent" => size = Some(SampleSize::Percent(v.parse().ok()?)),
            _ => filters.push((k, v)),
        }
    }
    Some(SampleSpec {
        seed: seed?,
        size: size?,
        filters,
    })
}

/// A sample as its spec names it: the seed, the size, the filters (flag, value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleSpec {
    pub seed: u64,
    pub size: SampleSize,
    pub filters: Vec<(String, String)>,
}

/// The seed a sample spec names (`seed=N`), if any.
pub fn spec_seed(spec: &str) -> Option<u64> {
    spec.split_whitespace()
        .find_map(|w| w.strip_prefix("seed="))
        .and_then(|s| s.parse().ok())
}

/// The 95% two-sided normal quantile.
pub const Z95: f64 = 1.96;

/// The Wilson score interval of `failed` out of `reviewed` at the normal quantile `z`:
/// (low, high), each within [0, 1]; `None` of no reviews.
///
/// With p = failed / n: centre (p + z²/2n) / (1 + z²/n), half-width
/// z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²).
pub fn wilson(failed: u64, reviewed: u64, z: f64) -> Option<(f64, f64)> {
    if reviewed == 0 || failed > reviewed {
        return None;
    }
    let n = reviewed as f64;
    let p = failed as f64 / n;
    let z2 = z * z;
    let d = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / d;
    let half = z / d * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("CLM-{i:04}")).collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_sample() {
        let pop = ids(500);
        let a = sample(&pop, SampleSize::Count(25), 42);
        let b = sample(&pop, SampleSize::Count(25), 42);
        assert_eq!(a, b);
        assert_eq!(a.len(), 25);
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, a, "sorted, no repeats");
    }

    #[test]
    fn another_seed_draws_another_sample() {
        let pop = ids(500);
        assert_ne!(
            sample(&pop, SampleSize::Count(25), 42),
            sample(&pop, SampleSize::Count(25), 43)
        );
    }

    #[test]
    fn the_values_are_pinned() {
        // ChaCha8 and rand's index sampling, as Cargo.lock pins them: a change here changes
        // every sample an office has drawn, so it must be a deliberate one.
        assert_eq!(draw(100, 5, 42), PINNED);
        // Floyd's, in-place and rejection sampling are each used at some size.
        assert_eq!(draw(20, 15, 7).len(), 15);
        assert_eq!(draw(100_000, 200, 7).len(), 200);
    }

    const PINNED: [usize; 5] = [14, 21, 66, 77, 94];

    #[test]
    fn more_than_the_population_is_the_whole_population() {
        let pop = ids(7);
        assert_eq!(sample(&pop, SampleSize::Count(50), 1), pop);
        assert_eq!(
            sample(&pop, SampleSize::Percent(Decimal::from(100)), 1),
            pop
        );
        assert!(sample(&ids(0), SampleSize::Count(3), 1).is_empty());
    }

    #[test]
    fn a_percentage_rounds_up() {
        let p = |s: &str| SampleSize::Percent(s.parse().unwrap());
        assert_eq!(p("10").of(41), 5); // 4.1 → 5
        assert_eq!(p("10").of(40), 4);
        assert_eq!(p("1").of(3), 1); // 0.03 → 1
        assert_eq!(p("2.5").of(200), 5);
        assert_eq!(p("0.5").of(0), 0);
        assert!(p("0").validate().is_err());
        assert!(p("101").validate().is_err());
        assert!(SampleSize::Count(0).validate().is_err());
        assert!(p("100").validate().is_ok());
    }

    #[test]
    fn fail_codes() {
        for ok in ["QC-LATE-CONTACT", "QC1", "RESERVE-2", &"A".repeat(40)] {
            assert!(validate_code(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "qc-late",
            "QC LATE",
            "-QC",
            "QC-",
            "QC--LATE",
            "1QC",
            "QC_LATE",
            "QÉ",
            &"A".repeat(41),
        ] {
            assert!(validate_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn specs_name_their_seed() {
        let s = sample_spec(
            42,
            SampleSize::Percent("2.50".parse().unwrap()),
            &[("status".into(), "closed".into())],
        );
        assert_eq!(s, "seed=42 percent=2.5 status=closed");
        assert_eq!(spec_seed(&s), Some(42));
        assert_eq!(spec_seed("size=3"), None);
        let agent = sample_spec(
            7,
            SampleSize::Count(3),
            &[("agent".into(), "Lone Star Agency".into())],
        );
        assert_eq!(
            parse_spec(&agent),
            Some(SampleSpec {
                seed: 7,
                size: SampleSize::Count(3),
                filters: vec![("agent".into(), "Lone Star Agency".into())]
            })
        );
        assert_eq!(
            parse_spec(&s).map(|p| p.size),
            Some(SampleSize::Percent("2.5".parse().unwrap()))
        );
        assert_eq!(parse_spec("seed=1"), None);
        assert_eq!(parse_spec("size=1"), None);
    }

    #[test]
    fn wilson_interval_by_hand() {
        // 3 fails of 40: p = 0.075; z = 1.96, z² = 3.8416, z²/n = 0.09604, d = 1.09604;
        // centre = (0.075 + 0.04802) / 1.09604 = 0.112241; half = 1.96 / 1.09604 ·
        // √(0.075 · 0.925 / 40 + 3.8416 / 6400) = 1.788256 · √0.0023345 = 0.086405;
        // [0.025836, 0.198645] (checked independently as the roots of
        // (p̂ − p)² = z² p (1 − p) / n).
        let (lo, hi) = wilson(3, 40, Z95).unwrap();
        assert!((lo - 0.025836).abs() < 1e-6, "{lo}");
        assert!((hi - 0.198645).abs() < 1e-6, "{hi}");
        let (lo, hi) = wilson(0, 10, Z95).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.277540).abs() < 1e-6, "{hi}");
        let (lo, hi) = wilson(10, 10, Z95).unwrap();
        assert!((lo - 0.722460).abs() < 1e-6, "{lo}");
        assert_eq!(hi, 1.0);
        assert_eq!(wilson(0, 0, Z95), None);
        assert_eq!(wilson(3, 2, Z95), None);
    }
}
