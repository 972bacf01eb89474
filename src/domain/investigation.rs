//! Investigation tracking: the task list and document checklist assignment puts on a claim
//! (from authority.yaml's `investigation`, by claim type), finding an item by name, and what is
//! overdue. Pure.

use chrono::NaiveDate;

use super::authority::claim_type;
use super::calendar::BusinessCalendar;
use super::claim::{Claim, Document, ItemStatus, Task};
use super::office::Office;

/// Adds the claim type's tasks and documents (those whose conditions hold) that the claim does
/// not have yet, due in business days from `assigned_on`. Returns how many were added.
pub fn add_checklist(
    claim: &mut Claim,
    office: &Office,
    assigned_on: NaiveDate,
    cal: &BusinessCalendar,
) -> usize {
    let Some(kind) = claim_type(claim, office) else {
        return 0;
    };
    let Some(list) = office
        .investigation
        .iter()
        .find(|l| l.claim_type == kind.id)
    else {
        return 0;
    };
    let mut added = 0;
    let tasks: Vec<_> = list.tasks.iter().filter(|t| t.when.holds(claim)).collect();
    for t in tasks {
        if !claim
            .tasks
            .iter()
            .any(|x| x.name.eq_ignore_ascii_case(&t.name))
        {
            claim.tasks.push(Task {
                name: t.name.clone(),
                status: ItemStatus::Open,
                due: Some(cal.add_business_days(assigned_on, t.due)),
                done_at: None,
                by: None,
                waived_reason: None,
            });
            added += 1;
        }
    }
    let documents: Vec<_> = list
        .documents
        .iter()
        .filter(|d| d.when.holds(claim))
        .collect();
    for d in documents {
        let n = d.count.unwrap_or(1).max(1);
        for i in 1..=n {
            let name = if n == 1 {
                d.name.clone()
            } else {
                format!("{} ({i} of {n})", d.name)
            };
            if claim
                .documents
                .iter()
                .any(|x| x.name.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            claim.documents.push(Document {
                name,
                required_for: Some(d.required_for.clone()),
                status: ItemStatus::Requested,
                due: Some(cal.add_business_days(assigned_on, d.due)),
                received_on: None,
                file: None,
                waived_reason: None,
            });
            added += 1;
        }
    }
    added
}

/// The index of the item called `query`: its exact name (any case), else the one name that
/// contains it. Several or none: an error listing the names there are.
pub fn find_item<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    query: &str,
    what: &str,
) -> Result<usize, String> {
    let q = query.trim().to_lowercase();
    if let Some(i) = names.clone().position(|n| n.to_lowercase() == q) {
        return Ok(i);
    }
    let hits: Vec<(usize, &str)> = names
        .clone()
        .enumerate()
        .filter(|(_, n)| n.to_lowercase().contains(&q))
        .collect();
    match hits.as_slice() {
        [(i, _)] => Ok(*i),
        [] => {
            let all: Vec<&str> = names.collect();
            Err(if all.is_empty() {
                format!("the claim has no {what}s")
            } else {
                format!(
                    "no {what} matches \"{query}\"; the claim has: {}",
                    all.join("; ")
                )
            })
        }
        many => Err(format!(
            "\"{query}\" matches several {what}s: {}; give more of the name",
            many.iter().map(|(_, n)| *n).collect::<Vec<_>>().join("; ")
        )),
    }
}

/// A task or document still outstanding after its due date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    /// task or document
    pub kind: &'static str,
    pub name: String,
    pub due: NaiveDate,
    /// Business days past due.
    pub days_late: i64,
}

/// Outstanding tasks and documents of an open claim due before `as_of`, most overdue first.
pub fn overdue(claim: &Claim, as_of: NaiveDate, cal: &BusinessCalendar) -> Vec<Overdue> {
    if !claim.status.is_open() {
        return vec![];
    }
    let late = |kind, name: &str, status: ItemStatus, due: Option<NaiveDate>| {
        due.filter(|d| status.is_outstanding() && *d < as_of)
            .map(|due| Overdue {
                kind,
                name: name.to_string(),
                due,
                days_late: cal.business_days_between(due, as_of),
            })
    };
    let mut out: Vec<Overdue> = claim
        .tasks
        .iter()
        .filter_map(|t| late("task", &t.name, t.status, t.due))
        .chain(
            claim
                .documents
                .iter()
                .filter_map(|d| late("document", &d.name, d.status, d.due)),
        )
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Office {
        serde_yaml::from_str(include_str!("../../authority.yaml")).unwrap()
    }

    fn fresh(yaml: &str) -> Claim {
        let mut c: Claim = serde_yaml::from_str(yaml).unwrap();
        c.tasks.clear();
        c.documents.clear();
        c
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_property_checklist_follows_the_facts() {
        let o = office();
        let cal = BusinessCalendar::new(o.calendar.clone());
        let mut home = fresh(include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml"));
        // 18,500 estimated, a mortgagee, not displaced.
        let added = add_checklist(&mut home, &o, day("2026-11-20"), &cal);
        let tasks: Vec<&str> = home.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            tasks,
            [
                "Insured contacted",
                "Cause of loss determined",
                "Scope of damage documented",
                "Mortgagee notified",
                "Emergency repairs documented (what was done, by whom, invoices kept)",
                "Contents inventory reviewed",
                "Payment authorized"
            ]
        );
        let docs: Vec<&str> = home.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            docs,
            [
                "Contractor estimate (1 of 2)",
                "Contractor estimate (2 of 2)",
                "Contents inventory",
                "Signed sworn proof of loss",
                "Photos of the damage"
            ]
        );
        assert_eq!(added, 12);
        // Due dates count business days from assignment: Friday + 1 = Monday; +5 skips
        // Thanksgiving (2026-11-26).
        assert_eq!(home.tasks[0].due, Some(day("2026-11-23")));
        assert_eq!(home.tasks[3].due, Some(day("2026-11-30")));
        assert!(home
            .documents
            .iter()
            .all(|d| d.status == ItemStatus::Requested));
        assert_eq!(home.documents[3].required_for.as_deref(), Some("payment"));

        // A displaced family with a large loss adds the field adjuster and ALE; nothing twice.
        let p = home.property.as_mut().unwrap();
        p.displaced = true;
        p.estimated_loss = Some("60000.00".parse().unwrap());
        let added = add_checklist(&mut home, &o, day("2026-11-20"), &cal);
        assert_eq!(added, 3);
        assert!(home
            .tasks
            .iter()
            .any(|t| t.name == "Field adjuster dispatched"));
        assert!(home
            .tasks
            .iter()
            .any(|t| t.name == "Additional living expense records reviewed"));
        assert!(home
            .documents
            .iter()
            .any(|d| d.name == "Additional living expense receipts"));
        assert_eq!(add_checklist(&mut home, &o, day("2026-11-20"), &cal), 0);
    }

    #[test]
    fn auto_glass_skips_the_inspection_and_a_police_report_is_asked_for_when_there_is_one() {
        let o = office();
        let cal = BusinessCalendar::new(o.calendar.clone());
        let mut glass = fresh(include_str!("../../claims/2026/11/CLM-2611-YFNF-X1DT.yaml"));
        add_checklist(&mut glass, &o, day("2026-11-20"), &cal);
        let names: Vec<&str> = glass.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Insured contacted",
                "Estimate received",
                "Payment authorized"
            ]
        );
        let mut total = fresh(include_str!("../../claims/2026/10/CLM-2610-VH4E-J57R.yaml"));
        add_checklist(&mut total, &o, day("2026-11-20"), &cal);
        assert!(total
            .tasks
            .iter()
            .any(|t| t.name == "Total loss or repairable decided"));
        assert!(total.documents.iter().any(|d| d.name == "Police report"));
        // Workers' comp has its own list.
        let mut wc = fresh(include_str!("../../claims/2026/09/CLM-2609-EZDS-G36W.yaml"));
        add_checklist(&mut wc, &o, day("2026-11-20"), &cal);
        assert_eq!(wc.tasks[0].name, "Employer contacted");
        assert_eq!(wc.documents[0].name, "Employer's first report of injury");
    }

    #[test]
    fn items_are_found_by_name_or_a_part_only_one_has() {
        let names = [
            "Contractor estimate (1 of 2)",
            "Contractor estimate (2 of 2)",
            "Police report",
        ];
        let find = |q: &str| find_item(names.iter().copied(), q, "document");
        assert_eq!(find("police REPORT"), Ok(2));
        assert_eq!(find("police"), Ok(2));
        assert_eq!(find("(2 of"), Ok(1));
        let many = find("estimate").unwrap_err();
        assert!(many.contains("matches several documents"), "{many}");
        let none = find("title").unwrap_err();
        assert!(none.starts_with("no document matches \"title\""), "{none}");
        assert_eq!(
            find_item([].into_iter(), "x", "task").unwrap_err(),
            "the claim has no tasks"
        );
    }

    #[test]
    fn overdue_counts_outstanding_items_past_due_in_business_days() {
        let o = office();
        let cal = BusinessCalendar::new(o.calendar.clone());
        let mut home = fresh(include_str!("../../claims/2026/10/CLM-2610-RBZJ-DXFA.yaml"));
        add_checklist(&mut home, &o, day("2026-11-20"), &cal);
        home.tasks[0].status = ItemStatus::Done;
        let late = overdue(&home, day("2026-12-01"), &cal);
        // Mortgagee notified and the emergency repairs (due 11-30), Photos (due 11-30);
        // Insured contacted is done.
        let names: Vec<(&str, &str, i64)> = late
            .iter()
            .map(|o| (o.kind, o.name.as_str(), o.days_late))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "task",
                    "Emergency repairs documented (what was done, by whom, invoices kept)",
                    1
                ),
                ("task", "Mortgagee notified", 1),
                ("document", "Photos of the damage", 1)
            ]
        );
        home.status = crate::domain::lifecycle::Status::Closed;
        assert!(overdue(&home, day("2026-12-01"), &cal).is_empty());
    }
}
