//! A command's arguments as its commit records them: the `Args:` trailer.
//!
//! The line reads like the command line that was run (`CLM-2610-VH4E-J57R --amount 45000.00
//! --reason new_information --note "Storage invoices seen"`): positional arguments first, then
//! `--flag value` pairs and bare `--switch`es. A word with anything but letters, digits and
//! `@%+=:,./_-` in it — spaces, quotes, brackets, a newline — is written in double quotes with
//! JSON's backslash escapes, and so is a value that starts with `--`, so the line always reads
//! back into exactly the words that were recorded: [`Recorder`] writes it, [`Reader`] reads it.

use std::collections::VecDeque;
use std::fmt::Display;

/// Writes the `Args:` line of a command.
#[derive(Default)]
pub struct Recorder {
    words: Vec<String>,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// A positional argument (before any flag).
    pub fn positional(&mut self, value: impl Display) -> &mut Self {
        self.words.push(word(&value.to_string()));
        self
    }

    /// `--name value`.
    pub fn flag(&mut self, name: &str, value: impl Display) -> &mut Self {
        self.words.push(format!("--{name}"));
        self.words.push(word(&value.to_string()));
        self
    }

    /// `--name value` when there is a value.
    pub fn opt<T: Display>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        if let Some(v) = value {
            self.flag(name, v);
        }
        self
    }

    /// `--name` when on.
    pub fn switch(&mut self, name: &str, on: bool) -> &mut Self {
        if on {
            self.words.push(format!("--{name}"));
        }
        self
    }

    /// `--name value` once per value.
    pub fn each<T: Display>(&mut self, name: &str, values: &[T]) -> &mut Self {
        for v in values {
            self.flag(name, v);
        }
        self
    }

    pub fn finish(&self) -> String {
        self.words.join(" ")
    }
}

fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c)
}

/// One word, quoted when it must be.
fn word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(is_plain) && !s.starts_with("--") {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serializes")
    }
}

/// A recorded word: its text, and whether it was bare (only a bare `--x` is a flag).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    bare: bool,
}

impl Word {
    fn flag(&self) -> Option<&str> {
        self.bare.then(|| self.text.strip_prefix("--")).flatten()
    }
}

fn split(line: &str) -> Result<Vec<Word>, String> {
    let mut words = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if rest.starts_with('"') {
            // The closing quote is the first `"` not escaped by a backslash.
            let bytes = rest.as_bytes();
            let mut i = 1;
            let end = loop {
                match bytes.get(i) {
                    None => return Err(format!("unterminated quoted word in `{line}`")),
                    Some(b'\\') => i += 2,
                    Some(b'"') => break i,
                    Some(_) => i += 1,
                }
            };
            let quoted = &rest[..=end];
            let text: String = serde_json::from_str(quoted)
                .map_err(|e| format!("bad quoted word {quoted}: {e}"))?;
            words.push(Word { text, bare: false });
            rest = &rest[end + 1..];
            if !(rest.is_empty() || rest.starts_with(' ')) {
                return Err(format!("no space after the quoted word {quoted}"));
            }
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            let text = &rest[..end];
            if let Some(c) = text.chars().find(|c| !is_plain(*c)) {
                return Err(format!("`{c}` in the unquoted word `{text}`"));
            }
            words.push(Word {
                text: text.to_string(),
                bare: true,
            });
            rest = &rest[end..];
        }
        rest = rest.trim_start_matches(' ');
    }
    Ok(words)
}

/// Reads a recorded `Args:` line back, the way the command's decoder asks for its parts.
/// Whatever the decoder does not ask for is an error when it calls [`Reader::done`].
#[derive(Debug)]
pub struct Reader {
    positionals: VecDeque<String>,
    /// Flags in order, each with the word after it unless that word is itself a flag.
    flags: Vec<(String, Option<String>)>,
}

impl Reader {
    pub fn parse(line: &str) -> Result<Reader, String> {
        let words = split(line)?;
        let mut positionals = VecDeque::new();
        let mut flags = Vec::new();
        let mut i = 0;
        while i < words.len() && words[i].flag().is_none() {
            positionals.push_back(words[i].text.clone());
            i += 1;
        }
        while i < words.len() {
            let name = words[i]
                .flag()
                .ok_or_else(|| format!("`{}` stands where a --flag should", words[i].text))?
                .to_string();
            let value = words.get(i + 1).filter(|w| w.flag().is_none());
            i += if value.is_some() { 2 } else { 1 };
            flags.push((name, value.map(|w| w.text.clone())));
        }
        Ok(Reader { positionals, flags })
    }

    pub fn positional(&mut self, what: &str) -> Result<String, String> {
        self.positionals
            .pop_front()
            .ok_or_else(|| format!("the {what} is missing"))
    }

    pub fn optional_positional(&mut self) -> Option<String> {
        self.positionals.pop_front()
    }

    /// `--name value`, at most once.
    pub fn optional(&mut self, name: &str) -> Result<Option<String>, String> {
        let mut found = self.take(name);
        match found.len() {
            0 => Ok(None),
            1 => found
                .pop()
                .expect("one")
                .map(Some)
                .ok_or_else(|| format!("--{name} has no value")),
            _ => Err(format!("--{name} is given more than once")),
        }
    }

    pub fn required(&mut self, name: &str) -> Result<String, String> {
        self.optional(name)?
            .ok_or_else(|| format!("--{name} is missing"))
    }

    /// A bare `--name`.
    pub fn switch(&mut self, name: &str) -> Result<bool, String> {
        let found = self.take(name);
        match found.as_slice() {
            [] => Ok(false),
            [None] => Ok(true),
            [Some(v)] => Err(format!("--{name} takes no value (found `{v}`)")),
            _ => Err(format!("--{name} is given more than once")),
        }
    }

    /// Every value of a repeated `--name value`.
    pub fn all(&mut self, name: &str) -> Result<Vec<String>, String> {
        self.take(name)
            .into_iter()
            .map(|v| v.ok_or_else(|| format!("--{name} has no value")))
            .collect()
    }

    fn take(&mut self, name: &str) -> Vec<Option<String>> {
        let mut out = Vec::new();
        self.flags.retain(|(n, v)| {
            if n == name {
                out.push(v.clone());
                false
            } else {
                true
            }
        });
        out
    }

    /// Refuses whatever was recorded but not read: a word too many is not the command's.
    pub fn done(self) -> Result<(), String> {
        if let Some(p) = self.positionals.front() {
            return Err(format!("unexpected argument `{p}`"));
        }
        if let Some((n, _)) = self.flags.first() {
            return Err(format!("unexpected --{n}"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_need_it_are_quoted_and_read_back_exactly() {
        let awkward = [
            "",
            "two words",
            "--looks-like-a-flag",
            "quote \" and backslash \\",
            "line one\nline two\ttab",
            "José Núñez",
            "auto.vehicles[0].vin=1FMCU14T3JU402061",
            "<msg@example.com>",
            "\u{7}bell",
        ];
        for s in awkward {
            let line = Recorder::new()
                .positional("CLM-2611-7K3F-QM2X")
                .flag("note", s)
                .finish();
            assert!(!line.contains('\n'), "{line}");
            let mut r = Reader::parse(&line).unwrap();
            assert_eq!(r.positional("claim").unwrap(), "CLM-2611-7K3F-QM2X");
            assert_eq!(r.required("note").unwrap(), s, "{line}");
            r.done().unwrap();
        }
    }

    #[test]
    fn plain_words_stay_bare_and_switches_need_no_value() {
        let line = Recorder::new()
            .positional("CLM-2611-7K3F-QM2X")
            .positional("photos")
            .switch("received", true)
            .switch("waive", false)
            .flag("on", "2026-11-19")
            .each("provision", &["EXC-1", "COND-2"])
            .finish();
        assert_eq!(
            line,
            "CLM-2611-7K3F-QM2X photos --received --on 2026-11-19 --provision EXC-1 --provision COND-2"
        );
        let mut r = Reader::parse(&line).unwrap();
        assert_eq!(r.positional("claim").unwrap(), "CLM-2611-7K3F-QM2X");
        assert_eq!(r.optional_positional().as_deref(), Some("photos"));
        assert!(r.switch("received").unwrap());
        assert!(!r.switch("waive").unwrap());
        assert_eq!(r.all("provision").unwrap(), ["EXC-1", "COND-2"]);
        assert_eq!(r.optional("on").unwrap().as_deref(), Some("2026-11-19"));
        r.done().unwrap();
    }

    #[test]
    fn what_the_decoder_does_not_expect_is_refused() {
        let mut r = Reader::parse("CLM-1 --amount 5.00 --amount 6.00").unwrap();
        r.positional("claim").unwrap();
        assert!(r.optional("amount").is_err());
        let mut r = Reader::parse("CLM-1 --amount 5.00 --extra x").unwrap();
        r.positional("claim").unwrap();
        r.required("amount").unwrap();
        assert!(r.done().is_err());
        assert!(Reader::parse("CLM-1 --note \"open").is_err());
        assert!(Reader::parse("CLM-1 --note a\"b").is_err());
        assert!(Reader::parse("--amount 5.00 stray").is_err());
        let mut r = Reader::parse("CLM-1 --done yes").unwrap();
        r.positional("claim").unwrap();
        assert!(r.switch("done").is_err());
    }
}
