//! Claim identifiers: `CLM-2611-7K3F-QM2X`.
//!
//! An office prefix (2-6 upper-case letters, default `CLM`), the two-digit year and month the
//! claim was received, then 40 random bits written as 8 Crockford base32 characters, grouped
//! 4-4 to read over the phone. The id says where the claim's file lives
//! (`claims/2026/11/CLM-2611-7K3F-QM2X.yaml`, or `claims/2026/11/7K/CLM-2611-7K3F-QM2X.yaml`
//! in an office filing by shard: [`ClaimFolders`]), and clones of the office repository can create
//! claims without coordinating: two ids collide only if the prefix, month and all 40 random
//! bits agree (about a 1-in-2,000 chance for an office that receives 50,000 claims in one
//! month, so the writer should still refuse to overwrite an existing file and draw again).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The prefix used when the office configures none.
pub const DEFAULT_PREFIX: &str = "CLM";

/// Crockford's base32 alphabet (no I, L, O, U).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random characters in an id (5 bits each: 40 bits).
const RANDOM_CHARS: usize = 8;

/// Why a string is not a claim id (or a prefix/date cannot make one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimIdError {
    #[error(
        "claim id {input:?} should look like CLM-2611-7K3F-QM2X: office prefix, year and \
         month received, then 8 characters"
    )]
    Shape { input: String },
    #[error("office prefix {prefix:?} must be 2 to 6 letters A-Z")]
    Prefix { prefix: String },
    #[error("claim id {input:?}: \"{yymm}\" should be the two-digit year and month received")]
    YearMonth { input: String, yymm: String },
    #[error("claim id {input:?}: month {month:02} does not exist")]
    Month { input: String, month: u32 },
    #[error("claim id {input:?}: the part after the date must be 8 characters, found {found}")]
    RandomLength { input: String, found: usize },
    #[error(
        "claim id {input:?}: '{character}' cannot appear after the date (the letter U is \
         never used)"
    )]
    RandomCharacter { input: String, character: char },
    #[error("a claim received in {year} cannot get an id: ids hold years 2000 to 2099")]
    YearOutOfRange { year: i32 },
}

/// A claim identifier in canonical form (upper case, hyphenated `PREFIX-YYMM-XXXX-XXXX`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClaimId(String);

/// Checks an office prefix: 2 to 6 ASCII upper-case letters.
pub fn check_prefix(prefix: &str) -> Result<(), ClaimIdError> {
    if (2..=6).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ClaimIdError::Prefix {
            prefix: prefix.to_string(),
        })
    }
}

impl ClaimId {
    /// A new random id for a claim received on `received`.
    ///
    /// # Panics
    /// If `prefix` is not 2-6 letters A-Z (check the office setting with [`check_prefix`]
    /// when loading it) or `received` is outside 2000-2099. Use [`ClaimId::try_generate`] to
    /// get an error instead.
    pub fn generate(prefix: &str, received: NaiveDate, rng: &mut impl rand::RngCore) -> ClaimId {
        match Self::try_generate(prefix, received, rng) {
            Ok(id) => id,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`ClaimId::generate`], returning an error for a bad prefix or a year outside 2000-2099.
    pub fn try_generate(
        prefix: &str,
        received: NaiveDate,
        rng: &mut impl rand::RngCore,
    ) -> Result<ClaimId, ClaimIdError> {
        check_prefix(prefix)?;
        let year = received.year();
        if !(2000..=2099).contains(&year) {
            return Err(ClaimIdError::YearOutOfRange { year });
        }
        let bits = rng.next_u64() & ((1u64 << 40) - 1);
        let mut random = [0u8; RANDOM_CHARS];
        for (i, slot) in random.iter_mut().enumerate() {
            let shift = 5 * (RANDOM_CHARS - 1 - i);
            *slot = CROCKFORD[((bits >> shift) & 31) as usize];
        }
        Ok(Self::assemble(
            prefix,
            (year - 2000) as u32,
            received.month(),
            &random,
        ))
    }

    fn assemble(prefix: &str, yy: u32, mm: u32, random: &[u8; RANDOM_CHARS]) -> ClaimId {
        let random = std::str::from_utf8(random).unwrap_or_default();
        ClaimId(format!(
            "{prefix}-{yy:02}{mm:02}-{}-{}",
            &random[..4],
            &random[4..]
        ))
    }

    /// The canonical id, e.g. `CLM-2611-7K3F-QM2X`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The office prefix, e.g. `CLM`.
    pub fn prefix(&self) -> &str {
        &self.0[..self.0.len() - 15]
    }

    /// `YYMM` as it appears in the id.
    fn yymm(&self) -> &str {
        let start = self.0.len() - 14;
        &self.0[start..start + 4]
    }

    /// The year the claim was received (2000 + YY).
    pub fn year(&self) -> i32 {
        2000 + self.yymm()[..2].parse::<i32>().unwrap_or(0)
    }

    /// The month the claim was received (1-12).
    pub fn month(&self) -> u32 {
        self.yymm()[2..].parse().unwrap_or(0)
    }

    /// The claim file, relative to the repository root, where `folders` files it:
    /// `claims/2026/11/CLM-2611-7K3F-QM2X.yaml` (by month) or
    /// `claims/2026/11/7K/CLM-2611-7K3F-QM2X.yaml` (by month and shard).
    pub fn file_path(&self, folders: ClaimFolders) -> String {
        format!("{}.yaml", self.folder(folders))
    }

    /// The claim's folder (its `letters/` and `attachments/`), relative to the repository
    /// root: `claims/2026/11/CLM-2611-7K3F-QM2X` (by month) or
    /// `claims/2026/11/7K/CLM-2611-7K3F-QM2X` (by month and shard).
    pub fn folder(&self, folders: ClaimFolders) -> String {
        format!("{}/{}", self.parent(folders), self.0)
    }

    /// The folder holding the claim's file and folder: `claims/2026/11` or
    /// `claims/2026/11/7K`.
    pub fn parent(&self, folders: ClaimFolders) -> String {
        match folders {
            ClaimFolders::Month => format!("claims/{:04}/{:02}", self.year(), self.month()),
            ClaimFolders::Shard => format!(
                "claims/{:04}/{:02}/{}",
                self.year(),
                self.month(),
                self.shard()
            ),
        }
    }

    /// Whether `path` is this claim's file, however an office files claims.
    pub fn is_file(&self, path: &str) -> bool {
        ClaimFolders::ALL.iter().any(|f| path == self.file_path(*f))
    }

    /// Whether `path` is this claim's file or lies in its folder, however an office files
    /// claims (one claim's history spans a `claims migrate`).
    pub fn owns(&self, path: &str) -> bool {
        ClaimFolders::ALL.iter().any(|f| {
            path == self.file_path(*f)
                || path
                    .strip_prefix(&self.folder(*f))
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// The shard: the first two characters after the date (`7K` of `CLM-2611-7K3F-QM2X`).
    pub fn shard(&self) -> &str {
        let start = self.0.len() - 9;
        &self.0[start..start + 2]
    }
}

/// How an office files its claims under `claims/` (authority.yaml's `office.claim_folders`).
///
/// By month, a month's folder holds every claim received that month; a catastrophe month of
/// 50,000 claims makes a folder git must copy and hash whole for every commit that touches
/// one of them. By month and shard, the month holds at most 1,024 shard folders named by the
/// first two characters of the id's random part, each a thousandth of the month — and the id
/// still says where its file lives. `claims migrate` moves an office from one to the other in
/// one commit.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ClaimFolders {
    /// `claims/YYYY/MM/ID.yaml` (the default: offices made before shards existed).
    #[default]
    Month,
    /// `claims/YYYY/MM/XX/ID.yaml`, XX the first two characters after the date.
    Shard,
}

impl ClaimFolders {
    pub const ALL: [ClaimFolders; 2] = [ClaimFolders::Month, ClaimFolders::Shard];

    /// How many folders below `claims/` a claim file lies: 3 or 4.
    pub fn depth(self) -> usize {
        match self {
            ClaimFolders::Month => 3,
            ClaimFolders::Shard => 4,
        }
    }

    /// The setting's word in authority.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimFolders::Month => "month",
            ClaimFolders::Shard => "shard",
        }
    }

    pub fn is_month(&self) -> bool {
        *self == ClaimFolders::Month
    }
}

/// Whether a folder under a month is a shard's (two characters an id can hold after its
/// date), not a claim's own folder.
pub fn is_shard_name(name: &str) -> bool {
    name.len() == 2 && name.bytes().all(|b| CROCKFORD.contains(&b))
}

/// What a path under `claims/` is: claim `id`'s file (`Record`) or a file in its folder
/// (`InFolder`), filed by month (`claims/YYYY/MM/ID...`) or by shard (`claims/YYYY/MM/XX/ID...`).
/// Names the id as the path spells it, without checking it is one.
pub fn claim_in_path(path: &str) -> Option<(&str, ClaimPath)> {
    let mut parts = path.strip_prefix("claims/")?.splitn(4, '/');
    let (_year, _month) = (parts.next()?, parts.next()?);
    let mut name = parts.next()?;
    let mut rest = parts.next();
    if is_shard_name(name) {
        let mut deeper = rest?.splitn(2, '/');
        name = deeper.next()?;
        rest = deeper.next();
    }
    match rest {
        None => Some((name.strip_suffix(".yaml")?, ClaimPath::Record)),
        Some(_) => Some((name, ClaimPath::InFolder)),
    }
}

/// See [`claim_in_path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimPath {
    Record,
    InFolder,
}

impl FromStr for ClaimFolders {
    type Err = String;

    fn from_str(s: &str) -> Result<ClaimFolders, String> {
        match s {
            "month" => Ok(ClaimFolders::Month),
            "shard" => Ok(ClaimFolders::Shard),
            other => Err(format!(
                "claim folders are `month` or `shard`, not `{other}`"
            )),
        }
    }
}

impl fmt::Display for ClaimFolders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Crockford decoding of one character after the prefix: confusables to their digit.
fn normalize(c: char) -> char {
    match c {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    }
}

impl FromStr for ClaimId {
    type Err = ClaimIdError;

    /// Parses an id as a person may type or read it: any case, spaces anywhere, O for 0 and
    /// I or L for 1 after the prefix, hyphens optional after the date (Crockford style). The
    /// result is canonical, so `id.as_str()` may differ from the input.
    fn from_str(s: &str) -> Result<ClaimId, ClaimIdError> {
        let input = s.to_string();
        let cleaned: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let Some((prefix, rest)) = cleaned.split_once('-') else {
            return Err(ClaimIdError::Shape { input });
        };
        check_prefix(prefix)?;
        let rest: Vec<char> = rest.chars().filter(|&c| c != '-').map(normalize).collect();
        if rest.len() < 4 {
            return Err(ClaimIdError::Shape { input });
        }
        let yymm: String = rest[..4].iter().collect();
        if !yymm.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ClaimIdError::YearMonth { input, yymm });
        }
        let yy: u32 = yymm[..2].parse().unwrap_or(0);
        let mm: u32 = yymm[2..].parse().unwrap_or(0);
        if !(1..=12).contains(&mm) {
            return Err(ClaimIdError::Month { input, month: mm });
        }
        let random_part = &rest[4..];
        if let Some(&character) = random_part
            .iter()
            .find(|&&c| !c.is_ascii() || !CROCKFORD.contains(&(c as u8)))
        {
            return Err(ClaimIdError::RandomCharacter { input, character });
        }
        if random_part.len() != RANDOM_CHARS {
            return Err(ClaimIdError::RandomLength {
                input,
                found: random_part.len(),
            });
        }
        let mut random = [0u8; RANDOM_CHARS];
        for (slot, &c) in random.iter_mut().zip(random_part) {
            *slot = c as u8;
        }
        Ok(Self::assemble(prefix, yy, mm, &random))
    }
}

impl fmt::Display for ClaimId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ClaimId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for ClaimId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ClaimId {
    /// Parses with [`FromStr`] (validates and normalises).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ClaimId, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use std::collections::HashSet;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn paths_name_their_claim_however_filed() {
        let id = "CLM-2611-7K3F-QM2X";
        for (path, want) in [
            (
                "claims/2026/11/CLM-2611-7K3F-QM2X.yaml",
                Some((id, ClaimPath::Record)),
            ),
            (
                "claims/2026/11/7K/CLM-2611-7K3F-QM2X.yaml",
                Some((id, ClaimPath::Record)),
            ),
            (
                "claims/2026/11/CLM-2611-7K3F-QM2X/letters/a.txt",
                Some((id, ClaimPath::InFolder)),
            ),
            (
                "claims/2026/11/7K/CLM-2611-7K3F-QM2X/letters/a.txt",
                Some((id, ClaimPath::InFolder)),
            ),
            ("claims/2026/11/7K", None),
            ("claims/2026/11/notes.txt", None),
            ("claims/README", None),
            ("policies/P-1.yaml", None),
        ] {
            assert_eq!(claim_in_path(path), want, "{path}");
        }
        let parsed: ClaimId = id.parse().unwrap();
        assert!(parsed.owns("claims/2026/11/7K/CLM-2611-7K3F-QM2X/letters/a.txt"));
        assert!(parsed.owns("claims/2026/11/CLM-2611-7K3F-QM2X.yaml"));
        assert!(!parsed.owns("claims/2026/11/CLM-2611-7K3F-QM2XY.yaml"));
        assert!(!parsed.owns("claims/2026/11/CLM-2611-7K3F-QM2Xletters"));
        assert!(is_shard_name("7K") && !is_shard_name("7k") && !is_shard_name("7KU"));
    }

    #[test]
    fn generated_ids_parse_back_and_name_their_month() {
        let mut rng = StdRng::seed_from_u64(7);
        for (prefix, received) in [
            ("CLM", d(2026, 11, 16)),
            ("NYPC", d(2027, 1, 1)),
            ("AB", d(2000, 12, 31)),
            ("ABCDEF", d(2099, 6, 30)),
        ] {
            for _ in 0..1000 {
                let id = ClaimId::generate(prefix, received, &mut rng);
                let s = id.as_str();
                assert_eq!(s.len(), prefix.len() + 15, "{s}");
                assert_eq!(id.prefix(), prefix);
                assert_eq!(id.year(), received.year());
                assert_eq!(id.month(), received.month());
                let parsed: ClaimId = s.parse().unwrap();
                assert_eq!(parsed, id);
                let month = ClaimFolders::Month;
                assert_eq!(
                    id.folder(month),
                    format!("claims/{}/{:02}/{s}", received.year(), received.month())
                );
                assert_eq!(id.file_path(month), format!("{}.yaml", id.folder(month)));
                let shard = &s[prefix.len() + 6..prefix.len() + 8];
                assert_eq!(
                    id.folder(ClaimFolders::Shard),
                    format!(
                        "claims/{}/{:02}/{shard}/{s}",
                        received.year(),
                        received.month()
                    )
                );
            }
        }
        let id: ClaimId = "CLM-2611-7K3F-QM2X".parse().unwrap();
        assert_eq!(
            id.file_path(ClaimFolders::Month),
            "claims/2026/11/CLM-2611-7K3F-QM2X.yaml"
        );
        assert_eq!(
            id.folder(ClaimFolders::Month),
            "claims/2026/11/CLM-2611-7K3F-QM2X"
        );
        assert_eq!(
            id.file_path(ClaimFolders::Shard),
            "claims/2026/11/7K/CLM-2611-7K3F-QM2X.yaml"
        );
        assert_eq!(id.shard(), "7K");
        let long: ClaimId = "ABCDEF-2611-Q2X9-0000".parse().unwrap();
        assert_eq!(long.parent(ClaimFolders::Shard), "claims/2026/11/Q2");
        assert_eq!(id.to_string(), "CLM-2611-7K3F-QM2X");
        assert_eq!(
            ClaimId::generate("CLM", d(2026, 3, 2), &mut rng).as_str()[..9],
            *"CLM-2603-"
        );
    }

    #[test]
    fn uses_all_40_bits() {
        // All-zero and all-one random words give the extreme ids.
        struct Fixed(u64);
        impl rand::RngCore for Fixed {
            fn next_u32(&mut self) -> u32 {
                self.0 as u32
            }
            fn next_u64(&mut self) -> u64 {
                self.0
            }
            fn fill_bytes(&mut self, dest: &mut [u8]) {
                dest.fill(0)
            }
            fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
                dest.fill(0);
                Ok(())
            }
        }
        let day = d(2026, 11, 1);
        assert_eq!(
            ClaimId::generate("CLM", day, &mut Fixed(0)).as_str(),
            "CLM-2611-0000-0000"
        );
        assert_eq!(
            ClaimId::generate("CLM", day, &mut Fixed(u64::MAX)).as_str(),
            "CLM-2611-ZZZZ-ZZZZ"
        );
        // The low 40 bits of 0xFF01_2345_6789 are 0x01_2345_6789, in binary
        // 0000000100100011010001010110011110001001; in groups of five bits:
        // 00000=0 00100=4 10001=17=H 10100=20=M 01010=10=A 11001=25=S 11100=28=W 01001=9.
        assert_eq!(
            ClaimId::generate("CLM", day, &mut Fixed(0xFF01_2345_6789)).as_str(),
            "CLM-2611-04HM-ASW9"
        );
    }

    #[test]
    fn no_collision_in_100_000_ids_of_one_month() {
        // Chance of any collision among 100,000 draws of 40 bits: about n^2 / 2^41 = 0.5%;
        // the seeded generator makes the test deterministic.
        let mut rng = StdRng::seed_from_u64(20261116);
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let id = ClaimId::generate("CLM", d(2026, 11, 16), &mut rng);
            assert!(seen.insert(id.clone()), "collision: {id}");
        }
        // And with the operating system's generator.
        let mut rng = rand::thread_rng();
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            assert!(seen.insert(ClaimId::generate("CLM", d(2026, 11, 16), &mut rng)));
        }
    }

    #[test]
    fn normalises_case_spaces_and_confusables() {
        for input in [
            "CLM-2611-7K3F-QM2X",
            "clm-2611-7k3f-qm2x",
            " CLM - 2611 - 7K3F - QM2X ",
            "CLM-2611 7K3F QM2X",
            "CLM-2611-7K3FQM2X",
        ] {
            assert_eq!(
                input.parse::<ClaimId>().unwrap().as_str(),
                "CLM-2611-7K3F-QM2X",
                "{input}"
            );
        }
        // O -> 0, I and L -> 1, in the date and the random part; the prefix keeps its letters.
        assert_eq!(
            "clm-26Il-OKIF-LMOX".parse::<ClaimId>().unwrap().as_str(),
            "CLM-2611-0K1F-1M0X"
        );
        assert_eq!(
            "LIO-2O01-0000-0000".parse::<ClaimId>().unwrap().as_str(),
            "LIO-2001-0000-0000"
        );
    }

    #[test]
    fn rejects_bad_ids() {
        let err = |s: &str| s.parse::<ClaimId>().unwrap_err();
        assert!(matches!(
            err("CLM-2613-7K3F-QM2X"),
            ClaimIdError::Month { month: 13, .. }
        ));
        assert!(matches!(
            err("CLM-2600-7K3F-QM2X"),
            ClaimIdError::Month { month: 0, .. }
        ));
        assert!(matches!(
            err("CLM-2611-7K3F-QM2"),
            ClaimIdError::RandomLength { found: 7, .. }
        ));
        assert!(matches!(
            err("CLM-2611-7K3F-QM2XX"),
            ClaimIdError::RandomLength { found: 9, .. }
        ));
        assert!(matches!(
            err("CLM-2611-7K3F-QM2U"),
            ClaimIdError::RandomCharacter { character: 'U', .. }
        ));
        assert!(matches!(
            err("CLM-2611-7K3F-QM2*"),
            ClaimIdError::RandomCharacter { character: '*', .. }
        ));
        assert!(matches!(
            err("CLM-26A1-7K3F-QM2X"),
            ClaimIdError::YearMonth { .. }
        ));
        assert!(matches!(
            err("C-2611-7K3F-QM2X"),
            ClaimIdError::Prefix { .. }
        ));
        assert!(matches!(
            err("CLAIMSX-2611-7K3F-QM2X"),
            ClaimIdError::Prefix { .. }
        ));
        assert!(matches!(
            err("CL1-2611-7K3F-QM2X"),
            ClaimIdError::Prefix { .. }
        ));
        assert!(matches!(err("CLM26117K3FQM2X"), ClaimIdError::Shape { .. }));
        assert!(matches!(err(""), ClaimIdError::Shape { .. }));
        assert!(matches!(err("CLM-26"), ClaimIdError::Shape { .. }));
        assert!(err("CLM-2613-7K3F-QM2X").to_string().contains("month 13"));
    }

    #[test]
    fn generate_checks_prefix_and_year() {
        let mut rng = StdRng::seed_from_u64(1);
        assert!(matches!(
            ClaimId::try_generate("clm", d(2026, 1, 1), &mut rng),
            Err(ClaimIdError::Prefix { .. })
        ));
        assert!(matches!(
            ClaimId::try_generate("CLM", d(1999, 12, 31), &mut rng),
            Err(ClaimIdError::YearOutOfRange { year: 1999 })
        ));
        assert!(check_prefix(DEFAULT_PREFIX).is_ok());
        assert!(check_prefix("ABCDEFG").is_err());
    }

    #[test]
    fn serde_as_plain_string() {
        let id: ClaimId = "CLM-2611-7K3F-QM2X".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"CLM-2611-7K3F-QM2X\""
        );
        let back: ClaimId = serde_yaml::from_str("clm-2611-7k3f-qm2x").unwrap();
        assert_eq!(back, id);
        assert!(serde_yaml::from_str::<ClaimId>("CLM-2613-7K3F-QM2X").is_err());
    }
}
