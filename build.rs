// The sample office (root authority.yaml, policies/, claims/, templates/) is embedded in the
// binary for `claims init --example`; rebuild when it changes.
fn main() {
    for p in ["authority.yaml", "policies", "claims", "templates"] {
        println!("cargo:rerun-if-changed={p}");
    }
}
