//! Edits to authority.yaml's text that keep everything else in it — its comments, its order,
//! its layout: the file is hand-edited, and the tool changes only the lines it must. Each edit
//! is checked by parsing the result: it must be the office it means to make, exactly.

use super::claim::Timestamp;
use super::office::{Office, RetiredKey};

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// The lines of the person's entry: the `- email:` line's index, the end of the entry, and the
/// indent of its keys.
fn entry_of(lines: &[String], email: &str) -> Option<(usize, usize, usize)> {
    let start = lines.iter().position(|l| {
        l.trim_start()
            .strip_prefix("- email:")
            .map(|e| e.trim().trim_matches(['"', '\'']))
            .is_some_and(|e| e.eq_ignore_ascii_case(email))
    })?;
    let dash = indent(&lines[start]);
    let end = (start + 1..lines.len())
        .find(|&i| is_content(&lines[i]) && indent(&lines[i]) <= dash)
        .unwrap_or(lines.len());
    // Trailing comment lines at the entry's end belong to what follows.
    let mut end = end;
    while end > start + 1 && !is_content(&lines[end - 1]) {
        end -= 1;
    }
    Some((start, end, dash + 2))
}

/// Gives `email` the signing key `key`, and keeps their old key among their retired keys,
/// valid until `until`.
pub fn rotate_key(
    text: &str,
    office: &Office,
    email: &str,
    key: &str,
    until: Timestamp,
) -> Result<String, String> {
    let person = office
        .person(email)
        .ok_or_else(|| format!("{email} is not a person in authority.yaml"))?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let (start, end, at) = entry_of(&lines, email)
        .ok_or_else(|| format!("authority.yaml has no `- email: {email}` entry to edit"))?;
    let pad = " ".repeat(at);
    let key_line = (start + 1..end)
        .find(|&i| indent(&lines[i]) == at && lines[i].trim_start().starts_with("signing_key:"));
    let mut expected = office.clone();
    let p = expected
        .people
        .iter_mut()
        .find(|p| p.email.eq_ignore_ascii_case(email))
        .expect("found above");
    p.signing_key = Some(key.to_string());
    let mut end = end;
    let key_at = match key_line {
        Some(i) => {
            lines[i] = format!("{pad}signing_key: {key}");
            i
        }
        None => {
            lines.insert(start + 1, format!("{pad}signing_key: {key}"));
            end += 1;
            start + 1
        }
    };
    if let Some(old) = &person.signing_key {
        p.retired_keys.push(RetiredKey {
            key: old.clone(),
            until,
        });
        let item = [
            format!("{pad}  - key: {old}"),
            format!("{pad}    until: {}", until.to_rfc3339()),
        ];
        let list = (start + 1..end).find(|&i| {
            indent(&lines[i]) == at && lines[i].trim_start().starts_with("retired_keys:")
        });
        match list {
            Some(i) => {
                // After the list's last item: the next key of the entry, or its end.
                let after = (i + 1..end)
                    .find(|&j| is_content(&lines[j]) && indent(&lines[j]) <= at)
                    .unwrap_or(end);
                for (n, l) in item.into_iter().enumerate() {
                    lines.insert(after + n, l);
                }
            }
            None => {
                let mut block = vec![format!("{pad}retired_keys:")];
                block.extend(item);
                for (n, l) in block.into_iter().enumerate() {
                    lines.insert(key_at + 1 + n, l);
                }
            }
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    let made: Office = serde_yaml::from_str(&out)
        .map_err(|e| format!("the edited authority.yaml does not read back: {e}"))?;
    if made != expected {
        return Err(format!(
            "authority.yaml is laid out in a way the tool cannot edit safely around {email}'s entry; change the key by hand in a proposal (`claims authority propose`)"
        ));
    }
    Ok(out)
}

/// Adds `signing_key:` lines to the people named, keeping the file's comments (a new office's
/// sample people get their generated keys this way).
pub fn with_signing_keys(text: &str, keys: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len() + keys.len() * 100);
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        let trimmed = line.trim_start();
        if let Some(email) = trimmed.strip_prefix("- email:") {
            let email = email.trim().trim_matches(['"', '\'']);
            if let Some((_, key)) = keys.iter().find(|(e, _)| e.eq_ignore_ascii_case(email)) {
                out.push_str(&format!(
                    "{}signing_key: {key}\n",
                    " ".repeat(indent(line) + 2)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0vq0X3v0aP7rYbqU3cVq2d8Ew6w3n8q0yqkQq7Xk1B";
    const KEY_B: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx4v3r7Zp2qW8uY5t1o9n6m3l0k7j4h1g8f5d2s9a6Q";

    fn sample() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/authority.yaml")).unwrap()
    }

    #[test]
    fn a_rotation_changes_only_that_persons_key_lines() {
        let text = with_signing_keys(
            &sample(),
            &[("jwhitfield@harborpoint.example".into(), KEY_A.into())],
        );
        let office: Office = serde_yaml::from_str(&text).unwrap();
        let at = "2026-11-20T10:00:00-06:00".parse().unwrap();
        let once = rotate_key(&text, &office, "jwhitfield@harborpoint.example", KEY_B, at).unwrap();
        let diff: Vec<_> = similar::TextDiff::from_lines(&text, &once)
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .map(|c| format!("{}{}", c.tag(), c.value()))
            .collect();
        assert_eq!(diff.len(), 5, "{diff:?}");
        assert!(
            once.contains("# Left the office in September 2026"),
            "comments kept"
        );
        // Rotating again appends to the retired keys.
        let office2: Office = serde_yaml::from_str(&once).unwrap();
        let twice =
            rotate_key(&once, &office2, "jwhitfield@harborpoint.example", KEY_A, at).unwrap();
        let o: Office = serde_yaml::from_str(&twice).unwrap();
        let p = o.person("jwhitfield@harborpoint.example").unwrap();
        assert_eq!(p.signing_key.as_deref(), Some(KEY_A));
        assert_eq!(p.retired_keys.len(), 2);
        assert_eq!(p.retired_keys[0].key, KEY_A);
        assert_eq!(p.retired_keys[1].key, KEY_B);
        // Nobody else changed.
        assert_eq!(o.people.len(), office.people.len());
    }
}
