//! Forwarded notices. An agent, a broker or an employer often passes the insured's own
//! message on: attached (`message/rfc822`, "forward as attachment") or inline, under the
//! header block the mail client writes. The forwarded message is the notice — its writer is
//! the reporter, its date the day "yesterday" in it means — and the forwarder is who passed
//! it on.
//!
//! Inline forwards are recognised by the line each client writes before the forwarded
//! header block: Gmail's `---------- Forwarded message ---------`, Thunderbird's
//! `-------- Forwarded Message --------`, Apple Mail's `Begin forwarded message:`, and, in a
//! message whose subject says it is a forward (`Fwd:`, `FW:`), Outlook's
//! `-----Original Message-----` or its rule of underscores followed by `From:`.

use chrono::NaiveDate;

/// One forwarded message: who wrote it, when, and what it says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forwarded {
    pub from_name: Option<String>,
    pub from_email: Option<String>,
    pub subject: Option<String>,
    /// The day it was written.
    pub date: Option<NaiveDate>,
    pub text: String,
}

/// A subject that says the message is a forward: `Fwd:`, `Fw:`, `FW:` (any case).
pub fn is_forward_subject(subject: &str) -> bool {
    let s = subject.trim_start().to_ascii_lowercase();
    s.starts_with("fwd:") || s.starts_with("fw:")
}

/// The subject without its reply and forward prefixes (`Fwd: Re: hail damage` → `hail damage`).
pub fn bare_subject(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let Some(p) = ["fwd:", "fw:", "re:", "aw:", "wg:"]
            .iter()
            .find(|p| lower.starts_with(*p))
        else {
            return s;
        };
        s = s[p.len()..].trim_start();
    }
}

/// Splits a body into the forwarder's own words and the messages forwarded inline in it,
/// outermost first (a forward of a forward gives two).
pub fn split_inline(body: &str, subject: &str) -> (String, Vec<Forwarded>) {
    let lines: Vec<&str> = body.lines().collect();
    let outlook = is_forward_subject(subject);
    let Some(marker) = lines.iter().position(|l| is_marker(l, outlook)) else {
        return (body.to_string(), Vec::new());
    };
    let own = lines[..marker].join("\n").trim_end().to_string();
    let mut rest: Vec<&str> = lines[marker + 1..].to_vec();
    // Outlook's underscore rule is followed directly by the header block; the others too,
    // after at most a blank line (Apple Mail).
    while rest.first().is_some_and(|l| l.trim().is_empty()) {
        rest.remove(0);
    }
    let mut fwd = Forwarded::default();
    let mut taken = 0;
    for line in &rest {
        let Some((key, value)) = header_line(line) else {
            break;
        };
        taken += 1;
        match key.as_str() {
            "from" => {
                let (name, email) = parse_from(value);
                fwd.from_name = name;
                fwd.from_email = email;
            }
            "date" | "sent" => fwd.date = super::find_loss_date(value, None),
            "subject" => fwd.subject = Some(value.trim().to_string()).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    let text = unquote(&rest[taken..].join("\n"));
    // A forward inside the forward.
    let (inner_text, mut inner) = split_inline(&text, fwd.subject.as_deref().unwrap_or(subject));
    fwd.text = inner_text.trim().to_string();
    let mut out = vec![fwd];
    out.append(&mut inner);
    (own, out)
}

/// The forwarded message of a `message/rfc822` part, read by mail-parser like any message:
/// its own text (forwards inline in it split off again), writer and date.
pub fn attached(inner: &mail_parser::Message, text: &str) -> Vec<Forwarded> {
    let from = inner.from().and_then(|a| a.first());
    let subject = inner.subject().map(|s| s.trim().to_string());
    let date = inner
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32));
    let (own, mut inline) = split_inline(text, subject.as_deref().unwrap_or(""));
    let mut out = vec![Forwarded {
        from_name: from
            .and_then(|a| a.name())
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        from_email: from.and_then(|a| a.address()).map(|a| a.trim().to_string()),
        subject,
        date,
        text: own.trim().to_string(),
    }];
    out.append(&mut inline);
    out
}

fn is_marker(line: &str, outlook: bool) -> bool {
    let l = line
        .trim()
        .trim_start_matches('>')
        .trim()
        .to_ascii_lowercase();
    let dashed = l.starts_with("---") && l.ends_with("---");
    (dashed && l.contains("forwarded message"))
        || l == "begin forwarded message:"
        || (outlook
            && ((dashed && l.contains("original message"))
                || (l.len() >= 10 && l.chars().all(|c| c == '_'))))
}

/// `From: Ray Dorsey <ray@x>` → ("from", "Ray Dorsey <ray@x>"), for the keys a forwarded
/// header block holds.
fn header_line(line: &str) -> Option<(String, &str)> {
    let line = line.trim_start_matches('>').trim();
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_ascii_lowercase();
    matches!(
        key.as_str(),
        "from" | "date" | "sent" | "subject" | "to" | "cc" | "reply-to"
    )
    .then_some((key, value))
}

/// `Name <address>`, `"Name" <address>`, `Name [mailto:address]` or a bare address.
fn parse_from(value: &str) -> (Option<String>, Option<String>) {
    let v = value.trim();
    let (name, email) = match v.find(['<', '[']) {
        Some(i) => {
            let inner = v[i + 1..]
                .trim_end_matches(['>', ']'])
                .trim_start_matches("mailto:");
            (&v[..i], Some(inner.trim()))
        }
        None if v.contains('@') => ("", Some(v)),
        None => (v, None),
    };
    let name = name.trim().trim_matches('"').trim();
    (
        (!name.is_empty()).then(|| name.to_string()),
        email.filter(|e| e.contains('@')).map(str::to_string),
    )
}

/// Takes off the `> ` a client put before every line of a forwarded message.
fn unquote(text: &str) -> String {
    let quoted = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .all(|l| l.trim_start().starts_with('>'));
    if !quoted {
        return text.to_string();
    }
    text.lines()
        .map(|l| {
            let l = l.trim_start();
            l.strip_prefix("> ")
                .or_else(|| l.strip_prefix('>'))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_thunderbird_apple_and_outlook_forwards_are_split_off() {
        let cases = [
            (
                "Fwd: x",
                "Please see below.\n\n---------- Forwarded message ---------\nFrom: Ray Dorsey <ray@mail.example>\nDate: Tue, Nov 17, 2026 at 9:12 PM\nSubject: hail damage\nTo: Carla <c@agency.example>\n\n\nA hailstorm last night.\n",
            ),
            (
                "Fwd: x",
                "-------- Forwarded Message --------\nSubject: \thail damage\nDate: \tTue, 17 Nov 2026 21:12:00 -0600\nFrom: \tRay Dorsey <ray@mail.example>\nTo: \tc@agency.example\n\nA hailstorm last night.",
            ),
            (
                "Fwd: x",
                "Begin forwarded message:\n\nFrom: Ray Dorsey <ray@mail.example>\nSubject: hail damage\nDate: November 17, 2026 at 9:12:03 PM CST\nTo: c@agency.example\n\nA hailstorm last night.",
            ),
            (
                "FW: hail damage",
                "FYI\n\n________________________________\nFrom: Ray Dorsey [mailto:ray@mail.example]\nSent: Tuesday, November 17, 2026 9:12 PM\nTo: Carla\nSubject: hail damage\n\nA hailstorm last night.",
            ),
            (
                "FW: hail damage",
                "-----Original Message-----\n> From: Ray Dorsey <ray@mail.example>\n> Sent: Tuesday, November 17, 2026 9:12 PM\n> Subject: hail damage\n>\n> A hailstorm last night.",
            ),
        ];
        for (subject, body) in cases {
            let (_, fwd) = split_inline(body, subject);
            assert_eq!(fwd.len(), 1, "{body}");
            let f = &fwd[0];
            assert_eq!(f.from_name.as_deref(), Some("Ray Dorsey"), "{body}");
            assert_eq!(f.from_email.as_deref(), Some("ray@mail.example"), "{body}");
            assert_eq!(f.date, NaiveDate::from_ymd_opt(2026, 11, 17), "{body}");
            assert_eq!(f.subject.as_deref(), Some("hail damage"), "{body}");
            assert_eq!(f.text, "A hailstorm last night.", "{body}");
        }
    }

    #[test]
    fn a_reply_is_not_a_forward_and_prefixes_come_off_subjects() {
        let body =
            "Thanks.\n\n-----Original Message-----\nFrom: Office <o@x.example>\n\nWe got it.";
        let (own, fwd) = split_inline(body, "Re: claim");
        assert!(fwd.is_empty());
        assert_eq!(own, body);
        assert_eq!(bare_subject("Fwd: RE: FW: hail damage"), "hail damage");
        assert!(is_forward_subject("FW: x") && !is_forward_subject("Re: x"));
    }

    #[test]
    fn a_forward_of_a_forward_gives_both_outermost_first() {
        let body = "---------- Forwarded message ---------\nFrom: Agent <a@x.example>\nDate: Wed, Nov 18, 2026 at 8:00 AM\nSubject: Fwd: hail\n\nFor you.\n\n---------- Forwarded message ---------\nFrom: Ray Dorsey <ray@x.example>\nDate: Tue, Nov 17, 2026 at 9:12 PM\nSubject: hail\n\nThe roof.";
        let (own, fwd) = split_inline(body, "Fwd: Fwd: hail");
        assert_eq!(own, "");
        let who: Vec<_> = fwd.iter().map(|f| f.from_name.clone().unwrap()).collect();
        assert_eq!(who, ["Agent", "Ray Dorsey"]);
        assert_eq!(fwd[0].text, "For you.");
        assert_eq!(fwd[1].text, "The roof.");
    }
}
