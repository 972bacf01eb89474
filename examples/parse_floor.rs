//! The floor `make bench` compares `claims sla-report` (and later `claims check`) against: read
//! and parse every claim file of an office, in parallel, with the same YAML crate and the same
//! record type — and nothing else.
//!
//!     cargo run --release --example parse_floor -- OFFICE_DIR

use rayon::prelude::*;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    // The same claim files the tool reads (by month or by shard), found the same way.
    let root = std::path::Path::new(&root);
    let files: Vec<std::path::PathBuf> = claims::store::files::claim_files(root)
        .into_iter()
        .map(|rel| root.join(rel))
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
