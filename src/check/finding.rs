//! Findings: what `claims check` (and later `claims audit`) report, each with a stable code.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A finding about one file. Lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The claim the finding is about, when it is about a claim.
    pub claim: Option<String>,
    /// The field the finding is about (`auto.vehicles[0].vin`), when there is one.
    pub field: Option<String>,
    pub message: String,
}

/// A finding before it has a file position: which code, which field, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub code: &'static str,
    pub field: Option<String>,
    pub message: String,
}

impl Issue {
    pub fn at(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            code,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn file(code: &'static str, message: impl Into<String>) -> Issue {
        Issue {
            code,
            field: None,
            message: message.into(),
        }
    }
}

/// One documented finding code.
pub struct CodeDoc {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub explanation: &'static str,
}

/// Every code `check` and `audit` can report. A test fails when a code is used but not here.
pub const CODES: &[CodeDoc] = &[
    CodeDoc { code: "Y001", severity: Severity::Error, title: "malformed YAML",
        explanation: "The file is not valid YAML. Nothing else in it can be checked until the syntax error at the reported line is fixed." },
    CodeDoc { code: "Y002", severity: Severity::Error, title: "unknown field",
        explanation: "The file has a key the record does not define, usually a misspelling of a real field. The tool refuses unknown keys so that a typo never silently drops a fact." },
    CodeDoc { code: "Y003", severity: Severity::Error, title: "invalid or missing value",
        explanation: "A value has the wrong type or form (a date that is not YYYY-MM-DD, an amount with fractions of a cent, an unknown status), or a key every record must have is missing." },
    CodeDoc { code: "F001", severity: Severity::Error, title: "file name does not match id",
        explanation: "A claim lives in claims/<YYYY>/<MM>/<ID>.yaml and a policy in policies/<NUMBER>.yaml; the file name must equal the record's id or number so that commands find it without scanning." },
    CodeDoc { code: "F002", severity: Severity::Error, title: "claim in the wrong folder",
        explanation: "The folder must be the year and month in the claim id (the month the claim was received)." },
    CodeDoc { code: "F003", severity: Severity::Error, title: "invalid claim id",
        explanation: "Claim ids look like CLM-2611-7K3F-QM2X: the office prefix, two-digit year and month received, then eight Crockford base32 characters." },
    CodeDoc { code: "F004", severity: Severity::Error, title: "duplicate claim id",
        explanation: "Two files carry the same claim id." },
    CodeDoc { code: "F005", severity: Severity::Error, title: "id month differs from received_at",
        explanation: "The year and month in the claim id must be those of received_at, in the office time zone." },
    CodeDoc { code: "N001", severity: Severity::Error, title: "required FNOL fact missing",
        explanation: "The line of business requires this First Notice of Loss fact (DESIGN.md, The record). Claims in status incomplete may lack facts that their `missing` list names." },
    CodeDoc { code: "N002", severity: Severity::Error, title: "invalid VIN",
        explanation: "A VIN has 17 characters, never I, O or Q, and position 9 is a check digit (49 CFR 565). A real VIN that fails the check may be accepted with vin_check_overridden: true." },
    CodeDoc { code: "N003", severity: Severity::Error, title: "invalid jurisdiction",
        explanation: "The jurisdiction must be a US state or territory postal code (CA, TX, NY, DC, PR, ...)." },
    CodeDoc { code: "N004", severity: Severity::Error, title: "impossible dates",
        explanation: "The loss cannot be after the claim was received." },
    CodeDoc { code: "N005", severity: Severity::Warning, title: "missing list out of date",
        explanation: "An incomplete claim's `missing` list does not name a fact that is missing, or names one that is present." },
    CodeDoc { code: "N006", severity: Severity::Error, title: "invalid time of loss",
        explanation: "The time of loss must be HH:MM on a 24-hour clock." },
    CodeDoc { code: "R001", severity: Severity::Error, title: "unknown policy",
        explanation: "The claim names a policy number with no file in policies/." },
    CodeDoc { code: "R002", severity: Severity::Error, title: "unknown person",
        explanation: "An adjuster, approver or actor on the claim is not a person in authority.yaml." },
    CodeDoc { code: "R003", severity: Severity::Error, title: "policy line of business differs",
        explanation: "The claim's line of business is not the line of the policy it is filed under." },
    CodeDoc { code: "R004", severity: Severity::Error, title: "unknown claim reference",
        explanation: "merged_into or merged names a claim id that has no file." },
    CodeDoc { code: "L001", severity: Severity::Error, title: "status disagrees with history",
        explanation: "The status must be the status left by the last event in history; a hand edit changed one without the other." },
    CodeDoc { code: "L002", severity: Severity::Error, title: "illegal status transition",
        explanation: "The history moves the claim between two statuses the lifecycle does not connect (for example reported straight to settled)." },
    CodeDoc { code: "L003", severity: Severity::Error, title: "status without its record",
        explanation: "The status needs a record the claim lacks: triaged needs triage, assigned needs an assignment, settled needs a settlement and payment, denied needs a denial with approval and delivery, merged needs merged_into." },
    CodeDoc { code: "L004", severity: Severity::Error, title: "history does not start at intake",
        explanation: "A claim's history starts with its First Notice of Loss (status reported or incomplete)." },
    CodeDoc { code: "L005", severity: Severity::Error, title: "history out of order",
        explanation: "History events must be in time order, none before the claim was received." },
    CodeDoc { code: "M001", severity: Severity::Error, title: "negative amount",
        explanation: "Reserves, settlements, payments, deductibles and calculation totals cannot be negative." },
    CodeDoc { code: "M002", severity: Severity::Error, title: "payments exceed settlement",
        explanation: "The effective payments add up to more than the settlement amount." },
    CodeDoc { code: "M003", severity: Severity::Error, title: "payments exceed reserve",
        explanation: "Reserve before pay: effective payments cannot exceed the effective reserve." },
    CodeDoc { code: "M004", severity: Severity::Error, title: "reserve history inconsistent",
        explanation: "Each reserve change's `previous` must equal the reserve in effect before it." },
    CodeDoc { code: "M005", severity: Severity::Error, title: "approval missing or invalid",
        explanation: "An effective change that needed more authority has no approval, or it was approved by the person who asked for it." },
    CodeDoc { code: "D001", severity: Severity::Error, title: "denial without independent approval",
        explanation: "A denied (or denial approved) claim must carry an approval by a person other than the one who recommended the denial." },
    CodeDoc { code: "D002", severity: Severity::Error, title: "denial letter missing",
        explanation: "A denied claim must have its denial letter on file." },
    CodeDoc { code: "D003", severity: Severity::Error, title: "denial delivery not recorded",
        explanation: "A denied claim must record delivery to the insured (certified mail tracking number or electronic message id, with the date)." },
    CodeDoc { code: "D004", severity: Severity::Error, title: "denial letter incomplete",
        explanation: "The denial letter on file lacks a required element: each provision's language and section, the loss, the reason, the right to reinvestigation, the state department's contact, or the adjuster's contact." },
    CodeDoc { code: "D005", severity: Severity::Error, title: "denial approved without required review",
        explanation: "The office requires a compliance or counsel review before a denial is approved when the claimant is represented, the claim involves bodily injury, or the reserve is over the threshold in authority.yaml (denial.review_required); this approval has none on record." },
    CodeDoc { code: "A001", severity: Severity::Error, title: "unsigned commit",
        explanation: "`claims audit`: a commit touching claims/ or authority.yaml carries no signature." },
    CodeDoc { code: "A002", severity: Severity::Error, title: "signature does not verify",
        explanation: "`claims audit`: the commit's signature is not a valid signature of its content." },
    CodeDoc { code: "A003", severity: Severity::Error, title: "signer is not the named person",
        explanation: "`claims audit`: the commit is signed, but not with the key authority.yaml (as it stood at the commit's parent) gives the person the commit names as author, or the tool's Actor trailer names someone else. A key added later does not bless earlier commits." },
    CodeDoc { code: "A004", severity: Severity::Warning, title: "hand edit of a claim",
        explanation: "`claims audit`: a commit without the tool's trailers changed a claim file; only words changed. Shown so an auditor can review it." },
    CodeDoc { code: "A005", severity: Severity::Error, title: "hand edit of money, status or approvals",
        explanation: "`claims audit`: a commit without the tool's trailers created, deleted, or changed the status, reserves, settlement, payments, denial or merge of a claim." },
    CodeDoc { code: "A006", severity: Severity::Error, title: "change beyond authority",
        explanation: "`claims audit`: the commit left a claim with money effective without the approval the authority matrix required, an approval by the person who asked for it, or a denial without independent approval or its required review (check's M005, D001, D005), which the claim did not have before." },
    CodeDoc { code: "A007", severity: Severity::Error, title: "own authority changed",
        explanation: "`claims audit`: in authority.yaml a person changed their own signing key, role or active flag, or raised the limits of their own role; that takes another authorized signer." },
    CodeDoc { code: "A008", severity: Severity::Warning, title: "authority changed",
        explanation: "`claims audit`: authority.yaml changed people, roles, keys or limits; listed for the auditor's review." },
    CodeDoc { code: "A009", severity: Severity::Error, title: "command beyond the actor's role",
        explanation: "`claims audit`: a tool commit whose actor's role (as authority.yaml stood before it) does not grant what the command needs — say a CSR's triage or a staff adjuster's assignment override — or whose actor was no longer active." },
    CodeDoc { code: "O001", severity: Severity::Error, title: "office setting invalid",
        explanation: "authority.yaml has an inconsistent setting: an unknown role, a duplicate person, an invalid time zone, a matrix or checklist naming an unknown role or claim type, a routing rule naming an unknown contact." },
    CodeDoc { code: "O002", severity: Severity::Error, title: "signing key invalid",
        explanation: "A person's signing_key is neither an SSH public key line nor openpgp:FINGERPRINT." },
    CodeDoc { code: "P001", severity: Severity::Error, title: "policy inconsistent",
        explanation: "A policy's dates are inverted, a cancelled or lapsed policy has no date, or a coverage, exclusion or condition cites a provision the policy does not have." },
];

pub fn code_doc(code: &str) -> Option<&'static CodeDoc> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

pub fn severity_of(code: &str) -> Severity {
    code_doc(code).map_or(Severity::Error, |c| c.severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            assert!(
                !c.title.is_empty() && c.explanation.len() > 20,
                "{}",
                c.code
            );
        }
    }

    /// Every code literal used anywhere in src/ is documented here.
    #[test]
    fn every_code_used_in_source_is_documented() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("Issue::") {
                    let rest = &text[i..];
                    if let Some(q) = rest.find('"') {
                        let code: String =
                            rest[q + 1..].chars().take_while(|c| *c != '"').collect();
                        if code.len() == 4 {
                            assert!(
                                code_doc(&code).is_some(),
                                "{code} used in {path:?} is undocumented"
                            );
                        }
                    }
                }
            }
        }
    }
}
