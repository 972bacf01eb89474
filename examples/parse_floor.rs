//! The floor `make bench` compares `claims sla-report` (and later `claims check`) against: read
//! and parse every claim file of an office, in parallel, with the same YAML crate and the same
//! record type — and nothing else.
//!
//!     cargo run --release --example parse_floor -- OFFICE_DIR

use rayon::prelude::*;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let files: Vec<std::path::PathBuf> =
        walkdir::WalkDir::new(std::path::Path::new(&root).join("claims"))
            .min_depth(3)
            .max_depth(3)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            .map(|e| e.into_path())
            .collect();
    let parsed = files
        .par_iter()
        .filter(|p| {
            std::fs::read_to_string(p)
                .ok()
                .and_then(|t| serde_yaml::from_str::<claims::domain::claim::Claim>(&t).ok())
                .is_some()
        })
        .count();
    println!("{parsed} of {} claim files parsed", files.len());
}
