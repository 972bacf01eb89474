//! How authority.yaml is governed: what a change to it changes, who may make it, and when it
//! needs a second person.
//!
//! - Only a person whose role has `manage_authority` changes the file. (An office whose file
//!   names no such role yet — one made before the permission existed — is governed by its
//!   active people of the highest rank, until it names one.)
//! - Nobody changes their own entry, their own role (its permissions or rank) or their role's
//!   limits — not even by lowering another role's, when their own authority rests on it.
//! - A change to people (added, removed, key, role, active), roles (permissions, rank), the
//!   authority matrix (claim types, limits, reviews) or this governance takes effect only when a
//!   second such person approves it — unless the office says it has a single manager and it
//!   has exactly one.
//! - Other settings (routing, priorities, SLA rules, the calendar, contacts, checklists,
//!   denial settings, people's phone numbers, specialties and leave) need one such person.
//!
//! The proposal and approval commands and the audit judge every change by these functions.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::money::Money;
use crate::domain::office::{AuthorityRule, Office, Permission, Person};

/// Which part of the file a difference is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    People,
    Roles,
    Matrix,
    Governance,
    Settings,
}

/// One difference between two versions of authority.yaml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub area: Area,
    /// For the reader: `jwhitfield@harborpoint.example: signing key changed`.
    pub text: String,
    /// The person whose entry it is.
    pub person: Option<String>,
    /// The role it is about.
    pub role: Option<String>,
}

impl Difference {
    /// Needs a second person's approval (people, roles, the matrix, governance).
    pub fn governed(&self) -> bool {
        self.area != Area::Settings
    }
}

fn diff(area: Area, text: String, person: Option<&str>, role: Option<&str>) -> Difference {
    Difference {
        area,
        text,
        person: person.map(str::to_ascii_lowercase),
        role: role.map(str::to_string),
    }
}

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// Everything that differs between `before` and `after`.
pub fn differences(before: &Office, after: &Office) -> Vec<Difference> {
    let mut out = Vec::new();
    people(before, after, &mut out);
    roles(before, after, &mut out);
    matrix(before, after, &mut out);
    if before.governance != after.governance {
        out.push(diff(
            Area::Governance,
            format!(
                "governance: single_manager {} -> {}",
                single_flag(before),
                single_flag(after)
            ),
            None,
            None,
        ));
    }
    let settings: [(&str, serde_json::Value, serde_json::Value); 11] = [
        ("office", json(&before.office), json(&after.office)),
        ("routing", json(&before.routing), json(&after.routing)),
        ("priority", json(&before.priority), json(&after.priority)),
        ("sla", json(&before.sla), json(&after.sla)),
        ("calendar", json(&before.calendar), json(&after.calendar)),
        (
            "catastrophes",
            json(&before.catastrophes),
            json(&after.catastrophes),
        ),
        ("denial", json(&before.denial), json(&after.denial)),
        ("contacts", json(&before.contacts), json(&after.contacts)),
        ("smtp", json(&before.smtp), json(&after.smtp)),
        (
            "investigation",
            json(&before.investigation),
            json(&after.investigation),
        ),
        (
            "role titles",
            json(
                &before
                    .roles
                    .iter()
                    .map(|r| (&r.id, &r.title))
                    .collect::<Vec<_>>(),
            ),
            json(
                &after
                    .roles
                    .iter()
                    .map(|r| (&r.id, &r.title))
                    .collect::<Vec<_>>(),
            ),
        ),
    ];
    for (name, b, a) in settings {
        if b != a {
            out.push(diff(Area::Settings, format!("{name} changed"), None, None));
        }
    }
    out
}

fn single_flag(o: &Office) -> bool {
    o.governance.as_ref().is_some_and(|g| g.single_manager)
}

fn people(before: &Office, after: &Office, out: &mut Vec<Difference>) {
    for p in &after.people {
        let Some(o) = before.person(&p.email) else {
            out.push(diff(
                Area::People,
                format!("{}: added as {}", p.email, p.role),
                Some(&p.email),
                None,
            ));
            continue;
        };
        let mut governed = Vec::new();
        if o.signing_key != p.signing_key {
            governed.push("signing key changed".to_string());
        }
        if o.retired_keys != p.retired_keys {
            governed.push("retired keys changed".to_string());
        }
        if o.role != p.role {
            governed.push(format!("role {} -> {}", o.role, p.role));
        }
        if o.active != p.active {
            governed.push(
                if p.active {
                    "reactivated"
                } else {
                    "deactivated"
                }
                .into(),
            );
        }
        if !o.email.eq(&p.email) {
            governed.push(format!("email {} -> {}", o.email, p.email));
        }
        if !governed.is_empty() {
            out.push(diff(
                Area::People,
                format!("{}: {}", p.email, governed.join(", ")),
                Some(&p.email),
                None,
            ));
        }
        let rest = |x: &Person| {
            json(&(
                &x.name,
                &x.phone,
                &x.specialties,
                &x.max_open_claims,
                &x.out_of_office,
            ))
        };
        if rest(o) != rest(p) {
            out.push(diff(
                Area::Settings,
                format!("{}: contact, specialties or leave changed", p.email),
                Some(&p.email),
                None,
            ));
        }
    }
    for o in &before.people {
        if after.person(&o.email).is_none() {
            out.push(diff(
                Area::People,
                format!("{}: removed", o.email),
                Some(&o.email),
                None,
            ));
        }
    }
}

fn roles(before: &Office, after: &Office, out: &mut Vec<Difference>) {
    for r in &after.roles {
        match before.role(&r.id) {
            None => out.push(diff(
                Area::Roles,
                format!("role {}: added", r.id),
                None,
                Some(&r.id),
            )),
            Some(o) => {
                let mut what = Vec::new();
                if o.rank != r.rank {
                    what.push(format!("rank {} -> {}", o.rank, r.rank));
                }
                let (was, is): (BTreeSet<_>, BTreeSet<_>) =
                    (o.can.iter().collect(), r.can.iter().collect());
                for p in is.difference(&was) {
                    what.push(format!("may now {}", p.as_str()));
                }
                for p in was.difference(&is) {
                    what.push(format!("may no longer {}", p.as_str()));
                }
                if !what.is_empty() {
                    out.push(diff(
                        Area::Roles,
                        format!("role {}: {}", r.id, what.join(", ")),
                        None,
                        Some(&r.id),
                    ));
                }
            }
        }
    }
    for o in &before.roles {
        if after.role(&o.id).is_none() {
            out.push(diff(
                Area::Roles,
                format!("role {}: removed", o.id),
                None,
                Some(&o.id),
            ));
        }
    }
}

/// Every (kind, claim type, role) limit, and every rule's second review.
fn limits(o: &Office) -> BTreeMap<(&'static str, String, String), Option<Money>> {
    let mut out = BTreeMap::new();
    for (kind, rules) in [
        ("reserve", &o.authority_matrix.reserve),
        ("settlement", &o.authority_matrix.settlement),
    ] {
        for r in rules {
            for l in &r.limits {
                out.insert((kind, r.claim_type.clone(), l.role.clone()), l.up_to);
            }
        }
    }
    out
}

fn money_text(m: Option<Money>) -> String {
    m.map_or("unlimited".into(), |m| m.to_string())
}

fn matrix(before: &Office, after: &Office, out: &mut Vec<Difference>) {
    let found = out.len();
    matrix_details(before, after, out);
    // Whatever the details above cannot name (a rule or limit given twice, its order) is a
    // change of the matrix all the same.
    for (kind, b, a) in [
        (
            "reserve",
            &before.authority_matrix.reserve,
            &after.authority_matrix.reserve,
        ),
        (
            "settlement",
            &before.authority_matrix.settlement,
            &after.authority_matrix.settlement,
        ),
    ] {
        if json(b) != json(a) && !out[found..].iter().any(|d| d.text.starts_with(kind)) {
            out.push(diff(
                Area::Matrix,
                format!("{kind} authority matrix rewritten"),
                None,
                None,
            ));
        }
    }
}

fn matrix_details(before: &Office, after: &Office, out: &mut Vec<Difference>) {
    if json(&before.authority_matrix.claim_types) != json(&after.authority_matrix.claim_types) {
        out.push(diff(Area::Matrix, "claim types changed".into(), None, None));
    }
    let (was, is) = (limits(before), limits(after));
    for (key, new) in &is {
        let text = |old: &str| {
            format!(
                "{} limit of {} on {} claims: {old} -> {}",
                key.0,
                key.2,
                key.1,
                money_text(*new)
            )
        };
        match was.get(key) {
            Some(old) if old == new => {}
            Some(old) => out.push(diff(
                Area::Matrix,
                text(&money_text(*old)),
                None,
                Some(&key.2),
            )),
            None => out.push(diff(Area::Matrix, text("none"), None, Some(&key.2))),
        }
    }
    for (key, old) in &was {
        if !is.contains_key(key) {
            out.push(diff(
                Area::Matrix,
                format!(
                    "{} limit of {} on {} claims: {} -> none",
                    key.0,
                    key.2,
                    key.1,
                    money_text(*old)
                ),
                None,
                Some(&key.2),
            ));
        }
    }
    let reviews = |o: &Office| {
        let mut m = BTreeMap::new();
        for (kind, rules) in [
            ("reserve", &o.authority_matrix.reserve),
            ("settlement", &o.authority_matrix.settlement),
        ] {
            for r in rules {
                m.insert((kind, r.claim_type.clone()), r.review_by.clone());
            }
        }
        m
    };
    let (was, is) = (reviews(before), reviews(after));
    for key in was.keys().chain(is.keys()).collect::<BTreeSet<_>>() {
        let (a, b) = (
            was.get(key).cloned().flatten(),
            is.get(key).cloned().flatten(),
        );
        if a != b {
            out.push(diff(
                Area::Matrix,
                format!(
                    "{} review on {} claims: {} -> {}",
                    key.0,
                    key.1,
                    a.as_deref().unwrap_or("none"),
                    b.as_deref().unwrap_or("none")
                ),
                None,
                b.as_deref().or(a.as_deref()),
            ));
        }
    }
}

/// How much a role may commit under a rule by its own authority: `None` nothing,
/// `Some(None)` without limit, `Some(Some(x))` up to x. A role the rule does not list has the
/// authority of every listed role it outranks (as the matrix is applied).
fn effective_limit(o: &Office, rule: &AuthorityRule, role: &str) -> Option<Option<Money>> {
    if let Some(l) = rule.limits.iter().find(|l| l.role == role) {
        return Some(l.up_to);
    }
    let rank = |r: &str| o.role(r).map_or(0, |r| r.rank);
    let mut best: Option<Option<Money>> = None;
    for l in rule.limits.iter().filter(|l| rank(role) > rank(&l.role)) {
        best = Some(match (best, l.up_to) {
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some(a.max(b)),
            (None, Some(b)) => Some(b),
        });
    }
    best
}

fn authority_of(o: &Office, role: &str) -> BTreeMap<(&'static str, String), Option<Option<Money>>> {
    let mut out = BTreeMap::new();
    for (kind, rules) in [
        ("reserve", &o.authority_matrix.reserve),
        ("settlement", &o.authority_matrix.settlement),
    ] {
        for r in rules {
            // The first rule for a claim type is the one applied.
            out.entry((kind, r.claim_type.clone()))
                .or_insert_with(|| effective_limit(o, r, role));
        }
    }
    out
}

/// What of the change is `email`'s own: their entry, their role, their role's authority.
pub fn own_interest(before: &Office, after: &Office, email: &str) -> Vec<String> {
    let email = email.to_ascii_lowercase();
    let mut out = Vec::new();
    let role = before.person(&email).map(|p| p.role.clone());
    for d in differences(before, after) {
        let theirs = d.person.as_deref() == Some(email.as_str());
        let their_role = d.area == Area::Roles && d.role.is_some() && d.role == role;
        if theirs || their_role {
            out.push(d.text);
        }
    }
    if let Some(role) = &role {
        let (was, is) = (authority_of(before, role), authority_of(after, role));
        for (key, now) in &is {
            let old = was.get(key).cloned().flatten();
            if old != *now {
                let words = |l: Option<Option<Money>>| match l {
                    None => "none".to_string(),
                    Some(m) => money_text(m),
                };
                out.push(format!(
                    "the {role} role's {} authority on {} claims: {} -> {}",
                    key.0,
                    key.1,
                    words(old),
                    words(*now)
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The people who may change authority.yaml: active, with `manage_authority` — or, in an
/// office whose roles do not name that permission yet, its active people of the highest rank.
pub fn managers(office: &Office) -> Vec<&Person> {
    let named = office
        .roles
        .iter()
        .any(|r| r.can.contains(&Permission::ManageAuthority));
    if named {
        return office
            .people
            .iter()
            .filter(|p| office.may(&p.email, Permission::ManageAuthority))
            .collect();
    }
    let rank = |p: &Person| office.role(&p.role).map_or(0, |r| r.rank);
    let top = office
        .people
        .iter()
        .filter(|p| p.active)
        .map(rank)
        .max()
        .unwrap_or(0);
    office
        .people
        .iter()
        .filter(|p| p.active && rank(p) == top && top > 0)
        .collect()
}

/// Why a change of authority.yaml alone may not change how claims are filed: every claim
/// would then be where the office no longer looks for it. `claims migrate` changes the
/// setting and moves every claim in one commit.
pub fn moves_claims(before: &Office, after: &Office) -> Option<String> {
    let (was, is) = (before.claim_folders(), after.claim_folders());
    (was != is).then(|| {
        format!(
            "office.claim_folders {was} -> {is} moves every claim: `claims migrate --to {is}` \
             changes it and moves the claims in one commit"
        )
    })
}

pub fn may_manage(office: &Office, email: &str) -> bool {
    managers(office)
        .iter()
        .any(|p| p.email.eq_ignore_ascii_case(email))
}

/// The office says it has a single manager, and has exactly one.
pub fn single_manager(office: &Office) -> bool {
    single_flag(office) && managers(office).len() == 1
}

/// Why `signer` alone may not make the change from `before` to `after` (empty: they may):
/// `(code, reason)` with A007 for their own interest and A008 otherwise.
pub fn refusals_alone(
    before: &Office,
    after: &Office,
    signer: &str,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(why) = moves_claims(before, after) {
        out.push(("A008", why));
    }
    if let Some(i) = crate::check::rules::check_office(after).first() {
        out.push((
            "A008",
            format!(
                "authority.yaml is left invalid: error[{}] {}",
                i.code, i.message
            ),
        ));
    }
    if !may_manage(before, signer) {
        out.push((
            "A008",
            format!(
                "{signer} may not change authority.yaml (it takes the manage_authority permission)"
            ),
        ));
    }
    let own = own_interest(before, after, signer);
    if !own.is_empty() {
        out.push((
            "A007",
            format!("{signer} changed their own authority: {}", own.join("; ")),
        ));
    }
    let governed: Vec<String> = differences(before, after)
        .into_iter()
        .filter(Difference::governed)
        .map(|d| d.text)
        .collect();
    if !governed.is_empty() && !single_manager(before) {
        out.push((
            "A008",
            format!(
                "a change to people, roles or the matrix takes a second manager's approval (`claims authority propose`, then `claims authority approve`): {}",
                governed.join("; ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Office {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/authority.yaml"))
            .unwrap();
        crate::store::files::parse_office(&text).unwrap()
    }

    const MANAGER: &str = "treilly@harborpoint.example";
    const COMMITTEE: &str = "cvoss@harborpoint.example";
    const STAFF: &str = "jwhitfield@harborpoint.example";

    #[test]
    fn a_managers_own_limit_is_theirs_even_through_a_role_below() {
        let before = office();
        // The manager is listed without a limit on auto reserves: raising the supervisor's
        // limit is not the manager's interest there...
        let mut after = before.clone();
        after.authority_matrix.reserve[0].limits[2].up_to = Some("150000.00".parse().unwrap());
        assert!(own_interest(&before, &after, MANAGER).is_empty());
        assert!(!own_interest(&before, &after, "lpark@harborpoint.example").is_empty());
        // ... but where a rule does not list the supervisor, the supervisor has the authority
        // of the roles it outranks: raising the senior adjusters' property limit raises theirs.
        let mut after = before.clone();
        let property = after
            .authority_matrix
            .reserve
            .iter_mut()
            .find(|r| r.claim_type == "property")
            .unwrap();
        let senior = property
            .limits
            .iter_mut()
            .find(|l| l.role == "senior_adjuster")
            .unwrap();
        senior.up_to = Some("200000.00".parse().unwrap());
        let own = own_interest(&before, &after, "lpark@harborpoint.example");
        assert!(
            own.iter().any(|o| o.contains(
                "supervisor role's reserve authority on property claims: 100000.00 -> 200000.00"
            )),
            "{own:?}"
        );
        assert!(own_interest(&before, &after, MANAGER).is_empty());
    }

    #[test]
    fn governed_changes_need_a_second_manager_and_settings_do_not() {
        let before = office();
        assert_eq!(managers(&before).len(), 2);
        let mut promoted = before.clone();
        let p = promoted
            .people
            .iter_mut()
            .find(|p| p.email == STAFF)
            .unwrap();
        p.role = "senior_adjuster".into();
        let why = refusals_alone(&before, &promoted, MANAGER);
        assert!(
            why.iter()
                .any(|(c, w)| *c == "A008" && w.contains("second manager")),
            "{why:?}"
        );
        assert!(refusals_alone(&before, &promoted, STAFF)
            .iter()
            .any(|(_, w)| w.contains("may not change authority.yaml")));
        let mut holiday = before.clone();
        holiday.routing.reverse();
        assert!(refusals_alone(&before, &holiday, COMMITTEE).is_empty());
        let mut single = before.clone();
        single.governance = Some(crate::domain::office::Governance {
            single_manager: true,
        });
        // Declared, but two managers: the rule still holds.
        assert!(!single_manager(&single));
    }
}
