//! Findings: what `claims check` (and later `claims audit`) report, each with a stable code.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// For the reader's information: never fails a run.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
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
    CodeDoc { code: "Y004", severity: Severity::Error, title: "file beyond the reader's bounds",
        explanation: "The file is larger than a record may be (2 MiB) or nested deeper than 64 levels, so it is refused before the YAML reader sees it: a hostile file must not stall every command that reads the office. The reading commands skip it with a warning; restore the file from git or fix it by hand." },
    CodeDoc { code: "Y005", severity: Severity::Error, title: "not text",
        explanation: "The file is not UTF-8 text, or holds a NUL byte or another control character (anything below U+0020 but tab, line feed and carriage return). The finding names the line, column and byte offset of the first bad byte." },
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
    CodeDoc { code: "F006", severity: Severity::Error, title: "symbolic link in a folder the tool writes",
        explanation: "claims/, policies/, templates/, outbox and authority.yaml hold plain files and folders only. A committed symbolic link there would make the tool write (or read) outside the office on every clone; the tool refuses to write through one. Replace the link with the folder or file itself (`git rm --cached PATH`)." },
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
    CodeDoc { code: "M006", severity: Severity::Warning, title: "reserve above the policy limit",
        explanation: "The reserve in effect is above the limit of insurance that applies to the claim (the coverage that answers its cause of loss, or the sublimit triage found), as flagged when it was set. The claim cannot pay more than the limit: lower the reserve, or note why the exposure exceeds it (excess exposure, defense outside the limits)." },
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
    CodeDoc { code: "D006", severity: Severity::Error, title: "letter delivery record incomplete",
        explanation: "A letter's delivery record lacks its proof (certified mail needs the tracking number, an email its Message-ID) or is dated before the letter was written. Record deliveries with `claims letter deliver`." },
    CodeDoc { code: "A001", severity: Severity::Error, title: "unsigned commit",
        explanation: "`claims audit`: a commit carries no signature. Every commit of an office is signed by the person it names, whatever it touches." },
    CodeDoc { code: "A002", severity: Severity::Error, title: "signature does not verify",
        explanation: "`claims audit`: the commit's signature is not a valid signature of its content." },
    CodeDoc { code: "A003", severity: Severity::Error, title: "signer is not the named person",
        explanation: "`claims audit`: the commit is signed, but not with the key authority.yaml (as it stood at the commit's parent) gives the person the commit names as author, or that person is not in authority.yaml. A key added later does not bless earlier commits; a retired key signs nothing after it was replaced." },
    CodeDoc { code: "A004", severity: Severity::Warning, title: "hand edit of a claim's words",
        explanation: "`claims audit`: a commit that records no command changed a claim file, but only its words or reported facts (as `claims update` could correct them) and the author's own notes, by someone whose role may correct records. Shown so an auditor can review it." },
    CodeDoc { code: "A005", severity: Severity::Error, title: "hand edit of a claim's record",
        explanation: "`claims audit`: a commit that records no command created or deleted a claim, changed its id, status or history, money (reserves, payments, settlement, subrogation), approvals, triage, assignment, checklist or SLA events, denial, merges, quality-control reviews, letters or attachments, or notes in another person's name — or changed reported facts without the `update` permission. Only the commands, with their authority, make those changes." },
    CodeDoc { code: "A006", severity: Severity::Error, title: "change beyond authority",
        explanation: "`claims audit`: a hand edit left a claim with money effective without the approval the authority matrix required, an approval by the person who asked for it, or a denial without independent approval or its required review (check's M005, D001, D005), which the claim did not have before." },
    CodeDoc { code: "A007", severity: Severity::Error, title: "own authority changed",
        explanation: "`claims audit`: a change to authority.yaml touches its signer's (or approver's) own entry, role, permissions, rank or limits — also through another role's limit that their authority rests on. Nobody changes their own authority; a key is rotated with `claims keys rotate`." },
    CodeDoc { code: "A008", severity: Severity::Error, title: "authority change not governed",
        explanation: "`claims audit`: authority.yaml was changed by someone without the manage_authority permission, left unreadable, or changed in its people (added, removed, key, role, active), roles (permissions, rank), matrix or governance without a second manager's approval (`claims authority propose`, then `claims authority approve`; an office that declares a single manager and has one needs none). Also: proposals written by hand, and an office founded by someone who may not govern it." },
    CodeDoc { code: "A009", severity: Severity::Error, title: "command refused when replayed",
        explanation: "`claims audit`: the command the commit records, run again on its parent as its author, is refused there: the author's role (as authority.yaml stood) does not grant it, the author is unknown or inactive, or the command's own rules refuse it (an illegal transition, money beyond the reserve, an approval by the requester)." },
    CodeDoc { code: "A010", severity: Severity::Error, title: "commit is not what its command makes",
        explanation: "`claims audit`: the command the commit records, run again on its parent as its author at its time, gives a different commit: a file differs (a recorded limit, an approval in another name, a reserve effective that needed approval), a file is missing or extra, the message or a trailer differs, or the author or committer line differs. The audit never believes what a file or trailer says; it makes it again." },
    CodeDoc { code: "A012", severity: Severity::Error, title: "malformed tool trailers",
        explanation: "`claims audit`: the commit says it is a command's (a `Command:` trailer) but its trailers are doubled, missing (`Args:`), or name no command, or its arguments do not read back." },
    CodeDoc { code: "A013", severity: Severity::Error, title: "private key committed",
        explanation: "`claims audit`: the commit adds private key material (an OpenSSH, PEM or PGP private key, as it is or base64-encoded) at the path shown. Anyone with a clone can sign with it: replace the key (`claims keys rotate`) and remove it from the history." },
    CodeDoc { code: "A014", severity: Severity::Warning, title: "file outside the records",
        explanation: "`claims audit`: the commit changes a file that is none of the office's records (claims/, policies/, templates/, authority.yaml). Shown for review." },
    CodeDoc { code: "A015", severity: Severity::Error, title: "link, submodule or git control file",
        explanation: "`claims audit`: the commit adds a symbolic link, a submodule, an executable file, or changes .mailmap, .gitattributes or .gitmodules. An office holds plain files only; a link can make the tool write outside the office, and git's control files change whom `git log` shows as a commit's author or how files are read." },
    CodeDoc { code: "A016", severity: Severity::Error, title: "policy change not permitted",
        explanation: "`claims audit`: a policy file was changed by someone whose role lacks manage_policies, or left unreadable." },
    CodeDoc { code: "A017", severity: Severity::Error, title: "template change not permitted",
        explanation: "`claims audit`: a letter template was changed by someone whose role lacks manage_templates, or left with a syntax error." },
    CodeDoc { code: "A018", severity: Severity::Error, title: "history rewritten",
        explanation: "`claims audit`: a checkpoint (a signed record of a history an audit verified) names a commit this history no longer contains: commits were removed or rewritten after they were audited." },
    CodeDoc { code: "A019", severity: Severity::Note, title: "judged by the rules of its time",
        explanation: "`claims audit`: the commit was made before commands recorded their arguments, so it cannot be replayed; it is judged as audits then judged it, trusting its trailers. Commits after the first that records arguments are always replayed." },
    CodeDoc { code: "A020", severity: Severity::Warning, title: "authority changed (before governance)",
        explanation: "`claims audit`: in a commit made before commands recorded their arguments, authority.yaml changed people, roles, keys or limits; listed for review." },
    CodeDoc { code: "A021", severity: Severity::Error, title: "merge hides a change",
        explanation: "`claims audit`: a merge commit holds a version of a file neither parent has, drops one side's change, or keeps one of two changes to the same file. A claim file both parents changed must hold exactly what the claim merge (`claims merge-file`, git's merge driver for claims) makes of the two: anything else is a hand edit made inside the merge." },
    CodeDoc { code: "A022", severity: Severity::Warning, title: "checkpoint not trusted",
        explanation: "`claims audit`: a checkpoint tag is unsigned, does not verify, or is signed by someone whose role lacks the audit permission; it is ignored." },
    CodeDoc { code: "A023", severity: Severity::Error, title: "commit time set back",
        explanation: "`claims audit`: a commit is dated more than ten minutes before the commit it builds on. A command takes its time from its commit (an assignment's, an approval's, a letter's), so a time set back makes a deadline look met or an approval come before its request." },
    CodeDoc { code: "A024", severity: Severity::Error, title: "replace refs present",
        explanation: "`claims audit`: the repository holds refs/replace/*, so `git log`, `git show` and `git verify-commit` show stand-in objects instead of the history's own. The audit reads the history as it is; remove the replace refs so git does too." },
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
                // Audit codes: "A" and three digits, as string literals.
                for (i, _) in text.match_indices("\"A") {
                    let code: String = text[i + 1..].chars().take(5).collect();
                    if code.len() == 5
                        && code.ends_with('"')
                        && code[1..4].chars().all(|c| c.is_ascii_digit())
                    {
                        let code = &code[..4];
                        assert!(
                            code_doc(code).is_some(),
                            "{code} used in {path:?} is undocumented"
                        );
                    }
                }
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
