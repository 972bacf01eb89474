// The sample office (root authority.yaml, policies/, claims/, templates/) is embedded in the
// binary for `claims init --example`; rebuild when it changes.
//
// CLAIMS_BUILD_KEY names the source this binary was built from (a hash of src/ and
// Cargo.lock): the read cache under .git/ keeps records parsed by one build and is ignored by
// any other, so a change to how a record is read can never be answered from an older reading.
use std::hash::{Hash, Hasher};
use std::path::Path;

fn main() {
    for p in [
        "authority.yaml",
        "policies",
        "claims",
        "templates",
        "src",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={p}");
    }
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.push(Path::new("Cargo.lock").to_path_buf());
    files.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    for f in &files {
        f.hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    println!("cargo:rustc-env=CLAIMS_BUILD_KEY={:016x}", h.finish());
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
