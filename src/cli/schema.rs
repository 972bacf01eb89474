//! `claims schema [claim|policy|authority] [--out DIR]`: the JSON Schema of the office's files,
//! generated from the same types the tool reads them with, so editors (and any JSON Schema
//! validator) check hand edits the way `claims check` parses them.

use std::path::PathBuf;

use super::Globals;
use crate::domain::claim::Claim;
use crate::domain::office::Office;
use crate::domain::policy::Policy;
use crate::error::{Error, Result};

/// Print (or write) the JSON Schema of claim files, policy files and authority.yaml.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Which file: claim, policy or authority (all three with --out).
    #[arg(value_parser = ["claim", "policy", "authority"])]
    pub which: Option<String>,
    /// Write claim.schema.json, policy.schema.json and authority.schema.json into this folder.
    #[arg(long, value_name = "DIR", conflicts_with = "which")]
    pub out: Option<PathBuf>,
}

/// The schema of one kind of file, as pretty JSON.
pub fn schema_text(which: &str) -> String {
    let (mut schema, title, about) = match which {
        "claim" => (
            schemars::schema_for!(Claim),
            "Claim file",
            "claims/<YYYY>/<MM>/<CLAIM-ID>.yaml: one claim, written by the tool",
        ),
        "policy" => (
            schemars::schema_for!(Policy),
            "Policy file",
            "policies/<POLICY-NUMBER>.yaml: one policy",
        ),
        _ => (
            schemars::schema_for!(Office),
            "authority.yaml",
            "office settings: people, roles, authority matrix, routing, SLA rules, calendar",
        ),
    };
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), about.into());
    schema.insert(
        "$id".into(),
        format!("https://claims.invalid/schema/{which}.schema.json").into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

pub fn run(_g: &Globals, args: Args) -> Result<i32> {
    if let Some(dir) = args.out {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
        for which in ["claim", "policy", "authority"] {
            let path = dir.join(format!("{which}.schema.json"));
            std::fs::write(&path, schema_text(which)).map_err(|e| Error::io(path.display(), e))?;
        }
        return Ok(0);
    }
    let which = args.which.as_deref().unwrap_or("claim");
    let mut out = super::output::Out::new();
    out.write_str(&schema_text(which));
    out.flush();
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator(which: &str) -> jsonschema::Validator {
        let schema: serde_json::Value = serde_json::from_str(&schema_text(which)).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }

    /// A YAML file as an editor's YAML language server (or check-jsonschema) sees it.
    fn yaml(text: &str) -> serde_json::Value {
        let v: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
        serde_json::to_value(v).unwrap()
    }

    fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
        v.iter_errors(doc)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }

    #[test]
    fn every_sample_file_is_valid_against_its_schema() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let claims = validator("claim");
        let mut n = 0;
        for e in walkdir::WalkDir::new(root.join("claims"))
            .min_depth(3)
            .max_depth(3)
        {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "yaml") {
                let doc = yaml(&std::fs::read_to_string(e.path()).unwrap());
                assert_eq!(
                    errors(&claims, &doc),
                    Vec::<String>::new(),
                    "{}",
                    e.path().display()
                );
                n += 1;
            }
        }
        assert!(n >= 10);
        let policies = validator("policy");
        for e in std::fs::read_dir(root.join("policies")).unwrap() {
            let path = e.unwrap().path();
            let doc = yaml(&std::fs::read_to_string(&path).unwrap());
            assert_eq!(
                errors(&policies, &doc),
                Vec::<String>::new(),
                "{}",
                path.display()
            );
        }
        let office = yaml(&std::fs::read_to_string(root.join("authority.yaml")).unwrap());
        assert_eq!(
            errors(&validator("authority"), &office),
            Vec::<String>::new()
        );
    }

    #[test]
    fn hand_edit_mistakes_are_caught_where_they_are() {
        let v = validator("claim");
        let text = include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml");
        let mut doc = yaml(text);
        doc["status"] = "approved".into();
        doc["property"]["estimated_loss"] = "18,500".into();
        doc["loss"]["descripton"] = "typo".into();
        doc["received_at"] = 20261015.into();
        let found = errors(&v, &doc).join("\n");
        assert!(found.contains("/status:"), "{found}");
        assert!(
            found.contains("/property:") && found.contains("\"18,500\""),
            "{found}"
        );
        assert!(
            found.contains("/loss:") && found.contains("descripton"),
            "{found}"
        );
        assert!(found.contains("/received_at:"), "{found}");
        // Amounts may be written as numbers or decimal strings.
        let mut doc = yaml(text);
        doc["property"]["estimated_loss"] = "18500.00".into();
        assert!(errors(&v, &doc).is_empty());
    }

    /// Where a claim came from: a claim without it (taken in before it was recorded) and one
    /// with it are both valid; a fingerprint that is none, or an unknown input, is not.
    #[test]
    fn the_source_of_a_claim_is_in_the_schema() {
        let v = validator("claim");
        let text = include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml");
        let mut doc = yaml(text);
        assert!(doc.get("source").is_none());
        doc["source"] = serde_json::json!({
            "via": "email",
            "file": "notice.eml",
            "message_id": "CAF1@mail.example",
            "fingerprint": format!("sha256:{}", "ab".repeat(32)),
        });
        assert_eq!(errors(&v, &doc), Vec::<String>::new());
        for (field, bad) in [("fingerprint", "sha256:abc"), ("via", "fax")] {
            let mut doc = doc.clone();
            doc["source"][field] = bad.into();
            let found = errors(&v, &doc).join("\n");
            assert!(found.contains("/source:") && found.contains(bad), "{found}");
        }
    }
}
