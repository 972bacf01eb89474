//! Negated mentions: "nobody was hurt", "no one was injured", "no injuries", "she did not go
//! to the hospital", "injuries: none". A word the writer denies is not a fact of the loss.
//!
//! The rule (a small NegEx): a mention is negated when a negation cue stands before it in the
//! same clause, no more than [`WINDOW`] words back, or when the mention is a label answered
//! with none or no (`Injuries: none`). Clauses end at sentence punctuation, `;`, `:`, a
//! paragraph break (not a line wrapped by the mail client), a comma that a new clause
//! follows, and the words that start one (`but`, `and`, `when`, `because`, ...).

use super::find_word_from;

/// How many words before a mention a cue still negates it ("no one in the car was hurt").
const WINDOW: usize = 6;

/// Words that negate what follows them in their clause.
const CUES: &[&str] = &[
    "no", "not", "nobody", "none", "never", "without", "neither", "nor", "nothing", "zero",
    "wasn't", "weren't", "isn't", "aren't", "didn't", "don't", "doesn't", "hasn't", "haven't",
    "hadn't", "won't", "wasnt", "werent", "didnt", "dont", "doesnt", "noone",
];

/// Words that start a new clause within a sentence.
const TURNS: &[&str] = &[
    "but", "however", "although", "though", "except", "yet", "and", "when", "while", "because",
    "after", "before", "since", "until", "then", "so",
];

/// The first mention of `word` (lower case) in `lower` that the writer does not deny, at
/// word boundaries.
pub fn affirmed(lower: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find_word_from(lower, word, from) {
        if !negated(lower, at, word.len()) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Whether any mention of `word` is denied (and so the writer spoke to it).
pub fn denied(lower: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(at) = find_word_from(lower, word, from) {
        if negated(lower, at, word.len()) {
            return true;
        }
        from = at + word.len();
    }
    false
}

/// Whether the mention at `at` (of `len` bytes) is negated.
fn negated(lower: &str, at: usize, len: usize) -> bool {
    let start = clause_start(lower, at);
    let before: Vec<&str> = lower[start..at]
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let window = &before[before.len().saturating_sub(WINDOW)..];
    let cue = |w: &&str| {
        let w = w.replace('\u{2019}', "'");
        CUES.contains(&w.as_str()) || w == "no-one"
    };
    if window.iter().any(cue) {
        return true;
    }
    // A label answered: "Injuries: none", "injured - no", "injuries? no".
    let after = lower[at + len..].trim_start_matches(|c: char| c.is_alphabetic());
    let after = after.trim_start_matches([' ', '\t']);
    if let Some(rest) = after.strip_prefix([':', '-', '?', '=']) {
        let answer: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '/')
            .collect();
        return matches!(answer.as_str(), "none" | "no" | "n/a" | "nil" | "n");
    }
    false
}

/// Where the clause holding byte `at` begins.
fn clause_start(lower: &str, at: usize) -> usize {
    let head = &lower[..at];
    // A line break inside a paragraph is only the mail client's wrapping.
    let mut start = head
        .rfind(['.', '!', '?', ';', ':', '(', ')'])
        .map_or(0, |i| i + 1)
        .max(head.rfind("\n\n").map_or(0, |i| i + 2));
    for turn in TURNS {
        let mut from = start;
        while let Some(i) = find_word_from(head, turn, from) {
            start = start.max(i + turn.len());
            from = i + turn.len();
        }
    }
    // A comma closes a clause when a new one follows it ("no skid marks, the driver was
    // hurt"), not around an aside ("nobody, thankfully, was hurt").
    if let Some(i) = head[start..].rfind(',') {
        let candidate = start + i + 1;
        if head[candidate..].split_whitespace().count() >= 2 {
            start = candidate;
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hurt(text: &str) -> bool {
        let lower = text.to_lowercase();
        ["hurt", "injured", "injuries", "injury", "hospital"]
            .iter()
            .any(|w| affirmed(&lower, w).is_some())
    }

    #[test]
    fn negated_injuries_are_not_injuries() {
        for text in [
            "Nobody was hurt.",
            "No one was injured in the crash.",
            "No-one was hurt",
            "No injuries.",
            "There were no injuries, just a dented bumper.",
            "Thankfully nobody in either car was hurt.",
            "I was not injured",
            "We weren't hurt but the car is a mess.",
            "She didn\u{2019}t need to go to the hospital.",
            "Injuries: none",
            "Injured - no",
            "Neither driver was hurt.",
            "Nobody, thankfully, was hurt.",
            "No one was\ninjured.",
            "No airbags went off, nobody was hurt.",
        ] {
            assert!(!hurt(text), "{text}");
        }
    }

    #[test]
    fn affirmed_injuries_stay_injuries() {
        for text in [
            "My husband was hurt.",
            "Nobody else was hurt, but my wife was injured.",
            "The car was not moving when I was hurt.",
            "There was no warning. The driver was injured.",
            "No one saw it; my son was taken to the hospital.",
            "Injuries: whiplash",
            "The other car had no lights on, and I was injured",
            "There were no skid marks, the driver was hurt",
        ] {
            assert!(hurt(text), "{text}");
        }
    }

    #[test]
    fn denied_says_the_writer_spoke_to_it() {
        let lower = "they have not hired a lawyer.";
        assert!(denied(lower, "lawyer"));
        assert_eq!(affirmed(lower, "lawyer"), None);
        assert!(!denied("their lawyer called", "lawyer"));
    }
}
