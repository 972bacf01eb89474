//! A claim's dated timeline: every event its record dates, in time order, so that "pertinent
//! events and their dates can be reconstructed" from the claim file (10 CCR 2695.3). Read only
//! from the record's own dated fields — the status history, triage, assignment, checklists,
//! reserves, negotiation, settlement, payments, denial, closure, reopenings, SLA events,
//! letters and their delivery records, attachments, notes and diaries.
//!
//! Times are shown in the office's time zone. Some facts carry a date and no time (a document
//! received on, a letter delivered on, a negotiation step, a release signed on): they sort at
//! the start of their day in the office, or just after the event they follow where the record
//! ties them to one (a delivery after its letter, a release's signature after the settlement
//! was approved). What the record does not date at all (a waived task, a document still
//! outstanding) is listed last, undated.

use chrono::{NaiveDate, NaiveTime, TimeZone};

use super::claim::{Approval, Claim, Delivery, ItemStatus, Timestamp};
use super::money::Money;

/// When a timeline row happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    At(Timestamp),
    /// A date the record keeps without a time.
    On(NaiveDate),
    /// The record dates it nowhere (a waived task, a document still outstanding).
    Undated,
}

/// One event of the claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub when: When,
    /// What happened, in a few words (`reserve changed`, `letter delivered`).
    pub what: String,
    /// Who did it (an email of authority.yaml, a party's name), where the record says.
    pub by: String,
    pub detail: String,
    /// Where it sorts (see the module's notes); `None` for undated rows.
    key: Option<Timestamp>,
}

impl Row {
    /// The time, as the office reads it: `2026-11-20 10:00 CST`, `2026-11-20` for a date
    /// without time, empty when undated.
    pub fn when_text(&self, tz: chrono_tz::Tz) -> String {
        match &self.when {
            When::At(t) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
            When::On(d) => d.format("%Y-%m-%d").to_string(),
            When::Undated => String::new(),
        }
    }

    /// The time for a machine: RFC 3339 in the office's zone, `YYYY-MM-DD` for a date
    /// without time, empty when undated.
    pub fn when_iso(&self, tz: chrono_tz::Tz) -> String {
        match &self.when {
            When::At(t) => t
                .with_timezone(&tz)
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            When::On(d) => d.format("%Y-%m-%d").to_string(),
            When::Undated => String::new(),
        }
    }
}

/// Builds the rows in record order; [`timeline`] sorts them.
struct Rows {
    tz: chrono_tz::Tz,
    /// Nothing on the claim comes before its notice was received.
    received: Timestamp,
    rows: Vec<Row>,
}

impl Rows {
    fn at(&mut self, at: Timestamp, what: impl Into<String>, by: &str, detail: String) {
        self.rows.push(Row {
            when: When::At(at),
            what: what.into(),
            by: by.to_string(),
            detail,
            key: Some(at),
        });
    }

    /// A date without time: at the start of that day in the office, or just after `after`
    /// (the event it cannot precede; at least the notice's receipt) when that is later the
    /// same day.
    fn on(
        &mut self,
        on: NaiveDate,
        after: Option<Timestamp>,
        what: impl Into<String>,
        by: &str,
        detail: String,
    ) {
        let start = self.start_of(on);
        let after = after.map_or(self.received, |a| a.max(self.received));
        let same_day = after.with_timezone(&self.tz).date_naive() == on;
        let key = if same_day && after >= start {
            after
        } else {
            start
        };
        self.rows.push(Row {
            when: When::On(on),
            what: what.into(),
            by: by.to_string(),
            detail,
            key: Some(key),
        });
    }

    fn undated(&mut self, what: impl Into<String>, by: &str, detail: String) {
        self.rows.push(Row {
            when: When::Undated,
            what: what.into(),
            by: by.to_string(),
            detail,
            key: None,
        });
    }

    fn start_of(&self, day: NaiveDate) -> Timestamp {
        let local = self
            .tz
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()
            .unwrap_or_else(|| self.tz.from_utc_datetime(&day.and_time(NaiveTime::MIN)));
        local.fixed_offset()
    }

    fn approval(&mut self, what: &str, a: &Option<Approval>) {
        if let Some(a) = a {
            self.at(
                a.at,
                what,
                &a.by,
                join([Some(format!("as {}", a.role)), a.note.clone()]),
            );
        }
    }

    fn deliveries(&mut self, what: &str, after: Option<Timestamp>, ds: &[Delivery]) {
        for d in ds {
            let how = [
                Some(format!("to {} by {}", d.to, plain_enum(&d.method))),
                d.tracking_number.as_ref().map(|t| format!("tracking {t}")),
                d.message_id.as_ref().map(|m| format!("Message-ID {m}")),
                d.reference.as_ref().map(|r| format!("reference {r}")),
            ];
            self.on(d.on, after, what, "", join(how));
        }
    }
}

/// The words of a unit enum as the record spells it (`certified_mail` as "certified mail").
fn plain_enum<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

/// The present parts, joined with "; ".
fn join<const N: usize>(parts: [Option<String>; N]) -> String {
    parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn money(m: Money) -> String {
    m.to_string()
}

/// Every dated event of `claim`, oldest first (ties in record order), then what the record
/// does not date; times to be read in the office's zone `tz`.
pub fn timeline(c: &Claim, tz: chrono_tz::Tz) -> Vec<Row> {
    let mut r = Rows {
        tz,
        received: c.received_at,
        rows: Vec::new(),
    };
    let reporter = c
        .reporter
        .as_ref()
        .and_then(|p| p.name.clone())
        .unwrap_or_default();
    r.at(
        c.received_at,
        "received",
        &reporter,
        join([
            Some(format!(
                "first notice by {}",
                plain_enum(&c.channel).replace(' ', "_")
            )),
            Some(format!("{} in {}", c.lob, c.jurisdiction)),
            c.policy_number.as_ref().map(|p| format!("policy {p}")),
            c.source.as_ref().map(|s| format!("from {}", s.describe())),
        ]),
    );
    for e in &c.history {
        r.at(
            e.at,
            format!("status: {}", e.status),
            &e.by,
            format!("by {}", e.event),
        );
    }
    if let Some(t) = &c.triage {
        r.at(
            t.at,
            "triage",
            &t.by,
            join([
                Some(format!("coverage {}", plain_enum(&t.coverage))),
                Some(format!("priority {}", t.priority.as_str())),
                (!t.reasons.is_empty()).then(|| t.reasons.join(", ")),
                t.deductible.map(|d| format!("deductible {d}")),
                t.sublimit
                    .as_ref()
                    .map(|s| format!("sublimit {} {}", s.name, s.amount)),
                (!t.conditions.is_empty()).then(|| {
                    format!(
                        "conditions: {}",
                        t.conditions
                            .iter()
                            .map(|f| f.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
                t.catastrophe.as_ref().map(|k| format!("catastrophe {k}")),
                t.escalated.then(|| "escalated".to_string()),
                t.assign_by.map(|a| {
                    format!(
                        "assign by {}",
                        a.with_timezone(&tz).format("%Y-%m-%d %H:%M")
                    )
                }),
            ]),
        );
    }
    for d in &c.possible_duplicates {
        r.at(
            d.found_at,
            "possible duplicate found",
            "",
            join([Some(format!("of {}", d.of)), Some(d.reasons.join(", "))]),
        );
        if let Some(x) = &d.decision {
            r.at(
                x.at,
                format!("duplicate decision: {}", x.outcome),
                &x.by,
                join([Some(format!("of {}", d.of)), x.note.clone()]),
            );
        }
    }
    if let Some(e) = &c.escalation {
        r.at(
            e.at,
            "escalated: nobody to assign",
            &e.by,
            join([Some(format!("rule {}", e.rule)), Some(e.reason.clone())]),
        );
    }
    if let Some(a) = &c.assignment {
        r.at(
            a.at,
            "assigned",
            &a.by,
            join([
                a.adjuster
                    .as_ref()
                    .or(a.handler.as_ref())
                    .map(|w| format!("to {w}")),
                Some(format!("destination {}", a.destination)),
                a.rule.as_ref().map(|x| format!("rule {x}")),
                a.contact_by.map(|t| {
                    format!(
                        "contact by {}",
                        t.with_timezone(&tz).format("%Y-%m-%d %H:%M")
                    )
                }),
                a.override_reason.as_ref().map(|x| format!("override: {x}")),
            ]),
        );
    }
    for t in &c.tasks {
        let due = t.due.map(|d| format!("due {d}"));
        match (t.status, t.done_at) {
            (_, Some(at)) => r.at(
                at,
                format!("task done: {}", t.name),
                t.by.as_deref().unwrap_or(""),
                join([due]),
            ),
            (ItemStatus::Waived, None) => r.undated(
                format!("task waived: {}", t.name),
                t.by.as_deref().unwrap_or(""),
                join([t.waived_reason.clone(), due]),
            ),
            (s, None) => r.undated(
                format!("task {}: {}", plain_enum(&s), t.name),
                "",
                join([due]),
            ),
        }
    }
    for d in &c.documents {
        let detail = |extra: Option<String>| {
            join([
                d.required_for.as_ref().map(|f| format!("for {f}")),
                d.due.map(|x| format!("due {x}")),
                extra,
            ])
        };
        match (d.status, d.received_on) {
            (_, Some(on)) => r.on(
                on,
                None,
                format!("document received: {}", d.name),
                "",
                detail(d.file.as_ref().map(|f| format!("file {f}"))),
            ),
            (ItemStatus::Waived, None) => r.undated(
                format!("document waived: {}", d.name),
                "",
                detail(d.waived_reason.clone()),
            ),
            (s, None) => r.undated(
                format!("document {}: {}", plain_enum(&s), d.name),
                "",
                detail(None),
            ),
        }
    }
    for x in &c.reserves {
        r.at(
            x.at,
            "reserve changed",
            &x.by,
            join([
                Some(format!("{} -> {}", money(x.previous), money(x.amount))),
                Some(format!("reason {}", x.reason)),
                Some(plain_enum(&x.state)),
                x.note.clone(),
                x.above_limit.as_ref().map(|l| format!("above {l}")),
            ]),
        );
        r.approval(
            &format!("reserve {} approved", money(x.amount)),
            &x.approval,
        );
    }
    for n in &c.negotiation {
        r.on(
            n.on,
            None,
            format!("negotiation: {}", n.kind),
            &n.party,
            join([Some(money(n.amount)), n.note.clone()]),
        );
    }
    if let Some(s) = &c.settlement {
        r.at(
            s.proposed_at,
            "settlement proposed",
            &s.proposed_by,
            join([
                Some(format!(
                    "{} on basis {}",
                    money(s.amount),
                    plain_enum(&s.basis)
                )),
                s.exposure.as_ref().map(|e| format!("for {e}")),
                s.paid_before.map(|p| format!("paid before {p}")),
                Some(plain_enum(&s.state)),
            ]),
        );
        r.approval("settlement approved", &s.approval);
        if let Some(rel) = &s.release {
            let after = s.approval.as_ref().map(|a| a.at).unwrap_or(s.proposed_at);
            let detail = join([
                Some(format!("{} release", rel.kind)),
                rel.releasor.as_ref().map(|x| format!("releasor {x}")),
                rel.releasee.as_ref().map(|x| format!("releasee {x}")),
                Some(format!("letter {}", rel.letter)),
            ]);
            match rel.signed_on {
                Some(on) => r.on(
                    on,
                    Some(after),
                    "release signed",
                    rel.signed_by.as_deref().unwrap_or(""),
                    detail,
                ),
                None => r.undated("release not yet signed", "", detail),
            }
        }
    }
    for p in &c.payments {
        r.at(
            p.at,
            "payment",
            &p.by,
            join([
                Some(money(p.amount)),
                p.exposure.as_ref().map(|e| format!("for {e}")),
                Some(format!("to {}", p.payee)),
                p.co_payee.as_ref().map(|x| format!("co-payee {x}")),
                Some(format!("{} {}", plain_enum(&p.method), p.reference)),
                Some(plain_enum(&p.state)),
            ]),
        );
        r.approval(
            &format!("payment {} approved", money(p.amount)),
            &p.approval,
        );
    }
    if let Some(s) = &c.subrogation {
        r.at(
            s.flagged_at,
            "subrogation flagged",
            &s.by,
            join([
                Some(format!("against {}", s.target)),
                s.carrier.as_ref().map(|x| format!("carrier {x}")),
                Some(format!("paid {}", s.amount_paid)),
                Some(s.status.clone()),
            ]),
        );
    }
    if let Some(d) = &c.denial {
        r.at(
            d.recommended_at,
            "denial recommended",
            &d.recommended_by,
            join([
                Some(format!("trigger {}", d.trigger)),
                (!d.provisions.is_empty()).then(|| {
                    format!(
                        "provisions {}",
                        d.provisions
                            .iter()
                            .map(|p| format!("{} p. {}", p.section, p.page))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
                Some(d.explanation.clone()),
                d.retention_until.map(|x| format!("retain until {x}")),
            ]),
        );
        r.approval("denial compliance review", &d.compliance_review);
        r.approval("denial approved", &d.approval);
        // A delivery follows the denial letter (when the record holds it), else the approval.
        let letter = d
            .letter
            .as_ref()
            .and_then(|f| c.letters.iter().find(|l| &l.file == f))
            .map(|l| l.at);
        let after = letter
            .or(d.approval.as_ref().map(|a| a.at))
            .or(Some(d.recommended_at));
        r.deliveries("denial letter delivered", after, &d.delivery);
    }
    for o in &c.reopenings {
        if let Some(x) = &o.closure {
            r.at(x.at, "closed", &x.by, closure_detail(x));
        }
        r.at(
            o.at,
            "reopened",
            &o.by,
            join([
                Some(format!("from {}", o.from)),
                Some(format!("reason {}", o.reason)),
                o.note.clone(),
            ]),
        );
    }
    if let Some(x) = &c.closure {
        r.at(x.at, "closed", &x.by, closure_detail(x));
    }
    let s = &c.sla;
    for (at, what) in [
        (s.acknowledged_at, "acknowledged"),
        (s.proof_of_loss_at, "proof of loss received"),
        (s.all_items_received_at, "all items received"),
        (s.coverage_decided_at, "coverage decided"),
        (s.coverage_accepted_at, "coverage accepted"),
        (s.settlement_agreed_at, "settlement agreed"),
        (s.paid_at, "paid (settlement clock stopped)"),
    ] {
        if let Some(at) = at {
            r.at(at, what, "", String::new());
        }
    }
    for at in &s.status_letters {
        r.at(*at, "status letter sent", "", String::new());
    }
    for q in &s.inquiries {
        r.at(
            q.received_at,
            "inquiry received",
            &q.from,
            q.subject.clone(),
        );
        if let Some(a) = q.answered_at {
            r.at(
                a,
                "inquiry answered",
                "",
                format!("{} (from {})", q.subject, q.from),
            );
        }
    }
    for a in &c.attachments {
        r.at(
            a.received_at,
            "attachment received",
            "",
            join([Some(a.file.clone()), a.kind.clone()]),
        );
    }
    for l in &c.letters {
        r.at(
            l.at,
            format!("letter written: {}", l.template),
            "",
            join([Some(format!("to {}", l.to)), Some(l.file.clone())]),
        );
        r.deliveries(
            &format!("letter delivered: {}", l.template),
            Some(l.at),
            &l.delivery,
        );
    }
    for n in &c.notes {
        r.at(n.at, "note", &n.by, n.text.clone());
    }
    for d in &c.diary {
        r.at(
            d.set_at,
            format!("diary set: {}", d.what),
            &d.set_by,
            join([
                Some(format!("due {}", d.due)),
                d.every_days.map(|n| format!("every {n} days")),
                Some(format!("owner {}", d.owner)),
            ]),
        );
        if let Some(at) = d.done_at {
            r.at(
                at,
                format!("diary done: {}", d.what),
                d.done_by.as_deref().unwrap_or(""),
                join([d.done_note.clone()]),
            );
        }
    }
    let mut rows = r.rows;
    // Stable: ties keep record order; undated rows last.
    rows.sort_by_key(|row| (row.key.is_none(), row.key.map(|k| k.timestamp())));
    rows
}

fn closure_detail(x: &super::claim::Closure) -> String {
    join([
        Some(plain_enum(&x.outcome)),
        x.reason.map(|r| r.as_str().to_string()),
        x.note.clone(),
    ])
}

/// The timeline as CSV: `when,what,by,detail` (`when` RFC 3339 in the office's zone).
pub fn to_csv(rows: &[Row], tz: chrono_tz::Tz) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["when", "what", "by", "detail"])
        .expect("writes to memory");
    for r in rows {
        w.write_record([
            r.when_iso(tz),
            r.what.clone(),
            r.by.clone(),
            r.detail.clone(),
        ])
        .expect("writes to memory");
    }
    String::from_utf8(w.into_inner().expect("writes to memory")).expect("CSV of text is text")
}

/// The timeline for a person: one event a line (when, what, by), its detail indented below.
pub fn to_text(rows: &[Row], tz: chrono_tz::Tz, title: &str) -> String {
    let mut out = format!("{title}\n\n");
    let width = rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for r in rows {
        let when = match r.when {
            When::Undated => "(undated)".to_string(),
            _ => r.when_text(tz),
        };
        let line = format!("{when:<20}  {:<width$}  {}", r.what, r.by);
        out.push_str(line.trim_end());
        out.push('\n');
        if !r.detail.is_empty() {
            out.push_str(&format!("{:22}{}\n", "", r.detail));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claim::Claim;
    use chrono::DateTime;

    fn ts(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// A sample claim of the project's own example office, read as the tool reads it.
    fn sample(id: &str) -> Claim {
        let (y, m) = (&id[4..6], &id[6..8]);
        let path = format!("{}/claims/20{y}/{m}/{id}.yaml", env!("CARGO_MANIFEST_DIR"));
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn whats(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.what.as_str()).collect()
    }

    const TZ: chrono_tz::Tz = chrono_tz::America::Chicago;

    #[test]
    fn rows_come_in_time_order_with_undated_last() {
        for id in [
            "CLM-2610-VA8H-T6J7",
            "CLM-2609-PXBB-KSGB",
            "CLM-2608-JN8S-QVEH",
            "CLM-2608-FR23-R1AV",
        ] {
            let rows = timeline(&sample(id), TZ);
            let keys: Vec<_> = rows.iter().map(|r| (r.key.is_none(), r.key)).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "{id}");
            assert_eq!(rows[0].what, "received", "{id}");
        }
    }

    #[test]
    fn every_dated_part_of_the_record_has_its_row() {
        let mut c = sample("CLM-2610-VA8H-T6J7");
        let rows = timeline(&c, TZ);
        let what = whats(&rows);
        for w in ["received", "triage", "reserve changed", "payment", "note"] {
            assert!(what.contains(&w), "{w} missing from {what:?}");
        }
        assert_eq!(
            rows.iter().filter(|r| r.what == "note").count(),
            c.notes.len()
        );
        assert_eq!(
            rows.iter().filter(|r| r.what == "reserve changed").count(),
            c.reserves.len()
        );
        assert_eq!(
            rows.iter()
                .filter(|r| r.what.starts_with("status: "))
                .count(),
            c.history.len()
        );
        // An inquiry and its answer, a diary set and done, a status letter.
        c.sla.inquiries.push(crate::domain::claim::Inquiry {
            received_at: ts("2026-11-02T09:00:00-06:00"),
            from: "Gary Lindqvist".into(),
            subject: "When is the inspection?".into(),
            answered_at: Some(ts("2026-11-03T11:00:00-06:00")),
        });
        c.sla.status_letters.push(ts("2026-11-05T08:00:00-06:00"));
        let rows = timeline(&c, TZ);
        let q = rows
            .iter()
            .position(|r| r.what == "inquiry received")
            .unwrap();
        let a = rows
            .iter()
            .position(|r| r.what == "inquiry answered")
            .unwrap();
        assert!(q < a);
        assert_eq!(rows[q].by, "Gary Lindqvist");
        assert!(whats(&rows).contains(&"status letter sent"));
    }

    #[test]
    fn a_delivery_on_the_day_of_its_letter_comes_after_it() {
        let mut c = sample("CLM-2610-VA8H-T6J7");
        c.letters.push(crate::domain::claim::Letter {
            template: "status_update".into(),
            file: "letters/status_update.txt".into(),
            to: "insured".into(),
            at: ts("2026-11-20T15:00:00-06:00"),
            delivery: vec![Delivery {
                to: "insured".into(),
                method: crate::domain::claim::DeliveryMethod::CertifiedMail,
                tracking_number: Some("9400 1000".into()),
                message_id: None,
                reference: None,
                on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            }],
        });
        let rows = timeline(&c, TZ);
        let w = rows
            .iter()
            .position(|r| r.what == "letter written: status_update")
            .unwrap();
        assert_eq!(rows[w + 1].what, "letter delivered: status_update");
        assert_eq!(rows[w + 1].when_text(TZ), "2026-11-20");
        assert!(rows[w + 1].detail.contains("certified mail"));
        assert!(rows[w + 1].detail.contains("tracking 9400 1000"));
    }

    #[test]
    fn times_read_in_the_office_zone() {
        let c = sample("CLM-2610-VA8H-T6J7");
        let rows = timeline(&c, TZ);
        // Received 2026-10-06T07:55:00-05:00: Chicago in daylight time.
        assert_eq!(rows[0].when_text(TZ), "2026-10-06 07:55 CDT");
        assert_eq!(rows[0].when_iso(TZ), "2026-10-06T07:55:00-05:00");
        assert_eq!(
            rows[0].when_text(chrono_tz::America::New_York),
            "2026-10-06 08:55 EDT"
        );
        let csv = to_csv(&rows, TZ);
        assert!(csv.starts_with("when,what,by,detail\n2026-10-06T07:55:00-05:00,received,"));
        let text = to_text(&rows, TZ, "Timeline");
        assert!(text.contains("2026-10-06 07:55 CDT  received"));
    }

    #[test]
    fn a_closed_and_reopened_claim_shows_both_closures() {
        let mut c = sample("CLM-2610-S9B8-YM57");
        let closure = c.closure.clone().unwrap();
        c.reopenings.push(crate::domain::claim::Reopening {
            at: closure.at + chrono::Duration::days(3),
            by: "lpark@harborpoint.example".into(),
            from: crate::domain::lifecycle::Status::Closed,
            reason: "supplemental_damage".into(),
            note: None,
            closure: Some(closure.clone()),
        });
        let mut again = closure.clone();
        again.at = closure.at + chrono::Duration::days(9);
        c.closure = Some(again);
        let rows = timeline(&c, TZ);
        let w = whats(&rows);
        let closed: Vec<_> = w
            .iter()
            .enumerate()
            .filter(|(_, x)| **x == "closed")
            .collect();
        let reopened = w.iter().position(|x| *x == "reopened").unwrap();
        assert_eq!(closed.len(), 2);
        assert!(closed[0].0 < reopened && reopened < closed[1].0);
    }
}
