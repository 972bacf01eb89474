//! Office settings: `authority.yaml` at the repository root, hand-edited.
//!
//! People, roles and what each may do, the authority matrix, routing rules, priority
//! thresholds, SLA rules, the holiday calendar, catastrophe events and denial settings.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::claim::{CoverageOutcome, LineOfBusiness};
use super::claim_id::{ClaimFolders, ClaimId};
use super::money::Money;
use super::sla_rules::SlaRules;

pub use super::calendar::CalendarConfig;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub office: OfficeInfo,
    pub roles: Vec<Role>,
    pub people: Vec<Person>,
    pub authority_matrix: AuthorityMatrix,
    #[serde(default)]
    pub routing: Vec<RoutingRule>,
    pub priority: PriorityThresholds,
    #[serde(default)]
    pub sla: SlaRules,
    #[serde(default)]
    pub calendar: CalendarConfig,
    #[serde(default)]
    pub catastrophes: Vec<Catastrophe>,
    pub denial: Option<DenialSettings>,
    /// Outside parties the office works with: defense counsel, vendor networks, TPAs.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// The task list and document checklist assignment creates, by claim type.
    #[serde(default)]
    pub investigation: Vec<Checklist>,
    /// Who governs this file (see `claims authority`).
    pub governance: Option<Governance>,
    /// The mail server `claims outbox send` hands the outbox to.
    pub smtp: Option<SmtpSettings>,
    /// The office's reporting choices (`claims report`): age bands, how a reopened claim
    /// counts, stair-stepping flags, the triangle's valuations.
    pub reporting: Option<super::reports::ReportingSettings>,
}

/// The office's mail server. The credentials are named, never written here: the username and
/// the password are read from the environment variables these settings name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// Host name of the mail server (smtp.example.com).
    pub server: String,
    /// Default: 25 with `tls: none`, 587 with `starttls`, 465 with `tls`.
    pub port: Option<u16>,
    #[serde(default)]
    pub tls: SmtpTls,
    /// The environment variable holding the username (SMTP_USER), if the server wants a login.
    pub username_env: Option<String>,
    /// The environment variable holding the password (SMTP_PASSWORD).
    pub password_env: Option<String>,
    /// The envelope sender; default each message's From (the office's email).
    pub from: Option<String>,
}

/// How the connection to the mail server is secured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain text (a relay on the office's own network or this machine).
    None,
    /// Plain connection upgraded with STARTTLS, which the server must offer.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

impl SmtpSettings {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        })
    }

    /// What is wrong with these settings, each naming its field: an environment variable's
    /// name that is not one (a secret pasted in its place), a username without a password.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.server.trim().is_empty() {
            out.push("smtp.server is empty".to_string());
        }
        for (field, name) in [
            ("username_env", &self.username_env),
            ("password_env", &self.password_env),
        ] {
            if let Some(n) = name {
                let ok = n
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !ok {
                    out.push(format!(
                        "smtp.{field} must name an environment variable (letters, digits and _), \
                         never hold the secret itself"
                    ));
                }
            }
        }
        if self.username_env.is_some() != self.password_env.is_some() {
            out.push("smtp.username_env and smtp.password_env go together".to_string());
        }
        let local = matches!(self.server.trim(), "localhost" | "127.0.0.1" | "::1");
        if self.tls == SmtpTls::None && self.password_env.is_some() && !local {
            out.push(
                "smtp.tls none would send the password in the clear to another machine: use \
                 starttls or tls"
                    .to_string(),
            );
        }
        out
    }
}

/// How changes to authority.yaml take effect.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    /// The office has one manager: changes to people, roles and the matrix take effect on
    /// that manager's signature alone (otherwise a second person with `manage_authority`
    /// approves each). Holds only while exactly one active person may manage authority.
    #[serde(default)]
    pub single_manager: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeInfo {
    pub name: String,
    /// IANA time zone of the office (America/Chicago); dates and business days use it.
    pub timezone: String,
    /// Claim id prefix (CLM).
    #[serde(default = "default_prefix")]
    pub claim_id_prefix: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[serde(default = "default_currency")]
    pub currency: String,
    /// How claims are filed under claims/: `month` (claims/YYYY/MM/ID.yaml, the default) or
    /// `shard` (claims/YYYY/MM/XX/ID.yaml). Changed only by `claims migrate`, which moves
    /// every claim in the same commit.
    #[serde(default, skip_serializing_if = "ClaimFolders::is_month")]
    pub claim_folders: ClaimFolders,
}

fn default_prefix() -> String {
    "CLM".into()
}

fn default_currency() -> String {
    "USD".into()
}

/// What a role may do. Money limits live in the authority matrix.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    Intake,
    Note,
    Update,
    Triage,
    Assign,
    AssignOverride,
    Investigate,
    Reserve,
    Settle,
    Pay,
    RecommendDenial,
    ApproveDenial,
    ComplianceReview,
    Approve,
    /// Change authority.yaml: people, roles, the matrix, the office's settings.
    ManageAuthority,
    /// Add or change policies/.
    ManagePolicies,
    /// Add or change templates/.
    ManageTemplates,
    /// Record audit checkpoints the office shares (signed tags).
    Audit,
    /// Review claim files for quality control (`claims review`).
    QcReview,
}

impl Permission {
    pub const ALL: [Permission; 19] = [
        Permission::Intake,
        Permission::Note,
        Permission::Update,
        Permission::Triage,
        Permission::Assign,
        Permission::AssignOverride,
        Permission::Investigate,
        Permission::Reserve,
        Permission::Settle,
        Permission::Pay,
        Permission::RecommendDenial,
        Permission::ApproveDenial,
        Permission::ComplianceReview,
        Permission::Approve,
        Permission::ManageAuthority,
        Permission::ManagePolicies,
        Permission::ManageTemplates,
        Permission::Audit,
        Permission::QcReview,
    ];

    /// The name authority.yaml spells it with (`assign_override`).
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Intake => "intake",
            Permission::Note => "note",
            Permission::Update => "update",
            Permission::Triage => "triage",
            Permission::Assign => "assign",
            Permission::AssignOverride => "assign_override",
            Permission::Investigate => "investigate",
            Permission::Reserve => "reserve",
            Permission::Settle => "settle",
            Permission::Pay => "pay",
            Permission::RecommendDenial => "recommend_denial",
            Permission::ApproveDenial => "approve_denial",
            Permission::ComplianceReview => "compliance_review",
            Permission::Approve => "approve",
            Permission::ManageAuthority => "manage_authority",
            Permission::ManagePolicies => "manage_policies",
            Permission::ManageTemplates => "manage_templates",
            Permission::Audit => "audit",
            Permission::QcReview => "qc_review",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub title: String,
    /// Seniority: a higher rank may approve what a lower one requested.
    pub rank: u8,
    #[serde(default)]
    pub can: Vec<Permission>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub email: String,
    pub name: String,
    pub role: String,
    pub phone: Option<String>,
    /// Claim specialties for routing (auto_pd, bodily_injury, property, liability, wc, cat, glass).
    #[serde(default)]
    pub specialties: Vec<String>,
    pub max_open_claims: Option<u32>,
    #[serde(default)]
    pub out_of_office: Vec<DateRange>,
    /// SSH public key (`ssh-ed25519 AAAA...`) or `openpgp:FINGERPRINT`.
    pub signing_key: Option<String>,
    /// Keys the person signed with before, each until it was replaced (`claims keys rotate`):
    /// their old commits still verify with plain git.
    #[serde(default)]
    pub retired_keys: Vec<RetiredKey>,
    /// People who left keep their entry (their old commits stay valid) but act no more.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A signing key a person no longer uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetiredKey {
    pub key: String,
    /// It signed nothing after this time.
    pub until: super::claim::Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityMatrix {
    /// How a claim maps to a claim type, first match wins.
    pub claim_types: Vec<ClaimType>,
    pub reserve: Vec<AuthorityRule>,
    pub settlement: Vec<AuthorityRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimType {
    pub id: String,
    pub description: String,
    #[serde(default)]
    pub lob: Vec<LineOfBusiness>,
    /// Matches only claims with (true) or without (false) bodily injury.
    pub bodily_injury: Option<bool>,
    /// Matches only litigated or represented claims.
    pub litigated: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRule {
    pub claim_type: String,
    /// Role → limit, in ascending order of authority; no limit (`~`) = unlimited.
    pub limits: Vec<RoleLimit>,
    /// A second person of this role (or higher) must review even within the limit.
    pub review_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleLimit {
    pub role: String,
    /// Up to and including this amount; absent = unlimited.
    pub up_to: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    pub name: String,
    pub when: RouteWhen,
    /// The destination kind: in_house, senior, bi_team, tpa, vendor, wc, cat, counsel.
    pub destination: String,
    /// The specialty people must hold to take it; none = goes to `handler`.
    pub specialty: Option<String>,
    /// An outside handler: a contact's id (vendor network, TPA, counsel firm).
    pub handler: Option<String>,
    /// Who else is told: a contact's id (defense_counsel) or `supervisor` (every active
    /// person whose role may override assignments).
    #[serde(default)]
    pub notify: Vec<String>,
}

/// Conditions on a claim's facts (a routing rule, a checklist item); every one given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteWhen {
    #[serde(default)]
    pub lob: Vec<LineOfBusiness>,
    /// A commercial account: a commercial line, or an insured that is an organization.
    pub commercial: Option<bool>,
    /// A mortgagee or lienholder is on file.
    pub mortgagee: Option<bool>,
    /// The insured cannot live in the home (additional living expense).
    pub displaced: Option<bool>,
    /// A public adjuster represents the insured (property).
    pub public_adjuster: Option<bool>,
    /// Emergency repairs were needed or made (property).
    pub emergency_repairs: Option<bool>,
    /// A police report number was reported.
    pub police_report: Option<bool>,
    /// Another party (driver, vehicle, carrier) is involved.
    pub other_party: Option<bool>,
    #[serde(default)]
    pub states: Vec<String>,
    pub glass_only: Option<bool>,
    pub bodily_injury: Option<bool>,
    pub represented: Option<bool>,
    pub catastrophe: Option<bool>,
    #[serde(default)]
    pub coverage: Vec<CoverageOutcome>,
    pub estimated_loss_under: Option<Money>,
    pub estimated_loss_over: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityThresholds {
    /// Property loss above this is critical.
    pub critical_property_loss: Money,
    /// Commercial loss above this is high.
    pub commercial_high_loss: Money,
    /// Personal lines under this are standard.
    pub personal_lines_threshold: Money,
    /// Property loss under this is minor (low).
    pub minor_property_loss: Money,
    /// How soon each priority must be with an adjuster.
    pub assign_within: AssignWithin,
    /// How soon the adjuster must first contact the insured once assigned.
    #[serde(default)]
    pub contact_within: ContactWithin,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignWithin {
    pub critical_hours: u32,
    /// 0 = the same business day.
    pub high_business_days: u32,
    pub standard_business_days: u32,
    pub low_business_days: u32,
}

/// How soon the adjuster must first contact the insured after assignment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactWithin {
    /// Critical claims: hours after assignment, around the clock.
    pub critical_hours: u32,
    /// Others: the same time of day this many business days after assignment.
    pub high_business_days: u32,
    pub standard_business_days: u32,
    pub low_business_days: u32,
}

impl Default for ContactWithin {
    fn default() -> Self {
        ContactWithin {
            critical_hours: 4,
            high_business_days: 1,
            standard_business_days: 1,
            low_business_days: 2,
        }
    }
}

/// An outside party: `id` is how routing rules (`notify`, `handler`) refer to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub organization: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What assignment puts on a claim of one claim type (see `authority_matrix.claim_types`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub claim_type: String,
    #[serde(default)]
    pub tasks: Vec<ChecklistTask>,
    #[serde(default)]
    pub documents: Vec<ChecklistDocument>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistTask {
    pub name: String,
    /// Due this many business days after assignment.
    pub due: u32,
    /// Only on claims whose facts match.
    #[serde(default)]
    pub when: RouteWhen,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDocument {
    pub name: String,
    /// What it is needed for: coverage, liability, damages, injury, payment.
    pub required_for: String,
    /// Due this many business days after assignment.
    pub due: u32,
    /// How many are needed (e.g. two contractor estimates); each is its own line.
    pub count: Option<u32>,
    #[serde(default)]
    pub when: RouteWhen,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Catastrophe {
    pub code: String,
    pub name: String,
    pub perils: Vec<String>,
    pub states: Vec<String>,
    /// ZIP code prefixes of the area; empty = the whole states.
    #[serde(default)]
    pub zip_prefixes: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DenialSettings {
    /// A compliance or counsel review is required before approval when any of these hold.
    pub review_required: ReviewTriggers,
    /// Years a denied claim file is kept after closing, unless the state says otherwise.
    pub retention_years: u32,
    #[serde(default)]
    pub state_retention_years: Vec<StateYears>,
    /// State insurance departments, for the right-to-complain paragraph of denial letters.
    #[serde(default)]
    pub departments: Vec<StateDepartment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewTriggers {
    #[serde(default)]
    pub represented: bool,
    #[serde(default)]
    pub bodily_injury: bool,
    pub reserve_over: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateYears {
    pub state: String,
    pub years: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateDepartment {
    pub state: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub website: String,
}

impl Office {
    pub fn person(&self, email: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.email.eq_ignore_ascii_case(email))
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn may(&self, email: &str, what: Permission) -> bool {
        self.person(email)
            .filter(|p| p.active)
            .and_then(|p| self.role(&p.role))
            .is_some_and(|r| r.can.contains(&what))
    }

    /// How this office files its claims.
    pub fn claim_folders(&self) -> ClaimFolders {
        self.office.claim_folders
    }

    /// Where this office keeps claim `id`'s file.
    pub fn claim_file(&self, id: &ClaimId) -> String {
        id.file_path(self.office.claim_folders)
    }

    /// Where this office keeps claim `id`'s letters and attachments.
    pub fn claim_folder(&self, id: &ClaimId) -> String {
        id.folder(self.office.claim_folders)
    }
}

/// A person's registered signing key, as authority.yaml spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigningKey {
    /// `ssh-ed25519 AAAA...` (the comment dropped).
    Ssh(String),
    /// An OpenPGP fingerprint, upper-case hex.
    OpenPgp(String),
}

/// Parses `signing_key`: an SSH public key line or `openpgp:FINGERPRINT`.
pub fn parse_signing_key(s: &str) -> Result<SigningKey, String> {
    let s = s.trim();
    if let Some(fpr) = s.strip_prefix("openpgp:") {
        let fpr: String = fpr.chars().filter(|c| !c.is_whitespace()).collect();
        if fpr.len() >= 16 && fpr.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(SigningKey::OpenPgp(fpr.to_ascii_uppercase()));
        }
        return Err(format!(
            "`{s}` is not an OpenPGP fingerprint (openpgp: then 40 hex digits)"
        ));
    }
    match ssh_key::PublicKey::from_openssh(s) {
        Ok(k) => {
            let mut k = k;
            k.set_comment("");
            k.to_openssh()
                .map(|t| SigningKey::Ssh(t.trim().to_string()))
                .map_err(|e| e.to_string())
        }
        Err(e) => Err(format!(
            "not an SSH public key line (`ssh-ed25519 AAAA...`) or openpgp:FINGERPRINT: {e}"
        )),
    }
}
