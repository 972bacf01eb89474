//! Batch intake: `claims intake --csv F.csv`, one claim per row, columns named in a header.
//!
//! A column for every fact the web payload has (see [`super::payload`]; the README's "CSV
//! columns" lists them). Any order, all optional except what the line of business requires:
//! - every line: lob, jurisdiction, channel, policy_number, received_at, loss_date,
//!   loss_time, loss_location, loss_description, loss_cause, loss_keywords
//!   (semicolon-separated), notes; and the people `<party>_<field>` for the parties insured,
//!   agent, reporter, claimant and attorney and the fields name, organization,
//!   relationship, phone, email, address;
//! - auto: police_report, estimated_loss (the vehicle damage), glass_only, fatality,
//!   business_use, and the numbered groups vehicleN_year/make/model/vin/plate/damage,
//!   other_partyN_name/contact/carrier/policy_number/vehicle/address/representative,
//!   injuredN_name/contact/description/catastrophic/address/representative,
//!   witnessN_name/contact (N = 1, 2, ...);
//! - property: discovered_on, discovered_at (HH:MM), loss_type, property_address,
//!   damage_description, emergency_repairs_needed, emergency_repairs (what was done),
//!   public_adjuster, mortgagee, estimated_loss (the loss),
//!   displaced;
//! - liability: claim_received_on, the claimant_* and attorney_* columns, allegation,
//!   represented, prior_notice, litigation, bodily_injury;
//! - workers' comp: employee_name, employee_id, job_title, employee_address,
//!   employee_representative, how_it_happened, body_parts
//!   (semicolon-separated), medical_treatment, treatment_facility, treating_physician,
//!   return_to_work_expected, fatality, and the witnessN_name/contact groups.
//!
//! Booleans are Y/N, yes/no or true/false; dates YYYY-MM-DD; times HH:MM. Rows are numbered
//! as in the file (the header is row 1).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::draft::Draft;
use crate::domain::claim::{Channel, LineOfBusiness, Party};
use crate::domain::fnol::{
    AutoFacts, Employee, InjuredPerson, LiabilityFacts, OtherParty, PropertyFacts,
    PropertyLossType, Vehicle, Witness, WorkersCompFacts,
};
use crate::domain::intake_source::Fingerprint;
use crate::domain::money::Money;

/// A problem in the file: the row (header = 1), the column, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CellError {
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "row {}, column {c}: {}", self.row, self.message),
            None => write!(f, "row {}: {}", self.row, self.message),
        }
    }
}

/// One data row: its number in the file, the fingerprint of its cells (none when the record
/// could not be read), and its draft, or every problem found in it.
pub struct CsvRow {
    pub row: usize,
    pub fingerprint: Option<Fingerprint>,
    /// Boxed: a draft is kilobytes, a row that failed only its few errors.
    pub draft: Result<Box<Draft>, Vec<CellError>>,
}

const SIMPLE: &[&str] = &[
    "lob",
    "jurisdiction",
    "channel",
    "policy_number",
    "received_at",
    "notes",
    "loss_date",
    "loss_time",
    "loss_location",
    "loss_description",
    "loss_cause",
    "loss_keywords",
    "police_report",
    "glass_only",
    "fatality",
    "business_use",
    "displaced",
    "discovered_on",
    "discovered_at",
    "loss_type",
    "property_address",
    "damage_description",
    "emergency_repairs_needed",
    "emergency_repairs",
    "public_adjuster",
    "mortgagee",
    "estimated_loss",
    "claim_received_on",
    "allegation",
    "represented",
    "prior_notice",
    "litigation",
    "bodily_injury",
    "employee_name",
    "employee_id",
    "job_title",
    "employee_address",
    "employee_representative",
    "how_it_happened",
    "body_parts",
    "medical_treatment",
    "treatment_facility",
    "treating_physician",
    "return_to_work_expected",
];

/// Repeating groups: prefix and the fields after `<prefix>N_`.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "vehicle",
        &["year", "make", "model", "vin", "plate", "damage"],
    ),
    (
        "other_party",
        &[
            "name",
            "contact",
            "carrier",
            "policy_number",
            "vehicle",
            "address",
            "representative",
        ],
    ),
    (
        "injured",
        &[
            "name",
            "contact",
            "description",
            "catastrophic",
            "address",
            "representative",
        ],
    ),
    ("witness", &["name", "contact"]),
];

/// A representative named in one cell (an attorney, a guardian): their name.
fn representative(name: Option<String>) -> Option<Party> {
    name.map(|n| Party {
        name: Some(n),
        ..Party::default()
    })
}

/// The people of a claim, each with a column per [`Party`] field: `<party>_<field>`.
const PARTIES: &[&str] = &["insured", "agent", "reporter", "claimant", "attorney"];
const PARTY_FIELDS: &[&str] = &[
    "name",
    "organization",
    "relationship",
    "phone",
    "email",
    "address",
];

#[derive(Clone, Debug, PartialEq)]
enum Column {
    Simple(&'static str),
    Party(&'static str, &'static str),
    Group(&'static str, usize, &'static str),
}

fn parse_header(h: &str) -> Option<Column> {
    let h = h.trim();
    if let Some(s) = SIMPLE.iter().find(|s| **s == h) {
        return Some(Column::Simple(s));
    }
    for party in PARTIES {
        if let Some(field) = h
            .strip_prefix(party)
            .and_then(|r| r.strip_prefix('_'))
            .and_then(|f| PARTY_FIELDS.iter().find(|p| **p == f))
        {
            return Some(Column::Party(party, field));
        }
    }
    for (prefix, fields) in GROUPS {
        let Some(rest) = h.strip_prefix(prefix) else {
            continue;
        };
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let Some(field) = rest[digits.len()..].strip_prefix('_') else {
            continue;
        };
        let Ok(n) = digits.parse::<usize>() else {
            continue;
        };
        if n == 0 {
            continue;
        }
        if let Some(f) = fields.iter().find(|f| **f == field) {
            return Some(Column::Group(prefix, n, f));
        }
    }
    None
}

/// Reads every row. A header problem (unknown column) fails the whole file; a bad cell fails
/// only its row, and every row is read. A UTF-8 byte-order mark (Excel's "CSV UTF-8") is
/// not part of the first column's name. The bytes need not be UTF-8 as a whole: a cell that
/// is not UTF-8 text, holds a NUL or another control character, or is longer than a field
/// may be is its row's error, naming the row and column (in the header, the file's).
pub fn parse_csv(input: impl AsRef<[u8]>) -> Result<Vec<CsvRow>, Vec<CellError>> {
    let file = CsvFile::open(input.as_ref())?;
    let mut rows = Vec::new();
    file.each_row(|r, _| rows.push(r));
    Ok(rows)
}

/// A CSV file whose header was read: its rows are read one at a time ([`CsvFile::each_row`]),
/// and read again by where they start ([`CsvFile::row_at`]), so that a batch need not hold
/// every row's draft at once.
pub struct CsvFile<'a> {
    bytes: &'a [u8],
    headers: Vec<String>,
    columns: Vec<Column>,
}

fn csv_reader<R: std::io::Read>(r: R, has_headers: bool) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(false)
        .has_headers(has_headers)
        .trim(csv::Trim::All)
        .from_reader(r)
}

impl<'a> CsvFile<'a> {
    /// Reads the header: an unknown, repeated or unreadable column fails the whole file.
    pub fn open(bytes: &'a [u8]) -> Result<CsvFile<'a>, Vec<CellError>> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = csv_reader(bytes, true);
        let header_error = |message: String| CellError {
            row: 1,
            column: None,
            message,
        };
        let raw_headers = reader
            .byte_headers()
            .map_err(|e| vec![header_error(format!("cannot read the header: {e}"))])?
            .clone();
        let mut headers = Vec::with_capacity(raw_headers.len());
        for (i, h) in raw_headers.iter().enumerate() {
            match cell_text(h) {
                Ok(t) => headers.push(t.to_string()),
                Err(b) => {
                    return Err(vec![header_error(format!(
                        "header cell {}: {}",
                        i + 1,
                        in_cell(&b)
                    ))])
                }
            }
        }
        let mut columns: Vec<Column> = Vec::new();
        let mut errors = Vec::new();
        for h in &headers {
            let shown = crate::bounds::cut_at_char(h, 100).to_string();
            match parse_header(h) {
                Some(c) if columns.contains(&c) => {
                    if !errors.iter().any(|e: &CellError| {
                        e.column.as_deref() == Some(&shown) && e.message.contains("twice")
                    }) {
                        errors.push(CellError {
                            row: 1,
                            column: Some(shown.clone()),
                            message: format!(
                                "column `{shown}` appears twice (each column may be given once)"
                            ),
                        });
                    }
                }
                Some(c) => columns.push(c),
                None => errors.push(CellError {
                    row: 1,
                    column: Some(shown.clone()),
                    message: format!(
                        "unknown column `{shown}` (see the README's Intake section for the columns)"
                    ),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CsvFile {
            bytes,
            headers,
            columns,
        })
    }

    /// Every data row in order, each with the byte where its record starts (for
    /// [`CsvFile::row_at`]).
    pub fn each_row(&self, mut f: impl FnMut(CsvRow, u64)) {
        let mut reader = csv_reader(self.bytes, true);
        let _ = reader.byte_headers();
        let mut lines = Lines::new(self.bytes);
        let mut record = csv::ByteRecord::new();
        let mut fallback_row = 1;
        loop {
            fallback_row += 1;
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let at = e.position().map_or(0, |p| p.byte());
                    let row = e
                        .position()
                        .map_or(fallback_row, |p| lines.line_of(p.byte()));
                    f(
                        CsvRow {
                            row,
                            fingerprint: None,
                            draft: Err(vec![CellError {
                                row,
                                column: None,
                                message: e.to_string(),
                            }]),
                        },
                        at,
                    );
                    continue;
                }
            }
            let at = record.position().map_or(0, |p| p.byte());
            let row = record
                .position()
                .map_or(fallback_row, |p| lines.line_of(p.byte()));
            if let Some(r) = self.row_of(row, &record) {
                f(r, at);
            }
        }
    }

    /// The row `row` whose record starts at byte `at`, read again (as [`CsvFile::each_row`]
    /// gave it).
    pub fn row_at(&self, row: usize, at: u64) -> Option<CsvRow> {
        let start = usize::try_from(at).ok()?.min(self.bytes.len());
        let mut reader = csv_reader(&self.bytes[start..], false);
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(true) => self.row_of(row, &record),
            _ => None,
        }
    }

    /// A record as its row: `None` when every cell is empty.
    fn row_of(&self, row: usize, record: &csv::ByteRecord) -> Option<CsvRow> {
        if record.iter().all(|c| c.is_empty()) {
            return None;
        }
        let bad: Vec<CellError> = record
            .iter()
            .zip(&self.headers)
            .filter_map(|(cell, name)| {
                cell_text(cell).err().map(|b| CellError {
                    row,
                    column: Some(name.clone()),
                    message: in_cell(&b),
                })
            })
            .collect();
        if !bad.is_empty() {
            return Some(CsvRow {
                row,
                fingerprint: None,
                draft: Err(bad),
            });
        }
        let text = csv::StringRecord::from_byte_record(record.clone())
            .expect("every cell was checked as UTF-8");
        Some(CsvRow {
            row,
            fingerprint: Some(Fingerprint::of_cells(
                self.headers.iter().map(String::as_str).zip(text.iter()),
            )),
            draft: row_draft(row, &self.columns, &text).map(Box::new),
        })
    }
}

/// A cell as text within the bounds of a field.
fn cell_text(cell: &[u8]) -> Result<&str, crate::bounds::Bad> {
    crate::bounds::check_size(cell.len() as u64, crate::bounds::MAX_FIELD_BYTES as u64)
        .map_err(|_| crate::bounds::Bad::FieldTooLong { size: cell.len() })?;
    crate::bounds::text(cell)
}

/// A cell's problem in words, its place counted within the cell.
fn in_cell(b: &crate::bounds::Bad) -> String {
    use crate::bounds::Bad;
    match b {
        Bad::NotUtf8 { at, byte } => format!(
            "not UTF-8 text: byte 0x{byte:02x} at byte {} of the cell",
            at.offset + 1
        ),
        Bad::Control { at, code: 0 } => {
            format!("a NUL byte at byte {} of the cell", at.offset + 1)
        }
        Bad::Control { at, code } => format!(
            "a control character (U+{code:04X}) at byte {} of the cell",
            at.offset + 1
        ),
        other => other.to_string(),
    }
}

/// The line (1-based) a record starts on, counted as the records come (in order, so the
/// count goes on from the last one: linear in the file). The csv reader's own line count
/// falls one behind on CRLF files (the `\n` of a record's terminator is read as the start of
/// the next record, rust-csv issue #395), so the line is counted from the bytes: a record
/// begins at its first byte that is not a line ending.
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            at: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, record_start: u64) -> usize {
        let bytes = self.bytes;
        let mut start = usize::try_from(record_start)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += memchr::memchr_iter(b'\n', &bytes[self.at..start]).count();
        self.at = start;
        self.line
    }
}

#[derive(Default)]
struct Groups {
    vehicles: BTreeMap<usize, Vehicle>,
    others: BTreeMap<usize, OtherParty>,
    injured: BTreeMap<usize, InjuredPerson>,
    witnesses: BTreeMap<usize, Witness>,
}

fn row_draft(
    row: usize,
    columns: &[Column],
    record: &csv::StringRecord,
) -> Result<Draft, Vec<CellError>> {
    let mut errors = Vec::new();
    let mut d = Draft {
        channel: Some(Channel::Batch),
        source: format!("row {row}"),
        ..Default::default()
    };
    // The people, by party, as PARTIES lists them.
    let mut people: BTreeMap<&str, Party> = BTreeMap::new();
    let mut property = PropertyFacts::default();
    let mut liability = LiabilityFacts::default();
    let mut wc = WorkersCompFacts::default();
    let mut employee = Employee::default();
    let mut auto = AutoFacts::default();
    let mut g = Groups::default();
    let (mut any_property, mut any_liability, mut any_wc) = (false, false, false);
    // The reporter's estimate of the loss: the vehicle damage on an auto claim, else the property.
    let mut estimate: Option<Money> = None;
    // A death: the auto claim's or the work injury's, by the row's line.
    let mut fatality = false;
    // Auto-only columns given a value, for the error on another line's row.
    let mut auto_only: Vec<String> = Vec::new();

    for (col, value) in columns.iter().zip(record.iter()) {
        if value.is_empty() {
            continue;
        }
        let name = match col {
            Column::Simple(s) => s.to_string(),
            Column::Party(p, f) => format!("{p}_{f}"),
            Column::Group(p, n, f) => format!("{p}{n}_{f}"),
        };
        let mut err = |m: String| {
            errors.push(CellError {
                row,
                column: Some(name.clone()),
                message: m,
            })
        };
        let text = || Some(value.to_string());
        match col {
            Column::Simple(s) => match *s {
                "lob" => match LineOfBusiness::parse(value) {
                    Some(l) => d.lob = Some(l),
                    None => err(format!(
                        "`{value}` is not a line of business (one of: {})",
                        LineOfBusiness::ALL.map(|l| l.as_str()).join(", ")
                    )),
                },
                "jurisdiction" => d.jurisdiction = text(),
                "channel" => match serde_yaml::from_str::<Channel>(&value.to_ascii_lowercase()) {
                    Ok(c) => d.channel = Some(c),
                    Err(_) => err(format!(
                        "`{value}` is not a channel (phone, web, email, mobile, batch)"
                    )),
                },
                "policy_number" => d.policy_number = text(),
                "received_at" => match chrono::DateTime::parse_from_rfc3339(value) {
                    Ok(t) => d.received_at = Some(t),
                    Err(_) => err(format!(
                        "`{value}` is not a date and time with its offset (RFC 3339, e.g. 2026-11-20T09:30:00-06:00)"
                    )),
                },
                "notes" => d.notes.push(value.to_string()),
                "loss_keywords" => d.loss.keywords = list(value),
                "glass_only" => {
                    auto_only.push(name.clone());
                    auto.glass_only = yes_no(value, &mut err).unwrap_or(false)
                }
                "business_use" => {
                    auto_only.push(name.clone());
                    auto.business_use = yes_no(value, &mut err).unwrap_or(false)
                }
                "fatality" => fatality = yes_no(value, &mut err).unwrap_or(false),
                "displaced" => {
                    any_property = true;
                    property.displaced = yes_no(value, &mut err).unwrap_or(false)
                }
                "loss_date" => d.loss.date = date(value, &mut err),
                "loss_time" => d.loss.time = text(),
                "loss_location" => d.loss.location = text(),
                "loss_description" => d.loss.description = text(),
                "loss_cause" => d.loss.cause = text(),
                "police_report" => auto.police_report = text(),
                "discovered_on" => {
                    any_property = true;
                    property.discovered_on = date(value, &mut err)
                }
                "discovered_at" => {
                    any_property = true;
                    property.discovered_at = text()
                }
                "emergency_repairs" => {
                    any_property = true;
                    property.emergency_repairs = text()
                }
                "loss_type" => {
                    any_property = true;
                    match serde_yaml::from_str::<PropertyLossType>(&value.to_ascii_lowercase()) {
                        Ok(t) => property.loss_type = Some(t),
                        Err(_) => err(format!(
                            "`{value}` is not a loss type (fire, water, wind, theft, vandalism, other)"
                        )),
                    }
                }
                "property_address" => {
                    any_property = true;
                    property.property_address = text()
                }
                "damage_description" => {
                    any_property = true;
                    property.damage_description = text()
                }
                "emergency_repairs_needed" => {
                    any_property = true;
                    property.emergency_repairs_needed = yes_no(value, &mut err)
                }
                "public_adjuster" => {
                    any_property = true;
                    property.public_adjuster = yes_no(value, &mut err)
                }
                "mortgagee" => {
                    any_property = true;
                    property.mortgagee = text()
                }
                "estimated_loss" => {
                    match value
                        .trim_start_matches('$')
                        .replace(',', "")
                        .parse::<Money>()
                    {
                        Ok(m) => estimate = Some(m),
                        Err(e) => err(format!("`{value}` is not an amount: {e}")),
                    }
                }
                "claim_received_on" => {
                    any_liability = true;
                    liability.claim_received_on = date(value, &mut err)
                }
                "allegation" => {
                    any_liability = true;
                    liability.allegation = text()
                }
                "represented" => {
                    any_liability = true;
                    liability.represented = yes_no(value, &mut err)
                }
                "prior_notice" => {
                    any_liability = true;
                    liability.prior_notice = yes_no(value, &mut err)
                }
                "litigation" => {
                    any_liability = true;
                    liability.litigation = yes_no(value, &mut err).unwrap_or(false)
                }
                "bodily_injury" => {
                    any_liability = true;
                    liability.bodily_injury = yes_no(value, &mut err).unwrap_or(false)
                }
                "employee_name" => {
                    any_wc = true;
                    employee.name = text()
                }
                "employee_id" => {
                    any_wc = true;
                    employee.id = text()
                }
                "job_title" => {
                    any_wc = true;
                    employee.job_title = text()
                }
                "employee_address" => {
                    any_wc = true;
                    employee.address = text()
                }
                "employee_representative" => {
                    any_wc = true;
                    employee.representative = representative(text())
                }
                "how_it_happened" => {
                    any_wc = true;
                    wc.how_it_happened = text()
                }
                "body_parts" => {
                    any_wc = true;
                    wc.body_parts = list(value)
                }
                "medical_treatment" => {
                    any_wc = true;
                    wc.medical_treatment = yes_no(value, &mut err)
                }
                "treatment_facility" => {
                    any_wc = true;
                    wc.treatment_facility = text()
                }
                "treating_physician" => {
                    any_wc = true;
                    wc.treating_physician = text()
                }
                "return_to_work_expected" => {
                    any_wc = true;
                    wc.return_to_work_expected = yes_no(value, &mut err)
                }
                _ => {}
            },
            Column::Party(party, field) => {
                if matches!(*party, "claimant" | "attorney") {
                    any_liability = true;
                }
                let p = people.entry(*party).or_default();
                let slot = match *field {
                    "name" => &mut p.name,
                    "organization" => &mut p.organization,
                    "relationship" => &mut p.relationship,
                    "phone" => &mut p.phone,
                    "email" => &mut p.email,
                    _ => &mut p.address,
                };
                *slot = text();
            }
            Column::Group(prefix, n, f) => match *prefix {
                "vehicle" => {
                    let v = g.vehicles.entry(*n).or_default();
                    match *f {
                        "year" => match value.parse::<i32>() {
                            Ok(y) if (1900..=2100).contains(&y) => v.year = Some(y),
                            _ => err(format!("`{value}` is not a model year")),
                        },
                        "make" => v.make = text(),
                        "model" => v.model = text(),
                        "vin" => v.vin = text(),
                        "plate" => v.plate = text(),
                        _ => v.damage = text(),
                    }
                }
                "other_party" => {
                    let p = g.others.entry(*n).or_default();
                    match *f {
                        "name" => p.name = text(),
                        "contact" => p.contact = text(),
                        "carrier" => p.carrier = text(),
                        "policy_number" => p.policy_number = text(),
                        "address" => p.address = text(),
                        "representative" => p.representative = representative(text()),
                        _ => p.vehicle = text(),
                    }
                }
                "injured" => {
                    let p = g.injured.entry(*n).or_default();
                    match *f {
                        "name" => p.name = text(),
                        "contact" => p.contact = text(),
                        "catastrophic" => {
                            p.catastrophic = yes_no(value, &mut err).unwrap_or(false)
                        }
                        "address" => p.address = text(),
                        "representative" => p.representative = representative(text()),
                        _ => p.description = text(),
                    }
                }
                _ => {
                    let w = g.witnesses.entry(*n).or_default();
                    match *f {
                        "name" => w.name = text(),
                        _ => w.contact = text(),
                    }
                }
            },
        }
    }
    if d.lob.is_none() {
        errors.push(CellError {
            row,
            column: Some("lob".into()),
            message: "every row needs its line of business".into(),
        });
    }
    let lob = d.lob.unwrap_or(LineOfBusiness::GeneralLiability);
    let witnesses: Vec<Witness> = g.witnesses.into_values().collect();
    let mut person = |party: &str| people.remove(party).filter(|p| *p != Party::default());
    d.insured = person("insured");
    d.agent = person("agent");
    d.reporter = person("reporter");
    let claimant = person("claimant");
    let attorney = person("attorney");
    if lob.is_auto() {
        auto.estimated_loss = estimate;
    } else if estimate.is_some() {
        property.estimated_loss = estimate;
        any_property = true;
    }
    if lob.is_auto() {
        auto.vehicles = g.vehicles.into_values().collect();
        auto.other_parties = g.others.into_values().collect();
        auto.injured = g.injured.into_values().collect();
        auto.witnesses = witnesses;
        auto.fatality = fatality;
        d.auto = Some(auto);
    } else {
        if !(g.vehicles.is_empty() && g.others.is_empty() && g.injured.is_empty()) {
            errors.push(CellError {
                row,
                column: None,
                message: format!(
                    "vehicle, other party and injured columns are for auto claims, not {lob}"
                ),
            });
        }
        for column in auto_only {
            errors.push(CellError {
                row,
                column: Some(column),
                message: format!("this column is for auto claims, not {lob}"),
            });
        }
        if lob == LineOfBusiness::WorkersComp {
            wc.witnesses = witnesses;
            wc.fatality = fatality;
        } else if fatality {
            errors.push(CellError {
                row,
                column: Some("fatality".into()),
                message: format!(
                    "a fatality is recorded on auto and workers' compensation claims, not {lob}"
                ),
            });
        }
    }
    if lob == LineOfBusiness::Property || any_property {
        d.property = Some(property);
    }
    if lob.is_liability() || any_liability {
        liability.claimant = claimant;
        liability.attorney = attorney;
        d.liability = Some(liability);
    }
    if lob == LineOfBusiness::WorkersComp || any_wc {
        if employee != Employee::default() {
            wc.employee = Some(employee);
        }
        d.workers_comp = Some(wc);
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(errors)
    }
}

/// A semicolon-separated list: `left wrist; lower back`.
fn list(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn date(value: &str, err: &mut impl FnMut(String)) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            err(format!("`{value}` is not a date as YYYY-MM-DD"));
            None
        }
    }
}

/// Y/N, yes/no, true/false (any case).
pub fn yes_no(value: &str, err: &mut impl FnMut(String)) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" => Some(true),
        "n" | "no" | "false" => Some(false),
        _ => {
            err(format!("`{value}` is not Y/N (yes/no, true/false)"));
            None
        }
    }
}

/// The CSV column that holds a claim field path (`auto.vehicles[0].vin` → `vehicle1_vin`),
/// for admission errors on a row.
pub fn column_for(field: &str) -> String {
    let indexed = |rest: &str, prefix: &str| -> String {
        // rest looks like `[0].vin` or `` (the whole list).
        let Some(inner) = rest.strip_prefix('[') else {
            return format!(
                "{prefix}1_{}",
                GROUPS
                    .iter()
                    .find(|g| g.0 == prefix)
                    .map_or("name", |g| g.1[0])
            );
        };
        let (n, after) = inner.split_once(']').unwrap_or((inner, ""));
        let n = n.parse::<usize>().map_or(1, |n| n + 1);
        format!("{prefix}{n}_{}", after.trim_start_matches('.'))
    };
    if let Some(rest) = field.strip_prefix("auto.vehicles") {
        return indexed(rest, "vehicle");
    }
    if let Some(rest) = field.strip_prefix("auto.other_parties") {
        return indexed(rest, "other_party");
    }
    if let Some(rest) = field.strip_prefix("auto.injured") {
        return indexed(rest, "injured");
    }
    if let Some(rest) = field
        .strip_prefix("auto.witnesses")
        .or_else(|| field.strip_prefix("workers_comp.witnesses"))
    {
        return indexed(rest, "witness");
    }
    // The people: `insured.name` → insured_name, `liability.claimant.phone` → claimant_phone.
    let person = field
        .strip_prefix("liability.")
        .filter(|p| p.starts_with("claimant.") || p.starts_with("attorney."))
        .unwrap_or(field);
    if let Some((party, f)) = person.split_once('.') {
        if PARTIES.contains(&party) && PARTY_FIELDS.contains(&f) {
            return format!("{party}_{f}");
        }
    }
    match field {
        "workers_comp.employee.name" => return "employee_name".into(),
        "workers_comp.employee.id" => return "employee_id".into(),
        "workers_comp.employee.job_title" => return "job_title".into(),
        "workers_comp.employee.address" => return "employee_address".into(),
        "workers_comp.employee.representative" => return "employee_representative".into(),
        "property" => return "property_address".into(),
        "liability" => return "allegation".into(),
        "workers_comp" => return "employee_name".into(),
        _ => {}
    }
    if let Some(rest) = field.strip_prefix("loss.") {
        return format!("loss_{rest}");
    }
    for section in ["property.", "liability.", "workers_comp.", "auto."] {
        if let Some(rest) = field.strip_prefix(section) {
            return rest.to_string();
        }
    }
    field.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_rows_parse_and_bad_cells_name_row_and_column() {
        let text = "lob,policy_number,loss_date,vehicle1_vin,vehicle2_make,injured1_name,body_parts,public_adjuster\n\
personal_auto,P1,2026-11-01,1ABC,Ford,Ann,,\n\
workers_comp,W1,2026-11-02,,,,back; left knee,\n\
property,H1,11/02/2026,,,,,maybe\n";
        let rows = parse_csv(text).unwrap();
        assert_eq!(rows.len(), 3);
        let auto = rows[0].draft.as_ref().unwrap();
        let a = auto.auto.as_ref().unwrap();
        assert_eq!(a.vehicles.len(), 2);
        assert_eq!(a.injured[0].name.as_deref(), Some("Ann"));
        let wc = rows[1].draft.as_ref().unwrap();
        assert_eq!(
            wc.workers_comp.as_ref().unwrap().body_parts,
            ["back", "left knee"]
        );
        let errs = rows[2].draft.as_ref().unwrap_err();
        assert_eq!(rows[2].row, 4);
        let cols: Vec<_> = errs.iter().map(|e| e.column.clone().unwrap()).collect();
        assert_eq!(cols, ["loss_date", "public_adjuster"]);
        assert_eq!(
            errs[0].to_string().split(':').next(),
            Some("row 4, column loss_date")
        );
    }

    #[test]
    fn crlf_and_lf_files_name_the_same_rows() {
        let lf =
            "lob,loss_date\nproperty,2026-11-01\n\nproperty,11/02/2026\nproperty,\"2026-11-03\"\n";
        let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
        for text in [lf.to_string(), crlf] {
            let rows = parse_csv(&text).unwrap();
            let numbers: Vec<usize> = rows.iter().map(|r| r.row).collect();
            assert_eq!(numbers, [2, 4, 5], "{text:?}");
            let errs = rows[1].draft.as_ref().unwrap_err();
            assert_eq!(errs[0].row, 4);
            assert_eq!(errs[0].column.as_deref(), Some("loss_date"));
        }
    }

    /// The batch must be able to say whatever the web form says: every field of the
    /// payload's sections has its column (`--accept-vin` is the batch's word for a VIN whose
    /// check digit fails, as on the command line of a payload).
    #[test]
    fn every_fact_the_web_payload_has_has_a_column() {
        fn fields<T: schemars::JsonSchema>() -> Vec<String> {
            let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
            schema["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        }
        use crate::domain::fnol::LossFacts;
        let mut columns: Vec<String> = Vec::new();
        for f in fields::<Party>() {
            for p in PARTIES {
                columns.push(format!("{p}_{f}"));
            }
        }
        columns.extend(fields::<LossFacts>().iter().map(|f| format!("loss_{f}")));
        let grouped = |prefix: &str, fs: Vec<String>| -> Vec<String> {
            fs.into_iter().map(|f| format!("{prefix}1_{f}")).collect()
        };
        columns.extend(grouped(
            "vehicle",
            fields::<Vehicle>()
                .into_iter()
                .filter(|f| f != "vin_check_overridden")
                .collect(),
        ));
        columns.extend(grouped("other_party", fields::<OtherParty>()));
        columns.extend(grouped("injured", fields::<InjuredPerson>()));
        columns.extend(grouped("witness", fields::<Witness>()));
        let plain = |fs: Vec<String>, nested: &[&str]| -> Vec<String> {
            fs.into_iter()
                .filter(|f| !nested.contains(&f.as_str()))
                .collect()
        };
        columns.extend(plain(
            fields::<AutoFacts>(),
            &["vehicles", "other_parties", "injured", "witnesses"],
        ));
        columns.extend(plain(fields::<PropertyFacts>(), &[]));
        columns.extend(plain(fields::<LiabilityFacts>(), &["claimant", "attorney"]));
        columns.extend(plain(
            fields::<WorkersCompFacts>(),
            &["employee", "witnesses"],
        ));
        columns.extend(["employee_name", "employee_id", "job_title"].map(String::from));
        columns.extend(
            [
                "lob",
                "jurisdiction",
                "channel",
                "policy_number",
                "received_at",
                "notes",
            ]
            .map(String::from),
        );
        let missing: Vec<&String> = columns
            .iter()
            .filter(|c| parse_header(c).is_none())
            .collect();
        assert!(missing.is_empty(), "no CSV column for {missing:?}");
        // The employee's fields are the five columns named above.
        assert_eq!(
            fields::<Employee>(),
            ["address", "id", "job_title", "name", "representative"]
        );
    }

    #[test]
    fn a_row_can_give_the_facts_beyond_the_required_ones() {
        let text = "lob,received_at,insured_organization,agent_name,agent_email,reporter_relationship,reporter_email,loss_keywords,glass_only,business_use,fatality,injured1_name,injured1_catastrophic,notes\n\
personal_auto,2026-11-19T08:30:00-06:00,Novak Family Trust,Daniel Kowalski,dk@agency.example,spouse,laura@mail.example,windshield; rock chip,Y,N,N,Ann,Y,Called twice\n\
property,,,,,,,,Y,,Y,,,\n";
        let rows = parse_csv(text).unwrap();
        let d = rows[0].draft.as_ref().unwrap();
        assert_eq!(
            d.received_at.unwrap().to_rfc3339(),
            "2026-11-19T08:30:00-06:00"
        );
        assert_eq!(
            d.insured.as_ref().unwrap().organization.as_deref(),
            Some("Novak Family Trust")
        );
        let agent = d.agent.as_ref().unwrap();
        assert_eq!(agent.name.as_deref(), Some("Daniel Kowalski"));
        assert_eq!(agent.email.as_deref(), Some("dk@agency.example"));
        let reporter = d.reporter.as_ref().unwrap();
        assert_eq!(reporter.relationship.as_deref(), Some("spouse"));
        assert_eq!(d.loss.keywords, ["windshield", "rock chip"]);
        let auto = d.auto.as_ref().unwrap();
        assert!(auto.glass_only && !auto.business_use && !auto.fatality);
        assert!(auto.injured[0].catastrophic);
        assert_eq!(d.notes, ["Called twice"]);
        // Auto-only facts on a property row are errors naming their columns.
        let errs = rows[1].draft.as_ref().unwrap_err();
        let cols: Vec<_> = errs.iter().filter_map(|e| e.column.as_deref()).collect();
        assert_eq!(cols, ["glass_only", "fatality"]);
    }

    #[test]
    fn unknown_columns_fail_the_header() {
        let errs = parse_csv("lob,colour,vehicle0_vin,vehicle1_paint\nproperty,red,,\n")
            .err()
            .unwrap();
        let cols: Vec<_> = errs.iter().map(|e| e.column.clone().unwrap()).collect();
        assert_eq!(cols, ["colour", "vehicle0_vin", "vehicle1_paint"]);
        assert!(errs.iter().all(|e| e.row == 1));
    }

    #[test]
    fn booleans_accept_common_spellings() {
        let mut n = 0;
        let mut err = |_: String| n += 1;
        for v in ["Y", "yes", "TRUE"] {
            assert_eq!(yes_no(v, &mut err), Some(true));
        }
        for v in ["n", "No", "false"] {
            assert_eq!(yes_no(v, &mut err), Some(false));
        }
        assert_eq!(yes_no("x", &mut err), None);
        assert_eq!(n, 1);
    }

    #[test]
    fn field_paths_map_to_columns() {
        assert_eq!(column_for("auto.vehicles[1].vin"), "vehicle2_vin");
        assert_eq!(column_for("auto.vehicles"), "vehicle1_year");
        assert_eq!(column_for("auto.injured[0].contact"), "injured1_contact");
        assert_eq!(column_for("loss.time"), "loss_time");
        assert_eq!(column_for("property.mortgagee"), "mortgagee");
        assert_eq!(column_for("liability.claimant.phone"), "claimant_phone");
        assert_eq!(column_for("liability.attorney.email"), "attorney_email");
        assert_eq!(column_for("insured.name"), "insured_name");
        assert_eq!(column_for("auto.glass_only"), "glass_only");
        assert_eq!(column_for("received_at"), "received_at");
        assert_eq!(column_for("workers_comp.employee.id"), "employee_id");
        assert_eq!(
            column_for("workers_comp.witnesses[0].name"),
            "witness1_name"
        );
        assert_eq!(column_for("jurisdiction"), "jurisdiction");
    }
}
